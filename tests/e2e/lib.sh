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
