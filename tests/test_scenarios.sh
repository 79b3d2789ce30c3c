#!/usr/bin/env bash
# tests/test_scenarios.sh FLEETSIM SOURCE_ROOT - every shipped scenario (scenarios/*.yaml,
# tests/terraform/*.yaml) passes check and runs end to end (TAP):
# exit 0, a complete report directory, byte-identical output when run again with
# the same seed, and the activity each scenario exists to show.
set -u
bin=$1 root=$2
. "$root/tests/tap.sh"

# Every shipped scenario, tests/terraform/*.yaml included, passes check; whatever
# passes check also runs (exit 0, every report file). A scenario that fails
# check fails the test: nothing is skipped. Each tests/terraform/NAME.yaml is the
# transcription of tests/terraform/NAME.tf, which must be beside it.
outs=(report.json report.html windows.csv events.jsonl)
mkdir -p "$tmp/terraform" "$tmp/good"
# tests/good/*.yaml: inputs at the loader's limits (255-character names) that must run.
for f in "$root"/scenarios/*.yaml "$root"/tests/terraform/*.yaml "$root"/tests/good/*.yaml; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .yaml)
    case $f in
    */tests/terraform/*)
        name="terraform/$name"
        [ -f "${f%.yaml}.tf" ]; check $? "$name: its Terraform file $(basename "$f" .yaml).tf is beside it" ;;
    */tests/good/*) name="good/$name" ;;
    esac
    "$bin" check "$f" >/dev/null 2>"$tmp/check.err"; rc=$?
    [ $rc = 0 ] || sed 's/^/#   /' "$tmp/check.err" | head -5
    check $rc "$name: passes check"
    # one replication: a scenario with `replications:` (compare-scaling-policies) would write the comparison instead
    "$bin" run "$f" --quiet --replications 1 --out "$tmp/$name.1" 2>"$tmp/run.err"; rc=$?
    [ $rc = 0 ] || sed 's/^/#   /' "$tmp/run.err" | head -5
    check $rc "$name: runs (exit 0)"
    missing=0
    for out in "${outs[@]}"; do [ -f "$tmp/$name.1/$out" ] || { echo "# $name: no $out"; missing=1; }; done
    check $missing "$name: writes ${outs[*]}"
    "$bin" run "$f" --quiet --replications 1 --out "$tmp/$name.2" 2>/dev/null
    for out in "${outs[@]}"; do
        cmp -s "$tmp/$name.1/$out" "$tmp/$name.2/$out"; check $? "$name: $out byte-identical on a second run"
    done
done

# what each scenario is for (events.jsonl: one JSON object per line)
has() { grep -q "$2" "$tmp/$1.1/events.jsonl"; }
has monitored-web-app '"type":"scaling"'; check $? "monitored-web-app: the group scales"
has monitored-web-app '"type":"sns"'; check $? "monitored-web-app: SNS notifications are published"
has monitored-web-app 'instance refresh'; check $? "monitored-web-app: the fleet update (instance refresh) runs"
has monitored-web-app '"type":"fault"'; check $? "monitored-web-app: the injected fault happens"
has monitored-web-app 'failed 3 health checks in a row; snapshot taken, instance terminated'; check $? "monitored-web-app: the health-check Lambda snapshots, terminates and reports the hung instance"
has flash-crowd 'AlarmHigh'; check $? "flash-crowd: target tracking's scale-out alarm fires"
has flash-crowd 'desired [0-9]* -> '; check $? "flash-crowd: desired capacity changes"
has diurnal-day '"type":"schedule"'; check $? "diurnal-day: the scheduled action runs"
has diurnal-day 'predictive scaling'; check $? "diurnal-day: predictive scaling forecasts"
has terraform/monitored-web-app '"type":"sns"'; check $? "terraform/monitored-web-app: SNS notifications are published"
has terraform/step-scaling-two-alarms 'step scaling scale_out'; check $? "terraform/step-scaling-two-alarms: the high-CPU alarm scales out"
has terraform/step-scaling-two-alarms 'step scaling scale_in'; check $? "terraform/step-scaling-two-alarms: the low-CPU alarm scales in"
has terraform/scheduled-scaling '"type":"schedule"'; check $? "terraform/scheduled-scaling: the office-hours actions run"
has terraform/spot-web-six-az 'az_outage'; check $? "terraform/spot-web-six-az: the zone outage happens"
grep -q '"errors": 0,' "$tmp/good/fixed-response-ok.1/report.json" &&
    grep -q '"elb_2xx_fixed_response": [1-9]' "$tmp/good/fixed-response-ok.1/report.json"
check $? "good/fixed-response-ok: a listener's fixed 200s are counted by cause and are not errors"
ec2=$(grep -o '"ec2": *[0-9.e+-]*' "$tmp/license-pool-asg.1/report.json" 2>/dev/null | sed 's/.*: *//')
awk -v c="${ec2:-0}" 'BEGIN { exit !(c > 0) }'; check $? "license-pool-asg: a group with no load balancer and no workload bills EC2 (\$${ec2:-0})"

