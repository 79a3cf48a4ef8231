/* vetting.h - what a policy says about HOW to vet: the analysis options
 * (cache, typosquat lists), the metadata thresholds from the catalogue,
 * the registries, the services (download counts, email DNS, OSV) and their
 * timeouts. `pkgvet audit` and the shims set up vetting the same way
 * through this one function. */
#ifndef PV_VETTING_H
#define PV_VETTING_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "judge.h"
#include "metadata.h"
#include "package.h"
#include "remote_npm.h"
#include "remote_pypi.h"

struct pv_dns;

struct pv_vetting {
	struct pv_audit_opts audit;      /* .cache owned (closed by pv_vetting_free) */
	struct pv_meta_thresholds th;
	struct pv_dns *dns;              /* owned; NULL when dns_server = off */
	struct pv_remote_npm_opts npm;   /* point into this struct: do not copy it */
	struct pv_remote_pypi_opts pypi;
	char project_dir[PATH_MAX];      /* the project .npmrc is read from here */
};

/* Fill v from the judge's policy. use_cache false: no analysis cache
 * (--no-cache). threads 0: the default. warn (may be NULL) is called with
 * one line for each degraded service (no cache, DNS resolver unusable):
 * vetting goes on without it. Returns 0, or -1 on allocation failure. */
int pv_vetting_init(struct pv_vetting *v, const struct pv_judge *j, bool use_cache, unsigned threads,
                    void (*warn)(const char *line, void *ud), void *ud);
void pv_vetting_free(struct pv_vetting *v);

/* The policy's value of setting `set` when a policy layer set it (or the
 * org locked it), else NULL: the package manager's own configuration
 * decides (.npmrc, pip.conf). */
const char *pv_policy_override(const struct pv_policy *p, enum pv_setting set, const char *value);

#endif
