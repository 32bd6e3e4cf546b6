/* tests/unit/test_sqltype.c — Trino type names, parameters and the Hive mapping.
 * Reference: Trino docs, language/types.md (names, defaults, ranges). */
#include "testutil.h"

#include "exec/sqltype.h"

static char g_nb[LH_SQLTYPE_NAME_MAX];

/* Parse then print; "ERR <code>: <msg>" on failure. */
static const char *rt(const char *text)
{
    static char out[1200];
    lh_sqltype t;
    lh_err err;
    lh_rc rc = lh_sqltype_parse(text, strlen(text), &t, &err);
    if (rc) {
        snprintf(out, sizeof out, "ERR %d: %s", (int)rc, err.msg);
        return out;
    }
    return lh_sqltype_name(t, g_nb, sizeof g_nb);
}

static const char *hive(const char *text)
{
    static char out[1200];
    lh_sqltype t;
    lh_err err;
    lh_rc rc = lh_sqltype_from_hive_name(text, strlen(text), &t, &err);
    if (rc) {
        snprintf(out, sizeof out, "ERR %d: %s", (int)rc, err.msg);
        return out;
    }
    return lh_sqltype_name(t, g_nb, sizeof g_nb);
}

/* types.md: every type's canonical spelling, as Trino prints it (typeof()). */
static void test_names(void **state)
{
    (void)state;
    assert_string_equal(rt("boolean"), "boolean");
    assert_string_equal(rt("TINYINT"), "tinyint");
    assert_string_equal(rt("smallint"), "smallint");
    assert_string_equal(rt("integer"), "integer");
    assert_string_equal(rt("int"), "integer");
    assert_string_equal(rt("bigint"), "bigint");
    assert_string_equal(rt("real"), "real");
    assert_string_equal(rt("double"), "double");
    assert_string_equal(rt("double precision"), "double");
    assert_string_equal(rt("DOUBLE   PRECISION"), "double");
    assert_string_equal(rt("decimal(10,2)"), "decimal(10,2)");
    assert_string_equal(rt("DECIMAL( 10 , 2 )"), "decimal(10,2)");
    assert_string_equal(rt("decimal"), "decimal(38,0)"); /* types.md: DECIMAL default is (38,0) */
    assert_string_equal(rt("decimal(5)"), "decimal(5,0)");
    assert_string_equal(rt("varchar"), "varchar");
    assert_string_equal(rt("varchar(5)"), "varchar(5)");
    assert_string_equal(rt("varchar(0)"), "varchar(0)");
    assert_string_equal(rt("char"), "char(1)");
    assert_string_equal(rt("char(3)"), "char(3)");
    assert_string_equal(rt("varbinary"), "varbinary");
    assert_string_equal(rt("date"), "date");
    assert_string_equal(rt("time"), "time(3)");
    assert_string_equal(rt("time(6)"), "time(6)");
    assert_string_equal(rt("timestamp"), "timestamp(3)");
    assert_string_equal(rt("timestamp(0)"), "timestamp(0)");
    assert_string_equal(rt("timestamp(6)"), "timestamp(6)");
    assert_string_equal(rt("timestamp without time zone"), "timestamp(3)");
    assert_string_equal(rt("timestamp with time zone"), "timestamp(3) with time zone");
    assert_string_equal(rt("timestamp(6) WITH TIME ZONE"), "timestamp(6) with time zone");
    assert_string_equal(rt("interval day to second"), "interval day to second");
    assert_string_equal(rt("INTERVAL YEAR TO MONTH"), "interval year to month");
    assert_string_equal(rt("unknown"), "unknown");
}

/* types.md: decimal precision 1..38, scale 0..p; timestamp precision 0..12. */
static void test_ranges(void **state)
{
    (void)state;
    assert_string_equal(rt("decimal(38,38)"), "decimal(38,38)");
    assert_string_equal(rt("decimal(1,0)"), "decimal(1,0)");
    assert_string_equal(rt("decimal(39,0)"), "ERR 6: DECIMAL precision must be in range [1, 38]: 39");
    assert_string_equal(rt("decimal(0,0)"), "ERR 6: DECIMAL precision must be in range [1, 38]: 0");
    assert_string_equal(rt("decimal(5,6)"), "ERR 6: DECIMAL scale must be in range [0, precision (5)]: 6");
    assert_string_equal(rt("timestamp(13)"), "ERR 6: TIMESTAMP precision must be in range [0, 12]: 13");
    /* p 7..12 are valid in Trino but we store micros: refused, not truncated */
    assert_true(strncmp(rt("timestamp(9)"), "ERR 9: timestamp(9): lakehouse stores", 37) == 0);
    assert_true(strncmp(rt("timestamp(7) with time zone"), "ERR 9:", 6) == 0);
    assert_string_equal(rt("char(0)"), "ERR 6: CHAR length must be in range [1, 65536]: 0");
    assert_string_equal(rt("char(65537)"), "ERR 6: CHAR length must be in range [1, 65536]: 65537");
}

