/* Unit tests: exec/op_agg.c (hash aggregate), agg_fns.c (every aggregate
 * kind), grouptab.c (the group table). */
#include "testutil.h"

#include <math.h>

#include "exec/decimal.h"
#include "exec/operator.h"

/* ---- a test-only source operator: one batch, reset and refilled per pull ---- */
#include "fill_src.h"

static lh_agg_spec AG(lh_agg_kind k, uint32_t a0, uint32_t a1, lh_sqltype ret)
{
    lh_agg_spec s;
    memset(&s, 0, sizeof s);
    s.kind = k;
    s.arg[0] = a0;
    s.arg[1] = a1;
    s.filter = LH_AGG_NO_ARG;
    s.ret = ret;
    return s;
}

#define NA LH_AGG_NO_ARG

static void near(const cell *c, double want)
{
    assert_false(c->null);
    if (isnan(want)) {
        assert_true(isnan(c->d));
        return;
    }
    if (fabs(c->d - want) > 1e-12 * fmax(1, fabs(want))) {
        print_message("got %.17g want %.17g\n", c->d, want);
        fail();
    }
}

static lh_sqltype T(lh_sqltype_id id) { return lh_sqltype_of(id); }

/* Build source -> aggregate, drain it into r; returns rc (the operator is freed). */
static lh_rc run(lh_exec_ctx *ctx, lh_op *src, const uint32_t *keys, size_t nkeys, const lh_agg_spec *aggs,
                 size_t naggs, res *r, lh_err *err)
{
    lh_op *agg = NULL;
    lh_rc rc = lh_op_hash_agg(ctx, src, keys, nkeys, aggs, naggs, &agg, err);
    memset(r, 0, sizeof *r);
    if (rc)
        return rc;
    rc = drain(agg, r, err);
    lh_op_free(agg);
    return rc;
}

static uint64_t rng_state;
static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* ---- 1. grouped aggregates over 100,000 random rows, against a reference ---- */

#define NR 100000
#define NK 500
typedef struct rand_data {
    int64_t k[NR];
    int kn[NR];
    int32_t x[NR];
    int xn[NR];
    double d[NR];
    char s[NR][24];
} rand_data;

static int row_live(uint64_t row) { return row % 5 != 3; }

static lh_rc fill_rand(void *u, lh_batch *b, uint64_t row0, uint32_t n, lh_err *err)
{
    rand_data *D = u;
    uint16_t sel[LH_BATCH];
    uint32_t i, ns = 0;
    lh_rc rc;
    for (i = 0; i < n; i++) {
        uint64_t r = row0 + i;
        if (D->kn[r])
            lh_vector_set_null(b->cols[0], i);
        else
            lh_vector_set_i64(b->cols[0], i, D->k[r]);
        if (D->xn[r])
            lh_vector_set_null(b->cols[1], i);
        else
            lh_vector_set_i64(b->cols[1], i, D->x[r]);
        lh_vector_set_f64(b->cols[2], i, D->d[r]);
        if ((rc = lh_vector_set_str(b->cols[3], i, D->s[r], strlen(D->s[r]), &b->arena, err)))
            return rc;
        if (row_live(r))
            sel[ns++] = (uint16_t)i;
    }
    lh_batch_select(b, sel, ns);
    return LH_OK;
}

static void test_grouped_random(void **state)
{
    static rand_data D;
    static int64_t cnt[NK + 1], cx[NK + 1], sx[NK + 1], mn[NK + 1], mx[NK + 1];
    static double sd[NK + 1];
    static char smin[NK + 1][24], smax[NK + 1][24];
    static int seen[NK + 1];
    lh_sqltype ts[4] = {T(LH_SQL_BIGINT), T(LH_SQL_INTEGER), T(LH_SQL_DOUBLE), lh_sqltype_varchar(LH_SQL_UNBOUNDED)};
    lh_agg_spec ag[9] = {AG(LH_AGG_COUNT_STAR, NA, NA, T(LH_SQL_BIGINT)), AG(LH_AGG_COUNT, 1, NA, T(LH_SQL_BIGINT)),
                         AG(LH_AGG_SUM, 1, NA, T(LH_SQL_BIGINT)),       AG(LH_AGG_MIN, 1, NA, T(LH_SQL_INTEGER)),
                         AG(LH_AGG_MAX, 1, NA, T(LH_SQL_INTEGER)),      AG(LH_AGG_AVG, 1, NA, T(LH_SQL_DOUBLE)),
                         AG(LH_AGG_SUM, 2, NA, T(LH_SQL_DOUBLE)),       AG(LH_AGG_MIN, 3, NA, ts[3]),
                         AG(LH_AGG_MAX, 3, NA, ts[3])};
    uint32_t key = 0, i, ngroups = 0;
    lh_exec_ctx ctx;
    res r;
    lh_err e;
    size_t row;
    (void)state;
    lh_exec_ctx_init(&ctx);
    rng_state = 0x1234567;
    memset(seen, 0, sizeof seen);
    for (i = 0; i < NR; i++) {
        D.kn[i] = rnd() % 97 == 0;
        D.k[i] = (int64_t)(rnd() % NK) - 100; /* negative keys too */
        D.xn[i] = rnd() % 13 == 0;
        D.x[i] = (int32_t)(rnd() % 2000001) - 1000000;
        D.d[i] = (double)(int64_t)(rnd() % 1000) / 8.0;
        snprintf(D.s[i], sizeof D.s[i], "str-%llu-long-enough", (unsigned long long)(rnd() % 100000));
    }
    for (i = 0; i < NR; i++) {
        uint32_t g;
        if (!row_live(i))
            continue;
        g = D.kn[i] ? NK : (uint32_t)(D.k[i] + 100);
        if (!seen[g]) {
            seen[g] = 1;
            ngroups++;
            mn[g] = INT64_MAX;
            mx[g] = INT64_MIN;
            strcpy(smin[g], D.s[i]);
            strcpy(smax[g], D.s[i]);
        }
        cnt[g]++;
        sd[g] += D.d[i];
        if (strcmp(D.s[i], smin[g]) < 0)
            strcpy(smin[g], D.s[i]);
        if (strcmp(D.s[i], smax[g]) > 0)
            strcpy(smax[g], D.s[i]);
        if (D.xn[i])
            continue;
        cx[g]++;
        sx[g] += D.x[i];
        if (D.x[i] < mn[g])
            mn[g] = D.x[i];
        if (D.x[i] > mx[g])
            mx[g] = D.x[i];
    }
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 4, NR, 1500, fill_rand, &D), &key, 1, ag, 9, &r, &e), LH_OK);
    assert_int_equal(r.nrows, ngroups);
    assert_int_equal(r.ncols, 10);
    for (row = 0; row < r.nrows; row++) {
        cell *k = at(&r, row, 0);
        uint32_t g = k->null ? NK : (uint32_t)(k->i + 100);
        assert_true(g <= NK && seen[g]);
        seen[g] = 2; /* each group once */
        assert_int_equal(at(&r, row, 1)->i, cnt[g]);
        assert_int_equal(at(&r, row, 2)->i, cx[g]);
        assert_int_equal(at(&r, row, 3)->i, sx[g]);
        assert_int_equal(at(&r, row, 4)->i, mn[g]);
        assert_int_equal(at(&r, row, 5)->i, mx[g]);
        assert_true(at(&r, row, 6)->d == (double)sx[g] / (double)cx[g]);
        assert_true(at(&r, row, 7)->d == sd[g]);
        assert_string_equal(at(&r, row, 8)->s, smin[g]);
        assert_string_equal(at(&r, row, 9)->s, smax[g]);
    }
    for (i = 0; i <= NK; i++)
        assert_true(seen[i] == 0 || seen[i] == 2);
    free(r.c);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
}

/* ---- 2. global aggregates: one row, even over nothing ---- */

static lh_rc fill_none(void *u, lh_batch *b, uint64_t row0, uint32_t n, lh_err *err)
{
    (void)u, (void)b, (void)row0, (void)n, (void)err;
    return LH_OK;
}

