# CREATE TABLE AS on our engine: the table gets the Hive types Athena's CTAS
# gives the query's Trino types, values survive the round trip exactly in
# Parquet and JSON, the types Hive cannot hold are refused with Trino's
# words, a failing job keeps the previous snapshot, and a parallel run
# over N workers writes the rows of one worker, once each.
lh sql -q -e "CREATE DATABASE t"
sel="SELECT 1.50 AS d, DATE '2022-06-18' AS dt, TIMESTAMP '2022-06-18 14:30:00.123456' AS ts, true AS b,
       REAL '0.1' AS r, CAST('ab' AS varchar(5)) AS v, CAST('x' AS char(3)) AS c, 2.5e0 AS dbl,
       123456789012345678901234.5678 AS big, CAST(7 AS tinyint) AS ti, CAST(-3 AS smallint) AS si, 5 AS i,
       BIGINT '9007199254740993' AS bi, 'plain' AS s, concat('a', 'b') AS s2"
for fmt in PARQUET JSON; do
    lh sql -q -e "CREATE TABLE t.ty_$fmt WITH (format = '$fmt') AS $sel"
    types=$(lh sql -q -f csv -e "DESCRIBE t.ty_$fmt" | tr -d '\r' | tail -n +2 | sed 's/,$//' | paste -sd' ')
    expect_eq "$types" 'd,"decimal(3,2)" dt,date ts,timestamp b,boolean r,float v,varchar(5) c,char(3) dbl,double big,"decimal(28,4)" ti,tinyint si,smallint i,int bi,bigint s,varchar(5) s2,string' "$fmt: Hive types from the query's Trino types"
    expect_eq "$(q "SELECT d, dt, ts, b, r, v, c, dbl, big, ti, si, i, bi, s, s2 FROM t.ty_$fmt")" \
        "1.50,2022-06-18,2022-06-18 14:30:00.123,true,0.1,ab,\"x  \",2.5,123456789012345678901234.5678,7,-3,5,9007199254740993,plain,ab" \
        "$fmt: every value back as written (decimals exact, timestamps to the millisecond)"
    expect_eq "$(q "SELECT big * 2, d + 1 FROM t.ty_$fmt")" "246913578024691357802469.1356,2.50" "$fmt: decimals stay exact decimals"
    expect_eq "$(q "SELECT typeof(d + 1) FROM t.ty_$fmt")" "decimal(13,2)" "$fmt: with Trino's result type"
done
# JSON output writes numbers as numbers (a decimal's exact digits)
line=$(cat lake/lakehouse-warehouse/t/ty_json/run-*/part-00000.json)
expect_contains "$line" '"d":1.50,' "a decimal as a JSON number with its scale"
expect_contains "$line" '"big":123456789012345678901234.5678,' "a 28-digit decimal, exactly"
expect_contains "$line" '"r":0.1,' "a real as Float.toString's digits"
expect_contains "$line" '"ts":"2022-06-18 14:30:00.123"' "a timestamp as Hive's text"
# timestamps round to the millisecond half up, as a cast to timestamp(3)
expect_eq "$(lh sql -q -e "CREATE TABLE t.rnd AS SELECT TIMESTAMP '1969-12-31 23:59:59.9995' AS a, TIMESTAMP '2022-01-01 00:00:00.0004' AS b" >/dev/null; q "SELECT a, b FROM t.rnd")" \
    "1970-01-01 00:00:00.000,2022-01-01 00:00:00.000" "micros to millis, half up, across the epoch"
