/* main_pip.c - pkgvet-pip, the pip (pip3) shim's front door.
 *
 * As main_npm.c for npm: pip's install, download and wheel go on to
 * `pkgvet pip ARGS` (core/cli/cmd_pip.c), which vets before pip installs
 * anything; every other command (list, show, freeze, uninstall, ...) is
 * exec'ed straight to the real pip — the virtualenv's when one is active.
 * Links nothing but libc. */
#include "pip_args.h"
#include "real_tool.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_UNVETTED 3

int main(int argc, char **argv)
{
	/* pip3 stands for the real pip3; anything else for pip. */
	const char *tool = strcmp(pv_base_name(argv[0]), "pip3") == 0 ? "pip3" : "pip";
	/* --yes is pkgvet's, not pip's (pip has none): it becomes PKGVET_YES. */
	int k = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--yes") == 0) {
			setenv("PKGVET_YES", "1", 1);
			continue;
		}
		argv[k++] = argv[i];
	}
	argv[k] = NULL;
	argc = k;
	struct pv_pip_args a;
	char err[700];
	bool pass = true;
	if (pv_pip_args_parse(argc, argv, &a, err, sizeof err) == 0) {
		pass = a.verb == PV_PIP_PASS || a.help || a.version || a.dry_run;
		pv_pip_args_free(&a);
	}
	if (pass) {
		char real[PATH_MAX];
		int py = pv_pip_python(real, sizeof real, err, sizeof err);
		if (py < 0 || (py == 0 && pv_real_pip(tool, real, sizeof real, err, sizeof err) < 0)) {
			fprintf(stderr, "pkgvet-pip: %s\n", err);
			return EXIT_UNVETTED;
		}
		if (py > 0) {
			/* `python -m pip ARGS`: argv grows by two ("-m", "pip"). */
			char **pargv = calloc((size_t)argc + 3, sizeof *pargv);
			if (!pargv) {
				fputs("pkgvet-pip: out of memory\n", stderr);
				return EXIT_UNVETTED;
			}
			pargv[0] = real;
			pargv[1] = "-m";
			pargv[2] = "pip";
			for (int i = 1; i < argc; i++)
				pargv[i + 2] = argv[i];
			argv = pargv;
		}
		pv_exec_real(real, argv, err, sizeof err);
		fprintf(stderr, "pkgvet-pip: %s\n", err);
		return EXIT_UNVETTED;
	}
	pv_exec_engine(tool, argc, argv, err, sizeof err);
	fprintf(stderr, "pkgvet-pip: %s\n", err);
	return EXIT_UNVETTED;
}
