#!/bin/sh
# deps.sh - install the Debian packages headroom needs to build, test and
# demo, and nothing else.  It asks dpkg which of the packages below are
# missing and installs only those with apt-get (as root, or through sudo).
# On a system without apt-get/dpkg it installs nothing and prints the
# list, so you can map it to your distribution's names.
#
# usage: tools/deps.sh [build|test|all]     (default: all)
set -eu

BUILD_PKGS="gcc make pkg-config libc6-dev libmosquitto-dev libmbedtls-dev libcbor-dev libinih-dev"
TEST_PKGS="libcmocka-dev python3 python3-cbor2 mosquitto mosquitto-clients openssl valgrind clang libclang-rt-14-dev"

case "${1:-all}" in
build) want="$BUILD_PKGS" ;;
test|all) want="$BUILD_PKGS $TEST_PKGS" ;;
*) echo "usage: $0 [build|test|all]" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: not a Debian-like system; please install the equivalents of:" >&2
	echo "  $want" >&2
	exit 0
fi

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	exit 0
fi

echo "deps: installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps: not root and no sudo; please run as root: apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# The package lists may be absent on a fresh machine: update once.
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
