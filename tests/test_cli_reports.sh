#!/usr/bin/env bash
# tests/test_cli_reports.sh FLEETSIM SOURCE_ROOT - what the reports say and how they are written (TAP):
# the SLO verdict counts failed requests, empty windows have no percentiles, --out is checked
# before the run, signals leave a partial report, files honour the umask, the report set is
# replaced as a whole, lost stdout is an error (issue 9 point 1; docs/cli.md, docs/reports.md).
set -u
bin=$1 root=$2
. "$root/tests/tap.sh"
json() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; }

# Light load, and clients that give up after 50 ms of a 40 ms-mean exponential service:
# about 28% of requests fail (460) while every successful one is faster than 50 ms.
cat > "$tmp/slo.yaml" <<'YAML'
scenario: slo-errors
duration: 10m
resources:
  lt: {type: aws_launch_template, instance_type: c5.large}
  tg: {type: aws_lb_target_group}
  lb: {type: aws_lb, default_target_group: tg}
  g: {type: aws_autoscaling_group, launch_template: lt, min_size: 2, max_size: 2, target_group_arns: [tg]}
workload:
  - {name: w, target: lb, arrivals: {kind: poisson, rps: 10}, service_time: {dist: exponential, mean: 40ms}, timeout: 50ms}
report: {window: 1m, slo: {p99: 500ms}}
YAML

# 1. The SLO has a latency part and an error part; a failed request counts against both.
status_is 0 "slo: a run with 28% failed requests" "$bin" run "$tmp/slo.yaml" --out "$tmp/slo"
grep -q "^SLO .*MISSED" "$tmp/out"; check $? "slo: 28% failed requests is an SLO MISSED in the text"
! grep -qi "SLO.*: met" "$tmp/out"; check $? "slo: the text never says met"
grep -Eq "^  violation minutes +10\.0" "$tmp/out"; check $? "slo: the text gives 10 violation minutes"
json "$tmp/slo/report.json" 'r["summary"]["slo"]["met"] is False and r["summary"]["slo"]["latency_met"] is False and r["summary"]["slo"]["errors_met"] is False'
check $? "slo: report.json: missed, on the latency part (failed requests count) and on the error part"
json "$tmp/slo/report.json" 'r["summary"]["slo"]["error_rate"] == 0.001 and r["summary"]["slo"]["p99_s"] == 0.5'
check $? "slo: report.json: the error part defaults to 0.1%"
json "$tmp/slo/report.json" 'r["summary"]["slo"]["violation_minutes"] == 10 and r["summary"]["slo"]["windows_met"] == 0 and all(w["slo_met"] is False for w in r["windows"])'
check $? "slo: report.json: every window violated, 10 violation minutes"
head -1 "$tmp/slo/windows.csv" | grep -q ",error_rate,slo_good_share,slo_met"; check $? "slo: windows.csv has error_rate, slo_good_share and slo_met"
[ "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "slo_met") c = i } NR > 1 { print $c }' "$tmp/slo/windows.csv" | sort -u)" = 0 ]
check $? "slo: windows.csv: slo_met is 0 in every window"
status_is 0 "slo: error_rate 50% and p99 500ms" "$bin" run "$tmp/slo.yaml" --quiet --set 'report.slo={p99: 500ms, error_rate: 50%}' --out "$tmp/slo50"
json "$tmp/slo50/report.json" 'r["summary"]["slo"]["errors_met"] is True and r["summary"]["slo"]["latency_met"] is False'
check $? "slo: 28% errors meet a 50% error part; the latency part still counts the failed requests"
status_is 0 "slo: error part only" "$bin" run "$tmp/slo.yaml" --quiet --set 'report.slo={error_rate: 50%}' --set workload.0.timeout=30s --out "$tmp/slo-ok"
json "$tmp/slo-ok/report.json" 'r["summary"]["slo"]["met"] is True and r["summary"]["slo"]["p99_s"] is None and r["summary"]["slo"]["violation_minutes"] == 0'
check $? "slo: no failures, error part only: met, no violation minute"
status_is 1 "slo: error_rate without % is a scenario error" "$bin" run "$tmp/slo.yaml" --quiet --set 'report.slo={error_rate: 0.1}'
grep -q "'error_rate'.*percentage" "$tmp/err"; check $? "slo: the diagnostic asks for a percentage"

