/* registry_pypi.c - PyPI client (see registry_pypi.h). */
#include "registry_pypi.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "digest.h"
#include "pep440.h"

#define SETERR(...)                                      \
	do {                                                 \
		if (err && errlen)                               \
			snprintf(err, errlen, __VA_ARGS__);          \
	} while (0)

const char *pv_pypi_rc_name(enum pv_pypi_rc rc)
{
	switch (rc) {
	case PV_PYPI_OK: return "ok";
	case PV_PYPI_UNREACHABLE: return "unreachable";
	case PV_PYPI_NOT_FOUND: return "not-found";
	case PV_PYPI_HTTP_ERROR: return "http-error";
	case PV_PYPI_TOO_LARGE: return "too-large";
	case PV_PYPI_BAD_DATA: return "bad-data";
	case PV_PYPI_NO_MATCH: return "no-match";
	case PV_PYPI_DIGEST: return "digest";
	case PV_PYPI_INVALID: return "invalid";
	case PV_PYPI_ENOMEM: return "out-of-memory";
	}
	return "?";
}

const char *pv_pypi_index(const struct pv_pypi_client *c)
{
	if (c->index_url && *c->index_url)
		return c->index_url;
	if (c->cfg && c->cfg->index_url)
		return c->cfg->index_url;
	return PV_PIPCONF_DEFAULT_INDEX;
}

static const char *obj_str(json_object *o, const char *k)
{
	json_object *v;
	if (o && json_object_object_get_ex(o, k, &v) && json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return NULL;
}

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void file_free(struct pv_pypi_file *f)
{
	free(f->filename);
	free(f->url);
	free(f->sha256);
	free(f->upload_time);
	free(f->yanked_reason);
}

void pv_pypi_project_free(struct pv_pypi_project *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nreleases; i++) {
		for (size_t j = 0; j < p->releases[i].nfiles; j++)
			file_free(&p->releases[i].files[j]);
		free(p->releases[i].files);
		free(p->releases[i].version);
	}
	free(p->releases);
	if (p->root)
		json_object_put(p->root);
	free(p->name);
	free(p->url);
	memset(p, 0, sizeof *p);
}

static int map_http(const struct pv_http_req *r, const char *what, char *err, size_t errlen)
{
	switch (r->result) {
	case PV_HTTP_OK:
	case PV_HTTP_NOT_MODIFIED:
		return PV_PYPI_OK;
	case PV_HTTP_HTTP_ERROR:
		if (r->status == 404) {
			SETERR("%s: not found (HTTP 404 from %s)", what, r->url);
			return PV_PYPI_NOT_FOUND;
		}
		SETERR("%s: HTTP %ld from %s", what, r->status, r->url);
		return PV_PYPI_HTTP_ERROR;
	case PV_HTTP_TOO_LARGE:
		SETERR("%s: response from %s is too large (%s)", what, r->url, r->err);
		return PV_PYPI_TOO_LARGE;
	default:
		SETERR("%s: index unreachable/timeout (%s: %s)", what, pv_http_result_name(r->result), r->err);
		return PV_PYPI_UNREACHABLE;
	}
}

/* A whole JSON object, nothing after it. */
static json_object *parse_obj(const char *body, size_t len)
{
	if (!body || len > (size_t)INT32_MAX)
		return NULL;
	json_tokener *tok = json_tokener_new_ex(1000);
	if (!tok)
		return NULL;
	json_object *root = json_tokener_parse_ex(tok, body, (int)len);
	bool ok = root && json_tokener_get_error(tok) == json_tokener_success;
	size_t used = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	while (ok && used < len && isspace((unsigned char)body[used]))
		used++;
	if (!ok || used != len || !json_object_is_type(root, json_type_object)) {
		if (root)
			json_object_put(root);
		return NULL;
	}
	return root;
}

