/* tests/unit/test_json.c — the strict JSON scanner: JSONTestSuite, key
 * matching, spans, unescape/quote/put_double, error columns, throughput. */
#include "testutil.h"

#include <dirent.h>
#include <math.h>
#include <time.h>

#include "formats/json.h"

/* nst/JSONTestSuite's test_parsing/ (LAKEHOUSE_TEST_DATA/corpora/JSONTestSuite/test_parsing; testutil.h) */
#define SUITE lh_test_data_root("jsontestsuite")

static char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long sz;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (sz = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)sz + 1);
        if (buf && fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
            free(buf);
            buf = NULL;
        }
        *n = (size_t)sz;
    }
    fclose(f);
    return buf;
}

static void test_json_test_suite(void **state)
{
    DIR *d;
    struct dirent *e;
    int ny = 0, nn = 0, ni = 0, ni_ok = 0, bad = 0;
    LH_TEST_NEED("jsontestsuite", NULL);
    d = opendir(SUITE);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        char path[1024];
        char *buf;
        size_t n = 0;
        lh_err err;
        lh_rc rc;
        char kind = e->d_name[0];
        if ((kind != 'y' && kind != 'n' && kind != 'i') || e->d_name[1] != '_')
            continue;
        snprintf(path, sizeof path, "%s/%s", SUITE, e->d_name);
        buf = read_all(path, &n);
        assert_non_null(buf);
        lh_err_clear(&err);
        rc = lh_json_validate(buf, n, &err);
        if (kind == 'y') {
            ny++;
            if (rc != LH_OK) {
                printf("  should accept %s: %s\n", e->d_name, err.msg);
                bad++;
            }
        } else if (kind == 'n') {
            nn++;
            if (rc != LH_EPARSE) {
                printf("  should reject %s\n", e->d_name);
                bad++;
            } else if (strncmp(err.msg, "column ", 7) != 0) {
                printf("  message without column for %s: %s\n", e->d_name, err.msg);
                bad++;
            }
        } else {
            ni++;
            ni_ok += rc == LH_OK;
        }
        free(buf);
    }
    closedir(d);
    printf("JSONTestSuite: %d y_ accepted, %d n_ rejected, %d i_ run (%d accepted, %d rejected)\n", ny, nn, ni, ni_ok,
           ni - ni_ok);
    assert_true(ny > 0);
    assert_true(nn > 0);
    assert_true(ni > 0);
    assert_int_equal(bad, 0);
}

static lh_rc v(const char *s, lh_err *err) { return lh_json_validate(s, strlen(s), err); }

static void test_strict_rejects(void **state)
{
    static const char *bad[] = {
        "[1,]", "{\"a\":1,}", "[01]", "[+1]", "[.5]", "[1.]", "[NaN]", "[Infinity]", "['a']", "[1]//c",
        "/*c*/[1]", "\"a\tb\"", "\"\\x41\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\ud800x\"",
        "\"\xc0\x80\"", "\"\xe0\x80\x80\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", "\"\xc3\"", "\"\xe2\x82\"",
        "\"\xf5\x80\x80\x80\"", "\"\xff\"", "\"\x80\"", "\xef\xbb\xbf{}", "[1]\x0c", "\x0b[1]", "", "  ",
        "{\"a\" 1}", "{a:1}", "[1 2]", "tru", "nulll", "-", "1e", "1e+", "--1", "[1", "{", "\"abc",
    };
    static const char *good[] = {
        "[1, -0, 0.5e10, 1E-2, 1e+2]", " {\"a\" : [true, false, null], \"b\":{}} ", "\"\\ud83d\\ude00\"",
        "\"\xf0\x9f\x98\x80 \xc3\xa9 \xe2\x82\xac \xf4\x8f\xbf\xbf\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\"", "0",
        "-0.0", "\t\r\n[]\t\r\n", "\"\x7f\"",
    };
    size_t i;
    lh_err err;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lh_rc rc = v(bad[i], &err);
        if (rc != LH_EPARSE)
            printf("accepted bad input #%zu: %s\n", i, bad[i]);
        assert_int_equal(rc, LH_EPARSE);
    }
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        lh_rc rc = v(good[i], &err);
        if (rc != LH_OK)
            printf("rejected good input #%zu: %s: %s\n", i, good[i], err.msg);
        assert_int_equal(rc, LH_OK);
    }
}

