/* lockfile.c - npm package-lock.json / npm-shrinkwrap.json reader. */
#include "lockfile.h"
#include "semver.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NPM_REGISTRY "https://registry.npmjs.org/"

struct ctx {
	const char *label;
	const char *registry;
	struct pv_lockfile *lf;
	size_t cap;
	char *err;
	size_t errlen;
	int rc; /* -1 input error, -2 allocation failure */
};

__attribute__((format(printf, 2, 3))) static int fail(struct ctx *c, const char *fmt, ...)
{
	if (c->err && c->errlen) {
		int n = snprintf(c->err, c->errlen, "%s: ", c->label);
		if (n >= 0 && (size_t)n < c->errlen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	c->rc = -1;
	return -1;
}

static int oom(struct ctx *c)
{
	if (c->err && c->errlen)
		snprintf(c->err, c->errlen, "%s: out of memory", c->label);
	c->rc = -2;
	return -2;
}

/* Printable-ASCII copy of s for messages, truncated. */
static const char *shown(const char *s, char *buf, size_t n)
{
	size_t j = 0;
	for (; *s && j + 4 < n; s++)
		buf[j++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
	if (*s && j + 3 < n) {
		memcpy(buf + j, "...", 3);
		j += 3;
	}
	buf[j] = '\0';
	return buf;
}

const char *pv_lock_source_name(enum pv_lock_source s)
{
	switch (s) {
	case PV_LOCK_REGISTRY: return "registry";
	case PV_LOCK_GIT: return "git";
	case PV_LOCK_TARBALL: return "tarball";
	case PV_LOCK_FILE: return "file";
	case PV_LOCK_LINK: return "link";
	}
	return "unknown";
}

static bool name_part_ok(const char *s, size_t n)
{
	if (n == 0 || s[0] == '.' || s[0] == '_')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '-' || ch == '.' || ch == '_' || ch == '~'))
			return false;
	}
	return true;
}

/* "pkg" or "@scope/pkg", URL-safe characters only. */
static bool name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > PV_LOCKFILE_MAX_NAME)
		return false;
	if (s[0] == '@') {
		const char *slash = strchr(s, '/');
		if (!slash)
			return false;
		return name_part_ok(s + 1, (size_t)(slash - s - 1)) &&
		       name_part_ok(slash + 1, strlen(slash + 1));
	}
	return name_part_ok(s, n);
}

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static bool under_url(const char *s, const char *base)
{
	size_t n = strlen(base);
	while (n && base[n - 1] == '/')
		n--;
	return n && strncasecmp(s, base, n) == 0 && s[n] == '/';
}

static bool semver_ok(const char *v)
{
	struct pv_semver sv;
	return v && pv_semver_parse(v, &sv) == 0;
}

/* Classify a resolved URL / version spec. Returns false when s is not
 * recognisably a URL, git spec or path. */
static bool classify(const struct ctx *c, const char *s, enum pv_lock_source *src)
{
	static const char *const git[] = {"git+", "git://", "git@", "github:", "gitlab:",
	                                  "bitbucket:", "gist:"};
	for (size_t i = 0; i < sizeof git / sizeof *git; i++)
		if (has_prefix(s, git[i])) {
			*src = PV_LOCK_GIT;
			return true;
		}
	if (has_prefix(s, "file:") || has_prefix(s, "./") || has_prefix(s, "../") || s[0] == '/' ||
	    has_prefix(s, "~/")) {
		*src = PV_LOCK_FILE;
		return true;
	}
	if (has_prefix(s, "https://") || has_prefix(s, "http://")) {
		if ((c->registry && under_url(s, c->registry)) || under_url(s, NPM_REGISTRY) ||
		    under_url(s, "https://registry.yarnpkg.com/"))
			*src = PV_LOCK_REGISTRY;
		else
			*src = PV_LOCK_TARBALL;
		return true;
	}
	/* Any other scheme ("ssh://", "ftp:"): remote, not the registry. */
	const char *colon = strchr(s, ':');
	if (colon && colon > s) {
		bool scheme = true;
		for (const char *p = s; p < colon; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			      *p == '+' || *p == '-' || *p == '.'))
				scheme = false;
		if (scheme) {
			*src = PV_LOCK_TARBALL;
			return true;
		}
	}
	return false;
}

