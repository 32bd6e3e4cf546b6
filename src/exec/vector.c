/* exec/vector.c — vectors and batches (see vector.h for the contract). */
#include "exec/vector.h"

#include <stdlib.h>
#include <string.h>

lh_phys lh_phys_of(lh_sqltype t)
{
    switch ((lh_sqltype_id)t.id) {
    case LH_SQL_BOOLEAN:
        return LH_P_U8;
    case LH_SQL_TINYINT:
        return LH_P_I8;
    case LH_SQL_SMALLINT:
        return LH_P_I16;
    case LH_SQL_INTEGER:
    case LH_SQL_DATE:
    case LH_SQL_INTERVAL_YM:
        return LH_P_I32;
    case LH_SQL_BIGINT:
    case LH_SQL_TIME:
    case LH_SQL_TIMESTAMP:
    case LH_SQL_INTERVAL_DS:
        return LH_P_I64;
    case LH_SQL_DECIMAL:
        return t.p <= 18 ? LH_P_I64 : LH_P_I128;
    case LH_SQL_REAL:
        return LH_P_F32;
    case LH_SQL_DOUBLE:
        return LH_P_F64;
    case LH_SQL_VARCHAR:
    case LH_SQL_CHAR:
    case LH_SQL_VARBINARY:
        return LH_P_STR;
    case LH_SQL_TIMESTAMP_TZ:
        return LH_P_TSTZ;
    default:
        return LH_P_NONE;
    }
}

size_t lh_phys_width(lh_phys p)
{
    static const uint8_t w[] = {[LH_P_NONE] = 1, [LH_P_U8] = 1,   [LH_P_I8] = 1,   [LH_P_I16] = 2,
                                [LH_P_I32] = 4,  [LH_P_I64] = 8,  [LH_P_I128] = 16, [LH_P_F32] = 4,
                                [LH_P_F64] = 8,  [LH_P_STR] = 16, [LH_P_TSTZ] = 16};
    return (unsigned)p <= LH_P_TSTZ ? w[p] : 1;
}

lh_rc lh_vector_create(lh_sqltype t, uint32_t cap, lh_vector **out, lh_err *err)
{
    lh_vector *v;
    size_t words;
    *out = NULL;
    if (cap == 0)
        cap = LH_BATCH;
    if (cap > (1u << 24))
        return lh_errf(err, LH_ELIMIT, "vector of %u values exceeds the limit of %u", cap, 1u << 24);
    words = (cap + 63) / 64;
    v = lh_calloc(1, sizeof *v);
    if (!v)
        goto nomem;
    v->type = t;
    v->phys = (uint8_t)lh_phys_of(t);
    v->width = (uint8_t)lh_phys_width(v->phys);
    v->cap = cap;
    /* 16-byte aligned (malloc's guarantee) for __int128 and lh_str */
    v->data = lh_calloc(cap, v->width);
    v->validity = lh_malloc(words * sizeof(uint64_t));
    if (!v->data || !v->validity) {
        lh_vector_free(v);
        goto nomem;
    }
    memset(v->validity, 0xff, words * sizeof(uint64_t));
    *out = v;
    return LH_OK;
nomem:
    return lh_errf(err, LH_ENOMEM, "out of memory allocating a vector of %u values", cap);
}

void lh_vector_free(lh_vector *v)
{
    if (!v)
        return;
    lh_vector_free(v->dict);
    lh_free(v->dict_idx);
    lh_free(v->data);
    lh_free(v->validity);
    lh_free(v);
}

void lh_vector_set_all_valid(lh_vector *v)
{
    memset(v->validity, 0xff, ((v->cap + 63) / 64) * sizeof(uint64_t));
    v->may_null = 0;
}

void lh_vector_reset(lh_vector *v)
{
    if (v->dict) {
        lh_vector_free(v->dict);
        v->dict = NULL;
    }
    v->kind = LH_VEC_FLAT;
    lh_vector_set_all_valid(v);
}

void lh_vector_set_null(lh_vector *v, uint32_t row)
{
    v->validity[row >> 6] &= ~((uint64_t)1 << (row & 63));
    v->may_null = 1;
}

void lh_vector_set_valid(lh_vector *v, uint32_t row) { v->validity[row >> 6] |= (uint64_t)1 << (row & 63); }

