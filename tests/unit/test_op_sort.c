/* tests/unit/test_op_sort.c — sort and top-N on every key type against a
 * reference stable sort (NULLS FIRST/LAST, ASC/DESC, NaN and -0.0, long
 * decimals, strings with common prefixes), multi-key, stability, top-N
 * against the full sort with offsets; limit and concat; memory limit,
 * cancellation and allocation-failure walks. */
#include "op_testsrc.h"

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
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
    return 0;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t rng = 0x2545f4914f6cdd1dULL;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* ---- reference values ---- */
typedef struct rv {
    int null;
    int64_t i;
    double d;
    lh_i128 x;
    char s[64];
    uint32_t slen;
    lh_tstz t;
} rv;

enum { C_INT, C_I128, C_DBL, C_STR, C_TSTZ };

static int class_of(lh_sqltype t)
{
    switch (lh_phys_of(t)) {
    case LH_P_I128:
        return C_I128;
    case LH_P_F32:
    case LH_P_F64:
        return C_DBL;
    case LH_P_STR:
        return C_STR;
    case LH_P_TSTZ:
        return C_TSTZ;
    default:
        return C_INT;
    }
}

static const char *const strs[] = {"",
                                   "a",
                                   "ab",
                                   "ab\0",
                                   "abc",
                                   "abcdefgh",
                                   "abcdefgh1",
                                   "abcdefgh2",
                                   "abcdefghijklmnopqrstu",
                                   "abcdefghijklmnopqrstv",
                                   "abcdefghijklmnopqrst",
                                   "b",
                                   "z",
                                   "\xc3\xa9t\xc3\xa9",
                                   "\xc3\xa9",
                                   "A long string, longer than twelve"};
static const uint32_t strl[] = {0, 1, 2, 3, 3, 8, 9, 9, 21, 21, 20, 1, 1, 5, 2, 33};

static void gen_value(lh_sqltype t, rv *v)
{
    memset(v, 0, sizeof *v);
    if (rnd() % 10 == 0) {
        v->null = 1;
        return;
    }
    switch (class_of(t)) {
    case C_INT:
        if (t.id == LH_SQL_BOOLEAN)
            v->i = (int64_t)(rnd() % 2);
        else if (t.id == LH_SQL_TINYINT)
            v->i = (int64_t)(rnd() % 256) - 128;
        else if (t.id == LH_SQL_SMALLINT)
            v->i = (int64_t)(rnd() % 65536) - 32768;
        else if (t.id == LH_SQL_BIGINT || t.id == LH_SQL_TIMESTAMP || t.id == LH_SQL_TIME)
            v->i = rnd() % 4 == 0 ? (int64_t)rnd() : (int64_t)(rnd() % 50) - 25;
        else
            v->i = (int64_t)(int32_t)(rnd() % 4 == 0 ? (uint32_t)rnd() : (uint32_t)(rnd() % 50) - 25);
        if (t.id == LH_SQL_DECIMAL)
            v->i %= 1000000000;
        break;
    case C_I128:
        switch (rnd() % 4) {
        case 0:
            v->x = (lh_i128)(int64_t)rnd() * ((lh_i128)1 << 40) + (lh_i128)(rnd() % 1000);
            break;
        case 1:
            v->x = -(lh_i128)(rnd() % 100);
            break;
        default:
            v->x = (lh_i128)(rnd() % 100);
            break;
        }
        break;
    case C_DBL: {
        static const double sp[] = {0.0, -0.0, 1.5, -1.5, 1e300, -1e300, 2.5e-300};
        uint64_t r = rnd() % 12;
        if (r == 0)
            v->d = NAN;
        else if (r == 1)
            v->d = INFINITY;
        else if (r == 2)
            v->d = -INFINITY;
        else if (r < 6)
            v->d = sp[rnd() % N(sp)];
        else
            v->d = (double)((int64_t)(rnd() % 200) - 100) / 8;
        if (t.id == LH_SQL_REAL)
            v->d = (double)(float)v->d;
        break;
    }
    case C_STR: {
        size_t k = rnd() % N(strs);
        memcpy(v->s, strs[k], strl[k]);
        v->slen = strl[k];
        break;
    }
    default:
        v->t.utc_us = (int64_t)(rnd() % 20) - 10;
        v->t.zone = (lh_zone)(rnd() % 3);
        break;
    }
}

