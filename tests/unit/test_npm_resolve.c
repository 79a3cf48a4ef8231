/* test_npm_resolve.c - resolution with the real npm against the fixture
 * registry: install sets, argv, errors, and that the project directory is
 * never written (every file hashed, every mtime compared). */
#include "npm_resolve.h"

#include <ftw.h>
#include <stdarg.h>

#include "check.h"
#include "digest.h"
#include "fixture.h"
#include "real_tool.h"

static char g_root[256];
static char g_reg[128];
static char g_npm[4096];
static char g_cache[512];
static const char *g_env[5];

/* Publish NAME@VER (dependencies DEPS, a JSON object) into the fixture: a
 * real tarball plus a packument carrying the dependencies (the fixture's
 * own generated packuments have none). */
static const char publish_py[] =
	"import sys,os,json,tarfile,io,hashlib,base64\n"
	"root,name,ver,deps=sys.argv[1],sys.argv[2],sys.argv[3],json.loads(sys.argv[4])\n"
	"enc=name.replace('/','%2f')\n"
	"d=os.path.join(root,'npm','tarballs',enc); os.makedirs(d,exist_ok=True)\n"
	"pj=json.dumps({'name':name,'version':ver,'dependencies':deps}).encode()\n"
	"buf=io.BytesIO()\n"
	"with tarfile.open(fileobj=buf,mode='w:gz') as t:\n"
	"  i=tarfile.TarInfo('package/package.json'); i.size=len(pj); i.mtime=0\n"
	"  t.addfile(i,io.BytesIO(pj))\n"
	"open(os.path.join(d,ver+'.tgz'),'wb').write(buf.getvalue())\n"
	"pd=os.path.join(root,'npm','packuments'); os.makedirs(pd,exist_ok=True)\n"
	"vs={}\n"
	"for f in sorted(os.listdir(d)):\n"
	"  if not f.endswith('.tgz'): continue\n"
	"  data=open(os.path.join(d,f),'rb').read()\n"
	"  with tarfile.open(fileobj=io.BytesIO(data)) as t: m=json.load(t.extractfile('package/package.json'))\n"
	"  m['dist']={'tarball':'{{BASE}}/tarballs/%s/%s'%(enc,f),'integrity':'sha512-'+"
	"base64.b64encode(hashlib.sha512(data).digest()).decode(),'shasum':hashlib.sha1(data).hexdigest()}\n"
	"  vs[m['version']]=m\n"
	"latest=max(vs,key=lambda v:tuple(int(x) for x in v.split('.')))\n"
	"json.dump({'name':name,'dist-tags':{'latest':latest},'versions':vs},open(os.path.join(pd,enc+'.json'),'w'))\n";

/* A lockfile as written with omit-lockfile-registry-resolved=true. */
static const char strip_resolved_py[] =
	"import json,sys\n"
	"d=json.load(open(sys.argv[1]))\n"
	"[v.pop('resolved',None) for v in d['packages'].values()]\n"
	"json.dump(d,open(sys.argv[2],'w'),indent=2)\n";

