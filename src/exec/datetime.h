/* exec/datetime.h — Trino's date, time, timestamp and interval values.
 *
 * Representation (proleptic Gregorian calendar, year 0 exists, as Joda's
 * ISO chronology that Trino uses):
 *   date                        int32 days since 1970-01-01
 *   time(p)                     int64 microseconds since midnight
 *   timestamp(p)                int64 microseconds since 1970-01-01 00:00:00,
 *                               a wall-clock value with no zone
 *   timestamp(p) with time zone lh_tstz {UTC microseconds, zone key}
 *   interval day to second      int64 microseconds
 *   interval year to month      int32 months
 * p is 0..6 (exec/sqltype.h).  A value of precision p has its micros
 * rounded to p digits (lh_ts_round).  Units of date_trunc/date_add/
 * date_diff act on the wall clock for date, timestamp and (for day and
 * longer) timestamp with time zone; hours and shorter act on the instant.
 *
 * Hot-path functions (format, fields, arithmetic, zone offsets) never
 * allocate.  lh_datefmt_compile allocates once per format string; zone
 * loading allocates once per zone per process (exec/tz.h).
 */
#ifndef LH_EXEC_DATETIME_H
#define LH_EXEC_DATETIME_H

#include <stddef.h>
#include <stdint.h>

#include "exec/sqltype.h"
#include "exec/tz.h"
#include "util/err.h"

#define LH_US_PER_MS 1000LL
#define LH_US_PER_SEC 1000000LL
#define LH_US_PER_MIN 60000000LL
#define LH_US_PER_HOUR 3600000000LL
#define LH_US_PER_DAY 86400000000LL
#define LH_DT_FMT_MAX 96 /* longest formatted timestamp with time zone, + NUL, excluding the zone name */

typedef struct lh_tstz {
    int64_t utc_us;
    lh_zone zone;
} lh_tstz;

typedef enum lh_dt_ctx {
    LH_DT_LITERAL, /* errors: "'x' is not a valid TIMESTAMP literal" */
    LH_DT_CAST     /* errors: "Value cannot be cast to timestamp: x" */
} lh_dt_ctx;

/* ---- calendar ---- */
int lh_dt_is_leap(int64_t year);
int lh_dt_days_in_month(int64_t year, int month);
int64_t lh_dt_floordiv(int64_t a, int64_t b);
int64_t lh_dt_floormod(int64_t a, int64_t b);

/* ---- rounding, conversion ---- */
/* Round micros to precision p (0..6) HALF_UP on the time line. */
int64_t lh_ts_round(int64_t us, int p);
int64_t lh_tstz_local_us(lh_tstz t);                      /* wall clock in its zone */
int64_t lh_local_to_utc_us(lh_zone z, int64_t local_us); /* see lh_zone_local_to_utc */
int32_t lh_ts_to_date(int64_t us);                        /* floor to the day */
int64_t lh_date_to_ts(int32_t days);

/* ---- parse and print ---- */
/* 'YYYY-MM-DD' ([+-] and more year digits allowed; 1-2 digit month/day).
 * CAST trims surrounding spaces.  LH_EDATA "Value cannot be cast to date: x"
 * or "'x' is not a valid DATE literal". */
lh_rc lh_date_parse(const char *s, size_t n, lh_dt_ctx ctx, int32_t *days, lh_err *err) LH_MUST_CHECK;
size_t lh_date_format(int32_t days, char *buf, size_t bufsz); /* "2022-06-18" */

/* A TIMESTAMP literal: 'YYYY-MM-DD[ HH:MM[:SS[.f...]]][ zone]'.  Its type is
 * timestamp(p) with p the number of fraction digits written, or
 * timestamp(p) with time zone when a zone follows (us is then the UTC
 * instant).  7+ fraction digits: LH_EUNSUPPORTED. */
lh_rc lh_timestamp_literal(const char *s, size_t n, lh_sqltype *type, int64_t *us, lh_zone *zone,
                           lh_err *err) LH_MUST_CHECK;
