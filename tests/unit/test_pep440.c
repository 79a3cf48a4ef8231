/* PEP 440 versions and specifiers, PEP 503 names. */
#include "check.h"
#include "pep440.h"

#include <stdlib.h>
#include <string.h>

static struct pv_pep440 V(const char *s)
{
	struct pv_pep440 v;
	if (pv_pep440_parse(s, &v)) {
		CHECK(0, "cannot parse %s", s);
		memset(&v, 0, sizeof v);
	}
	return v;
}

static void test_normalise(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"1.0", "1.0"},
		{"1", "1"},
		{"v1.0", "1.0"},
		{"V1.0", "1.0"},
		{"  1.0\n", "1.0"},
		{"01.002.0003", "1.2.3"},
		{"0!1.0", "1.0"},
		{"2!1.0", "2!1.0"},
		{"1.0a1", "1.0a1"},
		{"1.0ALPHA1", "1.0a1"},
		{"1.0-alpha-1", "1.0a1"},
		{"1.0.a.1", "1.0a1"},
		{"1.0_a_1", "1.0a1"},
		{"1.0a", "1.0a0"},
		{"1.0a.", "1.0a0"},
		{"1.0b2", "1.0b2"},
		{"1.0beta2", "1.0b2"},
		{"1.0-Beta.2", "1.0b2"},
		{"1.0c1", "1.0rc1"},
		{"1.0pre1", "1.0rc1"},
		{"1.0preview1", "1.0rc1"},
		{"1.0.rc.1", "1.0rc1"},
		{"1.0-1", "1.0.post1"},
		{"1.0post1", "1.0.post1"},
		{"1.0.post", "1.0.post0"},
		{"1.0-post-2", "1.0.post2"},
		{"1.0rev3", "1.0.post3"},
		{"1.0.r4", "1.0.post4"},
		{"1.0r", "1.0.post0"},
		{"1.0dev", "1.0.dev0"},
		{"1.0-dev-7", "1.0.dev7"},
		{"1.0.DEV8", "1.0.dev8"},
		{"1.0a1-1", "1.0a1.post1"},
		{"1.0a1.post2.dev3", "1.0a1.post2.dev3"},
		{"1.0+abc", "1.0+abc"},
		{"1.0+Ubuntu-1", "1.0+ubuntu.1"},
		{"1.0+ubuntu_1.X", "1.0+ubuntu.1.x"},
		{"1.0+007", "1.0+7"},
		{"1.0+0", "1.0+0"},
		{"1.0+007a", "1.0+007a"},
		{"1!2.0-c3.post4.dev5+Ubuntu_01.x", "1!2.0rc3.post4.dev5+ubuntu.1.x"},
		{"18446744073709551615", "18446744073709551615"},
		{"2023.10.01", "2023.10.1"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct pv_pep440 v;
		char out[PV_PEP440_MAX_LEN * 2];
		int rc = pv_pep440_parse(cases[i].in, &v);
		CHECK(rc == 0, "valid version rejected: '%s'", cases[i].in);
		if (rc)
			continue;
		int n = pv_pep440_format(&v, out, sizeof out);
		CHECK(n >= 0 && strcmp(out, cases[i].out) == 0, "'%s' normalises to '%s', want '%s'",
		      cases[i].in, out, cases[i].out);
		CHECK(n == (int)strlen(out), "length");
	}
	struct pv_pep440 v = V("1.0.post1");
	char small[5];
	CHECK(pv_pep440_format(&v, small, sizeof small) == -1, "format overflow");

	v = V("1!2.3.4rc5.post6.dev7+x.1");
	CHECK(v.epoch == 1 && v.nrelease == 3 && v.release[2] == 4, "release");
	CHECK(v.pre_kind == PV_PEP440_PRE_RC && v.pre == 5, "pre");
	CHECK(v.has_post && v.post == 6 && v.has_dev && v.dev == 7, "post/dev");
	CHECK(strcmp(v.local, "x.1") == 0, "local");
}

