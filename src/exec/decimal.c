/* exec/decimal.c — 128-bit exact decimals with Trino's semantics.
 *
 * Division and modulo may need a 256-bit intermediate (a decimal(38,0)
 * divided by a decimal(38,38) rescales the dividend by 10^38); those go
 * through a small unsigned 256-bit helper, the common case stays native.
 */
#include "exec/decimal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 10^0 .. 10^38 as constant expressions: no initialisation at run time, so
 * no race between threads (TSan-clean). */
#define E19 ((lh_i128)10000000000000000000ULL)
static const lh_i128 g_pow10[39] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL, 1000000000ULL,
    10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL, 100000000000000ULL,
    1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL, 1000000000000000000ULL, E19,
    E19 * 10ULL, E19 * 100ULL, E19 * 1000ULL, E19 * 10000ULL, E19 * 100000ULL, E19 * 1000000ULL,
    E19 * 10000000ULL, E19 * 100000000ULL, E19 * 1000000000ULL, E19 * 10000000000ULL, E19 * 100000000000ULL,
    E19 * 1000000000000ULL, E19 * 10000000000000ULL, E19 * 100000000000000ULL, E19 * 1000000000000000ULL,
    E19 * 10000000000000000ULL, E19 * 100000000000000000ULL, E19 * 1000000000000000000ULL, E19 * E19,
};
#undef E19

lh_i128 lh_dec_pow10(int n)
{
    return g_pow10[n < 0 ? 0 : n > 38 ? 38 : n];
}

static lh_u128 uabs(lh_i128 v)
{
    return v < 0 ? (lh_u128)0 - (lh_u128)v : (lh_u128)v;
}

int lh_dec_fits(lh_i128 v, int p)
{
    return uabs(v) < (lh_u128)lh_dec_pow10(p);
}

static lh_rc overflow(lh_err *err)
{
    return lh_errf(err, LH_EDATA, "Decimal overflow");
}

static lh_rc divzero(lh_err *err)
{
    return lh_errf(err, LH_EDATA, "Division by zero");
}

/* ---- unsigned 256-bit helper (cold path) ---- */

typedef struct u256 {
    lh_u128 hi, lo;
} u256;

static u256 mul128(lh_u128 a, lh_u128 b)
{
    uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64), b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
    lh_u128 p00 = (lh_u128)a0 * b0, p01 = (lh_u128)a0 * b1, p10 = (lh_u128)a1 * b0, p11 = (lh_u128)a1 * b1;
    lh_u128 mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10;
    u256 r;
    r.lo = (mid << 64) | (uint64_t)p00;
    r.hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    return r;
}

static int cmp256(u256 a, u256 b)
{
    if (a.hi != b.hi)
        return a.hi < b.hi ? -1 : 1;
    return a.lo < b.lo ? -1 : a.lo > b.lo;
}

static u256 sub256(u256 a, u256 b)
{
    u256 r;
    r.lo = a.lo - b.lo;
    r.hi = a.hi - b.hi - (a.lo < b.lo);
    return r;
}

static u256 shl1(u256 a)
{
    u256 r;
    r.hi = (a.hi << 1) | (a.lo >> 127);
    r.lo = a.lo << 1;
    return r;
}

/* n = q*d + r, d != 0. */
static void divmod256(u256 n, u256 d, u256 *q, u256 *r)
{
    u256 qq = {0, 0}, rr = {0, 0};
    int i;
    if (n.hi == 0 && d.hi == 0) {
        q->hi = 0;
        q->lo = n.lo / d.lo;
        r->hi = 0;
        r->lo = n.lo % d.lo;
        return;
    }
    for (i = 255; i >= 0; i--) {
        lh_u128 bit = i >= 128 ? (n.hi >> (i - 128)) & 1 : (n.lo >> i) & 1;
        rr = shl1(rr);
        rr.lo |= bit;
        if (cmp256(rr, d) >= 0) {
            rr = sub256(rr, d);
            if (i >= 128)
                qq.hi |= (lh_u128)1 << (i - 128);
            else
                qq.lo |= (lh_u128)1 << i;
        }
    }
    *q = qq;
    *r = rr;
}

