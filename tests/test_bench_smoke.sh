#!/usr/bin/env bash
# tests/test_bench_smoke.sh BENCH_DIR SOURCE_ROOT - the benchmark programs docs/performance.md
# describes run, print the line format bench/compare.sh and bench/big.sh parse, and hold the
# claims the page makes about them. Small sizes: nothing here is timed (speed lives in bench/).
bench=$1 root=$2
. "$root/tests/tap.sh"
field() { sed -n "s/.*[ ^]$1=\([^ ]*\).*/\1/p" "$2" | head -1; } # field NAME FILE

status_is 0 "bench_hold N WARM OPS SEED runs" "$bench/bench_hold" 1000 1000 100000 1
grep -q -E '^peer=fleetsim wl=hold N=1000 warm=1000 ops=100000 .*rate=[0-9.]+ simtime=[0-9.]+$' "$tmp/out"
check $? "bench_hold prints the peers' hold line"

# "Both make the same draws, and their sim end t agree exactly": the ladder keeps the heap's order.
for m in heap ladder; do
    for N in 1000 100000; do
        "$bench/bench_queue" $m $N $N 300000 7 >"$tmp/q-$m-$N" 2>&1; check $? "bench_queue $m N=$N runs"
    done
done
for N in 1000 100000; do
    a=$(field simtime "$tmp/q-heap-$N") b=$(field simtime "$tmp/q-ladder-$N")
    [ -n "$a" ] && [ "$a" = "$b" ]; check $? "bench_queue N=$N: heap and ladder end at the same simulated time ($a, $b)"
done

# The random split is 4 x M/M/1 at rho 0.8: mean 5.0; the program prints its own check line.
status_is 0 "bench_web random runs" "$bench/bench_web" random 200000 4 3.2 1.0 1
python3 - "$tmp/out" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
m = re.search(r"mean=([0-9.]+) ci95=([0-9.]+) p99=([0-9.]+)", t)
sys.exit(not (m and abs(float(m[1]) - 5.0) <= 2 * float(m[2]) and "errors 0" in t))
PY
check $? "bench_web random: the mean response is 5.0 (M/M/1 per instance) within two ci95, no errors"
status_is 0 "bench_web lor runs" "$bench/bench_web" lor 100000 4 3.2 1.0 1
grep -q -E '^peer=fleetsim-lor wl=mmk K=4 reqs=[0-9]+ events=[0-9]+ run_s=' "$tmp/out"; check $? "bench_web lor prints the peers' mmk line"

# Routing: the same requests routed at 10 and 10,000 targets; the line big tables are made from.
for mode in lor random rr; do
    status_is 0 "bench_route $mode K=10000 runs" "$bench/bench_route" $mode 10000 200000 1
    grep -q -E "^bench=route mode=$mode K=10000 ops=200000 run_s=[0-9.]+ ns_per_req=[0-9.]+" "$tmp/out"
    check $? "bench_route $mode prints ns_per_req"
done

# "both modes simulate the identical system (same events, mean and p99)": the control plane observes.
"$bench/bench_autoscale" fixed 50000 1 >"$tmp/fixed" 2>&1; check $? "bench_autoscale fixed runs"
"$bench/bench_autoscale" tt 50000 1 >"$tmp/tt" 2>&1; check $? "bench_autoscale tt runs"
same=0
for f in reqs events mean p99; do
    a=$(field $f "$tmp/fixed") b=$(field $f "$tmp/tt")
    [ -n "$a" ] && [ "$a" = "$b" ] || { echo "# $f: fixed $a, tt $b"; same=1; }
done
check $same "bench_autoscale: fixed and tt give the same requests, events, mean and p99"
[ "$(field log_events "$tmp/tt")" -gt 0 ]; check $? "bench_autoscale tt: the control plane logged events"

# The diurnal plateau as docs/performance.md runs it for the 3M req/s goal, 20 s instead of 30 min.
status_is 0 "bench_scenario runs the diurnal plateau" "$bench/bench_scenario" "$root/bench/scenarios/diurnal-1000.yaml" \
    start_time=2026-01-05T11:00:00Z duration=20s resources.app.desired_capacity=1000
grep -q -E 'sim_s=20 reqs=[0-9]+ ok=[0-9]+ events=[0-9]+ .*maxrss_kb=[0-9]+' "$tmp/out"; check $? "bench_scenario prints requests, events and peak RSS"
# 10,000 req/s at 1,000 instances is rho 0.5: only the requests still in flight at the end are not ok.
r=$(field reqs "$tmp/out") o=$(field ok "$tmp/out")
[ -n "$r" ] && [ $((r - o)) -lt $((r / 50)) ]; check $? "bench_scenario: the plateau serves its requests ($o of $r ok)"

echo "1..$n"
exit $bad
