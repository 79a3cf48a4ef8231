/* tree_internal.h - private to archive.c and dirwalk.c: the bookkeeping
 * both readers share (limits, path rules, findings, adding entries), so
 * an archive and a directory are judged by exactly the same rules.
 * Not part of core's interface: nothing else includes this. */
#ifndef PV_TREE_INTERNAL_H
#define PV_TREE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkgtree.h"


/* State of one read. */
struct pv_reader {
	struct pv_limits lim;     /* copy, sanitised (no value that overflows) */
	struct pv_tree *tree;
	struct pv_findings *out;
	char *err;
	size_t errlen;
	uint32_t entries;         /* entries met so far, of any type */
	uint64_t bytes;           /* file bytes read so far (kept or not) */
	bool hostile;             /* a malformed-archive finding was added */
	bool oom;                 /* an allocation failed */
	bool archive_names;       /* '\' and "C:" are separators/drives in names */
	size_t *set;              /* open-addressing set of tree indices + 1 */
	size_t setcap;
};

/* Outcome of a check: go on with this entry, skip it (a finding may have
 * been added), or stop reading (a fatal finding was added, or OOM). */
enum pv_step { PV_STEP_OK = 0, PV_STEP_SKIP, PV_STEP_STOP };

/* What an entry is, as far as the path rules care. */
enum pv_kind { PV_KIND_FILE, PV_KIND_DIR, PV_KIND_LINK, PV_KIND_OTHER };

/* Starts a read: clears tree, copies the limits (defaults when lim is NULL). */
void pv_reader_init(struct pv_reader *r, const struct pv_limits *lim, struct pv_tree *tree,
                    struct pv_findings *out, char *err, size_t errlen);
void pv_reader_fini(struct pv_reader *r);

/* Adds a "malformed-archive" finding (printf-style detail) and marks the
 * read hostile. file may be NULL. */
void pv_reader_finding(struct pv_reader *r, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sets the one-line error message (control bytes are replaced). */
void pv_reader_fail(struct pv_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* One entry met: counts it against max_entries, checks the raw name's
 * length, absolute paths, ".." escapes and depth, and on PV_STEP_OK sets
 * *norm to the normalised path (malloc'd, caller frees). */
enum pv_step pv_reader_begin(struct pv_reader *r, const char *raw, enum pv_kind kind, char **norm);

/* A link entry at normalised path norm: a finding when target is absolute
 * or escapes the root (symlinks resolve from the link's directory, hard
 * links from the root). The link itself is never followed. */
void pv_reader_link(struct pv_reader *r, const char *norm, const char *target, bool hard);

/* n more bytes were read for the entry norm, which now holds entry_len:
 * checks the per-entry and total limits. */
enum pv_step pv_reader_account(struct pv_reader *r, const char *norm, uint64_t entry_len, size_t n);

/* Adds a regular file; takes ownership of path and data (data holds len
 * bytes plus a NUL). A path already present is replaced (an installer
 * keeps the last copy) and reported. Returns -1 on OOM (both freed). */
int pv_reader_add(struct pv_reader *r, char *path, char *data, size_t len, uint32_t mode);

/* A growable data buffer that never grows past cap_max bytes. */
struct pv_buf {
	char *p;
	size_t len, cap;
};
/* Ensures room for at least one more byte (beyond the NUL slot) without
 * exceeding max+2 bytes of capacity (max+1 data bytes: enough to see a
 * limit crossed). hint is a size to start with (untrusted: clamped).
 * Returns the room, 0 when the buffer is full, or -1 on OOM. */
long long pv_buf_room(struct pv_buf *b, uint64_t max, uint64_t hint);

/* "64 MiB", "1.5 GiB", "812 bytes". */
void pv_human_size(uint64_t n, char *buf, size_t len);

/* Reads the directory open at fd (ownership taken) into r->tree. */
enum pv_read_status pv_dir_read(int fd, struct pv_reader *r);

#endif
