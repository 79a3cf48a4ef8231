/* policy_parse.c - read and validate one policy file (docs/policy.md).
 *
 * inih does the key = value splitting. Debian's libinih is built without
 * INI_HANDLER_LINENO, with 200-byte lines and 50-byte section names, so the
 * reader below feeds inih one line at a time, counts lines, refuses longer
 * lines, and classifies each line the way inih will (comment, continuation,
 * [section], key = value) to keep the full section name and its line. */
#include "policy_internal.h"
#include "pep440.h"
#include "semver.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PV_POLICY_MAX_BYTES (1u << 20)

enum sec { SEC_NONE, SEC_ATTRIBUTES, SEC_SETTINGS, SEC_LOCKED, SEC_RULE };

struct pstate {
	struct pv_pfile *pf;
	const struct pv_catalogue *cat;
	const char *name;
	const char *text, *end; /* what the reader has not handed to inih yet */
	int line;
	char *err;
	size_t errlen;
	int failed;
	bool cont;      /* inih will treat the current line as a continuation */
	bool prev_key;  /* inih has a previous key in this section */
	enum sec sec;
	size_t rule;    /* current entry when sec == SEC_RULE */
};

static const char *const field_names[PV_FIELD__COUNT] = {
	"action", "install_time_action", "high_action", "enabled", "threshold",
};

const char *pv_attr_field_name(enum pv_attr_field f)
{
	return (unsigned)f < PV_FIELD__COUNT ? field_names[f] : "?";
}

static const char *const setting_names[PV_SET__COUNT] = {
	"noninteractive", "fail_closed", "npm_registry", "pypi_index",
	"osv_url", "timeout", "cache_dir", "log", "osv_offline", "npm_downloads_url",
	"pypi_downloads_url", "dns_server", "allow_yes", "real_npm", "real_pip",
};
static const char *const setting_envs[PV_SET__COUNT] = {
	"PKGVET_NONINTERACTIVE", "PKGVET_FAIL_CLOSED", "PKGVET_NPM_REGISTRY", "PKGVET_PYPI_INDEX",
	"PKGVET_OSV_URL", "PKGVET_TIMEOUT", "PKGVET_CACHE_DIR", "PKGVET_LOG", "PKGVET_OSV_OFFLINE",
	"PKGVET_NPM_DOWNLOADS_URL", "PKGVET_PYPI_DOWNLOADS_URL", "PKGVET_DNS_SERVER", "PKGVET_ALLOW_YES",
	"", "",
};

const char *pv_setting_name(enum pv_setting s)
{
	return (unsigned)s < PV_SET__COUNT ? setting_names[s] : "?";
}

const char *pv_setting_env(enum pv_setting s)
{
	return (unsigned)s < PV_SET__COUNT ? setting_envs[s] : "?";
}

const char *pv_shown(const char *s, char *out, size_t outlen)
{
	size_t k = 0;
	if (!outlen)
		return "";
	for (; s && *s && k + 4 < outlen && k < 64; s++)
		out[k++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
	if (s && *s && k + 4 <= outlen) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = 0;
	return out;
}

/* ------------------------------------------------------------ errors */

__attribute__((format(printf, 3, 4)))
static int fail(struct pstate *st, int line, const char *fmt, ...)
{
	if (!st->failed) {
		char msg[400];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		snprintf(st->err, st->errlen, "%s:%d: %s", st->name, line, msg);
	}
	st->failed = 1;
	return 0;
}

/* ------------------------------------------------------------ values */

static int parse_bool(const char *v)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
		return 1;
	if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
		return 0;
	return -1;
}

/* A non-negative decimal number: digits, optionally '.' and digits. */
static int parse_number(const char *v, double *out)
{
	const char *p = v;
	size_t digits = 0;
	while (isdigit((unsigned char)*p))
		p++, digits++;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p))
			p++, digits++;
	}
	if (!digits || *p || p - v > 15)
		return -1;
	*out = strtod(v, NULL);
	return 0;
}

static bool valid_url(const char *v)
{
	const char *host;
	if (strncmp(v, "https://", 8) == 0)
		host = v + 8;
	else if (strncmp(v, "http://", 7) == 0)
		host = v + 7;
	else
		return false;
	if (!*host || *host == '/' || *host == ':' || *host == '@')
		return false;
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
			return false;
	return strlen(v) <= 1024;
}

