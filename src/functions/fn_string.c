/* functions/fn_string.c — string and varbinary functions (see scalar.h).
 *
 * Trino's semantics (StringFunctions / VarbinaryFunctions): lengths and
 * positions count Unicode code points of UTF-8; every function returns
 * NULL when an argument is NULL (split_part also when the index is past
 * the last field).  Errors are LH_EDATA with Trino's messages.  Results of
 * more than 12 bytes are written into the call's arena; the only state is
 * md5's digest context (init/done).
 *
 * lower/upper map code points one to one with Unicode's simple case
 * mappings (fn_casetab.h; no locale, no one-to-many mappings, as Trino's
 * Character.toLowerCase/toUpperCase per code point).
 * char(n) values arrive without their trailing spaces (exec/kernels.h);
 * length(char(n)) is n, as in Trino.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "functions/fn_casetab.h"
#include "functions/fn_strutil.h"
#include "functions/scalar.h"

/* ---- case mapping ---- */

/* The mapping of c in a run table (c itself when no run holds it). */
static int32_t cp_map(const crun *t, size_t n, int32_t c)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { /* the last run with first <= c */
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
static inline int32_t cp_lower(int32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    return cp_map(LOWER_RUNS, sizeof LOWER_RUNS / sizeof LOWER_RUNS[0], c);
}
static inline int32_t cp_upper(int32_t c)
{
    if (c < 0x80)
        return c >= 'a' && c <= 'z' ? c - 32 : c;
    return cp_map(UPPER_RUNS, sizeof UPPER_RUNS / sizeof UPPER_RUNS[0], c);
}

static inline __attribute__((always_inline)) lh_rc case_map(lh_fn_call *c, lh_vector **a, lh_vector *out,
                                                            lh_rows rows, int upper, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        const char *p;
        size_t n, j, m = 0;
        int ascii = 1;
        obuf b;
        char *d;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        p = lh_str_ptr(s);
        n = lh_str_len(s);
        for (j = 0; j < n; j++)
            if ((unsigned char)p[j] >= 0x80) {
                ascii = 0;
                break;
            }
        if (ascii) {
            if (!(d = out_begin(c, &b, n, err)))
                return err ? err->code : LH_ENOMEM;
            for (j = 0; j < n; j++) {
                char ch = p[j];
                d[j] = upper ? (ch >= 'a' && ch <= 'z' ? (char)(ch - 32) : ch)
                             : (ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch);
            }
            out_end(out, row, &b);
            continue;
        }
        for (j = 0; j < n;) { /* pass 1: the result's length (ASCII bytes keep theirs) */
            int32_t cp;
            size_t l;
            if ((unsigned char)p[j] < 0x80) {
                m++, j++;
                continue;
            }
            l = u8_decode(p + j, n - j, &cp);
            m += cp < 0 ? l : u8_width(upper ? cp_upper(cp) : cp_lower(cp));
            j += l;
        }
        if (!(d = out_begin(c, &b, m, err)))
            return err ? err->code : LH_ENOMEM;
        for (j = 0, m = 0; j < n;) {
            int32_t cp;
            size_t l;
            char ch = p[j];
            if ((unsigned char)ch < 0x80) {
                d[m++] = upper ? (ch >= 'a' && ch <= 'z' ? (char)(ch - 32) : ch)
                               : (ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch);
                j++;
                continue;
            }
            l = u8_decode(p + j, n - j, &cp);
            if (cp < 0)
                d[m++] = p[j]; /* invalid bytes are kept */
            else
                m += u8_encode(upper ? cp_upper(cp) : cp_lower(cp), d + m);
            j += l;
        }
        out_end(out, row, &b);
    }
    return LH_OK;
}
static lh_rc f_lower(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    return case_map(c, a, out, rows, 0, err);
}
static lh_rc f_upper(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    return case_map(c, a, out, rows, 1, err);
}

/* ---- length ---- */
static lh_rc f_length(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    int chr = c->arg_types[0].id == LH_SQL_CHAR, bin = c->arg_types[0].id == LH_SQL_VARBINARY;
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        out_i64(out, row,
                chr ? (int64_t)c->arg_types[0].len
                    : bin ? (int64_t)lh_str_len(s) : (int64_t)u8_count(lh_str_ptr(s), lh_str_len(s)));
    }
    return LH_OK;
}

