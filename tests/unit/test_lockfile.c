/* npm package-lock.json / npm-shrinkwrap.json reader. */
#include "check.h"
#include "lockfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct pv_lock_entry *find(const struct pv_lockfile *lf, const char *path)
{
	for (size_t i = 0; i < lf->n; i++)
		if (strcmp(lf->entries[i].path, path) == 0)
			return &lf->entries[i];
	return NULL;
}

static bool streq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static int parse(const char *json, const char *registry, struct pv_lockfile *lf, char *err,
                 size_t errlen)
{
	return pv_lockfile_parse(json, strlen(json), "package-lock.json", registry, lf, err, errlen);
}

#define EXPECT(lf, p, nm, ver, src)                                                            \
	do {                                                                                       \
		const struct pv_lock_entry *e_ = find(lf, p);                                          \
		CHECK(e_ != NULL, "no entry %s", p);                                                   \
		if (e_) {                                                                              \
			CHECK(streq(e_->name, nm), "%s: name %s", p, e_->name);                            \
			CHECK(streq(e_->version, ver), "%s: version %s", p, e_->version ? e_->version : "-"); \
			CHECK(e_->source == (src), "%s: source %s", p, pv_lock_source_name(e_->source));   \
		}                                                                                      \
	} while (0)

static const char v3[] =
	"{\"name\":\"app\",\"version\":\"1.0.0\",\"lockfileVersion\":3,\"requires\":true,"
	"\"packages\":{"
	"\"\":{\"name\":\"app\",\"version\":\"1.0.0\",\"workspaces\":[\"packages/*\"]},"
	"\"node_modules/express\":{\"version\":\"4.19.2\","
	"\"resolved\":\"https://registry.npmjs.org/express/-/express-4.19.2.tgz\","
	"\"integrity\":\"sha512-abc==\"},"
	"\"node_modules/@babel/core\":{\"version\":\"7.24.0\",\"dev\":true,"
	"\"resolved\":\"https://registry.npmjs.org/@babel/core/-/core-7.24.0.tgz\"},"
	"\"node_modules/@babel/core/node_modules/semver\":{\"version\":\"6.3.1\",\"dev\":true},"
	"\"node_modules/my-lodash\":{\"name\":\"lodash\",\"version\":\"4.17.21\","
	"\"resolved\":\"https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz\"},"
	"\"node_modules/gitdep\":{\"version\":\"1.0.0\","
	"\"resolved\":\"git+ssh://git@github.com/u/gitdep.git#0123456789abcdef\"},"
	"\"node_modules/ghdep\":{\"version\":\"2.0.0\",\"resolved\":\"github:u/ghdep#abc\"},"
	"\"node_modules/tardep\":{\"version\":\"1.2.3\","
	"\"resolved\":\"https://example.com/tardep-1.2.3.tgz\",\"optional\":true},"
	"\"node_modules/localdep\":{\"version\":\"0.1.0\",\"resolved\":\"file:../localdep\"},"
	"\"node_modules/ws-a\":{\"resolved\":\"packages/ws-a\",\"link\":true},"
	"\"packages/ws-a\":{\"name\":\"ws-a\",\"version\":\"0.0.1\"},"
	"\"node_modules/fsevents\":{\"version\":\"2.3.3\",\"optional\":true,\"peer\":true,"
	"\"devOptional\":true},"
	"\"node_modules/mirror\":{\"version\":\"1.0.0\","
	"\"resolved\":\"http://127.0.0.1:4873/mirror/-/mirror-1.0.0.tgz\"}"
	"}}";

