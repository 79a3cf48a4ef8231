/* The SQLite cache: round trips, analyser-version separation, metadata TTL
 * and ETags, maintenance, damaged and foreign files, permissions, several
 * processes at once, and the cost of a warm read. */
#include "check.h"
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char tmpdir[256];

static char *tpath(const char *name)
{
	static char buf[4][512];
	static int k;
	char *b = buf[k++ & 3];
	snprintf(b, sizeof buf[0], "%s/%s", tmpdir, name);
	return b;
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Append a finding exactly as given (no caps, no excerpt cut), so that the
 * cache is tested with whatever a findings list may hold. */
static void push(struct pv_findings *fs, const char *attr, const char *file, uint32_t line,
                 const char *excerpt, const char *detail, bool install_time, uint32_t count)
{
	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 8;
		struct pv_finding *v = realloc(fs->v, cap * sizeof *v);
		if (!v)
			abort();
		fs->v = v;
		fs->cap = cap;
	}
	struct pv_finding *f = &fs->v[fs->n++];
	memset(f, 0, sizeof *f);
	f->attr = xstrdup(attr);
	f->file = xstrdup(file);
	f->line = line;
	f->excerpt = xstrdup(excerpt);
	f->detail = xstrdup(detail);
	f->install_time = install_time;
	f->count = count;
}

static bool findings_equal(const struct pv_findings *a, const struct pv_findings *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct pv_finding *x = &a->v[i], *y = &b->v[i];
		if (!same(x->attr, y->attr) || !same(x->file, y->file) || x->line != y->line ||
		    !same(x->excerpt, y->excerpt) || !same(x->detail, y->detail) ||
		    x->install_time != y->install_time || x->count != y->count) {
			fprintf(stderr, "finding %zu differs\n", i);
			return false;
		}
	}
	return true;
}

static struct pv_cache *open_ok(const char *path)
{
	struct pv_cache *c = NULL;
	char *err = NULL;
	int rc = pv_cache_open(path, &c, &err);
	CHECK(rc == PV_CACHE_OK && c, "open %s: %d %s", path, rc, err ? err : "");
	free(err);
	return c;
}

static bool one_line(const char *s)
{
	return s && s[0] && !strchr(s, '\n') && !strchr(s, '\r');
}

static void test_default_path(void)
{
	char *saved_x = xstrdup(getenv("XDG_CACHE_HOME"));
	setenv("XDG_CACHE_HOME", tpath("xdg"), 1);
	char *p = pv_cache_default_path();
	char want[600];
	snprintf(want, sizeof want, "%s/pkgvet/cache.sqlite3", tpath("xdg"));
	CHECK(p && strcmp(p, want) == 0, "default path %s", p ? p : "(null)");
	free(p);

	/* Opened through the default: directories created, private. */
	struct pv_cache *c = open_ok(NULL);
	if (c) {
		CHECK(strcmp(pv_cache_path(c), want) == 0, "path %s", pv_cache_path(c));
		pv_cache_close(c);
	}
	struct stat sb;
	char dir[600];
	snprintf(dir, sizeof dir, "%s/pkgvet", tpath("xdg"));
	CHECK(stat(dir, &sb) == 0 && (sb.st_mode & 0777) == 0700, "dir mode %o", (unsigned)sb.st_mode & 0777);
	CHECK(stat(want, &sb) == 0 && (sb.st_mode & 0077) == 0, "file mode %o", (unsigned)sb.st_mode & 0777);

	/* WAL mode is recorded in the file. */
	sqlite3 *db = NULL;
	if (sqlite3_open(want, &db) == SQLITE_OK) {
		sqlite3_stmt *s = NULL;
		sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL);
		CHECK(s && sqlite3_step(s) == SQLITE_ROW &&
		      strcmp((const char *)sqlite3_column_text(s, 0), "wal") == 0, "journal mode");
		sqlite3_finalize(s);
		sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL);
		CHECK(s && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == PV_CACHE_SCHEMA,
		      "user_version");
		sqlite3_finalize(s);
	}
	sqlite3_close(db);

	/* A relative XDG_CACHE_HOME is ignored (XDG rules): HOME is used. */
	setenv("XDG_CACHE_HOME", "relative/dir", 1);
	char *saved_h = xstrdup(getenv("HOME"));
	setenv("HOME", "/home/someone", 1);
	p = pv_cache_default_path();
	CHECK(p && strcmp(p, "/home/someone/.cache/pkgvet/cache.sqlite3") == 0, "home path %s", p ? p : "(null)");
	free(p);
	if (saved_h)
		setenv("HOME", saved_h, 1);
	else
		unsetenv("HOME");
	if (saved_x)
		setenv("XDG_CACHE_HOME", saved_x, 1);
	else
		unsetenv("XDG_CACHE_HOME");
	free(saved_h);
	free(saved_x);
}

