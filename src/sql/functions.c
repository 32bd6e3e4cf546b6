/* sql/functions.c — Athena (Trino) scalar functions on a SQLite connection.
 *
 * Every function gets its own name as sqlite3_user_data(), so the shared
 * argument helpers can write errors that name the function.  Timestamps
 * travel as TEXT 'YYYY-MM-DD HH:MM:SS.mmm' (UTC) and are handled inside as
 * int64 epoch milliseconds.  A plain date 'YYYY-MM-DD' is accepted wherever
 * a timestamp is; date_trunc/date_add/to_iso8601 give a date back for a date
 * argument, as Trino does for the DATE type.
 */
#include "sql/functions.h"

#include <float.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/mem.h"
#include "util/types.h"

#define MS_SEC 1000LL
#define MS_MIN 60000LL
#define MS_HOUR 3600000LL
#define MS_DAY 86400000LL
#define MS_WEEK (7 * MS_DAY)
#define YEAR_MAX 999999 /* the widest year lh_parse_timestamp_ms reads back */
#define TS_BUF 48

typedef void (*sql_fn)(sqlite3_context *, int, sqlite3_value **);

/* ------------------------------------------------------------------ */
/* small helpers                                                       */
/* ------------------------------------------------------------------ */

static const char *fn_name(sqlite3_context *ctx)
{
    const char *n = sqlite3_user_data(ctx);
    return n ? n : "?";
}

static void fn_err(sqlite3_context *ctx, const char *fmt, ...) LH_PRINTF(2, 3);
static void fn_err(sqlite3_context *ctx, const char *fmt, ...)
{
    char buf[640];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sqlite3_result_error(ctx, buf, -1);
}

/* An argument as it should appear in a message: 'text' (cut at 80 bytes)
 * or the number as SQLite prints it. */
static const char *show(sqlite3_value *v, char *buf, size_t bufsz)
{
    int t = sqlite3_value_type(v);
    const char *s;
    int n;
    if (t == SQLITE_NULL) {
        snprintf(buf, bufsz, "NULL");
        return buf;
    }
    if (t == SQLITE_BLOB) {
        snprintf(buf, bufsz, "a BLOB of %d bytes", sqlite3_value_bytes(v));
        return buf;
    }
    s = (const char *)sqlite3_value_text(v);
    n = sqlite3_value_bytes(v);
    if (!s) {
        snprintf(buf, bufsz, "?");
        return buf;
    }
    if (t == SQLITE_TEXT)
        snprintf(buf, bufsz, "'%.*s%s'", n > 80 ? 80 : n, s, n > 80 ? "..." : "");
    else
        snprintf(buf, bufsz, "%s", s);
    return buf;
}

static int any_null(int argc, sqlite3_value **argv)
{
    int i;
    for (i = 0; i < argc; i++)
        if (sqlite3_value_type(argv[i]) == SQLITE_NULL)
            return 1;
    return 0;
}

static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static int64_t floormod(int64_t a, int64_t b) { return a - floordiv(a, b) * b; }

static int is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : md[m - 1];
}

static int64_t ms_min(void) { return lh_days_from_civil(0, 1, 1) * MS_DAY; }
static int64_t ms_max(void) { return lh_days_from_civil(YEAR_MAX + 1, 1, 1) * MS_DAY - 1; }
static int ms_in_range(int64_t ms) { return ms >= ms_min() && ms <= ms_max(); }

/* An integer argument (INTEGER, whole REAL or numeric text); -1 with the
 * error set otherwise. */
static int arg_int(sqlite3_context *ctx, sqlite3_value *v, const char *what, int64_t *out)
{
    char sb[128];
    int t = sqlite3_value_numeric_type(v);
    if (t == SQLITE_INTEGER) {
        *out = sqlite3_value_int64(v);
        return 0;
    }
    if (t == SQLITE_FLOAT) {
        double d = sqlite3_value_double(v);
        if (d == floor(d) && d >= -9.2e18 && d <= 9.2e18) {
            *out = (int64_t)d;
            return 0;
        }
    }
    fn_err(ctx, "%s: %s must be a whole number, got %s", fn_name(ctx), what, show(v, sb, sizeof sb));
    return -1;
}

/* ------------------------------------------------------------------ */
/* timestamps                                                          */
/* ------------------------------------------------------------------ */

/* A trailing UTC offset "+hh:mm", "+hhmm" or "+hh" (or '-') after a time
 * part; returns the length without it and the offset in ms, or n if none. */
static size_t split_offset(const char *s, size_t n, int64_t *off_ms)
{
    static const size_t forms[] = {6, 5, 3};
    size_t i, tpos = 0;
    for (i = 0; i < n; i++)
        if (s[i] == 'T' || s[i] == ' ') {
            tpos = i;
            break;
        }
    if (!tpos)
        return n;
    for (i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        size_t f = forms[i], p;
        const char *o;
        int hh, mm = 0;
        if (n < f || n - f <= tpos + 1)
            continue;
        p = n - f;
        o = s + p;
        if (o[0] != '+' && o[0] != '-')
            continue;
        if (o[1] < '0' || o[1] > '9' || o[2] < '0' || o[2] > '9')
            continue;
        hh = (o[1] - '0') * 10 + (o[2] - '0');
        if (f == 6 && (o[3] != ':' || o[4] < '0' || o[4] > '9' || o[5] < '0' || o[5] > '9'))
            continue;
        if (f == 5 && (o[3] < '0' || o[3] > '9' || o[4] < '0' || o[4] > '9'))
            continue;
        if (f == 6)
            mm = (o[4] - '0') * 10 + (o[5] - '0');
        else if (f == 5)
            mm = (o[3] - '0') * 10 + (o[4] - '0');
        if (hh > 18 || mm > 59)
            continue;
        *off_ms = (o[0] == '-' ? -1 : 1) * ((int64_t)hh * MS_HOUR + mm * MS_MIN);
        return p;
    }
    return n;
}

