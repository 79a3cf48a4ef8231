/* prespawn.c - a child started early and held at its requirements FIFO
 * (prespawn.h). */
#include "prespawn.h"
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HELD_MAX ((size_t)64 << 10) /* output held before release; more is dropped */
#define HELD_SEGS 256                /* separate writes held */
#define OPEN_WAIT_MS 600000        /* pip reaching its requirements file (it may be slow) */
#define CANCEL_WAIT_MS 5000        /* after SIGINT, before SIGKILL */

struct pv_prespawn {
	pid_t pid;
	int out_fd, err_fd;   /* read ends of the child's stdout and stderr */
	char fifo[4096];
	pthread_t relay;
	pthread_mutex_t mu;
	/* Held output, in the order it came: segments of held_buf. Fixed-size,
	 * so the relay thread never allocates (the shim forks while it runs:
	 * see gate_http.c's start_threads). */
	char held_buf[HELD_MAX];
	size_t held;
	struct {
		int fd;
		size_t off, len;
	} seg[HELD_SEGS];
	size_t nseg;
	bool released, discard;
	bool reaped;
	int status;
};

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* our own output is gone: nothing to do about it */
		p += w;
		n -= (size_t)w;
	}
}

/* Copy the child's output: held until released, dropped when cancelled. */
static void *relay(void *arg)
{
	struct pv_prespawn *p = arg;
	struct pollfd pf[2] = {{.fd = p->out_fd, .events = POLLIN}, {.fd = p->err_fd, .events = POLLIN}};
	int to[2] = {1, 2};
	int open_fds = 2;
	char buf[16384];
	while (open_fds) {
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t n = read(pf[i].fd, buf, sizeof buf);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				pf[i].fd = -1;
				open_fds--;
				continue;
			}
			pthread_mutex_lock(&p->mu);
			if (p->released && !p->discard) {
				pthread_mutex_unlock(&p->mu);
				write_all(to[i], buf, (size_t)n);
				continue;
			}
			if (!p->discard && p->held + (size_t)n <= HELD_MAX && p->nseg < HELD_SEGS) {
				memcpy(p->held_buf + p->held, buf, (size_t)n);
				p->seg[p->nseg].fd = to[i];
				p->seg[p->nseg].off = p->held;
				p->seg[p->nseg].len = (size_t)n;
				p->nseg++;
				p->held += (size_t)n;
			}
			pthread_mutex_unlock(&p->mu);
		}
	}
	return NULL;
}

/* Let the held output out (in the order it came) and what follows flow. */
static void release(struct pv_prespawn *p)
{
	pthread_mutex_lock(&p->mu);
	for (size_t i = 0; !p->discard && i < p->nseg; i++)
		write_all(p->seg[i].fd, p->held_buf + p->seg[i].off, p->seg[i].len);
	p->nseg = 0;
	p->held = 0;
	p->released = true;
	pthread_mutex_unlock(&p->mu);
}

struct pv_prespawn *pv_prespawn_start(char *const argv[], char *const extra_env[], const char *fifo,
                                      char *err, size_t errlen)
{
	struct pv_prespawn *p = calloc(1, sizeof *p);
	char **env = pv_env_with((const char *const *)extra_env, NULL);
	int out[2] = {-1, -1}, errp[2] = {-1, -1};
	if (!p || !env || strlen(fifo) >= sizeof p->fifo) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	snprintf(p->fifo, sizeof p->fifo, "%s", fifo);
	if (mkfifo(fifo, 0600) != 0) {
		snprintf(err, errlen, "cannot make %s: %s", fifo, strerror(errno));
		p->fifo[0] = 0;
		goto fail;
	}
	if (pipe2(out, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		goto fail;
	}
	if (pthread_mutex_init(&p->mu, NULL) != 0) {
		snprintf(err, errlen, "cannot create a lock");
		goto fail;
	}
	fflush(NULL);
	p->pid = fork();
	if (p->pid < 0) {
		snprintf(err, errlen, "cannot start %s: %s", argv[0], strerror(errno));
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	if (p->pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		if (dup2(out[1], 1) < 0 || dup2(errp[1], 2) < 0)
			_exit(127);
		execve(argv[0], argv, env);
		dprintf(2, "pkgvet: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(out[1]);
	close(errp[1]);
	p->out_fd = out[0];
	p->err_fd = errp[0];
	free(env);
	if (pthread_create(&p->relay, NULL, relay, p) != 0) {
		/* No relay: its output pipes would fill up; stop it. */
		p->discard = true;
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
		close(p->out_fd);
		close(p->err_fd);
		unlink(p->fifo);
		pthread_mutex_destroy(&p->mu);
		free(p);
		snprintf(err, errlen, "cannot start a thread");
		return NULL;
	}
	return p;
fail:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	if (p && p->fifo[0])
		unlink(p->fifo);
	free(env);
	free(p);
	return NULL;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Has the child ended? Reaps it once. */
static bool ended(struct pv_prespawn *p)
{
	if (p->reaped)
		return true;
	int st;
	pid_t r = waitpid(p->pid, &st, WNOHANG);
	if (r == p->pid) {
		p->reaped = true;
		p->status = st;
	}
	return p->reaped;
}

static void finish_free(struct pv_prespawn *p)
{
	pthread_join(p->relay, NULL);
	release(p); /* what is still held goes out (nothing when discarding) */
	close(p->out_fd);
	close(p->err_fd);
	unlink(p->fifo);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

static int exit_code(int st)
{
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

int pv_prespawn_finish(struct pv_prespawn *p, const char *text, char *err, size_t errlen)
{
	/* pip opens the FIFO for reading when it gets to its requirements;
	 * a non-blocking open for writing fails (ENXIO) until then. */
	int fd = -1;
	for (long waited = 0; fd < 0; waited += 2) {
		fd = open(p->fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0)
			break;
		if (errno != ENXIO && errno != EINTR) {
			snprintf(err, errlen, "cannot open %s: %s", p->fifo, strerror(errno));
			pv_prespawn_cancel(p);
			return -1;
		}
		if (ended(p)) {
			snprintf(err, errlen, "pip ended (status %d) before it read its requirements",
			         exit_code(p->status));
			release(p); /* its own message says why */
			finish_free(p);
			return -1;
		}
		if (waited >= OPEN_WAIT_MS) {
			snprintf(err, errlen, "pip did not read its requirements within %d s", OPEN_WAIT_MS / 1000);
			pv_prespawn_cancel(p);
			return -1;
		}
		sleep_ms(2);
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	release(p);
	struct sigaction ign = {.sa_handler = SIG_IGN}, old_pipe, old_int, old_quit;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old_pipe);
	write_all(fd, text, strlen(text));
	close(fd);
	sigaction(SIGPIPE, &old_pipe, NULL);
	/* As pv_run: the terminal's Ctrl-C reaches pip too, and pip decides. */
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	if (!p->reaped) {
		int st = 0;
		while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR)
			;
		p->reaped = true;
		p->status = st;
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	int rc = exit_code(p->status);
	finish_free(p);
	return rc;
}

void pv_prespawn_cancel(struct pv_prespawn *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->discard = true;
	pthread_mutex_unlock(&p->mu);
	if (!ended(p)) {
		kill(p->pid, SIGINT); /* pip cleans up its temporary directories */
		for (long waited = 0; !ended(p) && waited < CANCEL_WAIT_MS; waited += 5)
			sleep_ms(5);
		if (!ended(p)) {
			kill(p->pid, SIGKILL);
			int st;
			while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR)
				;
			p->reaped = true;
		}
	}
	finish_free(p);
}
