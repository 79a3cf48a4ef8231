/* catalogue.c - load the attribute catalogue with inih and judge findings. */
#include "catalogue.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char pv_catalogue_ini[];
extern const size_t pv_catalogue_ini_len;

struct parse_state {
	struct pv_catalogue *cat;
	const char *name;
	char *err;
	size_t errlen;
	int failed;
	const char *text; /* what the reader has not handed to inih yet */
	int line;         /* line inih is handling: counted by the reader, because
	                     Debian's inih is built without INI_HANDLER_LINENO */
	char msg[256];
	int last_line;    /* where set_str last stored, to join continuation lines */
	char **last_dst;
};

/* Record the first error as "FILE:LINE: message"; returns 0 for inih. */
#define fail(st, line, fmt, a, b) (snprintf((st)->msg, sizeof (st)->msg, fmt, a, b), fail_((st), (line)))
static int fail_(struct parse_state *st, int line)
{
	if (!st->failed)
		snprintf(st->err, st->errlen, "%s:%d: %s", st->name, line, st->msg);
	st->failed = 1;
	return 0;
}

/* inih reader over a string: fgets semantics, counting lines. */
static char *read_line(char *buf, int size, void *stream)
{
	struct parse_state *st = stream;
	if (!*st->text || size < 2)
		return NULL;
	int i = 0;
	while (i < size - 1 && st->text[0]) {
		char c = *st->text++;
		buf[i++] = c;
		if (c == '\n')
			break;
	}
	buf[i] = 0;
	st->line++;
	if (i == size - 1 && buf[i - 1] != '\n' && st->text[0]) {
		/* inih would see the rest as a line of its own: refuse instead. */
		fail(st, st->line, "line longer than %d characters%s", size - 2, "");
		return NULL;
	}
	return buf;
}

static struct pv_attr *section(struct parse_state *st, const char *id, int line)
{
	struct pv_catalogue *cat = st->cat;
	if (cat->n && strcmp(cat->v[cat->n - 1].id, id) == 0)
		return &cat->v[cat->n - 1];
	if (pv_catalogue_find(cat, id)) {
		fail(st, line, "attribute [%s] is defined twice%s", id, "");
		return NULL;
	}
	if (cat->n == cat->cap) {
		size_t cap = cat->cap ? cat->cap * 2 : 64;
		struct pv_attr *v = realloc(cat->v, cap * sizeof *v);
		if (!v) {
			fail(st, line, "out of memory%s%s", "", "");
			return NULL;
		}
		cat->v = v;
		cat->cap = cap;
	}
	struct pv_attr *a = &cat->v[cat->n];
	memset(a, 0, sizeof *a);
	a->id = strdup(id);
	if (!a->id) {
		fail(st, line, "out of memory%s%s", "", "");
		return NULL;
	}
	a->action = PV_WARN;
	a->install_time_action = -1;
	a->high_action = -1;
	a->enabled = true;
	a->line = (unsigned)line;
	cat->n++;
	return a;
}

static int set_str(struct parse_state *st, int line, char **dst, const char *val)
{
	/* An indented continuation line repeats the key (inih multi-line): append. */
	if (*dst && st->last_line == line - 1 && st->last_dst == dst) {
		size_t a = strlen(*dst), b = strlen(val);
		char *n = realloc(*dst, a + b + 2);
		if (!n)
			return fail(st, line, "out of memory%s%s", "", "");
		n[a] = ' ';
		memcpy(n + a + 1, val, b + 1);
		*dst = n;
		st->last_line = line;
		return 1;
	}
	st->last_line = line;
	st->last_dst = dst;
	free(*dst);
	*dst = strdup(val);
	if (!*dst)
		return fail(st, line, "out of memory%s%s", "", "");
	return 1;
}

