#!/usr/bin/env bash
# tests/lint.sh LIBRARY SOURCE_ROOT - structural rules the compiler cannot check (TAP).
#  1. No writable state at file scope: no symbol of libfleetsim.a lives in .data
#     or .bss (static const tables are in .rodata / .data.rel.ro). This is what
#     lets replications run in threads side by side.
#  2. The kernel knows nothing of AWS: nothing under sim/ includes models/, stats/ or reports/.
#  3. Dependencies point one way, sim <- stats <- models <- reports: nothing
#     under models/ or stats/ includes a reports/ header, and nothing under
#     stats/ includes a models/ header.
set -u
lib=$1 root=$2
n=0 bad=0
check() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; bad=1; fi; }

writable=$(objdump -t "$lib" 2>/dev/null | awk '$0 ~ /[ \t]\.(data|bss)[ \t]/ && $NF !~ /^\./ && $NF != "" {print $NF}' | sort -u)
if [ -n "$writable" ]; then echo "# writable file-scope symbols:"; printf '#   %s\n' $writable; fi
[ -z "$writable" ]; check $? "no writable file-scope data in $(basename "$lib")"

inc=$(grep -nE '#include +"(models|stats|reports)/' "$root"/sim/*.c "$root"/sim/*.h 2>/dev/null)
if [ -n "$inc" ]; then printf '# %s\n' "$inc"; fi
[ -z "$inc" ]; check $? "sim/ includes no models/, stats/ or reports/ header"

inc=$(grep -rnE '#include +"reports/' "$root"/models "$root"/stats --include='*.c' --include='*.h' 2>/dev/null)
if [ -n "$inc" ]; then printf '# %s\n' "$inc"; fi
[ -z "$inc" ]; check $? "models/ and stats/ include no reports/ header"

inc=$(grep -rnE '#include +"models/' "$root"/stats --include='*.c' --include='*.h' 2>/dev/null)
if [ -n "$inc" ]; then printf '# %s\n' "$inc"; fi
[ -z "$inc" ]; check $? "stats/ includes no models/ header"

echo "1..$n"
exit $bad
