/* The npm registry client and .npmrc handling, against a local fixture
 * registry (tests/fixtures/npm_registry.py). */
#include "cache.h"
#include "check.h"
#include "fixture.h"
#include "http.h"
#include "npmrc.h"
#include "registry_npm.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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

static int start_registry(void)
{
	return fixture_start(&g_fx, "npm_registry.py", g_root);
}

static void stop_registry(void)
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

static char g_reg[128];

static const char *reg(const char *host)
{
	snprintf(g_reg, sizeof g_reg, "http://%s:%d/", host, g_port);
	return g_reg;
}

/* The fixture's request log as text (compared with strstr). */
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

/* ---------------- .npmrc ---------------- */

static void test_npmrc(void)
{
	char dir[300], proj[300], user[300], global[300];
	snprintf(dir, sizeof dir, "%s/rc", g_root);
	snprintf(proj, sizeof proj, "%s/rc/proj", g_root);
	mkdirs("rc/proj");
	snprintf(user, sizeof user, "%s/rc/userrc", g_root);
	snprintf(global, sizeof global, "%s/rc/globalrc", g_root);
	write_file(global, "registry=https://global.example/\n"
	                   "@g:registry=https://g.example/npm\n"
	                   "@p:registry=https://global-p.example/\n"
	                   "//global.example/:_authToken=GLOBALTOK\n");
	write_file(user, "; user config\n"
	                 "# comment\n"
	                 "registry = \"https://user.example/\"\n"
	                 "@p:registry=https://user-p.example/\n"
	                 "//user-p.example/:_authToken=${PV_TEST_TOKEN}\n"
	                 "//unset.example/:_authToken=${PV_TEST_UNSET}\n"
	                 "//opt.example/:_authToken=${PV_TEST_UNSET?}\n"
	                 "//esc.example/:_authToken=\\${PV_TEST_TOKEN}\n"
	                 "[section]\n"
	                 "always-auth=true\n");
	char projrc[330];
	snprintf(projrc, sizeof projrc, "%s/.npmrc", proj);
	write_file(projrc, "@p:registry=https://proj-p.example/path/\n"
	                   "//proj-p.example/path/:_authToken=PROJTOK\n"
	                   "//proj-p.example/:_authToken=HOSTTOK\n"
	                   "//Port.Example:8443/:_authToken=PORTTOK\n");
	setenv("PV_TEST_TOKEN", "envtok-123", 1);
	unsetenv("PV_TEST_UNSET");
	setenv("NPM_CONFIG_USERCONFIG", user, 1);
	unsetenv("npm_config_userconfig");
	unsetenv("NPM_CONFIG_REGISTRY");
	unsetenv("npm_config_registry");

	struct pv_npmrc cfg;
	char err[256];
	CHECK(pv_npmrc_load(&cfg, proj, global, err, sizeof err) == 0, "%s", err);
	CHECK(strcmp(cfg.registry, "https://user.example/") == 0, "user beats global: %s", cfg.registry);
	CHECK(strcmp(pv_npmrc_registry_for(&cfg, "lodash"), "https://user.example/") == 0, "plain");
	CHECK(strcmp(pv_npmrc_registry_for(&cfg, "@g/x"), "https://g.example/npm/") == 0, "%s",
	      pv_npmrc_registry_for(&cfg, "@g/x"));
	CHECK(strcmp(pv_npmrc_registry_for(&cfg, "@p/x"), "https://proj-p.example/path/") == 0,
	      "project beats user: %s", pv_npmrc_registry_for(&cfg, "@p/x"));
	CHECK(strcmp(pv_npmrc_registry_for(&cfg, "@other/x"), "https://user.example/") == 0, "other scope");
	CHECK(strcmp(pv_npmrc_registry_for(&cfg, "@gg/x"), "https://user.example/") == 0, "scope prefix");
	CHECK(cfg.always_auth, "always-auth");

	char *a;
	a = pv_npmrc_auth_for(&cfg, "https://user-p.example/@p%2fx");
	CHECK(a && strcmp(a, "Authorization: Bearer envtok-123") == 0, "${ENV}: %s", a ? a : "NULL");
	free(a);
	a = pv_npmrc_auth_for(&cfg, "https://proj-p.example/path/@p%2fx");
	CHECK(a && strcmp(a, "Authorization: Bearer PROJTOK") == 0, "longest prefix: %s", a ? a : "NULL");
	free(a);
	a = pv_npmrc_auth_for(&cfg, "https://proj-p.example/other/x.tgz");
	CHECK(a && strcmp(a, "Authorization: Bearer HOSTTOK") == 0, "host token: %s", a ? a : "NULL");
	free(a);
	a = pv_npmrc_auth_for(&cfg, "https://proj-p.example/pathology/x");
	CHECK(a && strcmp(a, "Authorization: Bearer HOSTTOK") == 0, "path boundary: %s", a ? a : "NULL");
	free(a);
	a = pv_npmrc_auth_for(&cfg, "https://PORT.example:8443/x");
	CHECK(a && strcmp(a, "Authorization: Bearer PORTTOK") == 0, "host case/port: %s", a ? a : "NULL");
	free(a);
	const char *never[] = {
		"https://port.example/x",            /* other port */
		"https://port.example:84430/x",      /* other port, same prefix */
		"https://user-p.example.evil.com/x", /* other host with the name as prefix */
		"https://evil.com/user-p.example/x",
		"https://proj-p.example@evil.com/x",  /* userinfo trick */
		"https://registry.npmjs.org/lodash",
		"ftp://proj-p.example/x",
		"https://opt.example/x", /* ${VAR?} unset: empty token, not sent */
	};
	for (size_t i = 0; i < sizeof never / sizeof never[0]; i++) {
		a = pv_npmrc_auth_for(&cfg, never[i]);
		CHECK(a == NULL, "no token for %s (got %s)", never[i], a);
		free(a);
	}
	a = pv_npmrc_auth_for(&cfg, "https://unset.example/x");
	CHECK(a && strcmp(a, "Authorization: Bearer ${PV_TEST_UNSET}") == 0, "unset env left as is: %s",
	      a ? a : "NULL");
	free(a);
	a = pv_npmrc_auth_for(&cfg, "https://esc.example/x");
	CHECK(a && strcmp(a, "Authorization: Bearer ${PV_TEST_TOKEN}") == 0, "escaped: %s", a ? a : "NULL");
	free(a);
	a = pv_npmrc_auth_for(&cfg, "https://global.example/x");
	CHECK(a && strcmp(a, "Authorization: Bearer GLOBALTOK") == 0, "global token kept: %s", a ? a : "NULL");
	free(a);
	pv_npmrc_free(&cfg);

	/* The environment beats every file. */
	setenv("npm_config_registry", "https://env.example", 1);
	CHECK(pv_npmrc_load(&cfg, proj, global, err, sizeof err) == 0, "%s", err);
	CHECK(strcmp(cfg.registry, "https://env.example/") == 0, "env: %s", cfg.registry);
	CHECK(strcmp(pv_npmrc_registry_for(&cfg, "@p/x"), "https://proj-p.example/path/") == 0, "scope stays");
	pv_npmrc_free(&cfg);
	unsetenv("npm_config_registry");

	/* No files at all: the builtin default. */
	setenv("NPM_CONFIG_USERCONFIG", "/nonexistent/npmrc", 1);
	CHECK(pv_npmrc_load(&cfg, "/nonexistent", "", err, sizeof err) == 0, "%s", err);
	CHECK(strcmp(pv_npmrc_registry_for(&cfg, "@x/y"), "https://registry.npmjs.org/") == 0, "builtin");
	CHECK(pv_npmrc_auth_for(&cfg, "https://registry.npmjs.org/x") == NULL, "no token");
	pv_npmrc_free(&cfg);

	/* Global only, when there is neither user nor project file. */
	CHECK(pv_npmrc_load(&cfg, NULL, global, err, sizeof err) == 0, "%s", err);
	CHECK(strcmp(cfg.registry, "https://global.example/") == 0, "global: %s", cfg.registry);
	pv_npmrc_free(&cfg);

	/* npm's own global npmrc when the caller names none: NPM_CONFIG_GLOBALCONFIG,
	 * else PREFIX/etc/npmrc; its cafile is kept. */
	char gp[4096];
	setenv("NPM_CONFIG_GLOBALCONFIG", global, 1);
	CHECK(pv_npmrc_global_path(gp, sizeof gp) == 0 && strcmp(gp, global) == 0, "globalconfig: %s", gp);
	CHECK(pv_npmrc_load(&cfg, NULL, NULL, err, sizeof err) == 0, "%s", err);
	CHECK(strcmp(cfg.registry, "https://global.example/") == 0, "npm's global: %s", cfg.registry);
	pv_npmrc_free(&cfg);
	unsetenv("NPM_CONFIG_GLOBALCONFIG");
	setenv("npm_config_prefix", "/opt/node/", 1);
	CHECK(pv_npmrc_global_path(gp, sizeof gp) == 0 && strcmp(gp, "/opt/node/etc/npmrc") == 0, "prefix: %s", gp);
	unsetenv("npm_config_prefix");
	CHECK(pv_npmrc_init_default(&cfg) == 0, "init");
	CHECK(pv_npmrc_apply_text(&cfg, "cafile = /etc/corp-ca.pem\n") == 0 && cfg.cafile &&
	          strcmp(cfg.cafile, "/etc/corp-ca.pem") == 0, "cafile kept");
	pv_npmrc_free(&cfg);
	unsetenv("NPM_CONFIG_USERCONFIG");
}

