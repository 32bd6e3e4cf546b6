# The real STEDI landing data: ingest -> run -> verify gives the eight counts,
# a second run and a second ingest change nothing.
# Needs the real files (LAKEHOUSE_TEST_DATA/stedi): 14 of them, as the seed project has.
needs stedi
out=$(lh ingest "$STEDI" s3://stedi-lakehouse/)
expect_contains "$out" "14 files copied" "first ingest"
out=$(lh ingest "$STEDI" s3://stedi-lakehouse/)
expect_contains "$out" "0 files copied" "second ingest copies nothing"
expect_contains "$out" "14 unchanged" "second ingest"
out=$(lh run "$PIPE")
echo "$out"
expect_contains "$out" "machine_learning_curated" "run prints jobs"
expect_contains "$out" "43681 rows out" "ML job rows out"
lh verify "$PIPE"
expected="956 81273 28680 482 40981 482 14460 43681"
expect_eq "$(stedi_counts)" "$expected" "counts after first run"
snap1=$(q "SELECT \"\$path\" FROM stedi.customer_trusted LIMIT 1")
lh run "$PIPE" >/dev/null
expect_eq "$(stedi_counts)" "$expected" "counts after second run (no duplicates)"
lh verify "$PIPE"
snap2=$(q "SELECT \"\$path\" FROM stedi.customer_trusted LIMIT 1")
[ "$snap1" != "$snap2" ] || die "second run should commit a new snapshot prefix"
# every snapshot prefix holds exactly one snapshot: an outside engine reading
# the prefix the catalog names sees exactly the current rows
prefix=${snap2%part-*}
expect_eq "$(ls "lake/${prefix#s3://}")" "part-00000.parquet" "the snapshot prefix holds exactly the snapshot's objects"
expect_eq "$(head -c 4 "lake/${snap2#s3://}")" "PAR1" "trusted and curated zones are Parquet"
# the ML table has no email, name or phone
cols=$("$LH" --lake "$PWD/lake" sql -q --format csv -e "SHOW COLUMNS IN stedi.machine_learning_curated" | tail -n +2 | tr -d '\r' | paste -sd,)
expect_eq "$cols" "sensorreadingtime,serialnumber,distancefromobject,timestamp,x,y,z" "ML columns"
# the run history records both runs of every job
n=$(lh runs --limit 100 | grep -c succeeded)
expect_eq "$n" "10" "succeeded runs recorded"
