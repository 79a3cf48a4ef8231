/* Metadata attributes from npm packuments and PyPI JSON API documents.
 * JSON is written with ' for " to keep the literals readable. */
#include "check.h"
#include "metadata.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int64_t NOW;

static json_object *J(const char *s)
{
	char *c = strdup(s);
	for (char *p = c; *p; p++)
		if (*p == '\'')
			*p = '"';
	json_object *o = json_tokener_parse(c);
	if (!o)
		fprintf(stderr, "bad test JSON: %s\n", c);
	free(c);
	return o;
}

/* resolver: "dead.test" does not resolve, "slow.test" is unknown. */
static int calls;
static int fake_resolve(const char *domain, void *ud)
{
	(void)ud;
	calls++;
	if (strcmp(domain, "dead.test") == 0)
		return 0;
	if (strcmp(domain, "slow.test") == 0)
		return -1;
	return 1;
}

static struct pv_meta_thresholds TH;

static struct pv_meta_input input(long long downloads)
{
	struct pv_meta_input in = {(time_t)NOW, &TH, downloads, fake_resolve, NULL};
	return in;
}

static struct pv_findings fs;
static struct pv_meta_status st;
static int rc;

static void run(bool npm, const char *json, const char *ver, long long downloads)
{
	pv_findings_free(&fs);
	memset(&fs, 0, sizeof fs);
	json_object *o = J(json);
	struct pv_meta_input in = input(downloads);
	rc = npm ? pv_meta_npm(o, ver, &in, &fs, &st) : pv_meta_pypi(o, ver, &in, &fs, &st);
	json_object_put(o);
}

static const char *detail(const char *attr)
{
	for (size_t i = 0; i < fs.n; i++)
		if (strcmp(fs.v[i].attr, attr) == 0)
			return fs.v[i].detail ? fs.v[i].detail : "";
	return NULL;
}

static size_t count(const char *attr)
{
	size_t n = 0;
	for (size_t i = 0; i < fs.n; i++)
		if (strcmp(fs.v[i].attr, attr) == 0)
			n += fs.v[i].count;
	return n;
}

static void dump(void)
{
	for (size_t i = 0; i < fs.n; i++)
		fprintf(stderr, "  finding %s: %s (file %s)\n", fs.v[i].attr,
		        fs.v[i].detail ? fs.v[i].detail : "-", fs.v[i].file ? fs.v[i].file : "NULL");
}

#define HAS(attr, sub)                                                                   \
	do {                                                                                 \
		const char *d_ = detail(attr);                                                   \
		CHECK(d_ && strstr(d_, sub), "expected %s containing \"%s\", got \"%s\"", attr, \
		      sub, d_ ? d_ : "(none)");                                                  \
		if (!d_)                                                                         \
			dump();                                                                      \
	} while (0)
#define HASNT(attr)                                                                  \
	do {                                                                             \
		const char *d_ = detail(attr);                                               \
		CHECK(!d_, "unexpected %s: %s", attr, d_ ? d_ : "");                         \
	} while (0)

/* --------------------------------------------------------------- a clean npm package */

#define NPM_USER(u) "'_npmUser':{'name':'" u "','email':'" u "@example.com'}"
#define ATT "'dist':{'tarball':'x','attestations':{'url':'u','provenance':{}}}"
#define README100                                                                      \
	"'readme':'0123456789012345678901234567890123456789012345678901234567890123456789" \
	"012345678901234567890123456789'"

static const char *const clean_npm =
	"{'name':'pkg','dist-tags':{'latest':'1.2.0'},"
	"'maintainers':[{'name':'alice','email':'alice@example.com'}],"
	"'repository':{'type':'git','url':'git+https://github.com/alice/pkg.git'}," README100 ","
	"'time':{'created':'2026-01-01T00:00:00.000Z','modified':'2026-11-26T00:00:00Z',"
	"  '1.0.0':'2026-01-01T00:00:00.000Z','1.1.0':'2026-06-01T00:00:00.000Z',"
	"  '1.2.0':'2026-10-01T00:00:00.000Z'},"
	"'versions':{"
	" '1.0.0':{'name':'pkg'," NPM_USER("alice") "," ATT "},"
	" '1.1.0':{'name':'pkg'," NPM_USER("alice") "," ATT ",'dependencies':{'a':'^1.0.0'}},"
	" '1.2.0':{'name':'pkg'," NPM_USER("alice") "," ATT ","
	"   'dependencies':{'a':'^1.0.0','b':'~2.1','c':'1.x || >=3','d':'*','e':'npm:e2@^1',"
	"                   'f':'latest','g':''},"
	"   'optionalDependencies':{'a':'^1.0.0'}}}}";

static void test_npm_clean(void)
{
	run(true, clean_npm, "1.2.0", 5000);
	CHECK(rc == 0, "rc %d", rc);
	CHECK(fs.n == 0, "clean package gave %zu findings", fs.n);
	if (fs.n)
		dump();
	CHECK(st.version_found && !st.downloads_unknown && !st.dns_unknown, "status");
	calls = 0;
	run(true, clean_npm, "1.1.0", 5000);
	CHECK(fs.n == 0 && calls == 1, "1.1.0 clean (%zu findings, %d resolves)", fs.n, calls);
}

/* --------------------------------------------------------------- times */

