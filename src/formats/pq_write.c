/* formats/pq_write.c — the Parquet writer (see parquet.h for the contract).
 *
 * Rows are buffered per row group as cells in each column's canonical form
 * (converted on arrival, so a bad value fails at lh_pq_writer_row); when the
 * estimated size reaches row_group_bytes the row group is encoded column by
 * column (dictionary page, data pages v1) and written to the store writer.
 * With background threads on (util/threads.h), a full row group is encoded
 * by a worker thread while the caller fills the next one (double
 * buffering; see "row groups" below); every store call stays on the
 * calling thread and the bytes are the same either way.  Encoding scratch
 * is kept per encoder and reused across chunks and row groups.  Column
 * chunk metadata accumulates in arenas until the footer.
 */
#include "formats/pq_write_int.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "formats/codec.h"
#include "formats/pq_encode.h"
#include "formats/pq_meta.h"
#include "util/threads.h"

#define TRY(x)                                                                                                         \
    do {                                                                                                               \
        rc = (x);                                                                                                      \
        if (rc)                                                                                                        \
            goto out;                                                                                                  \
    } while (0)


lh_rc pq_w_nomem(lh_err *err) { return lh_errf(err, LH_ENOMEM, "parquet writer: out of memory"); }

lh_rc pq_w_grow(void **p, size_t *cap, size_t need, size_t elem, lh_err *err)
{
    size_t nc;
    void *n;
    if (need <= *cap)
        return LH_OK;
    nc = *cap ? *cap * 2 : 64;
    if (nc < need)
        nc = need;
    if (nc > SIZE_MAX / elem)
        return lh_errf(err, LH_ELIMIT, "parquet writer: too many values");
    n = lh_realloc(*p, nc * elem);
    if (!n)
        return pq_w_nomem(err);
    *p = n;
    *cap = nc;
    return LH_OK;
}

lh_rc lh_pq_codec_parse(const char *name, lh_pq_codec *out, lh_err *err)
{
    if (!strcasecmp(name, "SNAPPY"))
        *out = LH_PQ_SNAPPY;
    else if (!strcasecmp(name, "ZSTD"))
        *out = LH_PQ_ZSTD;
    else if (!strcasecmp(name, "GZIP"))
        *out = LH_PQ_GZIP;
    else if (!strcasecmp(name, "NONE") || !strcasecmp(name, "UNCOMPRESSED"))
        *out = LH_PQ_UNCOMPRESSED;
    else
        return lh_errf(err, LH_EINVAL, "unknown Parquet compression '%s' (expected SNAPPY, ZSTD, GZIP or NONE)", name);
    return LH_OK;
}

static int parquet_codec(lh_pq_codec c)
{
    switch (c) {
    case LH_PQ_SNAPPY: return PQ_C_SNAPPY;
    case LH_PQ_GZIP: return PQ_C_GZIP;
    case LH_PQ_ZSTD: return PQ_C_ZSTD;
    default: return PQ_C_UNCOMPRESSED;
    }
}

static int dec_bytes_for(int p)
{
    int n = 1;
    double lim = pow(10.0, p);
    while (ldexp(1.0, 8 * n - 1) <= lim)
        n++;
    return n;
}

static void set_phys(wcol *c)
{
    switch (c->type.kind) {
    case LH_T_TINYINT:
    case LH_T_SMALLINT:
    case LH_T_INT:
    case LH_T_DATE: c->phys = PQ_INT32; break;
    case LH_T_BIGINT:
    case LH_T_TIMESTAMP: c->phys = PQ_INT64; break;
    case LH_T_FLOAT: c->phys = PQ_FLOAT; break;
    case LH_T_DOUBLE: c->phys = PQ_DOUBLE; break;
    case LH_T_BOOLEAN: c->phys = PQ_BOOLEAN; break;
    case LH_T_DECIMAL:
        if (c->type.p <= 9)
            c->phys = PQ_INT32;
        else if (c->type.p <= 18)
            c->phys = PQ_INT64;
        else {
            c->phys = PQ_FLBA;
            c->type_length = dec_bytes_for(c->type.p);
        }
        break;
    default: c->phys = PQ_BYTE_ARRAY; break;
    }
}

/* ---------------- value conversion ---------------- */

lh_rc pq_w_bad_value(lh_pq_writer *w, size_t col, const char *why, lh_err *err)
{
    char tb[64];
    return lh_errf(err, LH_EDATA, "%s: column '%s' (%s): %s", w->uri, w->cols[col].name,
                   w->cols[col].type.kind ? lh_type_name(&w->cols[col].type, tb, sizeof tb) : "inferred", why);
}

/* A value that does not fit the column's decimal(p,s): the error names the
 * column, the value and the largest value the type holds. */
lh_rc pq_w_bad_decimal(lh_pq_writer *w, size_t col, const lh_value *v, lh_err *err)
{
    char tb[64], max[48], val[80];
    const lh_type *ty = &w->cols[col].type;
    int neg;
    if (v->t == LH_V_INT) {
        snprintf(val, sizeof val, "%lld", (long long)v->i);
        neg = v->i < 0;
    } else if (v->t == LH_V_REAL) {
        for (int prec = 15; prec <= 17; prec++) { /* the shortest text that reads back as v->d */
            snprintf(val, sizeof val, "%.*g", prec, v->d);
            if (strtod(val, NULL) == v->d)
                break;
        }
        neg = v->d < 0;
    } else {
        int n = v->n > 60 ? 60 : (int)v->n;
        snprintf(val, sizeof val, "'%.*s%s'", n, v->s ? v->s : "", (size_t)n < v->n ? "..." : "");
        neg = v->n && v->s && v->s[0] == '-';
    }
    lh_decimal_max_text(ty->p, ty->s, max, sizeof max);
    return lh_errf(err, LH_EDATA, "%s: column '%s': %s does not fit %s (%s %s%s)", w->uri, w->cols[col].name, val,
                   lh_type_name(ty, tb, sizeof tb), neg ? "at least" : "at most", neg ? "-" : "", max);
}

static int parse_int(const char *s, size_t n, int64_t *v)
{
    char tmp[32], *end;
    long long x;
    if (n == 0 || n >= sizeof tmp)
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = 0;
    errno = 0;
    x = strtoll(tmp, &end, 10);
    if (*end || errno)
        return -1;
    *v = x;
    return 0;
}

static int parse_real(const char *s, size_t n, double *v)
{
    char tmp[64], *end;
    if (n == 0 || n >= sizeof tmp)
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = 0;
    *v = strtod(tmp, &end);
    return *end ? -1 : 0;
}

i128 pq_w_p10(int e)
{
    i128 v = 1;
    while (e-- > 0)
        v *= 10;
    return v;
}

