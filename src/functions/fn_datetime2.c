/* functions/fn_datetime2.c — the internal operators on dates, times and
 * intervals (scalar.h's $add, $subtract, $multiply, $divide, $negate,
 * $at_timezone), as Trino's DateTimeOperators, TimestampOperators,
 * TimestampWithTimeZoneOperators, IntervalDayTimeOperators,
 * IntervalYearMonthOperators and AtTimeZone define them.
 *
 * Kept from Trino: date +- interval day to second only in whole days
 * ("Cannot add hour, minutes or seconds to a date" / "Cannot subtract hour,
 * minutes or seconds from a date"); month arithmetic clamps to the month's
 * end (exec/datetime.h); time +- interval wraps around midnight;
 * timestamp - timestamp rounds to milliseconds (intervals are milliseconds
 * in Trino); interval * double and interval / double truncate toward zero
 * on milliseconds, NaN and division by zero are errors worded as Trino's.
 * Results are rounded to the result type's precision.
 * Not as Trino: where Java's long arithmetic silently wraps, these report
 * "Interval value out of range" (day to second) or "integer overflow"
 * (year to month, which Trino stores as an int).
 * AT TIME ZONE with an unknown zone: "'Foo/Bar' is not a valid time zone"
 * (Trino's AtTimeZone; from_unixtime(x, zone) keeps tz.h's "Time zone not
 * supported: Foo/Bar", as Trino's packDateTimeWithZone throws it there).
 * A timestamp with time zone +- interval year to month works on the wall
 * clock in the value's own zone (lh_tstz_add), as date_add does.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "functions/fn_datetime_int.h"
#include "util/mem.h"

#define ARG(T, v) ((const T *)(v)->data)

static int is_iv(lh_sqltype t) { return t.id == LH_SQL_INTERVAL_DS || t.id == LH_SQL_INTERVAL_YM; }
static int is_num(lh_sqltype t) { return t.id == LH_SQL_BIGINT || t.id == LH_SQL_DOUBLE; }

static inline int64_t fdiv64(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
static inline int64_t fmod64(int64_t a, int64_t b) { return a - fdiv64(a, b) * b; }

static lh_rc iv_range(lh_err *err) { return lh_errf(err, LH_EDATA, "Interval value out of range"); }
static lh_rc int_overflow(lh_err *err) { return lh_errf(err, LH_EDATA, "integer overflow"); }

/* Java's (long) cast of a double: truncation, saturating, NaN -> 0. */
static inline int64_t d2l(double d)
{
    if (d != d)
        return 0;
    if (d >= 9223372036854775807.0)
        return INT64_MAX;
    if (d <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)d;
}

/* Milliseconds back to the vector's micros. */
static inline int ms_to_us(int64_t ms, int64_t *us) { return __builtin_mul_overflow(ms, 1000, us); }

static inline int64_t round_p(int64_t us, int p) { return p < 6 ? lh_ts_round(us, p) : us; }

/* ---- signatures ---- */

/* datetime +- interval, result the datetime's type */
static int dt_iv(lh_sqltype d, lh_sqltype iv, lh_sqltype r)
{
    if (r.id != d.id)
        return 0;
    switch (d.id) {
    case LH_SQL_DATE:
    case LH_SQL_TIMESTAMP:
    case LH_SQL_TIMESTAMP_TZ:
        return is_iv(iv);
    case LH_SQL_TIME:
        return iv.id == LH_SQL_INTERVAL_DS;
    }
    return 0;
}

int lh_dtf_acc_add(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    if (n != 2)
        return 0;
    if (is_iv(a[0]) && is_iv(a[1]))
        return a[0].id == a[1].id && r.id == a[0].id;
    return dt_iv(a[0], a[1], r) || dt_iv(a[1], a[0], r);
}

int lh_dtf_acc_subtract(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    if (n != 2)
        return 0;
    if (is_iv(a[0]) && is_iv(a[1]))
        return a[0].id == a[1].id && r.id == a[0].id;
    if (dtf_is_ts_like(a[0].id) && a[1].id == a[0].id)
        return r.id == LH_SQL_INTERVAL_DS;
    return dt_iv(a[0], a[1], r);
}

int lh_dtf_acc_multiply(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 2 &&
           ((is_iv(a[0]) && is_num(a[1]) && r.id == a[0].id) || (is_num(a[0]) && is_iv(a[1]) && r.id == a[1].id));
}

int lh_dtf_acc_divide(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 2 && is_iv(a[0]) && is_num(a[1]) && r.id == a[0].id;
}

int lh_dtf_acc_negate(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 1 && is_iv(a[0]) && r.id == a[0].id;
}

