#!/usr/bin/env bash
# tests/test_cli.sh FLEETSIM SOURCE_ROOT - the command line as a user meets it (TAP):
# exit codes, reports written only on success, determinism across processes.
set -u
bin=$1 root=$2
. "$root/tests/tap.sh"
short=(--set duration=3m)

status_is 0 "--help exits 0" "$bin" --help
grep -q "run \[FILE\]" "$tmp/out"; check $? "--help shows the run usage"
status_is 0 "--version exits 0" "$bin" --version
grep -Eq '^fleetsim [0-9]+\.[0-9]+' "$tmp/out"; check $? "--version prints a version"
status_is 2 "no command is a usage error (2)" "$bin"
status_is 2 "unknown command is a usage error (2)" "$bin" frobnicate
status_is 2 "unknown option is a usage error (2)" "$bin" run --frobnicate
status_is 2 "--seed with a non-number is a usage error (2)" "$bin" run --seed abc
status_is 2 "--set without '=' is a usage error (2)" "$bin" run --set duration
status_is 2 "check without FILE is a usage error (2)" "$bin" check
status_is 1 "a missing file is a scenario error (1)" "$bin" check "$tmp/nope.yaml"
status_is 0 "check accepts the example scenario" "$bin" check "$root/scenarios/web-tier.yaml"
python3 -c 'import sys; s=open(sys.argv[1]).read(); a=s.index("```yaml\n")+8; print(s[a:s.index("```",a)], end="")' \
    "$root/README.md" > "$tmp/readme.yaml"
status_is 0 "the README's example scenario is valid" "$bin" check "$tmp/readme.yaml"
sed 's/^    min_size: 4/    min_sise: 4/' "$tmp/readme.yaml" > "$tmp/broken.yaml"
status_is 1 "the README's broken example is rejected" "$bin" check "$tmp/broken.yaml"
grep -q "broken.yaml:22:5: error: unknown key 'min_sise' in aws_autoscaling_group \"web\" (did you mean 'min_size'?)" "$tmp/err"
check $? "the README's diagnostic is what fleetsim prints"