static void set_value(lh_batch *b, uint32_t c, uint32_t r, const rv *v)
{
    lh_vector *vec = b->cols[c];
    lh_err e;
    if (v->null) {
        lh_vector_set_null(vec, r);
        return;
    }
    switch (class_of(vec->type)) {
    case C_INT:
        lh_vector_set_i64(vec, r, v->i);
        break;
    case C_I128:
        lh_vector_set_i128(vec, r, v->x);
        break;
    case C_DBL:
        lh_vector_set_f64(vec, r, v->d);
        break;
    case C_STR:
        assert_int_equal(lh_vector_set_str(vec, r, v->s, v->slen, &b->arena, &e), LH_OK);
        break;
    default:
        lh_vector_set_tstz(vec, r, v->t);
        break;
    }
}

/* Trino's order of two non-NULL values, ascending (Double.compare for doubles). */
static int ref_cmp1(int cls, const rv *a, const rv *b)
{
    switch (cls) {
    case C_INT:
        return a->i < b->i ? -1 : a->i > b->i;
    case C_I128:
        return a->x < b->x ? -1 : a->x > b->x;
    case C_DBL:
        if (a->d < b->d)
            return -1;
        if (a->d > b->d)
            return 1;
        if (a->d == b->d) /* 0.0 and -0.0: the negative first */
            return signbit(a->d) == signbit(b->d) ? 0 : signbit(a->d) ? -1 : 1;
        return 0; /* NaN: handled by the caller */
    case C_STR: {
        uint32_t m = a->slen < b->slen ? a->slen : b->slen;
        int c = memcmp(a->s, b->s, m);
        if (c)
            return c < 0 ? -1 : 1;
        return a->slen < b->slen ? -1 : a->slen > b->slen;
    }
    default:
        return a->t.utc_us < b->t.utc_us ? -1 : a->t.utc_us > b->t.utc_us;
    }
}

typedef struct rtable {
    uint32_t nkeys;
    int cls[4];
    lh_sort_key keys[4];
    rv *vals; /* n * nkeys */
    lh_sqltype types[5];
    size_t n;
} rtable;

static const rtable *cur_tab;

static int ref_key_cmp(const rtable *t, size_t ia, size_t ib)
{
    uint32_t k;
    for (k = 0; k < t->nkeys; k++) {
        const rv *a = &t->vals[ia * t->nkeys + k], *b = &t->vals[ib * t->nkeys + k];
        int r;
        if (a->null || b->null) {
            if (a->null && b->null)
                continue;
            return a->null == (t->keys[k].nulls_first != 0) ? -1 : 1;
        }
        if (t->cls[k] == C_DBL && (isnan(a->d) || isnan(b->d))) {
            if (isnan(a->d) && isnan(b->d))
                continue;
            return isnan(a->d) ? 1 : -1; /* NaN last in both directions */
        }
        r = ref_cmp1(t->cls[k], a, b);
        if (t->keys[k].desc)
            r = -r;
        if (r)
            return r;
    }
    return 0;
}

static int ref_idx_cmp(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int r = ref_key_cmp(cur_tab, a, b);
    if (r)
        return r;
    return a < b ? -1 : a > b; /* stable */
}

/* columns: id bigint, then the keys' columns (key k is column k + 1) */
static int fill_rtable(lh_batch *b, uint32_t r, size_t g, void *arg)
{
    const rtable *t = arg;
    uint32_t k;
    lh_vector_set_i64(b->cols[0], r, (int64_t)g);
    for (k = 0; k < t->nkeys; k++)
        set_value(b, k + 1, r, &t->vals[g * t->nkeys + k]);
    return 1;
}

