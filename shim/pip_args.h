/* pip_args.h - classify a pip command line without running it.
 *
 * pkgvet-pip stands in for `pip`, `pip3` and `python -m pip`. Before it can
 * vet anything it has to know what the real pip would do with the same
 * arguments: whether it fetches packages (install, download, wheel), which
 * requirements it was given, and the options that change where packages
 * come from or land. A wrong answer either way is bad: calling an install a
 * pass-through lets unvetted code in; taking an option value for a
 * requirement vets the wrong thing. So this mirrors pip 23.2's own parsing
 * (optparse, driven by pip's option tables) rather than guessing:
 *
 *   - general options may come before the command word; they are parsed
 *     alone first, and parsing stops at the first positional argument,
 *     which is the command (exact names only: pip has no aliases and does
 *     not accept abbreviated commands);
 *   - pip then removes the FIRST argument equal to the command word (even
 *     when that one was an option's value) and parses what is left with the
 *     command's parser, which knows the general options too, and lets
 *     options and positionals mix;
 *   - an option that takes a value consumes the next argument whatever it
 *     looks like, unless written --opt=value or, for short options, -oVALUE;
 *     short flags cluster (-qU, -qrreq.txt);
 *   - a long option may be abbreviated to a prefix that starts exactly one
 *     option word of that parser (aliases count as separate words, so
 *     --no-dep, matching --no-deps and --no-dependencies, is an error);
 *   - `--` ends the options; an unknown or ambiguous option, a missing
 *     value, or a value given to a flag is an error.
 *
 * Command lines pip rejects are PV_PIP_PASS with usage_error set: pip
 * reports them and installs nothing. Option VALUES are not validated (an
 * invalid --progress-bar choice or --timeout number is still an install):
 * the resolution step then shows pip's own error, which is the safe way to
 * be wrong. The tables are pip 23.2.1's; an option a newer pip added is
 * "unknown" here, so a caller that runs a different pip may prefer to treat
 * usage_error as "cannot classify" rather than as a pass-through.
 *
 * This module is pure and libc-only: no I/O, no environment, no pip.conf
 * (PIP_* variables and config files are the caller's business). */
#ifndef PV_PIP_ARGS_H
#define PV_PIP_ARGS_H

#include <stdbool.h>
#include <stddef.h>

enum pv_pip_verb {
	PV_PIP_PASS = 0,  /* fetches nothing: exec the real pip untouched */
	PV_PIP_INSTALL,   /* pip install */
	PV_PIP_DOWNLOAD,  /* pip download */
	PV_PIP_WHEEL,     /* pip wheel */
};

/* Every list is a malloc'd, NULL-terminated array (never NULL after a
 * successful parse, possibly empty) of pointers into argv: for --opt=value
 * and -oVALUE they point inside the argv string, just past "=" or the
 * option letter. Option fields are only filled for the three fetching
 * verbs; for PASS only help, version, python, cmd_index and command are
 * meaningful. */
struct pv_pip_args {
	enum pv_pip_verb verb;
	int cmd_index;       /* argv index of the command word, -1 when none */
	const char *command; /* the command as pip knows it ("list"), or NULL
	                      * when there is none or pip does not know it;
	                      * static string */
	bool usage_error;    /* PASS because pip would reject the command line */

	const char **reqs; /* positional requirement specifiers after the command
	                    * (names with specifiers/extras/markers, URLs, paths) */
	size_t nreqs;
	const char **req_files; /* -r/--requirement FILE, in order */
	size_t nreq_files;
	const char **constraint_files; /* -c/--constraint FILE */
	size_t nconstraint_files;
	const char **editables; /* -e/--editable (install and wheel only) */
	size_t neditables;

	const char *index_url; /* -i/--index-url/--pypi-url, last one wins */
	const char **extra_index_urls; /* --extra-index-url, in order */
	size_t nextra_index_urls;
	const char **find_links; /* -f/--find-links, in order */
	size_t nfind_links;
	bool no_index; /* --no-index */

	bool upgrade;            /* -U/--upgrade */
	bool user;               /* --user (a later --no-user clears it) */
	bool pre;                /* --pre */
	bool no_deps;            /* --no-deps/--no-dependencies */
	bool require_hashes;     /* --require-hashes */
	bool dry_run;            /* --dry-run (install only) */
	bool force_reinstall;    /* --force-reinstall */
	bool ignore_installed;   /* -I/--ignore-installed */
	bool no_build_isolation; /* --no-build-isolation */
	bool quiet;              /* -q/--quiet at least once */
	int verbosity;           /* pip's: each -v/--verbose adds one, each -q/--quiet takes one away */

	const char *target; /* -t/--target DIR */
	const char *prefix; /* --prefix DIR */
	const char *root;   /* --root DIR */
	const char *report; /* --report FILE */
	const char *dest;   /* download: -d/--dest; wheel: -w/--wheel-dir */

	const char **only_binary; /* --only-binary values, as given */
	size_t nonly_binary;
	const char **no_binary; /* --no-binary values, as given */
	size_t nno_binary;

	/* --python PY before the command: pip re-runs itself, with the same
	 * arguments, under that interpreter (pip 22.3+). After the command pip
	 * refuses it (PASS, usage_error). */
	const char *python;
	bool isolated;        /* --isolated, or an abbreviation of it */
	bool isolated_config; /* the exact word "--isolated" is among the command's
	                       * arguments: only then does pip skip pip.conf and
	                       * PIP_* variables while parsing options */

	bool help;    /* -h/--help anywhere pip reads it, `pip`, `pip help ...` */
	bool version; /* -V/--version before the command (pip prints it and
	               * exits; after the command pip accepts and ignores it) */
};

/* Classify argv (argv[0] is the program, ignored). Returns 0 with *out
 * filled (free it with pv_pip_args_free, even for PASS), or -1 with one line
 * in err when argv is unusable (NULL, negative argc) or memory runs out. */
int pv_pip_args_parse(int argc, char *const argv[], struct pv_pip_args *out, char *err,
                      size_t errlen);

/* Release what pv_pip_args_parse allocated; *a is zeroed (cmd_index -1).
 * NULL is fine. */
void pv_pip_args_free(struct pv_pip_args *a);

/* "install", "download", "wheel", "pass-through" for messages. */
const char *pv_pip_verb_name(enum pv_pip_verb v);

#endif
