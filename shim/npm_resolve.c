/* npm_resolve.c - resolve an npm command in a private copy of the project
 * and diff the lockfiles (design.md §5). The project directory is only read:
 * every write goes to the temporary workdir. */
#include "npm_resolve.h"
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <json-c/json.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "npmrc.h"

extern char **environ;

#define DEFAULT_TIMEOUT_S 600
#define MAX_ARGS 4096 /* more npm arguments than this is not a real command line */
#define JSON_DEPTH 256

/* Flags added to every lock-only run: resolve only, run no package code, and
 * always record tarball URLs so the hand-off can pin them. */
static const char *const lock_only_flags[] = {
	"--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund",
	"--omit-lockfile-registry-resolved=false",
};
#define N_LOCK_ONLY_FLAGS (sizeof lock_only_flags / sizeof lock_only_flags[0])

/* ---- small helpers ---------------------------------------------------- */

/* strdup that reports failure only when s was non-NULL. */
static int dup_opt(char **out, const char *s)
{
	*out = NULL;
	if (!s)
		return 0;
	*out = strdup(s);
	return *out ? 0 : -2;
}

static char *path_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > PATH_MAX || lb > PATH_MAX)
		return NULL;
	char *p = malloc(la + lb + 2);
	if (!p)
		return NULL;
	memcpy(p, a, la);
	p[la] = '/';
	memcpy(p + la + 1, b, lb + 1);
	return p;
}

