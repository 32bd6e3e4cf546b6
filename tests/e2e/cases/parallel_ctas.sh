# Parallel CREATE TABLE AS: when the plan streams one table's rows to its
# root (filters, projections, the probe side of joins) and that table has
# several objects, one worker per core runs the plan over its share of the
# objects, and the run commits every worker's objects as one snapshot.
# Every table must hold exactly the rows the one-thread run gives; plans
# that aggregate, sort or deduplicate above the scan stay on one thread; a
# failure in any worker leaves nothing behind.
lh gen stedi --scale 1 --seed 11 data >/dev/null
for t in 2 1; do
    LH_THREADS=$t "$LH" --lake "$PWD/lake$t" ingest data s3://stedi-lakehouse/ >/dev/null
    LH_THREADS=$t "$LH" --lake "$PWD/lake$t" run "$PIPE" >/dev/null
    LH_THREADS=$t "$LH" --lake "$PWD/lake$t" verify "$PIPE" >/dev/null
done
dump() { # dump LAKE TABLE: all rows, sorted, as CSV
    local cols
    cols=$("$LH" --lake "$1" sql -q -f csv -e "SHOW COLUMNS IN $2" | tail -n +2 | tr -d '\r' | paste -sd, -)
    "$LH" --lake "$1" sql -q -f csv -e "SELECT * FROM $2 ORDER BY $cols" | md5sum
}
for t in customer_trusted accelerometer_trusted customer_curated step_trainer_trusted machine_learning_curated; do
    expect_eq "$(dump "$PWD/lake2" stedi.$t)" "$(dump "$PWD/lake1" stedi.$t)" "$t: the same rows on two threads as on one"
done
halves() { find "$1/stedi-lakehouse/$2" -name 'part-1*.parquet' | wc -l; }
expect_eq "$(halves "$PWD/lake2" accelerometer/trusted)" "1" "accelerometer_trusted was split (its second half is part-10000)"
expect_eq "$(halves "$PWD/lake2" step_trainer/curated)" "1" "machine_learning_curated was split"

expect_eq "$(halves "$PWD/lake2" customer/curated)" "0" "customer_curated ran on one thread: its IN subquery's table, read whole by every worker, is bigger than the one it would share out"
expect_eq "$(halves "$PWD/lake1" accelerometer/trusted)" "0" "LH_THREADS=1 runs on one thread"
# an aggregate is never split
cp -r lake2 lake
lh sql -e "CREATE TABLE stedi.per_user AS SELECT a.\"user\", count(*) AS n FROM stedi.accelerometer_landing a GROUP BY a.\"user\"" >/dev/null
expect_eq "$(q "SELECT sum(n) FROM stedi.per_user")" "81273" "GROUP BY over the landing table"
expect_eq "$(find lake -path '*per_user*' -name 'part-1*' | wc -l)" "0" "GROUP BY is not split"
lh sql -e "CREATE TABLE stedi.by_sum AS SELECT a.\"user\", a.x FROM stedi.accelerometer_landing a WHERE a.x > (SELECT avg(x) FROM stedi.accelerometer_landing)" >/dev/null
expect_eq "$(q "SELECT count(*) FROM stedi.by_sum")" "$(q "SELECT count(*) FROM stedi.accelerometer_landing WHERE x > (SELECT avg(x) FROM stedi.accelerometer_landing)")" "a table read twice"
expect_eq "$(find lake -path '*by_sum*' -name 'part-1*' | wc -l)" "1" "the scalar subquery runs once, at plan time; the scan it filters is split"
lh sql -e "CREATE TABLE stedi.self_join AS SELECT a.\"user\", b.x FROM stedi.accelerometer_landing a JOIN stedi.accelerometer_landing b ON a.\"timestamp\" = b.\"timestamp\" AND a.\"user\" = b.\"user\"" >/dev/null
expect_eq "$(q "SELECT count(*) FROM stedi.self_join")" "$(LH_THREADS=1 "$LH" --lake "$PWD/lake" sql -q -f csv -e "SELECT count(*) FROM stedi.accelerometer_landing a JOIN stedi.accelerometer_landing b ON a.\"timestamp\" = b.\"timestamp\" AND a.\"user\" = b.\"user\"" | tail -1 | tr -d '\r')" "a table joined with itself: only the probe side's scan is split"
expect_eq "$(find lake -path '*self_join*' -name 'part-1*' | wc -l)" "1" "the self join was split"
# a bad value in one half: the job fails with file:line, both halves' objects are removed
mkdir -p bad
for f in 1 2 3; do
    awk -v f=$f 'BEGIN{for(i=1;i<=20000;i++) printf "{\"k\":\"%d-%d\",\"v\":%d,\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}\n", f, i, i}' > bad/f$f.json
