/* catalogue.h - the attribute catalogue (policy/catalogue.ini): every
 * attribute pkgvet can report, its kind, default action and threshold. */
#ifndef PV_CATALOGUE_H
#define PV_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>
#include "finding.h"

struct pv_attr {
	char *id;
	char *kind;          /* metadata, code, vuln, malware, archive */
	char *description;
	char *reason;
	char *unit;          /* of the threshold, may be NULL */
	enum pv_action action;
	int install_time_action; /* -1 when the entry has none */
	int high_action;         /* -1 when the entry has none (known-vuln) */
	bool enabled;
	bool has_threshold;
	double threshold;
	int weaker;          /* which way of moving the threshold flags less: PV_WEAKER_* */
	unsigned line;       /* line of the section header in its file */
};

/* `weaker = lower|higher`: the direction in which changing an attribute's
 * threshold makes it flag fewer packages (required with a threshold). */
enum { PV_WEAKER_NONE = 0, PV_WEAKER_LOWER, PV_WEAKER_HIGHER };

struct pv_catalogue {
	struct pv_attr *v;
	size_t n, cap;
	char *file;          /* where it was read from ("built-in" for the embedded copy) */
};

/* Load the catalogue built into the binary. err gets "FILE:LINE: what" on failure. */
int pv_catalogue_load_builtin(struct pv_catalogue *cat, char *err, size_t errlen);
/* Parse catalogue text; name is used in error messages. */
int pv_catalogue_parse(struct pv_catalogue *cat, const char *text, const char *name,
                       char *err, size_t errlen);
const struct pv_attr *pv_catalogue_find(const struct pv_catalogue *cat, const char *id);
void pv_catalogue_free(struct pv_catalogue *cat);

/* The action a finding asks for under this catalogue (unknown attributes warn). */
enum pv_action pv_catalogue_action(const struct pv_catalogue *cat, const struct pv_finding *f);

/* Set each finding's action, drop findings of disabled attributes, and
 * return the verdict: the strongest action over the findings. */
enum pv_action pv_catalogue_judge(const struct pv_catalogue *cat, struct pv_findings *fs);

#endif
