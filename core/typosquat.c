/* typosquat.c - is a package name an imitation of a popular one?
 *
 * The popular-name list is parsed once per list buffer into an immutable
 * table: names (normalised), a hash set of them, a hash map from a
 * "skeleton" (separators dropped, homoglyphs folded) to the most popular
 * name with that skeleton, the set of npm scopes present in the list, and
 * the names bucketed by length for the one-edit search. */
#include "typosquat.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TS_NAME_MAX 256
#define TS_EDIT_MIN_LEN 4      /* popular names shorter than this get no edit check */
#define TS_SHORT_LEN 5         /* names this short ... */
#define TS_SHORT_TOP 1000      /* ... only count one edit from the top N */
#define TS_SCOPE_TOP 1000      /* @evil/NAME: NAME among the top N */

enum eco { ECO_NPM, ECO_PYPI };

struct hmap {
	uint32_t *slot; /* index + 1 into the name table; 0 = empty */
	size_t mask;
	const char *const *keys; /* key of name i (borrowed) */
};

struct tsdb {
	enum eco eco;
	size_t n;
	char **orig;   /* as in the list */
	char **norm;   /* normalised */
	char **skel;   /* skeleton */
	size_t *len;   /* strlen(norm[i]) */
	struct hmap names, skels, scopes;
	char **scope_keys; /* "@scope" of name i, or "" */
	/* bucket[L] = indices of names of length L, in popularity order */
	uint32_t **bucket;
	size_t *bucket_n;
	size_t max_len;
};

static char lc(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

static bool is_sep(char c)
{
	return c == '-' || c == '_' || c == '.';
}

/* Normalise: npm lowercase; PyPI PEP 503 (lowercase, runs of -_. -> -).
 * Returns the length, or 0 when the name is empty or too long. */
static size_t normalise(enum eco eco, const char *s, size_t n, char *out)
{
	if (n == 0 || n >= TS_NAME_MAX)
		return 0;
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		char c = lc(s[i]);
		if (eco == ECO_PYPI && is_sep(c)) {
			if (m > 0 && out[m - 1] == '-')
				continue;
			c = '-';
		}
		out[m++] = c;
	}
	out[m] = '\0';
	return m;
}

