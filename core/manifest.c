/* manifest.c - locate a package's manifest and classify its files
 * (which analyser reads each file, which run at install time). */
#include "manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long pv_tree_find(const struct pv_tree *tree, const char *p)
{
	for (size_t i = 0; i < tree->n; i++)
		if (strcmp(tree->v[i].path, p) == 0)
			return (long)i;
	return -1;
}

static unsigned depth_of(const char *p)
{
	unsigned d = 1;
	for (; *p; p++)
		if (*p == '/')
			d++;
	return d;
}

static const char *base_of(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcmp(s + n - m, suf) == 0;
}

/* First line of a file, when it is a "#!" line naming interp. */
static bool shebang_names(const struct pv_entry *e, const char *interp)
{
	if (e->len < 3 || e->data[0] != '#' || e->data[1] != '!')
		return false;
	const char *nl = memchr(e->data, '\n', e->len < 256 ? e->len : 256);
	size_t n = nl ? (size_t)(nl - e->data) : (e->len < 256 ? e->len : 256);
	size_t m = strlen(interp);
	for (size_t i = 2; i + m <= n; i++)
		if (memcmp(e->data + i, interp, m) == 0)
			return true;
	return false;
}

static void classify(const struct pv_tree *tree, struct pv_manifest *m)
{
	for (size_t i = 0; i < tree->n; i++) {
		const struct pv_entry *e = &tree->v[i];
		const char *b = base_of(e->path);
		if (ends_with(b, ".js") || ends_with(b, ".cjs") || ends_with(b, ".mjs"))
			m->is_code_js[i] = true;
		else if (ends_with(b, ".py") || ends_with(b, ".pyw") || ends_with(b, ".pth"))
			m->is_code_py[i] = true;
		else if (!strchr(b, '.') || ends_with(b, ".sh")) {
			if (shebang_names(e, "node"))
				m->is_code_js[i] = true;
			else if (shebang_names(e, "python"))
				m->is_code_py[i] = true;
			else if (ends_with(b, ".sh") || shebang_names(e, "sh"))
				m->is_shell[i] = true;
		}
		/* .pth files run at every interpreter start: install-time code. */
		if (ends_with(b, ".pth"))
			m->install_time[i] = true;
	}
}

int pv_manifest_read(const struct pv_tree *tree, struct pv_manifest *m,
                     struct pv_findings *out, char *err, size_t errlen)
{
	memset(m, 0, sizeof *m);
	size_t n = tree->n ? tree->n : 1;
	m->install_time = calloc(n, sizeof(bool));
	m->is_code_js = calloc(n, sizeof(bool));
	m->is_code_py = calloc(n, sizeof(bool));
	m->is_shell = calloc(n, sizeof(bool));
	if (!m->install_time || !m->is_code_js || !m->is_code_py || !m->is_shell) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	classify(tree, m);

	/* The shallowest manifest wins; on a tie Python metadata wins, because
	 * sdists often carry a package.json for their JavaScript assets. */
	long npm = -1, py = -1;
	unsigned npm_d = ~0u, py_d = ~0u;
	int py_rank = 99;
	for (size_t i = 0; i < tree->n; i++) {
		const char *p = tree->v[i].path, *b = base_of(p);
		unsigned d = depth_of(p);
		if (strcmp(b, "package.json") == 0 && d < npm_d) {
			npm = (long)i;
			npm_d = d;
			continue;
		}
		int rank = 99;
		if (strcmp(b, "METADATA") == 0 && d == 2 && strstr(p, ".dist-info/"))
			rank = 0;
		else if (strcmp(b, "PKG-INFO") == 0 && !strstr(p, ".egg-info/"))
			rank = 1;
		else if (strcmp(b, "PKG-INFO") == 0)
			rank = 4;
		else if (strcmp(b, "setup.py") == 0 || strcmp(b, "pyproject.toml") == 0)
			rank = 2;
		else if (strcmp(b, "setup.cfg") == 0)
			rank = 3;
		if (rank == 99)
			continue;
		/* A wheel's METADATA beats anything; otherwise depth, then rank. */
		if (py < 0 || (rank == 0 && py_rank != 0) ||
		    (py_rank != 0 && (d < py_d || (d == py_d && rank < py_rank)))) {
			py = (long)i;
			py_d = d;
			py_rank = rank;
		}
	}
	int rc;
	if (py >= 0 && (npm < 0 || py_rank == 0 || py_d <= npm_d))
		rc = pv_manifest_py(tree, (size_t)py, m, out, err, errlen);
	else if (npm >= 0)
		rc = pv_manifest_npm(tree, (size_t)npm, m, out, err, errlen);
	else
		goto none;
	if (rc == 0)
		pv_mark_reachable(tree, m);
	return rc;
none:
	snprintf(err, errlen, "no package.json, PKG-INFO, METADATA or setup.py found: not a package");
	return -1;
}

void pv_manifest_free(struct pv_manifest *m)
{
	free(m->name);
	free(m->version);
	free(m->root);
	free(m->install_time);
	free(m->is_code_js);
	free(m->is_code_py);
	free(m->is_shell);
	free(m->manifest_path);
	free(m->main);
	for (size_t i = 0; i < m->n_inl; i++)
		free(m->inl[i].code);
	free(m->inl);
	memset(m, 0, sizeof *m);
}
