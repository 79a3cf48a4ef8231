/* approvals.c - read, query and atomically rewrite approval files.
 *
 * The format is ours and small, so it has its own parser rather than inih:
 * no line-length limit (npm names reach 214 bytes), exact line numbers in
 * every error, and nothing accepted that the writer would not produce
 * (apart from comments and blank lines). */
#include "approvals.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "decision_log.h" /* pv_utc_time, pv_user_name, pv_home_dir, pv_mkdir_parents */

#define APPROVALS_MAX_BYTES (64u << 20) /* a bigger approval file is refused */

/* ---- field checks ------------------------------------------------------ */

static bool is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static bool valid_ecosystem(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

/* Names and versions: non-empty, no whitespace or control characters. */
static bool valid_word(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (is_ctl((unsigned char)s[i]) || s[i] == ' ')
			return false;
	return true;
}

/* "algo:value", algo lowercase alphanumeric, value hex/base64/base64url. */
static bool valid_digest(const char *s)
{
	const char *c = strchr(s, ':');
	if (!c || c == s || !valid_ecosystem(s, (size_t)(c - s)) || !c[1])
		return false;
	for (const char *p = c + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '+' || *p == '/' || *p == '=' || *p == '_' || *p == '-'))
			return false;
	return true;
}

static int num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "YYYY-MM-DDTHH:MM:SSZ" */
static bool valid_time(const char *s)
{
	if (strlen(s) != PV_TIME_LEN - 1 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return false;
	int y = num(s, 4), mo = num(s + 5, 2), d = num(s + 8, 2);
	int h = num(s + 11, 2), mi = num(s + 14, 2), sec = num(s + 17, 2);
	return y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 23 &&
	       mi >= 0 && mi <= 59 && sec >= 0 && sec <= 60;
}

/* by: non-empty, no control characters, no surrounding whitespace. */
static bool valid_by(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || is_space((unsigned char)s[0]) || is_space((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (is_ctl((unsigned char)s[i]))
			return false;
	return true;
}

#define PERM_MASK ((1u << PV_PERM__COUNT) - 1)

/* Permission indices in alphabetical order of their names. */
static void perms_sorted(int order[PV_PERM__COUNT])
{
	for (int i = 0; i < PV_PERM__COUNT; i++)
		order[i] = i;
	for (int i = 1; i < PV_PERM__COUNT; i++)
		for (int j = i; j > 0 && strcmp(pv_perm_name((enum pv_perm)order[j - 1]),
		                                pv_perm_name((enum pv_perm)order[j])) > 0; j--) {
			int t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
}

int pv_perms_format(unsigned bits, char *buf, size_t n)
{
	int order[PV_PERM__COUNT];
	perms_sorted(order);
	size_t o = 0;
	if (n == 0)
		return -1;
	buf[0] = 0;
	bits &= PERM_MASK;
	if (!bits) {
		int len = snprintf(buf, n, "%s", "none");
		return len < 0 || (size_t)len >= n ? -1 : 0;
	}
	for (int i = 0; i < PV_PERM__COUNT; i++) {
		if (!(bits & (1u << order[i])))
			continue;
		int len = snprintf(buf + o, n - o, "%s%s", o ? ", " : "", pv_perm_name((enum pv_perm)order[i]));
		if (len < 0 || (size_t)len >= n - o)
			return -1;
		o += (size_t)len;
	}
	return 0;
}

/* Parse "a, b, c" (or "none", or nothing). Returns 0, or -1 with the
 * offending name in bad. */
static int perms_parse(const char *s, unsigned *out, char *bad, size_t badlen)
{
	unsigned bits = 0;
	if (strcmp(s, "none") == 0 || !*s) {
		*out = 0;
		return 0;
	}
	const char *p = s;
	for (;;) {
		while (is_space((unsigned char)*p))
			p++;
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		while (n && is_space((unsigned char)p[n - 1]))
			n--;
		int found = -1;
		for (int i = 0; i < PV_PERM__COUNT && found < 0; i++) {
			const char *name = pv_perm_name((enum pv_perm)i);
			if (strlen(name) == n && memcmp(name, p, n) == 0)
				found = i;
		}
		if (found < 0) {
			snprintf(bad, badlen, "%.*s", (int)(n > 64 ? 64 : n), p);
			return -1;
		}
		bits |= 1u << found;
		if (!e)
			break;
		p = e + 1;
	}
	*out = bits;
	return 0;
}

/* ---- ordering ---------------------------------------------------------- */

/* Versions in natural order: runs of digits compare by value. Equal
 * values with different spellings ("01" and "1") fall back to bytes. */
static int natcmp(const char *a, const char *b)
{
	const char *a0 = a, *b0 = b;
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			while (*a == '0' && a[1] >= '0' && a[1] <= '9')
				a++;
			while (*b == '0' && b[1] >= '0' && b[1] <= '9')
				b++;
			size_t la = 0, lb = 0;
			while (a[la] >= '0' && a[la] <= '9')
				la++;
			while (b[lb] >= '0' && b[lb] <= '9')
				lb++;
			if (la != lb)
				return la < lb ? -1 : 1;
			int r = memcmp(a, b, la);
			if (r)
				return r;
			a += la;
			b += lb;
		} else {
			if (*a != *b)
				return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
			a++;
			b++;
		}
	}
	if (*a || *b)
		return *a ? 1 : -1;
	return strcmp(a0, b0);
}

static int key_cmp(const char *eco_a, const char *name_a, const char *ver_a,
                   const char *eco_b, const char *name_b, const char *ver_b)
{
	int r = strcmp(eco_a, eco_b);
	if (!r)
		r = strcmp(name_a, name_b);
	if (!r)
		r = natcmp(ver_a, ver_b);
	return r;
}

static int approval_cmp(const void *pa, const void *pb)
{
	const struct pv_approval *a = pa, *b = pb;
	return key_cmp(a->ecosystem, a->name, a->version, b->ecosystem, b->name, b->version);
}

/* ---- the store --------------------------------------------------------- */

static void approval_clear(struct pv_approval *a)
{
	free(a->ecosystem);
	free(a->name);
	free(a->version);
	free(a->digest);
	free(a->approved);
	free(a->by);
	memset(a, 0, sizeof *a);
}

void pv_approvals_free(struct pv_approvals *st)
{
	for (size_t i = 0; i < st->n; i++)
		approval_clear(&st->v[i]);
	free(st->v);
	free(st->file);
	memset(st, 0, sizeof *st);
}

static struct pv_approval *store_add(struct pv_approvals *st)
{
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 16;
		struct pv_approval *v = realloc(st->v, cap * sizeof *v);
		if (!v)
			return NULL;
		st->v = v;
		st->cap = cap;
	}
	struct pv_approval *a = &st->v[st->n++];
	memset(a, 0, sizeof *a);
	return a;
}

static char *dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

/* ---- parsing ----------------------------------------------------------- */

struct parser {
	struct pv_approvals *st;
	const char *name;
	char *err;
	size_t errlen;
	unsigned line;
	struct pv_approval *cur;
	bool has_digest, has_perms, has_approved, has_by;
};

static int perr(struct parser *p, unsigned line, const char *what, const char *arg)
{
	snprintf(p->err, p->errlen, "%s:%u: %s%.*s", p->name, line, what, 100, arg ? arg : "");
	return -1;
}

static int section_end(struct parser *p)
{
	if (p->cur && (!p->has_digest || !p->has_perms))
		return perr(p, p->cur->line, "approval needs digest and permissions", NULL);
	return 0;
}

static int on_header(struct parser *p, const char *s, size_t n)
{
	if (section_end(p) != 0)
		return -1;
	/* s is "[...]" */
	const char *in = s + 1;
	size_t len = n - 2;
	const char *colon = memchr(in, ':', len);
	const char *at = NULL;
	for (size_t i = len; i > 0; i--)
		if (in[i - 1] == '@') {
			at = in + i - 1;
			break;
		}
	if (!colon || !at || at < colon || !valid_ecosystem(in, (size_t)(colon - in)) ||
	    !valid_word(colon + 1, (size_t)(at - colon - 1)) || !valid_word(at + 1, (size_t)(in + len - at - 1))) {
		char *h = dupn(s, n);
		perr(p, p->line, "invalid section header (expected [ECOSYSTEM:NAME@VERSION]): ", h);
		free(h);
		return -1;
	}
	struct pv_approval *a = store_add(p->st);
	if (!a)
		return perr(p, p->line, "out of memory", NULL);
	a->line = p->line;
	a->ecosystem = dupn(in, (size_t)(colon - in));
	a->name = dupn(colon + 1, (size_t)(at - colon - 1));
	a->version = dupn(at + 1, (size_t)(in + len - at - 1));
	if (!a->ecosystem || !a->name || !a->version)
		return perr(p, p->line, "out of memory", NULL);
	p->cur = a;
	p->has_digest = p->has_perms = p->has_approved = p->has_by = false;
	return 0;
}

static int set_key(struct parser *p, bool *seen, char **dst, const char *key, const char *val)
{
	if (*seen)
		return perr(p, p->line, "key repeated in this section: ", key);
	*seen = true;
	if (dst) {
		*dst = strdup(val);
		if (!*dst)
			return perr(p, p->line, "out of memory", NULL);
	}
	return 0;
}

static int on_key(struct parser *p, const char *key, const char *val)
{
	struct pv_approval *a = p->cur;
	if (!a)
		return perr(p, p->line, "key outside any [ECOSYSTEM:NAME@VERSION] section: ", key);
	if (strcmp(key, "digest") == 0) {
		if (!valid_digest(val))
			return perr(p, p->line, "invalid digest (expected ALGORITHM:VALUE, e.g. sha256:<hex>): ", val);
		return set_key(p, &p->has_digest, &a->digest, key, val);
	}
	if (strcmp(key, "permissions") == 0) {
		char bad[80];
		if (set_key(p, &p->has_perms, NULL, key, val) != 0)
			return -1;
		if (perms_parse(val, &a->perms, bad, sizeof bad) != 0)
			return perr(p, p->line, "unknown permission: ", bad);
		return 0;
	}
	if (strcmp(key, "approved") == 0) {
		if (!valid_time(val))
			return perr(p, p->line, "invalid time (expected YYYY-MM-DDTHH:MM:SSZ): ", val);
		return set_key(p, &p->has_approved, &a->approved, key, val);
	}
	if (strcmp(key, "by") == 0) {
		if (!valid_by(val))
			return perr(p, p->line, "invalid value of by: ", val);
		return set_key(p, &p->has_by, &a->by, key, val);
	}
	return perr(p, p->line, "unknown key (digest, permissions, approved or by): ", key);
}

static int parse_line(struct parser *p, const char *s, size_t n)
{
	while (n && (is_space((unsigned char)s[n - 1]) || s[n - 1] == '\r'))
		n--;
	while (n && is_space((unsigned char)*s)) {
		s++;
		n--;
	}
	if (n == 0 || *s == ';' || *s == '#')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (is_ctl((unsigned char)s[i]) && s[i] != '\t')
			return perr(p, p->line, "control character in line", NULL);
	if (*s == '[') {
		if (s[n - 1] != ']' || n < 2)
			return perr(p, p->line, "section header without closing ']'", NULL);
		return on_header(p, s, n);
	}
	const char *eq = memchr(s, '=', n);
	if (!eq)
		return perr(p, p->line, "syntax error (expected [ECOSYSTEM:NAME@VERSION] or key = value)", NULL);
	size_t kn = (size_t)(eq - s), vo = kn + 1;
	while (kn && is_space((unsigned char)s[kn - 1]))
		kn--;
	while (vo < n && is_space((unsigned char)s[vo]))
		vo++;
	char key[32];
	if (kn == 0 || kn >= sizeof key)
		return perr(p, p->line, "syntax error (expected key = value)", NULL);
	memcpy(key, s, kn);
	key[kn] = 0;
	char *val = dupn(s + vo, n - vo);
	if (!val)
		return perr(p, p->line, "out of memory", NULL);
	int rc = on_key(p, key, val);
	free(val);
	return rc;
}

int pv_approvals_parse(struct pv_approvals *st, const char *text, size_t len, const char *name,
                       char *err, size_t errlen)
{
	struct parser p = {.st = st, .name = name, .err = err, .errlen = errlen};
	if (memchr(text, 0, len)) {
		const char *z = memchr(text, 0, len);
		unsigned line = 1;
		for (const char *c = text; c < z; c++)
			line += *c == '\n';
		perr(&p, line, "NUL byte in file", NULL);
		goto fail;
	}
	const char *s = text, *end = text + len;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		p.line++;
		if (parse_line(&p, s, (size_t)(e - s)) != 0)
			goto fail;
		s = nl ? nl + 1 : end;
	}
	if (section_end(&p) != 0)
		goto fail;
	if (st->n > 1) {
		qsort(st->v, st->n, sizeof *st->v, approval_cmp);
		for (size_t i = 1; i < st->n; i++) {
			struct pv_approval *a = &st->v[i - 1], *b = &st->v[i];
			if (approval_cmp(a, b) == 0) {
				unsigned first = a->line < b->line ? a->line : b->line;
				unsigned second = a->line < b->line ? b->line : a->line;
				char msg[64];
				snprintf(msg, sizeof msg, "approval repeated (first at line %u)", first);
				perr(&p, second, msg, NULL);
				goto fail;
			}
		}
	}
	return 0;
fail:;
	char *file = st->file;
	st->file = NULL;
	pv_approvals_free(st);
	st->file = file;
	return -1;
}

