/* gate.c - the gate's logic: routing, the file table (gate IDs for
 * upstream URLs), project pages from every upstream, metadata forwarding,
 * artifact download + hash check + vetting, the verdict cache. The HTTP
 * server is gate_http.c; page reading and writing is gate_pages.c. */
#include "gate.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "blobcache.h"
#include "digest.h"
#include "fsutil.h"
#include "gate_findlinks.h"
#include "gate_http.h"
#include "gate_pages.h"
#include "pep440.h"
#include "workpool.h"

#define GATE_PAGE_MAX ((size_t)64 << 20)
#define GATE_META_MAX ((size_t)10 << 20)
#define GATE_TABLE_MAX 4000000u    /* files the gate remembers */
#define GATE_URL_MAX 4096
#define GATE_ACCEPT_JSON "application/vnd.pypi.simple.v1+json"
#define GATE_UPSTREAM_ACCEPT "application/vnd.pypi.simple.v1+json, text/html;q=0.1"

#define SETERR(...) ((void)(err && errlen ? snprintf(err, errlen, __VA_ARGS__) : 0))

/* One upstream file the gate has linked to: /TOKEN/files/ID/NAME, ID being
 * its index in the table. url is an absolute path for a local find-links
 * file. */
struct entry {
	char *url, *filename, *project;
	char sha256[65], meta_sha256[65]; /* "" when unknown */
};

/* A verdict for one sha256; state -2 while vet() runs. */
struct decision {
	struct decision *next;
	char sha[65];
	int state;
};

/* Every array handed out by pv_gate_shadowed, freed at stop. */
struct snapshot {
	struct snapshot *next;
	const char **names;
};

struct pv_gate {
	char **up;     /* upstream bases, each with a trailing '/' */
	size_t nup;
	struct pv_gate_fl *fl; /* find-links sources: upstreams nup.. */
	size_t nfl;
	size_t max_dir_entries;
	pv_gate_vet_fn vet;
	void *ud;
	struct pv_http_opts http;
	size_t max_artifact;
	char *blob_dir;           /* blobcache.h; NULL: none */
	atomic_int stopping;    /* set by pv_gate_stop: upstream fetches in flight end at once */

	char token[33];
	char url[80];
	struct pv_gate_srv *srv;

	pthread_mutex_t lock;     /* everything below */
	pthread_cond_t dcond;     /* a decision finished */

	struct entry *ents;
	size_t nents, capents;
	uint32_t *slots;          /* open addressing on url: entry index + 1, 0 = free */
	size_t nslots;

	struct decision *decisions;
	bool vetted_only;
	char (*vetted)[65];       /* sorted */
	size_t nvetted;

	char **shadowed;
	size_t nshadowed;
	struct snapshot *snaps;
};

/* ---------------- file table ---------------- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int slots_grow(struct pv_gate *g)
{
	size_t ns = g->nslots ? g->nslots * 2 : 1024;
	uint32_t *sl = calloc(ns, sizeof *sl);
	if (!sl)
		return -1;
	for (size_t i = 0; i < g->nents; i++) {
		size_t k = (size_t)hash_str(g->ents[i].url) & (ns - 1);
		while (sl[k])
			k = (k + 1) & (ns - 1);
		sl[k] = (uint32_t)i + 1;
	}
	free(g->slots);
	g->slots = sl;
	g->nslots = ns;
	return 0;
}

static void set_hex(char dst[65], const char *src)
{
	snprintf(dst, 65, "%s", src ? src : "");
}

/* The ID of f's URL, added or refreshed (the latest page's digests win,
 * as pip checks against the page it just read). Lock held. -1: ENOMEM or
 * table full. */
static long table_put(struct pv_gate *g, const struct pv_gate_file *f, const char *project)
{
	if ((g->nents + 1) * 2 > g->nslots && slots_grow(g) != 0)
		return -1;
	size_t k = (size_t)hash_str(f->url) & (g->nslots - 1);
	for (; g->slots[k]; k = (k + 1) & (g->nslots - 1)) {
		struct entry *e = &g->ents[g->slots[k] - 1];
		if (strcmp(e->url, f->url) == 0 && strcmp(e->filename, f->filename) == 0) {
			set_hex(e->sha256, f->sha256);
			set_hex(e->meta_sha256, f->meta_sha256);
			return (long)(g->slots[k] - 1);
		}
	}
	if (g->nents >= GATE_TABLE_MAX)
		return -1;
	if (g->nents == g->capents) {
		size_t nc = g->capents ? g->capents * 2 : 256;
		struct entry *ne = realloc(g->ents, nc * sizeof *ne);
		if (!ne)
			return -1;
		g->ents = ne;
		g->capents = nc;
	}
	struct entry *e = &g->ents[g->nents];
	memset(e, 0, sizeof *e);
	e->url = strdup(f->url);
	e->filename = strdup(f->filename);
	e->project = strdup(project);
	if (!e->url || !e->filename || !e->project) {
		free(e->url);
		free(e->filename);
		free(e->project);
		return -1;
	}
	set_hex(e->sha256, f->sha256);
	set_hex(e->meta_sha256, f->meta_sha256);
	g->slots[k] = (uint32_t)g->nents + 1;
	return (long)g->nents++;
}

