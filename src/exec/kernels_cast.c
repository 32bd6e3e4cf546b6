/* exec/kernels_cast.c — CAST between types (see kernels.h), and Trino's
 * printing of doubles.
 *
 * Integer <-> integer, integer -> real/double and real <-> double run in
 * typed loops.  The other pairs go one row at a time through the scalar
 * functions of decimal.c / datetime.c / intmath.c, which hold Trino's
 * rules and messages in one place; they parse or print text, so the call
 * is not what costs.
 */
#include "exec/kernels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/intmath.h"

/* ---- double printing ---- */

/* Shortest significant digits of d (|d| finite, non-zero) that read back
 * exactly; digits into dig (no dot), returns their count, *exp10 is the
 * decimal exponent of the first digit. */
static int shortest_digits(double d, int is_float, char *dig, int *exp10)
{
    char tmp[40];
    int prec, n = 0;
    for (prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
        if (is_float ? (float)strtod(tmp, NULL) == (float)d : strtod(tmp, NULL) == d)
            break;
    }
    {
        const char *p = tmp;
        if (*p == '-')
            p++;
        for (; *p && *p != 'e'; p++)
            if (*p >= '0' && *p <= '9')
                dig[n++] = *p;
        *exp10 = *p == 'e' ? atoi(p + 1) : 0;
    }
    while (n > 1 && dig[n - 1] == '0')
        n--;
    dig[n] = 0;
    return n;
}

/* Round the digit string dig[0..n) to max significant digits, HALF_EVEN
 * (java.text.DecimalFormat's default); may carry into a new leading digit. */
static int round_digits(char *dig, int n, int max, int *exp10)
{
    int i, up;
    if (n <= max)
        return n;
    {
        int first = dig[max] - '0', rest = 0;
        for (i = max + 1; i < n; i++)
            rest |= dig[i] != '0';
        up = first > 5 || (first == 5 && (rest || ((dig[max - 1] - '0') & 1)));
    }
    n = max;
    if (up) {
        for (i = n - 1; i >= 0; i--) {
            if (dig[i] == '9') {
                dig[i] = '0';
            } else {
                dig[i]++;
                break;
            }
        }
        if (i < 0) { /* 99..9 -> 100..0 */
            memmove(dig + 1, dig, (size_t)n);
            dig[0] = '1';
            (*exp10)++;
        }
    }
    while (n > 1 && dig[n - 1] == '0')
        n--;
    dig[n] = 0;
    return n;
}

/* DecimalFormat("0.0###...E0") with max significant digits: Trino formats
 * a real as the double it widens to, at most 7 digits; a double at most 21
 * (so its shortest digits always fit).  max_digits -1: the shortest digits
 * of d as a float (Float.toString's, for messages). */
static size_t fmt_sci(double d, int max_digits, char *buf)
{
    char dig[24];
    int e, n, k = 0, i;
    if (isnan(d))
        return (size_t)sprintf(buf, "NaN");
    if (isinf(d))
        return (size_t)sprintf(buf, d > 0 ? "Infinity" : "-Infinity");
    if (d == 0)
        return (size_t)sprintf(buf, signbit(d) ? "-0E0" : "0E0");
    n = shortest_digits(d, max_digits < 0, dig, &e);
    if (max_digits > 0)
        n = round_digits(dig, n, max_digits, &e);
    if (d < 0)
        buf[k++] = '-';
    buf[k++] = dig[0];
    buf[k++] = '.';
    if (n == 1)
        buf[k++] = '0';
    for (i = 1; i < n; i++)
        buf[k++] = dig[i];
    k += sprintf(buf + k, "E%d", e);
    return (size_t)k;
}

size_t lh_double_format(double d, char *buf) { return fmt_sci(d, 21, buf); }
size_t lh_real_format(float f, char *buf) { return fmt_sci((double)f, 7, buf); }

