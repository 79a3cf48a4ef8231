/* metadata.h - the metadata attributes of design.md §3, evaluated from
 * registry documents that were already fetched and parsed with json-c.
 *
 * Pure functions: no network, no clock, no DNS. The caller passes "now",
 * the thresholds (filled from the catalogue), the weekly download count if
 * it has one, and optionally a resolver callback for bad-email.
 *
 * Attributes evaluated here: release-fresh, release-old, release-gap,
 * few-versions, few-downloads, no-readme, no-repo, bad-repo, bad-email,
 * publisher-change (npm), provenance-dropped (npm), url-dependency,
 * too-many-deps, deprecated (npm), yanked (PyPI). manifest-mismatch is NOT
 * here (it needs the tarball). Findings carry file NULL and line 0.
 *
 * Missing or odd-typed fields never crash; the attribute that needs them is
 * skipped. Exceptions, because the odd value is itself the malformation:
 * a repository that is neither a string nor an object is bad-repo, and an
 * email field that is present but not a string counts as a malformed email. */
#ifndef PV_METADATA_H
#define PV_METADATA_H

#include "finding.h"

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct json_object;

/* One field per catalogue threshold, in the catalogue's unit (fractions
 * allowed: 0.5 hours is half an hour). A negative value disables the
 * attribute. */
struct pv_meta_thresholds {
	double release_fresh_hours; /* release-fresh: published < N hours ago */
	double release_old_days;    /* release-old: latest release > N days ago */
	double release_gap_days;    /* release-gap: > N days since the previous release */
	double few_versions;        /* few-versions: <= N versions ever */
	double few_downloads;       /* few-downloads: < N downloads last week */
	double no_readme_chars;     /* no-readme: missing or < N characters (UTF-8 code points) */
	double too_many_deps;       /* too-many-deps: > N direct dependencies */
};

/* The catalogue defaults (48 h, 365 d, 180 d, 2, 1000, 100, 50). */
void pv_meta_thresholds_default(struct pv_meta_thresholds *t);

/* DNS check for bad-email: 1 the domain resolves (MX, A or AAAA), 0 it does
 * not, -1 unknown (timeout, no resolver). */
typedef int (*pv_meta_resolve_fn)(const char *domain, void *ud);

struct pv_meta_input {
	time_t now;
	const struct pv_meta_thresholds *th; /* NULL: the defaults */
	long long weekly_downloads;          /* -1 (any negative): unknown */
	pv_meta_resolve_fn resolve;          /* NULL: syntax check only (dns_unknown set) */
	void *resolve_ud;
};

/* What could not be decided, for the caller to report as "unknown". */
struct pv_meta_status {
	bool version_found;     /* the version exists in the document */
	bool downloads_unknown; /* weekly_downloads was negative: few-downloads not evaluated */
	bool dns_unknown;       /* some email domain could not be checked (no resolver, or -1) */
};

/* npm: `packument` is the full packument (versions{}, time{}, dist-tags,
 * maintainers, readme, repository...), `version` the chosen version.
 * Package-wide attributes (release-old, few-versions, few-downloads) are
 * evaluated even when the version is absent; version attributes are not.
 * A document listing no version at all gives no few-versions (unknown).
 * "Earlier" versions are those with an earlier time[] entry.
 * Returns 0, or -1 when the document is not a JSON object, version is
 * NULL, or an allocation failed (out->oom). status may be NULL. */
int pv_meta_npm(struct json_object *packument, const char *version,
                const struct pv_meta_input *in, struct pv_findings *out,
                struct pv_meta_status *status);

/* PyPI: `doc` is the JSON API document (/pypi/NAME/json, or
 * /pypi/NAME/VERSION/json whose "urls" are used when "releases" lacks the
 * version). A release's time is the earliest upload_time_iso_8601 (or
 * upload_time, read as UTC) of its files. info{} fields (description,
 * project_urls, home_page, emails) are read as they are; info.requires_dist
 * (url-dependency, too-many-deps) only when info.version is `version`.
 * publisher-change and provenance-dropped are not evaluated for PyPI.
 * Returns as pv_meta_npm. */
int pv_meta_pypi(struct json_object *doc, const char *version,
                 const struct pv_meta_input *in, struct pv_findings *out,
                 struct pv_meta_status *status);

/* Helpers, exposed for tests and for the caller's own checks. */

/* ISO 8601 UTC timestamp ("2026-11-27T00:12:00.123Z", "+02:00" offsets,
 * no zone = UTC, ' ' for 'T' accepted) to seconds since the epoch.
 * Returns 0, or -1 when malformed. */
int pv_meta_parse_time(const char *s, int64_t *out);

/* Syntax of an email address (dot-atom local part, a domain of at least two
 * LDH labels). */
bool pv_meta_email_valid(const char *addr);

/* A repository reference: 1 valid, 0 malformed. Accepts URLs with a host
 * (http, https, git, ssh, git+https, git+ssh, git+http, git+file...),
 * scp-like "git@host:user/repo", and npm shorthands "user/repo",
 * "github:|gitlab:|bitbucket:user/repo", "gist:ID". For a forge host
 * (github.com, gitlab.com, bitbucket.org, codeberg.org) the path must name
 * user/repo. allow_shorthand false: only URLs (PyPI). */
bool pv_meta_repo_valid(const char *ref, bool allow_shorthand);

/* Whether an npm dependency spec is not a registry spec: URL, git, file:,
 * link:, workspace:, a path, or user/repo shorthand. "npm:" aliases and
 * ranges are registry specs. */
bool pv_meta_npm_spec_is_url(const char *spec);

#endif
