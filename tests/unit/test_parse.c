/* Unit tests for sql/parse.c, sql/parse_expr.c and sql/ast.c: the Trino
 * query parser, checked through the canonical dump (lh_ast_dump). */
#include "testutil.h"

#include <dirent.h>

#include "sql/ast.h"
#include "sql/ddl.h"
#include "sql/parse.h"
#include "util/mem.h"

static int g_checked;

/* Parse sql and return its dump (flags: LH_AST_DUMP_POS or 0); caller frees. */
static char *dump_of(const char *sql, unsigned flags, lh_rc *rc_out, lh_err *err)
{
    lh_ast *ast = NULL;
    lh_buf b;
    char *out = NULL;
    lh_rc rc = lh_parse_query(sql, strlen(sql), "t.sql", &ast, err);
    if (rc == LH_OK) {
        lh_buf_init(&b, 0);
        rc = lh_ast_dump(lh_ast_root(ast), flags, &b, err);
        if (rc == LH_OK)
            out = lh_buf_detach(&b);
        lh_buf_free(&b);
    } else {
        assert_null(ast);
    }
    lh_ast_free(ast);
    if (rc_out)
        *rc_out = rc;
    return out;
}

static void check_flags(const char *sql, unsigned flags, const char *want)
{
    lh_err err;
    lh_rc rc;
    char *got, *again;
    lh_err_clear(&err);
    got = dump_of(sql, flags, &rc, &err);
    if (rc != LH_OK)
        fail_msg("parse failed (%d): %s\n--- sql: %s", rc, err.msg, sql);
    if (strcmp(got, want) != 0)
        fail_msg("--- sql:  %s\n--- want: %s\n--- got:  %s", sql, want, got);
    again = dump_of(sql, flags, &rc, &err); /* same input, same dump */
    assert_int_equal(rc, LH_OK);
    assert_string_equal(got, again);
    lh_free(got);
    lh_free(again);
    g_checked++;
}

static void check(const char *sql, const char *want) { check_flags(sql, 0, want); }

/* Expect an error with this code and exactly this message. */
static void check_err(const char *sql, lh_rc code, const char *msg)
{
    lh_err err;
    lh_rc rc;
    char *got;
    lh_err_clear(&err);
    got = dump_of(sql, 0, &rc, &err);
    if (rc != code || strcmp(err.msg, msg) != 0)
        fail_msg("--- sql: %s\n--- want rc %d: %s\n--- got  rc %d: %s%s%s", sql, code, msg, rc, err.msg,
                 got ? "\n--- dump: " : "", got ? got : "");
    lh_free(got);
    g_checked++;
}

