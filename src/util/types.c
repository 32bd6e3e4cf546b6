#include "util/types.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    lh_kind kind;
} g_names[] = {
    {"string", LH_T_STRING},     {"varchar", LH_T_VARCHAR},   {"char", LH_T_CHAR},
    {"tinyint", LH_T_TINYINT},   {"smallint", LH_T_SMALLINT}, {"int", LH_T_INT},
    {"integer", LH_T_INT},       {"bigint", LH_T_BIGINT},     {"float", LH_T_FLOAT},
    {"real", LH_T_FLOAT},        {"double", LH_T_DOUBLE},     {"boolean", LH_T_BOOLEAN},
    {"date", LH_T_DATE},         {"timestamp", LH_T_TIMESTAMP}, {"decimal", LH_T_DECIMAL},
};

static int parse_int(const char **pp, const char *end, int *out)
{
    const char *p = *pp;
    long v = 0;
    while (p < end && isspace((unsigned char)*p))
        p++;
    if (p >= end || !isdigit((unsigned char)*p))
        return -1;
    while (p < end && isdigit((unsigned char)*p)) {
        v = v * 10 + (*p - '0');
        if (v > 100000)
            return -1;
        p++;
    }
    while (p < end && isspace((unsigned char)*p))
        p++;
    *out = (int)v;
    *pp = p;
    return 0;
}

lh_rc lh_type_parse(const char *text, size_t len, lh_type *out, lh_err *err)
{
    const char *p = text, *end = text + len, *w;
    size_t wn, i;
    while (p < end && isspace((unsigned char)*p))
        p++;
    while (end > p && isspace((unsigned char)end[-1]))
        end--;
    w = p;
    while (p < end && (isalnum((unsigned char)*p) || *p == '_'))
        p++;
    wn = (size_t)(p - w);
    memset(out, 0, sizeof *out);
    for (i = 0; i < sizeof g_names / sizeof g_names[0]; i++) {
        if (strlen(g_names[i].name) == wn && strncasecmp(g_names[i].name, w, wn) == 0) {
            out->kind = g_names[i].kind;
            break;
        }
    }
    if (!out->kind) {
        if ((wn == 5 && !strncasecmp(w, "array", 5)) || (wn == 3 && !strncasecmp(w, "map", 3)) ||
            (wn == 6 && !strncasecmp(w, "struct", 6)))
            return lh_errf(err, LH_EUNSUPPORTED, "complex type '%.*s' is not supported; use string to read it as JSON text",
                           (int)(end - text), text);
        return lh_errf(err, LH_EPARSE,
                       "unknown type '%.*s'; expected a Hive type: string, varchar(n), char(n), tinyint, smallint, "
                       "int, bigint, float, double, boolean, date, timestamp, decimal(p,s)",
                       (int)(end - text), text);
    }
    while (p < end && isspace((unsigned char)*p))
        p++;
    if (p < end && *p == '(') {
        p++;
        if (out->kind != LH_T_VARCHAR && out->kind != LH_T_CHAR && out->kind != LH_T_DECIMAL)
            return lh_errf(err, LH_EPARSE, "type '%.*s' takes no parameters", (int)wn, w);
        if (parse_int(&p, end, &out->p))
            return lh_errf(err, LH_EPARSE, "bad parameter in type '%.*s'", (int)(end - text), text);
        if (p < end && *p == ',') {
            p++;
            if (out->kind != LH_T_DECIMAL || parse_int(&p, end, &out->s))
                return lh_errf(err, LH_EPARSE, "bad parameter in type '%.*s'", (int)(end - text), text);
        }
        if (p >= end || *p != ')')
            return lh_errf(err, LH_EPARSE, "missing ')' in type '%.*s'", (int)(end - text), text);
        p++;
    } else if (out->kind == LH_T_VARCHAR || out->kind == LH_T_CHAR) {
        if (out->kind == LH_T_CHAR)
            return lh_errf(err, LH_EPARSE, "type char needs a length: char(n)");
    } else if (out->kind == LH_T_DECIMAL) {
        out->p = 10; /* Hive's default decimal is decimal(10,0) */
        out->s = 0;
    }
    if (p != end)
        return lh_errf(err, LH_EPARSE, "unexpected text after type: '%.*s'", (int)(end - p), p);
    if (out->kind == LH_T_DECIMAL && (out->p < 1 || out->p > 38 || out->s > out->p))
        return lh_errf(err, LH_EPARSE, "decimal(%d,%d): precision must be 1..38 and scale <= precision", out->p, out->s);
    if ((out->kind == LH_T_VARCHAR || out->kind == LH_T_CHAR) && out->p < 1 && p[-1] == ')')
        return lh_errf(err, LH_EPARSE, "length of %.*s must be positive", (int)wn, w);
    return LH_OK;
}

