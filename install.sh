#!/usr/bin/env bash
# install.sh - set up everything pkgvet needs, build it and install it.
#
#   ./install.sh                 install to /usr/local (root) or ~/.local (others), then
#                                print the line for your shell's rc file
#   ./install.sh --shell         ... and add that line to your rc file ($SHELL: ~/.bashrc,
#                                ~/.zshrc or ~/.config/fish/config.fish) between marker lines
#   ./install.sh --shell=zsh     the same for a named shell (bash, zsh or fish)
#   ./install.sh --system        managed laptops (root): install to /usr/local, put the shims
#                                on every user's PATH (/etc/profile.d/pkgvet.sh,
#                                /etc/zsh/zprofile, /etc/fish/conf.d/pkgvet.fish) and write
#                                an /etc/pkgvet/policy.ini template (an existing one is kept)
#   ./install.sh --uninstall     remove everything install.sh added (with the same --prefix,
#                                --system, --root): files, the rc block, empty directories;
#                                your cache, config, approvals and an edited policy.ini stay
#
#   --prefix DIR                 install under DIR
#   --root DIR                   put every system path (the prefix, /etc/...) under DIR, as
#                                DESTDIR does (DIR must exist; not with --shell)
#   --build-dir DIR              build directory (default ./build)
#   --no-build                   no system packages, no configure, no build: install from the
#                                build directory as it is (or keep the existing install when
#                                there is no build), e.g. ./install.sh --no-build --shell
#   --no-deps                    do not install system packages (they must be present)
#
# Idempotent: running it again only does what is missing or changed. What it
# installs is listed in PREFIX/share/pkgvet/install-manifest.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build_dir="$here/build"
prefix=""
root=""
deps=1
build=1
shell_name=""
do_shell=0
system=0
uninstall=0
build_type=RelWithDebInfo
mark_begin='# >>> pkgvet >>>'
mark_end='# <<< pkgvet <<<'

usage() { awk 'NR == 1 { next } !/^#/ { exit } { sub(/^# ?/, ""); print }' "$0"; }
die() { echo "install.sh: $*" >&2; exit 1; }
bad_usage() { echo "install.sh: $* (try --help)" >&2; exit 2; }
need_arg() { [ "$2" -ge 2 ] || bad_usage "$1 needs a directory"; }

while [ $# -gt 0 ]; do
	case "$1" in
	--prefix) need_arg "$1" $#; prefix=$2; shift 2 ;;
	--prefix=*) prefix=${1#--prefix=}; shift ;;
	--root) need_arg "$1" $#; root=$2; shift 2 ;;
	--root=*) root=${1#--root=}; shift ;;
	--build-dir) need_arg "$1" $#; build_dir=$2; shift 2 ;;
	--build-dir=*) build_dir=${1#--build-dir=}; shift ;;
	--no-deps) deps=0; shift ;;
	--no-build) build=0; shift ;;
	--shell) do_shell=1; shift ;;
	--shell=*) do_shell=1; shell_name=${1#--shell=}; shift ;;
	--system) system=1; shift ;;
	--uninstall) uninstall=1; shift ;;
	-h|--help) usage; exit 0 ;;
	*) bad_usage "unknown option '$1'" ;;
	esac
done

# ---------------------------------------------------------------- where
[ -n "${HOME:-}" ] || HOME=$(getent passwd "$(id -u)" | cut -d: -f6)
[ -n "$HOME" ] || die "HOME is not set"
case "$shell_name" in ""|bash|zsh|fish) ;; *) bad_usage "--shell: '$shell_name' is not bash, zsh or fish" ;; esac
[ -z "$prefix" ] || [ "${prefix#/}" != "$prefix" ] || prefix="$PWD/$prefix"
[ -z "$prefix" ] || [ "$prefix" = / ] || prefix=${prefix%/}
if [ -n "$root" ]; then
	[ -d "$root" ] || bad_usage "--root $root: not an existing directory"
	root=$(cd "$root" && pwd)
	[ "$root" != / ] || root=""
	[ "$do_shell" -eq 0 ] || bad_usage "--shell edits your own rc file: it cannot be combined with --root"