/* A private copy of entry id (entries' digests may be refreshed by another
 * thread, so nothing is borrowed). 0, -1 unknown id, -2 ENOMEM. */
static int table_get(struct pv_gate *g, size_t id, struct entry *out)
{
	int rc = 0;
	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&g->lock);
	if (id >= g->nents) {
		rc = -1;
	} else {
		const struct entry *e = &g->ents[id];
		out->url = strdup(e->url);
		out->filename = strdup(e->filename);
		out->project = strdup(e->project);
		memcpy(out->sha256, e->sha256, 65);
		memcpy(out->meta_sha256, e->meta_sha256, 65);
		if (!out->url || !out->filename || !out->project)
			rc = -2;
	}
	pthread_mutex_unlock(&g->lock);
	return rc;
}

static void entry_free(struct entry *e)
{
	free(e->url);
	free(e->filename);
	free(e->project);
}

/* ---------------- dependency confusion ---------------- */

/* Record project as found on several upstreams. 0, or -1 on ENOMEM: the
 * page is then not served either, so a dependency-confusion finding is
 * never lost silently. */
static int note_shadowed(struct pv_gate *g, const char *project)
{
	int rc = 0;
	pthread_mutex_lock(&g->lock);
	bool seen = false;
	for (size_t i = 0; i < g->nshadowed && !seen; i++)
		seen = strcmp(g->shadowed[i], project) == 0;
	if (!seen) {
		char **ns = realloc(g->shadowed, (g->nshadowed + 1) * sizeof *ns);
		if (ns)
			g->shadowed = ns;
		if (ns && (ns[g->nshadowed] = strdup(project)) != NULL)
			g->nshadowed++;
		else
			rc = -1;
	}
	pthread_mutex_unlock(&g->lock);
	return rc;
}

/* ---------------- project pages ---------------- */

/* Upstream answers for project norm, one request per upstream. NULL on ENOMEM. */
static void pages_free(struct pv_http_req *rq, size_t n);

/* All upstreams in parallel (one batch), then the find-links pages (the
 * http(s) sources, in order). Each request's url is malloc'd and owned by
 * the array (the caller resolves relative links against it); release with
 * pages_free. *nreq: requests in the array. NULL on ENOMEM. */
static struct pv_http_req *fetch_pages(struct pv_gate *g, const char *norm, size_t *nreq)
{
	size_t n = g->nup;
	for (size_t j = 0; j < g->nfl; j++)
		n += g->fl[j].url != NULL;
	struct pv_http_req *rq = calloc(n ? n : 1, sizeof *rq);
	if (!rq)
		return NULL;
	for (size_t i = 0, j = 0; i < n; i++) {
		if (i >= g->nup) {
			while (!g->fl[j].url)
				j++;
			char *url = strdup(g->fl[j++].url);
			if (!url) {
				pages_free(rq, i);
				return NULL;
			}
			rq[i] = (struct pv_http_req){.url = url, .accept = "text/html", .max_body = GATE_PAGE_MAX};
			continue;
		}
		size_t ul = strlen(g->up[i]) + strlen(norm) + 2;
		char *url = malloc(ul);
		if (!url) {
			pages_free(rq, i);
			return NULL;
		}
		snprintf(url, ul, "%s%s/", g->up[i], norm);
		rq[i] = (struct pv_http_req){.url = url, .accept = GATE_UPSTREAM_ACCEPT, .max_body = GATE_PAGE_MAX};
	}
	if (n)
		pv_http_fetch_all(rq, n, &g->http); /* -1 leaves every request failed: handled by the caller */
	*nreq = n;
	return rq;
}

static void pages_free(struct pv_http_req *rq, size_t n)
{
	for (size_t i = 0; rq && i < n; i++) {
		free((char *)rq[i].url);
		pv_http_req_free(&rq[i]);
	}
	free(rq);
}

/* Links to the gate for every file of pg, registering them in the table.
 * hrefs (n strings) malloc'd; NULL on ENOMEM / table full. */
static char **make_hrefs(struct pv_gate *g, const struct pv_gate_page *pg, const char *project)
{
	char **h = calloc(pg->n ? pg->n : 1, sizeof *h);
	if (!h)
		return NULL;
	bool ok = true;
	for (size_t i = 0; ok && i < pg->n; i++) {
		pthread_mutex_lock(&g->lock);
		long id = table_put(g, &pg->files[i], project);
		pthread_mutex_unlock(&g->lock);
		char pre[96];
		snprintf(pre, sizeof pre, "/%s/files/%ld/", g->token, id);
		struct pv_gate_buf b = {0};
		pv_gate_buf_str(&b, pre);
		pv_gate_buf_pct(&b, pg->files[i].filename);
		ok = id >= 0 && !b.oom;
		if (ok)
			h[i] = b.p;
		else
			free(b.p);
	}
	if (!ok) {
		for (size_t i = 0; i < pg->n; i++)
			free(h[i]);
		free(h);
		return NULL;
	}
	return h;
}

