/* Unit tests: the Filter, Project and Values operators (exec/op_filter.c,
 * op_project.c, op_values.c) in chains over a small test-only source. */
#include "testutil.h"

#include "exec/operator.h"

static lh_sqltype T(lh_sqltype_id id) { return lh_sqltype_of(id); }
#define VC lh_sqltype_varchar(LH_SQL_UNBOUNDED)

/* ---- a test source: nb batches of `rows` rows; #0 bigint = row number,
 * #1 varchar "value-<n>-padding" (NULL when n % 5 == 4) ---- */
typedef struct src_op {
    lh_op base;
    lh_batch *b;
    uint32_t rows, nb, done_b;
    int64_t next;
    int fail_at; /* batch index that fails with LH_EIO (-1: never) */
} src_op;

static lh_rc src_next(lh_op *op, lh_batch **out, lh_err *err)
{
    src_op *s = (src_op *)op;
    uint32_t i;
    lh_rc rc;
    if (s->done_b == s->nb) {
        *out = NULL;
        return LH_OK;
    }
    if ((int)s->done_b == s->fail_at)
        return lh_errf(err, LH_EIO, "source failed at batch %u", s->done_b);
    lh_batch_reset(s->b);
    for (i = 0; i < s->rows; i++, s->next++) {
        char buf[64];
        int n = snprintf(buf, sizeof buf, "value-%lld-padding", (long long)s->next);
        lh_vector_set_i64(s->b->cols[0], i, s->next);
        if (s->next % 5 == 4)
            lh_vector_set_null(s->b->cols[1], i);
        else if ((rc = lh_vector_set_str(s->b->cols[1], i, buf, (size_t)n, &s->b->arena, err)))
            return rc;
    }
    s->b->n = s->rows;
    s->done_b++;
    *out = s->b;
    return LH_OK;
}

static void src_free(lh_op *op) { lh_batch_free(((src_op *)op)->b); }
static lh_rc src_explain(const lh_op *op, lh_buf *out, lh_err *err)
{
    return lh_buf_printf(out, err, "%u batches", ((const src_op *)op)->nb);
}
static const lh_op_vt SRC_VT = {"TestSource", src_next, src_free, src_explain, NULL};

static lh_rc mksrc(lh_exec_ctx *ctx, uint32_t nb, uint32_t rows, lh_op **out, lh_err *e)
{
    lh_sqltype ts[2] = {T(LH_SQL_BIGINT), VC};
    lh_op *op;
    lh_rc rc = lh_op_alloc(sizeof(src_op), &SRC_VT, ctx, ts, 2, &op, e);
    if (rc)
        return rc;
    ((src_op *)op)->rows = rows;
    ((src_op *)op)->nb = nb;
    ((src_op *)op)->fail_at = -1;
    if ((rc = lh_batch_create(ts, 2, 0, &((src_op *)op)->b, e))) {
        lh_op_free(op);
        return rc;
    }
    *out = op;
    return LH_OK;
}

static lh_xexpr *cbig(int64_t v, lh_err *e)
{
    lh_vector *t = NULL;
    lh_xexpr *x = NULL;
    if (lh_vector_create(T(LH_SQL_BIGINT), 1, &t, e))
        return NULL;
    lh_vector_set_i64(t, 0, v);
    x = lh_x_const(t, e);
    lh_vector_free(t);
    return x;
}

static lh_xexpr *cstr(const char *s, lh_err *e)
{
    lh_vector *t = NULL;
    lh_xexpr *x = NULL;
    if (lh_vector_create(VC, 1, &t, e))
        return NULL;
    if (!lh_vector_set_str(t, 0, s, strlen(s), NULL, e))
        x = lh_x_const(t, e);
    lh_vector_free(t);
    return x;
}

/* #0 % m = r */
static lh_xexpr *mod_eq(int64_t m, int64_t r, lh_err *e)
{
    return lh_x_cmp(LH_CMP_EQ,
                    lh_x_arith(LH_OP_MOD, lh_x_col(0, T(LH_SQL_BIGINT), e), cbig(m, e), T(LH_SQL_BIGINT), e),
                    cbig(r, e), e);
}

