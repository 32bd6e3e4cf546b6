# Table locations never overlap (issue 11, point 3): a CTAS external_location,
# a new table's LOCATION or an ingested object that equals, contains or lies
# inside another table's location is refused naming that table, and vacuum
# never deletes another table's files.
lh gen stedi --scale 1 --seed 7 data >/dev/null
lh ingest data s3://stedi-lakehouse/ >/dev/null
lh run "$PIPE" >/dev/null
want="956 81273 28680 482 40981 482 14460 43681"
expect_eq "$(stedi_counts)" "$want" "pipeline on generated data"
serde="ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'"

# the exact reproduction: a job into a landing table's location
must_fail lh sql -e "CREATE TABLE stedi.oops WITH (format='JSON', external_location='s3://stedi-lakehouse/customer/landing/') AS SELECT 1 AS a"
echo "$OUT"
expect_contains "$OUT" "external_location 's3://stedi-lakehouse/customer/landing/' overlaps the location of table stedi.customer_landing (s3://stedi-lakehouse/customer/landing/); choose a prefix of its own" "CTAS onto a landing table refused"
expect_eq "$(count stedi.customer_landing)" "956" "customer_landing keeps its count"
[ -z "$(find lake/stedi-lakehouse/customer/landing -name 'run-*')" ] || die "the refused job wrote into the landing folder"
must_fail lh sql -e "SELECT * FROM stedi.oops"
expect_contains "$(lh runs)" "" "runs still readable"
# trailing slashes do not matter; inside and containing are refused too
for case in "s3://stedi-lakehouse/customer/landing|stedi.customer_landing" \
            "s3://stedi-lakehouse/customer/trusted/sub/|stedi.customer_trusted" \
            "s3://stedi-lakehouse/step_trainer/trusted/run-000001-x/|stedi.step_trainer_trusted" \
            "s3://stedi-lakehouse/step_trainer/|stedi.machine_learning_curated" \
            "s3://stedi-lakehouse/|stedi."; do
    loc="${case%|*}"; owner="${case#*|}"
    must_fail lh sql -e "CREATE TABLE stedi.oops WITH (format='JSON', external_location='$loc') AS SELECT 1 AS a"
    expect_contains "$OUT" "external_location '${loc%/}/' overlaps the location of table $owner" "CTAS at $loc refused"
done
# a managed table may not move onto another table's location either
must_fail lh sql -e "CREATE TABLE stedi.customer_trusted WITH (format='PARQUET', external_location='s3://stedi-lakehouse/customer/curated/') AS SELECT 1 AS a"
expect_contains "$OUT" "table stedi.customer_curated" "moving a table onto another refused"
expect_eq "$(count stedi.customer_trusted)" "482" "customer_trusted unchanged"
# neighbours that only share a string prefix are separate prefixes
lh sql -q -e "CREATE TABLE stedi.landing2 WITH (format='JSON', external_location='s3://stedi-lakehouse/customer/landing2/') AS SELECT 1 AS a" >/dev/null
expect_eq "$(count stedi.landing2)" "1" "s3://b/customer/landing2/ is not inside s3://b/customer/landing/"
expect_eq "$(count stedi.customer_landing)" "956" "and adds nothing to customer_landing"

# CREATE EXTERNAL TABLE over another table's location
for case in "s3://stedi-lakehouse/customer/landing/|stedi.customer_landing" \
            "s3://stedi-lakehouse/accelerometer/|stedi.accelerometer_" \
            "s3://stedi-lakehouse/customer/curated/part/|stedi.customer_curated"; do
    loc="${case%|*}"; owner="${case#*|}"
    must_fail lh sql -e "CREATE EXTERNAL TABLE stedi.again (a int) $serde LOCATION '$loc'"
    expect_contains "$OUT" "LOCATION '$loc' overlaps the location of table $owner" "external table at $loc refused"
done
must_fail lh sql -e "SELECT * FROM stedi.again"
# IF NOT EXISTS of an existing table stays a no-op (the STEDI DDL re-runs this way)
lh sql -q -e "CREATE EXTERNAL TABLE IF NOT EXISTS stedi.customer_landing (a int) $serde LOCATION 's3://stedi-lakehouse/'" >/dev/null
expect_eq "$(q "SELECT count(*) FROM stedi.customer_landing WHERE email IS NOT NULL")" "956" "existing definition kept"

