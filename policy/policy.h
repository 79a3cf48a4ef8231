/* policy.h - the effective policy: the attribute catalogue merged with the
 * organisation, user and project policy files and the PKGVET_* environment
 * variables, with the organisation's locks; allow and deny entries.
 * docs/policy.md describes the files. Every consumer asks this API; no
 * other code reads policy files. */
#ifndef PV_POLICY_H
#define PV_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include "catalogue.h"
#include "finding.h"

/* The organisation policy. Fixed at build time on purpose: an environment
 * variable or option that moved it would be a way out of the org's locks. */
#ifndef PKGVET_ORG_POLICY
#define PKGVET_ORG_POLICY "/etc/pkgvet/policy.ini"
#endif

#define PV_POLICY_PROJECT_FILE ".pkgvet.ini"

enum pv_layer {
	PV_LAYER_BUILTIN = 0, /* the catalogue and the built-in settings */
	PV_LAYER_ORG,
	PV_LAYER_USER,
	PV_LAYER_PROJECT,
	PV_LAYER_ENV,
	PV_LAYER__COUNT
};

const char *pv_layer_name(enum pv_layer l); /* "built-in", "org", "user", "project", "env" */

/* Where a value came from: "FILE" and a 1-based line, or a name with
 * line 0 ("default", "env PKGVET_TIMEOUT", "catalogue.ini (built-in)").
 * file == NULL: nowhere (used for "not locked"). The strings belong to
 * the policy. */
struct pv_origin {
	const char *file;
	unsigned line;
};

/* Write "file:line" (or "file" when line is 0) into buf. Returns buf. */
const char *pv_origin_str(const struct pv_origin *o, char *buf, size_t len);

enum pv_setting {
	PV_SET_NONINTERACTIVE = 0, /* action: allow, warn or block */
	PV_SET_FAIL_CLOSED,        /* bool */
	PV_SET_NPM_REGISTRY,       /* http(s) URL */
	PV_SET_PYPI_INDEX,         /* http(s) URL */
	PV_SET_OSV_URL,            /* http(s) URL */
	PV_SET_TIMEOUT,            /* seconds, 1..3600 */
	PV_SET_CACHE_DIR,          /* absolute path */
	PV_SET_LOG,                /* absolute path, or "off" */
	PV_SET_OSV_OFFLINE,        /* absolute path of a directory of OSV export zips, or "off" */
	PV_SET_NPM_DOWNLOADS_URL,  /* http(s) URL template with {name} */
	PV_SET_PYPI_DOWNLOADS_URL, /* http(s) URL template with {name} */
	PV_SET_DNS_SERVER,         /* "system", "off", or IPv4/IPv6 address[:port] */
	PV_SET_ALLOW_YES,          /* bool: may --yes / PKGVET_YES accept prompt verdicts */
	PV_SET_REAL_NPM,           /* org only: absolute path of the real npm, or "path" */
	PV_SET_REAL_PIP,           /* org only: absolute path of the real pip, or "path" */
	PV_SET__COUNT
};

const char *pv_setting_name(enum pv_setting s); /* "noninteractive", "fail_closed", ... */
/* "PKGVET_NONINTERACTIVE", ...; "" for real_npm / real_pip, which the policy
 * does not take from the environment: the shims' front doors read
 * PKGVET_REAL_NPM / PKGVET_REAL_PIP and the org's lock on them themselves
 * (shim/tool_lock.h). */
const char *pv_setting_env(enum pv_setting s);

/* The per-attribute keys a policy can set ([attributes] ID.FIELD). */
enum pv_attr_field {
	PV_FIELD_ACTION = 0,
	PV_FIELD_INSTALL_TIME_ACTION,
	PV_FIELD_HIGH_ACTION,
	PV_FIELD_ENABLED,
	PV_FIELD_THRESHOLD,
	PV_FIELD__COUNT
};

const char *pv_attr_field_name(enum pv_attr_field f); /* "action", "install_time_action", ... */

