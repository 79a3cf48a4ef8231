/* The pip shim's command lines (shim/pip_cmd.c): resolution and hand-off
 * rewrites of many pip command lines, the upstream indexes pip would use
 * (flags, PIP_* variables, pip.conf, PIP_CONFIG_FILE, --isolated,
 * --no-index), the pins file, finding pip, and one run of the real pip
 * showing that the environment additions keep pip.conf's indexes out. */
#include "check.h"
#include "fixture.h"
#include "pip_cmd.h"
#include "pip_direct.h"
#include "pip_reqscan.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static char g_tmp[256];

/* Split on single spaces into separately allocated words (so no two argv
 * elements share storage, as with a real argv). */
static int split(const char *line, char ***out)
{
	char **v = calloc(64, sizeof *v);
	int n = 0;
	v[n++] = strdup("pip");
	const char *p = line;
	while (*p && n < 63) {
		size_t len = strcspn(p, " ");
		v[n] = malloc(len + 1);
		memcpy(v[n], p, len);
		v[n][len] = '\0';
		n++;
		p += len;
		p += strspn(p, " ");
	}
	*out = v;
	return n;
}

static void free_split(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void join(const struct pv_argv *a, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < a->n; i++) {
		size_t u = strlen(buf);
		snprintf(buf + u, len - u, "%s%s", i ? " " : "", a->v[i]);
	}
}

static const struct pv_pip_exe k_exe = {{"/x/pip"}, 1};

#define R "--index-url G --dry-run --report REP --quiet --no-input --progress-bar off --timeout 600"
#define HPRE "--no-input --progress-bar off"
#define HSUF "-r PINS --no-deps --require-hashes --index-url G"

/* line split and parsed; false (a failed check, nothing to free) when pip_args refuses it. */
static bool parse_line(const char *line, char ***argv, int *argc, struct pv_pip_args *a)
{
	char err[256] = "";
	*argc = split(line, argv);
	if (pv_pip_args_parse(*argc, *argv, a, err, sizeof err) != 0) {
		CHECK(0, "parse %s: %s", line, err);
		free_split(*argv, *argc);
		return false;
	}
	return true;
}

/* expect NULL: the rewrite must fail. */
static void check_cmd(bool resolve, const char *line, const char *expect)
{
	char **argv;
	int argc;
	struct pv_pip_args a;
	char err[256] = "";
	if (!parse_line(line, &argv, &argc, &a))
		return;
	struct pv_argv out = {0};
	int rc = resolve ? pv_pip_resolve_argv(&k_exe, argc, argv, &a, "G", "REP", &out, err, sizeof err)
	                 : pv_pip_handoff_argv(&k_exe, argc, argv, &a, "G", "PINS", &out, err, sizeof err);
	if (!expect) {
		CHECK(rc != 0, "%s: %s should fail", resolve ? "resolve" : "handoff", line);
	} else if (rc != 0) {
		CHECK(0, "%s: %s failed: %s", resolve ? "resolve" : "handoff", line, err);
	} else {
		char got[2048];
		join(&out, got, sizeof got);
		CHECK(strcmp(got, expect) == 0, "%s: %s\n  got:  %s\n  want: %s",
		      resolve ? "resolve" : "handoff", line, got, expect);
	}
	pv_argv_free(&out);
	pv_pip_args_free(&a);
	free_split(argv, argc);
}

