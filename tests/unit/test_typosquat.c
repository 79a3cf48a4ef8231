/* test_typosquat.c - pv_typosquat against the real popular-name lists
 * (policy/data/top-*-packages.txt, found through $PKGVET_SRC or, failing
 * that, relative to this source file). */
#include "typosquat.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define EXPECT(cond, ...)                                                       \
	do {                                                                    \
		if (!(cond)) {                                                  \
			failures++;                                             \
			fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__);   \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
		}                                                               \
	} while (0)

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (n < cap)
			break;
		char *nb = realloc(buf, cap * 2);
		if (!nb) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = nb;
		cap *= 2;
	}
	fclose(f);
	*len = n;
	return buf;
}

static char *load_list(const char *file, size_t *len)
{
	char path[4096];
	const char *root = getenv("PKGVET_SRC");
	if (root && *root) {
		snprintf(path, sizeof path, "%s/policy/data/%s", root, file);
		char *b = read_all(path, len);
		if (b)
			return b;
	}
	/* __FILE__ is .../tests/unit/test_typosquat.c */
	const char *me = __FILE__;
	const char *cut = strstr(me, "tests/unit/");
	size_t pre = cut ? (size_t)(cut - me) : 0;
	snprintf(path, sizeof path, "%.*spolicy/data/%s", (int)pre, me, file);
	char *b = read_all(path, len);
	if (b)
		return b;
	snprintf(path, sizeof path, "policy/data/%s", file);
	return read_all(path, len);
}

static const char *npm_list, *pypi_list;
static size_t npm_len, pypi_len;

static int squat(const char *eco, const char *name, char *target, size_t cap)
{
	const char *l = strcmp(eco, "npm") == 0 ? npm_list : pypi_list;
	size_t n = strcmp(eco, "npm") == 0 ? npm_len : pypi_len;
	return pv_typosquat(eco, name, l, n, target, cap);
}

#define SQUAT(eco, name, want)                                                              \
	do {                                                                                \
		char t_[256];                                                               \
		int r_ = squat(eco, name, t_, sizeof t_);                                   \
		EXPECT(r_ == 1 && strcmp(t_, want) == 0,                                    \
		       "%s %s: expected squat of \"%s\", got r=%d target=\"%s\"", eco, name, \
		       want, r_, r_ == 1 ? t_ : "");                                       \
	} while (0)
#define SQUAT_ANY(eco, name)                                                              \
	do {                                                                              \
		char t_[256];                                                             \
		int r_ = squat(eco, name, t_, sizeof t_);                                 \
		EXPECT(r_ == 1, "%s %s: expected a squat, got r=%d", eco, name, r_);      \
	} while (0)
#define NOT_SQUAT(eco, name)                                                              \
	do {                                                                              \
		char t_[256];                                                             \
		int r_ = squat(eco, name, t_, sizeof t_);                                 \
		EXPECT(r_ == 0, "%s %s: expected no squat, got r=%d target=\"%s\"", eco,  \
		       name, r_, r_ == 1 ? t_ : "");                                     \
	} while (0)

static void test_npm(void)
{
	/* one edit */
	SQUAT("npm", "lodahs", "lodash");  /* transposition */
	SQUAT("npm", "lodas", "lodash");   /* deletion */
	SQUAT("npm", "lodashh", "lodash"); /* insertion */
	SQUAT("npm", "lodesh", "lodash");  /* substitution */
	SQUAT("npm", "expresss", "express");
	SQUAT("npm", "axois", "axios");
	SQUAT("npm", "crossenv", "cross-env"); /* separator removed */
	SQUAT("npm", "cross_env", "cross-env");
	SQUAT("npm", "cross.env", "cross-env");
	SQUAT("npm", "fsextra", "fs-extra");
	/* homoglyphs */
	SQUAT("npm", "l0dash", "lodash");
	SQUAT("npm", "co1ors", "colors");
	SQUAT("npm", "cornmander", "commander"); /* rn -> m */
	/* scope confusion */
	SQUAT("npm", "@types-node", "@types/node");
	SQUAT("npm", "@babel-core", "@babel/core");
	SQUAT("npm", "@evil/lodash", "lodash");
	SQUAT("npm", "@bable/core", "@babel/core");
	/* case */
	SQUAT("npm", "Lodahs", "lodash");
	/* not squats: popular names themselves, both forms popular, own scopes */
	NOT_SQUAT("npm", "lodash");
	NOT_SQUAT("npm", "LODASH");
	NOT_SQUAT("npm", "babel-core");
	NOT_SQUAT("npm", "@babel/core");
	NOT_SQUAT("npm", "@types/node");
	NOT_SQUAT("npm", "@types/lodash");
	NOT_SQUAT("npm", "@types/some-obscure-thing");
	NOT_SQUAT("npm", "@babel/some-new-plugin");
	NOT_SQUAT("npm", "express");
	NOT_SQUAT("npm", "react");
	NOT_SQUAT("npm", "my-very-own-unique-package-name");
	NOT_SQUAT("npm", "@mycorp/internal-widgets");
	/* short popular names (< 4) get no edit check */
	NOT_SQUAT("npm", "mss");
	NOT_SQUAT("npm", "wss");
	NOT_SQUAT("npm", "");
	NOT_SQUAT("npm", "x");
}

