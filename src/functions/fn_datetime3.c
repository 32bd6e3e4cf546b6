/* functions/fn_datetime3.c — more of Trino's date and time functions
 * (functions/datetime.md), listed in lh_fns_datetime3[]:
 *
 *   from_iso8601_timestamp(s)   timestamp(3) with time zone, Joda's ISO dateTimeParser:
 *                               date [T time] [offset]; date is yyyy[-MM[-dd]], yyyy-DDD or
 *                               yyyy-Www[-e]; time HH[:mm[:ss[.f...]]] (fraction cut to
 *                               milliseconds); offset Z, +HH, +HHmm, +HH:mm; no offset: the
 *                               session zone.  Errors as Joda's: 'Invalid format: "x" is
 *                               malformed at "y"' / 'is too short' / 'Cannot parse "x": Value
 *                               13 for monthOfYear must be in the range [1,12]'
 *   from_iso8601_date(s)        date, the date part only
 *   to_iso8601(x)               date 2020-05-11, timestamp 2020-05-11T11:15:05.055 (p
 *                               fraction digits), with time zone + the offset (Z for UTC)
 *   with_timezone(ts, zone)     the wall clock of ts in zone
 *   timezone(tstz)              the zone's name
 *   last_day_of_month(x)        date
 *   to_milliseconds(interval day to second)   bigint
 *   human_readable_seconds(x)   "1 hour, 2 minutes, 42 seconds" (x rounded half up; NaN and
 *                               infinities are refused)
 *   parse_duration(s)           interval day to second: airlift Duration ("3.81 d", "42.8ms"),
 *                               rounded to milliseconds
 *   parse_data_size(s)          decimal(38,0): airlift DataSize ("2.3MB"), powers of 1024,
 *                               the fraction truncated
 * NULL in, NULL out.  Argument errors are LH_EINVAL (try() makes them NULL).
 * The state is at most a zone cache (with_timezone).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/decimal.h"
#include "functions/fn_datetime_int.h"
#include "functions/fn_strutil.h"
#include "util/mem.h"
#include "util/types.h"

#define ARGP(T, v) ((const T *)(v)->data)

/* ---- ISO 8601 parsing (Joda's ISODateTimeFormat parsers) ---- */

typedef struct iso {
    const char *s;
    size_t n, at;
    size_t fail; /* furthest position a parse failed at */
} iso;

static int digits(iso *p, size_t min, size_t max, int64_t *v)
{
    size_t k = 0;
    int64_t x = 0;
    while (k < max && p->at + k < p->n && p->s[p->at + k] >= '0' && p->s[p->at + k] <= '9') {
        x = x * 10 + (p->s[p->at + k] - '0');
        k++;
    }
    if (k < min) {
        if (p->at + k > p->fail || p->fail == SIZE_MAX)
            p->fail = p->at + k;
        return 0;
    }
    p->at += k;
    *v = x;
    return 1;
}
static int peek(const iso *p, char c) { return p->at < p->n && p->s[p->at] == c; }

static lh_rc iso_bad(const iso *p, const char *what, lh_err *err)
{
    char m1[200], m2[200];
    size_t f = p->fail == SIZE_MAX ? p->at : p->fail;
    (void)what;
    u8_for_msg(p->s, p->n > 150 ? 150 : p->n, m1, sizeof m1);
    if (f >= p->n)
        return lh_errf(err, LH_EINVAL, "Invalid format: \"%s\" is too short", m1);
    u8_for_msg(p->s + f, p->n - f > 150 ? 150 : p->n - f, m2, sizeof m2);
    return lh_errf(err, LH_EINVAL, "Invalid format: \"%s\" is malformed at \"%s\"", m1, m2);
}
static lh_rc iso_range(const iso *p, const char *field, int64_t v, int64_t lo, int64_t hi, lh_err *err)
{
    char m1[200];
    u8_for_msg(p->s, p->n > 150 ? 150 : p->n, m1, sizeof m1);
    return lh_errf(err, LH_EINVAL, "Cannot parse \"%s\": Value %lld for %s must be in the range [%lld,%lld]", m1,
                   (long long)v, field, (long long)lo, (long long)hi);
}

