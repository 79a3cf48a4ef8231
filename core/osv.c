/* osv.c - OSV records: matching, the querybatch API, the offline export index.
 * See osv.h for the semantics. */
#include "osv.h"
#include "breaker.h"

#include "pep440.h"
#include "semver.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---------------------------------------------------------------- helpers */

static char *xstrdup(const char *s)
{
	size_t n = strlen(s);
	char *p = malloc(n + 1);
	if (p)
		memcpy(p, s, n + 1);
	return p;
}

struct strvec {
	char **v;
	size_t n, cap;
};

static bool strvec_has(const struct strvec *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return true;
	return false;
}

/* Append a copy of s unless present. 0, or -1 on allocation failure. */
static int strvec_add_uniq(struct strvec *sv, const char *s)
{
	if (strvec_has(sv, s))
		return 0;
	if (sv->n == sv->cap) {
		size_t nc = sv->cap ? sv->cap * 2 : 4;
		char **nv = realloc(sv->v, nc * sizeof *nv);
		if (!nv)
			return -1;
		sv->v = nv;
		sv->cap = nc;
	}
	char *c = xstrdup(s);
	if (!c)
		return -1;
	sv->v[sv->n++] = c;
	return 0;
}

static void strvec_free(struct strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	memset(sv, 0, sizeof *sv);
}