/* ---- trim ---- */
/* Java's Character.isWhitespace, as airlift's SliceUtf8.trim uses it. */
static int is_ws(int32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x1680 || (c >= 0x2000 && c <= 0x2006) ||
           (c >= 0x2008 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x205F || c == 0x3000;
}
static int in_set(int32_t c, const char *set, size_t sn)
{
    size_t j = 0;
    while (j < sn) {
        int32_t x;
        j += u8_decode(set + j, sn - j, &x);
        if (x == c)
            return 1;
    }
    return 0;
}
/* Start of the last code point of p[0..n) and its value (-1 invalid). */
static size_t u8_last(const char *p, size_t n, int32_t *cp)
{
    size_t k = n - 1, l;
    while (k > 0 && n - k < 4 && u8_cont((unsigned char)p[k]))
        k--;
    l = u8_decode(p + k, n - k, cp);
    if (k + l != n) {
        *cp = -1;
        return n - 1;
    }
    return k;
}

static lh_rc trim_common(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, int left, int right,
                         lh_err *err)
{
    int withset = c->nargs == 2;
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        const char *p, *set = NULL;
        size_t n, b = 0, e, sn = 0;
        lh_rc rc;
        if (args_null(a, c->nargs, row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        p = lh_str_ptr(s);
        n = lh_str_len(s);
        if (withset) {
            const lh_str *t = sarg(a[1], row);
            size_t j = 0;
            set = lh_str_ptr(t);
            sn = lh_str_len(t);
            while (j < sn) {
                int32_t x;
                j += u8_decode(set + j, sn - j, &x);
                if (x < 0) {
                    char m[512];
                    return lh_errf(err, LH_EDATA, "Invalid UTF-8 encoding in characters: %s",
                                   u8_for_msg(set, sn, m, sizeof m));
                }
            }
        }
        e = n;
        if (left)
            while (b < e) {
                int32_t x;
                size_t l = u8_decode(p + b, e - b, &x);
                if (x < 0 || !(withset ? in_set(x, set, sn) : is_ws(x)))
                    break;
                b += l;
            }
        if (right)
            while (e > b) {
                int32_t x;
                size_t k = u8_last(p + b, e - b, &x);
                if (x < 0 || !(withset ? in_set(x, set, sn) : is_ws(x)))
                    break;
                e = b + k;
            }
        if ((rc = put_str(c, out, row, p + b, e - b, err)))
            return rc;
    }
    return LH_OK;
}
static lh_rc f_trim(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    return trim_common(c, a, out, rows, 1, 1, err);
}
static lh_rc f_ltrim(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    return trim_common(c, a, out, rows, 1, 0, err);
}
static lh_rc f_rtrim(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    return trim_common(c, a, out, rows, 0, 1, err);
}

/* ---- substr ---- */
/* Byte range [*b, *e) of substring(p, start [, len]) in code points. */
static void substr_range(const char *p, size_t n, int64_t start, int has_len, int64_t len, size_t *b, size_t *e)
{
    *b = *e = 0;
    if (start == 0 || n == 0 || (has_len && len <= 0))
        return;
    if (start > 0) {
        size_t o = u8_offset(p, n, 0, (uint64_t)(start - 1));
        if (o == SIZE_MAX || o >= n)
            return;
        *b = o;
        if (!has_len) {
            *e = n;
        } else {
            size_t x = u8_offset(p, n, o, (uint64_t)len);
            *e = x == SIZE_MAX ? n : x;
        }
        return;
    }
    int64_t cps = (int64_t)u8_count(p, n), s = start + cps;
    if (s < 0)
        return;
    *b = u8_offset(p, n, 0, (uint64_t)s);
    if (!has_len || len >= cps - s)
        *e = n;
    else
        *e = u8_offset(p, n, *b, (uint64_t)len);
}
/* Byte ranges of varbinary substr (VarbinaryFunctions.substr). */
static void binsub_range(size_t n, int64_t start, int has_len, int64_t len, size_t *b, size_t *e)
{
    int64_t ib, ie;
    *b = *e = 0;
    if (!has_len)
        len = INT64_MAX; /* Trino: n - start + 1, which reaches the end just the same */
    if (start == 0 || len <= 0 || n == 0)
        return;
    if (start > 0) {
        ib = start - 1;
        if (ib >= (int64_t)n)
            return;
    } else {
        ib = start + (int64_t)n;
        if (ib < 0)
            return;
    }
    ie = len > (int64_t)n - ib ? (int64_t)n : ib + len;
    *b = (size_t)ib;
    *e = (size_t)ie;
}
static lh_rc f_substr(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    int has_len = c->nargs == 3, bin = c->arg_types[0].id == LH_SQL_VARBINARY;
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        size_t b, e;
        lh_rc rc;
        if (args_null(a, c->nargs, row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        if (bin)
            binsub_range(lh_str_len(s), iarg(a[1], row), has_len, has_len ? iarg(a[2], row) : 0, &b, &e);
        else
            substr_range(lh_str_ptr(s), lh_str_len(s), iarg(a[1], row), has_len, has_len ? iarg(a[2], row) : 0, &b,
                         &e);
        if ((rc = put_str(c, out, row, lh_str_ptr(s) + b, e - b, err)))
            return rc;
    }
    return LH_OK;
}

/* ---- concat ---- */
static lh_rc f_concat(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        size_t n = 0, k;
        obuf b;
        char *d;
        if (args_null(a, c->nargs, row)) {
            out_null(out, row);
            continue;
        }
        for (k = 0; k < c->nargs; k++)
            n += lh_str_len(sarg(a[k], row));
        if (!(d = out_begin(c, &b, n, err)))
            return err ? err->code : LH_ENOMEM;
        for (k = 0, n = 0; k < c->nargs; k++) {
            const lh_str *s = sarg(a[k], row);
            memcpy(d + n, lh_str_ptr(s), lh_str_len(s));
            n += lh_str_len(s);
        }
        out_end(out, row, &b);
    }
    return LH_OK;
}

/* ---- replace ---- */
static lh_rc f_replace(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *s, *f;
        const char *p, *fp, *rp = "";
        size_t n, fn, rn = 0, m, j, cnt = 0;
        obuf b;
        char *d;
        if (args_null(a, c->nargs, row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        f = sarg(a[1], row);
        p = lh_str_ptr(s), n = lh_str_len(s);
        fp = lh_str_ptr(f), fn = lh_str_len(f);
        if (c->nargs == 3) {
            const lh_str *r = sarg(a[2], row);
            rp = lh_str_ptr(r), rn = lh_str_len(r);
        }
        if (fn == 0) { /* replace before every code point and at the end */
            size_t cps = u8_count(p, n);
            if (!(d = out_begin(c, &b, n + (cps + 1) * rn, err)))
                return err ? err->code : LH_ENOMEM;
            memcpy(d, rp, rn);
            m = rn;
            for (j = 0; j < n;) {
                size_t l = u8_step(p + j, n - j);
                memcpy(d + m, p + j, l);
                m += l;
                memcpy(d + m, rp, rn);
                m += rn;
                j += l;
            }
            out_end(out, row, &b);
            continue;
        }
        for (j = 0; j + fn <= n;) {
            const char *h = memmem(p + j, n - j, fp, fn);
            if (!h)
                break;
            cnt++;
            j = (size_t)(h - p) + fn;
        }
        if (!(d = out_begin(c, &b, n - cnt * fn + cnt * rn, err)))
            return err ? err->code : LH_ENOMEM;
        for (j = 0, m = 0; cnt > 0; cnt--) {
            const char *h = memmem(p + j, n - j, fp, fn);
            size_t at = (size_t)(h - p);
            memcpy(d + m, p + j, at - j);
            m += at - j;
            memcpy(d + m, rp, rn);
            m += rn;
            j = at + fn;
        }
        memcpy(d + m, p + j, n - j);
        out_end(out, row, &b);
    }
    return LH_OK;
}

/* ---- reverse ---- */
static lh_rc f_reverse(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    int bin = c->arg_types[0].id == LH_SQL_VARBINARY;
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        const char *p;
        size_t n, j;
        obuf b;
        char *d;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        p = lh_str_ptr(s), n = lh_str_len(s);
        if (!(d = out_begin(c, &b, n, err)))
            return err ? err->code : LH_ENOMEM;
        if (bin) {
            for (j = 0; j < n; j++)
                d[j] = p[n - 1 - j];
        } else {
            for (j = 0; j < n;) {
                size_t l = u8_step(p + j, n - j);
                memcpy(d + n - j - l, p + j, l);
                j += l;
            }
        }
        out_end(out, row, &b);
    }
    return LH_OK;
}

/* ---- strpos ---- */
static const char *mem_rfind(const char *h, size_t hn, const char *nd, size_t nn, size_t before)
{
    /* last occurrence starting at an index < before */
    size_t k = hn < nn ? 0 : hn - nn + 1;
    if (k > before)
        k = before;
    while (k > 0) {
        k--;
        if (memcmp(h + k, nd, nn) == 0)
            return h + k;
    }
    return NULL;
}
static lh_rc f_strpos(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *s, *f;
        const char *p, *fp, *h = NULL;
        size_t n, fn;
        int64_t inst = 1, found = 0;
        if (args_null(a, c->nargs, row)) {
            out_null(out, row);
            continue;
        }
        if (c->nargs == 3)
            inst = iarg(a[2], row);
        if (inst == 0)
            return lh_errf(err, LH_EDATA, "'instance' must be a positive or negative number.");
        s = sarg(a[0], row);
        f = sarg(a[1], row);
        p = lh_str_ptr(s), n = lh_str_len(s);
        fp = lh_str_ptr(f), fn = lh_str_len(f);
        if (fn == 0) {
            out_i64(out, row, 1);
            continue;
        }
        if (inst > 0) {
            size_t from = 0;
            while (found < inst) {
                h = from <= n ? memmem(p + from, n - from, fp, fn) : NULL;
                if (!h)
                    break;
                found++;
                from = (size_t)(h - p) + 1;
            }
        } else {
            size_t before = n;
            while (found < -inst) {
                h = mem_rfind(p, n, fp, fn, before);
                if (!h)
                    break;
                found++;
                before = (size_t)(h - p);
            }
        }
        out_i64(out, row, h ? (int64_t)u8_count(p, (size_t)(h - p)) + 1 : 0);
    }
    return LH_OK;
}

/* ---- split_part ---- */
static lh_rc f_split_part(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *s, *dl;
        const char *p, *dp;
        size_t n, dn, prev = 0;
        int64_t idx, cnt = 0;
        lh_rc rc;
        if (args_null(a, 3, row)) {
            out_null(out, row);
            continue;
        }
        idx = iarg(a[2], row);
        if (idx <= 0)
            return lh_errf(err, LH_EDATA, "Index must be greater than zero");
        s = sarg(a[0], row);
        dl = sarg(a[1], row);
        p = lh_str_ptr(s), n = lh_str_len(s);
        dp = lh_str_ptr(dl), dn = lh_str_len(dl);
        if (dn == 0) { /* every code point is a field */
            size_t o = u8_offset(p, n, 0, (uint64_t)(idx - 1));
            if (o == SIZE_MAX || o >= n) {
                out_null(out, row);
                continue;
            }
            {
                /* the code point's length as its lead byte announces it (airlift) */
                unsigned char lb = (unsigned char)p[o];
                size_t l = lb < 0xC0 ? 1 : lb < 0xE0 ? 2 : lb < 0xF0 ? 3 : lb < 0xF8 ? 4 : 1;
                if (o + l > n)
                    return lh_errf(err, LH_EDATA, "Invalid UTF-8 encoding");
                if ((rc = put_str(c, out, row, p + o, l, err)))
                    return rc;
            }
            continue;
        }
        while (prev < n) {
            const char *h = memmem(p + prev, n - prev, dp, dn);
            if (!h)
                break;
            if (++cnt == idx)
                break;
            prev = (size_t)(h - p) + dn;
        }
        if (cnt == idx) {
            const char *h = memmem(p + prev, n - prev, dp, dn);
            rc = put_str(c, out, row, p + prev, (size_t)(h - p) - prev, err);
        } else if (cnt == idx - 1) {
            rc = put_str(c, out, row, p + prev, n - prev, err);
        } else {
            out_null(out, row);
            rc = LH_OK;
        }
        if (rc)
            return rc;
    }
    return LH_OK;
}

