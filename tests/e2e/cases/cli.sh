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

# global options anywhere on the line, as the aws-cli takes them
out=$("$LH" sql -q --format csv --lake "$PWD/anywhere" -e "SELECT 41 + 1 AS a")
expect_contains "$out" "42" "--lake after the command"
[ -f anywhere/.lakehouse/catalog.db ] || die "--lake after the command not used"
out=$("$LH" sql -q --format csv -e "SELECT '--lake' AS a" --lake="$PWD/anywhere")
expect_contains "$out" "--lake" "an -e value that looks like an option stays SQL"
must_fail "$LH" sql -e "SELECT 1" --lake
expect_contains "$OUT" "--lake needs a value" "global option without its value"
# a misspelt command gets the near one
must_fail "$LH" verfy
expect_eq "$RC" "2" "misspelt command exit code"
expect_contains "$OUT" "did you mean 'verify'?" "misspelt command suggestion"
# runs JOB with no such job is an error naming the near one
lh sql -q -e "CREATE DATABASE rj" -e "CREATE TABLE rj.t AS SELECT 1 AS x"
lh runs "ctas rj.t" >/dev/null
must_fail lh runs "ctas rj.tt"
expect_eq "$RC" "2" "runs of an unknown job exit code"
expect_contains "$OUT" "no runs of job 'ctas rj.tt'" "runs of an unknown job named"
expect_contains "$OUT" "did you mean 'ctas rj.t'?" "runs of an unknown job: suggestion"
# --memory-limit takes sizes users write, and refuses others by name
out=$(lh --memory-limit 64MB sql -q --format csv -e "SELECT count(*) FROM rj.t")
expect_contains "$out" "1" "--memory-limit 64MB"
must_fail lh --memory-limit 12parsecs sql -e "SELECT 1"
expect_contains "$OUT" "--memory-limit: bad memory size '12parsecs'" "bad --memory-limit named"
# USE db: unqualified names resolve there (tables, CTAS targets, SHOW TABLES)
out=$(lh sql -q --format csv -e "USE rj" -e "CREATE TABLE u AS SELECT x + 1 AS y FROM t" -e "SELECT y FROM u" -e "SHOW TABLES")
expect_eq "$(echo "$out" | tr -d '\r' | paste -sd' ' -)" "y 2 tab_name t u" "USE db"
expect_eq "$(q "SELECT y FROM rj.u")" "2" "CTAS after USE went to that database"
out=$(lh sql -q --format csv -e "USE AwsDataCatalog.rj" -e "SELECT x FROM t")
expect_contains "$out" "1" "USE catalog.db"
must_fail lh sql -e "USE rk"
expect_contains "$OUT" "database 'rk' does not exist (did you mean 'rj'?)" "USE of a misspelt database"
must_fail lh sql -e "USE hive.rj"
expect_contains "$OUT" "catalog 'hive' does not exist" "USE of another catalog"