/* Skeleton: separators (and npm's @ /) dropped, 0->o, 1/i->l, rn->m. */
static size_t skeleton(const char *s, char *out)
{
	size_t m = 0;
	for (size_t i = 0; s[i]; i++) {
		char c = s[i];
		if (is_sep(c) || c == '@' || c == '/')
			continue;
		if (c == '0')
			c = 'o';
		else if (c == '1' || c == 'i')
			c = 'l';
		else if (c == 'r' && s[i + 1] == 'n') {
			c = 'm';
			i++;
		}
		out[m++] = c;
	}
	out[m] = '\0';
	return m;
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

static int hmap_init(struct hmap *m, size_t n, const char *const *keys)
{
	size_t cap = 16;
	while (cap < n * 2 + 1)
		cap <<= 1;
	m->slot = calloc(cap, sizeof *m->slot);
	if (!m->slot)
		return -1;
	m->mask = cap - 1;
	m->keys = keys;
	return 0;
}

/* Insert index i under keys[i] unless the key is present (the first,
 * most popular, insert wins). */
static void hmap_put(struct hmap *m, uint32_t i)
{
	const char *k = m->keys[i];
	for (size_t h = (size_t)hash(k) & m->mask;; h = (h + 1) & m->mask) {
		if (m->slot[h] == 0) {
			m->slot[h] = i + 1;
			return;
		}
		if (strcmp(m->keys[m->slot[h] - 1], k) == 0)
			return;
	}
}

/* Index of key, or -1. */
static long hmap_get(const struct hmap *m, const char *k)
{
	for (size_t h = (size_t)hash(k) & m->mask;; h = (h + 1) & m->mask) {
		if (m->slot[h] == 0)
			return -1;
		if (strcmp(m->keys[m->slot[h] - 1], k) == 0)
			return (long)m->slot[h] - 1;
	}
}

static void db_free(struct tsdb *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->n; i++) {
		free(db->orig ? db->orig[i] : NULL);
		free(db->norm ? db->norm[i] : NULL);
		free(db->skel ? db->skel[i] : NULL);
		free(db->scope_keys ? db->scope_keys[i] : NULL);
	}
	free(db->orig);
	free(db->norm);
	free(db->skel);
	free(db->scope_keys);
	free(db->len);
	free(db->names.slot);
	free(db->skels.slot);
	free(db->scopes.slot);
	if (db->bucket)
		for (size_t l = 0; l <= db->max_len; l++)
			free(db->bucket[l]);
	free(db->bucket);
	free(db->bucket_n);
	free(db);
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static struct tsdb *db_build(enum eco eco, const char *list, size_t len)
{
	struct tsdb *db = calloc(1, sizeof *db);
	if (!db)
		return NULL;
	db->eco = eco;
	/* Count lines for capacity. */
	size_t cap = 1;
	for (size_t i = 0; i < len; i++)
		if (list[i] == '\n')
			cap++;
	db->orig = calloc(cap, sizeof *db->orig);
	db->norm = calloc(cap, sizeof *db->norm);
	db->skel = calloc(cap, sizeof *db->skel);
	db->scope_keys = calloc(cap, sizeof *db->scope_keys);
	db->len = calloc(cap, sizeof *db->len);
	if (!db->orig || !db->norm || !db->skel || !db->scope_keys || !db->len)
		goto fail;
	char nb[TS_NAME_MAX], sb[TS_NAME_MAX];
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && list[e] != '\n')
			e++;
		size_t b = i, t = e;
		i = e + 1;
		while (b < t && (list[b] == ' ' || list[b] == '\t'))
			b++;
		while (t > b && (list[t - 1] == ' ' || list[t - 1] == '\t' || list[t - 1] == '\r'))
			t--;
		if (b == t || list[b] == '#')
			continue;
		size_t m = normalise(eco, list + b, t - b, nb);
		if (m == 0)
			continue;
		skeleton(nb, sb);
		size_t k = db->n;
		db->orig[k] = dup_n(list + b, t - b);
		db->norm[k] = dup_n(nb, m);
		db->skel[k] = dup_n(sb, strlen(sb));
		const char *slash = nb[0] == '@' ? strchr(nb, '/') : NULL;
		db->scope_keys[k] = slash ? dup_n(nb, (size_t)(slash - nb)) : dup_n("", 0);
		db->len[k] = m;
		db->n++;
		if (!db->orig[k] || !db->norm[k] || !db->skel[k] || !db->scope_keys[k])
			goto fail;
		if (m > db->max_len)
			db->max_len = m;
	}
	if (hmap_init(&db->names, db->n, (const char *const *)db->norm) < 0 ||
	    hmap_init(&db->skels, db->n, (const char *const *)db->skel) < 0 ||
	    hmap_init(&db->scopes, db->n, (const char *const *)db->scope_keys) < 0)
		goto fail;
	db->bucket = calloc(db->max_len + 1, sizeof *db->bucket);
	db->bucket_n = calloc(db->max_len + 1, sizeof *db->bucket_n);
	if (!db->bucket || !db->bucket_n)
		goto fail;
	for (size_t k = 0; k < db->n; k++)
		db->bucket_n[db->len[k]]++;
	for (size_t l = 0; l <= db->max_len; l++) {
		if (db->bucket_n[l] == 0)
			continue;
		db->bucket[l] = malloc(db->bucket_n[l] * sizeof **db->bucket);
		if (!db->bucket[l])
			goto fail;
		db->bucket_n[l] = 0;
	}
	for (size_t k = 0; k < db->n; k++) {
		size_t l = db->len[k];
		db->bucket[l][db->bucket_n[l]++] = (uint32_t)k;
		hmap_put(&db->names, (uint32_t)k);
		if (strlen(db->skel[k]) >= 3)
			hmap_put(&db->skels, (uint32_t)k);
		if (db->scope_keys[k][0])
			hmap_put(&db->scopes, (uint32_t)k);
	}
	return db;
fail:
	db_free(db);
	return NULL;
}

/* ---- cache ---------------------------------------------------------------- */

#define TS_CACHE 8

struct cache_ent {
	const char *list;
	size_t len;
	enum eco eco;
	struct tsdb *db;
};

static struct cache_ent cache[TS_CACHE];
static pthread_mutex_t cache_mu;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void cache_init(void)
{
	pthread_mutex_init(&cache_mu, NULL);
}

