/* functions/fn_joda.c — format_datetime and parse_datetime with Joda-Time
 * patterns (functions/datetime.md "Java date functions"; Trino builds them
 * with Joda's DateTimeFormat.forPattern), listed in lh_fns_joda[].
 *
 * Pattern letters (Joda's): G era, C century, Y year of era, x weekyear,
 * w week of weekyear, e day of week (1 = Monday), E day of week text
 * (EEEE full, fewer short), y year, D day of year, M month (MMMM full,
 * MMM short, else number), d day of month, a AM/PM, K hour 0-11, h 1-12,
 * H 0-23, k 1-24, m minute, s second, S fraction of second (milliseconds,
 * as Joda keeps), z zone (UTC, the offset of a fixed zone, the id of a
 * region: Joda's short names such as PST are not kept), Z offset (+0100;
 * ZZ +01:00; ZZZ the zone id), '...' quoted text, '' a quote.  Numbers are
 * padded to the letter count; yy / xx are two-digit years (parsed with
 * Joda's pivot: 1950..2049 around 2000).  Another letter is "Illegal
 * pattern component: q".
 *
 * parse_datetime(s, pattern) -> timestamp(3) with time zone: the whole
 * string must match; a numeric field followed directly by another numeric
 * field takes exactly its letter count of digits, else up to 9; text is
 * matched case-insensitively; unset fields default to 1970-01-01 00:00;
 * the zone is the parsed offset or zone id, else the session zone.
 * Errors as Joda's: 'Invalid format: "x" is malformed at "y"', '... is too
 * short', 'Cannot parse "x": Value 30 for dayOfMonth must be in the range
 * [1,28]'.  All LH_EINVAL.
 *
 * State: the compiled pattern (constant: compiled in init; else cached per
 * distinct text), freed by done.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "functions/fn_datetime_int.h"
#include "functions/fn_strutil.h"
#include "util/mem.h"
#include "util/types.h"

typedef struct jtok {
    char f;     /* pattern letter, 0 for literal text */
    int n;      /* letter count */
    size_t off; /* literal: offset into lits */
    size_t len;
} jtok;

typedef struct jfmt {
    size_t nt;
    jtok *t;
    char *lits;
    size_t maxlen; /* formatted length bound */
} jfmt;

typedef struct jstate {
    jfmt *f;
    int is_const, const_null;
    char *last;
    size_t last_n;
    char *buf; /* format_datetime's output, at least f->maxlen */
    size_t bufcap;
} jstate;

static const char *const MONTHS[] = {"January", "February", "March",     "April",   "May",      "June",
                                     "July",    "August",   "September", "October", "November", "December"};
