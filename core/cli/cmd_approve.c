/* cmd_approve.c - `pkgvet approve [--project] PATH...`: vet packages and
 * record "always allow this artifact with these permissions" — what the
 * shims' prompt records on an [a]lways answer. A later version, or this
 * one grown new permissions, is not covered and asks again. */
#include "cli.h"
#include "escape.h"
#include "judge.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

extern const char pv_top_npm_txt[];
extern const size_t pv_top_npm_txt_len;
extern const char pv_top_pypi_txt[];
extern const size_t pv_top_pypi_txt_len;

static const char usage[] =
	"usage: pkgvet approve [--project] PATH...\n"
	"\n"
	"Vet each package and record an approval of exactly this artifact (its digest)\n"
	"with the permissions it uses now, so that a prompt-level verdict becomes allow.\n"
	"Blocked packages cannot be approved: only an [allow] entry in a policy file\n"
	"overrides a block. Directories cannot be approved (they have no digest).\n"
	"\n"
	"  --project   record in the project's .pkgvet-approvals.ini (commit it to share)\n"
	"              instead of $XDG_CONFIG_HOME/pkgvet/approvals.ini\n"
	"\n"
	"exit status: 0 recorded, 1 a package is blocked, 2 usage error, 3 could not vet\n";

static void say(FILE *f, const char *a, const char *b)
{
	pv_fputs_term0(f, a);
	if (b) {
		fputc(' ', f);
		pv_fputs_term0(f, b);
	}
}

int cmd_approve(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"project", no_argument, NULL, 'p'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	bool project = false;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		if (c == 'p')
			project = true;
		else if (c == 'h') {
			fputs(usage, stdout);
			return PV_EXIT_OK;
		} else {
			cli_bad_option("approve", c, argv);
			return PV_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		pv_err("approve needs at least one package path (pkgvet approve --help)");
		return PV_EXIT_USAGE;
	}
	struct pv_judge *judge = malloc(sizeof *judge);
	char err[1024];
	if (!judge || pv_judge_init(judge, err, sizeof err) < 0) {
		if (judge) {
			pv_err_text(err);
			pv_judge_free(judge);
		}
		free(judge);
		return PV_EXIT_USAGE;
	}
	char store[PATH_MAX + 64];
	int rc = PV_EXIT_OK;
	if (project ? pv_approvals_project_path(judge->project_root, store, sizeof store) < 0
	            : pv_approvals_user_path(store, sizeof store, err, sizeof err) < 0) {
		pv_err("cannot locate the approval file");
		rc = PV_EXIT_USAGE;
	}
	struct pv_audit_opts opts;
	pv_audit_opts_default(&opts);
	opts.top_npm = pv_top_npm_txt;
	opts.top_npm_len = pv_top_npm_txt_len;
	opts.top_pypi = pv_top_pypi_txt;
	opts.top_pypi_len = pv_top_pypi_txt_len;
	for (int i = optind; i < argc && rc != PV_EXIT_USAGE; i++) {
		struct pv_package pkg;
		if (pv_package_audit_path(&pkg, argv[i], &opts) < 0 || pkg.status != PV_PKG_OK) {
			fputs("pkgvet: ", stderr);
			say(stderr, argv[i], NULL);
			fputs(": ", stderr);
			pv_fputs_term0(stderr, pkg.error ? pkg.error : "out of memory");
			fputc('\n', stderr);
			rc = pkg.status == PV_PKG_NOENT ? PV_EXIT_USAGE : PV_EXIT_UNVETTED;
			pv_package_free(&pkg);
			continue;
		}
		struct pv_judgement jd = pv_judge_package(judge, &pkg);
		const char *refuse = NULL;
		if (jd.verdict == PV_BLOCK)
			refuse = "is blocked; only an [allow] entry in a policy file overrides a block";
		else if (!pkg.digest[0])
			refuse = "is a directory: only an artifact with a digest can be approved";
		else if (!pkg.name || !pkg.version)
			refuse = "has no name or version in its manifest";
		if (refuse) {
			fputs("pkgvet: ", stderr);
			say(stderr, argv[i], NULL);
			fprintf(stderr, ": %s\n", refuse);
			rc = jd.verdict == PV_BLOCK ? PV_EXIT_BLOCKED : PV_EXIT_USAGE;
			pv_package_free(&pkg);
			continue;
		}
		struct pv_approval rec = {0};
		rec.ecosystem = pkg.ecosystem;
		rec.name = pkg.name;
		rec.version = pkg.version;
		rec.digest = pkg.digest;
		rec.perms = pv_package_perms(&pkg);
		if (pv_approvals_record(store, &rec, err, sizeof err) < 0) {
			pv_err_text(err);
			rc = PV_EXIT_UNVETTED;
		} else {
			struct pv_judgement user = {PV_ALLOW, PV_DECIDED_USER, 0, true};
			char command[512];
			cli_command_line(command, sizeof command, argc, argv);
			if (pv_judge_log(judge, &pkg, &user, command, err, sizeof err) < 0) {
				fputs("pkgvet: warning: decision log: ", stderr);
				pv_fputs_term0(stderr, err);
				fputc('\n', stderr);
			}
			char perms[256];
			pv_perms_format(rec.perms, perms, sizeof perms);
			fputs("approved ", stdout);
			say(stdout, pkg.name, pkg.version);
			printf(" (%s) with permissions: %s\n  in ", pkg.digest, perms);
			pv_fputs_term0(stdout, store);
			fputc('\n', stdout);
		}
		pv_package_free(&pkg);
	}
	pv_judge_free(judge);
	free(judge);
	return rc;
}
