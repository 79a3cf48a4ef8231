/* meta_services.h - the inputs of the metadata attributes that come from
 * services other than the registry: weekly download counts (few-downloads)
 * and DNS for email domains (bad-email); and the "unknown" notes when they
 * could not be had. Shared by the npm and PyPI clients. */
#ifndef PV_META_SERVICES_H
#define PV_META_SERVICES_H

#include <stddef.h>

#include "metadata.h"
#include "package.h"

struct pv_cache;
struct pv_dns;
struct pv_http_opts;

struct pv_meta_services {
	const char *downloads_url; /* template with {name}; NULL/"": not fetched (unknown) */
	struct pv_dns *dns;        /* email-domain resolver; NULL: not checked (unknown) */
	const char *osv_url;       /* OSV querybatch URL; NULL: OSV's own */
	const char *osv_offline;   /* directory of OSV export zips; NULL/"off": online */
};

struct pv_osv_query;

/* Fill in->weekly_downloads (-1 with the reason in why when unknown) and
 * in->resolve / resolve_ud. s may be NULL (nothing fetched). */
void pv_meta_services_prepare(const struct pv_meta_services *s, const char *ecosystem,
                              const char *name, struct pv_cache *cache,
                              const struct pv_http_opts *http, struct pv_meta_input *in,
                              char *why, size_t whylen);

/* After pv_meta_npm / pv_meta_pypi: a note in pkg->unknowns for each
 * attribute that could not be decided. 0 or -1 (ENOMEM). */
int pv_meta_services_unknowns(struct pv_package *pkg, const struct pv_meta_status *ms,
                              const struct pv_meta_services *s, const char *why);

/* Ask OSV (online with the cache's TTL, or the offline zips) about one
 * package version; q is filled (free with pv_osv_query_free). Returns what
 * pv_vulns_query returns; err gets its one line for -2 (a broken offline
 * zip). */
int pv_meta_services_osv(const struct pv_meta_services *s, struct pv_osv_query *q,
                         struct pv_cache *cache, const struct pv_http_opts *http, char *err,
                         size_t errlen);

/* Add what the OSV answer q (rc and err from pv_meta_services_osv) says to
 * pkg: known-malware / known-vuln findings, a note when OSV could not be
 * asked, or, when the configured offline data is broken, the package is
 * not vetted (status error: the person chose offline data that cannot be
 * read). 0 or -1 (ENOMEM). */
int pv_meta_services_osv_apply(struct pv_package *pkg, const struct pv_osv_query *q, int rc,
                               const char *err);

#endif
