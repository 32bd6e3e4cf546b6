/* Unit tests: exec/op_window.c (lh_op_window) — ranking, value and
 * aggregate window functions over ROWS and RANGE frames, with a test-only
 * source operator; random data checked against a naive reference. */
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
} srcop;

static lh_rc src_next(lh_op *op, lh_batch **out, lh_err *err)
{
    srcop *s = (srcop *)op;
    (void)err;
    *out = s->at < s->nb ? s->b[s->at++] : NULL;
    return LH_OK;
}

static void src_free(lh_op *op)
{
    srcop *s = (srcop *)op;
    size_t i;
    for (i = 0; i < s->nb; i++)
        lh_batch_free(s->b[i]);
    free(s->b);
}

static const lh_op_vt src_vt = {"TestSource", src_next, src_free, NULL};

static srcop *src_new(lh_exec_ctx *ctx, const lh_sqltype *types, uint32_t ncols)
{
    lh_op *op = NULL;
    lh_err e;
    assert_int_equal(lh_op_alloc(sizeof(srcop), &src_vt, ctx, types, ncols, &op, &e), LH_OK);
    return (srcop *)op;
}

static lh_batch *src_add(srcop *s)
{
    lh_batch *b = NULL;
    lh_err e;
    assert_int_equal(lh_batch_create(s->base.types, s->base.ncols, 0, &b, &e), LH_OK);
    s->b = realloc(s->b, (s->nb + 1) * sizeof *s->b);
    assert_non_null(s->b);
    s->b[s->nb++] = b;
    return b;
}

static void long_str(char *buf, size_t sz, int64_t v)
{
    if (v < 0)
        snprintf(buf, sz, "s%lld", (long long)-v); /* short: inline */
    else
        snprintf(buf, sz, "string-number-%012lld", (long long)v); /* > 12 bytes: in the arena */
}

