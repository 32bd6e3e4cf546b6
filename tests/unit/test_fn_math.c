/* Unit tests: functions/fn_math.c — each math function's values and edge
 * cases as Trino documents and tests them (MathFunctions, TestMathFunctions),
 * NULLs, selections, CONST and DICT arguments, errors with their texts;
 * through lh_scalar_find and the expression evaluator, as a query calls them. */
#include "testutil.h"

#include <math.h>

#include "exec/expr.h"
#include "functions/scalar.h"

static lh_sqltype T(lh_sqltype_id id) { return lh_sqltype_of(id); }
static const lh_xenv ENV = {0, 0};

/* name(#0, ..., #n-1) over batch b; the tree in *x (free it), result in *v */
static lh_rc call_cols(const char *name, lh_batch *b, uint32_t n, lh_sqltype ret, lh_vector **v, lh_xexpr **x,
                       lh_err *e)
{
    lh_sqltype ts[8] = {{0}};
    lh_xexpr *args[8];
    const lh_scalar_impl *impl;
    uint32_t i;
    lh_rc rc;
    for (i = 0; i < n; i++)
        ts[i] = b->cols[i]->type;
    impl = lh_scalar_find(name, ts, n, ret);
    if (!impl)
        fail_msg("%s: no implementation for these types", name);
    for (i = 0; i < n; i++)
        args[i] = lh_x_col(i, ts[i], e);
    *x = lh_x_call(impl, args, n, ret, e);
    assert_non_null(*x);
    if ((rc = lh_xexpr_prepare(*x, ts, n, &ENV, e)))
        return rc;
    return lh_xexpr_eval(*x, b, v, e);
}

static lh_batch *mkb(uint32_t ncols, const lh_sqltype *ts, uint32_t n)
{
    lh_batch *b = NULL;
    lh_err e;
    assert_int_equal(lh_batch_create(ts, ncols, 0, &b, &e), LH_OK);
    b->n = n;
    return b;
}

/* one row: name(x [, y]) on doubles */
static double d2(const char *name, int n, double x, double y)
{
    lh_sqltype ts[2] = {T(LH_SQL_DOUBLE), T(LH_SQL_DOUBLE)};
    lh_batch *b = mkb((uint32_t)n, ts, 1);
    lh_xexpr *ex;
    lh_vector *v;
    lh_err e;
    double r;
    if (n > 0)
        lh_vector_set_f64(b->cols[0], 0, x);
    if (n > 1)
        lh_vector_set_f64(b->cols[1], 0, y);
    if (call_cols(name, b, (uint32_t)n, T(LH_SQL_DOUBLE), &v, &ex, &e))
        fail_msg("%s: %s", name, e.msg);
    assert_true(lh_vector_get_valid(v, 0));
    r = lh_vector_get_f64(v, 0);
    lh_xexpr_free(ex);
    lh_batch_free(b);
    return r;
}
static double d1(const char *name, double x) { return d2(name, 1, x, 0); }
static double d0(const char *name) { return d2(name, 0, 0, 0); }

/* one row on integers of type t: name(x [, d as integer]); the rc */
static lh_rc i2(const char *name, lh_sqltype t, int n, int64_t x, int64_t d, int64_t *r, lh_err *e)
{
    lh_sqltype ts[2] = {t, T(LH_SQL_INTEGER)};
    lh_batch *b = mkb((uint32_t)n, ts, 1);
    lh_xexpr *ex;
    lh_vector *v;
    lh_rc rc;
    lh_vector_set_i64(b->cols[0], 0, x);
    if (n > 1)
        lh_vector_set_i64(b->cols[1], 0, d);
    rc = call_cols(name, b, (uint32_t)n, t, &v, &ex, e);
    if (!rc)
        *r = lh_vector_get_i64(v, 0);
    lh_xexpr_free(ex);
    lh_batch_free(b);
    return rc;
}
static int64_t i1v(const char *name, lh_sqltype t, int64_t x)
{
    int64_t r = 0;
    lh_err e;
    if (i2(name, t, 1, x, 0, &r, &e))
        fail_msg("%s: %s", name, e.msg);
    return r;
}

