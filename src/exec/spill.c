/* exec/spill.c — spill files (spill.h). */
#include "exec/spill.h"

#include <stdio.h>
#include <string.h>

#include "util/mem.h"
#include "util/tmpfile.h"

#define SPILL_MAGIC 0x5053484cu /* "LHSP" little-endian */
#define HDR 16

struct lh_spill {
    lh_exec_ctx *ctx;
    const char *who;
    lh_sqltype *types;
    uint32_t ncols;
    lh_tmpfile *f;
    uint64_t rows, bytes;
    lh_buf wbuf;         /* one block being encoded */
    char *rbuf;          /* one block read back */
    size_t rcap;
    size_t charged;      /* rbuf + scratch batches */
    uint64_t roff;       /* read position */
    int reading;
    lh_batch *out;       /* what lh_spill_get hands out */
    lh_batch *scratch;   /* lh_spill_put_rows gathers here */
};

void lh_spill_fmt_bytes(uint64_t n, char *buf, size_t sz)
{
    if (n >= ((uint64_t)1 << 30))
        snprintf(buf, sz, "%.1f GiB", (double)n / (double)((uint64_t)1 << 30));
    else if (n >= ((uint64_t)1 << 20))
        snprintf(buf, sz, "%.1f MiB", (double)n / (double)((uint64_t)1 << 20));
    else
        snprintf(buf, sz, "%llu KiB", (unsigned long long)((n + 1023) / 1024));
}

static lh_rc charge(lh_spill *s, ptrdiff_t n, lh_err *err)
{
    lh_rc rc = lh_exec_charge(s->ctx, s->who, n, err);
    if (!rc)
        s->charged = (size_t)((ptrdiff_t)s->charged + n);
    return rc;
}

lh_rc lh_spill_create(lh_exec_ctx *ctx, const char *who, const lh_sqltype *types, uint32_t ncols, lh_spill **out,
                      lh_err *err)
{
    lh_spill *s;
    lh_rc rc;
    *out = NULL;
    if (!ctx || !ctx->tmp_dir)
        return lh_errf(err, LH_EINVAL, "%s: no directory to spill to", who ? who : "query");
    s = lh_calloc(1, sizeof *s);
    if (!s || !(s->types = lh_malloc((ncols ? ncols : 1) * sizeof *types))) {
        lh_free(s);
        return lh_errf(err, LH_ENOMEM, "out of memory");
    }
    if (ncols)
        memcpy(s->types, types, ncols * sizeof *types);
    s->ctx = ctx;
    s->who = who ? who : "query";
    s->ncols = ncols;
    lh_buf_init(&s->wbuf, 0);
    if ((rc = lh_tmpfile_create(ctx->tmp_dir, &s->f, err))) {
        lh_err_prefix(err, "%s: spilling to disk", s->who);
        lh_spill_free(s);
        return rc;
    }
    atomic_fetch_add(&ctx->spill_files, 1);
    *out = s;
    return LH_OK;
}

void lh_spill_free(lh_spill *s)
{
    if (!s)
        return;
    if (s->charged) {
        lh_rc rc = lh_exec_charge(s->ctx, s->who, -(ptrdiff_t)s->charged, NULL);
        (void)rc;
    }
    lh_tmpfile_close(s->f);
    lh_buf_free(&s->wbuf);
    lh_free(s->rbuf);
    lh_batch_free(s->out);
    lh_batch_free(s->scratch);
    lh_free(s->types);
    lh_free(s);
}

uint64_t lh_spill_rows(const lh_spill *s) { return s->rows; }
uint64_t lh_spill_bytes(const lh_spill *s) { return s->bytes; }

static lh_rc put(lh_spill *s, const void *p, size_t n, lh_err *err) { return lh_buf_append(&s->wbuf, p, n, err); }

/* The data row and validity of live row r of v (through CONST and DICT). */
static inline const char *cell(const lh_vector *v, uint32_t r, int *valid)
{
    if (v->kind == LH_VEC_CONST) {
        *valid = lh_vector_is_valid(v, 0);
        return v->data;
    }
    if (v->kind == LH_VEC_DICT) {
        uint32_t d = v->dict_idx[r];
        *valid = lh_vector_is_valid(v, r) && lh_vector_is_valid(v->dict, d);
        return (const char *)v->dict->data + (size_t)d * v->width;
    }
    *valid = lh_vector_is_valid(v, r);
    return (const char *)v->data + (size_t)r * v->width;
}

