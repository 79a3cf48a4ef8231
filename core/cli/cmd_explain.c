/* cmd_explain.c - `pkgvet explain [ID]`: one catalogue entry, or the list. */
#include "cli.h"
#include "catalogue.h"

#include <string.h>

static void print_entry(const struct pv_attr *a)
{
	printf("%s\n", a->id);
	printf("  kind:        %s\n", a->kind);
	printf("  action:      %s%s\n", pv_action_name(a->action), a->enabled ? "" : " (disabled)");
	if (a->install_time_action >= 0)
		printf("  at install:  %s (in code that runs at install time)\n",
		       pv_action_name((enum pv_action)a->install_time_action));
	if (a->high_action >= 0)
		printf("  high/critical: %s\n", pv_action_name((enum pv_action)a->high_action));
	if (a->has_threshold)
		printf("  threshold:   %g%s%s\n", a->threshold, a->unit ? " " : "", a->unit ? a->unit : "");
	printf("  what:        %s\n", a->description);
	if (a->reason)
		printf("  why:         %s\n", a->reason);
}

int cmd_explain(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		puts("usage: pkgvet explain [ID]\n\nPrints the catalogue entry of attribute ID, or lists every attribute.");
		return PV_EXIT_OK;
	}
	if (argc > 2) {
		pv_err("explain takes one attribute id");
		return PV_EXIT_USAGE;
	}
	struct pv_catalogue cat = {0};
	char err[512];
	if (pv_catalogue_load_builtin(&cat, err, sizeof err) < 0) {
		pv_err("%s", err);
		pv_catalogue_free(&cat);
		return PV_EXIT_UNVETTED;
	}
	int rc = PV_EXIT_OK;
	if (argc < 2) {
		for (size_t i = 0; i < cat.n; i++)
			printf("%-20s %-8s %-7s %s\n", cat.v[i].id, cat.v[i].kind,
			       pv_action_name(cat.v[i].action), cat.v[i].description);
	} else {
		const struct pv_attr *a = pv_catalogue_find(&cat, argv[1]);
		if (a) {
			print_entry(a);
		} else {
			/* argv[1] is user input: keep it short and printable in the message. */
			char shown[65];
			size_t k = 0;
			for (const char *p = argv[1]; *p && k < 64; p++)
				shown[k++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
			shown[k] = 0;
			pv_err("unknown attribute '%s' (pkgvet explain lists them)", shown);
			rc = PV_EXIT_USAGE;
		}
	}
	pv_catalogue_free(&cat);
	return rc;
}
