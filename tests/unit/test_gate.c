/* The gate (shim/gate.c): a loopback simple index in front of the fixture
 * index (tests/fixtures/registry_server.py), driven with pv_http and with
 * the real pip. */
#include "check.h"
#include "digest.h"
#include "fixture.h"
#include "gate.h"
#include "gate_findlinks.h"
#include "gate_pages.h"
#include "http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define PROJ "gatepkg"
#define W10 "gatepkg-1.0-py3-none-any.whl"
#define W11 "gatepkg-1.1-py3-none-any.whl"
#define SD10 "gatepkg-1.0.tar.gz"
#define W20 "gatepkg-2.0-py3-none-any.whl"

static char g_tmp[256], g_root1[300], g_root2[300];
static struct fixture g_fx1, g_fx2;

/* ---------------- vet() for the tests ---------------- */

static pthread_mutex_t g_vlock = PTHREAD_MUTEX_INITIALIZER;
static int g_vcalls;
static char g_vlast[256], g_vsha[65];

/* Refuses 1.1 (the "blocked" release) and the canary, allows the rest. */
static int test_vet(void *ud, const char *project, const char *filename, const unsigned char *data, size_t len,
                    const char *sha)
{
	(void)ud;
	(void)data;
	pthread_mutex_lock(&g_vlock);
	g_vcalls++;
	snprintf(g_vlast, sizeof g_vlast, "%s %s", project, filename);
	snprintf(g_vsha, sizeof g_vsha, "%s", sha);
	pthread_mutex_unlock(&g_vlock);
	char check[65];
	if (pv_sha256_hex(data, len, check, sizeof check) != 0 || strcmp(check, sha) != 0)
		return -1;
	return strstr(filename, "-1.1-") || strcmp(project, "canary") == 0 ? 0 : 1;
}

static int vcalls(void)
{
	pthread_mutex_lock(&g_vlock);
	int n = g_vcalls;
	pthread_mutex_unlock(&g_vlock);
	return n;
}

/* ---------------- helpers ---------------- */

static struct pv_http_opts quick(void)
{
	struct pv_http_opts o = pv_http_opts_default();
	o.connect_timeout_ms = 2000;
	o.total_timeout_ms = 10000;
	o.retries = 0; /* the gate's 502/503 must be seen, not retried */
	return o;
}

/* GET url (accept may be NULL): status (0 when no answer); *body malloc'd. */
static long get(const char *url, const char *accept, char **body, size_t *len)
{
	struct pv_http_req r = {.url = url, .accept = accept};
	struct pv_http_opts o = quick();
	pv_http_fetch(&r, &o);
	long st = r.status;
	if (body) {
		*body = r.body ? r.body : strdup("");
		r.body = NULL;
	}
	if (len)
		*len = r.len;
	pv_http_req_free(&r);
	return st;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(1 << 20);
	size_t n = buf ? fread(buf, 1, 1 << 20, f) : 0;
	fclose(f);
	*len = n;
	return buf;
}

static void sha_of(const char *root, const char *name, char out[65])
{
	char p[512], s[80];
	snprintf(p, sizeof p, "%s/pypi/files/" PROJ "/%s", root, name);
	out[0] = '\0';
	if (pv_sha256_file(p, s, sizeof s) == 0 && strlen(s) == 71) {
		memcpy(out, s + 7, 64);
		out[64] = '\0';
	}
}

/* Write a wheel (valid for pip: METADATA, WHEEL, RECORD) or an sdist. */
static void make_dist(const char *root, const char *file, const char *version, const char *marker)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd,
	         "python3 - '%s/pypi/files/" PROJ "/%s' '%s' '%s' <<'EOF'\n"
	         "import sys, zipfile, tarfile, io\n"
	         "path, ver, marker = sys.argv[1:4]\n"
	         "meta = 'Metadata-Version: 2.1\\nName: " PROJ "\\nVersion: %%s\\n' %% ver\n"
	         "if path.endswith('.whl'):\n"
	         "    di = '" PROJ "-%%s.dist-info/' %% ver\n"
	         "    with zipfile.ZipFile(path, 'w') as z:\n"
	         "        z.writestr('" PROJ "/__init__.py', '# %%s\\n' %% marker)\n"
	         "        z.writestr(di + 'METADATA', meta)\n"
	         "        z.writestr(di + 'WHEEL', 'Wheel-Version: 1.0\\nGenerator: t\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')\n"
	         "        z.writestr(di + 'RECORD', '')\n"
	         "    open(path + '.metadata', 'w').write(meta)\n"
	         "else:\n"
	         "    with tarfile.open(path, 'w:gz') as t:\n"
	         "        data = ('from setuptools import setup\\nsetup(name=\"" PROJ "\", version=\"%%s\")\\n' %% ver).encode()\n"
	         "        ti = tarfile.TarInfo('" PROJ "-%%s/setup.py' %% ver); ti.size = len(data)\n"
	         "        t.addfile(ti, io.BytesIO(data))\n"
	         "EOF",
	         root, file, version, marker);
	if (system(cmd) != 0) {
		fprintf(stderr, "cannot build %s\n", file);
		exit(2);
	}
}

