/* cmd_audit.c - `pkgvet audit PATH|npm:SPEC|pypi:SPEC...`: vet local
 * packages and packages from the npm registry and Python package indexes,
 * and report. */
#include "cli.h"
#include "judge.h"
#include "cache.h"
#include "escape.h"
#include "package.h"
#include "remote_lockfile.h"
#include "remote_npm.h"
#include "remote_pypi.h"
#include "remote_requirements.h"
#include "report.h"
#include "vetting.h"
#include "workpool.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#define PV_AUDIT_MAX_INPUTS 10000
#define PV_AUDIT_MAX_LISTS 64 /* --lockfile options */

static const char usage[] =
	"usage: pkgvet audit [options] PATH|npm:NAME[@SPEC]|pypi:NAME[SPEC]...\n"
	"       pkgvet audit [options] --lockfile package-lock.json\n"
	"       pkgvet audit [options] -r requirements.txt\n"
	"\n"
	"Vet local packages: npm tarballs (.tgz), Python sdists (.tar.gz, .zip) and wheels\n"
	"(.whl), or unpacked package directories. Nothing in them is executed.\n"
	"npm:NAME[@VERSION|RANGE|TAG] (e.g. npm:express@4, npm:@babel/core) fetches the\n"
	"package from the npm registry (policy npm_registry, else .npmrc), checks its\n"
	"integrity, and adds its metadata attributes and OSV advisories.\n"
	"pypi:NAME[SPEC] (e.g. pypi:requests==2.32.3, 'pypi:django>=4,<5') resolves the\n"
	"PEP 440 specifier on the Python index (policy pypi_index, else pip's\n"
	"configuration) and vets every file of the release (the sdist and each wheel),\n"
	"each checked against its sha256, with metadata attributes and OSV advisories.\n"
	"\n"
	"options:\n"
	"  --lockfile FILE     vet every package of an npm package-lock.json or\n"
	"                      npm-shrinkwrap.json (repeatable): registry packages as\n"
	"                      npm:NAME@VERSION, also checked against the lockfile's\n"
	"                      integrity; git, file, link and tarball-URL entries are\n"
	"                      reported as url-dependency\n"
	"  -r, --requirement FILE\n"
	"                      vet every requirement of a pip requirements file\n"
	"                      (repeatable): pinned NAME==VERSION lines as\n"
	"                      pypi:NAME==VERSION; URL and path requirements are\n"
	"                      reported as url-dependency; an unpinned line is a\n"
	"                      usage error\n"
	"  --json              print the report as JSON (schema pkgvet.audit/1, docs/json.md)\n"
	"  --fail-on ACTION    exit 1 when a package's verdict reaches ACTION\n"
	"                      (warn, prompt or block; default block)\n"
	"  -j, --jobs N        analysis threads (default: the number of CPUs; env PKGVET_THREADS)\n"
	"                      (packages are fetched and vetted 8 at a time; env PKGVET_FETCH_JOBS)\n"
	"  --color WHEN        auto, always or never (default auto; NO_COLOR is honoured)\n"
	"  -q, --quiet         print only the summary line and errors\n"
	"  -v, --verbose       also list allow-level findings\n"
	"  --no-cache          analyse again even when the cache has this artifact\n"
	"  -h, --help          this text\n"
	"\n"
	"exit status: 0 allowed, 1 blocked, 2 usage error, 3 could not vet\n";

static int parse_uint(const char *s, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || v < 1 || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static void warn_line(const char *line, void *ud)
{
	(void)ud;
	fputs("pkgvet: warning: ", stderr);
	pv_fputs_term0(stderr, line);
	fputc('\n', stderr);
}

/* Room for one more package in *pkgs (zeroed). NULL on ENOMEM. */
static struct pv_package *grow(struct pv_package **pkgs, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct pv_package *v = realloc(*pkgs, nc * sizeof *v);
		if (!v)
			return NULL;
		*pkgs = v;
		*cap = nc;
	}
	struct pv_package *p = &(*pkgs)[(*n)++];
	memset(p, 0, sizeof *p);
	return p;
}