static void test_global_empty(void **state)
{
    lh_sqltype ts[3] = {T(LH_SQL_BIGINT), T(LH_SQL_DOUBLE), T(LH_SQL_BOOLEAN)};
    lh_agg_spec ag[] = {
        AG(LH_AGG_COUNT_STAR, NA, NA, T(LH_SQL_BIGINT)),   AG(LH_AGG_COUNT, 0, NA, T(LH_SQL_BIGINT)),
        AG(LH_AGG_COUNT_IF, 2, NA, T(LH_SQL_BIGINT)),      AG(LH_AGG_APPROX_DISTINCT, 0, NA, T(LH_SQL_BIGINT)),
        AG(LH_AGG_SUM, 0, NA, T(LH_SQL_BIGINT)),           AG(LH_AGG_AVG, 1, NA, T(LH_SQL_DOUBLE)),
        AG(LH_AGG_MIN, 0, NA, T(LH_SQL_BIGINT)),           AG(LH_AGG_MAX_BY, 0, 1, T(LH_SQL_BIGINT)),
        AG(LH_AGG_BOOL_AND, 2, NA, T(LH_SQL_BOOLEAN)),     AG(LH_AGG_ARBITRARY, 1, NA, T(LH_SQL_DOUBLE)),
        AG(LH_AGG_STDDEV_POP, 1, NA, T(LH_SQL_DOUBLE)),    AG(LH_AGG_CORR, 1, 0, T(LH_SQL_DOUBLE)),
        AG(LH_AGG_GEOMEAN, 1, NA, T(LH_SQL_DOUBLE)),       AG(LH_AGG_APPROX_PERCENTILE, 0, 1, T(LH_SQL_BIGINT)),
    };
    size_t na = sizeof ag / sizeof ag[0], i;
    lh_exec_ctx ctx;
    res r;
    lh_err e;
    (void)state;
    lh_exec_ctx_init(&ctx);
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 3, 0, 100, fill_none, NULL), NULL, 0, ag, na, &r, &e), LH_OK);
    assert_int_equal(r.nrows, 1);
    for (i = 0; i < na; i++) {
        if (i < 4) {
            assert_false(at(&r, 0, (uint32_t)i)->null);
            assert_int_equal(at(&r, 0, (uint32_t)i)->i, 0);
        } else {
            assert_true(at(&r, 0, (uint32_t)i)->null);
        }
    }
    free(r.c);
    /* grouped over nothing: no row at all */
    {
        uint32_t k = 0;
        assert_int_equal(run(&ctx, mk_src(&ctx, ts, 3, 0, 100, fill_none, NULL), &k, 1, ag, 2, &r, &e), LH_OK);
        assert_int_equal(r.nrows, 0);
        free(r.c);
    }
}

/* ---- 3. long string keys survive the source's batch reset ---- */

static lh_rc fill_strkeys(void *u, lh_batch *b, uint64_t row0, uint32_t n, lh_err *err)
{
    uint32_t i;
    lh_rc rc;
    (void)u;
    for (i = 0; i < n; i++) {
        uint64_t r = row0 + i;
        char k[64], v[64];
        int kl = snprintf(k, sizeof k, "customer-name-number-%03u", (unsigned)(r % 37));
        int vl = snprintf(v, sizeof v, "value-longer-than-twelve-%06u", (unsigned)((r * 7919) % 100003));
        if ((rc = lh_vector_set_str(b->cols[0], i, k, (size_t)kl, &b->arena, err)) ||
            (rc = lh_vector_set_str(b->cols[1], i, v, (size_t)vl, &b->arena, err)))
            return rc;
        lh_vector_set_i64(b->cols[2], i, (int64_t)((r * 31) % 1009));
        if (r % 11 == 0)
            lh_vector_set_null(b->cols[1], i);
    }
    return LH_OK;
}

static void test_string_keys(void **state)
{
    lh_sqltype vc = lh_sqltype_varchar(LH_SQL_UNBOUNDED), ts[3] = {vc, vc, T(LH_SQL_BIGINT)};
    lh_agg_spec ag[] = {AG(LH_AGG_COUNT_STAR, NA, NA, T(LH_SQL_BIGINT)), AG(LH_AGG_MIN, 1, NA, vc),
                        AG(LH_AGG_MAX, 1, NA, vc),                      AG(LH_AGG_ARBITRARY, 1, NA, vc),
                        AG(LH_AGG_MIN_BY, 1, 2, vc),                    AG(LH_AGG_MAX_BY, 2, 1, T(LH_SQL_BIGINT))};
    uint32_t key = 0, g;
    lh_exec_ctx ctx;
    res r;
    lh_err e;
    size_t row;
    uint64_t n = 20000, i;
    int seen[37] = {0};
    (void)state;
    lh_exec_ctx_init(&ctx);
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 3, n, 777, fill_strkeys, NULL), &key, 1, ag, 6, &r, &e), LH_OK);
    assert_int_equal(r.nrows, 37);
    for (row = 0; row < r.nrows; row++) {
        char kbuf[64], best_min[64] = "", best_max[64] = "", mb[64] = "", xb_at_maxy[64] = "";
        int64_t cnt = 0, miny = INT64_MAX, maxy_x = -1;
        char maxv[64] = "";
        assert_int_equal(sscanf(at(&r, row, 0)->s, "customer-name-number-%u", &g), 1);
        assert_true(g < 37 && !seen[g]);
        seen[g] = 1;
        snprintf(kbuf, sizeof kbuf, "customer-name-number-%03u", g);
        assert_string_equal(at(&r, row, 0)->s, kbuf);
        for (i = g; i < n; i += 37) {
            char v[64];
            int64_t y = (int64_t)((i * 31) % 1009);
            snprintf(v, sizeof v, "value-longer-than-twelve-%06u", (unsigned)((i * 7919) % 100003));
            cnt++;
            if (i % 11 == 0)
                continue; /* NULL value */
            if (!best_min[0] || strcmp(v, best_min) < 0)
                strcpy(best_min, v);
            if (strcmp(v, best_max) > 0)
                strcpy(best_max, v);
            if (y < miny) {
                miny = y;
                strcpy(mb, v);
            }
            if (strcmp(v, maxv) > 0) {
                strcpy(maxv, v);
                maxy_x = y;
            }
        }
        (void)xb_at_maxy;
        assert_int_equal(at(&r, row, 1)->i, cnt);
        assert_string_equal(at(&r, row, 2)->s, best_min);
        assert_string_equal(at(&r, row, 3)->s, best_max);
        assert_false(at(&r, row, 4)->null);
        assert_int_equal(strncmp(at(&r, row, 4)->s, "value-longer-than-twelve-", 25), 0);
        /* min_by(value, y): rows with NULL value still compete on y; the winner's value may be NULL */
        {
            int64_t ym = INT64_MAX;
            uint64_t wi = 0;
            for (i = g; i < n; i += 37) {
                int64_t y = (int64_t)((i * 31) % 1009);
                if (y < ym) {
                    ym = y;
                    wi = i;
                }
            }
            if (wi % 11 == 0)
                assert_true(at(&r, row, 5)->null);
            else {
                char v[64];
                snprintf(v, sizeof v, "value-longer-than-twelve-%06u", (unsigned)((wi * 7919) % 100003));
                assert_string_equal(at(&r, row, 5)->s, v);
            }
        }
        assert_int_equal(at(&r, row, 6)->i, maxy_x); /* max_by(y, value): NULL values ignored */
        (void)mb;
    }
    free(r.c);
}

/* ---- 4. NULL keys group together; -0.0 = 0.0, NaN = NaN ---- */

typedef struct kv {
    int an, bn;
    int64_t a;
    double b;
} kv;
static const kv KV[] = {
    {1, 0, 0, 1.0}, {1, 1, 0, 0}, {0, 0, 5, 0.0}, {0, 0, 5, -0.0}, {1, 0, 0, 1.0}, {0, 0, 5, NAN},
    {0, 0, 5, -NAN}, {1, 1, 0, 0}, {0, 1, 5, 0}, {0, 0, 5, 0.0}, {0, 1, 5, 0}, {0, 0, 6, NAN},
};

static lh_rc fill_kv(void *u, lh_batch *b, uint64_t row0, uint32_t n, lh_err *err)
{
    uint32_t i;
    (void)u, (void)err;
    for (i = 0; i < n; i++) {
        const kv *k = &KV[(row0 + i) % 12];
        if (k->an)
            lh_vector_set_null(b->cols[0], i);
        else
            lh_vector_set_i64(b->cols[0], i, k->a);
        if (k->bn)
            lh_vector_set_null(b->cols[1], i);
        else
            lh_vector_set_f64(b->cols[1], i, k->b);
    }
    return LH_OK;
}

static void test_null_keys(void **state)
{
    lh_sqltype ts[2] = {T(LH_SQL_SMALLINT), T(LH_SQL_DOUBLE)};
    lh_agg_spec ag[] = {AG(LH_AGG_COUNT_STAR, NA, NA, T(LH_SQL_BIGINT)), AG(LH_AGG_COUNT, 1, NA, T(LH_SQL_BIGINT))};
    uint32_t keys[2] = {0, 1};
    lh_exec_ctx ctx;
    res r;
    lh_err e;
    size_t row;
    int found = 0;
    (void)state;
    lh_exec_ctx_init(&ctx);
    /* 1,200 rows in batches of 5: groups (NULL,1.0) (NULL,NULL) (5,0) (5,NaN) (5,NULL) (6,NaN) */
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 2, 1200, 5, fill_kv, NULL), keys, 2, ag, 2, &r, &e), LH_OK);
    assert_int_equal(r.nrows, 6);
    for (row = 0; row < r.nrows; row++) {
        cell *a = at(&r, row, 0), *b = at(&r, row, 1);
        int64_t c = at(&r, row, 2)->i, cb = at(&r, row, 3)->i;
        if (a->null && !b->null) {
            assert_true(b->d == 1.0);
            assert_int_equal(c, 200);
            assert_int_equal(cb, 200);
        } else if (a->null) {
            assert_int_equal(c, 200);
            assert_int_equal(cb, 0);
        } else if (a->i == 5 && !b->null && b->d == 0) {
            assert_int_equal(c, 300);
        } else if (a->i == 5 && !b->null) {
            assert_true(isnan(b->d));
            assert_int_equal(c, 200);
        } else if (a->i == 5) {
            assert_int_equal(c, 200);
            assert_int_equal(cb, 0);
        } else {
            assert_int_equal(a->i, 6);
            assert_true(isnan(b->d));
            assert_int_equal(c, 100);
        }
        found++;
    }
    assert_int_equal(found, 6);
    free(r.c);
}