/* GET a JSON document through the cache. */
static int fetch_doc(const struct pv_pypi_client *c, const char *url, const char *accept, const char *what,
                     json_object **root, bool *from_cache, bool *revalidated, char *err, size_t errlen)
{
	*root = NULL;
	*from_cache = *revalidated = false;
	size_t kl = strlen(url) + 40;
	char *key = malloc(kl);
	if (!key) {
		SETERR("%s: out of memory", what);
		return PV_PYPI_ENOMEM;
	}
	snprintf(key, kl, "pypi:%s:%s", accept ? "simple" : "json", url);
	char *cbody = NULL, *cetag = NULL;
	size_t clen = 0;
	bool fresh = false, have = false;
	int rc = PV_PYPI_OK;
	struct pv_http_req req = {0};
	int64_t ttl = c->ttl_s > 0 ? c->ttl_s : PV_PYPI_TTL_DEFAULT;
	if (c->cache && pv_cache_get_meta(c->cache, key, ttl, &cbody, &clen, &cetag, &fresh) == PV_CACHE_OK) {
		have = true;
		if (fresh && (*root = parse_obj(cbody, clen)) != NULL) {
			*from_cache = true;
			goto done;
		}
	}
	req.url = url;
	req.accept = accept ? accept : "application/json";
	req.etag = (have && cetag && *cetag) ? cetag : NULL;
	req.max_body = PV_PYPI_META_MAX;
	pv_http_fetch(&req, c->http);
	rc = map_http(&req, what, err, errlen);
	if (rc != PV_PYPI_OK)
		goto done;
	if (req.result == PV_HTTP_NOT_MODIFIED) {
		*root = have ? parse_obj(cbody, clen) : NULL;
		if (!*root) {
			SETERR("%s: index answered 304 without a usable cached copy", what);
			rc = PV_PYPI_BAD_DATA;
			goto done;
		}
		pv_cache_touch_meta(c->cache, key);
		*revalidated = true;
		goto done;
	}
	*root = parse_obj(req.body, req.len);
	if (!*root) {
		SETERR("%s: the answer from %s is not a JSON document", what, url);
		rc = PV_PYPI_BAD_DATA;
		goto done;
	}
	if (c->cache)
		pv_cache_put_meta(c->cache, key, req.body, req.len, req.etag_out);
done:
	pv_http_req_free(&req);
	free(key);
	free(cbody);
	free(cetag);
	return rc;
}

/* ---- filenames ---- */

static const char *const sdist_ext[] = {".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar.xz", ".tar"};

char *pv_pypi_filename_version(const char *filename, const char *norm_name, enum pv_pypi_kind *kind)
{
	if (kind)
		*kind = PV_PYPI_OTHER;
	if (!filename || !norm_name)
		return NULL;
	size_t fl = strlen(filename);
	if (fl > 4 && strcmp(filename + fl - 4, ".whl") == 0) {
		const char *d1 = strchr(filename, '-');
		const char *d2 = d1 ? strchr(d1 + 1, '-') : NULL;
		if (!d2)
			return NULL;
		if (kind)
			*kind = PV_PYPI_WHEEL;
		return strndup(d1 + 1, (size_t)(d2 - d1 - 1));
	}
	size_t stem = 0;
	for (size_t i = 0; i < sizeof sdist_ext / sizeof sdist_ext[0]; i++) {
		size_t el = strlen(sdist_ext[i]);
		if (fl > el && strcasecmp(filename + fl - el, sdist_ext[i]) == 0) {
			stem = fl - el;
			break;
		}
	}
	if (!stem)
		return NULL;
	/* NAME-VERSION where NAME may itself hold '-': the split whose prefix
	 * normalises to the project's name and whose rest is a version. */
	for (size_t i = 1; i < stem; i++) {
		if (filename[i] != '-' || i >= 256)
			continue;
		char pre[256], norm[256];
		memcpy(pre, filename, i);
		pre[i] = '\0';
		if (pv_pep503_normalize(pre, norm, sizeof norm) < 0 || strcmp(norm, norm_name) != 0)
			continue;
		char *v = strndup(filename + i + 1, stem - i - 1);
		struct pv_pep440 pv;
		if (v && pv_pep440_parse(v, &pv) == 0) {
			if (kind)
				*kind = PV_PYPI_SDIST;
			return v;
		}
		free(v);
	}
	return NULL;
}

/* ---- the model ---- */

static struct pv_pypi_release *release_get(struct pv_pypi_project *p, const char *version, size_t *cap)
{
	for (size_t i = 0; i < p->nreleases; i++)
		if (strcmp(p->releases[i].version, version) == 0)
			return &p->releases[i];
	if (p->nreleases == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct pv_pypi_release *r = realloc(p->releases, nc * sizeof *r);
		if (!r)
			return NULL;
		p->releases = r;
		*cap = nc;
	}
	struct pv_pypi_release *r = &p->releases[p->nreleases];
	memset(r, 0, sizeof *r);
	r->version = strdup(version);
	if (!r->version)
		return NULL;
	p->nreleases++;
	return r;
}

