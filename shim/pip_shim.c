/* pip_shim.c - `pkgvet pip ...`, the vetting half of the pip shim; the
 * pkgvet-pip front door (main_pip.c) hands over to it for install,
 * download and wheel.
 *
 * No package code may run before it is vetted, and pip's resolver builds
 * source distributions (running their setup.py) to learn their
 * dependencies. So pip resolves through the gate (gate.h): a loopback
 * index in this process that hands pip an artifact only after it was
 * vetted. A wheel that needs the person's decision is served (downloading
 * runs nothing) and asked about after resolution, with the rest; an sdist
 * that needs it is asked about before pip gets it, because pip is about to
 * build it. Then pip installs exactly the vetted set from a generated
 * requirements file pinning every file's sha256, through the gate in
 * vetted-only mode. */
#include "decide.h"
#include "shim_msg.h"
#include "digest.h"
#include "escape.h"
#include "fsutil.h"
#include "gate.h"
#include "judge.h"
#include "pep440.h"
#include "pip_args.h"
#include "pip_cmd.h"
#include "pip_direct.h"
#include "pip_report.h"
#include "pip_shim.h"
#include "pip_hold.h"
#include "prespawn.h"
#include "remote_pypi.h"
#include "run.h"
#include "vetting.h"

#include "bgqueue.h"
#include "cache.h"
#include "http.h"
#include "workpool.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_REFUSED 1
#define EXIT_USAGE 2
#define EXIT_UNVETTED 3
#define MAX_ARTIFACTS 4096
#define BG_VET_WORKERS 4                    /* wheels vetted at once behind pip's back */
#define BG_VET_MAX_BYTES ((size_t)1 << 30)  /* wheel bytes waiting to be vetted */

/* Everything the gate's callback vetted, by digest. */
struct vetted_set {
	pthread_mutex_t mu;       /* guards the list */
	pthread_mutex_t ask_mu;   /* one question on the terminal at a time */
	struct pv_vetted *v;
	char (*sha)[65];
	bool *decided;            /* decided during resolution (an sdist asked about, a block) */
	bool *is_sdist;
	size_t n, cap;
	struct pv_judge *judge;
	const struct pv_vetting *vet;
	struct pv_decide_opts dopts;
	bool refused;             /* something was blocked or denied during resolution */
	struct pv_bgq *q;         /* wheels vetted in the background; NULL: in the gate's thread */
	size_t queued_bytes;      /* of wheels waiting in q */
	int vet_errors;           /* background vettings that failed (not a verdict) */
	/* The bytes of every file the gate handed pip, kept for the install
	 * (store_put): pip installs what was vetted, not a second download. */
	char store[PATH_MAX];     /* "" until the work directory exists */
	struct stored {
		char name[256], sha[65];
	} *stored;
	size_t nstored;
	bool store_bad;           /* a file could not be kept, or two differ under one name */
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool is_wheel(const char *filename)
{
	return ends_with(filename, ".whl");
}

/* The version in a distribution file name: a wheel's second '-' field
 * (NAME-VERSION-...whl), an sdist's part after the last '-' before the
 * extension (NAME-VERSION.tar.gz). Into out; "" when it cannot be told. */
static void version_of(const char *filename, char *out, size_t n)
{
	out[0] = 0;
	if (is_wheel(filename)) {
		const char *a = strchr(filename, '-');
		const char *b = a ? strchr(a + 1, '-') : NULL;
		if (a && b)
			snprintf(out, n, "%.*s", (int)(b - a - 1), a + 1);
		return;
	}
	static const char *const exts[] = {".tar.gz", ".tar.bz2", ".tar.xz", ".zip", ".tgz", ".tar"};
	size_t len = strlen(filename);
	for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
		if (!ends_with(filename, exts[i]))
			continue;
		size_t stem = len - strlen(exts[i]);
		const char *dash = NULL;
		for (const char *p = filename; p < filename + stem; p++)
			if (*p == '-')
				dash = p;
		if (dash)
			snprintf(out, n, "%.*s", (int)(filename + stem - dash - 1), dash + 1);
		return;
	}
}

static struct pv_vetted *add_vetted(struct vetted_set *s, const char *sha, bool sdist, size_t *at)
{
	if (s->n == s->cap) {
		if (s->cap >= MAX_ARTIFACTS)
			return NULL;
		size_t nc = s->cap ? s->cap * 2 : 32;
		struct pv_vetted *v = realloc(s->v, nc * sizeof *v);
		if (v)
			s->v = v;
		char(*h)[65] = v ? realloc(s->sha, nc * sizeof *h) : NULL;
		if (h)
			s->sha = h;
		bool *d = h ? realloc(s->decided, nc * sizeof *d) : NULL;
		if (d)
			s->decided = d;
		bool *k = d ? realloc(s->is_sdist, nc * sizeof *k) : NULL;
		if (!k)
			return NULL;
		s->is_sdist = k;
		s->cap = nc;
	}
	*at = s->n;
	memset(&s->v[s->n], 0, sizeof *s->v);
	snprintf(s->sha[s->n], sizeof s->sha[s->n], "%s", sha);
	s->decided[s->n] = false;
	s->is_sdist[s->n] = sdist;
	return &s->v[s->n++];
}

static ssize_t find_sha(const struct vetted_set *s, const char *sha)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->sha[i], sha) == 0)
			return (ssize_t)i;
	return -1;
}

/* Vet one artifact now: 1 may be served, 0 refused, -1 could not vet. */
static int vet_now(struct vetted_set *s, const char *project, const char *filename,
                   const unsigned char *data, size_t len, const char *sha256_hex)
{
	char version[256];
	version_of(filename, version, sizeof version);
	struct pv_package pkg;
	if (pv_audit_pypi_file(&pkg, project, version[0] ? version : "0", filename, data, len,
	                       &s->vet->pypi) < 0) {
		pv_package_free(&pkg);
		return -1;
	}
	bool sdist = !is_wheel(filename);
	pthread_mutex_lock(&s->mu);
	size_t at = 0;
	struct pv_vetted *x = add_vetted(s, sha256_hex, sdist, &at);
	if (!x) {
		pthread_mutex_unlock(&s->mu);
		pv_package_free(&pkg);
		return -1;
	}
	x->pkg = pkg;
	/* Judged now: a block is refused at once, whatever the file is. */
	struct pv_judgement jd = pv_judge_package(s->judge, &x->pkg);
	bool blocked = jd.verdict == PV_BLOCK;
	bool ask_now = sdist && jd.verdict == PV_PROMPT;
	pthread_mutex_unlock(&s->mu);
	if (!blocked && !ask_now)
		return 1; /* allowed, warned, or a wheel asked about after resolution */

	/* A decision now: pv_decide on this one package, one at a time. */
	pthread_mutex_lock(&s->ask_mu);
	char context[700];
	snprintf(context, sizeof context,
	         "pip must run %.200s %.100s's build (setup.py) to continue resolving: allow it?",
	         project, version);
	struct pv_decide_opts o = s->dopts;
	o.no_summary = true;
	o.context = ask_now ? context : NULL;
	pthread_mutex_lock(&s->mu);
	struct pv_vetted one = s->v[at];
	pthread_mutex_unlock(&s->mu);
	int drc = pv_decide(&one, 1, &o);
	pthread_mutex_lock(&s->mu);
	s->v[at] = one;
	s->decided[at] = true;
	if (drc != PV_DECIDE_OK)
		s->refused = true;
	pthread_mutex_unlock(&s->mu);
	pthread_mutex_unlock(&s->ask_mu);
	return drc == PV_DECIDE_OK ? 1 : 0;
}