/* Optional string member: 0 (with *out NULL when absent), -1 wrong type. */
static int get_str(struct ctx *c, json_object *o, const char *key, const char *where,
                   const char **out)
{
	json_object *v;
	char buf[128];
	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return fail(c, "\"%s\" of %s is not a string", key, shown(where, buf, sizeof buf));
	*out = json_object_get_string(v);
	return 0;
}

static int get_bool(struct ctx *c, json_object *o, const char *key, const char *where, bool *out)
{
	json_object *v;
	char buf[128];
	*out = false;
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return fail(c, "\"%s\" of %s is not true or false", key, shown(where, buf, sizeof buf));
	*out = json_object_get_boolean(v);
	return 0;
}

static char *dup_or_null(const char *s, bool *bad)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*bad = true;
	return d;
}

static void entry_free(struct pv_lock_entry *e)
{
	free(e->name);
	free(e->alias);
	free(e->version);
	free(e->resolved);
	free(e->integrity);
	free(e->path);
}

static int add(struct ctx *c, const struct pv_lock_entry *tmpl)
{
	struct pv_lockfile *lf = c->lf;
	if (lf->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 64;
		struct pv_lock_entry *ne = realloc(lf->entries, ncap * sizeof *ne);
		if (!ne)
			return oom(c);
		lf->entries = ne;
		c->cap = ncap;
	}
	struct pv_lock_entry e = *tmpl;
	bool bad = false;
	e.name = dup_or_null(tmpl->name, &bad);
	e.alias = dup_or_null(tmpl->alias, &bad);
	e.version = dup_or_null(tmpl->version, &bad);
	e.resolved = dup_or_null(tmpl->resolved, &bad);
	e.integrity = dup_or_null(tmpl->integrity, &bad);
	e.path = dup_or_null(tmpl->path, &bad);
	if (bad) {
		entry_free(&e);
		return oom(c);
	}
	lf->entries[lf->n++] = e;
	return 0;
}

/* Common part of one entry: classification and checks. e has name, path,
 * version, resolved, link set; workspace is true for a directory key that
 * is not under node_modules. */
static int finish(struct ctx *c, struct pv_lock_entry *e, bool workspace)
{
	char b1[128], b2[128];
	if (!name_ok(e->name))
		return fail(c, "%s: \"%s\" is not a valid package name", shown(e->path, b1, sizeof b1),
		            shown(e->name, b2, sizeof b2));
	if (e->alias && !name_ok(e->alias))
		return fail(c, "%s: \"%s\" is not a valid package name", shown(e->path, b1, sizeof b1),
		            shown(e->alias, b2, sizeof b2));
	if (e->link)
		e->source = PV_LOCK_LINK;
	else if (workspace)
		e->source = PV_LOCK_FILE; /* a directory of the project (workspace) */
	else if (e->resolved) {
		if (!classify(c, e->resolved, &e->source))
			e->source = PV_LOCK_FILE; /* a bare relative path */
	} else if (semver_ok(e->version))
		e->source = PV_LOCK_REGISTRY;
	else if (e->version && classify(c, e->version, &e->source)) {
		/* v1: the spec is in "version" */
	} else if (!e->version)
		return fail(c, "%s: no version", shown(e->path, b1, sizeof b1));
	else
		return fail(c, "%s: \"%s\" is not a valid version", shown(e->path, b1, sizeof b1),
		            shown(e->version, b2, sizeof b2));
	if (e->source == PV_LOCK_REGISTRY && !semver_ok(e->version))
		return fail(c, "%s: registry package with %s%s%s", shown(e->path, b1, sizeof b1),
		            e->version ? "invalid version \"" : "no version",
		            e->version ? shown(e->version, b2, sizeof b2) : "", e->version ? "\"" : "");
	return add(c, e);
}

