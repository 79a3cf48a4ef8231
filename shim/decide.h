/* decide.h - from vetted packages to "install or not": judge each one,
 * show what is blocked, ask the person about what the policy leaves to
 * them (or apply the policy's noninteractive action when nobody can be
 * asked), record "always" answers as approvals, and log every decision.
 * Shared by the npm and pip shims. */
#ifndef PV_DECIDE_H
#define PV_DECIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "judge.h"
#include "package.h"

/* How a package's final decision was reached (decision log, messages). */
enum pv_how {
	PV_HOW_POLICY = 0,      /* its verdict allowed or blocked it */
	PV_HOW_PROMPT,          /* the person answered */
	PV_HOW_YES,             /* --yes accepted a prompt verdict */
	PV_HOW_NONINTERACTIVE,  /* no terminal: the policy's noninteractive action */
};

struct pv_vetted {
	struct pv_package pkg;    /* owned (pv_vetted_free) */
	struct pv_judgement jd;   /* filled by pv_decide */
	char *old_version;        /* the version it replaces, or NULL; owned */
	bool have_old_perms;      /* old_perms is known (the old version was vetted) */
	unsigned old_perms;       /* the replaced version's permissions (bits over enum pv_perm) */
	bool allowed;             /* out: may be installed */
	bool hooks_allowed;       /* out: its install scripts may run */
	bool no_scripts;          /* out: the person allowed it without its install scripts */
	enum pv_how how;          /* out */
};

struct pv_decide_opts {
	struct pv_judge *judge;
	const char *tool;         /* "npm" or "pip", for wording */
	const char *command;      /* the command line, for the decision log */
	bool yes;                 /* --yes / PKGVET_YES=1 (refused when the policy's allow_yes is no) */
	bool interactive;         /* a terminal may be asked (false: noninteractive applies) */
	bool color;
	FILE *out;                /* messages (stderr) */
	bool no_summary;          /* no "✔ N allowed ..." line (one package decided mid-way) */
	const char *context;      /* a line said on the terminal before asking, or NULL ("pip must run ...") */
	bool scripts_required;    /* the tool cannot leave install scripts out (pip): no [s]kip */
	bool quiet;               /* the tool's --quiet: no summary line, only refusals, prompts, errors */
	bool verbose;             /* the tool's --verbose: also each package's verdict and the time taken */
	double seconds;           /* with verbose: how long resolving and vetting took */
};

/* Exit statuses (design.md §7). */
#define PV_DECIDE_OK 0
#define PV_DECIDE_REFUSED 1    /* something blocked or denied: install nothing */
#define PV_DECIDE_UNVETTED 3   /* something could not be vetted and the policy fails closed */

/* Decide about v[0..n). Returns PV_DECIDE_OK when every package may be
 * installed, else why not (blocked/denied beats unvetted). Packages are
 * never installed piecemeal: one refusal refuses the command. */
int pv_decide(struct pv_vetted *v, size_t n, const struct pv_decide_opts *o);

void pv_vetted_free(struct pv_vetted *v, size_t n);

#endif