static void test_npm_times(void)
{
	/* release-fresh: 3 hours ago; threshold edge 48h */
	run(true,
	    "{'time':{'1.0.0':'2026-01-01T00:00:00Z','1.1.0':'2026-06-01T00:00:00Z',"
	    "'2.0.0':'2026-11-27T00:00:00.000Z'},"
	    "'versions':{'1.0.0':{},'1.1.0':{},'2.0.0':{}}}",
	    "2.0.0", 5000);
	HAS("release-fresh", "published 3 hours ago (2026-11-27T00:00:00Z)");
	run(true, "{'time':{'1.0.0':'2026-11-25T03:00:00Z'},'versions':{'1.0.0':{}}}", "1.0.0", 5000);
	HASNT("release-fresh"); /* exactly 48 hours */
	run(true, "{'time':{'1.0.0':'2026-11-25T03:00:01Z'},'versions':{'1.0.0':{}}}", "1.0.0", 5000);
	HAS("release-fresh", "published 47 hours ago");
	run(true, "{'time':{'1.0.0':'2026-11-27T02:48:00Z'},'versions':{'1.0.0':{}}}", "1.0.0", 5000);
	HAS("release-fresh", "12 minutes ago");
	run(true, "{'time':{'1.0.0':'2026-11-28T00:00:00Z'},'versions':{'1.0.0':{}}}", "1.0.0", 5000);
	HAS("release-fresh", "in the future");
	/* a fresh *other* version does not make this one fresh */
	run(true,
	    "{'time':{'1.0.0':'2026-01-01T00:00:00Z','2.0.0':'2026-11-27T00:00:00Z'},"
	    "'versions':{'1.0.0':{},'2.0.0':{}}}",
	    "1.0.0", 5000);
	HASNT("release-fresh");

	/* release-old: latest release 2019-03-01 */
	run(true,
	    "{'time':{'modified':'2026-11-01T00:00:00Z','1.0.0':'2018-01-01T00:00:00Z',"
	    "'1.0.1':'2019-03-01T00:00:00Z'},'versions':{'1.0.0':{},'1.0.1':{}}}",
	    "1.0.0", 5000);
	HAS("release-old", "latest release 2019-03-01 (1.0.1), 2828 days ago");
	run(true, "{'time':{'1.0.0':'2025-11-27T03:00:00Z'},'versions':{'1.0.0':{}}}", "1.0.0", 5000);
	HASNT("release-old"); /* exactly 365 days */
	run(true, "{'time':{'1.0.0':'2025-11-27T02:59:59Z'},'versions':{'1.0.0':{}}}", "1.0.0", 5000);
	HAS("release-old", "365 days ago");
	/* package-wide: evaluated even for an unknown version */
	run(true, "{'time':{'1.0.0':'2019-03-01T00:00:00Z'},'versions':{'1.0.0':{}}}", "9.9.9", 5000);
	HAS("release-old", "2019-03-01");
	CHECK(!st.version_found, "9.9.9 not found");
	HASNT("no-repo");

	/* release-gap */
	run(true,
	    "{'time':{'1.0.0':'2020-01-01T00:00:00Z','1.1.0':'2026-11-01T00:00:00Z'},"
	    "'versions':{'1.0.0':{},'1.1.0':{}}}",
	    "1.1.0", 5000);
	HAS("release-gap", "released 2026-11-01 after 2496 days without a release (previous: 1.0.0 on 2020-01-01)");
	run(true,
	    "{'time':{'1.0.0':'2026-05-05T00:00:00Z','1.1.0':'2026-11-01T00:00:00Z'},"
	    "'versions':{'1.0.0':{},'1.1.0':{}}}",
	    "1.1.0", 5000);
	HASNT("release-gap"); /* exactly 180 days */
	run(true,
	    "{'time':{'1.0.0':'2026-05-04T23:59:59Z','1.1.0':'2026-11-01T00:00:00Z'},"
	    "'versions':{'1.0.0':{},'1.1.0':{}}}",
	    "1.1.0", 5000);
	HAS("release-gap", "after 180 days");
	/* the previous release is the latest one before, not the first */
	run(true,
	    "{'time':{'1.0.0':'2020-01-01T00:00:00Z','1.0.1':'2026-10-01T00:00:00Z',"
	    "'1.1.0':'2026-11-01T00:00:00Z'},'versions':{'1.0.0':{},'1.0.1':{},'1.1.0':{}}}",
	    "1.1.0", 5000);
	HASNT("release-gap");
	/* first version: no gap; the gap of 1.0.1 is judged on 1.0.1 only */
	run(true,
	    "{'time':{'1.0.0':'2020-01-01T00:00:00Z','1.0.1':'2026-10-01T00:00:00Z'},"
	    "'versions':{'1.0.0':{},'1.0.1':{}}}",
	    "1.0.0", 5000);
	HASNT("release-gap");

	/* few-versions (<= 2) */
	run(true, "{'time':{},'versions':{'1.0.0':{},'1.0.1':{}}}", "1.0.0", 5000);
	HAS("few-versions", "2 versions ever published");
	run(true, "{'versions':{'1.0.0':{}}}", "1.0.0", 5000);
	HAS("few-versions", "1 version ever published");
	run(true, "{'versions':{'1.0.0':{},'1.0.1':{},'1.0.2':{}}}", "1.0.0", 5000);
	HASNT("few-versions");
	/* an unpublished version (only in time{}) was still published */
	run(true,
	    "{'time':{'created':'2020-01-01T00:00:00Z','0.9.0':'2026-01-01T00:00:00Z',"
	    "'unpublished':{'time':'x'}},'versions':{'1.0.0':{},'1.0.1':{}}}",
	    "1.0.0", 5000);
	HASNT("few-versions");

	/* few-downloads */
	run(true, "{'versions':{'1':{},'2':{},'3':{}}}", "1", 999);
	HAS("few-downloads", "999 downloads last week");
	CHECK(!st.downloads_unknown, "known");
	run(true, "{'versions':{'1':{},'2':{},'3':{}}}", "1", 1000);
	HASNT("few-downloads");
	run(true, "{'versions':{'1':{},'2':{},'3':{}}}", "1", 0);
	HAS("few-downloads", "0 downloads");
	run(true, "{'versions':{'1':{},'2':{},'3':{}}}", "1", -1);
	HASNT("few-downloads");
	CHECK(st.downloads_unknown, "unknown downloads flagged");
}

