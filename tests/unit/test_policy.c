/* The policy engine through its API: allow/deny matching (npm semver and
 * PEP 440 semantics, PEP 503 names, pre-releases, versions that do not
 * parse), which entry wins, pv_policy_apply (known-malware needs an entry
 * naming the exact version), locks with explicit sources, noninteractive
 * and fail_closed helpers. The CLI tests (tests/cli/test_policy.py) cover
 * files, layers and messages through the real binary. */
#include "policy.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/pv-policy-unit-XXXXXX";

static const char *put(const char *name, const char *text)
{
	static char path[4][512];
	static int k;
	char *p = path[k++ % 4];
	snprintf(p, 512, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	if (!f)
		return NULL;
	fputs(text, f);
	fclose(f);
	return p;
}

static int load(struct pv_policy *p, const char *org, const char *user, const char *project,
                char *const *env)
{
	struct pv_policy_sources src;
	memset(&src, 0, sizeof src);
	src.org_path = org ? put("org.ini", org) : NULL;
	src.user_path = user ? put("user.ini", user) : NULL;
	src.project_path = project ? put("project.ini", project) : NULL;
	src.env = env;
	snprintf(src.today, sizeof src.today, "2026-06-15");
	char err[1024] = "";
	int rc = pv_policy_load(p, &src, err, sizeof err);
	if (rc < 0)
		fprintf(stderr, "load: %s\n", err);
	return rc;
}

static enum pv_rule_kind kind(const struct pv_policy *p, const char *eco, const char *name, const char *v)
{
	const struct pv_rule *r = pv_policy_match(p, eco, name, v);
	return r ? r->kind : PV_RULE_NONE;
}

static void add(struct pv_findings *fs, const char *attr)
{
	pv_findings_add(fs, attr, NULL, 0, NULL, 0, NULL, false);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	struct pv_policy p;

	/* --- matching */
	CHECK(load(&p, NULL,
	           "[deny npm:evil@<2.0.0]\nreason = r\n"
	           "[allow npm:good@^1.2.0]\nreason = r\n"
	           "[allow npm:@scope/pkg]\nreason = r\n"
	           "[deny pypi:Requests <2.20]\nreason = r\n"
	           "[allow pypi:zope.interface >=5, <6]\nreason = r\n"
	           "[allow pypi:Flask]\nreason = r\n"
	           "[allow pypi:old ==1.0]\nreason = r\nexpires = 2026-06-14\n"
	           "[allow pypi:today ==1.0]\nreason = r\nexpires = 2026-06-15\n",
	           NULL, NULL) == 0, "load matching policy");
	CHECK(kind(&p, "npm", "evil", "1.9.9") == PV_RULE_DENY, "npm deny in range");
	CHECK(kind(&p, "npm", "evil", "2.0.0") == PV_RULE_NONE, "npm deny out of range");
	CHECK(kind(&p, "npm", "evil", "2.0.0-rc.1") == PV_RULE_DENY, "a deny covers pre-releases in its range");
	CHECK(kind(&p, "npm", "evil", "not-a-version") == PV_RULE_DENY, "a deny covers versions it cannot compare");
	CHECK(kind(&p, "npm", "evil", NULL) == PV_RULE_DENY, "a deny covers an unknown version");
	CHECK(kind(&p, "npm", "Evil", "1.0.0") == PV_RULE_NONE, "npm names compare exactly");
	CHECK(kind(&p, "npm", "good", "1.5.0") == PV_RULE_ALLOW, "npm caret allow");
	CHECK(kind(&p, "npm", "good", "2.0.0") == PV_RULE_NONE, "npm caret upper bound");
	CHECK(kind(&p, "npm", "good", "1.3.0-beta.1") == PV_RULE_NONE, "an allow does not cover pre-releases");
	CHECK(kind(&p, "npm", "good", "garbage") == PV_RULE_NONE, "an allow does not cover unparsable versions");
	CHECK(kind(&p, "npm", "@scope/pkg", "0.0.1") == PV_RULE_ALLOW, "scoped npm name, every version");
	CHECK(kind(&p, "pypi", "requests", "2.19.1") == PV_RULE_DENY, "PyPI deny, name normalised");
	CHECK(kind(&p, "pypi", "REQUESTS", "2.20.0") == PV_RULE_NONE, "PyPI deny out of range");
	CHECK(kind(&p, "pypi", "Zope_Interface", "5.4") == PV_RULE_ALLOW, "PEP 503 normalisation of _ and .");
	CHECK(kind(&p, "pypi", "zope-interface", "6.0") == PV_RULE_NONE, "PEP 440 upper bound");
	CHECK(kind(&p, "pypi", "flask", "3.0.0rc1") == PV_RULE_ALLOW, "name alone: every version, pre-releases too");
	CHECK(kind(&p, "npm", "flask", "1.0.0") == PV_RULE_NONE, "ecosystems are separate");
	CHECK(kind(&p, "pypi", "old", "1.0") == PV_RULE_NONE, "expired entry ignored");
	CHECK(kind(&p, "pypi", "today", "1.0") == PV_RULE_ALLOW, "entry expiring today still applies");
	CHECK(p.nwarnings == 1 && strstr(p.warnings[0], "expired on 2026-06-14"), "one expiry warning");
	const struct pv_rule *r = pv_policy_match(&p, "pypi", "requests", "1.0");
	CHECK(r && r->origin.line == 7 && strcmp(r->reason, "r") == 0 && r->layer == PV_LAYER_USER,
	      "matched entry carries file:line, reason, layer");
	pv_policy_free(&p);

	/* --- which entry wins */
	CHECK(load(&p, NULL, "[deny npm:a]\nreason = user\n", "[allow npm:a@1.0.0]\nreason = project\n", NULL) == 0,
	      "load");
	r = pv_policy_match(&p, "npm", "a", "1.0.0");
	CHECK(r && r->kind == PV_RULE_ALLOW && r->layer == PV_LAYER_PROJECT, "later layer wins when deny is not locked");
	CHECK(kind(&p, "npm", "a", "1.0.1") == PV_RULE_DENY, "the user deny still covers other versions");
	pv_policy_free(&p);
	CHECK(load(&p, "[deny npm:a@<2]\nreason = org\n[locked]\ndeny = yes\n", "[deny npm:b]\nreason = user\n",
	           "[allow npm:a@>=2]\nreason = p\n[allow npm:b]\nreason = p\n", NULL) == 0, "load");
	CHECK(kind(&p, "npm", "a", "2.1.0") == PV_RULE_NONE, "an allow overlapping a locked org deny is dropped");
	CHECK(p.nwarnings == 1 && strstr(p.warnings[0], "the organisation denies [npm:a@<2]"), "with a warning");
	CHECK(kind(&p, "npm", "b", "1.0.0") == PV_RULE_DENY, "deny locked: any matching deny beats an allow");
	pv_policy_free(&p);

	/* --- apply */
	CHECK(load(&p, NULL, "[allow npm:mal@1.0.0]\nreason = pinned\n[allow npm:mal2@^1]\nreason = range\n"
	           "[deny npm:nope]\nreason = no thanks\n[allow pypi:pym ==2.0]\nreason = pinned\n", NULL, NULL) == 0,
	      "load");
	struct pv_findings fs = {0};
	add(&fs, "known-malware");
	CHECK(pv_policy_apply(&p, "npm", "mal2", "1.0.0", &fs, PV_BLOCK, NULL) == PV_BLOCK,
	      "known-malware still blocks under a range allow");
	CHECK(pv_findings_has(&fs, "policy-allow"), "a note says why");
	CHECK(pv_policy_apply(&p, "npm", "mal", "1.0.0", &fs, PV_BLOCK, NULL) == PV_ALLOW,
	      "an allow naming the exact version overrides known-malware");
	CHECK(pv_policy_apply(&p, "pypi", "PYM", "2.0.0", &fs, PV_BLOCK, NULL) == PV_ALLOW,
	      "PyPI ==V names the exact version (2.0 == 2.0.0)");
	pv_findings_free(&fs);
	add(&fs, "download-exec");
	const struct pv_rule *used = NULL;
	CHECK(pv_policy_apply(&p, "npm", "mal2", "1.4.0", &fs, PV_BLOCK, &used) == PV_ALLOW && used,
	      "an allow overrides other blocking findings");
	CHECK(pv_policy_apply(&p, "npm", "nope", "1.0.0", &fs, PV_ALLOW, &used) == PV_BLOCK && used &&
	      used->kind == PV_RULE_DENY, "deny blocks a clean package");
	int deny_notes = 0;
	for (size_t i = 0; i < fs.n; i++)
		if (strcmp(fs.v[i].attr, "policy-deny") == 0 && fs.v[i].action == PV_BLOCK &&
		    strcmp(fs.v[i].kind, "policy") == 0 && strstr(fs.v[i].detail, "no thanks") &&
		    strstr(fs.v[i].detail, "user.ini:5"))
			deny_notes++;
	CHECK(deny_notes == 1, "deny note: block, kind policy, reason and file:line");
	CHECK(pv_policy_apply(&p, "npm", "other", "1.0.0", &fs, PV_PROMPT, &used) == PV_PROMPT && !used,
	      "no entry: verdict unchanged");
	pv_findings_free(&fs);

	/* --- settings helpers */
	CHECK(pv_policy_noninteractive(&p, PV_PROMPT) == PV_BLOCK && pv_policy_noninteractive(&p, PV_WARN) == PV_WARN,
	      "noninteractive default block, only prompt changes");
	CHECK(pv_policy_unvetted(&p) == PV_BLOCK, "fail closed by default");
	pv_policy_free(&p);
	char *env[] = {"PKGVET_NONINTERACTIVE=warn", "PKGVET_FAIL_CLOSED=no", "PKGVET_TIMEOUT=7", NULL};
	CHECK(load(&p, NULL, NULL, NULL, env) == 0, "load env");
	CHECK(pv_policy_noninteractive(&p, PV_PROMPT) == PV_WARN && pv_policy_unvetted(&p) == PV_WARN &&
	      p.timeout == 7 && strcmp(p.set_origin[PV_SET_TIMEOUT].file, "env PKGVET_TIMEOUT") == 0,
	      "environment layer");
	pv_policy_free(&p);
	CHECK(load(&p, "[settings]\nnoninteractive = warn\n[locked]\nsettings.* = yes\n", NULL, NULL, env) == 0,
	      "load org + env");
	CHECK(p.noninteractive == PV_WARN && p.fail_closed && p.timeout == 30 && p.nwarnings == 2,
	      "locked settings: env weakenings ignored, 2 warnings (%zu)", p.nwarnings);
	pv_policy_free(&p);

	/* --- the effective catalogue is what judging uses */
	CHECK(load(&p, "[attributes]\ninstall-hook = block\n[locked]\nattributes.install-hook = yes\n",
	           "[attributes]\ninstall-hook = allow\nperm-network.enabled = no\n", NULL, NULL) == 0, "load");
	add(&fs, "install-hook");
	add(&fs, "perm-network");
	CHECK(pv_catalogue_judge(&p.cat, &fs) == PV_BLOCK && fs.n == 1, "judge with the merged catalogue");
	pv_findings_free(&fs);
	pv_policy_free(&p);

	/* --- an org file that exists but cannot be read is fatal */
	struct pv_policy_sources src;
	memset(&src, 0, sizeof src);
	src.org_path = dir; /* a directory */
	char err[1024] = "";
	CHECK(pv_policy_load(&p, &src, err, sizeof err) < 0 && strstr(err, "cannot read"), "unreadable org: %s", err);
	src.org_path = "/nonexistent/pkgvet/policy.ini";
	CHECK(pv_policy_load(&p, &src, err, sizeof err) == 0, "absent org file: no org layer");
	pv_policy_free(&p);

	/* project discovery */
	char found[4096], sub[600], git[600];
	snprintf(sub, sizeof sub, "%s/proj/a/b", dir);
	snprintf(git, sizeof git, "%s/proj/.git", dir);
	char mk[700];
	snprintf(mk, sizeof mk, "%s/proj", dir);
	mkdir(mk, 0700);
	snprintf(mk, sizeof mk, "%s/proj/a", dir);
	mkdir(mk, 0700);
	mkdir(sub, 0700);
	mkdir(git, 0700);
	put(".pkgvet.ini", "");
	CHECK(pv_policy_find_project(sub, found, sizeof found) == 0, "stops at .git below the file");
	put("proj/.pkgvet.ini", "");
	CHECK(pv_policy_find_project(sub, found, sizeof found) == 1 && strstr(found, "/proj/.pkgvet.ini"),
	      "finds the project root's file");

	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return CHECK_DONE();
}
