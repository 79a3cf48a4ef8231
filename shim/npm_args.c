/* npm_args.c - classify an npm / npx command line the way npm 11 reads it.
 *
 * The option and command tables below are facts taken from npm 11.19.1
 * (@npmcli/config definitions, its shorthands, lib/utils/cmd-list.js). The
 * parsing rules follow nopt's documented behaviour; see npm_args.h. */
#include "npm_args.h"
#include "strvec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How an option treats the argument after it (nopt's rules by type). */
enum pv_opt_kind {
	PV_OPT_BOOL,            /* Boolean: consumes a following "true"/"false" only */
	PV_OPT_BOOL_OR_NULL,    /* [null, Boolean]: also consumes "null" */
	PV_OPT_BOOL_OR_ALWAYS,  /* ["always", Boolean] (color): also consumes "always" */
	PV_OPT_BOOL_OR_STRING,  /* [null, Boolean, String] (browser): also any word not
	                         * shaped like a short option */
	PV_OPT_STRING,          /* String: consumes the next argument unless it looks
	                         * like an option ("-x", "--x") */
	PV_OPT_VALUE,           /* every other type: consumes the next argument
	                         * whatever it is, except a bare "--" */
};

struct pv_opt_def {
	const char *name;
	enum pv_opt_kind kind;
};

/* Every config key npm accepts on the command line, sorted (strcmp order):
 * unique prefixes of these are accepted as abbreviations. */
static const struct pv_opt_def opt_defs[] = {
	{"_auth", PV_OPT_VALUE},
	{"access", PV_OPT_VALUE},
	{"all", PV_OPT_BOOL},
	{"allow-directory", PV_OPT_VALUE},
	{"allow-file", PV_OPT_VALUE},
	{"allow-git", PV_OPT_VALUE},
	{"allow-remote", PV_OPT_VALUE},
	{"allow-same-version", PV_OPT_BOOL},
	{"allow-scripts", PV_OPT_VALUE},
	{"allow-scripts-pending", PV_OPT_BOOL},
	{"allow-scripts-pin", PV_OPT_BOOL},
	{"also", PV_OPT_VALUE},
	{"audit", PV_OPT_BOOL},
	{"audit-level", PV_OPT_VALUE},
	{"auth-type", PV_OPT_VALUE},
	{"before", PV_OPT_VALUE},
	{"bin-links", PV_OPT_BOOL},
	{"browser", PV_OPT_BOOL_OR_STRING},
	{"bypass-2fa", PV_OPT_BOOL},
	{"ca", PV_OPT_VALUE},
	{"cache", PV_OPT_VALUE},
	{"cache-max", PV_OPT_VALUE},
	{"cache-min", PV_OPT_VALUE},
	{"cafile", PV_OPT_VALUE},
	{"call", PV_OPT_STRING},
	{"cert", PV_OPT_VALUE},
	{"cidr", PV_OPT_VALUE},
	{"color", PV_OPT_BOOL_OR_ALWAYS},
	{"commit-hooks", PV_OPT_BOOL},
	{"cpu", PV_OPT_VALUE},
	{"dangerously-allow-all-scripts", PV_OPT_BOOL},
	{"depth", PV_OPT_VALUE},
	{"description", PV_OPT_BOOL},
	{"dev", PV_OPT_BOOL},
	{"diff", PV_OPT_VALUE},
	{"diff-dst-prefix", PV_OPT_STRING},
	{"diff-ignore-all-space", PV_OPT_BOOL},
	{"diff-name-only", PV_OPT_BOOL},
	{"diff-no-prefix", PV_OPT_BOOL},
	{"diff-src-prefix", PV_OPT_STRING},
	{"diff-text", PV_OPT_BOOL},
	{"diff-unified", PV_OPT_VALUE},
	{"dry-run", PV_OPT_BOOL},
	{"editor", PV_OPT_STRING},
	{"engine-strict", PV_OPT_BOOL},
	{"expect-result-count", PV_OPT_VALUE},
	{"expect-results", PV_OPT_BOOL_OR_NULL},
	{"expires", PV_OPT_VALUE},
	{"fetch-retries", PV_OPT_VALUE},
	{"fetch-retry-factor", PV_OPT_VALUE},
	{"fetch-retry-maxtimeout", PV_OPT_VALUE},
	{"fetch-retry-mintimeout", PV_OPT_VALUE},
	{"fetch-timeout", PV_OPT_VALUE},
	{"force", PV_OPT_BOOL},
	{"foreground-scripts", PV_OPT_BOOL},
	{"format-package-lock", PV_OPT_BOOL},
	{"fund", PV_OPT_BOOL},
	{"git", PV_OPT_STRING},
	{"git-tag-version", PV_OPT_BOOL},
	{"global", PV_OPT_BOOL},
	{"global-style", PV_OPT_BOOL},
	{"globalconfig", PV_OPT_VALUE},
	{"heading", PV_OPT_STRING},
	{"https-proxy", PV_OPT_VALUE},
	{"if-present", PV_OPT_BOOL},
	{"ignore-scripts", PV_OPT_BOOL},
	{"include", PV_OPT_VALUE},
	{"include-attestations", PV_OPT_BOOL},
	{"include-staged", PV_OPT_BOOL},
	{"include-workspace-root", PV_OPT_BOOL},
	{"init-author-email", PV_OPT_STRING},
	{"init-author-name", PV_OPT_STRING},
	{"init-author-url", PV_OPT_VALUE},
	{"init-license", PV_OPT_STRING},
	{"init-module", PV_OPT_VALUE},
	{"init-private", PV_OPT_BOOL},
	{"init-type", PV_OPT_STRING},
	{"init-version", PV_OPT_VALUE},
	{"init.author.email", PV_OPT_STRING},
	{"init.author.name", PV_OPT_STRING},
	{"init.author.url", PV_OPT_VALUE},
	{"init.license", PV_OPT_STRING},
	{"init.module", PV_OPT_VALUE},
	{"init.version", PV_OPT_VALUE},
	{"install-links", PV_OPT_BOOL},
	{"install-strategy", PV_OPT_VALUE},
	{"json", PV_OPT_BOOL},
	{"key", PV_OPT_VALUE},
	{"legacy-bundling", PV_OPT_BOOL},
	{"legacy-peer-deps", PV_OPT_BOOL},
	{"libc", PV_OPT_VALUE},
	{"link", PV_OPT_BOOL},
	{"local-address", PV_OPT_VALUE},
	{"location", PV_OPT_VALUE},
	{"lockfile-version", PV_OPT_VALUE},
	{"loglevel", PV_OPT_VALUE},
	{"logs-dir", PV_OPT_VALUE},
	{"logs-max", PV_OPT_VALUE},
	{"long", PV_OPT_BOOL},
	{"maxsockets", PV_OPT_VALUE},
	{"message", PV_OPT_STRING},
	{"min-release-age", PV_OPT_VALUE},
	{"min-release-age-exclude", PV_OPT_VALUE},
	{"name", PV_OPT_VALUE},
	{"node-gyp", PV_OPT_VALUE},
	{"node-options", PV_OPT_VALUE},
	{"noproxy", PV_OPT_VALUE},
	{"offline", PV_OPT_BOOL},
	{"omit", PV_OPT_VALUE},
	{"omit-lockfile-registry-resolved", PV_OPT_BOOL},
	{"only", PV_OPT_VALUE},
	{"optional", PV_OPT_BOOL_OR_NULL},
	{"orgs", PV_OPT_VALUE},
	{"orgs-permission", PV_OPT_VALUE},
	{"os", PV_OPT_VALUE},
	{"otp", PV_OPT_VALUE},
	{"pack-destination", PV_OPT_STRING},
	{"package", PV_OPT_VALUE},
	{"package-lock", PV_OPT_BOOL},
	{"package-lock-only", PV_OPT_BOOL},
	{"packages", PV_OPT_VALUE},
	{"packages-all", PV_OPT_BOOL},
	{"packages-and-scopes-permission", PV_OPT_VALUE},
	{"parseable", PV_OPT_BOOL},
	{"password", PV_OPT_VALUE},
	{"prefer-dedupe", PV_OPT_BOOL},
	{"prefer-offline", PV_OPT_BOOL},
	{"prefer-online", PV_OPT_BOOL},
	{"prefix", PV_OPT_VALUE},
	{"preid", PV_OPT_STRING},
	{"production", PV_OPT_BOOL_OR_NULL},
	{"progress", PV_OPT_BOOL},
	{"provenance", PV_OPT_BOOL},
	{"provenance-file", PV_OPT_VALUE},
	{"proxy", PV_OPT_VALUE},
	{"read-only", PV_OPT_BOOL},
	{"rebuild-bundle", PV_OPT_BOOL},
	{"registry", PV_OPT_VALUE},
	{"replace-registry-host", PV_OPT_VALUE},
	{"save", PV_OPT_BOOL},
	{"save-bundle", PV_OPT_BOOL},
	{"save-dev", PV_OPT_BOOL},
	{"save-exact", PV_OPT_BOOL},
	{"save-optional", PV_OPT_BOOL},
	{"save-peer", PV_OPT_BOOL},
	{"save-prefix", PV_OPT_STRING},
	{"save-prod", PV_OPT_BOOL},
	{"sbom-format", PV_OPT_VALUE},
	{"sbom-type", PV_OPT_VALUE},
	{"scope", PV_OPT_STRING},
	{"scopes", PV_OPT_VALUE},
	{"script-shell", PV_OPT_VALUE},
	{"searchexclude", PV_OPT_STRING},
	{"searchlimit", PV_OPT_VALUE},
	{"searchopts", PV_OPT_STRING},
	{"searchstaleness", PV_OPT_VALUE},
	{"shell", PV_OPT_STRING},
	{"shrinkwrap", PV_OPT_BOOL},
	{"sign-git-commit", PV_OPT_BOOL},
	{"sign-git-tag", PV_OPT_BOOL},
	{"strict-allow-scripts", PV_OPT_BOOL},
	{"strict-peer-deps", PV_OPT_BOOL},
	{"strict-ssl", PV_OPT_BOOL},
	{"tag", PV_OPT_STRING},
	{"tag-version-prefix", PV_OPT_STRING},
	{"timing", PV_OPT_BOOL},
	{"token-description", PV_OPT_VALUE},
	{"umask", PV_OPT_VALUE},
	{"unicode", PV_OPT_BOOL},
	{"update-notifier", PV_OPT_BOOL},
	{"usage", PV_OPT_BOOL},
	{"user-agent", PV_OPT_STRING},
	{"userconfig", PV_OPT_VALUE},
	{"version", PV_OPT_BOOL},
	{"versions", PV_OPT_BOOL},
	{"viewer", PV_OPT_STRING},
	{"which", PV_OPT_VALUE},
	{"workspace", PV_OPT_VALUE},
	{"workspaces", PV_OPT_BOOL_OR_NULL},
	{"workspaces-update", PV_OPT_BOOL},
	{"yes", PV_OPT_BOOL_OR_NULL},

};

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* npm's shorthands: `-D`, `--ws`, `--reg`... each expands to one or two
 * arguments. Keys are case-sensitive (-L is --location, -l is --long). */
