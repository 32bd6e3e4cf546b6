/* Unit tests: exec/op_setop.c (INTERSECT / EXCEPT, DISTINCT and ALL). */
#include "testutil.h"

#include <math.h>

#include "exec/operator.h"

/* ---- a test-only source operator: one batch, reset and refilled per pull ---- */
#include "fill_src.h"
static lh_sqltype T(lh_sqltype_id id) { return lh_sqltype_of(id); }

/* 30 row shapes: a = id % 6 (5: NULL), b = a long string of id / 6 (4: NULL), c = a double */
#define NID 30
static void shape(int id, int *an, int64_t *a, int *bn, char *b, double *c)
{
    *an = id % 6 == 5;
    *a = id % 6;
    *bn = id / 6 == 4;
    snprintf(b, 64, "a-long-string-value-%d", id / 6);
    *c = id % 3 == 0 ? NAN : id % 3 == 1 ? 0.0 : 1.5;
}

typedef struct side {
    int mul, off, lo, hi; /* id = (r * mul + off) % NID, kept when lo <= id < hi */
    int sel;              /* install a selection dropping rows r % 4 == 1 */
} side;

static int side_id(const side *s, uint64_t r) { return (int)((r * (uint64_t)s->mul + (uint64_t)s->off) % NID); }
static int side_keep(const side *s, uint64_t r)
{
    int id = side_id(s, r);
    return id >= s->lo && id < s->hi && !(s->sel && r % 4 == 1);
}

static lh_rc fill_side(void *u, lh_batch *b, uint64_t row0, uint32_t n, lh_err *err)
{
    const side *s = u;
    uint16_t sel[LH_BATCH];
    uint32_t i, ns = 0;
    lh_rc rc;
    for (i = 0; i < n; i++) {
        uint64_t r = row0 + i;
        int an, bn, id = side_id(s, r);
        int64_t a;
        char str[64];
        double c;
        shape(id, &an, &a, &bn, str, &c);
        if (an)
            lh_vector_set_null(b->cols[0], i);
        else
            lh_vector_set_i64(b->cols[0], i, a);
        if (bn)
            lh_vector_set_null(b->cols[1], i);
        else if ((rc = lh_vector_set_str(b->cols[1], i, str, strlen(str), &b->arena, err)))
            return rc;
        /* -0.0 on some rows: equal to 0.0 */
        lh_vector_set_f64(b->cols[2], i, c == 0 && r % 2 ? -0.0 : c);
        if (side_keep(s, r))
            sel[ns++] = (uint16_t)i;
    }
    if (ns == 0) { /* never hand out an empty batch: keep one row of an id outside every range */
        lh_vector_set_null(b->cols[0], 0);
        lh_vector_set_null(b->cols[1], 0);
        lh_vector_set_f64(b->cols[2], 0, -99);
        sel[ns++] = 0;
    }
    lh_batch_select(b, sel, ns);
    return LH_OK;
}

static int cell_id(res *r, size_t row)
{
    int id;
    for (id = 0; id < NID; id++) {
        int an, bn;
        int64_t a;
        char b[64];
        double c;
        cell *x = at(r, row, 0), *y = at(r, row, 1), *z = at(r, row, 2);
        shape(id, &an, &a, &bn, b, &c);
        if (an != x->null || (!an && a != x->i) || bn != y->null || (!bn && strcmp(b, y->s)) || z->null)
            continue;
        if (isnan(c) ? isnan(z->d) : c == z->d)
            return id;
    }
    return -1;
}

static lh_rc run_setop(lh_exec_ctx *ctx, side *L, uint64_t nl, side *R, uint64_t nr, lh_setop_kind k, int all,
                       res *out, lh_err *err)
{
    lh_sqltype ts[3] = {T(LH_SQL_BIGINT), lh_sqltype_varchar(LH_SQL_UNBOUNDED), T(LH_SQL_DOUBLE)};
    lh_op *l = NULL, *r = NULL, *op = NULL;
    lh_rc rc;
    memset(out, 0, sizeof *out);
    if ((rc = mk_src_rc(ctx, ts, 3, nl, 333, fill_side, L, &l, err)))
        return rc;
    if ((rc = mk_src_rc(ctx, ts, 3, nr, 444, fill_side, R, &r, err))) {
        lh_op_free(l);
        return rc;
    }
    if ((rc = lh_op_setop(ctx, l, r, k, all, &op, err)))
        return rc;
    rc = drain(op, out, err);
    lh_op_free(op);
    return rc;
}

static void check(side *L, uint64_t nl, side *R, uint64_t nr, lh_setop_kind k, int all)
{
    int64_t m[NID] = {0}, n[NID] = {0}, got[NID] = {0};
    uint64_t i;
    size_t row;
    lh_exec_ctx ctx;
    res r;
    lh_err e;
    int id;
    for (i = 0; i < nl; i++)
        if (side_keep(L, i))
            m[side_id(L, i)]++;
    for (i = 0; i < nr; i++)
        if (side_keep(R, i))
            n[side_id(R, i)]++;
    lh_exec_ctx_init(&ctx);
    assert_int_equal(run_setop(&ctx, L, nl, R, nr, k, all, &r, &e), LH_OK);
    for (row = 0; row < r.nrows; row++) {
        id = cell_id(&r, row);
        assert_true(id >= 0);
        got[id]++;
    }
    for (id = 0; id < NID; id++) {
        int64_t want;
        if (k == LH_SETOP_INTERSECT)
            want = all ? (m[id] < n[id] ? m[id] : n[id]) : (m[id] > 0 && n[id] > 0);
        else
            want = all ? (m[id] > n[id] ? m[id] - n[id] : 0) : (m[id] > 0 && n[id] == 0);
        if (got[id] != want) {
            print_message("id %d: m %lld n %lld got %lld want %lld\n", id, (long long)m[id], (long long)n[id],
                          (long long)got[id], (long long)want);
            fail();
        }
    }
    free(r.c);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
}

