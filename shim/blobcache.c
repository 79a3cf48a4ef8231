/* blobcache.c - content-addressed artifact store (blobcache.h). */
#include "blobcache.h"
#include "digest.h"
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TRIM_EVERY 16 /* puts between two size checks, on average */

static bool hex64(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return false;
	return n == 64;
}

static int blob_path(const char *dir, const char *sha, char *out, size_t n)
{
	if (!dir || !*dir || !hex64(sha))
		return -1;
	int w = snprintf(out, n, "%s/%.2s/%s", dir, sha, sha);
	return w > 0 && (size_t)w < n ? 0 : -1;
}

int pv_blob_get(const char *dir, const char *sha, size_t max, char **buf, size_t *len)
{
	char path[4096];
	*buf = NULL;
	*len = 0;
	if (blob_path(dir, sha, path, sizeof path) < 0)
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (unsigned long long)st.st_size > max) {
		close(fd);
		return -1;
	}
	size_t n = (size_t)st.st_size;
	char *b = malloc(n + 1);
	size_t got = 0;
	while (b && got < n) {
		ssize_t r = read(fd, b + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	char hex[65];
	if (!b || got != n || pv_sha256_hex(b, n, hex, sizeof hex) != 0 || strcmp(hex, sha) != 0) {
		if (b && got == n)
			unlink(path); /* damaged: never served, fetched afresh next time */
		free(b);
		return -1;
	}
	b[n] = 0;
	/* Recently used: the trim keeps it. */
	utimensat(AT_FDCWD, path, NULL, 0);
	*buf = b;
	*len = n;
	return 0;
}

int pv_blob_put(const char *dir, const char *sha, const char *buf, size_t len)
{
	char path[4096], sub[4096], tmp[4200];
	if (len > PV_BLOB_MAX_FILE || blob_path(dir, sha, path, sizeof path) < 0)
		return -1;
	if (access(path, F_OK) == 0)
		return 0;
	snprintf(sub, sizeof sub, "%s/%.2s", dir, sha);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return -1;
	if (mkdir(sub, 0700) != 0 && errno != EEXIST)
		return -1;
	unsigned r = 0;
	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
		r = (unsigned)time(NULL) ^ (unsigned)getpid();
	snprintf(tmp, sizeof tmp, "%s/.tmp-%u-%u", sub, (unsigned)getpid(), r);
	if (pv_write_new(tmp, buf, len) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	if (r % TRIM_EVERY == 0)
		pv_blob_trim(dir, PV_BLOB_CAP_DEFAULT);
	return 0;
}

struct blob {
	char path[4096];
	unsigned long long size;
	struct timespec used;
};

static int older_first(const void *a, const void *b)
{
	const struct blob *x = a, *y = b;
	if (x->used.tv_sec != y->used.tv_sec)
		return x->used.tv_sec < y->used.tv_sec ? -1 : 1;
	return x->used.tv_nsec < y->used.tv_nsec ? -1 : x->used.tv_nsec > y->used.tv_nsec;
}

unsigned long long pv_blob_trim(const char *dir, unsigned long long cap)
{
	struct blob *v = NULL;
	size_t n = 0, capn = 0;
	unsigned long long total = 0;
	DIR *top = opendir(dir);
	struct dirent *d;
	while (top && (d = readdir(top)) != NULL) {
		if (strlen(d->d_name) != 2 || d->d_name[0] == '.')
			continue;
		char sub[4000];
		if ((size_t)snprintf(sub, sizeof sub, "%s/%s", dir, d->d_name) >= sizeof sub)
			continue;
		DIR *s = opendir(sub);
		struct dirent *f;
		while (s && (f = readdir(s)) != NULL) {
			if (!hex64(f->d_name))
				continue;
			if (n == capn) {
				size_t nc = capn ? capn * 2 : 256;
				struct blob *nv = nc < 1000000 ? realloc(v, nc * sizeof *nv) : NULL;
				if (!nv)
					break;
				v = nv;
				capn = nc;
			}
			struct stat st;
			if (strlen(sub) + 66 > sizeof v[n].path)
				continue;
			memcpy(v[n].path, sub, strlen(sub));
			v[n].path[strlen(sub)] = '/';
			memcpy(v[n].path + strlen(sub) + 1, f->d_name, 65); /* 64 hex digits and the NUL */
			if (lstat(v[n].path, &st) != 0 || !S_ISREG(st.st_mode))
				continue;
			v[n].size = (unsigned long long)st.st_size;
			v[n].used = st.st_mtim;
			total += v[n].size;
			n++;
		}
		if (s)
			closedir(s);
	}
	if (top)
		closedir(top);
	if (total > cap) {
		qsort(v, n, sizeof *v, older_first);
		unsigned long long goal = cap - cap / 5; /* some room before the next trim */
		for (size_t i = 0; i < n && total > goal; i++)
			if (unlink(v[i].path) == 0)
				total -= v[i].size;
	}
	free(v);
	return total;
}
