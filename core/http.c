/* http.c - parallel GET batches over the libcurl multi interface (see http.h). */
#include "http.h"

#include <curl/curl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define PV_HTTP_MAX_REDIRS 5L
#define PV_HTTP_MAX_PARALLEL 256
#define PV_HTTP_MAX_RETRIES 10
#define PV_HTTP_POLL_MS 1000L
#define PV_HTTP_CANCEL_POLL_MS 100L /* how soon a cancellation is noticed */

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static CURLcode g_init_rc = CURLE_FAILED_INIT;

/* One share for the whole process: open connections, TLS sessions and DNS
 * answers are reused by every batch and thread. Vetting a lockfile asks one
 * registry for a hundred documents; without this, each request would make a
 * new TLS connection and load the CA bundle again (most of the CPU time of a
 * cold audit). */
static CURLSH *g_share;
static pthread_mutex_t g_share_mu[CURL_LOCK_DATA_LAST];

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access acc, void *ud)
{
	(void)h;
	(void)acc;
	(void)ud;
	if ((unsigned)data < CURL_LOCK_DATA_LAST)
		pthread_mutex_lock(&g_share_mu[data]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *ud)
{
	(void)h;
	(void)ud;
	if ((unsigned)data < CURL_LOCK_DATA_LAST)
		pthread_mutex_unlock(&g_share_mu[data]);
}

static void global_init(void)
{
	g_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
	if (g_init_rc != CURLE_OK)
		return;
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		if (pthread_mutex_init(&g_share_mu[i], NULL) != 0)
			return; /* no share: every transfer still works, only slower */
	CURLSH *sh = curl_share_init();
	if (!sh)
		return;
	if (curl_share_setopt(sh, CURLSHOPT_LOCKFUNC, share_lock) != CURLSHE_OK ||
	    curl_share_setopt(sh, CURLSHOPT_UNLOCKFUNC, share_unlock) != CURLSHE_OK ||
	    curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) != CURLSHE_OK ||
	    curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) != CURLSHE_OK ||
	    curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) != CURLSHE_OK) {
		curl_share_cleanup(sh);
		return;
	}
	g_share = sh;
}

void pv_http_share(void *curl_easy)
{
	if (pthread_once(&g_once, global_init) == 0 && g_share)
		curl_easy_setopt((CURL *)curl_easy, CURLOPT_SHARE, g_share);
}

struct pv_http_opts pv_http_opts_default(void)
{
	struct pv_http_opts o = {
		.connect_timeout_ms = 5000,
		.total_timeout_ms = 30000,
		.deadline_ms = 0,
		.retries = 2,
		.backoff_ms = 250,
		.max_backoff_ms = 4000,
		.retry_after_max_ms = 10000,
		.max_body = (size_t)64 << 20,
		.max_parallel = 16,
		.ca_file = NULL,
		.user_agent = NULL,
	};
	return o;
}

const char *pv_http_result_name(enum pv_http_result r)
{
	switch (r) {
	case PV_HTTP_PENDING: return "pending";
	case PV_HTTP_OK: return "ok";
	case PV_HTTP_NOT_MODIFIED: return "not-modified";
	case PV_HTTP_HTTP_ERROR: return "http-error";
	case PV_HTTP_TIMEOUT: return "timeout";
	case PV_HTTP_UNREACHABLE: return "unreachable";
	case PV_HTTP_CONN_ERROR: return "connection-error";
	case PV_HTTP_TOO_LARGE: return "too-large";
	case PV_HTTP_TLS_ERROR: return "tls-error";
	case PV_HTTP_OTHER: return "other";
	}
	return "other";
}

void pv_http_req_free(struct pv_http_req *req)
{
	if (!req)
		return;
	free(req->body);
	free(req->etag_out);
	req->body = NULL;
	req->etag_out = NULL;
	req->len = 0;
}

/* ---- per-transfer state ---------------------------------------------------- */

