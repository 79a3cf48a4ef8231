/* pip_reqscan.h - package sources hidden in requirements files.
 *
 * pip acts on option lines of a requirements or constraints file as if
 * they were on the command line: `--find-links DIR` makes pip open the
 * archives in DIR (and build an sdist there, running its setup.py) itself,
 * `--index-url URL` / `--extra-index-url URL` / `--no-index` change the
 * indexes. pkgvet-pip takes those options off the command line and gives
 * them to the gate, but cannot take them out of the person's files, so it
 * looks for them first and refuses (nothing is resolved or built). */
#ifndef PV_PIP_REQSCAN_H
#define PV_PIP_REQSCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "pip_args.h"

/* Is requirement specifier req (markers after ';' aside) code from outside
 * the indexes: a path, a URL, "name @ URL", an archive file name, ${VAR}?
 * pip would read (and build) it without the gate while resolving. Errs
 * towards true. */
bool pv_pip_req_outside_index(const char *req);

/* Look through every requirements and constraints file of a (its -r and -c
 * files, relative to the current directory, and every -r / -c they name,
 * relative to the naming file, as pip reads them) for an option that
 * changes where pip gets packages: -f/--find-links, -i/--index-url,
 * --extra-index-url, --no-index (any abbreviation, --opt=VALUE, -fVALUE).
 * Returns 0 none; 1 found, where = "FILE:LINE: --find-links"; 2 a
 * requirement from outside the indexes (pv_pip_req_outside_index, or an
 * editable) in a file, where = "FILE:LINE: REQUIREMENT"; -1 cannot
 * tell (a remote or ${VAR} file name pip would fetch or expand, a file
 * that cannot be read, too deep or too many files), where says which. A
 * file that does not exist is passed over: pip stops at it itself. */
int pv_pip_reqfiles_scan(const struct pv_pip_args *a, char *where, size_t wherelen);

#endif
