#!/bin/bash
# bench/big.sh - whole scenarios a capacity planner would run (bench/scenarios/), timed:
# simulated requests per wall second, kernel events per second, wall ns per request,
# peak RSS and wall time, for each scenario and for its 10x-rate and 10x-fleet variants.
# Writes $OUT/BIG.md (tables, machine, exact commands, raw lines).
#
#   bash bench/big.sh                # full (~7 min on 2 idle cores)
#   REPS=3 bash bench/big.sh         # the growth slices 3 times, base and variants in turn: the
#                                    # ratios are taken rep by rep (the machine's speed drifts over
#                                    # minutes) and the median is reported
#   WHOLE=0 bash bench/big.sh        # only the growth slices and the RSS runs
#   QUICK=1 bash bench/big.sh        # smoke test (about a minute)
#   FULL_DAY=0 bash bench/big.sh     # without the 24-hour diurnal day (the longest run)
#   RSS=0 bash bench/big.sh          # without the 1e6 / 1e7 / 1e8-request RSS runs
#   CHECK_WITH=path/to/fleetsim bash bench/big.sh   # runs nothing: `fleetsim check`s every run's
#                                    # scenario and --set values, one TAP line each (tests/meson.build)
#
# The growth runs take a slice of each scenario (the same slice for the base and both
# variants), because a 10x variant of a whole day is 4e9 requests:
#   diurnal-1000  11:00-11:06 UTC (the plateau at 10,000 req/s, ~1,000 instances; the group
#                 starts at 1,000 so the slice is steady), 6 min
#   flash-500     6 min: the spike starts at 3 min and reaches its peak at 5
#   fleet-2000    6 min, the stress fault at 4 min and the termination fault at 5 min
#   x10-rate      10x the request rate, service time / 10: the same fleet does 10x the work
#   x10-fleet     10x the request rate and 10x every fleet size (min, max and scheduled sizes):
#                 the same per-instance load. Every size is 10x: fleet-2000 with 10,000 instances
#                 (its sizes were once capped there) runs at 100% CPU, and the queues, the
#                 timeouts and the memory they hold measure overload, not growth.
# Cost per request (ns_per_req) should stay within 1.5x of the base's.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${BENCH_OUT:-${TMPDIR:-/tmp}/fleetsim-big}"
FS_BUILD="${FS_BUILD:-$OUT/build-release}"
QUICK="${QUICK:-0}"
FULL_DAY="${FULL_DAY:-1}"
WHOLE="${WHOLE:-1}"
RSS="${RSS:-1}"
REPS="${REPS:-1}"
REP=1
TIME=/usr/bin/time
SC="$ROOT/bench/scenarios"

if [ -n "${CHECK_WITH:-}" ]; then
  # every command below, checked instead of run: the bench scenarios and their variants stay valid
  n_check=0; n_fail=0
  run_one() {
    local label=$1 file=$2; shift 2
    local sets=() a
    for a in "$@"; do sets+=(--set "$a"); done
    n_check=$((n_check + 1))
    if "$CHECK_WITH" check "$file" "${sets[@]}" > /dev/null 2> "${TMPDIR:-/tmp}/big-check.$$"; then
      echo "ok $n_check - $label: fleetsim check accepts it"
    else
      n_fail=$((n_fail + 1)); echo "not ok $n_check - $label: fleetsim check accepts it"
      sed 's/^/#   /' "${TMPDIR:-/tmp}/big-check.$$" | head -5
    fi
    rm -f "${TMPDIR:-/tmp}/big-check.$$"
  }
else
bash "$ROOT/scripts/deps.sh"
mkdir -p "$OUT"
if [ -f "$FS_BUILD/build.ninja" ]; then
  meson configure "$FS_BUILD" -Dbuildtype=release >/dev/null
else
  meson setup "$FS_BUILD" "$ROOT" -Dbuildtype=release >/dev/null
fi
ninja -C "$FS_BUILD" bench/bench_scenario >&2
B="$FS_BUILD/bench/bench_scenario"

RAW="$OUT/raw.txt"; CMDS="$OUT/commands.txt"; : > "$RAW"; : > "$CMDS"
LOAD_START="$(cat /proc/loadavg)"
T_START=$(date +%s)

# run_one LABEL FILE SET...: one run; prints and keeps its line with label= and rss_kb= (time %M)
run_one() {
  local label=$1; shift
  echo "$B $*" >> "$CMDS"
  local out
  if ! out=$("$TIME" -f '%M %e' -o "$OUT/time.tmp" "$B" "$@" 2>"$OUT/stderr.tmp"); then
    echo "FAILED: $B $*" >&2; tail -5 "$OUT/stderr.tmp" >&2; return 0
  fi
  read -r rss wall < "$OUT/time.tmp"
  echo "label=$label $(printf '%s\n' "$out" | grep '^peer=') rss_kb=$rss wall_s=$wall rep=$REP" | tee -a "$RAW" >&2
}
fi

# profile x F as a YAML flow list
DIURNAL=(1200 1000 800 800 800 1200 2400 4800 7000 8500 9500 10000 10000 9600 9200 8800 8400 7600 6200 4600 3400 2400 1800 1500)
profile_x() { local f=$1 out="" v; for v in "${DIURNAL[@]}"; do out+="${out:+, }$((v * f))"; done; echo "[$out]"; }