/* The values of an attribute's fields when the organisation locked them:
 * later layers may not go below these. */
struct pv_attr_floor {
	enum pv_action action;
	int install_time_action; /* -1: none */
	int high_action;         /* -1: none */
	bool enabled;
	double threshold;
};

/* Origins of one attribute's fields, parallel to policy->cat.v. */
struct pv_attr_origins {
	struct pv_origin set[PV_FIELD__COUNT];  /* where the effective value came from */
	struct pv_origin lock[PV_FIELD__COUNT]; /* where it was locked (file NULL: not locked) */
	struct pv_attr_floor floor;             /* the values when the lock was taken */
};

enum pv_rule_kind { PV_RULE_NONE = 0, PV_RULE_ALLOW, PV_RULE_DENY };

/* One [allow ...] or [deny ...] entry. */
struct pv_rule {
	enum pv_rule_kind kind;
	char *entry;      /* as written: "npm:left-pad@^1.3.0", "pypi:requests <2.20" */
	char *ecosystem;  /* "npm" or "pypi" */
	char *name;       /* npm: as written; PyPI: PEP 503-normalised */
	char *range;      /* npm range / PEP 440 specifier set; NULL = every version */
	char *exact;      /* the one version the range names exactly (npm "1.2.3",
	                     PyPI "==1.2.3"), else NULL */
	char *reason;
	char *expires;    /* "YYYY-MM-DD" or NULL */
	struct pv_origin origin; /* the [allow|deny ...] line */
	enum pv_layer layer;
	void *compiled;   /* struct pv_semver_range * or struct pv_pep440_spec * */
};

struct pv_policy {
	struct pv_catalogue cat;         /* effective: pv_catalogue_judge(&p->cat, ...) */
	struct pv_attr_origins *attr;    /* [cat.n] */

	/* Settings, effective. */
	enum pv_action noninteractive;   /* what a prompt verdict becomes with no TTY */
	bool fail_closed;                /* a package that cannot be vetted is blocked */
	bool allow_yes;                  /* --yes may accept prompt-level verdicts (never a block) */
	char *npm_registry, *pypi_index, *osv_url;
	unsigned timeout;                /* seconds */
	char *cache_dir;
	char *log;                       /* decision log path, or "off" */
	char *osv_offline;               /* directory with ECOSYSTEM/all.zip, or "off" */
	char *npm_downloads_url, *pypi_downloads_url; /* templates, {name} = the package */
	char *dns_server;                /* bad-email DNS: "system", "off" or ADDR[:PORT] */
	char *real_npm, *real_pip;       /* the org's real tools: absolute paths, or "path" (search PATH) */
	struct pv_origin set_origin[PV_SET__COUNT];
	struct pv_origin set_lock[PV_SET__COUNT];
	char *set_floor[PV_SET__COUNT];  /* locked settings: the value as text when locked */

	/* [locked] allow = yes / deny = yes */
	struct pv_origin allow_lock, deny_lock;

	/* Effective allow and deny entries, in layer order (ignored and expired
	 * ones are not here; they produced warnings). */
	struct pv_rule *rules;
	size_t nrules;

	/* Which files were read, per layer (NULL: none). */
	const char *layer_file[PV_LAYER__COUNT];

	/* Warnings (weakenings of locked keys, expired entries), one line each,
	 * for stderr. Ignored values never take effect. */
	char **warnings;
	size_t nwarnings;

	/* Private: strings the origins point at. */
	char **strs;
	size_t nstrs;
};

/* Where to find each layer. Explicit so that tests and callers say what
 * is read; pv_policy_sources_default() fills in the real places. */
struct pv_policy_sources {
	const char *org_path;     /* NULL: no organisation layer */
	const char *user_path;    /* NULL: no user layer */
	const char *project_path; /* a file; NULL: search from cwd */
	const char *cwd;          /* search .pkgvet.ini upward from here; NULL: no project layer */
	char *const *env;         /* environ-style "NAME=value"; NULL: no environment layer */
	const char *cache_dir_default;
	const char *log_default;
	char today[11];           /* "YYYY-MM-DD" (local date), for `expires` */
	/* storage for the default paths */
	char buf_user[4096], buf_cwd[4096], buf_cache[4096], buf_log[4096];
};