static int file_add(struct pv_pypi_release *r, const struct pv_pypi_file *f)
{
	struct pv_pypi_file *nf = realloc(r->files, (r->nfiles + 1) * sizeof *nf);
	if (!nf)
		return -1;
	r->files = nf;
	r->files[r->nfiles++] = *f;
	return 0;
}

/* Absolute URL for href found on page (fragment removed); *frag_sha gets a
 * #sha256= fragment's digest. */
static char *resolve_url(const char *page, const char *href, char **frag_sha)
{
	*frag_sha = NULL;
	size_t hl = strcspn(href, "#");
	if (href[hl] == '#' && strncmp(href + hl + 1, "sha256=", 7) == 0)
		*frag_sha = pv_sha256_hex_norm(href + hl + 8, strlen(href + hl + 8));
	const char *ss = strstr(page, "://");
	size_t pre = 0;
	if (strstr(href, "://") && strstr(href, "://") < href + hl) {
		pre = 0;
	} else if (ss && href[0] == '/' && href[1] == '/') {
		pre = (size_t)(ss - page) + 1; /* "scheme:" */
	} else if (ss && href[0] == '/') {
		pre = (size_t)(ss - page) + 3;
		pre += strcspn(page + pre, "/");
	} else if (ss) {
		const char *last = strrchr(page, '/');
		pre = (size_t)(last - page) + 1;
	}
	char *u = malloc(pre + hl + 1);
	if (!u)
		return NULL;
	memcpy(u, page, pre);
	memcpy(u + pre, href, hl);
	u[pre + hl] = '\0';
	return u;
}

static int build_from_json(struct pv_pypi_project *p, char *err, size_t errlen)
{
	json_object *rels;
	if (!json_object_object_get_ex(p->root, "info", &p->info) ||
	    !json_object_is_type(p->info, json_type_object) ||
	    !json_object_object_get_ex(p->root, "releases", &rels) || !json_object_is_type(rels, json_type_object)) {
		p->info = NULL;
		SETERR("pypi:%s: JSON API answer has no info/releases", p->name);
		return PV_PYPI_BAD_DATA;
	}
	char norm[256];
	const char *iname = obj_str(p->info, "name");
	if (!iname || pv_pep503_normalize(iname, norm, sizeof norm) < 0 || strcmp(norm, p->name) != 0) {
		SETERR("pypi:%s: the index returned a document for another project", p->name);
		return PV_PYPI_BAD_DATA;
	}
	size_t cap = 0;
	json_object_object_foreach(rels, ver, arr)
	{
		struct pv_pypi_release *r = release_get(p, ver, &cap);
		if (!r)
			goto oom;
		if (!json_object_is_type(arr, json_type_array))
			continue;
		size_t n = json_object_array_length(arr);
		for (size_t i = 0; i < n; i++) {
			json_object *fo = json_object_array_get_idx(arr, i), *dg, *y;
			const char *fn = obj_str(fo, "filename"), *url = obj_str(fo, "url");
			if (!fn || !url)
				continue;
			struct pv_pypi_file f = {0};
			char *frag = NULL;
			f.filename = strdup(fn);
			f.url = resolve_url(p->url, url, &frag);
			const char *sha = json_object_object_get_ex(fo, "digests", &dg) ? obj_str(dg, "sha256") : NULL;
			f.sha256 = sha ? pv_sha256_hex_norm(sha, strlen(sha)) : frag;
			if (sha)
				free(frag);
			const char *pt = obj_str(fo, "packagetype");
			f.kind = !pt                              ? PV_PYPI_OTHER
			         : strcmp(pt, "sdist") == 0       ? PV_PYPI_SDIST
			         : strcmp(pt, "bdist_wheel") == 0 ? PV_PYPI_WHEEL
			                                          : PV_PYPI_OTHER;
			f.upload_time = xstrdup(obj_str(fo, "upload_time_iso_8601"));
			f.yanked = json_object_object_get_ex(fo, "yanked", &y) && json_object_get_boolean(y);
			f.yanked_reason = xstrdup(obj_str(fo, "yanked_reason"));
			if (!f.filename || !f.url || file_add(r, &f) != 0) {
				file_free(&f);
				goto oom;
			}
		}
	}
	return PV_PYPI_OK;
oom:
	SETERR("pypi:%s: out of memory", p->name);
	return PV_PYPI_ENOMEM;
}