/* --------------------------------------------------------------- readme, repo, email */

static void test_npm_docs(void)
{
	/* the repo/email/readme of a minimal doc: all three missing */
	run(true, "{'versions':{'1':{},'2':{},'3':{}}}", "1", 5000);
	HAS("no-readme", "no readme");
	HAS("no-repo", "no repository");
	HAS("bad-email", "no author or maintainer email");
	HASNT("bad-repo");

	run(true, "{'readme':'ERROR: No README data found!','versions':{'1':{}}}", "1", 5000);
	HAS("no-readme", "no readme");
	run(true, "{'readme':42,'versions':{'1':{}}}", "1", 5000);
	HAS("no-readme", "no readme");
	run(true,
	    "{'readme':'012345678901234567890123456789012345678901234567890123456789012345678901"
	    "234567890123456789012345678','versions':{'1':{}}}",
	    "1", 5000);
	HAS("no-readme", "readme is 99 characters (fewer than 100)");
	run(true, "{" README100 ",'versions':{'1':{}}}", "1", 5000);
	HASNT("no-readme");
	/* the version's own readme wins over the packument's */
	run(true, "{'readme':'short','versions':{'1':{" README100 "}}}", "1", 5000);
	HASNT("no-readme");
	/* characters, not bytes: 50 two-byte characters */
	run(true,
	    "{'readme':'\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9',"
	    "'versions':{'1':{}}}",
	    "1", 5000);
	HAS("no-readme", "readme is 70 characters");

	/* repository forms */
	static const struct {
		const char *repo; /* JSON value */
		const char *attr; /* expected, or NULL for none */
	} repos[] = {
		{"'alice/pkg'", NULL},
		{"'github:alice/pkg'", NULL},
		{"'gitlab:alice/pkg'", NULL},
		{"'bitbucket:alice/pkg'", NULL},
		{"'gist:11081aaa281'", NULL},
		{"{'type':'git','url':'git+https://github.com/alice/pkg.git'}", NULL},
		{"{'type':'git','url':'git+ssh://git@github.com/alice/pkg.git'}", NULL},
		{"{'type':'git','url':'git@github.com:alice/pkg.git'}", NULL},
		{"{'type':'git','url':'https://github.com/alice/pkg/tree/main/packages/x'}", NULL},
		{"{'type':'git','url':'https://git.example.org/whatever'}", NULL},
		{"{'type':'git','url':'git://github.com/alice/pkg.git#v1'}", NULL},
		{"{'type':'git'}", "no-repo"},
		{"{'type':'git','url':null}", "no-repo"},
		{"{'type':'git','url':''}", "no-repo"},
		{"''", "no-repo"},
		{"null", "no-repo"},
		{"{'type':'git','url':7}", "bad-repo"},
		{"42", "bad-repo"},
		{"['x']", "bad-repo"},
		{"'not a url'", "bad-repo"},
		{"'pkg'", "bad-repo"},
		{"'https://github.com/alice'", "bad-repo"},
		{"'https://github.com/'", "bad-repo"},
		{"'https://github.com'", "bad-repo"},
		{"'github:alice'", "bad-repo"},
		{"'gist:'", "bad-repo"},
		{"'ftp://example.org/x'", "bad-repo"},
		{"'https:///alice/pkg'", "bad-repo"},
		{"'https://localhost/x'", "bad-repo"},
		{"'javascript:alert(1)'", "bad-repo"},
	};
	for (size_t i = 0; i < sizeof repos / sizeof *repos; i++) {
		char doc[512];
		snprintf(doc, sizeof doc, "{'versions':{'1':{'repository':%s}}}", repos[i].repo);
		run(true, doc, "1", 5000);
		const char *nr = detail("no-repo"), *br = detail("bad-repo");
		if (!repos[i].attr)
			CHECK(!nr && !br, "repository %s: unexpected %s", repos[i].repo, nr ? nr : br);
		else if (strcmp(repos[i].attr, "no-repo") == 0)
			CHECK(nr && !br, "repository %s: expected no-repo", repos[i].repo);
		else
			CHECK(br && !nr, "repository %s: expected bad-repo", repos[i].repo);
	}
	run(true, "{'versions':{'1':{'repository':'https://github.com/alice'}}}", "1", 5000);
	HAS("bad-repo", "malformed repository \"https://github.com/alice\"");
	/* top-level repository used when the version has none */
	run(true, "{'repository':'alice/pkg','versions':{'1':{}}}", "1", 5000);
	HASNT("no-repo");

	/* emails */
	run(true,
	    "{'maintainers':[{'name':'a','email':'a@dead.test'},{'name':'b','email':'b@@x.com'},"
	    "{'name':'c','email':'c@slow.test'}],'versions':{'1':{}}}",
	    "1", 5000);
	HAS("bad-email", "domain dead.test of a@dead.test does not resolve");
	CHECK(count("bad-email") == 2, "two bad emails, got %zu", count("bad-email"));
	CHECK(st.dns_unknown, "slow.test is unknown");
	{
		bool malformed = false;
		for (size_t i = 0; i < fs.n; i++)
			malformed = malformed || (fs.v[i].detail && strstr(fs.v[i].detail, "malformed email \"b@@x.com\""));
		CHECK(malformed, "malformed email reported");
	}
	/* the same domain is resolved once */
	calls = 0;
	run(true,
	    "{'maintainers':[{'email':'a@ok.example'},{'email':'b@OK.example'},{'email':'a@ok.example'}],"
	    "'versions':{'1':{}}}",
	    "1", 5000);
	CHECK(calls == 1 && !detail("bad-email"), "one resolve for one domain (%d)", calls);
	/* author string forms; a name-only author is no email */
	run(true, "{'versions':{'1':{'author':'Jane Doe <jane@dead.test> (https://x.org)'}}}", "1", 5000);
	HAS("bad-email", "jane@dead.test does not resolve");
	run(true, "{'versions':{'1':{'author':'Jane Doe'}}}", "1", 5000);
	HAS("bad-email", "no author or maintainer email");
	run(true, "{'versions':{'1':{'author':{'name':'J','email':'j@ok.example'}}}}", "1", 5000);
	HASNT("bad-email");
	/* the publisher's email counts */
	run(true, "{'versions':{'1':{" NPM_USER("alice") "}}}", "1", 5000);
	HASNT("bad-email");
	/* odd types */
	run(true, "{'maintainers':[{'email':5}],'versions':{'1':{}}}", "1", 5000);
	HAS("bad-email", "not a string");
	run(true, "{'maintainers':'alice <a@ok.example>','versions':{'1':{}}}", "1", 5000);
	HAS("bad-email", "no author or maintainer email");
	run(true, "{'maintainers':[7,null,[],'x <y@ok.example>'],'versions':{'1':{}}}", "1", 5000);
	HASNT("bad-email");
	/* no resolver: syntax only, domain check unknown */
	{
		pv_findings_free(&fs);
		memset(&fs, 0, sizeof fs);
		json_object *o = J("{'maintainers':[{'email':'a@dead.test'}],'versions':{'1':{}}}");
		struct pv_meta_input in = {(time_t)NOW, NULL, 5000, NULL, NULL};
		rc = pv_meta_npm(o, "1", &in, &fs, &st);
		json_object_put(o);
		HASNT("bad-email");
		CHECK(st.dns_unknown && rc == 0, "no resolver: unknown");
		HAS("few-versions", "1 version"); /* NULL thresholds: defaults */
	}
}