static int run_python(const char *script, const char *a1, const char *a2, const char *a3,
                      const char *a4)
{
	pid_t pid = fork();
	if (pid == 0) {
		execlp("python3", "python3", "-c", script, a1, a2, a3, a4, (char *)NULL);
		_exit(127);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static void publish(const char *name, const char *ver, const char *deps)
{
	if (run_python(publish_py, g_root, name, ver, deps) != 0) {
		fprintf(stderr, "cannot publish %s@%s\n", name, ver);
		exit(2);
	}
}

/* ---- project snapshot: every entry's type, size, mtime and content hash */

static char *g_snap;
static size_t g_snap_len, g_snap_cap;
static size_t g_snap_base;

static int snap_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	char hash[80] = "-";
	if (flag == FTW_F && S_ISREG(st->st_mode) && pv_sha256_file(path, hash, sizeof hash) != 0)
		snprintf(hash, sizeof hash, "unreadable");
	char line[1024];
	int n = snprintf(line, sizeof line, "%s %o %lld %lld.%09ld %s\n", path + g_snap_base,
	                 (unsigned)st->st_mode, (long long)st->st_size, (long long)st->st_mtim.tv_sec,
	                 st->st_mtim.tv_nsec, hash);
	if (n < 0 || (size_t)n >= sizeof line)
		return 1;
	if (g_snap_len + (size_t)n + 1 > g_snap_cap) {
		size_t cap = (g_snap_cap + (size_t)n + 1) * 2;
		char *b = realloc(g_snap, cap);
		if (!b)
			return 1;
		g_snap = b;
		g_snap_cap = cap;
	}
	memcpy(g_snap + g_snap_len, line, (size_t)n + 1);
	g_snap_len += (size_t)n;
	return 0;
}

static char *snapshot(const char *dir)
{
	g_snap = NULL;
	g_snap_len = g_snap_cap = 0;
	g_snap_base = strlen(dir);
	if (nftw(dir, snap_one, 16, FTW_PHYS) != 0) {
		free(g_snap);
		return NULL;
	}
	return g_snap;
}

/* ---- running a resolution ------------------------------------------------ */

struct run {
	int rc;
	char err[1024];
	struct pv_npm_plan plan;
};

/* Resolve in proj (NULL: global) with args (NULL-terminated) plus
 * --registry; checks that proj is unchanged afterwards. */
static void resolve(struct run *r, const char *proj, bool full, bool global, int line, ...)
{
	const char *args[32];
	size_t n = 0;
	va_list ap;
	va_start(ap, line);
	for (const char *a; (a = va_arg(ap, const char *)) && n < 28;)
		args[n++] = a;
	va_end(ap);
	args[n++] = "--registry";
	args[n++] = g_reg;
	args[n] = NULL;
	char *before = proj ? snapshot(proj) : NULL;
	struct pv_npm_resolve_opts o = {
		.real_npm = g_npm,
		.project_dir = proj,
		.npm_args = (char *const *)args,
		.full = full,
		.global = global,
		.extra_env = g_env,
		.timeout_s = 60,
	};
	r->rc = pv_npm_resolve_tree(&o, &r->plan, r->err, sizeof r->err);
	if (getenv("PV_TEST_VERBOSE")) { /* what each case saw, for debugging */
		fprintf(stderr, "line %d: rc %d err '%s' n %zu unchanged %zu\n", line, r->rc, r->err,
		        r->plan.n, r->plan.unchanged);
		for (size_t i = 0; i < r->plan.n; i++) {
			const struct pv_npm_change *c = &r->plan.changes[i];
			fprintf(stderr, "  %s %s<-%s %s %s dev=%d %s\n", c->path, c->version ? c->version : "-",
			        c->old_version ? c->old_version : "-", pv_lock_source_name(c->source),
			        c->resolved ? c->resolved : "-", c->dev, c->integrity ? "int" : "noint");
		}
	}
	if (proj) {
		char *after = snapshot(proj);
		CHECK(before && after && strcmp(before, after) == 0,
		      "line %d: project %s changed:\n--- before\n%s--- after\n%s", line, proj,
		      before ? before : "", after ? after : "");
		free(after);
	}
	free(before);
}

static const struct pv_npm_change *find(const struct pv_npm_plan *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->changes[i].name, name) == 0)
			return &p->changes[i];
	return NULL;
}

static bool argv_has(const struct pv_npm_plan *p, const char *a)
{
	for (size_t i = 0; p->argv && i < p->argc; i++)
		if (strcmp(p->argv[i], a) == 0)
			return true;
	return false;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *b = calloc(1, 1 << 20);
	if (b)
		fread(b, 1, (1 << 20) - 1, f);
	fclose(f);
	return b;
}

static void copy_out(const char *from_dir, const char *name, const char *to_dir)
{
	char src[1024], dst[1024];
	snprintf(src, sizeof src, "%s/%s", from_dir, name);
	snprintf(dst, sizeof dst, "%s/%s", to_dir, name);
	char *b = slurp(src);
	CHECK(b != NULL, "cannot read %s", src);
	if (b)
		fixture_write_file(dst, b);
	free(b);
}

static char *proj_path(const char *rel)
{
	static char bufs[8][512];
	static int k;
	char *b = bufs[k++ % 8];
	snprintf(b, 512, "%s/%s", g_root, rel);
	return b;
}

/* ---- the cases ---------------------------------------------------------- */