/* An sdist whose setup.py leaves a marker file when anything runs it. */
static void make_canary(void)
{
	char cmd[2048];
	fixture_mkdirs(g_root1, "pypi/files/canary");
	snprintf(cmd, sizeof cmd,
	         "python3 - '%s/pypi/files/canary/canary-1.0.tar.gz' '%s/canary-ran' <<'EOF'\n"
	         "import sys, tarfile, io\n"
	         "path, marker = sys.argv[1:3]\n"
	         "src = ('open(%%r, \"w\").write(\"ran\")\\n'\n"
	         "       'from setuptools import setup\\nsetup(name=\"canary\", version=\"1.0\")\\n') %% marker\n"
	         "with tarfile.open(path, 'w:gz') as t:\n"
	         "    for name, data in (('canary-1.0/setup.py', src.encode()),\n"
	         "                       ('canary-1.0/PKG-INFO', b'Metadata-Version: 2.1\\nName: canary\\nVersion: 1.0\\n')):\n"
	         "        ti = tarfile.TarInfo(name); ti.size = len(data)\n"
	         "        t.addfile(ti, io.BytesIO(data))\n"
	         "EOF",
	         g_root1, g_tmp);
	if (system(cmd) != 0) {
		fprintf(stderr, "cannot build the canary\n");
		exit(2);
	}
}

static void setup_roots(void)
{
	snprintf(g_tmp, sizeof g_tmp, "/tmp/pv-gate-XXXXXX");
	if (!mkdtemp(g_tmp))
		exit(2);
	snprintf(g_root1, sizeof g_root1, "%s/r1", g_tmp);
	snprintf(g_root2, sizeof g_root2, "%s/r2", g_tmp);
	mkdir(g_root1, 0700);
	mkdir(g_root2, 0700);
	fixture_mkdirs(g_root1, "pypi/files/" PROJ);
	fixture_mkdirs(g_root2, "pypi/files/" PROJ);
	fixture_mkdirs(g_root2, "pypi/files/onlytwo");
	make_dist(g_root1, W10, "1.0", "one");
	make_dist(g_root1, W11, "1.1", "one");
	make_dist(g_root1, SD10, "1.0", "one");
	fixture_put(g_root1, "pypi/config.json", "{\"tampered\": [\"" SD10 "\"]}");
	make_dist(g_root2, W10, "1.0", "two"); /* same name, other bytes: upstream 1 must win */
	make_dist(g_root2, W20, "2.0", "two");
	fixture_put(g_root2, "pypi/files/onlytwo/onlytwo-1.0.tar.gz", "not really a tarball");
	make_canary();
}

/* The fixture's index URL, as a user would configure it. */
static char g_up1[96], g_up2[96];
static void set_upstreams(void)
{
	snprintf(g_up1, sizeof g_up1, "http://127.0.0.1:%d/pypi/simple", g_fx1.port);
	snprintf(g_up2, sizeof g_up2, "http://127.0.0.1:%d/pypi/simple", g_fx2.port);
}

/* A gate over ups and the find-links sources fl (may be NULL). */
static struct pv_gate *start_gate_fl(const char *const *ups, const char *const *fl, size_t max_entries)
{
	struct pv_gate_opts o = {.upstreams = ups, .find_links = fl, .max_dir_entries = max_entries, .vet = test_vet};
	struct pv_http_opts h = quick();
	h.connect_timeout_ms = 1000;
	o.http = &h;
	struct pv_gate *g = NULL;
	char err[256] = "";
	CHECK(pv_gate_start(&g, &o, err, sizeof err) == 0, "%s", err);
	return g;
}

static struct pv_gate *start_gate(const char *const *ups)
{
	return start_gate_fl(ups, NULL, 0);
}

/* The absolute gate URL of filename's link on the gate's HTML page. */
static void link_of(const struct pv_gate *g, const char *page, const char *filename, char *out, size_t outlen)
{
	char needle[300];
	snprintf(needle, sizeof needle, ">%s</a>", filename);
	out[0] = '\0';
	const char *end = strstr(page, needle);
	if (!end)
		return;
	const char *h = end;
	while (h > page && strncmp(h, "href=\"", 6) != 0)
		h--;
	h += 6;
	size_t n = strcspn(h, "#\"");
	int port = 0;
	sscanf(pv_gate_index_url(g), "http://127.0.0.1:%d/", &port);
	snprintf(out, outlen, "http://127.0.0.1:%d%.*s", port, (int)n, h);
}

static char *page(const struct pv_gate *g, const char *project, bool json, long *st)
{
	char url[256], *body = NULL;
	snprintf(url, sizeof url, "%s%s/", pv_gate_index_url(g), project);
	*st = get(url, json ? "application/vnd.pypi.simple.v1+json" : "text/html", &body, NULL);
	return body;
}

/* ---------------- tests ---------------- */

static void test_pages(struct pv_gate *g)
{
	char fxport[32], sha[65];
	snprintf(fxport, sizeof fxport, "127.0.0.1:%d", g_fx1.port);
	sha_of(g_root1, W10, sha);
	long st;
	char *js = page(g, PROJ, true, &st);
	CHECK(st == 200, "json page status %ld", st);
	CHECK(strstr(js, "\"api-version\"") && strstr(js, W10) && strstr(js, W11) && strstr(js, SD10), "%s", js);
	CHECK(!strstr(js, fxport), "upstream URL leaked: %s", js);
	CHECK(strstr(js, sha) != NULL, "sha256 kept: %s", js);
	CHECK(strstr(js, "/files/") != NULL, "%s", js);
	free(js);
	char *html = page(g, PROJ, false, &st);
	CHECK(st == 200, "html page status %ld", st);
	CHECK(strstr(html, "<a href=\"/") && strstr(html, "#sha256=") && strstr(html, sha), "%s", html);
	CHECK(!strstr(html, fxport), "upstream URL leaked: %s", html);
	free(html);
	char root[256], *body;
	snprintf(root, sizeof root, "%s", pv_gate_index_url(g));
	CHECK(get(root, NULL, &body, NULL) == 200, "root page");
	free(body);
	CHECK((body = page(g, "no-such-project", true, &st)) && st == 404, "missing project %ld", st);
	free(body);
}