/* --------------------------------------------------------------- history */

static void test_npm_history(void)
{
	static const char *const doc =
		"{'time':{'1.0.0':'2026-01-01T00:00:00Z','1.1.0':'2026-02-01T00:00:00Z',"
		"'1.2.0':'2026-03-01T00:00:00Z','1.3.0':'2026-04-01T00:00:00Z','0.1.0':'2025-12-01T00:00:00Z'},"
		"'versions':{'1.3.0':{" NPM_USER("evil") "},'1.2.0':{" NPM_USER("bob") "},"
		"'1.1.0':{" NPM_USER("alice") "," ATT "},'1.0.0':{" NPM_USER("alice") "},"
		"'0.1.0':{'_npmUser':'weird'}}}";
	run(true, doc, "1.3.0", 5000);
	HAS("publisher-change", "published by new account \"evil\" (earlier versions by bob, alice)");
	HAS("provenance-dropped", "earlier version 1.1.0 has provenance attestations; 1.3.0 has none");
	run(true, doc, "1.2.0", 5000);
	HAS("publisher-change", "\"bob\" (earlier versions by alice)");
	HAS("provenance-dropped", "1.1.0");
	run(true, doc, "1.1.0", 5000);
	HASNT("publisher-change");
	HASNT("provenance-dropped");
	run(true, doc, "1.0.0", 5000); /* the earlier 0.1.0 has no usable _npmUser */
	HASNT("publisher-change");
	HASNT("provenance-dropped"); /* a *later* version with provenance does not count */
	run(true, doc, "0.1.0", 5000);
	HASNT("publisher-change");
	/* a returning publisher is not new */
	run(true,
	    "{'time':{'1':'2026-01-01T00:00:00Z','2':'2026-02-01T00:00:00Z','3':'2026-03-01T00:00:00Z'},"
	    "'versions':{'1':{" NPM_USER("alice") "},'2':{" NPM_USER("bob") "},'3':{" NPM_USER("alice") "}}}",
	    "3", 5000);
	HASNT("publisher-change");
	/* many earlier publishers are summarised */
	run(true,
	    "{'time':{'1':'2026-01-01T00:00:00Z','2':'2026-01-02T00:00:00Z','3':'2026-01-03T00:00:00Z',"
	    "'4':'2026-01-04T00:00:00Z','5':'2026-01-05T00:00:00Z','6':'2026-01-06T00:00:00Z',"
	    "'7':'2026-01-07T00:00:00Z','8':'2026-01-08T00:00:00Z'},"
	    "'versions':{'1':{" NPM_USER("u1") "},'2':{" NPM_USER("u2") "},'3':{" NPM_USER("u3") "},"
	    "'4':{" NPM_USER("u4") "},'5':{" NPM_USER("u5") "},'6':{" NPM_USER("u6") "},'7':{" NPM_USER("u7") "},"
	    "'8':{" NPM_USER("x") "}}}",
	    "8", 5000);
	HAS("publisher-change", "u1, u2, u3, u4, u5 and 2 more");
	/* without times nothing is "earlier" */
	run(true, "{'versions':{'1':{" NPM_USER("a") "," ATT "},'2':{" NPM_USER("b") "}}}", "2", 5000);
	HASNT("publisher-change");
	HASNT("provenance-dropped");
	/* odd-typed dist / attestations */
	run(true,
	    "{'time':{'1':'2026-01-01T00:00:00Z','2':'2026-02-01T00:00:00Z'},"
	    "'versions':{'1':{'dist':{'attestations':true}},'2':{'dist':7}}}",
	    "2", 5000);
	HASNT("provenance-dropped");
}