static int build_from_simple(struct pv_pypi_project *p, char *err, size_t errlen)
{
	json_object *files, *meta;
	if (!json_object_object_get_ex(p->root, "meta", &meta) ||
	    !json_object_object_get_ex(p->root, "files", &files) || !json_object_is_type(files, json_type_array)) {
		SETERR("pypi:%s: the simple page is not PEP 691 JSON", p->name);
		return PV_PYPI_BAD_DATA;
	}
	char norm[256];
	const char *pn = obj_str(p->root, "name");
	if (pn && (pv_pep503_normalize(pn, norm, sizeof norm) < 0 || strcmp(norm, p->name) != 0)) {
		SETERR("pypi:%s: the index returned a page for another project", p->name);
		return PV_PYPI_BAD_DATA;
	}
	size_t cap = 0, n = json_object_array_length(files);
	for (size_t i = 0; i < n; i++) {
		json_object *fo = json_object_array_get_idx(files, i), *hs, *y;
		const char *fn = obj_str(fo, "filename"), *url = obj_str(fo, "url");
		if (!fn || !url)
			continue;
		struct pv_pypi_file f = {0};
		char *ver = pv_pypi_filename_version(fn, p->name, &f.kind);
		if (!ver)
			continue; /* not a distribution of a version we can name */
		struct pv_pypi_release *r = release_get(p, ver, &cap);
		free(ver);
		if (!r)
			goto oom;
		char *frag = NULL;
		f.filename = strdup(fn);
		f.url = resolve_url(p->url, url, &frag);
		const char *sha = json_object_object_get_ex(fo, "hashes", &hs) ? obj_str(hs, "sha256") : NULL;
		f.sha256 = sha ? pv_sha256_hex_norm(sha, strlen(sha)) : frag;
		if (sha)
			free(frag);
		f.upload_time = xstrdup(obj_str(fo, "upload-time"));
		if (json_object_object_get_ex(fo, "yanked", &y)) {
			if (json_object_is_type(y, json_type_string)) {
				f.yanked = true;
				f.yanked_reason = xstrdup(json_object_get_string(y));
			} else {
				f.yanked = json_object_get_boolean(y);
			}
		}
		if (!f.filename || !f.url || file_add(r, &f) != 0) {
			file_free(&f);
			goto oom;
		}
	}
	return PV_PYPI_OK;
oom:
	SETERR("pypi:%s: out of memory", p->name);
	return PV_PYPI_ENOMEM;
}

static char *join3(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s%s%s", a, b, c);
	return s;
}

int pv_pypi_fetch_project(const struct pv_pypi_client *c, const char *name, struct pv_pypi_project *out,
                          char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (err && errlen)
		err[0] = '\0';
	char norm[256];
	if (!name || pv_pep503_normalize(name, norm, sizeof norm) < 0) {
		SETERR("pypi:%.200s: not a valid project name", name ? name : "(null)");
		return PV_PYPI_INVALID;
	}
	char what[300];
	snprintf(what, sizeof what, "pypi:%s", norm);
	const char *index = pv_pypi_index(c);
	char *base = pv_pipconf_json_base(index);
	int rc = PV_PYPI_NOT_FOUND;
	out->name = strdup(norm);
	if (!out->name)
		goto oom;
	if (base) {
		char mid[300];
		snprintf(mid, sizeof mid, "pypi/%s/json", norm);
		out->url = join3(base, mid, "");
		if (!out->url)
			goto oom;
		rc = fetch_doc(c, out->url, NULL, what, &out->root, &out->from_cache, &out->revalidated, err, errlen);
		if (rc == PV_PYPI_OK)
			rc = build_from_json(out, err, errlen);
	}
	if (rc == PV_PYPI_NOT_FOUND) {
		char errjson[512];
		snprintf(errjson, sizeof errjson, "%s", err ? err : "");
		free(out->url);
		bool slash = index[0] && index[strlen(index) - 1] == '/';
		out->url = join3(index, slash ? norm : "/", slash ? "/" : "");
		if (out->url && !slash) {
			char *u = join3(out->url, norm, "/");
			free(out->url);
			out->url = u;
		}
		if (!out->url)
			goto oom;
		out->from_simple = true;
		rc = fetch_doc(c, out->url, PV_PYPI_SIMPLE_ACCEPT, what, &out->root, &out->from_cache,
		               &out->revalidated, err, errlen);
		if (rc == PV_PYPI_OK)
			rc = build_from_simple(out, err, errlen);
		else if (rc == PV_PYPI_NOT_FOUND && base)
			SETERR("pypi:%s: no such project (HTTP 404 from the JSON API and the simple index %s)", norm,
			       out->url);
	}
	free(base);
	if (rc != PV_PYPI_OK)
		pv_pypi_project_free(out);
	else
		for (size_t i = 0; i < out->nreleases; i++) {
			struct pv_pypi_release *r = &out->releases[i];
			r->yanked = r->nfiles > 0;
			for (size_t j = 0; j < r->nfiles; j++)
				if (!r->files[j].yanked)
					r->yanked = false;
		}
	return rc;
oom:
	free(base);
	pv_pypi_project_free(out);
	SETERR("%s: out of memory", what);
	return PV_PYPI_ENOMEM;
}