/* Parse timestamp text: 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM[:SS[.fff]]', the
 * same with 'T', ending in 'Z', a UTC offset or " UTC".  0 on success. */
static int parse_ts_text(const char *s, size_t n, int64_t *ms, int *is_date)
{
    int64_t days, off = 0;
    size_t base;
    *is_date = 0;
    if (n > 4 && memcmp(s + n - 4, " UTC", 4) == 0)
        n -= 4;
    if (lh_parse_date(s, n, &days) == 0) {
        *ms = days * MS_DAY;
        *is_date = 1;
        return ms_in_range(*ms) ? 0 : -1;
    }
    if (lh_parse_timestamp_ms(s, n, ms) == 0)
        return ms_in_range(*ms) ? 0 : -1;
    base = split_offset(s, n, &off);
    if (base == n || lh_parse_timestamp_ms(s, base, ms) != 0)
        return -1;
    *ms -= off;
    return ms_in_range(*ms) ? 0 : -1;
}

/* A timestamp argument; -1 with the error set if it is not one. */
static int arg_ts(sqlite3_context *ctx, sqlite3_value *v, int64_t *ms, int *is_date)
{
    char sb[128];
    int t = sqlite3_value_type(v);
    const char *s;
    if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) {
        double d = fabs(sqlite3_value_double(v));
        fn_err(ctx, "%s: expected a timestamp, got %s (%s)", fn_name(ctx), show(v, sb, sizeof sb),
               d >= 1e11 ? "epoch milliseconds? use from_unixtime(x / 1000.0)"
                         : "epoch seconds? use from_unixtime(x)");
        return -1;
    }
    if (t == SQLITE_BLOB) {
        fn_err(ctx, "%s: expected a timestamp, got %s", fn_name(ctx), show(v, sb, sizeof sb));
        return -1;
    }
    s = (const char *)sqlite3_value_text(v);
    if (!s) {
        sqlite3_result_error_nomem(ctx);
        return -1;
    }
    if (parse_ts_text(s, (size_t)sqlite3_value_bytes(v), ms, is_date)) {
        fn_err(ctx,
               "%s: invalid timestamp %s (expected 'YYYY-MM-DD HH:MM:SS.mmm', 'YYYY-MM-DD' or ISO 8601, "
               "years 0 to %d)",
               fn_name(ctx), show(v, sb, sizeof sb), YEAR_MAX);
        return -1;
    }
    return 0;
}

/* Set a timestamp (or date) result, or an out-of-range error. */
static void result_ts(sqlite3_context *ctx, int64_t ms, int as_date)
{
    char buf[TS_BUF];
    size_t n;
    if (!ms_in_range(ms)) {
        fn_err(ctx, "%s: result is out of range (years 0 to %d)", fn_name(ctx), YEAR_MAX);
        return;
    }
    n = as_date ? lh_fmt_date(floordiv(ms, MS_DAY), buf, sizeof buf) : lh_fmt_timestamp_ms(ms, buf, sizeof buf);
    sqlite3_result_text(ctx, buf, (int)n, SQLITE_TRANSIENT);
}

/* Broken-down UTC time. */
typedef struct tm_parts {
    int64_t days, y;
    unsigned mon, day;
    int hh, mi, ss, msec;
} tm_parts;

static void split_ms(int64_t ms, tm_parts *p)
{
    int64_t rem;
    p->days = floordiv(ms, MS_DAY);
    rem = ms - p->days * MS_DAY;
    lh_civil_from_days(p->days, &p->y, &p->mon, &p->day);
    p->hh = (int)(rem / MS_HOUR);
    p->mi = (int)(rem / MS_MIN % 60);
    p->ss = (int)(rem / MS_SEC % 60);
    p->msec = (int)(rem % MS_SEC);
}

typedef enum unit { U_MS, U_SEC, U_MIN, U_HOUR, U_DAY, U_WEEK, U_MONTH, U_QUARTER, U_YEAR, U_NONE } unit;

static const char *const k_units[] = {"millisecond", "second", "minute", "hour", "day",
                                      "week",        "month",  "quarter", "year"};
static const int64_t k_unit_ms[] = {1, MS_SEC, MS_MIN, MS_HOUR, MS_DAY, MS_WEEK};

/* The unit argument; lo is the smallest unit the function accepts. */
static unit arg_unit(sqlite3_context *ctx, sqlite3_value *v, unit lo)
{
    char sb[128], list[160];
    const char *s = (const char *)sqlite3_value_text(v);
    size_t n = (size_t)sqlite3_value_bytes(v), pos = 0;
    int u;
    if (!s) {
        sqlite3_result_error_nomem(ctx);
        return U_NONE;
    }
    for (u = lo; u < U_NONE; u++)
        if (strlen(k_units[u]) == n && strncasecmp(s, k_units[u], n) == 0)
            return (unit)u;
    list[0] = 0;
    for (u = lo; u < U_NONE; u++)
        pos += (size_t)snprintf(list + pos, sizeof list - pos, "%s%s", u > (int)lo ? ", " : "", k_units[u]);
    fn_err(ctx, "%s: unknown unit %s (expected one of %s)", fn_name(ctx), show(v, sb, sizeof sb), list);
    return U_NONE;
}