static void test_files(struct pv_gate *g)
{
	long st;
	char *html = page(g, PROJ, false, &st), url[512], *body;
	size_t len, flen;
	char fpath[512];

	/* allowed: served byte-identical, vetted once */
	int before = vcalls();
	link_of(g, html, W10, url, sizeof url);
	CHECK(url[0], "no link for " W10);
	snprintf(fpath, sizeof fpath, "%s/pypi/files/" PROJ "/" W10, g_root1);
	char *want = slurp(fpath, &flen);
	CHECK(get(url, NULL, &body, &len) == 200, "allowed wheel");
	CHECK(want && len == flen && memcmp(body, want, len) == 0, "bytes differ (%zu vs %zu)", len, flen);
	free(body);
	CHECK(vcalls() == before + 1, "vet calls %d", vcalls() - before);
	CHECK(get(url, NULL, &body, &len) == 200 && vcalls() == before + 1, "second fetch vetted again");
	free(body);
	free(want);

	/* metadata: forwarded as is */
	char murl[600];
	snprintf(murl, sizeof murl, "%s.metadata", url);
	CHECK(get(murl, NULL, &body, &len) == 200 && strstr(body, "Name: " PROJ), "metadata: %s", body);
	free(body);

	/* refused: 403, the bytes are not served */
	link_of(g, html, W11, url, sizeof url);
	snprintf(fpath, sizeof fpath, "%s/pypi/files/" PROJ "/" W11, g_root1);
	want = slurp(fpath, &flen);
	CHECK(get(url, NULL, &body, &len) == 403, "refused wheel");
	CHECK(len < 200 && !memmem(body, len, "PK", 2) && strstr(body, "refused"), "403 body: %s", body);
	free(body);
	free(want);

	/* tampered on the index: 502, vet not called */
	before = vcalls();
	link_of(g, html, SD10, url, sizeof url);
	CHECK(get(url, NULL, &body, &len) == 502 && strstr(body, "hash mismatch"), "tampered: %s", body);
	CHECK(vcalls() == before, "vet called for a tampered file");
	free(body);

	/* wrong token, unknown id, wrong name */
	char bad[600];
	snprintf(bad, sizeof bad, "%s", pv_gate_index_url(g));
	char *tok = strstr(bad, "/simple/") - 32;
	tok[0] = tok[0] == 'a' ? 'b' : 'a';
	strcat(bad, PROJ "/");
	CHECK(get(bad, NULL, &body, NULL) == 404, "wrong token");
	free(body);
	snprintf(bad, sizeof bad, "%s", url);
	*strrchr(bad, '/') = '\0';
	strcat(bad, "/other-1.0.tar.gz");
	CHECK(get(bad, NULL, &body, NULL) == 404, "wrong file name");
	free(body);
	free(html);
}

static void test_vetted_only(const char *const *ups)
{
	struct pv_gate *g = start_gate(ups);
	if (!g)
		return;
	char sha[65], url[512], *body;
	sha_of(g_root1, W10, sha);
	const char *set[] = {sha};
	CHECK(pv_gate_vetted_only(g, set, 1) == 0, "vetted_only");
	const char *badset[] = {"xyz"};
	CHECK(pv_gate_vetted_only(g, badset, 1) == -1, "bad digest accepted");
	long st;
	char *html = page(g, PROJ, false, &st);
	int before = vcalls();
	link_of(g, html, W11, url, sizeof url);
	CHECK(get(url, NULL, &body, NULL) == 403, "non-listed served");
	free(body);
	link_of(g, html, W10, url, sizeof url);
	CHECK(get(url, NULL, &body, NULL) == 200, "listed refused");
	free(body);
	CHECK(vcalls() == before, "vet called in vetted-only mode");
	free(html);
	pv_gate_stop(g);
}

static void test_two_upstreams(void)
{
	const char *ups[] = {g_up1, g_up2, NULL};
	struct pv_gate *g = start_gate(ups);
	if (!g)
		return;
	long st;
	char *html = page(g, PROJ, false, &st), url[512], *body, fpath[512];
	CHECK(st == 200 && strstr(html, W10) && strstr(html, W11) && strstr(html, W20), "merged: %s", html);
	/* the same file name on both: the first upstream's file */
	link_of(g, html, W10, url, sizeof url);
	size_t len, flen;
	snprintf(fpath, sizeof fpath, "%s/pypi/files/" PROJ "/" W10, g_root1);
	char *want = slurp(fpath, &flen);
	CHECK(get(url, NULL, &body, &len) == 200 && want && len == flen && memcmp(body, want, len) == 0,
	      "first upstream does not win");
	free(body);
	free(want);
	free(html);
	free(page(g, "onlytwo", true, &st));
	CHECK(st == 200, "project only on the second index: %ld", st);
	const char *const *sh = pv_gate_shadowed(g);
	CHECK(sh[0] && strcmp(sh[0], PROJ) == 0 && !sh[1], "shadowed: %s", sh[0] ? sh[0] : "(none)");
	pv_gate_stop(g);
}