static void test_error_messages(void **state)
{
    lh_err err;
    assert_int_equal(v("{\"a\" 1}", &err), LH_EPARSE);
    assert_string_equal(err.msg, "column 6: expected ':' after object key");
    assert_int_equal(v("[1,]", &err), LH_EPARSE);
    assert_non_null(strstr(err.msg, "column 4: expected a value"));
    assert_non_null(strstr(err.msg, "trailing commas"));
    assert_int_equal(v("[01]", &err), LH_EPARSE);
    assert_string_equal(err.msg, "column 3: leading zeros are not allowed in numbers");
    assert_int_equal(v("\"ab\xc0\xaf\"", &err), LH_EPARSE);
    assert_non_null(strstr(err.msg, "column 4: invalid UTF-8"));
    assert_int_equal(v("  \"x\\ud800\"", &err), LH_EPARSE);
    assert_non_null(strstr(err.msg, "column 5: lone high surrogate \\uD800"));
    assert_int_equal(v("[1] x", &err), LH_EPARSE);
    assert_string_equal(err.msg, "column 5: unexpected text after the JSON value");
    assert_int_equal(v("[1", &err), LH_EPARSE);
    assert_string_equal(err.msg, "column 3: expected ',' or ']' after array element");
    assert_int_equal(v("\"a\nb\"", &err), LH_EPARSE);
    assert_non_null(strstr(err.msg, "column 3: control character 0x0a"));
    /* A NULL err is allowed. */
    assert_int_equal(v("[", NULL), LH_EPARSE);
}

static void test_depth_limit(void **state)
{
    size_t depth = 100000, i;
    char *s = malloc(2 * depth + 1);
    lh_err err;
    assert_non_null(s);
    for (i = 0; i < LH_JSON_MAX_DEPTH; i++) {
        s[i] = '[';
        s[LH_JSON_MAX_DEPTH + i] = ']';
    }
    assert_int_equal(lh_json_validate(s, 2 * LH_JSON_MAX_DEPTH, &err), LH_OK);
    for (i = 0; i <= LH_JSON_MAX_DEPTH; i++) {
        s[i] = '[';
        s[LH_JSON_MAX_DEPTH + 1 + i] = ']';
    }
    assert_int_equal(lh_json_validate(s, 2 * (LH_JSON_MAX_DEPTH + 1), &err), LH_EPARSE);
    assert_non_null(strstr(err.msg, "nesting deeper than 512"));
    for (i = 0; i < depth; i++)
        s[i] = i % 2 ? '[' : '{';
    assert_int_equal(lh_json_validate(s, depth, &err), LH_EPARSE);
    free(s);
}

/* ---- scan_object ---- */

static lh_rc scan(const lh_json_keys *k, const char *s, lh_json_span *out, lh_err *err)
{
    return lh_json_scan_object(s, strlen(s), k, out, err);
}

static int span_is(const lh_json_span *sp, lh_json_kind kind, const char *text)
{
    return sp->kind == kind && sp->n == strlen(text) && memcmp(sp->p, text, sp->n) == 0;
}

