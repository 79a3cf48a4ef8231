/* gate_findlinks.c - find-links sources for the gate (see gate_findlinks.h). */
#include "gate_findlinks.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "fsutil.h"
#include "pep440.h"

#define FL_URL_MAX 4096

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);
	return n >= m && strncmp(s + n - m, suffix, m) == 0;
}

/* Does s[0..n) normalise to project? */
static bool name_is(const char *s, size_t n, const char *project)
{
	char name[256], norm[256];
	if (n == 0 || n >= sizeof name)
		return false;
	memcpy(name, s, n);
	name[n] = '\0';
	return pv_pep503_normalize(name, norm, sizeof norm) >= 0 && strcmp(norm, project) == 0;
}

static bool version_start(const char *v)
{
	return isdigit((unsigned char)v[0]) || (v[0] == 'v' && isdigit((unsigned char)v[1]));
}

bool pv_gate_dist_is(const char *filename, const char *project)
{
	static const char *const sdist_ext[] = {".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz",
	                                        ".txz", ".tar", ".zip"};
	size_t n = strlen(filename);
	if (!project || !*project || !pv_gate_filename_ok(filename))
		return false;
	if (ends_with(filename, n, ".whl")) {
		size_t fields = 1;
		for (size_t i = 0; i < n - 4; i++)
			fields += filename[i] == '-';
		const char *dash = strchr(filename, '-');
		return (fields == 5 || fields == 6) && dash && version_start(dash + 1) &&
		       name_is(filename, (size_t)(dash - filename), project);
	}
	for (size_t e = 0; e < sizeof sdist_ext / sizeof *sdist_ext; e++) {
		if (!ends_with(filename, n, sdist_ext[e]))
			continue;
		size_t stem = n - strlen(sdist_ext[e]);
		/* pip splits where the name it looks for ends: try every '-'. */
		for (size_t i = 1; i + 1 < stem; i++)
			if (filename[i] == '-' && version_start(filename + i + 1) &&
			    name_is(filename, i, project))
				return true;
		return false;
	}
	return false;
}

/* ---------------- sources ---------------- */

/* The path of a file:// URL, percent-decoded (malloc'd); NULL when it is
 * not a local absolute path or does not decode. */
static char *file_url_path(const char *u)
{
	const char *p = u + 5; /* after "file:" */
	if (strncmp(p, "//", 2) == 0) {
		p += 2;
		if (strncasecmp(p, "localhost/", 10) == 0)
			p += 9;
		else if (*p != '/')
			return NULL; /* file://host/...: not this machine */
	}
	char *out = *p == '/' ? strndup(p, strcspn(p, "?#")) : NULL;
	if (out && pv_gate_pct_decode(out) != 0) {
		free(out);
		out = NULL;
	}
	return out;
}

void pv_gate_fl_free(struct pv_gate_fl *s)
{
	if (!s)
		return;
	free(s->url);
	free(s->path);
	memset(s, 0, sizeof *s);
}

