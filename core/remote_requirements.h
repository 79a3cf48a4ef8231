/* remote_requirements.h - vet every requirement of a pip requirements file
 * (already read by requirements.h): pinned requirements as
 * "pypi:NAME==VERSION" from the index (remote_pypi.h); direct references
 * (URLs, paths) as a url-dependency finding on an entry of their own. */
#ifndef PV_REMOTE_REQUIREMENTS_H
#define PV_REMOTE_REQUIREMENTS_H

#include <stddef.h>

#include "package.h"
#include "remote_pypi.h"
#include "requirements.h"

/* Vet rf's requirements (entries from constraints files are skipped: they
 * install nothing). o->index_url NULL: rf's --index-url, else pip's
 * configuration. *pkgs (malloc'd, each for pv_package_free; NULL when *n
 * is 0): the entries of pv_audit_pypi_spec for each distinct NAME==VERSION,
 * then one per direct reference (input "FILE:LINE (URL)", ecosystem pypi).
 * Returns 0, or -1 on allocation failure (*pkgs NULL, *n 0). */
int pv_audit_pypi_requirements(struct pv_package **pkgs, size_t *n, const struct pv_reqfile *rf,
                               const struct pv_remote_pypi_opts *o);

#endif
