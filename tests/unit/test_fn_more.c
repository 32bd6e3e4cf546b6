/* Unit tests: functions/fn_math2.c, fn_string2.c, fn_datetime3.c and
 * regexp_position (fn_regex.c) — values from Trino's docs and edge cases,
 * NULLs, FLAT arguments under a selection and CONST arguments, errors with
 * their texts, an allocation-failure walk over the functions with state;
 * through lh_scalar_find and the expression evaluator, as a query calls
 * them.  Results are compared as text (the formatting Trino prints). */
#include "testutil.h"

#include <math.h>

#include "exec/datetime.h"
#include "exec/decimal.h"
#include "exec/expr.h"
#include "functions/scalar.h"
#include "plan/functions.h"

typedef struct val {
    lh_sqltype t;
    int null;
    int64_t i;
    double d;
    const char *s;
    size_t n;
    lh_tstz z;
} val;

static lh_sqltype T(lh_sqltype_id id) { return lh_sqltype_of(id); }
#define VC lh_sqltype_varchar(LH_SQL_UNBOUNDED)
#define VS(x) ((val){VC, 0, 0, 0, (x), sizeof(x) - 1, {0, 0}})
#define VB(x) ((val){T(LH_SQL_VARBINARY), 0, 0, 0, (x), sizeof(x) - 1, {0, 0}})
#define VI(x) ((val){T(LH_SQL_BIGINT), 0, (x), 0, NULL, 0, {0, 0}})
#define VN(x) ((val){T(LH_SQL_INTEGER), 0, (x), 0, NULL, 0, {0, 0}})
#define VD(x) ((val){T(LH_SQL_DOUBLE), 0, 0, (x), NULL, 0, {0, 0}})
#define VR(x) ((val){T(LH_SQL_REAL), 0, 0, (x), NULL, 0, {0, 0}})
#define VDATE(x) ((val){T(LH_SQL_DATE), 0, (x), 0, NULL, 0, {0, 0}})
#define VTS(us, p) ((val){lh_sqltype_timestamp(p), 0, (us), 0, NULL, 0, {0, 0}})
#define VTZ(us, zone, p) ((val){lh_sqltype_timestamp_tz(p), 0, 0, 0, NULL, 0, {(us), (zone)}})
#define VIDS(us) ((val){T(LH_SQL_INTERVAL_DS), 0, (us), 0, NULL, 0, {0, 0}})
#define VDEC(v, p, s) ((val){lh_sqltype_decimal(p, s), 0, (v), 0, NULL, 0, {0, 0}})
#define VNULL(ty) ((val){(ty), 1, 0, 0, NULL, 0, {0, 0}})

static void put(lh_vector *v, uint32_t row, const val *a)
{
    lh_err e;
    if (a->null) {
        lh_vector_set_null(v, row);
        return;
    }
    switch (a->t.id) {
    case LH_SQL_VARCHAR:
    case LH_SQL_VARBINARY:
        assert_int_equal(lh_vector_set_str(v, row, a->s, a->n, NULL, &e), LH_OK);
        break;
    case LH_SQL_DOUBLE:
    case LH_SQL_REAL:
        lh_vector_set_f64(v, row, a->d);
        break;
    case LH_SQL_TIMESTAMP_TZ:
        lh_vector_set_tstz(v, row, a->z);
        break;
    case LH_SQL_DECIMAL:
        lh_vector_set_i128(v, row, (lh_i128)a->i);
        break;
    default:
        lh_vector_set_i64(v, row, a->i);
        break;
    }
}

static void show(const lh_vector *v, uint32_t row, char *o, size_t cap)
{
    lh_sqltype t = v->type;
    if (!lh_vector_get_valid(v, row)) {
        snprintf(o, cap, "NULL");
        return;
    }
    switch (t.id) {
    case LH_SQL_VARCHAR:
    case LH_SQL_VARBINARY: {
        lh_str s = lh_vector_get_str(v, row);
        snprintf(o, cap, "%.*s", (int)lh_str_len(&s), lh_str_ptr(&s));
        break;
    }
    case LH_SQL_BOOLEAN:
        snprintf(o, cap, "%s", ((const uint8_t *)v->data)[v->kind == LH_VEC_CONST ? 0 : row] ? "true" : "false");
        break;
    case LH_SQL_DOUBLE: { /* Java's Double.toString for the values tested here */
        double d = lh_vector_get_f64(v, row);
        int p;
        if (isnan(d)) {
            snprintf(o, cap, "NaN");
            break;
        }
        if (isinf(d)) {
            snprintf(o, cap, "%sInfinity", d < 0 ? "-" : "");
            break;
        }
        if (d == floor(d) && fabs(d) < 1e15) {
            snprintf(o, cap, "%.1f", d);
            break;
        }
        for (p = 1; p < 17; p++) {
            snprintf(o, cap, "%.*g", p, d);
            if (strtod(o, NULL) == d)
                break;
        }
        snprintf(o, cap, "%.*g", p, d);
        if (!strpbrk(o, ".e"))
            strncat(o, ".0", cap - strlen(o) - 1);
        break;
    }
    case LH_SQL_REAL: { /* shortest digits that read back as the float */
        float f = (float)lh_vector_get_f64(v, row);
        for (int p = 1; p <= 9; p++) {
            snprintf(o, cap, "%.*g", p, (double)f);
            if ((float)strtod(o, NULL) == f)
                break;
        }
        break;
    }
    case LH_SQL_DATE:
        o[lh_date_format((int32_t)lh_vector_get_i64(v, row), o, cap)] = 0;
        break;
    case LH_SQL_TIMESTAMP_TZ:
        o[lh_tstz_format(lh_vector_get_tstz(v, row), t.p, o, cap)] = 0;
        break;
    case LH_SQL_INTERVAL_DS:
        o[lh_interval_ds_format(lh_vector_get_i64(v, row), o, cap)] = 0;
        break;
    case LH_SQL_DECIMAL:
        o[lh_dec_format(lh_vector_get_i128(v, row), t.s, o)] = 0;
        break;
    default:
        snprintf(o, cap, "%lld", (long long)lh_vector_get_i64(v, row));
        break;
    }
}

static const lh_xenv ENV = {0, 0};

/* name(args) -> text, with the arguments as columns (row 1 of 3, rows 0
 * and 2 NULL and not selected) or as constants */
static void run1(const char *name, lh_sqltype ret, const val *a, size_t n, int as_const, char *o, size_t cap)
{
    lh_sqltype ts[16];
    lh_xexpr *args[16], *x;
    const lh_scalar_impl *impl;
    lh_batch *b = NULL;
    lh_vector *out;
    lh_err e;
    lh_rc rc;
    size_t k;
    uint32_t row = as_const ? 0 : 1;
    assert_true(n <= 16);
    for (k = 0; k < n; k++)
        ts[k] = a[k].t;
    impl = lh_scalar_find(name, ts, n, ret);
    if (!impl)
        fail_msg("%s: no implementation for these %zu arguments", name, n);
    if (as_const) {
        lh_sqltype one = T(LH_SQL_BIGINT);
        assert_int_equal(lh_batch_create(&one, 1, 0, &b, &e), LH_OK);
        b->n = 1;
        for (k = 0; k < n; k++) {
            lh_vector *v = NULL;
            assert_int_equal(lh_vector_create(ts[k], 0, &v, &e), LH_OK);
            put(v, 0, &a[k]);
            args[k] = a[k].null ? lh_x_null(ts[k], &e) : lh_x_const(v, &e);
            assert_non_null(args[k]);
            lh_vector_free(v);
        }
    } else {
        assert_int_equal(lh_batch_create(ts, (uint32_t)(n ? n : 1), 0, &b, &e), LH_OK);
        b->n = 3;
        b->sel = b->sel_buf;
        b->sel[0] = 1;
        b->sel_n = 1;
        for (k = 0; k < n; k++) {
            lh_vector_set_null(b->cols[k], 0);
            put(b->cols[k], 1, &a[k]);
            lh_vector_set_null(b->cols[k], 2);
            args[k] = lh_x_col((uint32_t)k, ts[k], &e);
        }
    }
    x = lh_x_call(impl, args, n, ret, &e);
    assert_non_null(x);
    rc = lh_xexpr_prepare(x, as_const ? (lh_sqltype[]){T(LH_SQL_BIGINT)} : ts, as_const ? 1 : (uint32_t)(n ? n : 1),
                          &ENV, &e);
    if (!rc)
        rc = lh_xexpr_eval(x, b, &out, &e);
    if (rc)
        snprintf(o, cap, "ERR:%.400s", e.msg);
    else
        show(out, row, o, cap);
    lh_xexpr_free(x);
    lh_batch_free(b);
}

static void check(const char *file, int line, const char *exp, const char *name, lh_sqltype ret, const val *a,
                  size_t n)
{
    char f[512], c[512];
    run1(name, ret, a, n, 0, f, sizeof f);
    run1(name, ret, a, n, 1, c, sizeof c);
    if (strcmp(f, exp))
        fail_msg("%s:%d: %s: got '%s', expected '%s'", file, line, name, f, exp);
    if (strcmp(c, exp))
        fail_msg("%s:%d: %s (constant arguments): got '%s', expected '%s'", file, line, name, c, exp);
}

