/* pip requirements files. */
#include "check.h"
#include "requirements.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/pv-reqXXXXXX";

static void put(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL, "write %s", path);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static bool streq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static const struct pv_req *find(const struct pv_reqfile *rf, const char *name)
{
	for (size_t i = 0; i < rf->n; i++)
		if (streq(rf->reqs[i].name, name))
			return &rf->reqs[i];
	return NULL;
}

static int parse(const char *text, struct pv_reqfile *rf, char *err, size_t errlen)
{
	return pv_requirements_parse(text, strlen(text), "requirements.txt", dir, rf, err, errlen);
}

static void test_syntax(void)
{
	static const char text[] =
		"\xef\xbb\xbf# a comment\n"
		"\n"
		"Requests==2.32.3   # trailing comment\r\n"
		"Django_Rest.framework === 3.15.1\n"
		"urllib3[Socks, secure]==2.2.1 ; python_version >= \"3.8\"\n"
		"numpy == 1.26.4 \\\n"
		"    --hash=sha256:aaaa \\\n"
		"    --hash sha256:BBBB\n"
		"six (==1.16.0);sys_platform=='linux'\n"
		"pkg_a==01.0rc1\n"
		"-i https://pypi.example/simple\n"
		"--extra-index-url https://extra.example/simple\n"
		"--extra-index-url=https://extra2.example/simple\n"
		"-f ./wheels --pre\n"
		"--no-binary :all: --only-binary=lxml,pillow\n"
		"--trusted-host pypi.example --require-hashes --prefer-binary --no-index\n"
		"mypkg @ https://example.com/mypkg-1.0.tar.gz ; python_version<'4'\n"
		"git+https://github.com/u/repo.git@v1#egg=Repo_Name\n"
		"./local/pkg\n"
		"dist/thing-1.0-py3-none-any.whl\n"
		"-e .\n"
		"--editable git+https://github.com/u/ed.git#egg=ed-pkg\n"
		"https://example.com/x.zip; python_version < '3'\n";
	struct pv_reqfile rf;
	char err[512];
	int rc = parse(text, &rf, err, sizeof err);
	CHECK(rc == 0, "syntax: %s", err);
	if (rc)
		return;
	CHECK(rf.n == 13, "n = %zu", rf.n);
	if (rf.n != 13) {
		pv_reqfile_free(&rf);
		return;
	}
	const struct pv_req *r = find(&rf, "requests");
	CHECK(r && r->kind == PV_REQ_PINNED && streq(r->version, "2.32.3") && r->line == 3 &&
	          streq(r->file, "requirements.txt") && !r->marker && !r->extras && !r->arbitrary,
	      "requests");
	r = find(&rf, "django-rest-framework");
	CHECK(r && r->arbitrary && streq(r->version, "3.15.1"), "===");
	r = find(&rf, "urllib3");
	CHECK(r && streq(r->extras, "socks,secure") && streq(r->marker, "python_version >= \"3.8\"") &&
	          streq(r->version, "2.2.1"),
	      "extras/marker: %s %s", r ? r->extras : "", r ? r->marker : "");
	r = find(&rf, "numpy");
	CHECK(r && r->nhashes == 2 && streq(r->hashes[0], "sha256:aaaa") &&
	          streq(r->hashes[1], "sha256:BBBB") && r->line == 6,
	      "hashes/continuation");
	r = find(&rf, "six");
	CHECK(r && streq(r->version, "1.16.0") && streq(r->marker, "sys_platform=='linux'"), "parens");
	r = find(&rf, "pkg-a");
	CHECK(r && streq(r->version, "1.0rc1"), "normalised version %s", r ? r->version : "");
	CHECK(streq(rf.index_url, "https://pypi.example/simple"), "index-url");
	CHECK(rf.extra_index_urls.n == 2 && streq(rf.extra_index_urls.v[1], "https://extra2.example/simple"),
	      "extra-index-url");
	CHECK(rf.find_links.n == 1 && streq(rf.find_links.v[0], "./wheels") && rf.pre, "find-links, pre");
	CHECK(rf.no_binary.n == 1 && streq(rf.no_binary.v[0], ":all:"), "no-binary");
	CHECK(rf.only_binary.n == 2 && streq(rf.only_binary.v[1], "pillow"), "only-binary");
	CHECK(rf.trusted_hosts.n == 1 && rf.require_hashes && rf.prefer_binary && rf.no_index, "flags");
	r = find(&rf, "mypkg");
	CHECK(r && r->kind == PV_REQ_URL && streq(r->url, "https://example.com/mypkg-1.0.tar.gz") &&
	          streq(r->marker, "python_version<'4'") && !r->version,
	      "name @ url");
	r = find(&rf, "repo-name");
	CHECK(r && r->kind == PV_REQ_URL && streq(r->url, "git+https://github.com/u/repo.git@v1#egg=Repo_Name"),
	      "git url");
	r = find(&rf, "ed-pkg");
	CHECK(r && r->editable && r->kind == PV_REQ_URL, "-e git");
	size_t urls = 0, editable = 0;
	for (size_t i = 0; i < rf.n; i++) {
		urls += rf.reqs[i].kind == PV_REQ_URL;
		editable += rf.reqs[i].editable;
		CHECK(!rf.reqs[i].constraint, "no constraints here");
	}
	CHECK(urls == 7 && editable == 2, "urls %zu editable %zu", urls, editable);
	CHECK(streq(rf.reqs[8].url, "./local/pkg") && !rf.reqs[8].name, "path %s", rf.reqs[8].url);
	CHECK(streq(rf.reqs[9].url, "dist/thing-1.0-py3-none-any.whl"), "wheel %s", rf.reqs[9].url);
	CHECK(streq(rf.reqs[10].url, ".") && rf.reqs[10].editable, "-e .");
	CHECK(streq(rf.reqs[12].url, "https://example.com/x.zip") &&
	          streq(rf.reqs[12].marker, "python_version < '3'"),
	      "bare url marker");
	pv_reqfile_free(&rf);
}

