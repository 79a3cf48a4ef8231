/* downloads.h - weekly download counts of a package, for the `few-downloads`
 * attribute (design.md §3): npm's downloads API and pypistats.org.
 *
 * A count nobody can tell us is "unknown" (-1), never 0: a registry mirror
 * without download statistics, an unreachable API or a malformed answer must
 * not make every package look unpopular. */
#ifndef PV_DOWNLOADS_H
#define PV_DOWNLOADS_H

#include <stddef.h>

struct pv_cache;
struct pv_http_opts;

#define PV_DOWNLOADS_NPM_URL "https://api.npmjs.org/downloads/point/last-week/{name}"
#define PV_DOWNLOADS_PYPI_URL "https://pypistats.org/api/packages/{name}/recent"
#define PV_DOWNLOADS_TTL_S (24 * 60 * 60)   /* how long a cached count is used */
#define PV_DOWNLOADS_BODY_MAX (64 * 1024)   /* longest answer accepted */

/* Weekly downloads of a package, from a URL template (policy settings
 * npm_downloads_url, default PV_DOWNLOADS_NPM_URL, and pypi_downloads_url,
 * default PV_DOWNLOADS_PYPI_URL). ecosystem "npm" or "pypi" (any case).
 * Every {name} in the template is replaced by the name percent-encoded
 * except for unreserved characters; for npm the leading '@' and the first '/'
 * of a scoped name are kept literally (the npm downloads API wants
 * /@scope/name); PyPI names are PEP 503-normalised first (an invalid project
 * name is unknown). npm answers {"downloads": N}; PyPI answers
 * {"data": {"last_week": N}}; N must be a JSON integer >= 0 (negatives,
 * floats, strings are malformed), the answer at most PV_DOWNLOADS_BODY_MAX.
 *
 * Returns N >= 0, or -1 = unknown with a one-line reason in why (may be NULL):
 * unreachable, timeout, HTTP status, malformed body, 404 "not found" (a
 * registry without download statistics is unknown, not zero), a template
 * without {name}, a bad argument. Results are cached in cache (may be NULL)
 * as metadata key "downloads:ECO:NAME" (ECO "npm" or "pypi", NAME as given
 * for npm, normalised for PyPI) for PV_DOWNLOADS_TTL_S; a fresh cached value
 * is used without a request; failures are not cached, and a stale value is
 * not used either. A service that is down (unreachable, timing out) is not
 * asked again in the same run (breaker.h). http NULL = pv_http_opts_default(). Thread-safe (no
 * shared state besides the thread-safe cache and HTTP layer). */
long long pv_downloads_weekly(const char *url_template, const char *ecosystem, const char *name,
                              struct pv_cache *cache, const struct pv_http_opts *http,
                              char *why, size_t whylen);

#endif
