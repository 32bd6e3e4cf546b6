/* Unit tests: exec/kernels (arithmetic, comparison, logic, filter, casts,
 * LIKE) and exec/hash. */
#include "testutil.h"

#include <math.h>

#include "exec/hash.h"
#include "exec/intmath.h"
#include "exec/kernels.h"

static lh_vector *mk(lh_sqltype t)
{
    lh_vector *v = NULL;
    lh_err e;
    assert_int_equal(lh_vector_create(t, 0, &v, &e), LH_OK);
    return v;
}

static lh_rows all(uint32_t n)
{
    lh_rows r = {NULL, n};
    return r;
}

static lh_sqltype T(lh_sqltype_id id) { return lh_sqltype_of(id); }

/* one-row a op b on integers of type t; returns rc, err text in e */
static lh_rc int_op1(lh_sqltype t, lh_arith_op op, int64_t x, int64_t y, int64_t *r, lh_err *e)
{
    lh_vector *a = mk(t), *b = mk(t), *o = mk(t);
    lh_rc rc;
    lh_vector_set_i64(a, 0, x);
    lh_vector_set_i64(b, 0, y);
    rc = lh_k_arith(op, a, b, o, all(1), e);
    *r = lh_vector_get_i64(o, 0);
    lh_vector_free(a);
    lh_vector_free(b);
    lh_vector_free(o);
    return rc;
}