# what Hive cannot hold is refused before anything is written
must_fail lh sql -e "CREATE TABLE t.bad AS SELECT NULL AS x"
expect_contains "$OUT" "Column type is unknown: x" "NULL without a type"
must_fail lh sql -e "CREATE TABLE t.bad AS SELECT current_timestamp AS x"
expect_contains "$OUT" "Unsupported Hive type: timestamp(3) with time zone (column x)" "timestamp with time zone"
must_fail lh sql -e "CREATE TABLE t.bad AS SELECT TIME '01:02:03' AS x"
expect_contains "$OUT" "Unsupported Hive type: time(0)" "time"
must_fail lh sql -e "CREATE TABLE t.bad AS SELECT X'00' AS x"
expect_contains "$OUT" "Unsupported Hive type: varbinary" "varbinary"
must_fail lh sql -e "SELECT * FROM t.bad"
expect_contains "$OUT" "does not exist" "no table was made"
# a job that fails while running keeps its previous snapshot and says where
lh sql -q -e "CREATE TABLE t.job AS SELECT 1 AS k"
must_fail lh sql -e "CREATE TABLE t.job AS SELECT k / (k - 1) AS k FROM t.job"
expect_contains "$OUT" "<-e>:1:" "the error names the statement's position"
expect_contains "$OUT" "Division by zero" "Trino's error"
expect_eq "$(q "SELECT k FROM t.job")" "1" "the previous snapshot"
expect_eq "$(find lake/lakehouse-warehouse/t/job -name 'part-*' | wc -l)" "1" "no object of the failed run is left"
# Athena's names and errors for the output columns
must_fail lh sql -e "CREATE TABLE t.dup AS SELECT 1 AS a, 2 AS A"
expect_contains "$OUT" "column name 'a' specified more than once" "a repeated name"
lh sql -q -e "CREATE TABLE t.named AS SELECT 1 + 1, count(*) FROM t.job"
expect_eq "$(lh sql -q -f csv -e "SHOW COLUMNS IN t.named" | tail -n +2 | tr -d '\r' | paste -sd,)" "_col0,_col1" "unnamed columns are _colN"
# parallel runs: four workers over four objects, the rows of one worker
mkdir -p src
for f in 1 2 3 4; do
    awk -v f=$f 'BEGIN{for(i=1;i<=30000;i++) printf "{\"k\":%d,\"g\":\"g%d\",\"v\":%d.25}\n", f*100000+i, i%7, i}' > src/p$f.json
done
put src s3://bkt/par/
lh sql -q -e "CREATE EXTERNAL TABLE t.src (k bigint, g string, v decimal(10,2)) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt/par/'"
lh sql -q -e "CREATE TABLE t.dim AS SELECT * FROM (VALUES ('g1', 'one'), ('g2', 'two'), ('g3', 'three')) AS d(g, name)"
job="CREATE TABLE t.par AS SELECT s.k, s.v * 2 AS v2, d.name FROM t.src s LEFT JOIN t.dim d ON s.g = d.g WHERE s.k % 3 <> 0"
LH_THREADS=4 "$LH" --lake "$PWD/lake" sql -q -e "$job"
expect_eq "$(find lake/lakehouse-warehouse/t/par -name 'part-*.parquet' | sed 's/.*part-//' | sort | paste -sd' ')" \
    "00000.parquet 10000.parquet 20000.parquet 30000.parquet" "four workers, one object each"
