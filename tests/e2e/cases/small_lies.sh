# Issue 11, point 7 ("smaller lies"): what a statement or command says is
# what it did.  One section per item; each starts with the issue's own
# reproduction.

# ---- 1. DROP ... IF EXISTS / CREATE ... IF NOT EXISTS say when nothing happened
out=$(lh sql -e "DROP TABLE IF EXISTS nosuch.t" 2>&1)
expect_eq "$out" "Table nosuch.t does not exist; nothing dropped" "DROP TABLE IF EXISTS of a missing table"
expect_not_contains "$out" "Dropped" "no claim of a drop"
out=$(lh sql -e "DROP DATABASE IF EXISTS nosuch" 2>&1)
expect_eq "$out" "Database nosuch does not exist; nothing dropped" "DROP DATABASE IF EXISTS of a missing database"
must_fail lh sql -e "DROP TABLE nosuch.t"
expect_contains "$OUT" "does not exist (use IF EXISTS)" "DROP TABLE of a missing table without IF EXISTS fails"
mkdir -p src && printf '{"a":1}\n' > src/t.json && put src/t.json s3://bkt-lies/t/t.json
out=$(lh sql -e "CREATE DATABASE lies" 2>&1)
expect_eq "$out" "Database lies ready" "a new database"
out=$(lh sql -e "CREATE DATABASE IF NOT EXISTS lies" 2>&1)
expect_eq "$out" "Database lies already exists; nothing changed (IF NOT EXISTS)" "CREATE DATABASE IF NOT EXISTS of an existing one"
ddl="CREATE EXTERNAL TABLE IF NOT EXISTS lies.t (a int) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt-lies/t/'"
expect_eq "$(lh sql -e "$ddl" 2>&1)" "Table lies.t ready" "a new table"
expect_eq "$(lh sql -e "$ddl" 2>&1)" "Table lies.t already exists; nothing changed (IF NOT EXISTS)" "CREATE EXTERNAL TABLE IF NOT EXISTS of an existing one"
lh sql -q -e "CREATE TABLE lies.c AS SELECT 1 AS a"
out=$(lh sql -e "CREATE TABLE IF NOT EXISTS lies.c AS SELECT 2 AS a" 2>&1)
expect_contains "$out" "exists; nothing done (IF NOT EXISTS)" "CTAS IF NOT EXISTS of an existing table"
expect_not_contains "$out" "Created" "CTAS IF NOT EXISTS does not say Created"
out=$(lh sql -e "DROP TABLE IF EXISTS lies.t" 2>&1)
expect_contains "$out" "Dropped table lies.t" "DROP TABLE IF EXISTS of an existing table drops it"

# ---- 2. DROP DATABASE ... CASCADE (the STEDI lake: the real landing data
# when LAKEHOUSE_TEST_DATA has it, else generated with the same counts)
stedi_or_generated
lh ingest "$STEDI" s3://stedi-lakehouse/ >/dev/null
lh run "$PIPE" >/dev/null && echo "stedi pipeline ran: $(count stedi.machine_learning_curated) ML rows"
objects_before=$(find lake -type f ! -path '*/_catalog/*' ! -name '*.db*' | sort)
n_before=$(printf '%s\n' "$objects_before" | wc -l)
must_fail lh sql -e "DROP DATABASE stedi"
expect_contains "$OUT" "Database stedi is not empty. One or more tables exist" "DROP DATABASE without CASCADE refuses a non-empty database"
expect_eq "$(count stedi.customer_trusted)" "482" "refused drop changed nothing"
out=$(lh sql -e "DROP DATABASE stedi CASCADE" 2>&1)
expect_contains "$out" "Dropped database stedi and its 8 tables (their data objects are kept, as in Athena)" "CASCADE notice"
expect_not_contains "$(lh sql -q -f csv -e "SHOW DATABASES")" "stedi" "SHOW DATABASES no longer lists stedi"
must_fail lh sql -e "SELECT COUNT(*) FROM stedi.customer_trusted"
must_fail lh sql -e "SHOW TABLES IN stedi"
objects_after=$(find lake -type f ! -path '*/_catalog/*' ! -name '*.db*' | sort)
expect_eq "$objects_after" "$objects_before" "data objects stay in the lake ($n_before)"
expect_contains "$objects_after" "stedi-lakehouse/customer/landing/" "landing objects kept"
expect_contains "$objects_after" ".parquet" "job objects kept"
out=$(lh sql -e "DROP DATABASE IF EXISTS stedi CASCADE" 2>&1)
expect_eq "$out" "Database stedi does not exist; nothing dropped" "a second CASCADE drop does nothing"
must_fail lh sql -e "DROP DATABASE default"
expect_contains "$OUT" "database default cannot be dropped" "default is refused"
must_fail lh sql -e "DROP DATABASE IF EXISTS default CASCADE"
expect_contains "$OUT" "database default cannot be dropped" "default is refused, even with IF EXISTS CASCADE"
# the pipeline runs again on the same lake (re-creates database and tables)
lh run "$PIPE" >/dev/null && echo "stedi pipeline ran: $(count stedi.machine_learning_curated) ML rows"
expect_eq "$(count stedi.customer_curated)" "482" "pipeline re-runs after the CASCADE drop"

