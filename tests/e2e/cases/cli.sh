# The CLI contract: --help everywhere, errors on stderr with a non-zero exit.
echo '{"a":1}' > x.json
for c in ingest sql run verify runs vacuum demo gen; do
    out=$("$LH" $c --help)
    expect_contains "$out" "usage: lakehouse" "$c --help"
done
"$LH" --help | grep -q "commands:" || die "--help"
must_fail "$LH" frobnicate
expect_eq "$RC" "2" "unknown command exit code"
expect_contains "$OUT" "unknown command" "unknown command message"
must_fail lh run /nonexistent/pipeline
expect_contains "$OUT" "/nonexistent/pipeline" "missing pipeline folder named"
must_fail lh ingest /nonexistent/file s3://bkt/x
expect_contains "$OUT" "/nonexistent/file" "missing source named"
must_fail lh ingest x.json "s3://bkt/../escape"
expect_contains "$OUT" "s3://bkt/../escape" "escaping URI refused"
must_fail lh sql -e "SELECT * FROM nodb.notable"
expect_contains "$OUT" "nodb.notable" "missing table named"
must_fail lh sql nofile.sql
expect_contains "$OUT" "nofile.sql" "missing SQL file named"

must_fail "$LH" --lake /proc/lake sql -e "SELECT 1"
expect_contains "$OUT" "/proc/lake" "unusable lake named"
# LAKEHOUSE_LAKE is honoured
LAKEHOUSE_LAKE="$PWD/envlake" "$LH" sql -q -e "CREATE DATABASE viaenv"
[ -f envlake/.lakehouse/catalog.db ] || die "LAKEHOUSE_LAKE not used"
