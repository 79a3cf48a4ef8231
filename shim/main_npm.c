/* main_npm.c - pkgvet-npm: the npm (and npx) shim.
 *
 * Commands that fetch packages are resolved, vetted and handed over to the
 * real npm; every other command is passed straight through with exec(),
 * so it costs nothing measurable. */
#include "real_tool.h"

#include <stdio.h>
#include <string.h>

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

int main(int argc, char **argv)
{
	(void)argc;
	/* Installed as npx, the shim stands in for the real npx. */
	bool npx = strcmp(base_name(argv[0]), "npx") == 0;
	const char *tool = npx ? "npx" : "npm";
	char real[4096], err[600];
	if (pv_real_tool(tool, npx ? "PKGVET_REAL_NPX" : "PKGVET_REAL_NPM", real, sizeof real, err,
	                 sizeof err) < 0) {
		fprintf(stderr, "pkgvet-npm: %s\n", err);
		return 3;
	}
	pv_exec_real(real, argv, err, sizeof err);
	fprintf(stderr, "pkgvet-npm: %s\n", err);
	return 3;
}
