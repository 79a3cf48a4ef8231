/* workpool.h - run independent jobs on a few threads.
 *
 * Vetting many packages is mostly waiting on the network: fetching them one
 * after another would make an audit of a 70-package lockfile take as long as
 * 70 round trips. pv_parallel_for hands out job indexes to a small pool of
 * threads; every job runs exactly once, in no particular order. */
#ifndef PV_WORKPOOL_H
#define PV_WORKPOOL_H

#include <stddef.h>

#define PV_WORKPOOL_MAX 32        /* threads at most, whatever the caller asks */
#define PV_FETCH_WORKERS_DEFAULT 8 /* packages vetted at once (PKGVET_FETCH_JOBS) */

typedef void (*pv_job_fn)(size_t i, void *ud);

/* Run fn(i, ud) for every i in [0, n) on up to `workers` threads (the
 * calling thread is one of them). When threads cannot be started, the
 * remaining jobs run on the calling thread: jobs never go missing. */
void pv_parallel_for(size_t n, unsigned workers, pv_job_fn fn, void *ud);

/* The number of packages to vet at once: $PKGVET_FETCH_JOBS (1..32) when
 * set and valid, else PV_FETCH_WORKERS_DEFAULT; always 1 in the sanitized
 * build (see workpool.c). */
unsigned pv_fetch_workers(void);

#endif
