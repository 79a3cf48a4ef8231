/* finding.h - findings: one catalogue attribute observed on one package,
 * with evidence. Every analyser reports through pv_emit()/pv_findings_add();
 * nothing else builds findings by hand, so the evidence caps live in one place. */
#ifndef PV_FINDING_H
#define PV_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pv_action { PV_ALLOW = 0, PV_WARN, PV_PROMPT, PV_BLOCK };

const char *pv_action_name(enum pv_action a);
/* Returns -1 for an unknown name. */
int pv_action_parse(const char *s);

/* The permissions of design.md §2. Attribute id of each is "perm-<name>",
 * except install-hook, whose attribute id is plain "install-hook". */
enum pv_perm {
	PV_PERM_NETWORK = 0,
	PV_PERM_FS_READ,
	PV_PERM_FS_WRITE,
	PV_PERM_PROCESS,
	PV_PERM_ENV_READ,
	PV_PERM_ENV_WRITE,
	PV_PERM_CODEGEN,
	PV_PERM_DECODE,
	PV_PERM_NATIVE,
	PV_PERM_INSTALL_HOOK,
	PV_PERM__COUNT
};

const char *pv_perm_name(enum pv_perm p);    /* "network", "fs-read", ... */
const char *pv_perm_attr(enum pv_perm p);    /* "perm-network", ..., "install-hook" */
/* Permission an attribute id stands for, or -1 when it is not a permission. */
int pv_perm_of_attr(const char *attr);

/* Bounds on evidence, so a 9 MB bundle cannot produce a million findings. */
#define PV_EXCERPT_MAX 120   /* bytes of a source line kept as excerpt */
#define PV_EVIDENCE_PER_FILE 3 /* findings kept per (attribute, file); rest are counted */
#define PV_FINDINGS_MAX 2000 /* per package; beyond that only counts grow */

struct pv_finding {
	char *attr;        /* catalogue id, e.g. "perm-network", "shady-url" */
	char *file;        /* path inside the package; NULL for metadata findings */
	uint32_t line;     /* 1-based; 0 when there is no line */
	char *excerpt;     /* raw bytes of the source line (NOT escaped; escape at output), may be NULL */
	char *detail;      /* short human explanation, may be NULL */
	bool install_time; /* the code runs at install time (setup.py, lifecycle script, .pth) */
	uint32_t count;    /* how many occurrences this entry stands for (>= 1) */
	enum pv_action action; /* filled in by the policy step */
	const char *kind;      /* catalogue kind, filled in by the policy step (not owned) */
};

struct pv_findings {
	struct pv_finding *v;
	size_t n, cap;
	bool oom; /* an allocation failed; the list is incomplete */
};

/* One file handed to an analyser. */
struct pv_source {
	const char *path;   /* path inside the package, e.g. "lib/index.js" */
	const char *data;   /* file contents (not NUL-terminated necessarily) */
	size_t len;
	bool install_time;  /* setup.py, .pth, target of an npm lifecycle script */
};

/* Add a finding. excerpt may be NULL; it is cut at the first newline and
 * at PV_EXCERPT_MAX bytes. Returns 0, or -1 on allocation failure (sets oom).
 * Identical (attr, file) pairs beyond PV_EVIDENCE_PER_FILE only bump count. */
int pv_findings_add(struct pv_findings *fs, const char *attr, const char *file,
                    uint32_t line, const char *excerpt, size_t excerpt_len,
                    const char *detail, bool install_time);

/* Like pv_findings_add, but without the per-(attribute, file) cap: for
 * findings where each one names a different thing (each dependency from a
 * URL is its own finding). The per-package cap still applies. */
int pv_findings_add_each(struct pv_findings *fs, const char *attr, const char *file,
                         uint32_t line, const char *excerpt, size_t excerpt_len,
                         const char *detail, bool install_time);

/* Add a finding located at byte offset `off` of src (row is 0-based, as
 * tree-sitter reports it). The excerpt is the source line around `off`,
 * windowed so that a single-line 10 MB file still gives a short excerpt. */
int pv_emit(struct pv_findings *fs, const struct pv_source *src, const char *attr,
            size_t off, uint32_t row, const char *detail);

/* Like pv_emit, but marks the finding as install-time regardless of src. */
int pv_emit_install(struct pv_findings *fs, const struct pv_source *src, const char *attr,
                    size_t off, uint32_t row, const char *detail);

bool pv_findings_has(const struct pv_findings *fs, const char *attr);
/* Drop every finding of attr (order of the rest kept). */
void pv_findings_remove(struct pv_findings *fs, const char *attr);
/* True when some finding of attr is in file (path compare). */
bool pv_findings_has_in(const struct pv_findings *fs, const char *attr, const char *file);
/* Move every finding of src to the end of dst (src is left empty). */
int pv_findings_merge(struct pv_findings *dst, struct pv_findings *src);
void pv_findings_free(struct pv_findings *fs);

#endif
