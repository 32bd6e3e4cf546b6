# Bad records: a strict table's job fails with file:line and the reason; with
# 'ignore.malformed.json' each bad record goes to the job's dead-letter table
# (file, line, reason, raw text) and the run reports read/kept/quarantined.
mkdir -p src pipe/ddl pipe/jobs
{
  printf '\xef\xbb\xbf{"id":1,"name":"bom first line"}\n'
  printf '{"id":2,"name":"ok"}\n'
  printf '{"id":3,"name":"truncated\n'
  printf '\x00\x01\xfe\xff binary garbage\n'
  printf '{"id":4,"name":"dup","name":"last wins"}\n'
  printf '{"id":5,"name":"%s"}\n' "$(head -c 200000 /dev/zero | tr '\0' 'x')"
  printf '%s\n' "$(printf '[%.0s' $(seq 1 600))"
  printf '{"id":"six","name":"wrong type"}\n'
  printf '{"id":7,"name":"no newline at end"}'
} > src/bad.json
put src/bad.json s3://bkt/raw/bad.json
put src/bad.json s3://bkt/raw_strict/bad.json   # locations never overlap: the strict table reads its own copy
cat > pipe/ddl/raw.sql <<'SQL'
CREATE DATABASE IF NOT EXISTS dq;
CREATE EXTERNAL TABLE IF NOT EXISTS dq.raw_strict (id bigint, name string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt/raw_strict/';
CREATE EXTERNAL TABLE IF NOT EXISTS dq.raw (id bigint, name string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('ignore.malformed.json'='true', 'use.null.for.invalid.data'='true')
LOCATION 's3://bkt/raw/';
SQL
cat > pipe/jobs/clean.sql <<'SQL'
CREATE TABLE dq.clean WITH (format='JSON', external_location='s3://bkt/clean/') AS
SELECT id, name FROM dq.raw;
SQL
lh sql pipe/ddl/raw.sql >/dev/null 2>&1
must_fail lh sql -e "SELECT count(*) FROM dq.raw_strict"
expect_contains "$OUT" "s3://bkt/raw_strict/bad.json:3" "strict: truncated line named"
out=$(lh run pipe)
echo "$out"
expect_contains "$out" "3 malformed lines quarantined -> dq.clean_quarantine" "run reports quarantined"
expect_contains "$out" "9 rows in" "rows read"
expect_contains "$out" "6 rows out" "rows kept"
expect_eq "$(count dq.clean)" "6" "kept rows"
expect_eq "$(q "SELECT name FROM dq.clean WHERE id = 4")" "last wins" "duplicate keys: the last wins"
expect_eq "$(q "SELECT count(*) FROM dq.clean WHERE id IS NULL")" "1" "wrong type -> NULL (use.null.for.invalid.data)"
expect_eq "$(qlist "SELECT line FROM dq.clean_quarantine ORDER BY line")" "3,4,7" "quarantined lines"
expect_eq "$(q "SELECT count(*) FROM dq.clean_quarantine WHERE file = 's3://bkt/raw/bad.json' AND source_table = 'dq.raw' AND reason <> '' AND raw <> ''")" "3" "file, reason and raw text kept"
expect_contains "$(q "SELECT raw FROM dq.clean_quarantine WHERE line = 4")" "binary garbage" "raw text of a binary line"
# a clean re-run empties the quarantine
printf '{"id":1,"name":"fine"}\n' > src/bad.json
put src/bad.json s3://bkt/raw/bad.json
lh run pipe >/dev/null
expect_eq "$(count dq.clean_quarantine)" "0" "quarantine reflects the latest run"