/* Merge the upstream answers into pg. Returns 0 with *nlisting = the
 * upstreams that list at least one file of the project, or an HTTP status
 * with a reason in why. */
static int merge_pages(struct pv_http_req *rq, size_t n, struct pv_gate_page *pg, size_t *nlisting,
                       char *why, size_t whylen)
{
	size_t found = 0, missing = 0, listing = 0;
	snprintf(why, whylen, "no index answered");
	for (size_t i = 0; i < n; i++) {
		if (rq[i].result == PV_HTTP_OK) {
			int rc = pv_gate_page_parse(pg, (int)i, rq[i].url, rq[i].body, rq[i].len);
			if (rc == -1)
				return 503;
			if (rc >= 0)
				found++;
			if (rc > 0)
				listing++;
			else if (rc == -2)
				snprintf(why, whylen, "index %zu: not a simple-index page", i + 1);
		} else if (rq[i].result == PV_HTTP_HTTP_ERROR && (rq[i].status == 404 || rq[i].status == 410)) {
			missing++;
		} else {
			snprintf(why, whylen, "index %zu: %s (status %ld)", i + 1, pv_http_result_name(rq[i].result),
			         rq[i].status);
		}
	}
	*nlisting = listing;
	if (found)
		return 0;
	if (missing == n) {
		snprintf(why, whylen, "no such project on any index%s", n ? "" : " or find-links source");
		return 404;
	}
	return 502;
}

/* The find-links sources' files of project norm into pg; rq: the fetched
 * pages of the http(s) sources, in order. 0 with *nlisting += the sources
 * listing a file of it, or 503 (ENOMEM) / 502 (a source failed: its files
 * are unknown, so nothing is served rather than a page without them). */
static int merge_findlinks(struct pv_gate *g, const struct pv_http_req *rq, struct pv_gate_page *pg,
                           const char *norm, size_t *nlisting, char *why, size_t whylen)
{
	size_t k = 0;
	for (size_t j = 0; j < g->nfl; j++) {
		const struct pv_gate_fl *s = &g->fl[j];
		int src = (int)(g->nup + j), rc;
		char r[160] = "not an HTML page";
		if (s->url) {
			const struct pv_http_req *u = &rq[k++];
			if (u->result != PV_HTTP_OK)
				snprintf(r, sizeof r, "%s (status %ld)", pv_http_result_name(u->result), u->status);
			rc = u->result != PV_HTTP_OK ? -2 : pv_gate_fl_take_page(pg, src, u->url, u->body, u->len, norm);
		} else {
			rc = pv_gate_fl_list(pg, src, s, norm, g->max_dir_entries, g->max_artifact, r, sizeof r);
		}
		if (rc == -1)
			return 503;
		if (rc < 0) {
			snprintf(why, whylen, "find-links %zu: %s", j + 1, r);
			return 502;
		}
		*nlisting += rc > 0;
	}
	return 0;
}

/* Project norm's files from every upstream and find-links source, merged
 * into pg (zeroed first). 0 with *listing = the sources that list a file
 * of it, or an HTTP status with why. */
static int project_page(struct pv_gate *g, const char *norm, struct pv_gate_page *pg, size_t *listing,
                        char *why, size_t whylen)
{
	memset(pg, 0, sizeof *pg);
	*listing = 0;
	size_t nreq = 0, fl_listing = 0;
	struct pv_http_req *rq = fetch_pages(g, norm, &nreq);
	if (!rq) {
		snprintf(why, whylen, "out of memory");
		return 503;
	}
	/* find-links first: a file name both there and on an index is the
	 * local one (the person pointed at it); the project is shadowed. */
	int st = merge_findlinks(g, rq + g->nup, pg, norm, &fl_listing, why, whylen);
	if (st == 0) {
		st = merge_pages(rq, g->nup, pg, listing, why, whylen);
		if (st != 503 && fl_listing > 0)
			st = 0; /* the indexes do not have it (or failed): find-links do */
		*listing += fl_listing;
	}
	pages_free(rq, nreq);
	return st;
}

