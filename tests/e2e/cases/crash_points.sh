# SIGKILL at every crash point of a run (after each object the store commits,
# just before and just after each catalog commit): every table then reads
# exactly its previous or its new snapshot, and a re-run verifies.
lh gen stedi --scale 1 --seed 5 d1 >/dev/null
lh ingest d1 s3://stedi-lakehouse/ >/dev/null
lh run "$PIPE" >/dev/null
lh gen stedi --scale 2 --seed 5 d2 >/dev/null
lh ingest d2 s3://stedi-lakehouse/ >/dev/null
lh run "$PIPE" >/dev/null   # snapshot B (scale 2)
rm -rf lake/stedi-lakehouse/*/landing   # back to scale-1 landing data
lh ingest d1 s3://stedi-lakehouse/ >/dev/null
expect_eq "$(count stedi.accelerometer_landing)" "81273" "landing back at scale 1"
n=0
while :; do
    n=$((n+1))
    [ "$n" -le 100 ] || die "the run never completed"
    set +e; ( LH_CRASH_AT=$n exec "$LH" --lake "$PWD/lake" run "$PIPE" >out.log 2>&1 ) 2>/dev/null; rc=$?; set -e
    if [ "$rc" -eq 0 ]; then break; fi
    [ "$rc" -eq 137 ] || { cat out.log; die "crash point $n: exit $rc, expected SIGKILL (137)"; }
    grep -q "killed at" out.log || die "crash point $n not reported"
    for t in customer_trusted accelerometer_trusted customer_curated step_trainer_trusted machine_learning_curated; do
        c=$(count stedi.$t)
        case "$t:$c" in
        customer_trusted:482|customer_trusted:964|accelerometer_trusted:40981|accelerometer_trusted:81962|\
        customer_curated:482|customer_curated:964|step_trainer_trusted:14460|step_trainer_trusted:28920|\
        machine_learning_curated:43681|machine_learning_curated:87362) ;;
        *) die "after crash point $n ($(grep -o 'killed at.*' out.log)): stedi.$t has $c rows" ;;
        esac
    done
    echo "crash point $n ($(grep -o 'killed at.*' out.log)): every table whole"
done
echo "survived $((n-1)) kills"
[ "$n" -gt 15 ] || die "expected at least 15 crash points, got $((n-1))"
lh verify "$PIPE"
# vacuum finds what the killed runs left behind, removes only that, and the
# tables still verify
out=$(lh vacuum --dry-run)
echo "$out"
expect_contains "$out" "would remove s3://stedi-lakehouse/" "dry run lists orphans"
before=$(find lake/stedi-lakehouse -type f | wc -l)
expect_eq "$(find lake/stedi-lakehouse -type f | wc -l)" "$before" "dry run removes nothing"
out=$(lh vacuum)
expect_contains "$out" "removed s3://stedi-lakehouse/" "vacuum removes"
expect_contains "$out" "abandoned runs recorded" "abandoned runs reported"
out=$(lh vacuum --dry-run)
expect_contains "$out" "0 orphaned" "nothing left"
n_land=$(find lake/stedi-lakehouse/*/landing -type f | wc -l)
expect_eq "$n_land" "$(find d1 -type f | wc -l)" "landing data untouched"
lh verify "$PIPE"
expect_contains "$(lh runs)" "abandoned" "killed runs marked abandoned"