int pv_pypi_fetch_version_doc(const struct pv_pypi_client *c, const char *name, const char *version,
                              json_object **doc, char *err, size_t errlen)
{
	*doc = NULL;
	char norm[256];
	struct pv_pep440 v;
	if (!name || pv_pep503_normalize(name, norm, sizeof norm) < 0 || !version ||
	    pv_pep440_parse(version, &v) != 0 || strpbrk(version, "/?#% ")) {
		SETERR("pypi:%.200s==%.100s: not a valid project name and version", name ? name : "(null)",
		       version ? version : "(null)");
		return PV_PYPI_INVALID;
	}
	char what[400];
	snprintf(what, sizeof what, "pypi:%s==%s", norm, version);
	char *base = pv_pipconf_json_base(pv_pypi_index(c));
	if (!base) {
		SETERR("%s: the index %s has no JSON API", what, pv_pypi_index(c));
		return PV_PYPI_NOT_FOUND;
	}
	char mid[600];
	snprintf(mid, sizeof mid, "pypi/%s/%s/json", norm, version);
	char *url = join3(base, mid, "");
	free(base);
	if (!url) {
		SETERR("%s: out of memory", what);
		return PV_PYPI_ENOMEM;
	}
	bool fc, rv;
	int rc = fetch_doc(c, url, NULL, what, doc, &fc, &rv, err, errlen);
	free(url);
	return rc;
}

/* ---- resolution ---- */

int pv_pypi_resolve(const struct pv_pypi_project *p, const char *spec, bool allow_pre,
                    const struct pv_pypi_release **rel, char *err, size_t errlen)
{
	*rel = NULL;
	const char *name = p->name ? p->name : "?";
	if (!spec)
		spec = "";
	struct pv_pep440_spec *sp = NULL;
	char perr[200];
	int pr = pv_pep440_spec_parse(spec, &sp, perr, sizeof perr);
	if (pr == -2) {
		SETERR("pypi:%s: out of memory", name);
		return PV_PYPI_ENOMEM;
	}
	if (pr != 0) {
		SETERR("pypi:%s: invalid version specifier \"%.200s\" (%s)", name, spec, perr);
		return PV_PYPI_INVALID;
	}
	/* A single == / === clause without a wildcard pins a version. */
	const char *t = spec;
	while (isspace((unsigned char)*t))
		t++;
	bool pinned = strncmp(t, "==", 2) == 0 && !strchr(t, ',') && !strchr(t, '*');
	struct pv_pep440 best, v;
	const struct pv_pypi_release *sel = NULL;
	for (size_t i = 0; i < p->nreleases; i++) {
		const struct pv_pypi_release *r = &p->releases[i];
		if (r->nfiles == 0 || pv_pep440_parse(r->version, &v) != 0)
			continue;
		if (!pv_pep440_spec_contains(sp, &v, allow_pre))
			continue;
		if (r->yanked && !pinned)
			continue;
		if (!sel || pv_pep440_cmp(&v, &best) > 0) {
			sel = r;
			best = v;
		}
	}
	pv_pep440_spec_free(sp);
	if (!sel) {
		SETERR("pypi:%s%.200s: no release matches", name, *t ? t : " (latest)");
		return PV_PYPI_NO_MATCH;
	}
	*rel = sel;
	return PV_PYPI_OK;
}

