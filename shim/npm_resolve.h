/* npm_resolve.h - work out exactly which packages an npm command would
 * install, without installing anything (design.md §5).
 *
 * The project's package.json, lockfile, .npmrc and workspace package.json
 * files are copied into a private temporary directory; the real npm runs
 * there with the user's arguments plus --package-lock-only --ignore-scripts
 * (so no package code runs and node_modules is never touched); the new
 * lockfile is compared with the old one. The project directory itself is
 * only ever read. The resolved files stay in plan->workdir for the hand-off
 * (design.md §6). */
#ifndef PV_NPM_RESOLVE_H
#define PV_NPM_RESOLVE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "lockfile.h"

#define PV_NPM_RESOLVE_MAX_JSON (16u * 1024u * 1024u) /* package.json, .npmrc */
#define PV_NPM_RESOLVE_MAX_WORKSPACES 4096
#define PV_NPM_RESOLVE_STDERR_KEEP (64u * 1024u) /* tail of npm's stderr kept */

struct pv_npm_change {
	char *name;          /* real package name (aliases resolved) */
	char *version;       /* may be NULL for link / file entries */
	char *old_version;   /* the version it replaces at the same install path, or NULL when added */
	char *integrity;     /* SRI from the new lockfile, or NULL */
	char *resolved;      /* tarball URL, or NULL (derive nothing here) */
	char *path;          /* install path "node_modules/a/node_modules/b" */
	enum pv_lock_source source;
	bool dev, optional;
};

struct pv_npm_plan {
	/* Private temp dir (0700, files 0600) laid out like the project; set
	 * as soon as it exists, so a signal handler can find it. */
	char *workdir;
	char *lockfile_name;  /* "package-lock.json" or "npm-shrinkwrap.json" */
	bool had_lockfile;    /* the project had that lockfile */
	struct pv_npm_change *changes; /* the install set, in new-lockfile order */
	size_t n;
	size_t unchanged;     /* entries of the new lockfile already installed as they were */
	/* The exact argv npm was run with (NULL-terminated); NULL when npm was
	 * not run (npm ci, or an error found before the run). */
	char **argv;
	size_t argc;
};

struct pv_npm_resolve_opts {
	const char *real_npm;         /* path of the real npm */
	const char *project_dir;      /* the project root (where package.json is); NULL for a global install */
	/* NULL-terminated: the user's arguments after argv[0] (command and all).
	 * Passed on as given, except -g / --global / --location=global (the
	 * run is never global), --prefix / -C (the workdir is the project), and
	 * --no-save / --no-package-lock / --dry-run (npm would write no lockfile). */
	char *const *npm_args;
	bool full;                    /* every entry is in the install set (npm ci, or no node_modules) */
	bool global;                  /* npm install -g: resolve in an empty temp project */
	const char *const *extra_env; /* NULL-terminated "K=V" added to (or replacing in) the environment; may be NULL */
	int timeout_s;                /* kill the npm run after this many seconds (0: 600) */
	/* Optional: set by the caller's SIGINT/SIGTERM handler. Checked at least
	 * every 100 ms while npm runs; when set, npm's process group is killed
	 * and -1 "interrupted" is returned (plan->workdir still set, so
	 * pv_npm_plan_free removes it). */
	const volatile sig_atomic_t *cancel;
};

/* Resolve without installing. (Named _tree: core/registry_npm.h already
 * has pv_npm_resolve, a spec-to-version lookup in a packument.)
 * For npm ci (any alias) npm is not run: the plan is the existing lockfile.
 * Install set: new-lockfile entries absent from the old lockfile or
 * differing at the same path in version or source, or in integrity /
 * resolved when both lockfiles record them (so a lockfile written with
 * omit-lockfile-registry-resolved is not "changed" everywhere); every entry
 * when full or when there was no lockfile.
 * Returns 0; -1 with a one-line message in err (npm failed: its own error,
 * escaped; a package.json that is not valid JSON, named; an unreadable
 * lockfile; npm ci without a lockfile; a timeout or an interruption); -2
 * out of memory. On every return the plan must be released with
 * pv_npm_plan_free (it may hold workdir). */
int pv_npm_resolve_tree(const struct pv_npm_resolve_opts *o, struct pv_npm_plan *plan, char *err,
                        size_t errlen);

/* Free everything and remove workdir recursively. Safe on a zeroed plan. */
void pv_npm_plan_free(struct pv_npm_plan *p);

/* The npm command in args (skipping global options and their values), or
 * NULL when there is none. Exposed for the tests and the shim. */
const char *pv_npm_resolve_command(char *const *args);

/* Is cmd one of npm ci's aliases (ci, clean-install, install-ci-test...)? */
bool pv_npm_resolve_is_ci(const char *cmd);

#endif
