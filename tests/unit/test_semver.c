/* npm versions and ranges: node-semver semantics. */
#include "check.h"
#include "semver.h"

#include <stdlib.h>
#include <string.h>

static void test_parse(void)
{
	static const char *const good[] = {
		"1.2.3", "v1.2.3", "=1.2.3", "=v1.2.3", "0.0.0", "1.2.3-alpha.1", "1.2.3-0.3.7",
		"1.2.3-x.7.z.92", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85",
		"1.0.0-alpha-a.b-c", "1.2.3-01a", "1.2.3+001", "1.2.3----RC-SNAPSHOT.12.9.1--.12+788",
		"9007199254740991.9007199254740991.9007199254740991",
	};
	static const char *const bad[] = {
		"", "v", "=", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "1.2.3-01",
		"1.2.3-", "1.2.3+", "1.2.3-a..b", "1.2.3-a.", "1.2.3+b..c", "1.2.3-beta!", " 1.2.3",
		"1.2.3 ", "a.b.c", "V1.2.3", "vv1.2.3", "v=1.2.3", "==1.2.3", "1.2.3-\xc3\xa9",
		"-1.2.3", "+1.2.3", "1.-2.3", "1.2.3x", "1..3", "1.2.",
		"9007199254740992.0.0",         /* > 2^53-1 */
		"0.18446744073709551616.0",     /* > 2^64-1 */
		"1.2.99999999999999999999999999999",
	};
	struct pv_semver v;

	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		CHECK(pv_semver_parse(good[i], &v) == 0, "valid version rejected: %s", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(pv_semver_parse(bad[i], &v) != 0, "invalid version accepted: %s", bad[i]);

	CHECK(pv_semver_parse("=v10.20.30-rc.1+build.5", &v) == 0, "parse");
	CHECK(v.major == 10 && v.minor == 20 && v.patch == 30, "fields");
	CHECK(strcmp(v.pre, "rc.1") == 0, "pre is '%s'", v.pre);
	CHECK(pv_semver_is_prerelease(&v), "is prerelease");
	CHECK(pv_semver_parse("1.2.3+x", &v) == 0 && v.pre[0] == '\0' && !pv_semver_is_prerelease(&v),
	      "release with build");

	/* Length bound. */
	char longv[PV_SEMVER_MAX_LEN + 16];
	memset(longv, 'a', sizeof longv);
	memcpy(longv, "1.2.3-", 6);
	longv[sizeof longv - 1] = '\0';
	CHECK(pv_semver_parse(longv, &v) != 0, "overlong version accepted");
	longv[PV_SEMVER_MAX_LEN] = '\0'; /* exactly the maximum */
	CHECK(pv_semver_parse(longv, &v) == 0, "maximum-length version rejected");
	CHECK(strlen(v.pre) == PV_SEMVER_MAX_LEN - 6, "pre length");
	CHECK(pv_semver_parse(NULL, &v) != 0, "NULL");
}

static int cmp(const char *a, const char *b)
{
	struct pv_semver va, vb;
	if (pv_semver_parse(a, &va) || pv_semver_parse(b, &vb)) {
		CHECK(0, "cannot parse %s or %s", a, b);
		return 99;
	}
	return pv_semver_cmp(&va, &vb);
}

static void test_order(void)
{
	/* Ascending, each strictly above the previous (SemVer 2.0.0 §11). */
	static const char *const asc[] = {
		"0.0.0-0", "0.0.0", "0.0.1", "0.1.0", "0.9.9", "1.0.0-0", "1.0.0-1", "1.0.0-2",
		"1.0.0-10", "1.0.0-99999999999999999999", "1.0.0-A", "1.0.0-Z", "1.0.0-a",
		"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
		"1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "1.10.0", "2.0.0",
		"2.1.0", "2.1.1", "10.0.0", "9007199254740991.0.0",
	};
	size_t n = sizeof asc / sizeof *asc;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			int want = i < j ? -1 : i > j;
			int got = cmp(asc[i], asc[j]);
			CHECK(got == want, "cmp(%s, %s) = %d, want %d", asc[i], asc[j], got, want);
		}
	CHECK(cmp("1.0.0+a", "1.0.0+b") == 0, "build ignored");
	CHECK(cmp("v1.0.0", "=1.0.0") == 0, "prefix ignored");
	CHECK(cmp("1.0.0-a.b.c", "1.0.0-a.b") > 0, "more fields higher");
	CHECK(cmp("1.0.0-1.a", "1.0.0-1.1") > 0, "alphanumeric above numeric");
	CHECK(cmp("1.0.0-x-y", "1.0.0-x") > 0, "hyphen identifiers");
}

