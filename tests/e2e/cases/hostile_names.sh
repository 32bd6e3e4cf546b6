# Issue 11, points 1, 2 and 7: a catalog entry can never run SQL, lock the
# lake, or answer for data that is gone.  The lake holds the STEDI pipeline
# (generated data, scale 1); the work folder is the parent the injection
# payloads aim at.
lh gen stedi --scale 1 --seed 3 data >/dev/null
lh ingest data s3://stedi-lakehouse/ >/dev/null
lh run "$PIPE" >/dev/null
BASE="956 81273 28680 482 40981 482 14460 43681"
expect_eq "$(stedi_counts)" "$BASE" "pipeline ran"
cat_db="$PWD/lake/.lakehouse/catalog.db"
# raw catalog edits, as a catalog written before the name rules could hold
catsql() { python3 - "$cat_db" "$@" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA foreign_keys=ON")
db.execute(sys.argv[2], sys.argv[3:])
db.commit()
EOF
}
no_outside() { # nothing may appear beside the lake, nor an attached file anywhere
    local extra
    extra=$(ls -A | grep -v -x -e lake -e data -e log -e sub || true)
    expect_eq "$extra" "" "no file created outside the lake ($1)"
    [ ! -e ../outside.db ] || die "../outside.db created ($1)"
    [ ! -e /tmp/lh-hostile-outside.db ] || die "/tmp/lh-hostile-outside.db created ($1)"
}

# ---- 1. injection names are refused at DDL ----
PAYLOAD='x" USING fts4(a); ATTACH DATABASE '"'"'../outside.db'"'"' AS p; CREATE TABLE p.t AS SELECT '"'"'outside'"'"' AS m; --'
must_fail lh sql -e "CREATE EXTERNAL TABLE default.\`$PAYLOAD\` (a string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://stedi-lakehouse/customer/landing/'"
expect_contains "$OUT" "<-e>:1:31: CREATE EXTERNAL TABLE: table name" "injection table name refused at its position"
expect_contains "$OUT" "only lower-case letters, digits and underscore" "the rule is named"
must_fail lh sql -e "CREATE DATABASE \`$PAYLOAD\`"
expect_contains "$OUT" "database name" "injection database name refused"
must_fail lh sql -e "CREATE EXTERNAL TABLE default.t1 (\`co\"l\` string) STORED AS JSON LOCATION 's3://bkt-x/t1/'"
expect_contains "$OUT" "column name \"co\\x22l\" is not allowed" "quote in a column name refused"
# a CTAS output column that is not a plain name is stored as _colN, as Athena names it
lh sql -q -e "CREATE TABLE default.c1 WITH (format='JSON', external_location='s3://bkt-x/c1/') AS SELECT 1 AS \"a\"\"b\""
expect_eq "$(lh sql -q --format csv -e 'SHOW COLUMNS IN default.c1' | tail -n +2 | tr -d '\r')" "_col0" "quoted CTAS column stored as _col0"
expect_eq "$(count stedi.customer_trusted)" "482" "lake still answers"
no_outside "after refused DDL"
# user SQL cannot attach, pragma, load extensions or reach the FTS3 tokenizer
must_fail lh sql -e "ATTACH DATABASE '/tmp/lh-hostile-outside.db' AS p"
must_fail lh sql -e "SELECT fts3_tokenizer('simple', x'4141414141414141')"
must_fail lh sql -e "SELECT load_extension('/tmp/x.so')"
# on the default engine a pragma_* name is only an unknown table: it fails
# and discloses nothing (pragma_database_list would name the catalog file)
must_fail lh sql -e "SELECT * FROM pragma_database_list"
expect_contains "$OUT" "Table 'default.pragma_database_list' does not exist" "pragma table functions are unknown tables"
expect_not_contains "$OUT" "catalog.db" "pragma functions disclose nothing"
# SQLite's functions are not Athena's: unknown functions, named
must_fail lh sql -e "SELECT fts3_tokenizer('simple', x'4141414141414141')"
expect_contains "$OUT" "Function 'fts3_tokenizer' not registered" "fts3_tokenizer is no function here"
must_fail lh sql -e "SELECT load_extension('/tmp/x.so')"
expect_contains "$OUT" "Function 'load_extension' not registered" "load_extension is no function here"
must_fail lh sql -e "WITH x AS (SELECT 1) SELECT * FROM x; ATTACH '/tmp/lh-hostile-outside.db' AS p"
no_outside "after hostile SQL"