static void test_unreachable(void)
{
	const char *ups[] = {"http://127.0.0.1:1/simple/", g_up1, NULL};
	struct pv_gate *g = start_gate(ups);
	if (!g)
		return;
	long st;
	char *js = page(g, PROJ, true, &st);
	CHECK(st == 200 && strstr(js, W10), "one index down: %ld %s", st, js);
	free(js);
	pv_gate_stop(g);
	const char *down[] = {"http://127.0.0.1:1/simple/", NULL};
	g = start_gate(down);
	if (!g)
		return;
	js = page(g, PROJ, true, &st);
	CHECK(st == 502, "all indexes down: %ld %s", st, js);
	free(js);
	pv_gate_stop(g);
	struct pv_gate *bad = NULL;
	const char *file[] = {"file:///etc/", NULL};
	struct pv_gate_opts o = {.upstreams = file, .vet = test_vet};
	char err[128];
	CHECK(pv_gate_start(&bad, &o, err, sizeof err) == -1 && !bad, "file:// upstream accepted");
}

struct worker {
	const char *page_url, *file_url;
	int ok;
};

static void *fetcher(void *arg)
{
	struct worker *w = arg;
	char *body;
	for (int i = 0; i < 4; i++) {
		long a = get(w->page_url, "application/vnd.pypi.simple.v1+json", &body, NULL);
		free(body);
		long b = get(w->file_url, NULL, &body, NULL);
		free(body);
		w->ok += a == 200 && b == 200;
	}
	return NULL;
}

static void test_concurrency(struct pv_gate *g)
{
	long st;
	char *html = page(g, PROJ, false, &st), purl[256], furl[512];
	snprintf(purl, sizeof purl, "%s" PROJ "/", pv_gate_index_url(g));
	link_of(g, html, W10, furl, sizeof furl);
	free(html);
	pthread_t t[8];
	struct worker w[8];
	for (int i = 0; i < 8; i++) {
		w[i] = (struct worker){.page_url = purl, .file_url = furl};
		CHECK(pthread_create(&t[i], NULL, fetcher, &w[i]) == 0, "thread");
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		CHECK(w[i].ok == 4, "thread %d: %d of 4", i, w[i].ok);
	}
}

/* Send req on a fresh connection; everything the gate answers until it
 * closes the connection (or 5 s pass), malloc'd. */
static char *raw(const struct pv_gate *g, const char *req, size_t reqlen)
{
	int port = 0;
	sscanf(pv_gate_index_url(g), "http://127.0.0.1:%d/", &port);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct timeval tv = {.tv_sec = 5};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	char *out = calloc(1, 65536);
	if (fd < 0 || !out || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		if (fd >= 0)
			close(fd);
		return out;
	}
	(void)send(fd, req, reqlen, MSG_NOSIGNAL);
	size_t have = 0;
	ssize_t n;
	while (have < 65535 && (n = recv(fd, out + have, 65535 - have, 0)) > 0)
		have += (size_t)n;
	close(fd);
	return out;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* The HTTP/1.1 server itself: methods, limits, keep-alive, pipelining. */
static void test_http(struct pv_gate *g)
{
	char tok[33], req[1024];
	const char *t = strstr(pv_gate_index_url(g), "/simple/") - 32;
	memcpy(tok, t, 32);
	tok[32] = '\0';
	snprintf(req, sizeof req, "POST /%s/simple/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", tok);
	char *r = raw(g, req, strlen(req));
	CHECK(strncmp(r, "HTTP/1.1 405", 12) == 0, "POST: %.40s", r);
	free(r);
	char *big = malloc(10000);
	if (big) {
		memset(big, 'a', 9999);
		memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
		r = raw(g, big, 9999);
		CHECK(strncmp(r, "HTTP/1.1 431", 12) == 0, "huge head: %.40s", r);
		free(r);
		free(big);
	}
	/* two pipelined requests on one connection, the second closing it */
	snprintf(req, sizeof req,
	         "GET /%s/simple/ HTTP/1.1\r\nHost: x\r\n\r\nHEAD /%s/simple/ HTTP/1.1\r\nHost: x\r\n"
	         "Connection: close\r\n\r\n",
	         tok, tok);
	r = raw(g, req, strlen(req));
	CHECK(count(r, "HTTP/1.1 200") == 2 && count(r, "</html>") == 1 && strstr(r, "Connection: close"),
	      "keep-alive / HEAD: %s", r);
	free(r);
	snprintf(req, sizeof req, "GET /%s/files/0/..%%2Fx HTTP/1.1\r\nConnection: close\r\n\r\n", tok);
	r = raw(g, req, strlen(req));
	CHECK(strncmp(r, "HTTP/1.1 404", 12) == 0, "encoded slash: %.40s", r);
	free(r);
	static const char notok[] = "GET /simple/ HTTP/1.1\r\nConnection: close\r\n\r\n";
	r = raw(g, notok, sizeof notok - 1);
	CHECK(strncmp(r, "HTTP/1.1 404", 12) == 0, "no token: %.40s", r);
	free(r);
}

/* The real pip against the gate. */
static int pip_download(const struct pv_gate *g, const char *spec, const char *dest)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd,
	         "cd '%s' && HOME='%s' PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 "
	         "PIP_NO_INPUT=1 NO_PROXY=127.0.0.1 no_proxy=127.0.0.1 "
	         "python3 -m pip download --no-deps --no-cache-dir --no-build-isolation --retries 0 --timeout 20 --dest '%s' "
	         "--index-url '%s' '%s' >'%s/pip.log' 2>&1",
	         g_tmp, g_tmp, dest, pv_gate_index_url(g), spec, g_tmp);
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void test_pip(struct pv_gate *g)
{
	if (system("python3 -m pip --version >/dev/null 2>&1") != 0) {
		fprintf(stderr, "SKIP pip end-to-end: no pip\n");
		return;
	}
	char dest[400], p[500];
	snprintf(dest, sizeof dest, "%s/dl", g_tmp);
	CHECK(pip_download(g, PROJ "==1.0", dest) == 0, "pip download of an allowed wheel failed (see %s/pip.log)",
	      g_tmp);
	snprintf(p, sizeof p, "%s/" W10, dest);
	struct stat sb;
	CHECK(stat(p, &sb) == 0, "%s not downloaded", p);
	CHECK(pip_download(g, PROJ "==1.1", dest) != 0, "pip downloaded a refused wheel");
	size_t len = 0;
	snprintf(p, sizeof p, "%s/pip.log", g_tmp);
	char *log = slurp(p, &len);
	CHECK(log && memmem(log, len, "403", 3), "pip failed for another reason: %.*s", (int)len, log ? log : "");
	free(log);
	/* the point of the gate: pip never gets (so never builds) a refused sdist */
	CHECK(pip_download(g, "canary", dest) != 0, "pip downloaded the refused canary");
	snprintf(p, sizeof p, "%s/canary-ran", g_tmp);
	CHECK(stat(p, &sb) != 0, "the canary's setup.py ran");
	snprintf(p, sizeof p, "%s/" W11, dest);
	CHECK(stat(p, &sb) != 0, "%s exists", p);
}