void lh_vector_set_bool(lh_vector *v, uint32_t row, int b)
{
    ((uint8_t *)v->data)[row] = b != 0;
    lh_vector_set_valid(v, row);
}

void lh_vector_set_i64(lh_vector *v, uint32_t row, int64_t x)
{
    switch (v->phys) {
    case LH_P_U8:
        ((uint8_t *)v->data)[row] = x != 0;
        break;
    case LH_P_I8:
        ((int8_t *)v->data)[row] = (int8_t)x;
        break;
    case LH_P_I16:
        ((int16_t *)v->data)[row] = (int16_t)x;
        break;
    case LH_P_I32:
        ((int32_t *)v->data)[row] = (int32_t)x;
        break;
    case LH_P_I64:
        ((int64_t *)v->data)[row] = x;
        break;
    case LH_P_I128:
        ((lh_i128 *)v->data)[row] = x;
        break;
    case LH_P_F32:
        ((float *)v->data)[row] = (float)x;
        break;
    case LH_P_F64:
        ((double *)v->data)[row] = (double)x;
        break;
    default:
        break;
    }
    lh_vector_set_valid(v, row);
}

void lh_vector_set_i128(lh_vector *v, uint32_t row, lh_i128 x)
{
    if (v->phys == LH_P_I128) {
        ((lh_i128 *)v->data)[row] = x;
        lh_vector_set_valid(v, row);
    } else {
        lh_vector_set_i64(v, row, (int64_t)x);
    }
}

void lh_vector_set_f64(lh_vector *v, uint32_t row, double x)
{
    if (v->phys == LH_P_F32)
        ((float *)v->data)[row] = (float)x;
    else if (v->phys == LH_P_F64)
        ((double *)v->data)[row] = x;
    lh_vector_set_valid(v, row);
}

void lh_vector_set_tstz(lh_vector *v, uint32_t row, lh_tstz x)
{
    ((lh_tstz *)v->data)[row] = x;
    lh_vector_set_valid(v, row);
}

lh_rc lh_vector_set_str(lh_vector *v, uint32_t row, const char *p, size_t n, lh_arena *arena, lh_err *err)
{
    const char *src = p;
    if (n > UINT32_MAX - 1)
        return lh_errf(err, LH_ELIMIT, "string of %zu bytes is too long for a vector", n);
    if (n > LH_STR_INLINE && arena) {
        char *d = lh_arena_alloc(arena, n);
        if (!d)
            return lh_errf(err, LH_ENOMEM, "out of memory copying a string of %zu bytes into a batch", n);
        memcpy(d, p, n);
        src = d;
    }
    ((lh_str *)v->data)[row] = lh_str_view(src, (uint32_t)n);
    lh_vector_set_valid(v, row);
    return LH_OK;
}

int lh_vector_get_valid(const lh_vector *v, uint32_t row)
{
    if (v->kind == LH_VEC_CONST)
        return lh_vector_is_valid(v, 0);
    if (v->kind == LH_VEC_DICT)
        return lh_vector_is_valid(v, row) && lh_vector_is_valid(v->dict, v->dict_idx[row]);
    return lh_vector_is_valid(v, row);
}

static const lh_vector *data_of(const lh_vector *v, uint32_t *row)
{
    if (v->kind == LH_VEC_CONST) {
        *row = 0;
        return v;
    }
    if (v->kind == LH_VEC_DICT) {
        *row = v->dict_idx[*row];
        return v->dict;
    }
    return v;
}

int64_t lh_vector_get_i64(const lh_vector *v, uint32_t row)
{
    const lh_vector *d = data_of(v, &row);
    switch (d->phys) {
    case LH_P_U8:
        return ((const uint8_t *)d->data)[row];
    case LH_P_I8:
        return ((const int8_t *)d->data)[row];
    case LH_P_I16:
        return ((const int16_t *)d->data)[row];
    case LH_P_I32:
        return ((const int32_t *)d->data)[row];
    case LH_P_I64:
        return ((const int64_t *)d->data)[row];
    case LH_P_I128:
        return (int64_t)((const lh_i128 *)d->data)[row];
    case LH_P_F32:
        return (int64_t)((const float *)d->data)[row];
    case LH_P_F64:
        return (int64_t)((const double *)d->data)[row];
    default:
        return 0;
    }
}