struct pv_shorthand {
	const char *key;
	const char *expand[2]; /* second is NULL when there is only one */
};

static const struct pv_shorthand shorthands[] = {
	{"?", {"--usage", NULL}},
	{"B", {"--save-bundle", NULL}},
	{"C", {"--prefix", NULL}},
	{"D", {"--save-dev", NULL}},
	{"E", {"--save-exact", NULL}},
	{"H", {"--usage", NULL}},
	{"L", {"--location", NULL}},
	{"O", {"--save-optional", NULL}},
	{"P", {"--save-prod", NULL}},
	{"S", {"--save", NULL}},
	{"a", {"--all", NULL}},
	{"c", {"--call", NULL}},
	{"d", {"--loglevel", "info"}},
	{"dd", {"--loglevel", "verbose"}},
	{"ddd", {"--loglevel", "silly"}},
	{"desc", {"--description", NULL}},
	{"enjoy-by", {"--before", NULL}},
	{"f", {"--force", NULL}},
	{"g", {"--global", NULL}},
	{"h", {"--usage", NULL}},
	{"help", {"--usage", NULL}},
	{"iwr", {"--include-workspace-root", NULL}},
	{"l", {"--long", NULL}},
	{"local", {"--no-global", NULL}},
	{"m", {"--message", NULL}},
	{"n", {"--no-yes", NULL}},
	{"no", {"--no-yes", NULL}},
	{"p", {"--parseable", NULL}},
	{"porcelain", {"--parseable", NULL}},
	{"q", {"--loglevel", "warn"}},
	{"quiet", {"--loglevel", "warn"}},
	{"readonly", {"--read-only", NULL}},
	{"reg", {"--registry", NULL}},
	{"s", {"--loglevel", "silent"}},
	{"silent", {"--loglevel", "silent"}},
	{"v", {"--version", NULL}},
	{"verbose", {"--loglevel", "verbose"}},
	{"w", {"--workspace", NULL}},
	{"ws", {"--workspaces", NULL}},
	{"y", {"--yes", NULL}},
};

