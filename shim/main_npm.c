/* main_npm.c - pkgvet-npm, the npm (and npx) shim's front door.
 *
 * It has one job: tell a command that installs nothing (npm run, test, ls,
 * --version, ...) from one that fetches packages, as fast as possible. The
 * first kind goes straight to the real npm with exec(); the second to
 * `pkgvet npm ARGS` (core/cli/cmd_npm.c), which vets before anything is
 * installed. It links nothing but libc, so a pass-through costs no more
 * than starting a tiny program: the vetting engine's libraries (curl,
 * OpenSSL, libarchive, SQLite...) are loaded only when there is vetting to
 * do. */
#include "npm_args.h"
#include "real_tool.h"
#include "shim_guard.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_UNVETTED 3

int main(int argc, char **argv)
{
	bool npx = strcmp(pv_base_name(argv[0]), "npx") == 0;
	if (pv_shim_enter("pkgvet-npm", PV_TOOL_NPM, npx ? "npx" : "npm") < 0)
		return EXIT_UNVETTED;
	struct pv_npm_args a;
	char err[700];
	bool pass = true;
	if (pv_npm_args_parse(argc, argv, npx, &a, err, sizeof err) == 0) {
		pass = a.verb == PV_NPM_PASS || a.help || a.version || a.dry_run || a.package_lock_only;
		pv_npm_args_free(&a);
	}
	if (pass) {
		char real[PATH_MAX];
		const char *tool = npx ? "npx" : "npm";
		if (pv_real_tool(tool, npx ? "PKGVET_REAL_NPX" : "PKGVET_REAL_NPM", real, sizeof real, err,
		                 sizeof err) < 0) {
			fprintf(stderr, "pkgvet-npm: %s\n", err);
			return EXIT_UNVETTED;
		}
		pv_exec_real(real, argv, err, sizeof err);
		fprintf(stderr, "pkgvet-npm: %s\n", err);
		return EXIT_UNVETTED;
	}
	pv_exec_engine(npx ? "npx" : "npm", argc, argv, err, sizeof err);
	fprintf(stderr, "pkgvet-npm: %s\n", err);
	return EXIT_UNVETTED;
}
