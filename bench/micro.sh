#!/usr/bin/env bash
# bench/micro.sh [SCALE] — micro-benchmarks (default scale 10):
#  - the executor's expression kernels, values/second (bench/kernels.c);
#  - JSON-lines parsing throughput per core (bench/json_parse.c);
#  - SELECT COUNT(*) on every curated table: in-engine time from
#    `sql --stats`, and the whole process with bash's time.
set -u
here="$(cd "$(dirname "$0")" && pwd)"; repo="$(cd "$here/.." && pwd)"
LH="${LAKEHOUSE_BIN:-$repo/build/lakehouse}"
n=${1:-10}
work="${BENCH_DIR:-$repo/build/bench}"
data="$work/data-$n"; lake="$work/micro-lake-$n"
make -C "$repo" -s build/lakehouse build/liblakehouse.a
[ -f "$data/.done" ] || { rm -rf "$data"; "$LH" gen stedi --scale "$n" "$data" >/dev/null && touch "$data/.done"; }
cc -std=c11 -D_GNU_SOURCE -O2 -I"$repo/src" -o "$work/json_parse" "$here/json_parse.c" "$repo/build/liblakehouse.a" \
   -lpcre2-8 -ljansson -lsqlite3 -lcurl -lcrypto -lsnappy -lzstd -lz -lm -lpthread $(pkg-config --libs libgvc 2>/dev/null)
echo "== executor kernels: vectorized against row-at-a-time through the scalar functions (bench/kernels.c)"
make -C "$repo" -s build/bench/kernels && "$repo/build/bench/kernels" 50
echo "== JSON-lines parsing, scale $n accelerometer landing files, one core (LH_THREADS=1)"
LH_THREADS=1 "$work/json_parse" "$data"/accelerometer/landing/*.json
echo "== the same with the reader's scanning thread (two cores, wall-clock MB/s)"
"$work/json_parse" "$data"/accelerometer/landing/*.json | sed 's/per core/wall clock/' | grep -v '^JSON lines'

if [ ! -d "$lake/.lakehouse" ]; then
    "$LH" --lake "$lake" ingest "$data" s3://stedi-lakehouse/ >/dev/null && "$LH" --lake "$lake" run "$repo/pipelines/stedi" >/dev/null
fi
echo "== SELECT COUNT(*) on the curated tables (scale $n)"
for t in customer_curated machine_learning_curated; do
    for i in 1 2 3; do
        "$LH" --lake "$lake" sql --stats -q -e "SELECT COUNT(*) FROM stedi.$t" >/dev/null 2>"$work/stats.txt" || true
        TIMEFORMAT='%3R' # to the millisecond (/usr/bin/time counts in 10 ms steps)
        { time "$LH" --lake "$lake" sql -q -e "SELECT COUNT(*) FROM stedi.$t" >/dev/null; } 2>"$work/t.txt"
    done
    "$LH" --lake "$lake" sql --stats -e "SELECT COUNT(*) FROM stedi.$t" 2>&1 >/dev/null | grep scanned | sed "s/^/  $t: /"
    echo "  $t: whole process $(awk '{printf "%.1f", $1*1000}' "$work/t.txt") ms (start-up, catalog, mounting, query)"
done
