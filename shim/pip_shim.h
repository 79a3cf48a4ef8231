/* pip_shim.h - the pip shim's work for install, download and wheel:
 * resolve through the gate, vet, decide, install exactly what was vetted. */
#ifndef PV_PIP_SHIM_H
#define PV_PIP_SHIM_H

/* argv as pip would get it (argv[0] the program name). invoked_as is "pip"
 * or "pip3" (which real pip stands behind the shim); python is the
 * interpreter for `python -m pip`, else NULL. Returns the exit status
 * (design.md §7; pip's own when it ran). Commands that install nothing are
 * exec'ed. */
int pv_pip_shim_main(int argc, char **argv, const char *invoked_as, const char *python);

#endif