static int on_key(void *user, const char *sec, const char *key, const char *val)
{
	struct parse_state *st = user;
	int line = st->line;
	if (st->failed)
		return 0;
	if (!*sec)
		return fail(st, line, "key %s outside any [attribute] section%s", key, "");
	struct pv_attr *a = section(st, sec, line);
	if (!a)
		return 0;
	if (strcmp(key, "kind") == 0) {
		static const char *const kinds[] = {"metadata", "code", "vuln", "malware", "archive"};
		for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
			if (strcmp(val, kinds[i]) == 0)
				return set_str(st, line, &a->kind, val);
		return fail(st, line, "unknown kind '%s' in [%s]", val, sec);
	}
	if (strcmp(key, "action") == 0 || strcmp(key, "install_time_action") == 0 ||
	    strcmp(key, "high_action") == 0) {
		int act = pv_action_parse(val);
		if (act < 0)
			return fail(st, line, "invalid action '%s' (allow, warn, prompt or block) in [%s]", val, sec);
		if (key[0] == 'a')
			a->action = (enum pv_action)act;
		else if (key[0] == 'i')
			a->install_time_action = act;
		else
			a->high_action = act;
		return 1;
	}
	if (strcmp(key, "enabled") == 0) {
		if (strcmp(val, "yes") == 0 || strcmp(val, "true") == 0)
			a->enabled = true;
		else if (strcmp(val, "no") == 0 || strcmp(val, "false") == 0)
			a->enabled = false;
		else
			return fail(st, line, "enabled must be yes or no, not '%s' (in [%s])", val, sec);
		return 1;
	}
	if (strcmp(key, "threshold") == 0) {
		char *end;
		double d = strtod(val, &end);
		if (end == val || *end || d < 0)
			return fail(st, line, "threshold must be a non-negative number, not '%s' (in [%s])", val, sec);
		a->threshold = d;
		a->has_threshold = true;
		return 1;
	}
	if (strcmp(key, "weaker") == 0) {
		if (strcmp(val, "lower") == 0)
			a->weaker = PV_WEAKER_LOWER;
		else if (strcmp(val, "higher") == 0)
			a->weaker = PV_WEAKER_HIGHER;
		else
			return fail(st, line, "weaker must be lower or higher, not '%s' (in [%s])", val, sec);
		return 1;
	}
	if (strcmp(key, "description") == 0)
		return set_str(st, line, &a->description, val);
	if (strcmp(key, "reason") == 0)
		return set_str(st, line, &a->reason, val);
	if (strcmp(key, "unit") == 0)
		return set_str(st, line, &a->unit, val);
	return fail(st, line, "unknown key '%s' in [%s]", key, sec);
}

int pv_catalogue_parse(struct pv_catalogue *cat, const char *text, const char *name,
                       char *err, size_t errlen)
{
	struct parse_state st = {cat, name, err, errlen, 0, text, 0, "", 0, NULL};
	int rc = ini_parse_stream(read_line, &st, on_key, &st);
	if (rc > 0 && !st.failed)
		fail(&st, rc, "syntax error (expected [section] or key = value)%s%s", "", "");
	if (rc < 0 && !st.failed)
		fail(&st, 0, "cannot parse%s%s", "", "");
	if (st.failed)
		return -1;
	for (size_t i = 0; i < cat->n; i++) {
		struct pv_attr *a = &cat->v[i];
		if (!a->kind || !a->description) {
			fail(&st, (int)a->line, "[%s] needs kind and description%s", a->id, "");
			return -1;
		}
		if (a->has_threshold != (a->weaker != PV_WEAKER_NONE)) {
			fail(&st, (int)a->line, "[%s] needs weaker = lower|higher exactly when it has a threshold%s",
			     a->id, "");
			return -1;
		}
	}
	free(cat->file);
	cat->file = strdup(name);
	return cat->file ? 0 : -1;
}

int pv_catalogue_load_builtin(struct pv_catalogue *cat, char *err, size_t errlen)
{
	/* The embedded array is NUL-terminated by the generator. */
	(void)pv_catalogue_ini_len;
	return pv_catalogue_parse(cat, pv_catalogue_ini, "catalogue.ini (built-in)", err, errlen);
}

const struct pv_attr *pv_catalogue_find(const struct pv_catalogue *cat, const char *id)
{
	for (size_t i = 0; i < cat->n; i++)
		if (strcmp(cat->v[i].id, id) == 0)
			return &cat->v[i];
	return NULL;
}

void pv_catalogue_free(struct pv_catalogue *cat)
{
	for (size_t i = 0; i < cat->n; i++) {
		struct pv_attr *a = &cat->v[i];
		free(a->id);
		free(a->kind);
		free(a->description);
		free(a->reason);
		free(a->unit);
	}
	free(cat->v);
	free(cat->file);
	memset(cat, 0, sizeof *cat);
}

enum pv_action pv_catalogue_action(const struct pv_catalogue *cat, const struct pv_finding *f)
{
	const struct pv_attr *a = pv_catalogue_find(cat, f->attr);
	if (!a)
		return PV_WARN;
	enum pv_action act = a->action;
	if (f->install_time && a->install_time_action > (int)act)
		act = (enum pv_action)a->install_time_action;
	/* high_action (known-vuln): the OSV step writes the severity first in
	 * the detail ("high: GHSA-...", "critical: ..."). */
	if (a->high_action > (int)act && f->detail &&
	    (strncmp(f->detail, "high:", 5) == 0 || strncmp(f->detail, "critical:", 9) == 0))
		act = (enum pv_action)a->high_action;
	return act;
}

enum pv_action pv_catalogue_judge(const struct pv_catalogue *cat, struct pv_findings *fs)
{
	enum pv_action verdict = PV_ALLOW;
	size_t keep = 0;
	for (size_t i = 0; i < fs->n; i++) {
		struct pv_finding *f = &fs->v[i];
		const struct pv_attr *a = pv_catalogue_find(cat, f->attr);
		if (a && !a->enabled) {
			free(f->attr);
			free(f->file);
			free(f->excerpt);
			free(f->detail);
			continue;
		}
		f->action = pv_catalogue_action(cat, f);
		f->kind = a ? a->kind : "code";
		if (f->action > verdict)
			verdict = f->action;
		fs->v[keep++] = *f;
	}
	fs->n = keep;
	return verdict;
}
