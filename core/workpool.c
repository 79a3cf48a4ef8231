/* workpool.c - a tiny fork-join pool: threads take the next job index from
 * a shared counter until none are left. */
#include "workpool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct pool {
	atomic_size_t next;
	size_t n;
	pv_job_fn fn;
	void *ud;
};

static void *worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&p->next, 1);
		if (i >= p->n)
			break;
		p->fn(i, p->ud);
	}
	return NULL;
}

void pv_parallel_for(size_t n, unsigned workers, pv_job_fn fn, void *ud)
{
	struct pool p = {.n = n, .fn = fn, .ud = ud};
	atomic_init(&p.next, 0);
	if (workers > PV_WORKPOOL_MAX)
		workers = PV_WORKPOOL_MAX;
	if (workers > n)
		workers = (unsigned)n;
	pthread_t tid[PV_WORKPOOL_MAX];
	unsigned started = 0;
	/* The calling thread works too, so one fewer thread is started. */
	for (unsigned k = 1; k < workers; k++) {
		if (pthread_create(&tid[started], NULL, worker, &p) != 0)
			break;
		started++;
	}
	worker(&p);
	for (unsigned k = 0; k < started; k++)
		pthread_join(tid[k], NULL);
}

unsigned pv_fetch_workers(void)
{
#ifdef PKGVET_SANITIZED
	/* The analysis child is forked from the vetting thread; under ASan a
	 * fork while another thread is inside ASan's allocator deadlocks the
	 * child (glibc's malloc resets its locks in the child; ASan's does
	 * not). One package at a time there. */
	return 1;
#endif
	const char *s = getenv("PKGVET_FETCH_JOBS");
	if (s && *s) {
		char *end;
		unsigned long v = strtoul(s, &end, 10);
		if (!*end && v >= 1 && v <= PV_WORKPOOL_MAX)
			return (unsigned)v;
	}
	return PV_FETCH_WORKERS_DEFAULT;
}
