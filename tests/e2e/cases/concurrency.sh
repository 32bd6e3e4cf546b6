# Two writers on one lake: the second fails with a clear message (or waits
# with --wait); readers during a job see one consistent snapshot.
# scale 10: the first run must still hold the lake while the second writer
# tries (at scale 2 a run takes 0.14 s, less than the old fixed sleep)
lh gen stedi --scale 10 --seed 9 d >/dev/null
lh ingest d s3://stedi-lakehouse/ >/dev/null
lh run "$PIPE" >/dev/null
"$LH" --lake "$PWD/lake" run "$PIPE" > first.log 2>&1 &
pid=$!
for i in $(seq 300); do grep -q "customer_landing_to_trusted .* rows out" first.log 2>/dev/null && break; sleep 0.02; done
must_fail lh run "$PIPE"
expect_contains "$OUT" "another lakehouse process is writing to this lake" "second run refused"
expect_contains "$OUT" "lakehouse run" "holder named"
must_fail lh sql -e "CREATE TABLE stedi.x WITH (format='JSON', external_location='s3://stedi-lakehouse/x/') AS SELECT 1 AS a"
expect_contains "$OUT" "another lakehouse process" "ad-hoc CTAS refused too"
# readers are never blocked, and see whole snapshots
for i in 1 2 3 4 5; do
    c=$(count stedi.machine_learning_curated)
    expect_eq "$c" "436810" "reader during a run"
done
lh run --wait 60 "$PIPE" >/dev/null   # waits for the first, then runs
wait "$pid"
lh verify --scale 10 "$PIPE"
