/* pip_args.c - classify a pip command line the way pip 23.2 reads it.
 *
 * The option and command tables are facts taken from pip 23.2.1
 * (pip/_internal/cli/cmdoptions.py, commands/__init__.py and the option
 * groups each command adds). The parsing rules are optparse's documented
 * behaviour and pip's main_parser; see pip_args.h. */
#include "pip_args.h"
#include "strvec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Which parsers know an option: the general group is in every parser (the
 * main one included); the others belong to the named commands. */
enum {
	IN_GEN = 1u << 0,
	IN_INSTALL = 1u << 1,
	IN_DOWNLOAD = 1u << 2,
	IN_WHEEL = 1u << 3,
};
#define IN_IDW (IN_INSTALL | IN_DOWNLOAD | IN_WHEEL)

/* What an option does to the result; F_NONE options are parsed (so their
 * values are consumed) but not recorded: the real pip gets them anyway. */
enum pv_field {
	F_NONE,
	F_HELP,
	F_VERSION,
	F_ISOLATED,
	F_PYTHON,
	F_QUIET,
	F_VERBOSE,
	F_REQ_FILE,
	F_CONSTRAINT,
	F_EDITABLE,
	F_INDEX_URL,
	F_EXTRA_INDEX,
	F_FIND_LINKS,
	F_NO_INDEX,
	F_UPGRADE,
	F_USER,
	F_NO_USER,
	F_PRE,
	F_NO_DEPS,
	F_REQUIRE_HASHES,
	F_DRY_RUN,
	F_FORCE_REINSTALL,
	F_IGNORE_INSTALLED,
	F_NO_BUILD_ISOLATION,
	F_TARGET,
	F_PREFIX,
	F_ROOT,
	F_REPORT,
	F_DEST,
	F_ONLY_BINARY,
	F_NO_BINARY,
	F_CONFIG_SETTINGS, /* not recorded; KEY=VAL checked as pip does */
};

struct pv_pip_opt {
	const char *longs[4]; /* every long spelling, "--" included */
	char shortc;          /* the short letter, or 0 */
	bool takes_value;     /* nargs=1: consumes one argument */
	enum pv_field field;
	unsigned in;          /* IN_* mask */
};