static void test_resolve(void)
{
	check_cmd(true, "install -i X --extra-index-url Y foo", "/x/pip install " R " foo");
	check_cmd(true, "install --index-url=X --extra-index-url=Y foo", "/x/pip install " R " foo");
	check_cmd(true, "install --index X --extra Y foo bar", "/x/pip install " R " foo bar");
	check_cmd(true, "install --pypi-url X -iY foo", "/x/pip install " R " foo");
	check_cmd(true, "install -i A -i B -i C foo", "/x/pip install " R " foo");
	check_cmd(true, "install -r req.txt -c c.txt", "/x/pip install " R " -c c.txt -r req.txt");
	check_cmd(true, "install -r a.txt foo -r b.txt --requirement=c.txt",
	          "/x/pip install " R " -r a.txt -r b.txt -r c.txt foo");
	check_cmd(true, "install -e ./pkg foo", "/x/pip install " R " -e ./pkg foo");
	check_cmd(true, "install --user -q foo", "/x/pip install --user -q " R " foo");
	check_cmd(true, "install --target T --upgrade --pre foo",
	          "/x/pip install --target T --upgrade --pre " R " foo");
	check_cmd(true, "install --prefix P --root Q foo", "/x/pip install --prefix P --root Q " R " foo");
	check_cmd(true, "--proxy P -v install foo", "/x/pip --proxy P -v install " R " foo");
	check_cmd(true, "install -qrreq.txt", "/x/pip install -q " R " -r req.txt");
	check_cmd(true, "install -qr req.txt -i A -i B --no-index foo", "/x/pip install -q " R " -r req.txt foo");
	check_cmd(true, "install -Ur req.txt", "/x/pip install -U " R " -r req.txt");
	check_cmd(true, "install foo --report old.json", "/x/pip install " R " foo");
	/* find-links go to the gate, in every spelling. */
	check_cmd(true, "install --no-ind foo -f ./w", "/x/pip install " R " foo");
	check_cmd(true, "install -f./w --find-links=/x --find-l y -qf z --pre foo",
	          "/x/pip install -q --pre " R " foo");
	/* --log takes the next word whatever it is: -i is a file name here. */
	check_cmd(true, "install --log -i foo", "/x/pip install --log -i " R " foo");
	check_cmd(true, "install --log --no-index foo", "/x/pip install --log --no-index " R " foo");
	check_cmd(true, "install foo -- -weird", "/x/pip install " R " -- foo -weird");
	check_cmd(true, "install --log -- foo", "/x/pip install --log -- " R " foo");
	check_cmd(true, "install -i A --index-url=B --pypi-url C --no-index --no-index foo",
	          "/x/pip install " R " foo");
	check_cmd(true, "install --only-binary=:all: --no-binary foo --require-hashes -r r.txt",
	          "/x/pip install --only-binary=:all: --no-binary foo --require-hashes " R " -r r.txt");
	/* download / wheel resolve as an install with --ignore-installed. */
	check_cmd(true, "download -d DIR foo", "/x/pip install " R " --ignore-installed --target REP.target foo");
	check_cmd(true, "download --dest=DIR -dD2 --no-deps foo -i X",
	          "/x/pip install --no-deps " R " --ignore-installed --target REP.target foo");
	check_cmd(true, "download --platform manylinux2014_x86_64 --python-version 3.9 --only-binary=:all: -d D foo",
	          "/x/pip install --platform manylinux2014_x86_64 --python-version 3.9 --only-binary=:all: " R
	          " --ignore-installed --target REP.target foo");
	check_cmd(true, "wheel -w DIR --no-verify foo", "/x/pip install " R " --ignore-installed --target REP.target foo");
	check_cmd(true, "wheel --build-option=--x --wheel-dir DIR -r r.txt --pre",
	          "/x/pip install --pre " R " --ignore-installed --target REP.target -r r.txt");
	check_cmd(true, "wheel --build-option --x -e ./p", "/x/pip install " R " --ignore-installed --target REP.target -e ./p");
	check_cmd(true, "-q wheel -qw DIR foo", "/x/pip -q install -q " R " --ignore-installed --target REP.target foo");
	/* Not fetching commands are not rewritten. */
	check_cmd(true, "list", NULL);
	check_cmd(true, "install --bogus foo", NULL);
}

static void test_handoff(void)
{
	check_cmd(false, "install -i X --extra-index-url Y foo", "/x/pip install " HPRE " " HSUF);
	check_cmd(false, "install --user -U -q -r req.txt -c c.txt foo",
	          "/x/pip install " HPRE " --user -U -q " HSUF);
	check_cmd(false, "install --index=X --extra=Y --no-index -e ./p foo",
	          "/x/pip install " HPRE " " HSUF);
	check_cmd(false, "download -d DIR foo", "/x/pip download " HPRE " -d DIR " HSUF);
	check_cmd(false, "wheel -w DIR -e ./pkg --no-verify", "/x/pip wheel " HPRE " -w DIR --no-verify " HSUF);
	check_cmd(false, "--isolated install --target T --progress-bar on foo --no-index -f ./w",
	          "/x/pip --isolated install " HPRE " --target T --progress-bar on " HSUF);
	check_cmd(false, "download -d D -f./w --find-links=/x -qf z foo", "/x/pip download " HPRE " -d D -q " HSUF);
	check_cmd(false, "install --prefix P --root Q --force-reinstall foo --",
	          "/x/pip install " HPRE " --prefix P --root Q --force-reinstall " HSUF);
	check_cmd(false, "install --report r.json --dry-run -qrreq.txt",
	          "/x/pip install " HPRE " --report r.json --dry-run -q " HSUF);
	check_cmd(false, "show foo", NULL);
	check_cmd(false, "install foo -- -weird", "/x/pip install " HPRE " " HSUF);
	check_cmd(false, "install --log -- foo", "/x/pip install " HPRE " --log -- " HSUF);
}

/* A caller's argv may share storage between elements (merged literals):
 * the rewrite works on its own copies. Bad arguments are errors. */
