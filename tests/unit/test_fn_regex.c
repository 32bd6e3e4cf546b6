/* Unit tests: functions/fn_regex.c (regexp_like, regexp_extract,
 * regexp_replace, regexp_count) through lh_scalar_find: Trino's examples
 * and Trino's own test cases, classes and Unicode, anchors, groups, the
 * replacement syntax, Java spellings rewritten or refused, invalid
 * patterns with their positions, runaway matches; batches with NULLs, a
 * selection, row-varying patterns (the one-entry cache), a dictionary
 * input and a constant NULL pattern. */
#include "fn_call.h"

/* ---- regular expressions ---- */

static void test_regex_docs(void **state)
{
    (void)state;
    /* Trino's regexp.md examples */
    INT(3, "regexp_count", BI, S("1a 2b 14m"), S("\\s*[a-z]+\\s*"));
    STR("1", "regexp_extract", VC, S("1a 2b 14m"), S("\\d+"));
    STR("a", "regexp_extract", VC, S("1a 2b 14m"), S("(\\d+)([a-z]+)"), I(2));
    INT(1, "regexp_like", BO, S("1a 2b 14m"), S("\\d+b"));
    STR("14m", "regexp_replace", VC, S("1a 2b 14m"), S("\\d+[ab] "));
    STR("3ca 3cb 14m", "regexp_replace", VC, S("1a 2b 14m"), S("(\\d+)([ab]) "), S("3c$2 "));
}

