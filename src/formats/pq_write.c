/* formats/pq_write.c — the Parquet writer (see parquet.h for the contract).
 *
 * Rows are buffered per row group as cells in each column's canonical form
 * (converted on arrival, so a bad value fails at lh_pq_writer_row); when the
 * estimated size reaches row_group_bytes the row group is encoded column by
 * column (dictionary page, data pages v1) and streamed to the store writer.
 * Column chunk metadata accumulates in an arena until the footer.
 */
#include "formats/parquet.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "formats/codec.h"
#include "formats/pq_encode.h"
#include "formats/pq_meta.h"

#define TRY(x)                                                                                                         \
    do {                                                                                                               \
        rc = (x);                                                                                                      \
        if (rc)                                                                                                        \
            goto out;                                                                                                  \
    } while (0)

typedef __int128 i128;

typedef struct cell {
    union {
        int64_t i;
        double d;
    } u;
    uint32_t off, len; /* bytes (TEXT, wide decimals) */
    uint8_t tag;       /* LH_V_INT / LH_V_REAL / LH_V_TEXT */
} cell;

typedef struct wcol {
    char *name;
    lh_type type; /* kind 0 until inferred */
    int phys, type_length;
    uint8_t *defs;
    size_t n_rows, defs_cap;
    cell *cells;
    size_t n_cells, cells_cap;
    lh_buf bytes;
} wcol;

typedef struct rgmeta {
    pq_colmeta *cols;
    int64_t num_rows, total_byte_size;
} rgmeta;

struct lh_pq_writer {
    lh_store *s;
    char *uri;
    lh_store_writer *sw;
    size_t n_cols;
    wcol *cols;
    lh_type *types;
    int codec;
    size_t rg_bytes, page_bytes, dict_max;
    int no_dict, ts_micros;
    char *created_by;
    pq_kv *kv;
    size_t n_kv;
    int inferred;
    size_t rg_rows, rg_est;
    uint64_t total_rows;
    lh_arena arena; /* footer metadata */
    rgmeta *rgs;
    size_t n_rgs, rgs_cap;
    int failed;
    /* scratch for encoding */
    lh_buf page, comp, hdr;
    uint32_t *u32;
    size_t u32_cap;
};

static lh_rc nomem(lh_err *err) { return lh_errf(err, LH_ENOMEM, "parquet writer: out of memory"); }

static lh_rc grow(void **p, size_t *cap, size_t need, size_t elem, lh_err *err)
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
        return nomem(err);
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

