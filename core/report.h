/* report.h - report writers: text for people, JSON (schema
 * "pkgvet.audit/1", documented in docs/json.md) for programs. They write
 * to a FILE* they are given and escape every string from a package. */
#ifndef PV_REPORT_H
#define PV_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "package.h"

struct pv_summary {
	size_t packages;
	size_t by_action[4];  /* indexed by enum pv_action */
	size_t errors;        /* could not be vetted */
	int verdict;          /* strongest action over vetted packages, -1 when none */
	int exit_status;
};

void pv_summary_of(const struct pv_package *pkgs, size_t n, struct pv_summary *s);

struct pv_text_opts {
	bool color;     /* ANSI colours (the caller decides: TTY and no NO_COLOR) */
	bool verbose;   /* every finding, including allow-level ones */
};

void pv_report_text_package(FILE *f, const struct pv_package *pkg, const struct pv_text_opts *o);
void pv_report_text_summary(FILE *f, const struct pv_summary *s, const struct pv_text_opts *o);
/* Returns 0, or -1 when the document could not be built (out of memory). */
int pv_report_json(FILE *f, const struct pv_package *pkgs, size_t n, const struct pv_summary *s,
                   const char *version);

#endif
