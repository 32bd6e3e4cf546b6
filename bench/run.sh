#!/usr/bin/env bash
# bench/run.sh [SCALE...] — the STEDI pipeline side by side: lakehouse,
# DuckDB (@duckdb/node-api, in-process) and pandas (python3-pandas,
# in-process), on `lakehouse gen stedi --scale N` data (default scales 1 10
# 100).  Prints wall time, CPU time and peak RSS per tool, and peer/ours
# ratios.  Not a test: it measures and prints; it fails only if a tool
# gets a count wrong.
#   lakehouse: ingest -> run -> verify, three processes timed whole (wall
#   and CPU summed to the millisecond, RSS the largest, from /usr/bin/time).
#   Each tool runs BENCH_REPS times (default 5 at scale 1, 3 at 10, 1
#   above) and the median run by wall time is printed.
set -u
here="$(cd "$(dirname "$0")" && pwd)"; repo="$(cd "$here/.." && pwd)"
LH="${LAKEHOUSE_BIN:-$repo/build/lakehouse}"
work="${BENCH_DIR:-$repo/build/bench}"
mkdir -p "$work"
scales=("$@"); [ ${#scales[@]} -eq 0 ] && scales=(1 10 100)
[ -x "$LH" ] || make -C "$repo" -s build/lakehouse
if [ ! -d "$repo/tests/interop/node_modules/@duckdb/node-api" ]; then (cd "$repo/tests/interop" && npm ci --silent); fi
export NODE_PATH="$repo/tests/interop/node_modules"
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
have_pandas=0; "$PY" -c "import pandas" 2>/dev/null && have_pandas=1
[ "$have_pandas" = 1 ] || echo "(pandas not installed: apt-get install python3-pandas; its column is skipped)"
cp "$here/duckdb_stedi.mjs" "$repo/tests/interop/.bench_duckdb.mjs"   # resolve @duckdb from tests/interop
trap 'rm -f "$repo/tests/interop/.bench_duckdb.mjs"' EXIT
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf '%-6s %-10s %10s %10s %10s   %s\n' scale tool wall_ms cpu_ms rss_mb "counts ok"
for n in "${scales[@]}"; do
    data="$work/data-$n"
    [ -f "$data/.done" ] || { rm -rf "$data"; "$LH" gen stedi --scale "$n" "$data" >/dev/null && touch "$data/.done"; }
    lake="$work/lake-$n"; rm -rf "$lake"
    exp="$(awk -v n="$n" -F, 'NR>1{printf "%s%d", (NR>2?",":""), $3*n}' "$repo/pipelines/stedi/expected_counts.csv")"
    reps=${BENCH_REPS:-$([ "$n" -le 1 ] && echo 5 || { [ "$n" -le 10 ] && echo 3 || echo 1; })}
    # ours: three whole processes; wall and CPU to the millisecond (bash's
    # time; /usr/bin/time's are 10 ms steps), RSS the largest of the three
    : >"$work/ours.txt"
    for rep in $(seq "$reps"); do
        rm -rf "$lake"; w=0; c=0; r=0; ok=yes
        for step in "ingest $data s3://stedi-lakehouse/" "run $repo/pipelines/stedi" "verify --scale $n $repo/pipelines/stedi"; do
            TIMEFORMAT='%3R %3U %3S'
            { time /usr/bin/time -f "%M" -o "$work/rss.txt" "$LH" --lake "$lake" $step >"$work/out.txt" 2>&1 || ok=no; } 2>"$work/t.txt"
            read -r e u s < "$work/t.txt"; m=$(tail -1 "$work/rss.txt")
            w=$(awk -v a="$w" -v b="$e" 'BEGIN{print a+b*1000}'); c=$(awk -v a="$c" -v b="$u" -v d="$s" 'BEGIN{print a+(b+d)*1000}')
            [ "$m" -gt "$r" ] && r=$m
        done
        echo "$w $c $r $ok" >>"$work/ours.txt"
    done
    read -r ours_w ours_c ours_r ok < <(sort -n "$work/ours.txt" | sed -n "$(( (reps + 1) / 2 ))p")
    printf '%-6s %-10s %10.0f %10.0f %10.1f   %s\n' "$n" lakehouse "$ours_w" "$ours_c" "$(awk -v m="$ours_r" 'BEGIN{print m/1024}')" "$ok"
    # duckdb (in-process time, as the issue asks): the median run by wall time
    : >"$work/duck.txt"
    for rep in $(seq "$reps"); do
        res=$(node "$repo/tests/interop/.bench_duckdb.mjs" "$data" "$work/duck-$n" 2>&1 | tail -1)
        dw=$(echo "$res" | sed -n 's/.*"wall_ms":\([0-9.]*\).*/\1/p'); dc=$(echo "$res" | sed -n 's/.*"cpu_ms":\([0-9.]*\).*/\1/p')
        dr=$(echo "$res" | sed -n 's/.*"max_rss_kb":\([0-9]*\).*/\1/p'); dcnt=$(echo "$res" | sed -n 's/.*"counts":\[\([0-9,]*\)\].*/\1/p')
        echo "${dw:-0} ${dc:-0} ${dr:-0} $([ "$dcnt" = "$exp" ] && echo yes || echo no)" >>"$work/duck.txt"
    done
    read -r dw dc dr dok < <(sort -n "$work/duck.txt" | sed -n "$(( (reps + 1) / 2 ))p")
    printf '%-6s %-10s %10.0f %10.0f %10.1f   %s\n' "$n" duckdb "$dw" "$dc" "$(awk -v m="$dr" 'BEGIN{print m/1024}')" "$dok"
    if [ "$have_pandas" = 1 ]; then
        : >"$work/pandas.txt"
        for rep in $(seq "$reps"); do
            res=$("$PY" "$here/pandas_stedi.py" "$data" "$work/pandas-$n" 2>&1 | tail -1)
            pw=$(echo "$res" | sed -n 's/.*"wall_ms": \([0-9.]*\).*/\1/p'); pc=$(echo "$res" | sed -n 's/.*"cpu_ms": \([0-9.]*\).*/\1/p')
            pr=$(echo "$res" | sed -n 's/.*"max_rss_kb": \([0-9]*\).*/\1/p'); pcnt=$(echo "$res" | sed -n 's/.*"counts": \[\([0-9, ]*\)\].*/\1/p' | tr -d ' ')
            echo "${pw:-0} ${pc:-0} ${pr:-0} $([ "$pcnt" = "$exp" ] && echo yes || echo no)" >>"$work/pandas.txt"
        done
        read -r pw pc pr pok < <(sort -n "$work/pandas.txt" | sed -n "$(( (reps + 1) / 2 ))p")
        printf '%-6s %-10s %10.0f %10.0f %10.1f   %s\n' "$n" pandas "$pw" "$pc" "$(awk -v m="$pr" 'BEGIN{print m/1024}')" "$pok"
    fi
    awk -v ow="$ours_w" -v oc="$ours_c" -v orr="$ours_r" -v dw="${dw:-0}" -v dc="${dc:-0}" -v dr="${dr:-0}" -v pw="${pw:-0}" -v pc="${pc:-0}" -v pr="${pr:-0}" -v n="$n" 'BEGIN{
        printf "%-6s ratios peer/ours: duckdb wall %.2fx cpu %.2fx rss %.2fx", n, dw/ow, dc/oc, dr/orr;
        if (pw > 0) printf "; pandas wall %.2fx cpu %.2fx rss %.2fx", pw/ow, pc/oc, pr/orr;
        printf "\n" }'
    pw=0; pc=0; pr=0
done
