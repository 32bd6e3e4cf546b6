/* Unit tests: exec/op_recursive.c (RecursiveUnion, WorkTableScan, the
 * working table): rounds, the depth limit, empty anchors and rounds,
 * strings kept across rounds, selections, memory accounting and limits,
 * interrupts, refused plans and allocation faults.
 *
 * The step is a test-only operator over a WorkTableScan: for each row
 * (n bigint, s varchar) with n < limit it yields (n + 1, s || "x"). */
#include "op_testsrc.h"

#include <string.h>

typedef struct inc_op {
    lh_op base;
    int64_t limit;
    lh_batch *out;
} inc_op;

static lh_rc inc_next(lh_op *op, lh_batch **out, lh_err *err)
{
    inc_op *s = (inc_op *)op;
    lh_batch *b;
    lh_rc rc;
    *out = NULL;
    for (;;) {
        uint32_t k = 0;
        if ((rc = lh_op_next(op->child[0], &b, err)))
            return rc;
        if (!b)
            return LH_OK;
        if (!s->out && (rc = lh_batch_create(op->types, op->ncols, 0, &s->out, err)))
            return rc;
        lh_batch_reset(s->out);
        LH_FOR_ROWS(lh_batch_rows(b), i, {
            int64_t n = lh_vector_get_i64(b->cols[0], i);
            if (n < s->limit) {
                char buf[256];
                const lh_str *v = (const lh_str *)b->cols[1]->data + i;
                uint32_t len = lh_str_len(v);
                if (len > 200)
                    len = 200;
                memcpy(buf, lh_str_ptr(v), len);
                buf[len] = 'x';
                lh_vector_set_i64(s->out->cols[0], k, n + 1);
                if ((rc = lh_vector_set_str(s->out->cols[1], k, buf, len + 1, &s->out->arena, err)))
                    return rc;
                k++;
            }
        });
        if (k) {
            s->out->n = k;
            *out = s->out;
            return LH_OK;
        }
    }
}

static void inc_free(lh_op *op) { lh_batch_free(((inc_op *)op)->out); }
static const lh_op_vt inc_vt = {"TestIncrement", inc_next, inc_free, NULL, NULL};

static const lh_sqltype *types2(void)
{
    static lh_sqltype t[2];
    t[0] = lh_sqltype_of(LH_SQL_BIGINT);
    t[1] = lh_sqltype_of(LH_SQL_VARCHAR);
    return t;
}

static lh_rc make_step(lh_exec_ctx *ctx, lh_worktable *wt, int64_t limit, lh_op **out, lh_err *e)
{
    lh_op *scan = NULL, *op = NULL;
    lh_rc rc;
    *out = NULL;
    if ((rc = lh_op_worktable_scan(ctx, wt, &scan, e)))
        return rc;
    if ((rc = lh_op_alloc(sizeof(inc_op), &inc_vt, ctx, types2(), 2, &op, e))) {
        lh_op_free(scan);
        return rc;
    }
    ((inc_op *)op)->limit = limit;
    op->child[0] = scan;
    op->nchild = 1;
    *out = op;
    return LH_OK;
}

/* anchor rows: n = first + g, s = a 20-byte prefix then the row number; every 3rd dropped by a selection */
typedef struct anc {
    int64_t first;
    int drop;
} anc;

static int fill_anchor(lh_batch *b, uint32_t r, size_t g, void *arg)
{
    const anc *a = arg;
    char s[64];
    lh_err e;
    snprintf(s, sizeof s, "a-long-anchor-string-%zu-", g);
    lh_vector_set_i64(b->cols[0], r, a->first + (int64_t)g);
    assert_int_equal(lh_vector_set_str(b->cols[1], r, s, strlen(s), &b->arena, &e), LH_OK);
    return !(a->drop && g % 3 == 2);
}

/* The recursion over `nrows` anchor rows with step limit `limit` and
 * nsteps step plans; the rows as "n|s" lines, or the error. */
static lh_op *anchor_rows(lh_exec_ctx *ctx, size_t nrows, int drop)
{
    anc a = {1, drop};
    return tsrc_make(ctx, types2(), 2, nrows, 700, fill_anchor, &a);
}

