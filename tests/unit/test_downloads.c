/* Weekly download counts (core/downloads.c) against the all-in-one fixture
 * server (tests/fixtures/registry_server.py): its /downloads routes mimic
 * api.npmjs.org and pypistats.org, and its fault switches make the errors. */
#include "cache.h"
#include "check.h"
#include "downloads.h"
#include "fixture.h"
#include "http.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char g_root[256];
static struct fixture g_fx;
static char g_npm[256], g_pypi[256];

static struct pv_http_opts quick(void)
{
	struct pv_http_opts o = pv_http_opts_default();
	o.connect_timeout_ms = 2000;
	o.total_timeout_ms = 5000;
	o.retries = 1;
	o.backoff_ms = 50;
	return o;
}

/* GET a fixture URL, returning the body (malloc'd, "" on failure). */
static char *fetch_text(const char *path)
{
	char url[1024];
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", g_fx.port, path);
	struct pv_http_req r = {.url = url};
	struct pv_http_opts o = quick();
	pv_http_fetch(&r, &o);
	char *s = strdup(r.result == PV_HTTP_OK ? r.body : "");
	pv_http_req_free(&r);
	if (!s) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	return s;
}

/* How many requests the server logged whose path matches regex. */
static int server_count(const char *regex)
{
	char path[900] = "/_count?match=";
	size_t o = strlen(path);
	for (const unsigned char *p = (const unsigned char *)regex; *p && o + 4 < sizeof path; p++)
		o += (size_t)snprintf(path + o, sizeof path - o, "%%%02X", *p);
	char *s = fetch_text(path);
	int n = *s ? atoi(s) : -1;
	free(s);
	return n;
}

/* Write ROOT/faults.json, or remove it (json NULL): the server re-reads it
 * on every request. */
static void faults(const char *json)
{
	char p[512];
	snprintf(p, sizeof p, "%s/faults.json", g_root);
	if (json)
		fixture_write_file(p, json);
	else
		unlink(p);
}

static long long npm(const char *name, struct pv_cache *c, char *why, size_t wl)
{
	struct pv_http_opts o = quick();
	return pv_downloads_weekly(g_npm, "npm", name, c, &o, why, wl);
}

static long long pypi(const char *name, struct pv_cache *c, char *why, size_t wl)
{
	struct pv_http_opts o = quick();
	return pv_downloads_weekly(g_pypi, "pypi", name, c, &o, why, wl);
}

static void test_counts(void)
{
	char why[256];
	long long n = npm("lodash", NULL, why, sizeof why);
	CHECK(n == 1234 && why[0] == '\0', "%lld %s", n, why);
	CHECK(server_count("^/downloads/npm/point/last-week/lodash$") == 1, "one plain request");

	/* Scoped: the API wants /@scope/name literally, not %40scope%2Fname. */
	n = npm("@types/node", NULL, why, sizeof why);
	CHECK(n == 5678, "%lld %s", n, why);
	CHECK(server_count("^/downloads/npm/point/last-week/@types/node$") == 1, "literal @scope/name");

	/* Other characters are percent-encoded (the server decodes them). */
	n = npm("a b", NULL, why, sizeof why);
	CHECK(n == 3, "%lld %s", n, why);
	CHECK(server_count("^/downloads/npm/point/last-week/a%20b$") == 1, "encoded space");

	/* PyPI: the name is PEP 503-normalised (the fixture matches exactly). */
	n = pypi("My_Pkg", NULL, why, sizeof why);
	CHECK(n == 77, "%lld %s", n, why);
	CHECK(server_count("^/downloads/pypi/api/packages/my-pkg/recent$") == 1, "normalised");
	n = pypi("Zero.Pkg", NULL, why, sizeof why);
	CHECK(n == 0 && why[0] == '\0', "zero is a count: %lld %s", n, why);
	n = pv_downloads_weekly(g_pypi, "PyPI", "my.pkg", NULL, NULL, why, sizeof why);
	CHECK(n == 77, "ecosystem any case, NULL http opts: %lld %s", n, why);
}

