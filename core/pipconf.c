/* pipconf.c - pip's index configuration (see pipconf.h). */
#include "pipconf.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SETERR(...)                                      \
	do {                                                 \
		if (err && errlen)                               \
			snprintf(err, errlen, __VA_ARGS__);          \
	} while (0)

/* url with a trailing '/', malloc'd. */
static char *with_slash(const char *url, size_t n)
{
	bool slash = n > 0 && url[n - 1] == '/';
	char *s = malloc(n + 2);
	if (!s)
		return NULL;
	memcpy(s, url, n);
	if (!slash)
		s[n++] = '/';
	s[n] = '\0';
	return s;
}

static void free_list(char ***list, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		free((*list)[i]);
	free(*list);
	*list = NULL;
	*n = 0;
}

void pv_pipconf_free(struct pv_pipconf *cfg)
{
	if (!cfg)
		return;
	free(cfg->index_url);
	free(cfg->index_source);
	free_list(&cfg->extra, &cfg->nextra);
	free_list(&cfg->find_links, &cfg->nfind_links);
	memset(cfg, 0, sizeof *cfg);
}

static int set_index(struct pv_pipconf *cfg, const char *url, size_t n, const char *source)
{
	while (n && isspace((unsigned char)*url)) {
		url++;
		n--;
	}
	while (n && isspace((unsigned char)url[n - 1]))
		n--;
	if (n == 0)
		return 0; /* an empty value leaves the earlier one */
	char *u = with_slash(url, n), *s = strdup(source);
	if (!u || !s) {
		free(u);
		free(s);
		return -1;
	}
	free(cfg->index_url);
	free(cfg->index_source);
	cfg->index_url = u;
	cfg->index_source = s;
	return 0;
}

/* Replace *list with the whitespace-separated words of text[0..n) (at
 * most PV_PIPCONF_MAX_EXTRA), each with a trailing '/' when slash. */
static int set_list(char ***list, size_t *nlist, const char *text, size_t n, bool slash)
{
	free_list(list, nlist);
	*list = calloc(PV_PIPCONF_MAX_EXTRA, sizeof **list);
	if (!*list)
		return -1;
	size_t i = 0;
	while (i < n && *nlist < PV_PIPCONF_MAX_EXTRA) {
		while (i < n && isspace((unsigned char)text[i]))
			i++;
		size_t j = i;
		while (j < n && !isspace((unsigned char)text[j]))
			j++;
		if (j > i) {
			char *u = slash ? with_slash(text + i, j - i) : strndup(text + i, j - i);
			if (!u)
				return -1;
			(*list)[(*nlist)++] = u;
		}
		i = j;
	}
	return 0;
}

static int set_extra(struct pv_pipconf *cfg, const char *urls, size_t n)
{
	return set_list(&cfg->extra, &cfg->nextra, urls, n, true);
}

int pv_pipconf_set_find_links(struct pv_pipconf *cfg, const char *locs)
{
	return set_list(&cfg->find_links, &cfg->nfind_links, locs ? locs : "", locs ? strlen(locs) : 0, false);
}

int pv_pipconf_init_default(struct pv_pipconf *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->index_url = strdup(PV_PIPCONF_DEFAULT_INDEX);
	cfg->index_source = strdup("default");
	if (!cfg->index_url || !cfg->index_source) {
		pv_pipconf_free(cfg);
		return -1;
	}
	return 0;
}

int pv_pipconf_set_index(struct pv_pipconf *cfg, const char *url)
{
	if (!url || !*url)
		return -1;
	return set_index(cfg, url, strlen(url), "override");
}

int pv_pipconf_set_extra(struct pv_pipconf *cfg, const char *urls)
{
	return set_extra(cfg, urls ? urls : "", urls ? strlen(urls) : 0);
}

/* Is key (n bytes) the option name, with '-' and '_' alike? */
static bool key_is(const char *key, size_t n, const char *want)
{
	if (strlen(want) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char a = (char)tolower((unsigned char)key[i]), b = want[i];
		if (a == '_')
			a = '-';
		if (a != b)
			return false;
	}
	return true;
}

struct file_vals {
	/* [0] = [global], [1] = [install]; value spans in a growable buffer */
	char *index[2];
	char *extra[2];
	char *flinks[2];
};

static int append(char **dst, const char *s, size_t n, bool newline)
{
	size_t old = *dst ? strlen(*dst) : 0;
	char *p = realloc(*dst, old + n + 2);
	if (!p)
		return -1;
	if (newline && old)
		p[old++] = '\n';
	memcpy(p + old, s, n);
	p[old + n] = '\0';
	*dst = p;
	return 0;
}

