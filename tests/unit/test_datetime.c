/* tests/unit/test_datetime.c — dates, timestamps, zones, intervals, formats.
 * References (Trino docs): language/types.md (date/time types, literals),
 * functions/datetime.md (operators table, AT TIME ZONE, date_trunc table,
 * date_add/date_diff examples, MySQL specifier table, extraction functions);
 * Joda-Time's field rules that Trino's functions use (month-end clamping,
 * differences); RFC 8536 (TZif) for the zone files. */
#include "testutil.h"

#include <pthread.h>

#include "exec/datetime.h"
#include "util/mem.h"

static char g_out[1200];

static int32_t D(const char *s)
{
    int32_t d;
    lh_err err;
    if (lh_date_parse(s, strlen(s), LH_DT_LITERAL, &d, &err))
        fail_msg("date %s: %s", s, err.msg);
    return d;
}

/* TIMESTAMP literal -> micros (wall clock, or UTC when zoned). */
static int64_t TS(const char *s)
{
    lh_sqltype t;
    int64_t us;
    lh_zone z;
    lh_err err;
    if (lh_timestamp_literal(s, strlen(s), &t, &us, &z, &err))
        fail_msg("timestamp %s: %s", s, err.msg);
    return us;
}

static lh_tstz TZ(const char *s)
{
    lh_sqltype t;
    lh_tstz r;
    lh_err err;
    if (lh_timestamp_literal(s, strlen(s), &t, &r.utc_us, &r.zone, &err))
        fail_msg("timestamp %s: %s", s, err.msg);
    if (t.id != LH_SQL_TIMESTAMP_TZ)
        fail_msg("%s has no zone", s);
    return r;
}

static const char *fd(int32_t d)
{
    lh_date_format(d, g_out, sizeof g_out);
    return g_out;
}

static const char *fts(int64_t us, int p)
{
    lh_timestamp_format(us, p, g_out, sizeof g_out);
    return g_out;
}

static const char *ftz(lh_tstz t, int p)
{
    lh_tstz_format(t, p, g_out, sizeof g_out);
    return g_out;
}

/* The literal's type and its printed value at that type. */
static const char *lit(const char *s)
{
    lh_sqltype t;
    int64_t us;
    lh_zone z;
    lh_err err;
    char tn[LH_SQLTYPE_NAME_MAX], v[600];
    lh_rc rc = lh_timestamp_literal(s, strlen(s), &t, &us, &z, &err);
    if (rc) {
        snprintf(g_out, sizeof g_out, "ERR %d: %s", (int)rc, err.msg);
        return g_out;
    }
    if (t.id == LH_SQL_TIMESTAMP_TZ) {
        lh_tstz x = {us, z};
        lh_tstz_format(x, t.p, v, sizeof v);
    } else
        lh_timestamp_format(us, t.p, v, sizeof v);
    snprintf(g_out, sizeof g_out, "%s | %s", lh_sqltype_name(t, tn, sizeof tn), v);
    return g_out;
}

static lh_dt_unit U(const char *s)
{
    lh_dt_unit u;
    lh_err err;
    assert_int_equal(lh_dt_unit_parse(s, strlen(s), LH_SQL_TIMESTAMP, &u, &err), LH_OK);
    return u;
}

/* ---- dates ---- */

static void test_dates(void **state)
{
    int32_t d;
    lh_err err;
    (void)state;
    assert_int_equal(D("1970-01-01"), 0);
    assert_int_equal(D("1969-12-31"), -1);
    assert_int_equal(D("2022-06-18"), 19161);
    assert_int_equal(D("0001-01-01"), -719162);
    assert_string_equal(fd(D("2022-6-1")), "2022-06-01");
    assert_string_equal(fd(19161), "2022-06-18");
    assert_string_equal(fd(D("-0001-12-31")), "-0001-12-31");
    assert_string_equal(fd(D("0000-02-29")), "0000-02-29"); /* year 0 is a leap year (ISO chronology) */
    /* leap years: 2000 and 2024 are, 1900 and 2023 are not */
    assert_string_equal(fd(D("2000-02-29")), "2000-02-29");
    assert_string_equal(fd(D("2024-02-29")), "2024-02-29");
    assert_int_equal(lh_date_parse("1900-02-29", 10, LH_DT_LITERAL, &d, &err), LH_EDATA);
    assert_string_equal(err.msg, "'1900-02-29' is not a valid DATE literal");
    assert_int_equal(lh_date_parse("2023-02-29", 10, LH_DT_CAST, &d, &err), LH_EDATA);
    assert_string_equal(err.msg, "Value cannot be cast to date: 2023-02-29");
    assert_int_equal(lh_date_parse("abc", 3, LH_DT_CAST, &d, &err), LH_EDATA);
    assert_string_equal(err.msg, "Value cannot be cast to date: abc");
    assert_int_equal(lh_date_parse(" 2022-01-01 ", 12, LH_DT_CAST, &d, &err), LH_OK);
    assert_int_equal(lh_date_parse(" 2022-01-01", 11, LH_DT_LITERAL, &d, &err), LH_EDATA);
    assert_int_equal(lh_date_parse("2022-13-01", 10, LH_DT_LITERAL, &d, &err), LH_EDATA);
    assert_int_equal(lh_date_parse("2022-04-31", 10, LH_DT_LITERAL, &d, &err), LH_EDATA);
    assert_int_equal(lh_date_parse("22-04-01", 8, LH_DT_LITERAL, &d, &err), LH_EDATA);
    assert_int_equal(lh_date_parse("2022-04-01x", 11, LH_DT_LITERAL, &d, &err), LH_EDATA);
}