static void test_unknown(void)
{
	char why[256];
	long long n = npm("no-such-package", NULL, why, sizeof why);
	CHECK(n == -1 && strstr(why, "404") && strstr(why, "not found"), "%lld %s", n, why);
	n = pypi("no-such-package", NULL, why, sizeof why);
	CHECK(n == -1 && strstr(why, "404"), "%lld %s", n, why);

	/* Counts that are not non-negative integers. */
	const char *bad[] = {"neg", "flt", "str", "nul", "big"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		n = npm(bad[i], NULL, why, sizeof why);
		CHECK(n == -1 && strstr(why, "malformed"), "%s: %lld %s", bad[i], n, why);
	}
	n = pypi("neg-py", NULL, why, sizeof why);
	CHECK(n == -1 && strstr(why, "negative"), "%lld %s", n, why);
	n = pypi("flt-py", NULL, why, sizeof why);
	CHECK(n == -1 && strstr(why, "not an integer"), "%lld %s", n, why);

	/* The npm template against the PyPI-shaped answer and vice versa. */
	char url[256];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/downloads/pypi/api/packages/{name}/recent",
	         g_fx.port);
	n = pv_downloads_weekly(url, "npm", "my-pkg", NULL, NULL, why, sizeof why);
	CHECK(n == -1 && strstr(why, "\"downloads\""), "%lld %s", n, why);
	n = pv_downloads_weekly(g_npm, "pypi", "lodash", NULL, NULL, why, sizeof why);
	CHECK(n == -1 && strstr(why, "data"), "%lld %s", n, why);

	/* Bad arguments: no request at all. */
	int before = server_count("^/downloads/");
	snprintf(url, sizeof url, "http://127.0.0.1:%d/downloads/npm/point/last-week/lodash",
	         g_fx.port);
	n = pv_downloads_weekly(url, "npm", "lodash", NULL, NULL, why, sizeof why);
	CHECK(n == -1 && strstr(why, "{name}"), "%lld %s", n, why);
	n = pypi("not a name!", NULL, why, sizeof why);
	CHECK(n == -1 && strstr(why, "PyPI project name"), "%lld %s", n, why);
	n = pv_downloads_weekly(g_npm, "cargo", "serde", NULL, NULL, why, sizeof why);
	CHECK(n == -1 && strstr(why, "ecosystem"), "%lld %s", n, why);
	n = npm("", NULL, why, sizeof why);
	CHECK(n == -1 && why[0], "%lld %s", n, why);
	n = pv_downloads_weekly(g_npm, "npm", NULL, NULL, NULL, why, sizeof why);
	CHECK(n == -1 && why[0], "%lld %s", n, why);
	CHECK(npm("lodash", NULL, NULL, 0) == 1234, "why may be NULL");
	CHECK(npm("no-such-package", NULL, NULL, 0) == -1, "why may be NULL on failure");
	CHECK(server_count("^/downloads/") == before + 2, "bad arguments make no request");
}

static void test_faults(void)
{
	char why[256];
	long long n;
	faults("[{\"match\": \"/downloads/\", \"fault\": \"500\"}]");
	n = npm("lodash", NULL, why, sizeof why);
	CHECK(n == -1 && strstr(why, "HTTP 500"), "%lld %s", n, why);

	const char *kinds[] = {"malformed", "html", "empty", "truncate", "reset", "wrong-digest"};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		char f[200];
		snprintf(f, sizeof f, "[{\"match\": \"/downloads/\", \"fault\": \"%s\"}]", kinds[i]);
		faults(f);
		n = npm("lodash", NULL, why, sizeof why);
		/* wrong-digest flips the last byte: '}' becomes garbage, so not JSON. */
		CHECK(n == -1 && why[0], "%s: %lld %s", kinds[i], n, why);
	}
	faults("[{\"match\": \"/downloads/\", \"fault\": \"malformed\"}]");
	n = pypi("my-pkg", NULL, why, sizeof why);
	CHECK(n == -1 && strstr(why, "malformed"), "%lld %s", n, why);

	/* A server that never answers: bounded by the HTTP timeout. The service
	 * (its template) is then not asked again in this run; it is a template
	 * of its own so that the other tests keep theirs. */
	faults("[{\"match\": \"slow=\", \"fault\": \"timeout\"}]");
	char slow[300];
	snprintf(slow, sizeof slow, "%s?slow=1", g_npm);
	struct pv_http_opts o = quick();
	o.total_timeout_ms = 500;
	o.retries = 0;
	int asked = server_count("slow=");
	double t0 = fixture_mono();
	n = pv_downloads_weekly(slow, "npm", "lodash", NULL, &o, why, sizeof why);
	double el = fixture_mono() - t0;
	CHECK(n == -1 && strstr(why, "timeout"), "%lld %s", n, why);
	CHECK(el < 3, "bounded: %.1f s", el);
	t0 = fixture_mono();
	n = pv_downloads_weekly(slow, "npm", "express", NULL, &o, why, sizeof why);
	el = fixture_mono() - t0;
	CHECK(n == -1 && strstr(why, "not asked again"), "a dead service is not asked again: %lld %s", n, why);
	CHECK(el < 0.2 && server_count("slow=") == asked + 1, "no second wait: %.2f s", el);
	/* A 500 for one package does not stop the service being asked. */
	faults("[{\"match\": \"/downloads/\", \"fault\": \"500\", \"times\": 1}]");
	n = npm("lodash", NULL, why, sizeof why);
	CHECK(n == -1 && strstr(why, "HTTP 500"), "%lld %s", n, why);
	n = npm("lodash", NULL, why, sizeof why);
	CHECK(n == 1234, "asked again after a 500: %lld %s", n, why);

	/* 429 with Retry-After: 1 once, then the real answer (the HTTP layer retries). */
	faults("[{\"match\": \"/downloads/\", \"fault\": \"429\", \"times\": 1}]");
	n = npm("lodash", NULL, why, sizeof why);
	CHECK(n == 1234, "after 429: %lld %s", n, why);
	faults(NULL);
}

