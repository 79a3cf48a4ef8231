/* registry_npm.h - the npm registry client: packuments, version resolution,
 * tarballs with their integrity checked.
 *
 * Every call returns a pv_npm_rc and, on failure, a one-line message in err
 * that names the package (and the spec or version). PV_NPM_UNREACHABLE means
 * the registry did not answer (refused, DNS, timeout, reset, TLS): callers
 * report the checks that needed it as "unknown". Nothing is cached from a
 * failed fetch or from a document that does not parse. */
#ifndef PV_REGISTRY_NPM_H
#define PV_REGISTRY_NPM_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cache.h"
#include "http.h"
#include "npmrc.h"

#define PV_NPM_PACKUMENT_MAX (64u << 20)  /* bytes */
#define PV_NPM_TARBALL_MAX (256u << 20)   /* bytes */
#define PV_NPM_TTL_DEFAULT 300            /* seconds a cached packument is fresh */

enum pv_npm_rc {
	PV_NPM_OK = 0,
	PV_NPM_UNREACHABLE,   /* no answer: refused, DNS, timeout, reset, TLS */
	PV_NPM_NOT_FOUND,     /* 404: no such package */
	PV_NPM_HTTP_ERROR,    /* another status (401/403: access denied, 5xx) */
	PV_NPM_TOO_LARGE,     /* response above the size limit */
	PV_NPM_BAD_DATA,      /* not a packument (HTML, garbage, wrong name, no versions) */
	PV_NPM_NO_MATCH,      /* no version / tag / range match for the spec */
	PV_NPM_INTEGRITY,     /* tarball digest differs from dist.integrity / shasum */
	PV_NPM_INVALID,       /* bad argument: package name, spec */
	PV_NPM_ENOMEM,
};

struct pv_npm_client {
	const struct pv_npmrc *cfg;       /* NULL: builtin registry, no tokens */
	const char *registry;             /* overrides cfg's choice (e.g. a --registry flag); NULL = none */
	struct pv_cache *cache;           /* NULL: no caching */
	int64_t ttl_s;                    /* freshness of cached packuments; 0 = PV_NPM_TTL_DEFAULT */
	const struct pv_http_opts *http;  /* NULL = pv_http_opts_default() */
};

struct pv_npm_packument {
	json_object *root;   /* the whole document (owned) */
	char *name;          /* the package name asked for */
	char *url;           /* where it came from */
	bool from_cache;     /* served from a fresh cache entry, no request made */
	bool revalidated;    /* a stale cache entry confirmed by HTTP 304 */
};

/* Short name of a result ("ok", "unreachable", "not-found", ...). */
const char *pv_npm_rc_name(enum pv_npm_rc rc);

/* Is name a valid npm package name to put in a URL ("name" or "@scope/name",
 * URL-safe characters only, not "." / "..")? */
bool pv_npm_name_valid(const char *name);

/* REGISTRY + name with a scoped name's '/' encoded ("@s%2fn"); malloc'd,
 * NULL when name is invalid or on ENOMEM. registry should end in '/'. */
char *pv_npm_packument_url(const char *registry, const char *name);

/* GET the full packument of name (Accept: application/json). With a cache:
 * a fresh entry is used as is; a stale one is revalidated with its ETag
 * (304 refreshes it); a new 200 that parses replaces it. out must be zeroed
 * or freed; it is filled only on PV_NPM_OK. */
int pv_npm_fetch_packument(const struct pv_npm_client *c, const char *name,
                           struct pv_npm_packument *out, char *err, size_t errlen);
void pv_npm_packument_free(struct pv_npm_packument *p);

/* Resolve spec against a packument, as npm would: "" means "latest"; a valid
 * version must exist exactly; a valid range picks dist-tags.latest when that
 * satisfies it, else the highest satisfying version (prereleases only when a
 * comparator of the range names a prerelease of the same x.y.z); anything
 * else is a dist-tag. *version (borrowed from p) and *manifest (borrowed, the
 * versions[VERSION] object; may be NULL) are set on PV_NPM_OK. Errors:
 * PV_NPM_NO_MATCH / PV_NPM_INVALID with a message naming NAME@SPEC. */
int pv_npm_resolve(const struct pv_npm_packument *p, const char *spec, const char **version,
                   json_object **manifest, char *err, size_t errlen);

/* Check data against an SRI integrity string (strongest of sha512, sha384,
 * sha256, sha1 listed) or, when integrity is NULL/empty, a hex sha1 shasum.
 * PV_NPM_OK, PV_NPM_INTEGRITY ("integrity mismatch for NAME@VERSION:
 * expected ... got ..."), or PV_NPM_BAD_DATA when neither is usable. */
int pv_npm_check_integrity(const char *name, const char *version, const void *data, size_t len,
                           const char *integrity, const char *shasum, char *err, size_t errlen);

/* Download versions[version].dist.tarball (limit PV_NPM_TARBALL_MAX; the
 * bearer token of the configuration is sent only when it matches the
 * tarball's own URL) and verify it. On PV_NPM_OK *data (malloc'd) and *len
 * are set; otherwise *data is NULL. */
int pv_npm_fetch_tarball(const struct pv_npm_client *c, const struct pv_npm_packument *p,
                         const char *version, unsigned char **data, size_t *len,
                         char *err, size_t errlen);

#endif