struct sat_case {
	const char *range, *version;
	bool incl, want;
};

static const struct sat_case SAT[] = {
	/* Hyphen ranges. */
	{"1.2.3 - 2.3.4", "1.2.3", false, true},
	{"1.2.3 - 2.3.4", "2.3.4", false, true},
	{"1.2.3 - 2.3.4", "2.0.0", false, true},
	{"1.2.3 - 2.3.4", "1.2.2", false, false},
	{"1.2.3 - 2.3.4", "2.3.5", false, false},
	{"1.2.3 - 2.3.4", "2.3.4-beta", false, false},
	{"1.2.3 - 2.3.4", "2.3.4-beta", true, true},
	{"1.2.3 - 2.3.4", "1.2.3-alpha", false, false},
	{"1.2.3 - 2.3.4", "1.2.3-alpha", true, true}, /* lower bound becomes 1.2.3-0 */
	{"1.2.3 - 2.3.4", "2.3.5-0", true, false},
	{"1.2 - 2.3.4", "1.2.0", false, true},
	{"1.2 - 2.3.4", "1.1.9", false, false},
	{"1.2.3 - 2.3", "2.3.9", false, true},
	{"1.2.3 - 2.3", "2.4.0", false, false},
	{"1.2.3 - 2.3", "2.4.0-0", true, false},
	{"1.2.3 - 2", "2.99.99", false, true},
	{"1.2.3 - 2", "3.0.0", false, false},
	{"1.2.3 - 2", "3.0.0-alpha", true, false},
	{"* - 2", "0.0.1", false, true},
	{"1.2.3 - *", "99.0.0", false, true},
	{"1.2.3 - *", "1.2.2", false, false},
	{"v1.2.3 - v2.3.4", "2.0.0", false, true},
	{"1.2.3-beta.1 - 2.3.4-rc.1", "1.2.3-beta.2", false, true},
	{"1.2.3-beta.1 - 2.3.4-rc.1", "2.3.4-rc.1", false, true},
	{"1.2.3-beta.1 - 2.3.4-rc.1", "2.3.4-rc.2", false, false},
	{"1.2.3-beta.1 - 2.3.4-rc.1", "2.3.4-beta", false, true},
	{"1.2.3-beta.1 - 2.3.4-rc.1", "2.0.0-beta", false, false},
	{"  1.2.3   -   2.3.4  ", "2.0.0", false, true},

	/* X-ranges and partial versions. */
	{"*", "0.0.0", false, true},
	{"*", "99.0.0", false, true},
	{"*", "1.0.0-alpha", false, false},
	{"*", "1.0.0-alpha", true, true},
	{"", "1.0.0", false, true},
	{"  ", "1.0.0", false, true},
	{"x", "3.2.1", false, true},
	{"X", "3.2.1", false, true},
	{"x.x.x", "3.2.1", false, true},
	{"1.x", "1.0.0", false, true},
	{"1.x", "1.9.9", false, true},
	{"1.x", "2.0.0", false, false},
	{"1.x", "0.9.9", false, false},
	{"1.x", "1.0.0-alpha", false, false},
	{"1.x", "1.0.0-alpha", true, true},
	{"1.x", "2.0.0-alpha", true, false},
	{"1.X.x", "1.4.0", false, true},
	{"1.2.*", "1.2.0", false, true},
	{"1.2.*", "1.2.99", false, true},
	{"1.2.*", "1.3.0", false, false},
	{"1.2.x-beta", "1.2.5", false, true},
	{"1", "1.5.0", false, true},
	{"1", "2.0.0", false, false},
	{"1.2", "1.2.5", false, true},
	{"1.2", "1.3.0", false, false},
	{"=1.2", "1.2.3", false, true},
	{"v1.2", "1.2.3", false, true},
	{">=1.2", "1.2.0", false, true},
	{">=1.2", "1.1.9", false, false},
	{">=1.2", "1.2.0-rc", false, false},
	{">=1.2", "1.2.0-rc", true, true}, /* >=1.2.0-0 */
	{">=1.2.0", "1.2.0-rc", true, false}, /* a full version gets no -0 */
	{"<1.2", "1.1.9", false, true},
	{"<1.2", "1.2.0", false, false},
	{"<1.2", "1.2.0-alpha", true, false}, /* <1.2.0-0 */
	{"<1.2", "1.1.9-alpha", true, true},
	{">1.2", "1.2.9", false, false},
	{">1.2", "1.3.0", false, true},
	{">1", "1.9.9", false, false},
	{">1", "2.0.0", false, true},
	{">1", "2.0.0-0", true, true},
	{"<=1.2", "1.2.9", false, true},
	{"<=1.2", "1.3.0", false, false},
	{"<=1.2", "1.3.0-0", true, false},
	{"<=1", "1.9.9", false, true},
	{"<=1", "2.0.0", false, false},
	{">*", "0.0.0", false, false},
	{">*", "0.0.0-0", true, false},
	{"<*", "1.0.0", false, false},
	{">=*", "1.2.3", false, true},
	{"<=*", "1.2.3", false, true},
	{"=*", "1.2.3", false, true},

	/* Tilde. */
	{"~1.2.3", "1.2.3", false, true},
	{"~1.2.3", "1.2.9", false, true},
	{"~1.2.3", "1.3.0", false, false},
	{"~1.2.3", "1.2.2", false, false},
	{"~1.2", "1.2.0", false, true},
	{"~1.2", "1.3.0", false, false},
	{"~1.2", "1.2.0-beta", true, true}, /* partial lower bounds become -0 */
	{"~1.2.0", "1.2.0-beta", true, false}, /* full ones do not */
	{"~1.2", "1.2.1-beta", true, true},
	{"~1", "1.9.0", false, true},
	{"~1", "2.0.0", false, false},
	{"~0.2.3", "0.2.5", false, true},
	{"~0.2.3", "0.3.0", false, false},
	{"~0.2", "0.2.0", false, true},
	{"~0.2", "0.3.0", false, false},
	{"~0", "0.9.9", false, true},
	{"~0", "1.0.0", false, false},
	{"~1.2.3-beta.2", "1.2.3-beta.4", false, true},
	{"~1.2.3-beta.2", "1.2.3-beta.2", false, true},
	{"~1.2.3-beta.2", "1.2.3-beta.1", false, false},
	{"~1.2.3-beta.2", "1.2.4-beta.2", false, false},
	{"~1.2.3-beta.2", "1.2.4-beta.2", true, true},
	{"~1.2.3-beta.2", "1.2.3", false, true},
	{"~1.2.3-beta.2", "1.2.9", false, true},
	{"~>1.2.3", "1.2.5", false, true},
	{"~>1.2.3", "1.3.0", false, false},
	{"~> 1.2", "1.2.7", false, true},
	{"~ 1.2.3", "1.2.7", false, true},
	{"~*", "5.0.0", false, true},
	{"~x.1", "5.0.0", false, true},

	/* Caret. */
	{"^1.2.3", "1.2.3", false, true},
	{"^1.2.3", "1.9.9", false, true},
	{"^1.2.3", "2.0.0", false, false},
	{"^1.2.3", "1.2.2", false, false},
	{"^1.2.3", "2.0.0-0", true, false},
	{"^1.2.3", "1.2.3-beta", true, false}, /* no -0 for a full version */
	{"^1.2.3", "1.5.0-alpha", false, false},
	{"^1.2.3", "1.5.0-alpha", true, true},
	{"^0.2.3", "0.2.3", false, true},
	{"^0.2.3", "0.2.9", false, true},
	{"^0.2.3", "0.3.0", false, false},
	{"^0.2.3", "0.2.3-beta", true, false},
	{"^0.2", "0.2.0-beta", true, true},
	{"^0.0.3", "0.0.3", false, true},
	{"^0.0.3", "0.0.4", false, false},
	{"^0.0.3", "0.0.2", false, false},
	{"^1.2.3-beta.2", "1.2.3-beta.4", false, true},
	{"^1.2.3-beta.2", "1.2.4-beta.2", false, false},
	{"^1.2.3-beta.2", "1.9.0", false, true},
	{"^1.2.3-beta.2", "2.0.0", false, false},
	{"^0.0.3-beta", "0.0.3-pr.2", false, true},
	{"^0.0.3-beta", "0.0.3", false, true},
	{"^0.0.3-beta", "0.0.4", false, false},
	{"^0.1.3-beta", "0.1.9", false, true},
	{"^0.1.3-beta", "0.2.0", false, false},
	{"^1.2.x", "1.2.0", false, true},
	{"^1.2.x", "1.9.0", false, true},
	{"^1.2.x", "2.0.0", false, false},
	{"^1.2.x", "1.1.9", false, false},
	{"^1.2", "1.2.0-0", true, true},
	{"^0.0.x", "0.0.5", false, true},
	{"^0.0.x", "0.1.0", false, false},
	{"^0.0", "0.0.5", false, true},
	{"^0.0", "0.1.0", false, false},
	{"^1.x", "1.0.0", false, true},
	{"^1.x", "2.0.0", false, false},
	{"^0.x", "0.9.0", false, true},
	{"^0.x", "1.0.0", false, false},
	{"^1", "1.99.0", false, true},
	{"^0", "0.99.0", false, true},
	{"^0", "1.0.0", false, false},
	{"^*", "1.0.0", false, true},
	{"^ 1.2.3", "1.3.0", false, true},

	/* Plain comparators and prerelease tags. */
	{"1.2.3", "1.2.3", false, true},
	{"1.2.3", "1.2.3+build.7", false, true},
	{"1.2.3", "1.2.4", false, false},
	{"=1.2.3", "1.2.3", false, true},
	{"v1.2.3", "1.2.3", false, true},
	{"=v1.2.3", "1.2.3", false, true},
	{"1.2.3+meta", "1.2.3", false, true},
	{"1.2.3-beta", "1.2.3-beta", false, true},
	{"1.2.3-beta", "1.2.3", false, false},
	{">1.2.3-alpha.3", "1.2.3-alpha.7", false, true},
	{">1.2.3-alpha.3", "3.4.5-alpha.9", false, false},
	{">1.2.3-alpha.3", "3.4.5-alpha.9", true, true},
	{">1.2.3-alpha.3", "3.4.5", false, true},
	{">1.2.3-alpha.3", "1.2.3-alpha.3", false, false},
	{"<1.2.3", "1.2.3-beta", false, false},
	{"<1.2.3", "1.2.3-beta", true, true},
	{"<1.2.3", "1.2.2", false, true},
	{">=1.2.3", "1.2.3-beta", false, false},
	{">=1.2.3", "2.3.0-beta", false, false},
	{">=1.2.3", "2.3.0-beta", true, true},
	{"<=1.2.3", "1.2.3", false, true},
	{">= 1.2.3", "1.2.3", false, true},
	{">  1.2.3  <  2", "1.5.0", false, true},
	{">1.2.3", "1.2.3+b", false, false},
	{">=1.2.7 <1.3.0", "1.2.7", false, true},
	{">=1.2.7 <1.3.0", "1.2.8", false, true},
	{">=1.2.7 <1.3.0", "1.2.99", false, true},
	{">=1.2.7 <1.3.0", "1.2.6", false, false},
	{">=1.2.7 <1.3.0", "1.3.0", false, false},
	{">=1.2.7 <1.3.0", "1.1.0", false, false},
	{">=1.0.0-rc.1 <2", "1.0.0-rc.2", false, true},
	{">=1.0.0-rc.1 <2", "1.0.1-rc.1", false, false},
	{">=1.0.0-rc.1 <2", "1.5.0", false, true},
	{">=1.0.0 <1.0.0", "1.0.0", false, false},

	/* Unions. */
	{"1.2.7 || >=1.2.9 <2.0.0", "1.2.7", false, true},
	{"1.2.7 || >=1.2.9 <2.0.0", "1.2.9", false, true},
	{"1.2.7 || >=1.2.9 <2.0.0", "1.4.6", false, true},
	{"1.2.7 || >=1.2.9 <2.0.0", "1.2.8", false, false},
	{"1.2.7 || >=1.2.9 <2.0.0", "2.0.0", false, false},
	{"1.x || >=2.5.0 || 5.0.0 - 7.2.3", "1.2.3", false, true},
	{"1.x || >=2.5.0 || 5.0.0 - 7.2.3", "2.4.0", false, false},
	{"1.x || >=2.5.0 || 5.0.0 - 7.2.3", "2.5.0", false, true},
	{"1.x||>=2.5.0", "3.0.0", false, true},
	{"1.2.3-beta || 2.x", "1.2.3-beta", false, true},
	{"1.2.3-beta || 2.x", "2.1.0-beta", false, false},
	{">=1.0.0-alpha || >=3", "1.0.0-beta", false, true},
	{">=1.0.0-alpha || >=3", "3.0.0-beta", false, false},
	{"<0.0.1 || ^2", "2.0.0", false, true},
	{"||", "1.0.0", false, true},
	{"1.0.0 ||", "3.0.0", false, true}, /* an empty set is "*" */
	{"^1.0.0 || ^2.0.0", "3.0.0", false, false},

	/* node quirks kept for fidelity with npm. */
	{"1.2+build.5", "1.2.7", false, true},         /* build metadata stripped */
	{"1+b - 2+c", "2.5.0", false, true},
	{"* || 1.2.3-beta", "1.2.3-beta", false, false}, /* an "any" set wins alone */
	{"* || 1.2.3-beta", "1.2.3-beta", true, true},
	{">=0.0.0 || 1.2.3-beta", "1.2.3-beta", false, false},
	{"^0.0.x <=0.0.0-beta.2", "0.0.0-beta.1", false, true}, /* >=0.0.0 is "any" */
	{">=0.0.0 <=0.0.0-beta.2", "0.0.0-beta.1", false, true},
	{">=v0.0.0 <=0.0.0-beta.2", "0.0.0-beta.1", false, false},
	{"~= 1.2", "1.2.5", false, true},   /* '=' after ~ is a prefix */
	{"^=1.2", "1.9.0", false, true},
	{"==1.2", "1.2.5", false, true},    /* "=" then a "=1.2" X-range */
	{"~ >1.2", "1.2.5", false, true},   /* "~>1.2" */
	{"~ 1.x.3", "1.5.0", false, true},  /* after ~ a number after x is ignored */
	{"^1.x.3", "1.5.0", false, true},
	{"x.1 - 2", "1.0.0", false, true},  /* ... and in hyphen ranges */
};