/* ---- literals ---- */

lh_rc lh_dec_parse_literal(const char *s, size_t n, lh_i128 *v, int *p, int *scale, lh_err *err)
{
    size_t i = 0;
    int neg = 0, intd = 0, fracd = 0, any_int = 0, any_frac = 0, dot = 0;
    lh_u128 acc = 0;
    char prev = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    for (; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (dot) {
                fracd++;
                any_frac = 1;
            } else {
                any_int = 1;
                if (intd == 0 && c == '0') {
                    prev = c;
                    continue; /* leading zero: not part of the precision */
                }
                intd++;
            }
            if (intd + fracd > 38) {
                /* keep scanning for syntax, but the value cannot be kept */
                prev = c;
                continue;
            }
            acc = acc * 10 + (lh_u128)(c - '0');
        } else if (c == '_' && prev >= '0' && prev <= '9' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9') {
            /* digit separator */
        } else if (c == '.' && !dot) {
            dot = 1;
        } else {
            return lh_errf(err, LH_EPARSE, "Invalid DECIMAL value '%.*s'", (int)n, s);
        }
        prev = c;
    }
    if (!any_int && !any_frac)
        return lh_errf(err, LH_EPARSE, "Invalid DECIMAL value '%.*s'", (int)n, s);
    if (intd + fracd > 38)
        return lh_errf(err, LH_EDATA, "Value exceeds maximum precision");
    *v = neg ? -(lh_i128)acc : (lh_i128)acc;
    *p = intd + fracd == 0 ? 1 : intd + fracd;
    *scale = fracd;
    return LH_OK;
}

/* ---- types ---- */

static int imax(int a, int b)
{
    return a > b ? a : b;
}
static int imin(int a, int b)
{
    return a < b ? a : b;
}

lh_rc lh_dec_result_type(lh_decop op, int p1, int s1, int p2, int s2, int *p, int *s, lh_err *err)
{
    switch (op) {
    case LH_DEC_ADD:
    case LH_DEC_SUB:
        *p = imin(38, 1 + imax(p1 - s1, p2 - s2) + imax(s1, s2));
        *s = imax(s1, s2);
        break;
    case LH_DEC_MUL:
        *p = imin(38, p1 + p2);
        *s = s1 + s2;
        if (*s > 38)
            return lh_errf(err, LH_EINVAL, "DECIMAL scale must be in range [0, 38]: %d", *s);
        break;
    case LH_DEC_DIV:
        *p = imin(38, p1 + s2 + imax(s2 - s1, 0));
        *s = imax(s1, s2);
        break;
    case LH_DEC_MOD:
        *p = imin(p2 - s2, p1 - s1) + imax(s1, s2);
        *s = imax(s1, s2);
        break;
    default:
        return lh_errf(err, LH_EINTERNAL, "bad decimal operator %d", (int)op);
    }
    return LH_OK;
}

void lh_dec_sum_type(int p, int s, int *rp, int *rs)
{
    (void)p;
    *rp = 38;
    *rs = s;
}

void lh_dec_avg_type(int p, int s, int *rp, int *rs)
{
    *rp = p;
    *rs = s;
}

/* ---- arithmetic ---- */

static int too_big(lh_i128 v)
{
    return uabs(v) >= (lh_u128)lh_dec_pow10(38);
}

/* v * 10^k with overflow detection (beyond |10^38|). */
static int scale_up(lh_i128 v, int k, lh_i128 *out)
{
    lh_i128 r;
    if (k == 0) {
        *out = v;
        return too_big(v);
    }
    if (k > 38)
        return v != 0 ? 1 : (*out = 0, 0);
    if (__builtin_mul_overflow(v, lh_dec_pow10(k), &r) || too_big(r))
        return 1;
    *out = r;
    return 0;
}

