/* exec/datefmt.c — date_format / date_parse with MySQL specifiers, as
 * Trino's DateTimeFunctions.createDateTimeFormatter builds them on Joda
 * (English names; %f prints milliseconds as 6 digits). */
#include "exec/datetime.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/mem.h"
#include "util/types.h"

typedef struct fop {
    char spec; /* 0 = literal */
    char lit;
} fop;

struct lh_datefmt {
    size_t n;
    size_t maxlen;
    fop ops[];
};

static const char *const g_month[] = {"January", "February", "March",     "April",   "May",      "June",
                                      "July",    "August",   "September", "October", "November", "December"};
static const char *const g_dow[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

static size_t spec_max(char c)
{
    switch (c) {
    case 'M':
    case 'W':
        return 9;
    case 'r':
        return 11;
    case 'T':
        return 8;
    case 'Y':
    case 'x':
        return 8;
    case 'f':
        return 6;
    case 'a':
    case 'b':
    case 'j':
        return 3;
    default:
        return 2;
    }
}

lh_rc lh_datefmt_compile(const char *fmt, size_t n, lh_datefmt **out, lh_err *err)
{
    lh_datefmt *f;
    size_t i, k = 0;
    int esc = 0;
    *out = NULL;
    f = lh_malloc(sizeof *f + (n + 1) * sizeof(fop));
    if (!f)
        return lh_errf(err, LH_ENOMEM, "out of memory compiling date format");
    f->maxlen = 0;
    for (i = 0; i < n; i++) {
        char c = fmt[i];
        if (esc) {
            esc = 0;
            switch (c) {
            case 'a': case 'b': case 'c': case 'd': case 'e': case 'f': case 'H': case 'h': case 'i':
            case 'j': case 'k': case 'l': case 'M': case 'm': case 'p': case 'r': case 'S': case 'T':
            case 'v': case 'x': case 'W': case 'Y': case 'y':
                f->ops[k].spec = c;
                f->ops[k].lit = 0;
                break;
            case 'I':
                f->ops[k].spec = 'h';
                f->ops[k].lit = 0;
                break;
            case 's':
                f->ops[k].spec = 'S';
                f->ops[k].lit = 0;
                break;
            case 'w': case 'U': case 'u': case 'V': case 'X': case 'D':
                lh_free(f);
                return lh_errf(err, LH_EDATA, "%%%c not supported in date format string", c);
            default: /* %% and %<x>: the character itself */
                f->ops[k].spec = 0;
                f->ops[k].lit = c;
                break;
            }
            f->maxlen += f->ops[k].spec ? spec_max(f->ops[k].spec) : 1;
            k++;
        } else if (c == '%') {
            esc = 1;
        } else {
            f->ops[k].spec = 0;
            f->ops[k].lit = c;
            f->maxlen++;
            k++;
        }
    }
    f->n = k;
    *out = f;
    return LH_OK;
}

void lh_datefmt_free(lh_datefmt *f)
{
    lh_free(f);
}

size_t lh_datefmt_max_len(const lh_datefmt *f)
{
    return f->maxlen;
}

static int put_num(char *b, int64_t v, int minw)
{
    char t[24];
    int n = 0, k = 0, neg = v < 0;
    uint64_t u = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        t[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (neg)
        b[k++] = '-';
    while (n < minw--)
        b[k++] = '0';
    while (n)
        b[k++] = t[--n];
    return k;
}

static int put_str(char *b, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max)
        n = max;
    memcpy(b, s, n);
    return (int)n;
}

lh_rc lh_datefmt_format(const lh_datefmt *f, int64_t us, char *buf, size_t cap, size_t *len, lh_err *err)
{
    lh_dt_fields d;
    size_t i, k = 0;
    char tmp[16];
    int h12;
    if (cap < f->maxlen + 1)
        return lh_errf(err, LH_ELIMIT, "date_format: output buffer of %zu bytes is too small (need %zu)", cap,
                       f->maxlen + 1);
    lh_dt_fields_of(us, &d);
    h12 = d.hour % 12 == 0 ? 12 : d.hour % 12;
    for (i = 0; i < f->n; i++) {
        const fop *o = &f->ops[i];
        char *b = buf + k;
        int w = 0;
        switch (o->spec) {
        case 0:
            b[0] = o->lit;
            w = 1;
            break;
        case 'a':
            w = put_str(b, g_dow[d.day_of_week - 1], 3);
            break;
        case 'W':
            w = put_str(b, g_dow[d.day_of_week - 1], 9);
            break;
        case 'b':
            w = put_str(b, g_month[d.month - 1], 3);
            break;
        case 'M':
            w = put_str(b, g_month[d.month - 1], 9);
            break;
        case 'c':
            w = put_num(b, d.month, 1);
            break;
        case 'm':
            w = put_num(b, d.month, 2);
            break;
        case 'd':
            w = put_num(b, d.day, 2);
            break;
        case 'e':
            w = put_num(b, d.day, 1);
            break;
        case 'f':
            w = put_num(b, d.millisecond * 1000, 6);
            break;
        case 'H':
            w = put_num(b, d.hour, 2);
            break;
        case 'k':
            w = put_num(b, d.hour, 1);
            break;
        case 'h':
            w = put_num(b, h12, 2);
            break;
        case 'l':
            w = put_num(b, h12, 1);
            break;
        case 'i':
            w = put_num(b, d.minute, 2);
            break;
        case 'S':
            w = put_num(b, d.second, 2);
            break;
        case 'j':
            w = put_num(b, d.day_of_year, 3);
            break;
        case 'p':
            w = put_str(b, d.hour < 12 ? "AM" : "PM", 2);
            break;
        case 'r':
            snprintf(tmp, sizeof tmp, "%02d:%02d:%02d %s", h12, d.minute, d.second, d.hour < 12 ? "AM" : "PM");
            w = put_str(b, tmp, 11);
            break;
        case 'T':
            snprintf(tmp, sizeof tmp, "%02d:%02d:%02d", d.hour, d.minute, d.second);
            w = put_str(b, tmp, 8);
            break;
        case 'v':
            w = put_num(b, d.week, 2);
            break;
        case 'x':
            w = put_num(b, d.year_of_week, 4);
            break;
        case 'Y':
            w = put_num(b, d.year, 4);
            break;
        case 'y':
            w = put_num(b, (d.year < 0 ? -d.year : d.year) % 100, 2);
            break;
        }
        k += (size_t)w;
    }
    buf[k] = 0;
    *len = k;
    return LH_OK;
}

/* ---- parsing (Joda's rules, simplified to what the specifiers need) ---- */

typedef struct pstate {
    int64_t year, weekyear;
    int month, day, doy, hour, clockhour, halfday, minute, second, millis, week, dow;
    int has_year, has_doy, has_hour, has_clockhour, has_weekyear, has_week, has_dow;
} pstate;

static lh_rc malformed(lh_err *err, const char *s, size_t n, const char *at)
{
    if (at >= s + n)
        return lh_errf(err, LH_EDATA, "Invalid format: \"%.*s\" is too short", (int)n, s);
    return lh_errf(err, LH_EDATA, "Invalid format: \"%.*s\" is malformed at \"%.*s\"", (int)n, s,
                   (int)(s + n - at), at);
}

static int pnum(const char **p, const char *e, int maxd, int sign, int64_t *v)
{
    const char *q = *p;
    int neg = 0, nd = 0;
    int64_t x = 0;
    if (sign && q < e && (*q == '-' || *q == '+'))
        neg = *q++ == '-';
    while (q < e && nd < maxd && isdigit((unsigned char)*q)) {
        x = x * 10 + (*q++ - '0');
        nd++;
    }
    if (nd == 0)
        return -1;
    *v = neg ? -x : x;
    *p = q;
    return 0;
}

/* Match one of names (full first, then 3-letter), case-insensitive; returns index or -1. */
static int ptext(const char **p, const char *e, const char *const *names, int count)
{
    int i, pass;
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < count; i++) {
            size_t l = pass == 0 ? strlen(names[i]) : 3;
            if ((size_t)(e - *p) >= l && strncasecmp(*p, names[i], l) == 0) {
                *p += l;
                return i;
            }
        }
    return -1;
}