static void serve_project(struct pv_gate *g, struct pv_gate_conn *c, const struct pv_gate_req *r,
                          const char *name)
{
	char norm[256], why[160];
	if (pv_pep503_normalize(name, norm, sizeof norm) < 0) {
		pv_gate_respond_err(c, r, 404, "not a project name");
		return;
	}
	struct pv_gate_page pg;
	size_t listing = 0;
	int st = project_page(g, norm, &pg, &listing, why, sizeof why);
	if (st) {
		pv_gate_page_free(&pg);
		pv_gate_respond_err(c, r, st, "pkgvet gate: %s: %s", norm, st == 503 ? "out of memory" : why);
		return;
	}
	/* dependency confusion: the caller raises the finding */
	bool noted = listing < 2 || note_shadowed(g, norm) == 0;
	char **hrefs = noted ? make_hrefs(g, &pg, norm) : NULL;
	size_t len = 0;
	char *body = hrefs ? pv_gate_page_render(&pg, norm, (const char *const *)hrefs, r->json, &len) : NULL;
	if (body)
		pv_gate_respond(c, r, 200, r->json ? GATE_ACCEPT_JSON : "text/html; charset=utf-8", body, len);
	else
		pv_gate_respond_err(c, r, 503, "out of memory");
	for (size_t i = 0; hrefs && i < pg.n; i++)
		free(hrefs[i]);
	free(hrefs);
	free(body);
	pv_gate_page_free(&pg);
}

static void serve_root(struct pv_gate_conn *c, const struct pv_gate_req *r)
{
	static const char json[] = "{\"meta\":{\"api-version\":\"1.0\"},\"projects\":[]}";
	static const char html[] = "<!DOCTYPE html>\n<html><head><meta name=\"pypi:repository-version\" "
	                           "content=\"1.0\"><title>Simple index</title></head><body></body></html>\n";
	if (r->json)
		pv_gate_respond(c, r, 200, GATE_ACCEPT_JSON, json, sizeof json - 1);
	else
		pv_gate_respond(c, r, 200, "text/html; charset=utf-8", html, sizeof html - 1);
}

/* ---------------- decisions ---------------- */

static int hexcmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static bool in_vetted(const struct pv_gate *g, const char *sha)
{
	return g->nvetted && bsearch(sha, g->vetted, g->nvetted, sizeof g->vetted[0], hexcmp) != NULL;
}

static struct decision *find_decision(struct pv_gate *g, const char *sha)
{
	for (struct decision *d = g->decisions; d; d = d->next)
		if (strcmp(d->sha, sha) == 0)
			return d;
	return NULL;
}

static void drop_decision(struct pv_gate *g, struct decision *gone)
{
	for (struct decision **pp = &g->decisions; *pp; pp = &(*pp)->next)
		if (*pp == gone) {
			*pp = gone->next;
			free(gone);
			return;
		}
}

/* The verdict for these bytes: vetted-only set, cached verdict, or vet()
 * (at most one call per sha256 in flight; others wait for it). */
static int decide(struct pv_gate *g, const struct entry *e, const unsigned char *data, size_t len,
                  const char *sha)
{
	pthread_mutex_lock(&g->lock);
	struct decision *d;
	for (;;) {
		d = find_decision(g, sha);
		if (g->vetted_only) {
			int v = in_vetted(g, sha) && !(d && d->state == 0);
			pthread_mutex_unlock(&g->lock);
			return v;
		}
		if (!d || d->state != -2)
			break;
		pthread_cond_wait(&g->dcond, &g->lock);
	}
	if (d) {
		int v = d->state;
		pthread_mutex_unlock(&g->lock);
		return v;
	}
	if ((d = calloc(1, sizeof *d)) == NULL) {
		pthread_mutex_unlock(&g->lock);
		return -1;
	}
	memcpy(d->sha, sha, 65);
	d->state = -2;
	d->next = g->decisions;
	g->decisions = d;
	pthread_mutex_unlock(&g->lock);

	int v = g->vet(g->ud, e->project, e->filename, data, len, sha);

	pthread_mutex_lock(&g->lock);
	if (v == 0 || v == 1)
		d->state = v;
	else
		drop_decision(g, d); /* an internal error is not a verdict: ask again next time */
	pthread_cond_broadcast(&g->dcond);
	pthread_mutex_unlock(&g->lock);
	return v == 0 || v == 1 ? v : -1;
}

/* ---------------- files ---------------- */

/* 502/404 for an upstream transfer that did not succeed. */
static void upstream_failed(struct pv_gate_conn *c, const struct pv_gate_req *r, const struct pv_http_req *u,
                            const char *fn)
{
	if (u->result == PV_HTTP_HTTP_ERROR && (u->status == 404 || u->status == 410))
		pv_gate_respond_err(c, r, 404, "pkgvet gate: %s: not found on the index", fn);
	else if (u->result == PV_HTTP_TOO_LARGE)
		pv_gate_respond_err(c, r, 502, "pkgvet gate: %s: larger than the limit", fn);
	else
		pv_gate_respond_err(c, r, 502, "pkgvet gate: %s: index %s (status %ld)", fn,
		                    pv_http_result_name(u->result), u->status);
}