static void test_analysis(void)
{
	struct pv_cache *c = open_ok(tpath("a.sqlite3"));
	if (!c)
		return;
	const char *dg = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

	struct pv_cache_analysis in = { .ecosystem = "npm", .name = "left-pad", .version = "1.3.0",
	                                .format = "tar.gz", .files = 12, .bytes = 34567, .analysed = 5 };
	size_t big = 200000;
	char *longx = malloc(big + 1);
	for (size_t i = 0; i < big; i++)
		longx[i] = (char)('a' + i % 26);
	longx[big] = '\0';
	push(&in.findings, "perm-network", "lib/index.js", 12, "fetch('https://x.example')", "calls fetch", false, 1);
	push(&in.findings, "install-hook", "package.json", 0, NULL, NULL, true, 3);
	push(&in.findings, "obfuscation", NULL, 0, "\xff\xfe\xc3(\x80 bad utf-8 \xed\xa0\x80", "", false, 7);
	push(&in.findings, "shady-url", "dist/bundle.min.js", UINT32_MAX, longx, "long excerpt", false, UINT32_MAX);
	push(&in.findings, "typosquat", NULL, 0, NULL, "looks like \"lodash\" 'quoted' ; DROP TABLE analysis; --",
	     false, 1);

	CHECK(pv_cache_put_analysis(c, dg, "a1", &in) == PV_CACHE_OK, "put: %s", pv_cache_error(c));

	struct pv_cache_analysis out;
	CHECK(pv_cache_get_analysis(c, dg, "a1", &out) == PV_CACHE_OK, "get: %s", pv_cache_error(c));
	CHECK(same(out.ecosystem, "npm") && same(out.name, "left-pad") && same(out.version, "1.3.0") &&
	      same(out.format, "tar.gz"), "strings");
	CHECK(out.files == 12 && out.bytes == 34567 && out.analysed == 5, "numbers");
	CHECK(out.created_at > 0, "created_at");
	CHECK(findings_equal(&in.findings, &out.findings), "findings round trip");
	CHECK(out.findings.n == 5 && out.findings.v[2].detail && out.findings.v[2].detail[0] == '\0',
	      "empty detail stays empty, not NULL");
	CHECK(out.findings.n == 5 && strlen(out.findings.v[3].excerpt) == big, "long excerpt length");
	CHECK(out.findings.n == 5 && out.findings.v[1].action == PV_ALLOW && !out.findings.v[1].kind,
	      "policy fields left for the policy step");
	pv_cache_analysis_free(&out);

	/* analyser_version separates results. */
	CHECK(pv_cache_get_analysis(c, dg, "a2", &out) == PV_CACHE_MISS, "other analyser misses");
	CHECK(out.findings.n == 0 && !out.name, "miss leaves out empty");
	struct pv_cache_analysis in2 = { .ecosystem = "npm", .name = "left-pad", .version = "1.3.0" };
	push(&in2.findings, "perm-fs-read", "a.js", 1, "fs.readFileSync", NULL, false, 1);
	CHECK(pv_cache_put_analysis(c, dg, "a2", &in2) == PV_CACHE_OK, "put a2");
	CHECK(pv_cache_get_analysis(c, dg, "a2", &out) == PV_CACHE_OK && findings_equal(&in2.findings, &out.findings),
	      "a2 has its own findings");
	pv_cache_analysis_free(&out);
	CHECK(pv_cache_get_analysis(c, dg, "a1", &out) == PV_CACHE_OK && findings_equal(&in.findings, &out.findings),
	      "a1 unchanged");
	pv_cache_analysis_free(&out);
	CHECK(pv_cache_get_analysis(c, "sha256:other", "a1", &out) == PV_CACHE_MISS, "other digest misses");

	/* Replacing an entry replaces its findings. */
	CHECK(pv_cache_put_analysis(c, dg, "a1", &in2) == PV_CACHE_OK, "replace");
	CHECK(pv_cache_get_analysis(c, dg, "a1", &out) == PV_CACHE_OK && findings_equal(&in2.findings, &out.findings),
	      "replaced findings");
	pv_cache_analysis_free(&out);

	/* No findings, NULL strings. */
	struct pv_cache_analysis empty = { 0 };
	CHECK(pv_cache_put_analysis(c, "sha256:empty", "a1", &empty) == PV_CACHE_OK, "put empty");
	CHECK(pv_cache_get_analysis(c, "sha256:empty", "a1", &out) == PV_CACHE_OK && out.findings.n == 0 &&
	      !out.name && !out.ecosystem && !out.version && !out.format, "empty entry");
	pv_cache_analysis_free(&out);

	/* Refusals. */
	CHECK(pv_cache_put_analysis(c, "", "a1", &in) == PV_CACHE_EINVAL, "empty digest");
	CHECK(pv_cache_put_analysis(c, dg, NULL, &in) == PV_CACHE_EINVAL, "no analyser version");
	CHECK(one_line(pv_cache_error(c)), "error message");
	in2.findings.oom = true;
	CHECK(pv_cache_put_analysis(c, "sha256:oom", "a1", &in2) == PV_CACHE_EINVAL, "incomplete list refused");
	CHECK(pv_cache_get_analysis(c, "sha256:oom", "a1", &out) == PV_CACHE_MISS, "nothing stored");
	in2.findings.oom = false;

	/* The struct pv_package wrappers. */
	struct pv_package pkg = { 0 };
	pkg.ecosystem = strdup("pypi");
	pkg.name = strdup("requests");
	pkg.version = strdup("2.32.3");
	pkg.format = strdup("whl");
	snprintf(pkg.digest, sizeof pkg.digest, "sha256:%064d", 7);
	pkg.files = 40;
	pkg.bytes = 123456;
	pkg.analysed = 30;
	push(&pkg.findings, "perm-network", "requests/api.py", 59, "return session.request(", NULL, false, 2);
	CHECK(pv_cache_put_package(c, "a1", &pkg) == PV_CACHE_OK, "put package: %s", pv_cache_error(c));
	struct pv_package got = { 0 };
	got.name = strdup("stale");
	CHECK(pv_cache_get_package(c, pkg.digest, "a1", &got) == PV_CACHE_OK, "get package");
	CHECK(same(got.name, "requests") && same(got.ecosystem, "pypi") && same(got.version, "2.32.3") &&
	      same(got.format, "whl") && strcmp(got.digest, pkg.digest) == 0 && got.files == 40 &&
	      got.bytes == 123456 && got.analysed == 30 && got.status == PV_PKG_OK &&
	      findings_equal(&pkg.findings, &got.findings), "package round trip");
	pv_package_free(&got);
	pkg.status = PV_PKG_ERROR;
	CHECK(pv_cache_put_package(c, "a1", &pkg) == PV_CACHE_EINVAL, "failed package not stored");
	pkg.status = PV_PKG_OK;
	pkg.digest[0] = '\0';
	CHECK(pv_cache_put_package(c, "a1", &pkg) == PV_CACHE_EINVAL, "directory (no digest) not stored");
	pv_package_free(&pkg);

	pv_findings_free(&in.findings);
	pv_findings_free(&in2.findings);
	free(longx);
	pv_cache_close(c);
}

