/* dirwalk.c - read a package directory into memory under the same limits
 * and path rules as an archive (tree_internal.h). Walks with openat() and
 * fstatat(AT_SYMLINK_NOFOLLOW) from directory descriptors, so no symlink
 * is ever followed, not even one swapped in while walking; files are opened
 * with O_NOFOLLOW and read with bounded reads (the size from stat is not
 * trusted: a file may grow). Names are visited in sorted order so that the
 * result does not depend on the file system. ".git" directories are
 * skipped: they are never part of what gets installed. */
#include "pkgtree.h"
#include "tree_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum walk_result { WALK_OK = 0, WALK_STOP, WALK_ERROR };

/* Longest symlink target looked at; a longer one is itself a finding. */
#define PV_LINK_MAX 4096

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char *join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = malloc(a + b + 2);
	if (!p)
		return NULL;
	if (a) {
		memcpy(p, dir, a);
		p[a++] = '/';
	}
	memcpy(p + a, name, b + 1);
	return p;
}

/* Reads the regular file `name` of directory dfd; norm is its path. */
static enum walk_result read_file(struct pv_reader *r, int dfd, const char *name, char *norm)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int e = fd < 0 ? errno : 0;
		if (fd >= 0)
			close(fd);
		if (e == ENOENT) { /* gone since it was listed */
			free(norm);
			return WALK_OK;
		}
		pv_reader_fail(r, "cannot read %s: %s", norm, e ? strerror(e) : "it changed while being read");
		free(norm);
		return WALK_ERROR;
	}
	uint64_t hint = st.st_size > 0 ? (uint64_t)st.st_size : 0;
	if (hint > r->lim.max_entry) {
		/* Said by stat: no need to read 64 MiB to find out. */
		close(fd);
		enum pv_step step = pv_reader_account(r, norm, hint, 0);
		free(norm);
		return step == PV_STEP_OK ? WALK_OK : WALK_STOP;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	struct pv_buf b = {0};
	enum walk_result res = WALK_OK;
	for (;;) {
		long long room = pv_buf_room(&b, r->lim.max_entry, hint);
		if (room < 0) {
			r->oom = true;
			res = WALK_ERROR;
			break;
		}
		if (room == 0) /* cannot happen: the limit trips first */
			break;
		size_t want = room < 256 * 1024 ? (size_t)room : 256 * 1024;
		ssize_t n = read(fd, b.p + b.len, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			pv_reader_fail(r, "cannot read %s: %s", norm, strerror(errno));
			res = WALK_ERROR;
			break;
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
		if (pv_reader_account(r, norm, b.len, (size_t)n) != PV_STEP_OK) {
			res = WALK_STOP;
			break;
		}
	}
	close(fd);
	if (res != WALK_OK) {
		free(b.p);
		free(norm);
		return res;
	}
	if (!b.p) {
		b.p = malloc(1);
		if (!b.p) {
			r->oom = true;
			free(norm);
			return WALK_ERROR;
		}
	} else if (b.cap > b.len + 1) {
		char *q = realloc(b.p, b.len + 1);
		if (q)
			b.p = q;
	}
	b.p[b.len] = 0;
	if (pv_reader_add(r, norm, b.p, b.len, (uint32_t)st.st_mode & 07777) < 0)
		return WALK_ERROR;
	return WALK_OK;
}

/* Walks the directory open at fd (ownership taken), whose path from the
 * root is rel ("" for the root). */
static enum walk_result walk(struct pv_reader *r, int fd, const char *rel)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		pv_reader_fail(r, "cannot read directory %s: %s", *rel ? rel : ".", strerror(errno));
		close(fd);
		return WALK_ERROR;
	}
	/* Collect, bounded: past the entry limit there is nothing to gain. */
	char **names = NULL;
	size_t n = 0, cap = 0;
	uint64_t room = (uint64_t)r->lim.max_entries - r->entries + 1;
	enum walk_result res = WALK_OK;
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(d);
		if (!de) {
			if (errno) {
				pv_reader_fail(r, "cannot read directory %s: %s", *rel ? rel : ".", strerror(errno));
				res = WALK_ERROR;
			}
			break;
		}
		const char *nm = de->d_name;
		if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0)
			continue;
		if (n == cap) {
			size_t c = cap ? cap * 2 : 32;
			char **v = realloc(names, c * sizeof *v);
			if (!v) {
				r->oom = true;
				res = WALK_ERROR;
				break;
			}
			names = v;
			cap = c;
		}
		if (!(names[n] = strdup(nm))) {
			r->oom = true;
			res = WALK_ERROR;
			break;
		}
		if (++n > room)
			break;
	}
	if (res != WALK_OK) {
		free_names(names, n);
		closedir(d);
		return res;
	}
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_names);
	int dfd = dirfd(d);
	for (size_t i = 0; i < n && res == WALK_OK; i++) {
		const char *name = names[i];
		struct stat st;
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue;
			pv_reader_fail(r, "cannot read %s%s%s: %s", rel, *rel ? "/" : "", name, strerror(errno));
			res = WALK_ERROR;
			break;
		}
		if (S_ISDIR(st.st_mode) && strcmp(name, ".git") == 0)
			continue;
		enum pv_kind kind = S_ISDIR(st.st_mode)   ? PV_KIND_DIR
		                    : S_ISREG(st.st_mode) ? PV_KIND_FILE
		                    : S_ISLNK(st.st_mode) ? PV_KIND_LINK : PV_KIND_OTHER;
		char *path = join(rel, name);
		if (!path) {
			r->oom = true;
			res = WALK_ERROR;
			break;
		}
		char *norm;
		enum pv_step step = pv_reader_begin(r, path, kind, &norm);
		free(path);
		if (step == PV_STEP_STOP) {
			res = r->oom ? WALK_ERROR : WALK_STOP;
			break;
		}
		if (step == PV_STEP_SKIP)
			continue;
		switch (kind) {
		case PV_KIND_DIR: {
			int cfd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (cfd < 0) {
				if (errno != ENOENT) {
					pv_reader_fail(r, "cannot read directory %s: %s", norm, strerror(errno));
					res = WALK_ERROR;
				}
			} else {
				res = walk(r, cfd, norm);
			}
			free(norm);
			break;
		}
		case PV_KIND_FILE:
			res = read_file(r, dfd, name, norm);
			break;
		case PV_KIND_LINK: {
			char target[PV_LINK_MAX + 1];
			ssize_t k = readlinkat(dfd, name, target, sizeof target);
			if (k < 0) {
				if (errno != ENOENT) {
					pv_reader_fail(r, "cannot read link %s: %s", norm, strerror(errno));
					res = WALK_ERROR;
				}
			} else if ((size_t)k >= sizeof target) {
				pv_reader_finding(r, norm, "symbolic link %s has a target longer than %d bytes", norm,
				                  PV_LINK_MAX);
			} else {
				target[k] = 0;
				pv_reader_link(r, norm, target, false);
			}
			free(norm);
			break;
		}
		case PV_KIND_OTHER:
			pv_reader_finding(r, norm, "entry %s is %s: no real package holds one", norm,
			                  S_ISFIFO(st.st_mode)   ? "a named pipe"
			                  : S_ISSOCK(st.st_mode) ? "a socket"
			                  : S_ISCHR(st.st_mode)  ? "a character device"
			                  : S_ISBLK(st.st_mode)  ? "a block device" : "of an unknown type");
			free(norm);
			break;
		}
		if (r->oom)
			res = WALK_ERROR;
	}
	free_names(names, n);
	closedir(d);
	return res;
}

enum pv_read_status pv_dir_read(int fd, struct pv_reader *r)
{
	r->archive_names = false;
	r->tree->compressed = 0;
	enum walk_result res = walk(r, fd, "");
	if (res == WALK_ERROR) {
		if (r->oom)
			pv_reader_fail(r, "out of memory");
		return PV_READ_ERROR;
	}
	if (res == WALK_STOP)
		return PV_READ_HOSTILE;
	if (r->tree->n == 0 && !r->hostile) {
		pv_reader_fail(r, "empty package: the directory holds no files");
		return PV_READ_ERROR;
	}
	return r->hostile ? PV_READ_HOSTILE : PV_READ_OK;
}
