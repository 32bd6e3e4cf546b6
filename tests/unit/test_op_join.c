/* tests/unit/test_op_join.c — hash join and nested-loop join: every kind
 * on hand-made inputs with NULL keys and duplicates, residuals, multi-column
 * and long string keys, a probe batch producing more than LH_BATCH rows,
 * 100,000-row random joins against a nested-loop reference, NOT IN, cross
 * joins, selections, CONST and DICT inputs, the memory limit, cancellation
 * and an allocation-failure walk. */
#include "op_testsrc.h"

#include "exec/rowstore.h"

#if defined(__has_include)
#if !__has_include("../../src/exec/expr.c")
#define LH_TEST_FAKE_EXPR 1
#endif
#endif
#ifdef LH_TEST_FAKE_EXPR
#include "fake_expr.h" /* no exec/expr.c in this tree yet: a stand-in for residuals */
#endif

static lh_exec_ctx ctx;

static int setup_ctx(void **state)
{
    (void)state;
    lh_exec_ctx_init(&ctx);
    return 0;
}

static int check_ctx(void **state)
{
    (void)state;
    assert_int_equal(atomic_load(&ctx.mem_used), 0); /* every charge released */
    return 0;
}

static lh_sqltype BIGINT(void) { return lh_sqltype_of(LH_SQL_BIGINT); }

/* residual: joined column a <op> joined column b (bigint) */
static lh_xexpr *res_cmp(lh_cmp_op op, uint32_t a, uint32_t b)
{
    lh_err e;
    lh_xexpr *x = lh_x_cmp(op, lh_x_col(a, BIGINT(), &e), lh_x_col(b, BIGINT(), &e), &e);
    assert_non_null(x);
    return x;
}

static const int64_t L1[] = {1, 10, 2, 20, 2, 21, TNULL, 30, 3, 40};
static const int64_t R1[] = {2, 200, 2, 201, 3, 300, TNULL, 400, 4, 500};

static void run_join(lh_op *l, lh_op *r, lh_join_kind kind, size_t nkeys, const uint32_t *lk, const uint32_t *rk,
                     lh_xexpr *res, const char *const *want, size_t nwant)
{
    lh_op *j = NULL;
    lh_err e;
    lines got;
    assert_int_equal(lh_op_hash_join(&ctx, l, r, kind, lk, rk, nkeys, res, &j, &e), LH_OK);
    /* the probe side streams (a parallel plan may split it) unless build rows no probe row saw come out */
    assert_int_equal(lh_op_stream_child(j), kind == LH_J_RIGHT || kind == LH_J_FULL ? -1 : 0);
    assert_int_equal(lh_op_stream_child(j->child[1]), -1); /* a test source */
    assert_int_equal(drain_lines(j, &got, &e), LH_OK);
    lines_expect(&got, want, nwant, 1);
    lines_free(&got);
    lh_op_free(j);
}