static void rtable_make(rtable *t, size_t n, uint32_t nkeys, const lh_sqltype *kt)
{
    size_t i;
    uint32_t k;
    memset(t, 0, sizeof *t);
    t->n = n;
    t->nkeys = nkeys;
    t->types[0] = lh_sqltype_of(LH_SQL_BIGINT);
    for (k = 0; k < nkeys; k++) {
        t->types[k + 1] = kt[k];
        t->cls[k] = class_of(kt[k]);
        t->keys[k].col = k + 1;
    }
    t->vals = calloc(n * nkeys + 1, sizeof *t->vals);
    assert_non_null(t->vals);
    for (i = 0; i < n; i++)
        for (k = 0; k < nkeys; k++)
            gen_value(kt[k], &t->vals[i * nkeys + k]);
}

/* ids of the reference order, then offset/limit */
static size_t ref_order(const rtable *t, int64_t offset, int64_t limit, int64_t *ids)
{
    size_t *idx = malloc((t->n + 1) * sizeof *idx), i, m = 0;
    assert_non_null(idx);
    for (i = 0; i < t->n; i++)
        idx[i] = i;
    cur_tab = t;
    if (t->n)
        qsort(idx, t->n, sizeof *idx, ref_idx_cmp);
    for (i = (size_t)offset; i < t->n && (limit < 0 || (int64_t)m < limit); i++)
        ids[m++] = (int64_t)idx[i];
    free(idx);
    return m;
}

static size_t drain_ids(lh_op *op, int64_t *ids, size_t max)
{
    lh_err e;
    size_t m = 0;
    for (;;) {
        lh_batch *b;
        lh_rows rows;
        uint32_t k;
        assert_int_equal(lh_op_next(op, &b, &e), LH_OK);
        if (!b)
            return m;
        rows = lh_batch_rows(b);
        assert_true(rows.n > 0 && b->n <= LH_BATCH);
        for (k = 0; k < rows.n; k++) {
            assert_true(m < max);
            ids[m++] = lh_vector_get_i64(b->cols[0], rows.sel ? rows.sel[k] : k);
        }
    }
}

static void check_sort(const rtable *t, int64_t offset, int64_t limit, uint32_t per)
{
    int64_t *want = malloc((t->n + 1) * sizeof *want), *got = malloc((t->n + 1) * sizeof *got);
    size_t nw, ng;
    lh_op *op = NULL;
    lh_err e;
    assert_true(want && got);
    nw = ref_order(t, offset, limit, want);
    assert_int_equal(lh_op_sort(&ctx, tsrc_make(&ctx, t->types, t->nkeys + 1, t->n, per, fill_rtable, (void *)t),
                                t->keys, t->nkeys, offset, limit, &op, &e),
                     LH_OK);
    ng = drain_ids(op, got, t->n);
    lh_op_free(op);
    assert_int_equal(ng, nw);
    if (nw)
        assert_memory_equal(got, want, nw * sizeof *want);
    free(want);
    free(got);
}

static void test_every_type(void **state)
{
    lh_sqltype types[] = {lh_sqltype_of(LH_SQL_BOOLEAN),     lh_sqltype_of(LH_SQL_TINYINT),
                          lh_sqltype_of(LH_SQL_SMALLINT),    lh_sqltype_of(LH_SQL_INTEGER),
                          lh_sqltype_of(LH_SQL_BIGINT),      lh_sqltype_of(LH_SQL_REAL),
                          lh_sqltype_of(LH_SQL_DOUBLE),      lh_sqltype_decimal(12, 2),
                          lh_sqltype_decimal(30, 5),         lh_sqltype_varchar(LH_SQL_UNBOUNDED),
                          lh_sqltype_char(40),               lh_sqltype_of(LH_SQL_VARBINARY),
                          lh_sqltype_of(LH_SQL_DATE),        lh_sqltype_time(3),
                          lh_sqltype_timestamp(6),           lh_sqltype_timestamp_tz(3),
                          lh_sqltype_of(LH_SQL_INTERVAL_DS), lh_sqltype_of(LH_SQL_INTERVAL_YM)};
    size_t i;
    int d, nf;
    (void)state;
    for (i = 0; i < N(types); i++) {
        rtable t;
        rtable_make(&t, 3000, 1, &types[i]);
        for (d = 0; d < 2; d++)
            for (nf = 0; nf < 2; nf++) {
                t.keys[0].desc = d;
                t.keys[0].nulls_first = nf;
                check_sort(&t, 0, -1, 1000);
            }
        free(t.vals);
    }
}