/* npm's command names (lib/utils/cmd-list.js). */
static const char *const npm_commands[] = {
	"access", "adduser", "approve-scripts", "audit", "bugs", "cache", "ci", "completion",
	"config", "dedupe", "deny-scripts", "deprecate", "diff", "dist-tag", "docs", "doctor",
	"edit", "exec", "explain", "explore", "find-dupes", "fund", "get", "help",
	"help-search", "init", "install", "install-ci-test", "install-scripts", "install-test",
	"link", "ll", "login", "logout", "ls", "org", "outdated", "owner", "pack", "ping", "pkg",
	"prefix", "profile", "prune", "publish", "query", "rebuild", "repo", "restart", "root",
	"run", "sbom", "search", "set", "shrinkwrap", "stage", "star", "stars", "start", "stop",
	"team", "test", "token", "trust", "undeprecate", "uninstall", "unpublish", "unstar",
	"update", "version", "view", "whoami",
};

struct pv_alias {
	const char *alias, *command;
};

/* npm's command aliases and typo table (lib/utils/cmd-list.js). */
static const struct pv_alias npm_aliases[] = {
	{"author", "owner"}, {"home", "docs"}, {"issues", "bugs"}, {"info", "view"},
	{"show", "view"}, {"find", "search"}, {"add", "install"}, {"unlink", "uninstall"},
	{"remove", "uninstall"}, {"rm", "uninstall"}, {"r", "uninstall"}, {"un", "uninstall"},
	{"rb", "rebuild"}, {"list", "ls"}, {"ln", "link"}, {"create", "init"},
	{"i", "install"}, {"it", "install-test"}, {"cit", "install-ci-test"}, {"u", "update"},
	{"up", "update"}, {"c", "config"}, {"s", "search"}, {"se", "search"}, {"tst", "test"},
	{"t", "test"}, {"ddp", "dedupe"}, {"v", "view"}, {"run-script", "run"},
	{"clean-install", "ci"}, {"clean-install-test", "install-ci-test"}, {"x", "exec"},
	{"why", "explain"}, {"la", "ll"}, {"verison", "version"}, {"ic", "ci"},
	{"innit", "init"}, {"in", "install"}, {"ins", "install"}, {"inst", "install"},
	{"insta", "install"}, {"instal", "install"}, {"isnt", "install"}, {"isnta", "install"},
	{"isntal", "install"}, {"isntall", "install"}, {"install-clean", "ci"},
	{"isntall-clean", "ci"}, {"hlep", "help"}, {"dist-tags", "dist-tag"},
	{"upgrade", "update"}, {"udpate", "update"}, {"rum", "run"}, {"sit", "install-ci-test"},
	{"urn", "run"}, {"ogr", "org"}, {"add-user", "adduser"},
};

/* ---- small helpers ---------------------------------------------------- */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "--", "---", ...: nopt's end-of-options marker. */
static bool all_dashes(const char *s, size_t len)
{
	if (len < 2)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] != '-')
			return false;
	return true;
}

/* nopt's /^-{1,2}[^-]+/: the next word looks like an option, so a String
 * option does not take it as its value. */
static bool looks_like_option(const char *s)
{
	size_t d = 0;
	while (s[d] == '-' && d < 2)
		d++;
	return d >= 1 && s[d] != '\0' && s[d] != '-';
}

/* The abbreviation rule of npm's `abbrev` package, used both for option
 * names and command words: a word names an entry when it equals it, or when
 * exactly one entry starts with it. Returns the entry's index or -1. */
static long abbrev_lookup(const char *w, size_t wlen, const char *(*name_at)(size_t), size_t n)
{
	long found = -1;
	size_t matches = 0;
	if (wlen == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *name = name_at(i);
		if (pv_slice_eq(w, wlen, name))
			return (long)i;
		if (strncmp(name, w, wlen) == 0 && strlen(name) > wlen) {
			matches++;
			found = (long)i;
		}
	}
	return matches == 1 ? found : -1;
}

static const char *opt_name_at(size_t i) { return opt_defs[i].name; }
static const char *shorthand_key_at(size_t i) { return shorthands[i].key; }

static const struct pv_opt_def *opt_exact(const char *s, size_t len)
{
	for (size_t i = 0; i < COUNT(opt_defs); i++)
		if (pv_slice_eq(s, len, opt_defs[i].name))
			return &opt_defs[i];
	return NULL;
}

static const struct pv_opt_def *opt_abbrev(const char *s, size_t len)
{
	long i = abbrev_lookup(s, len, opt_name_at, COUNT(opt_defs));
	return i < 0 ? NULL : &opt_defs[i];
}

static const struct pv_shorthand *shorthand_exact(const char *s, size_t len)
{
	for (size_t i = 0; i < COUNT(shorthands); i++)
		if (pv_slice_eq(s, len, shorthands[i].key))
			return &shorthands[i];
	return NULL;
}

/* ---- growable lists ----------------------------------------------------- */

/* One argument as the parser sees it. Text is a slice (an option name split
 * off `--name=value` is not NUL-terminated); eqval carries a value that npx
 * attached to a rewritten option name. argv_index is -1 for words the
 * parser made up (shorthand expansions, npx's "exec" and "--"). */
struct tok {
	const char *s;
	size_t len;
	const char *eqval;
	int argv_index;
};

struct tokvec {
	struct tok *t;
	size_t n, cap;
};

static struct tok tok_word(const char *s, int argv_index)
{
	return (struct tok){.s = s, .len = strlen(s), .eqval = NULL, .argv_index = argv_index};
}

/* Replace `remove` tokens at `at` with `nins` new ones (nopt splices its
 * argument array the same way, and the rules depend on it). */
