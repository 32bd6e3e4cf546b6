/* functions/fn_format.c — format(fmt, args...) as Trino's FormatFunction:
 * Java's String.format(Locale.ENGLISH, fmt, args) over the arguments as
 * Java objects (integers Long, real Float, double Double, decimal
 * BigDecimal, varchar/char String, boolean Boolean, date LocalDate,
 * timestamp LocalDateTime, with time zone ZonedDateTime, time LocalTime,
 * NULL null).  Listed in lh_fns_format[].
 *
 * Supported: %[index$ | <][flags][width][.precision]conversion with the
 * conversions b B s S d o x X e E f g G % n and the date/time suffixes of
 * t/T: A a B b h C Y y j m d e H I k l M S L N p Z F D T R r.  Floating
 * values round HALF_UP on their shortest decimal digits (Java's
 * FormattedFloatingDecimal), BigDecimal on its exact digits; the ','
 * flag groups by three.  A NULL format is NULL; a NULL argument prints
 * "null" (%s) or "false" (%b).
 * Errors, as Trino wraps Java's: LH_EINVAL "Invalid format string: %q
 * (UnknownFormatConversion: Conversion = 'q')", "(MissingFormatArgument:
 * Format specifier '%s')", "(IllegalFormatConversion: d != java.lang.String)",
 * "(FormatFlagsConversionMismatch: Conversion = s, Flags = #)"; the
 * conversions not listed above are refused as UnknownFormatConversion.
 * The state is a growable output buffer (lh_buf), freed by done.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/decimal.h"
#include "functions/fn_datetime_int.h"
#include "functions/fn_strutil.h"
#include "util/mem.h"
#include "util/types.h"

#define FMT_CAP ((size_t)64 << 20)

static const char *const MONTHS[] = {"January", "February", "March",     "April",   "May",      "June",
                                     "July",    "August",   "September", "October", "November", "December"};
static const char *const DOWS[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

typedef struct fspec {
    int idx; /* 1-based argument, 0 for none */
    char flags[8];
    int width, prec; /* -1 when absent */
    char conv, tconv;
    const char *text; /* the specifier as written */
    size_t tlen;
} fspec;

static int has(const fspec *s, char f) { return strchr(s->flags, f) != NULL; }

static lh_rc bad(const char *fmt, size_t fn, lh_err *err, const char *what, ...) LH_PRINTF(4, 5);
static lh_rc bad(const char *fmt, size_t fn, lh_err *err, const char *what, ...)
{
    char m[300], f[300];
    va_list ap;
    va_start(ap, what);
    vsnprintf(m, sizeof m, what, ap);
    va_end(ap);
    return lh_errf(err, LH_EINVAL, "Invalid format string: %s (%s)", u8_for_msg(fmt, fn, f, sizeof f), m);
}

static const char *jclass(lh_sqltype t)
{
    switch (t.id) {
    case LH_SQL_BOOLEAN:
        return "java.lang.Boolean";
    case LH_SQL_TINYINT:
    case LH_SQL_SMALLINT:
    case LH_SQL_INTEGER:
    case LH_SQL_BIGINT:
        return "java.lang.Long";
    case LH_SQL_REAL:
        return "java.lang.Float";
    case LH_SQL_DOUBLE:
        return "java.lang.Double";
    case LH_SQL_DECIMAL:
        return "java.math.BigDecimal";
    case LH_SQL_DATE:
        return "java.time.LocalDate";
    case LH_SQL_TIMESTAMP:
        return "java.time.LocalDateTime";
    case LH_SQL_TIMESTAMP_TZ:
        return "java.time.ZonedDateTime";
    case LH_SQL_TIME:
        return "java.time.LocalTime";
    default:
        return "java.lang.String";
    }
}

/* ---- decimal digits of a number: value = 0.D * 10^point ---- */
typedef struct ddig {
    char d[120];
    int nd, point, neg;
} ddig;