/* types.md: a TIMESTAMP literal's precision is the number of fraction digits written. */
static void test_timestamp_literals(void **state)
{
    (void)state;
    assert_string_equal(lit("2022-06-18 14:30:00"), "timestamp(0) | 2022-06-18 14:30:00");
    assert_string_equal(lit("2022-06-18 14:30:00.123"), "timestamp(3) | 2022-06-18 14:30:00.123");
    assert_string_equal(lit("2022-06-18 14:30:00.1"), "timestamp(1) | 2022-06-18 14:30:00.1");
    assert_string_equal(lit("2022-06-18 14:30:00.123456"), "timestamp(6) | 2022-06-18 14:30:00.123456");
    assert_string_equal(lit("2022-06-18 14:30"), "timestamp(0) | 2022-06-18 14:30:00");
    assert_string_equal(lit("2022-06-18"), "timestamp(0) | 2022-06-18 00:00:00");
    assert_string_equal(lit("2022-6-8 4:05:06"), "timestamp(0) | 2022-06-08 04:05:06");
    assert_string_equal(lit("2022-06-18 14:30:00 UTC"), "timestamp(0) with time zone | 2022-06-18 14:30:00 UTC");
    assert_string_equal(lit("2022-06-18 14:30:00.000 America/New_York"),
                        "timestamp(3) with time zone | 2022-06-18 14:30:00.000 America/New_York");
    assert_string_equal(lit("2022-06-18 14:30:00+02:00"), "timestamp(0) with time zone | 2022-06-18 14:30:00 +02:00");
    assert_string_equal(lit("2022-06-18 14:30:00 -05:30"), "timestamp(0) with time zone | 2022-06-18 14:30:00 -05:30");
    assert_string_equal(lit("2022-06-18 14:30:00 +00:00"), "timestamp(0) with time zone | 2022-06-18 14:30:00 UTC");
    assert_string_equal(lit("2022-06-18 14:30:00 Z"), "timestamp(0) with time zone | 2022-06-18 14:30:00 UTC");
    assert_true(strncmp(lit("2022-06-18 14:30:00.123456789"), "ERR 9: TIMESTAMP '2022-06-18 14:30:00.123456789' has 9",
                        54) == 0);
    assert_string_equal(lit("2022-06-18 14:30:00.1234567890123"),
                        "ERR 10: '2022-06-18 14:30:00.1234567890123' is not a valid TIMESTAMP literal");
    assert_string_equal(lit("2022-06-18 24:00:00"), "ERR 10: '2022-06-18 24:00:00' is not a valid TIMESTAMP literal");
    assert_string_equal(lit("2022-06-18T14:30:00"), "ERR 10: '2022-06-18T14:30:00' is not a valid TIMESTAMP literal");
    assert_string_equal(lit("2022-06-18 14:30:00 Mars/Olympus"), "ERR 10: Time zone not supported: Mars/Olympus");
    assert_string_equal(lit("2022-06-18 14:30:00 ../../etc/passwd"),
                        "ERR 10: Time zone not supported: ../../etc/passwd");
    assert_string_equal(lit("2022-06-18 14:30:00 +15:00"), "ERR 10: Time zone not supported: +15:00");
    /* the UTC instant of a zoned literal */
    assert_true(TZ("2022-06-18 14:30:00 UTC").utc_us == 1655562600LL * LH_US_PER_SEC);
    assert_true(TZ("2022-06-18 16:30:00 +02:00").utc_us == 1655562600LL * LH_US_PER_SEC);
    assert_true(TZ("2022-06-18 10:30:00 America/New_York").utc_us == 1655562600LL * LH_US_PER_SEC);
}

/* CAST(varchar AS timestamp(p)) rounds HALF_UP to p; epoch boundary. */
static void test_timestamp_casts(void **state)
{
    int64_t us;
    lh_tstz t;
    lh_err err;
    (void)state;
    assert_int_equal(lh_timestamp_cast("2022-06-18 14:30:00.1235", 24, 3, &us, &err), LH_OK);
    assert_string_equal(fts(us, 3), "2022-06-18 14:30:00.124");
    assert_int_equal(lh_timestamp_cast("2022-06-18 23:59:59.9995", 24, 3, &us, &err), LH_OK);
    assert_string_equal(fts(us, 3), "2022-06-19 00:00:00.000");
    assert_int_equal(lh_timestamp_cast("2022-06-18 14:30:59.5", 21, 0, &us, &err), LH_OK);
    assert_string_equal(fts(us, 0), "2022-06-18 14:31:00");
    assert_int_equal(lh_timestamp_cast("2022-06-18 14:30:00.123456789", 29, 6, &us, &err), LH_OK);
    assert_string_equal(fts(us, 6), "2022-06-18 14:30:00.123457");
    assert_int_equal(lh_timestamp_cast(" 2022-06-18 ", 12, 3, &us, &err), LH_OK);
    assert_string_equal(fts(us, 3), "2022-06-18 00:00:00.000");
    assert_int_equal(lh_timestamp_cast("2022-06-18 14:30:00 UTC", 23, 3, &us, &err), LH_EDATA);
    assert_string_equal(err.msg, "Value cannot be cast to timestamp: 2022-06-18 14:30:00 UTC");
    assert_int_equal(lh_timestamp_cast("971-", 4, 3, &us, &err), LH_EDATA);
    assert_int_equal(lh_tstz_cast("2022-06-18 14:30:00", 19, 3, LH_ZONE_UTC, &t, &err), LH_OK);
    assert_string_equal(ftz(t, 3), "2022-06-18 14:30:00.000 UTC");
    assert_int_equal(lh_tstz_cast("2022-06-18 14:30:00 Europe/Berlin", 33, 3, LH_ZONE_UTC, &t, &err), LH_OK);
    assert_string_equal(ftz(t, 3), "2022-06-18 14:30:00.000 Europe/Berlin");
    assert_true(t.utc_us == (1655562600LL - 2 * 3600) * LH_US_PER_SEC);
    /* epoch boundaries */
    us = TS("1969-12-31 23:59:59.999");
    assert_true(us == -1000);
    assert_string_equal(fts(us, 3), "1969-12-31 23:59:59.999");
    assert_string_equal(fts(-1, 6), "1969-12-31 23:59:59.999999");
    assert_string_equal(fts(0, 3), "1970-01-01 00:00:00.000");
    assert_true(lh_ts_round(-1, 3) == 0);
    assert_true(lh_ts_round(-500, 3) == 0);
    assert_true(lh_ts_round(-501, 3) == -1000);
    assert_true(lh_ts_round(1499999, 0) == 1000000);
    assert_true(lh_ts_round(1500000, 0) == 2000000);
    assert_int_equal(lh_ts_to_date(-1), -1);
    assert_true(lh_date_to_ts(1) == LH_US_PER_DAY);
}

static void test_time(void **state)
{
    int64_t us;
    int p;
    lh_err err;
    (void)state;
    assert_int_equal(lh_time_parse("14:30", 5, LH_DT_LITERAL, &p, &us, &err), LH_OK);
    assert_int_equal(p, 0);
    lh_time_format(us, p, g_out, sizeof g_out);
    assert_string_equal(g_out, "14:30:00");
    assert_int_equal(lh_time_parse("01:02:03.456", 12, LH_DT_LITERAL, &p, &us, &err), LH_OK);
    assert_int_equal(p, 3);
    lh_time_format(us, p, g_out, sizeof g_out);
    assert_string_equal(g_out, "01:02:03.456");
    assert_int_equal(lh_time_parse("25:00", 5, LH_DT_LITERAL, &p, &us, &err), LH_EDATA);
    assert_string_equal(err.msg, "'25:00' is not a valid TIME literal");
    assert_int_equal(lh_time_parse("x", 1, LH_DT_CAST, NULL, &us, &err), LH_EDATA);
    assert_string_equal(err.msg, "Value cannot be cast to time: x");
}