/* Exact decimal text to unscaled at scale s, rounding half away from zero. */
static int parse_decimal(const char *s, size_t n, int scale, i128 *out)
{
    size_t i = 0;
    int neg = 0, digits = 0, frac = 0, round = 0;
    i128 v = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
        if (digits > 38)
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (i < n && s[i] == '.') {
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
            if (frac < scale) {
                v = v * 10 + (s[i] - '0');
                frac++;
                digits++;
            } else if (frac == scale) {
                round = s[i] >= '5';
                frac++;
            }
        }
    }
    if (i != n || (digits == 0 && frac == 0) || digits > 38)
        return -1;
    if (frac > scale)
        frac = scale;
    v = v * pq_w_p10(scale - frac) + round;
    *out = neg ? -v : v;
    return 0;
}

/* Convert v to column col's canonical cell; bytes appended to the column. */
static lh_rc to_cell(lh_pq_writer *w, size_t col, const lh_value *v, cell *c, lh_err *err)
{
    wcol *wc = &w->cols[col];
    lh_kind k = wc->type.kind;
    lh_rc rc = LH_OK;
    memset(c, 0, sizeof *c);
    if (k == 0 || k == LH_T_STRING || k == LH_T_VARCHAR || k == LH_T_CHAR) {
        char tmp[64];
        const char *s = tmp;
        size_t n;
        if (k == 0 && v->t != LH_V_TEXT) {
            c->tag = (uint8_t)v->t;
            if (v->t == LH_V_INT)
                c->u.i = v->i;
            else
                c->u.d = v->d;
            return LH_OK;
        }
        if (v->t == LH_V_TEXT) {
            s = v->s ? v->s : "";
            n = v->s ? v->n : 0;
        } else if (v->t == LH_V_INT) {
            n = (size_t)snprintf(tmp, sizeof tmp, "%lld", (long long)v->i);
        } else {
            n = (size_t)snprintf(tmp, sizeof tmp, "%.17g", v->d);
        }
        if (n > UINT32_MAX || wc->bytes.len > UINT32_MAX - n)
            return pq_w_bad_value(w, col, "row group text exceeds 4 GiB", err);
        c->tag = LH_V_TEXT;
        c->off = (uint32_t)wc->bytes.len;
        c->len = (uint32_t)n;
        return lh_buf_append(&wc->bytes, s, n, err);
    }
    switch (k) {
    case LH_T_TINYINT:
    case LH_T_SMALLINT:
    case LH_T_INT:
    case LH_T_BIGINT: {
        int64_t x, lo, hi;
        if (v->t == LH_V_INT)
            x = v->i;
        else if (v->t == LH_V_REAL && v->d == floor(v->d) && fabs(v->d) < 9.2e18)
            x = (int64_t)v->d;
        else if (v->t != LH_V_TEXT || parse_int(v->s, v->n, &x))
            return pq_w_bad_value(w, col, "value is not an integer", err);
        lo = k == LH_T_TINYINT ? INT8_MIN : k == LH_T_SMALLINT ? INT16_MIN : k == LH_T_INT ? INT32_MIN : INT64_MIN;
        hi = k == LH_T_TINYINT ? INT8_MAX : k == LH_T_SMALLINT ? INT16_MAX : k == LH_T_INT ? INT32_MAX : INT64_MAX;
        if (x < lo || x > hi)
            return pq_w_bad_value(w, col, "integer out of range", err);
        c->tag = LH_V_INT;
        c->u.i = x;
        return LH_OK;
    }
    case LH_T_BOOLEAN:
        c->tag = LH_V_INT;
        if (v->t == LH_V_INT)
            c->u.i = v->i != 0;
        else if (v->t == LH_V_REAL)
            c->u.i = v->d != 0;
        else if (v->t == LH_V_TEXT && v->n == 4 && !strncasecmp(v->s, "true", 4))
            c->u.i = 1;
        else if (v->t == LH_V_TEXT && v->n == 5 && !strncasecmp(v->s, "false", 5))
            c->u.i = 0;
        else
            return pq_w_bad_value(w, col, "value is not a boolean", err);
        return LH_OK;
    case LH_T_FLOAT:
    case LH_T_DOUBLE:
        c->tag = LH_V_REAL;
        if (v->t == LH_V_INT)
            c->u.d = (double)v->i;
        else if (v->t == LH_V_REAL)
            c->u.d = v->d;
        else if (parse_real(v->s, v->n, &c->u.d))
            return pq_w_bad_value(w, col, "value is not a number", err);
        return LH_OK;
    case LH_T_DATE: {
        int64_t days, ms;
        c->tag = LH_V_INT;
        if (v->t == LH_V_TEXT && lh_parse_date(v->s, v->n, &days) == 0)
            c->u.i = days;
        else if (v->t == LH_V_TEXT && lh_parse_timestamp_ms(v->s, v->n, &ms) == 0)
            c->u.i = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
        else if (v->t == LH_V_INT)
            c->u.i = v->i;
        else
            return pq_w_bad_value(w, col, "value is not a date (YYYY-MM-DD)", err);
        if (c->u.i < INT32_MIN || c->u.i > INT32_MAX)
            return pq_w_bad_value(w, col, "date out of range", err);
        return LH_OK;
    }
    case LH_T_TIMESTAMP: {
        int64_t ms;
        c->tag = LH_V_INT;
        if (v->t == LH_V_TEXT && lh_parse_timestamp_ms(v->s, v->n, &ms) == 0)
            ;
        else if (v->t == LH_V_INT)
            ms = v->i;
        else
            return pq_w_bad_value(w, col, "value is not a timestamp (YYYY-MM-DD HH:MM:SS.mmm)", err);
        if (w->ts_micros && (ms > INT64_MAX / 1000 || ms < INT64_MIN / 1000))
            return pq_w_bad_value(w, col, "timestamp out of range", err);
        c->u.i = w->ts_micros ? ms * 1000 : ms;
        return LH_OK;
    }
    case LH_T_DECIMAL: {
        i128 u, lim = pq_w_p10(wc->type.p);
        if (v->t == LH_V_INT) {
            if (v->i > 0 ? (i128)v->i >= lim : -(i128)v->i >= lim)
                return pq_w_bad_decimal(w, col, v, err);
            u = (i128)v->i * pq_w_p10(wc->type.s);
        } else if (v->t == LH_V_REAL) {
            long double x = (long double)v->d * (long double)pq_w_p10(wc->type.s);
            if (!isfinite(v->d) || fabsl(x) >= (long double)lim)
                return pq_w_bad_decimal(w, col, v, err);
            u = (i128)roundl(x);
        } else {
            double d;
            if (parse_decimal(v->s, v->n, wc->type.s, &u)) {
                long double x;
                if (parse_real(v->s, v->n, &d) || !isfinite(d))
                    return pq_w_bad_value(w, col, "value is not a decimal number", err);
                x = (long double)d * (long double)pq_w_p10(wc->type.s);
                if (fabsl(x) >= (long double)lim)
                    return pq_w_bad_decimal(w, col, v, err);
                u = (i128)roundl(x);
            }
        }
        if (u >= lim || u <= -lim)
            return pq_w_bad_decimal(w, col, v, err);
        c->tag = LH_V_INT;
        if (wc->phys != PQ_FLBA) {
            c->u.i = (int64_t)u;
            return LH_OK;
        }
        {
            uint8_t be[16];
            int L = wc->type_length;
            for (int b = 0; b < L; b++)
                be[L - 1 - b] = (uint8_t)(u >> (8 * b));
            c->tag = LH_V_TEXT;
            c->off = (uint32_t)wc->bytes.len;
            c->len = (uint32_t)L;
            rc = lh_buf_append(&wc->bytes, be, (size_t)L, err);
        }
        return rc;
    }
    default: return pq_w_bad_value(w, col, "unsupported column type", err);
    }
}