# ingest: into a job's prefix refused, naming the object and the table; nothing copied
echo '{"a":1}' > x.json
must_fail lh ingest x.json s3://stedi-lakehouse/customer/trusted/x.json
expect_contains "$OUT" "s3://stedi-lakehouse/customer/trusted/x.json inside the location of table stedi.customer_trusted" "ingest into a managed prefix refused"
must_fail lh ingest data/customer s3://stedi-lakehouse/customer/curated/
expect_contains "$OUT" "table stedi.customer_curated" "folder ingest into a managed prefix refused"
mkdir -p planted/customer/landing planted/customer/curated
cp data/customer/landing/* planted/customer/landing/new-customers.json
echo '{"a":1}' > planted/customer/curated/evil.json
must_fail lh ingest planted s3://stedi-lakehouse/
expect_contains "$OUT" "s3://stedi-lakehouse/customer/curated/evil.json inside the location of table stedi.customer_curated" "the object that would land in a job's prefix is named"
[ ! -e lake/stedi-lakehouse/customer/landing/new-customers.json ] || die "a refused ingest copied something"
expect_eq "$(count stedi.customer_curated)" "482" "customer_curated unchanged"
# ingest into landing (an external table's location) and re-ingest at the bucket root still work
out=$(lh ingest data s3://stedi-lakehouse/)
expect_contains "$out" "0 files copied" "re-ingest after the run copies nothing"
lh ingest data/customer/landing s3://stedi-lakehouse/customer/landing/ >/dev/null
# the pipeline re-runs at its own locations
lh run "$PIPE" >/dev/null
lh verify "$PIPE" >/dev/null
expect_eq "$(stedi_counts)" "$want" "re-run"

# vacuum never deletes an external table's files.  A catalog written before
# locations were kept apart could let a CTAS reuse an external Parquet
# table's LOCATION; the external table's files, in the engine's own layout
# and referenced by no snapshot, looked like the job's orphans.
lh sql -q -e "CREATE TABLE stedi.pq WITH (format='PARQUET', external_location='s3://stedi-lakehouse/pq/') AS SELECT * FROM stedi.customer_trusted" >/dev/null
p=$(q "SELECT \"\$path\" FROM stedi.pq LIMIT 1")
lh ingest "lake/${p#s3://}" s3://stedi-lakehouse/ext/run-000001-20260101T000000Z/part-00000.parquet >/dev/null
lh sql -q -e "CREATE EXTERNAL TABLE stedi.ext (customername string, email string) STORED AS PARQUET LOCATION 's3://stedi-lakehouse/ext/'" >/dev/null
expect_eq "$(count stedi.ext)" "482" "external Parquet table"
must_fail lh sql -e "CREATE TABLE stedi.pq WITH (format='PARQUET', external_location='s3://stedi-lakehouse/ext/') AS SELECT 1 AS a"
expect_contains "$OUT" "overlaps the location of table stedi.ext" "CTAS reusing the external table's LOCATION refused"
if command -v sqlite3 >/dev/null; then
    # the catalog as an older lakehouse left it: the job's table on the external table's prefix
    sqlite3 lake/.lakehouse/catalog.db "UPDATE tables SET location='s3://stedi-lakehouse/ext/' WHERE db='stedi' AND name='pq'"
    out=$(lh vacuum --dry-run)
    echo "$out"
    expect_not_contains "$out" "s3://stedi-lakehouse/ext/run-" "dry run lists none of the external table's files"
    expect_contains "$out" "kept 1 unreferenced object under another table's location" "kept, and said so"
    out=$(lh vacuum)
    expect_not_contains "$out" "removed s3://stedi-lakehouse/ext/" "vacuum removes none of them"
    [ -f lake/stedi-lakehouse/ext/run-000001-20260101T000000Z/part-00000.parquet ] || die "vacuum deleted an external table's file"
    expect_eq "$(count stedi.ext)" "482" "external table whole after vacuum"
    # an external table inside a managed table's prefix is protected too
    sqlite3 lake/.lakehouse/catalog.db "UPDATE tables SET location='s3://stedi-lakehouse/' WHERE db='stedi' AND name='pq'"
    out=$(lh vacuum)
    [ -f lake/stedi-lakehouse/ext/run-000001-20260101T000000Z/part-00000.parquet ] || die "vacuum deleted an external table's file"
    expect_eq "$(stedi_counts)" "$want" "every table whole after vacuum"
else
    echo "SKIP: sqlite3 (the CLI) is not installed: the pre-change catalog part was not run"
fi