static void serve_metadata(struct pv_gate *g, struct pv_gate_conn *c, const struct pv_gate_req *r,
                           const struct entry *e)
{
	if (e->url[0] == '/') { /* a local find-links file: pages never offer its metadata */
		pv_gate_respond_err(c, r, 404, "no such file");
		return;
	}
	size_t n = strlen(e->url) + sizeof ".metadata";
	char *url = malloc(n);
	if (!url) {
		pv_gate_respond_err(c, r, 503, "out of memory");
		return;
	}
	/* PEP 658: the file's URL with ".metadata" appended to its path */
	size_t path = strcspn(e->url, "?");
	snprintf(url, n, "%.*s.metadata%s", (int)path, e->url, e->url + path);
	struct pv_http_req u = {.url = url, .max_body = GATE_META_MAX};
	pv_http_fetch(&u, &g->http);
	char sha[65] = "";
	if (u.result != PV_HTTP_OK)
		upstream_failed(c, r, &u, e->filename);
	else if (pv_sha256_hex(u.body, u.len, sha, sizeof sha) != 0)
		pv_gate_respond_err(c, r, 503, "pkgvet gate: cannot hash");
	else if (e->meta_sha256[0] && strcmp(sha, e->meta_sha256) != 0)
		pv_gate_respond_err(c, r, 502, "pkgvet gate: %s.metadata: hash mismatch", e->filename);
	else
		pv_gate_respond(c, r, 200, "text/plain; charset=utf-8", u.body, u.len);
	pv_http_req_free(&u);
	free(url);
}

static void serve_artifact(struct pv_gate *g, struct pv_gate_conn *c, const struct pv_gate_req *r,
                           const struct entry *e)
{
	pthread_mutex_lock(&g->lock);
	bool refuse = g->vetted_only && e->sha256[0] && !in_vetted(g, e->sha256);
	pthread_mutex_unlock(&g->lock);
	if (refuse) { /* the index's digest already says it was not vetted */
		pv_gate_respond_err(c, r, 403, "pkgvet: %s was not vetted for this install", e->filename);
		return;
	}
	struct pv_http_req u = {.url = e->url, .max_body = g->max_artifact};
	/* The bytes are read once, into memory: what is hashed and vetted is
	 * what is served. */
	char *body = NULL;
	size_t len = 0;
	bool got = false, fetched = false;
	if (e->url[0] == '/') {
		int rc = pv_read_file(e->url, g->max_artifact, true, &body, &len, NULL);
		if (rc == 1)
			pv_gate_respond_err(c, r, 404, "pkgvet gate: %s: no longer in find-links", e->filename);
		else if (rc == -2)
			pv_gate_respond_err(c, r, 503, "out of memory");
		else if (rc != 0)
			pv_gate_respond_err(c, r, 502, "pkgvet gate: %s: %s", e->filename,
			                    errno == EFBIG ? "larger than the limit" : "cannot read it");
		got = rc == 0;
	} else if (e->sha256[0] && g->blob_dir &&
	           pv_blob_get(g->blob_dir, e->sha256, g->max_artifact, &body, &len) == 0) {
		got = true; /* the bytes the page names, kept from an earlier run */
	} else {
		pv_http_fetch(&u, &g->http);
		if (u.result != PV_HTTP_OK)
			upstream_failed(c, r, &u, e->filename);
		got = u.result == PV_HTTP_OK;
		body = u.body;
		len = u.len;
		u.body = NULL;
		fetched = got;
	}
	char sha[65] = "";
	if (!got) {
		/* answered above */
	} else if (pv_sha256_hex(body, len, sha, sizeof sha) != 0) {
		pv_gate_respond_err(c, r, 503, "pkgvet gate: cannot hash");
	} else if (e->sha256[0] && strcmp(sha, e->sha256) != 0) {
		pv_gate_respond_err(c, r, 502, "pkgvet gate: %s: hash mismatch (not the file the page listed)",
		                    e->filename);
	} else {
		if (fetched && e->sha256[0] && g->blob_dir)
			pv_blob_put(g->blob_dir, sha, body, len); /* checked against the page: keep it */
		int v = decide(g, e, (const unsigned char *)body, len, sha);
		if (v == 1)
			pv_gate_respond(c, r, 200, "application/octet-stream", body, len);
		else if (v == 0)
			pv_gate_respond_err(c, r, 403, "pkgvet: %s refused by policy", e->filename);
		else
			pv_gate_respond_err(c, r, 503, "pkgvet: %s could not be vetted", e->filename);
	}
	free(body);
	pv_http_req_free(&u);
}

/* /files/ID/NAME: NAME must be the table's file name (artifact) or it
 * plus ".metadata" (PEP 658). */
