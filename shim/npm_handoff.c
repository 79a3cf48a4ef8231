/* npm_handoff.c - swap in the vetted manifests, install, run the allowed
 * scripts, check what landed. */
#include "npm_handoff.h"
#include "escape.h"
#include "fsutil.h"
#include "lockfile.h"
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MANIFEST_MAX (64u << 20) /* bytes of one package.json / lockfile */
#define WALK_DEPTH 16
#define MAX_FILES 4096
#define MISMATCH_SHOWN 5

/* The root project's lifecycle scripts npm runs on install, in its order. */
static const char *const root_scripts[] = {"preinstall", "install", "postinstall", "prepublish",
                                           "preprepare", "prepare", "postprepare"};

/* One manifest file of the project: its text before, and after. */
struct swap {
	char *rel;
	char *old;      /* NULL: did not exist */
	size_t old_len;
	mode_t mode;
	char *new_text;
	size_t new_len;
};

struct swaps {
	struct swap *v;
	size_t n;
};

static bool is_manifest(const char *name)
{
	return strcmp(name, "package.json") == 0 || strcmp(name, "package-lock.json") == 0 ||
	       strcmp(name, "npm-shrinkwrap.json") == 0;
}

static int read_all(const char *path, char **buf, size_t *len, mode_t *mode)
{
	int rc = pv_read_file(path, MANIFEST_MAX, true, buf, len, mode);
	return rc == -2 ? -1 : rc;
}

/* Manifests under dir/rel (not in node_modules), relative paths into s. */
static int collect(const char *root, const char *rel, int depth, struct swaps *s)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
	DIR *d = opendir(dir);
	if (!d)
		return depth == 0 ? -1 : 0;
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		char sub[PATH_MAX];
		if (snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name) >= (int)sizeof sub)
			continue;
		char full[PATH_MAX + 8];
		if (snprintf(full, sizeof full, "%s/%s", root, sub) >= (int)sizeof full)
			continue;
		struct stat st;
		if (lstat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (strcmp(e->d_name, "node_modules") != 0 && depth < WALK_DEPTH)
				rc = collect(root, sub, depth + 1, s);
		} else if (S_ISREG(st.st_mode) && is_manifest(e->d_name)) {
			if (s->n == MAX_FILES)
				continue;
			struct swap *nv = realloc(s->v, (s->n + 1) * sizeof *nv);
			if (!nv) {
				rc = -1;
				break;
			}
			s->v = nv;
			memset(&s->v[s->n], 0, sizeof *s->v);
			if (!(s->v[s->n].rel = strdup(sub))) {
				rc = -1;
				break;
			}
			s->n++;
		}
	}
	closedir(d);
	return rc;
}

