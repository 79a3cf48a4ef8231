/* registry_pypi.h - the PyPI client: project metadata (JSON API, with the
 * PEP 691 JSON simple API as fallback), PEP 440 resolution, the files of a
 * release to vet, downloads with their sha256 checked.
 *
 * Same conventions as registry_npm.h: every call returns a pv_pypi_rc and on
 * failure a one-line message in err naming the project (and spec, version
 * or file). PV_PYPI_UNREACHABLE means the index did not answer. Nothing is
 * cached from a failed fetch or from a document that does not parse. */
#ifndef PV_REGISTRY_PYPI_H
#define PV_REGISTRY_PYPI_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cache.h"
#include "http.h"
#include "pipconf.h"

#define PV_PYPI_META_MAX (64u << 20)   /* bytes of a metadata document */
#define PV_PYPI_FILE_MAX (256u << 20)  /* bytes of a distribution file */
#define PV_PYPI_TTL_DEFAULT 300        /* seconds cached metadata is fresh */
#define PV_PYPI_SIMPLE_ACCEPT "application/vnd.pypi.simple.v1+json"

enum pv_pypi_rc {
	PV_PYPI_OK = 0,
	PV_PYPI_UNREACHABLE,  /* no answer: refused, DNS, timeout, reset, TLS */
	PV_PYPI_NOT_FOUND,    /* 404 from every API tried */
	PV_PYPI_HTTP_ERROR,   /* another status */
	PV_PYPI_TOO_LARGE,
	PV_PYPI_BAD_DATA,     /* not the expected JSON document; no sha256 for a file */
	PV_PYPI_NO_MATCH,     /* no release / file matches */
	PV_PYPI_DIGEST,       /* file's sha256 differs from the index's */
	PV_PYPI_INVALID,      /* bad argument: project name, specifier */
	PV_PYPI_ENOMEM,
};

struct pv_pypi_client {
	const struct pv_pipconf *cfg;     /* NULL: builtin default index */
	const char *index_url;            /* overrides cfg (--index-url); NULL = none */
	struct pv_cache *cache;           /* NULL: no caching */
	int64_t ttl_s;                    /* 0 = PV_PYPI_TTL_DEFAULT */
	const struct pv_http_opts *http;  /* NULL = defaults */
};

enum pv_pypi_kind { PV_PYPI_OTHER = 0, PV_PYPI_SDIST, PV_PYPI_WHEEL };

struct pv_pypi_file {
	char *filename;
	char *url;           /* absolute, without a #fragment */
	char *sha256;        /* lowercase hex, or NULL when the index gives none */
	enum pv_pypi_kind kind;
	char *upload_time;   /* ISO 8601 or NULL */
	bool yanked;
	char *yanked_reason; /* or NULL */
};

struct pv_pypi_release {
	char *version;       /* as the index spells it */
	struct pv_pypi_file *files;
	size_t nfiles;
	bool yanked;         /* every file is yanked (a release without files is not) */
};

struct pv_pypi_project {
	char *name;          /* PEP 503 normalised */
	char *url;           /* the document it came from */
	bool from_simple;    /* the JSON API was unavailable: PEP 691 simple page */
	json_object *root;   /* the whole document (owned) */
	json_object *info;   /* JSON API "info" (borrowed from root), NULL from simple */
	struct pv_pypi_release *releases;
	size_t nreleases;
	bool from_cache, revalidated;
};

const char *pv_pypi_rc_name(enum pv_pypi_rc rc);

/* The simple index URL in effect (trailing '/'). */
const char *pv_pypi_index(const struct pv_pypi_client *c);

/* Fetch the project: BASE/pypi/NORM/json when the index is PyPI-like (see
 * pv_pipconf_json_base), else or on 404 INDEX/NORM/ with Accept:
 * PV_PYPI_SIMPLE_ACCEPT. NORM is the PEP 503 normalised name. Cache as in
 * registry_npm (fresh entry used, stale one revalidated with its ETag).
 * out is filled only on PV_PYPI_OK. */
int pv_pypi_fetch_project(const struct pv_pypi_client *c, const char *name,
                          struct pv_pypi_project *out, char *err, size_t errlen);
void pv_pypi_project_free(struct pv_pypi_project *p);

/* BASE/pypi/NORM/VERSION/json (JSON API only; PV_PYPI_NOT_FOUND when the
 * index is not PyPI-like). *doc (owned by the caller) on PV_PYPI_OK. */
int pv_pypi_fetch_version_doc(const struct pv_pypi_client *c, const char *name, const char *version,
                              json_object **doc, char *err, size_t errlen);

/* Resolve a PEP 440 specifier set: "" = the highest non-prerelease; a
 * prerelease only when allow_pre or a clause names a prerelease; yanked
 * releases are skipped unless the spec is a single "==V"/"===V" pin
 * matching them; releases with an unparseable version are ignored. *rel
 * (borrowed from p) on PV_PYPI_OK. */
int pv_pypi_resolve(const struct pv_pypi_project *p, const char *spec, bool allow_pre,
                    const struct pv_pypi_release **rel, char *err, size_t errlen);

/* The files of rel to vet: the one named filename, or (filename NULL) the
 * sdist(s) and every wheel, sdists first. idx (malloc'd indices into
 * rel->files) and *n on PV_PYPI_OK; PV_PYPI_NO_MATCH when none. */
int pv_pypi_select_files(const struct pv_pypi_project *p, const struct pv_pypi_release *rel,
                         const char *filename, size_t **idx, size_t *n, char *err, size_t errlen);

/* Download f (limit PV_PYPI_FILE_MAX) and check its sha256. *data
 * (malloc'd) and *len on PV_PYPI_OK; PV_PYPI_DIGEST ("sha256 mismatch for
 * FILE ...") or PV_PYPI_BAD_DATA (no sha256 known) otherwise. */
int pv_pypi_fetch_file(const struct pv_pypi_client *c, const struct pv_pypi_project *p,
                       const struct pv_pypi_file *f, unsigned char **data, size_t *len,
                       char *err, size_t errlen);

/* The version part of a distribution filename for normalised project
 * name: wheels NAME-VER-...whl; sdists NAME-VER.{tar.gz,zip,tar.bz2,tgz}.
 * malloc'd or NULL. */
char *pv_pypi_filename_version(const char *filename, const char *norm_name, enum pv_pypi_kind *kind);

#endif
