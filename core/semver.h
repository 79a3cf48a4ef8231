/* semver.h - npm versions and ranges, with node-semver semantics.
 *
 * Versions are strict SemVer 2.0.0 (MAJOR.MINOR.PATCH, optional
 * -prerelease and +build), optionally preceded by "=" and/or "v" ("=v1.2.3").
 * Numbers have no leading zeros and are at most 2^53-1 (node's
 * Number.MAX_SAFE_INTEGER); build metadata is accepted and ignored.
 *
 * Ranges follow the grammar documented in node-semver's README: "||" of
 * space-separated comparator sets; comparators <, <=, >, >=, = (or none);
 * X-ranges (1.x, 1.2.*, *, x, ""), partial versions (1, 1.2), hyphen ranges
 * (1.2.3 - 2.3.4, partials allowed), tilde (~1.2.3, ~1.2, ~1, ~>1.2) and
 * caret (^1.2.3, ^0.2.3, ^0.0.3, ^1.2.x, ^0.0, ^0.x). Everything desugars to
 * plain comparators exactly as node-semver 7.8 (bundled with npm) does,
 * including the includePrerelease variants ("-0" lower bounds), the
 * stripping of build metadata anywhere in a range ("1.2+b" is "1.2") and
 * the rejection of a number after an X in a plain X-range ("1.x.3").
 * Strict mode only: no "loose" parsing. */
#ifndef PV_SEMVER_H
#define PV_SEMVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PV_SEMVER_MAX_LEN 256        /* longest version string accepted */
#define PV_SEMVER_RANGE_MAX_LEN 1024 /* longest range string accepted */
#define PV_SEMVER_NUM_MAX 9007199254740991ULL /* 2^53-1 */

struct pv_semver {
	uint64_t major, minor, patch;
	/* Dot-separated prerelease identifiers without the '-', "" for a
	 * release. Build metadata is not kept. */
	char pre[PV_SEMVER_MAX_LEN];
};

/* Parse s (NUL-terminated). Returns 0, or -1 when s is not a valid version
 * (bad syntax, leading zeros, a number over 2^53-1, longer than
 * PV_SEMVER_MAX_LEN, surrounding whitespace). *out is untouched on error. */
int pv_semver_parse(const char *s, struct pv_semver *out);

/* SemVer 2.0.0 precedence: <0, 0, >0. Numeric prerelease identifiers
 * compare numerically, alphanumeric ones in ASCII order, numeric below
 * alphanumeric, a shorter identifier list below a longer one it prefixes,
 * and any prerelease below the release. */
int pv_semver_cmp(const struct pv_semver *a, const struct pv_semver *b);

/* True when v has a prerelease tag. */
bool pv_semver_is_prerelease(const struct pv_semver *v);

struct pv_semver_range; /* opaque */

/* Parse a range. Returns 0 and sets *out (free with pv_semver_range_free),
 * -1 when the range is invalid (err gets a message; any offending text in
 * it is reduced to printable ASCII), -2 on allocation failure. err may be
 * NULL. Ranges longer than PV_SEMVER_RANGE_MAX_LEN are invalid. */
int pv_semver_range_parse(const char *s, struct pv_semver_range **out, char *err, size_t errlen);
void pv_semver_range_free(struct pv_semver_range *r);

/* Does v satisfy r? A prerelease version only satisfies a comparator set
 * when some comparator in that set names a prerelease of the same
 * MAJOR.MINOR.PATCH, unless include_prerelease (node's includePrerelease:
 * which also lowers partial lower bounds to their "-0" prerelease). */
bool pv_semver_satisfies(const struct pv_semver_range *r, const struct pv_semver *v,
                         bool include_prerelease);

/* Index of the highest version in versions[0..n) that satisfies r (the
 * first of equal ones), or -1 when none does. Strings that are not valid
 * versions (or are NULL) are skipped. */
int pv_semver_max_satisfying(const char *const *versions, size_t n,
                             const struct pv_semver_range *r, bool include_prerelease);

#endif