/* No lockfile: the whole tree of a@1.0.0 (a, b, c) is added. proj2 then
 * gets that package.json and lockfile (resolved stripped, as on machines
 * with omit-lockfile-registry-resolved) and a node_modules. */
static void test_fresh_install(void)
{
	const char *proj = proj_path("proj1");
	struct run r;
	resolve(&r, proj, true, false, __LINE__, "install", "a@1.0.0", NULL);
	CHECK(r.rc == 0, "fresh: rc %d: %s", r.rc, r.err);
	CHECK(r.plan.n == 3, "fresh: %zu changes", r.plan.n);
	CHECK(!r.plan.had_lockfile, "fresh: had lockfile");
	CHECK(r.plan.lockfile_name && strcmp(r.plan.lockfile_name, "package-lock.json") == 0,
	      "fresh: lockfile name");
	const char *names[] = {"a", "b", "c"};
	for (size_t i = 0; i < 3; i++) {
		const struct pv_npm_change *c = find(&r.plan, names[i]);
		CHECK(c && !c->old_version && c->version && strcmp(c->version, "1.0.0") == 0,
		      "fresh: %s", names[i]);
		CHECK(c && c->source == PV_LOCK_REGISTRY && c->integrity &&
		          strncmp(c->integrity, "sha512-", 7) == 0 && c->resolved &&
		          strstr(c->resolved, "/npm/tarballs/"),
		      "fresh: %s source/integrity/resolved", names[i]);
		CHECK(c && !c->dev && !c->optional, "fresh: %s flags", names[i]);
	}
	const struct pv_npm_change *a = find(&r.plan, "a");
	CHECK(a && strcmp(a->path, "node_modules/a") == 0, "fresh: path");
	/* The argv: real npm, the user's arguments, our flags. */
	CHECK(r.plan.argv && strcmp(r.plan.argv[0], g_npm) == 0 && strcmp(r.plan.argv[1], "install") == 0 &&
	          strcmp(r.plan.argv[2], "a@1.0.0") == 0 && strcmp(r.plan.argv[3], "--registry") == 0,
	      "fresh: argv start");
	const char *want[] = {"--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund",
	                      "--omit-lockfile-registry-resolved=false"};
	for (size_t i = 0; i < 5; i++)
		CHECK(argv_has(&r.plan, want[i]), "fresh: argv lacks %s", want[i]);
	CHECK(r.plan.argc == 10 && r.plan.argv[10] == NULL, "fresh: argc %zu", r.plan.argc);
	struct stat st;
	CHECK(r.plan.workdir && stat(r.plan.workdir, &st) == 0 && (st.st_mode & 0777) == 0700,
	      "fresh: workdir mode");
	/* Lay out proj2 from the result. */
	const char *p2 = proj_path("proj2");
	copy_out(r.plan.workdir, "package.json", p2);
	char lock_in[1024], lock_out[1024];
	snprintf(lock_in, sizeof lock_in, "%s/package-lock.json", r.plan.workdir);
	snprintf(lock_out, sizeof lock_out, "%s/package-lock.json", p2);
	CHECK(run_python(strip_resolved_py, lock_in, lock_out, NULL, NULL) == 0, "strip resolved");
	char *wd = strdup(r.plan.workdir);
	pv_npm_plan_free(&r.plan);
	CHECK(wd && stat(wd, &st) != 0 && errno == ENOENT, "fresh: workdir left behind");
	free(wd);
}

/* Adding d to a locked project: only d and its dependency e. */
static void test_add(void)
{
	struct run r;
	resolve(&r, proj_path("proj2"), false, false, __LINE__, "install", "d", NULL);
	CHECK(r.rc == 0, "add: rc %d: %s", r.rc, r.err);
	CHECK(r.plan.had_lockfile, "add: had lockfile");
	CHECK(r.plan.n == 2 && find(&r.plan, "d") && find(&r.plan, "e"), "add: %zu changes",
	      r.plan.n);
	CHECK(r.plan.unchanged == 3, "add: %zu unchanged (lockfile without resolved)",
	      r.plan.unchanged);
	const struct pv_npm_change *d = find(&r.plan, "d");
	CHECK(d && !d->dev && !d->old_version && d->resolved, "add: d");
	char rc_path[1024];
	snprintf(rc_path, sizeof rc_path, "%s/.npmrc", r.plan.workdir);
	char *b = slurp(rc_path);
	CHECK(b && strcmp(b, "fund=false\n") == 0, "add: .npmrc not copied");
	free(b);
	pv_npm_plan_free(&r.plan);
	/* --no-save would make npm write no lockfile: it is left out. */
	resolve(&r, proj_path("proj2"), false, false, __LINE__, "install", "--no-save", "d", NULL);
	CHECK(r.rc == 0 && r.plan.n == 2 && find(&r.plan, "d") && !argv_has(&r.plan, "--no-save"),
	      "no-save: rc %d n %zu: %s", r.rc, r.plan.n, r.err);
	pv_npm_plan_free(&r.plan);
}

