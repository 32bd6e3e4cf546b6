# Apache's parquet-testing files (LAKEHOUSE_TEST_DATA/corpora/parquet-testing,
# tier1/alltypes_plain.parquet) read through STORED AS PARQUET, and a
# truncated copy fails naming the file.  (Split from parquet.sh, so that
# case runs without the corpus.)
needs parquet-testing
t1="$(td_path parquet-testing)/tier1"
mkdir -p src
lh sql -q -e "CREATE DATABASE IF NOT EXISTS stedi"
lh ingest "$t1/alltypes_plain.parquet" s3://bkt/alltypes/alltypes_plain.parquet >/dev/null
lh sql -q -e "CREATE EXTERNAL TABLE stedi.alltypes (id int, bool_col boolean, tinyint_col tinyint, smallint_col smallint,
   int_col int, bigint_col bigint, float_col float, double_col double, date_string_col string, string_col string,
   timestamp_col timestamp) STORED AS PARQUET LOCATION 's3://bkt/alltypes/'"
expect_eq "$(count stedi.alltypes)" "8" "alltypes_plain rows"
expect_eq "$(qlist "SELECT id FROM stedi.alltypes ORDER BY id")" "0,1,2,3,4,5,6,7" "ids"
expect_eq "$(q "SELECT timestamp_col FROM stedi.alltypes WHERE id = 0")" "2009-01-01 00:00:00.000" "INT96 timestamp (as DuckDB reads it)"
# a hostile file: a clean error naming the file
head -c 300 "$t1/alltypes_plain.parquet" > src/trunc.parquet
lh ingest src/trunc.parquet s3://bkt/bad/trunc.parquet >/dev/null
lh sql -q -e "CREATE EXTERNAL TABLE stedi.bad (id int) STORED AS PARQUET LOCATION 's3://bkt/bad/'"
must_fail lh sql -e "SELECT count(*) FROM stedi.bad"
expect_contains "$OUT" "trunc.parquet" "truncated file named"
