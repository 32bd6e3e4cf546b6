# Our own engine (issue 12) on STEDI data: queries that must agree with
# the tables the jobs wrote, Athena's types, WITH TIES, SHOW FUNCTIONS,
# EXPLAIN / EXPLAIN ANALYZE, Athena's errors, and allocation and I/O
# failure walks over a query with a join, an aggregate and a sort.  (The
# answers of joins, windows, subqueries and set operations are checked
# against DuckDB on the same files in tests/interop/stedi.sh.)
lh gen stedi --scale 1 --seed 5 data >/dev/null
lh ingest data s3://stedi-lakehouse/ >/dev/null
lh run "$PIPE" >/dev/null
vq() { local out rc=0; out=$("$LH" --lake "$PWD/lake" sql -q --format csv -e "$1") || rc=$?; printf '%s\n' "${out//$'\r'/}"; return $rc; }
# ROLLUP equals its UNION ALL spelling
expect_eq "$(vq 'SELECT substr(email, 1, 1) AS l, count(*) FROM stedi.customer_trusted GROUP BY ROLLUP (substr(email, 1, 1)) ORDER BY 1 NULLS FIRST LIMIT 5')" \
    "$(vq 'SELECT * FROM (SELECT substr(email, 1, 1) AS l, count(*) FROM stedi.customer_trusted GROUP BY 1 UNION ALL SELECT NULL, count(*) FROM stedi.customer_trusted) ORDER BY 1 NULLS FIRST LIMIT 5')" "ROLLUP"
# the pipeline's jobs as queries: the same counts as the tables the jobs wrote
expect_eq "$(vq 'SELECT count(*) FROM stedi.accelerometer_landing a JOIN stedi.customer_trusted c ON a."user" = c.email' | tail -1)" "$(count stedi.accelerometer_trusted)" "trusted join"
expect_eq "$(vq 'SELECT count(*) FROM stedi.step_trainer_trusted s JOIN stedi.accelerometer_trusted a ON s.sensorreadingtime = a."timestamp"' | tail -1)" "$(count stedi.machine_learning_curated)" "curated join"
# Athena's types where SQLite differed
expect_eq "$(vq 'SELECT count(*) > 0, 7 / 2, 1000.0 / 3 FROM stedi.customer_trusted' | tail -1)" "true,3,333.3" "typed results"
# FETCH FIRST n ROWS WITH TIES: the n-th row's peers pass too, across batch boundaries (10,000 rows, groups of 700)
D="(VALUES 0,1,2,3,4,5,6,7,8,9)"
T="SELECT (a.x*1000 + b.x*100 + c.x*10 + d.x) / 700 AS k FROM $D a(x), $D b(x), $D c(x), $D d(x)"
expect_eq "$(vq "SELECT count(*) FROM ($T ORDER BY k FETCH FIRST 2100 ROWS WITH TIES)" | tail -1)" "2100" "ties: the n-th row ends a group"
expect_eq "$(vq "SELECT count(*) FROM ($T ORDER BY k FETCH FIRST 2101 ROWS WITH TIES)" | tail -1)" "2800" "ties: the group crossing batches"
expect_eq "$(vq "SELECT count(*), min(k) FROM ($T ORDER BY k DESC OFFSET 5 ROWS FETCH FIRST 1 ROWS WITH TIES)" | tail -1)" "195,14" "ties after OFFSET"
expect_eq "$(vq "SELECT coalesce(CAST(x AS varchar), 'N') FROM (VALUES 1, NULL, NULL, 2) t(x) ORDER BY x DESC NULLS FIRST FETCH FIRST 1 ROW WITH TIES" | tail -n +2 | tr '\n' ' ')" "N N " "NULLs tie with NULLs"
# SHOW FUNCTIONS lists the registry, sorted, one row per signature
out=$(vq "SHOW FUNCTIONS LIKE 'regexp%'")
expect_contains "$out" "regexp_like,boolean,\"varchar, varchar\",scalar,true," "SHOW FUNCTIONS row"
expect_eq "$(echo "$out" | tail -n +2 | cut -d, -f1 | sort -c && echo sorted)" "sorted" "SHOW FUNCTIONS sorted by name"
expect_contains "$(vq 'SHOW FUNCTIONS' | cut -d, -f1 | sort -u | tr '\n' ' ')" " approx_distinct " "aggregates listed"
# EXPLAIN and EXPLAIN ANALYZE
out=$(vq 'EXPLAIN SELECT "user", count(*) FROM stedi.accelerometer_trusted GROUP BY "user" ORDER BY 2 DESC LIMIT 3')
expect_contains "$out" "HashAggregate" "EXPLAIN names the aggregate"
expect_contains "$out" "TableScan [stedi.accelerometer_trusted" "EXPLAIN names the table"
out=$(vq 'EXPLAIN ANALYZE SELECT "user", count(*) FROM stedi.accelerometer_trusted GROUP BY "user" ORDER BY 2 DESC LIMIT 3')
expect_contains "$out" "rows: 40981" "EXPLAIN ANALYZE counts the scan's rows"
# errors: Athena's words, a position, non-zero exit
must_fail vq 'SELECT emial FROM stedi.customer_trusted'
expect_contains "$OUT" "<-e>:1:8: Column 'emial' cannot be resolved (did you mean 'email'?)" "did-you-mean column"
must_fail vq "SELECT email FROM stedi.customer_trusted WHERE registrationdate = 'x'"
expect_contains "$OUT" "Cannot apply operator: bigint = varchar(1)" "no implicit varchar = bigint"
must_fail vq 'SELECT registrationdate / 0 FROM stedi.customer_trusted'
expect_contains "$OUT" "Division by zero" "integer division by zero"
expect_contains "$OUT" "<-e>:1:1:" "run-time errors carry the statement position"
# fault walks: every allocation and every I/O call of one query fails in turn
Q='SELECT c.email, count(*) AS n, max(a.x) FROM stedi.customer_curated c JOIN stedi.accelerometer_trusted a ON a."user" = c.email GROUP BY c.email ORDER BY n DESC, c.email LIMIT 5'
rm -rf lake; mkdir -p small/customer/landing small/accelerometer/landing small/step_trainer/landing
head -200 "$(ls data/accelerometer/landing/* | head -1)" > small/accelerometer/landing/a.json
cp data/customer/landing/* small/customer/landing/
head -200 "$(ls data/step_trainer/landing/* | head -1)" > small/step_trainer/landing/s.json
lh ingest small s3://stedi-lakehouse/ >/dev/null
lh run "$PIPE" >/dev/null
base=$(vq "$Q")
[ "$(echo "$base" | wc -l)" -gt 1 ] || die "the walk's query must return rows: $base"
fwalk() { # VAR
    local var=$1 n=0 rc
    while :; do
        n=$((n+1))
        [ "$n" -le 20000 ] || die "$var walk did not finish"
        set +e; env "$var=$n" "$LH" --lake "$PWD/lake" sql -q --format csv -e "$Q" >walk.out 2>walk.err; rc=$?; set -e
        [ "$rc" -eq 0 ] && break
        [ "$rc" -eq 2 ] || { cat walk.err; die "$var=$n: exit $rc, expected a clean error (2)"; }
        grep -q "error:" walk.err || { cat walk.err; die "$var=$n: no error message"; }
    done
    expect_eq "$(tr -d '\r' <walk.out)" "$base" "$var walk: the answer after the last failure point"
    echo "$var: $((n-1)) failure points over a join, an aggregate and a sort, every one a clean error"
}
fwalk LH_FAULT_ALLOC
fwalk LH_FAULT_IO
