#!/usr/bin/env bash
# tests/test_infracost.sh FLEETSIM SRCDIR - infracost-usage.yml has the shape of Infracost's usage file
# (infracost-usage-example.yml of infracost/infracost): valid YAML, `version: 0.1`, `resource_usage`
# keyed by the Terraform addresses of the scenario's own resources, only keys Infracost knows for
# that type, integers where Infracost reads an Int64; and its figures are the run's, scaled to 730 h.
bin=$1 root=$2
. "$root/tests/tap.sh"
shape() { # SCENARIO USAGE_FILE
    python3 - "$1" "$2" <<'PY'
import re, sys, yaml
scenario = yaml.safe_load(open(sys.argv[1]))
u = yaml.safe_load(open(sys.argv[2]))
# Infracost's keys for these types (internal/resources/aws/*.go): True = Int64, False = Float64, dict = a sub-resource.
known = {
    "aws_autoscaling_group": {"instances": True},
    "aws_instance": {"monthly_hrs": False},
    "aws_lb": {"new_connections": True, "active_connections": True, "processed_bytes_gb": False, "rule_evaluations": True},
    "aws_lambda_function": {"monthly_requests": True, "request_duration_ms": True},
    "aws_dynamodb_table": {"monthly_read_request_units": True, "monthly_write_request_units": True, "storage_gb": True},
    "aws_s3_bucket": {"standard": {"storage_gb": False, "monthly_tier_1_requests": True, "monthly_tier_2_requests": True}},
    "aws_sns_topic": {"monthly_requests": True, "request_size_kb": False, "http_subscriptions": True,
                      "email_subscriptions": True, "sms_subscriptions": True},
}
def fail(msg):
    print("#   " + msg); sys.exit(1)
if set(u) != {"version", "resource_usage"} or u["version"] != 0.1 or not isinstance(u["resource_usage"], dict):
    fail("want exactly version: 0.1 and a resource_usage mapping, got %r" % (list(u),))
declared = {(r["type"], name) for name, r in (scenario.get("resources") or {}).items()}
def check_keys(addr, got, want):
    for k, v in got.items():
        if k not in want:
            fail("%s: %s is not an Infracost key of this type" % (addr, k))
        if isinstance(want[k], dict):
            check_keys(addr + "." + k, v, want[k])
        elif want[k] is True and not (isinstance(v, int) and v >= 0):
            fail("%s: %s = %r, Infracost reads an integer" % (addr, k, v))
        elif want[k] is False and not (isinstance(v, (int, float)) and v >= 0):
            fail("%s: %s = %r, want a number" % (addr, k, v))
for addr, usage in u["resource_usage"].items():
    m = re.fullmatch(r"([a-z0-9_]+)\.([A-Za-z0-9_-]+)(\[\d+\])?", addr)
    if not m:
        fail("%s is not a Terraform address" % addr)
    if (m[1], m[2]) not in declared:
        fail("%s: the scenario declares no %s named %s" % (addr, m[1], m[2]))
    if m[1] not in known:
        fail("%s: no usage keys known for %s" % (addr, m[1]))
    check_keys(addr, usage, known[m[1]])
PY
}
for f in "$root"/scenarios/*.yaml; do
    name=$(basename "$f" .yaml)
    "$bin" run "$f" --quiet --replications 1 --out "$tmp/$name" >/dev/null 2>&1 &&
        shape "$f" "$tmp/$name/infracost-usage.yml"; check $? "$name: infracost-usage.yml has Infracost's usage-file shape"
done
# The figures: web-tier runs 6 group instances and 2 fixed ones for its 2 hours.
python3 - "$tmp/web-tier/infracost-usage.yml" <<'PY'; check $? "web-tier: the group's 6 instances, and each fixed instance's 730 monthly hours"
import sys, yaml
r = yaml.safe_load(open(sys.argv[1]))["resource_usage"]
assert r["aws_autoscaling_group.web"]["instances"] == 6, r
assert r["aws_instance.legacy[0]"]["monthly_hrs"] == 730 and r["aws_instance.legacy[1]"]["monthly_hrs"] == 730, r
PY
# The ALB's LCU dimensions: 10 requests per connection (aws_lb requests_per_connection's default), 17 KiB a request.
python3 - "$tmp/web-tier/infracost-usage.yml" "$tmp/web-tier/report.json" <<'PY'; check $? "web-tier: the ALB's new connections per second are its requests per second / 10, processed GB per hour its requests x 17 KiB"
import json, sys, yaml
lb = yaml.safe_load(open(sys.argv[1]))["resource_usage"]["aws_lb.front"]
r = json.load(open(sys.argv[2]))
rps = sum(w["arrivals"] for w in r["windows"]) / r["simulated_s"]
assert abs(lb["new_connections"] - rps / 10) <= 0.5 + 1e-9, (lb, rps)
assert abs(lb["processed_bytes_gb"] - rps * 3600 * 17 * 1024 / 2**30) <= 0.01 * lb["processed_bytes_gb"], (lb, rps)
PY
# Monthly counts are the run's counts per simulated hour x 730.
"$bin" run "$root/scenarios/license-pool.yaml" --quiet --out "$tmp/lp" >/dev/null 2>&1
python3 - "$tmp/lp/infracost-usage.yml" "$tmp/lp/report.json" <<'PY'; check $? "license-pool: monthly_requests = invocations / simulated hours x 730"
import json, sys, yaml
u = yaml.safe_load(open(sys.argv[1]))["resource_usage"]
r = json.load(open(sys.argv[2]))
hours = r["simulated_s"] / 3600
for row in r["resources"]["aws_lambda_function"]:
    want = round(row["invocations"] / hours * 730)
    got = u["aws_lambda_function." + row["name"]]["monthly_requests"]
    assert got == want, (row["name"], got, want)
PY
echo "1..$n"
exit $bad
