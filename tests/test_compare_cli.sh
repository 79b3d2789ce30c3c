#!/usr/bin/env bash
# tests/test_compare_cli.sh FLEETSIM SOURCE_ROOT - `fleetsim compare` and `run --replications` (TAP)
# (issue 9 point 4): README.md's comparison table is the command's output, the outputs do not
# depend on --threads, --out writes the set, usage and scenario errors exit as docs/cli.md says.
set -u
bin=$1 root=$2
. "$root/tests/tap.sh"
scn=scenarios/compare-scaling-policies.yaml

# README.md: the block after "$ fleetsim compare scenarios/compare-scaling-policies.yaml --replications 3" up to the fence.
python3 - "$root/README.md" > "$tmp/readme.txt" <<'PY'
import sys
s = open(sys.argv[1]).read()
a = s.index("$ fleetsim compare scenarios/compare-scaling-policies.yaml --replications 3\n")
a = s.index("\n", a) + 1
print(s[a:s.index("```", a)], end="")
PY
[ -s "$tmp/readme.txt" ]; check $? "README.md shows the comparison of $scn"
(cd "$root" && "$bin" compare "$scn" --replications 3 --threads 2 > "$tmp/table.txt" 2>"$tmp/err")
check $? "fleetsim compare $scn --replications 3 runs"
diff "$tmp/readme.txt" "$tmp/table.txt" > "$tmp/diff"; rc=$?
sed 's/^/# /' "$tmp/diff" | head -20
check $rc "README.md's table is the command's output, byte for byte"

# Threads: 1 and 2 give the same bytes (a shortened day: the crowd at 1h).
short=(--set duration=2h --set workload.1.arrivals.start=1h --replications 3)
(cd "$root" && "$bin" compare "$scn" "${short[@]}" --threads 1 --out "$tmp/t1" > "$tmp/t1.txt" 2>&1)
check $? "compare --threads 1 runs"
(cd "$root" && "$bin" compare "$scn" "${short[@]}" --threads 2 --out "$tmp/t2" > "$tmp/t2.txt" 2>&1)
check $? "compare --threads 2 runs"
sed -i "s|$tmp/t[12]|DIR|" "$tmp/t1.txt" "$tmp/t2.txt"
same=0
for f in compare.json compare.csv compare.html; do
    cmp -s "$tmp/t1/$f" "$tmp/t2/$f" || same=1
done
cmp -s "$tmp/t1.txt" "$tmp/t2.txt" || same=1
check $same "stdout, compare.json, compare.csv and compare.html are byte-identical with 1 and 2 threads"
python3 - "$tmp/t1/compare.json" "$tmp/t1/compare.csv" <<'PY'
import csv, json, sys
r = json.load(open(sys.argv[1]))
names = [v["name"] for v in r["variants"]]
rows = list(csv.reader(open(sys.argv[2])))
ok = r["schema"] == "fleetsim.compare/1" and r["replications"] == 3 and names == ["base", "step", "simple", "scheduled"]
ok = ok and rows[0] == ["row"] + names and all(len(x) == 5 for x in rows)
d = r["variants"][3]["difference_from_base"]["instance_hours"]
ok = ok and d["n"] == 3 and isinstance(d["significant"], bool) and len(r["variants"][0]["figures"]["p99_ms"]["values"]) == 3
print("# variants", names, "csv rows", len(rows))
sys.exit(0 if ok else 1)
PY
check $? "compare.json (schema fleetsim.compare/1) and compare.csv hold one column per variant"
grep -q "<table>" "$tmp/t1/compare.html" && ! grep -qi "<script" "$tmp/t1/compare.html"
check $? "compare.html is a table without scripts"