/* "1.2.3.4", "1.2.3.4:53", "::1", "[::1]:5353". */
static bool valid_dns_server(const char *v)
{
	char host[64];
	const char *port = NULL;
	size_t n;
	if (v[0] == '[') {
		const char *end = strchr(v, ']');
		if (!end || (end[1] && end[1] != ':'))
			return false;
		n = (size_t)(end - v - 1);
		if (n >= sizeof host)
			return false;
		memcpy(host, v + 1, n);
		port = end[1] ? end + 2 : NULL;
	} else {
		const char *colon = strchr(v, ':');
		bool v6 = colon && strchr(colon + 1, ':');
		n = v6 || !colon ? strlen(v) : (size_t)(colon - v);
		if (n >= sizeof host)
			return false;
		memcpy(host, v, n);
		port = !v6 && colon ? colon + 1 : NULL;
	}
	host[n] = 0;
	unsigned char addr[16];
	if (inet_pton(AF_INET, host, addr) != 1 && inet_pton(AF_INET6, host, addr) != 1)
		return false;
	if (port) {
		char *end;
		unsigned long pn = strtoul(port, &end, 10);
		if (!*port || *end || pn < 1 || pn > 65535)
			return false;
	}
	return true;
}

int pv_setting_parse(enum pv_setting s, const char *val, char **canon, char *why, size_t whylen)
{
	char buf[32];
	const char *out = val;
	switch (s) {
	case PV_SET_NONINTERACTIVE: {
		int a = pv_action_parse(val);
		if (a == PV_PROMPT) {
			snprintf(why, whylen, "noninteractive cannot be prompt (nobody can be asked): allow, warn or block");
			return -1;
		}
		if (a < 0) {
			snprintf(why, whylen, "noninteractive must be allow, warn or block");
			return -1;
		}
		out = pv_action_name((enum pv_action)a);
		break;
	}
	case PV_SET_FAIL_CLOSED:
	case PV_SET_ALLOW_YES: {
		int b = parse_bool(val);
		if (b < 0) {
			snprintf(why, whylen, "%s must be yes or no", setting_names[s]);
			return -1;
		}
		out = b ? "yes" : "no";
		break;
	}
	case PV_SET_NPM_REGISTRY:
	case PV_SET_PYPI_INDEX:
	case PV_SET_OSV_URL:
		if (!valid_url(val)) {
			snprintf(why, whylen, "%s must be an http:// or https:// URL", setting_names[s]);
			return -1;
		}
		break;
	case PV_SET_TIMEOUT: {
		double d;
		if (parse_number(val, &d) < 0 || strchr(val, '.') || d < 1 || d > 3600) {
			snprintf(why, whylen, "timeout must be a whole number of seconds from 1 to 3600");
			return -1;
		}
		snprintf(buf, sizeof buf, "%u", (unsigned)d);
		out = buf;
		break;
	}
	case PV_SET_CACHE_DIR:
		if (val[0] != '/') {
			snprintf(why, whylen, "cache_dir must be an absolute path");
			return -1;
		}
		break;
	case PV_SET_LOG:
	case PV_SET_OSV_OFFLINE:
	case PV_SET_REAL_NPM:
	case PV_SET_REAL_PIP: {
		/* An absolute path, or the one word that means "none": off, or for
		 * the real tools path (search PATH). */
		const char *word = s == PV_SET_REAL_NPM || s == PV_SET_REAL_PIP ? "path" : "off";
		if (val[0] != '/' && strcmp(val, word) != 0) {
			snprintf(why, whylen, "%s must be an absolute path or %s", setting_names[s], word);
			return -1;
		}
		break;
	}
	case PV_SET_NPM_DOWNLOADS_URL:
	case PV_SET_PYPI_DOWNLOADS_URL:
		if (!valid_url(val) || !strstr(val, "{name}")) {
			snprintf(why, whylen, "%s must be an http:// or https:// URL containing {name}",
			         setting_names[s]);
			return -1;
		}
		break;
	case PV_SET_DNS_SERVER:
		if (strcmp(val, "system") != 0 && strcmp(val, "off") != 0 && !valid_dns_server(val)) {
			snprintf(why, whylen, "dns_server must be system, off, or an IP address with an optional "
			         ":port (IPv6 as [ADDR]:PORT)");
			return -1;
		}
		break;
	default:
		snprintf(why, whylen, "unknown setting");
		return -1;
	}
	*canon = strdup(out);
	return *canon ? 0 : -2;
}