/* CAST(varchar AS timestamp(p)): rounded to p; a zone is an error. */
lh_rc lh_timestamp_cast(const char *s, size_t n, int p, int64_t *us, lh_err *err) LH_MUST_CHECK;
/* CAST(varchar AS timestamp(p) with time zone); no zone means session_zone. */
lh_rc lh_tstz_cast(const char *s, size_t n, int p, lh_zone session_zone, lh_tstz *out, lh_err *err) LH_MUST_CHECK;
/* TIME literal / cast: 'HH:MM[:SS[.f...]]'; *p = fraction digits (literal). */
lh_rc lh_time_parse(const char *s, size_t n, lh_dt_ctx ctx, int *p, int64_t *us, lh_err *err) LH_MUST_CHECK;

/* "2022-06-18 14:30:00.000" for p = 3, no fraction for p = 0. */
size_t lh_timestamp_format(int64_t us, int p, char *buf, size_t bufsz);
/* "2022-06-18 14:30:00.000 UTC", "... America/New_York", "... +02:00". */
size_t lh_tstz_format(lh_tstz t, int p, char *buf, size_t bufsz);
size_t lh_time_format(int64_t us, int p, char *buf, size_t bufsz); /* "14:30:00.000" */

/* ---- intervals ---- */
/* "2 03:04:05.000" (Trino prints milliseconds), "-1 21:00:00.000". */
size_t lh_interval_ds_format(int64_t us, char *buf, size_t bufsz);
/* "1-2", "-2-7". */
size_t lh_interval_ym_format(int32_t months, char *buf, size_t bufsz);

typedef enum lh_dt_field {
    LH_F_YEAR,
    LH_F_MONTH,
    LH_F_DAY,
    LH_F_HOUR,
    LH_F_MINUTE,
    LH_F_SECOND
} lh_dt_field;
/* INTERVAL 'text' from [TO to]: '2' DAY, '1.5' SECOND, '2 03:04:05.123' DAY TO SECOND,
 * '3' YEAR, '1-2' YEAR TO MONTH.  neg: a leading '-' before the string (INTERVAL -'2' DAY).
 * Exactly one of us/months is set (day-to-second vs year-to-month fields). */
lh_rc lh_interval_literal(const char *s, size_t n, int neg, lh_dt_field from, lh_dt_field to, int64_t *us,
                          int32_t *months, lh_err *err) LH_MUST_CHECK;

/* ---- units ---- */
typedef enum lh_dt_unit {
    LH_U_MILLISECOND,
    LH_U_SECOND,
    LH_U_MINUTE,
    LH_U_HOUR,
    LH_U_DAY,
    LH_U_WEEK,
    LH_U_MONTH,
    LH_U_QUARTER,
    LH_U_YEAR
} lh_dt_unit;
/* Unit names as date_trunc/date_add/date_diff take them, case-insensitive.
 * for_type LH_SQL_DATE accepts day..year; LH_SQL_TIME millisecond..hour.
 * LH_EDATA "'hour' is not a valid DATE field". */
lh_rc lh_dt_unit_parse(const char *s, size_t n, lh_sqltype_id for_type, lh_dt_unit *out, lh_err *err) LH_MUST_CHECK;

/* date_trunc: wall-clock micros / days; week starts Monday. */
int64_t lh_ts_trunc(lh_dt_unit u, int64_t local_us);
int32_t lh_date_trunc(lh_dt_unit u, int32_t days);
lh_tstz lh_tstz_trunc(lh_dt_unit u, lh_tstz t);

/* date_add: month/quarter/year clamp to the month's end (2022-01-31 + 1 month
 * = 2022-02-28).  LH_EDATA on overflow of the representation. */
lh_rc lh_ts_add(lh_dt_unit u, int64_t n, int64_t local_us, int64_t *out, lh_err *err) LH_MUST_CHECK;
lh_rc lh_date_add(lh_dt_unit u, int64_t n, int32_t days, int32_t *out, lh_err *err) LH_MUST_CHECK;
lh_rc lh_tstz_add(lh_dt_unit u, int64_t n, lh_tstz t, lh_tstz *out, lh_err *err) LH_MUST_CHECK;