static const struct {
    const char *sql, *want;
} CASES[] = {
    {"SELECT 1",
     "(select (items (int 1)))"},
    {"SELECT a FROM t",
     "(select (items (col a)) (from (table t)))"},
    {"SELECT a, b AS x, c y FROM t",
     "(select (items (col a) (as (col b) x) (as (col c) y)) (from (table t)))"},
    {"SELECT * FROM t",
     "(select (items (star)) (from (table t)))"},
    {"SELECT t.*, s.a.* FROM t, s",
     "(select (items (star t) (star s.a)) (from (table t) (table s)))"},
    {"SELECT DISTINCT a FROM t",
     "(select distinct (items (col a)) (from (table t)))"},
    {"SELECT ALL a FROM t",
     "(select all (items (col a)) (from (table t)))"},
    {"SELECT all FROM t",
     "(select (items (col all)) (from (table t)))"},
    {"SELECT a FROM t;",
     "(select (items (col a)) (from (table t)))"},
    {"select A, \"A\", `B`, \"a\"\"b\" from T",
     "(select (items (col a) (col \"A\") (col \"B\") (col \"a\"\"b\")) (from (table t)))"},
    {"SELECT count(*) FROM stedi.t",
     "(select (items (call count (star))) (from (table stedi.t)))"},
    {"SELECT * FROM awsdatacatalog.stedi.customer_trusted",
     "(select (items (star)) (from (table awsdatacatalog.stedi.customer_trusted)))"},
    {"SELECT a.b.c.d FROM t",
     "(select (items (col a.b.c.d)) (from (table t)))"},
    {"SELECT a OR b AND c",
     "(select (items (or (col a) (and (col b) (col c)))))"},
    {"SELECT (a OR b) AND c",
     "(select (items (and (or (col a) (col b)) (col c))))"},
    {"SELECT a AND b OR c AND d",
     "(select (items (or (and (col a) (col b)) (and (col c) (col d)))))"},
    {"SELECT NOT a = b",
     "(select (items (not (= (col a) (col b)))))"},
    {"SELECT NOT NOT a",
     "(select (items (not (not (col a)))))"},
    {"SELECT NOT a AND b",
     "(select (items (and (not (col a)) (col b))))"},
    {"SELECT a = b AND c <> d OR e != f",
     "(select (items (or (and (= (col a) (col b)) (<> (col c) (col d))) (<> (col e) (col f)))))"},
    {"SELECT a < b, a <= b, a > b, a >= b",
     "(select (items (< (col a) (col b)) (<= (col a) (col b)) (> (col a) (col b)) (>= (col a) (col b))))"},
    {"SELECT 1 + 2 * 3",
     "(select (items (+ (int 1) (* (int 2) (int 3)))))"},
    {"SELECT (1 + 2) * 3",
     "(select (items (* (+ (int 1) (int 2)) (int 3))))"},
    {"SELECT 1 - 2 - 3",
     "(select (items (- (- (int 1) (int 2)) (int 3))))"},
    {"SELECT 8 / 4 / 2",
     "(select (items (/ (/ (int 8) (int 4)) (int 2))))"},
    {"SELECT 7 % 3 * 2",
     "(select (items (* (% (int 7) (int 3)) (int 2))))"},
    {"SELECT -x * y",
     "(select (items (* (neg (col x)) (col y))))"},
    {"SELECT - - x",
     "(select (items (neg (neg (col x)))))"},
    {"SELECT -x + -y",
     "(select (items (+ (neg (col x)) (neg (col y)))))"},
    {"SELECT +x",
     "(select (items (pos (col x))))"},
    {"SELECT a || b || c",
     "(select (items (|| (|| (col a) (col b)) (col c))))"},
    {"SELECT a || b + c",
     "(select (items (|| (col a) (+ (col b) (col c)))))"},
    {"SELECT a + b || c",
     "(select (items (|| (+ (col a) (col b)) (col c))))"},
    {"SELECT x BETWEEN 1 AND 2 AND y",
     "(select (items (and (between (col x) (int 1) (int 2)) (col y))))"},
    {"SELECT x NOT BETWEEN a + 1 AND b * 2",
     "(select (items (not-between (col x) (+ (col a) (int 1)) (* (col b) (int 2)))))"},
    {"SELECT x BETWEEN 1 AND 2 OR x BETWEEN 5 AND 6",
     "(select (items (or (between (col x) (int 1) (int 2)) (between (col x) (int 5) (int 6)))))"},
    {"SELECT a IS NULL, b IS NOT NULL",
     "(select (items (is-null (col a)) (is-not-null (col b))))"},
    {"SELECT a IS NULL AND b IS NOT NULL",
     "(select (items (and (is-null (col a)) (is-not-null (col b)))))"},
    {"SELECT a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b",
     "(select (items (distinct-from (col a) (col b)) (not-distinct-from (col a) (col b))))"},
    {"SELECT s LIKE 'a%', s NOT LIKE '%b' ESCAPE '!'",
     "(select (items (like (col s) (str 'a%')) (not-like (col s) (str '%b') (str '!'))))"},
    {"SELECT s LIKE 'a' || '%'",
     "(select (items (like (col s) (|| (str 'a') (str '%')))))"},
    {"SELECT x IN (1, 2, 3), y NOT IN ('a')",
     "(select (items (in (col x) (list (int 1) (int 2) (int 3))) (not-in (col y) (list (str 'a')))))"},
    {"SELECT x IN (SELECT y FROM u)",
     "(select (items (in (col x) (select (items (col y)) (from (table u))))))"},
    {"SELECT x NOT IN (SELECT y FROM u)",
     "(select (items (not-in (col x) (select (items (col y)) (from (table u))))))"},
    {"SELECT x IN ((SELECT y FROM u))",
     "(select (items (in (col x) (list (subquery (select (items (col y)) (from (table u))))))))"},
    {"SELECT EXISTS (SELECT 1 FROM u WHERE u.k = t.k) FROM t",
     "(select (items (exists (select (items (int 1)) (from (table u)) (where (= (col u.k) (col t.k)))))) (from (table t)))"},
    {"SELECT NOT EXISTS (SELECT 1)",
     "(select (items (not (exists (select (items (int 1)))))))"},
    {"SELECT x = ANY (SELECT y FROM u), x < SOME (SELECT y FROM u), x >= ALL (SELECT y FROM u)",
     "(select (items (quantified = any (col x) (select (items (col y)) (from (table u)))) (quantified < some (col x) (select (items (col y)) (from (table u)))) (quantified >= all (col x) (select (items (col y)) (from (table u))))))"},
    {"SELECT (SELECT max(y) FROM u) + 1",
     "(select (items (+ (subquery (select (items (call max (col y))) (from (table u)))) (int 1))))"},
    {"SELECT ((SELECT 1) UNION (SELECT 2))",
     "(select (items (subquery (union (select (items (int 1))) (select (items (int 2)))))))"},
    {"SELECT 42, 1.5, .5, 1., 1e0, 1.5E-3, 2e+10",
     "(select (items (int 42) (dec 1.5) (dec .5) (dec 1.) (double 1e0) (double 1.5E-3) (double 2e+10)))"},
    {"SELECT 9223372036854775808",
     "(select (items (int 9223372036854775808)))"},
    {"SELECT 'abc', 'it''s', ''",
     "(select (items (str 'abc') (str 'it''s') (str '')))"},
    {"SELECT X'ab01', x'', X'DE AD'",
     "(select (items (bin 'ab01') (bin '') (bin 'dead')))"},
    {"SELECT U&'\\0041\\+01F600', U&'#0041' UESCAPE '#'",
     "(select (items (str 'A😀') (str 'A')))"},
    {"SELECT true, false, null, TRUE AND FALSE",
     "(select (items true false null (and true false)))"},
    {"SELECT DECIMAL '1.2', DATE '2022-06-18', TIMESTAMP '2022-06-18 14:30:00.000', TIME '01:02:03'",
     "(select (items (typed decimal '1.2') (typed date '2022-06-18') (typed timestamp '2022-06-18 14:30:00.000') (typed time '01:02:03')))"},
    {"SELECT REAL '1.5', DOUBLE '2.5', CHAR 'x', VARCHAR 'y', DOUBLE PRECISION '3.5', JSON '{}'",
     "(select (items (typed real '1.5') (typed double '2.5') (typed char 'x') (typed varchar 'y') (typed double '3.5') (typed json '{}')))"},
    {"SELECT TIMESTAMP '2022-06-18 14:30:00 UTC'",
     "(select (items (typed timestamp '2022-06-18 14:30:00 UTC')))"},
    {"SELECT INTERVAL '3' DAY, INTERVAL '1-2' YEAR TO MONTH, INTERVAL -'5' HOUR, INTERVAL +'1 02:03:04' DAY TO SECOND",
     "(select (items (interval '3' day) (interval '1-2' year month) (interval - '5' hour) (interval '1 02:03:04' day second)))"},
    {"SELECT INTERVAL '30' MINUTE + INTERVAL '10' SECOND",
     "(select (items (+ (interval '30' minute) (interval '10' second))))"},
    {"SELECT CASE WHEN a > 1 THEN 'x' WHEN a < 0 THEN 'y' ELSE 'z' END",
     "(select (items (case (when (> (col a) (int 1)) (str 'x')) (when (< (col a) (int 0)) (str 'y')) (else (str 'z')))))"},
    {"SELECT CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' END",
     "(select (items (case (col a) (when (int 1) (str 'one')) (when (int 2) (str 'two')))))"},
    {"SELECT CASE WHEN a IS NULL THEN b END FROM t",
     "(select (items (case (when (is-null (col a)) (col b)))) (from (table t)))"},
    {"SELECT CASE x WHEN 1 THEN CASE WHEN y THEN 1 ELSE 2 END END",
     "(select (items (case (col x) (when (int 1) (case (when (col y) (int 1)) (else (int 2)))))))"},
    {"SELECT CAST(x AS bigint), TRY_CAST(y AS integer)",
     "(select (items (cast (col x) bigint) (try_cast (col y) integer)))"},
    {"SELECT CAST(x AS decimal(10,2)), CAST(x AS DECIMAL(38, 0))",
     "(select (items (cast (col x) (decimal (int 10) (int 2))) (cast (col x) (decimal (int 38) (int 0)))))"},
    {"SELECT CAST(x AS varchar(5)), CAST(x AS varchar), CAST(x AS char(3))",
     "(select (items (cast (col x) (varchar (int 5))) (cast (col x) varchar) (cast (col x) (char (int 3)))))"},
    {"SELECT CAST(x AS timestamp(3)), CAST(x AS timestamp(6) with time zone), CAST(x AS timestamp without time zone)",
     "(select (items (cast (col x) (timestamp (int 3))) (cast (col x) (timestamp (int 6) with-time-zone)) (cast (col x) timestamp)))"},
    {"SELECT CAST(x AS time), CAST(x AS time(3) with time zone), CAST(x AS date)",
     "(select (items (cast (col x) time) (cast (col x) (time (int 3) with-time-zone)) (cast (col x) date)))"},
    {"SELECT CAST(x AS interval day to second), CAST(x AS interval year to month)",
     "(select (items (cast (col x) (interval day second)) (cast (col x) (interval year month))))"},
    {"SELECT CAST(x AS array(varchar)), CAST(x AS map(varchar, bigint)), CAST(x AS row(a bigint, b varchar))",
     "(select (items (cast (col x) (array varchar)) (cast (col x) (map varchar bigint)) (cast (col x) (row (field a bigint) (field b varchar)))))"},
    {"SELECT CAST(x AS row(a bigint array))",
     "(select (items (cast (col x) (row (field a (array bigint))))))"},
    {"SELECT CAST(x AS array(row(k varchar, v array(map(varchar, double)))))",
     "(select (items (cast (col x) (array (row (field k varchar) (field v (array (map varchar double))))))))"},
    {"SELECT CAST(x AS array<int>), CAST(x AS map<varchar, int>), CAST(x AS bigint array)",
     "(select (items (cast (col x) (array int)) (cast (col x) (map varchar int)) (cast (col x) (array bigint))))"},
    {"SELECT CAST(x AS row(bigint, varchar)), CAST(x AS double precision), CAST(x AS real)",
     "(select (items (cast (col x) (row (field bigint) (field varchar))) (cast (col x) double) (cast (col x) real)))"},
    {"SELECT CAST(CAST(x AS varchar) AS bigint)",
     "(select (items (cast (cast (col x) varchar) bigint)))"},
    {"SELECT EXTRACT(hour FROM ts), EXTRACT(YEAR FROM d), EXTRACT(day_of_week FROM d)",
     "(select (items (extract hour (col ts)) (extract year (col d)) (extract day_of_week (col d))))"},
    {"SELECT ts AT TIME ZONE 'America/New_York', ts AT TIME ZONE INTERVAL '-08:00' HOUR TO MINUTE",
     "(select (items (at-time-zone (col ts) (str 'America/New_York')) (at-time-zone (col ts) (interval '-08:00' hour minute))))"},
    {"SELECT -ts AT TIME ZONE 'UTC'",
     "(select (items (neg (at-time-zone (col ts) (str 'UTC')))))"},
    {"SELECT a * ts AT TIME ZONE 'UTC'",
     "(select (items (* (col a) (at-time-zone (col ts) (str 'UTC')))))"},
    {"SELECT CURRENT_DATE, CURRENT_TIMESTAMP, LOCALTIMESTAMP, CURRENT_TIME, LOCALTIME",
     "(select (items (current_date) (current_timestamp) (localtimestamp) (current_time) (localtime)))"},
    {"SELECT CURRENT_TIMESTAMP(3), LOCALTIMESTAMP(6), CURRENT_USER",
     "(select (items (current_timestamp (int 3)) (localtimestamp (int 6)) (current_user)))"},
    {"SELECT try(x / 0), if(a, b, c), if(a, b), coalesce(a, b, c), nullif(a, b)",
     "(select (items (call try (/ (col x) (int 0))) (call if (col a) (col b) (col c)) (call if (col a) (col b)) (call coalesce (col a) (col b) (col c)) (call nullif (col a) (col b))))"},
    {"SELECT count(*), count(x), count(DISTINCT x), count(ALL x)",
     "(select (items (call count (star)) (call count (col x)) (call count distinct (col x)) (call count all (col x))))"},
    {"SELECT count(*) FILTER (WHERE x > 0), sum(x) FILTER (WHERE y)",
     "(select (items (call count (star) (filter (> (col x) (int 0)))) (call sum (col x) (filter (col y)))))"},
    {"SELECT array_agg(x ORDER BY y DESC, z), string_agg(s, ',' ORDER BY s)",
     "(select (items (call array_agg (col x) (order (sort (col y) desc) (sort (col z)))) (call string_agg (col s) (str ',') (order (sort (col s))))))"},
    {"SELECT approx_percentile(x, 0.5), min_by(a, b), max_by(a, b, 3)",
     "(select (items (call approx_percentile (col x) (dec 0.5)) (call min_by (col a) (col b)) (call max_by (col a) (col b) (int 3))))"},
    {"SELECT now(), rand()",
     "(select (items (call now) (call rand)))"},
    {"SELECT f.g(x)",
     "(select (items (call f.g (col x))))"},
    {"SELECT x -> x + 1",
     "(select (items (lambda (x) (+ (col x) (int 1)))))"},
    {"SELECT transform(arr, x -> x * 2), reduce(arr, 0, (s, x) -> s + x, s -> s), filter(arr, () -> true)",
     "(select (items (call transform (col arr) (lambda (x) (* (col x) (int 2)))) (call reduce (col arr) (int 0) (lambda (s x) (+ (col s) (col x))) (lambda (s) (col s))) (call filter (col arr) (lambda () true))))"},
    {"SELECT ARRAY[1, 2, 3], ARRAY[], ARRAY[ARRAY[1], ARRAY[2]]",
     "(select (items (array (int 1) (int 2) (int 3)) (array) (array (array (int 1)) (array (int 2)))))"},
    {"SELECT a[1], a[i + 1][2], m['k']",
     "(select (items (subscript (col a) (int 1)) (subscript (subscript (col a) (+ (col i) (int 1))) (int 2)) (subscript (col m) (str 'k'))))"},
    {"SELECT r.f, (r).f, (r).f.g, f(x).y, a[1].b",
     "(select (items (col r.f) (deref (col r) f) (deref (deref (col r) f) g) (deref (call f (col x)) y) (deref (subscript (col a) (int 1)) b)))"},
    {"SELECT ROW(1, 'a'), (1, 'a'), ROW(1)",
     "(select (items (row (int 1) (str 'a')) (row (int 1) (str 'a')) (row (int 1))))"},
    {"SELECT (1)",
     "(select (items (int 1)))"},
    {"SELECT GROUPING(a, b) FROM t GROUP BY CUBE (a, b)",
     "(select (items (grouping a b)) (from (table t)) (group-by (cube (col a) (col b))))"},
    {"SELECT trim(s), trim(BOTH FROM s), trim(LEADING 'x' FROM s), trim(TRAILING FROM s), trim('x' FROM s), trim(s, 'x')",
     "(select (items (call trim (col s)) (call trim (col s)) (call ltrim (col s) (str 'x')) (call rtrim (col s)) (call trim (col s) (str 'x')) (call trim (col s) (str 'x'))))"},
    {"SELECT substring(s, 1, 2), substring(s FROM 2), substring(s FROM 2 FOR 3)",
     "(select (items (call substring (col s) (int 1) (int 2)) (call substring (col s) (int 2)) (call substring (col s) (int 2) (int 3))))"},
    {"SELECT position('a' IN s), normalize(s), normalize(s, NFKC)",
     "(select (items (call strpos (col s) (str 'a')) (call normalize (col s)) (call normalize (col s) (str 'NFKC'))))"},
    {"SELECT ?",
     "(select (items ?))"},
    {"SELECT a FROM t WHERE x = 1 AND y = 'z'",
     "(select (items (col a)) (from (table t)) (where (and (= (col x) (int 1)) (= (col y) (str 'z')))))"},
    {"SELECT a FROM t WHERE a.\"user\" = 'x'",
     "(select (items (col a)) (from (table t)) (where (= (col a.\"user\") (str 'x'))))"},
    {"SELECT \"user\", \"timestamp\" FROM t",
     "(select (items (col \"user\") (col \"timestamp\")) (from (table t)))"},
    {"SELECT date, timestamp, year, interval, row, array, map, \"select\" FROM t",
     "(select (items (col date) (col timestamp) (col year) (col interval) (col row) (col array) (col map) (col \"select\")) (from (table t)))"},
    {"SELECT a limit FROM t",
     "(select (items (as (col a) limit)) (from (table t)))"},
    {"SELECT a FROM t limit",
     "(select (items (col a)) (from (alias (table t) limit)))"},
    {"SELECT a FROM t LIMIT 10",
     "(query (select (items (col a)) (from (table t))) (limit (int 10)))"},
    {"SELECT a FROM t LIMIT ALL",
     "(query (select (items (col a)) (from (table t))) (limit all))"},
    {"SELECT a FROM t OFFSET 5",
     "(query (select (items (col a)) (from (table t))) (offset (int 5)))"},
    {"SELECT a FROM t OFFSET 5 ROWS LIMIT 10",
     "(query (select (items (col a)) (from (table t))) (offset (int 5)) (limit (int 10)))"},
    {"SELECT a FROM t OFFSET 1 ROW FETCH FIRST 3 ROWS ONLY",
     "(query (select (items (col a)) (from (table t))) (offset (int 1)) (fetch (int 3)))"},
    {"SELECT a FROM t FETCH NEXT ROW ONLY",
     "(query (select (items (col a)) (from (table t))) (fetch))"},
    {"SELECT a FROM t ORDER BY a FETCH FIRST 3 ROWS WITH TIES",
     "(query (select (items (col a)) (from (table t))) (order (sort (col a))) (fetch (int 3) with-ties))"},
    {"SELECT a FROM t ORDER BY 1, a DESC, b ASC NULLS FIRST, c NULLS LAST",
     "(query (select (items (col a)) (from (table t))) (order (sort (int 1)) (sort (col a) desc) (sort (col b) asc nulls-first) (sort (col c) nulls-last)))"},
    {"SELECT a FROM t ORDER BY a + 1 DESC LIMIT ?",
     "(query (select (items (col a)) (from (table t))) (order (sort (+ (col a) (int 1)) desc)) (limit ?))"},
    {"SELECT a, count(*) FROM t GROUP BY a",
     "(select (items (col a) (call count (star))) (from (table t)) (group-by (col a)))"},
    {"SELECT a, count(*) FROM t GROUP BY 1 HAVING count(*) > 1",
     "(select (items (col a) (call count (star))) (from (table t)) (group-by (int 1)) (having (> (call count (star)) (int 1))))"},
    {"SELECT a FROM t GROUP BY a, b + 1, 2",
     "(select (items (col a)) (from (table t)) (group-by (col a) (+ (col b) (int 1)) (int 2)))"},
    {"SELECT a FROM t GROUP BY (a, b), ()",
     "(select (items (col a)) (from (table t)) (group-by ((col a) (col b)) ()))"},
    {"SELECT a FROM t GROUP BY (a + b) * 2",
     "(select (items (col a)) (from (table t)) (group-by (* (+ (col a) (col b)) (int 2))))"},
    {"SELECT a FROM t GROUP BY ROLLUP (a, b)",
     "(select (items (col a)) (from (table t)) (group-by (rollup (col a) (col b))))"},
    {"SELECT a FROM t GROUP BY CUBE (a, b), c",
     "(select (items (col a)) (from (table t)) (group-by (cube (col a) (col b)) (col c)))"},
    {"SELECT a FROM t GROUP BY GROUPING SETS ((a, b), (a), ())",
     "(select (items (col a)) (from (table t)) (group-by (grouping-sets ((col a) (col b)) ((col a)) ())))"},
    {"SELECT a FROM t GROUP BY GROUPING SETS (a, b)",
     "(select (items (col a)) (from (table t)) (group-by (grouping-sets ((col a)) ((col b)))))"},
    {"SELECT a FROM t GROUP BY ROLLUP ((a, b), c), CUBE ()",
     "(select (items (col a)) (from (table t)) (group-by (rollup ((col a) (col b)) (col c)) (cube)))"},
    {"SELECT a FROM t GROUP BY DISTINCT ROLLUP (a, b), CUBE (a)",
     "(select (items (col a)) (from (table t)) (group-by distinct (rollup (col a) (col b)) (cube (col a))))"},
    {"SELECT a FROM t GROUP BY ALL a",
     "(select (items (col a)) (from (table t)) (group-by all (col a)))"},
    {"SELECT a FROM t GROUP BY all",
     "(select (items (col a)) (from (table t)) (group-by (col all)))"},
    {"SELECT row_number() OVER () FROM t",
     "(select (items (call row_number (over (spec)))) (from (table t)))"},
    {"SELECT row_number() OVER (PARTITION BY a ORDER BY b) FROM t",
     "(select (items (call row_number (over (spec (partition (col a)) (order (sort (col b))))))) (from (table t)))"},
    {"SELECT rank() OVER (PARTITION BY a, b ORDER BY c DESC NULLS LAST) FROM t",
     "(select (items (call rank (over (spec (partition (col a) (col b)) (order (sort (col c) desc nulls-last)))))) (from (table t)))"},
    {"SELECT sum(x) OVER (ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM t",
     "(select (items (call sum (col x) (over (spec (order (sort (col ts))) (rows unbounded-preceding current-row))))) (from (table t)))"},
    {"SELECT sum(x) OVER (ORDER BY ts ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) FROM t",
     "(select (items (call sum (col x) (over (spec (order (sort (col ts))) (rows (preceding (int 2)) (following (int 2))))))) (from (table t)))"},
    {"SELECT sum(x) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1' DAY PRECEDING AND CURRENT ROW) FROM t",
     "(select (items (call sum (col x) (over (spec (order (sort (col ts))) (range (preceding (interval '1' day)) current-row))))) (from (table t)))"},
    {"SELECT sum(x) OVER (ORDER BY ts GROUPS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM t",
     "(select (items (call sum (col x) (over (spec (order (sort (col ts))) (groups current-row unbounded-following))))) (from (table t)))"},
    {"SELECT sum(x) OVER (ORDER BY ts ROWS 3 PRECEDING) FROM t",
     "(select (items (call sum (col x) (over (spec (order (sort (col ts))) (rows (preceding (int 3))))))) (from (table t)))"},
    {"SELECT sum(x) OVER w FROM t WINDOW w AS (PARTITION BY k)",
     "(select (items (call sum (col x) (over w))) (from (table t)) (window (def w (spec (partition (col k))))))"},
    {"SELECT sum(x) OVER (w ORDER BY ts) FROM t WINDOW w AS (PARTITION BY k), v AS (w ROWS UNBOUNDED PRECEDING)",
     "(select (items (call sum (col x) (over (spec w (order (sort (col ts))))))) (from (table t)) (window (def w (spec (partition (col k)))) (def v (spec w (rows unbounded-preceding)))))"},
    {"SELECT lag(x, 1) IGNORE NULLS OVER (ORDER BY ts), first_value(x) RESPECT NULLS OVER (ORDER BY ts) FROM t",
     "(select (items (call lag (col x) (int 1) ignore-nulls (over (spec (order (sort (col ts)))))) (call first_value (col x) respect-nulls (over (spec (order (sort (col ts))))))) (from (table t)))"},
    {"SELECT count(*) FILTER (WHERE x) OVER (PARTITION BY k) FROM t",
     "(select (items (call count (star) (filter (col x)) (over (spec (partition (col k)))))) (from (table t)))"},
    {"SELECT a FROM t WINDOW w AS ()",
     "(select (items (col a)) (from (table t)) (window (def w (spec))))"},
    {"SELECT * FROM t a",
     "(select (items (star)) (from (alias (table t) a)))"},
    {"SELECT * FROM t AS a",
     "(select (items (star)) (from (alias (table t) a)))"},
    {"SELECT * FROM t AS a (x, y)",
     "(select (items (star)) (from (alias (table t) a (cols x y))))"},
    {"SELECT * FROM t a(x)",
     "(select (items (star)) (from (alias (table t) a (cols x))))"},
    {"SELECT * FROM a, b, c",
     "(select (items (star)) (from (table a) (table b) (table c)))"},
    {"SELECT * FROM a JOIN b ON a.k = b.k",
     "(select (items (star)) (from (join inner (table a) (table b) (on (= (col a.k) (col b.k))))))"},
    {"SELECT * FROM a INNER JOIN b ON a.k = b.k",
     "(select (items (star)) (from (join inner (table a) (table b) (on (= (col a.k) (col b.k))))))"},
    {"SELECT * FROM a LEFT JOIN b ON a.k = b.k",
     "(select (items (star)) (from (join left (table a) (table b) (on (= (col a.k) (col b.k))))))"},
    {"SELECT * FROM a LEFT OUTER JOIN b USING (k)",
     "(select (items (star)) (from (join left (table a) (table b) (using k))))"},
    {"SELECT * FROM a RIGHT JOIN b USING (k, j)",
     "(select (items (star)) (from (join right (table a) (table b) (using k j))))"},
    {"SELECT * FROM a RIGHT OUTER JOIN b ON true",
     "(select (items (star)) (from (join right (table a) (table b) (on true))))"},
    {"SELECT * FROM a FULL JOIN b ON a.k = b.k",
     "(select (items (star)) (from (join full (table a) (table b) (on (= (col a.k) (col b.k))))))"},
    {"SELECT * FROM a FULL OUTER JOIN b ON a.k = b.k",
     "(select (items (star)) (from (join full (table a) (table b) (on (= (col a.k) (col b.k))))))"},
    {"SELECT * FROM a CROSS JOIN b",
     "(select (items (star)) (from (join cross (table a) (table b))))"},
    {"SELECT * FROM a NATURAL JOIN b",
     "(select (items (star)) (from (join natural-inner (table a) (table b))))"},
    {"SELECT * FROM a NATURAL LEFT JOIN b",
     "(select (items (star)) (from (join natural-left (table a) (table b))))"},
    {"SELECT * FROM a JOIN b ON a.k = b.k JOIN c ON b.k = c.k",
     "(select (items (star)) (from (join inner (join inner (table a) (table b) (on (= (col a.k) (col b.k)))) (table c) (on (= (col b.k) (col c.k))))))"},
    {"SELECT * FROM a JOIN b JOIN c ON b.k = c.k ON a.k = b.k",
     "(select (items (star)) (from (join inner (table a) (join inner (table b) (table c) (on (= (col b.k) (col c.k)))) (on (= (col a.k) (col b.k))))))"},
    {"SELECT * FROM a x JOIN b y ON x.k = y.k LEFT JOIN c z ON z.k = y.k, d",
     "(select (items (star)) (from (join left (join inner (alias (table a) x) (alias (table b) y) (on (= (col x.k) (col y.k)))) (alias (table c) z) (on (= (col z.k) (col y.k)))) (table d)))"},
    {"SELECT * FROM (a JOIN b ON a.k = b.k) JOIN c USING (k)",
     "(select (items (star)) (from (join inner (join inner (table a) (table b) (on (= (col a.k) (col b.k)))) (table c) (using k))))"},
    {"SELECT * FROM (SELECT 1) t",
     "(select (items (star)) (from (alias (subquery (select (items (int 1)))) t)))"},
    {"SELECT * FROM (SELECT a, b FROM u) AS t (x, y)",
     "(select (items (star)) (from (alias (subquery (select (items (col a) (col b)) (from (table u)))) t (cols x y))))"},
    {"SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(id, name)",
     "(select (items (star)) (from (alias (subquery (values (row (int 1) (str 'a')) (row (int 2) (str 'b')))) v (cols id name))))"},
    {"SELECT * FROM ((SELECT 1) UNION ALL (SELECT 2)) u",
     "(select (items (star)) (from (alias (subquery (union all (select (items (int 1))) (select (items (int 2))))) u)))"},
    {"SELECT * FROM (TABLE t) x",
     "(select (items (star)) (from (alias (subquery (table-query t)) x)))"},
    {"VALUES 1, 2, 3",
     "(values (int 1) (int 2) (int 3))"},
    {"VALUES (1, 'a'), (2, 'b')",
     "(values (row (int 1) (str 'a')) (row (int 2) (str 'b')))"},
    {"VALUES (1, 'a') ORDER BY 1",
     "(query (values (row (int 1) (str 'a'))) (order (sort (int 1))))"},
    {"TABLE stedi.t",
     "(table-query stedi.t)"},
    {"SELECT 1 UNION SELECT 2",
     "(union (select (items (int 1))) (select (items (int 2))))"},
    {"SELECT 1 UNION ALL SELECT 2",
     "(union all (select (items (int 1))) (select (items (int 2))))"},
    {"SELECT 1 UNION DISTINCT SELECT 2",
     "(union distinct (select (items (int 1))) (select (items (int 2))))"},
    {"SELECT 1 EXCEPT SELECT 2",
     "(except (select (items (int 1))) (select (items (int 2))))"},
    {"SELECT 1 INTERSECT SELECT 2",
     "(intersect (select (items (int 1))) (select (items (int 2))))"},
    {"SELECT 1 INTERSECT ALL SELECT 2",
     "(intersect all (select (items (int 1))) (select (items (int 2))))"},
    {"SELECT 1 UNION SELECT 2 INTERSECT SELECT 3",
     "(union (select (items (int 1))) (intersect (select (items (int 2))) (select (items (int 3)))))"},
    {"SELECT 1 INTERSECT SELECT 2 UNION SELECT 3",
     "(union (intersect (select (items (int 1))) (select (items (int 2)))) (select (items (int 3))))"},
    {"SELECT 1 UNION SELECT 2 EXCEPT SELECT 3",
     "(except (union (select (items (int 1))) (select (items (int 2)))) (select (items (int 3))))"},
    {"SELECT 1 EXCEPT SELECT 2 UNION SELECT 3",
     "(union (except (select (items (int 1))) (select (items (int 2)))) (select (items (int 3))))"},
    {"SELECT 1 UNION (SELECT 2 UNION SELECT 3)",
     "(union (select (items (int 1))) (union (select (items (int 2))) (select (items (int 3)))))"},
    {"(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3",
     "(intersect (union (select (items (int 1))) (select (items (int 2)))) (select (items (int 3))))"},
    {"SELECT a FROM t UNION SELECT b FROM u ORDER BY 1 LIMIT 5",
     "(query (union (select (items (col a)) (from (table t))) (select (items (col b)) (from (table u)))) (order (sort (int 1))) (limit (int 5)))"},
    {"(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM u)",
     "(union all (query (select (items (col a)) (from (table t))) (order (sort (col a))) (limit (int 1))) (select (items (col b)) (from (table u))))"},
    {"WITH x AS (SELECT 1) SELECT * FROM x",
     "(query (with (cte x (select (items (int 1))))) (select (items (star)) (from (table x))))"},
    {"WITH x (a, b) AS (SELECT 1, 2), y AS (SELECT a FROM x) SELECT * FROM y",
     "(query (with (cte x (cols a b) (select (items (int 1) (int 2)))) (cte y (select (items (col a)) (from (table x))))) (select (items (star)) (from (table y))))"},
    {"WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM t WHERE n < 10) SELECT sum(n) FROM t",
     "(query (with recursive (cte t (cols n) (union all (values (int 1)) (select (items (+ (col n) (int 1))) (from (table t)) (where (< (col n) (int 10))))))) (select (items (call sum (col n))) (from (table t))))"},
    {"SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x) y",
     "(select (items (star)) (from (alias (subquery (query (with (cte x (select (items (int 1))))) (select (items (star)) (from (table x))))) y)))"},
    {"EXPLAIN SELECT 1",
     "(explain (select (items (int 1))))"},
    {"EXPLAIN ANALYZE SELECT a FROM t",
     "(explain analyze (select (items (col a)) (from (table t))))"},
    {"EXPLAIN ANALYZE VERBOSE SELECT a FROM t",
     "(explain analyze verbose (select (items (col a)) (from (table t))))"},
    {"EXPLAIN EXPLAIN SELECT 1",
     "(explain (explain (select (items (int 1)))))"},
    {"SELECT a FROM t -- trailing comment",
     "(select (items (col a)) (from (table t)))"},
    {"/* lead */ SELECT /* mid */ a FROM t",
     "(select (items (col a)) (from (table t)))"},
    {"SELECT a FROM t WHERE x IN (1, 2) AND y BETWEEN 3 AND 4 OR NOT z LIKE 'q%'",
     "(select (items (col a)) (from (table t)) (where (or (and (in (col x) (list (int 1) (int 2))) (between (col y) (int 3) (int 4))) (not (like (col z) (str 'q%'))))))"},
    {"SELECT customer, sum(price * qty) AS total FROM orders WHERE ts >= DATE '2022-01-01' GROUP BY customer HAVING sum(price * qty) > 100 ORDER BY total DESC LIMIT 10",
     "(query (select (items (col customer) (as (call sum (* (col price) (col qty))) total)) (from (table orders)) (where (>= (col ts) (typed date '2022-01-01'))) (group-by (col customer)) (having (> (call sum (* (col price) (col qty))) (int 100)))) (order (sort (col total) desc)) (limit (int 10)))"},
    {"SELECT date_trunc('hour', from_unixtime(ts / 1000.0)) AS h, count(*) FROM t GROUP BY 1 ORDER BY 1",
     "(query (select (items (as (call date_trunc (str 'hour') (call from_unixtime (/ (col ts) (dec 1000.0)))) h) (call count (star))) (from (table t)) (group-by (int 1))) (order (sort (int 1))))"},
    {"SELECT round(100.0 * a / b, 2) FROM t",
     "(select (items (call round (/ (* (dec 100.0) (col a)) (col b)) (int 2))) (from (table t)))"},
    {"SELECT regexp_like(s, '\\d+'), split_part(s, ',', 2) FROM t",
     "(select (items (call regexp_like (col s) (str '\\d+')) (call split_part (col s) (str ',') (int 2))) (from (table t)))"},
};

