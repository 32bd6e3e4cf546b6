/* tests/unit/test_fn_datetime.c — the date/time functions and the internal
 * datetime/interval operators (functions/fn_datetime*.c) through
 * lh_scalar_find, with real vectors.
 *
 * Every case runs three ways and must give the same answer: every argument
 * FLAT in a batch of 8 rows with the selection {1, 5, 6} (row 1 all NULL,
 * rows outside the selection filled with values that would fail if read),
 * every argument CONST (init sees them), and the first argument CONST with
 * the rest FLAT (the usual constant unit/format).
 * References: Trino docs functions/datetime.md (every example there),
 * language/types.md; Trino's DateTimeFunctions, DateTimeOperators,
 * Timestamp(WithTimeZone)Operators, Interval*Operators for the edge rules. */
#include "testutil.h"

#include <math.h>

#include "exec/datetime.h"
#include "exec/vector.h"
#include "functions/scalar.h"
#include "plan/functions.h"
#include "util/mem.h"

typedef struct targ {
    lh_sqltype t;
    const char *v; /* NULL: SQL NULL */
    const char *zone; /* tstz given as an instant: the zone to show it in */
} targ;

#define T_(t, v) ((targ){(t), (v), NULL})
#define D(v) T_(lh_sqltype_of(LH_SQL_DATE), v)
#define TS(p, v) T_(lh_sqltype_timestamp(p), v)
#define TZ(p, v) T_(lh_sqltype_timestamp_tz(p), v)
#define TZAT(p, v, z) ((targ){lh_sqltype_timestamp_tz(p), (v), (z)})
#define TM(p, v) T_(lh_sqltype_time(p), v)
#define V(v) T_(lh_sqltype_varchar(LH_SQL_UNBOUNDED), v)
#define BI(v) T_(lh_sqltype_of(LH_SQL_BIGINT), v)
#define DB(v) T_(lh_sqltype_of(LH_SQL_DOUBLE), v)
#define IDS(v) T_(lh_sqltype_of(LH_SQL_INTERVAL_DS), v) /* "d hh:mm:ss.fff", optional leading - */
#define IYM(v) T_(lh_sqltype_of(LH_SQL_INTERVAL_YM), v) /* "y-m" */

#define R_D lh_sqltype_of(LH_SQL_DATE)
#define R_TS(p) lh_sqltype_timestamp(p)
#define R_TZ(p) lh_sqltype_timestamp_tz(p)
#define R_TM(p) lh_sqltype_time(p)
#define R_BI lh_sqltype_of(LH_SQL_BIGINT)
#define R_DB lh_sqltype_of(LH_SQL_DOUBLE)
#define R_V lh_sqltype_varchar(LH_SQL_UNBOUNDED)
#define R_IDS lh_sqltype_of(LH_SQL_INTERVAL_DS)
#define R_IYM lh_sqltype_of(LH_SQL_INTERVAL_YM)

static lh_xenv g_env; /* session zone UTC unless a test sets it */

static void set_session(const char *zone)
{
    lh_err e;
    if (lh_zone_lookup(zone, strlen(zone), &g_env.session_zone, &e))
        fail_msg("zone %s: %s", zone, e.msg);
}

/* Put argument a's value into row `row` of v. */
static void put(lh_vector *v, uint32_t row, const targ *a, lh_arena *ar)
{
    lh_err e;
    const char *s = a->v;
    size_t n;
    if (!s) {
        lh_vector_set_null(v, row);
        return;
    }
    n = strlen(s);
    switch (a->t.id) {
    case LH_SQL_DATE: {
        int32_t d;
        if (lh_date_parse(s, n, LH_DT_LITERAL, &d, &e))
            fail_msg("date %s: %s", s, e.msg);
        lh_vector_set_i64(v, row, d);
        break;
    }
    case LH_SQL_TIMESTAMP: {
        int64_t us;
        if (lh_timestamp_cast(s, n, a->t.p, &us, &e))
            fail_msg("timestamp %s: %s", s, e.msg);
        lh_vector_set_i64(v, row, us);
        break;
    }
    case LH_SQL_TIMESTAMP_TZ: {
        lh_tstz t;
        if (lh_tstz_cast(s, n, a->t.p, LH_ZONE_UTC, &t, &e))
            fail_msg("tstz %s: %s", s, e.msg);
        if (a->zone && lh_zone_lookup(a->zone, strlen(a->zone), &t.zone, &e))
            fail_msg("zone %s: %s", a->zone, e.msg);
        lh_vector_set_tstz(v, row, t);
        break;
    }
    case LH_SQL_TIME: {
        int p = a->t.p;
        int64_t us;
        if (lh_time_parse(s, n, LH_DT_CAST, &p, &us, &e))
            fail_msg("time %s: %s", s, e.msg);
        lh_vector_set_i64(v, row, us);
        break;
    }
    case LH_SQL_INTERVAL_DS:
    case LH_SQL_INTERVAL_YM: {
        int64_t us = 0;
        int32_t m = 0;
        int ds = a->t.id == LH_SQL_INTERVAL_DS;
        if (lh_interval_literal(s, n, 0, ds ? LH_F_DAY : LH_F_YEAR, ds ? LH_F_SECOND : LH_F_MONTH, &us, &m, &e))
            fail_msg("interval %s: %s", s, e.msg);
        lh_vector_set_i64(v, row, ds ? us : m);
        break;
    }
    case LH_SQL_VARCHAR:
        if (lh_vector_set_str(v, row, s, n, ar, &e))
            fail_msg("set_str: %s", e.msg);
        break;
    case LH_SQL_BIGINT:
        lh_vector_set_i64(v, row, strtoll(s, NULL, 10));
        break;
    case LH_SQL_DOUBLE:
        lh_vector_set_f64(v, row, strtod(s, NULL));
        break;
    default:
        fail_msg("test type %d", a->t.id);
    }
}

/* A value that fails or differs if a function reads an unselected row. */
static void put_garbage(lh_vector *v, uint32_t row, lh_arena *ar)
{
    lh_err e;
    lh_tstz t = {INT64_MIN / 2, 0};
    switch (v->type.id) {
    case LH_SQL_VARCHAR:
        if (lh_vector_set_str(v, row, "not-a-unit-or-zone%D", 20, ar, &e))
            fail_msg("%s", e.msg);
        break;
    case LH_SQL_DOUBLE:
        lh_vector_set_f64(v, row, NAN);
        break;
    case LH_SQL_TIMESTAMP_TZ:
        lh_vector_set_tstz(v, row, t);
        break;
    case LH_SQL_DATE:
    case LH_SQL_INTERVAL_YM:
        lh_vector_set_i64(v, row, INT32_MIN);
        break;
    default:
        lh_vector_set_i64(v, row, INT64_MIN);
    }
}

static void fmt_val(const lh_vector *v, uint32_t row, char *buf, size_t n)
{
    if (!lh_vector_get_valid(v, row)) {
        snprintf(buf, n, "NULL");
        return;
    }
    switch (v->type.id) {
    case LH_SQL_DATE:
        lh_date_format((int32_t)lh_vector_get_i64(v, row), buf, n);
        break;
    case LH_SQL_TIMESTAMP:
        lh_timestamp_format(lh_vector_get_i64(v, row), v->type.p, buf, n);
        break;
    case LH_SQL_TIMESTAMP_TZ:
        lh_tstz_format(lh_vector_get_tstz(v, row), v->type.p, buf, n);
        break;
    case LH_SQL_TIME:
        lh_time_format(lh_vector_get_i64(v, row), v->type.p, buf, n);
        break;
    case LH_SQL_INTERVAL_DS:
        lh_interval_ds_format(lh_vector_get_i64(v, row), buf, n);
        break;
    case LH_SQL_INTERVAL_YM:
        lh_interval_ym_format((int32_t)lh_vector_get_i64(v, row), buf, n);
        break;
    case LH_SQL_BIGINT:
        snprintf(buf, n, "%lld", (long long)lh_vector_get_i64(v, row));
        break;
    case LH_SQL_DOUBLE:
        snprintf(buf, n, "%.15g", lh_vector_get_f64(v, row));
        break;
    case LH_SQL_VARCHAR: {
        lh_str s = lh_vector_get_str(v, row);
        snprintf(buf, n, "%.*s", (int)lh_str_len(&s), lh_str_ptr(&s));
        break;
    }
    default:
        snprintf(buf, n, "?type %d", v->type.id);
    }
}

static const lh_scalar_impl *find(const char *fn, lh_sqltype ret, size_t n, const targ *a)
{
    lh_sqltype ts[4];
    const lh_scalar_impl *im;
    size_t i;
    for (i = 0; i < n; i++)
        ts[i] = a[i].t;
    im = lh_scalar_find(fn, ts, n, ret);
    if (!im)
        fail_msg("no implementation of %s for these %zu types", fn, n);
    return im;
}

/* mode 0: all FLAT under a selection; 1: all CONST; 2: argument 0 CONST, the rest FLAT. */
static void run_mode(const char *fn, lh_sqltype ret, size_t n, const targ *a, int mode, char *res, size_t rsz)
{
    const lh_scalar_impl *im = find(fn, ret, n, a);
    lh_vector *args[4] = {NULL, NULL, NULL, NULL}, *consts[4] = {NULL, NULL, NULL, NULL}, *out = NULL;
    lh_sqltype ts[4];
    lh_arena ar;
    lh_fn_call c;
    lh_err e;
    lh_rc rc = LH_OK;
    static const uint16_t sel[] = {1, 5, 6};
    lh_rows rows;
    char r2[512];
    size_t i;
    uint32_t row;
    lh_arena_init(&ar, 0);
    for (i = 0; i < n; i++) {
        int cst = mode == 1 || (mode == 2 && i == 0);
        ts[i] = a[i].t;
        if (lh_vector_create(a[i].t, 0, &args[i], &e))
            fail_msg("%s", e.msg);
        if (cst) {
            lh_vector_set_const(args[i], a[i].v == NULL);
            if (a[i].v)
                put(args[i], 0, &a[i], &ar);
            consts[i] = args[i];
        } else {
            for (row = 0; row < 8; row++)
                put_garbage(args[i], row, &ar);
            put(args[i], 5, &a[i], &ar);
            put(args[i], 6, &a[i], &ar);
            lh_vector_set_null(args[i], 1);
        }
    }
    if (lh_vector_create(ret, 0, &out, &e))
        fail_msg("%s", e.msg);
    memset(&c, 0, sizeof c);
    c.arg_types = ts;
    c.nargs = n;
    c.ret = ret;
    c.arena = &ar;
    c.env = &g_env;
    if (mode == 1) {
        rows.sel = NULL;
        rows.n = 4;
    } else {
        rows.sel = sel;
        rows.n = 3;
    }
    if (im->init)
        rc = im->init(&c, consts, &e);
    if (!rc)
        rc = im->eval(&c, args, out, rows, &e);
    if (im->done)
        im->done(&c);
    assert_null(c.state);
    if (rc) {
        snprintf(res, rsz, "ERR: %.500s", e.msg);
    } else if (mode == 1) {
        fmt_val(out, 0, res, rsz);
        for (row = 1; row < 4; row++) {
            fmt_val(out, row, r2, sizeof r2);
            assert_string_equal(r2, res);
        }
    } else {
        fmt_val(out, 5, res, rsz);
        fmt_val(out, 6, r2, sizeof r2);
        assert_string_equal(r2, res);
        if (n > (mode == 2 ? 1u : 0u)) { /* row 1: a NULL argument gives NULL */
            fmt_val(out, 1, r2, sizeof r2);
            assert_string_equal(r2, "NULL");
        }
    }
    for (i = 0; i < n; i++)
        lh_vector_free(args[i]);
    lh_vector_free(out);
    lh_arena_free(&ar);
}

