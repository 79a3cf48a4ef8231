/* decide.c - judge, show, ask, record, log. */
#include "decide.h"
#include "approvals.h"
#include "escape.h"
#include "prompt.h"

#include <stdlib.h>
#include <string.h>

void pv_vetted_free(struct pv_vetted *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		pv_package_free(&v[i].pkg);
		free(v[i].old_version);
	}
	free(v);
}

static void say(const struct pv_decide_opts *o, const char *prefix, const char *text)
{
	fputs(prefix, o->out);
	pv_fputs_term0(o->out, text);
	fputc('\n', o->out);
}

/* "Always": remember this artifact with the permissions it has now, in
 * the user's approval store (the project's is for reviewed, committed
 * approvals made with `pkgvet approve --project`). */
static void record_always(const struct pv_decide_opts *o, const struct pv_package *p)
{
	char path[4096], err[1024];
	if (pv_approvals_user_path(path, sizeof path, err, sizeof err) < 0) {
		say(o, "pkgvet: warning: approval not recorded: ", err);
		return;
	}
	struct pv_approval rec = {
		.ecosystem = p->ecosystem, .name = p->name, .version = p->version,
		.digest = (char *)p->digest, .perms = pv_package_perms(p),
	};
	if (!p->digest[0] || pv_approvals_record(path, &rec, err, sizeof err) < 0)
		say(o, "pkgvet: warning: approval not recorded: ", p->digest[0] ? err : "no artifact digest");
}

static void log_decision(const struct pv_decide_opts *o, struct pv_vetted *x)
{
	char err[1024];
	struct pv_judgement jd = x->jd;
	if (x->how != PV_HOW_POLICY) {
		/* What the person (or the noninteractive setting) made of it. */
		jd.verdict = x->allowed ? PV_ALLOW : PV_BLOCK;
		jd.decided_by = x->how == PV_HOW_PROMPT ? PV_DECIDED_USER : jd.decided_by;
	}
	if (pv_judge_log(o->judge, &x->pkg, &jd, o->command, err, sizeof err) < 0)
		say(o, "pkgvet: warning: decision log: ", err);
}

static void show_refused(const struct pv_decide_opts *o, const struct pv_vetted *x, const char *why)
{
	struct pv_prompt_item it = {.pkg = &x->pkg, .jd = &x->jd, .old_version = x->old_version};
	fprintf(o->out, "%s ", why);
	pv_fputs_term0(o->out, x->pkg.input ? x->pkg.input : "?");
	fputc('\n', o->out);
	if (x->pkg.status == PV_PKG_OK)
		pv_prompt_render(o->out, &it, o->color);
	else if (x->pkg.error)
		say(o, "  ", x->pkg.error);
}

/* "✔ 36 allowed   ⚠ 2 warnings   ? 1 needs your decision" */
static void summary(const struct pv_decide_opts *o, const struct pv_vetted *v, size_t n)
{
	size_t ok = 0, warn = 0, ask = 0, block = 0, unvetted = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].pkg.status != PV_PKG_OK)
			unvetted++;
		else if (v[i].jd.verdict == PV_ALLOW)
			ok++;
		else if (v[i].jd.verdict == PV_WARN)
			warn++;
		else if (v[i].jd.verdict == PV_PROMPT)
			ask++;
		else
			block++;
	}
	if (!n)
		return;
	if (o->verbose) {
		for (size_t i = 0; i < n; i++) {
			const struct pv_package *p = &v[i].pkg;
			fprintf(o->out, "  %-7s ",
			        p->status != PV_PKG_OK ? "error" : pv_action_name(v[i].jd.verdict));
			pv_fputs_term0(o->out, p->name ? p->name : p->input ? p->input : "?");
			if (p->version) {
				fputc(' ', o->out);
				pv_fputs_term0(o->out, p->version);
			}
			fprintf(o->out, "  (%zu finding%s)\n", p->findings.n, p->findings.n == 1 ? "" : "s");
		}
		fprintf(o->out, "vetted %zu package%s in %.1fs\n", n, n == 1 ? "" : "s", o->seconds);
	}
	fprintf(o->out, "\xe2\x9c\x94 %zu allowed   \xe2\x9a\xa0 %zu warning%s   ? %zu need%s your decision", ok,
	        warn, warn == 1 ? "" : "s", ask, ask == 1 ? "s" : "");
	if (block)
		fprintf(o->out, "   \xe2\x9c\x96 %zu blocked", block);
	if (unvetted)
		fprintf(o->out, "   %zu could not be vetted", unvetted);
	fputc('\n', o->out);
}

