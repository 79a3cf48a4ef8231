/* doctor_exec.c - run a package manager's `--version` with a time limit and
 * a bounded, captured first line. The tool is whatever the person's
 * configuration points at, so it may hang, print megabytes or spawn
 * children: it runs in its own process group, which is killed at the
 * deadline. */
#include "doctor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int spawn_capture(const char *path, int *out_fd, pid_t *pid, char *err, size_t errlen)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int rc = posix_spawn_file_actions_init(&fa);
	if (rc == 0 && (rc = posix_spawnattr_init(&at)) != 0)
		posix_spawn_file_actions_destroy(&fa);
	if (rc == 0) {
		if ((rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0)) == 0 &&
		    (rc = posix_spawn_file_actions_adddup2(&fa, p[1], 1)) == 0 &&
		    (rc = posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0)) == 0 &&
		    (rc = posix_spawnattr_setpgroup(&at, 0)) == 0 &&
		    (rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP)) == 0) {
			char *argv[] = {(char *)path, "--version", NULL};
			rc = posix_spawn(pid, path, &fa, &at, argv, environ);
		}
		posix_spawn_file_actions_destroy(&fa);
		posix_spawnattr_destroy(&at);
	}
	close(p[1]);
	if (rc != 0) {
		close(p[0]);
		snprintf(err, errlen, "cannot run it: %s", strerror(rc));
		return -1;
	}
	*out_fd = p[0];
	return 0;
}

/* Wait for pid until deadline; then kill its group. Returns the wait
 * status, or -1 when it had to be killed. */
static int reap(pid_t pid, long deadline)
{
	int status = 0;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			return status;
		if (w < 0 && errno != EINTR)
			return -1;
		if (now_ms() >= deadline)
			break;
		struct timespec nap = {0, 20 * 1000000L};
		nanosleep(&nap, NULL);
	}
	kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return -1;
}

int doc_tool_version(const char *path, long timeout_ms, char *out, size_t n, char *err, size_t errlen)
{
	int fd;
	pid_t pid;
	out[0] = 0;
	if (spawn_capture(path, &fd, &pid, err, errlen) < 0)
		return -1;
	long deadline = now_ms() + timeout_ms;
	size_t len = 0;
	bool timed_out = false, line_done = false;
	/* Read until the first newline, end of file or the deadline; the rest
	 * of a long output is never wanted. */
	while (!line_done && len + 1 < n) {
		long left = deadline - now_ms();
		if (left <= 0) {
			timed_out = true;
			break;
		}
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int pr = poll(&pfd, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0) {
			timed_out = pr == 0;
			break;
		}
		ssize_t k = read(fd, out + len, n - 1 - len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		len += (size_t)k;
		line_done = memchr(out + len - (size_t)k, '\n', (size_t)k) != NULL;
	}
	out[len] = 0;
	close(fd);
	char *nl = strchr(out, '\n');
	if (nl)
		*nl = 0;
	int status = reap(pid, timed_out ? 0 : deadline);
	if (timed_out || status < 0) {
		snprintf(err, errlen, "`--version` did not finish within %ld s", timeout_ms / 1000);
		return -1;
	}
	/* A tool that printed its line and died writing more (we stopped
	 * reading) said what we asked. */
	if (line_done && WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE)
		return 0;
	if (WIFSIGNALED(status)) {
		snprintf(err, errlen, "`--version` was killed by signal %d", WTERMSIG(status));
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		snprintf(err, errlen, "`--version` exited with status %d", WEXITSTATUS(status));
		return -1;
	}
	if (!out[0]) {
		snprintf(err, errlen, "`--version` printed nothing");
		return -1;
	}
	return 0;
}
