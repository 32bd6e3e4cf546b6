/* Unit tests: exec/expr (the expression evaluator): every node kind over
 * batches with NULLs, selections, CONST and DICT inputs; the lazy forms;
 * TRY; IN with NULLs; constructor ownership on failure; EXPLAIN text; an
 * allocation-failure walk over build + prepare + eval. */
#include "testutil.h"

#include <math.h>

#include "exec/expr.h"

static lh_sqltype T(lh_sqltype_id id) { return lh_sqltype_of(id); }
static const lh_xenv ENV = {0, 0};

static lh_batch *mkbatch(const lh_sqltype *types, uint32_t ncols, uint32_t n)
{
    lh_batch *b = NULL;
    lh_err e;
    assert_int_equal(lh_batch_create(types, ncols, 0, &b, &e), LH_OK);
    b->n = n;
    return b;
}

static lh_xexpr *col(uint32_t c, lh_sqltype t)
{
    lh_err e;
    lh_xexpr *x = lh_x_col(c, t, &e);
    assert_non_null(x);
    return x;
}

static lh_xexpr *cint(lh_sqltype t, int64_t v)
{
    lh_vector *tmp = NULL;
    lh_xexpr *x;
    lh_err e;
    assert_int_equal(lh_vector_create(t, 1, &tmp, &e), LH_OK);
    lh_vector_set_i64(tmp, 0, v);
    x = lh_x_const(tmp, &e);
    lh_vector_free(tmp);
    assert_non_null(x);
    return x;
}

static lh_xexpr *cbig(int64_t v) { return cint(T(LH_SQL_BIGINT), v); }

static lh_xexpr *cdbl(double v)
{
    lh_vector *tmp = NULL;
    lh_xexpr *x;
    lh_err e;
    assert_int_equal(lh_vector_create(T(LH_SQL_DOUBLE), 1, &tmp, &e), LH_OK);
    lh_vector_set_f64(tmp, 0, v);
    x = lh_x_const(tmp, &e);
    lh_vector_free(tmp);
    assert_non_null(x);
    return x;
}

static lh_xexpr *cstr(const char *s)
{
    lh_vector *tmp = NULL;
    lh_xexpr *x;
    lh_err e;
    assert_int_equal(lh_vector_create(lh_sqltype_varchar(LH_SQL_UNBOUNDED), 1, &tmp, &e), LH_OK);
    assert_int_equal(lh_vector_set_str(tmp, 0, s, strlen(s), NULL, &e), LH_OK);
    x = lh_x_const(tmp, &e);
    lh_vector_free(tmp);
    assert_non_null(x);
    return x;
}

static lh_xexpr *cnull(lh_sqltype t)
{
    lh_err e;
    lh_xexpr *x = lh_x_null(t, &e);
    assert_non_null(x);
    return x;
}

static lh_xexpr *arith(lh_arith_op op, lh_xexpr *a, lh_xexpr *b)
{
    lh_err e;
    lh_xexpr *x = lh_x_arith(op, a, b, lh_xexpr_type(a), &e);
    assert_non_null(x);
    return x;
}

static lh_xexpr *cmp(lh_cmp_op op, lh_xexpr *a, lh_xexpr *b)
{
    lh_err e;
    lh_xexpr *x = lh_x_cmp(op, a, b, &e);
    assert_non_null(x);
    return x;
}

static lh_xexpr *nary(lh_xkind k, unsigned flags, lh_sqltype t, size_t n, ...)
{
    lh_xexpr *args[16], *x;
    lh_err e;
    va_list ap;
    size_t i;
    va_start(ap, n);
    for (i = 0; i < n; i++)
        args[i] = va_arg(ap, lh_xexpr *);
    va_end(ap);
    x = lh_x_nary(k, args, n, flags, t, &e);
    assert_non_null(x);
    return x;
}

static void prep(lh_xexpr *x, const lh_sqltype *types, uint32_t n)
{
    lh_err e;
    lh_rc rc = lh_xexpr_prepare(x, types, n, &ENV, &e);
    if (rc)
        fail_msg("prepare: %s", e.msg);
}

static lh_vector *ev(lh_xexpr *x, lh_batch *b)
{
    lh_vector *v = NULL;
    lh_err e;
    lh_rc rc = lh_xexpr_eval(x, b, &v, &e);
    if (rc)
        fail_msg("eval: %s", e.msg);
    return v;
}

/* "NULL" or the bigint value of row r */
static int64_t I(lh_vector *v, uint32_t r) { return lh_vector_get_i64(v, r); }
static int NUL(lh_vector *v, uint32_t r) { return !lh_vector_get_valid(v, r); }

/* boolean row: 0, 1, or -1 for NULL */
static int B(lh_vector *v, uint32_t r) { return NUL(v, r) ? -1 : (int)lh_vector_get_i64(v, r); }

static void fmt_is(const lh_xexpr *x, const char *want)
{
    lh_buf b;
    lh_err e;
    lh_buf_init(&b, 0);
    assert_int_equal(lh_xexpr_format(x, &b, &e), LH_OK);
    assert_string_equal(lh_buf_cstr(&b), want);
    lh_buf_free(&b);
}

/* ---- column, constant, arithmetic, comparison ---- */