/* The real sources: PKGVET_ORG_POLICY, $XDG_CONFIG_HOME/pkgvet/policy.ini
 * (default ~/.config), the current directory, environ, the cache dir
 * $XDG_CACHE_HOME/pkgvet, the log $XDG_STATE_HOME/pkgvet/decisions.jsonl,
 * today's local date. */
void pv_policy_sources_default(struct pv_policy_sources *s);

/* The project file for cwd: the nearest ancestor of cwd (cwd included)
 * holding .pkgvet.ini, stopping at a directory that holds .git, or at /.
 * Returns 1 and writes the path, 0 when there is none, -1 when the path
 * does not fit. */
int pv_policy_find_project(const char *cwd, char *out, size_t outlen);

/* Load and merge every layer into p (which is zeroed first). Returns 0, or
 * -1 with err "FILE:LINE: what" (or "FILE: what", "PKGVET_X: what"): an
 * organisation file that exists but cannot be read is an error, never a
 * fallback to defaults; so is any invalid file or environment value. */
int pv_policy_load(struct pv_policy *p, const struct pv_policy_sources *src,
                   char *err, size_t errlen);

/* Validate one file on its own ([locked] only when org_layer). Returns 0
 * or -1 with err as above. */
int pv_policy_check_file(const char *path, bool org_layer, char *err, size_t errlen);

void pv_policy_free(struct pv_policy *p);

/* The allow or deny entry that decides (ecosystem, name, version), or NULL.
 * ecosystem is "npm" or "pypi"; npm names compare exactly, PyPI names
 * PEP 503-normalised; ranges with npm semver / PEP 440 semantics. A deny
 * range also covers pre-releases in it and versions that do not parse (or
 * a NULL version); an allow range covers neither. When deny is locked any
 * matching deny wins; otherwise the entry of the latest layer wins, deny
 * before allow within one layer. */
const struct pv_rule *pv_policy_match(const struct pv_policy *p, const char *ecosystem,
                                      const char *name, const char *version);

/* Apply the allow and deny entries to a judged package: call it after
 * pv_catalogue_judge(&p->cat, fs), with the verdict that returned. A deny makes it block; an allow makes it
 * allow, except that a known-malware finding still blocks unless the allow
 * entry names this exact version. When an entry matched, a note is added to
 * fs (attribute "policy-deny" or "policy-allow", kind "policy", detail
 * naming the entry, its file:line and reason) and *rule (may be NULL) is set.
 * Returns the final verdict. */
enum pv_action pv_policy_apply(const struct pv_policy *p, const char *ecosystem,
                               const char *name, const char *version,
                               struct pv_findings *fs, enum pv_action verdict,
                               const struct pv_rule **rule);

/* What a verdict becomes where nobody can be asked: prompt becomes the
 * noninteractive action; the rest stay. */
enum pv_action pv_policy_noninteractive(const struct pv_policy *p, enum pv_action verdict);

/* The verdict for a package that could not be vetted: block when
 * fail_closed, else warn. */
enum pv_action pv_policy_unvetted(const struct pv_policy *p);

/* One effective value, for `pkgvet policy show`: key "section.key" and the
 * value as text. Calls fn for every value in a stable order (attributes in
 * catalogue order, then settings). */
struct pv_policy_value {
	const char *key;     /* "attributes.typosquat.action", "settings.timeout" */
	const char *value;   /* "prompt", "72", "yes", "https://..." */
	enum { PV_VAL_STRING, PV_VAL_NUMBER, PV_VAL_BOOL } type;
	struct pv_origin origin;
	struct pv_origin lock; /* file NULL: not locked */
};
int pv_policy_each_value(const struct pv_policy *p,
                         int (*fn)(const struct pv_policy_value *v, void *user), void *user);

#endif