static void test_cache(void)
{
	char path[400], why[256];
	snprintf(path, sizeof path, "%s/cache.sqlite3", g_root);
	struct pv_cache *c = NULL;
	char *cerr = NULL;
	CHECK(pv_cache_open(path, &c, &cerr) == PV_CACHE_OK, "%s", cerr ? cerr : "");
	free(cerr);
	if (!c)
		return;

	const char *rx = "^/downloads/npm/point/last-week/@types/node$";
	int base = server_count(rx);
	long long n = npm("@types/node", c, why, sizeof why);
	CHECK(n == 5678, "%lld %s", n, why);
	CHECK(server_count(rx) == base + 1, "first call asks");
	n = npm("@types/node", c, why, sizeof why);
	CHECK(n == 5678 && why[0] == '\0', "%lld %s", n, why);
	CHECK(server_count(rx) == base + 1, "second call from the cache");

	/* The key is documented: other code may look at it. */
	char *body = NULL;
	size_t len = 0;
	bool fresh = false;
	CHECK(pv_cache_get_meta(c, "downloads:npm:@types/node", PV_DOWNLOADS_TTL_S, &body, &len, NULL,
	                        &fresh) == PV_CACHE_OK && fresh && body && strcmp(body, "5678") == 0,
	      "cache entry %s", body ? body : "(none)");
	free(body);
	body = NULL;

	/* PyPI cached under the normalised name: another spelling hits it. */
	n = pypi("My_Pkg", c, why, sizeof why);
	CHECK(n == 77, "%lld %s", n, why);
	int pb = server_count("^/downloads/pypi/");
	n = pypi("my.pkg", c, why, sizeof why);
	CHECK(n == 77 && server_count("^/downloads/pypi/") == pb, "%lld %s", n, why);

	/* After the TTL the count is fetched again. */
	pv_cache_set_now(c, (int64_t)time(NULL) + PV_DOWNLOADS_TTL_S + 60);
	n = npm("@types/node", c, why, sizeof why);
	CHECK(n == 5678 && server_count(rx) == base + 2, "stale entry refetched: %lld", n);
	pv_cache_set_now(c, 0);

	/* Failures are not cached: a 500 once, then the next call asks again. */
	const char *lrx = "^/downloads/npm/point/last-week/lodash$";
	faults("[{\"match\": \"lodash\", \"fault\": \"500\", \"times\": 1}]");
	int lb = server_count(lrx);
	n = npm("lodash", c, why, sizeof why);
	CHECK(n == -1 && strstr(why, "500"), "%lld %s", n, why);
	CHECK(pv_cache_get_meta(c, "downloads:npm:lodash", PV_DOWNLOADS_TTL_S, &body, &len, NULL,
	                        NULL) == PV_CACHE_MISS, "failure not cached");
	free(body);
	body = NULL;
	n = npm("lodash", c, why, sizeof why);
	CHECK(n == 1234 && server_count(lrx) == lb + 2, "asked again: %lld %s", n, why);
	faults(NULL);

	/* Not found is not cached either (it is unknown, not zero). */
	n = npm("no-such-package", c, why, sizeof why);
	CHECK(n == -1, "%lld", n);
	CHECK(pv_cache_get_meta(c, "downloads:npm:no-such-package", PV_DOWNLOADS_TTL_S, &body, &len,
	                        NULL, NULL) == PV_CACHE_MISS, "404 not cached");
	free(body);
	body = NULL;

	/* A damaged entry is not trusted: fetched again and replaced. */
	CHECK(pv_cache_put_meta(c, "downloads:npm:a b", "-7", 2, NULL) == PV_CACHE_OK, "put");
	n = npm("a b", c, why, sizeof why);
	CHECK(n == 3, "damaged entry ignored: %lld %s", n, why);
	pv_cache_close(c);
}

