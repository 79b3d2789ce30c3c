#!/usr/bin/env bash
# tests/test_fuzz_corpus.sh FLEETSIM SOURCE_ROOT - the fuzzer's seed corpus, as
# fuzz/make_corpus.py assembles it (TAP): one seed per tests/bad and scenarios file,
# the built-in scenario, and the fuzz/seeds/sets.txt seeds, whose "#set" is valid.
set -u
bin=$1 root=$2
. "$root/tests/tap.sh"

python3 "$root/fuzz/make_corpus.py" "$root" "$tmp/corpus" >/dev/null; check $? "make_corpus.py runs"
missing=0
for f in "$root"/tests/bad/*.yaml; do [ -f "$tmp/corpus/bad-$(basename "$f")" ] || { echo "# no seed for $f"; missing=1; }; done
for f in "$root"/scenarios/*.yaml; do cmp -s "$f" "$tmp/corpus/$(basename "$f")" || { echo "# no seed for $f"; missing=1; }; done
check $missing "a seed for every tests/bad and scenarios file"
# the built-in scenario, as `fleetsim run` with no FILE uses it
"$bin" run --set duration=10m --quiet --out "$tmp/a" 2>/dev/null &&
    "$bin" run "$tmp/corpus/default.yaml" --set duration=10m --quiet --out "$tmp/b" 2>/dev/null &&
    cmp -s "$tmp/a/windows.csv" "$tmp/b/windows.csv" && cmp -s "$tmp/a/events.jsonl" "$tmp/b/events.jsonl" &&
    diff <(grep -v '"file":' "$tmp/a/report.json") <(grep -v '"file":' "$tmp/b/report.json") >/dev/null
check $? "default.yaml is the built-in scenario (the same run, but for report.json's file)"
# tests/bad files with a "# set:" header keep it as the fuzzer's first line "#set"
for f in "$tmp"/corpus/bad-*.yaml; do
    want=$(sed -n '/^#/!q; s/^# set: //p' "$f" | head -1)
    [ -z "$want" ] && continue
    [ "$(head -1 "$f")" = "#set $want" ]; check $? "$(basename "$f"): first line is its --set"
done
nset=0
for f in "$tmp"/corpus/set-*.yaml; do
    nset=$((nset + 1))
    set_arg=$(head -1 "$f"); set_arg=${set_arg#\#set }
    "$bin" run "$f" --set "$set_arg" --set duration=10m --quiet --out "$tmp/s" 2>"$tmp/err"; rc=$?
    [ $rc = 0 ] || sed 's/^/#   /' "$tmp/err" | head -3
    check $rc "$(basename "$f"): its #set is a valid --set (runs, exit 0)"
done
[ "$nset" -gt 0 ]; check $? "fuzz/seeds/sets.txt gives seeds ($nset)"

echo "1..$n"
exit $bad
