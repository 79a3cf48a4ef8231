/* test_pip_args.c - the pip command-line classifier against pip 23.2.1's
 * own reading of the same command lines. The expectations in the table were
 * produced by running pip's real parsers (create_main_parser, the command's
 * parser, parse_command's remove-first-occurrence rule) over each line, with
 * pip.conf and PIP_* variables out of the way: general options before the
 * command, values in every spelling, optparse abbreviations, clustered short
 * flags, --, help/version, pass-through commands, unknown options. */
#include "check.h"
#include "pip_args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tcase {
	const char *argv[24];  /* after the program name; NULL-terminated */
	enum pv_pip_verb verb;
	const char *command;   /* pip's command, or NULL */
	int cmd_index;
	const char *flags;     /* render() of the result */
};

static void add(char *buf, size_t len, const char *word)
{
	size_t n = strlen(buf);
	snprintf(buf + n, len - n, "%s%s", n ? " " : "", word);
}

static void add_kv(char *buf, size_t len, const char *key, const char *val)
{
	char tmp[512];
	if (!val)
		return;
	snprintf(tmp, sizeof tmp, "%s=%s", key, val);
	add(buf, len, tmp);
}

/* Lists join with "|": requirement specifiers may hold commas and spaces. */
static void add_list(char *buf, size_t len, const char *key, const char *const *list, size_t n)
{
	char tmp[512] = "";
	if (!n)
		return;
	for (size_t i = 0; i < n; i++) {
		size_t used = strlen(tmp);
		snprintf(tmp + used, sizeof tmp - used, "%s%s", i ? "|" : "", list[i]);
	}
	add_kv(buf, len, key, tmp);
}

/* Everything the result states, in a fixed order, so one string says exactly
 * what is expected (anything not listed must be off or empty). For PASS only
 * the fields the header calls meaningful are shown. */
static void render(const struct pv_pip_args *a, char *buf, size_t len)
{
	buf[0] = '\0';
	if (a->verb == PV_PIP_PASS) {
		const struct {
			bool on;
			const char *name;
		} pf[] = {{a->usage_error, "usage_error"}, {a->help, "help"}, {a->version, "version"}};
		for (size_t i = 0; i < sizeof pf / sizeof *pf; i++)
			if (pf[i].on)
				add(buf, len, pf[i].name);
		add_kv(buf, len, "python", a->python);
		return;
	}
	add_list(buf, len, "reqs", a->reqs, a->nreqs);
	add_list(buf, len, "r", a->req_files, a->nreq_files);
	add_list(buf, len, "c", a->constraint_files, a->nconstraint_files);
	add_list(buf, len, "e", a->editables, a->neditables);
	add_kv(buf, len, "i", a->index_url);
	add_list(buf, len, "x", a->extra_index_urls, a->nextra_index_urls);
	add_list(buf, len, "f", a->find_links, a->nfind_links);
	const struct {
		bool on;
		const char *name;
	} flags[] = {
		{a->no_index, "no_index"},
		{a->upgrade, "upgrade"},
		{a->user, "user"},
		{a->pre, "pre"},
		{a->no_deps, "no_deps"},
		{a->require_hashes, "require_hashes"},
		{a->dry_run, "dry_run"},
		{a->force_reinstall, "force_reinstall"},
		{a->ignore_installed, "ignore_installed"},
		{a->no_build_isolation, "no_build_isolation"},
		{a->quiet, "quiet"},
	};
	for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
		if (flags[i].on)
			add(buf, len, flags[i].name);
	add_kv(buf, len, "target", a->target);
	add_kv(buf, len, "prefix", a->prefix);
	add_kv(buf, len, "root", a->root);
	add_kv(buf, len, "report", a->report);
	add_kv(buf, len, "dest", a->dest);
	add_list(buf, len, "only", a->only_binary, a->nonly_binary);
	add_list(buf, len, "nob", a->no_binary, a->nno_binary);
	if (a->isolated)
		add(buf, len, "isolated");
	if (a->isolated_config)
		add(buf, len, "isolated_config");
	add_kv(buf, len, "python", a->python);
	/* a fetching verb is never a usage error, help or version */
	if (a->usage_error || a->help || a->version)
		add(buf, len, "BAD-PASS-FLAGS");
}