static void dd_double(double x, int is_float, ddig *o)
{
    char buf[64];
    int p;
    o->neg = signbit(x) != 0;
    x = fabs(x);
    if (x == 0) {
        o->nd = 1, o->d[0] = '0', o->point = 1;
        return;
    }
    for (p = 0; p < 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p, x);
        if (is_float ? (float)strtod(buf, NULL) == (float)x : strtod(buf, NULL) == x)
            break;
    }
    snprintf(buf, sizeof buf, "%.*e", p, x);
    o->nd = 0;
    for (char *c = buf; *c && *c != 'e'; c++)
        if (*c >= '0' && *c <= '9')
            o->d[o->nd++] = *c;
    o->point = atoi(strchr(buf, 'e') + 1) + 1;
    while (o->nd > 1 && o->d[o->nd - 1] == '0')
        o->nd--;
}

static void dd_dec(lh_i128 v, int scale, ddig *o)
{
    char buf[64];
    size_t n = lh_dec_format(v < 0 ? -v : v, 0, buf);
    o->neg = v < 0;
    memcpy(o->d, buf, n);
    o->nd = (int)n;
    o->point = (int)n - scale;
}

/* round to `keep` significant digits HALF_UP (keep may be <= 0) */
static void dd_round(ddig *o, int keep)
{
    if (keep >= o->nd)
        return;
    if (keep < 0) {
        o->nd = 1, o->d[0] = '0', o->point = 1;
        return;
    }
    int up = o->d[keep] >= '5';
    o->nd = keep;
    if (up) {
        int k = keep - 1;
        while (k >= 0 && o->d[k] == '9')
            o->d[k--] = '0';
        if (k < 0) {
            memmove(o->d + 1, o->d, (size_t)o->nd);
            o->d[0] = '1';
            o->nd++;
            o->point++;
        } else
            o->d[k]++;
    }
    if (o->nd == 0)
        o->nd = 1, o->d[0] = '0', o->point = 1;
}
static char dd_at(const ddig *o, int i) { return i >= 0 && i < o->nd ? o->d[i] : '0'; }

/* ---- output ---- */
static lh_rc pad_put(lh_buf *b, const fspec *s, const char *p, size_t n, lh_err *err)
{
    size_t cps = u8_count(p, n), w = s->width > 0 ? (size_t)s->width : 0;
    lh_rc rc;
    if (!has(s, '-'))
        for (; cps < w; cps++)
            if ((rc = lh_buf_putc(b, ' ', err)))
                return rc;
    if ((rc = lh_buf_append(b, p, n, err)))
        return rc;
    for (; cps < w; cps++)
        if ((rc = lh_buf_putc(b, ' ', err)))
            return rc;
    return LH_OK;
}

static void upper_ascii(char *p, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (p[k] >= 'a' && p[k] <= 'z')
            p[k] = (char)(p[k] - 32);
}

/* a number's digits with sign, grouping, zero padding, parentheses */
static lh_rc num_put(lh_buf *b, const fspec *s, int neg, const char *digits, size_t nd, const char *rest, size_t nr,
                     lh_err *err)
{
    char o[600];
    size_t k = 0, w = s->width > 0 ? (size_t)s->width : 0, body;
    int paren = neg && has(s, '(');
    if (neg && !paren)
        o[k++] = '-';
    else if (paren)
        o[k++] = '(';
    else if (has(s, '+'))
        o[k++] = '+';
    else if (has(s, ' '))
        o[k++] = ' ';
    body = nd + nr + (has(s, ',') && nd > 3 ? (nd - 1) / 3 : 0) + (size_t)paren;
    if (has(s, '0'))
        while (k + body < w && k < 300)
            o[k++] = '0';
    for (size_t i = 0; i < nd && k < 500; i++) {
        if (has(s, ',') && i > 0 && (nd - i) % 3 == 0)
            o[k++] = ',';
        o[k++] = digits[i];
    }
    if (nr && k + nr < sizeof o - 2)
        memcpy(o + k, rest, nr), k += nr;
    if (paren)
        o[k++] = ')';
    return pad_put(b, s, o, k, err);
}