static void test_pypi(void)
{
	SQUAT("pypi", "reqeusts", "requests");
	SQUAT("pypi", "requets", "requests");
	SQUAT("pypi", "requestss", "requests");
	SQUAT("pypi", "python-requests", "requests");
	SQUAT("pypi", "requests-python", "requests");
	SQUAT("pypi", "py-requests", "requests");
	SQUAT("pypi", "requests-py", "requests");
	SQUAT("pypi", "pythondateutil", "python-dateutil");
	SQUAT("pypi", "urllib4", "urllib3");
	SQUAT("pypi", "nunpy", "numpy");
	SQUAT("pypi", "beautifulsoup5", "beautifulsoup4");
	NOT_SQUAT("pypi", "beautifulsoup"); /* itself popular */
	SQUAT_ANY("pypi", "djang0");
	SQUAT_ANY("pypi", "co1orama");
	/* PEP 503: these are the same project as a popular one */
	NOT_SQUAT("pypi", "python_dateutil");
	NOT_SQUAT("pypi", "Python.Dateutil");
	NOT_SQUAT("pypi", "REQUESTS");
	NOT_SQUAT("pypi", "requests");
	NOT_SQUAT("pypi", "numpy");
	NOT_SQUAT("pypi", "python-dateutil");
	NOT_SQUAT("pypi", "a-completely-original-project-name");
	/* npm's list does not apply to PyPI names and vice versa */
	NOT_SQUAT("pypi", "lodahs");
	/* unknown ecosystem */
	{
		char t[64];
		EXPECT(pv_typosquat("cargo", "serdee", npm_list, npm_len, t, sizeof t) == 0,
		       "unknown ecosystem");
	}
}

static void test_target_truncation(void)
{
	char t[4];
	int r = pv_typosquat("npm", "lodahs", npm_list, npm_len, t, sizeof t);
	EXPECT(r == 1 && strcmp(t, "lod") == 0, "target truncated to buffer: r=%d t=%s", r, t);
	EXPECT(pv_typosquat("npm", "lodahs", npm_list, npm_len, NULL, 0) == 1, "NULL target");
}

static void test_small_list(void)
{
	static const char list[] = "# comment\n\nalpha-beta\r\ngamma\n  delta  \n";
	char t[64];
	EXPECT(pv_typosquat("npm", "alphabeta", list, sizeof list - 1, t, sizeof t) == 1 &&
	           strcmp(t, "alpha-beta") == 0,
	       "small list separator");
	EXPECT(pv_typosquat("npm", "gamm", list, sizeof list - 1, t, sizeof t) == 1, "small list edit");
	EXPECT(pv_typosquat("npm", "delta", list, sizeof list - 1, t, sizeof t) == 0, "trimmed name");
	EXPECT(pv_typosquat("npm", "comment", list, sizeof list - 1, t, sizeof t) == 0, "comment line");
	EXPECT(pv_typosquat("npm", "x", "", 0, t, sizeof t) == 0, "empty list");
}

static void *worker(void *arg)
{
	int *bad = arg;
	char t[64];
	for (int i = 0; i < 200; i++) {
		if (pv_typosquat("npm", "lodahs", npm_list, npm_len, t, sizeof t) != 1 ||
		    pv_typosquat("pypi", "reqeusts", pypi_list, pypi_len, t, sizeof t) != 1 ||
		    pv_typosquat("npm", "lodash", npm_list, npm_len, t, sizeof t) != 0)
			(*bad)++;
	}
	return NULL;
}

static void test_threads(void)
{
	pthread_t th[4];
	int bad[4] = {0};
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, worker, &bad[i]);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 4; i++)
		EXPECT(bad[i] == 0, "thread %d saw %d wrong answers", i, bad[i]);
}

int main(void)
{
	char *n = load_list("top-npm-packages.txt", &npm_len);
	char *p = load_list("top-pypi-packages.txt", &pypi_len);
	if (!n || !p) {
		fprintf(stderr, "cannot read policy/data lists (set PKGVET_SRC)\n");
		return 1;
	}
	npm_list = n;
	pypi_list = p;
	test_npm();
	test_pypi();
	test_target_truncation();
	test_small_list();
	test_threads();
	free(n);
	free(p);
	if (failures) {
		fprintf(stderr, "%d failure(s)\n", failures);
		return 1;
	}
	printf("test_typosquat: all passed\n");
	return 0;
}
