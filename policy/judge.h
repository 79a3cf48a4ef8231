/* judge.h - the one place a vetted package gets its verdict: catalogue
 * actions, then the allow and deny entries, then approvals recorded at
 * earlier prompts. audit and the shims call this; nothing else reads
 * policy files or approval stores. */
#ifndef PV_JUDGE_H
#define PV_JUDGE_H

#include "approvals.h"
#include "decision_log.h"
#include "package.h"
#include "policy.h"

struct pv_judge {
	struct pv_policy policy;
	struct pv_approvals user_approvals;    /* $XDG_CONFIG_HOME/pkgvet/approvals.ini */
	struct pv_approvals project_approvals; /* <project root>/.pkgvet-approvals.ini */
	char project_root[4096];               /* where .pkgvet.ini is, else the current directory */
};

/* What decided a package's verdict, and what an approval did not cover. */
struct pv_judgement {
	enum pv_action verdict;
	enum pv_decider decided_by;
	unsigned added_perms;   /* permissions beyond an approval of this artifact (0 when none) */
	bool had_approval;      /* an approval of this exact artifact exists */
};

/* Load policy layers and approval stores. err gets one line on failure
 * (an invalid or unreadable policy is fatal: never weaker defaults). */
int pv_judge_init(struct pv_judge *j, char *err, size_t errlen);
void pv_judge_free(struct pv_judge *j);

/* Judge a vetted package (status OK): sets each finding's action and
 * returns the verdict with who decided it. For a package that could not
 * be vetted the verdict is the policy's fail-closed answer. */
struct pv_judgement pv_judge_package(struct pv_judge *j, struct pv_package *pkg);

/* Open the analysis cache the policy names (cache_dir/cache.sqlite3).
 * Returns NULL when it cannot be opened; err then says why (the caller
 * warns and goes on without a cache). */
struct pv_cache *pv_judge_open_cache(const struct pv_judge *j, char *err, size_t errlen);

/* Append the decision to the decision log (unless the policy turned it
 * off). Returns 0, or -1 with err. */
int pv_judge_log(const struct pv_judge *j, const struct pv_package *pkg,
                 const struct pv_judgement *jd, const char *command, char *err, size_t errlen);

#endif
