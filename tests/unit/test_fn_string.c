/* Unit tests: functions/fn_string.c through lh_scalar_find on real
 * vectors (the harness in fn_call.h runs every case with FLAT and with
 * CONST arguments): Trino's examples and Trino's own test cases, multibyte
 * (2-, 3-, 4-byte) and invalid UTF-8, edge cases and error messages, the
 * arena's cap, random strings against reference implementations, and
 * allocation-failure walks over regex init and over arena writers. */
#include "fn_call.h"

/* ---- string functions ---- */

static void test_length_case(void **state)
{
    (void)state;
    INT(3, "length", BI, S("abc"));
    INT(0, "length", BI, S(""));
    INT(3, "length", BI, S("\xC3\xBF\xE2\x82\xAC\xF0\x9D\x84\x9E")); /* ÿ € 𝄞 */
    INT(5, "length", BI, C("ab", 5));                               /* length(char(5)) is 5 */
    INT(2, "length", BI, B("\x00\xFF"));
    NUL("length", BI, NS);

    STR("hello world", "lower", VC, S("Hello World"));
    STR("HELLO WORLD", "upper", VC, S("Hello World"));
    STR("abcdefghijklmnopqrstuvwxyz0123", "lower", VC, S("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123")); /* arena */
    STR("\xC3\xA0\xC3\xA9\xC3\xAE\xC3\xB5\xC3\xBC", "lower", VC, S("\xC3\x80\xC3\x89\xC3\x8E\xC3\x95\xC3\x9C"));
    STR("\xC3\x80\xC3\x89\xC3\x8E\xC3\x95\xC3\x9C", "upper", VC, S("\xC3\xA0\xC3\xA9\xC3\xAE\xC3\xB5\xC3\xBC"));
    STR("\xC3\x97\xC3\xB7", "upper", VC, S("\xC3\x97\xC3\xB7"));  /* × ÷ have no case */
    STR("\xC5\xB8", "upper", VC, S("\xC3\xBF"));                  /* ÿ -> Ÿ */
    STR("\xC3\xBF", "lower", VC, S("\xC5\xB8"));                  /* Ÿ -> ÿ */
    STR("\xC3\x9F", "upper", VC, S("\xC3\x9F"));                  /* ß stays (no one-to-many) */
    STR("i", "lower", VC, S("\xC4\xB0"));                         /* İ -> i: shorter */
    STR("I", "upper", VC, S("\xC4\xB1"));                         /* ı -> I */
    STR("\xC4\x81\xC4\x83", "lower", VC, S("\xC4\x80\xC4\x82")); /* Ā Ă */
    STR("\xCE\xB1\xCE\xB2\xCE\xB3\xCF\x89", "lower", VC, S("\xCE\x91\xCE\x92\xCE\x93\xCE\xA9")); /* ΑΒΓΩ */
    STR("\xCE\xA3\xCE\xA3", "upper", VC, S("\xCF\x83\xCF\x82"));                                /* σς -> ΣΣ */
    STR("\xD0\x9F\xD0\xA0\xD0\x98\xD0\x92\xD0\x95\xD0\xA2", "upper", VC,
        S("\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82")); /* привет */
    STR("\xD1\x91", "lower", VC, S("\xD0\x81"));                 /* Ё -> ё */
    STR("\xC7\x86", "lower", VC, S("\xC7\x84"));                 /* Ǆ -> ǆ */
    STR("\xC7\x84", "upper", VC, S("\xC7\x85"));                 /* ǅ -> Ǆ */
    STR("\xF0\x90\x90\xA8", "lower", VC, S("\xF0\x90\x90\x80")); /* Deseret: 4 bytes */
    STR("\xF0\x90\x90\x80", "upper", VC, S("\xF0\x90\x90\xA8"));
    STR("\xE2\x82\xAC\xF0\x9D\x84\x9E", "upper", VC, S("\xE2\x82\xAC\xF0\x9D\x84\x9E")); /* € 𝄞 */
    STR("a\xFF" "b", "lower", VC, S("A\xFF" "B"));                                       /* invalid bytes kept */
    STR("ab", "lower", lh_sqltype_char(2), C("AB", 2));
    STR("\xEA\xAD\xB0", "lower", VC, S("\xE1\x8E\xA0")); /* Cherokee */
    STR("\xE1\xB2\x90", "upper", VC, S("\xE1\x83\x90")); /* Georgian Mkhedruli -> Mtavruli */
    STR("\xE1\xBC\x88", "upper", VC, S("\xE1\xBC\x80")); /* Greek Extended */
    STR("\xE1\xBE\xBC", "upper", VC, S("\xE1\xBE\xB3")); /* iota subscript: simple mapping */
    STR("\xE2\xB2\x81", "lower", VC, S("\xE2\xB2\x80")); /* Coptic */
    STR("\xF0\x9E\xA4\xA2", "lower", VC, S("\xF0\x9E\xA4\x80")); /* Adlam: 4 bytes */
    STR("\xE2\xB1\xAF", "upper", VC, S("\xC9\x90")); /* 2 bytes -> 3 bytes */
    STR("\xE2\xB1\xBE", "upper", VC, S("\xC8\xBF")); /* 2 bytes -> 3 bytes */
    STR("\x6B", "lower", VC, S("\xE2\x84\xAA")); /* Kelvin sign: 3 bytes -> 1 */
    STR("\xC3\xA5", "lower", VC, S("\xE2\x84\xAB")); /* Angstrom sign */
    STR("\x53", "upper", VC, S("\xC5\xBF")); /* long s */
    STR("\xC5\x89", "upper", VC, S("\xC5\x89")); /* no one-to-many: stays */
    STR("\xEF\xAC\x80", "upper", VC, S("\xEF\xAC\x80")); /* ff ligature stays */
    STR("\x69", "lower", VC, S("\xC4\xB0")); /* I with dot -> i */
    STR("\xC7\xB0", "upper", VC, S("\xC7\xB0")); /* stays */
    NUL("upper", VC, NS);
}