static void swaps_free(struct swaps *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].rel);
		free(s->v[i].old);
		free(s->v[i].new_text);
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* Read the resolved text and the project's current text of every manifest. */
static int prepare_swaps(const char *workdir, const char *project, struct swaps *s, char *err,
                         size_t errlen)
{
	if (collect(workdir, "", 0, s) < 0) {
		snprintf(err, errlen, "cannot read the resolved project in %s", workdir);
		return -1;
	}
	for (size_t i = 0; i < s->n; i++) {
		struct swap *w = &s->v[i];
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s", workdir, w->rel);
		if (read_all(path, &w->new_text, &w->new_len, NULL) != 0) {
			snprintf(err, errlen, "cannot read the resolved %s", w->rel);
			return -1;
		}
		snprintf(path, sizeof path, "%s/%s", project, w->rel);
		w->mode = 0644;
		int r = read_all(path, &w->old, &w->old_len, &w->mode);
		if (r < 0) {
			snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static bool changed(const struct swap *w)
{
	return !w->old || w->old_len != w->new_len || memcmp(w->old, w->new_text, w->new_len) != 0;
}

/* Put the resolved manifests in place (after=true) or the old ones back. */
static int apply_swaps(const char *project, const struct swaps *s, bool after)
{
	int rc = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct swap *w = &s->v[i];
		if (!changed(w))
			continue;
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s", project, w->rel);
		if (after) {
			if (pv_write_atomic(path, w->new_text, w->new_len, w->mode) < 0)
				rc = -1;
		} else if (w->old) {
			if (pv_write_atomic(path, w->old, w->old_len, w->mode) < 0)
				rc = -1;
		} else if (unlink(path) != 0 && errno != ENOENT) {
			rc = -1;
		}
	}
	return rc;
}

/* The real npm in the project, its output where the command's belongs. */
static int run_npm(const struct pv_npm_handoff *h, char *const argv[], char *err, size_t errlen)
{
	return pv_run(argv, h->project_dir, NULL, h->quiet_stdout ? PV_RUN_STDOUT_TO_STDERR : 0, err, errlen);
}

static void add_opts(struct pv_argv *a, char *const *opts)
{
	for (size_t i = 0; opts && opts[i]; i++)
		pv_argv_add(a, opts[i]);
}

static bool has_opt(char *const *opts, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; opts && opts[i]; i++)
		if (strncmp(opts[i], name, n) == 0 && (opts[i][n] == 0 || opts[i][n] == '='))
			return true;
	return false;
}

static bool has_hook(const struct pv_vetted *x)
{
	return pv_findings_has(&x->pkg.findings, "install-hook");
}

/* `npm rebuild NAME...` for the packages whose install hook was allowed. */
static int rebuild_allowed(const struct pv_npm_handoff *h, char *err, size_t errlen)
{
	struct pv_argv a = {0};
	pv_argv_add(&a, h->real_npm);
	pv_argv_add(&a, "rebuild");
	if (h->global)
		pv_argv_add(&a, "--global");
	pv_argv_add(&a, "--ignore-scripts=false");
	size_t names = 0;
	for (size_t i = 0; i < h->n; i++) {
		const struct pv_vetted *x = &h->v[i];
		const char *name = h->plan->changes[i].name;
		if (!name || !x->hooks_allowed || !has_hook(x))
			continue;
		bool dup = false;
		for (size_t k = 0; k < i && !dup; k++)
			dup = h->plan->changes[k].name && strcmp(h->plan->changes[k].name, name) == 0 &&
			      h->v[k].hooks_allowed && has_hook(&h->v[k]);
		if (!dup) {
			pv_argv_add(&a, name);
			names++;
		}
	}
	add_opts(&a, h->pass_opts);
	int rc = 0;
	if (a.oom) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	} else if (names) {
		fprintf(h->out, "pkgvet: running the install scripts of %zu approved package%s\n", names,
		        names == 1 ? "" : "s");
		rc = run_npm(h, a.v, err, errlen);
	}
	pv_argv_free(&a);
	return rc;
}

/* The project's own lifecycle scripts, which npm would have run. */
static int root_lifecycle(const struct pv_npm_handoff *h, char *err, size_t errlen)
{
	char path[PATH_MAX], *text = NULL;
	size_t len = 0;
	snprintf(path, sizeof path, "%s/package.json", h->project_dir);
	if (read_all(path, &text, &len, NULL) != 0)
		return 0;
	json_object *root = json_tokener_parse(text), *scripts = NULL;
	free(text);
	int rc = 0;
	if (root && json_object_object_get_ex(root, "scripts", &scripts) &&
	    json_object_is_type(scripts, json_type_object)) {
		for (size_t i = 0; i < sizeof root_scripts / sizeof *root_scripts && rc == 0; i++) {
			if (!json_object_object_get_ex(scripts, root_scripts[i], NULL))
				continue;
			char *const argv[] = {(char *)h->real_npm, "run-script", (char *)root_scripts[i], NULL};
			rc = run_npm(h, argv, err, errlen);
		}
	}
	json_object_put(root);
	return rc;
}

/* Compare node_modules/.package-lock.json (what npm says it installed)
 * with the vetted changes. Optional and dev packages may be left out by
 * npm (platform, --omit); everything else must be there, same version,
 * same integrity. */