static void test_v3(void)
{
	struct pv_lockfile lf;
	char err[256];
	int rc = parse(v3, "http://127.0.0.1:4873", &lf, err, sizeof err);
	CHECK(rc == 0, "v3: %s", err);
	if (rc)
		return;
	CHECK(lf.version == 3, "version %d", lf.version);
	CHECK(lf.n == 12, "n = %zu", lf.n);
	CHECK(find(&lf, "") == NULL, "root skipped");
	EXPECT(&lf, "node_modules/express", "express", "4.19.2", PV_LOCK_REGISTRY);
	const struct pv_lock_entry *e = find(&lf, "node_modules/express");
	CHECK(e && streq(e->integrity, "sha512-abc==") && !e->dev && !e->alias, "express fields");
	EXPECT(&lf, "node_modules/@babel/core", "@babel/core", "7.24.0", PV_LOCK_REGISTRY);
	e = find(&lf, "node_modules/@babel/core");
	CHECK(e && e->dev && !e->optional, "dev flag");
	EXPECT(&lf, "node_modules/@babel/core/node_modules/semver", "semver", "6.3.1", PV_LOCK_REGISTRY);
	e = find(&lf, "node_modules/@babel/core/node_modules/semver");
	CHECK(e && e->resolved == NULL && e->integrity == NULL, "resolved omitted");
	EXPECT(&lf, "node_modules/my-lodash", "lodash", "4.17.21", PV_LOCK_REGISTRY);
	e = find(&lf, "node_modules/my-lodash");
	CHECK(e && streq(e->alias, "my-lodash"), "alias");
	EXPECT(&lf, "node_modules/gitdep", "gitdep", "1.0.0", PV_LOCK_GIT);
	EXPECT(&lf, "node_modules/ghdep", "ghdep", "2.0.0", PV_LOCK_GIT);
	EXPECT(&lf, "node_modules/tardep", "tardep", "1.2.3", PV_LOCK_TARBALL);
	e = find(&lf, "node_modules/tardep");
	CHECK(e && e->optional && !e->dev, "optional");
	EXPECT(&lf, "node_modules/localdep", "localdep", "0.1.0", PV_LOCK_FILE);
	EXPECT(&lf, "node_modules/ws-a", "ws-a", NULL, PV_LOCK_LINK);
	e = find(&lf, "node_modules/ws-a");
	CHECK(e && e->link && streq(e->resolved, "packages/ws-a"), "link");
	EXPECT(&lf, "packages/ws-a", "ws-a", "0.0.1", PV_LOCK_FILE);
	e = find(&lf, "node_modules/fsevents");
	CHECK(e && e->optional && e->peer && e->dev_optional, "peer/devOptional");
	EXPECT(&lf, "node_modules/mirror", "mirror", "1.0.0", PV_LOCK_REGISTRY);
	pv_lockfile_free(&lf);

	/* Without the configured registry, the mirror is just some tarball URL. */
	CHECK(parse(v3, NULL, &lf, err, sizeof err) == 0, "v3 default registry: %s", err);
	EXPECT(&lf, "node_modules/mirror", "mirror", "1.0.0", PV_LOCK_TARBALL);
	EXPECT(&lf, "node_modules/express", "express", "4.19.2", PV_LOCK_REGISTRY);
	pv_lockfile_free(&lf);
}

static void test_v2(void)
{
	/* v2 carries both maps: "packages" wins. */
	static const char v2[] =
		"{\"lockfileVersion\":2,\"packages\":{\"\":{},"
		"\"node_modules/a\":{\"version\":\"1.0.0\",\"resolved\":"
		"\"https://registry.npmjs.org/a/-/a-1.0.0.tgz\",\"integrity\":\"sha1-x\"},"
		"\"node_modules/a/node_modules/b\":{\"version\":\"2.0.0-beta.1\",\"optional\":true}},"
		"\"dependencies\":{\"a\":{\"version\":\"1.0.0\"},\"ignored\":{\"version\":\"9.9.9\"}}}";
	struct pv_lockfile lf;
	char err[256];
	CHECK(parse(v2, NULL, &lf, err, sizeof err) == 0, "v2: %s", err);
	CHECK(lf.version == 2 && lf.n == 2, "v2 n=%zu", lf.n);
	EXPECT(&lf, "node_modules/a", "a", "1.0.0", PV_LOCK_REGISTRY);
	EXPECT(&lf, "node_modules/a/node_modules/b", "b", "2.0.0-beta.1", PV_LOCK_REGISTRY);
	pv_lockfile_free(&lf);
}