/* ---- the argument as Java's toString ---- */
static size_t jdouble_str(double x, int is_float, char *o)
{
    ddig d;
    size_t k = 0;
    if (isnan(x))
        return (size_t)sprintf(o, "NaN");
    if (isinf(x))
        return (size_t)sprintf(o, "%sInfinity", x < 0 ? "-" : "");
    if (x == 0)
        return (size_t)sprintf(o, "%s0.0", signbit(x) ? "-" : "");
    dd_double(x, is_float, &d);
    if (d.neg)
        o[k++] = '-';
    if (fabs(x) >= 1e-3 && fabs(x) < 1e7) {
        if (d.point <= 0) {
            o[k++] = '0', o[k++] = '.';
            for (int i = d.point; i < 0; i++)
                o[k++] = '0';
            for (int i = 0; i < d.nd; i++)
                o[k++] = d.d[i];
        } else {
            for (int i = 0; i < d.point; i++)
                o[k++] = dd_at(&d, i);
            o[k++] = '.';
            if (d.nd <= d.point)
                o[k++] = '0';
            for (int i = d.point; i < d.nd; i++)
                o[k++] = d.d[i];
        }
    } else {
        o[k++] = d.d[0];
        o[k++] = '.';
        if (d.nd == 1)
            o[k++] = '0';
        for (int i = 1; i < d.nd; i++)
            o[k++] = d.d[i];
        k += (size_t)sprintf(o + k, "E%d", d.point - 1);
    }
    return k;
}

static size_t jtime_str(int64_t tod_us, char *o)
{
    int64_t h = tod_us / LH_US_PER_HOUR, m = tod_us / LH_US_PER_MIN % 60, s = tod_us / LH_US_PER_SEC % 60,
            us = tod_us % LH_US_PER_SEC;
    size_t k = (size_t)sprintf(o, "%02d:%02d", (int)h, (int)m);
    if (s || us)
        k += (size_t)sprintf(o + k, ":%02d", (int)s);
    if (us) {
        if (us % 1000 == 0)
            k += (size_t)sprintf(o + k, ".%03d", (int)(us / 1000));
        else
            k += (size_t)sprintf(o + k, ".%06d", (int)us);
    }
    return k;
}

static size_t jdate_str(int64_t days, char *o)
{
    int64_t y;
    unsigned m, d;
    lh_civil_from_days(days, &y, &m, &d);
    return (size_t)sprintf(o, "%04lld-%02u-%02u", (long long)y, m, d);
}

