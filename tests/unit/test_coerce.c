/* tests/unit/test_coerce.c — Trino's implicit coercions, common super types,
 * operator signatures, and the checked integer arithmetic they promise.
 * References: Trino docs language/types.md and functions/conversion.md
 * ("implicit coercions"), io.trino.type.TypeCoercion, BigintOperators.java /
 * IntegerOperators.java (overflow messages, division, modulus). */
#include "testutil.h"

#include "exec/intmath.h"
#include "plan/coerce.h"

static lh_sqltype T(const char *name)
{
    lh_sqltype t;
    lh_err err;
    if (lh_sqltype_parse(name, strlen(name), &t, &err) != LH_OK)
        fail_msg("bad type %s: %s", name, err.msg);
    return t;
}

static int co(const char *a, const char *b)
{
    return lh_type_can_coerce(T(a), T(b));
}

static const char *sup(const char *a, const char *b)
{
    static char out[LH_SQLTYPE_NAME_MAX];
    lh_sqltype r, r2;
    int ok = lh_type_common_super(T(a), T(b), &r), ok2 = lh_type_common_super(T(b), T(a), &r2);
    assert_int_equal(ok, ok2); /* symmetric */
    if (!ok)
        return "none";
    assert_true(lh_sqltype_equal(r, r2));
    assert_true(lh_type_can_coerce(T(a), r)); /* both sides really coerce to it */
    assert_true(lh_type_can_coerce(T(b), r));
    return lh_sqltype_name(r, out, sizeof out);
}

static const char *opr(const char *a, lh_binop o, const char *b)
{
    static char out[1200];
    lh_op_sig s;
    lh_err err;
    char x[LH_SQLTYPE_NAME_MAX], y[LH_SQLTYPE_NAME_MAX], z[LH_SQLTYPE_NAME_MAX];
    lh_rc rc = lh_op_resolve(o, T(a), T(b), &s, &err);
    if (rc)
        snprintf(out, sizeof out, "ERR %d: %s", (int)rc, err.msg);
    else
        snprintf(out, sizeof out, "%s %s -> %s", lh_sqltype_name(s.left, x, sizeof x),
                 lh_sqltype_name(s.right, y, sizeof y), lh_sqltype_name(s.result, z, sizeof z));
    return out;
}