bad_file=$(ls "$root"/tests/bad/*.yaml | head -1)
status_is 1 "a broken scenario exits 1" "$bin" run "$bad_file" --out "$tmp/bad-out"
grep -Eq '^[^:]+:[0-9]+:[0-9]+: error: ' "$tmp/err"; check $? "the diagnostic has FILE:LINE:COL: error:"
[ ! -e "$tmp/bad-out/report.json" ]; check $? "a broken scenario writes no report"
status_is 1 "a bad --set value exits 1" "$bin" run --set duration=banana --out "$tmp/bad-out2"
[ ! -e "$tmp/bad-out2/report.json" ]; check $? "a bad --set writes no report"

status_is 0 "the default scenario runs" "$bin" run "${short[@]}" --out "$tmp/a"
grep -qi "p99" "$tmp/out"; check $? "the text summary shows p99"
[ -s "$tmp/a/report.json" ] && [ -s "$tmp/a/windows.csv" ] && [ -f "$tmp/a/events.jsonl" ]; check $? "report.json, windows.csv and events.jsonl written"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema"].startswith("fleetsim.report/")' "$tmp/a/report.json"
check $? "report.json is valid JSON with a schema version"
[ -z "$(ls -A "$tmp/a" | grep -v -x -E 'report\.json|report\.html|infracost-usage\.yml|windows\.csv|events\.jsonl|\.fleetsim-current|\.fleetsim-gen-.*')" ] &&
    [ "$(ls -A "$tmp/a" | grep -c '^\.fleetsim-gen-')" = 1 ]; check $? "no temporary files left behind (the files, .fleetsim-current, one generation)"
status_is 0 "the same run again" "$bin" run "${short[@]}" --quiet --out "$tmp/b"
[ ! -s "$tmp/out" ]; check $? "--quiet prints nothing on stdout"
cmp -s "$tmp/a/report.json" "$tmp/b/report.json"; check $? "same seed: byte-identical report.json"
cmp -s "$tmp/a/windows.csv" "$tmp/b/windows.csv"; check $? "same seed: byte-identical windows.csv"
cmp -s "$tmp/a/events.jsonl" "$tmp/b/events.jsonl"; check $? "same seed: byte-identical events.jsonl"
cmp -s "$tmp/a/report.html" "$tmp/b/report.html"; check $? "same seed: byte-identical report.html"
status_is 0 "--seed 2" "$bin" run "${short[@]}" --seed 2 --quiet --out "$tmp/c"
! cmp -s "$tmp/a/report.json" "$tmp/c/report.json"; check $? "another seed gives another report"
status_is 0 "--set changes the scenario" "$bin" run "${short[@]}" --set seed=2 --quiet --out "$tmp/d"
cmp -s "$tmp/c/report.json" "$tmp/d/report.json"; check $? "--seed 2 equals --set seed=2"
touch "$tmp/file"
status_is 3 "an unwritable --out is a run failure (3)" "$bin" run "${short[@]}" --quiet --out "$tmp/file/sub"

# Hostile inputs: every one is refused with a reason, none hangs or crashes.
lim=(timeout 20)
status_is 1 "a directory as the scenario is a scenario error (1)" "${lim[@]}" "$bin" check "$tmp"
grep -q "$tmp: error: cannot read the file: Is a directory" "$tmp/err"; check $? "a directory: the reason is 'Is a directory'"
mkfifo "$tmp/fifo.yaml"
status_is 1 "a FIFO as the scenario is refused, not waited on" "${lim[@]}" "$bin" check "$tmp/fifo.yaml"
grep -q "fifo.yaml: error: cannot read the file: it is not a regular file (a FIFO)" "$tmp/err"; check $? "a FIFO scenario: the reason is given"
if [ "$(id -u)" != 0 ]; then
    cp "$root/scenarios/web-tier.yaml" "$tmp/noperm.yaml" && chmod 000 "$tmp/noperm.yaml"
    status_is 1 "an unreadable scenario is a scenario error (1)" "$bin" check "$tmp/noperm.yaml"
    grep -q "noperm.yaml: error: cannot open the file: Permission denied" "$tmp/err"; check $? "an unreadable file: strerror"
fi
mkdir "$tmp/tr" && mkfifo "$tmp/tr/fifo.csv"
sed -e '1,/^scenario:/{/^#/d}' -e 's/trace-bad-row.csv/fifo.csv/' "$root/tests/bad/arrivals-trace-bad-row.yaml" > "$tmp/tr/s.yaml"
status_is 1 "a FIFO as a trace CSV is refused, not waited on" "${lim[@]}" "$bin" check "$tmp/tr/s.yaml"
grep -q "s.yaml:9:57: error: 'file': trace $tmp/tr/fifo.csv is not a regular file (it is a FIFO)" "$tmp/err"
check $? "a FIFO trace: named at the 'file' key"

deep=$(printf 'a.%.0s' $(seq 60000)) # 120 KB: one argument may not exceed 128 KiB
status_is 1 "a 60000-level --set path is refused (small stack)" \
    bash -c 'ulimit -s 512; exec timeout 20 "$@"' _ "$bin" run --set "${deep}x=1"
grep -q "error: --set 'a\.a\..*': nesting deeper than 64 levels" "$tmp/err"; check $? "a deep --set: the nesting limit"

# UTF-16 with a BOM (either order) or without one: refused at 1:1, with no garbled quote.
for enc in utf-16 utf-16-be utf-16-le; do
    python3 -c 'import sys; t=open(sys.argv[1]).read(); b=("\ufeff" + t if sys.argv[3] == "utf-16-be" else t).encode(sys.argv[3]); open(sys.argv[2], "wb").write(b)' \
        "$root/scenarios/web-tier.yaml" "$tmp/u16.yaml" "$enc"
    status_is 1 "a $enc scenario is refused" "$bin" check "$tmp/u16.yaml"
    [ "$(cat "$tmp/err")" = "$tmp/u16.yaml:1:1: error: file is UTF-16; save it as UTF-8
1 error" ]; check $? "a $enc scenario: 'file is UTF-16; save it as UTF-8', nothing else"
done

# Line ends as libyaml counts them (CR, CR LF, LF, NEL, LS): the quoted line is the reported one.
printf 'scenario: t\rduration: 1h\rresources: {}\rworkload: []\rreport: {window: banana}\r' > "$tmp/cr.yaml"
status_is 1 "a CR-only scenario with an error exits 1" "$bin" check "$tmp/cr.yaml"
quoted() { awk -v w="$1" 'f && f < 3 {print; f++} index($0, w) == 1 {f = 1}' "$tmp/err"; } # the 2 lines after
[ "$(quoted "$tmp/cr.yaml:5:18: error: ")" = "report: {window: banana}
                 ^" ]; check $? "CR-only: line 5 quoted, caret under column 18"
printf 'scenario: t\r\nduration: 1h\xc2\x85resources: {}\xe2\x80\xa8workload: []\nreport: {window: banana}\n' > "$tmp/mixed.yaml"
status_is 1 "a scenario with mixed line ends exits 1" "$bin" check "$tmp/mixed.yaml"
[ "$(quoted "$tmp/mixed.yaml:5:18: error: ")" = "report: {window: banana}
                 ^" ]; check $? "CR LF, NEL, LS: line 5 quoted"

# docs/cli.md's note example: check names an accepted, not simulated attribute once, at its first use, and exits 0.
printf 'scenario: t\nduration: 1h\nresources:\n  lt: {type: aws_launch_template, instance_type: c5.large, tags: {a: b}}\n  g: {type: aws_autoscaling_group, launch_template: lt, min_size: 1, max_size: 1, tags: {a: b}}\n' > "$tmp/notes.yaml"
status_is 0 "check of a scenario with tags exits 0" "$bin" check "$tmp/notes.yaml"
want=$(sed -n 's/^stack\.yaml:[0-9]*:[0-9]*: note: //p' "$root/docs/cli.md")
[ -n "$want" ] && [ "$(grep -c ': note: ' "$tmp/err")" = 1 ] &&
    [ "$(sed -n 's/^.*notes\.yaml:4:60: note: //p' "$tmp/err")" = "$want" ]
check $? "docs/cli.md's note is what check prints, once, at the first 'tags'"

# docs/scenario.md's listener example loads as written (indented under resources:, beside the groups it names).
awk '/^#### Listeners and rules/ {f = 1} f && /^```yaml/ {on = 1; next} on && /^```/ {exit} on' "$root/docs/scenario.md" \
    | sed 's/^/  /' > "$tmp/listener-example.yaml"
{ printf 'scenario: t\nduration: 10m\nresources:\n'
  printf '  lt: {type: aws_launch_template, instance_type: c5.large}\n  front: {type: aws_lb}\n'
  for g in blue green api_tg; do printf '  %s: {type: aws_lb_target_group}\n' $g; done
  printf '  g: {type: aws_autoscaling_group, launch_template: lt, min_size: 1, max_size: 1, target_group_arns: [blue, green, api_tg]}\n'
  cat "$tmp/listener-example.yaml"
  printf 'workload:\n  - {name: w, target: front, path: /api/x, host: a.example.com, arrivals: {kind: poisson, rps: 5}, service_time: 40ms}\n'
} > "$tmp/listener.yaml"
[ -s "$tmp/listener-example.yaml" ]; check $? "docs/scenario.md has the listener example"
status_is 0 "docs/scenario.md's listener example passes check" "$bin" check "$tmp/listener.yaml"

echo "1..$n"
exit $bad
