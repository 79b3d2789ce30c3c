#!/usr/bin/env bash
# tests/test_golden.sh FLEETSIM SRCDIR [--regenerate] - the report files of tests/golden/small.yaml equal
# tests/golden/small/{windows.csv,report.json,infracost-usage.yml} byte for byte: any change to their
# columns, field names, order, number formatting or figures shows up as a diff. After an intended
# change, regenerate (from the source root) and review the diff before committing:
#   bash tests/test_golden.sh build/we/fleetsim . --regenerate
bin=$(realpath "$1") root=$2
. "$root/tests/tap.sh"
files=(windows.csv report.json infracost-usage.yml)
# Run from the source root with a relative path: report.json records the path it was given.
(cd "$root" && "$bin" run tests/golden/small.yaml --quiet --out "$tmp/out" 2>"$tmp/err"); rc=$?
[ $rc = 0 ] || sed 's/^/#   /' "$tmp/err" | head -5
check $rc "tests/golden/small.yaml runs"
if [ "${3:-}" = --regenerate ]; then
    mkdir -p "$root/tests/golden/small"
    for f in "${files[@]}"; do cp "$tmp/out/$f" "$root/tests/golden/small/$f"; done
    echo "# regenerated tests/golden/small/: review with git diff"
fi
for f in "${files[@]}"; do
    cmp -s "$root/tests/golden/small/$f" "$tmp/out/$f"; rc=$?
    [ $rc = 0 ] || diff "$root/tests/golden/small/$f" "$tmp/out/$f" | head -8 | sed 's/^/#   /'
    check $rc "golden: $f equals tests/golden/small/$f byte for byte"
done
echo "1..$n"
exit $bad