static void test_scan_basic(void **state)
{
    const char *names[] = {"customerName", "email", "age", "missing", "nested", "list", "flag", "nothing"};
    lh_json_keys *k = NULL;
    lh_json_span out[8];
    lh_err err;
    const char *line = " {\"CUSTOMERNAME\": \"Ann Lee\", \"Email\":\"a@b.c\",\"age\" : -12.5e3, \"nested\": {\"x\": [1, "
                       "{\"y\": null}], \"z\": \"}\"}, \"list\":[ ], \"flag\":true, \"nothing\":null, \"other\":[1,2]} ";
    assert_int_equal(lh_json_keys_new(names, 8, 1, &k, &err), LH_OK);
    assert_int_equal(scan(k, line, out, &err), LH_OK);
    assert_true(span_is(&out[0], LH_J_STRING, "Ann Lee"));
    assert_int_equal(out[0].has_escapes, 0);
    assert_true(span_is(&out[1], LH_J_STRING, "a@b.c"));
    assert_true(span_is(&out[2], LH_J_NUMBER, "-12.5e3"));
    assert_int_equal(out[3].kind, LH_J_ABSENT);
    assert_true(span_is(&out[4], LH_J_OBJECT, "{\"x\": [1, {\"y\": null}], \"z\": \"}\"}"));
    assert_true(span_is(&out[5], LH_J_ARRAY, "[ ]"));
    assert_true(span_is(&out[6], LH_J_TRUE, "true"));
    assert_true(span_is(&out[7], LH_J_NULL, "null"));
    /* Spans point into the input. */
    assert_true(out[0].p > line && out[0].p < line + strlen(line));
    lh_json_keys_free(k);

    /* Case-sensitive set: "CUSTOMERNAME" and "Email" no longer match. */
    assert_int_equal(lh_json_keys_new(names, 8, 0, &k, &err), LH_OK);
    assert_int_equal(scan(k, line, out, &err), LH_OK);
    assert_int_equal(out[0].kind, LH_J_ABSENT);
    assert_int_equal(out[1].kind, LH_J_ABSENT);
    assert_true(span_is(&out[2], LH_J_NUMBER, "-12.5e3"));
    lh_json_keys_free(k);
}

static void test_scan_duplicates_and_escaped_keys(void **state)
{
    const char *names[] = {"a", "b\"c", "caf\xc3\xa9", "a"};
    lh_json_keys *k = NULL;
    lh_json_span out[4];
    lh_err err;
    assert_int_equal(lh_json_keys_new(names, 4, 1, &k, &err), LH_OK);
    assert_int_equal(scan(k, "{\"a\":1,\"A\":2,\"b\\\"c\":\"x\\ny\",\"caf\\u00e9\":3,\"\\u0061\":4}", out, &err), LH_OK);
    assert_true(span_is(&out[0], LH_J_NUMBER, "4")); /* last wins, escaped key decoded */
    assert_true(span_is(&out[3], LH_J_NUMBER, "4")); /* two columns may want the same key */
    assert_true(span_is(&out[1], LH_J_STRING, "x\\ny"));
    assert_int_equal(out[1].has_escapes, 1);
    assert_true(span_is(&out[2], LH_J_NUMBER, "3"));
    /* An escaped key much longer than any wanted key does not match. */
    assert_int_equal(scan(k, "{\"\\u0061\\u0061\\u0061\\u0061\\u0061\\u0061\":1}", out, &err), LH_OK);
    assert_int_equal(out[0].kind, LH_J_ABSENT);
    lh_json_keys_free(k);
}

static void test_scan_errors(void **state)
{
    const char *names[] = {"a"};
    lh_json_keys *k = NULL;
    lh_json_span out[1];
    lh_err err;
    assert_int_equal(lh_json_keys_new(names, 1, 1, &k, &err), LH_OK);
    assert_int_equal(scan(k, "[1,2]", out, &err), LH_EPARSE);
    assert_string_equal(err.msg, "column 1: expected a JSON object, got an array");
    assert_int_equal(scan(k, "  42", out, &err), LH_EPARSE);
    assert_string_equal(err.msg, "column 3: expected a JSON object, got a number");
    assert_int_equal(scan(k, "{\"a\":1,}", out, &err), LH_EPARSE);
    assert_non_null(strstr(err.msg, "column 8: expected '\"' to start an object key"));
    assert_int_equal(scan(k, "{\"a\":1 \"b\":2}", out, &err), LH_EPARSE);
    assert_string_equal(err.msg, "column 8: expected ',' or '}' after object member");
    assert_int_equal(scan(k, "{\"a\":1}{}", out, &err), LH_EPARSE);
    assert_string_equal(err.msg, "column 8: unexpected text after the JSON object");
    assert_int_equal(scan(k, "{\"x\":[1,{\"y\":[}]}", out, &err), LH_EPARSE);
    assert_int_equal(scan(k, "{\"x\":\"\\ud83d\"}", out, &err), LH_EPARSE);
    assert_non_null(strstr(err.msg, "lone high surrogate"));
    assert_int_equal(scan(k, "{\"a\":01}", out, &err), LH_EPARSE);
    assert_int_equal(scan(k, "{\"a\":1", out, &err), LH_EPARSE);
    assert_int_equal(scan(k, "", out, &err), LH_EPARSE);
    /* Never reads past the range: the byte after it would close the object. */
    assert_int_equal(lh_json_scan_object("{\"a\":1}", 6, k, out, &err), LH_EPARSE);
    assert_int_equal(lh_json_scan_object("{\"a\":\"xyz\"}", 8, k, out, &err), LH_EPARSE);
    assert_int_equal(scan(k, "{}", out, &err), LH_OK);
    assert_int_equal(out[0].kind, LH_J_ABSENT);
    lh_json_keys_free(k);
}

