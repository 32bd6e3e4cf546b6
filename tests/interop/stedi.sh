#!/usr/bin/env bash
# DuckDB reads the STEDI trusted and curated Parquet tables lakehouse wrote
# (real data from ../shared/stedi), given only the snapshot prefixes the
# catalog names, and gets the same counts and aggregates.
# Prints "duckdb stedi: N passed, M failed".
set -u
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
LH="${LAKEHOUSE_BIN:-$repo/build/lakehouse}"
work="$(mktemp -d "${TMPDIR:-/tmp}/lh-stedi-duck-XXXXXX")"
trap 'rm -rf "$work"' EXIT
if [ ! -d "$here/node_modules/@duckdb/node-api" ]; then
  (cd "$here" && npm ci --silent) || { echo "duckdb stedi: 0 passed, 1 failed (npm ci)"; exit 1; }
fi
L="$LH --lake $work/lake"
$L ingest "$repo/../shared/stedi" s3://stedi-lakehouse/ >/dev/null || exit 1
$L run "$repo/pipelines/stedi" >/dev/null || exit 1
: > "$work/checks.tsv"
add() { # table exprs
  local t=$1 e=$2 path glob exp
  path=$($L sql -q -f csv -e "SELECT \"\$path\" FROM stedi.$t LIMIT 1" | tail -n +2 | tr -d '\r')
  case "$path" in *.parquet) ;; *) echo "FAIL $t: not Parquet: $path"; return ;; esac
  glob="$work/lake/${path#s3://}"; glob="${glob%/*}/*.parquet"
  exp=$($L sql -q -f csv -e "SELECT $e FROM stedi.$t" | tail -n +2 | tr -d '\r' | \
        awk -F, '{OFS=","; for(i=1;i<=NF;i++) $i=sprintf("%.6f",$i); print}')
  printf '%s\t%s\t%s\t%s\n' "$t" "$glob" "$e" "$exp" >> "$work/checks.tsv"
}
add customer_trusted "count(*), count(DISTINCT email), sum(sharewithresearchasofdate % 1000)"
add accelerometer_trusted "count(*), count(DISTINCT \"user\"), sum(x + 2*y + 3*z)"
add customer_curated "count(*), count(DISTINCT serialnumber), sum(registrationdate % 997)"
add step_trainer_trusted "count(*), count(DISTINCT serialnumber), sum(distancefromobject)"
add machine_learning_curated "count(*), count(DISTINCT serialnumber), sum(distancefromobject), sum(x - y + z)"
node "$here/stedi_duckdb.mjs" "$work/checks.tsv" | tee "$work/out.txt"
passed=$(grep -c '^PASS' "$work/out.txt"); failed=$(grep -c '^FAIL' "$work/out.txt")
echo "duckdb stedi: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -eq 5 ]