static void test_v1(void)
{
	static const char v1[] =
		"{\"name\":\"app\",\"version\":\"1.0.0\",\"lockfileVersion\":1,\"requires\":true,"
		"\"dependencies\":{"
		"\"express\":{\"version\":\"4.17.1\",\"resolved\":"
		"\"https://registry.npmjs.org/express/-/express-4.17.1.tgz\",\"integrity\":\"sha512-e\","
		"\"requires\":{\"debug\":\"2.6.9\"},"
		"\"dependencies\":{\"debug\":{\"version\":\"2.6.9\",\"resolved\":"
		"\"https://registry.npmjs.org/debug/-/debug-2.6.9.tgz\"}}},"
		"\"@types/node\":{\"version\":\"20.1.0\",\"dev\":true},"
		"\"old-lodash\":{\"version\":\"npm:lodash@4.17.21\",\"resolved\":"
		"\"https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz\"},"
		"\"scoped-alias\":{\"version\":\"npm:@scope/real@1.0.0\"},"
		"\"gitdep\":{\"version\":\"git+https://github.com/u/gitdep.git#abcdef\","
		"\"from\":\"git+https://github.com/u/gitdep.git\"},"
		"\"ghdep\":{\"version\":\"github:u/ghdep#abcdef\"},"
		"\"local\":{\"version\":\"file:../local\"},"
		"\"tar\":{\"version\":\"https://example.com/tar.tgz\",\"optional\":true}"
		"}}";
	struct pv_lockfile lf;
	char err[256];
	int rc = parse(v1, NULL, &lf, err, sizeof err);
	CHECK(rc == 0, "v1: %s", err);
	if (rc)
		return;
	CHECK(lf.version == 1 && lf.n == 9, "v1 n=%zu", lf.n);
	EXPECT(&lf, "node_modules/express", "express", "4.17.1", PV_LOCK_REGISTRY);
	EXPECT(&lf, "node_modules/express/node_modules/debug", "debug", "2.6.9", PV_LOCK_REGISTRY);
	EXPECT(&lf, "node_modules/@types/node", "@types/node", "20.1.0", PV_LOCK_REGISTRY);
	const struct pv_lock_entry *e = find(&lf, "node_modules/@types/node");
	CHECK(e && e->dev && !e->resolved, "v1 dev, no resolved");
	EXPECT(&lf, "node_modules/old-lodash", "lodash", "4.17.21", PV_LOCK_REGISTRY);
	e = find(&lf, "node_modules/old-lodash");
	CHECK(e && streq(e->alias, "old-lodash"), "v1 alias");
	EXPECT(&lf, "node_modules/scoped-alias", "@scope/real", "1.0.0", PV_LOCK_REGISTRY);
	EXPECT(&lf, "node_modules/gitdep", "gitdep", "git+https://github.com/u/gitdep.git#abcdef",
	       PV_LOCK_GIT);
	EXPECT(&lf, "node_modules/ghdep", "ghdep", "github:u/ghdep#abcdef", PV_LOCK_GIT);
	EXPECT(&lf, "node_modules/local", "local", "file:../local", PV_LOCK_FILE);
	EXPECT(&lf, "node_modules/tar", "tar", "https://example.com/tar.tgz", PV_LOCK_TARBALL);
	pv_lockfile_free(&lf);
}

