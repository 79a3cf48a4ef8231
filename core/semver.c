/* semver.c - npm versions and ranges (node-semver semantics).
 *
 * A range is kept as comparator sets after desugaring: every tilde, caret,
 * X-range, partial version and hyphen range becomes zero, one or two plain
 * comparators (op + version). Prerelease strings of the comparators point
 * into the range's own copy of the input text (or at a static "0"), so a
 * range is three allocations whatever its size. Parsing is a single pass
 * over tokens; nothing recurses. */
#include "semver.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A version as parsed: the prerelease is a slice (not NUL-terminated). */
struct ver {
	uint64_t M, m, p;
	const char *pre;
	size_t prelen;
};

enum op { OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE };

struct cmpr {
	struct ver v;
	unsigned char op; /* enum op */
	/* A lower bound that node-semver writes as ">=X-0" under
	 * includePrerelease and ">=X" otherwise: those of partial versions
	 * (1.2, ~1, ^1.x, >=1.2, 1 - 2) and of a full hyphen-range start. */
	bool z;
	/* node drops ">=0.0.0" (without includePrerelease) and ">=0.0.0-0"
	 * (with it) as "any version": bit 0 and bit 1 say this is one. */
	unsigned char any;
};

enum { ANY_PLAIN = 1, ANY_INCL = 2 };
enum { F_Z = 1, F_V = 2 }; /* add() flags: "-0" lower bound; text keeps a 'v' */

struct pv_semver_range {
	char *buf;        /* copy of the range text; prerelease slices point here */
	struct cmpr *c;   /* all comparators, set after set */
	size_t nc, capc;
	size_t *set_end;  /* set i is c[set_end[i-1] .. set_end[i]) */
	size_t nsets, capsets;
};

static const char PRE_ZERO[] = "0";

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ident_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* ---- versions ---------------------------------------------------------- */

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

/* A numeric identifier at s[*i]: "0" or [1-9][0-9]*, at most 2^53-1. */
static int parse_num(const char *s, size_t n, size_t *i, uint64_t *out)
{
	size_t j = *i;
	uint64_t v = 0;

	if (j >= n || !is_digit(s[j]))
		return -1;
	if (s[j] == '0' && j + 1 < n && is_digit(s[j + 1]))
		return -1; /* leading zero */
	while (j < n && is_digit(s[j])) {
		unsigned d = (unsigned)(s[j] - '0');
		if (v > (PV_SEMVER_NUM_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
		j++;
	}
	*i = j;
	*out = v;
	return 0;
}

/* Dot-separated identifiers of [0-9A-Za-z-], none empty; with numeric set,
 * all-digit identifiers may not have leading zeros (prerelease rule). */
static bool valid_idents(const char *s, size_t n, bool numeric)
{
	size_t start = 0;

	if (n == 0)
		return false;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '.') {
			if (!is_ident_char(s[i]))
				return false;
			continue;
		}
		size_t len = i - start;
		if (len == 0)
			return false;
		if (numeric && len > 1 && s[start] == '0' && all_digits(s + start, len))
			return false;
		start = i + 1;
	}
	return true;
}

/* Optional "-prerelease" then optional "+build" at s[*i..n), to the end. */
static int parse_tail(const char *s, size_t n, size_t i, const char **pre, size_t *prelen)
{
	*pre = s + i;
	*prelen = 0;
	if (i < n && s[i] == '-') {
		size_t j = i + 1;
		while (j < n && s[j] != '+')
			j++;
		if (!valid_idents(s + i + 1, j - i - 1, true))
			return -1;
		*pre = s + i + 1;
		*prelen = j - i - 1;
		i = j;
	}
	if (i < n && s[i] == '+') {
		if (!valid_idents(s + i + 1, n - i - 1, false))
			return -1;
		i = n;
	}
	return i == n ? 0 : -1;
}