int lh_dtf_acc_at_timezone(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 2 && dtf_is_ts_like(a[0].id) && (a[1].id == LH_SQL_VARCHAR || a[1].id == LH_SQL_INTERVAL_DS) &&
           r.id == LH_SQL_TIMESTAMP_TZ;
}

/* ---- $add, $subtract ---- */

/* A loop over two inputs x, y (FLAT or CONST) into out. */
#define BIN(TA, TB, TO, ...)                                                                                          \
    do {                                                                                                              \
        const TA *A_ = ARG(TA, x);                                                                                    \
        const TB *B_ = ARG(TB, y);                                                                                    \
        TO *O = out->data;                                                                                            \
        uint32_t am_ = dtf_mask(x), bm_ = dtf_mask(y);                                                                \
        DTF_FOR_LIVE(rows, out, i, {                                                                                  \
            TA a = A_[i & am_];                                                                                       \
            TB b = B_[i & bm_];                                                                                       \
            __VA_ARGS__                                                                                               \
        });                                                                                                           \
    } while (0)

/* Trino's TimestampWithTimeZone - TimestampWithTimeZone: whole
 * milliseconds, the sub-millisecond parts rounded half up in magnitude. */
static inline int64_t tstz_minus_ms(int64_t a, int64_t b)
{
    int64_t m = fdiv64(a, 1000) - fdiv64(b, 1000), d = fmod64(a, 1000) - fmod64(b, 1000);
    if (d >= 500)
        m++;
    else if (d <= -500)
        m--;
    return m;
}

static lh_rc arith(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, int sub, lh_err *err)
{
    lh_vector *x = args[0], *y = args[1];
    int p = c->ret.p;
    lh_rc rc;
    if (!sub && is_iv(x->type) && !is_iv(y->type)) { /* interval + datetime */
        x = args[1];
        y = args[0];
    }
    dtf_merge_valid(out, rows, x, y, NULL);
    switch (x->type.id) {
    case LH_SQL_DATE:
        if (y->type.id == LH_SQL_INTERVAL_DS) {
            BIN(int32_t, int64_t, int32_t, {
                if (sub) {
                    if (b % LH_US_PER_DAY != 0)
                        return lh_errf(err, LH_EDATA, "Cannot subtract hour, minutes or seconds from a date");
                    b = -b; /* a whole number of days: never INT64_MIN */
                }
                if ((rc = lh_date_plus_ds(a, b, &O[i], err)))
                    return rc;
            });
        } else {
            BIN(int32_t, int32_t, int32_t, {
                if ((rc = lh_date_add(LH_U_MONTH, sub ? -(int64_t)b : b, a, &O[i], err)))
                    return rc;
            });
        }
        return LH_OK;
    case LH_SQL_TIME:
        BIN(int64_t, int64_t, int64_t, {
            int64_t d = b % LH_US_PER_DAY;
            O[i] = lh_time_plus_ds(a, sub ? -d : d);
            if (p < 6)
                O[i] = fmod64(lh_ts_round(O[i], p), LH_US_PER_DAY);
        });
        return LH_OK;
    case LH_SQL_TIMESTAMP:
        if (y->type.id == LH_SQL_INTERVAL_DS) {
            BIN(int64_t, int64_t, int64_t, {
                if (sub && b == INT64_MIN)
                    return lh_errf(err, LH_EDATA, "Timestamp value out of range");
                if ((rc = lh_ts_plus_ds(a, sub ? -b : b, &O[i], err)))
                    return rc;
                O[i] = round_p(O[i], p);
            });
        } else if (y->type.id == LH_SQL_INTERVAL_YM) {
            BIN(int64_t, int32_t, int64_t, {
                if ((rc = lh_ts_add(LH_U_MONTH, sub ? -(int64_t)b : b, a, &O[i], err)))
                    return rc;
            });
        } else { /* timestamp - timestamp: rounded to milliseconds */
            BIN(int64_t, int64_t, int64_t, {
                int64_t d;
                if (__builtin_sub_overflow(a, b, &d) || d > INT64_MAX - 500)
                    return iv_range(err);
                O[i] = lh_ts_round(d, 3);
            });
        }
        return LH_OK;
    case LH_SQL_TIMESTAMP_TZ:
        if (y->type.id == LH_SQL_INTERVAL_DS) {
            BIN(lh_tstz, int64_t, lh_tstz, {
                if (sub && b == INT64_MIN)
                    return lh_errf(err, LH_EDATA, "Timestamp value out of range");
                if ((rc = lh_tstz_plus_ds(a, sub ? -b : b, &O[i], err)))
                    return rc;
                O[i].utc_us = round_p(O[i].utc_us, p);
            });
        } else if (y->type.id == LH_SQL_INTERVAL_YM) {
            BIN(lh_tstz, int32_t, lh_tstz, {
                if ((rc = lh_tstz_add(LH_U_MONTH, sub ? -(int64_t)b : b, a, &O[i], err)))
                    return rc;
            });
        } else { /* tstz - tstz: the instants' difference */
            BIN(lh_tstz, lh_tstz, int64_t, {
                if (ms_to_us(tstz_minus_ms(a.utc_us, b.utc_us), &O[i]))
                    return iv_range(err);
            });
        }
        return LH_OK;
    case LH_SQL_INTERVAL_DS:
        BIN(int64_t, int64_t, int64_t, {
            if (sub ? __builtin_sub_overflow(a, b, &O[i]) : __builtin_add_overflow(a, b, &O[i]))
                return iv_range(err);
        });
        return LH_OK;
    case LH_SQL_INTERVAL_YM:
        BIN(int32_t, int32_t, int32_t, {
            int64_t r = sub ? (int64_t)a - b : (int64_t)a + b;
            if (r > INT32_MAX || r < INT32_MIN)
                return int_overflow(err);
            O[i] = (int32_t)r;
        });
        return LH_OK;
    }
    return lh_errf(err, LH_EINTERNAL, "%s: no loop for type %d", sub ? "$subtract" : "$add", x->type.id);
}