static json_object *jget(json_object *o, const char *key)
{
	json_object *v = NULL;
	if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v = jget(o, key);
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static size_t jarr_len(json_object *a)
{
	return a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

static json_object *parse_json(const char *text, size_t len)
{
	if (len > INT_MAX)
		return NULL;
	struct json_tokener *tok = json_tokener_new();
	if (!tok)
		return NULL;
	json_object *o = json_tokener_parse_ex(tok, text, (int)len);
	if (o && json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

const char *pv_osv_severity_name(enum pv_osv_severity s)
{
	switch (s) {
	case PV_OSV_SEV_LOW: return "low";
	case PV_OSV_SEV_MEDIUM: return "medium";
	case PV_OSV_SEV_HIGH: return "high";
	case PV_OSV_SEV_CRITICAL: return "critical";
	default: return "unknown";
	}
}

/* ------------------------------------------------------- ecosystems, names */

enum eco { ECO_OTHER = 0, ECO_NPM, ECO_PYPI };

static enum eco eco_of(const char *s)
{
	if (!s)
		return ECO_OTHER;
	if (strcasecmp(s, "npm") == 0)
		return ECO_NPM;
	if (strcasecmp(s, "PyPI") == 0)
		return ECO_PYPI;
	return ECO_OTHER;
}

#define NAME_MAX_LEN 512

/* The comparison key of a package name: npm as is, PyPI PEP 503-normalised
 * (a name PEP 508 rejects is lowercased only). -1 when it does not fit. */
static int name_key(enum eco e, const char *name, char *out, size_t outlen)
{
	size_t n = strlen(name);
	if (n == 0 || n >= outlen)
		return -1;
	if (e == ECO_PYPI) {
		if (pv_pep503_normalize(name, out, outlen) >= 0)
			return 0;
		for (size_t i = 0; i <= n; i++)
			out[i] = (char)tolower((unsigned char)name[i]);
		return 0;
	}
	memcpy(out, name, n + 1);
	return 0;
}

/* ---------------------------------------------------------------- versions */

enum cmpkind { CMP_SEMVER, CMP_PEP440 };

struct ver {
	union {
		struct pv_semver s;
		struct pv_pep440 p;
	} u;
};

static int ver_parse(enum cmpkind k, const char *s, struct ver *out)
{
	if (!s)
		return -1;
	return k == CMP_SEMVER ? pv_semver_parse(s, &out->u.s) : pv_pep440_parse(s, &out->u.p);
}

static int ver_cmp(enum cmpkind k, const struct ver *a, const struct ver *b)
{
	return k == CMP_SEMVER ? pv_semver_cmp(&a->u.s, &b->u.s) : pv_pep440_cmp(&a->u.p, &b->u.p);
}

enum evtype { EV_INTRODUCED, EV_FIXED, EV_LAST_AFFECTED, EV_LIMIT };

struct event {
	enum evtype type;
	bool zero;     /* introduced "0" */
	bool inf;      /* limit "*" */
	size_t order;  /* position in the record, for a stable sort */
	struct ver v;
};

static int ev_cmp(enum cmpkind k, const struct event *a, const struct event *b)
{
	int ra = a->zero ? 0 : a->inf ? 2 : 1, rb = b->zero ? 0 : b->inf ? 2 : 1;
	if (ra != rb || ra != 1)
		return ra != rb ? (ra < rb ? -1 : 1) : (a->order < b->order ? -1 : a->order > b->order);
	int c = ver_cmp(k, &a->v, &b->v);
	if (c)
		return c;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Does the range's events list include v? */
static bool range_includes(json_object *events, enum cmpkind k, const struct ver *v)
{
	size_t n = jarr_len(events);
	if (n == 0 || n > 10000)
		return false;
	struct event *ev = malloc(n * sizeof *ev);
	if (!ev)
		return false;
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(events, i);
		static const char *const keys[] = {"introduced", "fixed", "last_affected", "limit"};
		for (int t = 0; t < 4; t++) {
			const char *s = jstr(e, keys[t]);
			if (!s)
				continue;
			struct event *x = &ev[m];
			x->type = (enum evtype)t;
			x->order = i;
			x->zero = t == EV_INTRODUCED && strcmp(s, "0") == 0;
			x->inf = t == EV_LIMIT && strcmp(s, "*") == 0;
			if (x->zero || x->inf || ver_parse(k, s, &x->v) == 0)
				m++;
			break;
		}
	}
	/* Insertion sort: stable, and event lists are short. */
	for (size_t i = 1; i < m; i++) {
		struct event tmp = ev[i];
		size_t j = i;
		while (j > 0 && ev_cmp(k, &ev[j - 1], &tmp) > 0) {
			ev[j] = ev[j - 1];
			j--;
		}
		ev[j] = tmp;
	}
	bool has_limit = false, below_limit = false, affected = false;
	for (size_t i = 0; i < m; i++) {
		if (ev[i].type != EV_LIMIT)
			continue;
		has_limit = true;
		if (ev[i].inf || ver_cmp(k, v, &ev[i].v) < 0)
			below_limit = true;
	}
	if (!has_limit || below_limit) {
		for (size_t i = 0; i < m; i++) {
			switch (ev[i].type) {
			case EV_INTRODUCED:
				if (ev[i].zero || ver_cmp(k, &ev[i].v, v) <= 0)
					affected = true;
				break;
			case EV_FIXED:
				if (ver_cmp(k, &ev[i].v, v) <= 0)
					affected = false;
				break;
			case EV_LAST_AFFECTED:
				if (ver_cmp(k, &ev[i].v, v) < 0)
					affected = false;
				break;
			case EV_LIMIT:
				break;
			}
		}
	}
	free(ev);
	return affected;
}

/* ------------------------------------------------------------------- CVSS */

static double cvss_roundup(double x)
{
	long long i = llround(x * 100000.0);
	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (double)(i / 10000 + 1) / 10.0;
}

double pv_osv_cvss3_score(const char *vector)
{
	if (!vector || (strncmp(vector, "CVSS:3.0/", 9) != 0 && strncmp(vector, "CVSS:3.1/", 9) != 0))
		return -1;
	/* AV AC PR UI S C I A */
	char val[8] = {0};
	static const char *const names[8] = {"AV", "AC", "PR", "UI", "S", "C", "I", "A"};
	const char *p = vector + 9;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *colon = memchr(p, ':', len);
		if (!colon || (size_t)(colon - p) + 2 != len)
			return -1; /* every metric here has a one-letter value */
		size_t klen = (size_t)(colon - p);
		for (int i = 0; i < 8; i++)
			if (strlen(names[i]) == klen && strncmp(p, names[i], klen) == 0)
				val[i] = colon[1];
		p += len;
		if (*p == '/')
			p++;
	}
	for (int i = 0; i < 8; i++)
		if (!val[i])
			return -1;
	double av, ac, pr, ui, cia[3];
	bool changed;
	switch (val[0]) {
	case 'N': av = 0.85; break;
	case 'A': av = 0.62; break;
	case 'L': av = 0.55; break;
	case 'P': av = 0.2; break;
	default: return -1;
	}
	switch (val[1]) {
	case 'L': ac = 0.77; break;
	case 'H': ac = 0.44; break;
	default: return -1;
	}
	switch (val[4]) {
	case 'U': changed = false; break;
	case 'C': changed = true; break;
	default: return -1;
	}
	switch (val[2]) {
	case 'N': pr = 0.85; break;
	case 'L': pr = changed ? 0.68 : 0.62; break;
	case 'H': pr = changed ? 0.5 : 0.27; break;
	default: return -1;
	}
	switch (val[3]) {
	case 'N': ui = 0.85; break;
	case 'R': ui = 0.62; break;
	default: return -1;
	}
	for (int i = 0; i < 3; i++) {
		switch (val[5 + i]) {
		case 'H': cia[i] = 0.56; break;
		case 'L': cia[i] = 0.22; break;
		case 'N': cia[i] = 0; break;
		default: return -1;
		}
	}
	double iss = 1 - (1 - cia[0]) * (1 - cia[1]) * (1 - cia[2]);
	double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
	double expl = 8.22 * av * ac * pr * ui;
	if (impact <= 0)
		return 0;
	double sum = changed ? 1.08 * (impact + expl) : impact + expl;
	return cvss_roundup(sum < 10 ? sum : 10);
}

static enum pv_osv_severity sev_of_score(double s)
{
	if (s >= 9.0)
		return PV_OSV_SEV_CRITICAL;
	if (s >= 7.0)
		return PV_OSV_SEV_HIGH;
	if (s >= 4.0)
		return PV_OSV_SEV_MEDIUM;
	if (s > 0)
		return PV_OSV_SEV_LOW;
	return PV_OSV_SEV_UNKNOWN;
}

static void record_severity(json_object *rec, enum pv_osv_severity *sev, double *score)
{
	*sev = PV_OSV_SEV_UNKNOWN;
	*score = -1;
	json_object *sv = jget(rec, "severity");
	for (size_t i = 0; i < jarr_len(sv); i++) {
		json_object *e = json_object_array_get_idx(sv, i);
		const char *type = jstr(e, "type"), *vec = jstr(e, "score");
		if (!type || !vec || strcmp(type, "CVSS_V3") != 0)
			continue;
		double s = pv_osv_cvss3_score(vec);
		if (s > *score)
			*score = s;
	}
	const char *ds = jstr(jget(rec, "database_specific"), "severity");
	if (ds) {
		if (strcasecmp(ds, "CRITICAL") == 0)
			*sev = PV_OSV_SEV_CRITICAL;
		else if (strcasecmp(ds, "HIGH") == 0)
			*sev = PV_OSV_SEV_HIGH;
		else if (strcasecmp(ds, "MODERATE") == 0 || strcasecmp(ds, "MEDIUM") == 0)
			*sev = PV_OSV_SEV_MEDIUM;
		else if (strcasecmp(ds, "LOW") == 0)
			*sev = PV_OSV_SEV_LOW;
	}
	if (*sev == PV_OSV_SEV_UNKNOWN && *score >= 0)
		*sev = sev_of_score(*score);
}

/* --------------------------------------------------------------- matching */

static void match_free(struct pv_osv_match *m)
{
	free(m->id);
	free(m->summary);
	for (size_t i = 0; i < m->naliases; i++)
		free(m->aliases[i]);
	free(m->aliases);
	for (size_t i = 0; i < m->nfixed; i++)
		free(m->fixed[i]);
	free(m->fixed);
	memset(m, 0, sizeof *m);
}

void pv_osv_matches_free(struct pv_osv_matches *m)
{
	for (size_t i = 0; i < m->n; i++)
		match_free(&m->v[i]);
	free(m->v);
	memset(m, 0, sizeof *m);
}

static bool in_versions(json_object *list, enum cmpkind k, bool vok, const struct ver *v,
                        const char *version)
{
	for (size_t i = 0; i < jarr_len(list); i++) {
		json_object *e = json_object_array_get_idx(list, i);
		if (!json_object_is_type(e, json_type_string))
			continue;
		const char *s = json_object_get_string(e);
		struct ver w;
		if (vok && ver_parse(k, s, &w) == 0) {
			if (ver_cmp(k, &w, v) == 0)
				return true;
		} else if (strcmp(s, version) == 0) {
			return true;
		}
	}
	return false;
}

/* The record object against a query. 1 (match appended when out), 0, -1. */
static int match_obj(json_object *rec, enum eco e, const char *key, const char *version,
                     struct pv_osv_matches *out)
{
	const char *id = jstr(rec, "id");
	if (!id)
		return -1;
	if (e == ECO_OTHER)
		return 0;
	enum cmpkind eck = e == ECO_NPM ? CMP_SEMVER : CMP_PEP440;
	struct ver *vs = malloc(2 * sizeof *vs); /* [0] semver, [1] ecosystem (PEP 440 for PyPI) */
	if (!vs)
		return -1;
	bool sem_ok = ver_parse(CMP_SEMVER, version, &vs[0]) == 0;
	bool eco_ok = ver_parse(eck, version, &vs[1]) == 0;
	bool affected = false;
	struct strvec fixed = {0};
	int rc = 0;

	json_object *aff = jget(rec, "affected");
	for (size_t i = 0; i < jarr_len(aff); i++) {
		json_object *a = json_object_array_get_idx(aff, i);
		json_object *pkg = jget(a, "package");
		const char *pe = jstr(pkg, "ecosystem"), *pn = jstr(pkg, "name");
		char k2[NAME_MAX_LEN];
		if (!pe || !pn || eco_of(pe) != e || name_key(e, pn, k2, sizeof k2) != 0 ||
		    strcmp(k2, key) != 0)
			continue;
		bool hit = in_versions(jget(a, "versions"), eck, eco_ok, &vs[1], version);
		json_object *ranges = jget(a, "ranges");
		for (size_t r = 0; r < jarr_len(ranges); r++) {
			json_object *rg = json_object_array_get_idx(ranges, r);
			const char *type = jstr(rg, "type");
			if (!type)
				continue;
			enum cmpkind k;
			bool ok;
			const struct ver *qv;
			if (strcmp(type, "SEMVER") == 0) {
				k = CMP_SEMVER, ok = sem_ok, qv = &vs[0];
			} else if (strcmp(type, "ECOSYSTEM") == 0) {
				k = eck, ok = eco_ok, qv = &vs[1];
			} else {
				continue;
			}
			if (!hit && ok && range_includes(jget(rg, "events"), k, qv))
				hit = true;
		}
		if (!hit)
			continue;
		affected = true;
		for (size_t r = 0; r < jarr_len(ranges); r++) {
			json_object *evs = jget(json_object_array_get_idx(ranges, r), "events");
			for (size_t j = 0; j < jarr_len(evs); j++) {
				const char *f = jstr(json_object_array_get_idx(evs, j), "fixed");
				if (f && strvec_add_uniq(&fixed, f) != 0)
					rc = -1;
			}
		}
	}
	free(vs);
	if (rc == 0 && affected)
		rc = 1;
	if (rc != 1 || !out) {
		strvec_free(&fixed);
		return rc;
	}

	struct pv_osv_match m = {0};
	struct strvec al = {0};
	json_object *aliases = jget(rec, "aliases");
	bool oom = false;
	for (size_t i = 0; i < jarr_len(aliases); i++) {
		json_object *x = json_object_array_get_idx(aliases, i);
		if (json_object_is_type(x, json_type_string) && strvec_add_uniq(&al, json_object_get_string(x)) != 0)
			oom = true;
	}
	const char *summary = jstr(rec, "summary");
	m.id = xstrdup(id);
	m.summary = xstrdup(summary ? summary : "");
	m.aliases = al.v;
	m.naliases = al.n;
	m.fixed = fixed.v;
	m.nfixed = fixed.n;
	record_severity(rec, &m.severity, &m.cvss_score);
	m.malware = strncmp(id, "MAL-", 4) == 0;
	for (size_t i = 0; i < m.naliases; i++)
		if (strncmp(m.aliases[i], "MAL-", 4) == 0)
			m.malware = true;
	if (out->n == out->cap) {
		size_t nc = out->cap ? out->cap * 2 : 4;
		struct pv_osv_match *nv = realloc(out->v, nc * sizeof *nv);
		if (!nv)
			oom = true;
		else
			out->v = nv, out->cap = nc;
	}
	if (oom || !m.id || !m.summary) {
		match_free(&m);
		return -1;
	}
	out->v[out->n++] = m;
	return 1;
}

int pv_osv_match_record(const char *json, size_t len, const char *ecosystem,
                        const char *name, const char *version, struct pv_osv_matches *out)
{
	if (!json || !name || !version)
		return -1;
	json_object *rec = parse_json(json, len);
	if (!rec)
		return -1;
	enum eco e = eco_of(ecosystem);
	char key[NAME_MAX_LEN];
	int rc;
	if (e != ECO_OTHER && name_key(e, name, key, sizeof key) != 0)
		rc = jstr(rec, "id") ? 0 : -1;
	else
		rc = match_obj(rec, e, e == ECO_OTHER ? "" : key, version, out);
	json_object_put(rec);
	return rc;
}

void pv_osv_query_free(struct pv_osv_query *q)
{
	pv_osv_matches_free(&q->matches);
	q->status = PV_OSV_PENDING;
	q->err[0] = '\0';
}

static void query_unknown(struct pv_osv_query *q, const char *why)
{
	pv_osv_matches_free(&q->matches);
	q->status = PV_OSV_UNKNOWN;
	snprintf(q->err, sizeof q->err, "%s", why);
}

/* ---------------------------------------------------------------- online */

struct buf {
	char *p;
	size_t n, cap, max;
	bool over;
};

static size_t buf_write(char *data, size_t size, size_t nmemb, void *ud)
{
	struct buf *b = ud;
	size_t k = size * nmemb;
	if (k > b->max - b->n) {
		b->over = true;
		return 0;
	}
	if (b->n + k + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 4096;
		while (nc < b->n + k + 1)
			nc *= 2;
		char *np = realloc(b->p, nc);
		if (!np)
			return 0;
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->n, data, k);
	b->n += k;
	b->p[b->n] = '\0';
	return k;
}

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static const char *ca_bundle(const struct pv_http_opts *o)
{
	if (o->ca_file && *o->ca_file)
		return o->ca_file;
	static const char *const envs[] = {"PKGVET_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE"};
	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(envs[i]);
		if (v && *v)
			return v;
	}
	return NULL;
}

/* POST a JSON body; on success (2xx) *resp holds the body. 0 or -1 (err set). */
/* POST body; 0 with the answer in resp, or -1 with err. *down is set when
 * the failure is the service's as a whole (breaker.h), not this query's. */
static int post_json(const char *url, const char *body, const struct pv_http_opts *o,
                     struct buf *resp, char *err, size_t errlen, bool *down)
{
	*down = false;
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(err, errlen, "libcurl init failed");
		return -1;
	}
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	struct curl_slist *h2 = hdr ? curl_slist_append(hdr, "Accept: application/json") : NULL;
	if (!h2) {
		curl_slist_free_all(hdr);
		curl_easy_cleanup(c);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	hdr = h2;
	const char *ca = ca_bundle(o);
	const char *sslcertdir = getenv("SSL_CERT_DIR");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_USERAGENT, o->user_agent ? o->user_agent : "pkgvet");
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (ca)
		curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	if (sslcertdir && *sslcertdir)
		curl_easy_setopt(c, CURLOPT_CAPATH, sslcertdir);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, buf_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	pv_http_share(c);

	double start = mono_ms();
	long backoff = o->backoff_ms > 0 ? o->backoff_ms : 0;
	int rc = -1;
	for (int attempt = 0; attempt <= (o->retries > 0 ? o->retries : 0); attempt++) {
		long tmo = o->total_timeout_ms;
		if (o->deadline_ms > 0) {
			long left = o->deadline_ms - (long)(mono_ms() - start);
			if (left <= 0) {
				snprintf(err, errlen, "querybatch: deadline reached");
				break;
			}
			if (tmo <= 0 || left < tmo)
				tmo = left;
		}
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, tmo);
		resp->n = 0;
		resp->over = false;
		CURLcode cc = curl_easy_perform(c);
		long status = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		bool retry;
		if (cc == CURLE_OK && status >= 200 && status < 300) {
			rc = 0;
			err[0] = '\0';
			break;
		}
		if (cc == CURLE_OK) {
			snprintf(err, errlen, "querybatch: HTTP status %ld", status);
			retry = status == 429 || status == 502 || status == 503 || status == 504;
			*down = pv_breaker_trips(PV_HTTP_HTTP_ERROR, status);
		} else if (resp->over) {
			snprintf(err, errlen, "querybatch: response larger than %zu bytes", resp->max);
			retry = false;
			*down = false;
		} else {
			snprintf(err, errlen, "querybatch: %s", curl_easy_strerror(cc));
			retry = cc == CURLE_OPERATION_TIMEDOUT || cc == CURLE_RECV_ERROR ||
			        cc == CURLE_SEND_ERROR || cc == CURLE_GOT_NOTHING || cc == CURLE_PARTIAL_FILE;
			*down = cc == CURLE_OPERATION_TIMEDOUT || cc == CURLE_COULDNT_CONNECT ||
			        cc == CURLE_COULDNT_RESOLVE_HOST || cc == CURLE_COULDNT_RESOLVE_PROXY ||
			        cc == CURLE_SSL_CONNECT_ERROR || cc == CURLE_PEER_FAILED_VERIFICATION;
		}
		if (!retry || attempt == o->retries)
			break;
		if (backoff > 0) {
			struct timespec ts = {.tv_sec = backoff / 1000, .tv_nsec = (backoff % 1000) * 1000000L};
			nanosleep(&ts, NULL);
			backoff *= 2;
			if (o->max_backoff_ms > 0 && backoff > o->max_backoff_ms)
				backoff = o->max_backoff_ms;
		}
	}
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	return rc;
}