/* ---------------- names and URLs ---------------- */

static void test_names(void)
{
	char *u = pv_npm_packument_url("https://r.example/", "@scope/pkg");
	CHECK(u && strcmp(u, "https://r.example/@scope%2fpkg") == 0, "%s", u ? u : "NULL");
	free(u);
	u = pv_npm_packument_url("https://r.example/sub", "lodash");
	CHECK(u && strcmp(u, "https://r.example/sub/lodash") == 0, "%s", u ? u : "NULL");
	free(u);
	const char *bad[] = {"", "..", ".", "@scope", "@/x", "@s/", "a b", "a/b", "../etc", "a?b", "a#b", "@s/x/y", "%2e%2e"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(!pv_npm_name_valid(bad[i]), "invalid: '%s'", bad[i]);
	CHECK(pv_npm_name_valid("@babel/core") && pv_npm_name_valid("lodash.merge") &&
	      pv_npm_name_valid("JSONStream"), "valid names");
}

/* ---------------- resolution ---------------- */

static void test_resolve(const struct pv_npm_client *cl)
{
	const char *vers[] = {"1.0.0", "1.1.0", "1.2.0", "1.2.1", "2.0.0", "2.1.0-beta.1", "3.0.0-rc.1"};
	mkdirs("tarballs/resolve-me");
	for (size_t i = 0; i < sizeof vers / sizeof vers[0]; i++) {
		char rel[128];
		snprintf(rel, sizeof rel, "tarballs/resolve-me/%s.tgz", vers[i]);
		put(rel, vers[i]);
	}
	put("tarballs/resolve-me/dist-tags.json", "{\"latest\": \"2.0.0\", \"next\": \"3.0.0-rc.1\"}");

	struct pv_npm_packument p = {0};
	char err[512];
	int rc = pv_npm_fetch_packument(cl, "resolve-me", &p, err, sizeof err);
	CHECK(rc == PV_NPM_OK, "fetch: %s %s", pv_npm_rc_name(rc), err);
	if (rc != PV_NPM_OK)
		return;
	struct {
		const char *spec, *want;
	} ok[] = {
		{"", "2.0.0"},
		{"latest", "2.0.0"},
		{"next", "3.0.0-rc.1"},
		{"1.1.0", "1.1.0"},
		{"=v1.1.0", "1.1.0"},
		{"3.0.0-rc.1", "3.0.0-rc.1"},
		{"^1.0.0", "1.2.1"},
		{"^1.1", "1.2.1"},
		{"~1.2.0", "1.2.1"},
		{"~1.1", "1.1.0"},
		{"1.2.x", "1.2.1"},
		{">=1.0.0 <2", "1.2.1"},
		{"*", "2.0.0"},
		{">=2.0.0", "2.0.0"},          /* latest satisfies; the betas never */
		{">2.0.0 || 1.0.0", "1.0.0"}, /* 2.1.0-beta.1 / 3.0.0-rc.1 excluded */
		{"^2.1.0-beta.0", "2.1.0-beta.1"},
		{"~3.0.0-rc.0", "3.0.0-rc.1"},
		{"1.0.0 - 1.2.0", "1.2.0"},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		const char *v = NULL;
		json_object *m = NULL;
		rc = pv_npm_resolve(&p, ok[i].spec, &v, &m, err, sizeof err);
		CHECK(rc == PV_NPM_OK && v && strcmp(v, ok[i].want) == 0 && m, "'%s' -> %s (want %s) %s", ok[i].spec,
		      v ? v : "NULL", ok[i].want, err);
	}
	const char *none[] = {"^5", "9.9.9", "nosuchtag", ">3.0.0", "2.1.x"};
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
		const char *v = NULL;
		rc = pv_npm_resolve(&p, none[i], &v, NULL, err, sizeof err);
		char want[64];
		snprintf(want, sizeof want, "resolve-me@%s", none[i]);
		CHECK(rc == PV_NPM_NO_MATCH && v == NULL && strstr(err, want), "'%s': %s %s", none[i],
		      pv_npm_rc_name(rc), err);
	}
	const char *v = NULL;
	rc = pv_npm_resolve(&p, "bad/tag", &v, NULL, err, sizeof err);
	CHECK(rc == PV_NPM_INVALID && strstr(err, "resolve-me@bad/tag"), "%s %s", pv_npm_rc_name(rc), err);
	pv_npm_packument_free(&p);

	/* A latest tag that is not the highest: a range prefers it, as npm does. */
	mkdirs("tarballs/old-latest");
	put("tarballs/old-latest/1.0.0.tgz", "a");
	put("tarballs/old-latest/1.5.0.tgz", "b");
	put("tarballs/old-latest/dist-tags.json", "{\"latest\": \"1.0.0\"}");
	rc = pv_npm_fetch_packument(cl, "old-latest", &p, err, sizeof err);
	CHECK(rc == PV_NPM_OK, "%s", err);
	if (rc == PV_NPM_OK) {
		CHECK(pv_npm_resolve(&p, "^1", &v, NULL, err, sizeof err) == 0 && strcmp(v, "1.0.0") == 0, "%s", v);
		CHECK(pv_npm_resolve(&p, ">1.0.0", &v, NULL, err, sizeof err) == 0 && strcmp(v, "1.5.0") == 0, "%s",
		      v);
	}
	pv_npm_packument_free(&p);
}

