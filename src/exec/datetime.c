/* exec/datetime.c — dates, timestamps, intervals with Trino's semantics
 * (the date_format/date_parse formats are in datefmt.c). */
#include "exec/datetime.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/types.h"

/* ---- calendar ---- */

int lh_dt_is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int lh_dt_days_in_month(int64_t y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return d[m - 1] + (m == 2 && lh_dt_is_leap(y));
}

int64_t lh_dt_floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t lh_dt_floormod(int64_t a, int64_t b)
{
    return a - lh_dt_floordiv(a, b) * b;
}

static int64_t civil(int64_t y, int m, int d)
{
    return lh_days_from_civil(y, (unsigned)m, (unsigned)d);
}

static void from_days(int64_t days, int64_t *y, int *m, int *d)
{
    unsigned mm, dd;
    lh_civil_from_days(days, y, &mm, &dd);
    *m = (int)mm;
    *d = (int)dd;
}

/* ---- rounding, conversion ---- */

static const int64_t g_p10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};

int64_t lh_ts_round(int64_t us, int p)
{
    int64_t f;
    if (p >= 6 || p < 0)
        return us;
    f = g_p10[6 - p];
    return lh_dt_floordiv(us + f / 2, f) * f;
}

int64_t lh_tstz_local_us(lh_tstz t)
{
    return t.utc_us + (int64_t)lh_zone_offset(t.zone, lh_dt_floordiv(t.utc_us, LH_US_PER_SEC)) * LH_US_PER_SEC;
}

int64_t lh_local_to_utc_us(lh_zone z, int64_t local_us)
{
    int64_t s = lh_dt_floordiv(local_us, LH_US_PER_SEC), sub = local_us - s * LH_US_PER_SEC;
    return lh_zone_local_to_utc(z, s) * LH_US_PER_SEC + sub;
}

int32_t lh_ts_to_date(int64_t us)
{
    return (int32_t)lh_dt_floordiv(us, LH_US_PER_DAY);
}

int64_t lh_date_to_ts(int32_t days)
{
    return (int64_t)days * LH_US_PER_DAY;
}

/* ---- parsing ---- */

typedef struct dtparts {
    int64_t year;
    int month, day, hour, minute, second;
    int has_time;
    const char *frac; /* fraction digits, or NULL */
    int nfrac;
    const char *rest; /* after the time part */
} dtparts;

