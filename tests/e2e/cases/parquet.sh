# Parquet in the engine: CTAS WITH (format='PARQUET', write_compression=...),
# STORED AS PARQUET external tables (ours; Apache's test files are in
# parquet_testing.sh),
# COUNT(*) from footers, row groups skipped on statistics.
mkdir -p src
lh gen stedi --scale 1 --seed 2 d >/dev/null
lh ingest d s3://stedi-lakehouse/ >/dev/null
lh sql "$PIPE/ddl/accelerometer_landing.sql" >/dev/null 2>&1
for codec in SNAPPY ZSTD GZIP NONE; do
    lh sql -q -e "CREATE TABLE stedi.acc_$codec WITH (format='PARQUET', write_compression='$codec',
        external_location='s3://bkt/acc_$codec/') AS SELECT * FROM stedi.accelerometer_landing ORDER BY \"timestamp\""
    expect_eq "$(count stedi.acc_$codec)" "81273" "$codec rows"
    # (two values, not a boolean: Athena prints true where SQLite printed 1)
    got=$(q "SELECT round(sum(x), 6), count(DISTINCT \"user\") FROM stedi.acc_$codec")
    [ -n "$got" ] || die "$codec values: no answer"
    expect_eq "$got" "$(q "SELECT round(sum(x), 6), 482 * 2 - 482 + 474 FROM stedi.accelerometer_landing")" "$codec values"
done
out=$(lh sql -q -f csv -e "SHOW CREATE TABLE stedi.acc_ZSTD")
expect_contains "$out" "ParquetHiveSerDe" "SerDe"
expect_contains "$out" "'parquet.compression'='ZSTD'" "compression recorded"
# Athena's default format for CTAS is Parquet
lh sql -q -e "CREATE TABLE stedi.dflt WITH (external_location='s3://bkt/dflt/') AS SELECT 1 AS one, 'a' AS s, 2.5 AS d"
expect_eq "$(head -c 4 lake/bkt/dflt/run-*/part-00000.parquet)" "PAR1" "default CTAS format"
expect_eq "$(lh sql -q -f csv -e "DESCRIBE stedi.dflt" | tr -d '\r' | tail -n +2 | tr '\n' ' ')" "one,int, s,varchar(1), d,\"decimal(2,1)\", " "the query's types, as Athena's CTAS gives them"
# an external table STORED AS PARQUET over a copy of a snapshot
p=$(q "SELECT \"\$path\" FROM stedi.acc_SNAPPY LIMIT 1")
# locations never overlap: the external table reads a copy of the CTAS's file, not the job's own prefix
lh ingest "lake/${p#s3://}" s3://bkt/acc_ext/ >/dev/null
lh sql -q -e "CREATE EXTERNAL TABLE stedi.acc_ext (\`user\` string, \`timestamp\` bigint, x double, y double, z double)
    STORED AS PARQUET LOCATION 's3://bkt/acc_ext/'"
expect_eq "$(count stedi.acc_ext)" "81273" "STORED AS PARQUET"
# COUNT(*) is answered from the footers: no data page is read
out=$(lh sql --stats -f csv -e "SELECT COUNT(*) FROM stedi.acc_SNAPPY" 2>&1)
expect_contains "$out" "81273" "count"
expect_contains "$out" " 0 pages" "COUNT(*) reads no pages"
# a filter outside a row group's min/max skips it (the table is sorted by timestamp)
lo=$(q 'SELECT min("timestamp") FROM stedi.acc_SNAPPY')
lh sql -q -e "CREATE TABLE stedi.acc_small_rg WITH (format='PARQUET', external_location='s3://bkt/small_rg/') AS
    SELECT * FROM stedi.acc_SNAPPY" >/dev/null
out=$(lh sql --stats -f csv -e "SELECT count(*) FROM stedi.acc_SNAPPY WHERE \"timestamp\" < $lo" 2>&1)
expect_contains "$out" "row groups skipped" "stats notice"
expect_contains "$out" "0 pages" "a constraint below every minimum reads no pages"
expect_contains "$out" "1 row groups skipped" "and skips the row group"
# constraints only skip: the rows that match are all there (the same
# answers as the same predicate on expressions, which no scan sees), also
# with the constant on the left and BETWEEN
hi=$(q 'SELECT max("timestamp") FROM stedi.acc_SNAPPY')
for w in "\"timestamp\" >= $lo" "$hi >= \"timestamp\"" "\"timestamp\" BETWEEN $lo AND $hi" "\"timestamp\" = $hi" "\"user\" >= ''" "\"timestamp\" > $hi"; do
    got=$(q "SELECT count(*), round(sum(x), 6) FROM stedi.acc_SNAPPY WHERE $w")
    [ -n "$got" ] || die "no answer under constraint: $w"
    w2=$(printf '%s' "$w" | sed 's/"timestamp"/("timestamp" + 0)/g; s/"user"/concat("user", '"''"')/g')
    expect_eq "$got" "$(q "SELECT count(*), round(sum(x), 6) FROM stedi.acc_SNAPPY WHERE $w2")" "rows under constraint: $w (against $w2)"
done
expect_eq "$(q "SELECT count(*) FROM stedi.acc_SNAPPY WHERE \"timestamp\" BETWEEN $lo AND $hi")" "81273" "BETWEEN over the whole range"
