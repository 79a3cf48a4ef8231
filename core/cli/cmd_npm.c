/* cmd_npm.c - `pkgvet npm ARGS...` / `pkgvet npx ARGS...`: the npm shim's
 * vetting half (shim/npm_shim.c). The pkgvet-npm shim execs this for every
 * command that fetches packages, and people may call it directly. */
#include "cli.h"
#include "npm_shim.h"

#include <string.h>

int cmd_npm(int argc, char **argv)
{
	/* argv[0] is "npm" or "npx": exactly what the shim was called as. */
	return pv_npm_shim_main(argc, argv, strcmp(argv[0], "npx") == 0);
}