static lh_rc bad_value(lh_pq_writer *w, size_t col, const char *why, lh_err *err)
{
    char tb[64];
    return lh_errf(err, LH_EDATA, "%s: column '%s' (%s): %s", w->uri, w->cols[col].name,
                   w->cols[col].type.kind ? lh_type_name(&w->cols[col].type, tb, sizeof tb) : "inferred", why);
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

static i128 p10(int e)
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
    v = v * p10(scale - frac) + round;
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
            return bad_value(w, col, "row group text exceeds 4 GiB", err);
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
            return bad_value(w, col, "value is not an integer", err);
        lo = k == LH_T_TINYINT ? INT8_MIN : k == LH_T_SMALLINT ? INT16_MIN : k == LH_T_INT ? INT32_MIN : INT64_MIN;
        hi = k == LH_T_TINYINT ? INT8_MAX : k == LH_T_SMALLINT ? INT16_MAX : k == LH_T_INT ? INT32_MAX : INT64_MAX;
        if (x < lo || x > hi)
            return bad_value(w, col, "integer out of range", err);
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
            return bad_value(w, col, "value is not a boolean", err);
        return LH_OK;
    case LH_T_FLOAT:
    case LH_T_DOUBLE:
        c->tag = LH_V_REAL;
        if (v->t == LH_V_INT)
            c->u.d = (double)v->i;
        else if (v->t == LH_V_REAL)
            c->u.d = v->d;
        else if (parse_real(v->s, v->n, &c->u.d))
            return bad_value(w, col, "value is not a number", err);
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
            return bad_value(w, col, "value is not a date (YYYY-MM-DD)", err);
        if (c->u.i < INT32_MIN || c->u.i > INT32_MAX)
            return bad_value(w, col, "date out of range", err);
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
            return bad_value(w, col, "value is not a timestamp (YYYY-MM-DD HH:MM:SS.mmm)", err);
        if (w->ts_micros && (ms > INT64_MAX / 1000 || ms < INT64_MIN / 1000))
            return bad_value(w, col, "timestamp out of range", err);
        c->u.i = w->ts_micros ? ms * 1000 : ms;
        return LH_OK;
    }
    case LH_T_DECIMAL: {
        i128 u, lim = p10(wc->type.p);
        if (v->t == LH_V_INT) {
            if (v->i > 0 ? (i128)v->i >= lim : -(i128)v->i >= lim)
                return bad_value(w, col, "value out of the decimal's range", err);
            u = (i128)v->i * p10(wc->type.s);
        } else if (v->t == LH_V_REAL) {
            long double x = (long double)v->d * (long double)p10(wc->type.s);
            if (!isfinite(v->d) || fabsl(x) >= (long double)lim)
                return bad_value(w, col, "value out of the decimal's range", err);
            u = (i128)roundl(x);
        } else {
            double d;
            if (parse_decimal(v->s, v->n, wc->type.s, &u)) {
                long double x;
                if (parse_real(v->s, v->n, &d) || !isfinite(d))
                    return bad_value(w, col, "value is not a decimal number", err);
                x = (long double)d * (long double)p10(wc->type.s);
                if (fabsl(x) >= (long double)lim)
                    return bad_value(w, col, "value out of the decimal's range", err);
                u = (i128)roundl(x);
            }
        }
        if (u >= lim || u <= -lim)
            return bad_value(w, col, "value out of the decimal's range", err);
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
    default: return bad_value(w, col, "unsupported column type", err);
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
                    return bad_value(w, i, "row group text exceeds 4 GiB", err);
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

/* ---------------- encoding a column chunk ---------------- */

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

static lh_rc put_plain(lh_buf *b, const wcol *wc, const cell *c, lh_err *err)
{
    uint8_t t[8];
    switch (wc->phys) {
    case PQ_INT32: {
        uint32_t u = (uint32_t)(int32_t)c->u.i;
        for (int i = 0; i < 4; i++)
            t[i] = (uint8_t)(u >> (8 * i));
        return lh_buf_append(b, t, 4, err);
    }
    case PQ_INT64: {
        uint64_t u = (uint64_t)c->u.i;
        for (int i = 0; i < 8; i++)
            t[i] = (uint8_t)(u >> (8 * i));
        return lh_buf_append(b, t, 8, err);
    }
    case PQ_FLOAT: {
        float f = (float)c->u.d;
        uint32_t u;
        memcpy(&u, &f, 4);
        for (int i = 0; i < 4; i++)
            t[i] = (uint8_t)(u >> (8 * i));
        return lh_buf_append(b, t, 4, err);
    }
    case PQ_DOUBLE: {
        uint64_t u;
        memcpy(&u, &c->u.d, 8);
        for (int i = 0; i < 8; i++)
            t[i] = (uint8_t)(u >> (8 * i));
        return lh_buf_append(b, t, 8, err);
    }
    case PQ_BYTE_ARRAY: {
        lh_rc rc;
        for (int i = 0; i < 4; i++)
            t[i] = (uint8_t)(c->len >> (8 * i));
        if ((rc = lh_buf_append(b, t, 4, err)))
            return rc;
        return lh_buf_append(b, wc->bytes.data + c->off, c->len, err);
    }
    case PQ_FLBA: return lh_buf_append(b, wc->bytes.data + c->off, c->len, err);
    default: return lh_errf(err, LH_EINTERNAL, "parquet writer: put_plain on booleans");
    }
}

static uint64_t cell_hash(const wcol *wc, const cell *c)
{
    uint64_t h = 1469598103934665603ull;
    if (wc->phys == PQ_BYTE_ARRAY || wc->phys == PQ_FLBA) {
        const uint8_t *p = (const uint8_t *)wc->bytes.data + c->off;
        for (uint32_t i = 0; i < c->len; i++)
            h = (h ^ p[i]) * 1099511628211ull;
    } else if (wc->phys == PQ_FLOAT) {
        float f = (float)c->u.d;
        uint32_t u;
        memcpy(&u, &f, 4);
        h = (h ^ u) * 1099511628211ull;
    } else {
        uint64_t u;
        memcpy(&u, &c->u, 8);
        h = (h ^ u) * 1099511628211ull;
        h ^= h >> 29;
    }
    return h;
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

/* -1/0/1 in the column's sort order (not for NaN). */
static int cell_cmp(const wcol *wc, const cell *a, const cell *b)
{
    if (wc->phys == PQ_BYTE_ARRAY) {
        size_t m = a->len < b->len ? a->len : b->len;
        int c = m ? memcmp(wc->bytes.data + a->off, wc->bytes.data + b->off, m) : 0;
        return c ? (c < 0 ? -1 : 1) : (a->len < b->len ? -1 : a->len > b->len);
    }
    if (wc->phys == PQ_FLBA) { /* big-endian two's complement decimal */
        const int8_t x = (int8_t)wc->bytes.data[a->off], y = (int8_t)wc->bytes.data[b->off];
        int c;
        if (x != y)
            return x < y ? -1 : 1;
        c = memcmp(wc->bytes.data + a->off + 1, wc->bytes.data + b->off + 1, a->len - 1);
        return c ? (c < 0 ? -1 : 1) : 0;
    }
    if (wc->phys == PQ_FLOAT || wc->phys == PQ_DOUBLE)
        return a->u.d < b->u.d ? -1 : a->u.d > b->u.d;
    return a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
}

static lh_rc stat_bin(lh_pq_writer *w, const wcol *wc, const cell *c, pq_bin *out, lh_err *err)
{
    lh_buf b;
    lh_rc rc;
    uint8_t *p;
    lh_buf_init(&b, 0);
    if (wc->phys == PQ_BOOLEAN)
        rc = lh_buf_putc(&b, (char)(c->u.i ? 1 : 0), err);
    else if (wc->phys == PQ_BYTE_ARRAY)
        rc = lh_buf_append(&b, wc->bytes.data + c->off, c->len, err);
    else
        rc = put_plain(&b, wc, c, err);
    if (!rc) {
        p = lh_arena_alloc(&w->arena, b.len ? b.len : 1);
        if (!p)
            rc = nomem(err);
        else {
            if (b.len)
                memcpy(p, b.data, b.len);
            out->p = p;
            out->n = b.len;
            out->set = 1;
        }
    }
    lh_buf_free(&b);
    return rc;
}

static lh_rc chunk_stats(lh_pq_writer *w, const wcol *wc, pq_stats *st, lh_err *err)
{
    const cell *mn = NULL, *mx = NULL;
    cell zmin, zmax;
    size_t k;
    lh_rc rc = LH_OK;
    st->set = 1;
    st->has_null_count = 1;
    st->null_count = (int64_t)(wc->n_rows - wc->n_cells);
    for (k = 0; k < wc->n_cells; k++) {
        const cell *c = &wc->cells[k];
        if ((wc->phys == PQ_FLOAT || wc->phys == PQ_DOUBLE) && isnan(c->u.d))
            continue;
        if (!mn || cell_cmp(wc, c, mn) < 0)
            mn = c;
        if (!mx || cell_cmp(wc, c, mx) > 0)
            mx = c;
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
    if ((rc = stat_bin(w, wc, mn, &st->min_value, err)) || (rc = stat_bin(w, wc, mx, &st->max_value, err)))
        return rc;
    if (wc->phys != PQ_BYTE_ARRAY && wc->phys != PQ_FLBA) {
        st->min = st->min_value;
        st->max = st->max_value;
    }
    return LH_OK;
}

static lh_rc emit_page(lh_pq_writer *w, pq_page_header *h, pq_colmeta *cm, lh_err *err)
{
    lh_rc rc;
    lh_buf_reset(&w->comp);
    lh_buf_reset(&w->hdr);
    if (w->page.len > (size_t)INT32_MAX)
        return lh_errf(err, LH_ELIMIT, "%s: page larger than 2 GiB", w->uri);
    if ((rc = lh_codec_compress(w->codec, w->page.data, w->page.len, &w->comp, err)))
        return rc;
    if (w->comp.len > (size_t)INT32_MAX)
        return lh_errf(err, LH_ELIMIT, "%s: page larger than 2 GiB", w->uri);
    h->uncompressed_size = (int32_t)w->page.len;
    h->compressed_size = (int32_t)w->comp.len;
    h->has_crc = 1;
    h->crc = (uint32_t)crc32(0, (const Bytef *)(w->comp.len ? w->comp.data : ""), (uInt)w->comp.len);
    if ((rc = pq_page_header_encode(&w->hdr, h, err)))
        return rc;
    if ((rc = lh_store_writer_write(w->sw, w->hdr.data, w->hdr.len, err)) ||
        (rc = lh_store_writer_write(w->sw, w->comp.data, w->comp.len, err)))
        return rc;
    cm->total_uncompressed += (int64_t)(w->hdr.len + w->page.len);
    cm->total_compressed += (int64_t)(w->hdr.len + w->comp.len);
    return LH_OK;
}

static lh_rc write_chunk(lh_pq_writer *w, size_t col, pq_colmeta *cm, lh_err *err)
{
    wcol *wc = &w->cols[col];
    lh_rc rc = LH_OK;
    uint32_t *idx = NULL, *table = NULL, *dent = NULL;
    size_t n_dict = 0, dict_limit = 0, dict_bytes = 0, tsize = 0, k, row, vi;
    int use_dict = !w->no_dict && wc->phys != PQ_BOOLEAN && wc->n_cells > 0;
    int32_t *enc;
    pq_page_header h;
    memset(cm, 0, sizeof *cm);
    cm->type = wc->phys;
    cm->codec = w->codec;
    cm->num_values = (int64_t)wc->n_rows;
    cm->dictionary_page_offset = -1;
    cm->path = lh_arena_alloc(&w->arena, sizeof *cm->path);
    enc = lh_arena_alloc(&w->arena, 3 * sizeof *enc);
    if (!cm->path || !enc)
        TRY(nomem(err));
    cm->path[0] = wc->name;
    cm->n_path = 1;
    cm->encodings = enc;
    TRY(chunk_stats(w, wc, &cm->stats, err));
    if (use_dict) {
        tsize = 16;
        while (tsize < wc->n_cells * 2)
            tsize *= 2;
        idx = lh_malloc(wc->n_cells * sizeof *idx);
        table = lh_malloc(tsize * sizeof *table);
        dent = lh_malloc(wc->n_cells * sizeof *dent);
        if (!idx || !table || !dent)
            TRY(nomem(err));
        memset(table, 0xff, tsize * sizeof *table);
        for (k = 0; k < wc->n_cells; k++) {
            const cell *c = &wc->cells[k];
            size_t slot = (size_t)cell_hash(wc, c) & (tsize - 1);
            while (table[slot] != UINT32_MAX && !cell_eq(wc, &wc->cells[dent[table[slot]]], c))
                slot = (slot + 1) & (tsize - 1);
            if (table[slot] == UINT32_MAX) {
                size_t add = plain_size(wc, c);
                if (dict_bytes + add > w->dict_max)
                    break;
                dict_bytes += add;
                table[slot] = (uint32_t)n_dict;
                dent[n_dict++] = (uint32_t)k;
            }
            idx[k] = table[slot];
        }
        dict_limit = k;
        if (n_dict == 0)
            use_dict = 0;
    }
    if (use_dict) {
        lh_buf_reset(&w->page);
        for (k = 0; k < n_dict; k++)
            TRY(put_plain(&w->page, wc, &wc->cells[dent[k]], err));
        memset(&h, 0, sizeof h);
        h.type = PQ_PAGE_DICT;
        h.num_values = (int32_t)n_dict;
        h.encoding = PQ_ENC_PLAIN;
        cm->dictionary_page_offset = (int64_t)lh_store_writer_size(w->sw);
        TRY(emit_page(w, &h, cm, err));
    }
    cm->data_page_offset = (int64_t)lh_store_writer_size(w->sw);
    TRY(grow((void **)&w->u32, &w->u32_cap, wc->n_rows + 8, sizeof *w->u32, err));
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
            if (est >= w->page_bytes || row - r0 >= ((size_t)1 << 20))
                break;
        }
        lh_buf_reset(&w->page);
        for (k = r0; k < row; k++)
            w->u32[k - r0] = wc->defs[k];
        TRY(lh_buf_append(&w->page, "\0\0\0\0", 4, err));
        lenpos = w->page.len;
        TRY(pq_rle_encode(&w->page, w->u32, row - r0, 1, err));
        len = (uint32_t)(w->page.len - lenpos);
        for (int b = 0; b < 4; b++)
            w->page.data[lenpos - 4 + (size_t)b] = (char)(len >> (8 * b));
        if (dict_mode) {
            int bw = pq_bit_width(n_dict - 1);
            if (bw == 0)
                bw = 1;
            TRY(lh_buf_putc(&w->page, (char)bw, err));
            TRY(pq_rle_encode(&w->page, idx + v0, vi - v0, bw, err));
        } else if (wc->phys == PQ_BOOLEAN) {
            size_t nb = (vi - v0 + 7) / 8;
            uint8_t *dst;
            TRY(lh_buf_reserve(&w->page, nb, err));
            dst = (uint8_t *)w->page.data + w->page.len;
            memset(dst, 0, nb);
            for (k = v0; k < vi; k++)
                if (wc->cells[k].u.i)
                    dst[(k - v0) >> 3] |= (uint8_t)(1u << ((k - v0) & 7));
            w->page.len += nb;
        } else {
            for (k = v0; k < vi; k++)
                TRY(put_plain(&w->page, wc, &wc->cells[k], err));
        }
        memset(&h, 0, sizeof h);
        h.type = PQ_PAGE_DATA;
        h.num_values = (int32_t)(row - r0);
        h.encoding = dict_mode ? PQ_ENC_RLE_DICT : PQ_ENC_PLAIN;
        h.def_encoding = PQ_ENC_RLE;
        h.rep_encoding = PQ_ENC_RLE;
        TRY(emit_page(w, &h, cm, err));
    }
    cm->n_encodings = 0;
    enc[cm->n_encodings++] = PQ_ENC_RLE;
    enc[cm->n_encodings++] = PQ_ENC_PLAIN; /* dictionary page and/or fallback pages */
    if (use_dict)
        enc[cm->n_encodings++] = PQ_ENC_RLE_DICT;
    cm->has_meta = 1;
out:
    lh_free(idx);
    lh_free(table);
    lh_free(dent);
    return rc;
}

static lh_rc flush_rg(lh_pq_writer *w, lh_err *err)
{
    lh_rc rc = LH_OK;
    rgmeta *rm;
    size_t i;
    if (!w->inferred)
        TRY(infer_types(w, err));
    if (w->rg_rows == 0)
        return LH_OK;
    TRY(grow((void **)&w->rgs, &w->rgs_cap, w->n_rgs + 1, sizeof *w->rgs, err));
    rm = &w->rgs[w->n_rgs];
    memset(rm, 0, sizeof *rm);
    rm->cols = lh_arena_alloc(&w->arena, w->n_cols * sizeof *rm->cols + 1);
    if (!rm->cols)
        TRY(nomem(err));
    w->n_rgs++;
    rm->num_rows = (int64_t)w->rg_rows;
    for (i = 0; i < w->n_cols; i++) {
        TRY(write_chunk(w, i, &rm->cols[i], err));
        rm->total_byte_size += rm->cols[i].total_uncompressed;
        w->cols[i].n_rows = 0;
        w->cols[i].n_cells = 0;
        lh_buf_reset(&w->cols[i].bytes);
    }
    w->rg_rows = 0;
    w->rg_est = 0;
out:
    return rc;
}

/* ---------------- public API ---------------- */

static void writer_free(lh_pq_writer *w)
{
    size_t i;
    if (!w)
        return;
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
    lh_free(w->u32);
    lh_buf_free(&w->page);
    lh_buf_free(&w->comp);
    lh_buf_free(&w->hdr);
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
        return nomem(err);
    lh_arena_init(&w->arena, 0);
    lh_buf_init(&w->page, 0);
    lh_buf_init(&w->comp, 0);
    lh_buf_init(&w->hdr, 0);
    w->s = s;
    w->n_cols = n_cols;
    w->codec = parquet_codec(o->codec);
    w->rg_bytes = o->row_group_bytes ? o->row_group_bytes : (size_t)128 << 20;
    w->page_bytes = o->page_bytes ? o->page_bytes : (size_t)1 << 20;
    w->dict_max = o->dict_max_bytes ? o->dict_max_bytes : (size_t)1 << 20;
    w->no_dict = o->no_dictionary;
    w->ts_micros = o->timestamp_micros;
    w->uri = lh_strdup(uri);
    w->created_by = lh_strdup(o->created_by ? o->created_by : "lakehouse version 0.1.0");
    w->cols = lh_calloc(n_cols, sizeof *w->cols);
    w->types = lh_calloc(n_cols, sizeof *w->types);
    w->kv = lh_calloc(o->n_kv + 1, sizeof *w->kv);
    if (!w->uri || !w->created_by || !w->cols || !w->types || !w->kv)
        TRY(nomem(err));
    for (i = 0; i < o->n_kv; i++) {
        w->kv[i].key = lh_strdup(o->kv[i].key);
        w->kv[i].value = o->kv[i].value ? lh_strdup(o->kv[i].value) : NULL;
        w->n_kv++;
        if (!w->kv[i].key || (o->kv[i].value && !w->kv[i].value))
            TRY(nomem(err));
    }
    w->inferred = 1;
    for (i = 0; i < n_cols; i++) {
        wcol *wc = &w->cols[i];
        lh_buf_init(&wc->bytes, (size_t)4 << 30);
        wc->name = lh_strdup(cols[i]);
        if (!wc->name)
            TRY(nomem(err));
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
    for (i = 0; i < w->n_cols; i++) {
        wcol *wc = &w->cols[i];
        TRY(grow((void **)&wc->defs, &wc->defs_cap, wc->n_rows + 1, 1, err));
        if (vals[i].t == LH_V_NULL) {
            wc->defs[wc->n_rows++] = 0;
            est += 1;
            continue;
        }
        TRY(grow((void **)&wc->cells, &wc->cells_cap, wc->n_cells + 1, sizeof *wc->cells, err));
        TRY(to_cell(w, i, &vals[i], &wc->cells[wc->n_cells], err));
        est += 1 + sizeof(cell) + wc->cells[wc->n_cells].len;
        wc->n_cells++;
        wc->defs[wc->n_rows++] = 1;
    }
    w->rg_rows++;
    w->total_rows++;
    w->rg_est += est;
    if (w->rg_est >= w->rg_bytes)
        TRY(flush_rg(w, err));
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
    TRY(flush_rg(w, err));
    if (!w->inferred)
        TRY(infer_types(w, err));
    memset(&m, 0, sizeof m);
    schema = lh_calloc(w->n_cols + 1, sizeof *schema);
    rgs = lh_calloc(w->n_rgs + 1, sizeof *rgs);
    kv = lh_calloc(w->n_kv + 1, sizeof *kv);
    if (!schema || !rgs || !kv)
        TRY(nomem(err));
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
        TRY(nomem(err));
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