/* pip 23.2.1's options with the parsers that have them. */
static const struct pv_pip_opt pip_opts[] = {
	/* general group (cmdoptions.general_group) */
	{{"--help"}, 'h', false, F_HELP, IN_GEN},
	{{"--debug"}, 0, false, F_NONE, IN_GEN},
	{{"--isolated"}, 0, false, F_ISOLATED, IN_GEN},
	{{"--require-virtualenv", "--require-venv"}, 0, false, F_NONE, IN_GEN},
	{{"--python"}, 0, true, F_PYTHON, IN_GEN},
	{{"--verbose"}, 'v', false, F_VERBOSE, IN_GEN},
	{{"--version"}, 'V', false, F_VERSION, IN_GEN},
	{{"--quiet"}, 'q', false, F_QUIET, IN_GEN},
	{{"--log", "--log-file", "--local-log"}, 0, true, F_NONE, IN_GEN},
	{{"--no-input"}, 0, false, F_NONE, IN_GEN},
	{{"--keyring-provider"}, 0, true, F_NONE, IN_GEN},
	{{"--proxy"}, 0, true, F_NONE, IN_GEN},
	{{"--retries"}, 0, true, F_NONE, IN_GEN},
	{{"--timeout", "--default-timeout"}, 0, true, F_NONE, IN_GEN},
	{{"--exists-action"}, 0, true, F_NONE, IN_GEN},
	{{"--trusted-host"}, 0, true, F_NONE, IN_GEN},
	{{"--cert"}, 0, true, F_NONE, IN_GEN},
	{{"--client-cert"}, 0, true, F_NONE, IN_GEN},
	{{"--cache-dir"}, 0, true, F_NONE, IN_GEN},
	{{"--no-cache-dir"}, 0, false, F_NONE, IN_GEN},
	{{"--disable-pip-version-check"}, 0, false, F_NONE, IN_GEN},
	{{"--no-color"}, 0, false, F_NONE, IN_GEN},
	{{"--no-python-version-warning"}, 0, false, F_NONE, IN_GEN},
	{{"--use-feature"}, 0, true, F_NONE, IN_GEN},
	{{"--use-deprecated"}, 0, true, F_NONE, IN_GEN},
	/* index group (install, download, wheel) */
	{{"--index-url", "--pypi-url"}, 'i', true, F_INDEX_URL, IN_IDW},
	{{"--extra-index-url"}, 0, true, F_EXTRA_INDEX, IN_IDW},
	{{"--no-index"}, 0, false, F_NO_INDEX, IN_IDW},
	{{"--find-links"}, 'f', true, F_FIND_LINKS, IN_IDW},
	/* command options */
	{{"--requirement"}, 'r', true, F_REQ_FILE, IN_IDW},
	{{"--constraint"}, 'c', true, F_CONSTRAINT, IN_IDW},
	{{"--no-deps", "--no-dependencies"}, 0, false, F_NO_DEPS, IN_IDW},
	{{"--pre"}, 0, false, F_PRE, IN_IDW},
	{{"--editable"}, 'e', true, F_EDITABLE, IN_INSTALL | IN_WHEEL},
	{{"--dry-run"}, 0, false, F_DRY_RUN, IN_INSTALL},
	{{"--target"}, 't', true, F_TARGET, IN_INSTALL},
	{{"--platform"}, 0, true, F_NONE, IN_INSTALL | IN_DOWNLOAD},
	{{"--python-version"}, 0, true, F_NONE, IN_INSTALL | IN_DOWNLOAD},
	{{"--implementation"}, 0, true, F_NONE, IN_INSTALL | IN_DOWNLOAD},
	{{"--abi"}, 0, true, F_NONE, IN_INSTALL | IN_DOWNLOAD},
	{{"--user"}, 0, false, F_USER, IN_INSTALL},
	{{"--no-user"}, 0, false, F_NO_USER, IN_INSTALL},
	{{"--root"}, 0, true, F_ROOT, IN_INSTALL},
	{{"--prefix"}, 0, true, F_PREFIX, IN_INSTALL},
	{{"--src", "--source", "--source-dir", "--source-directory"}, 0, true, F_NONE, IN_IDW},
	{{"--upgrade"}, 'U', false, F_UPGRADE, IN_INSTALL},
	{{"--upgrade-strategy"}, 0, true, F_NONE, IN_INSTALL},
	{{"--force-reinstall"}, 0, false, F_FORCE_REINSTALL, IN_INSTALL},
	{{"--ignore-installed"}, 'I', false, F_IGNORE_INSTALLED, IN_INSTALL},
	{{"--ignore-requires-python"}, 0, false, F_NONE, IN_IDW},
	{{"--no-build-isolation"}, 0, false, F_NO_BUILD_ISOLATION, IN_IDW},
	{{"--use-pep517"}, 0, false, F_NONE, IN_IDW},
	{{"--no-use-pep517"}, 0, false, F_NONE, IN_IDW},
	{{"--check-build-dependencies"}, 0, false, F_NONE, IN_IDW},
	{{"--break-system-packages"}, 0, false, F_NONE, IN_INSTALL},
	{{"--config-settings"}, 'C', true, F_CONFIG_SETTINGS, IN_INSTALL | IN_WHEEL},
	{{"--global-option"}, 0, true, F_NONE, IN_IDW},
	{{"--compile"}, 0, false, F_NONE, IN_INSTALL},
	{{"--no-compile"}, 0, false, F_NONE, IN_INSTALL},
	{{"--no-warn-script-location"}, 0, false, F_NONE, IN_INSTALL},
	{{"--no-warn-conflicts"}, 0, false, F_NONE, IN_INSTALL},
	{{"--no-binary"}, 0, true, F_NO_BINARY, IN_IDW},
	{{"--only-binary"}, 0, true, F_ONLY_BINARY, IN_IDW},
	{{"--prefer-binary"}, 0, false, F_NONE, IN_IDW},
	{{"--require-hashes"}, 0, false, F_REQUIRE_HASHES, IN_IDW},
	{{"--progress-bar"}, 0, true, F_NONE, IN_IDW},
	{{"--root-user-action"}, 0, true, F_NONE, IN_INSTALL},
	{{"--report"}, 0, true, F_REPORT, IN_INSTALL},
	{{"--no-clean"}, 0, false, F_NONE, IN_IDW},
	{{"--dest", "--destination-dir", "--destination-directory"}, 'd', true, F_DEST,
	 IN_DOWNLOAD},
	{{"--wheel-dir"}, 'w', true, F_DEST, IN_WHEEL},
	{{"--no-verify"}, 0, false, F_NONE, IN_WHEEL},
	{{"--build-option"}, 0, true, F_NONE, IN_WHEEL},
};