static void test_regex_classes(void **state)
{
    (void)state;
    STR("123", "regexp_extract", VC, S("ab123cd"), S("\\d+"));
    STR("ab_1", "regexp_extract", VC, S("  ab_1-x"), S("\\w+"));
    STR("x  y", "regexp_extract", VC, S("x  y"), S("x\\s+y"));
    /* \d \w \s \b and the POSIX classes are Unicode-aware, as joni's are in
     * Trino (Java's own defaults are ASCII) */
    INT(1, "regexp_like", BO, S("\xD9\xA3"), S("^\\d$"));     /* Arabic-Indic digit three */
    INT(1, "regexp_like", BO, S("\xC3\xA9"), S("^\\w$"));
    STR("na\xC3\xAFve", "regexp_extract", VC, S("a na\xC3\xAFve b"), S("\\bn\\w+\\b"));
    INT(1, "regexp_like", BO, S("a\xE3\x80\x80" "b"), S("a\\sb")); /* U+3000 */
    INT(0, "regexp_like", BO, S("\xC3\xA9"), S("\\W"));
    STR("\xC3\xA9t\xC3\xA9", "regexp_extract", VC, S("1\xC3\xA9t\xC3\xA9" "2"), S("[[:alpha:]]+"));
    STR("\xC3\xA9" "a", "regexp_extract", VC, S("1\xC3\xA9" "a1"), S("\\p{Alpha}+"));
    STR("\xCE\xA3", "regexp_extract", VC, S("a\xCE\xA3"), S("\\p{Upper}"));
    STR("1", "regexp_extract", VC, S("\xC3\xA9" "1"), S("[\\P{Alpha}]"));
    STR("F", "regexp_extract", VC, S("\xC3\xA9" "F"), S("\\p{XDigit}")); /* ASCII, also in Unicode mode */
    INT(1, "regexp_like", BO, S("\xC3\xA9"), S("\\p{L}"));  /* Unicode categories */
    INT(1, "regexp_like", BO, S("\xCE\xB1"), S("\\p{IsGreek}"));
    INT(1, "regexp_like", BO, S("\xCE\xB1"), S("\\p{Greek}"));
    INT(1, "regexp_like", BO, S("A"), S("\\p{IsLu}"));
    STR("abc", "regexp_extract", VC, S("abc1"), S("\\p{Alpha}+"));
    STR("1", "regexp_extract", VC, S("abc1"), S("\\P{Alpha}"));
    STR("12x3", "regexp_extract", VC, S("a12x3b"), S("[\\p{Digit}x]+"));
    STR("cd\xC3\xA9", "regexp_extract", VC, S("ABcd\xC3\xA9"), S("\\p{javaLowerCase}+"));
    STR("!?", "regexp_extract", VC, S("ab!?c"), S("\\p{Punct}+"));
    STR("abc", "regexp_extract", VC, S("1abc2"), S("[[:alpha:]]+"));
    STR("x", "regexp_extract", VC, S("1x2"), S("[^[:digit:]]"));
    STR("\xC3\xA9", "regexp_extract", VC, S("a\xC3\xA9"), S("\\u00e9"));
    STR("\xF0\x9D\x84\x9E", "regexp_extract", VC, S("a\xF0\x9D\x84\x9E"), S("\\x{1D11E}"));
    STR("A", "regexp_extract", VC, S("zA"), S("\\x41"));
    STR("A1", "regexp_extract", VC, S("zA1"), S("\\01011")); /* Java: \0mnn with m <= 3, then '1' */
    STR("/", "regexp_extract", VC, S("a/b"), S("\\057"));      /* \0nn when the first digit is over 3 */
    STR("\x01", "regexp_extract", VC, S("a\x01" "b"), S("\\01"));
    ERR("Unsupported regular expression 'a\\0': \\0 without an octal digit (Java: an error; PCRE2: NUL) is not "
        "supported at position 1",
        "regexp_like", BO, S("a"), S("a\\0"));
    STR("a\xE2\x82\xAC" "b", "regexp_extract", VC, S("xa\xE2\x82\xAC" "bx"), S("a.b")); /* . is a code point */
    INT(3, "regexp_count", BI, S("\xE2\x82\xAC\xF0\x9D\x84\x9E\xC3\xA9"), S("."));
    INT(1, "regexp_like", BO, S("\xC3\x89" "COLE"), S("(?i)\xC3\xA9" "cole")); /* Unicode-aware (?i) */
    INT(1, "regexp_like", BO, S("a.b"), S("\\Qa.b\\E"));
    INT(0, "regexp_like", BO, S("axb"), S("\\Qa.b\\E"));
    INT(0, "regexp_like", BO, S("aaa"), S("a++a"));   /* possessive */
    INT(0, "regexp_like", BO, S("aaa"), S("(?>a+)a")); /* atomic */
    STR("42", "regexp_extract", VC, S("price: $42"), S("(?<=\\$)\\d+"));
    STR("foo", "regexp_extract", VC, S("foobar"), S("foo(?=bar)"));
    INT(0, "regexp_like", BO, S("a\xFF" "b"), S("a.b")); /* an invalid byte matches nothing */
    INT(1, "regexp_like", BO, S("a\xFF" "b"), S("b"));
}