static void test_col_const_arith(void **state)
{
    lh_sqltype ts[2] = {T(LH_SQL_BIGINT), T(LH_SQL_BIGINT)};
    lh_batch *b = mkbatch(ts, 2, 6);
    lh_xexpr *c0 = col(0, ts[0]), *sum, *k;
    lh_vector *v;
    lh_err e;
    uint32_t i;
    uint16_t sel[3] = {1, 3, 5};
    (void)state;
    for (i = 0; i < 6; i++) {
        lh_vector_set_i64(b->cols[0], i, (int64_t)i * 10);
        lh_vector_set_i64(b->cols[1], i, (int64_t)i);
    }
    lh_vector_set_null(b->cols[1], 2);
    prep(c0, ts, 2);
    assert_ptr_equal(ev(c0, b), b->cols[0]); /* no copy */
    assert_int_equal(lh_xexpr_col(c0), 0);
    assert_false(lh_xexpr_is_constant(c0));
    lh_xexpr_free(c0);

    k = cbig(5);
    assert_true(lh_xexpr_is_constant(k));
    assert_int_equal(lh_xexpr_col(k), UINT32_MAX);
    prep(k, ts, 2);
    v = ev(k, b);
    assert_int_equal(v->kind, LH_VEC_CONST);
    assert_int_equal(I(v, 4), 5);
    lh_xexpr_free(k);

    /* (#0 + #1) * 5 over all rows, then over a selection */
    sum = arith(LH_OP_MUL, arith(LH_OP_ADD, col(0, ts[0]), col(1, ts[1])), cbig(5));
    assert_int_equal(lh_xexpr_kind(sum), LH_X_ARITH);
    prep(sum, ts, 2);
    v = ev(sum, b);
    assert_int_equal(I(v, 1), 55);
    assert_true(NUL(v, 2));
    assert_int_equal(I(v, 5), 275);
    lh_batch_select(b, sel, 3);
    v = ev(sum, b);
    assert_int_equal(I(v, 3), 165);
    assert_int_equal(I(v, 5), 275);
    fmt_is(sum, "((#0 + #1) * BIGINT '5')");
    lh_xexpr_free(sum);

    /* overflow is the kernel's error, worded as Trino's */
    b->sel = NULL;
    lh_vector_set_i64(b->cols[0], 4, INT64_MAX);
    sum = arith(LH_OP_ADD, col(0, ts[0]), col(1, ts[1]));
    prep(sum, ts, 2);
    assert_int_equal(lh_xexpr_eval(sum, b, &v, &e), LH_EDATA);
    assert_string_equal(e.msg, "bigint addition overflow: 9223372036854775807 + 4");
    lh_xexpr_free(sum);

    /* negation, comparison */
    {
        lh_xexpr *n = NULL, *c;
        n = lh_x_neg(col(1, ts[1]), &e);
        assert_non_null(n);
        c = cmp(LH_CMP_GT, n, cbig(-3));
        prep(c, ts, 2);
        v = ev(c, b);
        assert_int_equal(B(v, 0), 1);
        assert_int_equal(B(v, 2), -1);
        assert_int_equal(B(v, 3), 0);
        fmt_is(c, "((- #1) > BIGINT '-3')");
        lh_xexpr_free(c);
    }
    lh_batch_free(b);
}

/* a DICT input column and a CONST input column feed the kernels */
static void test_dict_const_inputs(void **state)
{
    lh_sqltype ts[2] = {lh_sqltype_varchar(LH_SQL_UNBOUNDED), T(LH_SQL_BIGINT)};
    lh_batch *b = mkbatch(ts, 2, 4);
    lh_vector *d = NULL, *v;
    lh_xexpr *x, *y;
    lh_err e;
    (void)state;
    assert_int_equal(lh_vector_set_dict(b->cols[0], 2, &d, &e), LH_OK);
    assert_int_equal(lh_vector_set_str(d, 0, "alpha-long-string", 17, NULL, &e), LH_OK);
    assert_int_equal(lh_vector_set_str(d, 1, "b", 1, NULL, &e), LH_OK);
    b->cols[0]->dict_idx[0] = 1;
    b->cols[0]->dict_idx[1] = 0;
    b->cols[0]->dict_idx[2] = 1;
    b->cols[0]->dict_idx[3] = 0;
    lh_vector_set_null(b->cols[0], 3);
    lh_vector_set_const(b->cols[1], 0);
    lh_vector_set_i64(b->cols[1], 0, 42);
    /* #0 = 'b' AND #1 = 42 */
    x = nary(LH_X_AND, 0, T(LH_SQL_BOOLEAN), 2, cmp(LH_CMP_EQ, col(0, ts[0]), cstr("b")),
             cmp(LH_CMP_EQ, col(1, ts[1]), cbig(42)));
    prep(x, ts, 2);
    v = ev(x, b);
    assert_int_equal(B(v, 0), 1);
    assert_int_equal(B(v, 1), 0);
    assert_int_equal(B(v, 2), 1);
    assert_int_equal(B(v, 3), -1);
    lh_xexpr_free(x);
    /* COALESCE over the (now flat) column copies views */
    y = nary(LH_X_COALESCE, 0, ts[0], 2, col(0, ts[0]), cstr("none"));
    prep(y, ts, 2);
    v = ev(y, b);
    {
        lh_str s1 = lh_vector_get_str(v, 1), s3 = lh_vector_get_str(v, 3);
        assert_int_equal(lh_str_len(&s1), 17);
        assert_memory_equal(lh_str_ptr(&s1), "alpha-long-string", 17);
        assert_memory_equal(lh_str_ptr(&s3), "none", 4);
    }
    lh_xexpr_free(y);
    lh_batch_free(b);
}

/* ---- AND / OR / NOT / IS NULL ---- */

