/* doctor_net.c - can every configured service be reached? One GET per
 * endpoint, all at once, each bounded by DOC_NET_TIMEOUT_MS, so doctor
 * finishes in a few seconds even when everything is down.
 *
 * The question is "does it answer", not "is this a good request": OSV's
 * querybatch wants a POST and a registry root may be 404 or 401 without a
 * package name or a token, so any HTTP status below 500 counts as
 * reachable; 5xx, DNS, refused, TLS and timeouts are broken. */
#include "doctor.h"
#include "http.h"
#include "npmrc.h"
#include "pipconf.h"
#include "policy.h"
#include "vetting.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DOC_NET_TIMEOUT_MS 5000
#define DOC_NET_MAX_BODY (64 * 1024) /* a bigger body (PyPI's /simple/ is tens of MB) is cut off */
#define DOC_NET_MAX 48
#define DOC_NET_MAX_SCOPES 8

struct endpoint {
	char *url;               /* owned; what is fetched */
	char shown[1024];        /* url as printed: a password in it replaced by *** */
	const char *ca_file;     /* borrowed from the npmrc, or NULL */
	struct doc_check *check;
	pthread_t thread;
	bool started;
};

struct doc_net {
	struct endpoint ep[DOC_NET_MAX];
	size_t n;
	struct pv_npmrc npmrc;
	bool npmrc_loaded;
};

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* url for the report: index URLs may carry credentials
 * (https://user:token@host/simple/), which must not end up in a terminal
 * or a CI log. Everything between "//" and the '@' of the authority
 * becomes "***". */
static void redact_url(const char *url, char *out, size_t n)
{
	const char *auth = strstr(url, "://");
	auth = auth ? auth + 3 : url;
	size_t alen = strcspn(auth, "/?#");
	const char *at = NULL; /* the last '@' of the authority ends the user information */
	for (size_t i = alen; i > 0 && !at; i--)
		if (auth[i - 1] == '@')
			at = auth + i - 1;
	int w = at ? snprintf(out, n, "%.*s***%s", (int)(auth - url), url, at)
	           : snprintf(out, n, "%s", url);
	if (w < 0 || (size_t)w >= n)
		snprintf(out, n, "(a URL too long to show)");
}

/* The reason in a person's words; libcurl's own message follows it. */
static const char *failure_kind(enum pv_http_result res, const char *err)
{
	switch (res) {
	case PV_HTTP_TIMEOUT:
		return "timeout";
	case PV_HTTP_UNREACHABLE:
		return strstr(err, "resolve") ? "DNS: name not resolved" : "unreachable: connection refused or no route";
	case PV_HTTP_TLS_ERROR:
		return "TLS handshake or certificate failed";
	case PV_HTTP_CONN_ERROR:
		return "connection dropped";
	case PV_HTTP_TOO_LARGE:
		return "oversized error response";
	default:
		return "failed";
	}
}

static void *probe(void *arg)
{
	struct endpoint *e = arg;
	struct pv_http_opts o = pv_http_opts_default();
	o.connect_timeout_ms = DOC_NET_TIMEOUT_MS;
	o.total_timeout_ms = DOC_NET_TIMEOUT_MS;
	o.deadline_ms = DOC_NET_TIMEOUT_MS;
	o.retries = 0;
	o.max_body = DOC_NET_MAX_BODY;
	o.max_parallel = 1;
	o.ca_file = e->ca_file;
	struct pv_http_req q = {.url = e->url};
	long t0 = now_ms();
	enum pv_http_result res = pv_http_fetch(&q, &o);
	long ms = now_ms() - t0;
	bool answered = res == PV_HTTP_OK || res == PV_HTTP_NOT_MODIFIED ||
	                (res == PV_HTTP_HTTP_ERROR && q.status < 500) ||
	                (res == PV_HTTP_TOO_LARGE && q.status >= 200 && q.status < 400);
	if (answered)
		doc_set(e->check, DOC_OK, "%s: reachable, HTTP %ld in %ld ms", e->shown, q.status, ms);
	else if (res == PV_HTTP_HTTP_ERROR)
		doc_set(e->check, DOC_FAIL, "%s: server error, HTTP %ld in %ld ms", e->shown, q.status, ms);
	else
		doc_set(e->check, DOC_FAIL, "%s: %s after %ld ms (%s)", e->shown, failure_kind(res, q.err), ms,
		        q.err[0] ? q.err : "no details");
	pv_http_req_free(&q);
	return NULL;
}

/* Queue url (a copy) under the label, unless the same URL is queued. */
static void add(struct doc_net *t, struct doc_report *r, const char *label, const char *url, const char *ca)
{
	if (!url || !*url)
		return;
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->ep[i].url, url) == 0)
			return;
	struct doc_check *c = doc_add(r, "endpoints", "%s", label);
	if (!c)
		return;
	if (t->n >= DOC_NET_MAX) {
		doc_set(c, DOC_FAIL, "not checked (more than %d endpoints)", DOC_NET_MAX);
		return;
	}
	struct endpoint *e = &t->ep[t->n];
	e->url = strdup(url);
	if (!e->url) {
		doc_set(c, DOC_FAIL, "out of memory");
		return;
	}
	redact_url(url, e->shown, sizeof e->shown);
	e->ca_file = ca;
	e->check = c;
	t->n++;
}