static int tokvec_splice(struct tokvec *tv, size_t at, size_t remove, const struct tok *ins,
                         size_t nins)
{
	if (at > tv->n || remove > tv->n - at)
		return -1;
	size_t n = tv->n - remove + nins;
	if (n > tv->cap) {
		size_t cap = tv->cap ? tv->cap : 8;
		while (cap < n)
			cap *= 2;
		struct tok *t = realloc(tv->t, cap * sizeof *t);
		if (!t)
			return -1;
		tv->t = t;
		tv->cap = cap;
	}
	memmove(tv->t + at + nins, tv->t + at + remove, (tv->n - at - remove) * sizeof *tv->t);
	if (nins)
		memcpy(tv->t + at, ins, nins * sizeof *ins);
	tv->n = n;
	return 0;
}

static int tokvec_push(struct tokvec *tv, struct tok t)
{
	return tokvec_splice(tv, tv->n, 0, &t, 1);
}

/* ---- option values ------------------------------------------------------ */

enum pv_val_kind { VAL_TRUE, VAL_FALSE, VAL_NULL, VAL_STRING };

struct pv_val {
	enum pv_val_kind kind;
	const char *str; /* VAL_STRING only */
};

/* Parser state: everything that is not a flag of the result. */
struct parse_state {
	struct tokvec toks;
	struct tokvec positional; /* nopt's "remain" */
	struct pv_strvec workspace;
	struct pv_strvec packages; /* exec --package values */
	const char *call;
	bool global_flag, location_global;
	bool versions;
};

/* nopt's url type accepts what Node's legacy url.parse gives a host for:
 * in practice "scheme:" followed by a non-empty authority. */