static void test_trim(void **state)
{
    (void)state;
    STR("abc", "trim", VC, S("  abc  "));
    STR("abc  ", "ltrim", VC, S("  abc  "));
    STR("  abc", "rtrim", VC, S("  abc  "));
    STR("", "trim", VC, S("   "));
    STR("", "trim", VC, S(""));
    STR("a b", "trim", VC, S("\t\n\v\f\r\x1C a b \xE3\x80\x80"));         /* U+3000 is whitespace */
    STR("a", "trim", VC, S("\xE2\x80\x80\xE2\x80\xA8" "a\xE2\x81\x9F")); /* U+2000 U+2028 U+205F */
    STR("\xC2\xA0" "abc", "trim", VC, S("\xC2\xA0" "abc"));              /* U+00A0 is not (Java) */
    STR("\xE2\x80\x87" "x", "ltrim", VC, S("\xE2\x80\x87" "x"));        /* U+2007 is not */
    STR("x\xC2\x85", "rtrim", VC, S("x\xC2\x85"));                       /* U+0085 is not */
    STR("\xFF ", "ltrim", VC, S(" \xFF "));                              /* invalid byte stops */
    /* Trino's examples: trim('!' FROM '!foo!'), trim(BOTH '$' FROM '$var$'),
     * trim(TRAILING 'ER' FROM upper('worker')), trim(LEADING FROM '  abcd') */
    STR("foo", "trim", VC, S("!foo!"), S("!"));
    STR("var", "trim", VC, S("$var$"), S("$"));
    STR("WORK", "rtrim", VC, S("WORKER"), S("ER"));
    STR("abcd", "ltrim", VC, S("  abcd"));
    STR("abcyx", "ltrim", VC, S("xyxabcyx"), S("xy"));
    STR("a", "trim", VC, S("\xC3\xA9" "a\xC3\xA9\xC3\xA9"), S("\xC3\xA9"));
    STR("\xF0\x9D\x84\x9E" "b", "rtrim", VC, S("\xF0\x9D\x84\x9E" "b\xF0\x9D\x84\x9E"), S("\xF0\x9D\x84\x9E"));
    STR("abc", "trim", VC, S("abc"), S(""));
    ERR("Invalid UTF-8 encoding in characters: \xEF\xBF\xBD", "trim", VC, S("abc"), S("\xFF"));
    NUL("trim", VC, S("abc"), NS);
    NUL("rtrim", VC, NS);
}

static void test_substr(void **state)
{
    (void)state;
    STR("ratically", "substr", VC, S("Quadratically"), I(5));
    STR("ratica", "substr", VC, S("Quadratically"), I(5), I(6));
    STR("ratica", "substring", VC, S("Quadratically"), I(5), I(6));
    STR("", "substr", VC, S("abc"), I(0));
    STR("", "substr", VC, S("abc"), I(0), I(2));
    STR("c", "substr", VC, S("abc"), I(-1));
    STR("b", "substr", VC, S("abc"), I(-2), I(1));
    STR("abc", "substr", VC, S("abc"), I(-3));
    STR("", "substr", VC, S("abc"), I(-4));
    STR("", "substr", VC, S("abc"), I(-4), I(2));
    STR("c", "substr", VC, S("abc"), I(3));
    STR("", "substr", VC, S("abc"), I(4));
    STR("bc", "substr", VC, S("abc"), I(2), I(100));
    STR("", "substr", VC, S("abc"), I(1), I(0));
    STR("", "substr", VC, S("abc"), I(1), I(-1));
    STR("", "substr", VC, S(""), I(1));
    STR("", "substr", VC, S("abc"), I(INT64_MAX));
    STR("", "substr", VC, S("abc"), I(INT64_MIN));
    STR("abc", "substr", VC, S("abc"), I(1), I(INT64_MAX));
    STR("bc", "substr", VC, S("abc"), I(-2), I(INT64_MAX));
    STR("\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E", "substr", VC, S("a\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E" "b"), I(2),
        I(3));
    STR("\xF0\x9D\x84\x9E" "b", "substr", VC, S("a\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E" "b"), I(-2));
    STR("\xE2\x82\xAC", "substr", VC, S("a\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E" "b"), I(-3), I(1));
    STR("efghijklmnopqrstuvwxyz", "substr", VC, S("abcdefghijklmnopqrstuvwxyz"), I(5)); /* arena */
    /* varbinary: bytes */
    STR("\x02\x03", "substr", VB, B("\x01\x02\x03"), I(2));
    STR("\x03", "substr", VB, B("\x01\x02\x03"), I(-1));
    STR("\x02", "substr", VB, B("\x01\x02\x03"), I(2), I(1));
    STR("", "substr", VB, B("\x01\x02\x03"), I(0));
    STR("", "substr", VB, B("\x01\x02\x03"), I(-5));
    STR("", "substr", VB, B("\x01\x02\x03"), I(4));
    STR("\xA9", "substr", VB, B("\xC3\xA9"), I(2));
    NUL("substr", VC, S("abc"), NI);
    NUL("substr", VC, NS, I(1), I(2));
}

static void test_concat_replace_reverse(void **state)
{
    (void)state;
    STR("abc", "concat", VC, S("a"), S("b"), S("c"));
    STR("x", "concat", VC, S("x"));
    STR("h\xC3\xA9llo w\xC3\xB6rld!", "concat", VC, S("h\xC3\xA9llo "), S("w\xC3\xB6rld"), S("!"));
    STR("", "concat", VC, S(""), S(""));
    NUL("concat", VC, S("a"), NS);
    NUL("concat", VC, NS, S("a"), S("b"));
    STR("\x01\x02\x03", "concat", VB, B("\x01"), B("\x02\x03"));

    STR("acac", "replace", VC, S("abcabc"), S("b"));
    STR("aXYcaXYc", "replace", VC, S("abcabc"), S("b"), S("XY"));
    STR("ba", "replace", VC, S("aaa"), S("aa"), S("b"));
    STR("xaxbxcx", "replace", VC, S("abc"), S(""), S("x"));
    STR("x", "replace", VC, S(""), S(""), S("x"));
    STR("abc", "replace", VC, S("abc"), S(""));
    STR("abc", "replace", VC, S("abc"), S("d"), S("e"));
    STR("ee", "replace", VC, S("\xC3\xA9\xC3\xA9"), S("\xC3\xA9"), S("e"));
    STR("-a-\xE2\x82\xAC-\xF0\x9D\x84\x9E-", "replace", VC, S("a\xE2\x82\xAC\xF0\x9D\x84\x9E"), S(""), S("-"));
    STR("one two three four five", "replace", VC, S("one_two_three_four_five"), S("_"), S(" "));
    NUL("replace", VC, S("abc"), S("b"), NS);

    STR("cba", "reverse", VC, S("abc"));
    STR("", "reverse", VC, S(""));
    STR("\xF0\x9D\x84\x9E\xE2\x82\xAC\xC3\xA9" "a", "reverse", VC, S("a\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E"));
    STR("\x03\x02\x01", "reverse", VB, B("\x01\x02\x03"));
    NUL("reverse", VC, NS);
}

