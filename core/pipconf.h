/* pipconf.h - the package index pip would use.
 *
 * Sources, lowest priority first (a later one replaces a key set by an
 * earlier one): the builtin default (https://pypi.org/simple/), the global
 * file (/etc/pip.conf, or the path given by the caller), the user files
 * (~/.pip/pip.conf, then $XDG_CONFIG_HOME/pip/pip.conf, XDG_CONFIG_HOME
 * defaulting to ~/.config), the virtualenv file ($VIRTUAL_ENV/pip.conf),
 * then the environment (PIP_INDEX_URL, PIP_EXTRA_INDEX_URL), then the
 * caller's overrides (--index-url / --extra-index-url) with
 * pv_pipconf_set_index / pv_pipconf_set_extra. A missing file is not an error.
 *
 * File syntax (configparser's ini): [sections], `key = value` or
 * `key: value`, `#`/`;` comment lines, indented continuation lines. Keys
 * index-url and extra-index-url (also spelt with '_') are read from
 * [global] and [install]; [install] wins within a file. extra-index-url
 * holds whitespace-separated URLs. Index URLs are kept with a trailing '/'.
 * find-links (and PIP_FIND_LINKS), whitespace-separated locations, is read
 * the same way and kept as written. */
#ifndef PV_PIPCONF_H
#define PV_PIPCONF_H

#include <stddef.h>

#define PV_PIPCONF_DEFAULT_INDEX "https://pypi.org/simple/"
#define PV_PIPCONF_MAX_EXTRA 32

struct pv_pipconf {
	char *index_url;        /* trailing '/' */
	char *index_source;     /* "default", a file path, "PIP_INDEX_URL" or "override" */
	char **extra;           /* extra index URLs, trailing '/' */
	size_t nextra;
	char **find_links;      /* find-links locations, as written */
	size_t nfind_links;
};

/* Load the configuration. global_file NULL = /etc/pip.conf. Returns 0, or
 * -1 (out of memory, or a file that exists but cannot be read; err names
 * it). cfg is always valid for pv_pipconf_free afterwards. */
int pv_pipconf_load(struct pv_pipconf *cfg, const char *global_file, char *err, size_t errlen);

/* Only the builtin default. Returns 0 or -1. */
int pv_pipconf_init_default(struct pv_pipconf *cfg);

/* Apply one file's text, as a higher-priority source would (source names
 * it in index_source). 0 or -1 (ENOMEM). */
int pv_pipconf_apply_text(struct pv_pipconf *cfg, const char *text, const char *source);

/* Caller overrides (--index-url URL; --extra-index-url "URL URL ..."
 * replaces the extra list). 0 or -1 (ENOMEM, or url empty). */
int pv_pipconf_set_index(struct pv_pipconf *cfg, const char *url);
int pv_pipconf_set_extra(struct pv_pipconf *cfg, const char *urls);
/* Replace the find-links list with the words of locs. 0 or -1 (ENOMEM). */
int pv_pipconf_set_find_links(struct pv_pipconf *cfg, const char *locs);

void pv_pipconf_free(struct pv_pipconf *cfg);

/* The base of the PyPI JSON API for a simple index URL that looks like
 * PyPI's ("…/simple" or "…/simple/"): that URL without "simple/", with a
 * trailing '/', so that BASE + "pypi/NAME/json" is the JSON API. malloc'd;
 * NULL when the index is not PyPI-like (then only the simple API is used)
 * or on ENOMEM. */
char *pv_pipconf_json_base(const char *index_url);

#endif