/* --------------------------------------------------------------- dependencies, deprecated */

static void test_npm_deps(void)
{
	run(true,
	    "{'versions':{'1':{'dependencies':{'a':'^1.0.0','b':'git+https://x.example/y.git',"
	    "'c':'user/repo#v1','d':'file:../d','e':'npm:foo@1','f':'https://x.test/f.tgz','g':5,"
	    "'h':'./vendor/h.tgz','i':'link:../i'},"
	    "'optionalDependencies':{'j':'github:u/j','k':'>=1 <2'},'devDependencies':{'z':'git://z/z'}}}}",
	    "1", 5000);
	CHECK(count("url-dependency") == 7, "url deps: %zu", count("url-dependency"));
	{
		bool b = false, j = false;
		for (size_t i = 0; i < fs.n; i++) {
			const char *d = fs.v[i].detail ? fs.v[i].detail : "";
			b = b || strcmp(d, "dependency \"b\" from git+https://x.example/y.git (dependencies)") == 0;
			j = j || strcmp(d, "dependency \"j\" from github:u/j (optionalDependencies)") == 0;
			CHECK(!strstr(d, "\"z\"") && !strstr(d, "\"a\"") && !strstr(d, "\"e\""), "wrong: %s", d);
		}
		CHECK(b && j, "details of url dependencies");
	}
	HASNT("too-many-deps");

	TH.too_many_deps = 3;
	run(true, "{'versions':{'1':{'dependencies':{'a':'1','b':'1','c':'1','d':'1'}}}}", "1", 5000);
	HAS("too-many-deps", "4 direct dependencies (more than 3)");
	run(true, "{'versions':{'1':{'dependencies':{'a':'1','b':'1','c':'1'}}}}", "1", 5000);
	HASNT("too-many-deps");
	run(true,
	    "{'versions':{'1':{'dependencies':{'a':'1','b':'1','c':'1'},"
	    "'optionalDependencies':{'a':'1'}}}}",
	    "1", 5000);
	HASNT("too-many-deps"); /* 'a' in both counts once */
	run(true,
	    "{'versions':{'1':{'dependencies':{'a':'1','b':'1','c':'1'},"
	    "'optionalDependencies':{'x':'1'}}}}",
	    "1", 5000);
	HAS("too-many-deps", "4 direct");
	run(true, "{'versions':{'1':{'dependencies':['a','b','c','d','e']}}}", "1", 5000);
	HASNT("too-many-deps");
	TH.too_many_deps = 50;

	run(true, "{'versions':{'1':{'deprecated':'use pkg2 instead'}}}", "1", 5000);
	HAS("deprecated", "deprecated: use pkg2 instead");
	run(true, "{'versions':{'1':{'deprecated':''}}}", "1", 5000);
	HASNT("deprecated");
	run(true, "{'versions':{'1':{'deprecated':true}}}", "1", 5000);
	HAS("deprecated", "no message");
	run(true, "{'versions':{'1':{'deprecated':7},'2':{'deprecated':'x'}}}", "1", 5000);
	HASNT("deprecated");
}

/* --------------------------------------------------------------- odd documents */