lh_rc lh_dtf_eval_add(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    return arith(c, args, out, rows, 0, err);
}

lh_rc lh_dtf_eval_subtract(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    return arith(c, args, out, rows, 1, err);
}

/* ---- $multiply, $divide, $negate ---- */

/* Java's Double.toString for the values that reach the message. */
static const char *jdouble(double d, char *buf, size_t n)
{
    if (d != d)
        return "NaN";
    if (d == 0)
        return signbit(d) ? "-0.0" : "0.0";
    snprintf(buf, n, "%.17g", d);
    return buf;
}

/* interval (x) times or over a number (y); div: y is the divisor. */
static lh_rc scale(lh_vector *x, lh_vector *y, lh_vector *out, lh_rows rows, int div, lh_err *err)
{
    char tmp[40];
    dtf_merge_valid(out, rows, x, y, NULL);
    if (y->type.id == LH_SQL_BIGINT && !div) {
        if (x->type.id == LH_SQL_INTERVAL_DS) {
            BIN(int64_t, int64_t, int64_t, {
                if (__builtin_mul_overflow(a, b, &O[i]))
                    return iv_range(err);
            });
        } else {
            BIN(int32_t, int64_t, int32_t, {
                int64_t r;
                if (__builtin_mul_overflow((int64_t)a, b, &r) || r > INT32_MAX || r < INT32_MIN)
                    return int_overflow(err);
                O[i] = (int32_t)r;
            });
        }
        return LH_OK;
    }
    /* by a double (a bigint divisor is a double, as the analyzer coerces it) */
#define NUM_AT(b) (y->type.id == LH_SQL_DOUBLE ? ARG(double, y)[(i) & bm] : (double)ARG(int64_t, y)[(i) & bm])
    {
        uint32_t am = dtf_mask(x), bm = dtf_mask(y);
        if (x->type.id == LH_SQL_INTERVAL_DS) {
            const int64_t *A = ARG(int64_t, x);
            int64_t *O = out->data;
            DTF_FOR_LIVE(rows, out, i, {
                double d = NUM_AT(i), ms = (double)dtf_ids_ms(A[i & am]);
                if (div && (d != d || d == 0))
                    return lh_errf(err, LH_EDATA, "Cannot divide by double %s", jdouble(d, tmp, sizeof tmp));
                if (!div && d != d)
                    return lh_errf(err, LH_EDATA, "Cannot multiply by double NaN");
                if (ms_to_us(d2l(div ? ms / d : ms * d), &O[i]))
                    return iv_range(err);
            });
        } else {
            const int32_t *A = ARG(int32_t, x);
            int32_t *O = out->data;
            DTF_FOR_LIVE(rows, out, i, {
                double d = NUM_AT(i), m = (double)A[i & am];
                int64_t r;
                if (div && (d != d || d == 0))
                    return lh_errf(err, LH_EDATA, "Cannot divide by double %s", jdouble(d, tmp, sizeof tmp));
                if (!div && d != d)
                    return lh_errf(err, LH_EDATA, "Cannot multiply by double NaN");
                r = d2l(div ? m / d : m * d);
                if (r > INT32_MAX || r < INT32_MIN)
                    return int_overflow(err);
                O[i] = (int32_t)r;
            });
        }
    }
#undef NUM_AT
    return LH_OK;
}

lh_rc lh_dtf_eval_multiply(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    (void)c;
    if (is_iv(args[0]->type))
        return scale(args[0], args[1], out, rows, 0, err);
    return scale(args[1], args[0], out, rows, 0, err);
}

lh_rc lh_dtf_eval_divide(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    (void)c;
    return scale(args[0], args[1], out, rows, 1, err);
}