static size_t arg_str(const lh_vector *v, uint32_t row, char *o)
{
    uint32_t r = vrow(v, row);
    lh_sqltype t = v->type;
    switch (t.id) {
    case LH_SQL_BOOLEAN:
        return (size_t)sprintf(o, "%s", ((const uint8_t *)v->data)[r] ? "true" : "false");
    case LH_SQL_TINYINT:
    case LH_SQL_SMALLINT:
    case LH_SQL_INTEGER:
    case LH_SQL_BIGINT:
        return (size_t)sprintf(o, "%lld", (long long)lh_vector_get_i64(v, row));
    case LH_SQL_REAL:
    case LH_SQL_DOUBLE:
        return jdouble_str(lh_vector_get_f64(v, row), t.id == LH_SQL_REAL, o);
    case LH_SQL_DECIMAL: {
        lh_i128 x = lh_vector_get_i128(v, row);
        ddig d;
        size_t k = 0;
        int adj;
        dd_dec(x, t.s, &d);
        adj = d.point - 1;
        if (d.neg)
            o[k++] = '-';
        if (adj >= -6) {
            if (d.point <= 0) {
                o[k++] = '0', o[k++] = '.';
                for (int i = d.point; i < 0; i++)
                    o[k++] = '0';
                for (int i = 0; i < d.nd; i++)
                    o[k++] = d.d[i];
            } else {
                for (int i = 0; i < d.point; i++)
                    o[k++] = d.d[i];
                if (d.nd > d.point)
                    o[k++] = '.';
                for (int i = d.point; i < d.nd; i++)
                    o[k++] = d.d[i];
            }
        } else {
            o[k++] = d.d[0];
            if (d.nd > 1)
                o[k++] = '.';
            for (int i = 1; i < d.nd; i++)
                o[k++] = d.d[i];
            k += (size_t)sprintf(o + k, "E%d", adj);
        }
        return k;
    }
    case LH_SQL_DATE:
        return jdate_str(lh_vector_get_i64(v, row), o);
    case LH_SQL_TIME:
        return jtime_str(lh_vector_get_i64(v, row), o);
    case LH_SQL_TIMESTAMP: {
        int64_t us = lh_vector_get_i64(v, row);
        size_t k = jdate_str(lh_dt_floordiv(us, LH_US_PER_DAY), o);
        o[k++] = 'T';
        return k + jtime_str(lh_dt_floormod(us, LH_US_PER_DAY), o + k);
    }
    case LH_SQL_TIMESTAMP_TZ: {
        lh_tstz z = lh_vector_get_tstz(v, row);
        int64_t us = lh_tstz_local_us(z);
        int32_t off = lh_zone_offset(z.zone, lh_dt_floordiv(z.utc_us, LH_US_PER_SEC)) / 60;
        char name[LH_ZONE_NAME_MAX];
        size_t k = jdate_str(lh_dt_floordiv(us, LH_US_PER_DAY), o);
        o[k++] = 'T';
        k += jtime_str(lh_dt_floormod(us, LH_US_PER_DAY), o + k);
        if (off == 0)
            o[k++] = 'Z';
        else
            k += (size_t)sprintf(o + k, "%c%02d:%02d", off < 0 ? '-' : '+', abs(off) / 60, abs(off) % 60);
        if (z.zone < LH_ZONE_FIXED_BASE) {
            lh_zone_name(z.zone, name, sizeof name);
            k += (size_t)snprintf(o + k, 200, "[%.150s]", name);
        }
        return k;
    }
    default:
        return 0;
    }
}

