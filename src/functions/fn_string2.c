/* functions/fn_string2.c — more of Trino's string functions (functions/
 * string.md, StringFunctions), listed in lh_fns_string2[]:
 *
 *   overlay(s PLACING r FROM start [FOR len])  code points; the parser makes it overlay(s, r, start[, len])
 *   translate(s, from, to)      code point by code point; the first occurrence in `from`
 *                               wins; an index past the end of `to` deletes the character
 *   concat_ws(sep, s1, ...)     NULL when sep is NULL; NULL strings are skipped
 *   ends_with(s, suffix)        boolean
 *   hamming_distance(a, b)      code points; "The input strings to hamming_distance function
 *                               must have the same length"
 *   soundex(s)                  Apache commons-codec's US English soundex (letters only,
 *                               H and W do not separate equal codes; "" for no letter);
 *                               a letter outside A-Z is "The character is not mapped: x"
 *   luhn_check(s)               false for an empty string or any non-digit
 *   title_case(s)               first letter of each word upper, the rest lower; words are
 *                               runs of letters and digits (non-ASCII: a code point with a
 *                               case mapping counts as a letter; other non-ASCII delimit)
 *   format_number(x)            FormatNumberFunction: K M B T Q units, 3 significant digits
 *                               (HALF_UP), a double is truncated to a long first
 *   from_utf8(b, replace)       replace: one character or empty (varchar), or a code point
 *                               (bigint); "Replacement character string must empty or a
 *                               single character" / "Invalid replacement character"
 * NULL in, NULL out (except concat_ws's strings).  Results over 12 bytes
 * are written into the call's arena; no state.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "functions/fn_casetab.h"
#include "functions/fn_strutil.h"
#include "functions/scalar.h"

static int cp_is_cased(int32_t c);

/* ---- translate ---- */

static lh_rc f_translate(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *s, *f, *t;
        const char *sp, *fp, *tp;
        size_t sn, fn, tn, j, m;
        obuf b;
        char *d;
        int pass;
        if (args_null(a, 3, row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row), f = sarg(a[1], row), t = sarg(a[2], row);
        sp = lh_str_ptr(s), sn = lh_str_len(s);
        fp = lh_str_ptr(f), fn = lh_str_len(f);
        tp = lh_str_ptr(t), tn = lh_str_len(t);
        d = NULL;
        /* pass 0 measures, pass 1 writes */
        for (pass = 0; pass < 2; pass++) {
            m = 0;
            for (j = 0; j < sn;) {
                size_t l = u8_step(sp + j, sn - j), k, idx = 0, tk;
                const char *rep = sp + j;
                size_t rl = l;
                for (k = 0; k < fn; idx++) {
                    size_t fl = u8_step(fp + k, fn - k);
                    if (fl == l && !memcmp(fp + k, sp + j, l))
                        break;
                    k += fl;
                }
                if (k < fn) { /* found at index idx: the idx-th code point of to, or nothing */
                    tk = u8_offset(tp, tn, 0, idx);
                    if (tk == SIZE_MAX || tk >= tn)
                        rl = 0;
                    else
                        rep = tp + tk, rl = u8_step(tp + tk, tn - tk);
                }
                if (pass && rl)
                    memcpy(d + m, rep, rl);
                m += rl;
                j += l;
            }
            if (!pass && !(d = out_begin(c, &b, m, err)))
                return err ? err->code : LH_ENOMEM;
        }
        out_end(out, row, &b);
    }
    return LH_OK;
}

/* ---- concat_ws ---- */

static lh_rc f_concat_ws(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *sep;
        size_t m = 0, k, sn;
        int first = 1;
        obuf b;
        char *d;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        sep = sarg(a[0], row);
        sn = lh_str_len(sep);
        for (k = 1; k < c->nargs; k++)
            if (!arg_null(a[k], row)) {
                m += (first ? 0 : sn) + lh_str_len(sarg(a[k], row));
                first = 0;
            }
        if (!(d = out_begin(c, &b, m, err)))
            return err ? err->code : LH_ENOMEM;
        m = 0, first = 1;
        for (k = 1; k < c->nargs; k++)
            if (!arg_null(a[k], row)) {
                const lh_str *s = sarg(a[k], row);
                if (!first && sn)
                    memcpy(d + m, lh_str_ptr(sep), sn), m += sn;
                if (lh_str_len(s))
                    memcpy(d + m, lh_str_ptr(s), lh_str_len(s));
                m += lh_str_len(s);
                first = 0;
            }
        out_end(out, row, &b);
    }
    return LH_OK;
}

/* ---- ends_with, hamming_distance, luhn_check ---- */

