/* test_npm_args.c - the npm / npx command-line classifier against npm 11's
 * own reading of the same command lines (checked by hand with npm 11.19.1's
 * parser: options anywhere, value-taking vs boolean options, abbreviations,
 * npx's rewrite, init's create- mapping). */
#include "check.h"
#include "npm_args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tcase {
	bool npx;
	const char *argv[16];   /* after the program name; NULL-terminated */
	enum pv_npm_verb verb;
	const char *command;    /* npm's command after deref, or NULL */
	const char *specs;      /* space-separated */
	const char *flags;      /* render_flags() of the result */
};

static void add(char *buf, size_t len, const char *word)
{
	size_t n = strlen(buf);
	snprintf(buf + n, len - n, "%s%s", n ? " " : "", word);
}

static void add_kv(char *buf, size_t len, const char *key, const char *val)
{
	char tmp[256];
	if (!val)
		return;
	snprintf(tmp, sizeof tmp, "%s=%s", key, val);
	add(buf, len, tmp);
}

static void add_list(char *buf, size_t len, const char *key, const char *const *list, size_t n)
{
	char tmp[256] = "";
	if (!n)
		return;
	for (size_t i = 0; i < n; i++) {
		size_t used = strlen(tmp);
		snprintf(tmp + used, sizeof tmp - used, "%s%s", i ? "," : "", list[i]);
	}
	add_kv(buf, len, key, tmp);
}

/* Every flag and value of the result in a fixed order, so one string states
 * exactly what is expected (anything not listed must be off). */
static void render_flags(const struct pv_npm_args *a, char *buf, size_t len)
{
	const struct {
		bool on;
		const char *name;
	} flags[] = {
		{a->global, "global"},         {a->workspaces, "workspaces"},
		{a->include_workspace_root, "iwr"}, {a->no_save, "no_save"},
		{a->save_prod, "save_prod"},   {a->save_dev, "save_dev"},
		{a->save_optional, "save_optional"}, {a->save_peer, "save_peer"},
		{a->save_exact, "save_exact"}, {a->save_bundle, "save_bundle"},
		{a->dry_run, "dry_run"},       {a->package_lock_only, "lock_only"},
		{a->no_package_lock, "no_lock"}, {a->ignore_scripts, "ignore_scripts"},
		{a->omit_dev, "omit_dev"},     {a->force, "force"},
		{a->yes, "yes"},               {a->no_yes, "no_yes"},
		{a->help, "help"},             {a->version, "version"},
		{a->ci_style, "ci_style"},     {a->exec_is_call, "call"},
	};
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
		if (flags[i].on)
			add(buf, len, flags[i].name);
	add_kv(buf, len, "registry", a->registry);
	add_kv(buf, len, "prefix", a->prefix);
	add_kv(buf, len, "userconfig", a->userconfig);
	add_kv(buf, len, "globalconfig", a->globalconfig);
	add_list(buf, len, "ws", a->workspace, a->nworkspace);
	add_kv(buf, len, "cmd", a->exec_command);
	add_list(buf, len, "args", a->exec_args, a->nexec_args);
}

static void join_specs(const struct pv_npm_args *a, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < a->nspecs; i++)
		add(buf, len, a->specs[i]);
}

#define I PV_NPM_INSTALL
#define P PV_NPM_PASS

