/* functions/fn_strutil.h — helpers shared by fn_string.c and fn_regex.c:
 * reading FLAT/CONST argument vectors, writing results, UTF-8 code points.
 *
 * Everything is static inline (no calls across modules in the row loops).
 * Reading: sarg/iarg return the value of a FLAT or CONST vector at a row;
 * arg_null says whether it is NULL there.  Writing: put_str copies a result
 * of n bytes into out[row] (bytes beyond 12 into c->arena, LH_ENOMEM when
 * the arena is exhausted or capped); out_begin/out_end build a result in
 * place (out_begin hands out a buffer for n bytes: a scratch inside the
 * obuf when n <= 12, else arena memory; nothing to free; LH_ELIMIT when the
 * arena's cap is reached).  UTF-8: code
 * points are counted as airlift's SliceUtf8 counts them (every byte that is
 * not a continuation byte starts one), so invalid input never reads past
 * the end and is never an error here.
 */
#ifndef LH_FUNCTIONS_FN_STRUTIL_H
#define LH_FUNCTIONS_FN_STRUTIL_H

#include <stdint.h>
#include <string.h>

#include "exec/expr.h"

#define FN_ROWS(rows, i, row)                                                                                          \
    for (uint32_t i = 0, row = 0; i < (rows).n && ((row = (rows).sel ? (rows).sel[i] : i), 1); i++)

static inline uint32_t vrow(const lh_vector *v, uint32_t row) { return v->kind == LH_VEC_CONST ? 0 : row; }
static inline int arg_null(const lh_vector *v, uint32_t row)
{
    uint32_t r = vrow(v, row);
    return !((v->validity[r >> 6] >> (r & 63)) & 1);
}
static inline int args_null(lh_vector **a, size_t n, uint32_t row)
{
    for (size_t k = 0; k < n; k++)
        if (arg_null(a[k], row))
            return 1;
    return 0;
}
static inline const lh_str *sarg(const lh_vector *v, uint32_t row) { return &((const lh_str *)v->data)[vrow(v, row)]; }
static inline int64_t iarg(const lh_vector *v, uint32_t row) { return ((const int64_t *)v->data)[vrow(v, row)]; }

static inline void out_null(lh_vector *out, uint32_t row)
{
    out->validity[row >> 6] &= ~((uint64_t)1 << (row & 63));
    out->may_null = 1;
}
static inline void out_valid(lh_vector *out, uint32_t row) { out->validity[row >> 6] |= (uint64_t)1 << (row & 63); }
static inline void out_i64(lh_vector *out, uint32_t row, int64_t x)
{
    ((int64_t *)out->data)[row] = x;
    out_valid(out, row);
}
static inline void out_i32(lh_vector *out, uint32_t row, int32_t x)
{
    ((int32_t *)out->data)[row] = x;
    out_valid(out, row);
}
static inline void out_bool(lh_vector *out, uint32_t row, int b)
{
    ((uint8_t *)out->data)[row] = b != 0;
    out_valid(out, row);
}

typedef struct obuf {
    char tmp[LH_STR_INLINE];
    char *p;
    size_t n;
} obuf;

/* A buffer for a result of exactly n bytes (NULL and LH_ENOMEM/LH_ELIMIT in err). */
static inline char *out_begin(lh_fn_call *c, obuf *b, size_t n, lh_err *err)
{
    b->n = n;
    if (n <= LH_STR_INLINE)
        return b->p = b->tmp;
    if (n > LH_VARCHAR_MAX_LENGTH) {
        lh_errf(err, LH_ELIMIT, "result string of %zu bytes is too long", n);
        return b->p = NULL;
    }
    if (!c->arena) {
        lh_errf(err, LH_EINTERNAL, "a string function was called without an arena");
        return b->p = NULL;
    }
    b->p = lh_arena_alloc(c->arena, n);
    if (!b->p) {
        size_t cap = c->arena->cap ? c->arena->cap : (size_t)4 << 30;
        if (n + 8 > cap || c->arena->used_total > cap - n - 8)
            lh_errf(err, LH_ELIMIT, "a string of %zu bytes does not fit in the batch's %zu bytes of string memory", n,
                    cap);
        else
            lh_errf(err, LH_ENOMEM, "out of memory writing a string of %zu bytes", n);
    }
    return b->p;
}
static inline void out_end(lh_vector *out, uint32_t row, const obuf *b)
{
    ((lh_str *)out->data)[row] = lh_str_view(b->p, (uint32_t)b->n);
    out_valid(out, row);
}
static inline lh_rc put_str(lh_fn_call *c, lh_vector *out, uint32_t row, const char *p, size_t n, lh_err *err)
{
    obuf b;
    char *d = out_begin(c, &b, n, err);
    if (!d)
        return err ? err->code : LH_ENOMEM;
    if (n)
        memcpy(d, p, n);
    out_end(out, row, &b);
    return LH_OK;
}

