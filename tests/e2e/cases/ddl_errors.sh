# Malformed or unsupported statements: an error naming line and column, a
# non-zero exit, and nothing after the error runs.
cat > bad1.sql <<'SQL'
CREATE DATABASE d1;
CREATE EXTERNAL TABLE d1.t (
  a int,
  b strnig
) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt/t/';
CREATE DATABASE d2;
SQL
must_fail lh sql bad1.sql
expect_contains "$OUT" "bad1.sql:4:5" "bad type position"
expect_contains "$OUT" "strnig" "bad type named"
must_fail lh sql -e "SHOW TABLES IN d2"
printf 'SELECT 1;\n\nALTER TABLE x ADD COLUMNS (c int);\n' > bad2.sql
must_fail lh sql bad2.sql
expect_contains "$OUT" "bad2.sql:3:1" "unsupported statement position"
expect_contains "$OUT" "ALTER TABLE" "unsupported statement named"
must_fail lh sql -e "CREATE EXTERNAL TABLE d1.u (a int) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'"
expect_contains "$OUT" "LOCATION" "missing LOCATION"
must_fail lh sql -e "CREATE EXTERNAL TABLE d1.u (a int LOCATION 's3://bkt/u/'"
expect_contains "$OUT" "<-e>:1:" "missing paren has a position"
must_fail lh sql -e "CREATE EXTERNAL TABLE d1.u (a int) ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe' LOCATION 's3://bkt/u/'"
expect_contains "$OUT" "LazySimpleSerDe" "unsupported SerDe named"
must_fail lh sql -e "SELECT 'unterminated"
expect_contains "$OUT" "unterminated" "unterminated string"
must_fail lh sql -e "SELEC 1"
expect_contains "$OUT" "SELEC" "unknown statement named"
must_fail lh sql -e "SELECT nosuchcol FROM d1.nosuch"
expect_contains "$OUT" "<-e>:1:23: Table 'd1.nosuch' does not exist" "unknown table named, with its position"
must_fail lh sql -e "INSERT INTO d1.t VALUES (1)"
expect_contains "$OUT" "INSERT INTO" "INSERT unsupported and named"
