# HashJoin spilling on generated data: joins whose build side is several
# times a small --memory-limit (inner, left, full, semi, anti, a
# residual, a varchar key longer than 12 bytes) give the answers of the run
# without a limit; sql --stats reports the bytes spilled; EXPLAIN ANALYZE
# says what was spilled; .lakehouse/tmp holds no file afterwards.  A single
# join key with more rows than the budget is a clean error.  (NOT IN is in
# tests/unit/test_op_join_spill.c: the planner runs an IN subquery of more
# than 100,000 rows as a join only in cases these tables do not reach.)
mkdir -p gen/orders gen/items
awk 'BEGIN { srand(7); for (i = 0; i < 120000; i++)
    printf "{\"id\":%d,\"cust\":%d,\"tag\":\"customer-tag-number-%d\",\"amount\":%.2f}\n",
           i, int(rand() * 40000), int(rand() * 3000), rand() * 1000 }' > gen/orders/part.json
awk 'BEGIN { srand(11); for (i = 0; i < 200000; i++) {
    c = (i % 50 == 0) ? "null" : int(rand() * 45000)
    printf "{\"order_id\":%d,\"cust\":%s,\"tag\":\"customer-tag-number-%d\",\"qty\":%d}\n",
           int(rand() * 130000), c, int(rand() * 3000), int(rand() * 20) } }' > gen/items/part.json
lh ingest gen/orders s3://bkt/orders_json/ >/dev/null
lh ingest gen/items s3://bkt/items_json/ >/dev/null
lh sql -q -e "CREATE DATABASE IF NOT EXISTS s" \
    -e "CREATE EXTERNAL TABLE s.orders_json (id bigint, cust bigint, tag string, amount double)
        ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt/orders_json/'" \
    -e "CREATE EXTERNAL TABLE s.items_json (order_id bigint, cust bigint, tag string, qty int)
        ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt/items_json/'" >/dev/null
# Parquet copies (JSON objects are read whole, so the scans of Parquet fit a small budget)
lh sql -q -e "CREATE TABLE s.orders AS SELECT * FROM s.orders_json"
lh sql -q -e "CREATE TABLE s.items AS SELECT * FROM s.items_json"
expect_eq "$(count s.orders)" "120000" "orders"
LIM=1MB
queries=(
  "SELECT i.order_id, i.qty, o.cust, o.amount FROM s.items i JOIN s.orders o ON i.order_id = o.id"
  "SELECT i.order_id, o.id, o.tag FROM s.items i LEFT JOIN s.orders o ON i.order_id = o.id AND i.cust = o.cust"
  "SELECT i.cust, o.id FROM s.items i FULL JOIN s.orders o ON i.cust = o.cust AND i.tag = o.tag"
  "SELECT i.order_id, i.tag, o.amount FROM s.items i JOIN s.orders o ON i.tag = o.tag AND i.cust = o.cust AND i.qty > o.amount / 100"
  "SELECT i.order_id, i.qty FROM s.items i WHERE EXISTS (SELECT 1 FROM s.orders o WHERE o.id = i.order_id)"
  "SELECT i.order_id, i.cust FROM s.items i WHERE NOT EXISTS (SELECT 1 FROM s.orders o WHERE o.cust = i.cust)"
)
for sql in "${queries[@]}"; do
    want=$(lh sql -q --format csv -e "$sql" | sort | md5sum)
    n=$(lh sql -q --format csv -e "$sql" | wc -l)
    got=$("$LH" --memory-limit $LIM --lake "$PWD/lake" sql -q --format csv -e "$sql" | sort | md5sum)
    expect_eq "$got" "$want" "spilled answer equals in-memory ($n lines): $sql"
    plan=$("$LH" --memory-limit $LIM --lake "$PWD/lake" sql -q --format csv -e "EXPLAIN ANALYZE $sql")
    expect_contains "$plan" "spilled: " "EXPLAIN ANALYZE shows the join's spill: $sql"
    expect_eq "$(find lake/.lakehouse/tmp -type f | wc -l)" "0" "no spill file left: $sql"
done
# sql --stats reports what was spilled
out=$("$LH" --memory-limit $LIM --lake "$PWD/lake" sql --stats -f csv -e "${queries[0]}" 2>&1 >/dev/null)
expect_contains "$out" "spilled" "--stats reports the spill"
# one key with more rows than the budget: a clean error naming the join and the budget
must_fail "$LH" --memory-limit 2MB --lake "$PWD/lake" sql -q --format csv \
    -e "SELECT count(*) FROM s.items i JOIN (SELECT 1 AS k, tag, amount FROM s.orders) o ON i.qty + 1 - i.qty = o.k"
expect_contains "$OUT" "HashJoin" "hot key error names the join"
expect_contains "$OUT" "memory limit of 2.0 MiB" "and the budget"
expect_eq "$(find lake/.lakehouse/tmp -type f | wc -l)" "0" "no spill file left after the error"
