/* pep440.c - Python versions (PEP 440), specifier sets, PEP 503 names.
 *
 * The version parser is a single left-to-right pass over the grammar of
 * PEP 440's appendix (the "permissive" form pip accepts), writing the
 * normalised components straight into struct pv_pep440. Specifier
 * clauses are parsed into an array once; matching never allocates. */
#include "pep440.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_sep(char c)
{
	return c == '.' || c == '-' || c == '_';
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* Digits at s[*i] (at least one), into a uint64_t without overflow. */
static int parse_u64(const char *s, size_t n, size_t *i, uint64_t *out)
{
	size_t j = *i;
	uint64_t v = 0;

	if (j >= n || !is_digit(s[j]))
		return -1;
	while (j < n && is_digit(s[j])) {
		unsigned d = (unsigned)(s[j] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
		j++;
	}
	*i = j;
	*out = v;
	return 0;
}

/* Case-insensitive: does word start at s[i]? */
static bool word_at(const char *s, size_t n, size_t i, const char *word)
{
	size_t len = strlen(word);

	if (len > n - i)
		return false;
	for (size_t k = 0; k < len; k++)
		if (lower(s[i + k]) != word[k])
			return false;
	return true;
}

/* Label and optional number of a pre, post or dev segment at s[*i]:
 * [sep] LABEL [sep] [N]. labels[] is searched in order (longer spellings
 * first); *which gets the index found. Returns 0 when a segment was read,
 * 1 when there is none (nothing consumed), -1 on a bad number. */
static int parse_segment(const char *s, size_t n, size_t *i, const char *const *labels,
                         size_t nlabels, size_t *which, uint64_t *num)
{
	size_t j = *i;

	if (j < n && is_sep(s[j]))
		j++;
	for (size_t k = 0; k < nlabels; k++) {
		if (!word_at(s, n, j, labels[k]))
			continue;
		j += strlen(labels[k]);
		if (j < n && is_sep(s[j]))
			j++; /* a separator with no number after it is allowed */
		*num = 0;
		if (j < n && is_digit(s[j]) && parse_u64(s, n, &j, num))
			return -1;
		*which = k;
		*i = j;
		return 0;
	}
	return 1;
}

static const char *const PRE_LABELS[] = {"alpha", "a", "beta", "b", "preview", "pre", "c", "rc"};
static const enum pv_pep440_pre PRE_KINDS[] = {
	PV_PEP440_PRE_A, PV_PEP440_PRE_A, PV_PEP440_PRE_B, PV_PEP440_PRE_B,
	PV_PEP440_PRE_RC, PV_PEP440_PRE_RC, PV_PEP440_PRE_RC, PV_PEP440_PRE_RC,
};
static const char *const POST_LABELS[] = {"post", "rev", "r"};
static const char *const DEV_LABELS[] = {"dev"};

/* "+local": segments of [a-z0-9]+ joined by single separators. */
static int parse_local(const char *s, size_t n, size_t *i, char *out, size_t outlen)
{
	size_t j = *i, k = 0;

	for (;;) {
		size_t start = j;
		while (j < n && is_alnum(s[j]))
			j++;
		if (j == start)
			return -1;
		size_t seg = start, len = j - start;
		bool numeric = true;
		for (size_t q = start; q < j; q++)
			numeric = numeric && is_digit(s[q]);
		if (numeric)
			while (len > 1 && s[seg] == '0') {
				seg++;
				len--;
			}
		if (k + len + 2 > outlen)
			return -1;
		if (k)
			out[k++] = '.';
		for (size_t q = 0; q < len; q++)
			out[k++] = lower(s[seg + q]);
		if (j < n && is_sep(s[j]) && j + 1 < n && is_alnum(s[j + 1])) {
			j++;
			continue;
		}
		break;
	}
	out[k] = '\0';
	*i = j;
	return 0;
}

static int parse_n(const char *s, size_t n, struct pv_pep440 *v)
{
	size_t i = 0, which;
	uint64_t num;
	int r;

	if (n > PV_PEP440_MAX_LEN)
		return -1;
	memset(v, 0, sizeof *v);
	while (n > 0 && is_space(s[n - 1]))
		n--;
	while (i < n && is_space(s[i]))
		i++;
	if (i < n && lower(s[i]) == 'v')
		i++;
	if (parse_u64(s, n, &i, &num))
		return -1;
	if (i < n && s[i] == '!') {
		v->epoch = num;
		i++;
		if (parse_u64(s, n, &i, &num))
			return -1;
	}
	v->release[0] = num;
	v->nrelease = 1;
	while (i + 1 < n && s[i] == '.' && is_digit(s[i + 1])) {
		if (v->nrelease == PV_PEP440_MAX_RELEASE)
			return -1;
		i++;
		if (parse_u64(s, n, &i, &v->release[v->nrelease++]))
			return -1;
	}

	r = parse_segment(s, n, &i, PRE_LABELS, sizeof PRE_LABELS / sizeof *PRE_LABELS, &which, &num);
	if (r < 0)
		return -1;
	if (r == 0) {
		v->pre_kind = PRE_KINDS[which];
		v->pre = num;
	}

	if (i + 1 < n && s[i] == '-' && is_digit(s[i + 1])) { /* 1.0-1 */
		i++;
		if (parse_u64(s, n, &i, &v->post))
			return -1;
		v->has_post = true;
	} else {
		r = parse_segment(s, n, &i, POST_LABELS, sizeof POST_LABELS / sizeof *POST_LABELS,
		                  &which, &num);
		if (r < 0)
			return -1;
		if (r == 0) {
			v->has_post = true;
			v->post = num;
		}
	}

	r = parse_segment(s, n, &i, DEV_LABELS, 1, &which, &num);
	if (r < 0)
		return -1;
	if (r == 0) {
		v->has_dev = true;
		v->dev = num;
	}

	if (i < n && s[i] == '+') {
		i++;
		if (parse_local(s, n, &i, v->local, sizeof v->local))
			return -1;
	}
	return i == n ? 0 : -1;
}

int pv_pep440_parse(const char *s, struct pv_pep440 *out)
{
	if (!s || !out)
		return -1;
	return parse_n(s, strnlen(s, PV_PEP440_MAX_LEN + 1), out);
}

bool pv_pep440_is_prerelease(const struct pv_pep440 *v)
{
	return v->pre_kind != PV_PEP440_PRE_NONE || v->has_dev;
}

static size_t nrel(const struct pv_pep440 *v)
{
	return v->nrelease > PV_PEP440_MAX_RELEASE ? PV_PEP440_MAX_RELEASE : v->nrelease;
}

/* Release segments, shorter one padded with zeros. */
static int cmp_release(const struct pv_pep440 *a, const struct pv_pep440 *b)
{
	size_t na = nrel(a), nb = nrel(b), n = na > nb ? na : nb;

	for (size_t i = 0; i < n; i++) {
		int c = cmp_u64(i < na ? a->release[i] : 0, i < nb ? b->release[i] : 0);
		if (c)
			return c;
	}
	return 0;
}

/* Epoch and release only ("base version"). */
static int cmp_base(const struct pv_pep440 *a, const struct pv_pep440 *b)
{
	int c = cmp_u64(a->epoch, b->epoch);
	return c ? c : cmp_release(a, b);
}

/* Where the pre-release part sorts: X.devN (no pre, no post) first, then
 * aN, bN, rcN, then everything without a pre-release. */
static int pre_rank(const struct pv_pep440 *v)
{
	if (v->pre_kind != PV_PEP440_PRE_NONE)
		return (int)v->pre_kind;
	if (v->has_dev && !v->has_post)
		return 0;
	return 4;
}

static int cmp_local_seg(const char *a, size_t an, const char *b, size_t bn)
{
	bool na = true, nb = true;
	int c;

	for (size_t i = 0; i < an; i++)
		na = na && is_digit(a[i]);
	for (size_t i = 0; i < bn; i++)
		nb = nb && is_digit(b[i]);
	if (na != nb)
		return na ? 1 : -1; /* numeric above alphanumeric */
	if (na && an != bn)
		return an < bn ? -1 : 1; /* no leading zeros: longer is larger */
	c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c < 0 ? -1 : 1;
	return cmp_u64(an, bn);
}

static int cmp_local(const char *a, const char *b)
{
	size_t an = strnlen(a, PV_PEP440_MAX_LEN), bn = strnlen(b, PV_PEP440_MAX_LEN);
	size_t i = 0, j = 0;

	if (an == 0 || bn == 0)
		return an == bn ? 0 : (an == 0 ? -1 : 1); /* no local sorts first */
	for (;;) {
		bool ea = i > an, eb = j > bn;
		if (ea || eb)
			return ea == eb ? 0 : (ea ? -1 : 1);
		size_t ia = i, jb = j;
		while (ia < an && a[ia] != '.')
			ia++;
		while (jb < bn && b[jb] != '.')
			jb++;
		int c = cmp_local_seg(a + i, ia - i, b + j, jb - j);
		if (c)
			return c;
		i = ia + 1;
		j = jb + 1;
	}
}

/* Everything but the local label. */
static int cmp_public(const struct pv_pep440 *a, const struct pv_pep440 *b)
{
	int c = cmp_base(a, b);

	if (!c)
		c = pre_rank(a) - pre_rank(b);
	if (!c && a->pre_kind != PV_PEP440_PRE_NONE)
		c = cmp_u64(a->pre, b->pre);
	if (!c)
		c = (int)a->has_post - (int)b->has_post; /* no post first */
	if (!c && a->has_post)
		c = cmp_u64(a->post, b->post);
	if (!c)
		c = (int)b->has_dev - (int)a->has_dev; /* no dev last */
	if (!c && a->has_dev)
		c = cmp_u64(a->dev, b->dev);
	return c < 0 ? -1 : c > 0;
}

int pv_pep440_cmp(const struct pv_pep440 *a, const struct pv_pep440 *b)
{
	int c = cmp_public(a, b);
	return c ? c : cmp_local(a->local, b->local);
}

int pv_pep440_format(const struct pv_pep440 *v, char *out, size_t outlen)
{
	static const char *const pre[] = {"", "a", "b", "rc"};
	size_t k = 0;
	int w;

#define EMIT(...)                                                          \
	do {                                                                   \
		w = snprintf(out + k, outlen - k, __VA_ARGS__);                    \
		if (w < 0 || (size_t)w >= outlen - k)                              \
			return -1;                                                     \
		k += (size_t)w;                                                    \
	} while (0)

	if (!out || outlen == 0)
		return -1;
	out[0] = '\0';
	if (v->epoch)
		EMIT("%llu!", (unsigned long long)v->epoch);
	for (size_t i = 0; i < nrel(v); i++)
		EMIT("%s%llu", i ? "." : "", (unsigned long long)v->release[i]);
	if (v->pre_kind > PV_PEP440_PRE_NONE && v->pre_kind <= PV_PEP440_PRE_RC)
		EMIT("%s%llu", pre[v->pre_kind], (unsigned long long)v->pre);
	if (v->has_post)
		EMIT(".post%llu", (unsigned long long)v->post);
	if (v->has_dev)
		EMIT(".dev%llu", (unsigned long long)v->dev);
	if (v->local[0])
		EMIT("+%.*s", (int)strnlen(v->local, sizeof v->local), v->local);
#undef EMIT
	return (int)k;
}

/* ---- specifiers -------------------------------------------------------- */

enum spec_op { SP_EQ, SP_NE, SP_LE, SP_GE, SP_LT, SP_GT, SP_COMPAT, SP_ARB };

struct clause {
	enum spec_op op;
	bool wildcard;    /* ==X.* / !=X.* */
	const char *arb;  /* ===: the string (in spec->buf), NUL-terminated */
	struct pv_pep440 v;
};

struct pv_pep440_spec {
	char *buf; /* copy of the text; === strings point here */
	struct clause *c;
	size_t n;
	bool names_pre; /* some inclusive clause names a pre-release */
};

static const struct {
	const char *text;
	enum spec_op op;
} OPS[] = {
	{"===", SP_ARB}, {"~=", SP_COMPAT}, {"==", SP_EQ}, {"!=", SP_NE},
	{"<=", SP_LE},   {">=", SP_GE},     {"<", SP_LT},  {">", SP_GT},
};

static void spec_err(char *err, size_t errlen, const char *what, const char *s, size_t n)
{
	char clean[48];
	size_t k = 0;

	if (!err || errlen == 0)
		return;
	for (size_t i = 0; i < n && k + 4 < sizeof clean; i++)
		clean[k++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (k < n && k + 3 < sizeof clean) {
		memcpy(clean + k, "...", 3);
		k += 3;
	}
	clean[k] = '\0';
	snprintf(err, errlen, "%s '%s'", what, clean);
}

/* One clause s[0..n), trimmed and non-empty. s is writable (spec->buf). */
static int parse_clause(char *s, size_t n, struct clause *c, char *err, size_t errlen)
{
	size_t ol = 0, i;

	memset(c, 0, sizeof *c);
	for (size_t k = 0; k < sizeof OPS / sizeof *OPS; k++) {
		ol = strlen(OPS[k].text);
		if (n >= ol && !memcmp(s, OPS[k].text, ol)) {
			c->op = OPS[k].op;
			break;
		}
		ol = 0;
	}
	if (ol == 0) {
		spec_err(err, errlen, "no comparison operator in", s, n);
		return -1;
	}
	i = ol;
	while (i < n && is_space(s[i]))
		i++;
	const char *vs = s + i;
	size_t vn = n - i;
	for (size_t k = 0; k < vn; k++) {
		if (is_space(vs[k]) || (c->op == SP_ARB && (vs[k] == ';' || vs[k] == ')'))) {
			spec_err(err, errlen, "unexpected character in version of", s, n);
			return -1;
		}
	}
	if (vn == 0) {
		spec_err(err, errlen, "no version in", s, n);
		return -1;
	}
	if (c->op == SP_ARB) {
		s[n] = '\0'; /* n < length of buf: the ',' or the final NUL */
		c->arb = vs;
		/* A pre-release named here counts, as in packaging. */
		if (parse_n(vs, vn, &c->v) == 0 && pv_pep440_is_prerelease(&c->v))
			return 1;
		return 0;
	}
	if ((c->op == SP_EQ || c->op == SP_NE) && vn >= 2 && vs[vn - 2] == '.' && vs[vn - 1] == '*') {
		c->wildcard = true;
		vn -= 2;
	}
	if (parse_n(vs, vn, &c->v)) {
		spec_err(err, errlen, "invalid version in", s, n);
		return -1;
	}
	if (c->wildcard && (c->v.pre_kind || c->v.has_post || c->v.has_dev || c->v.local[0])) {
		spec_err(err, errlen, "a .* prefix must be a plain release in", s, n);
		return -1;
	}
	if (c->v.local[0] && c->op != SP_EQ && c->op != SP_NE) {
		spec_err(err, errlen, "a local version is only allowed with == and != in", s, n);
		return -1;
	}
	if (c->op == SP_COMPAT && c->v.nrelease < 2) {
		spec_err(err, errlen, "~= needs at least two release segments in", s, n);
		return -1;
	}
	if ((c->op == SP_EQ || c->op == SP_LE || c->op == SP_GE || c->op == SP_COMPAT) &&
	    pv_pep440_is_prerelease(&c->v))
		return 1;
	return 0;
}

void pv_pep440_spec_free(struct pv_pep440_spec *spec)
{
	if (!spec)
		return;
	free(spec->buf);
	free(spec->c);
	free(spec);
}

int pv_pep440_spec_parse(const char *s, struct pv_pep440_spec **out, char *err, size_t errlen)
{
	struct pv_pep440_spec *sp;
	size_t n, nclauses = 1;

	if (err && errlen)
		err[0] = '\0';
	if (!out)
		return -1;
	*out = NULL;
	if (!s) {
		spec_err(err, errlen, "no specifier", "", 0);
		return -1;
	}
	n = strnlen(s, PV_PEP440_SPEC_MAX_LEN + 1);
	if (n > PV_PEP440_SPEC_MAX_LEN) {
		if (err && errlen)
			snprintf(err, errlen, "specifier longer than %d bytes", PV_PEP440_SPEC_MAX_LEN);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		nclauses += s[i] == ',';
	sp = calloc(1, sizeof *sp);
	if (!sp)
		return -2;
	sp->buf = malloc(n + 1);
	sp->c = calloc(nclauses, sizeof *sp->c);
	if (!sp->buf || !sp->c) {
		pv_pep440_spec_free(sp);
		if (err && errlen)
			snprintf(err, errlen, "out of memory");
		return -2;
	}
	memcpy(sp->buf, s, n + 1);

	char *p = sp->buf, *end = sp->buf + n;
	for (;;) {
		char *comma = memchr(p, ',', (size_t)(end - p));
		char *ce = comma ? comma : end;
		char *a = p, *b = ce;
		while (a < b && is_space(*a))
			a++;
		while (b > a && is_space(b[-1]))
			b--;
		if (b > a) {
			int r = parse_clause(a, (size_t)(b - a), &sp->c[sp->n], err, errlen);
			if (r < 0) {
				pv_pep440_spec_free(sp);
				return -1;
			}
			sp->names_pre = sp->names_pre || r == 1;
			sp->n++;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	*out = sp;
	return 0;
}

/* Epoch equal and v's release, padded with zeros, starts with the first
 * len segments of prefix's release. */
static bool prefix_match(const struct pv_pep440 *v, const struct pv_pep440 *prefix, size_t len)
{
	size_t nv = nrel(v);

	if (v->epoch != prefix->epoch)
		return false;
	for (size_t i = 0; i < len && i < nrel(prefix); i++)
		if ((i < nv ? v->release[i] : 0) != prefix->release[i])
			return false;
	return true;
}

static bool ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (lower(*a) != lower(*b))
			return false;
	return *a == *b;
}

static bool clause_match(const struct clause *c, const struct pv_pep440 *v)
{
	switch (c->op) {
	case SP_EQ:
	case SP_NE: {
		bool eq;
		if (c->wildcard)
			eq = prefix_match(v, &c->v, nrel(&c->v));
		else if (c->v.local[0])
			eq = pv_pep440_cmp(v, &c->v) == 0;
		else
			eq = cmp_public(v, &c->v) == 0; /* ==1.0 matches 1.0+anything */
		return c->op == SP_EQ ? eq : !eq;
	}
	case SP_LE:
		return cmp_public(v, &c->v) <= 0;
	case SP_GE:
		return cmp_public(v, &c->v) >= 0;
	case SP_LT:
		/* <V: not a pre-release of V itself, unless V is one. */
		if (pv_pep440_cmp(v, &c->v) >= 0)
			return false;
		if (!pv_pep440_is_prerelease(&c->v) && pv_pep440_is_prerelease(v) && cmp_base(v, &c->v) == 0)
			return false;
		return true;
	case SP_GT:
		/* >V: not a post-release of V unless V is one; not V+local. */
		if (pv_pep440_cmp(v, &c->v) <= 0)
			return false;
		if (!c->v.has_post && v->has_post && cmp_base(v, &c->v) == 0)
			return false;
		if (v->local[0] && cmp_base(v, &c->v) == 0)
			return false;
		return true;
	case SP_COMPAT:
		return cmp_public(v, &c->v) >= 0 && prefix_match(v, &c->v, nrel(&c->v) - 1);
	case SP_ARB: {
		char norm[PV_PEP440_MAX_LEN * 2];
		if (pv_pep440_format(v, norm, sizeof norm) < 0)
			return false;
		return ieq(norm, c->arb);
	}
	}
	return false;
}

bool pv_pep440_spec_contains(const struct pv_pep440_spec *spec, const struct pv_pep440 *v,
                             bool prereleases)
{
	if (!spec || !v)
		return false;
	if (!prereleases && !spec->names_pre && pv_pep440_is_prerelease(v))
		return false;
	for (size_t i = 0; i < spec->n; i++)
		if (!clause_match(&spec->c[i], v))
			return false;
	return true;
}

/* ---- PEP 503 ----------------------------------------------------------- */

int pv_pep503_normalize(const char *name, char *out, size_t outlen)
{
	size_t k = 0, n;

	if (!name || !out || outlen == 0)
		return -1;
	n = strlen(name);
	if (n == 0 || !is_alnum(name[0]) || !is_alnum(name[n - 1]))
		goto bad;
	for (size_t i = 0; i < n;) {
		if (is_alnum(name[i])) {
			if (k + 1 >= outlen)
				goto bad;
			out[k++] = lower(name[i++]);
		} else if (is_sep(name[i])) {
			while (i < n && is_sep(name[i]))
				i++;
			if (k + 1 >= outlen)
				goto bad;
			out[k++] = '-';
		} else {
			goto bad;
		}
	}
	out[k] = '\0';
	return (int)k;
bad:
	out[0] = '\0';
	return -1;
}
