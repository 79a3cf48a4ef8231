/* pip_reqscan.h - package sources hidden in requirements files.
 *
 * pip acts on option lines of a requirements or constraints file as if
 * they were on the command line: `--find-links DIR` makes pip open the
 * archives in DIR (and build an sdist there, running its setup.py) itself,
 * `--index-url URL` / `--extra-index-url URL` / `--no-index` change the
 * indexes. pkgvet-pip takes those options off the command line and gives
 * them to the gate, but cannot take them out of the person's files, so it
 * looks for them first and refuses (nothing is resolved or built). The
 * same reading hands every requirement line to the caller: pip_direct.c
 * finds the local paths and URLs among them. */
#ifndef PV_PIP_REQSCAN_H
#define PV_PIP_REQSCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "pip_args.h"

/* A requirement line of a requirements file: spec as written (the words
 * before the first option, joined by one space), editable for -e, the
 * sha256 a --hash=sha256: option pins (or NULL), where it is. 0, or -1 to
 * stop the scan (the callback says why). */
typedef int (*pv_pip_req_fn)(void *ud, const char *spec, bool editable, const char *sha256,
                             const char *file, unsigned line);

/* Read every requirements and constraints file of a (its -r and -c files,
 * relative to the current directory, and every -r / -c they name, relative
 * to the naming file, as pip reads them): each requirement line goes to
 * on_req, and an option that changes where pip gets packages
 * (-f/--find-links, -i/--index-url, --extra-index-url, --no-index, any
 * abbreviation, --opt=VALUE, -fVALUE) stops the scan. Returns 0 none; 1
 * found, where = "FILE:LINE: --find-links"; -1 cannot tell (a remote or
 * ${VAR} file name pip would fetch or expand, a file that cannot be read,
 * too deep or too many files), where says which; -3 on_req stopped it. A
 * file that does not exist is passed over: pip stops at it itself. */
int pv_pip_reqfiles_scan(const struct pv_pip_args *a, pv_pip_req_fn on_req, void *ud, char *where,
                         size_t wherelen);

#endif