static void test_meta(void)
{
	struct pv_cache *c = open_ok(tpath("m.sqlite3"));
	if (!c)
		return;
	int64_t t0 = 1800000000;
	pv_cache_set_now(c, t0);
	static const char body[] = "{\"name\":\"x\"}\0binary\xff tail";
	const char *key = "npm:https://registry.npmjs.org/x";
	CHECK(pv_cache_put_meta(c, key, body, sizeof body - 1, "W/\"abc\"") == PV_CACHE_OK, "put meta");

	char *b = NULL, *etag = NULL;
	size_t len = 0;
	bool fresh = false;
	CHECK(pv_cache_get_meta(c, key, 300, &b, &len, &etag, &fresh) == PV_CACHE_OK, "get meta");
	CHECK(b && len == sizeof body - 1 && memcmp(b, body, len) == 0 && b[len] == '\0', "body bytes");
	CHECK(same(etag, "W/\"abc\""), "etag");
	CHECK(fresh, "fresh within TTL");
	free(b);
	free(etag);

	/* Past the TTL: still returned, with the ETag, but stale. */
	pv_cache_set_now(c, t0 + 301);
	CHECK(pv_cache_get_meta(c, key, 300, &b, &len, &etag, &fresh) == PV_CACHE_OK, "stale get");
	CHECK(!fresh && same(etag, "W/\"abc\"") && len == sizeof body - 1, "stale with etag");
	free(b);
	free(etag);
	CHECK(pv_cache_get_meta(c, key, 3600, &b, &len, NULL, &fresh) == PV_CACHE_OK && fresh,
	      "fresh under a longer TTL");
	free(b);
	CHECK(pv_cache_get_meta(c, key, 0, &b, &len, NULL, &fresh) == PV_CACHE_OK && !fresh, "TTL 0: never fresh");
	free(b);

	/* 304: touch makes it fresh again. */
	CHECK(pv_cache_touch_meta(c, key) == PV_CACHE_OK, "touch");
	CHECK(pv_cache_get_meta(c, key, 300, &b, &len, &etag, &fresh) == PV_CACHE_OK && fresh &&
	      same(etag, "W/\"abc\"") && memcmp(b, body, len) == 0, "fresh after touch");
	free(b);
	free(etag);
	CHECK(pv_cache_touch_meta(c, "no-such-key") == PV_CACHE_MISS, "touch of a missing key");

	/* Clock gone backwards: not fresh. */
	pv_cache_set_now(c, t0 - 1000);
	CHECK(pv_cache_get_meta(c, key, 300, &b, &len, NULL, &fresh) == PV_CACHE_OK && !fresh, "future entry");
	free(b);
	pv_cache_set_now(c, t0);

	/* Replace; no ETag; empty body. */
	CHECK(pv_cache_put_meta(c, key, "new", 3, NULL) == PV_CACHE_OK, "replace");
	CHECK(pv_cache_get_meta(c, key, 300, &b, &len, &etag, &fresh) == PV_CACHE_OK && len == 3 &&
	      strcmp(b, "new") == 0 && !etag, "replaced, etag gone");
	free(b);
	CHECK(pv_cache_put_meta(c, "empty", "", 0, "e") == PV_CACHE_OK, "empty body");
	CHECK(pv_cache_get_meta(c, "empty", 300, &b, &len, NULL, NULL) == PV_CACHE_OK && b && len == 0 && b[0] == '\0',
	      "empty body round trip");
	free(b);

	CHECK(pv_cache_get_meta(c, "missing", 300, &b, &len, &etag, &fresh) == PV_CACHE_MISS && !b && !etag && !len,
	      "miss");
	CHECK(pv_cache_get_meta(c, "", 300, &b, &len, NULL, NULL) == PV_CACHE_EINVAL, "empty key");

	/* Bounds: refused before anything is read from the buffer. */
	CHECK(pv_cache_put_meta(c, "huge", "x", (size_t)PV_CACHE_BLOB_MAX + 1, NULL) == PV_CACHE_ETOOBIG,
	      "over 64 MiB refused");
	CHECK(one_line(pv_cache_error(c)) && strstr(pv_cache_error(c), tpath("m.sqlite3")), "message: %s",
	      pv_cache_error(c));
	CHECK(pv_cache_get_meta(c, "huge", 300, &b, &len, NULL, NULL) == PV_CACHE_MISS, "nothing stored");
	char etag_big[PV_CACHE_ETAG_MAX + 2];
	memset(etag_big, 'e', sizeof etag_big - 1);
	etag_big[sizeof etag_big - 1] = '\0';
	CHECK(pv_cache_put_meta(c, "k", "x", 1, etag_big) == PV_CACHE_ETOOBIG, "long etag refused");
	pv_cache_close(c);
}