static void test_npm_odd(void)
{
	static const char *const docs[] = {
		"{}",
		"{'versions':5,'time':'x','readme':[],'maintainers':{}}",
		"{'versions':{'1':'str'},'time':{'1':123}}",
		"{'versions':{'1':null},'time':{'1':'garbage'}}",
		"{'versions':{'1':{'_npmUser':[],'dist':null,'dependencies':'x','optionalDependencies':7,"
		"'repository':{'url':{}},'author':{'email':null},'maintainers':[[]],'deprecated':{}}},"
		"'time':{'1':'2026-13-01T00:00:00Z','created':5}}",
		"{'versions':{'1':{}},'time':{'1':'2026-11-27T00:00:00+25:00'}}",
	};
	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
		run(true, docs[i], "1", -1);
		CHECK(rc == 0, "doc %zu rc %d", i, rc);
		HASNT("release-fresh");
		HASNT("release-old");
		HASNT("publisher-change");
		HASNT("url-dependency");
		HASNT("deprecated");
	}
	run(true, docs[0], "1", 5000);
	CHECK(fs.n == 0 && !st.version_found, "empty packument: nothing (%zu)", fs.n);
	run(true, docs[2], "1", 5000);
	CHECK(!st.version_found, "string version is not a version");
	run(true, docs[4], "1", 5000);
	HAS("bad-repo", "repository url is not a string (object)");
	run(true, "{'versions':{'1':{'repository':42}}}", "1", 5000);
	HAS("bad-repo", "repository is not a string or object (int)");

	/* not an object */
	json_object *arr = J("[1,2]");
	struct pv_meta_input in = input(5000);
	pv_findings_free(&fs);
	memset(&fs, 0, sizeof fs);
	CHECK(pv_meta_npm(arr, "1", &in, &fs, NULL) == -1 && fs.n == 0, "array doc");
	CHECK(pv_meta_pypi(arr, "1", &in, &fs, NULL) == -1 && fs.n == 0, "array doc pypi");
	CHECK(pv_meta_npm(NULL, "1", &in, &fs, NULL) == -1, "NULL doc");
	json_object_put(arr);
	json_object *o = J("{'versions':{'1':{}}}");
	CHECK(pv_meta_npm(o, NULL, &in, &fs, NULL) == -1, "NULL version");
	CHECK(pv_meta_npm(o, "1", NULL, &fs, NULL) == -1, "NULL input");
	json_object_put(o);

	/* unpublished version: only its time remains */
	run(true, "{'time':{'1':'2026-11-27T00:00:00Z'},'versions':{'2':{}}}", "1", 5000);
	CHECK(!st.version_found, "unpublished version not found");
	HASNT("release-fresh");

	/* thresholds disabled with a negative value, huge values do not overflow */
	TH.release_fresh_hours = -1;
	TH.few_versions = -1;
	run(true, "{'time':{'1':'2026-11-27T00:00:00Z'},'versions':{'1':{}}}", "1", 5000);
	HASNT("release-fresh");
	HASNT("few-versions");
	TH.release_fresh_hours = LONG_MAX;
	TH.release_old_days = LONG_MAX;
	TH.release_gap_days = LONG_MAX;
	run(true,
	    "{'time':{'0':'1990-01-01T00:00:00Z','1':'2026-11-27T00:00:00Z'},'versions':{'0':{},'1':{}}}",
	    "1", 5000);
	HAS("release-fresh", "3 hours"); /* an unbounded window: everything is fresh, no overflow */
	HASNT("release-old");
	HASNT("release-gap");
	pv_meta_thresholds_default(&TH);
}

/* --------------------------------------------------------------- PyPI */

#define PYFILE(t) "{'filename':'f','upload_time':'x','upload_time_iso_8601':'" t "','yanked':false}"
#define PYDESC                                                                        \
	"'description':'A library that does things. A library that does things. A library " \
	"that does things. A library that does things.'"

static const char *const clean_pypi =
	"{'info':{'name':'lib','version':'2.0','author_email':'Alice <alice@example.com>',"
	"'maintainer_email':null,'home_page':'https://lib.example.org'," PYDESC ","
	"'project_urls':{'Homepage':'https://lib.example.org','Source':'https://github.com/alice/lib'},"
	"'requires_dist':['a>=1','b; python_version<\\'3.8\\'','c[x]==2; extra == \\'dev\\'']},"
	"'releases':{'1.0':[" PYFILE("2026-01-01T00:00:00.123456Z") "],"
	"'1.5':[" PYFILE("2026-05-01T00:00:00.000000Z") "," PYFILE("2026-04-30T00:00:00.000000Z") "],"
	"'2.0':[" PYFILE("2026-10-01T00:00:00.000000Z") "]}}";