/* Keep the bytes the gate is about to hand pip as STORE/FILENAME (0600, a
 * private directory). Two different files under one name, or a failed
 * write, make the store unusable: the install then goes through the gate. */
static void store_put(struct vetted_set *s, const char *filename, const unsigned char *data, size_t len,
                      const char *sha)
{
	if (!s->store[0])
		return;
	bool name_ok = filename[0] && filename[0] != '.' && !strchr(filename, '/') && strlen(filename) < 256;
	pthread_mutex_lock(&s->mu);
	bool have = false;
	for (size_t i = 0; name_ok && i < s->nstored && !have; i++)
		if (strcmp(s->stored[i].name, filename) == 0) {
			have = true;
			if (strcmp(s->stored[i].sha, sha) != 0)
				s->store_bad = true;
		}
	struct stored *nv = name_ok && !have ? realloc(s->stored, (s->nstored + 1) * sizeof *nv) : NULL;
	if (nv) {
		s->stored = nv;
		snprintf(nv[s->nstored].name, sizeof nv->name, "%s", filename);
		snprintf(nv[s->nstored].sha, sizeof nv->sha, "%s", sha);
		s->nstored++;
	} else if (!have) {
		s->store_bad = true;
	}
	pthread_mutex_unlock(&s->mu);
	if (!nv)
		return;
	char path[PATH_MAX + 260];
	snprintf(path, sizeof path, "%s/%s", s->store, filename);
	if (pv_write_new(path, (const char *)data, len) < 0) {
		pthread_mutex_lock(&s->mu);
		s->store_bad = true;
		pthread_mutex_unlock(&s->mu);
	}
}

/* Is this report item's file in the store, with the digest pip resolved? */
static bool stored_as(struct vetted_set *s, const struct pv_pip_item *it)
{
	bool ok = false;
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; it->filename && it->sha256 && i < s->nstored && !ok; i++)
		ok = strcmp(s->stored[i].name, it->filename) == 0 && strcmp(s->stored[i].sha, it->sha256) == 0;
	pthread_mutex_unlock(&s->mu);
	return ok;
}

static void store_clear(struct vetted_set *s)
{
	for (size_t i = 0; s->store[0] && i < s->nstored; i++) {
		char path[PATH_MAX + 260];
		snprintf(path, sizeof path, "%s/%s", s->store, s->stored[i].name);
		unlink(path);
	}
	if (s->store[0])
		rmdir(s->store);
	free(s->stored);
	s->stored = NULL;
	s->nstored = 0;
}

/* A wheel vetted in the background (bgqueue.h). */
struct bg_vet {
	struct vetted_set *s;
	char *project, *filename;
	unsigned char *data;
	size_t len;
	char sha[65];
};

static void bg_vet_free(struct bg_vet *j)
{
	free(j->project);
	free(j->filename);
	free(j->data);
	free(j);
}

static void bg_vet_run(void *arg)
{
	struct bg_vet *j = arg;
	int v = vet_now(j->s, j->project, j->filename, j->data, j->len, j->sha);
	pthread_mutex_lock(&j->s->mu);
	j->s->queued_bytes -= j->len;
	if (v < 0)
		j->s->vet_errors++;
	pthread_mutex_unlock(&j->s->mu);
	bg_vet_free(j);
}

/* The gate asks: may pip have this artifact? Called from the gate's
 * threads. A wheel is handed over at once and vetted in the background:
 * pip only reads its metadata while resolving (nothing of it runs), and a
 * wheel is asked about after resolution anyway; the shim waits for every
 * verdict before it decides. An sdist is vetted first: pip builds it. */
static int gate_vet(void *ud, const char *project, const char *filename, const unsigned char *data,
                    size_t len, const char *sha256_hex)
{
	struct vetted_set *s = ud;
	bool sdist = !is_wheel(filename);
	store_put(s, filename, data, len, sha256_hex);
	pthread_mutex_lock(&s->mu);
	bool refused = s->refused;
	bool queue = !sdist && s->q && len <= BG_VET_MAX_BYTES - s->queued_bytes;
	if (queue)
		s->queued_bytes += len;
	pthread_mutex_unlock(&s->mu);
	if (sdist && refused)
		return 0; /* the command is refused already: pip builds nothing more */
	if (queue) {
		struct bg_vet *j = calloc(1, sizeof *j);
		if (j) {
			j->s = s;
			j->len = len;
			j->project = strdup(project);
			j->filename = strdup(filename);
			j->data = malloc(len ? len : 1);
			snprintf(j->sha, sizeof j->sha, "%s", sha256_hex);
		}
		if (j && j->project && j->filename && j->data) {
			memcpy(j->data, data, len);
			if (pv_bgq_push(s->q, bg_vet_run, j) == 0)
				return 1;
		}
		if (j)
			bg_vet_free(j);
		pthread_mutex_lock(&s->mu);
		s->queued_bytes -= len;
		pthread_mutex_unlock(&s->mu);
	}
	return vet_now(s, project, filename, data, len, sha256_hex);
}

static void set_free(struct vetted_set *s)
{
	pv_vetted_free(s->v, s->n);
	free(s->sha);
	free(s->decided);
	free(s->is_sdist);
	pthread_mutex_destroy(&s->mu);
	pthread_mutex_destroy(&s->ask_mu);
}

/* A report item that did not come through the gate (a local file or
 * directory, a direct URL, a VCS checkout) or that pip resolved from
 * metadata alone without downloading: vetted here. */