lh_rc lh_dec_add(lh_i128 a, int s1, lh_i128 b, int s2, lh_i128 *out, lh_err *err)
{
    lh_i128 x, y, r;
    if (scale_up(a, imax(0, s2 - s1), &x) || scale_up(b, imax(0, s1 - s2), &y))
        return overflow(err);
    if (__builtin_add_overflow(x, y, &r) || too_big(r))
        return overflow(err);
    *out = r;
    return LH_OK;
}

lh_rc lh_dec_sub(lh_i128 a, int s1, lh_i128 b, int s2, lh_i128 *out, lh_err *err)
{
    return lh_dec_add(a, s1, -b, s2, out, err);
}

lh_rc lh_dec_mul(lh_i128 a, int s1, lh_i128 b, int s2, lh_i128 *out, lh_err *err)
{
    lh_i128 r;
    (void)s1;
    (void)s2;
    if (__builtin_mul_overflow(a, b, &r) || too_big(r))
        return overflow(err);
    *out = r;
    return LH_OK;
}

lh_rc lh_dec_neg(lh_i128 a, lh_i128 *out, lh_err *err)
{
    (void)err;
    *out = -a; /* |a| < 10^38, never overflows */
    return LH_OK;
}

lh_rc lh_dec_div(lh_i128 a, int s1, lh_i128 b, int s2, int rs, lh_i128 *out, lh_err *err)
{
    int rf = rs - s1 + s2, neg, k;
    lh_u128 ua, ub;
    u256 n, q, r, d;
    if (b == 0)
        return divzero(err);
    if (a == 0) {
        *out = 0;
        return LH_OK;
    }
    if (rf < 0 || rf > 76)
        return lh_errf(err, LH_EINTERNAL, "decimal division rescale %d out of range", rf);
    neg = (a < 0) != (b < 0);
    ua = uabs(a);
    ub = uabs(b);
    d.hi = 0;
    d.lo = ub;
    /* |a| * 10^rf can need 4 * 64 + bits (rf up to 76): divide in chunks of
     * at most 10^38, carrying the remainder (< |b|), so every intermediate
     * fits 256 bits; the quotient only grows, so overflow shows early. */
    k = rf < 38 ? rf : 38;
    n = mul128(ua, (lh_u128)lh_dec_pow10(k));
    divmod256(n, d, &q, &r);
    for (rf -= k; rf > 0; rf -= k) {
        u256 qk, qq, rr;
        k = rf < 38 ? rf : 38;
        if (q.hi != 0 || q.lo >= (lh_u128)lh_dec_pow10(38))
            return overflow(err);
        qk = mul128(q.lo, (lh_u128)lh_dec_pow10(k));
        divmod256(mul128(r.lo, (lh_u128)lh_dec_pow10(k)), d, &qq, &rr);
        q.lo = qk.lo + qq.lo;
        q.hi = qk.hi + qq.hi + (q.lo < qk.lo);
        r = rr;
    }
    /* HALF_UP: round away from zero when 2r >= |b| */
    if (cmp256(shl1(r), d) >= 0) {
        q.lo++;
        if (q.lo == 0)
            q.hi++;
    }
    if (q.hi != 0 || q.lo >= (lh_u128)lh_dec_pow10(38))
        return overflow(err);
    *out = neg ? -(lh_i128)q.lo : (lh_i128)q.lo;
    return LH_OK;
}

lh_rc lh_dec_mod(lh_i128 a, int s1, lh_i128 b, int s2, lh_i128 *out, lh_err *err)
{
    int ra = imax(0, s2 - s1), rb = imax(0, s1 - s2);
    u256 x, y, q, r;
    if (b == 0)
        return divzero(err);
    x = mul128(uabs(a), (lh_u128)lh_dec_pow10(ra));
    y = mul128(uabs(b), (lh_u128)lh_dec_pow10(rb));
    divmod256(x, y, &q, &r);
    if (r.hi != 0 || r.lo >= (lh_u128)lh_dec_pow10(38))
        return overflow(err);
    *out = a < 0 ? -(lh_i128)r.lo : (lh_i128)r.lo; /* sign of the dividend */
    return LH_OK;
}

