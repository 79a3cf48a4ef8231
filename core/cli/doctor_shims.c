/* doctor_shims.c - is the shims directory there, does it lead to this
 * pkgvet, does it come before the real tools on PATH, and are the shell
 * hooks active in the shell that ran doctor. */
#include "doctor.h"
#include "real_tool.h"
#include "shims_dir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *tool, *target;
} shim_links[] = {{"npm", "pkgvet-npm"}, {"npx", "pkgvet-npm"}, {"pip", "pkgvet-pip"}, {"pip3", "pkgvet-pip"}};
#define NLINKS (sizeof shim_links / sizeof *shim_links)

/* Append "; text" (or text) to buf; what does not fit is cut off. */
static void append(char *buf, size_t n, const char *text)
{
	size_t len = strlen(buf);
	if (len + 1 >= n)
		return;
	int w = snprintf(buf + len, n - len, "%s%s", len ? "; " : "", text);
	if (w < 0)
		buf[len] = 0;
}

static void check_links(struct doc_report *r, const char *dir)
{
	struct doc_check *c = doc_add(r, "shims", "links");
	char self[PATH_MAX], problems[DOC_DETAIL_MAX] = "";
	if (pv_self_dir(self, sizeof self) < 0) {
		doc_set(c, DOC_FAIL, "cannot read this program's path (/proc/self/exe)");
		return;
	}
	for (size_t i = 0; i < NLINKS; i++) {
		char link[PATH_MAX + 16], want[PATH_MAX + 16], got_real[PATH_MAX], want_real[PATH_MAX], msg[DOC_DETAIL_MAX];
		snprintf(link, sizeof link, "%s/%s", dir, shim_links[i].tool);
		snprintf(want, sizeof want, "%s/%s", self, shim_links[i].target);
		if (!realpath(want, want_real)) {
			snprintf(msg, sizeof msg, "%.1000s is missing next to pkgvet", want);
			append(problems, sizeof problems, msg);
		} else if (!realpath(link, got_real)) {
			snprintf(msg, sizeof msg, "%.1000s is missing or a dangling link", link);
			append(problems, sizeof problems, msg);
		} else if (strcmp(got_real, want_real) != 0) {
			snprintf(msg, sizeof msg, "%.300s leads to %.300s, not to this pkgvet's %.300s", link, got_real,
			         want_real);
			append(problems, sizeof problems, msg);
		}
	}
	if (problems[0])
		doc_set(c, DOC_FAIL, "%s", problems);
	else
		doc_set(c, DOC_OK, "npm, npx -> pkgvet-npm; pip, pip3 -> pkgvet-pip (this pkgvet's)");
}

/* The first executable `tool` on PATH into out; false when there is none. */
static bool first_on_path(const char *tool, char *out, size_t n)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		return false;
	while (*path) {
		const char *colon = strchr(path, ':');
		size_t len = colon ? (size_t)(colon - path) : strlen(path);
		int w = len ? snprintf(out, n, "%.*s/%s", (int)len, path, tool) : snprintf(out, n, "./%s", tool);
		struct stat st;
		if (w > 0 && (size_t)w < n && stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0)
			return true;
		path += len + (colon ? 1 : 0);
	}
	return false;
}

/* Is file's directory dir (both with links resolved)? */
static bool in_dir(const char *file, const char *dir)
{
	char fdir[PATH_MAX], a[PATH_MAX], b[PATH_MAX];
	const char *slash = strrchr(file, '/');
	if (!slash || snprintf(fdir, sizeof fdir, "%.*s", (int)(slash - file), file) >= (int)sizeof fdir)
		return false;
	return realpath(fdir[0] ? fdir : "/", a) && realpath(dir, b) && strcmp(a, b) == 0;
}

/* One line per tool: does `tool` typed in a shell reach the shim? Returns
 * true when some shim is found and no tool on PATH is a real one. */
static bool check_path(struct doc_report *r, const char *dir, bool hooks)
{
	bool all = true, any = false;
	for (size_t i = 0; i < NLINKS; i++) {
		const char *tool = shim_links[i].tool;
		struct doc_check *c = doc_add(r, "PATH", "%s", tool);
		char first[PATH_MAX];
		if (!first_on_path(tool, first, sizeof first)) {
			doc_set(c, DOC_INFO, "no %s on PATH at all (neither the shim nor a real one)", tool);
			continue;
		}
		if (pv_is_shim(first)) {
			any = true;
			if (in_dir(first, dir))
				doc_set(c, DOC_OK, "%s is the shim", first);
			else
				doc_set(c, DOC_OK, "%s is a pkgvet shim, though not from %s (another pkgvet install?)",
				        first, dir);
			continue;
		}
		all = false;
		/* With the hooks active, what the person types here is vetted;
		 * scripts and other programs still reach the real tool. */
		char *slash = strrchr(first, '/');
		int dlen = slash ? (int)(slash - first) : 0;
		doc_set(c, hooks ? DOC_INFO : DOC_FAIL, "PATH finds %s, not the shim (put %s before %.*s on PATH%s)",
		        first, dir, dlen, first, hooks ? "; the shell hooks vet what is typed in this shell" : "");
	}
	return all && any;
}

static void check_hooks(struct doc_report *r, bool path_ok)
{
	struct doc_check *c = doc_add(r, "hooks", "shell hooks");
	const char *hook = getenv("PKGVET_HOOK_SHELL");
	if (hook && *hook) {
		doc_set(c, DOC_OK, "active in this shell (%.32s)", hook);
		return;
	}
	const char *sh = getenv("SHELL");
	const char *name = sh ? pv_base_name(sh) : "";
	const char *hint = strcmp(name, "fish") == 0 ? "pkgvet init fish | source"
	                   : strcmp(name, "zsh") == 0 ? "eval \"$(pkgvet init zsh)\""
	                                              : "eval \"$(pkgvet init bash)\"";
	doc_set(c, DOC_INFO, "not active in this shell%s (to activate: %s)",
	        path_ok ? "; the shims on PATH cover npm and pip" : "", hint);
}

void doc_check_shims(struct doc_report *r)
{
	char dir[PATH_MAX];
	struct doc_check *c = doc_add(r, "shims", "directory");
	const char *hook = getenv("PKGVET_HOOK_SHELL");
	bool hooks = hook && *hook;
	if (pv_shims_dir(dir, sizeof dir) < 0) {
		doc_set(c, DOC_FAIL, "cannot work out the shims directory (set PKGVET_SHIMS_DIR)");
		check_hooks(r, false);
		return;
	}
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		doc_set(c, DOC_FAIL, "%s does not exist or is not a directory", dir);
		bool path_ok = check_path(r, dir, hooks);
		check_hooks(r, path_ok);
		return;
	}
	doc_set(c, DOC_OK, "%s", dir);
	check_links(r, dir);
	bool path_ok = check_path(r, dir, hooks);
	check_hooks(r, path_ok);
}