static size_t java_string(double d, int is_float, char *buf)
{
    char dig[24];
    int e, n, k = 0, i;
    double a = fabs(d);
    if (isnan(d) || isinf(d) || d == 0 || a < 1e-3 || a >= 1e7) {
        if (d == 0)
            return (size_t)sprintf(buf, signbit(d) ? "-0.0" : "0.0");
        return fmt_sci(d, is_float ? -1 : 21, buf); /* -1: a float's shortest digits, unrounded */
    }
    n = shortest_digits(d, is_float, dig, &e);
    if (d < 0)
        buf[k++] = '-';
    if (e < 0) {
        buf[k++] = '0';
        buf[k++] = '.';
        for (i = 0; i < -e - 1; i++)
            buf[k++] = '0';
        for (i = 0; i < n; i++)
            buf[k++] = dig[i];
    } else {
        for (i = 0; i <= e; i++)
            buf[k++] = i < n ? dig[i] : '0';
        buf[k++] = '.';
        if (n <= e + 1)
            buf[k++] = '0';
        for (i = e + 1; i < n; i++)
            buf[k++] = dig[i];
    }
    buf[k] = 0;
    return (size_t)k;
}

size_t lh_double_java_string(double d, char *buf) { return java_string(d, 0, buf); }
size_t lh_real_java_string(float f, char *buf) { return java_string((double)f, 1, buf); }

/* ---- helpers ---- */

enum cat { C_NONE, C_BOOL, C_INT, C_F32, C_F64, C_DEC, C_STR, C_DATE, C_TIME, C_TS, C_TSTZ, C_IDS, C_IYM };

static enum cat cat_of(lh_sqltype t)
{
    switch ((lh_sqltype_id)t.id) {
    case LH_SQL_BOOLEAN:
        return C_BOOL;
    case LH_SQL_TINYINT:
    case LH_SQL_SMALLINT:
    case LH_SQL_INTEGER:
    case LH_SQL_BIGINT:
        return C_INT;
    case LH_SQL_REAL:
        return C_F32;
    case LH_SQL_DOUBLE:
        return C_F64;
    case LH_SQL_DECIMAL:
        return C_DEC;
    case LH_SQL_VARCHAR:
    case LH_SQL_CHAR:
    case LH_SQL_VARBINARY:
        return C_STR;
    case LH_SQL_DATE:
        return C_DATE;
    case LH_SQL_TIME:
        return C_TIME;
    case LH_SQL_TIMESTAMP:
        return C_TS;
    case LH_SQL_TIMESTAMP_TZ:
        return C_TSTZ;
    case LH_SQL_INTERVAL_DS:
        return C_IDS;
    case LH_SQL_INTERVAL_YM:
        return C_IYM;
    default:
        return C_NONE;
    }
}

static lh_intw intw_of(lh_sqltype t) { return (lh_intw)lh_sqltype_int_bits(t); }

static inline uint32_t idx_of(const lh_vector *v, uint32_t i) { return v->kind == LH_VEC_CONST ? 0 : i; }

static lh_rc unsupported(const lh_vector *in, const lh_vector *out, lh_err *err)
{
    char x[LH_SQLTYPE_NAME_MAX], y[LH_SQLTYPE_NAME_MAX];
    return lh_errf(err, LH_EUNSUPPORTED, "Cannot cast %s to %s", lh_sqltype_name(in->type, x, sizeof x),
                   lh_sqltype_name(out->type, y, sizeof y));
}

/* Number of bytes of the first `cps` UTF-8 code points of s (all if fewer). */
static size_t utf8_prefix(const char *s, size_t n, size_t cps)
{
    size_t i = 0, c = 0;
    while (i < n && c < cps) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        c++;
    }
    return i;
}

