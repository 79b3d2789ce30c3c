#!/usr/bin/env bash
# scripts/report-example.sh - regenerates docs/report-example.png: report.html of
# scenarios/monitored-web-app.yaml (scaling, alarms, a fault) as headless Chromium draws it,
# 1280 px wide, the whole page.
#   bash scripts/report-example.sh [BUILD_DIR]     (default build/we)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/we}
chromium=$(command -v chromium || command -v chromium-browser) || { echo "chromium is not installed (scripts/deps.sh)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/fleetsim" run "$root/scenarios/monitored-web-app.yaml" --quiet --out "$tmp/out"
python3 "$root/tests/html_render.py" "$chromium" "$tmp/out/report.html" "$root/docs/report-example.png" >/dev/null
echo "wrote $root/docs/report-example.png"