static const char *const DOWS[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

static void jfmt_free(jfmt *f)
{
    if (!f)
        return;
    lh_free(f->t);
    lh_free(f->lits);
    lh_free(f);
}

static lh_rc nomem(lh_err *err) { return lh_errf(err, LH_ENOMEM, "out of memory compiling a date/time pattern"); }

static lh_rc jfmt_compile(const char *p, size_t n, jfmt **out, lh_err *err)
{
    jfmt *f = lh_calloc(1, sizeof *f);
    size_t i = 0, nl = 0;
    *out = NULL;
    if (!f || !(f->t = lh_malloc((n + 1) * sizeof *f->t)) || !(f->lits = lh_malloc(n + 1))) {
        jfmt_free(f);
        return nomem(err);
    }
    while (i < n) {
        char c = p[i];
        jtok *t = &f->t[f->nt];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            size_t k = i;
            while (k < n && p[k] == c)
                k++;
            if (!strchr("GCYxwzeEyDMdaKhHkmsSZ", c)) {
                jfmt_free(f);
                return lh_errf(err, LH_EINVAL, "Illegal pattern component: %.*s", (int)(k - i), p + i);
            }
            t->f = c;
            t->n = (int)(k - i);
            f->maxlen += (size_t)t->n + 40;
            f->nt++;
            i = k;
            continue;
        }
        /* literal text: quoted or a run of other characters */
        t->f = 0;
        t->off = nl;
        if (c == '\'') {
            i++;
            if (i < n && p[i] == '\'') { /* '' is a quote */
                f->lits[nl++] = '\'';
                i++;
            } else {
                while (i < n) {
                    if (p[i] == '\'') {
                        if (i + 1 < n && p[i + 1] == '\'') {
                            f->lits[nl++] = '\'';
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    f->lits[nl++] = p[i++];
                }
            }
        } else {
            while (i < n && !((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z')) && p[i] != '\'')
                f->lits[nl++] = p[i++];
        }
        t->len = nl - t->off;
        f->maxlen += t->len;
        f->nt++;
    }
    *out = f;
    return LH_OK;
}

/* ---- formatting ---- */

static size_t put_num(char *o, int64_t v, int width)
{
    char tmp[32];
    int neg = v < 0, len;
    uint64_t u = neg ? 0 - (uint64_t)v : (uint64_t)v;
    len = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)u);
    size_t k = 0;
    if (neg)
        o[k++] = '-';
    for (int z = len; z < width; z++)
        o[k++] = '0';
    memcpy(o + k, tmp, (size_t)len);
    return k + (size_t)len;
}

static size_t put_offset(char *o, int32_t secs, int colon)
{
    int32_t m = secs / 60, a = m < 0 ? -m : m;
    return (size_t)sprintf(o, colon ? "%c%02d:%02d" : "%c%02d%02d", m < 0 ? '-' : '+', (int)(a / 60), (int)(a % 60));
}

static size_t jfmt_format(const jfmt *f, lh_tstz t, char *o)
{
    int64_t local = lh_tstz_local_us(t);
    int64_t secs = lh_dt_floordiv(t.utc_us, LH_US_PER_SEC);
    lh_dt_fields d;
    size_t k = 0;
    lh_dt_fields_of(local, &d);
    for (size_t i = 0; i < f->nt; i++) {
        const jtok *tk = &f->t[i];
        int n = tk->n;
        int64_t yoe = d.year > 0 ? d.year : 1 - d.year;
        switch (tk->f) {
        case 0:
            memcpy(o + k, f->lits + tk->off, tk->len);
            k += tk->len;
            break;
        case 'G':
            memcpy(o + k, d.year > 0 ? "AD" : "BC", 2);
            k += 2;
            break;
        case 'C':
            k += put_num(o + k, yoe / 100, n);
            break;
        case 'y':
        case 'Y':
        case 'x': {
            int64_t y = tk->f == 'y' ? d.year : tk->f == 'Y' ? yoe : d.year_of_week;
            if (n == 2)
                k += put_num(o + k, lh_dt_floormod(y, 100), 2);
            else
                k += put_num(o + k, y, n);
            break;
        }
        case 'w':
            k += put_num(o + k, d.week, n);
            break;
        case 'e':
            k += put_num(o + k, d.day_of_week, n);
            break;
        case 'E': {
            const char *s = DOWS[d.day_of_week - 1];
            size_t l = n >= 4 ? strlen(s) : 3;
            memcpy(o + k, s, l);
            k += l;
            break;
        }
        case 'D':
            k += put_num(o + k, d.day_of_year, n);
            break;
        case 'M':
            if (n >= 3) {
                const char *s = MONTHS[d.month - 1];
                size_t l = n >= 4 ? strlen(s) : 3;
                memcpy(o + k, s, l);
                k += l;
            } else
                k += put_num(o + k, d.month, n);
            break;
        case 'd':
            k += put_num(o + k, d.day, n);
            break;
        case 'a':
            memcpy(o + k, d.hour < 12 ? "AM" : "PM", 2);
            k += 2;
            break;
        case 'K':
            k += put_num(o + k, d.hour % 12, n);
            break;
        case 'h':
            k += put_num(o + k, d.hour % 12 ? d.hour % 12 : 12, n);
            break;
        case 'H':
            k += put_num(o + k, d.hour, n);
            break;
        case 'k':
            k += put_num(o + k, d.hour ? d.hour : 24, n);
            break;
        case 'm':
            k += put_num(o + k, d.minute, n);
            break;
        case 's':
            k += put_num(o + k, d.second, n);
            break;
        case 'S': { /* the milliseconds as a fraction, cut to n digits */
            int msv = d.millisecond % 1000;
            char ms[3] = {(char)('0' + msv / 100), (char)('0' + msv / 10 % 10), (char)('0' + msv % 10)};
            for (int z = 0; z < n; z++)
                o[k++] = z < 3 ? ms[z] : '0';
            break;
        }
        case 'Z':
            if (n <= 2) {
                k += put_offset(o + k, lh_zone_offset(t.zone, secs), n == 2);
                break;
            }
            /* fall through: the zone id */
            __attribute__((fallthrough));
        default: { /* 'z' */
            char name[LH_ZONE_NAME_MAX];
            size_t l;
            lh_zone_name(t.zone, name, sizeof name);
            l = strlen(name);
            if (l > 39)
                l = 39;
            memcpy(o + k, name, l);
            k += l;
            break;
        }
        }
    }
    return k;
}

/* ---- parsing ---- */

typedef struct pfields {
    int64_t year, yoe, weekyear, century;
    int have_year, have_yoe, have_weekyear, have_week, have_dow, have_doy, have_month, have_day, bc, pm, have_pm;
    int64_t month, day, doy, week, dow, hour, hour12, minute, second, ms;
    int hour_kind; /* 0 none, 'H', 'k', 'K', 'h' */
    int have_zone;
    lh_zone zone;
} pfields;

static lh_rc p_malformed(const char *s, size_t n, size_t at, lh_err *err)
{
    char a[200], b[200];
    u8_for_msg(s, n > 150 ? 150 : n, a, sizeof a);
    if (at >= n)
        return lh_errf(err, LH_EINVAL, "Invalid format: \"%s\" is too short", a);
    u8_for_msg(s + at, n - at > 150 ? 150 : n - at, b, sizeof b);
    return lh_errf(err, LH_EINVAL, "Invalid format: \"%s\" is malformed at \"%s\"", a, b);
}
static lh_rc p_range(const char *s, size_t n, const char *field, int64_t v, int64_t lo, int64_t hi, lh_err *err)
{
    char a[200];
    u8_for_msg(s, n > 150 ? 150 : n, a, sizeof a);
    return lh_errf(err, LH_EINVAL, "Cannot parse \"%s\": Value %lld for %s must be in the range [%lld,%lld]", a,
                   (long long)v, field, (long long)lo, (long long)hi);
}

static int is_num_tok(const jtok *t)
{
    if (!t || t->f == 0)
        return 0;
    if (t->f == 'M')
        return t->n < 3;
    return strchr("CYxwyeDdKhHkmsS", t->f) != NULL;
}

/* the longest name of names[0..cnt) (or its 3-letter form) at s+at */
static int match_name(const char *s, size_t n, size_t *at, const char *const *names, int cnt)
{
    int best = -1;
    size_t bl = 0;
    for (int k = 0; k < cnt; k++) {
        size_t full = strlen(names[k]);
        if (full <= n - *at && !strncasecmp(s + *at, names[k], full) && full > bl)
            best = k, bl = full;
        else if (3 <= n - *at && !strncasecmp(s + *at, names[k], 3) && 3 > bl)
            best = k, bl = 3;
    }
    if (best >= 0)
        *at += bl;
    return best;
}

static lh_rc jfmt_parse(const jfmt *f, const char *s, size_t n, lh_zone session, lh_tstz *out, lh_err *err)
{
    pfields p;
    size_t at = 0;
    memset(&p, 0, sizeof p);
    for (size_t i = 0; i < f->nt; i++) {
        const jtok *tk = &f->t[i];
        const jtok *next = i + 1 < f->nt ? &f->t[i + 1] : NULL;
        if (tk->f == 0) {
            if (tk->len > n - at || strncasecmp(s + at, f->lits + tk->off, tk->len))
                return p_malformed(s, n, at, err);
            at += tk->len;
            continue;
        }
        if (tk->f == 'E' || (tk->f == 'M' && tk->n >= 3) || tk->f == 'a' || tk->f == 'G') {
            int k;
            if (tk->f == 'E') {
                if ((k = match_name(s, n, &at, DOWS, 7)) < 0)
                    return p_malformed(s, n, at, err);
                p.dow = k + 1, p.have_dow = 1;
            } else if (tk->f == 'M') {
                if ((k = match_name(s, n, &at, MONTHS, 12)) < 0)
                    return p_malformed(s, n, at, err);
                p.month = k + 1, p.have_month = 1;
            } else {
                static const char *const AMPM[] = {"AM", "PM"}, *const ERA[] = {"BC", "AD"};
                const char *const *names = tk->f == 'a' ? AMPM : ERA;
                if (n - at >= 2 && !strncasecmp(s + at, names[0], 2))
                    k = 0;
                else if (n - at >= 2 && !strncasecmp(s + at, names[1], 2))
                    k = 1;
                else
                    return p_malformed(s, n, at, err);
                at += 2;
                if (tk->f == 'a')
                    p.pm = k, p.have_pm = 1;
                else
                    p.bc = k == 0;
            }
            continue;
        }
        if (tk->f == 'Z' || tk->f == 'z') {
            if (tk->f == 'Z' && tk->n <= 2) {
                int neg;
                int64_t h = 0, m = 0;
                size_t k;
                if (at < n && s[at] == 'Z') {
                    at++;
                    p.have_zone = 1, p.zone = LH_ZONE_UTC;
                    continue;
                }
                if (at >= n || (s[at] != '+' && s[at] != '-'))
                    return p_malformed(s, n, at, err);
                neg = s[at] == '-';
                k = at + 1;
                if (k + 2 > n || !isdigit((unsigned char)s[k]) || !isdigit((unsigned char)s[k + 1]))
                    return p_malformed(s, n, at, err);
                h = (s[k] - '0') * 10 + (s[k + 1] - '0');
                k += 2;
                if (k < n && s[k] == ':')
                    k++;
                if (k + 2 <= n && isdigit((unsigned char)s[k]) && isdigit((unsigned char)s[k + 1])) {
                    m = (s[k] - '0') * 10 + (s[k + 1] - '0');
                    k += 2;
                } else if (k > at + 3 && s[k - 1] == ':')
                    return p_malformed(s, n, k, err);
                if (h > 23 || m > 59)
                    return p_malformed(s, n, at, err);
                at = k;
                m = (neg ? -1 : 1) * (h * 60 + m);
                p.have_zone = 1;
                p.zone = m == 0 ? LH_ZONE_UTC : LH_ZONE_FIXED((int)m);
                continue;
            }
            /* a zone id: the longest run of id characters that names a zone */
            {
                size_t k = at;
                lh_rc rc;
                lh_err e2;
                while (k < n && (isalnum((unsigned char)s[k]) || strchr("_/+-:", s[k])))
                    k++;
                for (; k > at; k--) {
                    if ((rc = lh_zone_lookup(s + at, k - at, &p.zone, &e2)) == LH_OK)
                        break;
                    if (rc == LH_ENOMEM)
                        return lh_errf(err, LH_ENOMEM, "%s", e2.msg);
                }
                if (k == at)
                    return p_malformed(s, n, at, err);
                p.have_zone = 1;
                at = k;
                continue;
            }
        }
        /* numbers */
        {
            int max = is_num_tok(next) ? tk->n : 9, neg = 0, cnt = 0;
            int64_t v = 0;
            size_t start = at;
            if ((tk->f == 'y' || tk->f == 'x' || tk->f == 'Y') && tk->n != 2 && at < n &&
                (s[at] == '-' || s[at] == '+'))
                neg = s[at++] == '-';
            if (tk->f == 'S')
                max = is_num_tok(next) ? tk->n : 9;
            while (at < n && cnt < max && isdigit((unsigned char)s[at])) {
                v = v * 10 + (s[at] - '0');
                at++, cnt++;
            }
            if (cnt == 0)
                return p_malformed(s, n, start, err);
            if (neg)
                v = -v;
            switch (tk->f) {
            case 'y':
            case 'x':
            case 'Y':
                if (tk->n == 2 && cnt == 2 && !neg) /* pivot 2000: 1950..2049 */
                    v = v < 50 ? 2000 + v : 1900 + v;
                if (tk->f == 'y')
                    p.year = v, p.have_year = 1;
                else if (tk->f == 'Y')
                    p.yoe = v, p.have_yoe = 1;
                else
                    p.weekyear = v, p.have_weekyear = 1;
                break;
            case 'C':
                p.century = v;
                break;
            case 'w':
                p.week = v, p.have_week = 1;
                break;
            case 'e':
                p.dow = v, p.have_dow = 1;
                break;
            case 'D':
                p.doy = v, p.have_doy = 1;
                break;
            case 'M':
                p.month = v, p.have_month = 1;
                break;
            case 'd':
                p.day = v, p.have_day = 1;
                break;
            case 'H':
            case 'k':
            case 'K':
            case 'h':
                p.hour = v, p.hour_kind = tk->f;
                break;
            case 'm':
                p.minute = v;
                break;
            case 's':
                p.second = v;
                break;
            default: { /* 'S': a fraction of cnt digits, to milliseconds */
                int64_t ms = v;
                int c2 = cnt;
                for (; c2 < 3; c2++)
                    ms *= 10;
                for (; c2 > 3; c2--)
                    ms /= 10;
                p.ms = ms;
                break;
            }
            }
        }
    }
    if (at != n)
        return p_malformed(s, n, at, err);
    /* assemble and check, in Joda's field order */
    {
        int64_t year = p.have_year ? p.year : p.have_yoe ? (p.bc ? 1 - p.yoe : p.yoe) : 1970, days, hour = 0;
        if (p.hour_kind == 'H' && p.hour > 23)
            return p_range(s, n, "hourOfDay", p.hour, 0, 23, err);
        if (p.hour_kind == 'k' && (p.hour < 1 || p.hour > 24))
            return p_range(s, n, "clockhourOfDay", p.hour, 1, 24, err);
        if (p.hour_kind == 'K' && p.hour > 11)
            return p_range(s, n, "hourOfHalfday", p.hour, 0, 11, err);
        if (p.hour_kind == 'h' && (p.hour < 1 || p.hour > 12))
            return p_range(s, n, "clockhourOfHalfday", p.hour, 1, 12, err);
        if (p.minute > 59)
            return p_range(s, n, "minuteOfHour", p.minute, 0, 59, err);
        if (p.second > 59)
            return p_range(s, n, "secondOfMinute", p.second, 0, 59, err);
        switch (p.hour_kind) {
        case 'H':
            hour = p.hour;
            break;
        case 'k':
            hour = p.hour == 24 ? 0 : p.hour;
            break;
        case 'K':
            hour = p.hour;
            break;
        case 'h':
            hour = p.hour == 12 ? 0 : p.hour;
            break;
        default:
            break;
        }
        if (p.have_pm && p.pm && hour < 12)
            hour += 12;
        if (p.have_week || (p.have_weekyear && !p.have_month)) {
            int64_t wy = p.have_weekyear ? p.weekyear : year, jan4 = lh_days_from_civil(wy, 1, 4);
            int64_t mon1 = jan4 - lh_dt_floormod(jan4 + 3, 7), w = p.have_week ? p.week : 1,
                    dow = p.have_dow ? p.dow : 1;
            if (dow < 1 || dow > 7)
                return p_range(s, n, "dayOfWeek", dow, 1, 7, err);
            days = mon1 + (w - 1) * 7 + dow - 1;
        } else if (p.have_doy) {
            int64_t ylen = lh_dt_is_leap(year) ? 366 : 365;
            if (p.doy < 1 || p.doy > ylen)
                return p_range(s, n, "dayOfYear", p.doy, 1, ylen, err);
            days = lh_days_from_civil(year, 1, 1) + p.doy - 1;
        } else {
            int64_t mo = p.have_month ? p.month : 1, dd = p.have_day ? p.day : 1, dim;
            if (mo < 1 || mo > 12)
                return p_range(s, n, "monthOfYear", mo, 1, 12, err);
            dim = lh_dt_days_in_month(year, (int)mo);
            if (dd < 1 || dd > dim)
                return p_range(s, n, "dayOfMonth", dd, 1, dim, err);
            days = lh_days_from_civil(year, (unsigned)mo, (unsigned)dd);
        }
        {
            int64_t local = days * LH_US_PER_DAY + hour * LH_US_PER_HOUR + p.minute * LH_US_PER_MIN +
                            p.second * LH_US_PER_SEC + p.ms * LH_US_PER_MS;
            lh_zone z = p.have_zone ? p.zone : session;
            out->zone = z;
            out->utc_us = lh_local_to_utc_us(z, local);
        }
    }
    return LH_OK;
}

/* ---- the functions ---- */

static void j_done(lh_fn_call *c)
{
    jstate *st = c->state;
    if (!st)
        return;
    jfmt_free(st->f);
    lh_free(st->last);
    lh_free(st->buf);
    lh_free(st);
    c->state = NULL;
}

static lh_rc j_init(lh_fn_call *c, lh_vector *const *ca, lh_err *err)
{
    jstate *st = lh_calloc(1, sizeof *st);
    lh_rc rc;
    if (!st)
        return nomem(err);
    c->state = st;
    if (ca && ca[1]) {
        st->is_const = 1;
        if (!lh_vector_get_valid(ca[1], 0))
            st->const_null = 1;
        else {
            lh_str s = lh_vector_get_str(ca[1], 0);
            if ((rc = jfmt_compile(lh_str_ptr(&s), lh_str_len(&s), &st->f, err))) {
                j_done(c);
                return rc;
            }
        }
    }
    return LH_OK;
}

static lh_rc j_fmt_at(jstate *st, const lh_str *s, const jfmt **out, lh_err *err)
{
    jfmt *f;
    char *copy;
    uint32_t n = lh_str_len(s);
    lh_rc rc;
    if (st->is_const || (st->f && n == st->last_n && !memcmp(st->last, lh_str_ptr(s), n))) {
        *out = st->f;
        return LH_OK;
    }
    if ((rc = jfmt_compile(lh_str_ptr(s), n, &f, err)))
        return rc;
    if (!(copy = lh_malloc(n + 1u))) {
        jfmt_free(f);
        return nomem(err);
    }
    memcpy(copy, lh_str_ptr(s), n);
    jfmt_free(st->f);
    lh_free(st->last);
    st->f = f, st->last = copy, st->last_n = n;
    *out = f;
    return LH_OK;
}

static lh_rc f_format_datetime(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    jstate *st = c->state;
    lh_vector *x = args[0], *fv = args[1];
    uint32_t xm = dtf_mask(x);
    lh_rc rc;
    if (!st)
        return lh_errf(err, LH_EINTERNAL, "format_datetime evaluated before init");
    if (st->const_null) {
        dtf_all_null(out, rows);
        return LH_OK;
    }
    dtf_merge_valid(out, rows, x, fv, NULL);
    DTF_FOR_LIVE(rows, out, i, {
        const jfmt *f;
        size_t len;
        if ((rc = j_fmt_at(st, sarg(fv, i), &f, err)))
            return rc;
        if (st->bufcap < f->maxlen + 1) {
            char *nb = lh_malloc(f->maxlen + 1);
            if (!nb)
                return nomem(err);
            lh_free(st->buf);
            st->buf = nb, st->bufcap = f->maxlen + 1;
        }
        len = jfmt_format(f, ((const lh_tstz *)x->data)[i & xm], st->buf);
        if ((rc = put_str(c, out, i, st->buf, len, err)))
            return rc;
    });
    return LH_OK;
}

static lh_rc f_parse_datetime(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    jstate *st = c->state;
    lh_vector *x = args[0], *fv = args[1];
    lh_tstz *O = out->data;
    lh_zone session = c->env ? c->env->session_zone : LH_ZONE_UTC;
    lh_rc rc;
    if (!st)
        return lh_errf(err, LH_EINTERNAL, "parse_datetime evaluated before init");
    if (st->const_null) {
        dtf_all_null(out, rows);
        return LH_OK;
    }
    dtf_merge_valid(out, rows, x, fv, NULL);
    DTF_FOR_LIVE(rows, out, i, {
        const jfmt *f;
        const lh_str *v = sarg(x, i);
        if ((rc = j_fmt_at(st, sarg(fv, i), &f, err)) ||
            (rc = jfmt_parse(f, lh_str_ptr(v), lh_str_len(v), session, &O[i], err)))
            return rc;
    });
    return LH_OK;
}

static int acc_format(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 2 && a[0].id == LH_SQL_TIMESTAMP_TZ && a[1].id == LH_SQL_VARCHAR && r.id == LH_SQL_VARCHAR;
}
static int acc_parse(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 2 && a[0].id == LH_SQL_VARCHAR && a[1].id == LH_SQL_VARCHAR && r.id == LH_SQL_TIMESTAMP_TZ;
}

const lh_scalar_entry lh_fns_joda[] = {
    {"format_datetime", acc_format, {"format_datetime", j_init, f_format_datetime, j_done}},
    {"parse_datetime", acc_parse, {"parse_datetime", j_init, f_parse_datetime, j_done}},
    {NULL, NULL, {NULL, NULL, NULL, NULL}},
};
