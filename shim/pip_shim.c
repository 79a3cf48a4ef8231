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
#include "pip_report.h"
#include "pip_reqscan.h"
#include "pip_shim.h"
#include "remote_pypi.h"
#include "run.h"
#include "vetting.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_REFUSED 1
#define EXIT_USAGE 2
#define EXIT_UNVETTED 3
#define MAX_ARTIFACTS 4096

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

/* The gate asks: may pip have this artifact? Called from the gate's threads. */
static int gate_vet(void *ud, const char *project, const char *filename, const unsigned char *data,
                    size_t len, const char *sha256_hex)
{
	struct vetted_set *s = ud;
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
	if (isatty(2))
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
	/* Options in requirements files reach pip directly: it would read
	 * find-links archives or other indexes there without the gate. */
	char where[600];
	int scan = pv_pip_reqfiles_scan(&a, where, sizeof where);
	/* Code from outside the indexes (a path, a URL, an editable) would be
	 * read and built by pip itself while resolving, and the hand-off
	 * cannot install it anyway: refused before pip runs. */
	for (size_t i = 0; scan == 0 && i < a.nreqs + a.neditables; i++) {
		const char *q = i < a.nreqs ? a.reqs[i] : a.editables[i - a.nreqs];
		if (i >= a.nreqs || pv_pip_req_outside_index(q)) {
			snprintf(where, sizeof where, "%.300s", q);
			scan = 2;
		}
	}
	if (scan != 0) {
		snprintf(err, sizeof err, "%s%s: nothing was installed", where,
		         scan == 1 ? " in a requirements file: pip would use it without vetting what it finds "
		                     "there; give it on the command line instead"
		         : scan == 2 ? ": local-path, URL, VCS and editable requirements cannot be installed through "
		                       "pkgvet yet (pip would build them before they were vetted)"
		                     : "");
		pv_shim_fail("pkgvet-pip", NULL, err);
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
	set.dopts = (struct pv_decide_opts){
		.judge = judge, .tool = "pip", .command = command, .yes = pv_shim_env_yes(),
		.interactive = true, .out = stderr, .scripts_required = true,
	};
	struct pv_gate_opts go = {.upstreams = (const char *const *)upstreams,
	                          .find_links = (const char *const *)find_links, .vet = gate_vet, .ud = &set};
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
	char report_path[PATH_MAX], reqfile[PATH_MAX]; /* tmpdir is at most PATH_MAX / 2 */
	snprintf(report_path, sizeof report_path, "%s/report.json", tmpdir);
	snprintf(reqfile, sizeof reqfile, "%s/vetted-requirements.txt", tmpdir);

	/* 1. Resolve through the gate. */
	rc = resolve(&exe, argc, argv, &a, pv_gate_index_url(gate), env, report_path, &rep);
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
	const char **digests = calloc(rep.n ? rep.n : 1, sizeof *digests);
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
	if (pins.n < rep.n) {
		pv_shim_fail("pkgvet-pip", NULL, "the install set has packages from outside the indexes (local paths, URLs, VCS); "
		           "installing those through pkgvet is not supported yet: nothing was installed");
		free(digests);
		rc = EXIT_UNVETTED;
		goto out;
	}
	char *text = pv_pip_pins_text(pins.v, pins.n);
	if (!text || pv_gate_vetted_only(gate, digests, nd) < 0 ||
	    pv_write_new(reqfile, text, strlen(text)) < 0) {
		free(text);
		free(digests);
		pv_shim_fail("pkgvet-pip", NULL, "cannot write the vetted requirements");
		rc = EXIT_UNVETTED;
		goto out;
	}
	free(text);
	free(digests);
	struct pv_argv ha = {0};
	if (pv_pip_handoff_argv(&exe, argc, argv, &a, pv_gate_index_url(gate), reqfile, &ha, err,
	                        sizeof err) < 0) {
		pv_shim_fail("pkgvet-pip", NULL, err);
		pv_argv_free(&ha);
		rc = EXIT_UNVETTED;
		goto out;
	}
	rc = pv_run(ha.v, NULL, env, 0, err, sizeof err);
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
	if (gate)
		pv_gate_stop(gate);
	if (have_tmp) {
		char p[PATH_MAX];
		snprintf(p, sizeof p, "%s/report.json", tmpdir);
		unlink(p);
		snprintf(p, sizeof p, "%s/vetted-requirements.txt", tmpdir);
		unlink(p);
		rmdir(tmpdir);
	}
	free(pins.v);
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