struct worker {
	struct pv_cache *cache;
	long long got;
};

static void *worker(void *arg)
{
	struct worker *w = arg;
	char why[256];
	struct pv_http_opts o = quick();
	w->got = pv_downloads_weekly(g_pypi, "pypi", "zero-pkg", w->cache, &o, why, sizeof why) == 0
	                 ? pv_downloads_weekly(g_npm, "npm", "@types/node", w->cache, &o, why,
	                                       sizeof why)
	                 : -2;
	return NULL;
}

static void test_threads(void)
{
	char path[400];
	snprintf(path, sizeof path, "%s/cache-threads.sqlite3", g_root);
	struct pv_cache *c = NULL;
	CHECK(pv_cache_open(path, &c, NULL) == PV_CACHE_OK, "open");
	if (!c)
		return;
	struct worker w[8];
	pthread_t t[8];
	size_t started = 0;
	for (size_t i = 0; i < 8; i++) {
		w[i] = (struct worker){.cache = c, .got = -3};
		if (pthread_create(&t[i], NULL, worker, &w[i]) != 0)
			break;
		started++;
	}
	CHECK(started == 8, "threads started: %zu", started);
	for (size_t i = 0; i < started; i++) {
		pthread_join(t[i], NULL);
		CHECK(w[i].got == 5678, "thread %zu: %lld", i, w[i].got);
	}
	pv_cache_close(c);
}

int main(void)
{
	snprintf(g_root, sizeof g_root, "/tmp/pv-downloads-XXXXXX");
	if (!mkdtemp(g_root)) {
		perror("mkdtemp");
		return 2;
	}
	fixture_put(g_root, "downloads.json",
	            "{\"npm\": {\"lodash\": 1234, \"@types/node\": 5678, \"a b\": 3,"
	            " \"neg\": -5, \"flt\": 1.5, \"str\": \"12\", \"nul\": null,"
	            " \"big\": 99999999999999999999999},"
	            " \"pypi\": {\"my-pkg\": 77, \"zero-pkg\": 0, \"neg-py\": -1, \"flt-py\": 2.0}}\n");
	if (fixture_start(&g_fx, "registry_server.py", g_root) != 0) {
		fprintf(stderr, "registry_server.py did not start\n");
		return 1;
	}
	snprintf(g_npm, sizeof g_npm, "http://127.0.0.1:%d/downloads/npm/point/last-week/{name}",
	         g_fx.port);
	snprintf(g_pypi, sizeof g_pypi, "http://127.0.0.1:%d/downloads/pypi/api/packages/{name}/recent",
	         g_fx.port);
	test_counts();
	test_unknown();
	test_faults();
	test_cache();
	test_threads();

	/* Nothing listening: unreachable, quickly. */
	int port = g_fx.port;
	fixture_stop(&g_fx);
	char why[256];
	struct pv_http_opts o = quick();
	double t0 = fixture_mono();
	long long n = pv_downloads_weekly(g_npm, "npm", "lodash", NULL, &o, why, sizeof why);
	CHECK(n == -1 && why[0], "port %d closed: %lld %s", port, n, why);
	CHECK(fixture_mono() - t0 < 5, "bounded");

	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", g_root);
	return CHECK_DONE();
}