static char g_res[3][512];

static const char *ev(const char *fn, lh_sqltype ret, size_t n, const targ *a)
{
    int m;
    for (m = 0; m < 3; m++)
        run_mode(fn, ret, n, a, m, g_res[m], sizeof g_res[m]);
    if (strcmp(g_res[0], g_res[1]) || strcmp(g_res[0], g_res[2]))
        fail_msg("%s: FLAT '%s', CONST '%s', mixed '%s'", fn, g_res[0], g_res[1], g_res[2]);
    return g_res[0];
}

#define EQ0(expect, fn, ret) assert_string_equal(ev(fn, ret, 0, NULL), expect)
#define EQ(expect, fn, ret, ...)                                                                                      \
    do {                                                                                                              \
        targ a_[] = {__VA_ARGS__};                                                                                    \
        assert_string_equal(ev(fn, ret, sizeof a_ / sizeof a_[0], a_), expect);                                       \
    } while (0)

/* ---- the operators table of functions/datetime.md ---- */

static void test_doc_operators(void **state)
{
    (void)state;
    EQ("2012-08-10", "$add", R_D, D("2012-08-08"), IDS("2 00:00:00"));
    EQ("04:00:00.000", "$add", R_TM(3), TM(3, "01:00"), IDS("0 03:00:00"));
    EQ("2012-08-09 06:00:00.000", "$add", R_TS(3), TS(3, "2012-08-08 01:00"), IDS("1 05:00:00"));
    EQ("2012-11-30 01:00:00.000", "$add", R_TS(3), TS(3, "2012-10-31 01:00"), IYM("0-1"));
    EQ("2 03:00:00.000", "$add", R_IDS, IDS("2 00:00:00"), IDS("0 03:00:00"));
    EQ("3-5", "$add", R_IYM, IYM("3-0"), IYM("0-5"));
    EQ("2012-08-06", "$subtract", R_D, D("2012-08-08"), IDS("2 00:00:00"));
    EQ("22:00:00.000", "$subtract", R_TM(3), TM(3, "01:00"), IDS("0 03:00:00"));
    EQ("2012-08-06 20:00:00.000", "$subtract", R_TS(3), TS(3, "2012-08-08 01:00"), IDS("1 05:00:00"));
    EQ("2012-09-30 01:00:00.000", "$subtract", R_TS(3), TS(3, "2012-10-31 01:00"), IYM("0-1"));
    EQ("1 21:00:00.000", "$subtract", R_IDS, IDS("2 00:00:00"), IDS("0 03:00:00"));
    EQ("2-7", "$subtract", R_IYM, IYM("3-0"), IYM("0-5"));
    /* interval first (commuted) */
    EQ("2012-08-10", "$add", R_D, IDS("2 00:00:00"), D("2012-08-08"));
    EQ("2012-11-30 01:00:00.000", "$add", R_TS(3), IYM("0-1"), TS(3, "2012-10-31 01:00"));
    EQ("04:00:00.000", "$add", R_TM(3), IDS("0 03:00:00"), TM(3, "01:00"));
    EQ("2020-03-01 10:00:00.000 UTC", "$add", R_TZ(3), IDS("0 10:00:00"), TZ(3, "2020-03-01 00:00 UTC"));
}

static void test_doc_at_time_zone(void **state)
{
    (void)state;
    EQ("2012-10-30 18:00:00.000 America/Los_Angeles", "$at_timezone", R_TZ(3), TZ(3, "2012-10-31 01:00 UTC"),
       V("America/Los_Angeles"));
    /* at_timezone(TIMESTAMP '2022-11-01 09:08:07.321', 'America/Los_Angeles') in a New York session */
    set_session("America/New_York");
    EQ("2022-11-01 06:08:07.321 America/Los_Angeles", "$at_timezone", R_TZ(3), TS(3, "2022-11-01 09:08:07.321"),
       V("America/Los_Angeles"));
    set_session("UTC");
    EQ("2022-11-01 02:08:07.321 America/Los_Angeles", "$at_timezone", R_TZ(3), TS(3, "2022-11-01 09:08:07.321"),
       V("America/Los_Angeles"));
    /* fixed offsets by name and by interval */
    EQ("2012-10-31 06:30:00.000 +05:30", "$at_timezone", R_TZ(3), TZ(3, "2012-10-31 01:00 UTC"), V("+05:30"));
    EQ("2012-10-31 06:30:00.000 +05:30", "$at_timezone", R_TZ(3), TZ(3, "2012-10-31 01:00 UTC"),
       IDS("0 05:30:00"));
    EQ("2012-10-30 21:00:00.000 -04:00", "$at_timezone", R_TZ(3), TZ(3, "2012-10-31 01:00 UTC"),
       IDS("-0 04:00:00"));
    EQ("2012-10-31 01:00:00.000 UTC", "$at_timezone", R_TZ(3), TZ(3, "2012-10-31 01:00 UTC"), IDS("0 00:00:00"));
    EQ("ERR: 'Foo/Bar' is not a valid time zone", "$at_timezone", R_TZ(3), TZ(3, "2012-10-31 01:00 UTC"),
       V("Foo/Bar"));
    EQ("ERR: '../../etc/passwd' is not a valid time zone", "$at_timezone", R_TZ(3), TS(3, "2012-10-31 01:00"),
       V("../../etc/passwd"));
    EQ("ERR: Invalid time zone offset interval: interval contains seconds", "$at_timezone", R_TZ(3),
       TZ(3, "2012-10-31 01:00 UTC"), IDS("0 05:30:01"));
    EQ("ERR: Invalid offset minutes 900", "$at_timezone", R_TZ(3), TZ(3, "2012-10-31 01:00 UTC"),
       IDS("0 15:00:00"));
    /* the instant is kept to the microsecond */
    EQ("2012-10-31 02:00:00.123456 Europe/Berlin", "$at_timezone", R_TZ(6), TZ(6, "2012-10-31 01:00:00.123456 UTC"),
       V("Europe/Berlin"));
    EQ("NULL", "$at_timezone", R_TZ(3), TZ(3, "2012-10-31 01:00 UTC"), V(NULL));
}

/* ---- date_trunc ---- */

static void test_date_trunc(void **state)
{
    (void)state;
    /* the table of functions/datetime.md, input 2001-08-22 03:04:05.321 */
    EQ("2001-08-22 03:04:05.321", "date_trunc", R_TS(3), V("millisecond"), TS(3, "2001-08-22 03:04:05.321"));
    EQ("2001-08-22 03:04:05.000", "date_trunc", R_TS(3), V("second"), TS(3, "2001-08-22 03:04:05.321"));
    EQ("2001-08-22 03:04:00.000", "date_trunc", R_TS(3), V("minute"), TS(3, "2001-08-22 03:04:05.321"));
    EQ("2001-08-22 03:00:00.000", "date_trunc", R_TS(3), V("hour"), TS(3, "2001-08-22 03:04:05.321"));
    EQ("2001-08-22 00:00:00.000", "date_trunc", R_TS(3), V("day"), TS(3, "2001-08-22 03:04:05.321"));
    EQ("2001-08-20 00:00:00.000", "date_trunc", R_TS(3), V("week"), TS(3, "2001-08-22 03:04:05.321"));
    EQ("2001-08-01 00:00:00.000", "date_trunc", R_TS(3), V("month"), TS(3, "2001-08-22 03:04:05.321"));
    EQ("2001-07-01 00:00:00.000", "date_trunc", R_TS(3), V("quarter"), TS(3, "2001-08-22 03:04:05.321"));
    EQ("2001-01-01 00:00:00.000", "date_trunc", R_TS(3), V("year"), TS(3, "2001-08-22 03:04:05.321"));
    /* the examples */
    EQ("2022-10-20 00:00:00", "date_trunc", R_TS(0), V("day"), TS(0, "2022-10-20 05:10:00"));
    EQ("2022-10-01 00:00:00", "date_trunc", R_TS(0), V("month"), TS(0, "2022-10-20 05:10:00"));
    EQ("2022-01-01 00:00:00", "date_trunc", R_TS(0), V("year"), TS(0, "2022-10-20 05:10:00"));
    /* units are case-insensitive; microseconds kept below a millisecond unit */
    EQ("2001-08-22 03:04:05.321000", "date_trunc", R_TS(6), V("MilliSecond"), TS(6, "2001-08-22 03:04:05.321987"));
    /* date, time, timestamp with time zone (in its own zone) */
    EQ("2001-08-20", "date_trunc", R_D, V("week"), D("2001-08-22"));
    EQ("2001-07-01", "date_trunc", R_D, V("QUARTER"), D("2001-08-22"));
    EQ("03:04:00.000", "date_trunc", R_TM(3), V("minute"), TM(3, "03:04:05.321"));
    EQ("2001-08-01 00:00:00.000 America/New_York", "date_trunc", R_TZ(3), V("month"),
       TZ(3, "2001-08-22 03:04:05.321 America/New_York"));
    EQ("2024-03-10 00:00:00.000 America/New_York", "date_trunc", R_TZ(3), V("day"),
       TZ(3, "2024-03-10 15:00 America/New_York"));
    /* the second 01:30 of 2024-11-03 in New York (EST) truncates to its own 01:00 */
    EQ("2024-11-03 01:00:00.000 America/New_York", "date_trunc", R_TZ(3), V("hour"),
       TZAT(3, "2024-11-03 06:30 UTC", "America/New_York"));
    /* errors as Trino words them (unit lower-cased) */
    EQ("ERR: 'hour' is not a valid DATE field", "date_trunc", R_D, V("hour"), D("2001-08-22"));
    EQ("ERR: 'millisecond' is not a valid DATE field", "date_trunc", R_D, V("MILLISECOND"), D("2001-08-22"));
    EQ("ERR: 'day' is not a valid TIME field", "date_trunc", R_TM(3), V("Day"), TM(3, "03:04:05"));
    EQ("ERR: 'days' is not a valid Timestamp field", "date_trunc", R_TS(3), V("days"), TS(3, "2001-08-22"));
    EQ("ERR: 'decade' is not a valid Timestamp field", "date_trunc", R_TZ(3), V("decade"), TZ(3, "2001-08-22 UTC"));
    EQ("NULL", "date_trunc", R_TS(3), V(NULL), TS(3, "2001-08-22"));
    EQ("NULL", "date_trunc", R_TS(3), V("day"), TS(3, NULL));
}

/* ---- date_add ---- */

