/* remote_pypi.c - vet "pypi:NAME[SPEC]" from a Python package index: the
 * project, the release the specifier selects, each of its files with its
 * sha256 checked, code analysis from memory, metadata attributes, OSV. */
#include "remote_pypi.h"
#include "osv.h"
#include "pipconf.h"
#include "registry_pypi.h"

#include <ctype.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DETAIL_MAX 600

bool pv_is_pypi_spec(const char *input)
{
	return input && strncmp(input, "pypi:", 5) == 0;
}

/* A fresh entry for input, "pypi" ecosystem. 0 or -1. */
static int entry_init(struct pv_package *pkg, const char *input)
{
	memset(pkg, 0, sizeof *pkg);
	pkg->input = strdup(input);
	pkg->ecosystem = strdup("pypi");
	return pkg->input && pkg->ecosystem ? 0 : -1;
}

/* "NAME[extras] SPEC" -> malloc'd name, spec (malloc'd, trimmed; "" when
 * none). Extras are accepted and ignored: they do not change the files. */
static int split_spec(const char *s, char **name, char **spec)
{
	size_t n = 0;
	while (s[n] && (isalnum((unsigned char)s[n]) || s[n] == '.' || s[n] == '_' || s[n] == '-'))
		n++;
	const char *r = s + n;
	while (*r == ' ' || *r == '\t')
		r++;
	if (*r == '[') {
		const char *close = strchr(r, ']');
		r = close ? close + 1 : r + strlen(r);
	}
	while (*r == ' ' || *r == '\t')
		r++;
	size_t m = strlen(r);
	while (m && (r[m - 1] == ' ' || r[m - 1] == '\t'))
		m--;
	*name = malloc(n + 1);
	*spec = malloc(m + 1);
	if (!*name || !*spec) {
		free(*name);
		free(*spec);
		*name = *spec = NULL;
		return -1;
	}
	memcpy(*name, s, n);
	(*name)[n] = 0;
	memcpy(*spec, r, m);
	(*spec)[m] = 0;
	return 0;
}

static bool name_valid(const char *name)
{
	size_t n = strlen(name);
	return n > 0 && n <= 200 && isalnum((unsigned char)name[0]) &&
	       isalnum((unsigned char)name[n - 1]);
}

/* The OSV answer for the release, added to one file's entry. */

/* The document pv_meta_pypi reads: the project's releases with the
 * version's own info (its requires_dist) and urls when the per-version
 * document was had. New reference (caller puts it), or NULL. */
static json_object *meta_doc(const struct pv_pypi_project *p, json_object *vdoc)
{
	json_object *out = json_object_new_object(), *v;
	if (!out)
		return NULL;
	json_object *src = vdoc ? vdoc : p->root;
	if (json_object_object_get_ex(src, "info", &v) ||
	    json_object_object_get_ex(p->root, "info", &v))
		json_object_object_add(out, "info", json_object_get(v));
	if (json_object_object_get_ex(src, "urls", &v))
		json_object_object_add(out, "urls", json_object_get(v));
	if (json_object_object_get_ex(p->root, "releases", &v))
		json_object_object_add(out, "releases", json_object_get(v));
	return out;
}

/* Everything after one file was fetched and verified. */
static int vet_file(struct pv_package *pkg, const struct pv_pypi_project *p, const char *version,
                    const struct pv_pypi_file *f, const unsigned char *data, size_t len,
                    json_object *mdoc, const struct pv_meta_input *svc, const char *svc_why,
                    const struct pv_osv_query *q, int osv_rc, const char *osv_err,
                    const struct pv_remote_pypi_opts *o)
{
	char label[1400];
	snprintf(label, sizeof label, "pypi:%.200s==%.200s (%.900s)", p->name, version, f->filename);
	if (pv_package_audit_mem(pkg, label, data, len, o->audit) < 0)
		return -1;
	if (pkg->status != PV_PKG_OK)
		return 0;
	if (pv_package_set_identity(pkg, "pypi", p->name, version, o->audit) < 0)
		return -1;
	if (mdoc) {
		struct pv_meta_input in = *svc;
		in.now = time(NULL);
		in.th = o->th;
		struct pv_meta_status ms = {0};
		if (pv_meta_pypi(mdoc, version, &in, &pkg->findings, &ms) < 0 && pkg->findings.oom)
			return -1;
		if (pv_meta_services_unknowns(pkg, &ms, &o->services, svc_why) < 0)
			return -1;
	} else if (pv_package_add_unknown(pkg, "metadata attributes not evaluated (the index has no "
	                                       "JSON API)") < 0) {
		return -1;
	}
	if (pv_meta_services_osv_apply(pkg, q, osv_rc, osv_err) < 0)
		return -1;
	return pkg->findings.oom ? -1 : 0;
}