/* many groups: the slot array and every state array grow and rehash many times */
static lh_rc fill_many(void *u, lh_batch *b, uint64_t row0, uint32_t n, lh_err *err)
{
    uint32_t i;
    lh_rc rc;
    (void)u;
    for (i = 0; i < n; i++) {
        uint64_t r = row0 + i, k = (r * 7919) % 150000;
        char s[40];
        int sl = snprintf(s, sizeof s, "group-key-%07llu", (unsigned long long)k);
        if ((rc = lh_vector_set_str(b->cols[0], i, s, (size_t)sl, &b->arena, err)))
            return rc;
        lh_vector_set_i64(b->cols[1], i, (int64_t)r);
    }
    return LH_OK;
}

static void test_many_groups(void **state)
{
    lh_sqltype ts[2] = {lh_sqltype_varchar(LH_SQL_UNBOUNDED), T(LH_SQL_BIGINT)};
    lh_agg_spec ag[3] = {AG(LH_AGG_COUNT_STAR, NA, NA, T(LH_SQL_BIGINT)), AG(LH_AGG_SUM, 1, NA, T(LH_SQL_BIGINT)),
                         AG(LH_AGG_MIN, 1, NA, T(LH_SQL_BIGINT))};
    static int64_t sum[150000], mn[150000];
    static char seen[150000];
    uint32_t key = 0;
    uint64_t i;
    size_t row;
    lh_exec_ctx ctx;
    res r;
    lh_err e;
    (void)state;
    lh_exec_ctx_init(&ctx);
    for (i = 0; i < 150000; i++)
        mn[i] = INT64_MAX;
    for (i = 0; i < 300000; i++) {
        uint64_t k = (i * 7919) % 150000;
        sum[k] += (int64_t)i;
        if ((int64_t)i < mn[k])
            mn[k] = (int64_t)i;
    }
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 2, 300000, 2048, fill_many, NULL), &key, 1, ag, 3, &r, &e), LH_OK);
    assert_int_equal(r.nrows, 150000);
    for (row = 0; row < r.nrows; row++) {
        unsigned long long k;
        assert_int_equal(sscanf(at(&r, row, 0)->s, "group-key-%llu", &k), 1);
        assert_true(k < 150000 && !seen[k]);
        seen[k] = 1;
        assert_int_equal(at(&r, row, 1)->i, 2);
        assert_int_equal(at(&r, row, 2)->i, sum[k]);
        assert_int_equal(at(&r, row, 3)->i, mn[k]);
    }
    free(r.c);
}

/* keys of other layouts: tstz groups by instant, long decimals, booleans, inline strings */
static lh_rc fill_keytypes(void *u, lh_batch *b, uint64_t row0, uint32_t n, lh_err *err)
{
    uint32_t i;
    lh_rc rc;
    (void)u;
    for (i = 0; i < n; i++) {
        uint64_t r = row0 + i;
        lh_tstz t;
        char s[8];
        t.utc_us = (int64_t)(r % 3) * 1000000;
        t.zone = (int32_t)(r % 5); /* same instant, other zones: one group */
        lh_vector_set_tstz(b->cols[0], i, t);
        lh_vector_set_i128(b->cols[1], i, (lh_i128)(r % 2) * lh_dec_pow10(30) - 1);
        lh_vector_set_bool(b->cols[2], i, r % 4 < 2);
        snprintf(s, sizeof s, "k%d", (int)(r % 2));
        if ((rc = lh_vector_set_str(b->cols[3], i, s, strlen(s), &b->arena, err)))
            return rc;
    }
    return LH_OK;
}

static void test_key_types(void **state)
{
    lh_sqltype ts[4] = {lh_sqltype_timestamp_tz(3), lh_sqltype_decimal(38, 0), T(LH_SQL_BOOLEAN), lh_sqltype_char(2)};
    lh_agg_spec ag[1] = {AG(LH_AGG_COUNT_STAR, NA, NA, T(LH_SQL_BIGINT))};
    uint32_t k0 = 0, k123[3] = {1, 2, 3};
    lh_exec_ctx ctx;
    res r;
    lh_err e;
    size_t row;
    (void)state;
    lh_exec_ctx_init(&ctx);
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 4, 600, 100, fill_keytypes, NULL), &k0, 1, ag, 1, &r, &e), LH_OK);
    assert_int_equal(r.nrows, 3);
    for (row = 0; row < 3; row++)
        assert_int_equal(at(&r, row, 1)->i, 200);
    free(r.c);
    /* (decimal, boolean, char): r % 2 decides decimal and string, r % 4 < 2 the boolean: 4 groups */
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 4, 600, 100, fill_keytypes, NULL), k123, 3, ag, 1, &r, &e), LH_OK);
    assert_int_equal(r.nrows, 4);
    for (row = 0; row < 4; row++) {
        int odd = at(&r, row, 0)->q != -1;
        assert_true(at(&r, row, 0)->q == (odd ? lh_dec_pow10(30) - 1 : -1));
        assert_string_equal(at(&r, row, 2)->s, odd ? "k1" : "k0");
        assert_int_equal(at(&r, row, 3)->i, 150);
    }
    free(r.c);
}

/* ---- 5. sum overflow raises Trino's error ---- */

static const int64_t *g_vals;
static const int *g_nulls;

static lh_rc fill_vals(void *u, lh_batch *b, uint64_t row0, uint32_t n, lh_err *err)
{
    uint32_t i, c = u ? *(const uint32_t *)u : 1, k;
    (void)err;
    for (i = 0; i < n; i++)
        for (k = 0; k < c; k++) {
            if (g_nulls && g_nulls[(row0 + i) * c + k])
                lh_vector_set_null(b->cols[k], i);
            else if (b->cols[k]->phys == LH_P_F64 || b->cols[k]->phys == LH_P_F32)
                lh_vector_set_f64(b->cols[k], i, (double)g_vals[(row0 + i) * c + k]);
            else if (b->cols[k]->phys == LH_P_I128)
                lh_vector_set_i128(b->cols[k], i, g_vals[(row0 + i) * c + k]);
            else if (b->cols[k]->phys == LH_P_U8)
                lh_vector_set_bool(b->cols[k], i, (int)g_vals[(row0 + i) * c + k]);
            else
                lh_vector_set_i64(b->cols[k], i, g_vals[(row0 + i) * c + k]);
        }
    return LH_OK;
}

static void test_sum_overflow(void **state)
{
    static const int64_t v[] = {INT64_MAX - 5, 3, 2, 1, 7};
    lh_sqltype ts[1] = {T(LH_SQL_BIGINT)};
    lh_agg_spec ag[1] = {AG(LH_AGG_SUM, 0, NA, T(LH_SQL_BIGINT))};
    lh_exec_ctx ctx;
    res r;
    lh_err e;
    (void)state;
    lh_exec_ctx_init(&ctx);
    g_vals = v;
    g_nulls = NULL;
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 1, 5, 2, fill_vals, NULL), NULL, 0, ag, 1, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "bigint addition overflow: 9223372036854775807 + 1");
    free(r.c);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
    /* to the limit exactly: fine; negative side too */
    {
        static const int64_t w[] = {INT64_MAX - 5, 3, 2, INT64_MIN, -1, -1};
        g_vals = w;
        assert_int_equal(run(&ctx, mk_src(&ctx, ts, 1, 3, 2, fill_vals, NULL), NULL, 0, ag, 1, &r, &e), LH_OK);
        assert_true(at(&r, 0, 0)->i == INT64_MAX);
        free(r.c);
        g_vals = w + 3;
        assert_int_equal(run(&ctx, mk_src(&ctx, ts, 1, 2, 2, fill_vals, NULL), NULL, 0, ag, 1, &r, &e), LH_EDATA);
        assert_string_equal(e.msg, "bigint addition overflow: -9223372036854775808 + -1");
        free(r.c);
    }
    /* integer input sums into bigint without overflowing at 2^31 */
    {
        static const int64_t x[] = {2147483647, 2147483647, 2147483647};
        lh_sqltype ti[1] = {T(LH_SQL_INTEGER)};
        g_vals = x;
        assert_int_equal(run(&ctx, mk_src(&ctx, ti, 1, 3, 2, fill_vals, NULL), NULL, 0, ag, 1, &r, &e), LH_OK);
        assert_true(at(&r, 0, 0)->i == 3LL * 2147483647);
        free(r.c);
    }
}

