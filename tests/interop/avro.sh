#!/usr/bin/env bash
# tests/interop/avro.sh — Avro interop with avsc (npm, tests/interop/package.json).
#   avsc reads the files our writer produces (null, deflate, snappy; every
#   type and logical type) with the same values, and our reader reads the
#   files avsc writes (its random values of a manifest-like schema, and our
#   rows re-encoded) with the same values.  zstandard: avsc has none.
# Needs node and `npm ci --prefix tests/interop`; without node_modules it
# skips (exit 77) and says so.  Prints PASS/FAIL lines and
# "avro interop: N passed, M failed".
set -u
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
if [ ! -d "$here/node_modules/avsc" ]; then
    msg="avro interop: skipped (no tests/interop/node_modules/avsc; run npm ci --prefix tests/interop)"
    echo "$msg"; [ -n "${LAKEHOUSE_SKIP_LOG:-}" ] && echo "$msg" >>"$LAKEHOUSE_SKIP_LOG"
    exit 77
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/lh-avro-interop-XXXXXX")"
trap 'rm -rf "$work"' EXIT
bin="${BUILD:-build}/tests/test_avro"
make -s "$bin" >"$work/build.log" 2>&1 || { cat "$work/build.log"; echo "FAIL avro build of $bin"; echo "avro interop: 0 passed, 1 failed (build)"; exit 1; }
"$bin" --write-interop "$work" || { echo "FAIL avro --write-interop"; echo "avro interop: 0 passed, 1 failed (write)"; exit 1; }
node "$here/avro_check.mjs" read-ours "$work" | tee "$work/out.txt"
node "$here/avro_check.mjs" write-theirs "$work" || echo "FAIL avro avsc writes its files" | tee -a "$work/out.txt"
for f in "$work"/theirs*.avro; do
    if "$bin" --dump "$f" >"$f.got" 2>"$f.err"; then
        node "$here/avro_check.mjs" compare "$f.got" "${f%.avro}.json" | tee -a "$work/out.txt"
    else
        echo "FAIL avro our reader on $(basename "$f"): $(cat "$f.err")" | tee -a "$work/out.txt"
    fi
done
passed=$(grep -c '^PASS' "$work/out.txt")
failed=$(grep -c '^FAIL' "$work/out.txt")
echo "avro interop: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
