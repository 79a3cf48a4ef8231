/* npm_vet.c - the install set through the core engine, in parallel. */
#include "npm_vet.h"
#include "lockfile.h"
#include "remote_lockfile.h"
#include "workpool.h"

#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define BAR_WIDTH 20

struct vet_jobs {
	const struct pv_npm_change *ch;
	size_t n;
	const struct pv_remote_npm_opts *o;
	const char *label;
	struct pv_vetted *out;
	int *rc;
	FILE *progress;
	pthread_mutex_t mu;
	size_t done;
};

static void draw(FILE *f, size_t done, size_t total)
{
	size_t fill = total ? done * BAR_WIDTH / total : BAR_WIDTH;
	fprintf(f, "\rvetting %zu package%s \xe2\x96\x95", total, total == 1 ? "" : "s");
	for (size_t i = 0; i < BAR_WIDTH; i++)
		fputs(i < fill ? "\xe2\x96\x88" : " ", f);
	fprintf(f, "\xe2\x96\x8f %zu/%zu", done, total);
	if (done == total)
		fputs("\r\033[K", f); /* the summary that follows replaces the bar */
	fflush(f);
}

static void vet_one(size_t i, void *ud)
{
	struct vet_jobs *j = ud;
	const struct pv_npm_change *c = &j->ch[i];
	struct pv_lock_entry e = {
		.name = c->name, .version = c->version, .resolved = c->resolved,
		.integrity = c->integrity, .path = c->path, .source = c->source,
		.dev = c->dev, .optional = c->optional,
	};
	j->rc[i] = pv_audit_npm_lock_entry(&j->out[i].pkg, j->label, &e, j->o);
	if (c->old_version && !(j->out[i].old_version = strdup(c->old_version)))
		j->rc[i] = -1;
	/* The version it replaces: its permissions (from the cache, or vetted
	 * now) are what the prompt compares with. */
	if (c->old_version && c->name && c->source == PV_LOCK_REGISTRY && j->rc[i] == 0) {
		char spec[600];
		snprintf(spec, sizeof spec, "npm:%.250s@%.250s", c->name, c->old_version);
		struct pv_package old;
		if (pv_audit_npm_spec(&old, spec, j->o) == 0 && old.status == PV_PKG_OK) {
			j->out[i].old_perms = pv_package_perms(&old);
			j->out[i].have_old_perms = true;
		}
		pv_package_free(&old);
	}
	if (j->progress) {
		pthread_mutex_lock(&j->mu);
		draw(j->progress, ++j->done, j->n);
		pthread_mutex_unlock(&j->mu);
	}
}

struct pv_vetted *pv_npm_vet_changes(const struct pv_npm_change *ch, size_t n,
                                     const struct pv_remote_npm_opts *o, const char *label,
                                     FILE *progress)
{
	struct vet_jobs j = {.ch = ch, .n = n, .o = o, .label = label, .progress = progress};
	j.out = calloc(n ? n : 1, sizeof *j.out);
	j.rc = calloc(n ? n : 1, sizeof *j.rc);
	if (!j.out || !j.rc || pthread_mutex_init(&j.mu, NULL) != 0) {
		free(j.out);
		free(j.rc);
		return NULL;
	}
	if (progress && n)
		draw(progress, 0, n);
	pv_parallel_for(n, pv_fetch_workers(), vet_one, &j);
	pthread_mutex_destroy(&j.mu);
	bool oom = false;
	for (size_t i = 0; i < n; i++)
		if (j.rc[i] < 0)
			oom = true;
	free(j.rc);
	if (oom) {
		pv_vetted_free(j.out, n);
		return NULL;
	}
	return j.out;
}