static int cmp_fn(const struct pv_pypi_release *r, size_t a, size_t b)
{
	const struct pv_pypi_file *fa = &r->files[a], *fb = &r->files[b];
	int ka = fa->kind == PV_PYPI_SDIST ? 0 : 1, kb = fb->kind == PV_PYPI_SDIST ? 0 : 1;
	if (ka != kb)
		return ka - kb;
	return strcmp(fa->filename, fb->filename);
}

int pv_pypi_select_files(const struct pv_pypi_project *p, const struct pv_pypi_release *rel,
                         const char *filename, size_t **idx, size_t *n, char *err, size_t errlen)
{
	*idx = NULL;
	*n = 0;
	const char *name = p && p->name ? p->name : "?";
	size_t *v = malloc((rel->nfiles ? rel->nfiles : 1) * sizeof *v);
	if (!v) {
		SETERR("pypi:%s: out of memory", name);
		return PV_PYPI_ENOMEM;
	}
	size_t k = 0;
	for (size_t i = 0; i < rel->nfiles; i++) {
		const struct pv_pypi_file *f = &rel->files[i];
		if (filename ? strcmp(f->filename, filename) == 0 : f->kind != PV_PYPI_OTHER)
			v[k++] = i;
	}
	/* insertion sort: sdists first, then by filename */
	for (size_t i = 1; i < k; i++)
		for (size_t j = i; j > 0 && cmp_fn(rel, v[j - 1], v[j]) > 0; j--) {
			size_t tmp = v[j];
			v[j] = v[j - 1];
			v[j - 1] = tmp;
		}
	if (k == 0) {
		free(v);
		if (filename)
			SETERR("pypi:%s==%s: no file named %.200s", name, rel->version, filename);
		else
			SETERR("pypi:%s==%s: no sdist or wheel", name, rel->version);
		return PV_PYPI_NO_MATCH;
	}
	*idx = v;
	*n = k;
	return PV_PYPI_OK;
}

int pv_pypi_fetch_file(const struct pv_pypi_client *c, const struct pv_pypi_project *p,
                       const struct pv_pypi_file *f, unsigned char **data, size_t *len,
                       char *err, size_t errlen)
{
	*data = NULL;
	*len = 0;
	if (err && errlen)
		err[0] = '\0';
	const char *name = p && p->name ? p->name : "?";
	if (!f->sha256) {
		SETERR("pypi:%s: %s: the index gives no sha256 for this file", name, f->filename);
		return PV_PYPI_BAD_DATA;
	}
	if (!(strncmp(f->url, "https://", 8) == 0 || strncmp(f->url, "http://", 7) == 0)) {
		SETERR("pypi:%s: %s: the file URL is not http(s)", name, f->filename);
		return PV_PYPI_BAD_DATA;
	}
	char what[400];
	snprintf(what, sizeof what, "pypi:%s file %s", name, f->filename);
	struct pv_http_req req = {.url = f->url, .max_body = PV_PYPI_FILE_MAX};
	pv_http_fetch(&req, c->http);
	int rc = map_http(&req, what, err, errlen);
	if (rc == PV_PYPI_OK && req.result != PV_HTTP_OK) {
		SETERR("%s: unexpected answer (%s)", what, pv_http_result_name(req.result));
		rc = PV_PYPI_BAD_DATA;
	}
	if (rc == PV_PYPI_OK) {
		char got[72];
		if (pv_sha256_hex(req.body, req.len, got, sizeof got) != 0) {
			SETERR("%s: digest computation failed", what);
			rc = PV_PYPI_ENOMEM;
		} else if (strcmp(got, f->sha256) != 0) {
			SETERR("sha256 mismatch for %s (pypi:%s): expected %s got %s", f->filename, name, f->sha256, got);
			rc = PV_PYPI_DIGEST;
		}
	}
	if (rc == PV_PYPI_OK) {
		*data = (unsigned char *)req.body;
		*len = req.len;
		req.body = NULL;
	}
	pv_http_req_free(&req);
	return rc;
}
