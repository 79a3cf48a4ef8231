/* manifest_npm.c - package.json: name, version, and what runs at install
 * time (lifecycle scripts, the files they run, inline `node -e` code,
 * binding.gyp builds). */
#include "manifest.h"
#include "analyze.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PV_MANIFEST_MAX (8u << 20)  /* a package.json larger than this is not read */
#define PV_CMD_TOKENS 256
#define PV_SCRIPT_DEPTH 4          /* `npm run a` → a → `npm run b` … */

static const char *const lifecycle_names[] = {"preinstall", "install", "postinstall"};

/* Offset and row of `"key"` followed by ':' in a JSON text (first match). */
static void locate_key(const char *d, size_t n, const char *key, size_t *off, uint32_t *row)
{
	size_t k = strlen(key);
	*off = 0;
	*row = 0;
	for (size_t i = 0; i + k + 2 <= n; i++) {
		if (d[i] != '"' || memcmp(d + i + 1, key, k) != 0 || d[i + 1 + k] != '"')
			continue;
		size_t j = i + k + 2;
		while (j < n && (d[j] == ' ' || d[j] == '\t' || d[j] == '\r' || d[j] == '\n'))
			j++;
		if (j < n && d[j] == ':') {
			*off = i;
			uint32_t r = 0;
			for (size_t x = 0; x < i; x++)
				r += d[x] == '\n';
			*row = r;
			return;
		}
	}
}

struct tokens {
	char *buf;              /* token bytes, NUL-separated */
	char *tok[PV_CMD_TOKENS];
	size_t n;
};

/* Split a shell command line into words: quotes removed, operators
 * (; & | < > ( ) and newlines) as their own words. Rough, but only used
 * to find which files and inline code a script runs. */
static int tokenize(const char *cmd, struct tokens *t)
{
	size_t len = strlen(cmd);
	t->n = 0;
	t->buf = malloc(len * 2 + 2);
	if (!t->buf)
		return -1;
	char *w = t->buf;
	size_t i = 0;
	while (i < len && t->n < PV_CMD_TOKENS) {
		while (i < len && (cmd[i] == ' ' || cmd[i] == '\t'))
			i++;
		if (i >= len)
			break;
		t->tok[t->n++] = w;
		if (strchr(";&|<>()\n", cmd[i])) {
			*w++ = cmd[i++];
			*w++ = 0;
			continue;
		}
		while (i < len && !strchr(" \t;&|<>()\n", cmd[i])) {
			char q = cmd[i];
			if (q == '\'' || q == '"') {
				i++;
				while (i < len && cmd[i] != q) {
					if (q == '"' && cmd[i] == '\\' && i + 1 < len)
						i++;
					*w++ = cmd[i++];
				}
				if (i < len)
					i++;
			} else {
				if (q == '\\' && i + 1 < len)
					i++;
				*w++ = cmd[i++];
			}
		}
		*w++ = 0;
	}
	return 0;
}

static bool is_interp(const char *t, const char *name)
{
	const char *b = strrchr(t, '/');
	b = b ? b + 1 : t;
	size_t n = strlen(name);
	/* "python", "python3", "python3.11" all count as python. */
	return strncmp(b, name, n) == 0 && (b[n] == 0 || (strcmp(name, "python") == 0 &&
	                                                  strspn(b + n, "0123456789.") == strlen(b + n)));
}

static int add_inline(struct pv_manifest *m, const char *code, uint32_t row, bool js)
{
	if (m->n_inl >= 64)
		return 0;
	struct pv_inline *v = realloc(m->inl, (m->n_inl + 1) * sizeof *v);
	if (!v)
		return -1;
	m->inl = v;
	struct pv_inline *x = &m->inl[m->n_inl];
	x->code = strdup(code);
	if (!x->code)
		return -1;
	x->len = strlen(code);
	x->line = row + 1;
	x->js = js;
	m->n_inl++;
	return 0;
}

/* One package.json being read: the top-level one, or a nested package
 * that a `file:` dependency installs from inside the tarball. */
struct npm_pkg {
	const char *dir;           /* its directory in the tree, with trailing '/' (or "") */
	const char *main;          /* its "main", may be NULL */
	const struct pv_entry *manifest;
	struct json_object *scripts;
};

