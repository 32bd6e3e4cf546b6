/* tests/unit/test_decimal.c — exact decimals with Trino's rules.
 * References: Trino docs language/types.md (DECIMAL literals), functions/decimal.md
 * (precision and scale of operators), core/trino-main/.../type/DecimalOperators.java
 * (result types, HALF_UP division, "Decimal overflow", "Division by zero"),
 * DecimalCasts.java (cast rounding and messages), spi/type/Decimals.java (literal parsing). */
#include "testutil.h"

#include "exec/decimal.h"

static char g_out[1200];

static const char *fmt(lh_i128 v, int s)
{
    lh_dec_format(v, s, g_out);
    return g_out;
}

/* Parse a literal: "value decimal(p,s)" or "ERR n: msg". */
static const char *lit(const char *text)
{
    lh_i128 v;
    int p, s;
    lh_err err;
    lh_rc rc = lh_dec_parse_literal(text, strlen(text), &v, &p, &s, &err);
    char b[LH_DEC_FMT_MAX];
    if (rc) {
        snprintf(g_out, sizeof g_out, "ERR %d: %s", (int)rc, err.msg);
        return g_out;
    }
    lh_dec_format(v, s, b);
    snprintf(g_out, sizeof g_out, "%s decimal(%d,%d)", b, p, s);
    return g_out;
}

/* Evaluate "a op b" on two literals with the analyzer's result type: "value decimal(p,s)". */
static const char *op(const char *a, char o, const char *b)
{
    lh_i128 x, y, r = 0;
    int p1, s1, p2, s2, p, s;
    lh_err err;
    lh_rc rc;
    char v[LH_DEC_FMT_MAX];
    static const lh_decop m[256] = {['+'] = LH_DEC_ADD, ['-'] = LH_DEC_SUB, ['*'] = LH_DEC_MUL, ['/'] = LH_DEC_DIV,
                                    ['%'] = LH_DEC_MOD};
    assert_int_equal(lh_dec_parse_literal(a, strlen(a), &x, &p1, &s1, &err), LH_OK);
    assert_int_equal(lh_dec_parse_literal(b, strlen(b), &y, &p2, &s2, &err), LH_OK);
    rc = lh_dec_result_type(m[(unsigned char)o], p1, s1, p2, s2, &p, &s, &err);
    if (!rc) {
        switch (o) {
        case '+':
            rc = lh_dec_add(x, s1, y, s2, &r, &err);
            break;
        case '-':
            rc = lh_dec_sub(x, s1, y, s2, &r, &err);
            break;
        case '*':
            rc = lh_dec_mul(x, s1, y, s2, &r, &err);
            break;
        case '/':
            rc = lh_dec_div(x, s1, y, s2, s, &r, &err);
            break;
        default:
            rc = lh_dec_mod(x, s1, y, s2, &r, &err);
            break;
        }
    }
    if (rc) {
        snprintf(g_out, sizeof g_out, "ERR %d: %s", (int)rc, err.msg);
        return g_out;
    }
    assert_true(lh_dec_fits(r, p)); /* the value fits the type the analyzer gave */
    lh_dec_format(r, s, v);
    snprintf(g_out, sizeof g_out, "%s decimal(%d,%d)", v, p, s);
    return g_out;
}

static const char *rtype(lh_decop o, int p1, int s1, int p2, int s2)
{
    int p, s;
    lh_err err;
    lh_rc rc = lh_dec_result_type(o, p1, s1, p2, s2, &p, &s, &err);
    if (rc)
        snprintf(g_out, sizeof g_out, "ERR %d: %s", (int)rc, err.msg);
    else
        snprintf(g_out, sizeof g_out, "decimal(%d,%d)", p, s);
    return g_out;
}

#define NINES38 "99999999999999999999999999999999999999"

