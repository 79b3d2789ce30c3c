# tests/tap.sh - what every shell test of the suite starts with (sourced after `bin=$1 root=$2`):
# a scratch directory removed on exit, and TAP lines: check STATUS DESCRIPTION counts a test and
# marks the run failed (bad=1) unless STATUS is 0; status_is WANT DESCRIPTION CMD... runs CMD with
# its output in $tmp/out and $tmp/err and checks its exit status.
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
n=0 bad=0
check() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; bad=1; fi; }
status_is() { # WANT DESCRIPTION CMD...
    local want=$1 desc=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?
    [ "$got" = "$want" ] || { echo "# exit $got, want $want"; sed 's/^/#   /' "$tmp/err" | head -5; }
    [ "$got" = "$want" ]; check $? "$desc"
}