enum xstate { X_WAITING, X_ACTIVE, X_DONE };

struct xfer {
	struct pv_http_req *req;
	CURL *easy;
	struct curl_slist *hdrs;
	enum xstate state;
	long long start_at;       /* monotonic ms: earliest start of the next attempt */
	int is_https;
	int timeout_by_deadline;  /* this attempt's timeout was cut to the batch deadline */
	size_t limit;
	char *buf;
	size_t len, cap;
	int too_large, oom;
	char etag[256];
	long retry_after_ms;      /* -1: none in the last response */
	char errbuf[CURL_ERROR_SIZE];
};

struct batch {
	const struct pv_http_opts *o;
	CURLM *multi;
	const char *ca_file, *ca_dir, *ua;
	long long deadline;       /* monotonic ms; 0 = none */
	uint64_t rng;
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

static uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static void set_err(struct pv_http_req *r, const char *msg)
{
	snprintf(r->err, sizeof r->err, "%s", msg);
}

static int has_crlf(const char *s)
{
	return s && strpbrk(s, "\r\n") != NULL;
}

/* "Name: value" header lines: value of header `name` in line p[0..n), trimmed. */
static int header_value(const char *p, size_t n, const char *name, const char **v, size_t *vl)
{
	size_t nl = strlen(name);
	if (n <= nl || strncasecmp(p, name, nl) != 0 || p[nl] != ':')
		return 0;
	size_t i = nl + 1;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	size_t e = n;
	while (e > i && (p[e - 1] == '\r' || p[e - 1] == '\n' || p[e - 1] == ' ' || p[e - 1] == '\t'))
		e--;
	*v = p + i;
	*vl = e - i;
	return 1;
}

static size_t on_header(char *p, size_t size, size_t nitems, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nitems;
	const char *v;
	size_t vl;

	if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		/* A new response (redirects, 1xx): forget the previous one's headers. */
		x->etag[0] = '\0';
		x->retry_after_ms = -1;
	} else if (header_value(p, n, "etag", &v, &vl)) {
		x->etag[0] = '\0';
		if (vl > 0 && vl < sizeof x->etag) {
			for (size_t i = 0; i < vl; i++)
				if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
					return n; /* control characters: not an ETag we keep */
			memcpy(x->etag, v, vl);
			x->etag[vl] = '\0';
		}
	} else if (header_value(p, n, "retry-after", &v, &vl)) {
		/* Delta-seconds only; an HTTP-date falls back to our own backoff. */
		long secs = 0;
		size_t i;
		for (i = 0; i < vl && i < 9 && v[i] >= '0' && v[i] <= '9'; i++)
			secs = secs * 10 + (v[i] - '0');
		x->retry_after_ms = (vl > 0 && i == vl) ? secs * 1000 : (vl > 9 ? LONG_MAX : -1);
	}
	return n;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb;

	if (n > x->limit - x->len) { /* invariant: len <= limit < SIZE_MAX */
		x->too_large = 1;
		return 0; /* aborts the transfer (CURLE_WRITE_ERROR) */
	}
	if (x->len + n + 1 > x->cap) {
		size_t cap = x->cap ? x->cap : 16384;
		while (cap < x->len + n + 1) {
			if (cap > SIZE_MAX / 2) {
				x->oom = 1;
				return 0;
			}
			cap *= 2;
		}
		char *nb = realloc(x->buf, cap);
		if (!nb) {
			x->oom = 1;
			return 0;
		}
		x->buf = nb;
		x->cap = cap;
	}
	memcpy(x->buf + x->len, p, n);
	x->len += n;
	return n;
}

static int add_header(struct curl_slist **list, const char *name, const char *value)
{
	size_t len = strlen(name) + strlen(value) + 3;
	char *line = malloc(len);
	if (!line)
		return -1;
	snprintf(line, len, "%s: %s", name, value);
	struct curl_slist *nl = curl_slist_append(*list, line);
	free(line);
	if (!nl)
		return -1;
	*list = nl;
	return 0;
}

