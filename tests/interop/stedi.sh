#!/usr/bin/env bash
# DuckDB reads the STEDI trusted and curated Parquet tables lakehouse wrote
# (real data), given only the snapshot prefixes the catalog names, and gets
# the same counts and aggregates.
# Needs: LAKEHOUSE_TEST_DATA/stedi (default ../shared/stedi), the real STEDI
# landing JSON (customer, accelerometer, step_trainer landing/*.json) from
# Udacity's nd027-Data-Engineering-Data-Lakes-AWS-Exercises repository,
# folder project/starter; without it: "duckdb stedi: skipped (needs ...)",
# exit 77.  See tests/testdata.sh.
# Prints "duckdb stedi: N passed, M failed".
set -u
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
LH="${LAKEHOUSE_BIN:-$repo/build/lakehouse}"
source "$repo/tests/testdata.sh"
td_skip_suite "duckdb stedi" stedi
STEDI="$(td_path stedi)"
work="$(mktemp -d "${TMPDIR:-/tmp}/lh-stedi-duck-XXXXXX")"
trap 'rm -rf "$work"' EXIT
if [ ! -d "$here/node_modules/@duckdb/node-api" ]; then
  (cd "$here" && npm ci --silent) || { echo "duckdb stedi: 0 passed, 1 failed (npm ci)"; exit 1; }
fi
L="$LH --lake $work/lake"
$L ingest "$STEDI" s3://stedi-lakehouse/ >/dev/null || exit 1
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
# full rows: DuckDB's sorted CSV of each Parquet table equals lakehouse's
for t in customer_trusted accelerometer_trusted customer_curated step_trainer_trusted machine_learning_curated; do
  path=$($L sql -q -f csv -e "SELECT \"\$path\" FROM stedi.$t LIMIT 1" | tail -n +2 | tr -d '\r')
  glob="$work/lake/${path#s3://}"; glob="${glob%/*}/*.parquet"
  ncols=$($L sql -q -f csv -e "SHOW COLUMNS IN stedi.$t" | tail -n +2 | wc -l)
  $L sql -q -f csv -e "SELECT * FROM stedi.$t ORDER BY $(seq -s, 1 "$ncols")" | tail -n +2 | tr -d '\r' > "$work/$t.lh.csv"
  printf 'csv:%s\t%s\t%s\t\n' "$t" "$glob" "$work/$t.duck.csv" >> "$work/checks.tsv"
done
node "$here/stedi_duckdb.mjs" "$work/checks.tsv" | tee "$work/out.txt"
for t in customer_trusted accelerometer_trusted customer_curated step_trainer_trusted machine_learning_curated; do
  if cmp -s "$work/$t.lh.csv" "$work/$t.duck.csv"; then echo "PASS $t: DuckDB reads identical rows ($(wc -l < "$work/$t.lh.csv"))"
  else echo "FAIL $t: rows differ"; diff "$work/$t.lh.csv" "$work/$t.duck.csv" | head -5; fi
done | tee -a "$work/out.txt"
# the same pipeline with JSON trusted/curated zones gives the same rows
mkdir -p "$work/pj" && cp -r "$repo/pipelines/stedi/." "$work/pj/"
sed -i "s/format = 'PARQUET',/format = 'JSON',/; /write_compression/d" "$work/pj/jobs/"*.sql
J="$LH --lake $work/lakej"
$J ingest "$STEDI" s3://stedi-lakehouse/ >/dev/null && $J run "$work/pj" >/dev/null || echo "FAIL json run" >> "$work/out.txt"
for t in customer_trusted accelerometer_trusted customer_curated step_trainer_trusted machine_learning_curated; do
  ncols=$($J sql -q -f csv -e "SHOW COLUMNS IN stedi.$t" | tail -n +2 | wc -l)
  $J sql -q -f csv -e "SELECT * FROM stedi.$t ORDER BY $(seq -s, 1 "$ncols")" | tail -n +2 | tr -d '\r' > "$work/$t.json.csv"
  if cmp -s "$work/$t.lh.csv" "$work/$t.json.csv"; then echo "PASS $t: the JSON run has the same rows as the Parquet run"
  else echo "FAIL $t: JSON and Parquet runs differ"; diff "$work/$t.lh.csv" "$work/$t.json.csv" | head -5; fi
done | tee -a "$work/out.txt"
pj=$(du -cb "$work/lake/stedi-lakehouse/step_trainer/curated" | tail -1 | cut -f1)
jj=$(du -cb "$work/lakej/stedi-lakehouse/step_trainer/curated" | tail -1 | cut -f1)
echo "machine_learning_curated size: Parquet/SNAPPY $pj bytes, JSON $jj bytes (JSON is $(awk -v a="$jj" -v b="$pj" 'BEGIN{printf "%.1f", a/b}')x)"
passed=$(grep -c '^PASS' "$work/out.txt"); failed=$(grep -c '^FAIL' "$work/out.txt")
echo "duckdb stedi: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -eq 15 ]
