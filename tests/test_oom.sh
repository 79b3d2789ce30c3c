#!/usr/bin/env bash
# tests/test_oom.sh FLEETSIM SOURCE_ROOT - out of memory is said in words and the partial report is
# written (issue 9 point 1; docs/cli.md "Exit status"). A 100 MB address-space limit (ulimit -v) makes
# malloc fail; sanitizer builds reserve terabytes of shadow memory, so meson runs this on plain builds only.
set -u
bin=$1 root=$2
. "$root/tests/tap.sh"

# One c5.large, 20,000 requests/s of 1 s work, a backlog of a million and clients that wait an hour:
# about 20,000 requests a second pile up, past 100 MB in under a simulated minute.
cat > "$tmp/oom.yaml" <<'YAML'
scenario: oom
duration: 10m
resources:
  lt: {type: aws_launch_template, instance_type: c5.large, accept_backlog: 1000000}
  tg: {type: aws_lb_target_group}
  lb: {type: aws_lb, default_target_group: tg, idle_timeout: 4000}
  g: {type: aws_autoscaling_group, launch_template: lt, min_size: 1, max_size: 1, target_group_arns: [tg], health_check_type: EC2}
workload:
  - {name: w, target: lb, arrivals: {kind: poisson, rps: 20000}, service_time: {dist: exponential, mean: 1s}, timeout: 1h}
report: {window: 1m}
YAML
bash -c 'ulimit -v 100000; exec "$@"' _ "$bin" run "$tmp/oom.yaml" --out "$tmp/o" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 3 ]; check $? "oom: the run exits 3 (got $rc)"
grep -Eq "^fleetsim: out of memory at simulated time [0-9.]+ s of 600\.000 s; the report covers the time reached \(partial\)$" "$tmp/err"
check $? "oom: stderr says out of memory, in words, with the simulated time reached"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if r["partial"] is True and 0 < r["simulated_s"] < 600 else 1)' "$tmp/o/report.json"
check $? "oom: report.json is written, flagged partial, with the simulated time reached"
grep -q "PARTIAL: the run stopped at simulated time" "$tmp/out"; check $? "oom: the summary is printed and says partial"
# Without the limit the same scenario runs to its end: the limit, not the scenario, caused the failure.
bash -c 'ulimit -v 2000000; exec "$@"' _ "$bin" run "$tmp/oom.yaml" --quiet --set duration=1m --out "$tmp/ok" 2>"$tmp/err"
check $? "oom: with room (2 GB), a minute of it runs to the end"
echo "1..$n"
exit $bad