static void test_satisfies(void)
{
	for (size_t i = 0; i < sizeof SAT / sizeof *SAT; i++) {
		const struct sat_case *c = &SAT[i];
		struct pv_semver_range *r = NULL;
		struct pv_semver v;
		char err[128];
		int rc = pv_semver_range_parse(c->range, &r, err, sizeof err);
		CHECK(rc == 0, "range '%s' rejected: %s", c->range, err);
		CHECK(pv_semver_parse(c->version, &v) == 0, "version %s", c->version);
		if (rc == 0) {
			bool got = pv_semver_satisfies(r, &v, c->incl);
			CHECK(got == c->want, "'%s' %s %s (include_prerelease=%d): got %d", c->range,
			      c->want ? "should accept" : "should reject", c->version, c->incl, got);
		}
		pv_semver_range_free(r);
	}
}

static void test_invalid_ranges(void)
{
	static const char *const bad[] = {
		">=1.2.3 <", "<", ">=", "~", "^", "~>", "=", "1.2.3 -", "- 1.2.3", "1.2.3 - ",
		"1.2.3 - 2.3.4 - 5", ">=1.2.3 - 2", "1.2.3 - >2", "1.2.3 -2.3.4", "1.2.3- 2.3.4",
		"01.2.3", "1.02", ">=1.2.03", "1.2.3-01", ">=a", "1.2.3.4", ">>1", "=>1.2.3",
		"<>1.2.3", "==1.2.3", "1.2.3 | 2", "|||", "1.2-beta", "1-beta", "^1.2-beta",
		"1.2.3-", "1.2.3+", "1.2.3-a..b", ">=1.2.3<2", "1.2.3 garbage", "latest", "next",
		"9007199254740992.0.0", "^9007199254740992", "99999999999999999999.0.0",
		"1.2.3 \x1b[31m", "~1.2.3 ^", ">=1.0.0,<2.0.0", "1.2.3 && 2",
		"1.x.3", "*.0", "x.1", ">=1.x.3",          /* a number after an X */
		"== 1.2", "v= 1.2", "==1.2.3", "=v=1.2.3", /* node's blank and prefix rules */
		"> ~1", "=1.2.3 - 2", "1 - =2.0.0", "> = 1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct pv_semver_range *r = (struct pv_semver_range *)&r; /* must be reset */
		char err[128] = "";
		int rc = pv_semver_range_parse(bad[i], &r, err, sizeof err);
		CHECK(rc == -1, "invalid range accepted: '%s'", bad[i]);
		CHECK(r == NULL, "out not cleared for '%s'", bad[i]);
		CHECK(err[0] != '\0', "no message for '%s'", bad[i]);
		for (const char *p = err; *p; p++)
			CHECK(*p >= 0x20 && *p < 0x7f, "unprintable byte in message for '%s'", bad[i]);
		if (rc == 0)
			pv_semver_range_free(r);
	}

	/* Length bound: the maximum is fine, one more byte is not. */
	char *big = malloc(PV_SEMVER_RANGE_MAX_LEN + 2);
	CHECK(big != NULL, "malloc");
	if (big) {
		struct pv_semver_range *r = NULL;
		memset(big, ' ', PV_SEMVER_RANGE_MAX_LEN + 1);
		memcpy(big, "1.2.3", 5);
		big[PV_SEMVER_RANGE_MAX_LEN] = '\0';
		CHECK(pv_semver_range_parse(big, &r, NULL, 0) == 0, "maximum-length range rejected");
		pv_semver_range_free(r);
		r = NULL;
		big[PV_SEMVER_RANGE_MAX_LEN] = ' ';
		big[PV_SEMVER_RANGE_MAX_LEN + 1] = '\0';
		CHECK(pv_semver_range_parse(big, &r, NULL, 0) == -1 && !r, "overlong range accepted");
		/* Many comparators: "1 || 1 || ..." up to the limit. */
		size_t k = 0;
		while (k + 5 <= PV_SEMVER_RANGE_MAX_LEN) {
			memcpy(big + k, "1 || ", 5);
			k += 5;
		}
		big[k] = '\0';
		CHECK(pv_semver_range_parse(big, &r, NULL, 0) == 0, "many sets");
		struct pv_semver v;
		pv_semver_parse("1.5.0", &v);
		CHECK(r && pv_semver_satisfies(r, &v, false), "many sets match");
		pv_semver_range_free(r);
		free(big);
	}
	CHECK(pv_semver_range_parse(NULL, &(struct pv_semver_range *){NULL}, NULL, 0) == -1, "NULL");
	char tiny[4];
	struct pv_semver_range *r = NULL;
	CHECK(pv_semver_range_parse(">=x.y", &r, tiny, sizeof tiny) == -1 && tiny[3] == '\0',
	      "short err buffer");
	pv_semver_range_free(NULL);
}