/* functions/datetime.md "Date and time operators" table, row by row. */
static void test_operators_table(void **state)
{
    int32_t d;
    int64_t us, iv, iv2;
    int32_t m, m2;
    int p;
    lh_err err;
    (void)state;
#define IV(s, f, t) (assert_int_equal(lh_interval_literal(s, strlen(s), 0, f, t, &iv, &m, &err), LH_OK))
    IV("2", LH_F_DAY, LH_F_DAY);
    assert_int_equal(lh_date_plus_ds(D("2012-08-08"), iv, &d, &err), LH_OK);
    assert_string_equal(fd(d), "2012-08-10");
    assert_int_equal(lh_date_plus_ds(D("2012-08-08"), -iv, &d, &err), LH_OK);
    assert_string_equal(fd(d), "2012-08-06");
    IV("3", LH_F_HOUR, LH_F_HOUR);
    assert_int_equal(lh_time_parse("01:00", 5, LH_DT_LITERAL, &p, &us, &err), LH_OK);
    lh_time_format(lh_time_plus_ds(us, iv), 3, g_out, sizeof g_out);
    assert_string_equal(g_out, "04:00:00.000");
    lh_time_format(lh_time_plus_ds(us, -iv), 3, g_out, sizeof g_out);
    assert_string_equal(g_out, "22:00:00.000");
    IV("29", LH_F_HOUR, LH_F_HOUR);
    assert_int_equal(lh_ts_plus_ds(TS("2012-08-08 01:00"), iv, &us, &err), LH_OK);
    assert_string_equal(fts(us, 3), "2012-08-09 06:00:00.000");
    assert_int_equal(lh_ts_plus_ds(TS("2012-08-08 01:00"), -iv, &us, &err), LH_OK);
    assert_string_equal(fts(us, 3), "2012-08-06 20:00:00.000");
    IV("1", LH_F_MONTH, LH_F_MONTH);
    assert_int_equal(lh_ts_plus_ym(TS("2012-10-31 01:00"), m, &us, &err), LH_OK);
    assert_string_equal(fts(us, 3), "2012-11-30 01:00:00.000");
    assert_int_equal(lh_ts_plus_ym(TS("2012-10-31 01:00"), -m, &us, &err), LH_OK);
    assert_string_equal(fts(us, 3), "2012-09-30 01:00:00.000");
    IV("2", LH_F_DAY, LH_F_DAY);
    iv2 = iv;
    IV("3", LH_F_HOUR, LH_F_HOUR);
    lh_interval_ds_format(iv2 + iv, g_out, sizeof g_out);
    assert_string_equal(g_out, "2 03:00:00.000");
    lh_interval_ds_format(iv2 - iv, g_out, sizeof g_out);
    assert_string_equal(g_out, "1 21:00:00.000");
    IV("3", LH_F_YEAR, LH_F_YEAR);
    m2 = m;
    IV("5", LH_F_MONTH, LH_F_MONTH);
    lh_interval_ym_format(m2 + m, g_out, sizeof g_out);
    assert_string_equal(g_out, "3-5");
    lh_interval_ym_format(m2 - m, g_out, sizeof g_out);
    assert_string_equal(g_out, "2-7");
    /* a date takes whole days only */
    IV("3", LH_F_HOUR, LH_F_HOUR);
    assert_int_equal(lh_date_plus_ds(D("2012-08-08"), iv, &d, &err), LH_EDATA);
    assert_string_equal(err.msg, "Cannot add hour, minutes or seconds to a date");
    assert_int_equal(lh_date_plus_ym(D("2024-01-31"), 1, &d, &err), LH_OK);
    assert_string_equal(fd(d), "2024-02-29");
#undef IV
}

static void test_intervals(void **state)
{
    int64_t us = 0;
    int32_t m = 0;
    lh_err err;
    (void)state;
#define IL(s, neg, f, t) lh_interval_literal(s, strlen(s), neg, f, t, &us, &m, &err)
    assert_int_equal(IL("2 03:04:05.123", 0, LH_F_DAY, LH_F_SECOND), LH_OK);
    lh_interval_ds_format(us, g_out, sizeof g_out);
    assert_string_equal(g_out, "2 03:04:05.123");
    assert_int_equal(IL("1.5", 0, LH_F_SECOND, LH_F_SECOND), LH_OK);
    assert_true(us == 1500000);
    assert_int_equal(IL("90", 1, LH_F_MINUTE, LH_F_MINUTE), LH_OK);
    lh_interval_ds_format(us, g_out, sizeof g_out);
    assert_string_equal(g_out, "-0 01:30:00.000");
    assert_int_equal(IL("-2", 0, LH_F_DAY, LH_F_DAY), LH_OK);
    assert_true(us == -2 * LH_US_PER_DAY);
    assert_int_equal(IL("10:30", 0, LH_F_HOUR, LH_F_MINUTE), LH_OK);
    assert_true(us == 10 * LH_US_PER_HOUR + 30 * LH_US_PER_MIN);
    assert_int_equal(IL("1-2", 0, LH_F_YEAR, LH_F_MONTH), LH_OK);
    assert_int_equal(m, 14);
    lh_interval_ym_format(m, g_out, sizeof g_out);
    assert_string_equal(g_out, "1-2");
    lh_interval_ym_format(-14, g_out, sizeof g_out);
    assert_string_equal(g_out, "-1-2");
    lh_interval_ym_format(0, g_out, sizeof g_out);
    assert_string_equal(g_out, "0-0");
    assert_int_equal(IL("3", 0, LH_F_YEAR, LH_F_YEAR), LH_OK);
    assert_int_equal(m, 36);
    assert_int_equal(IL("x", 0, LH_F_DAY, LH_F_DAY), LH_EDATA);
    assert_string_equal(err.msg, "Invalid INTERVAL DAY value: x");
    assert_int_equal(IL("2.5", 0, LH_F_DAY, LH_F_DAY), LH_EDATA);
    assert_int_equal(IL("1 25", 0, LH_F_DAY, LH_F_HOUR), LH_EDATA);
    assert_string_equal(err.msg, "Invalid INTERVAL DAY TO HOUR value: 1 25");
    assert_int_equal(IL("1-12", 0, LH_F_YEAR, LH_F_MONTH), LH_EDATA);
    assert_int_equal(IL("1", 0, LH_F_MONTH, LH_F_YEAR), LH_EPARSE);
    assert_int_equal(IL("1", 0, LH_F_YEAR, LH_F_DAY), LH_EPARSE);
    lh_interval_ds_format(-(LH_US_PER_DAY + 21 * LH_US_PER_HOUR), g_out, sizeof g_out);
    assert_string_equal(g_out, "-1 21:00:00.000");
#undef IL
}

