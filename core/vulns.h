/* vulns.h - the OSV check's front end: answer vulnerability / malware
 * queries from the cache, an offline OSV export, or the online API.
 *
 * Online: an OK answer for (ecosystem, name, version) is cached as metadata
 * (key "osv:ECO:NAME@VERSION", or "osv[URL]:ECO:NAME@VERSION" for another
 * querybatch URL than OSV's own, so a test or mirror server's answers never
 * stand in for OSV's) holding a compact JSON of the matches. Fresh entries
 * are answered without network; the rest go to pv_osv_querybatch() in one
 * batch. UNKNOWN answers are never cached. A stale entry whose re-query
 * fails is NOT used: the query is UNKNOWN. A stale "nothing known" could hide
 * a MAL- record published since, and the policy treats unknown as "could
 * not check", which is the honest answer for a security tool.
 *
 * Offline: DIR/ECO/all.zip (else DIR/ECO.zip) per ecosystem asked. With a
 * cache, the zip is read once with libarchive and its records streamed into
 * the cache's offline index (one IMMEDIATE transaction, one record in memory
 * at a time); later runs and other processes answer from the index without
 * opening the zip, reading only the records of the names asked. A zip found
 * corrupt midway leaves the previous index as it was. If the cache cannot
 * take the index (still locked by another process after PV_CACHE_BUSY_MS,
 * read-only, full) the zip is loaded in memory instead, as without a cache.
 *
 * The zip's identity is its real path, device, inode, size and mtime (to
 * the nanosecond), not its sha256: hashing it would mean reading hundreds
 * of MB on every run, which is what the index is for. A zip replaced,
 * touched or rewritten gets a new identity and is re-indexed (the
 * ecosystem's old rows dropped); only a same-size rewrite in place with
 * the mtime deliberately put back goes unnoticed. Without a cache the zip's
 * records are loaded into memory once per process (bounded by
 * PV_OSV_ZIP_MAX_TOTAL). In both cases records are matched with
 * pv_osv_match_record(), the code the online path uses, and the matches of
 * every answer are sorted by id, so online and offline answers
 * to the same records are identical. No network at all in offline mode. */
#ifndef PV_VULNS_H
#define PV_VULNS_H

#include <stddef.h>
#include "cache.h"
#include "http.h"
#include "osv.h"

#define PV_VULNS_TTL_S (6LL * 3600) /* default reuse time of an online answer */

struct pv_vulns_opts {
	const char *querybatch_url;   /* NULL: OSV's own (PV_OSV_DEFAULT_QUERYBATCH_URL) */
	const char *offline_dir;      /* NULL or "off": online. Else a directory holding one OSV export
	                                 zip per ecosystem as OSV publishes them: DIR/npm/all.zip and
	                                 DIR/PyPI/all.zip (also accepted: DIR/npm.zip, DIR/PyPI.zip).
	                                 No network at all in offline mode. */
	struct pv_cache *cache;       /* may be NULL (then nothing is cached, offline zips are loaded in
	                                 memory once per process) */
	long long ttl_s;              /* online answers are reused for this long (0: PV_VULNS_TTL_S) */
	const struct pv_http_opts *http; /* NULL: pv_http_opts_default() */
};

/* Answer every query (each ends PV_OSV_OK or PV_OSV_UNKNOWN with err), from
 * the cache, the offline index or the online API. Thread-safe: several
 * threads may call it at once with the same opts. Returns 0 all OK, 1 some
 * UNKNOWN, -1 bad arguments (q NULL with n > 0, o NULL, negative ttl,
 * empty offline_dir), -2
 * the configured offline source is broken (missing / corrupt / unreadable
 * zip for an ecosystem that was asked): then err (may be NULL) gets one
 * line naming the file and what is wrong ("OSV export zip /x/npm/all.zip is
 * corrupt: ...") and the affected queries are UNKNOWN. */
int pv_vulns_query(struct pv_osv_query *q, size_t n, const struct pv_vulns_opts *o, char *err,
                   size_t errlen);

/* Free the in-memory offline indexes kept for cache-less offline queries.
 * Only when no pv_vulns_query() is running (e.g. at exit, or in tests). */
void pv_vulns_release(void);

#endif
