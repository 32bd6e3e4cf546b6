# JSON SerDe semantics as Athena applies them.
mkdir -p src
ddl() { # name location extra-serde-props
    lh sql -e "CREATE DATABASE IF NOT EXISTS s" -e "CREATE EXTERNAL TABLE s.$1 (id bigint, name string, score double,
      ok boolean, born date, seen timestamp, n int)
      ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' ${3:-} LOCATION '$2'" >/dev/null
}
# case-insensitive keys, absent keys, type conversion, key order
printf '%s\n' '{"ID":1,"Name":"x","SCORE":"2.5","ok":true,"born":"2020-02-29","seen":"2022-06-18 15:00:44.103","n":"7"}' \
  '{"n":8,"id":"2"}' \
  '{"name":null,"id":3,"seen":1655564444103,"ok":"FALSE","score":4}' > src/a.json
put src/a.json s3://bkt/a/a.json
ddl a s3://bkt/a/
out=$(lh sql -q -f csv -e "SELECT id,name,score,ok,born,seen,n FROM s.a ORDER BY id")
expect_eq "$(echo "$out" | tr -d '\r')" "id,name,score,ok,born,seen,n
1,x,2.5,true,2020-02-29,2022-06-18 15:00:44.103,7
2,,,,,,8
3,,4.0,false,,2022-06-18 15:00:44.103," "conversions"
expect_eq "$(q 'SELECT typeof(id), typeof(score), typeof(n) FROM s.a WHERE id = 1')" "bigint,double,integer" "SQL types"
# malformed lines: strict fails naming file:line; ignore.malformed.json skips and counts
printf '{"id":1}\n{"id":2,\n[1,2]\n{"id":4}\n' > src/m.json
put src/m.json s3://bkt/m/m.json
ddl m s3://bkt/m/
must_fail lh sql -e "SELECT COUNT(*) FROM s.m"
expect_contains "$OUT" "s3://bkt/m/m.json:2" "strict error names file:line"
put src/m.json s3://bkt/m2/m.json   # locations never overlap: the lenient table reads its own copy
ddl m2 s3://bkt/m2/ "WITH SERDEPROPERTIES ('ignore.malformed.json'='true')"
set +e; out=$(lh sql -f csv -e "SELECT COUNT(*) AS c FROM s.m2" 2>&1); rc=$?; set -e
expect_eq "$rc" "0" "ignore.malformed.json query succeeds"
expect_contains "$out" "2" "two good rows"
expect_contains "$out" "skipped 2 malformed" "skipped lines are reported"
expect_contains "$out" "m.json:2" "first skipped line named"
# a value that cannot convert: error with file:line and column, or NULL with use.null.for.invalid.data
printf '{"id":1,"n":"seven"}\n' > src/v.json
put src/v.json s3://bkt/v/v.json
ddl v s3://bkt/v/
must_fail lh sql -e "SELECT n FROM s.v"
expect_contains "$OUT" "v.json:1" "conversion error names file:line"
expect_contains "$OUT" "'n'" "conversion error names the column"
# projection: a query that does not use the bad column never builds it
expect_eq "$(q 'SELECT id FROM s.v')" "1" "projection skips unused columns"
put src/v.json s3://bkt/v2/v.json
ddl v2 s3://bkt/v2/ "WITH SERDEPROPERTIES ('use.null.for.invalid.data'='true')"
expect_eq "$(q 'SELECT coalesce(n, -1) FROM s.v2')" "-1" "use.null.for.invalid.data"
# empty file, last line without newline, CRLF, BOM
: > src/empty.json
printf '{"id":1}\r\n{"id":2}\r\n{"id":3}' > src/crlf.json
printf '\xef\xbb\xbf{"id":10}\n' > src/bom.json
put src/empty.json s3://bkt/e/empty.json
put src/crlf.json s3://bkt/e/crlf.json
put src/bom.json s3://bkt/e/bom.json
ddl e s3://bkt/e/
expect_eq "$(qlist 'SELECT id FROM s.e ORDER BY id')" "1,2,3,10" "empty/CRLF/no-newline/BOM"
# UTF-8 and \u escapes, including a surrogate pair
printf '%s\n' '{"id":1,"name":"Zoë \u00e9 \ud83d\ude00 \"q\" \\ \/"}' > src/u.json
put src/u.json s3://bkt/u/u.json
ddl u s3://bkt/u/
expect_eq "$(q 'SELECT name FROM s.u')" 'Zoë é 😀 "q" \ /' "unicode escapes"
expect_eq "$(q 'SELECT length(name) FROM s.u')" "15" "characters, not bytes"
# mapping.<col> renames a key
printf '{"user_id":5}\n' > src/r.json
put src/r.json s3://bkt/r/r.json
ddl r s3://bkt/r/ "WITH SERDEPROPERTIES ('mapping.id'='user_id')"
expect_eq "$(q 'SELECT id FROM s.r')" "5" "mapping property"
# a file that is not JSON at all (binary garbage)
head -c 300 /dev/urandom > src/g.json
put src/g.json s3://bkt/g/g.json
ddl g s3://bkt/g/
must_fail lh sql -e "SELECT COUNT(*) FROM s.g"
expect_contains "$OUT" "g.json:" "garbage names the file"