/* ---- lpad / rpad ---- */
static lh_rc pad_common(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, int left, lh_err *err)
{
    int bin = c->arg_types[0].id == LH_SQL_VARBINARY;
    FN_ROWS(rows, i, row)
    {
        const lh_str *s, *ps;
        const char *p, *pp;
        size_t n, pn, tl, fill, pad_bytes = 0, j, k, m;
        int64_t target;
        obuf b;
        char *d;
        lh_rc rc;
        if (args_null(a, 3, row)) {
            out_null(out, row);
            continue;
        }
        target = iarg(a[1], row);
        if (target < 0 || target > 2147483647)
            return lh_errf(err, LH_EDATA, "Target length must be in the range [0..2147483647]");
        s = sarg(a[0], row);
        ps = sarg(a[2], row);
        p = lh_str_ptr(s), n = lh_str_len(s);
        pp = lh_str_ptr(ps), pn = lh_str_len(ps);
        if (pn == 0)
            return lh_errf(err, LH_EDATA, bin ? "Padding bytes must not be empty" : "Padding string must not be empty");
        tl = bin ? n : u8_count(p, n);
        if (tl >= (size_t)target) { /* truncate to the first target characters */
            size_t e = bin ? (size_t)target : u8_offset(p, n, 0, (uint64_t)target);
            if ((rc = put_str(c, out, row, p, e == SIZE_MAX ? n : e, err)))
                return rc;
            continue;
        }
        fill = (size_t)target - tl; /* characters of padding */
        if (bin) {
            pad_bytes = fill;
        } else {
            size_t pc = u8_count(pp, pn), whole = fill / pc, rest = fill % pc;
            size_t o = u8_offset(pp, pn, 0, rest);
            if ((uint64_t)whole * pn > LH_VARCHAR_MAX_LENGTH)
                return lh_errf(err, LH_ELIMIT, "result string of %zu characters is too long", (size_t)target);
            pad_bytes = whole * pn + (o == SIZE_MAX ? pn : o);
        }
        if (!(d = out_begin(c, &b, n + pad_bytes, err)))
            return err ? err->code : LH_ENOMEM;
        m = left ? 0 : n;
        if (!left)
            memcpy(d, p, n);
        for (j = 0; j < pad_bytes; j += k) {
            k = pad_bytes - j < pn ? pad_bytes - j : pn;
            memcpy(d + m + j, pp, k);
        }
        if (left)
            memcpy(d + pad_bytes, p, n);
        out_end(out, row, &b);
    }
    return LH_OK;
}
static lh_rc f_lpad(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    return pad_common(c, a, out, rows, 1, err);
}
static lh_rc f_rpad(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    return pad_common(c, a, out, rows, 0, err);
}

