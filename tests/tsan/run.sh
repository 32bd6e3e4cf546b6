#!/usr/bin/env bash
# ThreadSanitizer over the code that runs on more than one thread: the
# JSON-lines reader's scanning thread and the Parquet writer's encoding
# thread (their unit tests run both ways), and the STEDI pipeline with
# partitioned jobs and two-thread counts.  Fails on any TSan report.
set -u
here="$(cd "$(dirname "$0")" && pwd)"; repo="$(cd "$here/../.." && pwd)"
cd "$repo"
B=build-tsan
export CFLAGS="-O1 -g -fsanitize=thread" LDFLAGS=-fsanitize=thread
make -s -j"$(nproc)" BUILD=$B $B/lakehouse $B/tests/test_jsonl $B/tests/test_parquet $B/tests/test_op_exchange || exit 1
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
work=$(mktemp -d "${TMPDIR:-/tmp}/lh-tsan.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0; fail=0
check() { # name command...
    local name=$1; shift
    if "$@" >"$work/out" 2>&1 && ! grep -q "ThreadSanitizer" "$work/out"; then
        pass=$((pass+1)); echo "ok   $name"
    else
        fail=$((fail+1)); echo "FAIL $name"; grep -A30 -m1 "ThreadSanitizer" "$work/out" || tail -20 "$work/out"
    fi
}
check "test_jsonl (reader thread on and off)" $B/tests/test_jsonl
check "test_parquet (writer thread on and off)" $B/tests/test_parquet
check "test_op_exchange (producer threads, errors, early free)" $B/tests/test_op_exchange
$B/lakehouse gen stedi --scale 1 "$work/data" >/dev/null
check "ingest" $B/lakehouse --lake "$work/lake" ingest "$work/data" s3://stedi-lakehouse/
check "STEDI pipeline, partitioned jobs" env LH_THREADS=2 $B/lakehouse --lake "$work/lake" run pipelines/stedi
check "verify, two-thread counts" env LH_THREADS=2 $B/lakehouse --lake "$work/lake" verify pipelines/stedi
check "STEDI pipeline, four workers on this machine's cores" env LH_THREADS=4 $B/lakehouse --lake "$work/lake" run pipelines/stedi
check "verify after four workers" env LH_THREADS=4 $B/lakehouse --lake "$work/lake" verify pipelines/stedi
for t in 2 4; do
    check "parallel queries on $t workers (an exchange under each aggregate)" env LH_THREADS=$t $B/lakehouse --lake "$work/lake" sql -q -f csv \
        -e 'SELECT "user", count(*), avg(x) FROM stedi.accelerometer_landing GROUP BY "user" ORDER BY 1 LIMIT 5' \
        -e 'SELECT count(DISTINCT serialnumber), sum(distancefromobject) FROM stedi.step_trainer_landing WHERE serialnumber IN (SELECT serialnumber FROM stedi.customer_trusted)' \
        -e 'EXPLAIN ANALYZE SELECT count(*) FROM stedi.accelerometer_landing a JOIN stedi.customer_trusted c ON a."user" = c.email'
done
parts=$(find "$work/lake" -name 'part-1*.parquet' | wc -l)
check "the pipeline did run partitioned ($parts second halves)" test "$parts" -ge 2
# SIGINT mid-run: the first engine's interrupt stops the second thread's
# engine through its progress handler; exit 130 and no report
interrupted() {
    env LH_THREADS=2 $B/lakehouse --lake "$work/lake" run pipelines/stedi > "$work/int.out" 2>&1 &
    local pid=$! i rc
    for i in $(seq 600); do grep -q "customer_landing_to_trusted .* rows out" "$work/int.out" && break; sleep 0.05; done
    kill -INT "$pid"
    wait "$pid"; rc=$?
    cat "$work/int.out"
    [ "$rc" -eq 130 ]
}
check "a partitioned run interrupted by SIGINT" interrupted
echo "tsan: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
