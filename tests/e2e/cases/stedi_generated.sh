# Generated data: the same counts at scale 1, and twice each at scale 2.
lh gen stedi --scale 1 --seed 7 data1 >/dev/null
lh ingest data1 s3://stedi-lakehouse/ >/dev/null
lh run "$PIPE" >/dev/null
lh verify "$PIPE"
expect_eq "$(stedi_counts)" "956 81273 28680 482 40981 482 14460 43681" "scale 1"
rm -rf lake
lh gen stedi --scale 2 --seed 7 data2 >/dev/null
lh ingest data2 s3://stedi-lakehouse/ >/dev/null
lh run "$PIPE" >/dev/null
lh verify --scale 2 "$PIPE"
expect_eq "$(stedi_counts)" "1912 162546 57360 964 81962 964 28920 87362" "scale 2"
must_fail lh verify "$PIPE"
expect_eq "$RC" "1" "verify exits 1 when a count differs"
expect_contains "$OUT" "FAIL" "verify marks the difference"
expect_contains "$OUT" "every count is 2 times the expected at --scale 1: did you mean --scale 2?" "verify: scale hint"
must_fail lh verify --scale 4 "$PIPE"
expect_contains "$OUT" "did you mean --scale 2?" "verify: scale hint, counts too low"
out=$(lh gen stedi --scale 3 --seed 7 data3)
expect_contains "$out" "with --scale 3" "gen names the --scale to verify with"
# the wrong lake: verify says so
must_fail "$LH" --lake "$PWD/emptylake" verify "$PIPE"
expect_contains "$OUT" "is this the lake the pipeline ran in" "verify on the wrong lake"
# the generator is deterministic
lh gen stedi --scale 1 --seed 7 data1b >/dev/null
diff -r data1 data1b >/dev/null || die "same seed must give the same bytes"
# a pipeline run over no landing data: verify names the empty tables
"$LH" --lake "$PWD/nolanding" run "$PIPE" >/dev/null
must_fail "$LH" --lake "$PWD/nolanding" verify "$PIPE"
expect_contains "$OUT" "8 tables are empty: stedi.customer_landing" "verify names empty tables"