static void test_strpos_split(void **state)
{
    (void)state;
    INT(2, "strpos", BI, S("high"), S("ig"));
    INT(0, "strpos", BI, S("high"), S("igx"));
    INT(3, "strpos", BI, S("Quadratically"), S("a"));
    INT(1, "strpos", BI, S("x"), S(""));
    INT(1, "strpos", BI, S(""), S(""));
    INT(0, "strpos", BI, S(""), S("a"));
    INT(5, "strpos", BI, S("a\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E" "b"), S("b"));
    INT(4, "strpos", BI, S("a\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E" "b"), S("\xF0\x9D\x84\x9E"));
    INT(6, "strpos", BI, S("abcabc"), S("c"), I(2));
    INT(0, "strpos", BI, S("abcabc"), S("c"), I(3));
    INT(6, "strpos", BI, S("abcabc"), S("c"), I(-1));
    INT(3, "strpos", BI, S("abcabc"), S("c"), I(-2));
    INT(0, "strpos", BI, S("abcabc"), S("c"), I(-3));
    INT(2, "strpos", BI, S("aaa"), S("aa"), I(2)); /* overlapping */
    INT(1, "strpos", BI, S("aaa"), S("aa"), I(-2));
    INT(1, "strpos", BI, S("abc"), S(""), I(-3));
    ERR("'instance' must be a positive or negative number.", "strpos", BI, S("abc"), S("b"), I(0));
    NUL("strpos", BI, S("abc"), NS);
    INT(2, "position", BI, S("high"), S("ig"));

    STR("b", "split_part", VC, S("a,b,c"), S(","), I(2));
    STR("c", "split_part", VC, S("a,b,c"), S(","), I(3));
    NUL("split_part", VC, S("a,b,c"), S(","), I(4));
    STR("", "split_part", VC, S("a,b,"), S(","), I(3));
    NUL("split_part", VC, S("a,b,"), S(","), I(4));
    STR("", "split_part", VC, S(""), S(","), I(1));
    NUL("split_part", VC, S(""), S(","), I(2));
    STR("abc", "split_part", VC, S("abc"), S(","), I(1));
    STR("c", "split_part", VC, S("a::b::c"), S("::"), I(3));
    STR("b", "split_part", VC, S("abc"), S(""), I(2));
    STR("\xE2\x82\xAC", "split_part", VC, S("a\xE2\x82\xAC" "c"), S(""), I(2));
    NUL("split_part", VC, S("abc"), S(""), I(4));
    STR("\xE2\x82\xAC\xF0\x9D\x84\x9E", "split_part", VC, S("\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E\xC3\xA9"), S("\xC3\xA9"),
        I(2));
    STR("", "split_part", VC, S("\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E\xC3\xA9"), S("\xC3\xA9"), I(3));
    STR("a longer field here", "split_part", VC, S("x|a longer field here|y"), S("|"), I(2));
    ERR("Index must be greater than zero", "split_part", VC, S("a,b"), S(","), I(0));
    ERR("Index must be greater than zero", "split_part", VC, S("a,b"), S(","), I(-1));
    NUL("split_part", VC, S("a,b"), S(","), NI);
}

static void test_pad(void **state)
{
    (void)state;
    STR("xyxabc", "lpad", VC, S("abc"), I(6), S("xy"));
    STR("abcxyx", "rpad", VC, S("abc"), I(6), S("xy"));
    STR("abc", "lpad", VC, S("abcdef"), I(3), S("x"));
    STR("abc", "rpad", VC, S("abcdef"), I(3), S("x"));
    STR("abc", "lpad", VC, S("abc"), I(3), S("x"));
    STR("", "rpad", VC, S("abc"), I(0), S("x"));
    STR("\xE2\x82\xAC\xF0\x9D\x84\x9E\xE2\x82\xAC\xC3\xA9", "lpad", VC, S("\xC3\xA9"), I(4),
        S("\xE2\x82\xAC\xF0\x9D\x84\x9E"));
    STR("\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E\xE2\x82\xAC", "rpad", VC, S("\xC3\xA9"), I(4),
        S("\xE2\x82\xAC\xF0\x9D\x84\x9E"));
    STR("\xC3\xA9\xE2\x82\xAC", "lpad", VC, S("\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E"), I(2), S("x"));
    STR("0000000000000042", "lpad", VC, S("42"), I(16), S("0"));
    ERR("Padding string must not be empty", "lpad", VC, S("abc"), I(5), S(""));
    ERR("Padding string must not be empty", "rpad", VC, S("abc"), I(1), S(""));
    ERR("Target length must be in the range [0..2147483647]", "lpad", VC, S("abc"), I(-1), S("x"));
    ERR("Target length must be in the range [0..2147483647]", "rpad", VC, S("abc"), I(2147483648LL), S("x"));
    STR("\x00\x00\x01", "lpad", VB, B("\x01"), I(3), B("\x00"));
    STR("\x01\x02\x03\x02", "rpad", VB, B("\x01"), I(4), B("\x02\x03"));
    STR("\x01", "rpad", VB, B("\x01\x02"), I(1), B("\x00"));
    ERR("Padding bytes must not be empty", "lpad", VB, B("\x01"), I(3), B(""));
    NUL("lpad", VC, S("abc"), NI, S("x"));
}

/* A result larger than the arena's cap is LH_ELIMIT, not a crash or a hang. */
static void test_arena_cap(void **state)
{
    lh_sqltype ts[3] = {VC, BI, VC};
    const lh_scalar_impl *impl = lh_scalar_find("lpad", ts, 3, VC);
    lh_vector *v[3], *out;
    lh_fn_call call;
    lh_arena ar;
    lh_err e;
    lh_rows rows = {NULL, 1};
    (void)state;
    assert_non_null(impl);
    for (int k = 0; k < 3; k++)
        v[k] = mkv(ts[k]);
    out = mkv(VC);
    assert_int_equal(lh_vector_set_str(v[0], 0, "abc", 3, NULL, &e), LH_OK);
    lh_vector_set_i64(v[1], 0, 2147483647);
    assert_int_equal(lh_vector_set_str(v[2], 0, "\xE2\x82\xAC", 3, NULL, &e), LH_OK);
    lh_arena_init(&ar, 1 << 20);
    memset(&call, 0, sizeof call);
    call.arg_types = ts;
    call.nargs = 3;
    call.ret = VC;
    call.arena = &ar;
    assert_int_equal(impl->eval(&call, v, out, rows, &e), LH_ELIMIT);
    lh_vector_set_i64(v[1], 0, 400000); /* 1.2 MB: over the 1 MiB cap */
    assert_int_equal(impl->eval(&call, v, out, rows, &e), LH_ELIMIT);
    assert_string_equal(e.msg, "a string of 1199994 bytes does not fit in the batch's 1048576 bytes of string memory");
    lh_vector_set_i64(v[1], 0, 300000); /* 900,000 bytes: fits */
    assert_int_equal(impl->eval(&call, v, out, rows, &e), LH_OK);
    assert_int_equal(lh_str_len(&((lh_str *)out->data)[0]), 3 + 3 * (300000 - 3));
    lh_arena_free(&ar);
    for (int k = 0; k < 3; k++)
        lh_vector_free(v[k]);
    lh_vector_free(out);
}