static void test_invalid(void)
{
	static const char *const bad[] = {
		"", " ", "v", "a", "1.", ".1", "1..0", "1.0.", "1.0+", "1.0+a..b", "1.0+-a", "1.0+a-",
		"1.0+abc+d", "1.0+ab c", "1.0+é", "1.0-", "1.0_", "1.0a1b1", "1.0.post1.post2",
		"1.0dev1a1", "1.0.dev1.post1", "1.0.post1.dev1.post1", "a1.0", "1.0 beta", "1 .0",
		"1!", "!1.0", "1!!1", "-1.0", "+1.0", "1.0.x", "1.0.*", ">1.0", "1.0a1a", "1.0.devx",
		"1.0-post.a", "vv1.0", "1,0", "1.0\x01", "1.0alpha-beta", "1.0.rcx",
		"18446744073709551616",      /* > 2^64-1 */
		"1.99999999999999999999",
		"1.0a99999999999999999999",
		"1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26.27.28.29.30.31.32.33",
	};
	struct pv_pep440 v;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(pv_pep440_parse(bad[i], &v) != 0, "invalid version accepted: '%s'", bad[i]);
	CHECK(pv_pep440_parse(NULL, &v) != 0, "NULL");

	/* 32 release segments are fine. */
	CHECK(pv_pep440_parse("1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24."
	                      "25.26.27.28.29.30.31.32", &v) == 0 && v.nrelease == 32,
	      "32 segments");

	char longv[PV_PEP440_MAX_LEN + 8];
	memset(longv, '1', sizeof longv);
	longv[sizeof longv - 1] = '\0';
	CHECK(pv_pep440_parse(longv, &v) != 0, "overlong version accepted");
	memcpy(longv, "1.0+", 4);
	memset(longv + 4, 'a', PV_PEP440_MAX_LEN - 4);
	longv[PV_PEP440_MAX_LEN] = '\0';
	CHECK(pv_pep440_parse(longv, &v) == 0 && strlen(v.local) == PV_PEP440_MAX_LEN - 4,
	      "maximum-length version");
}

static void test_order(void)
{
	/* Ascending (the PEP 440 example list, extended). */
	static const char *const asc[] = {
		"0.9", "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456",
		"1.0b2", "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0",
		"1.0+abc.5", "1.0+abc.7", "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.1",
		"1.1.dev1", "1.1", "1.10", "2.0", "2.0.0.1", "1!0.1", "1!1.0.dev1", "2!0",
	};
	size_t n = sizeof asc / sizeof *asc;

	for (size_t i = 0; i < n; i++) {
		struct pv_pep440 a = V(asc[i]);
		for (size_t j = 0; j < n; j++) {
			struct pv_pep440 b = V(asc[j]);
			int want = i < j ? -1 : i > j;
			int got = pv_pep440_cmp(&a, &b);
			CHECK(got == want, "cmp(%s, %s) = %d, want %d", asc[i], asc[j], got, want);
		}
	}

	/* Equal after normalisation. */
	static const char *const eq[][2] = {
		{"1.0", "1.0.0"},       {"1", "1.0.0.0"},          {"v1.0", "1.0"},
		{"0!1.0", "1.0"},       {"1.0a1", "1.0alpha1"},    {"1.0a1", "1.0.a.1"},
		{"1.0c1", "1.0rc1"},    {"1.0pre1", "1.0preview1"}, {"1.0-1", "1.0.post1"},
		{"1.0rev1", "1.0r1"},   {"1.0.dev", "1.0.dev0"},   {"1.0a", "1.0a0"},
		{"1.0+ubuntu-1", "1.0+UBUNTU_1"}, {"1.0+01", "1.0+1"}, {"1.0.0+abc", "1.0+abc"},
		{"1.0.post1.dev0", "1.0-1-dev"},
	};
	for (size_t i = 0; i < sizeof eq / sizeof *eq; i++) {
		struct pv_pep440 a = V(eq[i][0]), b = V(eq[i][1]);
		CHECK(pv_pep440_cmp(&a, &b) == 0, "%s should equal %s", eq[i][0], eq[i][1]);
	}

	/* Local labels. */
	static const char *const loc[] = {
		"1.0", "1.0+a", "1.0+a.b", "1.0+a.1", "1.0+abc", "1.0+b", "1.0+1", "1.0+1.a", "1.0+2",
		"1.0+10",
	};
	for (size_t i = 0; i + 1 < sizeof loc / sizeof *loc; i++) {
		struct pv_pep440 a = V(loc[i]), b = V(loc[i + 1]);
		CHECK(pv_pep440_cmp(&a, &b) < 0, "%s should sort below %s", loc[i], loc[i + 1]);
		CHECK(pv_pep440_cmp(&b, &a) > 0, "%s should sort above %s", loc[i + 1], loc[i]);
	}

	static const struct {
		const char *v;
		bool pre;
	} pre[] = {
		{"1.0", false},     {"1.0a1", true},      {"1.0b1", true},       {"1.0rc1", true},
		{"1.0.dev0", true}, {"1.0.post1", false}, {"1.0.post1.dev0", true}, {"1.0+abc", false},
		{"1.0a1+abc", true},
	};
	for (size_t i = 0; i < sizeof pre / sizeof *pre; i++) {
		struct pv_pep440 v = V(pre[i].v);
		CHECK(pv_pep440_is_prerelease(&v) == pre[i].pre, "is_prerelease(%s)", pre[i].v);
	}
}