static void release_easy(struct batch *b, struct xfer *x)
{
	if (x->easy) {
		if (x->state == X_ACTIVE)
			curl_multi_remove_handle(b->multi, x->easy);
		curl_easy_cleanup(x->easy);
		x->easy = NULL;
	}
	curl_slist_free_all(x->hdrs);
	x->hdrs = NULL;
}

/* Final state of a request: outputs filled, resources released. */
static void finish(struct batch *b, struct xfer *x, enum pv_http_result r)
{
	struct pv_http_req *q = x->req;

	release_easy(b, x);
	x->state = X_DONE;
	q->result = r;
	if (r == PV_HTTP_OK || r == PV_HTTP_HTTP_ERROR) {
		if (!x->buf) {
			x->buf = malloc(1);
			if (!x->buf) {
				q->result = PV_HTTP_OTHER;
				set_err(q, "out of memory");
				return;
			}
		}
		x->buf[x->len] = '\0';
		q->body = x->buf;
		q->len = x->len;
		x->buf = NULL;
	} else {
		free(x->buf);
		x->buf = NULL;
	}
	x->len = x->cap = 0;
	const char *et = x->etag[0] ? x->etag : (r == PV_HTTP_NOT_MODIFIED ? q->etag : NULL);
	if (et && (r == PV_HTTP_OK || r == PV_HTTP_NOT_MODIFIED)) {
		q->etag_out = strdup(et);
		if (!q->etag_out) {
			free(q->body);
			q->body = NULL;
			q->len = 0;
			q->result = PV_HTTP_OTHER;
			set_err(q, "out of memory");
		}
	}
}

#define SETOPT(opt, val)                                                       \
	do {                                                                       \
		CURLcode c_ = curl_easy_setopt(e, opt, val);                           \
		if (c_ != CURLE_OK) {                                                  \
			snprintf(q->err, sizeof q->err, "curl option %s: %s", #opt,        \
			         curl_easy_strerror(c_));                                  \
			return -1;                                                         \
		}                                                                      \
	} while (0)

