/* doctor.h - `pkgvet doctor`: the checks, each one line of the report.
 *
 * A check is reserved (in report order) before it runs, so that checks
 * running in threads (tool versions, endpoints) fill their own slot and the
 * report comes out in the same order every time. */
#ifndef PV_DOCTOR_H
#define PV_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

struct pv_policy;

enum doc_status {
	DOC_OK = 0, /* ✔ works */
	DOC_INFO,   /* – worth knowing, not broken (a tool that is not installed) */
	DOC_FAIL,   /* ✖ broken: doctor exits 1 */
};

#define DOC_MAX_CHECKS 128
#define DOC_NAME_MAX 96
#define DOC_DETAIL_MAX 1200

struct doc_check {
	const char *group;           /* "tools", "shims", ... (static) */
	char name[DOC_NAME_MAX];     /* what was checked: "npm", "org policy", an URL's role */
	enum doc_status status;
	char detail[DOC_DETAIL_MAX]; /* the finding; may hold outside text (escaped when shown) */
};

struct doc_report {
	struct doc_check checks[DOC_MAX_CHECKS];
	size_t n;
	size_t dropped; /* checks that did not fit (reported as a failure) */
};

/* Reserve the next line of the report (status DOC_FAIL, "not run" until
 * doc_set fills it). NULL when the report is full (counted in dropped). */
struct doc_check *doc_add(struct doc_report *r, const char *group, const char *fmt_name, ...)
	__attribute__((format(printf, 3, 4)));
/* Set a check's status and detail (printf-style; truncated to fit). */
void doc_set(struct doc_check *c, enum doc_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The groups of checks. The threaded ones start work and return; doc_*_join
 * waits for it. Each returns 0, or -1 when it could not start at all (the
 * affected checks then say so). */
struct doc_tools; /* opaque: the tool probes in flight */
struct doc_tools *doc_tools_start(struct doc_report *r);
void doc_tools_join(struct doc_tools *t);
void doc_check_shims(struct doc_report *r);
/* Policy files; *pol is loaded (the effective policy, or built-in defaults
 * when the layers are invalid) for the checks after it. -1: nothing loaded. */
int doc_check_policy(struct doc_report *r, struct pv_policy *pol);
void doc_check_cache(struct doc_report *r, const struct pv_policy *pol);
struct doc_net; /* opaque: the endpoint probes in flight */
struct doc_net *doc_net_start(struct doc_report *r, const struct pv_policy *pol);
void doc_net_join(struct doc_net *t);

/* Output: text (✔/✖/– lines under group headings; quiet: only the ✖
 * lines) or JSON (schema pkgvet.doctor/1). Returns 0, -1 on a write error. */
int doc_print_text(const struct doc_report *r, bool quiet, bool color);
int doc_print_json(const struct doc_report *r, bool quiet);
bool doc_broken(const struct doc_report *r);

/* Run `path --version` (stdin and stderr /dev/null, its own process group)
 * for at most timeout_ms; its first output line, at most n-1 bytes, in out.
 * 0, or -1 with err (could not start, timed out, failed, printed nothing). */
int doc_tool_version(const char *path, long timeout_ms, char *out, size_t n, char *err, size_t errlen);

#endif
