/* npm_shim.c - `pkgvet npm ...`, the vetting half of the npm (and npx)
 * shim; pkgvet-npm (main_npm.c) hands over to it for every command that
 * fetches packages.
 *
 * A command that fetches packages goes: resolve (npm in a private copy of
 * the project, lock-only, no scripts) -> vet the install set -> decide
 * (policy, prompt, noninteractive) -> hand off (the real npm installs the
 * vetted tree; only approved install scripts run) -> check what landed.
 * Every other command is passed straight through with exec(), so it costs
 * nothing measurable. */
#include "decide.h"
#include "shim_msg.h"
#include "escape.h"
#include "npm_shim.h"
#include "judge.h"
#include "npm_args.h"
#include "npm_handoff.h"
#include "npm_resolve.h"
#include "npm_vet.h"
#include "npmrc.h"
#include "real_tool.h"
#include "run.h"
#include "vetting.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXIT_REFUSED 1
#define EXIT_USAGE 2
#define EXIT_UNVETTED 3

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* npm's project root: --prefix, else the nearest directory upward with a
 * package.json (or node_modules), else the current directory. */
static void project_root(const struct pv_npm_args *a, char *out, size_t n)
{
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		snprintf(cwd, sizeof cwd, ".");
	if (a->prefix) {
		if (!realpath(a->prefix, out))
			snprintf(out, n, "%s", a->prefix);
		return;
	}
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", cwd);
	for (;;) {
		char p[PATH_MAX + 32];
		snprintf(p, sizeof p, "%s/package.json", dir);
		bool hit = is_file(p);
		if (!hit) {
			snprintf(p, sizeof p, "%s/node_modules", dir);
			hit = is_dir(p);
		}
		if (hit) {
			snprintf(out, n, "%s", dir);
			return;
		}
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			break;
		*slash = 0;
	}
	snprintf(out, n, "%s", cwd);
}

/* The person's options to carry over to the hand-off: everything but the
 * command word and the specs. */
static char **carry_opts(int argc, char **argv, const struct pv_npm_args *a)
{
	char **out = calloc((size_t)argc + 1, sizeof *out);
	if (!out)
		return NULL;
	size_t k = 0;
	for (int i = 1; i < argc; i++) {
		if (i == a->cmd_index)
			continue;
		bool spec = false;
		for (size_t s = 0; s < a->nspecs && !spec; s++)
			spec = a->specs[s] == argv[i];
		if (!spec)
			out[k++] = argv[i];
	}
	out[k] = NULL;
	return out;
}

/* npm's loglevel as pkgvet's own verbosity: -1 quiet (silent, error, warn:
 * npm's -q, -s, --silent), 1 verbose (verbose, silly: --verbose, -dd), 0
 * otherwise (npm's default notice, http, timing, info). */
static int npm_verbosity(const char *loglevel)
{
	if (!loglevel)
		return 0;
	if (!strcmp(loglevel, "silent") || !strcmp(loglevel, "error") || !strcmp(loglevel, "warn"))
		return -1;
	return !strcmp(loglevel, "verbose") || !strcmp(loglevel, "silly");
}

/* "N packages to add, M to change" */
static void say_plan(const struct pv_npm_plan *p)
{
	size_t add = 0, change = 0;
	for (size_t i = 0; i < p->n; i++)
		p->changes[i].old_version ? change++ : add++;
	fprintf(stderr, "resolving\xe2\x80\xa6 %zu package%s to add, %zu to change\n", add, add == 1 ? "" : "s",
	        change);
}

/* A path inside the project (relative, never climbing out of it). */
static bool inside_project(const char *p)
{
	if (p && strncmp(p, "file:", 5) == 0)
		p += 5;
	if (!p || !*p || p[0] == '/')
		return false;
	size_t n = strlen(p);
	bool climbs = strcmp(p, "..") == 0 || strncmp(p, "../", 3) == 0 || strstr(p, "/../") ||
	              (n >= 3 && strcmp(p + n - 3, "/..") == 0);
	return !climbs;
}

/* The project's own workspace packages (links and folders inside the
 * project) are its own code, not something npm fetches: they are moved
 * to the end of the plan and not vetted. Returns how many remain to vet. */
static size_t own_code_last(struct pv_npm_plan *p)
{
	size_t k = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct pv_npm_change *c = &p->changes[i];
		bool local = c->source == PV_LOCK_LINK || c->source == PV_LOCK_FILE;
		const char *where = c->resolved ? c->resolved : c->path;
		if (local && inside_project(where))
			continue;
		if (i != k) {
			struct pv_npm_change t = p->changes[k];
			p->changes[k] = p->changes[i];
			p->changes[i] = t;
		}
		k++;
	}
	return k;
}

/* exec / npx / init: the vetted tree was installed into the plan's private
 * project; run the command from there, in the person's directory. */