# ---- 3. decimal(p,s) holds only what fits
{
  for i in $(seq 1 11); do printf '{"id":%d,"price":%d.25}\n' "$i" "$i"; done
  printf '{"id":12,"price":18400000000000000000}\n'
  printf '{"id":13,"price":1.005}\n'
} > src/customer.json
put src/customer.json s3://bkt-lies/dec/customer.json
lh sql -q -e "CREATE EXTERNAL TABLE lies.dec (id int, price decimal(5,2)) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt-lies/dec/'"
must_fail lh sql -e "SELECT id, price FROM lies.dec"
expect_contains "$OUT" "s3://bkt-lies/dec/customer.json:12: column 'price': 18400000000000000000 does not fit decimal(5,2) (at most 999.99)" "out-of-range decimal names file:line, column, value, type"
# the engine converts every row of a column it reads (as Athena does), so a
# WHERE on another column does not hide row 12: rounding is checked on a
# copy without it
grep -v '"id":12,' src/customer.json > src/customer_ok.json
put src/customer_ok.json s3://bkt-lies/dec_ok/customer.json
lh sql -q -e "CREATE EXTERNAL TABLE lies.dec_ok (id int, price decimal(5,2)) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt-lies/dec_ok/'"
expect_eq "$(q "SELECT price FROM lies.dec_ok WHERE id = 13")" "1.01" "rounded half-up to the scale, as Hive"
expect_eq "$(q "SELECT sum(price) FROM lies.dec_ok")" "69.76" "decimal sum of what fits"
must_fail lh sql -e "SELECT sum(price) FROM lies.dec"
expect_contains "$OUT" "customer.json:12" "aggregates see the error too"
# ignore.malformed.json is about malformed JSON: a bad value still fails,
# as every other conversion error does; use.null.for.invalid.data gives NULL
put src/customer.json s3://bkt-lies/dec_m/customer.json   # tables never share a location
lh sql -q -e "CREATE EXTERNAL TABLE lies.dec_m (id int, price decimal(5,2)) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' WITH SERDEPROPERTIES ('ignore.malformed.json'='true') LOCATION 's3://bkt-lies/dec_m/'"
must_fail lh sql -e "SELECT id, price FROM lies.dec_m"
expect_contains "$OUT" "customer.json:12: column 'price': 18400000000000000000 does not fit decimal(5,2)" "ignore.malformed.json: still an error, like a wrong type"
put src/customer.json s3://bkt-lies/dec_n/customer.json
lh sql -q -e "CREATE EXTERNAL TABLE lies.dec_n (id int, price decimal(5,2)) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' WITH SERDEPROPERTIES ('use.null.for.invalid.data'='true') LOCATION 's3://bkt-lies/dec_n/'"
expect_eq "$(q "SELECT count(*) FROM lies.dec_n WHERE price IS NULL")" "1" "use.null.for.invalid.data: NULL, as Hive's SerDe"
expect_eq "$(q "SELECT id FROM lies.dec_n WHERE price IS NULL")" "12" "the out-of-range row"
# a job reading the bad value fails, naming it, and keeps the previous snapshot
# (the first snapshot comes from the copy without row 12: a WHERE does not
# hide a value the scan converts)
job="CREATE TABLE lies.prices WITH (format='PARQUET', external_location='s3://bkt-lies/prices/') AS SELECT id, price FROM"
lh sql -q -e "$job lies.dec_ok WHERE id < 12"
expect_eq "$(count lies.prices)" "11" "first snapshot"
must_fail lh sql -e "$job lies.dec"
expect_contains "$OUT" "customer.json:12: column 'price': 18400000000000000000 does not fit decimal(5,2)" "the job names the value"
expect_eq "$(count lies.prices)" "11" "previous snapshot kept"
# a Parquet file holding wider decimals than its table declares: the read
# refuses the value, and so does the writer of a job
printf '{"id":1,"price":1.5}\n{"id":2,"price":12345678.25}\n' > src/wide.json
put src/wide.json s3://bkt-lies/wide/wide.json
lh sql -q -e "CREATE EXTERNAL TABLE lies.wide (id int, price decimal(10,2)) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt-lies/wide/'"
lh sql -q -e "CREATE TABLE lies.wide_pq WITH (format='PARQUET', external_location='s3://bkt-lies/wide_pq/') AS SELECT id, price FROM lies.wide"
mkdir -p lake/bkt-lies/narrow && cp "$(find lake/bkt-lies/wide_pq -name '*.parquet' | head -1)" lake/bkt-lies/narrow/x.parquet
lh sql -q -e "CREATE EXTERNAL TABLE lies.narrow (id int, price decimal(5,2)) STORED AS PARQUET LOCATION 's3://bkt-lies/narrow/'"
# (a file of only the value that fits: a WHERE on id would not hide row 2, see above)
lh sql -q -e "CREATE TABLE lies.wide_pq1 WITH (format='PARQUET', external_location='s3://bkt-lies/wide_pq1/') AS SELECT id, price FROM lies.wide WHERE id = 1"
mkdir -p lake/bkt-lies/narrow1 && cp "$(find lake/bkt-lies/wide_pq1 -name '*.parquet' | head -1)" lake/bkt-lies/narrow1/x.parquet
lh sql -q -e "CREATE EXTERNAL TABLE lies.narrow1 (id int, price decimal(5,2)) STORED AS PARQUET LOCATION 's3://bkt-lies/narrow1/'"
expect_eq "$(q "SELECT price FROM lies.narrow1")" "1.50" "a value that fits is read (decimal(5,2) prints its scale)"
must_fail lh sql -e "SELECT price FROM lies.narrow"
expect_contains "$OUT" "column 'price': 12345678.25 does not fit decimal(5,2) (at most 999.99)" "Parquet read: a wider value is refused"