static int64_t iso_week1_monday(int64_t y)
{
    int64_t jan4 = lh_days_from_civil(y, 1, 4);
    int64_t dow = lh_dt_floormod(jan4 + 3, 7); /* Monday = 0 */
    return jan4 - dow;
}

/* The date element at p->at: days since the epoch.  Of the three forms
 * the one that reads furthest wins (Joda's alternatives). */
static lh_rc iso_date(iso *p, int64_t *days, int *ok, lh_err *err)
{
    int64_t y, a = 0, b;
    int neg = 0;
    *ok = 0;
    if (peek(p, '-') || peek(p, '+'))
        neg = p->s[p->at++] == '-';
    if (!digits(p, 1, 9, &y))
        return LH_OK;
    if (neg)
        y = -y;
    if (!peek(p, '-')) { /* year only */
        *days = lh_days_from_civil(y, 1, 1);
        *ok = 1;
        return LH_OK;
    }
    p->at++;
    if (peek(p, 'W')) { /* week date */
        int64_t w, e = 1, maxw;
        p->at++;
        if (!digits(p, 2, 2, &w))
            return LH_OK;
        if (peek(p, '-')) {
            p->at++;
            if (!digits(p, 1, 1, &e))
                return LH_OK;
        }
        maxw = (iso_week1_monday(y + 1) - iso_week1_monday(y)) / 7;
        if (w < 1 || w > maxw)
            return iso_range(p, "weekOfWeekyear", w, 1, maxw, err);
        if (e < 1 || e > 7)
            return iso_range(p, "dayOfWeek", e, 1, 7, err);
        *days = iso_week1_monday(y) + (w - 1) * 7 + (e - 1);
        *ok = 1;
        return LH_OK;
    }
    {
        size_t at = p->at, k = 0;
        while (at + k < p->n && p->s[at + k] >= '0' && p->s[at + k] <= '9')
            k++;
        if (k == 3) { /* ordinal date */
            int64_t ylen = lh_dt_is_leap(y) ? 366 : 365;
            (void)digits(p, 3, 3, &a);
            if (a < 1 || a > ylen)
                return iso_range(p, "dayOfYear", a, 1, ylen, err);
            *days = lh_days_from_civil(y, 1, 1) + a - 1;
            *ok = 1;
            return LH_OK;
        }
    }
    if (!digits(p, 1, 2, &a))
        return LH_OK;
    if (a < 1 || a > 12)
        return iso_range(p, "monthOfYear", a, 1, 12, err);
    b = 1;
    if (peek(p, '-')) {
        int64_t dim;
        p->at++;
        if (!digits(p, 1, 2, &b))
            return LH_OK;
        dim = lh_dt_days_in_month(y, (int)a);
        if (b < 1 || b > dim)
            return iso_range(p, "dayOfMonth", b, 1, dim, err);
    }
    *days = lh_days_from_civil(y, (unsigned)a, (unsigned)b);
    *ok = 1;
    return LH_OK;
}

/* HH[:mm[:ss[(.|,)f...]]]: micros of the day (fraction cut to ms). */
static lh_rc iso_time(iso *p, int64_t *us, int *ok, lh_err *err)
{
    int64_t h, m = 0, s = 0, frac = 0;
    *ok = 0;
    if (!digits(p, 2, 2, &h))
        return LH_OK;
    if (h > 23)
        return iso_range(p, "hourOfDay", h, 0, 23, err);
    if (peek(p, ':')) {
        p->at++;
        if (!digits(p, 2, 2, &m))
            return LH_OK;
        if (m > 59)
            return iso_range(p, "minuteOfHour", m, 0, 59, err);
        if (peek(p, ':')) {
            p->at++;
            if (!digits(p, 2, 2, &s))
                return LH_OK;
            if (s > 59)
                return iso_range(p, "secondOfMinute", s, 0, 59, err);
            if (peek(p, '.') || peek(p, ',')) {
                size_t k = 0;
                p->at++;
                while (p->at < p->n && p->s[p->at] >= '0' && p->s[p->at] <= '9') {
                    if (k < 3)
                        frac = frac * 10 + (p->s[p->at] - '0');
                    k++, p->at++;
                }
                if (k == 0) {
                    p->fail = p->at;
                    return LH_OK;
                }
                for (; k < 3; k++)
                    frac *= 10;
            }
        }
    }
    *us = h * LH_US_PER_HOUR + m * LH_US_PER_MIN + s * LH_US_PER_SEC + frac * LH_US_PER_MS;
    *ok = 1;
    return LH_OK;
}

