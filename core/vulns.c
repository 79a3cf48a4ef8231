/* vulns.c - OSV answers from the cache, an offline export, or the API
 * (see vulns.h for the behaviour and the reasons behind it). */
#include "vulns.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bumped when the cached encoding of an answer changes: older entries then
 * fail to decode and are simply asked again. */
#define ENC_VERSION 1

static const char *const ECOS[] = {"npm", "PyPI"};
#define NECOS (sizeof ECOS / sizeof ECOS[0])

/* The canonical spelling of a supported ecosystem, or -1. */
static int eco_index(const char *e)
{
	for (size_t i = 0; e && i < NECOS; i++)
		if (strcasecmp(e, ECOS[i]) == 0)
			return (int)i;
	return -1;
}

static void set_unknown(struct pv_osv_query *q, const char *why)
{
	pv_osv_matches_free(&q->matches);
	q->status = PV_OSV_UNKNOWN;
	snprintf(q->err, sizeof q->err, "%s", why);
}

static int match_cmp(const void *a, const void *b)
{
	const struct pv_osv_match *x = a, *y = b;
	return strcmp(x->id, y->id);
}

/* Matches in id order, whatever order the server or the zip gave them. */
static void sort_matches(struct pv_osv_query *q)
{
	if (q->status == PV_OSV_OK && q->matches.n > 1)
		qsort(q->matches.v, q->matches.n, sizeof *q->matches.v, match_cmp);
}

/* ------------------------------------------------- cached answer encoding */