static void join1(lh_join_kind kind, uint32_t per, const char *const *want, size_t n)
{
    static const uint32_t k0 = 0;
    run_join(src_i64(&ctx, 2, 5, L1, per), src_i64(&ctx, 2, 5, R1, per), kind, 1, &k0, &k0, NULL, want, n);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_kinds(void **state)
{
    static const char *const inner[] = {"2|20|2|200", "2|20|2|201", "2|21|2|200", "2|21|2|201", "3|40|3|300"};
    static const char *const left[] = {"2|20|2|200", "2|20|2|201", "2|21|2|200",    "2|21|2|201",
                                       "3|40|3|300", "1|10|NULL|NULL", "NULL|30|NULL|NULL"};
    static const char *const right[] = {"2|20|2|200", "2|20|2|201",        "2|21|2|200",
                                        "2|21|2|201", "3|40|3|300",        "NULL|NULL|NULL|400",
                                        "NULL|NULL|4|500"};
    static const char *const full[] = {"2|20|2|200",        "2|20|2|201",       "2|21|2|200",
                                       "2|21|2|201",        "3|40|3|300",       "1|10|NULL|NULL",
                                       "NULL|30|NULL|NULL", "NULL|NULL|NULL|400", "NULL|NULL|4|500"};
    static const char *const semi[] = {"2|20", "2|21", "3|40"};
    static const char *const anti[] = {"1|10", "NULL|30"};
    uint32_t per;
    (void)state;
    for (per = 1; per <= 5; per += 2) {
        join1(LH_J_INNER, per, inner, N(inner));
        join1(LH_J_LEFT, per, left, N(left));
        join1(LH_J_RIGHT, per, right, N(right));
        join1(LH_J_FULL, per, full, N(full));
        join1(LH_J_SEMI, per, semi, N(semi));
        join1(LH_J_ANTI, per, anti, N(anti));
        /* NOT IN over a build side holding a NULL: no row at all */
        join1(LH_J_ANTI_NULL_AWARE, per, NULL, 0);
    }
}

static void test_null_aware(void **state)
{
    static const uint32_t k0 = 0;
    static const int64_t rnonull[] = {2, 0, 3, 0, 2, 0};
    static const char *const some[] = {"1|10"}; /* NULL probe key dropped */
    static const char *const all[] = {"1|10", "2|20", "2|21", "NULL|30", "3|40"};
    static const char *const anti_all[] = {"1|10", "2|20", "2|21", "NULL|30", "3|40"};
    static const int64_t onlynull[] = {TNULL, 0};
    (void)state;
    run_join(src_i64(&ctx, 2, 5, L1, 2), src_i64(&ctx, 2, 3, rnonull, 2), LH_J_ANTI_NULL_AWARE, 1, &k0, &k0, NULL,
             some, N(some));
    /* an empty build side: every probe row, NULL keys included */
    run_join(src_i64(&ctx, 2, 5, L1, 2), src_i64(&ctx, 2, 0, rnonull, 2), LH_J_ANTI_NULL_AWARE, 1, &k0, &k0, NULL,
             all, N(all));
    /* a build side of one NULL: nothing */
    run_join(src_i64(&ctx, 2, 5, L1, 2), src_i64(&ctx, 2, 1, onlynull, 2), LH_J_ANTI_NULL_AWARE, 1, &k0, &k0, NULL,
             NULL, 0);
    /* plain ANTI (NOT EXISTS) keeps NULL keys, also against a NULL build key */
    run_join(src_i64(&ctx, 2, 5, L1, 2), src_i64(&ctx, 2, 1, onlynull, 2), LH_J_ANTI, 1, &k0, &k0, NULL, anti_all,
             N(anti_all));
    /* a correlated NOT IN is refused, the children freed */
    {
        lh_op *j = NULL;
        lh_err e;
        assert_int_equal(lh_op_hash_join(&ctx, src_i64(&ctx, 2, 5, L1, 2), src_i64(&ctx, 2, 1, onlynull, 2),
                                         LH_J_ANTI_NULL_AWARE, &k0, &k0, 1, res_cmp(LH_CMP_LT, 1, 3), &j, &e),
                         LH_EUNSUPPORTED);
        assert_null(j);
    }
}

static void test_empty_sides(void **state)
{
    static const uint32_t k0 = 0;
    static const char *const left[] = {"1|10|NULL|NULL", "2|20|NULL|NULL", "2|21|NULL|NULL", "NULL|30|NULL|NULL",
                                       "3|40|NULL|NULL"};
    static const char *const right[] = {"NULL|NULL|2|200", "NULL|NULL|2|201", "NULL|NULL|3|300",
                                        "NULL|NULL|NULL|400", "NULL|NULL|4|500"};
    (void)state;
    run_join(src_i64(&ctx, 2, 5, L1, 2), src_i64(&ctx, 2, 0, R1, 2), LH_J_INNER, 1, &k0, &k0, NULL, NULL, 0);
    run_join(src_i64(&ctx, 2, 5, L1, 2), src_i64(&ctx, 2, 0, R1, 2), LH_J_LEFT, 1, &k0, &k0, NULL, left, N(left));
    run_join(src_i64(&ctx, 2, 5, L1, 2), src_i64(&ctx, 2, 0, R1, 2), LH_J_FULL, 1, &k0, &k0, NULL, left, N(left));
    run_join(src_i64(&ctx, 2, 0, L1, 2), src_i64(&ctx, 2, 5, R1, 2), LH_J_RIGHT, 1, &k0, &k0, NULL, right,
             N(right));
    run_join(src_i64(&ctx, 2, 0, L1, 2), src_i64(&ctx, 2, 5, R1, 2), LH_J_FULL, 1, &k0, &k0, NULL, right, N(right));
    run_join(src_i64(&ctx, 2, 0, L1, 2), src_i64(&ctx, 2, 5, R1, 2), LH_J_INNER, 1, &k0, &k0, NULL, NULL, 0);
    run_join(src_i64(&ctx, 2, 5, L1, 2), src_i64(&ctx, 2, 0, R1, 2), LH_J_SEMI, 1, &k0, &k0, NULL, NULL, 0);
    /* nested loop with an empty side */
    run_join(src_i64(&ctx, 2, 5, L1, 2), src_i64(&ctx, 2, 0, R1, 2), LH_J_LEFT, 0, NULL, NULL, NULL, left, N(left));
    run_join(src_i64(&ctx, 2, 5, L1, 2), src_i64(&ctx, 2, 0, R1, 2), LH_J_INNER, 0, NULL, NULL, NULL, NULL, 0);
}

static const int64_t R2[] = {2, 20, 2, 25, 3, 10, TNULL, 1, 4, 1};

static void test_residual(void **state)
{
    static const uint32_t k0 = 0;
    static const char *const inner[] = {"2|20|2|25", "2|21|2|25"};
    static const char *const left[] = {"2|20|2|25", "2|21|2|25", "1|10|NULL|NULL", "NULL|30|NULL|NULL",
                                       "3|40|NULL|NULL"};
    static const char *const right[] = {"2|20|2|25",       "2|21|2|25",        "NULL|NULL|2|20",
                                        "NULL|NULL|3|10", "NULL|NULL|NULL|1", "NULL|NULL|4|1"};
    static const char *const full[] = {"2|20|2|25",       "2|21|2|25",        "NULL|NULL|2|20",
                                       "NULL|NULL|3|10", "NULL|NULL|NULL|1", "NULL|NULL|4|1",
                                       "1|10|NULL|NULL", "NULL|30|NULL|NULL", "3|40|NULL|NULL"};
    static const char *const semi[] = {"2|20", "2|21"};
    static const char *const anti[] = {"1|10", "NULL|30", "3|40"};
    /* non-equi nested loop: L.v < R.w over every pair */
    static const char *const loop[] = {"1|10|2|20", "1|10|2|25", "2|20|2|25", "2|21|2|25"};
    uint32_t per;
    (void)state;
    for (per = 1; per <= 5; per += 4) {
        run_join(src_i64(&ctx, 2, 5, L1, per), src_i64(&ctx, 2, 5, R2, per), LH_J_INNER, 1, &k0, &k0,
                 res_cmp(LH_CMP_LT, 1, 3), inner, N(inner));
        run_join(src_i64(&ctx, 2, 5, L1, per), src_i64(&ctx, 2, 5, R2, per), LH_J_LEFT, 1, &k0, &k0,
                 res_cmp(LH_CMP_LT, 1, 3), left, N(left));
        run_join(src_i64(&ctx, 2, 5, L1, per), src_i64(&ctx, 2, 5, R2, per), LH_J_RIGHT, 1, &k0, &k0,
                 res_cmp(LH_CMP_LT, 1, 3), right, N(right));
        run_join(src_i64(&ctx, 2, 5, L1, per), src_i64(&ctx, 2, 5, R2, per), LH_J_FULL, 1, &k0, &k0,
                 res_cmp(LH_CMP_LT, 1, 3), full, N(full));
        run_join(src_i64(&ctx, 2, 5, L1, per), src_i64(&ctx, 2, 5, R2, per), LH_J_SEMI, 1, &k0, &k0,
                 res_cmp(LH_CMP_LT, 1, 3), semi, N(semi));
        run_join(src_i64(&ctx, 2, 5, L1, per), src_i64(&ctx, 2, 5, R2, per), LH_J_ANTI, 1, &k0, &k0,
                 res_cmp(LH_CMP_LT, 1, 3), anti, N(anti));
        run_join(src_i64(&ctx, 2, 5, L1, per), src_i64(&ctx, 2, 5, R2, per), LH_J_INNER, 0, NULL, NULL,
                 res_cmp(LH_CMP_LT, 1, 3), loop, N(loop));
    }
}

static void test_cross(void **state)
{
    static const int64_t a[] = {1, 2, TNULL};
    static const int64_t b[] = {7, 8};
    static const char *const want[] = {"1|7", "1|8", "2|7", "2|8", "NULL|7", "NULL|8"};
    static const char *const semi[] = {"1", "2", "NULL"};
    lh_op *j = NULL;
    lh_err e;
    lh_buf buf;
    (void)state;
    run_join(src_i64(&ctx, 1, 3, a, 2), src_i64(&ctx, 1, 2, b, 1), LH_J_INNER, 0, NULL, NULL, NULL, want, N(want));
    run_join(src_i64(&ctx, 1, 3, a, 2), src_i64(&ctx, 1, 2, b, 1), LH_J_FULL, 0, NULL, NULL, NULL, want, N(want));
    run_join(src_i64(&ctx, 1, 3, a, 2), src_i64(&ctx, 1, 2, b, 1), LH_J_SEMI, 0, NULL, NULL, NULL, semi, N(semi));
    run_join(src_i64(&ctx, 1, 3, a, 2), src_i64(&ctx, 1, 2, b, 1), LH_J_ANTI, 0, NULL, NULL, NULL, NULL, 0);
    assert_int_equal(lh_op_hash_join(&ctx, src_i64(&ctx, 1, 3, a, 2), src_i64(&ctx, 1, 2, b, 1), LH_J_INNER, NULL,
                                     NULL, 0, NULL, &j, &e),
                     LH_OK);
    lh_buf_init(&buf, 0);
    assert_int_equal(lh_op_explain(j, 0, &buf, &e), LH_OK);
    assert_string_equal(lh_buf_cstr(&buf), "NestedLoopJoin [INNER]\n  -> TestSource\n  -> TestSource\n");
    lh_buf_free(&buf);
    lh_op_free(j);
    /* a big cross join: 3000 x 1500 rows, in full batches */
    {
        int64_t *x = malloc(3000 * sizeof *x), *y = malloc(1500 * sizeof *y);
        lines got;
        size_t i;
        assert_non_null(x);
        assert_non_null(y);
        for (i = 0; i < 3000; i++)
            x[i] = (int64_t)i;
        for (i = 0; i < 1500; i++)
            y[i] = (int64_t)i;
        assert_int_equal(lh_op_hash_join(&ctx, src_i64(&ctx, 1, 3000, x, 2048), src_i64(&ctx, 1, 1500, y, 2048),
                                         LH_J_INNER, NULL, NULL, 0, NULL, &j, &e),
                         LH_OK);
        assert_int_equal(drain_lines(j, &got, &e), LH_OK);
        assert_int_equal(got.n, 3000 * 1500);
        assert_true(got.batches <= 3000 * 1500 / 1024 + 2); /* at least half-full batches */
        lines_free(&got);
        lh_op_free(j);
        free(x);
        free(y);
    }
}

static void test_explain(void **state)
{
    static const uint32_t lk[] = {0, 1}, rk[] = {1, 0};
    lh_op *j = NULL;
    lh_err e;
    lh_buf buf;
    (void)state;
    assert_int_equal(lh_op_hash_join(&ctx, src_i64(&ctx, 2, 5, L1, 2), src_i64(&ctx, 2, 5, R1, 2), LH_J_LEFT, lk, rk,
                                     2, NULL, &j, &e),
                     LH_OK);
    lh_buf_init(&buf, 0);
    assert_int_equal(lh_op_explain(j, 0, &buf, &e), LH_OK);
    assert_string_equal(lh_buf_cstr(&buf), "HashJoin [LEFT, keys: #0 = #3, #1 = #2]\n  -> TestSource\n  -> TestSource\n");
    lh_buf_free(&buf);
    assert_int_equal(j->ncols, 4);
    lh_op_free(j);
    assert_int_equal(lh_op_hash_join(&ctx, src_i64(&ctx, 2, 5, L1, 2), src_i64(&ctx, 2, 5, R1, 2), LH_J_SEMI, lk, rk,
                                     1, NULL, &j, &e),
                     LH_OK);
    assert_int_equal(j->ncols, 2);
    lh_op_free(j);
    /* malformed requests: LH_EINTERNAL, children freed */
    {
        static const uint32_t bad = 5;
        assert_int_equal(lh_op_hash_join(&ctx, src_i64(&ctx, 2, 5, L1, 2), src_i64(&ctx, 2, 5, R1, 2), LH_J_INNER,
                                         &bad, &bad, 1, NULL, &j, &e),
                         LH_EINTERNAL);
        assert_null(j);
    }
}

/* multi-column keys: integer and varchar (inline and > 12 bytes) */
typedef struct strrow {
    int32_t a;
    const char *s; /* NULL = NULL */
    int64_t v;
} strrow;

static int fill_str(lh_batch *b, uint32_t r, size_t g, void *arg)
{
    const strrow *t = (const strrow *)arg + g;
    lh_err e;
    lh_vector_set_i64(b->cols[0], r, t->a);
    if (t->s)
        assert_int_equal(lh_vector_set_str(b->cols[1], r, t->s, strlen(t->s), &b->arena, &e), LH_OK);
    else
        lh_vector_set_null(b->cols[1], r);
    lh_vector_set_i64(b->cols[2], r, t->v);
    return 1;
}

static void test_multi_key_strings(void **state)
{
    static const strrow l[] = {{1, "short", 1},
                               {1, "a long string value #1", 2},
                               {1, "a long string value #2", 3},
                               {2, "a long string value #1", 4},
                               {1, NULL, 5},
                               {3, "", 6}};
    static const strrow r[] = {{1, "a long string value #1", 100},
                               {1, "a long string value #1", 101},
                               {1, "a long string value #3", 102},
                               {1, "short", 103},
                               {1, "shorT", 104},
                               {1, NULL, 105},
                               {3, "", 106}};
    static const char *const inner[] = {"1|short|1|1|short|103",
                                        "1|a long string value #1|2|1|a long string value #1|100",
                                        "1|a long string value #1|2|1|a long string value #1|101", "3||6|3||106"};
    static const char *const anti[] = {"1|a long string value #2|3", "2|a long string value #1|4", "1|NULL|5"};
    static const uint32_t k[] = {0, 1};
    lh_sqltype ts[3] = {lh_sqltype_of(LH_SQL_INTEGER), lh_sqltype_varchar(LH_SQL_UNBOUNDED), BIGINT()};
    uint32_t per;
    (void)state;
    for (per = 1; per <= 7; per += 3) {
        run_join(tsrc_make(&ctx, ts, 3, N(l), per, fill_str, (void *)l),
                 tsrc_make(&ctx, ts, 3, N(r), per, fill_str, (void *)r), LH_J_INNER, 2, k, k, NULL, inner,
                 N(inner));
        run_join(tsrc_make(&ctx, ts, 3, N(l), per, fill_str, (void *)l),
                 tsrc_make(&ctx, ts, 3, N(r), per, fill_str, (void *)r), LH_J_ANTI, 2, k, k, NULL, anti, N(anti));
    }
}

/* the build side's strings are copied: its batches may be reset at once */
static void test_build_strings_copied(void **state)
{
    static const strrow r[] = {{1, "a long string value #1", 100}, {2, "another long string here", 200}};
    static const strrow l[] = {{1, "x", 1}, {2, "y", 2}};
    static const char *const want[] = {"1|x|1|1|a long string value #1|100", "2|y|2|2|another long string here|200"};
    static const uint32_t k[] = {0};
    lh_sqltype ts[3] = {lh_sqltype_of(LH_SQL_INTEGER), lh_sqltype_varchar(LH_SQL_UNBOUNDED), BIGINT()};
    lh_op *rs = tsrc_make(&ctx, ts, 3, N(r), 1, fill_str, (void *)r), *j = NULL;
    tsrc *src = (tsrc *)rs;
    lh_err e;
    lines got;
    lh_batch *b;
    (void)state;
    assert_int_equal(lh_op_hash_join(&ctx, tsrc_make(&ctx, ts, 3, N(l), 2, fill_str, (void *)l), rs, LH_J_INNER, k,
                                     k, 1, NULL, &j, &e),
                     LH_OK);
    /* pull one output batch (the build completes), then scribble over the build batches */
    assert_int_equal(lh_op_next(j, &b, &e), LH_OK);
    assert_non_null(b);
    {
        size_t i;
        for (i = 0; i < src->n; i++) {
            lh_batch_reset(src->b[i]);
            assert_int_equal(lh_vector_set_str(src->b[i]->cols[1], 0, "ZZZZZZZZZZZZZZZZZZZZZZZZZ", 25,
                                               &src->b[i]->arena, &e),
                             LH_OK);
        }
    }
    memset(&got, 0, sizeof got);
    {
        uint32_t k2, c;
        lh_rows rows = lh_batch_rows(b);
        for (k2 = 0; k2 < rows.n; k2++) {
            char line[512], v[256];
            size_t len = 0;
            for (c = 0; c < b->ncols; c++) {
                fmt_value(b->cols[c], rows.sel ? rows.sel[k2] : k2, v, sizeof v);
                len += (size_t)snprintf(line + len, sizeof line - len, "%s%s", c ? "|" : "", v);
            }
            lines_add(&got, line);
        }
    }
    assert_int_equal(lh_op_next(j, &b, &e), LH_OK);
    assert_null(b);
    lines_expect(&got, want, N(want), 1);
    lines_free(&got);
    lh_op_free(j);
}

/* A probe batch that produces more than LH_BATCH rows. */
static void test_fanout(void **state)
{
    static const uint32_t k0 = 0;
    int64_t *l = malloc(2 * 2048 * sizeof *l), r[] = {1, 100, 1, 101, 1, 102, 2, 200};
    lh_op *j = NULL;
    lh_err e;
    lines got;
    size_t i;
    (void)state;
    assert_non_null(l);
    for (i = 0; i < 2048; i++) {
        l[2 * i] = i == 5 ? 9 : 1;
        l[2 * i + 1] = (int64_t)i;
    }
    assert_int_equal(lh_op_hash_join(&ctx, src_i64(&ctx, 2, 2048, l, 2048), src_i64(&ctx, 2, 4, r, 4), LH_J_INNER,
                                     &k0, &k0, 1, NULL, &j, &e),
                     LH_OK);
    assert_int_equal(drain_lines(j, &got, &e), LH_OK);
    assert_int_equal(got.n, 2047 * 3);
    assert_true(got.batches >= 3);
    assert_true(got.max_batch <= LH_BATCH);
    lines_free(&got);
    lh_op_free(j);
    /* LEFT with a residual that keeps only w = 101, and the unmatched row 5 */
    assert_int_equal(lh_op_hash_join(&ctx, src_i64(&ctx, 2, 2048, l, 2048), src_i64(&ctx, 2, 4, r, 4), LH_J_LEFT,
                                     &k0, &k0, 1, res_cmp(LH_CMP_NE, 3, 1), &j, &e),
                     LH_OK);
    assert_int_equal(drain_lines(j, &got, &e), LH_OK);
    /* v <> w always holds except v = 100, 101, 102 (one pair each) */
    assert_int_equal(got.n, 2047 * 3 - 3 + 1);
    lines_free(&got);
    lh_op_free(j);
    free(l);
}

/* CONST and DICT key columns, and a probe batch with a selection */
static void test_const_dict(void **state)
{
    static const uint32_t k0 = 0;
    static const int64_t r[] = {5, 50, 6, 60, 7, 70};
    lh_sqltype ts[2] = {BIGINT(), BIGINT()};
    lh_op *l = tsrc_make(&ctx, ts, 2, 0, 1, NULL, NULL), *j = NULL;
    lh_batch *b = NULL;
    lh_vector *d = NULL;
    lh_err e;
    lines got;
    uint16_t sel[2] = {0, 2};
    static const char *const want[] = {"5|0|5|50", "5|2|5|50", "6|10|6|60", "7|12|7|70", "7|13|7|70"};
    uint32_t i;
    (void)state;
    /* batch 1: a CONST key 5, rows 0..2, selection {0, 2} */
    assert_int_equal(lh_batch_create(ts, 2, 0, &b, &e), LH_OK);
    lh_vector_set_const(b->cols[0], 0);
    lh_vector_set_i64(b->cols[0], 0, 5);
    for (i = 0; i < 3; i++)
        lh_vector_set_i64(b->cols[1], i, i);
    b->n = 3;
    lh_batch_select(b, sel, 2);
    tsrc_push(l, b);
    /* batch 2: a DICT key over {6, NULL, 7, 8} */
    assert_int_equal(lh_batch_create(ts, 2, 0, &b, &e), LH_OK);
    assert_int_equal(lh_vector_set_dict(b->cols[0], 4, &d, &e), LH_OK);
    lh_vector_set_i64(d, 0, 6);
    lh_vector_set_null(d, 1);
    lh_vector_set_i64(d, 2, 7);
    lh_vector_set_i64(d, 3, 8);
    for (i = 0; i < 4; i++) {
        static const uint16_t di[4] = {0, 1, 2, 2};
        b->cols[0]->dict_idx[i] = di[i];
        lh_vector_set_i64(b->cols[1], i, 10 + i);
    }
    b->n = 4;
    tsrc_push(l, b);
    assert_int_equal(lh_op_hash_join(&ctx, l, src_i64(&ctx, 2, 3, r, 2), LH_J_INNER, &k0, &k0, 1, NULL, &j, &e),
                     LH_OK);
    assert_int_equal(drain_lines(j, &got, &e), LH_OK);
    lines_expect(&got, want, N(want), 1);
    lines_free(&got);
    lh_op_free(j);
}

/* doubles: NaN never equal (Trino's =), -0.0 = 0.0; decimals; tstz by instant */
static void test_key_types(void **state)
{
    static const uint32_t k0 = 0;
    lh_sqltype ts[4] = {lh_sqltype_of(LH_SQL_DOUBLE), lh_sqltype_decimal(30, 2), lh_sqltype_timestamp_tz(3),
                        lh_sqltype_of(LH_SQL_BOOLEAN)};
    lh_op *l, *r, *j = NULL;
    lh_batch *b;
    lh_err e;
    lines got;
    int side, c;
    (void)state;
    for (c = 0; c < 4; c++) {
        lh_op *src[2];
        for (side = 0; side < 2; side++) {
            lh_sqltype t1[1] = {ts[c]};
            src[side] = tsrc_make(&ctx, t1, 1, 0, 1, NULL, NULL);
            assert_int_equal(lh_batch_create(t1, 1, 0, &b, &e), LH_OK);
            if (c == 0) {
                lh_vector_set_f64(b->cols[0], 0, NAN);
                lh_vector_set_f64(b->cols[0], 1, side ? 0.0 : -0.0);
                lh_vector_set_f64(b->cols[0], 2, 1.5);
            } else if (c == 1) {
                lh_vector_set_i128(b->cols[0], 0, (lh_i128)1 << 100);
                lh_vector_set_i128(b->cols[0], 1, -((lh_i128)1 << 100));
                lh_vector_set_i128(b->cols[0], 2, side ? 7 : 8);
            } else if (c == 2) {
                lh_tstz t = {1000, side ? 5 : 0}, u = {2000, 0}, w = {side ? 3000 : 3001, 0};
                lh_vector_set_tstz(b->cols[0], 0, t);
                lh_vector_set_tstz(b->cols[0], 1, u);
                lh_vector_set_tstz(b->cols[0], 2, w);
            } else {
                lh_vector_set_bool(b->cols[0], 0, 1);
                lh_vector_set_bool(b->cols[0], 1, 0);
                lh_vector_set_null(b->cols[0], 2);
            }
            b->n = 3;
            tsrc_push(src[side], b);
        }
        l = src[0];
        r = src[1];
        assert_int_equal(lh_op_hash_join(&ctx, l, r, LH_J_INNER, &k0, &k0, 1, NULL, &j, &e), LH_OK);
        assert_int_equal(drain_lines(j, &got, &e), LH_OK);
        assert_int_equal(got.n, 2); /* double: -0.0 = 0.0 and 1.5; decimal: +-2^100; tstz: 1000 (zones differ), 2000; bool: true, false */
        lines_free(&got);
        lh_op_free(j);
    }
}

/* ---- random joins against a nested-loop reference ---- */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

typedef struct rtab {
    int64_t *id, *k, *v;
    uint8_t *drop;
    size_t n;
} rtab;

static int fill_rtab(lh_batch *b, uint32_t r, size_t g, void *arg)
{
    const rtab *t = arg;
    lh_vector_set_i64(b->cols[0], r, t->id[g]);
    if (t->k[g] == TNULL)
        lh_vector_set_null(b->cols[1], r);
    else
        lh_vector_set_i64(b->cols[1], r, t->k[g]);
    lh_vector_set_i64(b->cols[2], r, t->v[g]);
    return !t->drop[g];
}

/* the key as varchar: inline (<= 12 bytes) for odd keys, a long string with
 * a shared 16-byte head for even ones */
static int fill_rtab_str(lh_batch *b, uint32_t r, size_t g, void *arg)
{
    const rtab *t = arg;
    lh_err e;
    lh_vector_set_i64(b->cols[0], r, t->id[g]);
    if (t->k[g] == TNULL)
        lh_vector_set_null(b->cols[1], r);
    else {
        char buf[64];
        int n = t->k[g] % 2 ? snprintf(buf, sizeof buf, "k%lld", (long long)t->k[g])
                            : snprintf(buf, sizeof buf, "a shared head --%lld-- and a tail", (long long)t->k[g]);
        assert_int_equal(lh_vector_set_str(b->cols[1], r, buf, (size_t)n, &b->arena, &e), LH_OK);
    }
    lh_vector_set_i64(b->cols[2], r, t->v[g]);
    return !t->drop[g];
}

static int str_keys;

static void rtab_make(rtab *t, size_t n, int64_t keys, int null_pct, int drop_mod)
{
    size_t i;
    t->n = n;
    t->id = malloc(n * sizeof *t->id);
    t->k = malloc(n * sizeof *t->k);
    t->v = malloc(n * sizeof *t->v);
    t->drop = malloc(n);
    assert_true(t->id && t->k && t->v && t->drop);
    for (i = 0; i < n; i++) {
        t->id[i] = (int64_t)i;
        t->k[i] = (int)(rnd() % 100) < null_pct ? TNULL : (int64_t)(rnd() % (uint64_t)keys);
        t->v[i] = (int64_t)(rnd() % 1000);
        t->drop[i] = drop_mod && i % (size_t)drop_mod == 3;
    }
}

static void rtab_free(rtab *t)
{
    free(t->id);
    free(t->k);
    free(t->v);
    free(t->drop);
}

typedef struct u64v {
    uint64_t *v;
    size_t n, cap;
} u64v;

static void u64_add(u64v *a, uint64_t x)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 1024;
        a->v = realloc(a->v, a->cap * sizeof *a->v);
        assert_non_null(a->v);
    }
    a->v[a->n++] = x;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