static void test_errors(void **state)
{
    (void)state;
    assert_string_equal(rt("strin"), "ERR 4: Unknown type: strin");
    assert_string_equal(rt("float"), "ERR 4: Unknown type: float"); /* Hive spelling, not Trino's */
    assert_string_equal(rt("decimal(10,"), "ERR 4: Unknown type: decimal(10,");
    assert_string_equal(rt("varchar(5) x"), "ERR 4: Unknown type: varchar(5) x");
    assert_string_equal(rt("interval day"), "ERR 4: Unknown type: interval day");
    assert_true(strncmp(rt("array(integer)"), "ERR 9: type array(integer) is not supported", 42) == 0);
    assert_true(strncmp(rt("time with time zone"), "ERR 9:", 6) == 0);
    assert_string_equal(rt(""), "ERR 4: Unknown type: ");
}

/* The catalog's Hive names map onto Athena's (Trino's) types. */
static void test_hive(void **state)
{
    (void)state;
    assert_string_equal(hive("string"), "varchar");
    assert_string_equal(hive("int"), "integer");
    assert_string_equal(hive("integer"), "integer");
    assert_string_equal(hive("bigint"), "bigint");
    assert_string_equal(hive("double"), "double");
    assert_string_equal(hive("float"), "real");
    assert_string_equal(hive("boolean"), "boolean");
    assert_string_equal(hive("decimal(12,4)"), "decimal(12,4)");
    assert_string_equal(hive("date"), "date");
    assert_string_equal(hive("timestamp"), "timestamp(3)");
    assert_string_equal(hive("binary"), "varbinary");
    assert_string_equal(hive("varchar(64)"), "varchar(64)");
    assert_string_equal(hive("char(2)"), "char(2)");
    assert_string_equal(hive("tinyint"), "tinyint");
    assert_string_equal(hive("smallint"), "smallint");
    assert_true(strstr(hive("array<string>"), "ERR 9:") == hive("array<string>"));
    assert_non_null(strstr(hive("map<string,int>"), "map<string,int>"));
    assert_non_null(strstr(hive("struct<a:int>"), "struct<a:int>"));
}

static void test_predicates(void **state)
{
    char b[LH_SQLTYPE_NAME_MAX];
    lh_err err;
    (void)state;
    assert_true(lh_sqltype_is_integer(lh_sqltype_of(LH_SQL_TINYINT)));
    assert_false(lh_sqltype_is_integer(lh_sqltype_decimal(3, 0)));
    assert_true(lh_sqltype_is_exact(lh_sqltype_decimal(3, 0)));
    assert_true(lh_sqltype_is_numeric(lh_sqltype_of(LH_SQL_REAL)));
    assert_false(lh_sqltype_is_numeric(lh_sqltype_of(LH_SQL_BOOLEAN)));
    assert_true(lh_sqltype_is_string(lh_sqltype_char(2)));
    assert_true(lh_sqltype_is_datetime(lh_sqltype_timestamp_tz(3)));
    assert_true(lh_sqltype_is_interval(lh_sqltype_of(LH_SQL_INTERVAL_YM)));
    assert_int_equal(lh_sqltype_int_bits(lh_sqltype_of(LH_SQL_INTEGER)), 32);
    assert_int_equal(lh_sqltype_int_bits(lh_sqltype_of(LH_SQL_DOUBLE)), 0);
    assert_true(lh_sqltype_equal(lh_sqltype_of(LH_SQL_TIMESTAMP), lh_sqltype_timestamp(3)));
    assert_false(lh_sqltype_equal(lh_sqltype_varchar(3), lh_sqltype_varchar(LH_SQL_UNBOUNDED)));
    assert_string_equal(lh_sqltype_cast_name(lh_sqltype_decimal(10, 2), b, sizeof b), "DECIMAL(10, 2)");
    assert_string_equal(lh_sqltype_cast_name(lh_sqltype_varchar(5), b, sizeof b), "VARCHAR");
    assert_string_equal(lh_sqltype_cast_name(lh_sqltype_of(LH_SQL_BIGINT), b, sizeof b), "BIGINT");
    assert_int_equal(lh_sqltype_check(lh_sqltype_decimal(40, 0), &err), LH_EINVAL);
    assert_int_equal(lh_sqltype_check(lh_sqltype_timestamp(6), &err), LH_OK);
    assert_int_equal(sizeof(lh_sqltype), 8);
    /* a short buffer truncates, never overflows */
    assert_string_equal(lh_sqltype_name(lh_sqltype_timestamp_tz(3), b, 10), "timestamp");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),  cmocka_unit_test(test_ranges),     cmocka_unit_test(test_errors),
        cmocka_unit_test(test_hive),   cmocka_unit_test(test_predicates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