static void test_maintenance(void)
{
	struct pv_cache *c = open_ok(tpath("s.sqlite3"));
	if (!c)
		return;
	int64_t t0 = 1800000000;
	pv_cache_set_now(c, t0);
	struct pv_cache_analysis a = { .name = "n" };
	push(&a.findings, "perm-process", "x.py", 1, "os.system(", NULL, false, 1);
	push(&a.findings, "perm-network", "x.py", 2, "urlopen(", NULL, false, 1);
	CHECK(pv_cache_put_analysis(c, "sha256:old", "v", &a) == PV_CACHE_OK, "put old");
	CHECK(pv_cache_put_meta(c, "meta-old", "0123456789", 10, NULL) == PV_CACHE_OK, "meta old");
	pv_cache_set_now(c, t0 + 10 * 86400);
	CHECK(pv_cache_put_analysis(c, "sha256:new", "v", &a) == PV_CACHE_OK, "put new");
	CHECK(pv_cache_put_meta(c, "meta-new", "abcde", 5, NULL) == PV_CACHE_OK, "meta new");

	struct pv_cache_stats st;
	CHECK(pv_cache_stats(c, &st) == PV_CACHE_OK, "stats");
	CHECK(st.analyses == 2 && st.findings == 4 && st.meta == 2 && st.meta_bytes == 15 && st.file_bytes > 0,
	      "stats %llu %llu %llu %llu %llu", (unsigned long long)st.analyses, (unsigned long long)st.findings,
	      (unsigned long long)st.meta, (unsigned long long)st.meta_bytes, (unsigned long long)st.file_bytes);

	/* A read marks an analysis entry used: reading "old" keeps it. */
	pv_cache_set_now(c, t0 + 20 * 86400);
	struct pv_cache_analysis out;
	CHECK(pv_cache_get_analysis(c, "sha256:old", "v", &out) == PV_CACHE_OK, "get old");
	pv_cache_analysis_free(&out);
	uint64_t removed = 99;
	/* Older than 5 days: "new" (used day 10), meta-old (day 0), meta-new (day 10) go; "old" was used day 20. */
	CHECK(pv_cache_prune(c, 5 * 86400, &removed) == PV_CACHE_OK, "prune");
	CHECK(removed == 3, "removed %llu", (unsigned long long)removed);
	CHECK(pv_cache_get_analysis(c, "sha256:old", "v", &out) == PV_CACHE_OK, "recently used kept");
	pv_cache_analysis_free(&out);
	CHECK(pv_cache_get_analysis(c, "sha256:new", "v", &out) == PV_CACHE_MISS, "unused pruned");
	CHECK(pv_cache_stats(c, &st) == PV_CACHE_OK && st.analyses == 1 && st.findings == 2 && st.meta == 0,
	      "after prune: no orphan findings");

	CHECK(pv_cache_put_meta(c, "m", "x", 1, NULL) == PV_CACHE_OK, "meta");
	CHECK(pv_cache_clear(c, PV_CACHE_CLEAR_META) == PV_CACHE_OK, "clear meta");
	CHECK(pv_cache_stats(c, &st) == PV_CACHE_OK && st.analyses == 1 && st.meta == 0, "analyses kept");
	CHECK(pv_cache_clear(c, PV_CACHE_CLEAR_ALL) == PV_CACHE_OK, "clear all");
	CHECK(pv_cache_stats(c, &st) == PV_CACHE_OK && st.analyses == 0 && st.findings == 0 && st.meta == 0,
	      "all cleared");
	CHECK(pv_cache_prune(c, -1, NULL) == PV_CACHE_EINVAL, "negative age");
	pv_findings_free(&a.findings);
	pv_cache_close(c);
}

