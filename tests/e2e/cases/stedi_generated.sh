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
# the generator is deterministic
lh gen stedi --scale 1 --seed 7 data1b >/dev/null
diff -r data1 data1b >/dev/null || die "same seed must give the same bytes"