static void test_odd_input(void)
{
	char *argv[] = {"pip", "install", "-r", "a.txt", "-c", "a.txt", "a.txt", NULL};
	struct pv_pip_args a;
	char err[256];
	CHECK(pv_pip_args_parse(7, argv, &a, err, sizeof err) == 0, "parse: %s", err);
	struct pv_argv out = {0};
	CHECK(pv_pip_resolve_argv(&k_exe, 7, argv, &a, "G", "REP", &out, err, sizeof err) == 0,
	      "aliased argv: %s", err);
	char got[1024];
	join(&out, got, sizeof got);
	CHECK(strcmp(got, "/x/pip install " R " -c a.txt -r a.txt a.txt") == 0, "aliased: %s", got);
	pv_argv_free(&out);
	CHECK(pv_pip_resolve_argv(&k_exe, 7, argv, &a, "", "REP", &out, err, sizeof err) != 0, "empty gate");
	CHECK(pv_pip_handoff_argv(&k_exe, 7, argv, &a, "G", NULL, &out, err, sizeof err) != 0, "no reqfile");
	struct pv_pip_exe none = {{NULL}, 0};
	CHECK(pv_pip_handoff_argv(&none, 7, argv, &a, "G", "P", &out, err, sizeof err) != 0, "no exe");
	CHECK(pv_pip_resolve_argv(&k_exe, 0, argv, &a, "G", "REP", &out, err, sizeof err) != 0, "argc 0");
	/* a parse of a different line is caught. */
	char *other[] = {"pip", "download", "foo", NULL};
	CHECK(pv_pip_resolve_argv(&k_exe, 3, other, &a, "G", "REP", &out, err, sizeof err) != 0,
	      "mismatched parse accepted");
	CHECK(out.n == 0 && out.v == NULL, "out not empty after errors");
	pv_pip_args_free(&a);
}

/* ---- upstreams ------------------------------------------------------------ */