static void test_date_add(void **state)
{
    (void)state;
    EQ("2020-03-01 00:01:26.000", "date_add", R_TS(3), V("second"), BI("86"), TS(3, "2020-03-01 00:00:00"));
    EQ("2020-03-01 09:00:00.000", "date_add", R_TS(3), V("hour"), BI("9"), TS(3, "2020-03-01 00:00:00"));
    EQ("2020-02-29 00:00:00.000 UTC", "date_add", R_TZ(3), V("day"), BI("-1"), TZ(3, "2020-03-01 00:00:00 UTC"));
    /* month ends and leap years */
    EQ("2023-02-28", "date_add", R_D, V("month"), BI("1"), D("2023-01-31"));
    EQ("2024-02-29", "date_add", R_D, V("month"), BI("1"), D("2024-01-31"));
    EQ("2025-02-28", "date_add", R_D, V("year"), BI("1"), D("2024-02-29"));
    EQ("2028-02-29", "date_add", R_D, V("year"), BI("4"), D("2024-02-29"));
    EQ("2024-02-29", "date_add", R_D, V("quarter"), BI("1"), D("2023-11-30"));
    EQ("2024-02-26", "date_add", R_D, V("week"), BI("-1"), D("2024-03-04"));
    EQ("2022-04-28 10:00:00.000", "date_add", R_TS(3), V("month"), BI("2"), TS(3, "2022-02-28 10:00"));
    EQ("1900-02-28", "date_add", R_D, V("year"), BI("-124"), D("2024-02-29"));
    EQ("2000-02-29", "date_add", R_D, V("year"), BI("-24"), D("2024-02-29"));
    /* microseconds kept for p 6; p 0 rounds a millisecond result to seconds */
    EQ("2020-03-01 00:00:00.001999", "date_add", R_TS(6), V("millisecond"), BI("1"), TS(6, "2020-03-01 00:00:00.000999"));
    EQ("2020-03-01 00:00:01", "date_add", R_TS(0), V("millisecond"), BI("500"), TS(0, "2020-03-01 00:00:00"));
    EQ("2020-03-01 00:00:00", "date_add", R_TS(0), V("millisecond"), BI("499"), TS(0, "2020-03-01 00:00:00"));
    /* time wraps around midnight */
    EQ("01:00:00.000", "date_add", R_TM(3), V("hour"), BI("3"), TM(3, "22:00"));
    EQ("23:59:59.999", "date_add", R_TM(3), V("millisecond"), BI("-1"), TM(3, "00:00"));
    EQ("00:00:00.000", "date_add", R_TM(3), V("hour"), BI("2147483640"), TM(3, "00:00")); /* 2^31-8 h = 89478485 days */
    EQ("01:00:00.000", "date_add", R_TM(3), V("hour"), BI("9000000000000000001"), TM(3, "00:00")); /* any bigint */
    EQ("00:00:00", "date_add", R_TM(0), V("millisecond"), BI("499"), TM(0, "00:00:00"));
    EQ("00:00:01", "date_add", R_TM(0), V("millisecond"), BI("500"), TM(0, "00:00:00"));
    EQ("00:00:00", "date_add", R_TM(0), V("millisecond"), BI("-500"), TM(0, "00:00:00")); /* 23:59:59.5 rounds to midnight */
    /* errors */
    EQ("ERR: 'hour' is not a valid DATE field", "date_add", R_D, V("hour"), BI("1"), D("2024-02-29"));
    EQ("ERR: 'day' is not a valid TIME field", "date_add", R_TM(3), V("day"), BI("1"), TM(3, "22:00"));
    EQ("ERR: 'fortnight' is not a valid Timestamp field", "date_add", R_TS(3), V("fortnight"), BI("1"),
       TS(3, "2020-03-01"));
    EQ("ERR: integer overflow", "date_add", R_TS(3), V("day"), BI("3000000000"), TS(3, "2020-03-01"));
    EQ("ERR: integer overflow", "date_add", R_D, V("day"), BI("-2147483649"), D("2020-03-01"));
    EQ("ERR: Timestamp value out of range", "date_add", R_TS(3), V("year"), BI("2000000000"), TS(3, "2020-03-01"));
    EQ("NULL", "date_add", R_D, V("day"), BI(NULL), D("2020-03-01"));
}

/* ---- date_diff ---- */

static void test_date_diff(void **state)
{
    (void)state;
    EQ("86400", "date_diff", R_BI, V("second"), TS(3, "2020-03-01 00:00:00"), TS(3, "2020-03-02 00:00:00"));
    EQ("24", "date_diff", R_BI, V("hour"), TZ(3, "2020-03-01 00:00:00 UTC"), TZ(3, "2020-03-02 00:00:00 UTC"));
    EQ("1", "date_diff", R_BI, V("day"), D("2020-03-01"), D("2020-03-02"));
    EQ("86400", "date_diff", R_BI, V("second"), TS(6, "2020-06-01 12:30:45.000000"), TS(6, "2020-06-02 12:30:45.123456"));
    EQ("86400123", "date_diff", R_BI, V("millisecond"), TS(6, "2020-06-01 12:30:45.000000"),
       TS(6, "2020-06-02 12:30:45.123456"));
    /* every unit, both directions */
    EQ("-1", "date_diff", R_BI, V("day"), D("2020-03-02"), D("2020-03-01"));
    EQ("-1", "date_diff", R_BI, V("hour"), TS(3, "2020-01-01 10:30"), TS(3, "2020-01-01 08:45"));
    EQ("-105", "date_diff", R_BI, V("minute"), TS(3, "2020-01-01 10:30"), TS(3, "2020-01-01 08:45"));
    EQ("-6300000", "date_diff", R_BI, V("millisecond"), TS(3, "2020-01-01 10:30"), TS(3, "2020-01-01 08:45"));
    EQ("52", "date_diff", R_BI, V("week"), D("2020-01-01"), D("2020-12-31"));
    EQ("-52", "date_diff", R_BI, V("week"), D("2020-12-31"), D("2020-01-01"));
    EQ("3", "date_diff", R_BI, V("quarter"), D("2020-01-15"), D("2020-12-31"));
    EQ("-3", "date_diff", R_BI, V("quarter"), D("2020-12-31"), D("2020-01-15"));
    EQ("19", "date_diff", R_BI, V("year"), TS(0, "2000-06-01 00:00:00"), TS(0, "2020-05-31 23:59:59"));
    EQ("20", "date_diff", R_BI, V("year"), TS(0, "2000-06-01 00:00:00"), TS(0, "2020-06-01 00:00:00"));
    EQ("-19", "date_diff", R_BI, V("year"), TS(0, "2020-05-31 23:59:59"), TS(0, "2000-06-01 00:00:00"));
    /* months at month ends (Joda: the end of a shorter month completes it) */
    EQ("1", "date_diff", R_BI, V("month"), D("2024-01-31"), D("2024-02-29"));
    EQ("0", "date_diff", R_BI, V("month"), D("2024-01-31"), D("2024-02-28"));
    EQ("1", "date_diff", R_BI, V("month"), D("2024-01-30"), D("2024-02-29"));
    EQ("-1", "date_diff", R_BI, V("month"), D("2024-03-31"), D("2024-02-29"));
    EQ("1", "date_diff", R_BI, V("year"), D("2024-02-29"), D("2025-02-28"));
    EQ("4", "date_diff", R_BI, V("year"), D("2024-02-29"), D("2028-02-29"));
    EQ("0", "date_diff", R_BI, V("month"), TS(3, "2020-01-15 10:00"), TS(3, "2020-02-15 09:59:59.999"));
    EQ("1", "date_diff", R_BI, V("month"), TS(3, "2020-01-15 10:00"), TS(3, "2020-02-15 10:00"));
    /* time */
    EQ("-2", "date_diff", R_BI, V("hour"), TM(3, "13:00"), TM(3, "10:30"));
    EQ("0", "date_diff", R_BI, V("millisecond"), TM(6, "00:00:00.000500"), TM(6, "00:00:00.001400"));
    EQ("-1", "date_diff", R_BI, V("millisecond"), TM(6, "00:00:00.001400"), TM(6, "00:00:00.000100"));
    EQ("ERR: 'day' is not a valid TIME field", "date_diff", R_BI, V("day"), TM(3, "13:00"), TM(3, "10:30"));
    EQ("ERR: 'second' is not a valid DATE field", "date_diff", R_BI, V("second"), D("2020-01-01"), D("2020-01-02"));
    /* time zones: the first argument's zone decides calendar units */
    EQ("0", "date_diff", R_BI, V("day"), TZ(3, "2020-03-01 23:00 America/New_York"), TZ(3, "2020-03-02 00:00 UTC"));
    EQ("1", "date_diff", R_BI, V("day"), TZ(3, "2020-03-01 00:00 UTC"), TZ(3, "2020-03-01 23:00 America/New_York"));
    /* timestamp(p > 3) with time zone: Trino's long-timestamp path counts in UTC */
    EQ("1", "date_diff", R_BI, V("day"), TZ(3, "2024-03-09 12:00 America/New_York"),
       TZ(3, "2024-03-10 12:00 America/New_York"));
    EQ("0", "date_diff", R_BI, V("day"), TZ(6, "2024-03-09 12:00 America/New_York"),
       TZ(6, "2024-03-10 12:00 America/New_York"));
    EQ("NULL", "date_diff", R_BI, V("day"), D("2020-03-01"), D(NULL));
}

/* date_trunc('day', <utc instant> in America/Havana), printed as its UTC instant */
static void fixture_tz_trunc(const char *utc, const char *want)
{
    targ a[2] = {V("day"), TZAT(3, utc, "America/Havana")};
    const lh_scalar_impl *im = find("date_trunc", R_TZ(3), 2, a);
    lh_vector *args[2], *consts[2] = {NULL, NULL}, *out;
    lh_sqltype ts[2] = {a[0].t, a[1].t};
    lh_rows rows = {NULL, 1};
    lh_fn_call c;
    lh_err e;
    lh_tstz t;
    char buf[128];
    if (lh_vector_create(ts[0], 0, &args[0], &e) || lh_vector_create(ts[1], 0, &args[1], &e) ||
        lh_vector_create(R_TZ(3), 0, &out, &e))
        fail_msg("%s", e.msg);
    put(args[0], 0, &a[0], NULL);
    put(args[1], 0, &a[1], NULL);
    memset(&c, 0, sizeof c);
    c.arg_types = ts;
    c.nargs = 2;
    c.ret = R_TZ(3);
    c.env = &g_env;
    assert_int_equal(im->init(&c, consts, &e), LH_OK);
    assert_int_equal(im->eval(&c, args, out, rows, &e), LH_OK);
    im->done(&c);
    t = lh_vector_get_tstz(out, 0);
    t.zone = LH_ZONE_UTC;
    lh_tstz_format(t, 3, buf, sizeof buf);
    assert_string_equal(buf, want);
    lh_vector_free(args[0]);
    lh_vector_free(args[1]);
    lh_vector_free(out);
}

/* ---- daylight saving time in New York and Berlin ---- */

