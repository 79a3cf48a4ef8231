/* remote_lockfile.h - vet every package of an npm package-lock.json (or
 * npm-shrinkwrap.json): registry entries as "npm:NAME@VERSION" from the
 * registry (remote_npm.h), with the lockfile's integrity checked as well;
 * git, file, link and tarball-URL entries as a url-dependency finding on an
 * entry of their own. */
#ifndef PV_REMOTE_LOCKFILE_H
#define PV_REMOTE_LOCKFILE_H

#include <stddef.h>

#include "package.h"
#include "remote_npm.h"

/* Vet the packages of the lockfile at path (o->integrity is ignored: each
 * entry's own is used). *pkgs (malloc'd, *n >= 1 entries, each for
 * pv_package_free) on return 0: one per distinct registry NAME@VERSION
 * (input "npm:NAME@VERSION", as pv_audit_npm_spec), one per other entry
 * (input "PATH (PACKAGE PATH)", ecosystem npm, a url-dependency finding
 * naming the source), or, when the lockfile cannot be read or parsed, one
 * entry with input path, status PV_PKG_ERROR and the reason. A lockfile
 * listing no package gives no entries (*n 0, *pkgs NULL). Returns 0, or -1
 * on allocation failure (*pkgs NULL, *n 0). */
int pv_audit_npm_lockfile(struct pv_package **pkgs, size_t *n, const char *path,
                          const struct pv_remote_npm_opts *o);

/* Vet one lockfile entry (the npm shim's install set is made of these):
 * a registry entry as "npm:NAME@VERSION" with its integrity checked too; a
 * git / file / link / tarball-URL entry as a url-dependency finding, input
 * "LABEL (PACKAGE PATH)". Always fills pkg. 0, or -1 on allocation failure. */
struct pv_lock_entry;
int pv_audit_npm_lock_entry(struct pv_package *pkg, const char *label, const struct pv_lock_entry *e,
                            const struct pv_remote_npm_opts *o);

#endif
