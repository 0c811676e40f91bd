#!/usr/bin/env bash
# Checks the package CPack builds on a clean Debian 12: makes a minimal bookworm root with
# debootstrap (from Debian's archive), installs the .deb there with apt (which pulls in its
# dependencies), and runs `radapter-studio --version`, `radapter --version`, `radapter info --system`
# (which runs in radapter-engine), its bash completion and the Studio itself offscreen for a few
# seconds. With --demo it then installs the package's Recommends (the demo's data sources) and runs
# a 5-step `radapter demo` from the installed files. Needs root and debootstrap.
#   packaging/check-deb.sh [--demo] build/release/radapter-studio_*.deb [ROOT_DIR]
set -euo pipefail
demo=0
if [ "${1:-}" = "--demo" ]; then demo=1; shift; fi
deb=$(readlink -f "${1:?usage: packaging/check-deb.sh [--demo] PACKAGE.deb [ROOT_DIR]}")
root=${2:-/tmp/radapter-deb-check}
mirror=http://deb.debian.org/debian
if [ ! -x "$root/usr/bin/apt-get" ]; then
    echo "check-deb: making a clean Debian 12 root in $root"
    debootstrap --variant=minbase bookworm "$root" "$mirror" > "$root.debootstrap.log" 2>&1 \
        || { tail -20 "$root.debootstrap.log"; exit 1; }
fi
cp "$deb" "$root/tmp/"
run() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root DEBIAN_FRONTEND=noninteractive "$@"; }
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
trap 'umount "$root/proc" 2>/dev/null || true' EXIT
run apt-get update -q
run apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")"
echo "check-deb: installed; dependencies resolved by apt"
run radapter-studio --version
run radapter --version
# radapter runs the computing commands in radapter-engine (app/cli/engine.h): it must be installed too.
run radapter info --system >/dev/null
echo "check-deb: radapter info --system ran (radapter-engine)"
# Tab completion where bash-completion looks for it, answering from the installed radapter.
run bash -c '. /usr/share/bash-completion/completions/radapter && COMP_LINE="radapter export --layout " &&
    COMP_POINT=${#COMP_LINE} && _radapter && [ "${COMPREPLY[*]}" = "openai hf" ]'
echo "check-deb: bash completion installed and answering"
# The Studio must start: offscreen, it opens its window and keeps running until timeout stops it.
set +e
run timeout 10 env QT_QPA_PLATFORM=offscreen radapter-studio
rc=$?
set -e
if [ $rc -ne 124 ]; then echo "check-deb: radapter-studio exited with $rc instead of running"; exit 1; fi
echo "check-deb: radapter-studio started and ran until stopped (10 s)"

if [ $demo -eq 1 ]; then
    # shellcheck disable=SC2046 # one word per package
    run apt-get install -y -q --no-install-recommends $(dpkg-deb -f "$deb" Recommends | tr -d ',')
    run radapter --threads 2 demo --steps 5
    echo "check-deb: the installed demo ran"
fi