static int run_exec(const struct pv_npm_args *a, const struct pv_npm_plan *p, char *err, size_t errlen)
{
	char bindir[PATH_MAX + 32], path_env[PATH_MAX * 2];
	snprintf(bindir, sizeof bindir, "%s/node_modules/.bin", p->workdir);
	const char *old_path = getenv("PATH");
	snprintf(path_env, sizeof path_env, "PATH=%s%s%s", bindir, old_path ? ":" : "", old_path ? old_path : "");
	char *extra[] = {path_env, NULL};
	struct pv_argv cmd = {0};
	if (a->exec_is_call && a->exec_command) {
		pv_argv_add(&cmd, "/bin/sh");
		pv_argv_add(&cmd, "-c");
		pv_argv_add(&cmd, a->exec_command);
	} else {
		/* The command: as given, else the package's own bin (npx's rule:
		 * the bin named like the package, or its only bin). */
		const char *c = a->exec_command;
		char name[512];
		if (!c || (a->verb == PV_NPM_INIT)) {
			const char *spec = a->nspecs ? a->specs[0] : NULL;
			if (!spec) {
				snprintf(err, errlen, "nothing to run");
				return -1;
			}
			const char *at = strchr(spec[0] == '@' ? spec + 1 : spec, '@');
			size_t l = at ? (size_t)(at - spec) : strlen(spec);
			const char *slash = memchr(spec, '/', l);
			if (slash) {
				l -= (size_t)(slash + 1 - spec);
				spec = slash + 1;
			}
			snprintf(name, sizeof name, "%.*s", (int)l, spec);
			c = name;
		}
		char bin[PATH_MAX * 2];
		snprintf(bin, sizeof bin, "%s/%s", bindir, c);
		if (!is_file(bin)) {
			snprintf(err, errlen, "the vetted packages have no command \"%.200s\"", c);
			return -1;
		}
		pv_argv_add(&cmd, bin);
		for (size_t i = 0; i < a->nexec_args; i++)
			pv_argv_add(&cmd, a->exec_args[i]);
	}
	int rc = cmd.oom ? -1 : pv_run(cmd.v, NULL, extra, 0, err, errlen);
	pv_argv_free(&cmd);
	return rc;
}

/* Does the person's npm configuration (.npmrc files, npm_config_*) say
 * ignore-scripts=true? Then no script runs after the hand-off either. */
static bool npm_ignores_scripts(const char *project)
{
	struct pv_npmrc cfg;
	char err[600];
	bool on = pv_npmrc_load(&cfg, project, NULL, err, sizeof err) == 0 && cfg.ignore_scripts;
	pv_npmrc_free(&cfg);
	return on;
}

static int pass_through(bool npx, char **argv)
{
	char real[PATH_MAX], err[700];
	const char *tool = npx ? "npx" : "npm";
	if (pv_real_tool(tool, npx ? "PKGVET_REAL_NPX" : "PKGVET_REAL_NPM", real, sizeof real, err,
	                 sizeof err) < 0) {
		pv_shim_fail("pkgvet-npm", NULL, err);
		return EXIT_UNVETTED;
	}
	pv_exec_real(real, argv, err, sizeof err);
	pv_shim_fail("pkgvet-npm", NULL, err);
	return EXIT_UNVETTED;
}