static const struct tcase cases[] = {
	/* install and every alias */
	{false, {"install", "foo"}, I, "install", "foo", ""},
	{false, {"i", "foo", "bar@2"}, I, "install", "foo bar@2", ""},
	{false, {"in", "foo"}, I, "install", "foo", ""},
	{false, {"ins", "foo"}, I, "install", "foo", ""},
	{false, {"inst", "foo"}, I, "install", "foo", ""},
	{false, {"insta", "foo"}, I, "install", "foo", ""},
	{false, {"instal", "foo"}, I, "install", "foo", ""},
	{false, {"isnt", "foo"}, I, "install", "foo", ""},
	{false, {"isnta", "foo"}, I, "install", "foo", ""},
	{false, {"isntal", "foo"}, I, "install", "foo", ""},
	{false, {"isntall", "foo"}, I, "install", "foo", ""},
	{false, {"add", "foo"}, I, "install", "foo", ""},
	{false, {"install"}, I, "install", "", ""},
	{false, {"install", "alias@npm:real@^1", "lodash@latest", "x@>=1 <2"}, I, "install",
	 "alias@npm:real@^1 lodash@latest x@>=1 <2", ""},
	/* ci, install-test and install-ci-test families */
	{false, {"ci"}, PV_NPM_CI, "ci", "", ""},
	{false, {"clean-install"}, PV_NPM_CI, "ci", "", ""},
	{false, {"ic"}, PV_NPM_CI, "ci", "", ""},
	{false, {"install-clean"}, PV_NPM_CI, "ci", "", ""},
	{false, {"isntall-clean"}, PV_NPM_CI, "ci", "", ""},
	{false, {"install-test", "foo"}, PV_NPM_INSTALL_TEST, "install-test", "foo", ""},
	{false, {"it"}, PV_NPM_INSTALL_TEST, "install-test", "", ""},
	{false, {"install-ci-test"}, PV_NPM_INSTALL_TEST, "install-ci-test", "", "ci_style"},
	{false, {"cit"}, PV_NPM_INSTALL_TEST, "install-ci-test", "", "ci_style"},
	{false, {"clean-install-test"}, PV_NPM_INSTALL_TEST, "install-ci-test", "", "ci_style"},
	{false, {"sit"}, PV_NPM_INSTALL_TEST, "install-ci-test", "", "ci_style"},
	/* update, dedupe */
	{false, {"update"}, PV_NPM_UPDATE, "update", "", ""},
	{false, {"up", "foo"}, PV_NPM_UPDATE, "update", "foo", ""},
	{false, {"u", "foo"}, PV_NPM_UPDATE, "update", "foo", ""},
	{false, {"upgrade", "-g"}, PV_NPM_UPDATE, "update", "", "global"},
	{false, {"udpate"}, PV_NPM_UPDATE, "update", "", ""},
	{false, {"dedupe"}, PV_NPM_DEDUPE, "dedupe", "", ""},
	{false, {"ddp", "--dry-run"}, PV_NPM_DEDUPE, "dedupe", "", "dry_run"},
	{false, {"find-dupes"}, P, "find-dupes", "", ""},
	/* options before and after the command; value-taking vs boolean */
	{false, {"--registry", "http://r.example/", "install", "foo"}, I, "install", "foo",
	 "registry=http://r.example/"},
	{false, {"install", "--registry", "http://r.example/", "foo"}, I, "install", "foo",
	 "registry=http://r.example/"},
	{false, {"install", "--registry=http://r.example/", "foo"}, I, "install", "foo",
	 "registry=http://r.example/"},
	{false, {"install", "foo", "--save-dev"}, I, "install", "foo", "save_dev"},
	{false, {"install", "--save-dev", "foo"}, I, "install", "foo", "save_dev"},
	{false, {"-g", "i", "foo"}, I, "install", "foo", "global"},
	{false, {"i", "--location=global", "foo"}, I, "install", "foo", "global"},
	{false, {"i", "--location", "global", "foo"}, I, "install", "foo", "global"},
	{false, {"i", "-g", "--location=user", "foo"}, I, "install", "foo", "global"},
	{false, {"i", "--local", "foo"}, I, "install", "foo", ""},
	{false, {"i", "-D", "a", "-O", "b", "-E", "-B", "-P", "-S"}, I, "install", "a b",
	 "save_prod save_dev save_optional save_exact save_bundle"},
	{false, {"i", "-gD", "foo"}, I, "install", "foo", "global save_dev"},
	{false, {"i", "--save-peer", "foo"}, I, "install", "foo", "save_peer"},
	{false, {"i", "--no-save", "foo"}, I, "install", "foo", "no_save"},
	{false, {"i", "--save=false", "foo"}, I, "install", "foo", "no_save"},
	{false, {"i", "--save", "false", "foo"}, I, "install", "foo", "no_save"},
	/* a boolean written --opt=word leaves the word as a positional (nopt) */
	{false, {"i", "--save-dev=foo"}, I, "install", "foo", "save_dev"},
	{false, {"i", "--no-package-lock", "--ignore-scripts", "foo"}, I, "install", "foo",
	 "no_lock ignore_scripts"},
	{false, {"i", "--package-lock=false", "--package-lock-only"}, I, "install", "",
	 "lock_only no_lock"},
	{false, {"i", "--omit", "dev", "--force", "foo"}, I, "install", "foo", "omit_dev force"},
	{false, {"i", "--production", "foo"}, I, "install", "foo", "omit_dev"},
	{false, {"-C", "/tmp/p", "i", "foo"}, I, "install", "foo", "prefix=/tmp/p"},
	{false, {"i", "--prefix=/tmp/p", "--userconfig", "/u/rc", "--globalconfig", "/g/rc", "x"},
	 I, "install", "x", "prefix=/tmp/p userconfig=/u/rc globalconfig=/g/rc"},
	/* a String option does not take an option-looking word; a url one does */
	{false, {"i", "--tag", "--save-dev", "foo"}, I, "install", "foo", "save_dev"},
	{false, {"i", "--registry", "--save-dev", "foo"}, I, "install", "foo", ""},
	{false, {"i", "--loglevel", "silent", "foo"}, I, "install", "foo", ""},
	{false, {"-d", "i", "foo"}, I, "install", "foo", ""},
	{false, {"i", "--cache", "/tmp/c", "--before", "2020-01-01", "foo"}, I, "install", "foo",
	 ""},
	/* an invalid registry is dropped by npm but still consumes its value */
	{false, {"i", "--registry", "notaurl", "foo"}, I, "install", "foo", ""},
	{false, {"i", "--reg", "http://r/", "foo"}, I, "install", "foo", "registry=http://r/"},
	/* unique prefixes of option names (nopt's abbreviations) */
	{false, {"i", "--save-d", "foo"}, I, "install", "foo", "save_dev"},
	{false, {"i", "--dry", "foo"}, I, "install", "foo", "dry_run"},
	{false, {"i", "--regis", "http://r/", "foo"}, I, "install", "foo", "registry=http://r/"},
	/* unknown options are boolean: the next word stays a positional */
	{false, {"i", "--frobnicate", "foo"}, I, "install", "foo", ""},
	{false, {"i", "--frobnicate=1", "foo"}, I, "install", "foo", ""},
	{false, {"i", "--frobnicate", "true", "foo"}, I, "install", "foo", ""},
	{false, {"--frobnicate", "install", "foo"}, I, "install", "foo", ""},
	/* -- ends options */
	{false, {"i", "--", "--save-dev"}, I, "install", "--save-dev", ""},
	{false, {"--", "install", "-g"}, I, "install", "-g", ""},
	/* workspaces */
	{false, {"i", "-w", "a", "foo", "--workspace=b", "--workspace", "c"}, I, "install", "foo",
	 "ws=a,b,c"},
	{false, {"i", "--workspaces", "foo"}, I, "install", "foo", "workspaces"},
	{false, {"--ws", "i"}, I, "install", "", "workspaces"},
	{false, {"-ws", "i", "--iwr"}, I, "install", "", "workspaces iwr"},
	{false, {"i", "--include-workspace-root", "--workspaces", "null", "x"}, I, "install",
	 "x", "iwr"},
	/* command words: camelCase, unique prefixes, unknown, ambiguous */
	{false, {"installTest"}, PV_NPM_INSTALL_TEST, "install-test", "", ""},
	{false, {"install-t"}, PV_NPM_INSTALL_TEST, "install-test", "", ""},
	{false, {"install-cl"}, PV_NPM_CI, "ci", "", ""},
	{false, {"upd", "x"}, PV_NPM_UPDATE, "update", "x", ""},
	{false, {"upg", "x"}, PV_NPM_UPDATE, "update", "x", ""},
	{false, {"dedup"}, PV_NPM_DEDUPE, "dedupe", "", ""},
	{false, {"install-"}, P, NULL, "", ""},
	{false, {"frobnicate", "foo"}, P, NULL, "", ""},
	{false, {"Install", "foo"}, P, NULL, "", ""},
	/* help and version */
	{false, {"help", "install"}, P, "help", "", "help"},
	{false, {"hlep", "install"}, P, "help", "", "help"},
	{false, {"install", "--help"}, P, "install", "", "help"},
	{false, {"install", "-h", "foo"}, P, "install", "", "help"},
	{false, {"-?", "install"}, P, "install", "", "help"},
	{false, {"--version"}, P, NULL, "", "version"},
	{false, {"-v"}, P, NULL, "", "version"},
	{false, {"install", "-v", "foo"}, P, NULL, "", "version"},
	{false, {"--versions"}, P, NULL, "", "version"},
	{false, {}, P, NULL, "", ""},
	{false, {"--registry", "http://r/"}, P, NULL, "", "registry=http://r/"},
	/* pass-through commands */
	{false, {"run", "build"}, P, "run", "", ""},
	{false, {"run-script", "install"}, P, "run", "", ""},
	{false, {"test"}, P, "test", "", ""},
	{false, {"t"}, P, "test", "", ""},
	{false, {"ls", "--all"}, P, "ls", "", ""},
	{false, {"config", "set", "registry", "http://r/"}, P, "config", "", ""},
	{false, {"view", "install"}, P, "view", "", ""},
	{false, {"info", "foo"}, P, "view", "", ""},
	{false, {"outdated"}, P, "outdated", "", ""},
	{false, {"audit"}, P, "audit", "", ""},
	{false, {"publish"}, P, "publish", "", ""},
	{false, {"whoami"}, P, "whoami", "", ""},
	{false, {"uninstall", "foo"}, P, "uninstall", "", ""},
	{false, {"-g", "ls"}, P, "ls", "", "global"},
	/* exec */
	{false, {"exec", "--", "foo@1", "--bar"}, PV_NPM_EXEC, "exec", "foo@1",
	 "cmd=foo@1 args=--bar"},
	{false, {"exec", "--package=foo", "--", "cmd", "a"}, PV_NPM_EXEC, "exec", "foo",
	 "cmd=cmd args=a"},
	{false, {"x", "foo"}, PV_NPM_EXEC, "exec", "foo", "cmd=foo"},
	{false, {"exec", "-y", "foo", "arg"}, PV_NPM_EXEC, "exec", "foo", "yes cmd=foo args=arg"},
	{false, {"exec", "-c", "eslint ."}, PV_NPM_EXEC, "exec", "", "call cmd=eslint ."},
	{false, {"exec", "--package", "a", "--package", "b", "-c", "x y"}, PV_NPM_EXEC, "exec",
	 "a b", "call cmd=x y"},
	/* npm (not npx) reads options after the package too */
	{false, {"exec", "foo", "--yes"}, PV_NPM_EXEC, "exec", "foo", "yes cmd=foo"},
	{false, {"exec", "-n", "foo"}, PV_NPM_EXEC, "exec", "foo", "no_yes cmd=foo"},
	{false, {"exec", "--no-yes", "foo"}, PV_NPM_EXEC, "exec", "foo", "no_yes cmd=foo"},
	{false, {"exec"}, P, "exec", "", ""},
	{false, {"exec", "-c", "x", "extra"}, P, "exec", "", ""},
	/* npx */
	{true, {"foo"}, PV_NPM_EXEC, "exec", "foo", "cmd=foo"},
	{true, {"foo@2", "--yes", "-g", "--", "x"}, PV_NPM_EXEC, "exec", "foo@2",
	 "cmd=foo@2 args=--yes,-g,--,x"},
	{true, {"--yes", "foo", "arg"}, PV_NPM_EXEC, "exec", "foo", "yes cmd=foo args=arg"},
	{true, {"-y", "foo", "-v"}, PV_NPM_EXEC, "exec", "foo", "yes cmd=foo args=-v"},
	{true, {"-p", "a", "-p", "b", "cmd", "x"}, PV_NPM_EXEC, "exec", "a b", "cmd=cmd args=x"},
	{true, {"-p=a", "cmd"}, PV_NPM_EXEC, "exec", "a", "cmd=cmd"},
	{true, {"--package", "a", "cmd"}, PV_NPM_EXEC, "exec", "a", "cmd=cmd"},
	{true, {"-p", "foo", "-c", "foo --x"}, PV_NPM_EXEC, "exec", "foo", "call cmd=foo --x"},
	{true, {"--no-install", "foo"}, PV_NPM_EXEC, "exec", "foo", "no_yes cmd=foo"},
	{true, {"--registry", "http://r/", "foo"}, PV_NPM_EXEC, "exec", "foo",
	 "registry=http://r/ cmd=foo"},
	{true, {"-q", "foo"}, PV_NPM_EXEC, "exec", "foo", "cmd=foo"},
	/* npx skips what it thinks is an unknown option's value; npm then reads
	 * that word as the first positional */
	{true, {"--frob", "bar", "baz"}, PV_NPM_EXEC, "exec", "bar", "cmd=bar args=baz"},
	{true, {"--npm", "x", "foo"}, PV_NPM_EXEC, "exec", "foo", "cmd=foo"},
	{true, {"--version"}, P, NULL, "", "version"},
	{true, {}, P, "exec", "", ""},
	/* init with and without an initializer */
	{false, {"init", "react-app", "my-app"}, PV_NPM_INIT, "init", "create-react-app", ""},
	{false, {"create", "vite@5", "app", "--", "--template", "react"}, PV_NPM_INIT, "init",
	 "create-vite@5", ""},
	{false, {"innit", "@scope"}, PV_NPM_INIT, "init", "@scope/create", ""},
	{false, {"init", "@scope@2"}, PV_NPM_INIT, "init", "@scope/create@2", ""},
	{false, {"init", "@scope/name"}, PV_NPM_INIT, "init", "@scope/create-name", ""},
	{false, {"init", "@scope/name@latest"}, PV_NPM_INIT, "init", "@scope/create-name@latest",
	 ""},
	{false, {"init", "foo@1.2"}, PV_NPM_INIT, "init", "create-foo@1.2", ""},
	{false, {"init", "foo@npm:bar@1"}, PV_NPM_INIT, "init", "create-foo@npm:bar@1", ""},
	{false, {"init", "user/project"}, PV_NPM_INIT, "init", "user/create-project", ""},
	{false, {"init", "github:user/project#v1"}, PV_NPM_INIT, "init",
	 "github:user/create-project#v1", ""},
	{false, {"init", "git+https://example.com/x.git"}, PV_NPM_INIT, "init",
	 "git+https://example.com/x.git", ""},
	{false, {"init", "git+https://github.com/u/p.git#main"}, PV_NPM_INIT, "init",
	 "git+https://github.com/u/p.git#main", ""},
	{false, {"init", "foo@github:u/p"}, PV_NPM_INIT, "init", "foo@github:u/p", ""},
	{false, {"init", "foo@file:../x"}, P, "init", "", ""},
	{false, {"init", "../x/y"}, P, "init", "", ""},
	{false, {"init", "a/b/c"}, P, "init", "", ""},
	{false, {"init", "~/x"}, P, "init", "", ""},
	{false, {"init", "./local"}, P, "init", "", ""},
	{false, {"init", "pkg.tgz"}, P, "init", "", ""},
	{false, {"init"}, P, "init", "", ""},
	{false, {"init", "-y"}, P, "init", "", "yes"},
	{false, {"init", "-w", "packages/a"}, P, "init", "", "ws=packages/a"},
	{false, {"init", "--scope", "@me", "foo", "-y"}, PV_NPM_INIT, "init", "create-foo", "yes"},
};