four=$(q "SELECT count(*), count(DISTINCT k), sum(v2), count(name) FROM t.par")
LH_THREADS=1 "$LH" --lake "$PWD/lake" sql -q -e "$job"
expect_eq "$(q "SELECT count(DISTINCT \"\$path\") FROM t.par")" "1" "LH_THREADS=1: one worker"
expect_eq "$(q "SELECT count(*), count(DISTINCT k), sum(v2), count(name) FROM t.par")" "$four" "the same rows on four workers as on one"
expect_eq "$four" "80000,80000,2400120000.00,34288" "the rows themselves (computed independently)"
# rows in: every object of the split table once, the build side once
expect_eq "$(lh runs --limit 2 | awk 'NR==2{print $(NF-2)} NR==3{print $(NF-2)}' | sort -u)" "120003" "rows in counted once, split or not"
# a run of four workers where one fails: nothing is left, the previous snapshot stays
echo '{"k":"oops","g":"g1","v":1}' >> src/p3.json
put src/p3.json s3://bkt/par/p3.json
must_fail env LH_THREADS=4 "$LH" --lake "$PWD/lake" sql -e "$job"
expect_contains "$OUT" "p3.json:30001" "the failing worker's file:line"
expect_eq "$(find lake/lakehouse-warehouse/t/par -name 'part-*.parquet' | wc -l)" "5" "no object of the failed workers is left (the two runs' five)"
expect_eq "$(q "SELECT count(*) FROM t.par")" "80000" "the previous snapshot"
# parallel queries: where a table's rows stream into a hash aggregate, each
# worker scans its share and an exchange feeds worker 0's aggregate
sed -i '$d' src/p3.json && put src/p3.json s3://bkt/par/p3.json   # the bad line of the failure test above goes
pq() { local out; out=$(env LH_THREADS=$1 "$LH" --lake "$PWD/lake" sql -q -f csv -e "$2") || die "LH_THREADS=$1 failed: $2"; printf '%s\n' "$out" | tail -n +2 | tr -d '\r' | md5sum; }
for sql in "SELECT g, count(*), sum(v), min(k), max(k), count(DISTINCT k % 1000) FROM t.src GROUP BY g ORDER BY g" \
           "SELECT d.name, count(*), sum(s.v * 2) FROM t.src s JOIN t.dim d ON s.g = d.g WHERE s.k % 3 <> 0 GROUP BY d.name ORDER BY 1" \
           "SELECT count(*), approx_distinct(k), avg(v) FROM t.src WHERE g IN (SELECT g FROM t.dim)" \
           "SELECT g, listagg(CAST(k AS varchar), ',') WITHIN GROUP (ORDER BY k) FROM t.src WHERE k % 997 = 0 GROUP BY g ORDER BY g"; do
    one=$(pq 1 "$sql")
    expect_eq "$(pq 2 "$sql")" "$one" "two workers answer as one: $sql"
    expect_eq "$(pq 4 "$sql")" "$one" "four workers answer as one: $sql"
done
out=$(LH_THREADS=2 "$LH" --lake "$PWD/lake" sql -q -f csv -e "EXPLAIN ANALYZE SELECT g, count(*) FROM t.src GROUP BY g")
expect_contains "$out" "Exchange [2 workers; rows per worker:" "EXPLAIN ANALYZE shows the exchange and each worker's rows"
per=$(echo "$out" | sed -n 's/.*rows per worker: \([0-9]*\), \([0-9]*\)\].*/\1 \2/p')
expect_eq "$(echo "$per" | awk '{print $1 + $2}')" "120000" "the workers' rows add up to the table's"
expect_eq "$(echo "$per" | awk '{print ($1 > 0 && $2 > 0) ? "both" : "one"}')" "both" "both workers read rows"
expect_not_contains "$(LH_THREADS=1 "$LH" --lake "$PWD/lake" sql -q -f csv -e "EXPLAIN ANALYZE SELECT g, count(*) FROM t.src GROUP BY g")" "Exchange" "LH_THREADS=1: no exchange"
expect_not_contains "$(LH_THREADS=2 "$LH" --lake "$PWD/lake" sql -q -f csv -e "EXPLAIN SELECT g, count(*) FROM t.src GROUP BY g")" "Exchange" "EXPLAIN shows the plan as planned"
# a bad value in one worker's share fails the query with its file:line
echo '{"k":"oops","g":"g1","v":1}' >> src/p2.json
put src/p2.json s3://bkt/par/p2.json
must_fail env LH_THREADS=2 "$LH" --lake "$PWD/lake" sql -e "SELECT g, sum(k) FROM t.src GROUP BY g"
expect_contains "$OUT" "p2.json:30001" "the failing worker's file:line"