static void write_file(const char *path, const void *data, size_t len, off_t at, bool trunc)
{
	int fd = open(path, O_WRONLY | O_CREAT | (trunc ? O_TRUNC : 0), 0600);
	CHECK(fd >= 0, "open %s", path);
	if (fd < 0)
		return;
	CHECK(pwrite(fd, data, len, at) == (ssize_t)len, "write %s", path);
	close(fd);
}

static void test_bad_files(void)
{
	struct pv_cache *c = NULL;
	char *err = NULL;

	/* Garbage where the database should be. */
	const char *g = tpath("garbage.sqlite3");
	char junk[8192];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (char)(i * 37 + 11);
	write_file(g, junk, sizeof junk, 0, true);
	int rc = pv_cache_open(g, &c, &err);
	CHECK(rc == PV_CACHE_ECORRUPT && !c, "garbage: rc %d", rc);
	CHECK(one_line(err) && strstr(err, g) && strstr(err, "pkgvet cache clear"), "garbage message: %s",
	      err ? err : "(null)");
	fprintf(stderr, "garbage file  -> %s\n", err ? err : "(null)");
	free(err);
	CHECK(pv_cache_remove(g, &err) == PV_CACHE_OK, "remove: %s", err ? err : "");
	free(err);
	c = open_ok(g);
	pv_cache_close(c);

	/* A valid header over damaged pages: open may work, reads must fail cleanly. */
	const char *d = tpath("damaged.sqlite3");
	c = open_ok(d);
	if (c) {
		struct pv_cache_analysis a = { .name = "n" };
		for (int i = 0; i < 300; i++)
			push(&a.findings, "perm-network", "f.js", (uint32_t)i, "fetch(url)", "detail text", false, 1);
		for (int i = 0; i < 20; i++) {
			char dg[64];
			snprintf(dg, sizeof dg, "sha256:%d", i);
			pv_cache_put_analysis(c, dg, "v", &a);
			pv_cache_put_meta(c, dg, "body", 4, NULL);
		}
		pv_findings_free(&a.findings);
		pv_cache_close(c); /* last connection: WAL checkpointed into the file */
	}
	struct stat sb;
	CHECK(stat(d, &sb) == 0 && sb.st_size > 4 * 4096, "damaged db size");
	write_file(d, junk, sizeof junk, 4096, false);       /* pages 2-3 */
	write_file(d, junk, sizeof junk, sb.st_size - 8192, false); /* the last pages */
	rc = pv_cache_open(d, &c, &err);
	if (rc == PV_CACHE_OK) {
		int bad = 0;
		for (int i = 0; i < 20; i++) {
			char dg[64];
			snprintf(dg, sizeof dg, "sha256:%d", i);
			struct pv_cache_analysis out;
			int r = pv_cache_get_analysis(c, dg, "v", &out);
			if (r < 0) {
				bad++;
				CHECK(one_line(pv_cache_error(c)) && strstr(pv_cache_error(c), d), "damaged message");
				if (bad == 1)
					fprintf(stderr, "damaged pages -> %s\n", pv_cache_error(c));
			} else if (r == PV_CACHE_OK) {
				CHECK(out.findings.n == 300, "a read that succeeds is complete");
			}
			pv_cache_analysis_free(&out);
		}
		struct pv_cache_stats st;
		int srs = pv_cache_stats(c, &st);
		CHECK(bad > 0 || srs < 0, "damage noticed");
		pv_cache_close(c);
	} else {
		CHECK(rc < 0 && one_line(err) && strstr(err, d), "damaged open: %s", err ? err : "(null)");
		fprintf(stderr, "damaged pages -> %s\n", err ? err : "(null)");
	}
	free(err);
	err = NULL;

	/* A database from a newer pkgvet is refused and left alone. */
	const char *n = tpath("newer.sqlite3");
	c = open_ok(n);
	pv_cache_close(c);
	sqlite3 *db = NULL;
	if (sqlite3_open(n, &db) == SQLITE_OK)
		sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	rc = pv_cache_open(n, &c, &err);
	CHECK(rc == PV_CACHE_ENEWER && !c, "newer: rc %d", rc);
	CHECK(one_line(err) && strstr(err, n) && strstr(err, "99"), "newer message: %s", err ? err : "(null)");
	fprintf(stderr, "newer schema  -> %s\n", err ? err : "(null)");
	free(err);
	if (sqlite3_open(n, &db) == SQLITE_OK) {
		sqlite3_stmt *s = NULL;
		sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL);
		CHECK(s && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == 99, "left alone");
		sqlite3_finalize(s);
	}
	sqlite3_close(db);

	/* A directory where the file should be; a file where a directory should be. */
	const char *dirpath = tpath("isdir.sqlite3");
	mkdir(dirpath, 0700);
	rc = pv_cache_open(dirpath, &c, &err);
	CHECK(rc < 0 && !c && one_line(err), "directory as db: rc %d %s", rc, err ? err : "");
	free(err);
	const char *f = tpath("plainfile");
	write_file(f, "x", 1, 0, true);
	char under[600];
	snprintf(under, sizeof under, "%s/sub/cache.sqlite3", f);
	rc = pv_cache_open(under, &c, &err);
	CHECK(rc < 0 && !c && one_line(err) && strstr(err, f), "file as parent: rc %d %s", rc, err ? err : "");
	fprintf(stderr, "bad parent    -> %s\n", err ? err : "(null)");
	free(err);
}