static void test_regex_anchors_groups(void **state)
{
    (void)state;
    INT(0, "regexp_like", BO, S("abc"), S("^b"));
    INT(1, "regexp_like", BO, S("abc"), S("^a"));
    INT(1, "regexp_like", BO, S("abc"), S("c$"));
    INT(1, "regexp_like", BO, S("ab\n"), S("b$")); /* before a final line terminator, as Java */
    INT(0, "regexp_like", BO, S("a\nb"), S("^b"));
    INT(1, "regexp_like", BO, S("a\nb"), S("(?m)^b"));
    INT(0, "regexp_like", BO, S("a\nb"), S("a.b"));
    INT(1, "regexp_like", BO, S("a\nb"), S("(?s)a.b"));
    INT(1, "regexp_like", BO, S(""), S(""));
    INT(1, "regexp_like", BO, S("abc"), S("\\Aabc\\z"));
    INT(1, "regexp_like", BO, S("hello world"), S("\\bworld\\b"));

    STR("1a", "regexp_extract", VC, S("1a 2b 14m"), S("(\\d+)([a-z]+)"), I(0));
    STR("14", "regexp_extract", VC, S("x 14m"), S("(\\d+)([a-z]+)"), I(1));
    ERR("Pattern has 2 groups. Cannot access group 3", "regexp_extract", VC, S("1a"), S("(\\d+)([a-z]+)"), I(3));
    ERR("Pattern has 0 groups. Cannot access group 1", "regexp_extract", VC, S("1a"), S("\\d"), I(1));
    ERR("Group cannot be negative", "regexp_extract", VC, S("1a"), S("(\\d+)"), I(-1));
    NUL("regexp_extract", VC, S("ab"), S("a(x)?b"), I(1)); /* the group took no part */
    STR("", "regexp_extract", VC, S("ab"), S("a(x?)b"), I(1));
    NUL("regexp_extract", VC, S("abc"), S("\\d"));
    NUL("regexp_extract", VC, NS, S("\\d"));
    NUL("regexp_extract", VC, S("a"), NS);
    NUL("regexp_extract", VC, S("a1"), S("(\\d)"), NI);
    STR("b", "regexp_extract", VC, S("ab"), S("(?<x>b)"), I(1));

    INT(4, "regexp_count", BI, S("abc"), S(""));
    INT(3, "regexp_count", BI, S("a\xE2\x82\xAC"), S(""));
    INT(0, "regexp_count", BI, S("abc"), S("x"));
    INT(2, "regexp_count", BI, S("aaaa"), S("aa"));
    INT(1, "regexp_count", BI, S(""), S("a*"));
    NUL("regexp_count", BI, NS, S("a"));
}

static void test_regex_replace(void **state)
{
    (void)state;
    STR("-a-b-c-", "regexp_replace", VC, S("abc"), S(""), S("-"));
    STR("-a-\xE2\x82\xAC-", "regexp_replace", VC, S("a\xE2\x82\xAC"), S(""), S("-"));
    STR("smith, john", "regexp_replace", VC, S("john smith"), S("(?<first>\\w+) (?<last>\\w+)"),
        S("${last}, ${first}"));
    STR("a$", "regexp_replace", VC, S("a1"), S("\\d"), S("\\$"));
    STR("atb", "regexp_replace", VC, S("a1b"), S("\\d"), S("\\t"));
    STR("a\\b", "regexp_replace", VC, S("a1b"), S("\\d"), S("\\\\"));
    STR("a2b", "regexp_replace", VC, S("ab"), S("(a)"), S("$12")); /* $1 then 2: only 1 group */
    STR("[ab]", "regexp_replace", VC, S("ab"), S(".+"), S("[$0]"));
    STR("Xb", "regexp_replace", VC, S("ab"), S("a(x)?"), S("X$1")); /* an unset group is empty */
    STR("abc", "regexp_replace", VC, S("abc"), S("x"), S("$")); /* no match: the replacement is not read */
    ERR("Illegal replacement sequence: x$", "regexp_replace", VC, S("abc"), S("b"), S("x$"));
    ERR("Illegal replacement sequence: $a", "regexp_replace", VC, S("abc"), S("b"), S("$a"));
    ERR("Illegal replacement sequence: x\\", "regexp_replace", VC, S("abc"), S("b"), S("x\\"));
    ERR("Illegal replacement sequence: unknown group 3", "regexp_replace", VC, S("abc"), S("(a)(b)"), S("$3"));
    ERR("Illegal replacement sequence: unknown group { nope }", "regexp_replace", VC, S("abc"), S("(?<x>b)"),
        S("${nope}"));
    STR("the c\xC3\xA4t s\xC3\xA4t on the m\xC3\xA4t", "regexp_replace", VC, S("the cat sat on the mat"), S("a"),
        S("\xC3\xA4"));
    STR("ac", "regexp_replace", VC, S("abc"), S("b"));
    NUL("regexp_replace", VC, S("abc"), S("b"), NS);
    NUL("regexp_replace", VC, NS, S("b"));
}

/* Cases from Trino's own regexp tests (AbstractTestRegexpFunctions), as
 * behaviour to match. */