/* Z | (+|-)HH[[:]mm]: offset minutes. */
static int iso_offset(iso *p, int *have, int64_t *mins)
{
    int neg;
    int64_t h, m = 0;
    *have = 0;
    if (peek(p, 'Z')) {
        p->at++;
        *have = 1;
        *mins = 0;
        return 1;
    }
    if (!peek(p, '+') && !peek(p, '-'))
        return 1;
    neg = p->s[p->at++] == '-';
    if (!digits(p, 2, 2, &h) || h > 23)
        return 0;
    if (peek(p, ':')) {
        p->at++;
        if (!digits(p, 2, 2, &m))
            return 0;
    } else if (p->at < p->n && p->s[p->at] >= '0' && p->s[p->at] <= '9') {
        if (!digits(p, 2, 2, &m))
            return 0;
    }
    if (m > 59)
        return 0;
    *have = 1;
    *mins = (neg ? -1 : 1) * (h * 60 + m);
    return 1;
}

static lh_rc parse_iso_ts(const char *s, size_t n, lh_zone session, lh_tstz *out, lh_err *err)
{
    iso p = {s, n, 0, SIZE_MAX};
    int64_t days = 0, tod = 0, mins = 0;
    int ok = 0, have_off = 0, time_only = 0;
    lh_rc rc;
    if (peek(&p, 'T')) { /* a time alone: on 1970-01-01 */
        time_only = 1;
    } else {
        if ((rc = iso_date(&p, &days, &ok, err)))
            return rc;
        if (!ok)
            return iso_bad(&p, "date", err);
    }
    if (peek(&p, 'T')) {
        p.at++;
        if (p.at < n && p.s[p.at] >= '0' && p.s[p.at] <= '9') {
            if ((rc = iso_time(&p, &tod, &ok, err)))
                return rc;
            if (!ok)
                return iso_bad(&p, "time", err);
        } else if (time_only)
            return iso_bad(&p, "time", err);
        if (!iso_offset(&p, &have_off, &mins))
            return iso_bad(&p, "offset", err);
    }
    if (p.at != n) {
        if (p.fail == SIZE_MAX || p.fail < p.at)
            p.fail = p.at;
        return iso_bad(&p, "end", err);
    }
    {
        int64_t local = days * LH_US_PER_DAY + tod;
        if (have_off) {
            out->zone = mins == 0 ? LH_ZONE_UTC : LH_ZONE_FIXED((int)mins);
            out->utc_us = local - mins * LH_US_PER_MIN;
        } else {
            out->zone = session;
            out->utc_us = lh_local_to_utc_us(session, local);
        }
    }
    return LH_OK;
}

static lh_rc f_from_iso_ts(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    lh_vector *x = args[0];
    lh_tstz *O = out->data;
    lh_zone session = c->env ? c->env->session_zone : LH_ZONE_UTC;
    lh_rc rc;
    dtf_merge_valid(out, rows, x, NULL, NULL);
    DTF_FOR_LIVE(rows, out, i, {
        const lh_str *v = sarg(x, i);
        if ((rc = parse_iso_ts(lh_str_ptr(v), lh_str_len(v), session, &O[i], err)))
            return rc;
    });
    return LH_OK;
}

