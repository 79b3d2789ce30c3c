#!/bin/bash
# bench/compare.sh - fleetsim's benchmarks side by side with the peer simulators
# (../shared/peers), on this machine, in one run, repetitions interleaved:
# rep 1 of every program, then rep 2, ... Writes $OUT/COMPARE.md (table, ratios
# against the goals, machine, exact commands, raw lines).
#
#   bash bench/compare.sh                 # full run (~10-12 min on 2 cores)
#   REPS=1 QUICK=1 bash bench/compare.sh  # smoke test (about a minute)
#   SIMPY=0 bash bench/compare.sh         # leave out SimPy (the slowest peer)
#   RSS=0 bash bench/compare.sh           # leave out the 1e8-request RSS run (~1 min)
#
# Workloads (see ../shared/peers/README.md and notes.md):
#   hold  N in 1e3 1e5 1e6: c_heap, Cimba (plain events), ns-3 (map heap pq calendar; calendar
#         not at 1e6), SimPy, and fleetsim's bench_hold, all with the same arguments (N WARM OPS SEED)
#   mmk   K=4, lambda 3.2, mu 1, 1e6 requests: c_heap, Cimba (processes), ns-3 x4, SimPy, SimGrid, and
#         bench_web lor (least_outstanding_requests) and random (weighted_random)
#   queue bench_queue heap|ladder: the hold model on the queue alone, 4-ary heap vs ladder queue
#   rss   bench_web lor at 1e6 and 1e8 requests: peak RSS (/usr/bin/time %M)
# Needs (Debian 12): g++ pkg-config time libns3-dev python3-simpy libsimgrid-dev meson ninja-build
# nasm (the last three build the peers' vendored Cimba), and fleetsim's build deps (scripts/deps.sh); missing packages are installed.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PEERS="${PEERS_DIR:-$ROOT/../shared/peers}"
SRC="$PEERS/src"
OUT="${BENCH_OUT:-${TMPDIR:-/tmp}/fleetsim-compare}"
FS_BUILD="${FS_BUILD:-$OUT/build-release}"
REPS="${REPS:-3}"
QUICK="${QUICK:-0}"
SIMPY="${SIMPY:-1}"
RSS="${RSS:-1}"
PY=/usr/bin/python3
TIME=/usr/bin/time

K=4; MU=1.0; LAMBDA=3.2   # rho 0.8; random split: each instance M/M/1, mean response 5.0
if [ "$QUICK" = 1 ]; then
  WARM_IS_N=0; C_OPS=1000000; FS_OPS=1000000; NS3_OPS=200000; PY_OPS=100000; PY_OPS_1M=50000
  MMK_REQS=100000; PY_REQS=50000; RSS_SMALL=100000; RSS_BIG=1000000
else
  WARM_IS_N=1; C_OPS=10000000; FS_OPS=10000000; NS3_OPS=2000000; PY_OPS=1000000; PY_OPS_1M=300000
  MMK_REQS=1000000; PY_REQS=1000000; RSS_SMALL=1000000; RSS_BIG=100000000
fi

# ---------------------------------------------------------------- prerequisites
bash "$ROOT/scripts/deps.sh"
need=()
for p in g++ pkg-config time libns3-dev python3-simpy libsimgrid-dev meson ninja-build nasm; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -o DPkg::Lock::Timeout=300 "${need[@]}" >&2
fi

# ---------------------------------------------------------------- build
mkdir -p "$OUT"
# a build folder made from another source tree is set up anew
if [ -f "$FS_BUILD/meson-info/meson-info.json" ] && [ "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["directories"]["source"])' "$FS_BUILD/meson-info/meson-info.json")" != "$ROOT" ]; then
  rm -rf "$FS_BUILD"
fi
if [ -f "$FS_BUILD/build.ninja" ]; then
  meson configure "$FS_BUILD" -Dbuildtype=release >/dev/null
else
  meson setup "$FS_BUILD" "$ROOT" -Dbuildtype=release >/dev/null
