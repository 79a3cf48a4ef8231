/* reach.c - code reachable from install-time code runs at install time.
 *
 * A postinstall script that does `require("./lib/setup")` or
 * `spawn("node", ["index.js"], {detached: true})` hands over to another
 * file of the package; that file's behaviour is install-time behaviour.
 * We find such hand-overs lexically: string literals in install-time files
 * that name another code file of the package. A literal that names a file
 * is what both require() and spawn() need, so no call analysis is needed,
 * and over-approximating (a literal that is only mentioned) costs little. */
#include "manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PV_REACH_LITERAL_MAX 256
#define PV_REACH_SCAN_MAX (4u << 20) /* bytes of one file scanned for literals */

static bool has_suffix(const char *s, size_t n, const char *suf)
{
	size_t m = strlen(suf);
	return n >= m && memcmp(s + n - m, suf, m) == 0;
}

/* Join dir (with trailing '/', may be "") and a relative path, resolving
 * "." and ".." without leaving the tree root. Returns false when it would. */
static bool join(const char *dir, const char *rel, size_t rlen, char *out, size_t cap)
{
	char buf[1400];
	int w = snprintf(buf, sizeof buf, "%s%.*s", dir, (int)rlen, rel);
	if (w < 0 || (size_t)w >= sizeof buf)
		return false;
	/* Normalise component by component into out. */
	size_t o = 0;
	char *save = NULL;
	for (char *c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0) {
			if (o == 0)
				return false;
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--; /* drop the '/' too */
			continue;
		}
		size_t cl = strlen(c);
		if (o + cl + 2 >= cap)
			return false;
		if (o)
			out[o++] = '/';
		memcpy(out + o, c, cl);
		o += cl;
	}
	out[o] = 0;
	return o > 0;
}

static bool is_code(const struct pv_manifest *m, size_t i)
{
	return m->is_code_js[i] || m->is_code_py[i] || m->is_shell[i];
}

/* Try the ways node and the shell would find `lit` from a file in dir. */
static long resolve(const struct pv_tree *tree, const struct pv_manifest *m, const char *dir,
                    const char *lit, size_t n)
{
	static const char *const suffix[] = {"", ".js", ".cjs", ".mjs", "/index.js"};
	bool relative = (n > 2 && lit[0] == '.' && lit[1] == '/') || (n > 3 && memcmp(lit, "../", 3) == 0);
	bool named = has_suffix(lit, n, ".js") || has_suffix(lit, n, ".cjs") || has_suffix(lit, n, ".mjs") ||
	             has_suffix(lit, n, ".py") || has_suffix(lit, n, ".sh");
	if (!relative && !named)
		return -1;
	const char *bases[2] = {dir, m->root};
	for (int b = 0; b < (relative ? 1 : 2); b++) {
		for (size_t s = 0; s < sizeof suffix / sizeof *suffix; s++) {
			if (named && s > 0)
				break;
			char rel[PV_REACH_LITERAL_MAX + 16], path[1400];
			snprintf(rel, sizeof rel, "%.*s%s", (int)n, lit, suffix[s]);
			if (!join(bases[b], rel, strlen(rel), path, sizeof path))
				continue;
			long idx = pv_tree_find(tree, path);
			if (idx >= 0 && is_code(m, (size_t)idx))
				return idx;
		}
	}
	return -1;
}

/* Mark files named by string literals of entry i; returns how many were new. */
static size_t scan_file(const struct pv_tree *tree, struct pv_manifest *m, size_t i)
{
	const struct pv_entry *e = &tree->v[i];
	char dir[1100];
	const char *slash = strrchr(e->path, '/');
	size_t dl = slash ? (size_t)(slash - e->path) + 1 : 0;
	if (dl >= sizeof dir)
		return 0;
	memcpy(dir, e->path, dl);
	dir[dl] = 0;
	size_t len = e->len < PV_REACH_SCAN_MAX ? e->len : PV_REACH_SCAN_MAX, marked = 0;
	const char *d = e->data;
	for (size_t k = 0; k < len; k++) {
		char q = d[k];
		if (q != '"' && q != '\'' && q != '`')
			continue;
		size_t s = k + 1, j = s;
		while (j < len && d[j] != q && d[j] != '\n' && d[j] != '\\' && j - s <= PV_REACH_LITERAL_MAX)
			j++;
		if (j >= len || d[j] != q) {
			continue; /* not a simple literal: move on one byte */
		}
		long idx = resolve(tree, m, dir, d + s, j - s);
		if (idx >= 0 && !m->install_time[idx]) {
			m->install_time[idx] = true;
			marked++;
		}
		k = j;
	}
	return marked;
}

void pv_mark_reachable(const struct pv_tree *tree, struct pv_manifest *m)
{
	/* Each round can only add marks, so at most n rounds; usually two. */
	for (size_t round = 0; round < tree->n; round++) {
		size_t marked = 0;
		for (size_t i = 0; i < tree->n; i++)
			if (m->install_time[i] && (m->is_code_js[i] || m->is_code_py[i] || m->is_shell[i]))
				marked += scan_file(tree, m, i);
		if (!marked)
			break;
	}
}