static void report_error(const struct pv_package *p)
{
	fputs("pkgvet: ", stderr);
	pv_fputs_term0(stderr, p->input);
	fputs(": ", stderr);
	pv_fputs_term0(stderr, p->error ? p->error : "could not be vetted");
	fputc('\n', stderr);
}

static void free_reqs(struct pv_reqfile *rfs, int n)
{
	for (int i = 0; i < n; i++)
		pv_reqfile_free(&rfs[i]);
}

/* Judge one vetted package, log the decision and print its text report. */
static void judge_and_show(struct pv_judge *judge, struct pv_package *p, const char *command,
                           bool show, const struct pv_text_opts *topts)
{
	char err[1024];
	struct pv_judgement jd = pv_judge_package(judge, p);
	p->verdict = jd.verdict;
	p->decided_by = pv_decider_name(jd.decided_by);
	p->added_perms = jd.added_perms;
	if (p->status != PV_PKG_OK)
		report_error(p);
	if (pv_judge_log(judge, p, &jd, command, err, sizeof err) < 0) {
		fputs("pkgvet: warning: decision log: ", stderr);
		pv_fputs_term0(stderr, err);
		fputc('\n', stderr);
	}
	if (show)
		pv_report_text_package(stdout, p, topts);
}

/* What one input (a path, a spec, a lockfile, a requirements file) gave. */
struct job_result {
	struct pv_package *got;
	size_t ngot;
	int arc; /* -1: out of memory while vetting it */
};

struct audit_jobs {
	int nlock, nreq;
	const char *const *lockfiles, *const *reqpaths;
	char *const *specs;
	const struct pv_reqfile *rfs;
	const struct pv_audit_opts *opts;
	const struct pv_remote_npm_opts *ropts;
	const struct pv_remote_pypi_opts *popts;
	struct job_result *r;
};

/* Jobs are the lockfiles, then the requirements files, then the inputs. */
static const char *job_input(const struct audit_jobs *j, size_t i)
{
	if (i < (size_t)j->nlock)
		return j->lockfiles[i];
	if (i < (size_t)(j->nlock + j->nreq))
		return j->reqpaths[i - (size_t)j->nlock];
	return j->specs[i - (size_t)(j->nlock + j->nreq)];
}

static void audit_job(size_t i, void *ud)
{
	struct audit_jobs *j = ud;
	struct job_result *r = &j->r[i];
	const char *in = job_input(j, i);
	if (i < (size_t)j->nlock) {
		r->arc = pv_audit_npm_lockfile(&r->got, &r->ngot, in, j->ropts);
	} else if (i < (size_t)(j->nlock + j->nreq)) {
		r->arc = pv_audit_pypi_requirements(&r->got, &r->ngot, &j->rfs[i - (size_t)j->nlock], j->popts);
	} else if (pv_is_pypi_spec(in)) {
		r->arc = pv_audit_pypi_spec(&r->got, &r->ngot, in, j->popts);
	} else {
		struct pv_package *one = calloc(1, sizeof *one);
		if (!one) {
			r->arc = -1;
			return;
		}
		r->arc = pv_is_npm_spec(in) ? pv_audit_npm_spec(one, in, j->ropts)
		                            : pv_package_audit_path(one, in, j->opts);
		r->got = one;
		r->ngot = 1;
	}
}