static void test_permissions(void)
{
	if (geteuid() == 0) {
		fprintf(stderr, "permission checks skipped: running as root (root ignores modes)\n");
		return;
	}
	struct pv_cache *c = NULL;
	char *err = NULL;
	const char *ro = tpath("ro");
	mkdir(ro, 0700);
	chmod(ro, 0500);
	char p[600];
	snprintf(p, sizeof p, "%s/cache.sqlite3", ro);
	int rc = pv_cache_open(p, &c, &err);
	CHECK(rc == PV_CACHE_EACCESS && !c && one_line(err) && strstr(err, p), "read-only dir: rc %d %s", rc,
	      err ? err : "");
	fprintf(stderr, "read-only dir -> %s\n", err ? err : "(null)");
	free(err);
	snprintf(p, sizeof p, "%s/sub/cache.sqlite3", ro);
	rc = pv_cache_open(p, &c, &err);
	CHECK(rc == PV_CACHE_EACCESS && !c && one_line(err), "read-only parent: rc %d %s", rc, err ? err : "");
	free(err);

	/* An existing database whose directory and file became read-only. */
	const char *rw = tpath("rw");
	mkdir(rw, 0700);
	snprintf(p, sizeof p, "%s/cache.sqlite3", rw);
	c = open_ok(p);
	pv_cache_close(c);
	chmod(p, 0400);
	chmod(rw, 0500);
	rc = pv_cache_open(p, &c, &err);
	CHECK(rc < 0 && !c && one_line(err), "read-only db: rc %d %s", rc, err ? err : "");
	free(err);
	chmod(rw, 0700);
	chmod(p, 0600);
	chmod(ro, 0700);
}