# docs/license-pool.md's what-if table: each command's leaks (by cause), failed launches and license cost per hour.
# lp NAME LEAKS HOOK_TIMEOUT LAUNCH_FAILURES LICENSE_PER_HOUR --set ...: runs the shipped scenario with the sets.
lp() {
    local name=$1 leaks=$2 hook=$3 fails=$4 fee=$5; shift 5
    "$bin" run "$root/scenarios/license-pool.yaml" "$@" --quiet --out "$tmp/lp" 2>"$tmp/lp.err"
    python3 - "$tmp/lp/report.json" "$leaks" "$hook" "$fails" "$fee" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
t = r["resources"]["aws_dynamodb_table"][0]
g = r["resources"]["aws_autoscaling_group"][0]
fee = round(r["cost"]["items"]["licenses"] / 6, 2)
got = (t["leaks"], t["leaks_hook_timeout"], g["launch_failures"], fee)
want = (int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]))
if got != want:
    print(f"#   got leaks, hook-timeout leaks, failed launches, licenses/h = {got}, want {want}")
sys.exit(got != want)
PY
    check $? "docs/license-pool.md: $name: $leaks leaks ($hook hook timeouts), $fails failed launches, \$$fee/h licenses"
}
lp "as shipped" 0 0 0 0.20
lp "scale past the pool" 0 0 738 0.30 --set resources.asg1.max_size=8 --set resources.scale_out.desired_capacity=8
lp "release Lambda always fails" 4 4 0 0.33 --set resources.before_terminating.fleetsim.error_probability=1
lp "rule disabled for an hour" 2 2 0 0.30 --set 'resources.ec2_terminate.fleetsim.disabled=[{at: 175m, duration: 1h}]'
lp "reserved concurrency 0" 4 4 0 0.33 --set resources.before_terminating.reserved_concurrent_executions=0
lp "heartbeat shorter than the chain" 4 4 0 0.33 --set resources.before_terminate.heartbeat_timeout=60 \
    --set resources.before_terminating.reserved_concurrent_executions=0
lp "lease design, rule disabled" 4 4 0 0.27 --set resources.ec2_terminate.state=DISABLED \
    --set resources.license_key_db.fleetsim.license_pool.lease=5m
lp "reconciler design, rule disabled" 4 4 0 0.27 --set resources.ec2_terminate.state=DISABLED \
    --set resources.reconcile_schedule.state=ENABLED
lp "release Lambda fails 20%" 0 0 0 0.20 --set resources.before_terminating.fleetsim.error_probability=0.2
head -1 "$tmp/license-pool.1/windows.csv" | grep -q ',license_key_db.keys_in_use,license_key_db.keys_free,license_key_db.keys_leaked$'
check $? "docs/cli.md: license-pool's windows.csv ends with the pool's per-window columns"
has license-pool '"type":"lambda"'; check $? "license-pool: the release Lambda runs"
has license-pool 'CompleteLifecycleAction from before_terminating'; check $? "license-pool: the Lambda completes the terminate hook"

