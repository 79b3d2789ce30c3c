#!/usr/bin/env bash
# tests/test_bench_scenarios.sh FLEETSIM SOURCE_ROOT - every bench scenario (bench/scenarios/*.yaml)
# is a valid scenario, and so is every run bench/big.sh makes of them (its --set variants, full and
# quick): `fleetsim check` accepts each. Nothing is run or timed (TAP).
set -u
bin=$1 root=$2
n=0 fail=0
for f in "$root"/bench/scenarios/*.yaml; do
    n=$((n + 1))
    if "$bin" check "$f" > /dev/null; then echo "ok $n - $(basename "$f"): passes check"
    else fail=1; echo "not ok $n - $(basename "$f"): passes check"; fi
done
for quick in 0 1; do
    while IFS= read -r line; do
        case $line in
        ok*) n=$((n + 1)); echo "ok $n - big.sh QUICK=$quick ${line#ok * - }" ;;
        "not ok"*) n=$((n + 1)); fail=1; echo "not ok $n - big.sh QUICK=$quick ${line#not ok * - }" ;;
        "#"*) echo "$line" ;;
        esac
    done < <(CHECK_WITH="$bin" QUICK=$quick bash "$root/bench/big.sh")
done
[ $n -gt 3 ] || { n=$((n + 1)); fail=1; echo "not ok $n - big.sh checked its runs"; }
echo "1..$n"
exit $fail