static void test_misc(void **state)
{
    char *l, *r;
    lh_sqltype ts[2];
    (void)state;
    INT(3, "levenshtein_distance", BI, S("kitten"), S("sitting"));
    INT(3, "levenshtein_distance", BI, S(""), S("abc"));
    INT(3, "levenshtein_distance", BI, S("abc"), S(""));
    INT(0, "levenshtein_distance", BI, S(""), S(""));
    INT(2, "levenshtein_distance", BI, S("flaw"), S("lawn"));
    INT(1, "levenshtein_distance", BI, S("h\xC3\xA9llo"), S("hello"));
    INT(1, "levenshtein_distance", BI, S("\xE2\x82\xAC\xF0\x9D\x84\x9E"), S("\xF0\x9D\x84\x9E"));
    INT(0, "levenshtein_distance", BI, S("\xF0\x9D\x84\x9E"), S("\xF0\x9D\x84\x9E"));
    ERR("Invalid UTF-8 encoding in characters: a\xEF\xBF\xBD", "levenshtein_distance", BI, S("a\xFF"), S("b"));
    /* Trino's: utf8(from_hex('81')) and utf8(from_hex('3281')) */
    ERR("Invalid UTF-8 encoding in characters: \xEF\xBF\xBD", "levenshtein_distance", BI, S("hello world"), S("\x81"));
    ERR("Invalid UTF-8 encoding in characters: 2\xEF\xBF\xBD", "levenshtein_distance", BI, S("hello wolrd"),
        S("2\x81"));
    /* too large: 2000 x 1000 code points */
    l = malloc(2001);
    r = malloc(1001);
    assert_non_null(l);
    assert_non_null(r);
    memset(l, 'a', 2000);
    memset(r, 'b', 1000);
    {
        arg a[2] = {{'S', l, 2000, 0}, {'S', r, 1000, 0}};
        err_eq(__FILE__, __LINE__, run("levenshtein_distance", BI, a, 2),
               "The combined inputs for Levenshtein distance are too large");
        a[1].n = 500; /* 2000 * 499 <= 1e6 */
        int_eq(__FILE__, __LINE__, run("levenshtein_distance", BI, a, 2), 2000);
        a[0].n = 1;
        a[1].n = 1000; /* long side 1000, short side 1 */
        int_eq(__FILE__, __LINE__, run("levenshtein_distance", BI, a, 2), 1000);
    }
    free(l);
    free(r);

    INT(1, "starts_with", BO, S("abc"), S("ab"));
    INT(0, "starts_with", BO, S("abc"), S("abcd"));
    INT(1, "starts_with", BO, S("abc"), S(""));
    INT(1, "starts_with", BO, S(""), S(""));
    INT(0, "starts_with", BO, S("\xC3\xA9"), S("\xC3\xA8"));
    NUL("starts_with", BO, NS, S(""));

    STR("A", "chr", lh_sqltype_varchar(1), I(65));
    STR("\xC3\xA9", "chr", lh_sqltype_varchar(1), I(0xE9));
    STR("\xE2\x82\xAC", "chr", lh_sqltype_varchar(1), I(0x20AC));
    STR("\xF0\x9D\x84\x9E", "chr", lh_sqltype_varchar(1), I(0x1D11E));
    STR("\x00", "chr", lh_sqltype_varchar(1), I(0));
    ERR("Not a valid Unicode code point: -1", "chr", lh_sqltype_varchar(1), I(-1));
    ERR("Not a valid Unicode code point: 1114112", "chr", lh_sqltype_varchar(1), I(0x110000));
    ERR("Not a valid Unicode code point: 55296", "chr", lh_sqltype_varchar(1), I(0xD800));
    ERR("Not a valid Unicode code point: 9223372036854775807", "chr", lh_sqltype_varchar(1), I(INT64_MAX));

    INT(65, "codepoint", IN, S("A"));
    INT(0xE9, "codepoint", IN, S("\xC3\xA9"));
    INT(0x20AC, "codepoint", IN, S("\xE2\x82\xAC"));
    INT(119070, "codepoint", IN, S("\xF0\x9D\x84\x9E"));
    ERR("Input string must be a single character string", "codepoint", IN, S("ab"));
    ERR("Input string must be a single character string", "codepoint", IN, S(""));
    NUL("codepoint", IN, NS);

    STR("00FF41", "to_hex", VC, B("\x00\xFF" "A"));
    STR("", "to_hex", VC, B(""));
    STR("0123456789ABCDEF0123", "to_hex", VC, B("\x01\x23\x45\x67\x89\xAB\xCD\xEF\x01\x23"));
    STR("\x00\xFF" "A", "from_hex", VB, S("00ff41"));
    STR("\xAB\xCD", "from_hex", VB, S("AbcD"));
    ERR("invalid input length 3", "from_hex", VB, S("abc"));
    ERR("not a hexadecimal digit: \"z\" = 122", "from_hex", VB, S("0z"));
    STR("\xC3\xA9", "to_utf8", VB, S("\xC3\xA9"));
    STR("a\xEF\xBF\xBD" "b", "from_utf8", VC, B("a\xFF" "b"));
    STR("a\xEF\xBF\xBD", "from_utf8", VC, B("a\xE2\x82"));
    STR("\xEF\xBF\xBD\xEF\xBF\xBD", "from_utf8", VC, B("\x80\x80"));
    STR("\xEF\xBF\xBD", "from_utf8", VC, B("\xED\xA0\x80")); /* a surrogate */
    STR("2\xEF\xBF\xBD" "3", "from_utf8", VC, B("2\x81" "3"));   /* a stray continuation byte */
    STR("\xC3\xA9\xEF\xBF\xBD\xEF\xBF\xBD", "from_utf8", VC, B("\xC3\xA9\xC0\xF8"));
    STR("\xE2\x82\xAC\xF0\x9D\x84\x9E", "from_utf8", VC, B("\xE2\x82\xAC\xF0\x9D\x84\x9E"));
    STR("D41D8CD98F00B204E9800998ECF8427E", "to_hex", VC, B("\xD4\x1D\x8C\xD9\x8F\x00\xB2\x04\xE9\x80\x09\x98\xEC\xF8\x42\x7E"));
    STR("\xD4\x1D\x8C\xD9\x8F\x00\xB2\x04\xE9\x80\x09\x98\xEC\xF8\x42\x7E", "md5", VB, B(""));
    STR("\x90\x01\x50\x98\x3C\xD2\x4F\xB0\xD6\x96\x3F\x7D\x28\xE1\x7F\x72", "md5", VB, B("abc"));
    NUL("md5", VB, NB);

    /* what is not implemented is not found */
    ts[0] = BI;
    assert_null(lh_scalar_find("length", ts, 1, BI));
    ts[0] = VC;
    assert_null(lh_scalar_find("lower", ts, 1, BI));
    assert_null(lh_scalar_find("no_such_function", ts, 1, VC));
    ts[1] = VC;
    assert_null(lh_scalar_find("lpad", ts, 2, VC));
}