static struct tsdb *db_get(enum eco eco, const char *list, size_t len)
{
	pthread_once(&cache_once, cache_init);
	pthread_mutex_lock(&cache_mu);
	struct tsdb *db = NULL;
	for (int i = 0; i < TS_CACHE; i++)
		if (cache[i].db && cache[i].list == list && cache[i].len == len && cache[i].eco == eco) {
			db = cache[i].db;
			break;
		}
	if (!db) {
		db = db_build(eco, list, len);
		if (db) {
			int slot = -1;
			for (int i = 0; i < TS_CACHE; i++)
				if (!cache[i].db) {
					slot = i;
					break;
				}
			if (slot < 0) {
				/* Full (callers pass many different buffers): keep the table
				 * for this call only. Tables in the cache are never freed while
				 * another thread may use them. */
				pthread_mutex_unlock(&cache_mu);
				return db; /* caller frees: see pv_typosquat */
			}
			cache[slot] = (struct cache_ent){list, len, eco, db};
		}
	}
	pthread_mutex_unlock(&cache_mu);
	return db;
}

static bool db_cached(const struct tsdb *db)
{
	bool found = false;
	pthread_mutex_lock(&cache_mu);
	for (int i = 0; i < TS_CACHE; i++)
		if (cache[i].db == db)
			found = true;
	pthread_mutex_unlock(&cache_mu);
	return found;
}

/* ---- checks --------------------------------------------------------------- */

/* Exactly one insert / delete / substitute / adjacent transposition apart? */
static bool one_edit(const char *a, size_t an, const char *b, size_t bn)
{
	if (an == bn) {
		size_t i = 0;
		while (i < an && a[i] == b[i])
			i++;
		if (i == an)
			return false; /* equal */
		if (memcmp(a + i + 1, b + i + 1, an - i - 1) == 0)
			return true; /* substitution */
		return i + 1 < an && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		       memcmp(a + i + 2, b + i + 2, an - i - 2) == 0;
	}
	if (an + 1 == bn) { /* swap roles: a is the longer */
		const char *t = a;
		a = b;
		b = t;
		size_t tn = an;
		an = bn;
		bn = tn;
	}
	if (an != bn + 1)
		return false;
	size_t i = 0;
	while (i < bn && a[i] == b[i])
		i++;
	return memcmp(a + i + 1, b + i, bn - i) == 0;
}

static int found(const struct tsdb *db, long k, char *target, size_t target_len)
{
	if (target && target_len > 0) {
		size_t m = strlen(db->orig[k]);
		if (m >= target_len)
			m = target_len - 1;
		memcpy(target, db->orig[k], m);
		target[m] = '\0';
	}
	return 1;
}

