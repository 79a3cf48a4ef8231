/* cmd_pip.c - `pkgvet pip ARGS...` / `pkgvet pip3 ARGS...`: the pip shim's
 * vetting half (shim/pip_shim.c). The pkgvet-pip shim execs this for
 * install, download and wheel; people may call it directly. */
#include "cli.h"
#include "pip_shim.h"
#include "real_tool.h"

#include <limits.h>
#include <string.h>

static const char usage[] =
	"usage: pkgvet pip PIP-ARGS...\n"
	"       pkgvet pip3 PIP-ARGS...\n"
	"\n"
	"Run pip (pip3) with PIP-ARGS; install, download and wheel are vetted first.\n"
	"pip resolves through a loopback index inside pkgvet that hands pip each\n"
	"distribution only after vetting it (an sdist is vetted before pip may build\n"
	"it); prompt-level packages are put to you on the terminal ([y]es once,\n"
	"[a]lways, [n]o, [d]etails); then pip installs exactly the vetted set, every\n"
	"file pinned by sha256 (--no-deps --require-hashes). Every other command, and\n"
	"--help, --version, --dry-run, goes straight to pip: `pkgvet pip install\n"
	"--help` is pip's help. The active virtualenv's pip is the one that runs.\n"
	"This is what the pkgvet-pip shim runs.\n"
	"\n"
	"pkgvet also reads pip's:\n"
	"  -q, --quiet         pkgvet prints only refusals, prompts and errors\n"
	"  -v, --verbose       pkgvet also lists each package's verdict and the time taken\n"
	"(the shim pkgvet-pip also takes --yes: accept prompt-level packages without\n"
	"asking, never a block; refused when the policy sets allow_yes = no)\n"
	"\n"
	"environment: PKGVET_YES=1, PKGVET_REAL_PIP, PKGVET_PIP_PYTHON (the real pip is\n"
	"that python's -m pip), PKGVET_FETCH_JOBS, PKGVET_* policy settings\n"
	"(man pkgvet-policy), NO_COLOR\n"
	"\n"
	"exit status: 0 installed, 1 blocked or denied, 2 usage error, 3 could not\n"
	"vet; once pip runs, pip's own status (man pkgvet-pip)\n";

int cmd_pip(int argc, char **argv)
{
	/* Only pkgvet's own `pkgvet pip --help`: the shim passes every help
	 * request straight to pip and never comes here with one. */
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return PV_EXIT_OK;
	}
	/* argv[0] is "pip" or "pip3": which real pip the person asked for;
	 * PKGVET_PIP_PYTHON (set by the hooks for `python -m pip`) says the
	 * real pip is that interpreter's `-m pip`. */
	char python[PATH_MAX], err[512];
	int has = pv_pip_python(python, sizeof python, err, sizeof err);
	if (has < 0) {
		pv_err("%s", err);
		return PV_EXIT_UNVETTED;
	}
	return pv_pip_shim_main(argc, argv, argv[0], has ? python : NULL);
}
