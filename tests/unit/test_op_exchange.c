/* Unit tests: exec/op_exchange.c — batches of several producer threads
 * handed to one consumer: every row once, each producer's rows in order,
 * the first producer error returned, an early free stopping and joining
 * the threads, schema checks and EXPLAIN. */
#include "op_testsrc.h"

static lh_exec_ctx ctx;

#define NPROD 3
#define PER_PROD 10000

/* producer p: rows p*PER_PROD .. (p+1)*PER_PROD-1, in batches of 777 */
static lh_op *producer(int p)
{
    static int64_t vals[NPROD][PER_PROD];
    int i;
    for (i = 0; i < PER_PROD; i++)
        vals[p][i] = (int64_t)p * PER_PROD + i;
    return src_i64(&ctx, 1, PER_PROD, vals[p], 777);
}

static void test_every_row_once(void **state)
{
    lh_op *kids[NPROD], *x = NULL;
    lh_err e;
    int64_t last[NPROD] = {-1, -1, -1};
    uint64_t n = 0, sum = 0;
    int p;
    (void)state;
    for (p = 0; p < NPROD; p++)
        kids[p] = producer(p);
    assert_int_equal(lh_op_exchange(&ctx, kids, NPROD, &x, &e), LH_OK);
    assert_ptr_equal(lh_op_exchange_shown(x), kids[0]);
    assert_null(lh_op_exchange_shown(kids[1]));
    for (;;) {
        lh_batch *b;
        lh_rows r;
        uint32_t i;
        assert_int_equal(lh_op_next(x, &b, &e), LH_OK);
        if (!b)
            break;
        r = lh_batch_rows(b);
        for (i = 0; i < r.n; i++) {
            int64_t v = lh_vector_get_i64(b->cols[0], r.sel ? r.sel[i] : i);
            int q = (int)(v / PER_PROD);
            assert_true(q >= 0 && q < NPROD);
            assert_true(v > last[q]); /* one producer's rows keep their order */
            last[q] = v;
            sum += (uint64_t)v;
            n++;
        }
    }
    assert_int_equal(n, (uint64_t)NPROD * PER_PROD);
    assert_int_equal(sum, (uint64_t)NPROD * PER_PROD * (NPROD * PER_PROD - 1) / 2);
    {
        lh_buf out;
        lh_buf_init(&out, 0);
        assert_int_equal(lh_op_explain(x, 1, &out, &e), LH_OK);
        assert_non_null(strstr(lh_buf_cstr(&out), "Exchange [3 workers; rows per worker: 10000, 10000, 10000]"));
        assert_non_null(strstr(lh_buf_cstr(&out), "-> TestSource"));
        lh_buf_free(&out);
    }
    lh_op_free(x);
}

/* a producer that fails on its third pull */
typedef struct failing {
    lh_op base;
    lh_batch *b;
    int pulls;
} failing;

static lh_rc failing_next(lh_op *op, lh_batch **out, lh_err *err)
{
    failing *f = (failing *)op;
    if (++f->pulls == 3)
        return lh_errf(err, LH_EDATA, "s3://bkt/t/x.json:42: column 'v': expected bigint");
    lh_batch_reset(f->b);
    f->b->n = 100;
    for (uint32_t i = 0; i < 100; i++)
        lh_vector_set_i64(f->b->cols[0], i, i);
    *out = f->b;
    return LH_OK;
}

static void failing_free(lh_op *op) { lh_batch_free(((failing *)op)->b); }

static const lh_op_vt failing_vt = {"Failing", failing_next, failing_free, NULL, NULL};

static lh_op *failing_make(void)
{
    lh_op *op = NULL;
    lh_err e;
    lh_sqltype t = lh_sqltype_of(LH_SQL_BIGINT);
    assert_int_equal(lh_op_alloc(sizeof(failing), &failing_vt, &ctx, &t, 1, &op, &e), LH_OK);
    assert_int_equal(lh_batch_create(&t, 1, 0, &((failing *)op)->b, &e), LH_OK);
    return op;
}

static void test_producer_error(void **state)
{
    lh_op *kids[2], *x = NULL;
    lh_err e;
    lh_rc rc = LH_OK;
    int guard = 0;
    (void)state;
    kids[0] = producer(0);
    kids[1] = failing_make();
    assert_int_equal(lh_op_exchange(&ctx, kids, 2, &x, &e), LH_OK);
    while (guard++ < 100000) {
        lh_batch *b;
        rc = lh_op_next(x, &b, &e);
        if (rc || !b)
            break;
    }
    assert_int_equal(rc, LH_EDATA);
    assert_non_null(strstr(e.msg, "x.json:42"));
    lh_op_free(x); /* the healthy producer is stopped and joined */
}

static void test_early_free(void **state)
{
    lh_op *kids[NPROD], *x = NULL;
    lh_batch *b;
    lh_err e;
    int p;
    (void)state;
    for (p = 0; p < NPROD; p++)
        kids[p] = producer(p);
    assert_int_equal(lh_op_exchange(&ctx, kids, NPROD, &x, &e), LH_OK);
    assert_int_equal(lh_op_next(x, &b, &e), LH_OK);
    assert_non_null(b);
    lh_op_free(x); /* a LIMIT above stopped pulling: threads waiting on their slots must end */
    /* never pulled: no thread was started */
    for (p = 0; p < NPROD; p++)
        kids[p] = producer(p);
    assert_int_equal(lh_op_exchange(&ctx, kids, NPROD, &x, &e), LH_OK);
    lh_op_free(x);
}

/* two producers with NULLs and two columns: the multiset of rows */
static void test_small_multiset(void **state)
{
    static const int64_t a[] = {1, 10, TNULL, 20, 3, 30};
    static const int64_t b[] = {4, TNULL, 5, 50};
    static const char *const want[] = {"1|10", "NULL|20", "3|30", "4|NULL", "5|50"};
    lh_op *kids[2], *x = NULL;
    lh_err e;
    lines got;
    (void)state;
    kids[0] = src_i64(&ctx, 2, 3, a, 2);
    kids[1] = src_i64(&ctx, 2, 2, b, 1);
    assert_int_equal(lh_op_exchange(&ctx, kids, 2, &x, &e), LH_OK);
    assert_int_equal(drain_lines(x, &got, &e), LH_OK);
    lines_expect(&got, want, 5, 1);
    lines_free(&got);
    lh_op_free(x);
}

static void test_schemas(void **state)
{
    lh_op *kids[2], *x = NULL;
    lh_err e;
    static const int64_t v2[] = {1, 2};
    (void)state;
    kids[0] = producer(0);
    kids[1] = src_i64(&ctx, 2, 1, v2, 1);
    assert_int_equal(lh_op_exchange(&ctx, kids, 2, &x, &e), LH_EINTERNAL); /* both freed */
    assert_null(x);
    assert_int_equal(lh_op_exchange(&ctx, NULL, 0, &x, &e), LH_EINTERNAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_row_once),
        cmocka_unit_test(test_producer_error),
        cmocka_unit_test(test_early_free),
        cmocka_unit_test(test_small_multiset),
        cmocka_unit_test(test_schemas),
    };
    lh_exec_ctx_init(&ctx);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
