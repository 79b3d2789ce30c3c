#!/bin/sh
# fuzz/run.sh SECONDS [BUILD_DIR]: builds the scenario fuzzer with clang and
# runs it for SECONDS over a copy of the seed corpus, which fuzz/make_corpus.py
# assembles afresh in BUILD_DIR/corpus from tests/bad, tests/bad-pending,
# scenarios/, the built-in scenario and fuzz/seeds/sets.txt. Exits non-zero if
# libFuzzer found a crash, a leak or a timeout; the reproducer is left in
# BUILD_DIR/artifacts.
set -eu
secs=${1:?usage: fuzz/run.sh SECONDS [BUILD_DIR]}
src=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-${TMPDIR:-/tmp}/fleetsim-fuzz}

if [ ! -f "$build/build.ninja" ]; then
    CC=clang meson setup "$build" "$src" -Dfuzz=true -Db_lundef=false -Dbuildtype=debugoptimized
fi
ninja -C "$build" fuzz/fuzz_scenario
# the fuzzer runs from a scratch directory: name the build by an absolute path
build=$(cd "$build" && pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fuzz/run.sh: $(python3 "$src/fuzz/make_corpus.py" "$src" "$build/corpus") seed files in $build/corpus"
cp -r "$build/corpus" "$work/corpus"
rm -rf "$build/artifacts"
mkdir -p "$build/artifacts"
# FUZZ_JOBS=N runs N workers in parallel (their logs go to the temporary directory);
# FUZZ_ARGS adds libFuzzer flags, e.g. FUZZ_ARGS=-len_control=0 to try long inputs at once.
jobs=${FUZZ_JOBS:-1}
status=0
cd "$work"
if [ "$jobs" -gt 1 ]; then
    set -- -jobs="$jobs" -workers="$jobs"
else
    set --
fi
"$build/fuzz/fuzz_scenario" "$work/corpus" \
    -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$build/artifacts/" -print_final_stats=1 ${FUZZ_ARGS:-} "$@" || status=$?
if [ "$jobs" -gt 1 ]; then
    grep -hE 'ERROR|SUMMARY' fuzz-*.log || true
fi
if [ "$status" -eq 72 ] && ! ls "$build/artifacts" | grep -q .; then
    echo "fuzz/run.sh: interrupted by a signal before $secs s; nothing found so far" >&2
    exit 1
fi
if [ "$status" -ne 0 ] || ls "$build/artifacts" | grep -q .; then
    echo "fuzz/run.sh: libFuzzer found a problem (exit $status); reproducers:" >&2
    ls -l "$build/artifacts" >&2
    exit 1
fi
echo "fuzz/run.sh: no crash, leak or timeout in $secs s"