lh_i128 lh_vector_get_i128(const lh_vector *v, uint32_t row)
{
    const lh_vector *d = data_of(v, &row);
    if (d->phys == LH_P_I128)
        return ((const lh_i128 *)d->data)[row];
    return lh_vector_get_i64(d, row);
}

double lh_vector_get_f64(const lh_vector *v, uint32_t row)
{
    const lh_vector *d = data_of(v, &row);
    if (d->phys == LH_P_F32)
        return ((const float *)d->data)[row];
    if (d->phys == LH_P_F64)
        return ((const double *)d->data)[row];
    return (double)lh_vector_get_i64(d, row);
}

lh_tstz lh_vector_get_tstz(const lh_vector *v, uint32_t row)
{
    const lh_vector *d = data_of(v, &row);
    return ((const lh_tstz *)d->data)[row];
}

lh_str lh_vector_get_str(const lh_vector *v, uint32_t row)
{
    const lh_vector *d = data_of(v, &row);
    return ((const lh_str *)d->data)[row];
}

void lh_vector_set_const(lh_vector *v, int is_null)
{
    if (v->dict) {
        lh_vector_free(v->dict);
        v->dict = NULL;
    }
    v->kind = LH_VEC_CONST;
    lh_vector_set_all_valid(v);
    if (is_null)
        lh_vector_set_null(v, 0);
}

lh_rc lh_vector_set_dict(lh_vector *v, uint32_t ndict, lh_vector **dict, lh_err *err)
{
    lh_rc rc;
    *dict = NULL;
    if (!v->dict_idx) {
        v->dict_idx = lh_calloc(v->cap, sizeof(uint16_t));
        if (!v->dict_idx)
            return lh_errf(err, LH_ENOMEM, "out of memory allocating dictionary indices");
    }
    if (ndict == 0 || ndict > 65536)
        return lh_errf(err, LH_ELIMIT, "dictionary of %u values: 1 to 65536 allowed", ndict);
    if (v->dict) {
        lh_vector_free(v->dict);
        v->dict = NULL;
    }
    /* every index names a real entry, so flattening all cap rows is safe */
    memset(v->dict_idx, 0, v->cap * sizeof(uint16_t));
    rc = lh_vector_create(v->type, ndict, &v->dict, err);
    if (rc)
        return rc;
    v->kind = LH_VEC_DICT;
    lh_vector_set_all_valid(v);
    *dict = v->dict;
    return LH_OK;
}

void lh_vector_flatten(lh_vector *v, uint32_t n)
{
    uint32_t w = v->width, i;
    char *data = v->data;
    if (n > v->cap)
        n = v->cap;
    if (v->kind == LH_VEC_CONST) {
        int valid = lh_vector_is_valid(v, 0);
        for (i = 1; i < n; i++)
            memcpy(data + (size_t)i * w, data, w);
        v->kind = LH_VEC_FLAT;
        lh_vector_set_all_valid(v);
        if (!valid) {
            memset(v->validity, 0, ((v->cap + 63) / 64) * sizeof(uint64_t));
            v->may_null = 1;
        }
    } else if (v->kind == LH_VEC_DICT) {
        const lh_vector *d = v->dict;
        const char *dd = d->data;
        for (i = 0; i < n; i++) {
            uint16_t k = v->dict_idx[i];
            memcpy(data + (size_t)i * w, dd + (size_t)k * w, w);
            if (d->may_null && !lh_vector_is_valid(d, k))
                lh_vector_set_null(v, i);
        }
        v->kind = LH_VEC_FLAT;
        /* the dictionary stays allocated: string views may point into
         * what it points to, never into the dictionary vector itself */
    }
}