/* types.md "DECIMAL" / Decimals.parse: the literal's own digits decide its type. */
static void test_literals(void **state)
{
    (void)state;
    /* functions/decimal.md "Decimal literals" table */
    assert_string_equal(lit("0"), "0 decimal(1,0)");
    assert_string_equal(lit("12345"), "12345 decimal(5,0)");
    /* The table says DECIMAL(20, 10) here ("including leading zeros"), but
     * Trino's parser (Decimals.parse, current source) strips the integer
     * part's leading zeros: 5 + 10 digits.  We follow the code. */
    assert_string_equal(lit("0000012345.1234500000"), "12345.1234500000 decimal(15,10)");
    assert_string_equal(lit("1.50"), "1.50 decimal(3,2)");
    assert_string_equal(lit("0.5"), "0.5 decimal(1,1)");
    assert_string_equal(lit("1000.0"), "1000.0 decimal(5,1)");
    assert_string_equal(lit("0"), "0 decimal(1,0)");
    assert_string_equal(lit(".00"), "0.00 decimal(2,2)");
    assert_string_equal(lit("-0.05"), "-0.05 decimal(2,2)");
    assert_string_equal(lit("007"), "7 decimal(1,0)");
    assert_string_equal(lit("+5."), "5 decimal(1,0)");
    assert_string_equal(lit("1_000.5"), "1000.5 decimal(5,1)");
    assert_string_equal(lit(NINES38), NINES38 " decimal(38,0)");
    assert_string_equal(lit("0." NINES38), "0." NINES38 " decimal(38,38)");
    assert_string_equal(lit("1" NINES38), "ERR 10: Value exceeds maximum precision");
    assert_string_equal(lit("abc"), "ERR 4: Invalid DECIMAL value 'abc'");
    assert_string_equal(lit("1.2.3"), "ERR 4: Invalid DECIMAL value '1.2.3'");
    assert_string_equal(lit("."), "ERR 4: Invalid DECIMAL value '.'");
    assert_string_equal(lit(""), "ERR 4: Invalid DECIMAL value ''");
    assert_string_equal(lit("1__0"), "ERR 4: Invalid DECIMAL value '1__0'");
    assert_string_equal(lit("1e5"), "ERR 4: Invalid DECIMAL value '1e5'"); /* 1e5 is a DOUBLE literal */
}

/* DecimalOperators.java signatures, including the 38 cap. */
static void test_result_types(void **state)
{
    (void)state;
    assert_string_equal(rtype(LH_DEC_ADD, 10, 2, 5, 1), "decimal(11,2)");
    assert_string_equal(rtype(LH_DEC_ADD, 38, 0, 38, 0), "decimal(38,0)");
    assert_string_equal(rtype(LH_DEC_ADD, 37, 0, 1, 0), "decimal(38,0)");
    assert_string_equal(rtype(LH_DEC_ADD, 36, 0, 1, 0), "decimal(37,0)");
    assert_string_equal(rtype(LH_DEC_SUB, 3, 2, 1, 1), "decimal(4,2)");
    assert_string_equal(rtype(LH_DEC_SUB, 38, 10, 38, 20), "decimal(38,20)");
    assert_string_equal(rtype(LH_DEC_MUL, 10, 2, 5, 1), "decimal(15,3)");
    assert_string_equal(rtype(LH_DEC_MUL, 20, 10, 20, 10), "decimal(38,20)");
    assert_string_equal(rtype(LH_DEC_MUL, 38, 19, 38, 19), "decimal(38,38)");
    assert_string_equal(rtype(LH_DEC_MUL, 38, 20, 38, 19), "ERR 6: DECIMAL scale must be in range [0, 38]: 39");
    assert_string_equal(rtype(LH_DEC_DIV, 10, 2, 5, 1), "decimal(11,2)");
    assert_string_equal(rtype(LH_DEC_DIV, 19, 0, 5, 1), "decimal(21,1)"); /* bigint / 1000.0 */
    assert_string_equal(rtype(LH_DEC_DIV, 3, 1, 5, 4), "decimal(10,4)");
    assert_string_equal(rtype(LH_DEC_DIV, 38, 0, 38, 38), "decimal(38,38)");
    assert_string_equal(rtype(LH_DEC_MOD, 10, 2, 5, 1), "decimal(6,2)");
    assert_string_equal(rtype(LH_DEC_MOD, 38, 0, 38, 38), "decimal(38,38)");
    assert_string_equal(rtype(LH_DEC_MOD, 5, 0, 3, 0), "decimal(3,0)");
}

