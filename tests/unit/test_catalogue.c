/* The catalogue: every attribute the analysers can emit is defined, and
 * malformed catalogue text is refused with file:line. */
#include "catalogue.h"
#include "check.h"

#include <string.h>

static const char *const emitted[] = {
	"known-malware", "known-vuln", "typosquat", "release-fresh", "release-old", "release-gap",
	"few-versions", "few-downloads", "no-readme", "no-repo", "bad-repo", "bad-email",
	"publisher-change", "provenance-dropped", "manifest-mismatch", "url-dependency",
	"too-many-deps", "deprecated", "yanked", "install-hook", "obfuscation", "binary",
	"shady-url", "sensitive-read", "exfiltration", "download-exec", "malformed-archive",
	"host-fingerprint", "exec-binary", "digest-mismatch",
};

int main(void)
{
	struct pv_catalogue cat = {0};
	char err[512] = "";
	CHECK(pv_catalogue_load_builtin(&cat, err, sizeof err) == 0, "%s", err);
	for (size_t i = 0; i < sizeof emitted / sizeof *emitted; i++)
		CHECK(pv_catalogue_find(&cat, emitted[i]) != NULL, "missing %s", emitted[i]);
	for (int p = 0; p < PV_PERM__COUNT; p++)
		CHECK(pv_catalogue_find(&cat, pv_perm_attr((enum pv_perm)p)) != NULL, "missing %s",
		      pv_perm_attr((enum pv_perm)p));
	const struct pv_attr *a = pv_catalogue_find(&cat, "release-fresh");
	CHECK(a && a->has_threshold && a->threshold == 48, "release-fresh threshold");
	a = pv_catalogue_find(&cat, "download-exec");
	CHECK(a && a->action == PV_BLOCK, "download-exec blocks");

	/* install-time escalation */
	struct pv_finding f = {.attr = "perm-network", .install_time = false};
	CHECK(pv_catalogue_action(&cat, &f) == PV_WARN, "network warns");
	f.install_time = true;
	CHECK(pv_catalogue_action(&cat, &f) == PV_PROMPT, "network at install prompts");
	pv_catalogue_free(&cat);

	static const char *const bad[] = {
		"[x]\nkind = code\naction = maybe\ndescription = d\n",
		"[x]\nkind = nonsense\ndescription = d\n",
		"[x]\nkind = code\ndescription = d\nthreshold = -1\n",
		"[x]\nkind = code\ndescription = d\ncolour = red\n",
		"[x]\nkind = code\n",
		"[x]\nkind = code\ndescription = d\n[y]\nkind=code\ndescription=e\n[x]\nkind=code\n",
		"key = value\n",
		"[x\nkind = code\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct pv_catalogue c = {0};
		err[0] = 0;
		CHECK(pv_catalogue_parse(&c, bad[i], "t.ini", err, sizeof err) < 0, "bad[%zu] accepted", i);
		CHECK(strncmp(err, "t.ini:", 6) == 0, "bad[%zu] error without file:line: %s", i, err);
		pv_catalogue_free(&c);
	}
	return CHECK_DONE();
}
