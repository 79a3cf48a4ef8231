/* isolate.c - fork, analyse in the child, stream findings back.
 *
 * Wire format (child → parent), all integers little-endian host order
 * (same machine, same binary):
 *   'F' u32 attr_len attr  u32 file_len|NONE file  u32 line  u32 count  u8 install
 *       u32 excerpt_len|NONE excerpt  u32 detail_len|NONE detail
 *   'E' u64 counter u8 oom              (end; absent when the child died) */
#include "isolate.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define NONE 0xFFFFFFFFu
#define PV_ISOLATE_MAX (256u << 20) /* bytes of findings a child may send */

struct buf {
	char *p;
	size_t n, cap;
	bool oom;
};

static void put(struct buf *b, const void *d, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		while (cap < b->n + n)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, d, n);
	b->n += n;
}

static void put_u32(struct buf *b, uint32_t v)
{
	put(b, &v, sizeof v);
}

static void put_str(struct buf *b, const char *s)
{
	if (!s) {
		put_u32(b, NONE);
		return;
	}
	size_t n = strlen(s);
	put_u32(b, (uint32_t)n);
	put(b, s, n);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void child(int fd, pv_isolated_fn fn, void *arg)
{
	struct pv_findings fs = {0};
	size_t counter = 0;
	int rc = fn(arg, &fs, &counter);
	struct buf b = {0};
	for (size_t i = 0; i < fs.n; i++) {
		const struct pv_finding *f = &fs.v[i];
		put(&b, "F", 1);
		put_str(&b, f->attr);
		put_str(&b, f->file);
		put_u32(&b, f->line);
		put_u32(&b, f->count);
		uint8_t inst = f->install_time;
		put(&b, &inst, 1);
		put_str(&b, f->excerpt);
		put_str(&b, f->detail);
	}
	uint64_t c = counter;
	uint8_t oom = rc < 0 || fs.oom;
	put(&b, "E", 1);
	put(&b, &c, sizeof c);
	put(&b, &oom, 1);
	int ok = !b.oom && write_all(fd, b.p, b.n) == 0;
	_exit(ok ? 0 : 1);
}

struct reader {
	const char *p, *end;
	bool bad;
};

static uint32_t get_u32(struct reader *r)
{
	uint32_t v = 0;
	if (r->end - r->p < (ptrdiff_t)sizeof v) {
		r->bad = true;
		return 0;
	}
	memcpy(&v, r->p, sizeof v);
	r->p += sizeof v;
	return v;
}

/* A pointer into the buffer and its length; NULL for NONE. */
static const char *get_str(struct reader *r, uint32_t *len)
{
	*len = get_u32(r);
	if (r->bad || *len == NONE)
		return NULL;
	if ((size_t)(r->end - r->p) < *len) {
		r->bad = true;
		return NULL;
	}
	const char *s = r->p;
	r->p += *len;
	return s;
}

static char *dup_n(const char *s, uint32_t n)
{
	if (!s)
		return NULL;
	char *d = malloc((size_t)n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

/* Decode the child's stream into out. Returns 1 when the end record was
 * seen, 0 when the stream stopped early, -1 on allocation failure. */
static int decode(const char *p, size_t n, struct pv_findings *out, size_t *counter, bool *oom)
{
	struct reader r = {p, p + n, false};
	while (r.p < r.end && !r.bad) {
		char tag = *r.p++;
		if (tag == 'E') {
			uint64_t c;
			if (r.end - r.p < (ptrdiff_t)(sizeof c + 1))
				return 0;
			memcpy(&c, r.p, sizeof c);
			*counter = (size_t)c;
			*oom = r.p[sizeof c] != 0;
			return 1;
		}
		if (tag != 'F')
			return 0;
		uint32_t al, fl, el, dl;
		const char *a = get_str(&r, &al), *f = get_str(&r, &fl);
		uint32_t line = get_u32(&r), count = get_u32(&r);
		uint8_t inst = 0;
		if (r.p < r.end)
			inst = (uint8_t)*r.p++;
		else
			r.bad = true;
		const char *e = get_str(&r, &el), *d = get_str(&r, &dl);
		if (r.bad || !a)
			return 0;
		char *as = dup_n(a, al), *fs = dup_n(f, fl), *es = dup_n(e, el), *ds = dup_n(d, dl);
		int rc = -1;
		size_t before = out->n;
		if (as && (!f || fs) && (!e || es) && (!d || ds))
			rc = pv_findings_add(out, as, fs, line, es, es ? el : 0, ds, inst != 0);
		if (rc == 0 && out->n > before)
			out->v[out->n - 1].count = count;
		free(as);
		free(fs);
		free(es);
		free(ds);
		if (rc < 0)
			return -1;
	}
	return 0;
}

enum pv_isolate_status pv_isolated(pv_isolated_fn fn, void *arg, struct pv_findings *out,
                                   size_t *counter, char *msg, size_t msglen)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(msg, msglen, "cannot create a pipe: %s", strerror(errno));
		return PV_ISOLATE_SYSERR;
	}
	fflush(NULL); /* nothing buffered may be written twice */
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(msg, msglen, "cannot start the analysis process: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return PV_ISOLATE_SYSERR;
	}
	if (pid == 0) {
		close(fds[0]);
		/* Other threads may be vetting other packages: this child must not
		 * hold their pipes open (their readers would wait for this child to
		 * end) nor their sockets and database handles. Keep 0-2 and ours. */
		int w = fds[1];
		if (w != 3) {
			if (dup2(w, 3) < 0)
				_exit(1);
			w = 3;
		}
		(void)close_range(4, ~0U, 0);
		fds[1] = w;
		/* The engine prints nothing; a dying parser's C library message
		 * ("free(): invalid size") must not reach the user's terminal. */
		int nul = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (nul >= 0)
			dup2(nul, 2);
		child(fds[1], fn, arg);
	}
	close(fds[1]);
	struct buf b = {0};
	char chunk[65536];
	bool too_big = false;
	for (;;) {
		ssize_t r = read(fds[0], chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (b.n + (size_t)r > PV_ISOLATE_MAX) {
			too_big = true;
			kill(pid, SIGKILL);
			break;
		}
		put(&b, chunk, (size_t)r);
	}
	close(fds[0]);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	enum pv_isolate_status res = PV_ISOLATE_OK;
	bool oom = false;
	if (b.oom) {
		res = PV_ISOLATE_FAILED;
	} else if (too_big) {
		snprintf(msg, msglen, "code analysis produced more than %u bytes of findings", PV_ISOLATE_MAX);
		res = PV_ISOLATE_CRASHED;
	} else if (WIFSIGNALED(st)) {
		snprintf(msg, msglen, "code analysis crashed (signal %d): the parser could not handle this code",
		         WTERMSIG(st));
		res = PV_ISOLATE_CRASHED;
	} else {
		int d = decode(b.p, b.n, out, counter, &oom);
		if (d < 0 || oom)
			res = PV_ISOLATE_FAILED;
		else if (d == 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			snprintf(msg, msglen, "code analysis ended without a result (exit status %d)",
			         WIFEXITED(st) ? WEXITSTATUS(st) : -1);
			res = PV_ISOLATE_CRASHED;
		}
	}
	free(b.p);
	return res;
}
