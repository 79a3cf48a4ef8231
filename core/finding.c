/* finding.c - the findings list and its evidence caps. */
#include "finding.h"

#include <stdlib.h>
#include <string.h>

static const char *const action_names[] = {"allow", "warn", "prompt", "block"};

const char *pv_action_name(enum pv_action a)
{
	return (unsigned)a < 4 ? action_names[a] : "?";
}

int pv_action_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, action_names[i]) == 0)
			return i;
	return -1;
}

static const char *const perm_names[PV_PERM__COUNT] = {
	"network", "fs-read", "fs-write", "process", "env-read",
	"env-write", "codegen", "decode", "native", "install-hook",
};
static const char *const perm_attrs[PV_PERM__COUNT] = {
	"perm-network", "perm-fs-read", "perm-fs-write", "perm-process", "perm-env-read",
	"perm-env-write", "perm-codegen", "perm-decode", "perm-native", "install-hook",
};

const char *pv_perm_name(enum pv_perm p)
{
	return (unsigned)p < PV_PERM__COUNT ? perm_names[p] : "?";
}

const char *pv_perm_attr(enum pv_perm p)
{
	return (unsigned)p < PV_PERM__COUNT ? perm_attrs[p] : "?";
}

int pv_perm_of_attr(const char *attr)
{
	for (int i = 0; i < PV_PERM__COUNT; i++)
		if (strcmp(attr, perm_attrs[i]) == 0)
			return i;
	return -1;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

static bool same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static int add(struct pv_findings *fs, const char *attr, const char *file, uint32_t line,
               const char *excerpt, size_t excerpt_len, const char *detail, bool install_time,
               size_t per_file);

int pv_findings_add(struct pv_findings *fs, const char *attr, const char *file,
                    uint32_t line, const char *excerpt, size_t excerpt_len,
                    const char *detail, bool install_time)
{
	return add(fs, attr, file, line, excerpt, excerpt_len, detail, install_time, PV_EVIDENCE_PER_FILE);
}

int pv_findings_add_each(struct pv_findings *fs, const char *attr, const char *file,
                         uint32_t line, const char *excerpt, size_t excerpt_len,
                         const char *detail, bool install_time)
{
	return add(fs, attr, file, line, excerpt, excerpt_len, detail, install_time, PV_FINDINGS_MAX);
}

static int add(struct pv_findings *fs, const char *attr, const char *file, uint32_t line,
               const char *excerpt, size_t excerpt_len, const char *detail, bool install_time,
               size_t per_file)
{
	/* Cap evidence per (attribute, file): the first entry counts the rest. */
	size_t kept = 0;
	struct pv_finding *first = NULL;
	for (size_t i = fs->n; i-- > 0;) {
		struct pv_finding *f = &fs->v[i];
		if (strcmp(f->attr, attr) == 0 && same(f->file, file)) {
			if (f->line == line && same(f->detail, detail) && f->install_time == install_time) {
				f->count++;
				return 0;
			}
			kept++;
			first = f;
		}
	}
	if (first && (kept >= per_file || fs->n >= PV_FINDINGS_MAX)) {
		first->count++;
		if (install_time)
			first->install_time = true;
		return 0;
	}
	if (fs->n >= PV_FINDINGS_MAX)
		return 0;
	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 16;
		struct pv_finding *v = realloc(fs->v, cap * sizeof *v);
		if (!v) {
			fs->oom = true;
			return -1;
		}
		fs->v = v;
		fs->cap = cap;
	}
	struct pv_finding f = {0};
	f.line = line;
	f.install_time = install_time;
	f.count = 1;
	f.attr = strdup(attr);
	if (file)
		f.file = strdup(file);
	if (detail)
		f.detail = strdup(detail);
	if (excerpt) {
		size_t n = 0;
		while (n < excerpt_len && n < PV_EXCERPT_MAX && excerpt[n] != '\n' && excerpt[n] != '\r')
			n++;
		/* Do not cut a UTF-8 sequence in half. */
		if (n == PV_EXCERPT_MAX)
			while (n > 0 && ((unsigned char)excerpt[n] & 0xC0) == 0x80)
				n--;
		while (n > 0 && (excerpt[n - 1] == ' ' || excerpt[n - 1] == '\t'))
			n--;
		size_t lead = 0;
		while (lead < n && (excerpt[lead] == ' ' || excerpt[lead] == '\t'))
			lead++;
		f.excerpt = dup_n(excerpt + lead, n - lead);
	}
	if (!f.attr || (file && !f.file) || (detail && !f.detail) || (excerpt && !f.excerpt)) {
		free(f.attr);
		free(f.file);
		free(f.detail);
		free(f.excerpt);
		fs->oom = true;
		return -1;
	}
	fs->v[fs->n++] = f;
	return 0;
}