/* ---- levenshtein_distance ---- */
#define LEV_MAX 1001 /* the shorter side when long * (short - 1) <= 1,000,000 */
static int cp_count_valid(const char *p, size_t n, size_t *cnt)
{
    size_t j = 0, k = 0;
    while (j < n) {
        int32_t x;
        j += u8_decode(p + j, n - j, &x);
        if (x < 0)
            return 0;
        k++;
    }
    *cnt = k;
    return 1;
}
static lh_rc f_levenshtein(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    int32_t rcp[LEV_MAX], dist[LEV_MAX];
    FN_ROWS(rows, i, row)
    {
        const lh_str *x, *y;
        const char *lp, *rp;
        size_t ln, rn, lc, rc_, j, k, li;
        if (args_null(a, 2, row)) {
            out_null(out, row);
            continue;
        }
        x = sarg(a[0], row);
        y = sarg(a[1], row);
        lp = lh_str_ptr(x), ln = lh_str_len(x);
        rp = lh_str_ptr(y), rn = lh_str_len(y);
        if (!cp_count_valid(lp, ln, &lc) || !cp_count_valid(rp, rn, &rc_)) {
            char m[512];
            int left = !cp_count_valid(lp, ln, &lc);
            return lh_errf(err, LH_EDATA, "Invalid UTF-8 encoding in characters: %s",
                           u8_for_msg(left ? lp : rp, left ? ln : rn, m, sizeof m));
        }
        if (lc < rc_) { /* left is the longer one */
            const char *tp = lp;
            size_t t = ln;
            lp = rp, ln = rn, rp = tp, rn = t;
            t = lc, lc = rc_, rc_ = t;
        }
        if (rc_ == 0) {
            out_i64(out, row, (int64_t)lc);
            continue;
        }
        if ((uint64_t)lc * (rc_ - 1) > 1000000)
            return lh_errf(err, LH_EDATA, "The combined inputs for Levenshtein distance are too large");
        for (j = 0, k = 0; j < rn; k++)
            j += u8_decode(rp + j, rn - j, &rcp[k]);
        for (k = 0; k < rc_; k++)
            dist[k] = (int32_t)k + 1;
        for (j = 0, li = 0; j < ln; li++) {
            int32_t lcp, up = dist[0];
            j += u8_decode(lp + j, ln - j, &lcp);
            dist[0] = lcp == rcp[0] ? (int32_t)li : ((int32_t)li < dist[0] ? (int32_t)li : dist[0]) + 1;
            for (k = 1; k < rc_; k++) {
                int32_t next = dist[k];
                if (lcp == rcp[k]) {
                    dist[k] = up;
                } else {
                    int32_t mn = dist[k - 1] < up ? dist[k - 1] : up;
                    dist[k] = (mn < dist[k] ? mn : dist[k]) + 1;
                }
                up = next;
            }
        }
        out_i64(out, row, dist[rc_ - 1]);
    }
    return LH_OK;
}