/* pip 23.2.1's commands (commands_dict); pip has no aliases. */
static const char *const pip_commands[] = {
	"install", "download", "uninstall", "freeze", "inspect", "list",
	"show",    "check",    "config",    "search", "cache",   "index",
	"wheel",   "hash",     "completion", "debug", "help",
};

/* ---- small helpers ---------------------------------------------------- */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ---- option lookup (optparse's rules) ----------------------------------- */

/* The option a long word names in a parser that has the options in `in`:
 * an exact spelling, else the one spelling it is a prefix of. Aliases are
 * separate words, as in optparse's _match_abbrev. Sets *ambiguous when more
 * than one word starts with it. */
static const struct pv_pip_opt *match_long(const char *s, size_t len, unsigned in,
                                           bool *ambiguous)
{
	const struct pv_pip_opt *found = NULL;
	size_t matches = 0;
	*ambiguous = false;
	for (size_t i = 0; i < COUNT(pip_opts); i++) {
		if (!(pip_opts[i].in & in))
			continue;
		for (size_t k = 0; k < COUNT(pip_opts[i].longs) && pip_opts[i].longs[k]; k++) {
			const char *w = pip_opts[i].longs[k];
			if (pv_slice_eq(s, len, w))
				return &pip_opts[i];
			if (strncmp(w, s, len) == 0) {
				matches++;
				found = &pip_opts[i];
			}
		}
	}
	*ambiguous = matches > 1;
	return matches == 1 ? found : NULL;
}

static const struct pv_pip_opt *match_short(char c, unsigned in)
{
	for (size_t i = 0; i < COUNT(pip_opts); i++)
		if ((pip_opts[i].in & in) && pip_opts[i].shortc == c)
			return &pip_opts[i];
	return NULL;
}

/* ---- the parse ---------------------------------------------------------- */

/* Everything one optparse run collects. */
struct run {
	unsigned in;        /* which options this parser has */
	bool interspersed;  /* false for pip's main parser: stop at a positional */
	const int *idx;     /* argv indices of the words to parse */
	size_t n;           /* how many */
	size_t pos;         /* next word */
	struct pv_strvec positional; /* optparse's leftover args */
	struct pv_strvec req_files, constraints, editables, extra_index, find_links;
	struct pv_strvec only_binary, no_binary;
	struct pv_pip_args *out;
	bool error;         /* optparse would call parser.error() */
	bool help;          /* a help action ran: optparse exits right there */
	int first_positional; /* argv index of the first positional, or -1 */
};

static void run_release(struct run *r)
{
	struct pv_strvec *lists[] = {&r->positional, &r->req_files,   &r->constraints,
	                          &r->editables,  &r->extra_index, &r->find_links,
	                          &r->only_binary, &r->no_binary};
	for (size_t i = 0; i < COUNT(lists); i++) {
		free(lists[i]->v);
		*lists[i] = (struct pv_strvec){0};
	}
}

/* pip's --no-binary/--only-binary callback refuses a value that starts
 * with "-" (it assumes the value was forgotten and an option taken). */
static int binary_value(struct run *r, struct pv_strvec *sv, const char *val)
{
	if (val[0] == '-') {
		r->error = true;
		return 0;
	}
	return pv_strvec_push(sv, val);
}

/* Record one option with its value (NULL for flags). Returns -1 only when
 * memory runs out. */
static int apply(struct run *r, const struct pv_pip_opt *o, const char *val)
{
	struct pv_pip_args *out = r->out;
	switch (o->field) {
	case F_NONE: return 0;
	case F_HELP: r->help = true; return 0;
	case F_VERSION: out->version = true; return 0;
	case F_ISOLATED: out->isolated = true; return 0;
	case F_PYTHON: out->python = val[0] ? val : NULL; return 0;
	case F_QUIET: out->quiet = true; out->verbosity--; return 0;
	case F_VERBOSE: out->verbosity++; return 0;
	case F_REQ_FILE: return pv_strvec_push(&r->req_files, val);
	case F_CONSTRAINT: return pv_strvec_push(&r->constraints, val);
	case F_EDITABLE: return pv_strvec_push(&r->editables, val);
	case F_INDEX_URL: out->index_url = val; return 0;
	case F_EXTRA_INDEX: return pv_strvec_push(&r->extra_index, val);
	case F_FIND_LINKS: return pv_strvec_push(&r->find_links, val);
	case F_NO_INDEX: out->no_index = true; return 0;
	case F_UPGRADE: out->upgrade = true; return 0;
	case F_USER: out->user = true; return 0;
	/* --no-user is store_false on the same destination as --user */
	case F_NO_USER: out->user = false; return 0;
	case F_PRE: out->pre = true; return 0;
	case F_NO_DEPS: out->no_deps = true; return 0;
	case F_REQUIRE_HASHES: out->require_hashes = true; return 0;
	case F_DRY_RUN: out->dry_run = true; return 0;
	case F_FORCE_REINSTALL: out->force_reinstall = true; return 0;
	case F_IGNORE_INSTALLED: out->ignore_installed = true; return 0;
	case F_NO_BUILD_ISOLATION: out->no_build_isolation = true; return 0;
	case F_TARGET: out->target = val; return 0;
	case F_PREFIX: out->prefix = val; return 0;
	case F_ROOT: out->root = val; return 0;
	case F_REPORT: out->report = val; return 0;
	case F_DEST: out->dest = val; return 0;
	case F_ONLY_BINARY: return binary_value(r, &r->only_binary, val);
	case F_NO_BINARY: return binary_value(r, &r->no_binary, val);
	case F_CONFIG_SETTINGS:
		/* pip's callback rejects a value without "=" (KEY=VAL) */
		if (!strchr(val, '='))
			r->error = true;
		return 0;
	}
	return 0;
}

static const char *word_at(const struct run *r, char *const argv[], size_t i)
{
	return argv[r->idx[i]];
}

/* The value of a value-taking option written without one attached: optparse
 * takes the next word whatever it looks like, even "--". */
static const char *take_next(struct run *r, char *const argv[])
{
	if (r->pos >= r->n) {
		r->error = true; /* "-r option requires 1 argument" */
		return NULL;
	}
	return word_at(r, argv, r->pos++);
}

/* One "--name" or "--name=value" word (already consumed). */
static int long_option(struct run *r, char *const argv[], const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	bool ambiguous;
	const struct pv_pip_opt *o = match_long(arg, len, r->in, &ambiguous);
	if (!o) {
		r->error = true; /* "no such option" or "ambiguous option" */
		return 0;
	}
	if (!o->takes_value) {
		if (eq)
			r->error = true; /* "--pre option does not take a value" */
		return r->error ? 0 : apply(r, o, NULL);
	}
	const char *val = eq ? eq + 1 : take_next(r, argv);
	return val ? apply(r, o, val) : 0;
}

/* One "-abc" word (already consumed): flags cluster; the first letter that
 * takes a value takes the rest of the word, or else the next word. */
static int short_options(struct run *r, char *const argv[], const char *arg)
{
	for (const char *p = arg + 1; *p && !r->error && !r->help; p++) {
		const struct pv_pip_opt *o = match_short(*p, r->in);
		if (!o) {
			r->error = true;
			return 0;
		}
		if (!o->takes_value) {
			if (apply(r, o, NULL) != 0)
				return -1;
			continue;
		}
		const char *val = p[1] ? p + 1 : take_next(r, argv);
		return val ? apply(r, o, val) : 0;
	}
	return 0;
}

/* optparse's _process_args over r->idx. Stops early on an error or a help
 * action (optparse exits there), or, without interspersed arguments, at the
 * first positional. Returns -1 only when memory runs out. */
static int run_parse(struct run *r, char *const argv[])
{
	while (r->pos < r->n && !r->error && !r->help) {
		const char *arg = word_at(r, argv, r->pos);
		int rc = 0;
		if (strcmp(arg, "--") == 0) {
			r->pos++;
			break;
		} else if (strncmp(arg, "--", 2) == 0) {
			r->pos++;
			rc = long_option(r, argv, arg);
		} else if (arg[0] == '-' && arg[1] != '\0') {
			r->pos++;
			rc = short_options(r, argv, arg);
		} else if (r->interspersed) {
			if (r->first_positional < 0)
				r->first_positional = r->idx[r->pos];
			r->pos++;
			rc = pv_strvec_push(&r->positional, arg);
		} else {
			break;
		}
		if (rc != 0)
			return -1;
	}
	/* what is left (after "--", or from the first positional on) is
	 * positional too */
	if (r->error || r->help)
		return 0;
	for (; r->pos < r->n; r->pos++) {
		if (r->first_positional < 0)
			r->first_positional = r->idx[r->pos];
		if (pv_strvec_push(&r->positional, word_at(r, argv, r->pos)) != 0)
			return -1;
	}
	return 0;
}

static const char *known_command(const char *w)
{
	for (size_t i = 0; i < COUNT(pip_commands); i++)
		if (strcmp(pip_commands[i], w) == 0)
			return pip_commands[i];
	return NULL;
}

static enum pv_pip_verb verb_of(const char *command)
{
	if (strcmp(command, "install") == 0)
		return PV_PIP_INSTALL;
	if (strcmp(command, "download") == 0)
		return PV_PIP_DOWNLOAD;
	if (strcmp(command, "wheel") == 0)
		return PV_PIP_WHEEL;
	return PV_PIP_PASS;
}

static unsigned parser_mask(enum pv_pip_verb v)
{
	switch (v) {
	case PV_PIP_INSTALL: return IN_GEN | IN_INSTALL;
	case PV_PIP_DOWNLOAD: return IN_GEN | IN_DOWNLOAD;
	case PV_PIP_WHEEL: return IN_GEN | IN_WHEEL;
	case PV_PIP_PASS: break;
	}
	return IN_GEN;
}

/* Hand the collected lists over to *out (ownership moves). */
static int move_lists(struct run *r, struct pv_pip_args *out)
{
	struct {
		struct pv_strvec *sv;
		const char ***v;
		size_t *n;
	} moves[] = {
		{&r->positional, &out->reqs, &out->nreqs},
		{&r->req_files, &out->req_files, &out->nreq_files},
		{&r->constraints, &out->constraint_files, &out->nconstraint_files},
		{&r->editables, &out->editables, &out->neditables},
		{&r->extra_index, &out->extra_index_urls, &out->nextra_index_urls},
		{&r->find_links, &out->find_links, &out->nfind_links},
		{&r->only_binary, &out->only_binary, &out->nonly_binary},
		{&r->no_binary, &out->no_binary, &out->nno_binary},
	};
	for (size_t i = 0; i < COUNT(moves); i++) {
		if (pv_strvec_finish(moves[i].sv) != 0)
			return -1;
		*moves[i].v = moves[i].sv->v;
		*moves[i].n = moves[i].sv->n;
		*moves[i].sv = (struct pv_strvec){0};
	}
	return 0;
}

/* Phase 1, pip's main parser: general options only, stopping at the first
 * positional, which is the command word. Leaves in out: help, version,
 * python, cmd_index, command; returns 1 when pip goes no further than that
 * (PASS), 0 to go on to the command, -1 when memory runs out. */
static int parse_main(int argc, char *const argv[], const int *all, struct pv_pip_args *out)
{
	struct run r = {.in = IN_GEN, .interspersed = false, .idx = all,
	                .n = (size_t)(argc - 1), .out = out, .first_positional = -1};
	if (run_parse(&r, argv) != 0) {
		run_release(&r);
		return -1;
	}
	out->help = r.help;
	out->usage_error = r.error;
	size_t nrest = r.positional.n;
	const char *first = nrest ? r.positional.v[0] : NULL;
	out->cmd_index = nrest ? r.first_positional : -1;
	run_release(&r);
	/* pip stopped inside its main parser: it neither re-runs elsewhere nor
	 * prints its version */
	if (out->usage_error || out->help) {
		out->python = NULL;
		out->version = false;
	}
	if (out->usage_error || out->help || out->version)
		return 1;
	/* `pip` alone and `pip help ...` print help */
	if (!first || strcmp(first, "help") == 0) {
		out->help = true;
		out->command = first ? "help" : NULL;
		return 1;
	}
	out->command = known_command(first);
	if (!out->command) {
		out->usage_error = true; /* unknown command "..." */
		return 1;
	}
	out->verb = verb_of(out->command);
	return out->verb == PV_PIP_PASS ? 1 : 0;
}

/* Forget what the main parser recorded that the command parser reads again
 * from scratch (optparse starts every parse from the defaults). */
static void reset_options(struct pv_pip_args *out)
{
	struct pv_pip_args keep = {
		.verb = out->verb, .cmd_index = out->cmd_index, .command = out->command,
	};
	*out = keep;
}

/* Phase 2, the command's parser over argv minus the first word equal to the
 * command name (pip uses list.remove, which finds the first equal item,
 * even when that is an option's value). */
static int parse_command(int argc, char *const argv[], const int *all, struct pv_pip_args *out)
{
	size_t n = 0;
	int *idx = malloc((size_t)argc * sizeof *idx);
	if (!idx)
		return -1;
	bool removed = false;
	for (int i = 0; i < argc - 1; i++) {
		if (!removed && strcmp(argv[all[i]], out->command) == 0)
			removed = true;
		else
			idx[n++] = all[i];
	}
	const char *main_python = out->python;
	reset_options(out);
	struct run r = {.in = parser_mask(out->verb), .interspersed = true, .idx = idx, .n = n,
	                .out = out, .first_positional = -1};
	int rc = run_parse(&r, argv);
	for (size_t i = 0; i < n && rc == 0; i++)
		if (strcmp(argv[idx[i]], "--isolated") == 0)
			out->isolated_config = true;
	free(idx);
	if (rc == 0)
		rc = move_lists(&r, out);
	run_release(&r);
	if (rc != 0)
		return -1;
	out->help = r.help;
	/* -V after the command is accepted and ignored: only the main parser's
	 * --version stops pip */
	out->version = false;
	/* --python after the command: pip refuses to go on (unless it already
	 * re-ran itself because of one before the command) */
	bool late_python = out->python && out->python[0] && !main_python;
	out->python = main_python;
	out->usage_error = !r.help && (r.error || late_python);
	/* no requirement at all: "You must give at least one requirement" */
	if (!r.error && !r.help && !out->nreqs && !out->nreq_files && !out->neditables)
		out->usage_error = true;
	if (out->usage_error || out->help)
		out->verb = PV_PIP_PASS;
	return 0;
}

/* Give a PASS result that stopped early its empty lists too, so callers
 * never test for NULL. */
static int finish_empty(struct pv_pip_args *out)
{
	struct run r = {0};
	int rc = move_lists(&r, out);
	run_release(&r);
	return rc;
}

int pv_pip_args_parse(int argc, char *const argv[], struct pv_pip_args *out, char *err,
                      size_t errlen)
{
	if (!out) {
		set_err(err, errlen, "pip arguments: no result");
		return -1;
	}
	*out = (struct pv_pip_args){.cmd_index = -1};
	if (argc < 1 || !argv) {
		set_err(err, errlen, "pip arguments: empty argument vector");
		return -1;
	}
	for (int i = 0; i < argc; i++)
		if (!argv[i]) {
			set_err(err, errlen, "pip arguments: argv[%d] is NULL", i);
			return -1;
		}
	/* argv indices 1..argc-1, the words pip sees */
	int *all = malloc((size_t)argc * sizeof *all);
	if (!all) {
		set_err(err, errlen, "pip arguments: out of memory");
		return -1;
	}
	for (int i = 1; i < argc; i++)
		all[i - 1] = i;
	int rc = parse_main(argc, argv, all, out);
	if (rc == 1)
		rc = finish_empty(out);
	else if (rc == 0)
		rc = parse_command(argc, argv, all, out);
	free(all);
	if (rc != 0) {
		pv_pip_args_free(out);
		set_err(err, errlen, "pip arguments: out of memory");
		return -1;
	}
	return 0;
}

void pv_pip_args_free(struct pv_pip_args *a)
{
	if (!a)
		return;
	free(a->reqs);
	free(a->req_files);
	free(a->constraint_files);
	free(a->editables);
	free(a->extra_index_urls);
	free(a->find_links);
	free(a->only_binary);
	free(a->no_binary);
	*a = (struct pv_pip_args){.cmd_index = -1};
}

const char *pv_pip_verb_name(enum pv_pip_verb v)
{
	switch (v) {
	case PV_PIP_PASS: return "pass-through";
	case PV_PIP_INSTALL: return "install";
	case PV_PIP_DOWNLOAD: return "download";
	case PV_PIP_WHEEL: return "wheel";
	}
	return "unknown";
}
