/* metadata.c - metadata attributes from npm packuments and PyPI JSON API
 * documents. See metadata.h. */
#include "metadata.h"

#include <ctype.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define T_UNKNOWN INT64_MIN
#define MAX_EMAILS 32
#define EMAIL_LEN 320
#define MAX_NAMES 5

void pv_meta_thresholds_default(struct pv_meta_thresholds *t)
{
	t->release_fresh_hours = 48;
	t->release_old_days = 365;
	t->release_gap_days = 180;
	t->few_versions = 2;
	t->few_downloads = 1000;
	t->no_readme_chars = 100;
	t->too_many_deps = 50;
}

/* ------------------------------------------------------------------ helpers */

__attribute__((format(printf, 4, 5)))
static void addf(struct pv_findings *out, const char *attr, bool each, const char *fmt, ...)
{
	char buf[640];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		buf[0] = '\0';
	if (each)
		pv_findings_add_each(out, attr, NULL, 0, NULL, 0, buf, false);
	else
		pv_findings_add(out, attr, NULL, 0, NULL, 0, buf, false);
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;
	if (!o || !json_object_is_type(o, json_type_object))
		return NULL;
	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static json_object *get_obj(json_object *o, const char *key)
{
	json_object *v = get(o, key);
	return v && json_object_is_type(v, json_type_object) ? v : NULL;
}

static const char *get_str(json_object *o, const char *key)
{
	json_object *v = get(o, key);
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int pv_meta_parse_time(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, se;
	if (!s || strlen(s) < 19)
		return -1;
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
	    digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &se))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return -1;
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	int64_t off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 || om > 59)
			return -1;
		off = (int64_t)(oh * 3600 + om * 60) * (*p == '+' ? 1 : -1);
		p += 6;
	}
	if (*p)
		return -1;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
	return 0;
}

static void fmt_time(int64_t t, char *buf, size_t n, bool date_only)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm)) {
		snprintf(buf, n, "?");
		return;
	}
	strftime(buf, n, date_only ? "%Y-%m-%d" : "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* secs >= th units (compared in double: thresholds may be fractions, and
 * a huge threshold simply means "never"). */
static bool at_least(int64_t secs, double th, int64_t unit)
{
	return (double)secs >= th * (double)unit;
}

