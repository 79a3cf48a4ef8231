/* fsutil.h - the small file and environment chores the shims share:
 * reading a bounded regular file, replacing a file atomically, and the
 * environment a child package manager runs with. */
#ifndef PV_FSUTIL_H
#define PV_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Read the regular file at path (not following a final symlink when
 * nofollow) of at most max bytes into *buf (NUL-terminated) and *len;
 * *mode (may be NULL) gets its permission bits. Returns 0, 1 when it does
 * not exist, -1 with errno (EISDIR, EINVAL not a regular file, EFBIG over
 * max, ...), -2 out of memory. */
int pv_read_file(const char *path, size_t max, bool nofollow, char **buf, size_t *len, mode_t *mode);

/* Create path, which must not exist, with len bytes of buf (mode 0600).
 * Returns 0 or -1 with errno. */
int pv_write_new(const char *path, const char *buf, size_t len);

/* Replace path's content atomically: a temporary file in the same
 * directory, written, given mode, fsync'ed, renamed over path. 0 or -1. */
int pv_write_atomic(const char *path, const char *buf, size_t len, mode_t mode);

/* environ with extra ("K=V", NULL-terminated, may be NULL) added; an extra
 * entry replaces the variable of the same name, and variables for which
 * drop(entry, keylen) is true are left out (drop may be NULL). The array
 * is malloc'd (free it, not its strings); NULL on ENOMEM. */
char **pv_env_with(const char *const *extra, bool (*drop)(const char *kv, size_t keylen));

#endif
