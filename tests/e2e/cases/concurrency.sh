# Two writers on one lake: the second fails with a clear message (or waits
# with --wait); readers during a job see one consistent snapshot.
lh gen stedi --scale 2 --seed 9 d >/dev/null
lh ingest d s3://stedi-lakehouse/ >/dev/null
lh run "$PIPE" >/dev/null
"$LH" --lake "$PWD/lake" run "$PIPE" > first.log 2>&1 &
pid=$!
sleep 0.15
must_fail lh run "$PIPE"
expect_contains "$OUT" "another lakehouse process is writing to this lake" "second run refused"
expect_contains "$OUT" "lakehouse run" "holder named"
must_fail lh sql -e "CREATE TABLE stedi.x WITH (format='JSON', external_location='s3://stedi-lakehouse/x/') AS SELECT 1 AS a"
expect_contains "$OUT" "another lakehouse process" "ad-hoc CTAS refused too"
# readers are never blocked, and see whole snapshots
for i in 1 2 3 4 5; do
    c=$(count stedi.machine_learning_curated)
    expect_eq "$c" "87362" "reader during a run"
done
lh run --wait 60 "$PIPE" >/dev/null   # waits for the first, then runs
wait "$pid"
lh verify --scale 2 "$PIPE"