static void serve_file(struct pv_gate *g, struct pv_gate_conn *c, const struct pv_gate_req *r, const char *id,
                       const char *name)
{
	size_t idv = 0;
	if (!*id || strlen(id) > 9 || strspn(id, "0123456789") != strlen(id)) {
		pv_gate_respond_err(c, r, 404, "no such file");
		return;
	}
	idv = (size_t)strtoul(id, NULL, 10);
	struct entry e;
	int rc = table_get(g, idv, &e);
	if (rc == -2)
		pv_gate_respond_err(c, r, 503, "out of memory");
	size_t fl = rc == 0 ? strlen(e.filename) : 0;
	if (rc == 0 && strcmp(name, e.filename) == 0)
		serve_artifact(g, c, r, &e);
	else if (rc == 0 && strncmp(name, e.filename, fl) == 0 && strcmp(name + fl, ".metadata") == 0)
		serve_metadata(g, c, r, &e);
	else if (rc != -2)
		pv_gate_respond_err(c, r, 404, "no such file");
	entry_free(&e);
}

/* ---------------- routing ---------------- */

/* Constant-time token comparison: timing does not reveal a prefix. */
static bool token_ok(const char *tok, const char *got, size_t gotlen)
{
	if (gotlen != 32)
		return false;
	unsigned diff = 0;
	for (size_t i = 0; i < 32; i++)
		diff |= (unsigned)(tok[i] ^ got[i]);
	return diff == 0;
}

/* The handler for every request (gate_http.c calls it). */
static void route(void *ud, struct pv_gate_conn *c, struct pv_gate_req *r)
{
	struct pv_gate *g = ud;
	char *t = r->target;
	if (strncasecmp(t, "http://", 7) == 0) { /* absolute form: drop scheme and authority */
		t = strchr(t + 7, '/');
		if (!t) {
			pv_gate_respond_err(c, r, 404, "not found");
			return;
		}
	}
	t[strcspn(t, "?#")] = '\0';
	char *seg[5] = {0};
	size_t nseg = 0;
	if (*t != '/') {
		pv_gate_respond_err(c, r, 404, "not found");
		return;
	}
	/* Split into at most 4 segments; a trailing '/' leaves an empty last one. */
	for (char *p = t + 1; nseg < 5;) {
		seg[nseg++] = p;
		char *s = strchr(p, '/');
		if (!s)
			break;
		*s = '\0';
		p = s + 1;
	}
	if (!token_ok(g->token, seg[0], strlen(seg[0])) || nseg < 2 || nseg > 4) {
		pv_gate_respond_err(c, r, 404, "not found");
		return;
	}
	for (size_t i = 1; i < nseg; i++)
		if (pv_gate_pct_decode(seg[i]) != 0) {
			pv_gate_respond_err(c, r, 404, "not found");
			return;
		}
	bool last_empty = nseg > 1 && seg[nseg - 1][0] == '\0';
	if (strcmp(seg[1], "simple") == 0 && (nseg == 2 || (nseg == 3 && last_empty)))
		serve_root(c, r);
	else if (strcmp(seg[1], "simple") == 0 && (nseg == 3 || (nseg == 4 && last_empty)) && seg[2][0])
		serve_project(g, c, r, seg[2]);
	else if (strcmp(seg[1], "files") == 0 && nseg == 4 && seg[3][0])
		serve_file(g, c, r, seg[2], seg[3]);
	else
		pv_gate_respond_err(c, r, 404, "not found");
}

/* ---------------- API ---------------- */

/* 32 random hex characters: the path prefix only pip (told the URL) knows. */
static int make_token(char out[33], char *err, size_t errlen)
{
	unsigned char rnd[16];
	size_t got = 0;
	while (got < sizeof rnd) {
		ssize_t n = getrandom(rnd + got, sizeof rnd - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			SETERR("gate: getrandom: %s", strerror(errno));
			return -1;
		}
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof rnd; i++)
		snprintf(out + 2 * i, 3, "%02x", rnd[i]);
	return 0;
}