/* ---------------- inference ---------------- */

static lh_rc infer_types(lh_pq_writer *w, lh_err *err)
{
    size_t i, k;
    lh_rc rc = LH_OK;
    for (i = 0; i < w->n_cols; i++) {
        wcol *wc = &w->cols[i];
        int any_text = 0, any_real = 0, any_int = 0;
        if (wc->type.kind)
            continue;
        for (k = 0; k < wc->n_cells; k++) {
            any_text |= wc->cells[k].tag == LH_V_TEXT;
            any_real |= wc->cells[k].tag == LH_V_REAL;
            any_int |= wc->cells[k].tag == LH_V_INT;
        }
        wc->type.kind = any_text || !(any_real || any_int) ? LH_T_STRING : any_real ? LH_T_DOUBLE : LH_T_BIGINT;
        for (k = 0; k < wc->n_cells; k++) {
            cell *c = &wc->cells[k];
            if (wc->type.kind == LH_T_STRING && c->tag != LH_V_TEXT) {
                char tmp[64];
                size_t n = c->tag == LH_V_INT ? (size_t)snprintf(tmp, sizeof tmp, "%lld", (long long)c->u.i)
                                              : (size_t)snprintf(tmp, sizeof tmp, "%.17g", c->u.d);
                if (wc->bytes.len > UINT32_MAX - n)
                    return pq_w_bad_value(w, i, "row group text exceeds 4 GiB", err);
                c->off = (uint32_t)wc->bytes.len;
                c->len = (uint32_t)n;
                c->tag = LH_V_TEXT;
                if ((rc = lh_buf_append(&wc->bytes, tmp, n, err)))
                    return rc;
            } else if (wc->type.kind == LH_T_DOUBLE && c->tag == LH_V_INT) {
                c->u.d = (double)c->u.i;
                c->tag = LH_V_REAL;
            }
        }
        set_phys(wc);
        w->types[i] = wc->type;
    }
    w->inferred = 1;
    return LH_OK;
}

/* ---------------- encoding a column chunk ----------------
 *
 * encode_chunk turns one column of a row group into its pages (dictionary
 * page, data pages v1) in an in-memory buffer, with the chunk metadata's
 * offsets relative to the start of that buffer; put_chunk writes it to the
 * store and makes the offsets absolute.  It touches only its pq_enc, the
 * column it is given and its pq_colmeta, so two threads can encode two
 * columns at once. */

static size_t plain_size(const wcol *wc, const cell *c)
{
    switch (wc->phys) {
    case PQ_INT32:
    case PQ_FLOAT: return 4;
    case PQ_INT64:
    case PQ_DOUBLE: return 8;
    case PQ_FLBA: return (size_t)wc->type_length;
    case PQ_BYTE_ARRAY: return 4 + c->len;
    default: return 1;
    }
}

static void le32(uint8_t *d, uint32_t u)
{
    d[0] = (uint8_t)u;
    d[1] = (uint8_t)(u >> 8);
    d[2] = (uint8_t)(u >> 16);
    d[3] = (uint8_t)(u >> 24);
}

static void le64(uint8_t *d, uint64_t u)
{
    le32(d, (uint32_t)u);
    le32(d + 4, (uint32_t)(u >> 32));
}

/* PLAIN form of c at d (plain_size(wc, c) bytes; not for booleans). */
static size_t plain_put(uint8_t *d, const wcol *wc, const cell *c)
{
    switch (wc->phys) {
    case PQ_INT32: le32(d, (uint32_t)(int32_t)c->u.i); return 4;
    case PQ_INT64: le64(d, (uint64_t)c->u.i); return 8;
    case PQ_FLOAT: {
        float f = (float)c->u.d;
        uint32_t u;
        memcpy(&u, &f, 4);
        le32(d, u);
        return 4;
    }
    case PQ_DOUBLE: {
        uint64_t u;
        memcpy(&u, &c->u.d, 8);
        le64(d, u);
        return 8;
    }
    case PQ_BYTE_ARRAY:
        le32(d, c->len);
        if (c->len)
            memcpy(d + 4, wc->bytes.data + c->off, c->len);
        return 4 + (size_t)c->len;
    default: /* PQ_FLBA */
        memcpy(d, wc->bytes.data + c->off, c->len);
        return c->len;
    }
}

/* Append the PLAIN values of cells ids[k] (or cells k when ids is NULL) for
 * k in [from, to): one reservation, then direct stores. */
static lh_rc put_plain_cells(lh_buf *b, const wcol *wc, const uint32_t *ids, size_t from, size_t to, lh_err *err)
{
    size_t k, need = 0;
    uint8_t *d;
    lh_rc rc;
    if (wc->phys == PQ_BYTE_ARRAY) {
        for (k = from; k < to; k++)
            need += 4 + (size_t)wc->cells[ids ? ids[k] : k].len;
    } else if (from < to) {
        need = (to - from) * plain_size(wc, &wc->cells[ids ? ids[from] : from]);
    }
    if ((rc = lh_buf_reserve(b, need, err)))
        return rc;
    d = (uint8_t *)b->data + b->len;
    for (k = from; k < to; k++)
        d += plain_put(d, wc, &wc->cells[ids ? ids[k] : k]);
    b->len += need;
    b->data[b->len] = 0;
    return LH_OK;
}

static uint64_t fmix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

/* Hash for the dictionary table only (never written): 8 bytes at a time. */
static uint64_t cell_hash(const wcol *wc, const cell *c)
{
    if (wc->phys == PQ_BYTE_ARRAY || wc->phys == PQ_FLBA) {
        const uint8_t *p = (const uint8_t *)wc->bytes.data + c->off;
        uint32_t n = c->len;
        uint64_t h = 0x9e3779b97f4a7c15ull * (n + 1), x;
        for (; n >= 8; p += 8, n -= 8) {
            memcpy(&x, p, 8);
            h = (h ^ x) * 0xbf58476d1ce4e5b9ull;
            h ^= h >> 29;
        }
        if (n) {
            x = 0;
            memcpy(&x, p, n);
            h = (h ^ x) * 0x94d049bb133111ebull;
        }
        return fmix64(h);
    }
    if (wc->phys == PQ_FLOAT) {
        float f = (float)c->u.d;
        uint32_t u;
        memcpy(&u, &f, 4);
        return fmix64(u);
    }
    {
        uint64_t u;
        memcpy(&u, &c->u, 8);
        return fmix64(u);
    }
}

