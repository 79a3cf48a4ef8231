/* vulns: online answers cached with a TTL (tests/fixtures/osv_server.py
 * counts the requests), unknown answers not cached, stale answers not used
 * when the re-query fails, the offline index built once into the cache from
 * zips this test writes with libarchive, re-indexed when the zip changes,
 * broken zips reported, cache-less offline mode, online == offline, and
 * eight threads (and two processes) asking at once. */
#include "check.h"
#include "fixture.h"
#include "vulns.h"

#include <archive.h>
#include <archive_entry.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <sys/socket.h>

/* ------------------------------------------------------------- records */

static const char REC_LODASH[] =
	"{\"id\":\"GHSA-35jh-r3h4-6jhm\",\"modified\":\"2024-01-01T00:00:00Z\","
	"\"aliases\":[\"CVE-2021-23337\"],\"summary\":\"Command Injection in lodash\","
	"\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H\"}],"
	"\"database_specific\":{\"severity\":\"HIGH\"},"
	"\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"lodash\"},"
	"\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"4.17.21\"}]}]}]}";

static const char REC_LODASH_OLD[] =
	"{\"id\":\"GHSA-old-lodash\",\"summary\":\"old \\\"quoted\\\" \\u00e9\",\"database_specific\":"
	"{\"severity\":\"LOW\"},\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"lodash\"},"
	"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"4.17.5\"},"
	"{\"introduced\":\"4.17.6\"},{\"fixed\":\"4.17.8\"}]}]}]}";

static const char REC_MULTI[] =
	"{\"id\":\"OSV-multi\",\"severity\":[{\"type\":\"CVSS_V3\","
	"\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],"
	"\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"multi\"},\"ranges\":["
	"{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"last_affected\":\"1.4.0\"}]}]}]}";

static const char REC_MAL[] =
	"{\"id\":\"MAL-2024-1234\",\"summary\":\"Malicious code in evil-pkg (npm)\","
	"\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"evil-pkg\"},"
	"\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"}]}]}]}";

static const char REC_DRF[] =
	"{\"id\":\"GHSA-drf\",\"aliases\":[\"CVE-2024-21520\",\"PYSEC-2024-1\"],\"summary\":\"XSS in DRF\","
	"\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N\"}],"
	"\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"Django_REST.framework\"},"
	"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"3.15.2\"}]}]}]}";

static const char REC_BOTH[] =
	"{\"id\":\"GHSA-both\",\"affected\":["
	"{\"package\":{\"ecosystem\":\"npm\",\"name\":\"twin\"},\"ranges\":[{\"type\":\"SEMVER\","
	"\"events\":[{\"introduced\":\"1.0.0\"},{\"fixed\":\"1.0.5\"}]}]},"
	"{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"twin\"},\"ranges\":[{\"type\":\"ECOSYSTEM\","
	"\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"0.9\"},{\"fixed\":\"0.9.1\"}]}]}]}";

/* Added to the npm zip in the "zip changed" step. */
static const char REC_CLEAN_MAL[] =
	"{\"id\":\"MAL-2025-0001\",\"summary\":\"clean-pkg went bad\","
	"\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"clean-pkg\"},"
	"\"versions\":[\"1.0.0\"]}]}";

static const char *const RECS[] = {REC_LODASH, REC_LODASH_OLD, REC_MULTI, REC_MAL, REC_DRF, REC_BOTH};
#define NRECS (sizeof RECS / sizeof RECS[0])

#define NQ 7
static void set_queries(struct pv_osv_query *q)
{
	static const char *const spec[NQ][3] = {
		{"npm", "lodash", "4.17.4"},
		{"PyPI", "Django.REST_Framework", "3.15.1"},
		{"npm", "evil-pkg", "1.0.0"},
		{"npm", "clean-pkg", "1.0.0"},
		{"PyPI", "twin", "0.5"},
		{"npm", "multi", "1.0.0"},
		{"npm", "lodash", "4.17.21"},
	};
	memset(q, 0, NQ * sizeof *q);
	for (size_t i = 0; i < NQ; i++) {
		q[i].ecosystem = spec[i][0];
		q[i].name = spec[i][1];
		q[i].version = spec[i][2];
	}
}

static void free_queries(struct pv_osv_query *q, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pv_osv_query_free(&q[i]);
}

