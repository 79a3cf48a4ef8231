/* The PyPI client and pip configuration, against a local fixture index
 * (tests/fixtures/pypi_index.py). */
#include "cache.h"
#include "check.h"
#include "fixture.h"
#include "http.h"
#include "pipconf.h"
#include "registry_pypi.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char g_root[256];
static struct fixture g_fx;
#define g_port (g_fx.port)
#define mono fixture_mono
#define write_file fixture_write_file

static void mkdirs(const char *rel)
{
	fixture_mkdirs(g_root, rel);
}

static void put(const char *rel, const char *text)
{
	fixture_put(g_root, rel, text);
}

static int start_index(void)
{
	return fixture_start(&g_fx, "pypi_index.py", g_root);
}

static void stop_index(void)
{
	fixture_stop(&g_fx);
}

static struct pv_http_opts quick(void)
{
	struct pv_http_opts o = pv_http_opts_default();
	o.connect_timeout_ms = 2000;
	o.total_timeout_ms = 5000;
	o.retries = 1;
	o.backoff_ms = 50;
	return o;
}

static char *server_log(void)
{
	char url[128];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/_log", g_port);
	struct pv_http_req r = {.url = url};
	struct pv_http_opts o = quick();
	pv_http_fetch(&r, &o);
	char *s = r.result == PV_HTTP_OK ? strdup(r.body) : strdup("");
	pv_http_req_free(&r);
	return s;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* ---------------- pip configuration ---------------- */

static void test_pipconf(void)
{
	char home[300], xdg[300], venv[300], global[300], err[256];
	mkdirs("conf/home/.pip");
	mkdirs("conf/xdg/pip");
	mkdirs("conf/venv");
	snprintf(home, sizeof home, "%s/conf/home", g_root);
	snprintf(xdg, sizeof xdg, "%s/conf/xdg", g_root);
	snprintf(venv, sizeof venv, "%s/conf/venv", g_root);
	snprintf(global, sizeof global, "%s/conf/global.conf", g_root);
	put("conf/global.conf", "[global]\nindex-url = https://global.example/simple\n"
	                        "extra-index-url = https://gx.example/simple/\n");
	setenv("HOME", home, 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("VIRTUAL_ENV");
	unsetenv("PIP_INDEX_URL");
	unsetenv("PIP_EXTRA_INDEX_URL");

	struct pv_pipconf cfg;
	CHECK(pv_pipconf_load(&cfg, "/nonexistent/pip.conf", err, sizeof err) == 0, "%s", err);
	CHECK(strcmp(cfg.index_url, PV_PIPCONF_DEFAULT_INDEX) == 0, "default: %s", cfg.index_url);
	CHECK(strcmp(cfg.index_source, "default") == 0, "source %s", cfg.index_source);
	pv_pipconf_free(&cfg);

	put("conf/home/.pip/pip.conf", "[global]\nindex-url = https://legacy.example/simple/\n");
	CHECK(pv_pipconf_load(&cfg, global, err, sizeof err) == 0, "%s", err);
	CHECK(strcmp(cfg.index_url, "https://legacy.example/simple/") == 0, "user beats global: %s", cfg.index_url);
	CHECK(cfg.nextra == 1 && strcmp(cfg.extra[0], "https://gx.example/simple/") == 0, "extra kept");
	pv_pipconf_free(&cfg);

	/* ~/.config/pip/pip.conf (default XDG) beats ~/.pip/pip.conf */
	mkdirs("conf/home/.config/pip");
	put("conf/home/.config/pip/pip.conf", "# c\n[install]\nindex_url: https://cfg-install.example/simple\n"
	                                      "[global]\nindex-url = https://cfg-global.example/simple\n");
	CHECK(pv_pipconf_load(&cfg, global, err, sizeof err) == 0, "%s", err);
	CHECK(strcmp(cfg.index_url, "https://cfg-install.example/simple/") == 0, "[install] wins: %s",
	      cfg.index_url);
	pv_pipconf_free(&cfg);

	/* $XDG_CONFIG_HOME replaces ~/.config */
	put("conf/xdg/pip/pip.conf", "[global]\nindex-url = https://xdg.example/simple/\n"
	                             "extra-index-url =\n    https://e1.example/simple\n    https://e2.example/simple/\n");
	setenv("XDG_CONFIG_HOME", xdg, 1);
	CHECK(pv_pipconf_load(&cfg, global, err, sizeof err) == 0, "%s", err);
	CHECK(strcmp(cfg.index_url, "https://xdg.example/simple/") == 0, "xdg: %s", cfg.index_url);
	CHECK(cfg.nextra == 2 && strcmp(cfg.extra[0], "https://e1.example/simple/") == 0 &&
	          strcmp(cfg.extra[1], "https://e2.example/simple/") == 0,
	      "continuation lines: %zu", cfg.nextra);
	pv_pipconf_free(&cfg);

	/* venv beats user */
	put("conf/venv/pip.conf", "[global]\nindex-url = https://venv.example/simple/\n");
	setenv("VIRTUAL_ENV", venv, 1);
	CHECK(pv_pipconf_load(&cfg, global, err, sizeof err) == 0, "%s", err);
	CHECK(strcmp(cfg.index_url, "https://venv.example/simple/") == 0, "venv: %s", cfg.index_url);
	CHECK(strstr(cfg.index_source, "venv/pip.conf") != NULL, "source %s", cfg.index_source);
	pv_pipconf_free(&cfg);

	/* environment beats every file; override beats environment */
	setenv("PIP_INDEX_URL", "https://env.example/simple", 1);
	setenv("PIP_EXTRA_INDEX_URL", "https://x1.example/ https://x2.example/", 1);
	CHECK(pv_pipconf_load(&cfg, global, err, sizeof err) == 0, "%s", err);
	CHECK(strcmp(cfg.index_url, "https://env.example/simple/") == 0, "env: %s", cfg.index_url);
	CHECK(strcmp(cfg.index_source, "PIP_INDEX_URL") == 0, "source %s", cfg.index_source);
	CHECK(cfg.nextra == 2 && strcmp(cfg.extra[1], "https://x2.example/") == 0, "env extra");
	CHECK(pv_pipconf_set_index(&cfg, "https://flag.example/simple/") == 0, "set");
	CHECK(strcmp(cfg.index_url, "https://flag.example/simple/") == 0, "override: %s", cfg.index_url);
	CHECK(pv_pipconf_set_index(&cfg, "") == -1, "empty override refused");
	pv_pipconf_free(&cfg);
	unsetenv("PIP_INDEX_URL");
	unsetenv("PIP_EXTRA_INDEX_URL");
	unsetenv("VIRTUAL_ENV");
	unsetenv("XDG_CONFIG_HOME");

	/* JSON API base */
	char *b = pv_pipconf_json_base("https://pypi.org/simple/");
	CHECK(b && strcmp(b, "https://pypi.org/") == 0, "pypi base: %s", b ? b : "NULL");
	free(b);
	b = pv_pipconf_json_base("http://127.0.0.1:9/mirror/simple");
	CHECK(b && strcmp(b, "http://127.0.0.1:9/mirror/") == 0, "mirror base: %s", b ? b : "NULL");
	free(b);
	b = pv_pipconf_json_base("https://example.org/artifactory/api/pypi/repo/");
	CHECK(b == NULL, "not PyPI-like");
	free(b);
	b = pv_pipconf_json_base("https://example.org/notsimple/");
	CHECK(b == NULL, "suffix must be a path segment");
	free(b);
}

static void test_filenames(void)
{
	enum pv_pypi_kind k;
	char *v = pv_pypi_filename_version("python-dateutil-2.8.2.tar.gz", "python-dateutil", &k);
	CHECK(v && strcmp(v, "2.8.2") == 0 && k == PV_PYPI_SDIST, "sdist with dash: %s", v ? v : "NULL");
	free(v);
	v = pv_pypi_filename_version("Foo_Bar-1.0rc1-py3-none-any.whl", "foo-bar", &k);
	CHECK(v && strcmp(v, "1.0rc1") == 0 && k == PV_PYPI_WHEEL, "wheel: %s", v ? v : "NULL");
	free(v);
	v = pv_pypi_filename_version("other-1.0.tar.gz", "foo-bar", &k);
	CHECK(v == NULL && k == PV_PYPI_OTHER, "other project");
	free(v);
	v = pv_pypi_filename_version("foo-bar-1.0.exe", "foo-bar", &k);
	CHECK(v == NULL, "unknown extension");
	free(v);
}

/* ---------------- against the fixture ---------------- */

static char g_index[128];

static void write_dists(void)
{
	mkdirs("files/Foo_Bar");
	const char *f[] = {"foo_bar-1.0.tar.gz", "foo_bar-1.0-py3-none-any.whl", "foo_bar-1.2.tar.gz",
	                   "foo_bar-1.2-py3-none-any.whl", "foo_bar-1.2-cp312-cp312-manylinux_2_17_x86_64.whl",
	                   "foo_bar-2.0.tar.gz", "foo_bar-2.1.tar.gz", "foo_bar-2.5.tar.gz",
	                   "foo_bar-3.0b1.tar.gz", "foo_bar-4.2.tar.gz", "foo_bar-4.9.tar.gz",
	                   "foo_bar-5.0.tar.gz"};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		char rel[200], body[200];
		snprintf(rel, sizeof rel, "files/Foo_Bar/%s", f[i]);
		snprintf(body, sizeof body, "contents of %s\n", f[i]);
		put(rel, body);
	}
}

static void test_project(const struct pv_pypi_client *cl)
{
	struct pv_pypi_project p = {0};
	char err[512];
	/* name normalisation: "Foo.Bar" -> /pypi/foo-bar/json */
	int rc = pv_pypi_fetch_project(cl, "Foo.Bar", &p, err, sizeof err);
	CHECK(rc == PV_PYPI_OK, "%s: %s", pv_pypi_rc_name((enum pv_pypi_rc)rc), err);
	if (rc != PV_PYPI_OK)
		return;
	CHECK(strcmp(p.name, "foo-bar") == 0 && !p.from_simple && p.info, "json api %s", p.name);
	CHECK(p.nreleases == 9, "releases %zu", p.nreleases);
	char *log = server_log();
	CHECK(strstr(log, "/pypi/foo-bar/json") != NULL, "normalised url: %s", log);
	free(log);

	const struct pv_pypi_release *r;
	struct {
		const char *spec;
		bool pre;
		const char *want;
	} cases[] = {
		{"", false, "4.9"},           /* 5.0 yanked, 3.0b1 prerelease */
		{"==1.2", false, "1.2"},
		{">=4,<5", false, "4.9"},
		{"~=2.1", false, "2.5"},
		{"~=2.1.0", false, "2.1"},
		{">=3.0b1,<4", false, "3.0b1"}, /* names a prerelease */
		{">2.5,<4", false, NULL},       /* only 3.0b1: not allowed */
		{">2.5,<4", true, "3.0b1"},     /* --pre */
		{"==5.0", false, "5.0"},        /* yanked, but pinned */
		{">=5", false, NULL},           /* yanked, not pinned */
		{"==9", false, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rc = pv_pypi_resolve(&p, cases[i].spec, cases[i].pre, &r, err, sizeof err);
		if (cases[i].want)
			CHECK(rc == PV_PYPI_OK && strcmp(r->version, cases[i].want) == 0, "%s -> %s (%s)", cases[i].spec,
			      rc == PV_PYPI_OK ? r->version : "none", err);
		else
			CHECK(rc == PV_PYPI_NO_MATCH && strstr(err, "foo-bar") != NULL, "%s: %d %s", cases[i].spec, rc, err);
	}
	CHECK(pv_pypi_resolve(&p, ">>1", false, &r, err, sizeof err) == PV_PYPI_INVALID, "bad spec: %s", err);

	/* file selection */
	CHECK(pv_pypi_resolve(&p, "==1.2", false, &r, err, sizeof err) == PV_PYPI_OK, "%s", err);
	size_t *idx = NULL, n = 0;
	rc = pv_pypi_select_files(&p, r, NULL, &idx, &n, err, sizeof err);
	CHECK(rc == PV_PYPI_OK && n == 3, "all files: %zu", n);
	if (rc == PV_PYPI_OK && n == 3) {
		CHECK(r->files[idx[0]].kind == PV_PYPI_SDIST, "sdist first: %s", r->files[idx[0]].filename);
		CHECK(r->files[idx[1]].kind == PV_PYPI_WHEEL && r->files[idx[2]].kind == PV_PYPI_WHEEL, "wheels");
	}
	free(idx);
	rc = pv_pypi_select_files(&p, r, "foo_bar-1.2-py3-none-any.whl", &idx, &n, err, sizeof err);
	CHECK(rc == PV_PYPI_OK && n == 1 && strcmp(r->files[idx[0]].filename, "foo_bar-1.2-py3-none-any.whl") == 0,
	      "named file");
	free(idx);
	rc = pv_pypi_select_files(&p, r, "nope.whl", &idx, &n, err, sizeof err);
	CHECK(rc == PV_PYPI_NO_MATCH && strstr(err, "nope.whl"), "%s", err);

	/* download + sha256 */
	for (size_t i = 0; i < r->nfiles; i++) {
		unsigned char *data = NULL;
		size_t len = 0;
		rc = pv_pypi_fetch_file(cl, &p, &r->files[i], &data, &len, err, sizeof err);
		CHECK(rc == PV_PYPI_OK && len > 0 && memcmp(data, "contents of ", 12) == 0, "%s: %s",
		      r->files[i].filename, err);
		free(data);
	}
	put("config.json", "{\"tampered\": [\"foo_bar-1.2.tar.gz\"], \"yanked\": {\"foo-bar\": {\"5.0\": \"broken\"}}}");
	for (size_t i = 0; i < r->nfiles; i++) {
		unsigned char *data = NULL;
		size_t len = 0;
		rc = pv_pypi_fetch_file(cl, &p, &r->files[i], &data, &len, err, sizeof err);
		if (strcmp(r->files[i].filename, "foo_bar-1.2.tar.gz") == 0)
			CHECK(rc == PV_PYPI_DIGEST && data == NULL && strstr(err, "foo_bar-1.2.tar.gz") &&
			          strstr(err, "mismatch"),
			      "tampered: %d %s", rc, err);
		else
			CHECK(rc == PV_PYPI_OK, "%s", err);
		free(data);
	}
	put("config.json", "{\"yanked\": {\"foo-bar\": {\"5.0\": \"broken\"}}}");

	json_object *doc = NULL;
	rc = pv_pypi_fetch_version_doc(cl, "FOO_bar", "1.2", &doc, err, sizeof err);
	CHECK(rc == PV_PYPI_OK, "version doc: %s", err);
	json_object *info, *ver;
	CHECK(doc && json_object_object_get_ex(doc, "info", &info) && json_object_object_get_ex(info, "version", &ver) &&
	          strcmp(json_object_get_string(ver), "1.2") == 0,
	      "version doc content");
	if (doc)
		json_object_put(doc);
	CHECK(pv_pypi_fetch_version_doc(cl, "foo-bar", "7.7", &doc, err, sizeof err) == PV_PYPI_NOT_FOUND, "%s", err);
	pv_pypi_project_free(&p);

	rc = pv_pypi_fetch_project(cl, "no-such-project", &p, err, sizeof err);
	CHECK(rc == PV_PYPI_NOT_FOUND && strstr(err, "no-such-project"), "%d %s", rc, err);
	rc = pv_pypi_fetch_project(cl, "bad name!", &p, err, sizeof err);
	CHECK(rc == PV_PYPI_INVALID, "%d %s", rc, err);
}

static void test_simple_fallback(const struct pv_pypi_client *cl)
{
	put("config.json", "{\"no_json_api\": true, \"yanked\": {\"foo-bar\": {\"5.0\": \"broken\"}}}");
	struct pv_pypi_project p = {0};
	char err[512];
	int rc = pv_pypi_fetch_project(cl, "FOO-BAR", &p, err, sizeof err);
	CHECK(rc == PV_PYPI_OK, "%s", err);
	if (rc != PV_PYPI_OK)
		return;
	CHECK(p.from_simple && p.info == NULL && p.nreleases == 9, "simple: %zu", p.nreleases);
	char *log = server_log();
	CHECK(strstr(log, "\"/simple/foo-bar/\"") && strstr(log, PV_PYPI_SIMPLE_ACCEPT), "simple request: %s", log);
	free(log);
	const struct pv_pypi_release *r;
	CHECK(pv_pypi_resolve(&p, "", false, &r, err, sizeof err) == PV_PYPI_OK && strcmp(r->version, "4.9") == 0,
	      "latest skips yanked: %s", err);
	CHECK(pv_pypi_resolve(&p, "==5.0", false, &r, err, sizeof err) == PV_PYPI_OK && r->yanked &&
	          r->files[0].yanked_reason && strcmp(r->files[0].yanked_reason, "broken") == 0,
	      "pinned yanked");
	CHECK(pv_pypi_resolve(&p, "==1.2", false, &r, err, sizeof err) == PV_PYPI_OK && r->nfiles == 3, "1.2");
	for (size_t i = 0; i < r->nfiles; i++) {
		unsigned char *data = NULL;
		size_t len = 0;
		CHECK(r->files[i].sha256 != NULL, "hash from simple");
		rc = pv_pypi_fetch_file(cl, &p, &r->files[i], &data, &len, err, sizeof err);
		CHECK(rc == PV_PYPI_OK, "%s", err);
		free(data);
	}
	pv_pypi_project_free(&p);
	put("config.json", "{}");
}

static void test_cache(const struct pv_pypi_client *base)
{
	char path[400];
	snprintf(path, sizeof path, "%s/cache.sqlite3", g_root);
	struct pv_cache *cache = NULL;
	char *cerr = NULL;
	CHECK(pv_cache_open(path, &cache, &cerr) == PV_CACHE_OK, "%s", cerr ? cerr : "");
	free(cerr);
	if (!cache)
		return;
	struct pv_pypi_client cl = *base;
	cl.cache = cache;
	cl.ttl_s = 60;
	struct pv_pypi_project p = {0};
	char err[512];
	CHECK(pv_pypi_fetch_project(&cl, "foo-bar", &p, err, sizeof err) == PV_PYPI_OK && !p.from_cache, "%s", err);
	pv_pypi_project_free(&p);
	CHECK(pv_pypi_fetch_project(&cl, "foo-bar", &p, err, sizeof err) == PV_PYPI_OK && p.from_cache,
	      "fresh hit: %s", err);
	pv_pypi_project_free(&p);
	pv_cache_set_now(cache, (int64_t)time(NULL) + 3600);
	char *log0 = server_log();
	CHECK(pv_pypi_fetch_project(&cl, "foo-bar", &p, err, sizeof err) == PV_PYPI_OK && p.revalidated &&
	          p.nreleases == 9,
	      "revalidated: %s", err);
	pv_pypi_project_free(&p);
	char *log1 = server_log();
	CHECK(count(log1, "\"status\": 304") == count(log0, "\"status\": 304") + 1, "one 304");
	free(log0);
	free(log1);
	pv_cache_close(cache);
}

static void test_unreachable(void)
{
	struct pv_http_opts o = quick();
	char idx[128];
	snprintf(idx, sizeof idx, "http://127.0.0.1:%d/simple/", g_port); /* the server is stopped */
	struct pv_pypi_client cl = {.index_url = idx, .http = &o};
	struct pv_pypi_project p = {0};
	char err[512];
	double t0 = mono();
	int rc = pv_pypi_fetch_project(&cl, "foo-bar", &p, err, sizeof err);
	double dt = mono() - t0;
	CHECK(rc == PV_PYPI_UNREACHABLE && strstr(err, "unreachable"), "%d %s", rc, err);
	CHECK(dt < 3.0, "quick: %.2fs", dt);
}

int main(void)
{
	snprintf(g_root, sizeof g_root, "/tmp/pv-pypi-XXXXXX");
	if (!mkdtemp(g_root)) {
		perror("mkdtemp");
		return 2;
	}
	test_pipconf();
	test_filenames();
	write_dists();
	put("config.json", "{\"yanked\": {\"foo-bar\": {\"5.0\": \"broken\"}}}");
	if (start_index() != 0) {
		fprintf(stderr, "fixture index did not start\n");
		return 1;
	}
	snprintf(g_index, sizeof g_index, "http://127.0.0.1:%d/simple/", g_port);
	struct pv_http_opts o = quick();
	struct pv_pipconf cfg;
	CHECK(pv_pipconf_init_default(&cfg) == 0, "init");
	CHECK(pv_pipconf_set_index(&cfg, g_index) == 0, "set");
	struct pv_pypi_client cl = {.cfg = &cfg, .http = &o};
	CHECK(strcmp(pv_pypi_index(&cl), g_index) == 0, "index from cfg");
	test_project(&cl);
	test_simple_fallback(&cl);
	test_cache(&cl);
	stop_index();
	test_unreachable();
	pv_pipconf_free(&cfg);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", g_root);
	return CHECK_DONE();
}
