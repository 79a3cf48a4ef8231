/* approvals.h - the approval store: what a person allowed at a prompt with
 * "always". An approval names one artifact (ecosystem, name, version and
 * its digest) and the permissions granted to it. It covers that artifact
 * only, and only while the package uses no permission beyond those.
 *
 * Files: the user's $XDG_CONFIG_HOME/pkgvet/approvals.ini (default
 * ~/.config/pkgvet/approvals.ini) and the project's .pkgvet-approvals.ini
 * in the project root. Readable INI, one section per approval, sections
 * sorted by (ecosystem, name, version) and keys in a fixed order, so that
 * diffs of a committed project file stay small:
 *
 *   [npm:left-pad@1.3.0]
 *   digest = sha256:…
 *   permissions = fs-read, network
 *   approved = 2026-11-27T03:00:00Z
 *   by = alice
 *
 * The header is ECOSYSTEM:NAME@VERSION, split at the first ':' and the
 * last '@' (names may contain both: "npm:@scope/pkg@1.0.0"). permissions
 * is a comma-separated list of the names of design.md §2 (written in
 * alphabetical order), or "none". approved and by are optional when read.
 * Blank lines and lines starting with ';' or '#' are ignored when read; a
 * rewrite by pv_approvals_record() does not keep comments. Anything else
 * (unknown key, repeated key or section, bad header, digest or time,
 * unknown permission, a key outside a section, a section without digest or
 * permissions) is an error naming FILE:LINE. */
#ifndef PV_APPROVALS_H
#define PV_APPROVALS_H

#include <stdbool.h>
#include <stddef.h>
#include "finding.h"

struct pv_approval {
	char *ecosystem;   /* "npm", "pypi" */
	char *name;
	char *version;
	char *digest;      /* "sha256:<hex>": the artifact approved */
	unsigned perms;    /* permissions granted: bit set over enum pv_perm */
	char *approved;    /* "YYYY-MM-DDTHH:MM:SSZ"; may be NULL */
	char *by;          /* who approved; may be NULL */
	unsigned line;     /* line of the section header in its file; 0 when not read */
};

struct pv_approvals {
	struct pv_approval *v; /* sorted by (ecosystem, name, version) */
	size_t n, cap;
	char *file;            /* where it was read from; NULL when parsed from text */
};

/* Read the approval file at path into st (which must be zeroed or freed).
 * A missing file (or missing parent directory) is an empty store.
 * Returns 0, or -1 with "PATH: reason" (unreadable) or "PATH:LINE: what"
 * (malformed) in err; st is then empty. */
int pv_approvals_load(struct pv_approvals *st, const char *path, char *err, size_t errlen);

/* Parse approval text (len bytes, NUL bytes refused); name is used in
 * error messages. Same contract as pv_approvals_load. */
int pv_approvals_parse(struct pv_approvals *st, const char *text, size_t len, const char *name,
                       char *err, size_t errlen);

void pv_approvals_free(struct pv_approvals *st);

/* The approval of exactly this artifact: same ecosystem, name and version,
 * and a digest equal to `digest` byte for byte. NULL when there is none
 * (including when the version was approved with another digest: a
 * republished or tampered artifact is not covered). */
const struct pv_approval *pv_approval_find(const struct pv_approvals *st, const char *ecosystem,
                                           const char *name, const char *version,
                                           const char *digest);

/* The permissions of current_perms (bits over enum pv_perm) that rec did
 * not grant; all of current_perms when rec is NULL. The prompt shows only
 * these. */
unsigned pv_approvals_added_perms(const struct pv_approval *rec, unsigned current_perms);

/* True when an approval of exactly this artifact exists and the package
 * uses no permission beyond those it granted. */
bool pv_approval_covers(const struct pv_approvals *st, const char *ecosystem, const char *name,
                        const char *version, const char *digest, unsigned current_perms);

/* For "this upgrade adds permissions X": the most recently approved record
 * (latest `approved` time; among equal times, or without times, the highest
 * version in natural order) of the same ecosystem and name whose version
 * differs from `version`. NULL when there is none. Pass its perms to
 * pv_approvals_added_perms() to get what the new version adds. */
const struct pv_approval *pv_approval_latest_other(const struct pv_approvals *st,
                                                   const char *ecosystem, const char *name,
                                                   const char *version);

/* Add rec to the approval file at path, replacing any approval of the
 * same ecosystem, name and version. rec->approved NULL means now, and
 * rec->by NULL the effective user's login name. Fields are checked first
 * (ecosystem lowercase letters and digits; name, version and by without
 * whitespace or control characters; version without '@'; digest
 * "algo:value"; approved a UTC time as above).
 *
 * Safe with concurrent pkgvet processes: under an exclusive flock on
 * PATH.lock (created 0644 and left in place) the file is read again, rec is
 * merged in, and the result is written to a temporary file in the same
 * directory, fsync'ed, made mode 0644 and renamed over path (then the
 * directory is fsync'ed). Missing parent directories are created 0755.
 * A malformed existing file is not overwritten: that is an error.
 * Returns 0, or -1 with a one-line message in err. */
int pv_approvals_record(const char *path, const struct pv_approval *rec, char *err, size_t errlen);

/* The file text for st (sorted as st is; malloc'd; NULL on allocation
 * failure). An empty store gives "". */
char *pv_approvals_format(const struct pv_approvals *st);

/* Comma-separated permission names of bits, alphabetical ("fs-read, network"),
 * "none" when bits is 0, into buf. Returns 0, or -1 when it does not fit. */
int pv_perms_format(unsigned bits, char *buf, size_t n);

/* The user's approval file: $XDG_CONFIG_HOME/pkgvet/approvals.ini, or
 * ~/.config/pkgvet/approvals.ini when XDG_CONFIG_HOME is unset, empty or
 * relative. Returns 0, or -1 with a message in err. */
int pv_approvals_user_path(char *buf, size_t n, char *err, size_t errlen);

/* The project's approval file: ROOT/.pkgvet-approvals.ini. Returns 0, or
 * -1 when it does not fit. */
int pv_approvals_project_path(const char *root, char *buf, size_t n);

#endif
