/* cmd_explain.c - `pkgvet explain [ID]`: one catalogue entry, or the list. */
#include "cli.h"
#include "escape.h"
#include "policy.h"

#include <stdlib.h>

#include <string.h>

/* " (from FILE:LINE, locked at FILE:LINE)" for one field of an attribute. */
static void origin(const struct pv_attr_origins *o, enum pv_attr_field f)
{
	char buf[600];
	if (!o)
		return;
	if (o->set[f].file) {
		fputs("   (from ", stdout);
		pv_fputs_term0(stdout, pv_origin_str(&o->set[f], buf, sizeof buf));
		fputs(")", stdout);
	}
	if (o->lock[f].file) {
		fputs(" [locked at ", stdout);
		pv_fputs_term0(stdout, pv_origin_str(&o->lock[f], buf, sizeof buf));
		fputs("]", stdout);
	}
}

static const char usage[] =
	"usage: pkgvet explain [ID]\n"
	"\n"
	"Without ID, list every attribute of the catalogue: id, kind, the action it\n"
	"has here (off when disabled) and what it observes. With ID, print that\n"
	"entry: its actions, threshold, what and why, and the policy file:line that\n"
	"set each value.\n"
	"\n"
	"exit status: 0 ok, 2 unknown attribute or usage error\n";

static void print_entry(const struct pv_attr *a, const struct pv_attr_origins *o)
{
	printf("%s\n", a->id);
	printf("  kind:        %s\n", a->kind);
	printf("  action here: %s%s", pv_action_name(a->action), a->enabled ? "" : " (disabled)");
	origin(o, PV_FIELD_ACTION);
	putchar('\n');
	if (a->install_time_action >= 0) {
		printf("  at install:  %s (in code that runs at install time)",
		       pv_action_name((enum pv_action)a->install_time_action));
		origin(o, PV_FIELD_INSTALL_TIME_ACTION);
		putchar('\n');
	}
	if (a->high_action >= 0)
		printf("  high/critical: %s\n", pv_action_name((enum pv_action)a->high_action));
	if (a->has_threshold) {
		printf("  threshold:   %g%s%s", a->threshold, a->unit ? " " : "", a->unit ? a->unit : "");
		origin(o, PV_FIELD_THRESHOLD);
		putchar('\n');
	}
	printf("  what:        %s\n", a->description);
	if (a->reason)
		printf("  why:         %s\n", a->reason);
}

int cmd_explain(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return PV_EXIT_OK;
	}
	char shown[65];
	if (argc > 1 && argv[1][0] == '-') {
		pv_err("explain: unknown option '%s' (pkgvet explain --help)", cli_shown(argv[1], shown));
		return PV_EXIT_USAGE;
	}
	if (argc > 2) {
		pv_err("explain takes one attribute id");
		return PV_EXIT_USAGE;
	}
	/* The effective policy here: the catalogue merged with every layer. */
	struct pv_policy pol;
	struct pv_policy_sources *src = malloc(sizeof *src);
	char err[1024];
	if (!src) {
		pv_err("out of memory");
		return PV_EXIT_UNVETTED;
	}
	pv_policy_sources_default(src);
	int lrc = pv_policy_load(&pol, src, err, sizeof err);
	free(src);
	if (lrc < 0) {
		pv_err_text(err);
		pv_policy_free(&pol);
		return PV_EXIT_USAGE;
	}
	const struct pv_catalogue *cat = &pol.cat;
	int rc = PV_EXIT_OK;
	if (argc < 2) {
		for (size_t i = 0; i < cat->n; i++)
			printf("%-20s %-8s %-7s %s\n", cat->v[i].id, cat->v[i].kind,
			       cat->v[i].enabled ? pv_action_name(cat->v[i].action) : "off", cat->v[i].description);
	} else {
		const struct pv_attr *a = pv_catalogue_find(cat, argv[1]);
		if (a) {
			print_entry(a, pol.attr ? &pol.attr[a - cat->v] : NULL);
		} else {
			/* argv[1] is user input: keep it short and printable in the message. */
			pv_err("unknown attribute '%s' (pkgvet explain lists them)", cli_shown(argv[1], shown));
			rc = PV_EXIT_USAGE;
		}
	}
	pv_policy_free(&pol);
	return rc;
}
