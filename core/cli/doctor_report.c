/* doctor_report.c - the lines of `pkgvet doctor`, as text or JSON. */
#include "doctor.h"
#include "escape.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct doc_check *doc_add(struct doc_report *r, const char *group, const char *fmt_name, ...)
{
	if (r->n >= DOC_MAX_CHECKS) {
		r->dropped++;
		return NULL;
	}
	struct doc_check *c = &r->checks[r->n++];
	memset(c, 0, sizeof *c);
	c->group = group;
	va_list ap;
	va_start(ap, fmt_name);
	vsnprintf(c->name, sizeof c->name, fmt_name, ap);
	va_end(ap);
	c->status = DOC_FAIL;
	snprintf(c->detail, sizeof c->detail, "not run");
	return c;
}

void doc_set(struct doc_check *c, enum doc_status st, const char *fmt, ...)
{
	if (!c)
		return;
	c->status = st;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof c->detail, fmt, ap);
	va_end(ap);
}

bool doc_broken(const struct doc_report *r)
{
	if (r->dropped)
		return true;
	for (size_t i = 0; i < r->n; i++)
		if (r->checks[i].status == DOC_FAIL)
			return true;
	return false;
}

static const char *const symbol[] = {[DOC_OK] = "✔", [DOC_INFO] = "–", [DOC_FAIL] = "✖"};
static const char *const colour[] = {[DOC_OK] = "\033[32m", [DOC_INFO] = "\033[2m", [DOC_FAIL] = "\033[31m"};
static const char *const status_name[] = {[DOC_OK] = "ok", [DOC_INFO] = "info", [DOC_FAIL] = "fail"};

int doc_print_text(const struct doc_report *r, bool quiet, bool color)
{
	const char *group = NULL;
	for (size_t i = 0; i < r->n; i++) {
		const struct doc_check *c = &r->checks[i];
		if (quiet && c->status != DOC_FAIL)
			continue;
		if (!quiet && (!group || strcmp(group, c->group) != 0)) {
			printf("%s%s\n", group ? "\n" : "", c->group);
			group = c->group;
		}
		fputs(quiet ? "" : "  ", stdout);
		if (color)
			printf("%s%s\033[0m ", colour[c->status], symbol[c->status]);
		else
			printf("%s ", symbol[c->status]);
		/* Names and details hold paths, tool output and configured URLs. */
		pv_fputs_term0(stdout, c->name);
		fputs(": ", stdout);
		pv_fputs_term0(stdout, c->detail);
		fputc('\n', stdout);
	}
	if (r->dropped)
		printf("%s %zu more checks did not fit in the report\n", symbol[DOC_FAIL], r->dropped);
	if (!quiet) {
		size_t n[3] = {0, 0, 0};
		for (size_t i = 0; i < r->n; i++)
			n[r->checks[i].status]++;
		printf("\n%zu ok, %zu broken, %zu informational\n", n[DOC_OK], n[DOC_FAIL] + r->dropped, n[DOC_INFO]);
	}
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : -1;
}

/* Adds to arr; on any allocation failure returns -1 (the caller gives up). */
static int json_check(json_object *arr, const struct doc_check *c)
{
	json_object *o = json_object_new_object();
	json_object *g = pv_json_str(c->group), *k = pv_json_str(c->name), *ok = json_object_new_boolean(c->status != DOC_FAIL),
	            *st = pv_json_str(status_name[c->status]), *d = pv_json_str(c->detail);
	if (!o || !g || !k || !ok || !st || !d) {
		json_object_put(o);
		json_object_put(g);
		json_object_put(k);
		json_object_put(ok);
		json_object_put(st);
		json_object_put(d);
		return -1;
	}
	json_object_object_add(o, "group", g);
	json_object_object_add(o, "check", k);
	json_object_object_add(o, "ok", ok);
	json_object_object_add(o, "status", st);
	json_object_object_add(o, "detail", d);
	if (json_object_array_add(arr, o) != 0) {
		json_object_put(o);
		return -1;
	}
	return 0;
}

int doc_print_json(const struct doc_report *r, bool quiet)
{
	json_object *doc = json_object_new_object(), *arr = json_object_new_array();
	if (!doc || !arr) {
		json_object_put(doc);
		json_object_put(arr);
		return -1;
	}
	json_object_object_add(doc, "schema", json_object_new_string("pkgvet.doctor/1"));
	json_object_object_add(doc, "ok", json_object_new_boolean(!doc_broken(r)));
	json_object_object_add(doc, "checks", arr);
	int rc = 0;
	for (size_t i = 0; i < r->n && rc == 0; i++)
		if (!quiet || r->checks[i].status == DOC_FAIL)
			rc = json_check(arr, &r->checks[i]);
	const char *text = rc == 0 ? json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
	                                                                      JSON_C_TO_STRING_SPACED |
	                                                                      JSON_C_TO_STRING_NOSLASHESCAPE)
	                           : NULL;
	if (text) {
		fputs(text, stdout);
		fputc('\n', stdout);
	}
	json_object_put(doc);
	if (!text)
		return -1;
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : -1;
}