done
echo '{"k":"oops","v":"not a number"}' >> bad/f3.json
put bad s3://bkt/bad/
lh sql -e "CREATE EXTERNAL TABLE stedi.badsrc (k string, v bigint, pad string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt/bad/'" >/dev/null
must_fail lh sql -e "CREATE TABLE stedi.badout WITH (external_location = 's3://bkt/badout/') AS SELECT k, v FROM stedi.badsrc"
expect_contains "$OUT" "f3.json:20001" "the error names the file and line"
expect_eq "$(find lake/bkt -path '*badout*' -type f | wc -l)" "0" "no object of the failed run is left"
must_fail lh sql -e "SELECT 1 FROM stedi.badout"
# without the bad line the same job is split and complete
# (a copy: a WHERE does not hide a value the scan converts)
mkdir -p good && cp bad/f1.json bad/f2.json good/ && grep -v oops bad/f3.json > good/f3.json
put good s3://bkt/good/
lh sql -e "CREATE EXTERNAL TABLE stedi.goodsrc (k string, v bigint, pad string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt/good/'" >/dev/null
lh sql -e "CREATE TABLE stedi.goodout WITH (external_location = 's3://bkt/goodout/') AS SELECT k, v FROM stedi.goodsrc" >/dev/null
expect_eq "$(q "SELECT count(*), count(DISTINCT k), sum(v) FROM stedi.goodout")" "60000,60000,600030000" "both halves' rows, once each"
expect_eq "$(find lake/bkt -path '*goodout*' -name 'part-1*' | wc -l)" "1" "the job over three objects was split"
# COUNT(*) of a JSON table of several objects counts the halves on two threads:
# the same count as one thread, and a malformed line still fails it with file:line
expect_eq "$(q "SELECT COUNT(*) FROM stedi.badsrc")" "60001" "COUNT(*) over three objects, two threads"
expect_eq "$(LH_THREADS=1 "$LH" --lake "$PWD/lake" sql -q -f csv -e "SELECT COUNT(*) FROM stedi.badsrc" | tail -1 | tr -d '\r')" "60001" "the same on one thread"
cp bad/f2.json broken.json
sed -i '777s/.*/{"k":"cut short",/' broken.json
put broken.json s3://bkt/bad/f2.json
must_fail lh sql -e "SELECT COUNT(*) FROM stedi.badsrc"
expect_contains "$OUT" "f2.json:777" "a malformed line fails COUNT(*) with its file:line"
# a join whose build side quarantines malformed lines: every worker reads
# that table whole, and each malformed line is quarantined once
who=$(q "SELECT email FROM stedi.customer_trusted LIMIT 1")
printf '{"email":"%s"}\n{"email": broken\n' "$who" > qusers.json
put qusers.json s3://bkt/qusers/qusers.json
lh sql -e "CREATE EXTERNAL TABLE stedi.q_users (email string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' WITH SERDEPROPERTIES ('ignore.malformed.json'='true') LOCATION 's3://bkt/qusers/'" >/dev/null
lh sql -e "CREATE TABLE stedi.q_join WITH (external_location = 's3://bkt/qjoin/') AS SELECT a.\"user\", a.x FROM stedi.accelerometer_landing a JOIN stedi.q_users u ON a.\"user\" = u.email" >/dev/null
expect_eq "$(find lake/bkt -path '*qjoin*' -name 'part-1*' | wc -l)" "1" "a join with a quarantining build side is split (every worker reads it whole)"
expect_eq "$(q "SELECT count(*) FROM stedi.q_join_quarantine")" "1" "its malformed line is quarantined once"
expect_eq "$(q "SELECT count(*) FROM stedi.q_join")" "$(q "SELECT count(*) FROM stedi.accelerometer_landing WHERE \"user\" = '$who'")" "the join's rows"
# allocation and I/O failures across a split job (sampled every 23rd
# allocation, every I/O call, until the job succeeds): always a clean error,
# and the table keeps its previous snapshot
cat > job.sql <<'SQL'
CREATE TABLE stedi.accelerometer_trusted WITH (format = 'PARQUET', external_location = 's3://stedi-lakehouse/accelerometer/trusted/') AS
SELECT a."user", a."timestamp", a.x, a.y, a.z FROM stedi.accelerometer_landing a JOIN stedi.customer_trusted c ON a."user" = c.email;
SQL
before=$("$LH" --lake "$PWD/lake2" sql -q -f csv -e "SELECT count(*), count(DISTINCT \"\$path\") FROM stedi.accelerometer_trusted" | tail -1 | tr -d '\r')
expect_eq "$before" "40981,2" "the split table before the walks"
for spec in LH_FAULT_ALLOC:23 LH_FAULT_IO:1; do
    var=${spec%%:*}; step=${spec#*:}; n=1; fails=0
    while :; do
        [ "$n" -le 100000 ] || die "$var walk did not finish"
        set +e; env "$var=$n" "$LH" --lake "$PWD/lake2" sql job.sql >walk.log 2>&1; rc=$?; set -e
        [ "$rc" -eq 0 ] && break
        [ "$rc" -eq 2 ] && grep -q "error:" walk.log || { cat walk.log; die "$var=$n: exit $rc, expected a clean error (2)"; }
        expect_eq "$("$LH" --lake "$PWD/lake2" sql -q -f csv -e "SELECT count(*) FROM stedi.accelerometer_trusted" | tail -1 | tr -d '\r')" "40981" "$var=$n: the previous snapshot"
        fails=$((fails + 1)); n=$((n + step))
    done
    echo "$var: $fails failure points, each a clean error"
    [ "$fails" -gt 10 ] || die "$var walk hit too few failure points ($fails)"
done
expect_eq "$("$LH" --lake "$PWD/lake2" sql -q -f csv -e "SELECT count(*), count(DISTINCT \"\$path\") FROM stedi.accelerometer_trusted" | tail -1 | tr -d '\r')" "40981,2" "the job, split, after the walks"