# ---- 1b. a catalog written before the rules, holding the payloads, still opens ----
lh sql -q -e "CREATE EXTERNAL TABLE default.evil (a string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://stedi-evil/evil/'"
# the parser always folded names to lower case, so that is how old catalogs hold them
LPAYLOAD=$(echo "$PAYLOAD" | tr A-Z a-z)
catsql "UPDATE tables SET name=? WHERE db='default' AND name='evil'" "$LPAYLOAD"
catsql "INSERT INTO databases(name, comment, created_at) VALUES(?, NULL, '2026-01-01T00:00:00Z')" "$LPAYLOAD"
FTS='y" USING fts3(a, tokenize=x); SELECT fts3_tokenizer('"'"'simple'"'"', x'"'"'4141414141414141'"'"'); --'
FTS=$(echo "$FTS" | tr A-Z a-z)
catsql "INSERT INTO databases(name, comment, created_at) VALUES(?, NULL, '2026-01-01T00:00:00Z')" "$FTS"
expect_eq "$(count stedi.customer_trusted)" "482" "COUNT with hostile names in the catalog"
expect_eq "$(q 'SELECT COUNT(*) FROM stedi.accelerometer_trusted a JOIN stedi.customer_trusted c ON a."user" = c.email')" "40981" "a join with hostile names in the catalog"
lh verify "$PIPE" >/dev/null
lh run "$PIPE" >/dev/null
expect_eq "$(stedi_counts)" "$BASE" "run and verify with hostile names in the catalog"
no_outside "after commands on a catalog holding the payloads"
# the hostile table is readable by its name (it is just a name now) and droppable
out=$(lh sql -q --format csv -e "SHOW TABLES IN default")
expect_contains "$out" 'using fts4(a); attach database' "SHOW TABLES lists the stored name"
lh sql -q -e "SELECT COUNT(*) FROM default.\`$PAYLOAD\`" >/dev/null
lh sql -q -e "DROP TABLE default.\`$PAYLOAD\`"
lh sql -q -e "DROP DATABASE \`$PAYLOAD\`"
lh sql -q -e "DROP DATABASE \`$FTS\`"
out=$(lh sql -q --format csv -e "SHOW DATABASES")
expect_not_contains "$out" "using" "hostile databases dropped"
no_outside "after dropping the payloads"

# ---- 2. one bad entry never locks the lake ----
# a column named co"l (written before the rules): the table reads, quoted
lh sql -q -e "CREATE EXTERNAL TABLE default.quoted (col string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://stedi-evil/quoted/'"
echo '{"co\"l":"v"}' > q.json && lh ingest q.json s3://stedi-evil/quoted/q.json >/dev/null && rm q.json
catsql "UPDATE columns SET name='co\"l' WHERE name='col'"
expect_eq "$(q 'SELECT COUNT(*) FROM default.quoted')" "1" "table with co\"l column reads"
expect_eq "$(q 'SELECT 1')" "1" "SELECT 1 beside a co\"l column"
# 10,000 columns: refused at DDL; one written before is readable only as an error naming it
cols=$(seq -f 'c%g string' -s, 1 2000)
must_fail lh sql -e "CREATE EXTERNAL TABLE default.wide ($cols) STORED AS JSON LOCATION 's3://stedi-evil/wide/'"
expect_contains "$OUT" "a table holds at most 1999" "10,000 columns refused at DDL"
lh sql -q -e "CREATE EXTERNAL TABLE default.wide (c0 string) STORED AS JSON LOCATION 's3://stedi-evil/wide/'"
python3 - "$cat_db" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
tid = db.execute("SELECT id FROM tables WHERE name='wide'").fetchone()[0]
db.executemany("INSERT INTO columns(table_id, pos, name, type) VALUES(?,?,?, 'string')",
               [(tid, i, "c%d" % i) for i in range(1, 10000)])
db.commit()
EOF
must_fail lh sql -e "SELECT * FROM default.wide"
expect_contains "$OUT" "cannot read table default.wide" "the unreadable table is named"
expect_contains "$OUT" "DROP TABLE default.wide" "the fix is named"
expect_eq "$(q 'SELECT 1')" "1" "SELECT 1 beside a 10,000-column table"
expect_eq "$(count stedi.machine_learning_curated)" "43681" "other tables beside a 10,000-column table"
lh verify "$PIPE" >/dev/null
lh sql -q -e "DROP TABLE default.wide"
# a symlink under a table's LOCATION fails only that table
mkdir -p sub && echo '{"a":"1"}' > sub/x.json
lh sql -q -e "CREATE EXTERNAL TABLE default.linked (a string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://stedi-evil/linked/'"
mkdir -p lake/stedi-evil/linked && ln -s "$PWD/sub" lake/stedi-evil/linked/dir && ln -s "$PWD/sub/x.json" lake/stedi-evil/linked/f.json
set +e; OUT=$(lh sql -q --format csv -e "SELECT COUNT(*) FROM default.linked" 2>&1); RC=$?; set -e
[ "$RC" -ne 0 ] || expect_eq "$(echo "$OUT" | tail -n 1 | tr -d "\r")" "0" "symlinks under LOCATION are never followed"
expect_eq "$(q 'SELECT 1')" "1" "SELECT 1 beside a symlinked LOCATION"
expect_eq "$(count stedi.customer_curated)" "482" "other tables beside a symlinked LOCATION"
lh sql -q -e "DROP TABLE default.linked"
# many databases (the old SQLite path attached at most 10 at once)
for i in $(seq 1 12); do
    lh sql -q -e "CREATE DATABASE d$i" -e "CREATE TABLE d$i.t WITH (format='JSON', external_location='s3://stedi-evil/d$i/') AS SELECT $i AS a"
