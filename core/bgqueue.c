/* bgqueue.c - a FIFO of jobs and a few threads that run them. */
#include "bgqueue.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#define BGQ_MAX_WORKERS 32

struct job {
	struct job *next;
	pv_bgq_fn fn;
	void *arg;
};

struct pv_bgq {
	pthread_mutex_t mu;
	pthread_cond_t work;   /* a job was queued, or stopping */
	pthread_cond_t idle;   /* a job finished */
	struct job *head, *tail;
	size_t running;
	bool stopping;
	pthread_t tid[BGQ_MAX_WORKERS];
	unsigned nthreads;
};

static void *worker(void *arg)
{
	struct pv_bgq *q = arg;
	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (!q->head && !q->stopping)
			pthread_cond_wait(&q->work, &q->mu);
		if (!q->head)
			break; /* stopping, nothing left */
		struct job *j = q->head;
		q->head = j->next;
		if (!q->head)
			q->tail = NULL;
		q->running++;
		pthread_mutex_unlock(&q->mu);
		j->fn(j->arg);
		free(j);
		pthread_mutex_lock(&q->mu);
		q->running--;
		pthread_cond_broadcast(&q->idle);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

struct pv_bgq *pv_bgq_start(unsigned workers)
{
	if (workers < 1)
		workers = 1;
	if (workers > BGQ_MAX_WORKERS)
		workers = BGQ_MAX_WORKERS;
	struct pv_bgq *q = calloc(1, sizeof *q);
	if (!q)
		return NULL;
	if (pthread_mutex_init(&q->mu, NULL) != 0) {
		free(q);
		return NULL;
	}
	if (pthread_cond_init(&q->work, NULL) != 0) {
		pthread_mutex_destroy(&q->mu);
		free(q);
		return NULL;
	}
	if (pthread_cond_init(&q->idle, NULL) != 0) {
		pthread_cond_destroy(&q->work);
		pthread_mutex_destroy(&q->mu);
		free(q);
		return NULL;
	}
	for (unsigned i = 0; i < workers; i++) {
		if (pthread_create(&q->tid[q->nthreads], NULL, worker, q) != 0)
			break;
		q->nthreads++;
	}
	if (!q->nthreads) {
		pv_bgq_stop(q);
		return NULL;
	}
	return q;
}

int pv_bgq_push(struct pv_bgq *q, pv_bgq_fn fn, void *arg)
{
	struct job *j = malloc(sizeof *j);
	if (!j)
		return -1;
	*j = (struct job){.fn = fn, .arg = arg};
	pthread_mutex_lock(&q->mu);
	if (q->stopping) {
		pthread_mutex_unlock(&q->mu);
		free(j);
		return -1;
	}
	if (q->tail)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
	pthread_cond_signal(&q->work);
	pthread_mutex_unlock(&q->mu);
	return 0;
}

void pv_bgq_drain(struct pv_bgq *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->mu);
	while (q->head || q->running)
		pthread_cond_wait(&q->idle, &q->mu);
	pthread_mutex_unlock(&q->mu);
}

void pv_bgq_stop(struct pv_bgq *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->mu);
	q->stopping = true; /* queued jobs still run: workers leave when the queue is empty */
	pthread_cond_broadcast(&q->work);
	pthread_mutex_unlock(&q->mu);
	for (unsigned i = 0; i < q->nthreads; i++)
		pthread_join(q->tid[i], NULL);
	pthread_cond_destroy(&q->idle);
	pthread_cond_destroy(&q->work);
	pthread_mutex_destroy(&q->mu);
	free(q);
}
