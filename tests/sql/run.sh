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
        -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
sel=(); declare -A ALL
while IFS=$'\t' read -r num name loc kind flags; do
    ALL[$name]=1
    if [ -n "$filter" ]; then
        case "$filter" in
            *.test) [ "$(basename "${loc%%:*}")" = "$filter" ] || continue ;;
            *[\*\?\[]*) [[ "$name" == $filter ]] || continue ;;
            *) [[ "$name" == *"$filter"* ]] || continue ;;
        esac
    fi
    sel+=("$num")
    NAME[$num]="$name"; LOC[$num]="$loc"; KIND[$num]="$kind"; FLAGS[$num]="$flags"
done < "$T/index"

# ---- run them in batches: case, marker, case, marker, ...
# A marker's output ("lh_sep" header, then "lh-sep-N") closes case N.
split_out() { # stdout file -> N.out files; prints the last N closed
    awk -v dir="$T/c" '
    { sub(/\r$/, "") }
    prev == "lh_sep" && /^lh-sep-[0-9]+$/ {
        k = substr($0, 8); f = dir "/" k ".out"
        printf "%s", buf > f; close(f); last = k; buf = ""; prev = ""; pend = ""; next
    }
    { buf = buf pend; pend = $0 "\n"; prev = $0 }
    END { print last + 0 }' "$1"
}
run_batch() { # run sel[$1 .. $2-1]; sets rc
    local k n q args=()
    for ((k = $1; k < $2; k++)); do
        n=${sel[$k]}
        q="$(cat "$T/c/$n.q")"
        q="${q%"${q##*[![:space:];]}"}" # no trailing ; or blanks
        args+=(-e "$q" -e "SELECT 'lh-sep-$n' AS lh_sep")
    done
    { timeout "$TIMEOUT" "$BIN" --lake "$T/lake" sql --format csv -q "${args[@]}" >"$T/stdout" 2>"$T/stderr" </dev/null; } 2>/dev/null
    rc=$?
    split_out "$T/stdout" >/dev/null
}
i=0; total=${#sel[@]}
while [ $i -lt $total ]; do
    j=$((i + BATCH)); [ $j -le $total ] || j=$total
    run_batch $i $j
    # cases closed by a marker ran to completion
    while [ $i -lt $j ] && [ -e "$T/c/${sel[$i]}.out" ]; do i=$((i + 1)); done
    [ $i -lt $j ] || continue
    n=${sel[$i]}
    if [ $rc -ne 2 ] && [ $((j - i)) -gt 1 ]; then
        # a crash or a hang: make sure it is this case's, alone
        run_batch $i $((i + 1))
        [ -e "$T/c/$n.out" ] && { i=$((i + 1)); continue; }
    fi
    if [ $rc -eq 2 ]; then
        tr -d '\r' <"$T/stderr" >"$T/c/$n.err"
        [ -s "$T/c/$n.err" ] || echo "(exit 2, no message)" >"$T/c/$n.err"
    elif [ $rc -eq 124 ]; then
        echo "(timed out after ${TIMEOUT}s)" >"$T/c/$n.err"; echo crash >"$T/c/$n.crash"
    elif [ $rc -eq 0 ]; then
        echo "(no output: the process ended before the case's marker)" >"$T/c/$n.err"; echo crash >"$T/c/$n.crash"
    else
        { echo "(process exited with status $rc)"; tail -n 5 "$T/stderr"; } >"$T/c/$n.err"; echo crash >"$T/c/$n.crash"
    fi
    i=$((i + 1))
done

# ---- compare
# CSV rows as the suite writes them: CR dropped, an empty unquoted field
# (the CLI's NULL) shown as NULL.  Quoted fields are kept as printed.
normalize() {
    awk '
    { sub(/\r$/, ""); s = $0; o = ""; field = ""; quoted = 0; inq = 0
      for (k = 1; k <= length(s); k++) {
          ch = substr(s, k, 1)
          if (inq) { field = field ch; if (ch == "\"") { if (substr(s, k + 1, 1) == "\"") { field = field "\""; k++ } else inq = 0 } ; continue }
          if (ch == "\"") { inq = 1; quoted = 1; field = field ch; continue }
          if (ch == ",") { o = o (field == "" && !quoted ? "NULL" : field) ","; field = ""; quoted = 0; continue }
          field = field ch
      }
      print o (field == "" && !quoted ? "NULL" : field) }' "$@"
}
declare -A XF
if [ -f "$xfail" ]; then
    while IFS= read -r l; do
        l="${l%%#*}"; l="${l//[[:space:]]/}"
        [ -n "$l" ] && XF[$l]=1
    done < "$xfail"
fi
pass=0; failn=0; unexpected=0; listed=0; nowpass=(); unexp=()
show() { sed 's/^/      /' "$1"; [ -s "$1" ] || echo "      (no rows)"; }
for n in "${sel[@]}"; do
    name="${NAME[$n]}"; kind="${KIND[$n]}"; flags="${FLAGS[$n]}"
    ok=0; why=""
    if [ -e "$T/c/$n.err" ]; then
        if [ "$kind" = error ] && [ ! -e "$T/c/$n.crash" ]; then
            sub="$(head -n 1 "$T/c/$n.e")"
            if grep -qF -- "$sub" "$T/c/$n.err"; then ok=1; else why="error message differs"; fi
        else
            why="error: $(head -c 150 "$T/c/$n.err" | head -n 1 | sed 's/^lakehouse: error: //')"
        fi
        cp "$T/c/$n.err" "$T/c/$n.got"
    else
        if [[ "$flags" == *h* ]]; then
            normalize "$T/c/$n.out" >"$T/c/$n.norm"
            head -n 1 "$T/c/$n.e" >"$T/c/$n.eh"; tail -n +2 "$T/c/$n.e" >"$T/c/$n.eb"
        else
            tail -n +2 "$T/c/$n.out" | normalize >"$T/c/$n.norm"
            : >"$T/c/$n.eh"; cp "$T/c/$n.e" "$T/c/$n.eb"
        fi
        cp "$T/c/$n.norm" "$T/c/$n.got"
        if [[ "$flags" == *h* ]]; then head -n 1 "$T/c/$n.norm" >"$T/c/$n.ah"; tail -n +2 "$T/c/$n.norm" >"$T/c/$n.ab"
        else : >"$T/c/$n.ah"; cp "$T/c/$n.norm" "$T/c/$n.ab"; fi
        if [[ "$flags" == *u* ]]; then
            sort "$T/c/$n.eb" -o "$T/c/$n.eb"; sort "$T/c/$n.ab" -o "$T/c/$n.ab"
        fi
        if [ "$kind" = error ]; then why="expected an error, got rows"
        elif cmp -s "$T/c/$n.eh" "$T/c/$n.ah" && cmp -s "$T/c/$n.eb" "$T/c/$n.ab"; then ok=1
        else why="wrong result"; fi
    fi
    if [ $ok -eq 1 ]; then
        pass=$((pass + 1))
        [ -n "${XF[$name]:-}" ] && nowpass+=("$name")
        continue
    fi
    failn=$((failn + 1))
    if [ $gen -eq 1 ]; then printf '%s  # %s\n' "$name" "$why"; continue; fi
    if [ -n "${XF[$name]:-}" ]; then listed=$((listed + 1)); tag="xfail"
    else unexpected=$((unexpected + 1)); unexp+=("$name"); tag="FAIL"; fi
    if [ $verbose -eq 1 ]; then
        echo "$tag $name (${LOC[$n]}): $why"
        echo "    query:"; sed 's/^/      /' "$T/c/$n.q"
        if [ "$kind" = error ]; then echo "    expected error containing:"; else echo "    expected:"; fi
        show "$T/c/$n.e"
        echo "    got:"; show "$T/c/$n.got"
    elif [ "$tag" = FAIL ]; then
        echo "FAIL $name (${LOC[$n]}): $why"
    fi
done
[ $gen -eq 1 ] && exit 0
for name in "${nowpass[@]}"; do echo "now passing: $name (remove from xfail)"; done
if [ -z "$filter" ]; then
    for name in "${!XF[@]}"; do
        [ -n "${ALL[$name]:-}" ] || echo "xfail names no case: $name"
    done
fi
echo "xfail: $listed listed failures, $unexpected unlisted, ${#nowpass[@]} now passing"
echo "sql conformance: $pass passed, $failn failed"
[ $unexpected -eq 0 ]