int pv_gate_fl_init(struct pv_gate_fl *s, const char *spec, char *err, size_t errlen)
{
	memset(s, 0, sizeof *s);
	size_t n = spec ? strlen(spec) : 0;
	if (n == 0 || n > FL_URL_MAX) {
		snprintf(err, errlen, "find-links: empty or too long");
		return -1;
	}
	if (strncasecmp(spec, "http://", 7) == 0 || strncasecmp(spec, "https://", 8) == 0) {
		if ((s->url = strdup(spec)) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		s->url[strcspn(s->url, "#")] = '\0';
		return 0;
	}
	char *path = NULL;
	if (strncasecmp(spec, "file:", 5) == 0) {
		if ((path = file_url_path(spec)) == NULL) {
			snprintf(err, errlen, "find-links: not a local file URL");
			return -1;
		}
	} else if (spec[0] == '/') {
		if ((path = strdup(spec)) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	} else {
		snprintf(err, errlen, "find-links: %s", strstr(spec, "://") ? "only http(s) and file URLs are supported"
		                                                           : "not an absolute path");
		return -1;
	}
	char real[PATH_MAX];
	struct stat st;
	if (realpath(path, real) && stat(real, &st) == 0) {
		free(path);
		if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
			snprintf(err, errlen, "find-links: neither a directory nor a file");
			return -1;
		}
		s->dir = S_ISDIR(st.st_mode);
		path = strdup(real);
	} else if (errno != ENOENT && errno != ENOTDIR) {
		snprintf(err, errlen, "find-links: %s", strerror(errno));
		free(path);
		return -1;
	}
	if (!path) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->path = path;
	return 0;
}

/* ---------------- listing ---------------- */

/* Add dir/name (a file of project) to pg with the digest of its current
 * bytes. 1 listed, 0 gone or not a regular file, -1 ENOMEM. */
static int add_local(struct pv_gate_page *pg, int src, const char *dir, const char *name, size_t max_file)
{
	size_t pl = strlen(dir) + strlen(name) + 2;
	if (pl > PATH_MAX)
		return 0;
	struct pv_gate_file f = {.upstream = src};
	f.url = malloc(pl);
	f.filename = strdup(name);
	if (!f.url || !f.filename) {
		pv_gate_file_free(&f);
		return -1;
	}
	snprintf(f.url, pl, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	char *buf = NULL;
	size_t len = 0;
	int rc = pv_read_file(f.url, max_file, true, &buf, &len, NULL);
	if (rc == -2) {
		pv_gate_file_free(&f);
		return -1;
	}
	if (rc == 1 || (rc == -1 && (errno == ELOOP || errno == EINVAL || errno == EISDIR))) {
		pv_gate_file_free(&f); /* gone, a symlink, not a regular file */
		return 0;
	}
	/* Unreadable or too large: listed without a digest; fetching it then
	 * fails with the reason (pip says which file). */
	if (rc == 0) {
		char hex[65];
		if (pv_sha256_hex(buf, len, hex, sizeof hex) == 0 && (f.sha256 = strdup(hex)) == NULL) {
			free(buf);
			pv_gate_file_free(&f);
			return -1;
		}
	}
	free(buf);
	return pv_gate_page_add(pg, &f) == 0 ? 1 : -1;
}

static int list_dir(struct pv_gate_page *pg, int src, const char *path, const char *project, size_t max_entries,
                    size_t max_file, char *why, size_t whylen)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
		return 0; /* gone: as pip, nothing there */
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		snprintf(why, whylen, "cannot read the directory: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -2;
	}
	int listed = 0;
	size_t seen = 0;
	for (;;) {
		errno = 0; /* readdir: NULL with errno 0 is the end */
		struct dirent *de = readdir(d);
		if (!de)
			break;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (++seen > max_entries) {
			snprintf(why, whylen, "more than %zu directory entries", max_entries);
			closedir(d);
			return -2;
		}
		struct stat st;
		if (!pv_gate_dist_is(de->d_name, project) ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
			continue;
		int rc = add_local(pg, src, path, de->d_name, max_file);
		if (rc < 0) {
			closedir(d);
			return -1;
		}
		listed += rc > 0 && listed < INT_MAX;
	}
	int e = errno;
	closedir(d);
	if (e) {
		snprintf(why, whylen, "cannot read the directory: %s", strerror(e));
		return -2;
	}
	return listed;
}

int pv_gate_fl_list(struct pv_gate_page *pg, int src, const struct pv_gate_fl *s, const char *project,
                    size_t max_entries, size_t max_file, char *why, size_t whylen)
{
	if (!s->path)
		return 0;
	if (s->dir)
		return list_dir(pg, src, s->path, project, max_entries, max_file, why, whylen);
	const char *slash = strrchr(s->path, '/');
	if (!slash || !pv_gate_dist_is(slash + 1, project))
		return 0;
	/* A single archive: its directory is canonical, the name is as given. */
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%.*s", slash == s->path ? 1 : (int)(slash - s->path), s->path);
	return add_local(pg, src, dir, slash + 1, max_file);
}

int pv_gate_fl_take_page(struct pv_gate_page *pg, int src, const char *page_url, const char *body,
                         size_t len, const char *project)
{
	struct pv_gate_page all = {0};
	int rc = pv_gate_page_parse(&all, src, page_url, body, len);
	int listed = 0;
	for (size_t i = 0; rc >= 0 && i < all.n; i++) {
		if (!pv_gate_dist_is(all.files[i].filename, project))
			continue;
		if (pv_gate_page_add(pg, &all.files[i]) != 0)
			rc = -1;
		else
			listed += listed < INT_MAX;
	}
	pv_gate_page_free(&all);
	return rc < 0 ? rc : listed;
}