/* ---- one conversion ---- */
static lh_rc conv(lh_buf *b, const fspec *s, const lh_vector *v, uint32_t row, const char *fmt, size_t fn,
                  lh_err *err)
{
    int isnull = !v || arg_null(v, row);
    lh_sqltype t = v ? v->type : lh_sqltype_of(LH_SQL_UNKNOWN);
    char c = s->conv, lc = (char)(c | 0x20), o[700];
    size_t n;
    if (lc == 'b') {
        const char *r = isnull ? "false" : t.id == LH_SQL_BOOLEAN ? (((const uint8_t *)v->data)[vrow(v, row)] ? "true" : "false") : "true";
        n = strlen(r);
        memcpy(o, r, n);
        if (s->prec >= 0 && (size_t)s->prec < n)
            n = (size_t)s->prec;
        if (c == 'B')
            upper_ascii(o, n);
        return pad_put(b, s, o, n, err);
    }
    if (lc == 's') {
        if (has(s, '#'))
            return bad(fmt, fn, err, "FormatFlagsConversionMismatch: Conversion = s, Flags = #");
        if (isnull) {
            memcpy(o, "null", 4);
            n = 4;
        } else if (t.id == LH_SQL_VARCHAR || t.id == LH_SQL_CHAR) {
            lh_str st = lh_vector_get_str(v, row);
            const char *p = lh_str_ptr(&st);
            size_t l = lh_str_len(&st);
            lh_buf tmp;
            lh_rc rc;
            if (s->prec >= 0) {
                size_t off = u8_offset(p, l, 0, (uint64_t)s->prec);
                if (off != SIZE_MAX)
                    l = off;
            }
            if (c == 'S' || t.id == LH_SQL_CHAR) { /* upper-case or pad: through a copy */
                lh_buf_init(&tmp, FMT_CAP);
                if ((rc = lh_buf_append(&tmp, p, l, err))) {
                    lh_buf_free(&tmp);
                    return rc;
                }
                if (t.id == LH_SQL_CHAR)
                    for (size_t k = u8_count(p, l); k < t.len && !rc; k++)
                        rc = lh_buf_putc(&tmp, ' ', err);
                if (c == 'S')
                    upper_ascii(tmp.data, tmp.len);
                if (!rc)
                    rc = pad_put(b, s, tmp.data, tmp.len, err);
                lh_buf_free(&tmp);
                return rc;
            }
            return pad_put(b, s, p, l, err);
        } else
            n = arg_str(v, row, o);
        if (s->prec >= 0 && (size_t)s->prec < n)
            n = (size_t)s->prec;
        if (c == 'S')
            upper_ascii(o, n);
        return pad_put(b, s, o, n, err);
    }
    if (isnull)
        return pad_put(b, s, "null", 4, err);
    if (lc == 'd' || lc == 'o' || lc == 'x') {
        int64_t x;
        char dg[40];
        size_t nd;
        if (!lh_sqltype_is_integer(t))
            return bad(fmt, fn, err, "IllegalFormatConversion: %c != %s", c, jclass(t));
        if (s->prec >= 0)
            return bad(fmt, fn, err, "IllegalFormatPrecision: %d", s->prec);
        x = lh_vector_get_i64(v, row);
        if (lc == 'd') {
            uint64_t u = x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
            nd = (size_t)sprintf(dg, "%llu", (unsigned long long)u);
            return num_put(b, s, x < 0, dg, nd, NULL, 0, err);
        }
        n = 0;
        if (has(s, '#'))
            n = (size_t)sprintf(o, "%s", lc == 'o' ? "0" : c == 'X' ? "0X" : "0x");
        n += (size_t)sprintf(o + n, lc == 'o' ? "%llo" : c == 'X' ? "%llX" : "%llx", (unsigned long long)x);
        if (has(s, '0') && s->width > 0 && n < (size_t)s->width) {
            size_t pre = has(s, '#') ? (lc == 'o' ? 1 : 2) : 0, z = (size_t)s->width - n;
            memmove(o + pre + z, o + pre, n - pre);
            memset(o + pre, '0', z);
            n += z;
        }
        return pad_put(b, s, o, n, err);
    }
    if (lc == 'e' || lc == 'f' || lc == 'g') {
        ddig d;
        int prec = s->prec < 0 ? 6 : s->prec;
        char dg[400], rest[420];
        size_t nd = 0, nr = 0;
        if (t.id == LH_SQL_DOUBLE || t.id == LH_SQL_REAL) {
            double x = lh_vector_get_f64(v, row);
            if (isnan(x) || isinf(x)) {
                n = (size_t)sprintf(o, "%s", isnan(x) ? "NaN" : x < 0 ? (has(s, '(') ? "(Infinity)" : "-Infinity")
                                                                    : has(s, '+') ? "+Infinity" : "Infinity");
                if (c == 'E' || c == 'G')
                    upper_ascii(o, n);
                return pad_put(b, s, o, n, err);
            }
            dd_double(x, t.id == LH_SQL_REAL, &d);
        } else if (t.id == LH_SQL_DECIMAL)
            dd_dec(lh_vector_get_i128(v, row), t.s, &d);
        else
            return bad(fmt, fn, err, "IllegalFormatConversion: %c != %s", c, jclass(t));
        if (d.nd == 1 && d.d[0] == '0')
            d.point = 1;
        if (lc == 'g') { /* Java: precision significant digits; fixed for 10^-4 <= |x| < 10^prec */
            ddig r = d;
            if (prec == 0)
                prec = 1;
            dd_round(&r, prec);
            int zero = r.nd == 1 && r.d[0] == '0';
            if (zero || (r.point - 1 >= -4 && r.point - 1 < prec)) {
                lc = 'f';
                prec = prec - r.point;
                if (zero)
                    prec = prec - 1 + 1;
            } else {
                lc = 'e';
                prec = prec - 1;
            }
        }
        if (lc == 'f') {
            dd_round(&d, d.point + prec);
            if (d.point <= 0)
                dg[nd++] = '0';
            for (int i = 0; i < d.point && nd < 350; i++)
                dg[nd++] = dd_at(&d, i);
            if (prec > 0 || has(s, '#'))
                rest[nr++] = '.';
            for (int i = 0; i < prec && nr < 400; i++)
                rest[nr++] = dd_at(&d, d.point + i);
        } else {
            int zero = d.nd == 1 && d.d[0] == '0', ex;
            dd_round(&d, prec + 1);
            ex = zero ? 0 : d.point - 1;
            dg[nd++] = d.d[0];
            if (prec > 0 || has(s, '#'))
                rest[nr++] = '.';
            for (int i = 1; i <= prec && nr < 380; i++)
                rest[nr++] = dd_at(&d, i);
            nr += (size_t)sprintf(rest + nr, "%c%c%02d", c == 'E' || c == 'G' ? 'E' : 'e', ex < 0 ? '-' : '+',
                                  ex < 0 ? -ex : ex);
        }
        {
            int neg = d.neg;
            if (neg) { /* -0.00 prints its sign in Java too */
            }
            return num_put(b, s, neg, dg, nd, rest, nr, err);
        }
    }
    if (lc == 't') {
        int64_t local, tod = 0, days = 0;
        int have_date = 1, have_time = 1;
        lh_zone zone = LH_ZONE_UTC;
        int64_t utc = 0;
        lh_dt_fields f;
        switch (t.id) {
        case LH_SQL_DATE:
            days = lh_vector_get_i64(v, row);
            local = days * LH_US_PER_DAY;
            have_time = 0;
            break;
        case LH_SQL_TIME:
            local = lh_vector_get_i64(v, row);
            have_date = 0;
            break;
        case LH_SQL_TIMESTAMP:
            local = lh_vector_get_i64(v, row);
            break;
        case LH_SQL_TIMESTAMP_TZ: {
            lh_tstz z = lh_vector_get_tstz(v, row);
            local = lh_tstz_local_us(z);
            zone = z.zone, utc = z.utc_us;
            break;
        }
        default:
            return bad(fmt, fn, err, "IllegalFormatConversion: %c != %s", s->tconv, jclass(t));
        }
        lh_dt_fields_of(local, &f);
        tod = lh_dt_floormod(local, LH_US_PER_DAY);
        (void)days;
        switch (s->tconv) {
        case 'A': case 'a': case 'B': case 'b': case 'h': case 'C': case 'Y': case 'y': case 'j': case 'm':
        case 'd': case 'e': case 'F': case 'D':
            if (!have_date)
                return bad(fmt, fn, err, "IllegalFormatConversion: %c != %s", s->tconv, jclass(t));
            break;
        case 'Z':
            if (t.id != LH_SQL_TIMESTAMP_TZ)
                return bad(fmt, fn, err, "IllegalFormatConversion: %c != %s", s->tconv, jclass(t));
            break;
        default:
            if (!have_time)
                return bad(fmt, fn, err, "IllegalFormatConversion: %c != %s", s->tconv, jclass(t));
            break;
        }
        switch (s->tconv) {
        case 'A': n = (size_t)sprintf(o, "%s", DOWS[f.day_of_week - 1]); break;
        case 'a': n = (size_t)sprintf(o, "%.3s", DOWS[f.day_of_week - 1]); break;
        case 'B': n = (size_t)sprintf(o, "%s", MONTHS[f.month - 1]); break;
        case 'b': case 'h': n = (size_t)sprintf(o, "%.3s", MONTHS[f.month - 1]); break;
        case 'C': n = (size_t)sprintf(o, "%02lld", (long long)(f.year / 100)); break;
        case 'Y': n = (size_t)sprintf(o, "%04lld", (long long)f.year); break;
        case 'y': n = (size_t)sprintf(o, "%02lld", (long long)lh_dt_floormod(f.year, 100)); break;
        case 'j': n = (size_t)sprintf(o, "%03d", f.day_of_year); break;
        case 'm': n = (size_t)sprintf(o, "%02d", f.month); break;
        case 'd': n = (size_t)sprintf(o, "%02d", f.day); break;
        case 'e': n = (size_t)sprintf(o, "%d", f.day); break;
        case 'H': n = (size_t)sprintf(o, "%02d", f.hour); break;
        case 'I': n = (size_t)sprintf(o, "%02d", f.hour % 12 ? f.hour % 12 : 12); break;
        case 'k': n = (size_t)sprintf(o, "%d", f.hour); break;
        case 'l': n = (size_t)sprintf(o, "%d", f.hour % 12 ? f.hour % 12 : 12); break;
        case 'M': n = (size_t)sprintf(o, "%02d", f.minute); break;
        case 'S': n = (size_t)sprintf(o, "%02d", f.second); break;
        case 'L': n = (size_t)sprintf(o, "%03d", (int)(tod / 1000 % 1000)); break;
        case 'N': n = (size_t)sprintf(o, "%09lld", (long long)(tod % LH_US_PER_SEC * 1000)); break;
        case 'p': n = (size_t)sprintf(o, "%s", f.hour < 12 ? "am" : "pm"); break;
        case 'Z': {
            char name[LH_ZONE_NAME_MAX];
            lh_zone_name(zone, name, sizeof name);
            n = (size_t)snprintf(o, 200, "%.150s", name);
            (void)utc;
            break;
        }
        case 'F': n = (size_t)sprintf(o, "%04lld-%02d-%02d", (long long)f.year, f.month, f.day); break;
        case 'D':
            n = (size_t)sprintf(o, "%02d/%02d/%02lld", f.month, f.day, (long long)lh_dt_floormod(f.year, 100));
            break;
        case 'T': n = (size_t)sprintf(o, "%02d:%02d:%02d", f.hour, f.minute, f.second); break;
        case 'R': n = (size_t)sprintf(o, "%02d:%02d", f.hour, f.minute); break;
        case 'r':
            n = (size_t)sprintf(o, "%02d:%02d:%02d %s", f.hour % 12 ? f.hour % 12 : 12, f.minute, f.second,
                                f.hour < 12 ? "AM" : "PM");
            break;
        default:
            return bad(fmt, fn, err, "UnknownFormatConversion: Conversion = '%c%c'", c, s->tconv);
        }
        if (c == 'T')
            upper_ascii(o, n);
        return pad_put(b, s, o, n, err);
    }
    return bad(fmt, fn, err, "UnknownFormatConversion: Conversion = '%c'", c);
}