static int unit_check_date(sqlite3_context *ctx, unit u, int is_date, sqlite3_value *tsv)
{
    char sb[128];
    if (is_date && u < U_DAY) {
        fn_err(ctx, "%s: unit '%s' is not valid for the date %s (use a timestamp)", fn_name(ctx), k_units[u],
               show(tsv, sb, sizeof sb));
        return -1;
    }
    return 0;
}

static void fn_from_unixtime(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    char sb[128];
    int64_t ms;
    int t;
    if (any_null(argc, argv))
        return;
    t = sqlite3_value_numeric_type(argv[0]);
    if (t == SQLITE_INTEGER) {
        int64_t sec = sqlite3_value_int64(argv[0]);
        if (sec > ms_max() / MS_SEC || sec < ms_min() / MS_SEC)
            goto range;
        ms = sec * MS_SEC;
    } else if (t == SQLITE_FLOAT) {
        double v = sqlite3_value_double(argv[0]) * 1000.0, r;
        if (!(v >= (double)ms_min() && v <= (double)ms_max()))
            goto range;
        /* Round toward negative infinity, but let a product that is a
         * whole millisecond up to binary rounding (1655564444103 / 1000.0
         * * 1000.0) count as that millisecond. */
        r = nearbyint(v);
        ms = (int64_t)(fabs(v - r) <= fabs(v) * 2 * DBL_EPSILON + 1e-9 ? r : floor(v));
    } else {
        fn_err(ctx, "from_unixtime: expected seconds since 1970-01-01 (a number), got %s",
               show(argv[0], sb, sizeof sb));
        return;
    }
    result_ts(ctx, ms, 0);
    return;
range:
    fn_err(ctx, "from_unixtime: %s seconds is out of range (years 0 to %d)", show(argv[0], sb, sizeof sb),
           YEAR_MAX);
}

static void fn_to_unixtime(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    int64_t ms;
    int is_date;
    if (any_null(argc, argv) || arg_ts(ctx, argv[0], &ms, &is_date))
        return;
    sqlite3_result_double(ctx, (double)ms / 1000.0);
}

static const char *const k_mon_name[] = {"January", "February", "March",     "April",   "May",      "June",
                                         "July",    "August",   "September", "October", "November", "December"};
static const char *const k_day_name[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                         "Thursday", "Friday", "Saturday"};

static void fn_date_format(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    lh_buf b;
    tm_parts p;
    int64_t ms;
    int is_date, h12, wday;
    const char *f;
    size_t fn, i;
    lh_rc rc = LH_OK;
    if (any_null(argc, argv) || arg_ts(ctx, argv[0], &ms, &is_date))
        return;
    f = (const char *)sqlite3_value_text(argv[1]);
    if (!f) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    fn = (size_t)sqlite3_value_bytes(argv[1]);
    split_ms(ms, &p);
    h12 = p.hh % 12 == 0 ? 12 : p.hh % 12;
    wday = (int)floormod(p.days + 4, 7); /* 1970-01-01 was a Thursday */
    lh_buf_init(&b, (size_t)sqlite3_limit(sqlite3_context_db_handle(ctx), SQLITE_LIMIT_LENGTH, -1));
    for (i = 0; i < fn && !rc; i++) {
        char c;
        if (f[i] != '%') {
            rc = lh_buf_putc(&b, f[i], NULL);
            continue;
        }
        if (++i >= fn) {
            fn_err(ctx, "date_format: the format ends with a lone '%%'");
            goto out;
        }
        c = f[i];
        switch (c) {
        case 'a': rc = lh_buf_printf(&b, NULL, "%.3s", k_day_name[wday]); break;
        case 'b': rc = lh_buf_printf(&b, NULL, "%.3s", k_mon_name[p.mon - 1]); break;
        case 'c': rc = lh_buf_printf(&b, NULL, "%u", p.mon); break;
        case 'd': rc = lh_buf_printf(&b, NULL, "%02u", p.day); break;
        case 'e': rc = lh_buf_printf(&b, NULL, "%u", p.day); break;
        case 'f': rc = lh_buf_printf(&b, NULL, "%06d", p.msec * 1000); break;
        case 'H': rc = lh_buf_printf(&b, NULL, "%02d", p.hh); break;
        case 'h':
        case 'I': rc = lh_buf_printf(&b, NULL, "%02d", h12); break;
        case 'i': rc = lh_buf_printf(&b, NULL, "%02d", p.mi); break;
        case 'j':
            rc = lh_buf_printf(&b, NULL, "%03lld", (long long)(p.days - lh_days_from_civil(p.y, 1, 1) + 1));
            break;
        case 'k': rc = lh_buf_printf(&b, NULL, "%d", p.hh); break;
        case 'l': rc = lh_buf_printf(&b, NULL, "%d", h12); break;
        case 'M': rc = lh_buf_puts(&b, k_mon_name[p.mon - 1], NULL); break;
        case 'm': rc = lh_buf_printf(&b, NULL, "%02u", p.mon); break;
        case 'p': rc = lh_buf_puts(&b, p.hh < 12 ? "AM" : "PM", NULL); break;
        case 'r':
            rc = lh_buf_printf(&b, NULL, "%02d:%02d:%02d %s", h12, p.mi, p.ss, p.hh < 12 ? "AM" : "PM");
            break;
        case 'S':
        case 's': rc = lh_buf_printf(&b, NULL, "%02d", p.ss); break;
        case 'T': rc = lh_buf_printf(&b, NULL, "%02d:%02d:%02d", p.hh, p.mi, p.ss); break;
        case 'W': rc = lh_buf_puts(&b, k_day_name[wday], NULL); break;
        case 'Y': rc = lh_buf_printf(&b, NULL, "%04lld", (long long)p.y); break;
        case 'y': rc = lh_buf_printf(&b, NULL, "%02d", (int)(p.y % 100)); break;
        case '%': rc = lh_buf_putc(&b, '%', NULL); break;
        default:
            if (c && strchr("DUuVvwXx", c))
                fn_err(ctx, "date_format: format specifier '%%%c' is not supported", c);
            else
                fn_err(ctx, "date_format: unknown format specifier '%%%c'", c);
            goto out;
        }
    }
    if (rc == LH_ENOMEM)
        sqlite3_result_error_nomem(ctx);
    else if (rc)
        sqlite3_result_error_toobig(ctx);
    else
        sqlite3_result_text64(ctx, b.len ? b.data : "", b.len, SQLITE_TRANSIENT, SQLITE_UTF8);
out:
    lh_buf_free(&b);
}