static void test_pypi(void)
{
	run(false, clean_pypi, "2.0", 5000);
	CHECK(rc == 0 && fs.n == 0 && st.version_found, "clean pypi gave %zu findings", fs.n);
	if (fs.n)
		dump();
	run(false, clean_pypi, "1.5", 5000); /* requires_dist belongs to 2.0: not read */
	CHECK(fs.n == 0, "1.5 clean (%zu)", fs.n);

	/* times: earliest file of a release; upload_time without zone is UTC */
	run(false,
	    "{'releases':{'1.0':[{'upload_time':'2020-01-01T00:00:00'}],"
	    "'2.0':[{'upload_time':'2026-11-27T01:00:00'},{'upload_time_iso_8601':'2026-11-26T23:00:00Z'}]}}",
	    "2.0", 5000);
	HAS("release-fresh", "published 4 hours ago (2026-11-26T23:00:00Z)");
	HAS("release-gap", "after 2521 days");
	HAS("few-versions", "2 versions");
	HASNT("release-old");
	run(false, "{'releases':{'0.1':[" PYFILE("2019-03-01T00:00:00Z") "],'0.2':[],'0.3':7}}", "0.1", 5000);
	HAS("release-old", "latest release 2019-03-01 (0.1), 2828 days ago");
	HASNT("few-versions"); /* three releases, even without files */
	run(false, "{'releases':{'0.1':[" PYFILE("2019-03-01T00:00:00Z") "]}}", "0.1", 10);
	HAS("few-downloads", "10 downloads");

	/* yanked */
	run(false,
	    "{'releases':{'1.0':[{'yanked':true,'yanked_reason':null},"
	    "{'yanked':true,'yanked_reason':'broken build'}]}}",
	    "1.0", 5000);
	HAS("yanked", "yanked: broken build");
	run(false, "{'releases':{'1.0':[{'yanked':true}]}}", "1.0", 5000);
	HAS("yanked", "no reason given");
	run(false, "{'releases':{'1.0':[{'yanked':true},{'yanked':false}]}}", "1.0", 5000);
	HASNT("yanked");
	run(false, "{'releases':{'1.0':[]}}", "1.0", 5000);
	HASNT("yanked");
	run(false, "{'releases':{'1.0':[{'yanked':'true'}]}}", "1.0", 5000);
	HASNT("yanked");
	/* version document: "urls" instead of releases */
	run(false,
	    "{'info':{'version':'3.0'},'urls':[{'yanked':true,'yanked_reason':'oops',"
	    "'upload_time_iso_8601':'2026-11-27T02:00:00Z'}]}",
	    "3.0", 5000);
	CHECK(st.version_found, "version doc");
	HAS("yanked", "yanked: oops");
	HAS("release-fresh", "1 hour ago");

	/* readme */
	run(false, "{'info':{'version':'1','description':'UNKNOWN'},'releases':{'1':[]}}", "1", 5000);
	HAS("no-readme", "no readme");
	run(false, "{'info':{'version':'1','description':'short'},'releases':{'1':[]}}", "1", 5000);
	HAS("no-readme", "readme is 5 characters");
	run(false, "{'info':{'version':'1'," PYDESC "},'releases':{'1':[]}}", "1", 5000);
	HASNT("no-readme");

	/* repository */
	run(false, "{'info':{'home_page':'https://lib.example.org'},'releases':{'1':[]}}", "1", 5000);
	HAS("no-repo", "no source repository");
	run(false, "{'info':{'home_page':'https://github.com/alice/lib'},'releases':{'1':[]}}", "1", 5000);
	HASNT("no-repo");
	HASNT("bad-repo");
	run(false, "{'info':{'project_urls':{'Source Code':'github.com/alice/lib'}},'releases':{'1':[]}}",
	    "1", 5000);
	HAS("bad-repo", "github.com/alice/lib");
	run(false, "{'info':{'project_urls':{'Repository':'https://github.com/alice'}},'releases':{'1':[]}}",
	    "1", 5000);
	HAS("bad-repo", "https://github.com/alice");
	run(false, "{'info':{'project_urls':{'Code':'https://hg.example.org/lib'}},'releases':{'1':[]}}",
	    "1", 5000);
	HASNT("bad-repo");
	HASNT("no-repo");
	run(false, "{'info':{'project_urls':{'Docs':'https://gitlab.com/a/b/-/wikis'},'home_page':5},"
	    "'releases':{'1':[]}}", "1", 5000);
	HASNT("no-repo");
	HASNT("bad-repo");
	run(false, "{'info':{'project_urls':[1]},'releases':{'1':[]}}", "1", 5000);
	HAS("no-repo", "no source");

	/* emails */
	run(false,
	    "{'info':{'author_email':'\\'Doe, Jane\\' <jane@ok.example>, bob@dead.test',"
	    "'maintainer_email':'not-an-email'},'releases':{'1':[]}}",
	    "1", 5000);
	HAS("bad-email", "domain dead.test of bob@dead.test does not resolve");
	CHECK(count("bad-email") == 2, "two bad pypi emails: %zu", count("bad-email"));
	run(false, "{'info':{'author_email':null,'maintainer_email':''},'releases':{'1':[]}}", "1", 5000);
	HAS("bad-email", "no author or maintainer email");
	run(false, "{'info':{'author_email':[]},'releases':{'1':[]}}", "1", 5000);
	HAS("bad-email", "not a string");
	run(false, "{'info':{'maintainer_email':'m@ok.example'},'releases':{'1':[]}}", "1", 5000);
	HASNT("bad-email");

	/* requires_dist */
	TH.too_many_deps = 2;
	run(false,
	    "{'info':{'version':'1','requires_dist':['a>=1','b @ https://evil.example/b.whl',"
	    "'c@git+https://x.example/c.git ; python_version>\\'3\\'','d; extra == \\'test\\'',"
	    "'e; python_version > \\'3@\\'',7]},'releases':{'1':[]}}",
	    "1", 5000);
	CHECK(count("url-dependency") == 2, "pypi url deps %zu", count("url-dependency"));
	HAS("url-dependency", "dependency from a URL: b @ https://evil.example/b.whl");
	HAS("too-many-deps", "4 direct dependencies (more than 2; extras not counted)");
	run(false, "{'info':{'version':'1','requires_dist':['a','b','c; extra==\\'x\\'']},'releases':{'1':[]}}",
	    "1", 5000);
	HASNT("too-many-deps");
	run(false, "{'info':{'version':'1','requires_dist':null},'releases':{'1':[]}}", "1", 5000);
	HASNT("too-many-deps");
	TH.too_many_deps = 50;

	/* npm-only attributes never appear for PyPI */
	run(false, clean_pypi, "2.0", 5000);
	HASNT("publisher-change");
	HASNT("provenance-dropped");
	HASNT("deprecated");

	/* odd documents */
	static const char *const docs[] = {
		"{}",
		"{'info':5,'releases':[]}",
		"{'info':{'version':7,'requires_dist':'x','project_urls':'y'},'releases':{'1':'x'}}",
		"{'releases':{'1':[5,null,{'upload_time_iso_8601':9,'yanked':null}]}}",
		"{'releases':{'1':[{'upload_time_iso_8601':'2026-11-27'}]}}",
	};
	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
		run(false, docs[i], "1", -1);
		CHECK(rc == 0, "pypi doc %zu rc %d", i, rc);
		HASNT("release-fresh");
		HASNT("release-old");
		HASNT("yanked");
		HASNT("url-dependency");
	}
	run(false, docs[0], "1", 5000);
	CHECK(fs.n == 0 && !st.version_found, "empty pypi doc: nothing");
	run(false, "{'releases':{'2':[]}}", "1", 5000);
	CHECK(!st.version_found && !detail("no-readme") && detail("few-versions"), "missing release");
}