static void clean_env(const char *home)
{
	setenv("HOME", home, 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("VIRTUAL_ENV");
	unsetenv("PIP_CONFIG_FILE");
	unsetenv("PIP_INDEX_URL");
	unsetenv("PIP_EXTRA_INDEX_URL");
	unsetenv("PIP_FIND_LINKS");
}

typedef char **(*list_fn)(const struct pv_pip_args *a, char *err, size_t errlen);

/* The list fn makes of line, space-separated. */
static void check_list(list_fn fn, const char *line, const char *expect)
{
	char **argv;
	int argc;
	struct pv_pip_args a;
	char err[256] = "";
	if (!parse_line(line, &argv, &argc, &a))
		return;
	char **u = fn(&a, err, sizeof err);
	CHECK(u != NULL, "list %s: %s", line, err);
	if (u) {
		char got[2048] = "";
		for (size_t i = 0; u[i]; i++) {
			size_t n = strlen(got);
			snprintf(got + n, sizeof got - n, "%s%s", i ? " " : "", u[i]);
		}
		CHECK(strcmp(got, expect) == 0, "list %s\n  got:  %s\n  want: %s", line, got, expect);
	}
	pv_strv_free(u);
	pv_pip_args_free(&a);
	free_split(argv, argc);
}

#define check_up(line, expect) check_list(pv_pip_upstreams, line, expect)
#define check_fl(line, expect) check_list(pv_pip_find_links, line, expect)

static void test_upstreams(void)
{
	char home[512], p[600];
	snprintf(home, sizeof home, "%s/home", g_tmp);
	fixture_mkdirs(g_tmp, "home/.config/pip");
	clean_env(home);

	/* --isolated: pip reads neither files nor variables. */
	setenv("PIP_INDEX_URL", "http://env/simple", 1);
	check_up("--isolated install foo", "https://pypi.org/simple/");
	check_up("install --isolated -i http://a/simple foo", "http://a/simple/");
	unsetenv("PIP_INDEX_URL");

	check_up("install -i http://a/simple --extra-index-url http://b/ --extra-index-url=http://c foo",
	         "http://a/simple/ http://b/ http://c/");
	check_up("install --no-index -i http://a/simple foo", "");

	/* Variables. */
	setenv("PIP_INDEX_URL", "http://e/simple", 1);
	setenv("PIP_EXTRA_INDEX_URL", "http://x/ http://y/", 1);
	check_up("install foo", "http://e/simple/ http://x/ http://y/");
	check_up("install -i http://a/ --extra-index-url http://z/ foo", "http://a/ http://x/ http://y/ http://z/");
	unsetenv("PIP_INDEX_URL");
	unsetenv("PIP_EXTRA_INDEX_URL");

	/* The user's pip.conf; command-line extras add to its extras. */
	snprintf(p, sizeof p, "%s/.config/pip/pip.conf", home);
	fixture_write_file(p, "[global]\nindex-url = http://c/simple\nextra-index-url = http://d/\n");
	check_up("install foo", "http://c/simple/ http://d/");
	check_up("install --extra-index-url http://z/ foo", "http://c/simple/ http://d/ http://z/");
	/* pip ignores an empty PIP_EXTRA_INDEX_URL; a blank one is an empty
	 * list hiding pip.conf's. */
	setenv("PIP_EXTRA_INDEX_URL", "", 1);
	check_up("install foo", "http://c/simple/ http://d/");
	setenv("PIP_EXTRA_INDEX_URL", " ", 1);
	check_up("install foo", "http://c/simple/");
	unsetenv("PIP_EXTRA_INDEX_URL");

	/* PIP_CONFIG_FILE: above the other files, and the user files are then
	 * skipped (pip's iter_config_files). */
	snprintf(p, sizeof p, "%s/custom.conf", g_tmp);
	fixture_write_file(p, "[install]\nindex-url = http://f/simple\n");
	setenv("PIP_CONFIG_FILE", p, 1);
	check_up("install foo", "http://f/simple/");
	setenv("PIP_EXTRA_INDEX_URL", "http://x/", 1);
	check_up("install foo", "http://f/simple/ http://x/");
	unsetenv("PIP_EXTRA_INDEX_URL");
	setenv("PIP_CONFIG_FILE", "/dev/null", 1);
	check_up("--isolated install foo", "https://pypi.org/simple/");
	setenv("PIP_INDEX_URL", "http://e/simple", 1);
	check_up("install foo", "http://e/simple/");
	clean_env(home);
}

/* find-links: configuration's then the command line's, paths absolute. */
static void test_find_links(void)
{
	char home[512], p[600], cwd[400], old[4096], want[2048];
	snprintf(home, sizeof home, "%s/home", g_tmp);
	fixture_mkdirs(g_tmp, "home/.config/pip");
	fixture_mkdirs(g_tmp, "home/wh");
	clean_env(home);
	if (!getcwd(old, sizeof old) || chdir(g_tmp) != 0 || !getcwd(cwd, sizeof cwd)) {
		CHECK(0, "cannot change directory");
		return;
	}
	check_fl("install foo", "");
	check_fl("install --no-index foo", "");
	snprintf(want, sizeof want, "%s/w %s/../x /abs http://h/p file:///f %s/wh %s/~nope", cwd, cwd, home, cwd);
	check_fl("install -f w --find-links=../x -f/abs -fhttp://h/p --find-l file:///f -f ~/wh -f ~nope foo", want);
	snprintf(want, sizeof want, "%s/~/missing", cwd);
	check_fl("install -f ~/missing foo", want); /* pip expands ~ only when that exists */
	/* PIP_FIND_LINKS: words, before the command line's. */
	setenv("PIP_FIND_LINKS", " /e1  rel http://e/ ", 1);
	snprintf(want, sizeof want, "/e1 %s/rel http://e/ /c", cwd);
	check_fl("install -f /c foo", want);
	check_fl("--isolated install -f /c foo", "/c");
	unsetenv("PIP_FIND_LINKS");
	/* pip.conf's find-links ([install] wins over [global]). */
	snprintf(p, sizeof p, "%s/.config/pip/pip.conf", home);
	fixture_write_file(p, "[global]\nfind-links = /g\n[install]\nfind_links =\n  /i1\n  /i2\n");
	check_fl("install -f /c foo", "/i1 /i2 /c");
	setenv("PIP_FIND_LINKS", "/env", 1);
	check_fl("install foo", "/env");
	clean_env(home);
	unlink(p);
	CHECK(chdir(old) == 0, "chdir back");
}


/* ---- source options in requirements files ------------------------------------------- */

#define HEXB_64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* Requirement lines the scan hands over, as "spec|e|hash;" (e: 1 editable). */
struct seen {
	char text[2000];
};

static int record_req(void *ud, const char *spec, bool editable, const char *sha256, const char *file,
                      unsigned line)
{
	struct seen *s = ud;
	size_t o = strlen(s->text);
	(void)file;
	(void)line;
	snprintf(s->text + o, sizeof s->text - o, "%s|%d|%s;", spec, editable, sha256 ? sha256 : "");
	return 0;
}

/* pv_pip_reqfiles_scan on the command line, run in g_tmp/rq: rc, and where
 * or the requirement lines seen must contain want (NULL: anything). */
static void check_scan(const char *line, int want_rc, const char *want)
{
	char **argv, where[600] = "";
	int argc;
	struct pv_pip_args a;
	if (!parse_line(line, &argv, &argc, &a))
		return;
	struct seen seen = {""};
	int rc = pv_pip_reqfiles_scan(&a, record_req, &seen, where, sizeof where);
	CHECK(rc == want_rc && (!want || strstr(where, want) || strstr(seen.text, want)),
	      "scan %s: %d %s [%s] (want %d %s)", line, rc, where, seen.text, want_rc, want ? want : "");
	pv_pip_args_free(&a);
	free_split(argv, argc);
}

static void test_reqscan(void)
{
	char old[4096], d[400];
	snprintf(d, sizeof d, "%s/rq", g_tmp);
	fixture_mkdirs(g_tmp, "rq/sub");
	if (!getcwd(old, sizeof old) || chdir(d) != 0) {
		CHECK(0, "chdir");
		return;
	}
	fixture_write_file("clean.txt", "foo==1.0 --hash=sha256:abc\n--require-hashes\n--pre\n"
	                                "bar ; python_version < '3.9'  # -f /x in a comment\n#--no-index\n"
	                                "baz#-f\n-r sub/clean2.txt\n--requirement=missing.txt\n");
	fixture_write_file("sub/clean2.txt", "qux\n--constraint ../clean.txt.c\n");
	fixture_write_file("clean.txt.c", "foo<2\n");
	check_scan("install -r clean.txt", 0, NULL);
	check_scan("install -r no-such.txt foo", 0, NULL);
	fixture_write_file("a.txt", "foo\n-r sub/b.txt\n");
	fixture_write_file("sub/b.txt", "bar\n-c c.txt\n");
	fixture_write_file("sub/c.txt", "baz\n  --find-l=/x\n");
	check_scan("install -r a.txt", 1, "sub/c.txt:2: --find-links");
	static const struct {
		const char *file, *text, *cmd;
		int rc;
		const char *want;
	} k[] = {
	    {"cont.txt", "foo \\\n  --ind\\\nex-url http://x\n", "install -r cont.txt", 1, "cont.txt:1: --index-url"},
	    {"q.txt", "\"-fhttp://x\"\n", "install -r q.txt", 1, "--find-links"},
	    {"ni.txt", "foo\r\n--no-index\r\n", "install -c ni.txt foo", 1, "ni.txt:2: --no-index"},
	    {"ex.txt", "--extra-index-url=http://x\n", "install -qrex.txt", 1, "--extra-index-url"},
	    {"short.txt", "-i http://x\n", "install -r clean.txt -r short.txt", 1, "short.txt:1: --index-url"},
	    {"remote.txt", "-r https://example.org/req.txt\n", "install -r remote.txt", -1, "fetch"},
	    {"env.txt", "-r ${REQS}/x.txt\n", "install -r env.txt", -1, "expand"},
	    /* requirement lines reach the caller (pip_direct.c classifies them) */
	    {"p1.txt", "foo\n./pkg\n", "install -r p1.txt", 0, "foo|0|;./pkg|0|;"},
	    {"p2.txt", "foo @ https://x/foo.tgz --hash=sha256:" HEXB_64 "\n", "install -r p2.txt", 0,
	     "foo @ https://x/foo.tgz|0|" HEXB_64 ";"},
	    {"p4.txt", "-e ./pkg\n-e./other\n", "install -r p4.txt", 0, "./pkg|1|;./other|1|;"},
	    {"p5.txt", "foo-1.0.tar.gz  # an archive here\n", "install -r p5.txt", 0, "foo-1.0.tar.gz|0|;"},
	    {"p7.txt", "bar;python_version<'3.9' and sys_platform != 'a/b'\n", "install -r p7.txt", 0, "bar;python"},
	};
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
		fixture_write_file(k[i].file, k[i].text);
		check_scan(k[i].cmd, k[i].rc, k[i].want);
	}
	check_scan("install -r http://example.org/r.txt", -1, NULL);
	/* What is a direct requirement (pip_direct.c), as pip tells them. */
	fixture_mkdirs(g_tmp, "rq/pkg");
	fixture_write_file("foo-1.0.tar.gz", "not really");
	static const struct {
		const char *spec;
		int kind; /* 0: a name */
	} dk[] = {
	    {"./pkg", PV_DIRECT_DIR}, {"pkg/", PV_DIRECT_DIR}, {"foo-1.0.tar.gz", PV_DIRECT_FILE},
	    {"./foo-1.0.tar.gz ; python_version > '3'", PV_DIRECT_FILE},
	    {"foo @ https://x/f.whl", PV_DIRECT_URL}, {"https://x/foo-1.0.tar.gz#sha256=" HEXB_64, PV_DIRECT_URL},
	    {"git+https://x/r.git@v1#egg=r", PV_DIRECT_VCS}, {"r @ git+https://x/r.git", PV_DIRECT_VCS},
	    {"foo", 0}, {"foo[bar]>=1.0,<2", 0}, {"foo ; os_name == 'a/b'", 0}, {"zope.interface", 0},
	    {"./missing-dir", 0}, {"missing-1.0.tar.gz", 0},
	};
	for (size_t i = 0; i < sizeof dk / sizeof *dk; i++) {
		struct pv_pip_direct dr;
		int r = pv_pip_direct_classify(dk[i].spec, false, &dr);
		CHECK(dk[i].kind ? r == 1 && (int)dr.kind == dk[i].kind : r == 0, "classify %s: %d kind %d (want %d)",
		      dk[i].spec, r, r == 1 ? (int)dr.kind : 0, dk[i].kind);
		if (r == 1 && strstr(dk[i].spec, "#sha256="))
			CHECK(dr.sha256 && strcmp(dr.sha256, HEXB_64) == 0 && !strchr(dr.where, '#'),
			      "the pinned digest is taken off the URL");
		if (r == 1) {
			free(dr.where);
			free(dr.sha256);
			free(dr.name);
			free(dr.origin);
		}
	}
	fixture_write_file("loop.txt", "-r loop.txt\n");
	check_scan("install -r loop.txt", -1, "too deep");
	CHECK(chdir(old) == 0, "chdir back");
}