#define ARGS(...) ((val[]){__VA_ARGS__}), (sizeof((val[]){__VA_ARGS__}) / sizeof(val))
#define CHK(exp, fn, ret, ...) check(__FILE__, __LINE__, exp, fn, ret, ARGS(__VA_ARGS__))
#define CHK0(exp, fn, ret) check(__FILE__, __LINE__, exp, fn, ret, NULL, 0)

#define DB T(LH_SQL_DOUBLE)
#define BI T(LH_SQL_BIGINT)
#define IN T(LH_SQL_INTEGER)
#define BO T(LH_SQL_BOOLEAN)
#define DT T(LH_SQL_DATE)
#define IDS T(LH_SQL_INTERVAL_DS)
#define TZ3 lh_sqltype_timestamp_tz(3)

/* ---- math ---- */

static void test_trig(void **state)
{
    (void)state;
    CHK("0.0", "sin", DB, VD(0));
    CHK("1.0", "cos", DB, VD(0));
    CHK("-1.0", "cos", DB, VD(3.141592653589793));
    CHK("0.0", "tan", DB, VD(0));
    CHK("1.5707963267948966", "asin", DB, VD(1));
    CHK("NaN", "asin", DB, VD(2));
    CHK("3.141592653589793", "acos", DB, VD(-1));
    CHK("0.7853981633974483", "atan", DB, VD(1));
    CHK("0.7853981633974483", "atan2", DB, VD(1), VD(1));
    CHK("3.141592653589793", "atan2", DB, VD(0), VD(-1));
    CHK("1.1752011936438014", "sinh", DB, VD(1));
    CHK("1.0", "cosh", DB, VD(0));
    CHK("0.7615941559557649", "tanh", DB, VD(1));
    CHK("180.0", "degrees", DB, VD(3.141592653589793));
    CHK("3.141592653589793", "radians", DB, VD(180));
    CHK("NULL", "sin", DB, VNULL(DB));
    CHK("NULL", "atan2", DB, VD(1), VNULL(DB));
    CHK("true", "is_finite", BO, VD(1));
    CHK("false", "is_finite", BO, VD(INFINITY));
    CHK("false", "is_finite", BO, VD(NAN));
    CHK("true", "is_infinite", BO, VD(-INFINITY));
    CHK("false", "is_infinite", BO, VD(NAN));
    CHK("NULL", "is_infinite", BO, VNULL(DB));
}

static void test_truncate(void **state)
{
    (void)state;
    /* new BigDecimal(x).setScale(d, DOWN): the exact binary value is cut */
    CHK("1.1", "truncate", DB, VD(1.15), VN(1));
    CHK("-1.1", "truncate", DB, VD(-1.19), VN(1));
    CHK("3.14", "truncate", DB, VD(3.14159), VN(2));
    CHK("120.0", "truncate", DB, VD(123.456), VN(-1));
    CHK("0.0", "truncate", DB, VD(123.456), VN(-5));
    CHK("123.0", "truncate", DB, VD(123.456), VN(0));
    CHK("NaN", "truncate", DB, VD(NAN), VN(2));
    CHK("Infinity", "truncate", DB, VD(INFINITY), VN(2));
    CHK("NULL", "truncate", DB, VD(1.5), VNULL(IN));
    CHK("3.1", "truncate", T(LH_SQL_REAL), VR(3.15f), VN(1));
    /* decimal: same type */
    CHK("1.230", "truncate", lh_sqltype_decimal(5, 3), VDEC(1234, 5, 3), VN(2));
    CHK("-1.200", "truncate", lh_sqltype_decimal(5, 3), VDEC(-1234, 5, 3), VN(1));
    CHK("10.000", "truncate", lh_sqltype_decimal(5, 3), VDEC(12345, 5, 3), VN(-1));
    CHK("12.345", "truncate", lh_sqltype_decimal(5, 3), VDEC(12345, 5, 3), VN(5));
    CHK("0.000", "truncate", lh_sqltype_decimal(5, 3), VDEC(12345, 5, 3), VN(-50));
}

static void test_width_bucket(void **state)
{
    (void)state;
    CHK("3", "width_bucket", BI, VD(3.14), VD(0), VD(4), VI(3));
    CHK("0", "width_bucket", BI, VD(-1), VD(0), VD(4), VI(3));
    CHK("4", "width_bucket", BI, VD(4), VD(0), VD(4), VI(3));
    CHK("1", "width_bucket", BI, VD(0), VD(0), VD(4), VI(3));
    CHK("1", "width_bucket", BI, VD(3.14), VD(4), VD(0), VI(3)); /* reversed bounds */
    CHK("4", "width_bucket", BI, VD(-1), VD(4), VD(0), VI(3));
    CHK("NULL", "width_bucket", BI, VNULL(DB), VD(0), VD(4), VI(3));
    CHK("ERR:bucketCount must be greater than 0", "width_bucket", BI, VD(1), VD(0), VD(4), VI(0));
    CHK("ERR:operand must not be NaN", "width_bucket", BI, VD(NAN), VD(0), VD(4), VI(3));
    CHK("ERR:first bound must be finite", "width_bucket", BI, VD(1), VD(INFINITY), VD(4), VI(3));
    CHK("ERR:second bound must be finite", "width_bucket", BI, VD(1), VD(0), VD(NAN), VI(3));
    CHK("ERR:bounds cannot equal each other", "width_bucket", BI, VD(1), VD(2), VD(2), VI(3));
}

static void test_random2(void **state)
{
    (void)state;
    for (int k = 0; k < 20; k++) {
        char o[64];
        long v;
        run1("random", IN, ARGS(VN(5), VN(8)), k & 1, o, sizeof o);
        v = strtol(o, NULL, 10);
        assert_true(v >= 5 && v < 8);
    }
    CHK("-3", "rand", BI, VI(-3), VI(-2));
    CHK("NULL", "random", BI, VI(1), VNULL(BI));
    CHK("ERR:start value must be less than stop value", "random", BI, VI(5), VI(5));
    CHK("ERR:start value must be less than stop value", "rand", IN, VN(9), VN(5));
}

static void test_bases(void **state)
{
    (void)state;
    CHK("ff", "to_base", VC, VI(255), VI(16));
    CHK("-1010", "to_base", VC, VI(-10), VI(2));
    CHK("0", "to_base", VC, VI(0), VI(36));
    CHK("-9223372036854775808", "to_base", VC, VI(INT64_MIN), VI(10));
    CHK("ERR:Radix must be between 2 and 36", "to_base", VC, VI(1), VI(37));
    CHK("NULL", "to_base", VC, VNULL(BI), VI(2));
    CHK("255", "from_base", BI, VS("ff"), VI(16));
    CHK("255", "from_base", BI, VS("FF"), VI(16));
    CHK("-10", "from_base", BI, VS("-1010"), VI(2));
    CHK("9223372036854775807", "from_base", BI, VS("7fffffffffffffff"), VI(16));
    CHK("-9223372036854775808", "from_base", BI, VS("-8000000000000000"), VI(16));
    CHK("ERR:Not a valid base-16 number: 8000000000000000", "from_base", BI, VS("8000000000000000"), VI(16));
    CHK("ERR:Not a valid base-10 number: 12a", "from_base", BI, VS("12a"), VI(10));
    CHK("ERR:Not a valid base-10 number: ", "from_base", BI, VS(""), VI(10));
    CHK("ERR:Radix must be between 2 and 36", "from_base", BI, VS("1"), VI(1));
    CHK("NULL", "from_base", BI, VS("1"), VNULL(BI));
}

/* ---- strings ---- */

static void test_translate(void **state)
{
    (void)state;
    /* string.md's examples */
    CHK("abcd", "translate", VC, VS("abcd"), VS(""), VS(""));
    CHK("zbcd", "translate", VC, VS("abcd"), VS("a"), VS("z"));
    CHK("zbcdz", "translate", VC, VS("abcda"), VS("a"), VS("z"));
    CHK("Palhoca", "translate", VC, VS("Palho\xc3\xa7" "a"), VS("\xc3\xa7"), VS("c"));
    CHK("a\xf0\x9f\x98\x80" "cd", "translate", VC, VS("abcd"), VS("b"), VS("\xf0\x9f\x98\x80"));
    CHK("bcd", "translate", VC, VS("abcd"), VS("a"), VS(""));
    CHK("zbcd", "translate", VC, VS("abcd"), VS("a"), VS("zy"));
    CHK("zbd", "translate", VC, VS("abcd"), VS("ac"), VS("z"));
    CHK("zbd", "translate", VC, VS("abcd"), VS("aac"), VS("zq"));
    CHK("x long string, trxnslxted: xyz", "translate", VC, VS("a long string, translated: abc"), VS("abc"),
        VS("xyz"));
    CHK("NULL", "translate", VC, VS("abcd"), VNULL(VC), VS(""));
}

