/* tests/unit/window_test.h — helpers of the window operator's tests
 * (test_op_window.c, test_op_window_random.c): a test-only source operator
 * that hands out prepared batches, a collector that reads an operator's
 * whole output into cells, and builders of window specs.  Test code only:
 * failures assert (cmocka); the source owns its batches and frees them. */
#ifndef LH_WINDOW_TEST_H
#define LH_WINDOW_TEST_H

#include "testutil.h"

#include <math.h>

#include "exec/operator.h"

#define NUL INT64_MIN /* a NULL cell in the tables below */
#define NA LH_AGG_NO_ARG

/* ---- a test-only source: hands out prepared batches in order ---- */

typedef struct srcop {
    lh_op base;
    lh_batch **b;
    size_t nb, at;
    atomic_int *stop_at_end; /* set when the last batch has gone: cancels the consumer's own loops */
} srcop;

static inline lh_rc src_next(lh_op *op, lh_batch **out, lh_err *err)
{
    srcop *s = (srcop *)op;
    (void)err;
    *out = s->at < s->nb ? s->b[s->at++] : NULL;
    if (!*out && s->stop_at_end)
        atomic_store(s->stop_at_end, 1);
    return LH_OK;
}

static inline void src_free(lh_op *op)
{
    srcop *s = (srcop *)op;
    size_t i;
    for (i = 0; i < s->nb; i++)
        lh_batch_free(s->b[i]);
    free(s->b);
}

static const lh_op_vt src_vt = {"TestSource", src_next, src_free, NULL, NULL};

static inline srcop *src_new(lh_exec_ctx *ctx, const lh_sqltype *types, uint32_t ncols)
{
    lh_op *op = NULL;
    lh_err e;
    assert_int_equal(lh_op_alloc(sizeof(srcop), &src_vt, ctx, types, ncols, &op, &e), LH_OK);
    return (srcop *)op;
}

static inline lh_batch *src_add(srcop *s)
{
    lh_batch *b = NULL;
    lh_err e;
    assert_int_equal(lh_batch_create(s->base.types, s->base.ncols, 0, &b, &e), LH_OK);
    s->b = realloc(s->b, (s->nb + 1) * sizeof *s->b);
    assert_non_null(s->b);
    s->b[s->nb++] = b;
    return b;
}

static inline void long_str(char *buf, size_t sz, int64_t v)
{
    if (v < 0)
        snprintf(buf, sz, "s%lld", (long long)-v); /* short: inline */
    else
        snprintf(buf, sz, "string-number-%012lld", (long long)v); /* > 12 bytes: in the arena */
}

/* Set cell v (NUL = NULL) of vector c at row r; doubles take dv when given. */
static inline void set_cell(lh_batch *b, uint32_t c, uint32_t r, int64_t v, const double *dv)
{
    lh_vector *x = b->cols[c];
    lh_err e;
    if (v == NUL) {
        lh_vector_set_null(x, r);
        return;
    }
    if (x->phys == LH_P_STR) {
        char s[64];
        long_str(s, sizeof s, v);
        assert_int_equal(lh_vector_set_str(x, r, s, strlen(s), &b->arena, &e), LH_OK);
    } else if (x->phys == LH_P_F32 || x->phys == LH_P_F64) {
        lh_vector_set_f64(x, r, dv ? *dv : (double)v);
    } else if (x->phys == LH_P_TSTZ) {
        lh_tstz t = {v, 0};
        lh_vector_set_tstz(x, r, t);
    } else if (x->phys == LH_P_I128) {
        lh_vector_set_i128(x, r, v);
    } else {
        lh_vector_set_i64(x, r, v);
    }
}

/* A source of nrows rows of ncols cells (row-major), bs rows a batch;
 * with sel, every batch interleaves junk rows that its selection skips. */
static inline lh_op *src_table(lh_exec_ctx *ctx, const lh_sqltype *types, uint32_t ncols, const int64_t *cells,
                        const double *dcells, size_t nrows, size_t bs, int sel)
{
    srcop *s = src_new(ctx, types, ncols);
    size_t r = 0;
    while (r < nrows) {
        lh_batch *b = src_add(s);
        uint16_t selv[LH_BATCH];
        uint32_t k = 0, n = 0, c;
        while (r < nrows && k < bs && n + 2 <= LH_BATCH) {
            if (sel) { /* a junk row first */
                for (c = 0; c < ncols; c++)
                    set_cell(b, c, n, 777, NULL);
                n++;
            }
            for (c = 0; c < ncols; c++)
                set_cell(b, c, n, cells[r * ncols + c], dcells ? &dcells[r * ncols + c] : NULL);
            selv[k++] = (uint16_t)n++;
            r++;
        }
        b->n = n;
        if (sel)
            lh_batch_select(b, selv, k);
    }
    return &s->base;
}

/* ---- output ---- */

typedef struct ocell {
    int null;
    int64_t i;
    lh_i128 x;
    double d;
    char s[64];
} ocell;

typedef struct result {
    ocell *c;
    size_t n;
    uint32_t ncols;
} result;

