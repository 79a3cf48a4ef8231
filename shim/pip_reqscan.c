/* pip_reqscan.c - package sources hidden in requirements files (see
 * pip_reqscan.h). Mirrors how pip 23.2 reads such a file (req_file.py):
 * lines ending in '\' are joined, "#" comments (at the start or after white
 * space) dropped, the line split into words (quotes taken off), and options
 * parsed by optparse, so long options may be abbreviated. Being wrong
 * towards "found" only refuses an install; so any word that looks like a
 * source option counts, wherever it stands on the line. */
#include "pip_reqscan.h"

#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fsutil.h"
#include "requirements.h"

struct scan {
	size_t nfiles;
	char *where;
	size_t wl;
	pv_pip_req_fn on_req;
	void *ud;
};

static int scan_file(struct scan *s, const char *path, int depth);

/* The source option word w names, or NULL. */
static const char *source_option(const char *w)
{
	static const char *const longs[] = {"--find-links", "--index-url", "--extra-index-url", "--no-index"};
	if (w[0] != '-')
		return NULL;
	if (w[1] != '-')
		return w[1] == 'f' ? "--find-links" : w[1] == 'i' ? "--index-url" : NULL;
	size_t n = strcspn(w, "=");
	for (size_t i = 0; n >= 3 && i < sizeof longs / sizeof *longs; i++)
		if (n <= strlen(longs[i]) && strncmp(w, longs[i], n) == 0)
			return longs[i];
	return NULL;
}

/* 'r' or 'c' when word w includes a file (-r / --requirement, -c /
 * --constraint, abbreviated past what --require-hashes and
 * --config-settings share with them); *val the value in the word or NULL. */
static int include_option(const char *w, const char **val)
{
	*val = NULL;
	if (w[0] != '-')
		return 0;
	if (w[1] == 'r' || w[1] == 'c') {
		*val = w[2] ? w + 2 : NULL;
		return w[1];
	}
	if (w[1] != '-')
		return 0;
	size_t n = strcspn(w, "=");
	int k = n >= strlen("--requirem") && n <= strlen("--requirement") && strncmp(w, "--requirement", n) == 0 ? 'r'
	        : n >= strlen("--cons") && n <= strlen("--constraint") && strncmp(w, "--constraint", n) == 0 ? 'c'
	                                                                                                    : 0;
	if (k && w[n] == '=')
		*val = w + n + 1;
	return k;
}

/* Scan the file an -r / -c value names, relative to dir (NULL: as given). */
static int scan_include(struct scan *s, const char *dir, const char *val, int depth)
{
	if (strstr(val, "://") || strncasecmp(val, "file:", 5) == 0 || strstr(val, "${")) {
		snprintf(s->where, s->wl, "%.300s: a requirements file pip would fetch or expand itself", val);
		return -1;
	}
	char path[PATH_MAX];
	int w = snprintf(path, sizeof path, "%s%s%s", val[0] == '/' || !dir ? "" : dir,
	                 val[0] == '/' || !dir ? "" : "/", val);
	if (w < 0 || (size_t)w >= sizeof path) {
		snprintf(s->where, s->wl, "%.300s: file name too long", val);
		return -1;
	}
	return scan_file(s, path, depth + 1);
}

/* Words of one logical line, in place: white space ends a word, quotes are
 * dropped. Returns the count (at most max). */
static size_t split_words(char *line, char **words, size_t max)
{
	size_t n = 0;
	char *p = line;
	while (*p && n < max) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		char *o = p;
		words[n++] = o;
		while (*p && !isspace((unsigned char)*p)) {
			if (*p != '"' && *p != '\'')
				*o++ = *p;
			p++;
		}
		if (*p)
			p++;
		*o = '\0';
	}
	return n;
}

/* Hand a requirement line (pip: the words before the first option word,
 * joined by one space) or an editable (-e VALUE) to the caller, with a
 * --hash=sha256:HEX the line pins. */
