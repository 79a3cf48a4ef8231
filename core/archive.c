/* archive.c - read a package archive (tar, optionally gzip/bzip2/xz/zstd
 * compressed, or zip/wheel) into memory with libarchive, under limits a
 * hostile package cannot get past. Nothing is extracted: every file's
 * bytes are read into a buffer that grows as data arrives (a size from a
 * header is never trusted), and links are judged, never followed.
 *
 * Also holds the bookkeeping shared with dirwalk.c (tree_internal.h):
 * the path rules, the limits, findings and adding entries. */
#include "pkgtree.h"
#include "tree_internal.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MiB (1024ull * 1024ull)

void pv_limits_default(struct pv_limits *l)
{
	l->max_total = 256 * MiB;
	l->max_entry = 64 * MiB;
	l->max_ratio = 100;
	l->ratio_floor = 8 * MiB;
	l->max_entries = 20000;
	l->max_depth = 40;
	l->max_path = 1024;
}

void pv_tree_free(struct pv_tree *tree)
{
	if (!tree)
		return;
	for (size_t i = 0; i < tree->n; i++) {
		free(tree->v[i].path);
		free(tree->v[i].data);
	}
	free(tree->v);
	memset(tree, 0, sizeof *tree);
}

/* ---------------------------------------------------------------------
 * Shared bookkeeping (tree_internal.h)
 * ------------------------------------------------------------------- */

/* Beyond this, buffer arithmetic could overflow: no limit goes above it. */
#define PV_BYTES_CAP ((uint64_t)SIZE_MAX / 4)

void pv_reader_init(struct pv_reader *r, const struct pv_limits *lim, struct pv_tree *tree,
                    struct pv_findings *out, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	if (lim)
		r->lim = *lim;
	else
		pv_limits_default(&r->lim);
	if (r->lim.max_total > PV_BYTES_CAP)
		r->lim.max_total = PV_BYTES_CAP;
	if (r->lim.max_entry > PV_BYTES_CAP)
		r->lim.max_entry = PV_BYTES_CAP;
	memset(tree, 0, sizeof *tree);
	r->tree = tree;
	r->out = out;
	r->err = err;
	r->errlen = errlen;
	if (err && errlen)
		err[0] = 0;
}

void pv_reader_fini(struct pv_reader *r)
{
	free(r->set);
	r->set = NULL;
	r->setcap = 0;
}

void pv_human_size(uint64_t n, char *buf, size_t len)
{
	static const char *const unit[] = {"KiB", "MiB", "GiB", "TiB"};
	if (n < 1024) {
		snprintf(buf, len, "%llu bytes", (unsigned long long)n);
		return;
	}
	double v = (double)n / 1024.0;
	int u = 0;
	while (v >= 1024.0 && u < 3) {
		v /= 1024.0;
		u++;
	}
	if (v == (double)(uint64_t)v)
		snprintf(buf, len, "%llu %s", (unsigned long long)v, unit[u]);
	else
		snprintf(buf, len, "%.1f %s", v, unit[u]);
}

/* A name quoted in a detail: at most this many bytes, cut on a UTF-8
 * boundary, "..." appended. The bytes are kept raw (escaped at output). */
#define PV_NAME_IN_DETAIL 160

static const char *short_name(const char *s, char *buf, size_t len)
{
	size_t n = strlen(s);
	if (n <= PV_NAME_IN_DETAIL || len < PV_NAME_IN_DETAIL + 4)
		return s;
	n = PV_NAME_IN_DETAIL;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	memcpy(buf, s, n);
	memcpy(buf + n, "...", 4);
	return buf;
}

void pv_reader_finding(struct pv_reader *r, const char *file, const char *fmt, ...)
{
	char detail[1024];
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	if (k >= (int)sizeof detail) { /* cut short: do not end inside a UTF-8 sequence */
		size_t n = sizeof detail - 1;
		while (n > 0 && ((unsigned char)detail[n] & 0xC0) == 0x80)
			n--;
		detail[n] = 0;
	}
	r->hostile = true;
	if (pv_findings_add(r->out, "malformed-archive", file, 0, NULL, 0, detail, false) < 0)
		r->oom = true;
}