/* ---- 6. decimals: exact sums, avg HALF_UP, overflow ---- */

static lh_i128 g_big;
static int g_big_neg; /* 0: all +big, 1: all -big, 2: alternating from +big */

static lh_rc fill_bigdec(void *u, lh_batch *b, uint64_t row0, uint32_t n, lh_err *err)
{
    uint32_t i;
    (void)u, (void)err;
    for (i = 0; i < n; i++) {
        int neg = g_big_neg == 1 || (g_big_neg == 2 && (row0 + i) % 2 == 1);
        lh_vector_set_i128(b->cols[0], i, neg ? -g_big : g_big);
    }
    return LH_OK;
}

static void test_decimal(void **state)
{
    lh_sqltype d52 = lh_sqltype_decimal(5, 2), d382 = lh_sqltype_decimal(38, 2), d380 = lh_sqltype_decimal(38, 0);
    lh_agg_spec ag[2] = {AG(LH_AGG_SUM, 0, NA, d382), AG(LH_AGG_AVG, 0, NA, d52)};
    lh_exec_ctx ctx;
    res r;
    lh_err e;
    (void)state;
    lh_exec_ctx_init(&ctx);
    g_nulls = NULL;
    {
        static const int64_t v[] = {100, 200, 200}; /* 1.00 2.00 2.00: avg 1.666.. -> 1.67 */
        g_vals = v;
        assert_int_equal(run(&ctx, mk_src(&ctx, &d52, 1, 3, 2, fill_vals, NULL), NULL, 0, ag, 2, &r, &e), LH_OK);
        assert_true(at(&r, 0, 0)->q == 500);
        assert_true(at(&r, 0, 1)->q == 167);
        free(r.c);
    }
    {
        static const int64_t v[] = {-100, -200, -200}; /* -1.67 */
        g_vals = v;
        assert_int_equal(run(&ctx, mk_src(&ctx, &d52, 1, 3, 2, fill_vals, NULL), NULL, 0, ag, 2, &r, &e), LH_OK);
        assert_true(at(&r, 0, 0)->q == -500);
        assert_true(at(&r, 0, 1)->q == -167);
        free(r.c);
    }
    {
        static const int64_t v[] = {1, 2}; /* 0.015 -> 0.02 (half up) */
        static const int64_t w[] = {-1, -2}; /* -0.015 -> -0.02 (away from zero) */
        static const int64_t z[] = {1, 1, 2, 1}; /* 0.0125 -> 0.01 */
        g_vals = v;
        assert_int_equal(run(&ctx, mk_src(&ctx, &d52, 1, 2, 2, fill_vals, NULL), NULL, 0, ag, 2, &r, &e), LH_OK);
        assert_true(at(&r, 0, 1)->q == 2);
        free(r.c);
        g_vals = w;
        assert_int_equal(run(&ctx, mk_src(&ctx, &d52, 1, 2, 2, fill_vals, NULL), NULL, 0, ag, 2, &r, &e), LH_OK);
        assert_true(at(&r, 0, 1)->q == -2);
        free(r.c);
        g_vals = z;
        assert_int_equal(run(&ctx, mk_src(&ctx, &d52, 1, 4, 3, fill_vals, NULL), NULL, 0, ag, 2, &r, &e), LH_OK);
        assert_true(at(&r, 0, 1)->q == 1);
        free(r.c);
    }
    /* statistics over decimals read them as doubles (short: one division; long: decimal.h) */
    {
        static const int64_t v[] = {100, 200, 300, 123456789};
        lh_sqltype d102 = lh_sqltype_decimal(10, 2), d302 = lh_sqltype_decimal(30, 2);
        lh_agg_spec sa[2] = {AG(LH_AGG_VAR_POP, 0, NA, T(LH_SQL_DOUBLE)), AG(LH_AGG_MAX, 0, NA, d102)};
        g_vals = v;
        assert_int_equal(run(&ctx, mk_src(&ctx, &d102, 1, 3, 2, fill_vals, NULL), NULL, 0, sa, 2, &r, &e), LH_OK);
        near(at(&r, 0, 0), 2.0 / 3);
        assert_true(at(&r, 0, 1)->q == 300);
        free(r.c);
        g_vals = v + 3;
        sa[0] = AG(LH_AGG_GEOMEAN, 0, NA, T(LH_SQL_DOUBLE));
        assert_int_equal(run(&ctx, mk_src(&ctx, &d302, 1, 1, 2, fill_vals, NULL), NULL, 0, sa, 1, &r, &e), LH_OK);
        near(at(&r, 0, 0), 1234567.89);
        free(r.c);
    }
    /* long decimals: the running sum passes 2^127 and 10^38; avg stays exact */
    {
        lh_agg_spec ag2[3] = {AG(LH_AGG_AVG, 0, NA, d380), AG(LH_AGG_SUM, 0, NA, d380), AG(LH_AGG_MAX, 0, NA, d380)};
        g_big = lh_dec_pow10(38) - 1;
        g_big_neg = 0;
        assert_int_equal(run(&ctx, mk_src(&ctx, &d380, 1, 1000, 300, fill_bigdec, NULL), NULL, 0, ag2, 1, &r, &e),
                         LH_OK);
        assert_true(at(&r, 0, 0)->q == g_big);
        free(r.c);
        assert_int_equal(run(&ctx, mk_src(&ctx, &d380, 1, 1000, 300, fill_bigdec, NULL), NULL, 0, ag2, 2, &r, &e),
                         LH_EDATA);
        assert_string_equal(e.msg, "Decimal overflow");
        free(r.c);
        g_big_neg = 1; /* negative side */
        assert_int_equal(run(&ctx, mk_src(&ctx, &d380, 1, 999, 300, fill_bigdec, NULL), NULL, 0, ag2, 1, &r, &e),
                         LH_OK);
        assert_true(at(&r, 0, 0)->q == -g_big);
        free(r.c);
        /* alternating +big, -big: the sum goes back and forth, ends at big (odd count) or 0 */
        g_big_neg = 2;
        assert_int_equal(run(&ctx, mk_src(&ctx, &d380, 1, 1001, 300, fill_bigdec, NULL), NULL, 0, ag2, 3, &r, &e),
                         LH_OK);
        assert_true(at(&r, 0, 1)->q == g_big);
        assert_true(at(&r, 0, 2)->q == g_big);
        {
            lh_i128 q = g_big / 1001, rem = g_big % 1001;
            if (rem * 2 >= 1001)
                q++;
            assert_true(at(&r, 0, 0)->q == q);
        }
        free(r.c);
    }
}

/* ---- 7. every aggregate kind on hand-checked groups ---- */

typedef struct krow {
    int g;
    double x, y;
    int xn, yn, b, bn;
    int64_t i;
    int in;
} krow;

static const krow KR[] = {
    {1, 1, 2, 0, 0, 1, 0, 10, 0},      {1, 2, 4, 0, 0, 1, 0, 0, 1},     {1, 3, 6, 0, 0, 0, 0, 30, 0},
    {1, 4, 8.5, 0, 0, 0, 1, 20, 0},    {2, 5, 7, 0, 0, 1, 0, 4, 0},     {3, 0, 0, 1, 1, 0, 1, 0, 1},
    {3, 0, 0, 1, 1, 0, 1, 0, 1},       {4, NAN, 3, 0, 0, 0, 0, -5, 0},  {4, 1, NAN, 0, 0, 0, 0, -7, 0},
    {4, NAN, 1, 0, 0, 0, 1, 0, 0},     {5, NAN, 1, 0, 0, 1, 0, 1, 0},   {5, NAN, 2, 0, 0, 1, 0, 2, 0},
};

static lh_rc fill_kinds(void *u, lh_batch *b, uint64_t row0, uint32_t n, lh_err *err)
{
    uint32_t i;
    (void)u, (void)err;
    for (i = 0; i < n; i++) {
        const krow *k = &KR[row0 + i];
        lh_vector_set_i64(b->cols[0], i, k->g);
        if (k->xn)
            lh_vector_set_null(b->cols[1], i);
        else
            lh_vector_set_f64(b->cols[1], i, k->x);
        if (k->yn)
            lh_vector_set_null(b->cols[2], i);
        else
            lh_vector_set_f64(b->cols[2], i, k->y);
        if (k->bn)
            lh_vector_set_null(b->cols[3], i);
        else
            lh_vector_set_bool(b->cols[3], i, k->b);
        if (k->in)
            lh_vector_set_null(b->cols[4], i);
        else
            lh_vector_set_i64(b->cols[4], i, k->i);
    }
    /* the percentage: a constant column */
    lh_vector_set_const(b->cols[5], 0);
    lh_vector_set_f64(b->cols[5], 0, 0.5);
    return LH_OK;
}