static lh_rc f_ends_with(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    (void)c, (void)err;
    FN_ROWS(rows, i, row)
    {
        const lh_str *s, *f;
        size_t n, fn;
        if (args_null(a, 2, row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row), f = sarg(a[1], row);
        n = lh_str_len(s), fn = lh_str_len(f);
        out_bool(out, row, n >= fn && memcmp(lh_str_ptr(s) + n - fn, lh_str_ptr(f), fn) == 0);
    }
    return LH_OK;
}

static lh_rc f_hamming(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    (void)c;
    FN_ROWS(rows, i, row)
    {
        const lh_str *x, *y;
        const char *p, *q;
        size_t pn, qn, j = 0, k = 0;
        int64_t dist = 0;
        if (args_null(a, 2, row)) {
            out_null(out, row);
            continue;
        }
        x = sarg(a[0], row), y = sarg(a[1], row);
        p = lh_str_ptr(x), pn = lh_str_len(x), q = lh_str_ptr(y), qn = lh_str_len(y);
        while (j < pn && k < qn) {
            size_t l1 = u8_step(p + j, pn - j), l2 = u8_step(q + k, qn - k);
            dist += l1 != l2 || memcmp(p + j, q + k, l1) != 0;
            j += l1, k += l2;
        }
        if (j < pn || k < qn)
            return lh_errf(err, LH_EINVAL, "The input strings to hamming_distance function must have the same length");
        out_i64(out, row, dist);
    }
    return LH_OK;
}

static lh_rc f_luhn(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    (void)c, (void)err;
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        const char *p;
        size_t n, k;
        int sum = 0, ok = 1;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        p = lh_str_ptr(s), n = lh_str_len(s);
        if (n == 0)
            ok = 0;
        for (k = 0; k < n && ok; k++) {
            int dg = p[n - 1 - k] - '0';
            if (dg < 0 || dg > 9) {
                ok = 0;
                break;
            }
            if (k & 1) {
                dg *= 2;
                if (dg > 9)
                    dg -= 9;
            }
            sum += dg;
        }
        out_bool(out, row, ok && sum % 10 == 0);
    }
    return LH_OK;
}

/* ---- soundex ---- */

static lh_rc f_soundex(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    static const char MAP[] = "01230120022455012623010202";
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        const char *p;
        size_t n, j;
        char o[4] = {'0', '0', '0', '0'}, last = 0;
        int cnt = 0;
        lh_rc rc;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        p = lh_str_ptr(s), n = lh_str_len(s);
        for (j = 0; j < n && cnt < 4;) {
            int32_t cp;
            size_t l = u8_decode(p + j, n - j, &cp);
            char ch, dg;
            j += l;
            if (cp >= 'a' && cp <= 'z')
                cp -= 32;
            if (cp >= 0x80) {
                /* a non-ASCII letter has no soundex code (commons-codec refuses it) */
                int letter = cp_is_cased(cp);
                if (letter) {
                    char m[8];
                    return lh_errf(err, LH_EINVAL, "The character is not mapped: %s",
                                   u8_for_msg(p + j - l, l, m, sizeof m));
                }
                continue;
            }
            if (cp < 'A' || cp > 'Z')
                continue;
            ch = (char)cp;
            dg = MAP[ch - 'A'];
            if (cnt == 0) {
                o[cnt++] = ch;
                last = dg;
                continue;
            }
            if (ch == 'H' || ch == 'W')
                continue;
            if (dg != '0' && dg != last)
                o[cnt++] = dg;
            last = dg;
        }
        if ((rc = put_str(c, out, row, o, cnt ? 4 : 0, err)))
            return rc;
    }
    return LH_OK;
}

/* ---- title_case ---- */

static int32_t run_map(const crun *t, size_t n, int32_t c)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid].first <= c)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return c;
    t += lo - 1;
    return c <= t->last && (c - t->first) % t->step == 0 ? c + t->delta : c;
}
static int32_t to_low(int32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    return run_map(LOWER_RUNS, sizeof LOWER_RUNS / sizeof LOWER_RUNS[0], c);
}
static int32_t to_up(int32_t c)
{
    if (c < 0x80)
        return c >= 'a' && c <= 'z' ? c - 32 : c;
    return run_map(UPPER_RUNS, sizeof UPPER_RUNS / sizeof UPPER_RUNS[0], c);
}
static int cp_is_cased(int32_t c) { return to_low(c) != c || to_up(c) != c; }
static int cp_alnum(int32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return cp_is_cased(c);
}

