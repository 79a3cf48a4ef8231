/* cache.h - the on-disk cache (design.md §9): one SQLite database,
 * by default $XDG_CACHE_HOME/pkgvet/cache.sqlite3 (~/.cache/pkgvet/ when
 * XDG_CACHE_HOME is unset, empty or relative; directories created 0700).
 *
 * - Analysis results, keyed by (artifact digest, analyser version). An
 *   artifact with a given digest never changes, so these never expire; the
 *   analyser version is a string the caller chooses, so that a pkgvet whose
 *   analysers changed does not reuse old results.
 * - Metadata (registry documents, OSV answers, ...) under a caller-chosen
 *   key, with the time it was fetched and its ETag: a read reports whether
 *   the entry is still fresh for a given maximum age, and returns stale
 *   entries too, so that the caller can revalidate with the ETag.
 *
 * The database is in WAL mode with a busy timeout and every write is one
 * IMMEDIATE transaction, so several pkgvet processes can use one cache at
 * once. A struct pv_cache is one connection, shared safely by the threads
 * of one process (each call holds its lock; pv_cache_error is the last
 * error of any thread); never use it across fork() (open a new one in the
 * child).
 *
 * Errors never abort: each call returns a pv_cache_rc and leaves a one-line
 * message (naming the file, and for a corrupt database suggesting
 * `pkgvet cache clear`) in pv_cache_error(). */
#ifndef PV_CACHE_H
#define PV_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "finding.h"
#include "package.h"

#define PV_CACHE_SCHEMA 2                 /* PRAGMA user_version this code writes */
#define PV_CACHE_BLOB_MAX (64u << 20)     /* largest metadata body / analysis entry */
#define PV_CACHE_KEY_MAX 4096             /* longest metadata key, digest, analyser version */
#define PV_CACHE_ETAG_MAX 1024
#define PV_CACHE_FINDINGS_MAX 100000      /* findings per analysis entry */
#define PV_CACHE_BUSY_MS 5000             /* wait this long for another process's lock */

enum pv_cache_rc {
	PV_CACHE_OK = 0,
	PV_CACHE_MISS = 1,        /* no such entry */
	PV_CACHE_ERROR = -1,      /* I/O or other SQLite error */
	PV_CACHE_ECORRUPT = -2,   /* not a database, or a damaged one */
	PV_CACHE_EACCESS = -3,    /* directory or file not writable / not creatable */
	PV_CACHE_ENEWER = -4,     /* written by a newer pkgvet (unknown schema version) */
	PV_CACHE_ETOOBIG = -5,    /* over PV_CACHE_BLOB_MAX (or another bound) */
	PV_CACHE_EINVAL = -6,     /* bad argument (empty digest, NULL key, ...) */
	PV_CACHE_ENOMEM = -7,
	PV_CACHE_EBUSY = -8       /* still locked after PV_CACHE_BUSY_MS */
};

struct pv_cache;

/* The default database path. Returns a malloc'd string, or NULL when
 * neither XDG_CACHE_HOME (absolute) nor a home directory is known. */
char *pv_cache_default_path(void);

/* Open (creating directories, file and schema as needed) the cache at path,
 * or at pv_cache_default_path() when path is NULL. On success *out is set and
 * PV_CACHE_OK returned; otherwise *out is NULL and, when err is not NULL,
 * *err receives a malloc'd one-line message. A database with a newer schema
 * version is refused (ENEWER), never modified. */
int pv_cache_open(const char *path, struct pv_cache **out, char **err);
void pv_cache_close(struct pv_cache *c);

const char *pv_cache_path(const struct pv_cache *c);
/* The message of the last failing call on c ("" when none). */
const char *pv_cache_error(const struct pv_cache *c);

/* Remove the database file at path (or the default) with its -wal and -shm
 * companions, without opening it: what `pkgvet cache clear` falls back to
 * when pv_cache_open() says ECORRUPT or ENEWER. Returns PV_CACHE_OK (also
 * when nothing was there) or an error with *err set as for pv_cache_open(). */
int pv_cache_remove(const char *path, char **err);

/* Tests only: use this time (seconds since the epoch) as "now" instead of
 * the clock; 0 goes back to the clock. */
void pv_cache_set_now(struct pv_cache *c, int64_t now);

/* ---- Analysis results ---- */

/* One cached analysis. For pv_cache_put_analysis() the strings are borrowed
 * (any may be NULL); from pv_cache_get_analysis() they are owned and freed by
 * pv_cache_analysis_free(). Findings keep attr, file, line, excerpt (exact
 * bytes), detail, install_time and count; action and kind are the policy
 * step's and come back as PV_ALLOW / NULL. */
struct pv_cache_analysis {
	char *ecosystem;
	char *name;
	char *version;
	char *format;
	uint64_t files;
	uint64_t bytes;
	uint64_t analysed;
	struct pv_findings findings;
	int64_t created_at;   /* set by get; ignored by put */
};

/* Fill *out (which must be zeroed or freed) with the entry for
 * (digest, analyser_version). OK, MISS, or an error (out stays empty). */