static int cell_eq(const wcol *wc, const cell *a, const cell *b)
{
    if (wc->phys == PQ_BYTE_ARRAY || wc->phys == PQ_FLBA)
        return a->len == b->len && memcmp(wc->bytes.data + a->off, wc->bytes.data + b->off, a->len) == 0;
    if (wc->phys == PQ_FLOAT) {
        float x = (float)a->u.d, y = (float)b->u.d;
        return memcmp(&x, &y, 4) == 0;
    }
    return memcmp(&a->u, &b->u, 8) == 0;
}

/* a < b in the column's byte sort order (BYTE_ARRAY, FLBA decimals). */
static int bytes_less(const wcol *wc, const cell *a, const cell *b)
{
    const uint8_t *x = (const uint8_t *)wc->bytes.data + a->off, *y = (const uint8_t *)wc->bytes.data + b->off;
    int c;
    if (wc->phys == PQ_FLBA) { /* big-endian two's complement decimal */
        if (x[0] != y[0])
            return (int8_t)x[0] < (int8_t)y[0];
        return memcmp(x + 1, y + 1, a->len - 1) < 0;
    }
    c = a->len && b->len ? memcmp(x, y, a->len < b->len ? a->len : b->len) : 0;
    return c ? c < 0 : a->len < b->len;
}

/* Dictionary of the chunk's distinct values in first-seen order until it
 * would pass dict_max bytes: e->dent[j] is the cell of entry j, e->idx[k]
 * the entry of cell k for k < *limit.  The open-addressing table starts
 * small and doubles at half load, so a low-cardinality column probes a
 * table that stays in cache. */
static lh_rc build_dict(pq_enc *e, const wcol *wc, size_t *n_out, size_t *limit, lh_err *err)
{
    size_t tsize = 64, mask, n_dict = 0, dict_bytes = 0, k, j;
    lh_rc rc;
    if ((rc = pq_w_grow((void **)&e->idx, &e->idx_cap, wc->n_cells, sizeof *e->idx, err)) ||
        (rc = pq_w_grow((void **)&e->table, &e->table_cap, tsize, sizeof *e->table, err)))
        return rc;
    memset(e->table, 0xff, tsize * sizeof *e->table);
    mask = tsize - 1;
    for (k = 0; k < wc->n_cells; k++) {
        const cell *c = &wc->cells[k];
        uint64_t h = cell_hash(wc, c);
        size_t slot = (size_t)h & mask;
        uint32_t id;
        while ((id = e->table[slot]) != UINT32_MAX &&
               (e->dhash[id] != (uint32_t)h || !cell_eq(wc, &wc->cells[e->dent[id]], c)))
            slot = (slot + 1) & mask;
        if (id == UINT32_MAX) {
            size_t add = plain_size(wc, c);
            if (dict_bytes + add > e->cfg->dict_max)
                break;
            if (n_dict >= UINT32_MAX - 1 || tsize > ((size_t)1 << 31))
                return lh_errf(err, LH_ELIMIT, "%s: column '%s': too many distinct values in a row group",
                               e->cfg->uri, wc->name);
            if ((rc = pq_w_grow((void **)&e->dent, &e->dent_cap, n_dict + 1, sizeof *e->dent, err)) ||
                (rc = pq_w_grow((void **)&e->dhash, &e->dhash_cap, n_dict + 1, sizeof *e->dhash, err)))
                return rc;
            dict_bytes += add;
            id = (uint32_t)n_dict++;
            e->dent[id] = (uint32_t)k;
            e->dhash[id] = (uint32_t)h;
            e->table[slot] = id;
            if (2 * n_dict > tsize) { /* rehash into twice the slots */
                tsize *= 2;
                mask = tsize - 1;
                if ((rc = pq_w_grow((void **)&e->table, &e->table_cap, tsize, sizeof *e->table, err)))
                    return rc;
                memset(e->table, 0xff, tsize * sizeof *e->table);
                for (j = 0; j < n_dict; j++) {
                    size_t s = e->dhash[j] & mask;
                    while (e->table[s] != UINT32_MAX)
                        s = (s + 1) & mask;
                    e->table[s] = (uint32_t)j;
                }
            }
        }
        e->idx[k] = id;
    }
    *n_out = n_dict;
    *limit = k;
    return LH_OK;
}

static lh_rc stat_bin(pq_enc *e, const wcol *wc, const cell *c, pq_bin *out, lh_err *err)
{
    size_t n = wc->phys == PQ_BOOLEAN ? 1 : wc->phys == PQ_BYTE_ARRAY ? c->len : plain_size(wc, c);
    uint8_t *p = lh_arena_alloc(&e->arena, n ? n : 1);
    if (!p)
        return pq_w_nomem(err);
    if (wc->phys == PQ_BOOLEAN)
        p[0] = c->u.i ? 1 : 0;
    else if (wc->phys == PQ_BYTE_ARRAY) {
        if (n)
            memcpy(p, wc->bytes.data + c->off, n);
    } else
        plain_put(p, wc, c);
    out->p = p;
    out->n = n;
    out->set = 1;
    return LH_OK;
}

/* Min and max over the dictionary entries (every distinct value of cells
 * [0, limit)) and the cells [limit, n_cells) written PLAIN: the same
 * values as a scan of every cell, in far fewer comparisons. */
static lh_rc chunk_stats(pq_enc *e, const wcol *wc, size_t n_dict, size_t limit, pq_stats *st, lh_err *err)
{
    const cell *mn = NULL, *mx = NULL;
    cell zmin, zmax;
    size_t pass, k;
    lh_rc rc;
    st->set = 1;
    st->has_null_count = 1;
    st->null_count = (int64_t)(wc->n_rows - wc->n_cells);
    for (pass = 0; pass < 2; pass++) {
        const uint32_t *ids = pass ? NULL : e->dent;
        size_t from = pass ? limit : 0, to = pass ? wc->n_cells : n_dict;
        switch (wc->phys) {
        case PQ_FLOAT:
        case PQ_DOUBLE:
            for (k = from; k < to; k++) {
                const cell *c = &wc->cells[ids ? ids[k] : k];
                if (isnan(c->u.d))
                    continue;
                if (!mn)
                    mn = mx = c;
                else if (c->u.d < mn->u.d)
                    mn = c;
                else if (c->u.d > mx->u.d)
                    mx = c;
            }
            break;
        case PQ_BYTE_ARRAY:
        case PQ_FLBA:
            for (k = from; k < to; k++) {
                const cell *c = &wc->cells[ids ? ids[k] : k];
                if (!mn)
                    mn = mx = c;
                else if (bytes_less(wc, c, mn))
                    mn = c;
                else if (bytes_less(wc, mx, c))
                    mx = c;
            }
            break;
        default: /* INT32, INT64, BOOLEAN */
            for (k = from; k < to; k++) {
                const cell *c = &wc->cells[ids ? ids[k] : k];
                if (!mn)
                    mn = mx = c;
                else if (c->u.i < mn->u.i)
                    mn = c;
                else if (c->u.i > mx->u.i)
                    mx = c;
            }
            break;
        }
    }
    if (!mn)
        return LH_OK;
    if (wc->phys == PQ_BYTE_ARRAY && (mn->len > 4096 || mx->len > 4096))
        return LH_OK; /* too long to be worth storing untruncated */
    if (wc->phys == PQ_FLOAT || wc->phys == PQ_DOUBLE) {
        zmin = *mn;
        zmax = *mx;
        if (zmin.u.d == 0)
            zmin.u.d = -0.0;
        if (zmax.u.d == 0)
            zmax.u.d = 0.0;
        mn = &zmin;
        mx = &zmax;
    }
    if ((rc = stat_bin(e, wc, mn, &st->min_value, err)) || (rc = stat_bin(e, wc, mx, &st->max_value, err)))
        return rc;
    if (wc->phys != PQ_BYTE_ARRAY && wc->phys != PQ_FLBA) {
        st->min = st->min_value;
        st->max = st->max_value;
    }
    return LH_OK;
}

