/* policy_internal.h - shared between policy.c (merging, matching) and
 * policy_parse.c (reading one policy file). Not for other code. */
#ifndef PV_POLICY_INTERNAL_H
#define PV_POLICY_INTERNAL_H

#include "policy.h"

/* What one line of a policy file sets. */
enum pv_akind {
	PA_ATTR,          /* [attributes] ID.FIELD = value */
	PA_SETTING,       /* [settings] KEY = value */
	PA_LOCK_ATTR,     /* [locked] attributes.ID[.FIELD] = yes|no */
	PA_LOCK_ATTR_ALL, /* [locked] attributes.* */
	PA_LOCK_SETTING,  /* [locked] settings.KEY */
	PA_LOCK_SET_ALL,  /* [locked] settings.* */
	PA_LOCK_ALLOW,    /* [locked] allow */
	PA_LOCK_DENY      /* [locked] deny */
};

struct pv_passign {
	enum pv_akind kind;
	size_t attr;      /* catalogue index (PA_ATTR, PA_LOCK_ATTR) */
	int field;        /* enum pv_attr_field; -1 = every field (PA_LOCK_ATTR) */
	int setting;      /* enum pv_setting (PA_SETTING, PA_LOCK_SETTING) */
	char *key;        /* canonical: "attributes.typosquat.action", "locked.allow" */
	char *text;       /* canonical value: "block", "72", "yes", a URL */
	double num;       /* PA_ATTR threshold */
	int ival;         /* PA_ATTR action (or -1 never), enabled (0/1); locks: 0/1 */
	unsigned line;
};

/* One parsed file: its assignments in file order and its entries. */
struct pv_pfile {
	char *name;
	bool org;
	struct pv_passign *a;
	size_t na, capa;
	struct pv_rule *r;        /* origin.file points at name until merged */
	unsigned *reason_line;    /* [nr]: where the entry's reason was set (0: not yet) */
	unsigned *expires_line;
	size_t nr, capr;
};

/* Read a whole policy file. Returns 0 with *text (NUL-terminated, owned by
 * the caller) and *owner (may be NULL) the file's owner, 1 when the file
 * does not exist (ENOENT, ENOTDIR), -1 with err "PATH: what" when it exists
 * but cannot be read or is not a regular file. */
int pv_pfile_read(const char *path, char **text, size_t *len, unsigned *owner, char *err,
                  size_t errlen);

/* Parse text (len bytes) as a policy file named name, validating against
 * cat. [locked] is allowed only when org. Returns 0, or -1 with err
 * "NAME:LINE: what". */
int pv_pfile_parse(struct pv_pfile *pf, const struct pv_catalogue *cat, const char *text,
                   size_t len, const char *name, bool org, char *err, size_t errlen);
void pv_pfile_free(struct pv_pfile *pf);

/* Parse a setting's value into its canonical text (*canon, malloc'd).
 * Returns 0, -1 with why (not naming the value) when invalid, -2 on OOM. */
int pv_setting_parse(enum pv_setting s, const char *val, char **canon, char *why, size_t whylen);

/* Does the entry cover (ecosystem, normalised name, version)? */
bool pv_rule_matches(const struct pv_rule *r, const char *ecosystem, const char *name,
                     const char *version);
/* Does the entry name exactly this version? */
bool pv_rule_is_exact(const struct pv_rule *r, const char *version);
void pv_rule_free(struct pv_rule *r);

/* Copy s into out for a message: printable ASCII kept, the rest '?', at
 * most 64 characters ("..." after). */
const char *pv_shown(const char *s, char *out, size_t outlen);

#endif
