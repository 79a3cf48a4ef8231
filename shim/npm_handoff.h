/* npm_handoff.h - install exactly what was vetted (design.md §6).
 *
 * The resolved package.json / lockfile(s) from the plan's private copy
 * become the project's (originals kept in memory and put back if npm
 * fails); the real npm installs that tree with --ignore-scripts, so npm
 * checks every tarball against the vetted lockfile's integrity; then the
 * install scripts run (`npm rebuild`) only for the packages whose install
 * hook was allowed, and the project's own lifecycle scripts run as npm
 * would have run them; finally what landed in node_modules is compared
 * with the vetted set. */
#ifndef PV_NPM_HANDOFF_H
#define PV_NPM_HANDOFF_H

#include <stdbool.h>
#include <stddef.h>

#include "decide.h"
#include "npm_resolve.h"

struct pv_npm_handoff {
	const char *real_npm;
	const char *project_dir;     /* NULL for a global install */
	const struct pv_npm_plan *plan;
	const struct pv_vetted *v;   /* decisions, in the order of plan->changes */
	size_t n;                    /* how many: the first n changes were vetted (the rest are
	                                the project's own workspace packages) */
	bool ci;                     /* npm ci: `npm ci --ignore-scripts` */
	bool global;                 /* -g: install the pinned top-level specs */
	bool no_save;                /* --no-save: package.json and the lockfile keep their old text */
	bool user_ignore_scripts;    /* the person asked for --ignore-scripts: no scripts at all */
	char *const *pass_opts;      /* the person's options to carry over (no command word, no
	                                specs), NULL-terminated; may be NULL */
	const char *then_run;        /* run this script after installing (install-test: "test") */
	FILE *out;                   /* messages (stderr) */
	bool quiet_stdout;           /* npm's output goes to stderr (exec: stdout is the command's) */
};

/* Returns npm's exit status (0 when everything went in and matches), or
 * PV_HANDOFF_MISMATCH when what landed differs from what was vetted (err
 * lists the first differences), or -1 with err when it could not run. */
#define PV_HANDOFF_MISMATCH 3
int pv_npm_handoff(const struct pv_npm_handoff *h, char *err, size_t errlen);

#endif