/* Configure x->easy for one attempt. -1 with q->err set on failure. */
static int configure(struct batch *b, struct xfer *x, long conn_ms, long total_ms)
{
	struct pv_http_req *q = x->req;
	CURL *e = x->easy;

	SETOPT(CURLOPT_URL, q->url);
	SETOPT(CURLOPT_PRIVATE, (void *)x);
	SETOPT(CURLOPT_NOSIGNAL, 1L);
	SETOPT(CURLOPT_HTTPGET, 1L);
	SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
	/* Redirects: never from https down to http. */
	SETOPT(CURLOPT_REDIR_PROTOCOLS_STR, x->is_https ? "https" : "http,https");
	SETOPT(CURLOPT_FOLLOWLOCATION, 1L);
	SETOPT(CURLOPT_MAXREDIRS, PV_HTTP_MAX_REDIRS);
	SETOPT(CURLOPT_CONNECTTIMEOUT_MS, conn_ms);
	SETOPT(CURLOPT_TIMEOUT_MS, total_ms);
	SETOPT(CURLOPT_ACCEPT_ENCODING, ""); /* every encoding this libcurl decodes */
	SETOPT(CURLOPT_USERAGENT, b->ua);
	SETOPT(CURLOPT_ERRORBUFFER, x->errbuf);
	SETOPT(CURLOPT_WRITEFUNCTION, on_body);
	SETOPT(CURLOPT_WRITEDATA, (void *)x);
	SETOPT(CURLOPT_HEADERFUNCTION, on_header);
	SETOPT(CURLOPT_HEADERDATA, (void *)x);
	SETOPT(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
	curl_off_t maxfs = x->limit > (size_t)INT64_MAX ? (curl_off_t)INT64_MAX : (curl_off_t)x->limit;
	SETOPT(CURLOPT_MAXFILESIZE_LARGE, maxfs);
	SETOPT(CURLOPT_SSL_VERIFYPEER, 1L);
	SETOPT(CURLOPT_SSL_VERIFYHOST, 2L);
	if (g_share)
		SETOPT(CURLOPT_SHARE, g_share);
	if (b->ca_file)
		SETOPT(CURLOPT_CAINFO, b->ca_file);
	if (b->ca_dir)
		SETOPT(CURLOPT_CAPATH, b->ca_dir);
	/* No CURLOPT_PROXY / CURLOPT_NOPROXY: libcurl reads the proxy environment. */
	if (x->hdrs)
		SETOPT(CURLOPT_HTTPHEADER, x->hdrs);
	return 0;
}

/* Start an attempt. On failure the request is finished (OTHER / TIMEOUT) and -1 returned. */
static int start(struct batch *b, struct xfer *x, long long now)
{
	const struct pv_http_opts *o = b->o;
	struct pv_http_req *q = x->req;
	long conn = o->connect_timeout_ms, total = o->total_timeout_ms;

	x->timeout_by_deadline = 0;
	if (b->deadline) {
		long long left = b->deadline - now;
		if (left < 1) {
			set_err(q, "batch deadline reached before the request could start");
			finish(b, x, PV_HTTP_TIMEOUT);
			return -1;
		}
		if (left < total) {
			total = (long)left;
			x->timeout_by_deadline = 1;
		}
		if (conn > total)
			conn = total;
	}

	x->len = 0;
	x->too_large = x->oom = 0;
	x->etag[0] = '\0';
	x->retry_after_ms = -1;
	x->errbuf[0] = '\0';

	if (!x->hdrs) {
		if ((q->etag && add_header(&x->hdrs, "If-None-Match", q->etag) != 0) ||
		    (q->accept && add_header(&x->hdrs, "Accept", q->accept) != 0)) {
			set_err(q, "out of memory");
			finish(b, x, PV_HTTP_OTHER);
			return -1;
		}
		if (q->auth_header) {
			struct curl_slist *nl = curl_slist_append(x->hdrs, q->auth_header);
			if (!nl) {
				set_err(q, "out of memory");
				finish(b, x, PV_HTTP_OTHER);
				return -1;
			}
			x->hdrs = nl;
		}
	}
	x->easy = curl_easy_init();
	if (!x->easy) {
		set_err(q, "curl_easy_init failed");
		finish(b, x, PV_HTTP_OTHER);
		return -1;
	}
	if (configure(b, x, conn, total) != 0) {
		finish(b, x, PV_HTTP_OTHER);
		return -1;
	}
	CURLMcode mc = curl_multi_add_handle(b->multi, x->easy);
	if (mc != CURLM_OK) {
		snprintf(q->err, sizeof q->err, "curl_multi_add_handle: %s", curl_multi_strerror(mc));
		finish(b, x, PV_HTTP_OTHER);
		return -1;
	}
	x->state = X_ACTIVE;
	q->attempts++;
	return 0;
}

static long backoff_delay(struct batch *b, int attempt)
{
	const struct pv_http_opts *o = b->o;
	long d = o->backoff_ms;
	for (int i = 1; i < attempt && d < o->max_backoff_ms; i++)
		d *= 2;
	if (d > o->max_backoff_ms)
		d = o->max_backoff_ms;
	if (d <= 1)
		return d;
	/* Jitter: half fixed, half random, so parallel clients spread out. */
	return d / 2 + (long)(rng_next(&b->rng) % (uint64_t)(d / 2 + 1));
}

static int is_tls_error(CURLcode cc)
{
	switch (cc) {
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_CLIENTCERT:
	case CURLE_USE_SSL_FAILED:
		return 1;
	default:
		return 0;
	}
}

/* A transfer attempt ended: retry it later, or finish the request. */
static void attempt_done(struct batch *b, struct xfer *x, CURLcode cc, long long now)
{
	struct pv_http_req *q = x->req;
	const struct pv_http_opts *o = b->o;
	long status = 0, redirects = 0;
	enum pv_http_result r;
	int retryable = 0;
	char why[sizeof q->err];

	if (curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK)
		status = 0;
	if (curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_COUNT, &redirects) != CURLE_OK)
		redirects = 0;
	q->status = status;
	why[0] = '\0';

	if (cc == CURLE_OK) {
		if (status >= 200 && status < 300) {
			r = PV_HTTP_OK;
		} else if (status == 304) {
			r = PV_HTTP_NOT_MODIFIED;
		} else {
			r = PV_HTTP_HTTP_ERROR;
			retryable = status == 429 || status == 502 || status == 503 || status == 504;
			snprintf(why, sizeof why, "HTTP status %ld", status);
		}
	} else if (x->too_large || cc == CURLE_FILESIZE_EXCEEDED) {
		r = PV_HTTP_TOO_LARGE;
		snprintf(why, sizeof why, "response larger than the limit of %zu bytes", x->limit);
	} else if (x->oom || cc == CURLE_OUT_OF_MEMORY) {
		r = PV_HTTP_OTHER;
		snprintf(why, sizeof why, "out of memory");
	} else {
		const char *detail = x->errbuf[0] ? x->errbuf : curl_easy_strerror(cc);
		switch (cc) {
		case CURLE_OPERATION_TIMEDOUT:
			r = PV_HTTP_TIMEOUT;
			retryable = !x->timeout_by_deadline;
			break;
		case CURLE_COULDNT_RESOLVE_HOST:
		case CURLE_COULDNT_RESOLVE_PROXY:
		case CURLE_COULDNT_CONNECT:
			r = PV_HTTP_UNREACHABLE;
			break;
		case CURLE_RECV_ERROR:
		case CURLE_SEND_ERROR:
		case CURLE_GOT_NOTHING:
		case CURLE_PARTIAL_FILE:
		case CURLE_HTTP2:
		case CURLE_HTTP2_STREAM:
			r = PV_HTTP_CONN_ERROR;
			retryable = 1;
			break;
		default:
			r = is_tls_error(cc) ? PV_HTTP_TLS_ERROR : PV_HTTP_OTHER;
			break;
		}
		if (cc == CURLE_UNSUPPORTED_PROTOCOL && redirects > 0)
			snprintf(why, sizeof why, "redirect to a refused scheme%s: %.180s",
			         x->is_https ? " (https never goes to http)" : "", detail);
		else if (cc == CURLE_OPERATION_TIMEDOUT && x->timeout_by_deadline)
			snprintf(why, sizeof why, "batch deadline reached: %.180s", detail);
		else
			snprintf(why, sizeof why, "%.200s", detail);
	}

	release_easy(b, x);
	x->state = X_WAITING;

	if (retryable && q->attempts <= o->retries) {
		long delay = backoff_delay(b, q->attempts);
		int go = 1;
		if (x->retry_after_ms >= 0 && (status == 429 || status == 503)) {
			if (x->retry_after_ms > o->retry_after_max_ms) {
				go = 0;
				snprintf(why, sizeof why, "HTTP status %ld, Retry-After beyond %ld ms", status,
				         o->retry_after_max_ms);
			} else if (x->retry_after_ms > delay) {
				delay = x->retry_after_ms;
			}
		}
		if (go && (!b->deadline || now + delay < b->deadline)) {
			x->start_at = now + delay;
			return;
		}
	}
	if (r != PV_HTTP_OK && r != PV_HTTP_NOT_MODIFIED) {
		if (q->attempts > 1)
			snprintf(q->err, sizeof q->err, "%.200s (after %d attempts)", why, q->attempts);
		else
			snprintf(q->err, sizeof q->err, "%s", why);
	}
	finish(b, x, r);
}