int pv_npm_shim_main(int argc, char **argv, bool npx)
{
	struct pv_npm_args a;
	char err[2048];
	if (pv_npm_args_parse(argc, argv, npx, &a, err, sizeof err) < 0) {
		pv_shim_fail("pkgvet-npm", NULL, err);
		return EXIT_USAGE;
	}
	/* Installs nothing: straight to npm, no delay. */
	if (a.verb == PV_NPM_PASS || a.help || a.version || a.dry_run || a.package_lock_only) {
		pv_npm_args_free(&a);
		return pass_through(npx, argv);
	}
	char real_npm[PATH_MAX];
	if (pv_real_tool("npm", "PKGVET_REAL_NPM", real_npm, sizeof real_npm, err, sizeof err) < 0) {
		pv_shim_fail("pkgvet-npm", NULL, err);
		pv_npm_args_free(&a);
		return EXIT_UNVETTED;
	}

	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	struct pv_judge *judge = calloc(1, sizeof *judge);
	if (!judge || pv_judge_init(judge, err, sizeof err) < 0) {
		pv_shim_fail("pkgvet-npm", NULL, judge ? err : "out of memory");
		free(judge);
		pv_npm_args_free(&a);
		return EXIT_USAGE;
	}
	int rc = 0;
	bool exec_mode = a.verb == PV_NPM_EXEC || a.verb == PV_NPM_INIT;
	bool global = a.global || exec_mode;
	char project[PATH_MAX];
	project_root(&a, project, sizeof project);
	char **opts = carry_opts(argc, argv, &a);
	struct pv_vetting vet;
	bool vet_ok = opts && pv_vetting_init(&vet, judge, true, 0, pv_shim_warn, "pkgvet-npm") == 0;
	struct pv_npm_plan plan = {0};
	struct pv_vetted *v = NULL;
	size_t nvet = 0;
	if (!vet_ok) {
		pv_shim_fail("pkgvet-npm", NULL, "out of memory");
		rc = EXIT_UNVETTED;
		goto out;
	}
	if (a.registry)
		vet.npm.registry = a.registry;
	if (!global)
		snprintf(vet.project_dir, sizeof vet.project_dir, "%s", project);

	/* exec / init resolve "npm install SPECS" in an empty private project. */
	struct pv_argv rargs = {0};
	if (exec_mode) {
		pv_argv_add(&rargs, "install");
		for (size_t i = 0; i < a.nspecs; i++)
			pv_argv_add(&rargs, a.specs[i]);
		if (a.registry) {
			pv_argv_add(&rargs, "--registry");
			pv_argv_add(&rargs, a.registry);
		}
	}
	char npm_cache_env[64] = "npm_config_update_notifier=false";
	const char *extra_env[] = {npm_cache_env, NULL};
	char node_modules[PATH_MAX + 16];
	snprintf(node_modules, sizeof node_modules, "%s/node_modules", project);
	struct pv_npm_resolve_opts ro = {
		.real_npm = real_npm,
		.project_dir = global ? NULL : project,
		.npm_args = exec_mode ? rargs.v : argv + 1,
		.full = a.verb == PV_NPM_CI || a.ci_style || global || !is_dir(node_modules),
		.global = global,
		.extra_env = extra_env,
		.cancel = &interrupted,
	};
	if (exec_mode && (rargs.oom || a.nspecs == 0)) {
		pv_shim_fail("pkgvet-npm", NULL, rargs.oom ? "out of memory" : "npm exec: no package to run");
		pv_argv_free(&rargs);
		rc = EXIT_USAGE;
		goto out;
	}
	bool tty = isatty(2);
	int verbosity = npm_verbosity(a.loglevel);
	double t0 = pv_shim_clock();
	if (tty && verbosity >= 0)
		fputs("resolving\xe2\x80\xa6\r", stderr);
	int prc = pv_npm_resolve_tree(&ro, &plan, err, sizeof err);
	pv_argv_free(&rargs);
	if (prc != 0) {
		pv_shim_fail("pkgvet-npm", "cannot work out what npm would install", prc == -2 ? "out of memory" : err);
		fputs("pkgvet-npm: nothing was installed\n", stderr);
		rc = interrupted ? 130 : EXIT_UNVETTED;
		goto out;
	}
	if (verbosity >= 0)
		say_plan(&plan);
	nvet = own_code_last(&plan);
	v = pv_npm_vet_changes(plan.changes, nvet, &vet.npm, plan.lockfile_name,
	                       tty && verbosity >= 0 ? stderr : NULL);
	if (!v && nvet) {
		pv_shim_fail("pkgvet-npm", NULL, "out of memory");
		rc = EXIT_UNVETTED;
		goto out;
	}
	if (interrupted) {
		fputs("pkgvet-npm: interrupted: nothing was installed\n", stderr);
		rc = 130;
		goto out;
	}
	char command[1024];
	pv_shim_command_line(command, sizeof command, argc, argv, npx ? "npx" : "npm");
	struct pv_decide_opts dopts = {
		.judge = judge, .tool = "npm", .command = command, .yes = a.yes || pv_shim_env_yes(),
		.interactive = true, .color = false, .out = stderr,
		.quiet = verbosity < 0, .verbose = verbosity > 0, .seconds = pv_shim_clock() - t0,
	};
	int drc = pv_decide(v, nvet, &dopts);
	if (drc != PV_DECIDE_OK) {
		fputs("pkgvet-npm: nothing was installed\n", stderr);
		rc = drc;
		goto out;
	}
	struct pv_npm_handoff h = {
		.real_npm = real_npm,
		.project_dir = exec_mode ? plan.workdir : global ? NULL : project,
		.plan = &plan,
		.v = v,
		.n = nvet,
		.ci = exec_mode || a.verb == PV_NPM_CI || a.ci_style,
		.global = global && !exec_mode,
		.no_save = a.no_save,
		.user_ignore_scripts = a.ignore_scripts || npm_ignores_scripts(global ? NULL : project),
		.pass_opts = exec_mode ? NULL : opts,
		.then_run = a.verb == PV_NPM_INSTALL_TEST ? "test" : NULL,
		.out = stderr,
		.quiet_stdout = exec_mode,
	};
	rc = pv_npm_handoff(&h, err, sizeof err);
	if (rc == PV_HANDOFF_MISMATCH) {
		pv_shim_fail("pkgvet-npm", "what npm installed is NOT what was vetted", err);
	} else if (rc != 0) {
		pv_shim_fail("pkgvet-npm", NULL, err);
	} else if (exec_mode) {
		rc = run_exec(&a, &plan, err, sizeof err);
		if (rc < 0) {
			pv_shim_fail("pkgvet-npm", NULL, err);
			rc = EXIT_UNVETTED;
		}
	}
out:
	pv_vetted_free(v, nvet);
	pv_npm_plan_free(&plan);
	if (vet_ok)
		pv_vetting_free(&vet);
	free(opts);
	pv_judge_free(judge);
	free(judge);
	pv_npm_args_free(&a);
	return rc;
}
