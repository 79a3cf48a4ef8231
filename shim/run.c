/* run.c - fork, exec, wait. */
#include "run.h"
#include "fsutil.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void pv_argv_add(struct pv_argv *a, const char *s)
{
	if (a->oom)
		return;
	if (a->n + 2 > a->cap) {
		size_t nc = a->cap ? a->cap * 2 : 16;
		char **v = realloc(a->v, nc * sizeof *v);
		if (!v) {
			a->oom = 1;
			return;
		}
		a->v = v;
		a->cap = nc;
	}
	char *c = strdup(s);
	if (!c) {
		a->oom = 1;
		return;
	}
	a->v[a->n++] = c;
	a->v[a->n] = NULL;
}

void pv_argv_free(struct pv_argv *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof *a);
}

int pv_run(char *const argv[], const char *cwd, char *const extra_env[], int flags, char *err,
           size_t errlen)
{
	char **env = pv_env_with((const char *const *)extra_env, NULL);
	if (!env) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	fflush(NULL);
	struct sigaction ign = {.sa_handler = SIG_IGN}, old_int, old_quit;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot start %s: %s", argv[0], strerror(errno));
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		free(env);
		return -1;
	}
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		if ((flags & PV_RUN_STDOUT_TO_STDERR) && dup2(2, 1) < 0)
			_exit(127);
		if (cwd && chdir(cwd) != 0) {
			fprintf(stderr, "pkgvet: cannot enter %s: %s\n", cwd, strerror(errno));
			_exit(127);
		}
		execve(argv[0], argv, env);
		fprintf(stderr, "pkgvet: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	free(env);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
