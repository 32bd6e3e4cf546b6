#!/usr/bin/env bash
# tests/interop/run.sh — Parquet interop with DuckDB (@duckdb/node-api), and
# Avro interop with avsc (tests/interop/avro.sh).
#   DuckDB reads the files our writer produces (rows equal to the source),
#   and our reader reads the files DuckDB writes (rows equal to DuckDB's).
# Needs: node, and `npm ci --prefix tests/interop` (package.json here).
# Ends with "duckdb interop: N passed, M failed"; exits non-zero on failure.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
work="$(mktemp -d "${TMPDIR:-/tmp}/lh-interop-XXXXXX")"
trap 'rm -rf "$work"' EXIT
CC="${CC:-cc}"
CFLAGS="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wno-format-truncation -Isrc -O1 -g"
# the Parquet codec and what it stands on (formats -> store -> util)
LIBSRC="src/formats/thrift.c src/formats/pq_meta.c src/formats/codec.c src/formats/pq_encode.c
        src/formats/pq_read.c src/formats/pq_write.c src/formats/json.c $(ls src/store/*.c src/util/*.c)"
EXTRA=""
if [ -f src/store/s3.c ]; then EXTRA="-lcurl -lcrypto"; fi
fail=0
for prog in pq_gen pq_read_check; do
  if ! $CC $CFLAGS -o "$work/$prog" "tests/interop/$prog.c" $LIBSRC -lsnappy -lzstd -lz -lm $EXTRA 2>"$work/$prog.log"; then
    cat "$work/$prog.log"
    echo "duckdb interop: 0 passed, 1 failed (cannot build $prog)"
    exit 1
  fi
done
if [ ! -d "$here/node_modules/@duckdb/node-api" ]; then
  (cd "$here" && npm ci --silent) || { echo "duckdb interop: 0 passed, 1 failed (npm ci)"; exit 1; }
fi
"$work/pq_gen" "$work/root" || fail=1
node "$here/duckdb_check.mjs" "$work/root/interop/gen" "$work/root/interop/duck" | tee "$work/out.txt" || fail=1
"$work/pq_read_check" "$work/root" | tee -a "$work/out.txt" || fail=1
# Avro with avsc (the same node_modules): its PASS/FAIL lines count here too
bash "$here/avro.sh" | grep -E '^(PASS|FAIL)' | tee -a "$work/out.txt"
passed=$(grep -c '^PASS' "$work/out.txt")
failed=$(grep -c '^FAIL' "$work/out.txt")
if [ "$fail" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "duckdb interop: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
