/* prespawn.h - start the install's pip early, let it go only when decided.
 *
 * pip spends a third of a second importing itself before it reads its
 * requirements file. The pip shim runs two pips (resolve, then install);
 * the install's start-up need not wait for the resolution and the person's
 * decision. So it is started at once with a FIFO as its requirements file:
 * pip opens it and blocks there, having installed nothing, until the
 * vetted pins are written to it. Its output is held back meanwhile (it
 * would interleave with the resolution and the prompt) and flows once it
 * is let go. A refused command cancels it: SIGINT, which pip handles by
 * cleaning up its temporary directories; it never read a requirement. */
#ifndef PV_PRESPAWN_H
#define PV_PRESPAWN_H

#include <stddef.h>

struct pv_prespawn;

/* Create the FIFO `fifo` (0600; it must not exist) and start argv (argv[0]
 * a path) with the environment plus extra_env, stdout and stderr held.
 * NULL with err when it cannot. */
struct pv_prespawn *pv_prespawn_start(char *const argv[], char *const extra_env[], const char *fifo,
                                      char *err, size_t errlen);

/* Write text to its requirements FIFO, release its output, wait for it.
 * Returns its exit status (128+N when killed by signal N), or -1 with err
 * when it ended before reading the FIFO or could not be given it (it is
 * stopped then: nothing was installed). Frees p. */
int pv_prespawn_finish(struct pv_prespawn *p, const char *text, char *err, size_t errlen);

/* Stop it, drop its output, free p. NULL is a no-op. */
void pv_prespawn_cancel(struct pv_prespawn *p);

#endif