static void test_multi_key(void **state)
{
    lh_sqltype kt[3] = {lh_sqltype_of(LH_SQL_SMALLINT), lh_sqltype_varchar(LH_SQL_UNBOUNDED),
                        lh_sqltype_of(LH_SQL_DOUBLE)};
    rtable t;
    int m;
    (void)state;
    rtable_make(&t, 20000, 3, kt);
    for (m = 0; m < 8; m++) {
        t.keys[0].desc = m & 1;
        t.keys[1].desc = (m >> 1) & 1;
        t.keys[1].nulls_first = m & 1;
        t.keys[2].nulls_first = (m >> 2) & 1;
        t.keys[2].desc = (m >> 2) & 1;
        check_sort(&t, 0, -1, 2048);
    }
    /* the string key first (inexact prefix), then the others */
    {
        lh_sqltype k2[2] = {lh_sqltype_varchar(LH_SQL_UNBOUNDED), lh_sqltype_decimal(30, 5)};
        rtable u;
        rtable_make(&u, 10000, 2, k2);
        check_sort(&u, 0, -1, 777);
        u.keys[0].desc = 1;
        u.keys[1].desc = 1;
        check_sort(&u, 0, -1, 777);
        free(u.vals);
    }
    free(t.vals);
}

/* strings that all share a long prefix (the sort skips it), with NULLs */
static void test_common_prefix(void **state)
{
    lh_sqltype kt[2] = {lh_sqltype_varchar(LH_SQL_UNBOUNDED), lh_sqltype_of(LH_SQL_INTEGER)};
    static const char pre[] = "a common prefix, ";
    rtable t;
    size_t i;
    int m;
    (void)state;
    rtable_make(&t, 6000, 2, kt);
    for (i = 0; i < t.n; i++) {
        rv *v = &t.vals[i * 2];
        if (v->null)
            continue;
        memmove(v->s + sizeof pre - 1, v->s, v->slen);
        memcpy(v->s, pre, sizeof pre - 1);
        v->slen += (uint32_t)(sizeof pre - 1);
    }
    for (m = 0; m < 4; m++) {
        t.keys[0].desc = m & 1;
        t.keys[0].nulls_first = m >> 1;
        check_sort(&t, 0, -1, 1000);
        check_sort(&t, 7, 50, 1000);
    }
    free(t.vals);
}

static void test_doubles_exact(void **state)
{
    static const double v[] = {1, NAN, -0.0, 0 /* NULL */, -INFINITY, 0.0, INFINITY, -1};
    static const char *const asc[] = {"4|-inf", "7|-1", "2|-0", "5|0", "0|1", "6|inf", "1|NaN", "3|NULL"};
    static const char *const desc_nf[] = {"3|NULL", "6|inf", "0|1", "5|0", "2|-0", "7|-1", "4|-inf", "1|NaN"};
    lh_sqltype ts[2] = {lh_sqltype_of(LH_SQL_BIGINT), lh_sqltype_of(LH_SQL_DOUBLE)};
    lh_sort_key k = {1, 0, 0};
    int pass;
    (void)state;
    for (pass = 0; pass < 2; pass++) {
        lh_op *src = tsrc_make(&ctx, ts, 2, 0, 1, NULL, NULL), *op = NULL;
        lh_batch *b = NULL;
        lh_err e;
        lines got;
        uint32_t i;
        assert_int_equal(lh_batch_create(ts, 2, 0, &b, &e), LH_OK);
        for (i = 0; i < N(v); i++) {
            lh_vector_set_i64(b->cols[0], i, i);
            if (i == 3)
                lh_vector_set_null(b->cols[1], i);
            else
                lh_vector_set_f64(b->cols[1], i, v[i]);
        }
        b->n = N(v);
        tsrc_push(src, b);
        k.desc = pass;
        k.nulls_first = pass;
        assert_int_equal(lh_op_sort(&ctx, src, &k, 1, 0, -1, &op, &e), LH_OK);
        assert_int_equal(drain_lines(op, &got, &e), LH_OK);
        lines_expect(&got, pass ? desc_nf : asc, N(v), 0);
        lines_free(&got);
        lh_op_free(op);
    }
}

