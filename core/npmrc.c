/* npmrc.c - npm registry configuration (see npmrc.h). */
#include "npmrc.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NPMRC_MAX_FILE (1u << 20)

static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* A registry URL with exactly one trailing '/'. */
static char *norm_registry(const char *v)
{
	size_t n = strlen(v);
	while (n > 0 && v[n - 1] == '/')
		n--;
	char *p = malloc(n + 2);
	if (!p)
		return NULL;
	memcpy(p, v, n);
	p[n] = '/';
	p[n + 1] = '\0';
	return p;
}

/* Lower-case the "//host:port" part of s (which starts with "//"). */
static void lower_host(char *s)
{
	if (strncmp(s, "//", 2) != 0)
		return;
	for (char *p = s + 2; *p && *p != '/'; p++)
		*p = (char)tolower((unsigned char)*p);
}

/* ${VAR} expansion as npm does it. Returns malloc'd text or NULL (ENOMEM). */
static char *env_expand(const char *s)
{
	size_t cap = strlen(s) + 1, len = 0;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	for (const char *p = s; *p;) {
		const char *add = p;
		size_t addn = 1, skip = 1;
		char *val_buf = NULL;
		if (p[0] == '\\' && p[1] == '$' && p[2] == '{') {
			add = p + 1; /* escaped: keep "${" literally */
			addn = 2;
			skip = 3;
		} else if (p[0] == '$' && p[1] == '{') {
			const char *end = strchr(p + 2, '}');
			size_t nlen = end ? (size_t)(end - (p + 2)) : 0;
			if (end && nlen > 0 && !memchr(p + 2, '$', nlen) && !memchr(p + 2, '{', nlen)) {
				bool opt = p[2 + nlen - 1] == '?';
				val_buf = dup_n(p + 2, opt ? nlen - 1 : nlen);
				if (!val_buf) {
					free(out);
					return NULL;
				}
				const char *v = val_buf[0] ? getenv(val_buf) : NULL;
				skip = nlen + 3;
				if (v) {
					add = v;
					addn = strlen(v);
				} else if (opt) {
					addn = 0;
				} else {
					addn = skip; /* unset: left as is */
				}
			}
		}
		if (len + addn + 1 > cap) {
			size_t ncap = (len + addn + 1) * 2;
			char *n = realloc(out, ncap);
			if (!n) {
				free(val_buf);
				free(out);
				return NULL;
			}
			out = n;
			cap = ncap;
		}
		memcpy(out + len, add, addn);
		len += addn;
		free(val_buf);
		p += skip;
	}
	out[len] = '\0';
	return out;
}

static int set_string(char **slot, const char *value)
{
	char *n = norm_registry(value);
	if (!n)
		return -1;
	free(*slot);
	*slot = n;
	return 0;
}

int pv_npmrc_set(struct pv_npmrc *cfg, const char *key, const char *value)
{
	size_t klen = strlen(key);
	if (strcmp(key, "registry") == 0) {
		if (!*value)
			return 0;
		return set_string(&cfg->registry, value);
	}
	if (strcmp(key, "always-auth") == 0) {
		cfg->always_auth = strcmp(value, "true") == 0;
		return 0;
	}
	if (strcmp(key, "ignore-scripts") == 0) {
		cfg->ignore_scripts = strcmp(value, "true") == 0;
		return 0;
	}
	if (strcmp(key, "cafile") == 0) {
		if (!*value) {
			free(cfg->cafile);
			cfg->cafile = NULL;
			return 0;
		}
		char *c = strdup(value);
		if (!c)
			return -1;
		free(cfg->cafile);
		cfg->cafile = c;
		return 0;
	}
	if (key[0] == '@' && klen > 9 && strcmp(key + klen - 9, ":registry") == 0) {
		if (!*value)
			return 0;
		for (size_t i = 0; i < cfg->nscopes; i++)
			if (strlen(cfg->scopes[i].scope) == klen - 9 &&
			    strncmp(cfg->scopes[i].scope, key, klen - 9) == 0)
				return set_string(&cfg->scopes[i].registry, value);
		struct pv_npmrc_scope *ns = realloc(cfg->scopes, (cfg->nscopes + 1) * sizeof *ns);
		if (!ns)
			return -1;
		cfg->scopes = ns;
		struct pv_npmrc_scope *s = &ns[cfg->nscopes];
		s->scope = dup_n(key, klen - 9);
		s->registry = norm_registry(value);
		if (!s->scope || !s->registry) {
			free(s->scope);
			free(s->registry);
			return -1;
		}
		cfg->nscopes++;
		return 0;
	}
	static const char tok_suffix[] = ":_authToken";
	size_t sl = sizeof tok_suffix - 1;
	if (strncmp(key, "//", 2) == 0 && klen > sl + 2 && strcmp(key + klen - sl, tok_suffix) == 0) {
		size_t plen = klen - sl;
		bool slash = key[plen - 1] == '/';
		char *prefix = malloc(plen + 2);
		if (!prefix)
			return -1;
		memcpy(prefix, key, plen);
		if (!slash)
			prefix[plen++] = '/';
		prefix[plen] = '\0';
		lower_host(prefix);
		for (size_t i = 0; i < cfg->ntokens; i++)
			if (strcmp(cfg->tokens[i].prefix, prefix) == 0) {
				char *t = strdup(value);
				free(prefix);
				if (!t)
					return -1;
				free(cfg->tokens[i].token);
				cfg->tokens[i].token = t;
				return 0;
			}
		struct pv_npmrc_token *nt = realloc(cfg->tokens, (cfg->ntokens + 1) * sizeof *nt);
		if (!nt) {
			free(prefix);
			return -1;
		}
		cfg->tokens = nt;
		nt[cfg->ntokens].prefix = prefix;
		nt[cfg->ntokens].token = strdup(value);
		if (!nt[cfg->ntokens].token) {
			free(prefix);
			return -1;
		}
		cfg->ntokens++;
		return 0;
	}
	return 0; /* not a key this module uses */
}