int pv_decide(struct pv_vetted *v, size_t n, const struct pv_decide_opts *o)
{
	bool refused = false, unvetted = false;
	const struct pv_policy *pol = &o->judge->policy;
	size_t nask = 0;
	for (size_t i = 0; i < n; i++) {
		struct pv_vetted *x = &v[i];
		x->jd = pv_judge_package(o->judge, &x->pkg);
		/* An upgrade leads with what it adds over the version it replaces
		 * (design.md §3), when no approval said otherwise. */
		if (x->have_old_perms && !x->jd.had_approval && !x->jd.added_perms && x->pkg.status == PV_PKG_OK)
			x->jd.added_perms = pv_package_perms(&x->pkg) & ~x->old_perms;
		x->pkg.verdict = x->jd.verdict;
		x->pkg.decided_by = pv_decider_name(x->jd.decided_by);
		x->pkg.added_perms = x->jd.added_perms;
	}
	if (!o->no_summary && !o->quiet)
		summary(o, v, n);
	for (size_t i = 0; i < n; i++) {
		struct pv_vetted *x = &v[i];
		x->how = PV_HOW_POLICY;
		x->allowed = x->jd.verdict <= PV_WARN;
		if (x->pkg.status != PV_PKG_OK) {
			/* Could not be vetted: the policy's fail_closed decided the verdict. */
			if (x->jd.verdict == PV_BLOCK) {
				unvetted = true;
				show_refused(o, x, "not vetted, so not installed (fail_closed):");
			} else {
				say(o, "pkgvet: warning: installed without vetting (fail_closed = no): ",
				    x->pkg.input ? x->pkg.input : "?");
			}
		} else if (x->jd.verdict == PV_BLOCK) {
			refused = true;
			show_refused(o, x, "blocked:");
		} else if (x->jd.verdict == PV_PROMPT) {
			nask++;
		}
	}
	/* Nothing is installed when something is blocked: do not ask about
	 * the rest for nothing. */
	if (!refused && !unvetted && nask) {
		struct pv_prompt_item *items = calloc(nask, sizeof *items);
		size_t *which = calloc(nask, sizeof *which);
		size_t k = 0;
		for (size_t i = 0; items && which && i < n; i++)
			if (v[i].pkg.status == PV_PKG_OK && v[i].jd.verdict == PV_PROMPT) {
				items[k] = (struct pv_prompt_item){.pkg = &v[i].pkg, .jd = &v[i].jd,
				                                   .old_version = v[i].old_version,
				                                   .no_skip = o->scripts_required};
				which[k++] = i;
			}
		struct pv_prompt_io io = {.in = -1, .out = -1};
		if (!items || !which) {
			say(o, "pkgvet: ", "out of memory");
			refused = true;
		} else if (o->yes && pol->allow_yes) {
			for (k = 0; k < nask; k++) {
				v[which[k]].allowed = true;
				v[which[k]].how = PV_HOW_YES;
			}
			fprintf(o->out, "pkgvet: --yes: allowing %zu package%s the policy would ask about\n", nask,
			        nask == 1 ? "" : "s");
		} else if (o->interactive && pv_prompt_open_tty(&io, o->color) >= 0) {
			if (o->yes)
				say(o, "pkgvet: ", "--yes is not allowed by the policy (allow_yes = no): asking instead");
			if (o->context)
				(void)pv_prompt_note(&io, o->context);
			int arc = pv_prompt_ask(&io, items, nask, o->tool);
			pv_prompt_close(&io);
			/* The terminal may be gone: say it where the log of the run goes too. */
			if (arc < 0)
				say(o, "pkgvet: ", "interrupted at the prompt: every package it asked about is denied");
			for (k = 0; k < nask; k++) {
				struct pv_vetted *x = &v[which[k]];
				x->how = PV_HOW_PROMPT;
				x->allowed = arc == 0 && items[k].answer != PV_ANSWER_DENY;
				x->no_scripts = items[k].answer == PV_ANSWER_NO_SCRIPTS;
				if (!x->allowed)
					refused = true;
				else if (items[k].answer == PV_ANSWER_ALWAYS)
					record_always(o, &x->pkg);
			}
		} else {
			enum pv_action na = pv_policy_noninteractive(pol, PV_PROMPT);
			if (na <= PV_WARN)
				fprintf(o->out, "pkgvet: no terminal to ask: allowing %zu package%s (noninteractive = %s)\n",
				        nask, nask == 1 ? "" : "s", pv_action_name(na));
			for (k = 0; k < nask; k++) {
				struct pv_vetted *x = &v[which[k]];
				x->how = PV_HOW_NONINTERACTIVE;
				x->allowed = na <= PV_WARN;
				if (!x->allowed) {
					refused = true;
					show_refused(o, x, "needs a decision, and nobody can be asked (noninteractive = block):");
				}
			}
		}
		free(items);
		free(which);
	}
	for (size_t i = 0; i < n; i++) {
		v[i].hooks_allowed = v[i].allowed && !v[i].no_scripts;
		log_decision(o, &v[i]);
	}
	if (refused)
		return PV_DECIDE_REFUSED;
	return unvetted ? PV_DECIDE_UNVETTED : PV_DECIDE_OK;
}
