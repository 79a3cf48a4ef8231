/* cmd_npm.c - `pkgvet npm ARGS...` / `pkgvet npx ARGS...`: the npm shim's
 * vetting half (shim/npm_shim.c). The pkgvet-npm shim execs this for every
 * command that fetches packages, and people may call it directly. */
#include "cli.h"
#include "npm_shim.h"

#include <string.h>

static const char usage[] =
	"usage: pkgvet npm NPM-ARGS...\n"
	"       pkgvet npx NPX-ARGS...\n"
	"\n"
	"Run npm (npx) with NPM-ARGS, vetting every package it would add or change\n"
	"first: install (i, add), ci, install-test, update, dedupe, exec (x, npx),\n"
	"init/create with an initializer. npm resolves in a private copy of the\n"
	"project (--package-lock-only --ignore-scripts), every package is vetted,\n"
	"prompt-level packages are put to you on the terminal ([y]es once, [a]lways,\n"
	"[s]kip install scripts, [n]o, [d]etails), and npm then installs exactly the\n"
	"vetted lockfile; only approved install scripts run. Every other command,\n"
	"and --help, --version, --dry-run, goes straight to npm: `pkgvet npm install\n"
	"--help` is npm's help. This is what the pkgvet-npm shim runs.\n"
	"\n"
	"pkgvet also reads:\n"
	"  --yes, -y           accept prompt-level packages without asking (never a\n"
	"                      block; refused when the policy sets allow_yes = no)\n"
	"  --quiet, --silent, --loglevel warn|error|silent\n"
	"                      pkgvet prints only refusals, prompts and errors\n"
	"  --verbose, --loglevel verbose|silly\n"
	"                      pkgvet also lists each package's verdict and the time taken\n"
	"\n"
	"environment: PKGVET_YES=1, PKGVET_REAL_NPM, PKGVET_REAL_NPX, PKGVET_FETCH_JOBS,\n"
	"PKGVET_* policy settings (man pkgvet-policy), NO_COLOR\n"
	"\n"
	"exit status: 0 installed, 1 blocked or denied, 2 usage error, 3 could not\n"
	"vet; once npm runs, npm's own status (man pkgvet-npm)\n";

int cmd_npm(int argc, char **argv)
{
	/* Only pkgvet's own `pkgvet npm --help`: the shim passes every help
	 * request straight to npm and never comes here with one. */
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return PV_EXIT_OK;
	}
	/* argv[0] is "npm" or "npx": exactly what the shim was called as. */
	return pv_npm_shim_main(argc, argv, strcmp(argv[0], "npx") == 0);
}