/* Mark the package file a token names (as node or the shell would find it). */
static void mark_file(const struct pv_tree *tree, struct pv_manifest *m, const struct npm_pkg *pk,
                      const char *tok, char interp)
{
	static const char *const suffix[] = {"", ".js", ".cjs", ".mjs", "/index.js"};
	/* `node .` runs the package's main, as require(".") would. */
	if (interp == 'j' && (strcmp(tok, ".") == 0 || strcmp(tok, "./") == 0))
		tok = pk->main ? pk->main : "index.js";
	while (tok[0] == '.' && tok[1] == '/')
		tok += 2;
	if (!*tok || tok[0] == '-' || strlen(tok) > 512 || strstr(tok, ".."))
		return;
	char path[1100];
	for (size_t s = 0; s < sizeof suffix / sizeof *suffix; s++) {
		snprintf(path, sizeof path, "%s%s%s", pk->dir, tok, suffix[s]);
		long idx = pv_tree_find(tree, path);
		if (idx < 0 || strcmp(path, pk->manifest->path) == 0)
			continue;
		m->install_time[idx] = true;
		if (interp == 'j' && !m->is_code_py[idx])
			m->is_code_js[idx] = true;
		else if (interp == 'p' && !m->is_code_js[idx])
			m->is_code_py[idx] = true;
		else if (!m->is_code_js[idx] && !m->is_code_py[idx])
			m->is_shell[idx] = true;
		return;
	}
}

static int run_script(const struct pv_tree *tree, struct pv_manifest *m, const struct npm_pkg *pk,
                      const char *cmd, uint32_t row, int depth)
{
	struct tokens t;
	if (tokenize(cmd, &t) < 0)
		return -1;
	int rc = 0;
	char interp = 's';
	for (size_t i = 0; i < t.n && rc == 0; i++) {
		const char *w = t.tok[i];
		if (strchr(";&|()\n", w[0]) && w[1] == 0) {
			interp = 's';
			continue;
		}
		if (is_interp(w, "node")) {
			interp = 'j';
			if (i + 2 < t.n && (!strcmp(t.tok[i + 1], "-e") || !strcmp(t.tok[i + 1], "--eval") ||
			                    !strcmp(t.tok[i + 1], "-p") || !strcmp(t.tok[i + 1], "--print")))
				rc = add_inline(m, t.tok[i + 2], row, true), i += 2;
			continue;
		}
		if (is_interp(w, "python")) {
			interp = 'p';
			if (i + 2 < t.n && !strcmp(t.tok[i + 1], "-c"))
				rc = add_inline(m, t.tok[i + 2], row, false), i += 2;
			continue;
		}
		if (is_interp(w, "sh") || is_interp(w, "bash")) {
			interp = 's';
			continue;
		}
		/* `npm run other` runs another script of this package. */
		if ((!strcmp(w, "npm") || !strcmp(w, "yarn") || !strcmp(w, "pnpm")) && i + 2 < t.n &&
		    (!strcmp(t.tok[i + 1], "run") || !strcmp(t.tok[i + 1], "run-script")) &&
		    depth < PV_SCRIPT_DEPTH) {
			struct json_object *o;
			if (pk->scripts && json_object_object_get_ex(pk->scripts, t.tok[i + 2], &o) &&
			    json_object_is_type(o, json_type_string))
				rc = run_script(tree, m, pk, json_object_get_string(o), row, depth + 1);
			i += 2;
			continue;
		}
		mark_file(tree, m, pk, w, interp);
	}
	free(t.buf);
	return rc;
}

static char *json_str(struct json_object *root, const char *key)
{
	struct json_object *o;
	if (!json_object_object_get_ex(root, key, &o) || !json_object_is_type(o, json_type_string))
		return NULL;
	return strdup(json_object_get_string(o));
}