static void test_concat_ws(void **state)
{
    (void)state;
    CHK("a-b-c", "concat_ws", VC, VS("-"), VS("a"), VS("b"), VS("c"));
    CHK("a-b", "concat_ws", VC, VS("-"), VS("a"), VNULL(VC), VS("b"));
    CHK("NULL", "concat_ws", VC, VNULL(VC), VS("a"), VS("b"));
    CHK("", "concat_ws", VC, VS(","), VNULL(VC));
    CHK("abc", "concat_ws", VC, VS(""), VS("a"), VS("b"), VS("c"));
    CHK("first, second, third", "concat_ws", VC, VS(", "), VS("first"), VS("second"), VS("third"));
}

static void test_small_strings(void **state)
{
    (void)state;
    CHK("true", "ends_with", BO, VS("abc"), VS("bc"));
    CHK("false", "ends_with", BO, VS("abc"), VS("ab"));
    CHK("true", "ends_with", BO, VS("abc"), VS(""));
    CHK("false", "ends_with", BO, VS("c"), VS("abc"));
    CHK("NULL", "ends_with", BO, VNULL(VC), VS("abc"));
    CHK("2", "hamming_distance", BI, VS("abcde"), VS("abxdy"));
    CHK("0", "hamming_distance", BI, VS(""), VS(""));
    CHK("1", "hamming_distance", BI, VS("\xc3\xa7" "a"), VS("ca"));
    CHK("ERR:The input strings to hamming_distance function must have the same length", "hamming_distance", BI,
        VS("abc"), VS("ab"));
    CHK("NULL", "hamming_distance", BI, VS("abc"), VNULL(VC));
    CHK("true", "luhn_check", BO, VS("79927398713"));
    CHK("false", "luhn_check", BO, VS("79927398714"));
    CHK("true", "luhn_check", BO, VS("4242424242424242"));
    CHK("false", "luhn_check", BO, VS(""));
    CHK("false", "luhn_check", BO, VS("7992 7398 713"));
    CHK("NULL", "luhn_check", BO, VNULL(VC));
}

static void test_soundex(void **state)
{
    (void)state;
    CHK("C500", "soundex", VC, VS("CHINA"));
    CHK("C500", "soundex", VC, VS("CHYNA"));
    CHK("R163", "soundex", VC, VS("Robert"));
    CHK("R163", "soundex", VC, VS("Rupert"));
    CHK("A261", "soundex", VC, VS("Ashcraft")); /* H does not separate s and c */
    CHK("T522", "soundex", VC, VS("Tymczak"));
    CHK("P236", "soundex", VC, VS("Pfister"));
    CHK("J250", "soundex", VC, VS("jackson"));
    CHK("", "soundex", VC, VS("123 !"));
    CHK("NULL", "soundex", VC, VNULL(VC));
    CHK("ERR:The character is not mapped: \xc3\x87", "soundex", VC, VS("\xc3\x87" "a"));
}

static void test_title_case(void **state)
{
    (void)state;
    CHK("Hello World", "title_case", VC, VS("hello world"));
    CHK("Hello World", "title_case", VC, VS("HELLO WORLD"));
    CHK("O'Neil-Smith 3rd", "title_case", VC, VS("o'neil-SMITH 3RD"));
    CHK("\xc3\x89t\xc3\xa9 \xc3\x80 Paris", "title_case", VC, VS("\xc3\xa9T\xc3\x89 \xc3\xa0 paris"));
    CHK("", "title_case", VC, VS(""));
    CHK("NULL", "title_case", VC, VNULL(VC));
}

static void test_format_number(void **state)
{
    (void)state;
    CHK("123K", "format_number", VC, VI(123456));
    CHK("1M", "format_number", VC, VI(1000000));
    CHK("999", "format_number", VC, VI(999));
    CHK("1.23K", "format_number", VC, VI(1234));
    CHK("12.3K", "format_number", VC, VI(12345));
    CHK("1.01K", "format_number", VC, VI(1006));
    CHK("1K", "format_number", VC, VI(1005)); /* HALF_UP on the double 1.00499999999999989... */
    CHK("1.5K", "format_number", VC, VI(1500));
    CHK("9223Q", "format_number", VC, VI(INT64_MAX)); /* Q is the last unit */
    CHK("-1.23K", "format_number", VC, VI(-1234));
    CHK("-123.46K", "format_number", VC, VI(-123456)); /* negatives always keep two decimals */
    CHK("0", "format_number", VC, VI(0));
    CHK("1.23K", "format_number", VC, VD(1234.9)); /* the double is truncated to a long first */
    CHK("NULL", "format_number", VC, VNULL(BI));
}

static void test_from_utf8_replace(void **state)
{
    (void)state;
    CHK("a?b", "from_utf8", VC, VB("a\xff" "b"), VS("?"));
    CHK("ab", "from_utf8", VC, VB("a\xff" "b"), VS(""));
    CHK("a\xc3\xa7" "b", "from_utf8", VC, VB("a\xff" "b"), VS("\xc3\xa7"));
    CHK("a#b", "from_utf8", VC, VB("a\xff" "b"), VI(35));
    CHK("ERR:Replacement character string must empty or a single character", "from_utf8", VC, VB("a"), VS("ab"));
    CHK("ERR:Invalid replacement character", "from_utf8", VC, VB("a"), VI(0x110000));
    CHK("NULL", "from_utf8", VC, VB("a"), VNULL(VC));
}

/* ---- regexp_position ---- */

static void test_regexp_position(void **state)
{
    static const char S[] = "I have 23 apples, 5 pears and 13 oranges";
    (void)state;
    CHK("8", "regexp_position", IN, VS(S), VS("\\b\\d+\\b"));
    CHK("8", "regexp_position", IN, VS(S), VS("\\b\\d+\\b"), VN(5));
    CHK("19", "regexp_position", IN, VS(S), VS("\\b\\d+\\b"), VN(12));
    CHK("19", "regexp_position", IN, VS(S), VS("\\b\\d+\\b"), VN(12), VN(1));
    CHK("31", "regexp_position", IN, VS(S), VS("\\b\\d+\\b"), VN(12), VN(2));
    CHK("-1", "regexp_position", IN, VS(S), VS("\\b\\d+\\b"), VN(12), VN(3));
    CHK("-1", "regexp_position", IN, VS("abc"), VS("\\d"));
    CHK("-1", "regexp_position", IN, VS("abc"), VS("c"), VN(4));
    CHK("3", "regexp_position", IN, VS("\xc3\xa7\xc3\xa7x"), VS("x")); /* code points, not bytes */
    CHK("2", "regexp_position", IN, VS("\xc3\xa7\xc3\xa7x"), VS(""), VN(2));
    CHK("ERR:start position cannot be smaller than 1", "regexp_position", IN, VS("abc"), VS("a"), VN(0));
    CHK("ERR:occurrence cannot be smaller than 1", "regexp_position", IN, VS("abc"), VS("a"), VN(1), VN(0));
    CHK("NULL", "regexp_position", IN, VS("abc"), VNULL(VC));
    CHK("NULL", "regexp_position", IN, VS("abc"), VS("a"), VNULL(IN));
}

/* ---- date and time ---- */

#define US(s) ((int64_t)(s) * LH_US_PER_SEC)
#define D2020_05_11 18393

static lh_zone zone(const char *name)
{
    lh_zone z;
    lh_err e;
    assert_int_equal(lh_zone_lookup(name, strlen(name), &z, &e), LH_OK);
    return z;
}