static int verify_project(const struct pv_npm_handoff *h, char *err, size_t errlen)
{
	char path[PATH_MAX], lerr[512];
	snprintf(path, sizeof path, "%s/node_modules/.package-lock.json", h->project_dir);
	struct pv_lockfile lf = {0};
	int lrc = pv_lockfile_load(path, NULL, &lf, lerr, sizeof lerr);
	size_t bad = 0;
	err[0] = 0;
	for (size_t i = 0; i < h->n; i++) {
		const struct pv_npm_change *c = &h->plan->changes[i];
		if (c->source != PV_LOCK_REGISTRY || !c->version || !c->path)
			continue;
		const struct pv_lock_entry *e = NULL;
		for (size_t k = 0; lrc == 0 && k < lf.n && !e; k++)
			if (lf.entries[k].path && strcmp(lf.entries[k].path, c->path) == 0)
				e = &lf.entries[k];
		const char *why = NULL;
		if (!e)
			why = c->optional || c->dev ? NULL : "missing";
		else if (!e->version || strcmp(e->version, c->version) != 0)
			why = "another version";
		else if (e->integrity && c->integrity && strcmp(e->integrity, c->integrity) != 0)
			why = "another integrity";
		if (!why)
			continue;
		if (bad++ < MISMATCH_SHOWN) {
			size_t used = strlen(err);
			snprintf(err + used, errlen - used, "%s%.200s@%.60s %s (%s)", used ? "; " : "", c->name,
			         c->version, why, e && e->version ? e->version : "-");
		}
	}
	pv_lockfile_free(&lf);
	return bad ? PV_HANDOFF_MISMATCH : 0;
}

static int install(const struct pv_npm_handoff *h, char *err, size_t errlen)
{
	struct pv_argv a = {0};
	pv_argv_add(&a, h->real_npm);
	pv_argv_add(&a, h->ci ? "ci" : "install");
	pv_argv_add(&a, "--ignore-scripts");
	if (h->global) {
		pv_argv_add(&a, "--global");
		/* The vetted top-level packages, pinned. */
		for (size_t i = 0; i < h->n; i++) {
			const struct pv_npm_change *c = &h->plan->changes[i];
			if (!c->path || !c->version || strncmp(c->path, "node_modules/", 13) != 0 ||
			    strstr(c->path + 13, "/node_modules/"))
				continue;
			char spec[600];
			snprintf(spec, sizeof spec, "%.250s@%.250s", c->name, c->version);
			pv_argv_add(&a, spec);
		}
	}
	/* The lockfile pins every tarball by integrity: npm need not ask the
	 * registry whether its cached copies are current (they are content-
	 * addressed), which saves a round trip per package. Not when the
	 * person chose how npm uses its cache. */
	if (!h->global && !has_opt(h->pass_opts, "--prefer-online") && !has_opt(h->pass_opts, "--offline"))
		pv_argv_add(&a, "--prefer-offline");
	add_opts(&a, h->pass_opts);
	int rc;
	if (a.oom) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	} else {
		rc = run_npm(h, a.v, err, errlen);
	}
	pv_argv_free(&a);
	return rc;
}

int pv_npm_handoff(const struct pv_npm_handoff *h, char *err, size_t errlen)
{
	struct swaps s = {0};
	int rc = 0;
	if (!h->global) {
		if (prepare_swaps(h->plan->workdir, h->project_dir, &s, err, errlen) < 0) {
			swaps_free(&s);
			return -1;
		}
		if (!h->ci && apply_swaps(h->project_dir, &s, true) < 0) {
			snprintf(err, errlen, "cannot write the vetted package.json / lockfile into %s",
			         h->project_dir);
			(void)apply_swaps(h->project_dir, &s, false);
			swaps_free(&s);
			return -1;
		}
	}
	rc = install(h, err, errlen);
	if (rc != 0) {
		/* npm failed (it rolls node_modules back itself): the manifests go
		 * back to what they were. */
		if (!h->global && !h->ci && apply_swaps(h->project_dir, &s, false) < 0)
			fprintf(h->out, "pkgvet: warning: could not restore package.json / the lockfile in %s\n",
			        h->project_dir);
		swaps_free(&s);
		if (rc > 0)
			snprintf(err, errlen, "npm exited with status %d; package.json and the lockfile are as they were", rc);
		return rc;
	}
	if (!h->user_ignore_scripts) {
		rc = rebuild_allowed(h, err, errlen);
		if (rc == 0 && !h->global)
			rc = root_lifecycle(h, err, errlen);
		if (rc > 0)
			snprintf(err, errlen, "an install script failed (status %d)", rc);
	}
	if (!h->global && h->no_save)
		(void)apply_swaps(h->project_dir, &s, false);
	swaps_free(&s);
	if (rc != 0)
		return rc;
	if (!h->global) {
		rc = verify_project(h, err, errlen);
		if (rc != 0)
			return rc;
	}
	if (h->then_run) {
		char *const argv[] = {(char *)h->real_npm, "run-script", (char *)h->then_run, NULL};
		rc = run_npm(h, argv, err, errlen);
	}
	return rc;
}