/* The known answers (matches come sorted by id). */
static int check_known(const struct pv_osv_query *q, const char *mode)
{
	int before = check_failures;
	for (size_t i = 0; i < NQ; i++)
		CHECK(q[i].status == PV_OSV_OK, "%s q%zu: status %d: %s", mode, i, q[i].status, q[i].err);
	CHECK(q[0].matches.n == 2, "%s lodash n=%zu", mode, q[0].matches.n);
	if (q[0].matches.n == 2) {
		const struct pv_osv_match *a = &q[0].matches.v[0], *b = &q[0].matches.v[1];
		CHECK(strcmp(a->id, "GHSA-35jh-r3h4-6jhm") == 0 && strcmp(b->id, "GHSA-old-lodash") == 0,
		      "%s lodash ids %s %s", mode, a->id, b->id);
		CHECK(a->severity == PV_OSV_SEV_HIGH && fabs(a->cvss_score - 7.2) < 1e-9 && a->nfixed == 1 &&
		              strcmp(a->fixed[0], "4.17.21") == 0 && a->naliases == 1,
		      "%s lodash details", mode);
		CHECK(b->nfixed == 2 && b->cvss_score < 0 && strcmp(b->summary, "old \"quoted\" \xc3\xa9") == 0,
		      "%s old lodash: %zu '%s'", mode, b->nfixed, b->summary);
	}
	CHECK(q[1].matches.n == 1 && strcmp(q[1].matches.v[0].id, "GHSA-drf") == 0 &&
	              q[1].matches.v[0].naliases == 2,
	      "%s drf", mode);
	CHECK(q[2].matches.n == 1 && q[2].matches.v[0].malware, "%s mal", mode);
	CHECK(q[3].matches.n == 0, "%s clean: %zu", mode, q[3].matches.n);
	CHECK(q[4].matches.n == 1 && q[4].matches.v[0].nfixed == 2, "%s twin", mode);
	CHECK(q[5].matches.n == 1 && q[5].matches.v[0].severity == PV_OSV_SEV_CRITICAL &&
	              q[5].matches.v[0].nfixed == 0,
	      "%s multi", mode);
	CHECK(q[6].matches.n == 0, "%s lodash fixed: %zu", mode, q[6].matches.n);
	return check_failures == before;
}

static bool strs_eq(char *const *a, size_t na, char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

/* Every field of every match, and the findings they give, equal. */
static bool same_answers(const struct pv_osv_query *a, const struct pv_osv_query *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i].status != b[i].status || a[i].matches.n != b[i].matches.n)
			return false;
		for (size_t j = 0; j < a[i].matches.n; j++) {
			const struct pv_osv_match *x = &a[i].matches.v[j], *y = &b[i].matches.v[j];
			if (strcmp(x->id, y->id) != 0 || strcmp(x->summary, y->summary) != 0 ||
			    x->severity != y->severity || x->cvss_score != y->cvss_score || x->malware != y->malware ||
			    !strs_eq(x->aliases, x->naliases, y->aliases, y->naliases) ||
			    !strs_eq(x->fixed, x->nfixed, y->fixed, y->nfixed))
				return false;
		}
		struct pv_findings fa = {0}, fb = {0};
		bool same = pv_osv_add_findings(&a[i], &fa) == pv_osv_add_findings(&b[i], &fb) && fa.n == fb.n;
		for (size_t j = 0; same && j < fa.n; j++)
			same = strcmp(fa.v[j].attr, fb.v[j].attr) == 0 && strcmp(fa.v[j].detail, fb.v[j].detail) == 0;
		pv_findings_free(&fa);
		pv_findings_free(&fb);
		if (!same)
			return false;
	}
	return true;
}

/* ---------------------------------------------------------------- helpers */

static char g_tmp[256];
static int g_port;

static long fixture_count(const char *what)
{
	char url[128];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/count", g_port);
	struct pv_http_opts o = pv_http_opts_default();
	struct pv_http_req r = {.url = url};
	long v = -1;
	if (pv_http_fetch(&r, &o) == PV_HTTP_OK && r.body) {
		char pat[64];
		snprintf(pat, sizeof pat, "\"%s\": ", what);
		const char *p = strstr(r.body, pat);
		if (p)
			v = strtol(p + strlen(pat), NULL, 10);
	}
	pv_http_req_free(&r);
	return v;
}

static int closed_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
	socklen_t al = sizeof a;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int port = 1;
	if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(s, (struct sockaddr *)&a, &al) == 0)
		port = ntohs(a.sin_port);
	if (s >= 0)
		close(s);
	return port;
}

static int add_entry(struct archive *w, const char *name, const char *data)
{
	struct archive_entry *e = archive_entry_new();
	size_t len = strlen(data);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	int rc = archive_write_header(w, e) == ARCHIVE_OK &&
	                 archive_write_data(w, data, len) == (la_ssize_t)len ? 0 : -1;
	archive_entry_free(e);
	return rc;
}

