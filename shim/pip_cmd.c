/* pip_cmd.c - build the pip shim's resolution and hand-off command lines,
 * their environment, and find the pip that runs them. See pip_cmd.h. */
#include "pip_cmd.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipconf.h"
#include "real_tool.h"

/* Bounds: a command line longer than this is not one a person typed, and
 * the one-removal-per-parse rewrite below is quadratic in it. */
#define MAX_ARGS 4096
#define MAX_CONF_BYTES (1u << 20)
/* A requirement no index has: see strip(). */
#define PLACEHOLDER "pkgvet-placeholder-requirement"

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void pv_strv_free(char **v)
{
	if (!v)
		return;
	for (size_t i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

/* A NULL-terminated malloc'd list of malloc'd strings being built. */
struct strv {
	char **v;
	size_t n, cap;
	bool oom;
};

static void strv_add_n(struct strv *s, const char *str, size_t len)
{
	if (s->oom)
		return;
	if (s->n + 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		char **v = realloc(s->v, cap * sizeof *v);
		if (!v) {
			s->oom = true;
			return;
		}
		s->v = v;
		s->cap = cap;
	}
	char *c = malloc(len + 1);
	if (!c) {
		s->oom = true;
		return;
	}
	memcpy(c, str, len);
	c[len] = '\0';
	s->v[s->n++] = c;
	s->v[s->n] = NULL;
}

static void strv_add(struct strv *s, const char *str)
{
	strv_add_n(s, str, strlen(str));
}

/* Hand the list over (never NULL unless out of memory). */
static char **strv_finish(struct strv *s)
{
	if (!s->oom && !s->v) {
		s->v = calloc(1, sizeof *s->v);
		if (!s->v)
			s->oom = true;
	}
	if (s->oom) {
		pv_strv_free(s->v);
		s->v = NULL;
		return NULL;
	}
	return s->v;
}

/* ---- finding pip --------------------------------------------------------- */

void pv_pip_exe_free(struct pv_pip_exe *e)
{
	if (!e)
		return;
	for (int i = 0; i < 4; i++)
		free(e->argv0[i]);
	memset(e, 0, sizeof *e);
}

int pv_pip_find(const char *invoked_as, const char *python, struct pv_pip_exe *out, char *err,
                size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (!invoked_as || (strcmp(invoked_as, "pip") != 0 && strcmp(invoked_as, "pip3") != 0)) {
		set_err(err, errlen, "pip shim: unexpected tool name %s", invoked_as ? invoked_as : "(null)");
		return -1;
	}
	if (python) {
		if (!*python) {
			set_err(err, errlen, "pip shim: empty python for -m pip");
			return -1;
		}
		const char *words[3] = {python, "-m", "pip"};
		for (int i = 0; i < 3; i++) {
			out->argv0[i] = strdup(words[i]);
			if (!out->argv0[i]) {
				pv_pip_exe_free(out);
				set_err(err, errlen, "out of memory");
				return -1;
			}
		}
		out->n = 3;
		return 0;
	}
	/* The venv's pip when one is active, else the real one on PATH
	 * (real_tool.c: the same rule the libc-only front door uses). */
	char path[4096];
	if (pv_real_pip(invoked_as, path, sizeof path, err, errlen) != 0)
		return -1;
	out->argv0[0] = strdup(path);
	if (!out->argv0[0]) {
		set_err(err, errlen, "out of memory");
		return -1;
	}
	out->n = 1;
	return 0;
}

/* ---- upstream indexes ------------------------------------------------------ */

/* Read a small config file; NULL with errno ENOENT when it is missing. */
static char *read_small(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(MAX_CONF_BYTES + 1);
	if (!buf) {
		fclose(f);
		errno = ENOMEM;
		return NULL;
	}
	size_t n = fread(buf, 1, MAX_CONF_BYTES + 1, f);
	bool bad = ferror(f) || n > MAX_CONF_BYTES;
	fclose(f);
	if (bad) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

static int apply_conf_file(struct pv_pipconf *cfg, const char *path, char *err, size_t errlen)
{
	char *text = read_small(path);
	if (!text) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		set_err(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	int rc = pv_pipconf_apply_text(cfg, text, path);
	free(text);
	if (rc != 0)
		set_err(err, errlen, "pip configuration: out of memory");
	return rc;
}

/* pip's configuration layers, as pip 23.2 (configuration.py) stacks them:
 * files (global, user, site) under the PIP_CONFIG_FILE file under PIP_*
 * variables. pv_pipconf_load covers the usual case; PIP_CONFIG_FILE needs
 * the layering here because pip then skips the user files (when the file
 * exists) or every file (when it is os.devnull). --isolated skips it all. */
static int load_config(struct pv_pipconf *cfg, bool isolated, char *err, size_t errlen)
{
	if (isolated)
		return pv_pipconf_init_default(cfg) == 0 ? 0 : (set_err(err, errlen, "out of memory"), -1);
	const char *cf = getenv("PIP_CONFIG_FILE");
	struct stat st;
	if (!cf || !*cf || stat(cf, &st) != 0) {
		/* Unset, or naming a missing file: pip loads the usual files. */
		if (pv_pipconf_load(cfg, NULL, err, errlen) != 0)
			return -1;
	} else {
		if (pv_pipconf_init_default(cfg) != 0) {
			set_err(err, errlen, "out of memory");
			return -1;
		}
		if (strcmp(cf, "/dev/null") != 0) {
			if (apply_conf_file(cfg, "/etc/pip.conf", err, errlen) != 0)
				return -1;
			const char *venv = getenv("VIRTUAL_ENV");
			char path[4096];
			if (venv && venv[0] == '/') {
				int w = snprintf(path, sizeof path, "%s/pip.conf", venv);
				if (w > 0 && (size_t)w < sizeof path &&
				    apply_conf_file(cfg, path, err, errlen) != 0)
					return -1;
			}
			if (apply_conf_file(cfg, cf, err, errlen) != 0)
				return -1;
		}
		const char *e = getenv("PIP_INDEX_URL");
		if (e && *e && pv_pipconf_set_index(cfg, e) != 0) {
			set_err(err, errlen, "out of memory");
			return -1;
		}
		e = getenv("PIP_EXTRA_INDEX_URL");
		if (e && *e && pv_pipconf_set_extra(cfg, e) != 0) {
			set_err(err, errlen, "out of memory");
			return -1;
		}
		e = getenv("PIP_FIND_LINKS");
		if (e && *e && pv_pipconf_set_find_links(cfg, e) != 0) {
			set_err(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

static void add_url(struct strv *s, const char *url)
{
	size_t n = strlen(url);
	if (n == 0)
		return;
	bool slash = url[n - 1] == '/';
	char *u = malloc(n + 2);
	if (!u) {
		s->oom = true;
		return;
	}
	memcpy(u, url, n);
	if (!slash)
		u[n++] = '/';
	u[n] = '\0';
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], u) == 0) {
			free(u);
			return;
		}
	strv_add(s, u);
	free(u);
}

char **pv_pip_upstreams(const struct pv_pip_args *a, char *err, size_t errlen)
{
	struct strv s = {0};
	if (!a) {
		set_err(err, errlen, "pip upstreams: no arguments");
		return NULL;
	}
	if (a->no_index) {
		char **v = strv_finish(&s);
		if (!v)
			set_err(err, errlen, "out of memory");
		return v;
	}
	struct pv_pipconf cfg = {0};
	if (load_config(&cfg, a->isolated_config, err, errlen) != 0) {
		pv_pipconf_free(&cfg);
		return NULL;
	}
	add_url(&s, a->index_url && *a->index_url ? a->index_url : cfg.index_url);
	for (size_t i = 0; i < cfg.nextra; i++)
		add_url(&s, cfg.extra[i]);
	/* optparse appends command-line values to the list pip's configuration
	 * put in the defaults: pip.conf's extras and --extra-index-url add up. */
	for (size_t i = 0; i < a->nextra_index_urls; i++)
		add_url(&s, a->extra_index_urls[i]);
	pv_pipconf_free(&cfg);
	char **v = strv_finish(&s);
	if (!v)
		set_err(err, errlen, "out of memory");
	return v;
}

/* loc as the gate takes it: URLs (http, https, file) as they are, "~/..."
 * expanded when that exists (pip does the same), other paths made
 * absolute against the current directory (pip opens them from there). */
static void add_location(struct strv *s, const char *loc, const char *cwd)
{
	size_t n = strlen(loc);
	if (n == 0)
		return;
	if (loc[0] == '/' || strncasecmp(loc, "http://", 7) == 0 || strncasecmp(loc, "https://", 8) == 0 ||
	    strncasecmp(loc, "file:", 5) == 0) {
		strv_add(s, loc);
		return;
	}
	const char *home = getenv("HOME");
	char *abs = NULL;
	struct stat st;
	if (loc[0] == '~' && (loc[1] == '/' || !loc[1]) && home && home[0] == '/' &&
	    asprintf(&abs, "%s%s", home, loc + 1) >= 0 && stat(abs, &st) != 0) {
		free(abs);
		abs = NULL;
	}
	if (!abs && asprintf(&abs, "%s/%s", cwd, loc) < 0)
		abs = NULL;
	if (!abs) {
		s->oom = true;
		return;
	}
	strv_add(s, abs);
	free(abs);
}

char **pv_pip_find_links(const struct pv_pip_args *a, char *err, size_t errlen)
{
	if (!a) {
		set_err(err, errlen, "pip find-links: no arguments");
		return NULL;
	}
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd)) {
		set_err(err, errlen, "cannot tell the current directory: %s", strerror(errno));
		return NULL;
	}
	struct pv_pipconf cfg = {0};
	if (load_config(&cfg, a->isolated_config, err, errlen) != 0) {
		pv_pipconf_free(&cfg);
		return NULL;
	}
	struct strv s = {0};
	/* As for extra indexes, command-line values add to configured ones. */
	for (size_t i = 0; i < cfg.nfind_links; i++)
		add_location(&s, cfg.find_links[i], cwd);
	for (size_t i = 0; i < a->nfind_links; i++)
		add_location(&s, a->find_links[i], cwd);
	pv_pipconf_free(&cfg);
	char **v = strv_finish(&s);
	if (!v)
		set_err(err, errlen, "out of memory");
	return v;
}

/* ---- rewriting the command line --------------------------------------------- */

/* The command line being rewritten: private copies, so every string is a
 * distinct object and a pointer from pip_args names exactly one element
 * (a caller's argv may alias, e.g. merged string literals). */
struct work {
	char **v;
	int n, cap;
	/* Removed strings, freed with the work: the previous parse still holds
	 * their addresses, which are compared (never read) against the next. */
	char **dead;
	int ndead, deadcap;
};

static void work_free(struct work *w)
{
	for (int i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	for (int i = 0; i < w->ndead; i++)
		free(w->dead[i]);
	free(w->dead);
	memset(w, 0, sizeof *w);
}

static int work_init(struct work *w, int argc, char *const argv[])
{
	memset(w, 0, sizeof *w);
	w->cap = argc + 8;
	w->v = calloc((size_t)w->cap + 1, sizeof *w->v);
	/* Every element can die at most once. */
	w->dead = calloc((size_t)argc + 1, sizeof *w->dead);
	if (!w->v || !w->dead) {
		free(w->v);
		free(w->dead);
		memset(w, 0, sizeof *w);
		return -1;
	}
	w->deadcap = argc + 1;
	for (int i = 0; i < argc; i++) {
		w->v[i] = strdup(argv[i]);
		if (!w->v[i]) {
			w->n = i;
			work_free(w);
			return -1;
		}
	}
	w->n = argc;
	return 0;
}

static void work_remove(struct work *w, int k, int count)
{
	for (int i = k; i < k + count; i++)
		if (w->ndead < w->deadcap)
			w->dead[w->ndead++] = w->v[i];
		else
			free(w->v[i]); /* not reached: only argc elements can go */
	memmove(&w->v[k], &w->v[k + count], (size_t)(w->n - k - count) * sizeof *w->v);
	w->n -= count;
	w->v[w->n] = NULL;
}

static int work_insert(struct work *w, int k, const char *s)
{
	if (w->n + 1 > w->cap) {
		int cap = w->cap * 2;
		char **v = realloc(w->v, ((size_t)cap + 1) * sizeof *v);
		if (!v)
			return -1;
		w->v = v;
		w->cap = cap;
	}
	char *c = strdup(s);
	if (!c)
		return -1;
	memmove(&w->v[k + 1], &w->v[k], (size_t)(w->n - k) * sizeof *w->v);
	w->v[k] = c;
	w->n++;
	w->v[w->n] = NULL;
	return 0;
}

/* The element p points into (at its start or inside), or -1. Compared as
 * addresses: the elements are distinct objects. */
static int elem_of(const struct work *w, const char *p)
{
	uintptr_t q = (uintptr_t)p;
	for (int k = 1; k < w->n; k++) {
		uintptr_t b = (uintptr_t)w->v[k];
		if (q >= b && q <= b + strlen(w->v[k]))
			return k;
	}
	return -1;
}

/* Remove the option that produced value p (or the positional p). pip
 * reads a value as --opt=VALUE or -oVALUE (p inside the element, after
 * the option), or as the element after --opt / -o (p at its start). A
 * short option may end a cluster (-qr FILE, -qrFILE): the flags before it
 * stay. */
static int remove_value(struct work *w, const char *p, bool positional)
{
	int k = elem_of(w, p);
	if (k < 1)
		return -1;
	if (positional) {
		if (p != w->v[k])
			return -1;
		work_remove(w, k, 1);
		return 0;
	}
	if (p == w->v[k]) {
		if (k < 2)
			return -1;
		char *o = w->v[k - 1];
		size_t ol = strlen(o);
		if (o[0] != '-' || ol < 2)
			return -1;
		if (o[1] == '-' || ol == 2) {
			work_remove(w, k - 1, 2);
		} else {
			o[ol - 1] = '\0';
			work_remove(w, k, 1);
		}
		return 0;
	}
	char *e = w->v[k];
	if (e[0] != '-')
		return -1;
	if (e[1] == '-') {
		work_remove(w, k, 1);
		return 0;
	}
	size_t keep = (size_t)(p - e) - 1; /* up to, not including, the option letter */
	if (keep <= 1)
		work_remove(w, k, 1);
	else
		e[keep] = '\0';
	return 0;
}

/* Which fields a removal may change. */
enum {
	M_REQS = 1 << 0,
	M_RFILES = 1 << 1,
	M_CFILES = 1 << 2,
	M_EDIT = 1 << 3,
	M_INDEX = 1 << 4,
	M_EXTRA = 1 << 5,
	M_NOINDEX = 1 << 6,
	M_DEST = 1 << 7,
	M_REPORT = 1 << 8,
	M_FLINKS = 1 << 9,
};

static bool list_eq(const char **x, size_t nx, const char **y, size_t ny)
{
	if (nx != ny)
		return false;
	for (size_t i = 0; i < nx; i++)
		if (x[i] != y[i])
			return false;
	return true;
}

/* Everything pip_args knows is unchanged, apart from the fields in mask.
 * Pointers compare as identities (the strings are ours and stay put). */
static bool same_except(const struct pv_pip_args *x, const struct pv_pip_args *y, unsigned mask)
{
	if (x->verb != y->verb || x->command != y->command || x->usage_error || y->usage_error)
		return false;
#define SAMEL(f, nf, m) \
	if (!(mask & (m)) && !list_eq(x->f, x->nf, y->f, y->nf)) \
		return false
	SAMEL(reqs, nreqs, M_REQS);
	SAMEL(req_files, nreq_files, M_RFILES);
	SAMEL(constraint_files, nconstraint_files, M_CFILES);
	SAMEL(editables, neditables, M_EDIT);
	SAMEL(extra_index_urls, nextra_index_urls, M_EXTRA);
	SAMEL(find_links, nfind_links, M_FLINKS);
	SAMEL(only_binary, nonly_binary, 0);
	SAMEL(no_binary, nno_binary, 0);
#undef SAMEL
	if (!(mask & M_INDEX) && x->index_url != y->index_url)
		return false;
	if (!(mask & M_NOINDEX) && x->no_index != y->no_index)
		return false;
	if (!(mask & M_DEST) && x->dest != y->dest)
		return false;
	if (!(mask & M_REPORT) && x->report != y->report)
		return false;
	return x->upgrade == y->upgrade && x->user == y->user && x->pre == y->pre &&
	       x->no_deps == y->no_deps && x->require_hashes == y->require_hashes &&
	       x->dry_run == y->dry_run && x->force_reinstall == y->force_reinstall &&
	       x->ignore_installed == y->ignore_installed &&
	       x->no_build_isolation == y->no_build_isolation && x->quiet == y->quiet &&
	       x->target == y->target && x->prefix == y->prefix && x->root == y->root &&
	       x->python == y->python && x->isolated == y->isolated &&
	       x->isolated_config == y->isolated_config && x->help == y->help &&
	       x->version == y->version;
}

/* The requirements taken out for the resolution command, to be put back
 * after the gate's options. */
struct saved {
	struct strv reqs, rfiles, cfiles, edits;
};

static void saved_free(struct saved *s)
{
	pv_strv_free(s->reqs.v);
	pv_strv_free(s->rfiles.v);
	pv_strv_free(s->cfiles.v);
	pv_strv_free(s->edits.v);
	memset(s, 0, sizeof *s);
}

struct rewrite {
	struct work w;
	struct pv_pip_args cur; /* parse of w */
	char *err;
	size_t errlen;
};

static int reparse(struct rewrite *r, struct pv_pip_args *out)
{
	char perr[160];
	if (pv_pip_args_parse(r->w.n, r->w.v, out, perr, sizeof perr) != 0) {
		set_err(r->err, r->errlen, "pip command: %s", perr);
		return -1;
	}
	return 0;
}

/* Take the first value of a list field out: the parse after the removal
 * must be the same but for that list, which lost exactly its first
 * element. */
static int take_first(struct rewrite *r, const char **list, size_t nlist, bool positional,
                      unsigned mask, struct strv *keep)
{
	const char *p = list[0];
	if (keep)
		strv_add(keep, p);
	if (remove_value(&r->w, p, positional) != 0) {
		set_err(r->err, r->errlen, "pip command: cannot locate the option of %s", p);
		return -1;
	}
	struct pv_pip_args next;
	if (reparse(r, &next) != 0)
		return -1;
	/* Which list shrank is recomputed from the new parse (a pointer into
	 * the old one would dangle once the old parse is freed). */
	const char **nl = NULL;
	size_t nn = 0;
	switch (mask) {
	case M_REQS: nl = next.reqs; nn = next.nreqs; break;
	case M_RFILES: nl = next.req_files; nn = next.nreq_files; break;
	case M_CFILES: nl = next.constraint_files; nn = next.nconstraint_files; break;
	case M_EDIT: nl = next.editables; nn = next.neditables; break;
	case M_EXTRA: nl = next.extra_index_urls; nn = next.nextra_index_urls; break;
	case M_FLINKS: nl = next.find_links; nn = next.nfind_links; break;
	default: break;
	}
	bool ok = nl && same_except(&r->cur, &next, mask) && list_eq(list + 1, nlist - 1, nl, nn);
	if (!ok) {
		pv_pip_args_free(&next);
		set_err(r->err, r->errlen, "pip command: cannot take %s out of the command line", p);
		return -1;
	}
	pv_pip_args_free(&r->cur);
	r->cur = next;
	return 0;
}

/* Take out a last-wins option (index URL, report, destination): the parse
 * afterwards shows an earlier one or none. */
static int take_single(struct rewrite *r, const char *p, unsigned mask)
{
	if (remove_value(&r->w, p, false) != 0) {
		set_err(r->err, r->errlen, "pip command: cannot locate the option of %s", p);
		return -1;
	}
	struct pv_pip_args next;
	if (reparse(r, &next) != 0)
		return -1;
	const char *now = mask == M_INDEX ? next.index_url : mask == M_REPORT ? next.report : next.dest;
	if (!same_except(&r->cur, &next, mask) || now == p) {
		pv_pip_args_free(&next);
		set_err(r->err, r->errlen, "pip command: cannot take %s out of the command line", p);
		return -1;
	}
	pv_pip_args_free(&r->cur);
	r->cur = next;
	return 0;
}

/* Is word an abbreviation (or the whole) of long option name, at least
 * minlen long? pip_args has already rejected ambiguous ones. */
static bool abbrev_of(const char *word, size_t wlen, const char *name, size_t minlen)
{
	return wlen >= minlen && wlen <= strlen(name) && strncmp(word, name, wlen) == 0;
}

/* Options pip_args does not record as values (flags like --no-index,
 * wheel's --no-verify / --build-option, a `--` end marker) are found by
 * trying: remove a candidate and keep the removal only when the new parse
 * equals the old apart from mask. For --no-index the flag must be gone
 * once the candidates are exhausted. */
enum cand { C_NO_INDEX, C_DASHDASH, C_WHEEL_ONLY };

static bool is_candidate(const char *s, enum cand c, int *span)
{
	*span = 1;
	size_t n = strlen(s);
	switch (c) {
	case C_NO_INDEX:
		return abbrev_of(s, n, "--no-index", 3);
	case C_DASHDASH:
		return strcmp(s, "--") == 0;
	case C_WHEEL_ONLY: {
		if (abbrev_of(s, n, "--no-verify", 3))
			return true;
		const char *eq = strchr(s, '=');
		size_t wl = eq ? (size_t)(eq - s) : n;
		if (abbrev_of(s, wl, "--build-option", 3)) {
			*span = eq ? 1 : 2;
			return true;
		}
		return false;
	}
	}
	return false;
}

static int take_candidates(struct rewrite *r, enum cand c, unsigned mask)
{
	char **tv = calloc((size_t)r->w.n + 1, sizeof *tv);
	if (!tv) {
		set_err(r->err, r->errlen, "out of memory");
		return -1;
	}
	for (int k = 1; k < r->w.n; k++) {
		if (c == C_NO_INDEX && !r->cur.no_index)
			break;
		int span;
		if (!is_candidate(r->w.v[k], c, &span) || k + span > r->w.n)
			continue;
		/* The trial borrows w's strings, so its parse compares with
		 * r->cur pointer for pointer. */
		int tn = 0;
		for (int i = 0; i < r->w.n; i++)
			if (i < k || i >= k + span)
				tv[tn++] = r->w.v[i];
		tv[tn] = NULL;
		struct pv_pip_args next;
		char perr[160];
		if (pv_pip_args_parse(tn, tv, &next, perr, sizeof perr) != 0) {
			free(tv);
			set_err(r->err, r->errlen, "pip command: %s", perr);
			return -1;
		}
		if (same_except(&r->cur, &next, mask)) {
			work_remove(&r->w, k, span);
			pv_pip_args_free(&r->cur);
			r->cur = next;
			k = 0; /* indexes shifted: start over */
			continue;
		}
		pv_pip_args_free(&next);
	}
	free(tv);
	if (c == C_NO_INDEX && r->cur.no_index) {
		set_err(r->err, r->errlen, "pip command: cannot take --no-index out of the command line");
		return -1;
	}
	return 0;
}

enum mode { RESOLVE, HANDOFF };

static int check_text(const char *what, const char *s, char *err, size_t errlen)
{
	if (!s || !*s || strlen(s) > 4096) {
		set_err(err, errlen, "pip command: bad %s", what);
		return -1;
	}
	return 0;
}

/* Strip what both commands replace; for RESOLVE keep the requirements in
 * sv. On success r->w holds the rest and r->cur its parse. */
static int strip(struct rewrite *r, int argc, char *const argv[], const struct pv_pip_args *a,
                 enum mode mode, struct saved *sv)
{
	if (!argv || argc < 1 || argc > MAX_ARGS || !a) {
		set_err(r->err, r->errlen, "pip command: bad argument vector");
		return -1;
	}
	if (a->verb == PV_PIP_PASS || a->usage_error) {
		set_err(r->err, r->errlen, "pip command: not an install, download or wheel command");
		return -1;
	}
	for (int i = 0; i < argc; i++)
		if (!argv[i]) {
			set_err(r->err, r->errlen, "pip command: bad argument vector");
			return -1;
		}
	/* pip (and so pip_args) rejects an install with no requirement at all:
	 * a placeholder requirement at the end keeps every intermediate
	 * command line parseable while the real ones are taken out. At the end
	 * of argv it can only be a positional (an option there lacking its
	 * value would have made the original line a usage error). */
	if (work_init(&r->w, argc, argv) != 0 || work_insert(&r->w, r->w.n, PLACEHOLDER) != 0) {
		set_err(r->err, r->errlen, "out of memory");
		return -1;
	}
	if (reparse(r, &r->cur) != 0)
		return -1;
	if (r->cur.verb != a->verb || r->cur.usage_error) {
		set_err(r->err, r->errlen, "pip command: parse does not match the command line");
		return -1;
	}
	bool keep = mode == RESOLVE;
	/* Each round removes one item, so at most argc rounds. */
	for (int guard = 0; guard <= argc; guard++) {
		struct pv_pip_args *c = &r->cur;
		int rc;
		if (c->nreqs > 1)
			rc = take_first(r, c->reqs, c->nreqs, true, M_REQS, keep ? &sv->reqs : NULL);
		else if (c->neditables)
			rc = take_first(r, c->editables, c->neditables, false, M_EDIT,
			                keep ? &sv->edits : NULL);
		else if (c->nreq_files)
			rc = take_first(r, c->req_files, c->nreq_files, false, M_RFILES,
			                keep ? &sv->rfiles : NULL);
		else if (c->nconstraint_files)
			rc = take_first(r, c->constraint_files, c->nconstraint_files, false, M_CFILES,
			                keep ? &sv->cfiles : NULL);
		else if (c->nextra_index_urls)
			rc = take_first(r, c->extra_index_urls, c->nextra_index_urls, false, M_EXTRA, NULL);
		else if (c->nfind_links) /* the gate reads them (pv_pip_find_links) */
			rc = take_first(r, c->find_links, c->nfind_links, false, M_FLINKS, NULL);
		else if (c->index_url)
			rc = take_single(r, c->index_url, M_INDEX);
		else if (mode == RESOLVE && c->report)
			rc = take_single(r, c->report, M_REPORT);
		else if (mode == RESOLVE && c->verb != PV_PIP_INSTALL && c->dest)
			rc = take_single(r, c->dest, M_DEST);
		else
			break;
		if (rc != 0)
			return -1;
		if (sv && (sv->reqs.oom || sv->edits.oom || sv->rfiles.oom || sv->cfiles.oom)) {
			set_err(r->err, r->errlen, "out of memory");
			return -1;
		}
	}
	if (take_candidates(r, C_NO_INDEX, M_NOINDEX) != 0 ||
	    take_candidates(r, C_DASHDASH, 0) != 0)
		return -1;
	if (mode == RESOLVE && r->cur.verb == PV_PIP_WHEEL &&
	    take_candidates(r, C_WHEEL_ONLY, 0) != 0)
		return -1;
	if (mode == RESOLVE && r->cur.verb != PV_PIP_INSTALL) {
		/* pip download / wheel cannot write a report: resolve the same
		 * requirements as an install (which ignores what is installed). */
		int ci = r->cur.cmd_index;
		if (ci < 1 || ci >= r->w.n) {
			set_err(r->err, r->errlen, "pip command: no command word");
			return -1;
		}
		char *inst = strdup("install");
		if (!inst) {
			set_err(r->err, r->errlen, "out of memory");
			return -1;
		}
		free(r->w.v[ci]);
		r->w.v[ci] = inst;
		pv_pip_args_free(&r->cur);
		if (reparse(r, &r->cur) != 0)
			return -1;
		if (r->cur.verb != PV_PIP_INSTALL || r->cur.usage_error) {
			set_err(r->err, r->errlen,
			        "pip command: the %s options do not carry over to an install resolution",
			        pv_pip_verb_name(a->verb));
			return -1;
		}
	}
	/* Whatever is left must be free of what was to go, the placeholder
	 * being the one requirement, last. */
	const struct pv_pip_args *c = &r->cur;
	if (c->nreqs != 1 || c->reqs[0] != r->w.v[r->w.n - 1] ||
	    strcmp(r->w.v[r->w.n - 1], PLACEHOLDER) != 0) {
		set_err(r->err, r->errlen, "pip command: cannot rewrite this command line");
		return -1;
	}
	if (c->neditables || c->nreq_files || c->nconstraint_files || c->nfind_links ||
	    c->nextra_index_urls || c->index_url || c->no_index ||
	    (mode == RESOLVE && (c->report || (c->verb != PV_PIP_INSTALL && c->dest)))) {
		set_err(r->err, r->errlen, "pip command: cannot rewrite this command line");
		return -1;
	}
	/* r->cur keeps describing the line with the placeholder: only its
	 * verb and cmd_index (which comes before it) are used from here on. */
	work_remove(&r->w, r->w.n - 1, 1);
	return 0;
}

static void add_exe(struct pv_argv *out, const struct pv_pip_exe *exe)
{
	for (int i = 0; i < exe->n && i < 4; i++)
		pv_argv_add(out, exe->argv0[i]);
}

static bool exe_ok(const struct pv_pip_exe *exe)
{
	if (!exe || exe->n < 1 || exe->n > 4)
		return false;
	for (int i = 0; i < exe->n; i++)
		if (!exe->argv0[i] || !*exe->argv0[i])
			return false;
	return true;
}

int pv_pip_resolve_argv(const struct pv_pip_exe *exe, int argc, char *const argv[],
                        const struct pv_pip_args *a, const char *gate_url,
                        const char *report_path, struct pv_argv *out, char *err, size_t errlen)
{
	if (!exe_ok(exe) || check_text("gate URL", gate_url, err, errlen) != 0 ||
	    check_text("report path", report_path, err, errlen) != 0) {
		if (!exe_ok(exe))
			set_err(err, errlen, "pip command: no pip to run");
		return -1;
	}
	struct rewrite r = {.err = err, .errlen = errlen};
	struct saved sv = {0};
	int rc = -1;
	if (strip(&r, argc, argv, a, RESOLVE, &sv) != 0)
		goto done;
	bool convert = a->verb != PV_PIP_INSTALL;
	add_exe(out, exe);
	for (int i = 1; i < r.w.n; i++)
		pv_argv_add(out, r.w.v[i]);
	const char *add[] = {"--index-url", gate_url, "--dry-run", "--report", report_path,
	                     "--quiet", "--no-input", "--progress-bar", "off", "--timeout", "600"};
	for (size_t i = 0; i < sizeof add / sizeof add[0]; i++)
		pv_argv_add(out, add[i]);
	if (convert) {
		/* pip 23.2's install refuses --platform / --python-version / --abi /
		 * --implementation without --target, even for a dry run
		 * (cmdoptions.check_dist_restriction); download takes them. A
		 * target that a dry run never creates also says what download
		 * means: resolve as into an empty place. */
		size_t tl = strlen(report_path) + sizeof ".target";
		char *target = malloc(tl);
		if (!target) {
			set_err(err, errlen, "out of memory");
			goto done;
		}
		snprintf(target, tl, "%s.target", report_path);
		pv_argv_add(out, "--ignore-installed");
		pv_argv_add(out, "--target");
		pv_argv_add(out, target);
		free(target);
	}
	for (size_t i = 0; i < sv.cfiles.n; i++) {
		pv_argv_add(out, "-c");
		pv_argv_add(out, sv.cfiles.v[i]);
	}
	for (size_t i = 0; i < sv.edits.n; i++) {
		pv_argv_add(out, "-e");
		pv_argv_add(out, sv.edits.v[i]);
	}
	for (size_t i = 0; i < sv.rfiles.n; i++) {
		pv_argv_add(out, "-r");
		pv_argv_add(out, sv.rfiles.v[i]);
	}
	/* A requirement that looks like an option only got in after `--`. */
	bool dash = false;
	for (size_t i = 0; i < sv.reqs.n; i++)
		dash |= sv.reqs.v[i][0] == '-';
	if (dash)
		pv_argv_add(out, "--");
	for (size_t i = 0; i < sv.reqs.n; i++)
		pv_argv_add(out, sv.reqs.v[i]);
	if (out->oom) {
		set_err(err, errlen, "out of memory");
		goto done;
	}
	rc = 0;
done:
	if (rc != 0)
		pv_argv_free(out);
	pv_pip_args_free(&r.cur);
	work_free(&r.w);
	saved_free(&sv);
	return rc;
}

int pv_pip_handoff_argv(const struct pv_pip_exe *exe, int argc, char *const argv[],
                        const struct pv_pip_args *a, const char *gate_url, const char *reqfile,
                        struct pv_argv *out, char *err, size_t errlen)
{
	if (!exe_ok(exe)) {
		set_err(err, errlen, "pip command: no pip to run");
		return -1;
	}
	if (check_text("gate URL", gate_url, err, errlen) != 0 ||
	    check_text("requirements file", reqfile, err, errlen) != 0)
		return -1;
	struct rewrite r = {.err = err, .errlen = errlen};
	int rc = -1;
	if (strip(&r, argc, argv, a, HANDOFF, NULL) != 0)
		goto done;
	int ci = r.cur.cmd_index;
	if (ci < 1 || ci >= r.w.n) {
		set_err(err, errlen, "pip command: no command word");
		goto done;
	}
	/* Defaults the person may override: before their own options. */
	if (work_insert(&r.w, ci + 1, "off") != 0 || work_insert(&r.w, ci + 1, "--progress-bar") != 0 ||
	    work_insert(&r.w, ci + 1, "--no-input") != 0) {
		set_err(err, errlen, "out of memory");
		goto done;
	}
	add_exe(out, exe);
	for (int i = 1; i < r.w.n; i++)
		pv_argv_add(out, r.w.v[i]);
	const char *add[] = {"-r", reqfile, "--no-deps", "--require-hashes", "--index-url", gate_url};
	for (size_t i = 0; i < sizeof add / sizeof add[0]; i++)
		pv_argv_add(out, add[i]);
	if (out->oom) {
		set_err(err, errlen, "out of memory");
		goto done;
	}
	rc = 0;
done:
	if (rc != 0)
		pv_argv_free(out);
	pv_pip_args_free(&r.cur);
	work_free(&r.w);
	return rc;
}

/* ---- the pins file ------------------------------------------------------------ */

static bool all_of(const char *s, const char *set, size_t maxlen)
{
	size_t n = s ? strlen(s) : 0;
	return n > 0 && n <= maxlen && strspn(s, set) == n;
}

#define ALNUM "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

static int pin_cmp(const void *x, const void *y)
{
	const struct pv_pip_pin *p = *(const struct pv_pip_pin *const *)x;
	const struct pv_pip_pin *q = *(const struct pv_pip_pin *const *)y;
	int c = strcasecmp(p->name, q->name);
	if (!c)
		c = strcmp(p->name, q->name);
	if (!c)
		c = strcmp(p->version, q->version);
	return c;
}

char *pv_pip_pins_text(const struct pv_pip_pin *pins, size_t n)
{
	if (n && !pins)
		return NULL;
	if (n > 1000000)
		return NULL;
	const struct pv_pip_pin **order = malloc((n ? n : 1) * sizeof *order);
	if (!order)
		return NULL;
	size_t total = 1;
	for (size_t i = 0; i < n; i++) {
		const struct pv_pip_pin *p = &pins[i];
		/* Only these characters: a newline, space or '#' in a field would
		 * add options or requirements to the file pip trusts. */
		if (!all_of(p->name, ALNUM "._-", 200) || !all_of(p->version, ALNUM ".!+_-", 200) ||
		    !all_of(p->sha256, "0123456789abcdefABCDEF", 64) || strlen(p->sha256) != 64) {
			free(order);
			return NULL;
		}
		order[i] = p;
		total += strlen(p->name) + strlen(p->version) + 64 + sizeof "== --hash=sha256:\n";
	}
	qsort(order, n, sizeof *order, pin_cmp);
	char *buf = malloc(total);
	if (!buf) {
		free(order);
		return NULL;
	}
	size_t off = 0;
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + off, total - off, "%s==%s --hash=sha256:", order[i]->name,
		                 order[i]->version);
		if (w < 0 || (size_t)w >= total - off) {
			free(buf);
			free(order);
			return NULL;
		}
		off += (size_t)w;
		for (size_t j = 0; j < 64; j++) {
			char ch = order[i]->sha256[j];
			buf[off++] = (ch >= 'A' && ch <= 'F') ? (char)(ch - 'A' + 'a') : ch;
		}
		buf[off++] = '\n';
	}
	buf[off] = '\0';
	free(order);
	return buf;
}

/* ---- environment ----------------------------------------------------------------- */

/* K=OLD,127.0.0.1 (or K=127.0.0.1), unless OLD already lists it. */
static void add_no_proxy(struct strv *s, const char *key)
{
	const char *old = getenv(key);
	if (old && strlen(old) > 65536)
		old = NULL; /* absurd; replace rather than copy */
	bool has = false;
	if (old) {
		const char *p = old;
		while (*p) {
			size_t n = strcspn(p, ", ");
			if (n == 9 && strncmp(p, "127.0.0.1", 9) == 0)
				has = true;
			p += n;
			p += strspn(p, ", ");
		}
	}
	size_t len = strlen(key) + 1 + (old ? strlen(old) + 1 : 0) + 9 + 1;
	char *kv = malloc(len);
	if (!kv) {
		s->oom = true;
		return;
	}
	if (has)
		snprintf(kv, len, "%s=%s", key, old);
	else if (old && *old)
		snprintf(kv, len, "%s=%s,127.0.0.1", key, old);
	else
		snprintf(kv, len, "%s=127.0.0.1", key);
	strv_add(s, kv);
	free(kv);
}

char **pv_pip_env(char *err, size_t errlen)
{
	struct strv s = {0};
	/* A single space, not "": pip ignores configuration values that are
	 * empty (cli/parser.py, _get_ordered_configuration_items), so "" would
	 * leave pip.conf's extra-index-url in force. " " is not empty, and pip
	 * splits an extra-index-url value on white space: no extra indexes.
	 * PIP_INDEX_URL is beaten by --index-url GATE on the command line
	 * anyway; " " makes the configured one unusable should anything read
	 * it (fails closed). */
	strv_add(&s, "PIP_INDEX_URL= ");
	strv_add(&s, "PIP_EXTRA_INDEX_URL= ");
	/* find-links from the environment or pip.conf would let pip read
	 * archives (and build sdists) without the gate: none for this run
	 * (the gate serves them: pv_pip_find_links). */
	strv_add(&s, "PIP_FIND_LINKS= ");
	strv_add(&s, "PIP_NO_INDEX=0");
	strv_add(&s, "PIP_DISABLE_PIP_VERSION_CHECK=1");
	add_no_proxy(&s, "NO_PROXY");
	add_no_proxy(&s, "no_proxy");
	char **v = strv_finish(&s);
	if (!v)
		set_err(err, errlen, "out of memory");
	return v;
}
