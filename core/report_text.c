/* report_text.c - the report for people: per package its permissions and
 * findings with evidence, then a summary. Strings from packages are
 * escaped by pv_fputs_term. */
#include "report.h"
#include "escape.h"

#include <string.h>

static const char *const colour[4] = {"\033[32m", "\033[36m", "\033[33m", "\033[1;31m"};
#define RESET "\033[0m"
#define DIM "\033[2m"

static void act(FILE *f, enum pv_action a, const struct pv_text_opts *o, int width)
{
	if (o->color)
		fputs(colour[a], f);
	fprintf(f, "%-*s", width, pv_action_name(a));
	if (o->color)
		fputs(RESET, f);
}

static void where(FILE *f, const struct pv_finding *x)
{
	if (!x->file)
		return;
	pv_fputs_term0(f, x->file);
	if (x->line)
		fprintf(f, ":%u", (unsigned)x->line);
}

static void evidence_line(FILE *f, const struct pv_finding *x, const struct pv_text_opts *o)
{
	fputs("      ", f);
	if (o->color)
		fputs(DIM, f);
	where(f, x);
	if (x->install_time)
		fputs(" [install-time]", f);
	if (x->excerpt && *x->excerpt) {
		fputs("  ", f);
		pv_fputs_term0(f, x->excerpt);
	} else if (x->detail) {
		fputs("  ", f);
		pv_fputs_term0(f, x->detail);
	}
	if (x->count > 1)
		fprintf(f, "  (+%u more)", (unsigned)(x->count - 1));
	if (o->color)
		fputs(RESET, f);
	fputc('\n', f);
}

static void permissions(FILE *f, const struct pv_package *pkg, const struct pv_text_opts *o)
{
	bool any = false;
	for (int p = 0; p < PV_PERM__COUNT; p++) {
		enum pv_action a = PV_ALLOW;
		size_t shown = 0, total = 0;
		for (size_t i = 0; i < pkg->findings.n; i++)
			if (pv_perm_of_attr(pkg->findings.v[i].attr) == p) {
				total++;
				if (pkg->findings.v[i].action > a)
					a = pkg->findings.v[i].action;
			}
		if (!total)
			continue;
		if (!any)
			fputs("  permissions:\n", f);
		any = true;
		fputs("    ", f);
		act(f, a, o, 7);
		fprintf(f, "%s\n", pv_perm_name((enum pv_perm)p));
		for (size_t i = 0; i < pkg->findings.n && shown < 3; i++)
			if (pv_perm_of_attr(pkg->findings.v[i].attr) == p) {
				evidence_line(f, &pkg->findings.v[i], o);
				shown++;
			}
		if (total > shown)
			fprintf(f, "      … %zu more places\n", total - shown);
	}
	if (!any)
		fputs("  permissions: none\n", f);
}

static void findings(FILE *f, const struct pv_package *pkg, const struct pv_text_opts *o)
{
	bool any = false;
	for (size_t i = 0; i < pkg->findings.n; i++) {
		const struct pv_finding *x = &pkg->findings.v[i];
		if (pv_perm_of_attr(x->attr) >= 0 && strcmp(x->attr, "install-hook") != 0)
			continue;
		if (x->action == PV_ALLOW && !o->verbose)
			continue;
		if (!any)
			fputs("  findings:\n", f);
		any = true;
		fputs("    ", f);
		act(f, x->action, o, 7);
		fprintf(f, "%-18s ", x->attr);
		pv_fputs_term0(f, x->detail);
		fputc('\n', f);
		if (x->file)
			evidence_line(f, x, o);
	}
	if (!any)
		fputs("  findings: none\n", f);
}

void pv_report_text_package(FILE *f, const struct pv_package *pkg, const struct pv_text_opts *o)
{
	if (o->color)
		fputs("\033[1m", f);
	if (pkg->name)
		pv_fputs_term0(f, pkg->name);
	else
		pv_fputs_term0(f, pkg->input);
	if (pkg->version) {
		fputc(' ', f);
		pv_fputs_term0(f, pkg->version);
	}
	if (o->color)
		fputs(RESET, f);
	fputs("  (", f);
	if (pkg->ecosystem)
		fprintf(f, "%s, ", pkg->ecosystem);
	pv_fputs_term0(f, pkg->input);
	fputs(")\n", f);
	if (pkg->status != PV_PKG_OK) {
		fputs("  could not vet: ", f);
		pv_fputs_term0(f, pkg->error);
		fputc('\n', f);
		return;
	}
	if (pkg->digest[0])
		fprintf(f, "  digest: %s\n", pkg->digest);
	permissions(f, pkg, o);
	findings(f, pkg, o);
	for (size_t i = 0; i < pkg->nunknowns; i++) {
		fputs("  unknown: ", f);
		pv_fputs_term0(f, pkg->unknowns[i]);
		fputc('\n', f);
	}
	if (pkg->added_perms) {
		fputs("  approved before; this artifact now also uses:", f);
		for (int p = 0; p < PV_PERM__COUNT; p++)
			if (pkg->added_perms & (1u << p))
				fprintf(f, " %s", pv_perm_name((enum pv_perm)p));
		fputc('\n', f);
	}
	fputs("  verdict: ", f);
	act(f, pkg->verdict, o, 0);
	if (pkg->decided_by && strcmp(pkg->decided_by, "policy") != 0)
		fprintf(f, " (%s)", pkg->decided_by);
	fputs("\n\n", f);
}

void pv_summary_of(const struct pv_package *pkgs, size_t n, struct pv_summary *s)
{
	memset(s, 0, sizeof *s);
	s->packages = n;
	s->verdict = -1;
	bool noent = false;
	for (size_t i = 0; i < n; i++) {
		if (pkgs[i].status != PV_PKG_OK) {
			s->errors++;
			noent |= pkgs[i].status == PV_PKG_NOENT;
			continue;
		}
		s->by_action[pkgs[i].verdict]++;
		if ((int)pkgs[i].verdict > s->verdict)
			s->verdict = (int)pkgs[i].verdict;
	}
	/* design.md §7: 2 usage (a path that is not there), 1 blocked, 3 could not vet. */
	if (noent)
		s->exit_status = 2;
	else if (s->verdict == PV_BLOCK)
		s->exit_status = 1;
	else if (s->errors)
		s->exit_status = 3;
	else
		s->exit_status = 0;
}

void pv_report_text_summary(FILE *f, const struct pv_summary *s, const struct pv_text_opts *o)
{
	fprintf(f, "%zu package%s: ", s->packages, s->packages == 1 ? "" : "s");
	const char *sep = "";
	for (int a = PV_BLOCK; a >= PV_ALLOW; a--) {
		if (!s->by_action[a])
			continue;
		fputs(sep, f);
		if (o->color)
			fputs(colour[a], f);
		fprintf(f, "%zu %s", s->by_action[a], pv_action_name((enum pv_action)a));
		if (o->color)
			fputs(RESET, f);
		sep = ", ";
	}
	if (s->errors)
		fprintf(f, "%s%zu could not be vetted", sep, s->errors);
	fputc('\n', f);
}