static int count_args(const struct tcase *c)
{
	int n = 0;
	while (n < 15 && c->argv[n])
		n++;
	return n;
}

static void describe(const struct tcase *c, char *buf, size_t len)
{
	buf[0] = '\0';
	add(buf, len, c->npx ? "npx" : "npm");
	for (int i = 0; i < count_args(c); i++)
		add(buf, len, c->argv[i]);
}

static void run_case(const struct tcase *c)
{
	char *argv[17] = {c->npx ? "npx" : "npm"};
	int n = count_args(c);
	for (int i = 0; i < n; i++)
		argv[i + 1] = (char *)c->argv[i];
	char what[512], err[256] = "", specs[512], flags[512];
	describe(c, what, sizeof what);
	struct pv_npm_args a;
	int rc = pv_npm_args_parse(n + 1, argv, c->npx, &a, err, sizeof err);
	CHECK(rc == 0, "%s: rc %d (%s)", what, rc, err);
	if (rc != 0)
		return;
	CHECK(a.verb == c->verb, "%s: verb %s, want %s", what, pv_npm_verb_name(a.verb),
	      pv_npm_verb_name(c->verb));
	CHECK((a.command == NULL) == (c->command == NULL) &&
	          (!a.command || strcmp(a.command, c->command) == 0),
	      "%s: command %s, want %s", what, a.command ? a.command : "(none)",
	      c->command ? c->command : "(none)");
	join_specs(&a, specs, sizeof specs);
	CHECK(strcmp(specs, c->specs) == 0, "%s: specs [%s], want [%s]", what, specs, c->specs);
	CHECK(a.specs && a.specs[a.nspecs] == NULL, "%s: specs not NULL-terminated", what);
	CHECK(a.workspace && a.workspace[a.nworkspace] == NULL, "%s: workspace list", what);
	CHECK(a.exec_args && a.exec_args[a.nexec_args] == NULL, "%s: exec args list", what);
	render_flags(&a, flags, sizeof flags);
	CHECK(strcmp(flags, c->flags) == 0, "%s: flags [%s], want [%s]", what, flags, c->flags);
	pv_npm_args_free(&a);
}