/* One error entry for the whole spec. */
static int one_error(struct pv_package **pkgs, size_t *n, const char *input, const char *msg)
{
	*pkgs = calloc(1, sizeof **pkgs);
	if (!*pkgs)
		return -1;
	*n = 1;
	if (entry_init(&(*pkgs)[0], input) < 0 || pv_package_fail(&(*pkgs)[0], msg) < 0) {
		pv_package_free(&(*pkgs)[0]);
		free(*pkgs);
		*pkgs = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

/* HTTP options from o's timeout; pip's configuration with o's index
 * override. 0, -1 (configuration unreadable: err), -2 ENOMEM. */
static int client_setup(const struct pv_remote_pypi_opts *o, struct pv_pipconf *cfg,
                        struct pv_http_opts *http, char *err, size_t errlen)
{
	*http = pv_http_opts_default();
	if (o->timeout_s) {
		long ms = (long)o->timeout_s * 1000L;
		http->total_timeout_ms = ms;
		if (http->connect_timeout_ms > ms)
			http->connect_timeout_ms = ms;
	}
	if (pv_pipconf_load(cfg, NULL, err, errlen) < 0)
		return -1;
	if (o->index_url && *o->index_url && pv_pipconf_set_index(cfg, o->index_url) < 0)
		return -2;
	return 0;
}

int pv_audit_pypi_spec(struct pv_package **pkgs, size_t *n, const char *input,
                       const struct pv_remote_pypi_opts *o)
{
	*pkgs = NULL;
	*n = 0;
	char *name, *spec;
	if (split_spec(input + 5, &name, &spec) < 0)
		return -1;
	char err[1024] = "";
	int rc = 0;
	struct pv_pipconf cfg = {0};
	struct pv_pypi_project proj = {0};
	json_object *vdoc = NULL, *mdoc = NULL;
	size_t *idx = NULL, nidx = 0;
	struct pv_osv_query q = {0};
	bool have_q = false;
	if (!name_valid(name)) {
		snprintf(err, sizeof err, "not a valid PyPI project name: \"%.200s\"", name);
		rc = one_error(pkgs, n, input, err);
		goto out;
	}

	struct pv_http_opts http;
	int crc = client_setup(o, &cfg, &http, err, sizeof err);
	if (crc < 0) {
		char msg[1100];
		snprintf(msg, sizeof msg, "pip configuration: %s", err);
		rc = crc == -2 ? -1 : one_error(pkgs, n, input, msg);
		goto out;
	}
	struct pv_pypi_client client = {.cfg = &cfg, .cache = o->audit ? o->audit->cache : NULL,
	                                .http = &http};
	const struct pv_pypi_release *rel = NULL;
	int prc = pv_pypi_fetch_project(&client, name, &proj, err, sizeof err);
	if (prc == PV_PYPI_OK)
		prc = pv_pypi_resolve(&proj, spec, false, &rel, err, sizeof err);
	if (prc == PV_PYPI_OK)
		prc = pv_pypi_select_files(&proj, rel, NULL, &idx, &nidx, err, sizeof err);
	if (prc == PV_PYPI_ENOMEM) {
		rc = -1;
		goto out;
	}
	if (prc != PV_PYPI_OK) {
		rc = one_error(pkgs, n, input, err);
		goto out;
	}

	/* Metadata and OSV are the release's: had once, added to every file. */
	if (!proj.from_simple) {
		int vrc = pv_pypi_fetch_version_doc(&client, proj.name, rel->version, &vdoc, err,
		                                    sizeof err);
		if (vrc == PV_PYPI_ENOMEM) {
			rc = -1;
			goto out;
		}
		mdoc = meta_doc(&proj, vrc == PV_PYPI_OK ? vdoc : NULL);
		if (!mdoc) {
			rc = -1;
			goto out;
		}
	}
	/* Download counts are the project's: asked once for all its files. */
	struct pv_meta_input svc = {0};
	char svc_why[300];
	pv_meta_services_prepare(&o->services, "pypi", proj.name, client.cache, &http, &svc, svc_why,
	                         sizeof svc_why);
	q.ecosystem = "PyPI";
	q.name = proj.name;
	q.version = rel->version;
	char osv_err[600];
	int osv_rc = pv_meta_services_osv(&o->services, &q, client.cache, &http, osv_err, sizeof osv_err);
	have_q = true;

	*pkgs = calloc(nidx, sizeof **pkgs);
	if (!*pkgs) {
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < nidx && rc == 0; i++) {
		const struct pv_pypi_file *f = &rel->files[idx[i]];
		struct pv_package *pkg = &(*pkgs)[i];
		unsigned char *data = NULL;
		size_t len = 0;
		*n = i + 1;
		int frc = pv_pypi_fetch_file(&client, &proj, f, &data, &len, err, sizeof err);
		if (frc == PV_PYPI_ENOMEM) {
			rc = -1;
		} else if (frc == PV_PYPI_DIGEST) {
			/* Bytes other than the index promised are a verdict, not a failure. */
			if (entry_init(pkg, input) < 0 ||
			    pv_package_digest_mismatch(pkg, "pypi", proj.name, rel->version, err) < 0)
				rc = -1;
		} else if (frc != PV_PYPI_OK) {
			if (entry_init(pkg, input) < 0 || pv_package_fail(pkg, err) < 0)
				rc = -1;
		} else {
			rc = vet_file(pkg, &proj, rel->version, f, data, len, mdoc, &svc, svc_why, &q, osv_rc, osv_err, o);
			if (rc == 0 && !pkg->input)
				rc = -1;
		}
		free(data);
	}
	if (rc < 0) {
		for (size_t i = 0; i < *n; i++)
			pv_package_free(&(*pkgs)[i]);
		free(*pkgs);
		*pkgs = NULL;
		*n = 0;
	}
out:
	if (have_q)
		pv_osv_query_free(&q);
	free(idx);
	json_object_put(mdoc);
	json_object_put(vdoc);
	pv_pypi_project_free(&proj);
	pv_pipconf_free(&cfg);
	free(name);
	free(spec);
	return rc;
}

int pv_audit_pypi_file(struct pv_package *pkg, const char *project, const char *version,
                       const char *filename, const unsigned char *data, size_t len,
                       const struct pv_remote_pypi_opts *o)
{
	memset(pkg, 0, sizeof *pkg);
	char err[1024] = "";
	struct pv_pipconf cfg = {0};
	struct pv_pypi_project proj = {0};
	json_object *vdoc = NULL, *mdoc = NULL;
	struct pv_http_opts http;
	int crc = client_setup(o, &cfg, &http, err, sizeof err);
	if (crc == -2) {
		pv_pipconf_free(&cfg);
		return -1;
	}
	struct pv_pypi_client client = {.cfg = &cfg, .cache = o->audit ? o->audit->cache : NULL,
	                                .http = &http};
	/* The release's metadata, when the index has a JSON API for it; the
	 * code is vetted either way. */
	bool have_proj = false;
	if (crc == 0) {
		int prc = pv_pypi_fetch_project(&client, project, &proj, err, sizeof err);
		if (prc == PV_PYPI_ENOMEM) {
			pv_pipconf_free(&cfg);
			return -1;
		}
		have_proj = prc == PV_PYPI_OK;
	}
	/* Without it vet_file notes the metadata attributes as not evaluated. */
	if (have_proj && !proj.from_simple) {
		int vrc = pv_pypi_fetch_version_doc(&client, proj.name, version, &vdoc, err, sizeof err);
		mdoc = vrc == PV_PYPI_ENOMEM ? NULL : meta_doc(&proj, vrc == PV_PYPI_OK ? vdoc : NULL);
	}
	struct pv_pypi_project stand_in = {.name = (char *)project};
	const struct pv_pypi_project *p = have_proj ? &proj : &stand_in;
	struct pv_meta_input svc = {0};
	char svc_why[300];
	pv_meta_services_prepare(&o->services, "pypi", p->name, client.cache, &http, &svc, svc_why,
	                         sizeof svc_why);
	struct pv_osv_query q = {.ecosystem = "PyPI", .name = p->name, .version = version};
	char osv_err[600];
	int osv_rc = pv_meta_services_osv(&o->services, &q, client.cache, &http, osv_err, sizeof osv_err);
	struct pv_pypi_file f = {.filename = (char *)filename};
	int rc = vet_file(pkg, p, version, &f, data, len, mdoc, &svc, svc_why, &q, osv_rc, osv_err, o);
	pv_osv_query_free(&q);
	json_object_put(mdoc);
	json_object_put(vdoc);
	pv_pypi_project_free(&proj);
	pv_pipconf_free(&cfg);
	return rc;
}