/* DICT and CONST input columns, a batch behind a selection */
static void test_dict_const_sel(void **state)
{
    lh_sqltype ts[2] = {lh_sqltype_varchar(LH_SQL_UNBOUNDED), lh_sqltype_of(LH_SQL_INTEGER)};
    static const char *const want[] = {"a dictionary entry, long|7", "a dictionary entry, long|9", "b|7",
                                       "constant and longer than twelve|8", "constant and longer than twelve|8",
                                       "NULL|7"};
    static const uint16_t idx[5] = {1, 0, 2, 1, 0}, sel[3] = {0, 2, 4};
    lh_op *src = tsrc_make(&ctx, ts, 2, 0, 1, NULL, NULL), *op = NULL;
    lh_batch *b = NULL;
    lh_vector *d = NULL;
    lh_sort_key k = {0, 0, 0};
    lh_err e;
    lines got;
    uint32_t i;
    (void)state;
    /* batch 1: DICT strings {a dictionary entry, long | b | NULL}, CONST 7, rows {0, 2, 4} live */
    assert_int_equal(lh_batch_create(ts, 2, 0, &b, &e), LH_OK);
    assert_int_equal(lh_vector_set_dict(b->cols[0], 3, &d, &e), LH_OK);
    assert_int_equal(lh_vector_set_str(d, 0, "a dictionary entry, long", 24, &b->arena, &e), LH_OK);
    assert_int_equal(lh_vector_set_str(d, 1, "b", 1, &b->arena, &e), LH_OK);
    lh_vector_set_null(d, 2);
    for (i = 0; i < 5; i++)
        b->cols[0]->dict_idx[i] = idx[i];
    lh_vector_set_const(b->cols[1], 0);
    lh_vector_set_i64(b->cols[1], 0, 7);
    b->n = 5;
    lh_batch_select(b, sel, 3); /* b, NULL, a dictionary entry */
    tsrc_push(src, b);
    /* batch 2: CONST string, flat integers */
    assert_int_equal(lh_batch_create(ts, 2, 0, &b, &e), LH_OK);
    lh_vector_set_const(b->cols[0], 0);
    assert_int_equal(lh_vector_set_str(b->cols[0], 0, "constant and longer than twelve", 31, &b->arena, &e), LH_OK);
    lh_vector_set_i64(b->cols[1], 0, 8);
    lh_vector_set_i64(b->cols[1], 1, 8);
    b->n = 2;
    tsrc_push(src, b);
    /* batch 3: a NULL-free flat row */
    assert_int_equal(lh_batch_create(ts, 2, 0, &b, &e), LH_OK);
    assert_int_equal(lh_vector_set_str(b->cols[0], 0, "a dictionary entry, long", 24, &b->arena, &e), LH_OK);
    lh_vector_set_i64(b->cols[1], 0, 9);
    b->n = 1;
    tsrc_push(src, b);
    assert_int_equal(lh_op_sort(&ctx, src, &k, 1, 0, -1, &op, &e), LH_OK);
    assert_int_equal(drain_lines(op, &got, &e), LH_OK);
    lines_expect(&got, want, N(want), 0);
    lines_free(&got);
    lh_op_free(op);
}

static void test_stability(void **state)
{
    int64_t vals[2 * 5000];
    lh_sort_key k = {1, 1, 0};
    lh_op *op = NULL;
    lh_err e;
    size_t i;
    int64_t ids[5000], prevk = INT64_MAX, previd = -1;
    (void)state;
    for (i = 0; i < 5000; i++) {
        vals[2 * i] = (int64_t)i;
        vals[2 * i + 1] = (int64_t)(rnd() % 4);
    }
    assert_int_equal(lh_op_sort(&ctx, src_i64(&ctx, 2, 5000, vals, 300), &k, 1, 0, -1, &op, &e), LH_OK);
    assert_int_equal(drain_ids(op, ids, 5000), 5000);
    for (i = 0; i < 5000; i++) {
        int64_t key = vals[2 * ids[i] + 1];
        assert_true(key <= prevk);
        if (key == prevk)
            assert_true(ids[i] > previd); /* equal keys keep input order */
        prevk = key;
        previd = ids[i];
    }
    lh_op_free(op);
}

