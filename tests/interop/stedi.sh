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
# SQL queries: lakehouse's answers checked against DuckDB's on the same files.
# DuckDB gets a schema stedi with a view per table: the five Parquet tables
# read_parquet() the snapshot prefix the catalog names, and customer_landing
# reads the landing JSON with the columns (names lower-cased, types) of
# pipelines/stedi/ddl/customer_landing.sql.  Each query runs verbatim on both.
: > "$work/queries.tsv"
for t in customer_trusted accelerometer_trusted customer_curated step_trainer_trusted machine_learning_curated; do
  path=$($L sql -q -f csv -e "SELECT \"\$path\" FROM stedi.$t LIMIT 1" | tail -n +2 | tr -d '\r')
  glob="$work/lake/${path#s3://}"; glob="${glob%/*}/*.parquet"
  printf "view\tstedi.%s\tSELECT * FROM read_parquet('%s')\n" "$t" "$glob" >> "$work/queries.tsv"
done
# keys as the JSON has them (the SerDe maps them case-insensitively); a record
# without a key reads NULL, as in our JSON reader
printf "view\tstedi.customer_landing\t%s\n" "SELECT customerName::varchar AS customername, email::varchar AS email, \
phone::varchar AS phone, birthDay::varchar AS birthday, serialNumber::varchar AS serialnumber, \
registrationDate::bigint AS registrationdate, lastUpdateDate::bigint AS lastupdatedate, \
shareWithResearchAsOfDate::bigint AS sharewithresearchasofdate, shareWithPublicAsOfDate::bigint AS sharewithpublicasofdate, \
shareWithFriendsAsOfDate::bigint AS sharewithfriendsasofdate \
FROM read_json('$work/lake/stedi-lakehouse/customer/landing/*.json', format = 'newline_delimited', columns = {customerName: 'VARCHAR', \
email: 'VARCHAR', phone: 'VARCHAR', birthDay: 'VARCHAR', serialNumber: 'VARCHAR', registrationDate: 'BIGINT', lastUpdateDate: 'BIGINT', \
shareWithResearchAsOfDate: 'BIGINT', shareWithPublicAsOfDate: 'BIGINT', shareWithFriendsAsOfDate: 'BIGINT'})" >> "$work/queries.tsv"
# label|mode|sql (mode: see queries_duckdb.mjs).  Semantic differences handled:
# - ROLLUP: the grand-total row's key is NULL; its place is made explicit with
#   NULLS FIRST (Trino's ASC default is NULLS LAST, as is DuckDB's, but the
#   query doesn't rely on either).  NULL and '' both print as an empty field
#   in our CSV, and the comparison reads a DuckDB NULL as ''.
# - typed decimal arithmetic: in Trino sum(int) is bigint, bigint * 1.0 is
#   decimal(21,1), and that / bigint is decimal(21,1) rounded half-up, so the
#   answer has 1 fractional digit (250.4 here); DuckDB makes the division a
#   DOUBLE (250.38990318118948).  So this one compares numerically: DuckDB's
#   value rounded half-up to scale 1, to 1e-9 relative (scale=1).
qi=0
while IFS='|' read -r label mode q; do
  [ -n "$label" ] || continue
  qi=$((qi + 1))
  if $L sql -q -f csv -e "$q" < /dev/null > "$work/q$qi.raw" 2> "$work/q$qi.err"; then
    tail -n +2 "$work/q$qi.raw" | tr -d '\r' > "$work/q$qi.lh.csv"
    printf 'query\t%s\t%s\t%s\t%s\n' "$label" "$mode" "$q" "$work/q$qi.lh.csv" >> "$work/queries.tsv"
  else
    echo "FAIL query: $label: lakehouse: $(head -c 300 "$work/q$qi.err")" >> "$work/out.txt"
    echo "FAIL query: $label: lakehouse: $(head -c 300 "$work/q$qi.err")"
  fi
done <<'EOF'
group by + top-N|exact|SELECT "user", count(*) AS n FROM stedi.accelerometer_trusted GROUP BY "user" ORDER BY n DESC, "user" LIMIT 15
global aggregates|exact|SELECT count(DISTINCT "user"), count(*), min("timestamp"), max("timestamp") FROM stedi.accelerometer_trusted
join + group by|exact|SELECT c.email, count(*) AS n FROM stedi.customer_curated c JOIN stedi.accelerometer_trusted a ON a."user" = c.email GROUP BY c.email ORDER BY n DESC, c.email
window|exact|SELECT s.serialnumber, s.sensorreadingtime, row_number() OVER (PARTITION BY s.serialnumber ORDER BY s.sensorreadingtime) AS rn FROM stedi.step_trainer_trusted s ORDER BY s.serialnumber, rn LIMIT 50
correlated EXISTS|exact|SELECT count(*) FROM stedi.customer_trusted c WHERE EXISTS (SELECT 1 FROM stedi.step_trainer_trusted s WHERE s.serialnumber = c.serialnumber)
NOT IN|exact|SELECT count(*) FROM stedi.customer_landing WHERE email NOT IN (SELECT email FROM stedi.customer_trusted)
correlated scalar subquery|exact|SELECT c.email, (SELECT count(*) FROM stedi.accelerometer_trusted a WHERE a."user" = c.email) AS n FROM stedi.customer_trusted c ORDER BY n DESC, c.email LIMIT 20
correlated IN|exact|SELECT count(*) FROM stedi.customer_landing c WHERE c.serialnumber IN (SELECT s.serialnumber FROM stedi.step_trainer_trusted s WHERE s.serialnumber = c.serialnumber)
UNION|exact|SELECT email FROM stedi.customer_trusted UNION SELECT email FROM stedi.customer_curated ORDER BY 1 LIMIT 20
LEFT JOIN with a residual|exact|SELECT c.customername, s.distancefromobject FROM stedi.customer_curated c LEFT JOIN stedi.step_trainer_trusted s ON s.serialnumber = c.serialnumber AND s.distancefromobject > 250 ORDER BY 1, 2 LIMIT 40
string function + LIKE|exact|SELECT substr(email, 1, 4) AS p, count(*) FROM stedi.customer_landing WHERE email LIKE '%.com' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10
ROLLUP|exact|SELECT substr(email, 1, 1) AS l, count(*) FROM stedi.customer_trusted GROUP BY ROLLUP (substr(email, 1, 1)) ORDER BY 1 NULLS FIRST, 2
typed decimal arithmetic|scale=1|SELECT count(*), sum(distancefromobject) * 1.0 / count(*) FROM stedi.step_trainer_trusted
EOF
node "$here/queries_duckdb.mjs" "$work/queries.tsv" | tee -a "$work/out.txt"
passed=$(grep -c '^PASS' "$work/out.txt"); failed=$(grep -c '^FAIL' "$work/out.txt")
echo "duckdb stedi: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -eq 28 ]
