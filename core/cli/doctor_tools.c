/* doctor_tools.c - which real npm / npx / pip / pip3 each shim would run,
 * its version, and whether the shims can work with it. The versions are
 * asked in parallel (each tool may take a second to start). */
#include "doctor.h"
#include "real_tool.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOOL_VERSION_TIMEOUT_MS 10000

struct tool_spec {
	const char *name;
	const char *env;    /* the override the shim honours */
	int need_major, need_minor;
	const char *why;    /* what the shims need from that version */
};

static const struct tool_spec tools[] = {
	{"npm", "PKGVET_REAL_NPM", 7, 0, "npm >= 7 (lockfile v2+, --package-lock-only)"},
	{"npx", "PKGVET_REAL_NPX", 7, 0, "npm >= 7 (lockfile v2+, --package-lock-only)"},
	{"pip", "PKGVET_REAL_PIP", 22, 2, "pip >= 22.2 (--dry-run --report)"},
	{"pip3", "PKGVET_REAL_PIP", 22, 2, "pip >= 22.2 (--dry-run --report)"},
};
#define NTOOLS (sizeof tools / sizeof *tools)

struct tool_probe {
	const struct tool_spec *spec;
	struct doc_check *check;
	char path[PATH_MAX];
	pthread_t thread;
	bool started;
};

struct doc_tools {
	struct tool_probe probe[NTOOLS];
};

/* The first version number of a `--version` line: "10.2.4" (npm) or
 * "pip 24.0 from /usr/lib/... (python 3.12)" (pip): its major and minor
 * numbers, and the word as printed (at most n-1 bytes) in word. 0, or -1
 * when there is none. */
static int parse_version(const char *line, int *major, int *minor, char *word, size_t n)
{
	for (const char *p = line; *p; p++) {
		if (*p < '0' || *p > '9' || (p > line && p[-1] != ' ' && p[-1] != 'v'))
			continue;
		char *end;
		long a = strtol(p, &end, 10), b = 0;
		if (*end == '.')
			b = strtol(end + 1, NULL, 10);
		if (a < 0 || a > 100000 || b < 0 || b > 100000)
			return -1;
		*major = (int)a;
		*minor = (int)b;
		size_t len = strcspn(p, " \t\r");
		snprintf(word, n, "%.*s", (int)(len < n ? len : n - 1), p);
		return 0;
	}
	return -1;
}

static void *probe_version(void *arg)
{
	struct tool_probe *t = arg;
	const struct tool_spec *s = t->spec;
	char line[256], err[256];
	if (doc_tool_version(t->path, TOOL_VERSION_TIMEOUT_MS, line, sizeof line, err, sizeof err) < 0) {
		doc_set(t->check, DOC_FAIL, "%s: %s", t->path, err);
		return NULL;
	}
	int major, minor;
	char version[64];
	if (parse_version(line, &major, &minor, version, sizeof version) < 0) {
		doc_set(t->check, DOC_FAIL, "%s: no version number in its `--version` output \"%s\"", t->path, line);
		return NULL;
	}
	if (major < s->need_major || (major == s->need_major && minor < s->need_minor))
		doc_set(t->check, DOC_FAIL, "%s %s: unsupported: needs %s", t->path, version, s->why);
	else
		doc_set(t->check, DOC_OK, "%s %s (supported)", t->path, version);
	return NULL;
}

/* Where the shim for s would hand over, as the shim itself works it out. */
static void locate(struct tool_probe *t)
{
	const struct tool_spec *s = t->spec;
	char err[600];
	int rc = strncmp(s->name, "pip", 3) == 0 ? pv_real_pip(s->name, t->path, sizeof t->path, err, sizeof err)
	                                          : pv_real_tool(s->name, s->env, t->path, sizeof t->path, err,
	                                                         sizeof err);
	if (rc == 0)
		return;
	t->path[0] = 0;
	const char *ov = getenv(s->env);
	/* A tool that is not installed is no fault of the setup (no npm on a
	 * Python-only machine); an override that is wrong is. */
	if (ov && *ov)
		doc_set(t->check, DOC_FAIL, "%s", err);
	else
		doc_set(t->check, DOC_INFO, "not found on PATH (set %s if it is installed elsewhere)", s->env);
}

struct doc_tools *doc_tools_start(struct doc_report *r)
{
	struct doc_tools *t = calloc(1, sizeof *t);
	for (size_t i = 0; i < NTOOLS; i++) {
		struct doc_check *c = doc_add(r, "tools", "%s", tools[i].name);
		if (!t) {
			doc_set(c, DOC_FAIL, "out of memory");
			continue;
		}
		struct tool_probe *p = &t->probe[i];
		p->spec = &tools[i];
		p->check = c;
		if (!c)
			continue;
		locate(p);
		if (!p->path[0])
			continue;
		int rc = pthread_create(&p->thread, NULL, probe_version, p);
		if (rc != 0) {
			doc_set(c, DOC_FAIL, "%s: cannot start a thread: %s", p->path, strerror(rc));
			continue;
		}
		p->started = true;
	}
	return t;
}

void doc_tools_join(struct doc_tools *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < NTOOLS; i++)
		if (t->probe[i].started)
			pthread_join(t->probe[i].thread, NULL);
	free(t);
}
