/* pkgtree.h - read a package (tarball, zip/wheel, or directory) into memory,
 * with limits a hostile package cannot get past. Nothing is ever extracted
 * to disk and no link is ever followed: every regular file's bytes are
 * handed to the caller from memory. */
#ifndef PV_PKGTREE_H
#define PV_PKGTREE_H

#include <stddef.h>
#include <stdint.h>
#include "finding.h"

struct pv_limits {
	uint64_t max_total;    /* total uncompressed bytes of regular files */
	uint64_t max_entry;    /* bytes of one entry */
	uint32_t max_ratio;    /* uncompressed / compressed, judged once total > ratio_floor */
	uint64_t ratio_floor;  /* bytes below which ratio is not judged */
	uint32_t max_entries;  /* entries of any type */
	uint32_t max_depth;    /* path components */
	uint32_t max_path;     /* bytes of one path */
};

/* Defaults: 256 MiB total, 64 MiB per entry, ratio 100 above 8 MiB,
 * 20000 entries, depth 40, path 1024 bytes. */
void pv_limits_default(struct pv_limits *l);

/* One regular file of the package. path is normalised: no leading "./" or
 * "/", no "." components, '/' separators; it is valid to print after
 * escaping. data is NUL-terminated (data[len] == 0) for convenience. */
struct pv_entry {
	char *path;
	char *data;
	size_t len;
	uint32_t mode; /* permission bits as stored (0755 etc.) */
};

struct pv_tree {
	struct pv_entry *v;
	size_t n, cap;
	uint64_t total;       /* sum of len */
	uint64_t compressed;  /* size of the archive file (0 for directories) */
	char format[32];      /* "tar.gz", "zip", "directory", ... */
};

enum pv_read_status {
	PV_READ_OK = 0,
	PV_READ_HOSTILE,   /* a limit or safety rule was broken: findings were added
	                      (attribute "malformed-archive"); tree holds what was read */
	PV_READ_ERROR,     /* could not read: err explains (not an archive, truncated, I/O) */
	PV_READ_NOENT      /* path does not exist or cannot be opened: err explains */
};

/* Read `path` (a regular file holding an archive, or a directory) into
 * tree. Limit violations become "malformed-archive" findings in `out`
 * naming what was wrong (e.g. "entry ../../x escapes the package root"),
 * and reading stops at the first fatal violation. Symlinks and hardlinks
 * are never followed: those pointing outside the package (absolute or
 * escaping with ..) are malformed-archive findings, the others are skipped.
 * Encrypted zip entries are malformed-archive. err gets a one-line message
 * for PV_READ_ERROR / PV_READ_NOENT. */
enum pv_read_status pv_tree_read(const char *path, const struct pv_limits *lim,
                                 struct pv_tree *tree, struct pv_findings *out,
                                 char *err, size_t errlen);

/* The same, from a buffer already in memory (a downloaded artifact). */
enum pv_read_status pv_tree_read_mem(const void *buf, size_t len, const char *name,
                                     const struct pv_limits *lim, struct pv_tree *tree,
                                     struct pv_findings *out, char *err, size_t errlen);

void pv_tree_free(struct pv_tree *tree);

#endif