/* Copy the upstream list: http(s) only, bounded, trailing '/', no duplicates. */
static int copy_upstreams(struct pv_gate *g, const char *const *up, char *err, size_t errlen)
{
	size_t n = 0;
	while (up && up[n])
		n++;
	if ((n == 0 && g->nfl == 0) || n > PV_GATE_MAX_UPSTREAMS) {
		SETERR("gate: %s upstream indexes", n ? "too many" : "no");
		return -1;
	}
	if ((g->up = calloc(n ? n : 1, sizeof *g->up)) == NULL) {
		SETERR("gate: out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(up[i]);
		if (l == 0 || l > GATE_URL_MAX ||
		    (strncasecmp(up[i], "http://", 7) != 0 && strncasecmp(up[i], "https://", 8) != 0)) {
			SETERR("gate: index %zu is not an http(s) URL", i + 1);
			return -1;
		}
		char *s = malloc(l + 2);
		if (!s) {
			SETERR("gate: out of memory");
			return -1;
		}
		snprintf(s, l + 2, "%s%s", up[i], up[i][l - 1] == '/' ? "" : "/");
		bool dup = false;
		for (size_t k = 0; k < g->nup && !dup; k++)
			dup = strcmp(g->up[k], s) == 0;
		if (dup)
			free(s);
		else
			g->up[g->nup++] = s;
	}
	return 0;
}

/* Parse the find-links sources. */
static int copy_find_links(struct pv_gate *g, const char *const *fl, char *err, size_t errlen)
{
	size_t n = 0;
	while (fl && fl[n])
		n++;
	if (n > PV_GATE_MAX_FIND_LINKS) {
		SETERR("gate: more than %d find-links sources", PV_GATE_MAX_FIND_LINKS);
		return -1;
	}
	if ((g->fl = calloc(n ? n : 1, sizeof *g->fl)) == NULL) {
		SETERR("gate: out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char why[200];
		struct pv_gate_fl *s = &g->fl[g->nfl];
		if (pv_gate_fl_init(s, fl[i], why, sizeof why) != 0) {
			SETERR("gate: find-links %zu: %s", i + 1, why);
			return -1;
		}
		/* The same place twice (pip.conf and -f) is one source, not a
		 * name found in two places. */
		bool dup = false;
		for (size_t k = 0; k < g->nfl && !dup; k++)
			dup = (s->url && g->fl[k].url && strcmp(s->url, g->fl[k].url) == 0) ||
			      (s->path && g->fl[k].path && strcmp(s->path, g->fl[k].path) == 0);
		if (dup)
			pv_gate_fl_free(s);
		else
			g->nfl++;
	}
	return 0;
}

int pv_gate_start(struct pv_gate **out, const struct pv_gate_opts *o, char *err, size_t errlen)
{
	*out = NULL;
	if (!o || !o->vet) {
		SETERR("gate: no vet function");
		return -1;
	}
	struct pv_gate *g = calloc(1, sizeof *g);
	if (!g) {
		SETERR("gate: out of memory");
		return -1;
	}
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->dcond, NULL);
	g->vet = o->vet;
	g->ud = o->ud;
	g->http = o->http ? *o->http : pv_http_opts_default();
	atomic_init(&g->stopping, 0);
	g->http.cancel = &g->stopping;
	g->max_artifact = o->max_artifact ? o->max_artifact : PV_GATE_MAX_ARTIFACT_DEFAULT;
	if (o->blob_dir && !(g->blob_dir = strdup(o->blob_dir))) {
		SETERR("gate: out of memory");
		goto fail;
	}
	unsigned port = 0;
	g->max_dir_entries = o->max_dir_entries ? o->max_dir_entries : PV_GATE_FL_ENTRIES_DEFAULT;
	if (copy_find_links(g, o->find_links, err, errlen) != 0 || copy_upstreams(g, o->upstreams, err, errlen) != 0 || make_token(g->token, err, errlen) != 0 ||
	    pv_gate_srv_start(&g->srv, route, g, &port, err, errlen) != 0)
		goto fail;
	snprintf(g->url, sizeof g->url, "http://127.0.0.1:%u/%s/simple/", port, g->token);
	*out = g;
	return 0;
fail:
	pv_gate_stop(g);
	return -1;
}

const char *pv_gate_index_url(const struct pv_gate *g)
{
	return g->url;
}

int pv_gate_vetted_only(struct pv_gate *g, const char *const *sha256_hex, size_t n)
{
	char(*set)[65] = calloc(n ? n : 1, sizeof *set);
	if (!set)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *s = sha256_hex[i];
		if (!s || strlen(s) != 64 || strspn(s, "0123456789abcdefABCDEF") != 64) {
			free(set);
			return -1;
		}
		for (size_t k = 0; k < 64; k++)
			set[i][k] = (char)tolower((unsigned char)s[k]);
	}
	qsort(set, n, sizeof *set, hexcmp);
	pthread_mutex_lock(&g->lock);
	free(g->vetted);
	g->vetted = set;
	g->nvetted = n;
	g->vetted_only = true;
	pthread_mutex_unlock(&g->lock);
	return 0;
}

/* ---------------- recheck before the install ---------------- */

struct recheck {
	struct pv_gate *g;
	char (*project)[256];   /* distinct projects of the files */
	int *verdict;           /* per project: 0 same, 1 changed, -1 could not ask */
	char (*why)[400];
	const char *const *filenames, *const *sha;
	size_t n;
};