/* ---- starts_with, chr, codepoint ---- */
static lh_rc f_starts_with(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *s, *f;
        if (args_null(a, 2, row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        f = sarg(a[1], row);
        out_bool(out, row,
                 lh_str_len(s) >= lh_str_len(f) && memcmp(lh_str_ptr(s), lh_str_ptr(f), lh_str_len(f)) == 0);
    }
    return LH_OK;
}
static lh_rc f_chr(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        int64_t v;
        char buf[4];
        lh_rc rc;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        v = iarg(a[0], row);
        if (v < 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            return lh_errf(err, LH_EDATA, "Not a valid Unicode code point: %lld", (long long)v);
        if ((rc = put_str(c, out, row, buf, u8_encode((int32_t)v, buf), err)))
            return rc;
    }
    return LH_OK;
}
static lh_rc f_codepoint(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        int32_t cp;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        if (u8_count(lh_str_ptr(s), lh_str_len(s)) != 1)
            return lh_errf(err, LH_EDATA, "Input string must be a single character string");
        u8_decode(lh_str_ptr(s), lh_str_len(s), &cp);
        if (cp < 0)
            return lh_errf(err, LH_EDATA, "Invalid UTF-8 encoding");
        out_i32(out, row, cp);
    }
    return LH_OK;
}