/* a decimal number of at most 7 digits at p[*i..); -1 when longer (a
 * width, precision or index no output could honour) */
static int small_num(const char *p, size_t n, size_t *i)
{
    int v = 0, k = 0;
    while (*i < n && p[*i] >= '0' && p[*i] <= '9') {
        if (++k > 7)
            v = -1;
        else if (v >= 0)
            v = v * 10 + (p[*i] - '0');
        (*i)++;
    }
    return v;
}

/* ---- the function ---- */

static lh_rc fmt_init(lh_fn_call *c, lh_vector *const *ca, lh_err *err)
{
    lh_buf *b = lh_malloc(sizeof *b);
    (void)ca;
    if (!b)
        return lh_errf(err, LH_ENOMEM, "out of memory in format");
    lh_buf_init(b, FMT_CAP);
    c->state = b;
    return LH_OK;
}
static void fmt_done(lh_fn_call *c)
{
    if (c->state) {
        lh_buf_free(c->state);
        lh_free(c->state);
    }
    c->state = NULL;
}

static lh_rc format_row(lh_fn_call *c, lh_vector **a, uint32_t row, lh_buf *b, lh_err *err)
{
    const lh_str *fs = sarg(a[0], row);
    const char *p = lh_str_ptr(fs);
    size_t n = lh_str_len(fs), i = 0;
    int ordinary = 0, last = 0;
    size_t nargs = c->nargs - 1;
    lh_rc rc;
    b->len = 0;
    while (i < n) {
        fspec s;
        size_t st = i, k;
        if (p[i] != '%') {
            k = i;
            while (k < n && p[k] != '%')
                k++;
            if ((rc = lh_buf_append(b, p + i, k - i, err)))
                return rc;
            i = k;
            continue;
        }
        memset(&s, 0, sizeof s);
        s.width = s.prec = -1;
        i++;
        /* index$ */
        k = i;
        while (k < n && p[k] >= '0' && p[k] <= '9')
            k++;
        if (k > i && k < n && p[k] == '$') {
            s.idx = small_num(p, n, &i);
            if (s.idx < 0)
                return bad(p, n, err, "IllegalFormatArgumentIndex: Illegal format argument index");
            i = k + 1;
        }
        {
            size_t nf = 0;
            while (i < n && strchr("-#+ 0,(<", p[i]) && nf < sizeof s.flags - 1) {
                if (p[i] == '<')
                    s.idx = -1;
                else
                    s.flags[nf++] = p[i];
                i++;
            }
        }
        if (i < n && p[i] >= '1' && p[i] <= '9') {
            s.width = small_num(p, n, &i);
            if (s.width < 0 || s.width > 1000000)
                return bad(p, n, err, "IllegalFormatWidth: width too large");
        }
        if (i < n && p[i] == '.') {
            i++;
            if (i >= n || p[i] < '0' || p[i] > '9')
                return bad(p, n, err, "IllegalFormatPrecision");
            s.prec = small_num(p, n, &i);
            if (s.prec < 0 || s.prec > 1000000)
                return bad(p, n, err, "IllegalFormatPrecision: precision too large");
        }
        if (i >= n)
            return bad(p, n, err, "UnknownFormatConversion: Conversion = '%%'");
        s.conv = p[i++];
        if (s.conv == 't' || s.conv == 'T') {
            if (i >= n)
                return bad(p, n, err, "UnknownFormatConversion: Conversion = '%c'", s.conv);
            s.tconv = p[i++];
        }
        s.text = p + st;
        s.tlen = i - st;
        if (s.conv == '%') {
            if ((rc = pad_put(b, &s, "%", 1, err)))
                return rc;
            continue;
        }
        if (s.conv == 'n') {
            if ((rc = lh_buf_putc(b, '\n', err)))
                return rc;
            continue;
        }
        if (!strchr("bBsSdoxXeEfgGtT", s.conv))
            return bad(p, n, err, "UnknownFormatConversion: Conversion = '%c'", s.conv);
        {
            int ai = s.idx > 0 ? s.idx : s.idx < 0 ? last : ++ordinary;
            if (ai < 1 || (size_t)ai > nargs)
                return bad(p, n, err, "MissingFormatArgument: Format specifier '%.*s'", (int)s.tlen, s.text);
            last = ai;
            if ((rc = conv(b, &s, a[ai], row, p, n, err)))
                return rc;
        }
    }
    return LH_OK;
}

static lh_rc f_format(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    lh_buf *b = c->state;
    if (!b)
        return lh_errf(err, LH_EINTERNAL, "format evaluated before init");
    FN_ROWS(rows, i, row)
    {
        lh_rc rc;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        if ((rc = format_row(c, a, row, b, err)) || (rc = put_str(c, out, row, b->data ? b->data : "", b->len, err)))
            return rc;
    }
    return LH_OK;
}

static int acc_format(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n >= 2 && t[0].id == LH_SQL_VARCHAR && r.id == LH_SQL_VARCHAR;
}

const lh_scalar_entry lh_fns_format[] = {
    {"format", acc_format, {"format", fmt_init, f_format, fmt_done}},
    {NULL, NULL, {NULL, NULL, NULL, NULL}},
};