/* Cases from Trino's own string tests (TestStringFunctions), as behaviour
 * to match ("信念,爱,希望" and friends spelled in UTF-8). */
#define XIN "\xE4\xBF\xA1"  /* 信 U+4FE1 */
#define NIAN "\xE5\xBF\xB5" /* 念 U+5FF5 */
#define AI "\xE7\x88\xB1"   /* 爱 U+7231 */
#define XI "\xE5\xB8\x8C"   /* 希 U+5E0C */
#define WANG "\xE6\x9C\x9B" /* 望 U+671B */
static void test_string_trino_cases(void **state)
{
    (void)state;
    INT(17, "length", BI, S("hello na\xC3\xAFve world"));
    INT(4, "length", BI, S("\xF0\x90\x90\xAD" "end")); /* U+1042D */
    INT(7, "length", BI, S(XIN NIAN "," AI "," XI WANG));
    INT(20, "length", BI, C("hello", 20));

    INT(0, "levenshtein_distance", BI, S("hello"), S("hello"));
    INT(6, "levenshtein_distance", BI, S("hello"), S("hello world"));
    INT(3, "levenshtein_distance", BI, S("hello world"), S("hel wold"));
    INT(2, "levenshtein_distance", BI, S("hello world"), S("hellq wodld"));
    INT(2, "levenshtein_distance", BI, S("helo word"), S("hello world"));
    INT(2, "levenshtein_distance", BI, S("hello word"), S("dello world"));
    INT(1, "levenshtein_distance", BI, S("hello na\xC3\xAFve world"), S("hello naive world"));
    INT(2, "levenshtein_distance", BI, S("hello na\xC3\xAFve world"), S("hello na:ive world"));
    INT(1, "levenshtein_distance", BI, S(XIN NIAN "," AI "," XI WANG), S(XIN "\xE4\xBB\xB0," AI "," XI WANG));
    INT(3, "levenshtein_distance", BI, S(XIN NIAN "," AI "," XI WANG), S(XIN NIAN XI WANG));
    INT(4, "levenshtein_distance", BI, S(XIN NIAN "," AI "," XI WANG), S(XIN NIAN ",love," XI WANG));

    STR("aaaaaa", "replace", VC, S("aaa"), S("a"), S("aa"));
    STR("abXXefabXXef", "replace", VC, S("abcdefabcdef"), S("cd"), S("XX"));
    STR("tech", "replace", VC, S("123tech123"), S("123"));
    STR("    123", "replace", VC, S("0000123"), S("0"), S(" "));
    STR("foo", "replace", VC, S("foo"), S(""), S(""));
    STR("", "replace", VC, S("foo"), S("foo"), S(""));
    STR("xxaxxbxxcxx", "replace", VC, S("abc"), S(""), S("xx"));
    STR("", "replace", VC, S(""), S(""), S(""));
    STR(XIN NIAN "\xE2\x80\x94" AI "\xE2\x80\x94" XI WANG, "replace", VC, S(XIN NIAN "," AI "," XI WANG), S(","),
        S("\xE2\x80\x94"));
    STR("\xF0\x90\x90\xAD", "replace", VC, S("::\xF0\x90\x90\xAD::"), S(":"), S(""));
    STR("Oesterreich", "replace", VC, S("\xC3\x96sterreich"), S("\xC3\x96"), S("Oe"));

    STR("yllacitardauQ", "reverse", VC, S("Quadratically"));
    STR(WANG XI "," AI "," NIAN XIN, "reverse", VC, S(XIN NIAN "," AI "," XI WANG));
    STR("dne\xF0\x90\x90\xAD", "reverse", VC, S("\xF0\x90\x90\xAD" "end"));

    INT(4, "strpos", BI, S("abc/xyz/foo/bar"), S("/"));
    INT(8, "strpos", BI, S("abc/xyz/foo/bar"), S("/"), I(2));
    INT(12, "strpos", BI, S("abc/xyz/foo/bar"), S("/"), I(3));
    INT(0, "strpos", BI, S("abc/xyz/foo/bar"), S("/"), I(4));
    INT(4, "strpos", BI, S("abc/xyz/foo/bar"), S("/"), I(-3));
    INT(9, "strpos", BI, S("abc abc abc"), S("abc"), I(-1));
    INT(6, "strpos", BI, S("highhigh"), S("ig"), I(-1));
    INT(8, "strpos", BI, S("foobarfoo"), S("oo"), I(-1));
    INT(0, "strpos", BI, S("foobarfoo"), S("fb"), I(-1));
    INT(7, "strpos", BI, S(XIN NIAN "," AI "," XI AI WANG), S(AI), I(-1));
    INT(4, "strpos", BI, S(XIN NIAN "," AI "," XI AI WANG), S(AI), I(-2));
    INT(6, "strpos", BI, S(XIN NIAN "," AI "," XI WANG), S(XI WANG));
    ERR("'instance' must be a positive or negative number.", "strpos", BI, S(""), S(""), I(0));

    STR("cally", "substr", VC, S("Quadratically"), I(-5));
    STR("", "substr", VC, S("Quadratically"), I(-50));
    STR("call", "substr", VC, S("Quadratically"), I(-5), I(4));
    STR("cally", "substr", VC, S("Quadratically"), I(-5), I(40));
    STR("", "substr", VC, S("Quadratically"), I(50), I(10));
    STR("," AI "," XI WANG, "substr", VC, S(XIN NIAN "," AI "," XI WANG), I(3), I(5));
    STR(XI WANG, "substr", VC, S(XIN NIAN "," AI "," XI WANG), I(-2));
    STR("\xF0\x90\x90\xAD", "substr", VC, S("\xF0\x90\x90\xAD" "end"), I(1), I(1));

    STR("abc", "split_part", VC, S("abc-@-def-@-ghi"), S("-@-"), I(1));
    STR("ghi", "split_part", VC, S("abc-@-def-@-ghi"), S("-@-"), I(3));
    NUL("split_part", VC, S("abc-@-def-@-ghi"), S("-@-"), I(99));
    STR("", "split_part", VC, S("abc"), S("abc"), I(1));
    STR("", "split_part", VC, S("abc"), S("abc"), I(2));
    NUL("split_part", VC, S("abc"), S("abc"), I(3));
    STR("", "split_part", VC, S(""), S("abc"), I(1));
    NUL("split_part", VC, S(""), S(""), I(1));
    STR("abc", "split_part", VC, S("abc"), S("abcd"), I(1));
    STR("abc-", "split_part", VC, S("abc--@--def"), S("-@-"), I(1));
    STR("-def", "split_part", VC, S("abc--@--def"), S("-@-"), I(2));
    STR("@", "split_part", VC, S("abc-@-@-@-def"), S("-@-"), I(2));
    STR("def", "split_part", VC, S("abc-@-@-@-def"), S("-@-"), I(3));
    STR("", "split_part", VC, S(" "), S(" "), I(1));
    STR("", "split_part", VC, S("abcdddddef"), S("dd"), I(2));
    STR("def", "split_part", VC, S("abcdddddef"), S("dd"), I(3));
    STR("", "split_part", VC, S("a/b/c/"), S("/"), I(4));
    STR("\xE8\xAD\x89", "split_part", VC, S("\xE8\xAD\x89\xE8\xAF\x81\xE8\xA8\xBC"), S("\xE8\xAF\x81"), I(1));
    ERR("Invalid UTF-8 encoding", "split_part", VC, S("\xCE"), S(""), I(1));

    STR("hello world ", "ltrim", VC, S(" hello world "));
    STR(XIN NIAN " " AI " " XI WANG, "ltrim", VC, S(" \xE2\x80\xA8 " XIN NIAN " " AI " " XI WANG));
    STR(XIN NIAN " " AI " " XI WANG, "rtrim", VC, S(XIN NIAN " " AI " " XI WANG " \xE2\x80\xA8 "));
    STR("   ", "ltrim", VC, S("   "), S(""));
    STR("llo  ", "ltrim", VC, S("  hello  "), S("he "));
    STR("llo", "ltrim", VC, S("  hello"), S("e h"));
    STR("hello  ", "ltrim", VC, S("hello  "), S("l"));
    STR("", "ltrim", VC, S(" hello world "), S(" ehlowrd"));
    STR("\xC5\x82\xC4\x87", "ltrim", VC, S("\xC5\xBA\xC3\xB3\xC5\x82\xC4\x87"), S("\xC3\xB3\xC5\xBA"));
    STR("\x81", "ltrim", VC, S("\x81"), S(" "));
    STR("\x81 ", "ltrim", VC, S("\x81 "), S(" "));
    STR("\x81 ", "ltrim", VC, S(" \x81 "), S(" "));
    STR("  he", "rtrim", VC, S("  hello  "), S("lo "));
    STR("he", "rtrim", VC, S("hello  "), S("l o"));
    STR(" hello wor", "rtrim", VC, S(" hello world "), S(" ld"));
    STR("\xC5\xBA\xC3\xB3", "rtrim", VC, S("\xC5\xBA\xC3\xB3\xC5\x82\xC4\x87"), S("\xC4\x87\xC5\x82"));
    STR("\x81", "rtrim", VC, S("\x81 "), S(" "));
    STR(" \x81", "rtrim", VC, S(" \x81 "), S(" "));
    ERR("Invalid UTF-8 encoding in characters: \xEF\xBF\xBD", "ltrim", VC, S("hello world"), S("\x81"));
    ERR("Invalid UTF-8 encoding in characters: 2\xEF\xBF\xBD", "rtrim", VC, S("hello world"), S("2\x81"));

    STR("xtext", "lpad", VC, S("text"), I(5), S("x"));
    STR("xyxtext", "lpad", VC, S("text"), I(7), S("xy"));
    STR("xyzxytext", "lpad", VC, S("text"), I(9), S("xyz"));
    STR(WANG WANG XIN NIAN " " AI " " XI WANG "  ", "lpad", VC, S(XIN NIAN " " AI " " XI WANG "  "), I(11), S(WANG));
    STR(XI WANG XI XIN NIAN " " AI " " XI WANG "  ", "lpad", VC, S(XIN NIAN " " AI " " XI WANG "  "), I(12),
        S(XI WANG));
    STR("aaa", "lpad", VC, S(""), I(3), S("a"));
    STR("tex", "lpad", VC, S("text"), I(3), S("xy"));
    STR(XIN NIAN " " AI " ", "lpad", VC, S(XIN NIAN " " AI " " XI WANG "  "), I(5), S(WANG));
    ERR("Target length must be in the range [0..2147483647]", "lpad", VC, S("abc"), I(2147483648LL), S(""));
    STR("textxyzxy", "rpad", VC, S("text"), I(9), S("xyz"));
    STR(XIN NIAN " " AI " " XI WANG "  " XI WANG XI, "rpad", VC, S(XIN NIAN " " AI " " XI WANG "  "), I(12),
        S(XI WANG));
    STR("aaa", "rpad", VC, S(""), I(3), S("a"));

    STR("hello", "from_utf8", VC, B("hello"));
    STR("X\xEF\xBF\xBD", "from_utf8", VC, B("\x58\xBF"));
    STR("X\xEF\xBF\xBD", "from_utf8", VC, B("\x58\xDF"));
    STR("X\xEF\xBF\xBD", "from_utf8", VC, B("\x58\xF7"));

    STR("A", "chr", lh_sqltype_varchar(1), I(65));
    STR("\xE2\x98\x83", "chr", lh_sqltype_varchar(1), I(9731));
    STR("\xF0\xA0\x82\x8A", "chr", lh_sqltype_varchar(1), I(131210));
    ERR("Not a valid Unicode code point: 1234567", "chr", lh_sqltype_varchar(1), I(1234567));
    ERR("Not a valid Unicode code point: 8589934592", "chr", lh_sqltype_varchar(1), I(8589934592LL));
    INT(0x840C, "codepoint", IN, S("\xE8\x90\x8C"));
    INT(128077, "codepoint", IN, S("\xF0\x9F\x91\x8D"));

    INT(1, "starts_with", BO, S(XIN NIAN " " AI " " XI WANG), S(XIN NIAN));
    INT(0, "starts_with", BO, S(XIN NIAN " " AI " " XI WANG), S(AI));
    INT(0, "starts_with", BO, S(""), S("foo"));
}