struct spec_case {
	const char *spec, *version;
	bool pre, want;
};

static const struct spec_case SPECS[] = {
	/* Empty set. */
	{"", "1.0", false, true},
	{"", "1.0a1", false, false},
	{"", "1.0a1", true, true},
	{"  ", "0.0.dev0", false, false},
	{",", "3.0", false, true},

	/* Ordered comparisons. */
	{">=1.0", "1.0", false, true},
	{">=1.0", "0.9", false, false},
	{">=1.0", "2.0", false, true},
	{">=1.0", "2.0a1", false, false},
	{">=1.0", "2.0a1", true, true},
	{">=1.0", "1.1.dev1", false, false},
	{">=1.0", "1!0.5", false, true},
	{">=2.0", "2.0+local", false, true},
	{">=1.0a1", "1.0b1", false, true}, /* names a pre-release: they are allowed */
	{">=1.0a1", "2.0.dev1", false, true},
	{"<=2.0", "2.0+local", false, true},
	{"<=2.0", "2.0.post1", false, false},
	{"<=1.0", "1.0.dev0", false, false},
	{"<=1.0", "1.0.dev0", true, true},
	{"<2.0", "2.0+local", false, false},
	{"<2.0", "1.9+local", false, true},
	{"<1.7", "1.6", false, true},
	{"<1.7", "1.7", false, false},
	{"<1.7", "1.7.dev0", true, false}, /* no pre-release of 1.7 itself */
	{"<1.7", "1.7a1", true, false},
	{"<1.7", "1.7.0rc1", true, false},
	{"<1.7", "1.6.9a1", true, true},
	{"<1.7", "1.6.9a1", false, false},
	{"<1.7a2", "1.7a1", false, false}, /* "<" does not request pre-releases */
	{"<1.7a2", "1.7a1", true, true},
	{"<1.7a2", "1.7.dev1", true, true},
	{">1.7", "1.7.1", false, true},
	{">1.7", "1.8", false, true},
	{">1.7", "1.7", false, false},
	{">1.7", "1.7.post1", false, false}, /* no post-release of 1.7 itself */
	{">1.7", "1.7.0.post1", false, false},
	{">1.7", "1.7+local", false, false},
	{">1.7", "1.7.1+local", false, true},
	{">1.7.post2", "1.7.post3", false, true},
	{">1.7.post2", "1.7.post2", false, false},
	{">1.7.post2", "1.7.post3+local", false, false},
	{">1.7a1", "1.7", false, true},
	{">1.7a1", "1.7a2", false, false},
	{">1.7a1", "1.7a2", true, true},
	{"> 1.0", "1.1", false, true},

	/* Equality and prefix matching. */
	{"==1.0", "1.0", false, true},
	{"==1.0", "1.0.0", false, true},
	{"==1.0", "1.0+local", false, true},
	{"==1.0", "1.0.post1", false, false},
	{"==1.0", "1.0a1", true, false},
	{"==1.0.0", "v1", false, true},
	{"==1.0+abc", "1.0+abc", false, true},
	{"==1.0+abc", "1.0+ABC", false, true},
	{"==1.0+abc", "1.0+abd", false, false},
	{"==1.0+abc", "1.0", false, false},
	{"==1.0a1", "1.0a1", false, true},
	{"==1.0a1", "1.0alpha1", false, true},
	{"!=1.0", "1.0+abc", false, false},
	{"!=1.0", "1.1", false, true},
	{"!=1.0a1", "1.0a2", false, false}, /* "!=" does not request pre-releases */
	{"==1.1.*", "1.1", false, true},
	{"==1.1.*", "1.1.0", false, true},
	{"==1.1.*", "1.1.5", false, true},
	{"==1.1.*", "1.1.post1", false, true},
	{"==1.1.*", "1.1.0+local", false, true},
	{"==1.1.*", "1.10", false, false},
	{"==1.1.*", "1.2", false, false},
	{"==1.1.*", "1", false, false},
	{"==1.1.*", "1.1a1", false, false},
	{"==1.1.*", "1.1a1", true, true},
	{"==1.1.0.*", "1.1", false, true}, /* zero padding */
	{"==1.1.0.*", "1.1.0.5", false, true},
	{"==1.1.0.*", "1.1.1", false, false},
	{"==1.*", "1", false, true},
	{"==1.*", "1.9.9", false, true},
	{"==1.*", "2.0", false, false},
	{"==1.*", "1!1.0", false, false},
	{"==1!1.*", "1!1.2", false, true},
	{"==1!1.*", "1.2", false, false},
	{"!=1.1.*", "1.1.3", false, false},
	{"!=1.1.*", "1.2", false, true},
	{"== 1.1.*", "1.1.3", false, true},

	/* Compatible release. */
	{"~=2.2", "2.2", false, true},
	{"~=2.2", "2.3", false, true},
	{"~=2.2", "2.9.9", false, true},
	{"~=2.2", "3.0", false, false},
	{"~=2.2", "2.1", false, false},
	{"~=2.2", "2.2.post3", false, true},
	{"~=2.2", "2.2+local", false, true},
	{"~=2.2", "3.0a1", true, false},
	{"~=1.4.5", "1.4.5", false, true},
	{"~=1.4.5", "1.4.9", false, true},
	{"~=1.4.5", "1.5.0", false, false},
	{"~=1.4.5", "1.4.4", false, false},
	{"~=2.2.post3", "2.2.post3", false, true},
	{"~=2.2.post3", "2.3", false, true},
	{"~=2.2.post3", "2.2", false, false},
	{"~=2.2.post3", "3.0", false, false},
	{"~=1.4.5a4", "1.4.5a4", false, true},
	{"~=1.4.5a4", "1.4.5b1", false, true},
	{"~=1.4.5a4", "1.4.5", false, true},
	{"~=1.4.5a4", "1.4.5a3", false, false},
	{"~=1.4.5a4", "1.5", false, false},
	{"~=1.4.5.0", "1.4.5.9", false, true},
	{"~=1.4.5.0", "1.4.6", false, false},
	{"~=1!2.3", "1!2.9", false, true},
	{"~=1!2.3", "2.9", false, false},

	/* Arbitrary equality (against the normalised form). */
	{"===1.0", "1.0", false, true},
	{"===1.0", "1.0.0", false, false},
	{"===1.0A1", "1.0a1", false, true},
	{"===foobar", "1.0", false, false},

	/* Sets. */
	{">=1.0, <2.0", "1.5", false, true},
	{">=1.0, <2.0", "2.0", false, false},
	{">=1.0, <2.0", "0.5", false, false},
	{">=1.0,!=1.5.*,<2", "1.5.1", false, false},
	{">=1.0,!=1.5.*,<2", "1.6", false, true},
	{" >= 1.0 , , < 2 ,", "1.6", false, true},
	{"==1.0 , >=0.5", "1.0", false, true},
	{">=1.0, ==2.0b1", "2.0b1", false, true},
	{">=1.0, ==2.0b1", "2.0b2", false, false},
	{"!=2.0b1, >=1.0a1", "2.0b2", false, true},
};