int lh_dec_cmp(lh_i128 a, int s1, lh_i128 b, int s2)
{
    /* Compare a*10^(s2-s1) with b exactly, in 256 bits when needed. */
    int na = a < 0, nb = b < 0, c;
    u256 x, y;
    if (na != nb)
        return na ? -1 : 1;
    x = mul128(uabs(a), (lh_u128)lh_dec_pow10(imax(0, s2 - s1)));
    y = mul128(uabs(b), (lh_u128)lh_dec_pow10(imax(0, s1 - s2)));
    c = cmp256(x, y);
    return na ? -c : c;
}

/* Divide by 10^k rounding HALF_UP (k >= 1). */
static lh_i128 round_down(lh_i128 v, int k)
{
    lh_u128 u = uabs(v), d, q, r;
    if (k > 38)
        return 0;
    d = (lh_u128)lh_dec_pow10(k);
    q = u / d;
    r = u % d;
    if (r >= d - r) /* 2r >= d without overflow */
        q++;
    return v < 0 ? -(lh_i128)q : (lh_i128)q;
}

lh_rc lh_dec_rescale(lh_i128 v, int fs, int ts, lh_i128 *out, lh_err *err)
{
    if (ts >= fs) {
        if (scale_up(v, ts - fs, out))
            return overflow(err);
        return LH_OK;
    }
    *out = round_down(v, fs - ts);
    return LH_OK;
}

lh_rc lh_dec_cast(lh_i128 v, int fp, int fs, int tp, int ts, lh_i128 *out, lh_err *err)
{
    lh_i128 r;
    if ((ts >= fs && scale_up(v, ts - fs, &r)) || (ts < fs && (r = round_down(v, fs - ts), 0)) || !lh_dec_fits(r, tp)) {
        char b[LH_DEC_FMT_MAX];
        lh_dec_format(v, fs, b);
        return lh_errf(err, LH_EDATA, "Cannot cast DECIMAL(%d, %d) '%s' to DECIMAL(%d, %d)", fp, fs, b, tp, ts);
    }
    *out = r;
    return LH_OK;
}

/* ---- formatting ---- */