static int digits(const char **p, const char *e, int min, int max, int64_t *v)
{
    int n = 0;
    int64_t x = 0;
    while (*p < e && isdigit((unsigned char)**p) && (max == 0 || n < max)) {
        if (x > 100000000000LL)
            return -1;
        x = x * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    if (n < min)
        return -1;
    *v = x;
    return 0;
}

static int valid_hms(int h, int mi, int s)
{
    return h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59;
}

/* YYYY-MM-DD */
static int parse_date_part(const char **pp, const char *e, dtparts *d)
{
    const char *p = *pp;
    int neg = 0;
    int64_t v;
    if (p < e && (*p == '+' || *p == '-'))
        neg = *p++ == '-';
    if (digits(&p, e, 4, 0, &v))
        return -1;
    if (v > 292000)
        return -1;
    d->year = neg ? -v : v;
    if (p >= e || *p++ != '-' || digits(&p, e, 1, 2, &v))
        return -1;
    d->month = (int)v;
    if (p >= e || *p++ != '-' || digits(&p, e, 1, 2, &v))
        return -1;
    d->day = (int)v;
    if (d->month < 1 || d->month > 12 || d->day < 1 || d->day > lh_dt_days_in_month(d->year, d->month))
        return -1;
    *pp = p;
    return 0;
}

/* HH:MM[:SS[.fff]] */
static int parse_time_part(const char **pp, const char *e, dtparts *d)
{
    const char *p = *pp;
    int64_t v;
    if (digits(&p, e, 1, 2, &v))
        return -1;
    d->hour = (int)v;
    if (p >= e || *p++ != ':' || digits(&p, e, 1, 2, &v))
        return -1;
    d->minute = (int)v;
    d->second = 0;
    if (p < e && *p == ':') {
        p++;
        if (digits(&p, e, 1, 2, &v))
            return -1;
        d->second = (int)v;
        if (p < e && *p == '.') {
            p++;
            d->frac = p;
            while (p < e && isdigit((unsigned char)*p))
                p++;
            d->nfrac = (int)(p - d->frac);
            if (d->nfrac == 0)
                return -1;
        }
    }
    if (!valid_hms(d->hour, d->minute, d->second))
        return -1;
    d->has_time = 1;
    *pp = p;
    return 0;
}

static int parse_ts_parts(const char *s, size_t n, dtparts *d)
{
    const char *p = s, *e = s + n;
    memset(d, 0, sizeof *d);
    if (parse_date_part(&p, e, d))
        return -1;
    if (p < e && *p == ' ' && p + 1 < e && isdigit((unsigned char)p[1])) {
        /* a digit after the space starts a time (zone names never do) */
        p++;
        if (parse_time_part(&p, e, d))
            return -1;
    }
    d->rest = p;
    return 0;
}

/* Micros of the wall clock, with the fraction rounded HALF_UP to p digits. */
static int64_t parts_us(const dtparts *d, int p)
{
    int64_t us = civil(d->year, d->month, d->day) * LH_US_PER_DAY + d->hour * LH_US_PER_HOUR +
                 d->minute * LH_US_PER_MIN + d->second * LH_US_PER_SEC;
    int64_t f = 0;
    int i;
    for (i = 0; i < p; i++)
        f = f * 10 + (i < d->nfrac ? d->frac[i] - '0' : 0);
    if (p < d->nfrac && d->frac[p] >= '5')
        f++;
    return us + f * g_p10[6 - p];
}

static lh_rc ts_err(lh_err *err, lh_dt_ctx ctx, const char *what, const char *s, size_t n)
{
    if (ctx == LH_DT_LITERAL)
        return lh_errf(err, LH_EDATA, "'%.*s' is not a valid %s literal", (int)n, s, what);
    {
        char low[16];
        size_t i;
        for (i = 0; what[i] && i < sizeof low - 1; i++)
            low[i] = (char)tolower((unsigned char)what[i]);
        low[i] = 0;
        return lh_errf(err, LH_EDATA, "Value cannot be cast to %s: %.*s", low, (int)n, s);
    }
}

static void trim(const char **s, size_t *n)
{
    while (*n && isspace((unsigned char)**s))
        (*s)++, (*n)--;
    while (*n && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

lh_rc lh_date_parse(const char *s, size_t n, lh_dt_ctx ctx, int32_t *days, lh_err *err)
{
    const char *p, *s0 = s;
    size_t n0 = n;
    dtparts d;
    memset(&d, 0, sizeof d);
    if (ctx == LH_DT_CAST)
        trim(&s, &n);
    p = s;
    if (parse_date_part(&p, s + n, &d) || p != s + n)
        return ts_err(err, ctx, "DATE", s0, n0);
    *days = (int32_t)civil(d.year, d.month, d.day);
    return LH_OK;
}

static lh_rc frac_check(const dtparts *d, const char *s, size_t n, lh_err *err)
{
    if (d->nfrac > LH_TS_TRINO_MAX_PRECISION)
        return lh_errf(err, LH_EDATA, "'%.*s' is not a valid TIMESTAMP literal", (int)n, s);
    if (d->nfrac > LH_TS_MAX_PRECISION)
        return lh_errf(err, LH_EUNSUPPORTED,
                       "TIMESTAMP '%.*s' has %d fraction digits: lakehouse stores timestamps to the microsecond "
                       "(precision up to 6)",
                       (int)n, s, d->nfrac);
    return LH_OK;
}

lh_rc lh_timestamp_literal(const char *s, size_t n, lh_sqltype *type, int64_t *us, lh_zone *zone, lh_err *err)
{
    dtparts d;
    const char *z, *e = s + n;
    lh_rc rc;
    if (parse_ts_parts(s, n, &d))
        return ts_err(err, LH_DT_LITERAL, "TIMESTAMP", s, n);
    if ((rc = frac_check(&d, s, n, err)) != LH_OK)
        return rc;
    z = d.rest;
    while (z < e && *z == ' ')
        z++;
    if (z == e) {
        if (d.rest != e)
            return ts_err(err, LH_DT_LITERAL, "TIMESTAMP", s, n);
        *type = lh_sqltype_timestamp(d.nfrac);
        *us = parts_us(&d, d.nfrac);
        *zone = LH_ZONE_UTC;
        return LH_OK;
    }
    if (z == d.rest && *z != '+' && *z != '-')
        return ts_err(err, LH_DT_LITERAL, "TIMESTAMP", s, n);
    rc = lh_zone_lookup(z, (size_t)(e - z), zone, err);
    if (rc)
        return rc;
    *type = lh_sqltype_timestamp_tz(d.nfrac);
    *us = lh_local_to_utc_us(*zone, parts_us(&d, d.nfrac));
    return LH_OK;
}

lh_rc lh_timestamp_cast(const char *s, size_t n, int p, int64_t *us, lh_err *err)
{
    dtparts d;
    const char *s0 = s;
    size_t n0 = n;
    trim(&s, &n);
    if (parse_ts_parts(s, n, &d) || d.rest != s + n || d.nfrac > LH_TS_TRINO_MAX_PRECISION)
        return ts_err(err, LH_DT_CAST, "TIMESTAMP", s0, n0);
    *us = parts_us(&d, p);
    return LH_OK;
}

lh_rc lh_tstz_cast(const char *s, size_t n, int p, lh_zone session_zone, lh_tstz *out, lh_err *err)
{
    dtparts d;
    const char *z, *e, *s0 = s;
    size_t n0 = n;
    lh_zone zone = session_zone;
    trim(&s, &n);
    e = s + n;
    if (parse_ts_parts(s, n, &d) || d.nfrac > LH_TS_TRINO_MAX_PRECISION)
        return ts_err(err, LH_DT_CAST, "TIMESTAMP WITH TIME ZONE", s0, n0);
    z = d.rest;
    while (z < e && *z == ' ')
        z++;
    if (z < e) {
        if (z == d.rest && *z != '+' && *z != '-')
            return ts_err(err, LH_DT_CAST, "TIMESTAMP WITH TIME ZONE", s0, n0);
        lh_rc rc = lh_zone_lookup(z, (size_t)(e - z), &zone, err);
        if (rc)
            return rc;
    }
    out->zone = zone;
    out->utc_us = lh_local_to_utc_us(zone, parts_us(&d, p));
    return LH_OK;
}

lh_rc lh_time_parse(const char *s, size_t n, lh_dt_ctx ctx, int *p, int64_t *us, lh_err *err)
{
    dtparts d;
    const char *q, *s0 = s;
    size_t n0 = n;
    memset(&d, 0, sizeof d);
    if (ctx == LH_DT_CAST)
        trim(&s, &n);
    q = s;
    if (parse_time_part(&q, s + n, &d) || q != s + n || d.nfrac > LH_TS_TRINO_MAX_PRECISION)
        return ts_err(err, ctx, "TIME", s0, n0);
    if (d.nfrac > LH_TS_MAX_PRECISION)
        return lh_errf(err, LH_EUNSUPPORTED, "TIME '%.*s': precision above 6 is not supported", (int)n0, s0);
    d.year = 1970;
    d.month = d.day = 1;
    if (p)
        *p = d.nfrac;
    *us = parts_us(&d, ctx == LH_DT_LITERAL || !p ? d.nfrac : *p);
    *us = lh_dt_floormod(*us, LH_US_PER_DAY);
    return LH_OK;
}

/* ---- printing ---- */

size_t lh_date_format(int32_t days, char *buf, size_t bufsz)
{
    int64_t y;
    int m, d, r;
    from_days(days, &y, &m, &d);
    if (y < 0)
        r = snprintf(buf, bufsz, "-%04lld-%02d-%02d", (long long)-y, m, d);
    else
        r = snprintf(buf, bufsz, "%04lld-%02d-%02d", (long long)y, m, d);
    return r < 0 ? 0 : (size_t)r;
}

static size_t fmt_hms(int64_t tod_us, int p, char *buf, size_t bufsz)
{
    int h = (int)(tod_us / LH_US_PER_HOUR), mi = (int)(tod_us / LH_US_PER_MIN % 60),
        s = (int)(tod_us / LH_US_PER_SEC % 60);
    int r;
    if (p <= 0)
        r = snprintf(buf, bufsz, "%02d:%02d:%02d", h, mi, s);
    else
        r = snprintf(buf, bufsz, "%02d:%02d:%02d.%0*lld", h, mi, s, p,
                     (long long)(tod_us % LH_US_PER_SEC / g_p10[6 - (p > 6 ? 6 : p)]));
    return r < 0 ? 0 : (size_t)r;
}

size_t lh_timestamp_format(int64_t us, int p, char *buf, size_t bufsz)
{
    int64_t days = lh_dt_floordiv(us, LH_US_PER_DAY), tod = us - days * LH_US_PER_DAY;
    size_t k = lh_date_format((int32_t)days, buf, bufsz);
    if (k + 1 >= bufsz)
        return k;
    buf[k++] = ' ';
    return k + fmt_hms(tod, p, buf + k, bufsz - k);
}

size_t lh_tstz_format(lh_tstz t, int p, char *buf, size_t bufsz)
{
    char zn[LH_ZONE_NAME_MAX];
    size_t k = lh_timestamp_format(lh_tstz_local_us(t), p, buf, bufsz);
    int r = snprintf(buf + k, bufsz > k ? bufsz - k : 0, " %s", lh_zone_name(t.zone, zn, sizeof zn));
    return k + (r < 0 ? 0 : (size_t)r);
}

size_t lh_time_format(int64_t us, int p, char *buf, size_t bufsz)
{
    return fmt_hms(lh_dt_floormod(us, LH_US_PER_DAY), p, buf, bufsz);
}

/* ---- intervals ---- */

size_t lh_interval_ds_format(int64_t us, char *buf, size_t bufsz)
{
    uint64_t ms = us < 0 ? (uint64_t)0 - (uint64_t)us : (uint64_t)us;
    int r;
    ms /= 1000;
    r = snprintf(buf, bufsz, "%s%llu %02llu:%02llu:%02llu.%03llu", us < 0 ? "-" : "",
                 (unsigned long long)(ms / 86400000), (unsigned long long)(ms / 3600000 % 24),
                 (unsigned long long)(ms / 60000 % 60), (unsigned long long)(ms / 1000 % 60),
                 (unsigned long long)(ms % 1000));
    return r < 0 ? 0 : (size_t)r;
}

size_t lh_interval_ym_format(int32_t months, char *buf, size_t bufsz)
{
    int64_t m = months < 0 ? -(int64_t)months : months;
    int r = snprintf(buf, bufsz, "%s%lld-%lld", months < 0 ? "-" : "", (long long)(m / 12), (long long)(m % 12));
    return r < 0 ? 0 : (size_t)r;
}

static const char *field_name(lh_dt_field f)
{
    static const char *const n[] = {"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"};
    return n[f];
}

lh_rc lh_interval_literal(const char *s, size_t n, int neg, lh_dt_field from, lh_dt_field to, int64_t *us,
                          int32_t *months, lh_err *err)
{
    static const int64_t unit_us[] = {0, 0, LH_US_PER_DAY, LH_US_PER_HOUR, LH_US_PER_MIN, LH_US_PER_SEC};
    static const int64_t lim[] = {0, 11, 0, 23, 59, 59};
    const char *p = s, *e = s + n;
    int f, ym = from <= LH_F_MONTH, sneg = 0;
    int64_t total = 0, v;
    char tn[48];
    if ((unsigned)from > LH_F_SECOND || (unsigned)to > LH_F_SECOND)
        return lh_errf(err, LH_EINVAL, "bad interval field %d TO %d", (int)from, (int)to);
    if (to < from || (ym && to > LH_F_MONTH) || (!ym && to < LH_F_DAY))
        return lh_errf(err, LH_EPARSE, "Invalid interval qualifier: %s TO %s", field_name(from), field_name(to));
    if (to == from)
        snprintf(tn, sizeof tn, "%s", field_name(from));
    else
        snprintf(tn, sizeof tn, "%s TO %s", field_name(from), field_name(to));
    if (p < e && (*p == '-' || *p == '+'))
        sneg = *p++ == '-';
    for (f = (int)from; f <= (int)to; f++) {
        if (f > (int)from) {
            char sep = f == LH_F_MONTH ? '-' : f == LH_F_HOUR ? ' ' : ':';
            if (p >= e || *p++ != sep)
                goto bad;
        }
        if (digits(&p, e, 1, f == (int)from ? 0 : 2, &v))
            goto bad;
        if (f > (int)from && v > lim[f])
            goto bad;
        if (ym) {
            if (__builtin_mul_overflow(v, f == LH_F_YEAR ? 12 : 1, &v) || __builtin_add_overflow(total, v, &total))
                goto bad;
        } else {
            if (__builtin_mul_overflow(v, unit_us[f], &v) || __builtin_add_overflow(total, v, &total))
                goto bad;
        }
    }
    if (to == LH_F_SECOND && p < e && *p == '.') {
        int64_t frac = 0;
        int nd = 0;
        p++;
        while (p < e && isdigit((unsigned char)*p)) {
            if (nd < 6)
                frac = frac * 10 + (*p - '0');
            else if (nd == 6 && *p >= '5')
                frac++; /* HALF_UP at the microsecond */
            nd++;
            p++;
        }
        if (nd == 0 || nd > 9)
            goto bad;
        while (nd < 6)
            frac *= 10, nd++;
        total += frac;
    }
    if (p != e)
        goto bad;
    if (sneg != neg)
        total = -total;
    if (ym) {
        if (total > INT32_MAX || total < -INT32_MAX)
            goto bad;
        *months = (int32_t)total;
    } else
        *us = total;
    return LH_OK;
bad:
    return lh_errf(err, LH_EDATA, "Invalid INTERVAL %s value: %.*s", tn, (int)n, s);
}

/* ---- units ---- */

lh_rc lh_dt_unit_parse(const char *s, size_t n, lh_sqltype_id for_type, lh_dt_unit *out, lh_err *err)
{
    static const char *const names[] = {"millisecond", "second", "minute",  "hour", "day",
                                        "week",        "month",  "quarter", "year"};
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == n && strncasecmp(names[i], s, n) == 0) {
            if (for_type == LH_SQL_DATE && i < LH_U_DAY)
                break;
            if (for_type == LH_SQL_TIME && i > LH_U_HOUR)
                break;
            *out = (lh_dt_unit)i;
            return LH_OK;
        }
    return lh_errf(err, LH_EDATA, "'%.*s' is not a valid %s field", (int)n, s,
                   for_type == LH_SQL_DATE ? "DATE" : for_type == LH_SQL_TIME ? "Time" : "TIMESTAMP");
}

static const int64_t g_unit_us[] = {LH_US_PER_MS, LH_US_PER_SEC, LH_US_PER_MIN, LH_US_PER_HOUR, LH_US_PER_DAY,
                                    7 * LH_US_PER_DAY};

int64_t lh_ts_trunc(lh_dt_unit u, int64_t us)
{
    int64_t days, y;
    int m, d;
    if (u <= LH_U_DAY)
        return lh_dt_floordiv(us, g_unit_us[u]) * g_unit_us[u];
    days = lh_dt_floordiv(us, LH_US_PER_DAY);
    if (u == LH_U_WEEK) /* Monday: 1970-01-01 was a Thursday, so Monday 1969-12-29 is day -3 */
        return (days - lh_dt_floormod(days + 3, 7)) * LH_US_PER_DAY;
    from_days(days, &y, &m, &d);
    if (u == LH_U_MONTH)
        d = 1;
    else if (u == LH_U_QUARTER)
        m = (m - 1) / 3 * 3 + 1, d = 1;
    else
        m = 1, d = 1;
    return civil(y, m, d) * LH_US_PER_DAY;
}

int32_t lh_date_trunc(lh_dt_unit u, int32_t days)
{
    return lh_ts_to_date(lh_ts_trunc(u < LH_U_DAY ? LH_U_DAY : u, lh_date_to_ts(days)));
}

lh_tstz lh_tstz_trunc(lh_dt_unit u, lh_tstz t)
{
    lh_tstz r = t;
    int64_t off = lh_tstz_local_us(t) - t.utc_us;
    int64_t local = lh_ts_trunc(u, t.utc_us + off);
    if (u < LH_U_DAY)
        r.utc_us = local - off; /* Joda: time fields keep the instant's offset */
    else
        r.utc_us = lh_local_to_utc_us(t.zone, local);
    return r;
}

static lh_rc range_err(lh_err *err)
{
    return lh_errf(err, LH_EDATA, "Timestamp value out of range");
}

/* Add months with Joda's month-end clamping; time of day kept. */
static lh_rc add_months(int64_t us, int64_t months, int64_t *out, lh_err *err)
{
    int64_t days = lh_dt_floordiv(us, LH_US_PER_DAY), tod = us - days * LH_US_PER_DAY, y, t;
    int m, d, dim;
    if (months > 12LL * 300000 || months < -12LL * 300000)
        return range_err(err);
    from_days(days, &y, &m, &d);
    t = y * 12 + (m - 1) + months;
    y = lh_dt_floordiv(t, 12);
    m = (int)(t - y * 12) + 1;
    if (y > 292000 || y < -292000)
        return range_err(err);
    dim = lh_dt_days_in_month(y, m);
    if (d > dim)
        d = dim;
    *out = civil(y, m, d) * LH_US_PER_DAY + tod;
    return LH_OK;
}

lh_rc lh_ts_add(lh_dt_unit u, int64_t n, int64_t us, int64_t *out, lh_err *err)
{
    int64_t delta;
    if (u <= LH_U_WEEK) {
        if (__builtin_mul_overflow(n, g_unit_us[u], &delta) || __builtin_add_overflow(us, delta, out))
            return range_err(err);
        return LH_OK;
    }
    if (u == LH_U_QUARTER && __builtin_mul_overflow(n, 3, &n))
        return range_err(err);
    if (u == LH_U_YEAR && __builtin_mul_overflow(n, 12, &n))
        return range_err(err);
    return add_months(us, n, out, err);
}

lh_rc lh_date_add(lh_dt_unit u, int64_t n, int32_t days, int32_t *out, lh_err *err)
{
    int64_t r;
    lh_rc rc;
    static const char *const names[] = {"millisecond", "second", "minute", "hour"};
    if (u < LH_U_DAY)
        return lh_errf(err, LH_EDATA, "'%s' is not a valid DATE field", names[u]);
    rc = lh_ts_add(u, n, lh_date_to_ts(days), &r, err);
    if (rc)
        return rc;
    r = lh_dt_floordiv(r, LH_US_PER_DAY);
    if (r > INT32_MAX || r < INT32_MIN)
        return range_err(err);
    *out = (int32_t)r;
    return LH_OK;
}

/* Joda's convertLocalToUTC(local, strict = false, original): keep the
 * original instant's offset when it is still valid at the new wall time. */
static int64_t local_to_utc_keep(lh_zone z, int64_t local, int64_t orig_off_us)
{
    int64_t t = local - orig_off_us;
    lh_tstz c = {t, z};
    if (lh_tstz_local_us(c) == local)
        return t;
    return lh_local_to_utc_us(z, local);
}

lh_rc lh_tstz_add(lh_dt_unit u, int64_t n, lh_tstz t, lh_tstz *out, lh_err *err)
{
    lh_rc rc;
    int64_t local, off, r;
    *out = t;
    if (u < LH_U_DAY)
        return lh_ts_add(u, n, t.utc_us, &out->utc_us, err);
    local = lh_tstz_local_us(t);
    off = local - t.utc_us;
    rc = lh_ts_add(u, n, local, &r, err);
    if (rc)
        return rc;
    out->utc_us = local_to_utc_keep(t.zone, r, off);
    return LH_OK;
}

/* Joda's BasicMonthOfYearDateTimeField.getDifferenceAsLong on millis. */
static int64_t month_diff(int64_t minuend, int64_t subtrahend)
{
    int64_t y1, y2, dd1, dd2, rem1, rem2, diff;
    int m1, d1, m2, d2;
    if (minuend < subtrahend)
        return -month_diff(subtrahend, minuend);
    dd1 = lh_dt_floordiv(minuend, 86400000);
    dd2 = lh_dt_floordiv(subtrahend, 86400000);
    from_days(dd1, &y1, &m1, &d1);
    from_days(dd2, &y2, &m2, &d2);
    diff = (y1 - y2) * 12 + m1 - m2;
    rem1 = minuend - civil(y1, m1, 1) * 86400000;
    if (d1 == lh_dt_days_in_month(y1, m1) && d2 > d1)
        d2 = d1; /* the minuend is a month's last day: clamp as add would */
    rem2 = (civil(y2, m2, d2) - civil(y2, m2, 1)) * 86400000 + (subtrahend - dd2 * 86400000);
    if (rem1 < rem2)
        diff--;
    return diff;
}

/* Joda's BasicChronology year difference, leap days balanced. */
static int64_t year_diff(int64_t minuend, int64_t subtrahend)
{
    int64_t y1, y2, rem1, rem2, diff, dd1, dd2;
    int m, d;
    const int64_t feb29 = (31 + 28) * 86400000LL;
    if (minuend < subtrahend)
        return -year_diff(subtrahend, minuend);
    dd1 = lh_dt_floordiv(minuend, 86400000);
    dd2 = lh_dt_floordiv(subtrahend, 86400000);
    from_days(dd1, &y1, &m, &d);
    from_days(dd2, &y2, &m, &d);
    rem1 = minuend - civil(y1, 1, 1) * 86400000;
    rem2 = subtrahend - civil(y2, 1, 1) * 86400000;
    if (rem2 >= feb29) {
        if (lh_dt_is_leap(y2)) {
            if (!lh_dt_is_leap(y1))
                rem2 -= 86400000;
        } else if (lh_dt_is_leap(y1)) {
            rem1 -= 86400000;
        }
    }
    diff = y1 - y2;
    if (rem1 < rem2)
        diff--;
    return diff;
}

int64_t lh_ts_diff(lh_dt_unit u, int64_t a, int64_t b)
{
    /* Trino computes on epoch milliseconds (floor), like Joda */
    int64_t ma = lh_dt_floordiv(a, 1000), mb = lh_dt_floordiv(b, 1000);
    static const int64_t unit_ms[] = {1, 1000, 60000, 3600000, 86400000, 7 * 86400000LL};
    if (u <= LH_U_WEEK)
        return (mb - ma) / unit_ms[u]; /* truncation toward zero */
    if (u == LH_U_MONTH)
        return month_diff(mb, ma);
    if (u == LH_U_QUARTER)
        return month_diff(mb, ma) / 3;
    return year_diff(mb, ma);
}

int64_t lh_date_diff(lh_dt_unit u, int32_t a, int32_t b)
{
    return lh_ts_diff(u, lh_date_to_ts(a), lh_date_to_ts(b));
}

int64_t lh_tstz_diff(lh_dt_unit u, lh_tstz a, lh_tstz b)
{
    if (u < LH_U_DAY)
        return lh_ts_diff(u, a.utc_us, b.utc_us);
    return lh_ts_diff(u, lh_tstz_local_us(a), lh_tstz_local_us(b));
}

lh_rc lh_ts_plus_ds(int64_t us, int64_t iv, int64_t *out, lh_err *err)
{
    if (__builtin_add_overflow(us, iv, out))
        return range_err(err);
    return LH_OK;
}

lh_rc lh_ts_plus_ym(int64_t us, int32_t months, int64_t *out, lh_err *err)
{
    return add_months(us, months, out, err);
}

lh_rc lh_date_plus_ds(int32_t days, int64_t iv, int32_t *out, lh_err *err)
{
    int64_t r;
    if (iv % LH_US_PER_DAY != 0)
        return lh_errf(err, LH_EDATA, "Cannot add hour, minutes or seconds to a date");
    r = (int64_t)days + iv / LH_US_PER_DAY;
    if (r > INT32_MAX || r < INT32_MIN)
        return range_err(err);
    *out = (int32_t)r;
    return LH_OK;
}

lh_rc lh_date_plus_ym(int32_t days, int32_t months, int32_t *out, lh_err *err)
{
    return lh_date_add(LH_U_MONTH, months, days, out, err);
}

int64_t lh_time_plus_ds(int64_t tod_us, int64_t interval_us)
{
    return lh_dt_floormod(tod_us + interval_us % LH_US_PER_DAY, LH_US_PER_DAY);
}

lh_rc lh_tstz_plus_ds(lh_tstz t, int64_t iv, lh_tstz *out, lh_err *err)
{
    *out = t;
    return lh_ts_plus_ds(t.utc_us, iv, &out->utc_us, err);
}

lh_rc lh_tstz_plus_ym(lh_tstz t, int32_t months, lh_tstz *out, lh_err *err)
{
    return lh_tstz_add(LH_U_MONTH, months, t, out, err);
}

/* ---- fields ---- */

static int iso_dow(int64_t days)
{
    return (int)lh_dt_floormod(days + 3, 7) + 1; /* 1970-01-01 (day 0) was a Thursday (4) */
}

static int weeks_in_year(int64_t y)
{
    int jan1 = iso_dow(civil(y, 1, 1));
    return (jan1 == 4 || (jan1 == 3 && lh_dt_is_leap(y))) ? 53 : 52;
}

void lh_dt_fields_of(int64_t us, lh_dt_fields *f)
{
    int64_t days = lh_dt_floordiv(us, LH_US_PER_DAY), tod = us - days * LH_US_PER_DAY;
    int w;
    from_days(days, &f->year, &f->month, &f->day);
    f->hour = (int)(tod / LH_US_PER_HOUR);
    f->minute = (int)(tod / LH_US_PER_MIN % 60);
    f->second = (int)(tod / LH_US_PER_SEC % 60);
    f->millisecond = (int)(tod / 1000 % 1000);
    f->microsecond = (int)(tod % 1000000);
    f->day_of_week = iso_dow(days);
    f->day_of_year = (int)(days - civil(f->year, 1, 1)) + 1;
    f->quarter = (f->month - 1) / 3 + 1;
    w = (f->day_of_year - f->day_of_week + 10) / 7;
    f->year_of_week = f->year;
    if (w < 1) {
        f->year_of_week = f->year - 1;
        w = weeks_in_year(f->year - 1);
    } else if (w > weeks_in_year(f->year)) {
        f->year_of_week = f->year + 1;
        w = 1;
    }
    f->week = w;
}

/* ---- unix time ---- */

lh_rc lh_from_unixtime(double seconds, lh_tstz *out, lh_err *err)
{
    double ms = floor(seconds * 1000.0 + 0.5);
    if (!isfinite(ms) || ms > 9.2e15 || ms < -9.2e15)
        return lh_errf(err, LH_EDATA, "Timestamp value out of range: from_unixtime(%g)", seconds);
    out->utc_us = (int64_t)ms * 1000;
    out->zone = LH_ZONE_UTC;
    return LH_OK;
}

double lh_to_unixtime(int64_t us)
{
    int64_t ms = lh_dt_floordiv(us, 1000);
    return (double)ms / 1000.0 + (double)(us - ms * 1000) / 1e6;
}