static lh_rc f_from_iso_date(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    lh_vector *x = args[0];
    int32_t *O = out->data;
    lh_rc rc;
    (void)c;
    dtf_merge_valid(out, rows, x, NULL, NULL);
    DTF_FOR_LIVE(rows, out, i, {
        const lh_str *v = sarg(x, i);
        iso p = {lh_str_ptr(v), lh_str_len(v), 0, SIZE_MAX};
        int64_t days = 0;
        int ok = 0;
        if ((rc = iso_date(&p, &days, &ok, err)))
            return rc;
        if (!ok || p.at != p.n) {
            if (ok && (p.fail == SIZE_MAX || p.fail < p.at))
                p.fail = p.at;
            return iso_bad(&p, "date", err);
        }
        if (days < INT32_MIN || days > INT32_MAX)
            return lh_errf(err, LH_EINVAL, "Value is out of range for date");
        O[i] = (int32_t)days;
    });
    return LH_OK;
}

/* ---- to_iso8601 ---- */

static size_t iso_local(int64_t us, int p, char *buf, size_t cap)
{
    size_t n = lh_timestamp_format(us, p, buf, cap);
    char *sp = memchr(buf, ' ', n);
    if (sp)
        *sp = 'T';
    return n;
}

static lh_rc f_to_iso8601(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    lh_vector *x = args[0];
    uint32_t xm = dtf_mask(x);
    int p = x->type.p;
    lh_rc rc;
    dtf_merge_valid(out, rows, x, NULL, NULL);
    DTF_FOR_LIVE(rows, out, i, {
        char buf[LH_DT_FMT_MAX + 16];
        size_t n;
        switch (x->type.id) {
        case LH_SQL_DATE:
            n = lh_date_format(ARGP(int32_t, x)[i & xm], buf, sizeof buf);
            break;
        case LH_SQL_TIMESTAMP:
            n = iso_local(ARGP(int64_t, x)[i & xm], p, buf, sizeof buf);
            break;
        default: {
            lh_tstz t = ARGP(lh_tstz, x)[i & xm];
            int64_t secs = lh_dt_floordiv(t.utc_us, LH_US_PER_SEC);
            int32_t off = lh_zone_offset(t.zone, secs) / 60;
            n = iso_local(lh_tstz_local_us(t), p, buf, sizeof buf - 8);
            if (t.zone == LH_ZONE_UTC)
                buf[n++] = 'Z';
            else {
                int32_t a = off < 0 ? -off : off;
                n += (size_t)snprintf(buf + n, sizeof buf - n, "%c%02d:%02d", off < 0 ? '-' : '+', (int)(a / 60),
                                      (int)(a % 60));
            }
            break;
        }
        }
        if ((rc = put_str(c, out, i, buf, n, err)))
            return rc;
    });
    return LH_OK;
}

/* ---- with_timezone, timezone ---- */

static lh_rc zone_init(lh_fn_call *c, lh_vector *const *ca, lh_err *err)
{
    dtf_zone_cache *zc = lh_calloc(1, sizeof *zc);
    lh_rc rc;
    if (!zc)
        return lh_errf(err, LH_ENOMEM, "out of memory in with_timezone");
    c->state = zc;
    if ((rc = dtf_zone_init(zc, ca, 1, err))) {
        lh_free(zc);
        c->state = NULL;
    }
    return rc;
}
static void zone_done(lh_fn_call *c)
{
    lh_free(c->state);
    c->state = NULL;
}

static lh_rc f_with_timezone(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    dtf_zone_cache *zc = c->state;
    lh_vector *x = args[0], *zv = args[1];
    uint32_t xm = dtf_mask(x);
    lh_tstz *O = out->data;
    lh_rc rc;
    if (!zc)
        return lh_errf(err, LH_EINTERNAL, "with_timezone evaluated before init");
    if (zc->all_null) {
        dtf_all_null(out, rows);
        return LH_OK;
    }
    dtf_merge_valid(out, rows, x, zv, NULL);
    DTF_FOR_LIVE(rows, out, i, {
        lh_zone z;
        if ((rc = dtf_zone_of(zc, sarg(zv, i), &z, err)))
            return rc;
        O[i].utc_us = lh_local_to_utc_us(z, ARGP(int64_t, x)[i & xm]);
        O[i].zone = z;
    });
    return LH_OK;
}