/* one row on a decimal(p,s) unscaled v [, digits d]: result of type ret */
static lh_rc dec(const char *name, int p, int s, lh_i128 v, int n, int64_t d, lh_sqltype ret, lh_i128 *r, lh_err *e)
{
    lh_sqltype ts[2] = {lh_sqltype_decimal(p, s), T(LH_SQL_INTEGER)};
    lh_batch *b = mkb((uint32_t)n, ts, 1);
    lh_xexpr *ex;
    lh_vector *out;
    lh_rc rc;
    lh_vector_set_i128(b->cols[0], 0, v);
    if (n > 1)
        lh_vector_set_i64(b->cols[1], 0, d);
    rc = call_cols(name, b, (uint32_t)n, ret, &out, &ex, e);
    if (!rc)
        *r = lh_vector_get_i128(out, 0);
    lh_xexpr_free(ex);
    lh_batch_free(b);
    return rc;
}
/* Trino's result types: round_0 / ceil / floor / truncate, and round_n */
static lh_sqltype r0(int p, int s)
{
    int rp = p - s + (s < 1 ? s : 1);
    return lh_sqltype_decimal(rp > 38 ? 38 : rp < 1 ? 1 : rp, 0);
}
static lh_sqltype rn(int p, int s) { return lh_sqltype_decimal(p + 1 > 38 ? 38 : p + 1, s); }
static lh_i128 dv(const char *name, int p, int s, lh_i128 v, lh_sqltype ret)
{
    lh_i128 r = 0;
    lh_err e;
    if (dec(name, p, s, v, 1, 0, ret, &r, &e))
        fail_msg("%s: %s", name, e.msg);
    return r;
}
static lh_i128 dvn(int p, int s, lh_i128 v, int64_t d)
{
    lh_i128 r = 0;
    lh_err e;
    if (dec("round", p, s, v, 2, d, rn(p, s), &r, &e))
        fail_msg("round: %s", e.msg);
    return r;
}
static lh_i128 big(const char *digits)
{
    lh_i128 v = 0;
    int neg = *digits == '-';
    for (digits += neg; *digits; digits++)
        v = v * 10 + (*digits - '0');
    return neg ? -v : v;
}