/* An export zip of RECS (plus extra when not NULL) at path. */
static void write_zip(const char *path, const char *extra)
{
	struct archive *w = archive_write_new();
	int rc = w && archive_write_set_format_zip(w) == ARCHIVE_OK &&
	                 archive_write_open_filename(w, path) == ARCHIVE_OK ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < NRECS; i++) {
		char name[64];
		snprintf(name, sizeof name, "REC-%zu.json", i);
		rc = add_entry(w, name, RECS[i]);
	}
	if (rc == 0 && extra)
		rc = add_entry(w, "EXTRA.json", extra);
	if (rc == 0)
		rc = add_entry(w, "README.txt", "not a record");
	if (w && archive_write_close(w) != ARCHIVE_OK)
		rc = -1;
	archive_write_free(w);
	if (rc != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(2);
	}
}

/* g_tmp/REL in the caller's buffer. */
static char *tpath(char *buf, size_t len, const char *rel)
{
	snprintf(buf, len, "%s/%s", g_tmp, rel);
	return buf;
}

static void mkdirs_for(const char *rel)
{
	char d[512];
	snprintf(d, sizeof d, "%s", rel);
	char *slash = strrchr(d, '/');
	if (slash) {
		*slash = '\0';
		fixture_mkdirs(g_tmp, d);
	}
}

static void zip_at(const char *rel, const char *extra)
{
	char p[512];
	mkdirs_for(rel);
	write_zip(tpath(p, sizeof p, rel), extra);
}

static struct pv_cache *open_cache(const char *rel)
{
	char p[512];
	struct pv_cache *c = NULL;
	char *e = NULL;
	if (pv_cache_open(tpath(p, sizeof p, rel), &c, &e) != PV_CACHE_OK) {
		fprintf(stderr, "cache open: %s\n", e ? e : "?");
		exit(2);
	}
	free(e);
	return c;
}

