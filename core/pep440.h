/* pep440.h - Python versions (PEP 440), specifiers and project names
 * (PEP 503), with the semantics of pip / the `packaging` library.
 *
 * Versions: [v][N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], parsed
 * case-insensitively with every spelling PEP 440 normalises (alpha, beta,
 * c, pre, preview; rev, r, "-N" post releases; separators '.', '-', '_';
 * implicit 0 numbers; surrounding whitespace). Numbers are at most
 * 2^64-1 and there are at most PV_PEP440_MAX_RELEASE release segments. */
#ifndef PV_PEP440_H
#define PV_PEP440_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PV_PEP440_MAX_LEN 256       /* longest version string accepted */
#define PV_PEP440_MAX_RELEASE 32    /* most release segments (1.2.3... ) */
#define PV_PEP440_SPEC_MAX_LEN 1024 /* longest specifier string accepted */

enum pv_pep440_pre {
	PV_PEP440_PRE_NONE = 0,
	PV_PEP440_PRE_A,  /* a, alpha */
	PV_PEP440_PRE_B,  /* b, beta */
	PV_PEP440_PRE_RC, /* rc, c, pre, preview */
};

struct pv_pep440 {
	uint64_t epoch;
	uint64_t release[PV_PEP440_MAX_RELEASE];
	size_t nrelease; /* >= 1 */
	enum pv_pep440_pre pre_kind;
	uint64_t pre; /* when pre_kind != NONE */
	bool has_post, has_dev;
	uint64_t post, dev;
	/* Normalised local label without the '+': lowercase, segments joined
	 * by '.', numeric segments without leading zeros. "" when none. */
	char local[PV_PEP440_MAX_LEN];
};

/* Parse s. Returns 0, or -1 when s is not a valid PEP 440 version (or is
 * longer than PV_PEP440_MAX_LEN, or has a number over 2^64-1 or too many
 * release segments). *out is unspecified on error. */
int pv_pep440_parse(const char *s, struct pv_pep440 *out);

/* Total order of PEP 440: <0, 0, >0. Trailing zero release segments do
 * not count (1.0 == 1.0.0); X.devN < X{a,b,rc}N < X < X+local < X.postN;
 * within a local label numeric segments sort above alphanumeric ones. */
int pv_pep440_cmp(const struct pv_pep440 *a, const struct pv_pep440 *b);

/* A pre-release: has a pre-release or a development release segment. */
bool pv_pep440_is_prerelease(const struct pv_pep440 *v);

/* Write the normalised form ("1!2.0rc1.post3.dev4+ubuntu.1"). Returns its
 * length, or -1 when it does not fit in out[0..outlen). */
int pv_pep440_format(const struct pv_pep440 *v, char *out, size_t outlen);

struct pv_pep440_spec; /* opaque: a comma-separated specifier set */

/* Parse a specifier set such as ">=1.0, !=1.3.*, <2". Empty clauses are
 * skipped; "" is the empty set. Each clause is OP VERSION with OP one of
 * == != <= >= < > ~= ===; "==X.*" / "!=X.*" take a plain release (with
 * optional epoch); "~=" needs at least two release segments; only == and
 * != take a local label; "===" takes any non-blank string. Returns 0 and
 * sets *out (free with pv_pep440_spec_free), -1 when invalid (message in
 * err, offending text reduced to printable ASCII), -2 on allocation
 * failure. err may be NULL. */
int pv_pep440_spec_parse(const char *s, struct pv_pep440_spec **out, char *err, size_t errlen);
void pv_pep440_spec_free(struct pv_pep440_spec *spec);

/* Does v satisfy every clause of spec? Pre-releases (and dev releases)
 * are rejected unless prereleases is true or some ==, >=, <=, ~= or ===
 * clause itself names a pre-release. The empty set matches every
 * version that is not a pre-release. Clause semantics are PEP 440's:
 * "==1.0" matches 1.0+local, "==1.1.*" matches 1.1.post1 and 1.1 and
 * (padding with zeros) "==1.1.0.*" matches 1.1; "<V" excludes
 * pre-releases of V's release unless V is one; ">V" excludes post
 * releases of V unless V is one, and local versions of V; "~=2.2" is
 * ">=2.2, ==2.*"; "===" compares the normalised form of v, ignoring case. */
bool pv_pep440_spec_contains(const struct pv_pep440_spec *spec, const struct pv_pep440 *v,
                             bool prereleases);

/* PEP 503 normalisation of a project name: lowercase, each run of '-',
 * '_', '.' becomes one '-'. Returns the length written to out (with a
 * NUL), or -1 when name is not a valid project name (PEP 508: ASCII
 * letters and digits, with '-', '_', '.' only between them) or the result
 * does not fit in outlen. */
int pv_pep503_normalize(const char *name, char *out, size_t outlen);

#endif