static lh_rc f_timezone(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    lh_vector *x = args[0];
    uint32_t xm = dtf_mask(x);
    lh_rc rc;
    dtf_merge_valid(out, rows, x, NULL, NULL);
    DTF_FOR_LIVE(rows, out, i, {
        char name[LH_ZONE_NAME_MAX];
        lh_zone_name(ARGP(lh_tstz, x)[i & xm].zone, name, sizeof name);
        if ((rc = put_str(c, out, i, name, strlen(name), err)))
            return rc;
    });
    return LH_OK;
}

/* ---- last_day_of_month, to_milliseconds ---- */

static int32_t last_day(int64_t local_us)
{
    int64_t y;
    unsigned m, d;
    int64_t days = lh_dt_floordiv(local_us, LH_US_PER_DAY);
    lh_civil_from_days(days, &y, &m, &d);
    return (int32_t)lh_days_from_civil(y, m, (unsigned)lh_dt_days_in_month(y, (int)m));
}

static lh_rc f_last_day(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    lh_vector *x = args[0];
    uint32_t xm = dtf_mask(x);
    int32_t *O = out->data;
    (void)c, (void)err;
    dtf_merge_valid(out, rows, x, NULL, NULL);
    switch (x->type.id) {
    case LH_SQL_DATE:
        DTF_FOR_LIVE(rows, out, i, { O[i] = last_day(lh_date_to_ts(ARGP(int32_t, x)[i & xm])); });
        break;
    case LH_SQL_TIMESTAMP:
        DTF_FOR_LIVE(rows, out, i, { O[i] = last_day(ARGP(int64_t, x)[i & xm]); });
        break;
    default:
        DTF_FOR_LIVE(rows, out, i, { O[i] = last_day(lh_tstz_local_us(ARGP(lh_tstz, x)[i & xm])); });
        break;
    }
    return LH_OK;
}

static lh_rc f_to_millis(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    lh_vector *x = args[0];
    uint32_t xm = dtf_mask(x);
    int64_t *O = out->data;
    (void)c, (void)err;
    dtf_merge_valid(out, rows, x, NULL, NULL);
    DTF_FOR_LIVE(rows, out, i, { O[i] = dtf_ids_ms(ARGP(int64_t, x)[i & xm]); });
    return LH_OK;
}

/* ---- human_readable_seconds ---- */

static lh_rc f_human_seconds(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    static const char *const NAME[] = {"week", "day", "hour", "minute", "second"};
    static const int64_t SPAN[] = {604800, 86400, 3600, 60, 1};
    lh_vector *x = args[0];
    uint32_t xm = dtf_mask(x);
    lh_rc rc;
    dtf_merge_valid(out, rows, x, NULL, NULL);
    DTF_FOR_LIVE(rows, out, i, {
        double d = ARGP(double, x)[i & xm];
        char buf[200];
        size_t n = 0;
        int64_t s;
        int k;
        if (isnan(d))
            return lh_errf(err, LH_EINVAL, "Invalid argument found: NaN");
        if (isinf(d))
            return lh_errf(err, LH_EINVAL, "Invalid argument found: %sInfinity", d < 0 ? "-" : "");
        d = fabs(d);
        s = d >= 9.2e18 ? INT64_MAX : (int64_t)floor(d + 0.5); /* Java's Math.round */
        for (k = 0; k < 5; k++) {
            int64_t q = s / SPAN[k];
            s %= SPAN[k];
            if (q == 0)
                continue;
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%lld %s%s", n ? ", " : "", (long long)q, NAME[k],
                                  q == 1 ? "" : "s");
        }
        if (n == 0)
            n = (size_t)snprintf(buf, sizeof buf, "0 seconds");
        if ((rc = put_str(c, out, i, buf, n, err)))
            return rc;
    });
    return LH_OK;
}