int cmd_audit(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'J'},     {"fail-on", required_argument, NULL, 'F'},
		{"jobs", required_argument, NULL, 'j'}, {"color", required_argument, NULL, 'C'},
		{"verbose", no_argument, NULL, 'v'},  {"help", no_argument, NULL, 'h'},
		{"no-cache", no_argument, NULL, 'N'}, {"lockfile", required_argument, NULL, 'L'},
		{"requirement", required_argument, NULL, 'r'}, {"quiet", no_argument, NULL, 'q'},
		{NULL, 0, NULL, 0},
	};
	bool json = false, use_cache = true, quiet = false;
	const char *color = NULL;
	int fail_on = PV_BLOCK;
	unsigned threads = 0;
	struct pv_text_opts topts = {0};
	const char *env_threads = getenv("PKGVET_THREADS");
	if (env_threads && *env_threads && parse_uint(env_threads, 64, &threads) < 0) {
		pv_err("PKGVET_THREADS must be a number from 1 to 64");
		return PV_EXIT_USAGE;
	}
	const char *lockfiles[PV_AUDIT_MAX_LISTS], *reqpaths[PV_AUDIT_MAX_LISTS];
	int nlock = 0, nreq = 0;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+:j:vqhr:", longopts, NULL)) != -1) {
		switch (c) {
		case 'L':
			if (nlock == PV_AUDIT_MAX_LISTS) {
				pv_err("too many --lockfile options (at most %d)", PV_AUDIT_MAX_LISTS);
				return PV_EXIT_USAGE;
			}
			if (access(optarg, R_OK) != 0) {
				pv_err("cannot read the lockfile %s", optarg);
				return PV_EXIT_USAGE;
			}
			lockfiles[nlock++] = optarg;
			break;
		case 'r':
			if (nreq == PV_AUDIT_MAX_LISTS) {
				pv_err("too many -r options (at most %d)", PV_AUDIT_MAX_LISTS);
				return PV_EXIT_USAGE;
			}
			reqpaths[nreq++] = optarg;
			break;
		case 'J':
			json = true;
			break;
		case 'F':
			fail_on = pv_action_parse(optarg);
			if (fail_on < PV_WARN) {
				pv_err("--fail-on takes warn, prompt or block");
				return PV_EXIT_USAGE;
			}
			break;
		case 'j':
			if (parse_uint(optarg, 64, &threads) < 0) {
				pv_err("--jobs takes a number from 1 to 64");
				return PV_EXIT_USAGE;
			}
			break;
		case 'C':
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never")) {
				pv_err("--color takes auto, always or never");
				return PV_EXIT_USAGE;
			}
			color = optarg;
			break;
		case 'v': /* the last of -q and -v wins */
			topts.verbose = true;
			quiet = false;
			break;
		case 'q':
			quiet = true;
			topts.verbose = false;
			break;
		case 'N':
			use_cache = false;
			break;
		case 'h':
			fputs(usage, stdout);
			return PV_EXIT_OK;
		default:
			cli_bad_option("audit", c, argv);
			return PV_EXIT_USAGE;
		}
	}
	int n = argc - optind;
	if (n < 1 && nlock == 0 && nreq == 0) {
		pv_err("audit needs at least one package path, npm: or pypi: spec (pkgvet audit --help)");
		return PV_EXIT_USAGE;
	}
	if (n > PV_AUDIT_MAX_INPUTS) {
		pv_err("too many inputs (at most %d)", PV_AUDIT_MAX_INPUTS);
		return PV_EXIT_USAGE;
	}
	/* Requirements files are read first: an unpinned line is a usage error. */
	struct pv_reqfile rfs[PV_AUDIT_MAX_LISTS];
	memset(rfs, 0, sizeof rfs);
	for (int i = 0; i < nreq; i++) {
		char rerr[1024];
		int lrc = pv_requirements_load(reqpaths[i], &rfs[i], rerr, sizeof rerr);
		if (lrc < 0) {
			if (lrc == -2)
				pv_err("out of memory");
			else
				pv_err_text(rerr);
			free_reqs(rfs, i);
			return lrc == -2 ? PV_EXIT_UNVETTED : PV_EXIT_USAGE;
		}
	}
	topts.color = !json && pv_use_color(stdout, color);

	struct pv_judge *judge = malloc(sizeof *judge);
	char err[1024];
	if (!judge) {
		pv_err("out of memory");
		free_reqs(rfs, nreq);
		return PV_EXIT_UNVETTED;
	}
	if (pv_judge_init(judge, err, sizeof err) < 0) {
		/* An invalid or unreadable policy is never replaced by defaults. */
		pv_err_text(err);
		pv_judge_free(judge);
		free(judge);
		free_reqs(rfs, nreq);
		return PV_EXIT_USAGE;
	}
	pv_print_policy_warnings(&judge->policy);
	size_t npkgs = 0, cap = (size_t)n;
	struct pv_package *pkgs = calloc(cap, sizeof *pkgs);
	if (!pkgs) {
		pv_err("out of memory");
		pv_judge_free(judge);
		free(judge);
		free_reqs(rfs, nreq);
		return PV_EXIT_UNVETTED;
	}
	char command[512];
	cli_command_line(command, sizeof command, argc, argv);
	struct pv_vetting vet;
	if (pv_vetting_init(&vet, judge, use_cache, threads, warn_line, NULL) < 0) {
		pv_err("out of memory");
		free(pkgs);
		pv_judge_free(judge);
		free(judge);
		free_reqs(rfs, nreq);
		return PV_EXIT_UNVETTED;
	}
	int rc = PV_EXIT_OK;
	bool oom = false;
	/* Every input is vetted at once (mostly network waits), then judged and
	 * shown in the order given. */
	struct audit_jobs jobs = {.nlock = nlock, .nreq = nreq, .lockfiles = lockfiles,
	                          .reqpaths = reqpaths, .specs = argv + optind, .rfs = rfs,
	                          .opts = &vet.audit, .ropts = &vet.npm, .popts = &vet.pypi};
	size_t njobs = (size_t)(nlock + nreq + n);
	jobs.r = calloc(njobs, sizeof *jobs.r);
	if (!jobs.r) {
		pv_err("out of memory");
		oom = true;
	} else {
		pv_parallel_for(njobs, pv_fetch_workers(), audit_job, &jobs);
	}
	for (size_t i = 0; i < njobs && jobs.r; i++) {
		struct job_result *r = &jobs.r[i];
		if (!oom && r->arc < 0 && r->ngot == 0) {
			/* Out of memory with nothing to show: one entry that says so. */
			free(r->got);
			r->got = calloc(1, sizeof *r->got);
			if (!r->got || !(r->got->input = strdup(job_input(&jobs, i)))) {
				pv_err("out of memory");
				oom = true;
			} else {
				r->ngot = 1;
			}
		}
		for (size_t k = 0; k < r->ngot; k++) {
			struct pv_package *p = oom ? NULL : grow(&pkgs, &npkgs, &cap);
			if (!p) {
				if (!oom)
					pv_err("out of memory");
				oom = true;
				pv_package_free(&r->got[k]);
				continue;
			}
			*p = r->got[k];
			if (r->arc < 0) {
				/* Out of memory: what was found is incomplete, so it was not vetted. */
				p->status = PV_PKG_ERROR;
				free(p->error);
				p->error = strdup("out of memory while vetting");
			}
			judge_and_show(judge, p, command, !json && !quiet, &topts);
		}
		free(r->got);
	}
	free(jobs.r);
	if (oom) {
		for (size_t i = 0; i < npkgs; i++)
			pv_package_free(&pkgs[i]);
		free(pkgs);
		pv_vetting_free(&vet);
		pv_judge_free(judge);
		free(judge);
		free_reqs(rfs, nreq);
		return PV_EXIT_UNVETTED;
	}
	struct pv_summary sum;
	pv_summary_of(pkgs, npkgs, &sum);
	if (sum.exit_status == PV_EXIT_OK && sum.verdict >= fail_on)
		sum.exit_status = PV_EXIT_BLOCKED;
	if (json) {
		if (pv_report_json(stdout, pkgs, npkgs, &sum, PKGVET_VERSION) < 0) {
			pv_err("out of memory writing the JSON report");
			sum.exit_status = PV_EXIT_UNVETTED;
		}
	} else {
		pv_report_text_summary(stdout, &sum, &topts);
	}
	rc = sum.exit_status;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		pv_err("could not write the report");
		rc = PV_EXIT_UNVETTED;
	}
	for (size_t i = 0; i < npkgs; i++)
		pv_package_free(&pkgs[i]);
	free(pkgs);
	pv_vetting_free(&vet);
	pv_judge_free(judge);
	free(judge);
	free_reqs(rfs, nreq);
	return rc;
}