/* Compress e->page and append its header and bytes to out. */
static lh_rc emit_page(pq_enc *e, pq_page_header *h, pq_colmeta *cm, lh_buf *out, lh_err *err)
{
    lh_rc rc;
    lh_buf_reset(&e->comp);
    lh_buf_reset(&e->hdr);
    if (e->page.len > (size_t)INT32_MAX)
        return lh_errf(err, LH_ELIMIT, "%s: page larger than 2 GiB", e->cfg->uri);
    if ((rc = lh_codec_compress(e->cfg->codec, e->page.data, e->page.len, &e->comp, err)))
        return rc;
    if (e->comp.len > (size_t)INT32_MAX)
        return lh_errf(err, LH_ELIMIT, "%s: page larger than 2 GiB", e->cfg->uri);
    h->uncompressed_size = (int32_t)e->page.len;
    h->compressed_size = (int32_t)e->comp.len;
    h->has_crc = 1;
    h->crc = (uint32_t)crc32(0, (const Bytef *)(e->comp.len ? e->comp.data : ""), (uInt)e->comp.len);
    if ((rc = pq_page_header_encode(&e->hdr, h, err)))
        return rc;
    if ((rc = lh_buf_append(out, e->hdr.data, e->hdr.len, err)) ||
        (rc = lh_buf_append(out, e->comp.data, e->comp.len, err)))
        return rc;
    cm->total_uncompressed += (int64_t)(e->hdr.len + e->page.len);
    cm->total_compressed += (int64_t)(e->hdr.len + e->comp.len);
    return LH_OK;
}

/* Encode column wc of a row group into out (reset first); cm's offsets are
 * relative to out's start.  Metadata goes to e->arena. */
static lh_rc encode_chunk(pq_enc *e, const wcol *wc, pq_colmeta *cm, lh_buf *out, lh_err *err)
{
    const pq_cfg *cfg = e->cfg;
    lh_rc rc = LH_OK;
    size_t n_dict = 0, dict_limit = 0, k, row, vi;
    int use_dict = !cfg->no_dict && wc->phys != PQ_BOOLEAN && wc->n_cells > 0;
    int32_t *enc;
    char **path;
    pq_page_header h;
    memset(cm, 0, sizeof *cm);
    lh_buf_reset(out);
    cm->type = wc->phys;
    cm->codec = cfg->codec;
    cm->num_values = (int64_t)wc->n_rows;
    cm->dictionary_page_offset = -1;
    path = lh_arena_alloc(&e->arena, sizeof *path);
    enc = lh_arena_alloc(&e->arena, 3 * sizeof *enc);
    if (!path || !enc)
        return pq_w_nomem(err);
    path[0] = wc->name;
    cm->path = path;
    cm->n_path = 1;
    cm->encodings = enc;
    if (use_dict) {
        TRY(build_dict(e, wc, &n_dict, &dict_limit, err));
        if (n_dict == 0)
            use_dict = 0;
    }
    if (!use_dict)
        n_dict = dict_limit = 0;
    TRY(chunk_stats(e, wc, n_dict, dict_limit, &cm->stats, err));
    if (use_dict) {
        lh_buf_reset(&e->page);
        TRY(put_plain_cells(&e->page, wc, e->dent, 0, n_dict, err));
        memset(&h, 0, sizeof h);
        h.type = PQ_PAGE_DICT;
        h.num_values = (int32_t)n_dict;
        h.encoding = PQ_ENC_PLAIN;
        cm->dictionary_page_offset = (int64_t)out->len;
        TRY(emit_page(e, &h, cm, out, err));
    }
    cm->data_page_offset = (int64_t)out->len;
    TRY(pq_w_grow((void **)&e->u32, &e->u32_cap, wc->n_rows + 8, sizeof *e->u32, err));
    row = vi = 0;
    while (row < wc->n_rows) {
        size_t r0 = row, v0 = vi, est = 0, lenpos;
        int dict_mode = use_dict && vi < dict_limit;
        uint32_t len;
        while (row < wc->n_rows) {
            if (wc->defs[row]) {
                if (dict_mode && vi >= dict_limit)
                    break;
                est += dict_mode ? 2 : plain_size(wc, &wc->cells[vi]);
                vi++;
            }
            row++;
            if (est >= cfg->page_bytes || row - r0 >= ((size_t)1 << 20))
                break;
        }
        lh_buf_reset(&e->page);
        for (k = r0; k < row; k++)
            e->u32[k - r0] = wc->defs[k];
        TRY(lh_buf_append(&e->page, "\0\0\0\0", 4, err));
        lenpos = e->page.len;
        TRY(pq_rle_encode(&e->page, e->u32, row - r0, 1, err));
        len = (uint32_t)(e->page.len - lenpos);
        le32((uint8_t *)e->page.data + lenpos - 4, len);
        if (dict_mode) {
            int bw = pq_bit_width(n_dict - 1);
            if (bw == 0)
                bw = 1;
            TRY(lh_buf_putc(&e->page, (char)bw, err));
            TRY(pq_rle_encode(&e->page, e->idx + v0, vi - v0, bw, err));
        } else if (wc->phys == PQ_BOOLEAN) {
            size_t nb = (vi - v0 + 7) / 8;
            uint8_t *dst;
            TRY(lh_buf_reserve(&e->page, nb, err));
            dst = (uint8_t *)e->page.data + e->page.len;
            memset(dst, 0, nb);
            for (k = v0; k < vi; k++)
                if (wc->cells[k].u.i)
                    dst[(k - v0) >> 3] |= (uint8_t)(1u << ((k - v0) & 7));
            e->page.len += nb;
        } else {
            TRY(put_plain_cells(&e->page, wc, NULL, v0, vi, err));
        }
        memset(&h, 0, sizeof h);
        h.type = PQ_PAGE_DATA;
        h.num_values = (int32_t)(row - r0);
        h.encoding = dict_mode ? PQ_ENC_RLE_DICT : PQ_ENC_PLAIN;
        h.def_encoding = PQ_ENC_RLE;
        h.rep_encoding = PQ_ENC_RLE;
        TRY(emit_page(e, &h, cm, out, err));
    }
    cm->n_encodings = 0;
    enc[cm->n_encodings++] = PQ_ENC_RLE;
    enc[cm->n_encodings++] = PQ_ENC_PLAIN; /* dictionary page and/or fallback pages */
    if (use_dict)
        enc[cm->n_encodings++] = PQ_ENC_RLE_DICT;
    cm->has_meta = 1;
out:
    return rc;
}