static void test_topn(void **state)
{
    static const int64_t cases[][2] = {{0, 10}, {5, 10},    {0, 0},   {100, 3000}, {0, 60000},
                                       {49990, 100}, {70000, 5}, {10, -1}, {0, 1},      {2047, 2049}};
    lh_sqltype kt[2] = {lh_sqltype_of(LH_SQL_INTEGER), lh_sqltype_varchar(LH_SQL_UNBOUNDED)};
    rtable t;
    size_t c;
    (void)state;
    rtable_make(&t, 50000, 2, kt);
    for (c = 0; c < N(cases); c++) {
        t.keys[0].desc = (int)(c & 1);
        t.keys[1].nulls_first = (int)((c >> 1) & 1);
        check_sort(&t, cases[c][0], cases[c][1], 1999);
    }
    free(t.vals);
}

static void test_explain(void **state)
{
    static const int64_t v[] = {1, 2, 3, 4};
    lh_sort_key k[2] = {{1, 1, 0}, {0, 0, 1}};
    lh_op *op = NULL;
    lh_err e;
    lh_buf buf;
    (void)state;
    lh_buf_init(&buf, 0);
    assert_int_equal(lh_op_sort(&ctx, src_i64(&ctx, 2, 2, v, 2), k, 1, 0, 10, &op, &e), LH_OK);
    assert_int_equal(lh_op_explain(op, 0, &buf, &e), LH_OK);
    assert_string_equal(lh_buf_cstr(&buf), "TopN [keys: #1 DESC NULLS LAST; limit 10]\n  -> TestSource\n");
    lh_op_free(op);
    lh_buf_reset(&buf);
    assert_int_equal(lh_op_sort(&ctx, src_i64(&ctx, 2, 2, v, 2), k, 2, 3, -1, &op, &e), LH_OK);
    assert_int_equal(lh_op_explain(op, 0, &buf, &e), LH_OK);
    assert_string_equal(lh_buf_cstr(&buf), "Sort [keys: #1 DESC NULLS LAST, #0 ASC NULLS FIRST; offset 3]\n"
                                           "  -> TestSource\n");
    lh_op_free(op);
    lh_buf_free(&buf);
    k[0].col = 9;
    assert_int_equal(lh_op_sort(&ctx, src_i64(&ctx, 2, 2, v, 2), k, 1, 0, -1, &op, &e), LH_EINTERNAL);
    assert_null(op);
}

/* ---- limit ---- */
static int fill_seq(lh_batch *b, uint32_t r, size_t g, void *arg)
{
    (void)arg;
    lh_vector_set_i64(b->cols[0], r, (int64_t)g);
    return g % 7 != 3; /* some rows behind a selection */
}

static void test_limit(void **state)
{
    static const int64_t cases[][2] = {{0, 5}, {0, 0}, {3, 4}, {0, -1}, {1000, -1}, {2040, 30}, {9000, 10}, {1, 5000}};
    lh_sqltype ts[1] = {lh_sqltype_of(LH_SQL_BIGINT)};
    size_t c;
    (void)state;
    for (c = 0; c < N(cases); c++) {
        lh_op *src = tsrc_make(&ctx, ts, 1, 6000, 1024, fill_seq, NULL), *op = NULL;
        int64_t want[6000], got[6000];
        size_t nw = 0, ng, g, live = 0;
        lh_err e;
        for (g = 0; g < 6000; g++)
            if (g % 7 != 3) {
                if ((int64_t)live >= cases[c][0] && (cases[c][1] < 0 || (int64_t)nw < cases[c][1]))
                    want[nw++] = (int64_t)g;
                live++;
            }
        assert_int_equal(lh_op_limit(&ctx, src, cases[c][0], cases[c][1], &op, &e), LH_OK);
        ng = drain_ids(op, got, 6000);
        assert_int_equal(ng, nw);
        if (nw)
            assert_memory_equal(got, want, nw * sizeof *want);
        if (cases[c][1] >= 0 && cases[c][0] + cases[c][1] <= 2000)
            assert_true(((tsrc *)src)->pos <= 3); /* stopped pulling once the limit was reached */
        if (cases[c][1] == 0)
            assert_int_equal(((tsrc *)src)->pos, 0);
        lh_op_free(op);
    }
    {
        lh_op *op = NULL;
        lh_err e;
        lh_buf buf;
        lh_buf_init(&buf, 0);
        assert_int_equal(lh_op_limit(&ctx, tsrc_make(&ctx, ts, 1, 10, 5, fill_seq, NULL), 5, 10, &op, &e), LH_OK);
        assert_int_equal(lh_op_explain(op, 0, &buf, &e), LH_OK);
        assert_string_equal(lh_buf_cstr(&buf), "Limit [limit 10, offset 5]\n  -> TestSource\n");
        lh_op_free(op);
        lh_buf_free(&buf);
    }
}