static void test_abs_sign(void **state)
{
    lh_err e;
    int64_t r;
    lh_i128 d;
    (void)state;
    assert_int_equal(i1v("abs", T(LH_SQL_TINYINT), -123), 123);
    assert_int_equal(i1v("abs", T(LH_SQL_SMALLINT), -123), 123);
    assert_int_equal(i1v("abs", T(LH_SQL_INTEGER), -123), 123);
    assert_int_equal(i1v("abs", T(LH_SQL_BIGINT), -12300000000LL), 12300000000LL);
    assert_int_equal(i2("abs", T(LH_SQL_TINYINT), 1, -128, 0, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "Value -128 is out of range for abs(tinyint)");
    assert_int_equal(i2("abs", T(LH_SQL_SMALLINT), 1, -32768, 0, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "Value -32768 is out of range for abs(smallint)");
    assert_int_equal(i2("abs", T(LH_SQL_INTEGER), 1, INT32_MIN, 0, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "Value -2147483648 is out of range for abs(integer)");
    assert_int_equal(i2("abs", T(LH_SQL_BIGINT), 1, INT64_MIN, 0, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "Value -9223372036854775808 is out of range for abs(bigint)");
    assert_true(d1("abs", -123.45) == 123.45);
    assert_true(signbit(d1("abs", -0.0)) == 0);
    assert_true(dv("abs", 5, 2, -12345, lh_sqltype_decimal(5, 2)) == 12345);
    assert_true(dv("abs", 19, 2, big("-1234567890123456078"), lh_sqltype_decimal(19, 2)) == big("1234567890123456078"));
    /* sign */
    assert_int_equal(i1v("sign", T(LH_SQL_TINYINT), -9), -1);
    assert_int_equal(i1v("sign", T(LH_SQL_INTEGER), 0), 0);
    assert_int_equal(i1v("sign", T(LH_SQL_BIGINT), INT64_MAX), 1);
    assert_true(dv("sign", 2, 1, -15, lh_sqltype_decimal(1, 0)) == -1);
    assert_true(dv("sign", 38, 0, big("12345678901234567890123"), lh_sqltype_decimal(1, 0)) == 1);
    d = dv("sign", 2, 1, -15, lh_sqltype_decimal(2, 1)); /* the analyzer's decimal(p,s) result: -1.0 */
    assert_true(d == -10);
    assert_true(d1("sign", -3.5) == -1.0);
    assert_true(d1("sign", INFINITY) == 1.0);
    assert_true(d1("sign", -INFINITY) == -1.0);
    assert_true(isnan(d1("sign", NAN)));
    assert_true(d1("sign", -0.0) == 0 && signbit(d1("sign", -0.0)));
}

static void test_ceil_floor_trunc(void **state)
{
    (void)state;
    assert_int_equal(i1v("ceil", T(LH_SQL_TINYINT), -123), -123);
    assert_int_equal(i1v("floor", T(LH_SQL_BIGINT), 12300000000LL), 12300000000LL);
    assert_true(d1("ceil", 123.45) == 124.0);
    assert_true(d1("ceiling", -123.45) == -123.0);
    assert_true(d1("floor", -123.45) == -124.0);
    assert_true(d1("floor", 123.45) == 123.0);
    assert_true(d1("truncate", 17.88) == 17.0);
    assert_true(d1("truncate", -17.88) == -17.0);
    assert_true(isnan(d1("ceil", NAN)));
    /* decimals: Trino's values, result decimal(p - s + min(s, 1), 0) */
    assert_true(dv("ceiling", 3, 2, 1, r0(3, 2)) == 1);
    assert_true(dv("ceiling", 3, 2, -1, r0(3, 2)) == 0);
    assert_true(dv("ceiling", 3, 2, -99, r0(3, 2)) == 0);
    assert_true(dv("ceiling", 4, 1, 9999, r0(4, 1)) == 1000);
    assert_true(dv("ceiling", 5, 2, -12345, r0(5, 2)) == -123);
    assert_true(dv("ceiling", 20, 2, big("12345678901234567801"), r0(20, 2)) == big("123456789012345679"));
    assert_true(dv("ceiling", 20, 2, big("-12345678901234567899"), r0(20, 2)) == big("-123456789012345678"));
    assert_true(dv("floor", 3, 2, -1, r0(3, 2)) == -1);
    assert_true(dv("floor", 5, 2, 12399, r0(5, 2)) == 123);
    assert_true(dv("floor", 5, 2, -12301, r0(5, 2)) == -124);
    assert_true(dv("floor", 20, 2, big("-12345678901234567801"), r0(20, 2)) == big("-123456789012345679"));
    assert_true(dv("truncate", 3, 2, -199, r0(3, 2)) == -1);
    assert_true(dv("truncate", 20, 2, big("12345678901234567899"), r0(20, 2)) == big("123456789012345678"));
    assert_true(dv("floor", 1, 0, 7, r0(1, 0)) == 7);
}

static void test_round(void **state)
{
    lh_err e;
    int64_t r;
    lh_i128 d;
    (void)state;
    /* doubles: half away from zero (Java's Math.round on |x|) */
    assert_true(d1("round", 3.5) == 4.0);
    assert_true(d1("round", -3.5) == -4.0);
    assert_true(d1("round", 2.5) == 3.0);
    assert_true(d1("round", -2.5) == -3.0);
    assert_true(d1("round", 0x1.fffffffffffffp-2) == 0.0); /* the double just below 0.5 */
    assert_true(d1("round", 1e20) == 1e20);
    assert_true(isnan(d1("round", NAN)));
    assert_true(d1("round", -INFINITY) == -INFINITY);
    {
        lh_sqltype ts[2] = {T(LH_SQL_DOUBLE), T(LH_SQL_INTEGER)};
        lh_batch *b = mkb(2, ts, 6);
        static const double xs[6] = {3.14159, -3.14159, 1234.5678, 1.5, NAN, 2.5};
        static const int64_t ds[6] = {2, 3, -2, 400, 2, -400};
        lh_xexpr *x;
        lh_vector *v;
        uint32_t i;
        for (i = 0; i < 6; i++) {
            lh_vector_set_f64(b->cols[0], i, xs[i]);
            lh_vector_set_i64(b->cols[1], i, ds[i]);
        }
        assert_int_equal(call_cols("round", b, 2, T(LH_SQL_DOUBLE), &v, &x, &e), LH_OK);
        assert_true(lh_vector_get_f64(v, 0) == 3.14);
        assert_true(lh_vector_get_f64(v, 1) == -3.142);
        assert_true(lh_vector_get_f64(v, 2) == 1200.0);
        assert_true(lh_vector_get_f64(v, 3) == 1.5);
        assert_true(isnan(lh_vector_get_f64(v, 4)));
        assert_true(lh_vector_get_f64(v, 5) == 0.0);
        lh_xexpr_free(x);
        lh_batch_free(b);
    }
    /* real */
    {
        lh_sqltype ts[1] = {T(LH_SQL_REAL)};
        lh_batch *b = mkb(1, ts, 2);
        lh_xexpr *x;
        lh_vector *v;
        lh_vector_set_f64(b->cols[0], 0, -754.5);
        lh_vector_set_f64(b->cols[0], 1, 17.88f);
        assert_int_equal(call_cols("round", b, 1, T(LH_SQL_REAL), &v, &x, &e), LH_OK);
        assert_true(((float *)v->data)[0] == -755.0f);
        assert_true(((float *)v->data)[1] == 18.0f);
        lh_xexpr_free(x);
        assert_int_equal(call_cols("truncate", b, 1, T(LH_SQL_REAL), &v, &x, &e), LH_OK);
        assert_true(((float *)v->data)[1] == 17.0f);
        lh_xexpr_free(x);
        lh_batch_free(b);
    }
    /* integers */
    assert_int_equal(i1v("round", T(LH_SQL_INTEGER), -7), -7);
    assert_int_equal(i2("round", T(LH_SQL_INTEGER), 2, 12345, -2, &r, &e), LH_OK);
    assert_int_equal(r, 12300);
    assert_int_equal(i2("round", T(LH_SQL_INTEGER), 2, 12350, -2, &r, &e), LH_OK);
    assert_int_equal(r, 12400);
    assert_int_equal(i2("round", T(LH_SQL_BIGINT), 2, -15, -1, &r, &e), LH_OK);
    assert_int_equal(r, -20);
    assert_int_equal(i2("round", T(LH_SQL_BIGINT), 2, 15, 3, &r, &e), LH_OK);
    assert_int_equal(r, 15);
    assert_int_equal(i2("round", T(LH_SQL_TINYINT), 2, 125, -1, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "Out of range for tinyint: 130");
    assert_int_equal(i2("round", T(LH_SQL_BIGINT), 2, 5, -19, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "numerical overflow: 5");
    assert_int_equal(i2("round", T(LH_SQL_BIGINT), 2, INT64_MAX, -1, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "numerical overflow: 9223372036854775807");
    /* decimals, round(x): Trino's cases */
    assert_true(dv("round", 2, 1, 35, r0(2, 1)) == 4);
    assert_true(dv("round", 2, 1, -35, r0(2, 1)) == -4);
    assert_true(dv("round", 2, 1, 34, r0(2, 1)) == 3);
    assert_true(dv("round", 5, 1, 99999, r0(5, 1)) == 10000);
    assert_true(dv("round", 18, 2, big("999999999999999999"), r0(18, 2)) == big("10000000000000000"));
    assert_true(dv("round", 24, 2, big("300000000000000000000050"), r0(24, 2)) == big("3000000000000000000001"));
    assert_true(dv("round", 24, 2, big("-300000000000000000000049"), r0(24, 2)) == big("-3000000000000000000000"));
    assert_true(dv("round", 22, 6, big("3000000000000000500000"), r0(22, 6)) == big("3000000000000001"));
    /* round(x, d) */
    assert_true(dvn(4, 3, 3449, 1) == 3400);
    assert_true(dvn(4, 3, 3450, 1) == 3500);
    assert_true(dvn(4, 3, -3450, 1) == -3500);
    assert_true(dvn(3, 2, 999, 1) == 1000);
    assert_true(dvn(4, 0, 1234, 7) == 1234);
    assert_true(dvn(4, 0, 1234, -7) == 0);
    assert_true(dvn(8, 4, 12345678, -2) == 12000000);
    assert_true(dvn(8, 4, -12545678, -2) == -13000000);
    assert_true(dvn(2, 0, 99, -1) == 100);
    assert_true(dvn(19, 0, big("1329123201320737513"), -3) == big("1329123201320738000"));
    assert_true(dvn(20, 2, big("12345678901234567899"), -30) == 0);
    assert_true(dvn(38, 1, big("99999999999999999999999999999999999999"), 1) == big("99999999999999999999999999999999999999"));
    assert_int_equal(dec("round", 38, 1, big("99999999999999999999999999999999999999"), 2, 0, rn(38, 1), &d, &e), LH_EDATA);
    assert_string_equal(e.msg, "Decimal overflow");
    assert_int_equal(dec("round", 38, 1, big("99999999999999999999999999999999999999"), 2, -1, rn(38, 1), &d, &e),
                     LH_EDATA);
}

static void test_mod_pow_logs(void **state)
{
    lh_err e;
    int64_t r;
    (void)state;
    {
        lh_sqltype ts[2] = {T(LH_SQL_BIGINT), T(LH_SQL_BIGINT)};
        lh_batch *b = mkb(2, ts, 3);
        lh_xexpr *x;
        lh_vector *v;
        lh_vector_set_i64(b->cols[0], 0, 7);
        lh_vector_set_i64(b->cols[1], 0, 3);
        lh_vector_set_i64(b->cols[0], 1, -7);
        lh_vector_set_i64(b->cols[1], 1, 3);
        lh_vector_set_i64(b->cols[0], 2, 5);
        lh_vector_set_i64(b->cols[1], 2, 0);
        assert_int_equal(call_cols("mod", b, 2, T(LH_SQL_BIGINT), &v, &x, &e), LH_EDATA);
        assert_string_equal(e.msg, "Division by zero");
        b->n = 2;
        assert_int_equal(lh_xexpr_eval(x, b, &v, &e), LH_OK);
        assert_int_equal(lh_vector_get_i64(v, 0), 1);
        assert_int_equal(lh_vector_get_i64(v, 1), -1);
        lh_xexpr_free(x);
        lh_batch_free(b);
    }
    assert_true(d2("mod", 2, 5.5, 2.0) == 1.5);
    assert_true(d2("mod", 2, -5.5, 2.0) == -1.5);
    {
        lh_sqltype ts[2] = {lh_sqltype_decimal(2, 1), lh_sqltype_decimal(1, 0)};
        lh_batch *b = mkb(2, ts, 1);
        lh_xexpr *x;
        lh_vector *v;
        int p, s;
        assert_int_equal(lh_dec_result_type(LH_DEC_MOD, 2, 1, 1, 0, &p, &s, &e), LH_OK);
        lh_vector_set_i64(b->cols[0], 0, 55);
        lh_vector_set_i64(b->cols[1], 0, 2);
        assert_int_equal(call_cols("mod", b, 2, lh_sqltype_decimal(p, s), &v, &x, &e), LH_OK);
        assert_true(lh_vector_get_i128(v, 0) == 15); /* 1.5 */
        lh_xexpr_free(x);
        lh_batch_free(b);
    }
    (void)r;
    assert_true(d2("power", 2, 2, 10) == 1024);
    assert_true(d2("pow", 2, 2, -1) == 0.5);
    assert_true(isnan(d2("power", 2, 1, NAN)));
    assert_true(isnan(d2("power", 2, -1, INFINITY)));
    assert_true(d2("power", 2, NAN, 0) == 1);
    assert_true(d2("power", 2, 0, -1) == INFINITY);
    assert_true(isnan(d2("power", 2, -8, 1.0 / 3)));
    assert_true(d1("sqrt", 4) == 2);
    assert_true(isnan(d1("sqrt", -1)));
    assert_true(d1("cbrt", -27) == -3);
    assert_true(d1("cbrt", 1000) == 10);
    assert_true(d1("cbrt", 2) == 1.2599210498948732);
    assert_true(d1("ln", 2.718281828459045) == 1);
    assert_true(d1("ln", 0) == -INFINITY);
    assert_true(isnan(d1("ln", -1)));
    assert_true(d1("log2", 8) == log(8) / log(2));
    assert_true(d1("log2", 1024) == 10);
    assert_true(d1("log10", 1000) == 3);
    assert_true(d2("log", 2, 2, 8) == log(8) / log(2));
    assert_true(d2("log", 2, 10, 100) == 2);
    assert_true(d1("exp", 0) == 1);
    assert_true(d1("exp", 1) == exp(1));
    assert_true(d0("pi") == 3.141592653589793);
    assert_true(d0("e") == 2.718281828459045);
    assert_true(isnan(d0("nan")));
    assert_true(d0("infinity") == INFINITY);
}

static void test_is_nan_nulls_sel(void **state)
{
    lh_sqltype ts[1] = {T(LH_SQL_DOUBLE)};
    lh_batch *b = mkb(1, ts, 4);
    lh_xexpr *x;
    lh_vector *v;
    lh_err e;
    uint16_t sel[2] = {1, 3};
    (void)state;
    lh_vector_set_f64(b->cols[0], 0, NAN);
    lh_vector_set_f64(b->cols[0], 1, 1.0);
    lh_vector_set_null(b->cols[0], 2);
    lh_vector_set_f64(b->cols[0], 3, INFINITY);
    assert_int_equal(call_cols("is_nan", b, 1, T(LH_SQL_BOOLEAN), &v, &x, &e), LH_OK);
    assert_int_equal(lh_vector_get_i64(v, 0), 1);
    assert_int_equal(lh_vector_get_i64(v, 1), 0);
    assert_false(lh_vector_get_valid(v, 2));
    assert_int_equal(lh_vector_get_i64(v, 3), 0);
    lh_xexpr_free(x);
    lh_xexpr_free(NULL);
    assert_int_equal(call_cols("sqrt", b, 1, T(LH_SQL_DOUBLE), &v, &x, &e), LH_OK);
    assert_false(lh_vector_get_valid(v, 2));
    lh_xexpr_free(x);
    lh_batch_free(b);

    /* abs over a selection and NULLs: the minimum in a NULL row or an
     * unselected row is no error; a DICT argument; a CONST argument */
    {
        lh_sqltype ti[1] = {T(LH_SQL_INTEGER)};
        lh_vector *d = NULL;
        b = mkb(1, ti, 4);
        lh_vector_set_i64(b->cols[0], 0, INT32_MIN);
        lh_vector_set_null(b->cols[0], 0);
        lh_vector_set_i64(b->cols[0], 1, -5);
        lh_vector_set_i64(b->cols[0], 2, INT32_MIN);
        lh_vector_set_i64(b->cols[0], 3, 6);
        lh_batch_select(b, sel, 2);
        assert_int_equal(call_cols("abs", b, 1, ti[0], &v, &x, &e), LH_OK);
        assert_int_equal(lh_vector_get_i64(v, 1), 5);
        assert_int_equal(lh_vector_get_i64(v, 3), 6);
        b->sel = NULL;
        assert_int_equal(lh_xexpr_eval(x, b, &v, &e), LH_EDATA);
        assert_string_equal(e.msg, "Value -2147483648 is out of range for abs(integer)");
        lh_batch_reset(b);
        b->n = 3;
        assert_int_equal(lh_vector_set_dict(b->cols[0], 2, &d, &e), LH_OK);
        lh_vector_set_i64(d, 0, -1);
        lh_vector_set_i64(d, 1, -2);
        b->cols[0]->dict_idx[1] = 1;
        assert_int_equal(lh_xexpr_eval(x, b, &v, &e), LH_OK);
        assert_int_equal(lh_vector_get_i64(v, 0), 1);
        assert_int_equal(lh_vector_get_i64(v, 1), 2);
        assert_int_equal(lh_vector_get_i64(v, 2), 1);
        lh_batch_reset(b);
        b->n = 2;
        lh_vector_set_const(b->cols[0], 0);
        lh_vector_set_i64(b->cols[0], 0, -9);
        assert_int_equal(lh_xexpr_eval(x, b, &v, &e), LH_OK);
        assert_int_equal(lh_vector_get_i64(v, 1), 9);
        lh_xexpr_free(x);
        lh_batch_free(b);
    }
}

static void test_try_wraps_math(void **state)
{
    lh_sqltype ts[1] = {T(LH_SQL_TINYINT)};
    lh_batch *b = mkb(1, ts, 3);
    const lh_scalar_impl *impl = lh_scalar_find("abs", ts, 1, ts[0]);
    lh_xexpr *arg, *x;
    lh_vector *v;
    lh_err e;
    (void)state;
    lh_vector_set_i64(b->cols[0], 0, -1);
    lh_vector_set_i64(b->cols[0], 1, -128);
    lh_vector_set_i64(b->cols[0], 2, 100);
    arg = lh_x_col(0, ts[0], &e);
    x = lh_x_unary(LH_X_TRY, lh_x_call(impl, &arg, 1, ts[0], &e), 0, &e);
    assert_non_null(x);
    assert_int_equal(lh_xexpr_prepare(x, ts, 1, &ENV, &e), LH_OK);
    assert_int_equal(lh_xexpr_eval(x, b, &v, &e), LH_OK);
    assert_int_equal(lh_vector_get_i64(v, 0), 1);
    assert_false(lh_vector_get_valid(v, 1));
    assert_int_equal(lh_vector_get_i64(v, 2), 100);
    {
        lh_buf out;
        lh_buf_init(&out, 0);
        assert_int_equal(lh_xexpr_format(x, &out, &e), LH_OK);
        assert_string_equal(lh_buf_cstr(&out), "try(abs(#0))");
        lh_buf_free(&out);
    }
    lh_xexpr_free(x);
    lh_batch_free(b);
}

static void test_rand(void **state)
{
    lh_sqltype ts[1] = {T(LH_SQL_INTEGER)};
    lh_batch *b = mkb(1, ts, 2000), *z = mkb(0, NULL, 2000);
    lh_xexpr *x;
    lh_vector *v;
    lh_err e;
    uint32_t i, seen[10] = {0}, distinct = 0;
    double lo = 1, hi = 0;
    (void)state;
    assert_int_equal(call_cols("rand", z, 0, T(LH_SQL_DOUBLE), &v, &x, &e), LH_OK);
    for (i = 0; i < 2000; i++) {
        double d = lh_vector_get_f64(v, i);
        assert_true(d >= 0 && d < 1);
        lo = d < lo ? d : lo;
        hi = d > hi ? d : hi;
    }
    assert_true(lo < 0.01 && hi > 0.99);
    lh_xexpr_free(x);
    for (i = 0; i < 2000; i++)
        lh_vector_set_i64(b->cols[0], i, 10);
    assert_int_equal(call_cols("random", b, 1, ts[0], &v, &x, &e), LH_OK);
    for (i = 0; i < 2000; i++) {
        int64_t r = lh_vector_get_i64(v, i);
        assert_true(r >= 0 && r < 10);
        distinct += !seen[r]++;
    }
    assert_int_equal(distinct, 10);
    lh_vector_set_i64(b->cols[0], 7, 0);
    assert_int_equal(lh_xexpr_eval(x, b, &v, &e), LH_EINVAL);
    assert_string_equal(e.msg, "bound must be positive");
    lh_vector_set_null(b->cols[0], 7);
    assert_int_equal(lh_xexpr_eval(x, b, &v, &e), LH_OK);
    assert_false(lh_vector_get_valid(v, 7));
    lh_xexpr_free(x);
    lh_batch_free(b);
    lh_batch_free(z);
}

static void test_greatest_least(void **state)
{
    lh_err e;
    lh_xexpr *x;
    lh_vector *v;
    (void)state;
    {
        lh_sqltype ts[3] = {T(LH_SQL_BIGINT), T(LH_SQL_BIGINT), T(LH_SQL_BIGINT)};
        lh_batch *b = mkb(3, ts, 2);
        lh_vector_set_i64(b->cols[0], 0, 5);
        lh_vector_set_i64(b->cols[1], 0, 9);
        lh_vector_set_i64(b->cols[2], 0, -3);
        lh_vector_set_i64(b->cols[0], 1, 5);
        lh_vector_set_null(b->cols[1], 1);
        lh_vector_set_i64(b->cols[2], 1, 3);
        assert_int_equal(call_cols("greatest", b, 3, ts[0], &v, &x, &e), LH_OK);
        assert_int_equal(lh_vector_get_i64(v, 0), 9);
        assert_false(lh_vector_get_valid(v, 1)); /* NULL if any argument is NULL */
        lh_xexpr_free(x);
        assert_int_equal(call_cols("least", b, 3, ts[0], &v, &x, &e), LH_OK);
        assert_int_equal(lh_vector_get_i64(v, 0), -3);
        assert_false(lh_vector_get_valid(v, 1));
        lh_xexpr_free(x);
        lh_batch_free(b);
    }
    {
        /* NaN never wins over a number */
        lh_sqltype ts[2] = {T(LH_SQL_DOUBLE), T(LH_SQL_DOUBLE)};
        lh_batch *b = mkb(2, ts, 3);
        lh_vector_set_f64(b->cols[0], 0, 1.5);
        lh_vector_set_f64(b->cols[1], 0, NAN);
        lh_vector_set_f64(b->cols[0], 1, NAN);
        lh_vector_set_f64(b->cols[1], 1, -1.5);
        lh_vector_set_f64(b->cols[0], 2, NAN);
        lh_vector_set_f64(b->cols[1], 2, NAN);
        assert_int_equal(call_cols("greatest", b, 2, ts[0], &v, &x, &e), LH_OK);
        assert_true(lh_vector_get_f64(v, 0) == 1.5);
        assert_true(lh_vector_get_f64(v, 1) == -1.5);
        assert_true(isnan(lh_vector_get_f64(v, 2)));
        lh_xexpr_free(x);
        assert_int_equal(call_cols("least", b, 2, ts[0], &v, &x, &e), LH_OK);
        assert_true(lh_vector_get_f64(v, 0) == 1.5);
        assert_true(lh_vector_get_f64(v, 1) == -1.5);
        assert_true(isnan(lh_vector_get_f64(v, 2)));
        lh_xexpr_free(x);
        lh_batch_free(b);
    }
    {
        lh_sqltype vc = lh_sqltype_varchar(LH_SQL_UNBOUNDED), ts[2] = {vc, vc};
        lh_batch *b = mkb(2, ts, 3);
        lh_str s;
        assert_int_equal(lh_vector_set_str(b->cols[0], 0, "apple-pie-and-more", 18, &b->arena, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(b->cols[1], 0, "apple", 5, &b->arena, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(b->cols[0], 1, "b", 1, &b->arena, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(b->cols[1], 1, "abcdefghijklmnop", 16, &b->arena, &e), LH_OK);
        lh_vector_set_null(b->cols[0], 2);
        assert_int_equal(lh_vector_set_str(b->cols[1], 2, "x", 1, &b->arena, &e), LH_OK);
        assert_int_equal(call_cols("greatest", b, 2, vc, &v, &x, &e), LH_OK);
        s = lh_vector_get_str(v, 0);
        assert_int_equal(lh_str_len(&s), 18);
        s = lh_vector_get_str(v, 1);
        assert_memory_equal(lh_str_ptr(&s), "b", 1);
        assert_false(lh_vector_get_valid(v, 2));
        lh_xexpr_free(x);
        assert_int_equal(call_cols("least", b, 2, vc, &v, &x, &e), LH_OK);
        s = lh_vector_get_str(v, 0);
        assert_int_equal(lh_str_len(&s), 5);
        s = lh_vector_get_str(v, 1);
        assert_int_equal(lh_str_len(&s), 16);
        lh_xexpr_free(x);
        lh_batch_free(b);
    }
    {
        /* decimal(38,2), dates, timestamps with time zone by instant */
        lh_sqltype ts[2] = {lh_sqltype_decimal(38, 2), lh_sqltype_decimal(38, 2)};
        lh_sqltype tz[2] = {lh_sqltype_timestamp_tz(3), lh_sqltype_timestamp_tz(3)};
        lh_batch *b = mkb(2, ts, 1), *c = mkb(2, tz, 1);
        lh_tstz a1 = {1000, 5}, a2 = {2000, 0};
        lh_vector_set_i128(b->cols[0], 0, big("-99999999999999999999999999999"));
        lh_vector_set_i128(b->cols[1], 0, 7);
        assert_int_equal(call_cols("least", b, 2, ts[0], &v, &x, &e), LH_OK);
        assert_true(lh_vector_get_i128(v, 0) == big("-99999999999999999999999999999"));
        lh_xexpr_free(x);
        lh_vector_set_tstz(c->cols[0], 0, a1);
        lh_vector_set_tstz(c->cols[1], 0, a2);
        assert_int_equal(call_cols("greatest", c, 2, tz[0], &v, &x, &e), LH_OK);
        assert_int_equal(lh_vector_get_tstz(v, 0).utc_us, 2000);
        lh_xexpr_free(x);
        lh_batch_free(b);
        lh_batch_free(c);
    }
}

static void test_lookup(void **state)
{
    lh_sqltype vc = lh_sqltype_varchar(LH_SQL_UNBOUNDED), d = T(LH_SQL_DOUBLE), i = T(LH_SQL_INTEGER);
    lh_sqltype di[2] = {d, i}, dd[2] = {d, d}, mix[2] = {d, T(LH_SQL_BIGINT)};
    (void)state;
    assert_null(lh_scalar_find("abs", &vc, 1, vc));
    assert_null(lh_scalar_find("sqrt", &i, 1, d)); /* the analyzer coerces to double first */
    assert_non_null(lh_scalar_find("sqrt", &d, 1, d));
    assert_non_null(lh_scalar_find("round", di, 2, d));
    assert_null(lh_scalar_find("round", dd, 2, d));
    assert_null(lh_scalar_find("greatest", mix, 2, d));
    assert_non_null(lh_scalar_find("pi", NULL, 0, d));
    assert_null(lh_scalar_find("pi", &d, 1, d));
    assert_null(lh_scalar_find("no_such_function", NULL, 0, d));
    assert_string_equal(lh_scalar_find("ceiling", &d, 1, d)->name, "ceiling");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_abs_sign),       cmocka_unit_test(test_ceil_floor_trunc),
        cmocka_unit_test(test_round),          cmocka_unit_test(test_mod_pow_logs),
        cmocka_unit_test(test_is_nan_nulls_sel), cmocka_unit_test(test_try_wraps_math),
        cmocka_unit_test(test_rand),           cmocka_unit_test(test_greatest_least),
        cmocka_unit_test(test_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