/* As run, over a given anchor (owned from here on). */
static lh_rc run_anchor(lh_exec_ctx *ctx, lh_op *anchor, int64_t limit, size_t nsteps, lines *out, lh_err *e)
{
    lh_op *steps[16] = {NULL}, *op = NULL;
    lh_worktable *wt = NULL;
    size_t i;
    lh_rc rc;
    memset(out, 0, sizeof *out);
    if ((rc = lh_worktable_new(ctx, types2(), 2, &wt, e))) {
        lh_op_free(anchor);
        return rc;
    }
    for (i = 0; i < nsteps; i++)
        if ((rc = make_step(ctx, wt, limit, &steps[i], e))) {
            size_t j;
            for (j = 0; j < i; j++)
                lh_op_free(steps[j]);
            lh_op_free(anchor);
            lh_worktable_free(wt);
            return rc;
        }
    if ((rc = lh_op_recursive(ctx, anchor, steps, nsteps, wt, &op, e)))
        return rc;
    rc = drain_lines(op, out, e);
    lh_op_free(op);
    return rc;
}

static lh_rc run(lh_exec_ctx *ctx, size_t nrows, int drop, int64_t limit, size_t nsteps, lines *out, lh_err *e)
{
    return run_anchor(ctx, anchor_rows(ctx, nrows, drop), limit, nsteps, out, e);
}


static void test_rounds(void **state)
{
    lh_exec_ctx ctx;
    lh_err e;
    lines l;
    (void)state;
    lh_exec_ctx_init(&ctx);
    /* anchor 1, 2; limit 5: rounds 2 3 | 3 4 | 4 5 | 5 | (none) */
    assert_int_equal(run(&ctx, 2, 0, 5, 11, &l, &e), LH_OK);
    {
        static const char *const want[] = {
            "1|a-long-anchor-string-0-",     "2|a-long-anchor-string-1-",    "2|a-long-anchor-string-0-x",
            "3|a-long-anchor-string-1-x",    "3|a-long-anchor-string-0-xx",  "4|a-long-anchor-string-1-xx",
            "4|a-long-anchor-string-0-xxx",  "5|a-long-anchor-string-1-xxx", "5|a-long-anchor-string-0-xxxx",
        };
        lines_expect(&l, want, 9, 0);
    }
    lines_free(&l);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
}

static void test_many_rows_and_selections(void **state)
{
    lh_exec_ctx ctx;
    lh_err e;
    lines l;
    size_t i, expect = 0;
    (void)state;
    lh_exec_ctx_init(&ctx);
    /* 5000 anchor rows (one in three dropped), n = 1..5000, limit 4: rows below 4 recur */
    assert_int_equal(run(&ctx, 5000, 1, 4, 11, &l, &e), LH_OK);
    for (i = 0; i < 5000; i++)
        if (i % 3 != 2)
            expect += 1 + (i + 1 < 4 ? 4 - (i + 1) : 0);
    assert_int_equal(l.n, expect);
    lines_free(&l);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
}

static void test_depth_limit(void **state)
{
    lh_exec_ctx ctx;
    lh_err e;
    lines l;
    (void)state;
    lh_exec_ctx_init(&ctx);
    /* 3 step plans: 2 rounds allowed, the third must be empty; limit 3 needs exactly 2 */
    assert_int_equal(run(&ctx, 1, 0, 3, 3, &l, &e), LH_OK);
    assert_int_equal(l.n, 3);
    lines_free(&l);
    assert_int_equal(run(&ctx, 1, 0, 4, 3, &l, &e), LH_ELIMIT);
    assert_string_equal(e.msg, "Recursion depth limit exceeded (2). Use 'max_recursion_depth' session property to modify "
                               "the limit.");
    lines_free(&l);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
}

static void test_empty_anchor(void **state)
{
    lh_exec_ctx ctx;
    lh_err e;
    lines l;
    (void)state;
    lh_exec_ctx_init(&ctx);
    assert_int_equal(run(&ctx, 0, 0, 100, 2, &l, &e), LH_OK);
    assert_int_equal(l.n, 0);
    lines_free(&l);
}

static void test_memory_limit(void **state)
{
    lh_exec_ctx ctx;
    lh_err e;
    lines l;
    (void)state;
    lh_exec_ctx_init(&ctx);
    ctx.mem_limit = 4096;
    assert_int_equal(run(&ctx, 5000, 0, 3, 11, &l, &e), LH_ELIMIT);
    assert_non_null(strstr(e.msg, "Recursive WITH"));
    lines_free(&l);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
}