/* ---------------- scoped names, tarballs, integrity ---------------- */

static void test_tarballs(const struct pv_npm_client *cl)
{
	char err[512];
	struct pv_npm_packument p = {0};
	mkdirs("tarballs/@acme%2fwidget");
	put("tarballs/@acme%2fwidget/1.0.0.tgz", "widget tarball bytes");
	int rc = pv_npm_fetch_packument(cl, "@acme/widget", &p, err, sizeof err);
	CHECK(rc == PV_NPM_OK, "scoped fetch: %s", err);
	if (rc == PV_NPM_OK) {
		CHECK(strstr(p.url, "/@acme%2fwidget"), "%s", p.url);
		const char *v = NULL;
		CHECK(pv_npm_resolve(&p, "^1", &v, NULL, err, sizeof err) == 0 && strcmp(v, "1.0.0") == 0, "%s", err);
		unsigned char *data = NULL;
		size_t len = 0;
		rc = pv_npm_fetch_tarball(cl, &p, "1.0.0", &data, &len, err, sizeof err);
		CHECK(rc == PV_NPM_OK && len == 20 && memcmp(data, "widget tarball bytes", 20) == 0, "tarball: %s %s",
		      pv_npm_rc_name(rc), err);
		free(data);

		/* The registry now serves a tampered tarball. */
		put("tarballs/@acme%2fwidget/1.0.0.tgz", "widget tarball bytez");
		rc = pv_npm_fetch_tarball(cl, &p, "1.0.0", &data, &len, err, sizeof err);
		CHECK(rc == PV_NPM_INTEGRITY && data == NULL &&
		      strstr(err, "integrity mismatch for @acme/widget@1.0.0: expected sha512-") && strstr(err, " got sha512-"),
		      "tampered: %s %s", pv_npm_rc_name(rc), err);
		rc = pv_npm_fetch_tarball(cl, &p, "7.0.0", &data, &len, err, sizeof err);
		CHECK(rc == PV_NPM_NO_MATCH, "unknown version: %s", err);
	}
	pv_npm_packument_free(&p);

	/* sha1 fallback (no dist.integrity). */
	mkdirs("packuments");
	mkdirs("tarballs/sha1only");
	put("tarballs/sha1only/1.0.0.tgz", "abc");
	put("tarballs/sha1only/1.0.1.tgz", "abd");
	/* sha1("abc") = a9993e364706816aba3e25717850c26c9cd0d89d */
	put("packuments/sha1only.json",
	    "{\"name\":\"sha1only\",\"dist-tags\":{\"latest\":\"1.0.1\"},\"versions\":{"
	    "\"1.0.0\":{\"dist\":{\"tarball\":\"{{BASE}}/tarballs/sha1only/1.0.0.tgz\","
	    "\"shasum\":\"a9993e364706816aba3e25717850c26c9cd0d89d\"}},"
	    "\"1.0.1\":{\"dist\":{\"tarball\":\"{{BASE}}/tarballs/sha1only/1.0.1.tgz\","
	    "\"shasum\":\"a9993e364706816aba3e25717850c26c9cd0d89d\"}},"
	    "\"1.0.2\":{\"dist\":{\"tarball\":\"{{BASE}}/tarballs/sha1only/1.0.0.tgz\"}}}}");
	rc = pv_npm_fetch_packument(cl, "sha1only", &p, err, sizeof err);
	CHECK(rc == PV_NPM_OK, "%s", err);
	if (rc == PV_NPM_OK) {
		unsigned char *data = NULL;
		size_t len = 0;
		rc = pv_npm_fetch_tarball(cl, &p, "1.0.0", &data, &len, err, sizeof err);
		CHECK(rc == PV_NPM_OK && len == 3, "sha1 ok: %s", err);
		free(data);
		rc = pv_npm_fetch_tarball(cl, &p, "1.0.1", &data, &len, err, sizeof err);
		CHECK(rc == PV_NPM_INTEGRITY && strstr(err, "integrity mismatch for sha1only@1.0.1: expected sha1 a9993e"),
		      "sha1 mismatch: %s", err);
		rc = pv_npm_fetch_tarball(cl, &p, "1.0.2", &data, &len, err, sizeof err);
		CHECK(rc == PV_NPM_BAD_DATA && data == NULL, "no digest at all: %s", err);
	}
	pv_npm_packument_free(&p);

	/* The SRI parser directly: several hashes (strongest wins), options, sha256. */
	const char *sha512_abc = "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==";
	const char *sha256_abc = "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=";
	CHECK(pv_npm_check_integrity("x", "1", "abc", 3, sha512_abc, NULL, err, sizeof err) == 0, "%s", err);
	CHECK(pv_npm_check_integrity("x", "1", "abc", 3, sha256_abc, NULL, err, sizeof err) == 0, "%s", err);
	char multi[400];
	snprintf(multi, sizeof multi, "sha1-AAAA %s?opt md5-zzz", sha512_abc);
	CHECK(pv_npm_check_integrity("x", "1", "abc", 3, multi, NULL, err, sizeof err) == 0, "multi: %s", err);
	CHECK(pv_npm_check_integrity("x", "1", "abd", 3, multi, NULL, err, sizeof err) == PV_NPM_INTEGRITY, "multi bad");
	CHECK(pv_npm_check_integrity("x", "1", "abc", 3, "md5-xyz", NULL, err, sizeof err) == PV_NPM_BAD_DATA,
	      "unsupported only: %s", err);
}