static void test_dst(void **state)
{
    (void)state;
    /* New York springs forward 2024-03-10 02:00 -> 03:00 */
    EQ("2024-03-10 03:30:00.000 America/New_York", "date_add", R_TZ(3), V("hour"), BI("1"),
       TZ(3, "2024-03-10 01:30 America/New_York"));
    EQ("2024-03-10 03:30:00.000 America/New_York", "date_add", R_TZ(3), V("day"), BI("1"),
       TZ(3, "2024-03-09 02:30 America/New_York")); /* the gap moves forward */
    EQ("2024-03-10 12:00:00.000 America/New_York", "date_add", R_TZ(3), V("day"), BI("1"),
       TZ(3, "2024-03-09 12:00 America/New_York"));
    EQ("2024-03-10 13:00:00.000 America/New_York", "$add", R_TZ(3), TZ(3, "2024-03-09 12:00 America/New_York"),
       IDS("1 00:00:00")); /* an interval day is 24 hours */
    EQ("2024-04-10 12:00:00.000 America/New_York", "$add", R_TZ(3), TZ(3, "2024-03-10 12:00 America/New_York"),
       IYM("0-1"));
    EQ("23", "date_diff", R_BI, V("hour"), TZ(3, "2024-03-10 00:00 America/New_York"),
       TZ(3, "2024-03-11 00:00 America/New_York"));
    EQ("1", "date_diff", R_BI, V("day"), TZ(3, "2024-03-10 00:00 America/New_York"),
       TZ(3, "2024-03-11 00:00 America/New_York"));
    EQ("0 23:00:00.000", "$subtract", R_IDS, TZ(3, "2024-03-11 00:00 America/New_York"),
       TZ(3, "2024-03-10 00:00 America/New_York"));
    EQ("2024-03-10 03:30:00.000 America/New_York", "$at_timezone", R_TZ(3), TZ(3, "2024-03-10 07:30 UTC"),
       V("America/New_York"));
    /* falls back 2024-11-03 02:00 -> 01:00: 01:30 happens twice */
    EQ("1", "hour", R_BI, TZAT(3, "2024-11-03 05:30 UTC", "America/New_York"));
    EQ("1", "hour", R_BI, TZAT(3, "2024-11-03 06:30 UTC", "America/New_York"));
    EQ("-4", "$extract_timezone_hour", R_BI, TZAT(3, "2024-11-03 05:30 UTC", "America/New_York"));
    EQ("-5", "$extract_timezone_hour", R_BI, TZAT(3, "2024-11-03 06:30 UTC", "America/New_York"));
    EQ("25", "date_diff", R_BI, V("hour"), TZ(3, "2024-11-03 00:00 America/New_York"),
       TZ(3, "2024-11-04 00:00 America/New_York"));
    EQ("2024-11-03 01:30:00.000 America/New_York", "date_add", R_TZ(3), V("hour"), BI("1"),
       TZAT(3, "2024-11-03 05:30 UTC", "America/New_York"));
    /* Berlin: 2024-03-31 02:00 -> 03:00, 2024-10-27 03:00 -> 02:00 */
    EQ("2024-03-31 03:30:00.000 Europe/Berlin", "date_add", R_TZ(3), V("day"), BI("1"),
       TZ(3, "2024-03-30 02:30 Europe/Berlin"));
    EQ("2024-10-27 02:30:00.000 Europe/Berlin", "$add", R_TZ(3), TZ(3, "2024-10-26 02:30 Europe/Berlin"),
       IDS("1 00:00:00"));
    EQ("2", "$extract_timezone_hour", R_BI, TZAT(3, "2024-10-27 00:30 UTC", "Europe/Berlin"));
    EQ("1", "$extract_timezone_hour", R_BI, TZAT(3, "2024-10-27 01:30 UTC", "Europe/Berlin"));
    EQ("25", "date_diff", R_BI, V("hour"), TZ(3, "2024-10-27 00:00 Europe/Berlin"),
       TZ(3, "2024-10-28 00:00 Europe/Berlin"));
    EQ("23", "date_diff", R_BI, V("hour"), TZ(3, "2024-03-31 00:00 Europe/Berlin"),
       TZ(3, "2024-04-01 00:00 Europe/Berlin"));
    EQ("2", "$extract_timezone_hour", R_BI, TZ(3, "2024-07-01 12:00 Europe/Berlin"));
    EQ("1", "$extract_timezone_hour", R_BI, TZ(3, "2024-01-01 12:00 Europe/Berlin"));
    EQ("2024-10-27 02:00:00.000 Europe/Berlin", "date_trunc", R_TZ(3), V("hour"),
       TZAT(3, "2024-10-27 01:15 UTC", "Europe/Berlin")); /* the second 02:15 (CET) */
    EQ("2024-10-27 00:00:00.000 Europe/Berlin", "date_trunc", R_TZ(3), V("day"),
       TZAT(3, "2024-10-27 01:15 UTC", "Europe/Berlin"));
    /* Havana falls back 2023-11-05 01:00 -> 00:00: midnight happens twice; a
     * value in daylight time truncates to the first midnight, one in standard
     * time to the second (Joda keeps the value's offset when it is valid) */
    EQ("-5", "$extract_timezone_hour", R_BI, TZAT(3, "2023-11-05 05:30 UTC", "America/Havana"));
    EQ("1699160400", "to_unixtime", R_DB, TZAT(3, "2023-11-05 05:00 UTC", "America/Havana"));
    EQ("0 00:30:00.000", "$subtract", R_IDS, TZAT(3, "2023-11-05 05:30 UTC", "America/Havana"),
       TZAT(3, "2023-11-05 05:00 UTC", "America/Havana"));
    {
        fixture_tz_trunc("2023-11-05 05:30 UTC", "2023-11-05 05:00:00.000 UTC");
        fixture_tz_trunc("2023-11-05 04:30 UTC", "2023-11-05 04:00:00.000 UTC");
        fixture_tz_trunc("2023-11-05 12:00 UTC", "2023-11-05 05:00:00.000 UTC"); /* later that day: CST kept */
    }
}

/* ---- date_format / date_parse (MySQL specifiers) ---- */

static void test_date_format(void **state)
{
    (void)state;
    EQ("10-20-2022 05", "date_format", R_V, TS(0, "2022-10-20 05:10:00"), V("%m-%d-%Y %H"));
    /* every specifier Trino supports, on Wednesday 2001-08-22 03:04:05.321 */
#define F(expect, spec) EQ(expect, "date_format", R_V, TS(3, "2001-08-22 03:04:05.321"), V(spec))
    F("Wed", "%a");
    F("Aug", "%b");
    F("8", "%c");
    F("22", "%d");
    F("22", "%e");
    F("321000", "%f");
    F("03", "%H");
    F("03", "%h");
    F("03", "%I");
    F("04", "%i");
    F("234", "%j");
    F("3", "%k");
    F("3", "%l");
    F("August", "%M");
    F("08", "%m");
    F("AM", "%p");
    F("03:04:05 AM", "%r");
    F("05", "%S");
    F("05", "%s");
    F("03:04:05", "%T");
    F("34", "%v");
    F("Wednesday", "%W");
    F("2001", "%x");
    F("2001", "%Y");
    F("01", "%y");
    F("%", "%%");
    F("Q", "%Q"); /* any other letter is itself */
    F("2001-08-22T03:04:05.321000 Wednesday, August 22", "%Y-%m-%dT%T.%f %W, %M %e");
#undef F
    EQ("5", "date_format", R_V, TS(3, "2001-08-05 15:04:05"), V("%e"));
    EQ("03 3 PM 03:04:05 PM 15 15", "date_format", R_V, TS(3, "2001-08-05 15:04:05"), V("%h %l %p %r %H %k"));
    EQ("12 12 AM 00 0", "date_format", R_V, TS(3, "2001-08-05 00:04:05"), V("%h %l %p %H %k"));
    EQ("2020-53 Fri", "date_format", R_V, TS(3, "2021-01-01 00:00"), V("%x-%v %a")); /* ISO week of the year before */
    EQ("001", "date_format", R_V, TS(3, "2021-01-01 00:00"), V("%j"));
    /* a timestamp with time zone is formatted in its own zone */
    EQ("2001-08-22 03:04:05", "date_format", R_V, TZ(3, "2001-08-22 03:04:05.321 America/New_York"),
       V("%Y-%m-%d %H:%i:%s"));
    EQ("123000", "date_format", R_V, TS(6, "2001-08-22 03:04:05.123987"), V("%f")); /* truncated to millis */
    /* the ones Trino refuses */
#define U(spec) EQ("ERR: " spec " not supported in date format string", "date_format", R_V, TS(3, "2001-08-22"), V(spec))
    U("%D");
    U("%U");
    U("%u");
    U("%V");
    U("%w");
    U("%X");
#undef U
    EQ("NULL", "date_format", R_V, TS(3, "2001-08-22"), V(NULL));
}

static void test_date_parse(void **state)
{
    (void)state;
    EQ("2022-10-20 05:00:00.000", "date_parse", R_TS(3), V("2022/10/20/05"), V("%Y/%m/%d/%H"));
    EQ("1970-01-01 12:34:56.789", "date_parse", R_TS(3), V("12:34:56.789"), V("%H:%i:%s.%f"));
    EQ("2001-08-22 15:04:05.000", "date_parse", R_TS(3), V("Aug 22 2001 03:04:05 PM"), V("%b %e %Y %r"));
    EQ("2069-12-31 00:00:00.000", "date_parse", R_TS(3), V("69-12-31"), V("%y-%m-%d")); /* pivot: 1970..2069 */
    EQ("1970-12-31 00:00:00.000", "date_parse", R_TS(3), V("70-12-31"), V("%y-%m-%d"));
    EQ("ERR: Cannot parse \"2022/13/20\": Value 13 for monthOfYear must be in the range [1,12]", "date_parse",
       R_TS(3), V("2022/13/20"), V("%Y/%m/%d"));
    EQ("ERR: Invalid format: \"abc\" is malformed at \"abc\"", "date_parse", R_TS(3), V("abc"), V("%Y"));
    EQ("ERR: Invalid format: \"2022\" is too short", "date_parse", R_TS(3), V("2022"), V("%Y-%m"));
    EQ("ERR: %w not supported in date format string", "date_parse", R_TS(3), V("2022"), V("%w"));
    EQ("NULL", "date_parse", R_TS(3), V(NULL), V("%Y"));
}

/* ---- fields ---- */

