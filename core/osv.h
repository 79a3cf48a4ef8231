/* osv.h - OSV vulnerability and malware records (https://ossf.github.io/osv-schema/):
 * matching a record against ecosystem/name/version, the online querybatch
 * API, and an offline index built from an OSV export zip (all.zip).
 *
 * Ecosystems: "npm" and "PyPI" (compared case-insensitively). npm names are
 * compared exactly; PyPI names PEP 503-normalised on both sides.
 *
 * Matching (pv_osv_match_record), per affected[] entry whose package is the
 * queried one:
 *  - versions[]: an explicit list; equal by the ecosystem's ordering
 *    (semver for npm, PEP 440 for PyPI: "1.0" == "1.0.0"), else by string.
 *  - ranges[] of type SEMVER (semver ordering, any ecosystem) and ECOSYSTEM
 *    (npm: semver; PyPI: PEP 440). GIT ranges are ignored. Events are sorted
 *    by version (introduced "0" first, equal versions keep their order) and
 *    walked as the OSV spec says: introduced <= v sets affected, fixed <= v
 *    clears it, last_affected < v clears it (last_affected is inclusive);
 *    when limit events exist, v must also be below one of them ("*" = no
 *    limit). Plain ordering is used: prereleases are ordinary versions here.
 *  - A version (queried or in an event) the comparator cannot parse makes
 *    that event (or that range, for the queried version) not match.
 *
 * Severity: database_specific.severity (GHSA: LOW, MODERATE/MEDIUM, HIGH,
 * CRITICAL), else the highest CVSS v3.x base score computed from a
 * severity[] vector of type CVSS_V3 (0.1-3.9 low, 4-6.9 medium, 7-8.9
 * high, 9-10 critical), else unknown (CVSS v4 vectors are not scored). */
#ifndef PV_OSV_H
#define PV_OSV_H

#include "http.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "finding.h"

#define PV_OSV_DEFAULT_QUERYBATCH_URL "https://api.osv.dev/v1/querybatch"
#define PV_OSV_RECORD_MAX (4u << 20)     /* bytes of one record (online and offline) */
#define PV_OSV_BATCH_RESPONSE_MAX (16u << 20) /* bytes of one querybatch response */
#define PV_OSV_MAX_PAGES 20              /* next_page_token rounds per querybatch call */
#define PV_OSV_MAX_IDS 4096              /* distinct ids fetched per querybatch call */
#define PV_OSV_ZIP_MAX_ENTRIES 2000000u  /* entries read from an export zip */
#define PV_OSV_ZIP_MAX_TOTAL (4ull << 30) /* bytes of JSON read from an export zip */

enum pv_osv_severity {
	PV_OSV_SEV_UNKNOWN = 0,
	PV_OSV_SEV_LOW,
	PV_OSV_SEV_MEDIUM,
	PV_OSV_SEV_HIGH,
	PV_OSV_SEV_CRITICAL,
};

/* "unknown", "low", "medium", "high", "critical" */
const char *pv_osv_severity_name(enum pv_osv_severity s);

/* One record that affects the queried version. All strings owned. */
struct pv_osv_match {
	char *id;
	char **aliases;      /* every alias of the record (CVE-..., GHSA-..., ...) */
	size_t naliases;
	char *summary;       /* "" when the record has none */
	enum pv_osv_severity severity;
	double cvss_score;   /* computed CVSS v3 base score, or -1 when none */
	char **fixed;        /* distinct "fixed" versions of the matching entries */
	size_t nfixed;
	bool malware;        /* id (or an alias) starts with "MAL-" */
};

struct pv_osv_matches {
	struct pv_osv_match *v;
	size_t n, cap;
};

void pv_osv_matches_free(struct pv_osv_matches *m);

/* Does the record (JSON text, len bytes) affect ecosystem/name/version?
 * Returns 1 and appends one match to out (out may be NULL), 0 when it does
 * not, -1 when the text is not a JSON object with a string "id" (or
 * allocation failed). Duplicated ids are not checked here. */
int pv_osv_match_record(const char *json, size_t len, const char *ecosystem,
                        const char *name, const char *version, struct pv_osv_matches *out);

/* CVSS v3.0/v3.1 base score of a vector ("CVSS:3.1/AV:N/AC:L/..."), or -1
 * when it is not a complete, valid v3 vector. */
double pv_osv_cvss3_score(const char *vector);

/* One package version to look up. */
enum pv_osv_status {
	PV_OSV_PENDING = 0,
	PV_OSV_OK,       /* matches holds every record affecting the version (maybe none) */
	PV_OSV_UNKNOWN,  /* the answer could not be had (network, bad response, ...): see err */
};

