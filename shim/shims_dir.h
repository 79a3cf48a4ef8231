/* shims_dir.h - where this pkgvet's shims directory (npm, npx, pip, pip3
 * links to pkgvet-npm / pkgvet-pip) is: `pkgvet init` puts it on PATH and
 * `pkgvet doctor` checks it, so both must agree on one rule. */
#ifndef PV_SHIMS_DIR_H
#define PV_SHIMS_DIR_H

#include <stddef.h>

/* The shims directory: $PKGVET_SHIMS_DIR when set and non-empty; else
 * <dir of this program's real file>/../lib/pkgvet/shims when that is a
 * directory (an install: bin/pkgvet beside lib/pkgvet/shims; "lib" is the
 * install's libdir, e.g. lib64); else
 * <dir of this program's real file>/shims (the build tree). The path is
 * written to out whether or not it exists. Returns 0, or -1 when this
 * program's path cannot be read or the result does not fit in n. */
int pv_shims_dir(char *out, size_t n);

#endif