/* TypeCoercion: the coercion matrix. */
static void test_can_coerce(void **state)
{
    (void)state;
    /* integer widening */
    assert_true(co("tinyint", "smallint"));
    assert_true(co("tinyint", "bigint"));
    assert_true(co("smallint", "integer"));
    assert_true(co("integer", "bigint"));
    assert_false(co("bigint", "integer"));
    assert_false(co("smallint", "tinyint"));
    /* integer -> decimal of the right precision */
    assert_true(co("tinyint", "decimal(3,0)"));
    assert_false(co("tinyint", "decimal(2,0)"));
    assert_true(co("smallint", "decimal(5,0)"));
    assert_false(co("smallint", "decimal(4,0)"));
    assert_true(co("integer", "decimal(10,0)"));
    assert_true(co("integer", "decimal(12,2)"));
    assert_false(co("integer", "decimal(10,1)"));
    assert_true(co("bigint", "decimal(19,0)"));
    assert_false(co("bigint", "decimal(18,0)"));
    /* to real / double */
    assert_true(co("integer", "real"));
    assert_true(co("bigint", "double"));
    assert_true(co("decimal(10,2)", "double"));
    assert_true(co("decimal(10,2)", "real"));
    assert_true(co("real", "double"));
    assert_false(co("double", "real"));
    assert_false(co("double", "decimal(38,10)"));
    assert_false(co("real", "bigint"));
    /* decimal widening */
    assert_true(co("decimal(10,2)", "decimal(11,2)"));
    assert_true(co("decimal(10,2)", "decimal(12,4)"));
    assert_false(co("decimal(10,2)", "decimal(10,3)"));
    assert_false(co("decimal(10,2)", "decimal(12,1)"));
    assert_false(co("decimal(1,0)", "bigint"));
    assert_true(co("decimal(38,0)", "decimal(38,38)")); /* super type capped at 38: lossy, checked at run time */
    assert_false(co("decimal(38,38)", "decimal(38,0)"));
    /* strings */
    assert_true(co("varchar(3)", "varchar(5)"));
    assert_true(co("varchar(3)", "varchar"));
    assert_false(co("varchar", "varchar(5)"));
    assert_false(co("varchar(5)", "varchar(3)"));
    assert_true(co("varchar(3)", "char(3)"));
    assert_false(co("varchar(3)", "char(2)"));
    assert_true(co("char(2)", "char(5)"));
    assert_false(co("char(2)", "varchar"));
    assert_false(co("varchar", "bigint"));
    assert_false(co("bigint", "varchar"));
    assert_false(co("varchar", "date"));
    assert_false(co("boolean", "integer"));
    assert_false(co("integer", "boolean"));
    assert_false(co("varbinary", "varchar"));
    /* date / time */
    assert_true(co("date", "timestamp(0)"));
    assert_true(co("date", "timestamp(3)"));
    assert_true(co("date", "timestamp(3) with time zone"));
    assert_false(co("timestamp(3)", "date"));
    assert_true(co("timestamp(0)", "timestamp(6)"));
    assert_false(co("timestamp(6)", "timestamp(3)"));
    assert_true(co("timestamp(3)", "timestamp(3) with time zone"));
    assert_false(co("timestamp(3) with time zone", "timestamp(3)"));
    assert_true(co("time(0)", "time(3)"));
    assert_false(co("time(3)", "timestamp(3)"));
    assert_false(co("interval day to second", "interval year to month"));
    /* unknown (NULL) goes anywhere */
    assert_true(co("unknown", "bigint"));
    assert_true(co("unknown", "varchar"));
    assert_true(co("unknown", "timestamp(3) with time zone"));
}

static void test_common_super(void **state)
{
    (void)state;
    assert_string_equal(sup("tinyint", "integer"), "integer");
    assert_string_equal(sup("bigint", "integer"), "bigint");
    assert_string_equal(sup("integer", "decimal(5,2)"), "decimal(12,2)");
    assert_string_equal(sup("bigint", "decimal(5,2)"), "decimal(21,2)");
    assert_string_equal(sup("tinyint", "decimal(1,1)"), "decimal(4,1)");
    assert_string_equal(sup("decimal(10,2)", "decimal(5,4)"), "decimal(12,4)");
    assert_string_equal(sup("decimal(38,0)", "decimal(38,38)"), "decimal(38,38)"); /* capped */
    assert_string_equal(sup("decimal(10,2)", "double"), "double");
    assert_string_equal(sup("decimal(10,2)", "real"), "real");
    assert_string_equal(sup("real", "double"), "double");
    assert_string_equal(sup("bigint", "real"), "real");
    assert_string_equal(sup("varchar(3)", "varchar(5)"), "varchar(5)");
    assert_string_equal(sup("varchar(3)", "varchar"), "varchar");
    assert_string_equal(sup("char(3)", "varchar(5)"), "char(5)");
    assert_string_equal(sup("char(3)", "char(2)"), "char(3)");
    assert_string_equal(sup("date", "timestamp(3)"), "timestamp(3)");
    assert_string_equal(sup("timestamp(0)", "timestamp(6)"), "timestamp(6)");
    assert_string_equal(sup("timestamp(6)", "timestamp(3) with time zone"), "timestamp(6) with time zone");
    assert_string_equal(sup("date", "timestamp(0) with time zone"), "timestamp(0) with time zone");
    assert_string_equal(sup("unknown", "varchar(2)"), "varchar(2)");
    assert_string_equal(sup("unknown", "unknown"), "unknown");
    assert_string_equal(sup("varchar", "bigint"), "none");
    assert_string_equal(sup("boolean", "integer"), "none");
    assert_string_equal(sup("date", "time(3)"), "none");
    assert_string_equal(sup("varbinary", "varchar"), "none");
    assert_string_equal(sup("interval day to second", "interval year to month"), "none");
}