/* ---------------- row groups: inline or on the worker ----------------
 *
 * Threads off (LH_THREADS=1): flush_rg encodes each column chunk and writes
 * it at once, on the calling thread.  Threads on: a full row group's column
 * buffers are swapped into the job (the caller goes on filling the job's
 * previous, already encoded buffers) and a worker thread encodes its
 * columns into job->chunks while the caller appends rows.  The next flush
 * (or close) takes any columns the worker has not started (work sharing on
 * job->next), joins it, then writes the chunks on the calling thread: the
 * worker never calls the store.  At close, the last row group is encoded by
 * both threads.  Chunks are written in column order with the same bytes
 * either way.  Ownership: while a job is active, job->own, job->chunks,
 * job->cm and w->wenc belong to the job; the caller touches them again only
 * after pthread_join. */

static lh_rc put_chunk(lh_pq_writer *w, pq_colmeta *cm, const lh_buf *b, lh_err *err)
{
    int64_t base = (int64_t)lh_store_writer_size(w->sw);
    cm->data_page_offset += base;
    if (cm->dictionary_page_offset >= 0)
        cm->dictionary_page_offset += base;
    return b->len ? lh_store_writer_write(w->sw, b->data, b->len, err) : LH_OK;
}

static lh_rc add_rg(lh_pq_writer *w, pq_colmeta *cm, int64_t num_rows, lh_err *err)
{
    rgmeta *rm;
    size_t i;
    lh_rc rc = pq_w_grow((void **)&w->rgs, &w->rgs_cap, w->n_rgs + 1, sizeof *w->rgs, err);
    if (rc)
        return rc;
    rm = &w->rgs[w->n_rgs++];
    rm->cols = cm;
    rm->num_rows = num_rows;
    rm->total_byte_size = 0;
    for (i = 0; i < w->n_cols; i++)
        rm->total_byte_size += cm[i].total_uncompressed;
    return LH_OK;
}

/* Take columns of the active job until none is left or one failed. */
static lh_rc encode_cols(rgjob *j, pq_enc *e, lh_err *err)
{
    for (;;) {
        size_t i;
        lh_rc rc;
        if (atomic_load_explicit(&j->stop, memory_order_relaxed))
            return LH_OK;
        i = atomic_fetch_add_explicit(&j->next, 1, memory_order_relaxed);
        if (i >= j->n_cols)
            return LH_OK;
        rc = encode_chunk(e, &j->cols[i], &j->cm[i], &j->chunks[i], err);
        if (rc) {
            atomic_store_explicit(&j->stop, 1, memory_order_relaxed);
            return rc;
        }
    }
}

static void *worker_main(void *arg)
{
    rgjob *j = arg;
    j->rc = encode_cols(j, j->enc, &j->err);
    atomic_store_explicit(&j->done, 1, memory_order_release);
    return NULL;
}

/* Stop the worker (if any) and wait for it. */
static lh_rc join_worker(rgjob *j, lh_err *err)
{
    int e;
    if (!j->running)
        return LH_OK;
    j->running = 0;
    e = pthread_join(j->tid, NULL);
    if (e)
        return lh_errf(err, LH_EINTERNAL, "parquet writer: cannot join the encoding thread: %s", strerror(e));
    return LH_OK;
}

/* Finish the active job (helping with the columns left), then write it. */
lh_rc pq_w_finish_job(lh_pq_writer *w, lh_err *err)
{
    rgjob *j = &w->job;
    lh_rc rc, jrc;
    size_t i;
    if (!j->active)
        return LH_OK;
    rc = encode_cols(j, &w->enc, err);
    jrc = join_worker(j, rc ? NULL : err);
    j->active = 0;
    if (!rc && jrc)
        return jrc;
    if (!rc && j->rc) {
        if (err)
            *err = j->err;
        return j->rc;
    }
    for (i = 0; !rc && i < w->n_cols; i++)
        rc = put_chunk(w, &j->cm[i], &j->chunks[i], err);
    if (!rc)
        rc = add_rg(w, j->cm, j->num_rows, err);
    return rc;
}

static lh_rc job_init(lh_pq_writer *w, lh_err *err)
{
    rgjob *j = &w->job;
    size_t i;
    if (j->own)
        return LH_OK;
    j->own = lh_calloc(w->n_cols, sizeof *j->own);
    j->chunks = lh_calloc(w->n_cols, sizeof *j->chunks);
    if (!j->own || !j->chunks) {
        lh_free(j->own);
        lh_free(j->chunks);
        j->own = NULL;
        j->chunks = NULL;
        return pq_w_nomem(err);
    }
    for (i = 0; i < w->n_cols; i++) {
        lh_buf_init(&j->own[i].bytes, (size_t)4 << 30);
        lh_buf_init(&j->chunks[i], CHUNK_CAP);
    }
    j->n_cols = w->n_cols;
    j->enc = &w->wenc;
    return LH_OK;
}

static void reset_col(wcol *c)
{
    c->n_rows = 0;
    c->n_cells = 0;
    lh_buf_reset(&c->bytes);
}

/* Encode the buffered row group.  final: called from close (nothing more
 * to overlap with, so both threads encode it). */
lh_rc pq_w_flush_rg(lh_pq_writer *w, int final, lh_err *err)
{
    lh_rc rc = LH_OK;
    rgjob *j = &w->job;
    pq_colmeta *cm;
    size_t i;
    if (!w->inferred)
        TRY(infer_types(w, err));
    TRY(pq_w_finish_job(w, err)); /* at most one row group in flight */
    if (w->rg_rows == 0)
        return LH_OK;
    cm = lh_arena_alloc(&w->arena, w->n_cols * sizeof *cm);
    if (!cm)
        TRY(pq_w_nomem(err));
    if (!lh_threads_enabled() || (final && (w->n_cols < 2 || w->rg_est < PAR_MIN_BYTES))) {
        for (i = 0; i < w->n_cols; i++) {
            TRY(encode_chunk(&w->enc, &w->cols[i], &cm[i], &w->chunk, err));
            TRY(put_chunk(w, &cm[i], &w->chunk, err));
        }
        TRY(add_rg(w, cm, (int64_t)w->rg_rows, err));
        for (i = 0; i < w->n_cols; i++)
            reset_col(&w->cols[i]);
    } else {
        TRY(job_init(w, err));
        if (final)
            j->cols = w->cols;
        else {
            for (i = 0; i < w->n_cols; i++) { /* swap buffers: the job takes the full ones */
                wcol t = j->own[i];
                j->own[i] = w->cols[i];
                w->cols[i].defs = t.defs;
                w->cols[i].defs_cap = t.defs_cap;
                w->cols[i].cells = t.cells;
                w->cols[i].cells_cap = t.cells_cap;
                w->cols[i].bytes = t.bytes;
                reset_col(&w->cols[i]);
            }
            j->cols = j->own;
        }
        j->cm = cm;
        j->num_rows = (int64_t)w->rg_rows;
        j->rc = LH_OK;
        atomic_store(&j->next, 0);
        atomic_store(&j->stop, 0);
        atomic_store(&j->done, 0);
        j->active = 1;
        j->running = pthread_create(&j->tid, NULL, worker_main, j) == 0; /* else: encoded inline below */
        if (final || !j->running)
            TRY(pq_w_finish_job(w, err));
    }
    w->rg_rows = 0;
    w->rg_est = 0;
out:
    return rc;
}

