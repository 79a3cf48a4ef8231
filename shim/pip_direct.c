/* pip_direct.c - find a pip command's direct requirements (pip_direct.h). */
#include "pip_direct.h"
#include "pip_reqscan.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct collect {
	struct pv_pip_direct *v;
	size_t n;
	char *err;
	size_t errlen;
};

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static bool ends_with_ci(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);
	return n >= m && strncasecmp(s + n - m, suffix, m) == 0;
}

/* pip's archive extensions (pip/_internal/utils/filetypes.py). */
static bool is_archive_name(const char *s, size_t n)
{
	static const char *const exts[] = {".whl", ".zip", ".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tbz",
	                                   ".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma"};
	for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
		if (ends_with_ci(s, n, exts[i]))
			return true;
	return false;
}

static bool is_vcs_url(const char *u)
{
	static const char *const vcs[] = {"git+", "hg+", "svn+", "bzr+", "git://"};
	for (size_t i = 0; i < sizeof vcs / sizeof *vcs; i++)
		if (strncasecmp(u, vcs[i], strlen(vcs[i])) == 0)
			return true;
	return false;
}

/* "name[extras] @ url": the URL part, or NULL. */
static const char *pep508_url(const char *s, char *name, size_t namelen)
{
	const char *at = strchr(s, '@');
	if (!at)
		return NULL;
	const char *p = s;
	while (isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.')
		p++;
	size_t nl = (size_t)(p - s);
	if (!nl || nl >= namelen)
		return NULL;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '[') {
		const char *close = strchr(p, ']');
		if (!close || close > at)
			return NULL;
		p = close + 1;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	if (p != at)
		return NULL;
	memcpy(name, s, nl);
	name[nl] = 0;
	p = at + 1;
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* The digest in a URL's fragment (#sha256=HEX or &sha256=HEX), lower-cased. */
static bool fragment_sha256(const char *frag, char out[65])
{
	const char *p = frag;
	while ((p = strstr(p, "sha256=")) != NULL) {
		if (p > frag && (p[-1] == '#' || p[-1] == '&')) {
			size_t k = 0;
			while (k < 64 && isxdigit((unsigned char)p[7 + k]))
				k++;
			if (k == 64 && !isxdigit((unsigned char)p[7 + 64])) {
				for (size_t i = 0; i < 64; i++)
					out[i] = (char)tolower((unsigned char)p[7 + i]);
				out[64] = 0;
				return true;
			}
		}
		p += 7;
	}
	return false;
}

static void direct_clear(struct pv_pip_direct *d)
{
	free(d->where);
	free(d->sha256);
	free(d->origin);
	free(d->name);
	memset(d, 0, sizeof *d);
	d->argv_index = -1;
}

int pv_pip_direct_classify(const char *spec, bool editable, struct pv_pip_direct *d)
{
	memset(d, 0, sizeof *d);
	d->argv_index = -1;
	d->editable = editable;
	/* Environment markers follow "; " (pip needs the space before ';' after
	 * a URL or path, since ';' may be part of either). */
	char buf[8192];
	if (strlen(spec) >= sizeof buf)
		return 0; /* no requirement is that long; pip will say what it is */
	snprintf(buf, sizeof buf, "%s", spec);
	for (char *m = buf; (m = strchr(m, ';')) != NULL; m++)
		if (m > buf && (m[-1] == ' ' || m[-1] == '\t')) {
			*m = 0;
			break;
		}
	size_t len = strlen(buf);
	while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		buf[--len] = 0;
	char *s = buf;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return 0;

	char name[256] = "";
	const char *url = pep508_url(s, name, sizeof name);
	if (!url && (strstr(s, "://") || is_vcs_url(s)))
		url = s;
	if (url && strncasecmp(url, "file:", 5) != 0) {
		if (name[0] && !(d->name = strdup(name)))
			return -1;
		if (is_vcs_url(url)) {
			d->kind = PV_DIRECT_VCS;
			d->where = strdup(url);
		} else {
			d->kind = PV_DIRECT_URL;
			const char *hash = strchr(url, '#');
			char sha[65];
			if (hash && fragment_sha256(hash, sha) && !(d->sha256 = strdup(sha))) {
				direct_clear(d);
				return -1;
			}
			d->where = hash ? strndup(url, (size_t)(hash - url)) : strdup(url);
		}
		if (!d->where) {
			direct_clear(d);
			return -1;
		}
		return 1;
	}

	/* A path: file:// URL, or what pip takes for one. */
	char path[PATH_MAX];
	if (url) {
		const char *p = url + 5;
		if (has_prefix(p, "//localhost/"))
			p += 11;
		else if (has_prefix(p, "///"))
			p += 2;
		else if (has_prefix(p, "//"))
			return 0; /* a remote file host: pip refuses it */
		if (strlen(p) >= sizeof path)
			return 0; /* no path is that long: pip says what is wrong */
		snprintf(path, sizeof path, "%s", p);
		char *frag = strchr(path, '#');
		if (frag)
			*frag = 0;
	} else {
		if (strlen(s) >= sizeof path)
			return 0;
		memcpy(path, s, strlen(s) + 1);
		/* Extras after a path: ./dir[extra]. */
		size_t pl = strlen(path);
		if (pl && path[pl - 1] == ']') {
			char *open = strrchr(path, '[');
			if (open)
				*open = 0;
		}
	}
	size_t pl = strlen(path);
	bool looks_like_path = strchr(path, '/') || path[0] == '.' || editable;
	struct stat st;
	if (!looks_like_path && !(is_archive_name(path, pl) && stat(path, &st) == 0))
		return 0; /* a project name */
	char real[PATH_MAX];
	if (!realpath(path, real) || stat(real, &st) != 0)
		return 0; /* pip reports the missing path and builds nothing */
	if (S_ISDIR(st.st_mode))
		d->kind = PV_DIRECT_DIR;
	else if (S_ISREG(st.st_mode))
		d->kind = PV_DIRECT_FILE;
	else
		return 0;
	if (url && d->kind == PV_DIRECT_FILE) {
		const char *hash = strchr(url, '#');
		char sha[65];
		if (hash && fragment_sha256(hash, sha) && !(d->sha256 = strdup(sha)))
			return -1;
	}
	if (!(d->where = strdup(real))) {
		direct_clear(d);
		return -1;
	}
	return 1;
}

static int add(struct collect *c, const char *spec, bool editable, const char *origin, int argv_index,
               const char *hash_opt)
{
	struct pv_pip_direct d;
	int r = pv_pip_direct_classify(spec, editable, &d);
	if (r <= 0) {
		if (r < 0)
			snprintf(c->err, c->errlen, "out of memory");
		return r;
	}
	if (c->n >= PV_PIP_DIRECT_MAX) {
		direct_clear(&d);
		snprintf(c->err, c->errlen, "more than %d requirements from local paths or URLs",
		         PV_PIP_DIRECT_MAX);
		return -1;
	}
	if (hash_opt && !d.sha256 && d.kind != PV_DIRECT_DIR && !(d.sha256 = strdup(hash_opt))) {
		direct_clear(&d);
		snprintf(c->err, c->errlen, "out of memory");
		return -1;
	}
	d.origin = strdup(origin);
	d.argv_index = argv_index;
	struct pv_pip_direct *nv = d.origin ? realloc(c->v, (c->n + 1) * sizeof *nv) : NULL;
	if (!nv) {
		direct_clear(&d);
		snprintf(c->err, c->errlen, "out of memory");
		return -1;
	}
	c->v = nv;
	c->v[c->n++] = d;
	return 0;
}

/* ${NAME} (upper-case letters, digits, '_') replaced from the environment,
 * as pip does in requirements files; unset names are left as written. */
static int expand_env(const char *in, char *out, size_t outlen)
{
	size_t o = 0;
	for (const char *p = in; *p;) {
		if (p[0] == '$' && p[1] == '{') {
			const char *q = p + 2;
			while ((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_')
				q++;
			if (*q == '}' && q > p + 2) {
				char var[256];
				snprintf(var, sizeof var, "%.*s", (int)(q - p - 2), p + 2);
				const char *val = getenv(var);
				if (val) {
					size_t vl = strlen(val);
					if (o + vl >= outlen)
						return -1;
					memcpy(out + o, val, vl);
					o += vl;
					p = q + 1;
					continue;
				}
			}
		}
		if (o + 1 >= outlen)
			return -1;
		out[o++] = *p++;
	}
	out[o] = 0;
	return 0;
}

/* A requirement line of a requirements file (pip_reqscan.h). */
static int on_req_line(void *ud, const char *spec, bool editable, const char *sha256, const char *file,
                       unsigned line)
{
	struct collect *c = ud;
	char expanded[8192], origin[PATH_MAX + 32];
	if (expand_env(spec, expanded, sizeof expanded) < 0) {
		snprintf(c->err, c->errlen, "%.300s:%u: requirement too long after ${VAR} expansion", file, line);
		return -1;
	}
	snprintf(origin, sizeof origin, "%.*s:%u", PATH_MAX, file, line);
	return add(c, expanded, editable, origin, -1, sha256) < 0 ? -1 : 0;
}

int pv_pip_direct_collect(int argc, char *const argv[], const struct pv_pip_args *a,
                          struct pv_pip_direct **out, size_t *n, char *err, size_t errlen)
{
	struct collect c = {.err = err, .errlen = errlen};
	*out = NULL;
	*n = 0;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < a->nreqs; i++) {
		int at = -1;
		for (int j = 1; j < argc; j++)
			if (argv[j] == a->reqs[i])
				at = j;
		rc = add(&c, a->reqs[i], false, "the command line", at, NULL);
	}
	for (size_t i = 0; rc == 0 && i < a->neditables; i++)
		rc = add(&c, a->editables[i], true, "the command line", -1, NULL);
	if (rc == 0) {
		/* The requirements files: their requirement lines, and any option
		 * in them that would send pip elsewhere for packages (refused). */
		char where[700];
		int sc = pv_pip_reqfiles_scan(a, on_req_line, &c, where, sizeof where);
		if (sc == 1)
			snprintf(err, errlen, "%s in a requirements file: pip would use it without vetting what "
			         "it finds there; give it on the command line instead", where);
		else if (sc == -1)
			snprintf(err, errlen, "%s", where);
		rc = sc == 0 ? 0 : -1;
	}
	if (rc < 0) {
		pv_pip_direct_free(c.v, c.n);
		return -1;
	}
	*out = c.v;
	*n = c.n;
	return 0;
}

void pv_pip_direct_free(struct pv_pip_direct *d, size_t n)
{
	for (size_t i = 0; d && i < n; i++)
		direct_clear(&d[i]);
	free(d);
}