static void test_every_kind(void **state)
{
    lh_sqltype D = T(LH_SQL_DOUBLE), B = T(LH_SQL_BOOLEAN), BI = T(LH_SQL_BIGINT), I = T(LH_SQL_INTEGER);
    lh_sqltype ts[6] = {BI, D, D, B, I, D};
    enum { X = 1, Y = 2, BB = 3, II = 4, P = 5 };
    lh_agg_spec ag[] = {
        AG(LH_AGG_COUNT, X, NA, BI),         AG(LH_AGG_COUNT_IF, BB, NA, BI),     AG(LH_AGG_BOOL_AND, BB, NA, B),
        AG(LH_AGG_BOOL_OR, BB, NA, B),       AG(LH_AGG_MIN, X, NA, D),            AG(LH_AGG_MAX, X, NA, D),
        AG(LH_AGG_MIN_BY, II, X, I),         AG(LH_AGG_MAX_BY, II, X, I),         AG(LH_AGG_STDDEV_SAMP, X, NA, D),
        AG(LH_AGG_STDDEV_POP, X, NA, D),     AG(LH_AGG_VAR_SAMP, X, NA, D),       AG(LH_AGG_VAR_POP, X, NA, D),
        AG(LH_AGG_CORR, Y, X, D),            AG(LH_AGG_COVAR_SAMP, Y, X, D),      AG(LH_AGG_COVAR_POP, Y, X, D),
        AG(LH_AGG_GEOMEAN, X, NA, D),        AG(LH_AGG_APPROX_PERCENTILE, II, P, I), AG(LH_AGG_AVG, X, NA, D),
        AG(LH_AGG_SUM, II, NA, BI),          AG(LH_AGG_AVG, II, NA, D),           AG(LH_AGG_ARBITRARY, II, NA, I),
    };
    uint32_t na = sizeof ag / sizeof ag[0], key = 0;
    lh_exec_ctx ctx;
    res r;
    lh_err e;
    size_t row;
    int seen = 0;
    (void)state;
    lh_exec_ctx_init(&ctx);
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 6, 12, 5, fill_kinds, NULL), &key, 1, ag, na, &r, &e), LH_OK);
    assert_int_equal(r.nrows, 5);
    for (row = 0; row < r.nrows; row++) {
        int g = (int)at(&r, row, 0)->i;
#define C(k) at(&r, row, (uint32_t)(k) + 1)
        seen |= 1 << g;
        switch (g) {
        case 1: {
            double m2y = 9.765625 + 1.265625 + 0.765625 + 11.390625;
            assert_int_equal(C(0)->i, 4);
            assert_int_equal(C(1)->i, 2);
            assert_int_equal(C(2)->i, 0);
            assert_int_equal(C(3)->i, 1);
            near(C(4), 1);
            near(C(5), 4);
            assert_int_equal(C(6)->i, 10);
            assert_int_equal(C(7)->i, 20);
            near(C(8), sqrt(5.0 / 3));
            near(C(9), sqrt(1.25));
            near(C(10), 5.0 / 3);
            near(C(11), 1.25);
            near(C(12), 10.75 / sqrt(5.0 * m2y));
            near(C(13), 10.75 / 3);
            near(C(14), 10.75 / 4);
            near(C(15), pow(24.0, 0.25));
            assert_int_equal(C(16)->i, 20); /* {10, 20, 30}: rank ceil(0.5 * 3) = 2 */
            near(C(17), 2.5);
            assert_int_equal(C(18)->i, 60);
            near(C(19), 20);
            assert_int_equal(C(20)->i, 10);
            break;
        }
        case 2:
            assert_int_equal(C(0)->i, 1);
            assert_int_equal(C(2)->i, 1);
            assert_true(C(8)->null);  /* stddev_samp of one row */
            near(C(9), 0);
            assert_true(C(10)->null); /* var_samp of one row */
            near(C(11), 0);
            assert_true(C(12)->null); /* corr: 0 / 0 is not finite */
            assert_true(C(13)->null);
            near(C(14), 0);
            near(C(15), 5);
            assert_int_equal(C(16)->i, 4);
            assert_int_equal(C(6)->i, 4);
            break;
        case 3: /* everything NULL */
            assert_int_equal(C(0)->i, 0);
            assert_int_equal(C(1)->i, 0);
            for (uint32_t k = 2; k < na; k++)
                assert_true(C(k)->null);
            break;
        case 4: /* NaN is ignored by min/max unless it is all there is */
            near(C(4), 1);
            near(C(5), 1);
            assert_int_equal(C(6)->i, -7);
            assert_int_equal(C(7)->i, -7);
            assert_int_equal(C(1)->i, 0);
            assert_int_equal(C(2)->i, 0);
            assert_int_equal(C(3)->i, 0);
            assert_true(C(12)->null); /* NaN inputs: not finite */
            break;
        case 5:
            near(C(4), NAN);
            near(C(5), NAN);
            assert_int_equal(C(6)->i, 1);
            assert_int_equal(C(7)->i, 1);
            assert_int_equal(C(2)->i, 1);
            break;
        default:
            fail();
        }
#undef C
    }
    assert_int_equal(seen, 0x3e);
    free(r.c);
}

/* min / max over every orderable physical type */
static lh_rc fill_types(void *u, lh_batch *b, uint64_t row0, uint32_t n, lh_err *err)
{
    uint32_t i;
    lh_rc rc;
    (void)u;
    for (i = 0; i < n; i++) {
        int64_t r = (int64_t)(row0 + i), v = (r * 37) % 100 - 50;
        lh_tstz t;
        char s[32];
        int sl = snprintf(s, sizeof s, "bytes-%03d-long-value", (int)(v + 50));
        lh_vector_set_i64(b->cols[0], i, v);
        lh_vector_set_i64(b->cols[1], i, v * 100);
        lh_vector_set_f64(b->cols[2], i, (double)v / 4);
        lh_vector_set_bool(b->cols[3], i, v > 0);
        lh_vector_set_i128(b->cols[4], i, (lh_i128)v * lh_dec_pow10(20));
        t.utc_us = v * 1000;
        t.zone = (int32_t)r;
        lh_vector_set_tstz(b->cols[5], i, t);
        lh_vector_set_i64(b->cols[6], i, v);
        if ((rc = lh_vector_set_str(b->cols[7], i, s, (size_t)sl, &b->arena, err)))
            return rc;
    }
    return LH_OK;
}

static void test_minmax_types(void **state)
{
    lh_sqltype ts[8] = {T(LH_SQL_TINYINT), T(LH_SQL_SMALLINT), T(LH_SQL_REAL),         T(LH_SQL_BOOLEAN),
                        lh_sqltype_decimal(30, 2), lh_sqltype_timestamp_tz(3), T(LH_SQL_DATE), T(LH_SQL_VARBINARY)};
    lh_agg_spec ag[16];
    lh_exec_ctx ctx;
    res r;
    lh_err e;
    uint32_t c;
    (void)state;
    lh_exec_ctx_init(&ctx);
    for (c = 0; c < 8; c++) {
        ag[2 * c] = AG(LH_AGG_MIN, c, NA, ts[c]);
        ag[2 * c + 1] = AG(LH_AGG_MAX, c, NA, ts[c]);
    }
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 8, 100, 33, fill_types, NULL), NULL, 0, ag, 16, &r, &e), LH_OK);
    assert_int_equal(r.nrows, 1);
    assert_int_equal(at(&r, 0, 0)->i, -50);
    assert_int_equal(at(&r, 0, 1)->i, 49);
    assert_int_equal(at(&r, 0, 2)->i, -5000);
    assert_int_equal(at(&r, 0, 3)->i, 4900);
    near(at(&r, 0, 4), -12.5);
    near(at(&r, 0, 5), 12.25);
    assert_int_equal(at(&r, 0, 6)->i, 0);
    assert_int_equal(at(&r, 0, 7)->i, 1);
    assert_true(at(&r, 0, 8)->q == -50 * lh_dec_pow10(20));
    assert_true(at(&r, 0, 9)->q == 49 * lh_dec_pow10(20));
    free(r.c);
    /* the instant decides for tstz; strings bytewise (fetch them with a second run's cells) */
    {
        lh_op *agg = NULL;
        lh_batch *b = NULL;
        lh_tstz t;
        lh_str s;
        assert_int_equal(lh_op_hash_agg(&ctx, mk_src(&ctx, ts, 8, 100, 33, fill_types, NULL), NULL, 0, ag, 16, &agg, &e),
                         LH_OK);
        assert_int_equal(lh_op_next(agg, &b, &e), LH_OK);
        assert_non_null(b);
        t = lh_vector_get_tstz(b->cols[10], 0);
        assert_int_equal(t.utc_us, -50000);
        t = lh_vector_get_tstz(b->cols[11], 0);
        assert_int_equal(t.utc_us, 49000);
        assert_int_equal(lh_vector_get_i64(b->cols[12], 0), -50);
        assert_int_equal(lh_vector_get_i64(b->cols[13], 0), 49);
        s = lh_vector_get_str(b->cols[14], 0);
        assert_int_equal(lh_str_len(&s), 20);
        assert_memory_equal(lh_str_ptr(&s), "bytes-000-long-value", 20);
        s = lh_vector_get_str(b->cols[15], 0);
        assert_memory_equal(lh_str_ptr(&s), "bytes-099-long-value", 20);
        assert_int_equal(lh_op_next(agg, &b, &e), LH_OK);
        assert_null(b);
        lh_op_free(agg);
    }
}