/* Excerpt window: up to 40 bytes before the match on its line, then the
 * rest of the line (pv_findings_add cuts it at PV_EXCERPT_MAX). */
#define PV_EXCERPT_BEFORE 40

static int emit(struct pv_findings *fs, const struct pv_source *src, const char *attr,
                size_t off, uint32_t row, const char *detail, bool install)
{
	if (off > src->len)
		off = src->len;
	size_t start = off;
	while (start > 0 && off - start < PV_EXCERPT_BEFORE && src->data[start - 1] != '\n')
		start--;
	/* Start on a UTF-8 boundary. */
	while (start < off && ((unsigned char)src->data[start] & 0xC0) == 0x80)
		start++;
	return pv_findings_add(fs, attr, src->path, row + 1, src->data + start, src->len - start,
	                       detail, install);
}

int pv_emit(struct pv_findings *fs, const struct pv_source *src, const char *attr,
            size_t off, uint32_t row, const char *detail)
{
	return emit(fs, src, attr, off, row, detail, src->install_time);
}

int pv_emit_install(struct pv_findings *fs, const struct pv_source *src, const char *attr,
                    size_t off, uint32_t row, const char *detail)
{
	return emit(fs, src, attr, off, row, detail, true);
}

bool pv_findings_has(const struct pv_findings *fs, const char *attr)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i].attr, attr) == 0)
			return true;
	return false;
}

void pv_findings_remove(struct pv_findings *fs, const char *attr)
{
	size_t k = 0;
	for (size_t i = 0; i < fs->n; i++) {
		if (strcmp(fs->v[i].attr, attr) == 0) {
			free(fs->v[i].attr);
			free(fs->v[i].file);
			free(fs->v[i].excerpt);
			free(fs->v[i].detail);
			continue;
		}
		fs->v[k++] = fs->v[i];
	}
	fs->n = k;
}

bool pv_findings_has_in(const struct pv_findings *fs, const char *attr, const char *file)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i].attr, attr) == 0 && same(fs->v[i].file, file))
			return true;
	return false;
}

int pv_findings_merge(struct pv_findings *dst, struct pv_findings *src)
{
	int rc = 0;
	for (size_t i = 0; i < src->n; i++) {
		struct pv_finding *f = &src->v[i];
		size_t before = dst->n;
		if (pv_findings_add(dst, f->attr, f->file, f->line, f->excerpt,
		                    f->excerpt ? strlen(f->excerpt) : 0, f->detail, f->install_time) < 0)
			rc = -1;
		else if (dst->n > before)
			dst->v[dst->n - 1].count = f->count;
	}
	if (src->oom)
		dst->oom = true;
	pv_findings_free(src);
	return rc;
}

void pv_findings_free(struct pv_findings *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		free(fs->v[i].attr);
		free(fs->v[i].file);
		free(fs->v[i].excerpt);
		free(fs->v[i].detail);
	}
	free(fs->v);
	fs->v = NULL;
	fs->n = fs->cap = 0;
	fs->oom = false;
}