/* ---------------- auth ---------------- */

static void test_auth(void)
{
	char err[512], text[600];
	put("auth.json", "{\"@private\": \"s3cret\"}");
	mkdirs("tarballs/@private%2fthing");
	put("tarballs/@private%2fthing/1.0.0.tgz", "private bytes");
	mkdirs("tarballs/pub");
	put("tarballs/pub/1.0.0.tgz", "public bytes");
	/* A private package whose tarball lives on another host ("localhost"). */
	put("packuments/@private%2fleaky.json",
	    "{\"name\":\"@private/leaky\",\"dist-tags\":{\"latest\":\"1.0.0\"},\"versions\":{"
	    "\"1.0.0\":{\"dist\":{\"tarball\":\"http://localhost:PORT/tarballs/@private%2fleaky/1.0.0.tgz\","
	    "\"shasum\":\"a9993e364706816aba3e25717850c26c9cd0d89d\"}}}}");
	{ /* patch PORT */
		char path[512], buf[1024], port[16];
		snprintf(path, sizeof path, "%s/packuments/@private%%2fleaky.json", g_root);
		FILE *f = fopen(path, "rb");
		size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
		if (f)
			fclose(f);
		buf[n] = '\0';
		char *at = strstr(buf, "PORT");
		snprintf(port, sizeof port, "%d", g_port);
		if (at) {
			char out[1100];
			snprintf(out, sizeof out, "%.*s%s%s", (int)(at - buf), buf, port, at + 4);
			write_file(path, out);
		}
	}
	mkdirs("tarballs/@private%2fleaky");
	put("tarballs/@private%2fleaky/1.0.0.tgz", "abc");

	setenv("PV_TEST_NPM_TOKEN", "s3cret", 1);
	snprintf(text, sizeof text,
	         "registry=http://localhost:%d/\n"
	         "@private:registry=http://127.0.0.1:%d/\n"
	         "//127.0.0.1:%d/:_authToken=${PV_TEST_NPM_TOKEN}\n",
	         g_port, g_port, g_port);
	struct pv_npmrc cfg;
	CHECK(pv_npmrc_init_default(&cfg) == 0 && pv_npmrc_apply_text(&cfg, text) == 0, "cfg");
	struct pv_http_opts o = quick();
	struct pv_npm_client cl = {.cfg = &cfg, .http = &o};
	struct pv_npm_packument p = {0};

	int rc = pv_npm_fetch_packument(&cl, "@private/thing", &p, err, sizeof err);
	CHECK(rc == PV_NPM_OK, "private packument: %s %s", pv_npm_rc_name(rc), err);
	if (rc == PV_NPM_OK) {
		unsigned char *data = NULL;
		size_t len = 0;
		rc = pv_npm_fetch_tarball(&cl, &p, "1.0.0", &data, &len, err, sizeof err);
		CHECK(rc == PV_NPM_OK && len == 13, "private tarball: %s", err);
		free(data);
	}
	pv_npm_packument_free(&p);
	rc = pv_npm_fetch_packument(&cl, "pub", &p, err, sizeof err);
	CHECK(rc == PV_NPM_OK && strstr(p.url, "localhost"), "public packument: %s", err);
	if (rc == PV_NPM_OK) {
		unsigned char *data = NULL;
		size_t len = 0;
		rc = pv_npm_fetch_tarball(&cl, &p, "1.0.0", &data, &len, err, sizeof err);
		CHECK(rc == PV_NPM_OK, "public tarball: %s", err);
		free(data);
	}
	pv_npm_packument_free(&p);
	rc = pv_npm_fetch_packument(&cl, "@private/leaky", &p, err, sizeof err);
	CHECK(rc == PV_NPM_OK, "leaky packument: %s", err);
	if (rc == PV_NPM_OK) {
		unsigned char *data = NULL;
		size_t len = 0;
		rc = pv_npm_fetch_tarball(&cl, &p, "1.0.0", &data, &len, err, sizeof err);
		CHECK(rc == PV_NPM_HTTP_ERROR && strstr(err, "access denied"), "token not sent to localhost: %s", err);
		free(data);
	}
	pv_npm_packument_free(&p);

	char *log = server_log();
	char host127[64], hostlocal[64];
	snprintf(host127, sizeof host127, "\"host\": \"127.0.0.1:%d\", \"auth\": \"Bearer s3cret\"", g_port);
	snprintf(hostlocal, sizeof hostlocal, "\"host\": \"localhost:%d\", \"auth\": null", g_port);
	CHECK(count(log, host127) == 3, "token sent to 127.0.0.1 (%zu): %s", count(log, host127), log);
	CHECK(count(log, hostlocal) == 3, "never to localhost (%zu): %s", count(log, hostlocal), log);
	CHECK(count(log, "s3cret") == count(log, host127), "no other request had it");
	free(log);
	pv_npmrc_free(&cfg);

	/* Without the token: access denied, a clear message. */
	CHECK(pv_npmrc_init_default(&cfg) == 0, "cfg");
	cl.cfg = &cfg;
	cl.registry = reg("127.0.0.1");
	rc = pv_npm_fetch_packument(&cl, "@private/thing", &p, err, sizeof err);
	CHECK(rc == PV_NPM_HTTP_ERROR && strstr(err, "access denied") && strstr(err, "npm:@private/thing"),
	      "%s %s", pv_npm_rc_name(rc), err);
	pv_npmrc_free(&cfg);
}