static void test_filter(void **state)
{
    lh_exec_ctx ctx;
    lh_op *src, *f;
    lh_batch *b;
    lh_err e;
    int64_t seen = 0, nbatches = 0;
    (void)state;
    lh_exec_ctx_init(&ctx);
    /* 4 batches of 100 rows (0..399); keep #0 % 150 = 7: rows 7, 157, 307 —
     * one in batches 0, 1 and 3, none in batch 2, which is skipped */
    assert_int_equal(mksrc(&ctx, 4, 100, &src, &e), LH_OK);
    assert_int_equal(lh_op_filter(&ctx, src, mod_eq(150, 7, &e), &f, &e), LH_OK);
    assert_int_equal(f->ncols, 2);
    assert_int_equal(lh_op_stream_child(f), 0); /* rows stream through a filter */
    assert_int_equal(lh_op_stream_child(src), -1);
    assert_int_equal(lh_op_stream_child(NULL), -1);
    for (;;) {
        lh_rows r;
        assert_int_equal(lh_op_next(f, &b, &e), LH_OK);
        if (!b)
            break;
        r = lh_batch_rows(b);
        assert_non_null(b->sel);
        assert_int_equal(r.n, 1);
        assert_int_equal(lh_vector_get_i64(b->cols[0], r.sel[0]), 7 + 150 * seen);
        seen++;
        nbatches++;
    }
    assert_int_equal(seen, 3);
    assert_int_equal(nbatches, 3);
    assert_int_equal(lh_op_next(f, &b, &e), LH_OK); /* the end stays the end */
    assert_null(b);
    assert_int_equal(f->rows_out, 3);
    {
        lh_buf out;
        lh_buf_init(&out, 0);
        assert_int_equal(lh_op_explain(f, 0, &out, &e), LH_OK);
        assert_string_equal(lh_buf_cstr(&out),
                            "Filter [((#0 % BIGINT '150') = BIGINT '7')]\n  -> TestSource [4 batches]\n");
        lh_buf_free(&out);
    }
    lh_op_free(f);

    /* a NULL predicate row is dropped like FALSE: #1 LIKE 'value-%' keeps 8 of 10 (#1 is NULL at 4 and 9) */
    assert_int_equal(mksrc(&ctx, 1, 10, &src, &e), LH_OK);
    assert_int_equal(lh_op_filter(&ctx, src, lh_x_like(lh_x_col(1, VC, &e), cstr("value-%", &e), NULL, 0, &e), &f, &e),
                     LH_OK);
    assert_int_equal(lh_op_next(f, &b, &e), LH_OK);
    assert_int_equal(lh_batch_rows(b).n, 8);
    lh_op_free(f);

    /* errors: a non-boolean predicate, a bad column; the child is freed */
    assert_int_equal(mksrc(&ctx, 1, 10, &src, &e), LH_OK);
    assert_int_equal(lh_op_filter(&ctx, src, cbig(1, &e), &f, &e), LH_EINTERNAL);
    assert_null(f);
    assert_int_equal(mksrc(&ctx, 1, 10, &src, &e), LH_OK);
    assert_int_equal(lh_op_filter(&ctx, src, lh_x_col(5, T(LH_SQL_BOOLEAN), &e), &f, &e), LH_EINTERNAL);
    /* a failing predicate fails the pull */
    assert_int_equal(mksrc(&ctx, 1, 10, &src, &e), LH_OK);
    assert_int_equal(lh_op_filter(&ctx, src, mod_eq(0, 1, &e), &f, &e), LH_OK);
    assert_int_equal(lh_op_next(f, &b, &e), LH_EDATA);
    assert_string_equal(e.msg, "Division by zero");
    lh_op_free(f);
}