static void test_logic(void **state)
{
    /* all 9 pairs of (a, b) in {F, T, NULL} */
    lh_sqltype ts[3] = {T(LH_SQL_BOOLEAN), T(LH_SQL_BOOLEAN), T(LH_SQL_BIGINT)};
    lh_batch *b = mkbatch(ts, 3, 9);
    static const int want_and[9] = {0, 0, 0, 0, 1, -1, 0, -1, -1};
    static const int want_or[9] = {0, 1, -1, 1, 1, 1, -1, 1, -1};
    lh_xexpr *a, *o, *n, *isn;
    lh_vector *v;
    uint32_t i;
    (void)state;
    for (i = 0; i < 9; i++) {
        int x = (int)(i / 3), y = (int)(i % 3);
        lh_vector_set_bool(b->cols[0], i, x == 1);
        lh_vector_set_bool(b->cols[1], i, y == 1);
        if (x == 2)
            lh_vector_set_null(b->cols[0], i);
        if (y == 2)
            lh_vector_set_null(b->cols[1], i);
        lh_vector_set_i64(b->cols[2], i, 0);
    }
    a = nary(LH_X_AND, 0, ts[0], 2, col(0, ts[0]), col(1, ts[1]));
    o = nary(LH_X_OR, 0, ts[0], 2, col(0, ts[0]), col(1, ts[1]));
    prep(a, ts, 3);
    prep(o, ts, 3);
    v = ev(a, b);
    for (i = 0; i < 9; i++)
        assert_int_equal(B(v, i), want_and[i]);
    v = ev(o, b);
    for (i = 0; i < 9; i++)
        assert_int_equal(B(v, i), want_or[i]);
    fmt_is(a, "(#0 AND #1)");
    lh_xexpr_free(a);
    lh_xexpr_free(o);

    /* NOT and IS [NOT] NULL */
    {
        lh_err e;
        n = lh_x_unary(LH_X_NOT, col(0, ts[0]), 0, &e);
        isn = lh_x_unary(LH_X_IS_NULL, col(1, ts[1]), LH_XF_NOT, &e);
        assert_non_null(n);
        assert_non_null(isn);
        prep(n, ts, 3);
        prep(isn, ts, 3);
        v = ev(n, b);
        assert_int_equal(B(v, 0), 1);
        assert_int_equal(B(v, 3), 0);
        assert_int_equal(B(v, 6), -1);
        v = ev(isn, b);
        assert_int_equal(B(v, 0), 1);
        assert_int_equal(B(v, 2), 0);
        fmt_is(isn, "(#1 IS NOT NULL)");
        fmt_is(n, "(NOT #0)");
        lh_xexpr_free(n);
        lh_xexpr_free(isn);
    }

    /* three-argument AND/OR: the third argument divides by #2 = 0, and is
     * never evaluated because every row is decided before it */
    {
        lh_err e;
        uint16_t sel[2] = {0, 3};
        lh_xexpr *div = cmp(LH_CMP_EQ, arith(LH_OP_DIV, cbig(1), col(2, ts[2])), cbig(1));
        a = nary(LH_X_AND, 0, ts[0], 3, col(0, ts[0]), cmp(LH_CMP_EQ, col(2, ts[2]), cbig(1)), div);
        prep(a, ts, 3);
        v = ev(a, b);
        for (i = 0; i < 9; i++)
            assert_int_equal(B(v, i), 0);
        lh_xexpr_free(a);
        div = cmp(LH_CMP_EQ, arith(LH_OP_DIV, cbig(1), col(2, ts[2])), cbig(1));
        o = nary(LH_X_OR, 0, ts[0], 2, col(0, ts[0]), div);
        prep(o, ts, 3);
        /* rows 3..5 are TRUE: OR skips the division there, but row 0 is
         * FALSE and divides by zero */
        assert_int_equal(lh_xexpr_eval(o, b, &v, &e), LH_EDATA);
        assert_string_equal(e.msg, "Division by zero");
        lh_batch_select(b, sel + 1, 1);
        v = ev(o, b);
        assert_int_equal(B(v, 3), 1);
        lh_xexpr_free(o);
    }
    lh_batch_free(b);
}

/* ---- CASE, COALESCE: lazy ---- */

static void test_case_lazy(void **state)
{
    lh_sqltype ts[1] = {T(LH_SQL_BIGINT)};
    lh_batch *b = mkbatch(ts, 1, 5);
    lh_xexpr *c;
    lh_vector *v;
    lh_err e;
    (void)state;
    lh_vector_set_i64(b->cols[0], 0, 0);
    lh_vector_set_i64(b->cols[0], 1, 2);
    lh_vector_set_i64(b->cols[0], 2, 0);
    lh_vector_set_i64(b->cols[0], 3, -5);
    lh_vector_set_null(b->cols[0], 4);
    /* CASE WHEN x = 0 THEN 0 ELSE 10 / x END: never divides by zero */
    c = nary(LH_X_CASE, LH_XF_ELSE, ts[0], 3, cmp(LH_CMP_EQ, col(0, ts[0]), cbig(0)), cbig(0),
             arith(LH_OP_DIV, cbig(10), col(0, ts[0])));
    prep(c, ts, 1);
    v = ev(c, b);
    assert_int_equal(I(v, 0), 0);
    assert_int_equal(I(v, 1), 5);
    assert_int_equal(I(v, 2), 0);
    assert_int_equal(I(v, 3), -2);
    assert_true(NUL(v, 4)); /* WHEN NULL is not TRUE: ELSE 10 / NULL */
    fmt_is(c, "CASE WHEN (#0 = BIGINT '0') THEN BIGINT '0' ELSE (BIGINT '10' / #0) END");
    lh_xexpr_free(c);

    /* first matching WHEN wins; no ELSE -> NULL */
    c = nary(LH_X_CASE, 0, ts[0], 4, cmp(LH_CMP_LT, col(0, ts[0]), cbig(1)), cbig(100),
             cmp(LH_CMP_LT, col(0, ts[0]), cbig(10)), arith(LH_OP_DIV, cbig(1), arith(LH_OP_SUB, col(0, ts[0]), col(0, ts[0]))));
    prep(c, ts, 1);
    /* row 1 (x = 2) reaches the second THEN, which divides by x - x = 0 */
    assert_int_equal(lh_xexpr_eval(c, b, &v, &e), LH_EDATA);
    lh_vector_set_i64(b->cols[0], 1, 20);
    v = ev(c, b);
    assert_int_equal(I(v, 0), 100);
    assert_true(NUL(v, 1));
    assert_int_equal(I(v, 3), 100);
    assert_true(NUL(v, 4));
    lh_xexpr_free(c);
    lh_batch_free(b);
}

static void test_coalesce_lazy(void **state)
{
    lh_sqltype ts[2] = {T(LH_SQL_BIGINT), T(LH_SQL_BIGINT)};
    lh_batch *b = mkbatch(ts, 2, 4);
    lh_xexpr *c;
    lh_vector *v;
    lh_err e;
    uint32_t i;
    uint16_t sel[2] = {0, 2};
    (void)state;
    for (i = 0; i < 4; i++) {
        lh_vector_set_i64(b->cols[0], i, i);
        lh_vector_set_i64(b->cols[1], i, 0);
    }
    lh_vector_set_null(b->cols[0], 1);
    /* coalesce(#0, 1 / #1): the division only where #0 is NULL */
    c = nary(LH_X_COALESCE, 0, ts[0], 2, col(0, ts[0]), arith(LH_OP_DIV, cbig(1), col(1, ts[1])));
    prep(c, ts, 2);
    assert_int_equal(lh_xexpr_eval(c, b, &v, &e), LH_EDATA);
    assert_string_equal(e.msg, "Division by zero");
    lh_batch_select(b, sel, 2); /* row 1 not live: no division at all */
    v = ev(c, b);
    assert_int_equal(I(v, 0), 0);
    assert_int_equal(I(v, 2), 2);
    lh_xexpr_free(c);
    /* three arguments, NULL constant in between */
    b->sel = NULL;
    c = nary(LH_X_COALESCE, 0, ts[0], 3, col(0, ts[0]), cnull(ts[0]), cbig(-1));
    prep(c, ts, 2);
    v = ev(c, b);
    assert_int_equal(I(v, 1), -1);
    assert_int_equal(I(v, 3), 3);
    assert_false(NUL(v, 1));
    fmt_is(c, "coalesce(#0, CAST(NULL AS bigint), BIGINT '-1')");
    lh_xexpr_free(c);
    lh_batch_free(b);
}