#define PAIR(l, r) ((((uint64_t)(uint32_t)((l) + 1)) << 32) | (uint32_t)((r) + 1))

/* join output ids (column 0 and, unless semi, column 3) as pairs; NULL id -> -1 */
static void drain_pairs(lh_op *j, int semi, u64v *out)
{
    lh_err e;
    memset(out, 0, sizeof *out);
    for (;;) {
        lh_batch *b;
        lh_rows rows;
        uint32_t k;
        assert_int_equal(lh_op_next(j, &b, &e), LH_OK);
        if (!b)
            break;
        rows = lh_batch_rows(b);
        assert_true(rows.n > 0);
        for (k = 0; k < rows.n; k++) {
            uint32_t r = rows.sel ? rows.sel[k] : k;
            int64_t a = lh_vector_get_valid(b->cols[0], r) ? lh_vector_get_i64(b->cols[0], r) : -1;
            int64_t c = semi ? -1 : lh_vector_get_valid(b->cols[3], r) ? lh_vector_get_i64(b->cols[3], r) : -1;
            u64_add(out, PAIR(a, c));
        }
    }
    if (out->n)
        qsort(out->v, out->n, sizeof *out->v, cmp_u64);
}

static void check_random(const rtab *l, const rtab *r, int residual, size_t lper, size_t rper)
{
    static const lh_join_kind kinds[] = {LH_J_INNER, LH_J_LEFT, LH_J_RIGHT, LH_J_FULL, LH_J_SEMI, LH_J_ANTI};
    static const uint32_t k1 = 1;
    lh_sqltype ts[3] = {BIGINT(), str_keys ? lh_sqltype_varchar(LH_SQL_UNBOUNDED) : BIGINT(), BIGINT()};
    tsrc_fill fill = str_keys ? fill_rtab_str : fill_rtab;
    uint32_t *ml = calloc(l->n, sizeof *ml), *mr = calloc(r->n, sizeof *mr);
    u64v pairs = {0}, want, got;
    size_t i, x, kk;
    assert_true(ml && mr);
    /* the nested-loop reference */
    for (i = 0; i < l->n; i++) {
        if (l->drop[i] || l->k[i] == TNULL)
            continue;
        for (x = 0; x < r->n; x++)
            if (!r->drop[x] && r->k[x] == l->k[i] && (!residual || l->v[i] < r->v[x])) {
                u64_add(&pairs, PAIR(i, x));
                ml[i]++;
                mr[x]++;
            }
    }
    for (kk = 0; kk < N(kinds); kk++) {
        lh_join_kind kind = kinds[kk];
        int semi = kind == LH_J_SEMI || kind == LH_J_ANTI;
        lh_op *j = NULL;
        lh_err e;
        memset(&want, 0, sizeof want);
        if (!semi)
            for (i = 0; i < pairs.n; i++)
                u64_add(&want, pairs.v[i]);
        for (i = 0; i < l->n; i++)
            if (!l->drop[i] && ((kind == LH_J_LEFT || kind == LH_J_FULL || kind == LH_J_ANTI) ? !ml[i]
                                : kind == LH_J_SEMI                                       ? ml[i] != 0
                                                                                          : 0))
                u64_add(&want, PAIR(i, -1));
        if (kind == LH_J_RIGHT || kind == LH_J_FULL)
            for (x = 0; x < r->n; x++)
                if (!r->drop[x] && !mr[x])
                    u64_add(&want, PAIR(-1, x));
        if (want.n)
            qsort(want.v, want.n, sizeof *want.v, cmp_u64);
        assert_int_equal(lh_op_hash_join(&ctx, tsrc_make(&ctx, ts, 3, l->n, (uint32_t)lper, fill, (void *)l),
                                         tsrc_make(&ctx, ts, 3, r->n, (uint32_t)rper, fill, (void *)r), kind,
                                         &k1, &k1, 1, residual ? res_cmp(LH_CMP_LT, 2, 5) : NULL, &j, &e),
                         LH_OK);
        drain_pairs(j, semi, &got);
        lh_op_free(j);
        assert_int_equal(got.n, want.n);
        if (want.n)
            assert_memory_equal(got.v, want.v, want.n * sizeof *want.v);
        free(got.v);
        free(want.v);
    }
    free(pairs.v);
    free(ml);
    free(mr);
}