static bool valid_id(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 128)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!isalnum(ch) && ch != '-' && ch != '_' && ch != '.' && ch != ':')
			return false;
	}
	return true;
}

/* The vulns base URL (no trailing '/'): given, or derived from the querybatch URL. */
static char *vulns_base(const char *qurl, const char *vurl)
{
	if (vurl) {
		char *b = xstrdup(vurl);
		size_t n = b ? strlen(b) : 0;
		while (n > 0 && b[n - 1] == '/')
			b[--n] = '\0';
		return b;
	}
	const char *scheme = strstr(qurl, "://");
	size_t n = strcspn(qurl, "?#");
	size_t slash = 0;
	for (size_t i = scheme ? (size_t)(scheme - qurl) + 3 : 0; i < n; i++)
		if (qurl[i] == '/')
			slash = i;
	if (slash == 0)
		return NULL;
	char *b = malloc(slash + sizeof "/vulns");
	if (!b)
		return NULL;
	memcpy(b, qurl, slash);
	memcpy(b + slash, "/vulns", sizeof "/vulns");
	return b;
}

static char *build_batch_body(struct pv_osv_query *q, const size_t *idx, char **tokens, size_t n)
{
	json_object *root = json_object_new_object(), *arr = json_object_new_array();
	char *out = NULL;
	if (!root || !arr) {
		json_object_put(root);
		json_object_put(arr);
		return NULL;
	}
	json_object_object_add(root, "queries", arr);
	for (size_t i = 0; i < n; i++) {
		struct pv_osv_query *x = &q[idx[i]];
		json_object *qo = json_object_new_object(), *pk = json_object_new_object();
		if (!qo || !pk) {
			json_object_put(qo);
			json_object_put(pk);
			goto done;
		}
		json_object_object_add(pk, "ecosystem",
		                       json_object_new_string(eco_of(x->ecosystem) == ECO_NPM ? "npm" : "PyPI"));
		json_object_object_add(pk, "name", json_object_new_string(x->name));
		json_object_object_add(qo, "package", pk);
		json_object_object_add(qo, "version", json_object_new_string(x->version));
		if (tokens[idx[i]])
			json_object_object_add(qo, "page_token", json_object_new_string(tokens[idx[i]]));
		json_object_array_add(arr, qo);
	}
	out = xstrdup(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN));