static void test_fields(void **state)
{
    static const char *const ts = "2001-08-22 03:04:05.321";
    (void)state;
    EQ("2022", "$extract_year", R_BI, TS(0, "2022-10-20 05:10:00"));
#define FT(expect, fn) EQ(expect, fn, R_BI, TS(3, ts))
    FT("2001", "year");
    FT("3", "quarter");
    FT("8", "month");
    FT("34", "week");
    FT("34", "week_of_year");
    FT("2001", "year_of_week");
    FT("22", "day");
    FT("22", "day_of_month");
    FT("3", "day_of_week");
    FT("3", "dow");
    FT("234", "day_of_year");
    FT("234", "doy");
    FT("3", "hour");
    FT("4", "minute");
    FT("5", "second");
    FT("321", "millisecond");
    /* the EXTRACT forms */
    FT("2001", "$extract_year");
    FT("3", "$extract_quarter");
    FT("8", "$extract_month");
    FT("34", "$extract_week");
    FT("22", "$extract_day");
    FT("22", "$extract_day_of_month");
    FT("3", "$extract_day_of_week");
    FT("3", "$extract_dow");
    FT("234", "$extract_day_of_year");
    FT("234", "$extract_doy");
    FT("2001", "$extract_year_of_week");
    FT("2001", "$extract_yow");
    FT("3", "$extract_hour");
    FT("4", "$extract_minute");
    FT("5", "$extract_second");
#undef FT
    /* dates, ISO weeks at year ends, Sunday = 7 */
    EQ("2020", "year_of_week", R_BI, D("2021-01-01"));
    EQ("53", "week", R_BI, D("2021-01-01"));
    EQ("5", "dow", R_BI, D("2021-01-01"));
    EQ("2025", "year_of_week", R_BI, D("2024-12-30"));
    EQ("1", "week", R_BI, D("2024-12-30"));
    EQ("53", "week", R_BI, D("2020-12-31"));
    EQ("7", "day_of_week", R_BI, D("2023-01-01"));
    EQ("366", "day_of_year", R_BI, D("2024-12-31"));
    EQ("60", "doy", R_BI, D("2024-02-29"));
    EQ("4", "quarter", R_BI, D("2024-10-01"));
    EQ("1969", "year", R_BI, D("1969-12-31"));
    EQ("-1", "year", R_BI, D("-0001-06-01"));
    /* before the epoch: fields are of the wall clock, not truncated toward zero */
    EQ("23", "hour", R_BI, TS(3, "1969-12-31 23:59:59.999"));
    EQ("999", "millisecond", R_BI, TS(3, "1969-12-31 23:59:59.999"));
    EQ("59", "second", R_BI, TS(6, "1969-12-31 23:59:59.999999"));
    /* a timestamp with time zone: its own zone's wall clock */
    EQ("1", "day", R_BI, TZ(3, "2020-01-01 23:30:00 America/New_York"));
    EQ("23", "hour", R_BI, TZ(3, "2020-01-01 23:30:00 America/New_York"));
        EQ("2019", "year", R_BI, TZ(3, "2019-12-31 23:30:00 -01:00"));
    EQ("-5", "$extract_timezone_hour", R_BI, TZ(3, "2020-01-01 00:00 America/New_York"));
    EQ("-4", "$extract_timezone_hour", R_BI, TZ(3, "2020-07-01 00:00 America/New_York"));
    EQ("0", "$extract_timezone_minute", R_BI, TZ(3, "2020-07-01 00:00 America/New_York"));
    EQ("5", "$extract_timezone_hour", R_BI, TZ(3, "2020-07-01 00:00 +05:30"));
    EQ("30", "$extract_timezone_minute", R_BI, TZ(3, "2020-07-01 00:00 +05:30"));
    EQ("-3", "$extract_timezone_hour", R_BI, TZ(3, "2020-07-01 00:00 -03:30"));
    EQ("-30", "$extract_timezone_minute", R_BI, TZ(3, "2020-07-01 00:00 -03:30"));
    EQ("0", "$extract_timezone_hour", R_BI, TZ(3, "2020-07-01 00:00 UTC"));
    /* time */
    EQ("13", "hour", R_BI, TM(3, "13:14:15.678"));
    EQ("14", "minute", R_BI, TM(3, "13:14:15.678"));
    EQ("15", "second", R_BI, TM(3, "13:14:15.678"));
    EQ("678", "millisecond", R_BI, TM(3, "13:14:15.678"));
    EQ("14", "$extract_minute", R_BI, TM(3, "13:14:15.678"));
    /* intervals (Java's truncating / and %) */
    EQ("2", "day", R_BI, IDS("2 03:04:05.678"));
    EQ("3", "hour", R_BI, IDS("2 03:04:05.678"));
    EQ("4", "minute", R_BI, IDS("2 03:04:05.678"));
    EQ("5", "second", R_BI, IDS("2 03:04:05.678"));
    EQ("678", "millisecond", R_BI, IDS("2 03:04:05.678"));
    EQ("-2", "day_of_month", R_BI, IDS("-2 03:04:05.678"));
    EQ("-3", "hour", R_BI, IDS("-2 03:04:05.678"));
    EQ("-678", "millisecond", R_BI, IDS("-2 03:04:05.678"));
    EQ("3", "year", R_BI, IYM("3-5"));
    EQ("5", "month", R_BI, IYM("3-5"));
    EQ("-3", "year", R_BI, IYM("-3-5"));
    EQ("-5", "$extract_month", R_BI, IYM("-3-5"));
    EQ("NULL", "year", R_BI, D(NULL));
}

/* the signatures: only the registry's (plan/functions.c) types */
static void test_signatures(void **state)
{
    lh_sqltype d = lh_sqltype_of(LH_SQL_DATE), tm = lh_sqltype_time(3), v = lh_sqltype_varchar(LH_SQL_UNBOUNDED),
               ids = lh_sqltype_of(LH_SQL_INTERVAL_DS), iym = lh_sqltype_of(LH_SQL_INTERVAL_YM),
               bi = lh_sqltype_of(LH_SQL_BIGINT), dbl = lh_sqltype_of(LH_SQL_DOUBLE), tz = lh_sqltype_timestamp_tz(3);
    lh_sqltype a[3];
    (void)state;
    assert_null(lh_scalar_find("hour", &d, 1, bi));        /* hour(date) is not Trino's */
    assert_non_null(lh_scalar_find("hour", &tm, 1, bi));
    assert_null(lh_scalar_find("quarter", &ids, 1, bi));
    assert_null(lh_scalar_find("$extract_timezone_hour", &d, 1, bi));
    assert_null(lh_scalar_find("year", &d, 1, dbl));       /* result type checked */
    a[0] = d;
    a[1] = d;
    assert_null(lh_scalar_find("$subtract", a, 2, ids));   /* date - date: "Cannot apply operator" in Trino */
    a[0] = tm;
    a[1] = iym;
    assert_null(lh_scalar_find("$add", a, 2, tm));         /* time + interval year to month */
    a[0] = ids;
    a[1] = iym;
    assert_null(lh_scalar_find("$add", a, 2, ids));
    a[0] = ids;
    a[1] = bi;
    assert_non_null(lh_scalar_find("$multiply", a, 2, ids));
    assert_non_null(lh_scalar_find("$divide", a, 2, ids));
    a[0] = bi;
    a[1] = ids;
    assert_null(lh_scalar_find("$divide", a, 2, ids));
    a[0] = tz;
    a[1] = v;
    assert_non_null(lh_scalar_find("$at_timezone", a, 2, tz));
    a[0] = v;
    a[1] = bi;
    a[2] = tm;
    assert_non_null(lh_scalar_find("date_add", a, 3, tm));
    assert_null(lh_scalar_find("date_add", a, 3, d));
}

/* ---- operators beyond the docs' table ---- */

static void test_operators(void **state)
{
    (void)state;
    /* month ends and leap years */
    EQ("2024-02-29", "$add", R_D, D("2024-01-31"), IYM("0-1"));
    EQ("2023-02-28", "$add", R_D, D("2023-01-31"), IYM("0-1"));
    EQ("2025-02-28", "$add", R_D, D("2024-02-29"), IYM("1-0"));
    EQ("2023-02-28", "$subtract", R_D, D("2024-02-29"), IYM("1-0"));
    EQ("2024-02-29 23:59:59.999", "$add", R_TS(3), TS(3, "2023-12-31 23:59:59.999"), IYM("0-2"));
    EQ("2024-02-29 10:00:00.000 Europe/Berlin", "$add", R_TZ(3), TZ(3, "2024-01-31 10:00 Europe/Berlin"), IYM("0-1"));
    EQ("2023-11-29 10:00:00.000 Europe/Berlin", "$subtract", R_TZ(3), TZ(3, "2024-02-29 10:00 Europe/Berlin"),
       IYM("0-3"));
    /* date +- day-to-second intervals only in whole days */
    EQ("ERR: Cannot add hour, minutes or seconds to a date", "$add", R_D, D("2024-01-31"), IDS("0 01:00:00"));
    EQ("ERR: Cannot subtract hour, minutes or seconds from a date", "$subtract", R_D, D("2024-01-31"),
       IDS("1 00:00:01"));
    EQ("2024-01-29", "$subtract", R_D, D("2024-01-31"), IDS("2 00:00:00"));
    EQ("2024-02-02", "$subtract", R_D, D("2024-01-31"), IDS("-2 00:00:00"));
    /* time wraps */
    EQ("02:00:00.000", "$add", R_TM(3), TM(3, "01:00"), IDS("1 01:00:00"));
    EQ("23:00:00.000", "$subtract", R_TM(3), TM(3, "01:00"), IDS("3 02:00:00"));
    EQ("00:00:00.500", "$add", R_TM(3), TM(3, "23:59:59.500"), IDS("0 00:00:01"));
    /* timestamp precision: microseconds kept; the result type's precision applies */
    EQ("2020-01-01 00:00:01.500123", "$add", R_TS(6), TS(6, "2020-01-01 00:00:00.000123"), IDS("0 00:00:01.500"));
    EQ("2020-01-01 00:00:02", "$add", R_TS(0), TS(0, "2020-01-01 00:00:00"), IDS("0 00:00:01.500"));
    EQ("2020-01-01 00:00:01.500", "$add", R_TS(3), TS(0, "2020-01-01 00:00:00"), IDS("0 00:00:01.500"));
    /* timestamp - timestamp: an interval, rounded to milliseconds */
    EQ("1 00:59:59.500", "$subtract", R_IDS, TS(3, "2020-03-02 01:00:00"), TS(3, "2020-03-01 00:00:00.500"));
    EQ("-1 00:59:59.500", "$subtract", R_IDS, TS(3, "2020-03-01 00:00:00.500"), TS(3, "2020-03-02 01:00:00"));
    EQ("0 00:00:00.002", "$subtract", R_IDS, TS(6, "2020-01-01 00:00:00.001500"), TS(6, "2020-01-01 00:00:00"));
    EQ("0 00:00:00.001", "$subtract", R_IDS, TS(6, "2020-01-01 00:00:00.001499"), TS(6, "2020-01-01 00:00:00"));
    EQ("366 00:00:00.000", "$subtract", R_IDS, TS(3, "2025-01-01"), TS(3, "2024-01-01"));
    EQ("0 05:00:00.000", "$subtract", R_IDS, TZ(3, "2020-01-01 00:00 America/New_York"), TZ(3, "2020-01-01 00:00 UTC"));
    EQ("0 00:00:00.001", "$subtract", R_IDS, TZ(6, "2020-01-01 00:00:00.000600 UTC"),
       TZ(6, "2020-01-01 00:00:00.000100 UTC")); /* 0.5 ms rounds up */
    EQ("0 00:00:00.000", "$subtract", R_IDS, TZ(6, "2020-01-01 00:00:00.000500 UTC"),
       TZ(6, "2020-01-01 00:00:00.000100 UTC"));
    EQ("-0 00:00:00.001", "$subtract", R_IDS, TZ(6, "2020-01-01 00:00:00.000100 UTC"),
       TZ(6, "2020-01-01 00:00:00.000600 UTC"));
    /* interval arithmetic */
    EQ("2 00:00:00.000", "$multiply", R_IDS, IDS("1 00:00:00"), BI("2"));
    EQ("0 06:00:00.000", "$multiply", R_IDS, BI("2"), IDS("0 03:00:00"));
    EQ("0 00:00:01.500", "$multiply", R_IDS, IDS("0 00:00:01"), DB("1.5"));
    EQ("-0 00:00:01.500", "$multiply", R_IDS, DB("-1.5"), IDS("0 00:00:01"));
    EQ("0 00:00:00.333", "$divide", R_IDS, IDS("0 00:00:01"), DB("3"));
    EQ("0 08:00:00.000", "$divide", R_IDS, IDS("1 00:00:00"), BI("3"));
    EQ("ERR: Cannot divide by double 0.0", "$divide", R_IDS, IDS("1 00:00:00"), DB("0"));
    EQ("ERR: Cannot divide by double -0.0", "$divide", R_IDS, IDS("1 00:00:00"), DB("-0.0"));
    EQ("ERR: Cannot divide by double NaN", "$divide", R_IYM, IYM("1-0"), DB("nan"));
    EQ("ERR: Cannot multiply by double NaN", "$multiply", R_IDS, IDS("1 00:00:00"), DB("nan"));
    EQ("ERR: Cannot multiply by double NaN", "$multiply", R_IYM, DB("nan"), IYM("1-0"));
    EQ("3-0", "$multiply", R_IYM, IYM("1-0"), BI("3"));
    EQ("3-0", "$multiply", R_IYM, BI("3"), IYM("1-0"));
    EQ("0-9", "$multiply", R_IYM, IYM("1-6"), DB("0.5"));
    EQ("0-2", "$divide", R_IYM, IYM("1-0"), DB("5"));
    EQ("-0-2", "$divide", R_IYM, IYM("1-0"), DB("-5"));
    EQ("ERR: integer overflow", "$multiply", R_IYM, IYM("100000000-0"), BI("3"));
    EQ("ERR: integer overflow", "$multiply", R_IYM, IYM("100000000-0"), DB("1e300"));
    EQ("ERR: Interval value out of range", "$multiply", R_IDS, IDS("100000000 00:00:00"), BI("1000000000"));
    EQ("ERR: integer overflow", "$add", R_IYM, IYM("178956970-7"), IYM("0-1"));
    EQ("-1 02:00:00.000", "$negate", R_IDS, IDS("1 02:00:00"));
    EQ("1 02:00:00.000", "$negate", R_IDS, IDS("-1 02:00:00"));
    EQ("-3-5", "$negate", R_IYM, IYM("3-5"));
    EQ("NULL", "$negate", R_IYM, IYM(NULL));
    EQ("NULL", "$add", R_TS(3), TS(3, "2020-01-01"), IDS(NULL));
    EQ("NULL", "$multiply", R_IDS, IDS("1 00:00:00"), DB(NULL));
}

