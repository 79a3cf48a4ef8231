/* package.h - vet one local package (an archive or a directory): read it
 * with limits, find its manifest, run the analysers over its files, and
 * derive package-level attributes. Judging findings against policy is the
 * caller's job (policy/), so that core never reads policy. */
#ifndef PV_PACKAGE_H
#define PV_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pkgtree.h"
#include "finding.h"

enum pv_pkg_status {
	PV_PKG_OK = 0,      /* vetted (findings may still be hostile) */
	PV_PKG_NOENT,       /* input missing or unreadable: a usage error */
	PV_PKG_ERROR        /* could not be vetted (not an archive, no manifest, …) */
};

struct pv_package {
	char *input;        /* as given by the user */
	char *ecosystem;    /* "npm" or "pypi"; NULL when unknown */
	char *name;
	char *version;
	char *format;       /* "tar.gz", "zip", "directory", … */
	char digest[72];    /* "sha256:<hex>" of the artifact file; "" for directories */
	struct pv_findings findings;
	enum pv_action verdict; /* set by the caller after judging */
	const char *decided_by; /* "policy", "allow-list", "deny-list", "approval" (static; NULL until judged) */
	unsigned added_perms;   /* permissions beyond an approval of this artifact */
	enum pv_pkg_status status;
	char *error;        /* one line, when status != OK */
	uint64_t bytes;     /* bytes of files read */
	size_t files;       /* files read */
	size_t analysed;    /* files given to a code analyser */
	bool cached;        /* the analysis came from the cache (same digest, same analysers) */
	char **unknowns;    /* checks that could not be decided, one line each
	                       ("OSV unreachable (...)"); reported as "unknown: ..." */
	size_t nunknowns;
};

struct pv_cache;

/* "<version>+<hash of the analysers' sources>": the key of cached results. */
extern const char pv_analyser_id[];

struct pv_audit_opts {
	struct pv_cache *cache;      /* analysis results by artifact digest; NULL: no cache */
	struct pv_limits limits;
	unsigned threads;            /* worker threads for analysis (>= 1) */
	const char *top_npm;         /* typosquat reference lists (text, one name a line) */
	size_t top_npm_len;
	const char *top_pypi;
	size_t top_pypi_len;
};

void pv_audit_opts_default(struct pv_audit_opts *o);

/* Vet the package at path. Always fills pkg (status says whether it could
 * be vetted). Returns 0, or -1 on allocation failure. */
int pv_package_audit_path(struct pv_package *pkg, const char *path, const struct pv_audit_opts *o);

/* The same for an artifact already in memory (a downloaded tarball):
 * input_label names it (pkg->input, messages); digest is the sha256 of the
 * buffer, cached like a file's. Returns as pv_package_audit_path. */
int pv_package_audit_mem(struct pv_package *pkg, const char *input_label, const void *data,
                         size_t len, const struct pv_audit_opts *o);

/* The package is what the registry calls it: set ecosystem, name and
 * version, and judge typosquatting on that name (the one the person asked
 * for), not on whatever name the artifact carries inside. 0 or -1 (ENOMEM). */
int pv_package_set_identity(struct pv_package *pkg, const char *ecosystem, const char *name,
                            const char *version, const struct pv_audit_opts *o);

/* Append a note to pkg->unknowns. Returns 0, or -1 on allocation failure. */
int pv_package_add_unknown(struct pv_package *pkg, const char *note);

/* Mark pkg as not vetted (status ERROR) with a one-line message; a leading
 * "INPUT: " is dropped, because the CLI prints "INPUT: message". 0 or -1. */
int pv_package_fail(struct pv_package *pkg, const char *msg);

/* The artifact is not what the registry (or the lockfile) promised: the
 * package is judged — blocked by a `digest-mismatch` finding — rather than
 * "could not vet", and nothing of it is analysed. Returns 0 or -1 (memory). */
int pv_package_digest_mismatch(struct pv_package *pkg, const char *ecosystem, const char *name,
                               const char *version, const char *detail);

void pv_package_free(struct pv_package *pkg);

/* Permissions used, as a bit set over enum pv_perm. */
unsigned pv_package_perms(const struct pv_package *pkg);

#endif