/* Operators: result types and Trino's refusals. */
static void test_operators(void **state)
{
    (void)state;
    assert_string_equal(opr("bigint", LH_BOP_ADD, "integer"), "bigint bigint -> bigint");
    assert_string_equal(opr("tinyint", LH_BOP_MUL, "tinyint"), "tinyint tinyint -> tinyint");
    assert_string_equal(opr("integer", LH_BOP_DIV, "integer"), "integer integer -> integer");
    assert_string_equal(opr("bigint", LH_BOP_DIV, "decimal(5,1)"), "decimal(19,0) decimal(5,1) -> decimal(21,1)");
    assert_string_equal(opr("integer", LH_BOP_ADD, "decimal(3,2)"), "decimal(10,0) decimal(3,2) -> decimal(13,2)");
    assert_string_equal(opr("decimal(10,2)", LH_BOP_MUL, "decimal(5,1)"), "decimal(10,2) decimal(5,1) -> decimal(15,3)");
    assert_string_equal(opr("decimal(38,20)", LH_BOP_MUL, "decimal(38,19)"),
                        "ERR 6: DECIMAL scale must be in range [0, 38]: 39");
    assert_string_equal(opr("decimal(10,2)", LH_BOP_MOD, "integer"), "decimal(10,2) decimal(10,0) -> decimal(10,2)");
    assert_string_equal(opr("double", LH_BOP_ADD, "decimal(10,2)"), "double double -> double");
    assert_string_equal(opr("real", LH_BOP_MUL, "bigint"), "real real -> real");
    assert_string_equal(opr("double", LH_BOP_MOD, "double"), "double double -> double");
    assert_string_equal(opr("unknown", LH_BOP_ADD, "bigint"), "bigint bigint -> bigint");
    assert_string_equal(opr("varchar", LH_BOP_ADD, "bigint"), "ERR 10: Cannot apply operator: varchar + bigint");
    assert_string_equal(opr("boolean", LH_BOP_ADD, "integer"), "ERR 10: Cannot apply operator: boolean + integer");
    /* comparisons */
    assert_string_equal(opr("bigint", LH_BOP_EQ, "integer"), "bigint bigint -> boolean");
    assert_string_equal(opr("decimal(3,1)", LH_BOP_LT, "double"), "double double -> boolean");
    assert_string_equal(opr("varchar(3)", LH_BOP_EQ, "varchar"), "varchar varchar -> boolean");
    assert_string_equal(opr("date", LH_BOP_GE, "timestamp(3)"), "timestamp(3) timestamp(3) -> boolean");
    assert_string_equal(opr("varchar", LH_BOP_EQ, "bigint"), "ERR 10: Cannot apply operator: varchar = bigint");
    assert_string_equal(opr("varchar(1)", LH_BOP_NE, "integer"), "ERR 10: Cannot apply operator: varchar(1) <> integer");
    assert_string_equal(opr("boolean", LH_BOP_EQ, "integer"), "ERR 10: Cannot apply operator: boolean = integer");
    assert_string_equal(opr("date", LH_BOP_LT, "varchar"), "ERR 10: Cannot apply operator: date < varchar");
    assert_string_equal(opr("unknown", LH_BOP_DISTINCT, "varchar"), "varchar varchar -> boolean");
    /* || */
    assert_string_equal(opr("varchar(3)", LH_BOP_CONCAT, "varchar(4)"), "varchar(3) varchar(4) -> varchar(7)");
    assert_string_equal(opr("varchar", LH_BOP_CONCAT, "varchar(4)"), "varchar varchar(4) -> varchar");
    assert_string_equal(opr("char(2)", LH_BOP_CONCAT, "char(3)"), "char(2) char(3) -> char(5)");
    assert_string_equal(opr("varbinary", LH_BOP_CONCAT, "varbinary"), "varbinary varbinary -> varbinary");
    assert_string_equal(opr("unknown", LH_BOP_CONCAT, "varchar(2)"), "varchar(2) varchar(2) -> varchar(4)");
    assert_string_equal(opr("varchar", LH_BOP_CONCAT, "bigint"),
                        "ERR 10: Unexpected parameters (varchar, bigint) for function concat. Expected: concat(char(x), "
                        "char(y)), concat(varchar), concat(varbinary)");
    assert_string_equal(opr("integer", LH_BOP_CONCAT, "integer"), "ERR 10: Unexpected parameters (integer, integer) for function concat. Expected: concat(char(x), "
                        "char(y)), concat(varchar), concat(varbinary)");
    /* date/time arithmetic (functions/datetime.md "Date and time operators") */
    assert_string_equal(opr("date", LH_BOP_ADD, "interval day to second"), "date interval day to second -> date");
    assert_string_equal(opr("interval year to month", LH_BOP_ADD, "date"), "interval year to month date -> date");
    assert_string_equal(opr("timestamp(3)", LH_BOP_SUB, "interval year to month"),
                        "timestamp(3) interval year to month -> timestamp(3)");
    assert_string_equal(opr("time(3)", LH_BOP_ADD, "interval day to second"),
                        "time(3) interval day to second -> time(3)");
    assert_string_equal(opr("interval day to second", LH_BOP_ADD, "interval day to second"),
                        "interval day to second interval day to second -> interval day to second");
    assert_string_equal(opr("timestamp(3)", LH_BOP_SUB, "timestamp(3)"),
                        "timestamp(3) timestamp(3) -> interval day to second");
    assert_string_equal(opr("interval day to second", LH_BOP_MUL, "integer"),
                        "interval day to second bigint -> interval day to second");
    assert_string_equal(opr("interval day to second", LH_BOP_SUB, "date"),
                        "ERR 10: Cannot apply operator: interval day to second - date");
    assert_string_equal(opr("time(3)", LH_BOP_ADD, "interval year to month"),
                        "ERR 10: Cannot apply operator: time(3) + interval year to month");
    assert_string_equal(lh_op_symbol(LH_BOP_DISTINCT), "IS DISTINCT FROM");
    assert_true(lh_sqltype_equal(lh_type_int_as_decimal(T("smallint")), T("decimal(5,0)")));
}

