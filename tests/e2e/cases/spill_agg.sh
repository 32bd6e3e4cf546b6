# HashAggregate spilling on the real STEDI data: GROUP BY and DISTINCT with
# many groups under a --memory-limit small enough to spill give the answers
# of the run without a limit; EXPLAIN ANALYZE says what was spilled;
# .lakehouse/tmp holds no file afterwards, nor after a spilling query is
# killed with SIGKILL.
needs stedi
lh ingest "$STEDI" s3://stedi-lakehouse/ >/dev/null
lh run "$PIPE" >/dev/null
# Parquet copies of the landing tables (JSON objects are read whole, so the
# scans of Parquet fit a small budget)
lh sql -q -e "CREATE TABLE stedi.acc_pq AS SELECT * FROM stedi.accelerometer_landing"
lh sql -q -e "CREATE TABLE stedi.step_pq AS SELECT * FROM stedi.step_trainer_landing"
LIM=3MB
queries=(
  "SELECT timestamp, user, count(*), sum(x), max(y), min_by(z, x) FROM stedi.acc_pq GROUP BY timestamp, user"
  "SELECT sensorreadingtime, count(*), count(DISTINCT serialnumber), max(distancefromobject) FROM stedi.step_pq GROUP BY 1"
  "SELECT DISTINCT timestamp, x, y FROM stedi.acc_pq"
  "SELECT serialnumber, sensorreadingtime, approx_distinct(distancefromobject), sum(distancefromobject) FILTER (WHERE distancefromobject > 100) FROM stedi.step_pq GROUP BY 1, 2"
)
for sql in "${queries[@]}"; do
    want=$(lh sql -q --format csv -e "$sql" | sort | md5sum)
    n=$(lh sql -q --format csv -e "$sql" | wc -l)
    got=$("$LH" --memory-limit $LIM --lake "$PWD/lake" sql -q --format csv -e "$sql" | sort | md5sum)
    expect_eq "$got" "$want" "spilled answer equals in-memory ($n lines): $sql"
    plan=$("$LH" --memory-limit $LIM --lake "$PWD/lake" sql -q --format csv -e "EXPLAIN ANALYZE $sql")
    expect_contains "$plan" "spilled: " "EXPLAIN ANALYZE shows the spill: $sql"
    plan=$(lh sql -q --format csv -e "EXPLAIN $sql")
    expect_not_contains "$plan" "spilled" "plain EXPLAIN shows nothing new"
done
expect_eq "$(find lake/.lakehouse/tmp -type f | wc -l)" "0" "no spill file left"
# killed while spilling: nothing left either (the files have no names)
"$LH" --memory-limit $LIM --lake "$PWD/lake" sql -q --format csv \
    -e "SELECT a.timestamp, c.email, count(*) FROM stedi.acc_pq a, stedi.customer_trusted c GROUP BY 1, 2" >/dev/null 2>&1 &
pid=$!
spilling=no
for i in $(seq 100); do
    if ls -A /proc/$pid/fd 2>/dev/null | while read f; do readlink /proc/$pid/fd/$f; done | grep -q lakehouse/tmp; then
        spilling=yes; break
    fi
    sleep 0.05
done
expect_eq "$spilling" "yes" "the query holds a spill file when it is killed"
kill -9 $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
expect_eq "$(find lake/.lakehouse/tmp -type f | wc -l)" "0" "no spill file left after kill -9"