static void test_regex_trino_cases(void **state)
{
    (void)state;
    INT(1, "regexp_like", BO, S("Stephen"), S("Ste(v|ph)en"));
    INT(1, "regexp_like", BO, S("Stevens"), S("Ste(v|ph)en"));
    INT(0, "regexp_like", BO, S("Stevens"), S("^Ste(v|ph)en$"));
    INT(1, "regexp_like", BO, S("hello\nworld"), S(".*hello\nworld.*"));
    INT(0, "regexp_like", BO, S("Hello"), S("^[a-z]+$"));
    INT(1, "regexp_like", BO, S("Hello"), S("^(?i)[a-z]+$"));
    INT(1, "regexp_like", BO, S("test"), S("test\\b"));
    {
        /* invalid UTF-8 both as subject and as pattern: no loop, no crash */
        res *r = run("regexp_like", BO, ARGS(S("AA\xED\xA0\x80" "AAAA\xED\xBF\xBF" "AAA"), S("AA\xED\xA0\x80" "AAAA")));
        assert_true(r->rc == LH_OK || r->rc == LH_EDATA);
        INT(2, "regexp_count", BI, S("AA\xED\xA0\x80" "AAAA\xED\xBF\xBF" "AAA"), S("AAA"));
        INT(12, "regexp_count", BI, S("AA\xED\xA0\x80" "AAAA\xED\xBF\xBF" "AAA"), S("")); /* a bad sequence is one step */
    }

    STR("YaYbYcY\xE6\x9C\x89Y\xE6\x9C\x8BY$Y%YXY\xE8\x87\xAAY9Y\xE8\xBF\x9CY\xE6\x96\xB9Y\xE6\x9D\xA5Y",
        "regexp_replace", VC, S("abc\xE6\x9C\x89\xE6\x9C\x8B$%X\xE8\x87\xAA" "9\xE8\xBF\x9C\xE6\x96\xB9\xE6\x9D\xA5"),
        S(""), S("Y"));
    STR("YYYY", "regexp_replace", VC, S("a\xE6\x9C\x89\xE6\x9C\x8B\xF0\x9F\x92\xB0"), S("."), S("Y"));
    STR("1a21\xE6\x9C\x89" "21\xE6\x9C\x8B" "21\xF0\x9F\x92\xB0" "2", "regexp_replace", VC,
        S("a\xE6\x9C\x89\xE6\x9C\x8B\xF0\x9F\x92\xB0"), S("."), S("1$02"));
    STR("Y", "regexp_replace", VC, S(""), S(""), S("Y"));
    STR(" .", "regexp_replace", VC, S("fun stuff."), S("[a-z]"));
    STR("*** *****.", "regexp_replace", VC, S("fun stuff."), S("[a-z]"), S("*"));
    STR("call  now", "regexp_replace", VC, S("call 555.123.4444 now"), S("(\\d{3})\\.(\\d{3}).(\\d{4})"));
    STR("call (555) 123-4444 now", "regexp_replace", VC, S("call 555.123.4444 now"),
        S("(\\d{3})\\.(\\d{3}).(\\d{4})"), S("($1) $2-$3"));
    STR("xxx xxx xxx", "regexp_replace", VC, S("xxx xxx xxx"), S("x"), S("\\x"));
    STR("yxyxyxy", "regexp_replace", VC, S("xxx"), S(""), S("y"));
    STR("xxx xxx xxx", "regexp_replace", VC, S("xxx xxx xxx"), S("x"), S("$0"));
    STR("xxx", "regexp_replace", VC, S("xxx"), S("(x)"), S("$01"));
    STR("x5x5x5", "regexp_replace", VC, S("xxx"), S("x"), S("$05"));
    STR("10", "regexp_replace", VC, S("123456789"), S("(1)(2)(3)(4)(5)(6)(7)(8)(9)"), S("$10"));
    STR("0", "regexp_replace", VC, S("1234567890"), S("(1)(2)(3)(4)(5)(6)(7)(8)(9)(0)"), S("$10"));
    STR("11", "regexp_replace", VC, S("1234567890"), S("(1)(2)(3)(4)(5)(6)(7)(8)(9)(0)"), S("$11"));
    STR("1a", "regexp_replace", VC, S("1234567890"), S("(1)(2)(3)(4)(5)(6)(7)(8)(9)(0)"), S("$1a"));
    ERR("Illegal replacement sequence: \\", "regexp_replace", VC, S("xxx"), S("x"), S("\\"));
    ERR("Illegal replacement sequence: unknown group 1", "regexp_replace", VC, S("xxx"), S("x"), S("$1"));
    ERR("Illegal replacement sequence: $", "regexp_replace", VC, S("xxx"), S("x"), S("$"));
    STR("wxxyyzz", "regexp_replace", VC, S("wxyz"), S("(?<xyz>[xyz])"), S("${xyz}${xyz}"));
    STR("[w]()[](x)[](y)[](z)", "regexp_replace", VC, S("wxyz"), S("(?<w>w)|(?<xyz>[xyz])"), S("[${w}](${xyz})"));
    STR("z", "regexp_replace", VC, S("xyz"), S("(?<xyz>[xyz])+"), S("${xyz}"));
    STR("xyz", "regexp_replace", VC, S("xyz"), S("(?<xyz>[xyz]+)"), S("${xyz}"));
    ERR("Illegal replacement sequence: unknown group {  }", "regexp_replace", VC, S("xxx"), S("(?<name>x)"), S("${}"));
    ERR("Illegal replacement sequence: unknown group { 0 }", "regexp_replace", VC, S("xxx"), S("(?<name>x)"),
        S("${0}"));
    ERR("Illegal replacement sequence: unknown group { nam }", "regexp_replace", VC, S("xxx"), S("(?<name>x)"),
        S("${nam}"));
    STR("xxxxxxxxxx", "regexp_replace", VC, S("x"), S(".*"), S("xxxxx"));

    STR("world", "regexp_extract", VC, S("Hello world bye"), S("\\b[a-z]([a-z]*)"));
    STR("orld", "regexp_extract", VC, S("Hello world bye"), S("\\b[a-z]([a-z]*)"), I(1));
    NUL("regexp_extract", VC, S("rat cat\nbat dog"), S("ra(.)|blah(.)(.)"), I(2));
    NUL("regexp_extract", VC, S("12345"), S("x"));
    NUL("regexp_extract", VC, S("Baby X"), S("by ([A-Z].*)\\b[a-z]"));
    ERR("Group cannot be negative", "regexp_extract", VC, S("Hello world bye"), S("\\b[a-z]([a-z]*)"), I(-1));
    ERR("Pattern has 1 groups. Cannot access group 2", "regexp_extract", VC, S("Hello world bye"),
        S("\\b[a-z]([a-z]*)"), I(2));

    INT(3, "regexp_count", BI, S("a.b:c;d"), S("[\\.:;]"));
    INT(1, "regexp_count", BI, S("a.b:c;d"), S("\\."));
    INT(2, "regexp_count", BI, S("a,b,c"), S(","));
    INT(3, "regexp_count", BI, S("a1b2c3d"), S("\\d"));
    INT(3, "regexp_count", BI, S("a1b2346c3d"), S("\\d+"));
    INT(2, "regexp_count", BI, S("Hello world bye"), S("\\b[a-z]([a-z]*)"));
    INT(1, "regexp_count", BI, S("rat cat\nbat dog"), S("ra(.)|blah(.)(.)"));
    INT(0, "regexp_count", BI, S("Baby X"), S("by ([A-Z].*)\\b[a-z]"));
    INT(3, "regexp_count", BI, S("rat cat bat dog"), S(".at"));
    INT(0, "regexp_count", BI, S(""), S("x"));
    INT(1, "regexp_count", BI, S(""), S(""));
    INT(2, "regexp_count", BI,
        S("\xE5\x90\x9B\xE5\xAD\x90\xE7\x9F\x9C\xE8\x80\x8C\xE4\xB8\x8D\xE4\xBA\x89\xEF\xBC\x8C\xE5\x85\x9A\xE8\x80\x8C"
          "\xE4\xB8\x8D\xE7\xBE\xA4"),
        S("\xE4\xB8\x8D"));
    INT(5, "regexp_count", BI, S("abcd"), S(""));
}