/* BigintOperators / IntegerOperators / SmallintOperators / TinyintOperators. */
static void test_intmath(void **state)
{
    int64_t r;
    lh_err err;
    (void)state;
    assert_int_equal(lh_int_add(LH_I64, 1, 2, &r, &err), LH_OK);
    assert_int_equal(r, 3);
    assert_int_equal(lh_int_add(LH_I64, INT64_MAX, 1, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "bigint addition overflow: 9223372036854775807 + 1");
    assert_int_equal(lh_int_sub(LH_I64, INT64_MIN, 1, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "bigint subtraction overflow: -9223372036854775808 - 1");
    assert_int_equal(lh_int_mul(LH_I64, 4611686018427387904LL, 2, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "bigint multiplication overflow: 4611686018427387904 * 2");
    assert_int_equal(lh_int_add(LH_I32, 2147483647, 1, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "integer addition overflow: 2147483647 + 1");
    assert_int_equal(lh_int_add(LH_I32, 2147483646, 1, &r, &err), LH_OK);
    assert_int_equal(lh_int_mul(LH_I16, 200, 200, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "smallint multiplication overflow: 200 * 200");
    assert_int_equal(lh_int_sub(LH_I8, -128, 1, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "tinyint subtraction overflow: -128 - 1");
    assert_int_equal(lh_int_add(LH_I8, 100, 27, &r, &err), LH_OK);
    assert_int_equal(r, 127);
    /* division truncates toward zero; % takes the dividend's sign */
    assert_int_equal(lh_int_div(LH_I64, 7, 2, &r, &err), LH_OK);
    assert_int_equal(r, 3);
    assert_int_equal(lh_int_div(LH_I64, -7, 2, &r, &err), LH_OK);
    assert_int_equal(r, -3);
    assert_int_equal(lh_int_div(LH_I64, 7, -2, &r, &err), LH_OK);
    assert_int_equal(r, -3);
    assert_int_equal(lh_int_mod(LH_I64, -7, 2, &r, &err), LH_OK);
    assert_int_equal(r, -1);
    assert_int_equal(lh_int_mod(LH_I64, 7, -2, &r, &err), LH_OK);
    assert_int_equal(r, 1);
    assert_int_equal(lh_int_div(LH_I64, 1, 0, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "Division by zero");
    assert_int_equal(lh_int_mod(LH_I32, 1, 0, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "Division by zero");
    assert_int_equal(lh_int_div(LH_I64, INT64_MIN, -1, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "bigint division overflow: -9223372036854775808 / -1");
    assert_int_equal(lh_int_div(LH_I32, INT32_MIN, -1, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "integer division overflow: -2147483648 / -1");
    assert_int_equal(lh_int_mod(LH_I64, INT64_MIN, -1, &r, &err), LH_OK);
    assert_int_equal(r, 0);
    assert_int_equal(lh_int_neg(LH_I64, INT64_MIN, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "bigint negation overflow: -9223372036854775808");
    assert_int_equal(lh_int_neg(LH_I8, -127, &r, &err), LH_OK);
    assert_int_equal(r, 127);
    assert_int_equal(lh_int_narrow(LH_I32, 3000000000LL, &r, &err), LH_EDATA);
    assert_string_equal(err.msg, "Out of range for integer: 3000000000");
    assert_int_equal(lh_int_narrow(LH_I8, -128, &r, &err), LH_OK);
    /* VarcharOperators casts: Java's parseLong, no spaces (the CAST('971-' AS integer)) */
#define VI(w, str) lh_int_from_varchar(w, str, strlen(str), &r, &err)
    assert_int_equal(VI(LH_I32, "971-"), LH_EDATA);
    assert_string_equal(err.msg, "Cannot cast '971-' to INT");
    assert_int_equal(VI(LH_I32, "971"), LH_OK);
    assert_int_equal(r, 971);
    assert_int_equal(VI(LH_I32, "-2147483648"), LH_OK);
    assert_true(r == INT32_MIN);
    assert_int_equal(VI(LH_I32, "2147483648"), LH_EDATA);
    assert_int_equal(VI(LH_I64, "+9223372036854775807"), LH_OK);
    assert_true(r == INT64_MAX);
    assert_int_equal(VI(LH_I64, "-9223372036854775808"), LH_OK);
    assert_true(r == INT64_MIN);
    assert_int_equal(VI(LH_I64, "9223372036854775808"), LH_EDATA);
    assert_string_equal(err.msg, "Cannot cast '9223372036854775808' to BIGINT");
    assert_int_equal(VI(LH_I64, " 1"), LH_EDATA);
    assert_int_equal(VI(LH_I64, ""), LH_EDATA);
    assert_int_equal(VI(LH_I64, "-"), LH_EDATA);
    assert_int_equal(VI(LH_I64, "1.0"), LH_EDATA);
    assert_int_equal(VI(LH_I16, "-32769"), LH_EDATA);
    assert_string_equal(err.msg, "Cannot cast '-32769' to SMALLINT");
    assert_int_equal(VI(LH_I8, "127"), LH_OK);
    assert_int_equal(VI(LH_I8, "128"), LH_EDATA);
    assert_string_equal(err.msg, "Cannot cast '128' to TINYINT");
#undef VI
    /* a NULL error struct is allowed everywhere */
    assert_int_equal(lh_int_add(LH_I64, INT64_MAX, 1, &r, NULL), LH_EDATA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_can_coerce),
        cmocka_unit_test(test_common_super),
        cmocka_unit_test(test_operators),
        cmocka_unit_test(test_intmath),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