/* MAJOR.MINOR.PATCH[-pre][+build], exactly s[0..n). */
static int parse_ver(const char *s, size_t n, struct ver *v)
{
	size_t i = 0;

	if (parse_num(s, n, &i, &v->M) || i >= n || s[i++] != '.' ||
	    parse_num(s, n, &i, &v->m) || i >= n || s[i++] != '.' ||
	    parse_num(s, n, &i, &v->p))
		return -1;
	return parse_tail(s, n, i, &v->pre, &v->prelen);
}

int pv_semver_parse(const char *s, struct pv_semver *out)
{
	struct ver v;
	size_t n;

	if (!s || !out)
		return -1;
	n = strnlen(s, PV_SEMVER_MAX_LEN + 1);
	if (n > PV_SEMVER_MAX_LEN)
		return -1;
	if (n > 0 && s[0] == '=') {
		s++;
		n--;
	}
	if (n > 0 && s[0] == 'v') {
		s++;
		n--;
	}
	if (parse_ver(s, n, &v))
		return -1;
	if (v.prelen >= sizeof out->pre)
		return -1; /* cannot happen: bounded by PV_SEMVER_MAX_LEN */
	out->major = v.M;
	out->minor = v.m;
	out->patch = v.p;
	memcpy(out->pre, v.pre, v.prelen);
	out->pre[v.prelen] = '\0';
	return 0;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* One prerelease identifier against another. */
static int cmp_ident(const char *a, size_t an, const char *b, size_t bn)
{
	bool na = all_digits(a, an), nb = all_digits(b, bn);
	int c;

	if (na && nb) {
		/* Arbitrary size: skip leading zeros, then longer is larger. */
		while (an > 1 && *a == '0') {
			a++;
			an--;
		}
		while (bn > 1 && *b == '0') {
			b++;
			bn--;
		}
		if (an != bn)
			return an < bn ? -1 : 1;
		c = memcmp(a, b, an);
		return c < 0 ? -1 : c > 0;
	}
	if (na != nb)
		return na ? -1 : 1; /* numeric below alphanumeric */
	c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c < 0 ? -1 : 1;
	return cmp_u64(an, bn);
}

static int cmp_pre(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;

	if (an == 0 || bn == 0)
		return an == bn ? 0 : (an == 0 ? 1 : -1); /* release above prerelease */
	for (;;) {
		bool ea = i > an, eb = j > bn;
		if (ea || eb)
			return ea == eb ? 0 : (ea ? -1 : 1);
		size_t ia = i, jb = j;
		while (ia < an && a[ia] != '.')
			ia++;
		while (jb < bn && b[jb] != '.')
			jb++;
		int c = cmp_ident(a + i, ia - i, b + j, jb - j);
		if (c)
			return c;
		i = ia + 1;
		j = jb + 1;
	}
}

static int cmp_tuple(const struct ver *a, const struct ver *b)
{
	int c = cmp_u64(a->M, b->M);
	if (!c)
		c = cmp_u64(a->m, b->m);
	if (!c)
		c = cmp_u64(a->p, b->p);
	return c;
}

static int cmp_ver(const struct ver *a, const struct ver *b)
{
	int c = cmp_tuple(a, b);
	return c ? c : cmp_pre(a->pre, a->prelen, b->pre, b->prelen);
}

static struct ver as_ver(const struct pv_semver *s)
{
	struct ver v = {s->major, s->minor, s->patch, s->pre, strnlen(s->pre, sizeof s->pre)};
	return v;
}

int pv_semver_cmp(const struct pv_semver *a, const struct pv_semver *b)
{
	struct ver va = as_ver(a), vb = as_ver(b);
	return cmp_ver(&va, &vb);
}

bool pv_semver_is_prerelease(const struct pv_semver *v)
{
	return v->pre[0] != '\0';
}

/* ---- ranges: parsing --------------------------------------------------- */

/* An X-range as written: k leading concrete numbers (0..3), then X. */
struct xr {
	int k;
	bool gap;     /* a number after an X ("1.x.3", "*.0") */
	bool odd_pfx; /* prefixed by something other than "" or "v" ("=v", "==") */
	bool vpfx;    /* prefixed by exactly "v" */
	struct ver v; /* prerelease only when k == 3 */
};

/* [v=]*PART[.PART[.PART[-pre][+build]]], PART a number or x, X, *. */
static int parse_xr(const char *s, size_t n, struct xr *x)
{
	uint64_t part[3] = {0, 0, 0};
	int nparts = 0;
	size_t i = 0;

	x->k = -1;
	x->gap = false;
	/* node accepts any run of 'v' and '=' here; a full version in a plain
	 * comparator or a hyphen range then only survives "" or "v". */
	while (i < n && (s[i] == 'v' || s[i] == '='))
		i++;
	x->odd_pfx = !(i == 0 || (i == 1 && s[0] == 'v'));
	x->vpfx = i == 1 && s[0] == 'v';
	for (;;) {
		if (i < n && (s[i] == 'x' || s[i] == 'X' || s[i] == '*')) {
			i++;
			if (x->k < 0)
				x->k = nparts;
		} else if (parse_num(s, n, &i, &part[nparts])) {
			return -1;
		} else if (x->k >= 0) {
			x->gap = true;
		}
		nparts++;
		if (nparts == 3 || i >= n || s[i] != '.')
			break;
		i++;
	}
	if (x->k < 0)
		x->k = nparts;
	x->v.M = part[0];
	x->v.m = x->k >= 2 ? part[1] : 0;
	x->v.p = x->k >= 3 ? part[2] : 0;
	x->v.pre = PRE_ZERO;
	x->v.prelen = 0;
	if (i == n)
		return 0;
	if (nparts < 3)
		return -1; /* a prerelease or build needs all three parts */
	if (parse_tail(s, n, i, &x->v.pre, &x->v.prelen))
		return -1;
	if (x->k < 3)
		x->v.prelen = 0; /* 1.2.x-beta: node ignores the tag */
	return 0;
}

struct builder {
	struct pv_semver_range *r;
	char *err;
	size_t errlen;
	bool nomem;
};

static int add(struct builder *b, enum op op, uint64_t M, uint64_t m, uint64_t p,
               const char *pre, size_t prelen, unsigned flags)
{
	struct pv_semver_range *r = b->r;

	if (r->nc == r->capc) {
		size_t cap = r->capc ? r->capc * 2 : 8;
		struct cmpr *c = realloc(r->c, cap * sizeof *c);
		if (!c) {
			b->nomem = true;
			return -1;
		}
		r->c = c;
		r->capc = cap;
	}
	struct cmpr *c = &r->c[r->nc++];
	c->v.M = M;
	c->v.m = m;
	c->v.p = p;
	c->v.pre = pre;
	c->v.prelen = prelen;
	c->op = (unsigned char)op;
	c->z = (flags & F_Z) && prelen == 0 && op == OP_GE;
	c->any = 0;
	if (op == OP_GE && M == 0 && m == 0 && p == 0 && !(flags & F_V)) {
		if (prelen == 0)
			c->any |= ANY_PLAIN | (c->z ? ANY_INCL : 0);
		else if (prelen == 1 && pre[0] == '0')
			c->any |= ANY_INCL;
	}
	return 0;
}

/* "<0.0.0-0": nothing satisfies it. */
static int add_none(struct builder *b)
{
	return add(b, OP_LT, 0, 0, 0, PRE_ZERO, 1, 0);
}

/* Upper bound just below the next major (level <= 1), minor (2) or patch (3). */
static int add_below_next(struct builder *b, const struct xr *x, int level)
{
	if (level <= 1)
		return add(b, OP_LT, x->v.M + 1, 0, 0, PRE_ZERO, 1, 0);
	if (level == 2)
		return add(b, OP_LT, x->v.M, x->v.m + 1, 0, PRE_ZERO, 1, 0);
	return add(b, OP_LT, x->v.M, x->v.m, x->v.p + 1, PRE_ZERO, 1, 0);
}

/* The lower bound of x. node writes a full version back as it was given
 * (with its 'v'), a partial one from its numbers. */
static int add_lower(struct builder *b, const struct xr *x, bool z)
{
	unsigned flags = (z ? F_Z : 0) | (x->k == 3 && x->vpfx ? F_V : 0);
	return add(b, OP_GE, x->v.M, x->v.m, x->v.p, x->v.pre, x->v.prelen, flags);
}

static void set_err(struct builder *b, const char *what, const char *tok, size_t n)
{
	char clean[48];
	size_t k = 0;

	if (!b->err || b->errlen == 0)
		return;
	for (size_t i = 0; i < n && k + 4 < sizeof clean; i++)
		clean[k++] = (tok[i] >= 0x20 && tok[i] < 0x7f) ? tok[i] : '?';
	if (k < n && k + 3 < sizeof clean) {
		memcpy(clean + k, "...", 3);
		k += 3;
	}
	clean[k] = '\0';
	snprintf(b->err, b->errlen, "%s '%s'", what, clean);
}

/* One comparator token (operator already split off). */
static int desugar(struct builder *b, const char *op, const char *s, size_t n)
{
	struct xr x;

	if (parse_xr(s, n, &x))
		return -1;
	const struct ver *v = &x.v;

	if (op[0] == '~') {
		if (x.k == 0)
			return 0;
		if (add(b, OP_GE, v->M, v->m, v->p, v->pre, v->prelen, x.k < 3 ? F_Z : 0))
			return -1;
		return add_below_next(b, &x, x.k == 1 ? 1 : 2);
	}
	if (op[0] == '^') {
		if (x.k == 0)
			return 0;
		if (add(b, OP_GE, v->M, v->m, v->p, v->pre, v->prelen, x.k < 3 ? F_Z : 0))
			return -1;
		if (x.k == 1 || v->M != 0)
			return add_below_next(b, &x, 1);
		if (x.k == 2 || v->m != 0)
			return add_below_next(b, &x, 2);
		return add_below_next(b, &x, 3);
	}
	if (x.k == 3) {
		enum op o = OP_EQ;
		if (x.odd_pfx)
			return -1;
		if (!strcmp(op, "<"))
			o = OP_LT;
		else if (!strcmp(op, "<="))
			o = OP_LE;
		else if (!strcmp(op, ">"))
			o = OP_GT;
		else if (!strcmp(op, ">="))
			o = OP_GE;
		return add(b, o, v->M, v->m, v->p, v->pre, v->prelen, x.vpfx ? F_V : 0);
	}
	/* X-ranges and partial versions. node rejects a number after an X
	 * here (not after ~ or ^, nor in hyphen ranges, where it is ignored). */
	if (x.gap)
		return -1;
	if (x.k == 0) {
		if (!strcmp(op, "<") || !strcmp(op, ">"))
			return add_none(b);
		return 0; /* everything */
	}
	if (!strcmp(op, ">")) /* >1 is >=2.0.0, >1.2 is >=1.3.0 */
		return add(b, OP_GE, x.k == 1 ? v->M + 1 : v->M, x.k == 1 ? 0 : v->m + 1, 0,
		           PRE_ZERO, 0, F_Z);
	if (!strcmp(op, ">="))
		return add(b, OP_GE, v->M, v->m, 0, PRE_ZERO, 0, F_Z);
	if (!strcmp(op, "<"))
		return add(b, OP_LT, v->M, v->m, 0, PRE_ZERO, 1, 0);
	if (!strcmp(op, "<="))
		return add_below_next(b, &x, x.k);
	/* bare or "=": the whole span */
	if (add(b, OP_GE, v->M, v->m, 0, PRE_ZERO, 0, F_Z))
		return -1;
	return add_below_next(b, &x, x.k);
}

static int hyphen(struct builder *b, const char *from, size_t fn, const char *to, size_t tn)
{
	struct xr f, t;

	if (parse_xr(from, fn, &f) || (f.k == 3 && f.odd_pfx)) {
		set_err(b, "invalid version in hyphen range", from, fn);
		return -1;
	}
	/* node rebuilds the ends from their numbers except a full start and a
	 * full end without prerelease, which keep their prefix text. */
	if (parse_xr(to, tn, &t) || (t.k == 3 && t.v.prelen == 0 && t.odd_pfx)) {
		set_err(b, "invalid version in hyphen range", to, tn);
		return -1;
	}
	if (f.k > 0 && add_lower(b, &f, true))
		return -1;
	if (t.k == 0)
		return 0;
	if (t.k < 3)
		return add_below_next(b, &t, t.k);
	return add(b, OP_LE, t.v.M, t.v.m, t.v.p, t.v.pre, t.v.prelen, 0);
}

/* Length of the operator at the start of s[0..n), 0 if none. */
static size_t op_len(const char *s, size_t n)
{
	if (n >= 2 && (s[0] == '<' || s[0] == '>') && s[1] == '=')
		return 2;
	if (n >= 2 && s[0] == '~' && s[1] == '>')
		return 2;
	if (n >= 1 && (s[0] == '<' || s[0] == '>' || s[0] == '=' || s[0] == '~' || s[0] == '^'))
		return 1;
	return 0;
}

struct tok {
	const char *s;
	size_t n;
};

/* Does t[0..n) match [<>]?=?[v=]* ? */
static bool op_then_prefix(const char *t, size_t n)
{
	size_t i = 0;

	if (i < n && (t[i] == '<' || t[i] == '>'))
		i++;
	if (i < n && t[i] == '=')
		i++;
	while (i < n && (t[i] == 'v' || t[i] == '='))
		i++;
	return i == n;
}

/* Is t[0..n) exactly an operator node trims after: < > = <= >= ? */
static bool is_gtlt(const char *t, size_t n)
{
	return (n == 1 && (t[0] == '<' || t[0] == '>' || t[0] == '=')) ||
	       (n == 2 && (t[0] == '<' || t[0] == '>') && t[1] == '=');
}

/* node removes the blanks between an operator and what follows before
 * splitting a set into comparators: after '~', "~>" and '^' always; after
 * <, >, =, <=, >= when an X-range follows and the operator is where
 * node's scan for "operator, blanks, X-range" starts in that word ("> 1.2"
 * is ">1.2" and "~= 1" is "~=1", but "== 1" and "v= 1" stay apart). In
 * place; returns the new length. */
static size_t squeeze_ops(char *s, size_t n)
{
	size_t i = 0, k = 0, word = 0;
	bool in_match = false; /* inside the [v= blanks]* prefix node's match took */

	while (i < n) {
		if (is_space(s[i])) {
			s[k++] = s[i++];
			word = k;
			continue;
		}
		if (s[i] != 'v' && s[i] != '=')
			in_match = false;
		s[k++] = s[i++];
		if (i == n || !is_space(s[i]))
			continue;
		size_t j = i;
		while (j < n && is_space(s[j]))
			j++;
		char c = s[k - 1];
		bool squeeze = c == '~' || c == '^';
		if (!squeeze && !in_match && (c == '<' || c == '>' || c == '=')) {
			size_t q = j; /* an X-range must follow: [v= blanks]* then a part */
			while (q < n && (s[q] == 'v' || s[q] == '=' || is_space(s[q])))
				q++;
			if (q < n && (is_digit(s[q]) || s[q] == 'x' || s[q] == 'X' || s[q] == '*')) {
				for (size_t st = word; st < k; st++) {
					if (op_then_prefix(s + st, k - st)) {
						squeeze = in_match = is_gtlt(s + st, k - st);
						break;
					}
				}
			}
		}
		if (squeeze)
			i = j; /* the word goes on: what follows is glued to it */
	}
	return k;
}

/* One comparator set, s[0..n), already split on "||". s is writable. */
static int parse_set(struct builder *b, char *s, size_t n)
{
	struct tok t[3];
	size_t nt = 0, i = 0;

	/* A hyphen range is exactly "A - B". Peek at the first tokens. */
	while (i < n && nt < 3) {
		while (i < n && is_space(s[i]))
			i++;
		if (i == n)
			break;
		t[nt].s = s + i;
		while (i < n && !is_space(s[i]))
			i++;
		t[nt].n = (size_t)(s + i - t[nt].s);
		nt++;
	}
	while (i < n && is_space(s[i]))
		i++;
	if (nt == 3 && i == n && t[1].n == 1 && t[1].s[0] == '-')
		return hyphen(b, t[0].s, t[0].n, t[2].s, t[2].n);

	/* Otherwise: blank-separated comparators. */
	n = squeeze_ops(s, n);
	i = 0;
	for (;;) {
		char op[3] = "";
		while (i < n && is_space(s[i]))
			i++;
		if (i == n)
			return 0;
		const char *tk = s + i;
		while (i < n && !is_space(s[i]))
			i++;
		size_t tn = (size_t)(s + i - tk);
		size_t ol = op_len(tk, tn);
		memcpy(op, tk, ol);
		op[ol] = '\0';
		if (ol == tn) {
			set_err(b, "operator without a version:", tk, tn);
			return -1;
		}
		if (desugar(b, op, tk + ol, tn - ol)) {
			if (!b->nomem)
				set_err(b, "invalid comparator", tk, tn);
			return -1;
		}
	}
}

static int close_set(struct builder *b)
{
	struct pv_semver_range *r = b->r;

	if (r->nsets == r->capsets) {
		size_t cap = r->capsets ? r->capsets * 2 : 4;
		size_t *e = realloc(r->set_end, cap * sizeof *e);
		if (!e) {
			b->nomem = true;
			return -1;
		}
		r->set_end = e;
		r->capsets = cap;
	}
	r->set_end[r->nsets++] = r->nc;
	return 0;
}

/* node strips build metadata ("+" and dot-separated [0-9A-Za-z-]+) from
 * each comparator set before parsing it: "1.2+b" is "1.2", "1+x - 2" is
 * "1 - 2". Done in place; returns the new length. */
static size_t strip_build(char *s, size_t n)
{
	size_t i = 0, k = 0;

	while (i < n) {
		if (s[i] == '+' && i + 1 < n && is_ident_char(s[i + 1])) {
			i++;
			for (;;) {
				while (i < n && is_ident_char(s[i]))
					i++;
				if (i + 1 < n && s[i] == '.' && is_ident_char(s[i + 1]))
					i++;
				else
					break;
			}
			continue;
		}
		s[k++] = s[i++];
	}
	return k;
}

void pv_semver_range_free(struct pv_semver_range *r)
{
	if (!r)
		return;
	free(r->buf);
	free(r->c);
	free(r->set_end);
	free(r);
}

int pv_semver_range_parse(const char *s, struct pv_semver_range **out, char *err, size_t errlen)
{
	struct builder b = {NULL, err, errlen, false};
	size_t n;

	if (err && errlen)
		err[0] = '\0';
	if (!out)
		return -1;
	*out = NULL;
	if (!s) {
		set_err(&b, "no range", "", 0);
		return -1;
	}
	n = strnlen(s, PV_SEMVER_RANGE_MAX_LEN + 1);
	if (n > PV_SEMVER_RANGE_MAX_LEN) {
		if (err && errlen)
			snprintf(err, errlen, "range longer than %d bytes", PV_SEMVER_RANGE_MAX_LEN);
		return -1;
	}
	b.r = calloc(1, sizeof *b.r);
	if (!b.r)
		return -2;
	b.r->buf = malloc(n + 1);
	if (!b.r->buf) {
		pv_semver_range_free(b.r);
		return -2;
	}
	memcpy(b.r->buf, s, n + 1);

	char *p = b.r->buf, *end = b.r->buf + n;
	for (;;) {
		char *bar = p;
		while (bar < end && !(bar[0] == '|' && bar + 1 < end && bar[1] == '|'))
			bar++;
		if (parse_set(&b, p, strip_build(p, (size_t)(bar - p))) || close_set(&b)) {
			pv_semver_range_free(b.r);
			if (b.nomem) {
				if (err && errlen)
					snprintf(err, errlen, "out of memory");
				return -2;
			}
			return -1;
		}
		if (bar == end)
			break;
		p = bar + 2;
	}
	*out = b.r;
	return 0;
}

/* ---- ranges: matching -------------------------------------------------- */

static bool test_cmp(const struct cmpr *c, const struct ver *v, bool incl)
{
	int d;

	if (c->any & (incl ? ANY_INCL : ANY_PLAIN))
		return true;
	if (c->z && incl)
		return cmp_tuple(v, &c->v) >= 0; /* >= X-0: any X.Y.Z prerelease */
	d = cmp_ver(v, &c->v);
	switch ((enum op)c->op) {
	case OP_EQ:
		return d == 0;
	case OP_LT:
		return d < 0;
	case OP_LE:
		return d <= 0;
	case OP_GT:
		return d > 0;
	case OP_GE:
		return d >= 0;
	}
	return false;
}

static bool test_set(const struct cmpr *c, size_t nc, const struct ver *v, bool incl)
{
	for (size_t i = 0; i < nc; i++)
		if (!test_cmp(&c[i], v, incl))
			return false;
	if (v->prelen == 0 || incl)
		return true;
	/* A prerelease passes only if the set names a prerelease of the same
	 * MAJOR.MINOR.PATCH. */
	for (size_t i = 0; i < nc; i++)
		if (c[i].v.prelen > 0 && cmp_tuple(&c[i].v, v) == 0)
			return true;
	return false;
}

/* All of the set's comparators mean "any version" (or there are none). */
static bool set_is_any(const struct cmpr *c, size_t nc, bool incl)
{
	for (size_t i = 0; i < nc; i++)
		if (!(c[i].any & (incl ? ANY_INCL : ANY_PLAIN)))
			return false;
	return true;
}

/* The comparators from index start (r->c is NULL when there are none). */
static const struct cmpr *set_at(const struct pv_semver_range *r, size_t start)
{
	return r->c ? r->c + start : NULL;
}

static bool satisfies(const struct pv_semver_range *r, const struct ver *v, bool incl)
{
	size_t start = 0;

	/* node keeps only an "any version" set when there is one, so that
	 * "* || 1.2.3-beta" does not admit 1.2.3-beta. */
	for (size_t i = 0; i < r->nsets; i++) {
		if (set_is_any(set_at(r, start), r->set_end[i] - start, incl))
			return v->prelen == 0 || incl;
		start = r->set_end[i];
	}
	start = 0;

	for (size_t i = 0; i < r->nsets; i++) {
		if (test_set(set_at(r, start), r->set_end[i] - start, v, incl))
			return true;
		start = r->set_end[i];
	}
	return false;
}

bool pv_semver_satisfies(const struct pv_semver_range *r, const struct pv_semver *v,
                         bool include_prerelease)
{
	if (!r || !v)
		return false;
	struct ver vv = as_ver(v);
	return satisfies(r, &vv, include_prerelease);
}

int pv_semver_max_satisfying(const char *const *versions, size_t n,
                             const struct pv_semver_range *r, bool include_prerelease)
{
	struct pv_semver cur, best;
	int besti = -1;

	if (!versions || !r)
		return -1;
	if (n > INT_MAX)
		n = INT_MAX;
	for (size_t i = 0; i < n; i++) {
		if (pv_semver_parse(versions[i], &cur))
			continue;
		if (!pv_semver_satisfies(r, &cur, include_prerelease))
			continue;
		if (besti < 0 || pv_semver_cmp(&cur, &best) > 0) {
			best = cur;
			besti = (int)i;
		}
	}
	return besti;
}