/* approx_percentile: the nearest rank, NaN sorted last, the percentage checked */
static double g_pct;
static lh_rc fill_pct(void *u, lh_batch *b, uint64_t row0, uint32_t n, lh_err *err)
{
    uint32_t i;
    (void)u, (void)err;
    for (i = 0; i < n; i++) {
        uint64_t r = row0 + i, v = (r * 37) % 100 + 1; /* 1..100, shuffled */
        lh_vector_set_i64(b->cols[0], i, (int64_t)v);
        if (v == 100)
            lh_vector_set_f64(b->cols[1], i, NAN);
        else
            lh_vector_set_f64(b->cols[1], i, (double)v);
        lh_vector_set_f64(b->cols[2], i, r == 77 && g_pct < 0 ? 0.5 : fabs(g_pct));
        if (r % 10 == 5)
            lh_vector_set_null(b->cols[3], i);
        else
            lh_vector_set_i64(b->cols[3], i, (int64_t)v);
    }
    return LH_OK;
}

static void test_percentile(void **state)
{
    lh_sqltype ts[4] = {T(LH_SQL_BIGINT), T(LH_SQL_DOUBLE), T(LH_SQL_DOUBLE), T(LH_SQL_SMALLINT)};
    lh_agg_spec ag[3] = {AG(LH_AGG_APPROX_PERCENTILE, 0, 2, T(LH_SQL_BIGINT)),
                         AG(LH_AGG_APPROX_PERCENTILE, 1, 2, T(LH_SQL_DOUBLE)),
                         AG(LH_AGG_APPROX_PERCENTILE, 3, 2, T(LH_SQL_SMALLINT))};
    static const double ps[] = {0, 0.01, 0.25, 0.5, 0.999, 1};
    static const int64_t want[] = {1, 1, 25, 50, 100, 100};
    static const int64_t want_nn[] = {1, 1, 25, 50, 100, 100}; /* 90 values: those ending in 6 are NULL */
    lh_exec_ctx ctx;
    res r;
    lh_err e;
    size_t k;
    (void)state;
    lh_exec_ctx_init(&ctx);
    for (k = 0; k < 6; k++) {
        g_pct = ps[k];
        assert_int_equal(run(&ctx, mk_src(&ctx, ts, 4, 100, 30, fill_pct, NULL), NULL, 0, ag, 3, &r, &e), LH_OK);
        assert_int_equal(at(&r, 0, 0)->i, want[k]);
        if (want[k] == 100)
            assert_true(isnan(at(&r, 0, 1)->d)); /* NaN is the largest */
        else
            near(at(&r, 0, 1), (double)want[k]);
        assert_int_equal(at(&r, 0, 2)->i, want_nn[k]);
        free(r.c);
    }
    g_pct = 1.5;
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 4, 100, 30, fill_pct, NULL), NULL, 0, ag, 1, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "Percentile must be between 0 and 1");
    free(r.c);
    g_pct = -0.25; /* 0.25 everywhere but row 77 */
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 4, 100, 30, fill_pct, NULL), NULL, 0, ag, 1, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "Percentile argument must be constant for all input rows");
    free(r.c);
}

/* ---- 8. approx_distinct ---- */

static lh_rc fill_hll(void *u, lh_batch *b, uint64_t row0, uint32_t n, lh_err *err)
{
    uint32_t i, mod = *(const uint32_t *)u;
    lh_rc rc;
    for (i = 0; i < n; i++) {
        uint64_t r = row0 + i, v = (r * 2654435761u) % mod; /* a permutation-ish spread of 0..mod-1 */
        char s[40];
        int sl = snprintf(s, sizeof s, "distinct-value-%llu", (unsigned long long)(r % mod));
        lh_vector_set_i64(b->cols[0], i, (int64_t)(r % 3));
        lh_vector_set_i64(b->cols[1], i, (int64_t)v);
        if ((rc = lh_vector_set_str(b->cols[2], i, s, (size_t)sl, &b->arena, err)))
            return rc;
        if (r % 17 == 0)
            lh_vector_set_null(b->cols[1], i); /* NULL is ignored */
    }
    return LH_OK;
}

static void test_approx_distinct(void **state)
{
    lh_sqltype ts[3] = {T(LH_SQL_BIGINT), T(LH_SQL_BIGINT), lh_sqltype_varchar(LH_SQL_UNBOUNDED)};
    lh_agg_spec ag[3] = {AG(LH_AGG_APPROX_DISTINCT, 1, NA, T(LH_SQL_BIGINT)),
                         AG(LH_AGG_APPROX_DISTINCT, 2, NA, T(LH_SQL_BIGINT)),
                         AG(LH_AGG_COUNT, 1, NA, T(LH_SQL_BIGINT))};
    lh_exec_ctx ctx;
    res r;
    lh_err e;
    uint32_t mod = 1u << 30, key = 0;
    double se = 1.04 / sqrt(2048.0);
    (void)state;
    lh_exec_ctx_init(&ctx);
    /* 100,000 distinct values (strings: 100,000 distinct too; bigints: minus the NULL rows) */
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 3, 100000, 2048, fill_hll, &mod), NULL, 0, ag, 3, &r, &e), LH_OK);
    {
        double want = (double)at(&r, 0, 2)->i, got = (double)at(&r, 0, 0)->i, gots = (double)at(&r, 0, 1)->i;
        print_message("approx_distinct: %.0f of %.0f (bigint), %.0f of 100000 (varchar)\n", got, want, gots);
        assert_true(fabs(got - want) / want < 3 * se);
        assert_true(fabs(gots - 100000) / 100000 < 3 * se);
    }
    free(r.c);
    /* few values: small-range correction makes them exact, per group */
    mod = 10;
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 3, 3000, 1000, fill_hll, &mod), &key, 1, ag, 2, &r, &e), LH_OK);
    assert_int_equal(r.nrows, 3);
    assert_true(at(&r, 0, 1)->i >= 9 && at(&r, 0, 1)->i <= 10);
    assert_true(at(&r, 0, 2)->i >= 9 && at(&r, 0, 2)->i <= 10);
    free(r.c);
    /* groups that pass from sparse to dense registers, against count(DISTINCT x) */
    {
        lh_agg_spec ag2[2] = {AG(LH_AGG_APPROX_DISTINCT, 1, NA, T(LH_SQL_BIGINT)), AG(LH_AGG_COUNT, 1, NA, T(LH_SQL_BIGINT))};
        uint32_t mods[3] = {150, 600, 5000}, k;
        size_t row;
        ag2[1].distinct = 1;
        for (k = 0; k < 3; k++) {
            mod = mods[k];
            assert_int_equal(run(&ctx, mk_src(&ctx, ts, 3, 30000, 2000, fill_hll, &mod), &key, 1, ag2, 2, &r, &e), LH_OK);
            assert_int_equal(r.nrows, 3);
            for (row = 0; row < 3; row++) {
                double got = (double)at(&r, row, 1)->i, want = (double)at(&r, row, 2)->i;
                assert_true(want > 0 && fabs(got - want) / want < 3 * se);
            }
            free(r.c);
        }
    }
}

/* ---- 9. DISTINCT and FILTER ---- */

static lh_rc fill_df(void *u, lh_batch *b, uint64_t row0, uint32_t n, lh_err *err)
{
    uint32_t i;
    (void)u, (void)err;
    for (i = 0; i < n; i++) {
        uint64_t r = row0 + i;
        lh_vector_set_i64(b->cols[0], i, (int64_t)(r % 4));
        lh_vector_set_i64(b->cols[1], i, (int64_t)((r * 7) % 50));
        lh_vector_set_bool(b->cols[2], i, r % 3 == 0);
        if (r % 10 == 9)
            lh_vector_set_null(b->cols[1], i);
        if (r % 5 == 4)
            lh_vector_set_null(b->cols[2], i); /* a NULL filter drops the row */
        lh_vector_set_f64(b->cols[3], i, (double)((r * 7) % 50) + 0.5);
    }
    return LH_OK;
}

/* listagg: each group's non-NULL values in arrival order, across batches,
 * joined by the row's separator; a group of only NULLs is NULL; the 1 MiB
 * limit is Trino's error. */
static lh_rc fill_listagg(void *u, lh_batch *b, uint64_t row0, uint32_t n, lh_err *err)
{
    uint32_t i;
    lh_rc rc;
    const char *sep = u ? (const char *)u : ",";
    for (i = 0; i < n; i++) {
        uint64_t r = row0 + i;
        char v[32];
        int vl = snprintf(v, sizeof v, "v%u", (unsigned)r);
        lh_vector_set_i64(b->cols[0], i, (int64_t)(r % 4));
        if ((rc = lh_vector_set_str(b->cols[1], i, v, (size_t)vl, &b->arena, err)) ||
            (rc = lh_vector_set_str(b->cols[2], i, sep, strlen(sep), &b->arena, err)))
            return rc;
        if (r % 5 == 0 || r % 4 == 3)
            lh_vector_set_null(b->cols[1], i); /* every 5th, and all of group 3 */
    }
    return LH_OK;
}

