/* bgqueue.h - jobs run in the background while the caller goes on.
 *
 * The pip shim's gate hands pip a wheel before it is vetted (reading a
 * wheel's metadata runs nothing) and vets it meanwhile, so vetting overlaps
 * pip's resolution instead of adding to it; before anything is decided the
 * shim waits for the queue to empty. pv_parallel_for (workpool.h) is for a
 * batch known up front; this is for jobs that arrive one by one. */
#ifndef PV_BGQUEUE_H
#define PV_BGQUEUE_H

#include <stddef.h>

struct pv_bgq;
typedef void (*pv_bgq_fn)(void *job);

/* Start `workers` threads (1..32). NULL when memory or threads run out:
 * the caller then runs its jobs itself. */
struct pv_bgq *pv_bgq_start(unsigned workers);

/* Queue fn(job). 0, or -1 (ENOMEM, or the queue is stopping): the job was
 * not queued and is still the caller's. */
int pv_bgq_push(struct pv_bgq *q, pv_bgq_fn fn, void *job);

/* Wait until every queued job has finished. */
void pv_bgq_drain(struct pv_bgq *q);

/* Drain, stop the threads, free. NULL is a no-op. */
void pv_bgq_stop(struct pv_bgq *q);

#endif