static lh_rc encode_col(lh_spill *s, const lh_vector *v, lh_rows rows, lh_err *err)
{
    uint64_t words[LH_BATCH_WORDS];
    uint32_t nw = (rows.n + 63) / 64, k;
    uint8_t flag = 0;
    lh_rc rc;
    int ok;
    memset(words, 0, nw * 8);
    for (k = 0; k < rows.n; k++) {
        (void)cell(v, rows.sel ? rows.sel[k] : k, &ok);
        if (ok)
            words[k >> 6] |= (uint64_t)1 << (k & 63);
        else
            flag = 1;
    }
    if ((rc = put(s, &flag, 1, err)) || (flag && (rc = put(s, words, nw * 8, err))))
        return rc;
    if (v->phys == LH_P_STR) {
        uint32_t lens[LH_BATCH];
        for (k = 0; k < rows.n; k++) {
            const lh_str *x = (const lh_str *)cell(v, rows.sel ? rows.sel[k] : k, &ok);
            lens[k] = ok ? lh_str_len(x) : 0;
        }
        if ((rc = put(s, lens, rows.n * 4, err)))
            return rc;
        for (k = 0; k < rows.n; k++) {
            const lh_str *x = (const lh_str *)cell(v, rows.sel ? rows.sel[k] : k, &ok);
            if (lens[k] && (rc = put(s, lh_str_ptr(x), lens[k], err)))
                return rc;
        }
        return LH_OK;
    }
    if (v->phys == LH_P_TSTZ) { /* the two fields, not the struct's padding */
        for (k = 0; k < rows.n; k++) {
            const lh_tstz *x = (const lh_tstz *)cell(v, rows.sel ? rows.sel[k] : k, &ok);
            int64_t us = ok ? x->utc_us : 0;
            int32_t z = ok ? (int32_t)x->zone : 0;
            if ((rc = put(s, &us, 8, err)) || (rc = put(s, &z, 4, err)))
                return rc;
        }
        return LH_OK;
    }
    if (v->kind == LH_VEC_FLAT && !rows.sel)
        return put(s, v->data, (size_t)rows.n * v->width, err);
    if ((rc = lh_buf_reserve(&s->wbuf, (size_t)rows.n * v->width, err)))
        return rc;
    for (k = 0; k < rows.n; k++) {
        const char *x = cell(v, rows.sel ? rows.sel[k] : k, &ok);
        memcpy(s->wbuf.data + s->wbuf.len, x, v->width);
        s->wbuf.len += v->width;
    }
    return LH_OK;
}

static lh_rc put_rows(lh_spill *s, lh_batch *b, lh_rows rows, lh_err *err)
{
    uint32_t hdr[4], c;
    uint64_t payload;
    lh_rc rc;
    if (!rows.n)
        return LH_OK;
    lh_buf_reset(&s->wbuf);
    memset(hdr, 0, sizeof hdr);
    if ((rc = put(s, hdr, HDR, err)))
        return rc;
    for (c = 0; c < s->ncols; c++)
        if ((rc = encode_col(s, b->cols[c], rows, err)))
            return rc;
    payload = s->wbuf.len - HDR;
    hdr[0] = SPILL_MAGIC;
    hdr[1] = rows.n;
    memcpy(&hdr[2], &payload, 8);
    memcpy(s->wbuf.data, hdr, HDR);
    if ((rc = lh_tmpfile_write(s->f, s->wbuf.data, s->wbuf.len, err)))
        return lh_err_prefix(err, "%s: spilling to disk", s->who);
    s->rows += rows.n;
    s->bytes += s->wbuf.len;
    atomic_fetch_add(&s->ctx->spill_bytes, s->wbuf.len);
    /* the encoding buffer is scratch: do not keep a large one */
    if (s->wbuf.alloc > ((size_t)4 << 20)) {
        lh_buf_free(&s->wbuf);
        lh_buf_init(&s->wbuf, 0);
    }
    return LH_OK;
}

lh_rc lh_spill_put(lh_spill *s, lh_batch *b, lh_err *err) { return put_rows(s, b, lh_batch_rows(b), err); }

static lh_rc scratch_batch(lh_spill *s, lh_batch **b, lh_err *err)
{
    lh_rc rc;
    if (*b) {
        lh_batch_reset(*b);
        return LH_OK;
    }
    /* a batch's vectors: LH_BATCH values of each column, plus validity */
    if ((rc = charge(s, (ptrdiff_t)(s->ncols * (LH_BATCH * 16 + LH_BATCH / 8)), err)))
        return rc;
    return lh_batch_create(s->types, s->ncols, 0, b, err);
}

lh_rc lh_spill_put_rows(lh_spill *s, const lh_rowstore *rs, const uint32_t *idx, uint32_t n, lh_err *err)
{
    lh_rc rc;
    uint32_t done = 0, c;
    while (done < n) {
        uint32_t k = n - done > LH_BATCH ? LH_BATCH : n - done;
        if ((rc = scratch_batch(s, &s->scratch, err)))
            return rc;
        for (c = 0; c < s->ncols; c++)
            lh_rowstore_gather(rs, c, idx + done, k, s->scratch->cols[c], 0);
        s->scratch->n = k;
        if ((rc = put_rows(s, s->scratch, lh_batch_rows(s->scratch), err)))
            return rc;
        done += k;
    }
    return LH_OK;
}

