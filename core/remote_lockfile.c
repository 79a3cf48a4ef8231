/* remote_lockfile.c - vet the packages an npm lockfile installs. */
#include "remote_lockfile.h"
#include "workpool.h"
#include "lockfile.h"
#include "http.h"
#include "registry_npm.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void free_all(struct pv_package *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pv_package_free(&v[i]);
	free(v);
}

/* An entry that is not vetted: input, ecosystem npm, message. 0 or -1. */
static int error_entry(struct pv_package *pkg, const char *input, const char *msg)
{
	memset(pkg, 0, sizeof *pkg);
	pkg->input = strdup(input);
	pkg->ecosystem = strdup("npm");
	pkg->error = strdup(msg);
	pkg->status = PV_PKG_ERROR;
	return pkg->input && pkg->ecosystem && pkg->error ? 0 : -1;
}

/* A git / file / link / tarball-URL entry: url-dependency on its own entry. */
static int url_entry(struct pv_package *pkg, const char *path, const struct pv_lock_entry *e)
{
	char input[4400], detail[4400];
	memset(pkg, 0, sizeof *pkg);
	snprintf(input, sizeof input, "%.2000s (%.2000s)", path, e->path ? e->path : "?");
	const char *src = e->resolved ? e->resolved : e->link ? "(a linked directory)" : "(no resolved URL)";
	snprintf(detail, sizeof detail, "%.300s is installed from %s, not the registry: %.3000s",
	         e->alias ? e->alias : e->name ? e->name : "the package",
	         pv_lock_source_name(e->source), src);
	pkg->input = strdup(input);
	pkg->ecosystem = strdup("npm");
	if (!pkg->input || !pkg->ecosystem)
		return -1;
	if (e->name && !(pkg->name = strdup(e->name)))
		return -1;
	if (e->version && !(pkg->version = strdup(e->version)))
		return -1;
	pkg->format = strdup("lockfile entry");
	if (!pkg->format)
		return -1;
	pkg->status = PV_PKG_OK;
	return pv_findings_add_each(&pkg->findings, "url-dependency", NULL, 0, NULL, 0, detail, false) < 0 ||
	               pkg->findings.oom
	           ? -1
	           : 0;
}

/* Was name@version already vetted from this lockfile? */
static bool seen(const struct pv_lockfile *lf, size_t upto, const struct pv_lock_entry *e)
{
	for (size_t i = 0; i < upto; i++) {
		const struct pv_lock_entry *p = &lf->entries[i];
		if (p->source == PV_LOCK_REGISTRY && p->name && p->version && e->version &&
		    strcmp(p->name, e->name) == 0 && strcmp(p->version, e->version) == 0)
			return true;
	}
	return false;
}

/* A tarball from a URL that is not the registry: still vetted when it can
 * be fetched (and, with an integrity, verified), plus the url-dependency
 * finding that says where it comes from. */
static int url_tarball_entry(struct pv_package *pkg, const char *label, const struct pv_lock_entry *e,
                             const struct pv_remote_npm_opts *o)
{
	struct pv_http_opts http = pv_http_opts_default();
	if (o->timeout_s)
		http.total_timeout_ms = (long)o->timeout_s * 1000L;
	struct pv_http_req req = {.url = e->resolved, .max_body = PV_NPM_TARBALL_MAX};
	pv_http_fetch(&req, &http);
	char err[1024];
	int rc;
	if (req.result != PV_HTTP_OK) {
		rc = url_entry(pkg, label, e);
		snprintf(err, sizeof err, "the tarball could not be fetched to vet its code: %s",
		         req.err[0] ? req.err : pv_http_result_name(req.result));
		if (rc == 0)
			rc = pv_package_add_unknown(pkg, err);
	} else if (e->integrity && pv_npm_check_integrity(e->name ? e->name : "?", e->version ? e->version : "?",
	                                                  req.body, req.len, e->integrity, NULL, err,
	                                                  sizeof err) != PV_NPM_OK) {
		rc = pv_package_digest_mismatch(pkg, "npm", e->name ? e->name : "?", e->version ? e->version : "?",
		                                err);
	} else {
		struct pv_package tmp;
		rc = url_entry(&tmp, label, e);
		if (rc == 0)
			rc = pv_package_audit_mem(pkg, tmp.input, req.body, req.len, o->audit);
		if (rc == 0 && pkg->status == PV_PKG_OK)
			rc = pv_findings_merge(&pkg->findings, &tmp.findings);
		pv_package_free(&tmp);
	}
	pv_http_req_free(&req);
	return rc;
}

