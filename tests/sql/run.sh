#!/usr/bin/env bash
# SQL conformance suite: runs every case of tests/sql/*.test through
# `lakehouse sql --format csv` in a scratch lake and compares with the
# expected answer (Trino's, see README.md for the case format).
#
#   tests/sql/run.sh [-v] [--gen-xfail] [--dir DIR] [--xfail FILE] [FILTER]
#
#   -v            print every failure: case, file:line, query, expected, got
#   --gen-xfail   print an xfail file (every failing case, with a reason) on
#                 stdout instead of the report; exit 0
#   --dir DIR     read the .test files from DIR (default: this folder)
#   --xfail FILE  expected failures (default: DIR/xfail)
#   FILTER        run only the cases whose name matches: a shell pattern
#                 when it holds * ? or [, else a substring; NAME.test runs
#                 one file
#
# Uses $LAKEHOUSE_BIN (default build/lakehouse under the repository root);
# builds nothing.  Cases run in batches, several -e statements per process,
# with a marker query between cases; a case that errors (or crashes, or
# hangs past $SQL_TEST_TIMEOUT seconds, default 60) ends its process and the
# batch resumes after it.
#
# Exit status: 0 when every failing case is listed in xfail (listed cases
# that pass are reported as "now passing" and do not fail the run), 1 when
# an unlisted case fails, 2 on a usage or case-file error.
# Last line: "sql conformance: N passed, M failed".
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BIN="${LAKEHOUSE_BIN:-$REPO/build/lakehouse}"
TIMEOUT="${SQL_TEST_TIMEOUT:-60}"
BATCH="${SQL_TEST_BATCH:-40}"
verbose=0; gen=0; dir="$HERE"; xfail=""; filter=""
while [ $# -gt 0 ]; do
    case "$1" in
        -v) verbose=1 ;;
        --gen-xfail) gen=1 ;;
        --dir) dir="$2"; shift ;;
        --xfail) xfail="$2"; shift ;;
        -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
        *) filter="$1" ;;
    esac
    shift