static void test_int_limits(void **state)
{
    lh_err e;
    int64_t r;
    (void)state;
    assert_int_equal(int_op1(T(LH_SQL_BIGINT), LH_OP_ADD, INT64_MAX - 1, 1, &r, &e), LH_OK);
    assert_true(r == INT64_MAX);
    assert_int_equal(int_op1(T(LH_SQL_BIGINT), LH_OP_ADD, INT64_MAX, 1, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "bigint addition overflow: 9223372036854775807 + 1");
    assert_int_equal(int_op1(T(LH_SQL_BIGINT), LH_OP_SUB, INT64_MIN, 1, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "bigint subtraction overflow: -9223372036854775808 - 1");
    assert_int_equal(int_op1(T(LH_SQL_BIGINT), LH_OP_MUL, 4611686018427387904LL, 2, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "bigint multiplication overflow: 4611686018427387904 * 2");
    assert_int_equal(int_op1(T(LH_SQL_BIGINT), LH_OP_DIV, INT64_MIN, -1, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "bigint division overflow: -9223372036854775808 / -1");
    assert_int_equal(int_op1(T(LH_SQL_BIGINT), LH_OP_MOD, INT64_MIN, -1, &r, &e), LH_OK);
    assert_int_equal(r, 0);
    assert_int_equal(int_op1(T(LH_SQL_BIGINT), LH_OP_DIV, 7, 0, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "Division by zero");
    assert_int_equal(int_op1(T(LH_SQL_BIGINT), LH_OP_MOD, 7, 0, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "Division by zero");
    assert_int_equal(int_op1(T(LH_SQL_BIGINT), LH_OP_DIV, -7, 2, &r, &e), LH_OK);
    assert_int_equal(r, -3);
    assert_int_equal(int_op1(T(LH_SQL_BIGINT), LH_OP_MOD, -7, 2, &r, &e), LH_OK);
    assert_int_equal(r, -1);
    assert_int_equal(int_op1(T(LH_SQL_INTEGER), LH_OP_ADD, 2147483647, 1, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "integer addition overflow: 2147483647 + 1");
    assert_int_equal(int_op1(T(LH_SQL_INTEGER), LH_OP_ADD, 2147483646, 1, &r, &e), LH_OK);
    assert_int_equal(r, 2147483647);
    assert_int_equal(int_op1(T(LH_SQL_INTEGER), LH_OP_DIV, INT32_MIN, -1, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "integer division overflow: -2147483648 / -1");
    assert_int_equal(int_op1(T(LH_SQL_SMALLINT), LH_OP_MUL, 256, 128, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "smallint multiplication overflow: 256 * 128");
    assert_int_equal(int_op1(T(LH_SQL_SMALLINT), LH_OP_SUB, -32767, 1, &r, &e), LH_OK);
    assert_int_equal(r, -32768);
    assert_int_equal(int_op1(T(LH_SQL_TINYINT), LH_OP_ADD, 127, 1, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "tinyint addition overflow: 127 + 1");
    assert_int_equal(int_op1(T(LH_SQL_TINYINT), LH_OP_SUB, -128, 1, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "tinyint subtraction overflow: -128 - 1");
    assert_int_equal(int_op1(T(LH_SQL_TINYINT), LH_OP_DIV, -128, -1, &r, &e), LH_EDATA);
    assert_string_equal(e.msg, "tinyint division overflow: -128 / -1");
    assert_int_equal(int_op1(T(LH_SQL_TINYINT), LH_OP_MOD, -128, -1, &r, &e), LH_OK);
    assert_int_equal(r, 0);
    {
        lh_vector *a = mk(T(LH_SQL_BIGINT)), *o = mk(T(LH_SQL_BIGINT));
        lh_vector_set_i64(a, 0, INT64_MIN);
        assert_int_equal(lh_k_negate(a, o, all(1), &e), LH_EDATA);
        assert_string_equal(e.msg, "bigint negation overflow: -9223372036854775808");
        lh_vector_free(a);
        lh_vector_free(o);
    }
}

/* Overflow in a NULL row or an unselected row is no error; a later row's is. */
static void test_int_nulls_selection(void **state)
{
    lh_vector *a = mk(T(LH_SQL_INTEGER)), *b = mk(T(LH_SQL_INTEGER)), *o = mk(T(LH_SQL_INTEGER));
    lh_err e;
    uint16_t sel[] = {0, 63, 64, 2047};
    lh_rows r = {sel, 4};
    uint32_t i;
    (void)state;
    for (i = 0; i < LH_BATCH; i++) {
        lh_vector_set_i64(a, i, i);
        lh_vector_set_i64(b, i, 1);
    }
    lh_vector_set_i64(a, 5, INT32_MAX); /* overflows, but not selected */
    lh_vector_set_i64(a, 63, INT32_MAX);
    lh_vector_set_null(a, 63); /* overflows, but NULL */
    lh_vector_set_null(b, 64);
    assert_int_equal(lh_k_arith(LH_OP_ADD, a, b, o, r, &e), LH_OK);
    assert_int_equal(lh_vector_get_i64(o, 0), 1);
    assert_int_equal(lh_vector_get_i64(o, 2047), 2048);
    assert_false(lh_vector_is_valid(o, 63));
    assert_false(lh_vector_is_valid(o, 64));
    assert_true(lh_vector_is_valid(o, 2047));
    lh_vector_set_i64(b, 0, 0);
    assert_int_equal(lh_k_arith(LH_OP_DIV, a, b, o, r, &e), LH_EDATA);
    lh_vector_set_i64(b, 0, 1);
    lh_vector_set_i64(b, 63, 0); /* division by zero in a NULL row: no error */
    assert_int_equal(lh_k_arith(LH_OP_DIV, a, b, o, r, &e), LH_OK);
    lh_vector_set_i64(a, 2047, INT32_MAX);
    assert_int_equal(lh_k_arith(LH_OP_ADD, a, b, o, r, &e), LH_EDATA);
    assert_string_equal(e.msg, "integer addition overflow: 2147483647 + 1");
    /* a constant operand: x + 1 */
    lh_vector_set_const(b, 0);
    lh_vector_set_i64(b, 0, 10);
    assert_int_equal(lh_k_arith(LH_OP_MUL, a, b, o, all(3), &e), LH_OK);
    assert_int_equal(lh_vector_get_i64(o, 2), 20);
    /* a NULL constant makes everything NULL */
    lh_vector_set_const(b, 1);
    assert_int_equal(lh_k_arith(LH_OP_MUL, a, b, o, all(100), &e), LH_OK);
    assert_false(lh_vector_is_valid(o, 99));
    lh_vector_free(a);
    lh_vector_free(b);
    lh_vector_free(o);
}

static void test_double(void **state)
{
    lh_vector *a = mk(T(LH_SQL_DOUBLE)), *b = mk(T(LH_SQL_DOUBLE)), *o = mk(T(LH_SQL_DOUBLE));
    lh_vector *ra = mk(T(LH_SQL_REAL)), *rb = mk(T(LH_SQL_REAL)), *ro = mk(T(LH_SQL_REAL));
    lh_err e;
    (void)state;
    lh_vector_set_f64(a, 0, 1.0);
    lh_vector_set_f64(b, 0, 0.0);
    lh_vector_set_f64(a, 1, 7.5);
    lh_vector_set_f64(b, 1, 2.0);
    assert_int_equal(lh_k_arith(LH_OP_DIV, a, b, o, all(2), &e), LH_OK);
    assert_true(isinf(lh_vector_get_f64(o, 0)));
    assert_true(lh_vector_get_f64(o, 1) == 3.75);
    assert_int_equal(lh_k_arith(LH_OP_MOD, a, b, o, all(2), &e), LH_OK);
    assert_true(isnan(lh_vector_get_f64(o, 0)));
    assert_true(lh_vector_get_f64(o, 1) == 1.5);
    lh_vector_set_f64(ra, 0, 1.5f);
    lh_vector_set_f64(rb, 0, 2.25f);
    assert_int_equal(lh_k_arith(LH_OP_MUL, ra, rb, ro, all(1), &e), LH_OK);
    assert_true(lh_vector_get_f64(ro, 0) == 3.375);
    assert_int_equal(lh_k_arith(LH_OP_ADD, a, rb, o, all(1), &e), LH_EINTERNAL); /* no implicit coercion here */
    lh_vector_free(a);
    lh_vector_free(b);
    lh_vector_free(o);
    lh_vector_free(ra);
    lh_vector_free(rb);
    lh_vector_free(ro);
}

/* ---- decimals: vectorized against decimal.h's scalar functions ---- */

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static uint64_t next64(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static lh_i128 rand_dec(int p)
{
    lh_i128 lim = lh_dec_pow10(p), v;
    unsigned __int128 u = ((unsigned __int128)next64() << 64) | next64();
    int digits = (int)(next64() % (unsigned)p) + 1; /* spread magnitudes */
    v = (lh_i128)(u % (unsigned __int128)lh_dec_pow10(digits));
    if (v >= lim)
        v = lim - 1;
    if (next64() & 1)
        v = -v;
    if (next64() % 50 == 0)
        v = 0;
    return v;
}

static void dec_compare_scalar(int p1, int s1, int p2, int s2, lh_decop sop, lh_arith_op kop, int nvals)
{
    int rp, rs, done = 0;
    lh_err e;
    lh_vector *a = mk(lh_sqltype_decimal(p1, s1)), *b = mk(lh_sqltype_decimal(p2, s2)), *o;
    uint32_t i;
    assert_int_equal(lh_dec_result_type((lh_decop)sop, p1, s1, p2, s2, &rp, &rs, &e), LH_OK);
    o = mk(lh_sqltype_decimal(rp, rs));
    while (done < nvals) {
        lh_rc rc;
        for (i = 0; i < LH_BATCH; i++) {
            lh_vector_set_i128(a, i, rand_dec(p1));
            lh_vector_set_i128(b, i, rand_dec(p2));
        }
        rc = lh_k_arith(kop, a, b, o, all(LH_BATCH), &e);
        /* compare row by row; at the first scalar error the kernel must have failed the same way */
        for (i = 0; i < LH_BATCH; i++) {
            lh_i128 x = lh_vector_get_i128(a, i), y = lh_vector_get_i128(b, i), r = 0;
            lh_err se;
            lh_rc src;
            switch (sop) {
            case LH_DEC_ADD:
                src = lh_dec_add(x, s1, y, s2, &r, &se);
                break;
            case LH_DEC_SUB:
                src = lh_dec_sub(x, s1, y, s2, &r, &se);
                break;
            case LH_DEC_MUL:
                src = lh_dec_mul(x, s1, y, s2, &r, &se);
                break;
            case LH_DEC_DIV:
                src = lh_dec_div(x, s1, y, s2, rs, &r, &se);
                break;
            default:
                src = lh_dec_mod(x, s1, y, s2, &r, &se);
                break;
            }
            if (src == LH_OK && !lh_dec_fits(r, rp))
                src = LH_EDATA; /* beyond the result precision: the kernel reports overflow */
            if (src) {
                if (rc != src || strcmp(e.msg, se.msg) != 0)
                    fail_msg("(%d,%d) op%d (%d,%d) row %u: kernel rc %d '%s', scalar rc %d '%s'", p1, s1, (int)sop,
                             p2, s2, i, rc, e.msg, src, se.msg);
                break;
            }
            if (lh_vector_get_i128(o, i) != r) {
                char x1[LH_DEC_FMT_MAX], x2[LH_DEC_FMT_MAX], x3[LH_DEC_FMT_MAX], x4[LH_DEC_FMT_MAX];
                lh_dec_format(x, s1, x1);
                lh_dec_format(y, s2, x2);
                lh_dec_format(lh_vector_get_i128(o, i), rs, x3);
                lh_dec_format(r, rs, x4);
                fail_msg("(%d,%d) op%d (%d,%d): %s, %s: kernel %s scalar %s", p1, s1, (int)sop, p2, s2, x1, x2, x3,
                         x4);
            }
            done++;
        }
        if (rc && i == LH_BATCH)
            fail_msg("kernel failed (%s) where the scalar functions did not", e.msg);
    }
    lh_vector_free(a);
    lh_vector_free(b);
    lh_vector_free(o);
}

static void test_decimal_random(void **state)
{
    static const int shapes[][4] = {{18, 2, 18, 2}, {10, 2, 5, 3}, {12, 0, 6, 6}, {38, 10, 38, 5},
                                    {20, 4, 10, 2}, {30, 15, 8, 8}, {5, 1, 38, 0}, {18, 18, 18, 0}};
    size_t k;
    int op;
    (void)state;
    for (k = 0; k < sizeof shapes / sizeof shapes[0]; k++)
        for (op = 0; op < 5; op++) {
            int rp, rs;
            lh_err e;
            if (lh_dec_result_type((lh_decop)op, shapes[k][0], shapes[k][1], shapes[k][2], shapes[k][3], &rp, &rs,
                                   &e))
                continue; /* scale over 38: a type error, not a kernel's case */
            dec_compare_scalar(shapes[k][0], shapes[k][1], shapes[k][2], shapes[k][3], (lh_decop)op,
                               (lh_arith_op)op, 100000 / (int)(sizeof shapes / sizeof shapes[0]) + 1);
        }
    /* decimal(18,2) * decimal(18,2) and + over 100,000 values each */
    dec_compare_scalar(18, 2, 18, 2, LH_DEC_MUL, LH_OP_MUL, 100000);
    dec_compare_scalar(38, 2, 38, 2, LH_DEC_ADD, LH_OP_ADD, 100000);
    dec_compare_scalar(20, 6, 10, 3, LH_DEC_DIV, LH_OP_DIV, 100000);
}

/* Comparisons across scales and layouts against lh_dec_cmp, 100,000 pairs. */
static void test_decimal_compare_random(void **state)
{
    static const int shapes[][4] = {{10, 2, 12, 4}, {18, 0, 38, 20}, {38, 37, 38, 0}, {5, 5, 18, 2}};
    size_t k;
    int round_, op;
    lh_err e;
    (void)state;
    for (k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        lh_vector *a = mk(lh_sqltype_decimal(shapes[k][0], shapes[k][1]));
        lh_vector *b = mk(lh_sqltype_decimal(shapes[k][2], shapes[k][3]));
        lh_vector *o = mk(T(LH_SQL_BOOLEAN));
        for (round_ = 0; round_ < 13; round_++) {
            uint32_t i;
            for (i = 0; i < LH_BATCH; i++) {
                lh_vector_set_i128(a, i, rand_dec(shapes[k][0]));
                /* every 4th pair equal in value */
                if (i % 4 == 0 && shapes[k][3] >= shapes[k][1] &&
                    lh_dec_fits(lh_vector_get_i128(a, i) * lh_dec_pow10(shapes[k][3] - shapes[k][1]), shapes[k][2]))
                    lh_vector_set_i128(b, i, lh_vector_get_i128(a, i) * lh_dec_pow10(shapes[k][3] - shapes[k][1]));
                else
                    lh_vector_set_i128(b, i, rand_dec(shapes[k][2]));
            }
            for (op = 0; op < 6; op++) {
                assert_int_equal(lh_k_compare((lh_cmp_op)op, a, b, o, all(LH_BATCH), &e), LH_OK);
                for (i = 0; i < LH_BATCH; i++) {
                    int c = lh_dec_cmp(lh_vector_get_i128(a, i), shapes[k][1], lh_vector_get_i128(b, i), shapes[k][3]);
                    int want = op == 0 ? c == 0 : op == 1 ? c != 0 : op == 2 ? c < 0 : op == 3 ? c <= 0 : op == 4 ? c > 0 : c >= 0;
                    if (((uint8_t *)o->data)[i] != want)
                        fail_msg("shape %zu op %d row %u", k, op, i);
                }
            }
        }
        lh_vector_free(a);
        lh_vector_free(b);
        lh_vector_free(o);
    }
}

static void test_decimal_edges(void **state)
{
    lh_vector *a = mk(lh_sqltype_decimal(38, 0)), *b = mk(lh_sqltype_decimal(38, 0)), *o = mk(lh_sqltype_decimal(38, 0));
    lh_err e;
    (void)state;
    lh_vector_set_i128(a, 0, lh_dec_pow10(38) - 1);
    lh_vector_set_i128(b, 0, 1);
    assert_int_equal(lh_k_arith(LH_OP_ADD, a, b, o, all(1), &e), LH_EDATA);
    assert_string_equal(e.msg, "Decimal overflow");
    lh_vector_set_i128(b, 0, 0);
    assert_int_equal(lh_k_arith(LH_OP_DIV, a, b, o, all(1), &e), LH_EDATA);
    assert_string_equal(e.msg, "Division by zero");
    lh_vector_free(a);
    lh_vector_free(b);
    lh_vector_free(o);
    /* whatever a NULL row holds is never computed on in a way that fails
     * (or is undefined: UBSan checks this) */
    a = mk(lh_sqltype_decimal(9, 2));
    b = mk(lh_sqltype_decimal(9, 2));
    o = mk(lh_sqltype_decimal(18, 4));
    ((int64_t *)a->data)[0] = INT64_MAX;
    ((int64_t *)b->data)[0] = INT64_MAX;
    lh_vector_set_null(a, 0);
    lh_vector_set_i128(a, 1, 150);
    lh_vector_set_i128(b, 1, -250);
    assert_int_equal(lh_k_arith(LH_OP_MUL, a, b, o, all(2), &e), LH_OK);
    assert_false(lh_vector_is_valid(o, 0));
    assert_true(lh_vector_get_i128(o, 1) == -37500);
    lh_vector_free(o);
    o = mk(lh_sqltype_decimal(10, 2));
    assert_int_equal(lh_k_arith(LH_OP_ADD, a, b, o, all(2), &e), LH_OK);
    assert_true(lh_vector_get_i128(o, 1) == -100);
    assert_int_equal(lh_k_negate(a, a, all(2), &e), LH_OK);
    lh_vector_free(a);
    lh_vector_free(b);
    lh_vector_free(o);
    /* 1.00 / 3 -> decimal(?,2) 0.33; 2.00 / 3 = 0.67 (HALF_UP); -2.00/3 = -0.67 */
    a = mk(lh_sqltype_decimal(3, 2));
    b = mk(lh_sqltype_decimal(1, 0));
    {
        int rp, rs;
        assert_int_equal(lh_dec_result_type(LH_DEC_DIV, 3, 2, 1, 0, &rp, &rs, &e), LH_OK);
        o = mk(lh_sqltype_decimal(rp, rs));
    }
    lh_vector_set_i128(a, 0, 200);
    lh_vector_set_i128(a, 1, -200);
    lh_vector_set_i128(b, 0, 3);
    lh_vector_set_i128(b, 1, 3);
    assert_int_equal(lh_k_arith(LH_OP_DIV, a, b, o, all(2), &e), LH_OK);
    assert_true(lh_vector_get_i128(o, 0) == 67);
    assert_true(lh_vector_get_i128(o, 1) == -67);
    lh_vector_free(a);
    lh_vector_free(b);
    lh_vector_free(o);
}

/* ---- comparisons ---- */

static uint8_t cmp1(lh_cmp_op op, lh_vector *a, lh_vector *b, uint32_t row, int *valid)
{
    lh_vector *o = mk(T(LH_SQL_BOOLEAN));
    lh_err e;
    uint8_t r;
    assert_int_equal(lh_k_compare(op, a, b, o, all(row + 1), &e), LH_OK);
    r = ((uint8_t *)o->data)[row];
    *valid = lh_vector_is_valid(o, row);
    lh_vector_free(o);
    return r;
}

static void check_order(lh_vector *a, lh_vector *b)
{
    /* row 0: a < b, row 1: a == b, row 2: a > b */
    static const uint8_t want[6][3] = {{0, 1, 0}, {1, 0, 1}, {1, 0, 0}, {1, 1, 0}, {0, 0, 1}, {0, 1, 1}};
    int op, row, valid;
    for (op = 0; op < 6; op++)
        for (row = 0; row < 3; row++) {
            uint8_t r = cmp1((lh_cmp_op)op, a, b, (uint32_t)row, &valid);
            if (r != want[op][row] || !valid)
                fail_msg("type %d op %d row %d: got %d", a->type.id, op, row, r);
        }
    assert_int_equal(cmp1(LH_CMP_DISTINCT, a, b, 1, &valid), 0);
    assert_int_equal(cmp1(LH_CMP_DISTINCT, a, b, 0, &valid), 1);
    assert_int_equal(cmp1(LH_CMP_NOT_DISTINCT, a, b, 1, &valid), 1);
}

static void test_compare_types(void **state)
{
    static const lh_sqltype_id ints[] = {LH_SQL_TINYINT, LH_SQL_SMALLINT, LH_SQL_INTEGER, LH_SQL_BIGINT,
                                         LH_SQL_DATE,    LH_SQL_TIMESTAMP, LH_SQL_INTERVAL_DS, LH_SQL_INTERVAL_YM,
                                         LH_SQL_TIME,    LH_SQL_BOOLEAN};
    size_t k;
    lh_err e;
    lh_arena ar;
    (void)state;
    lh_arena_init(&ar, 0);
    for (k = 0; k < sizeof ints / sizeof ints[0]; k++) {
        lh_vector *a = mk(T(ints[k])), *b = mk(T(ints[k]));
        int lo = ints[k] == LH_SQL_BOOLEAN ? 0 : -5;
        lh_vector_set_i64(a, 0, lo);
        lh_vector_set_i64(b, 0, lo + 1);
        lh_vector_set_i64(a, 1, 1);
        lh_vector_set_i64(b, 1, 1);
        lh_vector_set_i64(a, 2, 1);
        lh_vector_set_i64(b, 2, 0);
        check_order(a, b);
        lh_vector_free(a);
        lh_vector_free(b);
    }
    {
        lh_vector *a = mk(T(LH_SQL_DOUBLE)), *b = mk(T(LH_SQL_DOUBLE));
        int valid;
        lh_vector_set_f64(a, 0, -0.5);
        lh_vector_set_f64(b, 0, 0.25);
        lh_vector_set_f64(a, 1, -0.0);
        lh_vector_set_f64(b, 1, 0.0);
        lh_vector_set_f64(a, 2, INFINITY);
        lh_vector_set_f64(b, 2, 1e308);
        check_order(a, b);
        lh_vector_set_f64(a, 3, NAN);
        lh_vector_set_f64(b, 3, NAN);
        assert_int_equal(cmp1(LH_CMP_EQ, a, b, 3, &valid), 0);
        assert_int_equal(cmp1(LH_CMP_NOT_DISTINCT, a, b, 3, &valid), 1);
        lh_vector_free(a);
        lh_vector_free(b);
        a = mk(T(LH_SQL_REAL));
        b = mk(T(LH_SQL_REAL));
        lh_vector_set_f64(a, 0, 1.5);
        lh_vector_set_f64(b, 0, 2.5);
        lh_vector_set_f64(a, 1, 2.5);
        lh_vector_set_f64(b, 1, 2.5);
        lh_vector_set_f64(a, 2, 3.5);
        lh_vector_set_f64(b, 2, 2.5);
        check_order(a, b);
        lh_vector_free(a);
        lh_vector_free(b);
    }
    {
        /* strings: bytewise, inline and pointer, common prefixes */
        lh_vector *a = mk(lh_sqltype_varchar(LH_SQL_UNBOUNDED)), *b = mk(lh_sqltype_varchar(LH_SQL_UNBOUNDED));
        assert_int_equal(lh_vector_set_str(a, 0, "abcdefghijklmnop", 16, &ar, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(b, 0, "abcdefghijklmnoq", 16, &ar, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(a, 1, "same long string value", 22, &ar, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(b, 1, "same long string value", 22, &ar, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(a, 2, "abc", 3, &ar, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(b, 2, "ab", 2, &ar, &e), LH_OK);
        check_order(a, b);
        lh_vector_free(a);
        lh_vector_free(b);
    }
    {
        /* decimals of different scales and layouts: 1.5 vs 1.50 */
        lh_vector *a = mk(lh_sqltype_decimal(10, 1)), *b = mk(lh_sqltype_decimal(30, 2));
        lh_vector_set_i128(a, 0, 14);  /* 1.4 */
        lh_vector_set_i128(b, 0, 141); /* 1.41 */
        lh_vector_set_i128(a, 1, 15);  /* 1.5 */
        lh_vector_set_i128(b, 1, 150); /* 1.50 */
        lh_vector_set_i128(a, 2, -1);  /* -0.1 */
        lh_vector_set_i128(b, 2, -11); /* -0.11 */
        check_order(a, b);
        lh_vector_free(a);
        lh_vector_free(b);
    }
    {
        /* timestamp with time zone: by instant, whatever the zone */
        lh_vector *a = mk(lh_sqltype_timestamp_tz(3)), *b = mk(lh_sqltype_timestamp_tz(3));
        lh_tstz x = {1000, LH_ZONE_UTC}, y = {2000, LH_ZONE_FIXED(60)};
        lh_vector_set_tstz(a, 0, x);
        lh_vector_set_tstz(b, 0, y);
        lh_vector_set_tstz(a, 1, y);
        y.zone = LH_ZONE_UTC;
        lh_vector_set_tstz(b, 1, y);
        lh_vector_set_tstz(a, 2, y);
        lh_vector_set_tstz(b, 2, x);
        check_order(a, b);
        lh_vector_free(a);
        lh_vector_free(b);
    }
    lh_arena_free(&ar);
}

static void test_null_semantics(void **state)
{
    lh_vector *a = mk(T(LH_SQL_BIGINT)), *b = mk(T(LH_SQL_BIGINT)), *o = mk(T(LH_SQL_BOOLEAN));
    lh_err e;
    uint8_t *O = o->data;
    (void)state;
    /* rows: (1,1) (NULL,1) (1,NULL) (NULL,NULL) */
    lh_vector_set_i64(a, 0, 1);
    lh_vector_set_i64(b, 0, 1);
    lh_vector_set_null(a, 1);
    lh_vector_set_i64(b, 1, 1);
    lh_vector_set_i64(a, 2, 1);
    lh_vector_set_null(b, 2);
    lh_vector_set_null(a, 3);
    lh_vector_set_null(b, 3);
    assert_int_equal(lh_k_compare(LH_CMP_EQ, a, b, o, all(4), &e), LH_OK);
    assert_true(lh_vector_is_valid(o, 0) && O[0] == 1);
    assert_false(lh_vector_is_valid(o, 1));
    assert_false(lh_vector_is_valid(o, 2));
    assert_false(lh_vector_is_valid(o, 3));
    assert_int_equal(lh_k_compare(LH_CMP_DISTINCT, a, b, o, all(4), &e), LH_OK);
    assert_true(lh_vector_is_valid(o, 1) && lh_vector_is_valid(o, 3));
    assert_int_equal(O[0], 0);
    assert_int_equal(O[1], 1);
    assert_int_equal(O[2], 1);
    assert_int_equal(O[3], 0);
    assert_int_equal(lh_k_compare(LH_CMP_NOT_DISTINCT, a, b, o, all(4), &e), LH_OK);
    assert_int_equal(O[0], 1);
    assert_int_equal(O[1], 0);
    assert_int_equal(O[2], 0);
    assert_int_equal(O[3], 1);
    assert_int_equal(lh_k_is_null(a, 0, o, all(4), &e), LH_OK);
    assert_int_equal(O[0], 0);
    assert_int_equal(O[1], 1);
    assert_int_equal(O[3], 1);
    assert_true(lh_vector_is_valid(o, 1));
    assert_int_equal(lh_k_is_null(a, 1, o, all(4), &e), LH_OK);
    assert_int_equal(O[0], 1);
    assert_int_equal(O[1], 0);
    /* arithmetic propagates NULL */
    {
        lh_vector *s = mk(T(LH_SQL_BIGINT));
        assert_int_equal(lh_k_arith(LH_OP_ADD, a, b, s, all(4), &e), LH_OK);
        assert_true(lh_vector_is_valid(s, 0));
        assert_false(lh_vector_is_valid(s, 1));
        assert_false(lh_vector_is_valid(s, 2));
        assert_false(lh_vector_is_valid(s, 3));
        lh_vector_free(s);
    }
    lh_vector_free(a);
    lh_vector_free(b);
    lh_vector_free(o);
}

/* The full 3x3 truth tables of AND and OR, and NOT. */
static void test_three_valued_logic(void **state)
{
    lh_vector *a = mk(T(LH_SQL_BOOLEAN)), *b = mk(T(LH_SQL_BOOLEAN)), *o = mk(T(LH_SQL_BOOLEAN));
    lh_err e;
    /* values: 0 = FALSE, 1 = TRUE, 2 = NULL */
    static const int and_t[3][3] = {{0, 0, 0}, {0, 1, 2}, {0, 2, 2}};
    static const int or_t[3][3] = {{0, 1, 2}, {1, 1, 1}, {2, 1, 2}};
    static const int not_t[3] = {1, 0, 2};
    int x, y, k;
    (void)state;
    for (x = 0; x < 3; x++)
        for (y = 0; y < 3; y++) {
            uint32_t row = (uint32_t)(x * 3 + y) * 60; /* spread over words */
            if (x == 2)
                lh_vector_set_null(a, row);
            else
                lh_vector_set_bool(a, row, x);
            if (y == 2)
                lh_vector_set_null(b, row);
            else
                lh_vector_set_bool(b, row, y);
        }
    for (k = 0; k < 2; k++) {
        assert_int_equal((k ? lh_k_or : lh_k_and)(a, b, o, all(LH_BATCH), &e), LH_OK);
        for (x = 0; x < 3; x++)
            for (y = 0; y < 3; y++) {
                uint32_t row = (uint32_t)(x * 3 + y) * 60;
                int want = k ? or_t[x][y] : and_t[x][y];
                int got = lh_vector_is_valid(o, row) ? ((uint8_t *)o->data)[row] : 2;
                if (got != want)
                    fail_msg("%s(%d,%d) = %d, want %d", k ? "OR" : "AND", x, y, got, want);
            }
    }
    assert_int_equal(lh_k_not(a, o, all(LH_BATCH), &e), LH_OK);
    for (x = 0; x < 3; x++) {
        uint32_t row = (uint32_t)(x * 3) * 60;
        int got = lh_vector_is_valid(o, row) ? ((uint8_t *)o->data)[row] : 2;
        assert_int_equal(got, not_t[x]);
    }
    lh_vector_free(a);
    lh_vector_free(b);
    lh_vector_free(o);
}

static void test_filter(void **state)
{
    lh_vector *p = mk(T(LH_SQL_BOOLEAN));
    lh_err e;
    uint16_t sel[LH_BATCH], sel2[LH_BATCH];
    uint32_t n, n2, i;
    (void)state;
    for (i = 0; i < LH_BATCH; i++)
        lh_vector_set_bool(p, i, i % 3 == 0);
    lh_vector_set_null(p, 3);
    lh_vector_set_null(p, 2046); /* 2046 % 3 == 0 but NULL: dropped */
    assert_int_equal(lh_k_filter(p, all(LH_BATCH), sel, &n, &e), LH_OK);
    assert_int_equal(n, 683 - 2);
    assert_int_equal(sel[0], 0);
    assert_int_equal(sel[1], 6);
    assert_int_equal(sel[n - 1], 2043);
    /* a filter over a selection keeps a subset, in order */
    {
        lh_rows r = {sel, n};
        for (i = 0; i < LH_BATCH; i++)
            lh_vector_set_bool(p, i, i % 2 == 0);
        assert_int_equal(lh_k_filter(p, r, sel2, &n2, &e), LH_OK);
        assert_int_equal(n2, 341);
        assert_int_equal(sel2[1], 6);
        assert_int_equal(sel2[2], 12);
    }
    lh_vector_set_const(p, 1); /* constant NULL predicate: nothing */
    assert_int_equal(lh_k_filter(p, all(LH_BATCH), sel, &n, &e), LH_OK);
    assert_int_equal(n, 0);
    lh_vector_free(p);
}

/* ---- casts ---- */

static lh_rc cast_str(lh_sqltype to, const char *s, lh_vector **outv, lh_err *e)
{
    lh_vector *in = mk(lh_sqltype_varchar(LH_SQL_UNBOUNDED)), *o = mk(to);
    lh_rc rc;
    assert_int_equal(lh_vector_set_str(in, 0, s, strlen(s), NULL, e), LH_OK);
    rc = lh_k_cast(in, o, all(1), NULL, e);
    lh_vector_free(in);
    *outv = o;
    return rc;
}

static void expect_text(lh_vector *in, lh_sqltype to, const char *want)
{
    lh_arena ar;
    lh_err e;
    lh_vector *o = mk(to);
    lh_str s;
    lh_arena_init(&ar, 0);
    if (lh_k_cast(in, o, all(1), &ar, &e))
        fail_msg("cast failed: %s", e.msg);
    s = lh_vector_get_str(o, 0);
    if (lh_str_len(&s) != strlen(want) || memcmp(lh_str_ptr(&s), want, strlen(want)))
        fail_msg("got '%.*s', want '%s'", (int)lh_str_len(&s), lh_str_ptr(&s), want);
    lh_vector_free(o);
    lh_arena_free(&ar);
}

static void test_double_format(void **state)
{
    char b[LH_DOUBLE_FMT_MAX];
    (void)state;
    lh_double_format(1e10, b);
    assert_string_equal(b, "1.0E10");
    lh_double_format(1.5, b);
    assert_string_equal(b, "1.5E0");
    lh_double_format(123.456, b);
    assert_string_equal(b, "1.23456E2");
    lh_double_format(-0.00125, b);
    assert_string_equal(b, "-1.25E-3");
    lh_double_format(0.1, b);
    assert_string_equal(b, "1.0E-1");
    lh_double_format(0.0, b);
    assert_string_equal(b, "0E0");
    lh_double_format(-0.0, b);
    assert_string_equal(b, "-0E0");
    lh_double_format(NAN, b);
    assert_string_equal(b, "NaN");
    lh_double_format(-INFINITY, b);
    assert_string_equal(b, "-Infinity");
    lh_double_format(1.0 / 3, b);
    assert_string_equal(b, "3.333333333333333E-1");
    lh_real_format(0.1f, b); /* 0.10000000149011612 at 7 digits */
    assert_string_equal(b, "1.0E-1");
    lh_real_format(3.14159f, b);
    assert_string_equal(b, "3.14159E0");
    lh_real_format(1.2345678f, b); /* 1.2345677614212036 -> 1.234568 */
    assert_string_equal(b, "1.234568E0");
    lh_real_format(9.9999999e9f, b); /* 1.0E10 as a float */
    assert_string_equal(b, "1.0E10");
    lh_real_format(0.0f, b);
    assert_string_equal(b, "0E0");
    lh_double_java_string(3e9, b);
    assert_string_equal(b, "3.0E9");
    lh_double_java_string(123.5, b);
    assert_string_equal(b, "123.5");
    lh_double_java_string(0.001, b);
    assert_string_equal(b, "0.001");
    lh_double_java_string(100.0, b);
    assert_string_equal(b, "100.0");
}

static void test_casts(void **state)
{
    lh_err e;
    lh_vector *o = NULL, *in;
    (void)state;
    /* narrowing integers */
    in = mk(T(LH_SQL_BIGINT));
    o = mk(T(LH_SQL_INTEGER));
    lh_vector_set_i64(in, 0, 3000000000LL);
    assert_int_equal(lh_k_cast(in, o, all(1), NULL, &e), LH_EDATA);
    assert_string_equal(e.msg, "Out of range for integer: 3000000000");
    lh_vector_set_i64(in, 0, -2147483648LL);
    assert_int_equal(lh_k_cast(in, o, all(1), NULL, &e), LH_OK);
    assert_int_equal(lh_vector_get_i64(o, 0), INT32_MIN);
    lh_vector_free(o);
    o = mk(T(LH_SQL_TINYINT));
    lh_vector_set_i64(in, 0, 128);
    assert_int_equal(lh_k_cast(in, o, all(1), NULL, &e), LH_EDATA);
    assert_string_equal(e.msg, "Out of range for tinyint: 128");
    lh_vector_free(o);
    /* widening + NULL */
    o = mk(T(LH_SQL_DOUBLE));
    lh_vector_set_i64(in, 0, 42);
    lh_vector_set_null(in, 1);
    assert_int_equal(lh_k_cast(in, o, all(2), NULL, &e), LH_OK);
    assert_true(lh_vector_get_f64(o, 0) == 42.0);
    assert_false(lh_vector_is_valid(o, 1));
    lh_vector_free(o);
    expect_text(in, lh_sqltype_varchar(LH_SQL_UNBOUNDED), "42");
    lh_vector_set_i64(in, 0, INT64_MIN);
    expect_text(in, lh_sqltype_varchar(LH_SQL_UNBOUNDED), "-9223372036854775808");
    o = mk(lh_sqltype_varchar(3));
    assert_int_equal(lh_k_cast(in, o, all(1), NULL, &e), LH_EDATA);
    assert_string_equal(e.msg, "Value -9223372036854775808 cannot be represented as varchar(3)");
    lh_vector_free(o);
    lh_vector_free(in);
    /* double */
    in = mk(T(LH_SQL_DOUBLE));
    lh_vector_set_f64(in, 0, 1e10);
    expect_text(in, lh_sqltype_varchar(LH_SQL_UNBOUNDED), "1.0E10");
    o = mk(T(LH_SQL_INTEGER));
    assert_int_equal(lh_k_cast(in, o, all(1), NULL, &e), LH_EDATA);
    assert_string_equal(e.msg, "Out of range for integer: 1.0E10");
    lh_vector_set_f64(in, 0, 2.5);
    assert_int_equal(lh_k_cast(in, o, all(1), NULL, &e), LH_OK);
    assert_int_equal(lh_vector_get_i64(o, 0), 3); /* HALF_UP */
    lh_vector_set_f64(in, 0, -2.5);
    assert_int_equal(lh_k_cast(in, o, all(1), NULL, &e), LH_OK);
    assert_int_equal(lh_vector_get_i64(o, 0), -3);
    lh_vector_set_f64(in, 0, NAN);
    assert_int_equal(lh_k_cast(in, o, all(1), NULL, &e), LH_EDATA);
    assert_string_equal(e.msg, "Cannot cast double NaN to integer");
    lh_vector_free(o);
    o = mk(lh_sqltype_decimal(10, 2));
    lh_vector_set_f64(in, 0, 2.675);
    assert_int_equal(lh_k_cast(in, o, all(1), NULL, &e), LH_OK);
    assert_true(lh_vector_get_i128(o, 0) == 268);
    lh_vector_free(o);
    lh_vector_free(in);
    /* decimal */
    in = mk(lh_sqltype_decimal(10, 2));
    lh_vector_set_i128(in, 0, -5);
    expect_text(in, lh_sqltype_varchar(LH_SQL_UNBOUNDED), "-0.05");
    o = mk(lh_sqltype_decimal(3, 1));
    lh_vector_set_i128(in, 0, 1255); /* 12.55 -> 12.6 */
    assert_int_equal(lh_k_cast(in, o, all(1), NULL, &e), LH_OK);
    assert_true(lh_vector_get_i128(o, 0) == 126);
    lh_vector_set_i128(in, 0, 100000); /* 1000.00 does not fit decimal(3,1) */
    assert_int_equal(lh_k_cast(in, o, all(1), NULL, &e), LH_EDATA);
    lh_vector_free(o);
    o = mk(T(LH_SQL_BIGINT));
    lh_vector_set_i128(in, 0, 250); /* 2.50 -> 3 */
    assert_int_equal(lh_k_cast(in, o, all(1), NULL, &e), LH_OK);
    assert_int_equal(lh_vector_get_i64(o, 0), 3);
    lh_vector_free(o);
    lh_vector_free(in);
    /* varchar -> numbers */
    assert_int_equal(cast_str(T(LH_SQL_INTEGER), "abc", &o, &e), LH_EDATA);
    assert_string_equal(e.msg, "Cannot cast 'abc' to INT");
    lh_vector_free(o);
    assert_int_equal(cast_str(T(LH_SQL_INTEGER), "971-", &o, &e), LH_EDATA);
    assert_string_equal(e.msg, "Cannot cast '971-' to INT");
    lh_vector_free(o);
    assert_int_equal(cast_str(T(LH_SQL_BIGINT), "-9223372036854775808", &o, &e), LH_OK);
    assert_true(lh_vector_get_i64(o, 0) == INT64_MIN);
    lh_vector_free(o);
    assert_int_equal(cast_str(T(LH_SQL_DOUBLE), " 1.5e3 ", &o, &e), LH_OK);
    assert_true(lh_vector_get_f64(o, 0) == 1500.0);
    lh_vector_free(o);
    assert_int_equal(cast_str(T(LH_SQL_DOUBLE), "0x10", &o, &e), LH_EDATA);
    assert_string_equal(e.msg, "Cannot cast '0x10' to DOUBLE");
    lh_vector_free(o);
    assert_int_equal(cast_str(lh_sqltype_decimal(10, 2), "1.005", &o, &e), LH_OK);
    assert_true(lh_vector_get_i128(o, 0) == 101);
    lh_vector_free(o);
    assert_int_equal(cast_str(T(LH_SQL_BOOLEAN), "TRUE", &o, &e), LH_OK);
    assert_int_equal(lh_vector_get_i64(o, 0), 1);
    lh_vector_free(o);
    assert_int_equal(cast_str(T(LH_SQL_BOOLEAN), "yes", &o, &e), LH_EDATA);
    assert_string_equal(e.msg, "Cannot cast 'yes' to BOOLEAN");
    lh_vector_free(o);
    /* dates and timestamps */
    assert_int_equal(cast_str(T(LH_SQL_DATE), "2022-06-18", &o, &e), LH_OK);
    expect_text(o, lh_sqltype_varchar(LH_SQL_UNBOUNDED), "2022-06-18");
    {
        lh_vector *ts = mk(lh_sqltype_timestamp(3));
        assert_int_equal(lh_k_cast(o, ts, all(1), NULL, &e), LH_OK);
        expect_text(ts, lh_sqltype_varchar(LH_SQL_UNBOUNDED), "2022-06-18 00:00:00.000");
        lh_vector_free(ts);
    }
    lh_vector_free(o);
    assert_int_equal(cast_str(T(LH_SQL_DATE), "2022-13-01", &o, &e), LH_EDATA);
    lh_vector_free(o);
    assert_int_equal(cast_str(lh_sqltype_timestamp(3), "2022-06-18 14:30:00", &o, &e), LH_OK);
    expect_text(o, lh_sqltype_varchar(LH_SQL_UNBOUNDED), "2022-06-18 14:30:00.000");
    {
        lh_vector *d = mk(T(LH_SQL_DATE));
        assert_int_equal(lh_k_cast(o, d, all(1), NULL, &e), LH_OK);
        expect_text(d, lh_sqltype_varchar(LH_SQL_UNBOUNDED), "2022-06-18");
        lh_vector_free(d);
    }
    lh_vector_free(o);
    /* varchar(n) truncates by code points */
    {
        lh_vector *s = mk(lh_sqltype_varchar(LH_SQL_UNBOUNDED));
        assert_int_equal(lh_vector_set_str(s, 0, "h\xc3\xa9llo", 6, NULL, &e), LH_OK);
        expect_text(s, lh_sqltype_varchar(2), "h\xc3\xa9");
        lh_vector_free(s);
        s = mk(T(LH_SQL_BOOLEAN));
        lh_vector_set_bool(s, 0, 1);
        expect_text(s, lh_sqltype_varchar(LH_SQL_UNBOUNDED), "true");
        lh_vector_free(s);
    }
}

/* ---- LIKE ---- */

static int like(const char *pat, const char *esc, const char *s)
{
    lh_like *m = NULL;
    lh_err e;
    int r;
    if (lh_like_compile(pat, strlen(pat), esc, esc ? strlen(esc) : 0, &m, &e))
        fail_msg("compile '%s': %s", pat, e.msg);
    r = lh_like_match(m, s, strlen(s));
    lh_like_free(m);
    return r;
}

/* Reference: a recursive matcher over code points (no escape). */
static size_t ref_cp(const char *s) { size_t i = 1; while (((unsigned char)s[i] & 0xC0) == 0x80) i++; return i; }
static int ref_like(const char *p, const char *s)
{
    if (!*p)
        return !*s;
    if (*p == '%')
        return ref_like(p + 1, s) || (*s && ref_like(p, s + ref_cp(s)));
    if (!*s)
        return 0;
    if (*p == '_')
        return ref_like(p + 1, s + ref_cp(s));
    {
        size_t n = ref_cp(p);
        return !strncmp(p, s, n) && ref_like(p + n, s + n);
    }
}

static void test_like_random(void **state)
{
    static const char *const pat_atoms[] = {"a", "b", "\xc3\xa9", "%", "_"};
    static const char *const str_atoms[] = {"a", "b", "\xc3\xa9"};
    int t;
    (void)state;
    for (t = 0; t < 30000; t++) {
        char p[64] = "", s[64] = "";
        int pl = (int)(next64() % 7), sl = (int)(next64() % 9), k;
        for (k = 0; k < pl; k++)
            strcat(p, pat_atoms[next64() % 5]);
        for (k = 0; k < sl; k++)
            strcat(s, str_atoms[next64() % 3]);
        if (like(p, NULL, s) != ref_like(p, s))
            fail_msg("'%s' LIKE '%s': got %d", s, p, like(p, NULL, s));
    }
}

static void test_like(void **state)
{
    lh_like *m = NULL;
    lh_err e;
    (void)state;
    assert_true(like("abc", NULL, "abc"));
    assert_false(like("abc", NULL, "abcd"));
    assert_true(like("", NULL, ""));
    assert_false(like("", NULL, "a"));
    assert_true(like("%", NULL, ""));
    assert_true(like("%", NULL, "anything"));
    assert_true(like("%%", NULL, "x"));
    assert_true(like("a%", NULL, "abc"));
    assert_false(like("a%", NULL, "bac"));
    assert_true(like("%c", NULL, "abc"));
    assert_true(like("%b%", NULL, "abc"));
    assert_false(like("%d%", NULL, "abc"));
    assert_true(like("_", NULL, "a"));
    assert_false(like("_", NULL, ""));
    assert_false(like("_", NULL, "ab"));
    assert_true(like("a_c", NULL, "abc"));
    assert_true(like("%a_c%", NULL, "xxabcxx"));
    assert_true(like("a%b%c", NULL, "aXbYc"));
    assert_true(like("a%b%c", NULL, "abbc"));
    assert_false(like("a%b%c", NULL, "acb"));
    assert_true(like("%ab%ab", NULL, "abab"));
    assert_true(like("%aab", NULL, "aaab"));
    assert_true(like("_%_", NULL, "ab"));
    assert_false(like("_%_", NULL, "a"));
    /* multibyte: _ is one code point */
    assert_true(like("_", NULL, "\xc3\xa9"));          /* é */
    assert_true(like("_", NULL, "\xe2\x82\xac"));      /* € */
    assert_true(like("_", NULL, "\xf0\x9f\x98\x80"));  /* 😀 */
    assert_false(like("__", NULL, "\xc3\xa9"));
    assert_true(like("caf_", NULL, "caf\xc3\xa9"));
    assert_true(like("%_\xc3\xa9", NULL, "x\xc3\xa9\xc3\xa9"));
    assert_true(like("\xc3\xa9%", NULL, "\xc3\xa9t\xc3\xa9"));
    /* escape */
    assert_true(like("100\\%", "\\", "100%"));
    assert_false(like("100\\%", "\\", "1000"));
    assert_true(like("a\\_b", "\\", "a_b"));
    assert_false(like("a\\_b", "\\", "axb"));
    assert_true(like("a\\\\b", "\\", "a\\b"));
    assert_true(like("%#%%", "#", "50% off"));
    assert_true(like("a%", "#", "a"));
    assert_true(like("x\xc3\xa9_", "\xc3\xa9", "x_")); /* a multibyte escape */
    assert_int_equal(lh_like_compile("a\\b", 3, "\\", 1, &m, &e), LH_EDATA);
    assert_string_equal(e.msg, "Escape character must be followed by '%', '_' or the escape character itself");
    assert_int_equal(lh_like_compile("a\\", 2, "\\", 1, &m, &e), LH_EDATA);
    assert_int_equal(lh_like_compile("a", 1, "ab", 2, &m, &e), LH_EDATA);
    assert_string_equal(e.msg, "Escape string must be a single character");
    assert_int_equal(lh_like_compile("a", 1, "", 0, &m, &e), LH_EDATA);
    /* the kernel: NULL in, NULL out, over a selection */
    {
        lh_vector *s = mk(lh_sqltype_varchar(LH_SQL_UNBOUNDED)), *o = mk(T(LH_SQL_BOOLEAN));
        uint16_t sel[] = {1, 2};
        lh_rows r = {sel, 2};
        assert_int_equal(lh_like_compile("%long%", 6, NULL, 0, &m, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(s, 0, "long", 4, NULL, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(s, 1, "a rather long string", 20, NULL, &e), LH_OK);
        lh_vector_set_null(s, 2);
        assert_int_equal(lh_k_like(m, s, o, r, &e), LH_OK);
        assert_int_equal(((uint8_t *)o->data)[1], 1);
        assert_false(lh_vector_is_valid(o, 2));
        lh_like_free(m);
        lh_vector_free(s);
        lh_vector_free(o);
    }
}

/* ---- dictionaries through the kernels, and hashing ---- */

static void test_dict_input(void **state)
{
    lh_vector *v = mk(lh_sqltype_varchar(LH_SQL_UNBOUNDED)), *d, *c = mk(lh_sqltype_varchar(LH_SQL_UNBOUNDED));
    lh_vector *o = mk(T(LH_SQL_BOOLEAN));
    lh_err e;
    uint32_t i;
    (void)state;
    assert_int_equal(lh_vector_set_dict(v, 2, &d, &e), LH_OK);
    assert_int_equal(lh_vector_set_str(d, 0, "walking", 7, NULL, &e), LH_OK);
    assert_int_equal(lh_vector_set_str(d, 1, "stationary position", 19, NULL, &e), LH_OK);
    for (i = 0; i < LH_BATCH; i++)
        v->dict_idx[i] = (uint16_t)(i & 1);
    lh_vector_set_const(c, 0);
    assert_int_equal(lh_vector_set_str(c, 0, "stationary position", 19, NULL, &e), LH_OK);
    assert_int_equal(lh_k_compare(LH_CMP_EQ, v, c, o, all(LH_BATCH), &e), LH_OK);
    assert_int_equal(((uint8_t *)o->data)[0], 0);
    assert_int_equal(((uint8_t *)o->data)[2047], 1);
    lh_vector_free(v);
    lh_vector_free(c);
    lh_vector_free(o);
}

static void test_hash(void **state)
{
    lh_vector *a = mk(T(LH_SQL_BIGINT)), *b = mk(T(LH_SQL_TINYINT)), *s = mk(lh_sqltype_varchar(LH_SQL_UNBOUNDED));
    lh_vector *dd = mk(T(LH_SQL_DOUBLE)), *dl = mk(lh_sqltype_decimal(30, 2)), *ds = mk(lh_sqltype_decimal(10, 2));
    uint64_t h1[LH_BATCH], h2[LH_BATCH];
    lh_vector *cols[2];
    lh_err e;
    uint32_t i, collisions = 0;
    lh_arena ar;
    (void)state;
    lh_arena_init(&ar, 0);
    for (i = 0; i < LH_BATCH; i++) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "key-%u-of-the-batch", i % 100);
        lh_vector_set_i64(a, i, (int64_t)(i % 100) - 50);
        lh_vector_set_i64(b, i, (int64_t)(i % 100) - 50);
        assert_int_equal(lh_vector_set_str(s, i, buf, (size_t)n, &ar, &e), LH_OK);
    }
    cols[0] = a;
    assert_int_equal(lh_hash_columns(cols, 1, all(LH_BATCH), h1, &e), LH_OK);
    cols[0] = b;
    assert_int_equal(lh_hash_columns(cols, 1, all(LH_BATCH), h2, &e), LH_OK);
    assert_memory_equal(h1, h2, sizeof h1); /* widths agree */
    for (i = 1; i < 100; i++)
        collisions += h1[i] == h1[0];
    assert_int_equal(collisions, 0);
    assert_true(h1[0] == h1[100]);
    cols[0] = a;
    cols[1] = s;
    assert_int_equal(lh_hash_columns(cols, 2, all(LH_BATCH), h2, &e), LH_OK);
    assert_true(h2[3] == h2[103]);
    assert_true(h2[3] != h1[3]);
    lh_vector_set_null(a, 5);
    lh_vector_set_null(a, 7);
    assert_int_equal(lh_hash_columns(cols, 1, all(LH_BATCH), h1, &e), LH_OK);
    assert_true(h1[5] == LH_HASH_NULL && h1[7] == LH_HASH_NULL);
    lh_vector_set_f64(dd, 0, 0.0);
    lh_vector_set_f64(dd, 1, -0.0);
    cols[0] = dd;
    assert_int_equal(lh_hash_columns(cols, 1, all(2), h1, &e), LH_OK);
    assert_true(h1[0] == h1[1]);
    lh_vector_set_i128(dl, 0, 12345);
    lh_vector_set_i128(ds, 0, 12345);
    cols[0] = dl;
    assert_int_equal(lh_hash_columns(cols, 1, all(1), h1, &e), LH_OK);
    cols[0] = ds;
    assert_int_equal(lh_hash_columns(cols, 1, all(1), h2, &e), LH_OK);
    assert_true(h1[0] == h2[0]);
    /* strings: equal bytes, different lengths and tails */
    assert_true(lh_hash_bytes("abcdefgh", 8) != lh_hash_bytes("abcdefgh\0", 9));
    assert_true(lh_hash_bytes("abcdefghi", 9) != lh_hash_bytes("abcdefghj", 9));
    lh_vector_free(a);
    lh_vector_free(b);
    lh_vector_free(s);
    lh_vector_free(dd);
    lh_vector_free(dl);
    lh_vector_free(ds);
    lh_arena_free(&ar);
}


/* Every allocation of a batch and of a cast that writes long strings into
 * the batch's arena fails in turn: a clean LH_ENOMEM each time. */
static void test_kernel_alloc_faults(void **state)
{
    long n;
    int ok = 0;
    (void)state;
    for (n = 1; n < 100 && !ok; n++) {
        lh_sqltype ts[2] = {lh_sqltype_of(LH_SQL_BIGINT), lh_sqltype_varchar(LH_SQL_UNBOUNDED)};
        lh_batch *b = NULL;
        lh_err e;
        lh_rc rc;
        uint32_t i;
        lh_fault_alloc_set(n);
        rc = lh_batch_create(ts, 2, 0, &b, &e);
        if (!rc) {
            for (i = 0; i < LH_BATCH; i++)
                lh_vector_set_i64(b->cols[0], i, INT64_MIN + i);
            b->n = LH_BATCH;
            rc = lh_k_cast(b->cols[0], b->cols[1], lh_batch_rows(b), &b->arena, &e);
        }
        lh_fault_alloc_set(0);
        if (rc) {
            assert_int_equal(rc, LH_ENOMEM);
        } else {
            lh_str s = lh_vector_get_str(b->cols[1], 2047);
            assert_memory_equal(lh_str_ptr(&s), "-9223372036854773761", 20);
            ok = 1;
        }
        lh_batch_free(b);
    }
    assert_true(ok);
}

static void test_more_types(void **state)
{
    lh_err e;
    uint32_t i;
    (void)state;
    {
        /* varbinary and char compare bytewise like varchar */
        lh_vector *a = mk(T(LH_SQL_VARBINARY)), *b = mk(T(LH_SQL_VARBINARY));
        assert_int_equal(lh_vector_set_str(a, 0, "\x00\x01", 2, NULL, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(b, 0, "\x00\x02", 2, NULL, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(a, 1, "\xff", 1, NULL, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(b, 1, "\xff", 1, NULL, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(a, 2, "\xff", 1, NULL, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(b, 2, "\x7f", 1, NULL, &e), LH_OK);
        check_order(a, b);
        lh_vector_free(a);
        lh_vector_free(b);
        a = mk(lh_sqltype_char(3));
        b = mk(lh_sqltype_char(3));
        assert_int_equal(lh_vector_set_str(a, 0, "ab", 2, NULL, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(b, 0, "abc", 3, NULL, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(a, 1, "x", 1, NULL, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(b, 1, "x", 1, NULL, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(a, 2, "b", 1, NULL, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(b, 2, "a", 1, NULL, &e), LH_OK);
        check_order(a, b);
        lh_vector_free(a);
        lh_vector_free(b);
    }
    {
        /* a dictionary-encoded integer input to arithmetic, over a selection */
        lh_vector *a = mk(T(LH_SQL_INTEGER)), *d, *b = mk(T(LH_SQL_INTEGER)), *o = mk(T(LH_SQL_INTEGER));
        uint16_t sel[] = {1, 1000, 2045};
        lh_rows r = {sel, 3};
        assert_int_equal(lh_vector_set_dict(a, 3, &d, &e), LH_OK);
        lh_vector_set_i64(d, 0, 10);
        lh_vector_set_i64(d, 1, 20);
        lh_vector_set_null(d, 2);
        for (i = 0; i < LH_BATCH; i++) {
            a->dict_idx[i] = (uint16_t)(i % 3);
            lh_vector_set_i64(b, i, 1);
        }
        assert_int_equal(lh_k_arith(LH_OP_SUB, a, b, o, r, &e), LH_OK);
        assert_int_equal(lh_vector_get_i64(o, 1), 19);   /* 1 % 3 = 1 -> 20 */
        assert_int_equal(lh_vector_get_i64(o, 1000), 19); /* 1000 % 3 = 1 */
        assert_false(lh_vector_is_valid(o, 2045));       /* 2045 % 3 = 2 -> the NULL entry */
        lh_vector_free(a);
        lh_vector_free(b);
        lh_vector_free(o);
    }
    {
        /* both constant */
        lh_vector *a = mk(T(LH_SQL_DOUBLE)), *b = mk(T(LH_SQL_DOUBLE)), *o = mk(T(LH_SQL_DOUBLE));
        lh_vector_set_const(a, 0);
        lh_vector_set_f64(a, 0, 1.5);
        lh_vector_set_const(b, 0);
        lh_vector_set_f64(b, 0, 2.0);
        assert_int_equal(lh_k_arith(LH_OP_MUL, a, b, o, all(LH_BATCH), &e), LH_OK);
        assert_true(lh_vector_get_f64(o, 2047) == 3.0);
        lh_vector_set_null(b, 0);
        assert_int_equal(lh_k_arith(LH_OP_ADD, a, b, o, all(LH_BATCH), &e), LH_OK);
        assert_false(lh_vector_is_valid(o, 0));
        assert_false(lh_vector_is_valid(o, 2047));
        lh_vector_free(a);
        lh_vector_free(b);
        lh_vector_free(o);
    }
    {
        /* CAST(NULL AS integer) */
        lh_vector *a = mk(T(LH_SQL_UNKNOWN)), *o = mk(T(LH_SQL_INTEGER));
        assert_int_equal(lh_k_cast(a, o, all(10), NULL, &e), LH_OK);
        assert_false(lh_vector_is_valid(o, 9));
        lh_vector_free(a);
        lh_vector_free(o);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int_limits),     cmocka_unit_test(test_int_nulls_selection),
        cmocka_unit_test(test_double),         cmocka_unit_test(test_decimal_random),
        cmocka_unit_test(test_decimal_edges),  cmocka_unit_test(test_decimal_compare_random),  cmocka_unit_test(test_compare_types),
        cmocka_unit_test(test_null_semantics), cmocka_unit_test(test_three_valued_logic),
        cmocka_unit_test(test_filter),         cmocka_unit_test(test_double_format),
        cmocka_unit_test(test_casts),          cmocka_unit_test(test_like),
        cmocka_unit_test(test_like_random),
        cmocka_unit_test(test_dict_input),     cmocka_unit_test(test_hash),
        cmocka_unit_test(test_kernel_alloc_faults), cmocka_unit_test(test_more_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
