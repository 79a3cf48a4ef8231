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
};

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

#endif