/* ---- varbinary: hex, utf8, md5 ---- */
static lh_rc f_to_hex(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    static const char HEX[] = "0123456789ABCDEF";
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        const unsigned char *p;
        size_t n, j;
        obuf b;
        char *d;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        p = (const unsigned char *)lh_str_ptr(s), n = lh_str_len(s);
        if (!(d = out_begin(c, &b, 2 * n, err)))
            return err ? err->code : LH_ENOMEM;
        for (j = 0; j < n; j++) {
            d[2 * j] = HEX[p[j] >> 4];
            d[2 * j + 1] = HEX[p[j] & 15];
        }
        out_end(out, row, &b);
    }
    return LH_OK;
}
static int hexval(unsigned char ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}
static lh_rc f_from_hex(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        const unsigned char *p;
        size_t n, j;
        obuf b;
        char *d;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        p = (const unsigned char *)lh_str_ptr(s), n = lh_str_len(s);
        if (n % 2)
            return lh_errf(err, LH_EDATA, "invalid input length %zu", n);
        for (j = 0; j < n; j++)
            if (hexval(p[j]) < 0) {
                /* Java's HexFormat.fromHexDigit on a (signed) byte */
                int v = p[j] < 0x80 ? p[j] : (int)p[j] - 256;
                char ch[4];
                size_t cl = u8_encode(p[j] < 0x80 ? p[j] : 0xFF00 | p[j], ch);
                return lh_errf(err, LH_EDATA, "not a hexadecimal digit: \"%.*s\" = %d", (int)cl, ch, v);
            }
        if (!(d = out_begin(c, &b, n / 2, err)))
            return err ? err->code : LH_ENOMEM;
        for (j = 0; j < n / 2; j++)
            d[j] = (char)((hexval(p[2 * j]) << 4) | hexval(p[2 * j + 1]));
        out_end(out, row, &b);
    }
    return LH_OK;
}
static lh_rc f_copy(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        lh_rc rc;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        if ((rc = put_str(c, out, row, lh_str_ptr(s), lh_str_len(s), err)))
            return rc;
    }
    return LH_OK;
}
static lh_rc f_from_utf8(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        const char *p;
        size_t n, j, m = 0, bad;
        obuf b;
        char *d;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        p = lh_str_ptr(s), n = lh_str_len(s);
        for (j = 0; j < n;) {
            if ((bad = u8_bad(p + j, n - j)))
                m += 3, j += bad;
            else {
                int32_t cp;
                size_t l = u8_decode(p + j, n - j, &cp);
                m += l, j += l;
            }
        }
        if (!(d = out_begin(c, &b, m, err)))
            return err ? err->code : LH_ENOMEM;
        for (j = 0, m = 0; j < n;) {
            if ((bad = u8_bad(p + j, n - j))) {
                memcpy(d + m, "\xEF\xBF\xBD", 3); /* U+FFFD */
                m += 3, j += bad;
            } else {
                int32_t cp;
                size_t l = u8_decode(p + j, n - j, &cp);
                memcpy(d + m, p + j, l);
                m += l, j += l;
            }
        }
        out_end(out, row, &b);
    }
    return LH_OK;
}