static lh_rc range(lh_err *err, const char *s, size_t n, int64_t v, const char *field, int lo, int hi)
{
    return lh_errf(err, LH_EDATA, "Cannot parse \"%.*s\": Value %lld for %s must be in the range [%d,%d]", (int)n,
                   s, (long long)v, field, lo, hi);
}

static int parse_one(char spec, const char **p, const char *e, pstate *st)
{
    int64_t v;
    int idx;
    static const char *const ampm[] = {"AM", "PM"};
    switch (spec) {
    case 'a':
    case 'W':
        if ((idx = ptext(p, e, g_dow, 7)) < 0)
            return -1;
        st->dow = idx + 1;
        st->has_dow = 1;
        return 0;
    case 'b':
    case 'M':
        if ((idx = ptext(p, e, g_month, 12)) < 0)
            return -1;
        st->month = idx + 1;
        return 0;
    case 'p': {
        const char *q = *p;
        if ((size_t)(e - q) < 2)
            return -1;
        for (idx = 0; idx < 2; idx++)
            if (strncasecmp(q, ampm[idx], 2) == 0)
                break;
        if (idx == 2)
            return -1;
        *p += 2;
        st->halfday = idx;
        return 0;
    }
    case 'c':
    case 'm':
        if (pnum(p, e, 2, 0, &v))
            return -1;
        st->month = (int)v;
        return 0;
    case 'd':
    case 'e':
        if (pnum(p, e, 2, 0, &v))
            return -1;
        st->day = (int)v;
        return 0;
    case 'f': {
        const char *q = *p;
        int nd = 0, ms = 0;
        while (q < e && nd < 9 && isdigit((unsigned char)*q)) {
            if (nd < 3)
                ms = ms * 10 + (*q - '0');
            nd++;
            q++;
        }
        if (nd == 0)
            return -1;
        while (nd < 3)
            ms *= 10, nd++;
        st->millis = ms;
        *p = q;
        return 0;
    }
    case 'H':
    case 'k':
        if (pnum(p, e, 2, 0, &v))
            return -1;
        st->hour = (int)v;
        st->has_hour = 1;
        return 0;
    case 'h':
    case 'l':
        if (pnum(p, e, 2, 0, &v))
            return -1;
        st->clockhour = (int)v;
        st->has_clockhour = 1;
        return 0;
    case 'i':
        if (pnum(p, e, 2, 0, &v))
            return -1;
        st->minute = (int)v;
        return 0;
    case 'S':
        if (pnum(p, e, 2, 0, &v))
            return -1;
        st->second = (int)v;
        return 0;
    case 'j':
        if (pnum(p, e, 3, 0, &v))
            return -1;
        st->doy = (int)v;
        st->has_doy = 1;
        return 0;
    case 'v':
        if (pnum(p, e, 2, 0, &v))
            return -1;
        st->week = (int)v;
        st->has_week = 1;
        return 0;
    case 'x':
        if (pnum(p, e, 4, 1, &v))
            return -1;
        st->weekyear = v;
        st->has_weekyear = 1;
        return 0;
    case 'Y':
        if (pnum(p, e, 4, 1, &v))
            return -1;
        st->year = v;
        st->has_year = 1;
        return 0;
    case 'y': {
        const char *q = *p;
        if (e - q < 2 || !isdigit((unsigned char)q[0]) || !isdigit((unsigned char)q[1]))
            return -1;
        v = (q[0] - '0') * 10 + (q[1] - '0');
        st->year = v >= 70 ? 1900 + v : 2000 + v; /* pivot 2020: 1970..2069 */
        st->has_year = 1;
        *p += 2;
        return 0;
    }
    case 'r':
        return parse_one('h', p, e, st) || *p >= e || *(*p)++ != ':' || parse_one('i', p, e, st) || *p >= e ||
                       *(*p)++ != ':' || parse_one('S', p, e, st) || *p >= e || *(*p)++ != ' ' ||
                       parse_one('p', p, e, st)
                   ? -1
                   : 0;
    case 'T':
        return parse_one('H', p, e, st) || *p >= e || *(*p)++ != ':' || parse_one('i', p, e, st) || *p >= e ||
                       *(*p)++ != ':' || parse_one('S', p, e, st)
                   ? -1
                   : 0;
    }
    return -1;
}

