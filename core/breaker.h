/* breaker.h - remember, for the rest of the run, a service that did not
 * answer.
 *
 * An audit of a 70-package lockfile asks the same OSV or download-count
 * service 70 times; when that service is down (unreachable, timing out,
 * failing TLS), every one of those questions would wait for the same
 * timeout. A caller that sees such a failure trips the breaker for the
 * service (its URL or URL template); later questions to it are "unknown" at
 * once, with the first failure as the reason. Only failures of the service
 * as a whole trip it (see pv_breaker_trips): a 404 for one package does not.
 * Process-wide, thread-safe. */
#ifndef PV_BREAKER_H
#define PV_BREAKER_H

#include <stdbool.h>
#include <stddef.h>

#include "http.h"

/* Is the service known to be down? Then why gets
 * "<first failure> (not asked again in this run)". */
bool pv_breaker_is_open(const char *service, char *why, size_t whylen);

/* Record that service failed with reason (one line). */
void pv_breaker_trip(const char *service, const char *reason);

/* Does this HTTP result mean the whole service is down (unreachable,
 * timeout, TLS failure, 5xx other than 500 after the retries)? */
bool pv_breaker_trips(enum pv_http_result r, long status);

#endif