/* Every construct of the surface, one query each, against its canonical form. */
static void test_canonical(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
        check(CASES[i].sql, CASES[i].want);
}

/* Precedence and associativity, spelled out. */
static void test_precedence(void **state)
{
    (void)state;
    check("SELECT a OR b AND c", "(select (items (or (col a) (and (col b) (col c)))))");
    /* AND and OR chains are one n-ary node (Trino's LogicalExpression); parentheses keep their grouping */
    check("SELECT a AND b AND c", "(select (items (and (col a) (col b) (col c))))");
    check("SELECT a OR b OR c", "(select (items (or (col a) (col b) (col c))))");
    check("SELECT (a OR b) OR c", "(select (items (or (or (col a) (col b)) (col c))))");
    check("SELECT a OR b OR c AND d AND e OR f",
          "(select (items (or (col a) (col b) (and (col c) (col d) (col e)) (col f))))");
    check("SELECT NOT a = b", "(select (items (not (= (col a) (col b)))))");
    check("SELECT NOT a OR b", "(select (items (or (not (col a)) (col b))))");
    check("SELECT a = b OR NOT c IS NULL", "(select (items (or (= (col a) (col b)) (not (is-null (col c))))))");
    check("SELECT -x * -y - -z", "(select (items (- (* (neg (col x)) (neg (col y))) (neg (col z)))))");
    check("SELECT a || b || c", "(select (items (|| (|| (col a) (col b)) (col c))))");
    check("SELECT a || b = c || d", "(select (items (= (|| (col a) (col b)) (|| (col c) (col d)))))");
    check("SELECT x BETWEEN 1 AND 2 AND y", "(select (items (and (between (col x) (int 1) (int 2)) (col y))))");
    check("SELECT x BETWEEN a AND b OR c",
          "(select (items (or (between (col x) (col a) (col b)) (col c))))");
    check("SELECT a + b * c - d / e % f",
          "(select (items (- (+ (col a) (* (col b) (col c))) (% (/ (col d) (col e)) (col f)))))");
    check("SELECT a + b IN (1, 2)", "(select (items (in (+ (col a) (col b)) (list (int 1) (int 2)))))");
    check("SELECT a LIKE b || c ESCAPE d", "(select (items (like (col a) (|| (col b) (col c)) (col d))))");
    check("SELECT x - 1 IS NULL", "(select (items (is-null (- (col x) (int 1)))))");
    check("SELECT a UNION SELECT b INTERSECT SELECT c",
          "(union (select (items (col a))) (intersect (select (items (col b))) (select (items (col c)))))");
    check("SELECT a EXCEPT SELECT b EXCEPT SELECT c",
          "(except (except (select (items (col a))) (select (items (col b)))) (select (items (col c))))");
    check("SELECT a INTERSECT SELECT b INTERSECT SELECT c UNION ALL SELECT d",
          "(union all (intersect (intersect (select (items (col a))) (select (items (col b)))) (select (items (col "
          "c)))) (select (items (col d))))");
    /* one predicate per value expression, as in Trino */
    check_err("SELECT a = b = c", LH_EPARSE,
              "t.sql:1:14: mismatched input '='. Expecting: ',', 'EXCEPT', 'FETCH', 'FROM', 'GROUP', 'HAVING', "
              "'INTERSECT', 'LIMIT', 'OFFSET', 'ORDER', 'UNION', 'WHERE', 'WINDOW', <EOF>");
    check_err("SELECT -x^2", LH_EPARSE,
              "t.sql:1:10: mismatched input '^'. Expecting: ',', 'EXCEPT', 'FETCH', 'FROM', 'GROUP', 'HAVING', "
              "'INTERSECT', 'LIMIT', 'OFFSET', 'ORDER', 'UNION', 'WHERE', 'WINDOW', <EOF>");
}

