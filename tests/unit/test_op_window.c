/* Unit tests: exec/op_window.c (lh_op_window) — ranking, value and
 * aggregate window functions on hand-made partitions over ROWS and RANGE
 * frames, Trino's examples, errors, EXPLAIN, memory limit, cancellation
 * and an allocation-fault walk (random data against a naive reference:
 * test_op_window_random.c). */
#include "window_test.h"
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
    { /* integer key + integer offset is integer arithmetic: Trino's overflow error */
        lh_sqltype ts[2] = {T(LH_SQL_INTEGER), T(LH_SQL_INTEGER)};
        int64_t cells[4] = {2147483647, 1, 5, 1};
        lh_sort_key k = K(0, 0, 0);
        lh_win_spec f = FR(AGG(LH_AGG_COUNT_STAR, NA, bi), 0, LH_FB_CURRENT_ROW, 0, LH_FB_FOLLOWING, 1);
        assert_int_equal(run(&ctx, ts, 2, cells, NULL, 2, 2, 0, NULL, 0, &k, 1, &f, 1, &r, &e), LH_EDATA);
        assert_string_equal(e.msg, "integer addition overflow: 2147483647 + 1");
        result_free(&r);
        ts[1] = T(LH_SQL_BIGINT); /* in bigint it fits */
        assert_int_equal(run(&ctx, ts, 2, cells, NULL, 2, 2, 0, NULL, 0, &k, 1, &f, 1, &r, &e), LH_OK);
        assert_int_equal(cell(&r, 1, 2)->i, 1);
        result_free(&r);
    }
    { /* real key, real offset: the bound is a real (0.1f + 0.2f), so 0.3f is inside */
        lh_sqltype ts[2] = {T(LH_SQL_REAL), T(LH_SQL_REAL)};
        int64_t cells[4] = {0, 0, 0, 0};
        double d[4] = {0.1f, 0.2f, 0.3f, 0.2f};
        lh_sort_key k = K(0, 0, 0);
        lh_win_spec f = FR(AGG(LH_AGG_COUNT_STAR, NA, bi), 0, LH_FB_CURRENT_ROW, 0, LH_FB_FOLLOWING, 1);
        assert_int_equal(run(&ctx, ts, 2, cells, d, 2, 2, 0, NULL, 0, &k, 1, &f, 1, &r, &e), LH_OK);
        assert_int_equal(cell(&r, 0, 2)->i, (float)(0.1f + 0.2f) >= 0.3f ? 2 : 1);
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

/* count_if, bool_and/or, arbitrary, min_by/max_by (first of ties), and
 * variance/stddev of doubles (Welford; a sliding frame recomputes). */
static void test_more_aggregates(void **state)
{
    lh_exec_ctx ctx;
    lh_sqltype ts[5] = {T(LH_SQL_BIGINT), T(LH_SQL_DOUBLE), T(LH_SQL_BOOLEAN), T(LH_SQL_INTEGER), T(LH_SQL_BIGINT)};
    int64_t cells[30] = {1, 0, 1, 5, 1, 2, 0, 0, 3, 1, 3, NUL, NUL, 3, 1, 4, 0, 1, NUL, 1, 5, 0, 1, 1, 1, 6, 0, NUL, 9, 1};
    double d[30] = {0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 8, 0, 0, 0, 0, 16, 0, 0, 0};
    lh_sort_key k = K(0, 0, 0);
    lh_sqltype db = T(LH_SQL_DOUBLE), bo = T(LH_SQL_BOOLEAN), bi = T(LH_SQL_BIGINT);
    lh_win_spec f[11] = {
        FR(AGG(LH_AGG_STDDEV_SAMP, 1, db), 1, LH_FB_PRECEDING, 4, LH_FB_CURRENT_ROW, 0),
        FR(AGG(LH_AGG_VAR_POP, 1, db), 1, LH_FB_UNBOUNDED_PRECEDING, 0, LH_FB_UNBOUNDED_FOLLOWING, 0),
        AGG(LH_AGG_BOOL_AND, 2, bo),
        AGG(LH_AGG_BOOL_OR, 2, bo),
        FR(AGG(LH_AGG_BOOL_AND, 2, bo), 1, LH_FB_CURRENT_ROW, 0, LH_FB_UNBOUNDED_FOLLOWING, 0),
        FR(AGG(LH_AGG_COUNT_IF, 2, bi), 1, LH_FB_UNBOUNDED_PRECEDING, 0, LH_FB_UNBOUNDED_FOLLOWING, 0),
        FR(AGG(LH_AGG_MIN_BY, 1, db), 1, LH_FB_UNBOUNDED_PRECEDING, 0, LH_FB_UNBOUNDED_FOLLOWING, 0),
        FR(AGG(LH_AGG_MAX_BY, 1, db), 1, LH_FB_UNBOUNDED_PRECEDING, 0, LH_FB_UNBOUNDED_FOLLOWING, 0),
        AGG(LH_AGG_MIN_BY, 1, db),
        FR(AGG(LH_AGG_ARBITRARY, 1, db), 1, LH_FB_CURRENT_ROW, 0, LH_FB_UNBOUNDED_FOLLOWING, 0),
        FR(AGG(LH_AGG_GEOMEAN, 1, db), 1, LH_FB_PRECEDING, 4, LH_FB_CURRENT_ROW, 0),
    };
    result r;
    lh_err e;
    int i;
    (void)state;
    for (i = 6; i <= 8; i++)
        f[i].agg.arg[1] = 3;
    lh_exec_ctx_init(&ctx);
    assert_int_equal(run(&ctx, ts, 5, cells, d, 6, 4, 1, NULL, 0, &k, 1, f, 11, &r, &e), LH_OK);
    {
        double sd[6] = {0, 0.70710678118654757, 0, 0, 2.8284271247461903, 5.6568542494923806};
        int sd_null[6] = {1, 0, 1, 1, 0, 0};
        int64_t band[6] = {1, 0, 0, 0, 0, 0}, bor[6] = {1, 1, 1, 1, 1, 1}, band_rest[6] = {0, 0, 1, 1, 1, NUL};
        int64_t cif[6] = {3, 3, 3, 3, 3, 3};
        double minby_run[6] = {1, 2, 2, 2, 8, 8}, arb[6] = {1, 2, 4, 4, 8, 16};
        for (i = 0; i < 6; i++) {
            assert_int_equal(cell(&r, (size_t)i, 5)->null, sd_null[i]);
            if (!sd_null[i])
                assert_true(fabs(cell(&r, (size_t)i, 5)->d - sd[i]) < 1e-12);
            assert_true(fabs(cell(&r, (size_t)i, 6)->d - 29.76) < 1e-9);
            assert_true(cell(&r, (size_t)i, 11)->d == 8.0);
            assert_true(cell(&r, (size_t)i, 12)->d == 16.0);
            assert_true(cell(&r, (size_t)i, 13)->d == minby_run[i]);
            assert_true(cell(&r, (size_t)i, 14)->d == arb[i]);
            /* geometric_mean over ROWS 1 PRECEDING: sqrt(1*2), 2, 4, sqrt(32), sqrt(128) */
            if (i == 0)
                assert_true(fabs(cell(&r, 0, 15)->d - 1.0) < 1e-12);
            if (i == 1)
                assert_true(fabs(cell(&r, 1, 15)->d - sqrt(2.0)) < 1e-12);
            if (i == 4)
                assert_true(fabs(cell(&r, 4, 15)->d - sqrt(32.0)) < 1e-12);
            if (i == 5)
                assert_true(fabs(cell(&r, 5, 15)->d - sqrt(128.0)) < 1e-12);
        }
        expect_i64(&r, 7, band, 6);
        expect_i64(&r, 8, bor, 6);
        expect_i64(&r, 9, band_rest, 6);
        expect_i64(&r, 10, cif, 6);
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
    f = AGG(LH_AGG_CORR, 1, T(LH_SQL_DOUBLE));
    f.agg.arg[1] = 0;
    assert_int_equal(lh_op_window(&ctx, src_table(&ctx, ts, 2, NULL, NULL, 0, 1, 0), NULL, 0, ord, 1, &f, 1, &w, &e),
                     LH_EUNSUPPORTED);
    assert_string_equal(e.msg, "corr() is not supported as a window function yet");
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
    /* cancelled after the input is read: the sort's own check stops it */
    {
        lh_op *src = src_table(&ctx, ts, 3, cells, NULL, 20000, LH_BATCH, 0), *w;
        lh_batch *out;
        atomic_store(&stop, 0);
        ((srcop *)src)->stop_at_end = &stop;
        assert_int_equal(lh_op_window(&ctx, src, part, 1, ord, 1, &f, 1, &w, &e), LH_OK);
        assert_int_equal(lh_op_next(w, &out, &e), LH_ECANCELLED);
        assert_null(out);
        lh_op_free(w);
        assert_int_equal(atomic_load(&ctx.mem_used), 0);
    }
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
        cmocka_unit_test(test_more_aggregates),
        cmocka_unit_test(test_const_dict_inputs),
        cmocka_unit_test(test_construction_errors),
        cmocka_unit_test(test_explain_empty),
        cmocka_unit_test(test_memory_limit_and_cancel),
        cmocka_unit_test(test_alloc_faults),
    };
    if (getenv("LH_TEST_FILTER")) /* run one test: LH_TEST_FILTER=test_alloc_faults */
        cmocka_set_test_filter(getenv("LH_TEST_FILTER"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