done
[ -n "$xfail" ] || xfail="$dir/xfail"
case "$BIN" in /*) ;; *) BIN="$REPO/$BIN" ;; esac
if [ ! -x "$BIN" ]; then
    echo "run.sh: $BIN is not built (make, or set LAKEHOUSE_BIN)" >&2
    exit 2
fi
export LC_ALL=C

T="$(mktemp -d "${TMPDIR:-/tmp}/lh-sqltest.XXXXXX")" || exit 2
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/lake" "$T/c"

# ---- parse the case files into $T/c/N.q (query), N.e (expected), and
# $T/index: N <TAB> name <TAB> file:line <TAB> kind (rows|error) <TAB> flags
files=()
for f in "$dir"/*.test; do [ -e "$f" ] && files+=("$f"); done
if [ ${#files[@]} -eq 0 ]; then echo "run.sh: no .test files in $dir" >&2; exit 2; fi
awk -v out="$T/c" -v idx="$T/index" -v root="$REPO/" '
function rel(f) { return index(f, root) == 1 ? substr(f, length(root) + 1) : f }
function bad(msg) { printf "%s:%d: %s\n", rel(FILENAME), FNR, msg > "/dev/stderr"; err = 1 }
function finish() {
    if (state == "") return
    if (state == "head" || state == "query") bad("case " name " has no ---- line")
    if (ref == "") bad("case " name " has no # ref: line")
    if (q == "") bad("case " name " has no query")
    n++
    printf "%s", q > (out "/" n ".q"); close(out "/" n ".q")
    printf "%s", e > (out "/" n ".e"); close(out "/" n ".e")
    printf "%d\t%s\t%s:%d\t%s\t%s\n", n, name, rel(file), line, kind, flags > idx
    state = ""
}
FNR == 1 { finish() }
{ sub(/\r$/, "") }
/^# case: / {
    finish()
    name = substr($0, 9); gsub(/^[ \t]+|[ \t]+$/, "", name)
    if (name !~ /^[A-Za-z0-9_.-]+$/) bad("bad case name \"" name "\"")
    if (name in seen) bad("duplicate case name " name " (first at " seen[name] ")")
    seen[name] = rel(FILENAME) ":" FNR
    file = FILENAME; line = FNR; state = "head"; q = ""; e = ""; ref = ""; flags = ""; kind = "rows"
    next
}
state == "head" && /^#/ {
    if ($0 ~ /^# ref: /) ref = substr($0, 8)
    else if ($0 ~ /^# unordered[ \t]*$/) flags = flags "u"
    else if ($0 ~ /^# header[ \t]*$/) flags = flags "h"
    else if ($0 !~ /^# (note|derived):? /) bad("unknown directive: " $0)
    next
}
(state == "head" || state == "query") && /^----( error)?[ \t]*$/ {
    if ($0 ~ /error/) kind = "error"
    state = "exp"; next
}
state == "head" || state == "query" {
    if (state == "head" && $0 ~ /^[ \t]*$/) next
    state = "query"; q = q $0 "\n"; next
}
state == "exp" {
    if ($0 ~ /^[ \t]*$/) { finish(); next }
    e = e $0 "\n"; next
}
/^[ \t]*$/ || /^#/ { next }
{ bad("text outside a case: " $0) }
END { finish(); if (err) exit 2 }
' "${files[@]}" || exit 2
touch "$T/index"

# ---- select the cases
: >"$T/sel"
sel=()
while IFS=$'\t' read -r num name loc kind flags; do
    if [ -n "$filter" ]; then
        case "$filter" in
            *.test) [ "${loc%%:*}" = "$filter" ] || [[ "${loc%%:*}" == */"$filter" ]] || continue ;;
            *[\*\?\[]*) [[ "$name" == $filter ]] || continue ;;
            *) [[ "$name" == *"$filter"* ]] || continue ;;
        esac
    fi
    sel+=("$num")
    IFS= read -r -d '' q <"$T/c/$num.q"
    q="${q%"${q##*[![:space:];]}"}" # no trailing ; or blanks
    Q[$num]="$q"
    printf '%s\n' "$num" >>"$T/sel"
done < "$T/index"
if [ ${#sel[@]} -eq 0 ]; then echo "run.sh: no case matches $filter" >&2; exit 2; fi

# ---- run them in batches: case, marker, case, marker, ...
# A marker's output ("lh_sep" header, then "lh-sep-N") closes case N.  The
# case after the last closed one, if any, is the one that ended the process.
mkdir -p "$T/r"
: >"$T/ended"
run=0
run_batch() { # run sel[$1 .. $2-1]; sets rc and err (its stderr file)
    local k n args=()
    for ((k = $1; k < $2; k++)); do
        n=${sel[$k]}
        args+=(-e "${Q[$n]}" -e "SELECT 'lh-sep-$n' AS lh_sep")
    done
    run=$((run + 1)); err="$T/r/$run.err"
    { timeout "$TIMEOUT" "$BIN" --lake "$T/lake" sql --format csv -q "${args[@]}" >"$T/r/$run.out" 2>"$err" </dev/null; } 2>/dev/null
    rc=$?
    awk -v dir="$T/c" '
    { sub(/\r$/, "") }
    prev == "lh_sep" && /^lh-sep-[0-9]+$/ {
        f = dir "/" substr($0, 8) ".out"
        printf "%s", buf > f; close(f); buf = ""; prev = ""; pend = ""; next
    }
    { buf = buf pend; pend = $0 "\n"; prev = $0 }' "$T/r/$run.out"
}
i=0; total=${#sel[@]}
while [ $i -lt $total ]; do
    j=$((i + BATCH)); [ $j -le $total ] || j=$total
    run_batch $i $j
    while [ $i -lt $j ] && [ -e "$T/c/${sel[$i]}.out" ]; do i=$((i + 1)); done
    [ $i -lt $j ] || continue
    n=${sel[$i]}
    if [ $rc -ne 2 ] && [ $((j - i)) -gt 1 ]; then
        # a crash or a hang: make sure it is this case's, alone
        run_batch $i $((i + 1))
        [ -e "$T/c/$n.out" ] && { i=$((i + 1)); continue; }
    fi
    # N <TAB> status <TAB> stderr file: the case ended its process
    printf '%s\t%s\t%s\n' "$n" "$rc" "$err" >>"$T/ended"
    i=$((i + 1))
done

# ---- compare and report (one awk pass)
awk -F '\t' -v dir="$T/c" -v xfail="$xfail" -v verbose=$verbose -v gen=$gen -v filtered="${filter:+1}" -v timeout="$TIMEOUT" '
function readall(f, arr,    n, l) { n = 0; while ((getline l < f) > 0) { sub(/\r$/, "", l); arr[++n] = l }; close(f); return n }
# CSV as the suite writes it: an empty unquoted field (the CLI NULL) is NULL
function norm(s,    o, field, quoted, inq, k, ch) {
    o = ""; field = ""; quoted = 0; inq = 0
    for (k = 1; k <= length(s); k++) {
        ch = substr(s, k, 1)
        if (inq) { field = field ch; if (ch == "\"") { if (substr(s, k + 1, 1) == "\"") { field = field "\""; k++ } else inq = 0 }; continue }
        if (ch == "\"") { inq = 1; quoted = 1; field = field ch; continue }
        if (ch == ",") { o = o (field == "" && !quoted ? "NULL" : field) ","; field = ""; quoted = 0; continue }
        field = field ch
    }
    return o (field == "" && !quoted ? "NULL" : field)
}
function sortarr(a, lo, hi,    i, j, t) { for (i = lo + 1; i <= hi; i++) { t = a[i]; for (j = i - 1; j >= lo && (a[j] "") > (t ""); j--) a[j + 1] = a[j]; a[j + 1] = t } }
function show(a, lo, hi,    k) { if (hi < lo) print "      (no rows)"; for (k = lo; k <= hi; k++) print "      " a[k] }
BEGIN {
    while ((getline l < xfail) > 0) { sub(/#.*/, "", l); gsub(/[ \t\r]/, "", l); if (l != "") XF[l] = 1 }
    while ((getline l < (dir "/../ended")) > 0) { split(l, f, "\t"); ENDRC[f[1]] = f[2]; ENDERR[f[1]] = f[3] }
    while ((getline l < (dir "/../sel")) > 0) SEL[l] = 1
}
{ ALLN[$2] = 1 }
!($1 in SEL) { next }
{
    n = $1; name = $2; loc = $3; kind = $4; flags = $5
    ne = readall(dir "/" n ".e", E); delete A; na = 0; got = ""; why = ""; ok = 0
    if (n in ENDRC) {
        rc = ENDRC[n]
        if (rc == 2) { nerr = readall(ENDERR[n], ERRL); msg = ""; for (k = 1; k <= nerr; k++) msg = msg (k > 1 ? "\n" : "") ERRL[k] }
        else if (rc == 124) msg = "(timed out after " timeout "s)"
        else if (rc == 0) msg = "(no output: the process ended before the case marker)"
        else msg = "(process exited with status " rc ")"
        if (kind == "error" && rc == 2) { if (index(msg, E[1]) > 0) ok = 1; else why = "error message differs" }
        else { m1 = msg; sub(/\n.*/, "", m1); sub(/^lakehouse: error: /, "", m1); why = "error: " substr(m1, 1, 150) }
        na = split(msg, A, "\n")
    } else {
        nr = readall(dir "/" n ".out", R)
        for (k = 1; k <= nr; k++) A[k] = norm(R[k])
        na = nr
        if (kind == "error") why = "expected an error, got rows"
        else {
            # compare rows 2.. (1 is the header) unless "# header" asks for it too
            eh = (index(flags, "h") ? 1 : 0)
            delete X; delete Y; nx = 0; ny = 0
            for (k = 1 + eh; k <= ne; k++) X[++nx] = E[k]
            for (k = 2; k <= na; k++) Y[++ny] = A[k]
            if (index(flags, "u")) { sortarr(X, 1, nx); sortarr(Y, 1, ny) }
            ok = (nx == ny) && (!eh || E[1] == A[1])
            for (k = 1; ok && k <= nx; k++) if (X[k] != Y[k]) ok = 0
            if (!ok) why = "wrong result"
        }
        if (!index(flags, "h")) { for (k = 2; k <= na; k++) A[k - 1] = A[k]; na-- }
    }
    if (ok) { pass++; if (name in XF) nowpass[++nnow] = name; next }
    fail++
    if (gen) { printf "%s  # %s\n", name, why; next }
    if (name in XF) { listed++; tag = "xfail" } else { unexpected++; tag = "FAIL" }
    if (verbose) {
        printf "%s %s (%s): %s\n    query:\n", tag, name, loc, why
        nq = readall(dir "/" n ".q", QL); show(QL, 1, nq)
        print (kind == "error" ? "    expected error containing:" : "    expected:"); show(E, 1, ne)
        print "    got:"; show(A, 1, na)
    } else if (tag == "FAIL") printf "FAIL %s (%s): %s\n", name, loc, why
}
END {
    if (gen) exit 0
    for (k = 1; k <= nnow; k++) printf "now passing: %s (remove from xfail)\n", nowpass[k]
    if (!filtered) for (x in XF) if (!(x in ALLN)) printf "xfail names no case: %s\n", x
    printf "xfail: %d listed failures, %d unlisted, %d now passing\n", listed, unexpected, nnow
    printf "sql conformance: %d passed, %d failed\n", pass, fail
    exit (unexpected > 0)
}' "$T/index"
