#!/bin/sh
# Install, with apt-get, whatever the build, run and test targets need and
# this machine lacks.  Says what it installs; does nothing when all is there.
# Runs apt-get directly as root, through sudo otherwise.
set -e

need=""
have_cmd() { command -v "$1" >/dev/null 2>&1; }
want() {	# want <command-or-path> <debian-package>
	case "$1" in
	/*) [ -e "$1" ] || need="$need $2" ;;
	*) have_cmd "$1" || need="$need $2" ;;
	esac
}

want i686-linux-gnu-gcc		gcc-i686-linux-gnu
want i686-linux-gnu-ld		binutils-i686-linux-gnu
want qemu-system-i386		qemu-system-x86
want grub-mkrescue		grub-common
want /usr/lib/grub/i386-pc	grub-pc-bin
want xorriso			xorriso
want mformat			mtools
want gdb			gdb
want python3			python3
want make			make
want gcc			gcc
want prove			perl

[ -z "$need" ] && exit 0

echo "deps.sh: installing:$need"
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $need