/* npm-shrinkwrap.json is the project's lockfile when present. */
static void test_shrinkwrap(void)
{
	const char *p6 = proj_path("proj6");
	fixture_mkdirs(g_root, "proj6");
	copy_out(proj_path("proj2"), "package.json", p6);
	char src[1024], dst[1024];
	snprintf(src, sizeof src, "%s/package-lock.json", proj_path("proj2"));
	snprintf(dst, sizeof dst, "%s/npm-shrinkwrap.json", p6);
	char *b = slurp(src);
	CHECK(b != NULL, "shrinkwrap: no lock");
	if (b)
		fixture_write_file(dst, b);
	free(b);
	struct run r;
	resolve(&r, p6, false, false, __LINE__, "install", "d", NULL);
	CHECK(r.rc == 0 && r.plan.had_lockfile && r.plan.n == 2 && r.plan.unchanged == 3 &&
	          strcmp(r.plan.lockfile_name, "npm-shrinkwrap.json") == 0,
	      "shrinkwrap: rc %d n %zu %s", r.rc, r.plan.n, r.err);
	snprintf(dst, sizeof dst, "%s/package-lock.json", r.plan.workdir);
	CHECK(access(dst, F_OK) != 0, "shrinkwrap: npm wrote a package-lock.json");
	pv_npm_plan_free(&r.plan);
}

static void test_upgrade(void)
{
	struct run r;
	resolve(&r, proj_path("proj2"), false, false, __LINE__, "install", "a@1.1.0", NULL);
	CHECK(r.rc == 0, "upgrade: rc %d: %s", r.rc, r.err);
	const struct pv_npm_change *a = find(&r.plan, "a");
	CHECK(r.plan.n == 1 && a && strcmp(a->version, "1.1.0") == 0 && a->old_version &&
	          strcmp(a->old_version, "1.0.0") == 0,
	      "upgrade: %zu changes", r.plan.n);
	CHECK(r.plan.unchanged == 2, "upgrade: %zu unchanged", r.plan.unchanged);
	pv_npm_plan_free(&r.plan);
}

static void test_dev(void)
{
	struct run r;
	resolve(&r, proj_path("proj2"), false, false, __LINE__, "install", "-D", "d", NULL);
	CHECK(r.rc == 0, "dev: rc %d: %s", r.rc, r.err);
	const struct pv_npm_change *d = find(&r.plan, "d"), *e = find(&r.plan, "e");
	CHECK(r.plan.n == 2 && d && e && d->dev && e->dev, "dev: %zu changes", r.plan.n);
	char pj[1024];
	snprintf(pj, sizeof pj, "%s/package.json", r.plan.workdir);
	char *b = slurp(pj);
	CHECK(b && strstr(b, "devDependencies"), "dev: package.json not updated");
	free(b);
	pv_npm_plan_free(&r.plan);
}

static void test_workspace(void)
{
	const char *p3 = proj_path("proj3");
	struct run r;
	resolve(&r, p3, true, false, __LINE__, "install", "e", "-w", "pkg-a", NULL);
	CHECK(r.rc == 0, "workspace: rc %d: %s", r.rc, r.err);
	const struct pv_npm_change *e = find(&r.plan, "e");
	CHECK(e && e->source == PV_LOCK_REGISTRY, "workspace: e missing");
	bool link = false;
	for (size_t i = 0; i < r.plan.n; i++)
		link |= r.plan.changes[i].source == PV_LOCK_LINK;
	CHECK(link, "workspace: no link entry");
	char path[1024];
	snprintf(path, sizeof path, "%s/packages/a/package.json", r.plan.workdir);
	char *b = slurp(path);
	CHECK(b && strstr(b, "\"e\""), "workspace: pkg-a package.json lacks e: %s", b ? b : "(none)");
	free(b);
	snprintf(path, sizeof path, "%s/packages/b/package.json", r.plan.workdir);
	CHECK(access(path, F_OK) == 0, "workspace: pkg-b not copied");
	pv_npm_plan_free(&r.plan);
}