/* ---- parse_duration, parse_data_size ---- */

/* ^\s*(\d+(\.\d+)?)\s*([a-zA-Z]+)\s*$ → number text and unit */
static int split_num_unit(const char *s, size_t n, const char **num, size_t *nn, const char **unit, size_t *un)
{
    size_t i = 0, k;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' || s[i] == '\v'))
        i++;
    k = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == k)
        return 0;
    if (i < n && s[i] == '.') {
        size_t f = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == f)
            return 0;
    }
    *num = s + k, *nn = i - k;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    k = i;
    while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
        i++;
    if (i == k)
        return 0;
    *unit = s + k, *un = i - k;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i == n;
}

static int ueq(const char *u, size_t n, const char *w) { return strlen(w) == n && memcmp(u, w, n) == 0; }

static lh_rc f_parse_duration(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    lh_vector *x = args[0];
    int64_t *O = out->data;
    (void)c;
    dtf_merge_valid(out, rows, x, NULL, NULL);
    DTF_FOR_LIVE(rows, out, i, {
        const lh_str *v = sarg(x, i);
        const char *num, *u;
        size_t nn, un;
        char tmp[64], m[200];
        double val, ms_per;
        if (!split_num_unit(lh_str_ptr(v), lh_str_len(v), &num, &nn, &u, &un) || nn >= sizeof tmp)
            return lh_errf(err, LH_EINVAL, "duration is not a valid data duration string: %s",
                           u8_for_msg(lh_str_ptr(v), lh_str_len(v), m, sizeof m));
        if (ueq(u, un, "ns"))
            ms_per = 1e-6;
        else if (ueq(u, un, "us"))
            ms_per = 1e-3;
        else if (ueq(u, un, "ms"))
            ms_per = 1;
        else if (ueq(u, un, "s"))
            ms_per = 1000;
        else if (ueq(u, un, "m"))
            ms_per = 60000;
        else if (ueq(u, un, "h"))
            ms_per = 3600000;
        else if (ueq(u, un, "d"))
            ms_per = 86400000;
        else
            return lh_errf(err, LH_EINVAL, "Unknown time unit: %s", u8_for_msg(u, un, m, sizeof m));
        memcpy(tmp, num, nn);
        tmp[nn] = 0;
        val = floor(strtod(tmp, NULL) * ms_per + 0.5);
        if (!(val < 9.2e15))
            return lh_errf(err, LH_EINVAL, "Interval value out of range");
        O[i] = (int64_t)val * LH_US_PER_MS;
    });
    return LH_OK;
}

