/* lockfile.h - npm package-lock.json / npm-shrinkwrap.json reader.
 *
 * lockfileVersion 1 (the recursive "dependencies" map) and 2 / 3 (the
 * "packages" map, keyed by install path; the root "" entry is skipped).
 * Each installed package becomes one entry with its source classified, so
 * that the caller can audit registry packages and turn every other source
 * into a url-dependency finding. Nothing is fetched. */
#ifndef PV_LOCKFILE_H
#define PV_LOCKFILE_H

#include <stdbool.h>
#include <stddef.h>

#define PV_LOCKFILE_MAX_SIZE (256u * 1024u * 1024u) /* bytes */
#define PV_LOCKFILE_MAX_DEPTH 256                   /* JSON nesting */
#define PV_LOCKFILE_MAX_NAME 214                    /* npm's name limit */

enum pv_lock_source {
	PV_LOCK_REGISTRY, /* registry tarball, or no "resolved" and a semver version */
	PV_LOCK_GIT,      /* git+..., git://, github:, gitlab:, bitbucket:, gist: */
	PV_LOCK_TARBALL,  /* a URL that is not on the registry */
	PV_LOCK_FILE,     /* a local path (file:..., or a workspace directory) */
	PV_LOCK_LINK,     /* "link": true - a symlink to a local workspace */
};

struct pv_lock_entry {
	char *name;      /* package name ("@scope/pkg"); for aliases, the real name */
	char *alias;     /* the name it is installed under when aliased, else NULL */
	char *version;   /* may be NULL for link / file entries */
	char *resolved;  /* may be NULL (omit-lockfile-registry-resolved) */
	char *integrity; /* may be NULL */
	char *path;      /* "node_modules/a/node_modules/b" (v1: built the same way) */
	bool dev, optional, dev_optional, peer, link;
	enum pv_lock_source source;
};

struct pv_lockfile {
	int version; /* lockfileVersion: 1, 2 or 3 */
	struct pv_lock_entry *entries;
	size_t n;
};

/* Parse len bytes of JSON. label names the file in messages ("package-lock.json").
 * registry is the registry URL whose tarballs count as registry sources
 * (e.g. "https://registry.npmjs.org/"; NULL means that one); resolved URLs
 * under https://registry.npmjs.org/ and https://registry.yarnpkg.com/ are
 * registry sources as well. Returns 0 and fills *out (free with
 * pv_lockfile_free), -1 with a message "LABEL: what is wrong" in err, -2 on
 * allocation failure. *out is empty on error. */
int pv_lockfile_parse(const char *data, size_t len, const char *label, const char *registry,
                      struct pv_lockfile *out, char *err, size_t errlen);

/* Read path (at most PV_LOCKFILE_MAX_SIZE bytes) and parse it, labelled
 * with path. Same returns. */
int pv_lockfile_load(const char *path, const char *registry, struct pv_lockfile *out, char *err,
                     size_t errlen);

void pv_lockfile_free(struct pv_lockfile *lf);

const char *pv_lock_source_name(enum pv_lock_source s); /* "registry", "git", ... */

#endif
