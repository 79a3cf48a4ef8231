/* vetting.c - turn the effective policy into vetting options. */
#include "vetting.h"
#include "cache.h"
#include "catalogue.h"
#include "dns_check.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern const char pv_top_npm_txt[];
extern const size_t pv_top_npm_txt_len;
extern const char pv_top_pypi_txt[];
extern const size_t pv_top_pypi_txt_len;

/* Catalogue thresholds for the metadata attributes (disabled: -1). */
static void meta_thresholds(const struct pv_catalogue *cat, struct pv_meta_thresholds *th)
{
	pv_meta_thresholds_default(th);
	const struct {
		const char *id;
		double *field;
	} map[] = {
		{"release-fresh", &th->release_fresh_hours}, {"release-old", &th->release_old_days},
		{"release-gap", &th->release_gap_days},      {"few-versions", &th->few_versions},
		{"few-downloads", &th->few_downloads},       {"no-readme", &th->no_readme_chars},
		{"too-many-deps", &th->too_many_deps},
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
		const struct pv_attr *at = pv_catalogue_find(cat, map[i].id);
		if (at && !at->enabled)
			*map[i].field = -1;
		else if (at && at->has_threshold)
			*map[i].field = at->threshold;
	}
}

const char *pv_policy_override(const struct pv_policy *p, enum pv_setting set, const char *value)
{
	const struct pv_origin *o = &p->set_origin[set];
	if (p->set_lock[set].file)
		return value;
	if (o->file && strcmp(o->file, "default") != 0)
		return value;
	return NULL;
}

static void say(void (*warn)(const char *, void *), void *ud, const char *what, const char *why)
{
	char line[1200];
	if (!warn)
		return;
	snprintf(line, sizeof line, "%s: %s", what, why);
	warn(line, ud);
}

int pv_vetting_init(struct pv_vetting *v, const struct pv_judge *j, bool use_cache, unsigned threads,
                    void (*warn)(const char *line, void *ud), void *ud)
{
	memset(v, 0, sizeof *v);
	const struct pv_policy *p = &j->policy;
	char err[1024];
	pv_audit_opts_default(&v->audit);
	if (threads)
		v->audit.threads = threads;
	v->audit.top_npm = pv_top_npm_txt;
	v->audit.top_npm_len = pv_top_npm_txt_len;
	v->audit.top_pypi = pv_top_pypi_txt;
	v->audit.top_pypi_len = pv_top_pypi_txt_len;
	if (use_cache) {
		v->audit.cache = pv_judge_open_cache(j, err, sizeof err);
		if (!v->audit.cache)
			say(warn, ud, "no cache", err);
	}
	meta_thresholds(&p->cat, &v->th);
	/* bad-email's DNS half (dns_server: system, off, or a resolver address). */
	if (strcmp(p->dns_server, "off") != 0 &&
	    pv_dns_open(&v->dns, p->dns_server, PV_DNS_DEFAULT_TIMEOUT_MS, err, sizeof err) < 0)
		say(warn, ud, "email domains are not checked", err);
	if (!getcwd(v->project_dir, sizeof v->project_dir))
		v->project_dir[0] = 0;
	v->npm = (struct pv_remote_npm_opts){
		.audit = &v->audit,
		.registry = pv_policy_override(p, PV_SET_NPM_REGISTRY, p->npm_registry),
		.project_dir = v->project_dir[0] ? v->project_dir : NULL,
		.timeout_s = p->timeout,
		.th = &v->th,
		.services = {.downloads_url = p->npm_downloads_url, .dns = v->dns, .osv_url = p->osv_url,
		             .osv_offline = p->osv_offline},
	};
	v->pypi = (struct pv_remote_pypi_opts){
		.audit = &v->audit,
		.index_url = pv_policy_override(p, PV_SET_PYPI_INDEX, p->pypi_index),
		.timeout_s = p->timeout,
		.th = &v->th,
		.services = {.downloads_url = p->pypi_downloads_url, .dns = v->dns, .osv_url = p->osv_url,
		             .osv_offline = p->osv_offline},
	};
	return 0;
}

void pv_vetting_free(struct pv_vetting *v)
{
	pv_dns_close(v->dns);
	pv_cache_close(v->audit.cache);
	v->dns = NULL;
	v->audit.cache = NULL;
}