/* functions/datetime.md "Truncation function" table on 2001-08-22 03:04:05.321. */
static void test_trunc(void **state)
{
    int64_t t = TS("2001-08-22 03:04:05.321");
    lh_tstz z;
    (void)state;
    assert_string_equal(fts(lh_ts_trunc(U("second"), t), 3), "2001-08-22 03:04:05.000");
    assert_string_equal(fts(lh_ts_trunc(U("minute"), t), 3), "2001-08-22 03:04:00.000");
    assert_string_equal(fts(lh_ts_trunc(U("hour"), t), 3), "2001-08-22 03:00:00.000");
    assert_string_equal(fts(lh_ts_trunc(U("day"), t), 3), "2001-08-22 00:00:00.000");
    assert_string_equal(fts(lh_ts_trunc(U("week"), t), 3), "2001-08-20 00:00:00.000");
    assert_string_equal(fts(lh_ts_trunc(U("month"), t), 3), "2001-08-01 00:00:00.000");
    assert_string_equal(fts(lh_ts_trunc(U("quarter"), t), 3), "2001-07-01 00:00:00.000");
    assert_string_equal(fts(lh_ts_trunc(U("year"), t), 3), "2001-01-01 00:00:00.000");
    assert_string_equal(fts(lh_ts_trunc(U("millisecond"), TS("2001-08-22 03:04:05.321987")), 6),
                        "2001-08-22 03:04:05.321000");
    /* the docs' date_trunc examples */
    assert_string_equal(fts(lh_ts_trunc(U("day"), TS("2022-10-20 05:10:00")), 3), "2022-10-20 00:00:00.000");
    assert_string_equal(fts(lh_ts_trunc(U("month"), TS("2022-10-20 05:10:00")), 3), "2022-10-01 00:00:00.000");
    assert_string_equal(fts(lh_ts_trunc(U("year"), TS("2022-10-20 05:10:00")), 3), "2022-01-01 00:00:00.000");
    /* dates and the epoch's week (1970-01-01 was a Thursday) */
    assert_string_equal(fd(lh_date_trunc(U("week"), 0)), "1969-12-29");
    assert_string_equal(fd(lh_date_trunc(U("quarter"), D("2022-12-31"))), "2022-10-01");
    assert_string_equal(fts(lh_ts_trunc(U("hour"), TS("1969-12-31 23:59:59.999")), 3), "1969-12-31 23:00:00.000");
    /* with a zone: day trunc on the wall clock, DST day included */
    z = lh_tstz_trunc(U("day"), TZ("2022-11-06 23:00:00 America/New_York"));
    assert_string_equal(ftz(z, 3), "2022-11-06 00:00:00.000 America/New_York");
    assert_true(z.utc_us == (1667714400LL - 6 * 3600 + 4 * 3600) * LH_US_PER_SEC); /* midnight EDT = 04:00Z */
    z = lh_tstz_trunc(U("hour"), TZ("2022-06-18 14:30:00 +05:30"));
    assert_string_equal(ftz(z, 0), "2022-06-18 14:00:00 +05:30");
}

/* date_add examples from functions/datetime.md, then Joda's month-end clamping. */
static void test_date_add(void **state)
{
    int64_t us;
    int32_t d;
    lh_tstz z;
    lh_err err;
    (void)state;
    assert_int_equal(lh_ts_add(U("second"), 86, TS("2020-03-01 00:00:00"), &us, &err), LH_OK);
    assert_string_equal(fts(us, 3), "2020-03-01 00:01:26.000");
    assert_int_equal(lh_ts_add(U("hour"), 9, TS("2020-03-01 00:00:00"), &us, &err), LH_OK);
    assert_string_equal(fts(us, 3), "2020-03-01 09:00:00.000");
    assert_int_equal(lh_tstz_add(U("day"), -1, TZ("2020-03-01 00:00:00 UTC"), &z, &err), LH_OK);
    assert_string_equal(ftz(z, 3), "2020-02-29 00:00:00.000 UTC");
#define DADD(u, n, s) (assert_int_equal(lh_date_add(U(u), n, D(s), &d, &err), LH_OK), fd(d))
    assert_string_equal(DADD("month", 1, "2022-01-31"), "2022-02-28");
    assert_string_equal(DADD("month", 1, "2024-01-31"), "2024-02-29");
    assert_string_equal(DADD("month", 1, "2000-01-31"), "2000-02-29");
    assert_string_equal(DADD("month", 1, "1900-01-31"), "1900-02-28");
    assert_string_equal(DADD("month", -1, "2022-03-31"), "2022-02-28");
    assert_string_equal(DADD("month", 13, "2022-01-31"), "2023-02-28");
    assert_string_equal(DADD("month", -12, "2022-01-15"), "2021-01-15");
    assert_string_equal(DADD("year", 1, "2024-02-29"), "2025-02-28");
    assert_string_equal(DADD("year", 4, "2024-02-29"), "2028-02-29");
    assert_string_equal(DADD("quarter", 1, "2022-11-30"), "2023-02-28");
    assert_string_equal(DADD("week", 1, "2022-12-29"), "2023-01-05");
    assert_string_equal(DADD("day", 1, "1969-12-31"), "1970-01-01");
    assert_string_equal(DADD("day", 366, "2024-01-01"), "2025-01-01");
#undef DADD
    assert_int_equal(lh_date_add(LH_U_HOUR, 1, 0, &d, &err), LH_EDATA);
    assert_string_equal(err.msg, "'hour' is not a valid DATE field");
    assert_int_equal(lh_ts_add(U("second"), INT64_MAX / 2, TS("2020-03-01 00:00:00"), &us, &err), LH_EDATA);
    assert_int_equal(lh_ts_add(U("year"), 1000000, 0, &us, &err), LH_EDATA);
    assert_int_equal(lh_ts_add(U("month"), 1, TS("2022-01-31 23:59:59.999"), &us, &err), LH_OK);
    assert_string_equal(fts(us, 3), "2022-02-28 23:59:59.999");
}