/* a node's result vector is reset between batches: NULLs of one batch do
 * not leak into the next */
static void test_reset_between_batches(void **state)
{
    lh_sqltype ts[1] = {T(LH_SQL_BIGINT)};
    lh_batch *b = mkbatch(ts, 1, 3);
    lh_xexpr *c;
    lh_vector *v;
    (void)state;
    lh_vector_set_i64(b->cols[0], 0, 1);
    lh_vector_set_null(b->cols[0], 1);
    lh_vector_set_i64(b->cols[0], 2, 3);
    c = nary(LH_X_CASE, 0, ts[0], 2, cmp(LH_CMP_GT, col(0, ts[0]), cbig(1)), col(0, ts[0]));
    prep(c, ts, 1);
    v = ev(c, b);
    assert_true(NUL(v, 0));
    assert_true(NUL(v, 1));
    assert_int_equal(I(v, 2), 3);
    lh_batch_reset(b);
    b->n = 3;
    lh_vector_set_i64(b->cols[0], 0, 5);
    lh_vector_set_i64(b->cols[0], 1, 6);
    lh_vector_set_i64(b->cols[0], 2, 7);
    v = ev(c, b);
    assert_int_equal(I(v, 0), 5);
    assert_int_equal(I(v, 1), 6);
    assert_int_equal(I(v, 2), 7);
    assert_false(NUL(v, 0));
    lh_xexpr_free(c);
    lh_batch_free(b);
}

/* ---- TRY, TRY_CAST ---- */

/* a test function: f(x, k) = x + k; x = 7 is a data error, x = 13 an internal one */
static int g_init_const;
static int64_t g_init_k;
static lh_rc tf_init(lh_fn_call *c, lh_vector *const *ca, lh_err *err)
{
    int64_t *st;
    (void)err;
    g_init_const = c->nargs > 1 && ca[1] != NULL;
    g_init_k = g_init_const ? lh_vector_get_i64(ca[1], 0) : 0;
    st = lh_malloc(sizeof *st);
    if (!st)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    *st = 0;
    c->state = st;
    return LH_OK;
}
static lh_rc tf_eval(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    uint32_t k;
    (*(int64_t *)c->state)++;
    for (k = 0; k < rows.n; k++) {
        uint32_t i = rows.sel ? rows.sel[k] : k;
        int64_t x;
        assert_true(args[0]->kind != LH_VEC_DICT);
        if (!lh_vector_get_valid(args[0], i) || !lh_vector_get_valid(args[1], i)) {
            lh_vector_set_null(out, i);
            continue;
        }
        x = lh_vector_get_i64(args[0], i);
        if (x == 7)
            return lh_errf(err, LH_EDATA, "seven is not allowed");
        if (x == 13)
            return lh_errf(err, LH_EINTERNAL, "thirteen broke it");
        lh_vector_set_i64(out, i, x + lh_vector_get_i64(args[1], i));
    }
    return LH_OK;
}
static void tf_done(lh_fn_call *c) { lh_free(c->state); }
static const lh_scalar_impl TF = {"tf", tf_init, tf_eval, tf_done};

static lh_xexpr *call2(lh_xexpr *a, lh_xexpr *b)
{
    lh_xexpr *args[2] = {a, b}, *x;
    lh_err e;
    x = lh_x_call(&TF, args, 2, T(LH_SQL_BIGINT), &e);
    assert_non_null(x);
    return x;
}

static void test_try(void **state)
{
    lh_sqltype ts[2] = {T(LH_SQL_BIGINT), lh_sqltype_varchar(LH_SQL_UNBOUNDED)};
    lh_batch *b = mkbatch(ts, 2, 5);
    static const char *const strs[5] = {"12", "abc", "-3", "99999999999", " 4"};
    lh_xexpr *t, *tc;
    lh_vector *v;
    lh_err e;
    uint32_t i;
    (void)state;
    for (i = 0; i < 5; i++) {
        lh_vector_set_i64(b->cols[0], i, (int64_t)i - 1); /* -1 0 1 2 3 */
        assert_int_equal(lh_vector_set_str(b->cols[1], i, strs[i], strlen(strs[i]), &b->arena, &e), LH_OK);
    }
    lh_vector_set_null(b->cols[0], 4);
    /* try(10 / #0): the zero row is NULL, the others divide */
    t = lh_x_unary(LH_X_TRY, arith(LH_OP_DIV, cbig(10), col(0, ts[0])), 0, &e);
    assert_non_null(t);
    prep(t, ts, 2);
    v = ev(t, b);
    assert_int_equal(I(v, 0), -10);
    assert_true(NUL(v, 1));
    assert_int_equal(I(v, 2), 10);
    assert_int_equal(I(v, 3), 5);
    assert_true(NUL(v, 4));
    fmt_is(t, "try((BIGINT '10' / #0))");
    lh_xexpr_free(t);

    /* TRY_CAST(#1 AS integer) */
    tc = lh_x_cast(col(1, ts[1]), T(LH_SQL_INTEGER), 1, &e);
    assert_non_null(tc);
    prep(tc, ts, 2);
    v = ev(tc, b);
    assert_int_equal(I(v, 0), 12);
    assert_true(NUL(v, 1));
    assert_int_equal(I(v, 2), -3);
    assert_true(NUL(v, 3)); /* out of range for integer */
    assert_true(NUL(v, 4)); /* no spaces in Java's parseInt */
    fmt_is(tc, "TRY_CAST(#1 AS integer)");
    lh_xexpr_free(tc);
    /* plain CAST fails with the kernel's message */
    tc = lh_x_cast(col(1, ts[1]), T(LH_SQL_INTEGER), 0, &e);
    prep(tc, ts, 2);
    assert_int_equal(lh_xexpr_eval(tc, b, &v, &e), LH_EDATA);
    assert_string_equal(e.msg, "Cannot cast 'abc' to INT");
    lh_xexpr_free(tc);

    /* try(tf(#0, 100)): 7 becomes NULL, 13 still fails */
    lh_vector_set_i64(b->cols[0], 2, 7);
    t = lh_x_unary(LH_X_TRY, call2(col(0, ts[0]), cbig(100)), 0, &e);
    assert_non_null(t);
    prep(t, ts, 2);
    assert_true(g_init_const);
    assert_int_equal(g_init_k, 100);
    v = ev(t, b);
    assert_int_equal(I(v, 0), 99);
    assert_int_equal(I(v, 1), 100);
    assert_true(NUL(v, 2));
    assert_int_equal(I(v, 3), 102);
    assert_true(NUL(v, 4));
    lh_vector_set_i64(b->cols[0], 3, 13);
    assert_int_equal(lh_xexpr_eval(t, b, &v, &e), LH_EINTERNAL);
    assert_string_equal(e.msg, "thirteen broke it");
    fmt_is(t, "try(tf(#0, BIGINT '100'))");
    lh_xexpr_free(t);
    lh_batch_free(b);
}

