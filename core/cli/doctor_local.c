/* doctor_local.c - the policy files (found, valid) and the cache (its
 * directory writable, its database opening). */
#include "cache.h"
#include "doctor.h"
#include "policy.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DOC_MAX_POLICY_WARNINGS 10

/* One layer's file: not there (informational), valid, or the first error
 * as "FILE:LINE: what". Returns false for the error. */
static bool check_policy_file(struct doc_report *r, const char *layer, const char *path, bool org)
{
	struct doc_check *c = doc_add(r, "policy", "%s policy", layer);
	struct stat st;
	if (!path) {
		doc_set(c, DOC_INFO, "none");
		return true;
	}
	if (stat(path, &st) != 0 && errno == ENOENT) {
		doc_set(c, DOC_INFO, "%s (not present)", path);
		return true;
	}
	char err[1024];
	if (pv_policy_check_file(path, org, err, sizeof err) < 0) {
		doc_set(c, DOC_FAIL, "%s", err);
		return false;
	}
	doc_set(c, DOC_OK, "%s (valid)", path);
	return true;
}

/* The layers' files, each checked on its own line; a layer whose file is
 * invalid is left out of src (so that the rest is still checked with what
 * the other layers say). Returns false when one was left out. */
static bool check_policy_files(struct doc_report *r, struct pv_policy_sources *src, char *project, size_t n)
{
	bool all_ok = true;
	if (!check_policy_file(r, "org", src->org_path, true)) {
		src->org_path = NULL;
		all_ok = false;
	}
	if (!check_policy_file(r, "user", src->user_path, false)) {
		src->user_path = NULL;
		all_ok = false;
	}
	int found = src->cwd ? pv_policy_find_project(src->cwd, project, n) : 0;
	if (found < 0)
		doc_set(doc_add(r, "policy", "project policy"), DOC_FAIL,
		        "the path of " PV_POLICY_PROJECT_FILE " is too long");
	else if (found == 0)
		doc_set(doc_add(r, "policy", "project policy"), DOC_INFO,
		        "no " PV_POLICY_PROJECT_FILE " from here up to the project root");
	if (found == 1 && check_policy_file(r, "project", project, false)) {
		src->project_path = project;
	} else if (found != 0) {
		src->cwd = NULL; /* no project layer */
		all_ok = false;
	}
	return all_ok;
}

int doc_check_policy(struct doc_report *r, struct pv_policy *pol)
{
	struct pv_policy_sources *src = malloc(sizeof *src);
	char *project = malloc(PATH_MAX);
	if (!src || !project) {
		free(src);
		free(project);
		doc_set(doc_add(r, "policy", "policy"), DOC_FAIL, "out of memory");
		return -1;
	}
	pv_policy_sources_default(src);
	bool files_ok = check_policy_files(r, src, project, PATH_MAX);

	/* The merged policy may still fail on what no single file shows: a
	 * PKGVET_* variable with a bad value. */
	struct doc_check *c = doc_add(r, "policy", "effective policy");
	char err[1024];
	int rc = pv_policy_load(pol, src, err, sizeof err);
	if (rc == 0 && files_ok) {
		doc_set(c, DOC_OK, "loads%s", pol->nwarnings ? " (with warnings, below)" : "");
	} else if (rc == 0) {
		/* The bad file has its own ✖ line above: not counted twice. */
		doc_set(c, DOC_INFO, "the invalid file above is left out; the checks below use the other layers");
	} else {
		doc_set(c, DOC_FAIL, "%s; the checks below use the built-in settings", err);
		/* Still check the cache and the endpoints, with the defaults. */
		src->org_path = src->user_path = src->project_path = src->cwd = NULL;
		src->env = NULL;
		rc = pv_policy_load(pol, src, err, sizeof err);
		if (rc < 0)
			doc_set(doc_add(r, "policy", "built-in policy"), DOC_FAIL, "%s", err);
	}
	for (size_t i = 0; rc == 0 && i < pol->nwarnings && i < DOC_MAX_POLICY_WARNINGS; i++)
		doc_set(doc_add(r, "policy", "warning"), DOC_INFO, "%s", pol->warnings[i]);
	if (rc == 0 && pol->nwarnings > DOC_MAX_POLICY_WARNINGS)
		doc_set(doc_add(r, "policy", "warning"), DOC_INFO, "%zu more (pkgvet policy show lists them)",
		        pol->nwarnings - DOC_MAX_POLICY_WARNINGS);
	free(project);
	free(src);
	return rc;
}

/* mkdir -p, new directories 0700 (as the cache makes them). 0 or -1 with errno. */
static int make_dirs(const char *dir)
{
	char d[PATH_MAX];
	if (snprintf(d, sizeof d, "%s", dir) >= (int)sizeof d) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = d + 1;; p++) {
		if (*p != '/' && *p)
			continue;
		char saved = *p;
		*p = 0;
		if (mkdir(d, 0700) != 0 && errno != EEXIST)
			return -1;
		*p = saved;
		if (!saved)
			break;
	}
	struct stat st;
	if (stat(d, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

/* Really write there: permission bits say nothing to root, a read-only
 * mount or a full disk. */
static int try_write(const char *dir, char *err, size_t errlen)
{
	char tmp[PATH_MAX];
	if (make_dirs(dir) < 0) {
		snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	if (snprintf(tmp, sizeof tmp, "%s/.doctor-XXXXXX", dir) >= (int)sizeof tmp) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a file in %s: %s", dir, strerror(errno));
		return -1;
	}
	int rc = write(fd, "x", 1) == 1 ? 0 : -1;
	if (rc < 0)
		snprintf(err, errlen, "cannot write a file in %s: %s", dir, strerror(errno));
	if (close(fd) != 0 && rc == 0) {
		snprintf(err, errlen, "cannot write a file in %s: %s", dir, strerror(errno));
		rc = -1;
	}
	if (unlink(tmp) != 0 && rc == 0) {
		snprintf(err, errlen, "cannot remove a file in %s: %s", dir, strerror(errno));
		rc = -1;
	}
	return rc;
}

void doc_check_cache(struct doc_report *r, const struct pv_policy *pol)
{
	struct doc_check *c = doc_add(r, "cache", "directory");
	const char *dir = pol->cache_dir;
	char err[PATH_MAX + 128];
	if (try_write(dir, err, sizeof err) < 0) {
		doc_set(c, DOC_FAIL, "%s", err);
		doc_set(doc_add(r, "cache", "database"), DOC_FAIL, "not opened: its directory is not writable");
		return;
	}
	doc_set(c, DOC_OK, "%s (writable)", dir);
	c = doc_add(r, "cache", "database");
	char path[PATH_MAX + 32];
	if (snprintf(path, sizeof path, "%s/cache.sqlite3", dir) >= (int)sizeof path) {
		doc_set(c, DOC_FAIL, "path too long");
		return;
	}
	struct pv_cache *db = NULL;
	char *cerr = NULL;
	if (pv_cache_open(path, &db, &cerr) != PV_CACHE_OK) {
		doc_set(c, DOC_FAIL, "%s", cerr ? cerr : "cannot open the cache");
		free(cerr);
		return;
	}
	doc_set(c, DOC_OK, "%s (opens)", path);
	pv_cache_close(db);
}