static void test_add_sub_mul(void **state)
{
    (void)state;
    assert_string_equal(op("1.50", '+', "0.5"), "2.00 decimal(4,2)");
    assert_string_equal(op("1.5", '-', "2.25"), "-0.75 decimal(4,2)");
    assert_string_equal(op("-0.05", '+', "0.05"), "0.00 decimal(3,2)");
    assert_string_equal(op("1.5", '*', "0.25"), "0.375 decimal(4,3)");
    assert_string_equal(op("-1.5", '*', "2"), "-3.0 decimal(3,1)");
    {
        lh_i128 r;
        lh_err err;
        assert_int_equal(lh_dec_neg(-5, &r, &err), LH_OK); /* unary minus keeps the type */
        assert_string_equal(fmt(r, 2), "0.05");
        assert_int_equal(lh_dec_neg(-lh_dec_pow10(38) + 1, &r, &err), LH_OK);
        assert_string_equal(fmt(r, 0), NINES38);
    }
    assert_string_equal(op("123456789.123", '*', "1000"), "123456789123.000 decimal(16,3)");
    /* overflow at the limits: the result type is capped at 38 digits */
    assert_string_equal(op(NINES38, '+', "1"), "ERR 10: Decimal overflow");
    assert_string_equal(op("-" NINES38, '-', "1"), "ERR 10: Decimal overflow");
    assert_string_equal(op(NINES38, '-', "1"), "99999999999999999999999999999999999998 decimal(38,0)");
    assert_string_equal(op("10000000000000000000", '*', "10000000000000000000"), "ERR 10: Decimal overflow");
    assert_string_equal(op("9999999999999999999", '*', "9999999999999999999"),
                        "99999999999999999980000000000000000001 decimal(38,0)");
    assert_string_equal(op("0." NINES38, '+', "0." NINES38), "ERR 10: Decimal overflow");
}

/* DecimalOperators.divide*: HALF_UP, away from zero, at .5 both signs. */
static void test_divide(void **state)
{
    (void)state;
    assert_string_equal(op("1", '/', "3"), "0 decimal(1,0)");
    assert_string_equal(op("2", '/', "3"), "1 decimal(1,0)");
    assert_string_equal(op("5", '/', "2"), "3 decimal(1,0)");
    assert_string_equal(op("-5", '/', "2"), "-3 decimal(1,0)");
    assert_string_equal(op("5", '/', "-2"), "-3 decimal(1,0)");
    assert_string_equal(op("-5", '/', "-2"), "3 decimal(1,0)");
    assert_string_equal(op("1.0", '/', "3"), "0.3 decimal(2,1)");
    assert_string_equal(op("2.0", '/', "3"), "0.7 decimal(2,1)");
    assert_string_equal(op("1.0", '/', "4"), "0.3 decimal(2,1)");
    assert_string_equal(op("-1.0", '/', "4"), "-0.3 decimal(2,1)");
    assert_string_equal(op("1.00", '/', "8"), "0.13 decimal(3,2)");
    assert_string_equal(op("1550", '/', "1000.0"), "1.6 decimal(6,1)");
    assert_string_equal(op("-1550", '/', "1000.0"), "-1.6 decimal(6,1)");
    assert_string_equal(op("7", '/', "1000.0"), "0.0 decimal(3,1)");
    assert_string_equal(op("10", '/', "0.0001"), "100000.0000 decimal(10,4)");
    assert_string_equal(op("1", '/', "0.40000000000000000000"), "2.50000000000000000000 decimal(38,20)");
    assert_string_equal(op("0", '/', "7"), "0 decimal(1,0)");
    /* rescale by 10^58: more than 256 bits if done in one step */
    assert_string_equal(op("-0.000079", '/', "-0.64698555663153734199319733373845"),
                        "0.00012210473509069544074340774029 decimal(38,32)");
    assert_string_equal(op("720", '/', "-0.0000911866322838069636"),
                        "-7895894.1893926978814348038017 decimal(38,22)");
    assert_string_equal(op("1.0", '/', "0"), "ERR 10: Division by zero");
    assert_string_equal(op("0", '/', "0.00"), "ERR 10: Division by zero");
    assert_string_equal(op("1", '/', "0." NINES38), "ERR 10: Decimal overflow");
    assert_string_equal(op(NINES38, '/', "0.1"), "ERR 10: Decimal overflow");
}

/* DecimalOperators.modulus*: sign of the dividend, rescaled to the larger scale. */
static void test_modulo(void **state)
{
    (void)state;
    assert_string_equal(op("5.5", '%', "2"), "1.5 decimal(2,1)");
    assert_string_equal(op("-5.5", '%', "2"), "-1.5 decimal(2,1)");
    assert_string_equal(op("5.5", '%', "-2"), "1.5 decimal(2,1)");
    assert_string_equal(op("10", '%', "3"), "1 decimal(1,0)");
    assert_string_equal(op("7", '%', "0.30000000000000000000000000000000000000"),
                        "0.10000000000000000000000000000000000000 decimal(38,38)");
    assert_string_equal(op("1.00", '%', "0"), "ERR 10: Division by zero");
}