/* A local directory or tarball (file: / link): its code is on this
 * machine, so it is vetted from there, with the url-dependency finding. */
static int local_entry(struct pv_package *pkg, const char *label, const struct pv_lock_entry *e,
                       const struct pv_remote_npm_opts *o)
{
	const char *rel = strncmp(e->resolved, "file:", 5) == 0 ? e->resolved + 5 : e->resolved;
	char path[4096];
	if (rel[0] == '/')
		snprintf(path, sizeof path, "%s", rel);
	else
		snprintf(path, sizeof path, "%s/%s", o->project_dir, rel);
	struct pv_package tmp;
	int rc = url_entry(&tmp, label, e);
	if (rc == 0)
		rc = pv_package_audit_path(pkg, path, o->audit);
	if (rc == 0 && pkg->status == PV_PKG_OK) {
		rc = pv_findings_merge(&pkg->findings, &tmp.findings);
		free(pkg->input);
		pkg->input = tmp.input;
		tmp.input = NULL;
	} else if (rc == 0 && pkg->status != PV_PKG_OK) {
		/* Not readable here (moved, not a package): the url-dependency
		 * entry stands, with why its code was not vetted. */
		char note[600];
		snprintf(note, sizeof note, "its code at %.400s could not be vetted: %.150s", path,
		         pkg->error ? pkg->error : "unreadable");
		pv_package_free(pkg);
		*pkg = tmp;
		memset(&tmp, 0, sizeof tmp);
		rc = pv_package_add_unknown(pkg, note);
	}
	pv_package_free(&tmp);
	return rc;
}

int pv_audit_npm_lock_entry(struct pv_package *pkg, const char *label, const struct pv_lock_entry *e,
                            const struct pv_remote_npm_opts *o)
{
	if ((e->source == PV_LOCK_FILE || e->source == PV_LOCK_LINK) && e->resolved && *e->resolved &&
	    o->project_dir)
		return local_entry(pkg, label, e, o);
	if (e->source == PV_LOCK_TARBALL && e->resolved &&
	    (strncmp(e->resolved, "https://", 8) == 0 || strncmp(e->resolved, "http://", 7) == 0))
		return url_tarball_entry(pkg, label, e, o);
	if (e->source != PV_LOCK_REGISTRY)
		return url_entry(pkg, label, e);
	if (!e->name || !e->version) {
		char input[4400];
		snprintf(input, sizeof input, "%.2000s (%.2000s)", label, e->path ? e->path : "?");
		return error_entry(pkg, input, "a registry package without a name or version");
	}
	char spec[600];
	snprintf(spec, sizeof spec, "npm:%.250s@%.250s", e->name, e->version);
	struct pv_remote_npm_opts eo = *o;
	eo.integrity = e->integrity;
	return pv_audit_npm_spec(pkg, spec, &eo);
}

struct lock_jobs {
	const struct pv_lockfile *lf;
	struct pv_package *pkgs;
	const size_t *job_entry; /* job -> lockfile entry */
	const size_t *slot; /* job -> pkgs slot */
	int *rc;            /* job -> pv_audit_npm_spec's result */
	const struct pv_remote_npm_opts *o;
};