/* Specs and values point into argv, so the caller can hand exactly those
 * strings on; the command word's index is reported for npm, not npx. */
static void test_pointers_into_argv(void)
{
	char *argv[] = {"npm", "--registry", "http://r/", "i", "--save-dev=x", "foo", NULL};
	struct pv_npm_args a;
	char err[128];
	CHECK(pv_npm_args_parse(6, argv, false, &a, err, sizeof err) == 0, "%s", err);
	CHECK(a.cmd_index == 3, "cmd_index %d", a.cmd_index);
	CHECK(a.nspecs == 2 && a.specs[0] == argv[4] + strlen("--save-dev=") &&
	          a.specs[1] == argv[5],
	      "specs are not argv pointers");
	CHECK(a.registry == argv[2], "registry is not an argv pointer");
	pv_npm_args_free(&a);
	CHECK(a.specs == NULL && a.cmd_index == -1, "free did not reset");

	char *npx[] = {"npx", "foo", NULL};
	CHECK(pv_npm_args_parse(2, npx, true, &a, err, sizeof err) == 0, "%s", err);
	CHECK(a.cmd_index == -1 && a.specs[0] == npx[1], "npx cmd_index %d", a.cmd_index);
	pv_npm_args_free(&a);
	pv_npm_args_free(NULL);
}

