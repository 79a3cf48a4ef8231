/* tool_lock.c - read real_npm / real_pip and their locks from the org
 * policy, libc only (see tool_lock.h). This is not the policy parser: it
 * picks out four keys and ignores everything else; `pkgvet policy check
 * --org` is what validates the file. */
#include "tool_lock.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef PKGVET_ORG_POLICY
#error "PKGVET_ORG_POLICY must be defined (CMakeLists.txt)"
#endif

#define MAX_FILE_BYTES (1u << 20) /* the policy parser's limit too */
#define MAX_LINE 256              /* the parser refuses lines over 198 characters */

struct org_tool {
	bool locked;
	char path[PATH_MAX]; /* "" when the org names none (or says `path`) */
};

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = 0;
	return s;
}

/* An inline comment is ';' after whitespace, as inih reads it. */
static void cut_comment(char *s)
{
	for (char *p = s + 1; *p; p++)
		if (*p == ';' && (p[-1] == ' ' || p[-1] == '\t')) {
			*p = 0;
			return;
		}
}

static bool yes(const char *v)
{
	return strcmp(v, "yes") == 0 || strcmp(v, "true") == 0;
}

/* An absolute path of printable characters (it is shown in warnings). */
static bool usable_path(const char *v)
{
	if (v[0] != '/')
		return false;
	for (const unsigned char *c = (const unsigned char *)v; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return false;
	return strlen(v) < PATH_MAX;
}

static void take_key(const char *section, const char *key, const char *val, const char *name,
                     struct org_tool *t)
{
	if (strcmp(section, "locked") == 0) {
		if ((strncmp(key, "settings.", 9) == 0 && strcmp(key + 9, name) == 0) ||
		    strcmp(key, "settings.*") == 0)
			t->locked = t->locked || yes(val);
	} else if (strcmp(section, "settings") == 0 && strcmp(key, name) == 0 && usable_path(val)) {
		snprintf(t->path, sizeof t->path, "%s", val);
	}
}

/* 0 (absent counts: no lock), or -1 with errno when it cannot be read. */
static int read_org(const char *name, struct org_tool *t)
{
	memset(t, 0, sizeof *t);
	FILE *f = fopen(PKGVET_ORG_POLICY, "re");
	if (!f)
		return errno == ENOENT ? 0 : -1;
	char line[MAX_LINE + 2], section[64] = "";
	size_t total = 0;
	bool long_line = false;
	while (fgets(line, sizeof line, f)) {
		size_t n = strlen(line);
		total += n;
		if (total > MAX_FILE_BYTES)
			break;
		bool whole = n && line[n - 1] == '\n';
		if (long_line) { /* the rest of a line too long to be valid */
			long_line = !whole;
			continue;
		}
		long_line = !whole && !feof(f);
		if (long_line)
			continue;
		char *s = trim(line);
		if (!*s || *s == ';' || *s == '#')
			continue;
		cut_comment(s);
		if (*s == '[') {
			char *end = strchr(s, ']');
			if (end) {
				*end = 0;
				snprintf(section, sizeof section, "%s", trim(s + 1));
			}
			continue;
		}
		char *eq = strpbrk(s, "=:");
		if (!eq)
			continue;
		*eq = 0;
		take_key(section, trim(s), trim(eq + 1), name, t);
	}
	bool bad = ferror(f);
	int saved = errno;
	fclose(f);
	if (bad) {
		errno = saved;
		return -1;
	}
	return 0;
}

/* The variables a person may have set, under the org's word. */
struct governed {
	const char *var;
	const char *value; /* the org's path for it, or NULL */
};

/* Apply the lock (or the org's default) to each variable; one warning line
 * names every variable ignored. why says what locks them. */
static void govern(const char *prog, const struct governed *g, size_t n, const struct org_tool *t,
                   const char *why)
{
	char ignored[200] = "";
	const char *using = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *env = getenv(g[i].var);
		bool set = env && *env;
		if (t->locked && set && !(g[i].value && strcmp(env, g[i].value) == 0)) {
			size_t len = strlen(ignored);
			snprintf(ignored + len, sizeof ignored - len, "%s%s", len ? ", " : "", g[i].var);
			using = using ? using : g[i].value;
		}
		if (g[i].value && (t->locked || !set))
			setenv(g[i].var, g[i].value, 1);
		else if (t->locked)
			unsetenv(g[i].var);
	}
	if (ignored[0])
		fprintf(stderr, "%s: warning: %s ignored: %s%s%s\n", prog, ignored, why, using ? "; using " : "",
		        using ? using : "");
}

void pv_tool_lock_apply(const char *prog, enum pv_tool_family fam)
{
	const char *setting = fam == PV_TOOL_NPM ? "real_npm" : "real_pip";
	struct org_tool t;
	char why[PATH_MAX + 160];
	snprintf(why, sizeof why, "the organisation policy (%s) locks %s", PKGVET_ORG_POLICY, setting);
	if (read_org(setting, &t) < 0) {
		/* Fail closed: an org file that cannot be read may be the one that locks. */
		snprintf(why, sizeof why, "the organisation policy %s cannot be read (%s)", PKGVET_ORG_POLICY,
		         strerror(errno));
		memset(&t, 0, sizeof t);
		t.locked = true;
	}
	const char *value = t.path[0] ? t.path : NULL;
	if (fam == PV_TOOL_NPM) {
		/* npx goes with npm: the one next to the org's npm. */
		char npx[PATH_MAX + 8];
		if (value) {
			snprintf(npx, sizeof npx, "%s", value);
			char *slash = strrchr(npx, '/');
			snprintf(slash + 1, sizeof npx - (size_t)(slash + 1 - npx), "npx");
		}
		struct governed g[] = {{"PKGVET_REAL_NPM", value}, {"PKGVET_REAL_NPX", value ? npx : NULL}};
		govern(prog, g, 2, &t, why);
	} else {
		/* `python -m pip` through the hooks names its python: another way
		 * to choose the real pip, so it is under the same lock. */
		struct governed g[] = {{"PKGVET_REAL_PIP", value}, {"PKGVET_PIP_PYTHON", NULL}};
		govern(prog, g, 2, &t, why);
	}
}