#define P PV_PIP_PASS
#define I PV_PIP_INSTALL
#define D PV_PIP_DOWNLOAD
#define W PV_PIP_WHEEL

static const struct tcase cases[] = {
	{{"install", "requests"}, I, "install", 1, "reqs=requests"},
	{{"install", "requests>=2.0,<3", "flask[async]==2.3.*", "numpy; python_version >= '3.8'"}, I, "install", 1, "reqs=requests>=2.0,<3|flask[async]==2.3.*|numpy; python_version >= '3.8'"},
	{{"install", "https://example.org/pkg-1.0.tar.gz", "./local/dir", "git+https://g.example/r.git#egg=r"}, I, "install", 1, "reqs=https://example.org/pkg-1.0.tar.gz|./local/dir|git+https://g.example/r.git#egg=r"},
	{{"install"}, P, "install", 1, "usage_error"},
	{{"install", "-r", "req.txt"}, I, "install", 1, "r=req.txt"},
	{{"install", "-rreq.txt"}, I, "install", 1, "r=req.txt"},
	{{"install", "--requirement", "a.txt", "--requirement=b.txt", "-r", "c.txt"}, I, "install", 1, "r=a.txt|b.txt|c.txt"},
	{{"install", "-c", "cons.txt"}, P, "install", 1, "usage_error"},
	{{"install", "-c", "cons.txt", "x", "--constraint=more.txt"}, I, "install", 1, "reqs=x c=cons.txt|more.txt"},
	{{"install", "-e", ".", "-e", "git+https://g.example/r.git#egg=r"}, I, "install", 1, "e=.|git+https://g.example/r.git#egg=r"},
	{{"install", "-e."}, I, "install", 1, "e=."},
	{{"install", "--editable=./pkg"}, I, "install", 1, "e=./pkg"},
	{{"install", "-i", "https://idx.example/simple", "x"}, I, "install", 1, "reqs=x i=https://idx.example/simple"},
	{{"install", "-ihttps://idx.example/simple", "x"}, I, "install", 1, "reqs=x i=https://idx.example/simple"},
	{{"install", "--index-url", "https://a/simple", "--index-url=https://b/simple", "x"}, I, "install", 1, "reqs=x i=https://b/simple"},
	{{"install", "--pypi-url", "https://a/simple", "x"}, I, "install", 1, "reqs=x i=https://a/simple"},
	{{"install", "--extra-index-url", "https://e1/simple", "--extra-index-url=https://e2/simple", "x"}, I, "install", 1, "reqs=x x=https://e1/simple|https://e2/simple"},
	{{"install", "-f", "./wheels", "--find-links=https://fl.example/", "x"}, I, "install", 1, "reqs=x f=./wheels|https://fl.example/"},
	{{"install", "--no-index", "-f", "wheels", "x"}, I, "install", 1, "reqs=x f=wheels no_index"},
	{{"install", "-f", "wheels"}, P, "install", 1, "usage_error"},
	{{"install", "-U", "--user", "--pre", "--no-deps", "x"}, I, "install", 1, "reqs=x upgrade user pre no_deps"},
	{{"install", "--upgrade", "--user", "--no-user", "x"}, I, "install", 1, "reqs=x upgrade"},
	{{"install", "--require-hashes", "--dry-run", "--force-reinstall", "-I", "--no-build-isolation", "-q", "x"}, I, "install", 1, "reqs=x require_hashes dry_run force_reinstall ignore_installed no_build_isolation quiet"},
	{{"install", "-qUI", "x"}, I, "install", 1, "reqs=x upgrade ignore_installed quiet"},
	{{"install", "-qr", "req.txt"}, I, "install", 1, "r=req.txt quiet"},
	{{"install", "-Ur=req.txt"}, I, "install", 1, "r==req.txt upgrade"},
	{{"install", "-t", "/tmp/t", "--prefix", "/opt/p", "--root=/r", "--report", "out.json", "x"}, I, "install", 1, "reqs=x target=/tmp/t prefix=/opt/p root=/r report=out.json"},
	{{"install", "-t/tmp/t", "x"}, I, "install", 1, "reqs=x target=/tmp/t"},
	{{"install", "--only-binary", ":all:", "--no-binary", "foo,bar", "--only-binary=baz", "x"}, I, "install", 1, "reqs=x only=:all:|baz nob=foo,bar"},
	{{"install", "--only-binary", "--pre", "x"}, P, "install", 1, "usage_error"},
	{{"install", "--no-deps", "x", "--", "-not-an-option", "--pre"}, I, "install", 1, "reqs=x|-not-an-option|--pre no_deps"},
	{{"install", "--", "x"}, I, "install", 1, "reqs=x"},
	{{"--", "install", "x"}, I, "install", 2, "reqs=x"},
	{{"install", "-", "x"}, I, "install", 1, "reqs=-|x"},
	{{"install", "--ind", "https://a/simple", "x"}, I, "install", 1, "reqs=x i=https://a/simple"},
	{{"install", "--index", "https://a/simple", "x"}, I, "install", 1, "reqs=x i=https://a/simple"},
	{{"install", "--extra", "https://e/simple", "x"}, I, "install", 1, "reqs=x x=https://e/simple"},
	{{"install", "--no-dep", "x"}, P, "install", 1, "usage_error"},
	{{"install", "--no-deps", "x"}, I, "install", 1, "reqs=x no_deps"},
	{{"install", "--no-depe", "x"}, I, "install", 1, "reqs=x no_deps"},
	{{"install", "--req", "r.txt"}, P, "install", 1, "usage_error"},
	{{"install", "--upgrade-s", "eager", "x"}, I, "install", 1, "reqs=x"},
	{{"install", "--up", "x"}, P, "install", 1, "usage_error"},
	{{"install", "--pr", "x"}, P, "install", 1, "usage_error"},
	{{"install", "--pre=1", "x"}, P, "install", 1, "usage_error"},
	{{"install", "--frobnicate", "x"}, P, "install", 1, "usage_error"},
	{{"install", "-Z", "x"}, P, "install", 1, "usage_error"},
	{{"install", "-r"}, P, "install", 1, "usage_error"},
	{{"install", "x", "-r"}, P, "install", 1, "usage_error"},
	{{"install", "-r", "--pre"}, I, "install", 1, "r=--pre"},
	{{"install", "--report", "-", "x"}, I, "install", 1, "reqs=x report=-"},
	{{"-q", "install", "x"}, I, "install", 2, "reqs=x quiet"},
	{{"-v", "--isolated", "install", "x"}, I, "install", 3, "reqs=x isolated isolated_config"},
	{{"--isol", "install", "x"}, I, "install", 2, "reqs=x isolated"},
	{{"install", "--isolated", "x"}, I, "install", 1, "reqs=x isolated isolated_config"},
	{{"--no-cache-dir", "--timeout", "30", "install", "x"}, I, "install", 4, "reqs=x"},
	{{"--timeout=30", "--retries", "3", "install", "x"}, I, "install", 4, "reqs=x"},
	{{"--log", "install", "-q", "install", "foo"}, I, "install", 4, "reqs=install|foo"},
	{{"--cache-dir", "install", "install", "x"}, I, "install", 3, "reqs=x"},
	{{"--cert", "/c.pem", "--trusted-host", "h.example", "--proxy", "http://p:3128", "download", "x"}, D, "download", 7, "reqs=x"},
	{{"--index-url", "https://a/simple", "install", "x"}, P, NULL, -1, "usage_error"},
	{{"-i", "https://a/simple", "install", "x"}, P, NULL, -1, "usage_error"},
	{{"--frob", "install", "x"}, P, NULL, -1, "usage_error"},
	{{"--python", "/usr/bin/python3.12", "install", "x"}, I, "install", 3, "reqs=x python=/usr/bin/python3.12"},
	{{"--python=/venv", "install", "x"}, I, "install", 2, "reqs=x python=/venv"},
	{{"install", "--python", "/usr/bin/python3", "x"}, P, "install", 1, "usage_error"},
	{{"--python", "/py", "list"}, P, "list", 3, "python=/py"},
	{{"--python=", "install", "x"}, I, "install", 2, "reqs=x"},
	{{"--pyth", "/py", "install", "x"}, P, "install", 3, "usage_error python=/py"},
	{{"--version"}, P, NULL, -1, "version"},
	{{"-V"}, P, NULL, -1, "version"},
	{{"-V", "install", "x"}, P, NULL, 2, "version"},
	{{"install", "-V", "x"}, I, "install", 1, "reqs=x"},
	{{"install", "--version", "x"}, I, "install", 1, "reqs=x"},
	{{"-h"}, P, NULL, -1, "help"},
	{{"--help", "install", "x"}, P, NULL, -1, "help"},
	{{"install", "--help"}, P, "install", 1, "help"},
	{{"install", "-h", "x"}, P, "install", 1, "help"},
	{{"install", "x", "--he"}, P, "install", 1, "help"},
	{{"help"}, P, "help", 1, "help"},
	{{"help", "install"}, P, "help", 1, "help"},
	{{NULL}, P, NULL, -1, "help"},
	{{"download", "x", "-d", "dl"}, D, "download", 1, "reqs=x dest=dl"},
	{{"download", "-ddl", "x", "--no-deps"}, D, "download", 1, "reqs=x no_deps dest=dl"},
	{{"download", "--dest=dl", "--platform", "manylinux2014_x86_64", "--only-binary=:all:", "x"}, D, "download", 1, "reqs=x dest=dl only=:all:"},
	{{"download", "--destination-dir", "dl", "x"}, D, "download", 1, "reqs=x dest=dl"},
	{{"download", "--dest", "dl"}, P, "download", 1, "usage_error"},
	{{"download", "-e", ".", "x"}, P, "download", 1, "usage_error"},
	{{"download", "--user", "x"}, P, "download", 1, "usage_error"},
	{{"download", "--dry-run", "x"}, P, "download", 1, "usage_error"},
	{{"download", "-r", "req.txt", "-c", "c.txt"}, D, "download", 1, "r=req.txt c=c.txt"},
	{{"wheel", "x", "-w", "wh"}, W, "wheel", 1, "reqs=x dest=wh"},
	{{"wheel", "--wheel-dir=wh", "-e", ".", "--no-deps"}, W, "wheel", 1, "e=. no_deps dest=wh"},
	{{"wheel", "-wwh", "--build-option", "--foo", "x"}, W, "wheel", 1, "reqs=x dest=wh"},
	{{"wheel", "--target", "t", "x"}, P, "wheel", 1, "usage_error"},
	{{"wheel", "-d", "d", "x"}, P, "wheel", 1, "usage_error"},
	{{"wheel", "-C", "key=val", "x"}, W, "wheel", 1, "reqs=x"},
	{{"install", "-C", "key=val", "x"}, I, "install", 1, "reqs=x"},
	{{"install", "--config-settings", "--pre", "x"}, P, "install", 1, "usage_error"},
	{{"list"}, P, "list", 1, ""},
	{{"list", "--outdated", "--index-url", "x"}, P, "list", 1, ""},
	{{"show", "requests"}, P, "show", 1, ""},
	{{"freeze"}, P, "freeze", 1, ""},
	{{"uninstall", "-y", "requests"}, P, "uninstall", 1, ""},
	{{"config", "list"}, P, "config", 1, ""},
	{{"cache", "purge"}, P, "cache", 1, ""},
	{{"check"}, P, "check", 1, ""},
	{{"debug"}, P, "debug", 1, ""},
	{{"hash", "x.whl"}, P, "hash", 1, ""},
	{{"inspect"}, P, "inspect", 1, ""},
	{{"index", "versions", "requests"}, P, "index", 1, ""},
	{{"search", "foo"}, P, "search", 1, ""},
	{{"completion", "--bash"}, P, "completion", 1, ""},
	{{"Install", "x"}, P, NULL, 1, "usage_error"},
	{{"i", "x"}, P, NULL, 1, "usage_error"},
	{{"inst", "x"}, P, NULL, 1, "usage_error"},
	{{"frobnicate", "x"}, P, NULL, 1, "usage_error"},
	{{"install", "install"}, I, "install", 1, "reqs=install"},
	{{"install", "-q", "install", "x"}, I, "install", 1, "reqs=install|x quiet"},
	{{"-q", "install", "--quiet", "-vv", "x"}, I, "install", 2, "reqs=x quiet"},
	{{"install", "--exists-action", "i", "--use-feature", "truststore", "x"}, I, "install", 1, "reqs=x"},
	{{"install", "--src", "/s", "--global-option", "--foo", "x"}, I, "install", 1, "reqs=x"},
	{{"install", "--python-version", "3.11", "--platform", "win_amd64", "--implementation", "cp", "--abi", "cp311", "--only-binary=:all:", "-t", "t", "x"}, I, "install", 1, "reqs=x target=t only=:all:"},
	{{"install", "--break-system-packages", "--root-user-action", "ignore", "x"}, I, "install", 1, "reqs=x"},
	{{"install", "--log-file", "l.txt", "x"}, I, "install", 1, "reqs=x"},
	{{"install", "--lo", "l.txt", "x"}, P, "install", 1, "usage_error"},
	{{"install", "--no-index", "--no-inp", "x"}, I, "install", 1, "reqs=x no_index"},
	{{"install", "--no-i", "x"}, P, "install", 1, "usage_error"},
	{{"install", "", "x"}, I, "install", 1, "reqs=|x"},
	{{"install", "-r=req.txt"}, I, "install", 1, "r==req.txt"},
	{{"install", "-qq", "x"}, I, "install", 1, "reqs=x quiet"},
	{{"install", "--quiet=1", "x"}, P, "install", 1, "usage_error"},
	{{"install", "--no-binary=:none:", "x"}, I, "install", 1, "reqs=x nob=:none:"},
	{{"install", "--=x", "x"}, P, "install", 1, "usage_error"},
	{{"install", "---pre", "x"}, P, "install", 1, "usage_error"},
	{{"-", "install", "x"}, P, NULL, 1, "usage_error"},
	{{"", "install", "x"}, P, NULL, 1, "usage_error"},
	{{"--log=install", "install", "x"}, I, "install", 2, "reqs=x"},
	{{"--log", "--isolated", "install", "x"}, I, "install", 3, "reqs=x isolated_config"},
	{{"--require-venv", "install", "x"}, I, "install", 2, "reqs=x"},
	{{"--req", "install", "x"}, P, NULL, -1, "usage_error"},
	{{"--require-v", "install", "x"}, P, NULL, -1, "usage_error"},
	{{"install", "--require-h", "x"}, I, "install", 1, "reqs=x require_hashes"},
	{{"install", "--use-pep", "x"}, I, "install", 1, "reqs=x"},
	{{"install", "--use", "x"}, P, "install", 1, "usage_error"},
	{{"install", "--no-b", "x"}, P, "install", 1, "usage_error"},
	{{"install", "--no-bu", "x"}, I, "install", 1, "reqs=x no_build_isolation"},
	{{"install", "-e"}, P, "install", 1, "usage_error"},
	{{"install", "--index-url"}, P, "install", 1, "usage_error"},
	{{"--python"}, P, NULL, -1, "usage_error"},
	{{"-q"}, P, NULL, -1, "help"},
	{{"-q", "help"}, P, "help", 2, "help"},
	{{"help", "frob"}, P, "help", 1, "help"},
	{{"install", "x", "--help"}, P, "install", 1, "help"},
	{{"install", "--frob", "--help"}, P, "install", 1, "usage_error"},
	{{"install", "--help", "--frob"}, P, "install", 1, "help"},
	{{"install", "-qh"}, P, "install", 1, "help"},
	{{"install", "-hq"}, P, "install", 1, "help"},
	{{"install", "-r", "req.txt", "-c", "c.txt", "-e", ".", "x"}, I, "install", 1, "reqs=x r=req.txt c=c.txt e=."},
	{{"--exists-action=i", "install", "x"}, I, "install", 2, "reqs=x"},
	{{"-qqq", "install", "--upgrade", "--upgrade-strategy=only-if-needed", "-r", "r.txt", "--no-binary", ":all:"}, I, "install", 2, "r=r.txt upgrade quiet nob=:all:"},
	{{"install", "x", "y", "--user", "--target=t", "z"}, I, "install", 1, "reqs=x|y|z user target=t"},
	{{"--isolated", "--python", "/p", "-q", "download", "--no-deps", "-d", "out", "--no-binary", ":all:", "a==1"}, D, "download", 5, "reqs=a==1 no_deps quiet dest=out nob=:all: isolated isolated_config python=/p"},
	{{"download", "--no-index", "--find-links", "./w", "-r", "r.txt", "--require-hashes"}, D, "download", 1, "r=r.txt f=./w no_index require_hashes"},
	{{"wheel", "--no-verify", "--pre", "-r", "r.txt", "--wheel-dir", "w", "--no-build-isolation"}, W, "wheel", 1, "r=r.txt pre no_build_isolation dest=w"},
	{{"wheel", "--wh", "w", "x"}, W, "wheel", 1, "reqs=x dest=w"},
	{{"download", "--de", "d", "x"}, P, "download", 1, "usage_error"},
	{{"download", "--d", "d", "x"}, P, "download", 1, "usage_error"},
	{{"install", "--dr", "x"}, I, "install", 1, "reqs=x dry_run"},
	{{"install", "--t", "t", "x"}, P, "install", 1, "usage_error"},
	{{"install", "--ta", "t", "x"}, I, "install", 1, "reqs=x target=t"},
	{{"install", "-U", "-", "--", "--", "x"}, I, "install", 1, "reqs=-|--|x upgrade"},
	{{"-v", "-V", "install", "x"}, P, NULL, 3, "version"},
	{{"--version", "--frob"}, P, NULL, -1, "usage_error"},
	{{"--frob", "--version"}, P, NULL, -1, "usage_error"},
	{{"install", "--cert", "--user", "x"}, I, "install", 1, "reqs=x"},
	{{"install", "--log", "x"}, P, "install", 1, "usage_error"},
	{{"uninstall", "--frob"}, P, "uninstall", 1, ""},
	{{"list", "-r", "x"}, P, "list", 1, ""},
};