static void test_random(void **state)
{
    rtab l, r;
    (void)state;
    rtab_make(&l, 100000, 3000, 5, 11);
    rtab_make(&r, 3000, 3000, 3, 7);
    check_random(&l, &r, 0, 1500, 700);
    check_random(&l, &r, 1, 2048, 2048);
    rtab_free(&l);
    rtab_free(&r);
    /* many duplicates: few keys on both sides */
    rtab_make(&l, 20000, 40, 2, 0);
    rtab_make(&r, 600, 40, 2, 5);
    check_random(&l, &r, 0, 1000, 128);
    check_random(&l, &r, 1, 1000, 128);
    rtab_free(&l);
    rtab_free(&r);
    /* varchar keys, inline and long */
    str_keys = 1;
    rtab_make(&l, 100000, 3000, 5, 13);
    rtab_make(&r, 3000, 3000, 3, 0);
    check_random(&l, &r, 0, 2000, 512);
    check_random(&l, &r, 1, 2000, 512);
    rtab_free(&l);
    rtab_free(&r);
    str_keys = 0;
}

/* nested loop (no keys) with a residual against the reference */
static void test_random_loop(void **state)
{
    static const lh_join_kind kinds[] = {LH_J_INNER, LH_J_LEFT, LH_J_RIGHT, LH_J_FULL, LH_J_SEMI, LH_J_ANTI};
    lh_sqltype ts[3] = {BIGINT(), BIGINT(), BIGINT()};
    rtab l, r;
    size_t kk, i, x;
    (void)state;
    rtab_make(&l, 700, 50, 0, 9);
    rtab_make(&r, 300, 50, 0, 0);
    for (kk = 0; kk < N(kinds); kk++) {
        lh_join_kind kind = kinds[kk];
        int semi = kind == LH_J_SEMI || kind == LH_J_ANTI;
        u64v want = {0}, got;
        uint32_t *ml = calloc(l.n, 4), *mr = calloc(r.n, 4);
        lh_op *j = NULL;
        lh_err e;
        assert_true(ml && mr);
        for (i = 0; i < l.n; i++)
            for (x = 0; x < r.n; x++)
                if (!l.drop[i] && l.v[i] < r.v[x] - 500) {
                    ml[i]++;
                    mr[x]++;
                    if (!semi)
                        u64_add(&want, PAIR(i, x));
                }
        for (i = 0; i < l.n; i++)
            if (!l.drop[i] && ((kind == LH_J_LEFT || kind == LH_J_FULL || kind == LH_J_ANTI) ? !ml[i]
                               : kind == LH_J_SEMI                                       ? ml[i] != 0
                                                                                         : 0))
                u64_add(&want, PAIR(i, -1));
        if (kind == LH_J_RIGHT || kind == LH_J_FULL)
            for (x = 0; x < r.n; x++)
                if (!mr[x])
                    u64_add(&want, PAIR(-1, x));
        if (want.n)
            qsort(want.v, want.n, sizeof *want.v, cmp_u64);
        /* residual l.v < r.v - 500 as: r.k2 > l.v where r's column 1 holds v - 500 */
        for (x = 0; x < r.n; x++)
            r.k[x] = r.v[x] - 500;
        assert_int_equal(lh_op_hash_join(&ctx, tsrc_make(&ctx, ts, 3, l.n, 256, fill_rtab, &l),
                                         tsrc_make(&ctx, ts, 3, r.n, 100, fill_rtab, &r), kind, NULL, NULL, 0,
                                         res_cmp(LH_CMP_LT, 2, 4), &j, &e),
                         LH_OK);
        drain_pairs(j, semi, &got);
        lh_op_free(j);
        assert_int_equal(got.n, want.n);
        if (want.n)
            assert_memory_equal(got.v, want.v, want.n * sizeof *want.v);
        free(got.v);
        free(want.v);
        free(ml);
        free(mr);
    }
    rtab_free(&l);
    rtab_free(&r);
}