static void test_global(void)
{
	struct run r;
	resolve(&r, NULL, true, true, __LINE__, "install", "-gE", "a@1.0.0", NULL);
	CHECK(r.rc == 0, "global: rc %d: %s", r.rc, r.err);
	CHECK(r.plan.n == 3 && find(&r.plan, "a") && find(&r.plan, "b") && find(&r.plan, "c"),
	      "global: %zu changes", r.plan.n);
	CHECK(!argv_has(&r.plan, "-gE") && argv_has(&r.plan, "-E") && argv_has(&r.plan, "a@1.0.0"),
	      "global: argv");
	pv_npm_plan_free(&r.plan);
	/* npm_config_global=true in the environment must not turn the lock-only
	 * run into a real global install (the prefix is a temp dir, in case). */
	char prefix[600], nm[700];
	snprintf(prefix, sizeof prefix, "npm_config_prefix=%s/gprefix", g_root);
	snprintf(nm, sizeof nm, "%s/gprefix/lib/node_modules", g_root);
	const char *env[] = {g_cache, "npm_config_global=true", prefix, NULL};
	char *const args[] = {"install", "a@1.0.0", "--registry", g_reg, NULL};
	struct pv_npm_resolve_opts o = {.real_npm = g_npm, .npm_args = args, .full = true,
	                                .global = true, .extra_env = env, .timeout_s = 60};
	int rc = pv_npm_resolve_tree(&o, &r.plan, r.err, sizeof r.err);
	CHECK(rc == 0 && r.plan.n == 3, "global env: rc %d n %zu %s", rc, r.plan.n, r.err);
	CHECK(access(nm, F_OK) != 0, "global env: npm installed into %s", nm);
	pv_npm_plan_free(&r.plan);
	/* -g without global set is refused, npm not run. */
	resolve(&r, proj_path("proj2"), false, false, __LINE__, "install", "-g", "a", NULL);
	CHECK(r.rc == -1 && !r.plan.argv, "global mismatch: rc %d", r.rc);
	pv_npm_plan_free(&r.plan);
}

static void test_ci(void)
{
	struct run r;
	resolve(&r, proj_path("proj2"), true, false, __LINE__, "ci", NULL);
	CHECK(r.rc == 0, "ci: rc %d: %s", r.rc, r.err);
	CHECK(r.plan.n == 3 && !r.plan.argv, "ci: %zu changes, npm run: %d", r.plan.n,
	      r.plan.argv != NULL);
	const struct pv_npm_change *a = find(&r.plan, "a");
	CHECK(a && !a->resolved && a->integrity && a->source == PV_LOCK_REGISTRY, "ci: a");
	pv_npm_plan_free(&r.plan);
	resolve(&r, proj_path("proj1"), true, false, __LINE__, "--loglevel", "warn", "ci", NULL);
	CHECK(r.rc == -1 && strstr(r.err, "npm ci needs") && !r.plan.argv, "ci no lock: %d %s",
	      r.rc, r.err);
	pv_npm_plan_free(&r.plan);
}

static void test_invalid_json(void)
{
	struct run r;
	resolve(&r, proj_path("proj4"), false, false, __LINE__, "install", "a", NULL);
	CHECK(r.rc == -1 && strstr(r.err, "proj4/package.json") && strstr(r.err, "not valid JSON: unexpected end"),
	      "invalid: %d %s", r.rc, r.err);
	CHECK(!r.plan.argv, "invalid: npm was run");
	pv_npm_plan_free(&r.plan);
	/* A workspace's package.json is checked too. */
	resolve(&r, proj_path("proj5"), false, false, __LINE__, "install", "a", NULL);
	CHECK(r.rc == -1 && strstr(r.err, "proj5/packages/x/package.json"), "invalid ws: %d %s",
	      r.rc, r.err);
	pv_npm_plan_free(&r.plan);
}