/* Page reading and writing on their own: attributes pip needs, escaping. */
static void test_page_rewrite(void)
{
	const char *html =
	    "<html><body>\n"
	    "<a href=\"../../packages/x/foo-1.0.tar.gz#sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\" "
	    "data-requires-python=\"&gt;=3.8\" data-yanked=\"bad &quot;build&quot;\">foo-1.0.tar.gz</a>\n"
	    "<A HREF='https://files.example/foo-1.1-py3-none-any.whl' data-core-metadata=\"sha256="
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\">foo-1.1-py3-none-any.whl</A>\n"
	    "<a href=\"/evil/x\">../etc/passwd</a><a href=\"javascript:alert(1)\">foo-9.tar.gz</a>\n"
	    "</body></html>";
	struct pv_gate_page pg = {0};
	CHECK(pv_gate_page_parse(&pg, 0, "https://idx.example/simple/foo/", html, strlen(html)) == 2, "parse");
	CHECK(pg.n == 2, "files %zu", pg.n);
	if (pg.n == 2) {
		CHECK(strcmp(pg.files[0].url, "https://idx.example/packages/x/foo-1.0.tar.gz") == 0, "%s", pg.files[0].url);
		CHECK(pg.files[0].sha256 && pg.files[0].sha256[0] == 'a', "sha");
		CHECK(pg.files[0].requires_python && strcmp(pg.files[0].requires_python, ">=3.8") == 0, "rp");
		CHECK(pg.files[0].yanked && strcmp(pg.files[0].yanked_reason, "bad \"build\"") == 0, "yanked");
		CHECK(pg.files[1].has_meta && pg.files[1].meta_sha256 && !pg.files[1].sha256, "meta");
	}
	const char *js = "{\"meta\":{\"api-version\":\"1.1\"},\"name\":\"foo\",\"files\":["
	                 "{\"filename\":\"foo-1.0.tar.gz\",\"url\":\"https://other/x\",\"hashes\":{}},"
	                 "{\"filename\":\"foo-2.0.tar.gz\",\"url\":\"x/foo-2.0.tar.gz\",\"hashes\":{\"sha256\":"
	                 "\"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\"},"
	                 "\"requires-python\":\"<4\\\"><script>\",\"yanked\":true,\"core-metadata\":true}]}";
	CHECK(pv_gate_page_parse(&pg, 1, "https://two.example/simple/foo/", js, strlen(js)) == 2, "json parse");
	CHECK(pg.n == 3 && strcmp(pg.files[2].url, "https://two.example/simple/foo/x/foo-2.0.tar.gz") == 0 &&
	          pg.files[2].upstream == 1,
	      "merge");
	const char *hrefs[] = {"/T/files/0/a", "/T/files/1/b", "/T/files/2/c"};
	size_t len;
	char *out = pv_gate_page_render(&pg, "foo", hrefs, false, &len);
	CHECK(out && strstr(out, "data-requires-python=\"&lt;4&quot;&gt;&lt;script&gt;\"") &&
	          strstr(out, "data-core-metadata=\"true\"") && strstr(out, "data-yanked=\"bad &quot;build&quot;\"") &&
	          strstr(out, "href=\"/T/files/1/b\" data-core-metadata=\"sha256=bbbb") && !strstr(out, "idx.example"),
	      "%s", out ? out : "(null)");
	free(out);
	out = pv_gate_page_render(&pg, "foo", hrefs, true, &len);
	CHECK(out && strstr(out, "\"url\":\"/T/files/2/c\"") && strstr(out, "\"core-metadata\":{\"sha256\":\"bbbb") &&
	          strstr(out, "\"requires-python\":\"<4\\\"><script>\""),
	      "%s", out ? out : "(null)");
	free(out);
	pv_gate_page_free(&pg);
	CHECK(pv_gate_page_parse(&pg, 0, "https://x/simple/foo/", "garbage", 7) == -2, "garbage accepted");
	pv_gate_page_free(&pg);
}