/* ---- several processes at once ---- */

#define NPROC 4
#define NITER 200

static int child(const char *path, int id, int go_fd)
{
	char x;
	if (read(go_fd, &x, 1) != 1) /* start together, to race the creation too */
		return 100;
	struct pv_cache *c = NULL;
	char *err = NULL;
	if (pv_cache_open(path, &c, &err) != PV_CACHE_OK) {
		fprintf(stderr, "child %d: open: %s\n", id, err ? err : "");
		free(err);
		return 101;
	}
	int fails = 0;
	for (int j = 0; j < NITER; j++) {
		char dg[64], key[64], body[64];
		snprintf(dg, sizeof dg, "sha256:p%d-%d", id, j);
		snprintf(key, sizeof key, "meta:p%d-%d", id, j);
		int blen = snprintf(body, sizeof body, "body of %d/%d", id, j);
		struct pv_cache_analysis a = { .name = dg, .files = (uint64_t)j };
		push(&a.findings, "perm-network", "a.js", (uint32_t)j, "fetch()", NULL, false, 1);
		push(&a.findings, "perm-process", "b.js", (uint32_t)id, NULL, "spawn", true, 2);
		int rc = pv_cache_put_analysis(c, dg, "v", &a);
		if (rc != PV_CACHE_OK) {
			fprintf(stderr, "child %d: put %d: %d %s\n", id, j, rc, pv_cache_error(c));
			fails++;
		}
		struct pv_cache_analysis out;
		rc = pv_cache_get_analysis(c, dg, "v", &out);
		if (rc != PV_CACHE_OK || !findings_equal(&a.findings, &out.findings) || out.files != (uint64_t)j) {
			fprintf(stderr, "child %d: get %d: %d %s\n", id, j, rc, pv_cache_error(c));
			fails++;
		}
		pv_cache_analysis_free(&out);
		pv_findings_free(&a.findings);
		/* Everyone also writes and reads one shared key and entry. */
		if (pv_cache_put_meta(c, key, body, (size_t)blen, "e") != PV_CACHE_OK ||
		    pv_cache_put_meta(c, "shared", body, (size_t)blen, NULL) != PV_CACHE_OK) {
			fprintf(stderr, "child %d: put meta %d: %s\n", id, j, pv_cache_error(c));
			fails++;
		}
		char *b = NULL;
		size_t len = 0;
		bool fresh = false;
		if (pv_cache_get_meta(c, key, 60, &b, &len, NULL, &fresh) != PV_CACHE_OK || len != (size_t)blen ||
		    memcmp(b, body, len) != 0 || !fresh) {
			fprintf(stderr, "child %d: get meta %d: %s\n", id, j, pv_cache_error(c));
			fails++;
		}
		free(b);
		if (pv_cache_get_meta(c, "shared", 60, &b, &len, NULL, NULL) != PV_CACHE_OK) {
			fprintf(stderr, "child %d: get shared %d: %s\n", id, j, pv_cache_error(c));
			fails++;
		}
		free(b);
		struct pv_cache_analysis sh = { .name = "shared" };
		push(&sh.findings, "perm-env-read", "c.js", (uint32_t)j, "process.env", NULL, false, 1);
		if (pv_cache_put_analysis(c, "sha256:shared", "v", &sh) != PV_CACHE_OK) {
			fprintf(stderr, "child %d: put shared %d: %s\n", id, j, pv_cache_error(c));
			fails++;
		}
		pv_findings_free(&sh.findings);
		if (pv_cache_get_analysis(c, "sha256:shared", "v", &out) != PV_CACHE_OK || out.findings.n != 1) {
			fprintf(stderr, "child %d: get shared entry %d: %s\n", id, j, pv_cache_error(c));
			fails++;
		}
		pv_cache_analysis_free(&out);
	}
	pv_cache_close(c);
	return fails > 99 ? 99 : fails;
}

