#!/usr/bin/env bash
# The end-to-end pipeline under valgrind memcheck: ingest, run, verify,
# queries and a CTAS on the real STEDI data, each command must report no
# memory error and no definite leak.
# Needs: LAKEHOUSE_TEST_DATA/stedi (default ../shared/stedi), the real STEDI
# landing JSON (customer, accelerometer, step_trainer landing/*.json) from
# Udacity's nd027-Data-Engineering-Data-Lakes-AWS-Exercises repository,
# folder project/starter; without it: "valgrind: skipped (needs ...)", exit
# 77.  See tests/testdata.sh.
# Prints "valgrind: N passed, M failed".
set -u
here="$(cd "$(dirname "$0")" && pwd)"; repo="$(cd "$here/../.." && pwd)"
LH="${LAKEHOUSE_BIN:-$repo/build/lakehouse}"
source "$repo/tests/testdata.sh"
td_skip_suite valgrind stedi
STEDI="$(td_path stedi)"
work="$(mktemp -d "${TMPDIR:-/tmp}/lh-valgrind-XXXXXX")"
trap 'rm -rf "$work"' EXIT
command -v valgrind >/dev/null || { echo "valgrind: 0 passed, 1 failed (valgrind not installed)"; exit 1; }
pass=0; fail=0
vg() { # name expected-exit args...
    local name=$1 want=$2 rc; shift 2
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        --log-file="$work/$name.vg" "$LH" --lake "$work/lake" "$@" >"$work/$name.out" 2>&1
    rc=$?
    if [ "$rc" -eq "$want" ] && [ ! -s "$work/$name.vg" ]; then
        pass=$((pass+1)); echo "ok   $name (exit $rc, no memcheck report)"
    else
        fail=$((fail+1)); echo "FAIL $name (exit $rc, wanted $want)"; tail -n 30 "$work/$name.vg" "$work/$name.out"
    fi
}
vg ingest 0 ingest "$STEDI" s3://stedi-lakehouse/
vg run 0 run "$repo/pipelines/stedi"
vg verify 0 verify "$repo/pipelines/stedi"
vg query 0 sql -q -f csv -e "SELECT serialnumber, count(*) FROM stedi.machine_learning_curated GROUP BY 1 ORDER BY 2 DESC LIMIT 3"
vg ctas-json 0 sql -q -e "CREATE TABLE stedi.vg WITH (format='JSON', external_location='s3://stedi-lakehouse/vg/') AS SELECT * FROM stedi.customer_trusted"
vg sql-error 2 sql -q -e "SELECT nosuch FROM stedi.customer_trusted"
vg bad-data 2 sql -q -e "CREATE EXTERNAL TABLE stedi.notjson (a int) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://stedi-lakehouse/step_trainer/curated/'" -e "SELECT count(a) FROM stedi.notjson"
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
