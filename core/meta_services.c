/* meta_services.c - download counts and email DNS for the metadata attributes. */
#include "meta_services.h"
#include "dns_check.h"
#include "downloads.h"

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
	                                              "(no answer in time)"
	                                            : "bad-email: email domains not checked in DNS "
	                                              "(dns_server = off)") < 0)
		return -1;
	return 0;
}