static void test_interrupt(void **state)
{
    lh_exec_ctx ctx;
    atomic_int stop;
    lh_err e;
    lines l;
    (void)state;
    lh_exec_ctx_init(&ctx);
    atomic_init(&stop, 1);
    ctx.interrupt = &stop;
    assert_int_equal(run(&ctx, 10, 0, 5, 11, &l, &e), LH_ECANCELLED);
    lines_free(&l);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
}

static void test_refused(void **state)
{
    lh_exec_ctx ctx;
    lh_err e;
    lh_worktable *wt = NULL, *other = NULL;
    lh_op *scan = NULL, *op = NULL, *anchor, *step = NULL;
    lh_batch *b;
    lh_sqltype one = lh_sqltype_of(LH_SQL_BIGINT);
    (void)state;
    lh_exec_ctx_init(&ctx);
    /* a scan pulled outside a round (a subquery run while planning) */
    assert_int_equal(lh_worktable_new(&ctx, types2(), 2, &wt, &e), LH_OK);
    assert_int_equal(lh_op_worktable_scan(&ctx, wt, &scan, &e), LH_OK);
    assert_int_equal(lh_op_next(scan, &b, &e), LH_EUNSUPPORTED);
    lh_op_free(scan);
    /* a step of other types: refused, everything freed */
    assert_int_equal(lh_worktable_new(&ctx, &one, 1, &other, &e), LH_OK);
    assert_int_equal(lh_op_worktable_scan(&ctx, other, &step, &e), LH_OK);
    anchor = src_i64(&ctx, 1, 0, NULL, 10);
    assert_int_equal(lh_op_recursive(&ctx, anchor, &step, 1, wt, &op, &e), LH_EINTERNAL);
    assert_null(op);
    lh_worktable_free(other);
    /* no steps */
    assert_int_equal(lh_worktable_new(&ctx, types2(), 2, &wt, &e), LH_OK);
    anchor = tsrc_make(&ctx, types2(), 2, 0, 10, fill_anchor, &(anc){1, 0});
    assert_int_equal(lh_op_recursive(&ctx, anchor, NULL, 0, wt, &op, &e), LH_EINTERNAL);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
}

static void test_explain(void **state)
{
    lh_exec_ctx ctx;
    lh_err e;
    lh_worktable *wt = NULL;
    lh_op *steps[2], *op = NULL, *anchor;
    lh_buf b;
    (void)state;
    lh_exec_ctx_init(&ctx);
    anchor = tsrc_make(&ctx, types2(), 2, 1, 10, fill_anchor, &(anc){1, 0});
    assert_int_equal(lh_worktable_new(&ctx, types2(), 2, &wt, &e), LH_OK);
    assert_int_equal(make_step(&ctx, wt, 3, &steps[0], &e), LH_OK);
    assert_int_equal(make_step(&ctx, wt, 3, &steps[1], &e), LH_OK);
    assert_int_equal(lh_op_recursive(&ctx, anchor, steps, 2, wt, &op, &e), LH_OK);
    lh_buf_init(&b, 0);
    assert_int_equal(lh_op_explain(op, 0, &b, &e), LH_OK);
    assert_non_null(strstr(lh_buf_cstr(&b), "RecursiveUnion [max depth: 1]"));
    assert_non_null(strstr(lh_buf_cstr(&b), "WorkTableScan"));
    lh_buf_free(&b);
    lh_op_free(op);
}

static void test_alloc_faults(void **state)
{
    long k;
    int ok = 0;
    (void)state;
    for (k = 1; k < 2000 && !ok; k++) {
        lh_exec_ctx ctx;
        lh_err e;
        lines l;
        lh_rc rc;
        lh_op *anchor;
        lh_exec_ctx_init(&ctx);
        anchor = anchor_rows(&ctx, 3000, 1);
        lh_fault_alloc_set(k);
        rc = run_anchor(&ctx, anchor, 4, 4, &l, &e);
        lh_fault_alloc_set(0);
        lines_free(&l);
        if (rc)
            assert_int_equal(rc, LH_ENOMEM);
        else
            ok = 1;
        assert_int_equal(atomic_load(&ctx.mem_used), 0);
    }
    print_message("allocation walk: %ld points\n", k - 1);
    assert_true(ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rounds),       cmocka_unit_test(test_many_rows_and_selections),
        cmocka_unit_test(test_depth_limit),  cmocka_unit_test(test_empty_anchor),
        cmocka_unit_test(test_memory_limit), cmocka_unit_test(test_interrupt),
        cmocka_unit_test(test_refused),      cmocka_unit_test(test_explain),
        cmocka_unit_test(test_alloc_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
