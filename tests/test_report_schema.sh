#!/usr/bin/env bash
# tests/test_report_schema.sh FLEETSIM SRCDIR - every shipped scenario's report.json is valid against
# docs/report.schema.json (python3-jsonschema), and the schema catches a report that breaks it.
bin=$1 root=$2
. "$root/tests/tap.sh"
validate() { # SCHEMA REPORT: exit 0 when valid, else prints the first error
    python3 - "$1" "$2" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
errs = sorted(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))), key=lambda e: list(e.path))
for e in errs[:3]:
    print("#   %s: %s" % ("/".join(map(str, e.path)), e.message[:200]))
sys.exit(1 if errs else 0)
PY
}
schema="$root/docs/report.schema.json"
for f in "$root"/scenarios/*.yaml; do
    name=$(basename "$f" .yaml)
    "$bin" run "$f" --quiet --replications 1 --out "$tmp/$name" >/dev/null 2>"$tmp/err"; rc=$?
    [ $rc = 0 ] || sed 's/^/#   /' "$tmp/err" | head -3
    [ $rc = 0 ] && validate "$schema" "$tmp/$name/report.json"; check $? "$name: report.json is valid against docs/report.schema.json"
done
# The schema version the binary writes is the one the schema file names.
python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["properties"]["schema"]["const"]; b=json.load(open(sys.argv[2]))["schema"]; sys.exit(a != b)' \
    "$schema" "$tmp/web-tier/report.json"; check $? "the schema file and the binary agree on the version"
# It can fail: a report with launched_s a string, or an unknown window field, is rejected.
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); r["instances"][0]["launched_s"]="0"; json.dump(r,open(sys.argv[2],"w"))' \
    "$tmp/web-tier/report.json" "$tmp/broken1.json"
! validate "$schema" "$tmp/broken1.json" >/dev/null; check $? "a report whose launched_s is not a number is rejected"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); r["windows"][0]["mean_in_system"]=1; json.dump(r,open(sys.argv[2],"w"))' \
    "$tmp/web-tier/report.json" "$tmp/broken2.json"
! validate "$schema" "$tmp/broken2.json" >/dev/null; check $? "a report with an undocumented window field is rejected"
# The fleet columns follow the group: flash-crowd scales out from 3 to 30 and back.
python3 - "$tmp/flash-crowd/report.json" <<'PY'; check $? "flash-crowd: windows show instances pending and draining, desired capacity 3 -> 30, and launches before running"
import json, sys
r = json.load(open(sys.argv[1]))
w = r["windows"]
assert w[0]["desired_capacity"] == 3 and max(x["desired_capacity"] for x in w) == 30, [x["desired_capacity"] for x in w]
assert max(x["instances_pending"] for x in w) > 0 and max(x["instances_draining"] for x in w) > 0
assert all(x["instances_in_service"] + x["instances_pending"] <= max(x["desired_capacity"], 30) for x in w)
assert all(abs(x["arrival_rate_rps"] * (x["end_s"] - x["start_s"]) - x["arrivals"]) < 1e-6 * max(1, x["arrivals"]) for x in w)
inst = r["instances"]
assert all(i["launched_s"] <= i["running_s"] for i in inst)
assert any(i["launched_s"] < i["running_s"] for i in inst), "a group's instance is launched before it runs"
PY
echo "1..$n"
exit $bad