fi
[ "$uninstall" -eq 0 ] || [ "$do_shell" -eq 0 ] || bad_usage "--uninstall removes the rc block itself: drop --shell"
if [ "$system" -eq 1 ] && [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then
	die "--system writes to /etc and /usr/local: run it as root (or with --root DIR)"
fi
prefix_given=$prefix
if [ -z "$prefix" ]; then
	if [ "$system" -eq 1 ] || [ -n "$root" ] || [ "$(id -u)" -eq 0 ]; then prefix=/usr/local; else prefix="$HOME/.local"; fi
fi
case "$prefix$root${HOME:-}" in *$'\n'*|*$'\t'*) die "paths with tabs or newlines are not supported" ;; esac
dest="$root$prefix"                       # where the prefix really is on this machine
manifest="$dest/share/pkgvet/install-manifest"

# Root, or the owner of the prefix, writes without sudo; others get sudo for
# the prefix only (never for rc files in $HOME).
sudo_cmd=()
if [ "$(id -u)" -ne 0 ] && [ -z "$root" ]; then
	probe=$dest
	while [ ! -e "$probe" ]; do probe=$(dirname "$probe"); done
	if [ ! -w "$probe" ]; then
		command -v sudo >/dev/null || die "$dest is not writable and there is no sudo"
		sudo_cmd=(sudo)
	fi
fi
as_owner() { "${sudo_cmd[@]}" "$@"; }

