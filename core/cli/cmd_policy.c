/* cmd_policy.c - `pkgvet policy show [--json]` (the effective policy, each
 * value with the file:line it came from) and `pkgvet policy check FILE
 * [--org]` (validate one policy file). docs/policy.md. */
#include "cli.h"
#include "escape.h"
#include "policy.h"

#include <getopt.h>
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int cmd_policy(int argc, char **argv); /* also declared in cli.h */

static const char usage[] =
	"usage: pkgvet policy show [--json]\n"
	"       pkgvet policy check FILE [--org]\n"
	"\n"
	"show    print the effective policy: every value as `section.key = value`\n"
	"        with the file:line it came from and the lock that holds it, then the\n"
	"        allow and deny entries; warnings (ignored weakenings, expired entries)\n"
	"        go to stderr. --json: the same as JSON (schema pkgvet.policy/1).\n"
	"check   validate one policy file; --org: as the organisation policy\n"
	"        (the only place [locked] is allowed).\n"
	"\n"
	"layers, later wins unless the organisation locked the key:\n"
	"  built-in catalogue < " PKGVET_ORG_POLICY " < $XDG_CONFIG_HOME/pkgvet/policy.ini\n"
	"  < .pkgvet.ini of the project < PKGVET_* environment variables\n"
	"\n"
	"exit status: 0 ok, 2 usage error or invalid policy\n";

static void print_origin(FILE *f, const struct pv_origin *o)
{
	pv_fputs_term0(f, o->file ? o->file : "-");
	if (o->line)
		fprintf(f, ":%u", o->line);
}

static int show_value(const struct pv_policy_value *v, void *user)
{
	(void)user;
	fputs(v->key, stdout);
	fputs(" = ", stdout);
	pv_fputs_term0(stdout, v->value);
	fputs("    # ", stdout);
	print_origin(stdout, &v->origin);
	if (v->lock.file) {
		fputs(" (locked at ", stdout);
		print_origin(stdout, &v->lock);
		fputc(')', stdout);
	}
	fputc('\n', stdout);
	return 0;
}

static void show_layers(const struct pv_policy *p, const struct pv_policy_sources *src)
{
	const char *paths[PV_LAYER__COUNT] = {NULL, src->org_path, src->user_path, NULL, NULL};
	for (int l = 0; l < PV_LAYER__COUNT; l++) {
		const char *file = p->layer_file[l];
		printf("# %-10s", pv_layer_name((enum pv_layer)l));
		if (file)
			pv_fputs_term0(stdout, file);
		else if (paths[l]) {
			pv_fputs_term0(stdout, paths[l]);
			fputs(" (not present)", stdout);
		} else if (l == PV_LAYER_PROJECT) {
			fputs("(no " PV_POLICY_PROJECT_FILE " up to the project root)", stdout);
		} else {
			fputs("(none)", stdout);
		}
		fputc('\n', stdout);
	}
}

static void show_text(const struct pv_policy *p, const struct pv_policy_sources *src)
{
	show_layers(p, src);
	pv_policy_each_value(p, show_value, NULL);
	if (p->allow_lock.file) {
		fputs("locked.allow = yes    # ", stdout);
		print_origin(stdout, &p->allow_lock);
		fputc('\n', stdout);
	}
	if (p->deny_lock.file) {
		fputs("locked.deny = yes    # ", stdout);
		print_origin(stdout, &p->deny_lock);
		fputc('\n', stdout);
	}
	for (size_t i = 0; i < p->nrules; i++) {
		const struct pv_rule *r = &p->rules[i];
		printf("[%s ", r->kind == PV_RULE_DENY ? "deny" : "allow");
		pv_fputs_term0(stdout, r->entry);
		fputs("] reason = ", stdout);
		pv_fputs_term0(stdout, r->reason);
		if (r->expires)
			printf("; expires = %s", r->expires);
		fputs("    # ", stdout);
		print_origin(stdout, &r->origin);
		fputc('\n', stdout);
	}
}

/* ------------------------------------------------------------ JSON */

static json_object *jorigin(const struct pv_origin *o)
{
	if (!o->file)
		return NULL;
	json_object *j = json_object_new_object();
	if (!j)
		return NULL;
	json_object_object_add(j, "file", pv_json_str(o->file));
	json_object_object_add(j, "line", o->line ? json_object_new_int64(o->line) : NULL);
	return j;
}

static int json_value(const struct pv_policy_value *v, void *user)
{
	json_object *arr = user, *o = json_object_new_object(), *val;
	if (!o)
		return -1;
	switch (v->type) {
	case PV_VAL_NUMBER: {
		double d = strtod(v->value, NULL);
		val = d == floor(d) && fabs(d) < 9e15 ? json_object_new_int64((int64_t)d) : json_object_new_double(d);
		break;
	}
	case PV_VAL_BOOL:
		val = json_object_new_boolean(strcmp(v->value, "yes") == 0);
		break;
	default:
		val = pv_json_str(v->value);
		break;
	}
	json_object_object_add(o, "key", pv_json_str(v->key));
	json_object_object_add(o, "value", val);
	json_object_object_add(o, "origin", jorigin(&v->origin));
	json_object_object_add(o, "locked_at", jorigin(&v->lock));
	json_object_array_add(arr, o);
	return 0;
}

