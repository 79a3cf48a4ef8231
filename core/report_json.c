/* report_json.c - the JSON report, schema "pkgvet.audit/1" (docs/json.md).
 * Field names and meanings are stable; new fields may be added. */
#include "report.h"
#include "escape.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

static int add(json_object *obj, const char *key, json_object *val)
{
	return json_object_object_add(obj, key, val);
}

static json_object *evidence(const struct pv_finding *f)
{
	json_object *e = json_object_new_object();
	if (!e)
		return NULL;
	add(e, "file", pv_json_str(f->file));
	add(e, "line", f->line ? json_object_new_int64(f->line) : NULL);
	add(e, "excerpt", pv_json_str(f->excerpt));
	add(e, "detail", pv_json_str(f->detail));
	add(e, "install_time", json_object_new_boolean(f->install_time));
	add(e, "count", json_object_new_int64(f->count));
	return e;
}

static json_object *finding(const struct pv_finding *f)
{
	json_object *o = evidence(f);
	if (!o)
		return NULL;
	add(o, "attribute", pv_json_str(f->attr));
	add(o, "kind", pv_json_str(f->kind ? f->kind : "code"));
	add(o, "action", pv_json_str(pv_action_name(f->action)));
	return o;
}

static json_object *permissions(const struct pv_package *pkg)
{
	json_object *arr = json_object_new_array();
	if (!arr)
		return NULL;
	for (int p = 0; p < PV_PERM__COUNT; p++) {
		json_object *perm = NULL, *ev = NULL;
		enum pv_action act = PV_ALLOW;
		bool inst = false;
		for (size_t i = 0; i < pkg->findings.n; i++) {
			const struct pv_finding *f = &pkg->findings.v[i];
			if (pv_perm_of_attr(f->attr) != p)
				continue;
			if (!perm) {
				perm = json_object_new_object();
				ev = json_object_new_array();
				if (!perm || !ev) {
					json_object_put(perm);
					json_object_put(ev);
					json_object_put(arr);
					return NULL;
				}
			}
			if (f->action > act)
				act = f->action;
			inst |= f->install_time;
			json_object_array_add(ev, evidence(f));
		}
		if (!perm)
			continue;
		add(perm, "name", pv_json_str(pv_perm_name((enum pv_perm)p)));
		add(perm, "action", pv_json_str(pv_action_name(act)));
		add(perm, "install_time", json_object_new_boolean(inst));
		add(perm, "evidence", ev);
		json_object_array_add(arr, perm);
	}
	return arr;
}

static json_object *package(const struct pv_package *pkg)
{
	json_object *o = json_object_new_object();
	if (!o)
		return NULL;
	add(o, "input", pv_json_str(pkg->input));
	add(o, "ecosystem", pv_json_str(pkg->ecosystem));
	add(o, "name", pv_json_str(pkg->name));
	add(o, "version", pv_json_str(pkg->version));
	add(o, "format", pv_json_str(pkg->format));
	add(o, "digest", pkg->digest[0] ? pv_json_str(pkg->digest) : NULL);
	add(o, "files", json_object_new_int64((int64_t)pkg->files));
	add(o, "cached", json_object_new_boolean(pkg->cached));
	add(o, "bytes", json_object_new_int64((int64_t)pkg->bytes));
	bool vetted = pkg->status == PV_PKG_OK;
	add(o, "verdict", vetted ? pv_json_str(pv_action_name(pkg->verdict)) : NULL);
	add(o, "error", vetted ? NULL : pv_json_str(pkg->error));
	add(o, "decided_by", pv_json_str(pkg->decided_by));
	json_object *added = json_object_new_array();
	for (int p = 0; added && p < PV_PERM__COUNT; p++)
		if (pkg->added_perms & (1u << p))
			json_object_array_add(added, pv_json_str(pv_perm_name((enum pv_perm)p)));
	add(o, "added_permissions", added);
	add(o, "permissions", permissions(pkg));
	json_object *fs = json_object_new_array();
	for (size_t i = 0; fs && i < pkg->findings.n; i++)
		json_object_array_add(fs, finding(&pkg->findings.v[i]));
	add(o, "findings", fs);
	json_object *unk = json_object_new_array();
	for (size_t i = 0; unk && i < pkg->nunknowns; i++)
		json_object_array_add(unk, pv_json_str(pkg->unknowns[i]));
	add(o, "unknowns", unk);
	return o;
}

int pv_report_json(FILE *f, const struct pv_package *pkgs, size_t n, const struct pv_summary *s,
                   const char *version)
{
	json_object *doc = json_object_new_object();
	json_object *arr = json_object_new_array();
	json_object *sum = json_object_new_object();
	if (!doc || !arr || !sum) {
		json_object_put(doc);
		json_object_put(arr);
		json_object_put(sum);
		return -1;
	}
	add(doc, "schema", pv_json_str("pkgvet.audit/1"));
	add(doc, "pkgvet_version", pv_json_str(version));
	for (size_t i = 0; i < n; i++)
		json_object_array_add(arr, package(&pkgs[i]));
	add(doc, "packages", arr);
	add(sum, "packages", json_object_new_int64((int64_t)s->packages));
	for (int a = 0; a < 4; a++)
		add(sum, pv_action_name((enum pv_action)a), json_object_new_int64((int64_t)s->by_action[a]));
	add(sum, "errors", json_object_new_int64((int64_t)s->errors));
	add(doc, "summary", sum);
	add(doc, "verdict", s->verdict >= 0 ? pv_json_str(pv_action_name((enum pv_action)s->verdict)) : NULL);
	add(doc, "exit_status", json_object_new_int(s->exit_status));
	const char *text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
	                                                   JSON_C_TO_STRING_SPACED |
	                                                   JSON_C_TO_STRING_NOSLASHESCAPE);
	int rc = text ? 0 : -1;
	if (text) {
		fputs(text, f);
		fputc('\n', f);
	}
	json_object_put(doc);
	return rc;
}
