/* pip_direct.c - find a pip command's direct requirements (pip_direct.h). */
#include "pip_direct.h"

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
	int nfiles;
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
		snprintf(path, sizeof path, "%s", p);
		char *frag = strchr(path, '#');
		if (frag)
			*frag = 0;
	} else {
		snprintf(path, sizeof path, "%s", s);
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

/* The value of option `opt` (short "-r" or long "--requirement") at the
 * start of line, or NULL: "-r F", "-rF", "--requirement F", "--requirement=F". */
static const char *option_value(const char *line, const char *shrt, const char *lng)
{
	size_t ll = strlen(lng);
	if (strncmp(line, lng, ll) == 0 && (line[ll] == '=' || line[ll] == ' ' || line[ll] == '\t')) {
		const char *v = line + ll + 1;
		while (*v == ' ' || *v == '\t' || (*v == '=' && line[ll] != '='))
			v++;
		return v;
	}
	if (shrt && strncmp(line, shrt, 2) == 0 && line[2]) {
		const char *v = line + 2;
		while (*v == ' ' || *v == '\t')
			v++;
		return v;
	}
	return NULL;
}

static int read_reqfile(struct collect *c, const char *path, const char *parent_dir, int depth);

/* One logical line of a requirements file. */
static int do_line(struct collect *c, char *line, const char *file, int lineno, const char *dir,
                   int depth)
{
	char *s = line;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return 0;
	char origin[PATH_MAX + 32];
	snprintf(origin, sizeof origin, "%.*s:%d", PATH_MAX, file, lineno);
	const char *v;
	if ((v = option_value(s, "-r", "--requirement")) || (v = option_value(s, "-c", "--constraint"))) {
		char target[PATH_MAX];
		snprintf(target, sizeof target, "%s", v);
		size_t tl = strlen(target);
		while (tl && (target[tl - 1] == ' ' || target[tl - 1] == '\t'))
			target[--tl] = 0;
		return read_reqfile(c, target, dir, depth + 1);
	}
	bool editable = false;
	if ((v = option_value(s, "-e", "--editable"))) {
		editable = true;
		s = (char *)v;
	} else if (*s == '-') {
		return 0; /* an option line (-i, -f, --pre, ...): the args parser's business */
	}
	/* Per-requirement options start at " --" (e.g. --hash=sha256:...). */
	char hash[65] = "";
	char *opt = strstr(s, " --");
	char *tab = strstr(s, "\t--");
	if (tab && (!opt || tab < opt))
		opt = tab;
	if (opt) {
		const char *h = strstr(opt, "--hash=sha256:");
		if (h) {
			size_t k = 0;
			h += strlen("--hash=sha256:");
			while (k < 64 && isxdigit((unsigned char)h[k]))
				k++;
			if (k == 64) {
				for (size_t i = 0; i < 64; i++)
					hash[i] = (char)tolower((unsigned char)h[i]);
				hash[64] = 0;
			}
		}
		*opt = 0;
	}
	return add(c, s, editable, origin, -1, hash[0] ? hash : NULL) < 0 ? -1 : 0;
}

static int read_reqfile(struct collect *c, const char *path, const char *parent_dir, int depth)
{
	if (depth > PV_PIP_REQFILE_DEPTH) {
		snprintf(c->err, c->errlen, "%.300s: requirements files nested more than %d deep", path,
		         PV_PIP_REQFILE_DEPTH);
		return -1;
	}
	if (++c->nfiles > PV_PIP_REQFILES_MAX) {
		snprintf(c->err, c->errlen, "more than %d requirements files", PV_PIP_REQFILES_MAX);
		return -1;
	}
	/* A requirements file by URL: pip fetches it; its direct requirements
	 * are still vetted after resolution (pip_shim.c), not before. */
	if (strstr(path, "://"))
		return 0;
	char full[PATH_MAX];
	if (path[0] != '/' && parent_dir)
		snprintf(full, sizeof full, "%s/%s", parent_dir, path);
	else
		snprintf(full, sizeof full, "%s", path);
	FILE *f = fopen(full, "rb");
	if (!f) {
		if (errno == ENOENT)
			return 0; /* pip says "Could not open requirements file" and stops */
		snprintf(c->err, c->errlen, "cannot read %.300s: %s", full, strerror(errno));
		return -1;
	}
	char *text = malloc(PV_PIP_REQFILE_MAX + 1);
	size_t len = text ? fread(text, 1, PV_PIP_REQFILE_MAX + 1, f) : 0;
	bool bad = !text || ferror(f) || len > PV_PIP_REQFILE_MAX;
	fclose(f);
	if (bad) {
		snprintf(c->err, c->errlen, "%.300s: %s", full,
		         !text ? "out of memory" : len > PV_PIP_REQFILE_MAX ? "requirements file over 1 MiB"
		                                                            : "read error");
		free(text);
		return -1;
	}
	text[len] = 0;
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", full);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = slash == dir ? (slash[1] = 0, '/') : 0;
	else
		snprintf(dir, sizeof dir, ".");

	int rc = 0, lineno = 0;
	char *logical = malloc(PV_PIP_REQFILE_MAX + 1), *expanded = malloc(PV_PIP_REQFILE_MAX + 1);
	if (!logical || !expanded) {
		snprintf(c->err, c->errlen, "out of memory");
		rc = -1;
	}
	size_t ll = 0;
	int first_line = 0;
	for (char *p = text; rc == 0 && *p;) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		lineno++;
		if (!ll)
			first_line = lineno;
		if (n && p[n - 1] == '\r')
			n--;
		bool cont = n && p[n - 1] == '\\';
		memcpy(logical + ll, p, cont ? n - 1 : n);
		ll += cont ? n - 1 : n;
		p = nl ? nl + 1 : p + strlen(p);
		if (cont && *p)
			continue;
		logical[ll] = 0;
		ll = 0;
		/* A comment starts at '#' at the line's start or after whitespace. */
		for (char *h = logical; (h = strchr(h, '#')) != NULL; h++)
			if (h == logical || h[-1] == ' ' || h[-1] == '\t') {
				*h = 0;
				break;
			}
		if (expand_env(logical, expanded, PV_PIP_REQFILE_MAX + 1) < 0) {
			snprintf(c->err, c->errlen, "%.300s:%d: line too long after ${VAR} expansion", full,
			         first_line);
			rc = -1;
			break;
		}
		rc = do_line(c, expanded, full, first_line, dir, depth);
	}
	free(logical);
	free(expanded);
	free(text);
	return rc;
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
	for (size_t i = 0; rc == 0 && i < a->nreq_files; i++)
		rc = read_reqfile(&c, a->req_files[i], NULL, 1);
	for (size_t i = 0; rc == 0 && i < a->nconstraint_files; i++)
		rc = read_reqfile(&c, a->constraint_files[i], NULL, 1);
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