/* One registry package of the lockfile, with the lockfile's integrity. */
static void lock_job(size_t j, void *ud)
{
	struct lock_jobs *jb = ud;
	const struct pv_lock_entry *e = &jb->lf->entries[jb->job_entry[j]];
	char spec[600];
	snprintf(spec, sizeof spec, "npm:%.250s@%.250s", e->name, e->version);
	struct pv_remote_npm_opts eo = *jb->o;
	eo.integrity = e->integrity;
	jb->rc[j] = pv_audit_npm_spec(&jb->pkgs[jb->slot[j]], spec, &eo);
}

int pv_audit_npm_lockfile(struct pv_package **pkgs, size_t *n, const char *path,
                          const struct pv_remote_npm_opts *o)
{
	*pkgs = NULL;
	*n = 0;
	struct pv_lockfile lf = {0};
	char err[1024] = "";
	int lrc = pv_lockfile_load(path, o->registry, &lf, err, sizeof err);
	if (lrc == -2)
		return -1;
	if (lrc < 0) {
		struct pv_package *one = calloc(1, sizeof *one);
		if (!one)
			return -1;
		/* The message names the file already; the report prints it as the input. */
		size_t pl = strlen(path);
		const char *msg = err;
		if (strncmp(msg, path, pl) == 0 && msg[pl] == ':' && msg[pl + 1] == ' ')
			msg += pl + 2;
		if (error_entry(one, path, *msg ? msg : "cannot read the lockfile") < 0) {
			free_all(one, 1);
			return -1;
		}
		*pkgs = one;
		*n = 1;
		return 0;
	}
	struct pv_package *v = lf.n ? calloc(lf.n, sizeof *v) : NULL;
	if (lf.n && !v) {
		pv_lockfile_free(&lf);
		return -1;
	}
	/* First the entries that need no network, and a slot for each registry
	 * package; then the registry packages are vetted in parallel. */
	size_t *job_entry = lf.n ? calloc(lf.n, sizeof *job_entry) : NULL; /* job -> entry index */
	size_t *slot = lf.n ? calloc(lf.n, sizeof *slot) : NULL; /* job -> slot in v */
	if (lf.n && (!job_entry || !slot)) {
		free(job_entry);
		free(slot);
		free(v);
		pv_lockfile_free(&lf);
		return -1;
	}
	size_t k = 0, ntodo = 0;
	int rc = 0;
	for (size_t i = 0; i < lf.n && rc == 0; i++) {
		const struct pv_lock_entry *e = &lf.entries[i];
		struct pv_package *pkg = &v[k];
		if (e->source != PV_LOCK_REGISTRY) {
			k++;
			rc = url_entry(pkg, path, e);
			continue;
		}
		if (!e->name || seen(&lf, i, e))
			continue;
		k++;
		if (!e->version) {
			char input[4400];
			snprintf(input, sizeof input, "%.2000s (%.2000s)", path, e->path ? e->path : "?");
			rc = error_entry(pkg, input, "a registry package without a version");
			continue;
		}
		job_entry[ntodo] = i;
		slot[ntodo++] = k - 1;
	}
	if (rc == 0 && ntodo) {
		struct lock_jobs jobs = {.lf = &lf, .pkgs = v, .job_entry = job_entry, .slot = slot, .o = o};
		jobs.rc = calloc(ntodo, sizeof *jobs.rc);
		if (!jobs.rc) {
			rc = -1;
		} else {
			pv_parallel_for(ntodo, pv_fetch_workers(), lock_job, &jobs);
			for (size_t j = 0; j < ntodo; j++)
				if (jobs.rc[j] < 0)
					rc = -1;
		}
		free(jobs.rc);
	}
	free(job_entry);
	free(slot);
	pv_lockfile_free(&lf);
	if (rc < 0) {
		free_all(v, k);
		return -1;
	}
	*pkgs = v;
	*n = k;
	return 0;
}
