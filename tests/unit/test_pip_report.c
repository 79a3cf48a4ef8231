/* pip's installation report reader (shim/pip_report.h): hand-written
 * reports for every origin and every kind of bad input, then a real report
 * written by the real pip against the fixture index. */
#include "check.h"
#include "digest.h"
#include "fixture.h"
#include "pip_report.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define HEX_A "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define HEX_a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HEX_b "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

/* A report with the given "install" entries (a JSON list body). */
static char *report(const char *entries)
{
	static const char head[] = "{\"version\": \"1\", \"pip_version\": \"23.2.1\", \"install\": [";
	static const char tail[] = "], \"environment\": {\"python_version\": \"3.11\"}}";
	size_t n = strlen(head) + strlen(entries) + strlen(tail) + 1;
	char *s = malloc(n);
	if (!s) {
		perror("malloc");
		exit(2);
	}
	snprintf(s, n, "%s%s%s", head, entries, tail);
	return s;
}

static int parse(const char *json, struct pv_pip_report *r, char *err, size_t errlen)
{
	return pv_pip_report_parse(json, strlen(json), r, err, errlen);
}

static bool streq(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

/* Parse a report with ENTRY as its only entry and expect success. */
static int parse_one(const char *entry, struct pv_pip_report *r)
{
	char err[256] = "";
	char *j = report(entry);
	int rc = parse(j, r, err, sizeof err);
	free(j);
	CHECK(rc == 0, "parse failed: %s (entry %s)", err, entry);
	CHECK(rc != 0 || r->n == 1, "n = %zu", r->n);
	return rc == 0 && r->n == 1 ? 0 : -1;
}

/* Parse JSON and expect -1 with err containing WANT. */
static void expect_error(const char *json, const char *want)
{
	struct pv_pip_report r;
	char err[256] = "";
	int rc = parse(json, &r, err, sizeof err);
	CHECK(rc == -1, "rc %d for %.80s", rc, json);
	CHECK(strstr(err, want) != NULL, "err \"%s\" lacks \"%s\"", err, want);
	CHECK(strncmp(err, "pip report: ", 12) == 0 && !strchr(err, '\n'), "err form: %s", err);
	CHECK(r.n == 0 && r.items == NULL && r.pip_version == NULL, "out not left empty");
	pv_pip_report_free(&r);
}

static void expect_entry_error(const char *entry, const char *want)
{
	char *j = report(entry);
	expect_error(j, want);
	free(j);
}

static void test_index_wheel(void)
{
	struct pv_pip_report r;
	if (parse_one("{\"download_info\": {\"url\": \"https://files.example/packages/ab/cd/"
	              "Foo_Bar-1.0-py3-none-any.whl\", \"archive_info\": {\"hash\": \"sha256=" HEX_A "\", "
	              "\"hashes\": {\"sha256\": \"" HEX_A "\"}}}, \"is_direct\": false, \"requested\": true, "
	              "\"metadata\": {\"metadata_version\": \"2.1\", \"name\": \"Foo_Bar\", \"version\": \"1.0\", "
	              "\"requires_dist\": [\"six\"]}}",
	              &r) != 0)
		return;
	const struct pv_pip_item *it = &r.items[0];
	CHECK(streq(r.pip_version, "23.2.1"), "pip_version %s", r.pip_version);
	CHECK(streq(it->name, "foo-bar"), "name %s", it->name);
	CHECK(streq(it->display_name, "Foo_Bar"), "display %s", it->display_name);
	CHECK(streq(it->version, "1.0"), "version %s", it->version);
	CHECK(streq(it->filename, "Foo_Bar-1.0-py3-none-any.whl"), "filename %s", it->filename);
	CHECK(streq(it->sha256, HEX_a), "sha256 %s", it->sha256);
	CHECK(it->origin == PV_PIP_FROM_INDEX, "origin %d", it->origin);
	CHECK(!it->is_direct && it->requested && !it->editable && !it->is_yanked, "flags");
	CHECK(it->vcs_commit == NULL, "commit");
	pv_pip_report_free(&r);
	pv_pip_report_free(&r); /* twice is harmless */
}

static void test_sdist_yanked_legacy(void)
{
	struct pv_pip_report r;
	/* Only the legacy "hash" (older pip, or a cache entry), is_yanked
	 * (pip >= 24), a dependency (requested false), query and fragment. */
	if (parse_one("{\"download_info\": {\"url\": \"http://127.0.0.1:8080/files/bar-2.0.tar.gz?x=1#sha256=zz\", "
	              "\"archive_info\": {\"hash\": \"sha256=" HEX_b "\"}}, \"is_direct\": false, "
	              "\"requested\": false, \"is_yanked\": true, "
	              "\"metadata\": {\"name\": \"bar\", \"version\": \"2.0.post1+local.7\"}}",
	              &r) != 0)
		return;
	const struct pv_pip_item *it = &r.items[0];
	CHECK(streq(it->filename, "bar-2.0.tar.gz"), "filename %s", it->filename);
	CHECK(streq(it->sha256, HEX_b), "sha256 %s", it->sha256);
	CHECK(streq(it->version, "2.0.post1+local.7"), "version %s", it->version);
	CHECK(it->origin == PV_PIP_FROM_INDEX && !it->requested && it->is_yanked, "origin/flags");
	pv_pip_report_free(&r);

	/* A legacy hash of another algorithm is no SHA-256. */
	if (parse_one("{\"download_info\": {\"url\": \"https://h/x/bar-2.0.tar.gz\", \"archive_info\": "
	              "{\"hash\": \"md5=0123\"}}, \"is_direct\": false, \"requested\": true, "
	              "\"metadata\": {\"name\": \"bar\", \"version\": \"2.0\"}}",
	              &r) != 0)
		return;
	CHECK(r.items[0].sha256 == NULL, "sha256 %s", r.items[0].sha256);
	pv_pip_report_free(&r);
}

static void test_direct_url_and_percent(void)
{
	struct pv_pip_report r;
	if (parse_one("{\"download_info\": {\"url\": \"https://example.com/dl/my%20pkg-1.0%2Bx-py3-none-any.whl\", "
	              "\"archive_info\": {\"hashes\": {\"sha256\": \"" HEX_b "\"}}}, \"is_direct\": true, "
	              "\"requested\": true, \"requested_extras\": [\"cli\"], "
	              "\"metadata\": {\"name\": \"My.Pkg\", \"version\": \"1.0+x\"}}",
	              &r) != 0)
		return;
	const struct pv_pip_item *it = &r.items[0];
	CHECK(it->origin == PV_PIP_FROM_URL && it->is_direct, "origin %d", it->origin);
	CHECK(streq(it->filename, "my pkg-1.0+x-py3-none-any.whl"), "filename %s", it->filename);
	CHECK(streq(it->name, "my-pkg"), "name %s", it->name);
	pv_pip_report_free(&r);
}

static void test_file_dir_vcs(void)
{
	struct pv_pip_report r;
	if (parse_one("{\"download_info\": {\"url\": \"file:///home/u/dist/loc-0.1.tar.gz\", "
	              "\"archive_info\": {\"hashes\": {\"sha256\": \"" HEX_a "\"}}}, \"is_direct\": true, "
	              "\"requested\": true, \"metadata\": {\"name\": \"loc\", \"version\": \"0.1\"}}",
	              &r) == 0) {
		CHECK(r.items[0].origin == PV_PIP_FROM_FILE, "file origin %d", r.items[0].origin);
		CHECK(streq(r.items[0].filename, "loc-0.1.tar.gz"), "file name %s", r.items[0].filename);
		pv_pip_report_free(&r);
	}
	if (parse_one("{\"download_info\": {\"url\": \"file:///home/u/src/proj\", \"dir_info\": "
	              "{\"editable\": true}}, \"is_direct\": true, \"requested\": true, "
	              "\"metadata\": {\"name\": \"proj\", \"version\": \"0.0.1.dev0\"}}",
	              &r) == 0) {
		const struct pv_pip_item *it = &r.items[0];
		CHECK(it->origin == PV_PIP_FROM_DIR && it->editable, "dir origin %d", it->origin);
		CHECK(it->filename == NULL && it->sha256 == NULL, "dir has no file");
		pv_pip_report_free(&r);
	}
	/* dir_info without "editable": not editable (PEP 610 default). */
	if (parse_one("{\"download_info\": {\"url\": \"file:///src/p2\", \"dir_info\": {}}, "
	              "\"is_direct\": true, \"requested\": true, "
	              "\"metadata\": {\"name\": \"p2\", \"version\": \"1\"}}",
	              &r) == 0) {
		CHECK(r.items[0].origin == PV_PIP_FROM_DIR && !r.items[0].editable, "dir not editable");
		pv_pip_report_free(&r);
	}
	if (parse_one("{\"download_info\": {\"url\": \"https://github.com/o/r.git\", \"vcs_info\": "
	              "{\"vcs\": \"git\", \"requested_revision\": \"main\", \"commit_id\": "
	              "\"0123456789abcdef0123456789abcdef01234567\"}}, \"is_direct\": true, "
	              "\"requested\": true, \"metadata\": {\"name\": \"r\", \"version\": \"3.1\"}}",
	              &r) == 0) {
		const struct pv_pip_item *it = &r.items[0];
		CHECK(it->origin == PV_PIP_FROM_VCS, "vcs origin %d", it->origin);
		CHECK(streq(it->vcs_commit, "0123456789abcdef0123456789abcdef01234567"), "commit %s",
		      it->vcs_commit);
		CHECK(it->filename == NULL && it->sha256 == NULL, "vcs has no file");
		CHECK(streq(it->vcs, "git"), "vcs kind %s", it->vcs ? it->vcs : "(null)");
		pv_pip_report_free(&r);
	}
}

static void test_several_and_empty(void)
{
	struct pv_pip_report r;
	char err[256];
	char *j = report("{\"download_info\": {\"url\": \"https://h/a-1.whl\", \"archive_info\": {}}, "
	                 "\"is_direct\": false, \"requested\": true, \"metadata\": {\"name\": \"a\", \"version\": \"1\"}},"
	                 "{\"download_info\": {\"url\": \"https://h/b-2.whl\", \"archive_info\": {}}, "
	                 "\"is_direct\": false, \"requested\": false, \"metadata\": {\"name\": \"B\", \"version\": \"2\"}}");
	CHECK(parse(j, &r, err, sizeof err) == 0 && r.n == 2, "two: %s", err);
	if (r.n == 2)
		CHECK(streq(r.items[0].name, "a") && streq(r.items[1].name, "b") && !r.items[0].sha256,
		      "names");
	pv_pip_report_free(&r);
	free(j);
	/* Nothing to install (everything already satisfied) is a valid report. */
	j = report("");
	CHECK(parse(j, &r, err, sizeof err) == 0 && r.n == 0 && r.items == NULL, "empty: %s", err);
	pv_pip_report_free(&r);
	free(j);
	/* Whitespace after the document is fine. */
	const char *ws = "{\"version\": \"1\", \"install\": []}\n  \n";
	CHECK(parse(ws, &r, err, sizeof err) == 0 && r.pip_version == NULL, "trailing ws: %s", err);
	pv_pip_report_free(&r);
}

#define META_OK "\"metadata\": {\"name\": \"x\", \"version\": \"1\"}"
#define DI_OK "\"download_info\": {\"url\": \"https://h/x-1.whl\", \"archive_info\": {}}"
#define FLAGS_OK "\"is_direct\": false, \"requested\": true"

static void test_bad_input(void)
{
	expect_error("{\"version\": \"1\", \"pip_version\": \"23.2.1\"}", "no \"install\" list");
	expect_error("{\"version\": \"1\", \"install\": {}}", "no \"install\" list");
	expect_error("{\"version\": \"2\", \"install\": []}", "version \"2\" is not supported");
	expect_error("{\"version\": \"0\", \"install\": []}", "version \"0\"");
	expect_error("{\"version\": 1, \"install\": []}", "\"version\" is not a string");
	expect_error("{\"install\": []}", "no \"version\"");
	expect_error("[1, 2]", "top level is not an object");
	expect_error("{\"version\": \"1\", \"install\": [}", "not JSON");
	expect_error("{\"version\": \"1\", \"install\": [", "unexpected end of input");
	expect_error("{\"version\": \"1\", \"install\": []} {}", "data after the top-level value");
	expect_error("", "empty");
	/* An escape sequence in an error message would reach the terminal. */
	expect_error("{\"version\": \"\\u001b[31m\", \"install\": []}", "version \"?[31m\"");

	/* Huge nesting: refused by the tokenizer, not by the stack. */
	size_t deep = 100000;
	char *j = malloc(deep * 2 + 64);
	if (j) {
		size_t o = (size_t)sprintf(j, "{\"version\": \"1\", \"install\": ");
		for (size_t i = 0; i < deep; i++)
			j[o++] = '[';
		for (size_t i = 0; i < deep; i++)
			j[o++] = ']';
		j[o++] = '}';
		j[o] = '\0';
		expect_error(j, "nested deeper than");
		free(j);
	}
	/* Over the size limit: refused before parsing. */
	struct pv_pip_report r;
	char err[256];
	CHECK(pv_pip_report_parse("{}", (size_t)PV_PIP_REPORT_MAX + 1, &r, err, sizeof err) == -1 &&
	          strstr(err, "larger than"),
	      "size: %s", err);

	/* Entries: the index is named, the name when it is known. */
	expect_entry_error("{" DI_OK ", " FLAGS_OK "}", "entry 0: no metadata");
	expect_entry_error("{" DI_OK ", " FLAGS_OK ", \"metadata\": {\"version\": \"1\"}}",
	                   "entry 0: no metadata.name");
	expect_entry_error("{" DI_OK ", " FLAGS_OK ", \"metadata\": {\"name\": \"x\"}}",
	                   "entry 0 (x): no metadata.version");
	expect_entry_error("{" DI_OK ", " FLAGS_OK ", \"metadata\": {\"name\": 7, \"version\": \"1\"}}",
	                   "metadata.name is not a string");
	expect_entry_error("{" DI_OK ", " FLAGS_OK ", \"metadata\": {\"name\": \"-bad\", \"version\": \"1\"}}",
	                   "not a valid project name");
	expect_entry_error("{" DI_OK ", " FLAGS_OK ", \"metadata\": {\"name\": \"x\\u0000y\", \"version\": \"1\"}}",
	                   "metadata.name is not a string");
	/* A version that would add an option to the hand-off requirements file. */
	expect_entry_error("{" DI_OK ", " FLAGS_OK ", \"metadata\": {\"name\": \"x\", \"version\": "
	                   "\"1 --index-url http://evil\"}}",
	                   "is not a version");
	expect_entry_error("{" DI_OK ", " FLAGS_OK ", \"metadata\": {\"name\": \"x\", \"version\": \"1\\n-e .\"}}",
	                   "is not a version");
	/* The second entry is broken: its index is named. */
	expect_entry_error("{" DI_OK ", " FLAGS_OK ", " META_OK "}, {\"download_info\": {\"archive_info\": {}}, "
	                   FLAGS_OK ", \"metadata\": {\"name\": \"y\", \"version\": \"1\"}}",
	                   "entry 1 (y): no download_info.url");
	expect_entry_error("{" FLAGS_OK ", " META_OK "}", "entry 0 (x): no download_info");
	expect_entry_error("{\"download_info\": {\"url\": \"https://h/x 1.whl\", \"archive_info\": {}}, "
	                   FLAGS_OK ", " META_OK "}",
	                   "download_info.url is empty, too long or has spaces");
	expect_entry_error("{" DI_OK ", \"requested\": true, " META_OK "}", "no is_direct");
	expect_entry_error("{" DI_OK ", \"is_direct\": \"no\", \"requested\": true, " META_OK "}",
	                   "is_direct is not a boolean");
	expect_entry_error("{" DI_OK ", \"is_direct\": false, " META_OK "}", "no requested");
	expect_entry_error("{\"download_info\": {\"url\": \"https://h/x-1.whl\"}, " FLAGS_OK ", " META_OK "}",
	                   "none of archive_info");
	expect_entry_error("{\"download_info\": {\"url\": \"https://h/x-1.whl\", \"archive_info\": {}, "
	                   "\"dir_info\": {}}, " FLAGS_OK ", " META_OK "}",
	                   "more than one of archive_info");
	expect_entry_error("{\"download_info\": {\"url\": \"ftp://h/x-1.whl\", \"archive_info\": {}}, "
	                   FLAGS_OK ", " META_OK "}",
	                   "not http, https or file");
	expect_entry_error("{\"download_info\": {\"url\": \"https://h\", \"archive_info\": {}}, "
	                   FLAGS_OK ", " META_OK "}",
	                   "no usable file name");
	expect_entry_error("{\"download_info\": {\"url\": \"https://h/a/\", \"archive_info\": {}}, "
	                   FLAGS_OK ", " META_OK "}",
	                   "no usable file name");
	expect_entry_error("{\"download_info\": {\"url\": \"https://h/..%2Fevil.whl\", \"archive_info\": {}}, "
	                   FLAGS_OK ", " META_OK "}",
	                   "no usable file name");
	expect_entry_error("{\"download_info\": {\"url\": \"https://h/x%2.whl\", \"archive_info\": {}}, "
	                   FLAGS_OK ", " META_OK "}",
	                   "no usable file name");
	expect_entry_error("{\"download_info\": {\"url\": \"https://h/x-1.whl\", \"archive_info\": "
	                   "{\"hashes\": {\"sha256\": \"abc\"}}}, " FLAGS_OK ", " META_OK "}",
	                   "hashes.sha256 is not a SHA-256");
	expect_entry_error("{\"download_info\": {\"url\": \"https://h/x-1.whl\", \"archive_info\": "
	                   "{\"hash\": \"sha256\"}}, " FLAGS_OK ", " META_OK "}",
	                   "algorithm=value");
	expect_entry_error("{\"download_info\": {\"url\": \"https://h/x-1.whl\", \"archive_info\": "
	                   "{\"hash\": \"sha256=" HEX_a "\", \"hashes\": {\"sha256\": \"" HEX_b "\"}}}, "
	                   FLAGS_OK ", " META_OK "}",
	                   "disagree");
	expect_entry_error("{\"download_info\": {\"url\": \"https://h/r.git\", \"vcs_info\": "
	                   "{\"vcs\": \"git\"}}, " FLAGS_OK ", " META_OK "}",
	                   "vcs_info.commit_id is missing");
	expect_entry_error("{\"download_info\": {\"url\": \"https://h/r.git\", \"vcs_info\": "
	                   "{\"vcs\": \"cvs\", \"commit_id\": \"0123456789abcdef\"}}, " FLAGS_OK ", " META_OK "}",
	                   "vcs_info.vcs is missing or not git");
	expect_entry_error("{" DI_OK ", " FLAGS_OK ", " META_OK "}, {\"download_info\": {\"url\": "
	                   "\"https://h/X-2.whl\", \"archive_info\": {}}, " FLAGS_OK ", \"metadata\": "
	                   "{\"name\": \"X\", \"version\": \"2\"}}",
	                   "x is listed more than once");
	expect_entry_error("42", "entry 0 is not an object");
}

static void test_load(const char *root)
{
	char path[512], err[512];
	struct pv_pip_report r;
	snprintf(path, sizeof path, "%s/missing.json", root);
	CHECK(pv_pip_report_load(path, &r, err, sizeof err) == -1 && strstr(err, "cannot open"), "missing: %s",
	      err);
	CHECK(pv_pip_report_load(root, &r, err, sizeof err) == -1 && strstr(err, "not a regular file"),
	      "dir: %s", err);
	snprintf(path, sizeof path, "%s/trunc.json", root);
	fixture_write_file(path, "{\"version\": \"1\", \"install\": [{\"download_info\"");
	CHECK(pv_pip_report_load(path, &r, err, sizeof err) == -1 && strstr(err, "unexpected end"),
	      "truncated: %s", err);
}

/* ---- a real report from the real pip ---- */

static int zip_add(struct archive *w, const char *name, const char *data)
{
	struct archive_entry *e = archive_entry_new();
	if (!e)
		return -1;
	size_t len = strlen(data);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	int rc = archive_write_header(w, e) == ARCHIVE_OK &&
	                 (len == 0 || archive_write_data(w, data, len) == (la_ssize_t)len)
	             ? 0
	             : -1;
	archive_entry_free(e);
	return rc;
}

/* A minimal pure-Python wheel NAME-1.0-py3-none-any.whl at path. */
static int make_wheel(const char *path, const char *name)
{
	char p_init[128], p_meta[128], p_wheel[128], p_record[128], meta[256], record[600];
	snprintf(p_init, sizeof p_init, "%s/__init__.py", name);
	snprintf(p_meta, sizeof p_meta, "%s-1.0.dist-info/METADATA", name);
	snprintf(p_wheel, sizeof p_wheel, "%s-1.0.dist-info/WHEEL", name);
	snprintf(p_record, sizeof p_record, "%s-1.0.dist-info/RECORD", name);
	snprintf(meta, sizeof meta, "Metadata-Version: 2.1\nName: %s\nVersion: 1.0\n", name);
	snprintf(record, sizeof record, "%s,,\n%s,,\n%s,,\n%s,,\n", p_init, p_meta, p_wheel, p_record);
	struct archive *w = archive_write_new();
	if (!w)
		return -1;
	int rc = archive_write_set_format_zip(w) == ARCHIVE_OK && archive_write_open_filename(w, path) == ARCHIVE_OK
	             ? 0
	             : -1;
	if (rc == 0)
		rc = zip_add(w, p_init, "VALUE = 1\n");
	if (rc == 0)
		rc = zip_add(w, p_meta, meta);
	if (rc == 0)
		rc = zip_add(w, p_wheel, "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
	if (rc == 0)
		rc = zip_add(w, p_record, record);
	if (archive_write_close(w) != ARCHIVE_OK)
		rc = -1;
	archive_write_free(w);
	return rc;
}

static void test_real_pip(const char *root)
{
	char whl[512], sum[80], out[512], cmd[2048], err[512];
	fixture_mkdirs(root, "pypi/files/pvdemo");
	snprintf(whl, sizeof whl, "%s/pypi/files/pvdemo/pvdemo-1.0-py3-none-any.whl", root);
	if (make_wheel(whl, "pvdemo") != 0 || pv_sha256_file(whl, sum, sizeof sum) != 0) {
		CHECK(0, "cannot build the wheel %s", whl);
		return;
	}
	struct fixture f;
	if (fixture_start(&f, "registry_server.py", root) != 0) {
		CHECK(0, "fixture server did not start");
		fixture_stop(&f);
		return;
	}
	snprintf(out, sizeof out, "%s/report.json", root);
	snprintf(cmd, sizeof cmd,
	         "env PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 "
	         "python3 -m pip install --dry-run --report '%s' --quiet --no-cache-dir "
	         "--index-url http://127.0.0.1:%d/pypi/simple --target '%s/target' pvdemo",
	         out, f.port, root);
	int st = system(cmd);
	fixture_stop(&f);
	CHECK(st == 0, "pip exited with %d", st);
	struct pv_pip_report r;
	int rc = pv_pip_report_load(out, &r, err, sizeof err);
	CHECK(rc == 0, "load: %s", err);
	if (rc != 0)
		return;
	CHECK(r.n == 1, "n = %zu", r.n);
	CHECK(r.pip_version && *r.pip_version, "pip_version");
	if (r.n == 1) {
		const struct pv_pip_item *it = &r.items[0];
		CHECK(streq(it->name, "pvdemo") && streq(it->version, "1.0"), "%s %s", it->name, it->version);
		CHECK(it->origin == PV_PIP_FROM_INDEX, "origin %d", it->origin);
		CHECK(it->requested && !it->is_direct && !it->editable, "flags");
		CHECK(streq(it->filename, "pvdemo-1.0-py3-none-any.whl"), "filename %s", it->filename);
		CHECK(it->sha256 && strcmp(it->sha256, sum + 7) == 0, "sha256 %s vs %s", it->sha256, sum);
		CHECK(it->url && strstr(it->url, "/pypi/files/pvdemo/"), "url %s", it->url);
	}
	pv_pip_report_free(&r);
}

int main(void)
{
	char root[] = "/tmp/pv-pip-report-XXXXXX";
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 2;
	}
	test_index_wheel();
	test_sdist_yanked_legacy();
	test_direct_url_and_percent();
	test_file_dir_vcs();
	test_several_and_empty();
	test_bad_input();
	test_load(root);
	test_real_pip(root);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	return CHECK_DONE();
}