/* Literals keep their text and kind exactly. */
static void test_literals(void **state)
{
    lh_ast *ast = NULL;
    lh_err err;
    const lh_ast_node *sel, *it;
    const char *sql = "SELECT 1000.0, 1e0, 42, 'a''b', DATE '2022-06-18'";
    (void)state;
    assert_int_equal(lh_parse_query(sql, strlen(sql), "t.sql", &ast, &err), LH_OK);
    sel = lh_ast_root(ast)->kid[1];
    assert_int_equal(sel->kind, LH_AST_SELECT);
    assert_int_equal(sel->list[0].n, 5);
    it = sel->list[0].items[0]->kid[0];
    assert_int_equal(it->kind, LH_AST_NUMBER);
    assert_int_equal(it->op, LH_LIT_DECIMAL);
    assert_string_equal(it->text, "1000.0");
    it = sel->list[0].items[1]->kid[0];
    assert_int_equal(it->op, LH_LIT_DOUBLE);
    assert_string_equal(it->text, "1e0");
    it = sel->list[0].items[2]->kid[0];
    assert_int_equal(it->op, LH_LIT_INTEGER);
    it = sel->list[0].items[3]->kid[0];
    assert_int_equal(it->kind, LH_AST_STRING);
    assert_string_equal(it->text, "a'b");
    assert_int_equal(it->ival, 3);
    it = sel->list[0].items[4]->kid[0];
    assert_int_equal(it->kind, LH_AST_TYPED_LIT);
    assert_string_equal(it->kid[0]->name, "date");
    assert_string_equal(it->text, "2022-06-18");
    lh_ast_free(ast);
}

