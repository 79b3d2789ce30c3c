#!/usr/bin/env bash
# scripts/test.sh - set up and run the whole fleetsim test suite (the second
# Quick start command; .ci/run calls it).
#
#   bash scripts/test.sh            # deps (if missing), normal + ASan/UBSan builds, all tests, fuzz smoke
#   FUZZ_SECONDS=0 bash scripts/test.sh   # skip the fuzz run
#   SANITIZE=0 bash scripts/test.sh       # skip the sanitizer build (quicker local loop)
#
# Ends with the plain line "N passed, N failed" and exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
SANITIZE="${SANITIZE:-1}"
BUILD_ROOT="${BUILD_ROOT:-build}"

bash scripts/deps.sh || { echo "dependency install failed"; echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
failures=()

# count_log LOG LABEL: adds meson's per-test results to the totals.
count_log() {
    local log=$1 label=$2 line
    if [ ! -f "$log" ]; then
        failed=$((failed + 1)); failures+=("$label: no test log (build failed?)"); return
    fi
    while IFS=$'\t' read -r result name; do
        case "$result" in
            OK|EXPECTEDFAIL|SKIP) passed=$((passed + 1)) ;;
            *) failed=$((failed + 1)); failures+=("$label: $name ($result)") ;;
        esac
    done < <(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    line = line.strip()
    if not line:
        continue
    t = json.loads(line)
    print("%s\t%s" % (t.get("result"), t.get("name")))
' "$log")
}

# run_suite DIR LABEL MESON_ARGS...: configure, build with warnings as errors, run every test.
run_suite() {
    local dir=$1 label=$2; shift 2
    echo "== $label: configure and build ($dir)"
    rm -f "$dir/meson-logs/testlog.json"
    if [ -f "$dir/build.ninja" ]; then
        meson configure "$dir" -Dwerror=true "$@" >/dev/null
    else
        meson setup "$dir" -Dwerror=true "$@" >/dev/null
    fi || { failed=$((failed + 1)); failures+=("$label: meson setup"); return; }
    if ! ninja -C "$dir" >"$dir.build.log" 2>&1; then
        tail -40 "$dir.build.log"
        failed=$((failed + 1)); failures+=("$label: build (see $dir.build.log)"); return
    fi
    echo "== $label: tests"
    meson test -C "$dir" --print-errorlogs --num-processes 2 --timeout-multiplier "${TIMEOUT_MULT:-1}" \
        | grep -Ev '^ *[0-9]+/[0-9]+ .* OK ' || true
    count_log "$dir/meson-logs/testlog.json" "$label"
}

export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"

run_suite "$BUILD_ROOT/test" "gcc" -Dbuildtype=debugoptimized -Dmpi=enabled
if [ "$SANITIZE" = 1 ]; then
    TIMEOUT_MULT=3 run_suite "$BUILD_ROOT/asan" "asan+ubsan" -Dbuildtype=debugoptimized \
        -Db_sanitize=address,undefined -Db_lundef=false
fi

if [ "$FUZZ_SECONDS" -gt 0 ]; then
    echo "== fuzz: scenario loader for ${FUZZ_SECONDS}s"
    if bash fuzz/run.sh "$FUZZ_SECONDS" "$BUILD_ROOT/fuzz" >"$BUILD_ROOT/fuzz.log" 2>&1; then
        passed=$((passed + 1))
        tail -3 "$BUILD_ROOT/fuzz.log"
    else
        tail -40 "$BUILD_ROOT/fuzz.log"
        failed=$((failed + 1)); failures+=("fuzz: scenario loader (see $BUILD_ROOT/fuzz.log)")
    fi
fi

if [ ${#failures[@]} -gt 0 ]; then
    echo "== failures:"
    printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
