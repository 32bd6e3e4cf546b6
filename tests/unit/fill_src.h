/* tests/unit/fill_src.h — a test-only source operator for operator tests:
 * one batch, reset and refilled by a callback on every pull, so anything
 * still pointing into an old batch fails under ASan.  Shared by
 * test_op_agg.c and test_op_setop.c. */
#ifndef LH_TEST_FILL_SRC_H
#define LH_TEST_FILL_SRC_H

#include "exec/operator.h"

typedef lh_rc (*fill_fn)(void *u, lh_batch *b, uint64_t row0, uint32_t n, lh_err *err);

typedef struct src_op {
    lh_op base;
    lh_batch *b;
    fill_fn fill;
    void *u;
    uint64_t total, pos;
    uint32_t chunk;
} src_op;

static lh_rc src_next(lh_op *op, lh_batch **out, lh_err *err)
{
    src_op *s = (src_op *)op;
    uint32_t n;
    lh_rc rc;
    *out = NULL;
    if (s->pos >= s->total)
        return LH_OK;
    n = s->total - s->pos < s->chunk ? (uint32_t)(s->total - s->pos) : s->chunk;
    lh_batch_reset(s->b); /* frees the last batch's string bytes: nothing may keep pointing there */
    s->b->n = n;
    if ((rc = s->fill(s->u, s->b, s->pos, n, err)))
        return rc;
    s->pos += n;
    *out = s->b;
    return LH_OK;
}

static void src_free(lh_op *op) { lh_batch_free(((src_op *)op)->b); }

static const lh_op_vt src_vt = {"TestSource", src_next, src_free, NULL, NULL};

static lh_rc mk_src_rc(lh_exec_ctx *ctx, const lh_sqltype *types, uint32_t ncols, uint64_t total, uint32_t chunk,
                       fill_fn fill, void *u, lh_op **out, lh_err *err)
{
    lh_op *op;
    lh_rc rc = lh_op_alloc(sizeof(src_op), &src_vt, ctx, types, ncols, &op, err);
    src_op *s;
    if (rc)
        return rc;
    s = (src_op *)op;
    s->fill = fill;
    s->u = u;
    s->total = total;
    s->chunk = chunk;
    if ((rc = lh_batch_create(types, ncols, 0, &s->b, err))) {
        lh_op_free(op);
        return rc;
    }
    *out = op;
    return LH_OK;
}

static lh_op *mk_src(lh_exec_ctx *ctx, const lh_sqltype *types, uint32_t ncols, uint64_t total, uint32_t chunk,
                     fill_fn fill, void *u)
{
    lh_op *op = NULL;
    lh_err e;
    assert_int_equal(mk_src_rc(ctx, types, ncols, total, chunk, fill, u, &op, &e), LH_OK);
    return op;
}

/* ---- collected output ---- */

typedef struct cell {
    int null;
    int64_t i;
    double d;
    lh_i128 q;
    char s[96];
    uint32_t slen;
} cell;

typedef struct res {
    uint32_t ncols;
    size_t nrows, cap;
    cell *c;
} res;

static void read_cell(lh_vector *v, uint32_t r, cell *c)
{
    memset(c, 0, sizeof *c);
    c->null = !lh_vector_get_valid(v, r);
    if (c->null)
        return;
    switch (v->phys) {
    case LH_P_F32:
    case LH_P_F64:
        c->d = lh_vector_get_f64(v, r);
        break;
    case LH_P_I128:
        c->q = lh_vector_get_i128(v, r);
        break;
    case LH_P_STR: {
        lh_str s = lh_vector_get_str(v, r);
        c->slen = lh_str_len(&s);
        assert_true(c->slen < sizeof c->s);
        memcpy(c->s, lh_str_ptr(&s), c->slen);
        break;
    }
    default:
        c->i = lh_vector_get_i64(v, r);
        if (v->type.id == LH_SQL_DECIMAL)
            c->q = c->i;
        break;
    }
}

static lh_rc drain(lh_op *op, res *out, lh_err *err)
{
    lh_rc rc;
    memset(out, 0, sizeof *out);
    out->ncols = op->ncols;
    for (;;) {
        lh_batch *b = NULL;
        lh_rows rows;
        uint32_t i, c;
        if ((rc = lh_op_next(op, &b, err)))
            return rc;
        if (!b)
            return LH_OK;
        rows = lh_batch_rows(b);
        assert_true(rows.n > 0 && rows.n <= LH_BATCH);
        if (out->nrows + rows.n > out->cap) {
            out->cap = (out->nrows + rows.n) * 2;
            out->c = realloc(out->c, out->cap * out->ncols * sizeof *out->c);
            assert_non_null(out->c);
        }
        for (i = 0; i < rows.n; i++, out->nrows++)
            for (c = 0; c < out->ncols; c++)
                read_cell(b->cols[c], rows.sel ? rows.sel[i] : i, &out->c[out->nrows * out->ncols + c]);
    }
}

static cell *at(res *r, size_t row, uint32_t col) { return &r->c[row * r->ncols + col]; }

#endif
