# pkgvet shell hooks for fish, printed by `pkgvet init fish` (hooks/pkgvet.fish).
# npm, npx, pip, pip3 and `python -m pip` go through pkgvet's shims even after
# a virtualenv's activate.fish has put its bin first on PATH: functions win
# over PATH. Sourcing this again only redefines the same functions.
function npm; PKGVET_HOOK_SHELL=fish @SHIMS@/npm $argv; end
function npx; PKGVET_HOOK_SHELL=fish @SHIMS@/npx $argv; end
function pip; PKGVET_HOOK_SHELL=fish @SHIMS@/pip $argv; end
function pip3; PKGVET_HOOK_SHELL=fish @SHIMS@/pip3 $argv; end
function pkgvet; PKGVET_HOOK_SHELL=fish @PKGVET@ $argv; end
function python; __pkgvet_python python $argv; end
function python3; __pkgvet_python python3 $argv; end
# __pkgvet_python NAME ARGS...: `NAME -m pip ARGS` (or -mpip) becomes the pip
# shim told which python would have run (the venv's, say) in
# PKGVET_PIP_PYTHON; anything else runs that python untouched.
function __pkgvet_python
	set -l name $argv[1]
	set -e argv[1]
	if test (count $argv) -ge 2; and test "$argv[1]" = -m; and test "$argv[2]" = pip
		set -e argv[1..2]
	else if test (count $argv) -ge 1; and test "$argv[1]" = -mpip
		set -e argv[1]
	else
		command $name $argv
		return
	end
	# The file PATH would run (not this function).
	set -l py (command -s $name)
	if test -z "$py"
		command $name -m pip $argv
		return
	end
	string match -q '/*' -- $py; or set py $PWD/$py
	PKGVET_HOOK_SHELL=fish PKGVET_PIP_PYTHON=$py @SHIMS@/pip $argv
end