static bool streq_null(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Read at most max bytes of a regular file. 0 ok (*buf NUL-terminated);
 * -1 errno set (ENOENT when missing, EFBIG when too large); -2 ENOMEM. */
/* A regular file of at most max bytes (pv_read_file, which tells a
 * missing file apart: here that is an error too). */
static int read_file(const char *path, size_t max, char **buf, size_t *len)
{
	int rc = pv_read_file(path, max, false, buf, len, NULL);
	if (rc == 1) {
		errno = ENOENT;
		return -1;
	}
	return rc;
}

/* mkdir -p of rel (a relative directory path) under base, mode 0700. */
static int mkdirs_under(const char *base, const char *rel)
{
	char *p = path_join(base, rel);
	if (!p)
		return -2;
	for (char *s = p + strlen(base) + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	int rc = (mkdir(p, 0700) != 0 && errno != EEXIST) ? -1 : 0;
	free(p);
	return rc;
}

/* ---- JSON checks ------------------------------------------------------- */

/* Parse a package.json; NULL with err naming the file when it is not a JSON
 * object. *oom is set when allocation failed. */
static json_object *parse_package_json(const char *buf, size_t len, const char *label, bool *oom,
                                       char *err, size_t errlen)
{
	*oom = false;
	if (len > INT_MAX) {
		snprintf(err, errlen, "%s is too large", label);
		return NULL;
	}
	json_tokener *tok = json_tokener_new_ex(JSON_DEPTH);
	if (!tok) {
		*oom = true;
		return NULL;
	}
	json_object *root = json_tokener_parse_ex(tok, buf, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	/* Anything but whitespace after the value makes it invalid too. */
	while (root && end < len && strchr(" \t\r\n", buf[end]))
		end++;
	if (!root || jerr != json_tokener_success || end != len) {
		const char *why = root && jerr == json_tokener_success ? "trailing data after the value"
		                  : jerr == json_tokener_continue       ? "unexpected end of the file"
		                                                        : json_tokener_error_desc(jerr);
		snprintf(err, errlen, "%s is not valid JSON: %s", label, why);
		json_object_put(root);
		return NULL;
	}
	if (!json_object_is_type(root, json_type_object)) {
		snprintf(err, errlen, "%s is not valid JSON for npm: not an object", label);
		json_object_put(root);
		return NULL;
	}
	return root;
}

/* ---- copying the project ----------------------------------------------- */

/* Copy project/rel to workdir/rel when it exists. *found tells whether it
 * did. When validate is set the content must be a JSON object (*json gets
 * it when json is non-NULL). Returns 0, -1 (err), -2. */
static int copy_file(const char *project, const char *workdir, const char *rel, size_t max,
                     bool validate, bool *found, json_object **json, char *err, size_t errlen)
{
	*found = false;
	if (json)
		*json = NULL;
	char *src = path_join(project, rel), *dst = path_join(workdir, rel);
	int rc = -2;
	char *buf = NULL;
	size_t len = 0;
	if (!src || !dst)
		goto out;
	rc = read_file(src, max, &buf, &len);
	if (rc == -1 && errno == ENOENT) {
		rc = 0;
		goto out;
	}
	if (rc == -1) {
		snprintf(err, errlen, "cannot read %s: %s", src, strerror(errno));
		goto out;
	}
	if (rc != 0)
		goto out;
	*found = true;
	if (validate) {
		bool oom;
		json_object *j = parse_package_json(buf, len, src, &oom, err, errlen);
		if (!j) {
			rc = oom ? -2 : -1;
			goto out;
		}
		if (json)
			*json = j;
		else
			json_object_put(j);
	}
	if (pv_write_new(dst, buf, len) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", dst, strerror(errno));
		rc = -1;
		if (json) {
			json_object_put(*json);
			*json = NULL;
		}
	}
out:
	free(src);
	free(dst);
	free(buf);
	return rc;
}

/* No ".." component: nothing may be read from or written to outside the
 * project / the workdir. dots_ok also allows "." components. */
static bool rel_path_ok(const char *p, bool dots_ok)
{
	size_t n = strlen(p);
	if (n == 0 || n > 1024 || p[0] == '/')
		return false;
	for (const char *s = p; *s; s++) {
		if (s != p && s[-1] != '/')
			continue;
		if (s[0] == '.' && s[1] == '.' && (s[2] == '/' || s[2] == '\0'))
			return false;
		if (!dots_ok && s[0] == '.' && (s[1] == '/' || s[1] == '\0'))
			return false;
	}
	return true;
}

/* A workspace pattern we are willing to expand: relative, inside the
 * project, no negation (npm's "!pattern" only removes matches). */
static bool workspace_pattern_ok(const char *p)
{
	return p[0] != '!' && rel_path_ok(p, true);
}

/* glob(3) metacharacters in the project path must match literally. */
static char *glob_escape(const char *s)
{
	size_t n = strlen(s);
	char *o = malloc(2 * n + 1), *q = o;
	if (!o)
		return NULL;
	for (; *s; s++) {
		if (strchr("*?[]\\", *s))
			*q++ = '\\';
		*q++ = *s;
	}
	*q = '\0';
	return o;
}

/* Copy project/rel (a workspace's package.json) to workdir/rel, creating
 * its directories. Two patterns may match the same workspace: the second
 * copy is skipped. */
static int copy_workspace_match(const char *project, const char *workdir, const char *rel,
                                char *err, size_t errlen)
{
	char *dir = strdup(rel);
	if (!dir)
		return -2;
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	int rc = slash ? mkdirs_under(workdir, dir) : 0;
	free(dir);
	if (rc == -1)
		snprintf(err, errlen, "cannot create a directory in %s: %s", workdir, strerror(errno));
	if (rc != 0)
		return rc;
	char *dst = path_join(workdir, rel);
	if (!dst)
		return -2;
	struct stat st;
	bool exists = lstat(dst, &st) == 0, found;
	free(dst);
	return exists ? 0
	              : copy_file(project, workdir, rel, PV_NPM_RESOLVE_MAX_JSON, true, &found, NULL,
	                          err, errlen);
}

/* Copy every package.json that one workspace pattern matches. */
static int copy_workspace_pattern(const char *project, const char *workdir, const char *pattern,
                                  size_t *count, char *err, size_t errlen)
{
	while (pattern[0] == '.' && pattern[1] == '/')
		pattern += 2;
	char *esc = glob_escape(project);
	if (!esc)
		return -2;
	size_t plen = strlen(pattern);
	while (plen > 0 && pattern[plen - 1] == '/')
		plen--;
	size_t need = strlen(esc) + plen + sizeof "//package.json";
	char *pat = malloc(need);
	if (!pat) {
		free(esc);
		return -2;
	}
	snprintf(pat, need, "%s/%.*s/package.json", esc, (int)plen, pattern);
	free(esc);
	glob_t g;
	memset(&g, 0, sizeof g);
	int grc = glob(pat, 0, NULL, &g);
	free(pat);
	if (grc == GLOB_NOSPACE) {
		globfree(&g);
		return -2;
	}
	int rc = 0;
	size_t base = strlen(project) + 1;
	for (size_t i = 0; grc == 0 && i < g.gl_pathc && rc == 0; i++) {
		const char *m = g.gl_pathv[i];
		if (strncmp(m, project, base - 1) != 0 || m[base - 1] != '/')
			continue;
		if (++*count > PV_NPM_RESOLVE_MAX_WORKSPACES) {
			snprintf(err, errlen, "more than %d workspaces", PV_NPM_RESOLVE_MAX_WORKSPACES);
			rc = -1;
			break;
		}
		/* A pattern like ".*" also matches "." and "..". */
		if (rel_path_ok(m + base, false))
			rc = copy_workspace_match(project, workdir, m + base, err, errlen);
	}
	globfree(&g);
	return rc;
}

/* The root package.json "workspaces": an array of patterns, or an object
 * whose "packages" is one (the yarn form npm also reads). */
static int copy_workspaces(const char *project, const char *workdir, json_object *root, char *err,
                           size_t errlen)
{
	json_object *ws = NULL;
	if (!json_object_object_get_ex(root, "workspaces", &ws) || !ws)
		return 0;
	if (json_object_is_type(ws, json_type_object) &&
	    !json_object_object_get_ex(ws, "packages", &ws))
		return 0;
	if (!json_object_is_type(ws, json_type_array))
		return 0;
	size_t count = 0, n = json_object_array_length(ws);
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(ws, i);
		if (!json_object_is_type(e, json_type_string))
			continue;
		const char *pat = json_object_get_string(e);
		if (!workspace_pattern_ok(pat))
			continue;
		int rc = copy_workspace_pattern(project, workdir, pat, &count, err, errlen);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* Copy the lockfile (npm-shrinkwrap.json wins over package-lock.json, as in
 * npm) and remember its name. */
static int copy_lockfile(const char *project, struct pv_npm_plan *p, char *err, size_t errlen)
{
	static const char *const names[] = {"npm-shrinkwrap.json", "package-lock.json"};
	for (size_t i = 0; i < 2; i++) {
		bool found;
		int rc = copy_file(project, p->workdir, names[i], PV_LOCKFILE_MAX_SIZE, false, &found, NULL,
		                   err, errlen);
		if (rc != 0)
			return rc;
		if (found) {
			p->had_lockfile = true;
			p->lockfile_name = strdup(names[i]);
			return p->lockfile_name ? 0 : -2;
		}
	}
	p->lockfile_name = strdup("package-lock.json");
	return p->lockfile_name ? 0 : -2;
}

/* Lay out workdir like the project. Without a project package.json (or for
 * a global install) an empty one is written: npm must find its project root
 * right here, never by walking up into a parent directory. */
static int copy_project(const struct pv_npm_resolve_opts *o, struct pv_npm_plan *p, char *err,
                        size_t errlen)
{
	bool found = false;
	json_object *root = NULL;
	int rc;
	/* npm ignores the project (and its .npmrc) in global mode. */
	const char *proj = o->global ? NULL : o->project_dir;
	if (proj) {
		rc = copy_file(proj, p->workdir, "package.json", PV_NPM_RESOLVE_MAX_JSON, true,
		               &found, &root, err, errlen);
		if (rc != 0)
			return rc;
	}
	if (!found) {
		char *pj = path_join(p->workdir, "package.json");
		if (!pj)
			return -2;
		rc = pv_write_new(pj, "{}\n", 3);
		if (rc != 0)
			snprintf(err, errlen, "cannot write %s: %s", pj, strerror(errno));
		free(pj);
		if (rc != 0)
			return -1;
	}
	if (!proj) {
		p->lockfile_name = strdup("package-lock.json");
		return p->lockfile_name ? 0 : -2;
	}
	rc = root ? copy_workspaces(proj, p->workdir, root, err, errlen) : 0;
	json_object_put(root);
	if (rc == 0)
		rc = copy_lockfile(proj, p, err, errlen);
	if (rc == 0)
		rc = copy_file(proj, p->workdir, ".npmrc", PV_NPM_RESOLVE_MAX_JSON, false,
		               &found, NULL, err, errlen);
	return rc;
}

/* ---- arguments ---------------------------------------------------------- */

/* npm options that take a value as the next argument when written without
 * '=' (the non-boolean ones a user plausibly types). */
static const char *const value_opts[] = {
	"--registry", "--prefix", "-C", "--workspace", "-w", "--cache", "--userconfig",
	"--globalconfig", "--loglevel", "--tag", "--omit", "--include", "--install-strategy",
	"--before", "--cafile", "--ca", "--cert", "--key", "--proxy", "--https-proxy", "--noproxy",
	"--location", "-L", "--save-prefix", "--otp", "--auth-type", "--script-shell", "--shell",
	"--node-options", "--fetch-retries", "--fetch-timeout", "--fetch-retry-factor",
	"--fetch-retry-mintimeout", "--fetch-retry-maxtimeout", "--maxsockets", "--lockfile-version",
	"--replace-registry-host", "--cpu", "--os", "--libc", "--local-address", "--logs-dir",
	"--logs-max", "--umask", "--depth", "--package", "--call", "-c", "--access", "--scope",
	"--userconfig", "--git", "--user-agent", "--heading", "--workspaces-update",
};

static bool takes_value(const char *a)
{
	if (strchr(a, '='))
		return false;
	for (size_t i = 0; i < sizeof value_opts / sizeof value_opts[0]; i++)
		if (strcmp(a, value_opts[i]) == 0)
			return true;
	/* --@scope:registry URL */
	return a[0] == '-' && a[1] == '-' && a[2] == '@' && strstr(a, ":registry");
}

const char *pv_npm_resolve_command(char *const *args)
{
	for (size_t i = 0; args && args[i] && i < MAX_ARGS; i++) {
		const char *a = args[i];
		if (strcmp(a, "--") == 0)
			return args[i + 1];
		if (a[0] != '-' || a[1] == '\0')
			return a;
		if (takes_value(a) && args[i + 1])
			i++;
	}
	return NULL;
}

bool pv_npm_resolve_is_ci(const char *cmd)
{
	static const char *const ci[] = {"ci",         "clean-install",   "ic",
	                                 "install-clean", "isntall-clean", "cit",
	                                 "install-ci-test", "clean-install-test", "sit"};
	for (size_t i = 0; cmd && i < sizeof ci / sizeof ci[0]; i++)
		if (strcmp(cmd, ci[i]) == 0)
			return true;
	return false;
}

static bool is_short_cluster(const char *a)
{
	if (a[0] != '-' || a[1] == '-' || a[1] == '\0')
		return false;
	for (const char *s = a + 1; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
			return false;
	return true;
}

/* How a user argument is handled in the lock-only run. */
enum arg_kind {
	ARG_KEEP,
	ARG_DROP,       /* drop this argument */
	ARG_DROP_TWO,   /* drop it and its value */
	ARG_GLOBAL,     /* asks for a global install: drop it */
	ARG_GLOBAL_TWO, /* the same, with a separate value */
	ARG_CLUSTER_G,  /* "-gD": keep the other letters */
};

static enum arg_kind classify_arg(const char *a, const char *next)
{
	if (strcmp(a, "-g") == 0 || strcmp(a, "--global") == 0 || strcmp(a, "--global=true") == 0 ||
	    strcmp(a, "--location=global") == 0)
		return ARG_GLOBAL;
	if ((strcmp(a, "--location") == 0 || strcmp(a, "-L") == 0) && next &&
	    strcmp(next, "global") == 0)
		return ARG_GLOBAL_TWO;
	if (is_short_cluster(a) && strlen(a) > 2 && strchr(a + 1, 'g'))
		return ARG_CLUSTER_G;
	/* The workdir is the project: a --prefix would send npm (and its
	 * lockfile) somewhere else, possibly into the real project. */
	if (strncmp(a, "--prefix=", 9) == 0)
		return ARG_DROP;
	if (strcmp(a, "--prefix") == 0 || strcmp(a, "-C") == 0)
		return next ? ARG_DROP_TWO : ARG_DROP;
	/* With these npm writes no lockfile at all, so nothing could be seen;
	 * the command still installs, so resolve as if they were absent. */
	static const char *const no_lock[] = {"--no-save",        "--save=false", "--no-package-lock",
	                                      "--package-lock=false", "--dry-run", "--dry-run=true"};
	for (size_t i = 0; i < sizeof no_lock / sizeof no_lock[0]; i++)
		if (strcmp(a, no_lock[i]) == 0)
			return ARG_DROP;
	return ARG_KEEP;
}

/* p->argv has room for every argument: counted before allocation. */
static int push_arg(struct pv_npm_plan *p, const char *s)
{
	p->argv[p->argc] = strdup(s);
	if (!p->argv[p->argc])
		return -2;
	p->argc++;
	return 0;
}

static void free_argv(struct pv_npm_plan *p)
{
	for (size_t i = 0; p->argv && i < p->argc; i++)
		free(p->argv[i]);
	free(p->argv);
	p->argv = NULL;
	p->argc = 0;
}

/* "-gD" becomes "-D" ("-g" alone was handled as ARG_GLOBAL). */
static int push_cluster_without_g(struct pv_npm_plan *p, const char *a)
{
	char *c = strdup(a);
	if (!c)
		return -2;
	size_t t = 0;
	for (const char *s = a; *s; s++)
		if (*s != 'g')
			c[t++] = *s;
	c[t] = '\0';
	if (t > 1)
		p->argv[p->argc++] = c;
	else
		free(c);
	return 0;
}

/* argv = real npm, the user's arguments (minus global / prefix options), our
 * flags - placed before a "--" so they stay options. */
static int build_argv(const struct pv_npm_resolve_opts *o, struct pv_npm_plan *p, char *err,
                      size_t errlen)
{
	size_t na = 0;
	while (o->npm_args[na])
		if (++na > MAX_ARGS) {
			snprintf(err, errlen, "more than %d npm arguments", MAX_ARGS);
			return -1;
		}
	p->argv = calloc(na + N_LOCK_ONLY_FLAGS + 2, sizeof *p->argv);
	if (!p->argv)
		return -2;
	bool saw_global = false, flags_done = false;
	if (push_arg(p, o->real_npm) != 0)
		return -2;
	for (size_t i = 0; i < na; i++) {
		const char *a = o->npm_args[i];
		if (!flags_done && strcmp(a, "--") == 0) {
			for (size_t f = 0; f < N_LOCK_ONLY_FLAGS; f++)
				if (push_arg(p, lock_only_flags[f]) != 0)
					return -2;
			flags_done = true;
		}
		enum arg_kind k = flags_done ? ARG_KEEP : classify_arg(a, o->npm_args[i + 1]);
		saw_global |= k == ARG_GLOBAL || k == ARG_GLOBAL_TWO || k == ARG_CLUSTER_G;
		if (k == ARG_DROP_TWO || k == ARG_GLOBAL_TWO)
			i++;
		if (k == ARG_CLUSTER_G) {
			if (push_cluster_without_g(p, a) != 0)
				return -2;
		} else if (k == ARG_KEEP && push_arg(p, a) != 0) {
			return -2;
		}
	}
	for (size_t f = 0; !flags_done && f < N_LOCK_ONLY_FLAGS; f++)
		if (push_arg(p, lock_only_flags[f]) != 0)
			return -2;
	/* A global command resolved as a project one would vet the wrong tree.
	 * (global without -g is fine: the caller may have it from the
	 * environment, which build_env neutralises.) */
	if (saw_global && !o->global) {
		snprintf(err, errlen, "the npm arguments ask for a global install");
		free_argv(p); /* npm is not run */
		return -1;
	}
	return 0;
}

/* ---- running npm -------------------------------------------------------- */

/* npm_config_global / npm_config_location (any case) would turn the
 * lock-only run of a global install into a real global one. */
static bool global_env_key(const char *kv, size_t kl)
{
	return (kl == 17 && strncasecmp(kv, "npm_config_global", 17) == 0) ||
	       (kl == 19 && strncasecmp(kv, "npm_config_location", 19) == 0);
}

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Keep only the last PV_NPM_RESOLVE_STDERR_KEEP bytes of npm's stderr. */
struct tail {
	char buf[2 * PV_NPM_RESOLVE_STDERR_KEEP + 1];
	size_t len;
};

static void tail_add(struct tail *t, const char *s, size_t n)
{
	if (n > PV_NPM_RESOLVE_STDERR_KEEP) {
		s += n - PV_NPM_RESOLVE_STDERR_KEEP;
		n = PV_NPM_RESOLVE_STDERR_KEEP;
	}
	if (t->len + n > sizeof t->buf - 1) {
		size_t drop = t->len + n - PV_NPM_RESOLVE_STDERR_KEEP;
		drop = drop > t->len ? t->len : drop;
		memmove(t->buf, t->buf + drop, t->len - drop);
		t->len -= drop;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

static void child_exec(const struct pv_npm_plan *p, const char *npm, char **env, int devnull,
                       int errfd)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setpgid(0, 0);
	if (dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0 || dup2(errfd, 2) < 0)
		_exit(126);
	if (chdir(p->workdir) != 0)
		_exit(126);
	execve(npm, p->argv, env);
	_exit(127);
}

enum run_end { RUN_EXITED, RUN_TIMEOUT, RUN_CANCELLED };

static bool cancelled(const struct pv_npm_resolve_opts *o)
{
	return o->cancel && *o->cancel;
}

/* Read stderr until EOF, then reap; kill the whole group on timeout or
 * cancellation. */
static enum run_end supervise(const struct pv_npm_resolve_opts *o, pid_t pid, int fd,
                              struct tail *t, int *status)
{
	double deadline = mono_now() + (o->timeout_s > 0 ? o->timeout_s : DEFAULT_TIMEOUT_S);
	enum run_end end = RUN_EXITED;
	bool eof = false;
	for (;;) {
		if (cancelled(o))
			end = RUN_CANCELLED;
		else if (mono_now() > deadline)
			end = RUN_TIMEOUT;
		if (end != RUN_EXITED)
			break;
		if (eof) {
			pid_t w = waitpid(pid, status, WNOHANG);
			if (w == pid)
				return RUN_EXITED;
			if (w < 0 && errno != EINTR)
				return RUN_EXITED;
			struct timespec ts = {0, 20 * 1000 * 1000};
			nanosleep(&ts, NULL);
			continue;
		}
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int pr = poll(&pfd, 1, 100);
		if (pr <= 0)
			continue;
		char chunk[4096];
		ssize_t r = read(fd, chunk, sizeof chunk);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0)
			eof = true;
		else
			tail_add(t, chunk, (size_t)r);
	}
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return end;
}

/* Copy one line of npm's output into out, control characters escaped. */
static void append_escaped(char *out, size_t outlen, const char *s, size_t n)
{
	size_t o = strlen(out);
	for (size_t i = 0; i < n && o + 1 < outlen; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f) {
			if (o + 5 >= outlen)
				break;
			snprintf(out + o, outlen - o, "\\x%02x", c);
			o += 4;
		} else {
			out[o++] = (char)c;
			out[o] = '\0';
		}
	}
}

/* npm's own message in one line: "CODE message" from its "npm error" lines,
 * else the last line it printed. */
static void summarise_stderr(const char *text, int status, char *err, size_t errlen)
{
	const char *code = NULL, *msg = NULL, *last = NULL;
	size_t code_n = 0, msg_n = 0, last_n = 0;
	for (const char *l = text; *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		while (n > 0 && (l[n - 1] == '\r' || l[n - 1] == ' '))
			n--;
		const char *body = NULL;
		if (n > 10 && strncmp(l, "npm error ", 10) == 0)
			body = l + 10;
		else if (n > 9 && strncmp(l, "npm ERR! ", 9) == 0)
			body = l + 9;
		size_t bn = body ? n - (size_t)(body - l) : 0;
		if (body && bn > 5 && strncmp(body, "code ", 5) == 0 && !code) {
			code = body + 5;
			code_n = bn - 5;
		} else if (body && bn > 0 && !msg && strncmp(body, "A complete log", 14) != 0) {
			/* "notarget No matching version..." : drop npm's lowercase tag. */
			const char *sp = memchr(body, ' ', bn);
			bool tag = sp && sp + 1 < body + bn && sp[1] >= 'A' && sp[1] <= 'Z';
			for (const char *c = body; tag && c < sp; c++)
				tag = *c >= 'a' && *c <= 'z';
			msg = tag ? sp + 1 : body;
			msg_n = bn - (size_t)(msg - body);
		}
		if (n > 0) {
			last = l;
			last_n = n;
		}
		l = nl ? nl + 1 : l + n;
	}
	if (WIFSIGNALED(status))
		snprintf(err, errlen, "npm was killed by signal %d: ", WTERMSIG(status));
	else
		snprintf(err, errlen, "npm could not resolve the dependencies: ");
	if (code) {
		append_escaped(err, errlen, code, code_n);
		append_escaped(err, errlen, " ", 1);
	}
	if (msg)
		append_escaped(err, errlen, msg, msg_n);
	else if (last && !code)
		append_escaped(err, errlen, last, last_n);
	else if (!code) {
		size_t o = strlen(err);
		snprintf(err + o, errlen - o, "exit status %d, no message",
		         WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
}

static int run_npm(const struct pv_npm_resolve_opts *o, const struct pv_npm_plan *p, char *err,
                   size_t errlen)
{
	struct tail *t = calloc(1, sizeof *t);
	char **env = pv_env_with(o->extra_env, o->global ? global_env_key : NULL);
	int pfd[2] = {-1, -1}, devnull = -1, rc = -2;
	if (!t || !env)
		goto out;
	rc = -1;
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0 || pipe2(pfd, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "cannot run npm: %s", strerror(errno));
		goto out;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot run npm: fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		child_exec(p, o->real_npm, env, devnull, pfd[1]);
	setpgid(pid, pid); /* also here: no window where the group does not exist */
	close(pfd[1]);
	pfd[1] = -1;
	int status = 0;
	enum run_end end = supervise(o, pid, pfd[0], t, &status);
	if (end == RUN_CANCELLED)
		snprintf(err, errlen, "interrupted while npm was resolving");
	else if (end == RUN_TIMEOUT)
		snprintf(err, errlen, "npm did not finish resolving within %d s",
		         o->timeout_s > 0 ? o->timeout_s : DEFAULT_TIMEOUT_S);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && t->len == 0)
		snprintf(err, errlen, "cannot run %s", o->real_npm);
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		summarise_stderr(t->buf, status, err, errlen);
	else
		rc = 0;
out:
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	if (devnull >= 0)
		close(devnull);
	free(env);
	free(t);
	return rc;
}

/* ---- the install set ---------------------------------------------------- */

/* The registry settings that decide which tarball URLs are registry
 * sources: npmrc files and environment, then --registry and
 * --@scope:registry from the command line. */
static void load_registries(const struct pv_npm_resolve_opts *o, struct pv_npmrc *cfg)
{
	char e[256];
	/* A broken npmrc only weakens source classification (more packages are
	 * reported as url-dependency); npm itself reports it during the run. */
	(void)pv_npmrc_load(cfg, o->global ? NULL : o->project_dir, NULL, e, sizeof e);
	/* extra_env reaches npm but not our own environment. */
	for (size_t i = 0; o->extra_env && o->extra_env[i]; i++) {
		const char *kv = o->extra_env[i];
		if (strncasecmp(kv, "npm_config_registry=", 20) == 0)
			(void)pv_npmrc_set(cfg, "registry", kv + 20);
	}
	for (size_t i = 0; o->npm_args[i] && i < MAX_ARGS; i++) {
		const char *a = o->npm_args[i], *next = o->npm_args[i + 1];
		if (strcmp(a, "--") == 0)
			break;
		if (strncmp(a, "--", 2) != 0 || (strncmp(a + 2, "registry", 8) != 0 && a[2] != '@'))
			continue;
		const char *eq = strchr(a, '=');
		size_t kl = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		const char *val = eq ? eq + 1 : next;
		char key[256];
		if (!val || kl >= sizeof key)
			continue;
		memcpy(key, a + 2, kl);
		key[kl] = '\0';
		if (strcmp(key, "registry") != 0 && !(key[0] == '@' && strstr(key, ":registry")))
			continue;
		(void)pv_npmrc_set(cfg, key, val);
	}
}

/* Tarballs from a scope's own registry are registry packages too. */
static void reclassify(struct pv_lockfile *lf, const struct pv_npmrc *cfg)
{
	if (!cfg->registry)
		return;
	for (size_t i = 0; i < lf->n; i++) {
		struct pv_lock_entry *e = &lf->entries[i];
		if (e->source != PV_LOCK_TARBALL || !e->resolved || !e->name)
			continue;
		const char *reg = pv_npmrc_registry_for(cfg, e->name);
		if (reg && strncmp(e->resolved, reg, strlen(reg)) == 0)
			e->source = PV_LOCK_REGISTRY;
	}
}

static int cmp_entry_path(const void *a, const void *b)
{
	const struct pv_lock_entry *const *x = a, *const *y = b;
	return strcmp((*x)->path ? (*x)->path : "", (*y)->path ? (*y)->path : "");
}

/* Same package at the same path? resolved and integrity count only when both
 * lockfiles record them: omit-lockfile-registry-resolved drops resolved, and
 * old lockfiles may lack integrity; neither changes what is installed. */
static bool same_entry(const struct pv_lock_entry *a, const struct pv_lock_entry *b)
{
	if (!streq_null(a->version, b->version) || a->source != b->source || a->link != b->link ||
	    !streq_null(a->name, b->name))
		return false;
	if (a->integrity && b->integrity && strcmp(a->integrity, b->integrity) != 0)
		return false;
	return !(a->resolved && b->resolved && strcmp(a->resolved, b->resolved) != 0);
}

static int add_change(struct pv_npm_plan *p, const struct pv_lock_entry *e,
                      const struct pv_lock_entry *old)
{
	struct pv_npm_change *c = &p->changes[p->n];
	memset(c, 0, sizeof *c);
	p->n++; /* counted first so pv_npm_plan_free releases a partial one */
	const char *oldv = old && !streq_null(old->version, e->version) ? old->version : NULL;
	if (dup_opt(&c->name, e->name) || dup_opt(&c->version, e->version) ||
	    dup_opt(&c->old_version, oldv) || dup_opt(&c->integrity, e->integrity) ||
	    dup_opt(&c->resolved, e->resolved) || dup_opt(&c->path, e->path))
		return -2;
	c->source = e->source;
	c->dev = e->dev || e->dev_optional;
	c->optional = e->optional || e->dev_optional;
	return 0;
}

static int diff_lockfiles(const struct pv_lockfile *old, const struct pv_lockfile *new_lf,
                          bool full, struct pv_npm_plan *p)
{
	const struct pv_lock_entry **idx = NULL;
	if (old && old->n) {
		idx = malloc(old->n * sizeof *idx);
		if (!idx)
			return -2;
		for (size_t i = 0; i < old->n; i++)
			idx[i] = &old->entries[i];
		qsort(idx, old->n, sizeof *idx, cmp_entry_path);
	}
	p->changes = new_lf->n ? calloc(new_lf->n, sizeof *p->changes) : NULL;
	if (new_lf->n && !p->changes) {
		free(idx);
		return -2;
	}
	int rc = 0;
	for (size_t i = 0; i < new_lf->n && rc == 0; i++) {
		const struct pv_lock_entry *e = &new_lf->entries[i], *key = e, *o = NULL;
		if (idx && e->path) {
			const struct pv_lock_entry **hit =
				bsearch(&key, idx, old->n, sizeof *idx, cmp_entry_path);
			o = hit ? *hit : NULL;
		}
		if (!full && o && same_entry(o, e))
			p->unchanged++;
		else
			rc = add_change(p, e, o);
	}
	free(idx);
	return rc;
}

/* Parse workdir/name; messages name label (the user's file, not our copy). */
static int load_lock(const char *workdir, const char *name, const char *label,
                     const struct pv_npmrc *cfg, struct pv_lockfile *lf, char *err, size_t errlen)
{
	char *path = path_join(workdir, name), *buf = NULL;
	size_t len = 0;
	if (!path)
		return -2;
	int rc = read_file(path, PV_LOCKFILE_MAX_SIZE, &buf, &len);
	if (rc == -1)
		snprintf(err, errlen, "%s: %s", label,
		         errno == ENOENT ? "npm wrote no lockfile" : strerror(errno));
	if (rc == 0)
		rc = pv_lockfile_parse(buf, len, label, cfg->registry, lf, err, errlen);
	free(path);
	free(buf);
	if (rc == 0)
		reclassify(lf, cfg);
	return rc;
}

/* ---- the entry point ---------------------------------------------------- */

static int make_workdir(struct pv_npm_plan *p, char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	if (!tmp || tmp[0] != '/' || strlen(tmp) > 1024)
		tmp = "/tmp";
	size_t need = strlen(tmp) + sizeof "/pkgvet-npm-XXXXXX";
	/* Published before mkdtemp fills it in: a signal handler that removes
	 * plan->workdir never misses a directory that exists. */
	p->workdir = malloc(need);
	if (!p->workdir)
		return -2;
	snprintf(p->workdir, need, "%s/pkgvet-npm-XXXXXX", tmp);
	if (!mkdtemp(p->workdir)) {
		snprintf(err, errlen, "cannot create a temporary directory in %s: %s", tmp,
		         strerror(errno));
		free(p->workdir);
		p->workdir = NULL;
		return -1;
	}
	return 0;
}

static int check_opts(const struct pv_npm_resolve_opts *o, char *err, size_t errlen)
{
	if (!o || !o->real_npm || !o->npm_args || (!o->project_dir && !o->global)) {
		snprintf(err, errlen, "npm resolution: missing %s",
		         !o ? "options" : !o->real_npm ? "the real npm" : !o->npm_args ? "arguments"
		                                                                        : "project");
		return -1;
	}
	return 0;
}

/* Resolve (or, for npm ci, take the lockfile as it is), then diff. */
static int resolve_and_diff(const struct pv_npm_resolve_opts *o, struct pv_npm_plan *p, bool ci,
                            char *err, size_t errlen)
{
	struct pv_npmrc cfg;
	memset(&cfg, 0, sizeof cfg);
	load_registries(o, &cfg);
	struct pv_lockfile old, new_lf;
	memset(&old, 0, sizeof old);
	memset(&new_lf, 0, sizeof new_lf);
	int rc = 0;
	char *label = NULL;
	if (p->had_lockfile) {
		label = path_join(o->project_dir, p->lockfile_name);
		rc = label ? load_lock(p->workdir, p->lockfile_name, label, &cfg, &old, err, errlen) : -2;
	}
	if (rc == 0 && ci)
		rc = diff_lockfiles(NULL, &old, true, p);
	if (rc == 0 && !ci) {
		rc = build_argv(o, p, err, errlen);
		if (rc == 0)
			rc = run_npm(o, p, err, errlen);
		if (rc == 0)
			rc = load_lock(p->workdir, p->lockfile_name, p->lockfile_name, &cfg, &new_lf, err,
			               errlen);
		if (rc == 0)
			rc = diff_lockfiles(p->had_lockfile ? &old : NULL, &new_lf, o->full, p);
	}
	free(label);
	pv_lockfile_free(&old);
	pv_lockfile_free(&new_lf);
	pv_npmrc_free(&cfg);
	return rc;
}

int pv_npm_resolve_tree(const struct pv_npm_resolve_opts *o, struct pv_npm_plan *plan, char *err,
                        size_t errlen)
{
	memset(plan, 0, sizeof *plan);
	if (errlen)
		err[0] = '\0';
	int rc = check_opts(o, err, errlen);
	bool ci = rc == 0 && pv_npm_resolve_is_ci(pv_npm_resolve_command(o->npm_args));
	if (rc == 0)
		rc = make_workdir(plan, err, errlen);
	if (rc == 0)
		rc = copy_project(o, plan, err, errlen);
	if (rc == 0 && ci && !plan->had_lockfile) {
		snprintf(err, errlen, "npm ci needs a package-lock.json or npm-shrinkwrap.json in %s",
		         o->project_dir ? o->project_dir : "the project");
		rc = -1;
	}
	if (rc == 0)
		rc = resolve_and_diff(o, plan, ci, err, errlen);
	if (rc == -2)
		snprintf(err, errlen, "out of memory");
	return rc;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0; /* keep going: remove as much as possible */
}

void pv_npm_plan_free(struct pv_npm_plan *p)
{
	if (!p)
		return;
	if (p->workdir) {
		nftw(p->workdir, rm_one, 32, FTW_DEPTH | FTW_PHYS);
		free(p->workdir);
	}
	free(p->lockfile_name);
	for (size_t i = 0; i < p->n; i++) {
		struct pv_npm_change *c = &p->changes[i];
		free(c->name);
		free(c->version);
		free(c->old_version);
		free(c->integrity);
		free(c->resolved);
		free(c->path);
	}
	free(p->changes);
	free_argv(p);
	memset(p, 0, sizeof *p);
}