done:
	json_object_put(root);
	return out;
}

int pv_osv_querybatch(const char *querybatch_url, const char *vulns_url,
                      struct pv_osv_query *q, size_t n, const struct pv_http_opts *o)
{
	if (!q && n)
		return -1;
	struct pv_http_opts dflt = pv_http_opts_default();
	if (!o)
		o = &dflt;
	const char *qurl = querybatch_url ? querybatch_url : PV_OSV_DEFAULT_QUERYBATCH_URL;
	for (size_t i = 0; i < n; i++) {
		pv_osv_query_free(&q[i]);
		if (eco_of(q[i].ecosystem) == ECO_OTHER)
			query_unknown(&q[i], "unsupported ecosystem");
		else if (!q[i].name || !*q[i].name || !q[i].version || !*q[i].version)
			query_unknown(&q[i], "missing name or version");
	}
	char *vbase = vulns_base(qurl, vulns_url);
	struct strvec *ids = calloc(n ? n : 1, sizeof *ids);
	char **tokens = calloc(n ? n : 1, sizeof *tokens);
	size_t *pend = malloc((n ? n : 1) * sizeof *pend);
	struct strvec all = {0};
	struct pv_http_req *reqs = NULL;
	size_t npend = 0;
	char err[256];
	if (!vbase || !ids || !tokens || !pend) {
		for (size_t i = 0; i < n; i++)
			if (q[i].status == PV_OSV_PENDING)
				query_unknown(&q[i], vbase ? "out of memory" : "cannot derive the vulns URL");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (q[i].status == PV_OSV_PENDING)
			pend[npend++] = i;
	/* A service that is down is not asked again in this run (breaker.h):
	 * a 70-package audit would otherwise pay its timeout 70 times. */
	if (npend && pv_breaker_is_open(qurl, err, sizeof err)) {
		for (size_t i = 0; i < npend; i++)
			query_unknown(&q[pend[i]], err);
		npend = 0;
	}

	/* Candidate ids, page by page. */
	for (int page = 0; npend > 0; page++) {
		if (page >= PV_OSV_MAX_PAGES) {
			for (size_t i = 0; i < npend; i++)
				query_unknown(&q[pend[i]], "querybatch: too many result pages");
			break;
		}
		char *body = build_batch_body(q, pend, tokens, npend);
		struct buf resp = {.max = PV_OSV_BATCH_RESPONSE_MAX};
		bool down = false;
		int prc = body ? post_json(qurl, body, o, &resp, err, sizeof err, &down) : -1;
		if (!body)
			snprintf(err, sizeof err, "out of memory");
		free(body);
		if (prc != 0 && down)
			pv_breaker_trip(qurl, err);
		json_object *root = prc == 0 ? parse_json(resp.p ? resp.p : "", resp.n) : NULL;
		free(resp.p);
		json_object *results = jget(root, "results");
		if (prc == 0 && (!results || !json_object_is_type(results, json_type_array) ||
		                 json_object_array_length(results) != npend)) {
			snprintf(err, sizeof err, "querybatch: malformed response");
			prc = -1;
		}
		if (prc != 0) {
			json_object_put(root);
			/* Earlier pages gave incomplete lists: every query still open is unknown. */
			for (size_t i = 0; i < n; i++)
				if (q[i].status == PV_OSV_PENDING)
					query_unknown(&q[i], err);
			npend = 0;
			break;
		}
		size_t nnext = 0;
		for (size_t i = 0; i < npend; i++) {
			size_t qi = pend[i];
			json_object *res = json_object_array_get_idx(results, i);
			json_object *vulns = jget(res, "vulns");
			bool bad = false;
			for (size_t j = 0; j < jarr_len(vulns); j++) {
				const char *id = jstr(json_object_array_get_idx(vulns, j), "id");
				if (!id || !valid_id(id))
					bad = true;
				else if (strvec_add_uniq(&ids[qi], id) != 0)
					bad = true;
			}
			const char *tok = jstr(res, "next_page_token");
			free(tokens[qi]);
			tokens[qi] = NULL;
			if (bad) {
				query_unknown(&q[qi], "querybatch: bad vulnerability id in response");
			} else if (tok && *tok) {
				tokens[qi] = xstrdup(tok);
				if (!tokens[qi])
					query_unknown(&q[qi], "out of memory");
				else
					pend[nnext++] = qi;
			}
		}
		npend = nnext;
		json_object_put(root);
	}

	/* Distinct ids of the queries still open. */
	for (size_t i = 0; i < n; i++) {
		if (q[i].status != PV_OSV_PENDING)
			continue;
		for (size_t j = 0; j < ids[i].n; j++) {
			if (all.n >= PV_OSV_MAX_IDS && !strvec_has(&all, ids[i].v[j])) {
				query_unknown(&q[i], "querybatch: too many vulnerability ids");
				break;
			}
			if (strvec_add_uniq(&all, ids[i].v[j]) != 0) {
				query_unknown(&q[i], "out of memory");
				break;
			}
		}
	}
	if (all.n) {
		reqs = calloc(all.n, sizeof *reqs);
		char **urls = reqs ? calloc(all.n, sizeof *urls) : NULL;
		bool ok = reqs && urls;
		for (size_t i = 0; ok && i < all.n; i++) {
			size_t len = strlen(vbase) + 1 + strlen(all.v[i]) + 1;
			urls[i] = malloc(len);
			if (!urls[i]) {
				ok = false;
				break;
			}
			snprintf(urls[i], len, "%s/%s", vbase, all.v[i]);
			reqs[i].url = urls[i];
			reqs[i].accept = "application/json";
			reqs[i].max_body = PV_OSV_RECORD_MAX;
		}
		if (ok)
			pv_http_fetch_all(reqs, all.n, o);
		for (size_t i = 0; i < n; i++) {
			if (q[i].status != PV_OSV_PENDING)
				continue;
			if (!ok) {
				query_unknown(&q[i], "out of memory");
				continue;
			}
			for (size_t j = 0; j < ids[i].n && q[i].status == PV_OSV_PENDING; j++) {
				size_t k = 0;
				while (k < all.n && strcmp(all.v[k], ids[i].v[j]) != 0)
					k++;
				if (k == all.n)
					continue; /* cannot happen */
				struct pv_http_req *r = &reqs[k];
				if (r->result != PV_HTTP_OK) {
					snprintf(err, sizeof err, "record %.128s: %.100s", all.v[k],
					         r->err[0] ? r->err : pv_http_result_name(r->result));
					query_unknown(&q[i], err);
					continue;
				}
				if (pv_osv_match_record(r->body, r->len, q[i].ecosystem, q[i].name, q[i].version,
				                        &q[i].matches) < 0) {
					snprintf(err, sizeof err, "record %.128s: malformed", all.v[k]);
					query_unknown(&q[i], err);
				}
			}
		}
		for (size_t i = 0; reqs && urls && i < all.n; i++) {
			pv_http_req_free(&reqs[i]);
			free(urls[i]);
		}
		if (!urls) {
			for (size_t i = 0; i < n; i++)
				if (q[i].status == PV_OSV_PENDING)
					query_unknown(&q[i], "out of memory");
		}
		free(urls);
	}
	for (size_t i = 0; i < n; i++)
		if (q[i].status == PV_OSV_PENDING)
			q[i].status = PV_OSV_OK;
out:
	free(reqs);
	strvec_free(&all);
	for (size_t i = 0; ids && i < n; i++)
		strvec_free(&ids[i]);
	for (size_t i = 0; tokens && i < n; i++)
		free(tokens[i]);
	free(ids);
	free(tokens);
	free(pend);
	free(vbase);
	int rc = 0;
	for (size_t i = 0; i < n; i++)
		if (q[i].status != PV_OSV_OK)
			rc = 1;
	return rc;
}

/* ---------------------------------------------------------------- offline */

struct slot {
	char *name;       /* NULL = empty */
	uint32_t *idx;    /* record indices */
	uint32_t n, cap;
};

struct pv_osv_db {
	enum eco eco;
	char **rec;       /* JSON text of each record */
	size_t *reclen;
	size_t nrec, caprec;
	struct slot *tab; /* open addressing, power-of-two size */
	size_t tabcap, names;
	struct pv_osv_db_stats st;
};

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static struct slot *slot_find(struct slot *tab, size_t cap, const char *name)
{
	size_t i = (size_t)fnv1a(name) & (cap - 1);
	while (tab[i].name && strcmp(tab[i].name, name) != 0)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static int db_grow(struct pv_osv_db *db)
{
	size_t nc = db->tabcap ? db->tabcap * 2 : 1024;
	struct slot *nt = calloc(nc, sizeof *nt);
	if (!nt)
		return -1;
	for (size_t i = 0; i < db->tabcap; i++)
		if (db->tab[i].name)
			*slot_find(nt, nc, db->tab[i].name) = db->tab[i];
	free(db->tab);
	db->tab = nt;
	db->tabcap = nc;
	return 0;
}

static int db_index(struct pv_osv_db *db, const char *name, uint32_t rec)
{
	if ((db->names + 1) * 10 > db->tabcap * 7 && db_grow(db) != 0)
		return -1;
	struct slot *s = slot_find(db->tab, db->tabcap, name);
	if (!s->name) {
		s->name = xstrdup(name);
		if (!s->name)
			return -1;
		db->names++;
	}
	if (s->n == s->cap) {
		uint32_t nc = s->cap ? s->cap * 2 : 2;
		uint32_t *ni = realloc(s->idx, nc * sizeof *ni);
		if (!ni)
			return -1;
		s->idx = ni;
		s->cap = nc;
	}
	s->idx[s->n++] = rec;
	return 0;
}

/* The distinct name keys of ecosystem e that a record mentions. 1 when the
 * text is a record (a JSON object with a string "id"), 0 when it is not, -1
 * on allocation failure. */
static int record_keys(const char *text, size_t len, enum eco e, struct strvec *names)
{
	json_object *rec = parse_json(text, len);
	if (!rec || !jstr(rec, "id")) {
		json_object_put(rec);
		return 0;
	}
	int rc = 1;
	json_object *aff = jget(rec, "affected");
	for (size_t i = 0; i < jarr_len(aff); i++) {
		json_object *pkg = jget(json_object_array_get_idx(aff, i), "package");
		const char *pe = jstr(pkg, "ecosystem"), *pn = jstr(pkg, "name");
		char key[NAME_MAX_LEN];
		if (pe && pn && eco_of(pe) == e && name_key(e, pn, key, sizeof key) == 0 &&
		    strvec_add_uniq(names, key) != 0)
			rc = -1;
	}
	json_object_put(rec);
	return rc;
}

/* Index a copy of one record under its keys. 0, or -1 on allocation failure. */
static int db_add(struct pv_osv_db *db, const char *text, size_t len, char *const *keys, size_t nkeys)
{
	if (db->nrec >= UINT32_MAX)
		return -1;
	if (db->nrec == db->caprec) {
		size_t nc = db->caprec ? db->caprec * 2 : 256;
		char **nr = realloc(db->rec, nc * sizeof *nr);
		if (!nr)
			return -1;
		db->rec = nr;
		size_t *nl = realloc(db->reclen, nc * sizeof *nl);
		if (!nl)
			return -1;
		db->reclen = nl;
		db->caprec = nc;
	}
	char *copy = malloc(len + 1);
	if (!copy)
		return -1;
	memcpy(copy, text, len);
	copy[len] = '\0';
	for (size_t i = 0; i < nkeys; i++) {
		if (db_index(db, keys[i], (uint32_t)db->nrec) != 0) {
			free(copy); /* the load fails and frees db: stray indices do not matter */
			return -1;
		}
	}
	db->rec[db->nrec] = copy;
	db->reclen[db->nrec] = len;
	db->nrec++;
	return 0;
}

void pv_osv_db_free(struct pv_osv_db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->nrec; i++)
		free(db->rec[i]);
	free(db->rec);
	free(db->reclen);
	for (size_t i = 0; i < db->tabcap; i++) {
		free(db->tab[i].name);
		free(db->tab[i].idx);
	}
	free(db->tab);
	free(db);
}

static bool ends_with_json(const char *p)
{
	size_t n = p ? strlen(p) : 0;
	return n >= 5 && strcasecmp(p + n - 5, ".json") == 0;
}

int pv_osv_offline_scan(const char *zip_path, const char *ecosystem, pv_osv_scan_fn fn, void *ud,
                        struct pv_osv_db_stats *st, char *err, size_t errlen)
{
	char dummy[8];
	if (!err) {
		err = dummy;
		errlen = sizeof dummy;
	}
	struct pv_osv_db_stats local = {0};
	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	enum eco e = eco_of(ecosystem);
	if (e == ECO_OTHER || !zip_path || !fn) {
		snprintf(err, errlen, "unsupported ecosystem");
		return -1;
	}
	struct archive *a = archive_read_new();
	char *buf = NULL;
	struct strvec names = {0};
	int rc = -1;
	if (!a) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, zip_path, 65536) != ARCHIVE_OK) {
		snprintf(err, errlen, "%s: cannot read OSV zip: %s", zip_path, archive_error_string(a));
		goto done;
	}
	unsigned long long total = 0;
	for (;;) {
		struct archive_entry *ent;
		int r = archive_read_next_header(a, &ent);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			snprintf(err, errlen, "%s: corrupt OSV zip: %s", zip_path, archive_error_string(a));
			goto done;
		}
		if (++st->entries > PV_OSV_ZIP_MAX_ENTRIES) {
			snprintf(err, errlen, "%s: more than %u entries", zip_path, PV_OSV_ZIP_MAX_ENTRIES);
			goto done;
		}
		if (archive_entry_filetype(ent) != AE_IFREG || !ends_with_json(archive_entry_pathname(ent)) ||
		    (archive_entry_size_is_set(ent) && archive_entry_size(ent) > (la_int64_t)PV_OSV_RECORD_MAX)) {
			st->skipped++;
			continue; /* the next header call skips the data */
		}
		if (!buf && !(buf = malloc(PV_OSV_RECORD_MAX + 1))) {
			snprintf(err, errlen, "out of memory");
			goto done;
		}
		size_t len = 0;
		bool toolarge = false;
		for (;;) {
			la_ssize_t got = archive_read_data(a, buf + len, PV_OSV_RECORD_MAX + 1 - len);
			if (got < 0) {
				snprintf(err, errlen, "%s: corrupt OSV zip: %s", zip_path, archive_error_string(a));
				goto done;
			}
			if (got == 0)
				break;
			len += (size_t)got;
			if (len > PV_OSV_RECORD_MAX) {
				toolarge = true;
				break;
			}
		}
		total += len;
		if (total > PV_OSV_ZIP_MAX_TOTAL) {
			snprintf(err, errlen, "%s: more than %llu bytes of records", zip_path,
			         (unsigned long long)PV_OSV_ZIP_MAX_TOTAL);
			goto done;
		}
		if (toolarge) {
			st->skipped++;
			continue;
		}
		buf[len] = '\0';
		strvec_free(&names);
		int kr = record_keys(buf, len, e, &names);
		if (kr < 0) {
			snprintf(err, errlen, "out of memory");
			goto done;
		}
		if (kr == 0 || names.n == 0) {
			st->skipped++;
			continue;
		}
		st->records++;
		if (fn(ud, buf, len, names.v, names.n) != 0) {
			snprintf(err, errlen, "stopped");
			rc = -2;
			goto done;
		}
	}
	rc = 0;
