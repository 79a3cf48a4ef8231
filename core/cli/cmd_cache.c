/* cmd_cache.c - `pkgvet cache path|stats|clear [--metadata]`. */
#include "cli.h"
#include "cache.h"
#include "escape.h"
#include "judge.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: pkgvet cache path|stats|clear [--metadata]\n"
	"\n"
	"  path              where the cache file is (cache_dir in [settings], PKGVET_CACHE_DIR)\n"
	"  stats             entries and size\n"
	"  clear             remove everything (works on a damaged cache too)\n"
	"  clear --metadata  remove cached registry metadata only\n"
	"\n"
	"exit status: 0 ok, 2 usage error, 3 the cache cannot be used\n";

int cmd_cache(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return PV_EXIT_OK;
		}
	if (argc < 2) {
		fputs(usage, stderr);
		return PV_EXIT_USAGE;
	}
	const char *sub = argv[1];
	bool meta = argc == 3 && strcmp(argv[2], "--metadata") == 0;
	char shown[65];
	if (strcmp(sub, "path") && strcmp(sub, "stats") && strcmp(sub, "clear")) {
		pv_err("cache: unknown %s '%s' (pkgvet cache --help)", sub[0] == '-' ? "option" : "command",
		       cli_shown(sub, shown));
		return PV_EXIT_USAGE;
	}
	if ((argc > 2 && !meta) || (meta && strcmp(sub, "clear") != 0)) {
		pv_err("cache %s: unexpected '%s' (pkgvet cache --help)", sub, cli_shown(argv[2], shown));
		return PV_EXIT_USAGE;
	}
	struct pv_judge *j = malloc(sizeof *j);
	char err[1024];
	if (!j || pv_judge_init(j, err, sizeof err) < 0) {
		if (j) {
			pv_err_text(err);
			pv_judge_free(j);
		}
		free(j);
		return PV_EXIT_USAGE;
	}
	char path[PATH_MAX + 32];
	char *def = NULL;
	if (j->policy.cache_dir)
		snprintf(path, sizeof path, "%s/cache.sqlite3", j->policy.cache_dir);
	else if ((def = pv_cache_default_path()) != NULL)
		snprintf(path, sizeof path, "%s", def);
	else
		path[0] = 0;
	free(def);
	int rc = PV_EXIT_OK;
	if (strcmp(sub, "path") == 0) {
		pv_fputs_term0(stdout, path);
		fputc('\n', stdout);
		goto out;
	}
	struct pv_cache *c = NULL;
	char *cerr = NULL;
	int orc = pv_cache_open(path[0] ? path : NULL, &c, &cerr);
	if (orc != PV_CACHE_OK) {
		/* A damaged or newer cache cannot be opened, but it can be removed. */
		if (strcmp(sub, "clear") == 0 && !meta && (orc == PV_CACHE_ECORRUPT || orc == PV_CACHE_ENEWER)) {
			free(cerr);
			cerr = NULL;
			if (pv_cache_remove(path[0] ? path : NULL, &cerr) == PV_CACHE_OK) {
				puts("cache cleared (the damaged file was removed)");
				goto out;
			}
		}
		pv_err_text(cerr ? cerr : "cannot open the cache");
		free(cerr);
		rc = PV_EXIT_UNVETTED;
		goto out;
	}
	if (strcmp(sub, "stats") == 0) {
		struct pv_cache_stats st;
		if (pv_cache_stats(c, &st) != PV_CACHE_OK) {
			pv_err_text(pv_cache_error(c));
			rc = PV_EXIT_UNVETTED;
		} else {
			printf("analyses: %llu (%llu findings)\nmetadata: %llu entries\n",
			       (unsigned long long)st.analyses, (unsigned long long)st.findings,
			       (unsigned long long)st.meta);
		}
	} else if (pv_cache_clear(c, meta ? PV_CACHE_CLEAR_META : PV_CACHE_CLEAR_ALL) != PV_CACHE_OK) {
		pv_err_text(pv_cache_error(c));
		rc = PV_EXIT_UNVETTED;
	} else {
		puts(meta ? "cached metadata cleared" : "cache cleared");
	}
	pv_cache_close(c);
out:
	pv_judge_free(j);
	free(j);
	return rc;
}
