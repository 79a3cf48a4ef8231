/* fsutil.c - bounded reads, atomic writes, child environments. */
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

int pv_read_file(const char *path, size_t max, bool nofollow, char **buf, size_t *len, mode_t *mode)
{
	*buf = NULL;
	*len = 0;
	/* O_NONBLOCK: a FIFO must not hang the open (it is refused below) */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (nofollow ? O_NOFOLLOW : 0));
	if (fd < 0)
		return errno == ENOENT ? 1 : -1;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (!S_ISREG(st.st_mode) || (uintmax_t)st.st_size > max) {
		close(fd);
		errno = S_ISDIR(st.st_mode) ? EISDIR : S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		return -1;
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *b = malloc(cap + 1);
	if (!b) {
		close(fd);
		return -2;
	}
	/* The file may grow while we read: never read past cap, fail past max. */
	for (;;) {
		ssize_t r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(b);
			close(fd);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n == cap) {
			free(b);
			close(fd);
			errno = EFBIG;
			return -1;
		}
	}
	close(fd);
	b[n] = '\0';
	*buf = b;
	*len = n;
	if (mode)
		*mode = st.st_mode & 07777;
	return 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

int pv_write_new(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	if (write_all(fd, buf, len) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

int pv_write_atomic(const char *path, const char *buf, size_t len, mode_t mode)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s.pkgvet-XXXXXX", path) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	bool ok = write_all(fd, buf, len) == 0 && fchmod(fd, mode) == 0 && fsync(fd) == 0;
	if (close(fd) != 0)
		ok = false;
	if (!ok || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}

static size_t key_len(const char *kv)
{
	const char *eq = strchr(kv, '=');
	return eq ? (size_t)(eq - kv) : strlen(kv);
}

char **pv_env_with(const char *const *extra, bool (*drop)(const char *kv, size_t keylen))
{
	size_t ne = 0, nx = 0;
	while (environ && environ[ne])
		ne++;
	while (extra && extra[nx])
		nx++;
	char **env = calloc(ne + nx + 1, sizeof *env);
	if (!env)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < ne; i++) {
		size_t kl = key_len(environ[i]);
		bool gone = drop && drop(environ[i], kl);
		for (size_t j = 0; j < nx && !gone; j++)
			gone = key_len(extra[j]) == kl && strncmp(extra[j], environ[i], kl) == 0;
		if (!gone)
			env[n++] = environ[i];
	}
	for (size_t j = 0; j < nx; j++)
		if (!(drop && drop(extra[j], key_len(extra[j]))))
			env[n++] = (char *)extra[j];
	env[n] = NULL;
	return env;
}
