/* npm_args.h - classify an npm (or npx) command line without running it.
 *
 * pkgvet-npm stands in for `npm`. Before it can vet anything it has to know
 * what the real npm would do with the same arguments: which command runs,
 * which package specs it fetches, and the handful of options that change
 * where or whether packages land (global, workspaces, registry, dry-run...).
 * Getting this wrong in either direction is bad: mistaking an install for a
 * pass-through lets unvetted code in; mistaking a value for a package spec
 * vets the wrong thing. So the parser mirrors npm 11's own rules (nopt and
 * npm's command table) rather than guessing:
 *
 *   - options may appear before or after the command word; an option that
 *     takes a value consumes the next argument unless written --opt=value;
 *     unknown options are boolean: like any boolean they take a following
 *     "true" or "false", and nothing else (`npm i --foo bar` installs bar);
 *   - long options may be abbreviated to any unique prefix, as nopt allows;
 *   - the command word is the first positional argument; it may be a command,
 *     an alias, or a unique prefix of either (npm's deref);
 *   - npx rewrites its arguments as npm does (everything after the first
 *     positional belongs to the command being run, not to npm).
 *
 * This module is pure: no I/O, no environment, no exec. Anything it does not
 * recognise is PV_NPM_PASS: the shim must never block a command it does not
 * understand. */
#ifndef PV_NPM_ARGS_H
#define PV_NPM_ARGS_H

#include <stdbool.h>
#include <stddef.h>

enum pv_npm_verb {
	PV_NPM_PASS = 0,     /* installs nothing: exec the real npm untouched */
	PV_NPM_INSTALL,      /* install and its aliases (i, add, in, isntall...) */
	PV_NPM_CI,           /* ci, clean-install, ic, install-clean, isntall-clean */
	PV_NPM_INSTALL_TEST, /* install-test, it; install-ci-test, cit, sit (ci_style) */
	PV_NPM_UPDATE,       /* update, u, up, upgrade, udpate */
	PV_NPM_DEDUPE,       /* dedupe, ddp (find-dupes is a dry run: PASS) */
	PV_NPM_EXEC,         /* exec, x, and the npx binary */
	PV_NPM_INIT,         /* init/create/innit with an initializer: runs create-<x> */
};

struct pv_npm_args {
	enum pv_npm_verb verb;
	/* The command word as npm resolved it ("install" for `npm isnt`), or
	 * NULL when there is none or npm would not recognise it. Static string. */
	const char *command;
	int cmd_index; /* index in argv of the command word; -1 for none or npx */
	bool ci_style; /* install-ci-test family: installs the lockfile like ci */

	/* Package specs the command fetches, NULL-terminated, malloc'd array.
	 * install/install-test/update: the positional arguments after the
	 * command. exec: the --package values, or else the first positional.
	 * init: the create- package derived from the initializer (an owned
	 * string, see init_spec). Otherwise empty. Pointers into argv. */
	const char **specs;
	size_t nspecs;
	/* exec: the command to run (-c/--call value, or the first positional);
	 * NULL when there is none. exec_args: the positional arguments after it
	 * (NULL-terminated, may be empty), which belong to that command. */
	const char *exec_command;
	const char **exec_args;
	size_t nexec_args;
	bool exec_is_call; /* exec_command came from -c/--call (a shell line) */

	bool global;      /* -g, --global, --location=global */
	bool workspaces;  /* --workspaces, --ws, -ws */
	const char **workspace; /* -w/--workspace NAME values, NULL-terminated */
	size_t nworkspace;
	bool include_workspace_root; /* --include-workspace-root, --iwr */

	bool no_save;   /* --no-save, --save=false */
	bool save_prod, save_dev, save_optional, save_peer, save_exact, save_bundle;
	bool dry_run;           /* --dry-run */
	bool package_lock_only; /* --package-lock-only */
	bool no_package_lock;   /* --no-package-lock, --package-lock=false */
	bool ignore_scripts;    /* --ignore-scripts */
	bool omit_dev;          /* --omit=dev, --production */
	bool force;             /* -f, --force */
	bool yes;               /* -y, --yes */
	bool no_yes;            /* --no-yes, -n/--no (npm), --no-install (npx) */

	const char *registry;     /* --registry URL (last one wins), or NULL */
	const char *loglevel;     /* --loglevel (also -q, -s, --silent, --verbose, -d...; last wins), or NULL */
	const char *prefix;       /* --prefix DIR / -C DIR, or NULL */
	const char *userconfig;   /* --userconfig FILE, or NULL */
	const char *globalconfig; /* --globalconfig FILE, or NULL */

	bool help;    /* --help, -h, -H, -?, --usage, or the `help` command */
	bool version; /* -v, --version, --versions */

	char *init_spec; /* owned storage behind specs[0] for PV_NPM_INIT */
};

/* Classify argv (argv[0] is the program, ignored). npx is true when invoked
 * as npx: `npx foo` is then `npm exec -- foo`. Returns 0 with *out filled
 * (free it with pv_npm_args_free even for PASS), or -1 with one line in err
 * when the arguments are unusable (NULL argv) or memory runs out. Command
 * lines npm itself rejects are PASS: npm reports them and installs nothing. */
int pv_npm_args_parse(int argc, char *const argv[], bool npx, struct pv_npm_args *out,
                      char *err, size_t errlen);

/* Release what pv_npm_args_parse allocated; *a is zeroed. NULL is fine. */
void pv_npm_args_free(struct pv_npm_args *a);

/* "install", "ci", ... for messages. */
const char *pv_npm_verb_name(enum pv_npm_verb v);

#endif