/* date_diff examples from functions/datetime.md, and Joda's month/year differences. */
static void test_date_diff(void **state)
{
    (void)state;
    assert_int_equal(lh_ts_diff(U("second"), TS("2020-03-01 00:00:00"), TS("2020-03-02 00:00:00")), 86400);
    assert_int_equal(lh_tstz_diff(U("hour"), TZ("2020-03-01 00:00:00 UTC"), TZ("2020-03-02 00:00:00 UTC")), 24);
    assert_int_equal(lh_date_diff(U("day"), D("2020-03-01"), D("2020-03-02")), 1);
    assert_int_equal(lh_ts_diff(U("second"), TS("2020-06-01 12:30:45.000000"), TS("2020-06-02 12:30:45.123456")),
                     86400);
    assert_int_equal(
        lh_ts_diff(U("millisecond"), TS("2020-06-01 12:30:45.000000"), TS("2020-06-02 12:30:45.123456")), 86400123);
    /* months: complete when day-of-month and time are reached; month-end clamps */
    assert_int_equal(lh_date_diff(U("month"), D("2022-01-31"), D("2022-02-28")), 1);
    assert_int_equal(lh_date_diff(U("month"), D("2022-01-30"), D("2022-02-28")), 1);
    assert_int_equal(lh_date_diff(U("month"), D("2022-01-28"), D("2022-02-27")), 0);
    assert_int_equal(lh_date_diff(U("month"), D("2022-02-28"), D("2022-01-31")), -1);
    assert_int_equal(lh_date_diff(U("month"), D("2022-01-15"), D("2022-03-14")), 1);
    assert_int_equal(lh_date_diff(U("month"), D("2022-01-15"), D("2022-03-15")), 2);
    assert_int_equal(lh_ts_diff(U("month"), TS("2022-01-15 12:00:00"), TS("2022-02-15 11:59:59")), 0);
    assert_int_equal(lh_date_diff(U("quarter"), D("2022-01-31"), D("2022-04-30")), 1);
    assert_int_equal(lh_date_diff(U("quarter"), D("2022-01-31"), D("2022-04-29")), 0);
    /* years, leap days balanced */
    assert_int_equal(lh_date_diff(U("year"), D("2020-02-29"), D("2021-02-28")), 1);
    assert_int_equal(lh_date_diff(U("year"), D("2020-03-01"), D("2021-02-28")), 0);
    assert_int_equal(lh_date_diff(U("year"), D("2000-01-01"), D("1900-01-01")), -100);
    assert_int_equal(lh_date_diff(U("week"), D("2022-01-01"), D("2022-01-15")), 2);
    assert_int_equal(lh_date_diff(U("week"), D("2022-01-01"), D("2022-01-14")), 1);
    /* truncation toward zero, both directions */
    assert_int_equal(lh_ts_diff(U("day"), TS("2022-01-02 00:00:00"), TS("2022-01-01 12:00:00")), 0);
    assert_int_equal(lh_ts_diff(U("hour"), TS("2022-01-02 00:00:00"), TS("2022-01-01 12:00:00")), -12);
    assert_int_equal(lh_ts_diff(U("second"), TS("1969-12-31 23:59:59.5"), TS("1970-01-01 00:00:00.4")), 0);
}

/* DST: America/New_York 2022-03-13 (02:00 -> 03:00) and 2022-11-06 (02:00 -> 01:00); Europe/Berlin. */
static void test_dst(void **state)
{
    lh_zone ny, be, sy;
    lh_tstz z, r;
    lh_err err;
    (void)state;
    assert_int_equal(lh_zone_lookup("America/New_York", 16, &ny, &err), LH_OK);
    assert_int_equal(lh_zone_lookup("Europe/Berlin", 13, &be, &err), LH_OK);
    assert_int_equal(lh_zone_lookup("Australia/Sydney", 16, &sy, &err), LH_OK);
    assert_int_equal(lh_zone_lookup("America/New_York", 16, &z.zone, &err), LH_OK);
    assert_int_equal(z.zone, ny); /* loaded once */
    lh_zone_name(ny, g_out, sizeof g_out);
    assert_string_equal(g_out, "America/New_York");
    /* offsets on both sides of each change */
    assert_int_equal(lh_zone_offset(ny, 1647154800 - 1), -5 * 3600);
    assert_int_equal(lh_zone_offset(ny, 1647154800), -4 * 3600);
    assert_int_equal(lh_zone_offset(ny, 1667714400 - 1), -4 * 3600);
    assert_int_equal(lh_zone_offset(ny, 1667714400), -5 * 3600);
    assert_int_equal(lh_zone_offset(be, 1648342800 - 1), 3600);
    assert_int_equal(lh_zone_offset(be, 1648342800), 7200);
    assert_int_equal(lh_zone_offset(be, 1667091600 - 1), 7200);
    assert_int_equal(lh_zone_offset(be, 1667091600), 3600);
    /* beyond the file's table: the POSIX footer rule (2040: Mar 11, Nov 4) */
    assert_int_equal(lh_zone_offset(ny, 2215061999), -5 * 3600);
    assert_int_equal(lh_zone_offset(ny, 2215062000), -4 * 3600);
    assert_int_equal(lh_zone_offset(ny, 2235621599), -4 * 3600);
    assert_int_equal(lh_zone_offset(ny, 2235621600), -5 * 3600);
    assert_int_equal(lh_zone_offset(be, 2540246400), 7200);
    assert_int_equal(lh_zone_offset(sy, 2524608000), 11 * 3600); /* southern summer, January */
    assert_int_equal(lh_zone_offset(sy, 2540246400), 10 * 3600);
    /* the gap: 02:30 does not exist and moves forward to 03:30 EDT */
    z = TZ("2022-03-13 02:30:00 America/New_York");
    assert_string_equal(ftz(z, 3), "2022-03-13 03:30:00.000 America/New_York");
    assert_true(z.utc_us == (1647154800LL + 1800) * LH_US_PER_SEC);
    /* one second before the change, plus a second */
    z = TZ("2022-03-13 01:59:59 America/New_York");
    assert_int_equal(lh_tstz_add(LH_U_SECOND, 1, z, &r, &err), LH_OK);
    assert_string_equal(ftz(r, 0), "2022-03-13 03:00:00 America/New_York");
    /* the overlap: 01:30 happens twice; the earlier (EDT) is taken, an hour later is 01:30 EST */
    z = TZ("2022-11-06 01:30:00 America/New_York");
    assert_true(z.utc_us == (1667714400LL - 1800) * LH_US_PER_SEC);
    assert_int_equal(lh_tstz_add(LH_U_HOUR, 1, z, &r, &err), LH_OK);
    assert_string_equal(ftz(r, 0), "2022-11-06 01:30:00 America/New_York");
    assert_true(r.utc_us == (1667714400LL + 1800) * LH_US_PER_SEC);
    /* a day across spring-forward keeps the wall clock: 23 hours */
    z = TZ("2022-03-12 12:00:00 America/New_York");
    assert_int_equal(lh_tstz_add(LH_U_DAY, 1, z, &r, &err), LH_OK);
    assert_string_equal(ftz(r, 0), "2022-03-13 12:00:00 America/New_York");
    assert_int_equal(lh_tstz_diff(LH_U_HOUR, z, r), 23);
    assert_int_equal(lh_tstz_diff(LH_U_DAY, z, r), 1);
    assert_int_equal(lh_tstz_add(LH_U_HOUR, 24, z, &r, &err), LH_OK);
    assert_string_equal(ftz(r, 0), "2022-03-13 13:00:00 America/New_York");
    /* Berlin's overlap (2022-10-30 02:30 happens twice): the earlier, CEST */
    z = TZ("2022-10-30 02:30:00 Europe/Berlin");
    assert_true(z.utc_us == (1667091600LL - 1800) * LH_US_PER_SEC);
    /* AT TIME ZONE (datetime.md): same instant, another zone */
    z = TZ("2012-10-31 01:00 UTC");
    assert_int_equal(lh_zone_lookup("America/Los_Angeles", 19, &z.zone, &err), LH_OK);
    assert_string_equal(ftz(z, 3), "2012-10-30 18:00:00.000 America/Los_Angeles");
    assert_int_equal(lh_zone_lookup("Nowhere/Land", 12, &z.zone, &err), LH_EDATA);
    assert_string_equal(err.msg, "Time zone not supported: Nowhere/Land");
    assert_int_equal(lh_zone_lookup("etc/../../x", 11, &z.zone, &err), LH_EDATA);
    assert_int_equal(lh_zone_lookup("America", 7, &z.zone, &err), LH_EDATA); /* a folder, not a zone */
    assert_int_equal(lh_zone_lookup("zone.tab", 8, &z.zone, &err), LH_EDATA);
    assert_int_equal(lh_zone_lookup("utc", 3, &z.zone, &err), LH_OK);
    assert_int_equal(z.zone, LH_ZONE_UTC);
    assert_int_equal(lh_zone_lookup("-08:00", 6, &z.zone, &err), LH_OK);
    assert_int_equal(lh_zone_offset(z.zone, 0), -8 * 3600);
    assert_int_equal(lh_zone_lookup("+0530", 5, &z.zone, &err), LH_OK);
    lh_zone_name(z.zone, g_out, sizeof g_out);
    assert_string_equal(g_out, "+05:30");
}