/* Names: folded lookup form, original spelling, quoting. */
static void test_names(void **state)
{
    lh_ast *ast = NULL;
    lh_err err;
    const lh_ast_node *col, *tab;
    const char *sql = "SELECT MyCol, \"MyCol\", `Tick` FROM AwsDataCatalog.Stedi.T";
    (void)state;
    assert_int_equal(lh_parse_query(sql, strlen(sql), "t.sql", &ast, &err), LH_OK);
    col = lh_ast_root(ast)->kid[1]->list[0].items[0]->kid[0]->kid[0]->list[0].items[0];
    assert_int_equal(col->kind, LH_AST_IDENT);
    assert_string_equal(col->name, "mycol");
    assert_string_equal(col->orig, "MyCol");
    assert_false(col->flags & LH_AST_F_QUOTED);
    col = lh_ast_root(ast)->kid[1]->list[0].items[1]->kid[0]->kid[0]->list[0].items[0];
    assert_string_equal(col->name, "MyCol");
    assert_true(col->flags & LH_AST_F_QUOTED);
    col = lh_ast_root(ast)->kid[1]->list[0].items[2]->kid[0]->kid[0]->list[0].items[0];
    assert_string_equal(col->name, "Tick");
    assert_true(col->flags & LH_AST_F_QUOTED);
    tab = lh_ast_root(ast)->kid[1]->list[1].items[0]->kid[0];
    assert_int_equal(tab->kind, LH_AST_NAME);
    assert_int_equal(tab->list[0].n, 3);
    assert_string_equal(tab->list[0].items[0]->name, "awsdatacatalog");
    assert_string_equal(tab->list[0].items[2]->orig, "T");
    lh_ast_free(ast);
    assert_true(lh_sql_is_reserved("select", 6));
    assert_true(lh_sql_is_reserved("Uescape", 7));
    assert_true(lh_sql_is_reserved("ALTER", 5));
    assert_true(lh_sql_is_reserved("WITH", 4));
    assert_false(lh_sql_is_reserved("user", 4));
    assert_false(lh_sql_is_reserved("limit", 5));
    assert_false(lh_sql_is_reserved("auto", 4));
    assert_false(lh_sql_is_reserved("selec", 5));
    assert_false(lh_sql_is_reserved("selects", 7));
    check("SELECT \"from\", \"select\".\"table\" FROM \"where\"",
          "(select (items (col \"from\") (col \"select\".\"table\")) (from (table \"where\")))");
}

/* Positions: line and column of every node, multi-line. */
static void test_positions(void **state)
{
    (void)state;
    check_flags("SELECT a + 1 AS x, count(*)\nFROM stedi.t s JOIN u ON s.k = u.k\n"
                "WHERE x BETWEEN 1 AND 2 ORDER BY 1 LIMIT 3",
                LH_AST_DUMP_POS,
                "(query@1:1 (select@1:1 (items (as@1:8 (+@1:10 (col@1:8 a) (int@1:12 1)) x) (call@1:20 count "
                "(star@1:26))) (from (join@2:16 inner (alias@2:6 (table@2:6 stedi.t) s) (table@2:21 u) (on (=@2:30 "
                "(col@2:26 s.k) (col@2:32 u.k))))) (where (between@3:9 (col@3:7 x) (int@3:17 1) (int@3:23 2)))) "
                "(order (sort@3:34 (int@3:34 1))) (limit@3:36 (int@3:42 3)))");
    check_flags("SELECT\n\tx\n  -- c\n  ,  NOT y FROM t", LH_AST_DUMP_POS,
                "(select@1:1 (items (col@2:2 x) (not@4:6 (col@4:10 y))) (from (table@4:17 t)))");
    check_flags("SELECT 1 UNION ALL SELECT 2", LH_AST_DUMP_POS,
                "(union@1:10 all (select@1:1 (items (int@1:8 1))) (select@1:20 (items (int@1:27 2))))");
    check_flags("SELECT x IS NOT NULL, y IN (1), z LIKE 'a'", LH_AST_DUMP_POS,
                "(select@1:1 (items (is-not-null@1:10 (col@1:8 x)) (in@1:25 (col@1:23 y) (list (int@1:29 1))) "
                "(like@1:35 (col@1:33 z) (str@1:40 'a'))))");
    /* a query embedded in a script keeps the script's positions */
    {
        const char *q = "SELECT a\n  FROM t";
        lh_ast *ast = NULL;
        lh_err err;
        lh_buf b;
        lh_buf_init(&b, 0);
        assert_int_equal(lh_parse_query_at(q, strlen(q), "job.sql", 7, 5, &ast, &err), LH_OK);
        assert_int_equal(lh_ast_dump(lh_ast_root(ast), LH_AST_DUMP_POS, &b, &err), LH_OK);
        assert_string_equal(lh_buf_cstr(&b), "(select@7:5 (items (col@7:12 a)) (from (table@8:8 t)))");
        lh_buf_free(&b);
        lh_ast_free(ast);
        assert_int_equal(lh_parse_query_at("SELECT\n  FROM t", 15, "job.sql", 7, 5, &ast, &err), LH_EPARSE);
        assert_string_equal(err.msg, "job.sql:8:3: mismatched input 'FROM'. Expecting: <expression>");
        assert_null(ast);
    }
}