static bool looks_like_url(const char *s)
{
	const char *colon = strchr(s, ':');
	if (!colon || colon == s)
		return false;
	for (const char *p = s; p < colon; p++)
		if (!(p == s ? (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')
		             : strchr("+-.", *p) || (*p >= '0' && *p <= '9') ||
		                   (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
			return false;
	const char *host = colon + 1;
	if (starts_with(host, "//"))
		host += 2;
	return *host != '\0' && *host != '/';
}

static bool val_true(struct pv_val v)
{
	return v.kind == VAL_TRUE;
}

static bool val_is(struct pv_val v, const char *word)
{
	return v.kind == VAL_STRING && strcmp(v.str, word) == 0;
}

/* Boolean flags of the result, by option name. */
static bool *bool_field(struct pv_npm_args *out, const char *name)
{
	static const struct {
		const char *name;
		size_t offset;
	} fields[] = {
		{"workspaces", offsetof(struct pv_npm_args, workspaces)},
		{"include-workspace-root", offsetof(struct pv_npm_args, include_workspace_root)},
		{"save-prod", offsetof(struct pv_npm_args, save_prod)},
		{"save-dev", offsetof(struct pv_npm_args, save_dev)},
		{"save-optional", offsetof(struct pv_npm_args, save_optional)},
		{"save-peer", offsetof(struct pv_npm_args, save_peer)},
		{"save-exact", offsetof(struct pv_npm_args, save_exact)},
		{"save-bundle", offsetof(struct pv_npm_args, save_bundle)},
		{"dry-run", offsetof(struct pv_npm_args, dry_run)},
		{"package-lock-only", offsetof(struct pv_npm_args, package_lock_only)},
		{"ignore-scripts", offsetof(struct pv_npm_args, ignore_scripts)},
		{"force", offsetof(struct pv_npm_args, force)},
		{"usage", offsetof(struct pv_npm_args, help)},
		{"version", offsetof(struct pv_npm_args, version)},
	};
	for (size_t i = 0; i < COUNT(fields); i++)
		if (strcmp(fields[i].name, name) == 0)
			return (bool *)((char *)out + fields[i].offset);
	return NULL;
}

/* Path-valued options the shim needs; nopt's path type takes any string. */
static const char **path_field(struct pv_npm_args *out, const char *name)
{
	if (strcmp(name, "prefix") == 0)
		return &out->prefix;
	if (strcmp(name, "userconfig") == 0)
		return &out->userconfig;
	if (strcmp(name, "globalconfig") == 0)
		return &out->globalconfig;
	return NULL;
}

/* Record one parsed option. Options the shim does not care about (and
 * unknown ones) are simply not recorded: the real npm gets them anyway. */
static int apply_option(struct parse_state *st, struct pv_npm_args *out, const char *name,
                        struct pv_val v)
{
	bool *flag = bool_field(out, name);
	const char **path = path_field(out, name);
	if (flag) {
		*flag = val_true(v);
	} else if (path) {
		/* a later occurrence replaces an earlier one, even when npm then
		 * finds it invalid and falls back to the default */
		*path = v.kind == VAL_STRING && v.str[0] ? v.str : NULL;
	} else if (strcmp(name, "global") == 0) {
		st->global_flag = val_true(v);
	} else if (strcmp(name, "location") == 0) {
		st->location_global = val_is(v, "global");
	} else if (strcmp(name, "save") == 0) {
		out->no_save = v.kind == VAL_FALSE || v.kind == VAL_NULL;
	} else if (strcmp(name, "package-lock") == 0) {
		out->no_package_lock = v.kind == VAL_FALSE || v.kind == VAL_NULL;
	} else if (strcmp(name, "yes") == 0) {
		out->yes = val_true(v);
		out->no_yes = v.kind == VAL_FALSE;
	} else if (strcmp(name, "versions") == 0) {
		st->versions = val_true(v);
	} else if (strcmp(name, "production") == 0) {
		if (val_true(v))
			out->omit_dev = true;
	} else if (strcmp(name, "omit") == 0) {
		if (val_is(v, "dev"))
			out->omit_dev = true;
	} else if (strcmp(name, "loglevel") == 0) {
		out->loglevel = v.kind == VAL_STRING ? v.str : NULL;
	} else if (strcmp(name, "registry") == 0) {
		/* npm drops a registry that is not a URL and uses the default */
		out->registry = v.kind == VAL_STRING && looks_like_url(v.str) ? v.str : NULL;
	} else if (strcmp(name, "workspace") == 0) {
		if (v.kind == VAL_STRING && pv_strvec_push(&st->workspace, v.str) != 0)
			return -1;
	} else if (strcmp(name, "package") == 0) {
		if (v.kind == VAL_STRING && pv_strvec_push(&st->packages, v.str) != 0)
			return -1;
	} else if (strcmp(name, "call") == 0) {
		/* npm tests the call with JavaScript truthiness: "" is no call */
		st->call = v.kind == VAL_STRING && v.str[0] ? v.str : NULL;
	}
	return 0;
}

/* ---- nopt's parse ------------------------------------------------------ */

/* nopt's shorthand resolution for an option word (dashes included).
 * Returns 1 with the expansion in exp/nexp, 0 when the word is not a
 * shorthand, -1 on allocation failure. */
static int resolve_shorthand(const char *s, size_t len, struct tok **exp, size_t *nexp)
{
	*exp = NULL;
	*nexp = 0;
	while (len && *s == '-')
		s++, len--;
	/* an exact option name is never a shorthand */
	if (opt_exact(s, len))
		return 0;
	const struct pv_shorthand *sh = shorthand_exact(s, len);
	bool singles = true; /* "-gD": every letter is a one-letter shorthand */
	for (size_t i = 0; i < len && singles; i++)
		singles = shorthand_exact(s + i, 1) != NULL;
	if (!sh && !singles) {
		/* an option abbreviation wins over a shorthand abbreviation */
		if (opt_abbrev(s, len))
			return 0;
		long i = abbrev_lookup(s, len, shorthand_key_at, COUNT(shorthands));
		if (i < 0)
			return 0;
		sh = &shorthands[i];
	}
	size_t n = sh ? 1 : len;
	struct tok *t = calloc(n * 2 + 1, sizeof *t);
	if (!t)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct pv_shorthand *one = sh ? sh : shorthand_exact(s + i, 1);
		for (size_t k = 0; k < 2 && one->expand[k]; k++)
			t[(*nexp)++] = tok_word(one->expand[k], -1);
	}
	*exp = t;
	return 1;
}

/* Split `--name=value` into two tokens, as nopt does. Returns 1 when it
 * split, 0 when there was no '=', -1 on allocation failure. */
static int split_eq(struct tokvec *tv, size_t i)
{
	struct tok t = tv->t[i];
	const char *value = t.eqval;
	size_t namelen = t.len;
	if (!value) {
		const char *eq = memchr(t.s, '=', t.len);
		if (!eq)
			return 0;
		namelen = (size_t)(eq - t.s);
		value = eq + 1;
	}
	struct tok parts[2] = {
		{.s = t.s, .len = namelen, .eqval = NULL, .argv_index = t.argv_index},
		tok_word(value, t.argv_index),
	};
	return tokvec_splice(tv, i, 1, parts, 2) == 0 ? 1 : -1;
}

static bool tok_is(const struct tok *t, const char *word)
{
	return t && pv_slice_eq(t->s, t->len, word);
}

/* Work out an option's value and how many following tokens it consumes,
 * following nopt's rules for booleans, Strings and other types. */
static struct pv_val option_value(const struct pv_opt_def *def, bool negated, bool had_eq,
                                  const struct tok *la, size_t *consumed)
{
	*consumed = 0;
	enum pv_opt_kind kind = def ? def->kind : PV_OPT_BOOL;
	/* an unknown option is a boolean, unless given as --name=value */
	bool is_bool = negated || (def && kind <= PV_OPT_BOOL_OR_STRING) || (!def && !had_eq);
	if (is_bool) {
		bool v = !negated;
		if (tok_is(la, "true") || tok_is(la, "false")) {
			*consumed = 1;
			v = tok_is(la, "true") != negated;
			return (struct pv_val){v ? VAL_TRUE : VAL_FALSE, NULL};
		}
		if (la && def) {
			if (kind == PV_OPT_BOOL_OR_NULL && tok_is(la, "null")) {
				*consumed = 1;
				return (struct pv_val){VAL_NULL, NULL};
			}
			if (kind == PV_OPT_BOOL_OR_ALWAYS && tok_is(la, "always")) {
				*consumed = 1;
				return (struct pv_val){VAL_STRING, la->s};
			}
			if (kind == PV_OPT_BOOL_OR_STRING && !(la->s[0] == '-' && la->len > 1 &&
			                                       la->s[1] != '-')) {
				*consumed = 1;
				return (struct pv_val){VAL_STRING, la->s};
			}
		}
		return (struct pv_val){v ? VAL_TRUE : VAL_FALSE, NULL};
	}
	if (def && kind == PV_OPT_STRING && (!la || looks_like_option(la->s)))
		return (struct pv_val){VAL_STRING, ""};
	if (!la || all_dashes(la->s, la->len))
		return (struct pv_val){VAL_TRUE, NULL};
	*consumed = 1;
	return (struct pv_val){VAL_STRING, la->s};
}

/* Parse one option word at toks[*i] (already split and shorthand-free). */
static int parse_option(struct parse_state *st, struct pv_npm_args *out, size_t *i,
                        bool had_eq)
{
	struct tokvec *tv = &st->toks;
	const char *s = tv->t[*i].s;
	size_t len = tv->t[*i].len;
	while (len && *s == '-')
		s++, len--;
	bool negated = false;
	while (len >= 3 && (s[0] == 'n' || s[0] == 'N') && (s[1] == 'o' || s[1] == 'O') &&
	       s[2] == '-') {
		negated = !negated;
		s += 3, len -= 3;
	}
	const struct pv_opt_def *def = opt_abbrev(s, len);
	const struct tok *la = *i + 1 < tv->n ? &tv->t[*i + 1] : NULL;
	size_t consumed;
	struct pv_val v = option_value(def, negated, had_eq, la, &consumed);
	*i += consumed;
	return def ? apply_option(st, out, def->name, v) : 0;
}

/* nopt's main loop: options anywhere, positionals collected in order. */
static int nopt_parse(struct parse_state *st, struct pv_npm_args *out)
{
	struct tokvec *tv = &st->toks;
	for (size_t i = 0; i < tv->n; i++) {
		struct tok t = tv->t[i];
		if (all_dashes(t.s, t.len)) {
			for (size_t k = i + 1; k < tv->n; k++)
				if (tokvec_push(&st->positional, tv->t[k]) != 0)
					return -1;
			return 0;
		}
		if (!(t.s[0] == '-' && t.len > 1)) {
			if (tokvec_push(&st->positional, t) != 0)
				return -1;
			continue;
		}
		int had_eq = split_eq(tv, i);
		if (had_eq < 0)
			return -1;
		struct tok *exp;
		size_t nexp;
		int r = resolve_shorthand(tv->t[i].s, tv->t[i].len, &exp, &nexp);
		if (r < 0)
			return -1;
		if (r > 0) {
			/* re-read the expansion from the same position */
			int sr = tokvec_splice(tv, i, 1, exp, nexp);
			free(exp);
			if (sr != 0)
				return -1;
			i--; /* unsigned wrap at 0 is undone by the loop's i++ */
			continue;
		}
		if (parse_option(st, out, &i, had_eq) != 0)
			return -1;
	}
	return 0;
}

/* ---- npx ------------------------------------------------------------- */

/* npx options npm 7 removed: npx drops them (and a removed option's value). */
static bool npx_removed_switch(const char *k, size_t n)
{
	return pv_slice_eq(k, n, "always-spawn") || pv_slice_eq(k, n, "ignore-existing") ||
	       pv_slice_eq(k, n, "shell-auto-fallback");
}

static bool npx_removed_opt(const char *k, size_t n)
{
	return pv_slice_eq(k, n, "npm") || pv_slice_eq(k, n, "node-arg") || pv_slice_eq(k, n, "n");
}

/* Words npx knows take no value: every boolean-typed npm option plus a few. */
static bool npx_switch(const char *k, size_t n)
{
	static const char *const extra[] = {"no-install", "quiet", "q", "version", "v", "help", "h"};
	if (npx_removed_switch(k, n))
		return true;
	for (size_t i = 0; i < COUNT(extra); i++)
		if (pv_slice_eq(k, n, extra[i]))
			return true;
	const struct pv_opt_def *d = opt_exact(k, n);
	return d && d->kind <= PV_OPT_BOOL_OR_STRING;
}

/* Words npx knows do take a value. */
static bool npx_opt(const char *k, size_t n)
{
	static const char *const names[] = {"package", "p",     "cache", "userconfig",
	                                    "call",    "c",     "shell"};
	if (npx_removed_opt(k, n))
		return true;
	for (size_t i = 0; i < COUNT(names); i++)
		if (pv_slice_eq(k, n, names[i]))
			return true;
	return false;
}

/* Rewrite the token at *i the way npx does before handing over to
 * `npm exec`. Returns 1 to look at the same position again, 0 to go on,
 * -1 on allocation failure. */
static int npx_option(struct tokvec *tv, size_t *i, bool *removed_any)
{
	struct tok *t = &tv->t[*i];
	const char *key = t->s;
	while (*key == '-')
		key++;
	const char *eq = strchr(key, '=');
	size_t klen = eq ? (size_t)(eq - key) : strlen(key);
	const char *v = eq ? eq + 1 : NULL;
	const char *renamed = pv_slice_eq(key, klen, "p")       ? "--package"
	                      : pv_slice_eq(key, klen, "shell") ? "--script-shell"
	                                                     : NULL;
	if (renamed) {
		*t = (struct tok){.s = renamed, .len = strlen(renamed), .eqval = v, .argv_index = -1};
	} else if (pv_slice_eq(key, klen, "no-install")) {
		*t = tok_word("--yes=false", -1);
	} else {
		const struct pv_shorthand *sh = shorthand_exact(key, klen);
		if (sh && !npx_removed_opt(key, klen) && !npx_removed_switch(key, klen)) {
			struct tok exp[3];
			size_t n = 0;
			for (size_t k = 0; k < 2 && sh->expand[k]; k++)
				exp[n++] = tok_word(sh->expand[k], -1);
			if (v)
				exp[n++] = tok_word(v, t->argv_index);
			return tokvec_splice(tv, *i, 1, exp, n) == 0 ? 1 : -1;
		}
	}
	bool removed = npx_removed_opt(key, klen) || npx_removed_switch(key, klen);
	if (removed) {
		*removed_any = true;
		if (tokvec_splice(tv, *i, 1, NULL, 0) != 0)
			return -1;
	}
	/* a value-taking word without =value skips its value */
	if (!v && !npx_switch(key, klen)) {
		size_t next = removed ? *i : *i + 1;
		bool next_dash = next < tv->n && tv->t[next].s[0] == '-';
		if (npx_opt(key, klen) || !next_dash) {
			if (removed && next < tv->n)
				return tokvec_splice(tv, next, 1, NULL, 0) == 0 ? 1 : -1;
			if (!removed)
				(*i)++;
		}
	}
	return removed ? 1 : 0;
}

/* npx's argument rewrite: it becomes `npm exec ...`, with a "--" put in
 * front of the first positional word so that everything from there on
 * belongs to the command being run. */
static int npx_rewrite(struct tokvec *tv)
{
	struct tok exec = tok_word("exec", -1);
	if (tokvec_splice(tv, 0, 0, &exec, 1) != 0)
		return -1;
	bool removed_any = false;
	for (size_t i = 1; i < tv->n; i++) {
		struct tok *t = &tv->t[i];
		if (pv_slice_eq(t->s, t->len, "--"))
			break;
		if (t->s[0] != '-') {
			struct tok dd = tok_word("--", -1);
			return tokvec_splice(tv, i, 0, &dd, 1);
		}
		int r = npx_option(tv, &i, &removed_any);
		if (r < 0)
			return -1;
		if (r > 0)
			i--; /* look at the same position again */
	}
	return 0;
}

/* ---- commands ------------------------------------------------------ */

static const char *command_name_at(size_t i)
{
	return i < COUNT(npm_commands) ? npm_commands[i]
	                               : npm_aliases[i - COUNT(npm_commands)].alias;
}

static const char *alias_target(const char *word)
{
	for (size_t i = 0; i < COUNT(npm_aliases); i++)
		if (strcmp(npm_aliases[i].alias, word) == 0)
			return npm_aliases[i].command;
	return NULL;
}

/* npm's deref: camelCase to kebab-case, then an exact command, an alias, or
 * a unique prefix of any command or alias. NULL when npm knows no such
 * command (it then prints its usage and fails: nothing to vet). */
static const char *deref_command(const char *word)
{
	char kebab[64];
	size_t k = 0;
	for (const char *p = word; *p; p++) {
		bool upper = *p >= 'A' && *p <= 'Z';
		if (k + 3 > sizeof kebab)
			return NULL; /* longer than any command: not one */
		if (upper)
			kebab[k++] = '-';
		kebab[k++] = upper ? (char)(*p - 'A' + 'a') : *p;
	}
	kebab[k] = '\0';
	long i = abbrev_lookup(kebab, k, command_name_at, COUNT(npm_commands) + COUNT(npm_aliases));
	if (i < 0)
		return NULL;
	const char *name = command_name_at((size_t)i);
	const char *target = alias_target(name);
	return target ? target : name;
}

static enum pv_npm_verb verb_of_command(const char *command, bool *ci_style)
{
	static const struct {
		const char *command;
		enum pv_npm_verb verb;
	} verbs[] = {
		{"install", PV_NPM_INSTALL},       {"ci", PV_NPM_CI},
		{"install-test", PV_NPM_INSTALL_TEST}, {"install-ci-test", PV_NPM_INSTALL_TEST},
		{"update", PV_NPM_UPDATE},         {"dedupe", PV_NPM_DEDUPE},
		{"exec", PV_NPM_EXEC},             {"init", PV_NPM_INIT},
	};
	*ci_style = command && strcmp(command, "install-ci-test") == 0;
	for (size_t i = 0; command && i < COUNT(verbs); i++)
		if (strcmp(verbs[i].command, command) == 0)
			return verbs[i].verb;
	return PV_NPM_PASS;
}

/* ---- init initializers --------------------------------------------------- */

static char *concat3(const char *a, size_t alen, const char *b, const char *c)
{
	size_t blen = strlen(b), clen = strlen(c);
	char *s = malloc(alen + blen + clen + 1);
	if (!s)
		return NULL;
	memcpy(s, a, alen);
	memcpy(s + alen, b, blen);
	memcpy(s + alen + blen, c, clen + 1);
	return s;
}

/* Insert "create-" before the `project` part of a hosted git initializer at
 * offset `at`: `npm init user/project` runs user/create-project. */
static int insert_create(const char *spec, size_t at, char **out)
{
	*out = concat3(spec, at, "create-", spec + at);
	return *out ? 1 : -1;
}

/* Offset of "project" in a hosted-git shorthand "user/project[#ref]" or
 * "github:user/project", or 0 when spec is not one. */
static size_t hosted_project_offset(const char *spec)
{
	static const char *const providers[] = {"github:", "gitlab:", "bitbucket:", "gist:"};
	const char *body = spec;
	for (size_t i = 0; i < COUNT(providers); i++)
		if (starts_with(spec, providers[i]))
			body = spec + strlen(providers[i]);
	if (body == spec && strchr(spec, ':'))
		return 0;
	const char *slash = strchr(body, '/');
	if (!slash || slash == body || strchr("@.-~", body[0]) ||
	    memchr(body, '@', (size_t)(slash - body)))
		return 0;
	const char *project = slash + 1;
	size_t plen = strcspn(project, "#");
	if (plen == 0 || memchr(project, '/', plen) || memchr(project, '@', plen) ||
	    memchr(project, ' ', plen))
		return 0;
	return (size_t)(project - spec);
}

static bool is_tarball_name(const char *s, size_t n)
{
	static const char *const suffixes[] = {".tgz", ".tar.gz", ".tar"};
	for (size_t i = 0; i < COUNT(suffixes); i++) {
		size_t sl = strlen(suffixes[i]);
		if (n > sl && memcmp(s + n - sl, suffixes[i], sl) == 0)
			return true;
	}
	return false;
}

static bool is_path_like(const char *s)
{
	return (s[0] && strchr("./~", s[0])) || starts_with(s, "file:");
}

/* Git and URL specs npm may run (a hosted git URL becomes .../create-x). */
static bool is_git_or_url(const char *s)
{
	return strstr(s, "://") || starts_with(s, "git+") || starts_with(s, "git:") ||
	       starts_with(s, "github:") || starts_with(s, "gitlab:") ||
	       starts_with(s, "bitbucket:") || starts_with(s, "gist:");
}

/* How npm-package-arg would read an initializer, roughly: */
enum initer_kind {
	INITER_REGISTRY, /* name[@range|tag|npm:alias] */
	INITER_REJECTED, /* a file, directory or tarball: npm init refuses it */
	INITER_RAW,      /* git or URL: kept as written */
};

static enum initer_kind initer_kind(const char *initer)
{
	size_t name_end = strcspn(initer + 1, "@") + 1; /* a leading '@' is the scope */
	if (initer[0] != '@' && initer[0] != '\0')
		name_end = strcspn(initer, "@");
	const char *spec = initer[name_end] ? initer + name_end + 1 : "";
	bool name_odd = memchr(initer, ':', name_end) ||
	                (initer[0] != '@' && memchr(initer, '/', name_end)) ||
	                is_tarball_name(initer, name_end) || name_end == 0;
	if (is_path_like(initer) || (name_odd && !is_git_or_url(initer)))
		return INITER_REJECTED;
	if (name_odd)
		return INITER_RAW;
	if (starts_with(spec, "npm:"))
		return INITER_REGISTRY;
	if (is_path_like(spec))
		return INITER_REJECTED;
	return strchr(spec, ':') || strchr(spec, '/') ? INITER_RAW : INITER_REGISTRY;
}

/* npm init's mapping from initializer to the package it runs
 * (lib/commands/init.js): "@scope[@v]" -> "@scope/create[@v]",
 * "name[@spec]" -> "create-name[@spec]", "@scope/name[@spec]" ->
 * "@scope/create-name[@spec]", "user/project" -> "user/create-project".
 * npm writes a bare name as "create-name@*"; "create-name" means the same.
 * Git and URL initializers are returned unchanged, so the shim treats them
 * as url-dependencies instead of letting them through unvetted.
 * Returns 1 with a malloc'd spec, 0 when npm would reject the initializer,
 * -1 on allocation failure. */
static int init_package_spec(const char *initer, char **out)
{
	*out = NULL;
	if (initer[0] == '@' && !strchr(initer, '/')) {
		const char *scope = initer + 1;
		size_t slen = strcspn(scope, "@");
		if (slen == 0)
			return 0;
		const char *ver = scope[slen] ? scope + slen + 1 : "";
		size_t vlen = strcspn(ver, "@");
		char *s = malloc(slen + vlen + 16);
		if (!s)
			return -1;
		snprintf(s, slen + vlen + 16, "@%.*s/create%s%.*s", (int)slen, scope, vlen ? "@" : "",
		         (int)vlen, ver);
		*out = s;
		return 1;
	}
	size_t hosted = hosted_project_offset(initer);
	if (hosted)
		return insert_create(initer, hosted, out);
	switch (initer_kind(initer)) {
	case INITER_REJECTED:
		return 0;
	case INITER_RAW:
		*out = concat3(initer, strlen(initer), "", "");
		return *out ? 1 : -1;
	case INITER_REGISTRY:
		break;
	}
	/* "create-" goes before the name, after any scope */
	size_t name_start = initer[0] == '@' ? (size_t)(strchr(initer, '/') - initer) + 1 : 0;
	if (initer[name_start] == '\0' || initer[name_start] == '@')
		return 0;
	char *s = concat3(initer, name_start, "create-", initer + name_start);
	if (!s)
		return -1;
	size_t n = strlen(s);
	if (s[n - 1] == '@') /* "foo@" is "foo" with an empty range */
		s[n - 1] = '\0';
	*out = s;
	return 1;
}

/* ---- classification ------------------------------------------------------ */

/* Fill specs/exec fields for `npm exec` / npx from the positional words
 * after the command (libnpmexec's reading of them). */
static int classify_exec(struct parse_state *st, struct pv_npm_args *out, struct pv_strvec *specs,
                         struct pv_strvec *exec_args, size_t first)
{
	struct tokvec *pos = &st->positional;
	bool has_args = first < pos->n;
	if (st->call && has_args)
		return 0; /* npm: usage error, runs nothing */
	if (!st->call && !has_args)
		return 0; /* npm: usage error */
	out->verb = PV_NPM_EXEC;
	for (size_t k = 0; k < st->packages.n; k++)
		if (pv_strvec_push(specs, st->packages.v[k]) != 0)
			return -1;
	if (st->call) {
		out->exec_command = st->call;
		out->exec_is_call = true;
		return 0;
	}
	/* without --package the command's own name is the package to fetch */
	out->exec_command = pos->t[first].s;
	if (st->packages.n == 0 && pv_strvec_push(specs, out->exec_command) != 0)
		return -1;
	for (size_t k = first + 1; k < pos->n; k++)
		if (pv_strvec_push(exec_args, pos->t[k].s) != 0)
			return -1;
	return 0;
}

static int classify_init(struct parse_state *st, struct pv_npm_args *out, struct pv_strvec *specs,
                         size_t first)
{
	if (first >= st->positional.n)
		return 0; /* plain `npm init`: writes package.json, fetches nothing */
	int r = init_package_spec(st->positional.t[first].s, &out->init_spec);
	if (r <= 0)
		return r;
	out->verb = PV_NPM_INIT;
	return pv_strvec_push(specs, out->init_spec);
}

/* Decide the verb and the specs from the parsed options and positionals. */
static int classify(struct parse_state *st, struct pv_npm_args *out, struct pv_strvec *specs,
                    struct pv_strvec *exec_args)
{
	struct tokvec *pos = &st->positional;
	out->global = st->global_flag || st->location_global;
	/* npm answers --version / --versions / --help itself: nothing to fetch */
	if (st->versions)
		out->version = true;
	if (pos->n == 0 || out->version || st->versions)
		return 0;
	const struct tok *word = &pos->t[0];
	out->cmd_index = word->argv_index;
	out->command = deref_command(word->s);
	if (out->command && strcmp(out->command, "help") == 0)
		out->help = true;
	if (out->help)
		return 0;
	enum pv_npm_verb verb = verb_of_command(out->command, &out->ci_style);
	switch (verb) {
	case PV_NPM_EXEC:
		return classify_exec(st, out, specs, exec_args, 1);
	case PV_NPM_INIT:
		return classify_init(st, out, specs, 1);
	case PV_NPM_INSTALL:
	case PV_NPM_INSTALL_TEST:
	case PV_NPM_UPDATE:
		/* install-ci-test, like ci, installs the lockfile and takes no specs */
		for (size_t k = 1; k < pos->n && !out->ci_style; k++)
			if (pv_strvec_push(specs, pos->t[k].s) != 0)
				return -1;
		break;
	default:
		break;
	}
	out->verb = verb;
	return 0;
}

static int load_tokens(struct tokvec *tv, int argc, char *const argv[])
{
	for (int i = 1; i < argc; i++) {
		if (!argv[i])
			return -1;
		if (tokvec_push(tv, tok_word(argv[i], i)) != 0)
			return -1;
	}
	return 0;
}

static void state_free(struct parse_state *st)
{
	free(st->toks.t);
	free(st->positional.t);
	free(st->workspace.v);
	free(st->packages.v);
}

int pv_npm_args_parse(int argc, char *const argv[], bool npx, struct pv_npm_args *out,
                      char *err, size_t errlen)
{
	if (!out) {
		set_err(err, errlen, "npm arguments: no result to fill");
		return -1;
	}
	memset(out, 0, sizeof *out);
	out->cmd_index = -1;
	if (argc < 1 || !argv) {
		set_err(err, errlen, "npm arguments: empty argument vector");
		return -1;
	}
	struct parse_state st = {0};
	struct pv_strvec specs = {0}, exec_args = {0};
	int rc = -1;
	if (load_tokens(&st.toks, argc, argv) != 0 || (npx && npx_rewrite(&st.toks) != 0) ||
	    nopt_parse(&st, out) != 0 || classify(&st, out, &specs, &exec_args) != 0 ||
	    pv_strvec_finish(&specs) != 0 || pv_strvec_finish(&exec_args) != 0 ||
	    pv_strvec_finish(&st.workspace) != 0)
		goto done;
	if (npx)
		out->cmd_index = -1; /* the command word was made up by npx */
	out->specs = specs.v;
	out->nspecs = specs.n;
	out->exec_args = exec_args.v;
	out->nexec_args = exec_args.n;
	out->workspace = st.workspace.v;
	out->nworkspace = st.workspace.n;
	st.workspace.v = NULL;
	specs.v = exec_args.v = NULL;
	rc = 0;
done:
	if (rc != 0) {
		set_err(err, errlen, "npm arguments: out of memory");
		free(out->init_spec);
		memset(out, 0, sizeof *out);
		out->cmd_index = -1;
	}
	free(specs.v);
	free(exec_args.v);
	state_free(&st);
	return rc;
}

void pv_npm_args_free(struct pv_npm_args *a)
{
	if (!a)
		return;
	free(a->specs);
	free(a->exec_args);
	free(a->workspace);
	free(a->init_spec);
	memset(a, 0, sizeof *a);
	a->cmd_index = -1;
}

const char *pv_npm_verb_name(enum pv_npm_verb v)
{
	switch (v) {
	case PV_NPM_PASS: return "pass-through";
	case PV_NPM_INSTALL: return "install";
	case PV_NPM_CI: return "ci";
	case PV_NPM_INSTALL_TEST: return "install-test";
	case PV_NPM_UPDATE: return "update";
	case PV_NPM_DEDUPE: return "dedupe";
	case PV_NPM_EXEC: return "exec";
	case PV_NPM_INIT: return "init";
	}
	return "unknown";
}