/* ---- IN ---- */

static void test_in(void **state)
{
    lh_sqltype ts[2] = {T(LH_SQL_BIGINT), T(LH_SQL_BIGINT)};
    lh_batch *b = mkbatch(ts, 2, 4);
    lh_xexpr *x, *args[20];
    lh_vector *v;
    lh_err e;
    int big;
    size_t i;
    (void)state;
    lh_vector_set_i64(b->cols[0], 0, 1);
    lh_vector_set_i64(b->cols[0], 1, 3);
    lh_vector_set_null(b->cols[0], 2);
    lh_vector_set_i64(b->cols[0], 3, 2);
    for (i = 0; i < 4; i++)
        lh_vector_set_i64(b->cols[1], i, 0);
    for (big = 0; big < 2; big++) {
        /* #0 IN (1, 2, NULL [, 100..115]): small list loop, large list hash set */
        size_t n = 0;
        args[n++] = col(0, ts[0]);
        args[n++] = cbig(1);
        args[n++] = cbig(2);
        args[n++] = cnull(ts[0]);
        if (big)
            for (i = 0; i < 16; i++)
                args[n++] = cbig(100 + (int64_t)i);
        x = lh_x_nary(LH_X_IN, args, n, 0, T(LH_SQL_BOOLEAN), &e);
        assert_non_null(x);
        prep(x, ts, 2);
        v = ev(x, b);
        assert_int_equal(B(v, 0), 1);
        assert_int_equal(B(v, 1), -1); /* no match, a NULL item */
        assert_int_equal(B(v, 2), -1); /* NULL IN (...) */
        assert_int_equal(B(v, 3), 1);
        lh_xexpr_free(x);
        /* NOT IN without NULL item */
        n = 0;
        args[n++] = col(0, ts[0]);
        args[n++] = cbig(1);
        if (big)
            for (i = 0; i < 16; i++)
                args[n++] = cbig(200 + (int64_t)i);
        x = lh_x_nary(LH_X_IN, args, n, LH_XF_NOT, T(LH_SQL_BOOLEAN), &e);
        assert_non_null(x);
        prep(x, ts, 2);
        v = ev(x, b);
        assert_int_equal(B(v, 0), 0);
        assert_int_equal(B(v, 1), 1);
        assert_int_equal(B(v, 2), -1);
        assert_int_equal(B(v, 3), 1);
        if (!big)
            fmt_is(x, "(#0 NOT IN (BIGINT '1'))");
        lh_xexpr_free(x);
    }
    /* a non-constant item is evaluated only on rows not yet matched:
     * #0 IN (1, 3, 2, 10 / #1) divides by zero only on the NULL row (row 2)
     * which IN skips, since NULL IN (...) is NULL */
    x = nary(LH_X_IN, 0, T(LH_SQL_BOOLEAN), 5, col(0, ts[0]), cbig(1), cbig(3), cbig(2),
             arith(LH_OP_DIV, cbig(10), col(1, ts[1])));
    prep(x, ts, 2);
    v = ev(x, b);
    assert_int_equal(B(v, 0), 1);
    assert_int_equal(B(v, 1), 1);
    assert_int_equal(B(v, 2), -1);
    lh_vector_set_i64(b->cols[0], 3, 4); /* no match: the division runs */
    assert_int_equal(lh_xexpr_eval(x, b, &v, &e), LH_EDATA);
    lh_xexpr_free(x);
    lh_batch_free(b);
}

static void test_in_types(void **state)
{
    lh_sqltype ts[2] = {lh_sqltype_varchar(LH_SQL_UNBOUNDED), T(LH_SQL_DOUBLE)};
    lh_batch *b = mkbatch(ts, 2, 3);
    lh_xexpr *args[20], *x;
    lh_vector *v;
    lh_err e;
    size_t n = 0, i;
    char name[32];
    (void)state;
    assert_int_equal(lh_vector_set_str(b->cols[0], 0, "a-rather-long-key-7", 19, &b->arena, &e), LH_OK);
    assert_int_equal(lh_vector_set_str(b->cols[0], 1, "k3", 2, &b->arena, &e), LH_OK);
    assert_int_equal(lh_vector_set_str(b->cols[0], 2, "zzz", 3, &b->arena, &e), LH_OK);
    lh_vector_set_f64(b->cols[1], 0, NAN);
    lh_vector_set_f64(b->cols[1], 1, -0.0);
    lh_vector_set_f64(b->cols[1], 2, 2.5);
    args[n++] = col(0, ts[0]);
    for (i = 0; i < 10; i++) {
        snprintf(name, sizeof name, "k%zu", i);
        args[n++] = cstr(name);
    }
    args[n++] = cstr("a-rather-long-key-7");
    x = lh_x_nary(LH_X_IN, args, n, 0, T(LH_SQL_BOOLEAN), &e);
    assert_non_null(x);
    prep(x, ts, 2);
    v = ev(x, b);
    assert_int_equal(B(v, 0), 1);
    assert_int_equal(B(v, 1), 1);
    assert_int_equal(B(v, 2), 0);
    lh_xexpr_free(x);
    /* decimals of other scales than the value: compared exactly (no hash set) */
    {
        lh_sqltype dt[1] = {lh_sqltype_decimal(10, 2)};
        lh_batch *db = mkbatch(dt, 1, 2);
        lh_vector *tmp = NULL;
        lh_vector_set_i64(db->cols[0], 0, 150); /* 1.50 */
        lh_vector_set_i64(db->cols[0], 1, 151);
        n = 0;
        args[n++] = col(0, dt[0]);
        for (i = 0; i < 9; i++) {
            assert_int_equal(lh_vector_create(lh_sqltype_decimal(3, 1), 1, &tmp, &e), LH_OK);
            lh_vector_set_i64(tmp, 0, (int64_t)(10 + i)); /* 1.0, 1.1, ..., 1.8 */
            args[n++] = lh_x_const(tmp, &e);
            lh_vector_free(tmp);
        }
        x = lh_x_nary(LH_X_IN, args, n, 0, T(LH_SQL_BOOLEAN), &e);
        assert_non_null(x);
        prep(x, dt, 1);
        v = ev(x, db);
        assert_int_equal(B(v, 0), 1);
        assert_int_equal(B(v, 1), 0);
        lh_xexpr_free(x);
        lh_batch_free(db);
    }
    /* doubles: NaN matches nothing (IEEE =), -0.0 matches 0.0 */
    n = 0;
    args[n++] = col(1, ts[1]);
    for (i = 0; i < 9; i++)
        args[n++] = cdbl((double)i);
    args[n++] = cdbl(NAN);
    x = lh_x_nary(LH_X_IN, args, n, 0, T(LH_SQL_BOOLEAN), &e);
    assert_non_null(x);
    prep(x, ts, 2);
    v = ev(x, b);
    assert_int_equal(B(v, 0), 0);
    assert_int_equal(B(v, 1), 1);
    assert_int_equal(B(v, 2), 0);
    lh_xexpr_free(x);
    lh_batch_free(b);
}