static int vet_outside_gate(struct vetted_set *s, const struct pv_pip_item *it, const char *gate_url)
{
	struct pv_package pkg;
	memset(&pkg, 0, sizeof pkg);
	int rc = 0;
	char detail[1200];
	const char *simple = strstr(gate_url, "/simple/");
	size_t base = simple ? (size_t)(simple - gate_url) + 1 : strlen(gate_url); /* ".../TOKEN/" */
	if (it->origin == PV_PIP_FROM_INDEX && it->url && strncmp(it->url, gate_url, base) == 0) {
		/* Through the gate, but never downloaded (PEP 658 metadata): fetch
		 * it through the gate now, which vets it. */
		struct pv_http_req req = {.url = it->url};
		pv_http_fetch(&req, NULL);
		int ok = req.result == PV_HTTP_OK;
		pv_http_req_free(&req);
		return ok ? 0 : 1;
	}
	if (it->origin == PV_PIP_FROM_DIR || it->origin == PV_PIP_FROM_FILE) {
		const char *path = it->url && strncmp(it->url, "file://", 7) == 0 ? it->url + 7 : it->url;
		if (pv_package_audit_path(&pkg, path, &s->vet->audit) < 0)
			return -1;
	} else {
		/* A direct URL or a VCS requirement: its code is not fetched here. */
		pkg.input = strdup(it->url ? it->url : it->name);
		pkg.ecosystem = strdup("pypi");
		pkg.name = strdup(it->name);
		pkg.version = strdup(it->version);
		pkg.status = PV_PKG_OK;
		if (!pkg.input || !pkg.ecosystem || !pkg.name || !pkg.version)
			rc = -1;
		if (rc == 0 && pv_package_add_unknown(&pkg, "its code was not vetted (not an index artifact)") < 0)
			rc = -1;
	}
	snprintf(detail, sizeof detail, "%.200s is installed from %.900s, not from an index", it->name,
	         it->url ? it->url : "a local path");
	if (rc == 0 && pv_findings_add_each(&pkg.findings, "url-dependency", NULL, 0, NULL, 0, detail, false) < 0)
		rc = -1;
	pthread_mutex_lock(&s->mu);
	size_t at;
	struct pv_vetted *x = rc == 0 ? add_vetted(s, it->sha256 ? it->sha256 : "-", false, &at) : NULL;
	if (x)
		x->pkg = pkg;
	pthread_mutex_unlock(&s->mu);
	if (!x) {
		pv_package_free(&pkg);
		return -1;
	}
	return 0;
}

static int pass_through(const char *invoked_as, const char *python, int argc, char **argv)
{
	struct pv_pip_exe exe;
	char err[700];
	if (pv_pip_find(invoked_as, python, &exe, err, sizeof err) < 0) {
		pv_shim_fail("pkgvet-pip", NULL, err);
		return EXIT_UNVETTED;
	}
	struct pv_argv a = {0};
	for (int i = 0; i < exe.n; i++)
		pv_argv_add(&a, exe.argv0[i]);
	for (int i = 1; i < argc; i++)
		pv_argv_add(&a, argv[i]);
	if (!a.oom)
		execv(a.v[0], a.v);
	pv_shim_fail("pkgvet-pip", NULL, a.oom ? "out of memory" : strerror(errno));
	pv_argv_free(&a);
	pv_pip_exe_free(&exe);
	return EXIT_UNVETTED;
}

/* Resolution through the gate: pip's report, or an exit status. */
static int resolve(const struct pv_pip_exe *exe, int argc, char **argv, const struct pv_pip_args *a,
                   const char *gate_url, char *const *env, const char *report_path,
                   struct pv_pip_report *rep)
{
	char err[1200];
	struct pv_argv ra = {0};
	if (pv_pip_resolve_argv(exe, argc, argv, a, gate_url, report_path, &ra, err, sizeof err) < 0) {
		pv_shim_fail("pkgvet-pip", NULL, err);
		pv_argv_free(&ra);
		return EXIT_UNVETTED;
	}
	if (isatty(2) && a->verbosity >= 0)
		fputs("resolving\xe2\x80\xa6\n", stderr);
	int rc = pv_run(ra.v, NULL, env, PV_RUN_STDOUT_TO_STDERR, err, sizeof err);
	pv_argv_free(&ra);
	if (rc != 0)
		return rc < 0 ? EXIT_UNVETTED : rc;
	if (pv_pip_report_load(report_path, rep, err, sizeof err) != 0) {
		pv_shim_fail("pkgvet-pip", NULL, err);
		return EXIT_UNVETTED;
	}
	return 0;
}

/* One pip run (pip_hold.h): `pip install` through the gate, held after
 * resolving. 0 with the report in rep (pip waits for pv_pip_hold_answer);
 * 0 with *unheld set (this pip cannot be held; it installed nothing: take
 * the two-pip route); else pip's failure status (its message shown), or
 * EXIT_UNVETTED. */
static int held_resolve(struct pv_pip_hold *hold, const struct pv_pip_exe *exe, int argc, char **argv,
                        const struct pv_pip_args *a, const char *gate_url, char *const *env,
                        const char *tmpdir, struct pv_pip_report *rep, bool *unheld)
{
	char err[1200], dir[PATH_MAX], report[PATH_MAX + 16];
	*unheld = false;
	snprintf(dir, sizeof dir, "%s/hold", tmpdir);
	snprintf(report, sizeof report, "%s/report.json", dir);
	struct pv_argv ra = {0};
	if (mkdir(dir, 0700) != 0 ||
	    pv_pip_resolve_argv(exe, argc, argv, a, gate_url, report, &ra, err, sizeof err) < 0) {
		pv_shim_fail("pkgvet-pip", NULL, ra.v ? err : strerror(errno));
		pv_argv_free(&ra);
		return EXIT_UNVETTED;
	}
	/* The resolution command without what makes it a dry run: --dry-run,
	 * --report FILE and --quiet, added after --index-url GATE. */
	size_t g = 0;
	while (g + 1 < ra.n && !(strcmp(ra.v[g], "--index-url") == 0 && strcmp(ra.v[g + 1], gate_url) == 0))
		g++;
	for (size_t i = g; i < ra.n;) {
		size_t drop = strcmp(ra.v[i], "--dry-run") == 0 || strcmp(ra.v[i], "--quiet") == 0 ? 1
		              : strcmp(ra.v[i], "--report") == 0 && i + 1 < ra.n ? 2
		                                                                 : 0;
		if (!drop) {
			i++;
			continue;
		}
		for (size_t k = 0; k < drop; k++)
			free(ra.v[i + k]);
		memmove(&ra.v[i], &ra.v[i + drop], (ra.n + 1 - i - drop) * sizeof *ra.v);
		ra.n -= drop;
	}
	if (a->report) { /* the person's own --report: pip writes it as usual */
		pv_argv_add(&ra, "--report");
		pv_argv_add(&ra, a->report);
		if (ra.oom) {
			pv_shim_fail("pkgvet-pip", NULL, "out of memory");
			pv_argv_free(&ra);
			return EXIT_UNVETTED;
		}
	}
	if (isatty(2) && a->verbosity >= 0)
		fputs("resolving\xe2\x80\xa6\n", stderr);
	int rc = pv_pip_hold_start(hold, ra.v, env, dir, err, sizeof err);
	pv_argv_free(&ra);
	if (rc < 0) {
		pv_shim_fail("pkgvet-pip", NULL, err);
		return EXIT_UNVETTED;
	}
	int status = 0;
	int w = pv_pip_hold_wait(hold, &status, unheld, err, sizeof err);
	if (w < 0) {
		pv_shim_fail("pkgvet-pip", NULL, err);
		return EXIT_UNVETTED;
	}
	if (w == 0)
		return *unheld ? 0 : status ? status : EXIT_UNVETTED;
	if (pv_pip_report_load(report, rep, err, sizeof err) != 0) {
		pv_shim_fail("pkgvet-pip", NULL, err);
		return EXIT_UNVETTED;
	}
	return 0;
}