static struct json_object *parse_json(const struct pv_entry *e, char *err, size_t errlen)
{
	if (e->len > PV_MANIFEST_MAX) {
		snprintf(err, errlen, "%s is larger than %u bytes", e->path, PV_MANIFEST_MAX);
		return NULL;
	}
	struct json_tokener *tok = json_tokener_new_ex(64);
	if (!tok) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	struct json_object *root = json_tokener_parse_ex(tok, e->data, (int)e->len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	json_tokener_free(tok);
	if (!root || jerr != json_tokener_success || !json_object_is_type(root, json_type_object)) {
		snprintf(err, errlen, "%s is not a valid JSON object (%s)", e->path,
		         root ? "not an object" : json_tokener_error_desc(jerr));
		json_object_put(root);
		return NULL;
	}
	return root;
}

/* Lifecycle scripts and binding.gyp of one package.json. */
static int lifecycle(const struct pv_tree *tree, struct pv_manifest *m, struct npm_pkg *pk,
                     struct json_object *root, struct pv_findings *out)
{
	const struct pv_entry *e = pk->manifest;
	struct pv_source src = {e->path, e->data, e->len, true};
	int rc = 0;
	bool has_install = false;
	if (json_object_object_get_ex(root, "scripts", &pk->scripts) &&
	    json_object_is_type(pk->scripts, json_type_object)) {
		for (size_t i = 0; i < sizeof lifecycle_names / sizeof *lifecycle_names && rc == 0; i++) {
			struct json_object *o;
			if (!json_object_object_get_ex(pk->scripts, lifecycle_names[i], &o) ||
			    !json_object_is_type(o, json_type_string))
				continue;
			const char *cmd = json_object_get_string(o);
			if (i < 2)
				has_install = true;
			size_t off;
			uint32_t row;
			locate_key(e->data, e->len, lifecycle_names[i], &off, &row);
			char detail[240];
			snprintf(detail, sizeof detail, "%s: %.200s", lifecycle_names[i], cmd);
			if (pv_emit_install(out, &src, "install-hook", off, row, detail) < 0)
				rc = -1;
			pv_scan_shell(&src, off, row, cmd, strlen(cmd), out);
			if (rc == 0)
				rc = run_script(tree, m, pk, cmd, row, 0);
		}
	} else {
		pk->scripts = NULL;
	}
	/* npm runs `node-gyp rebuild` for a package with binding.gyp and no install script. */
	char gyp[1100];
	snprintf(gyp, sizeof gyp, "%sbinding.gyp", pk->dir);
	struct json_object *gypfile = NULL;
	bool want_gyp = pv_tree_find(tree, gyp) >= 0 ||
	                (json_object_object_get_ex(root, "gypfile", &gypfile) && json_object_get_boolean(gypfile));
	if (rc == 0 && want_gyp && !has_install)
		rc = pv_findings_add(out, "install-hook", gyp, 0, NULL, 0,
		                     "binding.gyp: npm runs `node-gyp rebuild` (a native build) at install", true);
	return rc;
}

/* Where a dependency spec does not come from the registry: "file:", "link:",
 * git and tarball URLs, GitHub "user/repo" shorthand. NULL for registry specs
 * (ranges, tags, "npm:" aliases, "workspace:"). */
static const char *non_registry(const char *spec)
{
	static const char *const pfx[][2] = {
		{"file:", "a local path"}, {"link:", "a local path"},
		{"git+", "a git repository"}, {"git:", "a git repository"},
		{"github:", "a GitHub repository"}, {"gitlab:", "a GitLab repository"},
		{"bitbucket:", "a Bitbucket repository"}, {"gist:", "a GitHub gist"},
		{"http://", "a URL"}, {"https://", "a URL"},
	};
	for (size_t i = 0; i < sizeof pfx / sizeof *pfx; i++)
		if (strncmp(spec, pfx[i][0], strlen(pfx[i][0])) == 0)
			return pfx[i][1];
	/* "./x", "../x", "/x", "~/x" are paths; "~1.2" is a tilde range. */
	if ((spec[0] == '.' && (spec[1] == '/' || (spec[1] == '.' && spec[2] == '/'))) || spec[0] == '/' ||
	    (spec[0] == '~' && spec[1] == '/'))
		return "a local path";
	/* "user/repo" (optionally #ref) is GitHub; ranges never contain '/'. */
	const char *slash = strchr(spec, '/');
	if (slash && spec[0] != '@' && !strchr(spec, ' ') && !strchr(spec, ':'))
		return "a GitHub repository";
	return NULL;
}

static int vet_package_json(const struct pv_tree *tree, struct pv_manifest *m, size_t idx,
                            struct pv_findings *out, char *err, size_t errlen, int depth);

/* url-dependency findings; a `file:` dependency inside the tarball is a
 * package npm installs too, with its own lifecycle scripts: vet it. */
static int dependencies(const struct pv_tree *tree, struct pv_manifest *m, const struct npm_pkg *pk,
                        struct json_object *root, struct pv_findings *out, int depth)
{
	static const char *const fields[] = {"dependencies", "optionalDependencies"};
	const struct pv_entry *e = pk->manifest;
	for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
		struct json_object *deps;
		if (!json_object_object_get_ex(root, fields[f], &deps) ||
		    !json_object_is_type(deps, json_type_object))
			continue;
		json_object_object_foreach(deps, name, val) {
			if (!json_object_is_type(val, json_type_string))
				continue;
			const char *spec = json_object_get_string(val);
			const char *kind = non_registry(spec);
			if (!kind)
				continue;
			size_t off;
			uint32_t row;
			locate_key(e->data, e->len, name, &off, &row);
			char detail[400];
			snprintf(detail, sizeof detail, "dependency %.100s comes from %s: %.200s", name, kind, spec);
			if (pv_findings_add_each(out, "url-dependency", e->path, row + 1, e->data + off,
			                         e->len - off, detail, false) < 0)
				return -1;
			if (strncmp(spec, "file:", 5) != 0 || depth >= PV_SCRIPT_DEPTH)
				continue;
			char rel[600], path[1400];
			snprintf(rel, sizeof rel, "%.512s/package.json", spec + 5);
			const char *r = rel;
			while (r[0] == '.' && r[1] == '/')
				r += 2;
			if (strstr(r, "..") || r[0] == '/')
				continue;
			snprintf(path, sizeof path, "%s%s", pk->dir, r);
			long nested = pv_tree_find(tree, path);
			char nerr[256];
			if (nested >= 0 && vet_package_json(tree, m, (size_t)nested, out, nerr, sizeof nerr, depth + 1) < 0)
				return -1;
		}
	}
	return 0;
}