static void test_regex_errors(void **state)
{
    char *big = malloc(200001);
    (void)state;
    /* deep backtracking: the JIT's stack runs out, the interpreter finishes */
    assert_non_null(big);
    memset(big, 'a', 200000);
    big[200000] = 0;
    {
        arg a[2] = {{'S', big, 200000, 0}, S("(a|b)*c")};
        int_eq(__FILE__, __LINE__, run("regexp_like", BO, a, 2), 0);
        a[1] = S("^(a|b)*$");
        int_eq(__FILE__, __LINE__, run("regexp_like", BO, a, 2), 1);
        a[1] = S("(a|b)+");
        int_eq(__FILE__, __LINE__, run("regexp_count", BI, a, 2), 1);
    }
    {
        /* catastrophic backtracking ends in an error naming the pattern, not a hang */
        arg a[2] = {{'S', big, 41, 0}, S("^(a+)+$")};
        big[40] = '!';
        res *r = run("regexp_like", BO, a, 2);
        assert_int_equal(r->rc, LH_ELIMIT);
        assert_string_equal(r->err.msg, "Regular expression '^(a+)+$' failed: match limit exceeded");
    }
    free(big);
    ERR("Invalid regular expression '(ab': missing closing parenthesis at position 3", "regexp_like", BO, S("a"),
        S("(ab"));
    ERR("Invalid regular expression '\xE2\x82\xAC(': missing closing parenthesis at position 2", "regexp_like", BO,
        S("a"), S("\xE2\x82\xAC("));
    ERR("Invalid regular expression 'a{2,1}': numbers out of order in {} quantifier at position 5", "regexp_count",
        BI, S("a"), S("a{2,1}"));
    ERR("Invalid regular expression '\\p{InGreek}': unknown property after \\P or \\p at position 11",
        "regexp_like", BO, S("a"), S("\\p{InGreek}"));
    ERR("Unsupported regular expression '[a-z&&[^aeiou]]': a character class intersection (&&) is not supported at "
        "position 4",
        "regexp_like", BO, S("a"), S("[a-z&&[^aeiou]]"));
    ERR("Unsupported regular expression '\xC3\xA9[a[b]]': a nested character class ([a[b]], Java's union) is not "
        "supported at position 3",
        "regexp_like", BO, S("a"), S("\xC3\xA9[a[b]]"));
    ERR("Unsupported regular expression 'x(?iU)y': the (?U) flag is not supported at position 1", "regexp_like", BO,
        S("a"), S("x(?iU)y"));
    ERR("Unsupported regular expression '(?U:a)': the (?U) flag is not supported at position 0", "regexp_like", BO,
        S("a"), S("(?U:a)"));
    INT(1, "regexp_like", BO, S("a[b"), S("a[\\[]b")); /* an escaped [ in a class is fine */
    INT(1, "regexp_like", BO, S("U"), S("\\QU(?U)\\E|U"));
    ERR("Invalid regular expression '(?d)a': unrecognized character after (? or (?- at position 2", "regexp_like", BO,
        S("a"), S("(?d)a")); /* Trino: (?d) must not be used */
    {
        res *r = run("regexp_like", BO, ARGS(S("aab"), S("(?<=a{1,3})b")));
        assert_int_equal(r->rc, LH_EDATA);
        assert_non_null(strstr(r->err.msg, "lookbehind assertion is not fixed length"));
    }
    INT(1, "regexp_like", BO, S("ab"), S("(?<=a|bb)b"));   /* alternatives of different fixed lengths */
    INT(0, "regexp_like", BO, S("aaa"), S("a{1,3}+a"));   /* possessive interval */
    {
        res *r = run("regexp_like", BO, ARGS(S("a"), S("[a")));
        assert_int_equal(r->rc, LH_EDATA);
        assert_non_null(strstr(r->err.msg, "Invalid regular expression '[a': missing terminating ]"));
    }
}