# ---- 4. a FIFO in a pipeline's ddl/ (or jobs/) fails the load at once
cp -r "$PIPE" pipe-fifo
mkfifo pipe-fifo/ddl/f.sql
set +e; out=$(timeout 10 "$LH" --lake "$PWD/lake" run pipe-fifo 2>&1); rc=$?; set -e
[ "$rc" -ne 124 ] || die "run hung on a FIFO in ddl/ (timed out)"
expect_eq "$rc" "2" "run fails"
expect_contains "$out" "pipe-fifo/ddl/f.sql: not a regular file (a FIFO); remove it" "FIFO named"
expect_not_contains "$out" "ddl  " "nothing ran"
rm pipe-fifo/ddl/f.sql && mkfifo pipe-fifo/jobs/g.sql
set +e; out=$(timeout 10 "$LH" --lake "$PWD/lake" run pipe-fifo 2>&1); rc=$?; set -e
[ "$rc" -ne 124 ] || die "run hung on a FIFO in jobs/ (timed out)"
expect_contains "$out" "pipe-fifo/jobs/g.sql: not a regular file (a FIFO); remove it" "FIFO in jobs/ named"
rm pipe-fifo/jobs/g.sql
echo "CREATE DATABASE IF NOT EXISTS elsewhere;" > outside.sql
ln -s "$PWD/outside.sql" pipe-fifo/ddl/zz.sql
must_fail timeout 10 "$LH" --lake "$PWD/lake" run pipe-fifo
expect_contains "$OUT" "pipe-fifo/ddl/zz.sql: a symbolic link to $PWD/outside.sql, outside the pipeline folder" "symlink out of the pipeline refused"
rm pipe-fifo/ddl/zz.sql
expect_contains "$(timeout 60 "$LH" --lake "$PWD/lake" run pipe-fifo 2>&1)" "machine_learning_curated" "the cleaned pipeline runs"

# ---- 5. ingest names what it skips
mkdir -p land/sub
printf '{"a":1}\n' > land/a.json
ln -s /etc/passwd land/link.json
mkfifo land/sub/fifo.json
set +e; out=$(timeout 10 "$LH" --lake "$PWD/lake" ingest land s3://bkt-lies/land/ 2>&1); rc=$?; set -e
[ "$rc" -ne 124 ] || die "ingest hung on a FIFO"
expect_eq "$rc" "0" "a regular file was copied: exit 0"
expect_contains "$out" "skipped land/link.json: a symbolic link" "symlink named"
expect_contains "$out" "skipped land/sub/fifo.json: a FIFO" "FIFO named"
expect_contains "$out" "1 file copied (8 bytes), 0 unchanged, 2 skipped (not regular files)" "summary counts the skipped"
[ ! -e lake/bkt-lies/land/link.json ] || die "a symlink was copied"
mkdir -p only && mkfifo only/f && ln -s /etc/passwd only/l
set +e; out=$(timeout 10 "$LH" --lake "$PWD/lake" ingest only s3://bkt-lies/only/ 2>&1); rc=$?; set -e
expect_eq "$rc" "2" "nothing but non-regular entries: failure"
expect_contains "$out" "only: nothing ingested" "says nothing was ingested"
set +e; out=$(timeout 10 "$LH" --lake "$PWD/lake" ingest only/f s3://bkt-lies/x/ 2>&1); rc=$?; set -e
expect_eq "$rc" "2" "SRC a FIFO fails"
expect_contains "$out" "only/f: not a regular file or folder (a FIFO)" "SRC FIFO named"
must_fail lh ingest land/link.json s3://bkt-lies/x/
expect_contains "$OUT" "land/link.json: a symbolic link (to a regular file)" "SRC symlink named"
mkdir -p empty
expect_contains "$(lh ingest empty s3://bkt-lies/empty/ 2>&1)" "0 files copied" "an empty folder is fine"
echo "small_lies: all five sections checked"
