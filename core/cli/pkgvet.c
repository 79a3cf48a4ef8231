/* pkgvet.c - main(): dispatch to a subcommand, git-style. */
#include "cli.h"
#include "escape.h"
#include "policy.h"
#include "tool_lock.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef PKGVET_VERSION
#define PKGVET_VERSION "0"
#endif

static const char usage[] =
	"usage: pkgvet <command> [options]\n"
	"\n"
	"commands:\n"
	"  audit INPUT...    vet packages: local (.tgz, .tar.gz, .zip, .whl, a directory),\n"
	"                    npm:NAME[@SPEC], pypi:NAME[SPEC], --lockfile, -r requirements\n"
	"  explain [ID]      show an attribute of the catalogue (all ids without ID)\n"
	"  policy show|check the effective policy and where each value comes from;\n"
	"                    validate a policy file (docs/policy.md)\n"
	"  approve PATH...   record approvals of packages' current permissions\n"
	"  cache path|stats|clear   the analysis cache\n"
	"  doctor            check the setup: real tools, shims, PATH, hooks, policy,\n"
	"                    cache, endpoints (exit 1 when something is broken)\n"
	"  npm ARGS...       run npm ARGS, vetting every package it would install first\n"
	"                    (what the pkgvet-npm shim runs); npx ARGS... likewise\n"
	"  pip ARGS...       run pip ARGS (install, download, wheel), vetting every\n"
	"                    distribution before pip may use it (the pkgvet-pip shim)\n"
	"  init bash|zsh|fish  print shell hooks: npm, pip, python -m pip... through pkgvet\n"
	"  help              this text\n"
	"  version           print the version\n"
	"\n"
	"pkgvet COMMAND --help shows a command's options; man pkgvet, pkgvet-npm,\n"
	"pkgvet-pip, pkgvet-policy(5) describe everything.\n"
	"\n"
	"exit status: 0 allowed, 1 blocked, 2 usage error, 3 could not vet;\n"
	"doctor: 0 nothing broken, 1 something is broken\n";

void pv_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("pkgvet: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void pv_err_text(const char *text)
{
	fputs("pkgvet: ", stderr);
	pv_fputs_term0(stderr, text);
	fputc('\n', stderr);
}

void pv_print_policy_warnings(const struct pv_policy *pol)
{
	for (size_t i = 0; i < pol->nwarnings; i++) {
		fputs("pkgvet: warning: ", stderr);
		pv_fputs_term0(stderr, pol->warnings[i]);
		fputc('\n', stderr);
	}
}

bool pv_use_color(FILE *f, const char *when)
{
	if (when && strcmp(when, "always") == 0)
		return true;
	if (when && strcmp(when, "never") == 0)
		return false;
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return false;
	const char *term = getenv("TERM");
	if (term && strcmp(term, "dumb") == 0)
		return false;
	return isatty(fileno(f));
}

const char *cli_shown(const char *s, char *out)
{
	size_t k = 0;
	for (const char *p = s; *p && k < 64; p++)
		out[k++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
	out[k] = 0;
	return out;
}

void cli_bad_option(const char *sub, int c, char **argv)
{
	char shown[65], opt[3] = {'-', (char)optopt, 0};
	const char *w = argv[optind - 1], *what = c == ':' ? "missing argument for" : "unknown option";
	/* optopt names a short option, which may sit inside a cluster such as
	 * -vx (then optind has not moved past it yet), or a long option given
	 * a value it does not take (--json=1); a long one is named by its word,
	 * without any =value. */
	const char *next = argv[optind];
	bool in_cluster = next && next[0] == '-' && next[1] != '-' && strchr(next, optopt);
	if (c == '?' && optopt) {
		if (strncmp(w, "--", 2) == 0 && strchr(w, '=') && !in_cluster)
			what = "no argument allowed for";
		else
			w = opt;
	}
	cli_shown(w, shown);
	char *eq = strncmp(shown, "--", 2) == 0 ? strchr(shown, '=') : NULL;
	if (eq)
		*eq = 0;
	pv_err("%s: %s '%s' (pkgvet %s --help)", sub, what, shown, sub);
}

void cli_command_line(char *buf, size_t n, int argc, char **argv)
{
	size_t o = 0;
	buf[0] = 0;
	const char *words[1] = {"pkgvet"};
	for (int i = -1; i < argc && o + 4 < n; i++) {
		const char *w = i < 0 ? words[0] : argv[i];
		bool quote = strpbrk(w, " \t'\"\\$`") != NULL || !*w;
		int k = snprintf(buf + o, n - o, o ? (quote ? " '%s'" : " %s") : "%s", w);
		if (k < 0 || (size_t)k >= n - o) {
			buf[o] = 0;
			break;
		}
		o += (size_t)k;
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return PV_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "audit") == 0)
		return cmd_audit(argc - 1, argv + 1);
	if (strcmp(cmd, "explain") == 0)
		return cmd_explain(argc - 1, argv + 1);
	if (strcmp(cmd, "policy") == 0)
		return cmd_policy(argc - 1, argv + 1);
	if (strcmp(cmd, "approve") == 0)
		return cmd_approve(argc - 1, argv + 1);
	if (strcmp(cmd, "cache") == 0)
		return cmd_cache(argc - 1, argv + 1);
	if (strcmp(cmd, "doctor") == 0)
		return cmd_doctor(argc - 1, argv + 1);
	/* Run directly or by a front door: the org's lock on PKGVET_REAL_*
	 * holds either way (after a front door it finds nothing left to do). */
	if (strcmp(cmd, "npm") == 0 || strcmp(cmd, "npx") == 0) {
		pv_tool_lock_apply("pkgvet", PV_TOOL_NPM);
		return cmd_npm(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "pip") == 0 || strcmp(cmd, "pip3") == 0) {
		pv_tool_lock_apply("pkgvet", PV_TOOL_PIP);
		return cmd_pip(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "init") == 0)
		return cmd_init(argc - 1, argv + 1);
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(usage, stdout);
		return PV_EXIT_OK;
	}
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		if (argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
			puts("usage: pkgvet version\n\nPrints pkgvet's version (also: pkgvet --version).");
			return PV_EXIT_OK;
		}
		if (argc > 2) {
			pv_err("version takes no arguments (pkgvet version --help)");
			return PV_EXIT_USAGE;
		}
		printf("pkgvet %s\n", PKGVET_VERSION);
		return PV_EXIT_OK;
	}
	char shown[65];
	pv_err("unknown command '%s' (try: pkgvet help)", cli_shown(cmd, shown));
	return PV_EXIT_USAGE;
}