static void recheck_one(size_t k, void *ud)
{
	struct recheck *rc = ud;
	struct pv_gate_page pg;
	size_t listing;
	char why[160];
	int st = project_page(rc->g, rc->project[k], &pg, &listing, why, sizeof why);
	rc->verdict[k] = 0;
	if (st) {
		rc->verdict[k] = -1;
		snprintf(rc->why[k], sizeof rc->why[k], "%s: %s", rc->project[k], why);
	}
	for (size_t i = 0; !st && i < rc->n; i++) {
		const struct pv_gate_file *f = NULL;
		for (size_t j = 0; j < pg.n && !f; j++)
			if (strcmp(pg.files[j].filename, rc->filenames[i]) == 0)
				f = &pg.files[j];
		pthread_mutex_lock(&rc->g->lock);
		bool mine = false; /* is file i one of this project's? */
		for (size_t e = 0; e < rc->g->nents && !mine; e++)
			mine = strcmp(rc->g->ents[e].filename, rc->filenames[i]) == 0 &&
			       strcmp(rc->g->ents[e].project, rc->project[k]) == 0;
		pthread_mutex_unlock(&rc->g->lock);
		if (!mine)
			continue;
		if (!f) {
			rc->verdict[k] = 1;
			snprintf(rc->why[k], sizeof rc->why[k], "%s is no longer listed", rc->filenames[i]);
		} else if (f->sha256 && strcasecmp(f->sha256, rc->sha[i]) != 0) {
			rc->verdict[k] = 1;
			snprintf(rc->why[k], sizeof rc->why[k], "%s: the index now lists another file (sha256 %.12s…, "
			         "vetted %.12s…)", rc->filenames[i], f->sha256, rc->sha[i]);
		}
	}
	pv_gate_page_free(&pg);
}

int pv_gate_recheck(struct pv_gate *g, const char *const *filenames, const char *const *sha256, size_t n,
                    char *err, size_t errlen)
{
	struct recheck rc = {.g = g, .filenames = filenames, .sha = sha256, .n = n};
	rc.project = calloc(n ? n : 1, sizeof *rc.project);
	rc.verdict = calloc(n ? n : 1, sizeof *rc.verdict);
	rc.why = calloc(n ? n : 1, sizeof *rc.why);
	if (!rc.project || !rc.verdict || !rc.why) {
		free(rc.project);
		free(rc.verdict);
		free(rc.why);
		SETERR("out of memory");
		return -1;
	}
	size_t np = 0;
	pthread_mutex_lock(&g->lock);
	for (size_t i = 0; i < n; i++)
		for (size_t e = 0; e < g->nents; e++) {
			if (strcmp(g->ents[e].filename, filenames[i]) != 0)
				continue;
			bool seen = false;
			for (size_t k = 0; k < np && !seen; k++)
				seen = strcmp(rc.project[k], g->ents[e].project) == 0;
			if (!seen)
				snprintf(rc.project[np++], sizeof rc.project[0], "%s", g->ents[e].project);
			break;
		}
	pthread_mutex_unlock(&g->lock);
	pv_parallel_for(np, pv_fetch_workers(), recheck_one, &rc);
	int out = 0;
	for (size_t k = 0; k < np; k++) {
		if (rc.verdict[k] == 1 || (rc.verdict[k] < 0 && out == 0)) {
			out = rc.verdict[k];
			SETERR("%s", rc.why[k]);
		}
	}
	free(rc.project);
	free(rc.verdict);
	free(rc.why);
	return out;
}

const char *const *pv_gate_shadowed(struct pv_gate *g)
{
	static const char *const none[] = {NULL};
	pthread_mutex_lock(&g->lock);
	struct snapshot *s = malloc(sizeof *s);
	const char **names = s ? calloc(g->nshadowed + 1, sizeof *names) : NULL;
	if (!names) {
		free(s);
		pthread_mutex_unlock(&g->lock);
		return none;
	}
	/* The strings live until stop; only this array is per call. */
	for (size_t i = 0; i < g->nshadowed; i++)
		names[i] = g->shadowed[i];
	s->names = names;
	s->next = g->snaps;
	g->snaps = s;
	pthread_mutex_unlock(&g->lock);
	return names;
}

static void free_state(struct pv_gate *g)
{
	free(g->blob_dir);
	for (size_t i = 0; i < g->nup; i++)
		free(g->up[i]);
	free(g->up);
	for (size_t i = 0; i < g->nfl; i++)
		pv_gate_fl_free(&g->fl[i]);
	free(g->fl);
	for (size_t i = 0; i < g->nents; i++)
		entry_free(&g->ents[i]);
	free(g->ents);
	free(g->slots);
	while (g->decisions) {
		struct decision *d = g->decisions;
		g->decisions = d->next;
		free(d);
	}
	free(g->vetted);
	for (size_t i = 0; i < g->nshadowed; i++)
		free(g->shadowed[i]);
	free(g->shadowed);
	while (g->snaps) {
		struct snapshot *s = g->snaps;
		g->snaps = s->next;
		free(s->names);
		free(s);
	}
}

void pv_gate_stop(struct pv_gate *g)
{
	if (!g)
		return;
	/* A worker waiting on a slow upstream would hold the stop up for the
	 * whole HTTP timeout (pip is gone, nobody wants the answer). */
	atomic_store(&g->stopping, 1);
	pv_gate_srv_stop(g->srv); /* no handler runs after this */
	free_state(g);
	pthread_cond_destroy(&g->dcond);
	pthread_mutex_destroy(&g->lock);
	free(g);
}