/* ---- direct requirements (pip_direct.h) ------------------------------------ */

/* A filename pip and the archive reader recognise, from a URL's last path
 * segment: only [A-Za-z0-9._+-], else "archive". */
static void url_file_name(const char *url, char *out, size_t n)
{
	const char *q = strpbrk(url, "?#");
	size_t end = q ? (size_t)(q - url) : strlen(url);
	size_t start = end;
	while (start > 0 && url[start - 1] != '/')
		start--;
	size_t k = 0;
	for (size_t i = start; i < end && k + 1 < n; i++) {
		char c = url[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		          c == '.' || c == '_' || c == '+' || c == '-';
		if (!ok) {
			k = 0;
			break;
		}
		out[k++] = c;
	}
	out[k] = 0;
	if (!k || out[0] == '.')
		snprintf(out, n, "archive");
}

/* Vet one direct requirement into pkg: a directory or archive from disk, a
 * URL's archive downloaded into tmpdir (its sha256 into d->sha256, which
 * must equal a digest the person pinned), a VCS checkout as not vettable.
 * 0, or -1 with err (the requirement cannot be vetted: nothing runs). */
static int vet_direct(struct pv_pip_direct *d, size_t idx, const struct pv_vetting *vet,
                      const char *tmpdir, struct pv_package *pkg, char *err, size_t errlen)
{
	memset(pkg, 0, sizeof *pkg);
	char sha[65] = "", tagged[80];
	if (d->kind == PV_DIRECT_DIR || d->kind == PV_DIRECT_FILE) {
		if (d->kind == PV_DIRECT_FILE) {
			if (pv_sha256_file(d->where, tagged, sizeof tagged) != 0) {
				snprintf(err, errlen, "cannot read %.600s", d->where);
				return -1;
			}
			memcpy(sha, tagged + strlen("sha256:"), 64);
			sha[64] = 0;
		}
		if (pv_package_audit_path(pkg, d->where, &vet->audit) < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	} else if (d->kind == PV_DIRECT_URL) {
		struct pv_http_req req = {.url = d->where, .max_body = PV_GATE_MAX_ARTIFACT_DEFAULT};
		pv_http_fetch(&req, NULL);
		if (req.result != PV_HTTP_OK) {
			snprintf(err, errlen, "cannot download %.500s: %.200s", d->where, req.err);
			pv_http_req_free(&req);
			return -1;
		}
		char name[200], path[PATH_MAX];
		url_file_name(d->where, name, sizeof name);
		snprintf(path, sizeof path, "%s/direct-%zu-%s", tmpdir, idx, name);
		int w = pv_sha256_hex(req.body, req.len, sha, sizeof sha) == 0
		              ? pv_write_new(path, req.body, req.len)
		              : -1;
		pv_http_req_free(&req);
		if (w < 0) {
			snprintf(err, errlen, "cannot keep the download of %.500s", d->where);
			unlink(path);
			return -1;
		}
		int a = pv_package_audit_path(pkg, path, &vet->audit);
		unlink(path);
		if (a < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	} else {
		/* A VCS checkout: pkgvet does not clone; its code is not vetted. */
		pkg->input = strdup(d->where);
		pkg->ecosystem = strdup("pypi");
		pkg->name = strdup(d->name ? d->name : d->where);
		pkg->version = strdup("?");
		pkg->status = PV_PKG_OK;
		if (!pkg->input || !pkg->ecosystem || !pkg->name || !pkg->version ||
		    pv_package_add_unknown(pkg, "its code was not vetted (a VCS checkout)") < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	if (sha[0] && d->sha256 && strcmp(sha, d->sha256) != 0) {
		snprintf(err, errlen, "%.500s (%.300s) does not match the sha256 it was pinned to", d->where,
		         d->origin);
		return -1;
	}
	if (sha[0] && !d->sha256 && !(d->sha256 = strdup(sha))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	char detail[1200];
	snprintf(detail, sizeof detail, "%.500s (%.300s) is installed from outside the indexes", d->where,
	         d->origin);
	if (pv_findings_add_each(&pkg->findings, "url-dependency", NULL, 0, NULL, 0, detail, false) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* "URL#sha256=HEX" ('&' when the URL has a fragment), with "name @ " in front
 * when given. malloc'd or NULL. */
static char *pinned_url(const char *name, const char *url, const char *sha)
{
	size_t n = (name ? strlen(name) + 3 : 0) + strlen(url) + 80;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s%s%s%csha256=%s", name ? name : "", name ? " @ " : "", url,
		         strchr(url, '#') ? '&' : '#', sha);
	return s;
}

/* The directs vetted and decided before resolution. Returns 0 (all
 * allowed; positional URL and archive arguments in *argv_io replaced by
 * their digest-pinned form, the new strings in *owned), or an exit status
 * with the reason said. */
static int vet_directs_first(struct vetted_set *set, struct pv_pip_direct *d, size_t n,
                             const char *tmpdir, char **argv, char ***owned)
{
	char err[1200];
	struct pv_vetted *batch = calloc(n, sizeof *batch);
	*owned = calloc(n + 1, sizeof **owned);
	if (!batch || !*owned) {
		free(batch);
		pv_shim_fail("pkgvet-pip", NULL, "out of memory");
		return EXIT_UNVETTED;
	}
	int rc = 0;
	size_t k = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (d[i].kind == PV_DIRECT_URL && d[i].argv_index < 0 && !d[i].sha256) {
			snprintf(err, sizeof err, "%.300s: the direct URL %.500s has no #sha256= (pip would download "
			         "it again after pkgvet vetted it): pin its digest or put it on the command line",
			         d[i].origin, d[i].where);
			pv_shim_fail("pkgvet-pip", NULL, err);
			rc = EXIT_USAGE;
			break;
		}
		if (vet_direct(&d[i], i, set->vet, tmpdir, &batch[k].pkg, err, sizeof err) < 0) {
			pv_package_free(&batch[k].pkg);
			pv_shim_fail("pkgvet-pip", "cannot vet", err);
			rc = EXIT_UNVETTED;
			break;
		}
		k++;
	}
	if (rc == 0) {
		struct pv_decide_opts o = set->dopts;
		o.context = "pip must build or install these from outside the package indexes (pip runs "
		            "their build while resolving): allow them?";
		int drc = pv_decide(batch, k, &o);
		if (drc != PV_DECIDE_OK) {
			fputs("pkgvet-pip: nothing was installed\n", stderr);
			rc = drc;
		}
	}
	for (size_t i = 0; rc == 0 && i < k; i++) {
		pthread_mutex_lock(&set->mu);
		size_t at;
		struct pv_vetted *x = add_vetted(set, d[i].sha256 ? d[i].sha256 : "-", false, &at);
		if (x) {
			*x = batch[i];
			memset(&batch[i], 0, sizeof batch[i]);
			set->decided[at] = true;
		}
		pthread_mutex_unlock(&set->mu);
		if (!x) {
			pv_shim_fail("pkgvet-pip", NULL, "out of memory");
			rc = EXIT_UNVETTED;
		}
	}
	pv_vetted_free(batch, n);
	/* Pin what was vetted where pip reads it from the command line: a
	 * plain URL or archive path (not with extras or markers, which the
	 * person's wording carries). */
	size_t o = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct pv_pip_direct *x = &d[i];
		if (x->argv_index < 0 || !x->sha256 || strpbrk(argv[x->argv_index], "[; \t"))
			continue;
		char url[PATH_MAX + 16];
		if (x->kind == PV_DIRECT_FILE)
			snprintf(url, sizeof url, "file://%s", x->where);
		else if (x->kind == PV_DIRECT_URL)
			snprintf(url, sizeof url, "%s", x->where);
		else
			continue;
		char *pinned = pinned_url(x->name, url, x->sha256);
		if (!pinned) {
			pv_shim_fail("pkgvet-pip", NULL, "out of memory");
			rc = EXIT_UNVETTED;
			break;
		}
		(*owned)[o++] = pinned;
		argv[x->argv_index] = pinned;
	}
	return rc;
}

/* Was this report item one of the directs vetted before resolution? */
static bool vetted_first(const struct pv_pip_item *it, const struct pv_pip_direct *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (it->sha256 && d[i].sha256 && strcmp(it->sha256, d[i].sha256) == 0)
			return true;
		if (it->origin == PV_PIP_FROM_DIR && d[i].kind == PV_DIRECT_DIR && it->url &&
		    strncmp(it->url, "file://", 7) == 0) {
			char real[PATH_MAX];
			if (realpath(it->url + 7, real) && strcmp(real, d[i].where) == 0)
				return true;
		}
		if (it->origin == PV_PIP_FROM_VCS && d[i].kind == PV_DIRECT_VCS && it->url) {
			/* "git+https://h/r@rev#egg=x" was given; the report says "https://h/r". */
			const char *u = strchr(d[i].where, '+');
			u = u ? u + 1 : d[i].where;
			size_t ul = strcspn(u, "#");
			const char *at = memchr(u, '@', ul);
			const char *slash = strrchr(u, '/');
			if (at && slash && at > slash)
				ul = (size_t)(at - u);
			if (strlen(it->url) == ul && strncmp(it->url, u, ul) == 0)
				return true;
		}
	}
	return false;
}

/* The requirements line that installs a non-index report item exactly as
 * resolved: a directory (-e when editable), an archive pinned to the
 * digest vetted, a VCS checkout at its resolved commit. malloc'd or NULL. */
static char *direct_line(const struct pv_pip_item *it)
{
	char *s = NULL;
	if (it->origin == PV_PIP_FROM_DIR) {
		size_t n = strlen(it->url) + 8;
		if ((s = malloc(n)))
			snprintf(s, n, "%s%s\n", it->editable ? "-e " : "", it->url);
	} else if (it->origin == PV_PIP_FROM_VCS) {
		if (!it->vcs || !it->vcs_commit)
			return NULL;
		size_t n = strlen(it->display_name) + strlen(it->vcs) + strlen(it->url) +
		           strlen(it->vcs_commit) + 16;
		if ((s = malloc(n)))
			snprintf(s, n, "%s @ %s+%s@%s\n", it->display_name, it->vcs, it->url, it->vcs_commit);
	} else if (it->sha256) {
		char *p = pinned_url(NULL, it->url, it->sha256);
		size_t n = p ? strlen(p) + 2 : 0;
		if (p && (s = malloc(n)))
			snprintf(s, n, "%s\n", p);
		free(p);
	}
	return s;
}

/* The pins without their --hash options (pip's hash-checking mode cannot
 * take a directory or a VCS checkout; the gate's vetted-only mode still
 * serves nothing but the vetted files), plus a line per direct item. */
static char *mixed_requirements(char *pins_text, const struct pv_pip_report *rep)
{
	size_t cap = strlen(pins_text) + 1;
	for (size_t i = 0; i < rep->n; i++)
		if (rep->items[i].origin != PV_PIP_FROM_INDEX)
			cap += strlen(rep->items[i].url) + 400;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	size_t o = 0;
	for (char *line = pins_text; *line;) {
		char *nl = strchr(line, '\n');
		char *h = strstr(line, " --hash=");
		size_t keep = h && (!nl || h < nl) ? (size_t)(h - line)
		              : nl                  ? (size_t)(nl - line)
		                                    : strlen(line);
		memcpy(out + o, line, keep);
		o += keep;
		out[o++] = '\n';
		line = nl ? nl + 1 : line + strlen(line);
	}
	for (size_t i = 0; i < rep->n; i++) {
		if (rep->items[i].origin == PV_PIP_FROM_INDEX)
			continue;
		char *l = direct_line(&rep->items[i]);
		if (!l || o + strlen(l) >= cap) {
			free(l);
			free(out);
			return NULL;
		}
		memcpy(out + o, l, strlen(l));
		o += strlen(l);
		free(l);
	}
	out[o] = 0;
	return out;
}

/* The install command (pv_pip_handoff_argv), then: with store, the files
 * come from that directory of vetted bytes (--index-url GATE becomes
 * --no-index --find-links STORE); mixed (local paths, URLs, VCS too, which
 * pip's hash-checking mode cannot take), without the --require-hashes it
 * added. 0, or -1 with err. */
static int handoff_argv(const struct pv_pip_exe *exe, int argc, char **argv, const struct pv_pip_args *a,
                        struct pv_gate *gate, const char *reqfile, const char *store, bool mixed,
                        struct pv_argv *ha, char *err, size_t errlen)
{
	const char *gate_url = pv_gate_index_url(gate);
	if (pv_pip_handoff_argv(exe, argc, argv, a, gate_url, reqfile, ha, err, errlen) < 0)
		return -1;
	for (size_t i = ha->n; store && i-- > 1;)
		if (strcmp(ha->v[i - 1], "--index-url") == 0 && strcmp(ha->v[i], gate_url) == 0) {
			char *a1 = strdup("--no-index"), *a2 = strdup("--find-links"), *a3 = strdup(store);
			char **nv = realloc(ha->v, (ha->n + 2) * sizeof *nv);
			if (nv)
				ha->v = nv;
			if (!a1 || !a2 || !a3 || !nv) {
				free(a1);
				free(a2);
				free(a3);
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			ha->cap = ha->n + 2;
			free(ha->v[i - 1]);
			free(ha->v[i]);
			memmove(&ha->v[i + 2], &ha->v[i + 1], (ha->n - i) * sizeof *ha->v);
			ha->v[i - 1] = a1;
			ha->v[i] = a2;
			ha->v[i + 1] = a3;
			ha->n++;
			break;
		}
	if (mixed) /* the one pv_pip_handoff_argv added, last; the person's own stays */
		for (size_t i = ha->n; i-- > 0;)
			if (ha->v[i] && strcmp(ha->v[i], "--require-hashes") == 0) {
				free(ha->v[i]);
				memmove(&ha->v[i], &ha->v[i + 1], (ha->n - i) * sizeof *ha->v);
				ha->n--;
				break;
			}
	return 0;
}

int pv_pip_shim_main(int argc, char **argv, const char *invoked_as, const char *python)
{
	struct pv_pip_args a;
	char err[2048];
	if (pv_pip_args_parse(argc, argv, &a, err, sizeof err) < 0) {
		pv_shim_fail("pkgvet-pip", NULL, err);
		return EXIT_USAGE;
	}
	if (a.verb == PV_PIP_PASS || a.help || a.version || a.dry_run) {
		pv_pip_args_free(&a);
		return pass_through(invoked_as, python, argc, argv);
	}
	int rc = 0;
	struct pv_pip_exe exe = {0};
	struct pv_judge *judge = calloc(1, sizeof *judge);
	struct pv_vetting vet;
	bool vet_ok = false;
	struct vetted_set set = {0};
	struct pv_gate *gate = NULL;
	char **upstreams = NULL, **find_links = NULL, **env = NULL;
	struct pv_pip_report rep = {0};
	char tmpdir[PATH_MAX / 2];
	const char *tmp = getenv("TMPDIR");
	if (!tmp || tmp[0] != '/' || strlen(tmp) > sizeof tmpdir - 32)
		tmp = "/tmp";
	snprintf(tmpdir, sizeof tmpdir, "%s/pkgvet-pip-XXXXXX", tmp);
	bool have_tmp = false;
	struct pv_pin_buf {
		struct pv_pip_pin *v;
		size_t n;
	} pins = {0};
	struct pv_prespawn *early = NULL; /* the install's pip, started at once (prespawn.h) */
	struct pv_pip_hold hold = {.pid = -1, .ready_fd = -1}; /* or one pip, held (pip_hold.h) */
	bool single = false;
	struct pv_pip_direct *directs = NULL;
	size_t ndirects = 0;
	char **owned = NULL;  /* argument strings made here (digest-pinned URLs) */
	char **av = calloc((size_t)argc + 1, sizeof *av);
	if (!av) {
		pv_shim_fail("pkgvet-pip", NULL, "out of memory");
		pv_pip_args_free(&a);
		free(judge);
		return EXIT_UNVETTED;
	}
	memcpy(av, argv, (size_t)argc * sizeof *av);
	argv = av;

	if (pv_pip_find(invoked_as, python, &exe, err, sizeof err) < 0) {
		pv_shim_fail("pkgvet-pip", NULL, err);
		rc = EXIT_UNVETTED;
		goto out;
	}
	if (!judge || pv_judge_init(judge, err, sizeof err) < 0) {
		pv_shim_fail("pkgvet-pip", NULL, judge ? err : "out of memory");
		rc = EXIT_USAGE;
		goto out;
	}
	/* Local paths, URLs and VCS checkouts (pip builds them while it
	 * resolves: they are vetted first, below), and options in requirements
	 * files that would send pip to other indexes or find-links locations
	 * behind the gate's back (refused). */
	if (pv_pip_direct_collect(argc, argv, &a, &directs, &ndirects, err, sizeof err) < 0) {
		char line[sizeof err + 32];
		snprintf(line, sizeof line, "%s: nothing was installed", err);
		pv_shim_fail("pkgvet-pip", NULL, line);
		rc = EXIT_UNVETTED;
		goto out;
	}
	/* find-links are read by the gate, never by pip: pip would open those
	 * archives (and build those sdists) before anything vetted them. */
	upstreams = pv_pip_upstreams(&a, err, sizeof err);
	find_links = upstreams ? pv_pip_find_links(&a, err, sizeof err) : NULL;
	if (!upstreams || !find_links || (!upstreams[0] && !find_links[0])) {
		pv_shim_fail("pkgvet-pip", NULL, find_links ? "--no-index without --find-links: nothing to install "
		                                              "from, nothing was installed"
		                                            : err);
		rc = EXIT_UNVETTED;
		goto out;
	}
	if (pv_vetting_init(&vet, judge, true, 0, pv_shim_warn, "pkgvet-pip") < 0) {
		pv_shim_fail("pkgvet-pip", NULL, "out of memory");
		rc = EXIT_UNVETTED;
		goto out;
	}
	vet_ok = true;
	vet.pypi.index_url = upstreams[0];
	char command[1024];
	pv_shim_command_line(command, sizeof command, argc, argv, invoked_as);
	if (pthread_mutex_init(&set.mu, NULL) != 0 || pthread_mutex_init(&set.ask_mu, NULL) != 0) {
		pv_shim_fail("pkgvet-pip", NULL, "cannot create a lock");
		rc = EXIT_UNVETTED;
		goto out;
	}
	set.judge = judge;
	set.vet = &vet;
	/* Not in the sanitized build: see pv_fetch_workers (workpool.c). */
	if (pv_fetch_workers() > 1)
		set.q = pv_bgq_start(BG_VET_WORKERS);
	set.dopts = (struct pv_decide_opts){
		.judge = judge, .tool = "pip", .command = command, .yes = pv_shim_env_yes(),
		.interactive = true, .out = stderr, .scripts_required = true,
		.quiet = a.verbosity < 0, .verbose = a.verbosity > 0,
	};
	double t0 = pv_shim_clock();
	struct pv_gate_opts go = {.upstreams = (const char *const *)upstreams,
	                          .find_links = (const char *const *)find_links, .vet = gate_vet, .ud = &set};
	/* Artifact bytes are kept beside the analysis cache (blobcache.h). */
	char blobs[PATH_MAX] = "";
	const char *cpath = vet.audit.cache ? pv_cache_path(vet.audit.cache) : NULL;
	const char *slash = cpath ? strrchr(cpath, '/') : NULL;
	if (slash && (size_t)(slash - cpath) + sizeof "/artifacts" < sizeof blobs) {
		snprintf(blobs, sizeof blobs, "%.*s/artifacts", (int)(slash - cpath), cpath);
		go.blob_dir = blobs;
	}
	if (pv_gate_start(&gate, &go, err, sizeof err) < 0) {
		pv_shim_fail("pkgvet-pip", "cannot start the gate", err);
		rc = EXIT_UNVETTED;
		goto out;
	}
	/* --no-index: the release metadata comes from the gate's own pages (the
	 * find-links files), never from an index the person did not name. */
	if (!upstreams[0])
		vet.pypi.index_url = pv_gate_index_url(gate);
	env = pv_pip_env(err, sizeof err);
	if (!env || !mkdtemp(tmpdir)) {
		pv_shim_fail("pkgvet-pip", NULL, env ? strerror(errno) : err);
		rc = EXIT_UNVETTED;
		goto out;
	}
	have_tmp = true;
	{
		char store[PATH_MAX];
		snprintf(store, sizeof store, "%s/files", tmpdir);
		pthread_mutex_lock(&set.mu);
		if (mkdir(store, 0700) == 0)
			snprintf(set.store, sizeof set.store, "%s", store);
		pthread_mutex_unlock(&set.mu);
	}
	char report_path[PATH_MAX], reqfile[PATH_MAX]; /* tmpdir is at most PATH_MAX / 2 */
	snprintf(report_path, sizeof report_path, "%s/report.json", tmpdir);
	snprintf(reqfile, sizeof reqfile, "%s/vetted-requirements.txt", tmpdir);

	/* 0. Local paths, URLs and VCS checkouts: pip builds them while it
	 * resolves, so they are vetted and decided about first. */
	if (ndirects) {
		rc = vet_directs_first(&set, directs, ndirects, tmpdir, argv, &owned);
		if (rc != 0)
			goto out;
		/* The arguments may have changed (pinned URLs): parse them again. */
		pv_pip_args_free(&a);
		if (pv_pip_args_parse(argc, argv, &a, err, sizeof err) < 0) {
			memset(&a, 0, sizeof a);
			pv_shim_fail("pkgvet-pip", NULL, err);
			rc = EXIT_UNVETTED;
			goto out;
		}
	}

	/* One pip that resolves, waits for the decision and installs (plain
	 * installs from the indexes); else two: the install's pip starts now
	 * and waits at its requirements file (a FIFO) while the resolving one
	 * runs. PKGVET_PIP_TWO_RUNS=1 forces the two-pip route. */
	const char *two = getenv("PKGVET_PIP_TWO_RUNS");
	if (a.verb == PV_PIP_INSTALL && !ndirects && set.store[0] && !(two && *two && strcmp(two, "0") != 0)) {
		bool unheld = false;
		rc = held_resolve(&hold, &exe, argc, argv, &a, pv_gate_index_url(gate), env, tmpdir, &rep, &unheld);
		single = rc == 0 && !unheld;
		if (unheld) {
			pv_pip_hold_end(&hold);
			pv_bgq_drain(set.q);
		}
		if (unheld && !set.refused)
			pv_shim_warn("this pip cannot be held between resolving and installing: resolving again, "
			             "then installing", "pkgvet-pip");
	}
	if (!single && !(rc != 0 || set.refused)) {
		if (!ndirects && set.store[0]) {
			struct pv_argv pa = {0};
			char perr[512];
			if (handoff_argv(&exe, argc, argv, &a, gate, reqfile, set.store, false, &pa, perr, sizeof perr) == 0 &&
			    !pa.oom)
				early = pv_prespawn_start(pa.v, env, reqfile, perr, sizeof perr);
			pv_argv_free(&pa);
		}
		/* 1. Resolve through the gate. */
		rc = resolve(&exe, argc, argv, &a, pv_gate_index_url(gate), env, report_path, &rep);
	}
	pv_bgq_drain(set.q); /* every wheel pip took has its verdict */
	if (rc == 0 && set.vet_errors) {
		pv_shim_fail("pkgvet-pip", NULL, "some distributions could not be vetted: nothing was installed");
		rc = EXIT_UNVETTED;
		goto out;
	}
	if (rc != 0 || set.refused) {
		if (set.refused)
			rc = EXIT_REFUSED;
		fputs("pkgvet-pip: nothing was installed\n", stderr);
		goto out;
	}
	/* 2. Every item of the install set vetted: through the gate, or here. */
	for (size_t i = 0; i < rep.n; i++) {
		const struct pv_pip_item *it = &rep.items[i];
		if (it->sha256 && find_sha(&set, it->sha256) >= 0)
			continue;
		if (it->origin != PV_PIP_FROM_INDEX && vetted_first(it, directs, ndirects))
			continue;
		int vrc = vet_outside_gate(&set, it, pv_gate_index_url(gate));
		if (vrc < 0) {
			pv_shim_fail("pkgvet-pip", NULL, "out of memory");
			rc = EXIT_UNVETTED;
			goto out;
		}
	}
	/* A name several configured indexes serve: which one pip picks is up
	 * to pip, and an attacker may own the other (dependency confusion). */
	const char *const *shadowed = pv_gate_shadowed(gate);
	for (size_t i = 0; shadowed && shadowed[i]; i++) {
		for (size_t k = 0; k < set.n; k++) {
			struct pv_package *pk = &set.v[k].pkg;
			char norm[256];
			if (set.decided[k] || !pk->name || pv_pep503_normalize(pk->name, norm, sizeof norm) < 0 ||
			    strcmp(norm, shadowed[i]) != 0)
				continue;
			char detail[400];
			snprintf(detail, sizeof detail,
			         "%.200s is on more than one of the configured indexes and find-links locations",
			         shadowed[i]);
			if (pv_findings_add_each(&pk->findings, "dependency-confusion", NULL, 0, NULL, 0, detail,
			                         false) < 0) {
				pv_shim_fail("pkgvet-pip", NULL, "out of memory");
				rc = EXIT_UNVETTED;
				goto out;
			}
		}
	}
	/* 3. Decide about the rest (wheels asked after resolution, local code). */
	{
		size_t k = 0;
		struct pv_vetted *batch = calloc(set.n ? set.n : 1, sizeof *batch);
		size_t *from = calloc(set.n ? set.n : 1, sizeof *from);
		if (!batch || !from) {
			free(batch);
			free(from);
			pv_shim_fail("pkgvet-pip", NULL, "out of memory");
			rc = EXIT_UNVETTED;
			goto out;
		}
		for (size_t i = 0; i < set.n; i++)
			if (!set.decided[i]) {
				batch[k] = set.v[i];
				from[k++] = i;
			}
		set.dopts.seconds = pv_shim_clock() - t0;
		int drc = pv_decide(batch, k, &set.dopts);
		for (size_t j = 0; j < k; j++)
			set.v[from[j]] = batch[j];
		free(batch);
		free(from);
		if (drc != PV_DECIDE_OK) {
			fputs("pkgvet-pip: nothing was installed\n", stderr);
			rc = drc;
			goto out;
		}
	}
	/* 4. Install exactly the vetted set: hashes pinned, gate serving only them. */
	pins.v = calloc(rep.n ? rep.n : 1, sizeof *pins.v);
	const char **digests = calloc(rep.n + set.n + 1, sizeof *digests);
	if (!pins.v || !digests) {
		free(digests);
		pv_shim_fail("pkgvet-pip", NULL, "out of memory");
		rc = EXIT_UNVETTED;
		goto out;
	}
	size_t nd = 0;
	for (size_t i = 0; i < rep.n; i++) {
		const struct pv_pip_item *it = &rep.items[i];
		if (!it->sha256 || it->origin != PV_PIP_FROM_INDEX)
			continue;
		pins.v[pins.n++] = (struct pv_pip_pin){it->display_name, it->version, it->sha256};
		digests[nd++] = it->sha256;
	}
	/* Whatever else the gate served and this run allowed (the build
	 * requirements pip fetched to build an sdist or a local project). */
	for (size_t i = 0; i < set.n; i++)
		if (strlen(set.sha[i]) == 64)
			digests[nd++] = set.sha[i];
	bool mixed = pins.n < rep.n; /* local paths, URLs, VCS checkouts too */
	/* The install reads the vetted bytes the gate kept (no second download,
	 * nothing an index could swap), once the indexes are seen to list the
	 * same files still: a file changed there since is refused. */
	bool local = !mixed && !set.store_bad && set.store[0];
	for (size_t i = 0; local && i < rep.n; i++)
		local = stored_as(&set, &rep.items[i]);
	if (local) {
		const char **names = calloc(rep.n + 1, sizeof *names), **shas = calloc(rep.n + 1, sizeof *shas);
		int rck = -2;
		if (names && shas) {
			for (size_t i = 0; i < rep.n; i++) {
				names[i] = rep.items[i].filename;
				shas[i] = rep.items[i].sha256;
			}
			rck = pv_gate_recheck(gate, names, shas, rep.n, err, sizeof err);
		}
		free(names);
		free(shas);
		if (rck == 1) {
			char line[sizeof err + 100];
			snprintf(line, sizeof line, "%s: it changed on the index after it was vetted: nothing was installed",
			         err);
			pv_shim_fail("pkgvet-pip", NULL, line);
			free(digests);
			rc = EXIT_UNVETTED;
			goto out;
		}
		if (rck == -1) {
			char line[sizeof err + 100];
			snprintf(line, sizeof line, "cannot ask the index again (%s); installing the vetted files", err);
			pv_shim_warn(line, "pkgvet-pip");
		}
		local = rck >= -1;
	}
	char *text = pv_pip_pins_text(pins.v, pins.n);
	if (text && mixed) {
		char *m = mixed_requirements(text, &rep);
		free(text);
		text = m;
	}
	if (!text || pv_gate_vetted_only(gate, digests, nd) < 0) {
		free(text);
		free(digests);
		pv_shim_fail("pkgvet-pip", NULL, "cannot write the vetted requirements");
		rc = EXIT_UNVETTED;
		goto out;
	}
	free(digests);
	err[0] = 0;
	struct pv_argv ha = {0};
	/* The install pip started early (prespawn.h) is the one for exactly
	 * this command line: the pins go to it. Otherwise a new one runs. */
	if (single) {
		rc = pv_pip_hold_answer(&hold, true); /* it installs what it resolved: the vetted files */
	} else if (early && local && !mixed) {
		pv_gate_stop(gate); /* pip reads the store now, not the gate */
		gate = NULL;
		pv_bgq_stop(set.q);
		set.q = NULL;
		rc = pv_prespawn_finish(early, text, err, sizeof err);
		early = NULL;
	} else {
		pv_prespawn_cancel(early);
		early = NULL;
		unlink(reqfile);
		if (pv_write_new(reqfile, text, strlen(text)) < 0 ||
		    handoff_argv(&exe, argc, argv, &a, gate, reqfile, local ? set.store : NULL, mixed, &ha, err,
		                 sizeof err) < 0) {
			pv_shim_fail("pkgvet-pip", NULL, err[0] ? err : "cannot write the vetted requirements");
			pv_argv_free(&ha);
			free(text);
			rc = EXIT_UNVETTED;
			goto out;
		}
		rc = pv_run(ha.v, NULL, env, 0, err, sizeof err);
	}
	free(text);
	pv_argv_free(&ha);
	if (rc < 0) {
		pv_shim_fail("pkgvet-pip", NULL, err);
		rc = EXIT_UNVETTED;
	} else if (rc > 0) {
		/* pip checks every pinned hash before installing anything. */
		pv_shim_fail("pkgvet-pip", NULL, "pip could not install the vetted set (a file that is not the "
		                                  "one vetted, e.g. changed on the index since, is refused): "
		                                  "nothing was installed");
	}
out:
	if (hold.pid > 0 && !hold.reaped && !hold.answered)
		pv_pip_hold_answer(&hold, false); /* refused: it stops, nothing installed */
	pv_pip_hold_end(&hold);
	pv_prespawn_cancel(early);
	if (gate)
		pv_gate_stop(gate);
	pv_bgq_stop(set.q); /* after the gate: nothing queues any more */
	store_clear(&set);
	if (have_tmp) {
		char p[PATH_MAX];
		snprintf(p, sizeof p, "%s/report.json", tmpdir);
		unlink(p);
		snprintf(p, sizeof p, "%s/vetted-requirements.txt", tmpdir);
		unlink(p);
		snprintf(p, sizeof p, "%s/hold", tmpdir); /* made before pip could be held */
		rmdir(p);
		rmdir(tmpdir);
	}
	free(pins.v);
	pv_pip_direct_free(directs, ndirects);
	pv_strv_free(owned);
	free(av);
	pv_pip_report_free(&rep);
	pv_strv_free(env);
	pv_strv_free(upstreams);
	pv_strv_free(find_links);
	if (set.judge)
		set_free(&set);
	if (vet_ok)
		pv_vetting_free(&vet);
	if (judge)
		pv_judge_free(judge);
	free(judge);
	pv_pip_exe_free(&exe);
	pv_pip_args_free(&a);
	return rc;
}
