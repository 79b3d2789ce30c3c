#!/usr/bin/env bash
# tests/test_mpi.sh FLEETSIM SOURCE_ROOT - the -Dmpi=enabled build (issue 10 point 4): `mpirun -n 2
# fleetsim compare ...` spreads the jobs over two ranks, rank 0 merges and alone prints and writes,
# and the result is byte-identical to one process on threads (TAP). Registered only in MPI builds.
set -u
bin=$1 root=$2
. "$root/tests/tap.sh"
scn=scenarios/compare-scaling-policies.yaml
args=(--set duration=2h --set workload.1.arrivals.start=1h --replications 3 --threads 1)
root_ok=()
[ "$(id -u)" = 0 ] && root_ok=(--allow-run-as-root) # CI runs as root; Open MPI refuses it unless told
(cd "$root" && "$bin" compare "$scn" "${args[@]}" --out "$tmp/one" > "$tmp/one.txt" 2>&1); check $? "one process runs"
(cd "$root" && mpirun "${root_ok[@]}" -n 2 --oversubscribe "$bin" compare "$scn" "${args[@]}" --out "$tmp/mpi" \
    > "$tmp/mpi.txt" 2>"$tmp/mpi.err"); rc=$?
sed 's/^/# /' "$tmp/mpi.err" | head -5
check $rc "mpirun -n 2 --oversubscribe fleetsim compare runs"
sed -i "s|$tmp/one|DIR|" "$tmp/one.txt"; sed -i "s|$tmp/mpi|DIR|" "$tmp/mpi.txt"
same=0
for f in compare.json compare.csv compare.html; do cmp -s "$tmp/one/$f" "$tmp/mpi/$f" || same=1; done
cmp -s "$tmp/one.txt" "$tmp/mpi.txt" || same=1
check $same "2 ranks: stdout (printed once, by rank 0) and compare.json/csv/html byte-identical to one process"
(cd "$root" && mpirun "${root_ok[@]}" -n 2 --oversubscribe "$bin" run "$scn" "${args[@]}" --shard 0/2 \
    --out "$tmp/both" > /dev/null 2>"$tmp/both.err"); rc=$?
[ "$rc" = 2 ] && grep -q -- "--shard and mpirun -n 2 both split the jobs" "$tmp/both.err" && [ ! -e "$tmp/both" ]
check $? "--shard under mpirun -n 2 is refused (exit 2, says why, writes nothing)"
echo "1..$n"
exit $bad
