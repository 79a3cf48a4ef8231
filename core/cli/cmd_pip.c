/* cmd_pip.c - `pkgvet pip ARGS...` / `pkgvet pip3 ARGS...`: the pip shim's
 * vetting half (shim/pip_shim.c). The pkgvet-pip shim execs this for
 * install, download and wheel; people may call it directly. */
#include "cli.h"
#include "pip_shim.h"
#include "real_tool.h"

#include <limits.h>

int cmd_pip(int argc, char **argv)
{
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
