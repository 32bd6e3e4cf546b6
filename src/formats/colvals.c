/* formats/colvals.c — the text of column-batch values as Trino prints
 * them (formats/colvals.h).  Hot for the JSON writer: dates and
 * timestamps of years 0-9999 and decimals are written digit by digit, no
 * printf. */
#include "formats/colvals.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/types.h"

size_t lh_cv_decimal_text(__int128 v, int scale, char *buf)
{
    char d[48];
    unsigned __int128 u = v < 0 ? (unsigned __int128)0 - (unsigned __int128)v : (unsigned __int128)v;
    int n = 0, k = 0, i;
    do { /* digits, least significant first */
        d[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    if (v < 0)
        buf[k++] = '-';
    if (n <= scale)
        buf[k++] = '0';
    else
        for (i = n - 1; i >= scale; i--)
            buf[k++] = d[i];
    if (scale > 0) {
        buf[k++] = '.';
        for (i = scale - 1; i >= 0; i--)
            buf[k++] = i < n ? d[i] : '0';
    }
    buf[k] = 0;
    return (size_t)k;
}

static char *put2(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

/* "YYYY-MM-DD" for years 0..9999; 0 otherwise. */
static size_t ymd(int64_t days, char *buf)
{
    int64_t y;
    unsigned m, d;
    char *p = buf;
    lh_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999)
        return 0;
    p = put2(p, (unsigned)(y / 100));
    p = put2(p, (unsigned)(y % 100));
    *p++ = '-';
    p = put2(p, m);
    *p++ = '-';
    p = put2(p, d);
    *p = 0;
    return (size_t)(p - buf);
}

size_t lh_cv_date_text(int32_t days, char *buf)
{
    int64_t y;
    unsigned m, d;
    int r;
    size_t k = ymd(days, buf);
    if (k)
        return k;
    lh_civil_from_days(days, &y, &m, &d);
    if (y < 0)
        r = snprintf(buf, LH_CV_TEXT_MAX, "-%04lld-%02u-%02u", (long long)-y, m, d);
    else
        r = snprintf(buf, LH_CV_TEXT_MAX, "%04lld-%02u-%02u", (long long)y, m, d);
    return r < 0 ? 0 : (size_t)r;
}

size_t lh_cv_timestamp_ms_text(int64_t ms, char *buf)
{
    int64_t days = ms / 86400000, rem;
    unsigned r;
    size_t k;
    char *p;
    if (ms % 86400000 < 0)
        days--;
    rem = ms - days * 86400000;
    k = ymd(days, buf);
    if (!k)
        return lh_fmt_timestamp_ms(ms, buf, LH_CV_TEXT_MAX);
    p = buf + k;
    r = (unsigned)rem;
    *p++ = ' ';
    p = put2(p, r / 3600000);
    *p++ = ':';
    p = put2(p, r / 60000 % 60);
    *p++ = ':';
    p = put2(p, r / 1000 % 60);
    *p++ = '.';
    *p++ = (char)('0' + r % 1000 / 100);
    p = put2(p, r % 100);
    *p = 0;
    return (size_t)(p - buf);
}

/* Shortest significant digits that read back as the float f (finite,
 * non-zero): into dig (no dot), count returned, *exp10 the decimal
 * exponent of the first digit.  The same search as the engine's real
 * printing (exec/kernels_cast.c), so the digits agree. */
static int float_digits(double d, char *dig, int *exp10)
{
    char tmp[40];
    int prec, n = 0;
    const char *p;
    for (prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
        if ((float)strtod(tmp, NULL) == (float)d)
            break;
    }
    p = tmp;
    if (*p == '-')
        p++;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            dig[n++] = *p;
    *exp10 = *p == 'e' ? atoi(p + 1) : 0;
    while (n > 1 && dig[n - 1] == '0')
        n--;
    dig[n] = 0;
    return n;
}

size_t lh_cv_real_text(float f, char *buf)
{
    char dig[24];
    double d = (double)f, a = fabs(d);
    int e, n, k = 0, i;
    if (isnan(d))
        return (size_t)sprintf(buf, "NaN");
    if (isinf(d))
        return (size_t)sprintf(buf, d > 0 ? "Infinity" : "-Infinity");
    if (d == 0)
        return (size_t)sprintf(buf, signbit(d) ? "-0.0" : "0.0");
    n = float_digits(d, dig, &e);
    if (d < 0)
        buf[k++] = '-';
    if (a < 1e-3 || a >= 1e7) { /* computerized scientific notation: 1.0E10 */
        buf[k++] = dig[0];
        buf[k++] = '.';
        if (n == 1)
            buf[k++] = '0';
        for (i = 1; i < n; i++)
            buf[k++] = dig[i];
        k += sprintf(buf + k, "E%d", e);
        return (size_t)k;
    }
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