/* ---- random strings against reference implementations on code points ---- */

static const int32_t ALPHA[] = {'a', 'b', ',', 0xE9, 0x20AC, 0x1D11E};
typedef struct cps {
    int32_t c[64];
    size_t n;
} cps;
static uint64_t rng_state = 88172645463325252ull;
static uint32_t rnd(uint32_t m)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % m);
}
static void rand_cps(cps *x, size_t maxn)
{
    x->n = rnd((uint32_t)maxn + 1);
    for (size_t k = 0; k < x->n; k++)
        x->c[k] = ALPHA[rnd(sizeof ALPHA / sizeof ALPHA[0])];
}
static size_t enc(const int32_t *c, size_t n, char *o)
{
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        int32_t v = c[k];
        if (v < 0x80)
            o[m++] = (char)v;
        else if (v < 0x800)
            o[m++] = (char)(0xC0 | (v >> 6)), o[m++] = (char)(0x80 | (v & 63));
        else if (v < 0x10000)
            o[m++] = (char)(0xE0 | (v >> 12)), o[m++] = (char)(0x80 | ((v >> 6) & 63)), o[m++] = (char)(0x80 | (v & 63));
        else
            o[m++] = (char)(0xF0 | (v >> 18)), o[m++] = (char)(0x80 | ((v >> 12) & 63)),
            o[m++] = (char)(0x80 | ((v >> 6) & 63)), o[m++] = (char)(0x80 | (v & 63));
    }
    o[m] = 0;
    return m;
}
static int cps_at(const cps *h, size_t at, const cps *nd)
{
    if (at + nd->n > h->n)
        return 0;
    for (size_t k = 0; k < nd->n; k++)
        if (h->c[at + k] != nd->c[k])
            return 0;
    return 1;
}

