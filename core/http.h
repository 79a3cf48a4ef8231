/* http.h - the HTTP layer: batches of GET requests run in parallel (libcurl multi).
 *
 * Every request in a batch ends with a result, never a crash and never a hang:
 * each attempt has a connect and a total timeout, retries are bounded, and an
 * optional deadline bounds the whole batch. A caller treats anything but
 * PV_HTTP_OK / PV_HTTP_NOT_MODIFIED as "unknown" for the checks that needed it.
 *
 * Behaviour of every transfer:
 *  - Only http and https, also for redirects; at most 5 redirects, and a
 *    redirect from https never goes to plain http.
 *  - Retries (with exponential backoff and jitter) on 429, 502, 503, 504 and
 *    on connection failures mid-transfer (reset, empty reply, truncated body)
 *    and timeouts. Never on other 4xx, 500/501, refused connections, DNS
 *    failures, TLS failures or oversized bodies. A Retry-After in seconds is
 *    honoured when it is at most opts.retry_after_max_ms; a longer one ends
 *    the request at once (HTTP_ERROR, status 429/503).
 *  - The body is limited: a Content-Length above the limit is rejected before
 *    the body is read, and a body (after decompression) that grows past the
 *    limit is aborted as soon as it does.
 *  - gzip/deflate (and whatever else this libcurl decodes) is requested and
 *    decoded transparently.
 *  - Proxies come from the environment, read by libcurl itself: http_proxy
 *    (lower case only, for http:// URLs), HTTPS_PROXY/https_proxy,
 *    ALL_PROXY/all_proxy, NO_PROXY/no_proxy. Nothing here overrides them.
 *  - CA bundle: opts.ca_file, else the first non-empty of $PKGVET_CA_BUNDLE,
 *    $SSL_CERT_FILE, $CURL_CA_BUNDLE, else libcurl's built-in default;
 *    $SSL_CERT_DIR, when set, is used as a CA directory. Peer and host
 *    verification are always on.
 *  - The custom Authorization header is not sent to another host after a
 *    redirect (libcurl's rule for custom auth headers).
 *
 * Thread safety: pv_http_fetch_all may be called from several threads at once,
 * each with its own batch; libcurl's global init happens once (pthread_once).
 */
#ifndef PV_HTTP_H
#define PV_HTTP_H

#include <stdatomic.h>
#include <stddef.h>

enum pv_http_result {
	PV_HTTP_PENDING = 0,   /* not run (yet): only seen before pv_http_fetch_all */
	PV_HTTP_OK,            /* 2xx; body holds the response */
	PV_HTTP_NOT_MODIFIED,  /* 304 after If-None-Match: the caller's copy is current */
	PV_HTTP_HTTP_ERROR,    /* any other final status; see status */
	PV_HTTP_TIMEOUT,       /* connect or total timeout, or the batch deadline */
	PV_HTTP_UNREACHABLE,   /* connection refused, no route, DNS failure */
	PV_HTTP_CONN_ERROR,    /* reached, then reset / empty reply / truncated body */
	PV_HTTP_TOO_LARGE,     /* body or Content-Length above the limit */
	PV_HTTP_TLS_ERROR,     /* handshake or certificate verification failed */
	PV_HTTP_OTHER,         /* refused URL or protocol, too many redirects, out of memory, ... */
};

struct pv_http_opts {
	long connect_timeout_ms;  /* per attempt, includes DNS (default 5000) */
	long total_timeout_ms;    /* per attempt, whole transfer (default 30000) */
	long deadline_ms;         /* whole batch; 0 = none (default 0) */
	int retries;              /* extra attempts after the first (default 2) */
	long backoff_ms;          /* first retry delay; doubles each time (default 250) */
	long max_backoff_ms;      /* cap of the computed delay (default 4000) */
	long retry_after_max_ms;  /* longest Retry-After honoured (default 10000) */
	size_t max_body;          /* bytes, after decoding (default 64 MiB) */
	int max_parallel;         /* transfers in flight at once (default 16) */
	const char *ca_file;      /* PEM bundle; NULL = environment / default */
	const char *user_agent;   /* NULL = "pkgvet" */
	const atomic_int *cancel; /* when it becomes non-zero (set from another thread), every
	                             unfinished request ends at once (TIMEOUT, "cancelled");
	                             NULL = never */
};

struct pv_http_req {
	/* Inputs. Header values must not contain CR or LF (request refused). */
	const char *url;
	const char *etag;         /* sent as If-None-Match; NULL = none */
	const char *auth_header;  /* whole header line, e.g. "Authorization: Bearer ..."; NULL = none */
	const char *accept;       /* Accept header value; NULL = libcurl default (any type) */
	size_t max_body;          /* 0 = opts->max_body */

	/* Outputs (release with pv_http_req_free). */
	enum pv_http_result result;
	long status;              /* last HTTP status seen; 0 if none */
	char *body;               /* NUL-terminated (also for binary data: use len); */
	size_t len;               /*   non-NULL for OK and HTTP_ERROR, else NULL */
	char *etag_out;           /* ETag of the response (for NOT_MODIFIED: the current one); or NULL */
	int attempts;             /* attempts started */
	char err[256];            /* "" for OK / NOT_MODIFIED, else a one-line reason */
};

/* The defaults listed above. */
struct pv_http_opts pv_http_opts_default(void);

/* Run all n requests, at most o->max_parallel at a time (o NULL = defaults).
 * Requests must start zero-initialised apart from their inputs (designated
 * initialisers do that); outputs of a request that is run again are freed
 * and reset first. Returns 0 when the batch ran
 * (each request then has its own result), -1 when it could not run at all
 * (libcurl init failed, out of memory); then every request has a result
 * other than OK and an err. */
int pv_http_fetch_all(struct pv_http_req *reqs, size_t n, const struct pv_http_opts *o);

/* Convenience for one request. Returns its result. */
enum pv_http_result pv_http_fetch(struct pv_http_req *req, const struct pv_http_opts *o);

/* Let a libcurl easy handle made outside this layer (OSV's POST) reuse
 * the process-wide connections, TLS sessions and DNS answers. */
void pv_http_share(void *curl_easy);

/* Free the outputs of a request (body, etag_out); inputs are the caller's. */
void pv_http_req_free(struct pv_http_req *req);

/* "ok", "not-modified", "http-error", "timeout", "unreachable", ... */
const char *pv_http_result_name(enum pv_http_result r);

#endif