/* functions/datetime.md "Convenience extraction functions"; ISO weeks at year ends. */
static void test_fields(void **state)
{
    lh_dt_fields f;
    (void)state;
    lh_dt_fields_of(TS("2022-06-18 14:30:05.123456"), &f);
    assert_int_equal(f.year, 2022);
    assert_int_equal(f.quarter, 2);
    assert_int_equal(f.month, 6);
    assert_int_equal(f.day, 18);
    assert_int_equal(f.hour, 14);
    assert_int_equal(f.minute, 30);
    assert_int_equal(f.second, 5);
    assert_int_equal(f.millisecond, 123);
    assert_int_equal(f.microsecond, 123456);
    assert_int_equal(f.day_of_week, 6); /* Saturday */
    assert_int_equal(f.day_of_year, 169);
    assert_int_equal(f.week, 24);
    assert_int_equal(f.year_of_week, 2022);
#define WK(s, w, y, dow)                                                                                              \
    do {                                                                                                              \
        lh_dt_fields_of(lh_date_to_ts(D(s)), &f);                                                                     \
        assert_int_equal(f.week, w);                                                                                  \
        assert_int_equal(f.year_of_week, y);                                                                          \
        assert_int_equal(f.day_of_week, dow);                                                                         \
    } while (0)
    WK("2021-01-03", 53, 2020, 7);
    WK("2021-01-04", 1, 2021, 1);
    WK("2024-12-30", 1, 2025, 1);
    WK("2026-01-01", 1, 2026, 4);
    WK("2027-01-01", 53, 2026, 5);
    WK("2008-12-29", 1, 2009, 1);
    WK("2010-01-03", 53, 2009, 7);
    WK("2022-06-20", 25, 2022, 1);
#undef WK
    lh_dt_fields_of(lh_date_to_ts(D("2000-12-31")), &f);
    assert_int_equal(f.day_of_year, 366);
    lh_dt_fields_of(lh_date_to_ts(D("1900-12-31")), &f);
    assert_int_equal(f.day_of_year, 365);
    lh_dt_fields_of(lh_date_to_ts(D("2024-12-31")), &f);
    assert_int_equal(f.day_of_year, 366);
    lh_dt_fields_of(TS("1969-12-31 23:59:59.999"), &f);
    assert_int_equal(f.year, 1969);
    assert_int_equal(f.hour, 23);
    assert_int_equal(f.millisecond, 999);
    assert_int_equal(f.day_of_week, 3);
    lh_dt_fields_of(lh_date_to_ts(D("-0001-03-01")), &f);
    assert_int_equal(f.year, -1);
    assert_int_equal(f.month, 3);
    assert_int_equal(f.quarter, 1);
}

static void test_units(void **state)
{
    lh_dt_unit u;
    lh_err err;
    (void)state;
    assert_int_equal(lh_dt_unit_parse("HOUR", 4, LH_SQL_TIMESTAMP, &u, &err), LH_OK);
    assert_int_equal(u, LH_U_HOUR);
    assert_int_equal(lh_dt_unit_parse("hours", 5, LH_SQL_TIMESTAMP, &u, &err), LH_EDATA);
    assert_string_equal(err.msg, "'hours' is not a valid TIMESTAMP field");
    assert_int_equal(lh_dt_unit_parse("hour", 4, LH_SQL_DATE, &u, &err), LH_EDATA);
    assert_string_equal(err.msg, "'hour' is not a valid DATE field");
    assert_int_equal(lh_dt_unit_parse("Quarter", 7, LH_SQL_DATE, &u, &err), LH_OK);
    assert_int_equal(lh_dt_unit_parse("day", 3, LH_SQL_TIME, &u, &err), LH_EDATA);
    assert_string_equal(err.msg, "'day' is not a valid Time field");
}