static void test_bad(void)
{
	static const struct {
		const char *json, *want;
	} cases[] = {
		{"", "package-lock.json: not JSON (unexpected end of input)"},
		{"{\"lockfileVersion\":3,", "package-lock.json: not JSON ("},
		{"{\"lockfileVersion\":3 garbage", "package-lock.json: not JSON ("},
		{"{\"lockfileVersion\":3} {}", "package-lock.json: not JSON (trailing data"},
		{"[1,2]", "package-lock.json: not a lockfile"},
		{"{\"name\":\"x\"}", "package-lock.json: not a lockfile (no lockfileVersion)"},
		{"{\"lockfileVersion\":4,\"packages\":{}}",
		 "package-lock.json: lockfileVersion 4 is not supported"},
		{"{\"lockfileVersion\":0}", "package-lock.json: lockfileVersion 0 is not supported"},
		{"{\"lockfileVersion\":\"3\"}", "package-lock.json: lockfileVersion is not a number"},
		{"{\"lockfileVersion\":3}", "without \"packages\""},
		{"{\"lockfileVersion\":3,\"packages\":[]}", "\"packages\" is not an object"},
		{"{\"lockfileVersion\":3,\"packages\":{\"node_modules/a\":1}}", "is not an object"},
		{"{\"lockfileVersion\":3,\"packages\":{\"node_modules/a\":{}}}", "node_modules/a: no version"},
		{"{\"lockfileVersion\":3,\"packages\":{\"node_modules/a\":{\"version\":\"latest\"}}}",
		 "\"latest\" is not a valid version"},
		{"{\"lockfileVersion\":3,\"packages\":{\"node_modules/a\":{\"version\":1}}}",
		 "\"version\" of node_modules/a is not a string"},
		{"{\"lockfileVersion\":3,\"packages\":{\"node_modules/a\":{\"version\":\"1.0.0\",\"dev\":\"y\"}}}",
		 "\"dev\" of node_modules/a is not true or false"},
		{"{\"lockfileVersion\":3,\"packages\":{\"node_modules/../../etc\":{\"version\":\"1.0.0\"}}}",
		 "is not a valid package name"},
		{"{\"lockfileVersion\":3,\"packages\":{\"node_modules/a\":{\"version\":\"x\",\"resolved\":"
		 "\"https://registry.npmjs.org/a/-/a-1.tgz\"}}}",
		 "registry package with invalid version"},
		{"{\"lockfileVersion\":1,\"dependencies\":{\"a\":{\"version\":\"npm:@x\"}}}", "bad alias"},
	};
	char err[256];
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct pv_lockfile lf;
		int rc = parse(cases[i].json, NULL, &lf, err, sizeof err);
		CHECK(rc == -1, "case %zu accepted", i);
		CHECK(strstr(err, cases[i].want) != NULL, "case %zu: got '%s', want '%s'", i, err,
		      cases[i].want);
		CHECK(strncmp(err, "package-lock.json: ", 19) == 0, "case %zu names the file: %s", i, err);
		CHECK(lf.n == 0 && lf.entries == NULL, "case %zu: empty on error", i);
	}

	/* Nesting beyond the json-c depth limit. */
	size_t depth = PV_LOCKFILE_MAX_DEPTH + 10;
	char *deep = malloc(depth * 2 + 64);
	if (!deep)
		return;
	size_t n = (size_t)sprintf(deep, "{\"lockfileVersion\":1,\"x\":");
	for (size_t i = 0; i < depth; i++)
		deep[n++] = '[';
	for (size_t i = 0; i < depth; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	deep[n] = '\0';
	struct pv_lockfile lf;
	CHECK(parse(deep, NULL, &lf, err, sizeof err) == -1 && strstr(err, "not JSON"), "deep: %s", err);
	free(deep);
	/* Over the size bound: refused before parsing. */
	CHECK(pv_lockfile_parse("{}", (size_t)PV_LOCKFILE_MAX_SIZE + 1, "big.json", NULL, &lf, err,
	                        sizeof err) == -1 &&
	          strstr(err, "big.json: too large"),
	      "size: %s", err);
}

static void test_load(void)
{
	char dir[] = "/tmp/pv-lockXXXXXX", path[64], err[256];
	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof path, "%s/npm-shrinkwrap.json", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	fputs(v3, f);
	fclose(f);
	struct pv_lockfile lf;
	CHECK(pv_lockfile_load(path, NULL, &lf, err, sizeof err) == 0 && lf.n == 12, "load: %s", err);
	pv_lockfile_free(&lf);
	f = fopen(path, "w");
	if (f) {
		fputs("{\"lockfileVersion\":4}", f);
		fclose(f);
	}
	CHECK(pv_lockfile_load(path, NULL, &lf, err, sizeof err) == -1 &&
	          strstr(err, "npm-shrinkwrap.json: lockfileVersion 4 is not supported"),
	      "load v4: %s", err);
	unlink(path);
	CHECK(pv_lockfile_load(path, NULL, &lf, err, sizeof err) == -1 &&
	          strstr(err, "npm-shrinkwrap.json: No such file"),
	      "missing: %s", err);
	CHECK(pv_lockfile_load(dir, NULL, &lf, err, sizeof err) == -1 && strstr(err, "not a regular"),
	      "dir: %s", err);
	rmdir(dir);
}

int main(void)
{
	test_v3();
	test_v2();
	test_v1();
	test_bad();
	test_load();
	return CHECK_DONE();
}
