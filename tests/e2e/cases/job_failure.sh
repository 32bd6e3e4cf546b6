# A job that fails leaves the previous snapshot readable and complete:
# a runtime error midway through the write, and a process killed during it.
lh gen stedi --scale 1 --seed 3 d1 >/dev/null
lh ingest d1 s3://stedi-lakehouse/ >/dev/null
lh run "$PIPE" >/dev/null
base="956 81273 28680 482 40981 482 14460 43681"
expect_eq "$(stedi_counts)" "$base" "first run"
snap=$(q "SELECT \"\$path\" FROM stedi.accelerometer_trusted LIMIT 1")

# 1. a bad record appended to a landing file fails the job midway
f=$(ls d1/accelerometer/landing/ | tail -1)
cp "d1/accelerometer/landing/$f" bad.json
who=$(q "SELECT email FROM stedi.customer_trusted LIMIT 1")   # a row the job keeps, so it must convert
echo "{\"user\":\"$who\",\"timestamp\":\"not a number\",\"x\":1,\"y\":1,\"z\":1}" >> bad.json
put bad.json "s3://stedi-lakehouse/accelerometer/landing/$f"
must_fail lh run "$PIPE"
expect_contains "$OUT" "$f:" "error names the file"
expect_contains "$OUT" "'timestamp'" "error names the column"
expect_contains "$OUT" "previous snapshot of stedi.accelerometer_trusted kept" "run says what was kept"
expect_contains "$OUT" "not run: customer_trusted_to_curated, step_trainer_trusted, machine_learning_curated" "run names the jobs it did not run"
expect_eq "$(count stedi.accelerometer_trusted)" "40981" "previous snapshot still complete"
expect_eq "$(q "SELECT \"\$path\" FROM stedi.accelerometer_trusted LIMIT 1")" "$snap" "same snapshot"
expect_contains "$(lh runs accelerometer_landing_to_trusted)" "failed" "the failed run is recorded"
# the failed run left no objects behind
n=$(find lake/stedi-lakehouse/accelerometer/trusted -type f | wc -l)
expect_eq "$n" "$(q "SELECT count(DISTINCT \"\$path\") FROM stedi.accelerometer_trusted")" "only the committed snapshot's objects remain"
put "d1/accelerometer/landing/$f" "s3://stedi-lakehouse/accelerometer/landing/$f"

# 2. SIGKILL during the run at increasing delays: every table reads its
#    previous or its new snapshot, never a mix; a re-run then verifies.
lh gen stedi --scale 2 --seed 3 d2 >/dev/null
lh ingest d2 s3://stedi-lakehouse/ >/dev/null
new="1912 162546 57360 964 81962 964 28920 87362"
for delay in 0.02 0.05 0.1 0.15 0.2 0.3 0.4 0.5 0.7; do
    "$LH" --lake "$PWD/lake" run "$PIPE" >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for t in customer_trusted accelerometer_trusted customer_curated step_trainer_trusted machine_learning_curated; do
        c=$(count stedi.$t)
        case "$t:$c" in
        customer_trusted:482|customer_trusted:964|accelerometer_trusted:40981|accelerometer_trusted:81962|\
        customer_curated:482|customer_curated:964|step_trainer_trusted:14460|step_trainer_trusted:28920|\
        machine_learning_curated:43681|machine_learning_curated:87362) ;;
        *) die "after kill at ${delay}s: stedi.$t has $c rows, neither snapshot" ;;
        esac
    done
    echo "kill at ${delay}s: consistent"
done
lh run "$PIPE" >/dev/null
lh verify --scale 2 "$PIPE"
expect_eq "$(stedi_counts)" "$new" "re-run after kills"