/* Read 1..maxw digits at s[*p]; -1 if none. */
static int read_num(const char *s, size_t n, size_t *p, int maxw, int64_t *out)
{
    int64_t v = 0;
    int k = 0;
    while (*p < n && k < maxw && s[*p] >= '0' && s[*p] <= '9') {
        v = v * 10 + (s[*p] - '0');
        (*p)++;
        k++;
    }
    *out = v;
    return k ? 0 : -1;
}

/* Match one of names (full, or first 3 letters if abbr) case-insensitively. */
static int read_name(const char *s, size_t n, size_t *p, const char *const *names, int cnt, int abbr)
{
    int i;
    for (i = 0; i < cnt; i++) {
        size_t l = abbr ? 3 : strlen(names[i]);
        if (*p + l <= n && strncasecmp(s + *p, names[i], l) == 0) {
            *p += l;
            return i;
        }
    }
    return -1;
}

static void fn_date_parse(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    char sb[128], fb[128];
    const char *s, *f;
    size_t n, fn, i, p = 0;
    int64_t y = 1970, mon = 1, day = 1, hh = 0, mi = 0, ss = 0, msec = 0, v;
    int h12 = -1, pm = -1, bad = 0;
    if (any_null(argc, argv))
        return;
    s = (const char *)sqlite3_value_text(argv[0]);
    n = (size_t)sqlite3_value_bytes(argv[0]);
    f = (const char *)sqlite3_value_text(argv[1]);
    fn = (size_t)sqlite3_value_bytes(argv[1]);
    if (!s || !f) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    for (i = 0; i < fn && !bad; i++) {
        if (f[i] != '%') {
            if (p < n && s[p] == f[i])
                p++;
            else
                bad = 1;
            continue;
        }
        if (++i >= fn) {
            fn_err(ctx, "date_parse: the format ends with a lone '%%'");
            return;
        }
        switch (f[i]) {
        case 'Y': bad = read_num(s, n, &p, 4, &y); break;
        case 'y':
            bad = read_num(s, n, &p, 2, &y);
            y += y < 70 ? 2000 : 1900;
            break;
        case 'm':
        case 'c': bad = read_num(s, n, &p, 2, &mon) || mon < 1 || mon > 12; break;
        case 'd':
        case 'e': bad = read_num(s, n, &p, 2, &day) || day < 1 || day > 31; break;
        case 'H':
        case 'k': bad = read_num(s, n, &p, 2, &hh) || hh > 23; break;
        case 'h':
        case 'I':
        case 'l':
            bad = read_num(s, n, &p, 2, &v) || v < 1 || v > 12;
            h12 = (int)v;
            break;
        case 'i': bad = read_num(s, n, &p, 2, &mi) || mi > 59; break;
        case 's':
        case 'S': bad = read_num(s, n, &p, 2, &ss) || ss > 59; break;
        case 'f': {
            size_t p0 = p;
            bad = read_num(s, n, &p, 9, &v);
            if (!bad) {
                size_t k = p - p0;
                msec = v;
                for (; k > 3; k--)
                    msec /= 10;
                for (; k < 3; k++)
                    msec *= 10;
            }
            break;
        }
        case 'T':
            bad = read_num(s, n, &p, 2, &hh) || hh > 23 || p >= n || s[p++] != ':' || read_num(s, n, &p, 2, &mi) ||
                  mi > 59 || p >= n || s[p++] != ':' || read_num(s, n, &p, 2, &ss) || ss > 59;
            break;
        case 'p':
            if (p + 2 <= n && (strncasecmp(s + p, "AM", 2) == 0 || strncasecmp(s + p, "PM", 2) == 0)) {
                pm = (s[p] == 'P' || s[p] == 'p');
                p += 2;
            } else
                bad = 1;
            break;
        case 'b':
        case 'M':
            v = read_name(s, n, &p, k_mon_name, 12, f[i] == 'b');
            bad = v < 0;
            mon = v + 1;
            break;
        case 'a':
        case 'W': bad = read_name(s, n, &p, k_day_name, 7, f[i] == 'a') < 0; break;
        case '%': bad = !(p < n && s[p++] == '%'); break;
        default:
            fn_err(ctx, "date_parse: format specifier '%%%c' is not supported", f[i]);
            return;
        }
    }
    if (bad || p != n) {
        fn_err(ctx, "date_parse: %s does not match the format %s at character %zu", show(argv[0], sb, sizeof sb),
               show(argv[1], fb, sizeof fb), p + 1);
        return;
    }
    if (h12 > 0)
        hh = h12 % 12 + (pm == 1 ? 12 : 0);
    else if (pm == 1 && hh < 12)
        hh += 12;
    if (day > (int64_t)days_in_month(y, (unsigned)mon)) {
        fn_err(ctx, "date_parse: %s is not a valid date (month %lld of %lld has %u days)", show(argv[0], sb, sizeof sb),
               (long long)mon, (long long)y, days_in_month(y, (unsigned)mon));
        return;
    }
    result_ts(ctx,
              lh_days_from_civil(y, (unsigned)mon, (unsigned)day) * MS_DAY + hh * MS_HOUR + mi * MS_MIN + ss * MS_SEC +
                  msec,
              0);
}