/* ---- date(), from_unixtime, to_unixtime, now, current_timezone ---- */

static void test_conversions(void **state)
{
    (void)state;
    EQ("2020-01-02", "date", R_D, V("2020-01-02"));
    EQ("2020-01-02", "date", R_D, V(" 2020-1-2 "));
    EQ("ERR: Value cannot be cast to date: bogus", "date", R_D, V("bogus"));
    EQ("2020-01-02", "date", R_D, TS(3, "2020-01-02 23:59:59.999"));
    EQ("1969-12-31", "date", R_D, TS(3, "1969-12-31 23:59:59.999"));
    EQ("2020-01-02", "date", R_D, TZ(3, "2020-01-02 01:00 +05:00")); /* its own zone's date */
    EQ("2020-01-01", "date", R_D, TZAT(3, "2020-01-02 01:00 UTC", "America/New_York"));
    EQ("2017-07-14 02:40:00.000 UTC", "from_unixtime", R_TZ(3), DB("1500000000"));
    EQ("1970-01-01 00:00:01.235 UTC", "from_unixtime", R_TZ(3), DB("1.23456"));
    EQ("1969-12-31 23:59:59.000 UTC", "from_unixtime", R_TZ(3), DB("-1"));
    EQ("1969-12-31 19:00:00.000 America/New_York", "from_unixtime", R_TZ(3), DB("0"), V("America/New_York"));
    EQ("ERR: Time zone not supported: Mars/Olympus", "from_unixtime", R_TZ(3), DB("0"), V("Mars/Olympus"));
    EQ("1970-01-01 05:30:00.000 +05:30", "from_unixtime", R_TZ(3), DB("0"), BI("5"), BI("30"));
    EQ("1969-12-31 18:30:00.000 -05:30", "from_unixtime", R_TZ(3), DB("0"), BI("-5"), BI("-30"));
    EQ("1970-01-01 00:00:00.000 UTC", "from_unixtime", R_TZ(3), DB("0"), BI("0"), BI("0"));
    EQ("ERR: Invalid offset minutes 841", "from_unixtime", R_TZ(3), DB("0"), BI("14"), BI("1"));
    set_session("Europe/Berlin");
    EQ("1970-01-01 01:00:00.000 Europe/Berlin", "from_unixtime", R_TZ(3), DB("0"));
    set_session("UTC");
    EQ("1582516800.123", "to_unixtime", R_DB, TZ(3, "2020-02-24 04:00:00.123 UTC"));
    EQ("1582516800.123", "to_unixtime", R_DB, TZ(3, "2020-02-24 05:00:00.123 +01:00"));
    EQ("-0.5", "to_unixtime", R_DB, TZ(3, "1969-12-31 23:59:59.500 UTC"));
    EQ("NULL", "to_unixtime", R_DB, TZ(3, NULL));
    EQ("NULL", "from_unixtime", R_TZ(3), DB(NULL), V("UTC"));
}

static void test_session_functions(void **state)
{
    (void)state;
    g_env.now_us = 1582516800123456LL; /* 2020-02-24 04:00:00.123456 UTC */
    set_session("America/New_York");
    EQ0("2020-02-23 23:00:00.123 America/New_York", "now", R_TZ(3));
    EQ0("America/New_York", "current_timezone", R_V);
    set_session("+05:30");
    EQ0("+05:30", "current_timezone", R_V);
    set_session("UTC");
    EQ0("2020-02-24 04:00:00.123 UTC", "now", R_TZ(3));
    EQ0("UTC", "current_timezone", R_V);
    g_env.now_us = 0;
}

/* ---- non-constant units, formats and zones that change from row to row ---- */

typedef struct fixture {
    lh_arena ar;
    lh_fn_call c;
    lh_sqltype ts[3];
    lh_vector *args[3], *out;
    const lh_scalar_impl *im;
} fixture;

static void fx_init(fixture *f, const char *fn, lh_sqltype ret, size_t n, const lh_sqltype *ts)
{
    lh_err e;
    size_t i;
    memset(f, 0, sizeof *f);
    lh_arena_init(&f->ar, 0);
    for (i = 0; i < n; i++) {
        f->ts[i] = ts[i];
        if (lh_vector_create(ts[i], 0, &f->args[i], &e))
            fail_msg("%s", e.msg);
    }
    if (lh_vector_create(ret, 0, &f->out, &e))
        fail_msg("%s", e.msg);
    f->im = lh_scalar_find(fn, ts, n, ret);
    assert_non_null(f->im);
    f->c.arg_types = f->ts;
    f->c.nargs = n;
    f->c.ret = ret;
    f->c.arena = &f->ar;
    f->c.env = &g_env;
}

static void fx_free(fixture *f)
{
    size_t i;
    for (i = 0; i < 3; i++)
        lh_vector_free(f->args[i]);
    lh_vector_free(f->out);
    lh_arena_free(&f->ar);
}

/* init (no constants), eval over rows 0..n-1, done */
static lh_rc fx_run(fixture *f, uint32_t n, lh_err *e)
{
    lh_vector *none[3] = {NULL, NULL, NULL};
    lh_rows rows = {NULL, n};
    lh_rc rc = f->im->init ? f->im->init(&f->c, none, e) : LH_OK;
    if (!rc)
        rc = f->im->eval(&f->c, f->args, f->out, rows, e);
    if (f->im->done)
        f->im->done(&f->c);
    assert_null(f->c.state);
    return rc;
}

static void set_text(fixture *f, int arg, uint32_t row, const char *s)
{
    targ a = T_(f->ts[arg], s);
    put(f->args[arg], row, &a, &f->ar);
}