void pv_reader_fail(struct pv_reader *r, const char *fmt, ...)
{
	if (!r->err || !r->errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	/* One line, no terminal control bytes: the text may quote libarchive,
	 * which may quote the archive. */
	for (char *p = r->err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

static bool is_sep(char c, bool archive_names)
{
	return c == '/' || (archive_names && c == '\\');
}

static bool is_absolute(const char *s, bool archive_names)
{
	if (s[0] == '/')
		return true;
	if (!archive_names)
		return false;
	if (s[0] == '\\')
		return true;
	/* "C:\x", "C:x", "C:" - a Windows drive. */
	return ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')) && s[1] == ':';
}

/* Does the relative path s, taken from a directory `depth` levels below
 * the root, climb above the root? Separators as is_sep(). */
static bool climbs_out(const char *s, uint64_t depth, bool archive_names)
{
	const char *p = s;
	while (*p) {
		const char *q = p;
		while (*q && !is_sep(*q, archive_names))
			q++;
		size_t n = (size_t)(q - p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (depth == 0)
				return true;
			depth--;
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			depth++;
		}
		p = *q ? q + 1 : q;
	}
	return false;
}

enum norm_result { NORM_OK, NORM_EMPTY, NORM_ABSOLUTE, NORM_ESCAPES, NORM_OOM };

/* Normalise raw: drop "", "." components, resolve "..", join with '/'.
 * In archives '\' is also a separator, for the checks and in zip names;
 * in a tar name a '\' is kept as a character once the checks pass (it is
 * an ordinary byte on the systems npm and pip extract tars on). */
static enum norm_result normalise(const char *raw, bool archive_names, bool bs_out,
                                  char **out, uint32_t *depth)
{
	*out = NULL;
	*depth = 0;
	if (is_absolute(raw, archive_names))
		return NORM_ABSOLUTE;
	if (climbs_out(raw, 0, archive_names))
		return NORM_ESCAPES;
	size_t len = strlen(raw);
	char *o = malloc(len + 1);
	size_t *starts = malloc((len / 2 + 2) * sizeof *starts);
	if (!o || !starts) {
		free(o);
		free(starts);
		return NORM_OOM;
	}
	size_t olen = 0, ncomp = 0;
	const char *p = raw;
	while (*p) {
		const char *q = p;
		while (*q && !(*q == '/' || (bs_out && *q == '\\')))
			q++;
		size_t n = (size_t)(q - p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (ncomp == 0) {
				/* "a\b/../.." passes the check above but not this view. */
				free(o);
				free(starts);
				return NORM_ESCAPES;
			}
			olen = starts[--ncomp];
			if (olen > 0)
				olen--; /* the '/' before it */
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			if (ncomp > 0)
				o[olen++] = '/';
			starts[ncomp++] = olen;
			memcpy(o + olen, p, n);
			olen += n;
		}
		p = *q ? q + 1 : q;
	}
	o[olen] = 0;
	free(starts);
	if (olen == 0) {
		free(o);
		return NORM_EMPTY;
	}
	*out = o;
	*depth = ncomp > UINT32_MAX ? UINT32_MAX : (uint32_t)ncomp;
	return NORM_OK;
}

static const char *kind_name(enum pv_kind kind)
{
	switch (kind) {
	case PV_KIND_FILE: return "file";
	case PV_KIND_DIR: return "directory";
	case PV_KIND_LINK: return "link";
	default: return "entry";
	}
}

/* Counts one entry of any type; false (and a finding) past the limit. */
static bool count_entry(struct pv_reader *r)
{
	if (r->entries >= r->lim.max_entries) {
		pv_reader_finding(r, NULL, "package has more than %lu entries (entry limit)",
		                  (unsigned long)r->lim.max_entries);
		return false;
	}
	r->entries++;
	return true;
}

enum pv_step pv_reader_begin(struct pv_reader *r, const char *raw, enum pv_kind kind, char **norm)
{
	char sb[PV_NAME_IN_DETAIL + 4];
	*norm = NULL;
	if (!count_entry(r))
		return PV_STEP_STOP;
	size_t len = strlen(raw);
	if (len > r->lim.max_path) {
		pv_reader_finding(r, NULL, "an entry name is %zu bytes long (limit %lu): %s", len,
		                  (unsigned long)r->lim.max_path, short_name(raw, sb, sizeof sb));
		return PV_STEP_STOP;
	}
	uint32_t depth;
	bool bs_out = r->archive_names && strcmp(r->tree->format, "zip") == 0;
	switch (normalise(raw, r->archive_names, bs_out, norm, &depth)) {
	case NORM_OOM:
		r->oom = true;
		return PV_STEP_STOP;
	case NORM_ABSOLUTE:
		pv_reader_finding(r, raw, "entry %s has an absolute path", short_name(raw, sb, sizeof sb));
		return PV_STEP_STOP;
	case NORM_ESCAPES:
		pv_reader_finding(r, raw, "entry %s escapes the package root", short_name(raw, sb, sizeof sb));
		return PV_STEP_STOP;
	case NORM_EMPTY:
		/* "./" - the root itself - is common in tars; anything else
		 * with no name is not. */
		if (kind != PV_KIND_DIR)
			pv_reader_finding(r, NULL, "a %s entry has an empty name (\"%s\")", kind_name(kind),
			                  short_name(raw, sb, sizeof sb));
		return PV_STEP_SKIP;
	case NORM_OK:
		break;
	}
	if (depth > r->lim.max_depth) {
		pv_reader_finding(r, *norm, "entry %s is nested %lu levels deep (limit %lu)",
		                  short_name(*norm, sb, sizeof sb), (unsigned long)depth,
		                  (unsigned long)r->lim.max_depth);
		free(*norm);
		*norm = NULL;
		return PV_STEP_STOP;
	}
	return PV_STEP_OK;
}

void pv_reader_link(struct pv_reader *r, const char *norm, const char *target, bool hard)
{
	char sb[PV_NAME_IN_DETAIL + 4], tb[PV_NAME_IN_DETAIL + 4];
	const char *what = hard ? "hard link" : "symbolic link";
	if (!target || !*target) {
		pv_reader_finding(r, norm, "%s %s has an empty target", what, short_name(norm, sb, sizeof sb));
		return;
	}
	if (is_absolute(target, true)) {
		pv_reader_finding(r, norm, "%s %s points to the absolute path %s", what,
		                  short_name(norm, sb, sizeof sb), short_name(target, tb, sizeof tb));
		return;
	}
	/* A symlink resolves from its own directory, a hard link from the
	 * root. '\' counts as a separator: the link could be extracted on
	 * Windows. */
	uint64_t depth = 0;
	if (!hard)
		for (const char *p = norm; *p; p++)
			if (*p == '/')
				depth++;
	if (climbs_out(target, depth, true))
		pv_reader_finding(r, norm, "%s %s points outside the package (%s)", what,
		                  short_name(norm, sb, sizeof sb), short_name(target, tb, sizeof tb));
}

enum pv_step pv_reader_account(struct pv_reader *r, const char *norm, uint64_t entry_len, size_t n)
{
	char sb[PV_NAME_IN_DETAIL + 4], hb[32];
	r->bytes += n;
	if (entry_len > r->lim.max_entry) {
		pv_human_size(r->lim.max_entry, hb, sizeof hb);
		pv_reader_finding(r, norm, "entry %s is larger than %s (per-entry limit)",
		                  short_name(norm, sb, sizeof sb), hb);
		return PV_STEP_STOP;
	}
	if (r->bytes > r->lim.max_total) {
		pv_human_size(r->lim.max_total, hb, sizeof hb);
		pv_reader_finding(r, NULL, "package expands to more than %s (total limit), at entry %s", hb,
		                  short_name(norm, sb, sizeof sb));
		return PV_STEP_STOP;
	}
	return PV_STEP_OK;
}

static size_t hash_path(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return (size_t)h;
}

/* Slot of path in the set: where it is, or the empty slot where it goes. */
static size_t set_slot(const struct pv_reader *r, const char *path)
{
	size_t mask = r->setcap - 1, i = hash_path(path) & mask;
	while (r->set[i] && strcmp(r->tree->v[r->set[i] - 1].path, path) != 0)
		i = (i + 1) & mask;
	return i;
}

static int set_grow(struct pv_reader *r)
{
	size_t cap = r->setcap ? r->setcap * 2 : 256;
	size_t *old = r->set, oldcap = r->setcap;
	r->set = calloc(cap, sizeof *r->set);
	if (!r->set) {
		r->set = old;
		return -1;
	}
	r->setcap = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i])
			r->set[set_slot(r, r->tree->v[old[i] - 1].path)] = old[i];
	free(old);
	return 0;
}

int pv_reader_add(struct pv_reader *r, char *path, char *data, size_t len, uint32_t mode)
{
	struct pv_tree *t = r->tree;
	if ((t->n + 1) * 2 > r->setcap && set_grow(r) < 0)
		goto oom;
	size_t slot = set_slot(r, path);
	if (r->set[slot]) {
		/* Extraction writes entries in order: the last copy is the one
		 * that would be installed, so it is the one vetted. */
		char sb[PV_NAME_IN_DETAIL + 4];
		struct pv_entry *e = &t->v[r->set[slot] - 1];
		pv_reader_finding(r, path, "entry %s appears more than once: an installer keeps only the last copy",
		                  short_name(path, sb, sizeof sb));
		t->total -= e->len;
		free(e->data);
		free(path);
		e->data = data;
		e->len = len;
		e->mode = mode;
		t->total += len;
		return 0;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct pv_entry *v = realloc(t->v, cap * sizeof *v);
		if (!v)
			goto oom;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n] = (struct pv_entry){.path = path, .data = data, .len = len, .mode = mode};
	t->n++;
	t->total += len;
	r->set[slot] = t->n;
	return 0;
oom:
	free(path);
	free(data);
	r->oom = true;
	return -1;
}

long long pv_buf_room(struct pv_buf *b, uint64_t max, uint64_t hint)
{
	uint64_t ceiling = max + 2; /* max+1 data bytes and the NUL */
	if (b->cap == 0) {
		uint64_t c = hint + 1;
		if (c > MiB)
			c = MiB;
		if (c < 4096)
			c = 4096;
		if (c > ceiling)
			c = ceiling;
		b->p = malloc((size_t)c);
		if (!b->p)
			return -1;
		b->cap = (size_t)c;
		b->len = 0;
	} else if (b->len + 1 >= b->cap) {
		if (b->cap >= ceiling)
			return 0;
		uint64_t c = (uint64_t)b->cap * 2;
		if (c > ceiling)
			c = ceiling;
		char *p = realloc(b->p, (size_t)c);
		if (!p)
			return -1;
		b->p = p;
		b->cap = (size_t)c;
	}
	return (long long)(b->cap - 1 - b->len);
}

/* Hands the buffer over as NUL-terminated data, trimmed to its length. */
static char *buf_take(struct pv_buf *b)
{
	char *p = b->p;
	if (!p) {
		p = malloc(1);
		if (!p)
			return NULL;
	} else if (b->cap > b->len + 1) {
		char *q = realloc(p, b->len + 1);
		if (q)
			p = q;
	}
	p[b->len] = 0;
	b->p = NULL;
	b->cap = 0;
	return p;
}

/* ---------------------------------------------------------------------
 * libarchive input: a file descriptor or a memory buffer, served in
 * small chunks so that the bytes consumed are known and the guard runs
 * often.
 * ------------------------------------------------------------------- */

#define PV_CHUNK (16 * 1024)

struct src {
	struct archive *a;
	int fd;                      /* or -1 for memory */
	const unsigned char *mem;
	uint64_t size, pos;
	unsigned char *buf;          /* PV_CHUNK, for fd */
	uint64_t delivered;          /* compressed bytes handed to libarchive */
	bool opened;                 /* the guard runs only once open */
	bool eof;                    /* the end of input was reached */
	int io_errno;
	const struct pv_reader *r;
	uint64_t stream_cap;         /* decompressed tar stream allowed */
	char trip[256];              /* why the guard stopped the read */
};

/* Decompression guard. A compressed tar's filter output is consumed by
 * the tar reader even where nothing reaches us (entry bodies skipped,
 * oversized special headers), so bound it here, where libarchive asks
 * for more compressed input. */
static bool guard(struct src *s)
{
	if (!s->opened || s->trip[0] || archive_filter_count(s->a) < 2)
		return !s->trip[0];
	int64_t top = archive_filter_bytes(s->a, 0);
	if (top < 0)
		return true;
	char hb[32];
	if ((uint64_t)top > s->stream_cap) {
		pv_human_size(s->r->lim.max_total, hb, sizeof hb);
		snprintf(s->trip, sizeof s->trip, "package expands to more than %s (total limit)", hb);
		return false;
	}
	uint64_t ratio = s->r->lim.max_ratio;
	if (ratio && (uint64_t)top > s->r->lim.ratio_floor && s->delivered &&
	    (uint64_t)top / s->delivered > ratio) {
		pv_human_size((uint64_t)top, hb, sizeof hb);
		snprintf(s->trip, sizeof s->trip,
		         "compression ratio above %llu:1 (%s from %llu bytes): a decompression bomb",
		         (unsigned long long)ratio, hb, (unsigned long long)s->delivered);
		return false;
	}
	return true;
}

static la_ssize_t src_read(struct archive *a, void *ud, const void **out)
{
	struct src *s = ud;
	if (!guard(s)) {
		archive_set_error(a, -1, "limit exceeded");
		return -1;
	}
	size_t n;
	if (s->fd < 0) {
		n = s->size - s->pos < PV_CHUNK ? (size_t)(s->size - s->pos) : PV_CHUNK;
		*out = s->mem + s->pos;
	} else {
		ssize_t k;
		do
			k = read(s->fd, s->buf, PV_CHUNK);
		while (k < 0 && errno == EINTR);
		if (k < 0) {
			s->io_errno = errno;
			archive_set_error(a, errno, "read error");
			return -1;
		}
		n = (size_t)k;
		*out = s->buf;
	}
	s->pos += n;
	s->delivered += n;
	if (n == 0)
		s->eof = true;
	return (la_ssize_t)n;
}

static la_int64_t src_seek(struct archive *a, void *ud, la_int64_t off, int whence)
{
	struct src *s = ud;
	int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)s->pos : (int64_t)s->size;
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0) {
		archive_set_error(a, EINVAL, "bad seek");
		return ARCHIVE_FATAL;
	}
	int64_t to = base + off;
	if (s->fd >= 0) {
		off_t got = lseek(s->fd, (off_t)to, SEEK_SET);
		if (got < 0) {
			s->io_errno = errno;
			archive_set_error(a, errno, "seek error");
			return ARCHIVE_FATAL;
		}
		to = got;
	} else if ((uint64_t)to > s->size) {
		to = (int64_t)s->size;
	}
	s->pos = (uint64_t)to;
	s->eof = false;
	return to;
}

