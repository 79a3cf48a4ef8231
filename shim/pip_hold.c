/* pip_hold.c - run pip once, held between resolving and installing
 * (pip_hold.h). */
#include "pip_hold.h"
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern const char pv_pip_hold_py[];

static void path_of(const struct pv_pip_hold *h, const char *name, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", h->dir, name);
}

static int exit_code(int st)
{
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

int pv_pip_hold_start(struct pv_pip_hold *h, char *const argv[], char *const extra_env[], const char *dir,
                      char *err, size_t errlen)
{
	memset(h, 0, sizeof *h);
	h->ready_fd = -1;
	h->pid = -1;
	if ((size_t)snprintf(h->dir, sizeof h->dir, "%s", dir) >= sizeof h->dir - 64) {
		snprintf(err, errlen, "work directory path too long");
		return -1;
	}
	char py[2200], hook[2300], ready[2200], go[2200];
	path_of(h, "py", py, sizeof py);
	snprintf(hook, sizeof hook, "%s/sitecustomize.py", py);
	path_of(h, "ready", ready, sizeof ready);
	path_of(h, "go", go, sizeof go);
	if (mkdir(py, 0700) != 0 || pv_write_new(hook, pv_pip_hold_py, strlen(pv_pip_hold_py)) != 0 ||
	    mkfifo(ready, 0600) != 0 || mkfifo(go, 0600) != 0) {
		snprintf(err, errlen, "cannot set up %s: %s", dir, strerror(errno));
		return -1;
	}
	/* Our end of "ready" first, non-blocking: the hook's open for writing
	 * then never waits, and poll() tells when it has written. */
	h->ready_fd = open(ready, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (h->ready_fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", ready, strerror(errno));
		return -1;
	}
	const char *old_pp = getenv("PYTHONPATH");
	size_t n = 0;
	while (extra_env && extra_env[n])
		n++;
	const char **env = calloc(n + 3, sizeof *env);
	char *pp = malloc(strlen(py) + (old_pp ? strlen(old_pp) : 0) + 16);
	char *hold = malloc(strlen(dir) + 32);
	if (!env || !pp || !hold) {
		free(env);
		free(pp);
		free(hold);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	sprintf(pp, "PYTHONPATH=%s%s%s", py, old_pp && *old_pp ? ":" : "", old_pp && *old_pp ? old_pp : "");
	sprintf(hold, "PKGVET_PIP_HOLD=%s", dir);
	for (size_t i = 0; i < n; i++)
		env[i] = extra_env[i];
	env[n] = pp;
	env[n + 1] = hold;
	char **full = pv_env_with(env, NULL);
	free(env);
	if (!full) {
		free(pp);
		free(hold);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	fflush(NULL);
	h->pid = fork();
	if (h->pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		execve(argv[0], argv, full);
		dprintf(2, "pkgvet: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int e = errno;
	free(full);
	free(pp);
	free(hold);
	if (h->pid < 0) {
		snprintf(err, errlen, "cannot start %s: %s", argv[0], strerror(e));
		return -1;
	}
	return 0;
}

static bool reap(struct pv_pip_hold *h, bool block)
{
	if (h->reaped || h->pid <= 0)
		return true;
	int st;
	pid_t r;
	while ((r = waitpid(h->pid, &st, block ? 0 : WNOHANG)) < 0 && errno == EINTR)
		;
	if (r == h->pid) {
		h->reaped = true;
		h->status = st;
	}
	return h->reaped;
}

int pv_pip_hold_wait(struct pv_pip_hold *h, int *exit_status, bool *unheld, char *err, size_t errlen)
{
	*unheld = false;
	/* pip's resolution may prompt (an sdist to build) through the gate on
	 * other threads; here we only wait for pip. SIGINT reaches pip too. */
	struct sigaction ign = {.sa_handler = SIG_IGN}, old_int, old_quit;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	int rc = -1;
	for (;;) {
		struct pollfd pf = {.fd = h->ready_fd, .events = POLLIN};
		int pr = poll(&pf, 1, 20);
		if (pr < 0 && errno != EINTR) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			break;
		}
		if (pr > 0 && (pf.revents & POLLIN)) {
			char b[16];
			ssize_t k = read(h->ready_fd, b, sizeof b);
			if (k > 0) {
				rc = 1;
				break;
			}
		}
		if (reap(h, false)) {
			char un[2200];
			path_of(h, "unheld", un, sizeof un);
			*unheld = access(un, F_OK) == 0;
			*exit_status = exit_code(h->status);
			rc = 0;
			break;
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	return rc;
}

int pv_pip_hold_answer(struct pv_pip_hold *h, bool go)
{
	char gop[2200];
	path_of(h, "go", gop, sizeof gop);
	struct sigaction ign = {.sa_handler = SIG_IGN}, old_pipe, old_int, old_quit;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old_pipe);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	if (!h->answered && !reap(h, false)) {
		/* The hook is (or is about to be) reading: a blocking open meets it.
		 * Non-blocking first, so a pip that ended meanwhile cannot hang us. */
		int fd = -1;
		while (fd < 0 && !reap(h, false)) {
			fd = open(gop, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
			if (fd < 0) {
				struct pollfd none = {.fd = -1};
				poll(&none, 0, 5);
			}
		}
		if (fd >= 0) {
			const char *a = go ? "go\n" : "stop\n";
			if (write(fd, a, strlen(a)) < 0) {
				/* pip is gone: its status says what happened */
			}
			close(fd);
		}
		h->answered = true;
	}
	reap(h, true);
	sigaction(SIGPIPE, &old_pipe, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	return exit_code(h->status);
}

void pv_pip_hold_end(struct pv_pip_hold *h)
{
	if (h->pid > 0 && !h->reaped) {
		/* Still running (a failure on our side): interrupt it; pip cleans up
		 * its temporary directories, and a held pip installs nothing. */
		kill(h->pid, SIGINT);
		for (int i = 0; i < 500 && !reap(h, false); i++) {
			struct pollfd none = {.fd = -1};
			poll(&none, 0, 10);
		}
		if (!reap(h, false)) {
			kill(h->pid, SIGKILL);
			reap(h, true);
		}
	}
	if (h->ready_fd >= 0)
		close(h->ready_fd);
	h->ready_fd = -1;
	if (!h->dir[0])
		return;
	static const char *const names[] = {"ready", "go", "report.json", "report.json.tmp", "unheld",
	                                    "py/sitecustomize.py"};
	char p[2200];
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		path_of(h, names[i], p, sizeof p);
		unlink(p);
	}
	/* python may have left a bytecode cache of the hook beside it */
	path_of(h, "py/__pycache__", p, sizeof p);
	DIR *d = opendir(p);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char f[2600];
		if ((size_t)snprintf(f, sizeof f, "%s/%s", p, e->d_name) < sizeof f)
			unlink(f);
	}
	if (d)
		closedir(d);
	rmdir(p);
	path_of(h, "py", p, sizeof p);
	rmdir(p);
	rmdir(h->dir);
	h->dir[0] = 0;
}