/* Errors: Trino's wording, the exact position. */
static void test_errors(void **state)
{
    (void)state;
    check_err("", LH_EPARSE,
              "t.sql:1:1: mismatched input '<EOF>'. Expecting: '(', 'EXPLAIN', 'SELECT', 'TABLE', 'VALUES', 'WITH'");
    check_err("SELECT", LH_EPARSE, "t.sql:1:7: mismatched input '<EOF>'. Expecting: <expression>");
    check_err("SELECT FROM t", LH_EPARSE, "t.sql:1:8: mismatched input 'FROM'. Expecting: <expression>");
    check_err("SELECT a,\n  FROM t", LH_EPARSE, "t.sql:2:3: mismatched input 'FROM'. Expecting: <expression>");
    check_err("SELECT a FROM", LH_EPARSE, "t.sql:1:14: mismatched input '<EOF>'. Expecting: '(', <identifier>");
    check_err("SELECT a FROM t WHERE", LH_EPARSE, "t.sql:1:22: mismatched input '<EOF>'. Expecting: <expression>");
    check_err("SELECT a b c FROM t", LH_EPARSE,
              "t.sql:1:12: mismatched input 'c'. Expecting: ',', 'EXCEPT', 'FETCH', 'FROM', 'GROUP', 'HAVING', "
              "'INTERSECT', 'LIMIT', 'OFFSET', 'ORDER', 'UNION', 'WHERE', 'WINDOW', <EOF>");
    check_err("SELECT a FROM t WHERE x = 1 y", LH_EPARSE,
              "t.sql:1:29: mismatched input 'y'. Expecting: 'AND', 'EXCEPT', 'FETCH', 'GROUP', 'HAVING', "
              "'INTERSECT', 'LIMIT', 'OFFSET', 'OR', 'ORDER', 'UNION', 'WINDOW', <EOF>");
    check_err("SELECT 123abc", LH_EPARSE,
              "t.sql:1:8: identifiers must not start with a digit; surround the identifier with double quotes");
    check_err("SELECT select FROM t", LH_EPARSE, "t.sql:1:8: mismatched input 'select'. Expecting: <expression>");
    check_err("SELECT a FROM from", LH_EPARSE,
              "t.sql:1:15: mismatched input 'from'. Expecting: '(', <identifier> ('from' is a reserved word: write "
              "\"from\" to use it as a name)");
    check_err("SELECT a.from FROM t", LH_EPARSE,
              "t.sql:1:10: mismatched input 'from'. Expecting: <identifier> ('from' is a reserved word: write "
              "\"from\" to use it as a name)");
    check_err("SELECT a AS table FROM t", LH_EPARSE,
              "t.sql:1:13: mismatched input 'table'. Expecting: <identifier> ('table' is a reserved word: write "
              "\"table\" to use it as a name)");
    check_err("SELECT a FROM t GROUP a", LH_EPARSE, "t.sql:1:23: mismatched input 'a'. Expecting: 'BY'");
    check_err("SELECT (1 + 2", LH_EPARSE, "t.sql:1:14: mismatched input '<EOF>'. Expecting: ')'");
    check_err("SELECT f(1, 2", LH_EPARSE, "t.sql:1:14: mismatched input '<EOF>'. Expecting: ',', ')', 'ORDER'");
    check_err("SELECT x IN (1, 2", LH_EPARSE, "t.sql:1:18: mismatched input '<EOF>'. Expecting: ',', ')'");
    check_err("SELECT CASE WHEN a THEN b", LH_EPARSE,
              "t.sql:1:26: mismatched input '<EOF>'. Expecting: 'ELSE', 'END', 'WHEN'");
    check_err("SELECT CASE a END", LH_EPARSE, "t.sql:1:15: mismatched input 'END'. Expecting: 'WHEN'");
    check_err("SELECT CAST(x bigint)", LH_EPARSE, "t.sql:1:15: mismatched input 'bigint'. Expecting: 'AS'");
    check_err("SELECT CAST(x AS)", LH_EPARSE, "t.sql:1:17: mismatched input ')'. Expecting: <identifier>");
    check_err("SELECT CAST(x AS decimal(10,)", LH_EPARSE,
              "t.sql:1:29: mismatched input ')'. Expecting: <identifier>");
    check_err("SELECT x IS y", LH_EPARSE, "t.sql:1:13: mismatched input 'y'. Expecting: 'DISTINCT', 'NOT', 'NULL'");
    check_err("SELECT x IS NOT y", LH_EPARSE, "t.sql:1:17: mismatched input 'y'. Expecting: 'DISTINCT', 'NULL'");
    check_err("SELECT 'abc", LH_EPARSE, "t.sql:1:8: unterminated string literal");
    check_err("SELECT\n  \"abc", LH_EPARSE, "t.sql:2:3: unterminated quoted identifier");
    check_err("SELECT a FROM t /* open", LH_EPARSE, "t.sql:1:17: unterminated /* comment");
    check_err("SELECT X'abc'", LH_EPARSE, "t.sql:1:8: binary literal must contain an even number of digits");
    check_err("SELECT X'zz'", LH_EPARSE, "t.sql:1:8: binary literal can only contain hexadecimal digits");
    check_err("SELECT U&'\\00G1'", LH_EPARSE,
              "t.sql:1:8: invalid Unicode escape in U&'...' (use \\XXXX or \\+XXXXXX, hex)");
    check_err("SELECT U&'a' UESCAPE '+'", LH_EPARSE, "t.sql:1:22: invalid Unicode escape character '+'");
    check_err("SELECT 'a' UESCAPE '#'", LH_EPARSE, "t.sql:1:12: UESCAPE follows only a U&'...' string");
    check_err("SELECT \"\"", LH_EPARSE, "t.sql:1:8: zero-length delimited identifier not allowed");
    check_err("SELECT a$b FROM t", LH_EPARSE,
              "t.sql:1:8: identifier 'a$b' must be quoted: unquoted identifiers are letters, digits and '_' (write "
              "\"a$b\")");
    check_err("SELECT 1 FROM caf\xc3\xa9", LH_EPARSE,
              "t.sql:1:15: identifier 'caf\xc3\xa9' must be quoted: unquoted identifiers are letters, digits and '_' "
              "(write \"caf\xc3\xa9\")");
    check("SELECT \"a$b\", \"caf\xc3\xa9\" FROM \"$path\"",
          "(select (items (col \"a$b\") (col \"caf\xc3\xa9\")) (from (table \"$path\")))");
    check_err("SELECT a FROM t ORDER a", LH_EPARSE, "t.sql:1:23: mismatched input 'a'. Expecting: 'BY'");
    check_err("SELECT a FROM t LIMIT 10 OFFSET 5", LH_EPARSE,
              "t.sql:1:26: mismatched input 'OFFSET'. Expecting: <EOF>");
    check_err("SELECT a FROM t LIMIT 1.5", LH_EPARSE,
              "t.sql:1:23: mismatched input '1.5'. Expecting: '?', <integer>");
    check_err("SELECT a FROM t FETCH FIRST 3 ROWS", LH_EPARSE,
              "t.sql:1:35: mismatched input '<EOF>'. Expecting: 'ONLY', 'WITH'");
    check_err("SELECT a FROM t ORDER BY a FETCH 3 ROWS ONLY", LH_EPARSE,
              "t.sql:1:34: mismatched input '3'. Expecting: 'FIRST', 'NEXT'");
    check_err("INSERT INTO t VALUES (1)", LH_EPARSE,
              "t.sql:1:1: mismatched input 'INSERT'. Expecting: '(', 'EXPLAIN', 'SELECT', 'TABLE', 'VALUES', 'WITH'");
    check_err("SELECT a FROM t JOIN u", LH_EPARSE, "t.sql:1:23: mismatched input '<EOF>'. Expecting: 'ON', 'USING'");
    check_err("SELECT a FROM t NATURAL CROSS JOIN u", LH_EPARSE,
              "t.sql:1:25: mismatched input 'CROSS'. Expecting: 'FULL', 'INNER', 'JOIN', 'LEFT', 'RIGHT'");
    check_err("SELECT 1; SELECT 2", LH_EPARSE,
              "t.sql:1:11: mismatched input 'SELECT'. Expecting: ',', 'EXCEPT', 'FETCH', 'FROM', 'GROUP', "
              "'HAVING', 'INTERSECT', 'LIMIT', 'OFFSET', 'ORDER', 'UNION', 'WHERE', 'WINDOW', <EOF>");
    check_err("SELECT interval '3' week", LH_EPARSE,
              "t.sql:1:21: mismatched input 'week'. Expecting: 'DAY', 'HOUR', 'MINUTE', 'MONTH', 'SECOND', 'YEAR'");
    check_err("SELECT EXTRACT(hour ts)", LH_EPARSE, "t.sql:1:21: mismatched input 'ts'. Expecting: 'FROM'");
    check_err("SELECT ts AT TIME ZONE tz", LH_EPARSE,
              "t.sql:1:24: mismatched input 'tz'. Expecting: 'INTERVAL', <string>");
    check_err("SELECT sum(x) OVER (ROWS BETWEEN 1 PRECEDING) FROM t", LH_EPARSE,
              "t.sql:1:45: mismatched input ')'. Expecting: 'AND'");
    check_err("SELECT sum(x) OVER (ROWS 1) FROM t", LH_EPARSE,
              "t.sql:1:27: mismatched input ')'. Expecting: 'FOLLOWING', 'PRECEDING'");
    check_err("SELECT a FROM t WHERE x IN ()", LH_EPARSE,
              "t.sql:1:29: mismatched input ')'. Expecting: <expression>");
    check_err("SELECT a FROM t WHERE x BETWEEN 1", LH_EPARSE,
              "t.sql:1:34: mismatched input '<EOF>'. Expecting: 'AND'");
    check_err("SELECT a FROM t ORDER BY a NULLS", LH_EPARSE,
              "t.sql:1:33: mismatched input '<EOF>'. Expecting: 'FIRST', 'LAST'");
    check_err("SELECT * FROM (SELECT 1", LH_EPARSE, "t.sql:1:24: mismatched input '<EOF>'. Expecting: ')'");
    check_err("WITH x AS SELECT 1 SELECT 2", LH_EPARSE,
              "t.sql:1:11: mismatched input 'SELECT'. Expecting: '('");
    check_err("SELECT 1 UNION", LH_EPARSE,
              "t.sql:1:15: mismatched input '<EOF>'. Expecting: '(', 'SELECT', 'TABLE', 'VALUES'");
    check_err("SELECT a FROM t GROUP BY", LH_EPARSE, "t.sql:1:25: mismatched input '<EOF>'. Expecting: <expression>");
    check_err("SELECT a\x01", LH_EPARSE,
              "t.sql:1:9: mismatched input '\x01'. Expecting: ',', 'EXCEPT', 'FETCH', 'FROM', 'GROUP', 'HAVING', "
              "'INTERSECT', 'LIMIT', 'OFFSET', 'ORDER', 'UNION', 'WHERE', 'WINDOW', <EOF>");
    {
        lh_ast *ast = (lh_ast *)1;
        lh_err err;
        assert_int_equal(lh_parse_query("SELECT 1\0 x", 11, NULL, &ast, &err), LH_EPARSE);
        assert_string_equal(err.msg, "<sql>:1:9: NUL byte in SQL text");
        assert_null(ast);
        /* a NULL lh_err is allowed */
        assert_int_equal(lh_parse_query("SELECT", 6, NULL, &ast, NULL), LH_EPARSE);
        assert_null(ast);
    }
}

/* Valid Trino that we refuse for now: a clear error naming it. */
/* LISTAGG: a call with its separator ('' when absent) and the WITHIN GROUP order */
static void test_listagg(void **state)
{
    (void)state;
    check("SELECT listagg(x, ',') WITHIN GROUP (ORDER BY x) FROM t",
          "(select (items (call listagg (col x) (str ',') (order (sort (col x))))) (from (table t)))");
    check("SELECT listagg(x) WITHIN GROUP (ORDER BY y DESC, x) FILTER (WHERE x <> '') FROM t",
          "(select (items (call listagg (col x) (str '') (order (sort (col y) desc) (sort (col x))) (filter (<> (col x) (str ''))))) (from (table t)))");
    check("SELECT listagg(x, '-' ON OVERFLOW ERROR) WITHIN GROUP (ORDER BY x) FROM t",
          "(select (items (call listagg (col x) (str '-') (order (sort (col x))))) (from (table t)))");
    check_err("SELECT listagg(x, ',') FROM t", LH_EPARSE, "t.sql:1:24: mismatched input 'FROM'. Expecting: 'WITHIN'");
    check_err("SELECT listagg(x, y) WITHIN GROUP (ORDER BY x) FROM t", LH_EPARSE,
              "t.sql:1:19: mismatched input 'y'. Expecting: <string>");
}

static void test_refused(void **state)
{
    (void)state;
    check_err("SELECT * FROM UNNEST(ARRAY[1, 2]) AS t(x)", LH_EUNSUPPORTED,
              "t.sql:1:15: UNNEST is not supported yet (arrays and maps come later)");
    check_err("SELECT * FROM t CROSS JOIN UNNEST(t.a)", LH_EUNSUPPORTED,
              "t.sql:1:28: UNNEST is not supported yet (arrays and maps come later)");
    check_err("SELECT * FROM t TABLESAMPLE BERNOULLI (10)", LH_EUNSUPPORTED,
              "t.sql:1:17: TABLESAMPLE is not supported");
    check_err("SELECT * FROM LATERAL (SELECT 1)", LH_EUNSUPPORTED, "t.sql:1:15: LATERAL is not supported yet");
    check_err("SELECT * FROM TABLE(sequence(1, 2))", LH_EUNSUPPORTED, "t.sql:1:15: table functions are not supported");
    check_err("SELECT * FROM JSON_TABLE(j, 'lax $' COLUMNS (a int))", LH_EUNSUPPORTED,
              "t.sql:1:15: JSON_TABLE is not supported yet");
    check_err("SELECT listagg(x, ',' ON OVERFLOW TRUNCATE '...' WITH COUNT) WITHIN GROUP (ORDER BY x) FROM t",
              LH_EUNSUPPORTED, "t.sql:1:35: LISTAGG ... ON OVERFLOW TRUNCATE is not supported yet");
    check_err("SELECT json_value(j, 'lax $.a') FROM t", LH_EUNSUPPORTED, "t.sql:1:8: json_value is not supported yet");
    check_err("EXPLAIN (TYPE DISTRIBUTED) SELECT 1", LH_EUNSUPPORTED,
              "t.sql:1:9: EXPLAIN options (TYPE, FORMAT) are not supported");
    check_err("SELECT a FROM t FOR TIMESTAMP AS OF TIMESTAMP '2022-01-01'", LH_EUNSUPPORTED,
              "t.sql:1:17: time travel (FOR ... AS OF) is not supported");
    check_err("SELECT t.* AS (a, b) FROM t", LH_EUNSUPPORTED, "t.sql:1:12: column aliases for '.*' are not supported");
    check_err("SELECT * FROM t MATCH_RECOGNIZE (ORDER BY x)", LH_EUNSUPPORTED,
              "t.sql:1:17: MATCH_RECOGNIZE is not supported");
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf)
        buf[n] = 0;
    *len = (size_t)n;
    return buf;
}