static void test_concurrent(void)
{
	const char *path = tpath("conc/cache.sqlite3");
	int go[2];
	CHECK(pipe(go) == 0, "pipe");
	pid_t pids[NPROC];
	struct timespec t0, t1;
	for (int i = 0; i < NPROC; i++) {
		fflush(NULL);
		pids[i] = fork();
		if (pids[i] == 0) {
			close(go[1]);
			_exit(child(path, i, go[0]));
		}
		CHECK(pids[i] > 0, "fork");
	}
	close(go[0]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	char start[NPROC] = { 0 };
	CHECK(write(go[1], start, sizeof start) == (ssize_t)sizeof start, "start");
	close(go[1]);
	for (int i = 0; i < NPROC; i++) {
		int status = 0;
		if (pids[i] <= 0)
			continue;
		CHECK(waitpid(pids[i], &status, 0) == pids[i], "wait");
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %d: status %d", i,
		      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	fprintf(stderr, "concurrent: %d processes x %d iterations (2 analysis puts+gets, 2 meta puts+gets each) in %.0f ms\n",
	        NPROC, NITER, ms);

	struct pv_cache *c = open_ok(path);
	if (!c)
		return;
	struct pv_cache_stats st;
	CHECK(pv_cache_stats(c, &st) == PV_CACHE_OK, "stats");
	CHECK(st.analyses == NPROC * NITER + 1 && st.meta == NPROC * NITER + 1 &&
	      st.findings == 2 * NPROC * NITER + 1, "rows: %llu analyses %llu findings %llu meta",
	      (unsigned long long)st.analyses, (unsigned long long)st.findings, (unsigned long long)st.meta);
	int missing = 0;
	for (int i = 0; i < NPROC; i++)
		for (int j = 0; j < NITER; j++) {
			char dg[64];
			snprintf(dg, sizeof dg, "sha256:p%d-%d", i, j);
			struct pv_cache_analysis out;
			if (pv_cache_get_analysis(c, dg, "v", &out) != PV_CACHE_OK || out.findings.n != 2 ||
			    out.findings.v[0].line != (uint32_t)j || out.findings.v[1].line != (uint32_t)i)
				missing++;
			pv_cache_analysis_free(&out);
		}
	CHECK(missing == 0, "%d entries missing or wrong", missing);
	pv_cache_close(c);
}

static double since_ms(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void test_timing(void)
{
	struct pv_cache *c = open_ok(tpath("t.sqlite3"));
	if (!c)
		return;
	struct pv_cache_analysis a = { .ecosystem = "npm", .name = "express", .version = "4.21.2", .format = "tar.gz" };
	for (int i = 0; i < 20; i++)
		push(&a.findings, "perm-fs-read", "lib/view.js", (uint32_t)i, "fs.stat(path, callback)",
		     "reads a file", false, 1);
	for (int i = 0; i < 100; i++) {
		char dg[64];
		snprintf(dg, sizeof dg, "sha256:t%d", i);
		pv_cache_put_analysis(c, dg, "v", &a);
	}
	char body[20000];
	memset(body, 'j', sizeof body);
	CHECK(pv_cache_put_meta(c, "packument", body, sizeof body, "etag") == PV_CACHE_OK, "meta");

	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int ok = 0;
	for (int i = 0; i < 1000; i++) {
		char dg[64];
		snprintf(dg, sizeof dg, "sha256:t%d", i % 100);
		struct pv_cache_analysis out;
		if (pv_cache_get_analysis(c, dg, "v", &out) == PV_CACHE_OK && out.findings.n == 20)
			ok++;
		pv_cache_analysis_free(&out);
	}
	double ms = since_ms(&t0);
	CHECK(ok == 1000, "%d of 1000 gets", ok);
	fprintf(stderr, "timing: 1000 analysis gets (20 findings each) in %.1f ms (%.1f us/get)\n", ms, ms);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ok = 0;
	for (int i = 0; i < 1000; i++) {
		char *b = NULL;
		size_t len = 0;
		bool fresh = false;
		if (pv_cache_get_meta(c, "packument", 600, &b, &len, NULL, &fresh) == PV_CACHE_OK && len == sizeof body)
			ok++;
		free(b);
	}
	double ms2 = since_ms(&t0);
	CHECK(ok == 1000, "%d of 1000 meta gets", ok);
	fprintf(stderr, "timing: 1000 metadata gets (20 kB body) in %.1f ms\n", ms2);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct pv_cache *c2 = open_ok(tpath("t.sqlite3"));
	double ms3 = since_ms(&t0);
	fprintf(stderr, "timing: opening an existing cache: %.2f ms\n", ms3);
	pv_cache_close(c2);
	/* Generous: catches a per-get fsync or a scan, not a slow machine. */
	CHECK(ms < 10000 && ms2 < 10000, "gets far too slow");
	pv_findings_free(&a.findings);
	pv_cache_close(c);
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "%s/pv-cache-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_default_path();
	test_analysis();
	test_meta();
	test_maintenance();
	test_bad_files();
	test_permissions();
	test_concurrent();
	test_timing();
	if (!check_failures) {
		char cmd[400];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmpdir);
	} else {
		fprintf(stderr, "files kept in %s\n", tmpdir);
	}
	return CHECK_DONE();
}