int pv_cache_get_analysis(struct pv_cache *c, const char *digest, const char *analyser_version,
                          struct pv_cache_analysis *out);
/* Store (replacing) the entry. Refuses (EINVAL) an empty digest and a
 * findings list marked oom (it is incomplete), ETOOBIG beyond the bounds. */
int pv_cache_put_analysis(struct pv_cache *c, const char *digest, const char *analyser_version,
                          const struct pv_cache_analysis *in);
void pv_cache_analysis_free(struct pv_cache_analysis *a);

/* The same for a struct pv_package: put stores pkg keyed by pkg->digest
 * (only status PV_PKG_OK with a digest; else EINVAL); get fills ecosystem,
 * name, version, format, digest, findings, files, bytes, analysed and
 * status = PV_PKG_OK, freeing what those fields held before. */
int pv_cache_put_package(struct pv_cache *c, const char *analyser_version,
                         const struct pv_package *pkg);
int pv_cache_get_package(struct pv_cache *c, const char *digest, const char *analyser_version,
                         struct pv_package *pkg);

/* ---- Metadata with a TTL ---- */

/* Read the entry for key. On OK: *body is malloc'd, len bytes plus a
 * terminating NUL; *etag is malloc'd or NULL when none was stored; *fresh
 * says whether it was fetched (or touched) less than max_age_s seconds ago.
 * Stale entries are returned too. etag and fresh may be NULL. */
int pv_cache_get_meta(struct pv_cache *c, const char *key, int64_t max_age_s,
                      char **body, size_t *len, char **etag, bool *fresh);
/* Store (replacing) body and etag (may be NULL) for key, fetched now. */
int pv_cache_put_meta(struct pv_cache *c, const char *key, const void *body, size_t len,
                      const char *etag);
/* The entry was revalidated (HTTP 304): it counts as fetched now.
 * MISS when there is no such entry. */
int pv_cache_touch_meta(struct pv_cache *c, const char *key);

/* ---- Offline OSV index (core/vulns.c) ---- */

/* The records of one OSV export zip, indexed by name key, per ecosystem
 * ("npm", "PyPI"); ident names the zip they came from (the caller's string,
 * e.g. path, size and mtime), so that a changed zip is noticed. */

/* The ident of the zip whose index is stored for ecosystem: OK with *ident
 * malloc'd, MISS when there is none. */
int pv_cache_osv_ident(struct pv_cache *c, const char *ecosystem, char **ident);

/* What pv_cache_osv_index() copies: scan(ud, emit, ctx) calls
 * emit(ctx, record, len, keys, nkeys) once per record, keys being the name
 * keys it is found under, and returns 0, or non-zero when it failed (its
 * own failure, or emit's non-zero return, which it must pass on). Records
 * are streamed into the transaction, so the index never has to be in
 * memory whole. */
typedef int (*pv_cache_osv_emit_fn)(void *ctx, const char *rec, size_t len, char *const *keys,
                                    size_t nkeys);
struct pv_cache_osv_source {
	void *ud;
	int (*scan)(void *ud, pv_cache_osv_emit_fn emit, void *ctx);
};
/* Replace the index of ecosystem with src's, under ident, in one IMMEDIATE
 * transaction (readers see the old index or the whole new one; the write
 * lock is held while src is scanned). When the stored index already has
 * this ident (another process indexed the same zip meanwhile) src is not
 * scanned, nothing is written and *already (may be NULL) is set. When scan
 * fails nothing is written and ERROR is returned (the source knows why). */
int pv_cache_osv_index(struct pv_cache *c, const char *ecosystem, const char *ident,
                       const struct pv_cache_osv_source *src, bool *already);
/* Call fn(ud, record, len) for each record indexed under (ecosystem, key),
 * in one read transaction, provided the stored index is still ident's:
 * OK, MISS when it is not (or there is none), ENOMEM when fn returned
 * non-zero, or an error. fn runs under the connection's lock: it must not
 * call the cache. */
int pv_cache_osv_lookup(struct pv_cache *c, const char *ecosystem, const char *ident, const char *key,
                        int (*fn)(void *ud, const char *rec, size_t len), void *ud);

/* ---- Maintenance ---- */

struct pv_cache_stats {
	uint64_t analyses;      /* analysis entries */
	uint64_t findings;      /* findings rows across them */
	uint64_t meta;          /* metadata entries */
	uint64_t meta_bytes;    /* bytes of metadata bodies */
	uint64_t file_bytes;    /* size on disk: database plus its WAL */
};
int pv_cache_stats(struct pv_cache *c, struct pv_cache_stats *st);

/* CLEAR_ALL also drops the offline OSV index (rebuilt from its zip on the
 * next use); CLEAR_META leaves it. */
enum pv_cache_clear_what { PV_CACHE_CLEAR_ALL = 0, PV_CACHE_CLEAR_META };
int pv_cache_clear(struct pv_cache *c, enum pv_cache_clear_what what);

/* Remove analysis entries not used, and metadata not fetched or touched,
 * in the last older_than_s seconds. *removed (may be NULL) gets the count. */
int pv_cache_prune(struct pv_cache *c, int64_t older_than_s, uint64_t *removed);

#endif