/* Every list must be a real NULL-terminated array, whatever the verb. */
static bool lists_terminated(const struct pv_pip_args *a)
{
	const struct {
		const char **v;
		size_t n;
	} l[] = {
		{a->reqs, a->nreqs},
		{a->req_files, a->nreq_files},
		{a->constraint_files, a->nconstraint_files},
		{a->editables, a->neditables},
		{a->extra_index_urls, a->nextra_index_urls},
		{a->find_links, a->nfind_links},
		{a->only_binary, a->nonly_binary},
		{a->no_binary, a->nno_binary},
	};
	for (size_t i = 0; i < sizeof l / sizeof *l; i++)
		if (!l[i].v || l[i].v[l[i].n] != NULL)
			return false;
	return true;
}

static void run_table(void)
{
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		char *argv[26] = {"pip"};
		int argc = 1;
		char line[512] = "";
		for (size_t i = 0; cases[c].argv[i]; i++) {
			argv[argc++] = (char *)cases[c].argv[i];
			add(line, sizeof line, cases[c].argv[i]);
		}
		struct pv_pip_args a;
		char err[128] = "";
		int rc = pv_pip_args_parse(argc, argv, &a, err, sizeof err);
		CHECK(rc == 0, "pip %s: %s", line, err);
		if (rc != 0)
			continue;
		char got[1024];
		render(&a, got, sizeof got);
		CHECK(a.verb == cases[c].verb, "pip %s: verb %s, want %s", line,
		      pv_pip_verb_name(a.verb), pv_pip_verb_name(cases[c].verb));
		CHECK((a.command == NULL) == (cases[c].command == NULL) &&
		          (!a.command || strcmp(a.command, cases[c].command) == 0),
		      "pip %s: command %s, want %s", line, a.command ? a.command : "(none)",
		      cases[c].command ? cases[c].command : "(none)");
		CHECK(a.cmd_index == cases[c].cmd_index, "pip %s: cmd_index %d, want %d", line,
		      a.cmd_index, cases[c].cmd_index);
		CHECK(strcmp(got, cases[c].flags) == 0, "pip %s:\n  got  [%s]\n  want [%s]", line, got,
		      cases[c].flags);
		CHECK(lists_terminated(&a), "pip %s: a list is not NULL-terminated", line);
		pv_pip_args_free(&a);
	}
}