fi
ninja -C "$FS_BUILD" bench/bench_hold bench/bench_web bench/bench_queue >&2
HOLD="$FS_BUILD/bench/bench_hold"
WEB="$FS_BUILD/bench/bench_web"
QUEUE="$FS_BUILD/bench/bench_queue"
# Cimba: the peers' vendored library, configured once per output folder, exactly as run_all.sh does
CIMBA_V="$PEERS/vendor/cimba"; CIMBA_B="$OUT/cimba-build"
if [ -f "$CIMBA_B/build.ninja" ]; then CIMBA_SETUP="meson setup --reconfigure --buildtype=release $CIMBA_B $CIMBA_V"
else rm -rf "$CIMBA_B"; CIMBA_SETUP="meson setup --buildtype=release $CIMBA_B $CIMBA_V"; fi
BUILD_CMDS=(
  "gcc -O2 -Wall -o $OUT/c_heap $SRC/c_heap.c -lm"
  "$CIMBA_SETUP"
  "ninja -C $CIMBA_B"
  "gcc -O2 -Wall -DNDEBUG -DNLOGINFO -I$CIMBA_V/include -I$CIMBA_V/src -o $OUT/cimba_bench $SRC/cimba_bench.c -L$CIMBA_B/src -lcimba -Wl,-rpath,$CIMBA_B/src -lm"
  "g++ -O2 -std=c++17 -Wall -I/usr/include -o $OUT/ns3_bench $SRC/ns3_bench.cc -lns3-core"
  "g++ -O2 -std=c++17 -Wall -o $OUT/simgrid_mmk $SRC/simgrid_mmk.cc -lsimgrid"
)
# (the same flags as ../shared/peers/run_all.sh: pkg-config --cflags ns3-core is broken on Debian 3.37-2)
for c in "${BUILD_CMDS[@]}"; do echo "+ $c" >&2; $c >&2; done
if [ "$SIMPY" = 1 ]; then $PY -c 'import SimPy.Simulation' || { echo "SimPy 2 not importable with $PY" >&2; exit 1; }; fi

RAW="$OUT/raw.txt"; CMDS="$OUT/commands.txt"; : > "$RAW"; : > "$CMDS"
LOAD_START="$(cat /proc/loadavg)"
T_START=$(date +%s)

# run_one REP [--as-rss] CMD...: one measurement; @SEED@ in CMD becomes the repetition number.
run_one() {
  local rep=$1; shift
  local rss_mode=0
  if [ "$1" = --as-rss ]; then rss_mode=1; shift; fi
  local args=() a
  for a in "$@"; do args+=("${a//@SEED@/$rep}"); done
  echo "${args[*]}" >> "$CMDS"
  local out
  if ! out=$("$TIME" -f '%M' -o "$OUT/rss.tmp" "${args[@]}" 2>"$OUT/stderr.tmp"); then
    echo "FAILED: ${args[*]}" >&2; tail -5 "$OUT/stderr.tmp" >&2; return 0
  fi
  local line; line=$(printf '%s\n' "$out" | grep '^peer=' | tail -1 || true)
  if [ "$rss_mode" = 1 ]; then line="${line/ wl=mmk / wl=rss }"; fi
  echo "$line rss_kb=$(tail -1 "$OUT/rss.tmp") rep=$rep" | tee -a "$RAW" >&2
  printf '%s\n' "$out" | grep '^# check' >&2 || true
}

