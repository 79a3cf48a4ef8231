/* cmd_pip.c - `pkgvet pip ARGS...` / `pkgvet pip3 ARGS...`: the pip shim's
 * vetting half (shim/pip_shim.c). The pkgvet-pip shim execs this for
 * install, download and wheel; people may call it directly. */
#include "cli.h"
#include "pip_shim.h"

int cmd_pip(int argc, char **argv)
{
	/* argv[0] is "pip" or "pip3": which real pip the person asked for. */
	return pv_pip_shim_main(argc, argv, argv[0], NULL);
}
