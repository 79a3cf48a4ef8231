/* pip_report.h - read the installation report pip writes with
 * `pip install --dry-run --report FILE` (design.md §5): the exact set of
 * distributions pip would install, each with where it comes from and, for
 * archives, its SHA-256.
 *
 * Format: https://pip.pypa.io/en/stable/reference/installation-report/
 * (version "1"); each entry's download_info is PEP 610 direct_url.json.
 *
 * The report describes packages that are not yet vetted, so every string in
 * it is untrusted: the reader is strict (a value of the wrong type, a name
 * that is not a PEP 508 project name, a version or URL with whitespace or
 * control characters, an entry with more or fewer than one of
 * archive_info/dir_info/vcs_info, a name listed twice) and fails rather
 * than guess. Whatever it returns can be written into a requirements file
 * (`name==version --hash=sha256:...`) without letting a value smuggle in
 * another option or line. */
#ifndef PV_PIP_REPORT_H
#define PV_PIP_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#define PV_PIP_REPORT_MAX (64u << 20)      /* bytes of report JSON */
#define PV_PIP_REPORT_MAX_DEPTH 64         /* JSON nesting; pip's reports need < 10 */
#define PV_PIP_REPORT_MAX_ITEMS 100000u    /* entries in "install" */
#define PV_PIP_REPORT_MAX_URL (64u << 10)  /* bytes of one download URL */
#define PV_PIP_REPORT_MAX_VERSION 256u     /* bytes of one version string */

enum pv_pip_origin {
	PV_PIP_FROM_INDEX = 0, /* an archive from an index or find-links URL (archive_info, http(s), not is_direct) */
	PV_PIP_FROM_URL,       /* a direct URL archive the person named ("name @ https://...", is_direct) */
	PV_PIP_FROM_FILE,      /* a local archive (file:// URL), direct or from a local --find-links */
	PV_PIP_FROM_DIR,       /* a local directory (dir_info), editable or not */
	PV_PIP_FROM_VCS,       /* vcs_info (git+https://...) */
};

struct pv_pip_item {
	char *name;         /* metadata.name, PEP 503-normalised */
	char *display_name; /* metadata.name as given */
	char *version;      /* metadata.version */
	char *url;          /* download_info.url */
	char *filename;     /* last path segment of url, percent-decoded, for archives; NULL otherwise */
	char *sha256;       /* lowercase hex from archive_info.hashes.sha256 (or the legacy
	                     * "hash": "sha256=..."), or NULL */
	enum pv_pip_origin origin;
	bool is_direct, requested, editable;
	bool is_yanked;     /* the report's is_yanked (pip >= 24; false when absent) */
	char *vcs_commit;   /* vcs_info.commit_id, or NULL */
	char *vcs;          /* vcs_info.vcs ("git", "hg", "svn", "bzr"), or NULL */
};

struct pv_pip_report {
	char *pip_version;  /* NULL when the report has none */
	struct pv_pip_item *items;
	size_t n;
};

/* Parse len bytes of report JSON (at most PV_PIP_REPORT_MAX, nesting at
 * most PV_PIP_REPORT_MAX_DEPTH) into *out (zeroed first; on failure it is
 * left empty, nothing to free). Returns 0; -1 with a one-line err naming
 * what is wrong ("pip report: no \"install\" list", "pip report: entry 3:
 * no metadata.version"); -2 when memory runs out. A report "version"
 * other than "1" is an error that says which version it is. err may be
 * NULL. */
int pv_pip_report_parse(const char *json, size_t len, struct pv_pip_report *out, char *err,
                        size_t errlen);

/* Read the report file at path (a regular file of at most
 * PV_PIP_REPORT_MAX bytes) and parse it. Same returns; err names the path
 * when it cannot be read. */
int pv_pip_report_load(const char *path, struct pv_pip_report *out, char *err, size_t errlen);

/* Free everything in *r and zero it; r may be NULL or already freed. */
void pv_pip_report_free(struct pv_pip_report *r);

#endif