/* Set cell v (NUL = NULL) of vector c at row r; doubles take dv when given. */
static void set_cell(lh_batch *b, uint32_t c, uint32_t r, int64_t v, const double *dv)
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
static lh_op *src_table(lh_exec_ctx *ctx, const lh_sqltype *types, uint32_t ncols, const int64_t *cells,
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

static lh_rc collect(lh_op *op, result *res, lh_err *e)
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

static const ocell *cell(const result *r, size_t row, uint32_t col)
{
    assert_true(row < r->n && col < r->ncols);
    return &r->c[row * r->ncols + col];
}

/* column col of the result as int64 (NUL for NULL) */
static void expect_i64(const result *r, uint32_t col, const int64_t *want, size_t n)
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

static void expect_f64(const result *r, uint32_t col, const double *want, size_t n)
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

static void result_free(result *r) { free(r->c); }

/* ---- specs ---- */

static lh_sqltype T(lh_sqltype_id id) { return lh_sqltype_of(id); }

static lh_win_spec W(lh_win_kind k, lh_sqltype ret)
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

static lh_win_spec W1(lh_win_kind k, lh_sqltype ret, uint32_t a0, uint32_t a1, uint32_t a2)
{
    lh_win_spec f = W(k, ret);
    f.arg[0] = a0;
    f.arg[1] = a1;
    f.arg[2] = a2;
    return f;
}

static lh_win_spec AGG(lh_agg_kind k, uint32_t arg, lh_sqltype ret)
{
    lh_win_spec f = W(LH_WIN_AGG, ret);
    f.agg.kind = k;
    f.agg.arg[0] = arg;
    f.agg.ret = ret;
    return f;
}

static lh_win_spec FR(lh_win_spec f, int rows, lh_frame_bound s, uint32_t so, lh_frame_bound e, uint32_t eo)
{
    f.rows = rows;
    f.start = s;
    f.start_off = so;
    f.end = e;
    f.end_off = eo;
    return f;
}

static lh_sort_key K(uint32_t col, int desc, int nulls_first)
{
    lh_sort_key k = {col, desc, nulls_first};
    return k;
}

/* Build and run a window over a table; the result is in *res. */
static lh_rc run(lh_exec_ctx *ctx, const lh_sqltype *types, uint32_t ncols, const int64_t *cells, const double *dcells,
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

/* ---- ranking ---- */

/* Trino's doc example shape: rank() OVER (PARTITION BY clerk ORDER BY
 * totalprice DESC), with ties, plus ntile(4) over 6 rows = 1 1 2 2 3 4. */
static void test_ranking(void **state)
{
    lh_exec_ctx ctx;
    lh_sqltype ts[3] = {T(LH_SQL_VARCHAR), T(LH_SQL_BIGINT), T(LH_SQL_INTEGER)};
    /* clerk, totalprice, 4 */
    int64_t cells[] = {1, 100, 4, 2, 50, 4, 1, 300, 4, 1, 100, 4, 2, 70, 4, 1, 200, 4,
                       1, 100, 4, 1, 50,  4, 2, 70, 4};
    uint32_t part[1] = {0};
    lh_sort_key ord[1] = {K(1, 1, 0)};
    lh_win_spec fns[6] = {W(LH_WIN_ROW_NUMBER, T(LH_SQL_BIGINT)),   W(LH_WIN_RANK, T(LH_SQL_BIGINT)),
                          W(LH_WIN_DENSE_RANK, T(LH_SQL_BIGINT)),   W(LH_WIN_PERCENT_RANK, T(LH_SQL_DOUBLE)),
                          W(LH_WIN_CUME_DIST, T(LH_SQL_DOUBLE)),    W1(LH_WIN_NTILE, T(LH_SQL_BIGINT), 2, NA, NA)};
    result r;
    lh_err e;
    (void)state;
    lh_exec_ctx_init(&ctx);
    assert_int_equal(run(&ctx, ts, 3, cells, NULL, 9, 4, 0, part, 1, ord, 1, fns, 6, &r, &e), LH_OK);
    {
        /* clerk 1: 300, 200, 100, 100, 100, 50; clerk 2: 70, 70, 50 */
        int64_t price[] = {300, 200, 100, 100, 100, 50, 70, 70, 50};
        int64_t rn[] = {1, 2, 3, 4, 5, 6, 1, 2, 3};
        int64_t rk[] = {1, 2, 3, 3, 3, 6, 1, 1, 3};
        int64_t dr[] = {1, 2, 3, 3, 3, 4, 1, 1, 2};
        double pr[] = {0, 0.2, 0.4, 0.4, 0.4, 1, 0, 0, 1};
        double cd[] = {1 / 6.0, 2 / 6.0, 5 / 6.0, 5 / 6.0, 5 / 6.0, 1, 2 / 3.0, 2 / 3.0, 1};
        int64_t nt[] = {1, 1, 2, 2, 3, 4, 1, 2, 3};
        expect_i64(&r, 1, price, 9);
        expect_i64(&r, 3, rn, 9);
        expect_i64(&r, 4, rk, 9);
        expect_i64(&r, 5, dr, 9);
        expect_f64(&r, 6, pr, 9);
        expect_f64(&r, 7, cd, 9);
        expect_i64(&r, 8, nt, 9);
        assert_string_equal(cell(&r, 0, 0)->s, "string-number-000000000001");
        assert_string_equal(cell(&r, 8, 0)->s, "string-number-000000000002");
    }
    result_free(&r);
    /* stable: ties keep input order (row_number follows it) with ORDER BY; no
     * ORDER BY: every row a peer (rank 1, cume_dist 1) */
    {
        int64_t c2[] = {5, 1, NUL, 2, 5, 3, NUL, 4};
        lh_sqltype t2[2] = {T(LH_SQL_BIGINT), T(LH_SQL_BIGINT)};
        lh_win_spec f2[3] = {W(LH_WIN_RANK, T(LH_SQL_BIGINT)), W(LH_WIN_CUME_DIST, T(LH_SQL_DOUBLE)),
                             W(LH_WIN_ROW_NUMBER, T(LH_SQL_BIGINT))};
        int64_t ones[] = {1, 1, 1, 1}, ids[] = {1, 2, 3, 4}, keys[] = {5, NUL, 5, NUL};
        double all[] = {1, 1, 1, 1};
        assert_int_equal(run(&ctx, t2, 2, c2, NULL, 4, 3, 1, NULL, 0, NULL, 0, f2, 3, &r, &e), LH_OK);
        expect_i64(&r, 0, keys, 4);
        expect_i64(&r, 2, ones, 4);
        expect_f64(&r, 3, all, 4);
        expect_i64(&r, 4, ids, 4);
        result_free(&r);
    }
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
}

/* NULLs in partition keys form one partition; NULLs in order keys sort
 * first or last as the key says, in either direction, and are peers. */
static void test_null_keys(void **state)
{
    lh_exec_ctx ctx;
    lh_sqltype ts[3] = {T(LH_SQL_INTEGER), T(LH_SQL_BIGINT), T(LH_SQL_BIGINT)};
    int64_t cells[] = {NUL, 3, 1, 1, NUL, 2, NUL, 1, 3, 1, 2, 4, NUL, NUL, 5, 1, NUL, 6, 1, 2, 7, NUL, 3, 8};
    uint32_t part[1] = {0};
    lh_win_spec fns[2] = {W(LH_WIN_RANK, T(LH_SQL_BIGINT)), W(LH_WIN_ROW_NUMBER, T(LH_SQL_BIGINT))};
    struct {
        lh_sort_key k;
        int64_t ids[8], rank[8];
    } cases[4] = {
        /* partition 1 (ids 2,4,6,7: keys NULL,2,NULL,2) then NULL (ids 1,3,5,8: 3,1,NULL,3) */
        {{1, 0, 0}, {4, 7, 2, 6, 3, 1, 8, 5}, {1, 1, 3, 3, 1, 2, 2, 4}},
        {{1, 0, 1}, {2, 6, 4, 7, 5, 3, 1, 8}, {1, 1, 3, 3, 1, 2, 3, 3}},
        {{1, 1, 0}, {4, 7, 2, 6, 1, 8, 3, 5}, {1, 1, 3, 3, 1, 1, 3, 4}},
        {{1, 1, 1}, {2, 6, 4, 7, 5, 1, 8, 3}, {1, 1, 3, 3, 1, 2, 2, 4}},
    };
    int i;
    (void)state;
    lh_exec_ctx_init(&ctx);
    for (i = 0; i < 4; i++) {
        result r;
        lh_err e;
        assert_int_equal(run(&ctx, ts, 3, cells, NULL, 8, 3, i & 1, part, 1, &cases[i].k, 1, fns, 2, &r, &e), LH_OK);
        expect_i64(&r, 2, cases[i].ids, 8);
        expect_i64(&r, 3, cases[i].rank, 8);
        result_free(&r);
    }
}

/* ---- lag, lead ---- */

static void test_lag_lead(void **state)
{
    lh_exec_ctx ctx;
    /* id (order), x, offset 2, default -1, offset 0, NULL offset, -1 offset */
    lh_sqltype ts[7] = {T(LH_SQL_BIGINT),  T(LH_SQL_BIGINT),  T(LH_SQL_BIGINT), T(LH_SQL_BIGINT),
                        T(LH_SQL_INTEGER), T(LH_SQL_BIGINT), T(LH_SQL_BIGINT)};
    int64_t cells[6 * 7];
    int64_t xs[6] = {10, NUL, 30, NUL, NUL, 60};
    lh_sort_key ord[1] = {K(0, 0, 0)};
    lh_sqltype bi = T(LH_SQL_BIGINT);
    lh_win_spec fns[8] = {
        W1(LH_WIN_LAG, bi, 1, NA, NA),  W1(LH_WIN_LEAD, bi, 1, NA, NA), W1(LH_WIN_LAG, bi, 1, 2, 3),
        W1(LH_WIN_LEAD, bi, 1, 2, 3),   W1(LH_WIN_LAG, bi, 1, NA, NA),  W1(LH_WIN_LEAD, bi, 1, 2, 3),
        W1(LH_WIN_LAG, bi, 1, 4, NA),   W1(LH_WIN_LEAD, bi, 1, 4, NA),
    };
    result r;
    lh_err e;
    int i;
    (void)state;
    fns[4].ignore_nulls = 1;
    fns[5].ignore_nulls = 1;
    fns[7].ignore_nulls = 1;
    for (i = 0; i < 6; i++) {
        int64_t row[7] = {i + 1, xs[i], 2, -1, 0, NUL, -1};
        memcpy(&cells[i * 7], row, sizeof row);
    }
    lh_exec_ctx_init(&ctx);
    assert_int_equal(run(&ctx, ts, 7, cells, NULL, 6, 2, 0, NULL, 0, ord, 1, fns, 8, &r, &e), LH_OK);
    {
        int64_t lag1[] = {NUL, 10, NUL, 30, NUL, NUL};
        int64_t lead1[] = {NUL, 30, NUL, NUL, 60, NUL};
        int64_t lag2[] = {-1, -1, 10, NUL, 30, NUL};
        int64_t lead2[] = {30, NUL, NUL, 60, -1, -1};
        int64_t lag_in[] = {NUL, 10, 10, 30, 30, 30};      /* lag(x) IGNORE NULLS */
        int64_t lead_in2[] = {60, 60, -1, -1, -1, -1};     /* lead(x, 2, -1) IGNORE NULLS */
        int64_t lag0[] = {10, NUL, 30, NUL, NUL, 60};      /* offset 0: the current row */
        expect_i64(&r, 7, lag1, 6);
        expect_i64(&r, 8, lead1, 6);
        expect_i64(&r, 9, lag2, 6);
        expect_i64(&r, 10, lead2, 6);
        expect_i64(&r, 11, lag_in, 6);
        expect_i64(&r, 12, lead_in2, 6);
        expect_i64(&r, 13, lag0, 6);
        expect_i64(&r, 14, lag0, 6);
    }
    result_free(&r);
    /* offsets: NULL and negative are errors */
    {
        lh_win_spec bad = W1(LH_WIN_LAG, bi, 1, 5, NA);
        assert_int_equal(run(&ctx, ts, 7, cells, NULL, 6, 6, 0, NULL, 0, ord, 1, &bad, 1, &r, &e), LH_EDATA);
        assert_string_equal(e.msg, "Offset must not be null");
        result_free(&r);
        bad = W1(LH_WIN_LEAD, bi, 1, 6, NA);
        assert_int_equal(run(&ctx, ts, 7, cells, NULL, 6, 6, 0, NULL, 0, ord, 1, &bad, 1, &r, &e), LH_EDATA);
        assert_string_equal(e.msg, "Offset must be at least 0");
        result_free(&r);
    }
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
}

/* ---- first_value, last_value, nth_value ---- */

static void test_value_functions(void **state)
{
    lh_exec_ctx ctx;
    /* k (order, ties), x (varchar), 2, 1, NULL, 0 */
    lh_sqltype ts[6] = {T(LH_SQL_BIGINT), T(LH_SQL_VARCHAR), T(LH_SQL_BIGINT),
                        T(LH_SQL_BIGINT), T(LH_SQL_BIGINT),  T(LH_SQL_BIGINT)};
    int64_t ks[6] = {1, 1, 2, 3, 3, 4}, xs[6] = {NUL, 11, -5, NUL, 44, NUL};
    int64_t cells[36];
    lh_sort_key ord[1] = {K(0, 0, 0)};
    lh_sqltype vc = T(LH_SQL_VARCHAR);
    lh_win_spec fns[8] = {
        W1(LH_WIN_FIRST_VALUE, vc, 1, NA, NA), /* default frame: peers included */
        W1(LH_WIN_LAST_VALUE, vc, 1, NA, NA),
        W1(LH_WIN_NTH_VALUE, vc, 1, 2, NA),
        FR(W1(LH_WIN_FIRST_VALUE, vc, 1, NA, NA), 1, LH_FB_PRECEDING, 3, LH_FB_FOLLOWING, 3),
        FR(W1(LH_WIN_LAST_VALUE, vc, 1, NA, NA), 1, LH_FB_PRECEDING, 3, LH_FB_FOLLOWING, 3),
        FR(W1(LH_WIN_FIRST_VALUE, vc, 1, NA, NA), 1, LH_FB_CURRENT_ROW, 0, LH_FB_UNBOUNDED_FOLLOWING, 0),
        FR(W1(LH_WIN_LAST_VALUE, vc, 1, NA, NA), 1, LH_FB_UNBOUNDED_PRECEDING, 0, LH_FB_CURRENT_ROW, 0),
        FR(W1(LH_WIN_NTH_VALUE, vc, 1, 2, NA), 1, LH_FB_FOLLOWING, 3, LH_FB_UNBOUNDED_FOLLOWING, 0),
    };
    result r;
    lh_err e;
    int i;
    (void)state;
    fns[5].ignore_nulls = 1;
    fns[6].ignore_nulls = 1;
    fns[7].ignore_nulls = 1;
    for (i = 0; i < 6; i++) {
        int64_t row[6] = {ks[i], xs[i], 2, 1, NUL, 0};
        memcpy(&cells[i * 6], row, sizeof row);
    }
    lh_exec_ctx_init(&ctx);
    assert_int_equal(run(&ctx, ts, 6, cells, NULL, 6, 4, 1, NULL, 0, ord, 1, fns, 8, &r, &e), LH_OK);
    {
        static const char *want[8][6] = {
            {NULL, NULL, NULL, NULL, NULL, NULL},
            {"string-number-000000000011", "string-number-000000000011", "s5", "string-number-000000000044",
             "string-number-000000000044", NULL},
            {"string-number-000000000011", "string-number-000000000011", "string-number-000000000011",
             "string-number-000000000011", "string-number-000000000011", "string-number-000000000011"},
            /* ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING */
            {NULL, NULL, "string-number-000000000011", "s5", NULL, "string-number-000000000044"},
            {"string-number-000000000011", "s5", NULL, "string-number-000000000044", NULL, NULL},
            /* IGNORE NULLS: first from here on, last up to here */
            {"string-number-000000000011", "string-number-000000000011", "s5", "string-number-000000000044",
             "string-number-000000000044", NULL},
            {NULL, "string-number-000000000011", "s5", "s5", "string-number-000000000044",
             "string-number-000000000044"},
            /* nth_value(x, 2) IGNORE NULLS over ROWS 1 FOLLOWING .. UNBOUNDED FOLLOWING */
            {"s5", "string-number-000000000044", NULL, NULL, NULL, NULL},
        };
        int f;
        for (f = 0; f < 8; f++)
            for (i = 0; i < 6; i++) {
                const ocell *o = cell(&r, (size_t)i, 6 + f);
                if (!want[f][i]) {
                    if (!o->null)
                        fail_msg("fn %d row %d: want NULL, got %s", f, i, o->s);
                } else {
                    if (o->null)
                        fail_msg("fn %d row %d: want %s, got NULL", f, i, want[f][i]);
                    assert_string_equal(o->s, want[f][i]);
                }
            }
    }
    result_free(&r);
    /* nth_value: NULL offset gives NULL, offset 0 is an error */
    {
        lh_win_spec f2 = W1(LH_WIN_NTH_VALUE, vc, 1, 4, NA);
        assert_int_equal(run(&ctx, ts, 6, cells, NULL, 6, 6, 0, NULL, 0, ord, 1, &f2, 1, &r, &e), LH_OK);
        for (i = 0; i < 6; i++)
            assert_true(cell(&r, (size_t)i, 6)->null);
        result_free(&r);
        f2 = W1(LH_WIN_NTH_VALUE, vc, 1, 5, NA);
        assert_int_equal(run(&ctx, ts, 6, cells, NULL, 6, 6, 0, NULL, 0, ord, 1, &f2, 1, &r, &e), LH_EDATA);
        assert_string_equal(e.msg, "Offset must be at least 1");
        result_free(&r);
    }
}

/* ---- aggregates over frames ---- */

static void test_agg_frames(void **state)
{
    lh_exec_ctx ctx;
    /* p, k, x, 2, 1, 3 */
    lh_sqltype ts[6] = {T(LH_SQL_INTEGER), T(LH_SQL_BIGINT), T(LH_SQL_INTEGER),
                        T(LH_SQL_BIGINT),  T(LH_SQL_BIGINT), T(LH_SQL_BIGINT)};
    int64_t base[8][3] = {{1, 1, 10}, {1, 2, NUL}, {1, 2, 30}, {1, 4, 40}, {1, 5, 50}, {2, 1, 7}, {2, 1, 8}, {2, 9, NUL}};
    int64_t cells[8 * 6];
    uint32_t part[1] = {0};
    lh_sort_key ord[1] = {K(1, 0, 0)};
    lh_sqltype bi = T(LH_SQL_BIGINT), db = T(LH_SQL_DOUBLE), it = T(LH_SQL_INTEGER);
    lh_win_spec fns[12] = {
        AGG(LH_AGG_SUM, 2, bi), /* default: RANGE UNBOUNDED PRECEDING .. CURRENT ROW, peers */
        FR(AGG(LH_AGG_SUM, 2, bi), 1, LH_FB_PRECEDING, 3, LH_FB_CURRENT_ROW, 0),
        FR(AGG(LH_AGG_COUNT_STAR, NA, bi), 1, LH_FB_PRECEDING, 4, LH_FB_FOLLOWING, 4),
        FR(AGG(LH_AGG_COUNT, 2, bi), 1, LH_FB_PRECEDING, 4, LH_FB_FOLLOWING, 4),
        FR(AGG(LH_AGG_AVG, 2, db), 1, LH_FB_UNBOUNDED_PRECEDING, 0, LH_FB_UNBOUNDED_FOLLOWING, 0),
        FR(AGG(LH_AGG_MIN, 2, it), 1, LH_FB_CURRENT_ROW, 0, LH_FB_UNBOUNDED_FOLLOWING, 0),
        FR(AGG(LH_AGG_MAX, 2, it), 1, LH_FB_PRECEDING, 4, LH_FB_FOLLOWING, 4),
        FR(AGG(LH_AGG_SUM, 2, bi), 1, LH_FB_FOLLOWING, 4, LH_FB_FOLLOWING, 5), /* empty near the end */
        FR(AGG(LH_AGG_COUNT_STAR, NA, bi), 1, LH_FB_FOLLOWING, 4, LH_FB_FOLLOWING, 5),
        FR(AGG(LH_AGG_SUM, 2, bi), 0, LH_FB_PRECEDING, 4, LH_FB_FOLLOWING, 4),  /* RANGE 1 PRECEDING .. 1 FOLLOWING */
        FR(AGG(LH_AGG_MAX, 2, it), 0, LH_FB_CURRENT_ROW, 0, LH_FB_CURRENT_ROW, 0),
        FR(AGG(LH_AGG_SUM, 2, bi), 1, LH_FB_PRECEDING, 5, LH_FB_PRECEDING, 4), /* ROWS 3 PRECEDING .. 1 PRECEDING */
    };
    result r;
    lh_err e;
    int i;
    (void)state;
    for (i = 0; i < 8; i++) {
        int64_t row[6] = {base[i][0], base[i][1], base[i][2], 2, 1, 3};
        memcpy(&cells[i * 6], row, sizeof row);
    }
    lh_exec_ctx_init(&ctx);
    assert_int_equal(run(&ctx, ts, 6, cells, NULL, 8, 3, 1, part, 1, ord, 1, fns, 12, &r, &e), LH_OK);
    {
        int64_t run_sum[] = {10, 40, 40, 80, 130, 15, 15, 15};
        int64_t rows2[] = {10, 10, 40, 70, 120, 7, 15, 15};
        int64_t cnt3[] = {2, 3, 3, 3, 2, 2, 3, 2};
        int64_t cntx3[] = {1, 2, 2, 3, 2, 2, 2, 1};
        double avg_all[] = {32.5, 32.5, 32.5, 32.5, 32.5, 7.5, 7.5, 7.5};
        int64_t min_rest[] = {10, 30, 30, 40, 50, 7, 8, NUL};
        int64_t max3[] = {10, 30, 40, 50, 50, 8, 8, 8};
        int64_t fol[] = {70, 120, 90, 50, NUL, 8, NUL, NUL}; /* ROWS 1 FOLLOWING .. 3 FOLLOWING */
        int64_t folc[] = {3, 3, 2, 1, 0, 2, 1, 0};
        int64_t range1[] = {40, 40, 40, 90, 90, 15, 15, NUL};
        int64_t peers_max[] = {10, 30, 30, 40, 50, 8, 8, NUL};
        int64_t prev[] = {NUL, 10, 10, 40, 70, NUL, 7, 15};
        expect_i64(&r, 6, run_sum, 8);
        expect_i64(&r, 7, rows2, 8);
        expect_i64(&r, 8, cnt3, 8);
        expect_i64(&r, 9, cntx3, 8);
        expect_f64(&r, 10, avg_all, 8);
        expect_i64(&r, 11, min_rest, 8);
        expect_i64(&r, 12, max3, 8);
        expect_i64(&r, 13, fol, 8);
        expect_i64(&r, 14, folc, 8);
        expect_i64(&r, 15, range1, 8);
        expect_i64(&r, 16, peers_max, 8);
        expect_i64(&r, 17, prev, 8);
    }
    result_free(&r);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
}

/* Trino's TestWindowFrameRange: RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING
 * over VALUES 1, 2, 3, null, null, 2, 1, null, null in every key order;
 * array_agg(a) shown as (count(*), sum(a)). Then a decimal offset 0.5
 * over an integer key, and frames that touch the NULL group. */
static void test_range_trino_examples(void **state)
{
    lh_exec_ctx ctx;
    lh_sqltype ts[4] = {T(LH_SQL_INTEGER), T(LH_SQL_INTEGER), lh_sqltype_decimal(2, 1), lh_sqltype_decimal(2, 1)};
    int64_t vals[9] = {1, 2, 3, NUL, NUL, 2, 1, NUL, NUL};
    int64_t cells[9 * 4];
    lh_sqltype bi = T(LH_SQL_BIGINT);
    lh_win_spec fns[2] = {FR(AGG(LH_AGG_COUNT_STAR, NA, bi), 0, LH_FB_PRECEDING, 1, LH_FB_FOLLOWING, 1),
                          FR(AGG(LH_AGG_SUM, 0, bi), 0, LH_FB_PRECEDING, 1, LH_FB_FOLLOWING, 1)};
    struct {
        int desc, nf;
        int64_t key[9], cnt[9], sum[9];
    } cases[4] = {
        {0, 1, {NUL, NUL, NUL, NUL, 1, 1, 2, 2, 3}, {4, 4, 4, 4, 4, 4, 5, 5, 3}, {NUL, NUL, NUL, NUL, 6, 6, 9, 9, 7}},
        {0, 0, {1, 1, 2, 2, 3, NUL, NUL, NUL, NUL}, {4, 4, 5, 5, 3, 4, 4, 4, 4}, {6, 6, 9, 9, 7, NUL, NUL, NUL, NUL}},
        {1, 1, {NUL, NUL, NUL, NUL, 3, 2, 2, 1, 1}, {4, 4, 4, 4, 3, 5, 5, 4, 4}, {NUL, NUL, NUL, NUL, 7, 9, 9, 6, 6}},
        {1, 0, {3, 2, 2, 1, 1, NUL, NUL, NUL, NUL}, {3, 5, 5, 4, 4, 4, 4, 4, 4}, {7, 9, 9, 6, 6, NUL, NUL, NUL, NUL}},
    };
    int i;
    (void)state;
    for (i = 0; i < 9; i++) {
        int64_t row[4] = {vals[i], 1, 5, 15}; /* a, 1, 0.5, 1.5 */
        memcpy(&cells[i * 4], row, sizeof row);
    }
    lh_exec_ctx_init(&ctx);
    for (i = 0; i < 4; i++) {
        lh_sort_key k = K(0, cases[i].desc, cases[i].nf);
        result r;
        lh_err e;
        assert_int_equal(run(&ctx, ts, 4, cells, NULL, 9, 4, i & 1, NULL, 0, &k, 1, fns, 2, &r, &e), LH_OK);
        expect_i64(&r, 0, cases[i].key, 9);
        expect_i64(&r, 4, cases[i].cnt, 9);
        expect_i64(&r, 5, cases[i].sum, 9);
        result_free(&r);
    }
    /* VALUES 1, null, null, 2, 1 with decimal offsets (0.5, 1.5) */
    {
        int64_t v5[5] = {1, NUL, NUL, 2, 1};
        struct {
            int nf;
            lh_frame_bound s;
            uint32_t so;
            lh_frame_bound e;
            uint32_t eo;
            int64_t cnt[5], sum[5];
        } c5[6] = {
            /* ASC NULLS FIRST UNBOUNDED PRECEDING .. 0.5 PRECEDING: [n,n] [n,n] [n,n] [n,n] [n,n,1,1] */
            {1, LH_FB_UNBOUNDED_PRECEDING, 0, LH_FB_PRECEDING, 2, {2, 2, 2, 2, 4}, {NUL, NUL, NUL, NUL, 2}},
            /* ASC NULLS FIRST 0.5 FOLLOWING .. UNBOUNDED FOLLOWING: all, all, [2], [2], empty */
            {1, LH_FB_FOLLOWING, 2, LH_FB_UNBOUNDED_FOLLOWING, 0, {5, 5, 1, 1, 0}, {4, 4, 2, 2, NUL}},
            /* ASC NULLS LAST UNBOUNDED PRECEDING .. 0.5 PRECEDING: empty, empty, [1,1], all, all */
            {0, LH_FB_UNBOUNDED_PRECEDING, 0, LH_FB_PRECEDING, 2, {0, 0, 2, 5, 5}, {NUL, NUL, 2, 4, 4}},
            /* ASC NULLS LAST CURRENT ROW .. 1.5 FOLLOWING: [1,1,2] [1,1,2] [2] [n,n] [n,n] */
            {0, LH_FB_CURRENT_ROW, 0, LH_FB_FOLLOWING, 3, {3, 3, 1, 2, 2}, {4, 4, 2, NUL, NUL}},
            /* ASC NULLS LAST 0.5 PRECEDING .. UNBOUNDED FOLLOWING: all, all, [2,n,n], [n,n], [n,n] */
            {0, LH_FB_PRECEDING, 2, LH_FB_UNBOUNDED_FOLLOWING, 0, {5, 5, 3, 2, 2}, {4, 4, 2, NUL, NUL}},
            /* ASC NULLS LAST 0.5 FOLLOWING .. UNBOUNDED FOLLOWING: [2,n,n] x2, [n,n] x3 */
            {0, LH_FB_FOLLOWING, 2, LH_FB_UNBOUNDED_FOLLOWING, 0, {3, 3, 2, 2, 2}, {2, 2, NUL, NUL, NUL}},
        };
        int64_t cells5[5 * 4];
        for (i = 0; i < 5; i++) {
            int64_t row[4] = {v5[i], 1, 5, 15};
            memcpy(&cells5[i * 4], row, sizeof row);
        }
        for (i = 0; i < 6; i++) {
            lh_sort_key k = K(0, 0, c5[i].nf);
            lh_win_spec f5[2] = {FR(AGG(LH_AGG_COUNT_STAR, NA, bi), 0, c5[i].s, c5[i].so, c5[i].e, c5[i].eo),
                                 FR(AGG(LH_AGG_SUM, 0, bi), 0, c5[i].s, c5[i].so, c5[i].e, c5[i].eo)};
            result r;
            lh_err e;
            assert_int_equal(run(&ctx, ts, 4, cells5, NULL, 5, 2, 0, NULL, 0, &k, 1, f5, 2, &r, &e), LH_OK);
            expect_i64(&r, 4, c5[i].cnt, 5);
            expect_i64(&r, 5, c5[i].sum, 5);
            result_free(&r);
        }
    }
    /* a negative or NULL offset */
    {
        int64_t bad[2 * 4] = {1, -1, NUL, 15, 2, -1, NUL, 15};
        lh_sort_key k = K(0, 0, 0);
        lh_win_spec f = FR(AGG(LH_AGG_COUNT_STAR, NA, bi), 0, LH_FB_PRECEDING, 2, LH_FB_CURRENT_ROW, 0);
        result r;
        lh_err e;
        assert_int_equal(run(&ctx, ts, 4, bad, NULL, 2, 2, 0, NULL, 0, &k, 1, &f, 1, &r, &e), LH_EDATA);
        assert_string_equal(e.msg, "Window frame offset value must not be negative or null");
        result_free(&r);
        f = FR(AGG(LH_AGG_COUNT_STAR, NA, bi), 1, LH_FB_PRECEDING, 1, LH_FB_CURRENT_ROW, 0);
        ts[1] = T(LH_SQL_INTEGER);
        assert_int_equal(run(&ctx, ts, 4, bad, NULL, 2, 2, 0, NULL, 0, &k, 1, &f, 1, &r, &e), LH_EDATA);
        assert_string_equal(e.msg, "Window frame offset value must not be negative or null");
        result_free(&r);
    }
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
}

/* RANGE offsets over double, decimal, date and timestamp keys. */
static void test_range_types(void **state)
{
    lh_exec_ctx ctx;
    lh_sqltype bi = T(LH_SQL_BIGINT);
    lh_err e;
    result r;
    (void)state;
    lh_exec_ctx_init(&ctx);
    { /* double key, double offset 0.25: keys 1.0 1.2 1.5 1.6 2.0 NaN */
        lh_sqltype ts[2] = {T(LH_SQL_DOUBLE), T(LH_SQL_DOUBLE)};
        int64_t cells[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        double d[12] = {1.5, 0.25, 1.0, 0.25, 2.0, 0.25, NAN, 0.25, 1.2, 0.25, 1.6, 0.25};
        lh_sort_key k = K(0, 0, 0);
        lh_win_spec f = FR(AGG(LH_AGG_COUNT_STAR, NA, bi), 0, LH_FB_PRECEDING, 1, LH_FB_FOLLOWING, 1);
        /* sorted 1.0 1.2 1.5 1.6 2.0 NaN: [0.75,1.25] [0.95,1.45] [1.25,1.75] [1.35,1.85] [1.75,2.25]; NaN alone */
        int64_t cnt[6] = {2, 2, 2, 2, 1, 1};
        double keys[5] = {1.0, 1.2, 1.5, 1.6, 2.0};
        int j;
        assert_int_equal(run(&ctx, ts, 2, cells, d, 6, 6, 0, NULL, 0, &k, 1, &f, 1, &r, &e), LH_OK);
        for (j = 0; j < 5; j++)
            assert_true(cell(&r, (size_t)j, 0)->d == keys[j]);
        assert_true(isnan(cell(&r, 5, 0)->d));
        expect_i64(&r, 2, cnt, 6);
        result_free(&r);
    }
    { /* decimal(10,2) key DESC, decimal(3,1) offset 1.0 */
        lh_sqltype ts[2] = {lh_sqltype_decimal(10, 2), lh_sqltype_decimal(3, 1)};
        int64_t cells[10] = {100, 10, 250, 10, 199, 10, 300, 10, NUL, 10};
        lh_sort_key k = K(0, 1, 0);
        lh_win_spec f[2] = {FR(AGG(LH_AGG_SUM, 0, lh_sqltype_decimal(38, 2)), 0, LH_FB_PRECEDING, 1,
                               LH_FB_CURRENT_ROW, 0),
                            FR(AGG(LH_AGG_COUNT_STAR, NA, bi), 0, LH_FB_CURRENT_ROW, 0, LH_FB_FOLLOWING, 1)};
        /* order: 3.00 2.50 1.99 1.00 NULL; PRECEDING means larger keys (up to key + 1.00) */
        int64_t keys[5] = {300, 250, 199, 100, NUL}, sum[5] = {300, 550, 449, 299, NUL}, cnt[5] = {2, 2, 2, 1, 1};
        assert_int_equal(run(&ctx, ts, 2, cells, NULL, 5, 2, 1, NULL, 0, &k, 1, f, 2, &r, &e), LH_OK);
        expect_i64(&r, 0, keys, 5);
        expect_i64(&r, 2, sum, 5);
        expect_i64(&r, 3, cnt, 5);
        result_free(&r);
    }
    { /* date key with interval day to second (2 days) and year to month (1 month) */
        lh_sqltype ts[3] = {T(LH_SQL_DATE), T(LH_SQL_INTERVAL_DS), T(LH_SQL_INTERVAL_YM)};
        int64_t day = 86400000000LL;
        /* 2024-01-31 = 19753, 2024-02-01, 2024-02-03, 2024-02-29, 2024-03-01 */
        int64_t cells[15] = {19753, 2 * day, 1, 19754, 2 * day, 1, 19756, 2 * day, 1,
                             19782, 2 * day, 1, 19783, 2 * day, 1};
        lh_sort_key k = K(0, 0, 0);
        lh_win_spec f[2] = {FR(AGG(LH_AGG_COUNT_STAR, NA, bi), 0, LH_FB_PRECEDING, 1, LH_FB_CURRENT_ROW, 0),
                            FR(AGG(LH_AGG_COUNT_STAR, NA, bi), 0, LH_FB_CURRENT_ROW, 0, LH_FB_FOLLOWING, 2)};
        /* 2 days back: {31}, {31,1}, {1,3}, {29}, {29,1} ; +1 month: 01-31 -> 02-29: {31,1,3,29}=4,
         * 02-01 -> 03-01: 4, 02-03 -> 03-03: 3, 02-29 -> 03-29: 2, 03-01 -> 04-01: 1 */
        int64_t back[5] = {1, 2, 2, 1, 2}, fwd[5] = {4, 4, 3, 2, 1};
        assert_int_equal(run(&ctx, ts, 3, cells, NULL, 5, 5, 0, NULL, 0, &k, 1, f, 2, &r, &e), LH_OK);
        expect_i64(&r, 3, back, 5);
        expect_i64(&r, 4, fwd, 5);
        result_free(&r);
    }
    { /* timestamp key, 90 minutes */
        lh_sqltype ts[2] = {lh_sqltype_timestamp(6), T(LH_SQL_INTERVAL_DS)};
        int64_t h = 3600000000LL;
        int64_t cells[8] = {0, 90 * h / 60, 1 * h, 90 * h / 60, 2 * h, 90 * h / 60, 4 * h, 90 * h / 60};
        lh_sort_key k = K(0, 0, 0);
        lh_win_spec f = FR(AGG(LH_AGG_MIN, 0, lh_sqltype_timestamp(6)), 0, LH_FB_PRECEDING, 1, LH_FB_CURRENT_ROW, 0);
        int64_t mn[4] = {0, 0, 1 * h, 4 * h};
        assert_int_equal(run(&ctx, ts, 2, cells, NULL, 4, 4, 0, NULL, 0, &k, 1, &f, 1, &r, &e), LH_OK);
        expect_i64(&r, 2, mn, 4);
        result_free(&r);
    }
    { /* date offset that is not whole days: Trino's date arithmetic error */
        lh_sqltype ts[2] = {T(LH_SQL_DATE), T(LH_SQL_INTERVAL_DS)};
        int64_t cells[2] = {19753, 3600000000LL};
        lh_sort_key k = K(0, 0, 0);
        lh_win_spec f = FR(AGG(LH_AGG_COUNT_STAR, NA, bi), 0, LH_FB_PRECEDING, 1, LH_FB_CURRENT_ROW, 0);
        assert_int_equal(run(&ctx, ts, 2, cells, NULL, 1, 1, 0, NULL, 0, &k, 1, &f, 1, &r, &e), LH_EDATA);
        assert_true(strstr(e.msg, "hour, minutes or seconds") != NULL);
        result_free(&r);
    }
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
}

/* Sums: bigint overflow raises; decimal sums are exact beyond 10^38 in
 * between; decimal avg rounds HALF_UP; double sums slide past Infinity. */
static void test_sum_avg_exact(void **state)
{
    lh_exec_ctx ctx;
    lh_err e;
    result r;
    lh_sqltype bi = T(LH_SQL_BIGINT);
    (void)state;
    lh_exec_ctx_init(&ctx);
    {
        lh_sqltype ts[1] = {bi};
        int64_t cells[3] = {INT64_MAX, 1, -5};
        lh_win_spec f = AGG(LH_AGG_SUM, 0, bi);
        assert_int_equal(run(&ctx, ts, 1, cells, NULL, 3, 3, 0, NULL, 0, NULL, 0, &f, 1, &r, &e), LH_EDATA);
        assert_string_equal(e.msg, "bigint addition overflow: 9223372036854775807 + 1");
        result_free(&r);
    }
    {
        lh_sqltype ts[2] = {T(LH_SQL_BIGINT), lh_sqltype_decimal(38, 0)};
        lh_i128 big = lh_dec_pow10(38) - 1;
        lh_sqltype d38 = lh_sqltype_decimal(38, 0);
        lh_win_spec f[3] = {AGG(LH_AGG_SUM, 1, d38), AGG(LH_AGG_AVG, 1, d38),
                            FR(AGG(LH_AGG_SUM, 1, d38), 1, LH_FB_PRECEDING, 0, LH_FB_CURRENT_ROW, 0)};
        lh_sort_key k = K(0, 0, 0);
        srcop *s = src_new(&ctx, ts, 2);
        lh_batch *b = src_add(s);
        lh_op *w;
        int i;
        /* 10^38-1 three times then -(10^38-1) three times, then 1 and 2 */
        for (i = 0; i < 8; i++) {
            lh_vector_set_i64(b->cols[0], (uint32_t)i, i);
            lh_vector_set_i128(b->cols[1], (uint32_t)i, i < 3 ? big : i < 6 ? -big : i - 5);
        }
        b->n = 8;
        /* ROWS #0 PRECEDING: the offset column is the order key 0..7 (row i: frame [0, i]) */
        assert_int_equal(lh_op_window(&ctx, &s->base, NULL, 0, &k, 1, f, 3, &w, &e), LH_OK);
        assert_int_equal(collect(w, &r, &e), LH_EDATA);
        assert_string_equal(e.msg, "Decimal overflow");
        result_free(&r);
        lh_op_free(w);
        /* the same without the partial sums: only the total (3) is returned */
        s = src_new(&ctx, ts, 2);
        b = src_add(s);
        for (i = 0; i < 8; i++) {
            lh_vector_set_i64(b->cols[0], (uint32_t)i, i);
            lh_vector_set_i128(b->cols[1], (uint32_t)i, i < 3 ? big : i < 6 ? -big : i - 5);
        }
        b->n = 8;
        f[0] = FR(f[0], 0, LH_FB_UNBOUNDED_PRECEDING, 0, LH_FB_UNBOUNDED_FOLLOWING, 0);
        f[1] = FR(f[1], 0, LH_FB_UNBOUNDED_PRECEDING, 0, LH_FB_UNBOUNDED_FOLLOWING, 0);
        assert_int_equal(lh_op_window(&ctx, &s->base, NULL, 0, &k, 1, f, 2, &w, &e), LH_OK);
        assert_int_equal(collect(w, &r, &e), LH_OK);
        for (i = 0; i < 8; i++) {
            assert_true(cell(&r, (size_t)i, 2)->x == 3);
            assert_true(cell(&r, (size_t)i, 3)->x == 0); /* 3 / 8 = 0.375 -> 0 */
        }
        result_free(&r);
        lh_op_free(w);
    }
    { /* avg(decimal(5,2)) HALF_UP, also negative; big sums through the 192-bit path */
        lh_sqltype ts[2] = {T(LH_SQL_INTEGER), lh_sqltype_decimal(5, 2)};
        int64_t cells[8] = {1, 100, 1, 101, 2, -100, 2, -101}; /* 1.00, 1.01 -> 1.005 -> 1.01 */
        uint32_t part[1] = {0};
        lh_win_spec f = FR(AGG(LH_AGG_AVG, 1, lh_sqltype_decimal(5, 2)), 0, LH_FB_UNBOUNDED_PRECEDING, 0,
                           LH_FB_UNBOUNDED_FOLLOWING, 0);
        int64_t want[4] = {101, 101, -101, -101};
        assert_int_equal(run(&ctx, ts, 2, cells, NULL, 4, 4, 0, part, 1, NULL, 0, &f, 1, &r, &e), LH_OK);
        expect_i64(&r, 2, want, 4);
        result_free(&r);
    }
    {
        lh_sqltype ts[1] = {lh_sqltype_decimal(38, 0)};
        lh_sqltype d38 = lh_sqltype_decimal(38, 0);
        lh_i128 big = lh_dec_pow10(38) - 1; /* avg of 3 x (10^38-1) and 10^38-4: (4*10^38-7)/4 -> 10^38-2 (HALF_UP of .25 down) */
        srcop *s = src_new(&ctx, ts, 1);
        lh_batch *b = src_add(s);
        lh_win_spec f = FR(AGG(LH_AGG_AVG, 0, d38), 0, LH_FB_UNBOUNDED_PRECEDING, 0, LH_FB_UNBOUNDED_FOLLOWING, 0);
        lh_op *w;
        int i;
        for (i = 0; i < 4; i++)
            lh_vector_set_i128(b->cols[0], (uint32_t)i, i < 3 ? big : big - 3);
        b->n = 4;
        assert_int_equal(lh_op_window(&ctx, &s->base, NULL, 0, NULL, 0, &f, 1, &w, &e), LH_OK);
        assert_int_equal(collect(w, &r, &e), LH_OK);
        assert_true(cell(&r, 0, 1)->x == big - 1); /* (4*10^38 - 7) / 4 = 10^38 - 1.75 -> 10^38 - 2 */
        result_free(&r);
        lh_op_free(w);
        /* negative: the same magnitudes */
        s = src_new(&ctx, ts, 1);
        b = src_add(s);
        for (i = 0; i < 4; i++)
            lh_vector_set_i128(b->cols[0], (uint32_t)i, i < 3 ? -big : -(big - 3));
        b->n = 4;
        assert_int_equal(lh_op_window(&ctx, &s->base, NULL, 0, NULL, 0, &f, 1, &w, &e), LH_OK);
        assert_int_equal(collect(w, &r, &e), LH_OK);
        assert_true(cell(&r, 0, 1)->x == -(big - 1));
        result_free(&r);
        lh_op_free(w);
    }
    { /* double: Infinity leaves a sliding frame without a NaN; avg(real) is real */
        lh_sqltype ts[3] = {T(LH_SQL_BIGINT), T(LH_SQL_DOUBLE), T(LH_SQL_BIGINT)};
        int64_t cells[15] = {1, 0, 1, 2, 0, 1, 3, 0, 1, 4, 0, 1, 5, 0, 1};
        double d[15] = {0, INFINITY, 0, 0, 1.5, 0, 0, 2.5, 0, 0, -INFINITY, 0, 0, 4, 0};
        lh_sort_key k = K(0, 0, 0);
        lh_win_spec f[2] = {FR(AGG(LH_AGG_SUM, 1, T(LH_SQL_DOUBLE)), 1, LH_FB_PRECEDING, 2, LH_FB_CURRENT_ROW, 0),
                            FR(AGG(LH_AGG_AVG, 1, T(LH_SQL_DOUBLE)), 1, LH_FB_PRECEDING, 2, LH_FB_CURRENT_ROW, 0)};
        assert_int_equal(run(&ctx, ts, 3, cells, d, 5, 5, 0, NULL, 0, &k, 1, f, 2, &r, &e), LH_OK);
        assert_true(isinf(cell(&r, 0, 3)->d) && cell(&r, 0, 3)->d > 0);
        assert_true(isinf(cell(&r, 1, 3)->d));
        assert_true(cell(&r, 2, 3)->d == 4.0);
        assert_true(isinf(cell(&r, 3, 3)->d) && cell(&r, 3, 3)->d < 0);
        assert_true(isinf(cell(&r, 4, 3)->d) && cell(&r, 4, 3)->d < 0);
        assert_true(cell(&r, 2, 4)->d == 2.0);
        result_free(&r);
    }
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
}

/* min/max over varchar, date, timestamp with time zone; FILTER. */
static void test_min_max_types(void **state)
{
    lh_exec_ctx ctx;
    lh_sqltype ts[4] = {T(LH_SQL_VARCHAR), T(LH_SQL_DATE), lh_sqltype_timestamp_tz(3), T(LH_SQL_BOOLEAN)};
    int64_t cells[] = {5, 100, 5000, 1, 2, NUL, 2000, 0, NUL, 50, NUL, 1, -7, 300, 9000, 1, 3, 20, 1000, NUL};
    lh_win_spec f[6] = {AGG(LH_AGG_MIN, 0, T(LH_SQL_VARCHAR)), AGG(LH_AGG_MAX, 0, T(LH_SQL_VARCHAR)),
                        AGG(LH_AGG_MIN, 1, T(LH_SQL_DATE)),    AGG(LH_AGG_MAX, 2, lh_sqltype_timestamp_tz(3)),
                        AGG(LH_AGG_COUNT_STAR, NA, T(LH_SQL_BIGINT)), AGG(LH_AGG_MIN, 1, T(LH_SQL_DATE))};
    result r;
    lh_err e;
    int i;
    (void)state;
    f[4].agg.filter = 3;
    f[5].agg.filter = 3;
    for (i = 0; i < 6; i++)
        f[i] = FR(f[i], 1, LH_FB_UNBOUNDED_PRECEDING, 0, LH_FB_UNBOUNDED_FOLLOWING, 0);
    lh_exec_ctx_init(&ctx);
    assert_int_equal(run(&ctx, ts, 4, cells, NULL, 5, 2, 1, NULL, 0, NULL, 0, f, 6, &r, &e), LH_OK);
    for (i = 0; i < 5; i++) {
        /* "s7" < "string-number-..." bytewise: 's','7' < 's','t' */
        assert_string_equal(cell(&r, (size_t)i, 4)->s, "s7");
        assert_string_equal(cell(&r, (size_t)i, 5)->s, "string-number-000000000005");
        assert_int_equal(cell(&r, (size_t)i, 6)->i, 20);
        assert_int_equal(cell(&r, (size_t)i, 7)->i, 9000);
        assert_int_equal(cell(&r, (size_t)i, 8)->i, 3);
        assert_int_equal(cell(&r, (size_t)i, 9)->i, 50);
    }
    result_free(&r);
}

/* CONST and DICT input vectors, and strings that outlive the child's batches. */
static void test_const_dict_inputs(void **state)
{
    lh_exec_ctx ctx;
    lh_sqltype ts[3] = {T(LH_SQL_VARCHAR), T(LH_SQL_BIGINT), T(LH_SQL_BIGINT)};
    srcop *s;
    lh_op *w;
    lh_err e;
    result r;
    uint32_t part[1] = {0};
    lh_sort_key k = K(1, 1, 0);
    lh_win_spec f[2] = {W(LH_WIN_ROW_NUMBER, T(LH_SQL_BIGINT)), W1(LH_WIN_FIRST_VALUE, T(LH_SQL_VARCHAR), 0, NA, NA)};
    int bi;
    (void)state;
    lh_exec_ctx_init(&ctx);
    s = src_new(&ctx, ts, 3);
    for (bi = 0; bi < 3; bi++) {
        lh_batch *b = src_add(s);
        lh_vector *d;
        uint32_t i;
        /* col 0: a dictionary of two long strings (and a NULL entry); col 1: 0..9 + 10*bi; col 2: CONST 7 */
        assert_int_equal(lh_vector_set_dict(b->cols[0], 3, &d, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(d, 0, "partition-alpha-long", 20, &b->arena, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(d, 1, "partition-beta-long!", 20, &b->arena, &e), LH_OK);
        lh_vector_set_null(d, 2);
        for (i = 0; i < 10; i++) {
            b->cols[0]->dict_idx[i] = (uint16_t)(i % 3);
            lh_vector_set_i64(b->cols[1], i, i + 10 * bi);
        }
        lh_vector_set_const(b->cols[2], 0);
        lh_vector_set_i64(b->cols[2], 0, 7);
        b->n = 10;
        if (bi == 1) {
            uint16_t sel[4] = {1, 2, 5, 9};
            lh_batch_select(b, sel, 4);
        }
    }
    assert_int_equal(lh_op_window(&ctx, &s->base, part, 1, &k, 1, f, 2, &w, &e), LH_OK);
    assert_int_equal(collect(w, &r, &e), LH_OK);
    /* 24 rows: alpha (i%3==0), beta (1), NULL (2) partitions in that order */
    assert_int_equal(r.n, 24);
    {
        size_t i;
        int64_t prev = INT64_MAX;
        for (i = 0; i < r.n; i++) {
            const ocell *p = cell(&r, i, 0);
            assert_int_equal(cell(&r, i, 2)->i, 7);
            if (i == 0 || cell(&r, i, 3)->i == 1)
                prev = INT64_MAX;
            assert_true(cell(&r, i, 1)->i < prev); /* DESC within a partition */
            prev = cell(&r, i, 1)->i;
            if (i < 9) {
                assert_string_equal(p->s, "partition-alpha-long");
                assert_string_equal(cell(&r, i, 4)->s, "partition-alpha-long");
            } else if (i < 16) {
                assert_string_equal(p->s, "partition-beta-long!");
            } else {
                assert_true(p->null);
                assert_true(cell(&r, i, 4)->null);
            }
        }
        assert_int_equal(cell(&r, 0, 1)->i, 29);
        assert_int_equal(cell(&r, 9, 1)->i, 27);
    }
    result_free(&r);
    lh_op_free(w);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
}

/* ---- random data against a naive reference ---- */

#define RC_P 0  /* partition key (NULLs) */
#define RC_K 1  /* order key (ties, NULLs) */
#define RC_K2 2 /* second order key */
#define RC_X 3  /* value (NULLs) */
#define RC_ID 4 /* unique row id */
#define RC_O1 5 /* CONST 1 */
#define RC_O2 6 /* CONST 2 */
#define RC_O3 7 /* CONST 3 */
#define RC_OV 8 /* varying 0..3 */
#define RC_N 9
#define RC_NT 10 /* ntile buckets: 3 */

static uint64_t rng_state = 88172645463325252ULL;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

typedef struct nrow {
    int64_t v[RC_NT + 1];
} nrow;

static const nrow *g_rows;
static const lh_sort_key *g_ord;
static size_t g_nord;

static int ncmp_key(int64_t a, int64_t b, int desc, int nf)
{
    if (a == NUL || b == NUL)
        return a == b ? 0 : a == NUL ? (nf ? -1 : 1) : (nf ? 1 : -1);
    return desc ? (a < b) - (a > b) : (a > b) - (a < b);
}

static int ncmp_order(const nrow *a, const nrow *b)
{
    size_t k;
    for (k = 0; k < g_nord; k++) {
        int c = ncmp_key(a->v[g_ord[k].col], b->v[g_ord[k].col], g_ord[k].desc, g_ord[k].nulls_first);
        if (c)
            return c;
    }
    return 0;
}

static int ncmp_all(const nrow *a, const nrow *b)
{
    int c = ncmp_key(a->v[RC_P], b->v[RC_P], 0, 0);
    if (c)
        return c;
    c = ncmp_order(a, b);
    return c ? c : (a->v[RC_ID] > b->v[RC_ID]) - (a->v[RC_ID] < b->v[RC_ID]);
}

static int qs_cmp(const void *x, const void *y) { return ncmp_all(&g_rows[*(const size_t *)x], &g_rows[*(const size_t *)y]); }

/* Is row q inside the frame of row p (both positions in sorted s[] of one partition [ps, pe))? */
static int in_frame(const lh_win_spec *f, const nrow *s, size_t ps, size_t pe, size_t p, size_t q)
{
    int64_t ip = (int64_t)p, iq = (int64_t)q;
    int start_ok, end_ok;
    (void)pe;
    (void)ps;
    if (f->rows) {
        int64_t so = f->start_off < RC_N ? s[p].v[f->start_off] : 0, eo = f->end_off < RC_N ? s[p].v[f->end_off] : 0;
        start_ok = f->start == LH_FB_UNBOUNDED_PRECEDING ? 1
                   : f->start == LH_FB_PRECEDING         ? iq >= ip - so
                   : f->start == LH_FB_CURRENT_ROW       ? iq >= ip
                                                         : iq >= ip + so;
        end_ok = f->end == LH_FB_UNBOUNDED_FOLLOWING ? 1
                 : f->end == LH_FB_FOLLOWING         ? iq <= ip + eo
                 : f->end == LH_FB_CURRENT_ROW       ? iq <= ip
                                                     : iq <= ip - eo;
        return start_ok && end_ok;
    }
    /* RANGE on the one order key (or peers without one) */
    {
        int64_t kp = g_nord ? s[p].v[g_ord[0].col] : 0, kq = g_nord ? s[q].v[g_ord[0].col] : 0;
        int desc = g_nord ? g_ord[0].desc : 0, nf = g_nord ? g_ord[0].nulls_first : 0;
        int peer = ncmp_order(&s[p], &s[q]) == 0;
        int before = ncmp_order(&s[q], &s[p]) < 0; /* q sorts before p's peers */
        int after = ncmp_order(&s[q], &s[p]) > 0;
        /* start */
        if (f->start == LH_FB_UNBOUNDED_PRECEDING)
            start_ok = 1;
        else if (f->start == LH_FB_CURRENT_ROW || kp == NUL)
            start_ok = peer || after;
        else {
            int64_t off = s[p].v[f->start_off], bound = (f->start == LH_FB_PRECEDING) != desc ? kp - off : kp + off;
            if (kq == NUL)
                start_ok = !nf;
            else
                start_ok = desc ? kq <= bound : kq >= bound;
        }
        if (f->end == LH_FB_UNBOUNDED_FOLLOWING)
            end_ok = 1;
        else if (f->end == LH_FB_CURRENT_ROW || kp == NUL)
            end_ok = peer || before;
        else {
            int64_t off = s[p].v[f->end_off], bound = (f->end == LH_FB_FOLLOWING) != desc ? kp + off : kp - off;
            if (kq == NUL)
                end_ok = nf;
            else
                end_ok = desc ? kq >= bound : kq <= bound;
        }
        return start_ok && end_ok;
    }
}

/* The expected value of function f at sorted position p (NUL = NULL; *d for doubles). */
static int64_t naive(const lh_win_spec *f, const nrow *s, size_t ps, size_t pe, size_t p, double *d)
{
    size_t q, n = pe - ps;
    int64_t cnt = 0, cntx = 0, sum = 0, mn = INT64_MAX, mx = INT64_MIN, first = NUL, last = NUL, nth = NUL;
    int64_t firstnn = NUL, lastnn = NUL, seen = 0, nthnn = NUL;
    int any = 0;
    switch (f->kind) {
    case LH_WIN_ROW_NUMBER:
        return (int64_t)(p - ps) + 1;
    case LH_WIN_RANK:
    case LH_WIN_PERCENT_RANK:
    case LH_WIN_DENSE_RANK:
    case LH_WIN_CUME_DIST: {
        int64_t before = 0, groups = 0, upto = 0;
        for (q = ps; q < pe; q++) {
            if (ncmp_order(&s[q], &s[p]) < 0)
                before++;
            if (ncmp_order(&s[q], &s[p]) <= 0)
                upto++;
            if (q <= p && (q == ps || ncmp_order(&s[q - 1], &s[q]) != 0))
                groups++;
        }
        if (f->kind == LH_WIN_RANK)
            return before + 1;
        if (f->kind == LH_WIN_DENSE_RANK)
            return groups;
        *d = f->kind == LH_WIN_CUME_DIST ? (double)upto / (double)n : n == 1 ? 0 : (double)before / (double)(n - 1);
        return 0;
    }
    case LH_WIN_NTILE: { /* rows assigned one by one: first (n % b) buckets get one more */
        int64_t b = s[p].v[RC_NT], i = (int64_t)(p - ps), acc = 0, k;
        for (k = 0; k < b; k++) {
            int64_t size = (int64_t)n / b + (k < (int64_t)n % b);
            if (i < acc + size)
                return k + 1;
            acc += size;
        }
        return i + 1;
    }
    case LH_WIN_LAG:
    case LH_WIN_LEAD: {
        int64_t off = f->arg[1] == NA ? 1 : s[p].v[f->arg[1]], step = f->kind == LH_WIN_LAG ? -1 : 1, k = 0;
        int64_t i = (int64_t)p;
        if (!f->ignore_nulls || off == 0) {
            i += step * off;
        } else {
            for (i = (int64_t)p + step; i >= (int64_t)ps && i < (int64_t)pe; i += step)
                if (s[i].v[RC_X] != NUL && ++k == off)
                    break;
        }
        if (i >= (int64_t)ps && i < (int64_t)pe)
            return s[i].v[RC_X];
        return f->arg[2] == NA ? NUL : s[p].v[f->arg[2]];
    }
    default:
        break;
    }
    for (q = ps; q < pe; q++) {
        int64_t x = s[q].v[RC_X];
        if (!in_frame(f, s, ps, pe, p, q))
            continue;
        cnt++;
        if (!any)
            first = x;
        any = 1;
        last = x;
        if (++seen == 2)
            nth = x;
        if (x != NUL) {
            cntx++;
            sum += x;
            mn = x < mn ? x : mn;
            mx = x > mx ? x : mx;
            if (firstnn == NUL)
                firstnn = x;
            if (cntx == 2)
                nthnn = x;
            lastnn = x;
        }
    }
    switch (f->kind) {
    case LH_WIN_FIRST_VALUE:
        return f->ignore_nulls ? firstnn : first;
    case LH_WIN_LAST_VALUE:
        return f->ignore_nulls ? lastnn : last;
    case LH_WIN_NTH_VALUE:
        return f->ignore_nulls ? nthnn : nth;
    default:
        break;
    }
    switch (f->agg.kind) {
    case LH_AGG_COUNT_STAR:
        return cnt;
    case LH_AGG_COUNT:
        return cntx;
    case LH_AGG_SUM:
        return cntx ? sum : NUL;
    case LH_AGG_AVG:
        *d = cntx ? (double)sum / (double)cntx : 0;
        return cntx ? 0 : NUL;
    case LH_AGG_MIN:
        return cntx ? mn : NUL;
    default:
        return cntx ? mx : NUL;
    }
}

/* stride: check every stride-th row of a partition against the reference (and its first and last 20) */
static void random_round(size_t nrows, int nparts, int multi_key, int desc, int nf, size_t stride)
{
    lh_exec_ctx ctx;
    lh_sqltype ts[RC_NT + 1];
    nrow *rows = calloc(nrows, sizeof *rows);
    size_t *perm = calloc(nrows, sizeof *perm);
    nrow *sorted = calloc(nrows, sizeof *sorted);
    lh_win_spec fns[160];
    size_t nf_ = 0, i, fr;
    lh_sort_key ord[2];
    uint32_t part[1] = {RC_P};
    srcop *s;
    lh_op *w;
    lh_err e;
    result r;
    lh_sqltype bi = T(LH_SQL_BIGINT), db = T(LH_SQL_DOUBLE);
    /* frames: rows, start, start off, end, end off */
    static const struct {
        int rows;
        lh_frame_bound s;
        uint32_t so;
        lh_frame_bound e;
        uint32_t eo;
        int range_off; /* needs the single order key */
    } frames[] = {
        {0, LH_FB_UNBOUNDED_PRECEDING, 0, LH_FB_CURRENT_ROW, 0, 0},
        {1, LH_FB_PRECEDING, RC_O2, LH_FB_CURRENT_ROW, 0, 0},
        {1, LH_FB_PRECEDING, RC_O1, LH_FB_FOLLOWING, RC_O2, 0},
        {1, LH_FB_FOLLOWING, RC_O1, LH_FB_FOLLOWING, RC_O3, 0},
        {1, LH_FB_UNBOUNDED_PRECEDING, 0, LH_FB_UNBOUNDED_FOLLOWING, 0, 0},
        {1, LH_FB_PRECEDING, RC_O3, LH_FB_PRECEDING, RC_O1, 0},
        {1, LH_FB_PRECEDING, RC_OV, LH_FB_FOLLOWING, RC_OV, 0}, /* varies by row: recomputes */
        {0, LH_FB_CURRENT_ROW, 0, LH_FB_UNBOUNDED_FOLLOWING, 0, 0},
        {0, LH_FB_CURRENT_ROW, 0, LH_FB_CURRENT_ROW, 0, 0},
        {0, LH_FB_PRECEDING, RC_O2, LH_FB_FOLLOWING, RC_O1, 1},
        {0, LH_FB_FOLLOWING, RC_O1, LH_FB_FOLLOWING, RC_O3, 1},
        {0, LH_FB_UNBOUNDED_PRECEDING, 0, LH_FB_PRECEDING, RC_O2, 1},
        {0, LH_FB_PRECEDING, RC_OV, LH_FB_CURRENT_ROW, 0, 1},
        {0, LH_FB_PRECEDING, RC_O1, LH_FB_UNBOUNDED_FOLLOWING, 0, 1},
    };
    assert_non_null(rows);
    assert_non_null(perm);
    assert_non_null(sorted);
    for (i = 0; i <= RC_NT; i++)
        ts[i] = bi;
    ts[RC_P] = T(LH_SQL_INTEGER);
    ts[RC_X] = T(LH_SQL_INTEGER);
    ts[RC_NT] = T(LH_SQL_SMALLINT);
    ts[RC_N] = T(LH_SQL_INTEGER); /* lag's default: the value's type */
    for (i = 0; i < nrows; i++) {
        int64_t *v = rows[i].v;
        v[RC_P] = rnd() % 11 == 0 ? NUL : (int64_t)(rnd() % (uint64_t)nparts);
        v[RC_K] = rnd() % 9 == 0 ? NUL : (int64_t)(rnd() % 25) - 5;
        v[RC_K2] = rnd() % 7 == 0 ? NUL : (int64_t)(rnd() % 3);
        v[RC_X] = rnd() % 4 == 0 ? NUL : (int64_t)(rnd() % 2001) - 1000;
        v[RC_ID] = (int64_t)i;
        v[RC_O1] = 1;
        v[RC_O2] = 2;
        v[RC_O3] = 3;
        v[RC_OV] = (int64_t)(rnd() % 4);
        v[RC_N] = -1;
        v[RC_NT] = 3;
    }
    ord[0] = K(RC_K, desc, nf);
    ord[1] = K(RC_K2, !desc, !nf);
    g_rows = rows;
    g_ord = ord;
    g_nord = multi_key ? 2 : 1;
    /* functions */
    fns[nf_++] = W(LH_WIN_ROW_NUMBER, bi);
    fns[nf_++] = W(LH_WIN_RANK, bi);
    fns[nf_++] = W(LH_WIN_DENSE_RANK, bi);
    fns[nf_++] = W(LH_WIN_PERCENT_RANK, db);
    fns[nf_++] = W(LH_WIN_CUME_DIST, db);
    fns[nf_++] = W1(LH_WIN_NTILE, bi, RC_NT, NA, NA);
    fns[nf_++] = W1(LH_WIN_LAG, T(LH_SQL_INTEGER), RC_X, NA, NA);
    fns[nf_++] = W1(LH_WIN_LEAD, T(LH_SQL_INTEGER), RC_X, RC_O2, RC_N);
    fns[nf_] = W1(LH_WIN_LAG, T(LH_SQL_INTEGER), RC_X, RC_O2, RC_N);
    fns[nf_++].ignore_nulls = 1;
    fns[nf_] = W1(LH_WIN_LEAD, T(LH_SQL_INTEGER), RC_X, RC_OV, NA);
    fns[nf_++].ignore_nulls = 1;
    for (fr = 0; fr < sizeof frames / sizeof frames[0]; fr++) {
        lh_win_spec k[9] = {AGG(LH_AGG_COUNT_STAR, NA, bi),          AGG(LH_AGG_COUNT, RC_X, bi),
                            AGG(LH_AGG_SUM, RC_X, bi),               AGG(LH_AGG_AVG, RC_X, db),
                            AGG(LH_AGG_MIN, RC_X, T(LH_SQL_INTEGER)), AGG(LH_AGG_MAX, RC_X, T(LH_SQL_INTEGER)),
                            W1(LH_WIN_FIRST_VALUE, T(LH_SQL_INTEGER), RC_X, NA, NA),
                            W1(LH_WIN_LAST_VALUE, T(LH_SQL_INTEGER), RC_X, NA, NA),
                            W1(LH_WIN_NTH_VALUE, T(LH_SQL_INTEGER), RC_X, RC_O2, NA)};
        size_t j;
        if (frames[fr].range_off && multi_key)
            continue;
        for (j = 0; j < 9; j++) {
            fns[nf_] = FR(k[j], frames[fr].rows, frames[fr].s, frames[fr].so, frames[fr].e, frames[fr].eo);
            if (j >= 6 && (fr & 1))
                fns[nf_].ignore_nulls = 1;
            nf_++;
        }
    }
    assert_true(nf_ <= 160);
    /* source: batches of random sizes; some with a selection, CONST offsets, DICT partition keys */
    lh_exec_ctx_init(&ctx);
    s = src_new(&ctx, ts, RC_NT + 1);
    i = 0;
    while (i < nrows) {
        lh_batch *b = src_add(s);
        uint32_t take = 1 + (uint32_t)(rnd() % (rnd() % 3 == 0 ? 5 : LH_BATCH)), n = 0, c, k = 0;
        int sel = rnd() % 3 == 0, dict = rnd() % 2 == 0;
        uint16_t selv[LH_BATCH];
        lh_vector *dv = NULL;
        if (take > nrows - i)
            take = (uint32_t)(nrows - i);
        if (sel && take > LH_BATCH / 2)
            take = LH_BATCH / 2;
        if (dict) {
            assert_int_equal(lh_vector_set_dict(b->cols[RC_P], (uint32_t)nparts + 1, &dv, &e), LH_OK);
            for (c = 0; c < (uint32_t)nparts; c++)
                lh_vector_set_i64(dv, c, c);
            lh_vector_set_null(dv, (uint32_t)nparts);
        }
        while (k < take) {
            const int64_t *v = rows[i].v;
            if (sel && rnd() % 2) { /* a junk row */
                for (c = 0; c <= RC_NT; c++)
                    if (c != RC_P || !dict)
                        lh_vector_set_i64(b->cols[c], n, 999);
                n++;
            }
            for (c = 0; c <= RC_NT; c++) {
                if (c == RC_O1 || c == RC_O2 || c == RC_O3 || c == RC_N || c == RC_NT)
                    continue;
                if (c == RC_P && dict) {
                    b->cols[c]->dict_idx[n] = (uint16_t)(v[c] == NUL ? (int64_t)nparts : v[c]);
                    continue;
                }
                set_cell(b, c, n, v[c], NULL);
            }
            selv[k++] = (uint16_t)n++;
            i++;
        }
        lh_vector_set_const(b->cols[RC_O1], 0);
        lh_vector_set_i64(b->cols[RC_O1], 0, 1);
        lh_vector_set_const(b->cols[RC_O2], 0);
        lh_vector_set_i64(b->cols[RC_O2], 0, 2);
        lh_vector_set_const(b->cols[RC_O3], 0);
        lh_vector_set_i64(b->cols[RC_O3], 0, 3);
        lh_vector_set_const(b->cols[RC_N], 0);
        lh_vector_set_i64(b->cols[RC_N], 0, -1);
        lh_vector_set_const(b->cols[RC_NT], 0);
        lh_vector_set_i64(b->cols[RC_NT], 0, 3);
        b->n = n;
        if (sel)
            lh_batch_select(b, selv, k);
    }
    if (lh_op_window(&ctx, &s->base, part, 1, ord, g_nord, fns, nf_, &w, &e) != LH_OK)
        fail_msg("%s", e.msg);
    if (collect(w, &r, &e) != LH_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(r.n, nrows);
    /* the expected order: stable sort by (partition, order keys) */
    for (i = 0; i < nrows; i++)
        perm[i] = i;
    qsort(perm, nrows, sizeof *perm, qs_cmp);
    for (i = 0; i < nrows; i++)
        sorted[i] = rows[perm[i]];
    {
        size_t ps = 0;
        while (ps < nrows) {
            size_t pe = ps + 1, p, f;
            while (pe < nrows && ncmp_key(sorted[pe].v[RC_P], sorted[ps].v[RC_P], 0, 0) == 0)
                pe++;
            for (p = ps; p < pe; p++) {
                if (cell(&r, p, RC_ID)->i != sorted[p].v[RC_ID])
                    fail_msg("row %zu: id %lld, want %lld", p, (long long)cell(&r, p, RC_ID)->i,
                             (long long)sorted[p].v[RC_ID]);
                if ((p - ps) % stride && p - ps >= 20 && pe - p > 20)
                    continue;
                for (f = 0; f < nf_; f++) {
                    const ocell *o = cell(&r, p, (uint32_t)(RC_NT + 1 + f));
                    double d = 0;
                    int64_t want = naive(&fns[f], sorted, ps, pe, p, &d);
                    int isd = fns[f].ret.id == LH_SQL_DOUBLE;
                    if (want == NUL) {
                        if (!o->null)
                            fail_msg("row %zu fn %zu (%d/%d): want NULL, got %lld / %g", p, f, fns[f].kind,
                                     fns[f].agg.kind, (long long)o->i, o->d);
                    } else if (o->null) {
                        fail_msg("row %zu fn %zu (%d/%d): want %lld / %g, got NULL", p, f, fns[f].kind, fns[f].agg.kind,
                                 (long long)want, d);
                    } else if (isd ? fabs(o->d - d) > 1e-9 * (1 + fabs(d)) : o->i != want) {
                        fail_msg("row %zu fn %zu (%d/%d, frame rows=%d %d..%d): want %lld / %.17g, got %lld / %.17g", p,
                                 f, fns[f].kind, fns[f].agg.kind, fns[f].rows, fns[f].start, fns[f].end,
                                 (long long)want, d, (long long)o->i, o->d);
                    }
                }
            }
            ps = pe;
        }
    }
    result_free(&r);
    lh_op_free(w);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
    free(rows);
    free(perm);
    free(sorted);
}

static void test_random_vs_naive(void **state)
{
    int i;
    (void)state;
    for (i = 0; i < 8; i++)
        random_round(i < 4 ? 700 : 5000, i < 2 ? 1 : i < 6 ? 40 : 1000, i == 3 || i == 7, i & 1, (i >> 1) & 1, 1);
    random_round(3 * LH_BATCH + 17, 3, 0, 0, 0, 29); /* partitions larger than a batch */
}

/* ---- errors, EXPLAIN, memory, cancellation, faults ---- */

static void test_construction_errors(void **state)
{
    lh_exec_ctx ctx;
    lh_sqltype ts[2] = {T(LH_SQL_BIGINT), T(LH_SQL_DOUBLE)};
    lh_sort_key ord[2] = {K(0, 0, 0), K(1, 0, 0)};
    lh_op *w = NULL;
    lh_err e;
    lh_win_spec f;
    (void)state;
    lh_exec_ctx_init(&ctx);
    f = AGG(LH_AGG_STDDEV_SAMP, 1, T(LH_SQL_DOUBLE));
    assert_int_equal(lh_op_window(&ctx, src_table(&ctx, ts, 2, NULL, NULL, 0, 1, 0), NULL, 0, ord, 1, &f, 1, &w, &e),
                     LH_EUNSUPPORTED);
    assert_string_equal(e.msg, "stddev_samp() is not supported as a window function yet");
    assert_null(w);
    f = AGG(LH_AGG_SUM, 1, T(LH_SQL_DOUBLE));
    f.agg.distinct = 1;
    assert_int_equal(lh_op_window(&ctx, src_table(&ctx, ts, 2, NULL, NULL, 0, 1, 0), NULL, 0, ord, 1, &f, 1, &w, &e),
                     LH_EUNSUPPORTED);
    assert_string_equal(e.msg, "sum(DISTINCT ...) is not supported as a window function yet");
    f = FR(AGG(LH_AGG_SUM, 1, T(LH_SQL_DOUBLE)), 0, LH_FB_PRECEDING, 0, LH_FB_CURRENT_ROW, 0);
    assert_int_equal(lh_op_window(&ctx, src_table(&ctx, ts, 2, NULL, NULL, 0, 1, 0), NULL, 0, ord, 2, &f, 1, &w, &e),
                     LH_EINVAL);
    assert_string_equal(e.msg, "Window frame of type RANGE PRECEDING or FOLLOWING requires single sort item in "
                               "ORDER BY (actual: 2)");
    f = FR(AGG(LH_AGG_SUM, 1, T(LH_SQL_DOUBLE)), 1, LH_FB_FOLLOWING, 0, LH_FB_CURRENT_ROW, 0);
    assert_int_equal(lh_op_window(&ctx, src_table(&ctx, ts, 2, NULL, NULL, 0, 1, 0), NULL, 0, ord, 1, &f, 1, &w, &e),
                     LH_EINVAL);
    assert_string_equal(e.msg, "Window frame starting from FOLLOWING cannot end with CURRENT ROW");
    f = FR(AGG(LH_AGG_SUM, 1, T(LH_SQL_DOUBLE)), 1, LH_FB_UNBOUNDED_FOLLOWING, 0, LH_FB_CURRENT_ROW, 0);
    assert_int_equal(lh_op_window(&ctx, src_table(&ctx, ts, 2, NULL, NULL, 0, 1, 0), NULL, 0, ord, 1, &f, 1, &w, &e),
                     LH_EINVAL);
    assert_string_equal(e.msg, "Window frame start cannot be UNBOUNDED FOLLOWING");
    f = AGG(LH_AGG_SUM, 1, T(LH_SQL_BIGINT)); /* the analyzer types sum(double) as double */
    assert_int_equal(lh_op_window(&ctx, src_table(&ctx, ts, 2, NULL, NULL, 0, 1, 0), NULL, 0, ord, 1, &f, 1, &w, &e),
                     LH_EINTERNAL);
    f = W1(LH_WIN_LAG, T(LH_SQL_BIGINT), 5, NA, NA);
    assert_int_equal(lh_op_window(&ctx, src_table(&ctx, ts, 2, NULL, NULL, 0, 1, 0), NULL, 0, ord, 1, &f, 1, &w, &e),
                     LH_EINTERNAL);
    {
        int64_t cells[2] = {1, 0};
        result r;
        lh_win_spec nt = W1(LH_WIN_NTILE, T(LH_SQL_BIGINT), 0, NA, NA);
        assert_int_equal(run(&ctx, ts, 2, cells, NULL, 1, 1, 0, NULL, 0, ord, 1, &nt, 1, &r, &e), LH_OK);
        result_free(&r);
        cells[0] = 0;
        assert_int_equal(run(&ctx, ts, 2, cells, NULL, 1, 1, 0, NULL, 0, ord, 1, &nt, 1, &r, &e), LH_EDATA);
        assert_string_equal(e.msg, "Buckets must be greater than 0");
        result_free(&r);
    }
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
}

static void test_explain_empty(void **state)
{
    lh_exec_ctx ctx;
    lh_sqltype ts[4] = {T(LH_SQL_BIGINT), T(LH_SQL_BIGINT), T(LH_SQL_BIGINT), T(LH_SQL_BIGINT)};
    uint32_t part[1] = {0};
    lh_sort_key ord[2] = {K(1, 1, 0), K(2, 0, 1)};
    lh_win_spec f[4] = {W(LH_WIN_ROW_NUMBER, T(LH_SQL_BIGINT)),
                        FR(AGG(LH_AGG_SUM, 2, T(LH_SQL_BIGINT)), 1, LH_FB_PRECEDING, 3, LH_FB_CURRENT_ROW, 0),
                        FR(AGG(LH_AGG_COUNT_STAR, NA, T(LH_SQL_BIGINT)), 1, LH_FB_CURRENT_ROW, 0,
                           LH_FB_UNBOUNDED_FOLLOWING, 0),
                        W1(LH_WIN_LAG, T(LH_SQL_BIGINT), 2, 3, NA)};
    lh_op *w;
    lh_buf b;
    lh_err e;
    lh_batch *out;
    (void)state;
    f[3].ignore_nulls = 1;
    lh_exec_ctx_init(&ctx);
    assert_int_equal(lh_op_window(&ctx, src_table(&ctx, ts, 4, NULL, NULL, 0, 1, 0), part, 1, ord, 2, f, 4, &w, &e),
                     LH_OK);
    lh_buf_init(&b, 0);
    assert_int_equal(lh_op_explain(w, 0, &b, &e), LH_OK);
    assert_string_equal(lh_buf_cstr(&b),
                        "Window [partition: #0; order: #1 DESC, #2 NULLS FIRST; row_number(), sum(#2) ROWS #3 "
                        "PRECEDING, count(*) ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING, lag(#2, #3) IGNORE "
                        "NULLS]\n  -> TestSource\n");
    lh_buf_free(&b);
    assert_int_equal(w->ncols, 8);
    /* no input: no output */
    assert_int_equal(lh_op_next(w, &out, &e), LH_OK);
    assert_null(out);
    assert_int_equal(lh_op_next(w, &out, &e), LH_OK);
    assert_null(out);
    lh_op_free(w);
}

static void big_table(int64_t **cells, size_t n)
{
    size_t i;
    *cells = malloc(n * 3 * sizeof **cells);
    assert_non_null(*cells);
    for (i = 0; i < n; i++) {
        (*cells)[i * 3] = (int64_t)(i % 7);
        (*cells)[i * 3 + 1] = (int64_t)(rnd() % 1000);
        (*cells)[i * 3 + 2] = (int64_t)i; /* varchar: long strings */
    }
}

static void test_memory_limit_and_cancel(void **state)
{
    lh_exec_ctx ctx;
    lh_sqltype ts[3] = {T(LH_SQL_BIGINT), T(LH_SQL_BIGINT), T(LH_SQL_VARCHAR)};
    uint32_t part[1] = {0};
    lh_sort_key ord[1] = {K(1, 0, 0)};
    lh_win_spec f = FR(AGG(LH_AGG_MAX, 2, T(LH_SQL_VARCHAR)), 1, LH_FB_UNBOUNDED_PRECEDING, 0,
                       LH_FB_UNBOUNDED_FOLLOWING, 0);
    int64_t *cells;
    result r;
    lh_err e;
    atomic_int stop;
    (void)state;
    big_table(&cells, 20000);
    lh_exec_ctx_init(&ctx);
    ctx.mem_limit = 256 << 10;
    assert_int_equal(run(&ctx, ts, 3, cells, NULL, 20000, LH_BATCH, 0, part, 1, ord, 1, &f, 1, &r, &e), LH_ELIMIT);
    assert_string_equal(e.msg, "Window: memory limit of 0.2 MiB exceeded (raise it with --memory-limit, or narrow "
                               "the query)");
    result_free(&r);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
    /* with room it runs, and gives the memory back */
    ctx.mem_limit = 64 << 20;
    assert_int_equal(run(&ctx, ts, 3, cells, NULL, 20000, LH_BATCH, 0, part, 1, ord, 1, &f, 1, &r, &e), LH_OK);
    assert_int_equal(r.n, 20000);
    assert_string_equal(cell(&r, 0, 3)->s, "string-number-000000019999");
    result_free(&r);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
    /* cancelled */
    atomic_init(&stop, 1);
    ctx.interrupt = &stop;
    assert_int_equal(run(&ctx, ts, 3, cells, NULL, 20000, LH_BATCH, 0, part, 1, ord, 1, &f, 1, &r, &e), LH_ECANCELLED);
    assert_string_equal(e.msg, "cancelled");
    result_free(&r);
    free(cells);
}

/* Every allocation of building and running a window fails in turn: a clean
 * LH_ENOMEM each time, nothing leaks (ASan), the memory is given back. */
static void test_alloc_faults(void **state)
{
    lh_sqltype ts[3] = {T(LH_SQL_BIGINT), T(LH_SQL_BIGINT), T(LH_SQL_VARCHAR)};
    uint32_t part[1] = {0};
    lh_sort_key ord[1] = {K(1, 1, 0)};
    lh_win_spec f[4] = {W(LH_WIN_RANK, T(LH_SQL_BIGINT)), AGG(LH_AGG_MIN, 2, T(LH_SQL_VARCHAR)),
                        W1(LH_WIN_LAG, T(LH_SQL_VARCHAR), 2, NA, NA),
                        FR(AGG(LH_AGG_COUNT, 2, T(LH_SQL_BIGINT)), 0, LH_FB_PRECEDING, 1, LH_FB_FOLLOWING, 1)};
    int64_t *cells;
    long n;
    int ok = 0;
    (void)state;
    f[2].ignore_nulls = 1;
    big_table(&cells, 3000);
    for (n = 1; n < 400 && !ok; n++) {
        lh_exec_ctx ctx;
        lh_op *src, *w = NULL;
        lh_err e;
        lh_rc rc;
        result r;
        memset(&r, 0, sizeof r);
        lh_exec_ctx_init(&ctx);
        src = src_table(&ctx, ts, 3, cells, NULL, 3000, 1000, 1);
        lh_fault_alloc_set(n);
        rc = lh_op_window(&ctx, src, part, 1, ord, 1, f, 4, &w, &e);
        if (!rc)
            rc = collect(w, &r, &e); /* collect's own realloc runs with faults off below */
        lh_fault_alloc_set(0);
        if (rc) {
            assert_int_equal(rc, LH_ENOMEM);
            assert_true(strstr(e.msg, "out of memory") != NULL);
        } else {
            assert_int_equal(r.n, 3000);
            ok = 1;
        }
        result_free(&r);
        lh_op_free(w);
        assert_int_equal(atomic_load(&ctx.mem_used), 0);
    }
    assert_true(ok);
    free(cells);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranking),
        cmocka_unit_test(test_null_keys),
        cmocka_unit_test(test_lag_lead),
        cmocka_unit_test(test_value_functions),
        cmocka_unit_test(test_agg_frames),
        cmocka_unit_test(test_range_trino_examples),
        cmocka_unit_test(test_range_types),
        cmocka_unit_test(test_sum_avg_exact),
        cmocka_unit_test(test_min_max_types),
        cmocka_unit_test(test_const_dict_inputs),
        cmocka_unit_test(test_random_vs_naive),
        cmocka_unit_test(test_construction_errors),
        cmocka_unit_test(test_explain_empty),
        cmocka_unit_test(test_memory_limit_and_cancel),
        cmocka_unit_test(test_alloc_faults),
    };
    if (getenv("LH_TEST_FILTER")) /* run one test: LH_TEST_FILTER=test_alloc_faults */
        cmocka_set_test_filter(getenv("LH_TEST_FILTER"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
