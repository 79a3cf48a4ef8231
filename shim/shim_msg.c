/* shim_msg.c - shared wording of the shims. */
#include "shim_msg.h"
#include "escape.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void pv_shim_fail(const char *prog, const char *what, const char *why)
{
	fprintf(stderr, "%s: ", prog);
	if (what) {
		pv_fputs_term0(stderr, what);
		fputs(": ", stderr);
	}
	pv_fputs_term0(stderr, why);
	fputc('\n', stderr);
}

void pv_shim_warn(const char *line, void *ud)
{
	pv_shim_fail(ud ? (const char *)ud : "pkgvet", "warning", line);
}

bool pv_shim_env_yes(void)
{
	const char *y = getenv("PKGVET_YES");
	return y && (strcmp(y, "1") == 0 || strcmp(y, "yes") == 0 || strcmp(y, "true") == 0);
}

double pv_shim_clock(void)
{
	struct timespec t;
	if (clock_gettime(CLOCK_MONOTONIC, &t) != 0)
		return 0;
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void pv_shim_command_line(char *buf, size_t n, int argc, char **argv, const char *tool)
{
	size_t used = 0;
	buf[0] = 0;
	for (int i = 0; i < argc && used + 2 < n; i++) {
		int w = snprintf(buf + used, n - used, "%s%s", i ? " " : "", i ? argv[i] : tool);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
}
