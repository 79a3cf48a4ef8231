/* remote_requirements.c - vet the packages a requirements file installs. */
#include "remote_requirements.h"
#include "workpool.h"

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

/* Append m entries to *v (taking them over). 0 or -1. */
static int take(struct pv_package **v, size_t *n, size_t *cap, struct pv_package *m, size_t nm)
{
	if (*n + nm > *cap) {
		size_t nc = *cap ? *cap : 8;
		while (nc < *n + nm)
			nc *= 2;
		struct pv_package *g = realloc(*v, nc * sizeof *g);
		if (!g)
			return -1;
		*v = g;
		*cap = nc;
	}
	memcpy(*v + *n, m, nm * sizeof *m);
	*n += nm;
	return 0;
}

static int url_entry(struct pv_package *pkg, const struct pv_req *r)
{
	char input[4400], detail[4400];
	memset(pkg, 0, sizeof *pkg);
	snprintf(input, sizeof input, "%.1000s:%u (%.3000s)", r->file ? r->file : "?", r->line,
	         r->url ? r->url : "?");
	snprintf(detail, sizeof detail, "%.300s%sis installed from a direct reference, not the index: %.3000s",
	         r->name ? r->name : "", r->name ? " " : "", r->url ? r->url : "?");
	pkg->input = strdup(input);
	pkg->ecosystem = strdup("pypi");
	pkg->format = strdup("requirement");
	if (!pkg->input || !pkg->ecosystem || !pkg->format)
		return -1;
	if (r->name && !(pkg->name = strdup(r->name)))
		return -1;
	pkg->status = PV_PKG_OK;
	if (pv_findings_add_each(&pkg->findings, "url-dependency", NULL, 0, NULL, 0, detail, false) < 0)
		return -1;
	return pkg->findings.oom ? -1 : 0;
}

static bool seen(const struct pv_reqfile *rf, size_t upto, const struct pv_req *r)
{
	for (size_t i = 0; i < upto; i++) {
		const struct pv_req *p = &rf->reqs[i];
		if (p->kind == PV_REQ_PINNED && !p->constraint && p->name && p->version &&
		    p->arbitrary == r->arbitrary && strcmp(p->name, r->name) == 0 &&
		    strcmp(p->version, r->version) == 0)
			return true;
	}
	return false;
}

struct req_jobs {
	const struct pv_reqfile *rf;
	const struct pv_remote_pypi_opts *o;
	size_t *job_entry; /* job -> requirement index */
	size_t n;
	struct pv_package **got; /* job -> its packages (one per file of the release) */
	size_t *ngot;
	int *rc;
};

static void req_job(size_t j, void *ud)
{
	struct req_jobs *jb = ud;
	const struct pv_req *r = &jb->rf->reqs[jb->job_entry[j]];
	size_t sl = strlen(r->name) + strlen(r->version) + 16;
	char *spec = malloc(sl);
	if (!spec) {
		jb->rc[j] = -1;
		return;
	}
	snprintf(spec, sl, "pypi:%s%s%s", r->name, r->arbitrary ? "===" : "==", r->version);
	jb->rc[j] = pv_audit_pypi_spec(&jb->got[j], &jb->ngot[j], spec, jb->o);
	free(spec);
}

int pv_audit_pypi_requirements(struct pv_package **pkgs, size_t *n, const struct pv_reqfile *rf,
                               const struct pv_remote_pypi_opts *o)
{
	*pkgs = NULL;
	*n = 0;
	struct pv_remote_pypi_opts ro = *o;
	if (!ro.index_url || !*ro.index_url)
		ro.index_url = rf->index_url;
	struct pv_package *v = NULL;
	size_t nv = 0, cap = 0;
	int rc = 0;
	/* Pinned requirements first, in file order (vetted in parallel); then
	 * direct references. */
	struct req_jobs jobs = {.rf = rf, .o = &ro};
	jobs.job_entry = rf->n ? calloc(rf->n, sizeof *jobs.job_entry) : NULL;
	if (rf->n && !jobs.job_entry)
		return -1;
	for (size_t i = 0; i < rf->n; i++) {
		const struct pv_req *r = &rf->reqs[i];
		if (r->constraint || r->kind != PV_REQ_PINNED || !r->name || !r->version || seen(rf, i, r))
			continue;
		jobs.job_entry[jobs.n++] = i;
	}
	if (jobs.n) {
		jobs.got = calloc(jobs.n, sizeof *jobs.got);
		jobs.ngot = calloc(jobs.n, sizeof *jobs.ngot);
		jobs.rc = calloc(jobs.n, sizeof *jobs.rc);
		if (!jobs.got || !jobs.ngot || !jobs.rc)
			rc = -1;
		else
			pv_parallel_for(jobs.n, pv_fetch_workers(), req_job, &jobs);
		for (size_t j = 0; j < jobs.n && jobs.got && jobs.ngot && jobs.rc; j++) {
			if (rc == 0 && jobs.rc[j] == 0 && take(&v, &nv, &cap, jobs.got[j], jobs.ngot[j]) == 0) {
				free(jobs.got[j]);
				continue;
			}
			rc = -1;
			for (size_t k = 0; k < jobs.ngot[j]; k++)
				pv_package_free(&jobs.got[j][k]);
			free(jobs.got[j]);
		}
		free(jobs.got);
		free(jobs.ngot);
		free(jobs.rc);
	}
	free(jobs.job_entry);
	for (size_t i = 0; i < rf->n && rc == 0; i++) {
		const struct pv_req *r = &rf->reqs[i];
		if (r->constraint || r->kind != PV_REQ_URL)
			continue;
		struct pv_package one;
		rc = url_entry(&one, r);
		if (rc == 0)
			rc = take(&v, &nv, &cap, &one, 1);
		if (rc < 0)
			pv_package_free(&one);
	}
	if (rc < 0) {
		free_all(v, nv);
		return -1;
	}
	*pkgs = v;
	*n = nv;
	return 0;
}