for rep in $(seq 1 "$REPS"); do
  echo "=== repetition $rep/$REPS ===" >&2
  # ---------------- hold model
  for N in 1000 100000 1000000; do
    if [ "$WARM_IS_N" = 1 ]; then W=$N; else W=0; fi
    run_one "$rep" "$OUT/c_heap" hold $N $W $C_OPS @SEED@
    run_one "$rep" "$HOLD" $N $W $FS_OPS @SEED@
    run_one "$rep" "$OUT/cimba_bench" hold $N $W $C_OPS @SEED@   # same ops and RNG as c_heap
    run_one "$rep" "$QUEUE" heap $N $W $FS_OPS @SEED@     # the queue alone: the kernel's 4-ary heap
    run_one "$rep" "$QUEUE" ladder $N $W $FS_OPS @SEED@   # ... and a ladder queue (same draws, same simtime)
    for s in map heap pq calendar; do
      if [ "$s" = calendar ] && [ $N = 1000000 ]; then continue; fi   # pathological, see peers' notes
      run_one "$rep" "$OUT/ns3_bench" hold $s $N $W $NS3_OPS @SEED@
    done
    if [ "$SIMPY" = 1 ]; then
      if [ $N = 1000000 ]; then ops=$PY_OPS_1M; else ops=$PY_OPS; fi
      run_one "$rep" "$PY" "$SRC/simpy_bench.py" hold $N $W $ops @SEED@
    fi
  done
  # ---------------- M/M/1 x K (peers) and the web tier (fleetsim)
  run_one "$rep" "$OUT/c_heap" mmk $MMK_REQS $K $LAMBDA $MU @SEED@
  run_one "$rep" "$WEB" lor $MMK_REQS $K $LAMBDA $MU @SEED@
  run_one "$rep" "$OUT/cimba_bench" mmk $MMK_REQS $K $LAMBDA $MU @SEED@
  for s in map heap pq calendar; do
    run_one "$rep" "$OUT/ns3_bench" mmk $s $MMK_REQS $K $LAMBDA $MU @SEED@
  done
  run_one "$rep" "$WEB" random $MMK_REQS $K $LAMBDA $MU @SEED@
  if [ "$SIMPY" = 1 ]; then run_one "$rep" "$PY" "$SRC/simpy_bench.py" mmk $PY_REQS $K $LAMBDA $MU @SEED@; fi
  run_one "$rep" "$OUT/simgrid_mmk" "$SRC/platform.xml" $MMK_REQS $K $LAMBDA $MU @SEED@ --cfg=contexts/factory:raw
done
# ---------------- peak RSS: the web tier at RSS_SMALL vs RSS_BIG requests (once each)
if [ "$RSS" = 1 ]; then
  run_one 1 --as-rss "$WEB" lor $RSS_SMALL $K $LAMBDA $MU 1
  run_one 1 --as-rss "$WEB" lor $RSS_BIG $K $LAMBDA $MU 1
fi

T_END=$(date +%s)
LOAD_END="$(cat /proc/loadavg)"
TABLE="$($PY "$ROOT/bench/aggregate.py" "$RAW" $LAMBDA $MU $K)"
echo "$TABLE"

{
  echo "# fleetsim vs peer simulators"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); fleetsim $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "- machine: nproc=$(nproc), CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(grep -m1 MemTotal /proc/meminfo | tr -s ' '), kernel $(uname -r), Debian $(cat /etc/debian_version)"
  echo "- load average at start: $LOAD_START; at end: $LOAD_END (shared machine)"
  echo "- wall time of the measurement loop: $((T_END - T_START)) s; REPS=$REPS (median reported), QUICK=$QUICK, SIMPY=$SIMPY, RSS=$RSS"
  echo "- toolchain: $(gcc --version | head -1); fleetsim built with meson -Dbuildtype=release"
  echo "- packages: $(dpkg-query -W -f='${Package} ${Version}; ' libns3-dev python3-simpy libsimgrid-dev)"
  echo "- mmk: K=$K, mu=$MU, lambda=$LAMBDA, rho=0.8; random split => each queue M/M/1, mean response 5.000, p99 23.03"
  echo
  echo "## Table"
  echo
  echo "$TABLE"
  echo
  echo "## Exact commands"
  echo
  echo '```'
  echo "meson setup $FS_BUILD $ROOT -Dbuildtype=release && ninja -C $FS_BUILD bench/bench_hold bench/bench_web bench/bench_queue"
  printf '%s\n' "${BUILD_CMDS[@]}"
  echo '```'
  echo
  echo "Runs (each as \`/usr/bin/time -f %M CMD\`; %M = peak RSS in KiB):"
  echo
  echo '```'
  cat "$CMDS"
  echo '```'
  echo
  echo "## Raw output lines"
  echo
  echo '```'
  cat "$RAW"
  echo '```'
} > "$OUT/COMPARE.md"
echo "wrote $OUT/COMPARE.md" >&2
