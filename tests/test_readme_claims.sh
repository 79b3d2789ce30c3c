#!/usr/bin/env bash
# tests/test_readme_claims.sh FLEETSIM SOURCE_ROOT - what README.md, docs/ and the shipped
# scenarios' comments say about a run is what the run does (TAP) (issue 9 point 1):
# the README's example scenario, its demo command, flash-crowd.yaml's promise, and every
# `fleetsim run scenarios/...` command line in README.md and docs/*.md.
set -u
bin=$1 root=$2
. "$root/tests/tap.sh"
py() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); $2" "$1"; }

# The README's example scenario (the first ```yaml block): its comments say 75% CPU, and the SLO.
python3 -c 'import sys; s=open(sys.argv[1]).read(); a=s.index("```yaml\n")+8; print(s[a:s.index("```",a)], end="")' \
    "$root/README.md" > "$tmp/readme.yaml"
grep -q "rps: 150}.*75% CPU" "$tmp/readme.yaml"; check $? "README example: it claims 150 rps at 75% CPU"
"$bin" run "$tmp/readme.yaml" --quiet --set duration=20m --out "$tmp/ex" 2>/dev/null
py "$tmp/ex/report.json" '
s = r["summary"]; print("# cpu %.3f, errors %d of %d, slo met %s" % (s["cpu_utilisation"], s["errors"], s["completed"], s["slo"]["met"]))
sys.exit(0 if 0.70 <= s["cpu_utilisation"] <= 0.80 and s["errors"] <= 0.001 * s["completed"] and s["slo"]["met"] else 1)'
check $? "README example: 70-80% CPU, (almost) no failed request, the SLO met"

# The README's demo command: "runs the same fleet under twice the default traffic ... a third of the requests are refused (502)".
demo=$(tr '\n' ' ' < "$root/README.md" | grep -o 'bash scripts/demo.sh [^`]*` runs the same fleet under twice the default traffic' | head -1)
[ -n "$demo" ]; check $? "README: the demo command says twice the default traffic"
args=$(printf '%s' "$demo" | sed 's/^bash scripts\/demo.sh \([^`]*\)`.*/\1/')
"$bin" run --quiet --set duration=10m --out "$tmp/base" 2>/dev/null
# shellcheck disable=SC2086 # the README's words are the arguments
"$bin" run $args --quiet --set duration=10m --out "$tmp/demo" 2>/dev/null
python3 - "$tmp/base/report.json" "$tmp/demo/report.json" <<'PY'
import json, sys
b, d = (json.load(open(p)) for p in sys.argv[1:])
ratio = d["summary"]["arrivals"] / b["summary"]["arrivals"]
refused = d["errors"]["502_reset"] / d["summary"]["completed"]
print(f"# arrivals x{ratio:.3f}, 502 share {refused:.3f}, findings {len(d['findings'])}, slo met {d['summary']['slo']['met']}")
sys.exit(0 if 1.9 <= ratio <= 2.1 and 0.28 <= refused <= 0.38 and len(d["findings"]) == 1 and d["summary"]["slo"]["met"] is False else 1)
PY
check $? "README demo: twice the default arrivals, a third refused (502), the overload reported, the SLO missed"

# flash-crowd.yaml: "refuses the rest, which the ALB answers 502 (about a tenth of the run's requests) ... (no 460)".
grep -q "answers 502 (about a tenth" "$root/scenarios/flash-crowd.yaml" && grep -q "(no 460)" "$root/scenarios/flash-crowd.yaml"
check $? "flash-crowd.yaml: its comment makes the claims checked below"
"$bin" run "$root/scenarios/flash-crowd.yaml" --quiet --out "$tmp/fc" 2>/dev/null
py "$tmp/fc/report.json" '
e = r["errors"]; done = r["summary"]["completed"]
spike = [w for w in r["windows"] if w["by_cause"]["502_reset"] > 0]
print("# 502 share %.3f, 460 %d, windows with 502s %s" % (e["502_reset"] / done, e["460_client_timeout"], [w["start_s"] for w in spike]))
sys.exit(0 if 0.07 <= e["502_reset"] / done <= 0.15 and e["460_client_timeout"] == 0 and spike and all(1800 <= w["start_s"] < 2700 for w in spike) else 1)'
check $? "flash-crowd: about a tenth of the requests refused (502) at the start of the spike, none gave up (460)"

# Every `fleetsim run scenarios/...` command line in README.md and docs/*.md runs (exit 0).
grep -ho '^\(build/\)\?fleetsim run scenarios/[^ `]*\.yaml[^`]*' "$root/README.md" "$root"/docs/*.md | sort -u > "$tmp/cmds"
[ -s "$tmp/cmds" ]; check $? "README and docs have fleetsim run command lines"
while read -r cmd; do
    f=$(printf '%s' "$cmd" | sed 's/^\(build\/\)\?fleetsim run \([^ ]*\).*/\2/')
    (cd "$root" && "$bin" run "$f" --quiet --out "$tmp/cmd" >/dev/null 2>"$tmp/err"); rc=$?
    check $rc "docs command runs: $cmd"
done < "$tmp/cmds"

echo "1..$n"
exit $bad