static int walk_packages(struct ctx *c, json_object *pkgs)
{
	char b1[128];
	struct json_object_iterator it = json_object_iter_begin(pkgs);
	struct json_object_iterator end = json_object_iter_end(pkgs);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *key = json_object_iter_peek_name(&it);
		json_object *v = json_object_iter_peek_value(&it);
		if (key[0] == '\0')
			continue; /* the root project */
		if (!json_object_is_type(v, json_type_object))
			return fail(c, "packages[\"%s\"] is not an object", shown(key, b1, sizeof b1));
		struct pv_lock_entry e = {0};
		const char *name, *version, *resolved, *integrity;
		if (get_str(c, v, "name", key, &name) || get_str(c, v, "version", key, &version) ||
		    get_str(c, v, "resolved", key, &resolved) ||
		    get_str(c, v, "integrity", key, &integrity) || get_bool(c, v, "dev", key, &e.dev) ||
		    get_bool(c, v, "optional", key, &e.optional) ||
		    get_bool(c, v, "devOptional", key, &e.dev_optional) ||
		    get_bool(c, v, "peer", key, &e.peer) || get_bool(c, v, "link", key, &e.link))
			return -1;
		const char *seg = NULL;
		for (const char *p = key; (p = strstr(p, "node_modules/")) != NULL; p++)
			if (p == key || p[-1] == '/')
				seg = p + strlen("node_modules/");
		bool workspace = seg == NULL;
		if (workspace && !name) {
			const char *slash = strrchr(key, '/');
			name = slash ? slash + 1 : key;
		} else if (!workspace) {
			if (name && strcmp(name, seg) != 0)
				e.alias = (char *)seg;
			else
				name = seg;
		}
		e.name = (char *)name;
		e.version = (char *)version;
		e.resolved = (char *)resolved;
		e.integrity = (char *)integrity;
		e.path = (char *)key;
		int rc = finish(c, &e, workspace);
		if (rc)
			return rc;
	}
	return 0;
}

#define V1_MAX_PATH 65536

static int walk_v1(struct ctx *c, json_object *deps, const char *prefix)
{
	char b1[128], b2[128];
	struct json_object_iterator it = json_object_iter_begin(deps);
	struct json_object_iterator end = json_object_iter_end(deps);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *key = json_object_iter_peek_name(&it);
		json_object *v = json_object_iter_peek_value(&it);
		size_t plen = strlen(prefix) + strlen("node_modules/") + strlen(key) + 2;
		if (plen > V1_MAX_PATH)
			return fail(c, "dependencies nested too deeply");
		char *path = malloc(plen);
		if (!path)
			return oom(c);
		snprintf(path, plen, "%s%snode_modules/%s", prefix, prefix[0] ? "/" : "", key);
		if (!json_object_is_type(v, json_type_object)) {
			fail(c, "%s is not an object", shown(path, b1, sizeof b1));
			free(path);
			return -1;
		}
		struct pv_lock_entry e = {0};
		const char *version, *resolved, *integrity;
		char *real = NULL;
		int rc = 0;
		if (get_str(c, v, "version", path, &version) || get_str(c, v, "resolved", path, &resolved) ||
		    get_str(c, v, "integrity", path, &integrity) || get_bool(c, v, "dev", path, &e.dev) ||
		    get_bool(c, v, "optional", path, &e.optional) || get_bool(c, v, "peer", path, &e.peer)) {
			free(path);
			return -1;
		}
		e.name = (char *)key;
		if (version && has_prefix(version, "npm:")) {
			/* alias: "npm:real-name@1.2.3" */
			real = strdup(version + 4);
			if (!real) {
				free(path);
				return oom(c);
			}
			char *at = strrchr(real, '@');
			if (!at || at == real) {
				fail(c, "%s: bad alias \"%s\"", shown(path, b1, sizeof b1),
				     shown(version, b2, sizeof b2));
				free(real);
				free(path);
				return -1;
			}
			*at = '\0';
			e.alias = (char *)key;
			e.name = real;
			version = at + 1;
		}
		e.version = (char *)version;
		e.resolved = (char *)resolved;
		e.integrity = (char *)integrity;
		e.path = path;
		rc = finish(c, &e, false);
		free(real);
		json_object *sub;
		if (!rc && json_object_object_get_ex(v, "dependencies", &sub)) {
			if (!json_object_is_type(sub, json_type_object))
				rc = fail(c, "\"dependencies\" of %s is not an object", shown(path, b1, sizeof b1));
			else
				rc = walk_v1(c, sub, path);
		}
		free(path);
		if (rc)
			return rc;
	}
	return 0;
}

