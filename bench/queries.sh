#!/usr/bin/env bash
# bench/queries.sh [SCALE] — 20 analytic queries (bench/queries.sql: group-bys,
# joins, windows, top-N, distinct counts) over the STEDI trusted and curated
# Parquet tables at `gen stedi --scale SCALE` (default 100): lakehouse
# against DuckDB (@duckdb/node-api) on the same Parquet objects.  Prints per
# query the median wall time of each (REPS runs, default 3), the ratio
# ours/DuckDB and whether the row counts agree, then the geometric mean of
# the ratios.  Not a test: it measures and prints.
#   Ours is a whole `lakehouse sql` process per run (start-up, catalog,
#   planning included); DuckDB is timed in-process, views already made.
set -u
here="$(cd "$(dirname "$0")" && pwd)"; repo="$(cd "$here/.." && pwd)"
LH="${LAKEHOUSE_BIN:-$repo/build/lakehouse}"
work="${BENCH_DIR:-$repo/build/bench}"
n="${1:-100}"; reps="${REPS:-3}"
mkdir -p "$work"
[ -x "$LH" ] || make -C "$repo" -s build/lakehouse
if [ ! -d "$repo/tests/interop/node_modules/@duckdb/node-api" ]; then (cd "$repo/tests/interop" && npm ci --silent); fi
data="$work/data-$n"; lake="$work/qlake-$n"
[ -f "$data/.done" ] || { rm -rf "$data"; "$LH" gen stedi --scale "$n" "$data" >/dev/null && touch "$data/.done"; }
if [ ! -f "$lake/.done" ]; then
    rm -rf "$lake"
    "$LH" --lake "$lake" ingest "$data" s3://stedi-lakehouse/ >/dev/null && "$LH" --lake "$lake" run "$repo/pipelines/stedi" >/dev/null && touch "$lake/.done" || { echo "pipeline failed" >&2; exit 1; }
fi
# the objects of each table's committed snapshot, as local paths
tables="$work/qtables-$n.json"
{
    echo "{"; sep=""
    for t in customer_trusted accelerometer_trusted customer_curated step_trainer_trusted machine_learning_curated; do
        files=$("$LH" --lake "$lake" sql -q --format csv -e "SELECT DISTINCT \"\$path\" FROM stedi.$t" | tail -n +2 | tr -d '\r' |
                sed "s#^s3://#$lake/#" | awk '{printf "%s\"%s\"", (NR>1?",":""), $0}')
        printf '%s"stedi.%s": [%s]\n' "$sep" "$t" "$files"; sep=","
    done
    echo "}"
} >"$tables"
cp "$here/duckdb_queries.mjs" "$repo/tests/interop/.bench_queries.mjs"
trap 'rm -f "$repo/tests/interop/.bench_queries.mjs"' EXIT
duck="$work/qduck-$n.txt"
node "$repo/tests/interop/.bench_queries.mjs" "$tables" "$here/queries.sql" "$reps" >"$duck" || { echo "duckdb failed" >&2; exit 1; }
echo "machine: $(nproc) cores; scale $n; $reps runs each, medians"
printf '%-18s %10s %10s %8s  %s\n' query ours_ms duckdb_ms ratio "rows agree"
logsum=0; k=0
while IFS= read -r line; do
    [ -z "$line" ] && continue; case "$line" in \#*) continue ;; esac
    name=${line%%|*}; sql=${line#*|}
    : >"$work/qt.txt"
    for r in $(seq "$reps"); do
        TIMEFORMAT='%3R'
        { time "$LH" --lake "$lake" sql -q --format csv -e "$sql" >"$work/qout.txt" 2>"$work/qerr.txt"; } 2>>"$work/qt.txt" || { echo "$name: failed: $(head -3 "$work/qerr.txt")"; continue 2; }
    done
    ours=$(sort -n "$work/qt.txt" | sed -n "$(( (reps + 1) / 2 ))p" | awk '{print $1*1000}')
    rows=$(( $(wc -l <"$work/qout.txt") - 1 ))
    read -r dms drows < <(grep "\"name\":\"$name\"" "$duck" | sed 's/.*"ms":\([0-9.e+-]*\).*"rows":\([0-9]*\).*/\1 \2/')
    ratio=$(awk -v a="$ours" -v b="$dms" 'BEGIN{printf "%.2f", a/b}')
    logsum=$(awk -v s="$logsum" -v r="$ratio" 'BEGIN{print s+log(r)}'); k=$((k+1))
    printf '%-18s %10.0f %10.1f %7sx  %s\n' "$name" "$ours" "$dms" "$ratio" "$([ "$rows" = "$drows" ] && echo yes || echo "no ($rows vs $drows)")"
done <"$here/queries.sql"
[ "$k" -gt 0 ] && echo "geometric mean of ours/duckdb: $(awk -v s="$logsum" -v k="$k" 'BEGIN{printf "%.2f", exp(s/k)}')x over $k queries"