/* from_unixtime(double) rounds to milliseconds (Math.round); to_unixtime. */
static void test_unixtime(void **state)
{
    lh_tstz t;
    lh_err err;
    (void)state;
    assert_int_equal(lh_from_unixtime(0, &t, &err), LH_OK);
    assert_string_equal(ftz(t, 3), "1970-01-01 00:00:00.000 UTC");
    assert_int_equal(lh_from_unixtime(1655562600.1234, &t, &err), LH_OK);
    assert_string_equal(ftz(t, 3), "2022-06-18 14:30:00.123 UTC");
    assert_int_equal(lh_from_unixtime(1.0005, &t, &err), LH_OK);
    assert_true(t.utc_us == 1001000);
    assert_int_equal(lh_from_unixtime(-1.0005, &t, &err), LH_OK);
    assert_string_equal(ftz(t, 3), "1969-12-31 23:59:59.000 UTC");
    assert_int_equal(lh_from_unixtime(1655564444000 / 1000.0, &t, &err), LH_OK); /* STEDI ms / 1000.0 */
    assert_string_equal(ftz(t, 3), "2022-06-18 15:00:44.000 UTC");
    assert_int_equal(lh_from_unixtime(1e300, &t, &err), LH_EDATA);
    assert_int_equal(lh_from_unixtime(0.0 / 0.0, &t, &err), LH_EDATA);
    assert_true(lh_to_unixtime(TZ("2022-06-18 14:30:00 UTC").utc_us) == 1655562600.0);
    assert_true(lh_to_unixtime(-1000) == -0.001);
    assert_true(lh_to_unixtime(1500) == 0.0015);
}

static const char *dfmt(const char *fmt, int64_t us)
{
    lh_datefmt *f = NULL;
    lh_err err;
    size_t n;
    lh_rc rc = lh_datefmt_compile(fmt, strlen(fmt), &f, &err);
    if (rc) {
        snprintf(g_out, sizeof g_out, "ERR %d: %s", (int)rc, err.msg);
        return g_out;
    }
    assert_true(lh_datefmt_max_len(f) < sizeof g_out);
    assert_int_equal(lh_datefmt_format(f, us, g_out, sizeof g_out, &n, &err), LH_OK);
    assert_int_equal(n, strlen(g_out));
    assert_true(n <= lh_datefmt_max_len(f));
    lh_datefmt_free(f);
    return g_out;
}

/* functions/datetime.md "MySQL date functions": every specifier. */
static void test_date_format(void **state)
{
    int64_t t = TS("2022-06-08 14:05:09.123456"); /* a Wednesday */
    int64_t m = TS("2022-01-02 00:07:03");        /* a Sunday, ISO week 52 of 2021 */
    (void)state;
    assert_string_equal(dfmt("%m-%d-%Y %H", TS("2022-10-20 05:10:00")), "10-20-2022 05"); /* the docs' example */
    assert_string_equal(dfmt("%a", t), "Wed");
    assert_string_equal(dfmt("%b", t), "Jun");
    assert_string_equal(dfmt("%c", t), "6");
    assert_string_equal(dfmt("%d", t), "08");
    assert_string_equal(dfmt("%e", t), "8");
    assert_string_equal(dfmt("%f", t), "123000"); /* truncated to milliseconds */
    assert_string_equal(dfmt("%H", t), "14");
    assert_string_equal(dfmt("%h", t), "02");
    assert_string_equal(dfmt("%I", t), "02");
    assert_string_equal(dfmt("%i", t), "05");
    assert_string_equal(dfmt("%j", t), "159");
    assert_string_equal(dfmt("%k", t), "14");
    assert_string_equal(dfmt("%l", t), "2");
    assert_string_equal(dfmt("%M", t), "June");
    assert_string_equal(dfmt("%m", t), "06");
    assert_string_equal(dfmt("%p", t), "PM");
    assert_string_equal(dfmt("%r", t), "02:05:09 PM");
    assert_string_equal(dfmt("%S", t), "09");
    assert_string_equal(dfmt("%s", t), "09");
    assert_string_equal(dfmt("%T", t), "14:05:09");
    assert_string_equal(dfmt("%v", t), "23");
    assert_string_equal(dfmt("%W", t), "Wednesday");
    assert_string_equal(dfmt("%x", t), "2022");
    assert_string_equal(dfmt("%Y", t), "2022");
    assert_string_equal(dfmt("%y", t), "22");
    assert_string_equal(dfmt("%%", t), "%");
    assert_string_equal(dfmt("%Q|%z", t), "Q|z"); /* %x for any x not listed is x */
    assert_string_equal(dfmt("50%", t), "50");    /* a trailing lone % prints nothing */
    assert_string_equal(dfmt("", t), "");
    /* the other end of each range */
    assert_string_equal(dfmt("%a %W %b %M %e %c %j", m), "Sun Sunday Jan January 2 1 002");
    assert_string_equal(dfmt("%H %k %h %l %p %r", m), "00 0 12 12 AM 12:07:03 AM");
    assert_string_equal(dfmt("%x-W%v", m), "2021-W52");
    assert_string_equal(dfmt("%Y %y", TS("0099-03-04 00:00:00")), "0099 99");
    assert_string_equal(dfmt("%H:%i", TS("2022-06-08 12:00:00")), "12:00");
    assert_string_equal(dfmt("%p %l", TS("2022-06-08 12:00:00")), "PM 12");
    assert_string_equal(dfmt("%f", TS("2022-06-08 12:00:00.000999")), "000000");
    /* the six Trino does not support */
    assert_string_equal(dfmt("%D", t), "ERR 10: %D not supported in date format string");
    assert_string_equal(dfmt("x %U", t), "ERR 10: %U not supported in date format string");
    assert_string_equal(dfmt("%u", t), "ERR 10: %u not supported in date format string");
    assert_string_equal(dfmt("%V", t), "ERR 10: %V not supported in date format string");
    assert_string_equal(dfmt("%w", t), "ERR 10: %w not supported in date format string");
    assert_string_equal(dfmt("%X", t), "ERR 10: %X not supported in date format string");
    {
        lh_datefmt *f;
        lh_err err;
        char small[4];
        size_t n;
        assert_int_equal(lh_datefmt_compile("%W", 2, &f, &err), LH_OK);
        assert_int_equal(lh_datefmt_format(f, t, small, sizeof small, &n, &err), LH_ELIMIT);
        lh_datefmt_free(f);
    }
}