static json_object *str_array(char *const *v, size_t n)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; a && i < n; i++) {
		json_object *s = json_object_new_string(v[i]);
		if (!s || json_object_array_add(a, s) != 0) {
			json_object_put(s);
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

/* Add val to obj under key; takes val. 0 or -1 (val freed). */
static int put(json_object *obj, const char *key, json_object *val)
{
	if (!val)
		return -1;
	if (json_object_object_add(obj, key, val) != 0) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

/* {"v":1,"m":[{"id","al":[...],"s","sev":N,"cvss":"%.17g","fx":[...],"mal":B}]}:
 * every field of struct pv_osv_match, the score as text so that the double
 * comes back bit for bit. Returns a malloc'd string or NULL. */
static char *encode_matches(const struct pv_osv_matches *m, size_t *len)
{
	json_object *root = json_object_new_object();
	json_object *arr = json_object_new_array();
	char *out = NULL;
	if (!root || !arr) {
		json_object_put(root);
		json_object_put(arr);
		return NULL;
	}
	if (put(root, "v", json_object_new_int(ENC_VERSION)) != 0 || put(root, "m", arr) != 0)
		goto done;
	for (size_t i = 0; i < m->n; i++) {
		const struct pv_osv_match *x = &m->v[i];
		json_object *o = json_object_new_object();
		char score[40];
		snprintf(score, sizeof score, "%.17g", x->cvss_score);
		if (!o || json_object_array_add(arr, o) != 0) {
			json_object_put(o);
			goto done;
		}
		if (put(o, "id", json_object_new_string(x->id)) != 0 ||
		    put(o, "al", str_array(x->aliases, x->naliases)) != 0 ||
		    put(o, "s", json_object_new_string(x->summary ? x->summary : "")) != 0 ||
		    put(o, "sev", json_object_new_int((int)x->severity)) != 0 ||
		    put(o, "cvss", json_object_new_string(score)) != 0 ||
		    put(o, "fx", str_array(x->fixed, x->nfixed)) != 0 ||
		    put(o, "mal", json_object_new_boolean(x->malware)) != 0)
			goto done;
	}
	const char *s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
	if (s) {
		out = strdup(s);
		if (out)
			*len = strlen(out);
	}
done:
	json_object_put(root);
	return out;
}

static json_object *field(json_object *o, const char *key, json_type t)
{
	json_object *v = NULL;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, t))
		return NULL;
	return v;
}

/* A JSON array of strings into a malloc'd vector. 0, or -1 (bad or OOM). */
static int decode_strs(json_object *a, char ***v, size_t *n)
{
	*v = NULL;
	*n = 0;
	size_t len = json_object_array_length(a);
	if (len == 0)
		return 0;
	char **out = calloc(len, sizeof *out);
	if (!out)
		return -1;
	for (size_t i = 0; i < len; i++) {
		json_object *s = json_object_array_get_idx(a, i);
		if (!json_object_is_type(s, json_type_string) || !(out[i] = strdup(json_object_get_string(s)))) {
			for (size_t j = 0; j < i; j++)
				free(out[j]);
			free(out);
			return -1;
		}
	}
	*v = out;
	*n = len;
	return 0;
}

/* The inverse of encode_matches. 0, or -1 when the entry is not one of ours
 * (then the caller asks again) or memory ran out. */
static int decode_matches(const char *body, size_t len, struct pv_osv_matches *out)
{
	memset(out, 0, sizeof *out);
	json_tokener *tok = json_tokener_new();
	if (!tok || len > INT_MAX) {
		json_tokener_free(tok);
		return -1;
	}
	json_object *root = json_tokener_parse_ex(tok, body, (int)len);
	bool ok = root && json_tokener_get_error(tok) == json_tokener_success;
	json_tokener_free(tok);
	json_object *ver = ok ? field(root, "v", json_type_int) : NULL;
	json_object *arr = ok ? field(root, "m", json_type_array) : NULL;
	ok = ver && arr && json_object_get_int(ver) == ENC_VERSION;
	size_t n = ok ? json_object_array_length(arr) : 0;
	if (ok && n) {
		out->v = calloc(n, sizeof *out->v);
		ok = out->v != NULL;
		if (ok)
			out->cap = n;
	}
	for (size_t i = 0; ok && i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		json_object *id = field(o, "id", json_type_string), *al = field(o, "al", json_type_array),
		            *s = field(o, "s", json_type_string), *sev = field(o, "sev", json_type_int),
		            *cv = field(o, "cvss", json_type_string), *fx = field(o, "fx", json_type_array),
		            *mal = field(o, "mal", json_type_boolean);
		if (!id || !al || !s || !sev || !cv || !fx || !mal) {
			ok = false;
			break;
		}
		struct pv_osv_match *m = &out->v[out->n++]; /* counted now so a failure frees it */
		int sv = json_object_get_int(sev);
		char *end = NULL;
		const char *cs = json_object_get_string(cv);
		m->cvss_score = strtod(cs, &end);
		m->id = strdup(json_object_get_string(id));
		m->summary = strdup(json_object_get_string(s));
		if (!m->id || !m->summary || sv < PV_OSV_SEV_UNKNOWN || sv > PV_OSV_SEV_CRITICAL ||
		    end == cs || *end || decode_strs(al, &m->aliases, &m->naliases) != 0 ||
		    decode_strs(fx, &m->fixed, &m->nfixed) != 0) {
			ok = false;
			break;
		}
		m->severity = (enum pv_osv_severity)sv;
		m->malware = json_object_get_boolean(mal);
	}
	json_object_put(root);
	if (!ok) {
		pv_osv_matches_free(out);
		return -1;
	}
	return 0;
}

/* The metadata key of a query; NULL when it would be too long to store
 * (that answer is then simply not cached) or memory ran out. */
static char *meta_key(const char *url, const char *eco, const char *name, const char *version)
{
	const char *u = url && strcmp(url, PV_OSV_DEFAULT_QUERYBATCH_URL) != 0 ? url : NULL;
	size_t n = strlen(eco) + strlen(name) + strlen(version) + (u ? strlen(u) + 2 : 0) + 8;
	if (n > PV_CACHE_KEY_MAX)
		return NULL;
	char *k = malloc(n);
	if (!k)
		return NULL;
	if (u)
		snprintf(k, n, "osv[%s]:%s:%s@%s", u, eco, name, version);
	else
		snprintf(k, n, "osv:%s:%s@%s", eco, name, version);
	return k;
}

/* ---------------------------------------------------------------- online */

static int answer_online(struct pv_osv_query *q, size_t n, const struct pv_vulns_opts *o)
{
	long long ttl = o->ttl_s > 0 ? o->ttl_s : PV_VULNS_TTL_S;
	size_t *idx = malloc((n ? n : 1) * sizeof *idx);
	char **keys = calloc(n ? n : 1, sizeof *keys);
	struct pv_osv_query *sub = calloc(n ? n : 1, sizeof *sub);
	if (!idx || !keys || !sub) {
		for (size_t i = 0; i < n; i++)
			if (q[i].status == PV_OSV_PENDING)
				set_unknown(&q[i], "out of memory");
		goto out;
	}
	size_t nsub = 0;
	for (size_t i = 0; i < n; i++) {
		if (q[i].status != PV_OSV_PENDING)
			continue;
		if (o->cache) {
			keys[i] = meta_key(o->querybatch_url, ECOS[eco_index(q[i].ecosystem)], q[i].name,
			                   q[i].version);
			char *body = NULL;
			size_t len = 0;
			bool fresh = false;
			/* Any cache failure just means asking OSV. */
			if (keys[i] &&
			    pv_cache_get_meta(o->cache, keys[i], (int64_t)ttl, &body, &len, NULL, &fresh) ==
			            PV_CACHE_OK &&
			    fresh && decode_matches(body, len, &q[i].matches) == 0)
				q[i].status = PV_OSV_OK;
			free(body);
			if (q[i].status == PV_OSV_OK)
				continue;
		}
		sub[nsub].ecosystem = q[i].ecosystem;
		sub[nsub].name = q[i].name;
		sub[nsub].version = q[i].version;
		idx[nsub++] = i;
	}
	if (nsub == 0)
		goto out;
	/* Everything not answered from the cache in one batch. */
	pv_osv_querybatch(o->querybatch_url, NULL, sub, nsub, o->http);
	for (size_t j = 0; j < nsub; j++) {
		struct pv_osv_query *d = &q[idx[j]];
		d->matches = sub[j].matches;
		memset(&sub[j].matches, 0, sizeof sub[j].matches);
		d->status = sub[j].status == PV_OSV_OK ? PV_OSV_OK : PV_OSV_UNKNOWN;
		memcpy(d->err, sub[j].err, sizeof d->err);
		if (d->status == PV_OSV_UNKNOWN && !d->err[0])
			snprintf(d->err, sizeof d->err, "OSV gave no answer");
		if (d->status != PV_OSV_OK || !o->cache || !keys[idx[j]])
			continue; /* unknown answers are never cached */
		/* Sorted before storing, so a cached answer reads back as given. */
		sort_matches(d);
		size_t len = 0;
		char *body = encode_matches(&d->matches, &len);
		if (body) /* failing to cache costs a query next time, nothing more */
			pv_cache_put_meta(o->cache, keys[idx[j]], body, len, NULL);
		free(body);
	}
out:
	for (size_t i = 0; keys && i < n; i++)
		free(keys[i]);
	free(keys);
	free(idx);
	free(sub);
	return 0;
}

/* --------------------------------------------------------------- offline */

/* An ecosystem's export zip, as found on disk. */
struct zipsrc {
	char *path;  /* the file used */
	char *ident; /* its identity (see vulns.h) */
};

static void zipsrc_free(struct zipsrc *z)
{
	free(z->path);
	free(z->ident);
	z->path = z->ident = NULL;
}

static char *join(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s%s%s", a, b, c);
	return p;
}

/* Find and open-check DIR/ECO/all.zip or DIR/ECO.zip. 0, or -1 with err. */
static int find_zip(const char *dir, const char *eco, struct zipsrc *z, char *err, size_t errlen)
{
	memset(z, 0, sizeof *z);
	char *sub = join("/", eco, "/all.zip"), *flat = join("/", eco, ".zip");
	char *p1 = sub ? join(dir, sub, "") : NULL, *p2 = flat ? join(dir, flat, "") : NULL;
	free(sub);
	free(flat);
	int rc = -1;
	if (!p1 || !p2) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	const char *path = p1;
	int fd = open(p1, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 && errno == ENOENT) {
		path = p2;
		fd = open(p2, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0 && errno == ENOENT) {
			snprintf(err, errlen, "OSV export zip %s is missing (nor is there %s)", p1, p2);
			goto done;
		}
	}
	if (fd < 0) {
		snprintf(err, errlen, "OSV export zip %s is unreadable: %s", path, strerror(errno));
		goto done;
	}
	struct stat sb;
	int serr = fstat(fd, &sb) != 0 ? errno : 0;
	close(fd);
	if (serr) {
		snprintf(err, errlen, "OSV export zip %s is unreadable: %s", path, strerror(serr));
		goto done;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "OSV export zip %s is not a regular file", path);
		goto done;
	}
	char real[PATH_MAX];
	const char *rp = realpath(path, real) ? real : path;
	char tail[160];
	snprintf(tail, sizeof tail, "|%llu|%llu|%lld|%lld.%09ld", (unsigned long long)sb.st_dev,
	         (unsigned long long)sb.st_ino, (long long)sb.st_size, (long long)sb.st_mtim.tv_sec,
	         (long)sb.st_mtim.tv_nsec);
	z->path = strdup(path);
	z->ident = join("zip:", rp, tail);
	if (!z->path || !z->ident) {
		zipsrc_free(z);
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	rc = 0;
done:
	free(p1);
	free(p2);
	return rc;
}

/* err gets our line about a zip osv.c failed to read (its message, msg,
 * leads with the path, which ours already names). */
static void zip_err(const struct zipsrc *z, const char *msg, char *err, size_t errlen)
{
	size_t pl = strlen(z->path);
	if (strncmp(msg, z->path, pl) == 0 && msg[pl] == ':' && msg[pl + 1] == ' ')
		msg += pl + 2;
	if (strcmp(msg, "out of memory") == 0)
		snprintf(err, errlen, "OSV export zip %s cannot be indexed: out of memory", z->path);
	else
		snprintf(err, errlen, "OSV export zip %s is corrupt: %s", z->path, msg);
}

/* Load the zip; -1 with err naming the file and what is wrong. */
static int load_zip(const struct zipsrc *z, const char *eco, struct pv_osv_db **db, char *err,
                    size_t errlen)
{
	char msg[512];
	if (pv_osv_offline_load(z->path, eco, db, msg, sizeof msg) == 0)
		return 0;
	zip_err(z, msg, err, errlen);
	return -1;
}

/* Cache-less mode: each zip (by identity) loaded once per process. An entry
 * is never freed while the process may still query it, so a zip that
 * changes under a long-running process keeps its old index in memory until
 * pv_vulns_release(); loads are serialised by the lock, so eight threads
 * asking at once load a zip once. */
struct memdb {
	char *ident;
	struct pv_osv_db *db;
	struct memdb *next;
};
static struct memdb *g_mem;
static pthread_mutex_t g_mem_mu = PTHREAD_MUTEX_INITIALIZER;

/* Keep db (taken) under ident, g_mem_mu held; returns db, or NULL (db
 * freed) on allocation failure. */
static struct pv_osv_db *mem_adopt(const char *ident, struct pv_osv_db *db)
{
	struct memdb *m = calloc(1, sizeof *m);
	if (m)
		m->ident = strdup(ident);
	if (!m || !m->ident) {
		if (m)
			free(m->ident);
		free(m);
		pv_osv_db_free(db);
		return NULL;
	}
	m->db = db;
	m->next = g_mem;
	g_mem = m;
	return db;
}

static int mem_get(const struct zipsrc *z, const char *eco, const struct pv_osv_db **out, char *err,
                   size_t errlen)
{
	*out = NULL;
	pthread_mutex_lock(&g_mem_mu);
	for (struct memdb *m = g_mem; m; m = m->next)
		if (strcmp(m->ident, z->ident) == 0)
			*out = m->db;
	if (!*out) {
		struct pv_osv_db *db = NULL;
		if (load_zip(z, eco, &db, err, errlen) == 0) {
			*out = mem_adopt(z->ident, db);
			if (!*out)
				snprintf(err, errlen, "OSV export zip %s cannot be indexed: out of memory", z->path);
		}
	}
	pthread_mutex_unlock(&g_mem_mu);
	return *out ? 0 : -1;
}

void pv_vulns_release(void)
{
	pthread_mutex_lock(&g_mem_mu);
	while (g_mem) {
		struct memdb *m = g_mem;
		g_mem = m->next;
		pv_osv_db_free(m->db);
		free(m->ident);
		free(m);
	}
	pthread_mutex_unlock(&g_mem_mu);
}

/* pv_cache_osv_source over an export zip: streamed, one record in memory. */
struct zipscan {
	const struct zipsrc *z;
	const char *eco;
	char msg[512];
	bool failed; /* the zip itself (not the cache) failed: msg says how */
};

static int scan_zip(void *ud, pv_cache_osv_emit_fn emit, void *ctx)
{
	struct zipscan *zs = ud;
	int rc = pv_osv_offline_scan(zs->z->path, zs->eco, emit, ctx, NULL, zs->msg, sizeof zs->msg);
	if (rc == -1)
		zs->failed = true;
	return rc;
}

/* Indexing is serialised within the process (one scan per zip however many
 * threads ask); other processes are kept apart by the IMMEDIATE transaction
 * in pv_cache_osv_index. */
static pthread_mutex_t g_index_mu = PTHREAD_MUTEX_INITIALIZER;

/* Make sure the cache's index of eco is z's. 0: query the cache. 1: the
 * cache could not take the index (busy beyond its timeout, read-only,
 * full), *mem is an in-memory one to query instead. -1: the zip is broken
 * (err set; nothing was written). */
static int ensure_indexed(struct pv_cache *c, const struct zipsrc *z, const char *eco,
                          const struct pv_osv_db **mem, char *err, size_t errlen)
{
	*mem = NULL;
	pthread_mutex_lock(&g_index_mu);
	char *cur = NULL;
	int rc = 0;
	if (pv_cache_osv_ident(c, eco, &cur) == PV_CACHE_OK && strcmp(cur, z->ident) == 0)
		goto out;
	struct zipscan zs = {.z = z, .eco = eco};
	struct pv_cache_osv_source src = {.ud = &zs, .scan = scan_zip};
	if (pv_cache_osv_index(c, eco, z->ident, &src, NULL) == PV_CACHE_OK)
		goto out;
	if (zs.failed) {
		zip_err(z, zs.msg, err, errlen);
		rc = -1;
		goto out;
	}
	/* The cache failed, not the zip: answer from memory rather than not at
	 * all (the next call tries the cache again). */
	rc = mem_get(z, eco, mem, err, errlen) == 0 ? 1 : -1;
out:
	free(cur);
	pthread_mutex_unlock(&g_index_mu);
	return rc;
}

static int match_cb(void *ud, const char *rec, size_t len)
{
	struct pv_osv_query *q = ud;
	return pv_osv_match_record(rec, len, q->ecosystem, q->name, q->version, &q->matches) < 0 ? -1 : 0;
}

static void answer_from_cache(struct pv_cache *c, const char *eco, const char *ident,
                              struct pv_osv_query *q)
{
	char key[1024];
	if (pv_osv_name_key(q->ecosystem, q->name, key, sizeof key) != 0) {
		set_unknown(q, "missing or overlong name");
		return;
	}
	int rc = pv_cache_osv_lookup(c, eco, ident, key, match_cb, q);
	if (rc == PV_CACHE_OK) {
		q->status = PV_OSV_OK;
	} else if (rc == PV_CACHE_MISS) {
		set_unknown(q, "the offline OSV index was replaced while being read; run again");
	} else {
		char why[sizeof q->err];
		snprintf(why, sizeof why, "offline OSV index: %s", pv_cache_error(c));
		set_unknown(q, why);
	}
}

static int answer_offline(struct pv_osv_query *q, size_t n, const struct pv_vulns_opts *o, char *err,
                          size_t errlen)
{
	int ret = 0;
	for (size_t e = 0; e < NECOS; e++) {
		bool asked = false;
		for (size_t i = 0; i < n && !asked; i++)
			asked = q[i].status == PV_OSV_PENDING && eco_index(q[i].ecosystem) == (int)e;
		if (!asked)
			continue;
		char msg[1024] = "";
		struct zipsrc z;
		const struct pv_osv_db *mem = NULL;
		int st = find_zip(o->offline_dir, ECOS[e], &z, msg, sizeof msg);
		if (st == 0 && o->cache)
			st = ensure_indexed(o->cache, &z, ECOS[e], &mem, msg, sizeof msg);
		else if (st == 0)
			st = mem_get(&z, ECOS[e], &mem, msg, sizeof msg);
		for (size_t i = 0; i < n; i++) {
			if (q[i].status != PV_OSV_PENDING || eco_index(q[i].ecosystem) != (int)e)
				continue;
			if (st < 0)
				set_unknown(&q[i], msg);
			else if (mem)
				pv_osv_offline_query(mem, &q[i], 1);
			else
				answer_from_cache(o->cache, ECOS[e], z.ident, &q[i]);
		}
		if (st < 0 && ret == 0) {
			if (err && errlen)
				snprintf(err, errlen, "%s", msg);
			ret = -2;
		}
		zipsrc_free(&z);
	}
	return ret;
}

/* ------------------------------------------------------------------ entry */

int pv_vulns_query(struct pv_osv_query *q, size_t n, const struct pv_vulns_opts *o, char *err,
                   size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	if ((!q && n) || !o || o->ttl_s < 0 || (o->offline_dir && !o->offline_dir[0]))
		return -1;
	for (size_t i = 0; i < n; i++) {
		pv_osv_query_free(&q[i]);
		if (eco_index(q[i].ecosystem) < 0)
			set_unknown(&q[i], "unsupported ecosystem");
		else if (!q[i].name || !*q[i].name || !q[i].version || !*q[i].version)
			set_unknown(&q[i], "missing name or version");
	}
	bool offline = o->offline_dir && strcmp(o->offline_dir, "off") != 0;
	int rc = offline ? answer_offline(q, n, o, err, errlen) : answer_online(q, n, o);
	for (size_t i = 0; i < n; i++) {
		if (q[i].status == PV_OSV_PENDING) /* cannot happen; never leave one open */
			set_unknown(&q[i], "no answer");
		sort_matches(&q[i]);
		if (q[i].status != PV_OSV_OK && rc == 0)
			rc = 1;
	}
	return rc;
}