static void test_memory_limit(void **state)
{
    static const uint32_t k0 = 0;
    size_t n = 200000, i;
    int64_t *v = malloc(n * 2 * sizeof *v);
    lh_op *j = NULL;
    lh_err e;
    lines got;
    (void)state;
    assert_non_null(v);
    for (i = 0; i < 2 * n; i++)
        v[i] = (int64_t)i;
    ctx.mem_limit = (size_t)1 << 20;
    assert_int_equal(lh_op_hash_join(&ctx, src_i64(&ctx, 2, 10, v, 10), src_i64(&ctx, 2, n, v, 2048), LH_J_INNER,
                                     &k0, &k0, 1, NULL, &j, &e),
                     LH_OK);
    assert_int_equal(drain_lines(j, &got, &e), LH_ELIMIT);
    assert_string_equal(e.msg, "HashJoin: memory limit of 1.0 MiB exceeded (raise it with --memory-limit, or narrow "
                               "the query)");
    assert_true(atomic_load(&ctx.mem_used) <= ctx.mem_limit);
    lines_free(&got);
    lh_op_free(j);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
    ctx.mem_limit = 0;
    free(v);
}

static void test_cancel(void **state)
{
    static const uint32_t k0 = 0;
    atomic_int flag;
    lh_op *j = NULL;
    lh_batch *b;
    lh_err e;
    (void)state;
    atomic_init(&flag, 1);
    ctx.interrupt = &flag;
    assert_int_equal(lh_op_hash_join(&ctx, src_i64(&ctx, 2, 5, L1, 2), src_i64(&ctx, 2, 5, R1, 2), LH_J_INNER, &k0,
                                     &k0, 1, NULL, &j, &e),
                     LH_OK);
    assert_int_equal(lh_op_next(j, &b, &e), LH_ECANCELLED);
    assert_string_equal(e.msg, "cancelled");
    ctx.interrupt = NULL;
    lh_op_free(j);
}

