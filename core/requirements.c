/* requirements.c - pip requirements files. */
#include "requirements.h"
#include "pep440.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

struct fid {
	dev_t dev;
	ino_t ino;
	bool constraint;
};

struct ctx {
	struct pv_reqfile *rf;
	size_t cap;
	char *err;
	size_t errlen;
	int rc;
	struct fid stack[PV_REQ_MAX_DEPTH + 1];
	size_t depth;
	struct fid *seen;
	size_t nseen;
	size_t nfiles;
};

/* Where we are: file and line, for messages. */
struct at {
	const char *file;
	unsigned line;
};

__attribute__((format(printf, 3, 4))) static int fail(struct ctx *c, const struct at *at,
                                                      const char *fmt, ...)
{
	if (c->err && c->errlen) {
		int n = at->line ? snprintf(c->err, c->errlen, "%s:%u: ", at->file, at->line)
		                 : snprintf(c->err, c->errlen, "%s: ", at->file);
		if (n >= 0 && (size_t)n < c->errlen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	c->rc = -1;
	return -1;
}

static int oom(struct ctx *c)
{
	if (c->err && c->errlen)
		snprintf(c->err, c->errlen, "out of memory");
	c->rc = -2;
	return -2;
}

/* Printable-ASCII copy for messages, truncated. */
static const char *shown(const char *s, size_t len, char *buf, size_t n)
{
	size_t j = 0, i = 0;
	for (; i < len && s[i] && j + 4 < n; i++)
		buf[j++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (i < len && s[i] && j + 3 < n) {
		memcpy(buf + j, "...", 3);
		j += 3;
	}
	buf[j] = '\0';
	return buf;
}

static char *dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static int strlist_add(struct ctx *c, struct pv_strlist *l, const char *s, size_t n)
{
	char **nv = realloc(l->v, (l->n + 1) * sizeof *nv);
	if (!nv)
		return oom(c);
	l->v = nv;
	if (!(l->v[l->n] = dupn(s, n)))
		return oom(c);
	l->n++;
	return 0;
}

static void strlist_free(struct pv_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void req_free(struct pv_req *r)
{
	free(r->name);
	free(r->version);
	free(r->extras);
	free(r->marker);
	free(r->url);
	for (size_t i = 0; i < r->nhashes; i++)
		free(r->hashes[i]);
	free(r->hashes);
	free(r->file);
	memset(r, 0, sizeof *r);
}

void pv_reqfile_free(struct pv_reqfile *rf)
{
	if (!rf)
		return;
	for (size_t i = 0; i < rf->n; i++)
		req_free(&rf->reqs[i]);
	free(rf->reqs);
	free(rf->index_url);
	strlist_free(&rf->extra_index_urls);
	strlist_free(&rf->find_links);
	strlist_free(&rf->trusted_hosts);
	strlist_free(&rf->no_binary);
	strlist_free(&rf->only_binary);
	memset(rf, 0, sizeof *rf);
}

static bool is_ws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\f' || ch == '\v';
}

/* Trim [*s, *e). */
static void trim(const char **s, const char **e)
{
	while (*s < *e && is_ws(**s))
		(*s)++;
	while (*e > *s && is_ws((*e)[-1]))
		(*e)--;
}

static bool has_prefix(const char *s, const char *e, const char *p)
{
	size_t n = strlen(p);
	return (size_t)(e - s) >= n && strncmp(s, p, n) == 0;
}

/* A URL scheme "xxx://" or "file:" at s. */
static bool looks_url(const char *s, const char *e)
{
	const char *p = s;
	if (p < e && isalpha((unsigned char)*p)) {
		while (p < e && (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.'))
			p++;
		if (has_prefix(p, e, "://"))
			return true;
	}
	return has_prefix(s, e, "file:");
}

static int normalize_name(struct ctx *c, const struct at *at, const char *s, size_t n, char **out)
{
	char in[256], buf[256], b[128];
	if (n == 0 || n >= sizeof in)
		return fail(c, at, "\"%s\" is not a valid project name", shown(s, n, b, sizeof b));
	memcpy(in, s, n);
	in[n] = '\0';
	if (pv_pep503_normalize(in, buf, sizeof buf) < 0)
		return fail(c, at, "\"%s\" is not a valid project name", shown(s, n, b, sizeof b));
	if (!(*out = strdup(buf)))
		return oom(c);
	return 0;
}

static int push(struct ctx *c, struct pv_req *r)
{
	struct pv_reqfile *rf = c->rf;
	if (rf->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 32;
		struct pv_req *nr = realloc(rf->reqs, ncap * sizeof *nr);
		if (!nr) {
			req_free(r);
			return oom(c);
		}
		rf->reqs = nr;
		c->cap = ncap;
	}
	rf->reqs[rf->n++] = *r;
	memset(r, 0, sizeof *r);
	return 0;
}

static bool hex_ok(const char *s, const char *e)
{
	if (s == e)
		return false;
	for (; s < e; s++)
		if (!isxdigit((unsigned char)*s))
			return false;
	return true;
}

static int add_hash(struct ctx *c, const struct at *at, struct pv_req *r, const char *s,
                    const char *e)
{
	char b[128];
	const char *colon = memchr(s, ':', (size_t)(e - s));
	if (!colon || !hex_ok(colon + 1, e) ||
	    !(has_prefix(s, colon, "sha256") || has_prefix(s, colon, "sha384") ||
	      has_prefix(s, colon, "sha512")) ||
	    colon - s != 6)
		return fail(c, at, "bad --hash \"%s\" (want sha256:HEX, sha384:HEX or sha512:HEX)",
		            shown(s, (size_t)(e - s), b, sizeof b));
	char **nh = realloc(r->hashes, (r->nhashes + 1) * sizeof *nh);
	if (!nh)
		return oom(c);
	r->hashes = nh;
	if (!(r->hashes[r->nhashes] = dupn(s, (size_t)(e - s))))
		return oom(c);
	r->nhashes++;
	return 0;
}

/* Per-requirement options: [s, e) is "--hash=... --hash ...". */
static int req_options(struct ctx *c, const struct at *at, struct pv_req *r, const char *s,
                       const char *e)
{
	char b[128];
	while (s < e) {
		while (s < e && is_ws(*s))
			s++;
		if (s == e)
			break;
		const char *t = s;
		while (s < e && !is_ws(*s))
			s++;
		if (has_prefix(t, s, "--hash=")) {
			if (add_hash(c, at, r, t + 7, s))
				return -1;
		} else if ((size_t)(s - t) == 6 && has_prefix(t, s, "--hash")) {
			while (s < e && is_ws(*s))
				s++;
			const char *v = s;
			while (s < e && !is_ws(*s))
				s++;
			if (add_hash(c, at, r, v, s))
				return -1;
		} else
			return fail(c, at, "option \"%s\" is not supported on a requirement line",
			            shown(t, (size_t)(s - t), b, sizeof b));
	}
	return 0;
}

/* Marker after ';' in [s, e): trimmed, must not be empty. */
static int set_marker(struct ctx *c, const struct at *at, struct pv_req *r, const char *s,
                      const char *e)
{
	trim(&s, &e);
	if (s == e)
		return fail(c, at, "empty environment marker after ';'");
	if (!(r->marker = dupn(s, (size_t)(e - s))))
		return oom(c);
	return 0;
}

/* A direct reference without a name: URL or path, with an optional
 * "; marker" (the ';' next to whitespace, as pip has it). Name from #egg=. */
static int url_entry(struct ctx *c, const struct at *at, struct pv_req *r, const char *s,
                     const char *e)
{
	const char *ue = e;
	for (const char *p = s; p < e; p++)
		if (*p == ';' && ((p > s && is_ws(p[-1])) || (p + 1 < e && is_ws(p[1])))) {
			if (set_marker(c, at, r, p + 1, e))
				return -1;
			ue = p;
			break;
		}
	trim(&s, &ue);
	r->kind = PV_REQ_URL;
	if (!(r->url = dupn(s, (size_t)(ue - s))))
		return oom(c);
	const char *egg = strstr(r->url, "#egg=");
	if (!egg)
		egg = strstr(r->url, "&egg=");
	if (egg) {
		egg += 5;
		size_t n = strcspn(egg, "&[");
		if (normalize_name(c, at, egg, n, &r->name))
			return -1;
	}
	return 0;
}

/* PEP 508 requirement or direct reference in [s, e) (options removed). */
static int requirement(struct ctx *c, const struct at *at, struct pv_req *r, const char *s,
                       const char *e)
{
	char b[256];
	trim(&s, &e);
	const char *whole = s, *wend = e;
	if (s < e && !isalnum((unsigned char)*s))
		return url_entry(c, at, r, s, e); /* ./pkg, /abs/path, ~/x */
	if (looks_url(s, e))
		return url_entry(c, at, r, s, e);
	static const char *const archives[] = {".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2", ".tar.xz"};
	for (size_t i = 0; i < sizeof archives / sizeof *archives; i++) {
		size_t an = strlen(archives[i]);
		const char *te = s;
		while (te < e && !is_ws(*te) && *te != ';')
			te++;
		if ((size_t)(te - s) > an && strncasecmp(te - an, archives[i], an) == 0)
			return url_entry(c, at, r, s, e); /* pkg-1.0.tar.gz: a local archive */
	}
	const char *n = s;
	while (s < e && (isalnum((unsigned char)*s) || *s == '-' || *s == '_' || *s == '.'))
		s++;
	if (s < e && (*s == '/' || *s == '\\'))
		return url_entry(c, at, r, whole, wend); /* pkg/sub, a relative path */
	if (normalize_name(c, at, n, (size_t)(s - n), &r->name))
		return -1;
	while (s < e && is_ws(*s))
		s++;
	if (s < e && *s == '[') {
		const char *close = memchr(s, ']', (size_t)(e - s));
		if (!close)
			return fail(c, at, "unclosed '[' in \"%s\"",
			            shown(whole, (size_t)(wend - whole), b, sizeof b));
		size_t cap = (size_t)(close - s) + 1, len = 0;
		char *ex = malloc(cap);
		if (!ex)
			return oom(c);
		ex[0] = '\0';
		const char *p = s + 1;
		while (p < close) {
			const char *q = memchr(p, ',', (size_t)(close - p));
			if (!q)
				q = close;
			const char *ps = p, *pe = q;
			trim(&ps, &pe);
			if (ps != pe) {
				char *one;
				if (normalize_name(c, at, ps, (size_t)(pe - ps), &one)) {
					free(ex);
					return -1;
				}
				len += (size_t)snprintf(ex + len, cap - len, "%s%s", len ? "," : "", one);
				free(one);
			}
			p = q + 1;
		}
		r->extras = len ? ex : NULL;
		if (!len)
			free(ex);
		s = close + 1;
		while (s < e && is_ws(*s))
			s++;
	}
	if (s < e && *s == '@') {
		/* NAME @ URL [; marker]: the URL ends at whitespace. */
		s++;
		while (s < e && is_ws(*s))
			s++;
		const char *u = s;
		while (s < e && !is_ws(*s))
			s++;
		if (u == s)
			return fail(c, at, "no URL after '@' in \"%s\"",
			            shown(whole, (size_t)(wend - whole), b, sizeof b));
		const char *ue = s;
		if (ue > u && ue[-1] == ';')
			s = --ue; /* "url;" then marker: lenient */
		while (s < e && is_ws(*s))
			s++;
		if (s < e) {
			if (*s != ';')
				return fail(c, at, "unexpected text after the URL in \"%s\"",
				            shown(whole, (size_t)(wend - whole), b, sizeof b));
			if (set_marker(c, at, r, s + 1, e))
				return -1;
		}
		r->kind = PV_REQ_URL;
		if (!(r->url = dupn(u, (size_t)(ue - u))))
			return oom(c);
		return 0;
	}
	const char *semi = memchr(s, ';', (size_t)(e - s));
	const char *ve = semi ? semi : e;
	if (semi && set_marker(c, at, r, semi + 1, e))
		return -1;
	trim(&s, &ve);
	if (s < ve && *s == '(' && ve[-1] == ')') {
		s++;
		ve--;
		trim(&s, &ve);
	}
	const char *shown_end = semi ? semi : e;
	while (shown_end > whole && is_ws(shown_end[-1]))
		shown_end--;
	/* Exactly one clause: == VERSION (no wildcard) or === TEXT. */
	bool pinned = false;
	if (s < ve && !memchr(s, ',', (size_t)(ve - s))) {
		const char *v;
		if (has_prefix(s, ve, "===")) {
			r->arbitrary = true;
			v = s + 3;
		} else if (has_prefix(s, ve, "==")) {
			v = s + 2;
		} else
			v = NULL;
		if (v) {
			trim(&v, &ve);
			if (v < ve && r->arbitrary) {
				pinned = true;
				for (const char *p = v; p < ve; p++)
					if (is_ws(*p))
						pinned = false;
				if (pinned && !(r->version = dupn(v, (size_t)(ve - v))))
					return oom(c);
			} else if (v < ve && ve - v < PV_PEP440_MAX_LEN) {
				char vb[PV_PEP440_MAX_LEN], norm[PV_PEP440_MAX_LEN * 2];
				struct pv_pep440 pv;
				memcpy(vb, v, (size_t)(ve - v));
				vb[ve - v] = '\0';
				if (!strchr(vb, '*') && pv_pep440_parse(vb, &pv) == 0 &&
				    pv_pep440_format(&pv, norm, sizeof norm) >= 0) {
					if (!(r->version = strdup(norm)))
						return oom(c);
					pinned = true;
				} else if (!strchr(vb, '*'))
					return fail(c, at, "\"%s\": \"%s\" is not a valid version",
					            shown(whole, (size_t)(shown_end - whole), b, sizeof b), vb);
			}
		}
	}
	if (!pinned)
		return fail(c, at, "\"%s\" is not pinned: every requirement must be pinned with == "
		                   "(e.g. %s==VERSION)",
		            shown(whole, (size_t)(shown_end - whole), b, sizeof b), r->name);
	r->kind = PV_REQ_PINNED;
	return 0;
}

static int read_file(struct ctx *c, const struct at *from, const char *path, char **out,
                     size_t *outlen, struct stat *st);
static int parse_text(struct ctx *c, const char *text, size_t len, const char *label,
                      const char *base_dir, bool constraint);

/* -r / -c FILE: resolve against base_dir and read it. */
static int include(struct ctx *c, const struct at *at, const char *base_dir, const char *v,
                   size_t vn, bool constraint)
{
	char b[256];
	if (vn == 0)
		return fail(c, at, "%s needs a file name", constraint ? "-c" : "-r");
	if (looks_url(v, v + vn) && !has_prefix(v, v + vn, "file:"))
		return fail(c, at, "remote requirement files are not supported: \"%s\"",
		            shown(v, vn, b, sizeof b));
	if (has_prefix(v, v + vn, "file://")) {
		v += 7;
		vn -= 7;
	} else if (has_prefix(v, v + vn, "file:")) {
		v += 5;
		vn -= 5;
	}
	if (c->depth >= PV_REQ_MAX_DEPTH)
		return fail(c, at, "requirement files nested more than %d deep", PV_REQ_MAX_DEPTH);
	size_t bl = (v[0] != '/' && base_dir && base_dir[0]) ? strlen(base_dir) : 0;
	char *path = malloc(bl + vn + 2);
	if (!path)
		return oom(c);
	if (bl)
		snprintf(path, bl + vn + 2, "%s/%.*s", base_dir, (int)vn, v);
	else
		snprintf(path, vn + 1, "%.*s", (int)vn, v);
	char *text;
	size_t len;
	struct stat st;
	int rc = read_file(c, at, path, &text, &len, &st);
	if (rc) {
		free(path);
		return rc;
	}
	for (size_t i = 0; i < c->depth; i++)
		if (c->stack[i].dev == st.st_dev && c->stack[i].ino == st.st_ino) {
			free(text);
			rc = fail(c, at, "\"%s\" includes itself (a cycle of -r/-c files)",
			          shown(path, strlen(path), b, sizeof b));
			free(path);
			return rc;
		}
	for (size_t i = 0; i < c->nseen; i++)
		if (c->seen[i].dev == st.st_dev && c->seen[i].ino == st.st_ino &&
		    c->seen[i].constraint == constraint) {
			free(text);
			free(path);
			return 0; /* already read in this mode */
		}
	char *dir = strdup(path);
	if (!dir) {
		free(text);
		free(path);
		return oom(c);
	}
	char *slash = strrchr(dir, '/');
	if (slash)
		slash == dir ? (void)(slash[1] = '\0') : (void)(*slash = '\0');
	else
		strcpy(dir, ".");
	c->stack[c->depth++] = (struct fid){st.st_dev, st.st_ino, constraint};
	rc = parse_text(c, text, len, path, dir, constraint);
	c->depth--;
	if (!rc) {
		struct fid *ns = realloc(c->seen, (c->nseen + 1) * sizeof *ns);
		if (!ns)
			rc = oom(c);
		else {
			c->seen = ns;
			c->seen[c->nseen++] = (struct fid){st.st_dev, st.st_ino, constraint};
		}
	}
	free(dir);
	free(text);
	free(path);
	return rc;
}

static int split_list(struct ctx *c, struct pv_strlist *l, const char *v, size_t vn)
{
	const char *e = v + vn;
	while (v < e) {
		const char *q = memchr(v, ',', (size_t)(e - v));
		if (!q)
			q = e;
		const char *s = v, *t = q;
		trim(&s, &t);
		if (s < t && strlist_add(c, l, s, (size_t)(t - s)))
			return -1;
		v = q + 1;
	}
	return 0;
}

/* An option line. */
static int option_line(struct ctx *c, const struct at *at, const char *base_dir, const char *s,
                       const char *e, bool constraint)
{
	static const struct {
		const char *sh, *lg;
		int id;
		bool arg;
	} opts[] = {
		{"-r", "--requirement", 'r', true},     {"-c", "--constraint", 'c', true},
		{"-i", "--index-url", 'i', true},       {NULL, "--extra-index-url", 'x', true},
		{"-f", "--find-links", 'f', true},      {NULL, "--no-binary", 'N', true},
		{NULL, "--only-binary", 'O', true},     {NULL, "--trusted-host", 't', true},
		{"-e", "--editable", 'e', true},        {NULL, "--pre", 'p', false},
		{NULL, "--no-index", 'n', false},       {NULL, "--require-hashes", 'h', false},
		{NULL, "--prefer-binary", 'b', false},
	};
	char b[128];
	struct pv_reqfile *rf = c->rf;
	while (s < e) {
		while (s < e && is_ws(*s))
			s++;
		if (s == e)
			break;
		const char *t = s;
		while (s < e && !is_ws(*s))
			s++;
		size_t tn = (size_t)(s - t);
		int id = 0;
		bool arg = false;
		const char *v = NULL, *ve = NULL;
		for (size_t i = 0; i < sizeof opts / sizeof *opts && !id; i++) {
			size_t ln = strlen(opts[i].lg);
			if (tn == ln && strncmp(t, opts[i].lg, ln) == 0) {
				id = opts[i].id;
				arg = opts[i].arg;
			} else if (opts[i].arg && tn > ln && strncmp(t, opts[i].lg, ln) == 0 && t[ln] == '=') {
				id = opts[i].id;
				v = t + ln + 1;
				ve = s;
			} else if (opts[i].sh && tn >= 2 && strncmp(t, opts[i].sh, 2) == 0) {
				id = opts[i].id;
				if (tn > 2) {
					v = t + 2;
					ve = s;
					if (*v == '=')
						v++;
				} else
					arg = true;
			}
		}
		if (!id)
			return fail(c, at, "unknown option \"%s\"", shown(t, tn, b, sizeof b));
		if (arg) { /* value is the next word; for -e, the rest of the line */
			while (s < e && is_ws(*s))
				s++;
			v = s;
			if (id == 'e')
				s = e;
			else
				while (s < e && !is_ws(*s))
					s++;
			ve = s;
			if (v == ve)
				return fail(c, at, "option \"%s\" needs a value", shown(t, tn, b, sizeof b));
		} else if (!v && id == 'e')
			return fail(c, at, "option \"%s\" needs a value", shown(t, tn, b, sizeof b));
		if (id == 'e' && ve != e) { /* -eVALUE rest: take the rest of the line */
			ve = e;
			s = e;
		}
		size_t vn = v ? (size_t)(ve - v) : 0;
		int rc = 0;
		switch (id) {
		case 'r': rc = include(c, at, base_dir, v, vn, constraint); break;
		case 'c': rc = include(c, at, base_dir, v, vn, true); break;
		case 'i':
			free(rf->index_url);
			if (!(rf->index_url = dupn(v, vn)))
				rc = oom(c);
			break;
		case 'x': rc = strlist_add(c, &rf->extra_index_urls, v, vn); break;
		case 'f': rc = strlist_add(c, &rf->find_links, v, vn); break;
		case 't': rc = strlist_add(c, &rf->trusted_hosts, v, vn); break;
		case 'N': rc = split_list(c, &rf->no_binary, v, vn); break;
		case 'O': rc = split_list(c, &rf->only_binary, v, vn); break;
		case 'p': rf->pre = true; break;
		case 'n': rf->no_index = true; break;
		case 'h': rf->require_hashes = true; break;
		case 'b': rf->prefer_binary = true; break;
		case 'e': {
			struct pv_req r = {.editable = true, .constraint = constraint, .line = at->line};
			const char *ve2 = ve;
			trim(&v, &ve2);
			if (url_entry(c, at, &r, v, ve2) || !(r.file = strdup(at->file))) {
				if (!c->rc)
					oom(c);
				req_free(&r);
				return -1;
			}
			rc = push(c, &r);
			break;
		}
		default: break;
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int logical_line(struct ctx *c, const struct at *at, const char *base_dir, const char *s,
                        const char *e, bool constraint)
{
	/* Comments: '#' at the start or after whitespace. */
	for (const char *p = s; p < e; p++)
		if (*p == '#' && (p == s || is_ws(p[-1]))) {
			e = p;
			break;
		}
	trim(&s, &e);
	if (s == e)
		return 0;
	if (*s == '-')
		return option_line(c, at, base_dir, s, e, constraint);
	/* Per-requirement options start at the first " --". */
	const char *oe = e;
	for (const char *p = s + 1; p + 1 < e; p++)
		if (is_ws(p[-1]) && p[0] == '-' && p[1] == '-') {
			oe = p;
			break;
		}
	struct pv_req r = {.constraint = constraint, .line = at->line};
	if (requirement(c, at, &r, s, oe) || req_options(c, at, &r, oe, e)) {
		req_free(&r);
		return -1;
	}
	if (!(r.file = strdup(at->file))) {
		req_free(&r);
		return oom(c);
	}
	return push(c, &r);
}

static int parse_text(struct ctx *c, const char *text, size_t len, const char *label,
                      const char *base_dir, bool constraint)
{
	struct at at0 = {label, 0};
	if (len > PV_REQ_MAX_FILE_SIZE)
		return fail(c, &at0, "too large (more than %u bytes)", PV_REQ_MAX_FILE_SIZE);
	if (memchr(text, '\0', len))
		return fail(c, &at0, "not a text file (contains NUL bytes)");
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	char *buf = malloc(PV_REQ_MAX_LINE + 1);
	if (!buf)
		return oom(c);
	const char *p = text, *end = text + len;
	unsigned lineno = 0;
	int rc = 0;
	while (p < end && !rc) {
		size_t bl = 0;
		struct at at = {label, lineno + 1};
		for (;;) { /* one logical line: physical lines joined at '\' */
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *le = nl ? nl : end;
			lineno++;
			if (le > p && le[-1] == '\r')
				le--;
			bool cont = le > p && le[-1] == '\\';
			if (cont)
				le--;
			if (bl + (size_t)(le - p) > PV_REQ_MAX_LINE) {
				rc = fail(c, &at, "line longer than %d bytes", PV_REQ_MAX_LINE);
				break;
			}
			memcpy(buf + bl, p, (size_t)(le - p));
			bl += (size_t)(le - p);
			p = nl ? nl + 1 : end;
			if (!cont || p >= end)
				break;
		}
		if (!rc)
			rc = logical_line(c, &at, base_dir, buf, buf + bl, constraint);
	}
	free(buf);
	return rc;
}

static int read_file(struct ctx *c, const struct at *from, const char *path, char **out,
                     size_t *outlen, struct stat *st)
{
	char b[256];
	struct at here = {path, 0};
	const struct at *at = from ? from : &here;
	if (++c->nfiles > PV_REQ_MAX_FILES)
		return fail(c, at, "more than %d requirement files", PV_REQ_MAX_FILES);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		return fail(c, at, "cannot read \"%s\": %s", shown(path, strlen(path), b, sizeof b),
		            strerror(e));
	}
	if (fstat(fd, st) || !S_ISREG(st->st_mode)) {
		close(fd);
		return fail(c, at, "\"%s\" is not a regular file", shown(path, strlen(path), b, sizeof b));
	}
	if ((uintmax_t)st->st_size > PV_REQ_MAX_FILE_SIZE) {
		close(fd);
		return fail(c, at, "\"%s\" is too large (more than %u bytes)",
		            shown(path, strlen(path), b, sizeof b), PV_REQ_MAX_FILE_SIZE);
	}
	size_t cap = PV_REQ_MAX_FILE_SIZE + 1, len = 0;
	if ((size_t)st->st_size + 1 < cap)
		cap = (size_t)st->st_size + 4096;
	char *buf = malloc(cap);
	if (!buf) {
		close(fd);
		return oom(c);
	}
	for (;;) {
		if (len == cap) {
			if (cap > PV_REQ_MAX_FILE_SIZE) {
				free(buf);
				close(fd);
				return fail(c, at, "\"%s\" is too large (more than %u bytes)",
				            shown(path, strlen(path), b, sizeof b), PV_REQ_MAX_FILE_SIZE);
			}
			size_t ncap = cap * 2 > PV_REQ_MAX_FILE_SIZE + 1 ? PV_REQ_MAX_FILE_SIZE + 1 : cap * 2;
			char *nb = realloc(buf, ncap);
			if (!nb) {
				free(buf);
				close(fd);
				return oom(c);
			}
			buf = nb;
			cap = ncap;
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			close(fd);
			return fail(c, at, "cannot read \"%s\": %s", shown(path, strlen(path), b, sizeof b),
			            strerror(e));
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	*out = buf;
	*outlen = len;
	return 0;
}

int pv_requirements_parse(const char *text, size_t len, const char *label, const char *base_dir,
                          struct pv_reqfile *out, char *err, size_t errlen)
{
	struct ctx c = {.rf = out, .err = err, .errlen = errlen};
	memset(out, 0, sizeof *out);
	if (err && errlen)
		err[0] = '\0';
	int rc = parse_text(&c, text, len, label ? label : "requirements", base_dir, false);
	free(c.seen);
	if (rc) {
		pv_reqfile_free(out);
		return c.rc ? c.rc : -1;
	}
	return 0;
}

int pv_requirements_load(const char *path, struct pv_reqfile *out, char *err, size_t errlen)
{
	struct ctx c = {.rf = out, .err = err, .errlen = errlen};
	memset(out, 0, sizeof *out);
	if (err && errlen)
		err[0] = '\0';
	const char *slash = strrchr(path, '/');
	char *dir = slash ? dupn(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	if (!dir)
		return oom(&c);
	char *text = NULL;
	size_t len = 0;
	struct stat st;
	int rc = read_file(&c, NULL, path, &text, &len, &st);
	if (!rc) {
		c.stack[c.depth++] = (struct fid){st.st_dev, st.st_ino, false};
		rc = parse_text(&c, text, len, path, dir, false);
	}
	free(text);
	free(dir);
	free(c.seen);
	if (rc) {
		pv_reqfile_free(out);
		return c.rc ? c.rc : -1;
	}
	return 0;
}