static void test_max_satisfying(void)
{
	static const char *const vs[] = {
		"1.2.3", "1.2.4", "1.3.0", "2.0.0", "not-a-version", NULL, "1.2.5-beta", "01.9.9", "1.3.0+b",
	};
	size_t n = sizeof vs / sizeof *vs;
	static const struct {
		const char *range;
		bool incl;
		int want;
	} cases[] = {
		{"^1.2.3", false, 2},  {"~1.2.3", false, 1}, {"~1.2.3", true, 6}, {">=3", false, -1},
		{"*", false, 3},       {"<1.2.4", false, 0}, {"1.2.5-beta", false, 6},
		{"1.3.0", false, 2}, /* 1.3.0 and 1.3.0+b tie: the first wins */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct pv_semver_range *r = NULL;
		CHECK(pv_semver_range_parse(cases[i].range, &r, NULL, 0) == 0, "%s", cases[i].range);
		int got = pv_semver_max_satisfying(vs, n, r, cases[i].incl);
		CHECK(got == cases[i].want, "max_satisfying(%s) = %d, want %d", cases[i].range, got,
		      cases[i].want);
		pv_semver_range_free(r);
	}
	struct pv_semver_range *r = NULL;
	CHECK(pv_semver_range_parse("*", &r, NULL, 0) == 0, "*");
	CHECK(pv_semver_max_satisfying(vs, 0, r, false) == -1, "empty list");
	pv_semver_range_free(r);
}

int main(void)
{
	test_parse();
	test_order();
	test_satisfies();
	test_invalid_ranges();
	test_max_satisfying();
	return CHECK_DONE();
}