static void test_errors(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"ok==1.0\nrequests\n", "requirements.txt:2: \"requests\" is not pinned: every requirement "
		                         "must be pinned with == (e.g. requests==VERSION)"},
		{"requests>=2\n", "requirements.txt:1: \"requests>=2\" is not pinned"},
		{"requests~=2.0\n", "requirements.txt:1: \"requests~=2.0\" is not pinned"},
		{"requests==2.*\n", "\"requests==2.*\" is not pinned"},
		{"requests==2.0,<3\n", "\"requests==2.0,<3\" is not pinned"},
		{"requests[x]\n", "requirements.txt:1: \"requests[x]\" is not pinned"},
		{"a==1\n\\\n\nrequests ; python_version<'3'\n", "requirements.txt:4: \"requests\" is not pinned"},
		{"requests==notaversion\n", "requirements.txt:1: \"requests==notaversion\": \"notaversion\" is not a valid version"},
		{"requests==1.0 --hash=md5:abc\n", "bad --hash"},
		{"requests==1.0 --global-option=x\n", "not supported on a requirement line"},
		{"--frobnicate\n", "requirements.txt:1: unknown option \"--frobnicate\""},
		{"-i\n", "needs a value"},
		{"requests==1.0;\n", "empty environment marker"},
		{"req[x==1.0\n", "unclosed '['"},
		{"-r https://example.com/r.txt\n", "remote requirement files are not supported"},
		{"-r missing.txt\n", "requirements.txt:1: cannot read"},
	};
	char err[512];
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct pv_reqfile rf;
		int rc = parse(cases[i].text, &rf, err, sizeof err);
		CHECK(rc == -1, "case %zu accepted", i);
		CHECK(strstr(err, cases[i].want) != NULL, "case %zu: got '%s', want '%s'", i, err,
		      cases[i].want);
		CHECK(rf.n == 0 && rf.reqs == NULL, "case %zu empty", i);
	}
	struct pv_reqfile rf;
	char *big = malloc(PV_REQ_MAX_LINE + 16);
	if (big) {
		memset(big, 'a', PV_REQ_MAX_LINE + 10);
		big[PV_REQ_MAX_LINE + 10] = '\0';
		CHECK(parse(big, &rf, err, sizeof err) == -1 && strstr(err, "requirements.txt:1: line longer"),
		      "long line: %s", err);
		free(big);
	}
	CHECK(pv_requirements_parse("a==1\0b", 6, "r.txt", NULL, &rf, err, sizeof err) == -1 &&
	          strstr(err, "NUL"),
	      "NUL: %s", err);
}

