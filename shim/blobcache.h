/* blobcache.h - artifact bytes kept by their SHA-256, for the next run.
 *
 * pip's own HTTP cache cannot help a resolution that goes through the gate
 * (every run has its own port and token, so every URL is new): without
 * this, a second `pip install` through pkgvet would download every file
 * again. Files are stored under DIR/ab/abcdef... (the hex digest), written
 * atomically, and checked against their name when read, so a damaged or
 * planted file is never served (it is removed). The directory is kept
 * under a size cap by removing the least recently used files. */
#ifndef PV_BLOBCACHE_H
#define PV_BLOBCACHE_H

#include <stddef.h>

#define PV_BLOB_CAP_DEFAULT ((unsigned long long)2 << 30) /* bytes in the directory */
#define PV_BLOB_MAX_FILE ((size_t)256 << 20)              /* larger files are not kept */

/* The bytes stored for sha256_hex (64 lower-case hex digits) in dir, at
 * most max bytes: 0 with a malloc'd *buf (NUL-terminated) and *len; -1 when
 * there is none, it is larger than max, or it does not hash to its name. */
int pv_blob_get(const char *dir, const char *sha256_hex, size_t max, char **buf, size_t *len);

/* Store len bytes whose digest the caller has checked is sha256_hex. Best
 * effort: 0 stored (or already there), -1 not (no space, no directory). */
int pv_blob_put(const char *dir, const char *sha256_hex, const char *buf, size_t len);

/* Remove least recently used files until the directory holds at most cap
 * bytes. Returns the bytes it holds afterwards. */
unsigned long long pv_blob_trim(const char *dir, unsigned long long cap);

#endif