/* ---- unescape / quote / put_double ---- */

static void test_unescape(void **state)
{
    const char *names[] = {"s"};
    lh_json_keys *k = NULL;
    lh_json_span out[1], bad;
    lh_buf b;
    lh_err err;
    lh_buf_init(&b, 0);
    assert_int_equal(lh_json_keys_new(names, 1, 1, &k, &err), LH_OK);
    assert_int_equal(scan(k, "{\"s\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20ac\\ud83d\\ude00z\"}", out, &err),
                     LH_OK);
    assert_int_equal(lh_json_unescape(&out[0], &b, &err), LH_OK);
    assert_int_equal(b.len, 23);
    assert_memory_equal(b.data, "a\"b\\c/d\b\f\n\r\tA\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z", 23);
    lh_buf_reset(&b);
    assert_int_equal(scan(k, "{\"s\":\"\\ud83d\\ude00\"}", out, &err), LH_OK);
    assert_int_equal(lh_json_unescape(&out[0], &b, &err), LH_OK);
    assert_int_equal(b.len, 4);
    assert_memory_equal(b.data, "\xf0\x9f\x98\x80", 4);
    lh_buf_reset(&b);
    /* Plain strings are copied; unescape appends. */
    assert_int_equal(scan(k, "{\"s\":\"plain \xc3\xa9\"}", out, &err), LH_OK);
    assert_int_equal(lh_json_unescape(&out[0], &b, &err), LH_OK);
    assert_int_equal(lh_json_unescape(&out[0], &b, &err), LH_OK);
    assert_string_equal(lh_buf_cstr(&b), "plain \xc3\xa9plain \xc3\xa9");
    /* A hand-made span with an invalid surrogate is rejected by unescape too. */
    bad.kind = LH_J_STRING;
    bad.has_escapes = 1;
    bad.p = "\\ude00\\ud83d";
    bad.n = strlen(bad.p);
    assert_int_equal(lh_json_unescape(&bad, &b, &err), LH_EPARSE);
    bad.p = "x\\ud83d";
    bad.n = strlen(bad.p);
    assert_int_equal(lh_json_unescape(&bad, &b, &err), LH_EPARSE);
    lh_buf_free(&b);
    lh_json_keys_free(k);
}

