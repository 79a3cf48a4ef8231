/* meta_services.c - download counts and email DNS for the metadata attributes. */
#include "meta_services.h"
#include "dns_check.h"
#include "downloads.h"
#include "osv.h"
#include "vulns.h"

#include <stdio.h>

void pv_meta_services_prepare(const struct pv_meta_services *s, const char *ecosystem,
                              const char *name, struct pv_cache *cache,
                              const struct pv_http_opts *http, struct pv_meta_input *in,
                              char *why, size_t whylen)
{
	in->weekly_downloads = -1;
	snprintf(why, whylen, "download counts are not fetched");
	if (s && s->downloads_url && *s->downloads_url)
		in->weekly_downloads = pv_downloads_weekly(s->downloads_url, ecosystem, name, cache, http,
		                                           why, whylen);
	if (s && s->dns) {
		in->resolve = pv_dns_resolve_cb;
		in->resolve_ud = s->dns;
	}
}

int pv_meta_services_unknowns(struct pv_package *pkg, const struct pv_meta_status *ms,
                              const struct pv_meta_services *s, const char *why)
{
	char note[400];
	if (ms->downloads_unknown) {
		snprintf(note, sizeof note, "few-downloads not evaluated: %s", why && *why ? why : "no count");
		if (pv_package_add_unknown(pkg, note) < 0)
			return -1;
	}
	if (ms->dns_unknown &&
	    pv_package_add_unknown(pkg, s && s->dns ? "bad-email: an email domain could not be checked in DNS "
	                                              "(no usable answer from the resolver)"
	                                            : "bad-email: email domains not checked in DNS "
	                                              "(dns_server = off)") < 0)
		return -1;
	return 0;
}

int pv_meta_services_osv(const struct pv_meta_services *s, struct pv_osv_query *q,
                         struct pv_cache *cache, const struct pv_http_opts *http, char *err,
                         size_t errlen)
{
	struct pv_vulns_opts vo = {
		.querybatch_url = s ? s->osv_url : NULL,
		.offline_dir = s ? s->osv_offline : NULL,
		.cache = cache,
		.http = http,
	};
	err[0] = 0;
	return pv_vulns_query(q, 1, &vo, err, errlen);
}

int pv_meta_services_osv_apply(struct pv_package *pkg, const struct pv_osv_query *q, int rc,
                               const char *err)
{
	char note[400];
	if (rc == -2)
		return pv_package_fail(pkg, err && *err ? err : "the OSV export zip cannot be read");
	if (q->status != PV_OSV_OK) {
		snprintf(note, sizeof note, "OSV unreachable (%s)", q->err[0] ? q->err : "no answer");
		return pv_package_add_unknown(pkg, note);
	}
	return pv_osv_add_findings(q, &pkg->findings) < 0 ? -1 : 0;
}