static size_t utf8_count(const char *s, size_t n)
{
    size_t i, c = 0;
    for (i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* A formatted value into a varchar(n) output: Trino refuses what does not fit. */
static lh_rc put_text(lh_vector *out, uint32_t row, const char *s, size_t n, lh_arena *arena, lh_err *err)
{
    uint32_t lim = out->type.len;
    if (out->type.id == LH_SQL_VARCHAR && lim != LH_SQL_UNBOUNDED && utf8_count(s, n) > lim)
        return lh_errf(err, LH_EDATA, "Value %.*s cannot be represented as varchar(%u)", (int)n, s, lim);
    return lh_vector_set_str(out, row, s, n, arena, err);
}

/* Read a numeric input row as one of three canonical forms. */
static inline int64_t rd_int(const lh_vector *v, uint32_t r)
{
    switch (v->phys) {
    case LH_P_U8:
        return ((const uint8_t *)v->data)[r];
    case LH_P_I8:
        return ((const int8_t *)v->data)[r];
    case LH_P_I16:
        return ((const int16_t *)v->data)[r];
    case LH_P_I32:
        return ((const int32_t *)v->data)[r];
    default:
        return ((const int64_t *)v->data)[r];
    }
}

static inline lh_i128 rd_dec(const lh_vector *v, uint32_t r)
{
    return v->phys == LH_P_I128 ? ((const lh_i128 *)v->data)[r] : (lh_i128)((const int64_t *)v->data)[r];
}

static inline double rd_flt(const lh_vector *v, uint32_t r)
{
    return v->phys == LH_P_F32 ? (double)((const float *)v->data)[r] : ((const double *)v->data)[r];
}

static lh_rc flt_to_int(double d, int is_float, lh_sqltype to, int64_t *out, lh_err *err)
{
    lh_intw w = intw_of(to);
    char buf[LH_DOUBLE_FMT_MAX];
    double r;
    /* Trino: to bigint it is DoubleMath.roundToLong, whose failure (NaN too)
     * reads "Unable to cast 1.0E20 to bigint"; the narrower casts check
     * NaN first and say "Out of range for integer: 1.0E20" */
    if (isnan(d) && w != LH_I64)
        return lh_errf(err, LH_EDATA, "Cannot cast %s NaN to %s", is_float ? "real" : "double", lh_intw_name(w));
    r = round(d); /* half away from zero, as Trino's HALF_UP */
    if (isnan(d) || !(r >= -9223372036854775808.0 && r < 9223372036854775808.0) || !lh_intw_fits(w, (int64_t)r)) {
        java_string(d, is_float, buf);
        if (w == LH_I64)
            return lh_errf(err, LH_EDATA, "Unable to cast %s to bigint", buf);
        return lh_errf(err, LH_EDATA, "Out of range for %s: %s", lh_intw_name(w), buf);
    }
    *out = (int64_t)r;
    return LH_OK;
}

static lh_rc str_to_flt(const char *s, size_t n, double *out, const char *tname, lh_err *err)
{
    char tmp[128], *end;
    size_t a = 0, b = n, i;
    while (a < b && (unsigned char)s[a] <= ' ')
        a++;
    while (b > a && (unsigned char)s[b - 1] <= ' ')
        b--;
    if (b - a == 0 || b - a >= sizeof tmp)
        goto bad;
    memcpy(tmp, s + a, b - a);
    tmp[b - a] = 0;
    {
        const char *t = tmp + (tmp[0] == '+' || tmp[0] == '-');
        if (!strcmp(t, "NaN") || !strcmp(t, "Infinity")) {
            *out = t[0] == 'N' ? NAN : tmp[0] == '-' ? -INFINITY : INFINITY;
            return LH_OK;
        }
    }
    for (i = 0; tmp[i]; i++)
        if (!strchr("0123456789+-.eE", tmp[i]))
            goto bad;
    *out = strtod(tmp, &end);
    if (*end)
        goto bad;
    return LH_OK;
bad:
    return lh_errf(err, LH_EDATA, "Cannot cast '%.*s' to %s", (int)n, s, tname);
}

static lh_rc str_to_bool(const char *s, size_t n, uint8_t *out, lh_err *err)
{
    if ((n == 4 && !strncasecmp(s, "true", 4)) || (n == 1 && (s[0] == 't' || s[0] == 'T' || s[0] == '1')))
        *out = 1;
    else if ((n == 5 && !strncasecmp(s, "false", 5)) || (n == 1 && (s[0] == 'f' || s[0] == 'F' || s[0] == '0')))
        *out = 0;
    else
        return lh_errf(err, LH_EDATA, "Cannot cast '%.*s' to BOOLEAN", (int)n, s);
    return LH_OK;
}

/* ---- the typed fast loops ---- */

#define NUM_LOOP(TI, TO, EXPR)                                                                                        \
    do {                                                                                                              \
        const TI *I = in->data;                                                                                       \
        TO *O = out->data;                                                                                            \
        uint32_t im = in->kind == LH_VEC_CONST ? 0 : 0xffffffffu;                                                     \
        for (uint32_t k = 0; k < rows.n; k++) {                                                                       \
            uint32_t i = rows.sel ? rows.sel[k] : k;                                                                  \
            TI x = I[i & im];                                                                                         \
            O[i] = (TO)(EXPR);                                                                                        \
        }                                                                                                             \
    } while (0)

static int fast_cast(lh_vector *in, lh_vector *out, lh_rows rows)
{
    enum cat ci = cat_of(in->type), co = cat_of(out->type);
    if (ci == C_INT && (co == C_F64 || co == C_F32)) {
        if (co == C_F64) {
            switch (in->phys) {
            case LH_P_I8: NUM_LOOP(int8_t, double, x); break;
            case LH_P_I16: NUM_LOOP(int16_t, double, x); break;
            case LH_P_I32: NUM_LOOP(int32_t, double, x); break;
            default: NUM_LOOP(int64_t, double, x); break;
            }
        } else {
            switch (in->phys) {
            case LH_P_I8: NUM_LOOP(int8_t, float, x); break;
            case LH_P_I16: NUM_LOOP(int16_t, float, x); break;
            case LH_P_I32: NUM_LOOP(int32_t, float, x); break;
            default: NUM_LOOP(int64_t, float, x); break;
            }
        }
        return 1;
    }
    if (ci == C_F32 && co == C_F64) {
        NUM_LOOP(float, double, x);
        return 1;
    }
    if (ci == C_F64 && co == C_F32) {
        NUM_LOOP(double, float, x);
        return 1;
    }
    /* widening integer casts cannot fail */
    if (ci == C_INT && co == C_INT && out->width >= in->width) {
        switch (out->phys) {
        case LH_P_I16: if (in->phys == LH_P_I8) NUM_LOOP(int8_t, int16_t, x); else NUM_LOOP(int16_t, int16_t, x); break;
        case LH_P_I32:
            if (in->phys == LH_P_I8) NUM_LOOP(int8_t, int32_t, x);
            else if (in->phys == LH_P_I16) NUM_LOOP(int16_t, int32_t, x);
            else NUM_LOOP(int32_t, int32_t, x);
            break;
        case LH_P_I64:
            if (in->phys == LH_P_I8) NUM_LOOP(int8_t, int64_t, x);
            else if (in->phys == LH_P_I16) NUM_LOOP(int16_t, int64_t, x);
            else if (in->phys == LH_P_I32) NUM_LOOP(int32_t, int64_t, x);
            else NUM_LOOP(int64_t, int64_t, x);
            break;
        default: NUM_LOOP(int8_t, int8_t, x); break;
        }
        return 1;
    }
    return 0;
}

/* ---- one row ---- */

static lh_rc cast_row(const lh_vector *in, uint32_t ri, lh_vector *out, uint32_t i, enum cat ci, enum cat co,
                      lh_arena *arena, lh_err *err)
{
    char buf[LH_DEC_FMT_MAX + LH_DT_FMT_MAX + LH_ZONE_NAME_MAX];
    size_t n;
    lh_rc rc = LH_OK;
    int64_t iv = 0;
    lh_i128 dv = 0;
    double fv = 0;
    lh_sqltype ot = out->type, it = in->type;

    /* to varchar: print */
    if (co == C_STR) {
        switch (ci) {
        case C_BOOL:
            n = (size_t)sprintf(buf, "%s", rd_int(in, ri) ? "true" : "false");
            break;
        case C_INT:
            n = (size_t)sprintf(buf, "%lld", (long long)rd_int(in, ri));
            break;
        case C_F32:
            n = lh_real_format(((const float *)in->data)[ri], buf);
            break;
        case C_F64:
            n = lh_double_format(((const double *)in->data)[ri], buf);
            break;
        case C_DEC:
            n = lh_dec_format(rd_dec(in, ri), it.s, buf);
            break;
        case C_DATE:
            n = lh_date_format(((const int32_t *)in->data)[ri], buf, sizeof buf);
            break;
        case C_TIME:
            n = lh_time_format(((const int64_t *)in->data)[ri], it.p, buf, sizeof buf);
            break;
        case C_TS:
            n = lh_timestamp_format(((const int64_t *)in->data)[ri], it.p, buf, sizeof buf);
            break;
        case C_TSTZ:
            n = lh_tstz_format(((const lh_tstz *)in->data)[ri], it.p, buf, sizeof buf);
            break;
        case C_IDS:
            n = lh_interval_ds_format(((const int64_t *)in->data)[ri], buf, sizeof buf);
            break;
        case C_IYM:
            n = lh_interval_ym_format(((const int32_t *)in->data)[ri], buf, sizeof buf);
            break;
        case C_STR: {
            lh_str s = ((const lh_str *)in->data)[ri];
            const char *p = lh_str_ptr(&s);
            size_t len = lh_str_len(&s);
            if (ot.id != LH_SQL_VARBINARY && ot.len != LH_SQL_UNBOUNDED)
                len = utf8_prefix(p, len, ot.len); /* CAST truncates to varchar(n)/char(n) */
            if (ot.id == LH_SQL_CHAR)
                while (len > 0 && p[len - 1] == ' ')
                    len--; /* char values are kept without trailing spaces */
            return lh_vector_set_str(out, i, p, len, arena, err);
        }
        default:
            return unsupported(in, out, err);
        }
        return put_text(out, i, buf, n, arena, err);
    }

    /* from varchar: parse */
    if (ci == C_STR) {
        lh_str s = ((const lh_str *)in->data)[ri];
        const char *p = lh_str_ptr(&s);
        size_t len = lh_str_len(&s);
        switch (co) {
        case C_BOOL: {
            uint8_t b = 0;
            rc = str_to_bool(p, len, &b, err);
            if (!rc)
                ((uint8_t *)out->data)[i] = b;
            return rc;
        }
        case C_INT:
            rc = lh_int_from_varchar(intw_of(ot), p, len, &iv, err);
            goto put_int;
        case C_F32:
        case C_F64:
            rc = str_to_flt(p, len, &fv, co == C_F32 ? "REAL" : "DOUBLE", err);
            goto put_flt;
        case C_DEC:
            rc = lh_dec_from_varchar(p, len, ot.p, ot.s, &dv, err);
            goto put_dec;
        case C_DATE: {
            int32_t d;
            rc = lh_date_parse(p, len, LH_DT_CAST, &d, err);
            if (!rc)
                ((int32_t *)out->data)[i] = d;
            return rc;
        }
        case C_TS:
            rc = lh_timestamp_cast(p, len, ot.p, &iv, err);
            goto put_int;
        case C_TIME: {
            int pp;
            rc = lh_time_parse(p, len, LH_DT_CAST, &pp, &iv, err);
            if (!rc)
                iv = lh_ts_round(iv, ot.p);
            goto put_int;
        }
        case C_TSTZ: {
            lh_tstz t;
            rc = lh_tstz_cast(p, len, ot.p, LH_ZONE_UTC, &t, err);
            if (!rc)
                ((lh_tstz *)out->data)[i] = t;
            return rc;
        }
        default:
            return unsupported(in, out, err);
        }
    }

    switch (ci) {
    case C_BOOL:
    case C_INT:
        iv = rd_int(in, ri);
        switch (co) {
        case C_BOOL:
            iv = iv != 0;
            goto put_int;
        case C_INT:
            rc = lh_int_narrow(intw_of(ot), iv, &iv, err);
            goto put_int;
        case C_F32:
        case C_F64:
            fv = (double)iv;
            goto put_flt;
        case C_DEC:
            rc = lh_dec_from_int(iv, ci == C_BOOL ? LH_SQL_BOOLEAN : (lh_sqltype_id)it.id, ot.p, ot.s, &dv, err);
            goto put_dec;
        default:
            break;
        }
        break;
    case C_F32:
    case C_F64:
        fv = rd_flt(in, ri);
        switch (co) {
        case C_BOOL:
            iv = fv != 0;
            goto put_int;
        case C_INT:
            rc = flt_to_int(fv, ci == C_F32, ot, &iv, err);
            goto put_int;
        case C_F32:
        case C_F64:
            goto put_flt;
        case C_DEC:
            rc = ci == C_F32 ? lh_dec_from_real((float)fv, ot.p, ot.s, &dv, err)
                             : lh_dec_from_double(fv, ot.p, ot.s, &dv, err);
            goto put_dec;
        default:
            break;
        }
        break;
    case C_DEC:
        dv = rd_dec(in, ri);
        switch (co) {
        case C_BOOL:
            iv = dv != 0;
            goto put_int;
        case C_INT:
            rc = lh_dec_to_int(dv, it.p, it.s, (lh_sqltype_id)ot.id, &iv, err);
            goto put_int;
        case C_F32:
        case C_F64:
            fv = lh_dec_to_double(dv, it.s);
            goto put_flt;
        case C_DEC:
            rc = lh_dec_cast(dv, it.p, it.s, ot.p, ot.s, &dv, err);
            goto put_dec;
        default:
            break;
        }
        break;
    case C_DATE:
        if (co == C_TS) {
            iv = lh_date_to_ts(((const int32_t *)in->data)[ri]);
            goto put_int;
        }
        if (co == C_TSTZ) {
            lh_tstz t = {lh_date_to_ts(((const int32_t *)in->data)[ri]), LH_ZONE_UTC};
            ((lh_tstz *)out->data)[i] = t;
            return LH_OK;
        }
        break;
    case C_TS:
        iv = ((const int64_t *)in->data)[ri];
        if (co == C_DATE) {
            ((int32_t *)out->data)[i] = lh_ts_to_date(iv);
            return LH_OK;
        }
        if (co == C_TS) {
            iv = lh_ts_round(iv, ot.p);
            goto put_int;
        }
        if (co == C_TSTZ) { /* session zone UTC */
            lh_tstz t = {lh_ts_round(iv, ot.p), LH_ZONE_UTC};
            ((lh_tstz *)out->data)[i] = t;
            return LH_OK;
        }
        if (co == C_TIME) { /* the time of day, rounded to the time's precision */
            iv = lh_dt_floormod(lh_ts_round(iv, ot.p), LH_US_PER_DAY);
            goto put_int;
        }
        break;
    case C_TSTZ: {
        lh_tstz t = ((const lh_tstz *)in->data)[ri];
        if (co == C_TS) {
            iv = lh_ts_round(lh_tstz_local_us(t), ot.p);
            goto put_int;
        }
        if (co == C_DATE) {
            ((int32_t *)out->data)[i] = lh_ts_to_date(lh_tstz_local_us(t));
            return LH_OK;
        }
        if (co == C_TSTZ) {
            t.utc_us = lh_ts_round(t.utc_us, ot.p);
            ((lh_tstz *)out->data)[i] = t;
            return LH_OK;
        }
        if (co == C_TIME) { /* the local time of day in the value's zone */
            iv = lh_dt_floormod(lh_ts_round(lh_tstz_local_us(t), ot.p), LH_US_PER_DAY);
            goto put_int;
        }
        break;
    }
    case C_TIME:
        if (co == C_TIME) {
            iv = lh_ts_round(((const int64_t *)in->data)[ri], ot.p) % LH_US_PER_DAY;
            goto put_int;
        }
        break;
    default:
        break;
    }
    return unsupported(in, out, err);

put_int:
    if (!rc)
        lh_vector_set_i64(out, i, iv);
    return rc;
put_flt:
    if (!rc)
        lh_vector_set_f64(out, i, fv);
    return rc;
put_dec:
    if (!rc)
        lh_vector_set_i128(out, i, dv);
    return rc;
}

lh_rc lh_k_cast(lh_vector *in, lh_vector *out, lh_rows rows, lh_arena *arena, lh_err *err)
{
    enum cat ci, co;
    uint32_t k;
    lh_k_prepare(in, rows);
    ci = cat_of(in->type);
    co = cat_of(out->type);
    out->kind = LH_VEC_FLAT;
    lh_vector_set_all_valid(out);
    if (ci == C_NONE) { /* CAST(NULL AS t) */
        for (k = 0; k < rows.n; k++)
            lh_vector_set_null(out, rows.sel ? rows.sel[k] : k);
        return LH_OK;
    }
    if (co == C_NONE)
        return unsupported(in, out, err);
    if (fast_cast(in, out, rows)) {
        for (k = 0; in->may_null && k < rows.n; k++) {
            uint32_t i = rows.sel ? rows.sel[k] : k;
            if (!lh_vector_is_valid(in, idx_of(in, i)))
                lh_vector_set_null(out, i);
        }
        return LH_OK;
    }
    for (k = 0; k < rows.n; k++) {
        uint32_t i = rows.sel ? rows.sel[k] : k, ri = idx_of(in, i);
        lh_rc rc;
        if (in->may_null && !lh_vector_is_valid(in, ri)) {
            lh_vector_set_null(out, i);
            continue;
        }
        rc = cast_row(in, ri, out, i, ci, co, arena, err);
        if (rc)
            return rc;
    }
    return LH_OK;
}