/* ---- concat ---- */
static void test_concat(void **state)
{
    static const int64_t a[] = {1, 2, 3}, b[] = {10, 20}, c[] = {100}, d[] = {1000, 2000};
    static const char *const want4[] = {"1", "2", "3", "10", "20", "100", "1000", "2000"};
    lh_op *kids[4], *op = NULL;
    lh_err e;
    lines got;
    lh_buf buf;
    size_t n;
    (void)state;
    for (n = 1; n <= 4; n++) {
        size_t total = 0, i;
        kids[0] = src_i64(&ctx, 1, 3, a, 2);
        kids[1] = src_i64(&ctx, 1, 0, b, 2); /* an empty child */
        kids[2] = src_i64(&ctx, 1, 2, b, 1);
        kids[3] = src_i64(&ctx, 1, 1, c, 1);
        for (i = n; i < 4; i++)
            lh_op_free(kids[i]);
        assert_int_equal(lh_op_concat(&ctx, kids, n, &op, &e), LH_OK);
        assert_int_equal(drain_lines(op, &got, &e), LH_OK);
        total = n >= 1 ? 3 : 0;
        total += n >= 3 ? 2 : 0;
        total += n >= 4 ? 1 : 0;
        assert_int_equal(got.n, total);
        lines_free(&got);
        lh_op_free(op);
    }
    kids[0] = src_i64(&ctx, 1, 3, a, 2);
    kids[1] = src_i64(&ctx, 1, 2, b, 1);
    kids[2] = src_i64(&ctx, 1, 1, c, 1);
    kids[3] = src_i64(&ctx, 1, 2, d, 2);
    assert_int_equal(lh_op_concat(&ctx, kids, 4, &op, &e), LH_OK);
    lh_buf_init(&buf, 0);
    assert_int_equal(lh_op_explain(op, 0, &buf, &e), LH_OK);
    assert_string_equal(lh_buf_cstr(&buf), "Concat\n  -> TestSource\n  -> Concat\n    -> TestSource\n"
                                           "    -> Concat\n      -> TestSource\n      -> TestSource\n");
    lh_buf_free(&buf);
    assert_int_equal(drain_lines(op, &got, &e), LH_OK);
    lines_expect(&got, want4, N(want4), 0); /* in child order */
    lines_free(&got);
    lh_op_free(op);
    /* children of different types: refused, all freed */
    kids[0] = src_i64(&ctx, 1, 3, a, 2);
    kids[1] = src_i64(&ctx, 2, 1, d, 1);
    kids[2] = src_i64(&ctx, 1, 1, c, 1);
    assert_int_equal(lh_op_concat(&ctx, kids, 3, &op, &e), LH_EINTERNAL);
    assert_null(op);
}

static void test_memory_limit(void **state)
{
    lh_sqltype kt[1] = {lh_sqltype_varchar(LH_SQL_UNBOUNDED)};
    rtable t;
    lh_op *op = NULL;
    lh_batch *b;
    lh_err e;
    (void)state;
    rtable_make(&t, 100000, 1, kt);
    ctx.mem_limit = (size_t)1 << 20;
    assert_int_equal(lh_op_sort(&ctx, tsrc_make(&ctx, t.types, 2, t.n, 2048, fill_rtable, &t), t.keys, 1, 0, -1,
                                &op, &e),
                     LH_OK);
    assert_int_equal(lh_op_next(op, &b, &e), LH_ELIMIT);
    assert_string_equal(e.msg,
                        "Sort: memory limit of 1.0 MiB exceeded (raise it with --memory-limit, or narrow the query)");
    lh_op_free(op);
    /* the same input under a top-N of 10 stays within the budget */
    assert_int_equal(lh_op_sort(&ctx, tsrc_make(&ctx, t.types, 2, t.n, 2048, fill_rtable, &t), t.keys, 1, 0, 10,
                                &op, &e),
                     LH_OK);
    {
        int64_t ids[10];
        assert_int_equal(drain_ids(op, ids, 10), 10);
    }
    lh_op_free(op);
    ctx.mem_limit = 0;
    free(t.vals);
}

