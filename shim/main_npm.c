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

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_UNVETTED 3

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* The pkgvet engine: $PKGVET_ENGINE, else `pkgvet` next to this shim's
 * real file (the install puts them side by side; the shims directory holds
 * only links to this file). */
static int engine_path(char *out, size_t n)
{
	const char *e = getenv("PKGVET_ENGINE");
	if (e && *e) {
		snprintf(out, n, "%s", e);
		return 0;
	}
	char self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
	if (len <= 0)
		return -1;
	self[len] = 0;
	char *slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = 0;
	int w = snprintf(out, n, "%s/pkgvet", self);
	return w > 0 && (size_t)w < n && access(out, X_OK) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	bool npx = strcmp(base_name(argv[0]), "npx") == 0;
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
	char engine[PATH_MAX];
	if (engine_path(engine, sizeof engine) < 0) {
		fprintf(stderr, "pkgvet-npm: cannot find the pkgvet program next to this shim "
		                "(set PKGVET_ENGINE to its path)\n");
		return EXIT_UNVETTED;
	}
	/* pkgvet npm|npx ARGS... */
	char **v = calloc((size_t)argc + 2, sizeof *v);
	if (!v) {
		fprintf(stderr, "pkgvet-npm: out of memory\n");
		return EXIT_UNVETTED;
	}
	v[0] = engine;
	v[1] = npx ? "npx" : "npm";
	for (int i = 1; i < argc; i++)
		v[i + 1] = argv[i];
	execv(engine, v);
	fprintf(stderr, "pkgvet-npm: cannot run %s\n", engine);
	free(v);
	return EXIT_UNVETTED;
}