lh_rc lh_dtf_eval_negate(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    lh_vector *x = args[0];
    uint32_t am = dtf_mask(x);
    (void)c;
    dtf_merge_valid(out, rows, x, NULL, NULL);
    if (x->type.id == LH_SQL_INTERVAL_DS) {
        const int64_t *A = ARG(int64_t, x);
        int64_t *O = out->data;
        DTF_FOR_LIVE(rows, out, i, {
            if (A[i & am] == INT64_MIN)
                return iv_range(err);
            O[i] = -A[i & am];
        });
    } else {
        const int32_t *A = ARG(int32_t, x);
        int32_t *O = out->data;
        DTF_FOR_LIVE(rows, out, i, {
            if (A[i & am] == INT32_MIN)
                return int_overflow(err);
            O[i] = -A[i & am];
        });
    }
    return LH_OK;
}

/* ---- $at_timezone ---- */

/* AT TIME ZONE INTERVAL '...' HOUR TO MINUTE: a fixed offset of whole minutes. */
static lh_rc offset_zone(int64_t us, lh_zone *z, lh_err *err)
{
    int64_t m;
    if (us % LH_US_PER_MIN != 0)
        return lh_errf(err, LH_EDATA, "Invalid time zone offset interval: interval contains seconds");
    m = us / LH_US_PER_MIN;
    if (m < -14 * 60 || m > 14 * 60)
        return lh_errf(err, LH_EDATA, "Invalid offset minutes %lld", (long long)m);
    *z = m == 0 ? LH_ZONE_UTC : LH_ZONE_FIXED((int)m);
    return LH_OK;
}

/* AtTimeZone: an unknown zone is "'Foo/Bar' is not a valid time zone". */
static lh_rc named_zone(dtf_zone_cache *zc, const lh_str *s, lh_zone *z, lh_err *err)
{
    lh_rc rc = dtf_zone_of(zc, s, z, err);
    if (rc == LH_EDATA)
        return lh_errf(err, LH_EDATA, "'%.*s' is not a valid time zone", (int)lh_str_len(s), lh_str_ptr(s));
    return rc;
}

lh_rc lh_dtf_init_at_timezone(lh_fn_call *c, lh_vector *const *ca, lh_err *err)
{
    dtf_zone_cache *zc = lh_calloc(1, sizeof *zc);
    lh_rc rc = LH_OK;
    if (!zc)
        return lh_errf(err, LH_ENOMEM, "out of memory in AT TIME ZONE");
    c->state = zc;
    if (ca && ca[1]) {
        if (!lh_vector_get_valid(ca[1], 0))
            zc->all_null = 1;
        else if (ca[1]->type.id == LH_SQL_INTERVAL_DS) {
            if (!(rc = offset_zone(lh_vector_get_i64(ca[1], 0), &zc->zone, err)))
                zc->is_const = 1;
        } else {
            lh_str zs = lh_vector_get_str(ca[1], 0);
            if (!(rc = named_zone(zc, &zs, &zc->zone, err)))
                zc->is_const = 1;
        }
    }
    if (rc) {
        lh_free(zc);
        c->state = NULL;
    }
    return rc;
}

void lh_dtf_done_at_timezone(lh_fn_call *c)
{
    lh_free(c->state);
    c->state = NULL;
}

lh_rc lh_dtf_eval_at_timezone(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    dtf_zone_cache *zc = c->state;
    lh_vector *x = args[0], *zv = args[1];
    uint32_t xm = dtf_mask(x), zm = dtf_mask(zv);
    int ids = zv->type.id == LH_SQL_INTERVAL_DS, ts = x->type.id == LH_SQL_TIMESTAMP;
    lh_zone session = c->env ? c->env->session_zone : LH_ZONE_UTC;
    lh_tstz *O = out->data;
    lh_rc rc;
    if (!zc)
        return lh_errf(err, LH_EINTERNAL, "AT TIME ZONE evaluated before init");
    if (zc->all_null) {
        dtf_all_null(out, rows);
        return LH_OK;
    }
    dtf_merge_valid(out, rows, x, zv, NULL);
    DTF_FOR_LIVE(rows, out, i, {
        lh_zone z = zc->zone;
        if (!zc->is_const) {
            if (ids)
                rc = offset_zone(ARG(int64_t, zv)[i & zm], &z, err);
            else
                rc = named_zone(zc, &ARG(lh_str, zv)[i & zm], &z, err);
            if (rc)
                return rc;
        }
        /* a timestamp is a wall clock in the session zone */
        O[i].utc_us = ts ? lh_local_to_utc_us(session, ARG(int64_t, x)[i & xm]) : ARG(lh_tstz, x)[i & xm].utc_us;
        O[i].zone = z;
    });
    return LH_OK;
}