/* True when p points into one of the argv strings (not a copy). */
static bool in_argv(const char *p, int argc, char *const argv[])
{
	for (int i = 0; i < argc; i++)
		if (p >= argv[i] && p <= argv[i] + strlen(argv[i]))
			return true;
	return false;
}

static void test_pointers_into_argv(void)
{
	char a0[] = "pip", a1[] = "-q", a2[] = "install", a3[] = "-rreq.txt",
	     a4[] = "--index-url=https://i/simple", a5[] = "foo[bar]>=1", a6[] = "-e",
	     a7[] = "./src", a8[] = "--only-binary", a9[] = ":all:", a10[] = "-t/tgt";
	char *argv[] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, NULL};
	int argc = 11;
	struct pv_pip_args a;
	char err[128];
	CHECK(pv_pip_args_parse(argc, argv, &a, err, sizeof err) == 0, "%s", err);
	CHECK(a.verb == PV_PIP_INSTALL, "verb %d", a.verb);
	CHECK(a.cmd_index == 2, "cmd_index %d", a.cmd_index);
	CHECK(a.nreqs == 1 && a.reqs[0] == a5, "reqs[0] is argv[5] itself");
	CHECK(a.nreq_files == 1 && a.req_files[0] == a3 + 2, "-rFILE points past the letter");
	CHECK(a.index_url == a4 + strlen("--index-url="), "--opt=value points past '='");
	CHECK(a.neditables == 1 && a.editables[0] == a7, "-e VALUE is the next argv string");
	CHECK(a.nonly_binary == 1 && a.only_binary[0] == a9, "--only-binary VALUE");
	CHECK(a.target == a10 + 2, "-tDIR points past the letter");
	const char *const *lists[] = {a.reqs, a.req_files, a.editables, a.only_binary};
	for (size_t l = 0; l < sizeof lists / sizeof *lists; l++)
		for (size_t i = 0; lists[l][i]; i++)
			CHECK(in_argv(lists[l][i], argc, argv), "list %zu item %zu not in argv", l, i);
	pv_pip_args_free(&a);
	CHECK(a.reqs == NULL && a.nreqs == 0 && a.cmd_index == -1, "free zeroes the result");
	pv_pip_args_free(&a); /* twice is harmless */
	pv_pip_args_free(NULL);
}