/* A lockfile that is not JSON is an error naming the project's file; npm
 * does not run. Its workspace patterns try to escape the project: nothing
 * is written outside the workdir. */
static void test_bad_lockfile(void)
{
	char outside[600];
	const char *tmp = getenv("TMPDIR");
	snprintf(outside, sizeof outside, "%s/package.json", tmp && *tmp == '/' ? tmp : "/tmp");
	bool existed = access(outside, F_OK) == 0;
	struct run r;
	resolve(&r, proj_path("proj7"), false, false, __LINE__, "install", "d", NULL);
	CHECK(r.rc == -1 && strstr(r.err, "proj7/package-lock.json") && !r.plan.argv,
	      "bad lockfile: %d %s", r.rc, r.err);
	CHECK(existed || access(outside, F_OK) != 0, "bad lockfile: wrote %s", outside);
	char w[1024];
	snprintf(w, sizeof w, "%s/w/package.json", r.plan.workdir ? r.plan.workdir : "/nonexistent");
	CHECK(access(w, F_OK) == 0, "bad lockfile: workspace w not copied");
	pv_npm_plan_free(&r.plan);
}

static void test_unsatisfiable(void)
{
	struct run r;
	resolve(&r, proj_path("proj2"), false, false, __LINE__, "install", "b@^9.0.0", NULL);
	CHECK(r.rc == -1 && (strstr(r.err, "ETARGET") || strstr(r.err, "ERESOLVE")) &&
	          strstr(r.err, "npm could not resolve"),
	      "unsatisfiable: %d %s", r.rc, r.err);
	CHECK(!strchr(r.err, '\n'), "unsatisfiable: not one line");
	pv_npm_plan_free(&r.plan);
}

/* A stuck npm is killed (with its process group) at the timeout, and a
 * cancelled run stops at once; neither leaves the workdir behind. */
static void test_timeout_and_cancel(void)
{
	char fake[600];
	snprintf(fake, sizeof fake, "%s/fake-npm", g_root);
	fixture_write_file(fake, "#!/bin/sh\nsleep 30 &\nsleep 30\n");
	chmod(fake, 0755);
	char *const args[] = {"install", "a", NULL};
	struct pv_npm_resolve_opts o = {.real_npm = fake, .project_dir = proj_path("proj1"),
	                                .npm_args = args, .timeout_s = 1};
	struct pv_npm_plan p;
	char err[512];
	double t0 = fixture_mono();
	int rc = pv_npm_resolve_tree(&o, &p, err, sizeof err);
	CHECK(rc == -1 && strstr(err, "did not finish"), "timeout: %d %s", rc, err);
	CHECK(fixture_mono() - t0 < 5, "timeout: took %.1f s", fixture_mono() - t0);
	char *wd = p.workdir ? strdup(p.workdir) : NULL;
	pv_npm_plan_free(&p);
	struct stat st;
	CHECK(wd && stat(wd, &st) != 0, "timeout: workdir left");
	free(wd);
	static volatile sig_atomic_t stop = 1;
	o.cancel = &stop;
	o.timeout_s = 0;
	t0 = fixture_mono();
	rc = pv_npm_resolve_tree(&o, &p, err, sizeof err);
	CHECK(rc == -1 && strstr(err, "interrupted") && p.workdir, "cancel: %d %s", rc, err);
	CHECK(fixture_mono() - t0 < 2, "cancel: took %.1f s", fixture_mono() - t0);
	pv_npm_plan_free(&p);
}

static void test_args(void)
{
	char *const a1[] = {"--registry", "http://x/", "-w", "ws", "ci", NULL};
	CHECK(pv_npm_resolve_is_ci(pv_npm_resolve_command(a1)), "args: ci after options");
	char *const a2[] = {"--loglevel=warn", "install", "ci", NULL};
	CHECK(strcmp(pv_npm_resolve_command(a2), "install") == 0, "args: install");
	char *const a3[] = {"-D", NULL};
	CHECK(pv_npm_resolve_command(a3) == NULL, "args: none");
}

