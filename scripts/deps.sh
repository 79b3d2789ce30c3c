#!/usr/bin/env bash
# scripts/deps.sh - installs the Debian packages fleetsim needs, if any is missing.
# Runs apt-get only when something is absent (needs root or sudo then).
set -euo pipefail
pkgs=(build-essential meson ninja-build pkg-config python3 libgsl-dev libyaml-dev clang libclang-rt-dev python3-jsonschema python3-yaml
      libopenmpi-dev openmpi-bin)  # the last two: the -Dmpi=enabled build scripts/test.sh makes
pkgs+=(chromium) # tests/test_html.sh renders report.html headless
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