static lh_rc f_title_case(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        const char *p;
        size_t n, j, m = 0;
        int pass, inword;
        obuf b;
        char *d = NULL;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        p = lh_str_ptr(s), n = lh_str_len(s);
        for (pass = 0; pass < 2; pass++) {
            m = 0, inword = 0;
            for (j = 0; j < n;) {
                int32_t cp, o;
                size_t l = u8_decode(p + j, n - j, &cp);
                if (cp < 0) { /* invalid byte: copied, ends a word */
                    if (pass)
                        d[m] = p[j];
                    m++, j++, inword = 0;
                    continue;
                }
                o = cp_alnum(cp) ? (inword ? to_low(cp) : to_up(cp)) : cp;
                inword = cp_alnum(cp);
                if (pass)
                    u8_encode(o, d + m);
                m += u8_width(o);
                j += l;
            }
            if (!pass && !(d = out_begin(c, &b, m, err)))
                return err ? err->code : LH_ENOMEM;
        }
        out_end(out, row, &b);
    }
    return LH_OK;
}

/* ---- format_number ---- */

/* v (|v| < 10^19) rounded HALF_UP at `dec` decimals on its exact binary
 * value, without trailing zeros (DecimalFormat "#.##", "#.#", "#"). */
static size_t fmt_halfup(double v, int dec, char *o, size_t cap)
{
    char buf[400], *dot, *e;
    int neg = v < 0, k;
    size_t n, w = 0;
    snprintf(buf, sizeof buf, "%.40f", fabs(v));
    dot = strchr(buf, '.');
    e = dot + 1 + dec; /* first dropped digit */
    if (*e >= '5') {   /* carry into the kept digits */
        char *q = e - 1;
        for (;;) {
            if (q == dot)
                q--;
            if (q < buf) {
                memmove(buf + 1, buf, strlen(buf) + 1);
                buf[0] = '1';
                dot++, e++;
                break;
            }
            if (*q == '9') {
                *q-- = '0';
                continue;
            }
            (*q)++;
            break;
        }
    }
    *e = 0;
    n = strlen(buf);
    while (n > 0 && buf[n - 1] == '0' && buf + n - 1 > dot)
        buf[--n] = 0;
    if (buf[n - 1] == '.')
        buf[--n] = 0;
    /* DecimalFormat prints "-" only when a digit shows that is not zero */
    for (k = 0; buf[k]; k++)
        if (buf[k] >= '1' && buf[k] <= '9')
            break;
    if (neg && buf[k])
        o[w++] = '-';
    memcpy(o + w, buf, n < cap - w ? n : cap - w);
    return w + (n < cap - w ? n : cap - w);
}

static lh_rc f_format_number(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    static const char *const UNITS[] = {"", "K", "M", "B", "T", "Q"};
    int dbl = c->arg_types[0].id == LH_SQL_DOUBLE;
    FN_ROWS(rows, i, row)
    {
        int64_t x;
        double f;
        int u = 0, dec;
        char o[64];
        size_t n;
        lh_rc rc;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        if (dbl) { /* Java's (long) cast: saturating, NaN is 0 */
            double d = ((const double *)a[0]->data)[vrow(a[0], row)];
            x = isnan(d) ? 0 : d >= 9223372036854775807.0 ? INT64_MAX : d <= -9223372036854775808.0 ? INT64_MIN
                                                                                                     : (int64_t)d;
        } else
            x = iarg(a[0], row);
        f = (double)x;
        while (u < 5 && (f >= 1000 || f <= -1000)) {
            f /= 1000;
            u++;
        }
        dec = f < 10 ? 2 : f < 100 ? 1 : 0;
        n = fmt_halfup(f, dec, o, sizeof o - 2);
        memcpy(o + n, UNITS[u], strlen(UNITS[u]));
        n += strlen(UNITS[u]);
        if ((rc = put_str(c, out, row, o, n, err)))
            return rc;
    }
    return LH_OK;
}

/* ---- from_utf8(b, replace) ---- */

static lh_rc f_from_utf8_r(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    int cp_arg = c->arg_types[1].id == LH_SQL_BIGINT;
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        const char *p;
        char rep[4];
        size_t n, j, m, rn = 0;
        int pass;
        obuf b;
        char *d = NULL;
        if (args_null(a, 2, row)) {
            out_null(out, row);
            continue;
        }
        if (cp_arg) {
            int64_t v = iarg(a[1], row);
            if (v < 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
                return lh_errf(err, LH_EINVAL, "Invalid replacement character");
            rn = u8_encode((int32_t)v, rep);
        } else {
            const lh_str *r = sarg(a[1], row);
            const char *rp = lh_str_ptr(r);
            size_t rl = lh_str_len(r);
            if (rl && u8_step(rp, rl) != rl)
                return lh_errf(err, LH_EINVAL, "Replacement character string must empty or a single character");
            if (rl) {
                int32_t cp;
                if (u8_decode(rp, rl, &cp) != rl || cp < 0)
                    return lh_errf(err, LH_EINVAL, "Invalid replacement character");
                memcpy(rep, rp, rl);
            }
            rn = rl;
        }
        s = sarg(a[0], row);
        p = lh_str_ptr(s), n = lh_str_len(s);
        for (pass = 0; pass < 2; pass++) {
            m = 0;
            for (j = 0; j < n;) {
                size_t bad = u8_bad(p + j, n - j);
                if (bad) {
                    if (pass && rn)
                        memcpy(d + m, rep, rn);
                    m += rn, j += bad;
                } else {
                    int32_t cp;
                    size_t l = u8_decode(p + j, n - j, &cp);
                    if (pass)
                        memcpy(d + m, p + j, l);
                    m += l, j += l;
                }
            }
            if (!pass && !(d = out_begin(c, &b, m, err)))
                return err ? err->code : LH_ENOMEM;
        }
        out_end(out, row, &b);
    }
    return LH_OK;
}