static int requirement_line(struct scan *s, const char *path, unsigned lineno, char **words, size_t n)
{
	bool editable = false;
	size_t first = 0, end = 0;
	const char *w0 = words[0];
	if (w0[0] == '-' && (w0[1] == 'e' || (strncmp(w0, "--ed", 4) == 0 &&
	                                      strncmp(w0, "--editable", strcspn(w0, "=")) == 0))) {
		editable = true;
		const char *inword = w0[1] == 'e' ? (w0[2] ? w0 + 2 : NULL) : (strchr(w0, '=') ? strchr(w0, '=') + 1 : NULL);
		if (inword)
			return s->on_req(s->ud, inword, true, NULL, path, lineno);
		first = 1;
	} else if (w0[0] == '-') {
		return 0; /* an option line */
	}
	for (end = first; end < n && (words[end][0] != '-' || (editable && end == first)); end++)
		;
	if (end == first)
		return 0;
	char spec[8192];
	size_t o = 0;
	for (size_t i = first; i < end; i++) {
		int w = snprintf(spec + o, sizeof spec - o, "%s%s", i > first ? " " : "", words[i]);
		if (w < 0 || (size_t)w >= sizeof spec - o)
			return 0; /* no requirement is that long: pip says what is wrong with it */
		o += (size_t)w;
	}
	const char *hash = NULL;
	for (size_t i = end; i < n; i++) {
		const char *h = NULL;
		if (strncmp(words[i], "--hash=", 7) == 0)
			h = words[i] + 7;
		else if (strcmp(words[i], "--hash") == 0 && i + 1 < n)
			h = words[i + 1];
		if (h && strncmp(h, "sha256:", 7) == 0 && strlen(h + 7) == 64)
			hash = h + 7;
	}
	return s->on_req(s->ud, spec, editable, hash, path, lineno);
}

static int scan_line(struct scan *s, const char *path, const char *dir, unsigned lineno, char *line, int depth)
{
	char *h = line; /* a comment: '#' at the start or after white space */
	while ((h = strchr(h, '#')) != NULL && h != line && !isspace((unsigned char)h[-1]))
		h++;
	if (h)
		*h = '\0';
	char *words[512];
	size_t n = split_words(line, words, sizeof words / sizeof *words);
	if (n && (requirement_line(s, path, lineno, words, n) != 0))
		return -3;
	for (size_t i = 0; i < n; i++) {
		const char *opt = source_option(words[i]), *val;
		if (opt) {
			snprintf(s->where, s->wl, "%.300s:%u: %s", path, lineno, opt);
			return 1;
		}
		if (!include_option(words[i], &val))
			continue;
		if (!val && i + 1 < n)
			val = words[++i];
		int rc = val && *val ? scan_include(s, dir, val, depth) : 0;
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int scan_file(struct scan *s, const char *path, int depth)
{
	if (depth > PV_REQ_MAX_DEPTH || ++s->nfiles > PV_REQ_MAX_FILES) {
		snprintf(s->where, s->wl, "%.300s: requirements files nested too deep or too many", path);
		return -1;
	}
	char *buf = NULL;
	size_t len = 0;
	int rc = pv_read_file(path, PV_REQ_MAX_FILE_SIZE, false, &buf, &len, NULL);
	if (rc == 1)
		return 0; /* pip says it is missing, and installs nothing */
	if (rc != 0) {
		snprintf(s->where, s->wl, "%.300s: %s", path, rc == -2 ? "out of memory" : "cannot read it");
		return -1;
	}
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	if (slash == path)
		snprintf(dir, sizeof dir, "/");
	rc = 0;
	char *p = buf, *end = buf + len;
	unsigned lineno = 1;
	while (rc == 0 && p < end) {
		/* one logical line: physical lines ending in '\' joined in place */
		unsigned first = lineno;
		char *o = p, *start = p;
		while (p < end && *p != '\n') {
			if (*p == '\\' && (p + 1 == end || p[1] == '\n' || (p[1] == '\r' && (p + 2 == end || p[2] == '\n')))) {
				p += p + 1 < end && p[1] == '\r' ? 2 : 1;
				if (p < end) {
					p++; /* the newline */
					lineno++;
				}
				continue;
			}
			*o++ = *p++;
		}
		if (p < end) {
			p++;
			lineno++;
		}
		*o = '\0'; /* buf has room: o <= p, and pv_read_file ends buf with a NUL */
		rc = scan_line(s, path, dir, first, start, depth);
	}
	free(buf);
	return rc;
}

int pv_pip_reqfiles_scan(const struct pv_pip_args *a, pv_pip_req_fn on_req, void *ud, char *where,
                         size_t wherelen)
{
	struct scan s = {.where = where, .wl = wherelen, .on_req = on_req, .ud = ud};
	if (wherelen)
		where[0] = '\0';
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < a->nreq_files; i++)
		rc = scan_include(&s, NULL, a->req_files[i], 0);
	for (size_t i = 0; rc == 0 && i < a->nconstraint_files; i++)
		rc = scan_include(&s, NULL, a->constraint_files[i], 0);
	return rc;
}