static int u128_digits(lh_u128 u, char *d) /* writes digits, returns count; "0" for zero */
{
    char tmp[48];
    int n = 0, i;
    do {
        tmp[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    for (i = 0; i < n; i++)
        d[i] = tmp[n - 1 - i];
    return n;
}

size_t lh_dec_format(lh_i128 v, int s, char *buf)
{
    char d[48];
    int n = u128_digits(uabs(v), d), k = 0, i;
    if (v < 0)
        buf[k++] = '-';
    if (n <= s) {
        buf[k++] = '0';
    } else {
        memcpy(buf + k, d, (size_t)(n - s));
        k += n - s;
    }
    if (s > 0) {
        buf[k++] = '.';
        for (i = n; i < s; i++)
            buf[k++] = '0';
        if (n <= s) {
            memcpy(buf + k, d, (size_t)n);
            k += n;
        } else {
            memcpy(buf + k, d + n - s, (size_t)s);
            k += s;
        }
    }
    buf[k] = 0;
    return (size_t)k;
}

/* ---- casts ---- */

static const char *int_name(lh_sqltype_id id)
{
    switch (id) {
    case LH_SQL_TINYINT:
        return "TINYINT";
    case LH_SQL_SMALLINT:
        return "SMALLINT";
    case LH_SQL_INTEGER:
        return "INTEGER";
    default:
        return "BIGINT";
    }
}

lh_rc lh_dec_from_int(int64_t x, lh_sqltype_id src, int p, int s, lh_i128 *out, lh_err *err)
{
    lh_i128 r;
    if (scale_up((lh_i128)x, s, &r) || !lh_dec_fits(r, p))
        return lh_errf(err, LH_EDATA, "Cannot cast %s '%lld' to DECIMAL(%d, %d)", int_name(src), (long long)x, p, s);
    *out = r;
    return LH_OK;
}

lh_rc lh_dec_to_int(lh_i128 v, int p, int s, lh_sqltype_id dst, int64_t *out, lh_err *err)
{
    lh_i128 r = s > 0 ? round_down(v, s) : v, lo, hi;
    switch (dst) {
    case LH_SQL_TINYINT:
        lo = INT8_MIN, hi = INT8_MAX;
        break;
    case LH_SQL_SMALLINT:
        lo = INT16_MIN, hi = INT16_MAX;
        break;
    case LH_SQL_INTEGER:
        lo = INT32_MIN, hi = INT32_MAX;
        break;
    default:
        lo = INT64_MIN, hi = INT64_MAX;
        break;
    }
    if (r < lo || r > hi) {
        char b[LH_DEC_FMT_MAX];
        if (p <= 18)
            lh_dec_format(r, 0, b);
        else
            lh_dec_format(v, s, b);
        return lh_errf(err, LH_EDATA, "Cannot cast '%s' to %s", b, int_name(dst));
    }
    *out = (int64_t)r;
    return LH_OK;
}

double lh_dec_to_double(lh_i128 v, int s)
{
    char b[LH_DEC_FMT_MAX];
    lh_u128 u = uabs(v);
    if (u < ((lh_u128)1 << 53) && s <= 22) {
        static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                     1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        return (double)v / p10[s]; /* both exact: one correctly rounded division */
    }
    lh_dec_format(v, s, b);
    return strtod(b, NULL);
}

/* Parse Java BigDecimal text into significant digits and a scale, then set
 * the scale to s with HALF_UP.  Returns 0 ok, 1 not a number, 2 too large. */
static int bigdec_to_scale(const char *str, size_t n, int p, int s, lh_i128 *out)
{
    size_t i = 0;
    int neg = 0, ndig = 0, fracd = 0, dot = 0, any = 0, round_digit = -1;
    long exp = 0;
    char dig[80];
    long total = 0; /* significant digits seen (may exceed the buffer) */
    lh_i128 acc = 0;
    long sc, keep, k;
    if (i < n && (str[i] == '+' || str[i] == '-'))
        neg = str[i++] == '-';
    for (; i < n; i++) {
        char c = str[i];
        if (c >= '0' && c <= '9') {
            any = 1;
            if (dot)
                fracd++;
            if (total == 0 && c == '0')
                continue; /* leading zeros carry no value */
            if (ndig < (int)sizeof dig)
                dig[ndig++] = c;
            total++;
        } else if (c == '.' && !dot)
            dot = 1;
        else
            break;
    }
    if (!any)
        return 1;
    if (i < n) {
        int eneg = 0, edig = 0;
        if (str[i] != 'e' && str[i] != 'E')
            return 1;
        i++;
        if (i < n && (str[i] == '+' || str[i] == '-'))
            eneg = str[i++] == '-';
        for (; i < n; i++) {
            if (str[i] < '0' || str[i] > '9')
                return 1;
            if (exp < 100000000L)
                exp = exp * 10 + (str[i] - '0');
            edig = 1;
        }
        if (!edig)
            return 1;
        if (eneg)
            exp = -exp;
    }
    if (total == 0) {
        *out = 0;
        return 0;
    }
    /* Digits past the buffer (80) are never needed: either all digits are
     * kept (then total > p is too large anyway) or at most 38 are kept and
     * only the first dropped one decides HALF_UP. */
    /* value = digits * 10^-(sc), sc = fracd - exp (trailing digits counted) */
    sc = (long)fracd - exp;
    keep = total - (sc - s); /* digits that stay after rescaling to s */
    if (sc <= s) {
        if (total + (s - sc) > p)
            return 2;
        for (k = 0; k < total; k++)
            acc = acc * 10 + (dig[k] - '0');
        acc *= lh_dec_pow10((int)(s - sc));
    } else {
        if (keep > 38)
            return 2;
        for (k = 0; k < keep && k < total; k++)
            acc = acc * 10 + (dig[k] - '0');
        if (keep >= 0 && keep < total)
            round_digit = dig[keep] - '0';
        if (round_digit >= 5)
            acc++;
        if (!lh_dec_fits(acc, p))
            return 2;
    }
    *out = neg ? -acc : acc;
    return 0;
}

lh_rc lh_dec_from_varchar(const char *str, size_t n, int p, int s, lh_i128 *out, lh_err *err)
{
    int r = bigdec_to_scale(str, n, p, s, out);
    if (r == 1)
        return lh_errf(err, LH_EDATA, "Cannot cast VARCHAR '%.*s' to DECIMAL(%d, %d). Value is not a number.", (int)n,
                       str, p, s);
    if (r == 2)
        return lh_errf(err, LH_EDATA, "Cannot cast VARCHAR '%.*s' to DECIMAL(%d, %d). Value too large.", (int)n, str,
                       p, s);
    return LH_OK;
}

/* Shortest "%.Ne" text that reads back as d (Java's Double.toString digits). */
static void shortest(double d, int is_float, char *buf, size_t bufsz)
{
    int prec;
    for (prec = 1; prec <= 17; prec++) {
        snprintf(buf, bufsz, "%.*e", prec - 1, d);
        if (is_float ? strtof(buf, NULL) == (float)d : strtod(buf, NULL) == d)
            return;
    }
}

/* Java's Double.toString layout for messages: "123.45", "1.0E20", "1.0E-5", "NaN". */
static void java_double(double d, int is_float, char *out, size_t outsz)
{
    char e[64], digits[32];
    int nd = 0, ex, i;
    const char *q;
    if (isnan(d)) {
        snprintf(out, outsz, "NaN");
        return;
    }
    if (isinf(d)) {
        snprintf(out, outsz, "%sInfinity", d < 0 ? "-" : "");
        return;
    }
    if (d == 0) {
        snprintf(out, outsz, "%s0.0", signbit(d) ? "-" : "");
        return;
    }
    shortest(d, is_float, e, sizeof e);
    for (q = e; *q && *q != 'e'; q++)
        if (*q >= '0' && *q <= '9')
            digits[nd++] = *q;
    ex = atoi(q + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = 0;
    {
        char t[96];
        size_t k = 0;
        if (d < 0)
            t[k++] = '-';
        if (fabs(d) >= 1e-3 && fabs(d) < 1e7) {
            if (ex < 0) {
                t[k++] = '0';
                t[k++] = '.';
                for (i = 0; i < -ex - 1; i++)
                    t[k++] = '0';
                for (i = 0; i < nd; i++)
                    t[k++] = digits[i];
            } else {
                for (i = 0; i <= ex; i++)
                    t[k++] = i < nd ? digits[i] : '0';
                t[k++] = '.';
                if (nd > ex + 1)
                    for (i = ex + 1; i < nd; i++)
                        t[k++] = digits[i];
                else
                    t[k++] = '0';
            }
            t[k] = 0;
        } else {
            t[k++] = digits[0];
            t[k++] = '.';
            if (nd > 1)
                for (i = 1; i < nd; i++)
                    t[k++] = digits[i];
            else
                t[k++] = '0';
            snprintf(t + k, sizeof t - k, "E%d", ex);
        }
        snprintf(out, outsz, "%s", t);
    }
}

static lh_rc from_binary(double d, int is_float, int p, int s, lh_i128 *out, lh_err *err)
{
    char b[64] = "";
    int bad = !isfinite(d);
    if (!bad) {
        shortest(d, is_float, b, sizeof b);
        bad = bigdec_to_scale(b, strlen(b), p, s, out) != 0;
    }
    if (bad) {
        char j[96];
        java_double(d, is_float, j, sizeof j);
        return lh_errf(err, LH_EDATA, "Cannot cast %s '%s' to DECIMAL(%d, %d)", is_float ? "REAL" : "DOUBLE", j, p, s);
    }
    return LH_OK;
}

lh_rc lh_dec_from_double(double d, int p, int s, lh_i128 *out, lh_err *err)
{
    return from_binary(d, 0, p, s, out, err);
}

lh_rc lh_dec_from_real(float f, int p, int s, lh_i128 *out, lh_err *err)
{
    return from_binary((double)f, 1, p, s, out, err);
}