static void test_compare_rescale(void **state)
{
    lh_i128 r;
    lh_err err;
    (void)state;
    {
        int i;
        for (i = 0; i < 38; i++)
            assert_true(lh_dec_pow10(i + 1) == lh_dec_pow10(i) * 10);
        assert_true(lh_dec_pow10(0) == 1);
        assert_true(lh_dec_fits(lh_dec_pow10(38) - 1, 38));
        assert_false(lh_dec_fits(lh_dec_pow10(10), 10));
        assert_true(lh_dec_fits(-(lh_dec_pow10(10) - 1), 10));
    }
    assert_int_equal(lh_dec_cmp(150, 2, 15, 1), 0);
    assert_int_equal(lh_dec_cmp(149, 2, 15, 1), -1);
    assert_int_equal(lh_dec_cmp(-2, 0, 10, 1), -1);
    assert_int_equal(lh_dec_cmp(-2, 0, -10, 1), -1);
    assert_int_equal(lh_dec_cmp(1, 38, 0, 0), 1);
    /* HALF_UP rescale */
    assert_int_equal(lh_dec_rescale(125, 2, 1, &r, &err), LH_OK);
    assert_string_equal(fmt(r, 1), "1.3");
    assert_int_equal(lh_dec_rescale(-125, 2, 1, &r, &err), LH_OK);
    assert_string_equal(fmt(r, 1), "-1.3");
    assert_int_equal(lh_dec_rescale(1249, 3, 1, &r, &err), LH_OK);
    assert_string_equal(fmt(r, 1), "1.2");
    assert_int_equal(lh_dec_rescale(5, 1, 0, &r, &err), LH_OK);
    assert_string_equal(fmt(r, 0), "1");
    assert_int_equal(lh_dec_rescale(-5, 1, 0, &r, &err), LH_OK);
    assert_string_equal(fmt(r, 0), "-1");
    assert_int_equal(lh_dec_rescale(lh_dec_pow10(36), 0, 1, &r, &err), LH_OK);
    assert_int_equal(lh_dec_rescale(lh_dec_pow10(37), 0, 1, &r, &err), LH_EDATA); /* 10^38 */
    assert_string_equal(err.msg, "Decimal overflow");
    /* CAST(decimal AS decimal) */
    assert_int_equal(lh_dec_cast(12345, 5, 2, 4, 1, &r, &err), LH_OK);
    assert_string_equal(fmt(r, 1), "123.5");
    assert_int_equal(lh_dec_cast(12345, 5, 2, 3, 1, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "Cannot cast DECIMAL(5, 2) '123.45' to DECIMAL(3, 1)");
    assert_int_equal(lh_dec_cast(9995, 4, 3, 3, 2, &r, &err), LH_EDATA); /* 9.995 -> 10.00 needs 4 digits */
}

/* Decimals.toString: Trino prints every digit of the scale. */
static void test_format(void **state)
{
    (void)state;
    assert_string_equal(fmt(150, 2), "1.50");
    assert_string_equal(fmt(-5, 2), "-0.05");
    assert_string_equal(fmt(0, 2), "0.00");
    assert_string_equal(fmt(12, 0), "12");
    assert_string_equal(fmt(-12345, 3), "-12.345");
    assert_string_equal(fmt(1, 38), "0.00000000000000000000000000000000000001");
    assert_string_equal(fmt(-lh_dec_pow10(38) + 1, 0), "-" NINES38);
    assert_string_equal(fmt(0, 0), "0");
    assert_int_equal(lh_dec_format(-lh_dec_pow10(38) + 1, 38, g_out), 41);
}

/* DecimalCasts.java: integers in and out (rounded HALF_UP), with Trino's messages. */
static void test_int_casts(void **state)
{
    lh_i128 r;
    int64_t x;
    lh_err err;
    (void)state;
    assert_int_equal(lh_dec_from_int(123, LH_SQL_BIGINT, 5, 2, &r, &err), LH_OK);
    assert_string_equal(fmt(r, 2), "123.00");
    assert_int_equal(lh_dec_from_int(1000, LH_SQL_BIGINT, 5, 2, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "Cannot cast BIGINT '1000' to DECIMAL(5, 2)");
    assert_int_equal(lh_dec_from_int(-7, LH_SQL_INTEGER, 3, 0, &r, &err), LH_OK);
    assert_string_equal(fmt(r, 0), "-7");
    assert_int_equal(lh_dec_from_int(INT64_MIN, LH_SQL_BIGINT, 19, 0, &r, &err), LH_OK);
    assert_string_equal(fmt(r, 0), "-9223372036854775808");
    assert_int_equal(lh_dec_from_int(INT64_MAX, LH_SQL_BIGINT, 38, 20, &r, &err), LH_EDATA);
    assert_int_equal(lh_dec_from_int(300, LH_SQL_SMALLINT, 2, 0, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "Cannot cast SMALLINT '300' to DECIMAL(2, 0)");

    assert_int_equal(lh_dec_to_int(25, 2, 1, LH_SQL_BIGINT, &x, &err), LH_OK);
    assert_int_equal(x, 3);
    assert_int_equal(lh_dec_to_int(-25, 2, 1, LH_SQL_BIGINT, &x, &err), LH_OK);
    assert_int_equal(x, -3);
    assert_int_equal(lh_dec_to_int(24, 2, 1, LH_SQL_INTEGER, &x, &err), LH_OK);
    assert_int_equal(x, 2);
    assert_int_equal(lh_dec_to_int(3000000000LL, 10, 0, LH_SQL_INTEGER, &x, &err), LH_EDATA);
    assert_string_equal(err.msg, "Cannot cast '3000000000' to INTEGER");
    assert_int_equal(lh_dec_to_int(1275, 4, 1, LH_SQL_TINYINT, &x, &err), LH_EDATA);
    assert_string_equal(err.msg, "Cannot cast '128' to TINYINT");
    {
        lh_i128 big = (lh_i128)1234567890123456789LL * 10 + 0; /* 12345678901234567890 */
        assert_int_equal(lh_dec_to_int(big, 20, 0, LH_SQL_BIGINT, &x, &err), LH_EDATA);
        assert_string_equal(err.msg, "Cannot cast '12345678901234567890' to BIGINT");
    }
    assert_int_equal(lh_dec_to_int((lh_i128)INT64_MAX, 19, 0, LH_SQL_BIGINT, &x, &err), LH_OK);
    assert_true(x == INT64_MAX);
}

/* DecimalConversions: double -> decimal via the shortest round-trip text, HALF_UP. */
static void test_double_casts(void **state)
{
    lh_i128 r;
    lh_err err;
    (void)state;
    assert_true(lh_dec_to_double(150, 2) == 1.5);
    assert_true(lh_dec_to_double(1, 1) == 0.1);
    assert_true(lh_dec_to_double(-5, 2) == -0.05);
    {
        lh_i128 v;
        int p, s;
        assert_int_equal(lh_dec_parse_literal("12345678901234567890123456789012345678", 38, &v, &p, &s, &err), LH_OK);
        assert_true(lh_dec_to_double(v, 0) == 1.2345678901234568e37);
    }
    assert_int_equal(lh_dec_from_double(2.675, 10, 2, &r, &err), LH_OK);
    assert_string_equal(fmt(r, 2), "2.68");
    assert_int_equal(lh_dec_from_double(1.005, 10, 2, &r, &err), LH_OK);
    assert_string_equal(fmt(r, 2), "1.01");
    assert_int_equal(lh_dec_from_double(0.125, 3, 2, &r, &err), LH_OK);
    assert_string_equal(fmt(r, 2), "0.13");
    assert_int_equal(lh_dec_from_double(-0.125, 3, 2, &r, &err), LH_OK);
    assert_string_equal(fmt(r, 2), "-0.13");
    assert_int_equal(lh_dec_from_double(123.456, 5, 2, &r, &err), LH_OK);
    assert_string_equal(fmt(r, 2), "123.46");
    assert_int_equal(lh_dec_from_double(1e-5, 10, 2, &r, &err), LH_OK);
    assert_string_equal(fmt(r, 2), "0.00");
    assert_int_equal(lh_dec_from_double(1e20, 10, 2, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "Cannot cast DOUBLE '1.0E20' to DECIMAL(10, 2)");
    assert_int_equal(lh_dec_from_double(1234.5, 5, 2, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "Cannot cast DOUBLE '1234.5' to DECIMAL(5, 2)");
    assert_int_equal(lh_dec_from_double(0.0 / 0.0, 10, 2, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "Cannot cast DOUBLE 'NaN' to DECIMAL(10, 2)");
    assert_int_equal(lh_dec_from_double(-1.0 / 0.0, 10, 2, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "Cannot cast DOUBLE '-Infinity' to DECIMAL(10, 2)");
    assert_int_equal(lh_dec_from_double(1e300, 38, 0, &r, &err), LH_EDATA);
    assert_int_equal(lh_dec_from_real(0.1f, 3, 2, &r, &err), LH_OK);
    assert_string_equal(fmt(r, 2), "0.10");
    assert_int_equal(lh_dec_from_real(1e10f, 5, 0, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "Cannot cast REAL '1.0E10' to DECIMAL(5, 0)");
}

/* DecimalCasts.varcharTo*Decimal: BigDecimal syntax, HALF_UP at the target scale. */
static void test_varchar_casts(void **state)
{
    lh_i128 r;
    lh_err err;
    char buf[200];
    (void)state;
#define VC(s, p, sc) lh_dec_from_varchar(s, strlen(s), p, sc, &r, &err)
    assert_int_equal(VC("1.255", 10, 2), LH_OK);
    assert_string_equal(fmt(r, 2), "1.26");
    assert_int_equal(VC("-1.255", 10, 2), LH_OK);
    assert_string_equal(fmt(r, 2), "-1.26");
    assert_int_equal(VC("1e3", 10, 2), LH_OK);
    assert_string_equal(fmt(r, 2), "1000.00");
    assert_int_equal(VC("1.2E-1", 10, 2), LH_OK);
    assert_string_equal(fmt(r, 2), "0.12");
    assert_int_equal(VC("+.5", 10, 2), LH_OK);
    assert_string_equal(fmt(r, 2), "0.50");
    assert_int_equal(VC("5.", 10, 2), LH_OK);
    assert_string_equal(fmt(r, 2), "5.00");
    assert_int_equal(VC("0.005", 10, 2), LH_OK);
    assert_string_equal(fmt(r, 2), "0.01");
    assert_int_equal(VC("-0.004", 10, 2), LH_OK);
    assert_string_equal(fmt(r, 2), "0.00");
    assert_int_equal(VC("99999999.995", 10, 2), LH_EDATA); /* rounds to 100000000.00: 11 digits */
    assert_int_equal(VC("abc", 10, 2), LH_EDATA);
    assert_string_equal(err.msg, "Cannot cast VARCHAR 'abc' to DECIMAL(10, 2). Value is not a number.");
    assert_int_equal(VC("12345678901", 10, 2), LH_EDATA);
    assert_string_equal(err.msg, "Cannot cast VARCHAR '12345678901' to DECIMAL(10, 2). Value too large.");
    assert_int_equal(VC("", 10, 2), LH_EDATA);
    assert_int_equal(VC(" 1", 10, 2), LH_EDATA);
    assert_int_equal(VC("1e", 10, 2), LH_EDATA);
    assert_int_equal(VC("971-", 10, 0), LH_EDATA);
    snprintf(buf, sizeof buf, "1.%0100d", 0);
    assert_int_equal(VC(buf, 10, 2), LH_OK);
    assert_string_equal(fmt(r, 2), "1.00");
    snprintf(buf, sizeof buf, "1%0100d", 0);
    assert_int_equal(VC(buf, 38, 0), LH_EDATA);
    assert_int_equal(VC(NINES38, 38, 0), LH_OK);
    assert_int_equal(VC("0." NINES38 "9", 38, 38), LH_EDATA); /* rounds up to 1.000...: too large */
#undef VC
}

/* functions/aggregate.md: sum(decimal(p,s)) -> decimal(38,s); avg keeps decimal(p,s). */
static void test_aggregate_types(void **state)
{
    int p, s;
    (void)state;
    lh_dec_sum_type(10, 2, &p, &s);
    assert_int_equal(p, 38);
    assert_int_equal(s, 2);
    lh_dec_avg_type(10, 2, &p, &s);
    assert_int_equal(p, 10);
    assert_int_equal(s, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals),     cmocka_unit_test(test_result_types), cmocka_unit_test(test_add_sub_mul),
        cmocka_unit_test(test_divide),       cmocka_unit_test(test_modulo),       cmocka_unit_test(test_compare_rescale),
        cmocka_unit_test(test_format),       cmocka_unit_test(test_int_casts),    cmocka_unit_test(test_double_casts),
        cmocka_unit_test(test_varchar_casts), cmocka_unit_test(test_aggregate_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
