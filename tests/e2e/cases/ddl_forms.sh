# Every DDL form, including the script the Athena console prints.
mkdir -p src && printf '{"Id":1,"Name":"a"}\n{"id":2,"name":"b"}\n' > src/t.json
put src/t.json s3://bkt1/t/part.json
lh sql -e "CREATE DATABASE IF NOT EXISTS db1" -e "CREATE SCHEMA IF NOT EXISTS db1"
must_fail lh sql -e "CREATE DATABASE db1"
expect_contains "$OUT" "already exists" "duplicate database"
lh sql -f csv -e 'CREATE EXTERNAL TABLE `db1`.`t` (`id` int COMMENT '"'"'the id'"'"', "name" varchar(10))
  ROW FORMAT SERDE '"'"'org.openx.data.jsonserde.JsonSerDe'"'"'
  LOCATION '"'"'s3://bkt1/t/'"'"''
lh sql -e "CREATE EXTERNAL TABLE IF NOT EXISTS db1.t (x int) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt1/t/'"
expect_eq "$(qlist "SELECT id FROM db1.t ORDER BY id" -)" "1-2" "IF NOT EXISTS keeps the first definition"
out=$(lh sql -f csv -e "SHOW DATABASES")
expect_contains "$out" "db1" "SHOW DATABASES"
out=$(lh sql -f csv -e "SHOW TABLES IN db1")
expect_contains "$out" "t" "SHOW TABLES IN"
out=$(lh sql -f csv -e "DESCRIBE db1.t")
expect_contains "$out" "id,int,the id" "DESCRIBE shows type and comment"
expect_contains "$out" "name,varchar(10)," "DESCRIBE varchar"
# SHOW CREATE TABLE prints DDL that runs verbatim and recreates the table
lh sql -q -f csv -e "SHOW CREATE TABLE db1.t" | tail -n +2 | tr -d '\r' | sed 's/^"//; s/"$//; s/""/"/g' > recreate.sql
cat recreate.sql
lh sql -e "DROP TABLE db1.t"
must_fail lh sql -e "SELECT * FROM db1.t"
lh sql -e "DROP TABLE IF EXISTS db1.t"
lh sql recreate.sql
expect_eq "$(qlist 'SELECT name FROM db1.t ORDER BY name')" "a,b" "recreated from SHOW CREATE TABLE"
# the console-printed landing DDL of the STEDI pipeline, verbatim
lh sql "$PIPE/ddl/customer_landing.sql"
out=$(lh sql -f csv -e "DESCRIBE stedi.customer_landing")
expect_contains "$out" "sharewithresearchasofdate,bigint,from deserializer" "console DDL columns"
out=$(lh sql -f csv -e "SHOW CREATE TABLE stedi.customer_landing")
expect_contains "$out" "'paths'=" "serde properties kept"
expect_contains "$out" "HiveIgnoreKeyTextOutputFormat" "output format kept"
expect_contains "$out" "'has_encrypted_data'='false'" "table properties kept"
# DROP DATABASE refuses a non-empty database
must_fail lh sql -e "DROP DATABASE db1"
expect_contains "$OUT" "not empty" "drop non-empty database"
lh sql -e "DROP TABLE db1.t" -e "DROP DATABASE db1"