/* Patterns that vary by row (the one-entry cache), over a batch with NULLs
 * and a selection, and a dictionary input flattened as the evaluator does. */

static void test_batches(void **state)
{
    static const char *pats[] = {"a+", "a+", "b", "b", "[", "a+"};
    lh_vector *s = mkv(VC), *p = mkv(VC), *g = mkv(BI), *out = mkv(VC), *ob = mkv(BO), *oi = mkv(BI);
    lh_vector *args[3];
    lh_sqltype ts[3] = {VC, VC, BI};
    const lh_scalar_impl *like, *ext, *up, *cnt;
    lh_fn_call call;
    lh_arena ar;
    lh_err e;
    uint16_t sel[LH_BATCH];
    lh_rows rows;
    uint32_t r, n = 0;
    char buf[64];
    (void)state;
    lh_arena_init(&ar, 0);
    like = lh_scalar_find("regexp_like", ts, 2, BO);
    ext = lh_scalar_find("regexp_extract", ts, 3, VC);
    up = lh_scalar_find("upper", ts, 1, VC);
    cnt = lh_scalar_find("length", ts, 1, BI);
    assert_non_null(like);
    assert_non_null(ext);
    assert_non_null(up);
    assert_non_null(cnt);

    /* row-varying patterns: rows 0..3 and 5 (row 4 has an invalid one) */
    for (r = 0; r < 6; r++) {
        assert_int_equal(lh_vector_set_str(s, r, "xaab", 4, &ar, &e), LH_OK);
        assert_int_equal(lh_vector_set_str(p, r, pats[r], strlen(pats[r]), &ar, &e), LH_OK);
    }
    args[0] = s;
    args[1] = p;
    memset(&call, 0, sizeof call);
    call.arg_types = ts;
    call.nargs = 2;
    call.ret = BO;
    call.arena = &ar;
    {
        lh_vector *consts[2] = {NULL, NULL};
        assert_int_equal(like->init(&call, consts, &e), LH_OK);
        sel[0] = 0, sel[1] = 1, sel[2] = 2, sel[3] = 3, sel[4] = 5;
        rows.sel = sel, rows.n = 5;
        assert_int_equal(like->eval(&call, args, ob, rows, &e), LH_OK);
        for (r = 0; r < 6; r++)
            if (r != 4)
                assert_int_equal(((uint8_t *)ob->data)[r], 1);
        rows.sel = NULL, rows.n = 6; /* now row 4 too: its pattern is invalid */
        assert_int_equal(like->eval(&call, args, ob, rows, &e), LH_EDATA);
        assert_non_null(strstr(e.msg, "Invalid regular expression '['"));
        like->done(&call);
    }

    /* 2048 rows, NULL every 7th, selection of every 3rd row, constant pattern and group */
    lh_vector_reset(s);
    lh_vector_reset(p);
    for (r = 0; r < LH_BATCH; r++) {
        int l = snprintf(buf, sizeof buf, "row-%u-\xC3\xA9t\xC3\xA9-%u", r, r * 7);
        if (r % 7 == 3)
            lh_vector_set_null(s, r);
        else
            assert_int_equal(lh_vector_set_str(s, r, buf, (size_t)l, &ar, &e), LH_OK);
        if (r % 3 == 0)
            sel[n++] = (uint16_t)r;
    }
    lh_vector_set_const(p, 0);
    assert_int_equal(lh_vector_set_str(p, 0, "-(\\d+)$", 7, &ar, &e), LH_OK);
    lh_vector_set_const(g, 0);
    lh_vector_set_i64(g, 0, 1);
    args[2] = g;
    call.nargs = 3;
    call.ret = VC;
    {
        lh_vector *consts[3] = {NULL, p, g};
        assert_int_equal(ext->init(&call, consts, &e), LH_OK);
        rows.sel = sel, rows.n = n;
        assert_int_equal(ext->eval(&call, args, out, rows, &e), LH_OK);
        ext->done(&call);
        assert_null(call.state);
    }
    for (uint32_t k = 0; k < n; k++) {
        r = sel[k];
        if (r % 7 == 3) {
            assert_false(lh_vector_is_valid(out, r));
        } else {
            lh_str v = lh_vector_get_str(out, r);
            int l = snprintf(buf, sizeof buf, "%u", r * 7);
            assert_true(lh_vector_is_valid(out, r));
            assert_int_equal(lh_str_len(&v), l);
            assert_memory_equal(lh_str_ptr(&v), buf, (size_t)l);
        }
    }

    /* a dictionary input, flattened first (as the evaluator does) */
    {
        lh_vector *d = mkv(VC), *dict = NULL;
        static const char *words[] = {"\xC3\xA9l\xC3\xA8ve", "stra\xC3\x9F" "e", "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0"};
        static const char *upper[] = {"\xC3\x89L\xC3\x88VE", "STRA\xC3\x9F" "E", "\xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90"};
        assert_int_equal(lh_vector_set_dict(d, 3, &dict, &e), LH_OK);
        for (r = 0; r < 3; r++)
            assert_int_equal(lh_vector_set_str(dict, r, words[r], strlen(words[r]), &ar, &e), LH_OK);
        for (r = 0; r < 100; r++)
            d->dict_idx[r] = (uint16_t)(r % 3);
        lh_vector_set_null(d, 50);
        lh_vector_flatten(d, 100);
        args[0] = d;
        memset(&call, 0, sizeof call);
        call.arg_types = ts;
        call.nargs = 1;
        call.ret = VC;
        call.arena = &ar;
        rows.sel = NULL, rows.n = 100;
        assert_int_equal(up->eval(&call, args, out, rows, &e), LH_OK);
        call.ret = BI;
        assert_int_equal(cnt->eval(&call, args, oi, rows, &e), LH_OK);
        for (r = 0; r < 100; r++) {
            if (r == 50) {
                assert_false(lh_vector_is_valid(out, r));
                assert_false(lh_vector_is_valid(oi, r));
                continue;
            }
            lh_str v = lh_vector_get_str(out, r);
            assert_int_equal(lh_str_len(&v), strlen(upper[r % 3]));
            assert_memory_equal(lh_str_ptr(&v), upper[r % 3], strlen(upper[r % 3]));
            assert_int_equal(lh_vector_get_i64(oi, r), r % 3 == 2 ? 6 : r % 3 == 1 ? 6 : 5);
        }
        lh_vector_free(d);
    }

    /* a constant NULL pattern: every row NULL, nothing compiled */
    {
        lh_vector *np = mkv(VC), *consts[2] = {NULL, NULL};
        lh_vector_set_const(np, 1);
        consts[1] = np;
        args[0] = s;
        args[1] = np;
        memset(&call, 0, sizeof call);
        call.arg_types = ts;
        call.nargs = 2;
        call.ret = BO;
        call.arena = &ar;
        assert_int_equal(like->init(&call, consts, &e), LH_OK);
        rows.sel = NULL, rows.n = 10;
        assert_int_equal(like->eval(&call, args, ob, rows, &e), LH_OK);
        for (r = 0; r < 10; r++)
            assert_false(lh_vector_is_valid(ob, r));
        like->done(&call);
        lh_vector_free(np);
    }
    lh_vector_free(s);
    lh_vector_free(p);
    lh_vector_free(g);
    lh_vector_free(out);
    lh_vector_free(ob);
    lh_vector_free(oi);
    lh_arena_free(&ar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regex_docs),
        cmocka_unit_test(test_regex_classes),
        cmocka_unit_test(test_regex_anchors_groups),
        cmocka_unit_test(test_regex_replace),
        cmocka_unit_test(test_regex_trino_cases),
        cmocka_unit_test(test_regex_errors),
        cmocka_unit_test(test_batches),
    };
    return cmocka_run_group_tests(tests, setup_types, NULL);
}
