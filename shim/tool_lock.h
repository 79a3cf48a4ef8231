/* tool_lock.h - the organisation's say over which real npm / pip the shims
 * hand over to.
 *
 * PKGVET_REAL_NPM / PKGVET_REAL_NPX / PKGVET_REAL_PIP let a person point the
 * shims at another npm or pip, unless the organisation policy
 * (PKGVET_ORG_POLICY, /etc/pkgvet/policy.ini) locks it: `[locked]`
 * `settings.real_npm = yes` (or `settings.real_pip`, or `settings.*`). Then
 * the variables are ignored with a one-line warning, and the org's own
 * `[settings] real_npm = /path` (`real_pip`) is used when it names one
 * (`path`, the default, means: search PATH as usual). An org setting that is
 * not locked is the default a variable may override. The front doors read
 * the file themselves, libc only, with bounded reads; the policy library
 * validates the same keys for `pkgvet policy check --org`. */
#ifndef PV_TOOL_LOCK_H
#define PV_TOOL_LOCK_H

enum pv_tool_family { PV_TOOL_NPM, PV_TOOL_PIP };

/* Apply the org's lock and setting for one family to this process's
 * environment (so the engine a front door execs sees the same), warning on
 * stderr as "PROG: warning: ..." when a variable is ignored. An org file
 * that exists but cannot be read locks the family (fail closed). */
void pv_tool_lock_apply(const char *prog, enum pv_tool_family fam);

#endif
