/* package.c - vet one local package: read → manifest → analyse files in
 * parallel → typosquat → correlate. */
#include "package.h"
#include "analyze.h"
#include "cache.h"
#include "correlate.h"
#include "digest.h"
#include "isolate.h"
#include "manifest.h"
#include "typosquat.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PV_THREADS_MAX 16
/* A tree-sitter tree costs about 24 bytes of memory per byte of source
 * (typescript.js: 9 MB of code, 218 MB of tree). Files are parsed in
 * parallel only while the estimated total stays under this budget, so two
 * 9 MB bundles are never parsed at once; a file over it runs alone. */
#define PV_PARSE_COST_PER_BYTE 24u
#define PV_PARSE_COST_PER_BYTE_PY 80u /* Python trees are about 3x heavier */
#define PV_PARSE_BUDGET (96ull << 20)

void pv_audit_opts_default(struct pv_audit_opts *o)
{
	memset(o, 0, sizeof *o);
	pv_limits_default(&o->limits);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	o->threads = n < 1 ? 1 : n > PV_THREADS_MAX ? PV_THREADS_MAX : (unsigned)n;
}

struct work {
	const struct pv_tree *tree;
	const struct pv_manifest *man;
	struct pv_findings *per_entry; /* one list per tree entry, merged in order */
	atomic_size_t next;
	atomic_size_t analysed;
	atomic_int failed;
	pthread_mutex_t mu;        /* guards inflight */
	pthread_cond_t cv;
	uint64_t inflight;         /* estimated parse memory in use */
};

static uint64_t parse_cost(const struct work *w, size_t i)
{
	const struct pv_manifest *m = w->man;
	if (m->is_code_js[i])
		return (uint64_t)w->tree->v[i].len * PV_PARSE_COST_PER_BYTE;
	if (m->is_code_py[i])
		return (uint64_t)w->tree->v[i].len * PV_PARSE_COST_PER_BYTE_PY;
	return 0;
}

/* Wait until the parse of a file of this cost fits the memory budget. */
static void budget_take(struct work *w, uint64_t cost)
{
	if (!cost)
		return;
	pthread_mutex_lock(&w->mu);
	while (w->inflight > 0 && w->inflight + cost > PV_PARSE_BUDGET)
		pthread_cond_wait(&w->cv, &w->mu);
	w->inflight += cost;
	pthread_mutex_unlock(&w->mu);
}

static void budget_give(struct work *w, uint64_t cost)
{
	if (!cost)
		return;
	pthread_mutex_lock(&w->mu);
	w->inflight -= cost;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void analyse_entry(struct work *w, size_t i)
{
	const struct pv_entry *e = &w->tree->v[i];
	const struct pv_manifest *m = w->man;
	struct pv_source src = {e->path, e->data, e->len, m->install_time[i]};
	struct pv_findings *out = &w->per_entry[i];
	int rc = 0;
	if (m->is_code_js[i]) {
		rc = pv_analyze_js(&src, out);
		atomic_fetch_add(&w->analysed, 1);
	} else if (m->is_code_py[i]) {
		rc = pv_analyze_py(&src, out);
		atomic_fetch_add(&w->analysed, 1);
	} else {
		if (m->is_shell[i] && m->install_time[i]) {
			pv_scan_shell(&src, 0, 0, e->data, e->len, out);
			atomic_fetch_add(&w->analysed, 1);
		}
		pv_scan_binary(&src, out);
	}
	if (rc < 0 || out->oom)
		atomic_store(&w->failed, 1);
}

static void *worker(void *arg)
{
	struct work *w = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&w->next, 1);
		if (i >= w->tree->n)
			break;
		uint64_t cost = parse_cost(w, i);
		budget_take(w, cost);
		analyse_entry(w, i);
		budget_give(w, cost);
	}
	return NULL;
}