static void test_quote_round_trip(void **state)
{
    const char raw[] = "he said \"hi\"\\ \x01\x1f\n\t\r\b\f caf\xc3\xa9 \xf0\x9f\x98\x80 /";
    const char *names[] = {"k"};
    lh_json_keys *k = NULL;
    lh_json_span out[1];
    lh_buf q, u;
    lh_err err;
    lh_buf_init(&q, 0);
    lh_buf_init(&u, 0);
    assert_int_equal(lh_json_quote(&q, raw, sizeof raw - 1, &err), LH_OK);
    assert_non_null(strstr(q.data, "\\u0001\\u001f\\n\\t\\r\\b\\f"));
    assert_int_equal(lh_json_validate(q.data, q.len, &err), LH_OK);
    lh_buf_reset(&u);
    assert_int_equal(lh_buf_puts(&u, "{\"k\":", &err), LH_OK);
    assert_int_equal(lh_buf_append(&u, q.data, q.len, &err), LH_OK);
    assert_int_equal(lh_buf_putc(&u, '}', &err), LH_OK);
    lh_buf_reset(&q);
    assert_int_equal(lh_buf_append(&q, u.data, u.len, &err), LH_OK);
    lh_buf_reset(&u);
    assert_int_equal(lh_json_keys_new(names, 1, 0, &k, &err), LH_OK);
    assert_int_equal(lh_json_scan_object(q.data, q.len, k, out, &err), LH_OK);
    assert_int_equal(lh_json_unescape(&out[0], &u, &err), LH_OK);
    assert_int_equal(u.len, sizeof raw - 1);
    assert_memory_equal(u.data, raw, sizeof raw - 1);
    /* Empty string and embedded NUL. */
    lh_buf_reset(&q);
    assert_int_equal(lh_json_quote(&q, "a\0b", 3, &err), LH_OK);
    assert_string_equal(lh_buf_cstr(&q), "\"a\\u0000b\"");
    lh_buf_reset(&q);
    assert_int_equal(lh_json_quote(&q, "", 0, &err), LH_OK);
    assert_string_equal(lh_buf_cstr(&q), "\"\"");
    lh_json_keys_free(k);
    lh_buf_free(&q);
    lh_buf_free(&u);
}

static void check_double(double d, const char *want)
{
    lh_buf b;
    lh_err err;
    lh_buf_init(&b, 0);
    assert_int_equal(lh_json_put_double(&b, d, &err), LH_OK);
    if (strcmp(lh_buf_cstr(&b), want) != 0)
        printf("put_double(%.17g) = %s, want %s\n", d, b.data, want);
    assert_string_equal(b.data, want);
    if (isfinite(d)) {
        assert_int_equal(lh_json_validate(b.data, b.len, &err), LH_OK);
        assert_true(strtod(b.data, NULL) == d);
    }
    lh_buf_free(&b);
}

static void test_put_double(void **state)
{
    check_double(0.1, "0.1");
    check_double(1, "1.0");
    check_double(-1, "-1.0");
    check_double(1e300, "1e+300");
    check_double(-0.0, "-0.0");
    check_double(0.0, "0.0");
    check_double(5e-324, "5e-324");
    check_double(100, "100.0");
    check_double(1.5, "1.5");
    check_double(123.456, "123.456");
    check_double(0.001, "0.001");
    check_double(1e-7, "1e-7");
    check_double(1e21, "1e+21");
    check_double(1655564376361.0, "1655564376361.0");
    check_double(0.1 + 0.2, "0.30000000000000004");
    check_double(1.7976931348623157e308, "1.7976931348623157e+308");
    check_double(2.2250738585072014e-308, "2.2250738585072014e-308");
    check_double(-9.2, "-9.2");
    check_double(NAN, "null");
    check_double(INFINITY, "null");
    check_double(-INFINITY, "null");
}

static void test_keys_limits(void **state)
{
    char longkey[2000];
    const char *names[] = {longkey};
    lh_json_keys *k = NULL;
    lh_err err;
    memset(longkey, 'k', sizeof longkey - 1);
    longkey[sizeof longkey - 1] = 0;
    assert_int_equal(lh_json_keys_new(names, 1, 1, &k, &err), LH_ELIMIT);
    assert_null(k);
    assert_int_equal(lh_json_keys_new(NULL, 0, 1, &k, &err), LH_OK);
    assert_int_equal(lh_json_scan_object("{\"a\":[1]}", 9, k, NULL, &err), LH_OK);
    lh_json_keys_free(k);
    lh_json_keys_free(NULL);
}

static void test_alloc_failures(void **state)
{
    const char *names[] = {"a", "b", "c"};
    long n;
    int ok = 0;
    for (n = 1; n < 20 && !ok; n++) {
        lh_json_keys *k = NULL;
        lh_err err;
        lh_rc rc;
        lh_fault_alloc_set(n);
        rc = lh_json_keys_new(names, 3, 1, &k, &err);
        lh_fault_alloc_set(0);
        if (rc == LH_OK) {
            ok = 1;
            lh_json_keys_free(k);
        } else {
            assert_int_equal(rc, LH_ENOMEM);
            assert_null(k);
        }
    }
    assert_true(ok);
}

