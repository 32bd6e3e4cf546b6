#!/usr/bin/env bash
# bench/run.sh [SCALE...] — the STEDI pipeline side by side: lakehouse,
# DuckDB (@duckdb/node-api, in-process) and pandas (python3-pandas,
# in-process), on `lakehouse gen stedi --scale N` data (default scales 1 10
# 100).  Prints wall time, CPU time and peak RSS per tool, and peer/ours
# ratios.  Not a test: it measures and prints; it fails only if a tool
# gets a count wrong.
#   lakehouse: ingest -> run -> verify, three processes timed whole with
#   /usr/bin/time (wall and CPU summed, RSS the largest).
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
    # ours
    w=0; c=0; r=0; ok=yes
    for step in "ingest $data s3://stedi-lakehouse/" "run $repo/pipelines/stedi" "verify --scale $n $repo/pipelines/stedi"; do
        /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$LH" --lake "$lake" $step >"$work/out.txt" 2>&1 || ok=no
        read -r e u s m < "$work/time.txt"
        w=$(awk -v a="$w" -v b="$e" 'BEGIN{print a+b*1000}'); c=$(awk -v a="$c" -v b="$u" -v d="$s" 'BEGIN{print a+(b+d)*1000}')
        [ "$m" -gt "$r" ] && r=$m
    done
    ours_w=$w; ours_c=$c; ours_r=$r
    printf '%-6s %-10s %10.0f %10.0f %10.1f   %s\n' "$n" lakehouse "$w" "$c" "$(awk -v m="$r" 'BEGIN{print m/1024}')" "$ok"
    # duckdb
    res=$(node "$repo/tests/interop/.bench_duckdb.mjs" "$data" "$work/duck-$n" 2>&1 | tail -1)
    dw=$(echo "$res" | sed -n 's/.*"wall_ms":\([0-9.]*\).*/\1/p'); dc=$(echo "$res" | sed -n 's/.*"cpu_ms":\([0-9.]*\).*/\1/p')
    dr=$(echo "$res" | sed -n 's/.*"max_rss_kb":\([0-9]*\).*/\1/p'); dcnt=$(echo "$res" | sed -n 's/.*"counts":\[\([0-9,]*\)\].*/\1/p')
    printf '%-6s %-10s %10.0f %10.0f %10.1f   %s\n' "$n" duckdb "${dw:-0}" "${dc:-0}" "$(awk -v m="${dr:-0}" 'BEGIN{print m/1024}')" "$([ "$dcnt" = "$exp" ] && echo yes || echo "no: $res")"
    if [ "$have_pandas" = 1 ]; then
        res=$("$PY" "$here/pandas_stedi.py" "$data" "$work/pandas-$n" 2>&1 | tail -1)
        pw=$(echo "$res" | sed -n 's/.*"wall_ms": \([0-9.]*\).*/\1/p'); pc=$(echo "$res" | sed -n 's/.*"cpu_ms": \([0-9.]*\).*/\1/p')
        pr=$(echo "$res" | sed -n 's/.*"max_rss_kb": \([0-9]*\).*/\1/p'); pcnt=$(echo "$res" | sed -n 's/.*"counts": \[\([0-9, ]*\)\].*/\1/p' | tr -d ' ')
        printf '%-6s %-10s %10.0f %10.0f %10.1f   %s\n' "$n" pandas "${pw:-0}" "${pc:-0}" "$(awk -v m="${pr:-0}" 'BEGIN{print m/1024}')" "$([ "$pcnt" = "$exp" ] && echo yes || echo "no: $res")"
    fi
    awk -v ow="$ours_w" -v oc="$ours_c" -v orr="$ours_r" -v dw="${dw:-0}" -v dc="${dc:-0}" -v dr="${dr:-0}" -v pw="${pw:-0}" -v pc="${pc:-0}" -v pr="${pr:-0}" -v n="$n" 'BEGIN{
        printf "%-6s ratios peer/ours: duckdb wall %.2fx cpu %.2fx rss %.2fx", n, dw/ow, dc/oc, dr/orr;
        if (pw > 0) printf "; pandas wall %.2fx cpu %.2fx rss %.2fx", pw/ow, pc/oc, pr/orr;
        printf "\n" }'
    pw=0; pc=0; pr=0
done