static const struct {
    const char *file;
    int line, col;
    const char *want, *want_pos;
} JOBS[] = {
    {"accelerometer_landing_to_trusted.sql", 8, 1,
     "(select (items (col a.\"user\") (col a.\"timestamp\") (col a.x) (col a.y) (col a.z)) (from (join inner (alias (table stedi.accelerometer_landing) a) (alias (table stedi.customer_trusted) c) (on (= (col a.\"user\") (col c.email))))))",
     "(select@8:1 (items (col@8:8 a.\"user\") (col@8:18 a.\"timestamp\") (col@8:33 a.x) (col@8:38 a.y) (col@8:43 a.z)) (from (join@10:1 inner (alias@9:6 (table@9:6 stedi.accelerometer_landing) a) (alias@10:6 (table@10:6 stedi.customer_trusted) c) (on (=@10:43 (col@10:34 a.\"user\") (col@10:45 c.email))))))"},
    {"customer_landing_to_trusted.sql", 8, 1,
     "(select (items (star)) (from (table stedi.customer_landing)) (where (is-not-null (col sharewithresearchasofdate))))",
     "(select@8:1 (items (star@8:8)) (from (table@9:6 stedi.customer_landing)) (where (is-not-null@10:33 (col@10:7 sharewithresearchasofdate))))"},
    {"customer_trusted_to_curated.sql", 8, 1,
     "(select (items (star c)) (from (alias (table stedi.customer_trusted) c)) (where (in (col c.email) (select distinct (items (col a.\"user\")) (from (alias (table stedi.accelerometer_trusted) a))))))",
     "(select@8:1 (items (star@8:8 c)) (from (alias@9:6 (table@9:6 stedi.customer_trusted) c)) (where (in@10:15 (col@10:7 c.email) (select@10:19 distinct (items (col@10:35 a.\"user\")) (from (alias@10:49 (table@10:49 stedi.accelerometer_trusted) a))))))"},
    {"machine_learning_curated.sql", 10, 1,
     "(select (items (col s.sensorreadingtime) (col s.serialnumber) (col s.distancefromobject) (col a.\"timestamp\") (col a.x) (col a.y) (col a.z)) (from (join inner (alias (table stedi.step_trainer_trusted) s) (alias (table stedi.accelerometer_trusted) a) (on (= (col s.sensorreadingtime) (col a.\"timestamp\"))))))",
     "(select@10:1 (items (col@10:8 s.sensorreadingtime) (col@11:8 s.serialnumber) (col@12:8 s.distancefromobject) (col@13:8 a.\"timestamp\") (col@14:8 a.x) (col@15:8 a.y) (col@16:8 a.z)) (from (join@18:1 inner (alias@17:6 (table@17:6 stedi.step_trainer_trusted) s) (alias@18:6 (table@18:6 stedi.accelerometer_trusted) a) (on (=@18:59 (col@18:39 s.sensorreadingtime) (col@18:61 a.\"timestamp\"))))))"},
    {"step_trainer_trusted.sql", 8, 1,
     "(select (items (col s.sensorreadingtime) (col s.serialnumber) (col s.distancefromobject)) (from (alias (table stedi.step_trainer_landing) s)) (where (in (col s.serialnumber) (select (items (col serialnumber)) (from (table stedi.customer_curated))))))",
     "(select@8:1 (items (col@8:8 s.sensorreadingtime) (col@8:29 s.serialnumber) (col@8:45 s.distancefromobject)) (from (alias@9:6 (table@9:6 stedi.step_trainer_landing) s)) (where (in@10:22 (col@10:7 s.serialnumber) (select@10:26 (items (col@10:33 serialnumber)) (from (table@10:51 stedi.customer_curated))))))"},
};

/* The STEDI jobs' queries (the part after AS), at their place in the job file. */
static void test_stedi_jobs(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof JOBS / sizeof JOBS[0]; i++) {
        char path[512], *text;
        size_t len = 0;
        lh_script *sc = NULL;
        lh_ast *ast = NULL;
        lh_err err;
        lh_buf b;
        const lh_stmt *st;
        snprintf(path, sizeof path, "pipelines/stedi/jobs/%s", JOBS[i].file);
        text = read_file(path, &len);
        assert_non_null(text);
        assert_int_equal(lh_script_parse(text, len, path, &sc, &err), LH_OK);
        st = lh_script_stmt(sc, 0);
        assert_int_equal(st->kind, LH_STMT_CTAS);
        assert_int_equal(st->query_line, JOBS[i].line);
        assert_int_equal(st->query_col, JOBS[i].col);
        if (lh_parse_query_at(st->query, st->query_len, path, st->query_line, st->query_col, &ast, &err))
            fail_msg("%s: %s", path, err.msg);
        lh_buf_init(&b, 0);
        assert_int_equal(lh_ast_dump(lh_ast_root(ast), 0, &b, &err), LH_OK);
        assert_string_equal(lh_buf_cstr(&b), JOBS[i].want);
        lh_buf_reset(&b);
        assert_int_equal(lh_ast_dump(lh_ast_root(ast), LH_AST_DUMP_POS, &b, &err), LH_OK);
        assert_string_equal(lh_buf_cstr(&b), JOBS[i].want_pos);
        lh_buf_free(&b);
        lh_ast_free(ast);
        lh_script_free(sc);
        free(text);
        g_checked++;
    }
}

static const char FAULT_SQL[] =
    "WITH RECURSIVE r(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM r WHERE n < 3)\n"
    "SELECT a.x, count(DISTINCT b.y) FILTER (WHERE b.z > 0) AS c, sum(a.v) OVER (PARTITION BY a.k ORDER BY a.t\n"
    "  ROWS BETWEEN 1 PRECEDING AND CURRENT ROW), CAST(a.d AS decimal(10, 2)), TIMESTAMP '2022-06-18 00:00:00',\n"
    "  CASE WHEN a.x IN (1, 2, 3) THEN 'x' ELSE U&'\\0041' END, ARRAY[1, 2][1], x -> x + 1\n"
    "FROM stedi.a a LEFT JOIN (SELECT * FROM stedi.b) b USING (k), r\n"
    "WHERE a.x BETWEEN 1 AND 10 AND EXISTS (SELECT 1 FROM stedi.c c WHERE c.k = a.k)\n"
    "GROUP BY GROUPING SETS ((a.x), ()), ROLLUP (a.y) HAVING count(*) > 1\n"
    "WINDOW w AS (PARTITION BY a.k)\n"
    "UNION SELECT 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1 DESC NULLS LAST OFFSET 1 FETCH FIRST 2 ROWS ONLY";

/* Fail allocation n, for n = 1.. until the parse succeeds: every failure is
 * LH_ENOMEM and leaks nothing (ASan/LSan check the leaks). */
static void test_alloc_faults(void **state)
{
    long n;
    int failures = 0;
    char *want;
    lh_err err;
    lh_rc rc;
    (void)state;
    want = dump_of(FAULT_SQL, 0, &rc, &err);
    if (rc)
        fail_msg("%s", err.msg);
    for (n = 1; n < 100000; n++) {
        char *got;
        lh_fault_alloc_set(n);
        got = dump_of(FAULT_SQL, 0, &rc, &err);
        lh_fault_alloc_set(0);
        if (rc == LH_OK) {
            assert_string_equal(got, want);
            lh_free(got);
            break;
        }
        if (rc != LH_ENOMEM)
            fail_msg("allocation %ld: rc %d (%s), want LH_ENOMEM", n, rc, err.msg);
        assert_null(got);
        failures++;
    }
    assert_true(failures >= 3);
    lh_free(want);
}

static char *repeat3(const char *pre, const char *mid, const char *post, int n)
{
    size_t lp = strlen(pre), lm = strlen(mid), lq = strlen(post);
    char *s = malloc((lp + lq) * (size_t)n + lm + 1), *o = s;
    int i;
    for (i = 0; i < n; i++)
        o += sprintf(o, "%s", pre);
    o += sprintf(o, "%s", mid);
    for (i = 0; i < n; i++)
        o += sprintf(o, "%s", post);
    return s;
}

/* "SELECT " + s; frees s */
static char *selecting(char *s)
{
    char *q = malloc(strlen(s) + 8);
    sprintf(q, "SELECT %s", s);
    free(s);
    return q;
}

static void expect_rc(const char *sql, lh_rc want, const char *msg_part)
{
    lh_ast *ast = NULL;
    lh_err err;
    lh_rc rc;
    lh_err_clear(&err);
    rc = lh_parse_query(sql, strlen(sql), "t.sql", &ast, &err);
    if (rc != want || (msg_part && !strstr(err.msg, msg_part)))
        fail_msg("rc %d msg '%s' (want rc %d, '%s')", rc, err.msg, want, msg_part ? msg_part : "");
    lh_ast_free(ast);
    g_checked++;
}

/* Deep nesting is a clear LH_ELIMIT, never a stack overflow; moderate
 * depth parses. */
