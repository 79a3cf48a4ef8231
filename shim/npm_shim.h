/* npm_shim.h - the npm shim's work for a command that fetches packages:
 * resolve, vet, decide, hand off. */
#ifndef PV_NPM_SHIM_H
#define PV_NPM_SHIM_H

#include <stdbool.h>

/* argv as npm would get it (argv[0] is the program name; npx true when it
 * stands in for npx). Returns the exit status (design.md §7; the real
 * npm's when it ran). Commands that install nothing are exec'ed. */
int pv_npm_shim_main(int argc, char **argv, bool npx);

#endif