static void test_specs(void)
{
	for (size_t i = 0; i < sizeof SPECS / sizeof *SPECS; i++) {
		const struct spec_case *c = &SPECS[i];
		struct pv_pep440_spec *s = NULL;
		char err[128] = "";
		int rc = pv_pep440_spec_parse(c->spec, &s, err, sizeof err);
		CHECK(rc == 0, "specifier '%s' rejected: %s", c->spec, err);
		if (rc)
			continue;
		struct pv_pep440 v = V(c->version);
		bool got = pv_pep440_spec_contains(s, &v, c->pre);
		CHECK(got == c->want, "'%s' %s %s (prereleases=%d): got %d", c->spec,
		      c->want ? "should accept" : "should reject", c->version, c->pre, got);
		pv_pep440_spec_free(s);
	}
}

static void test_invalid_specs(void)
{
	static const char *const bad[] = {
		"1.0", "=1.0", "==", ">=", "== ", ">=1.0.*", "<1.*", "~=1", "~=1.*", "~=1.0.*",
		">=1.0+local", "<1.0+local", "~=1.0+abc", "==1.0a1.*", "==1.0+abc.*", "==1.0.post1.*",
		"==1.*.0", "== 1.0 .*", ">=1.0;", ">=1.0 <2.0", "==1.0.*.*", "===", "=== a b",
		"===a;b", ">=abc", "<>1.0", "=>1.0", "!1.0", "~1.0", "^1.0", ">=1.0,2.0",
		">=1.0 , foo", "==1.0\x1b[2J", "1.0 - 2.0", "== 1 .0",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct pv_pep440_spec *s = (struct pv_pep440_spec *)&s; /* must be reset */
		char err[128] = "";
		int rc = pv_pep440_spec_parse(bad[i], &s, err, sizeof err);
		CHECK(rc == -1, "invalid specifier accepted: '%s'", bad[i]);
		CHECK(s == NULL, "out not cleared for '%s'", bad[i]);
		CHECK(err[0] != '\0', "no message for '%s'", bad[i]);
		for (const char *p = err; *p; p++)
			CHECK(*p >= 0x20 && *p < 0x7f, "unprintable byte in message for '%s'", bad[i]);
		if (rc == 0)
			pv_pep440_spec_free(s);
	}

	char *big = malloc(PV_PEP440_SPEC_MAX_LEN + 2);
	CHECK(big != NULL, "malloc");
	if (big) {
		struct pv_pep440_spec *s = NULL;
		size_t k = 0;
		while (k + 6 <= PV_PEP440_SPEC_MAX_LEN) {
			memcpy(big + k, "!=1.0,", 6);
			k += 6;
		}
		while (k < PV_PEP440_SPEC_MAX_LEN)
			big[k++] = ' ';
		big[k] = '\0';
		CHECK(pv_pep440_spec_parse(big, &s, NULL, 0) == 0, "maximum-length specifier");
		struct pv_pep440 v = V("1.1");
		CHECK(s && pv_pep440_spec_contains(s, &v, false), "many clauses");
		pv_pep440_spec_free(s);
		s = NULL;
		big[k++] = ' ';
		big[k] = '\0';
		CHECK(pv_pep440_spec_parse(big, &s, NULL, 0) == -1 && !s, "overlong specifier");
		free(big);
	}
	pv_pep440_spec_free(NULL);
}