static void test_random_vs_reference(void **state)
{
    char bs[512], bt[512], bu[512], exp[8192];
    int32_t tmp[4096];
    (void)state;
    for (int it = 0; it < 3000; it++) {
        cps x, y, z;
        size_t xn, yn, zn, k, m;
        rand_cps(&x, 20);
        rand_cps(&y, 3);
        rand_cps(&z, 3);
        xn = enc(x.c, x.n, bs);
        yn = enc(y.c, y.n, bt);
        zn = enc(z.c, z.n, bu);
        arg sx = {'S', bs, xn, 0}, sy = {'S', bt, yn, 0}, sz = {'S', bu, zn, 0};

        /* substr(x, start, len) */
        {
            int64_t st = (int64_t)rnd(50) - 25, ln = (int64_t)rnd(30) - 5, b, e;
            arg a[3] = {sx, I(st), I(ln)};
            int64_t cnt = (int64_t)x.n;
            b = st > 0 ? st - 1 : st + cnt;
            e = ln <= 0 ? b : b + ln;
            if (st == 0 || cnt == 0 || ln <= 0 || b < 0 || b >= cnt)
                b = e = 0;
            if (e > cnt)
                e = cnt;
            m = enc(x.c + b, (size_t)(e - b), exp);
            str_eq(__FILE__, __LINE__, run("substr", VC, a, 3), exp, m);
            b = st > 0 ? st - 1 : st + cnt;
            if (st == 0 || cnt == 0 || b < 0 || b >= cnt)
                m = 0, exp[0] = 0;
            else
                m = enc(x.c + b, (size_t)(cnt - b), exp);
            str_eq(__FILE__, __LINE__, run("substr", VC, a, 2), exp, m);
        }
        /* strpos(x, y, instance) */
        {
            int64_t inst = (int64_t)rnd(7) - 3, want = 0, found = 0;
            arg a[3] = {sx, sy, I(inst == 0 ? 1 : inst)};
            if (inst == 0)
                inst = 1;
            if (y.n == 0) {
                want = 1;
            } else if (inst > 0) {
                for (k = 0; k < x.n && !want; k++)
                    if (cps_at(&x, k, &y) && ++found == inst)
                        want = (int64_t)k + 1;
            } else {
                for (k = x.n; k-- > 0 && !want;)
                    if (cps_at(&x, k, &y) && ++found == -inst)
                        want = (int64_t)k + 1;
            }
            int_eq(__FILE__, __LINE__, run("strpos", BI, a, 3), want);
        }
        /* split_part(x, y, idx) with a non-empty delimiter */
        if (y.n) {
            int64_t idx = (int64_t)rnd(6) + 1, field = 1;
            size_t from = 0, at = 0;
            arg a[3] = {sx, sy, I(idx)};
            int have = 0;
            for (at = 0; at + y.n <= x.n;) {
                if (cps_at(&x, at, &y)) {
                    if (field == idx) {
                        have = 1;
                        break;
                    }
                    field++;
                    at += y.n;
                    from = at;
                } else {
                    at++;
                }
            }
            if (!have && field == idx) { /* the last field: the rest of the string */
                at = x.n;
                have = 1;
            }
            if (have) {
                m = enc(x.c + from, at - from, exp);
                str_eq(__FILE__, __LINE__, run("split_part", VC, a, 3), exp, m);
            } else {
                null_eq(__FILE__, __LINE__, run("split_part", VC, a, 3));
            }
        }
        /* replace(x, y, z), y non-empty */
        if (y.n) {
            arg a[3] = {sx, sy, sz};
            size_t tn = 0;
            for (k = 0; k < x.n;) {
                if (cps_at(&x, k, &y)) {
                    memcpy(tmp + tn, z.c, z.n * sizeof(int32_t));
                    tn += z.n;
                    k += y.n;
                } else {
                    tmp[tn++] = x.c[k++];
                }
            }
            m = enc(tmp, tn, exp);
            str_eq(__FILE__, __LINE__, run("replace", VC, a, 3), exp, m);
        }
        /* the regex functions on a quoted literal agree with the plain ones */
        if (y.n) {
            char q[600];
            int ql = snprintf(q, sizeof q, "\\Q%s\\E", bt);
            arg a[3] = {sx, {'S', q, (size_t)ql, 0}, sz}, b[3] = {sx, sy, sz};
            res *r1 = run("replace", VC, b, 3);
            size_t rn = r1->n;
            memcpy(exp, r1->s, rn);
            str_eq(__FILE__, __LINE__, run("regexp_replace", VC, a, 3), exp, rn);
            int64_t cnt = 0;
            for (k = 0; k + y.n <= x.n;)
                if (cps_at(&x, k, &y))
                    cnt++, k += y.n;
                else
                    k++;
            int_eq(__FILE__, __LINE__, run("regexp_count", BI, a, 2), cnt);
            int_eq(__FILE__, __LINE__, run("regexp_like", BO, a, 2), cnt > 0);
            if (cnt) {
                m = enc(y.c, y.n, exp);
                str_eq(__FILE__, __LINE__, run("regexp_extract", VC, a, 2), exp, m);
            } else {
                null_eq(__FILE__, __LINE__, run("regexp_extract", VC, a, 2));
            }
        }
        /* reverse(x) */
        {
            arg a[1] = {sx};
            for (k = 0; k < x.n; k++)
                tmp[k] = x.c[x.n - 1 - k];
            m = enc(tmp, x.n, exp);
            str_eq(__FILE__, __LINE__, run("reverse", VC, a, 1), exp, m);
        }
        /* lpad / rpad(x, n, z), z non-empty */
        if (z.n) {
            int64_t tl = (int64_t)rnd(30);
            arg a[3] = {sx, I(tl), sz};
            size_t tn = 0, fill = (size_t)tl > x.n ? (size_t)tl - x.n : 0;
            for (k = 0; k < fill; k++)
                tmp[tn++] = z.c[k % z.n];
            for (k = 0; k < x.n && tn < (size_t)tl; k++)
                tmp[tn++] = x.c[k];
            m = enc(tmp, tn, exp);
            str_eq(__FILE__, __LINE__, run("lpad", VC, a, 3), exp, m);
            tn = 0;
            for (k = 0; k < x.n && tn < (size_t)tl; k++)
                tmp[tn++] = x.c[k];
            for (k = 0; k < fill; k++)
                tmp[tn++] = z.c[k % z.n];
            m = enc(tmp, tn, exp);
            str_eq(__FILE__, __LINE__, run("rpad", VC, a, 3), exp, m);
        }
        /* levenshtein_distance(x, y ++ z) against the full matrix */
        {
            cps w;
            static int d[70][70];
            memcpy(w.c, y.c, y.n * sizeof(int32_t));
            memcpy(w.c + y.n, z.c, z.n * sizeof(int32_t));
            w.n = y.n + z.n;
            char bw[512];
            size_t wn = enc(w.c, w.n, bw);
            arg a[2] = {sx, {'S', bw, wn, 0}};
            for (size_t i2 = 0; i2 <= x.n; i2++)
                for (size_t j2 = 0; j2 <= w.n; j2++) {
                    if (!i2 || !j2) {
                        d[i2][j2] = (int)(i2 + j2);
                        continue;
                    }
                    int best = d[i2 - 1][j2 - 1] + (x.c[i2 - 1] != w.c[j2 - 1]);
                    if (d[i2 - 1][j2] + 1 < best)
                        best = d[i2 - 1][j2] + 1;
                    if (d[i2][j2 - 1] + 1 < best)
                        best = d[i2][j2 - 1] + 1;
                    d[i2][j2] = best;
                }
            int_eq(__FILE__, __LINE__, run("levenshtein_distance", BI, a, 2), d[x.n][w.n]);
            int_eq(__FILE__, __LINE__, run("length", BI, a, 1), (int64_t)x.n);
        }
    }
}