# run --replications on a scenario without variants: one column, with intervals.
status_is 0 "run --replications 3 runs" "$bin" run "$root/scenarios/flash-crowd.yaml" --replications 3 --threads 2
grep -q "3 replications each, mean ± half-width" "$tmp/out" && grep -q "^p99 (ms) .*±" "$tmp/out" && ! grep -q "difference from base" "$tmp/out"
check $? "run --replications 3: the summary with 95% intervals, one column"
status_is 0 "run --replications 1 on a variants file runs the base once" "$bin" run "$root/$scn" --quiet --set duration=1h --set workload.1.arrivals.start=30m --replications 1
status_is 0 "compare --replications 1 says there is no interval" "$bin" compare "$root/$scn" --set duration=1h --set workload.1.arrivals.start=30m --replications 1
grep -q "n=1, no interval" "$tmp/out"; check $? "n=1: no interval, said so"
status_is 0 "the scenario's replications: key is read" "$bin" compare "$root/$scn" --set duration=1h --set workload.1.arrivals.start=30m --set replications=2
grep -q "2 replications each" "$tmp/out"; check $? "replications: 2 gives two replications"

# Shards (issue 10 point 4): 4 partial results merged give the bytes of one run.
for i in 0 1 2 3; do
    (cd "$root" && "$bin" compare "$scn" "${short[@]}" --threads 1 --shard $i/4 --out "$tmp/s$i" > /dev/null 2>&1) || echo "# shard $i failed"
done
(cd "$root" && "$bin" merge "$tmp/s0" "$tmp/s2" "$tmp/s1" "$tmp/s3" --out "$tmp/m" > "$tmp/m.txt" 2>&1); check $? "fleetsim merge of 4 shards runs"
sed -i "s|$tmp/m|DIR|" "$tmp/m.txt"
same=0
for f in compare.json compare.csv compare.html; do
    cmp -s "$tmp/t1/$f" "$tmp/m/$f" || same=1
done
cmp -s "$tmp/t1.txt" "$tmp/m.txt" || same=1
check $same "4 shards merged: stdout, compare.json, compare.csv and compare.html byte-identical to one run"
status_is 1 "merge without one shard says which is missing" "$bin" merge "$tmp/s0" "$tmp/s1" "$tmp/s3"
grep -q "shard 2/4 is missing" "$tmp/err"; check $? "the missing shard is named"
status_is 1 "merge of one shard twice is refused" "$bin" merge "$tmp/s0" "$tmp/s0" "$tmp/s1" "$tmp/s2" "$tmp/s3"
(cd "$root" && "$bin" compare "$scn" "${short[@]}" --set seed=12 --shard 1/4 --out "$tmp/x1" > /dev/null 2>&1)
status_is 1 "merge of shards of different batches is refused" "$bin" merge "$tmp/s0" "$tmp/x1" "$tmp/s2" "$tmp/s3"
grep -q "from another batch" "$tmp/err"; check $? "the foreign partial result is named"
status_is 2 "--shard without --out is a usage error" "$bin" compare "$root/$scn" --shard 0/2
status_is 2 "--shard 2/2 is a usage error" "$bin" compare "$root/$scn" --shard 2/2 --out "$tmp/y"

# Usage and scenario errors.
status_is 2 "compare without FILE is a usage error" "$bin" compare
status_is 2 "--replications 0 is a usage error" "$bin" compare "$root/$scn" --replications 0
status_is 2 "--threads x is a usage error" "$bin" run --threads x
printf 'scenario: t\nduration: 1h\nresources:\n  lt: {type: aws_launch_template, instance_type: c5.large}\n  tg: {type: aws_lb_target_group}\n  lb: {type: aws_lb, default_target_group: tg}\n  g: {type: aws_autoscaling_group, launch_template: lt, min_size: 1, max_size: 3, target_group_arns: [tg]}\nworkload:\n  - {name: w, target: lb, arrivals: {kind: poisson, rps: 10}, service_time: 40ms}\nvariants:\n  - {name: big, set: {resources.g.max_sise: 9}}\n' > "$tmp/bad.yaml"
status_is 1 "a variant's bad override is a scenario error" "$bin" compare "$tmp/bad.yaml"
grep -q "bad.yaml:11:23: error: unknown key 'max_sise'" "$tmp/err" && grep -q "bad.yaml:11:5: error: variant 'big'" "$tmp/err"
check $? "the error names the override's and the variant's file:line:column"

echo "1..$n"
exit $bad
