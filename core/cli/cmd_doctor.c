/* cmd_doctor.c - `pkgvet doctor`: is this machine set up so that every npm
 * and pip install is vetted? The checks live in doctor_*.c; this file
 * runs them in order and prints the report. */
#include "cli.h"
#include "doctor.h"
#include "policy.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: pkgvet doctor [--json] [--quiet]\n"
	"\n"
	"Check the setup, one line per check:\n"
	"  ✔ works   ✖ broken   – worth knowing, not broken\n"
	"tools      the real npm, npx, pip, pip3 each shim would run (PKGVET_REAL_NPM,\n"
	"           PKGVET_REAL_NPX, PKGVET_REAL_PIP, else PATH after the shims), its\n"
	"           version and whether it is supported (npm >= 7, pip >= 22.2); a tool\n"
	"           that is not installed is –, an override that is wrong is ✖\n"
	"shims      the shims directory exists and its links lead to this pkgvet\n"
	"PATH       npm, npx, pip, pip3 typed in a shell reach the shims, not a real\n"
	"           tool earlier on PATH (– instead of ✖ while the shell hooks are active)\n"
	"hooks      whether this shell runs the pkgvet hooks (PKGVET_HOOK_SHELL)\n"
	"policy     the org, user and project policy files, each valid\n"
	"cache      the cache directory takes a file, the cache database opens\n"
	"endpoints  the npm registries (policy, .npmrc), PyPI indexes (policy,\n"
	"           pip.conf, PIP_*), OSV and the download-count services answer:\n"
	"           one GET each, all at once, 5 s at most; any HTTP status below 500\n"
	"           counts as reachable\n"
	"\n"
	"--json    the report as JSON (schema pkgvet.doctor/1: ok, and checks with\n"
	"          group, check, ok, status (ok|fail|info), detail)\n"
	"--quiet   only the broken (✖) lines\n"
	"\n"
	"exit status: 0 nothing is broken, 1 something is (a ✖ line), 2 usage error\n";

int cmd_doctor(int argc, char **argv)
{
	bool json = false, quiet = false;
	/* Three flags and no arguments: a plain loop says it more simply than getopt. */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--json") == 0) {
			json = true;
		} else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			quiet = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return PV_EXIT_OK;
		} else {
			pv_err("doctor: unexpected argument (pkgvet doctor --help)");
			return PV_EXIT_USAGE;
		}
	}
	struct doc_report *r = calloc(1, sizeof *r);
	struct pv_policy *pol = calloc(1, sizeof *pol);
	if (!r || !pol) {
		free(r);
		free(pol);
		pv_err("out of memory");
		return PV_EXIT_UNVETTED;
	}
	/* The slow checks (tool versions, endpoints) run in threads while the
	 * local ones run here. */
	struct doc_tools *tools = doc_tools_start(r);
	doc_check_shims(r);
	struct doc_net *net = NULL;
	bool have_policy = doc_check_policy(r, pol) == 0;
	if (have_policy) {
		doc_check_cache(r, pol);
		net = doc_net_start(r, pol);
	}
	doc_tools_join(tools);
	doc_net_join(net);
	if (have_policy)
		pv_policy_free(pol);
	free(pol);

	int wrc = json ? doc_print_json(r, quiet) : doc_print_text(r, quiet, pv_use_color(stdout, NULL));
	int rc = doc_broken(r) ? PV_EXIT_BLOCKED : PV_EXIT_OK;
	free(r);
	if (wrc < 0) {
		pv_err("could not write the report");
		return PV_EXIT_UNVETTED;
	}
	return rc;
}
