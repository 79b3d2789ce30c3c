#!/usr/bin/env bash
# tests/test_progress.sh - the progress line of `fleetsim run` (issue 9 point 3): on stderr when it
# is a terminal (a pseudo-terminal from script(1)), with simulated time, percent, events per second
# and ETA, erased at the end; nothing when stderr is a file or with --quiet; and the report set of a
# run with the line is byte-identical to one without (the wall clock only reaches the display).
bin=$1 root=$2
. "$root/tests/tap.sh"
scn="$root/scenarios/flash-crowd.yaml" # a fraction of a second: the first tick draws, however fast the machine
line='fleetsim: simulated [0-9]+:[0-9]{2}:[0-9]{2} of [0-9]+:[0-9]{2}:[0-9]{2} +[0-9]+% +[0-9]+ k events/s +ETA [0-9]+:[0-9]{2}:[0-9]{2}'

script -qec "'$bin' run '$scn' --out '$tmp/tty'" /dev/null >"$tmp/tty.txt"; check $? "a run on a terminal"
grep -q -E "$line" "$tmp/tty.txt"; check $? "the progress line: simulated time, percent, events/s, ETA"
# Each redraw starts with \r and erases to the end of the line; the last is erased before the summary.
python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); i=d.rfind(b"ETA"); sys.exit(not (i >= 0 and b"\r\x1b[K" in d[i:d.find(b"requests", i)]))' "$tmp/tty.txt"
check $? "the line is erased at the end"

script -qec "'$bin' run '$scn' --out '$tmp/file' 2>'$tmp/err.txt'" /dev/null >"$tmp/file.txt"; check $? "a run with stderr to a file"
! grep -q -E 'events/s|ETA' "$tmp/err.txt" "$tmp/file.txt"; check $? "stderr not a terminal: no progress line"

script -qec "'$bin' run '$scn' --quiet --out '$tmp/quiet'" /dev/null >"$tmp/quiet.txt"; check $? "a --quiet run on a terminal"
! grep -q -E 'events/s|ETA' "$tmp/quiet.txt"; check $? "--quiet: no progress line"

same=0
for f in report.json report.html windows.csv events.jsonl; do
    cmp -s "$tmp/tty/$f" "$tmp/file/$f" || { echo "# $f differs"; same=1; }
done
check $same "the report set is byte-identical with and without the progress line"

echo "1..$n"
exit $bad
