#!/usr/bin/env bash
# scripts/demo.sh - set up fleetsim and run the built-in default scenario (the
# first Quick start command). Extra arguments go to `fleetsim run`, e.g.
#   bash scripts/demo.sh --seed 7 --set workload.0.arrivals.rps=500
# The readable report goes to stdout; report.json, report.html, windows.csv,
# events.jsonl and infracost-usage.yml to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
if [ ! -f build/release/build.ninja ]; then
    meson setup build/release -Dbuildtype=release >/dev/null
fi
ninja -C build/release fleetsim >/dev/null
exec build/release/fleetsim run --out out "$@"