static int64_t trunc_ms(int64_t ms, unit u)
{
    tm_parts p;
    if (u <= U_DAY)
        return ms - floormod(ms, k_unit_ms[u]);
    split_ms(ms, &p);
    switch (u) {
    case U_WEEK: return (p.days - floormod(p.days + 3, 7)) * MS_DAY; /* Monday-based */
    case U_MONTH: return lh_days_from_civil(p.y, p.mon, 1) * MS_DAY;
    case U_QUARTER: return lh_days_from_civil(p.y, (p.mon - 1) / 3 * 3 + 1, 1) * MS_DAY;
    default: return lh_days_from_civil(p.y, 1, 1) * MS_DAY;
    }
}

static void fn_date_trunc(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    int64_t ms;
    int is_date;
    unit u;
    if (any_null(argc, argv) || (u = arg_unit(ctx, argv[0], U_MS)) == U_NONE ||
        arg_ts(ctx, argv[1], &ms, &is_date) || unit_check_date(ctx, u, is_date, argv[1]))
        return;
    result_ts(ctx, trunc_ms(ms, u), is_date);
}

/* ms plus a number of months, clamping the day to the month's end.
 * -1 if the result leaves the supported years. */
static int add_months(int64_t ms, int64_t months, int64_t *out)
{
    tm_parts p;
    int64_t total, ny, rem;
    unsigned nm, nd;
    split_ms(ms, &p);
    rem = ms - p.days * MS_DAY;
    if (months > (int64_t)YEAR_MAX * 12 + 12 || months < -(int64_t)YEAR_MAX * 12 - 12)
        return -1;
    total = p.y * 12 + (int64_t)(p.mon - 1) + months;
    ny = floordiv(total, 12);
    nm = (unsigned)floormod(total, 12) + 1;
    if (ny < 0 || ny > YEAR_MAX)
        return -1;
    nd = p.day > days_in_month(ny, nm) ? days_in_month(ny, nm) : p.day;
    *out = lh_days_from_civil(ny, nm, nd) * MS_DAY + rem;
    return 0;
}

static void fn_date_add(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    int64_t ms, n, out = 0, delta;
    int is_date, bad;
    unit u;
    if (any_null(argc, argv) || (u = arg_unit(ctx, argv[0], U_MS)) == U_NONE ||
        arg_int(ctx, argv[1], "the amount", &n) || arg_ts(ctx, argv[2], &ms, &is_date) ||
        unit_check_date(ctx, u, is_date, argv[2]))
        return;
    if (u <= U_WEEK)
        bad = __builtin_mul_overflow(n, k_unit_ms[u], &delta) || __builtin_add_overflow(ms, delta, &out);
    else
        bad = __builtin_mul_overflow(n, u == U_MONTH ? 1 : u == U_QUARTER ? 3 : 12, &delta) ||
              add_months(ms, delta, &out);
    if (bad || !ms_in_range(out)) {
        fn_err(ctx, "date_add: adding %lld %s to %s is out of range (years 0 to %d)", (long long)n, k_units[u],
               is_date ? "the date" : "the timestamp", YEAR_MAX);
        return;
    }
    result_ts(ctx, out, is_date);
}

/* Whole calendar months from a to b (a <= b), as Joda-Time counts them. */
static int64_t months_between(int64_t a, int64_t b)
{
    tm_parts pa, pb;
    int64_t diff, rema, remb;
    unsigned da;
    split_ms(a, &pa);
    split_ms(b, &pb);
    diff = (pb.y - pa.y) * 12 + (int64_t)pb.mon - (int64_t)pa.mon;
    da = pa.day;
    /* b on the last day of its month: a later day of a counts as that day */
    if (pb.day == days_in_month(pb.y, pb.mon) && da > pb.day)
        da = pb.day;
    rema = (int64_t)(da - 1) * MS_DAY + (a - pa.days * MS_DAY);
    remb = (int64_t)(pb.day - 1) * MS_DAY + (b - pb.days * MS_DAY);
    if (remb < rema)
        diff--;
    return diff;
}

static void fn_date_diff(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    int64_t a, b, r;
    int da, db;
    unit u;
    if (any_null(argc, argv) || (u = arg_unit(ctx, argv[0], U_MS)) == U_NONE || arg_ts(ctx, argv[1], &a, &da) ||
        arg_ts(ctx, argv[2], &b, &db))
        return;
    if (u <= U_WEEK) {
        r = (b - a) / k_unit_ms[u];
    } else {
        r = a <= b ? months_between(a, b) : -months_between(b, a);
        r /= u == U_MONTH ? 1 : u == U_QUARTER ? 3 : 12;
    }
    sqlite3_result_int64(ctx, r);
}

static void fn_from_iso8601_timestamp(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    int64_t ms;
    int is_date;
    if (any_null(argc, argv) || arg_ts(ctx, argv[0], &ms, &is_date))
        return;
    result_ts(ctx, ms, 0);
}

