#!/usr/bin/env bash
# End-to-end tests: one case file per feature in tests/e2e/cases/.  Each
# case is a bash script run in its own fresh work folder with these helpers;
# it fails on the first failed check.  Prints "N passed, M failed".
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
export LH="${LAKEHOUSE_BIN:-$REPO/build/lakehouse}"
export STEDI="${STEDI_DIR:-$REPO/../shared/stedi}"
export PIPE="$REPO/pipelines/stedi"
export REPO
pass=0; fail=0; failed=()
only="${1:-}"
logs="${E2E_LOGS:-$REPO/build/e2e-logs}"
mkdir -p "$logs"
for c in "$HERE"/cases/*.sh; do
    name="$(basename "$c" .sh)"
    [ -n "$only" ] && [[ "$name" != *"$only"* ]] && continue
    work="$(mktemp -d "${TMPDIR:-/tmp}/lh-e2e-$name.XXXXXX")"
    log="$work/log"
    start=$(date +%s.%N)
    ok=0
    ( cd "$work" && set -e && source "$HERE/lib.sh" && source "$c" ) >"$log" 2>&1 && ok=1
    cp "$log" "$logs/$name.log" 2>/dev/null || true
    if [ "$ok" -eq 1 ]; then
        pass=$((pass+1)); printf "ok    %-28s %6ss\n" "$name" "$(awk -v a="$start" -v b="$(date +%s.%N)" "BEGIN{printf \"%.2f\", b-a}")"
        rm -rf "$work"
    else
        fail=$((fail+1)); failed+=("$name")
        printf 'FAIL  %s  (log: %s)\n' "$name" "$log"; tail -n 25 "$log" | sed 's/^/      /'
    fi
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