static void test_project(void **state)
{
    lh_exec_ctx ctx;
    lh_op *src, *f, *p;
    lh_batch *b;
    lh_err e;
    lh_xexpr *ex[4];
    int64_t total = 0;
    (void)state;
    lh_exec_ctx_init(&ctx);
    /* Project(#0 * 2, #1, 'k', CAST(#0 AS varchar)) over Filter(#0 % 2 = 1) */
    assert_int_equal(mksrc(&ctx, 3, 1000, &src, &e), LH_OK);
    assert_int_equal(lh_op_filter(&ctx, src, mod_eq(2, 1, &e), &f, &e), LH_OK);
    ex[0] = lh_x_arith(LH_OP_MUL, lh_x_col(0, T(LH_SQL_BIGINT), &e), cbig(2, &e), T(LH_SQL_BIGINT), &e);
    ex[1] = lh_x_col(1, VC, &e);
    ex[2] = cstr("k", &e);
    ex[3] = lh_x_cast(lh_x_col(0, T(LH_SQL_BIGINT), &e), VC, 0, &e);
    assert_int_equal(lh_op_project(&ctx, f, ex, 4, &p, &e), LH_OK);
    assert_int_equal(lh_op_stream_child(p), 0); /* and through a projection */
    assert_int_equal(p->ncols, 4);
    assert_int_equal(p->types[3].id, LH_SQL_VARCHAR);
    for (;;) {
        lh_rows r;
        uint32_t k;
        assert_int_equal(lh_op_next(p, &b, &e), LH_OK);
        if (!b)
            break;
        r = lh_batch_rows(b);
        assert_non_null(b->sel); /* the child's selection is kept */
        assert_int_equal(r.n, 500);
        assert_int_equal(b->cols[2]->kind, LH_VEC_CONST);
        for (k = 0; k < r.n; k++) {
            uint32_t i = r.sel[k];
            int64_t x = lh_vector_get_i64(b->cols[0], i) / 2;
            char want[64];
            lh_str s;
            assert_int_equal(x % 2, 1);
            s = lh_vector_get_str(b->cols[3], i);
            snprintf(want, sizeof want, "%lld", (long long)x);
            assert_int_equal(lh_str_len(&s), strlen(want));
            assert_memory_equal(lh_str_ptr(&s), want, strlen(want));
            if (x % 5 == 4) {
                assert_false(lh_vector_get_valid(b->cols[1], i));
            } else {
                snprintf(want, sizeof want, "value-%lld-padding", (long long)x);
                s = lh_vector_get_str(b->cols[1], i);
                assert_memory_equal(lh_str_ptr(&s), want, strlen(want));
            }
            s = lh_vector_get_str(b->cols[2], i);
            assert_memory_equal(lh_str_ptr(&s), "k", 1);
            total++;
        }
    }
    assert_int_equal(total, 1500);
    {
        lh_buf out;
        lh_buf_init(&out, 0);
        ctx.analyze = 0;
        assert_int_equal(lh_op_explain(p, 0, &out, &e), LH_OK);
        assert_string_equal(lh_buf_cstr(&out), "Project [(#0 * BIGINT '2'), #1, 'k', CAST(#0 AS varchar)]\n"
                                               "  -> Filter [((#0 % BIGINT '2') = BIGINT '1')]\n"
                                               "    -> TestSource [3 batches]\n");
        lh_buf_free(&out);
    }
    lh_op_free(p);

    /* zero columns: rows only (count(*)) */
    assert_int_equal(mksrc(&ctx, 1, 7, &src, &e), LH_OK);
    assert_int_equal(lh_op_project(&ctx, src, NULL, 0, &p, &e), LH_OK);
    assert_int_equal(lh_op_next(p, &b, &e), LH_OK);
    assert_int_equal(b->ncols, 0);
    assert_int_equal(b->n, 7);
    lh_op_free(p);

    /* a bad expression: everything freed, EINTERNAL */
    assert_int_equal(mksrc(&ctx, 1, 7, &src, &e), LH_OK);
    ex[0] = lh_x_col(0, T(LH_SQL_BIGINT), &e);
    ex[1] = lh_x_col(9, T(LH_SQL_BIGINT), &e);
    assert_int_equal(lh_op_project(&ctx, src, ex, 2, &p, &e), LH_EINTERNAL);
    assert_null(p);
    /* a child's error and cancellation pass up */
    assert_int_equal(mksrc(&ctx, 3, 7, &src, &e), LH_OK);
    ((src_op *)src)->fail_at = 1;
    ex[0] = lh_x_col(0, T(LH_SQL_BIGINT), &e);
    assert_int_equal(lh_op_project(&ctx, src, ex, 1, &p, &e), LH_OK);
    assert_int_equal(lh_op_next(p, &b, &e), LH_OK);
    assert_int_equal(lh_op_next(p, &b, &e), LH_EIO);
    assert_string_equal(e.msg, "source failed at batch 1");
    lh_op_free(p);
    {
        atomic_int stop;
        atomic_init(&stop, 1);
        ctx.interrupt = &stop;
        assert_int_equal(mksrc(&ctx, 3, 7, &src, &e), LH_OK);
        ex[0] = lh_x_col(0, T(LH_SQL_BIGINT), &e);
        assert_int_equal(lh_op_project(&ctx, src, ex, 1, &p, &e), LH_OK);
        assert_int_equal(lh_op_next(p, &b, &e), LH_ECANCELLED);
        lh_op_free(p);
        ctx.interrupt = NULL;
    }
}