static const char *dparse(const char *s, const char *fmt)
{
    lh_datefmt *f = NULL;
    lh_err err;
    int64_t us;
    lh_rc rc = lh_datefmt_compile(fmt, strlen(fmt), &f, &err);
    if (!rc)
        rc = lh_datefmt_parse(f, s, strlen(s), &us, &err);
    lh_datefmt_free(f);
    if (rc)
        snprintf(g_out, sizeof g_out, "ERR %d: %s", (int)rc, err.msg);
    else
        lh_timestamp_format(us, 3, g_out, sizeof g_out);
    return g_out;
}

static void test_date_parse(void **state)
{
    (void)state;
    assert_string_equal(dparse("2022/10/20/05", "%Y/%m/%d/%H"), "2022-10-20 05:00:00.000"); /* the docs' example */
    assert_string_equal(dparse("20-10-2022 5:07:03 PM", "%d-%m-%Y %l:%i:%s %p"), "2022-10-20 17:07:03.000");
    assert_string_equal(dparse("12:07:03 AM", "%r"), "1970-01-01 00:07:03.000");
    assert_string_equal(dparse("23:59:58", "%T"), "1970-01-01 23:59:58.000");
    assert_string_equal(dparse("69-1-2", "%y-%c-%e"), "2069-01-02 00:00:00.000");
    assert_string_equal(dparse("70-1-2", "%y-%c-%e"), "1970-01-02 00:00:00.000");
    assert_string_equal(dparse("january 5 2022", "%M %e %Y"), "2022-01-05 00:00:00.000");
    assert_string_equal(dparse("Jan 5 2022", "%b %e %Y"), "2022-01-05 00:00:00.000");
    assert_string_equal(dparse("Wed Jun 08", "%a %b %d"), "1970-06-08 00:00:00.000");
    assert_string_equal(dparse("2022-060", "%Y-%j"), "2022-03-01 00:00:00.000");
    assert_string_equal(dparse("2024-060", "%Y-%j"), "2024-02-29 00:00:00.000");
    assert_string_equal(dparse("12:00:00.5", "%T.%f"), "1970-01-01 12:00:00.500");
    assert_string_equal(dparse("12:00:00.123456789", "%T.%f"), "1970-01-01 12:00:00.123");
    assert_string_equal(dparse("2022-01 Mon", "%x-%v %a"), "2022-01-03 00:00:00.000");
    assert_string_equal(dparse("2020-53 Sun", "%x-%v %a"), "2021-01-03 00:00:00.000");
    assert_string_equal(dparse("100%", "%Y%%"), "0100-01-01 00:00:00.000");
    assert_string_equal(dparse("T5", "t%k"), "1970-01-01 05:00:00.000"); /* literals compare case-insensitively */
    assert_string_equal(dparse("2022-02-30", "%Y-%m-%d"),
                        "ERR 10: Cannot parse \"2022-02-30\": Value 30 for dayOfMonth must be in the range [1,28]");
    assert_string_equal(dparse("2022-10-20x", "%Y-%m-%d"),
                        "ERR 10: Invalid format: \"2022-10-20x\" is malformed at \"x\"");
    assert_string_equal(dparse("2022-10", "%Y-%m-%d"), "ERR 10: Invalid format: \"2022-10\" is too short");
    assert_string_equal(dparse("abc", "%Y"), "ERR 10: Invalid format: \"abc\" is malformed at \"abc\"");
    assert_string_equal(dparse("25:00", "%H:%i"),
                        "ERR 10: Cannot parse \"25:00\": Value 25 for hourOfDay must be in the range [0,23]");
    assert_string_equal(dparse("13:00 PM", "%h:%i %p"),
                        "ERR 10: Cannot parse \"13:00 PM\": Value 13 for clockhourOfHalfday must be in the range [1,12]");
    assert_string_equal(dparse("2022-13-01", "%Y-%m-%d"),
                        "ERR 10: Cannot parse \"2022-13-01\": Value 13 for monthOfYear must be in the range [1,12]");
    assert_string_equal(dparse("2023-366", "%Y-%j"),
                        "ERR 10: Cannot parse \"2023-366\": Value 366 for dayOfYear must be in the range [1,365]");
    assert_string_equal(dparse("x", "%D"), "ERR 10: %D not supported in date format string");
}

/* Every allocation (format compile, zone load) fails cleanly, for every N. */
static void test_alloc_faults(void **state)
{
    long n;
    int done = 0;
    (void)state;
    for (n = 1; n < 50 && !done; n++) {
        lh_datefmt *f = NULL;
        lh_zone z;
        lh_err err;
        lh_rc rc;
        lh_fault_alloc_set(n);
        rc = lh_datefmt_compile("%Y-%m-%d", 8, &f, &err);
        if (rc == LH_OK)
            rc = lh_zone_lookup("Asia/Tokyo", 10, &z, &err);
        lh_fault_alloc_set(0);
        if (rc == LH_OK) {
            done = 1;
            assert_int_equal(lh_zone_offset(z, 0), 9 * 3600);
        } else {
            assert_int_equal(rc, LH_ENOMEM);
        }
        lh_datefmt_free(f);
    }
    assert_true(done);
    assert_true(n > 2); /* at least the compile and the zone load were failed once each */
}

static void *lookup_thread(void *arg)
{
    lh_zone *z = arg;
    lh_err err;
    if (lh_zone_lookup("America/Sao_Paulo", 17, z, &err) != LH_OK)
        *z = -1;
    return NULL;
}

/* Many threads loading one zone at once all get the same key. */
static void test_zone_threads(void **state)
{
    pthread_t th[8];
    lh_zone z[8];
    int i;
    (void)state;
    for (i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&th[i], NULL, lookup_thread, &z[i]), 0);
    for (i = 0; i < 8; i++)
        pthread_join(th[i], NULL);
    for (i = 0; i < 8; i++) {
        assert_true(z[i] > 0);
        assert_int_equal(z[i], z[0]);
    }
    assert_int_equal(lh_zone_offset(z[0], 1655562600), -3 * 3600); /* Brazil: no DST since 2019 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),          cmocka_unit_test(test_timestamp_literals),
        cmocka_unit_test(test_timestamp_casts), cmocka_unit_test(test_time),
        cmocka_unit_test(test_operators_table), cmocka_unit_test(test_intervals),
        cmocka_unit_test(test_trunc),          cmocka_unit_test(test_date_add),
        cmocka_unit_test(test_date_diff),      cmocka_unit_test(test_dst),
        cmocka_unit_test(test_fields),         cmocka_unit_test(test_units),
        cmocka_unit_test(test_unixtime),       cmocka_unit_test(test_date_format),
        cmocka_unit_test(test_date_parse),     cmocka_unit_test(test_alloc_faults),
        cmocka_unit_test(test_zone_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