tmp_paths=()
cleanup() { [ ${#tmp_paths[@]} -eq 0 ] || rm -rf -- "${tmp_paths[@]}"; }
trap cleanup EXIT

# ---------------------------------------------------------------- the manifest
# One entry a line, fields separated by tabs, paths as they are on this
# machine (--root included):
#   file PATH                  a file or link install.sh put there
#   dir PATH                   a directory install.sh created (removed when empty)
#   rc PATH created|existed nl|-   a marker block in a shell startup file; nl: a
#                              newline was added before it (the file did not end in one)
#   policy PATH SHA256         the policy.ini template as written (kept once edited)
mf=()
if [ -f "$manifest" ]; then
	while IFS= read -r l; do case "$l" in ''|'#'*) ;; *) mf+=("$l") ;; esac; done <"$manifest"
fi
mf_get() {  # TYPE PATH -> the entry's line, or nothing
	local l
	for l in ${mf[@]+"${mf[@]}"}; do
		case "$l" in "$1"$'\t'"$2"|"$1"$'\t'"$2"$'\t'*) printf '%s\n' "$l"; return ;; esac
	done
}
mf_add() {  # TYPE PATH [FIELD...]: add or replace the entry
	local key="$1"$'\t'"$2" line i
	line=$(IFS=$'\t'; printf '%s' "$*")
	for i in "${!mf[@]}"; do
		case "${mf[i]}" in "$key"|"$key"$'\t'*) mf[i]=$line; return ;; esac
	done
	mf+=("$line")
}
mf_save() {
	local t
	t=$(mktemp); tmp_paths+=("$t")
	{
		echo "# pkgvet install manifest: what install.sh added; ./install.sh --uninstall removes it."
		printf '%s\n' ${mf[@]+"${mf[@]}"} | sort -u
	} >"$t"
	chmod 644 "$t"
	as_owner mkdir -p "$(dirname "$manifest")"
	as_owner cp "$t" "$manifest.new"
	as_owner mv -f "$manifest.new" "$manifest"
}
make_dirs() {  # DIR: create it and its missing parents, recording each (never with sudo)
	local d=$1 missing=()
	while [ ! -e "$d" ]; do missing+=("$d"); d=$(dirname "$d"); done
	[ ${#missing[@]} -eq 0 ] && return
	mkdir -p "$1"
	for d in "${missing[@]}"; do mf_add dir "$d"; done
}

# ---------------------------------------------------------------- files, byte for byte
# Write stdin to FILE through a temporary file in the same directory and a
# rename: never a partial file. An existing file keeps its mode; a new one
# gets the umask's. Unchanged content is not rewritten.
write_file() {
	local f=$1 t
	t=$(mktemp "$(dirname "$f")/.$(basename "$f").pkgvet.XXXXXX") || die "cannot write in $(dirname "$f")"
	tmp_paths+=("$t")
	cat >"$t"
	if [ -e "$f" ]; then
		if cmp -s "$t" "$f"; then rm -f "$t"; return; fi
		chmod --reference="$f" "$t"
		[ "$(id -u)" -ne 0 ] || chown --reference="$f" "$t"
	else
		chmod "$(printf '%o' $((0666 & ~$(umask))))" "$t"
	fi
	mv -f "$t" "$f"
}
ends_in_newline() { [ "$(tail -c 1 "$1" | wc -l)" -eq 1 ]; }

# The marker block of FILE: sets blk_start and blk_end (line numbers, 0 when
# there is none); a broken or repeated block is an error.
find_block() {
	local s e
	s=$(grep -nxF -- "$mark_begin" "$1" | cut -d: -f1 || true)
	e=$(grep -nxF -- "$mark_end" "$1" | cut -d: -f1 || true)
	blk_start=0 blk_end=0
	[ -z "$s$e" ] && return
	case "$s$e" in *$'\n'*) die "$1 has more than one pkgvet block: remove the extra ones by hand" ;; esac
	[ -n "$s" ] && [ -n "$e" ] && [ "$s" -lt "$e" ] \
		|| die "$1 has a broken pkgvet block (check the '$mark_begin' / '$mark_end' lines)"
	blk_start=$s blk_end=$e
}

# Put BLOCK (text ending in a newline) into rc file FILE: replace its block in
# place, or append one (creating the file and its directory when absent).
# Records the file in the manifest; sets rc_result to added|updated|unchanged.
rc_put() {
	local f=$1 block=$2 real created=existed nl=- old
	real=$(readlink -m -- "$f")       # a dotfiles link: edit what it points to
	old=$(mf_get rc "$f")
	if [ -n "$old" ]; then
		created=$(printf '%s' "$old" | cut -f3); nl=$(printf '%s' "$old" | cut -f4)
	fi
	if [ ! -e "$real" ]; then
		make_dirs "$(dirname "$real")"
		printf '%s' "$block" | write_file "$real"
		mf_add rc "$f" created -
		rc_result=added
		return
	fi
	[ -f "$real" ] || die "$f is not a regular file"
	find_block "$real"
	if [ "$blk_start" -gt 0 ]; then
		[ -n "$old" ] || mf_add rc "$f" existed -
		if { head -n "$((blk_start - 1))" "$real"; printf '%s' "$block"; tail -n "+$((blk_end + 1))" "$real"; } \
			| cmp -s - "$real"; then
			rc_result=unchanged
		else
			{ head -n "$((blk_start - 1))" "$real"; printf '%s' "$block"; tail -n "+$((blk_end + 1))" "$real"; } \
				| write_file "$real"
			rc_result=updated
		fi
		return
	fi
	if [ -s "$real" ] && ! ends_in_newline "$real"; then nl="nl"; fi
	{ cat "$real"; [ "$nl" != nl ] || printf '\n'; printf '%s' "$block"; } | write_file "$real"
	mf_add rc "$f" "$created" "$nl"
	rc_result=added
}

# Take the block out of FILE again, restoring it byte for byte (the newline
# added before the block goes too); a file install.sh created and that holds
# nothing else is removed.
rc_remove() {
	local f=$1 created=$2 nl=$3 real t
	real=$(readlink -m -- "$f")
	if [ ! -f "$real" ]; then echo "  $f: gone already"; return; fi
	find_block "$real"
	if [ "$blk_start" -eq 0 ]; then echo "  $f: no pkgvet block (removed already)"; return; fi
	t=$(mktemp); tmp_paths+=("$t")
	{
		if [ "$nl" = nl ] && [ -z "$(tail -n "+$((blk_end + 1))" "$real" | head -c 1)" ]; then
			head -n "$((blk_start - 1))" "$real" | head -c -1
		else
			head -n "$((blk_start - 1))" "$real"
		fi
		tail -n "+$((blk_end + 1))" "$real"
	} >"$t"
	if [ "$created" = created ] && [ ! -s "$t" ]; then
		rm -f -- "$real"
		echo "  $f: removed (install.sh had created it)"
	else
		write_file "$real" <"$t"
		echo "  $f: pkgvet block removed"
	fi
}

# ---------------------------------------------------------------- quoting
dq() {  # for inside "..." in sh, bash and zsh
	local s=$1
	s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//\$/\\\$}; s=${s//\`/\\\`}
	printf '%s' "$s"
}
fq() {  # for inside "..." in fish
	local s=$1
	s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//\$/\\\$}
	printf '%s' "$s"
}
sq() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# ---------------------------------------------------------------- uninstall
if [ "$uninstall" -eq 1 ]; then
	[ -f "$manifest" ] || die "no install manifest at $manifest: nothing install.sh installed there (wrong --prefix or --root?)"
	echo "==> uninstalling what install.sh added under $dest"
	dirs=()
	for l in "${mf[@]}"; do
		IFS=$'\t' read -r type path f3 f4 <<<"$l"
		case "$type" in
		rc) rc_remove "$path" "$f3" "$f4" ;;
		file) if [ -L "$path" ] || [ -f "$path" ]; then as_owner rm -f -- "$path"; fi ;;
		policy)
			if [ -f "$path" ] && [ "$(sha256sum <"$path" | cut -d' ' -f1)" = "$f3" ]; then
				as_owner rm -f -- "$path"
			elif [ -e "$path" ]; then
				echo "  kept $path: it was edited after install.sh wrote it (the organisation's policy now)"
			fi ;;
		dir) dirs+=("$path") ;;
		*) echo "  $manifest: unknown entry '$type' ignored" ;;
		esac
	done
	as_owner rm -f -- "$manifest"
	# Deepest first; a directory that holds anything else stays.
	if [ ${#dirs[@]} -gt 0 ]; then
		while IFS= read -r d; do
			[ -d "$d" ] && [ ! -L "$d" ] || continue
			if [ -z "$(ls -A -- "$d")" ]; then as_owner rmdir -- "$d"; else echo "  kept $d: it holds more than pkgvet's files"; fi
		done < <(printf '%s\n' "${dirs[@]}" | awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2-)
	fi
	echo "pkgvet uninstalled from $dest (your cache, config and approvals stay)"
	exit 0
fi

# ---------------------------------------------------------------- which shell
if [ -z "$shell_name" ]; then
	case "$(basename "${SHELL:-}")" in bash|zsh|fish) shell_name=$(basename "$SHELL") ;; esac
fi
[ -n "$shell_name" ] || [ "$do_shell" -eq 0 ] \
	|| die "cannot tell your shell from SHELL='${SHELL:-}': name it, e.g. --shell=bash (bash, zsh or fish)"

# ---------------------------------------------------------------- build
if [ "$build" -eq 1 ]; then
	# Debian packages: build tools, the libraries pkgvet links, and what the
	# tests drive (python3 runs the test scripts; the pip shim's tests make
	# virtual environments with pip in them; the npm shim's tests use the
	# machine's node and npm, and skip without them; the shell hooks' tests
	# run real bash, zsh and fish).
	packages=(build-essential cmake pkg-config ca-certificates
	          libcurl4-openssl-dev libjson-c-dev libarchive-dev libtree-sitter-dev
	          libinih-dev libsqlite3-dev libssl-dev python3 python3-venv python3-pip
	          zsh fish)
	missing=()
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		[ "$deps" -eq 1 ] || die "missing system packages: ${missing[*]}"
		apt_sudo=()
		if [ "$(id -u)" -ne 0 ]; then
			command -v sudo >/dev/null || die "need root (or sudo) to install: ${missing[*]}"
			apt_sudo=(sudo)
		fi
		echo "==> installing system packages: ${missing[*]}"
		"${apt_sudo[@]}" apt-get update -qq
		DEBIAN_FRONTEND=noninteractive "${apt_sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	fi
	echo "==> configuring (build directory: $build_dir)"
	cmake -S "$here" -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
	echo "==> building"
	cmake --build "$build_dir" -j "$(nproc)" >/dev/null
fi

# ---------------------------------------------------------------- install
# What is installed (and /etc's files) must be readable by every user, whatever
# the umask of the one installing; rc files get the person's own umask back.
user_umask=$(umask)
umask 022
if [ -f "$build_dir/cmake_install.cmake" ]; then
	echo "==> installing to $dest"
	# A staging install first says what will be installed, so the manifest
	# names every file and exactly the directories that did not exist before.
	stage=$(mktemp -d); tmp_paths+=("$stage")
	DESTDIR="$stage" cmake --install "$build_dir" --prefix "$prefix" >/dev/null
	while IFS= read -r -d '' p; do
		p=${p#.}
		if [ -d "$stage$p" ] && [ ! -L "$stage$p" ]; then
			[ -e "$root$p" ] || mf_add dir "$root$p"
		else
			mf_add file "$root$p"
		fi
	done < <(cd "$stage" && find . -mindepth 1 -print0)
	mf_save                               # first: an install that stops half way can be uninstalled
	as_owner env DESTDIR="$root" cmake --install "$build_dir" --prefix "$prefix" >/dev/null
elif [ "$build" -eq 0 ] && [ -x "$dest/bin/pkgvet" ]; then
	echo "==> no build in $build_dir: using the existing install in $dest"
else
	die "no build in $build_dir to install from (drop --no-build, or build first)"
fi

bin="$prefix/bin/pkgvet"                 # as the installed system sees it
shims=$(cd "$dest" && find lib* -maxdepth 3 -type d -path '*/pkgvet/shims' 2>/dev/null | head -n 1 || true)
[ -n "$shims" ] || die "$dest has no pkgvet shims directory (lib/pkgvet/shims): reinstall without --no-build"
shims="$prefix/$shims"

# ---------------------------------------------------------------- system-wide (--system)
if [ "$system" -eq 1 ]; then
	echo "==> system-wide shell setup"
	profile_d="$root/etc/profile.d/pkgvet.sh"
	make_dirs "$(dirname "$profile_d")"
	write_file "$profile_d" <<EOF
# /etc/profile.d/pkgvet.sh - written by pkgvet's install.sh --system (--uninstall removes it).
# Puts pkgvet's shims (npm, npx, pip, pip3) first on PATH, so that installs are vetted.
case ":\${PATH:-}:" in
$(sq ":$shims:")*) ;;
*) PATH=$(sq "$shims")"\${PATH:+:\$PATH}"; export PATH ;;
esac
EOF
	mf_add file "$profile_d"
	fish_d="$root/etc/fish/conf.d/pkgvet.fish"
	make_dirs "$(dirname "$fish_d")"
	write_file "$fish_d" <<EOF
