# tests/testdata.sh — sourced by every test script that reads data from
# outside this repository.  The one variable is LAKEHOUSE_TEST_DATA: the
# folder that holds that data (default ../shared beside the repository,
# which is how CI runs).  It is made absolute here, once, and exported, so a
# relative value means relative to where the test was started.
#
# What the tests look for there (td_need NAME checks and explains these;
# tests/unit/testutil.h says the same for the cmocka tests):
#   stedi            stedi/{customer,accelerometer,step_trainer}/landing/*.json
#                    the real landing JSON of the STEDI Human Balance
#                    Analytics project (Udacity's nd027-Data-Engineering-
#                    Data-Lakes-AWS-Exercises repository, folder project/starter)
#   jsontestsuite    corpora/JSONTestSuite/test_parsing/
#                    the public nst/JSONTestSuite repository's test_parsing/
#   parquet-testing  corpora/parquet-testing/{tier1,expected-duckdb}/
#                    the public apache/parquet-testing repository's data/
#                    files sorted into tier1/ tier2/ bad_data/, with DuckDB's
#                    reading of each in expected-duckdb/
#   s3tools          tools/s3/sigv4proxy.js
#                    the strict SigV4 verifier put in front of s3rver (npm
#                    s3rver@3.7.1 is installed by tests/s3/run.sh itself);
#                    it comes with the team's shared folder, tools/s3/
# A test whose data is absent is skipped by name, never counted as passed.
# When LAKEHOUSE_SKIP_LOG names a file (scripts/test sets it), every skip
# appends one line to it, so the caller can list what did not run.
#
# Old names still work: STEDI_DIR (the stedi folder itself) and SHARED_DIR
# (the same as LAKEHOUSE_TEST_DATA).

_td_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAKEHOUSE_TEST_DATA=$(realpath -m -- "${LAKEHOUSE_TEST_DATA:-${SHARED_DIR:-$_td_repo/../shared}}")
export LAKEHOUSE_TEST_DATA
if [ -n "${STEDI_DIR:-}" ]; then STEDI_DIR=$(realpath -m -- "$STEDI_DIR"); export STEDI_DIR; fi

# td_path NAME: where NAME lives
td_path() {
    case $1 in
        stedi) echo "${STEDI_DIR:-$LAKEHOUSE_TEST_DATA/stedi}" ;;
        jsontestsuite) echo "$LAKEHOUSE_TEST_DATA/corpora/JSONTestSuite/test_parsing" ;;
        parquet-testing) echo "$LAKEHOUSE_TEST_DATA/corpora/parquet-testing" ;;
        s3tools) echo "$LAKEHOUSE_TEST_DATA/tools/s3" ;;
        *) echo "td_path: unknown test data '$1'" >&2; return 2 ;;
    esac
}

# td_have NAME: is NAME there (the files the tests read, not just the folder)?
td_have() {
    local p
    p=$(td_path "$1") || return 2
    case $1 in
        stedi) [ -f "$p/customer/landing/customer-1691348231425.json" ] &&
               compgen -G "$p/accelerometer/landing/*.json" >/dev/null &&
               compgen -G "$p/step_trainer/landing/*.json" >/dev/null ;;
        jsontestsuite) compgen -G "$p/y_*.json" >/dev/null && compgen -G "$p/n_*.json" >/dev/null ;;
        parquet-testing) [ -f "$p/tier1/alltypes_plain.parquet" ] && [ -d "$p/expected-duckdb" ] ;;
        s3tools) [ -f "$p/sigv4proxy.js" ] ;;
    esac
}

# td_about NAME: one line saying what NAME is, where it was looked for, and
# where to get it
td_about() {
    local p
    p=$(td_path "$1") || return 2
    case $1 in
        stedi) echo "LAKEHOUSE_TEST_DATA/stedi: the real STEDI landing JSON (customer, accelerometer, step_trainer landing/*.json), not at $p; get it from Udacity's nd027-Data-Engineering-Data-Lakes-AWS-Exercises repository, folder project/starter" ;;
        jsontestsuite) echo "LAKEHOUSE_TEST_DATA/corpora/JSONTestSuite/test_parsing: not at $p; get test_parsing/ from the public nst/JSONTestSuite repository" ;;
        parquet-testing) echo "LAKEHOUSE_TEST_DATA/corpora/parquet-testing: tier1/ and expected-duckdb/, not at $p; the files come from the public apache/parquet-testing repository (data/, bad_data/)" ;;
        s3tools) echo "LAKEHOUSE_TEST_DATA/tools/s3: sigv4proxy.js (the SigV4 verifier in front of s3rver), not at $p; it comes with the team's shared folder (tools/s3/)" ;;
    esac
}

# td_missing NAME...: prints what is absent ("; "-separated), fails if any is
td_missing() {
    local n out=""
    for n in "$@"; do
        td_have "$n" || out="${out:+$out; }$(td_about "$n")"
    done
    [ -z "$out" ] && return 0
    echo "$out"
    return 1
}

# td_note WHAT REASON: record a skip in $LAKEHOUSE_SKIP_LOG (when set)
td_note() {
    [ -n "${LAKEHOUSE_SKIP_LOG:-}" ] && printf '%s (needs %s)\n' "$1" "$2" >> "$LAKEHOUSE_SKIP_LOG"
    return 0
}

# td_skip_suite SUITE NAME...: for a whole suite (a step of scripts/test) —
# when any NAME is absent, say so and exit 77 (scripts/test counts that as
# skipped, with this reason)
td_skip_suite() {
    local suite=$1 m; shift
    m=$(td_missing "$@") && return 0
    echo "$suite: skipped (needs $m)"
    td_note "$suite" "$m"
    exit 77
}
