# Keys and locations cannot escape the lake; symlinks inside it are refused;
# lake files follow the user's umask and nothing is world-writable.
echo '{"a":1}' > x.json
for uri in "s3://bkt/../escape/x.json" "s3://bkt//x.json" "s3://bkt/a/./x.json" "s3:///etc/passwd" "file:///etc/passwd" "s3://BKT/x.json"; do
    must_fail lh ingest x.json "$uri"
    expect_contains "$OUT" "$uri" "refused URI named: $uri"
done
lh sql -q -e "CREATE DATABASE sec"
must_fail lh sql -e "CREATE EXTERNAL TABLE sec.t (a int) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt/../../etc/'"
expect_contains "$OUT" "LOCATION" "escaping LOCATION refused"
must_fail lh sql -e "CREATE TABLE sec.c WITH (format='JSON', external_location='s3://bkt/a/../../../tmp/') AS SELECT 1 AS a"
expect_contains "$OUT" "external_location" "escaping external_location refused"
[ ! -e ../tmp ] || true
# a symlink planted inside the lake is never followed
mkdir -p outside && echo '{"a":42}' > outside/secret.json
lh ingest x.json s3://bkt/t/x.json >/dev/null
ln -s "$PWD/outside/secret.json" lake/bkt/t/link.json
ln -s "$PWD/outside" lake/bkt/dirlink
lh sql -q -e "CREATE EXTERNAL TABLE sec.t (a int) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt/t/'"
expect_eq "$(qlist 'SELECT a FROM sec.t ORDER BY a')" "1" "symlinked object not read"
must_fail lh ingest x.json s3://bkt/dirlink/y.json
[ ! -e outside/y.json ] || die "wrote through a symlinked folder"
# umask: files and folders get the user's umask; nothing world-writable
( umask 022; "$LH" --lake "$PWD/lake2" ingest x.json s3://bkt/p/x.json >/dev/null
  "$LH" --lake "$PWD/lake2" sql -q -e "CREATE DATABASE u" -e "CREATE TABLE u.c WITH (format='PARQUET', external_location='s3://bkt/c/') AS SELECT 1 AS a" )
ww=$(find lake2 -perm -o+w | wc -l)
expect_eq "$ww" "0" "nothing world-writable under umask 022"
expect_eq "$(stat -c %a lake2/bkt/p/x.json)" "644" "object mode under umask 022"
( umask 077; "$LH" --lake "$PWD/lake3" ingest x.json s3://bkt/p/x.json >/dev/null )
expect_eq "$(stat -c %a lake3/bkt/p/x.json)" "600" "object mode under umask 077"
expect_eq "$(find lake3 -perm /o+rwx | wc -l)" "0" "umask 077: nothing readable by others"
