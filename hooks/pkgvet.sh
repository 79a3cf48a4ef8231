# pkgvet shell hooks for @SHELL@, printed by `pkgvet init @SHELL@` (hooks/pkgvet.sh: bash and zsh).
# npm, npx, pip, pip3 and `python -m pip` go through pkgvet's shims even after
# a virtualenv's activate script has put its bin first on PATH: functions win
# over PATH. Re-evaluating this only redefines the same functions.
# `function NAME {` rather than `NAME() {`: an alias of the same name is not
# expanded here, so a person's old `alias pip=...` cannot break the eval.
function npm { PKGVET_HOOK_SHELL=@SHELL@ @SHIMS@/npm "$@"; }
function npx { PKGVET_HOOK_SHELL=@SHELL@ @SHIMS@/npx "$@"; }
function pip { PKGVET_HOOK_SHELL=@SHELL@ @SHIMS@/pip "$@"; }
function pip3 { PKGVET_HOOK_SHELL=@SHELL@ @SHIMS@/pip3 "$@"; }
function pkgvet { PKGVET_HOOK_SHELL=@SHELL@ @PKGVET@ "$@"; }
function python { __pkgvet_python python "$@"; }
function python3 { __pkgvet_python python3 "$@"; }
# __pkgvet_python NAME ARGS...: `NAME -m pip ARGS` (or -mpip) becomes the pip
# shim told which python would have run (the venv's, say) in
# PKGVET_PIP_PYTHON; anything else runs that python untouched.
function __pkgvet_python {
	local __pv_name=$1 __pv_py
	shift
	if [ "${1-}" = -m ] && [ "${2-}" = pip ]; then
		shift 2
	elif [ "${1-}" = -mpip ]; then
		shift
	else
		command "$__pv_name" "$@"
		return
	fi
	# The file PATH would run (not this function): bash's type -P, zsh's whence -p.
	if [ -n "${ZSH_VERSION-}" ]; then
		__pv_py=$(whence -p -- "$__pv_name") || __pv_py=
	else
		__pv_py=$(type -P -- "$__pv_name") || __pv_py=
	fi
	[ -n "$__pv_py" ] || { command "$__pv_name" -m pip "$@"; return; }
	case $__pv_py in /*) ;; *) __pv_py=$PWD/$__pv_py ;; esac
	PKGVET_HOOK_SHELL=@SHELL@ PKGVET_PIP_PYTHON=$__pv_py @SHIMS@/pip "$@"
}