/* ---- pins, env, find ---------------------------------------------------------- */

#define HEXA "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define HEXB "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void test_pins(void)
{
	struct pv_pip_pin pins[] = {
		{"zeta", "1.0", HEXB},
		{"Alpha_pkg", "2.0rc1", HEXA},
		{"beta.x", "1!3.0+local.1", HEXB},
	};
	char *t = pv_pip_pins_text(pins, 3);
	CHECK(t && strcmp(t,
	                  "Alpha_pkg==2.0rc1 --hash=sha256:"
	                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
	                  "beta.x==1!3.0+local.1 --hash=sha256:" HEXB "\n"
	                  "zeta==1.0 --hash=sha256:" HEXB "\n") == 0,
	      "pins text: %s", t ? t : "(null)");
	free(t);
	t = pv_pip_pins_text(NULL, 0);
	CHECK(t && !*t, "empty pins");
	free(t);
	struct pv_pip_pin bad[][1] = {
		{{"foo bar", "1.0", HEXB}},
		{{"foo", "1.0\n--index-url=x", HEXB}},
		{{"foo", "1.0", "abc"}},
		{{"foo", "1.0", HEXB "0"}},
		{{"foo", NULL, HEXB}},
		{{"", "1.0", HEXB}},
		{{"foo", "1.0 #", HEXB}},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		t = pv_pip_pins_text(bad[i], 1);
		CHECK(t == NULL, "bad pin %zu accepted: %s", i, t);
		free(t);
	}
}

