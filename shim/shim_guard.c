/* shim_guard.c - shim marker and depth counter (see shim_guard.h). */
#include "shim_guard.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The marker: kept in the program's data (used), searched for in candidate
 * files. Any program built with this file carries it, which is the point. */
__attribute__((used)) static const char shim_marker[] = "pkgvet-shim-marker:9f3c2a7e";

/* The front doors are ~100 KiB (more with sanitizers): a bigger file is not
 * one, and is not read (a python interpreter is tens of MiB). */
#define SCAN_LIMIT (4u << 20)
#define CHUNK 65536

bool pv_file_has_shim_marker(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)SCAN_LIMIT) {
		close(fd);
		return false;
	}
	size_t mlen = sizeof shim_marker - 1;
	/* Room for one chunk plus the tail of the previous one, so a marker
	 * split across two reads is still found. */
	char *buf = malloc(CHUNK + sizeof shim_marker);
	if (!buf) {
		close(fd);
		return false;
	}
	size_t keep = 0, total = 0;
	bool found = false, first = true;
	while (total < SCAN_LIMIT && !found) {
		ssize_t n = read(fd, buf + keep, CHUNK);
		if (n <= 0)
			break;
		if (first && (n < 4 || memcmp(buf, "\177ELF", 4) != 0))
			break;
		first = false;
		size_t have = keep + (size_t)n;
		found = memmem(buf, have, shim_marker, mlen) != NULL;
		keep = have < mlen - 1 ? have : mlen - 1;
		memmove(buf, buf + have - keep, keep);
		total += (size_t)n;
	}
	free(buf);
	close(fd);
	return found;
}

int pv_shim_depth_enter(const char *tool, char *err, size_t errlen)
{
	const char *v = getenv(PV_SHIM_DEPTH_ENV);
	long depth = 0;
	if (v && *v) {
		char *end;
		depth = strtol(v, &end, 10);
		if (*end || depth < 0)
			depth = 0; /* not ours: the shims only ever write a count */
	}
	if (depth >= PV_SHIM_DEPTH_MAX) {
		snprintf(err, errlen, "refusing to run: pkgvet's shims are already %ld levels deep (%s); "
		         "something on PATH or in PKGVET_REAL_* runs the shim again instead of the real %s",
		         depth, PV_SHIM_DEPTH_ENV, tool);
		return -1;
	}
	char num[24];
	snprintf(num, sizeof num, "%ld", depth + 1);
	if (setenv(PV_SHIM_DEPTH_ENV, num, 1) != 0) {
		snprintf(err, errlen, "cannot set %s: out of memory", PV_SHIM_DEPTH_ENV);
		return -1;
	}
	return 0;
}

int pv_shim_enter(const char *prog, enum pv_tool_family fam, const char *tool)
{
	char err[300];
	pv_tool_lock_apply(prog, fam);
	if (pv_shim_depth_enter(tool, err, sizeof err) < 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return -1;
	}
	return 0;
}
