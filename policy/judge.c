/* judge.c - catalogue → allow/deny → approvals, and the decision log. */
#include "judge.h"
#include "cache.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int pv_judge_init(struct pv_judge *j, char *err, size_t errlen)
{
	memset(j, 0, sizeof *j);
	struct pv_policy_sources *src = malloc(sizeof *src);
	if (!src) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	pv_policy_sources_default(src);
	int rc = pv_policy_load(&j->policy, src, err, errlen);
	free(src);
	if (rc < 0)
		return -1;

	char cwd[PATH_MAX], proj[PATH_MAX + 32];
	if (!getcwd(cwd, sizeof cwd))
		snprintf(cwd, sizeof cwd, ".");
	snprintf(j->project_root, sizeof j->project_root, "%s", cwd);
	if (pv_policy_find_project(cwd, proj, sizeof proj) == 1) {
		char *slash = strrchr(proj, '/');
		size_t len = slash ? (size_t)(slash - proj) : 0;
		if (slash && len < sizeof j->project_root) {
			memcpy(j->project_root, proj, len);
			j->project_root[len] = 0;
			if (len == 0)
				snprintf(j->project_root, sizeof j->project_root, "/");
		}
	}
	char path[PATH_MAX + 64];
	if (pv_approvals_user_path(path, sizeof path, err, errlen) == 0 &&
	    pv_approvals_load(&j->user_approvals, path, err, errlen) < 0)
		return -1;
	if (pv_approvals_project_path(j->project_root, path, sizeof path) == 0 &&
	    pv_approvals_load(&j->project_approvals, path, err, errlen) < 0)
		return -1;
	return 0;
}

void pv_judge_free(struct pv_judge *j)
{
	pv_policy_free(&j->policy);
	pv_approvals_free(&j->user_approvals);
	pv_approvals_free(&j->project_approvals);
	memset(j, 0, sizeof *j);
}

/* The approval of exactly this artifact, project store first (shared
 * decisions), then the user's. */
static const struct pv_approval *find_approval(const struct pv_judge *j, const struct pv_package *pkg)
{
	if (!pkg->ecosystem || !pkg->name || !pkg->version || !pkg->digest[0])
		return NULL;
	const struct pv_approval *a = pv_approval_find(&j->project_approvals, pkg->ecosystem, pkg->name,
	                                               pkg->version, pkg->digest);
	if (!a)
		a = pv_approval_find(&j->user_approvals, pkg->ecosystem, pkg->name, pkg->version, pkg->digest);
	return a;
}

struct pv_judgement pv_judge_package(struct pv_judge *j, struct pv_package *pkg)
{
	struct pv_judgement jd = {PV_ALLOW, PV_DECIDED_POLICY, 0, false};
	if (pkg->status != PV_PKG_OK) {
		jd.verdict = pv_policy_unvetted(&j->policy);
		return jd;
	}
	enum pv_action v = pv_catalogue_judge(&j->policy.cat, &pkg->findings);
	const struct pv_rule *rule = NULL;
	v = pv_policy_apply(&j->policy, pkg->ecosystem, pkg->name, pkg->version, &pkg->findings, v, &rule);
	if (rule) {
		jd.verdict = v;
		jd.decided_by = v == PV_BLOCK ? PV_DECIDED_DENY_LIST : PV_DECIDED_ALLOW_LIST;
		return jd;
	}
	/* An approval answers a prompt for this artifact and these permissions;
	 * it never lifts a block (only an allow entry does). */
	const struct pv_approval *a = find_approval(j, pkg);
	unsigned perms = pv_package_perms(pkg);
	if (a) {
		jd.had_approval = true;
		jd.added_perms = pv_approvals_added_perms(a, perms);
		if (v == PV_PROMPT && !jd.added_perms) {
			v = PV_ALLOW;
			jd.decided_by = PV_DECIDED_APPROVAL;
		}
	} else if (pkg->ecosystem && pkg->name && pkg->version) {
		/* An upgrade of an approved package: still asked, leading with what it adds. */
		const struct pv_approval *old =
			pv_approval_latest_other(&j->project_approvals, pkg->ecosystem, pkg->name, pkg->version);
		if (!old)
			old = pv_approval_latest_other(&j->user_approvals, pkg->ecosystem, pkg->name, pkg->version);
		if (old)
			jd.added_perms = pv_approvals_added_perms(old, perms);
	}
	jd.verdict = v;
	return jd;
}

int pv_judge_log(const struct pv_judge *j, const struct pv_package *pkg,
                 const struct pv_judgement *jd, const char *command, char *err, size_t errlen)
{
	const char *log = j->policy.log;
	if (log && strcmp(log, "off") == 0)
		return 0;
	struct pv_decision d = {0};
	d.command = command;
	d.ecosystem = pkg->ecosystem;
	d.name = pkg->name ? pkg->name : pkg->input;
	d.version = pkg->version;
	d.digest = pkg->digest[0] ? pkg->digest : NULL;
	d.findings = &pkg->findings;
	d.action = jd->verdict;
	d.decided_by = jd->decided_by;
	return pv_decision_log_append(log, &d, err, errlen);
}

struct pv_cache *pv_judge_open_cache(const struct pv_judge *j, char *err, size_t errlen)
{
	char path[PATH_MAX + 32];
	const char *dir = j->policy.cache_dir;
	struct pv_cache *c = NULL;
	char *cerr = NULL;
	if (dir && snprintf(path, sizeof path, "%s/cache.sqlite3", dir) >= (int)sizeof path) {
		snprintf(err, errlen, "cache directory path too long");
		return NULL;
	}
	if (pv_cache_open(dir ? path : NULL, &c, &cerr) != PV_CACHE_OK) {
		snprintf(err, errlen, "%s", cerr ? cerr : "cannot open the cache");
		free(cerr);
		return NULL;
	}
	return c;
}