static int show_json(const struct pv_policy *p, const struct pv_policy_sources *src)
{
	json_object *doc = json_object_new_object(), *layers = json_object_new_array(),
	            *values = json_object_new_array(), *rules = json_object_new_array(),
	            *warnings = json_object_new_array(), *locks = json_object_new_object();
	if (!doc || !layers || !values || !rules || !warnings || !locks) {
		json_object_put(doc);
		json_object_put(layers);
		json_object_put(values);
		json_object_put(rules);
		json_object_put(warnings);
		json_object_put(locks);
		return -1;
	}
	json_object_object_add(doc, "schema", pv_json_str("pkgvet.policy/1"));
	const char *paths[PV_LAYER__COUNT] = {NULL, src->org_path, src->user_path, NULL, NULL};
	for (int l = 0; l < PV_LAYER__COUNT; l++) {
		json_object *o = json_object_new_object();
		if (!o)
			continue;
		json_object_object_add(o, "layer", pv_json_str(pv_layer_name((enum pv_layer)l)));
		json_object_object_add(o, "file", pv_json_str(p->layer_file[l] ? p->layer_file[l] : paths[l]));
		json_object_object_add(o, "present", json_object_new_boolean(p->layer_file[l] != NULL));
		json_object_array_add(layers, o);
	}
	json_object_object_add(doc, "layers", layers);
	pv_policy_each_value(p, json_value, values);
	json_object_object_add(doc, "values", values);
	json_object_object_add(locks, "allow", jorigin(&p->allow_lock));
	json_object_object_add(locks, "deny", jorigin(&p->deny_lock));
	json_object_object_add(doc, "locks", locks);
	for (size_t i = 0; i < p->nrules; i++) {
		const struct pv_rule *r = &p->rules[i];
		json_object *o = json_object_new_object();
		if (!o)
			continue;
		json_object_object_add(o, "type", pv_json_str(r->kind == PV_RULE_DENY ? "deny" : "allow"));
		json_object_object_add(o, "entry", pv_json_str(r->entry));
		json_object_object_add(o, "ecosystem", pv_json_str(r->ecosystem));
		json_object_object_add(o, "name", pv_json_str(r->name));
		json_object_object_add(o, "range", pv_json_str(r->range));
		json_object_object_add(o, "reason", pv_json_str(r->reason));
		json_object_object_add(o, "expires", pv_json_str(r->expires));
		json_object_object_add(o, "layer", pv_json_str(pv_layer_name(r->layer)));
		json_object_object_add(o, "origin", jorigin(&r->origin));
		json_object_array_add(rules, o);
	}
	json_object_object_add(doc, "entries", rules);
	for (size_t i = 0; i < p->nwarnings; i++)
		json_object_array_add(warnings, pv_json_str(p->warnings[i]));
	json_object_object_add(doc, "warnings", warnings);
	const char *text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	                                                  JSON_C_TO_STRING_NOSLASHESCAPE);
	int rc = text ? 0 : -1;
	if (text) {
		fputs(text, stdout);
		fputc('\n', stdout);
	}
	json_object_put(doc);
	return rc;
}

/* ------------------------------------------------------------ commands */

static int policy_show(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'J'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	bool json = false;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'J':
			json = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return PV_EXIT_OK;
		default:
			cli_bad_option("policy", c, argv);
			return PV_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		pv_err("policy show takes no arguments (pkgvet policy --help)");
		return PV_EXIT_USAGE;
	}
	struct pv_policy_sources *src = malloc(sizeof *src);
	if (!src) {
		pv_err("out of memory");
		return PV_EXIT_UNVETTED;
	}
	pv_policy_sources_default(src);
	struct pv_policy pol;
	char err[1024];
	if (pv_policy_load(&pol, src, err, sizeof err) < 0) {
		pv_err_text(err);
		free(src);
		return PV_EXIT_USAGE;
	}
	pv_print_policy_warnings(&pol);
	int rc = PV_EXIT_OK;
	if (json) {
		if (show_json(&pol, src) < 0) {
			pv_err("out of memory writing JSON");
			rc = PV_EXIT_UNVETTED;
		}
	} else {
		show_text(&pol, src);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		pv_err("could not write the policy");
		rc = PV_EXIT_UNVETTED;
	}
	pv_policy_free(&pol);
	free(src);
	return rc;
}

static int policy_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"org", no_argument, NULL, 'o'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	bool org = false;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			org = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return PV_EXIT_OK;
		default:
			cli_bad_option("policy", c, argv);
			return PV_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		pv_err("policy check takes one FILE (pkgvet policy --help)");
		return PV_EXIT_USAGE;
	}
	const char *path = argv[optind];
	char err[1024];
	if (pv_policy_check_file(path, org, err, sizeof err) < 0) {
		/* "FILE:LINE: what", as compilers print it, so editors can jump there. */
		pv_fputs_term0(stderr, err);
		fputc('\n', stderr);
		return PV_EXIT_USAGE;
	}
	pv_fputs_term0(stdout, path);
	fputs(": ok\n", stdout);
	return PV_EXIT_OK;
}

int cmd_policy(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return PV_EXIT_USAGE;
	}
	const char *sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
		fputs(usage, stdout);
		return PV_EXIT_OK;
	}
	if (strcmp(sub, "show") == 0)
		return policy_show(argc - 1, argv + 1);
	if (strcmp(sub, "check") == 0)
		return policy_check(argc - 1, argv + 1);
	char shown[65];
	pv_err("unknown policy command '%s' (show or check)", cli_shown(sub, shown));
	return PV_EXIT_USAGE;
}