static void test_pep503(void)
{
	static const struct {
		const char *in, *out;
	} good[] = {
		{"Django", "django"},
		{"a", "a"},
		{"A1", "a1"},
		{"zope.interface", "zope-interface"},
		{"Foo.Bar_baz--qux", "foo-bar-baz-qux"},
		{"friendly-bard", "friendly-bard"},
		{"Friendly-Bard", "friendly-bard"},
		{"FRIENDLY-BARD", "friendly-bard"},
		{"friendly.bard", "friendly-bard"},
		{"friendly_bard", "friendly-bard"},
		{"friendly--bard", "friendly-bard"},
		{"FrIeNdLy-._.-bArD", "friendly-bard"},
		{"0", "0"},
		{"py3-foo_2", "py3-foo-2"},
	};
	static const char *const bad[] = {
		"", "-foo", "foo-", "_foo", "foo_", ".foo", "foo.", "foo bar", "foo!", "f\xc3\xb6o",
		"foo/bar", "@scope/foo", "foo\n", " foo", "-", "foo==1.0",
	};
	char out[64];

	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		int n = pv_pep503_normalize(good[i].in, out, sizeof out);
		CHECK(n == (int)strlen(good[i].out) && strcmp(out, good[i].out) == 0,
		      "normalize(%s) = %d '%s', want '%s'", good[i].in, n, out, good[i].out);
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(pv_pep503_normalize(bad[i], out, sizeof out) == -1, "invalid name accepted: '%s'",
		      bad[i]);
	CHECK(pv_pep503_normalize("abcdef", out, 6) == -1 && out[0] == '\0', "too long");
	CHECK(pv_pep503_normalize("abcdef", out, 7) == 6, "just fits");
	CHECK(pv_pep503_normalize("a--__..b", out, 4) == 3 && strcmp(out, "a-b") == 0, "runs collapse");
	CHECK(pv_pep503_normalize(NULL, out, sizeof out) == -1, "NULL");
}

int main(void)
{
	test_normalise();
	test_invalid();
	test_order();
	test_specs();
	test_invalid_specs();
	test_pep503();
	return CHECK_DONE();
}