/* ---------------- find-links ---------------- */

static void test_dist_names(void)
{
	static const struct {
		const char *file, *project;
		bool yes;
	} k[] = {
	    {"foo-1.0-py3-none-any.whl", "foo", true},
	    {"Foo_Bar-1.0-1-cp311-cp311-manylinux_2_17_x86_64.whl", "foo-bar", true},
	    {"foo-1.0.tar.gz", "foo", true},
	    {"foo-bar-1.0.zip", "foo-bar", true},
	    {"foo.bar-v2.tgz", "foo-bar", true},
	    {"foo-1.0.tar.bz2", "foo", true},
	    {"foo-bar-1.0.tar.gz", "foo", false},   /* "bar-1.0" is no version */
	    {"foo-1.0-py3-none-any.whl", "fo", false},
	    {"foo-1.0-py3-any.whl", "foo", false},  /* 4 fields */
	    {"foo-1-2-3-4-5-6.whl", "foo", false},  /* 7 fields */
	    {"foo-x-py3-none-any.whl", "foo", false},
	    {"foo.whl", "foo", false},
	    {"foo-1.0.txt", "foo", false},
	    {"foo-1.0.tar.gz.asc", "foo", false},
	    {"-1.0.tar.gz", "", false},
	    {"foo-.tar.gz", "foo", false},
	    {"fo\no-1.0.tar.gz", "fo-o", false},
	    {"../foo-1.0.tar.gz", "foo", false},
	    {"f\xc3\xa9-1.0.tar.gz", "f\xc3\xa9", false},
	};
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
		CHECK(pv_gate_dist_is(k[i].file, k[i].project) == k[i].yes, "%s for %s", k[i].file, k[i].project);

	struct pv_gate_fl s;
	char err[200];
	CHECK(pv_gate_fl_init(&s, "wheels", err, sizeof err) == -1 && strstr(err, "absolute"), "relative: %s", err);
	CHECK(pv_gate_fl_init(&s, "ftp://h/x", err, sizeof err) == -1, "ftp accepted");
	CHECK(pv_gate_fl_init(&s, "file://otherhost/x", err, sizeof err) == -1, "remote file URL accepted");
	CHECK(pv_gate_fl_init(&s, "file:///a%00b", err, sizeof err) == -1, "NUL accepted");
	CHECK(pv_gate_fl_init(&s, "", err, sizeof err) == -1, "empty accepted");
	CHECK(pv_gate_fl_init(&s, "/no/such/dir", err, sizeof err) == 0 && s.path && !s.dir, "missing: %s", err);
	pv_gate_fl_free(&s);
	CHECK(pv_gate_fl_init(&s, "file://localhost/tm%70/", err, sizeof err) == 0 && s.dir &&
	          strcmp(s.path, "/tmp") == 0, "file URL: %s", s.path ? s.path : err);
	pv_gate_fl_free(&s);
	CHECK(pv_gate_fl_init(&s, "HTTPS://h/wheels/#frag", err, sizeof err) == 0 && s.url &&
	          strcmp(s.url, "HTTPS://h/wheels/") == 0, "http: %s", s.url ? s.url : err);
	pv_gate_fl_free(&s);
}

static char g_fl[300];

static void put_bytes(const char *name, const char *text)
{
	char p[600];
	snprintf(p, sizeof p, "%s/%s", g_fl, name);
	fixture_write_file(p, text);
}

/* The find-links directory: good names, garbage, things that are not
 * regular files in it. */
static void setup_findlinks(void)
{
	snprintf(g_fl, sizeof g_fl, "%s/fl", g_tmp);
	mkdir(g_fl, 0700);
	fixture_mkdirs(g_tmp, "outside");
	fixture_put(g_tmp, "outside/secret", "not for pip");
	put_bytes("flpkg-1.0-py3-none-any.whl", "wheel 1.0");
	put_bytes("flpkg-1.1-py3-none-any.whl", "wheel 1.1 (refused)");
	put_bytes("flpkg-2.0.tar.gz", "sdist 2.0");
	put_bytes("FlPkg-3.0-py3-none-any.whl", "wheel 3.0");
	put_bytes("flpkg-readme.txt", "x");
	put_bytes("flpkg.whl", "x");
	put_bytes("flpkg-x-y.whl", "x");
	put_bytes("otherpkg-1.0-py3-none-any.whl", "other");
	put_bytes("gatepkg-3.0-py3-none-any.whl", "local gatepkg");
	char p[600], t[600];
	snprintf(p, sizeof p, "%s/flpkg-9.0-py3-none-any.whl", g_fl);
	snprintf(t, sizeof t, "%s/outside/secret", g_tmp);
	CHECK(symlink(t, p) == 0, "symlink");
	snprintf(p, sizeof p, "%s/flpkg-8.0.tar.gz", g_fl);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/flpkg-7.0.tar.gz", g_fl);
	CHECK(mkfifo(p, 0600) == 0, "mkfifo");
}