static void test_alloc_faults(void **state)
{
    static const uint32_t k0 = 0;
    static const char *const full[] = {"2|20|2|25",       "2|21|2|25",        "NULL|NULL|2|20",
                                       "NULL|NULL|3|10", "NULL|NULL|NULL|1", "NULL|NULL|4|1",
                                       "1|10|NULL|NULL", "NULL|30|NULL|NULL", "3|40|NULL|NULL"};
    static const lh_join_kind kinds[] = {LH_J_FULL, LH_J_SEMI};
    size_t kk;
    (void)state;
    for (kk = 0; kk < N(kinds); kk++) {
        long n;
        int ok = 0;
        for (n = 1; n < 400 && !ok; n++) {
            lh_op *l = src_i64(&ctx, 2, 5, L1, 2), *r = src_i64(&ctx, 2, 5, R2, 2), *j = NULL;
            lh_xexpr *res = res_cmp(LH_CMP_LT, 1, 3);
            lh_err e;
            lines got;
            lh_rc rc;
            memset(&got, 0, sizeof got);
            lh_fault_alloc_set(n);
            rc = lh_op_hash_join(&ctx, l, r, kinds[kk], &k0, &k0, 1, res, &j, &e);
            if (!rc)
                rc = drain_lines(j, &got, &e);
            lh_fault_alloc_set(0);
            if (rc) {
                assert_int_equal(rc, LH_ENOMEM);
                assert_true(strstr(e.msg, "out of memory") != NULL);
            } else {
                if (kinds[kk] == LH_J_FULL)
                    lines_expect(&got, full, N(full), 1);
                else
                    assert_int_equal(got.n, 2);
                ok = 1;
            }
            lines_free(&got);
            lh_op_free(j);
            assert_int_equal(atomic_load(&ctx.mem_used), 0);
        }
        assert_true(ok);
        assert_true(n > 10); /* the walk did fail allocations inside the join */
    }
}