static int analyse_tree(const struct pv_tree *tree, const struct pv_manifest *man,
                        unsigned threads, struct pv_findings *out, size_t *analysed)
{
	struct work w = {.tree = tree, .man = man, .mu = PTHREAD_MUTEX_INITIALIZER,
	                 .cv = PTHREAD_COND_INITIALIZER};
	atomic_init(&w.next, 0);
	atomic_init(&w.analysed, 0);
	atomic_init(&w.failed, 0);
	w.per_entry = calloc(tree->n ? tree->n : 1, sizeof *w.per_entry);
	if (!w.per_entry)
		return -1;
	if (threads > PV_THREADS_MAX)
		threads = PV_THREADS_MAX;
	if (threads > tree->n)
		threads = tree->n ? (unsigned)tree->n : 1;
	pthread_t tid[PV_THREADS_MAX];
	unsigned started = 0;
	for (unsigned t = 1; t < threads; t++) {
		if (pthread_create(&tid[started], NULL, worker, &w) != 0)
			break; /* fewer threads is fine: this one works too */
		started++;
	}
	worker(&w);
	for (unsigned t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	int rc = atomic_load(&w.failed) ? -1 : 0;
	for (size_t i = 0; i < tree->n; i++)
		if (pv_findings_merge(out, &w.per_entry[i]) < 0)
			rc = -1;
	free(w.per_entry);
	*analysed = atomic_load(&w.analysed);
	return rc;
}

/* Inline code from lifecycle command lines, reported at the script's line. */
static int analyse_inline(const struct pv_manifest *m, struct pv_findings *out)
{
	for (size_t i = 0; i < m->n_inl; i++) {
		const struct pv_inline *x = &m->inl[i];
		struct pv_findings tmp = {0};
		struct pv_source src = {m->manifest_path, x->code, x->len, true};
		int rc = x->js ? pv_analyze_js(&src, &tmp) : pv_analyze_py(&src, &tmp);
		for (size_t k = 0; k < tmp.n; k++)
			tmp.v[k].line = x->line;
		if (pv_findings_merge(out, &tmp) < 0 || rc < 0)
			return -1;
	}
	return 0;
}

struct code_job {
	const struct pv_tree *tree;
	const struct pv_manifest *man;
	unsigned threads;
};

/* Runs in the isolated child: every analyser over every file. */
static int analyse_code(void *arg, struct pv_findings *out, size_t *analysed)
{
	struct code_job *j = arg;
	if (analyse_tree(j->tree, j->man, j->threads, out, analysed) < 0)
		return -1;
	return analyse_inline(j->man, out);
}

static int check_typosquat(struct pv_package *pkg, const struct pv_audit_opts *o)
{
	const char *list = NULL;
	size_t len = 0;
	if (!pkg->name || !pkg->ecosystem)
		return 0;
	if (strcmp(pkg->ecosystem, "npm") == 0)
		list = o->top_npm, len = o->top_npm_len;
	else
		list = o->top_pypi, len = o->top_pypi_len;
	if (!list)
		return 0;
	char target[256];
	int r = pv_typosquat(pkg->ecosystem, pkg->name, list, len, target, sizeof target);
	if (r < 0)
		return -1;
	if (r == 0)
		return 0;
	char detail[600];
	snprintf(detail, sizeof detail, "name \"%.200s\" imitates the popular package \"%.200s\"",
	         pkg->name, target);
	return pv_findings_add(&pkg->findings, "typosquat", NULL, 0, NULL, 0, detail, false);
}

static int set_error(struct pv_package *pkg, enum pv_pkg_status st, const char *msg)
{
	pkg->status = st;
	free(pkg->error);
	pkg->error = strdup(msg);
	return pkg->error ? 0 : -1;
}

/* Everything after the artifact was read into tree (rs says how): manifest,
 * isolated analysis, typosquat, correlation, cache. Frees tree. */
static int audit_tree(struct pv_package *pkg, struct pv_tree *tree, enum pv_read_status rs,
                      const struct pv_audit_opts *o)
{
	char err[512] = "";
	pkg->format = strdup(tree->format);
	pkg->bytes = tree->total;
	pkg->files = tree->n;

	struct pv_manifest man;
	int rc = 0;
	if (pv_manifest_read(tree, &man, &pkg->findings, err, sizeof err) < 0) {
		/* A hostile archive that was cut short is judged on its findings. */
		if (rs != PV_READ_HOSTILE)
			rc = set_error(pkg, PV_PKG_ERROR, err);
		pv_manifest_free(&man);
		pv_tree_free(tree);
		return rc;
	}
	pkg->ecosystem = strdup(man.ecosystem);
	pkg->name = man.name ? strdup(man.name) : NULL;
	pkg->version = man.version ? strdup(man.version) : NULL;

	struct code_job job = {tree, &man, o->threads ? o->threads : 1};
	char msg[256] = "";
	switch (pv_isolated(analyse_code, &job, &pkg->findings, &pkg->analysed, msg, sizeof msg)) {
	case PV_ISOLATE_OK:
		break;
	case PV_ISOLATE_FAILED:
		rc = -1;
		break;
	case PV_ISOLATE_CRASHED:
	case PV_ISOLATE_SYSERR:
		rc = set_error(pkg, PV_PKG_ERROR, msg);
		pv_manifest_free(&man);
		pv_tree_free(tree);
		return rc;
	}
	if (rc == 0 && (check_typosquat(pkg, o) < 0 || pv_correlate(&pkg->findings) < 0))
		rc = -1;
	if (pkg->findings.oom)
		rc = -1;
	/* A cache that cannot store is no reason to fail the audit. */
	if (rc == 0 && o->cache && pkg->digest[0])
		(void)pv_cache_put_package(o->cache, pv_analyser_id, pkg);
	pv_manifest_free(&man);
	pv_tree_free(tree);
	return rc;
}

/* The same artifact analysed by the same analysers: reuse the findings
 * without even unpacking it. True when pkg was filled from the cache. */
static bool from_cache(struct pv_package *pkg, const struct pv_audit_opts *o)
{
	if (!o->cache || !pkg->digest[0])
		return false;
	char digest[sizeof pkg->digest];
	memcpy(digest, pkg->digest, sizeof digest);
	if (pv_cache_get_package(o->cache, digest, pv_analyser_id, pkg) != PV_CACHE_OK)
		return false;
	pkg->cached = true;
	return true;
}

int pv_package_audit_path(struct pv_package *pkg, const char *path, const struct pv_audit_opts *o)
{
	memset(pkg, 0, sizeof *pkg);
	pkg->input = strdup(path);
	if (!pkg->input)
		return -1;
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    pv_sha256_file(path, pkg->digest, sizeof pkg->digest) < 0)
		pkg->digest[0] = 0;
	if (from_cache(pkg, o))
		return 0;
	struct pv_tree tree = {0};
	char err[512] = "";
	enum pv_read_status rs = pv_tree_read(path, &o->limits, &tree, &pkg->findings, err, sizeof err);
	if (rs == PV_READ_NOENT || rs == PV_READ_ERROR) {
		pv_tree_free(&tree);
		return set_error(pkg, rs == PV_READ_NOENT ? PV_PKG_NOENT : PV_PKG_ERROR, err);
	}
	return audit_tree(pkg, &tree, rs, o);
}

