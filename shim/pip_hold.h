/* pip_hold.h - one pip run that resolves, waits for pkgvet, then installs.
 *
 * The two-pip route (a --dry-run resolution, then an install of the pins)
 * makes pip resolve twice. Instead, pip install runs once, through the
 * gate, with pkgvet's own sitecustomize (shim/pip_hold.py) on its
 * PYTHONPATH: after resolving, with every file downloaded through the gate,
 * pip writes its report and waits for pkgvet's answer before it installs or
 * uninstalls anything. A pip the hook cannot hold exits before installing
 * anything, and says so (unheld): the caller then takes the two-pip route. */
#ifndef PV_PIP_HOLD_H
#define PV_PIP_HOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct pv_pip_hold {
	pid_t pid;
	char dir[2048];     /* private: py/sitecustomize.py, ready, go, report.json */
	int ready_fd;
	bool reaped, answered;
	int status;         /* wait status, once reaped */
};

/* Write the hook and its FIFOs under dir (which must exist, private) and
 * start argv (argv[0] a path) with the environment plus extra_env plus the
 * hook's variables. 0, or -1 with err. */
int pv_pip_hold_start(struct pv_pip_hold *h, char *const argv[], char *const extra_env[], const char *dir,
                      char *err, size_t errlen);

/* Wait until pip is held, its report at DIR/report.json (1), or has ended
 * (0: *exit_status is its exit status, *unheld true when the hook could
 * not hold it and it installed nothing). -1 with err. */
int pv_pip_hold_wait(struct pv_pip_hold *h, int *exit_status, bool *unheld, char *err, size_t errlen);

/* Answer a held pip: go (it installs; returns its exit status when it
 * ends) or not (it stops, nothing installed; returns its status). */
int pv_pip_hold_answer(struct pv_pip_hold *h, bool go);

/* Whatever state it is in: a held pip is told to stop, a running one is
 * interrupted; waits for it, removes the files. Safe to call twice. */
void pv_pip_hold_end(struct pv_pip_hold *h);

#endif