static la_int64_t src_skip(struct archive *a, void *ud, la_int64_t req)
{
	struct src *s = ud;
	if (req <= 0)
		return 0;
	uint64_t left = s->size > s->pos ? s->size - s->pos : 0;
	uint64_t n = (uint64_t)req < left ? (uint64_t)req : left;
	if (s->fd >= 0 && n > 0 && lseek(s->fd, (off_t)n, SEEK_CUR) < 0) {
		s->io_errno = errno;
		archive_set_error(a, errno, "seek error");
		return ARCHIVE_FATAL;
	}
	s->pos += n;
	return (la_int64_t)n;
}

/* ---------------------------------------------------------------------
 * Reading entries
 * ------------------------------------------------------------------- */

static const char *format_name(struct archive *a)
{
	if ((archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP)
		return "zip";
	switch (archive_filter_code(a, 0)) {
	case ARCHIVE_FILTER_NONE: return "tar";
	case ARCHIVE_FILTER_GZIP: return "tar.gz";
	case ARCHIVE_FILTER_BZIP2: return "tar.bz2";
	case ARCHIVE_FILTER_XZ: return "tar.xz";
	case ARCHIVE_FILTER_LZMA: return "tar.lzma";
	case ARCHIVE_FILTER_ZSTD: return "tar.zst";
	case ARCHIVE_FILTER_COMPRESS: return "tar.Z";
	default: return "tar";
	}
}

/* libarchive's message, on one line, trimmed, bounded. */
static const char *la_msg(struct archive *a, char *buf, size_t len)
{
	const char *m = archive_error_string(a);
	snprintf(buf, len, "%s", m && *m ? m : "unknown error");
	size_t n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' || buf[n - 1] == '.'))
		buf[--n] = 0;
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	return buf;
}

static bool mentions(const char *s, const char *w)
{
	return s && strstr(s, w);
}

/* A fatal libarchive error: truncation, corruption, or the guard. */
static enum pv_read_status fatal(struct pv_reader *r, struct src *s, uint32_t done)
{
	if (s->trip[0]) {
		pv_reader_finding(r, NULL, "%s", s->trip);
		return PV_READ_HOSTILE;
	}
	if (s->io_errno) {
		pv_reader_fail(r, "read error: %s", strerror(s->io_errno));
		return PV_READ_ERROR;
	}
	char mb[256];
	const char *msg = la_msg(s->a, mb, sizeof mb);
	/* Told by libarchive's words, not by having read to the end: a
	 * small archive is read to its end at once. */
	bool unknown = !archive_error_string(s->a) || !*archive_error_string(s->a);
	if ((unknown && s->eof) || mentions(msg, "runcated") || mentions(msg, "remature") ||
	    mentions(msg, "nexpected end") || mentions(msg, "nexpected EOF"))
		pv_reader_fail(r, "truncated archive: unexpected end of data after entry %lu",
		               (unsigned long)done);
	else
		pv_reader_fail(r, "corrupt archive after entry %lu: %s", (unsigned long)done, msg);
	return PV_READ_ERROR;
}

/* Ratio of file bytes out to compressed bytes in, once past the floor. */
static bool ratio_ok(struct pv_reader *r, const struct src *s)
{
	uint64_t ratio = r->lim.max_ratio;
	if (!ratio || r->bytes <= r->lim.ratio_floor || !s->delivered ||
	    r->bytes / s->delivered <= ratio)
		return true;
	char hb[32];
	pv_human_size(r->bytes, hb, sizeof hb);
	pv_reader_finding(r, NULL, "compression ratio above %llu:1 (%s from %llu bytes): a decompression bomb",
	                  (unsigned long long)ratio, hb, (unsigned long long)s->delivered);
	return false;
}

enum data_result { DATA_OK, DATA_SKIPPED, DATA_STOP, DATA_FATAL };

/* Reads the body of the current entry, checking limits as it arrives.
 * keep: the body is a file of the package (else it is drained and
 * counted, so a link or directory with a body cannot hide work). */
static enum data_result read_body(struct pv_reader *r, struct src *s, struct archive_entry *e,
                                  const char *norm, bool keep, struct pv_buf *b)
{
	char sb[PV_NAME_IN_DETAIL + 4];
	uint64_t hint = archive_entry_size_is_set(e) && archive_entry_size(e) > 0
	                        ? (uint64_t)archive_entry_size(e) : 0;
	if (hint > r->lim.max_entry) {
		char hb[32];
		pv_human_size(r->lim.max_entry, hb, sizeof hb);
		pv_reader_finding(r, norm, "entry %s declares %llu bytes, more than %s (per-entry limit)",
		                  short_name(norm, sb, sizeof sb), (unsigned long long)hint, hb);
		return DATA_STOP;
	}
	char scratch[PV_CHUNK];
	uint64_t len = 0;
	for (;;) {
		void *dst = scratch;
		size_t want = sizeof scratch;
		if (keep) {
			long long room = pv_buf_room(b, r->lim.max_entry, hint);
			if (room < 0) {
				r->oom = true;
				return DATA_STOP;
			}
			if (room == 0) /* cannot happen: the limit trips first */
				break;
			dst = b->p + b->len;
			want = (size_t)room < 256 * 1024 ? (size_t)room : 256 * 1024;
		}
		la_ssize_t n = archive_read_data(s->a, dst, want);
		if (n == 0)
			break;
		if (n < 0) {
			if (n == ARCHIVE_FATAL || s->trip[0] || s->io_errno)
				return DATA_FATAL;
			/* ARCHIVE_FAILED/WARN: this entry only (an unsupported
			 * compression method, a bad checksum). */
			char mb[256];
			pv_reader_finding(r, norm, "entry %s cannot be read (%s): it cannot be vetted",
			                  short_name(norm, sb, sizeof sb), la_msg(s->a, mb, sizeof mb));
			return DATA_SKIPPED;
		}
		len += (uint64_t)n;
		if (keep)
			b->len += (size_t)n;
		if (pv_reader_account(r, norm, len, (size_t)n) != PV_STEP_OK || !ratio_ok(r, s))
			return DATA_STOP;
	}
	return DATA_OK;
}

static const char *entry_name(struct archive_entry *e)
{
	const char *p = archive_entry_pathname(e);
	return p ? p : archive_entry_pathname_utf8(e);
}

static const char *link_target(struct archive_entry *e, bool hard)
{
	const char *p = hard ? archive_entry_hardlink(e) : archive_entry_symlink(e);
	if (p)
		return p;
	return hard ? archive_entry_hardlink_utf8(e) : archive_entry_symlink_utf8(e);
}

static enum pv_read_status read_entries(struct pv_reader *r, struct src *s)
{
	struct archive *a = s->a;
	struct archive_entry *e;
	uint32_t done = 0;
	char sb[PV_NAME_IN_DETAIL + 4];
	for (;;) {
		int rc = archive_read_next_header(a, &e);
		if (rc == ARCHIVE_EOF)
			break;
		if (s->trip[0] || rc == ARCHIVE_FATAL || rc == ARCHIVE_RETRY || rc < ARCHIVE_FAILED)
			return fatal(r, s, done);
		if (done == 0) {
			snprintf(r->tree->format, sizeof r->tree->format, "%s", format_name(a));
			/* Real packages are compressed once; a stack of
			 * compressors multiplies the expansion. */
			if (archive_filter_count(a) > 2) {
				pv_reader_finding(r, NULL, "archive is compressed %d times over (%s inside %s)",
				                  archive_filter_count(a) - 1, archive_filter_name(a, 1),
				                  archive_filter_name(a, 0));
				return PV_READ_HOSTILE;
			}
		}
		const char *raw = entry_name(e);
		if (rc == ARCHIVE_FAILED || !raw) {
			/* Counted like any entry, so a stream of these ends. */
			if (!count_entry(r))
				return PV_READ_HOSTILE;
			char mb[256];
			pv_reader_finding(r, NULL, "entry #%lu cannot be read (%s): it cannot be vetted",
			                  (unsigned long)done + 1,
			                  raw ? la_msg(a, mb, sizeof mb) : "its name cannot be decoded");
			done++;
			continue;
		}
		const char *hard = link_target(e, true);
		mode_t ft = archive_entry_filetype(e);
		bool symlink = !hard && ft == AE_IFLNK;
		enum pv_kind kind = hard || symlink ? PV_KIND_LINK
		                    : ft == AE_IFDIR ? PV_KIND_DIR
		                    : ft == AE_IFREG ? PV_KIND_FILE : PV_KIND_OTHER;
		char *norm;
		enum pv_step st = pv_reader_begin(r, raw, kind, &norm);
		if (st == PV_STEP_STOP)
			return r->oom ? PV_READ_ERROR : PV_READ_HOSTILE;
		done++;
		if (st == PV_STEP_SKIP) {
			/* Drained, not skipped: its body still counts. */
			enum data_result dr = read_body(r, s, e, "(unnamed entry)", false, NULL);
			if (r->oom)
				return PV_READ_ERROR;
			if (dr == DATA_STOP)
				return PV_READ_HOSTILE;
			if (dr == DATA_FATAL)
				return fatal(r, s, done - 1);
			continue;
		}
		if (archive_entry_is_data_encrypted(e) || archive_entry_is_metadata_encrypted(e)) {
			pv_reader_finding(r, norm, "encrypted entry %s: it cannot be vetted",
			                  short_name(norm, sb, sizeof sb));
			free(norm);
			continue;
		}
		struct pv_buf b = {0};
		bool keep = false;
		if (kind == PV_KIND_LINK) {
			pv_reader_link(r, norm, hard ? hard : link_target(e, false), hard != NULL);
			/* A hard link may carry a body in pax; it would be
			 * written under the link's name: vet it as a file. */
			keep = hard && archive_entry_size_is_set(e) && archive_entry_size(e) > 0;
		} else if (kind == PV_KIND_OTHER) {
			const char *what = ft == AE_IFCHR ? "a character device"
			                   : ft == AE_IFBLK ? "a block device"
			                   : ft == AE_IFIFO ? "a named pipe"
			                   : ft == AE_IFSOCK ? "a socket" : "of an unknown type";
			pv_reader_finding(r, norm, "entry %s is %s: no real package holds one",
			                  short_name(norm, sb, sizeof sb), what);
		} else if (kind == PV_KIND_FILE) {
			keep = true;
		}
		enum data_result dr = read_body(r, s, e, norm, keep, &b);
		if (dr == DATA_OK && keep) {
			size_t len = b.len;
			char *data = buf_take(&b);
			if (!data) {
				r->oom = true;
			} else {
				if (pv_reader_add(r, norm, data, len, (uint32_t)archive_entry_perm(e) & 07777) < 0)
					return PV_READ_ERROR;
				norm = NULL;
			}
		}
		free(b.p);
		free(norm);
		if (r->oom)
			return PV_READ_ERROR;
		if (dr == DATA_STOP)
			return PV_READ_HOSTILE;
		if (dr == DATA_FATAL)
			return fatal(r, s, done - 1);
	}
	if (s->trip[0])
		return fatal(r, s, done);
	if (done == 0 && !r->hostile) {
		pv_reader_fail(r, "not an archive: it holds no entries (an empty archive, or zeros)");
		return PV_READ_ERROR;
	}
	if (r->tree->n == 0 && !r->hostile) {
		pv_reader_fail(r, "empty package: the archive holds no files");
		return PV_READ_ERROR;
	}
	return r->hostile ? PV_READ_HOSTILE : PV_READ_OK;
}

static bool looks_like_zip(const unsigned char *p, size_t n)
{
	return n >= 4 && p[0] == 'P' && p[1] == 'K' && (p[2] == 3 || p[2] == 5 || p[2] == 7);
}

/* Registers a decompressor only when libarchive has it built in: where it
 * would fall back to running an external program on the package's bytes
 * (ARCHIVE_WARN), it is left out, and such a file is "not an archive". */
static void add_filter(struct archive *a, int (*fn)(struct archive *))
{
	struct archive *probe = archive_read_new();
	bool builtin = probe && fn(probe) == ARCHIVE_OK;
	if (probe)
		archive_read_free(probe);
	if (builtin)
		fn(a);
}

static enum pv_read_status read_archive(struct pv_reader *r, struct src *s)
{
	struct archive *a = archive_read_new();
	if (!a) {
		pv_reader_fail(r, "out of memory");
		return PV_READ_ERROR;
	}
	s->a = a;
	s->r = r;
	/* The tar stream holds headers and padding besides file bytes:
	 * allow for them, generously, before calling it a bomb. */
	s->stream_cap = r->lim.max_total + (uint64_t)r->lim.max_entries * 4096 + 16 * MiB;
	/* Only real archive formats, and only compressors linked in: no
	 * "raw" format, no filter that would run an external program. */
	add_filter(a, archive_read_support_filter_gzip);
	add_filter(a, archive_read_support_filter_bzip2);
	add_filter(a, archive_read_support_filter_xz);
	add_filter(a, archive_read_support_filter_lzma);
	add_filter(a, archive_read_support_filter_zstd);
	add_filter(a, archive_read_support_filter_compress);
	archive_read_support_format_tar(a);
	archive_read_support_format_zip_seekable(a);
	archive_read_set_callback_data(a, s);
	archive_read_set_read_callback(a, src_read);
	archive_read_set_seek_callback(a, src_seek);
	archive_read_set_skip_callback(a, src_skip);

	enum pv_read_status st;
	if (archive_read_open1(a) != ARCHIVE_OK) {
		if (s->io_errno) {
			pv_reader_fail(r, "read error: %s", strerror(s->io_errno));
		} else {
			unsigned char head[4] = {0};
			size_t n = 0;
			if (s->fd < 0) {
				n = s->size < 4 ? (size_t)s->size : 4;
				memcpy(head, s->mem, n);
			} else {
				ssize_t k = pread(s->fd, head, 4, 0);
				n = k > 0 ? (size_t)k : 0;
			}
			if (looks_like_zip(head, n))
				pv_reader_fail(r, "truncated or corrupt zip archive (no central directory)");
			else
				pv_reader_fail(r, "not an archive (or an unsupported format)");
		}
		st = PV_READ_ERROR;
	} else {
		s->opened = true;
		st = read_entries(r, s);
	}
	archive_read_free(a);
	s->a = NULL;
	if (r->oom) {
		pv_reader_fail(r, "out of memory");
		st = PV_READ_ERROR;
	}
	return st;
}

/* libarchive decodes names to the locale's charset: read them under a
 * UTF-8 locale (this thread only) so that UTF-8 names come through as
 * they are, whatever the program's locale. */
static locale_t utf8_begin(locale_t *old)
{
	locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (loc == (locale_t)0)
		return loc;
	*old = uselocale(loc);
	return loc;
}

static void utf8_end(locale_t loc, locale_t old)
{
	if (loc == (locale_t)0)
		return;
	uselocale(old);
	freelocale(loc);
}

static enum pv_read_status finish(struct pv_reader *r, enum pv_read_status st)
{
	if (st == PV_READ_OK || st == PV_READ_HOSTILE) {
		if (r->oom) {
			pv_reader_fail(r, "out of memory");
			st = PV_READ_ERROR;
		}
	}
	if (st == PV_READ_ERROR || st == PV_READ_NOENT) {
		char format[sizeof r->tree->format];
		memcpy(format, r->tree->format, sizeof format);
		pv_tree_free(r->tree);
		memcpy(r->tree->format, format, sizeof format);
		if (r->err && r->errlen && !r->err[0])
			pv_reader_fail(r, "cannot be read");
	}
	pv_reader_fini(r);
	return st;
}

enum pv_read_status pv_tree_read(const char *path, const struct pv_limits *lim,
                                 struct pv_tree *tree, struct pv_findings *out,
                                 char *err, size_t errlen)
{
	struct pv_reader r;
	pv_reader_init(&r, lim, tree, out, err, errlen);
	/* O_NONBLOCK: a named pipe must not hang the open. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		pv_reader_fail(&r, "%s", strerror(errno));
		return finish(&r, PV_READ_NOENT);
	}
	struct stat st;
	if (fstat(fd, &st) < 0) {
		pv_reader_fail(&r, "%s", strerror(errno));
		close(fd);
		return finish(&r, PV_READ_NOENT);
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(tree->format, sizeof tree->format, "directory");
		return finish(&r, pv_dir_read(fd, &r));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		pv_reader_fail(&r, "not a regular file or a directory");
		return finish(&r, PV_READ_ERROR);
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	if (st.st_size == 0) {
		close(fd);
		pv_reader_fail(&r, "empty file: not an archive");
		return finish(&r, PV_READ_ERROR);
	}
	tree->compressed = (uint64_t)st.st_size;
	r.archive_names = true;
	struct src s = {.fd = fd, .size = (uint64_t)st.st_size};
	s.buf = malloc(PV_CHUNK);
	enum pv_read_status rs;
	if (!s.buf) {
		pv_reader_fail(&r, "out of memory");
		rs = PV_READ_ERROR;
	} else {
		locale_t old = (locale_t)0, loc = utf8_begin(&old);
		rs = read_archive(&r, &s);
		utf8_end(loc, old);
	}
	free(s.buf);
	close(fd);
	return finish(&r, rs);
}

enum pv_read_status pv_tree_read_mem(const void *buf, size_t len, const char *name,
                                     const struct pv_limits *lim, struct pv_tree *tree,
                                     struct pv_findings *out, char *err, size_t errlen)
{
	(void)name; /* the format is told by content, never by name */
	struct pv_reader r;
	pv_reader_init(&r, lim, tree, out, err, errlen);
	if (!buf || len == 0) {
		pv_reader_fail(&r, "empty file: not an archive");
		return finish(&r, PV_READ_ERROR);
	}
	tree->compressed = len;
	r.archive_names = true;
	struct src s = {.fd = -1, .mem = buf, .size = len};
	locale_t old = (locale_t)0, loc = utf8_begin(&old);
	enum pv_read_status rs = read_archive(&r, &s);
	utf8_end(loc, old);
	return finish(&r, rs);
}