static int load(struct pv_approvals *st, const char *path, char *err, size_t errlen)
{
	memset(st, 0, sizeof *st);
	st->file = strdup(path);
	if (!st->file) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	struct stat sb;
	if (fstat(fd, &sb) != 0) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
		         S_ISDIR(sb.st_mode) ? "is a directory" : "not a regular file");
		close(fd);
		return -1;
	}
	if ((unsigned long long)sb.st_size > APPROVALS_MAX_BYTES) {
		snprintf(err, errlen, "%s: too large (over %u bytes)", path, APPROVALS_MAX_BYTES);
		close(fd);
		return -1;
	}
	size_t cap = (size_t)sb.st_size + 1, len = 0;
	char *buf = malloc(cap);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		close(fd);
		return -1;
	}
	for (;;) {
		if (len == cap) { /* the file grew since fstat */
			if (cap > APPROVALS_MAX_BYTES) {
				snprintf(err, errlen, "%s: too large (over %u bytes)", path, APPROVALS_MAX_BYTES);
				goto fail;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				snprintf(err, errlen, "%s: out of memory", path);
				goto fail;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	int rc = pv_approvals_parse(st, buf, len, path, err, errlen);
	free(buf);
	return rc;
fail:
	close(fd);
	free(buf);
	return -1;
}

int pv_approvals_load(struct pv_approvals *st, const char *path, char *err, size_t errlen)
{
	if (load(st, path, err, errlen) == 0)
		return 0;
	pv_approvals_free(st);
	return -1;
}

/* ---- queries ----------------------------------------------------------- */

static const struct pv_approval *find_version(const struct pv_approvals *st, const char *ecosystem,
                                              const char *name, const char *version)
{
	size_t lo = 0, hi = st->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct pv_approval *a = &st->v[mid];
		int r = key_cmp(a->ecosystem, a->name, a->version, ecosystem, name, version);
		if (r == 0)
			return a;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct pv_approval *pv_approval_find(const struct pv_approvals *st, const char *ecosystem,
                                           const char *name, const char *version,
                                           const char *digest)
{
	if (!st || !ecosystem || !name || !version || !digest || !*digest)
		return NULL;
	const struct pv_approval *a = find_version(st, ecosystem, name, version);
	return a && a->digest && strcmp(a->digest, digest) == 0 ? a : NULL;
}

unsigned pv_approvals_added_perms(const struct pv_approval *rec, unsigned current_perms)
{
	current_perms &= PERM_MASK;
	return rec ? current_perms & ~rec->perms : current_perms;
}

bool pv_approval_covers(const struct pv_approvals *st, const char *ecosystem, const char *name,
                        const char *version, const char *digest, unsigned current_perms)
{
	const struct pv_approval *a = pv_approval_find(st, ecosystem, name, version, digest);
	return a && pv_approvals_added_perms(a, current_perms) == 0;
}

const struct pv_approval *pv_approval_latest_other(const struct pv_approvals *st,
                                                   const char *ecosystem, const char *name,
                                                   const char *version)
{
	const struct pv_approval *best = NULL;
	if (!st || !ecosystem || !name)
		return NULL;
	for (size_t i = 0; i < st->n; i++) {
		const struct pv_approval *a = &st->v[i];
		if (strcmp(a->ecosystem, ecosystem) != 0 || strcmp(a->name, name) != 0 ||
		    (version && strcmp(a->version, version) == 0))
			continue;
		if (!best) {
			best = a;
			continue;
		}
		/* Later time wins; a record with a time beats one without. */
		const char *ta = a->approved ? a->approved : "", *tb = best->approved ? best->approved : "";
		int r = strcmp(ta, tb);
		if (r > 0 || (r == 0 && natcmp(a->version, best->version) > 0))
			best = a;
	}
	return best;
}

/* ---- writing ----------------------------------------------------------- */

/* Append to a growing buffer. */
struct sbuf {
	char *s;
	size_t n, cap;
	bool oom;
};

static void sb_add(struct sbuf *b, const char *s)
{
	size_t l = strlen(s);
	if (b->oom)
		return;
	if (b->n + l + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + l + 1)
			cap *= 2;
		char *ns = realloc(b->s, cap);
		if (!ns) {
			b->oom = true;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, l + 1);
	b->n += l;
}

char *pv_approvals_format(const struct pv_approvals *st)
{
	struct sbuf b = {0};
	sb_add(&b, "");
	for (size_t i = 0; i < st->n; i++) {
		const struct pv_approval *a = &st->v[i];
		char perms[256];
		if (pv_perms_format(a->perms, perms, sizeof perms) != 0)
			b.oom = true;
		if (i)
			sb_add(&b, "\n");
		sb_add(&b, "[");
		sb_add(&b, a->ecosystem);
		sb_add(&b, ":");
		sb_add(&b, a->name);
		sb_add(&b, "@");
		sb_add(&b, a->version);
		sb_add(&b, "]\ndigest = ");
		sb_add(&b, a->digest ? a->digest : "");
		sb_add(&b, "\npermissions = ");
		sb_add(&b, perms);
		sb_add(&b, "\n");
		if (a->approved) {
			sb_add(&b, "approved = ");
			sb_add(&b, a->approved);
			sb_add(&b, "\n");
		}
		if (a->by) {
			sb_add(&b, "by = ");
			sb_add(&b, a->by);
			sb_add(&b, "\n");
		}
	}
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

static int check_record(const struct pv_approval *r, char *err, size_t errlen)
{
	const char *what = NULL;
	if (!r->ecosystem || !valid_ecosystem(r->ecosystem, strlen(r->ecosystem)))
		what = "ecosystem";
	else if (!r->name || !valid_word(r->name, strlen(r->name)))
		what = "name";
	else if (!r->version || !valid_word(r->version, strlen(r->version)) || strchr(r->version, '@'))
		what = "version";
	else if (!r->digest || !valid_digest(r->digest))
		what = "digest";
	else if (r->approved && !valid_time(r->approved))
		what = "approved time";
	else if (r->by && !valid_by(r->by))
		what = "approver (by)";
	if (what) {
		snprintf(err, errlen, "cannot record approval: invalid %s", what);
		return -1;
	}
	return 0;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Write text to a temporary file next to path and rename it over path. */
static int replace_file(const char *path, const char *text, char *err, size_t errlen)
{
	size_t pl = strlen(path);
	char *tmp = malloc(pl + sizeof ".tmp.XXXXXX");
	if (!tmp) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	memcpy(tmp, path, pl);
	memcpy(tmp + pl, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a temporary file next to %s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	if (write_all(fd, text, strlen(text)) != 0 || fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (close(fd) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot replace %s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	/* Make the rename itself durable. Some file systems cannot fsync a
	 * directory; the data is already safe, so that is not an error. */
	char *dir = strdup(path);
	if (dir) {
		char *slash = strrchr(dir, '/');
		const char *d = ".";
		if (slash) {
			slash[slash == dir] = 0; /* "/file" -> "/" */
			d = dir;
		}
		int dfd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			(void)fsync(dfd);
			close(dfd);
		}
		free(dir);
	}
	return 0;
}

/* Move the fields of *src into *dst (by copying strings). */
static int copy_record(struct pv_approval *dst, const struct pv_approval *src)
{
	memset(dst, 0, sizeof *dst);
	dst->ecosystem = strdup(src->ecosystem);
	dst->name = strdup(src->name);
	dst->version = strdup(src->version);
	dst->digest = strdup(src->digest);
	dst->approved = src->approved ? strdup(src->approved) : NULL;
	dst->by = src->by ? strdup(src->by) : NULL;
	dst->perms = src->perms & PERM_MASK;
	if (!dst->ecosystem || !dst->name || !dst->version || !dst->digest ||
	    (src->approved && !dst->approved) || (src->by && !dst->by)) {
		approval_clear(dst);
		return -1;
	}
	return 0;
}

int pv_approvals_record(const char *path, const struct pv_approval *rec, char *err, size_t errlen)
{
	struct pv_approval r = *rec;
	char now[PV_TIME_LEN], user[256];
	if (!r.approved) {
		pv_utc_time(time(NULL), now);
		r.approved = now;
	}
	if (!r.by && pv_user_name(user, sizeof user) == 0)
		r.by = user;
	if (check_record(&r, err, errlen) != 0)
		return -1;

	char derr[512];
	if (pv_mkdir_parents(path, 0755, derr, sizeof derr) != 0) {
		snprintf(err, errlen, "cannot record approval: %s", derr);
		return -1;
	}
	size_t pl = strlen(path);
	char *lockpath = malloc(pl + sizeof ".lock");
	if (!lockpath) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	memcpy(lockpath, path, pl);
	memcpy(lockpath + pl, ".lock", sizeof ".lock");
	int lfd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
	if (lfd < 0) {
		snprintf(err, errlen, "cannot open lock file %s: %s", lockpath, strerror(errno));
		free(lockpath);
		return -1;
	}
	while (flock(lfd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			snprintf(err, errlen, "cannot lock %s: %s", lockpath, strerror(errno));
			close(lfd);
			free(lockpath);
			return -1;
		}
	}
	free(lockpath);

	/* Under the lock: read what other processes recorded, merge, write. */
	struct pv_approvals st;
	int rc = -1;
	if (pv_approvals_load(&st, path, err, errlen) != 0)
		goto out;
	struct pv_approval *slot = (struct pv_approval *)find_version(&st, r.ecosystem, r.name, r.version);
	struct pv_approval fresh;
	if (copy_record(&fresh, &r) != 0) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	if (slot) {
		fresh.line = slot->line;
		approval_clear(slot);
		*slot = fresh;
	} else {
		struct pv_approval *a = store_add(&st);
		if (!a) {
			approval_clear(&fresh);
			snprintf(err, errlen, "%s: out of memory", path);
			goto out;
		}
		*a = fresh;
		qsort(st.v, st.n, sizeof *st.v, approval_cmp);
	}
	char *text = pv_approvals_format(&st);
	if (!text) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	rc = replace_file(path, text, err, errlen);
	free(text);
out:
	pv_approvals_free(&st);
	close(lfd); /* releases the lock */
	return rc;
}

/* ---- places ------------------------------------------------------------ */

int pv_approvals_user_path(char *buf, size_t n, char *err, size_t errlen)
{
	const char *cfg = getenv("XDG_CONFIG_HOME");
	int len;
	if (cfg && cfg[0] == '/') {
		len = snprintf(buf, n, "%s/pkgvet/approvals.ini", cfg);
	} else {
		char home[PATH_MAX];
		if (pv_home_dir(home, sizeof home) != 0) {
			snprintf(err, errlen, "%s", "cannot place the approval file: no home directory (set HOME or XDG_CONFIG_HOME)");
			return -1;
		}
		len = snprintf(buf, n, "%s/.config/pkgvet/approvals.ini", home);
	}
	if (len < 0 || (size_t)len >= n) {
		snprintf(err, errlen, "%s", "cannot place the approval file: path too long");
		return -1;
	}
	return 0;
}

int pv_approvals_project_path(const char *root, char *buf, size_t n)
{
	size_t rl = strlen(root);
	while (rl > 0 && root[rl - 1] == '/')
		rl--; /* "/" becomes "", giving "/.pkgvet-approvals.ini" */
	int len = snprintf(buf, n, "%.*s/.pkgvet-approvals.ini", (int)rl, root);
	return len < 0 || (size_t)len >= n ? -1 : 0;
}