lh_rc lh_spill_rewind(lh_spill *s, lh_err *err)
{
    (void)err;
    s->roff = 0;
    s->reading = 1;
    return LH_OK;
}

static lh_rc corrupt(const lh_spill *s, const char *what, lh_err *err)
{
    return lh_errf(err, LH_ECORRUPT, "%s: spill file damaged at byte %llu (%s)", s->who, (unsigned long long)s->roff,
                   what);
}

/* Take n bytes of the block at *p (end e). */
static inline const char *take(const char **p, const char *e, size_t n)
{
    const char *q = *p;
    if ((size_t)(e - q) < n)
        return NULL;
    *p = q + n;
    return q;
}

static lh_rc decode(lh_spill *s, uint32_t n, const char *p, const char *e, lh_err *err)
{
    uint32_t c, k, nw = (n + 63) / 64;
    lh_batch *b = s->out;
    for (c = 0; c < s->ncols; c++) {
        lh_vector *v = b->cols[c];
        const char *flag = take(&p, e, 1), *x;
        if (!flag || *flag > 1)
            return corrupt(s, "column flag", err);
        lh_vector_set_all_valid(v);
        if (*flag) {
            if (!(x = take(&p, e, nw * 8)))
                return corrupt(s, "validity", err);
            memcpy(v->validity, x, nw * 8);
            v->may_null = 1;
        }
        if (v->phys == LH_P_STR) {
            const char *lens = take(&p, e, (size_t)n * 4);
            lh_str *d = v->data;
            if (!lens)
                return corrupt(s, "string lengths", err);
            for (k = 0; k < n; k++) {
                uint32_t len;
                memcpy(&len, lens + (size_t)k * 4, 4);
                if (!(x = take(&p, e, len)))
                    return corrupt(s, "string bytes", err);
                d[k] = lh_str_view(x, len);
            }
        } else if (v->phys == LH_P_TSTZ) {
            lh_tstz *d = v->data;
            if (!(x = take(&p, e, (size_t)n * 12)))
                return corrupt(s, "timestamps", err);
            for (k = 0; k < n; k++) {
                int32_t z;
                memset(&d[k], 0, sizeof d[k]);
                memcpy(&d[k].utc_us, x + (size_t)k * 12, 8);
                memcpy(&z, x + (size_t)k * 12 + 8, 4);
                d[k].zone = (lh_zone)z;
            }
        } else {
            if (!(x = take(&p, e, (size_t)n * v->width)))
                return corrupt(s, "values", err);
            memcpy(v->data, x, (size_t)n * v->width);
        }
    }
    if (p != e)
        return corrupt(s, "trailing bytes", err);
    b->n = n;
    return LH_OK;
}

lh_rc lh_spill_get(lh_spill *s, lh_batch **out, lh_err *err)
{
    uint32_t hdr[4];
    uint64_t payload;
    lh_rc rc;
    *out = NULL;
    if (!s->reading)
        return lh_errf(err, LH_EINTERNAL, "%s: spill read before rewind", s->who);
    if (s->roff >= lh_tmpfile_size(s->f))
        return LH_OK;
    if ((rc = lh_tmpfile_pread(s->f, hdr, HDR, s->roff, err)))
        return lh_err_prefix(err, "%s: reading spilled rows", s->who);
    memcpy(&payload, &hdr[2], 8);
    if (hdr[0] != SPILL_MAGIC || hdr[1] == 0 || hdr[1] > LH_BATCH ||
        payload > lh_tmpfile_size(s->f) - s->roff - HDR)
        return corrupt(s, "block header", err);
    if (payload > s->rcap) {
        size_t cap = s->rcap ? s->rcap : 64 << 10;
        char *nb;
        while (cap < payload)
            cap *= 2;
        if ((rc = charge(s, (ptrdiff_t)(cap - s->rcap), err)))
            return rc;
        if (!(nb = lh_realloc(s->rbuf, cap))) {
            rc = charge(s, -(ptrdiff_t)(cap - s->rcap), NULL);
            (void)rc;
            return lh_errf(err, LH_ENOMEM, "out of memory reading spilled rows");
        }
        s->rbuf = nb;
        s->rcap = cap;
    }
    if (payload && (rc = lh_tmpfile_pread(s->f, s->rbuf, (size_t)payload, s->roff + HDR, err)))
        return lh_err_prefix(err, "%s: reading spilled rows", s->who);
    if ((rc = scratch_batch(s, &s->out, err)) ||
        (rc = decode(s, hdr[1], s->rbuf ? s->rbuf : "", s->rbuf ? s->rbuf + payload : "", err)))
        return rc;
    s->roff += HDR + payload;
    *out = s->out;
    return LH_OK;
}