static void test_bad_input(void)
{
	struct pv_npm_args a;
	char err[128] = "";
	CHECK(pv_npm_args_parse(0, NULL, false, &a, err, sizeof err) == -1 && err[0],
	      "NULL argv accepted");
	pv_npm_args_free(&a);
	CHECK(strcmp(pv_npm_verb_name(PV_NPM_CI), "ci") == 0, "verb name");
	CHECK(strcmp(pv_npm_verb_name(PV_NPM_PASS), "pass-through") == 0, "verb name");
}

/* npm's loglevel, which pkgvet's own messages follow: -q, -s, --silent,
 * --verbose, -dd are shorthands for it; the last one wins. */
static void test_loglevel(void)
{
	static const struct {
		const char *argv[6];
		const char *want;
	} t[] = {
		{{"npm", "install", "x"}, NULL},
		{{"npm", "install", "-q", "x"}, "warn"},
		{{"npm", "--quiet", "install", "x"}, "warn"},
		{{"npm", "install", "-s", "x"}, "silent"},
		{{"npm", "install", "--silent", "x"}, "silent"},
		{{"npm", "install", "--verbose", "x"}, "verbose"},
		{{"npm", "install", "-dd", "x"}, "verbose"},
		{{"npm", "install", "--loglevel=error", "x"}, "error"},
		{{"npm", "install", "--loglevel", "silly", "x"}, "silly"},
		{{"npm", "install", "-q", "--verbose", "x"}, "verbose"},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		int argc = 0;
		while (t[i].argv[argc])
			argc++;
		struct pv_npm_args a;
		char err[128];
		CHECK(pv_npm_args_parse(argc, (char **)t[i].argv, false, &a, err, sizeof err) == 0, "%s", err);
		CHECK(a.verb == PV_NPM_INSTALL, "case %zu: verb", i);
		CHECK(t[i].want ? a.loglevel && strcmp(a.loglevel, t[i].want) == 0 : a.loglevel == NULL,
		      "case %zu: loglevel %s, want %s", i, a.loglevel ? a.loglevel : "(none)",
		      t[i].want ? t[i].want : "(none)");
		pv_npm_args_free(&a);
	}
}

int main(void)
{
	size_t n = sizeof cases / sizeof *cases;
	for (size_t i = 0; i < n; i++)
		run_case(&cases[i]);
	test_pointers_into_argv();
	test_bad_input();
	test_loglevel();
	printf("npm_args: %zu command lines\n", n);
	return CHECK_DONE();
}