struct pv_osv_query {
	/* Inputs. */
	const char *ecosystem; /* "npm" or "PyPI" */
	const char *name;
	const char *version;
	/* Outputs (pv_osv_query_free). */
	enum pv_osv_status status;
	struct pv_osv_matches matches;
	char err[256];
};

void pv_osv_query_free(struct pv_osv_query *q);

/* Online: POST {"queries":[{"package":{"ecosystem","name"},"version"}...]}
 * to querybatch_url (NULL = PV_OSV_DEFAULT_QUERYBATCH_URL), following
 * next_page_token (at most PV_OSV_MAX_PAGES rounds), then GET every distinct
 * id from vulns_url + "/" + ID (vulns_url NULL = the querybatch URL with its
 * last path segment replaced by "vulns": .../v1/querybatch -> .../v1/vulns)
 * in parallel with pv_http_fetch_all, and match each record locally (so a
 * server returning too many candidates is harmless). o NULL = http defaults;
 * its timeouts, retries, CA file and user agent also apply to the POST.
 * Every query ends PV_OSV_OK or PV_OSV_UNKNOWN; never a hang beyond the
 * timeouts. Returns 0 when every query is OK, 1 when some are UNKNOWN,
 * -1 on bad arguments. */
int pv_osv_querybatch(const char *querybatch_url, const char *vulns_url,
                      struct pv_osv_query *q, size_t n, const struct pv_http_opts *o);

/* Offline: an in-memory index of the records of one ecosystem, from an OSV
 * export zip (one JSON record per entry, e.g. .../npm/all.zip), keyed by
 * (normalised) package name. Entries that are not .json files, are larger
 * than PV_OSV_RECORD_MAX, or are not records are skipped (counted). */
struct pv_osv_db;

struct pv_osv_db_stats {
	size_t entries;   /* zip entries seen */
	size_t records;   /* records indexed (affecting at least one package of the ecosystem) */
	size_t skipped;   /* entries skipped (not JSON, too large, malformed, other ecosystem) */
	size_t names;     /* distinct package names */
};

/* Returns 0 and sets *out, or -1 (err gets one line: unreadable / corrupt
 * zip, too many entries or bytes, out of memory). err may be NULL. */
int pv_osv_offline_load(const char *zip_path, const char *ecosystem, struct pv_osv_db **out,
                        char *err, size_t errlen);
void pv_osv_db_stats(const struct pv_osv_db *db, struct pv_osv_db_stats *st);
/* Answer the queries from the index (status OK; UNKNOWN only for a query of
 * another ecosystem than the index's, or on allocation failure). Returns 0
 * when every query is OK, else 1. */
int pv_osv_offline_query(const struct pv_osv_db *db, struct pv_osv_query *q, size_t n);
/* Stream the records of an export zip without keeping them: fn(ud, json,
 * len, keys, nkeys) once per record that affects a package of ecosystem
 * (json NUL-terminated, keys its distinct name keys; both valid during the
 * call only). Same entries skipped and same bounds as pv_osv_offline_load,
 * which is built on it; memory stays at one record. st (may be NULL) gets
 * entries, records and skipped (names stays 0). Returns 0; -1 with err (as
 * pv_osv_offline_load's) when the zip is unreadable, corrupt or over a
 * bound, or memory ran out; -2 when fn returned non-zero. */
typedef int (*pv_osv_scan_fn)(void *ud, const char *json, size_t len, char *const *keys, size_t nkeys);
int pv_osv_offline_scan(const char *zip_path, const char *ecosystem, pv_osv_scan_fn fn, void *ud,
                        struct pv_osv_db_stats *st, char *err, size_t errlen);
/* The name key the index uses for ecosystem/name (npm: as is; PyPI: PEP 503
 * normalised). 0, or -1 for another ecosystem or a name that does not fit. */
int pv_osv_name_key(const char *ecosystem, const char *name, char *out, size_t outlen);
void pv_osv_db_free(struct pv_osv_db *db);

/* The findings an OSV answer gives a package: `known-malware` for MAL-
 * records ("ID: summary"), `known-vuln` for the rest, its detail leading
 * with the severity ("high: GHSA-…; CVE-…; fixed in 1.2.4: summary") because
 * the catalogue's high_action keys on it. Returns 0, 1 when q has no answer
 * (status not OK: the caller reports it as unknown), -1 on allocation failure. */
int pv_osv_add_findings(const struct pv_osv_query *q, struct pv_findings *out);

#endif