/* ---- LIKE ---- */

static void test_like(void **state)
{
    lh_sqltype vc = lh_sqltype_varchar(LH_SQL_UNBOUNDED);
    lh_sqltype ts[3] = {vc, vc, vc};
    lh_batch *b = mkbatch(ts, 3, 4);
    static const char *const s[4] = {"South_America", "Southern", "x%y", "abc"};
    static const char *const p[4] = {"South\\_%", "South\\_%", "x!%y", "a_c"};
    lh_xexpr *x;
    lh_vector *v;
    lh_err e;
    uint32_t i;
    (void)state;
    for (i = 0; i < 4; i++) {
        assert_int_equal(lh_vector_set_str(b->cols[0], i, s[i], strlen(s[i]), &b->arena, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(b->cols[1], i, p[i], strlen(p[i]), &b->arena, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(b->cols[2], i, i == 2 ? "!" : "\\", 1, &b->arena, &e), LH_OK);
    }
    lh_vector_set_null(b->cols[0], 3);
    /* constant pattern */
    x = lh_x_like(col(0, vc), cstr("South%"), NULL, 0, &e);
    assert_non_null(x);
    prep(x, ts, 3);
    v = ev(x, b);
    assert_int_equal(B(v, 0), 1);
    assert_int_equal(B(v, 1), 1);
    assert_int_equal(B(v, 2), 0);
    assert_int_equal(B(v, 3), -1);
    fmt_is(x, "(#0 LIKE 'South%')");
    lh_xexpr_free(x);
    /* NOT LIKE with a constant ESCAPE */
    x = lh_x_like(col(0, vc), cstr("South\\_%"), cstr("\\"), LH_XF_NOT, &e);
    assert_non_null(x);
    prep(x, ts, 3);
    v = ev(x, b);
    assert_int_equal(B(v, 0), 0);
    assert_int_equal(B(v, 1), 1);
    assert_int_equal(B(v, 3), -1);
    fmt_is(x, "(#0 NOT LIKE 'South\\_%' ESCAPE '\\')");
    lh_xexpr_free(x);
    /* a NULL constant pattern: every row NULL */
    x = lh_x_like(col(0, vc), cnull(vc), NULL, 0, &e);
    assert_non_null(x);
    prep(x, ts, 3);
    v = ev(x, b);
    assert_int_equal(B(v, 0), -1);
    assert_int_equal(B(v, 1), -1);
    lh_xexpr_free(x);
    /* pattern and escape per row */
    x = lh_x_like(col(0, vc), col(1, vc), col(2, vc), 0, &e);
    assert_non_null(x);
    prep(x, ts, 3);
    v = ev(x, b);
    assert_int_equal(B(v, 0), 1);
    assert_int_equal(B(v, 1), 0);
    assert_int_equal(B(v, 2), 1);
    assert_int_equal(B(v, 3), -1);
    /* a bad escape on a live row is the compile error */
    assert_int_equal(lh_vector_set_str(b->cols[2], 1, "ab", 2, &b->arena, &e), LH_OK);
    assert_int_equal(lh_xexpr_eval(x, b, &v, &e), LH_EDATA);
    assert_string_equal(e.msg, "Escape string must be a single character");
    lh_xexpr_free(x);
    /* a bad constant escape fails at prepare */
    x = lh_x_like(col(0, vc), cstr("a%"), cstr("ab"), 0, &e);
    assert_non_null(x);
    assert_int_equal(lh_xexpr_prepare(x, ts, 3, &ENV, &e), LH_EDATA);
    lh_xexpr_free(x);
    lh_batch_free(b);
}

/* ---- function calls ---- */

static void test_call(void **state)
{
    lh_sqltype ts[2] = {T(LH_SQL_BIGINT), T(LH_SQL_BIGINT)};
    lh_batch *b = mkbatch(ts, 2, 3);
    lh_vector *d = NULL, *v;
    lh_xexpr *x;
    lh_err e;
    uint16_t sel[1] = {2};
    (void)state;
    /* #0 is a dictionary: the evaluator flattens it before the call */
    assert_int_equal(lh_vector_set_dict(b->cols[0], 2, &d, &e), LH_OK);
    lh_vector_set_i64(d, 0, 10);
    lh_vector_set_i64(d, 1, 20);
    b->cols[0]->dict_idx[1] = 1;
    b->cols[0]->dict_idx[2] = 1;
    lh_vector_set_i64(b->cols[1], 0, 1);
    lh_vector_set_i64(b->cols[1], 1, 2);
    lh_vector_set_null(b->cols[1], 2);
    x = call2(col(0, ts[0]), col(1, ts[1]));
    prep(x, ts, 2);
    assert_false(g_init_const);
    v = ev(x, b);
    assert_int_equal(I(v, 0), 11);
    assert_int_equal(I(v, 1), 22);
    assert_true(NUL(v, 2));
    lh_batch_select(b, sel, 1);
    v = ev(x, b);
    assert_true(NUL(v, 2));
    fmt_is(x, "tf(#0, #1)");
    lh_xexpr_free(x);
    lh_batch_free(b);
}

/* ---- clone, casts, format ---- */

static void test_clone_format(void **state)
{
    lh_sqltype ts[2] = {T(LH_SQL_INTEGER), T(LH_SQL_DOUBLE)};
    lh_batch *b = mkbatch(ts, 2, 2);
    lh_xexpr *x, *y, *lit;
    lh_vector *v, *w;
    lh_err e;
    (void)state;
    lh_vector_set_i64(b->cols[0], 0, 3);
    lh_vector_set_i64(b->cols[0], 1, 4);
    lh_vector_set_f64(b->cols[1], 0, 0.5);
    lh_vector_set_f64(b->cols[1], 1, 1e10);
    x = arith(LH_OP_ADD, lh_x_cast(col(0, ts[0]), T(LH_SQL_DOUBLE), 0, &e), col(1, ts[1]));
    x = lh_x_cast(x, lh_sqltype_varchar(LH_SQL_UNBOUNDED), 0, &e);
    assert_non_null(x);
    y = lh_xexpr_clone(x, &e);
    assert_non_null(y);
    prep(x, ts, 2);
    prep(y, ts, 2);
    v = ev(x, b);
    w = ev(y, b);
    {
        lh_str s0 = lh_vector_get_str(v, 0), s1 = lh_vector_get_str(w, 1);
        assert_int_equal(lh_str_len(&s0), 5);
        assert_memory_equal(lh_str_ptr(&s0), "3.5E0", 5);
        assert_int_equal(lh_str_len(&s1), 15);
        assert_memory_equal(lh_str_ptr(&s1), "1.0000000004E10", 15);
    }
    fmt_is(y, "CAST((CAST(#0 AS double) + #1) AS varchar)");
    lh_xexpr_free(x);
    lh_xexpr_free(y);

    /* literals as SQL text */
    lit = cint(T(LH_SQL_INTEGER), 42);
    fmt_is(lit, "42");
    lh_xexpr_free(lit);
    lit = cstr("it's");
    fmt_is(lit, "'it''s'");
    y = lh_xexpr_clone(lit, &e);
    fmt_is(y, "'it''s'");
    lh_xexpr_free(y);
    lh_xexpr_free(lit);
    lit = cdbl(1.5);
    fmt_is(lit, "1.5E0");
    lh_xexpr_free(lit);
    lit = cnull(T(LH_SQL_UNKNOWN));
    fmt_is(lit, "NULL");
    lh_xexpr_free(lit);
    {
        lh_vector *tmp = NULL;
        assert_int_equal(lh_vector_create(lh_sqltype_decimal(5, 2), 1, &tmp, &e), LH_OK);
        lh_vector_set_i64(tmp, 0, -150);
        lit = lh_x_const(tmp, &e);
        fmt_is(lit, "DECIMAL '-1.50'");
        lh_xexpr_free(lit);
        lh_vector_free(tmp);
        assert_int_equal(lh_vector_create(T(LH_SQL_DATE), 1, &tmp, &e), LH_OK);
        lh_vector_set_i64(tmp, 0, 19161);
        lit = lh_x_const(tmp, &e);
        fmt_is(lit, "DATE '2022-06-18'");
        lh_xexpr_free(lit);
        lh_vector_free(tmp);
        assert_int_equal(lh_vector_create(T(LH_SQL_BOOLEAN), 1, &tmp, &e), LH_OK);
        lh_vector_set_bool(tmp, 0, 1);
        lit = lh_x_const(tmp, &e);
        fmt_is(lit, "true");
        lh_xexpr_free(lit);
        lh_vector_free(tmp);
    }
    lh_batch_free(b);
}

/* ---- constructor failures, prepare checks ---- */

static void test_ctor_failures(void **state)
{
    lh_err e;
    lh_xexpr *args[3];
    lh_sqltype ts[1] = {T(LH_SQL_BIGINT)};
    lh_xexpr *x;
    (void)state;
    /* each failed constructor frees what it was given (ASan would see a leak) */
    args[0] = col(0, ts[0]);
    assert_null(lh_x_nary(LH_X_AND, args, 1, 0, T(LH_SQL_BOOLEAN), &e));
    assert_int_equal(e.code, LH_EINVAL);
    args[0] = cbig(1);
    args[1] = cbig(2);
    assert_null(lh_x_nary(LH_X_CASE, args, 2, LH_XF_ELSE, T(LH_SQL_BIGINT), &e));
    args[0] = cbig(1);
    args[1] = cbig(2);
    assert_null(lh_x_nary(LH_X_CALL, args, 2, 0, T(LH_SQL_BIGINT), &e));
    args[0] = cbig(1);
    assert_null(lh_x_call(NULL, args, 1, T(LH_SQL_BIGINT), &e));
    assert_null(lh_x_arith((lh_arith_op)99, cbig(1), cbig(2), T(LH_SQL_BIGINT), &e));
    assert_null(lh_x_cmp((lh_cmp_op)99, cbig(1), cbig(2), &e));
    assert_null(lh_x_unary(LH_X_CASE, cbig(1), 0, &e));
    assert_null(lh_x_arith(LH_OP_ADD, cbig(1), NULL, T(LH_SQL_BIGINT), &e));
    assert_null(lh_x_const(NULL, &e));
    /* a chain fails once at the top */
    x = lh_x_cmp(LH_CMP_EQ, lh_x_arith(LH_OP_ADD, cbig(1), NULL, T(LH_SQL_BIGINT), &e), cbig(2), &e);
    assert_null(x);

    /* prepare checks column references */
    x = arith(LH_OP_ADD, col(1, ts[0]), cbig(1));
    assert_int_equal(lh_xexpr_prepare(x, ts, 1, &ENV, &e), LH_EINTERNAL);
    assert_string_equal(e.msg, "expression reads column #1 of an input of 1 columns");
    lh_xexpr_free(x);
    x = col(0, T(LH_SQL_DOUBLE));
    assert_int_equal(lh_xexpr_prepare(x, ts, 1, &ENV, &e), LH_EINTERNAL);
    assert_string_equal(e.msg, "expression reads column #0 as double, but the input has bigint");
    lh_xexpr_free(x);
    /* layouts the evaluator copies between must agree */
    x = nary(LH_X_CASE, 0, ts[0], 2, cmp(LH_CMP_EQ, col(0, ts[0]), cbig(1)), cdbl(1.0));
    assert_int_equal(lh_xexpr_prepare(x, ts, 1, &ENV, &e), LH_EINTERNAL);
    assert_string_equal(e.msg, "a THEN value has another type than the CASE");
    lh_xexpr_free(x);
    x = nary(LH_X_AND, 0, T(LH_SQL_BOOLEAN), 2, col(0, ts[0]), col(0, ts[0]));
    assert_int_equal(lh_xexpr_prepare(x, ts, 1, &ENV, &e), LH_EINTERNAL);
    assert_string_equal(e.msg, "a logical operator's argument is not boolean");
    lh_xexpr_free(x);
    /* an unprepared tree refuses to evaluate */
    {
        lh_vector *v;
        lh_batch *b = mkbatch(ts, 1, 1);
        x = arith(LH_OP_ADD, col(0, ts[0]), cbig(1));
        assert_int_equal(lh_xexpr_eval(x, b, &v, &e), LH_EINTERNAL);
        prep(x, ts, 1);
        prep(x, ts, 1); /* twice is fine */
        lh_vector_set_i64(b->cols[0], 0, 41);
        v = ev(x, b);
        assert_int_equal(I(v, 0), 42);
        lh_xexpr_free(x);
        lh_batch_free(b);
    }
}

/* ---- allocation failures: build, prepare and evaluate ---- */

static lh_rc walk_once(int *built)
{
    lh_sqltype ts[2] = {T(LH_SQL_BIGINT), lh_sqltype_varchar(LH_SQL_UNBOUNDED)};
    lh_batch *b = NULL;
    lh_xexpr *x = NULL, *y = NULL, *args[12];
    lh_vector *v;
    lh_err e;
    lh_rc rc;
    uint32_t i;
    size_t n = 0;
    *built = 0;
    if ((rc = lh_batch_create(ts, 2, 0, &b, &e)))
        return rc;
    b->n = 100;
    for (i = 0; i < 100; i++) {
        lh_vector_set_i64(b->cols[0], i, (int64_t)i * 1000003);
        if ((rc = lh_vector_set_str(b->cols[1], i, "long-string-value", 17, &b->arena, &e)))
            goto out;
    }
    /* CASE WHEN #0 IN (0, 1, ... 9) THEN CAST(#0 AS varchar) ELSE coalesce(try(CAST(#1 AS varchar)), 'x') END */
    args[n++] = lh_x_col(0, ts[0], &e);
    for (i = 0; i < 10; i++) {
        lh_vector *tmp = NULL;
        if ((rc = lh_vector_create(ts[0], 1, &tmp, &e)))
            break;
        lh_vector_set_i64(tmp, 0, (int64_t)i * 1000003);
        args[n++] = lh_x_const(tmp, &e);
        lh_vector_free(tmp);
    }
    if (rc) {
        size_t k;
        for (k = 0; k < n; k++)
            lh_xexpr_free(args[k]);
        goto out;
    }
    {
        lh_xexpr *cs[3], *co[2];
        lh_vector *tmp = NULL;
        lh_xexpr *lit = NULL;
        if (!lh_vector_create(ts[1], 1, &tmp, &e)) {
            if (!lh_vector_set_str(tmp, 0, "x", 1, NULL, &e))
                lit = lh_x_const(tmp, &e);
            lh_vector_free(tmp);
        }
        cs[0] = lh_x_nary(LH_X_IN, args, n, 0, T(LH_SQL_BOOLEAN), &e);
        cs[1] = lh_x_cast(lh_x_col(0, ts[0], &e), ts[1], 0, &e);
        co[0] = lh_x_unary(LH_X_TRY, lh_x_cast(lh_x_col(1, ts[1], &e), ts[1], 1, &e), 0, &e);
        co[1] = lit;
        cs[2] = lh_x_nary(LH_X_COALESCE, co, 2, 0, ts[1], &e);
        x = lh_x_nary(LH_X_CASE, cs, 3, LH_XF_ELSE, ts[1], &e);
    }
    if (!x) {
        rc = e.code;
        goto out;
    }
    *built = 1;
    if ((rc = lh_xexpr_prepare(x, ts, 2, &ENV, &e)) || (rc = lh_xexpr_eval(x, b, &v, &e)))
        goto out;
    {
        lh_str s0 = lh_vector_get_str(v, 3), s1 = lh_vector_get_str(v, 50);
        assert_memory_equal(lh_str_ptr(&s0), "3000009", 7);
        assert_memory_equal(lh_str_ptr(&s1), "long-string-value", 17);
    }
    /* (#1 LIKE #1) AND tf(#0, 1) > 0: a per-row LIKE pattern and a function with state */
    {
        lh_xexpr *lk, *fa[2], *an[2];
        lh_vector *tmp = NULL;
        lk = lh_x_like(lh_x_col(1, ts[1], &e), lh_x_col(1, ts[1], &e), NULL, 0, &e);
        fa[0] = lh_x_col(0, ts[0], &e);
        fa[1] = NULL;
        if (!lh_vector_create(ts[0], 1, &tmp, &e)) {
            lh_vector_set_i64(tmp, 0, 1);
            fa[1] = lh_x_const(tmp, &e);
            lh_vector_free(tmp);
        }
        an[0] = lk;
        an[1] = lh_x_cmp(LH_CMP_GT, lh_x_call(&TF, fa, 2, ts[0], &e), lh_x_col(0, ts[0], &e), &e);
        y = lh_x_nary(LH_X_AND, an, 2, 0, T(LH_SQL_BOOLEAN), &e);
        if (!y) {
            rc = e.code;
            goto out;
        }
        if ((rc = lh_xexpr_prepare(y, ts, 2, &ENV, &e)) || (rc = lh_xexpr_eval(y, b, &v, &e)))
            goto out;
        assert_int_equal(B(v, 0), 1);
        assert_int_equal(B(v, 99), 1);
    }
out:
    lh_xexpr_free(y);
    lh_xexpr_free(x);
    lh_batch_free(b);
    return rc;
}

static void test_alloc_walk(void **state)
{
    long n;
    int ok = 0, built;
    (void)state;
    for (n = 1; n < 400 && !ok; n++) {
        lh_rc rc;
        lh_fault_alloc_set(n);
        rc = walk_once(&built);
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
        cmocka_unit_test(test_col_const_arith), cmocka_unit_test(test_dict_const_inputs),
        cmocka_unit_test(test_logic),           cmocka_unit_test(test_case_lazy),
        cmocka_unit_test(test_coalesce_lazy),   cmocka_unit_test(test_reset_between_batches),
        cmocka_unit_test(test_try),             cmocka_unit_test(test_in),
        cmocka_unit_test(test_in_types),        cmocka_unit_test(test_like),
        cmocka_unit_test(test_call),            cmocka_unit_test(test_clone_format),
        cmocka_unit_test(test_ctor_failures),   cmocka_unit_test(test_alloc_walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