# written by pkgvet's install.sh --system (--uninstall removes it): pkgvet's
# shims (npm, npx, pip, pip3) first on PATH, so that installs are vetted.
if not contains -- "$(fq "$shims")" \$PATH[1]
    set -gx PATH "$(fq "$shims")" \$PATH
end
EOF
	mf_add file "$fish_d"
	# Debian's zsh reads neither /etc/profile nor /etc/profile.d: its login
	# shells get the snippet from /etc/zsh/zprofile (only where zsh is there).
	if [ -d "$root/etc/zsh" ]; then
		rc_put "$root/etc/zsh/zprofile" "$mark_begin
# added by pkgvet's install.sh --system (--uninstall removes it)
emulate sh -c '. /etc/profile.d/pkgvet.sh'
$mark_end
"
		zsh_note="/etc/zsh/zprofile (zsh; block $rc_result)"
	else
		zsh_note="no /etc/zsh: zsh is not installed (run --system again after installing it)"
	fi
	mf_save
	policy="$root/etc/pkgvet/policy.ini"
	if [ -e "$policy" ] || [ -L "$policy" ]; then
		if [ -n "$(mf_get policy "$policy")" ]; then
			policy_note="$policy: kept (the template written earlier, or the organisation's edit of it)"
		else
			policy_note="$policy: kept (the organisation's own file; no template written)"
		fi
	else
		make_dirs "$(dirname "$policy")"
		t=$(mktemp); tmp_paths+=("$t")
		cp "$here/policy/org-template.ini" "$t"
		"$dest/bin/pkgvet" policy check --org "$t" >/dev/null || die "the policy template does not pass 'pkgvet policy check --org'"
		write_file "$policy" <"$t"
		mf_add policy "$policy" "$(sha256sum <"$t" | cut -d' ' -f1)"
		policy_note="$policy: template written (edit it; check it with: pkgvet policy check --org $policy)"
	fi
	mf_save