static bool has(char **v, const char *kv)
{
	for (size_t i = 0; v && v[i]; i++)
		if (strcmp(v[i], kv) == 0)
			return true;
	return false;
}

static void test_env(void)
{
	char err[256];
	setenv("NO_PROXY", "localhost,.corp", 1);
	unsetenv("no_proxy");
	char **e = pv_pip_env(err, sizeof err);
	CHECK(e != NULL, "env: %s", err);
	CHECK(has(e, "PIP_INDEX_URL= "), "PIP_INDEX_URL");
	CHECK(has(e, "PIP_EXTRA_INDEX_URL= "), "PIP_EXTRA_INDEX_URL");
	CHECK(has(e, "PIP_NO_INDEX=0"), "PIP_NO_INDEX");
	CHECK(has(e, "PIP_DISABLE_PIP_VERSION_CHECK=1"), "version check");
	CHECK(has(e, "NO_PROXY=localhost,.corp,127.0.0.1"), "NO_PROXY extended");
	CHECK(has(e, "no_proxy=127.0.0.1"), "no_proxy set");
	pv_strv_free(e);
	setenv("no_proxy", "127.0.0.1", 1);
	e = pv_pip_env(err, sizeof err);
	CHECK(e && has(e, "no_proxy=127.0.0.1"), "no_proxy not doubled");
	pv_strv_free(e);
	unsetenv("NO_PROXY");
	unsetenv("no_proxy");
}

static void make_exec(const char *path)
{
	fixture_write_file(path, "#!/bin/sh\nexit 0\n");
	chmod(path, 0755);
}

static void test_find(void)
{
	char err[256] = "", venv[512], p[600], real[600];
	struct pv_pip_exe e;
	snprintf(venv, sizeof venv, "%s/venv", g_tmp);
	fixture_mkdirs(g_tmp, "venv/bin");
	snprintf(p, sizeof p, "%s/bin/pip", venv);
	make_exec(p);
	unsetenv("PKGVET_REAL_PIP");
	setenv("VIRTUAL_ENV", venv, 1);
	CHECK(pv_pip_find("pip", NULL, &e, err, sizeof err) == 0 && e.n == 1 && strcmp(e.argv0[0], p) == 0,
	      "venv pip: %s / %s", err, e.n ? e.argv0[0] : "-");
	pv_pip_exe_free(&e);
	/* pip3 without bin/pip3 in the venv: the venv's pip still. */
	CHECK(pv_pip_find("pip3", NULL, &e, err, sizeof err) == 0 && e.n == 1 && strcmp(e.argv0[0], p) == 0,
	      "venv pip3: %s", err);
	pv_pip_exe_free(&e);
	char p3[600];
	snprintf(p3, sizeof p3, "%s/bin/pip3", venv);
	make_exec(p3);
	CHECK(pv_pip_find("pip3", NULL, &e, err, sizeof err) == 0 && e.n == 1 && strcmp(e.argv0[0], p3) == 0,
	      "venv pip3 exists: %s", err);
	pv_pip_exe_free(&e);

	/* The override wins, and a bad one is an error, not a fallback. */
	snprintf(real, sizeof real, "%s/realpip", g_tmp);
	make_exec(real);
	setenv("PKGVET_REAL_PIP", real, 1);
	CHECK(pv_pip_find("pip", NULL, &e, err, sizeof err) == 0 && e.n == 1 &&
	          strcmp(e.argv0[0], real) == 0,
	      "PKGVET_REAL_PIP: %s", err);
	pv_pip_exe_free(&e);
	snprintf(p, sizeof p, "%s/missing", g_tmp);
	setenv("PKGVET_REAL_PIP", p, 1);
	CHECK(pv_pip_find("pip", NULL, &e, err, sizeof err) != 0, "missing PKGVET_REAL_PIP accepted");
	pv_pip_exe_free(&e);
	unsetenv("PKGVET_REAL_PIP");
	unsetenv("VIRTUAL_ENV");

	CHECK(pv_pip_find("pip", "/usr/bin/python3", &e, err, sizeof err) == 0 && e.n == 3 &&
	          strcmp(e.argv0[0], "/usr/bin/python3") == 0 && strcmp(e.argv0[1], "-m") == 0 &&
	          strcmp(e.argv0[2], "pip") == 0,
	      "python -m pip: %s", err);
	pv_pip_exe_free(&e);
	CHECK(pv_pip_find("npm", NULL, &e, err, sizeof err) != 0, "npm accepted as pip");
	pv_pip_exe_free(&e);
}

