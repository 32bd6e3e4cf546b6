#!/usr/bin/env bash
# End-to-end tests: one case file per feature in tests/e2e/cases/.  Each
# case is a bash script run in its own fresh work folder with these helpers;
# it fails on the first failed check.  A case that reads outside data says
# so with `needs NAME` (lib.sh; NAME as in tests/testdata.sh: the data is
# found under LAKEHOUSE_TEST_DATA, default ../shared); when that data is
# absent the case is skipped by name, not passed.  Today: stedi_real needs
# the real STEDI landing JSON (stedi/), parquet_testing needs Apache's
# parquet-testing files (corpora/parquet-testing/); readonly, interrupts
# and small_lies use the real STEDI data when it is there and generated
# data (the same eight counts) when not.
# Prints "e2e: N passed, M failed, K skipped".
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
export LH="${LAKEHOUSE_BIN:-$REPO/build/lakehouse}"
source "$REPO/tests/testdata.sh"
export STEDI; STEDI="$(td_path stedi)"
export PIPE="$REPO/pipelines/stedi"
export REPO
pass=0; fail=0; skip=0; failed=()
only="${1:-}"
logs="${E2E_LOGS:-$REPO/build/e2e-logs}"
mkdir -p "$logs"
for c in "$HERE"/cases/*.sh; do
    name="$(basename "$c" .sh)"
    [ -n "$only" ] && [[ "$name" != *"$only"* ]] && continue
    work="$(mktemp -d "${TMPDIR:-/tmp}/lh-e2e-$name.XXXXXX")"
    log="$work/log"
    start=$(date +%s.%N)
    ( cd "$work" && set -e && export E2E_SKIP="$work/.skip" && source "$HERE/lib.sh" && source "$c" ) >"$log" 2>&1; rc=$?
    cp "$log" "$logs/$name.log" 2>/dev/null || true
    if [ "$rc" -eq 77 ] && [ -s "$work/.skip" ]; then
        skip=$((skip+1)); why="$(cat "$work/.skip")"
        printf 'skip  %s  (needs %s)\n' "$name" "$why"
        td_note "e2e $name" "$why"
        rm -rf "$work"
    elif [ "$rc" -eq 0 ]; then
        pass=$((pass+1)); printf "ok    %-28s %6ss\n" "$name" "$(awk -v a="$start" -v b="$(date +%s.%N)" "BEGIN{printf \"%.2f\", b-a}")"
        rm -rf "$work"
    else
        fail=$((fail+1)); failed+=("$name")
        printf 'FAIL  %s  (log: %s)\n' "$name" "$log"; tail -n 25 "$log" | sed 's/^/      /'
    fi
done
echo "e2e: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