done
expect_eq "$(q 'SELECT a FROM d12.t')" "12" "the twelfth database is readable"
expect_eq "$(q 'SELECT SUM(a) FROM (SELECT a FROM d1.t UNION ALL SELECT a FROM d2.t UNION ALL SELECT a FROM d3.t UNION ALL SELECT a FROM d4.t UNION ALL SELECT a FROM d5.t UNION ALL SELECT a FROM d6.t UNION ALL SELECT a FROM d7.t UNION ALL SELECT a FROM d8.t)')" "36" "one query over eight databases"
out=$(printf 'SELECT a FROM d1.t;\nSELECT a FROM d2.t;\nSELECT a FROM d3.t;\nSELECT a FROM d4.t;\nSELECT a FROM d5.t;\nSELECT a FROM d6.t;\nSELECT a FROM d7.t;\nSELECT a FROM d8.t;\nSELECT a FROM d9.t;\nSELECT a FROM d10.t;\nSELECT a FROM d11.t;\nSELECT a FROM d12.t;\nSELECT COUNT(*) FROM stedi.customer_trusted;\n' > many.sql && lh sql -q --format csv many.sql | tr -d '\r' | grep -v -x -e a -e _col0 | paste -sd' ')
rm -f many.sql
expect_eq "$out" "1 2 3 4 5 6 7 8 9 10 11 12 482" "one session reading twelve databases in turn"
union=""; for i in $(seq 1 11); do union="$union${union:+ UNION ALL }SELECT a FROM d$i.t"; done
# no attach limit: eleven databases in one query answer
expect_eq "$(q "SELECT SUM(a) FROM ($union)")" "66" "one query over eleven databases"
lh sql -q -e "DROP DATABASE d12 CASCADE" 2>/dev/null || lh sql -q -e "DROP TABLE d12.t" -e "DROP DATABASE d12"
expect_eq "$(q "SHOW DATABASES LIKE 'd12'")" "" "the twelfth database can be dropped"

# ---- 7. smaller lies: default.t, COUNT(*) of a lost file, did-you-mean ----
lh sql -q -e "CREATE TABLE t AS SELECT 1 AS a"
expect_eq "$(q 'SELECT a FROM default.t')" "1" "default.t is readable"
expect_eq "$(q 'SELECT default.t.a FROM default.t')" "1" "default.t.a is readable"
must_fail lh sql -e "SELECT * FROM stedi.customer_trustd"
expect_contains "$OUT" "<-e>:1:15: Table 'stedi.customer_trustd' does not exist (did you mean 'stedi.customer_trusted'?)" "did you mean"
obj=$(q 'SELECT "$path" FROM stedi.customer_curated LIMIT 1')
mv "lake/${obj#s3://}" lost.parquet
must_fail lh sql -e "SELECT COUNT(*) FROM stedi.customer_curated"
expect_contains "$OUT" "no such object" "COUNT(*) of a table whose object is gone fails"
expect_contains "$OUT" "${obj}" "and names the object"
mv lost.parquet "lake/${obj#s3://}"
expect_eq "$(count stedi.customer_curated)" "482" "object back, count back"
no_outside "at the end"

# ---- a catalog file planted with a trigger that loads code ----
python3 - "$cat_db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TRIGGER evil AFTER INSERT ON job_runs BEGIN SELECT load_extension('/tmp/lh-hostile-x.so'); END")
db.commit()
PY
must_fail lh sql -e "CREATE TABLE default.t3 AS SELECT 1 AS a"
expect_contains "$OUT" "unsafe use of load_extension()" "the catalog connection never runs what its schema calls"
expect_eq "$(count stedi.customer_trusted)" "482" "reads still work"
no_outside "after the planted trigger"