/* A downloads URL template with a package every registry has for {name}. */
static void add_template(struct doc_net *t, struct doc_report *r, const char *label, const char *tmpl,
                         const char *name)
{
	const char *at = strstr(tmpl, "{name}");
	char url[4096];
	int w = at ? snprintf(url, sizeof url, "%.*s%s%s", (int)(at - tmpl), tmpl, name, at + 6)
	           : snprintf(url, sizeof url, "%s", tmpl);
	if (w > 0 && (size_t)w < sizeof url)
		add(t, r, label, url, NULL);
}

static void add_npm(struct doc_net *t, struct doc_report *r, const struct pv_policy *pol)
{
	const char *ov = pv_policy_override(pol, PV_SET_NPM_REGISTRY, pol->npm_registry);
	char cwd[4096], err[512];
	t->npmrc_loaded = pv_npmrc_load(&t->npmrc, getcwd(cwd, sizeof cwd) ? cwd : NULL, NULL, err, sizeof err) == 0;
	if (!t->npmrc_loaded)
		doc_set(doc_add(r, "endpoints", "npm configuration"), DOC_FAIL, "%s", err);
	const char *ca = t->npmrc_loaded ? t->npmrc.cafile : NULL;
	if (ov)
		add(t, r, "npm registry (policy)", ov, ca);
	else if (t->npmrc_loaded)
		add(t, r, "npm registry (npm config)", t->npmrc.registry, ca);
	for (size_t i = 0; t->npmrc_loaded && i < t->npmrc.nscopes && i < DOC_NET_MAX_SCOPES; i++) {
		char label[DOC_NAME_MAX];
		snprintf(label, sizeof label, "npm registry for %.60s", t->npmrc.scopes[i].scope);
		add(t, r, label, t->npmrc.scopes[i].registry, ca);
	}
}

static void add_pypi(struct doc_net *t, struct doc_report *r, const struct pv_policy *pol)
{
	const char *ov = pv_policy_override(pol, PV_SET_PYPI_INDEX, pol->pypi_index);
	if (ov)
		add(t, r, "PyPI index (policy)", ov, NULL);
	struct pv_pipconf pc;
	char err[512];
	if (pv_pipconf_load(&pc, NULL, err, sizeof err) < 0) {
		doc_set(doc_add(r, "endpoints", "pip configuration"), DOC_FAIL, "%s", err);
		pv_pipconf_free(&pc);
		return;
	}
	add(t, r, "PyPI index (pip config)", pc.index_url, NULL);
	for (size_t i = 0; i < pc.nextra; i++)
		add(t, r, "PyPI extra index (pip config)", pc.extra[i], NULL);
	pv_pipconf_free(&pc);
}

/* osv_offline = DIR: OSV is answered from DIR's export zips and the API is
 * never asked, so the zips are what must be there (the names vulns.c
 * accepts: DIR/ECO/all.zip or DIR/ECO.zip). */
static void check_osv_offline(struct doc_report *r, const char *dir)
{
	static const char *const ecos[] = {"npm", "PyPI"};
	for (size_t i = 0; i < sizeof ecos / sizeof *ecos; i++) {
		struct doc_check *c = doc_add(r, "endpoints", "OSV offline (%s)", ecos[i]);
		char a[4096], b[4096];
		int wa = snprintf(a, sizeof a, "%s/%s/all.zip", dir, ecos[i]);
		int wb = snprintf(b, sizeof b, "%s/%s.zip", dir, ecos[i]);
		if (wa < 0 || (size_t)wa >= sizeof a || wb < 0 || (size_t)wb >= sizeof b) {
			doc_set(c, DOC_FAIL, "%s: path too long", dir);
			continue;
		}
		const char *found = access(a, R_OK) == 0 ? a : access(b, R_OK) == 0 ? b : NULL;
		if (found)
			doc_set(c, DOC_OK, "%s (the OSV API is not used)", found);
		else
			doc_set(c, DOC_FAIL, "neither %s nor %s can be read (osv_offline)", a, b);
	}
}

struct doc_net *doc_net_start(struct doc_report *r, const struct pv_policy *pol)
{
	struct doc_net *t = calloc(1, sizeof *t);
	if (!t) {
		doc_set(doc_add(r, "endpoints", "endpoints"), DOC_FAIL, "out of memory");
		return NULL;
	}
	add_npm(t, r, pol);
	add_pypi(t, r, pol);
	if (strcmp(pol->osv_offline, "off") != 0)
		check_osv_offline(r, pol->osv_offline);
	else
		add(t, r, "OSV", pol->osv_url, NULL);
	add_template(t, r, "npm downloads", pol->npm_downloads_url, "npm");
	add_template(t, r, "PyPI downloads", pol->pypi_downloads_url, "pip");
	for (size_t i = 0; i < t->n; i++) {
		struct endpoint *e = &t->ep[i];
		int rc = pthread_create(&e->thread, NULL, probe, e);
		if (rc != 0)
			doc_set(e->check, DOC_FAIL, "%s: cannot start a thread: %s", e->shown, strerror(rc));
		else
			e->started = true;
	}
	return t;
}

void doc_net_join(struct doc_net *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		if (t->ep[i].started)
			pthread_join(t->ep[i].thread, NULL);
		free(t->ep[i].url);
	}
	pv_npmrc_free(&t->npmrc); /* valid after any pv_npmrc_load, and when zeroed */
	free(t);
}