static void test_nested(void)
{
	char path[256], err[512];
	struct pv_reqfile rf;
	mkdir(strcat(strcpy(path, dir), "/sub"), 0700);
	mkdir(strcat(strcpy(path, dir), "/sub/deeper"), 0700);
	put("requirements.txt", "top==1.0\n-r sub/base.txt\n--constraint=sub/constraints.txt\n"
	                        "-rsub/common.txt\n");
	put("sub/base.txt", "# relative to sub/\nbase==2.0\n-r deeper/more.txt\n-r common.txt\n");
	put("sub/deeper/more.txt", "more==3.0\n-r ../common.txt\n");
	put("sub/common.txt", "common==4.0\n");
	put("sub/constraints.txt", "pinned-c==5.0\n-r common.txt\n");
	snprintf(path, sizeof path, "%s/requirements.txt", dir);
	int rc = pv_requirements_load(path, &rf, err, sizeof err);
	CHECK(rc == 0, "nested: %s", err);
	if (!rc) {
		/* common.txt read once as requirements, once as constraints. */
		CHECK(rf.n == 6, "n = %zu", rf.n);
		const struct pv_req *r = find(&rf, "more");
		char want[256];
		snprintf(want, sizeof want, "%s/sub/deeper/more.txt", dir);
		CHECK(r && streq(r->file, want) && r->line == 1 && !r->constraint, "more: %s",
		      r ? r->file : "");
		r = find(&rf, "pinned-c");
		CHECK(r && r->constraint, "constraint");
		size_t commons = 0, cc = 0;
		for (size_t i = 0; i < rf.n; i++)
			if (streq(rf.reqs[i].name, "common")) {
				commons++;
				cc += rf.reqs[i].constraint;
			}
		CHECK(commons == 2 && cc == 1, "common %zu/%zu", commons, cc);
		pv_reqfile_free(&rf);
	}

	/* A cycle: a -> b -> a. */
	put("a.txt", "x==1\n-r sub/b.txt\n");
	put("sub/b.txt", "y==1\n-r ../a.txt\n");
	snprintf(path, sizeof path, "%s/a.txt", dir);
	CHECK(pv_requirements_load(path, &rf, err, sizeof err) == -1 && strstr(err, "sub/b.txt:2: ") &&
	          strstr(err, "cycle"),
	      "cycle: %s", err);
	put("self.txt", "-r self.txt\n");
	snprintf(path, sizeof path, "%s/self.txt", dir);
	CHECK(pv_requirements_load(path, &rf, err, sizeof err) == -1 && strstr(err, "cycle"),
	      "self: %s", err);

	/* Unpinned line in a nested file names that file and line. */
	put("sub/bad.txt", "ok==1\n\nrequests>=2\n");
	put("top-bad.txt", "-r sub/bad.txt\n");
	snprintf(path, sizeof path, "%s/top-bad.txt", dir);
	char want[512];
	snprintf(want, sizeof want, "%s/sub/bad.txt:3: \"requests>=2\" is not pinned", dir);
	CHECK(pv_requirements_load(path, &rf, err, sizeof err) == -1 && strstr(err, want),
	      "nested unpinned: %s", err);

	/* Depth bound: d0 -> d1 -> ... */
	for (int i = 0; i <= PV_REQ_MAX_DEPTH + 1; i++) {
		char name[32], body[64];
		snprintf(name, sizeof name, "d%d.txt", i);
		snprintf(body, sizeof body, "p%d==1.0\n-r d%d.txt\n", i, i + 1);
		put(name, body);
	}
	snprintf(path, sizeof path, "%s/d0.txt", dir);
	CHECK(pv_requirements_load(path, &rf, err, sizeof err) == -1 && strstr(err, "nested more than"),
	      "depth: %s", err);
	snprintf(path, sizeof path, "%s/nope.txt", dir);
	CHECK(pv_requirements_load(path, &rf, err, sizeof err) == -1 && strstr(err, "nope.txt: cannot read"),
	      "missing: %s", err);
}

static void cleanup(void)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup failed\n");
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_syntax();
	test_errors();
	test_nested();
	cleanup();
	return CHECK_DONE();
}
