/* isolate.h - run code analysis in a disposable child process.
 *
 * The parsers read hostile input, and a parser bug must not take pkgvet
 * down with it (Debian's tree-sitter 0.20.7 aborts on some inputs with
 * very many syntax errors). The child does the analysis and sends its
 * findings back through a pipe; if it dies, the package is reported as
 * not vetted instead of pkgvet crashing. */
#ifndef PV_ISOLATE_H
#define PV_ISOLATE_H

#include <stddef.h>
#include "finding.h"

typedef int (*pv_isolated_fn)(void *arg, struct pv_findings *out, size_t *counter);

enum pv_isolate_status {
	PV_ISOLATE_OK = 0,
	PV_ISOLATE_FAILED,   /* fn returned an error (out of memory) */
	PV_ISOLATE_CRASHED,  /* the child died: msg says how */
	PV_ISOLATE_SYSERR    /* fork/pipe failed: msg says why */
};

/* Run fn in a child; append what it found to out and set *counter. */
enum pv_isolate_status pv_isolated(pv_isolated_fn fn, void *arg, struct pv_findings *out,
                                   size_t *counter, char *msg, size_t msglen);

#endif