/* secs > th units. */
static bool more_than(int64_t secs, double th, int64_t unit)
{
	return (double)secs > th * (double)unit;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* ------------------------------------------------------------------ emails */

static bool atext(int c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+/=?^_`{|}~-", c));
}

bool pv_meta_email_valid(const char *a)
{
	if (!a)
		return false;
	const char *at = strrchr(a, '@');
	if (!at || at == a || (size_t)(at - a) > 64 || strlen(at + 1) > 253)
		return false;
	/* local part: dot-atom */
	char prev = '.';
	for (const char *p = a; p < at; p++) {
		if (*p == '.') {
			if (prev == '.')
				return false;
		} else if (!atext((unsigned char)*p)) {
			return false;
		}
		prev = *p;
	}
	if (prev == '.')
		return false;
	/* domain: LDH labels, at least two, last one not all digits */
	const char *d = at + 1;
	int labels = 0;
	while (*d) {
		const char *e = d;
		bool alpha = false;
		while (*e && *e != '.') {
			if (!isalnum((unsigned char)*e) && *e != '-')
				return false;
			if (isalpha((unsigned char)*e))
				alpha = true;
			e++;
		}
		size_t len = (size_t)(e - d);
		if (len == 0 || len > 63 || d[0] == '-' || e[-1] == '-')
			return false;
		labels++;
		if (!*e)
			return labels >= 2 && alpha;
		d = e + 1;
		if (!*d)
			return false; /* trailing dot */
	}
	return false;
}

struct emails {
	char v[MAX_EMAILS][EMAIL_LEN];
	size_t n;
	bool odd; /* a field was present but not a string */
};

static void email_push(struct emails *em, const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (!len || em->n >= MAX_EMAILS)
		return;
	if (len >= EMAIL_LEN)
		len = EMAIL_LEN - 1; /* still malformed: longer than any valid address */
	memcpy(em->v[em->n], s, len);
	em->v[em->n][len] = '\0';
	for (size_t i = 0; i < em->n; i++)
		if (strcasecmp(em->v[i], em->v[em->n]) == 0)
			return;
	em->n++;
}

/* One "Name <addr>" or bare address. bare_is_email false: text without <>
 * is a name only (npm "author": "Jane Doe"). */
static void email_piece(struct emails *em, const char *s, size_t len, bool bare_is_email)
{
	const char *lt = memchr(s, '<', len);
	if (lt) {
		const char *gt = memchr(lt, '>', len - (size_t)(lt - s));
		size_t n = gt ? (size_t)(gt - lt - 1) : len - (size_t)(lt - s) - 1;
		email_push(em, lt + 1, n);
	} else if (bare_is_email) {
		email_push(em, s, len);
	}
}

/* Comma-separated list, commas inside quotes or <> do not split. */
static void email_list(struct emails *em, const char *s, bool bare_is_email)
{
	bool q = false, ang = false;
	const char *start = s;
	for (const char *p = s;; p++) {
		if (*p == '"')
			q = !q;
		else if (*p == '<')
			ang = true;
		else if (*p == '>')
			ang = false;
		if (!*p || (*p == ',' && !q && !ang)) {
			email_piece(em, start, (size_t)(p - start), bare_is_email);
			if (!*p)
				break;
			start = p + 1;
		}
	}
}

/* npm person: {"name","email"} or "Name <email> (url)". */
static void email_person(struct emails *em, json_object *p)
{
	if (!p)
		return;
	if (json_object_is_type(p, json_type_string)) {
		email_list(em, json_object_get_string(p), false);
	} else if (json_object_is_type(p, json_type_object)) {
		json_object *e = get(p, "email");
		if (e && json_object_is_type(e, json_type_string))
			email_list(em, json_object_get_string(e), true);
		else if (e && !json_object_is_type(e, json_type_null))
			em->odd = true;
	}
}

static void check_emails(struct emails *em, const struct pv_meta_input *in,
                         struct pv_findings *out, struct pv_meta_status *st)
{
	if (em->odd)
		addf(out, "bad-email", true, "an email field is not a string");
	if (em->n == 0) {
		if (!em->odd)
			addf(out, "bad-email", false, "no author or maintainer email");
		return;
	}
	for (size_t i = 0; i < em->n; i++) {
		const char *a = em->v[i];
		if (!pv_meta_email_valid(a)) {
			addf(out, "bad-email", true, "malformed email \"%.100s\"", a);
			continue;
		}
		const char *dom = strrchr(a, '@') + 1;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++) {
			const char *o = strrchr(em->v[j], '@');
			seen = o && pv_meta_email_valid(em->v[j]) && strcasecmp(o + 1, dom) == 0;
		}
		if (seen)
			continue;
		if (!in->resolve) {
			st->dns_unknown = true;
			continue;
		}
		int r = in->resolve(dom, in->resolve_ud);
		if (r == 0)
			addf(out, "bad-email", true, "domain %.100s of %.100s does not resolve", dom, a);
		else if (r < 0)
			st->dns_unknown = true;
	}
}

/* ------------------------------------------------------------------ repository */

static bool is_forge(const char *host, size_t n)
{
	static const char *const forges[] = {"github.com", "gitlab.com", "bitbucket.org",
	                                     "codeberg.org", "www.github.com", "www.gitlab.com",
	                                     "www.bitbucket.org"};
	for (size_t i = 0; i < sizeof forges / sizeof *forges; i++)
		if (strlen(forges[i]) == n && strncasecmp(host, forges[i], n) == 0)
			return true;
	return false;
}

static bool name_char(int c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '.';
}

/* "user/repo" possibly followed by ".git", "/...", "#ref", "?q": the first
 * two segments non-empty names. */
static bool user_repo(const char *p)
{
	while (*p == '/')
		p++;
	for (int seg = 0; seg < 2; seg++) {
		const char *s = p;
		while (name_char((unsigned char)*p))
			p++;
		if (p == s)
			return false;
		if (seg == 0) {
			if (*p != '/')
				return false;
			p++;
		}
	}
	return *p == '\0' || *p == '/' || *p == '#' || *p == '?';
}

static bool host_ok(const char *h, size_t n)
{
	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)h[i]) && h[i] != '-' && h[i] != '.' && h[i] != '_' &&
		    h[i] != '[' && h[i] != ']' && h[i] != ':')
			return false;
	return true;
}

bool pv_meta_repo_valid(const char *r, bool allow_shorthand)
{
	if (!r || !*r)
		return false;
	for (const char *p = r; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return false;
	const char *sep = strstr(r, "://");
	if (sep) {
		static const char *const schemes[] = {"http", "https", "git", "ssh", "git+https",
		                                      "git+ssh", "git+http", "git+git", "svn", "hg"};
		bool ok = false;
		size_t sl = (size_t)(sep - r);
		for (size_t i = 0; i < sizeof schemes / sizeof *schemes && !ok; i++)
			ok = strlen(schemes[i]) == sl && strncasecmp(r, schemes[i], sl) == 0;
		if (!ok)
			return false;
		const char *auth = sep + 3;
		const char *end = auth + strcspn(auth, "/?#");
		const char *at = memchr(auth, '@', (size_t)(end - auth));
		const char *host = at ? at + 1 : auth;
		const char *hend = host;
		while (hend < end && *hend != ':')
			hend++;
		if (!host_ok(host, (size_t)(hend - host)) || !memchr(host, '.', (size_t)(hend - host)))
			return false;
		if (is_forge(host, (size_t)(hend - host))) {
			/* ssh "host:user/repo" form after scheme is not a thing; port allowed */
			return *end == '/' && user_repo(end);
		}
		return true;
	}
	/* scp-like: user@host:path */
	const char *at = strchr(r, '@');
	const char *colon = strchr(r, ':');
	if (at && colon && at < colon) {
		const char *host = at + 1;
		if (!host_ok(host, (size_t)(colon - host)) || !memchr(host, '.', (size_t)(colon - host)))
			return false;
		if (is_forge(host, (size_t)(colon - host)))
			return user_repo(colon + 1);
		return colon[1] != '\0';
	}
	if (!allow_shorthand)
		return false;
	if (strncmp(r, "github:", 7) == 0 || strncmp(r, "gitlab:", 7) == 0)
		return user_repo(r + 7);
	if (strncmp(r, "bitbucket:", 10) == 0)
		return user_repo(r + 10);
	if (strncmp(r, "gist:", 5) == 0) {
		const char *p = r + 5;
		if (!*p)
			return false;
		for (; *p && *p != '#'; p++)
			if (!isalnum((unsigned char)*p))
				return false;
		return true;
	}
	if (colon)
		return false;
	return r[0] != '/' && user_repo(r);
}

/* ------------------------------------------------------------------ shared attributes */

struct rel {
	const char *name;
	int64_t t;        /* T_UNKNOWN when no time */
	json_object *obj; /* npm versions[name] (NULL for unpublished); PyPI file list */
};

struct rels {
	struct rel *v;
	size_t n, cap;
};

static int rels_push(struct rels *rs, const char *name, int64_t t, json_object *obj)
{
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 32;
		struct rel *nv = realloc(rs->v, cap * sizeof *nv);
		if (!nv)
			return -1;
		rs->v = nv;
		rs->cap = cap;
	}
	rs->v[rs->n++] = (struct rel){name, t, obj};
	return 0;
}

static const struct rel *rels_find(const struct rels *rs, const char *name)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].name, name) == 0)
			return &rs->v[i];
	return NULL;
}

static const struct pv_meta_thresholds *thresholds(const struct pv_meta_input *in,
                                                   struct pv_meta_thresholds *def)
{
	if (in->th)
		return in->th;
	pv_meta_thresholds_default(def);
	return def;
}

/* release-fresh, release-old, release-gap, few-versions, few-downloads. */
static void time_attrs(const struct rels *rs, const struct rel *cur, const struct pv_meta_input *in,
                       const struct pv_meta_thresholds *th, struct pv_findings *out,
                       struct pv_meta_status *st)
{
	int64_t now = (int64_t)in->now;
	char ts[40], ts2[40];

	if (cur && cur->t != T_UNKNOWN && th->release_fresh_hours >= 0) {
		int64_t age = now - cur->t;
		if (!at_least(age, th->release_fresh_hours, 3600)) {
			fmt_time(cur->t, ts, sizeof ts, false);
			if (age < 0)
				addf(out, "release-fresh", false, "published in the future (%s)", ts);
			else if (age < 3600)
				addf(out, "release-fresh", false, "published %lld minute%s ago (%s)",
				     (long long)(age / 60), age / 60 == 1 ? "" : "s", ts);
			else
				addf(out, "release-fresh", false, "published %lld hour%s ago (%s)",
				     (long long)(age / 3600), age / 3600 == 1 ? "" : "s", ts);
		}
	}

	const struct rel *latest = NULL;
	for (size_t i = 0; i < rs->n; i++)
		if (rs->v[i].t != T_UNKNOWN && (!latest || rs->v[i].t > latest->t))
			latest = &rs->v[i];
	if (latest && th->release_old_days >= 0) {
		int64_t age = now - latest->t;
		if (more_than(age, th->release_old_days, 86400)) {
			fmt_time(latest->t, ts, sizeof ts, true);
			addf(out, "release-old", false, "latest release %s (%.60s), %lld days ago", ts,
			     latest->name, (long long)(age / 86400));
		}
	}

	if (cur && cur->t != T_UNKNOWN && th->release_gap_days >= 0) {
		const struct rel *prev = NULL;
		for (size_t i = 0; i < rs->n; i++)
			if (rs->v[i].t != T_UNKNOWN && rs->v[i].t < cur->t && (!prev || rs->v[i].t > prev->t))
				prev = &rs->v[i];
		if (prev) {
			int64_t gap = cur->t - prev->t;
			if (more_than(gap, th->release_gap_days, 86400)) {
				fmt_time(cur->t, ts, sizeof ts, true);
				fmt_time(prev->t, ts2, sizeof ts2, true);
				addf(out, "release-gap", false,
				     "released %s after %lld days without a release (previous: %.60s on %s)", ts,
				     (long long)(gap / 86400), prev->name, ts2);
			}
		}
	}

	if (rs->n > 0 && th->few_versions >= 0 && (double)rs->n <= th->few_versions)
		addf(out, "few-versions", false, "%zu version%s ever published", rs->n,
		     rs->n == 1 ? "" : "s");

	if (in->weekly_downloads < 0)
		st->downloads_unknown = true;
	else if (th->few_downloads >= 0 && (double)in->weekly_downloads < th->few_downloads)
		addf(out, "few-downloads", false, "%lld downloads last week", in->weekly_downloads);
}

static void readme_attr(const char *readme, double th, struct pv_findings *out)
{
	if (th < 0)
		return;
	if (!readme || !*readme) {
		if (th > 0)
			addf(out, "no-readme", false, "no readme");
		return;
	}
	size_t n = utf8_chars(readme);
	if ((double)n < th)
		addf(out, "no-readme", false, "readme is %zu characters (fewer than %g)", n, th);
}

/* ------------------------------------------------------------------ npm */

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

bool pv_meta_npm_spec_is_url(const char *s)
{
	if (!s)
		return false;
	while (isspace((unsigned char)*s))
		s++;
	if (has_prefix(s, "npm:"))
		return false;
	static const char *const pre[] = {"git+", "git:", "github:", "gitlab:", "bitbucket:", "gist:",
	                                  "file:", "link:", "workspace:", "portal:", "patch:",
	                                  "http:", "https:", "./", "../", "/", "~/", ".\\", "..\\"};
	for (size_t i = 0; i < sizeof pre / sizeof *pre; i++)
		if (has_prefix(s, pre[i]))
			return true;
	if (strstr(s, "://"))
		return true;
	if (s[0] == '.' && s[1] == '\0')
		return true;
	/* user/repo shorthand: ranges never contain '/' */
	return strchr(s, '/') != NULL;
}

static void npm_deps(json_object *ver, double th, struct pv_findings *out)
{
	static const char *const kinds[] = {"dependencies", "optionalDependencies"};
	size_t count = 0;
	json_object *deps0 = get_obj(ver, kinds[0]);
	for (size_t k = 0; k < 2; k++) {
		json_object *deps = get_obj(ver, kinds[k]);
		if (!deps)
			continue;
		json_object_object_foreach(deps, dname, dspec)
		{
			if (!(k == 1 && get(deps0, dname))) /* listed in both: counted once */
				count++;
			if (!dspec || !json_object_is_type(dspec, json_type_string))
				continue;
			const char *spec = json_object_get_string(dspec);
			if (pv_meta_npm_spec_is_url(spec))
				addf(out, "url-dependency", true, "dependency \"%.80s\" from %.200s (%s)", dname,
				     spec, kinds[k]);
		}
	}
	if (th >= 0 && (double)count > th)
		addf(out, "too-many-deps", false, "%zu direct dependencies (more than %g)", count, th);
}

static void repo_attr(json_object *repo, bool shorthand, struct pv_findings *out)
{
	if (!repo || json_object_is_type(repo, json_type_null)) {
		addf(out, "no-repo", false, "no repository in the package metadata");
		return;
	}
	const char *url = NULL;
	if (json_object_is_type(repo, json_type_string)) {
		url = json_object_get_string(repo);
	} else if (json_object_is_type(repo, json_type_object)) {
		json_object *u = get(repo, "url");
		if (!u || json_object_is_type(u, json_type_null)) {
			addf(out, "no-repo", false, "repository has no url");
			return;
		}
		if (!json_object_is_type(u, json_type_string)) {
			addf(out, "bad-repo", false, "repository url is not a string (%s)",
			     json_type_to_name(json_object_get_type(u)));
			return;
		}
		url = json_object_get_string(u);
	} else {
		addf(out, "bad-repo", false, "repository is not a string or object (%s)",
		     json_type_to_name(json_object_get_type(repo)));
		return;
	}
	const char *p = url;
	while (isspace((unsigned char)*p))
		p++;
	if (!*p) {
		addf(out, "no-repo", false, "repository is empty");
		return;
	}
	if (!pv_meta_repo_valid(url, shorthand))
		addf(out, "bad-repo", false, "malformed repository \"%.200s\"", url);
}

static bool has_attestations(json_object *ver)
{
	json_object *a = get(get_obj(ver, "dist"), "attestations");
	return a && json_object_is_type(a, json_type_object);
}

static const char *npm_user(json_object *ver)
{
	const char *n = get_str(get_obj(ver, "_npmUser"), "name");
	return n && *n ? n : NULL;
}

static void npm_history(const struct rels *rs, const struct rel *cur, struct pv_findings *out)
{
	if (cur->t == T_UNKNOWN)
		return;
	/* publisher-change */
	const char *me = npm_user(cur->obj);
	if (me) {
		const char *names[MAX_NAMES];
		size_t nn = 0, others = 0;
		bool known = false;
		for (size_t i = 0; i < rs->n && !known; i++) {
			const struct rel *r = &rs->v[i];
			if (r == cur || r->t == T_UNKNOWN || r->t >= cur->t)
				continue;
			const char *u = npm_user(r->obj);
			if (!u)
				continue;
			if (strcmp(u, me) == 0) {
				known = true;
				break;
			}
			bool dup = false;
			for (size_t j = 0; j < nn; j++)
				dup = dup || strcmp(names[j], u) == 0;
			if (dup)
				continue;
			if (nn < MAX_NAMES)
				names[nn++] = u;
			else
				others++;
		}
		if (!known && nn > 0) {
			char list[400];
			size_t len = 0;
			list[0] = '\0';
			for (size_t j = 0; j < nn; j++) {
				int w = snprintf(list + len, sizeof list - len, "%s%.60s", j ? ", " : "", names[j]);
				if (w > 0 && (size_t)w < sizeof list - len)
					len += (size_t)w;
			}
			if (others)
				addf(out, "publisher-change", false,
				     "published by new account \"%.60s\" (earlier versions by %s and %zu more)", me,
				     list, others);
			else
				addf(out, "publisher-change", false,
				     "published by new account \"%.60s\" (earlier versions by %s)", me, list);
		}
	}
	/* provenance-dropped */
	if (!has_attestations(cur->obj)) {
		const struct rel *last = NULL;
		for (size_t i = 0; i < rs->n; i++) {
			const struct rel *r = &rs->v[i];
			if (r != cur && r->t != T_UNKNOWN && r->t < cur->t && has_attestations(r->obj) &&
			    (!last || r->t > last->t))
				last = r;
		}
		if (last)
			addf(out, "provenance-dropped", false,
			     "earlier version %.60s has provenance attestations; %.60s has none", last->name,
			     cur->name);
	}
}

int pv_meta_npm(json_object *doc, const char *version, const struct pv_meta_input *in,
                struct pv_findings *out, struct pv_meta_status *status)
{
	struct pv_meta_status dummy;
	struct pv_meta_thresholds def;
	struct pv_meta_status *st = status ? status : &dummy;
	memset(st, 0, sizeof *st);
	if (!doc || !json_object_is_type(doc, json_type_object) || !version || !in)
		return -1;
	const struct pv_meta_thresholds *th = thresholds(in, &def);

	json_object *versions = get_obj(doc, "versions");
	json_object *times = get_obj(doc, "time");
	struct rels rs = {0};
	int rc = 0;
	if (versions) {
		json_object_object_foreach(versions, vname, vobj)
		{
			int64_t t = T_UNKNOWN;
			if (pv_meta_parse_time(get_str(times, vname), &t) != 0)
				t = T_UNKNOWN;
			if (rels_push(&rs, vname, t, vobj) != 0)
				rc = -1;
		}
	}
	if (times) {
		json_object_object_foreach(times, tname, tval)
		{
			if (strcmp(tname, "created") == 0 || strcmp(tname, "modified") == 0 ||
			    strcmp(tname, "unpublished") == 0 || get(versions, tname))
				continue;
			int64_t t;
			if (!tval || !json_object_is_type(tval, json_type_string) ||
			    pv_meta_parse_time(json_object_get_string(tval), &t) != 0)
				continue;
			if (rels_push(&rs, tname, t, NULL) != 0) /* unpublished version */
				rc = -1;
		}
	}
	const struct rel *cur = rels_find(&rs, version);
	if (cur && !cur->obj)
		cur = NULL; /* unpublished: only its time survives */
	json_object *ver = cur ? cur->obj : NULL;
	if (ver && !json_object_is_type(ver, json_type_object))
		ver = NULL;
	st->version_found = ver != NULL;

	time_attrs(&rs, ver ? cur : NULL, in, th, out, st);

	if (ver) {
		/* readme: the version's own, else the packument's (the latest's) */
		const char *readme = get_str(ver, "readme");
		if (!readme || !*readme)
			readme = get_str(doc, "readme");
		if (readme && strcmp(readme, "ERROR: No README data found!") == 0)
			readme = NULL;
		readme_attr(readme, th->no_readme_chars, out);

		json_object *repo = get(ver, "repository");
		if (!repo)
			repo = get(doc, "repository");
		repo_attr(repo, true, out);

		struct emails *em = calloc(1, sizeof *em);
		if (em) {
			email_person(em, get(ver, "_npmUser"));
			email_person(em, get(ver, "author"));
			json_object *m = get(ver, "maintainers");
			if (!m || !json_object_is_type(m, json_type_array))
				m = get(doc, "maintainers");
			if (m && json_object_is_type(m, json_type_array)) {
				size_t n = json_object_array_length(m);
				for (size_t i = 0; i < n; i++)
					email_person(em, json_object_array_get_idx(m, i));
			}
			check_emails(em, in, out, st);
			free(em);
		} else {
			rc = -1;
		}

		npm_history(&rs, cur, out);
		npm_deps(ver, th->too_many_deps, out);

		json_object *dep = get(ver, "deprecated");
		if (dep && json_object_is_type(dep, json_type_string) && *json_object_get_string(dep))
			addf(out, "deprecated", false, "deprecated: %.300s", json_object_get_string(dep));
		else if (dep && json_object_is_type(dep, json_type_boolean) && json_object_get_boolean(dep))
			addf(out, "deprecated", false, "deprecated (no message)");
	}
	free(rs.v);
	return rc == 0 && !out->oom ? 0 : -1;
}

/* ------------------------------------------------------------------ PyPI */

static int64_t pypi_release_time(json_object *files)
{
	int64_t best = T_UNKNOWN;
	if (!files || !json_object_is_type(files, json_type_array))
		return best;
	size_t n = json_object_array_length(files);
	for (size_t i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(files, i);
		const char *s = get_str(f, "upload_time_iso_8601");
		if (!s)
			s = get_str(f, "upload_time");
		int64_t t;
		if (s && pv_meta_parse_time(s, &t) == 0 && (best == T_UNKNOWN || t < best))
			best = t;
	}
	return best;
}

static bool ci_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

static bool url_on_forge(const char *u)
{
	const char *sep = u ? strstr(u, "://") : NULL;
	if (!sep)
		return false;
	const char *h = sep + 3;
	size_t n = strcspn(h, "/:?#");
	return is_forge(h, n);
}

static void pypi_repo(json_object *info, struct pv_findings *out)
{
	static const char *const keys[] = {"source", "repository", "code", "github", "gitlab", "git"};
	json_object *urls = get_obj(info, "project_urls");
	const char *named = NULL, *forge = NULL;
	if (urls) {
		json_object_object_foreach(urls, k, v)
		{
			if (!v || !json_object_is_type(v, json_type_string))
				continue;
			const char *s = json_object_get_string(v);
			for (size_t i = 0; i < sizeof keys / sizeof *keys && !named; i++)
				if (ci_contains(k, keys[i]))
					named = s;
			if (!forge && url_on_forge(s))
				forge = s;
		}
	}
	const char *home = get_str(info, "home_page");
	if (!forge && url_on_forge(home))
		forge = home;
	/* a forge URL wins over a named one that is not on a forge */
	const char *url = named && url_on_forge(named) ? named : forge ? forge : named;
	if (!url || !*url) {
		addf(out, "no-repo", false, "no source repository in project_urls or home_page");
		return;
	}
	if (!pv_meta_repo_valid(url, false))
		addf(out, "bad-repo", false, "malformed repository \"%.200s\"", url);
}

static void pypi_deps(json_object *info, double th, struct pv_findings *out)
{
	json_object *rd = get(info, "requires_dist");
	if (!rd || !json_object_is_type(rd, json_type_array))
		return;
	size_t n = json_object_array_length(rd), count = 0;
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(rd, i);
		if (!e || !json_object_is_type(e, json_type_string))
			continue;
		const char *s = json_object_get_string(e);
		const char *semi = strchr(s, ';');
		bool extra = semi && strstr(semi, "extra") != NULL;
		if (!extra)
			count++;
		const char *at = strchr(s, '@'); /* names never hold '@': a direct reference */
		if (at && (!semi || at < semi))
			addf(out, "url-dependency", true, "dependency from a URL: %.250s", s);
	}
	if (th >= 0 && (double)count > th)
		addf(out, "too-many-deps", false,
		     "%zu direct dependencies (more than %g; extras not counted)", count, th);
}

static void pypi_yanked(json_object *files, struct pv_findings *out)
{
	if (!files || !json_object_is_type(files, json_type_array))
		return;
	size_t n = json_object_array_length(files);
	if (n == 0)
		return;
	const char *reason = NULL;
	for (size_t i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(files, i);
		json_object *y = get(f, "yanked");
		if (!y || !json_object_is_type(y, json_type_boolean) || !json_object_get_boolean(y))
			return;
		const char *r = get_str(f, "yanked_reason");
		if (r && *r && !reason)
			reason = r;
	}
	if (reason)
		addf(out, "yanked", false, "yanked: %.300s", reason);
	else
		addf(out, "yanked", false, "yanked (no reason given)");
}

int pv_meta_pypi(json_object *doc, const char *version, const struct pv_meta_input *in,
                 struct pv_findings *out, struct pv_meta_status *status)
{
	struct pv_meta_status dummy;
	struct pv_meta_thresholds def;
	struct pv_meta_status *st = status ? status : &dummy;
	memset(st, 0, sizeof *st);
	if (!doc || !json_object_is_type(doc, json_type_object) || !version || !in)
		return -1;
	const struct pv_meta_thresholds *th = thresholds(in, &def);
	json_object *info = get_obj(doc, "info");
	json_object *releases = get_obj(doc, "releases");
	const char *info_ver = get_str(info, "version");
	struct rels rs = {0};
	int rc = 0;
	if (releases) {
		json_object_object_foreach(releases, rname, files)
		{
			if (rels_push(&rs, rname, pypi_release_time(files), files) != 0)
				rc = -1;
		}
	}
	json_object *urls = get(doc, "urls");
	if (!rels_find(&rs, version) && info_ver && strcmp(info_ver, version) == 0 && urls &&
	    json_object_is_type(urls, json_type_array)) {
		if (rels_push(&rs, version, pypi_release_time(urls), urls) != 0)
			rc = -1;
	}
	const struct rel *cur = rels_find(&rs, version);
	st->version_found = cur != NULL;

	time_attrs(&rs, cur, in, th, out, st);

	if (cur) {
		if (info) {
			const char *d = get_str(info, "description");
			if (d && strcmp(d, "UNKNOWN") == 0)
				d = NULL;
			readme_attr(d, th->no_readme_chars, out);
			pypi_repo(info, out);

			struct emails *em = calloc(1, sizeof *em);
			if (em) {
				static const char *const fields[] = {"author_email", "maintainer_email"};
				for (size_t i = 0; i < 2; i++) {
					json_object *e = get(info, fields[i]);
					if (e && json_object_is_type(e, json_type_string))
						email_list(em, json_object_get_string(e), true);
					else if (e && !json_object_is_type(e, json_type_null))
						em->odd = true;
				}
				check_emails(em, in, out, st);
				free(em);
			} else {
				rc = -1;
			}
			if (info_ver && strcmp(info_ver, version) == 0)
				pypi_deps(info, th->too_many_deps, out);
		}
		pypi_yanked(cur->obj, out);
	}
	free(rs.v);
	return rc == 0 && !out->oom ? 0 : -1;
}