/* --------------------------------------------------------------- helpers */

static void test_helpers(void)
{
	int64_t t;
	CHECK(pv_meta_parse_time("1970-01-01T00:00:00Z", &t) == 0 && t == 0, "epoch");
	CHECK(pv_meta_parse_time("2026-11-27T03:00:00.000Z", &t) == 0 && t == NOW, "now");
	CHECK(pv_meta_parse_time("2026-11-27T05:00:00+02:00", &t) == 0 && t == NOW, "offset");
	CHECK(pv_meta_parse_time("2026-11-26T22:30:00-04:30", &t) == 0 && t == NOW, "neg offset");
	CHECK(pv_meta_parse_time("2026-11-27 03:00:00", &t) == 0 && t == NOW, "space, no zone");
	CHECK(pv_meta_parse_time("2000-02-29T00:00:00Z", &t) == 0 && t == 951782400, "leap day");
	static const char *const bad_t[] = {"", "2026-11-27", "2026-11-27T03:00", "2026-11-27T03:00:00ZZ",
	                                    "2026-11-27T03:00:00.", "2026-00-27T03:00:00Z",
	                                    "2026-11-27T24:00:00Z", "20261127T030000Z",
	                                    "2026-11-27T03:00:00+0200", "x026-11-27T03:00:00Z"};
	for (size_t i = 0; i < sizeof bad_t / sizeof *bad_t; i++)
		CHECK(pv_meta_parse_time(bad_t[i], &t) == -1, "bad time accepted: %s", bad_t[i]);
	CHECK(pv_meta_parse_time(NULL, &t) == -1, "NULL time");

	static const char *const good_e[] = {"a@b.co", "first.last+tag@sub.example.org",
	                                     "x_y-z@a-b.example", "o'neil@example.ie"};
	static const char *const bad_e[] = {"", "a", "@b.com", "a@", "a@b", "a@@b.com", "a@b..com",
	                                    "a@-b.com", "a@b-.com", "a..b@c.com", ".a@c.com", "a.@c.com",
	                                    "a b@c.com", "a@b.com.", "a@1.2.3.4", "a@b_c.com",
	                                    "a@.b.com", "\"q\"@b.com"};
	for (size_t i = 0; i < sizeof good_e / sizeof *good_e; i++)
		CHECK(pv_meta_email_valid(good_e[i]), "valid email rejected: %s", good_e[i]);
	for (size_t i = 0; i < sizeof bad_e / sizeof *bad_e; i++)
		CHECK(!pv_meta_email_valid(bad_e[i]), "invalid email accepted: %s", bad_e[i]);
	CHECK(!pv_meta_email_valid(NULL), "NULL email");

	CHECK(pv_meta_repo_valid("https://github.com/a/b", false), "url");
	CHECK(pv_meta_repo_valid("https://github.com:443/a/b", false), "port");
	CHECK(!pv_meta_repo_valid("a/b", false), "shorthand not allowed for pypi");
	CHECK(pv_meta_repo_valid("a/b", true), "shorthand allowed for npm");
	CHECK(!pv_meta_repo_valid("/abs/path", true), "absolute path");
	CHECK(!pv_meta_repo_valid("https://github.com/a b/c", true), "space");
	CHECK(!pv_meta_repo_valid(NULL, true), "NULL repo");

	static const char *const url_specs[] = {"git+ssh://git@github.com/a/b.git", "git://x/y",
	                                        "github:a/b", "a/b", "a/b#semver:^1", "file:x", "../x",
	                                        "/abs/x.tgz", "http://x.example/y.tgz", "link:../x",
	                                        "workspace:*", " https://x", "."};
	static const char *const reg_specs[] = {"^1.2.3", "~1", "1.x || 2", ">=1 <2", "*", "", "latest",
	                                        "npm:@scope/pkg@^1", "1.2.3 - 2.0.0", "next"};
	for (size_t i = 0; i < sizeof url_specs / sizeof *url_specs; i++)
		CHECK(pv_meta_npm_spec_is_url(url_specs[i]), "url spec missed: %s", url_specs[i]);
	for (size_t i = 0; i < sizeof reg_specs / sizeof *reg_specs; i++)
		CHECK(!pv_meta_npm_spec_is_url(reg_specs[i]), "registry spec flagged: %s", reg_specs[i]);
	CHECK(!pv_meta_npm_spec_is_url(NULL), "NULL spec");

	/* every finding is a metadata finding: no file, no line */
	run(true,
	    "{'time':{'1':'2026-11-27T00:00:00Z'},'versions':{'1':{'deprecated':'x',"
	    "'dependencies':{'a':'git://a/a'}}}}",
	    "1", 1);
	CHECK(fs.n >= 7, "many findings (%zu)", fs.n);
	for (size_t i = 0; i < fs.n; i++)
		CHECK(!fs.v[i].file && fs.v[i].line == 0 && !fs.v[i].install_time && fs.v[i].detail,
		      "finding %s shape", fs.v[i].attr);
}

int main(void)
{
	pv_meta_parse_time("2026-11-27T03:00:00Z", &NOW);
	pv_meta_thresholds_default(&TH);
	test_helpers();
	test_npm_clean();
	test_npm_times();
	test_npm_docs();
	test_npm_history();
	test_npm_deps();
	test_npm_odd();
	test_pypi();
	pv_findings_free(&fs);
	return CHECK_DONE();
}