static void test_cancel(void **state)
{
    static const int64_t v[] = {1, 2, 3, 4};
    lh_sort_key k = {0, 0, 0};
    atomic_int flag;
    lh_op *op = NULL;
    lh_batch *b;
    lh_err e;
    (void)state;
    atomic_init(&flag, 1);
    ctx.interrupt = &flag;
    assert_int_equal(lh_op_sort(&ctx, src_i64(&ctx, 1, 4, v, 2), &k, 1, 0, -1, &op, &e), LH_OK);
    assert_int_equal(lh_op_next(op, &b, &e), LH_ECANCELLED);
    assert_string_equal(e.msg, "cancelled");
    ctx.interrupt = NULL;
    lh_op_free(op);
}

static void test_alloc_faults(void **state)
{
    lh_sqltype kt[2] = {lh_sqltype_varchar(LH_SQL_UNBOUNDED), lh_sqltype_decimal(30, 5)};
    static const int64_t lims[] = {-1, 3};
    rtable t;
    size_t li;
    (void)state;
    rtable_make(&t, 5000, 2, kt);
    for (li = 0; li < N(lims); li++) {
        int64_t want[5000], got[5000];
        size_t nw = ref_order(&t, 1, lims[li], want);
        long n;
        int ok = 0;
        for (n = 1; n < 300 && !ok; n++) {
            lh_op *src = tsrc_make(&ctx, t.types, 3, t.n, 1500, fill_rtable, &t), *op = NULL, *lim = NULL;
            lh_op *kids[3];
            lh_err e;
            lh_rc rc;
            size_t m = 0;
            kids[0] = tsrc_make(&ctx, t.types, 3, 0, 1, NULL, NULL);
            kids[1] = tsrc_make(&ctx, t.types, 3, 0, 1, NULL, NULL);
            lh_fault_alloc_set(n);
            rc = lh_op_sort(&ctx, src, t.keys, 2, 1, lims[li], &op, &e);
            if (!rc) {
                kids[2] = op;
                op = NULL;
                /* Concat(empty, empty, Sort) under a Limit of everything */
                rc = lh_op_concat(&ctx, kids, 3, &op, &e);
                kids[0] = kids[1] = NULL;
            }
            if (!rc)
                rc = lh_op_limit(&ctx, op, 0, -1, &lim, &e);
            else {
                lh_op_free(kids[0]);
                lh_op_free(kids[1]);
            }
            while (!rc) {
                lh_batch *b;
                lh_rows rows;
                uint32_t k;
                rc = lh_op_next(lim, &b, &e);
                if (rc || !b)
                    break;
                rows = lh_batch_rows(b);
                for (k = 0; k < rows.n; k++)
                    got[m++] = lh_vector_get_i64(b->cols[0], rows.sel ? rows.sel[k] : k);
            }
            lh_fault_alloc_set(0);
            if (rc) {
                assert_int_equal(rc, LH_ENOMEM);
                assert_true(strstr(e.msg, "out of memory") != NULL);
            } else {
                assert_int_equal(m, nw);
                assert_memory_equal(got, want, nw * sizeof *want);
                ok = 1;
            }
            lh_op_free(lim);
            assert_int_equal(atomic_load(&ctx.mem_used), 0);
        }
        assert_true(ok);
        assert_true(n > 10);
    }
    free(t.vals);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_ctx, check_ctx)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_every_type), T(test_multi_key), T(test_common_prefix), T(test_doubles_exact), T(test_dict_const_sel), T(test_stability),
        T(test_topn),       T(test_explain),   T(test_limit),         T(test_concat),
        T(test_memory_limit), T(test_cancel), T(test_alloc_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
