# Helpers for e2e cases (sourced; `set -e` is on).
die() { echo "CHECK FAILED: $*" >&2; exit 1; }
# expect_eq ACTUAL EXPECTED MESSAGE
expect_eq() { [ "$1" == "$2" ] || die "$3: expected [$2], got [$1]"; }
# expect_contains HAYSTACK NEEDLE MESSAGE
expect_contains() { [[ "$1" == *"$2"* ]] || die "$3: [$2] not found in: $1"; }
expect_not_contains() { [[ "$1" != *"$2"* ]] || die "$3: [$2] unexpectedly found in: $1"; }
# run a command that must fail; sets OUT (stdout+stderr) and RC
must_fail() { set +e; OUT="$("$@" 2>&1)"; RC=$?; set -e; [ "$RC" -ne 0 ] || die "expected failure from: $* ; got: $OUT"; }
# lakehouse with this case's lake
lh() { "$LH" --lake "$PWD/lake" "$@"; }
# one scalar from SQL
# (CSV quoting undone: "a,b" -> a,b and "" -> ")
q() { "$LH" --lake "$PWD/lake" sql -q --format csv -e "$1" | tail -n +2 | tr -d '\r' | sed 's/^"//; s/"$//; s/""/"/g'; }
# the rows of a one-column query, in the query's order, joined with $2
# (default ","): for lists, where SQLite's group_concat was used before
# (not an Athena function; Athena's array_join(array_agg(x ORDER BY ..))
# works too, but this keeps the order in the SELECT's own ORDER BY)
qlist() { "$LH" --lake "$PWD/lake" sql -q --format csv -e "$1" | tail -n +2 | tr -d '\r' | sed 's/^"//; s/"$//; s/""/"/g' | paste -sd"${2:-,}" -; }
count() { q "SELECT COUNT(*) FROM $1"; }
stedi_counts() {
    local t out=""
    for t in customer_landing accelerometer_landing step_trainer_landing customer_trusted accelerometer_trusted \
             customer_curated step_trainer_trusted machine_learning_curated; do
        out="$out $(count stedi.$t)"
    done
    echo "${out# }"
}
# put a local file into the lake at s3://URI
put() { "$LH" --lake "$PWD/lake" ingest "$1" "$2" >/dev/null; }
# needs NAME...: this case reads outside data (NAME as in tests/testdata.sh,
# under LAKEHOUSE_TEST_DATA); when it is absent the case stops here and
# run.sh reports it skipped, by name, with what is missing.
needs() {
    local m
    m=$(td_missing "$@") && return 0
    echo "SKIP: needs $m"
    printf '%s\n' "$m" > "$E2E_SKIP"
    exit 77
}
# stedi_or_generated: for a case that wants the STEDI landing data but only
# its eight counts: $STEDI stays the real data when it is there; otherwise
# it becomes `lakehouse gen stedi --scale 1` output (the same eight counts).
stedi_or_generated() {
    td_have stedi && return 0
    echo "note: real STEDI data absent ($(td_about stedi)); using generated data (gen stedi --scale 1)"
    "$LH" gen stedi --scale 1 "$PWD/stedi-generated" >/dev/null
    STEDI="$PWD/stedi-generated"
}