static lh_rc md5_init(lh_fn_call *c, lh_vector *const *k, lh_err *err)
{
    c->state = EVP_MD_CTX_new();
    if (!c->state)
        return lh_errf(err, LH_ENOMEM, "out of memory creating an md5 context");
    return LH_OK;
}
static void md5_done(lh_fn_call *c)
{
    EVP_MD_CTX_free(c->state);
    c->state = NULL;
}
static lh_rc f_md5(lh_fn_call *c, lh_vector **a, lh_vector *out, lh_rows rows, lh_err *err)
{
    FN_ROWS(rows, i, row)
    {
        const lh_str *s;
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int ml = 0;
        lh_rc rc;
        if (arg_null(a[0], row)) {
            out_null(out, row);
            continue;
        }
        s = sarg(a[0], row);
        if (!c->state || EVP_DigestInit_ex(c->state, EVP_md5(), NULL) != 1 ||
            EVP_DigestUpdate(c->state, lh_str_ptr(s), lh_str_len(s)) != 1 ||
            EVP_DigestFinal_ex(c->state, md, &ml) != 1)
            return lh_errf(err, LH_EINTERNAL, "md5: the OpenSSL digest failed");
        if ((rc = put_str(c, out, row, (const char *)md, ml, err)))
            return rc;
    }
    return LH_OK;
}