static void fn_to_iso8601(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    char buf[TS_BUF];
    int64_t ms;
    int is_date;
    size_t n;
    if (any_null(argc, argv) || arg_ts(ctx, argv[0], &ms, &is_date))
        return;
    if (is_date) {
        result_ts(ctx, ms, 1);
        return;
    }
    n = lh_fmt_timestamp_ms(ms, buf, sizeof buf - 1);
    if (n > 10 && n + 1 < sizeof buf) {
        buf[10] = 'T';
        buf[n++] = 'Z';
    }
    sqlite3_result_text(ctx, buf, (int)n, SQLITE_TRANSIENT);
}

static void fn_now(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct timespec tp;
    if (clock_gettime(CLOCK_REALTIME, &tp) != 0) {
        fn_err(ctx, "now: the system clock could not be read");
        return;
    }
    result_ts(ctx, (int64_t)tp.tv_sec * MS_SEC + tp.tv_nsec / 1000000, 0);
}

/* ------------------------------------------------------------------ */
/* strings (UTF-8: a character is a lead byte plus its continuation    */
/* bytes, counted the way SQLite's length() counts them)               */
/* ------------------------------------------------------------------ */

static size_t u8_next(const char *s, size_t n, size_t i)
{
    i++;
    while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    return i;
}

static size_t u8_count(const char *s, size_t n)
{
    size_t i = 0, c = 0;
    while (i < n) {
        i = u8_next(s, n, i);
        c++;
    }
    return c;
}

/* Byte offset of character k (0-based), or n if there are fewer. */
static size_t u8_offset(const char *s, size_t n, size_t k)
{
    size_t i = 0;
    while (k-- && i < n)
        i = u8_next(s, n, i);
    return i;
}

/* Text of an argument; NULL after setting the nomem error. */
static const char *arg_text(sqlite3_context *ctx, sqlite3_value *v, size_t *n)
{
    const char *s = (const char *)sqlite3_value_text(v);
    if (!s) {
        sqlite3_result_error_nomem(ctx);
        return NULL;
    }
    *n = (size_t)sqlite3_value_bytes(v);
    return s;
}

static size_t max_len(sqlite3_context *ctx)
{
    return (size_t)sqlite3_limit(sqlite3_context_db_handle(ctx), SQLITE_LIMIT_LENGTH, -1);
}

/* Hand buf (lh_malloc'd, len bytes) to SQLite as the text result. */
static void result_owned(sqlite3_context *ctx, char *buf, size_t len)
{
    sqlite3_result_text64(ctx, buf, len, lh_free, SQLITE_UTF8);
}

static void fn_strpos(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *s, *sub, *hit;
    size_t n, sn, from = 0, total = 0, want;
    int64_t inst = 1;
    if (any_null(argc, argv) || !(s = arg_text(ctx, argv[0], &n)) || !(sub = arg_text(ctx, argv[1], &sn)))
        return;
    if (argc == 3) {
        if (arg_int(ctx, argv[2], "the instance", &inst))
            return;
        if (inst == 0) {
            fn_err(ctx, "strpos: the instance must be a positive or negative number, got 0");
            return;
        }
    }
    if (sn == 0) {
        sqlite3_result_int64(ctx, 1);
        return;
    }
    if (inst < 0) { /* the k-th from the end is the (total - k + 1)-th from the start */
        while (from <= n && (hit = memmem(s + from, n - from, sub, sn)) != NULL) {
            total++;
            from = (size_t)(hit - s) + 1;
        }
        if ((uint64_t)-(inst + 1) >= total) {
            sqlite3_result_int64(ctx, 0);
            return;
        }
        inst = (int64_t)total + inst + 1;
        from = 0;
    }
    want = (size_t)inst;
    for (;;) {
        hit = from <= n ? memmem(s + from, n - from, sub, sn) : NULL;
        if (!hit) {
            sqlite3_result_int64(ctx, 0);
            return;
        }
        if (--want == 0)
            break;
        from = (size_t)(hit - s) + 1;
    }
    sqlite3_result_int64(ctx, (sqlite3_int64)u8_count(s, (size_t)(hit - s)) + 1);
}