fi

# ---------------------------------------------------------------- the rc line (--shell)
umask "$user_umask"
case "${shell_name:-bash}" in
bash) rc_file="$HOME/.bashrc"
      rc_line="export PATH=\"$(dq "$shims"):\$PATH\"; eval \"\$(\"$(dq "$bin")\" init bash)\"" ;;
zsh)  rc_file="${ZDOTDIR:-$HOME}/.zshrc"
      rc_line="export PATH=\"$(dq "$shims"):\$PATH\"; eval \"\$(\"$(dq "$bin")\" init zsh)\"" ;;
fish) cfg=${XDG_CONFIG_HOME:-$HOME/.config}
      [ "${cfg#/}" != "$cfg" ] || cfg="$HOME/.config"
      rc_file="$cfg/fish/config.fish"
      rc_line="set -gx PATH \"$(fq "$shims")\" \$PATH; \"$(fq "$bin")\" init fish | source" ;;
esac
if [ "$do_shell" -eq 1 ]; then
	rc_put "$rc_file" "$mark_begin
# added by pkgvet's install.sh (--uninstall removes it): npm and pip installs are vetted
$rc_line
$mark_end
"
	mf_save
fi

# ---------------------------------------------------------------- what now
self_cmd() {  # this script with OPTIONS and the options that chose this install
	local c="./install.sh $*"
	[ "$system" -eq 0 ] || c+=" --system"
	[ -z "$root" ] || c+=" --root $(printf '%q' "$root")"
	[ -z "$prefix_given" ] || c+=" --prefix $(printf '%q' "$prefix")"
	[ "$build_dir" = "$here/build" ] || [ "$*" = --uninstall ] || c+=" --build-dir $(printf '%q' "$build_dir")"
	printf '%s' "$c"
}
echo
echo "pkgvet $("$dest/bin/pkgvet" version | cut -d' ' -f2) installed: $dest/bin/pkgvet"
echo "shims (npm, npx, pip, pip3): $root$shims"
if [ "$system" -eq 1 ]; then
	echo "every user's login shell gets the shims first on PATH:"
	echo "  /etc/profile.d/pkgvet.sh (sh, bash), /etc/fish/conf.d/pkgvet.fish (fish), $zsh_note"
	echo "organisation policy: $policy_note"