static void trim(const char **b, const char **e)
{
	while (*b < *e && isspace((unsigned char)**b))
		(*b)++;
	while (*e > *b && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

int pv_npmrc_apply_text(struct pv_npmrc *cfg, const char *text)
{
	const char *p = text;
	while (*p) {
		const char *eol = strchr(p, '\n');
		const char *e = eol ? eol : p + strlen(p);
		const char *b = p;
		p = eol ? eol + 1 : e;
		trim(&b, &e);
		if (b == e || *b == ';' || *b == '#' || *b == '[')
			continue;
		const char *eq = memchr(b, '=', (size_t)(e - b));
		if (!eq)
			continue; /* a bare key means "true": nothing we use */
		const char *kb = b, *ke = eq, *vb = eq + 1, *ve = e;
		trim(&kb, &ke);
		trim(&vb, &ve);
		if (ve - vb >= 2 && (*vb == '"' || *vb == '\'') && ve[-1] == *vb) {
			vb++;
			ve--;
		}
		char *k0 = dup_n(kb, (size_t)(ke - kb)), *v0 = dup_n(vb, (size_t)(ve - vb));
		char *k = k0 ? env_expand(k0) : NULL, *v = v0 ? env_expand(v0) : NULL;
		int rc = (k && v) ? pv_npmrc_set(cfg, k, v) : -1;
		free(k0);
		free(v0);
		free(k);
		free(v);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* 0 applied or absent, -1 unreadable / ENOMEM. */
static int apply_file(struct pv_npmrc *cfg, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		if (err)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	char *buf = malloc(NPMRC_MAX_FILE + 1);
	if (!buf) {
		fclose(f);
		if (err)
			snprintf(err, errlen, "out of memory");
		return -1;
	}
	size_t n = fread(buf, 1, NPMRC_MAX_FILE, f);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		if (err)
			snprintf(err, errlen, "%s: read error", path);
		return -1;
	}
	buf[n] = '\0';
	int rc = pv_npmrc_apply_text(cfg, buf);
	free(buf);
	if (rc != 0 && err)
		snprintf(err, errlen, "out of memory reading %s", path);
	return rc;
}

int pv_npmrc_init_default(struct pv_npmrc *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->registry = strdup(PV_NPMRC_DEFAULT_REGISTRY);
	return cfg->registry ? 0 : -1;
}

static const char *env_nonempty(const char *a, const char *b)
{
	const char *v = getenv(a);
	if (v && *v)
		return v;
	v = getenv(b);
	return v && *v ? v : NULL;
}

/* The directory of the first executable `name` on PATH, into out. */
static int dir_on_path(const char *name, char *out, size_t outlen)
{
	const char *path = getenv("PATH");
	if (!path)
		return -1;
	while (*path) {
		const char *colon = strchr(path, ':');
		size_t n = colon ? (size_t)(colon - path) : strlen(path);
		char cand[4096];
		if (n > 0 && n + strlen(name) + 2 < sizeof cand) {
			memcpy(cand, path, n);
			snprintf(cand + n, sizeof cand - n, "/%s", name);
			char real[PATH_MAX];
			if (access(cand, X_OK) == 0 && realpath(cand, real)) {
				char *slash = strrchr(real, '/');
				if (slash && slash != real) {
					*slash = 0;
					snprintf(out, outlen, "%s", real);
					return 0;
				}
			}
		}
		path += n + (colon ? 1 : 0);
	}
	return -1;
}

int pv_npmrc_global_path(char *out, size_t outlen)
{
	const char *g = env_nonempty("NPM_CONFIG_GLOBALCONFIG", "npm_config_globalconfig");
	if (g) {
		snprintf(out, outlen, "%s", g);
		return 0;
	}
	const char *prefix = env_nonempty("NPM_CONFIG_PREFIX", "npm_config_prefix");
	char dir[PATH_MAX];
	if (!prefix) {
		if (dir_on_path("node", dir, sizeof dir) < 0)
			return -1;
		char *slash = strrchr(dir, '/');
		if (!slash)
			return -1;
		if (slash == dir)
			slash[1] = 0; /* node in /bin: prefix "/" */
		else
			*slash = 0;
		prefix = dir;
	}
	int w = snprintf(out, outlen, "%s%setc/npmrc", prefix, prefix[strlen(prefix) - 1] == '/' ? "" : "/");
	return w > 0 && (size_t)w < outlen ? 0 : -1;
}

int pv_npmrc_load(struct pv_npmrc *cfg, const char *project_dir, const char *global_file,
                  char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	if (pv_npmrc_init_default(cfg) != 0) {
		if (err)
			snprintf(err, errlen, "out of memory");
		return -1;
	}
	char gpath[4096];
	if (!global_file && pv_npmrc_global_path(gpath, sizeof gpath) == 0)
		global_file = gpath;
	if (global_file && *global_file && apply_file(cfg, global_file, err, errlen) != 0)
		return -1;
	const char *user = env_nonempty("NPM_CONFIG_USERCONFIG", "npm_config_userconfig");
	char path[4096];
	if (user) {
		snprintf(path, sizeof path, "%s", user);
	} else {
		const char *home = getenv("HOME");
		if (!home || !*home) {
			struct passwd *pw = getpwuid(getuid());
			home = pw ? pw->pw_dir : NULL;
		}
		if (home)
			snprintf(path, sizeof path, "%s/.npmrc", home);
		else
			path[0] = '\0';
	}
	if (path[0] && apply_file(cfg, path, err, errlen) != 0)
		return -1;
	if (project_dir) {
		snprintf(path, sizeof path, "%s/.npmrc", project_dir);
		if (apply_file(cfg, path, err, errlen) != 0)
			return -1;
	}
	const char *env_is = env_nonempty("NPM_CONFIG_IGNORE_SCRIPTS", "npm_config_ignore_scripts");
	if (env_is)
		cfg->ignore_scripts = strcmp(env_is, "true") == 0;
	const char *env_reg = env_nonempty("NPM_CONFIG_REGISTRY", "npm_config_registry");
	if (env_reg && pv_npmrc_set(cfg, "registry", env_reg) != 0) {
		if (err)
			snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

void pv_npmrc_free(struct pv_npmrc *cfg)
{
	if (!cfg)
		return;
	free(cfg->registry);
	free(cfg->cafile);
	for (size_t i = 0; i < cfg->nscopes; i++) {
		free(cfg->scopes[i].scope);
		free(cfg->scopes[i].registry);
	}
	free(cfg->scopes);
	for (size_t i = 0; i < cfg->ntokens; i++) {
		free(cfg->tokens[i].prefix);
		free(cfg->tokens[i].token);
	}
	free(cfg->tokens);
	memset(cfg, 0, sizeof *cfg);
}

const char *pv_npmrc_registry_for(const struct pv_npmrc *cfg, const char *package_name)
{
	if (package_name && package_name[0] == '@') {
		const char *slash = strchr(package_name, '/');
		size_t sl = slash ? (size_t)(slash - package_name) : strlen(package_name);
		for (size_t i = 0; i < cfg->nscopes; i++)
			if (strlen(cfg->scopes[i].scope) == sl &&
			    strncmp(cfg->scopes[i].scope, package_name, sl) == 0)
				return cfg->scopes[i].registry;
	}
	return cfg->registry ? cfg->registry : PV_NPMRC_DEFAULT_REGISTRY;
}

char *pv_npmrc_auth_for(const struct pv_npmrc *cfg, const char *url)
{
	const char *rest;
	if (strncmp(url, "https://", 8) == 0)
		rest = url + 6;
	else if (strncmp(url, "http://", 7) == 0)
		rest = url + 5;
	else
		return NULL;
	/* "//host[:port]/path..." with the host lower-cased; no userinfo allowed. */
	char *u = strdup(rest);
	if (!u)
		return NULL;
	lower_host(u);
	size_t hostend = strcspn(u + 2, "/?#") + 2;
	if (memchr(u, '@', hostend)) {
		free(u);
		return NULL;
	}
	if (u[hostend] != '/') { /* "//host" alone means "//host/" */
		char *n = malloc(hostend + 2);
		if (!n) {
			free(u);
			return NULL;
		}
		memcpy(n, u, hostend);
		n[hostend] = '/';
		n[hostend + 1] = '\0';
		free(u);
		u = n;
	}
	const struct pv_npmrc_token *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < cfg->ntokens; i++) {
		size_t pl = strlen(cfg->tokens[i].prefix);
		if (pl > best_len && strncmp(u, cfg->tokens[i].prefix, pl) == 0 && cfg->tokens[i].token[0]) {
			best = &cfg->tokens[i];
			best_len = pl;
		}
	}
	free(u);
	if (!best || strpbrk(best->token, "\r\n"))
		return NULL;
	static const char pre[] = "Authorization: Bearer ";
	size_t tl = strlen(best->token);
	char *h = malloc(sizeof pre + tl);
	if (h) {
		memcpy(h, pre, sizeof pre - 1);
		memcpy(h + sizeof pre - 1, best->token, tl + 1);
	}
	return h;
}