static void fn_split_part(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *s, *d, *hit;
    size_t n, dn, start = 0;
    int64_t idx;
    if (any_null(argc, argv) || !(s = arg_text(ctx, argv[0], &n)) || !(d = arg_text(ctx, argv[1], &dn)) ||
        arg_int(ctx, argv[2], "the index", &idx))
        return;
    if (idx < 1) {
        fn_err(ctx, "split_part: the index must be greater than zero, got %lld", (long long)idx);
        return;
    }
    if (dn == 0) { /* an empty delimiter splits into characters */
        size_t off = idx > (int64_t)n ? n : u8_offset(s, n, (size_t)(idx - 1));
        if (off < n)
            sqlite3_result_text64(ctx, s + off, u8_next(s, n, off) - off, SQLITE_TRANSIENT, SQLITE_UTF8);
        return;
    }
    while (--idx > 0) {
        hit = memmem(s + start, n - start, d, dn);
        if (!hit)
            return; /* fewer fields: NULL */
        start = (size_t)(hit - s) + dn;
    }
    hit = memmem(s + start, n - start, d, dn);
    sqlite3_result_text64(ctx, s + start, (hit ? (size_t)(hit - s) : n) - start, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void regex_free(void *p)
{
    regfree(p);
    lh_free(p);
}

static void fn_regexp_like(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    char sb[128], eb[160];
    const char *s, *pat;
    size_t n, pn;
    regex_t *re;
    int fresh = 0, rc;
    if (any_null(argc, argv) || !(s = arg_text(ctx, argv[0], &n)))
        return;
    re = sqlite3_get_auxdata(ctx, 1);
    if (!re) {
        if (!(pat = arg_text(ctx, argv[1], &pn)))
            return;
        if (!(re = lh_malloc(sizeof *re))) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
        rc = regcomp(re, pat, REG_EXTENDED | REG_NOSUB);
        if (rc) {
            regerror(rc, re, eb, sizeof eb);
            lh_free(re);
            if (rc == REG_ESPACE)
                sqlite3_result_error_nomem(ctx);
            else
                fn_err(ctx, "regexp_like: invalid pattern %s: %s", show(argv[1], sb, sizeof sb), eb);
            return;
        }
        fresh = 1;
    }
    rc = regexec(re, s, 0, NULL, 0);
    if (rc == 0 || rc == REG_NOMATCH)
        sqlite3_result_int(ctx, rc == 0);
    else
        sqlite3_result_error_nomem(ctx);
    if (fresh)
        sqlite3_set_auxdata(ctx, 1, re, regex_free); /* frees re at once if it cannot keep it */
}

static void pad(sqlite3_context *ctx, sqlite3_value **argv, int left)
{
    const char *s, *p;
    char *out;
    size_t n, pn, slen, plen, need, full, part, total, i, o = 0;
    int64_t want;
    if (!(s = arg_text(ctx, argv[0], &n)) || arg_int(ctx, argv[1], "the target length", &want) ||
        !(p = arg_text(ctx, argv[2], &pn)))
        return;
    if (want < 0 || want > INT32_MAX) {
        fn_err(ctx, "%s: the target length must be in the range [0..2147483647], got %lld", fn_name(ctx),
               (long long)want);
        return;
    }
    if (pn == 0) {
        fn_err(ctx, "%s: the padding string must not be empty", fn_name(ctx));
        return;
    }
    slen = u8_count(s, n);
    if ((size_t)want <= slen) { /* truncate, from the left, for both */
        sqlite3_result_text64(ctx, s, u8_offset(s, n, (size_t)want), SQLITE_TRANSIENT, SQLITE_UTF8);
        return;
    }
    plen = u8_count(p, pn);
    need = (size_t)want - slen;
    full = need / plen;
    part = u8_offset(p, pn, need % plen);
    if (__builtin_mul_overflow(full, pn, &total) || __builtin_add_overflow(total, part + n, &total) ||
        total > max_len(ctx)) {
        sqlite3_result_error_toobig(ctx);
        return;
    }
    if (!(out = lh_malloc(total + 1))) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (!left) {
        memcpy(out, s, n);
        o = n;
    }
    for (i = 0; i < full; i++, o += pn)
        memcpy(out + o, p, pn);
    memcpy(out + o, p, part);
    o += part;
    if (left)
        memcpy(out + o, s, n);
    result_owned(ctx, out, total);
}

static void fn_lpad(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    if (!any_null(argc, argv))
        pad(ctx, argv, 1);
}

static void fn_rpad(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    if (!any_null(argc, argv))
        pad(ctx, argv, 0);
}

static void fn_reverse(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *s;
    char *out;
    size_t n, i = 0;
    if (any_null(argc, argv) || !(s = arg_text(ctx, argv[0], &n)))
        return;
    if (!(out = lh_malloc(n + 1))) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    while (i < n) {
        size_t e = u8_next(s, n, i);
        memcpy(out + n - e, s + i, e - i);
        i = e;
    }
    result_owned(ctx, out, n);
}

static void fn_starts_with(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *s, *p;
    size_t n, pn;
    if (any_null(argc, argv) || !(s = arg_text(ctx, argv[0], &n)) || !(p = arg_text(ctx, argv[1], &pn)))
        return;
    sqlite3_result_int(ctx, pn <= n && memcmp(s, p, pn) == 0);
}

static void fn_concat_ws(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *sep, *s;
    char *out;
    size_t sn, n, total = 0, o = 0;
    int i, first = 1;
    if (argc < 2) {
        fn_err(ctx, "concat_ws: expects a separator and at least one value");
        return;
    }
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || !(sep = arg_text(ctx, argv[0], &sn)))
        return;
    for (i = 1; i < argc; i++) {
        if (sqlite3_value_type(argv[i]) == SQLITE_NULL)
            continue;
        if (!(s = arg_text(ctx, argv[i], &n)))
            return;
        total += n + (first ? 0 : sn);
        first = 0;
    }
    if (total > max_len(ctx)) {
        sqlite3_result_error_toobig(ctx);
        return;
    }
    if (!(out = lh_malloc(total + 1))) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    first = 1;
    for (i = 1; i < argc; i++) {
        if (sqlite3_value_type(argv[i]) == SQLITE_NULL)
            continue;
        s = (const char *)sqlite3_value_text(argv[i]);
        n = (size_t)sqlite3_value_bytes(argv[i]);
        if (!first) {
            memcpy(out + o, sep, sn);
            o += sn;
        }
        memcpy(out + o, s, n);
        o += n;
        first = 0;
    }
    result_owned(ctx, out, total);
}

/* ------------------------------------------------------------------ */
/* greatest / least                                                    */
/* ------------------------------------------------------------------ */

static int cmp_int_real(int64_t i, double d)
{
    double fl;
    int64_t di;
    if (d >= 9223372036854775808.0)
        return -1;
    if (d < -9223372036854775808.0)
        return 1;
    fl = floor(d);
    di = (int64_t)fl;
    if (i != di)
        return i < di ? -1 : 1;
    return fl < d ? -1 : 0;
}

static int cmp_values(sqlite3_value *a, sqlite3_value *b)
{
    int ta = sqlite3_value_type(a), tb = sqlite3_value_type(b);
    if (ta == SQLITE_TEXT) {
        const char *sa = (const char *)sqlite3_value_text(a), *sb = (const char *)sqlite3_value_text(b);
        int na = sqlite3_value_bytes(a), nb = sqlite3_value_bytes(b), c;
        c = memcmp(sa, sb, (size_t)(na < nb ? na : nb));
        return c ? c : (na > nb) - (na < nb);
    }
    if (ta == SQLITE_INTEGER && tb == SQLITE_INTEGER) {
        int64_t x = sqlite3_value_int64(a), y = sqlite3_value_int64(b);
        return (x > y) - (x < y);
    }
    if (ta == SQLITE_INTEGER)
        return cmp_int_real(sqlite3_value_int64(a), sqlite3_value_double(b));
    if (tb == SQLITE_INTEGER)
        return -cmp_int_real(sqlite3_value_int64(b), sqlite3_value_double(a));
    {
        double x = sqlite3_value_double(a), y = sqlite3_value_double(b);
        return (x > y) - (x < y);
    }
}

static void extreme(sqlite3_context *ctx, int argc, sqlite3_value **argv, int sign)
{
    char s1[128], s2[128];
    int i, best = 0, any_real = 0, any_num = 0, any_text = 0, first_text = -1, first_num = -1;
    if (argc < 1) {
        fn_err(ctx, "%s: expects at least one argument", fn_name(ctx));
        return;
    }
    if (any_null(argc, argv))
        return;
    for (i = 0; i < argc; i++) {
        int t = sqlite3_value_type(argv[i]);
        if (t == SQLITE_BLOB) {
            fn_err(ctx, "%s: cannot compare %s", fn_name(ctx), show(argv[i], s1, sizeof s1));
            return;
        }
        if (t == SQLITE_TEXT) {
            any_text = 1;
            if (first_text < 0)
                first_text = i;
            if (!sqlite3_value_text(argv[i])) {
                sqlite3_result_error_nomem(ctx);
                return;
            }
        } else {
            any_num = 1;
            any_real |= t == SQLITE_FLOAT;
            if (first_num < 0)
                first_num = i;
        }
    }
    if (any_text && any_num) {
        fn_err(ctx, "%s: cannot compare the number %s with the text %s (CAST one of them)", fn_name(ctx),
               show(argv[first_num], s1, sizeof s1), show(argv[first_text], s2, sizeof s2));
        return;
    }
    for (i = 1; i < argc; i++)
        if (cmp_values(argv[i], argv[best]) * sign > 0)
            best = i;
    if (any_real && sqlite3_value_type(argv[best]) == SQLITE_INTEGER)
        sqlite3_result_double(ctx, (double)sqlite3_value_int64(argv[best]));
    else
        sqlite3_result_value(ctx, argv[best]);
}

static void fn_greatest(sqlite3_context *ctx, int argc, sqlite3_value **argv) { extreme(ctx, argc, argv, 1); }
static void fn_least(sqlite3_context *ctx, int argc, sqlite3_value **argv) { extreme(ctx, argc, argv, -1); }

/* ------------------------------------------------------------------ */
/* registration                                                        */
/* ------------------------------------------------------------------ */

#define DET (SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)

static const struct fn_def {
    const char *name;
    int nargs;
    int flags;
    sql_fn fn;
} k_fns[] = {
    {"from_unixtime", 1, DET, fn_from_unixtime},
    {"to_unixtime", 1, DET, fn_to_unixtime},
    {"date_format", 2, DET, fn_date_format},
    {"date_parse", 2, DET, fn_date_parse},
    {"date_trunc", 2, DET, fn_date_trunc},
    {"date_add", 3, DET, fn_date_add},
    {"date_diff", 3, DET, fn_date_diff},
    {"from_iso8601_timestamp", 1, DET, fn_from_iso8601_timestamp},
    {"to_iso8601", 1, DET, fn_to_iso8601},
    {"now", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, fn_now},
    {"strpos", 2, DET, fn_strpos},
    {"strpos", 3, DET, fn_strpos},
    {"split_part", 3, DET, fn_split_part},
    {"regexp_like", 2, DET, fn_regexp_like},
    {"lpad", 3, DET, fn_lpad},
    {"rpad", 3, DET, fn_rpad},
    {"reverse", 1, DET, fn_reverse},
    {"starts_with", 2, DET, fn_starts_with},
    {"concat_ws", -1, DET, fn_concat_ws},
    {"greatest", -1, DET, fn_greatest},
    {"least", -1, DET, fn_least},
};

lh_rc lh_sql_register_functions(sqlite3 *db, lh_err *err)
{
    size_t i;
    if (!db)
        return lh_errf(err, LH_EINVAL, "lh_sql_register_functions: no database connection");
    for (i = 0; i < sizeof k_fns / sizeof k_fns[0]; i++) {
        const struct fn_def *d = &k_fns[i];
        int rc = sqlite3_create_function_v2(db, d->name, d->nargs, d->flags, (void *)d->name, d->fn, NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return lh_errf(err, rc == SQLITE_NOMEM ? LH_ENOMEM : LH_ESQL, "registering SQL function %s/%d: %s",
                           d->name, d->nargs, sqlite3_errmsg(db));
    }
    return LH_OK;
}