done:
	strvec_free(&names);
	free(buf);
	if (a)
		archive_read_free(a);
	return rc;
}

struct load_ctx {
	struct pv_osv_db *db;
	bool oom;
};

static int load_record(void *ud, const char *json, size_t len, char *const *keys, size_t nkeys)
{
	struct load_ctx *l = ud;
	if (db_add(l->db, json, len, keys, nkeys) != 0) {
		l->oom = true;
		return -1;
	}
	return 0;
}

int pv_osv_offline_load(const char *zip_path, const char *ecosystem, struct pv_osv_db **out,
                        char *err, size_t errlen)
{
	char dummy[8];
	if (!err) {
		err = dummy;
		errlen = sizeof dummy;
	}
	*out = NULL;
	enum eco e = eco_of(ecosystem);
	if (e == ECO_OTHER || !zip_path) {
		snprintf(err, errlen, "unsupported ecosystem");
		return -1;
	}
	struct pv_osv_db *db = calloc(1, sizeof *db);
	if (!db || db_grow(db) != 0) {
		pv_osv_db_free(db);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	db->eco = e;
	struct load_ctx l = {.db = db};
	int rc = pv_osv_offline_scan(zip_path, ecosystem, load_record, &l, &db->st, err, errlen);
	if (rc != 0) {
		if (l.oom)
			snprintf(err, errlen, "out of memory");
		pv_osv_db_free(db);
		return -1;
	}
	db->st.records = db->nrec;
	db->st.names = db->names;
	*out = db;
	return 0;
}

void pv_osv_db_stats(const struct pv_osv_db *db, struct pv_osv_db_stats *st)
{
	*st = db->st;
}

int pv_osv_name_key(const char *ecosystem, const char *name, char *out, size_t outlen)
{
	enum eco e = eco_of(ecosystem);
	if (e == ECO_OTHER || !name || !out)
		return -1;
	return name_key(e, name, out, outlen);
}

int pv_osv_offline_query(const struct pv_osv_db *db, struct pv_osv_query *q, size_t n)
{
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		pv_osv_query_free(&q[i]);
		char key[NAME_MAX_LEN];
		if (eco_of(q[i].ecosystem) != db->eco) {
			query_unknown(&q[i], "ecosystem not in this OSV index");
		} else if (!q[i].name || !q[i].version || name_key(db->eco, q[i].name, key, sizeof key) != 0) {
			query_unknown(&q[i], "missing or overlong name, or no version");
		} else {
			const struct slot *s = slot_find(db->tab, db->tabcap, key);
			for (uint32_t j = 0; s->name && j < s->n; j++) {
				uint32_t r = s->idx[j];
				if (pv_osv_match_record(db->rec[r], db->reclen[r], q[i].ecosystem, q[i].name,
				                        q[i].version, &q[i].matches) < 0) {
					query_unknown(&q[i], "out of memory");
					break;
				}
			}
			if (q[i].status == PV_OSV_PENDING)
				q[i].status = PV_OSV_OK;
		}
		if (q[i].status != PV_OSV_OK)
			rc = 1;
	}
	return rc;
}