static void test_iso8601(void **state)
{
    (void)state;
    CHK("2020-05-11 11:15:05.055 +01:00", "from_iso8601_timestamp", TZ3, VS("2020-05-11T11:15:05.055+01:00"));
    CHK("2020-05-11 11:15:05.055 UTC", "from_iso8601_timestamp", TZ3, VS("2020-05-11T11:15:05.055Z"));
    CHK("2020-05-11 00:00:00.000 UTC", "from_iso8601_timestamp", TZ3, VS("2020-05-11"));
    CHK("2020-05-11 11:15:05.000 UTC", "from_iso8601_timestamp", TZ3, VS("2020-05-11T11:15:05"));
    CHK("2020-05-11 11:15:00.000 -05:30", "from_iso8601_timestamp", TZ3, VS("2020-05-11T11:15-0530"));
    CHK("2020-05-11 11:00:00.000 +02:00", "from_iso8601_timestamp", TZ3, VS("2020-05-11T11+02"));
    CHK("2020-05-11 11:15:05.123 UTC", "from_iso8601_timestamp", TZ3, VS("2020-05-11T11:15:05.123456789"));
    CHK("2020-01-01 00:00:00.000 UTC", "from_iso8601_timestamp", TZ3, VS("2020"));
    CHK("2020-03-02 00:00:00.000 UTC", "from_iso8601_timestamp", TZ3, VS("2020-W10"));
    CHK("ERR:Invalid format: \"2020-05-11 11:15\" is malformed at \" 11:15\"", "from_iso8601_timestamp", TZ3,
        VS("2020-05-11 11:15"));
    CHK("ERR:Invalid format: \"2020-05-\" is too short", "from_iso8601_timestamp", TZ3, VS("2020-05-"));
    CHK("ERR:Invalid format: \"\" is too short", "from_iso8601_timestamp", TZ3, VS(""));
    CHK("ERR:Cannot parse \"2020-13-01\": Value 13 for monthOfYear must be in the range [1,12]",
        "from_iso8601_timestamp", TZ3, VS("2020-13-01"));
    CHK("ERR:Cannot parse \"2021-02-29\": Value 29 for dayOfMonth must be in the range [1,28]", "from_iso8601_date",
        DT, VS("2021-02-29"));
    CHK("ERR:Cannot parse \"2020-05-11T24:00\": Value 24 for hourOfDay must be in the range [0,23]",
        "from_iso8601_timestamp", TZ3, VS("2020-05-11T24:00"));
    CHK("NULL", "from_iso8601_timestamp", TZ3, VNULL(VC));
    CHK("2020-05-11", "from_iso8601_date", DT, VS("2020-05-11"));
    CHK("2020-03-02", "from_iso8601_date", DT, VS("2020-W10"));
    CHK("2020-03-04", "from_iso8601_date", DT, VS("2020-W10-3"));
    CHK("2020-05-02", "from_iso8601_date", DT, VS("2020-123"));
    CHK("2020-05-01", "from_iso8601_date", DT, VS("2020-05"));
    CHK("2019-12-30", "from_iso8601_date", DT, VS("2020-W01-1")); /* week 1 starts in the previous year */
    CHK("ERR:Cannot parse \"2021-W53\": Value 53 for weekOfWeekyear must be in the range [1,52]",
        "from_iso8601_date", DT, VS("2021-W53"));
    CHK("ERR:Invalid format: \"2020-05-11T10:00\" is malformed at \"T10:00\"", "from_iso8601_date", DT,
        VS("2020-05-11T10:00"));
    CHK("NULL", "from_iso8601_date", DT, VNULL(VC));

    CHK("2020-05-11", "to_iso8601", VC, VDATE(D2020_05_11));
    CHK("2020-05-11T11:15:05.055", "to_iso8601", VC, VTS(D2020_05_11 * LH_US_PER_DAY + US(40505) + 55000, 3));
    CHK("2020-05-11T11:15:05", "to_iso8601", VC, VTS(D2020_05_11 * LH_US_PER_DAY + US(40505), 0));
    CHK("2020-05-11T11:15:05.055+01:00", "to_iso8601", VC,
        VTZ(D2020_05_11 * LH_US_PER_DAY + US(40505 - 3600) + 55000, LH_ZONE_FIXED(60), 3));
    CHK("2020-05-11T11:15:05.055Z", "to_iso8601", VC, VTZ(D2020_05_11 * LH_US_PER_DAY + US(40505) + 55000, 0, 3));
    CHK("NULL", "to_iso8601", VC, VNULL(DT));
}

static void test_zones(void **state)
{
    lh_zone la = zone("America/Los_Angeles"), tokyo = zone("Asia/Tokyo");
    /* 2022-11-01 09:08:07.321 */
    int64_t local = (int64_t)19297 * LH_US_PER_DAY + US(9 * 3600 + 8 * 60 + 7) + 321000;
    (void)state;
    CHK("2022-11-01 09:08:07.321 America/Los_Angeles", "with_timezone", TZ3, VTS(local, 3),
        VS("America/Los_Angeles"));
    CHK("ERR:Time zone not supported: Mars/Olympus", "with_timezone", TZ3, VTS(local, 3), VS("Mars/Olympus"));
    CHK("NULL", "with_timezone", TZ3, VTS(local, 3), VNULL(VC));
    CHK("2022-11-01 02:08:07.321 America/Los_Angeles", "at_timezone", TZ3, VTZ(local, 0, 3),
        VS("America/Los_Angeles"));
    CHK("Asia/Tokyo", "timezone", VC, VTZ(0, tokyo, 3));
    CHK("+01:00", "timezone", VC, VTZ(0, LH_ZONE_FIXED(60), 3));
    CHK("UTC", "timezone", VC, VTZ(0, 0, 3));
    CHK("NULL", "timezone", VC, VNULL(TZ3));
    CHK("-8", "timezone_hour", BI, VTZ(0, LH_ZONE_FIXED(-510), 3));
    CHK("-30", "timezone_minute", BI, VTZ(0, LH_ZONE_FIXED(-510), 3));
    CHK("-7", "timezone_hour", BI, VTZ(local, la, 3));
    CHK("2025", "yow", BI, VDATE(20087)); /* 2024-12-30 is in week 1 of 2025 */
}

static void test_dates_misc(void **state)
{
    (void)state;
    CHK("2024-02-29", "last_day_of_month", DT, VDATE(19763)); /* 2024-02-10 */
    CHK("2023-02-28", "last_day_of_month", DT, VDATE(19398)); /* 2023-02-10 */
    CHK("2023-12-31", "last_day_of_month", DT, VTS((int64_t)19696 * LH_US_PER_DAY + US(36000), 0));
    CHK("1969-12-31", "last_day_of_month", DT, VTS(-1, 6));
    CHK("NULL", "last_day_of_month", DT, VNULL(DT));
    CHK("86400000", "to_milliseconds", BI, VIDS(LH_US_PER_DAY));
    CHK("183845123", "to_milliseconds", BI, VIDS(US(183845) + 123000));
    CHK("-1500", "to_milliseconds", BI, VIDS(-US(1) - 500000));
    CHK("NULL", "to_milliseconds", BI, VNULL(IDS));
}

static void test_human_seconds(void **state)
{
    (void)state;
    CHK("1 minute, 36 seconds", "human_readable_seconds", VC, VD(96));
    CHK("1 hour, 2 minutes, 42 seconds", "human_readable_seconds", VC, VD(3762));
    CHK("93 weeks, 1 day, 8 hours, 31 minutes, 3 seconds", "human_readable_seconds", VC, VD(56363463));
    CHK("0 seconds", "human_readable_seconds", VC, VD(0));
    CHK("1 second", "human_readable_seconds", VC, VD(0.5));
    CHK("1 minute, 1 second", "human_readable_seconds", VC, VD(-61));
    CHK("ERR:Invalid argument found: NaN", "human_readable_seconds", VC, VD(NAN));
    CHK("NULL", "human_readable_seconds", VC, VNULL(DB));
}

static void test_parse_duration_size(void **state)
{
    (void)state;
    CHK("0 00:00:00.043", "parse_duration", IDS, VS("42.8ms"));
    CHK("3 19:26:24.000", "parse_duration", IDS, VS("3.81 d"));
    CHK("0 00:05:00.000", "parse_duration", IDS, VS("5m"));
    CHK("0 00:00:01.500", "parse_duration", IDS, VS(" 1.5s "));
    CHK("0 00:00:00.000", "parse_duration", IDS, VS("100us"));
    CHK("ERR:duration is not a valid data duration string: 5", "parse_duration", IDS, VS("5"));
    CHK("ERR:Unknown time unit: years", "parse_duration", IDS, VS("5 years"));
    CHK("NULL", "parse_duration", IDS, VNULL(VC));
    lh_sqltype d38 = lh_sqltype_decimal(38, 0);
    CHK("1", "parse_data_size", d38, VS("1B"));
    CHK("1024", "parse_data_size", d38, VS("1kB"));
    CHK("1048576", "parse_data_size", d38, VS("1MB"));
    CHK("2411724", "parse_data_size", d38, VS("2.3MB"));
    CHK("1208925819614629174706176", "parse_data_size", d38, VS("1YB"));
    CHK("ERR:Invalid data size: '1kb'", "parse_data_size", d38, VS("1kb"));
    CHK("ERR:Invalid data size: 'MB'", "parse_data_size", d38, VS("MB"));
    CHK("NULL", "parse_data_size", d38, VNULL(VC));
}

/* a function with init state: every failed allocation of prepare fails
 * cleanly with LH_ENOMEM, and the walk reaches a success */
