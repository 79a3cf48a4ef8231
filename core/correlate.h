/* correlate.h - package-level attributes that combine findings from
 * different places: exfiltration (a sensitive source and a network sink). */
#ifndef PV_CORRELATE_H
#define PV_CORRELATE_H

#include "finding.h"

/* Adds exfiltration findings to fs. Returns 0 or -1 on allocation failure. */
int pv_correlate(struct pv_findings *fs);

#endif
