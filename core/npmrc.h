/* npmrc.h - the parts of npm's configuration that choose a registry and its
 * credentials.
 *
 * Sources, lowest priority first (a later one overrides an earlier one, key
 * by key): the builtin default (https://registry.npmjs.org/), the global
 * npmrc (path given by the caller, usually $PREFIX/etc/npmrc), the user
 * npmrc ($NPM_CONFIG_USERCONFIG / $npm_config_userconfig, else ~/.npmrc),
 * the project .npmrc (in a directory given by the caller), then the
 * environment: NPM_CONFIG_REGISTRY / npm_config_registry set `registry`.
 * A missing file is not an error.
 *
 * File syntax (npm's ini): `key = value` lines, `;` or `#` comments, values
 * optionally in double or single quotes, [sections] ignored. ${VAR} in keys
 * and values is replaced by the environment variable (left as is when VAR is
 * unset; ${VAR?} becomes "" when unset; \${VAR} is kept literally).
 * Keys used: registry, @scope:registry, //host[:port]/path/:_authToken,
 * always-auth, cafile, ignore-scripts (also from npm_config_ignore_scripts). Registry URLs are kept with a trailing '/'. */
#ifndef PV_NPMRC_H
#define PV_NPMRC_H

#include <stdbool.h>
#include <stddef.h>

#define PV_NPMRC_DEFAULT_REGISTRY "https://registry.npmjs.org/"

struct pv_npmrc_scope {
	char *scope;     /* "@scope" */
	char *registry;  /* with trailing '/' */
};

struct pv_npmrc_token {
	char *prefix;    /* "//host[:port]/path/" (always ends with '/') */
	char *token;
};

struct pv_npmrc {
	char *registry;                 /* default registry, trailing '/' */
	struct pv_npmrc_scope *scopes;
	size_t nscopes;
	struct pv_npmrc_token *tokens;
	size_t ntokens;
	bool always_auth;
	char *cafile;                   /* `cafile`: CA bundle for the registry, or NULL */
	bool ignore_scripts;            /* `ignore-scripts=true`: npm runs no scripts at all */
};

/* Where npm reads its global npmrc: $NPM_CONFIG_GLOBALCONFIG
 * (npm_config_globalconfig), else PREFIX/etc/npmrc with PREFIX from
 * $NPM_CONFIG_PREFIX (npm_config_prefix), else npm's default prefix: the
 * directory above the one holding the `node` found on PATH (/usr for
 * /usr/bin/node). Writes the path to out; -1 when none can be worked out. */
int pv_npmrc_global_path(char *out, size_t outlen);

/* Load the configuration. project_dir may be NULL (skipped); global_file
 * NULL means npm's own global npmrc (pv_npmrc_global_path), "" none.
 * Returns 0, or -1 (out of memory, or a file that exists but cannot be read;
 * err names it). cfg is always valid for pv_npmrc_free afterwards. */
int pv_npmrc_load(struct pv_npmrc *cfg, const char *project_dir, const char *global_file,
                  char *err, size_t errlen);

/* Only the builtin default (no files, no environment). Returns 0 or -1. */
int pv_npmrc_init_default(struct pv_npmrc *cfg);

/* Apply one file's text / one key=value (as a later, higher-priority source
 * would). Used for command-line overrides and by the loader. 0 or -1 (ENOMEM). */
int pv_npmrc_apply_text(struct pv_npmrc *cfg, const char *text);
int pv_npmrc_set(struct pv_npmrc *cfg, const char *key, const char *value);

void pv_npmrc_free(struct pv_npmrc *cfg);

/* The registry (trailing '/') for a package name: the @scope:registry of the
 * name's scope when set, else the default. Never NULL for a loaded cfg. */
const char *pv_npmrc_registry_for(const struct pv_npmrc *cfg, const char *package_name);

/* "Authorization: Bearer TOKEN" (malloc'd) when the URL (http or https) is at
 * or under the //host[:port]/path/ of a configured _authToken (the longest
 * such prefix wins; host and port must match exactly), else NULL. A token
 * is never returned for another host, port or path. */
char *pv_npmrc_auth_for(const struct pv_npmrc *cfg, const char *url);

#endif