int pv_pipconf_apply_text(struct pv_pipconf *cfg, const char *text, const char *source)
{
	struct file_vals fv = {{NULL, NULL}, {NULL, NULL}, {NULL, NULL}};
	int section = -1; /* -1: other, 0: global, 1: install */
	char **cur = NULL; /* value being continued */
	int rc = 0;
	for (const char *line = text; line && *line && rc == 0;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		const char *next = nl ? nl + 1 : NULL;
		while (n && (line[n - 1] == '\r' || isspace((unsigned char)line[n - 1])))
			n--;
		size_t ind = 0;
		while (ind < n && (line[ind] == ' ' || line[ind] == '\t'))
			ind++;
		const char *s = line + ind;
		size_t sl = n - ind;
		if (sl == 0 || s[0] == '#' || s[0] == ';') {
			if (sl == 0)
				cur = NULL;
		} else if (ind > 0 && cur) {
			rc = append(cur, s, sl, true);
		} else if (s[0] == '[') {
			cur = NULL;
			const char *e = memchr(s, ']', sl);
			size_t nl2 = e ? (size_t)(e - s - 1) : 0;
			section = (e && nl2 == 6 && strncmp(s + 1, "global", 6) == 0)    ? 0
			          : (e && nl2 == 7 && strncmp(s + 1, "install", 7) == 0) ? 1
			                                                                 : -1;
		} else {
			cur = NULL;
			size_t k = strcspn(s, "=:");
			if (k >= sl || section < 0)
				goto next_line;
			size_t kl = k;
			while (kl && isspace((unsigned char)s[kl - 1]))
				kl--;
			const char *v = s + k + 1;
			size_t vl = sl - k - 1;
			while (vl && isspace((unsigned char)*v)) {
				v++;
				vl--;
			}
			char **dst = key_is(s, kl, "index-url")         ? &fv.index[section]
			             : key_is(s, kl, "extra-index-url") ? &fv.extra[section]
			             : key_is(s, kl, "find-links")      ? &fv.flinks[section]
			                                                : NULL;
			if (dst) {
				free(*dst);
				*dst = NULL;
				rc = append(dst, v, vl, false);
				cur = dst;
			}
		}
	next_line:
		line = next;
	}
	for (int sec = 0; sec < 2 && rc == 0; sec++) {
		if (fv.index[sec])
			rc = set_index(cfg, fv.index[sec], strlen(fv.index[sec]), source ? source : "text");
		if (rc == 0 && fv.extra[sec])
			rc = set_extra(cfg, fv.extra[sec], strlen(fv.extra[sec]));
		if (rc == 0 && fv.flinks[sec])
			rc = pv_pipconf_set_find_links(cfg, fv.flinks[sec]);
	}
	for (int sec = 0; sec < 2; sec++) {
		free(fv.index[sec]);
		free(fv.extra[sec]);
		free(fv.flinks[sec]);
	}
	return rc;
}

/* Read and apply a file; a missing one is skipped. */
static int apply_file(struct pv_pipconf *cfg, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		SETERR("pip configuration %s: %s", path, strerror(errno));
		return -1;
	}
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = 0;
	for (;;) {
		if (cap - len < 4096) {
			if (cap > (1u << 20)) {
				SETERR("pip configuration %s: too large", path);
				rc = -1;
				break;
			}
			char *p = realloc(buf, cap + 8192);
			if (!p) {
				SETERR("pip configuration %s: out of memory", path);
				rc = -1;
				break;
			}
			buf = p;
			cap += 8192;
		}
		size_t r = fread(buf + len, 1, cap - len - 1, f);
		len += r;
		if (r == 0)
			break;
	}
	if (rc == 0 && ferror(f)) {
		SETERR("pip configuration %s: read error", path);
		rc = -1;
	}
	fclose(f);
	if (rc == 0) {
		buf[len] = '\0';
		if (pv_pipconf_apply_text(cfg, buf, path) != 0) {
			SETERR("pip configuration %s: out of memory", path);
			rc = -1;
		}
	}
	free(buf);
	return rc;
}

int pv_pipconf_load(struct pv_pipconf *cfg, const char *global_file, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	if (pv_pipconf_init_default(cfg) != 0) {
		SETERR("pip configuration: out of memory");
		return -1;
	}
	char path[4096];
	if (apply_file(cfg, global_file ? global_file : "/etc/pip.conf", err, errlen) != 0)
		return -1;
	const char *home = getenv("HOME");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	if (home && *home) {
		snprintf(path, sizeof path, "%s/.pip/pip.conf", home);
		if (apply_file(cfg, path, err, errlen) != 0)
			return -1;
	}
	if (xdg && xdg[0] == '/')
		snprintf(path, sizeof path, "%s/pip/pip.conf", xdg);
	else if (home && *home)
		snprintf(path, sizeof path, "%s/.config/pip/pip.conf", home);
	else
		path[0] = '\0';
	if (path[0] && apply_file(cfg, path, err, errlen) != 0)
		return -1;
	const char *venv = getenv("VIRTUAL_ENV");
	if (venv && *venv) {
		snprintf(path, sizeof path, "%s/pip.conf", venv);
		if (apply_file(cfg, path, err, errlen) != 0)
			return -1;
	}
	const char *e = getenv("PIP_INDEX_URL");
	if (e && *e && set_index(cfg, e, strlen(e), "PIP_INDEX_URL") != 0)
		goto oom;
	e = getenv("PIP_EXTRA_INDEX_URL");
	if (e && *e && set_extra(cfg, e, strlen(e)) != 0)
		goto oom;
	e = getenv("PIP_FIND_LINKS");
	if (e && *e && pv_pipconf_set_find_links(cfg, e) != 0)
		goto oom;
	return 0;
oom:
	SETERR("pip configuration: out of memory");
	return -1;
}

char *pv_pipconf_json_base(const char *index_url)
{
	if (!index_url)
		return NULL;
	size_t n = strlen(index_url);
	if (n && index_url[n - 1] == '/')
		n--;
	if (n < 7 || strncmp(index_url + n - 7, "/simple", 7) != 0)
		return NULL;
	size_t bl = n - 6; /* keep the '/' before "simple" */
	char *b = malloc(bl + 1);
	if (!b)
		return NULL;
	memcpy(b, index_url, bl);
	b[bl] = '\0';
	return b;
}