int pv_package_audit_mem(struct pv_package *pkg, const char *input_label, const void *data,
                         size_t len, const struct pv_audit_opts *o)
{
	memset(pkg, 0, sizeof *pkg);
	pkg->input = strdup(input_label);
	if (!pkg->input)
		return -1;
	char hex[65];
	if (pv_sha256_hex(data, len, hex, sizeof hex) == 0)
		snprintf(pkg->digest, sizeof pkg->digest, "sha256:%s", hex);
	if (from_cache(pkg, o))
		return 0;
	struct pv_tree tree = {0};
	char err[512] = "";
	enum pv_read_status rs = pv_tree_read_mem(data, len, input_label, &o->limits, &tree,
	                                          &pkg->findings, err, sizeof err);
	if (rs == PV_READ_NOENT || rs == PV_READ_ERROR) {
		pv_tree_free(&tree);
		return set_error(pkg, PV_PKG_ERROR, err);
	}
	return audit_tree(pkg, &tree, rs, o);
}

static int set_field(char **dst, const char *s)
{
	char *c = strdup(s);
	if (!c)
		return -1;
	free(*dst);
	*dst = c;
	return 0;
}

int pv_package_set_identity(struct pv_package *pkg, const char *ecosystem, const char *name,
                            const char *version, const struct pv_audit_opts *o)
{
	if (set_field(&pkg->ecosystem, ecosystem) < 0 || set_field(&pkg->name, name) < 0 ||
	    set_field(&pkg->version, version) < 0)
		return -1;
	pv_findings_remove(&pkg->findings, "typosquat");
	return check_typosquat(pkg, o);
}

int pv_package_add_unknown(struct pv_package *pkg, const char *note)
{
	char *c = strdup(note);
	char **v = c ? realloc(pkg->unknowns, (pkg->nunknowns + 1) * sizeof *v) : NULL;
	if (!v) {
		free(c);
		return -1;
	}
	v[pkg->nunknowns++] = c;
	pkg->unknowns = v;
	return 0;
}

int pv_package_fail(struct pv_package *pkg, const char *msg)
{
	size_t n = pkg->input ? strlen(pkg->input) : 0;
	if (msg && n && strncmp(msg, pkg->input, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
		msg += n + 2;
	return set_error(pkg, PV_PKG_ERROR, msg && *msg ? msg : "could not be vetted");
}

int pv_package_digest_mismatch(struct pv_package *pkg, const char *ecosystem, const char *name,
                               const char *version, const char *detail)
{
	pkg->status = PV_PKG_OK;
	free(pkg->error);
	pkg->error = NULL;
	free(pkg->ecosystem);
	free(pkg->name);
	free(pkg->version);
	pkg->ecosystem = strdup(ecosystem);
	pkg->name = name ? strdup(name) : NULL;
	pkg->version = version ? strdup(version) : NULL;
	if (!pkg->ecosystem || (name && !pkg->name) || (version && !pkg->version))
		return -1;
	return pv_findings_add(&pkg->findings, "digest-mismatch", NULL, 0, NULL, 0, detail, false);
}

unsigned pv_package_perms(const struct pv_package *pkg)
{
	unsigned bits = 0;
	for (size_t i = 0; i < pkg->findings.n; i++) {
		int p = pv_perm_of_attr(pkg->findings.v[i].attr);
		if (p >= 0)
			bits |= 1u << p;
	}
	return bits;
}

void pv_package_free(struct pv_package *pkg)
{
	free(pkg->input);
	free(pkg->ecosystem);
	free(pkg->name);
	free(pkg->version);
	free(pkg->format);
	free(pkg->error);
	for (size_t i = 0; i < pkg->nunknowns; i++)
		free(pkg->unknowns[i]);
	free(pkg->unknowns);
	pv_findings_free(&pkg->findings);
	memset(pkg, 0, sizeof *pkg);
}
