/* fixture.h - start a Python fixture server (a script in tests/fixtures/) for a
 * unit test: it prints its port on the first line of stdout and exits when
 * its stdin closes, so a crashed test leaves no server behind. Also small
 * helpers to lay out the files a fixture serves. */
#ifndef PV_TEST_FIXTURE_H
#define PV_TEST_FIXTURE_H

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct fixture {
	pid_t pid;
	int in;   /* the server's stdin: closing it stops the server */
	int port;
};

static inline double fixture_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Start python3 tests/fixtures/SCRIPT ARG (ARG may be NULL); 0 or -1. */
static inline int fixture_start(struct fixture *f, const char *script, const char *arg)
{
	char path[4096];
	const char *src = getenv("PKGVET_SRC");
	snprintf(path, sizeof path, "%s/tests/fixtures/%s", src && *src ? src : ".", script);
	int in[2], out[2];
	f->pid = 0;
	f->port = 0;
	if (pipe(in) != 0 || pipe(out) != 0)
		return -1;
	f->pid = fork();
	if (f->pid < 0)
		return -1;
	if (f->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execlp("python3", "python3", path, arg, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	f->in = in[1];
	char line[64] = "";
	size_t len = 0;
	struct pollfd pfd = {.fd = out[0], .events = POLLIN};
	double t0 = fixture_mono();
	while (len < sizeof line - 1 && !memchr(line, '\n', len) && fixture_mono() - t0 < 15) {
		if (poll(&pfd, 1, 500) <= 0)
			continue;
		ssize_t r = read(out[0], line + len, sizeof line - 1 - len);
		if (r <= 0)
			break;
		len += (size_t)r;
		line[len] = '\0';
	}
	close(out[0]);
	f->port = atoi(line);
	return f->port > 0 ? 0 : -1;
}

static inline void fixture_stop(struct fixture *f)
{
	if (f->pid > 0) {
		close(f->in);
		kill(f->pid, SIGTERM);
		waitpid(f->pid, NULL, 0);
		f->pid = 0;
	}
}

static inline void fixture_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

/* mkdir -p ROOT/REL */
static inline void fixture_mkdirs(const char *root, const char *rel)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", root, rel);
	for (char *s = p + strlen(root) + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0755);
			*s = '/';
		}
	mkdir(p, 0755);
}

/* Write TEXT to ROOT/REL. */
static inline void fixture_put(const char *root, const char *rel, const char *text)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", root, rel);
	fixture_write_file(p, text);
}

#endif