/* date_diff(unit, a, b) = b - a in whole units, truncated toward zero, as
 * Joda's field differences (a month is complete when the day-of-month and
 * time are reached, with month-end clamping). */
int64_t lh_ts_diff(lh_dt_unit u, int64_t a_local_us, int64_t b_local_us);
int64_t lh_date_diff(lh_dt_unit u, int32_t a, int32_t b);
int64_t lh_tstz_diff(lh_dt_unit u, lh_tstz a, lh_tstz b);

/* timestamp/date ± interval. */
lh_rc lh_ts_plus_ds(int64_t local_us, int64_t interval_us, int64_t *out, lh_err *err) LH_MUST_CHECK;
lh_rc lh_ts_plus_ym(int64_t local_us, int32_t months, int64_t *out, lh_err *err) LH_MUST_CHECK;
/* "Cannot add hour, minutes or seconds to a date" unless whole days. */
lh_rc lh_date_plus_ds(int32_t days, int64_t interval_us, int32_t *out, lh_err *err) LH_MUST_CHECK;
lh_rc lh_date_plus_ym(int32_t days, int32_t months, int32_t *out, lh_err *err) LH_MUST_CHECK;
/* time ± interval day to second wraps around midnight (time '01:00' - 3 hours = 22:00). */
int64_t lh_time_plus_ds(int64_t tod_us, int64_t interval_us);
lh_rc lh_tstz_plus_ds(lh_tstz t, int64_t interval_us, lh_tstz *out, lh_err *err) LH_MUST_CHECK;
lh_rc lh_tstz_plus_ym(lh_tstz t, int32_t months, lh_tstz *out, lh_err *err) LH_MUST_CHECK;

/* ---- fields (extract, year(), ...) ---- */
typedef struct lh_dt_fields {
    int64_t year;
    int month, day, hour, minute, second, millisecond, microsecond;
    int day_of_week; /* ISO: Monday = 1 .. Sunday = 7 */
    int day_of_year; /* 1..366 */
    int week;        /* ISO week 1..53 */
    int64_t year_of_week;
    int quarter;
} lh_dt_fields;
void lh_dt_fields_of(int64_t local_us, lh_dt_fields *f);

/* ---- unix time ---- */
/* from_unixtime(double seconds) -> timestamp(3) with time zone UTC:
 * milliseconds rounded half up (Java's Math.round).  NaN/inf/out of range: LH_EDATA. */
lh_rc lh_from_unixtime(double seconds, lh_tstz *out, lh_err *err) LH_MUST_CHECK;
double lh_to_unixtime(int64_t utc_us);

/* ---- MySQL-style formats: date_format / date_parse ---- */
typedef struct lh_datefmt lh_datefmt;
/* Compile a format.  %D %U %u %V %w %X are LH_EDATA "%D not supported in
 * date format string", as in Trino; %<x> for any other x is x; a trailing
 * lone % is dropped.  *out must be freed with lh_datefmt_free. */
lh_rc lh_datefmt_compile(const char *fmt, size_t n, lh_datefmt **out, lh_err *err) LH_MUST_CHECK;
void lh_datefmt_free(lh_datefmt *f);
/* Upper bound of a formatted value's length (for sizing output buffers). */
size_t lh_datefmt_max_len(const lh_datefmt *f);
/* Format wall-clock micros (%f prints milliseconds * 1000, as Trino
 * truncates to milliseconds).  LH_ELIMIT if cap is too small. */
lh_rc lh_datefmt_format(const lh_datefmt *f, int64_t local_us, char *buf, size_t cap, size_t *len,
                        lh_err *err) LH_MUST_CHECK;
/* date_parse: the whole string must match; unset fields default to
 * 1970-01-01 00:00:00.  Errors as Joda's: 'Invalid format: "x" is malformed at "y"',
 * '... is too short', 'Cannot parse "x": Value 30 for dayOfMonth must be in the range [1,28]'. */
lh_rc lh_datefmt_parse(const lh_datefmt *f, const char *s, size_t n, int64_t *local_us, lh_err *err) LH_MUST_CHECK;

#endif