/* ---------------- cache and revalidation ---------------- */

static void test_cache(void)
{
	char err[512], path[300];
	snprintf(path, sizeof path, "%s/cache/cache.sqlite3", g_root);
	struct pv_cache *cache = NULL;
	char *cerr = NULL;
	CHECK(pv_cache_open(path, &cache, &cerr) == PV_CACHE_OK, "%s", cerr ? cerr : "");
	free(cerr);
	if (!cache)
		return;
	struct pv_http_opts o = quick();
	struct pv_npm_client cl = {.registry = reg("127.0.0.1"), .cache = cache, .http = &o};
	mkdirs("tarballs/cached");
	put("tarballs/cached/1.0.0.tgz", "one");
	struct pv_npm_packument p = {0};
	const char *v;

	int rc = pv_npm_fetch_packument(&cl, "cached", &p, err, sizeof err);
	CHECK(rc == PV_NPM_OK && !p.from_cache && !p.revalidated, "first: %s", err);
	pv_npm_packument_free(&p);
	char *log = server_log();
	size_t before = count(log, "\"path\": \"/cached\"");
	free(log);

	rc = pv_npm_fetch_packument(&cl, "cached", &p, err, sizeof err);
	CHECK(rc == PV_NPM_OK && p.from_cache && !p.revalidated, "fresh from cache: %s", err);
	CHECK(rc == PV_NPM_OK && pv_npm_resolve(&p, "latest", &v, NULL, err, sizeof err) == 0 && strcmp(v, "1.0.0") == 0,
	      "cached body");
	pv_npm_packument_free(&p);
	log = server_log();
	CHECK(count(log, "\"path\": \"/cached\"") == before, "no request while fresh");
	free(log);

	/* Stale: revalidated with the ETag, answered 304. */
	pv_cache_set_now(cache, (int64_t)time(NULL) + 1000);
	rc = pv_npm_fetch_packument(&cl, "cached", &p, err, sizeof err);
	CHECK(rc == PV_NPM_OK && !p.from_cache && p.revalidated, "revalidated: %s", err);
	pv_npm_packument_free(&p);
	log = server_log();
	CHECK(strstr(log, "\"path\": \"/cached\", ") && count(log, "\"status\": 304") == 1, "a 304: %s", log);
	free(log);
	/* Touched: fresh again. */
	rc = pv_npm_fetch_packument(&cl, "cached", &p, err, sizeof err);
	CHECK(rc == PV_NPM_OK && p.from_cache, "fresh after 304");
	pv_npm_packument_free(&p);

	/* Stale and changed upstream: a new 200 replaces the entry. */
	put("tarballs/cached/1.1.0.tgz", "two");
	pv_cache_set_now(cache, (int64_t)time(NULL) + 2000);
	rc = pv_npm_fetch_packument(&cl, "cached", &p, err, sizeof err);
	CHECK(rc == PV_NPM_OK && !p.from_cache && !p.revalidated, "changed: %s", err);
	CHECK(rc == PV_NPM_OK && pv_npm_resolve(&p, "latest", &v, NULL, err, sizeof err) == 0 && strcmp(v, "1.1.0") == 0,
	      "new body");
	pv_npm_packument_free(&p);
	rc = pv_npm_fetch_packument(&cl, "cached", &p, err, sizeof err);
	CHECK(rc == PV_NPM_OK && p.from_cache && pv_npm_resolve(&p, "latest", &v, NULL, err, sizeof err) == 0 &&
	      strcmp(v, "1.1.0") == 0, "new body cached");
	pv_npm_packument_free(&p);

	/* Garbage and 404 are not cached. */
	put("packuments/garbage.json", "<html><body>Service Unavailable</body></html>");
	rc = pv_npm_fetch_packument(&cl, "garbage", &p, err, sizeof err);
	CHECK(rc == PV_NPM_BAD_DATA && strstr(err, "npm:garbage"), "garbage: %s %s", pv_npm_rc_name(rc), err);
	put("packuments/wrongname.json", "{\"name\":\"other\",\"versions\":{}}");
	rc = pv_npm_fetch_packument(&cl, "wrongname", &p, err, sizeof err);
	CHECK(rc == PV_NPM_BAD_DATA, "wrong name: %s", err);
	rc = pv_npm_fetch_packument(&cl, "no-such-package", &p, err, sizeof err);
	CHECK(rc == PV_NPM_NOT_FOUND && strstr(err, "npm:no-such-package") && strstr(err, "404"), "404: %s", err);
	struct pv_cache_stats st;
	CHECK(pv_cache_stats(cache, &st) == PV_CACHE_OK && st.meta == 1, "only the good entry is cached (%llu)",
	      (unsigned long long)st.meta);
	rc = pv_npm_fetch_packument(&cl, "../etc/passwd", &p, err, sizeof err);
	CHECK(rc == PV_NPM_INVALID, "invalid name: %s", err);
	pv_cache_close(cache);
}

