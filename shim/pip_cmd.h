/* pip_cmd.h - the two pip command lines the pip shim runs, their
 * environment, and the pip that runs them.
 *
 * pkgvet-pip runs the real pip twice, both times through the gate (the
 * loopback index in gate.h):
 *   1. resolution: the person's command with every index option replaced
 *      by --index-url GATE, plus --dry-run --report FILE --quiet (pip
 *      download / wheel have no --report: their requirements are resolved
 *      with `pip install --dry-run --ignore-installed` instead);
 *   2. hand-off: the person's command and options without its requirements,
 *      plus -r PINS --no-deps --require-hashes --index-url GATE, PINS being
 *      the vetted set as `name==version --hash=sha256:HEX` lines.
 *
 * Rewriting argv has to agree with pip about which words are options,
 * values and requirements (`--log -i` has no index option in it). Rather
 * than keep a second copy of pip's option tables, the rewrite asks
 * pip_args: pip_args' lists point into the argv it parsed, so each value
 * found there names the argv element (and so the option word) it came
 * from. Removals happen one at a time and every removal is checked by
 * parsing again: the result must differ from the previous parse in exactly
 * the removed item. Anything that cannot be removed that way is an error,
 * never a silently kept index option. */
#ifndef PV_PIP_CMD_H
#define PV_PIP_CMD_H

#include <stddef.h>

#include "pip_args.h"
#include "run.h"

/* The pip the person would have got. argv0[0..n-1] are malloc'd:
 * {"/venv/bin/pip"} or {"/usr/bin/python3", "-m", "pip"}. */
struct pv_pip_exe {
	char *argv0[4];
	int n;
};

/* invoked_as: "pip" or "pip3" (anything else is an error). python: NULL, or
 * the interpreter of a `python -m pip` invocation (then exe is PYTHON -m
 * pip, copied as given). Otherwise, in this order: PKGVET_REAL_PIP when set
 * and non-empty (pv_real_tool checks it; a bad one is an error, never
 * skipped); $VIRTUAL_ENV/bin/<invoked_as> (then the other of pip/pip3) when
 * that is an executable and not a shim; the real <invoked_as> on PATH,
 * skipping shims. Returns 0, or -1 with one line in err (*out then needs
 * no freeing, but freeing it is harmless). */
int pv_pip_find(const char *invoked_as, const char *python, struct pv_pip_exe *out, char *err,
                size_t errlen);
void pv_pip_exe_free(struct pv_pip_exe *e);

/* The upstream indexes pip would use for the parsed command, in pip's
 * order: the index URL (--index-url, else pip's configuration: PIP_INDEX_URL,
 * PIP_CONFIG_FILE, the pip.conf files, else https://pypi.org/simple/), then
 * the extra index URLs (configuration's, then every --extra-index-url, as
 * pip appends command-line extras to configured ones). --isolated skips the
 * configuration as pip does; --no-index gives an empty list. URLs end in
 * '/'; exact duplicates are dropped. Returns a malloc'd NULL-terminated
 * array (free with pv_strv_free), or NULL with err. */
char **pv_pip_upstreams(const struct pv_pip_args *a, char *err, size_t errlen);

/* The find-links locations pip would use, for the gate to read instead of
 * pip: configuration's (PIP_FIND_LINKS, else the pip.conf files, as for
 * the index URL; none with --isolated), then every -f/--find-links, in
 * order. Paths are made absolute against the current directory ("~/" is
 * expanded when that exists, as pip does); http(s) and file: URLs are kept
 * as given. Does not look at --no-index (pip reads find-links with it).
 * malloc'd NULL-terminated array (pv_strv_free), or NULL with err. */
char **pv_pip_find_links(const struct pv_pip_args *a, char *err, size_t errlen);

/* Resolution command: exe, then argv[1..argc-1] without requirements,
 * index options (-i/--index-url/--pypi-url/--extra-index-url/--no-index in
 * every spelling), -f/--find-links (the gate serves those) and --report,
 * then
 *   --index-url GATE --dry-run --report REPORT --quiet --no-input
 *   --progress-bar off --timeout 600
 * (these last, so they win over any the person gave), then the
 * requirements again (-c, -e, -r, positional, in their original order
 * within each kind). For download and wheel the command word becomes
 * `install`, the destination (-d / -w), --no-verify and --build-option are
 * dropped and --ignore-installed --target REPORT.target are added (pip
 * 23.2's install takes --platform and friends only with --target; a dry
 * run never creates it). a must be pv_pip_args_parse's
 * result for exactly this argc/argv with a fetching verb. out must be
 * zeroed; on error it is freed. Returns 0 or -1 with err. */
int pv_pip_resolve_argv(const struct pv_pip_exe *exe, int argc, char *const argv[],
                        const struct pv_pip_args *a, const char *gate_url,
                        const char *report_path, struct pv_argv *out, char *err, size_t errlen);

/* Hand-off command: exe, then argv[1..argc-1] without requirements, index
 * options, find-links and a `--` end-of-options marker, with --no-input --progress-bar
 * off right after the command word (so the person's own --progress-bar,
 * later, still wins), and
 *   -r REQFILE --no-deps --require-hashes --index-url GATE
 * at the end. Everything else the person gave stays where it was (--user,
 * --target, --prefix, --root, -U, --force-reinstall, -d, -w, -q, --pre,
 * --only-binary, ...). Same contract as above. */
int pv_pip_handoff_argv(const struct pv_pip_exe *exe, int argc, char *const argv[],
                        const struct pv_pip_args *a, const char *gate_url, const char *reqfile,
                        struct pv_argv *out, char *err, size_t errlen);

/* One vetted distribution. name: as given ([A-Za-z0-9._-]); version:
 * PEP 440 characters ([A-Za-z0-9.!+_-]); sha256: 64 hex digits. */
struct pv_pip_pin {
	const char *name, *version, *sha256;
};

/* "name==version --hash=sha256:hex\n" per pin, sorted by name (ASCII
 * case-insensitive, then exact), hex in lower case. malloc'd; NULL when a
 * field is missing or malformed (a requirements line must not be
 * injectable) or memory runs out. n == 0 gives "". */
char *pv_pip_pins_text(const struct pv_pip_pin *pins, size_t n);

/* Environment additions for both runs ("K=V", malloc'd, NULL-terminated):
 *   PIP_INDEX_URL=" " PIP_EXTRA_INDEX_URL=" "   (one space) pip's
 *       configuration (env and pip.conf) cannot add an index behind the
 *       gate's back: PIP_* variables are pip's highest configuration layer,
 *       but pip skips EMPTY values (cli/parser.py, "Ignoring configuration
 *       key ... as it's value is empty"), so "" would leave pip.conf's
 *       extra-index-url in force; " " is not empty and splits to no URLs.
 *       The index URL itself is --index-url GATE on the command line,
 *       which beats any configured one;
 *   PIP_NO_INDEX=0   ("" would be skipped like any empty value; "0"
 *       overrides a configured no-index = true, which would otherwise make
 *       pip ignore --index-url GATE);
 *   NO_PROXY / no_proxy   the existing value plus 127.0.0.1, so a
 *       configured proxy does not carry the loopback gate's traffic;
 *   PIP_DISABLE_PIP_VERSION_CHECK=1.
 * Returns NULL with err on ENOMEM. */
char **pv_pip_env(char *err, size_t errlen);

void pv_strv_free(char **v);

#endif
