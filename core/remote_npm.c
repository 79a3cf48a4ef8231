/* remote_npm.c - vet "npm:NAME[@SPEC]" from the registry: packument,
 * version, tarball with its integrity checked, code analysis from memory,
 * metadata attributes, manifest-mismatch, OSV. */
#include "remote_npm.h"
#include "digest.h"
#include "manifest.h"
#include "npmrc.h"
#include "osv.h"
#include "pkgtree.h"
#include "registry_npm.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define DETAIL_MAX 600
#define VALUE_MAX 80 /* bytes of a manifest value quoted in a detail */

bool pv_is_npm_spec(const char *input)
{
	return input && strncmp(input, "npm:", 4) == 0;
}

/* "NAME[@SPEC]" -> malloc'd name, spec pointing into s ("" when none). */
static char *split_spec(const char *s, const char **spec)
{
	const char *at = strchr(s[0] == '@' ? s + 1 : s, '@');
	size_t n = at ? (size_t)(at - s) : strlen(s);
	*spec = at ? at + 1 : "";
	char *name = malloc(n + 1);
	if (name) {
		memcpy(name, s, n);
		name[n] = 0;
	}
	return name;
}

static json_object *member(json_object *o, const char *key)
{
	json_object *v = NULL;
	if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

/* A value as text for comparison and display: strings as they are, other
 * JSON as JSON, absent as NULL. */
static const char *text_of(json_object *v)
{
	if (!v)
		return NULL;
	if (json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
}

static bool same_text(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Append "; what" to buf (bounded; a cut is marked with "…"). */
static void append(char *buf, size_t len, const char *what)
{
	size_t used = strlen(buf);
	if (used + 4 >= len)
		return;
	int w = snprintf(buf + used, len - used, "%s%s", used ? "; " : "", what);
	if (w < 0 || (size_t)w >= len - used)
		snprintf(buf + len - 4, 4, "%s", "\xe2\x80\xa6");
}

static void quote(char *out, size_t len, const char *v)
{
	if (!v)
		snprintf(out, len, "(none)");
	else
		snprintf(out, len, "\"%.*s%s\"", VALUE_MAX, v, strlen(v) > VALUE_MAX ? "\xe2\x80\xa6" : "");
}

static int mismatch(struct pv_package *pkg, const char *field, const char *what)
{
	char detail[DETAIL_MAX];
	snprintf(detail, sizeof detail, "registry manifest and tarball package.json differ in %s: %s",
	         field, what);
	return pv_findings_add_each(&pkg->findings, "manifest-mismatch", NULL, 0, NULL, 0, detail,
	                            false);
}

static int compare_value(struct pv_package *pkg, const char *field, const char *reg,
                         const char *tar)
{
	if (same_text(reg, tar))
		return 0;
	char a[VALUE_MAX + 16], b[VALUE_MAX + 16], what[2 * VALUE_MAX + 64];
	quote(a, sizeof a, reg);
	quote(b, sizeof b, tar);
	snprintf(what, sizeof what, "registry %s, tarball %s", a, b);
	return mismatch(pkg, field, what);
}

/* npm writes "" as "*" when it normalises a dependency spec. */
static bool same_spec(const char *a, const char *b)
{
	if (a && !*a)
		a = "*";
	if (b && !*b)
		b = "*";
	return same_text(a, b);
}

/* Compare two name -> spec maps. alt (may be NULL) is a second tarball map
 * an entry of reg may come from (npm copies optionalDependencies into
 * dependencies when it publishes). */
static int compare_map(struct pv_package *pkg, const char *field, json_object *reg,
                       json_object *tar, json_object *alt)
{
	char diff[DETAIL_MAX - 120] = "", one[4 * VALUE_MAX + 64];
	bool differ = false;
	if (reg && !json_object_is_type(reg, json_type_object))
		reg = NULL;
	if (tar && !json_object_is_type(tar, json_type_object))
		tar = NULL;
	if (reg) {
		json_object_object_foreach(reg, k, v) {
			json_object *t = member(tar, k);
			if (!t)
				t = member(alt, k);
			if (t && same_spec(text_of(v), text_of(t)))
				continue;
			differ = true;
			if (t)
				snprintf(one, sizeof one, "%.*s is %.*s in the registry, %.*s in the tarball",
				         VALUE_MAX, k, VALUE_MAX, text_of(v), VALUE_MAX, text_of(t));
			else
				snprintf(one, sizeof one, "%.*s only in the registry", VALUE_MAX, k);
			append(diff, sizeof diff, one);
		}
	}
	if (tar) {
		json_object_object_foreach(tar, k, v) {
			(void)v;
			if (member(reg, k))
				continue;
			differ = true;
			snprintf(one, sizeof one, "%.*s only in the tarball", VALUE_MAX, k);
			append(diff, sizeof diff, one);
		}
	}
	return differ ? mismatch(pkg, field, diff) : 0;
}

/* bin as npm publishes it: a string becomes {unscoped name: path}; paths
 * lose a leading "./". Returns a new object (caller puts it) or NULL. */
static json_object *normalise_bin(json_object *bin, const char *name)
{
	json_object *out = json_object_new_object();
	if (!out || !bin)
		return out;
	if (json_object_is_type(bin, json_type_string)) {
		const char *slash = strchr(name, '/');
		json_object_object_add(out, slash ? slash + 1 : name, json_object_get(bin));
	} else if (json_object_is_type(bin, json_type_object)) {
		json_object_object_foreach(bin, k, v)
			json_object_object_add(out, k, json_object_get(v));
	} else {
		json_object_put(out);
		return json_object_get(bin); /* odd value: compared as it is */
	}
	json_object_object_foreach(out, k, v) {
		const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
		if (!s)
			continue;
		const char *p = s;
		while (p[0] == '.' && p[1] == '/')
			p += 2;
		if (p != s)
			json_object_object_add(out, k, json_object_new_string(p));
	}
	return out;
}

#define README_MAX (64u << 10) /* enough to judge no-readme's threshold */

/* The package's README file (README, README.md, readme.markdown, ...) beside
 * its package.json, as a JSON string, or NULL. */
static json_object *tarball_readme(const struct pv_tree *tree, const char *root)
{
	size_t rl = strlen(root);
	for (size_t i = 0; i < tree->n; i++) {
		const char *p = tree->v[i].path;
		if (strncmp(p, root, rl) != 0 || strchr(p + rl, '/') || strncasecmp(p + rl, "readme", 6) != 0)
			continue;
		size_t n = tree->v[i].len < README_MAX ? tree->v[i].len : README_MAX;
		return json_object_new_string_len(tree->v[i].data, (int)n);
	}
	return NULL;
}

/* The tarball's package.json, parsed (NULL when it cannot be had); *gyp
 * says whether a binding.gyp sits beside it; *readme gets its README (or NULL). */
static json_object *tarball_manifest(const void *data, size_t len, const struct pv_limits *lim,
                                     bool *gyp, json_object **readme)
{
	struct pv_tree tree = {0};
	struct pv_findings scratch = {0};
	struct pv_manifest man;
	char err[256];
	json_object *doc = NULL;
	*gyp = false;
	*readme = NULL;
	enum pv_read_status rs = pv_tree_read_mem(data, len, "tarball", lim, &tree, &scratch, err,
	                                          sizeof err);
	if (rs == PV_READ_OK) {
		memset(&man, 0, sizeof man);
		if (pv_manifest_read(&tree, &man, &scratch, err, sizeof err) == 0 &&
		    man.manifest_path && strcmp(man.ecosystem, "npm") == 0) {
			long i = pv_tree_find(&tree, man.manifest_path);
			if (i >= 0)
				doc = json_tokener_parse(tree.v[i].data);
			char gp[4200];
			snprintf(gp, sizeof gp, "%sbinding.gyp", man.root ? man.root : "");
			*gyp = pv_tree_find(&tree, gp) >= 0;
			*readme = tarball_readme(&tree, man.root ? man.root : "");
		}
		pv_manifest_free(&man);
	}
	pv_tree_free(&tree);
	pv_findings_free(&scratch);
	if (doc && !json_object_is_type(doc, json_type_object)) {
		json_object_put(doc);
		doc = NULL;
	}
	return doc;
}

/* manifest-mismatch: the registry's manifest (versions[V]) against the
 * package.json inside the tarball. */
static int check_manifest(struct pv_package *pkg, json_object *reg, json_object *tar, bool gyp,
                          const char *name)
{
	static const char *const scripts[] = {"preinstall", "install", "postinstall", "prepare"};
	json_object *rs = member(reg, "scripts"), *ts = member(tar, "scripts");
	for (size_t i = 0; i < sizeof scripts / sizeof *scripts; i++) {
		const char *r = text_of(member(rs, scripts[i]));
		const char *t = text_of(member(ts, scripts[i]));
		/* npm publish adds this for a package with a binding.gyp and no
		 * install script of its own: not a confusion. */
		if (i == 1 && !t && gyp && !member(ts, "preinstall") && same_text(r, "node-gyp rebuild"))
			continue;
		char field[32];
		snprintf(field, sizeof field, "scripts.%s", scripts[i]);
		if (compare_value(pkg, field, r, t) < 0)
			return -1;
	}
	if (compare_map(pkg, "dependencies", member(reg, "dependencies"), member(tar, "dependencies"),
	                member(tar, "optionalDependencies")) < 0 ||
	    compare_map(pkg, "optionalDependencies", member(reg, "optionalDependencies"),
	                member(tar, "optionalDependencies"), NULL) < 0)
		return -1;
	/* directories.bin is expanded by npm at publish time: nothing to compare. */
	if (member(tar, "bin") || !member(member(tar, "directories"), "bin")) {
		json_object *rb = normalise_bin(member(reg, "bin"), name);
		json_object *tb = normalise_bin(member(tar, "bin"), name);
		int rc = 0;
		if (!rb || !tb)
			rc = -1;
		else if (json_object_is_type(rb, json_type_object) && json_object_is_type(tb, json_type_object))
			rc = compare_map(pkg, "bin", rb, tb, NULL);
		else
			rc = compare_value(pkg, "bin", text_of(rb), text_of(tb));
		json_object_put(rb);
		json_object_put(tb);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int check_osv(struct pv_package *pkg, const char *name, const char *version,
                     const struct pv_remote_npm_opts *o, const struct pv_http_opts *http)
{
	struct pv_osv_query q = {.ecosystem = "npm", .name = name, .version = version};
	char err[600];
	int qrc = pv_meta_services_osv(&o->services, &q, o->audit ? o->audit->cache : NULL, http, err,
	                               sizeof err);
	int rc = pv_meta_services_osv_apply(pkg, &q, qrc, err);
	pv_osv_query_free(&q);
	return rc;
}

/* Warm audits skip the download: a tarball vetted before is remembered
 * under "npm-vetted:<sha256 of name, version and the registry manifest>"
 * -> "sha256:…" (the tarball's digest), and its vetted findings (analysis
 * and manifest-mismatch) under that digest with a registry-specific
 * analyser id. The manifest (with its dist.integrity, a digest of the
 * tarball) is in the key because manifest-mismatch compares the two: the
 * same tarball under another name or another manifest is vetted afresh. */
static void registry_key(char *buf, size_t n)
{
	snprintf(buf, n, "%s+npm-registry", pv_analyser_id);
}

static const char *dist_integrity(json_object *manifest)
{
	json_object *dist = member(manifest, "dist");
	return text_of(member(dist, "integrity"));
}

/* "npm-vetted:<hex>" into key; false when there is nothing to key on. */
static bool vetted_key(char *key, size_t n, const char *name, const char *version, json_object *manifest)
{
	const char *sri = dist_integrity(manifest);
	const char *mj = manifest ? json_object_to_json_string_ext(manifest, JSON_C_TO_STRING_PLAIN) : NULL;
	if (!sri || !mj)
		return false;
	size_t ln = strlen(name), lv = strlen(version), lm = strlen(mj);
	unsigned char *buf = malloc(ln + lv + lm + 2);
	if (!buf)
		return false;
	memcpy(buf, name, ln + 1);
	memcpy(buf + ln + 1, version, lv + 1);
	memcpy(buf + ln + lv + 2, mj, lm);
	char hex[72];
	int rc = pv_sha256_hex(buf, ln + lv + lm + 2, hex, sizeof hex);
	free(buf);
	if (rc < 0)
		return false;
	snprintf(key, n, "npm-vetted:%s", hex);
	return true;
}

/* Fill pkg from the cache when this exact tarball was vetted before under
 * this name, version and manifest. */
static bool vetted_before(struct pv_package *pkg, const struct pv_remote_npm_opts *o, const char *label,
                          const char *name, const char *version, json_object *manifest)
{
	struct pv_cache *c = o->audit ? o->audit->cache : NULL;
	const char *sri = dist_integrity(manifest);
	char key[128], id[256], *digest = NULL, *etag = NULL;
	/* A lockfile's integrity must be the very digest the cache knows. */
	if (!c || !sri || (o->integrity && *o->integrity && strcmp(o->integrity, sri) != 0) ||
	    !vetted_key(key, sizeof key, name, version, manifest))
		return false;
	size_t dl = 0;
	bool fresh = false;
	if (pv_cache_get_meta(c, key, INT64_MAX / 2, &digest, &dl, &etag, &fresh) != PV_CACHE_OK) {
		free(etag);
		return false;
	}
	free(etag);
	registry_key(id, sizeof id);
	struct pv_package tmp;
	memset(&tmp, 0, sizeof tmp);
	bool hit = digest && pv_cache_get_package(c, digest, id, &tmp) == PV_CACHE_OK;
	free(digest);
	if (!hit) {
		pv_package_free(&tmp);
		return false;
	}
	tmp.input = strdup(label);
	tmp.cached = true;
	if (!tmp.input || pv_package_set_identity(&tmp, "npm", name, version, o->audit) < 0) {
		pv_package_free(&tmp);
		return false;
	}
	pv_package_free(pkg);
	*pkg = tmp;
	return true;
}

static void remember_vetted(const struct pv_package *pkg, const struct pv_remote_npm_opts *o,
                            const char *name, const char *version, json_object *manifest)
{
	struct pv_cache *c = o->audit ? o->audit->cache : NULL;
	char key[128], id[256];
	if (!c || !pkg->digest[0] || pkg->status != PV_PKG_OK ||
	    !vetted_key(key, sizeof key, name, version, manifest))
		return;
	registry_key(id, sizeof id);
	if (pv_cache_put_package(c, id, pkg) == PV_CACHE_OK)
		(void)pv_cache_put_meta(c, key, pkg->digest, strlen(pkg->digest), NULL);
}

/* Everything after the tarball was fetched and verified. */
/* The readme for pv_meta_npm: registries and mirrors that leave it out of
 * the packument get the tarball's own README, the readme npm would show. */
static void supply_readme(const struct pv_npm_packument *pm, json_object *reg_manifest, json_object *readme)
{
	json_object *have = NULL;
	if (!readme || json_object_object_get_ex(pm->root, "readme", &have) ||
	    (reg_manifest && json_object_object_get_ex(reg_manifest, "readme", &have)) ||
	    json_object_object_add(pm->root, "readme", json_object_get(readme)) != 0)
		return;
}

static json_object *cached_readme(const struct pv_remote_npm_opts *o, json_object *manifest)
{
	struct pv_cache *c = o->audit ? o->audit->cache : NULL;
	const char *sri = dist_integrity(manifest);
	char key[600], *body = NULL, *etag = NULL;
	size_t len = 0;
	bool fresh;
	if (!c || !sri || strlen(sri) > 512)
		return NULL;
	snprintf(key, sizeof key, "npm-readme:%s", sri);
	json_object *r = NULL;
	if (pv_cache_get_meta(c, key, INT64_MAX / 2, &body, &len, &etag, &fresh) == PV_CACHE_OK && body)
		r = json_object_new_string_len(body, (int)len);
	free(body);
	free(etag);
	return r;
}

static void remember_readme(const struct pv_remote_npm_opts *o, json_object *manifest, json_object *readme)
{
	struct pv_cache *c = o->audit ? o->audit->cache : NULL;
	const char *sri = dist_integrity(manifest);
	if (!c || !sri || strlen(sri) > 512 || !readme)
		return;
	char key[600];
	snprintf(key, sizeof key, "npm-readme:%s", sri);
	(void)pv_cache_put_meta(c, key, json_object_get_string(readme),
	                        (size_t)json_object_get_string_len(readme), NULL);
}

/* The tarball's code and manifest, after it was fetched and verified. */
static int vet_tarball(struct pv_package *pkg, const struct pv_npm_packument *pm, const char *name,
                       const char *version, json_object *reg_manifest, const unsigned char *data,
                       size_t len, const struct pv_remote_npm_opts *o)
{
	char label[1024];
	snprintf(label, sizeof label, "npm:%s@%s", name, version);
	if (pv_package_audit_mem(pkg, label, data, len, o->audit) < 0)
		return -1;
	if (pkg->status != PV_PKG_OK)
		return 0;
	/* What the tarball says it is must be what the registry says it is. */
	if (!same_text(pkg->name, name) && compare_value(pkg, "name", name, pkg->name) < 0)
		return -1;
	if (!same_text(pkg->version, version) && compare_value(pkg, "version", version, pkg->version) < 0)
		return -1;
	if (pv_package_set_identity(pkg, "npm", name, version, o->audit) < 0)
		return -1;

	bool gyp = false;
	json_object *readme = NULL;
	json_object *tar = tarball_manifest(data, len, &o->audit->limits, &gyp, &readme);
	int rc = 0;
	if (tar && reg_manifest)
		rc = check_manifest(pkg, reg_manifest, tar, gyp, name);
	json_object_put(tar);
	if (rc == 0) {
		remember_vetted(pkg, o, name, version, reg_manifest);
		remember_readme(o, reg_manifest, readme);
		supply_readme(pm, reg_manifest, readme);
	}
	json_object_put(readme);
	return rc;
}

/* What the registry knows about the version: metadata attributes and OSV. */
static int vet_registry(struct pv_package *pkg, const struct pv_npm_packument *pm, const char *name,
                        const char *version, const struct pv_remote_npm_opts *o,
                        const struct pv_http_opts *http)
{
	struct pv_meta_input in = {.now = time(NULL), .th = o->th};
	struct pv_meta_status ms = {0};
	char why[300];
	pv_meta_services_prepare(&o->services, "npm", name, o->audit ? o->audit->cache : NULL, http, &in,
	                         why, sizeof why);
	if (pv_meta_npm(pm->root, version, &in, &pkg->findings, &ms) < 0 && pkg->findings.oom)
		return -1;
	if (pv_meta_services_unknowns(pkg, &ms, &o->services, why) < 0)
		return -1;
	if (check_osv(pkg, name, version, o, http) < 0)
		return -1;
	return pkg->findings.oom ? -1 : 0;
}

int pv_audit_npm_spec(struct pv_package *pkg, const char *input, const struct pv_remote_npm_opts *o)
{
	memset(pkg, 0, sizeof *pkg);
	pkg->input = strdup(input);
	pkg->ecosystem = strdup("npm");
	if (!pkg->input || !pkg->ecosystem)
		return -1;
	const char *spec;
	char *name = split_spec(input + 4, &spec);
	if (!name)
		return -1;
	char err[1024] = "";
	if (!pv_npm_name_valid(name)) {
		snprintf(err, sizeof err, "not a valid npm package name: \"%.200s\"", name);
		free(name);
		return pv_package_fail(pkg, err);
	}

	struct pv_http_opts http = pv_http_opts_default();
	if (o->timeout_s) {
		long ms = (long)o->timeout_s * 1000L;
		http.total_timeout_ms = ms;
		if (http.connect_timeout_ms > ms)
			http.connect_timeout_ms = ms;
	}
	char *registry = NULL;
	if (o->registry && *o->registry) {
		size_t n = strlen(o->registry);
		registry = malloc(n + 2);
		if (!registry) {
			free(name);
			return -1;
		}
		memcpy(registry, o->registry, n + 1);
		if (registry[n - 1] != '/')
			memcpy(registry + n, "/", 2);
	}
	struct pv_npmrc cfg;
	struct pv_npm_packument pm = {0};
	unsigned char *data = NULL;
	size_t len = 0;
	int rc = 0;
	if (pv_npmrc_load(&cfg, o->project_dir, NULL, err, sizeof err) < 0) {
		char msg[1100];
		snprintf(msg, sizeof msg, "npm configuration: %s", err);
		rc = pv_package_fail(pkg, msg);
		goto out;
	}
	/* npm's own `cafile` applies to its registry, unless pkgvet's is set. */
	const char *own_ca = getenv("PKGVET_CA_BUNDLE");
	if (cfg.cafile && !(own_ca && *own_ca))
		http.ca_file = cfg.cafile;
	struct pv_npm_client client = {.cfg = &cfg, .registry = registry,
	                               .cache = o->audit ? o->audit->cache : NULL, .http = &http};
	const char *version = NULL;
	json_object *manifest = NULL;
	int trc = PV_NPM_OK;
	if (pv_npm_fetch_packument(&client, name, &pm, err, sizeof err) != PV_NPM_OK ||
	    pv_npm_resolve(&pm, spec, &version, &manifest, err, sizeof err) != PV_NPM_OK) {
		rc = pv_package_fail(pkg, err);
		goto out;
	}
	char label[1024];
	snprintf(label, sizeof label, "npm:%s@%s", name, version);
	if (vetted_before(pkg, o, label, name, version, manifest)) {
		json_object *readme = cached_readme(o, manifest);
		supply_readme(&pm, manifest, readme);
		json_object_put(readme);
		rc = vet_registry(pkg, &pm, name, version, o, &http);
		goto out;
	}
	if ((trc = pv_npm_fetch_tarball(&client, &pm, version, &data, &len, err, sizeof err)) != PV_NPM_OK) {
		/* Bytes other than the registry promised are a verdict, not a failure. */
		if (trc == PV_NPM_INTEGRITY)
			rc = pv_package_digest_mismatch(pkg, "npm", name, version, err);
		else
			rc = pv_package_fail(pkg, err);
		goto out;
	}
	if (o->integrity && *o->integrity &&
	    pv_npm_check_integrity(name, version, data, len, o->integrity, NULL, err, sizeof err) !=
	        PV_NPM_OK) {
		char msg[1100];
		snprintf(msg, sizeof msg, "the lockfile's integrity differs from the registry's: %s", err);
		rc = pv_package_digest_mismatch(pkg, "npm", name, version, msg);
		goto out;
	}
	/* pkg is rebuilt by the analysis. */
	pv_package_free(pkg);
	rc = vet_tarball(pkg, &pm, name, version, manifest, data, len, o);
	if (rc == 0 && pkg->status == PV_PKG_OK)
		rc = vet_registry(pkg, &pm, name, version, o, &http);
	if (!pkg->input)
		rc = -1;
out:
	free(data);
	pv_npm_packument_free(&pm);
	pv_npmrc_free(&cfg);
	free(registry);
	free(name);
	return rc;
}