static inline lh_rc collect(lh_op *op, result *res, lh_err *e)
{
    lh_batch *b;
    lh_rc rc;
    memset(res, 0, sizeof *res);
    res->ncols = op->ncols;
    for (;;) {
        lh_rows rows;
        uint32_t i, c;
        if ((rc = lh_op_next(op, &b, e)))
            return rc;
        if (!b)
            return LH_OK;
        rows = lh_batch_rows(b);
        assert_true(rows.n > 0 && b->n <= LH_BATCH);
        res->c = realloc(res->c, (res->n + rows.n) * res->ncols * sizeof *res->c);
        assert_non_null(res->c);
        for (i = 0; i < rows.n; i++) {
            uint32_t r = rows.sel ? rows.sel[i] : i;
            for (c = 0; c < res->ncols; c++) {
                ocell *o = &res->c[(res->n + i) * res->ncols + c];
                const lh_vector *v = b->cols[c];
                memset(o, 0, sizeof *o);
                o->null = !lh_vector_get_valid(v, r);
                if (o->null)
                    continue;
                if (v->phys == LH_P_STR) {
                    lh_str sv = lh_vector_get_str(v, r);
                    size_t len = lh_str_len(&sv) < 63 ? lh_str_len(&sv) : 63;
                    memcpy(o->s, lh_str_ptr(&sv), len);
                } else if (v->phys == LH_P_F32 || v->phys == LH_P_F64) {
                    o->d = lh_vector_get_f64(v, r);
                } else if (v->phys == LH_P_TSTZ) {
                    o->i = lh_vector_get_tstz(v, r).utc_us;
                } else {
                    o->x = lh_vector_get_i128(v, r);
                    o->i = (int64_t)o->x;
                }
            }
        }
        res->n += rows.n;
    }
}

static inline const ocell *cell(const result *r, size_t row, uint32_t col)
{
    assert_true(row < r->n && col < r->ncols);
    return &r->c[row * r->ncols + col];
}

/* column col of the result as int64 (NUL for NULL) */
static inline void expect_i64(const result *r, uint32_t col, const int64_t *want, size_t n)
{
    size_t i;
    assert_int_equal(r->n, n);
    for (i = 0; i < n; i++) {
        const ocell *o = cell(r, i, col);
        if (want[i] == NUL) {
            if (!o->null)
                fail_msg("row %zu col %u: want NULL, got %lld", i, col, (long long)o->i);
        } else {
            if (o->null)
                fail_msg("row %zu col %u: want %lld, got NULL", i, col, (long long)want[i]);
            if (o->i != want[i])
                fail_msg("row %zu col %u: want %lld, got %lld", i, col, (long long)want[i], (long long)o->i);
        }
    }
}

static inline void expect_f64(const result *r, uint32_t col, const double *want, size_t n)
{
    size_t i;
    assert_int_equal(r->n, n);
    for (i = 0; i < n; i++) {
        const ocell *o = cell(r, i, col);
        assert_false(o->null);
        if (fabs(o->d - want[i]) > 1e-12 * (1 + fabs(want[i])))
            fail_msg("row %zu col %u: want %.17g, got %.17g", i, col, want[i], o->d);
    }
}

static inline void result_free(result *r) { free(r->c); }

/* ---- specs ---- */

static inline lh_sqltype T(lh_sqltype_id id) { return lh_sqltype_of(id); }

static inline lh_win_spec W(lh_win_kind k, lh_sqltype ret)
{
    lh_win_spec f;
    memset(&f, 0, sizeof f);
    f.kind = k;
    f.ret = ret;
    f.arg[0] = f.arg[1] = f.arg[2] = NA;
    f.agg.arg[0] = f.agg.arg[1] = f.agg.filter = NA;
    f.start = LH_FB_UNBOUNDED_PRECEDING;
    f.end = LH_FB_CURRENT_ROW;
    return f;
}

static inline lh_win_spec W1(lh_win_kind k, lh_sqltype ret, uint32_t a0, uint32_t a1, uint32_t a2)
{
    lh_win_spec f = W(k, ret);
    f.arg[0] = a0;
    f.arg[1] = a1;
    f.arg[2] = a2;
    return f;
}

static inline lh_win_spec AGG(lh_agg_kind k, uint32_t arg, lh_sqltype ret)
{
    lh_win_spec f = W(LH_WIN_AGG, ret);
    f.agg.kind = k;
    f.agg.arg[0] = arg;
    f.agg.ret = ret;
    return f;
}

static inline lh_win_spec FR(lh_win_spec f, int rows, lh_frame_bound s, uint32_t so, lh_frame_bound e, uint32_t eo)
{
    f.rows = rows;
    f.start = s;
    f.start_off = so;
    f.end = e;
    f.end_off = eo;
    return f;
}

static inline lh_sort_key K(uint32_t col, int desc, int nulls_first)
{
    lh_sort_key k = {col, desc, nulls_first};
    return k;
}

/* Build and run a window over a table; the result is in *res. */
static inline lh_rc run(lh_exec_ctx *ctx, const lh_sqltype *types, uint32_t ncols, const int64_t *cells, const double *dcells,
                 size_t nrows, size_t bs, int sel, const uint32_t *part, size_t npart, const lh_sort_key *order,
                 size_t norder, const lh_win_spec *fns, size_t nfns, result *res, lh_err *e)
{
    lh_op *src = src_table(ctx, types, ncols, cells, dcells, nrows, bs, sel), *w = NULL;
    lh_rc rc = lh_op_window(ctx, src, part, npart, order, norder, fns, nfns, &w, e);
    memset(res, 0, sizeof *res);
    if (rc)
        return rc;
    rc = collect(w, res, e);
    lh_op_free(w);
    return rc;
}

static uint64_t rng_state = 88172645463325252ULL;
static inline uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

#endif