lh_rc lh_vector_copy_value(const lh_vector *src, uint32_t srow, lh_vector *dst, uint32_t drow, lh_arena *arena,
                           lh_err *err)
{
    const lh_vector *d;
    if (src->phys != dst->phys)
        return lh_errf(err, LH_EINTERNAL, "copy between vectors of different layouts (%u, %u)", src->phys,
                       dst->phys);
    if (!lh_vector_get_valid(src, srow)) {
        lh_vector_set_null(dst, drow);
        return LH_OK;
    }
    d = data_of(src, &srow);
    if (src->phys == LH_P_STR) {
        const lh_str *s = (const lh_str *)d->data + srow;
        if (s->in.len > LH_STR_INLINE)
            return lh_vector_set_str(dst, drow, s->out.ptr, s->in.len, arena, err);
        ((lh_str *)dst->data)[drow] = *s;
    } else {
        memcpy((char *)dst->data + (size_t)drow * dst->width, (const char *)d->data + (size_t)srow * d->width,
               dst->width);
    }
    lh_vector_set_valid(dst, drow);
    return LH_OK;
}

/* ---- batches ---- */

void lh_batch_free(lh_batch *b)
{
    uint32_t i;
    if (!b)
        return;
    if (b->cols)
        for (i = 0; i < b->ncols; i++)
            lh_vector_free(b->cols[i]);
    lh_free(b->cols);
    lh_free(b->sel_buf);
    lh_arena_free(&b->arena);
    lh_free(b);
}

lh_rc lh_batch_create(const lh_sqltype *types, uint32_t ncols, size_t arena_cap, lh_batch **out, lh_err *err)
{
    lh_batch *b;
    lh_rc rc = LH_OK;
    uint32_t i;
    *out = NULL;
    if (ncols > LH_BATCH_MAX_COLS)
        return lh_errf(err, LH_ELIMIT, "batch of %u columns exceeds the limit of %u", ncols, LH_BATCH_MAX_COLS);
    b = lh_calloc(1, sizeof *b);
    if (!b)
        return lh_errf(err, LH_ENOMEM, "out of memory allocating a batch");
    lh_arena_init(&b->arena, arena_cap ? arena_cap : LH_BATCH_ARENA_DEFAULT_CAP);
    b->sel_buf = lh_malloc(LH_BATCH * sizeof(uint16_t));
    b->cols = lh_calloc(ncols ? ncols : 1, sizeof *b->cols);
    if (!b->sel_buf || !b->cols) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory allocating a batch of %u columns", ncols);
        goto out;
    }
    b->ncols = ncols;
    for (i = 0; i < ncols; i++) {
        rc = lh_vector_create(types[i], LH_BATCH, &b->cols[i], err);
        if (rc)
            goto out;
    }
out:
    if (rc) {
        lh_batch_free(b);
        return rc;
    }
    *out = b;
    return LH_OK;
}

void lh_batch_reset(lh_batch *b)
{
    uint32_t i;
    b->n = 0;
    b->sel = NULL;
    b->sel_n = 0;
    lh_arena_reset(&b->arena);
    for (i = 0; i < b->ncols; i++)
        lh_vector_reset(b->cols[i]);
}

void lh_batch_select(lh_batch *b, const uint16_t *sel, uint32_t n)
{
    if (n > LH_BATCH)
        n = LH_BATCH;
    if (sel != b->sel_buf)
        memmove(b->sel_buf, sel, n * sizeof(uint16_t));
    b->sel = b->sel_buf;
    b->sel_n = n;
}

void lh_batch_compact(lh_batch *b)
{
    uint32_t c, i;
    if (!b->sel)
        return;
    for (c = 0; c < b->ncols; c++) {
        lh_vector *v = b->cols[c];
        char *data = v->data;
        uint32_t w = v->width;
        if (v->kind == LH_VEC_CONST)
            continue; /* one value for every row: nothing moves */
        lh_vector_flatten(v, b->n);
        if (v->may_null) {
            uint64_t nv[LH_BATCH_WORDS];
            memset(nv, 0xff, sizeof nv);
            for (i = 0; i < b->sel_n; i++) {
                uint32_t r = b->sel[i];
                if (!lh_vector_is_valid(v, r))
                    nv[i >> 6] &= ~((uint64_t)1 << (i & 63));
                memmove(data + (size_t)i * w, data + (size_t)r * w, w);
            }
            memcpy(v->validity, nv, sizeof nv);
        } else {
            for (i = 0; i < b->sel_n; i++)
                memmove(data + (size_t)i * w, data + (size_t)b->sel[i] * w, w);
        }
    }
    b->n = b->sel_n;
    b->sel = NULL;
    b->sel_n = 0;
}