if [ "$QUICK" = 1 ]; then D_SLICE=3m; F_SLICE=5m; F_START=2m; FL_SLICE=4m; FL_FAULT=3m; FL_STRESS=2m
else D_SLICE=6m; F_SLICE=6m; F_START=3m; FL_SLICE=6m; FL_FAULT=5m; FL_STRESS=4m; fi

# ---------------- whole scenarios, as written
if [ "$FULL_DAY" = 1 ] && [ "$WHOLE" = 1 ] && [ "$QUICK" = 0 ]; then run_one diurnal-1000/day "$SC/diurnal-1000.yaml"; fi
if [ "$QUICK" = 0 ] && [ "$WHOLE" = 1 ]; then
  run_one flash-500/whole "$SC/flash-500.yaml"
  run_one fleet-2000/whole "$SC/fleet-2000.yaml"
fi

# ---------------- growth: base, x10-rate, x10-fleet on the same slice
# (checked once; run REPS times, each rep's base and variants back to back)
if [ -n "${CHECK_WITH:-}" ]; then REPS=1; fi
for REP in $(seq "$REPS"); do
  D=(start_time=2026-01-05T11:00:00Z duration=$D_SLICE resources.app.desired_capacity=1000)
  run_one diurnal-1000/base "$SC/diurnal-1000.yaml" "${D[@]}"
  run_one diurnal-1000/x10-rate "$SC/diurnal-1000.yaml" "${D[@]}" "workload.0.arrivals.profile=$(profile_x 10)" \
    'workload.0.service_time={dist: lognormal, mean: 10ms, cv: 1.0}'
  run_one diurnal-1000/x10-fleet "$SC/diurnal-1000.yaml" "${D[@]}" "workload.0.arrivals.profile=$(profile_x 10)" \
    resources.app.min_size=800 resources.app.max_size=15000 resources.app.desired_capacity=10000

  F=(duration=$F_SLICE workload.0.arrivals.start=$F_START)
  run_one flash-500/base "$SC/flash-500.yaml" "${F[@]}"
  run_one flash-500/x10-rate "$SC/flash-500.yaml" "${F[@]}" workload.0.arrivals.base_rps=80000 \
    workload.0.arrivals.peak_rps=240000 'workload.0.service_time={dist: lognormal, mean: 4ms, cv: 1.0}'
  run_one flash-500/x10-fleet "$SC/flash-500.yaml" "${F[@]}" workload.0.arrivals.base_rps=80000 \
    workload.0.arrivals.peak_rps=240000 resources.web.min_size=5000 resources.web.max_size=20000

  FL=(duration=$FL_SLICE faults.0.at=$FL_FAULT faults.1.at=$FL_STRESS)
  run_one fleet-2000/base "$SC/fleet-2000.yaml" "${FL[@]}"
  run_one fleet-2000/x10-rate "$SC/fleet-2000.yaml" "${FL[@]}" workload.0.arrivals.rps=200000 \
    'workload.0.service_time={dist: lognormal, mean: 10ms, cv: 1.0}'
  run_one fleet-2000/x10-fleet "$SC/fleet-2000.yaml" "${FL[@]}" workload.0.arrivals.rps=200000 \
    resources.fleet.min_size=20000 resources.fleet.max_size=30000 resources.prescale.min_size=22000 \
    resources.release.min_size=20000 faults.0.targets.selection_mode='COUNT(1000)'
done
REP=1

# ---------------- peak RSS against run length: fleet-2000 (20,000 req/s) for 1e6, 1e7, 1e8 requests
if [ "$RSS" = 1 ] && [ "$QUICK" = 0 ]; then
  for n in 1e6 1e7 1e8; do
    secs=$(python3 -c "print(int(float('$n') / 20000))")
    run_one "fleet-2000/rss-$n" "$SC/fleet-2000.yaml" duration=${secs}s faults.0.at=20s faults.1.at=30s
  done
fi

if [ -n "${CHECK_WITH:-}" ]; then echo "1..$n_check"; exit $((n_fail > 0)); fi
T_END=$(date +%s)
LOAD_END="$(cat /proc/loadavg)"
TABLE="$(python3 "$ROOT/bench/big_table.py" "$RAW")"
echo "$TABLE"
{
  echo "# fleetsim: whole scenarios"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); fleetsim $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "- machine: nproc=$(nproc), CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(grep -m1 MemTotal /proc/meminfo | tr -s ' '), kernel $(uname -r)"
  echo "- load average at start: $LOAD_START; at end: $LOAD_END (shared machine)"
  echo "- wall time: $((T_END - T_START)) s; QUICK=$QUICK FULL_DAY=$FULL_DAY WHOLE=$WHOLE RSS=$RSS REPS=$REPS; built with meson -Dbuildtype=release"
  echo
  echo "$TABLE"
  echo
  echo "## Exact commands"
  echo
  echo '```'
  echo "meson setup $FS_BUILD $ROOT -Dbuildtype=release && ninja -C $FS_BUILD bench/bench_scenario"
  cat "$CMDS"
  echo '```'
  echo
  echo "## Raw output lines"
  echo
  echo '```'
  cat "$RAW"
  echo '```'
} > "$OUT/BIG.md"
echo "wrote $OUT/BIG.md" >&2
