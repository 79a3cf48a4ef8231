/* npm_vet.h - vet the install set of an npm command: every added or
 * changed package, several at a time, with a progress line on a terminal. */
#ifndef PV_NPM_VET_H
#define PV_NPM_VET_H

#include <stdio.h>

#include "decide.h"
#include "npm_resolve.h"
#include "remote_npm.h"

/* One pv_vetted per change, in order (pkg filled, old_version copied; the
 * decision fields are pv_decide's). label names where the tree came from
 * in inputs of non-registry entries ("package-lock.json"). progress: a
 * terminal to draw "vetting N packages ▕███▏ k/N" on, or NULL. NULL on
 * allocation failure. */
struct pv_vetted *pv_npm_vet_changes(const struct pv_npm_change *ch, size_t n,
                                     const struct pv_remote_npm_opts *o, const char *label,
                                     FILE *progress);

#endif