/* ---- throughput (printed, not asserted) ---- */

static void test_throughput(void **state)
{
    const char *names[] = {"customername", "email", "phone", "birthday", "serialnumber", "registrationdate",
                           "lastupdatedate", "sharewithresearchasofdate", "sharewithpublicasofdate",
                           "sharewithfriendsasofdate"};
    size_t target = 50u << 20, len = 0, lines = 0, cap = target + 4096, i;
    char *buf = malloc(cap);
    lh_json_keys *k = NULL;
    lh_json_span out[10];
    lh_err err;
    struct timespec t0, t1;
    double secs;
    size_t found = 0;
    assert_non_null(buf);
    while (len < target) {
        int n;
        unsigned long long ts = 1655564376361ULL + lines * 7919;
        if (lines % 2)
            n = snprintf(buf + len, cap - len,
                         "{\"customerName\": \"Santosh Clayton%zu\", \"email\": \"Santosh.Clayton@test.com\", \"phone\": "
                         "\"8015551212\", \"birthDay\": \"1900-01-01\", \"serialNumber\": "
                         "\"50f7b4f3-7af5-4b07-a421-7b902c8d2b7c\", \"registrationDate\": %llu, \"lastUpdateDate\": "
                         "%llu, \"shareWithResearchAsOfDate\": %llu, \"shareWithPublicAsOfDate\": %llu, "
                         "\"shareWithFriendsAsOfDate\": %llu}\n",
                         lines, ts, ts, ts, ts, ts);
        else
            n = snprintf(buf + len, cap - len,
                         "{\"customerName\": \"Ben Kh\\u00e2tib\", \"email\": \"Ben.Khatib@test.com\", \"phone\": "
                         "\"8015551212\", \"birthDay\": \"1399-01-01\", \"serialNumber\": "
                         "\"20400202-c1da-4328-8e94-5bacc7d61ecb\", \"registrationDate\": %llu, \"lastUpdateDate\": "
                         "%llu, \"shareWithPublicAsOfDate\": %llu}\n",
                         ts, ts, ts);
        assert_true(n > 0 && (size_t)n < cap - len);
        len += (size_t)n;
        lines++;
    }
    assert_int_equal(lh_json_keys_new(names, 10, 1, &k, &err), LH_OK);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (i = 0; i < len;) {
        const char *nl = memchr(buf + i, '\n', len - i);
        size_t ln = (size_t)(nl - (buf + i));
        assert_int_equal(lh_json_scan_object(buf + i, ln, k, out, &err), LH_OK);
        found += out[7].kind != LH_J_ABSENT;
        i += ln + 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_int_equal(found, lines / 2);
    printf("scan_object throughput: %.1f MB in %.3f s = %.0f MB/s (%zu lines)\n", (double)len / 1e6, secs,
           (double)len / 1e6 / (secs > 0 ? secs : 1e-9), lines);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (i = 0; i < len;) {
        const char *nl = memchr(buf + i, '\n', len - i);
        size_t ln = (size_t)(nl - (buf + i));
        assert_int_equal(lh_json_validate(buf + i, ln, &err), LH_OK);
        i += ln + 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("validate throughput:    %.0f MB/s\n", (double)len / 1e6 / (secs > 0 ? secs : 1e-9));
    lh_json_keys_free(k);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_test_suite),
        cmocka_unit_test(test_strict_rejects),
        cmocka_unit_test(test_error_messages),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_scan_basic),
        cmocka_unit_test(test_scan_duplicates_and_escaped_keys),
        cmocka_unit_test(test_scan_errors),
        cmocka_unit_test(test_unescape),
        cmocka_unit_test(test_quote_round_trip),
        cmocka_unit_test(test_put_double),
        cmocka_unit_test(test_keys_limits),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_throughput),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