static int vet_package_json(const struct pv_tree *tree, struct pv_manifest *m, size_t idx,
                            struct pv_findings *out, char *err, size_t errlen, int depth)
{
	const struct pv_entry *e = &tree->v[idx];
	struct json_object *root = parse_json(e, err, errlen);
	if (!root)
		return depth ? 0 : -1; /* a broken nested package.json does not install either */
	const char *slash = strrchr(e->path, '/');
	size_t dirlen = slash ? (size_t)(slash - e->path) + 1 : 0;
	char *dir = strndup(e->path, dirlen);
	char *main = json_str(root, "main");
	int rc = dir ? 0 : -1;
	if (depth == 0 && rc == 0) {
		m->name = json_str(root, "name");
		m->version = json_str(root, "version");
		m->main = main ? strdup(main) : NULL;
	}
	struct npm_pkg pk = {dir ? dir : "", main, e, NULL};
	if (rc == 0)
		rc = lifecycle(tree, m, &pk, root, out);
	if (rc == 0)
		rc = dependencies(tree, m, &pk, root, out, depth);
	free(dir);
	free(main);
	json_object_put(root);
	if (rc < 0)
		snprintf(err, errlen, "out of memory");
	return rc;
}

int pv_manifest_npm(const struct pv_tree *tree, size_t idx, struct pv_manifest *m,
                    struct pv_findings *out, char *err, size_t errlen)
{
	const struct pv_entry *e = &tree->v[idx];
	m->ecosystem = "npm";
	m->manifest_path = strdup(e->path);
	const char *slash = strrchr(e->path, '/');
	m->root = strndup(e->path, slash ? (size_t)(slash - e->path) + 1 : 0);
	if (!m->manifest_path || !m->root) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return vet_package_json(tree, m, idx, out, err, errlen, 0);
}