/* ---- UTF-8 ---- */
static inline int u8_cont(unsigned char b) { return (b & 0xC0) == 0x80; }
/* Bytes of the code point starting at p[0] (at least 1, never past n). */
static inline size_t u8_step(const char *p, size_t n)
{
    size_t i = 1;
    while (i < n && u8_cont((unsigned char)p[i]))
        i++;
    return i;
}
/* Code points: bytes minus continuation bytes (10xxxxxx), 8 bytes at a time. */
static inline size_t u8_count(const char *p, size_t n)
{
    size_t i = 0, cont = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w, x;
        memcpy(&w, p + i, 8);
        x = w & ~(w << 1) & 0x8080808080808080ull; /* bit 7 set, bit 6 clear */
        cont += (size_t)(((x >> 7) * 0x0101010101010101ull) >> 56);
    }
    for (; i < n; i++)
        cont += u8_cont((unsigned char)p[i]);
    return n - cont;
}
/* Byte offset where code point k (0-based) starts; n when k equals the
 * count; SIZE_MAX when k is beyond. */
static inline size_t u8_offset(const char *p, size_t n, size_t from, uint64_t k)
{
    size_t i = from;
    while (k > 0) {
        if (i >= n)
            return SIZE_MAX;
        i += u8_step(p + i, n - i);
        k--;
    }
    return i <= n ? i : SIZE_MAX;
}
/* Decode one code point: its value in *cp (-1 when the bytes are not valid
 * UTF-8; then one byte is consumed) and the bytes consumed. */
static inline size_t u8_decode(const char *s, size_t n, int32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned char b = p[0];
    size_t len, i;
    int32_t c, min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF)
        len = 2, c = b & 0x1F, min = 0x80;
    else if (b >= 0xE0 && b <= 0xEF)
        len = 3, c = b & 0x0F, min = 0x800;
    else if (b >= 0xF0 && b <= 0xF4)
        len = 4, c = b & 0x07, min = 0x10000;
    else {
        *cp = -1;
        return 1;
    }
    if (len > n) {
        *cp = -1;
        return 1;
    }
    for (i = 1; i < len; i++) {
        if (!u8_cont(p[i])) {
            *cp = -1;
            return 1;
        }
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *cp = -1;
        return 1;
    }
    *cp = c;
    return len;
}
/* Length of the invalid sequence at p (a lead byte and the continuation
 * bytes that follow it, up to the length the lead byte announces), or 0
 * when p starts a valid code point. */
static inline size_t u8_bad(const char *p, size_t n)
{
    int32_t cp;
    size_t want, k;
    unsigned char b = (unsigned char)p[0];
    u8_decode(p, n, &cp);
    if (cp >= 0)
        return 0;
    want = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    for (k = 1; k < want && k < n && u8_cont((unsigned char)p[k]); k++)
        ;
    return k;
}
/* p[0..n) for an error message: each invalid sequence as U+FFFD (as Java's
 * toStringUtf8 shows it), at most cap - 1 bytes, NUL-terminated. */
static inline const char *u8_for_msg(const char *p, size_t n, char *buf, size_t cap)
{
    size_t j = 0, m = 0;
    while (j < n && m + 4 < cap) {
        size_t bad = u8_bad(p + j, n - j);
        if (bad) {
            memcpy(buf + m, "\xEF\xBF\xBD", 3);
            m += 3, j += bad;
        } else {
            int32_t cp;
            size_t l = u8_decode(p + j, n - j, &cp);
            memcpy(buf + m, p + j, l);
            m += l, j += l;
        }
    }
    buf[m] = 0;
    return buf;
}
static inline size_t u8_width(int32_t c) { return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }
static inline size_t u8_encode(int32_t c, char *o)
{
    unsigned char *d = (unsigned char *)o;
    if (c < 0x80) {
        d[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        d[0] = (unsigned char)(0xC0 | (c >> 6));
        d[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        d[0] = (unsigned char)(0xE0 | (c >> 12));
        d[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        d[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    d[0] = (unsigned char)(0xF0 | (c >> 18));
    d[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    d[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    d[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

/* ---- accepts helpers ---- */
/* varchar only: char(n) never coerces to varchar (plan/coerce.c), so only
 * the registry's char(x) signatures (length, lower, upper) see char. */
static inline int ty_str(lh_sqltype t) { return t.id == LH_SQL_VARCHAR; }
static inline int ty_strc(lh_sqltype t) { return t.id == LH_SQL_VARCHAR || t.id == LH_SQL_CHAR; }
static inline int ty_bin(lh_sqltype t) { return t.id == LH_SQL_VARBINARY; }
static inline int ty_big(lh_sqltype t) { return t.id == LH_SQL_BIGINT; }

#endif
