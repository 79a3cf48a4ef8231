/* run.h - run the real package manager as a child, its output going to the
 * person's terminal, and wait for it. */
#ifndef PV_RUN_H
#define PV_RUN_H

#include <stddef.h>

/* Run argv[0] (a path) with argv in cwd (NULL: the current directory), the
 * environment plus extra_env ("K=V", NULL-terminated, may be NULL).
 * Returns the child's exit status (128+N when killed by signal N), or -1
 * with err when it could not be started. SIGINT and SIGQUIT are ignored
 * here while the child runs: the terminal sends them to the child too, and
 * it decides (as a shell does). */
#define PV_RUN_STDOUT_TO_STDERR 1 /* the child's stdout goes to our stderr (npx: our
                                     stdout belongs to the command it runs) */
int pv_run(char *const argv[], const char *cwd, char *const extra_env[], int flags, char *err,
           size_t errlen);

/* A growable NULL-terminated argv of copies. */
struct pv_argv {
	char **v;
	size_t n, cap;
	int oom;
};
void pv_argv_add(struct pv_argv *a, const char *s);
void pv_argv_free(struct pv_argv *a);

#endif