fi
case ":$PATH:" in
*":$prefix/bin:"*) ;;
*) [ -n "$root" ] || echo "note: $prefix/bin is not on your PATH; add it, e.g.: export PATH=\"$(dq "$prefix/bin"):\$PATH\"" ;;
esac
echo
if [ "$do_shell" -eq 1 ]; then
	case "$rc_result" in
	unchanged) echo "$rc_file already has the pkgvet block:" ;;
	*) echo "pkgvet block $rc_result in $rc_file (open a new shell, or run the line below):" ;;
	esac
	echo "  $rc_line"
else
	if [ -z "$shell_name" ]; then
		echo "your shell (SHELL=${SHELL:-unset}) is not one pkgvet hooks into (bash, zsh, fish); for bash, add this line to $rc_file:"
	else
		if [ -n "$root" ]; then echo "on the installed system, add this line to each user's $rc_file:"
		else echo "add this line to $rc_file (or let $(self_cmd --no-build --shell) add it):"; fi
	fi
	echo "  $rc_line"
fi
echo
echo "next:"
[ "$build" -eq 0 ] || echo "  ctest --test-dir $(realpath --relative-to="$PWD" "$build_dir" 2>/dev/null || echo "$build_dir") --output-on-failure -j2   # run the tests"
echo "  pkgvet audit ./some-package.tgz     # vet a package"
echo "  pkgvet explain                      # the attribute catalogue"
echo "  $(self_cmd --uninstall)   # remove it all again"
