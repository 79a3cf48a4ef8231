/* remote_npm.h - vet one package straight from an npm registry:
 * "npm:NAME[@SPEC]" -> packument -> version -> tarball (integrity checked)
 * -> the code analysis of package.c from memory -> metadata attributes ->
 * manifest-mismatch -> OSV (known-vuln / known-malware).
 *
 * Core code: the caller (the CLI) turns its policy into these options. */
#ifndef PV_REMOTE_NPM_H
#define PV_REMOTE_NPM_H

#include <stdbool.h>

#include "meta_services.h"
#include "metadata.h"
#include "package.h"

struct pv_remote_npm_opts {
	const struct pv_audit_opts *audit;      /* analysis options (cache, limits, threads) */
	const char *registry;                   /* overrides .npmrc (e.g. the policy's
	                                           npm_registry); NULL: .npmrc decides */
	const char *project_dir;                /* where the project .npmrc is; NULL: none */
	unsigned timeout_s;                     /* per HTTP transfer; 0: the HTTP defaults */
	const struct pv_meta_thresholds *th;    /* NULL: the catalogue defaults */
	struct pv_meta_services services;       /* download counts, email DNS */
	const char *integrity;                  /* an SRI string the tarball must also match
	                                           (a lockfile's); NULL/"": none */
};

/* Does input name a registry package ("npm:...")? */
bool pv_is_npm_spec(const char *input);

/* Vet input ("npm:NAME", "npm:NAME@RANGE|VERSION|TAG", "npm:@scope/name@...").
 * Always fills pkg. A package that could not be fetched, resolved or
 * verified (registry unreachable, not found, no matching version,
 * integrity mismatch, o->integrity not matching, ...) has status PV_PKG_ERROR and a one-line error
 * naming the spec; nothing is analysed or cached from it. OSV unreachable
 * leaves a note in pkg->unknowns. Returns 0, or -1 on allocation failure. */
int pv_audit_npm_spec(struct pv_package *pkg, const char *input, const struct pv_remote_npm_opts *o);

#endif