/* ---------------- unreachable ---------------- */

static void test_unreachable(void)
{
	char err[512], url[64];
	struct pv_http_opts o = quick();
	o.connect_timeout_ms = 1000;
	o.total_timeout_ms = 1500;
	o.retries = 1;
	struct pv_npm_client cl = {.registry = url, .http = &o};
	struct pv_npm_packument p = {0};

	/* A closed port: refused at once. */
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t al = sizeof a;
	CHECK(s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
	      getsockname(s, (struct sockaddr *)&a, &al) == 0, "bind");
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", ntohs(a.sin_port));
	close(s);
	double t0 = mono();
	int rc = pv_npm_fetch_packument(&cl, "lodash", &p, err, sizeof err);
	CHECK(rc == PV_NPM_UNREACHABLE && strstr(err, "unreachable") && strstr(err, "npm:lodash"), "%s %s",
	      pv_npm_rc_name(rc), err);
	CHECK(mono() - t0 < 3, "prompt: %.1f s", mono() - t0);

	/* Listening but never answering: the timeout, never a hang. */
	s = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_port = 0;
	al = sizeof a;
	CHECK(s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 && listen(s, 8) == 0 &&
	      getsockname(s, (struct sockaddr *)&a, &al) == 0, "listen");
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", ntohs(a.sin_port));
	t0 = mono();
	rc = pv_npm_fetch_packument(&cl, "lodash", &p, err, sizeof err);
	double el = mono() - t0;
	CHECK(rc == PV_NPM_UNREACHABLE && strstr(err, "timeout"), "%s %s", pv_npm_rc_name(rc), err);
	CHECK(el < 8, "bounded: %.1f s", el);
	close(s);
}

int main(void)
{
	snprintf(g_root, sizeof g_root, "/tmp/pv-npmreg-XXXXXX");
	if (!mkdtemp(g_root)) {
		perror("mkdtemp");
		return 2;
	}
	test_names();
	test_npmrc();
	if (start_registry() != 0) {
		fprintf(stderr, "fixture registry did not start\n");
		return 1;
	}
	struct pv_http_opts o = quick();
	struct pv_npm_client cl = {.registry = reg("127.0.0.1"), .http = &o};
	test_resolve(&cl);
	test_tarballs(&cl);
	test_auth();
	test_cache();
	stop_registry();
	test_unreachable();
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", g_root);
	return CHECK_DONE();
}