lh_rc lh_datefmt_parse(const lh_datefmt *f, const char *s, size_t n, int64_t *out, lh_err *err)
{
    pstate st;
    const char *p = s, *e = s + n;
    size_t i;
    int64_t days;
    memset(&st, 0, sizeof st);
    st.year = 1970;
    st.month = 1;
    st.day = 1;
    for (i = 0; i < f->n; i++) {
        const fop *o = &f->ops[i];
        const char *at = p;
        if (o->spec == 0) {
            if (p >= e || toupper((unsigned char)*p) != toupper((unsigned char)o->lit))
                return malformed(err, s, n, at);
            p++;
        } else if (parse_one(o->spec, &p, e, &st))
            return malformed(err, s, n, at);
    }
    if (p != e)
        return malformed(err, s, n, p);
    /* validate and combine, larger fields first, as Joda's bucket does */
    if (st.month < 1 || st.month > 12)
        return range(err, s, n, st.month, "monthOfYear", 1, 12);
    if (st.has_weekyear || st.has_week) {
        int64_t wy = st.has_weekyear ? st.weekyear : 1970, jan4;
        int wk = st.has_week ? st.week : 1, dow = st.has_dow ? st.dow : 4, wiy;
        jan4 = lh_days_from_civil(wy, 1, 4);
        wiy = (int)(lh_dt_floormod(lh_days_from_civil(wy, 1, 1) + 3, 7) + 1);
        wiy = (wiy == 4 || (wiy == 3 && lh_dt_is_leap(wy))) ? 53 : 52;
        if (wk < 1 || wk > wiy)
            return range(err, s, n, wk, "weekOfWeekyear", 1, wiy);
        days = jan4 - lh_dt_floormod(jan4 + 3, 7) + (int64_t)(wk - 1) * 7 + (dow - 1);
    } else if (st.has_doy) {
        int max = lh_dt_is_leap(st.year) ? 366 : 365;
        if (st.doy < 1 || st.doy > max)
            return range(err, s, n, st.doy, "dayOfYear", 1, max);
        days = lh_days_from_civil(st.year, 1, 1) + st.doy - 1;
    } else {
        int dim = lh_dt_days_in_month(st.year, st.month);
        if (st.day < 1 || st.day > dim)
            return range(err, s, n, st.day, "dayOfMonth", 1, dim);
        days = lh_days_from_civil(st.year, (unsigned)st.month, (unsigned)st.day);
    }
    if (st.has_hour) {
        if (st.hour > 23)
            return range(err, s, n, st.hour, "hourOfDay", 0, 23);
    } else if (st.has_clockhour) {
        if (st.clockhour < 1 || st.clockhour > 12)
            return range(err, s, n, st.clockhour, "clockhourOfHalfday", 1, 12);
        st.hour = st.clockhour % 12 + 12 * st.halfday;
    } else
        st.hour = 12 * st.halfday;
    if (st.minute > 59)
        return range(err, s, n, st.minute, "minuteOfHour", 0, 59);
    if (st.second > 59)
        return range(err, s, n, st.second, "secondOfMinute", 0, 59);
    *out = days * LH_US_PER_DAY + st.hour * LH_US_PER_HOUR + st.minute * LH_US_PER_MIN + st.second * LH_US_PER_SEC +
           st.millis * 1000LL;
    return LH_OK;
}