/* the row store on its own: append with selections, CONST, NULL strings */
static void test_rowstore(void **state)
{
    lh_sqltype ts[2] = {BIGINT(), lh_sqltype_varchar(LH_SQL_UNBOUNDED)};
    lh_rowstore rs;
    lh_batch *b = NULL;
    lh_vector *out = NULL;
    lh_err e;
    uint16_t sel[2] = {1, 2};
    uint32_t idx[4] = {0, 1, LH_ROW_NONE, 2};
    lh_str s;
    (void)state;
    assert_int_equal(lh_rowstore_init(&rs, ts, 2, &ctx, "Test", &e), LH_OK);
    assert_int_equal(lh_batch_create(ts, 2, 0, &b, &e), LH_OK);
    lh_vector_set_const(b->cols[0], 0);
    lh_vector_set_i64(b->cols[0], 0, 42);
    assert_int_equal(lh_vector_set_str(b->cols[1], 0, "zero", 4, &b->arena, &e), LH_OK);
    lh_vector_set_null(b->cols[1], 1);
    assert_int_equal(lh_vector_set_str(b->cols[1], 2, "a string of twenty b", 20, &b->arena, &e), LH_OK);
    b->n = 3;
    lh_batch_select(b, sel, 2);
    assert_int_equal(lh_rowstore_append(&rs, b, lh_batch_rows(b), &e), LH_OK);
    assert_int_equal(lh_rowstore_append(&rs, b, lh_batch_rows(b), &e), LH_OK);
    assert_int_equal(rs.n, 4);
    lh_batch_free(b); /* the store kept its own copy */
    assert_int_equal(lh_vector_create(ts[1], 0, &out, &e), LH_OK);
    lh_rowstore_gather(&rs, 1, idx, 4, out, 0);
    assert_false(lh_vector_is_valid(out, 0));
    s = lh_vector_get_str(out, 1);
    assert_int_equal(lh_str_len(&s), 20);
    assert_memory_equal(lh_str_ptr(&s), "a string of twenty b", 20);
    assert_false(lh_vector_is_valid(out, 2));
    assert_false(lh_vector_is_valid(out, 3));
    assert_true(atomic_load(&ctx.mem_used) > 0);
    lh_vector_free(out);
    lh_rowstore_free(&rs);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_ctx, check_ctx)

int main(void)
{
#ifdef LH_TEST_FAKE_EXPR
    print_message("note: no exec/expr.c in this tree; residuals run on the test-only evaluator (fake_expr.h)\n");
#endif
    const struct CMUnitTest tests[] = {
        T(test_kinds),       T(test_null_aware),  T(test_empty_sides),        T(test_residual),
        T(test_cross),       T(test_explain),     T(test_multi_key_strings),  T(test_build_strings_copied),
        T(test_fanout),      T(test_const_dict),  T(test_key_types),          T(test_random),
        T(test_random_loop), T(test_memory_limit), T(test_cancel),            T(test_alloc_faults),
        T(test_rowstore),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