static long best(long a, long b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

/* Names monorepos routinely give their scoped integration packages
 * (@lexical/react, @sentry/node): a scope around them impersonates nobody. */
static bool generic_subpackage(const char *bare)
{
	static const char *const generic[] = {
		"react", "react-dom", "vue", "angular", "svelte", "preact", "solid-js", "node", "core",
		"utils", "util", "cli", "common", "shared", "types", "config", "client", "server",
		"browser", "web", "native", "next", "nuxt", "express", "koa", "fastify", "jest",
		"vite", "webpack", "rollup", "esbuild", "eslint", "prettier", "babel", "typescript",
		"storybook", "graphql", "testing", "test", "runtime", "plugin", "sdk", "api", "logger",
		"events", "http", "fetch", "crypto", "encoding", "color", "colors", "cookie", "stream",
		"streams", "buffer", "url", "path", "process", "assert", "tslib", "polyfill", "polyfills",
		"helpers", "constants", "errors", "schema", "parser", "compiler", "ui", "icons", "theme",
		"styles", "css", "router", "store", "state", "hooks",
	};
	for (size_t i = 0; i < sizeof generic / sizeof *generic; i++)
		if (strcmp(bare, generic[i]) == 0)
			return true;
	return false;
}

/* Is q ("babel-core") the pre-scope spelling of the scoped name p
 * ("@babel/core")? Both forms exist side by side on npm (babel-*, vue-cli),
 * so that is no squat. */
static bool old_unscoped_form(const char *q, const char *p)
{
	if (p[0] != '@')
		return false;
	const char *slash = strchr(p, '/');
	if (!slash)
		return false;
	size_t sn = (size_t)(slash - p - 1);
	return strncmp(q, p + 1, sn) == 0 && q[sn] == '-' && strcmp(q + sn + 1, slash + 1) == 0;
}

static long check(const struct tsdb *db, const char *q, size_t qn)
{
	if (hmap_get(&db->names, q) >= 0)
		return -1; /* itself popular */
	long hit = -1;
	const char *slash = NULL;

	if (db->eco == ECO_NPM && q[0] == '@') {
		slash = strchr(q, '/');
		if (slash) {
			char scope[TS_NAME_MAX];
			size_t sn = (size_t)(slash - q);
			memcpy(scope, q, sn);
			scope[sn] = '\0';
			/* Only the owner of an established scope can publish under it. */
			if (hmap_get(&db->scopes, scope) >= 0)
				return -1;
			/* @evil/lodash: an unknown scope around a popular bare name. */
			const char *bare = slash + 1;
			long k = hmap_get(&db->names, bare);
			if (k >= 0 && k < TS_SCOPE_TOP && strlen(bare) >= 3 && strcmp(scope + 1, bare) != 0 &&
			    !generic_subpackage(bare))
				hit = best(hit, k);
		}
	}

	/* Separator and homoglyph confusion (and npm scope punctuation). */
	char sk[TS_NAME_MAX];
	if (skeleton(q, sk) >= 3) {
		long k = hmap_get(&db->skels, sk);
		if (k >= 0 && !old_unscoped_form(q, db->norm[k]) && !old_unscoped_form(db->norm[k], q))
			hit = best(hit, k);
	}

	/* PyPI python-/py- prefixes and -python/-py suffixes. */
	if (db->eco == ECO_PYPI) {
		static const char *const pre[] = {"python-", "py-"};
		static const char *const suf[] = {"-python", "-py"};
		char tmp[TS_NAME_MAX];
		for (size_t i = 0; i < 2; i++) {
			size_t m = strlen(pre[i]);
			if (qn > m + 2 && strncmp(q, pre[i], m) == 0) {
				long k = hmap_get(&db->names, q + m);
				if (k >= 0)
					hit = best(hit, k);
			}
			m = strlen(suf[i]);
			if (qn > m + 2 && strcmp(q + qn - m, suf[i]) == 0) {
				memcpy(tmp, q, qn - m);
				tmp[qn - m] = '\0';
				long k = hmap_get(&db->names, tmp);
				if (k >= 0)
					hit = best(hit, k);
			}
		}
	}

	/* One edit or adjacent transposition from a popular name. */
	if (qn >= TS_EDIT_MIN_LEN) {
		size_t lo = qn > 0 ? qn - 1 : 0, hi = qn + 1;
		if (lo < TS_EDIT_MIN_LEN)
			lo = TS_EDIT_MIN_LEN;
		if (hi > db->max_len)
			hi = db->max_len;
		for (size_t l = lo; l <= hi; l++) {
			const uint32_t *b = db->bucket[l];
			for (size_t j = 0; j < db->bucket_n[l]; j++) {
				long k = b[j];
				if (hit >= 0 && k >= hit)
					break; /* buckets are in popularity order */
				if (l <= TS_SHORT_LEN && k >= TS_SHORT_TOP)
					break;
				if (one_edit(q, qn, db->norm[k], l)) {
					hit = k;
					break;
				}
			}
		}
	}
	return hit;
}

int pv_typosquat(const char *ecosystem, const char *name, const char *list, size_t list_len,
                 char *target, size_t target_len)
{
	if (target && target_len > 0)
		target[0] = '\0';
	if (!ecosystem || !name || !list)
		return 0;
	enum eco eco;
	if (strcmp(ecosystem, "npm") == 0)
		eco = ECO_NPM;
	else if (strcmp(ecosystem, "pypi") == 0 || strcmp(ecosystem, "PyPI") == 0)
		eco = ECO_PYPI;
	else
		return 0;
	char q[TS_NAME_MAX];
	size_t qn = normalise(eco, name, strlen(name), q);
	if (qn == 0)
		return 0;
	struct tsdb *db = db_get(eco, list, list_len);
	if (!db)
		return -1;
	long k = check(db, q, qn);
	int r = k >= 0 ? found(db, k, target, target_len) : 0;
	if (!db_cached(db))
		db_free(db);
	return r;
}