/* Every allocation of a regex init (and match) fails in turn, then every
 * allocation of functions writing long strings into the arena: a clean
 * LH_ENOMEM each time, then the right answer. */
static void test_alloc_faults(void **state)
{
    static const char *fns[] = {"regexp_replace", "lpad", "upper", "concat", "from_utf8"};
    (void)state;
    for (size_t f = 0; f < sizeof fns / sizeof fns[0]; f++) {
        int ok = 0;
        for (long n = 1; n < 200 && !ok; n++) {
            lh_sqltype ts[3];
            lh_vector *v[3] = {NULL, NULL, NULL}, *out = NULL, *consts[3] = {NULL, NULL, NULL};
            const lh_scalar_impl *impl;
            lh_fn_call call;
            lh_arena ar;
            lh_err e;
            lh_rc rc;
            size_t na;
            uint32_t r;
            const char *exp;
            lh_sqltype ret = VC;
            if (f == 0) {
                ts[0] = VC, ts[1] = VC, ts[2] = VC, na = 3;
                exp = "<a href=\"https://example.org/x\">https://example.org/x</a>!";
            } else if (f == 1) {
                ts[0] = VC, ts[1] = BI, ts[2] = VC, na = 3;
                exp = "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9" "abc";
            } else if (f == 2) {
                ts[0] = VC, na = 1;
                exp = "HTTPS://EXAMPLE.ORG/X!";
            } else if (f == 3) {
                ts[0] = VC, ts[1] = VC, na = 2;
                exp = "https://example.org/x!https://example.org/x!";
            } else {
                ts[0] = VB, na = 1;
                exp = "https://example.org/x!";
            }
            impl = lh_scalar_find(fns[f], ts, na, ret);
            assert_non_null(impl);
            for (size_t k = 0; k < na; k++)
                v[k] = mkv(ts[k]);
            out = mkv(ret);
            for (r = 0; r < LH_BATCH; r++) {
                if (f == 1) {
                    assert_int_equal(lh_vector_set_str(v[0], r, "abc", 3, NULL, &e), LH_OK);
                    lh_vector_set_i64(v[1], r, 13);
                    assert_int_equal(lh_vector_set_str(v[2], r, "\xC3\xA9", 2, NULL, &e), LH_OK);
                } else {
                    for (size_t k = 0; k < na; k++)
                        assert_int_equal(lh_vector_set_str(v[k], r, "https://example.org/x!", 22, NULL, &e), LH_OK);
                }
            }
            if (f == 0) {
                lh_vector_set_const(v[1], 0);
                assert_int_equal(lh_vector_set_str(v[1], 0, "(https?://[^ !]+)", 17, NULL, &e), LH_OK);
                lh_vector_set_const(v[2], 0);
                assert_int_equal(lh_vector_set_str(v[2], 0, "<a href=\"$1\">$1</a>", 19, NULL, &e), LH_OK);
                consts[1] = v[1];
                consts[2] = v[2];
            }
            lh_arena_init(&ar, 0);
            memset(&call, 0, sizeof call);
            call.arg_types = ts;
            call.nargs = na;
            call.ret = ret;
            call.arena = &ar;
            lh_fault_alloc_set(n);
            rc = impl->init ? impl->init(&call, consts, &e) : LH_OK;
            if (!rc) {
                lh_rows rows = {NULL, LH_BATCH};
                rc = impl->eval(&call, v, out, rows, &e);
            }
            if (impl->done)
                impl->done(&call);
            lh_fault_alloc_set(0);
            if (rc) {
                if (rc != LH_ENOMEM)
                    fail_msg("%s, allocation %ld: %d %s", fns[f], n, rc, e.msg);
            } else {
                for (r = 0; r < LH_BATCH; r += 511) {
                    lh_str s = lh_vector_get_str(out, r);
                    assert_int_equal(lh_str_len(&s), strlen(exp));
                    assert_memory_equal(lh_str_ptr(&s), exp, strlen(exp));
                }
                ok = 1;
            }
            lh_arena_free(&ar);
            for (size_t k = 0; k < na; k++)
                lh_vector_free(v[k]);
            lh_vector_free(out);
        }
        if (!ok)
            fail_msg("%s never succeeded under the allocation walk", fns[f]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_length_case),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_substr),
        cmocka_unit_test(test_concat_replace_reverse),
        cmocka_unit_test(test_strpos_split),
        cmocka_unit_test(test_pad),
        cmocka_unit_test(test_arena_cap),
        cmocka_unit_test(test_misc),
        cmocka_unit_test(test_string_trino_cases),
        cmocka_unit_test(test_random_vs_reference),
        cmocka_unit_test(test_alloc_faults),
    };
    return cmocka_run_group_tests(tests, setup_types, NULL);
}