static void expect_row(fixture *f, uint32_t row, const char *want)
{
    char buf[256];
    fmt_val(f->out, row, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void test_per_row_arguments(void **state)
{
    static const char *const fmts[] = {"%Y", "%Y", "%m/%d", "%Y", "%H:%i:%s %p, %W the %jth day of %Y"};
    static const char *const want[] = {"2001", "2001", "08/22", "2001", "03:04:05 AM, Wednesday the 234th day of 2001"};
    static const char *const units[] = {"day", "DAY", "month", "year", "hour", "Hour"};
    static const char *const uwant[] = {"2001-08-22 00:00:00.000", "2001-08-22 00:00:00.000", "2001-08-01 00:00:00.000",
                                        "2001-01-01 00:00:00.000", "2001-08-22 03:00:00.000", "2001-08-22 03:00:00.000"};
    static const char *const zones[] = {"UTC", "Asia/Tokyo", "Asia/Tokyo", "America/New_York", "-03:00"};
    static const char *const zwant[] = {"2001-08-22 03:04:05.321 UTC", "2001-08-22 12:04:05.321 Asia/Tokyo",
                                        "2001-08-22 12:04:05.321 Asia/Tokyo", "2001-08-21 23:04:05.321 America/New_York",
                                        "2001-08-22 00:04:05.321 -03:00"};
    fixture f;
    lh_sqltype ts2[2] = {lh_sqltype_timestamp(3), lh_sqltype_varchar(LH_SQL_UNBOUNDED)};
    lh_sqltype tu[2] = {lh_sqltype_varchar(LH_SQL_UNBOUNDED), lh_sqltype_timestamp(3)};
    lh_sqltype tz2[2] = {lh_sqltype_timestamp_tz(3), lh_sqltype_varchar(LH_SQL_UNBOUNDED)};
    lh_err e;
    uint32_t i;
    (void)state;
    fx_init(&f, "date_format", R_V, 2, ts2);
    for (i = 0; i < 5; i++) {
        set_text(&f, 0, i, "2001-08-22 03:04:05.321");
        set_text(&f, 1, i, fmts[i]);
    }
    assert_int_equal(fx_run(&f, 5, &e), LH_OK);
    for (i = 0; i < 5; i++)
        expect_row(&f, i, want[i]);
    /* a bad format in a later row fails the batch with Trino's message */
    set_text(&f, 1, 3, "%U");
    assert_int_equal(fx_run(&f, 5, &e), LH_EDATA);
    assert_string_equal(e.msg, "%U not supported in date format string");
    fx_free(&f);

    fx_init(&f, "date_trunc", R_TS(3), 2, tu);
    for (i = 0; i < 6; i++) {
        set_text(&f, 0, i, units[i]);
        set_text(&f, 1, i, "2001-08-22 03:04:05.321");
    }
    assert_int_equal(fx_run(&f, 6, &e), LH_OK);
    for (i = 0; i < 6; i++)
        expect_row(&f, i, uwant[i]);
    set_text(&f, 0, 4, "Century");
    assert_int_equal(fx_run(&f, 6, &e), LH_EDATA);
    assert_string_equal(e.msg, "'century' is not a valid Timestamp field");
    fx_free(&f);

    fx_init(&f, "$at_timezone", R_TZ(3), 2, tz2);
    for (i = 0; i < 5; i++) {
        set_text(&f, 0, i, "2001-08-22 03:04:05.321 UTC");
        set_text(&f, 1, i, zones[i]);
    }
    assert_int_equal(fx_run(&f, 5, &e), LH_OK);
    for (i = 0; i < 5; i++)
        expect_row(&f, i, zwant[i]);
    fx_free(&f);
}

/* A full batch (2048 rows, every path over 32 validity words) with NULLs
 * every 7th row, and a DICT input flattened as the evaluator does. */
static void test_full_batch_and_dict(void **state)
{
    fixture f;
    lh_sqltype t1[1] = {lh_sqltype_of(LH_SQL_DATE)};
    lh_vector *dict;
    lh_err e;
    uint32_t i;
    (void)state;
    fx_init(&f, "day_of_week", R_BI, 1, t1);
    for (i = 0; i < LH_BATCH; i++) {
        if (i % 7 == 3)
            lh_vector_set_null(f.args[0], i);
        else
            lh_vector_set_i64(f.args[0], i, (int64_t)i - 1000); /* 1967-04-08 onwards */
    }
    assert_int_equal(fx_run(&f, LH_BATCH, &e), LH_OK);
    for (i = 0; i < LH_BATCH; i++) {
        if (i % 7 == 3)
            assert_false(lh_vector_get_valid(f.out, i));
        else
            assert_int_equal(lh_vector_get_i64(f.out, i), (((int64_t)i - 1000) % 7 + 7 + 3) % 7 + 1);
    }
    fx_free(&f);

    fx_init(&f, "year", R_BI, 1, t1);
    if (lh_vector_set_dict(f.args[0], 2, &dict, &e))
        fail_msg("%s", e.msg);
    lh_vector_set_i64(dict, 0, 0);     /* 1970-01-01 */
    lh_vector_set_i64(dict, 1, 18262); /* 2020-01-01 */
    for (i = 0; i < 10; i++)
        f.args[0]->dict_idx[i] = (uint16_t)(i & 1);
    lh_vector_set_null(f.args[0], 4);
    lh_k_prepare(f.args[0], (lh_rows){NULL, 10});
    assert_int_equal(fx_run(&f, 10, &e), LH_OK);
    expect_row(&f, 0, "1970");
    expect_row(&f, 1, "2020");
    expect_row(&f, 4, "NULL");
    expect_row(&f, 9, "2020");
    fx_free(&f);
}

/* ---- allocation failures: every allocation of init (and of a format
 * compiled while evaluating) fails in turn; each is a clean LH_ENOMEM
 * with nothing left allocated (the sanitizer build checks the leaks). */

typedef struct walk_case {
    const char *fn;
    lh_sqltype ret;
    size_t n;
    targ a[3];
    int const_mask; /* arguments passed to init as constants */
    const char *want;
} walk_case;

static void test_alloc_faults(void **state)
{
    walk_case cases[] = {
        {"date_format", R_V, 2, {TS(3, "2001-08-22 03:04:05.321"), V("%W %M %e %Y %T.%f")}, 2,
         "Wednesday August 22 2001 03:04:05.321000"},
        {"date_format", R_V, 2, {TS(3, "2001-08-22 03:04:05.321"), V("%W %M %e %Y %T.%f")}, 0,
         "Wednesday August 22 2001 03:04:05.321000"},
        {"date_parse", R_TS(3), 2, {V("2001-08-22"), V("%Y-%m-%d")}, 2, "2001-08-22 00:00:00.000"},
        {"date_parse", R_TS(3), 2, {V("2001-08-22"), V("%Y-%m-%d")}, 0, "2001-08-22 00:00:00.000"},
        {"date_trunc", R_TS(3), 2, {V("month"), TS(3, "2001-08-22 03:04:05.321")}, 1, "2001-08-01 00:00:00.000"},
        {"date_add", R_D, 3, {V("month"), BI("1"), D("2001-01-31")}, 1, "2001-02-28"},
        {"date_diff", R_BI, 3, {V("day"), D("2001-01-31"), D("2001-03-01")}, 1, "29"},
        {"from_unixtime", R_TZ(3), 2, {DB("0"), V("Asia/Kolkata")}, 2, "1970-01-01 05:30:00.000 Asia/Kolkata"},
        {"$at_timezone", R_TZ(3), 2, {TZ(3, "2001-08-22 03:04:05 UTC"), V("Australia/Sydney")}, 2,
         "2001-08-22 13:04:05.000 Australia/Sydney"},
        {"$at_timezone", R_TZ(3), 2, {TZ(3, "2001-08-22 03:04:05 UTC"), V("Pacific/Auckland")}, 0,
         "2001-08-22 15:04:05.000 Pacific/Auckland"},
        {"current_timezone", R_V, 0, {V(NULL)}, 0, "UTC"},
    };
    size_t k;
    (void)state;
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        walk_case *w = &cases[k];
        const lh_scalar_impl *im = find(w->fn, w->ret, w->n, w->a);
        int ok = 0;
        long n;
        for (n = 1; n < 200 && !ok; n++) {
            lh_vector *args[3] = {NULL, NULL, NULL}, *consts[3] = {NULL, NULL, NULL}, *out = NULL;
            lh_sqltype ts[3];
            lh_arena ar;
            lh_fn_call c;
            lh_err e;
            lh_rc rc = LH_OK;
            lh_rows rows = {NULL, 1};
            size_t i;
            lh_arena_init(&ar, 0);
            for (i = 0; i < w->n; i++) {
                ts[i] = w->a[i].t;
                if (lh_vector_create(ts[i], 0, &args[i], &e))
                    fail_msg("%s", e.msg);
                if (w->const_mask & (1 << i)) {
                    lh_vector_set_const(args[i], 0);
                    consts[i] = args[i];
                }
                put(args[i], 0, &w->a[i], NULL); /* views of static text: no arena */
            }
            if (lh_vector_create(w->ret, 0, &out, &e))
                fail_msg("%s", e.msg);
            memset(&c, 0, sizeof c);
            c.arg_types = ts;
            c.nargs = w->n;
            c.ret = w->ret;
            c.arena = &ar;
            c.env = &g_env;
            lh_fault_alloc_set(n);
            if (im->init)
                rc = im->init(&c, consts, &e);
            if (!rc)
                rc = im->eval(&c, args, out, rows, &e);
            lh_fault_alloc_set(0);
            if (im->done)
                im->done(&c);
            assert_null(c.state);
            if (rc) {
                assert_int_equal(rc, LH_ENOMEM);
            } else {
                char buf[256];
                fmt_val(out, 0, buf, sizeof buf);
                assert_string_equal(buf, w->want);
                ok = 1;
            }
            for (i = 0; i < w->n; i++)
                lh_vector_free(args[i]);
            lh_vector_free(out);
            lh_arena_free(&ar);
        }
        if (!ok)
            fail_msg("%s never succeeded", w->fn);
        if (im->init && n <= 2) /* the state at least was allocated, so the walk saw a failure */
            fail_msg("%s: no allocation failed", w->fn);
    }
}

/* Every call the analyzer types (plan/functions.c) finds an implementation
 * for exactly the parameter and result types it resolves.  (The operators'
 * signatures, plan/coerce.c, cannot be included here: coerce.h's lh_op and
 * kernels.h's lh_arith_op both define LH_OP_ADD...; test_operator_signatures
 * lists them.) */
static void test_registry_coverage(void **state)
{
    static const char *const names[] = {"from_unixtime", "to_unixtime", "date_trunc", "date_add", "date_diff",
                                        "date_format", "date_parse", "date", "year", "quarter", "month", "week",
                                        "week_of_year", "year_of_week", "day", "day_of_month", "day_of_week", "dow",
                                        "day_of_year", "doy", "hour", "minute", "second", "millisecond", "now",
                                        "current_timezone"};
    lh_sqltype kinds[] = {lh_sqltype_of(LH_SQL_DATE), lh_sqltype_time(0), lh_sqltype_time(6),
                          lh_sqltype_timestamp(0), lh_sqltype_timestamp(3), lh_sqltype_timestamp(6),
                          lh_sqltype_timestamp_tz(0), lh_sqltype_timestamp_tz(3), lh_sqltype_timestamp_tz(6),
                          lh_sqltype_of(LH_SQL_INTERVAL_DS), lh_sqltype_of(LH_SQL_INTERVAL_YM),
                          lh_sqltype_varchar(10), lh_sqltype_of(LH_SQL_BIGINT), lh_sqltype_of(LH_SQL_INTEGER),
                          lh_sqltype_of(LH_SQL_DOUBLE), lh_sqltype_of(LH_SQL_UNKNOWN)};
    const size_t nk = sizeof kinds / sizeof kinds[0];
    size_t f, i, j, k, resolved = 0;
    (void)state;
    for (f = 0; f < sizeof names / sizeof names[0]; f++) {
        const lh_fn *fn = lh_fn_lookup(names[f]);
        assert_non_null(fn);
        /* every combination of up to three argument kinds */
        for (i = 0; i <= nk; i++)
            for (j = 0; j <= (i ? nk : 0); j++)
                for (k = 0; k <= (j ? nk : 0); k++) {
                    lh_sqltype args[3], params[3], res;
                    size_t n = 0;
                    if (i)
                        args[n++] = kinds[i - 1];
                    if (j)
                        args[n++] = kinds[j - 1];
                    if (k)
                        args[n++] = kinds[k - 1];
                    if (lh_fn_resolve(fn, args, n, params, &res, NULL) != LH_OK)
                        continue;
                    resolved++;
                    if (!lh_scalar_find(names[f], params, n, res)) {
                        char a[3][LH_SQLTYPE_NAME_MAX], r[LH_SQLTYPE_NAME_MAX];
                        fail_msg("%s(%s, %s, %s) -> %s has no implementation", names[f],
                                 n > 0 ? lh_sqltype_name(params[0], a[0], sizeof a[0]) : "",
                                 n > 1 ? lh_sqltype_name(params[1], a[1], sizeof a[1]) : "",
                                 n > 2 ? lh_sqltype_name(params[2], a[2], sizeof a[2]) : "",
                                 lh_sqltype_name(res, r, sizeof r));
                    }
                }
    }
    assert_true(resolved > 300);
}

/* The operator signatures plan/coerce.c's temporal_arith gives. */
static void test_operator_signatures(void **state)
{
    lh_sqltype dts[] = {lh_sqltype_of(LH_SQL_DATE), lh_sqltype_time(3), lh_sqltype_time(6), lh_sqltype_timestamp(0),
                        lh_sqltype_timestamp(6), lh_sqltype_timestamp_tz(3), lh_sqltype_timestamp_tz(6)};
    lh_sqltype ivs[] = {lh_sqltype_of(LH_SQL_INTERVAL_DS), lh_sqltype_of(LH_SQL_INTERVAL_YM)};
    lh_sqltype nums[] = {lh_sqltype_of(LH_SQL_BIGINT), lh_sqltype_of(LH_SQL_DOUBLE)};
    size_t i, j;
    (void)state;
#define HAS(fn, l, r, res)                                                                                            \
    do {                                                                                                              \
        lh_sqltype ps_[2] = {(l), (r)};                                                                               \
        if (!lh_scalar_find(fn, ps_, 2, (res)))                                                                       \
            fail_msg("%s(%d, %d) -> %d missing", fn, ps_[0].id, ps_[1].id, (res).id);                                 \
    } while (0)
    for (i = 0; i < sizeof dts / sizeof dts[0]; i++)
        for (j = 0; j < 2; j++) {
            if (dts[i].id == LH_SQL_TIME && j == 1)
                continue;
            HAS("$add", dts[i], ivs[j], dts[i]);
            HAS("$add", ivs[j], dts[i], dts[i]);
            HAS("$subtract", dts[i], ivs[j], dts[i]);
        }
    for (j = 0; j < 2; j++) {
        HAS("$add", ivs[j], ivs[j], ivs[j]);
        HAS("$subtract", ivs[j], ivs[j], ivs[j]);
        for (i = 0; i < 2; i++) {
            HAS("$multiply", ivs[j], nums[i], ivs[j]);
            HAS("$multiply", nums[i], ivs[j], ivs[j]);
        }
        HAS("$divide", ivs[j], nums[1], ivs[j]);
    }
    for (i = 3; i < sizeof dts / sizeof dts[0]; i++)
        HAS("$subtract", dts[i], dts[i], ivs[0]);
#undef HAS
}

/* Random batches against the scalar rules row by row: 2048 timestamps with
 * time zone across four zones and 600 years, random NULLs, a random
 * selection; every field, every date_trunc/date_add/date_diff unit. */
static uint64_t g_rng = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}