int pv_lockfile_parse(const char *data, size_t len, const char *label, const char *registry,
                      struct pv_lockfile *out, char *err, size_t errlen)
{
	struct ctx c = {.label = label ? label : "lockfile", .registry = registry, .lf = out,
	                .err = err, .errlen = errlen};
	memset(out, 0, sizeof *out);
	if (err && errlen)
		err[0] = '\0';
	if (len > PV_LOCKFILE_MAX_SIZE)
		return fail(&c, "too large (more than %u bytes)", PV_LOCKFILE_MAX_SIZE);
	json_tokener *tok = json_tokener_new_ex(PV_LOCKFILE_MAX_DEPTH);
	if (!tok)
		return oom(&c);
	json_object *root = len ? json_tokener_parse_ex(tok, data, (int)len) : NULL;
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	if (!root || jerr != json_tokener_success) {
		const char *why = (!len || jerr == json_tokener_continue) ? "unexpected end of input"
		                                                            : json_tokener_error_desc(jerr);
		json_object_put(root);
		json_tokener_free(tok);
		return fail(&c, "not JSON (%s)", why);
	}
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	for (; end < len; end++)
		if (!strchr(" \t\r\n", data[end])) {
			json_object_put(root);
			return fail(&c, "not JSON (trailing data after the top-level value)");
		}
	int rc = 0;
	json_object *lv, *pkgs = NULL, *deps = NULL;
	if (!json_object_is_type(root, json_type_object)) {
		rc = fail(&c, "not a lockfile (the top level is not an object)");
		goto done;
	}
	if (!json_object_object_get_ex(root, "lockfileVersion", &lv)) {
		rc = fail(&c, "not a lockfile (no lockfileVersion)");
		goto done;
	}
	if (!json_object_is_type(lv, json_type_int)) {
		rc = fail(&c, "lockfileVersion is not a number");
		goto done;
	}
	int64_t ver = json_object_get_int64(lv);
	if (ver < 1 || ver > 3) {
		rc = fail(&c, "lockfileVersion %lld is not supported (1, 2 and 3 are)", (long long)ver);
		goto done;
	}
	out->version = (int)ver;
	json_object_object_get_ex(root, "packages", &pkgs);
	json_object_object_get_ex(root, "dependencies", &deps);
	if (ver >= 2 && pkgs) {
		if (!json_object_is_type(pkgs, json_type_object))
			rc = fail(&c, "\"packages\" is not an object");
		else
			rc = walk_packages(&c, pkgs);
	} else if (ver == 3) {
		rc = fail(&c, "lockfileVersion 3 without \"packages\"");
	} else if (deps) {
		if (!json_object_is_type(deps, json_type_object))
			rc = fail(&c, "\"dependencies\" is not an object");
		else
			rc = walk_v1(&c, deps, "");
	}
done:
	json_object_put(root);
	if (rc) {
		pv_lockfile_free(out);
		return c.rc ? c.rc : rc;
	}
	return 0;
}

int pv_lockfile_load(const char *path, const char *registry, struct pv_lockfile *out, char *err,
                     size_t errlen)
{
	memset(out, 0, sizeof *out);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if ((uintmax_t)st.st_size > PV_LOCKFILE_MAX_SIZE) {
		snprintf(err, errlen, "%s: too large (more than %u bytes)", path, PV_LOCKFILE_MAX_SIZE);
		close(fd);
		return -1;
	}
	size_t cap = (size_t)st.st_size + 1, len = 0;
	char *buf = malloc(cap);
	if (!buf) {
		close(fd);
		snprintf(err, errlen, "%s: out of memory", path);
		return -2;
	}
	for (;;) {
		if (len == cap) { /* the file grew: read on, within the bound */
			if (cap > PV_LOCKFILE_MAX_SIZE) {
				snprintf(err, errlen, "%s: too large (more than %u bytes)", path,
				         PV_LOCKFILE_MAX_SIZE);
				free(buf);
				close(fd);
				return -1;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				close(fd);
				snprintf(err, errlen, "%s: out of memory", path);
				return -2;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	int rc = pv_lockfile_parse(buf, len, path, registry, out, err, errlen);
	free(buf);
	return rc;
}

void pv_lockfile_free(struct pv_lockfile *lf)
{
	if (!lf)
		return;
	for (size_t i = 0; i < lf->n; i++)
		entry_free(&lf->entries[i]);
	free(lf->entries);
	lf->entries = NULL;
	lf->n = 0;
}