/* ---- signatures ---- */
static int ret_str(lh_sqltype r) { return r.id == LH_SQL_VARCHAR; }
static int acc_length(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 1 && (ty_strc(t[0]) || ty_bin(t[0])) && r.id == LH_SQL_BIGINT;
}
static int acc_case(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 1 && ty_strc(t[0]) && (t[0].id == LH_SQL_CHAR ? r.id == LH_SQL_CHAR : r.id == LH_SQL_VARCHAR);
}
static int acc_trim(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return (n == 1 || (n == 2 && ty_str(t[1]))) && ty_str(t[0]) && ret_str(r);
}
static int acc_substr(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    if ((n != 2 && n != 3) || !ty_big(t[1]) || (n == 3 && !ty_big(t[2])))
        return 0;
    return (ty_str(t[0]) && ret_str(r)) || (ty_bin(t[0]) && ty_bin(r));
}
static int acc_concat(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    size_t k;
    int bin = n > 0 && ty_bin(t[0]);
    if (n == 0 || (bin ? !ty_bin(r) : !ret_str(r)))
        return 0;
    for (k = 0; k < n; k++)
        if (bin ? !ty_bin(t[k]) : !ty_str(t[k]))
            return 0;
    return 1;
}
static int acc_replace(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return (n == 2 || (n == 3 && ty_str(t[2]))) && ty_str(t[0]) && ty_str(t[1]) && ret_str(r);
}
static int acc_reverse(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 1 && ((ty_str(t[0]) && ret_str(r)) || (ty_bin(t[0]) && ty_bin(r)));
}
static int acc_strpos(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return (n == 2 || (n == 3 && ty_big(t[2]))) && ty_str(t[0]) && ty_str(t[1]) && r.id == LH_SQL_BIGINT;
}
static int acc_position(const lh_sqltype *t, size_t n, lh_sqltype r) { return n == 2 && acc_strpos(t, n, r); }
static int acc_split_part(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 3 && ty_str(t[0]) && ty_str(t[1]) && ty_big(t[2]) && ret_str(r);
}
static int acc_pad(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    if (n != 3 || !ty_big(t[1]))
        return 0;
    return (ty_str(t[0]) && ty_str(t[2]) && ret_str(r)) || (ty_bin(t[0]) && ty_bin(t[2]) && ty_bin(r));
}
static int acc_str2_big(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 2 && ty_str(t[0]) && ty_str(t[1]) && r.id == LH_SQL_BIGINT;
}
static int acc_str2_bool(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 2 && ty_str(t[0]) && ty_str(t[1]) && r.id == LH_SQL_BOOLEAN;
}
static int acc_chr(const lh_sqltype *t, size_t n, lh_sqltype r) { return n == 1 && ty_big(t[0]) && ret_str(r); }
static int acc_codepoint(const lh_sqltype *t, size_t n, lh_sqltype r)
{
    return n == 1 && ty_str(t[0]) && r.id == LH_SQL_INTEGER;
}
static int acc_bin_str(const lh_sqltype *t, size_t n, lh_sqltype r) { return n == 1 && ty_bin(t[0]) && ret_str(r); }
static int acc_str_bin(const lh_sqltype *t, size_t n, lh_sqltype r) { return n == 1 && ty_str(t[0]) && ty_bin(r); }
static int acc_bin_bin(const lh_sqltype *t, size_t n, lh_sqltype r) { return n == 1 && ty_bin(t[0]) && ty_bin(r); }

#define E(nm, acc, fn) {nm, acc, {nm, NULL, fn, NULL}}
const lh_scalar_entry lh_fns_string[] = {
    E("length", acc_length, f_length),
    E("lower", acc_case, f_lower),
    E("upper", acc_case, f_upper),
    E("trim", acc_trim, f_trim),
    E("ltrim", acc_trim, f_ltrim),
    E("rtrim", acc_trim, f_rtrim),
    E("substr", acc_substr, f_substr),
    E("substring", acc_substr, f_substr),
    E("concat", acc_concat, f_concat),
    E("replace", acc_replace, f_replace),
    E("reverse", acc_reverse, f_reverse),
    E("strpos", acc_strpos, f_strpos),
    E("position", acc_position, f_strpos),
    E("split_part", acc_split_part, f_split_part),
    E("lpad", acc_pad, f_lpad),
    E("rpad", acc_pad, f_rpad),
    E("levenshtein_distance", acc_str2_big, f_levenshtein),
    E("starts_with", acc_str2_bool, f_starts_with),
    E("chr", acc_chr, f_chr),
    E("codepoint", acc_codepoint, f_codepoint),
    E("to_hex", acc_bin_str, f_to_hex),
    E("from_hex", acc_str_bin, f_from_hex),
    E("to_utf8", acc_str_bin, f_copy),
    E("from_utf8", acc_bin_str, f_from_utf8),
    {"md5", acc_bin_bin, {"md5", md5_init, f_md5, md5_done}},
    {NULL, NULL, {NULL, NULL, NULL, NULL}},
};