const char *lh_type_name(const lh_type *t, char *buf, size_t bufsz)
{
    const char *n = "?";
    size_t i;
    for (i = 0; i < sizeof g_names / sizeof g_names[0]; i++)
        if (g_names[i].kind == t->kind) {
            n = g_names[i].name;
            break;
        }
    if (t->kind == LH_T_DECIMAL)
        snprintf(buf, bufsz, "decimal(%d,%d)", t->p, t->s);
    else if ((t->kind == LH_T_VARCHAR || t->kind == LH_T_CHAR) && t->p > 0)
        snprintf(buf, bufsz, "%s(%d)", n, t->p);
    else
        snprintf(buf, bufsz, "%s", n);
    return buf;
}

/* ---- decimal(p,s) range and rounding ---- */

#define DEC_EXP_CAP 1000000000LL /* |exponent| beyond this is the same as this */

int lh_decimal_fit(const char *s, size_t n, int p, int sc, double *out)
{
    size_t i = 0, ib, ie, fb, fe, ni, t, z;
    long long ex = 0, e10, k;
    int neg = 0, eneg = 0, carry, len;
    char buf[64];
    if (p < 1 || p > 38 || sc < 0 || sc > p)
        return -1;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    for (ib = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        ;
    ie = fb = fe = i;
    if (i < n && s[i] == '.') {
        for (fb = ++i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            ;
        fe = i;
    }
    if (ie == ib && fe == fb)
        return -1;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t eb;
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        for (eb = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            if (ex < DEC_EXP_CAP)
                ex = ex * 10 + (s[i] - '0');
        if (i == eb)
            return -1;
        if (ex > DEC_EXP_CAP)
            ex = DEC_EXP_CAP;
    }
    if (i != n)
        return -1;
    /* The digits D = integer digits then fraction digits; value = D * 10^e10. */
    ni = ie - ib;
    t = ni + (fe - fb);
#define DEC_DIGIT(j) ((j) < ni ? s[ib + (j)] : s[fb + (j)-ni])
    for (z = 0; z < t && DEC_DIGIT(z) == '0'; z++)
        ;
    *out = 0.0;
    if (z == t)
        return 0; /* zero (Hive's decimal has no -0) */
    e10 = (eneg ? -ex : ex) - (long long)(fe - fb);
    /* k: digits kept at scale sc, counted from the first non-zero digit. */
    k = (long long)(t - z) + e10 + sc;
    if (k > p)
        return 1;
    if (k < 0)
        return 0; /* below half a unit of the last place: rounds to 0 */
    for (len = 0; len < k; len++) {
        size_t j = z + (size_t)len;
        buf[1 + len] = j < t ? DEC_DIGIT(j) : '0';
    }
    carry = z + (size_t)k < t && DEC_DIGIT(z + (size_t)k) >= '5'; /* half away from zero, as Hive's HALF_UP */
#undef DEC_DIGIT
    for (i = (size_t)len; carry && i > 0; i--) {
        if (buf[i] == '9') {
            buf[i] = '0';
        } else {
            buf[i]++;
            carry = 0;
        }
    }
    buf[0] = '1';
    if (carry) { /* 99.995 -> 100.00: one digit more */
        if (len + 1 > p)
            return 1;
        len++;
    }
    if (len == 0)
        return 0;
    /* "[-]K e-sc" -> the double nearest the rounded decimal. */
    {
        char num[96];
        const char *digits = carry ? buf : buf + 1;
        snprintf(num, sizeof num, "%s%.*se-%d", neg ? "-" : "", len, digits, sc);
        *out = strtod(num, NULL);
    }
    return 0;
}

size_t lh_decimal_max_text(int p, int sc, char *buf, size_t bufsz)
{
    size_t o = 0;
    int i;
    if (!bufsz)
        return 0;
    if (p < 1 || p > 38 || sc < 0 || sc > p) {
        buf[0] = 0;
        return 0;
    }
    if (p == sc && o + 1 < bufsz)
        buf[o++] = '0';
    for (i = 0; i < p - sc && o + 1 < bufsz; i++)
        buf[o++] = '9';
    if (sc > 0 && o + 1 < bufsz)
        buf[o++] = '.';
    for (i = 0; i < sc && o + 1 < bufsz; i++)
        buf[o++] = '9';
    buf[o] = 0;
    return o;
}

/* Howard Hinnant's days_from_civil / civil_from_days algorithms. */
int64_t lh_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void lh_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era;
    unsigned doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    *y = (int64_t)yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y += *m <= 2;
}

static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

size_t lh_fmt_timestamp_ms(int64_t ms, char *buf, size_t bufsz)
{
    int64_t days = floordiv(ms, 86400000), y;
    int64_t rem = ms - days * 86400000;
    unsigned m, d;
    int n;
    lh_civil_from_days(days, &y, &m, &d);
    n = snprintf(buf, bufsz, "%04lld-%02u-%02u %02d:%02d:%02d.%03d", (long long)y, m, d, (int)(rem / 3600000),
                 (int)(rem / 60000 % 60), (int)(rem / 1000 % 60), (int)(rem % 1000));
    return n < 0 ? 0 : (size_t)n;
}

size_t lh_fmt_date(int64_t days, char *buf, size_t bufsz)
{
    int64_t y;
    unsigned m, d;
    int n;
    lh_civil_from_days(days, &y, &m, &d);
    n = snprintf(buf, bufsz, "%04lld-%02u-%02u", (long long)y, m, d);
    return n < 0 ? 0 : (size_t)n;
}

static int digits(const char *s, size_t n, size_t at, size_t cnt, int *out)
{
    int v = 0;
    size_t i;
    if (at + cnt > n)
        return -1;
    for (i = 0; i < cnt; i++) {
        if (!isdigit((unsigned char)s[at + i]))
            return -1;
        v = v * 10 + (s[at + i] - '0');
    }
    *out = v;
    return 0;
}

static int parse_ymd(const char *s, size_t n, size_t *pos, int64_t *days)
{
    int y, m, d;
    size_t yl = 0;
    while (yl < n && yl < 6 && isdigit((unsigned char)s[yl]))
        yl++;
    if (yl < 1 || digits(s, n, 0, yl, &y) || yl >= n || s[yl] != '-' || digits(s, n, yl + 1, 2, &m) ||
        yl + 3 >= n || s[yl + 3] != '-' || digits(s, n, yl + 4, 2, &d))
        return -1;
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    {
        static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
            return -1;
    }
    *days = lh_days_from_civil(y, (unsigned)m, (unsigned)d);
    *pos = yl + 6;
    return 0;
}

int lh_parse_date(const char *s, size_t n, int64_t *days)
{
    size_t pos;
    if (parse_ymd(s, n, &pos, days))
        return -1;
    return pos == n ? 0 : -1;
}

int lh_parse_timestamp_ms(const char *s, size_t n, int64_t *ms)
{
    size_t pos;
    int64_t days;
    int hh = 0, mi = 0, ss = 0, frac = 0;
    if (parse_ymd(s, n, &pos, &days))
        return -1;
    if (pos < n && (s[pos] == ' ' || s[pos] == 'T')) {
        if (digits(s, n, pos + 1, 2, &hh) || pos + 3 >= n || s[pos + 3] != ':' || digits(s, n, pos + 4, 2, &mi))
            return -1;
        pos += 6;
        if (pos < n && s[pos] == ':') {
            if (digits(s, n, pos + 1, 2, &ss))
                return -1;
            pos += 3;
            if (pos < n && s[pos] == '.') {
                int k = 0;
                pos++;
                if (pos >= n || !isdigit((unsigned char)s[pos]))
                    return -1;
                while (pos < n && isdigit((unsigned char)s[pos])) {
                    if (k < 3)
                        frac = frac * 10 + (s[pos] - '0');
                    k++;
                    pos++;
                }
                while (k < 3) {
                    frac *= 10;
                    k++;
                }
            }
        }
        if (hh > 23 || mi > 59 || ss > 60)
            return -1;
    }
    if (pos < n && s[pos] == 'Z')
        pos++;
    if (pos != n)
        return -1;
    *ms = days * 86400000 + (int64_t)hh * 3600000 + mi * 60000 + ss * 1000 + frac;
    return 0;
}