/* ---------------- public API ---------------- */

static void enc_init(pq_enc *e, const pq_cfg *cfg)
{
    memset(e, 0, sizeof *e);
    e->cfg = cfg;
    lh_buf_init(&e->page, 0);
    lh_buf_init(&e->comp, 0);
    lh_buf_init(&e->hdr, 0);
    lh_arena_init(&e->arena, 0);
}

static void enc_free(pq_enc *e)
{
    lh_buf_free(&e->page);
    lh_buf_free(&e->comp);
    lh_buf_free(&e->hdr);
    lh_free(e->u32);
    lh_free(e->idx);
    lh_free(e->table);
    lh_free(e->dent);
    lh_free(e->dhash);
    lh_arena_free(&e->arena);
}

static void writer_free(lh_pq_writer *w)
{
    size_t i;
    if (!w)
        return;
    if (w->job.running) { /* abort: the worker stops after its current column */
        atomic_store(&w->job.stop, 1);
        (void)join_worker(&w->job, NULL);
    }
    for (i = 0; w->job.own && i < w->job.n_cols; i++) {
        lh_free(w->job.own[i].defs); /* names are borrowed from w->cols */
        lh_free(w->job.own[i].cells);
        lh_buf_free(&w->job.own[i].bytes);
        lh_buf_free(&w->job.chunks[i]);
    }
    lh_free(w->job.own);
    lh_free(w->job.chunks);
    if (w->sw)
        lh_store_writer_abort(w->sw);
    for (i = 0; w->cols && i < w->n_cols; i++) {
        lh_free(w->cols[i].name);
        lh_free(w->cols[i].defs);
        lh_free(w->cols[i].cells);
        lh_buf_free(&w->cols[i].bytes);
    }
    for (i = 0; i < w->n_kv; i++) {
        lh_free(w->kv[i].key);
        lh_free(w->kv[i].value);
    }
    lh_free(w->kv);
    lh_free(w->cols);
    lh_free(w->types);
    lh_free(w->uri);
    lh_free(w->created_by);
    lh_free(w->rgs);
    lh_free(w->b_est);
    enc_free(&w->enc);
    enc_free(&w->wenc);
    lh_buf_free(&w->chunk);
    lh_arena_free(&w->arena);
    lh_free(w);
}

lh_rc lh_pq_writer_open(lh_store *s, const char *uri, const char *const *cols, const lh_type *types, size_t n_cols,
                        const lh_pq_write_opts *o, lh_pq_writer **out, lh_err *err)
{
    lh_rc rc = LH_OK;
    lh_pq_writer *w;
    size_t i;
    lh_pq_write_opts def;
    *out = NULL;
    if (!o) {
        memset(&def, 0, sizeof def);
        def.codec = LH_PQ_SNAPPY;
        o = &def;
    }
    if (n_cols == 0)
        return lh_errf(err, LH_EINVAL, "%s: a Parquet file needs at least one column", uri);
    w = lh_calloc(1, sizeof *w);
    if (!w)
        return pq_w_nomem(err);
    lh_arena_init(&w->arena, 0);
    enc_init(&w->enc, &w->cfg);
    enc_init(&w->wenc, &w->cfg);
    lh_buf_init(&w->chunk, CHUNK_CAP);
    w->s = s;
    w->n_cols = n_cols;
    w->cfg.codec = parquet_codec(o->codec);
    w->rg_bytes = o->row_group_bytes ? o->row_group_bytes : (size_t)128 << 20;
    w->cfg.page_bytes = o->page_bytes ? o->page_bytes : (size_t)1 << 20;
    w->cfg.dict_max = o->dict_max_bytes ? o->dict_max_bytes : (size_t)1 << 20;
    w->cfg.no_dict = o->no_dictionary;
    w->ts_micros = o->timestamp_micros;
    w->uri = lh_strdup(uri);
    w->cfg.uri = w->uri;
    w->created_by = lh_strdup(o->created_by ? o->created_by : "lakehouse version 0.1.0");
    w->cols = lh_calloc(n_cols, sizeof *w->cols);
    w->types = lh_calloc(n_cols, sizeof *w->types);
    w->kv = lh_calloc(o->n_kv + 1, sizeof *w->kv);
    if (!w->uri || !w->created_by || !w->cols || !w->types || !w->kv)
        TRY(pq_w_nomem(err));
    for (i = 0; i < o->n_kv; i++) {
        w->kv[i].key = lh_strdup(o->kv[i].key);
        w->kv[i].value = o->kv[i].value ? lh_strdup(o->kv[i].value) : NULL;
        w->n_kv++;
        if (!w->kv[i].key || (o->kv[i].value && !w->kv[i].value))
            TRY(pq_w_nomem(err));
    }
    w->inferred = 1;
    for (i = 0; i < n_cols; i++) {
        wcol *wc = &w->cols[i];
        lh_buf_init(&wc->bytes, (size_t)4 << 30);
        wc->name = lh_strdup(cols[i]);
        if (!wc->name)
            TRY(pq_w_nomem(err));
        wc->type = types[i];
        w->types[i] = types[i];
        if (wc->type.kind == LH_T_DECIMAL && (wc->type.p < 1 || wc->type.p > 38 || wc->type.s < 0 ||
                                              wc->type.s > wc->type.p))
            TRY(lh_errf(err, LH_EINVAL, "%s: column '%s': decimal(%d,%d) is out of range", uri, cols[i], wc->type.p,
                        wc->type.s));
        if ((int)wc->type.kind < 0 || wc->type.kind > LH_T_DECIMAL)
            TRY(lh_errf(err, LH_EINVAL, "%s: column '%s': unknown type", uri, cols[i]));
        if (wc->type.kind)
            set_phys(wc);
        else
            w->inferred = 0;
    }
    TRY(lh_store_writer_open(s, uri, &w->sw, err));
    TRY(lh_store_writer_write(w->sw, "PAR1", 4, err));
    *out = w;
    w = NULL;
out:
    writer_free(w);
    return rc;
}