static const char *first_env(const char *const *names)
{
	for (; *names; names++) {
		const char *v = getenv(*names);
		if (v && *v)
			return v;
	}
	return NULL;
}

static void fail_all(struct pv_http_req *reqs, size_t n, const char *msg)
{
	for (size_t i = 0; i < n; i++) {
		reqs[i].result = PV_HTTP_OTHER;
		set_err(&reqs[i], msg);
	}
}

static struct pv_http_opts sanitize(const struct pv_http_opts *in)
{
	struct pv_http_opts d = pv_http_opts_default(), o = in ? *in : d;
	if (o.connect_timeout_ms <= 0)
		o.connect_timeout_ms = d.connect_timeout_ms;
	if (o.total_timeout_ms <= 0)
		o.total_timeout_ms = d.total_timeout_ms;
	if (o.connect_timeout_ms > o.total_timeout_ms)
		o.connect_timeout_ms = o.total_timeout_ms;
	if (o.deadline_ms < 0)
		o.deadline_ms = 0;
	if (o.retries < 0)
		o.retries = 0;
	if (o.retries > PV_HTTP_MAX_RETRIES)
		o.retries = PV_HTTP_MAX_RETRIES;
	if (o.backoff_ms < 0)
		o.backoff_ms = 0;
	if (o.max_backoff_ms < o.backoff_ms)
		o.max_backoff_ms = o.backoff_ms;
	if (o.retry_after_max_ms < 0)
		o.retry_after_max_ms = 0;
	if (o.max_body == 0)
		o.max_body = d.max_body;
	if (o.max_parallel < 1)
		o.max_parallel = 1;
	if (o.max_parallel > PV_HTTP_MAX_PARALLEL)
		o.max_parallel = PV_HTTP_MAX_PARALLEL;
	return o;
}