static void test_listagg(void **state)
{
    lh_sqltype vc = lh_sqltype_varchar(LH_SQL_UNBOUNDED), ts[3] = {T(LH_SQL_BIGINT), vc, vc};
    lh_agg_spec ag[] = {AG(LH_AGG_LISTAGG, 1, 2, vc), AG(LH_AGG_COUNT, 1, NA, T(LH_SQL_BIGINT))};
    uint32_t key = 0;
    lh_exec_ctx ctx;
    res r;
    lh_err e;
    size_t row;
    (void)state;
    lh_exec_ctx_init(&ctx);
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 3, 24, 7, fill_listagg, NULL), &key, 1, ag, 2, &r, &e), LH_OK);
    assert_int_equal(r.nrows, 4);
    for (row = 0; row < r.nrows; row++) {
        int64_t g = at(&r, row, 0)->i;
        char want[96] = "";
        uint64_t i;
        for (i = (uint64_t)g; i < 24; i += 4)
            if (i % 5 && i % 4 != 3)
                snprintf(want + strlen(want), sizeof want - strlen(want), "%sv%u", want[0] ? "," : "", (unsigned)i);
        if (g == 3) {
            assert_true(at(&r, row, 1)->null);
            assert_int_equal(at(&r, row, 2)->i, 0);
        } else
            assert_string_equal(at(&r, row, 1)->s, want);
    }
    free(r.c);
    /* an empty separator and a global aggregate */
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 3, 6, 4, fill_listagg, (void *)""), NULL, 0, ag, 1, &r, &e), LH_OK);
    assert_string_equal(at(&r, 0, 0)->s, "v1v2v4");
    free(r.c);
    /* past 1 MiB: 300,000 rows, 60% of them values of about seven bytes, and a separator */
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 3, 300000, 2048, fill_listagg, (void *)"--"), NULL, 0, ag, 1, &r, &e),
                     LH_EDATA);
    assert_non_null(strstr(e.msg, "maximum output length 1048576"));
    /* a wrong argument type is the planner's bug: refused, named */
    {
        lh_agg_spec bad = AG(LH_AGG_LISTAGG, 0, 2, vc);
        lh_op *agg = NULL;
        lh_op *src = mk_src(&ctx, ts, 3, 6, 4, fill_listagg, NULL);
        assert_int_equal(lh_op_hash_agg(&ctx, src, NULL, 0, &bad, 1, &agg, &e), LH_EINTERNAL);
        assert_non_null(strstr(e.msg, "listagg"));
    }
}

static void test_distinct_filter(void **state)
{
    lh_sqltype BI = T(LH_SQL_BIGINT), D = T(LH_SQL_DOUBLE);
    lh_sqltype ts[4] = {BI, BI, T(LH_SQL_BOOLEAN), D};
    lh_agg_spec ag[7] = {AG(LH_AGG_COUNT, 1, NA, BI),     AG(LH_AGG_COUNT, 1, NA, BI),
                         AG(LH_AGG_SUM, 1, NA, BI),       AG(LH_AGG_COUNT_STAR, NA, NA, BI),
                         AG(LH_AGG_SUM, 1, NA, BI),       AG(LH_AGG_AVG, 3, NA, D),
                         AG(LH_AGG_COUNT, 1, NA, BI)};
    uint32_t key = 0, n = 10000;
    lh_exec_ctx ctx;
    res r;
    lh_err e;
    size_t row;
    (void)state;
    lh_exec_ctx_init(&ctx);
    ag[1].distinct = 1;                  /* count(DISTINCT x) */
    ag[2].distinct = 1;                  /* sum(DISTINCT x) */
    ag[3].filter = 2;                    /* count(*) FILTER (WHERE b) */
    ag[4].distinct = 1, ag[4].filter = 2; /* sum(DISTINCT x) FILTER (WHERE b) */
    ag[5].distinct = 1;                  /* avg(DISTINCT d) */
    ag[6].filter = 2;                    /* count(x) FILTER (WHERE b) */
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 4, n, 999, fill_df, NULL), &key, 1, ag, 7, &r, &e), LH_OK);
    assert_int_equal(r.nrows, 4);
    for (row = 0; row < r.nrows; row++) {
        int64_t g = at(&r, row, 0)->i, cnt = 0, cf = 0, cxf = 0, sd = 0, sdf = 0, nd = 0;
        double sdd = 0;
        int seen[50] = {0}, seenf[50] = {0}, seend[50] = {0};
        uint64_t i;
        for (i = (uint64_t)g; i < n; i += 4) {
            int64_t x = (int64_t)((i * 7) % 50);
            int xnull = i % 10 == 9, f = i % 3 == 0 && i % 5 != 4;
            if (!seend[x]) {
                seend[x] = 1;
                sdd += (double)x + 0.5;
                nd++;
            }
            cf += f;
            if (xnull)
                continue;
            cnt++;
            cxf += f;
            if (!seen[x]) {
                seen[x] = 1;
                sd += x;
            }
            if (f && !seenf[x]) {
                seenf[x] = 1;
                sdf += x;
            }
        }
        {
            int64_t ndx = 0;
            for (i = 0; i < 50; i++)
                ndx += seen[i];
            assert_int_equal(at(&r, row, 1)->i, cnt);
            assert_int_equal(at(&r, row, 2)->i, ndx);
        }
        assert_int_equal(at(&r, row, 3)->i, sd);
        assert_int_equal(at(&r, row, 4)->i, cf);
        assert_int_equal(at(&r, row, 5)->i, sdf);
        near(at(&r, row, 6), sdd / (double)nd);
        assert_int_equal(at(&r, row, 7)->i, cxf);
    }
    free(r.c);
}

/* ---- 10. CONST and DICT inputs ---- */

static lh_rc fill_cd(void *u, lh_batch *b, uint64_t row0, uint32_t n, lh_err *err)
{
    lh_vector *d = NULL;
    uint32_t i;
    lh_rc rc;
    static const char *names[3] = {"dictionary-entry-zero", "dictionary-entry-one", "dictionary-entry-two"};
    (void)u;
    /* key 0: a dictionary of 3 long strings (entry 2 NULL-marked rows via the vector's validity) */
    if ((rc = lh_vector_set_dict(b->cols[0], 3, &d, err)))
        return rc;
    for (i = 0; i < 3; i++)
        if ((rc = lh_vector_set_str(d, i, names[i], strlen(names[i]), &b->arena, err)))
            return rc;
    for (i = 0; i < n; i++) {
        b->cols[0]->dict_idx[i] = (uint16_t)((row0 + i) % 3);
        if ((row0 + i) % 7 == 0)
            lh_vector_set_null(b->cols[0], i);
    }
    /* key 1 and the value: constants */
    lh_vector_set_const(b->cols[1], 0);
    lh_vector_set_i64(b->cols[1], 0, 42);
    lh_vector_set_const(b->cols[2], row0 >= 1000); /* NULL from row 1000 on */
    lh_vector_set_i64(b->cols[2], 0, 5);
    if (row0 >= 1000)
        lh_vector_set_null(b->cols[2], 0);
    return LH_OK;
}

static void test_const_dict(void **state)
{
    lh_sqltype ts[3] = {lh_sqltype_varchar(LH_SQL_UNBOUNDED), T(LH_SQL_INTEGER), T(LH_SQL_BIGINT)};
    lh_agg_spec ag[3] = {AG(LH_AGG_COUNT_STAR, NA, NA, T(LH_SQL_BIGINT)), AG(LH_AGG_SUM, 2, NA, T(LH_SQL_BIGINT)),
                         AG(LH_AGG_MAX, 2, NA, T(LH_SQL_BIGINT))};
    uint32_t keys[2] = {0, 1};
    lh_exec_ctx ctx;
    res r;
    lh_err e;
    size_t row;
    int64_t total = 0, sum = 0;
    (void)state;
    lh_exec_ctx_init(&ctx);
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 3, 2100, 500, fill_cd, NULL), keys, 2, ag, 3, &r, &e), LH_OK);
    assert_int_equal(r.nrows, 4); /* three names and NULL, all with 42 */
    for (row = 0; row < r.nrows; row++) {
        int64_t want = 0, ws = 0;
        uint64_t i;
        assert_int_equal(at(&r, row, 1)->i, 42);
        for (i = 0; i < 2100; i++) {
            int isnull = i % 7 == 0;
            const char *nm = i % 3 == 0 ? "dictionary-entry-zero" : i % 3 == 1 ? "dictionary-entry-one" : "dictionary-entry-two";
            if (at(&r, row, 0)->null ? isnull : (!isnull && !strcmp(nm, at(&r, row, 0)->s))) {
                want++;
                ws += i < 1000 ? 5 : 0;
            }
        }
        assert_int_equal(at(&r, row, 2)->i, want);
        assert_int_equal(at(&r, row, 3)->i, ws);
        assert_int_equal(at(&r, row, 4)->i, 5);
        total += want;
        sum += ws;
    }
    assert_int_equal(total, 2100);
    assert_int_equal(sum, 5000);
    free(r.c);
}

