/* shim_guard.h - the shims' last lines of defence against running
 * themselves: a marker that identifies a shim program even when it was
 * copied (not linked) under another name, and a depth counter in the
 * environment that stops any loop the PATH search did not see. libc only. */
#ifndef PV_SHIM_GUARD_H
#define PV_SHIM_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include "tool_lock.h"

/* The variable the front doors count in, and the most nested shim runs
 * allowed (an npm script that runs npm that runs a script... is legitimate,
 * a few levels deep; a loop is not). */
#define PV_SHIM_DEPTH_ENV "PKGVET_SHIM_DEPTH"
#define PV_SHIM_DEPTH_MAX 24

/* Does the file at path carry the shim marker? Only ELF files of at most a
 * few MiB are read (scripts such as the real npm and pip cost one short
 * read; a bigger program is not a front door). */
bool pv_file_has_shim_marker(const char *path);

/* Count this shim run: -1 with one line in err when PV_SHIM_DEPTH_ENV is
 * already at PV_SHIM_DEPTH_MAX (tool names the real tool, for the advice),
 * else 0 with the variable raised by one for what this process runs next. */
int pv_shim_depth_enter(const char *tool, char *err, size_t errlen);

/* What a front door does first, before it runs anything: apply the org's
 * lock on PKGVET_REAL_* (tool_lock.h), then count this run. prog names the
 * front door in messages ("pkgvet-npm"), tool the real tool ("npx").
 * 0, or -1 after printing one line: the front door must stop. */
int pv_shim_enter(const char *prog, enum pv_tool_family fam, const char *tool);

#endif