static void test_random_against_rules(void **state)
{
    static const char *const zones[] = {"UTC", "America/New_York", "Europe/Berlin", "+05:45"};
    static const char *const fields[] = {"year", "quarter", "month", "week", "year_of_week", "day", "day_of_week",
                                         "day_of_year", "hour", "minute", "second", "millisecond"};
    static const char *const units[] = {"millisecond", "second", "minute", "hour", "day",
                                        "week",        "month",  "quarter", "year"};
    lh_zone zk[4];
    lh_sqltype tz = lh_sqltype_timestamp_tz(3), v = lh_sqltype_varchar(LH_SQL_UNBOUNDED), bi = R_BI;
    lh_vector *x, *y, *uv, *nv, *out;
    uint16_t sel[LH_BATCH];
    lh_rows rows;
    lh_err e;
    uint32_t i, k, n = 0;
    size_t f, u;
    int round;
    (void)state;
    for (i = 0; i < 4; i++)
        if (lh_zone_lookup(zones[i], strlen(zones[i]), &zk[i], &e))
            fail_msg("%s", e.msg);
    if (lh_vector_create(tz, 0, &x, &e) || lh_vector_create(tz, 0, &y, &e) || lh_vector_create(v, 0, &uv, &e) ||
        lh_vector_create(bi, 0, &nv, &e))
        fail_msg("%s", e.msg);
    for (round = 0; round < 3; round++) {
        n = 0;
        lh_vector_reset(x);
        lh_vector_reset(y);
        for (i = 0; i < LH_BATCH; i++) {
            lh_tstz a, b;
            /* 1700..2300, millisecond precision */
            a.utc_us = ((int64_t)(rnd() % (600ULL * 365 * 86400000ULL)) - 270LL * 365 * 86400000LL) * 1000;
            a.zone = zk[rnd() % 4];
            b.utc_us = a.utc_us + ((int64_t)(rnd() % (4000ULL * 86400000ULL)) - 2000LL * 86400000LL) * 1000;
            b.zone = a.zone;
            lh_vector_set_tstz(x, i, a);
            lh_vector_set_tstz(y, i, b);
            lh_vector_set_i64(nv, i, (int64_t)(rnd() % 2001) - 1000);
            if (rnd() % 10 == 0)
                lh_vector_set_null(x, i);
            if (rnd() % 3)
                sel[n++] = (uint16_t)i;
        }
        rows.sel = round == 1 ? NULL : sel;
        rows.n = round == 1 ? LH_BATCH : n;
        for (f = 0; f < sizeof fields / sizeof fields[0]; f++) {
            const lh_scalar_impl *im = lh_scalar_find(fields[f], &tz, 1, bi);
            lh_fn_call c;
            assert_non_null(im);
            if (lh_vector_create(bi, 0, &out, &e))
                fail_msg("%s", e.msg);
            memset(&c, 0, sizeof c);
            c.arg_types = &tz;
            c.nargs = 1;
            c.ret = bi;
            c.env = &g_env;
            assert_int_equal(im->eval(&c, &x, out, rows, &e), LH_OK);
            for (k = 0; k < rows.n; k++) {
                uint32_t r = rows.sel ? rows.sel[k] : k;
                lh_dt_fields d;
                int64_t want, local = lh_tstz_local_us(lh_vector_get_tstz(x, r));
                if (!lh_vector_get_valid(x, r)) {
                    assert_false(lh_vector_get_valid(out, r));
                    continue;
                }
                lh_dt_fields_of(local, &d);
                want = f == 0 ? d.year : f == 1 ? d.quarter : f == 2 ? d.month : f == 3 ? d.week
                     : f == 4 ? d.year_of_week : f == 5 ? d.day : f == 6 ? d.day_of_week : f == 7 ? d.day_of_year
                     : f == 8 ? d.hour : f == 9 ? d.minute : f == 10 ? d.second : d.millisecond;
                assert_true(lh_vector_get_valid(out, r));
                if (lh_vector_get_i64(out, r) != want)
                    fail_msg("%s row %u: %lld, want %lld", fields[f], r, (long long)lh_vector_get_i64(out, r),
                             (long long)want);
            }
            lh_vector_free(out);
        }
        for (u = 0; u < sizeof units / sizeof units[0]; u++) {
            lh_sqltype t2[2] = {v, tz}, t3[3] = {v, bi, tz}, d3[3] = {v, tz, tz};
            const lh_scalar_impl *tr = lh_scalar_find("date_trunc", t2, 2, tz), *ad = lh_scalar_find("date_add", t3, 3, tz),
                                 *df = lh_scalar_find("date_diff", d3, 3, bi);
            lh_vector *o1, *o2, *o3, *a2[2], *a3[3], *consts[3] = {NULL, NULL, NULL};
            lh_fn_call c1, c2, c3;
            lh_dt_unit un = (lh_dt_unit)u;
            lh_vector_set_const(uv, 0);
            if (lh_vector_set_str(uv, 0, units[u], strlen(units[u]), NULL, &e))
                fail_msg("%s", e.msg);
            consts[0] = uv;
            if (lh_vector_create(tz, 0, &o1, &e) || lh_vector_create(tz, 0, &o2, &e) || lh_vector_create(bi, 0, &o3, &e))
                fail_msg("%s", e.msg);
            memset(&c1, 0, sizeof c1);
            c1.arg_types = t2, c1.nargs = 2, c1.ret = tz, c1.env = &g_env;
            c2 = c1;
            c2.arg_types = t3, c2.nargs = 3;
            c3 = c1;
            c3.arg_types = d3, c3.nargs = 3, c3.ret = bi;
            a2[0] = uv, a2[1] = x;
            a3[0] = uv, a3[1] = nv, a3[2] = x;
            assert_int_equal(tr->init(&c1, consts, &e), LH_OK);
            assert_int_equal(tr->eval(&c1, a2, o1, rows, &e), LH_OK);
            assert_int_equal(ad->init(&c2, consts, &e), LH_OK);
            assert_int_equal(ad->eval(&c2, a3, o2, rows, &e), LH_OK);
            a3[1] = x, a3[2] = y;
            assert_int_equal(df->init(&c3, consts, &e), LH_OK);
            assert_int_equal(df->eval(&c3, a3, o3, rows, &e), LH_OK);
            tr->done(&c1);
            ad->done(&c2);
            df->done(&c3);
            for (k = 0; k < rows.n; k++) {
                uint32_t r = rows.sel ? rows.sel[k] : k;
                lh_tstz a = lh_vector_get_tstz(x, r), b = lh_vector_get_tstz(y, r), t, want;
                if (!lh_vector_get_valid(x, r)) {
                    assert_false(lh_vector_get_valid(o1, r));
                    assert_false(lh_vector_get_valid(o2, r));
                    assert_false(lh_vector_get_valid(o3, r));
                    continue;
                }
                /* truncation: the wall clock of the result is the truncated wall clock */
                t = lh_vector_get_tstz(o1, r);
                want = lh_tstz_trunc(un, a);
                assert_int_equal(lh_tstz_local_us(t), lh_tstz_local_us(want));
                assert_true(t.utc_us <= a.utc_us);
                assert_int_equal(t.zone, a.zone);
                assert_int_equal(lh_tstz_add(un, lh_vector_get_i64(nv, r), a, &want, &e), LH_OK);
                assert_int_equal(lh_vector_get_tstz(o2, r).utc_us, want.utc_us);
                assert_int_equal(lh_vector_get_i64(o3, r), lh_tstz_diff(un, a, b));
            }
            lh_vector_free(o1);
            lh_vector_free(o2);
            lh_vector_free(o3);
        }
    }
    lh_vector_free(x);
    lh_vector_free(y);
    lh_vector_free(uv);
    lh_vector_free(nv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doc_operators),     cmocka_unit_test(test_doc_at_time_zone),
        cmocka_unit_test(test_date_trunc),        cmocka_unit_test(test_date_add),
        cmocka_unit_test(test_date_diff),         cmocka_unit_test(test_dst),
        cmocka_unit_test(test_date_format),       cmocka_unit_test(test_date_parse),
        cmocka_unit_test(test_fields),            cmocka_unit_test(test_signatures),
        cmocka_unit_test(test_operators),         cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_session_functions), cmocka_unit_test(test_per_row_arguments),
        cmocka_unit_test(test_full_batch_and_dict), cmocka_unit_test(test_alloc_faults),
        cmocka_unit_test(test_registry_coverage), cmocka_unit_test(test_operator_signatures),
        cmocka_unit_test(test_random_against_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