static void test_deep_nesting(void **state)
{
    char *s;
    (void)state;
    s = repeat3("(", "SELECT 1", ")", 200);
    expect_rc(s, LH_OK, NULL);
    free(s);
    s = repeat3("(", "1", ")", 300);
    {
        char *q = malloc(strlen(s) + 8);
        sprintf(q, "SELECT %s", s);
        expect_rc(q, LH_OK, NULL);
        free(q);
    }
    free(s);
    s = repeat3("(", "1", ")", 100000);
    {
        char *q = malloc(strlen(s) + 8);
        sprintf(q, "SELECT %s", s);
        expect_rc(q, LH_ELIMIT, "t.sql:1:1007: query is nested too deeply (more than 1000 levels)");
        free(q);
    }
    free(s);
    s = repeat3("SELECT * FROM (", "SELECT 1", ")", 5000);
    expect_rc(s, LH_ELIMIT, "nested too deeply");
    free(s);
    s = selecting(repeat3("- ", "1", "", 50000));
    expect_rc(s, LH_ELIMIT, "nested too deeply");
    free(s);
    s = selecting(repeat3("NOT ", "1", "", 50000));
    expect_rc(s, LH_ELIMIT, "nested too deeply");
    free(s);
    s = selecting(repeat3("f(", "1", ")", 50000));
    expect_rc(s, LH_ELIMIT, "nested too deeply");
    free(s);
    s = selecting(repeat3("", "CAST(x AS ", "", 1));
    {
        char *t = repeat3("array(", "bigint", ")", 5000), *q = malloc(strlen(s) + strlen(t) + 2);
        sprintf(q, "%s%s)", s, t);
        free(s);
        free(t);
        s = q;
    }
    expect_rc(s, LH_ELIMIT, "nested too deeply");
    free(s);
    s = selecting(repeat3("ARRAY[", "1", "]", 5000));
    expect_rc(s, LH_ELIMIT, "nested too deeply");
    free(s);
    s = repeat3("SELECT * FROM (", "t", ")", 5000);
    expect_rc(s, LH_ELIMIT, "nested too deeply");
    free(s);
    /* long flat chains: a left-deep tree, bounded in height */
    s = repeat3("", "SELECT 1", " + 1", 9990);
    expect_rc(s, LH_OK, NULL);
    {
        /* the tallest tree allowed dumps (recursively) without trouble */
        lh_rc rc;
        lh_err err;
        char *d = dump_of(s, LH_AST_DUMP_POS, &rc, &err);
        assert_int_equal(rc, LH_OK);
        assert_true(strlen(d) > 9990 * 10);
        lh_free(d);
    }
    free(s);
    s = repeat3("", "SELECT 1", " + 1", 20000);
    expect_rc(s, LH_ELIMIT, "expression is too deep (more than 10000 nested operations)");
    free(s);
    s = repeat3("", "SELECT 1", " OR x = 1", 100000); /* flat: fine */
    expect_rc(s, LH_OK, NULL);
    free(s);
    s = repeat3("", "SELECT 1", " UNION SELECT 1", 20000);
    expect_rc(s, LH_ELIMIT, "too deep");
    free(s);
    s = repeat3("", "SELECT * FROM t", " JOIN t ON true", 20000);
    expect_rc(s, LH_ELIMIT, "too deep");
    free(s);
    s = repeat3("", "SELECT a", "[1]", 20000);
    expect_rc(s, LH_ELIMIT, "too deep");
    free(s);
    /* the token cap: 2^20 tokens */
    s = repeat3("", "SELECT 0", ", 1", 600000);
    expect_rc(s, LH_ELIMIT, "t.sql: query has more than 1048576 tokens");
    free(s);
    /* wide is fine: a 100,000-element IN list */
    s = repeat3("", "SELECT x IN (0", ", 1", 100000);
    {
        char *q = malloc(strlen(s) + 2);
        sprintf(q, "%s)", s);
        expect_rc(q, LH_OK, NULL);
        free(q);
    }
    free(s);
}

/* parse -> format -> parse gives the same tree (same dump) */
static void roundtrip(const char *sql)
{
    lh_ast *ast = NULL, *again = NULL;
    lh_err err;
    lh_buf text, d1, d2;
    lh_buf_init(&text, 0);
    lh_buf_init(&d1, 0);
    lh_buf_init(&d2, 0);
    if (lh_parse_query(sql, strlen(sql), "t.sql", &ast, &err))
        fail_msg("%s: %s", sql, err.msg);
    assert_int_equal(lh_ast_format(lh_ast_root(ast), &text, &err), LH_OK);
    if (lh_parse_query(lh_buf_cstr(&text), text.len, "fmt.sql", &again, &err))
        fail_msg("--- sql: %s\n--- formatted: %s\n--- %s", sql, lh_buf_cstr(&text), err.msg);
    assert_int_equal(lh_ast_dump(lh_ast_root(ast), 0, &d1, &err), LH_OK);
    assert_int_equal(lh_ast_dump(lh_ast_root(again), 0, &d2, &err), LH_OK);
    if (strcmp(lh_buf_cstr(&d1), lh_buf_cstr(&d2)) != 0)
        fail_msg("--- sql: %s\n--- formatted: %s\n--- dump: %s\n--- again: %s", sql, lh_buf_cstr(&text),
                 lh_buf_cstr(&d1), lh_buf_cstr(&d2));
    lh_buf_free(&text);
    lh_buf_free(&d1);
    lh_buf_free(&d2);
    lh_ast_free(ast);
    lh_ast_free(again);
}

static void check_format(const char *sql, const char *want)
{
    lh_ast *ast = NULL;
    lh_err err;
    lh_buf b;
    lh_buf_init(&b, 0);
    assert_int_equal(lh_parse_query(sql, strlen(sql), "t.sql", &ast, &err), LH_OK);
    assert_int_equal(lh_ast_format(lh_ast_root(ast), &b, &err), LH_OK);
    if (strcmp(lh_buf_cstr(&b), want) != 0)
        fail_msg("--- sql: %s\n--- want: %s\n--- got:  %s", sql, want, lh_buf_cstr(&b));
    lh_buf_free(&b);
    lh_ast_free(ast);
    roundtrip(sql);
    g_checked++;
}

/* lh_ast_format: SQL text back from the tree, for messages and round trips. */
static void test_format(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
        roundtrip(CASES[i].sql);
    roundtrip(FAULT_SQL);
    check_format("select a+b*c as x from stedi.t where not a=b", "SELECT a + (b * c) AS x FROM stedi.t WHERE NOT (a = b)");
    check_format("SELECT count(*) FILTER (WHERE x > 0) OVER (PARTITION BY k ORDER BY t ROWS 2 PRECEDING) FROM t",
                 "SELECT count(*) FILTER (WHERE x > 0) OVER (PARTITION BY k ORDER BY t ROWS 2 PRECEDING) FROM t");
    check_format("select (a, b), x'AB', U&'\\0041', trim(leading 'x' from s), position('a' in s)",
                 "SELECT ROW(a, b), X'ab', 'A', ltrim(s, 'x'), strpos(s, 'a')");
    check_format("select 1 union select 2 intersect select 3 except select 4",
                 "SELECT 1 UNION (SELECT 2 INTERSECT SELECT 3) EXCEPT SELECT 4");
    check_format("select id, name from t union all corresponding select name, id from u intersect corresponding select 1 id",
                 "SELECT id, name FROM t UNION ALL CORRESPONDING (SELECT name, id FROM u INTERSECT CORRESPONDING SELECT 1 AS id)");
    check_format("select a from t except distinct corresponding by (a, \"B\") select a from u",
                 "SELECT a FROM t EXCEPT DISTINCT CORRESPONDING BY (a, \"B\") SELECT a FROM u");
    check_format("select sum(x) over (order by t groups between 1 preceding and 2 following) from t",
                 "SELECT sum(x) OVER (ORDER BY t GROUPS BETWEEN 1 PRECEDING AND 2 FOLLOWING) FROM t");
    check_format("select * from a join b join c on b.k = c.k on a.k = b.k cross join d",
                 "SELECT * FROM a JOIN (b JOIN c ON b.k = c.k) ON a.k = b.k CROSS JOIN d");
    check_format("select a from t group by grouping sets ((a, b), a, ()) order by 1 desc nulls last offset 1 fetch next 2 rows with ties",
                 "SELECT a FROM t GROUP BY GROUPING SETS ((a, b), (a), ()) ORDER BY 1 DESC NULLS LAST OFFSET 1 ROWS "
                 "FETCH FIRST 2 ROWS WITH TIES");
    check_format("select cast(x as timestamp(3) with time zone), interval -'1' day, - -x, a - -1, x at time zone 'UTC'",
                 "SELECT CAST(x AS timestamp(3) WITH TIME ZONE), INTERVAL -'1' DAY, -(-x), a - (-1), x AT TIME ZONE 'UTC'");
    check_format("explain analyze with x(a) as (values 1) select \"A\", `b` from x",
                 "EXPLAIN ANALYZE WITH x(a) AS (VALUES 1) SELECT \"A\", \"b\" FROM x");
    /* words that mean something else where they stand keep their meaning */
    check_format("SELECT (all) + 1, (interval) - '1', (array)[1]", "SELECT (all) + 1, (interval) - '1', (array)[1]");
    check_format("SELECT count((all) + 1) FROM t GROUP BY (all) + 1",
                 "SELECT count((all) + 1) FROM t GROUP BY (all) + 1");
    check_format("SELECT sum(x) OVER (ROWS BETWEEN (unbounded) PRECEDING AND CURRENT ROW)",
                 "SELECT sum(x) OVER (ROWS BETWEEN (unbounded) PRECEDING AND CURRENT ROW)");
    check_format("SELECT (all.b), (all.b) + 1, (all(x)), (all 'x')",
                 "SELECT (all.b), all.b + 1, all(x), all 'x'");
    check_format("SELECT * FROM ((t) a) b, ((x JOIN y ON true)) z", "SELECT * FROM (t AS a) AS b, (x JOIN y ON TRUE) AS z");
    check_format("WITH x AS (SELECT 1) (SELECT 1 ORDER BY 1)", "WITH x AS (SELECT 1) (SELECT 1 ORDER BY 1)");
    check_format("SELECT CAST(x AS \"row\"(bigint)), \"all\" 'x'", "SELECT CAST(x AS \"row\"(bigint)), \"all\" 'x'");
    /* an expression alone, as the analyzer will quote it */
    {
        lh_ast *ast = NULL;
        lh_err err;
        lh_buf b;
        lh_buf_init(&b, 0);
        assert_int_equal(lh_parse_query("SELECT x FROM t WHERE a.b + 1 > 2 OR c IS NULL", 46, "t.sql", &ast, &err), LH_OK);
        assert_int_equal(lh_ast_format(lh_ast_root(ast)->kid[1]->kid[0], &b, &err), LH_OK);
        assert_string_equal(lh_buf_cstr(&b), "((a.b + 1) > 2) OR (c IS NULL)");
        lh_buf_free(&b);
        lh_ast_free(ast);
    }
}

static void test_count(void **state)
{
    (void)state;
    /* the brief asks for at least ~150 queries checked */
    assert_true(g_checked >= 150);
    printf("test_parse: %d queries checked\n", g_checked);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical),    cmocka_unit_test(test_precedence), cmocka_unit_test(test_literals),
        cmocka_unit_test(test_names),        cmocka_unit_test(test_positions),  cmocka_unit_test(test_errors),
        cmocka_unit_test(test_listagg),
        cmocka_unit_test(test_refused),      cmocka_unit_test(test_stedi_jobs), cmocka_unit_test(test_alloc_faults),
        cmocka_unit_test(test_deep_nesting), cmocka_unit_test(test_format),
        cmocka_unit_test(test_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