/* ---- overlay ---- */

/* overlay(s PLACING r FROM start [FOR len]): s's first start-1 code points,
 * r, then s from code point start + len on (len defaults to r's length; a
 * len <= 0 removes nothing).  Past the end of s, the prefix is all of s. */
static lh_rc f_overlay(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *s, *r;
        const char *sp, *rp;
        size_t sn, rn, pre, post;
        int64_t start, len;
        obuf b;
        char *d;
        if (args_null(a, c->nargs, row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row), r = sarg(a[1], row);
        sp = lh_str_ptr(s), sn = lh_str_len(s);
        rp = lh_str_ptr(r), rn = lh_str_len(r);
        start = iarg(a[2], row);
        if (start < 1)
            return lh_errf(err, LH_EDATA, "overlay start must be greater than 0: %lld", (long long)start);
        len = c->nargs > 3 ? iarg(a[3], row) : (int64_t)u8_count(rp, rn);
        if (len < 0)
            len = 0;
        pre = u8_offset(sp, sn, 0, (uint64_t)(start - 1));
        if (pre == SIZE_MAX)
            pre = sn;
        post = (uint64_t)len > (uint64_t)INT64_MAX - (uint64_t)start ? SIZE_MAX
                                                                      : u8_offset(sp, sn, pre, (uint64_t)len);
        if (post == SIZE_MAX)
            post = sn;
        if (!(d = out_begin(c, &b, pre + rn + (sn - post), err)))
            return err ? err->code : LH_ENOMEM;
        memcpy(d, sp, pre);
        memcpy(d + pre, rp, rn);
        memcpy(d + pre + rn, sp + post, sn - post);
        out_end(out, row, &b);
    }
    return LH_OK;
}

/* ---- accepts ---- */

static int acc_translate(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 3 && ty_str(t[0]) && ty_str(t[1]) && ty_str(t[2]) && ty_str(r);
}
static int acc_overlay(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return (n == 3 || n == 4) && ty_str(t[0]) && ty_str(t[1]) && ty_big(t[2]) && (n == 3 || ty_big(t[3])) && ty_str(r);
}
static int acc_concat_ws(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    if (n < 2 || !ty_str(r))
        return 0;
    for (size_t k = 0; k < n; k++)
        if (!ty_str(t[k]))
            return 0;
    return 1;
}
static int acc_str2_bool(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 2 && ty_str(t[0]) && ty_str(t[1]) && r.id == LH_SQL_BOOLEAN;
}
static int acc_str2_big(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 2 && ty_str(t[0]) && ty_str(t[1]) && ty_big(r);
}
static int acc_str_str(const lh_sqltype *t, size_t n, lh_sqltype r) { return n == 1 && ty_str(t[0]) && ty_str(r); }
static int acc_str_bool(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 1 && ty_str(t[0]) && r.id == LH_SQL_BOOLEAN;
}
static int acc_format_number(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 1 && (ty_big(t[0]) || t[0].id == LH_SQL_DOUBLE) && ty_str(r);
}
static int acc_from_utf8_r(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 2 && ty_bin(t[0]) && (ty_str(t[1]) || ty_big(t[1])) && ty_str(r);
}

#define E(NAME, ACC, FN) {NAME, ACC, {NAME, NULL, FN, NULL}}

const lh_scalar_entry lh_fns_string2[] = {
    E("translate", acc_translate, f_translate),
    E("overlay", acc_overlay, f_overlay),
    E("concat_ws", acc_concat_ws, f_concat_ws),
    E("ends_with", acc_str2_bool, f_ends_with),
    E("hamming_distance", acc_str2_big, f_hamming),
    E("soundex", acc_str_str, f_soundex),
    E("luhn_check", acc_str_bool, f_luhn),
    E("title_case", acc_str_str, f_title_case),
    E("format_number", acc_format_number, f_format_number),
    E("from_utf8", acc_from_utf8_r, f_from_utf8_r),
    {NULL, NULL, {NULL, NULL, NULL, NULL}},
};