static lh_rc f_parse_data_size(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    static const char *const UNITS[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    lh_vector *x = args[0];
    lh_i128 *O = out->data;
    (void)c;
    dtf_merge_valid(out, rows, x, NULL, NULL);
    DTF_FOR_LIVE(rows, out, i, {
        const lh_str *v = sarg(x, i);
        const char *num, *u;
        size_t nn, un, k, dot;
        int e = -1, fd = 0;
        lh_i128 ip = 0, fp = 0, f10 = 1, r;
        char m[200];
        if (!split_num_unit(lh_str_ptr(v), lh_str_len(v), &num, &nn, &u, &un))
            return lh_errf(err, LH_EINVAL, "Invalid data size: '%s'",
                           u8_for_msg(lh_str_ptr(v), lh_str_len(v), m, sizeof m));
        for (k = 0; k < 9; k++)
            if (ueq(u, un, UNITS[k]))
                e = (int)k;
        if (e < 0)
            return lh_errf(err, LH_EINVAL, "Invalid data size: '%s'",
                           u8_for_msg(lh_str_ptr(v), lh_str_len(v), m, sizeof m));
        for (dot = 0; dot < nn && num[dot] != '.'; dot++) {
            ip = ip * 10 + (num[dot] - '0');
            if (ip > (lh_i128)1e20) /* beyond 38 digits once multiplied */
                return lh_errf(err, LH_EINVAL, "Value out of range: '%s'",
                               u8_for_msg(lh_str_ptr(v), lh_str_len(v), m, sizeof m));
        }
        for (k = dot + 1; k < nn && fd < 18; k++, fd++) {
            fp = fp * 10 + (num[k] - '0');
            f10 *= 10;
        }
        /* ip * 1024^e + floor(fp * 1024^e / f10), keeping fp * 1024^j = q * f10 + rem */
        r = ip;
        {
            lh_i128 q = 0, rem = fp;
            for (k = 0; k < (size_t)e; k++) {
                r *= 1024;
                rem *= 1024;
                q = q * 1024 + rem / f10;
                rem %= f10;
            }
            r += q;
        }
        if (!lh_dec_fits(r, 38))
            return lh_errf(err, LH_EINVAL, "Value out of range: '%s'",
                           u8_for_msg(lh_str_ptr(v), lh_str_len(v), m, sizeof m));
        O[i] = r;
    });
    return LH_OK;
}

/* ---- accepts ---- */

static int is_str(lh_sqltype t) { return t.id == LH_SQL_VARCHAR; }
static int acc_from_iso_ts(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 1 && is_str(a[0]) && r.id == LH_SQL_TIMESTAMP_TZ;
}
static int acc_from_iso_date(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 1 && is_str(a[0]) && r.id == LH_SQL_DATE;
}
static int acc_to_iso(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 1 && (a[0].id == LH_SQL_DATE || dtf_is_ts_like(a[0].id)) && is_str(r);
}
static int acc_with_tz(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 2 && a[0].id == LH_SQL_TIMESTAMP && is_str(a[1]) && r.id == LH_SQL_TIMESTAMP_TZ;
}
static int acc_timezone(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 1 && a[0].id == LH_SQL_TIMESTAMP_TZ && is_str(r);
}
static int acc_last_day(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 1 && (a[0].id == LH_SQL_DATE || dtf_is_ts_like(a[0].id)) && r.id == LH_SQL_DATE;
}
static int acc_to_millis(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 1 && a[0].id == LH_SQL_INTERVAL_DS && r.id == LH_SQL_BIGINT;
}
static int acc_human(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 1 && a[0].id == LH_SQL_DOUBLE && is_str(r);
}
static int acc_parse_duration(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 1 && is_str(a[0]) && r.id == LH_SQL_INTERVAL_DS;
}
static int acc_parse_data_size(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 1 && is_str(a[0]) && r.id == LH_SQL_DECIMAL && r.p == 38 && r.s == 0;
}

#define E(NAME, ACC, FN) {NAME, ACC, {NAME, NULL, FN, NULL}}

const lh_scalar_entry lh_fns_datetime3[] = {
    E("from_iso8601_timestamp", acc_from_iso_ts, f_from_iso_ts),
    E("from_iso8601_date", acc_from_iso_date, f_from_iso_date),
    E("to_iso8601", acc_to_iso, f_to_iso8601),
    {"with_timezone", acc_with_tz, {"with_timezone", zone_init, f_with_timezone, zone_done}},
    {"at_timezone", lh_dtf_acc_at_timezone,
     {"at_timezone", lh_dtf_init_at_timezone, lh_dtf_eval_at_timezone, lh_dtf_done_at_timezone}},
    E("timezone", acc_timezone, f_timezone),
    E("last_day_of_month", acc_last_day, f_last_day),
    E("to_milliseconds", acc_to_millis, f_to_millis),
    E("human_readable_seconds", acc_human, f_human_seconds),
    E("parse_duration", acc_parse_duration, f_parse_duration),
    E("parse_data_size", acc_parse_data_size, f_parse_data_size),
    {NULL, NULL, {NULL, NULL, NULL, NULL}},
};