/* ---- the real pip ------------------------------------------------------------------ */

/* Run argv with env additions, output to log; exit status or -1. */
static int run_logged(char *const argv[], char **env, const char *log)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			_exit(126);
		dup2(fd, 1);
		dup2(fd, 2);
		for (size_t i = 0; env && env[i]; i++)
			putenv(env[i]);
		execvp(argv[0], argv);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static bool file_has(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, needle) != NULL;
}

static void test_real_pip(void)
{
	if (system("python3 -m pip --version >/dev/null 2>&1") != 0) {
		fprintf(stderr, "skip: no python3 -m pip\n");
		return;
	}
	char root[512], cmd[2048], conf[600], dest[600], log[600], url[128];
	snprintf(root, sizeof root, "%s/srv", g_tmp);
	fixture_mkdirs(g_tmp, "srv/pypi/files/pvcmdpkg");
	snprintf(cmd, sizeof cmd,
	         "python3 - '%s/pypi/files/pvcmdpkg/pvcmdpkg-1.0-py3-none-any.whl' <<'EOF'\n"
	         "import sys, zipfile\n"
	         "meta = 'Metadata-Version: 2.1\\nName: pvcmdpkg\\nVersion: 1.0\\n'\n"
	         "with zipfile.ZipFile(sys.argv[1], 'w') as z:\n"
	         "    z.writestr('pvcmdpkg/__init__.py', '')\n"
	         "    z.writestr('pvcmdpkg-1.0.dist-info/METADATA', meta)\n"
	         "    z.writestr('pvcmdpkg-1.0.dist-info/WHEEL', 'Wheel-Version: 1.0\\nGenerator: t\\n"
	         "Root-Is-Purelib: true\\nTag: py3-none-any\\n')\n"
	         "    z.writestr('pvcmdpkg-1.0.dist-info/RECORD', '')\n"
	         "EOF",
	         root);
	if (system(cmd) != 0) {
		CHECK(0, "cannot build the test wheel");
		return;
	}
	struct fixture fx;
	if (fixture_start(&fx, "registry_server.py", root) != 0) {
		CHECK(0, "registry_server.py did not start");
		fixture_stop(&fx);
		return;
	}
	/* pip.conf names a dead index and a dead extra index. */
	snprintf(conf, sizeof conf, "%s/dead-pip.conf", g_tmp);
	fixture_write_file(conf, "[global]\nindex-url = http://127.0.0.1:1/simple\n"
	                         "extra-index-url = http://127.0.0.1:1/extra/simple\n"
	                         "no-index = false\n");
	snprintf(url, sizeof url, "http://127.0.0.1:%d/pypi/simple", fx.port);
	char err[256];
	char **add = pv_pip_env(err, sizeof err);
	CHECK(add != NULL, "env: %s", err);
	/* The test's own environment: this pip.conf, no stray find-links. */
	size_t na = 0;
	while (add && add[na])
		na++;
	char **env = calloc(na + 4, sizeof *env);
	char cfenv[700];
	snprintf(cfenv, sizeof cfenv, "PIP_CONFIG_FILE=%s", conf);
	env[0] = cfenv;
	env[1] = "PIP_FIND_LINKS=";
	for (size_t i = 0; i < na; i++)
		env[2 + i] = add[i];

	for (int with = 0; with < 2; with++) {
		snprintf(dest, sizeof dest, "%s/dl%d", g_tmp, with);
		snprintf(log, sizeof log, "%s/pip%d.log", g_tmp, with);
		char *argv[] = {"python3", "-m", "pip", "download", "-v", "--no-cache-dir", "--retries", "0",
		                "--timeout", "5", "--no-deps", "-d", dest, "--index-url", url, "pvcmdpkg",
		                NULL};
		char *ctl_env[] = {cfenv, "PIP_FIND_LINKS=", NULL};
		double t0 = fixture_mono();
		int rc = run_logged(argv, with ? env : ctl_env, log);
		double dt = fixture_mono() - t0;
		char whl[700];
		snprintf(whl, sizeof whl, "%s/pvcmdpkg-1.0-py3-none-any.whl", dest);
		if (with) {
			CHECK(rc == 0, "pip download with the env failed (%d), see %s", rc, log);
			CHECK(access(whl, F_OK) == 0, "no wheel downloaded");
			CHECK(!file_has(log, "127.0.0.1:1/"), "pip used pip.conf's dead index; see %s", log);
			fprintf(stderr, "real pip with env additions: rc %d in %.1fs, dead index untouched\n", rc, dt);
		} else {
			/* The control: without the additions pip does go to pip.conf's
			 * extra index, so the check above means something. */
			CHECK(file_has(log, "127.0.0.1:1/"), "control run did not try the dead index; see %s", log);
			fprintf(stderr, "real pip without env additions: rc %d in %.1fs, tried the dead index\n", rc, dt);
		}
	}
	/* pip.conf's no-index = true is beaten by PIP_NO_INDEX=0. */
	fixture_write_file(conf, "[global]\nno-index = true\n");
	snprintf(dest, sizeof dest, "%s/dl2", g_tmp);
	snprintf(log, sizeof log, "%s/pip2.log", g_tmp);
	char *argv2[] = {"python3", "-m", "pip", "download", "-v", "--no-cache-dir", "--no-deps", "-d",
	                 dest, "--index-url", url, "pvcmdpkg", NULL};
	int rc2 = run_logged(argv2, env, log);
	CHECK(rc2 == 0, "pip.conf no-index = true won over PIP_NO_INDEX=0 (%d), see %s", rc2, log);

	/* Both rewritten commands with the real pip, the fixture index standing
	 * in for the gate: a download with platform options resolves as an
	 * install dry run, then the hand-off downloads the pinned wheel. */
	fixture_write_file(conf, "[global]\nextra-index-url = http://127.0.0.1:1/extra/simple\n");
	struct pv_pip_exe py = {{"python3", "-m", "pip"}, 3};
	char line[1024], report[600], pins[600];
	snprintf(dest, sizeof dest, "%s/dl3", g_tmp);
	snprintf(report, sizeof report, "%s/report.json", g_tmp);
	snprintf(line, sizeof line,
	         "download --platform manylinux2014_x86_64 --python-version 3.9 --only-binary=:all: "
	         "-d %s -v pvcmdpkg", dest);
	char **pargv;
	int pargc = split(line, &pargv);
	struct pv_pip_args pa;
	struct pv_argv cmdv = {0};
	CHECK(pv_pip_args_parse(pargc, pargv, &pa, err, sizeof err) == 0, "parse: %s", err);
	CHECK(pv_pip_resolve_argv(&py, pargc, pargv, &pa, url, report, &cmdv, err, sizeof err) == 0,
	      "resolve argv: %s", err);
	snprintf(log, sizeof log, "%s/pip3.log", g_tmp);
	int rc = cmdv.v ? run_logged(cmdv.v, env, log) : -1;
	CHECK(rc == 0, "resolution run failed (%d), see %s", rc, log);
	CHECK(file_has(report, "\"pvcmdpkg\""), "report does not name pvcmdpkg: %s", report);
	CHECK(!file_has(log, "127.0.0.1:1/"), "resolution used pip.conf's dead index; see %s", log);
	char tgt[700];
	snprintf(tgt, sizeof tgt, "%s.target", report);
	CHECK(access(tgt, F_OK) != 0, "the dry run created its --target");
	pv_argv_free(&cmdv);

	char shacmd[800], hex[80] = "";
	snprintf(shacmd, sizeof shacmd, "sha256sum '%s/pypi/files/pvcmdpkg/pvcmdpkg-1.0-py3-none-any.whl'", root);
	FILE *ph = popen(shacmd, "r");
	if (ph) {
		if (!fgets(hex, sizeof hex, ph))
			hex[0] = '\0';
		pclose(ph);
	}
	hex[64] = '\0';
	struct pv_pip_pin pin = {"pvcmdpkg", "1.0", hex};
	char *text = pv_pip_pins_text(&pin, 1);
	CHECK(text != NULL, "pins text");
	snprintf(pins, sizeof pins, "%s/pins.txt", g_tmp);
	fixture_write_file(pins, text ? text : "");
	free(text);
	CHECK(pv_pip_handoff_argv(&py, pargc, pargv, &pa, url, pins, &cmdv, err, sizeof err) == 0,
	      "handoff argv: %s", err);
	snprintf(log, sizeof log, "%s/pip4.log", g_tmp);
	rc = cmdv.v ? run_logged(cmdv.v, env, log) : -1;
	char whl[700];
	snprintf(whl, sizeof whl, "%s/pvcmdpkg-1.0-py3-none-any.whl", dest);
	CHECK(rc == 0 && access(whl, F_OK) == 0, "hand-off run failed (%d), see %s", rc, log);
	pv_argv_free(&cmdv);
	pv_pip_args_free(&pa);
	free_split(pargv, pargc);

	free(env);
	pv_strv_free(add);
	fixture_stop(&fx);
}

int main(void)
{
	snprintf(g_tmp, sizeof g_tmp, "/tmp/pv-pipcmd-XXXXXX");
	if (!mkdtemp(g_tmp)) {
		perror("mkdtemp");
		return 2;
	}
	test_resolve();
	test_handoff();
	test_odd_input();
	test_upstreams();
	test_find_links();
	test_reqscan();
	test_pins();
	test_env();
	test_find();
	test_real_pip();
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_tmp);
	if (check_failures)
		fprintf(stderr, "kept %s for inspection\n", g_tmp); /* logs named above */
	else if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", g_tmp);
	return CHECK_DONE();
}
