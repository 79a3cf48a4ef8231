/* pip_direct.h - the requirements of a pip command that do not come from
 * an index: local directories, local archives, direct URLs, VCS checkouts.
 *
 * pip's resolver builds such a requirement (runs its setup.py or build
 * backend) to learn its metadata, and it fetches them itself, not through
 * the gate. So the pip shim must find them in the command line and in the
 * requirements files BEFORE pip runs, vet them and decide about them; and a
 * direct URL must reach pip with the digest that was vetted (pip checks a
 * link's #sha256= fragment before it uses the file). This module only reads
 * the command line and, through pip_reqscan.h, the requirements files; it
 * runs nothing. */
#ifndef PV_PIP_DIRECT_H
#define PV_PIP_DIRECT_H

#include "pip_args.h"

#include <stdbool.h>
#include <stddef.h>

#define PV_PIP_DIRECT_MAX 256          /* direct requirements in one command */

enum pv_pip_direct_kind {
	PV_DIRECT_DIR = 1, /* a local directory (a project with setup.py / pyproject.toml) */
	PV_DIRECT_FILE,    /* a local archive (.whl, .tar.gz, .zip, ...) */
	PV_DIRECT_URL,     /* an http(s) URL of an archive */
	PV_DIRECT_VCS,     /* git+..., hg+..., svn+..., bzr+... */
};

struct pv_pip_direct {
	enum pv_pip_direct_kind kind;
	bool editable;       /* given with -e */
	char *where;         /* absolute path (DIR, FILE: the real path), or the URL
	                      * without its #fragment (URL), or the URL as given (VCS) */
	char *sha256;        /* the digest the person pinned (#sha256= / --hash=sha256:),
	                      * lower-case hex, or NULL; for DIR never */
	char *origin;        /* "the command line" or "FILE:LINE" */
	int argv_index;      /* a positional argument of the command line: its index
	                      * (so the shim can pin the digest it vetted), else -1 */
	char *name;          /* "name" of a "name @ URL" requirement, or NULL */
};

/* Every direct requirement of the parsed command (a from argc/argv), in the
 * order pip meets them: positional, -e, then each -r / -c file in turn.
 * Names with specifiers are not direct (the gate sees them). A path that
 * does not exist is left to pip (it fails before building anything).
 * Returns 0 with a malloc'd array in *out (free with pv_pip_direct_free),
 * or -1 with one line in err: a requirements file that cannot be read or
 * is too big or too deep, one that names another index or find-links
 * location (pip would act on it behind the gate), too many direct
 * requirements, out of memory. */
int pv_pip_direct_collect(int argc, char *const argv[], const struct pv_pip_args *a,
                          struct pv_pip_direct **out, size_t *n, char *err, size_t errlen);

void pv_pip_direct_free(struct pv_pip_direct *d, size_t n);

/* Classify one requirement as pip would (exposed for the unit test):
 * 1 direct (d filled, caller frees its strings), 0 not direct (a name),
 * -1 out of memory. Relative paths are taken from the current directory,
 * as pip takes them (also inside requirements files). */
int pv_pip_direct_classify(const char *spec, bool editable, struct pv_pip_direct *d);

#endif