# 2. A window with no successful request has no percentiles: empty in windows.csv, null in report.json.
status_is 0 "empty: every request times out (10 ms timeout, 40 ms service)" "$bin" run "$tmp/slo.yaml" --quiet \
    --set workload.0.service_time=40ms --set workload.0.timeout=10ms --set duration=3m --out "$tmp/empty"
[ "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /^(p50_s|p90_s|p99_s|max_s)$/) c[i] = 1 }
              NR > 1 { for (i in c) printf "[%s]", $i; print "" }' "$tmp/empty/windows.csv" | sort -u)" = "[][][][]" ]
check $? "empty: windows.csv: p50_s, p90_s, p99_s and max_s are empty, not 0"
json "$tmp/empty/report.json" 'all(w[k] is None for w in r["windows"] for k in ("p50_s", "p90_s", "p99_s", "max_s")) and r["latency"]["p99_s"] is None'
check $? "empty: report.json: the windows' and the run's percentiles are null"

# 3. --out is created with its parents, and a bad one is found before the run (a 400-day run would take hours).
touch "$tmp/file"
long=(--set duration=300d --set report.window=1h) # hours of wall-clock time
status_is 3 "out: an unusable --out fails before the run (3)" timeout 20 "$bin" run "${long[@]}" --out "$tmp/file/sub"
grep -q "nothing was run" "$tmp/err" && [ ! -s "$tmp/out" ]; check $? "out: it says nothing was run, and prints no summary"
status_is 0 "out: missing parents are created" "$bin" run "$tmp/slo.yaml" --quiet --out "$tmp/deep/er/dir"
[ -s "$tmp/deep/er/dir/report.json" ]; check $? "out: the report is in the new directory"
# The write fails at the end (file size limit of 1 KiB; SIGXFSZ ignored, as the shell passes it on): summary anyway, the old set untouched.
cp -r "$tmp/slo" "$tmp/keep" && cp -r "$tmp/slo" "$tmp/prev"
# (stdout goes through a pipe: the limit would cut the summary too)
bash -c 'trap "" XFSZ; ulimit -f 1; exec "$@"' _ "$bin" run "$tmp/slo.yaml" --seed 9 --out "$tmp/keep" 2>"$tmp/err" | cat >"$tmp/out"
check $(( ${PIPESTATUS[0]} != 3 )) "out: a write that fails at the end exits 3"
grep -q "^requests" "$tmp/out" && grep -q "^SLO" "$tmp/out"; check $? "out: the text summary is printed anyway"
grep -q "nothing was written to $tmp/keep/: .*windows.csv: write failed: File too large" "$tmp/err"; check $? "out: stderr says nothing was written, and why (windows.csv)"
diff -r "$tmp/prev" "$tmp/keep" >/dev/null; check $? "set: a failure at windows.csv leaves the previous set whole (no new report.json)"
# what DIR holds: the files (links to the live generation), the link .fleetsim-current, one generation
only_set() { [ -z "$(ls -A "$1" | grep -v -x -E 'report\.json|report\.html|infracost-usage\.yml|windows\.csv|events\.jsonl|\.fleetsim-current|\.fleetsim-gen-.*')" ] &&
             [ "$(ls -A "$1" | grep -c '^\.fleetsim-gen-')" = 1 ] && [ "$(readlink "$1/.fleetsim-current")" = "$(ls -A "$1" | grep '^\.fleetsim-gen-')" ]; }
only_set "$tmp/keep"; check $? "set: no temporary file left (one generation, the live one)"
# A writer killed mid-way (SIGKILL) leaves a generation that is not live and a half-made link: the next write removes them.
mkdir "$tmp/keep/.fleetsim-gen-dead01" && echo half >"$tmp/keep/.fleetsim-gen-dead01/report.json" &&
    ln -s .fleetsim-gen-dead01 "$tmp/keep/.fleetsim-next-dead01" && mkdir "$tmp/keep/.fleetsim-tmp-old001"
status_is 0 "set: a write after a killed one" "$bin" run "$tmp/slo.yaml" --quiet --seed 9 --out "$tmp/keep"
only_set "$tmp/keep"; check $? "set: what a killed writer left is removed"
for f in report.json report.html windows.csv events.jsonl; do
    [ "$(readlink "$tmp/keep/$f")" = ".fleetsim-current/$f" ] || bad=1
done
check ${bad:-0} "set: each file is a link through .fleetsim-current"
json "$tmp/keep/report.json" 'r["seed"] == 9'
check $? "set: the new set is live"
# A directory where a file of the set goes is found before anything is written.
mkdir -p "$tmp/dirin/windows.csv"
status_is 3 "set: a directory named windows.csv in --out" "$bin" run "$tmp/slo.yaml" --quiet --out "$tmp/dirin"
grep -q "windows.csv: exists and is not a file" "$tmp/err" && [ ! -e "$tmp/dirin/report.json" ]; check $? "set: it says so and writes nothing"
# A reader never sees a mix: while runs with seeds 1 and 2 replace the set 12 times, a reader that resolves
# .fleetsim-current once reads report.json and windows.csv from that generation; both always come from one run.
"$bin" run "$tmp/slo.yaml" --quiet --seed 1 --out "$tmp/mix1" && "$bin" run "$tmp/slo.yaml" --quiet --seed 2 --out "$tmp/mix2" &&
    "$bin" run "$tmp/slo.yaml" --quiet --seed 1 --out "$tmp/mix"
python3 - "$bin" "$tmp/slo.yaml" "$tmp" <<'PY'
import os, subprocess, sys, threading
binp, scn, tmp = sys.argv[1:]
want = {open(f"{tmp}/mix{s}/windows.csv").read(): s for s in (1, 2)}
seen, mixed, stop = 0, 0, False
def writer():
    global stop
    for k in range(12):
        subprocess.run([binp, "run", scn, "--quiet", "--seed", str(2 - k % 2), "--out", f"{tmp}/mix"], check=True)
    stop = True
t = threading.Thread(target=writer); t.start()
import json
while not stop:
    try:
        gen = os.path.realpath(f"{tmp}/mix/.fleetsim-current")
        seed = json.load(open(f"{gen}/report.json"))["seed"]
        csv = open(f"{gen}/windows.csv").read()
    except (FileNotFoundError, ValueError):
        continue                       # the generation went away between the resolve and the open: read again
    seen += 1
    mixed += want.get(csv) != seed
t.join()
print(f"# {seen} reads during 12 replacements, {mixed} mixed")
sys.exit(0 if seen > 0 and mixed == 0 else 1)
PY
check $? "set: a reader through .fleetsim-current never sees a mix"

# 4. Ctrl-C / SIGTERM: the run stops at the next event, the partial report is written, the summary printed.
# caught PID: waits (up to 10 s) until PID catches SIGINT (SigCgt bit 2), i.e. the run has started.
caught() {
    local m
    for _ in $(seq 200); do
        m=$(awk '/^SigCgt:/ {print $2}' "/proc/$1/status" 2>/dev/null) && [ -n "$m" ] && (( (16#$m >> 1) & 1 )) && return 0
        sleep 0.05
    done
    return 1
}
for sig in INT TERM; do
    want=$((128 + $(kill -l $sig)))
    "$bin" run "${long[@]}" --out "$tmp/sig$sig" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    caught $pid; sleep 0.2; kill -$sig $pid; wait $pid; got=$?
    [ $got = $want ]; check $? "signal: SIG$sig stops the run with exit $want (got $got)"
    json "$tmp/sig$sig/report.json" 'r["partial"] is True and 0 < r["simulated_s"] < r["duration_s"] and r["windows"][-1]["start_s"] < r["simulated_s"]'
    check $? "signal: SIG$sig: report.json is flagged partial, with the simulated time reached"
    grep -q "PARTIAL: the run stopped at simulated time" "$tmp/out"; check $? "signal: SIG$sig: the summary is printed and says partial"
    grep -q "stopped by SIG$sig" "$tmp/err"; check $? "signal: SIG$sig: stderr says what stopped the run"
done
# The second Ctrl-C, made deterministic: stdout is a full 4 KiB pipe, so the finished run blocks
# printing its summary (printed before the report set is written); the first SIGINT waits there,
# the second one exits at once.
python3 - "$bin" "$tmp/slo.yaml" "$tmp/sig2" <<'PY'
import fcntl, os, signal, subprocess, sys, time
r, w = os.pipe()
fcntl.fcntl(w, 1031, 4096)            # F_SETPIPE_SZ
os.set_blocking(w, False)
try:
    while True: os.write(w, b"x" * 4096)
except BlockingIOError: pass
os.set_blocking(w, True)
p = subprocess.Popen([sys.argv[1], "run", sys.argv[2], "--set", "duration=2m", "--out", sys.argv[3]], stdout=w, stderr=subprocess.DEVNULL)
time.sleep(1.5); p.send_signal(signal.SIGINT)
time.sleep(0.5); alive = p.poll() is None
p.send_signal(signal.SIGINT)
rc = p.wait(10)
print(f"# alive after the first SIGINT: {alive}, exit {rc}")
sys.exit(0 if alive and rc == 130 else 1)
PY
check $? "signal: a second Ctrl-C exits at once (130)"
[ -d "$tmp/sig2" ] && [ -z "$(ls -A "$tmp/sig2")" ]; check $? "signal: a second Ctrl-C writes nothing, leaves no temp file"

# 5. Report files honour the umask.
(umask 022; "$bin" run "$tmp/slo.yaml" --quiet --out "$tmp/u022")
[ "$(stat -L -c %a "$tmp/u022/report.json" "$tmp/u022/windows.csv" "$tmp/u022/events.jsonl" | sort -u)" = 644 ]; check $? "umask 022: the files are 0644"
(umask 077; "$bin" run "$tmp/slo.yaml" --quiet --out "$tmp/u077")
[ "$(stat -L -c %a "$tmp/u077/report.json" | sort -u)" = 600 ]; check $? "umask 077: the files are 0600"

# 7. Lost output is an error.
if [ -w /dev/full ]; then
    "$bin" check "$tmp/slo.yaml" >/dev/full 2>"$tmp/err"; rc=$?
    [ $rc = 4 ] && grep -q "cannot write to standard output" "$tmp/err"; check $? "stdout: check FILE >/dev/full exits 4 (got $rc), and says why"
    "$bin" run "$tmp/slo.yaml" --set duration=1m >/dev/full 2>/dev/null; rc=$?
    [ $rc = 4 ]; check $? "stdout: run >/dev/full exits 4 (got $rc)"
    "$bin" --help >/dev/full 2>/dev/null; rc=$?
    [ $rc = 4 ]; check $? "stdout: --help >/dev/full exits 4 (got $rc)"
    "$bin" run "$tmp/slo.yaml" --set duration=1m --quiet >/dev/full 2>/dev/null; rc=$?
    [ $rc = 0 ]; check $? "stdout: run --quiet writes nothing to stdout, so /dev/full is no error (got $rc)"
fi

# 8. GNU conventions.
status_is 0 "gnu: run --help exits 0" "$bin" run --help
grep -q "^usage: fleetsim run" "$tmp/out" || grep -q "run \[FILE\]" "$tmp/out"; check $? "gnu: run --help prints the help"
status_is 0 "gnu: check --help exits 0" "$bin" check --help
status_is 0 "gnu: --seed=5" "$bin" run "$tmp/slo.yaml" --quiet --seed=5 --set=duration=2m --out="$tmp/eq"
status_is 0 "gnu: --seed 5" "$bin" run "$tmp/slo.yaml" --quiet --seed 5 --set duration=2m --out "$tmp/sp"
cmp -s "$tmp/eq/report.json" "$tmp/sp/report.json"; check $? "gnu: --opt=VALUE is --opt VALUE"
status_is 1 "gnu: check --set applies the override (a bad value is a scenario error)" "$bin" check --set duration=banana "$tmp/slo.yaml"
status_is 0 "gnu: check --set with a good value" "$bin" check "$tmp/slo.yaml" --set duration=5m
status_is 0 "gnu: check - reads standard input" sh -c '"$1" check - < "$2"' _ "$bin" "$tmp/slo.yaml"
grep -q "^<stdin>: ok" "$tmp/out"; check $? "gnu: check - names <stdin>"
sed 's/min_size: 2/min_sise: 2/' "$tmp/slo.yaml" > "$tmp/slo-bad.yaml"
status_is 1 "gnu: check - with a bad scenario exits 1" sh -c '"$1" check - < "$2"' _ "$bin" "$tmp/slo-bad.yaml"
grep -q "^<stdin>:7:.*min_sise" "$tmp/err"; check $? "gnu: the diagnostic names <stdin>:LINE:COL"
status_is 0 "gnu: -- ends the options" "$bin" check -- "$tmp/slo.yaml"

# 11. Overload is said: the default fleet (8 vCPUs, 40 ms a request: 200 rps) under 300 rps for 10 minutes.
status_is 0 "overload: 300 rps on a 200 rps fleet" "$bin" run --set workload.0.arrivals.rps=300 --set duration=10m --out "$tmp/ov"
grep -q "^OVERLOAD: the offered load exceeded the fleet's capacity 1 time" "$tmp/out" &&
    grep -q "offered 300.0 rps against a capacity of 200.0 rps (150%)" "$tmp/out"
check $? "overload: the summary says offered 300 rps against a capacity of 200 rps"
json "$tmp/ov/report.json" 'len(r["findings"]) == 1 and r["findings"][0]["kind"] == "overload" and abs(r["findings"][0]["offered_rps"] / 300 - 1) < 0.02 and abs(r["findings"][0]["capacity_rps"] - 200) < 1e-6 and r["findings"][0]["in_system_end"] >= r["findings"][0]["in_system_start"] > 1000 and r["findings"][0]["refused"] > 0 and r["findings"][0]["end_s"] - r["findings"][0]["start_s"] == 600'
check $? "overload: report.json has the finding: offered, capacity, the queue at its bound, the refusals, over the 10 minutes"
# 10. The accept backlog (511 waiting requests an instance, nginx's default): beyond it the ALB answers 502,
# so 4 instances of 2 vCPUs hold at most 4 x (511 + 2) requests, however long the overload lasts.
json "$tmp/ov/report.json" 'r["errors"]["502_reset"] > 0.25 * r["summary"]["completed"] and max(w["mean_requests_in_system"] for w in r["windows"]) <= 4 * (511 + 2)'
check $? "backlog: requests beyond the accept backlog are refused (502); requests in system stay below 4 x 513"
"$bin" run "$tmp/slo.yaml" --out "$tmp/light" >"$tmp/out" 2>/dev/null
grep -q "^overload: none" "$tmp/out" && json "$tmp/light/report.json" 'r["findings"] == []'
check $? "overload: a light load has no finding (the summary says none, findings is [])"

# 11. Target health transitions are in events.jsonl with the checks behind them: t2-credits' throttled
# instances time out their checks (docs/burstable.md), monitored-web-app's app_unhealthy fault answers them 5xx.
"$bin" run "$root/scenarios/t2-credits.yaml" --quiet --out "$tmp/t2" >/dev/null 2>&1
grep -q '"type":"target_health","resource":"i-web-1","from":"healthy","to":"unhealthy","message":"target group web_tg: unhealthy after 2 consecutive failed health checks (interval 30 s, timeout 5 s): Target.Timeout' "$tmp/t2/events.jsonl"
check $? "target health: a throttled instance goes healthy -> unhealthy after 2 failed checks, Target.Timeout"
"$bin" run "$root/scenarios/monitored-web-app.yaml" --quiet --out "$tmp/mwa" >/dev/null 2>&1
grep -q '"type":"target_health","resource":"[^"]*","from":"healthy","to":"unhealthy",.*Target.ResponseCodeMismatch' "$tmp/mwa/events.jsonl" &&
    grep -q '"type":"target_health","resource":"[^"]*","from":"initial","to":"healthy","message":"target group web_tg: healthy after 1 consecutive passed health check' "$tmp/mwa/events.jsonl"
check $? "target health: an app-unhealthy target fails with Target.ResponseCodeMismatch; a new target is healthy after one pass"
# The volume stays per target, not per check: at most a few transitions per instance that ever existed.
python3 - "$tmp/mwa/events.jsonl" "$tmp/mwa/report.json" <<'PY'; check $? "target health: at most 4 transitions per instance"
import json, sys
n = sum(1 for l in open(sys.argv[1]) if json.loads(l)["type"] == "target_health")
inst = len(json.load(open(sys.argv[2]))["instances"])
sys.exit(0 if 0 < n <= 4 * inst else 1)
PY

echo "1..$n"
exit $bad