static void sha_text(const char *text, char out[65])
{
	pv_sha256_hex(text, strlen(text), out, 65);
}

static void test_findlinks_dir(void)
{
	const char *none[] = {NULL}, *fl[] = {g_fl, NULL};
	struct pv_gate *g = start_gate_fl(none, fl, 0);
	if (!g)
		return;
	long st;
	char *html = page(g, "flpkg", false, &st), url[512], *body, sha[65];
	size_t len;
	CHECK(st == 200, "find-links page %ld", st);
	CHECK(strstr(html, ">flpkg-1.0-py3-none-any.whl<") && strstr(html, ">flpkg-1.1-py3-none-any.whl<") &&
	          strstr(html, ">flpkg-2.0.tar.gz<") && strstr(html, ">FlPkg-3.0-py3-none-any.whl<"),
	      "%s", html);
	CHECK(!strstr(html, "9.0") && !strstr(html, "8.0") && !strstr(html, "7.0") && !strstr(html, "readme") &&
	          !strstr(html, "otherpkg") && !strstr(html, "flpkg-x") && !strstr(html, ">flpkg.whl"),
	      "not a listed file: %s", html);
	CHECK(!strstr(html, g_fl), "local path leaked: %s", html);
	sha_text("wheel 1.0", sha);
	CHECK(strstr(html, sha) != NULL, "digest of the listed bytes: %s", html);

	/* allowed: the bytes, vetted once */
	int before = vcalls();
	link_of(g, html, "flpkg-1.0-py3-none-any.whl", url, sizeof url);
	CHECK(get(url, NULL, &body, &len) == 200 && len == 9 && memcmp(body, "wheel 1.0", 9) == 0, "served");
	free(body);
	CHECK(vcalls() == before + 1, "vet calls %d", vcalls() - before);
	char murl[600];
	snprintf(murl, sizeof murl, "%s.metadata", url);
	CHECK(get(murl, NULL, &body, NULL) == 404, "metadata of a local file");
	free(body);
	/* refused */
	link_of(g, html, "flpkg-1.1-py3-none-any.whl", url, sizeof url);
	CHECK(get(url, NULL, &body, &len) == 403 && !memmem(body, len, "wheel 1.1", 9), "refused: %s", body);
	free(body);

	/* replaced after the listing: not what the page said, not served, not vetted */
	link_of(g, html, "flpkg-2.0.tar.gz", url, sizeof url);
	put_bytes("flpkg-2.0.tar.gz", "sdist 2.0, swapped");
	before = vcalls();
	CHECK(get(url, NULL, &body, &len) == 502 && strstr(body, "hash mismatch"), "swapped: %s", body);
	free(body);
	CHECK(vcalls() == before, "swapped file vetted");
	/* listed again: the new bytes are what is vetted and what is served */
	free(html);
	html = page(g, "flpkg", false, &st);
	link_of(g, html, "flpkg-2.0.tar.gz", url, sizeof url);
	CHECK(get(url, NULL, &body, &len) == 200, "relisted");
	char got[65] = "";
	pv_sha256_hex(body, len, got, sizeof got);
	pthread_mutex_lock(&g_vlock);
	CHECK(strcmp(got, g_vsha) == 0, "served %s, vetted %s", got, g_vsha);
	pthread_mutex_unlock(&g_vlock);
	free(body);
	/* gone since the listing */
	link_of(g, html, "FlPkg-3.0-py3-none-any.whl", url, sizeof url);
	char p[600];
	snprintf(p, sizeof p, "%s/FlPkg-3.0-py3-none-any.whl", g_fl);
	unlink(p);
	CHECK(get(url, NULL, &body, NULL) == 404, "vanished file: %s", body);
	free(body);
	put_bytes("FlPkg-3.0-py3-none-any.whl", "wheel 3.0");

	free(page(g, "otherpkg", false, &st));
	CHECK(st == 200, "other project %ld", st);
	free(page(g, "nosuch", false, &st));
	CHECK(st == 404, "missing project %ld", st);
	CHECK(pv_gate_shadowed(g)[0] == NULL, "shadowed with one source");

	/* the final install: only the vetted digest */
	sha_text("wheel 1.0", sha);
	const char *set[] = {sha};
	CHECK(pv_gate_vetted_only(g, set, 1) == 0, "vetted_only");
	link_of(g, html, "flpkg-1.0-py3-none-any.whl", url, sizeof url);
	CHECK(get(url, NULL, &body, NULL) == 200, "vetted local file refused");
	free(body);
	link_of(g, html, "flpkg-2.0.tar.gz", url, sizeof url);
	CHECK(get(url, NULL, &body, NULL) == 403, "unvetted local file served");
	free(body);
	free(html);
	pv_gate_stop(g);
}