static void setup_projects(void)
{
	fixture_mkdirs(g_root, "proj1");
	fixture_put(g_root, "proj1/package.json", "{\"name\":\"p1\",\"version\":\"1.0.0\"}\n");
	fixture_mkdirs(g_root, "proj2/node_modules/a");
	fixture_put(g_root, "proj2/node_modules/a/package.json",
	            "{\"name\":\"a\",\"version\":\"1.0.0\"}\n");
	fixture_put(g_root, "proj2/.npmrc", "fund=false\n");
	fixture_mkdirs(g_root, "proj3/packages/a");
	fixture_mkdirs(g_root, "proj3/packages/b");
	fixture_put(g_root, "proj3/package.json",
	            "{\"name\":\"root\",\"private\":true,\"workspaces\":[\"packages/*\"]}\n");
	fixture_put(g_root, "proj3/packages/a/package.json", "{\"name\":\"pkg-a\",\"version\":\"1.0.0\"}\n");
	fixture_put(g_root, "proj3/packages/b/package.json", "{\"name\":\"pkg-b\",\"version\":\"1.0.0\"}\n");
	fixture_mkdirs(g_root, "proj4");
	fixture_put(g_root, "proj4/package.json", "{ \"name\": \"p4\", \n");
	fixture_mkdirs(g_root, "proj5/packages/x");
	fixture_put(g_root, "proj5/package.json", "{\"name\":\"p5\",\"workspaces\":{\"packages\":[\"./packages/*\"]}}\n");
	fixture_put(g_root, "proj5/packages/x/package.json", "{\"name\": x}\n");
	fixture_mkdirs(g_root, "proj7/w");
	fixture_put(g_root, "proj7/package.json",
	            "{\"name\":\"p7\",\"workspaces\":[\".*\",\"../*\",\"/etc\",\"w\"]}\n");
	fixture_put(g_root, "proj7/w/package.json", "{\"name\":\"w\"}\n");
	fixture_put(g_root, "proj7/package-lock.json", "{\"lockfileVersion\": 3, \"packages\": \n");
}

static int rm_cb(const char *p, const struct stat *st, int f, struct FTW *w)
{
	(void)st;
	(void)f;
	(void)w;
	remove(p);
	return 0;
}

int main(void)
{
	char err[512];
	if (pv_real_tool("npm", "PKGVET_REAL_NPM", g_npm, sizeof g_npm, err, sizeof err) != 0) {
		fprintf(stderr, "SKIP: no npm: %s\n", err);
		return 0;
	}
	snprintf(g_root, sizeof g_root, "/tmp/pv-npm-resolve-XXXXXX");
	if (!mkdtemp(g_root))
		return 2;
	fixture_mkdirs(g_root, "npm/tarballs");
	publish("a", "1.0.0", "{\"b\":\"^1.0.0\",\"c\":\"^1.0.0\"}");
	publish("a", "1.1.0", "{\"b\":\"^1.0.0\",\"c\":\"^1.0.0\"}");
	publish("b", "1.0.0", "{}");
	publish("c", "1.0.0", "{}");
	publish("d", "1.0.0", "{\"e\":\"^1.0.0\"}");
	publish("e", "1.0.0", "{}");
	struct fixture f;
	if (fixture_start(&f, "registry_server.py", g_root) != 0) {
		fprintf(stderr, "cannot start the fixture\n");
		return 2;
	}
	snprintf(g_reg, sizeof g_reg, "http://127.0.0.1:%d/npm/", f.port);
	snprintf(g_cache, sizeof g_cache, "npm_config_cache=%s/cache", g_root);
	g_env[0] = g_cache;
	g_env[1] = "npm_config_update_notifier=false";
	g_env[2] = "npm_config_fund=false";
	g_env[3] = "npm_config_audit=false";
	g_env[4] = NULL;
	setup_projects();

	test_args();
	test_fresh_install();
	test_add();
	test_shrinkwrap();
	test_upgrade();
	test_dev();
	test_workspace();
	test_global();
	test_ci();
	test_invalid_json();
	test_bad_lockfile();
	test_unsatisfiable();
	test_timeout_and_cancel();

	fixture_stop(&f);
	nftw(g_root, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	return CHECK_DONE();
}
