#!/usr/bin/env bash
# Self-test of tests/sql/run.sh against a fake lakehouse that answers canned
# queries, so it checks the runner alone (no engine): a wrong expected answer
# is a failure, an error case matches its message substring, unordered rows
# are sorted, NULL and quoting, headers, xfail (listed, unlisted, now
# passing, unknown), the filter, crash and hang attribution, exit statuses.
# Prints "runner selftest: N passed, M failed".
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
T="$(mktemp -d "${TMPDIR:-/tmp}/lh-sqlself.XXXXXX")" || exit 2
trap 'rm -rf "$T"' EXIT
pass=0; fail=0
check() { # check NAME CONDITION-STATUS
    if [ "$2" -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1"; sed 's/^/    /' "$T/out"; fi
}

# The fake CLI: each -e is answered from this table, as `lakehouse sql
# --format csv -q` would (CRLF rows, header first, exit 2 on the first error).
cat >"$T/fake" <<'EOF'
#!/usr/bin/env bash
while [ $# -gt 0 ]; do
    case "$1" in
        -e) shift
            case "$1" in
                "SELECT 'lh-sep-"*) n="${1#SELECT \'lh-sep-}"; n="${n%%\'*}"; printf 'lh_sep\r\nlh-sep-%s\r\n' "$n" ;;
                Q_ONE) printf 'x\r\n1\r\n' ;;
                Q_TWO_ONE) printf 'x\r\n2\r\n1\r\n' ;;
                Q_NULLS) printf 'n,s,k\r\n,"a,b",\r\n' ;;
                Q_NONE) printf 'x\r\n' ;;
                Q_UNNAMED) printf '_col0,_col1\r\n1,a\r\n' ;;
                Q_DIV0) printf 'x\r\n'; echo "lakehouse: error: <-e>:1:8: Division by zero" >&2; exit 2 ;;
                Q_CRASH) kill -SEGV $$ ;;
                Q_HANG) sleep 30 ;;
                *) echo "lakehouse: error: <-e>:1:1: unknown query $1" >&2; exit 2 ;;
            esac ;;
    esac
    shift
done
exit 0
EOF
chmod +x "$T/fake"
mkdir -p "$T/cases"
cat >"$T/cases/a.test" <<'EOF'
# case: ok_one
# ref: self
Q_ONE
----
1

# case: wrong_answer
# ref: self
Q_ONE
----
2

# case: ordered_wrong
# ref: self
Q_TWO_ONE
----
1
2

# case: unordered_ok
# ref: self
# unordered
Q_TWO_ONE
----
1
2

# case: nulls_and_quotes
# ref: self
Q_NULLS
----
NULL,"a,b",NULL

# case: header_ok
# ref: self
# header
Q_UNNAMED
----
_col0,_col1
1,a

# case: header_wrong
# ref: self
# header
Q_UNNAMED
----
x,y
1,a

# case: zero_rows
# ref: self
Q_NONE
----

# case: error_ok
# ref: self
Q_DIV0
---- error
Division by zero

# case: error_other_text
# ref: self
Q_DIV0
---- error
Cannot apply operator

# case: error_but_rows
# ref: self
Q_ONE
---- error
Division by zero

# case: rows_but_error
# ref: self
Q_DIV0
----
1

# case: after_errors
# ref: self
Q_ONE
----
1
EOF
cat >"$T/cases/b.test" <<'EOF'
# case: crash_case
# ref: self
Q_CRASH
----
1

# case: after_crash
# ref: self
Q_ONE
----
1

# case: hang_case
# ref: self
Q_HANG
----
1

# case: after_hang
# ref: self
Q_ONE
----
1
EOF
run() { LAKEHOUSE_BIN="$T/fake" SQL_TEST_TIMEOUT=1 bash "$HERE/run.sh" --dir "$T/cases" "$@" >"$T/out" 2>&1; }

run a.test; rc=$?
grep -qx 'sql conformance: 7 passed, 6 failed' "$T/out"; check "summary counts" $?
[ $rc -eq 1 ]; check "unlisted failures exit 1" $?
for c in wrong_answer ordered_wrong header_wrong error_other_text error_but_rows rows_but_error; do
    grep -q "^FAIL $c (" "$T/out"; check "reported failure $c" $?
done
for c in ok_one unordered_ok nulls_and_quotes header_ok zero_rows error_ok after_errors; do
    ! grep -q "^FAIL $c " "$T/out"; check "passing case $c" $?
done
grep -q '^FAIL error_but_rows (.*): expected an error, got rows' "$T/out"; check "error expected, rows got" $?
grep -q '^FAIL error_other_text (.*): error message differs' "$T/out"; check "message mismatch" $?

run -v wrong_answer
grep -q "^FAIL wrong_answer (.*a.test:7): wrong result" "$T/out" && grep -q '^    query:' "$T/out" &&
    grep -q '^    expected:' "$T/out" && grep -q '^    got:' "$T/out"; check "-v prints name, file:line, query, expected, got" $?
grep -qx 'sql conformance: 0 passed, 1 failed' "$T/out"; check "filter by substring" $?

run 'error_*'
grep -qx 'sql conformance: 1 passed, 2 failed' "$T/out"; check "filter by pattern" $?

printf 'wrong_answer  # known\nordered_wrong # known\nheader_wrong\nerror_other_text\nerror_but_rows\nrows_but_error\ncrash_case\nhang_case\nok_one # fixed\nghost # gone\n' >"$T/cases/xfail"
run; rc=$?
[ $rc -eq 0 ]; check "all failures listed: exit 0" $?
grep -qx 'now passing: ok_one (remove from xfail)' "$T/out"; check "now passing reported" $?
grep -qx 'xfail names no case: ghost' "$T/out"; check "unknown xfail name reported" $?
grep -qx 'xfail: 8 listed failures, 0 unlisted, 1 now passing' "$T/out"; check "xfail tally" $?
grep -qx 'sql conformance: 9 passed, 8 failed' "$T/out"; check "summary with xfail" $?
sed -i '/^crash_case$/d' "$T/cases/xfail"
run; rc=$?
[ $rc -eq 1 ] && grep -q '^FAIL crash_case ' "$T/out" && ! grep -q '^FAIL hang_case ' "$T/out"; check "one unlisted failure: exit 1, only it reported" $?
rm "$T/cases/xfail"

run --gen-xfail a.test; rc=$?
[ $rc -eq 0 ] && [ "$(grep -c '  # ' "$T/out")" -eq 6 ] && grep -qx 'wrong_answer  # wrong result' "$T/out"; check "--gen-xfail" $?

run b.test; rc=$?
grep -q '^FAIL crash_case (.*): error: (process exited with status 139)' "$T/out"; check "crash attributed" $?
grep -q '^FAIL hang_case (.*): error: (timed out after 1s)' "$T/out"; check "hang attributed" $?
grep -qx 'sql conformance: 2 passed, 2 failed' "$T/out"; check "cases after a crash and a hang run" $?

printf '# case: bad\nQ_ONE\n----\n1\n' >"$T/cases/c.test"
run; rc=$?
[ $rc -eq 2 ] && grep -q 'has no # ref: line' "$T/out"; check "missing ref is a file error" $?
printf '# case: ok_one\n# ref: x\nQ_ONE\n----\n1\n' >"$T/cases/c.test"
run; rc=$?
[ $rc -eq 2 ] && grep -q 'duplicate case name ok_one' "$T/out"; check "duplicate name is a file error" $?

echo "runner selftest: $pass passed, $fail failed"
[ $fail -eq 0 ]