/* Append "; what" to buf, bounded, ending in "…" when cut. */
static void list_append(char *buf, size_t len, const char *what)
{
	size_t used = strlen(buf);
	if (used + 4 >= len)
		return;
	int w = snprintf(buf + used, len - used, "%s%s", used ? "; " : "", what);
	if (w < 0 || (size_t)w >= len - used)
		snprintf(buf + len - 4, 4, "%s", "\xe2\x80\xa6");
}

int pv_osv_add_findings(const struct pv_osv_query *q, struct pv_findings *out)
{
	if (q->status != PV_OSV_OK)
		return 1;
	char detail[600];
	for (size_t i = 0; i < q->matches.n; i++) {
		const struct pv_osv_match *m = &q->matches.v[i];
		int rc;
		if (m->malware) {
			snprintf(detail, sizeof detail, "%.100s: %.400s", m->id,
			         *m->summary ? m->summary : "malicious package");
			rc = pv_findings_add_each(out, "known-malware", NULL, 0, NULL, 0, detail, false);
		} else {
			char ids[200] = "", fixed[200] = "";
			list_append(ids, sizeof ids, m->id);
			for (size_t k = 0; k < m->naliases; k++)
				list_append(ids, sizeof ids, m->aliases[k]);
			for (size_t k = 0; k < m->nfixed; k++)
				list_append(fixed, sizeof fixed, m->fixed[k]);
			snprintf(detail, sizeof detail, "%.10s: %.199s; fixed in %.199s%s%.160s",
			         pv_osv_severity_name(m->severity), ids, m->nfixed ? fixed : "(no fixed version)",
			         *m->summary ? ": " : "", m->summary);
			rc = pv_findings_add_each(out, "known-vuln", NULL, 0, NULL, 0, detail, false);
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}
