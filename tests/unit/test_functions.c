/* tests/unit/test_functions.c — the Athena/Trino SQL functions on SQLite. */
#include "testutil.h"

#include <dirent.h>
#include <sqlite3.h>
#include <time.h>

#include "sql/functions.h"
#include "util/mem.h"
#include "util/types.h"

static char g_out[2048];

/* Run a query returning one value; its text, "NULL", or "ERR: <errmsg>". */
static const char *q(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        snprintf(g_out, sizeof g_out, "PREPARE: %s", sqlite3_errmsg(db));
        return g_out;
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_type(st, 0) == SQLITE_NULL)
            snprintf(g_out, sizeof g_out, "NULL");
        else
            snprintf(g_out, sizeof g_out, "%s", (const char *)sqlite3_column_text(st, 0));
    } else if (rc == SQLITE_DONE) {
        snprintf(g_out, sizeof g_out, "NO ROW");
    } else {
        snprintf(g_out, sizeof g_out, "ERR: %s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return g_out;
}

/* Storage class of the one value a query returns. */
static int qtype(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int t = -1;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        t = sqlite3_column_type(st, 0);
    sqlite3_finalize(st);
    return t;
}

#define EQ(sql, want) assert_string_equal(q(db, sql), want)

static int setup(void **state)
{
    sqlite3 *db = NULL;
    lh_err err;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        return -1;
    if (lh_sql_register_functions(db, &err) != LH_OK) {
        sqlite3_close(db);
        return -1;
    }
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    sqlite3_close(*state);
    return 0;
}

static void test_register(void **state)
{
    lh_err err;
    (void)state;
    assert_int_equal(lh_sql_register_functions(NULL, &err), LH_EINVAL);
    assert_non_null(strstr(err.msg, "no database connection"));
    assert_int_equal(lh_sql_register_functions(NULL, NULL), LH_EINVAL);
}

static void test_from_unixtime(void **state)
{
    sqlite3 *db = *state;
    /* the STEDI case: epoch milliseconds divided into seconds */
    EQ("SELECT from_unixtime(1655564444103 / 1000.0)", "2022-06-18 15:00:44.103");
    EQ("SELECT from_unixtime(1655564440170 / 1000.0)", "2022-06-18 15:00:40.170");
    /* ... and not divided: seconds read as a date ~52,000 years ahead */
    EQ("SELECT from_unixtime(1655564444103)", "54432-09-30 12:15:03.000");
    EQ("SELECT from_unixtime(0)", "1970-01-01 00:00:00.000");
    EQ("SELECT from_unixtime(1655564444)", "2022-06-18 15:00:44.000");
    EQ("SELECT from_unixtime(-1)", "1969-12-31 23:59:59.000");
    EQ("SELECT from_unixtime(-1.5)", "1969-12-31 23:59:58.500");
    EQ("SELECT from_unixtime(-0.0005)", "1969-12-31 23:59:59.999"); /* toward -infinity */
    EQ("SELECT from_unixtime(1.9999)", "1970-01-01 00:00:01.999");
    EQ("SELECT from_unixtime(1655564444.102999)", "2022-06-18 15:00:44.102");
    EQ("SELECT from_unixtime(951782400)", "2000-02-29 00:00:00.000");
    EQ("SELECT from_unixtime(-62167219200)", "0000-01-01 00:00:00.000");
    EQ("SELECT from_unixtime('1655564444')", "2022-06-18 15:00:44.000");
    EQ("SELECT from_unixtime(NULL)", "NULL");
    /* x / 1000.0 lands on the exact millisecond for every ms, positive or negative */
    EQ("WITH RECURSIVE r(ms) AS (SELECT 1655564400000 UNION ALL SELECT ms + 7 FROM r LIMIT 200000) "
       "SELECT count(*) FROM r WHERE CAST(round(to_unixtime(from_unixtime(ms / 1000.0)) * 1000) AS INTEGER) != ms",
       "0");
    EQ("WITH RECURSIVE r(ms) AS (SELECT -2200000 UNION ALL SELECT ms + 7 FROM r LIMIT 640000) "
       "SELECT count(*) FROM r WHERE CAST(round(to_unixtime(from_unixtime(ms / 1000.0)) * 1000) AS INTEGER) != ms",
       "0");
    EQ("SELECT from_unixtime('abc')",
       "ERR: from_unixtime: expected seconds since 1970-01-01 (a number), got 'abc'");
    EQ("SELECT from_unixtime(1e300)", "ERR: from_unixtime: 1.0e+300 seconds is out of range (years 0 to 999999)");
    EQ("SELECT from_unixtime(-62167219201)",
       "ERR: from_unixtime: -62167219201 seconds is out of range (years 0 to 999999)");
}

static void test_to_unixtime(void **state)
{
    sqlite3 *db = *state;
    EQ("SELECT printf('%.3f', to_unixtime('2022-06-18 15:00:44.103'))", "1655564444.103");
    EQ("SELECT to_unixtime('1970-01-01 00:00:01.500')", "1.5");
    EQ("SELECT to_unixtime('1969-12-31 23:59:59.000')", "-1.0");
    EQ("SELECT to_unixtime('2022-06-18')", "1655510400.0");
    EQ("SELECT to_unixtime('2022-06-18T15:00:44Z')", "1655564444.0");
    EQ("SELECT to_unixtime('2022-06-18 17:00:44+02:00')", "1655564444.0");
    EQ("SELECT to_unixtime('2022-06-18 15:00:44.103 UTC')", "1655564444.103");
    assert_int_equal(qtype(db, "SELECT to_unixtime('2022-06-18')"), SQLITE_FLOAT);
    EQ("SELECT to_unixtime(from_unixtime(1655564444103 / 1000.0)) * 1000 = 1655564444103", "1");
    EQ("SELECT to_unixtime(NULL)", "NULL");
    EQ("SELECT to_unixtime(1655564444103)",
       "ERR: to_unixtime: expected a timestamp, got 1655564444103 (epoch milliseconds? use from_unixtime(x / "
       "1000.0))");
    EQ("SELECT to_unixtime(1655564444)",
       "ERR: to_unixtime: expected a timestamp, got 1655564444 (epoch seconds? use from_unixtime(x))");
    EQ("SELECT to_unixtime('2022-13-01')",
       "ERR: to_unixtime: invalid timestamp '2022-13-01' (expected 'YYYY-MM-DD HH:MM:SS.mmm', 'YYYY-MM-DD' or ISO "
       "8601, years 0 to 999999)");
    EQ("SELECT to_unixtime('2023-02-29')", "ERR: to_unixtime: invalid timestamp '2023-02-29' (expected "
                                           "'YYYY-MM-DD HH:MM:SS.mmm', 'YYYY-MM-DD' or ISO 8601, years 0 to 999999)");
}

static void test_date_format(void **state)
{
    sqlite3 *db = *state;
    EQ("SELECT date_format('2022-06-18 15:00:44.103', '%Y-%m-%d %H:%i:%s.%f')", "2022-06-18 15:00:44.103000");
    EQ("SELECT date_format('2022-06-18 15:00:44.103', '%y %c %e %k %h %I %l %p %S')", "22 6 18 15 03 03 3 PM 44");
    EQ("SELECT date_format('2022-06-18 15:00:44.103', '%a %b %M %W %j %T %r %%')",
       "Sat Jun June Saturday 169 15:00:44 03:00:44 PM %");
    EQ("SELECT date_format('2022-06-18 00:05:09', '%h:%i %p|%r|%k')", "12:05 AM|12:05:09 AM|0");
    EQ("SELECT date_format('2024-12-31', '%j %W')", "366 Tuesday"); /* leap year */
    EQ("SELECT date_format('1969-12-31 23:59:59.999', '%Y %a %f')", "1969 Wed 999000");
    EQ("SELECT date_format('2022-06-18', '')", "");
    EQ("SELECT date_format(NULL, '%Y')", "NULL");
    EQ("SELECT date_format('2022-06-18', NULL)", "NULL");
    EQ("SELECT date_format(1655564444103, '%Y')",
       "ERR: date_format: expected a timestamp, got 1655564444103 (epoch milliseconds? use from_unixtime(x / "
       "1000.0))");
    EQ("SELECT date_format('2022-06-18', '%U')", "ERR: date_format: format specifier '%U' is not supported");
    EQ("SELECT date_format('2022-06-18', '%Q')", "ERR: date_format: unknown format specifier '%Q'");
    EQ("SELECT date_format('2022-06-18', 'abc%')", "ERR: date_format: the format ends with a lone '%'");
    EQ("SELECT date_format('yesterday', '%Y')",
       "ERR: date_format: invalid timestamp 'yesterday' (expected 'YYYY-MM-DD HH:MM:SS.mmm', 'YYYY-MM-DD' or ISO "
       "8601, years 0 to 999999)");
}

static void test_date_parse(void **state)
{
    sqlite3 *db = *state;
    EQ("SELECT date_parse('2022-06-18 15:00:44.103', '%Y-%m-%d %H:%i:%s.%f')", "2022-06-18 15:00:44.103");
    EQ("SELECT date_parse('2022-06-18 15:00:44.123456', '%Y-%m-%d %H:%i:%s.%f')", "2022-06-18 15:00:44.123");
    EQ("SELECT date_parse('20220618', '%Y%m%d')", "2022-06-18 00:00:00.000");
    EQ("SELECT date_parse('2022-6-8 7:05', '%Y-%c-%e %k:%i')", "2022-06-08 07:05:00.000");
    EQ("SELECT date_parse('18/06/2022 15:00:44', '%d/%m/%Y %T')", "2022-06-18 15:00:44.000");
    EQ("SELECT date_parse('Jun 18 22 03:00 PM', '%b %d %y %h:%i %p')", "2022-06-18 15:00:00.000");
    EQ("SELECT date_parse('12:30 am', '%h:%i %p')", "1970-01-01 00:30:00.000");
    EQ("SELECT date_parse('2024-02-29', '%Y-%m-%d')", "2024-02-29 00:00:00.000");
    EQ("SELECT date_parse('100%', '%Y%%')", "0100-01-01 00:00:00.000");
    EQ("SELECT date_parse(NULL, '%Y')", "NULL");
    EQ("SELECT date_parse('2022', NULL)", "NULL");
    EQ("SELECT date_parse('2022/06/18', '%Y-%m-%d')",
       "ERR: date_parse: '2022/06/18' does not match the format '%Y-%m-%d' at character 5");
    EQ("SELECT date_parse('2022-06-18 trailing', '%Y-%m-%d')",
       "ERR: date_parse: '2022-06-18 trailing' does not match the format '%Y-%m-%d' at character 11");
    EQ("SELECT date_parse('2022-13-01', '%Y-%m-%d')",
       "ERR: date_parse: '2022-13-01' does not match the format '%Y-%m-%d' at character 8");
    EQ("SELECT date_parse('2023-02-29', '%Y-%m-%d')",
       "ERR: date_parse: '2023-02-29' is not a valid date (month 2 of 2023 has 28 days)");
    EQ("SELECT date_parse('2022', '%x')", "ERR: date_parse: format specifier '%x' is not supported");
}

static void test_date_trunc(void **state)
{
    sqlite3 *db = *state;
    const char *ts = "'2022-06-18 15:47:44.103'";
    char sql[256];
    static const char *const units[][2] = {
        {"millisecond", "2022-06-18 15:47:44.103"}, {"second", "2022-06-18 15:47:44.000"},
        {"minute", "2022-06-18 15:47:00.000"},      {"hour", "2022-06-18 15:00:00.000"},
        {"day", "2022-06-18 00:00:00.000"},         {"week", "2022-06-13 00:00:00.000"},
        {"month", "2022-06-01 00:00:00.000"},       {"quarter", "2022-04-01 00:00:00.000"},
        {"year", "2022-01-01 00:00:00.000"},
    };
    size_t i;
    for (i = 0; i < sizeof units / sizeof units[0]; i++) {
        snprintf(sql, sizeof sql, "SELECT date_trunc('%s', %s)", units[i][0], ts);
        EQ(sql, units[i][1]);
    }
    /* weeks start on Monday: a Sunday goes back six days, a Monday stays */
    EQ("SELECT date_trunc('week', '2022-06-19 23:59:59.999')", "2022-06-13 00:00:00.000");
    EQ("SELECT date_trunc('week', '2022-06-20 00:00:00.000')", "2022-06-20 00:00:00.000");
    EQ("SELECT date_trunc('week', '1970-01-01 12:00:00')", "1969-12-29 00:00:00.000");
    EQ("SELECT date_trunc('WEEK', '2024-03-03')", "2024-02-26"); /* a date stays a date */
    EQ("SELECT date_trunc('Month', '2024-02-29')", "2024-02-01");
    EQ("SELECT date_trunc('quarter', '2022-12-31 23:59:59.999')", "2022-10-01 00:00:00.000");
    EQ("SELECT date_trunc('second', '1969-12-31 23:59:59.999')", "1969-12-31 23:59:59.000");
    EQ("SELECT date_trunc('day', NULL)", "NULL");
    EQ("SELECT date_trunc(NULL, '2022-06-18')", "NULL");
    EQ("SELECT date_trunc('days', '2022-06-18')",
       "ERR: date_trunc: unknown unit 'days' (expected one of millisecond, second, minute, hour, day, week, month, "
       "quarter, year)");
    EQ("SELECT date_trunc('hour', '2022-06-18')",
       "ERR: date_trunc: unit 'hour' is not valid for the date '2022-06-18' (use a timestamp)");
    EQ("SELECT date_trunc('day', 1655564444103)",
       "ERR: date_trunc: expected a timestamp, got 1655564444103 (epoch milliseconds? use from_unixtime(x / "
       "1000.0))");
}

static void test_date_add(void **state)
{
    sqlite3 *db = *state;
    EQ("SELECT date_add('year', 1, '2024-02-29 10:00:00.000')", "2025-02-28 10:00:00.000");
    EQ("SELECT date_add('year', 4, '2024-02-29')", "2028-02-29");
    EQ("SELECT date_add('month', 1, '2024-01-31 08:00:00')", "2024-02-29 08:00:00.000");
    EQ("SELECT date_add('month', 1, '2023-01-31')", "2023-02-28");
    EQ("SELECT date_add('month', -1, '2022-03-31')", "2022-02-28");
    EQ("SELECT date_add('quarter', 1, '2022-11-30')", "2023-02-28");
    EQ("SELECT date_add('month', -13, '2022-01-15')", "2020-12-15");
    EQ("SELECT date_add('millisecond', 1, '2022-06-18 23:59:59.999')", "2022-06-19 00:00:00.000");
    EQ("SELECT date_add('second', -1, '1970-01-01 00:00:00')", "1969-12-31 23:59:59.000");
    EQ("SELECT date_add('minute', 90, '2022-06-18 23:00:00')", "2022-06-19 00:30:00.000");
    EQ("SELECT date_add('hour', 24, '2022-02-28 12:00:00')", "2022-03-01 12:00:00.000");
    EQ("SELECT date_add('DAY', 1, '2024-02-28')", "2024-02-29");
    EQ("SELECT date_add('week', -1, '2022-06-18 15:00:44.103')", "2022-06-11 15:00:44.103");
    EQ("SELECT date_add('day', 2.0, '2022-06-18')", "2022-06-20");
    EQ("SELECT date_add('day', NULL, '2022-06-18')", "NULL");
    EQ("SELECT date_add('day', 1, NULL)", "NULL");
    EQ("SELECT date_add('day', 1.5, '2022-06-18')", "ERR: date_add: the amount must be a whole number, got 1.5");
    EQ("SELECT date_add('hour', 1, '2022-06-18')",
       "ERR: date_add: unit 'hour' is not valid for the date '2022-06-18' (use a timestamp)");
    EQ("SELECT date_add('fortnight', 1, '2022-06-18')",
       "ERR: date_add: unknown unit 'fortnight' (expected one of millisecond, second, minute, hour, day, week, "
       "month, quarter, year)");
    EQ("SELECT date_add('year', 1000000, '2022-06-18')",
       "ERR: date_add: adding 1000000 year to the date is out of range (years 0 to 999999)");
    EQ("SELECT date_add('millisecond', 9223372036854775807, '2022-06-18 00:00:00')",
       "ERR: date_add: adding 9223372036854775807 millisecond to the timestamp is out of range (years 0 to "
       "999999)");
}

static void test_date_diff(void **state)
{
    sqlite3 *db = *state;
    EQ("SELECT date_diff('millisecond', '2022-06-18 15:00:44.103', '2022-06-18 15:00:45.000')", "897");
    EQ("SELECT date_diff('second', '2022-06-18 15:00:44.900', '2022-06-18 15:00:46.100')", "1");
    EQ("SELECT date_diff('second', '2022-06-18 15:00:46.100', '2022-06-18 15:00:44.900')", "-1");
    EQ("SELECT date_diff('hour', '2022-06-18 00:00:00', '2022-06-19 23:59:59')", "47");
    EQ("SELECT date_diff('day', '2024-02-01', '2024-03-01')", "29");
    EQ("SELECT date_diff('day', '2023-02-01', '2023-03-01')", "28");
    EQ("SELECT date_diff('week', '2022-06-01', '2022-06-18')", "2");
    EQ("SELECT date_diff('month', '2024-01-31', '2024-02-29')", "1");
    EQ("SELECT date_diff('month', '2024-01-15', '2024-02-14')", "0");
    EQ("SELECT date_diff('month', '2024-01-15 10:00', '2024-02-15 09:59')", "0");
    EQ("SELECT date_diff('month', '2024-02-15', '2024-01-15')", "-1");
    EQ("SELECT date_diff('month', '2024-03-31', '2024-02-29')", "-1");
    EQ("SELECT date_diff('quarter', '2022-01-01', '2022-12-31')", "3");
    EQ("SELECT date_diff('year', '2024-02-29', '2025-02-28')", "1");
    EQ("SELECT date_diff('year', '2025-02-28', '2024-02-29')", "-1");
    EQ("SELECT date_diff('year', '2020-06-18', '2022-06-17')", "1");
    EQ("SELECT date_diff('year', '1969-12-31 23:59:59', '1970-01-01')", "0");
    assert_int_equal(qtype(db, "SELECT date_diff('day', '2022-01-01', '2022-01-02')"), SQLITE_INTEGER);
    EQ("SELECT date_diff('day', NULL, '2022-01-02')", "NULL");
    EQ("SELECT date_diff('decade', '2022-01-01', '2022-01-02')",
       "ERR: date_diff: unknown unit 'decade' (expected one of millisecond, second, minute, hour, day, week, "
       "month, quarter, year)");
    EQ("SELECT date_diff('day', '2022-01-01', 1655564444103)",
       "ERR: date_diff: expected a timestamp, got 1655564444103 (epoch milliseconds? use from_unixtime(x / "
       "1000.0))");
}

static void test_iso8601(void **state)
{
    sqlite3 *db = *state;
    EQ("SELECT from_iso8601_timestamp('2022-06-18T15:00:44.103Z')", "2022-06-18 15:00:44.103");
    EQ("SELECT from_iso8601_timestamp('2022-06-18T17:00:44.103+02:00')", "2022-06-18 15:00:44.103");
    EQ("SELECT from_iso8601_timestamp('2022-06-18T10:30:00-0530')", "2022-06-18 16:00:00.000");
    EQ("SELECT from_iso8601_timestamp('2022-06-18T00:30:00+01')", "2022-06-17 23:30:00.000");
    EQ("SELECT from_iso8601_timestamp('2022-06-18')", "2022-06-18 00:00:00.000");
    EQ("SELECT from_iso8601_timestamp(NULL)", "NULL");
    EQ("SELECT from_iso8601_timestamp('2022-06-18T15:00:44+25:00')",
       "ERR: from_iso8601_timestamp: invalid timestamp '2022-06-18T15:00:44+25:00' (expected 'YYYY-MM-DD "
       "HH:MM:SS.mmm', 'YYYY-MM-DD' or ISO 8601, years 0 to 999999)");
    EQ("SELECT to_iso8601('2022-06-18 15:00:44.103')", "2022-06-18T15:00:44.103Z");
    EQ("SELECT to_iso8601('2022-06-18')", "2022-06-18");
    EQ("SELECT to_iso8601(from_iso8601_timestamp('2022-06-18T23:00:00-01:00'))", "2022-06-19T00:00:00.000Z");
    EQ("SELECT to_iso8601(NULL)", "NULL");
    EQ("SELECT to_iso8601(3.5)", "ERR: to_iso8601: expected a timestamp, got 3.5 (epoch seconds? use "
                                 "from_unixtime(x))");
}

static void test_now(void **state)
{
    sqlite3 *db = *state;
    int64_t ms, t0 = (int64_t)time(NULL) * 1000;
    const char *s = q(db, "SELECT now()");
    assert_int_equal(strlen(s), 23);
    assert_int_equal(lh_parse_timestamp_ms(s, strlen(s), &ms), 0);
    assert_true(ms >= t0 - 2000 && ms <= t0 + 5000);
    EQ("SELECT typeof(now())", "text");
    /* deterministic functions are allowed in index expressions, now() is not */
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE ev(ts TEXT)", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE INDEX ev_day ON ev(date_trunc('day', ts))", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "CREATE INDEX ev_now ON ev(date_diff('day', ts, now()))", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_non_null(strstr(sqlite3_errmsg(db), "non-deterministic"));
    assert_int_equal(sqlite3_exec(db, "DROP TABLE ev", NULL, NULL, NULL), SQLITE_OK);
}

static void test_strpos_split_part(void **state)
{
    sqlite3 *db = *state;
    EQ("SELECT strpos('Santosh.Clayton@test.com', '@')", "16");
    EQ("SELECT strpos('abc', 'x')", "0");
    EQ("SELECT strpos('abc', '')", "1");
    EQ("SELECT strpos('héllo wörld', 'wö')", "7"); /* characters, not bytes */
    EQ("SELECT strpos('aXbXc', 'X', 2)", "4");
    EQ("SELECT strpos('aXbXc', 'X', 3)", "0");
    EQ("SELECT strpos('aXbXc', 'X', -1)", "4");
    EQ("SELECT strpos('aaa', 'aa', 2)", "2");
    EQ("SELECT strpos('aXbXc', 'X', 0)", "ERR: strpos: the instance must be a positive or negative number, got 0");
    EQ("SELECT strpos(NULL, 'a')", "NULL");
    EQ("SELECT split_part('Santosh.Clayton@test.com', '@', 2)", "test.com");
    EQ("SELECT split_part('a,b,,c', ',', 3)", "");
    EQ("SELECT split_part('a,b,,c', ',', 4)", "c");
    EQ("SELECT split_part('a,b,,c', ',', 5)", "NULL");
    EQ("SELECT split_part('a::b::c', '::', 2)", "b");
    EQ("SELECT split_part('ñandú', '', 2)", "a");
    EQ("SELECT split_part('ñandú', '', 5)", "ú");
    EQ("SELECT split_part('ñandú', '', 6)", "NULL");
    EQ("SELECT split_part('abc', ',', 1)", "abc");
    EQ("SELECT split_part('abc', NULL, 1)", "NULL");
    EQ("SELECT split_part('abc', ',', 0)", "ERR: split_part: the index must be greater than zero, got 0");
    EQ("SELECT split_part('abc', ',', 'x')", "ERR: split_part: the index must be a whole number, got 'x'");
}

static void test_regexp_like(void **state)
{
    sqlite3 *db = *state;
    EQ("SELECT regexp_like('Santosh.Clayton@test.com', '@test\\.com$')", "1");
    EQ("SELECT regexp_like('abc', '^b')", "0");
    EQ("SELECT regexp_like('abc', 'b')", "1"); /* a search, not a full match */
    EQ("SELECT regexp_like('2022-06-18', '^[0-9]{4}-[0-9]{2}-[0-9]{2}$')", "1");
    EQ("SELECT regexp_like(NULL, 'a')", "NULL");
    EQ("SELECT regexp_like('a', NULL)", "NULL");
    EQ("SELECT regexp_like('abc', '(')", "ERR: regexp_like: invalid pattern '(': Unmatched ( or \\(");
    /* the compiled pattern is cached across rows */
    EQ("WITH t(s) AS (VALUES ('a1'), ('bb'), ('c3'), ('d4')) SELECT sum(regexp_like(s, '[0-9]$')) FROM t", "3");
    EQ("WITH t(s, p) AS (VALUES ('a1', '1'), ('bb', 'c'), ('c3', 'c')) SELECT sum(regexp_like(s, p)) FROM t", "2");
}

static void test_pad_reverse_starts_with(void **state)
{
    sqlite3 *db = *state;
    EQ("SELECT lpad('7', 3, '0')", "007");
    EQ("SELECT rpad('ab', 7, 'xyz')", "abxyzxy");
    EQ("SELECT lpad('ab', 7, 'xyz')", "xyzxyab");
    EQ("SELECT lpad('hello', 3, '*')", "hel"); /* truncates, as Trino */
    EQ("SELECT rpad('hello', 3, '*')", "hel");
    EQ("SELECT lpad('hello', 0, '*')", "");
    EQ("SELECT lpad('é', 3, 'ü')", "üüé");
    EQ("SELECT rpad('日本', 5, '語x')", "日本語x語");
    EQ("SELECT lpad('日本語', 2, '-')", "日本");
    EQ("SELECT lpad(NULL, 3, '0')", "NULL");
    EQ("SELECT lpad('a', NULL, '0')", "NULL");
    EQ("SELECT lpad('a', 3, '')", "ERR: lpad: the padding string must not be empty");
    EQ("SELECT rpad('abc', 2, '')", "ERR: rpad: the padding string must not be empty"); /* checked first */
    EQ("SELECT rpad('a', -1, 'x')", "ERR: rpad: the target length must be in the range [0..2147483647], got -1");
    EQ("SELECT length(rpad('', 100000, 'ab'))", "100000");
    EQ("SELECT reverse('abc')", "cba");
    EQ("SELECT reverse('')", "");
    EQ("SELECT reverse('añb日')", "日bña");
    EQ("SELECT reverse(123)", "321");
    EQ("SELECT reverse(NULL)", "NULL");
    EQ("SELECT starts_with('Santosh.Clayton@test.com', 'Santosh')", "1");
    EQ("SELECT starts_with('abc', 'abcd')", "0");
    EQ("SELECT starts_with('abc', '')", "1");
    EQ("SELECT starts_with(NULL, 'a')", "NULL");
}

static void test_concat_ws(void **state)
{
    sqlite3 *db = *state;
    EQ("SELECT concat_ws(',', 'a', 'b', 'c')", "a,b,c");
    EQ("SELECT concat_ws(',', 'a', NULL, 'c')", "a,c");
    EQ("SELECT concat_ws(',', NULL, NULL)", "");
    EQ("SELECT concat_ws(' - ', 'x', 1, 2.5)", "x - 1 - 2.5");
    EQ("SELECT concat_ws(NULL, 'a', 'b')", "NULL");
    EQ("SELECT concat_ws('', 'a', 'b')", "ab");
    EQ("SELECT concat_ws(',')", "ERR: concat_ws: expects a separator and at least one value");
}

static void test_greatest_least(void **state)
{
    sqlite3 *db = *state;
    EQ("SELECT greatest(1, 5, 3)", "5");
    EQ("SELECT least(1, 5, 3)", "1");
    EQ("SELECT greatest(2, 10)", "10"); /* numerically, not as text */
    EQ("SELECT greatest('2', '10')", "2"); /* text as text */
    EQ("SELECT greatest(1, 2.5)", "2.5");
    EQ("SELECT greatest(3, 2.5)", "3.0"); /* mixed: REAL, as Trino's common type */
    assert_int_equal(qtype(db, "SELECT greatest(3, 2)"), SQLITE_INTEGER);
    EQ("SELECT least(9007199254740993, 9007199254740992.0)", "9.00719925474099e+15");
    EQ("SELECT greatest(9007199254740993, 9007199254740992.0)", "9.00719925474099e+15");
    EQ("SELECT greatest(9007199254740993, 9007199254740992)", "9007199254740993");
    EQ("SELECT greatest('2022-06-18 15:00:44.103', '2022-06-18 09:00:00.000')", "2022-06-18 15:00:44.103");
    EQ("SELECT least('b', 'a', 'c')", "a");
    EQ("SELECT greatest(7)", "7");
    EQ("SELECT greatest(1, NULL, 3)", "NULL");
    EQ("SELECT least(NULL)", "NULL");
    EQ("SELECT greatest()", "ERR: greatest: expects at least one argument");
    EQ("SELECT least(1, 'a')", "ERR: least: cannot compare the number 1 with the text 'a' (CAST one of them)");
}

static void test_nomem(void **state)
{
    sqlite3 *db = *state;
    lh_fault_alloc_set(1);
    assert_string_equal(q(db, "SELECT reverse('abc')"), "ERR: out of memory");
    assert_string_equal(q(db, "SELECT lpad('a', 5, 'x')"), "ERR: out of memory");
    assert_string_equal(q(db, "SELECT concat_ws(',', 'a', 'b')"), "ERR: out of memory");
    assert_string_equal(q(db, "SELECT regexp_like('a', 'z+')"), "ERR: out of memory");
    assert_string_equal(q(db, "SELECT date_format('2022-06-18', '%Y')"), "ERR: out of memory");
    lh_fault_alloc_set(0);
    EQ("SELECT reverse('abc')", "cba");
}

/* The STEDI accelerometer data: timestamps are epoch MILLISECONDS. */
static void test_stedi_accelerometer(void **state)
{
    sqlite3 *db = *state;
    char path[4096], line[512];
    const char *dir = lh_test_stedi_dir();
    sqlite3_stmt *st = NULL;
    FILE *f;
    int rows = 0;
    LH_TEST_NEED("stedi", "accelerometer/landing/accelerometer-1691348231445.json");
    snprintf(path, sizeof path, "%s/accelerometer/landing/accelerometer-1691348231445.json", dir);
    f = fopen(path, "r");
    assert_non_null(f);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE accelerometer_landing(user TEXT, timestamp INTEGER, x REAL)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "INSERT INTO accelerometer_landing SELECT json_extract(?1, '$.user'), "
                                        "json_extract(?1, '$.timestamp'), json_extract(?1, '$.x')",
                                        -1, &st, NULL),
                     SQLITE_OK);
    while (rows < 3 && fgets(line, sizeof line, f)) {
        sqlite3_bind_text(st, 1, line, -1, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
        rows++;
    }
    sqlite3_finalize(st);
    fclose(f);
    assert_int_equal(rows, 3);
    EQ("SELECT group_concat(t, '|') FROM (SELECT from_unixtime(timestamp / 1000.0) AS t FROM "
       "accelerometer_landing LIMIT 3)",
       "2022-06-18 15:00:44.103|2022-06-18 15:00:40.170|2022-06-18 15:00:40.170");
    EQ("SELECT from_unixtime(timestamp) FROM accelerometer_landing LIMIT 1", "54432-09-30 12:15:03.000");
    EQ("SELECT date_format(timestamp, '%Y') FROM accelerometer_landing LIMIT 1",
       "ERR: date_format: expected a timestamp, got 1655564444103 (epoch milliseconds? use from_unixtime(x / "
       "1000.0))");
    EQ("SELECT date_format(from_unixtime(timestamp / 1000.0), '%Y-%m-%d %H:%i') FROM accelerometer_landing "
       "LIMIT 1",
       "2022-06-18 15:00");
    assert_int_equal(sqlite3_exec(db, "DROP TABLE accelerometer_landing", NULL, NULL, NULL), SQLITE_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_register),
        cmocka_unit_test(test_from_unixtime),
        cmocka_unit_test(test_to_unixtime),
        cmocka_unit_test(test_date_format),
        cmocka_unit_test(test_date_parse),
        cmocka_unit_test(test_date_trunc),
        cmocka_unit_test(test_date_add),
        cmocka_unit_test(test_date_diff),
        cmocka_unit_test(test_iso8601),
        cmocka_unit_test(test_now),
        cmocka_unit_test(test_strpos_split_part),
        cmocka_unit_test(test_regexp_like),
        cmocka_unit_test(test_pad_reverse_starts_with),
        cmocka_unit_test(test_concat_ws),
        cmocka_unit_test(test_greatest_least),
        cmocka_unit_test(test_nomem),
        cmocka_unit_test(test_stedi_accelerometer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
