/* manifest_py.c - Python packages: name and version from PKG-INFO or a
 * wheel's METADATA (or setup.py when that is all there is), and the code
 * that runs at install or start-up time: setup.py, .pth files, wheel
 * scripts, in-tree build backends. */
#include "manifest.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Value of an RFC 822 header ("Name: foo") in the header block of text. */
static char *header(const char *d, size_t n, const char *key)
{
	size_t k = strlen(key), i = 0;
	while (i < n) {
		size_t e = i;
		while (e < n && d[e] != '\n')
			e++;
		size_t len = e - i;
		if (len == 0 || (len == 1 && d[i] == '\r'))
			break; /* end of headers */
		if (len > k + 1 && strncasecmp(d + i, key, k) == 0 && d[i + k] == ':') {
			size_t v = i + k + 1;
			while (v < e && (d[v] == ' ' || d[v] == '\t'))
				v++;
			size_t w = e;
			while (w > v && isspace((unsigned char)d[w - 1]))
				w--;
			if (w - v > 256)
				w = v + 256;
			return strndup(d + v, w - v);
		}
		i = e + 1;
	}
	return NULL;
}

/* `key="value"` or `key='value'` in setup.py text: the fallback when a
 * source tree has no PKG-INFO. Only plain literals are taken. */
static char *kw_literal(const char *d, size_t n, const char *key)
{
	size_t k = strlen(key);
	for (size_t i = 0; i + k < n; i++) {
		if (memcmp(d + i, key, k) != 0 || (i > 0 && (isalnum((unsigned char)d[i - 1]) || d[i - 1] == '_')))
			continue;
		size_t j = i + k;
		while (j < n && d[j] == ' ')
			j++;
		if (j >= n || d[j] != '=')
			continue;
		j++;
		while (j < n && d[j] == ' ')
			j++;
		if (j >= n || (d[j] != '"' && d[j] != '\''))
			continue;
		char q = d[j++];
		size_t s = j;
		while (j < n && d[j] != q && d[j] != '\n' && j - s < 256)
			j++;
		if (j < n && d[j] == q)
			return strndup(d + s, j - s);
	}
	return NULL;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcmp(s + n - m, suf) == 0;
}

int pv_manifest_py(const struct pv_tree *tree, size_t idx, struct pv_manifest *m,
                   struct pv_findings *out, char *err, size_t errlen)
{
	const struct pv_entry *e = &tree->v[idx];
	m->ecosystem = "pypi";
	m->manifest_path = strdup(e->path);
	bool wheel = ends_with(e->path, "/METADATA") && strstr(e->path, ".dist-info/");
	const char *slash = strrchr(e->path, '/');
	size_t rootlen = (!wheel && slash) ? (size_t)(slash - e->path) + 1 : 0;
	m->root = strndup(e->path, rootlen);
	if (!m->manifest_path || !m->root) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (ends_with(e->path, "PKG-INFO") || wheel) {
		m->name = header(e->data, e->len, "Name");
		m->version = header(e->data, e->len, "Version");
	}
	char path[1100];
	snprintf(path, sizeof path, "%ssetup.py", m->root);
	long setup = pv_tree_find(tree, path);
	if (setup >= 0) {
		const struct pv_entry *s = &tree->v[setup];
		if (!m->name)
			m->name = kw_literal(s->data, s->len, "name");
		if (!m->version)
			m->version = kw_literal(s->data, s->len, "version");
		/* pip runs setup.py to build, and to learn an sdist's dependencies. */
		m->install_time[setup] = true;
		m->is_code_py[setup] = true;
	}
	/* Last resort: the directory name, "name-1.0/". */
	if (!m->name && rootlen > 1) {
		char *dir = strndup(m->root, rootlen - 1);
		if (dir) {
			char *dash = strrchr(dir, '-');
			if (dash && isdigit((unsigned char)dash[1])) {
				m->version = m->version ? m->version : strdup(dash + 1);
				*dash = 0;
			}
			m->name = dir;
		}
	}

	for (size_t i = 0; i < tree->n; i++) {
		const char *p = tree->v[i].path;
		/* Wheel scripts land on PATH: the wheel's way to ship executables. */
		const char *d = strstr(p, ".data/scripts/");
		if (wheel && d && strchr(p, '/') == d + 5) {
			char detail[300];
			snprintf(detail, sizeof detail, "wheel installs the script %.200s onto PATH", d + 14);
			if (pv_findings_add(out, "install-hook", p, 0, NULL, 0, detail, true) < 0)
				goto oom;
		}
	}
	snprintf(path, sizeof path, "%spyproject.toml", m->root);
	long pyproject = pv_tree_find(tree, path);
	if (pyproject >= 0) {
		const struct pv_entry *pp = &tree->v[pyproject];
		if (memmem(pp->data, pp->len, "backend-path", 12) &&
		    pv_findings_add(out, "install-hook", pp->path, 0, NULL, 0,
		                    "pyproject.toml uses an in-tree build backend (backend-path): package code runs at build time",
		                    true) < 0)
			goto oom;
	}
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
	return -1;
}