static void test_bad_input(void)
{
	struct pv_pip_args a;
	char err[128] = "";
	CHECK(pv_pip_args_parse(1, NULL, &a, err, sizeof err) == -1, "NULL argv");
	CHECK(err[0] != '\0', "an error message");
	CHECK(a.reqs == NULL && a.cmd_index == -1, "result zeroed on error");
	CHECK(pv_pip_args_parse(0, (char *const[]){NULL}, &a, err, sizeof err) == -1, "argc 0");
	char p0[] = "pip", p1[] = "install";
	char *holes[] = {p0, p1, NULL, NULL};
	CHECK(pv_pip_args_parse(3, holes, &a, err, sizeof err) == -1, "NULL inside argv");
	CHECK(pv_pip_args_parse(2, holes, NULL, err, sizeof err) == -1, "NULL result");
	/* no error buffer is fine */
	CHECK(pv_pip_args_parse(1, NULL, &a, NULL, 0) == -1, "NULL argv, no err");
	/* argv[0] alone: pip prints its help */
	CHECK(pv_pip_args_parse(1, holes, &a, err, sizeof err) == 0, "%s", err);
	CHECK(a.verb == PV_PIP_PASS && a.help && lists_terminated(&a), "bare pip");
	pv_pip_args_free(&a);
}