static long long db_count(const char *rel, const char *sql)
{
	char p[512];
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	long long v = -1;
	if (sqlite3_open_v2(tpath(p, sizeof p, rel), &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static struct pv_osv_query g_ref[NQ]; /* the online answers */
static char g_url[128];
static struct pv_http_opts g_http;

/* --------------------------------------------------------------- online */

static void test_online(void)
{
	const int64_t T0 = 1700000000;
	struct pv_cache *c = open_cache("online.sqlite3");
	pv_cache_set_now(c, T0);
	struct pv_vulns_opts o = {.querybatch_url = g_url, .cache = c, .http = &g_http};
	char err[512];
	long base = fixture_count("querybatch");

	set_queries(g_ref);
	CHECK(pv_vulns_query(g_ref, NQ, &o, err, sizeof err) == 0, "online: %s", err);
	check_known(g_ref, "online");
	CHECK(fixture_count("querybatch") == base + 1, "one batch for all: %ld", fixture_count("querybatch"));

	/* Answered from the cache: no request at all, identical answers. */
	long vulns = fixture_count("vulns");
	struct pv_osv_query q[NQ];
	set_queries(q);
	CHECK(pv_vulns_query(q, NQ, &o, err, sizeof err) == 0, "cached: %s", err);
	CHECK(same_answers(q, g_ref, NQ), "cached answers equal online ones");
	CHECK(fixture_count("querybatch") == base + 1 && fixture_count("vulns") == vulns, "no request");
	/* "Running again" resets outputs first: the call on filled queries is fine. */
	CHECK(pv_vulns_query(q, NQ, &o, err, sizeof err) == 0 && same_answers(q, g_ref, NQ), "again");
	free_queries(q, NQ);

	/* Still fresh just under the TTL; one new query goes alone to OSV. */
	pv_cache_set_now(c, T0 + PV_VULNS_TTL_S - 1);
	struct pv_osv_query more[NQ + 1];
	set_queries(more);
	memset(&more[NQ], 0, sizeof more[NQ]);
	more[NQ].ecosystem = "npm";
	more[NQ].name = "lodash";
	more[NQ].version = "4.17.7";
	CHECK(pv_vulns_query(more, NQ + 1, &o, err, sizeof err) == 0, "more: %s", err);
	CHECK(fixture_count("querybatch") == base + 2, "only the new query asked: %ld",
	      fixture_count("querybatch"));
	CHECK(more[NQ].matches.n == 2, "4.17.7: %zu", more[NQ].matches.n);
	CHECK(same_answers(more, g_ref, NQ), "cached part unchanged");
	free_queries(more, NQ + 1);

	/* Expired: asked again. */
	pv_cache_set_now(c, T0 + PV_VULNS_TTL_S + 1);
	set_queries(q);
	CHECK(pv_vulns_query(q, NQ, &o, err, sizeof err) == 0, "expired: %s", err);
	CHECK(fixture_count("querybatch") == base + 3, "re-queried: %ld", fixture_count("querybatch"));
	CHECK(same_answers(q, g_ref, NQ), "re-queried answers");
	free_queries(q, NQ);
	/* ... and cached again from then on. */
	set_queries(q);
	CHECK(pv_vulns_query(q, NQ, &o, err, sizeof err) == 0 && same_answers(q, g_ref, NQ), "recached");
	CHECK(fixture_count("querybatch") == base + 3, "recached: no request");
	free_queries(q, NQ);

	/* A shorter TTL of the caller's. */
	o.ttl_s = 10;
	pv_cache_set_now(c, T0 + PV_VULNS_TTL_S + 12);
	set_queries(q);
	CHECK(pv_vulns_query(q, NQ, &o, err, sizeof err) == 0, "ttl 10: %s", err);
	CHECK(fixture_count("querybatch") == base + 4, "ttl 10 re-queried");
	free_queries(q, NQ);
	o.ttl_s = 0;

	/* Bad arguments. */
	o.ttl_s = -1;
	CHECK(pv_vulns_query(q, NQ, &o, err, sizeof err) == -1, "negative ttl");
	o.ttl_s = 0;
	CHECK(pv_vulns_query(NULL, 1, &o, err, sizeof err) == -1, "NULL q");
	CHECK(pv_vulns_query(q, NQ, NULL, err, sizeof err) == -1, "NULL opts");
	CHECK(pv_vulns_query(NULL, 0, &o, err, sizeof err) == 0, "empty");
	struct pv_osv_query odd[2] = {{.ecosystem = "Go", .name = "x", .version = "1"},
	                              {.ecosystem = "npm", .name = "x", .version = ""}};
	CHECK(pv_vulns_query(odd, 2, &o, err, sizeof err) == 1, "odd");
	CHECK(odd[0].status == PV_OSV_UNKNOWN && odd[1].status == PV_OSV_UNKNOWN, "odd unknown");
	free_queries(odd, 2);

	/* Unknown answers are never cached: server down, fresh cache. */
	struct pv_cache *c2 = open_cache("down.sqlite3");
	char dead[128];
	snprintf(dead, sizeof dead, "http://127.0.0.1:%d/v1/querybatch", closed_port());
	struct pv_vulns_opts od = {.querybatch_url = dead, .cache = c2, .http = &g_http};
	set_queries(q);
	CHECK(pv_vulns_query(q, NQ, &od, err, sizeof err) == 1, "down");
	for (size_t i = 0; i < NQ; i++)
		CHECK(q[i].status == PV_OSV_UNKNOWN && q[i].err[0] && q[i].matches.n == 0, "down q%zu", i);
	free_queries(q, NQ);
	struct pv_cache_stats st;
	CHECK(pv_cache_stats(c2, &st) == PV_CACHE_OK && st.meta == 0, "nothing cached: %llu",
	      (unsigned long long)st.meta);
	pv_cache_close(c2);
	pv_cache_close(c);
}

/* After the server is stopped: a stale entry is not used when its re-query
 * fails; a fresh one still answers. */
static void test_stale_down(void)
{
	const int64_t T0 = 1700000000;
	struct pv_cache *c = open_cache("online.sqlite3");
	struct pv_vulns_opts o = {.querybatch_url = g_url, .cache = c, .http = &g_http};
	char err[512];
	struct pv_osv_query q[NQ];
	/* Entries were last fetched at T0 + TTL + 12 (see test_online). */
	pv_cache_set_now(c, T0 + PV_VULNS_TTL_S + 13);
	set_queries(q);
	CHECK(pv_vulns_query(q, NQ, &o, err, sizeof err) == 0 && same_answers(q, g_ref, NQ),
	      "fresh entries answer with the server down");
	free_queries(q, NQ);
	pv_cache_set_now(c, T0 + 3 * PV_VULNS_TTL_S);
	set_queries(q);
	CHECK(pv_vulns_query(q, NQ, &o, err, sizeof err) == 1, "stale and down");
	for (size_t i = 0; i < NQ; i++)
		CHECK(q[i].status == PV_OSV_UNKNOWN && q[i].matches.n == 0, "stale q%zu not used", i);
	free_queries(q, NQ);
	pv_cache_close(c);
}

/* -------------------------------------------------------------- offline */

static void test_offline(void)
{
	char p[512], dir[512], err[512];
	const struct timespec pause = {0, 20 * 1000 * 1000};
	/* npm as DIR/npm/all.zip, PyPI as the flat DIR/PyPI.zip. */
	zip_at("off/npm/all.zip", NULL);
	zip_at("off/PyPI.zip", NULL);
	struct pv_cache *c = open_cache("offline.sqlite3");
	struct pv_vulns_opts o = {.offline_dir = tpath(dir, sizeof dir, "off"), .cache = c,
	                          .querybatch_url = "http://127.0.0.1:1/never"};
	struct pv_osv_query q[NQ];
	set_queries(q);
	CHECK(pv_vulns_query(q, NQ, &o, err, sizeof err) == 0, "offline: %s", err);
	check_known(q, "offline");
	CHECK(same_answers(q, g_ref, NQ), "offline answers == online answers");
	free_queries(q, NQ);
	char *ident = NULL;
	CHECK(pv_cache_osv_ident(c, "npm", &ident) == PV_CACHE_OK && ident && strstr(ident, "all.zip"),
	      "npm indexed: %s", ident ? ident : "-");
	free(ident);
	pv_cache_close(c);
	CHECK(db_count("offline.sqlite3", "SELECT count(*) FROM osv_rec WHERE ecosystem = 'npm'") == 5,
	      "npm records: %lld", db_count("offline.sqlite3", "SELECT count(*) FROM osv_rec WHERE ecosystem = 'npm'"));

	/* Indexed once: overwrite the zip's bytes in place with garbage (same
	 * inode, same size, mtime put back). A new connection still answers,
	 * so it did not read the zip. */
	tpath(p, sizeof p, "off/npm/all.zip");
	struct stat sb;
	CHECK(stat(p, &sb) == 0, "stat");
	int fd = open(p, O_WRONLY);
	char *junk = malloc((size_t)sb.st_size);
	CHECK(fd >= 0 && junk, "open zip");
	if (fd >= 0 && junk) {
		memset(junk, 'x', (size_t)sb.st_size);
		CHECK(write(fd, junk, (size_t)sb.st_size) == sb.st_size, "overwrite");
		struct timespec ts[2] = {sb.st_atim, sb.st_mtim};
		CHECK(futimens(fd, ts) == 0, "futimens");
	}
	if (fd >= 0)
		close(fd);
	free(junk);
	struct pv_osv_db *db = NULL;
	CHECK(pv_osv_offline_load(p, "npm", &db, NULL, 0) == -1, "the zip really is garbage now");
	pv_osv_db_free(db);
	c = open_cache("offline.sqlite3");
	o.cache = c;
	set_queries(q);
	CHECK(pv_vulns_query(q, NQ, &o, err, sizeof err) == 0, "from the index: %s", err);
	CHECK(same_answers(q, g_ref, NQ), "index answers");
	free_queries(q, NQ);

	/* The zip changed (rewritten: new mtime and size): re-indexed, the old
	 * rows dropped. */
	nanosleep(&pause, NULL);
	zip_at("off/npm/all.zip", REC_CLEAN_MAL);
	set_queries(q);
	CHECK(pv_vulns_query(q, NQ, &o, err, sizeof err) == 0, "re-indexed: %s", err);
	CHECK(q[3].matches.n == 1 && q[3].matches.v[0].malware, "clean-pkg now malware: %zu", q[3].matches.n);
	CHECK(same_answers(q, g_ref, 3) && same_answers(q + 4, g_ref + 4, NQ - 4), "the rest unchanged");
	free_queries(q, NQ);
	CHECK(db_count("offline.sqlite3", "SELECT count(*) FROM osv_rec WHERE ecosystem = 'npm'") == 6,
	      "npm records after re-index");
	CHECK(db_count("offline.sqlite3", "SELECT count(*) FROM osv_rec WHERE ecosystem = 'PyPI'") == 2,
	      "PyPI records untouched");
	CHECK(db_count("offline.sqlite3", "SELECT count(*) FROM osv_zip") == 2, "two zips");

	/* A corrupt zip: -2, the file named, its queries unknown, nothing
	 * indexed from it; the other ecosystem still answered. */
	mkdirs_for("bad/npm/all.zip");
	fixture_write_file(tpath(p, sizeof p, "bad/npm/all.zip"), "this is not a zip file at all\n");
	zip_at("bad/PyPI/all.zip", NULL);
	struct pv_cache *cb = open_cache("bad.sqlite3");
	struct pv_vulns_opts ob = {.offline_dir = tpath(dir, sizeof dir, "bad"), .cache = cb};
	set_queries(q);
	err[0] = '\0';
	CHECK(pv_vulns_query(q, NQ, &ob, err, sizeof err) == -2, "corrupt -> -2");
	CHECK(strstr(err, "OSV export zip ") == err && strstr(err, p) && strstr(err, "corrupt") &&
	              !strchr(err, '\n'),
	      "err: %s", err);
	CHECK(q[0].status == PV_OSV_UNKNOWN && q[2].status == PV_OSV_UNKNOWN && strstr(q[0].err, p),
	      "npm unknown: %s", q[0].err);
	CHECK(q[1].status == PV_OSV_OK && q[4].status == PV_OSV_OK && q[1].matches.n == 1, "PyPI answered");
	free_queries(q, NQ);
	ident = NULL;
	CHECK(pv_cache_osv_ident(cb, "npm", &ident) == PV_CACHE_MISS, "nothing indexed from it");
	free(ident);
	/* Truncated: the first half of a good zip. */
	zip_at("trunc/npm/all.zip", NULL);
	tpath(p, sizeof p, "trunc/npm/all.zip");
	CHECK(stat(p, &sb) == 0 && truncate(p, sb.st_size / 2) == 0, "truncate");
	ob.offline_dir = tpath(dir, sizeof dir, "trunc");
	set_queries(q);
	CHECK(pv_vulns_query(q, 1, &ob, err, sizeof err) == -2, "truncated -> -2");
	CHECK(strstr(err, p) && strstr(err, "corrupt"), "err: %s", err);
	free_queries(q, 1);
	/* Corrupt after some records were streamed into the transaction (a bad
	 * local header for the last record): rolled back, the index of the
	 * previous zip stays as it was. */
	zip_at("mid/npm/all.zip", NULL);
	ob.offline_dir = tpath(dir, sizeof dir, "mid");
	set_queries(q);
	CHECK(pv_vulns_query(q, 1, &ob, err, sizeof err) == 0, "mid: first zip: %s", err);
	free_queries(q, 1);
	char *ident0 = NULL;
	CHECK(pv_cache_osv_ident(cb, "npm", &ident0) == PV_CACHE_OK, "mid: indexed");
	nanosleep(&pause, NULL);
	zip_at("mid/npm/all.zip", REC_CLEAN_MAL);
	tpath(p, sizeof p, "mid/npm/all.zip");
	FILE *zf = fopen(p, "r+b");
	char zb[8192];
	size_t zn = zf ? fread(zb, 1, sizeof zb, zf) : 0;
	char *hit = zn ? memmem(zb, zn, "EXTRA.json", 10) : NULL;
	CHECK(hit && hit - zb >= 30 && memcmp(hit - 30, "PK\x03\x04", 4) == 0, "local header found");
	if (hit && hit - zb >= 30 && zf) {
		fseek(zf, (long)(hit - 30 - zb), SEEK_SET);
		fwrite("XXXX", 1, 4, zf);
	}
	if (zf)
		fclose(zf);
	set_queries(q);
	CHECK(pv_vulns_query(q, 1, &ob, err, sizeof err) == -2, "mid-stream corrupt -> -2");
	CHECK(strstr(err, p) && strstr(err, "corrupt"), "err: %s", err);
	free_queries(q, 1);
	char *ident1 = NULL;
	CHECK(pv_cache_osv_ident(cb, "npm", &ident1) == PV_CACHE_OK && ident0 && ident1 &&
	              strcmp(ident0, ident1) == 0,
	      "old index kept");
	free(ident0);
	free(ident1);
	CHECK(db_count("bad.sqlite3", "SELECT count(*) FROM osv_rec WHERE ecosystem = 'npm'") == 5,
	      "old rows kept: %lld", db_count("bad.sqlite3", "SELECT count(*) FROM osv_rec WHERE ecosystem = 'npm'"));
	/* Missing: nothing for the ecosystem asked. */
	fixture_mkdirs(g_tmp, "empty");
	ob.offline_dir = tpath(dir, sizeof dir, "empty");
	set_queries(q);
	CHECK(pv_vulns_query(q, NQ, &ob, err, sizeof err) == -2, "missing -> -2");
	CHECK(strstr(err, "/empty/npm/all.zip") && strstr(err, "missing"), "err: %s", err);
	for (size_t i = 0; i < NQ; i++)
		CHECK(q[i].status == PV_OSV_UNKNOWN, "missing q%zu", i);
	free_queries(q, NQ);
	/* ... but a missing zip of an ecosystem not asked is no error. */
	struct pv_osv_query py = {.ecosystem = "PyPI", .name = "twin", .version = "0.5"};
	ob.offline_dir = tpath(dir, sizeof dir, "bad");
	CHECK(pv_vulns_query(&py, 1, &ob, err, sizeof err) == 0 && py.matches.n == 1, "only PyPI asked");
	pv_osv_query_free(&py);
	pv_cache_close(cb);
	pv_cache_close(c);

	/* No cache: loaded in memory once per process. */
	zip_at("nocache/npm/all.zip", NULL);
	zip_at("nocache/PyPI/all.zip", NULL);
	struct pv_vulns_opts on = {.offline_dir = tpath(dir, sizeof dir, "nocache")};
	set_queries(q);
	CHECK(pv_vulns_query(q, NQ, &on, err, sizeof err) == 0, "no cache: %s", err);
	CHECK(same_answers(q, g_ref, NQ), "no-cache answers");
	free_queries(q, NQ);
	ob.cache = NULL;
	ob.offline_dir = tpath(dir, sizeof dir, "bad");
	set_queries(q);
	CHECK(pv_vulns_query(q, NQ, &ob, err, sizeof err) == -2 && strstr(err, "corrupt"), "no cache, corrupt");
	free_queries(q, NQ);
}

/* --------------------------------------------------------------- threads */

struct job {
	const struct pv_vulns_opts *o;
	int ok;
};

static void *worker(void *arg)
{
	struct job *j = arg;
	j->ok = 1;
	for (int round = 0; round < 3; round++) {
		struct pv_osv_query q[NQ];
		char err[512];
		set_queries(q);
		if (pv_vulns_query(q, NQ, j->o, err, sizeof err) != 0 || !same_answers(q, g_ref, NQ))
			j->ok = 0;
		free_queries(q, NQ);
	}
	return NULL;
}

static void run_threads(const struct pv_vulns_opts *o, const char *what)
{
	enum { NT = 8 };
	pthread_t t[NT];
	struct job jobs[NT];
	for (int i = 0; i < NT; i++) {
		jobs[i].o = o;
		jobs[i].ok = 0;
		CHECK(pthread_create(&t[i], NULL, worker, &jobs[i]) == 0, "thread");
	}
	for (int i = 0; i < NT; i++) {
		pthread_join(t[i], NULL);
		CHECK(jobs[i].ok, "%s: thread %d got wrong answers", what, i);
	}
}

static void test_threads_online(void)
{
	struct pv_cache *c = open_cache("threads-online.sqlite3");
	struct pv_vulns_opts o = {.querybatch_url = g_url, .cache = c, .http = &g_http};
	run_threads(&o, "online, shared cache");
	struct pv_vulns_opts on = {.querybatch_url = g_url, .http = &g_http};
	run_threads(&on, "online, no cache");
	pv_cache_close(c);
}

static void test_threads_offline(void)
{
	char dir[512];
	zip_at("toff/npm/all.zip", NULL);
	zip_at("toff/PyPI/all.zip", NULL);
	struct pv_cache *c = open_cache("threads-offline.sqlite3");
	struct pv_vulns_opts o = {.offline_dir = tpath(dir, sizeof dir, "toff"), .cache = c};
	run_threads(&o, "offline, shared cache");
	pv_cache_close(c);
	zip_at("toff2/npm/all.zip", NULL);
	zip_at("toff2/PyPI.zip", NULL);
	char dir2[512];
	struct pv_vulns_opts on = {.offline_dir = tpath(dir2, sizeof dir2, "toff2")};
	run_threads(&on, "offline, no cache");

	/* Two processes indexing one cache at once: both answer correctly. */
	zip_at("proc/npm/all.zip", NULL);
	zip_at("proc/PyPI/all.zip", NULL);
	pid_t kids[2];
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		if (kids[k] == 0) {
			struct pv_cache *cc = open_cache("procs.sqlite3");
			struct pv_vulns_opts op = {.offline_dir = tpath(dir, sizeof dir, "proc"), .cache = cc};
			struct pv_osv_query q[NQ];
			char err[512];
			set_queries(q);
			int good = pv_vulns_query(q, NQ, &op, err, sizeof err) == 0 && same_answers(q, g_ref, NQ);
			free_queries(q, NQ);
			pv_cache_close(cc);
			_exit(good ? 0 : 1);
		}
	}
	for (int k = 0; k < 2; k++) {
		int st = -1;
		CHECK(kids[k] > 0 && waitpid(kids[k], &st, 0) == kids[k] && WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "process %d", k);
	}
	CHECK(db_count("procs.sqlite3", "SELECT count(*) FROM osv_rec") == 7, "one index: %lld",
	      db_count("procs.sqlite3", "SELECT count(*) FROM osv_rec"));
}

/* A cache written by the previous schema (1) gains the offline index tables
 * when opened, keeping its entries. */
static void test_migration(void)
{
	static const char v1[] =
		"CREATE TABLE analysis(id INTEGER PRIMARY KEY, digest TEXT NOT NULL, analyser TEXT NOT NULL,"
		" ecosystem BLOB, name BLOB, version BLOB, format BLOB, files INTEGER NOT NULL,"
		" bytes INTEGER NOT NULL, analysed INTEGER NOT NULL, nfindings INTEGER NOT NULL,"
		" created_at INTEGER NOT NULL, used_at INTEGER NOT NULL, UNIQUE(digest, analyser));"
		"CREATE INDEX analysis_used ON analysis(used_at);"
		"CREATE TABLE finding(analysis_id INTEGER NOT NULL, seq INTEGER NOT NULL, attr BLOB NOT NULL,"
		" file BLOB, line INTEGER NOT NULL, excerpt BLOB, detail BLOB, install_time INTEGER NOT NULL,"
		" count INTEGER NOT NULL, PRIMARY KEY(analysis_id, seq)) WITHOUT ROWID;"
		"CREATE TABLE meta(key TEXT PRIMARY KEY, body BLOB NOT NULL, etag TEXT,"
		" fetched_at INTEGER NOT NULL, size INTEGER NOT NULL);"
		"CREATE INDEX meta_fetched ON meta(fetched_at);"
		"INSERT INTO meta VALUES('k', 'body', NULL, 1, 4);"
		"PRAGMA user_version = 1;";
	char p[512], dir[512], err[512];
	sqlite3 *db = NULL;
	CHECK(sqlite3_open(tpath(p, sizeof p, "v1.sqlite3"), &db) == SQLITE_OK &&
	              sqlite3_exec(db, v1, NULL, NULL, NULL) == SQLITE_OK,
	      "v1 db");
	sqlite3_close(db);
	struct pv_cache *c = open_cache("v1.sqlite3");
	char *body = NULL;
	size_t len = 0;
	CHECK(pv_cache_get_meta(c, "k", 10, &body, &len, NULL, NULL) == PV_CACHE_OK && len == 4, "kept");
	free(body);
	zip_at("mig/npm/all.zip", NULL);
	struct pv_vulns_opts o = {.offline_dir = tpath(dir, sizeof dir, "mig"), .cache = c};
	struct pv_osv_query q = {.ecosystem = "npm", .name = "evil-pkg", .version = "2.0.0"};
	CHECK(pv_vulns_query(&q, 1, &o, err, sizeof err) == 0 && q.matches.n == 1, "migrated: %s", err);
	pv_osv_query_free(&q);
	pv_cache_close(c);
	CHECK(db_count("v1.sqlite3", "PRAGMA user_version") == PV_CACHE_SCHEMA, "schema now %d",
	      PV_CACHE_SCHEMA);
}

int main(void)
{
	snprintf(g_tmp, sizeof g_tmp, "/tmp/pv-test-vulns-XXXXXX");
	if (!mkdtemp(g_tmp)) {
		perror("mkdtemp");
		return 2;
	}
	/* The fixture server's records. */
	fixture_mkdirs(g_tmp, "records");
	for (size_t i = 0; i < NRECS; i++) {
		char rel[64];
		snprintf(rel, sizeof rel, "records/REC-%zu.json", i);
		fixture_put(g_tmp, rel, RECS[i]);
	}
	char recdir[512];
	struct fixture f;
	if (fixture_start(&f, "osv_server.py", tpath(recdir, sizeof recdir, "records")) != 0) {
		fprintf(stderr, "osv_server.py did not start\n");
		return 1;
	}
	g_port = f.port;
	snprintf(g_url, sizeof g_url, "http://127.0.0.1:%d/v1/querybatch", f.port);
	g_http = pv_http_opts_default();
	g_http.connect_timeout_ms = 2000;
	g_http.total_timeout_ms = 5000;

	test_online();
	if (g_ref[0].status == PV_OSV_OK) {
		test_offline();
		test_threads_online();
		test_threads_offline();
	}
	fixture_stop(&f);
	test_stale_down();
	test_migration();
	free_queries(g_ref, NQ);
	pv_vulns_release();

	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", g_tmp);
	return CHECK_DONE();
}
