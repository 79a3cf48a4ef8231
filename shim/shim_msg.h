/* shim_msg.h - what the shims say and read the same way: one-line
 * messages prefixed with the shim's name (escaped: they quote registry and
 * package text), PKGVET_YES, and the command line for the decision log. */
#ifndef PV_SHIM_MSG_H
#define PV_SHIM_MSG_H

#include <stdbool.h>
#include <stddef.h>

/* "PROG: WHAT: WHY" (WHAT may be NULL) on stderr. */
void pv_shim_fail(const char *prog, const char *what, const char *why);

/* A pv_vetting_init warning callback; ud is the program name. */
void pv_shim_warn(const char *line, void *ud);

/* PKGVET_YES=1 / yes / true: accept prompt-level verdicts (policy allow_yes permitting). */
bool pv_shim_env_yes(void);

/* Seconds on the monotonic clock, for --verbose timings. */
double pv_shim_clock(void);

/* "TOOL ARG1 ARG2 ..." (argv[0] replaced by tool) into buf, cut to fit. */
void pv_shim_command_line(char *buf, size_t n, int argc, char **argv, const char *tool);

#endif