static void test_setops(void **state)
{
    side L = {7, 0, 0, 25, 1}, R = {11, 3, 10, NID, 0};
    int all;
    (void)state;
    for (all = 0; all <= 1; all++) {
        check(&L, 20000, &R, 15000, LH_SETOP_INTERSECT, all);
        check(&L, 20000, &R, 15000, LH_SETOP_EXCEPT, all);
        check(&R, 15000, &L, 20000, LH_SETOP_EXCEPT, all);
        /* few rows on one side: min(m, n) and m - n both matter */
        check(&L, 20000, &R, 40, LH_SETOP_INTERSECT, all);
        check(&L, 20000, &R, 40, LH_SETOP_EXCEPT, all);
        /* an empty side */
        check(&L, 5000, &R, 0, LH_SETOP_INTERSECT, all);
        check(&L, 5000, &R, 0, LH_SETOP_EXCEPT, all);
        check(&L, 0, &R, 5000, LH_SETOP_EXCEPT, all);
        check(&L, 0, &R, 0, LH_SETOP_INTERSECT, all);
    }
}

/* NULL rows are equal to each other: (NULL, NULL, NaN) INTERSECT (NULL, NULL, NaN) keeps it */
static void test_nulls_equal(void **state)
{
    side L = {6, 5, 0, NID, 0}, R = {6, 5, 0, NID, 0}; /* every row: id 5 or 11 or 17 ... (a NULL) */
    (void)state;
    check(&L, 100, &R, 7, LH_SETOP_INTERSECT, 1);
    check(&L, 100, &R, 7, LH_SETOP_EXCEPT, 1);
    check(&L, 100, &R, 7, LH_SETOP_INTERSECT, 0);
    check(&L, 100, &R, 7, LH_SETOP_EXCEPT, 0);
}

static void test_explain_errors(void **state)
{
    lh_sqltype ts[3] = {T(LH_SQL_BIGINT), lh_sqltype_varchar(LH_SQL_UNBOUNDED), T(LH_SQL_DOUBLE)};
    lh_sqltype t2[2] = {T(LH_SQL_BIGINT), T(LH_SQL_DOUBLE)};
    side L = {7, 0, 0, 25, 1};
    lh_exec_ctx ctx;
    lh_op *op = NULL;
    lh_buf out;
    lh_err e;
    (void)state;
    lh_exec_ctx_init(&ctx);
    assert_int_equal(lh_op_setop(&ctx, mk_src(&ctx, ts, 3, 10, 5, fill_side, &L), mk_src(&ctx, ts, 3, 10, 5, fill_side, &L),
                                 LH_SETOP_EXCEPT, 1, &op, &e),
                     LH_OK);
    lh_buf_init(&out, 0);
    assert_int_equal(lh_op_explain(op, 0, &out, &e), LH_OK);
    assert_string_equal(lh_buf_cstr(&out), "HashSetOp [EXCEPT ALL]\n  -> TestSource\n  -> TestSource\n");
    lh_buf_free(&out);
    lh_op_free(op);
    /* inputs of different shapes: refused, both children freed */
    assert_int_equal(lh_op_setop(&ctx, mk_src(&ctx, ts, 3, 10, 5, fill_side, &L), mk_src(&ctx, t2, 2, 10, 5, fill_side, &L),
                                 LH_SETOP_INTERSECT, 0, &op, &e),
                     LH_EINTERNAL);
    assert_null(op);
    /* the memory limit */
    {
        side W = {1, 0, 0, NID, 0};
        res r;
        ctx.mem_limit = 1000;
        assert_int_equal(run_setop(&ctx, &W, 100, &W, 10, LH_SETOP_INTERSECT, 0, &r, &e), LH_ELIMIT);
        assert_true(strncmp(e.msg, "HashSetOp: memory limit of", 26) == 0);
        free(r.c);
        assert_int_equal(atomic_load(&ctx.mem_used), 0);
    }
}

static void test_alloc_faults(void **state)
{
    side L = {7, 0, 0, 25, 1}, R = {11, 3, 10, NID, 0};
    long n;
    int ok = 0;
    (void)state;
    for (n = 1; n < 1000 && !ok; n++) {
        lh_exec_ctx ctx;
        res r;
        lh_err e;
        lh_rc rc;
        lh_exec_ctx_init(&ctx);
        lh_fault_alloc_set(n);
        rc = run_setop(&ctx, &L, 3000, &R, 2000, LH_SETOP_INTERSECT, 1, &r, &e);
        lh_fault_alloc_set(0);
        free(r.c);
        if (rc) {
            assert_int_equal(rc, LH_ENOMEM);
            assert_true(strstr(e.msg, "out of memory") != NULL);
        } else
            ok = 1;
        assert_int_equal(atomic_load(&ctx.mem_used), 0);
    }
    print_message("allocation walk: %ld points\n", n - 1);
    assert_true(ok && n > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_setops),
        cmocka_unit_test(test_nulls_equal),
        cmocka_unit_test(test_explain_errors),
        cmocka_unit_test(test_alloc_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