static void test_values(void **state)
{
    lh_exec_ctx ctx;
    lh_op *v;
    lh_batch *b;
    lh_err e;
    lh_sqltype ts[2] = {T(LH_SQL_BIGINT), VC};
    lh_xexpr **cells;
    size_t r, nrows = 5000, got = 0, nb = 0;
    (void)state;
    lh_exec_ctx_init(&ctx);
    /* SELECT without FROM: one row, no columns */
    assert_int_equal(lh_op_values(&ctx, NULL, 0, NULL, 1, &v, &e), LH_OK);
    assert_int_equal(lh_op_next(v, &b, &e), LH_OK);
    assert_non_null(b);
    assert_int_equal(b->n, 1);
    assert_int_equal(b->ncols, 0);
    assert_int_equal(lh_op_next(v, &b, &e), LH_OK);
    assert_null(b);
    lh_op_free(v);
    /* no rows */
    assert_int_equal(lh_op_values(&ctx, ts, 2, NULL, 0, &v, &e), LH_OK);
    assert_int_equal(lh_op_next(v, &b, &e), LH_OK);
    assert_null(b);
    lh_op_free(v);

    /* 5000 rows: (r + 1, 'row-r-with-long-text' or NULL) in batches 2048, 2048, 904 */
    cells = calloc(nrows * 2, sizeof *cells);
    assert_non_null(cells);
    for (r = 0; r < nrows; r++) {
        char buf[64];
        snprintf(buf, sizeof buf, "row-%zu-with-long-text", r);
        cells[2 * r] = lh_x_arith(LH_OP_ADD, cbig((int64_t)r, &e), cbig(1, &e), T(LH_SQL_BIGINT), &e);
        cells[2 * r + 1] = r % 7 == 0 ? lh_x_null(VC, &e) : cstr(buf, &e);
    }
    assert_int_equal(lh_op_values(&ctx, ts, 2, cells, nrows, &v, &e), LH_OK);
    while (1) {
        uint32_t i;
        assert_int_equal(lh_op_next(v, &b, &e), LH_OK);
        if (!b)
            break;
        assert_int_equal(b->n, nb < 2 ? 2048 : 904);
        for (i = 0; i < b->n; i++, got++) {
            assert_int_equal(lh_vector_get_i64(b->cols[0], i), (int64_t)got + 1);
            if (got % 7 == 0) {
                assert_false(lh_vector_get_valid(b->cols[1], i));
            } else {
                char want[64];
                lh_str s = lh_vector_get_str(b->cols[1], i);
                snprintf(want, sizeof want, "row-%zu-with-long-text", got);
                assert_int_equal(lh_str_len(&s), strlen(want));
                assert_memory_equal(lh_str_ptr(&s), want, strlen(want));
            }
        }
        nb++;
    }
    assert_int_equal(got, nrows);
    assert_true(atomic_load(&ctx.mem_used) > 0);
    {
        lh_buf out;
        lh_buf_init(&out, 0);
        assert_int_equal(lh_op_explain(v, 0, &out, &e), LH_OK);
        assert_string_equal(lh_buf_cstr(&out), "Values [rows: 5000, columns: 2]\n");
        lh_buf_free(&out);
    }
    lh_op_free(v);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);

    /* a failing cell fails the first pull, not the construction */
    cells[0] = lh_x_arith(LH_OP_DIV, cbig(1, &e), cbig(0, &e), T(LH_SQL_BIGINT), &e);
    cells[1] = cstr("a", &e);
    cells[2] = cbig(2, &e);
    cells[3] = cstr("b", &e);
    assert_int_equal(lh_op_values(&ctx, ts, 2, cells, 2, &v, &e), LH_OK);
    assert_int_equal(lh_op_next(v, &b, &e), LH_EDATA);
    assert_string_equal(e.msg, "Division by zero");
    lh_op_free(v);
    /* a cell of the wrong layout is refused (and every cell freed) */
    cells[0] = cstr("x", &e);
    cells[1] = cstr("y", &e);
    assert_int_equal(lh_op_values(&ctx, ts, 2, cells, 1, &v, &e), LH_EINTERNAL);
    /* Values feeds a Filter */
    {
        lh_op *f;
        for (r = 0; r < 10; r++) {
            cells[2 * r] = cbig((int64_t)r, &e);
            cells[2 * r + 1] = cstr("c", &e);
        }
        assert_int_equal(lh_op_values(&ctx, ts, 2, cells, 10, &v, &e), LH_OK);
        assert_int_equal(lh_op_filter(&ctx, v, mod_eq(4, 3, &e), &f, &e), LH_OK);
        assert_int_equal(lh_op_next(f, &b, &e), LH_OK);
        assert_int_equal(lh_batch_rows(b).n, 2);
        assert_int_equal(lh_vector_get_i64(b->cols[0], lh_batch_rows(b).sel[1]), 7);
        lh_op_free(f);
    }
    free(cells);
}