lh_rc lh_pq_writer_row(lh_pq_writer *w, const lh_value *vals, lh_err *err)
{
    lh_rc rc = LH_OK;
    size_t i, est = 0;
    if (w->failed)
        return lh_errf(err, LH_EINVAL, "%s: parquet writer used after an error", w->uri);
    if (w->job.running && atomic_load_explicit(&w->job.done, memory_order_acquire))
        TRY(pq_w_finish_job(w, err)); /* write it now; a worker error surfaces here */
    for (i = 0; i < w->n_cols; i++) {
        wcol *wc = &w->cols[i];
        if (wc->n_rows >= wc->defs_cap) /* the call only when full: this runs once per value */
            TRY(pq_w_grow((void **)&wc->defs, &wc->defs_cap, wc->n_rows + 1, 1, err));
        if (vals[i].t == LH_V_NULL) {
            wc->defs[wc->n_rows++] = 0;
            est += 1;
            continue;
        }
        if (wc->n_cells >= wc->cells_cap)
            TRY(pq_w_grow((void **)&wc->cells, &wc->cells_cap, wc->n_cells + 1, sizeof *wc->cells, err));
        TRY(to_cell(w, i, &vals[i], &wc->cells[wc->n_cells], err));
        est += 1 + sizeof(cell) + wc->cells[wc->n_cells].len;
        wc->n_cells++;
        wc->defs[wc->n_rows++] = 1;
    }
    w->rg_rows++;
    w->total_rows++;
    w->rg_est += est;
    if (w->rg_est >= w->rg_bytes)
        TRY(pq_w_flush_rg(w, 0, err));
out:
    if (rc) {
        w->failed = 1;
        /* keep the columns aligned for a clean abort */
    }
    return rc;
}

const lh_type *lh_pq_writer_types(const lh_pq_writer *w) { return w->types; }

lh_rc lh_pq_writer_infer(lh_pq_writer *w, lh_err *err)
{
    lh_rc rc;
    if (w->failed)
        return lh_errf(err, LH_EINVAL, "%s: parquet writer used after an error", w->uri);
    if (w->inferred)
        return LH_OK;
    rc = infer_types(w, err);
    if (rc)
        w->failed = 1;
    return rc;
}

static const char *hive_name(const lh_type *t, char *buf, size_t n) { return lh_type_name(t, buf, n); }

lh_rc lh_pq_writer_close(lh_pq_writer *w, uint64_t *bytes, uint64_t *rows, lh_err *err)
{
    lh_rc rc = LH_OK;
    lh_pq_meta m;
    pq_schema_el *schema = NULL;
    pq_rowgroup *rgs = NULL;
    pq_kv *kv = NULL;
    lh_buf schema_txt, foot;
    size_t i;
    uint8_t tail[8];
    lh_buf_init(&schema_txt, 0);
    lh_buf_init(&foot, 0);
    if (w->failed)
        TRY(lh_errf(err, LH_EINVAL, "%s: parquet writer closed after an error; nothing written", w->uri));
    TRY(pq_w_flush_rg(w, 1, err));
    if (!w->inferred)
        TRY(infer_types(w, err));
    memset(&m, 0, sizeof m);
    schema = lh_calloc(w->n_cols + 1, sizeof *schema);
    rgs = lh_calloc(w->n_rgs + 1, sizeof *rgs);
    kv = lh_calloc(w->n_kv + 1, sizeof *kv);
    if (!schema || !rgs || !kv)
        TRY(pq_w_nomem(err));
    schema[0].type = -1;
    schema[0].repetition = -1;
    schema[0].converted = -1;
    schema[0].name = "schema";
    schema[0].num_children = (int32_t)w->n_cols;
    for (i = 0; i < w->n_cols; i++) {
        pq_schema_el *e = &schema[i + 1];
        const wcol *wc = &w->cols[i];
        char tb[64];
        e->type = wc->phys;
        e->type_length = wc->type_length;
        e->repetition = PQ_OPTIONAL;
        e->name = wc->name;
        e->converted = -1;
        switch (wc->type.kind) {
        case LH_T_TINYINT:
        case LH_T_SMALLINT:
        case LH_T_INT:
        case LH_T_BIGINT:
            e->lt = PQ_LT_INTEGER;
            e->lt_signed = 1;
            e->lt_bits = wc->type.kind == LH_T_TINYINT ? 8 : wc->type.kind == LH_T_SMALLINT ? 16
                         : wc->type.kind == LH_T_INT   ? 32
                                                       : 64;
            e->converted = e->lt_bits == 8 ? PQ_CT_INT_8 : e->lt_bits == 16 ? PQ_CT_INT_16
                           : e->lt_bits == 32 ? PQ_CT_INT_32
                                              : PQ_CT_INT_64;
            break;
        case LH_T_DATE:
            e->lt = PQ_LT_DATE;
            e->converted = PQ_CT_DATE;
            break;
        case LH_T_TIMESTAMP:
            e->lt = PQ_LT_TIMESTAMP;
            e->lt_utc = 0;
            e->lt_unit = w->ts_micros ? PQ_UNIT_MICROS : PQ_UNIT_MILLIS;
            break;
        case LH_T_DECIMAL:
            e->lt = PQ_LT_DECIMAL;
            e->converted = PQ_CT_DECIMAL;
            e->scale = e->lt_scale = wc->type.s;
            e->precision = e->lt_precision = wc->type.p;
            break;
        case LH_T_STRING:
        case LH_T_VARCHAR:
        case LH_T_CHAR:
            e->lt = PQ_LT_STRING;
            e->converted = PQ_CT_UTF8;
            break;
        default: break;
        }
        TRY(lh_buf_printf(&schema_txt, err, "%s%s %s", i ? "," : "", wc->name, hive_name(&wc->type, tb, sizeof tb)));
    }
    for (i = 0; i < w->n_rgs; i++) {
        rgs[i].cols = w->rgs[i].cols;
        rgs[i].n_cols = w->n_cols;
        rgs[i].num_rows = w->rgs[i].num_rows;
        rgs[i].total_byte_size = w->rgs[i].total_byte_size;
    }
    kv[0].key = "lakehouse.hive_schema";
    kv[0].value = (char *)lh_buf_cstr(&schema_txt);
    if (!kv[0].value)
        TRY(pq_w_nomem(err));
    for (i = 0; i < w->n_kv; i++)
        kv[i + 1] = w->kv[i];
    m.version = 1;
    m.schema = schema;
    m.n_schema = w->n_cols + 1;
    m.num_rows = (int64_t)w->total_rows;
    m.rgs = rgs;
    m.n_rgs = w->n_rgs;
    m.kv = kv;
    m.n_kv = w->n_kv + 1;
    m.created_by = w->created_by;
    m.has_column_orders = 1;
    TRY(pq_meta_encode(&foot, &m, err));
    if (foot.len > UINT32_MAX)
        TRY(lh_errf(err, LH_ELIMIT, "%s: footer too large", w->uri));
    for (i = 0; i < 4; i++)
        tail[i] = (uint8_t)(foot.len >> (8 * i));
    memcpy(tail + 4, "PAR1", 4);
    TRY(lh_store_writer_write(w->sw, foot.data, foot.len, err));
    TRY(lh_store_writer_write(w->sw, tail, 8, err));
    if (bytes)
        *bytes = lh_store_writer_size(w->sw);
    if (rows)
        *rows = w->total_rows;
    rc = lh_store_writer_commit(w->sw, err);
    w->sw = NULL;
out:
    lh_free(schema);
    lh_free(rgs);
    lh_free(kv);
    lh_buf_free(&schema_txt);
    lh_buf_free(&foot);
    writer_free(w);
    return rc;
}

void lh_pq_writer_abort(lh_pq_writer *w) { writer_free(w); }