/* ---- 11. the memory limit, cancellation, EXPLAIN ---- */

static lh_rc fill_seq(void *u, lh_batch *b, uint64_t row0, uint32_t n, lh_err *err)
{
    uint32_t i;
    (void)err;
    for (i = 0; i < n; i++) {
        uint64_t r = row0 + i;
        lh_vector_set_i64(b->cols[0], i, (int64_t)(u ? r % *(const uint32_t *)u : r));
        lh_vector_set_i64(b->cols[1], i, (int64_t)(u ? r : r % 1000));
    }
    return LH_OK;
}

static void test_memory_limit(void **state)
{
    lh_sqltype ts[2] = {T(LH_SQL_BIGINT), T(LH_SQL_BIGINT)};
    lh_agg_spec ag[2] = {AG(LH_AGG_COUNT_STAR, NA, NA, T(LH_SQL_BIGINT)),
                         AG(LH_AGG_APPROX_DISTINCT, 1, NA, T(LH_SQL_BIGINT))};
    uint32_t key = 0, ng = 2000;
    lh_exec_ctx ctx;
    res r;
    lh_err e;
    (void)state;
    lh_exec_ctx_init(&ctx);
    ctx.mem_limit = (size_t)4 << 20;
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 2, 1000000, 2048, fill_seq, NULL), &key, 1, ag, 1, &r, &e), LH_ELIMIT);
    assert_string_equal(e.msg, "HashAggregate: memory limit of 4.0 MiB exceeded (raise it with --memory-limit, or "
                               "narrow the query)");
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
    free(r.c);
    /* HyperLogLog registers count too: 2,000 groups of 2 KiB dense registers */
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 2, 600000, 2048, fill_seq, &ng), &key, 1, ag, 2, &r, &e), LH_ELIMIT);
    assert_true(strstr(e.msg, "HashAggregate: memory limit") != NULL);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
    free(r.c);
    /* under the limit: fine, and everything is released at the end */
    assert_int_equal(run(&ctx, mk_src(&ctx, ts, 2, 10000, 2048, fill_seq, NULL), &key, 1, ag, 1, &r, &e), LH_OK);
    assert_int_equal(r.nrows, 10000);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
    free(r.c);
}

static void test_cancel_explain(void **state)
{
    lh_sqltype ts[4] = {T(LH_SQL_BIGINT), T(LH_SQL_BIGINT), T(LH_SQL_BIGINT), T(LH_SQL_BIGINT)};
    lh_agg_spec ag[3] = {AG(LH_AGG_COUNT_STAR, NA, NA, T(LH_SQL_BIGINT)), AG(LH_AGG_SUM, 3, NA, T(LH_SQL_BIGINT)),
                         AG(LH_AGG_MIN_BY, 1, 2, T(LH_SQL_BIGINT))};
    uint32_t keys[2] = {0, 2};
    atomic_int stop;
    lh_exec_ctx ctx;
    lh_op *agg = NULL;
    lh_batch *b = NULL;
    lh_buf out;
    lh_err e;
    (void)state;
    lh_exec_ctx_init(&ctx);
    assert_int_equal(lh_op_hash_agg(&ctx, mk_src(&ctx, ts, 4, 10, 5, fill_seq, NULL), keys, 2, ag, 2, &agg, &e), LH_OK);
    lh_buf_init(&out, 0);
    assert_int_equal(lh_op_explain(agg, 0, &out, &e), LH_OK);
    assert_string_equal(lh_buf_cstr(&out),
                        "HashAggregate [keys: #0, #2; aggregates: count(*), sum(#3)]\n  -> TestSource\n");
    lh_op_free(agg);
    ag[1].distinct = 1;
    ag[1].filter = 1;
    ag[1].ret = T(LH_SQL_BIGINT);
    /* FILTER must be a boolean column */
    assert_int_equal(lh_op_hash_agg(&ctx, mk_src(&ctx, ts, 4, 10, 5, fill_seq, NULL), NULL, 0, ag, 3, &agg, &e),
                     LH_EINTERNAL);
    assert_null(agg);
    ag[1].filter = NA;
    assert_int_equal(lh_op_hash_agg(&ctx, mk_src(&ctx, ts, 4, 10, 5, fill_seq, NULL), NULL, 0, ag, 3, &agg, &e), LH_OK);
    lh_buf_reset(&out);
    assert_int_equal(lh_op_explain(agg, 0, &out, &e), LH_OK);
    assert_string_equal(lh_buf_cstr(&out), "HashAggregate [aggregates: count(*), sum(DISTINCT #3), min_by(#1, #2)]\n"
                                           "  -> TestSource\n");
    /* cancelled: the build loop stops */
    atomic_init(&stop, 1);
    ctx.interrupt = &stop;
    assert_int_equal(lh_op_next(agg, &b, &e), LH_ECANCELLED);
    assert_string_equal(e.msg, "cancelled");
    lh_op_free(agg);
    lh_buf_free(&out);
    /* a wrong result type is refused up front */
    ag[1] = AG(LH_AGG_SUM, 3, NA, T(LH_SQL_DOUBLE));
    ctx.interrupt = NULL;
    assert_int_equal(lh_op_hash_agg(&ctx, mk_src(&ctx, ts, 4, 10, 5, fill_seq, NULL), NULL, 0, ag, 2, &agg, &e),
                     LH_EINTERNAL);
    assert_string_equal(e.msg, "aggregate sum(bigint) -> double has no implementation");
    {
        lh_sqltype ti[1] = {T(LH_SQL_INTERVAL_DS)};
        ag[0] = AG(LH_AGG_SUM, 0, NA, ti[0]);
        assert_int_equal(lh_op_hash_agg(&ctx, mk_src(&ctx, ti, 1, 10, 5, fill_seq, NULL), NULL, 0, ag, 1, &agg, &e),
                         LH_EUNSUPPORTED);
        assert_string_equal(e.msg, "sum(interval day to second) is not supported yet");
    }
}

/* ---- 12. every allocation fails in turn ---- */

static void test_alloc_faults(void **state)
{
    lh_sqltype vc = lh_sqltype_varchar(LH_SQL_UNBOUNDED), ts[3] = {vc, vc, T(LH_SQL_BIGINT)};
    lh_agg_spec ag[6] = {AG(LH_AGG_COUNT_STAR, NA, NA, T(LH_SQL_BIGINT)), AG(LH_AGG_MIN, 1, NA, vc),
                         AG(LH_AGG_MIN_BY, 1, 2, vc),                    AG(LH_AGG_APPROX_DISTINCT, 1, NA, T(LH_SQL_BIGINT)),
                         AG(LH_AGG_ARBITRARY, 1, NA, vc), AG(LH_AGG_COUNT, 2, NA, T(LH_SQL_BIGINT))};
    long n;
    int ok = 0;
    uint32_t key = 0;
    (void)state;
    ag[5].distinct = 1;
    for (n = 1; n < 2000 && !ok; n++) {
        lh_exec_ctx ctx;
        lh_op *src = NULL, *agg = NULL;
        res r;
        lh_err e;
        lh_rc rc;
        lh_exec_ctx_init(&ctx);
        memset(&r, 0, sizeof r);
        lh_fault_alloc_set(n);
        rc = mk_src_rc(&ctx, ts, 3, 3000, 700, fill_strkeys, NULL, &src, &e);
        if (!rc)
            rc = lh_op_hash_agg(&ctx, src, &key, 1, ag, 6, &agg, &e);
        if (!rc)
            rc = drain(agg, &r, &e);
        lh_fault_alloc_set(0);
        lh_op_free(agg);
        free(r.c);
        if (rc) {
            assert_int_equal(rc, LH_ENOMEM);
            assert_true(strstr(e.msg, "out of memory") != NULL);
        } else {
            assert_int_equal(r.nrows, 37);
            ok = 1;
        }
        assert_int_equal(atomic_load(&ctx.mem_used), 0);
    }
    print_message("allocation walk: %ld points\n", n - 1);
    assert_true(ok && n > 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grouped_random), cmocka_unit_test(test_global_empty),
        cmocka_unit_test(test_string_keys),    cmocka_unit_test(test_null_keys),
        cmocka_unit_test(test_many_groups),    cmocka_unit_test(test_key_types),
        cmocka_unit_test(test_sum_overflow),   cmocka_unit_test(test_decimal),
        cmocka_unit_test(test_every_kind),     cmocka_unit_test(test_minmax_types),
        cmocka_unit_test(test_percentile),
        cmocka_unit_test(test_approx_distinct), cmocka_unit_test(test_listagg), cmocka_unit_test(test_distinct_filter),
        cmocka_unit_test(test_const_dict),     cmocka_unit_test(test_memory_limit),
        cmocka_unit_test(test_cancel_explain), cmocka_unit_test(test_alloc_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