static void test_findlinks_limits(void)
{
	char many[400], p[600];
	snprintf(many, sizeof many, "%s/many", g_tmp);
	mkdir(many, 0700);
	for (int i = 0; i < 30; i++) {
		snprintf(p, sizeof p, "%s/junk%d", many, i);
		fixture_write_file(p, "x");
	}
	snprintf(p, sizeof p, "%s/manypkg-1.0.tar.gz", many);
	fixture_write_file(p, "x");
	const char *none[] = {NULL}, *fl[] = {many, NULL};
	struct pv_gate *g = start_gate_fl(none, fl, 10);
	long st;
	char *body = g ? page(g, "manypkg", false, &st) : NULL;
	CHECK(g && st == 502 && strstr(body, "more than 10"), "huge directory: %ld %s", st, body);
	free(body);
	pv_gate_stop(g);
	g = start_gate_fl(none, fl, 0);
	body = g ? page(g, "manypkg", false, &st) : NULL;
	CHECK(g && st == 200 && strstr(body, "manypkg-1.0.tar.gz"), "default limit: %ld", st);
	free(body);
	pv_gate_stop(g);

	/* a single archive as the source; a missing directory lists nothing */
	char one[600], missing[400];
	snprintf(one, sizeof one, "file://%s/flpkg-1.0-py3-none-any.whl", g_fl);
	snprintf(missing, sizeof missing, "%s/no-such-dir", g_tmp);
	const char *fl2[] = {one, missing, NULL};
	g = start_gate_fl(none, fl2, 0);
	body = g ? page(g, "flpkg", false, &st) : NULL;
	CHECK(g && st == 200 && strstr(body, "flpkg-1.0-py3") && !strstr(body, "flpkg-2.0"), "one file: %s", body);
	free(body);
	pv_gate_stop(g);

	struct pv_gate *bad = NULL;
	struct pv_gate_opts o = {.upstreams = none, .find_links = none, .vet = test_vet};
	char err[200];
	CHECK(pv_gate_start(&bad, &o, err, sizeof err) == -1 && !bad, "nothing to serve accepted");
	const char *rel[] = {"wheels", NULL};
	o.find_links = rel;
	CHECK(pv_gate_start(&bad, &o, err, sizeof err) == -1 && !bad, "relative find-links accepted");
}

/* With an index: merged, and a name on both is dependency confusion. */
static void test_findlinks_index(void)
{
	char again[400];
	snprintf(again, sizeof again, "file://%s/", g_fl); /* the same directory twice is one source */
	const char *ups[] = {g_up1, NULL}, *fl[] = {g_fl, again, NULL};
	struct pv_gate *g = start_gate_fl(ups, fl, 0);
	if (!g)
		return;
	long st;
	char *html = page(g, PROJ, false, &st), url[512], *body;
	size_t len;
	CHECK(st == 200 && strstr(html, W10) && strstr(html, "gatepkg-3.0-py3-none-any.whl"), "merged: %s", html);
	link_of(g, html, "gatepkg-3.0-py3-none-any.whl", url, sizeof url);
	CHECK(get(url, NULL, &body, &len) == 200 && len == 13 && memcmp(body, "local gatepkg", 13) == 0, "local");
	free(body);
	free(html);
	free(page(g, "flpkg", true, &st));
	CHECK(st == 200, "only in find-links, index 404: %ld", st);
	CHECK(pv_gate_shadowed(g)[0] && !pv_gate_shadowed(g)[1], "flpkg shadowed by itself");
	const char *const *sh = pv_gate_shadowed(g);
	CHECK(sh[0] && strcmp(sh[0], PROJ) == 0 && !sh[1], "shadowed: %s", sh[0] ? sh[0] : "(none)");
	pv_gate_stop(g);

	/* an http(s) flat page: only its links for the project asked */
	char flat[200];
	snprintf(flat, sizeof flat, "http://127.0.0.1:%d/pypi/simple/" PROJ "/", g_fx1.port);
	const char *none[] = {NULL}, *fl2[] = {flat, NULL};
	g = start_gate_fl(none, fl2, 0);
	if (!g)
		return;
	html = page(g, PROJ, false, &st);
	CHECK(st == 200 && strstr(html, W10) && strstr(html, W11), "flat page: %s", html);
	link_of(g, html, W10, url, sizeof url);
	CHECK(get(url, NULL, &body, NULL) == 200, "file from a flat page");
	free(body);
	free(html);
	free(page(g, "onlytwo", false, &st));
	CHECK(st == 404, "a project the flat page does not link: %ld", st);
	pv_gate_stop(g);
	const char *down[] = {"http://127.0.0.1:1/wheels/", NULL};
	g = start_gate_fl(ups, down, 0);
	free(g ? page(g, PROJ, false, &st) : NULL);
	CHECK(st == 502, "find-links page down: %ld", st);
	pv_gate_stop(g);
}

int main(void)
{
	test_page_rewrite();
	setup_roots();
	if (fixture_start(&g_fx1, "registry_server.py", g_root1) != 0 ||
	    fixture_start(&g_fx2, "registry_server.py", g_root2) != 0) {
		fprintf(stderr, "cannot start the fixture index\n");
		return 2;
	}
	set_upstreams();
	const char *ups[] = {g_up1, NULL};
	struct pv_gate *g = start_gate(ups);
	if (g) {
		test_pages(g);
		test_files(g);
		test_concurrency(g);
		test_http(g);
		test_pip(g);
		CHECK(pv_gate_shadowed(g)[0] == NULL, "shadowed with one index");
		pv_gate_stop(g);
	}
	test_vetted_only(ups);
	test_two_upstreams();
	test_unreachable();
	test_dist_names();
	setup_findlinks();
	test_findlinks_dir();
	test_findlinks_limits();
	test_findlinks_index();
	fixture_stop(&g_fx1);
	fixture_stop(&g_fx2);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_tmp);
	if (!check_failures && system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", g_tmp);
	return CHECK_DONE();
}
