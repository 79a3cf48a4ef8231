/* real_tool.h - find the real npm / npx / pip the shim stands in for, and
 * hand the command over to it.
 *
 * The shims are installed as `npm`, `npx`, `pip`, `pip3` in a directory put
 * early on PATH (and the shell hooks call them too), so the real tool is
 * "the next one on PATH that is not a shim". A shim must never run itself:
 * a PATH that lists the shims directory twice, a symlink to a shim under
 * another name, a symlink loop, or PKGVET_REAL_NPM pointing back at a shim
 * would otherwise loop for ever. A candidate is a shim when its real path is
 * this executable's real path (/proc/self/exe) or any file named
 * pkgvet-npm / pkgvet-pip / pkgvet. */
#ifndef PV_REAL_TOOL_H
#define PV_REAL_TOOL_H

#include <stdbool.h>
#include <stddef.h>

/* Find the real `tool` ("npm", "npx", "pip", "pip3"). env_var names the
 * override ("PKGVET_REAL_NPM"): when set and non-empty it must name an
 * executable that is not a shim (else -1 with the reason; it is never
 * silently ignored). Otherwise PATH is searched, skipping shims. Returns 0
 * with the path in out, -1 with one line in err. */
int pv_real_tool(const char *tool, const char *env_var, char *out, size_t outlen, char *err,
                 size_t errlen);

/* The pip the person would have got for `tool` ("pip", "pip3"): with
 * PKGVET_REAL_PIP set, that one (checked as above); inside a virtualenv
 * ($VIRTUAL_ENV/bin/TOOL exists and is not a shim), the venv's; else the
 * next TOOL on PATH that is not a shim. 0 or -1 with err. */
int pv_real_pip(const char *tool, char *out, size_t outlen, char *err, size_t errlen);

/* `python -m pip` (the shell hooks, hooks/): PKGVET_PIP_PYTHON names the
 * interpreter whose pip the person ran. 1 with its path in out, 0 when it
 * is not set, -1 when it is not an executable or is a shim (err says). */
int pv_pip_python(char *out, size_t outlen, char *err, size_t errlen);

/* The last path segment of p. */
const char *pv_base_name(const char *p);

/* Replace this process with `pkgvet SUB ARGS...` (argv[1..] as ARGS): the
 * vetting engine, $PKGVET_ENGINE or `pkgvet` next to this program's real
 * file. Returns only on failure, with err set. */
void pv_exec_engine(const char *sub, int argc, char **argv, char *err, size_t errlen);

/* Is path (after resolving links) a pkgvet shim? */
bool pv_is_shim(const char *path);

/* Replace this process with the real tool: argv[0] becomes path, the rest
 * as given. Returns only on failure (err says why). */
void pv_exec_real(const char *path, char *const argv[], char *err, size_t errlen);

#endif