int pv_http_fetch_all(struct pv_http_req *reqs, size_t n, const struct pv_http_opts *opts)
{
	static const char *const ca_env[] = {"PKGVET_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE", NULL};
	static const char *const ca_dir_env[] = {"SSL_CERT_DIR", NULL};

	if (n == 0)
		return 0;
	if (!reqs)
		return -1;
	for (size_t i = 0; i < n; i++) {
		pv_http_req_free(&reqs[i]);
		reqs[i].result = PV_HTTP_PENDING;
		reqs[i].status = 0;
		reqs[i].attempts = 0;
		reqs[i].err[0] = '\0';
	}
	if (pthread_once(&g_once, global_init) != 0 || g_init_rc != CURLE_OK) {
		fail_all(reqs, n, "libcurl initialisation failed");
		return -1;
	}

	struct pv_http_opts o = sanitize(opts);
	struct batch b = {.o = &o};
	b.ca_file = (o.ca_file && *o.ca_file) ? o.ca_file : first_env(ca_env);
	b.ca_dir = first_env(ca_dir_env);
	b.ua = (o.user_agent && *o.user_agent) ? o.user_agent : "pkgvet";
	long long t0 = now_ms();
	b.deadline = o.deadline_ms ? t0 + o.deadline_ms : 0;
	b.rng = (uint64_t)t0 * 0x9E3779B97F4A7C15ull ^ (uint64_t)getpid() ^ (uint64_t)(uintptr_t)reqs;
	if (!b.rng)
		b.rng = 1;

	struct xfer *xs = calloc(n, sizeof *xs);
	if (!xs) {
		fail_all(reqs, n, "out of memory");
		return -1;
	}
	b.multi = curl_multi_init();
	if (!b.multi) {
		free(xs);
		fail_all(reqs, n, "curl_multi_init failed");
		return -1;
	}
	CURLMcode mc = curl_multi_setopt(b.multi, CURLMOPT_MAXCONNECTS, (long)o.max_parallel);
	if (mc != CURLM_OK) {
		curl_multi_cleanup(b.multi);
		free(xs);
		fail_all(reqs, n, "curl_multi_setopt failed");
		return -1;
	}

	size_t remaining = 0;
	for (size_t i = 0; i < n; i++) {
		struct xfer *x = &xs[i];
		struct pv_http_req *q = &reqs[i];
		x->req = q;
		x->state = X_WAITING;
		x->start_at = t0;
		x->retry_after_ms = -1;
		x->limit = q->max_body ? q->max_body : o.max_body;
		if (x->limit >= SIZE_MAX)
			x->limit = SIZE_MAX - 1;
		if (!q->url || !*q->url) {
			set_err(q, "no URL");
			finish(&b, x, PV_HTTP_OTHER);
		} else if (has_crlf(q->url) || has_crlf(q->etag) || has_crlf(q->auth_header) ||
		           has_crlf(q->accept)) {
			set_err(q, "CR or LF in the URL or a header value");
			finish(&b, x, PV_HTTP_OTHER);
		} else {
			x->is_https = strncasecmp(q->url, "https://", 8) == 0;
			remaining++;
		}
	}

	int active = 0;
	const char *fatal = NULL;
	int cancelled = 0;
	while (remaining > 0) {
		long long now = now_ms();
		for (size_t i = 0; i < n && active < o.max_parallel; i++) {
			struct xfer *x = &xs[i];
			if (x->state != X_WAITING || x->start_at > now)
				continue;
			if (start(&b, x, now) == 0)
				active++;
			else
				remaining--;
		}
		if (remaining == 0)
			break;

		if (active > 0) {
			int running = 0;
			mc = curl_multi_perform(b.multi, &running);
			if (mc != CURLM_OK) {
				fatal = curl_multi_strerror(mc);
				break;
			}
			CURLMsg *msg;
			int left;
			while ((msg = curl_multi_info_read(b.multi, &left)) != NULL) {
				if (msg->msg != CURLMSG_DONE)
					continue;
				CURL *e = msg->easy_handle;
				CURLcode cc = msg->data.result;
				char *priv = NULL;
				if (curl_easy_getinfo(e, CURLINFO_PRIVATE, &priv) != CURLE_OK || !priv)
					continue; /* cannot happen: every handle carries its xfer */
				struct xfer *x = (struct xfer *)(void *)priv;
				active--;
				attempt_done(&b, x, cc, now_ms());
				if (x->state == X_DONE)
					remaining--;
			}
		}
		if (remaining == 0)
			break;
		if (o.cancel && atomic_load(o.cancel)) {
			cancelled = 1;
			break;
		}

		/* Wait for network activity, or until the next scheduled retry. */
		now = now_ms();
		long wait = o.cancel ? PV_HTTP_CANCEL_POLL_MS : PV_HTTP_POLL_MS;
		if (active < o.max_parallel) {
			for (size_t i = 0; i < n; i++) {
				if (xs[i].state != X_WAITING)
					continue;
				long long d = xs[i].start_at - now;
				if (d < wait)
					wait = d < 0 ? 0 : (long)d;
			}
		}
		if (active > 0) {
			mc = curl_multi_poll(b.multi, NULL, 0, (int)wait, NULL);
			if (mc != CURLM_OK) {
				fatal = curl_multi_strerror(mc);
				break;
			}
		} else if (wait > 0) {
			sleep_ms(wait);
		}
	}

	for (size_t i = 0; i < n; i++) {
		struct xfer *x = &xs[i];
		if (x->state != X_DONE) {
			snprintf(x->req->err, sizeof x->req->err, "%s%s", cancelled ? "cancelled" : "curl multi failure: ",
			         cancelled ? "" : fatal ? fatal : "?");
			finish(&b, x, cancelled ? PV_HTTP_TIMEOUT : PV_HTTP_OTHER);
		}
	}
	curl_multi_cleanup(b.multi);
	free(xs);
	return fatal ? -1 : 0;
}

enum pv_http_result pv_http_fetch(struct pv_http_req *req, const struct pv_http_opts *o)
{
	if (!req)
		return PV_HTTP_OTHER;
	pv_http_fetch_all(req, 1, o);
	return req->result;
}
