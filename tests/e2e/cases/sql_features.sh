# Athena-style SQL over lake tables: joins, WHERE, GROUP BY/HAVING, DISTINCT,
# ORDER BY, LIMIT, subqueries, CTEs, window functions, Athena functions.
mkdir -p src
printf '%s\n' '{"c":"a","v":1}' '{"c":"a","v":2}' '{"c":"b","v":3}' '{"c":"c","v":4}' '{"c":"c","v":5}' '{"c":"c","v":6}' > src/f.json
printf '%s\n' '{"c":"a","label":"Alpha"}' '{"c":"c","label":"Gamma"}' '{"c":"z","label":"Zeta"}' > src/d.json
put src/f.json s3://bkt/f/f.json
put src/d.json s3://bkt/d/d.json
lh sql -e "CREATE DATABASE q" \
  -e "CREATE EXTERNAL TABLE q.f (c string, v bigint) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt/f/'" \
  -e "CREATE EXTERNAL TABLE q.d (c string, label string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt/d/'" >/dev/null
expect_eq "$(qlist "SELECT d.label || '=' || CAST(sum(f.v) AS varchar) AS x FROM q.f f JOIN q.d d ON f.c = d.c GROUP BY d.label HAVING sum(f.v) > 3 ORDER BY d.label" ';')" "Gamma=15" "join + group by + having"
expect_eq "$(qlist "SELECT d.label, sum(f.v) FROM q.f f JOIN q.d d ON f.c = d.c GROUP BY d.label ORDER BY d.label" ';')" "Alpha,3;Gamma,15" "join + group by"
expect_eq "$(q "SELECT count(*) FROM q.f f LEFT JOIN q.d d ON f.c = d.c WHERE d.label IS NULL")" "1" "left join"
expect_eq "$(q "SELECT count(DISTINCT c) FROM q.f")" "3" "distinct"
expect_eq "$(qlist "SELECT v FROM q.f ORDER BY v DESC LIMIT 2")" "6,5" "order by + limit"
expect_eq "$(q "SELECT count(*) FROM q.f WHERE c IN (SELECT c FROM q.d)")" "5" "IN subquery"
# DISTINCT's semantics: one NULL, 1 and 1.0 equal, '1' (text) not
printf '%s\n' '{"c":"a","v":1,"w":"1"}' '{"c":null,"v":1.0,"w":"x"}' '{"c":"a","v":2,"w":"1"}' '{}' '{"c":"b","v":null,"w":"y"}' > src/g.json
put src/g.json s3://bkt/g/g.json
lh sql -e "CREATE EXTERNAL TABLE q.g (c string, v double, w string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt/g/'" >/dev/null
expect_eq "$(qlist "SELECT coalesce(c, 'NULL') FROM (SELECT DISTINCT c FROM q.g) t ORDER BY c")" "a,b,NULL" "DISTINCT: one NULL"
expect_eq "$(q "SELECT count(*) FROM (SELECT DISTINCT v FROM q.g)")" "3" "DISTINCT: 1 = 1.0, NULL once"
expect_eq "$(qlist "SELECT DISTINCT c FROM q.g WHERE w = 'y' ORDER BY c")" "b" "DISTINCT with a WHERE on another column"
expect_eq "$(qlist "SELECT DISTINCT c FROM q.g WHERE c > 'a'")" "b" "DISTINCT with a WHERE on the same column"
expect_eq "$(q "SELECT count(*) FROM q.f WHERE c IN (SELECT DISTINCT c FROM q.g)")" "3" "IN (SELECT DISTINCT ...)"
expect_eq "$(qlist "SELECT DISTINCT g1.c AS x FROM q.g g1 JOIN q.g g2 ON g1.c = g2.c ORDER BY 1")" "a,b" "DISTINCT over a join"
expect_eq "$(q "WITH t AS (SELECT c, max(v) m FROM q.f GROUP BY c) SELECT sum(m) FROM t")" "11" "CTE"
expect_eq "$(qlist "SELECT row_number() OVER (PARTITION BY c ORDER BY v DESC) r FROM q.f ORDER BY c, v")" "2,1,1,3,2,1" "window function"
# from_unixtime gives timestamp(3) with time zone, printed with its zone;
# epoch ms / 1000e0 is a double and keeps the milliseconds, while / 1000.0
# is decimal division, whose scale is the larger operand scale (1), so
# Athena rounds to tenths
expect_eq "$(q "SELECT from_unixtime(1655564444103 / 1000e0)")" "2022-06-18 15:00:44.103 UTC" "from_unixtime on epoch ms / 1000e0"
expect_eq "$(q "SELECT from_unixtime(1655564444103 / 1000.0)")" "2022-06-18 15:00:44.100 UTC" "from_unixtime on epoch ms / 1000.0 (decimal division)"
expect_eq "$(q "SELECT date_format(from_unixtime(1655564444), '%Y-%m-%d %H:%i')")" "2022-06-18 15:00" "date_format"
expect_eq "$(q "SELECT date_trunc('month', TIMESTAMP '2022-06-18 15:00:44.103')")" "2022-06-01 00:00:00.000" "date_trunc"
expect_eq "$(q "SELECT to_unixtime(TIMESTAMP '2022-06-18 15:00:44.103')")" "1.655564444103E9" "to_unixtime (a double, printed as Athena prints it)"
expect_eq "$(q "SELECT typeof(current_timestamp), current_timestamp > TIMESTAMP '2026-01-01 00:00:00 UTC'")" "timestamp(3) with time zone,true" "current_timestamp"
# LIKE is case-sensitive, as in Athena
expect_eq "$(q "SELECT count(*) FROM q.d WHERE label LIKE 'a%'")" "0" "LIKE is case-sensitive"
# output formats
out=$(lh sql -q -f csv -e "SELECT 'a,b' AS x, NULL AS y, 'say \"hi\"' AS z")
expect_eq "$(echo "$out" | tr -d '\r')" 'x,y,z
"a,b",,"say ""hi"""' "CSV quoting and NULL"
out=$(lh sql -q -f json -e "SELECT 1 AS a, 'x' AS b, NULL AS c, 1.5 AS d")
expect_eq "$out" '{"a":1,"b":"x","c":null,"d":1.5}' "JSON lines"
out=$(lh sql -q -e "SELECT c, v FROM q.f WHERE v = 1")
expect_contains "$out" "| c | v |" "table header"
expect_contains "$out" "| a | 1 |" "table row"
# stdin script
out=$(echo "SELECT 41 + 1 AS x;" | lh sql -q -f csv)
expect_contains "$out" "42" "script on stdin"
# Athena sorts NULLs last in both directions; SQLite would put them first
printf '%s\n' '{"k":2}' '{"k":null}' '{"k":1}' > src/n.json
put src/n.json s3://bkt/n/n.json
lh sql -e "CREATE EXTERNAL TABLE q.n (k int) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt/n/'" >/dev/null
expect_eq "$(qlist "SELECT coalesce(CAST(k AS varchar), 'N') FROM q.n ORDER BY k")" "1,2,N" "NULLS LAST ascending"
expect_eq "$(qlist "SELECT coalesce(CAST(k AS varchar), 'N') FROM q.n ORDER BY k DESC")" "2,1,N" "NULLS LAST descending"
expect_eq "$(qlist "SELECT coalesce(CAST(k AS varchar), 'N') FROM q.n ORDER BY k NULLS FIRST")" "N,1,2" "explicit NULLS FIRST kept"
expect_eq "$(qlist "SELECT r FROM (SELECT row_number() OVER (ORDER BY k) AS r, k FROM q.n) t ORDER BY k")" "1,2,3" "window ORDER BY"
# double quotes are identifiers, never strings (SQLite would fall back to a string)
must_fail lh sql -e 'SELECT "nosuchcolumn" FROM q.n'
expect_contains "$OUT" "<-e>:1:8: Column 'nosuchcolumn' cannot be resolved" "double-quoted names are identifiers"
# an error position after a rewritten ORDER BY still points at the right column
must_fail lh sql -e 'SELECT k FROM q.n ORDER BY k, nosuch'
expect_contains "$OUT" "<-e>:1:31: Column 'nosuch' cannot be resolved" "error position"