/* Option VALUES are not validated (pip 23.2 rejects these, and installs
 * nothing): classifying them as installs is the deliberate, safe error, since
 * the resolution step then shows pip's own message. */
static void test_values_not_validated(void)
{
	const char *lines[][6] = {
		{"install", "--progress-bar", "bogus", "x"},
		{"install", "--upgrade-strategy", "sometimes", "x"},
		{"--timeout", "soon", "install", "x"},
		{"install", "--python-version", "three", "x"},
	};
	for (size_t l = 0; l < sizeof lines / sizeof *lines; l++) {
		char *argv[8] = {"pip"};
		int argc = 1;
		for (size_t i = 0; lines[l][i]; i++)
			argv[argc++] = (char *)lines[l][i];
		struct pv_pip_args a;
		char err[128];
		CHECK(pv_pip_args_parse(argc, argv, &a, err, sizeof err) == 0, "%s", err);
		CHECK(a.verb == PV_PIP_INSTALL && !a.usage_error && a.nreqs == 1 &&
		          strcmp(a.reqs[0], "x") == 0,
		      "line %zu: an install of x", l);
		pv_pip_args_free(&a);
	}
}

static void test_verb_names(void)
{
	CHECK(strcmp(pv_pip_verb_name(PV_PIP_PASS), "pass-through") == 0, "pass");
	CHECK(strcmp(pv_pip_verb_name(PV_PIP_INSTALL), "install") == 0, "install");
	CHECK(strcmp(pv_pip_verb_name(PV_PIP_DOWNLOAD), "download") == 0, "download");
	CHECK(strcmp(pv_pip_verb_name(PV_PIP_WHEEL), "wheel") == 0, "wheel");
	CHECK(strcmp(pv_pip_verb_name((enum pv_pip_verb)42), "unknown") == 0, "unknown");
}

/* pip's verbosity, which pkgvet's own messages follow: -v adds one, -q
 * takes one away, as pip counts them. */
static void test_verbosity(void)
{
	static const struct {
		int argc;
		const char *argv[6];
		int want;
	} t[] = {
		{3, {"pip", "install", "x"}, 0},
		{4, {"pip", "install", "-q", "x"}, -1},
		{4, {"pip", "-qq", "install", "x"}, -2},
		{4, {"pip", "install", "--verbose", "x"}, 1},
		{5, {"pip", "install", "-vv", "-q", "x"}, 1},
		{5, {"pip", "-v", "install", "--quiet", "x"}, 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		struct pv_pip_args a;
		char err[128];
		CHECK(pv_pip_args_parse(t[i].argc, (char **)t[i].argv, &a, err, sizeof err) == 0, "%s", err);
		CHECK(a.verbosity == t[i].want, "case %zu: verbosity %d, want %d", i, a.verbosity, t[i].want);
		pv_pip_args_free(&a);
	}
}

int main(void)
{
	run_table();
	test_pointers_into_argv();
	test_bad_input();
	test_values_not_validated();
	test_verb_names();
	test_verbosity();
	return CHECK_DONE();
}