static void test_alloc_faults(void **state)
{
    lh_sqltype ts[2] = {lh_sqltype_timestamp(3), VC};
    const lh_scalar_impl *impl = lh_scalar_find("with_timezone", ts, 2, TZ3);
    int ok = 0;
    (void)state;
    assert_non_null(impl);
    for (long n = 1; n < 200 && !ok; n++) {
        lh_err e;
        lh_batch *b = NULL;
        lh_vector *zc = NULL, *out;
        lh_xexpr *args[2], *x;
        lh_rc rc;
        assert_int_equal(lh_batch_create(ts, 2, 0, &b, &e), LH_OK);
        b->n = 1;
        lh_vector_set_i64(b->cols[0], 0, 0);
        assert_int_equal(lh_vector_create(VC, 0, &zc, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(zc, 0, "UTC", 3, NULL, &e), LH_OK);
        args[0] = lh_x_col(0, ts[0], &e);
        args[1] = lh_x_const(zc, &e);
        x = lh_x_call(impl, args, 2, TZ3, &e);
        assert_non_null(x);
        lh_fault_alloc_set(n);
        rc = lh_xexpr_prepare(x, ts, 2, &ENV, &e);
        if (!rc)
            rc = lh_xexpr_eval(x, b, &out, &e);
        lh_fault_alloc_set(0);
        if (rc) {
            assert_int_equal(rc, LH_ENOMEM);
        } else {
            char o[128];
            show(out, 0, o, sizeof o);
            assert_string_equal(o, "1970-01-01 00:00:00.000 UTC");
            ok = 1;
        }
        lh_xexpr_free(x);
        lh_vector_free(zc);
        lh_batch_free(b);
    }
    assert_true(ok);
}

/* ---- Joda patterns ---- */

static void test_joda(void **state)
{
    /* 2001-08-22 03:04:05.321 UTC and 15:04:05.321 */
    int64_t t1 = (int64_t)11556 * LH_US_PER_DAY + US(3 * 3600 + 4 * 60 + 5) + 321000;
    int64_t t2 = t1 + US(12 * 3600);
    lh_zone ny = zone("America/New_York");
    (void)state;
    CHK("2001-08-22 03:04:05.321", "format_datetime", VC, VTZ(t1, 0, 3), VS("yyyy-MM-dd HH:mm:ss.SSS"));
    CHK("Wednesday Aug 03 PM 234", "format_datetime", VC, VTZ(t2, 0, 3), VS("EEEE MMM hh a D"));
    CHK("Wed August 22, 01 AD", "format_datetime", VC, VTZ(t1, 0, 3), VS("EEE MMMM d, yy G"));
    CHK("2001-08-21T23:04:05-0400 -04:00 America/New_York", "format_datetime", VC, VTZ(t1, ny, 3),
        VS("yyyy-MM-dd'T'HH:mm:ssZ ZZ ZZZ"));
    CHK("it's 3 o'clock", "format_datetime", VC, VTZ(t1, 0, 3), VS("'it''s' H 'o''clock'"));
    CHK("2001-W34-3 k=3 K=3 h=3 S=32 SSSSSS=321000", "format_datetime", VC, VTZ(t1, 0, 3),
        VS("xxxx-'W'ww-e 'k='k 'K='K 'h='h 'S='SS 'SSSSSS='SSSSSS"));
    CHK("ERR:Illegal pattern component: q", "format_datetime", VC, VTZ(t1, 0, 3), VS("yyyy q"));
    CHK("NULL", "format_datetime", VC, VTZ(t1, 0, 3), VNULL(VC));
    CHK("2001-08-22 03:04:00.000 UTC", "parse_datetime", TZ3, VS("2001-08-22 03:04"), VS("yyyy-MM-dd HH:mm"));
    CHK("2001-08-22 15:04:05.321 UTC", "parse_datetime", TZ3, VS("Wed aug 22 2001 03:04:05.321 pm"),
        VS("EEE MMM dd yyyy hh:mm:ss.SSS a"));
    CHK("2001-08-22 03:04:00.000 -04:00", "parse_datetime", TZ3, VS("20010822 0304 -0400"),
        VS("yyyyMMdd HHmm Z"));
    CHK("2001-08-22 03:04:00.000 America/New_York", "parse_datetime", TZ3, VS("2001-08-22 03:04 America/New_York"),
        VS("yyyy-MM-dd HH:mm ZZZ"));
    CHK("1970-01-01 00:00:00.000 UTC", "parse_datetime", TZ3, VS(""), VS(""));
    CHK("2001-02-03 00:00:00.000 UTC", "parse_datetime", TZ3, VS("03/02/01"), VS("dd/MM/yy"));
    CHK("ERR:Invalid format: \"2001-08-22x\" is malformed at \"x\"", "parse_datetime", TZ3, VS("2001-08-22x"),
        VS("yyyy-MM-dd"));
    CHK("ERR:Invalid format: \"2001-08\" is too short", "parse_datetime", TZ3, VS("2001-08"), VS("yyyy-MM-dd"));
    CHK("ERR:Cannot parse \"2001-02-30\": Value 30 for dayOfMonth must be in the range [1,28]", "parse_datetime",
        TZ3, VS("2001-02-30"), VS("yyyy-MM-dd"));
    CHK("ERR:Cannot parse \"25:00\": Value 25 for hourOfDay must be in the range [0,23]", "parse_datetime", TZ3,
        VS("25:00"), VS("HH:mm"));
    CHK("NULL", "parse_datetime", TZ3, VNULL(VC), VS("yyyy"));
}

/* ---- format ---- */

static void test_format(void **state)
{
    int64_t d2006 = 13333; /* 2006-07-04, a Tuesday */
    (void)state;
    CHK("123%", "format", VC, VS("%s%%"), VI(123));
    CHK("3.14159", "format", VC, VS("%.5f"), VD(3.141592653589793));
    CHK("008", "format", VC, VS("%03d"), VI(8));
    CHK("1,234,567.89", "format", VC, VS("%,.2f"), VD(1234567.89));
    CHK("hello  ,  world", "format", VC, VS("%-7s,%7s"), VS("hello"), VS("world"));
    CHK("b c a", "format", VC, VS("%2$s %3$s %1$s"), VS("a"), VS("b"), VS("c"));
    CHK("Tuesday, July 4, 2006", "format", VC, VS("%1$tA, %1$tB %1$te, %1$tY"), VDATE(d2006));
    CHK("2006-07-04 Tue Jul 06 185", "format", VC, VS("%tF %<ta %<tb %<ty %<tj"), VDATE(d2006));
    CHK("0.2 1.0 1.500000e+03 100000 0.000100000", "format", VC, VS("%.1f %.1f %e %g %g"), VD(0.15), VD(0.96),
        VD(1500), VD(100000), VD(0.0001));
    CHK("1.5 1.0E7 0.001 -0.0 NaN", "format", VC, VS("%s %s %s %s %s"), VD(1.5), VD(1e7), VD(0.001), VD(-0.0),
        VD(NAN));
    CHK("1.25 1.3 12.50", "format", VC, VS("%s %.1f %.2f"), VDEC(125, 5, 2), VDEC(125, 5, 2), VDEC(1250, 5, 2));
    CHK("ff 0XFF 377 -1 +5 (5) -005 ffffffffffffffff", "format", VC, VS("%x %#X %o %d %+d %(d %04d %x"), VI(255),
        VI(255), VI(255), VI(-1), VI(5), VI(-5), VI(-5), VI(-1));
    CHK("false false true null HELLO he", "format", VC, VS("%b %b %b %s %S %.2s"), VNULL(BO), VNULL(BO), VI(1),
        VNULL(VC), VS("hello"), VS("hello"));
    CHK("2020-05-11T11:15:05.055 2020-05-11T11:15:05.055Z[UTC] 11:15", "format", VC, VS("%s %s %tR"),
        VTS(D2020_05_11 * LH_US_PER_DAY + US(40505) + 55000, 3),
        VTZ(D2020_05_11 * LH_US_PER_DAY + US(40505) + 55000, 0, 3),
        VTS(D2020_05_11 * LH_US_PER_DAY + US(40505) + 55000, 3));
    CHK("a\nb", "format", VC, VS("a%nb"), VI(1));
    CHK("ERR:Invalid format string: %q (UnknownFormatConversion: Conversion = 'q')", "format", VC, VS("%q"), VI(1));
    CHK("ERR:Invalid format string: %s %s (MissingFormatArgument: Format specifier '%s')", "format", VC,
        VS("%s %s"), VI(1));
    CHK("ERR:Invalid format string: %d (IllegalFormatConversion: d != java.lang.String)", "format", VC, VS("%d"),
        VS("x"));
    CHK("ERR:Invalid format string: %f (IllegalFormatConversion: f != java.lang.Long)", "format", VC, VS("%f"),
        VI(1));
    CHK("ERR:Invalid format string: %#s (FormatFlagsConversionMismatch: Conversion = s, Flags = #)", "format", VC,
        VS("%#s"), VI(1));
    CHK("NULL", "format", VC, VNULL(VC), VI(1));
}

/* ---- the registry's signatures all reach an implementation ---- */

static void resolves(const char *name, const lh_sqltype *a, size_t n)
{
    const lh_fn *f = lh_fn_lookup(name);
    lh_sqltype params[8], ret;
    lh_err e;
    if (!f)
        fail_msg("%s is not registered", name);
    if (lh_fn_resolve(f, a, n, params, &ret, &e))
        fail_msg("%s: %s", name, e.msg);
    if (!lh_scalar_find(name, params, n, ret))
        fail_msg("%s: resolved, but no implementation", name);
}
#define RES(name, ...) resolves(name, (lh_sqltype[]){__VA_ARGS__}, sizeof((lh_sqltype[]){__VA_ARGS__}) / sizeof(lh_sqltype))
#define RES0(name) resolves(name, NULL, 0)

static void test_registry(void **state)
{
    static const char *const D1[] = {"sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "degrees",
                                     "radians"};
    lh_sqltype ts3 = lh_sqltype_timestamp(3), dec = lh_sqltype_decimal(10, 2), ti = T(LH_SQL_TINYINT);
    lh_sqltype params[4], ret;
    lh_err e;
    (void)state;
    for (size_t k = 0; k < sizeof D1 / sizeof D1[0]; k++) {
        RES(D1[k], DB);
        RES(D1[k], IN); /* an integer coerces to double */
    }
    RES("atan2", DB, IN);
    RES("is_finite", DB);
    RES("is_infinite", IN);
    RES("truncate", DB, IN);
    RES("truncate", T(LH_SQL_REAL), IN);
    RES("truncate", dec, IN);
    RES("width_bucket", DB, IN, IN, IN);
    RES("random", ti, ti);
    RES("rand", BI, BI);
    RES("random", IN, IN);
    RES("to_base", IN, IN);
    RES("from_base", VC, IN);
    RES("translate", VC, VC, VC);
    RES("concat_ws", VC, VC);
    RES("concat_ws", VC, VC, VC, VC);
    RES("ends_with", VC, VC);
    RES("hamming_distance", VC, VC);
    RES("soundex", VC);
    RES("luhn_check", VC);
    RES("title_case", VC);
    RES("format_number", BI);
    RES("format_number", DB);
    RES("format_number", IN);
    RES("parse_data_size", VC);
    RES("from_utf8", T(LH_SQL_VARBINARY), VC);
    RES("from_utf8", T(LH_SQL_VARBINARY), IN);
    RES("regexp_position", VC, VC);
    RES("regexp_position", VC, VC, IN);
    RES("regexp_position", VC, VC, IN, IN);
    RES("from_unixtime", DB, VC);
    RES("from_unixtime", IN, IN, IN);
    RES("from_iso8601_timestamp", VC);
    RES("from_iso8601_date", VC);
    RES("to_iso8601", DT);
    RES("to_iso8601", ts3);
    RES("to_iso8601", TZ3);
    RES("with_timezone", ts3, VC);
    RES("at_timezone", TZ3, VC);
    RES("at_timezone", ts3, VC);
    RES("timezone", TZ3);
    RES("timezone_hour", TZ3);
    RES("timezone_minute", TZ3);
    RES("last_day_of_month", DT);
    RES("last_day_of_month", ts3);
    RES("last_day_of_month", TZ3);
    RES("yow", DT);
    RES("to_milliseconds", IDS);
    RES("human_readable_seconds", IN);
    RES("parse_duration", VC);
    RES("format_datetime", TZ3, VC);
    RES("format_datetime", ts3, VC);
    RES("parse_datetime", VC, VC);
    RES("format", VC, IN);
    RES("to_base64", T(LH_SQL_VARBINARY));
    RES("from_base64", VC);
    RES("from_base64url", T(LH_SQL_VARBINARY));
    RES("sha512", T(LH_SQL_VARBINARY));
    RES("crc32", T(LH_SQL_VARBINARY));
    RES("xxhash64", T(LH_SQL_VARBINARY));
    RES("bitwise_xor", IN, IN);
    RES("bitwise_left_shift", IN, IN);
    RES("bitwise_right_shift_arithmetic", ti, IN);
    RES("bit_count", IN, IN);
    RES("normal_cdf", IN, IN, DB);
    RES("sign", dec);
    RES("hmac_sha1", T(LH_SQL_VARBINARY), T(LH_SQL_VARBINARY));
    RES("to_big_endian_64", IN);
    RES("to_big_endian_32", IN);
    RES("from_big_endian_32", T(LH_SQL_VARBINARY));
    RES("to_ieee754_32", T(LH_SQL_REAL));
    RES("to_ieee754_64", IN);
    RES("from_ieee754_32", T(LH_SQL_VARBINARY));
    RES("wilson_interval_lower", IN, IN, IN);
    RES("url_extract_host", VC);
    RES("url_extract_port", VC);
    RES("url_extract_parameter", VC, VC);
    RES("url_encode", VC);
    RES("url_decode", VC);
    RES("json_extract_scalar", VC, VC);
    RES("json_array_length", VC);
    RES("json_size", VC, VC);
    RES("json_array_contains", VC, IN);
    RES("json_array_contains", VC, DB);
    RES("json_array_contains", VC, BO);
    RES("json_array_contains", VC, VC);
    RES("is_json_scalar", VC);
    RES("truncate", dec);
    RES("format", VC, DB, VC, DT, TZ3, dec, BO, T(LH_SQL_UNKNOWN));
    /* the type of with_timezone follows the timestamp's precision */
    assert_int_equal(lh_fn_resolve(lh_fn_lookup("with_timezone"), (lh_sqltype[]){lh_sqltype_timestamp(6), VC}, 2,
                                   params, &ret, &e),
                     LH_OK);
    assert_true(lh_sqltype_equal(ret, lh_sqltype_timestamp_tz(6)));
    /* timestamp(9) results are refused: the engine stores microseconds */
    assert_int_not_equal(lh_fn_resolve(lh_fn_lookup("from_iso8601_timestamp_nanos"), (lh_sqltype[]){VC}, 1, params, &ret, &e), LH_OK);
    assert_non_null(strstr(e.msg, "microsecond"));
    /* format needs its format and at least one argument */
    assert_int_equal(lh_fn_resolve(lh_fn_lookup("format"), (lh_sqltype[]){VC}, 1, params, &ret, &e), LH_EDATA);
}

/* ---- several rows: values differing per row, NULLs, a sparse selection ---- */

static void test_many_rows(void **state)
{
    static const char *const SRC[] = {"abc", "xyz", "aaa", NULL, "cab", "bca"};
    static const char *const PAT[] = {"b", "y", "a+", "a", "b", "a$"};
    static const char *const EXP_T[] = {"zy", "", "zzz", "NULL", "zy", "yz"};
    static const char *const EXP_P[] = {"2", "", "1", "NULL", "3", "3"};
    lh_sqltype ts[2] = {VC, VC};
    lh_batch *b = NULL;
    lh_err e;
    lh_vector *out;
    uint16_t sel[] = {0, 2, 3, 4, 5};
    (void)state;
    assert_int_equal(lh_batch_create(ts, 2, 0, &b, &e), LH_OK);
    b->n = 6;
    for (uint32_t r = 0; r < 6; r++) {
        if (SRC[r])
            assert_int_equal(lh_vector_set_str(b->cols[0], r, SRC[r], strlen(SRC[r]), NULL, &e), LH_OK);
        else
            lh_vector_set_null(b->cols[0], r);
        assert_int_equal(lh_vector_set_str(b->cols[1], r, PAT[r], strlen(PAT[r]), NULL, &e), LH_OK);
    }
    b->sel = b->sel_buf;
    memcpy(b->sel, sel, sizeof sel);
    b->sel_n = 5;
    for (int f = 0; f < 2; f++) {
        lh_sqltype at[3] = {VC, VC, VC};
        const char *name = f ? "regexp_position" : "translate";
        const lh_scalar_impl *impl = lh_scalar_find(name, at, 2 + !f, f ? IN : VC);
        lh_xexpr *args[3], *x;
        lh_vector *cv = NULL;
        assert_non_null(impl);
        args[0] = lh_x_col(0, VC, &e);
        if (f)
            args[1] = lh_x_col(1, VC, &e); /* a pattern per row */
        else {
            assert_int_equal(lh_vector_create(VC, 0, &cv, &e), LH_OK);
            assert_int_equal(lh_vector_set_str(cv, 0, "abc", 3, NULL, &e), LH_OK);
            args[1] = lh_x_const(cv, &e);
            assert_int_equal(lh_vector_set_str(cv, 0, "zy", 2, NULL, &e), LH_OK);
            args[2] = lh_x_const(cv, &e);
            lh_vector_free(cv);
        }
        x = lh_x_call(impl, args, 2 + !f, f ? IN : VC, &e);
        assert_non_null(x);
        assert_int_equal(lh_xexpr_prepare(x, ts, 2, &ENV, &e), LH_OK);
        assert_int_equal(lh_xexpr_eval(x, b, &out, &e), LH_OK);
        for (size_t k = 0; k < 5; k++) {
            char o[64];
            show(out, sel[k], o, sizeof o);
            assert_string_equal(o, f ? EXP_P[sel[k]] : EXP_T[sel[k]]);
        }
        lh_xexpr_free(x);
    }
    lh_batch_free(b);
}

/* ---- binary, bitwise, normal distribution (fn_misc.c) ---- */

static void test_misc(void **state)
{
    lh_sqltype VBT = T(LH_SQL_VARBINARY), TI = T(LH_SQL_TINYINT);
    (void)state;
    CHK("aGVsbG8=", "to_base64", VC, VB("hello"));
    CHK("", "to_base64", VC, VB(""));
    CHK("_-8=", "to_base64url", VC, VB("\xff\xef"));
    CHK("/+8=", "to_base64", VC, VB("\xff\xef"));
    CHK("hello", "from_base64", VBT, VS("aGVsbG8="));
    CHK("hello", "from_base64", VBT, VS("aGVsbG8"));
    CHK("hell", "from_base64", VBT, VB("aGVsbA=="));
    CHK("\xff\xef", "from_base64url", VBT, VS("_-8"));
    CHK("ERR:Illegal base64 character 21", "from_base64", VBT, VS("aGV!"));
    CHK("ERR:Illegal base64 character 5f", "from_base64", VBT, VS("_-8"));
    CHK("ERR:Last unit does not have enough valid bits", "from_base64", VBT, VS("aGVsb"));
    CHK("ERR:Input byte array has wrong 4-byte ending unit", "from_base64", VBT, VS("aGVsbG8=="));
    CHK("NULL", "from_base64", VBT, VNULL(VC));
    CHK("907060870", "crc32", BI, VB("hello"));
    CHK("0", "crc32", BI, VB(""));
    CHK("NULL", "crc32", BI, VNULL(VBT));
    CHK("\xef\x46\xdb\x37\x51\xd8\xe9\x99", "xxhash64", VBT, VB(""));
    CHK("\x44\xbc\x2c\xf5\xad\x77\x09\x99", "xxhash64", VBT, VB("abc"));
    CHK("\xa9\x99\x3e\x36\x47\x06\x81\x6a\xba\x3e\x25\x71\x78\x50\xc2\x6c\x9c\xd0\xd8\x9d", "sha1", VBT,
        VB("abc"));
    CHK("NULL", "sha256", VBT, VNULL(VBT));
    CHK("8", "bitwise_and", BI, VI(12), VI(10));
    CHK("14", "bitwise_or", BI, VI(12), VI(10));
    CHK("6", "bitwise_xor", BI, VI(12), VI(10));
    CHK("-1", "bitwise_not", BI, VI(0));
    CHK("NULL", "bitwise_and", BI, VI(1), VNULL(BI));
    CHK("62", "bit_count", BI, VI(-7), VI(64));
    CHK("2", "bit_count", BI, VI(9), VI(8));
    CHK("ERR:Bits specified in bit_count must be between 2 and 64, got 1", "bit_count", BI, VI(9), VI(1));
    CHK("ERR:Number must be representable with the bits specified. 9 cannot be represented with 4 bits",
        "bit_count", BI, VI(9), VI(4));
    CHK("4", "bitwise_left_shift", BI, VI(1), VI(2));
    CHK("0", "bitwise_left_shift", BI, VI(1), VI(64));
    CHK("-128", "bitwise_left_shift", TI, ((val){TI, 0, 1, 0, NULL, 0, {0, 0}}), VI(7));
    CHK("15", "bitwise_right_shift", BI, VI(-1), VI(60));
    CHK("-4", "bitwise_right_shift_arithmetic", BI, VI(-8), VI(1));
    CHK("-1", "bitwise_right_shift_arithmetic", BI, VI(-8), VI(70));
    CHK("0.9750021048517795", "normal_cdf", DB, VD(0), VD(1), VD(1.96));
    CHK("0.5", "normal_cdf", DB, VD(10), VD(3), VD(10));
    CHK("ERR:standardDeviation must be > 0", "normal_cdf", DB, VD(0), VD(0), VD(1));
    CHK("ERR:p must be 0 > p > 1", "inverse_normal_cdf", DB, VD(0), VD(1), VD(1));
    CHK("ERR:sd must be > 0", "inverse_normal_cdf", DB, VD(0), VD(-1), VD(0.5));
    CHK("10.0", "inverse_normal_cdf", DB, VD(10), VD(3), VD(0.5));
    CHK("NULL", "inverse_normal_cdf", DB, VD(0), VD(1), VNULL(DB));
    CHK("\xf7\xbc\x83\xf4\x30\x53\x84\x24\xb1\x32\x98\xe6\xaa\x6f\xb1\x43\xef\x4d\x59\xa1\x49\x46\x17\x59\x97"
        "\x47\x9d\xbc\x2d\x1a\x3c\xd8",
        "hmac_sha256", VBT, VB("The quick brown fox jumps over the lazy dog"), VB("key"));
    CHK("NULL", "hmac_md5", VBT, VB("a"), VNULL(VBT));
    CHK("\x00\x00\x00\x00\x00\x00\x01\x02", "to_big_endian_64", VBT, VI(258));
    CHK("\xff\xff\xff\xfe", "to_big_endian_32", VBT, VN(-2));
    CHK("258", "from_big_endian_64", BI, VB("\x00\x00\x00\x00\x00\x00\x01\x02"));
    CHK("-2", "from_big_endian_32", IN, VB("\xff\xff\xff\xfe"));
    CHK("ERR:expected 8-byte input, but got instead: 1", "from_big_endian_64", BI, VB("\x01"));
    CHK("ERR:expected 4-byte input, but got instead: 0", "from_big_endian_32", IN, VB(""));
    CHK("\x3f\xf0\x00\x00\x00\x00\x00\x00", "to_ieee754_64", VBT, VD(1.0));
    CHK("\x3f\xc0\x00\x00", "to_ieee754_32", VBT, VR(1.5f));
    CHK("1.0", "from_ieee754_64", DB, VB("\x3f\xf0\x00\x00\x00\x00\x00\x00"));
    CHK("1.5", "from_ieee754_32", T(LH_SQL_REAL), VB("\x3f\xc0\x00\x00"));
    CHK("ERR:Input floating-point value must be exactly 4 bytes long", "from_ieee754_32", T(LH_SQL_REAL), VB("ab"));
    CHK("0.9414883725395894", "wilson_interval_lower", DB, VI(1250), VI(1310), VD(1.96));
    CHK("0.9642524717143908", "wilson_interval_upper", DB, VI(1250), VI(1310), VD(1.96));
    CHK("ERR:number of successes must not be negative", "wilson_interval_lower", DB, VI(-1), VI(10), VD(1));
    CHK("ERR:number of trials must be positive", "wilson_interval_lower", DB, VI(0), VI(0), VD(1));
    CHK("ERR:number of successes must not be larger than number of trials", "wilson_interval_upper", DB, VI(11),
        VI(10), VD(1));
    CHK("ERR:z-score must not be negative", "wilson_interval_upper", DB, VI(1), VI(10), VD(-1));
    {
        char o[64];
        run1("inverse_normal_cdf", DB, ARGS(VD(0), VD(1), VD(0.975)), 0, o, sizeof o);
        assert_true(fabs(strtod(o, NULL) - 1.959963984540054) < 1e-12);
    }
}

/* ---- URL functions ---- */

static void test_url(void **state)
{
    static const char U[] = "http://user@example.com:8080/a/b%20c?x=1&y=2&z#frag";
    (void)state;
    CHK("http", "url_extract_protocol", VC, VS(U));
    CHK("example.com", "url_extract_host", VC, VS(U));
    CHK("8080", "url_extract_port", BI, VS(U));
    CHK("/a/b%20c", "url_extract_path", VC, VS(U));
    CHK("x=1&y=2&z", "url_extract_query", VC, VS(U));
    CHK("frag", "url_extract_fragment", VC, VS(U));
    CHK("2", "url_extract_parameter", VC, VS(U), VS("y"));
    CHK("", "url_extract_parameter", VC, VS(U), VS("z"));
    CHK("NULL", "url_extract_parameter", VC, VS(U), VS("w"));
    CHK("NULL", "url_extract_port", BI, VS("http://example.com/a"));
    CHK("", "url_extract_path", VC, VS("http://example.com"));
    CHK("NULL", "url_extract_query", VC, VS("http://example.com/a"));
    CHK("[::1]", "url_extract_host", VC, VS("http://[::1]:80/"));
    CHK("NULL", "url_extract_host", VC, VS("http://bad host/"));  /* not a URI */
    CHK("NULL", "url_extract_path", VC, VS("http://e.com/%zz")); /* a bad escape */
    CHK("NULL", "url_extract_host", VC, VS("mailto:someone@example.com"));
    CHK("mailto", "url_extract_protocol", VC, VS("mailto:someone@example.com"));
    CHK("/rel/path", "url_extract_path", VC, VS("/rel/path?q"));
    CHK("NULL", "url_extract_host", VC, VNULL(VC));
    CHK("a+b%26c%3Dd%2F%C3%A9*-_.", "url_encode", VC, VS("a b&c=d/\xc3\xa9*-_."));
    CHK("a b&c=d/\xc3\xa9", "url_decode", VC, VS("a+b%26c%3Dd%2F%C3%A9"));
    CHK("ERR:URLDecoder: Incomplete trailing escape (%) pattern", "url_decode", VC, VS("abc%2"));
    CHK("ERR:URLDecoder: Illegal hex characters in escape (%) pattern - Error at index 0 in: \"zz\"", "url_decode", VC,
        VS("%zz"));
    CHK("NULL", "url_decode", VC, VNULL(VC));
}

/* ---- JSON on varchar ---- */

static void test_json(void **state)
{
    static const char J[] = "{\"a\": {\"b\": [1, \"x\\u00e9\\n\", 2.5e1, null, {\"c\": true}]}, \"k y\": -0, "
                            "\"q\\\"k\": 7}";
    (void)state;
    CHK("1", "json_extract_scalar", VC, VS(J), VS("$.a.b[0]"));
    CHK("x\xc3\xa9\n", "json_extract_scalar", VC, VS(J), VS("$.a.b[1]"));
    CHK("2.5e1", "json_extract_scalar", VC, VS(J), VS("$.a.b[2]"));
    CHK("NULL", "json_extract_scalar", VC, VS(J), VS("$.a.b[3]")); /* null */
    CHK("true", "json_extract_scalar", VC, VS(J), VS("$.a.b[4].c"));
    CHK("NULL", "json_extract_scalar", VC, VS(J), VS("$.a.b")); /* an array is not a scalar */
    CHK("NULL", "json_extract_scalar", VC, VS(J), VS("$.a.b[9]"));
    CHK("NULL", "json_extract_scalar", VC, VS(J), VS("$.nope"));
    CHK("-0", "json_extract_scalar", VC, VS(J), VS("$[\"k y\"]"));
    CHK("7", "json_extract_scalar", VC, VS(J), VS("$[\"q\\\"k\"]"));
    CHK("1", "json_extract_scalar", VC, VS("{\"a\": 1, \"a\": 2}"), VS("$.a")); /* the first */
    CHK("1", "json_extract_scalar", VC, VS("{\"a\": 1, oops"), VS("$.a"));       /* streaming */
    CHK("NULL", "json_extract_scalar", VC, VS("{\"a\" 1}"), VS("$.a"));
    CHK("NULL", "json_extract_scalar", VC, VS("not json"), VS("$"));
    CHK("5", "json_extract_scalar", VC, VS(" 5 "), VS("$"));
    CHK("ERR:Invalid JSON path: 'a.b'", "json_extract_scalar", VC, VS(J), VS("a.b"));
    CHK("ERR:Invalid JSON path: '$.a['", "json_extract_scalar", VC, VS(J), VS("$.a["));
    CHK("NULL", "json_extract_scalar", VC, VS(J), VNULL(VC));
    CHK("NULL", "json_extract_scalar", VC, VNULL(VC), VS("$.a"));
    CHK("3", "json_array_length", BI, VS("[1, [2, 3], {\"a\": 1}]"));
    CHK("0", "json_array_length", BI, VS("[]"));
    CHK("NULL", "json_array_length", BI, VS("{\"a\": 1}"));
    CHK("NULL", "json_array_length", BI, VS("[1, 2"));
    CHK("NULL", "json_array_length", BI, VNULL(VC));
    CHK("2", "json_size", BI, VS("{\"x\": {\"a\": 1, \"b\": 2}}"), VS("$.x"));
    CHK("3", "json_size", BI, VS("{\"x\": [1, 2, 3]}"), VS("$.x"));
    CHK("0", "json_size", BI, VS("{\"x\": 5}"), VS("$.x"));
    CHK("NULL", "json_size", BI, VS("{\"x\": 5}"), VS("$.y"));
    CHK("1", "json_size", BI, VS("{\"x\": 5}"), VS("$"));
    CHK("true", "json_array_contains", BO, VS("[1, 2, 3]"), VI(2));
    CHK("false", "json_array_contains", BO, VS("[1.0, [2], 3]"), VI(2)); /* nested arrays are not searched */
    CHK("false", "json_array_contains", BO, VS("[1.0]"), VI(1));         /* 1.0 is not an integer token */
    CHK("true", "json_array_contains", BO, VS("[1.0]"), VD(1));
    CHK("true", "json_array_contains", BO, VS("[\"a\", \"b\\u0063\"]"), VS("bc"));
    CHK("true", "json_array_contains", BO, VS("[false, true]"), ((val){BO, 0, 1, 0, NULL, 0, {0, 0}}));
    CHK("false", "json_array_contains", BO, VS("[]"), VI(1));
    CHK("NULL", "json_array_contains", BO, VS("{\"a\": 1}"), VI(1));
    CHK("NULL", "json_array_contains", BO, VS("[1, oops"), VI(2));
    CHK("true", "json_array_contains", BO, VS("[1, 2, oops"), VI(2)); /* found before the bad part */
    CHK("NULL", "json_array_contains", BO, VS("[1]"), VNULL(BI));
    CHK("true", "is_json_scalar", BO, VS(" 1 "));
    CHK("true", "is_json_scalar", BO, VS("\"x\""));
    CHK("false", "is_json_scalar", BO, VS("[1, 2]"));
    CHK("false", "is_json_scalar", BO, VS("{}"));
    CHK("ERR:Invalid JSON value: [1", "is_json_scalar", BO, VS("[1"));
    CHK("ERR:Invalid JSON value: 1 2", "is_json_scalar", BO, VS("1 2"));
    CHK("NULL", "is_json_scalar", BO, VNULL(VC));
}

/* ---- random inputs: the parsers never read out of bounds or crash (run
 * under ASan); results or errors are both fine ---- */

static void test_random_inputs(void **state)
{
    static const char ALPHA[] = "{}[]\":,\\u0123456789abcdefTZ-+.:/?#&=%@ yMdHmsSEaz'$nulltrue";
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    (void)state;
    for (int it = 0; it < 3000; it++) {
        char a[40], b[16], o[512];
        size_t na, nb;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        na = x % sizeof a, nb = (x >> 8) % sizeof b;
        for (size_t k = 0; k < na; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            a[k] = (x >> 60) == 0 ? (char)(x >> 20) : ALPHA[(x >> 24) % (sizeof ALPHA - 1)];
        }
        for (size_t k = 0; k < nb; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            b[k] = ALPHA[(x >> 24) % (sizeof ALPHA - 1)];
        }
        val sa = {VC, 0, 0, 0, a, na, {0, 0}}, sb = {VC, 0, 0, 0, b, nb, {0, 0}};
        val ba = {T(LH_SQL_VARBINARY), 0, 0, 0, a, na, {0, 0}};
        val pa[2] = {sa, sb};
        run1("json_extract_scalar", VC, pa, 2, 0, o, sizeof o);
        run1("json_size", BI, pa, 2, 0, o, sizeof o);
        run1("json_array_length", BI, &sa, 1, 0, o, sizeof o);
        run1("json_array_contains", BO, pa, 2, 0, o, sizeof o);
        run1("is_json_scalar", BO, &sa, 1, 0, o, sizeof o);
        run1("from_iso8601_timestamp", TZ3, &sa, 1, 0, o, sizeof o);
        run1("from_iso8601_date", DT, &sa, 1, 0, o, sizeof o);
        run1("parse_datetime", TZ3, (val[]){sa, sb}, 2, 0, o, sizeof o);
        run1("parse_datetime", TZ3, (val[]){sb, sa}, 2, 0, o, sizeof o);
        run1("format_datetime", VC, (val[]){VTZ((int64_t)x % (LH_US_PER_DAY * 100000), 0, 3), sa}, 2, 0, o, sizeof o);
        run1("format", VC, (val[]){sa, VI((int64_t)x), VD((double)x / 7), sb}, 4, 0, o, sizeof o);
        run1("url_extract_host", VC, &sa, 1, 0, o, sizeof o);
        run1("url_extract_parameter", VC, pa, 2, 0, o, sizeof o);
        run1("url_decode", VC, &sa, 1, 0, o, sizeof o);
        run1("from_base64", T(LH_SQL_VARBINARY), &sa, 1, 0, o, sizeof o);
        run1("parse_duration", IDS, &sa, 1, 0, o, sizeof o);
        run1("parse_data_size", lh_sqltype_decimal(38, 0), &sa, 1, 0, o, sizeof o);
        run1("translate", VC, (val[]){sa, sb, sa}, 3, 0, o, sizeof o);
        run1("title_case", VC, &sa, 1, 0, o, sizeof o);
        run1("soundex", VC, &sa, 1, 0, o, sizeof o);
        run1("from_utf8", VC, (val[]){ba, VI(63)}, 2, 0, o, sizeof o);
        run1("regexp_position", IN, (val[]){sa, VS("a|\\d"), VN(1 + (int)(x % 5))}, 3, 0, o, sizeof o);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trig),
        cmocka_unit_test(test_truncate),
        cmocka_unit_test(test_width_bucket),
        cmocka_unit_test(test_random2),
        cmocka_unit_test(test_bases),
        cmocka_unit_test(test_translate),
        cmocka_unit_test(test_concat_ws),
        cmocka_unit_test(test_small_strings),
        cmocka_unit_test(test_soundex),
        cmocka_unit_test(test_title_case),
        cmocka_unit_test(test_format_number),
        cmocka_unit_test(test_from_utf8_replace),
        cmocka_unit_test(test_regexp_position),
        cmocka_unit_test(test_iso8601),
        cmocka_unit_test(test_zones),
        cmocka_unit_test(test_dates_misc),
        cmocka_unit_test(test_human_seconds),
        cmocka_unit_test(test_parse_duration_size),
        cmocka_unit_test(test_joda),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_misc),
        cmocka_unit_test(test_url),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_random_inputs),
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_many_rows),
        cmocka_unit_test(test_alloc_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