/* YYYY-MM-DD, a real date. */
static bool valid_date(const char *v)
{
	if (strlen(v) != 10 || v[4] != '-' || v[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)v[i]))
			return false;
	int y = atoi(v), m = atoi(v + 5), d = atoi(v + 8);
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return false;
	int max = dim[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

/* ------------------------------------------------------------ entries */

void pv_rule_free(struct pv_rule *r)
{
	if (r->compiled) {
		if (r->ecosystem && strcmp(r->ecosystem, "npm") == 0)
			pv_semver_range_free(r->compiled);
		else
			pv_pep440_spec_free(r->compiled);
	}
	free(r->entry);
	free(r->ecosystem);
	free(r->name);
	free(r->range);
	free(r->exact);
	free(r->reason);
	free(r->expires);
	memset(r, 0, sizeof *r);
}

static char *trim_dup(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return strndup(s, n);
}

/* npm package names: lower-case letters, digits and - . _ ~ (legacy names
 * may have capitals), optionally @scope/ in front; at most 214 bytes. */
static bool valid_npm_name(const char *n)
{
	size_t len = strlen(n);
	if (!len || len > 214)
		return false;
	const char *p = n;
	if (*p == '@') {
		const char *slash = strchr(p, '/');
		if (!slash || slash == p + 1 || !slash[1] || strchr(slash + 1, '/'))
			return false;
	} else if (strchr(p, '/')) {
		return false;
	}
	if (*p == '@')
		p++;
	if (*p == '.' || *p == '_')
		return false;
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (!(isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/'))
			return false;
		if (c == '/' && (p[1] == '.' || p[1] == '_'))
			return false;
	}
	return true;
}

/* Fill r from "npm:NAME[@RANGE]" or "pypi:NAME[ SPEC]". Returns 0, -1 with
 * why, -2 on allocation failure. */
static int parse_entry(struct pv_rule *r, const char *entry, char *why, size_t whylen)
{
	char shown[80];
	r->entry = strdup(entry);
	if (!r->entry)
		return -2;
	if (strncmp(entry, "npm:", 4) == 0) {
		const char *s = entry + 4;
		const char *at = strchr(s[0] == '@' ? s + 1 : s, '@');
		size_t nlen = at ? (size_t)(at - s) : strlen(s);
		r->ecosystem = strdup("npm");
		r->name = strndup(s, nlen);
		if (!r->ecosystem || !r->name)
			return -2;
		if (!valid_npm_name(r->name)) {
			snprintf(why, whylen, "invalid npm package name '%s' in [%s]",
			         pv_shown(r->name, shown, sizeof shown), entry);
			return -1;
		}
		if (!at)
			return 0;
		r->range = trim_dup(at + 1, strlen(at + 1));
		if (!r->range)
			return -2;
		if (!*r->range) {
			snprintf(why, whylen, "empty version range after '@' in [%s] (leave out the '@' to cover every version)",
			         entry);
			return -1;
		}
		char rerr[200] = "";
		struct pv_semver_range *compiled = NULL;
		int rc = pv_semver_range_parse(r->range, &compiled, rerr, sizeof rerr);
		r->compiled = compiled;
		if (rc == -2)
			return -2;
		if (rc < 0) {
			snprintf(why, whylen, "invalid npm version range '%s' in [%s]: %s",
			         pv_shown(r->range, shown, sizeof shown), entry, rerr);
			return -1;
		}
		struct pv_semver v;
		if (pv_semver_parse(r->range, &v) == 0 && !(r->exact = strdup(r->range)))
			return -2;
		return 0;
	}
	if (strncmp(entry, "pypi:", 5) == 0) {
		const char *s = entry + 5;
		size_t nlen = strcspn(s, " \t");
		char raw[256], norm[256];
		r->ecosystem = strdup("pypi");
		if (!r->ecosystem)
			return -2;
		if (nlen >= sizeof raw) {
			snprintf(why, whylen, "PyPI project name too long in [%s]", entry);
			return -1;
		}
		memcpy(raw, s, nlen);
		raw[nlen] = 0;
		if (pv_pep503_normalize(raw, norm, sizeof norm) < 0) {
			snprintf(why, whylen,
			         "invalid PyPI project name '%s' in [%s] (a specifier goes after a space: pypi:NAME SPEC)",
			         pv_shown(raw, shown, sizeof shown), entry);
			return -1;
		}
		r->name = strdup(norm);
		if (!r->name)
			return -2;
		if (!s[nlen])
			return 0;
		char *spec = trim_dup(s + nlen, strlen(s + nlen));
		if (!spec)
			return -2;
		if (!*spec) {
			free(spec);
			return 0;
		}
		r->range = spec;
		char serr[200] = "";
		struct pv_pep440_spec *compiled = NULL;
		int rc = pv_pep440_spec_parse(spec, &compiled, serr, sizeof serr);
		r->compiled = compiled;
		if (rc == -2)
			return -2;
		if (rc < 0) {
			snprintf(why, whylen, "invalid PEP 440 specifier '%s' in [%s]: %s",
			         pv_shown(spec, shown, sizeof shown), entry, serr);
			return -1;
		}
		/* "==V" or "===V", one clause, no wildcard: it names one version. */
		const char *v = NULL;
		if (strncmp(spec, "===", 3) == 0)
			v = spec + 3;
		else if (strncmp(spec, "==", 2) == 0)
			v = spec + 2;
		if (v && !strchr(v, ',') && !strchr(v, '*')) {
			struct pv_pep440 pv;
			while (isspace((unsigned char)*v))
				v++;
			if (pv_pep440_parse(v, &pv) == 0 && !(r->exact = strdup(v)))
				return -2;
		}
		return 0;
	}
	snprintf(why, whylen, "[%s] must name npm:NAME[@RANGE] or pypi:NAME[ SPEC]", entry);
	return -1;
}

bool pv_rule_matches(const struct pv_rule *r, const char *ecosystem, const char *name,
                     const char *version)
{
	if (!ecosystem || !name || strcmp(r->ecosystem, ecosystem) != 0 || strcmp(r->name, name) != 0)
		return false;
	if (!r->range)
		return true;
	/* A deny covers pre-releases inside its range and, failing safe,
	 * versions that cannot be compared; an allow covers neither. */
	bool deny = r->kind == PV_RULE_DENY;
	if (!version)
		return deny;
	if (strcmp(r->ecosystem, "npm") == 0) {
		struct pv_semver v;
		if (pv_semver_parse(version, &v) < 0)
			return deny;
		return pv_semver_satisfies(r->compiled, &v, deny);
	}
	struct pv_pep440 v;
	if (pv_pep440_parse(version, &v) < 0)
		return deny;
	return pv_pep440_spec_contains(r->compiled, &v, deny);
}

bool pv_rule_is_exact(const struct pv_rule *r, const char *version)
{
	if (!r->exact || !version)
		return false;
	if (strcmp(r->ecosystem, "npm") == 0) {
		struct pv_semver a, b;
		return pv_semver_parse(r->exact, &a) == 0 && pv_semver_parse(version, &b) == 0 &&
		       pv_semver_cmp(&a, &b) == 0;
	}
	struct pv_pep440 a, b;
	return pv_pep440_parse(r->exact, &a) == 0 && pv_pep440_parse(version, &b) == 0 &&
	       pv_pep440_cmp(&a, &b) == 0 && strcmp(a.local, b.local) == 0;
}

/* Same ecosystem, name and range text: the same entry. */
static bool same_entry(const struct pv_rule *a, const struct pv_rule *b)
{
	if (strcmp(a->ecosystem, b->ecosystem) || strcmp(a->name, b->name))
		return false;
	if (!a->range || !b->range)
		return !a->range && !b->range;
	return strcmp(a->range, b->range) == 0;
}

/* ------------------------------------------------------------ sections */

static const char *kind_word(enum pv_rule_kind k)
{
	return k == PV_RULE_DENY ? "deny" : "allow";
}

static void on_section(struct pstate *st, char *name, int line)
{
	struct pv_pfile *pf = st->pf;
	/* "[ settings ]" reads as [settings]. */
	while (isspace((unsigned char)*name))
		name++;
	size_t n = strlen(name);
	while (n && isspace((unsigned char)name[n - 1]))
		name[--n] = 0;
	st->sec = SEC_NONE;
	if (strcmp(name, "attributes") == 0) {
		st->sec = SEC_ATTRIBUTES;
		return;
	}
	if (strcmp(name, "settings") == 0) {
		st->sec = SEC_SETTINGS;
		return;
	}
	if (strcmp(name, "locked") == 0) {
		if (!pf->org) {
			fail(st, line, "[locked] is allowed only in the organisation policy (%s)", PKGVET_ORG_POLICY);
			return;
		}
		st->sec = SEC_LOCKED;
		return;
	}
	enum pv_rule_kind kind = PV_RULE_NONE;
	const char *rest = NULL;
	if (strncmp(name, "allow", 5) == 0 && (!name[5] || isspace((unsigned char)name[5]))) {
		kind = PV_RULE_ALLOW;
		rest = name + 5;
	} else if (strncmp(name, "deny", 4) == 0 && (!name[4] || isspace((unsigned char)name[4]))) {
		kind = PV_RULE_DENY;
		rest = name + 4;
	}
	char shown[80];
	if (kind == PV_RULE_NONE) {
		fail(st, line, "unknown section [%s] (attributes, settings, allow ENTRY, deny ENTRY, locked)",
		     pv_shown(name, shown, sizeof shown));
		return;
	}
	while (isspace((unsigned char)*rest))
		rest++;
	if (!*rest) {
		fail(st, line, "[%s] needs an entry: [%s npm:NAME@RANGE] or [%s pypi:NAME SPEC]",
		     kind_word(kind), kind_word(kind), kind_word(kind));
		return;
	}
	if (pf->nr == pf->capr) {
		size_t cap = pf->capr ? pf->capr * 2 : 16;
		struct pv_rule *r = realloc(pf->r, cap * sizeof *r);
		if (r)
			pf->r = r;
		unsigned *rl = realloc(pf->reason_line, cap * sizeof *rl);
		if (rl)
			pf->reason_line = rl;
		unsigned *el = realloc(pf->expires_line, cap * sizeof *el);
		if (el)
			pf->expires_line = el;
		if (!r || !rl || !el) {
			fail(st, line, "out of memory");
			return;
		}
		pf->capr = cap;
	}
	struct pv_rule *r = &pf->r[pf->nr];
	memset(r, 0, sizeof *r);
	pf->reason_line[pf->nr] = 0;
	pf->expires_line[pf->nr] = 0;
	pf->nr++;
	r->kind = kind;
	r->origin.file = pf->name;
	r->origin.line = (unsigned)line;
	char why[400];
	int rc = parse_entry(r, rest, why, sizeof why);
	if (rc == -2) {
		fail(st, line, "out of memory");
		return;
	}
	if (rc < 0) {
		fail(st, line, "%s", why);
		return;
	}
	for (size_t i = 0; i + 1 < pf->nr; i++) {
		const struct pv_rule *o = &pf->r[i];
		if (!same_entry(o, r))
			continue;
		if (o->kind == kind)
			fail(st, line, "[%s %s] is already at line %u", kind_word(kind), r->entry, o->origin.line);
		else
			fail(st, line, "[%s %s] contradicts [%s %s] at line %u", kind_word(kind), r->entry,
			     kind_word(o->kind), o->entry, o->origin.line);
		return;
	}
	st->sec = SEC_RULE;
	st->rule = pf->nr - 1;
}

/* ------------------------------------------------------------ the reader */

/* inih's find_chars_or_comment: the first of chars, or an inline ';'
 * comment (a ';' after whitespace), or the end. */
static char *find_chars_or_comment(char *s, const char *chars)
{
	int was_space = 0;
	while (*s && (!chars || !strchr(chars, *s)) && !(was_space && *s == ';')) {
		was_space = isspace((unsigned char)*s);
		s++;
	}
	return s;
}

/* Classify the line the way inih's ini_parse_stream will. */
static void classify(struct pstate *st, const char *buf)
{
	char tmp[INI_MAX_LINE + 1];
	snprintf(tmp, sizeof tmp, "%s", buf);
	char *line = tmp;
	if (st->line == 1 && (unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB &&
	    (unsigned char)line[2] == 0xBF)
		memmove(line, line + 3, strlen(line + 3) + 1);
	size_t n = strlen(line);
	while (n && isspace((unsigned char)line[n - 1]))
		line[--n] = 0;
	char *start = line;
	while (isspace((unsigned char)*start))
		start++;
	st->cont = false;
	if (!*start || *start == ';' || *start == '#')
		return;
	if (st->prev_key && start > line) {
		st->cont = true;
		return;
	}
	if (*start == '[') {
		char *end = find_chars_or_comment(start + 1, "]");
		if (*end != ']') {
			fail(st, st->line, "section header without ']'");
			return;
		}
		*end = 0;
		st->prev_key = false;
		on_section(st, start + 1, st->line);
		return;
	}
	char *end = find_chars_or_comment(start, "=:");
	if (*end != '=' && *end != ':') {
		fail(st, st->line, "expected [section] or key = value");
		return;
	}
	st->prev_key = true;
}

static char *read_line(char *buf, int size, void *stream)
{
	struct pstate *st = stream;
	if (st->failed || st->text >= st->end || size < 3)
		return NULL;
	int i = 0;
	while (i < size - 1 && st->text < st->end) {
		char c = *st->text++;
		buf[i++] = c;
		if (c == '\n')
			break;
	}
	buf[i] = 0;
	st->line++;
	if (i == size - 1 && buf[i - 1] != '\n' && st->text < st->end) {
		fail(st, st->line, "line longer than %d characters", size - 2);
		return NULL;
	}
	for (int k = 0; k < i; k++) {
		unsigned char c = (unsigned char)buf[k];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
			fail(st, st->line, "control character 0x%02x", c);
			return NULL;
		}
	}
	classify(st, buf);
	return st->failed ? NULL : buf;
}

/* ------------------------------------------------------------ keys */

static struct pv_passign *add_assign(struct pstate *st, enum pv_akind kind, const char *key,
                                     const char *text, int line, bool *dup)
{
	struct pv_pfile *pf = st->pf;
	*dup = false;
	for (size_t i = 0; i < pf->na; i++) {
		struct pv_passign *o = &pf->a[i];
		if (strcmp(o->key, key) != 0)
			continue;
		if (strcmp(o->text, text) != 0) {
			char s1[80], s2[80];
			fail(st, line, "%s is set twice with different values: '%s' at line %u, '%s' here", key,
			     pv_shown(o->text, s1, sizeof s1), o->line, pv_shown(text, s2, sizeof s2));
			return NULL;
		}
		*dup = true; /* the same value again: harmless, the first line stays */
		return o;
	}
	if (pf->na == pf->capa) {
		size_t cap = pf->capa ? pf->capa * 2 : 32;
		struct pv_passign *a = realloc(pf->a, cap * sizeof *a);
		if (!a) {
			fail(st, line, "out of memory");
			return NULL;
		}
		pf->a = a;
		pf->capa = cap;
	}
	struct pv_passign *a = &pf->a[pf->na];
	memset(a, 0, sizeof *a);
	a->kind = kind;
	a->key = strdup(key);
	a->text = strdup(text);
	a->line = (unsigned)line;
	a->field = -1;
	a->setting = -1;
	if (!a->key || !a->text) {
		free(a->key);
		free(a->text);
		fail(st, line, "out of memory");
		return NULL;
	}
	pf->na++;
	return a;
}

static int field_of(const char *s)
{
	for (int f = 0; f < PV_FIELD__COUNT; f++)
		if (strcmp(s, field_names[f]) == 0)
			return f;
	return -1;
}

static int setting_of(const char *s)
{
	for (int k = 0; k < PV_SET__COUNT; k++)
		if (strcmp(s, setting_names[k]) == 0)
			return k;
	return -1;
}

/* "ID" or "ID.FIELD" of a known attribute; field -1 when absent. */
static int attr_ref(struct pstate *st, const char *ref, const char *where, int line, size_t *attr,
                    int *field)
{
	char id[128], shown[80];
	const char *dot = strchr(ref, '.');
	size_t n = dot ? (size_t)(dot - ref) : strlen(ref);
	if (n >= sizeof id)
		n = sizeof id - 1;
	memcpy(id, ref, n);
	id[n] = 0;
	const struct pv_attr *a = pv_catalogue_find(st->cat, id);
	if (!a) {
		fail(st, line, "unknown attribute '%s' in %s (pkgvet explain lists them)",
		     pv_shown(id, shown, sizeof shown), where);
		return -1;
	}
	*attr = (size_t)(a - st->cat->v);
	*field = -1;
	if (!dot)
		return 0;
	*field = field_of(dot + 1);
	if (*field < 0) {
		fail(st, line, "unknown key '%s' in %s (an attribute takes action, install_time_action, "
		     "high_action, enabled or threshold)", pv_shown(ref, shown, sizeof shown), where);
		return -1;
	}
	if (*field == PV_FIELD_THRESHOLD && !a->has_threshold) {
		fail(st, line, "attribute %s has no threshold", a->id);
		return -1;
	}
	if (*field == PV_FIELD_HIGH_ACTION && a->high_action < 0) {
		fail(st, line, "attribute %s has no high_action (only known-vuln has one)", a->id);
		return -1;
	}
	return 0;
}

static int key_attribute(struct pstate *st, const char *key, const char *val, int line)
{
	size_t attr;
	int field;
	char shown[80], ckey[200], text[64];
	if (attr_ref(st, key, "[attributes]", line, &attr, &field) < 0)
		return 0;
	if (field < 0)
		field = PV_FIELD_ACTION;
	const struct pv_attr *a = &st->cat->v[attr];
	int ival = 0;
	double num = 0;
	switch (field) {
	case PV_FIELD_ACTION:
	case PV_FIELD_INSTALL_TIME_ACTION:
	case PV_FIELD_HIGH_ACTION:
		ival = pv_action_parse(val);
		if (ival < 0)
			return fail(st, line, "invalid action '%s' for %s (allow, warn, prompt or block)",
			            pv_shown(val, shown, sizeof shown), key);
		snprintf(text, sizeof text, "%s", pv_action_name((enum pv_action)ival));
		break;
	case PV_FIELD_ENABLED:
		ival = parse_bool(val);
		if (ival < 0)
			return fail(st, line, "%s must be yes or no, not '%s'", key, pv_shown(val, shown, sizeof shown));
		snprintf(text, sizeof text, "%s", ival ? "yes" : "no");
		break;
	case PV_FIELD_THRESHOLD:
		if (parse_number(val, &num) < 0)
			return fail(st, line, "invalid threshold '%s' for %s (a non-negative number%s%s)",
			            pv_shown(val, shown, sizeof shown), key, a->unit ? " of " : "",
			            a->unit ? a->unit : "");
		snprintf(text, sizeof text, "%.15g", num);
		break;
	}
	snprintf(ckey, sizeof ckey, "attributes.%s.%s", a->id, field_names[field]);
	bool dup;
	struct pv_passign *as = add_assign(st, PA_ATTR, ckey, text, line, &dup);
	if (!as)
		return 0;
	as->attr = attr;
	as->field = field;
	as->ival = ival;
	as->num = num;
	return 1;
}

static int key_setting(struct pstate *st, const char *key, const char *val, int line)
{
	char shown[80], why[200], ckey[64];
	int s = setting_of(key);
	if (s < 0)
		return fail(st, line, "unknown key '%s' in [settings] (noninteractive, fail_closed, npm_registry, "
		            "pypi_index, osv_url, timeout, cache_dir, log, osv_offline, npm_downloads_url, "
		            "pypi_downloads_url, dns_server, allow_yes, real_npm, real_pip)",
		            pv_shown(key, shown, sizeof shown));
	/* Which npm / pip the shims run is the organisation's to fix or a
	 * person's own (PKGVET_REAL_*): a project file that named one could
	 * run anything from the repository it came with. */
	if ((s == PV_SET_REAL_NPM || s == PV_SET_REAL_PIP) && !st->pf->org)
		return fail(st, line, "%s can be set only in the organisation policy (a person sets %s)", key,
		            s == PV_SET_REAL_NPM ? "PKGVET_REAL_NPM" : "PKGVET_REAL_PIP");
	char *canon = NULL;
	int rc = pv_setting_parse((enum pv_setting)s, val, &canon, why, sizeof why);
	if (rc == -2)
		return fail(st, line, "out of memory");
	if (rc < 0)
		return fail(st, line, "invalid value '%s': %s", pv_shown(val, shown, sizeof shown), why);
	snprintf(ckey, sizeof ckey, "settings.%s", key);
	bool dup;
	struct pv_passign *as = add_assign(st, PA_SETTING, ckey, canon, line, &dup);
	free(canon);
	if (!as)
		return 0;
	as->setting = s;
	return 1;
}

static int key_locked(struct pstate *st, const char *key, const char *val, int line)
{
	char shown[80], shown2[80], ckey[200];
	int b = parse_bool(val);
	if (b < 0)
		return fail(st, line, "[locked] %s must be yes or no, not '%s'", pv_shown(key, shown, sizeof shown),
		            pv_shown(val, shown2, sizeof shown2));
	enum pv_akind kind;
	size_t attr = 0;
	int field = -1, setting = -1;
	if (strcmp(key, "allow") == 0) {
		kind = PA_LOCK_ALLOW;
	} else if (strcmp(key, "deny") == 0) {
		kind = PA_LOCK_DENY;
	} else if (strcmp(key, "attributes.*") == 0) {
		kind = PA_LOCK_ATTR_ALL;
	} else if (strcmp(key, "settings.*") == 0) {
		kind = PA_LOCK_SET_ALL;
	} else if (strncmp(key, "attributes.", 11) == 0) {
		kind = PA_LOCK_ATTR;
		if (attr_ref(st, key + 11, "[locked]", line, &attr, &field) < 0)
			return 0;
	} else if (strncmp(key, "settings.", 9) == 0) {
		kind = PA_LOCK_SETTING;
		setting = setting_of(key + 9);
		if (setting < 0)
			return fail(st, line, "unknown setting '%s' in [locked]", pv_shown(key, shown, sizeof shown));
	} else {
		return fail(st, line, "unknown key '%s' in [locked] (attributes.ID, attributes.ID.KEY, attributes.*, "
		            "settings.KEY, settings.*, allow, deny)", pv_shown(key, shown, sizeof shown));
	}
	if (kind == PA_LOCK_ATTR)
		snprintf(ckey, sizeof ckey, "locked.attributes.%s%s%s", st->cat->v[attr].id, field < 0 ? "" : ".",
		         field < 0 ? "" : field_names[field]);
	else
		snprintf(ckey, sizeof ckey, "locked.%s", key);
	bool dup;
	struct pv_passign *as = add_assign(st, kind, ckey, b ? "yes" : "no", line, &dup);
	if (!as)
		return 0;
	as->attr = attr;
	as->field = field;
	as->setting = setting;
	as->ival = b;
	return 1;
}

static int key_rule(struct pstate *st, const char *key, const char *val, int line)
{
	struct pv_pfile *pf = st->pf;
	struct pv_rule *r = &pf->r[st->rule];
	char shown[80];
	if (strcmp(key, "reason") == 0) {
		if (!*val)
			return fail(st, line, "empty reason in [%s %s]", kind_word(r->kind), r->entry);
		if (r->reason && strcmp(r->reason, val) != 0)
			return fail(st, line, "reason of [%s %s] is set twice with different values (line %u)",
			            kind_word(r->kind), r->entry, pf->reason_line[st->rule]);
		if (!r->reason && !(r->reason = strdup(val)))
			return fail(st, line, "out of memory");
		pf->reason_line[st->rule] = (unsigned)line;
		return 1;
	}
	if (strcmp(key, "expires") == 0) {
		if (!valid_date(val))
			return fail(st, line, "invalid date '%s' for expires (YYYY-MM-DD, a real date)",
			            pv_shown(val, shown, sizeof shown));
		if (r->expires && strcmp(r->expires, val) != 0)
			return fail(st, line, "expires of [%s %s] is set twice with different values (line %u)",
			            kind_word(r->kind), r->entry, pf->expires_line[st->rule]);
		if (!r->expires && !(r->expires = strdup(val)))
			return fail(st, line, "out of memory");
		pf->expires_line[st->rule] = (unsigned)line;
		return 1;
	}
	return fail(st, line, "unknown key '%s' in [%s %s] (reason, expires)", pv_shown(key, shown, sizeof shown),
	            kind_word(r->kind), r->entry);
}

static int on_key(void *user, const char *section, const char *key, const char *val)
{
	struct pstate *st = user;
	int line = st->line;
	(void)section; /* inih's copy is cut at 49 bytes: the reader kept the whole name */
	if (st->failed)
		return 0;
	if (st->cont) {
		/* An indented line continues the previous key (inih multi-line). */
		if (st->sec == SEC_RULE && strcmp(key, "reason") == 0) {
			struct pv_rule *r = &st->pf->r[st->rule];
			if (r->reason && *val) {
				size_t a = strlen(r->reason), b = strlen(val);
				char *n = realloc(r->reason, a + b + 2);
				if (!n)
					return fail(st, line, "out of memory");
				n[a] = ' ';
				memcpy(n + a + 1, val, b + 1);
				r->reason = n;
			}
			return 1;
		}
		return fail(st, line, "indented line continues %s: only reason may go on over several lines",
		            key);
	}
	switch (st->sec) {
	case SEC_ATTRIBUTES:
		return key_attribute(st, key, val, line);
	case SEC_SETTINGS:
		return key_setting(st, key, val, line);
	case SEC_LOCKED:
		return key_locked(st, key, val, line);
	case SEC_RULE:
		return key_rule(st, key, val, line);
	case SEC_NONE:
	default: {
		char shown[80];
		return fail(st, line, "key '%s' outside any section", pv_shown(key, shown, sizeof shown));
	}
	}
}

int pv_pfile_parse(struct pv_pfile *pf, const struct pv_catalogue *cat, const char *text,
                   size_t len, const char *name, bool org, char *err, size_t errlen)
{
	memset(pf, 0, sizeof *pf);
	pf->org = org;
	pf->name = strdup(name);
	if (!pf->name) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	struct pstate st = {.pf = pf, .cat = cat, .name = pf->name, .text = text, .end = text + len,
	                    .err = err, .errlen = errlen};
	const char *nul = memchr(text, 0, len);
	if (nul) {
		int line = 1;
		for (const char *p = text; p < nul; p++)
			line += *p == '\n';
		fail(&st, line, "NUL byte");
		return -1;
	}
	int rc = ini_parse_stream(read_line, &st, on_key, &st);
	if (!st.failed && rc > 0)
		fail(&st, rc, "syntax error (expected [section] or key = value)");
	if (!st.failed && rc < 0)
		fail(&st, 0, "cannot parse");
	if (st.failed)
		return -1;
	for (size_t i = 0; i < pf->nr; i++) {
		const struct pv_rule *r = &pf->r[i];
		if (!r->reason) {
			fail(&st, (int)r->origin.line, "[%s %s] needs a reason", kind_word(r->kind), r->entry);
			return -1;
		}
	}
	return 0;
}

void pv_pfile_free(struct pv_pfile *pf)
{
	for (size_t i = 0; i < pf->na; i++) {
		free(pf->a[i].key);
		free(pf->a[i].text);
	}
	for (size_t i = 0; i < pf->nr; i++)
		pv_rule_free(&pf->r[i]);
	free(pf->a);
	free(pf->r);
	free(pf->reason_line);
	free(pf->expires_line);
	free(pf->name);
	memset(pf, 0, sizeof *pf);
}

int pv_pfile_read(const char *path, char **text, size_t *len, unsigned *owner, char *err,
                  size_t errlen)
{
	*text = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		struct stat lsb;
		int e = errno;
		/* A dangling symbolic link is a file that exists and cannot be
		 * read, not an absent one. */
		if ((e == ENOENT || e == ENOTDIR) && lstat(path, &lsb) < 0)
			return 1;
		if (e == ENOENT) {
			snprintf(err, errlen, "%s: cannot read: dangling symbolic link", path);
			return -1;
		}
		errno = e;
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	struct stat sb;
	if (fstat(fd, &sb) < 0) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: cannot read: not a regular file", path);
		close(fd);
		return -1;
	}
	if (owner)
		*owner = (unsigned)sb.st_uid;
	if (sb.st_size > (off_t)PV_POLICY_MAX_BYTES) {
		snprintf(err, errlen, "%s: too large (more than %u bytes)", path, PV_POLICY_MAX_BYTES);
		close(fd);
		return -1;
	}
	size_t cap = (size_t)sb.st_size + 1, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		close(fd);
		return -1;
	}
	for (;;) {
		if (n == cap) {
			/* It grew while we read: allow up to the limit. */
			if (cap >= PV_POLICY_MAX_BYTES) {
				snprintf(err, errlen, "%s: too large (more than %u bytes)", path, PV_POLICY_MAX_BYTES);
				free(buf);
				close(fd);
				return -1;
			}
			cap *= 2;
			char *nb = realloc(buf, cap + 1);
			if (!nb) {
				snprintf(err, errlen, "%s: out of memory", path);
				free(buf);
				close(fd);
				return -1;
			}
			buf = nb;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = 0;
	*text = buf;
	*len = n;
	return 0;
}
