/* registry_npm.c - npm registry client (see registry_npm.h). */
#include "registry_npm.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "semver.h"

#define SETERR(...)                                      \
	do {                                                 \
		if (err && errlen)                               \
			snprintf(err, errlen, __VA_ARGS__);          \
	} while (0)

const char *pv_npm_rc_name(enum pv_npm_rc rc)
{
	switch (rc) {
	case PV_NPM_OK: return "ok";
	case PV_NPM_UNREACHABLE: return "unreachable";
	case PV_NPM_NOT_FOUND: return "not-found";
	case PV_NPM_HTTP_ERROR: return "http-error";
	case PV_NPM_TOO_LARGE: return "too-large";
	case PV_NPM_BAD_DATA: return "bad-data";
	case PV_NPM_NO_MATCH: return "no-match";
	case PV_NPM_INTEGRITY: return "integrity";
	case PV_NPM_INVALID: return "invalid";
	case PV_NPM_ENOMEM: return "out-of-memory";
	}
	return "?";
}

static bool name_part_ok(const char *s, size_t n)
{
	if (n == 0 || n > 214 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!(isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~'))
			return false;
	}
	return true;
}

bool pv_npm_name_valid(const char *name)
{
	if (!name || strlen(name) > 214)
		return false;
	if (name[0] == '@') {
		const char *slash = strchr(name, '/');
		return slash && name_part_ok(name + 1, (size_t)(slash - name - 1)) &&
		       name_part_ok(slash + 1, strlen(slash + 1));
	}
	return name_part_ok(name, strlen(name));
}

char *pv_npm_packument_url(const char *registry, const char *name)
{
	if (!registry || !pv_npm_name_valid(name))
		return NULL;
	size_t rl = strlen(registry), nl = strlen(name);
	bool slash = rl > 0 && registry[rl - 1] == '/';
	char *u = malloc(rl + 1 + nl + 3);
	if (!u)
		return NULL;
	char *o = u;
	memcpy(o, registry, rl);
	o += rl;
	if (!slash)
		*o++ = '/';
	for (const char *s = name; *s; s++) {
		if (*s == '/') {
			memcpy(o, "%2f", 3);
			o += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return u;
}

void pv_npm_packument_free(struct pv_npm_packument *p)
{
	if (!p)
		return;
	if (p->root)
		json_object_put(p->root);
	free(p->name);
	free(p->url);
	memset(p, 0, sizeof *p);
}

/* Parse and sanity-check a packument body. */
static int parse_packument(const char *name, const char *body, size_t len, json_object **out,
                           char *err, size_t errlen)
{
	*out = NULL;
	json_tokener *tok = json_tokener_new_ex(1000);
	if (!tok) {
		SETERR("npm:%s: out of memory", name);
		return PV_NPM_ENOMEM;
	}
	json_object *root = len <= (size_t)INT32_MAX ? json_tokener_parse_ex(tok, body, (int)len) : NULL;
	enum json_tokener_error je = json_tokener_get_error(tok);
	size_t used = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (root && je == json_tokener_success) {
		while (used < len && isspace((unsigned char)body[used]))
			used++;
		if (used != len) {
			json_object_put(root);
			root = NULL;
		}
	} else if (root) {
		json_object_put(root);
		root = NULL;
	}
	if (!root || !json_object_is_type(root, json_type_object)) {
		if (root)
			json_object_put(root);
		SETERR("npm:%s: the registry's answer is not a JSON packument", name);
		return PV_NPM_BAD_DATA;
	}
	json_object *jn, *jv;
	if (json_object_object_get_ex(root, "name", &jn) &&
	    (!json_object_is_type(jn, json_type_string) || strcmp(json_object_get_string(jn), name) != 0)) {
		json_object_put(root);
		SETERR("npm:%s: the registry returned a document for another package", name);
		return PV_NPM_BAD_DATA;
	}
	if (!json_object_object_get_ex(root, "versions", &jv) || !json_object_is_type(jv, json_type_object)) {
		json_object_put(root);
		SETERR("npm:%s: packument has no versions (unpublished?)", name);
		return PV_NPM_BAD_DATA;
	}
	*out = root;
	return PV_NPM_OK;
}

static int map_http(const struct pv_http_req *r, const char *what, char *err, size_t errlen)
{
	switch (r->result) {
	case PV_HTTP_OK:
	case PV_HTTP_NOT_MODIFIED:
		return PV_NPM_OK;
	case PV_HTTP_HTTP_ERROR:
		if (r->status == 404) {
			SETERR("%s: not found (HTTP 404 from %s)", what, r->url);
			return PV_NPM_NOT_FOUND;
		}
		if (r->status == 401 || r->status == 403)
			SETERR("%s: access denied (HTTP %ld from %s; check the npm auth token)", what, r->status,
			       r->url);
		else
			SETERR("%s: HTTP %ld from %s", what, r->status, r->url);
		return PV_NPM_HTTP_ERROR;
	case PV_HTTP_TOO_LARGE:
		SETERR("%s: response from %s is too large (%s)", what, r->url, r->err);
		return PV_NPM_TOO_LARGE;
	case PV_HTTP_TIMEOUT:
	case PV_HTTP_UNREACHABLE:
	case PV_HTTP_CONN_ERROR:
	case PV_HTTP_TLS_ERROR:
		SETERR("%s: registry unreachable/timeout (%s: %s)", what, pv_http_result_name(r->result),
		       r->err);
		return PV_NPM_UNREACHABLE;
	default:
		SETERR("%s: request to %s failed (%s: %s)", what, r->url, pv_http_result_name(r->result),
		       r->err);
		return PV_NPM_UNREACHABLE;
	}
}

int pv_npm_fetch_packument(const struct pv_npm_client *c, const char *name,
                           struct pv_npm_packument *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (err && errlen)
		err[0] = '\0';
	if (!pv_npm_name_valid(name)) {
		SETERR("npm:%.200s: not a valid package name", name ? name : "(null)");
		return PV_NPM_INVALID;
	}
	const char *registry = c->registry ? c->registry
	                       : c->cfg    ? pv_npmrc_registry_for(c->cfg, name)
	                                   : PV_NPMRC_DEFAULT_REGISTRY;
	char *url = pv_npm_packument_url(registry, name);
	char *key = url ? malloc(strlen(url) + 16) : NULL;
	char *auth = (url && c->cfg) ? pv_npmrc_auth_for(c->cfg, url) : NULL;
	char *cbody = NULL, *cetag = NULL;
	size_t clen = 0;
	bool fresh = false, have_cached = false;
	int rc = PV_NPM_OK;
	json_object *root = NULL;
	struct pv_http_req req = {0};
	char what[300];
	snprintf(what, sizeof what, "npm:%s", name);
	if (!url || !key) {
		SETERR("%s: out of memory", what);
		rc = PV_NPM_ENOMEM;
		goto done;
	}
	snprintf(key, strlen(url) + 16, "npm:packument:%s", url);
	int64_t ttl = c->ttl_s > 0 ? c->ttl_s : PV_NPM_TTL_DEFAULT;
	if (c->cache && pv_cache_get_meta(c->cache, key, ttl, &cbody, &clen, &cetag, &fresh) == PV_CACHE_OK) {
		have_cached = true;
		if (fresh && parse_packument(name, cbody, clen, &root, NULL, 0) == PV_NPM_OK) {
			out->from_cache = true;
			goto done;
		}
	}
	req.url = url;
	req.accept = "application/json";
	req.auth_header = auth;
	req.etag = (have_cached && cetag && *cetag) ? cetag : NULL;
	req.max_body = PV_NPM_PACKUMENT_MAX;
	pv_http_fetch(&req, c->http);
	rc = map_http(&req, what, err, errlen);
	if (rc != PV_NPM_OK)
		goto done;
	if (req.result == PV_HTTP_NOT_MODIFIED) {
		if (!have_cached) {
			SETERR("%s: registry answered 304 without a cached copy", what);
			rc = PV_NPM_BAD_DATA;
			goto done;
		}
		rc = parse_packument(name, cbody, clen, &root, err, errlen);
		if (rc != PV_NPM_OK)
			goto done;
		pv_cache_touch_meta(c->cache, key);
		out->revalidated = true;
		goto done;
	}
	rc = parse_packument(name, req.body, req.len, &root, err, errlen);
	if (rc == PV_NPM_OK && c->cache)
		pv_cache_put_meta(c->cache, key, req.body, req.len, req.etag_out);
done:
	if (rc == PV_NPM_OK) {
		out->root = root;
		out->name = strdup(name);
		out->url = url;
		url = NULL;
		if (!out->name) {
			pv_npm_packument_free(out);
			SETERR("%s: out of memory", what);
			rc = PV_NPM_ENOMEM;
		}
	}
	pv_http_req_free(&req);
	free(url);
	free(key);
	free(auth);
	free(cbody);
	free(cetag);
	return rc;
}

static const char *obj_str(json_object *o, const char *k)
{
	json_object *v;
	if (o && json_object_object_get_ex(o, k, &v) && json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return NULL;
}

int pv_npm_resolve(const struct pv_npm_packument *p, const char *spec, const char **version,
                   json_object **manifest, char *err, size_t errlen)
{
	*version = NULL;
	if (manifest)
		*manifest = NULL;
	const char *name = p->name ? p->name : "?";
	json_object *versions = NULL, *tags = NULL;
	if (!p->root || !json_object_object_get_ex(p->root, "versions", &versions) ||
	    !json_object_is_type(versions, json_type_object)) {
		SETERR("npm:%s: packument has no versions", name);
		return PV_NPM_BAD_DATA;
	}
	json_object_object_get_ex(p->root, "dist-tags", &tags);
	if (!spec)
		spec = "";
	while (isspace((unsigned char)*spec))
		spec++;
	const char *sel = NULL;
	struct pv_semver want;
	struct pv_semver_range *range = NULL;
	if (*spec == '\0') {
		sel = obj_str(tags, "latest");
		if (!sel) {
			SETERR("npm:%s: no \"latest\" dist-tag", name);
			return PV_NPM_NO_MATCH;
		}
	} else if (pv_semver_parse(spec, &want) == 0) {
		json_object_object_foreach(versions, k, v)
		{
			(void)v;
			struct pv_semver have;
			if (pv_semver_parse(k, &have) == 0 && pv_semver_cmp(&have, &want) == 0) {
				sel = k;
				break;
			}
		}
		if (!sel) {
			SETERR("npm:%s@%.200s: no such version", name, spec);
			return PV_NPM_NO_MATCH;
		}
	} else if (pv_semver_range_parse(spec, &range, NULL, 0) == 0) {
		const char *latest = obj_str(tags, "latest");
		struct pv_semver lv;
		json_object *lm;
		if (latest && json_object_object_get_ex(versions, latest, &lm) &&
		    pv_semver_parse(latest, &lv) == 0 && pv_semver_satisfies(range, &lv, false)) {
			sel = latest;
		} else {
			size_t n = (size_t)json_object_object_length(versions), i = 0;
			const char **keys = malloc((n ? n : 1) * sizeof *keys);
			if (!keys) {
				pv_semver_range_free(range);
				SETERR("npm:%s: out of memory", name);
				return PV_NPM_ENOMEM;
			}
			json_object_object_foreach(versions, k, v)
			{
				(void)v;
				if (i < n)
					keys[i++] = k;
			}
			int idx = pv_semver_max_satisfying(keys, i, range, false);
			sel = idx >= 0 ? keys[idx] : NULL;
			free(keys);
		}
		pv_semver_range_free(range);
		if (!sel) {
			SETERR("npm:%s@%.200s: no version satisfies the range", name, spec);
			return PV_NPM_NO_MATCH;
		}
	} else {
		bool tag_ok = true;
		for (const char *s = spec; *s; s++)
			if (!isgraph((unsigned char)*s) || *s == '/' || *s == '%')
				tag_ok = false;
		if (!tag_ok) {
			SETERR("npm:%s@%.200s: not a version, range or dist-tag", name, spec);
			return PV_NPM_INVALID;
		}
		sel = obj_str(tags, spec);
		if (!sel) {
			SETERR("npm:%s@%.200s: no such dist-tag, version or range", name, spec);
			return PV_NPM_NO_MATCH;
		}
	}
	json_object *m = NULL;
	if (!json_object_object_get_ex(versions, sel, &m)) {
		SETERR("npm:%s@%.200s: resolves to %.100s, which the packument does not list", name, spec, sel);
		return PV_NPM_NO_MATCH;
	}
	/* Return the key string owned by the packument. */
	json_object_object_foreach(versions, k, v)
	{
		if (v == m && strcmp(k, sel) == 0) {
			*version = k;
			break;
		}
	}
	if (!*version)
		*version = sel;
	if (manifest)
		*manifest = m;
	return PV_NPM_OK;
}

/* ---- integrity ---- */

static const struct {
	const char *name;
	const EVP_MD *(*md)(void);
	int rank;
} sri_algs[] = {
	{"sha512", EVP_sha512, 4},
	{"sha384", EVP_sha384, 3},
	{"sha256", EVP_sha256, 2},
	{"sha1", EVP_sha1, 1},
};

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

int pv_npm_check_integrity(const char *name, const char *version, const void *data, size_t len,
                           const char *integrity, const char *shasum, char *err, size_t errlen)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char got[EVP_MAX_MD_SIZE * 2 + 16];
	if (integrity && *integrity) {
		/* Pick the strongest supported hash in the space-separated list. */
		int best = -1;
		const char *best_val = NULL;
		size_t best_vlen = 0;
		for (const char *s = integrity; *s;) {
			s += strspn(s, " \t\r\n");
			size_t tl = strcspn(s, " \t\r\n");
			if (tl == 0)
				break;
			const char *dash = memchr(s, '-', tl);
			for (size_t a = 0; dash && a < sizeof sri_algs / sizeof sri_algs[0]; a++) {
				if (strlen(sri_algs[a].name) == (size_t)(dash - s) &&
				    strncmp(s, sri_algs[a].name, (size_t)(dash - s)) == 0 &&
				    (best < 0 || sri_algs[a].rank > sri_algs[best].rank)) {
					best = (int)a;
					best_val = dash + 1;
					/* The value ends at '?' (SRI options) or the token end. */
					best_vlen = strcspn(best_val, "? \t\r\n");
				}
			}
			s += tl;
		}
		if (best >= 0) {
			if (!EVP_Digest(data, len, md, &mdlen, sri_algs[best].md(), NULL)) {
				SETERR("npm:%s@%s: digest computation failed", name, version);
				return PV_NPM_ENOMEM;
			}
			unsigned char b64[EVP_MAX_MD_SIZE * 2];
			int bl = EVP_EncodeBlock(b64, md, (int)mdlen);
			snprintf(got, sizeof got, "%s-%.*s", sri_algs[best].name, bl, (const char *)b64);
			if ((size_t)bl == best_vlen && memcmp(b64, best_val, best_vlen) == 0)
				return PV_NPM_OK;
			SETERR("integrity mismatch for %s@%s: expected %s-%.*s got %s", name, version,
			       sri_algs[best].name, (int)(best_vlen > 200 ? 200 : best_vlen), best_val, got);
			return PV_NPM_INTEGRITY;
		}
		if (!(shasum && *shasum)) {
			SETERR("npm:%s@%s: dist.integrity uses no supported hash", name, version);
			return PV_NPM_BAD_DATA;
		}
	}
	if (shasum && *shasum) {
		if (strlen(shasum) != 40) {
			SETERR("npm:%s@%s: dist.shasum is not a sha1 hex digest", name, version);
			return PV_NPM_BAD_DATA;
		}
		if (!EVP_Digest(data, len, md, &mdlen, EVP_sha1(), NULL)) {
			SETERR("npm:%s@%s: digest computation failed", name, version);
			return PV_NPM_ENOMEM;
		}
		bool same = mdlen == 20;
		for (unsigned i = 0; i < 20 && same; i++) {
			int hi = hexval((unsigned char)shasum[2 * i]), lo = hexval((unsigned char)shasum[2 * i + 1]);
			if (hi < 0 || lo < 0 || (unsigned char)(hi * 16 + lo) != md[i])
				same = false;
		}
		if (same)
			return PV_NPM_OK;
		for (unsigned i = 0; i < mdlen && i < 20; i++)
			snprintf(got + 2 * i, 3, "%02x", md[i]);
		SETERR("integrity mismatch for %s@%s: expected sha1 %s got sha1 %s", name, version, shasum, got);
		return PV_NPM_INTEGRITY;
	}
	SETERR("npm:%s@%s: the registry gives no dist.integrity or dist.shasum", name, version);
	return PV_NPM_BAD_DATA;
}

int pv_npm_fetch_tarball(const struct pv_npm_client *c, const struct pv_npm_packument *p,
                         const char *version, unsigned char **data, size_t *len,
                         char *err, size_t errlen)
{
	*data = NULL;
	*len = 0;
	if (err && errlen)
		err[0] = '\0';
	const char *name = p->name ? p->name : "?";
	json_object *versions, *m, *dist;
	if (!p->root || !version || !json_object_object_get_ex(p->root, "versions", &versions) ||
	    !json_object_object_get_ex(versions, version, &m)) {
		SETERR("npm:%s@%.200s: no such version", name, version ? version : "(null)");
		return PV_NPM_NO_MATCH;
	}
	if (!json_object_object_get_ex(m, "dist", &dist) || !json_object_is_type(dist, json_type_object)) {
		SETERR("npm:%s@%s: the registry gives no dist for this version", name, version);
		return PV_NPM_BAD_DATA;
	}
	const char *url = obj_str(dist, "tarball");
	const char *integrity = obj_str(dist, "integrity"), *shasum = obj_str(dist, "shasum");
	if (!url || !(strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0)) {
		SETERR("npm:%s@%s: dist.tarball is missing or not an http(s) URL", name, version);
		return PV_NPM_BAD_DATA;
	}
	if (!(integrity && *integrity) && !(shasum && *shasum)) {
		SETERR("npm:%s@%s: the registry gives no dist.integrity or dist.shasum", name, version);
		return PV_NPM_BAD_DATA;
	}
	char what[400];
	snprintf(what, sizeof what, "npm:%s@%s tarball", name, version);
	char *auth = c->cfg ? pv_npmrc_auth_for(c->cfg, url) : NULL;
	struct pv_http_req req = {.url = url, .auth_header = auth, .max_body = PV_NPM_TARBALL_MAX};
	pv_http_fetch(&req, c->http);
	int rc = map_http(&req, what, err, errlen);
	if (rc == PV_NPM_OK && req.result != PV_HTTP_OK) {
		SETERR("%s: unexpected answer (%s)", what, pv_http_result_name(req.result));
		rc = PV_NPM_BAD_DATA;
	}
	if (rc == PV_NPM_OK)
		rc = pv_npm_check_integrity(name, version, req.body, req.len, integrity, shasum, err, errlen);
	if (rc == PV_NPM_OK) {
		*data = (unsigned char *)req.body;
		*len = req.len;
		req.body = NULL;
	}
	pv_http_req_free(&req);
	free(auth);
	return rc;
}