# docs/burstable.md's figures: t2-credits (standard) and its unlimited twin, same seed and traffic.
t2s=$tmp/t2-credits.1 t2u=$tmp/t2-credits-unlimited.1
grep -q '"t":5944.558,"type":"credits","resource":"i-web-1","from":"bursting","to":"throttled"' "$t2s/events.jsonl" &&
    grep -q '"t":5955.860,"type":"credits","resource":"i-web-0","from":"bursting","to":"throttled"' "$t2s/events.jsonl"
check $? "docs/burstable.md: t2-credits: the instances are throttled at 5944.558 s and 5955.860 s (30 / 18 h = 6000 s)"
grep -q '"t":5160.000,"type":"alarm","resource":"credits_low","from":"OK","to":"ALARM".*\[4.3\]' "$t2s/events.jsonl"
check $? "docs/burstable.md: t2-credits: credits_low goes to ALARM at 5160 s on 4.3 credits"
# cols DIR "NAME...": windows.csv's columns by header name (their positions move as columns are added)
cols() { awk -F, -v want="$2" 'NR == 1 { n = split(want, w, " "); for (i = 1; i <= n; i++) for (j = 1; j <= NF; j++) if ($j == w[i]) c[i] = j; next }
    { line = $1; for (i = 1; i <= n; i++) line = line "," $(c[i]); print line }' "$1/windows.csv"; }
row() { cols "$1" "ok 460_client_timeout p99_s cpu_utilisation t2.micro-standard.cpu_credit_balance t2.micro-standard.throttled" |
    awk -F, -v t="$2" '$1 == t { print $2, $3, $4, $5, $6, $7 }'; }
[ "$(row "$t2s" 0.000)" = "10164 0 0.296747 0.395744 27.042563 0.000000" ] &&
    [ "$(row "$t2s" 4800.000)" = "10326 0 0.305136 0.401842 2.841715 0.000000" ] &&
    [ "$(row "$t2s" 5400.000)" = "9635 159 12.717130 0.384171 0.000000 2.000000" ] &&
    [ "$(row "$t2s" 6000.000)" = "0 3364  0.100000 0.000000 2.000000" ] # no request ok: no p99 (empty)
check $? "docs/burstable.md: t2-credits' windows: balance, p99, timeouts and CPU before and after the balance runs out"
head -1 "$t2s/windows.csv" | grep -q ',t2.micro-standard.cpu_credit_balance,t2.micro-standard.throttled$'
check $? "docs/burstable.md: t2-credits' windows.csv has the credit columns"
grep -q '"errors": 143023,' "$t2s/report.json" && grep -q '"502_reset": 106370, "460_client_timeout": 36653' "$t2s/report.json" && grep -q '"total": 0.222139758,' "$t2s/report.json" &&
    grep -q '"name": "t2.micro-standard", "instances": 2, "min_balance": 0, .*"throttled_instance_s": 16899.58' "$t2s/report.json"
check $? "docs/burstable.md: t2-credits: 143023 failed (106370 refused, 36653 timed out), 16899.58 instance-seconds throttled, \$0.2221"
cols "$t2u" "460_client_timeout p99_s" | awk -F, 'NR >= 1 && ($2 != 0 || $3 < 0.2795 || $3 > 0.3305) { bad = 1 } END { exit bad }' &&
    [ "$(cols "$t2u" "t2.micro-unlimited.cpu_surplus_credit_balance" | awk -F, 'END { print $2 }')" = 72.258013 ]
check $? "docs/burstable.md: t2-credits-unlimited: every window's p99 in 0.28..0.33 s, no timeouts, surplus 72.26 at the end"
grep -q '"cpu_credits": {"usage": 2.40860042, "unit": "vCPU-hours", "unit_usd": 0.05, "usd": 0.120430021}' "$t2u/report.json" && grep -q '"total": 0.342569779' "$t2u/report.json" &&
    grep -q '"surplus_charged": 144.516025' "$t2u/report.json" && grep -q '"errors": 0,' "$t2u/report.json"
check $? "docs/burstable.md: t2-credits-unlimited: 144.52 surplus credits billed \$0.1204, total \$0.3426, no errors"

echo "1..$n"
exit $bad
