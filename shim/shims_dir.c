/* shims_dir.c - the one rule for locating the shims directory. */
#include "shims_dir.h"
#include "real_tool.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* From the installed pkgvet's directory to the installed shims directory
 * (CMake works it out from the install's bindir and libdir). */
#ifndef PKGVET_BIN_TO_SHIMS
#define PKGVET_BIN_TO_SHIMS "../lib/pkgvet/shims"
#endif

static int fits(int w, size_t n)
{
	return w > 0 && (size_t)w < n ? 0 : -1;
}

int pv_shims_dir(char *out, size_t n)
{
	const char *env = getenv("PKGVET_SHIMS_DIR");
	if (env && *env)
		return fits(snprintf(out, n, "%s", env), n);
	char dir[PATH_MAX];
	if (pv_self_dir(dir, sizeof dir) < 0)
		return -1;
	/* The installed layout first: a build tree has no ../lib/pkgvet/shims. */
	char installed[PATH_MAX + 32];
	struct stat st;
	if (fits(snprintf(installed, sizeof installed, "%s/" PKGVET_BIN_TO_SHIMS, dir), sizeof installed) == 0 &&
	    stat(installed, &st) == 0 && S_ISDIR(st.st_mode)) {
		char real[PATH_MAX];
		/* Shown to people: /usr/lib/pkgvet/shims reads better than /usr/bin/../lib/... */
		const char *p = realpath(installed, real) ? real : installed;
		return fits(snprintf(out, n, "%s", p), n);
	}
	return fits(snprintf(out, n, "%s/shims", dir), n);
}
