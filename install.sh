#!/usr/bin/env bash
# install.sh - set up everything pkgvet needs, build it and install it.
#
#   ./install.sh                 install to /usr/local (root) or ~/.local (others)
#   ./install.sh --prefix DIR    install under DIR
#   ./install.sh --no-deps       do not install system packages (they must be present)
#
# Idempotent: running it again only does what is missing or changed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build_dir="$here/build"
prefix=""
deps=1
build_type=RelWithDebInfo

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
	case "$1" in
	--prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a directory" >&2; exit 2; }
	          prefix=$2; shift 2 ;;
	--prefix=*) prefix=${1#--prefix=}; shift ;;
	--build-dir) [ $# -ge 2 ] || { echo "install.sh: --build-dir needs a directory" >&2; exit 2; }
	             build_dir=$2; shift 2 ;;
	--no-deps) deps=0; shift ;;
	-h|--help) usage; exit 0 ;;
	*) echo "install.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
	esac
done

if [ -z "$prefix" ]; then
	if [ "$(id -u)" -eq 0 ]; then prefix=/usr/local; else prefix="$HOME/.local"; fi
fi

# Debian packages: build tools, the libraries pkgvet links, and what the
# tests drive (python3 runs the test scripts; the pip shim's tests make
# virtual environments with pip in them; the npm shim's tests use the
# machine's node and npm, and skip without them).
packages=(build-essential cmake pkg-config ca-certificates
          libcurl4-openssl-dev libjson-c-dev libarchive-dev libtree-sitter-dev
          libinih-dev libsqlite3-dev libssl-dev python3 python3-venv python3-pip)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$deps" -eq 0 ]; then
		echo "install.sh: missing system packages: ${missing[*]}" >&2
		exit 1
	fi
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null || { echo "install.sh: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
		sudo=sudo
	fi
	echo "==> installing system packages: ${missing[*]}"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "==> configuring (build directory: $build_dir)"
cmake -S "$here" -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
echo "==> building"
cmake --build "$build_dir" -j "$(nproc)" >/dev/null
echo "==> installing to $prefix"
if [ -w "$prefix" ] || { [ ! -e "$prefix" ] && mkdir -p "$prefix" 2>/dev/null; }; then
	cmake --install "$build_dir" --prefix "$prefix" >/dev/null
else
	sudo cmake --install "$build_dir" --prefix "$prefix" >/dev/null
fi

bin="$prefix/bin/pkgvet"
echo
echo "pkgvet $("$bin" version | cut -d' ' -f2) installed: $bin"
case ":$PATH:" in
*":$prefix/bin:"*) ;;
*) echo "note: $prefix/bin is not on your PATH; add it, e.g.: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
echo
echo "next:"
echo "  ctest --test-dir $(realpath --relative-to="$PWD" "$build_dir" 2>/dev/null || echo "$build_dir") --output-on-failure -j2   # run the tests"
echo "  pkgvet audit ./some-package.tgz                          # vet a package"
echo "  pkgvet explain                                           # the attribute catalogue"