/* allocation failures while building and draining Project(Filter(source)) */
static lh_rc chain_once(void)
{
    lh_exec_ctx ctx;
    lh_op *src = NULL, *f = NULL, *p = NULL;
    lh_batch *b;
    lh_err e;
    lh_xexpr *ex[2];
    lh_rc rc;
    int64_t n = 0;
    lh_exec_ctx_init(&ctx);
    if ((rc = mksrc(&ctx, 2, 50, &src, &e)))
        return rc;
    if ((rc = lh_op_filter(&ctx, src, mod_eq(3, 0, &e), &f, &e)))
        return rc;
    ex[0] = lh_x_cast(lh_x_col(0, T(LH_SQL_BIGINT), &e), VC, 0, &e);
    ex[1] = lh_x_col(1, VC, &e);
    if ((rc = lh_op_project(&ctx, f, ex, 2, &p, &e)))
        return rc;
    while (!(rc = lh_op_next(p, &b, &e)) && b)
        n += lh_batch_rows(b).n;
    lh_op_free(p);
    if (!rc)
        assert_int_equal(n, 34);
    return rc;
}

static void test_alloc_walk(void **state)
{
    long n;
    int ok = 0;
    (void)state;
    for (n = 1; n < 400 && !ok; n++) {
        lh_rc rc;
        lh_fault_alloc_set(n);
        rc = chain_once();
        lh_fault_alloc_set(0);
        if (rc)
            assert_int_equal(rc, LH_ENOMEM);
        else
            ok = 1;
    }
    assert_true(ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filter),
        cmocka_unit_test(test_project),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_alloc_walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
