/* tests/unit/test_jsonl.c — JSON-lines reader/writer over a temporary
 * local store, plus the real STEDI customer landing file. */
#include "testutil.h"

#include <math.h>
#include <pthread.h>

#include "formats/json.h"
#include "formats/jsonl.h"
#include "store/store.h"
#include "util/threads.h"

typedef struct fixture {
    char *dir;
    lh_store *store;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    lh_err err;
    if (!f)
        return -1;
    f->dir = lh_test_tmpdir();
    if (!f->dir || lh_store_open_local(f->dir, &f->store, &err) != LH_OK) {
        free(f->dir);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    lh_store_close(f->store);
    lh_test_rmrf(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static void put(fixture *f, const char *uri, const char *text, size_t n)
{
    lh_err err;
    if (lh_store_put(f->store, uri, text, n, &err) != LH_OK)
        fail_msg("put %s: %s", uri, err.msg);
}

static void puts_obj(fixture *f, const char *uri, const char *text) { put(f, uri, text, strlen(text)); }

/* A column list from "name:type" strings. */
static lh_jsonl_col *make_cols(const char *const *spec, size_t n)
{
    lh_jsonl_col *c = calloc(n, sizeof *c);
    size_t i;
    assert_non_null(c);
    for (i = 0; i < n; i++) {
        const char *colon = strchr(spec[i], ':');
        lh_err err;
        assert_non_null(colon);
        c[i].name = strndup(spec[i], (size_t)(colon - spec[i]));
        assert_int_equal(lh_type_parse(colon + 1, strlen(colon + 1), &c[i].type, &err), LH_OK);
    }
    return c;
}

static void free_cols(lh_jsonl_col *c, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        free((char *)c[i].name);
    free(c);
}

/* Render the current row as "v1|v2|..." with N for NULL, i:, d:, s: prefixes. */
static lh_rc row_str(lh_jsonl_reader *r, size_t ncols, char *out, size_t outsz, lh_err *err)
{
    size_t i, o = 0;
    out[0] = 0;
    for (i = 0; i < ncols; i++) {
        lh_value v;
        lh_rc rc = lh_jsonl_reader_value(r, i, &v, err);
        int k;
        if (rc)
            return rc;
        if (v.t == LH_V_NULL)
            k = snprintf(out + o, outsz - o, "%sN", i ? "|" : "");
        else if (v.t == LH_V_INT)
            k = snprintf(out + o, outsz - o, "%si:%lld", i ? "|" : "", (long long)v.i);
        else if (v.t == LH_V_REAL)
            k = snprintf(out + o, outsz - o, "%sd:%.17g", i ? "|" : "", v.d);
        else
            k = snprintf(out + o, outsz - o, "%ss:%.*s", i ? "|" : "", (int)v.n, v.s);
        assert_true(k >= 0 && (size_t)k < outsz - o);
        o += (size_t)k;
    }
    return LH_OK;
}

/* Read everything; rows joined with '\n' into out.  Returns the first error. */
static lh_rc read_rows(fixture *f, const char *const *uris, size_t nuris, const char *const *spec, size_t ncols,
                       const lh_jsonl_opts *opts, char *out, size_t outsz, lh_jsonl_stats *stats, lh_err *err)
{
    lh_jsonl_col *cols = make_cols(spec, ncols);
    lh_jsonl_reader *r = NULL;
    lh_rc rc;
    size_t o = 0;
    out[0] = 0;
    rc = lh_jsonl_reader_open(f->store, uris, nuris, cols, ncols, opts, &r, err);
    free_cols(cols, ncols); /* the reader copied them */
    if (rc)
        return rc;
    for (;;) {
        int eof = 0;
        rc = lh_jsonl_reader_next(r, &eof, err);
        if (rc || eof)
            break;
        rc = row_str(r, ncols, out + o, outsz - o, err);
        if (rc)
            break;
        o += strlen(out + o);
        assert_true(o + 1 < outsz);
        out[o++] = '\n';
        out[o] = 0;
    }
    if (stats)
        *stats = *lh_jsonl_reader_stats(r);
    lh_jsonl_reader_close(r);
    return rc;
}

static lh_rc read1(fixture *f, const char *uri, const char *const *spec, size_t ncols, const lh_jsonl_opts *opts,
                   char *out, size_t outsz, lh_err *err)
{
    return read_rows(f, &uri, 1, spec, ncols, opts, out, outsz, NULL, err);
}

#define OUTSZ 8192

static void test_keys_and_nulls(void **state)
{
    fixture *f = *state;
    const char *spec[] = {"customername:string", "Email:string", "age:int", "gone:string"};
    char out[OUTSZ];
    lh_err err;
    lh_jsonl_opts cs = {0};
    puts_obj(f, "s3://bkt/t/k.json",
             "{\"customerName\":\"Ann\",\"EMAIL\":\"a@b\",\"age\":30}\n"
             "{\"CUSTOMERNAME\":null,\"age\":null,\"gone\":null}\n"
             "{}\n");
    assert_int_equal(read1(f, "s3://bkt/t/k.json", spec, 4, NULL, out, OUTSZ, &err), LH_OK);
    assert_string_equal(out, "s:Ann|s:a@b|i:30|N\nN|N|N|N\nN|N|N|N\n");
    cs.case_sensitive = 1;
    assert_int_equal(read1(f, "s3://bkt/t/k.json", spec, 4, &cs, out, OUTSZ, &err), LH_OK);
    assert_string_equal(out, "N|N|i:30|N\nN|N|N|N\nN|N|N|N\n");
}

static void test_string_conversions(void **state)
{
    fixture *f = *state;
    const char *spec[] = {"s:string", "v:varchar(3)", "c:char(2)"};
    char out[OUTSZ];
    lh_err err;
    puts_obj(f, "s3://bkt/s.json",
             "{\"s\":\"abc\",\"v\":\"abcdef\",\"c\":\"\xc3\xa9\xc3\xa8x\"}\n"
             "{\"s\":12.50,\"v\":true,\"c\":false}\n"
             "{\"s\":{\"a\": [1, 2]},\"v\":[1,2],\"c\":-1e5}\n"
             "{\"s\":\"\",\"v\":\"ab\",\"c\":\"\\u00e9\\u00e8\\u00ea\"}\n");
    assert_int_equal(read1(f, "s3://bkt/s.json", spec, 3, NULL, out, OUTSZ, &err), LH_OK);
    assert_string_equal(out, "s:abc|s:abc|s:\xc3\xa9\xc3\xa8\n"
                             "s:12.50|s:tru|s:fa\n"
                             "s:{\"a\": [1, 2]}|s:[1,|s:-1\n"
                             "s:|s:ab|s:\xc3\xa9\xc3\xa8\n");
}

static void test_integer_conversions(void **state)
{
    fixture *f = *state;
    const char *spec[] = {"t:tinyint", "s:smallint", "i:int", "b:bigint"};
    char out[OUTSZ];
    lh_err err;
    lh_jsonl_opts nfi = {0};
    puts_obj(f, "s3://bkt/i.json",
             "{\"t\":127,\"s\":32767,\"i\":2147483647,\"b\":9223372036854775807}\n"
             "{\"t\":-128,\"s\":-32768,\"i\":-2147483648,\"b\":-9223372036854775808}\n"
             "{\"t\":\"42\",\"s\":\" -7 \",\"i\":\"+5\",\"b\":\"1655564376361\"}\n"
             "{\"t\":0,\"s\":-0,\"i\":null,\"b\":\"\\u0031\\u0032\"}\n");
    assert_int_equal(read1(f, "s3://bkt/i.json", spec, 4, NULL, out, OUTSZ, &err), LH_OK);
    assert_string_equal(out, "i:127|i:32767|i:2147483647|i:9223372036854775807\n"
                             "i:-128|i:-32768|i:-2147483648|i:-9223372036854775808\n"
                             "i:42|i:-7|i:5|i:1655564376361\n"
                             "i:0|i:0|N|i:12\n");

    /* Out of range, fractions, exponents, words, booleans, objects. */
    puts_obj(f, "s3://bkt/bad.json",
             "{\"t\":128,\"s\":32768,\"i\":2147483648,\"b\":9223372036854775808}\n"
             "{\"t\":-129,\"s\":-32769,\"i\":-2147483649,\"b\":-9223372036854775809}\n"
             "{\"t\":1.5,\"s\":1e3,\"i\":true,\"b\":\"abc\"}\n"
             "{\"t\":\"\",\"s\":[1],\"i\":{},\"b\":1.0}\n");
    nfi.null_for_invalid = 1;
    assert_int_equal(read1(f, "s3://bkt/bad.json", spec, 4, &nfi, out, OUTSZ, &err), LH_OK);
    assert_string_equal(out, "N|N|N|N\nN|N|N|N\nN|N|N|N\nN|N|N|N\n");
    assert_int_equal(read1(f, "s3://bkt/bad.json", spec, 4, NULL, out, OUTSZ, &err), LH_EDATA);
    assert_string_equal(err.msg, "s3://bkt/bad.json:1: column 't': expected tinyint, got 128");
}

static void test_fraction_into_bigint(void **state)
{
    fixture *f = *state;
    const char *spec[] = {"id:bigint", "x:bigint"};
    char out[OUTSZ];
    lh_err err;
    lh_jsonl_opts nfi = {0};
    puts_obj(f, "s3://bkt/f.json", "{\"id\":1,\"x\":2}\n\n{\"id\":2,\"x\":2.5}\n{\"id\":3,\"x\":\"abc\"}\n");
    assert_int_equal(read1(f, "s3://bkt/f.json", spec, 2, NULL, out, OUTSZ, &err), LH_EDATA);
    assert_string_equal(err.msg, "s3://bkt/f.json:3: column 'x': expected bigint, got 2.5");
    nfi.null_for_invalid = 1;
    assert_int_equal(read1(f, "s3://bkt/f.json", spec, 2, &nfi, out, OUTSZ, &err), LH_OK);
    assert_string_equal(out, "i:1|i:2\ni:2|N\ni:3|N\n");
    /* The string's JSON text is shown, quotes included. */
    puts_obj(f, "s3://bkt/f.json", "{\"id\":3,\"x\":\"abc\"}\n");
    assert_int_equal(read1(f, "s3://bkt/f.json", spec, 2, NULL, out, OUTSZ, &err), LH_EDATA);
    assert_string_equal(err.msg, "s3://bkt/f.json:1: column 'x': expected bigint, got \"abc\"");
    /* Long values are cut to about 60 bytes. */
    puts_obj(f, "s3://bkt/f.json",
             "{\"x\":\"0123456789012345678901234567890123456789012345678901234567890123456789\"}\n");
    assert_int_equal(read1(f, "s3://bkt/f.json", spec, 2, NULL, out, OUTSZ, &err), LH_EDATA);
    assert_string_equal(err.msg, "s3://bkt/f.json:1: column 'x': expected bigint, got "
                                 "\"01234567890123456789012345678901234567890123456789012345678...");
}

static void test_real_bool_date_timestamp(void **state)
{
    fixture *f = *state;
    const char *spec[] = {"f:float", "d:double", "m:decimal(10,2)", "b:boolean", "dt:date", "ts:timestamp"};
    char out[OUTSZ];
    lh_err err;
    lh_jsonl_opts nfi = {0};
    puts_obj(f, "s3://bkt/r.json",
             "{\"f\":1.5,\"d\":-3e2,\"m\":12.25,\"b\":true,\"dt\":\"2022-06-18\",\"ts\":\"2022-06-18 14:59:36.361\"}\n"
             "{\"f\":\"2.25\",\"d\":\" 0.1 \",\"m\":\"7\",\"b\":false,\"dt\":\"1399-01-01\",\"ts\":1655564376361}\n"
             "{\"f\":0,\"d\":1E-2,\"m\":-0.5,\"b\":\"TRUE\",\"dt\":null,\"ts\":\"2022-06-18T14:59:36\"}\n"
             "{\"b\":\"False\",\"ts\":\"2022-06-18 14:59\"}\n");
    assert_int_equal(read1(f, "s3://bkt/r.json", spec, 6, NULL, out, OUTSZ, &err), LH_OK);
    assert_string_equal(out,
                        "d:1.5|d:-300|d:12.25|i:1|s:2022-06-18|s:2022-06-18 14:59:36.361\n"
                        "d:2.25|d:0.10000000000000001|d:7|i:0|s:1399-01-01|s:2022-06-18 14:59:36.361\n"
                        "d:0|d:0.01|d:-0.5|i:1|N|s:2022-06-18 14:59:36.000\n"
                        "N|N|N|i:0|N|s:2022-06-18 14:59:00.000\n");
    puts_obj(f, "s3://bkt/r2.json",
             "{\"f\":\"abc\",\"d\":\"nan\",\"m\":true,\"b\":1,\"dt\":\"2022-13-01\",\"ts\":\"yesterday\"}\n"
             "{\"f\":\"1e999\",\"d\":\"0x10\",\"m\":[1],\"b\":\"yes\",\"dt\":20220618,\"ts\":1.5}\n");
    nfi.null_for_invalid = 1;
    assert_int_equal(read1(f, "s3://bkt/r2.json", spec, 6, &nfi, out, OUTSZ, &err), LH_OK);
    assert_string_equal(out, "N|N|N|N|N|N\nN|N|N|N|N|N\n");
    assert_int_equal(read1(f, "s3://bkt/r2.json", spec, 6, NULL, out, OUTSZ, &err), LH_EDATA);
    assert_string_equal(err.msg, "s3://bkt/r2.json:1: column 'f': expected float, got \"abc\"");
}

/* decimal(p,s) as Hive's SerDe enforces it: rounded half away from zero
 * to the scale on the digits (not on a double), and a value with more
 * than p digits is invalid data naming file:line, the column, the value
 * and the largest value the type holds. */
static void test_decimal_range_and_rounding(void **state)
{
    fixture *f = *state;
    const char *spec[] = {"id:int", "price:decimal(5,2)"};
    char out[OUTSZ];
    lh_err err;
    lh_jsonl_opts nfi = {0};
    double d = 0;
    puts_obj(f, "s3://bkt/d.json",
             "{\"id\":1,\"price\":999.99}\n"
             "{\"id\":2,\"price\":1.005}\n"  /* 1.00499999... as a double */
             "{\"id\":3,\"price\":-2.675}\n" /* half away from zero */
             "{\"id\":4,\"price\":\" 12345e-2 \"}\n"
             "{\"id\":5,\"price\":0.004}\n"
             "{\"id\":6,\"price\":-0.004}\n"
             "{\"id\":7,\"price\":99.995}\n"
             "{\"id\":8,\"price\":1e-999999999999}\n");
    assert_int_equal(read1(f, "s3://bkt/d.json", spec, 2, NULL, out, OUTSZ, &err), LH_OK);
    assert_string_equal(out, "i:1|d:999.99000000000001\ni:2|d:1.01\ni:3|d:-2.6800000000000002\ni:4|d:123.45\n"
                             "i:5|d:0\ni:6|d:0\ni:7|d:100\ni:8|d:0\n");

    /* The value: 1.84e19 in decimal(5,2). */
    puts_obj(f, "s3://bkt/big.json", "{\"id\":1,\"price\":1.5}\n{\"id\":2,\"price\":18400000000000000000}\n");
    assert_int_equal(read1(f, "s3://bkt/big.json", spec, 2, NULL, out, OUTSZ, &err), LH_EDATA);
    assert_string_equal(err.msg, "s3://bkt/big.json:2: column 'price': 18400000000000000000 does not fit decimal(5,2) "
                                 "(at most 999.99)");
    /* Rounding that carries out of the precision, negatives, strings,
     * exponents, huge exponents: each out of range. */
    const char *bad[][2] = {
        {"999.995", "999.995 does not fit decimal(5,2) (at most 999.99)"},
        {"-1000", "-1000 does not fit decimal(5,2) (at least -999.99)"},
        {"\"1e3\"", "\"1e3\" does not fit decimal(5,2) (at most 999.99)"},
        {"1.84e19", "1.84e19 does not fit decimal(5,2) (at most 999.99)"},
        {"1e999999999999", "1e999999999999 does not fit decimal(5,2) (at most 999.99)"},
        {"123456e-2", "123456e-2 does not fit decimal(5,2) (at most 999.99)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char line[128], want[256];
        snprintf(line, sizeof line, "{\"price\":%s}\n", bad[i][0]);
        puts_obj(f, "s3://bkt/b.json", line);
        assert_int_equal(read1(f, "s3://bkt/b.json", spec, 2, NULL, out, OUTSZ, &err), LH_EDATA);
        snprintf(want, sizeof want, "s3://bkt/b.json:1: column 'price': %s", bad[i][1]);
        assert_string_equal(err.msg, want);
    }
    /* use.null.for.invalid.data: NULL, as Hive's SerDe gives. */
    nfi.null_for_invalid = 1;
    assert_int_equal(read1(f, "s3://bkt/big.json", spec, 2, &nfi, out, OUTSZ, &err), LH_OK);
    assert_string_equal(out, "i:1|d:1.5\ni:2|N\n");

    /* The helper on its own. */
    assert_int_equal(lh_decimal_fit("99999999999999999999999999999999999999", 38, 38, 0, &d), 0);
    assert_true(d == 1e38);
    assert_int_equal(lh_decimal_fit("999999999999999999999999999999999999999", 39, 38, 0, &d), 1);
    assert_int_equal(lh_decimal_fit("0.5", 3, 1, 0, &d), 0);
    assert_true(d == 1.0);
    assert_int_equal(lh_decimal_fit("0.49", 4, 1, 0, &d), 0);
    assert_true(d == 0.0);
    assert_int_equal(lh_decimal_fit("0.995", 5, 2, 2, &d), 1);
    assert_int_equal(lh_decimal_fit("0.994", 5, 2, 2, &d), 0);
    assert_true(d == 0.99);
    assert_int_equal(lh_decimal_fit(".5", 2, 3, 1, &d), 0);
    assert_int_equal(lh_decimal_fit("5.", 2, 3, 1, &d), 0);
    assert_true(d == 5.0);
    assert_int_equal(lh_decimal_fit("0000000000000000000000000000000000000000001.25", 46, 3, 2, &d), 0);
    assert_true(d == 1.25);
    assert_int_equal(lh_decimal_fit("abc", 3, 5, 2, &d), -1);
    assert_int_equal(lh_decimal_fit("1e", 2, 5, 2, &d), -1);
    assert_int_equal(lh_decimal_fit("-", 1, 5, 2, &d), -1);
    assert_int_equal(lh_decimal_fit("1", 1, 39, 0, &d), -1);
    {
        char m[48];
        lh_decimal_max_text(5, 2, m, sizeof m);
        assert_string_equal(m, "999.99");
        lh_decimal_max_text(2, 2, m, sizeof m);
        assert_string_equal(m, "0.99");
        lh_decimal_max_text(3, 0, m, sizeof m);
        assert_string_equal(m, "999");
    }
}

static void test_malformed(void **state)
{
    fixture *f = *state;
    const char *spec[] = {"a:int"};
    const char *uris[] = {"s3://bkt/m.json"};
    char out[OUTSZ];
    lh_err err;
    lh_jsonl_stats st;
    lh_jsonl_opts im = {0};
    puts_obj(f, "s3://bkt/m.json", "{\"a\":1}\n{\"a\":2}\n{\"a\":3,}\n[4]\n{\"a\":5}\n");
    assert_int_equal(read_rows(f, uris, 1, spec, 1, NULL, out, OUTSZ, &st, &err), LH_EPARSE);
    assert_string_equal(err.msg, "s3://bkt/m.json:3: column 8: expected '\"' to start an object key; trailing commas are "
                                 "not allowed; expected one JSON object per line");
    assert_string_equal(out, "i:1\ni:2\n");
    im.ignore_malformed = 1;
    assert_int_equal(read_rows(f, uris, 1, spec, 1, &im, out, OUTSZ, &st, &err), LH_OK);
    assert_string_equal(out, "i:1\ni:2\ni:5\n");
    assert_int_equal(st.malformed, 2);
    assert_int_equal(st.lines, 5);
    assert_int_equal(st.rows, 3);
    assert_string_equal(st.first_malformed,
                        "s3://bkt/m.json:3: column 8: expected '\"' to start an object key; trailing commas are not allowed");
}

static void test_line_handling(void **state)
{
    fixture *f = *state;
    const char *spec[] = {"a:string"};
    const char *uris[] = {"s3://bkt/e.json", "s3://bkt/n.json", "s3://bkt/c.json", "s3://bkt/bom.json"};
    const char *got_files[16];
    uint64_t got_lines[16];
    size_t n = 0;
    lh_jsonl_col *cols = make_cols(spec, 1);
    lh_jsonl_reader *r = NULL;
    lh_err err;
    puts_obj(f, "s3://bkt/e.json", "");
    puts_obj(f, "s3://bkt/n.json", "{\"a\":\"x\"}\n{\"a\":\"last\"}");
    puts_obj(f, "s3://bkt/c.json", "{\"a\":\"crlf\"}\r\n\r\n  \t \n{\"a\":\"b\"}\r\n");
    puts_obj(f, "s3://bkt/bom.json", "\xef\xbb\xbf{\"a\":\"bom\"}\n\xef\xbb\xbf{\"a\":1}\n");
    assert_int_equal(lh_jsonl_reader_open(f->store, uris, 3, cols, 1, NULL, &r, &err), LH_OK);
    assert_null(lh_jsonl_reader_file(r));
    for (;;) {
        int eof = 0;
        lh_value v;
        assert_int_equal(lh_jsonl_reader_next(r, &eof, &err), LH_OK);
        if (eof)
            break;
        assert_int_equal(lh_jsonl_reader_value(r, 0, &v, &err), LH_OK);
        got_files[n] = lh_jsonl_reader_file(r);
        got_lines[n] = lh_jsonl_reader_line(r);
        n++;
    }
    assert_int_equal(n, 4);
    assert_string_equal(got_files[0], "s3://bkt/n.json");
    assert_int_equal(got_lines[0], 1);
    assert_string_equal(got_files[1], "s3://bkt/n.json");
    assert_int_equal(got_lines[1], 2);
    assert_string_equal(got_files[2], "s3://bkt/c.json");
    assert_int_equal(got_lines[2], 1);
    assert_int_equal(got_lines[3], 4);
    assert_int_equal(lh_jsonl_reader_stats(r)->lines, 4);
    lh_jsonl_reader_close(r);
    free_cols(cols, 1);
    {
        char out[OUTSZ];
        lh_jsonl_stats st;
        assert_int_equal(read_rows(f, uris, 3, spec, 1, NULL, out, OUTSZ, &st, &err), LH_OK);
        assert_string_equal(out, "s:x\ns:last\ns:crlf\ns:b\n");
        /* A BOM is skipped only at the start of an object. */
        assert_int_equal(read_rows(f, uris + 3, 1, spec, 1, NULL, out, OUTSZ, &st, &err), LH_EPARSE);
        assert_non_null(strstr(err.msg, "s3://bkt/bom.json:2: column 1: "));
        assert_string_equal(out, "s:bom\n");
    }
}

static void test_utf8_and_escapes(void **state)
{
    fixture *f = *state;
    const char *spec[] = {"a:string", "b:string", "k\xc3\xa9y:string"};
    lh_jsonl_col *cols = make_cols(spec, 3);
    const char *uri = "s3://bkt/u.json";
    lh_jsonl_reader *r = NULL;
    lh_value a, b, c;
    int eof = 0;
    lh_err err;
    puts_obj(f, uri,
             "{\"a\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\",\"b\":\"\\ud83d\\ude00 \\\"q\\\" \\u00e9\\n\",\"K\xc3\xa9Y\":\"\\/\"}\n"
             "{\"a\":\"\\ud83d\"}\n");
    assert_int_equal(lh_jsonl_reader_open(f->store, &uri, 1, cols, 3, NULL, &r, &err), LH_OK);
    assert_int_equal(lh_jsonl_reader_next(r, &eof, &err), LH_OK);
    assert_int_equal(eof, 0);
    /* Several escaped values in one row stay valid together. */
    assert_int_equal(lh_jsonl_reader_value(r, 1, &b, &err), LH_OK);
    assert_int_equal(lh_jsonl_reader_value(r, 0, &a, &err), LH_OK);
    assert_int_equal(lh_jsonl_reader_value(r, 2, &c, &err), LH_OK);
    assert_int_equal(a.n, 10);
    assert_memory_equal(a.s, "caf\xc3\xa9 \xf0\x9f\x98\x80", 10);
    assert_int_equal(b.n, 12);
    assert_memory_equal(b.s, "\xf0\x9f\x98\x80 \"q\" \xc3\xa9\n", 12);
    assert_int_equal(c.n, 1);
    assert_memory_equal(c.s, "/", 1);
    assert_int_equal(lh_jsonl_reader_value(r, 3, &c, &err), LH_EINVAL);
    assert_int_equal(lh_jsonl_reader_next(r, &eof, &err), LH_EPARSE);
    assert_non_null(strstr(err.msg, "s3://bkt/u.json:2: column 7: lone high surrogate"));
    lh_jsonl_reader_close(r);
    free_cols(cols, 3);
}

static void test_chunk_boundaries(void **state)
{
    fixture *f = *state;
    const char *spec[] = {"id:int", "name:string"};
    const char *uri = "s3://bkt/chunks.json";
    char text[4096], want[4096], out[OUTSZ];
    size_t o = 0, w = 0, chunk;
    int i;
    lh_err err;
    for (i = 0; i < 40; i++) {
        int k = snprintf(text + o, sizeof text - o, "%s{\"id\":%d,\"name\":\"n%0*d\\u00e9\"}%s", i == 0 ? "\xef\xbb\xbf" : "",
                         i, i % 23 + 1, i, i % 3 ? "\n" : "\r\n\n");
        o += (size_t)k;
        w += (size_t)snprintf(want + w, sizeof want - w, "i:%d|s:n%0*d\xc3\xa9\n", i, i % 23 + 1, i);
    }
    put(f, uri, text, o - 1); /* the last line lacks its '\n' */
    for (chunk = 1; chunk <= 64; chunk = chunk < 8 ? chunk + 1 : chunk * 2) {
        lh_jsonl_opts opts = {0};
        opts.chunk = chunk;
        assert_int_equal(read1(f, uri, spec, 2, &opts, out, OUTSZ, &err), LH_OK);
        assert_string_equal(out, want);
    }
    {
        /* With chunk = 7, the error after the boundaries names the right line. */
        lh_jsonl_opts opts = {0};
        opts.chunk = 7;
        puts_obj(f, uri, "{\"id\":1,\"name\":\"a long enough line\"}\n\n{\"id\":2,\"name\":\"another long line\"}\n{\"id\":x}\n");
        assert_int_equal(read1(f, uri, spec, 2, &opts, out, OUTSZ, &err), LH_EPARSE);
        assert_non_null(strstr(err.msg, "s3://bkt/chunks.json:4: column 7: expected a value"));
        assert_string_equal(out, "i:1|s:a long enough line\ni:2|s:another long line\n");
    }
}

static void test_max_line(void **state)
{
    fixture *f = *state;
    const char *spec[] = {"a:string"};
    const char *uri = "s3://bkt/long.json";
    char out[OUTSZ];
    lh_err err;
    lh_jsonl_opts opts = {0};
    opts.max_line = 16;
    opts.chunk = 5;
    /* 16 bytes exactly is fine; 17 is not. */
    puts_obj(f, uri, "{\"a\":\"0123456\"}\r\n{\"a\":\"012345678\"}\n{\"a\":\"x\"}\n");
    assert_int_equal(read1(f, uri, spec, 1, &opts, out, OUTSZ, &err), LH_ELIMIT);
    assert_string_equal(err.msg, "s3://bkt/long.json:2: line longer than 16 bytes");
    assert_string_equal(out, "s:0123456\n");
    /* Also when the long line is the last and has no newline. */
    puts_obj(f, uri, "{\"a\":\"x\"}\n{\"a\":\"0123456789abcdef\"}");
    opts.chunk = 1000;
    assert_int_equal(read1(f, uri, spec, 1, &opts, out, OUTSZ, &err), LH_ELIMIT);
    assert_string_equal(err.msg, "s3://bkt/long.json:2: line longer than 16 bytes");
}

static void test_multiple_files(void **state)
{
    fixture *f = *state;
    const char *spec[] = {"v:int"};
    const char *uris[] = {"s3://bkt/p/2.json", "s3://bkt/p/1.json", "s3://bkt/p/3.json"};
    char out[OUTSZ];
    lh_err err;
    lh_jsonl_stats st;
    puts_obj(f, uris[0], "{\"v\":20}\n{\"v\":21}\n");
    puts_obj(f, uris[1], "{\"v\":10}\n");
    puts_obj(f, uris[2], "{\"v\":30}\n\n{\"v\":\"bad\"}\n");
    assert_int_equal(read_rows(f, uris, 3, spec, 1, NULL, out, OUTSZ, &st, &err), LH_EDATA);
    assert_string_equal(out, "i:20\ni:21\ni:10\ni:30\n");
    assert_string_equal(err.msg, "s3://bkt/p/3.json:3: column 'v': expected int, got \"bad\"");
    assert_int_equal(read_rows(f, uris, 2, spec, 1, NULL, out, OUTSZ, &st, &err), LH_OK);
    assert_int_equal(st.rows, 3);
    {
        const char *missing[] = {"s3://bkt/p/1.json", "s3://bkt/p/nope.json"};
        assert_int_equal(read_rows(f, missing, 2, spec, 1, NULL, out, OUTSZ, &st, &err), LH_ENOTFOUND);
        assert_non_null(strstr(err.msg, "s3://bkt/p/nope.json"));
        assert_string_equal(out, "i:10\n");
    }
    assert_int_equal(read_rows(f, NULL, 0, spec, 1, NULL, out, OUTSZ, &st, &err), LH_OK);
    assert_string_equal(out, "");
}

static void test_append_row_round_trip(void **state)
{
    fixture *f = *state;
    const char *names[] = {"id", "ok", "score", "note", "gone", "ts"};
    const char *spec[] = {"id:bigint", "ok:boolean", "score:double", "note:string", "gone:string", "ts:timestamp"};
    lh_type types[6];
    lh_value rows[3][6];
    lh_buf b;
    char out[OUTSZ];
    lh_err err;
    int i;
    memset(rows, 0, sizeof rows);
    for (i = 0; i < 6; i++)
        assert_int_equal(lh_type_parse(strchr(spec[i], ':') + 1, strlen(strchr(spec[i], ':') + 1), &types[i], &err),
                         LH_OK);
    rows[0][0] = (lh_value){.t = LH_V_INT, .i = -9223372036854775807LL - 1};
    rows[0][1] = (lh_value){.t = LH_V_INT, .i = 1};
    rows[0][2] = (lh_value){.t = LH_V_REAL, .d = 0.1};
    rows[0][3] = (lh_value){.t = LH_V_TEXT, .s = "tab\there \"q\" \\ caf\xc3\xa9 \x01", .n = 22};
    rows[0][5] = (lh_value){.t = LH_V_TEXT, .s = "2022-06-18 14:59:36.361", .n = 23};
    rows[1][1] = (lh_value){.t = LH_V_INT, .i = 0};
    rows[1][2] = (lh_value){.t = LH_V_REAL, .d = 1e300};
    rows[1][3] = (lh_value){.t = LH_V_TEXT, .s = "", .n = 0};
    rows[2][2] = (lh_value){.t = LH_V_REAL, .d = -0.0};
    lh_buf_init(&b, 0);
    for (i = 0; i < 3; i++)
        assert_int_equal(lh_jsonl_append_row(&b, names, types, rows[i], 6, &err), LH_OK);
    assert_string_equal(lh_buf_cstr(&b),
                        "{\"id\":-9223372036854775808,\"ok\":true,\"score\":0.1,\"note\":\"tab\\there \\\"q\\\" \\\\ "
                        "caf\xc3\xa9 \\u0001\",\"ts\":\"2022-06-18 14:59:36.361\"}\n"
                        "{\"ok\":false,\"score\":1e+300,\"note\":\"\"}\n"
                        "{\"score\":-0.0}\n");
    put(f, "s3://bkt/w.json", b.data, b.len);
    assert_int_equal(read1(f, "s3://bkt/w.json", spec, 6, NULL, out, OUTSZ, &err), LH_OK);
    assert_string_equal(out, "i:-9223372036854775808|i:1|d:0.10000000000000001|s:tab\there \"q\" \\ caf\xc3\xa9 \x01|N|"
                             "s:2022-06-18 14:59:36.361\n"
                             "N|i:0|d:1.0000000000000001e+300|s:|N|N\n"
                             "N|N|d:-0|N|N|N\n");
    /* Without types: INT/REAL/TEXT by value type; an empty record is "{}". */
    lh_buf_reset(&b);
    assert_int_equal(lh_jsonl_append_row(&b, names, NULL, rows[0], 3, &err), LH_OK);
    assert_int_equal(lh_jsonl_append_row(&b, names + 4, NULL, rows[0] + 4, 1, &err), LH_OK);
    assert_string_equal(lh_buf_cstr(&b), "{\"id\":-9223372036854775808,\"ok\":1,\"score\":0.1}\n{}\n");
    /* A failure leaves no half row behind. */
    {
        lh_buf small;
        lh_buf_init(&small, 20);
        assert_int_equal(lh_jsonl_append_row(&small, names, types, rows[1], 6, &err), LH_ELIMIT);
        assert_int_equal(small.len, 0);
        lh_buf_free(&small);
    }
    lh_buf_free(&b);
}

static void test_stedi_customer_landing(void **state)
{
    /* the store's root is the STEDI folder (LAKEHOUSE_TEST_DATA/stedi), so
     * its customer/ is the bucket */
    const char *uri = "s3://customer/landing/customer-1691348231425.json";
    const char *spec[] = {"customername:string", "email:string",         "phone:string",
                          "birthday:date",      "serialnumber:string",  "registrationdate:bigint",
                          "lastupdatedate:bigint", "sharewithresearchasofdate:bigint", "sharewithpublicasofdate:bigint",
                          "sharewithfriendsasofdate:bigint"};
    lh_jsonl_col *cols;
    lh_store *st = NULL;
    lh_jsonl_reader *r = NULL;
    lh_err err;
    size_t rows = 0, research = 0;
    (void)state;
    LH_TEST_NEED("stedi", "customer/landing/customer-1691348231425.json");
    cols = make_cols(spec, 10);
    assert_int_equal(lh_store_open_local(lh_test_stedi_dir(), &st, &err), LH_OK);
    assert_int_equal(lh_jsonl_reader_open(st, &uri, 1, cols, 10, NULL, &r, &err), LH_OK);
    for (;;) {
        int eof = 0;
        lh_value v;
        size_t i;
        if (lh_jsonl_reader_next(r, &eof, &err) != LH_OK)
            fail_msg("%s", err.msg);
        if (eof)
            break;
        rows++;
        for (i = 0; i < 10; i++)
            if (lh_jsonl_reader_value(r, i, &v, &err) != LH_OK)
                fail_msg("%s", err.msg);
        assert_int_equal(lh_jsonl_reader_value(r, 7, &v, &err), LH_OK);
        research += v.t != LH_V_NULL;
        assert_int_equal(lh_jsonl_reader_value(r, 0, &v, &err), LH_OK);
        assert_int_equal(v.t, LH_V_TEXT);
    }
    printf("STEDI customer landing: %zu rows, %zu with sharewithresearchasofdate\n", rows, research);
    assert_int_equal(rows, 956);
    assert_int_equal(research, 482);
    assert_int_equal(lh_jsonl_reader_stats(r)->malformed, 0);
    lh_jsonl_reader_close(r);
    lh_store_close(st);
    free_cols(cols, 10);
}

/* Fail every allocation in turn: each run ends in LH_OK or LH_ENOMEM, no leaks. */
static void test_alloc_failures(void **state)
{
    fixture *f = *state;
    const char *spec[] = {"a:string", "b:timestamp"};
    char out[OUTSZ];
    long n;
    int ok = 0;
    puts_obj(f, "s3://bkt/fa.json", "{\"a\":\"x\\u00e9\",\"b\":1655564376361}\n{\"a\":\"y\",\"b\":\"2022-01-01\"}\n");
    for (n = 1; n < 200 && !ok; n++) {
        lh_err err;
        lh_rc rc;
        lh_fault_alloc_set(n);
        rc = read1(f, "s3://bkt/fa.json", spec, 2, NULL, out, OUTSZ, &err);
        lh_fault_alloc_set(0);
        if (rc == LH_OK) {
            ok = 1;
            assert_string_equal(out, "s:x\xc3\xa9|s:2022-06-18 14:59:36.361\ns:y|s:2022-01-01 00:00:00.000\n");
        } else if (rc != LH_ENOMEM) {
            fail_msg("allocation %ld: unexpected %s: %s", n, lh_strerror(rc), err.msg);
        }
    }
    assert_true(ok);
}

/* ---- the scanning thread: every case read with and without it ---- */

/* A growable string on plain malloc (so allocation fault injection leaves
 * the test's own bookkeeping alone). */
typedef struct sbuf {
    char *s;
    size_t n, cap;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int k;
    va_start(ap, fmt);
    k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(k >= 0);
    if (b->n + (size_t)k + 1 > b->cap) {
        b->cap = (b->n + (size_t)k + 1) * 2;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

typedef struct transcript {
    sbuf out;
    pthread_t main;
    int wrong_thread;
    uint64_t stop_at_line; /* the malformed callback fails at this line */
} transcript;

static lh_rc on_bad_line(void *ctx, const char *uri, uint64_t line, const char *reason, const char *raw, size_t n,
                         lh_err *err)
{
    transcript *t = ctx;
    if (!pthread_equal(pthread_self(), t->main))
        t->wrong_thread = 1;
    if (t->stop_at_line && line == t->stop_at_line)
        return lh_errf(err, LH_EDATA, "callback refused %s:%llu", uri, (unsigned long long)line);
    sb_printf(&t->out, "M %s:%llu: %s | %.*s\n", uri, (unsigned long long)line, reason, (int)n, raw);
    return LH_OK;
}

/* Everything a read shows: each row with its file:line, each skipped line,
 * the error that ended it, the stats.  threads: lh_threads_set's argument. */
static char *transcript_read(fixture *f, const char *const *uris, size_t nuris, const char *const *spec, size_t ncols,
                             const lh_jsonl_opts *opts_in, uint64_t stop_at_line, int threads, lh_rc *rc_out)
{
    lh_jsonl_col *cols = make_cols(spec, ncols);
    lh_jsonl_reader *r = NULL;
    lh_jsonl_opts opts = {0};
    transcript t;
    char *row = malloc(OUTSZ * 4);
    lh_err err;
    lh_rc rc;
    assert_non_null(row);
    memset(&t, 0, sizeof t);
    t.main = pthread_self();
    t.stop_at_line = stop_at_line;
    if (opts_in)
        opts = *opts_in;
    opts.on_malformed = on_bad_line;
    opts.malformed_ctx = &t;
    lh_threads_set(threads);
    rc = lh_jsonl_reader_open(f->store, uris, nuris, cols, ncols, &opts, &r, &err);
    free_cols(cols, ncols);
    while (rc == LH_OK) {
        int eof = 0;
        rc = lh_jsonl_reader_next(r, &eof, &err);
        if (rc || eof)
            break;
        rc = row_str(r, ncols, row, OUTSZ * 4, &err);
        if (rc == LH_OK)
            sb_printf(&t.out, "%s:%llu: %s\n", lh_jsonl_reader_file(r), (unsigned long long)lh_jsonl_reader_line(r),
                      row);
    }
    if (rc)
        sb_printf(&t.out, "error %s: %s\n", lh_strerror(rc), err.msg);
    if (r) {
        const lh_jsonl_stats *st = lh_jsonl_reader_stats(r);
        sb_printf(&t.out, "lines=%llu rows=%llu malformed=%llu first=%s\n", (unsigned long long)st->lines,
                  (unsigned long long)st->rows, (unsigned long long)st->malformed, st->first_malformed);
    }
    lh_jsonl_reader_close(r);
    lh_threads_set(-1);
    assert_false(t.wrong_thread);
    free(row);
    if (rc_out)
        *rc_out = rc;
    sb_printf(&t.out, "%s", "");
    return t.out.s;
}

/* The same read with the thread and without: identical transcripts. */
static char *both_ways(fixture *f, const char *const *uris, size_t nuris, const char *const *spec, size_t ncols,
                       const lh_jsonl_opts *opts, uint64_t stop_at_line)
{
    char *one = transcript_read(f, uris, nuris, spec, ncols, opts, stop_at_line, 0, NULL);
    char *two = transcript_read(f, uris, nuris, spec, ncols, opts, stop_at_line, 1, NULL);
    assert_string_equal(one, two);
    free(two);
    return one;
}

#define NFILES 25

/* Many files with a BOM, CRLF, blank and whitespace lines, empty files, a
 * missing last '\n', escapes, lines longer than a chunk and malformed
 * lines; any chunk size, threads or not: the same rows, lines and stats. */
static void test_threads_same_rows(void **state)
{
    fixture *f = *state;
    const char *spec[] = {"id:int", "name:string", "v:double"};
    char *uris[NFILES];
    const size_t chunks[] = {0, 1, 3, 7, 16, 64, 1000};
    int i, j, ig;
    size_t c;
    for (i = 0; i < NFILES; i++) {
        sbuf t = {0};
        int nlines = i % 8 == 7 ? 0 : (i * 7) % 40 + 1;
        uris[i] = malloc(64);
        assert_non_null(uris[i]);
        snprintf(uris[i], 64, "s3://bkt/many/%02d.json", i);
        sb_printf(&t, "%s", i % 3 == 0 && nlines ? "\xef\xbb\xbf" : "");
        for (j = 0; j < nlines; j++) {
            if (j % 5 == 2)
                sb_printf(&t, "%s\n", j % 2 ? "  \t" : "");
            if ((i * 13 + j) % 17 == 5)
                sb_printf(&t, "{\"id\":%d,}\n", j);
            else if (j % 9 == 4)
                sb_printf(&t, "{\"id\":%d,\"name\":\"%0150d\\u00e9\",\"v\":%d.25}\n", j, i, j);
            else
                sb_printf(&t, "{\"id\":%d,\"NAME\":\"f%d\",\"v\":%d.5,\"x\":[1,{\"y\":null}]}%s", j, i, j,
                          j % 4 == 1 ? "\r\n" : "\n");
        }
        if (i % 2 && t.n)
            t.n--; /* the last line lacks its '\n' */
        put(f, uris[i], t.s ? t.s : "", t.n);
        free(t.s);
    }
    for (ig = 0; ig < 2; ig++) {
        char *want = NULL;
        for (c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
            lh_jsonl_opts o = {0};
            char *got;
            o.ignore_malformed = ig;
            o.chunk = chunks[c];
            got = both_ways(f, (const char *const *)uris, NFILES, spec, 3, &o, 0);
            if (!want) {
                want = got;
                continue;
            }
            assert_string_equal(got, want);
            free(got);
        }
        if (ig) {
            assert_non_null(strstr(want, "M s3://bkt/many/02.json:17: column 10: expected '\"' to start an object key; "
                                         "trailing commas are not allowed | {\"id\":13,}\n"));
            assert_non_null(strstr(want, "s3://bkt/many/24.json:"));
            assert_null(strstr(want, "error"));
        } else {
            assert_non_null(strstr(want, "error parse error: s3://bkt/many/"));
        }
        free(want);
    }
    for (i = 0; i < NFILES; i++)
        free(uris[i]);
}

/* Errors in the middle of a stream come after the same rows and read the
 * same: a line too long, a missing object, a bad value, a malformed line,
 * a callback that refuses a line. */
static void test_threads_errors(void **state)
{
    fixture *f = *state;
    const char *spec[] = {"id:int", "s:string"};
    const char *uris[] = {"s3://bkt/er/0.json", "s3://bkt/er/1.json", "s3://bkt/er/2.json", "s3://bkt/er/3.json",
                          "s3://bkt/er/4.json", "s3://bkt/er/nope.json", "s3://bkt/er/5.json"};
    const size_t chunks[] = {0, 5, 16, 100};
    size_t c;
    int i, j;
    for (i = 0; i < 6; i++) {
        sbuf t = {0};
        char uri[64];
        for (j = 0; j < 30; j++)
            sb_printf(&t, "{\"id\":%d,\"s\":\"r%d\"}\n", i * 100 + j, j);
        snprintf(uri, sizeof uri, "s3://bkt/er/%d.json", i);
        put(f, uri, t.s, t.n);
        free(t.s);
    }
    for (c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        lh_jsonl_opts o = {0};
        char *got;
        o.chunk = chunks[c];
        /* the missing object is raised after every row before it */
        got = both_ways(f, uris, 7, spec, 2, &o, 0);
        assert_non_null(strstr(got, "s3://bkt/er/4.json:30: i:429|s:r29\nerror not found: "));
        assert_non_null(strstr(got, "s3://bkt/er/nope.json"));
        free(got);
    }
    /* a line over max_line in file 3, line 12 */
    {
        sbuf t = {0};
        for (j = 0; j < 30; j++)
            sb_printf(&t, j == 11 ? "{\"id\":%d,\"s\":\"%060d\"}\n" : "{\"id\":%d,\"s\":\"r%d\"}\n", j, j);
        put(f, uris[3], t.s, t.n);
        free(t.s);
    }
    for (c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        lh_jsonl_opts o = {0};
        char *got;
        o.chunk = chunks[c];
        o.max_line = 64;
        got = both_ways(f, uris, 7, spec, 2, &o, 0);
        assert_non_null(strstr(got, "s3://bkt/er/3.json:11: i:10|s:r10\n"
                                    "error limit exceeded: s3://bkt/er/3.json:12: line longer than 64 bytes\n"
                                    "lines=101 rows=101 malformed=0"));
        free(got);
    }
    /* a bad value (raised by value(), not next()) and a malformed line */
    put(f, uris[3], "{\"id\":1}\n{\"id\":\"x\"}\n", 20);
    put(f, uris[2], "{\"id\":1}\n\n{\"id\":2\n{\"id\":3}\n", 27);
    for (c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        lh_jsonl_opts o = {0};
        char *got;
        o.chunk = chunks[c];
        got = both_ways(f, uris, 7, spec, 2, &o, 0);
        assert_non_null(strstr(got, "s3://bkt/er/2.json:1: i:1|N\nerror parse error: s3://bkt/er/2.json:3: column 8: "));
        free(got);
        o.ignore_malformed = 1;
        got = both_ways(f, uris, 7, spec, 2, &o, 0);
        assert_non_null(strstr(got, "M s3://bkt/er/2.json:3: column 8: "));
        assert_non_null(strstr(got, "s3://bkt/er/3.json:1: i:1|N\n"
                                    "error bad data: s3://bkt/er/3.json:2: column 'id': expected int, got \"x\"\n"));
        free(got);
        /* the callback's own error stops the reader at that line */
        got = both_ways(f, uris, 7, spec, 2, &o, 3);
        assert_non_null(strstr(got, "s3://bkt/er/2.json:1: i:1|N\nerror bad data: callback refused "
                                    "s3://bkt/er/2.json:3\nlines=62 rows=61 malformed=1"));
        free(got);
    }
}

/* Many tiny records and many columns: a batch holds a bounded number of
 * records (the span arrays stay small); the rest of its bytes go on in
 * the next batch, and an error after them still comes last. */
static void test_threads_record_cap(void **state)
{
    fixture *f = *state;
    enum { NCOLS = 300, NLINES = 4000 };
    const char *uris[] = {"s3://bkt/cap/a.json", "s3://bkt/cap/b.json", "s3://bkt/cap/missing.json"};
    char **spec = calloc(NCOLS, sizeof *spec);
    const size_t chunks[] = {0, 16384, 100000};
    sbuf t = {0}, half = {0};
    size_t c;
    int i;
    assert_non_null(spec);
    for (i = 0; i < NCOLS; i++) {
        spec[i] = malloc(32);
        assert_non_null(spec[i]);
        snprintf(spec[i], 32, "c%d:int", i);
    }
    for (i = 0; i < NLINES; i++) {
        sb_printf(&t, i % 10 == 3 ? "\n{}\n" : "{\"c%d\":%d}\n", (i * 7) % NCOLS, i);
        if (i < NLINES / 2)
            sb_printf(&half, "{\"c%d\":%d}\n", (i * 11) % NCOLS, i);
    }
    put(f, uris[0], t.s, t.n);
    put(f, uris[1], half.s, half.n - 1);
    free(t.s);
    free(half.s);
    for (c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        lh_jsonl_opts o = {0};
        char *got;
        char want[128];
        o.chunk = chunks[c];
        got = both_ways(f, uris, 2, (const char *const *)spec, NCOLS, &o, 0);
        snprintf(want, sizeof want, "\nlines=%d rows=%d malformed=0", NLINES + NLINES / 2, NLINES + NLINES / 2);
        assert_non_null(strstr(got, want));
        free(got);
        got = both_ways(f, uris, 3, (const char *const *)spec, NCOLS, &o, 0);
        assert_non_null(strstr(got, "error not found: "));
        assert_non_null(strstr(got, want));
        free(got);
    }
    for (i = 0; i < NCOLS; i++)
        free(spec[i]);
    free(spec);
}

/* Close in every state with the thread on: before the first next, in the
 * middle of a batch while the next one is being scanned, after an error,
 * at the end.  ASan/LSan and TSan builds check there is nothing left. */
static void test_threads_close_any_state(void **state)
{
    fixture *f = *state;
    const char *spec[] = {"id:int", "s:string"};
    const char *uris[] = {"s3://bkt/cl/0.json", "s3://bkt/cl/1.json", "s3://bkt/cl/bad.json"};
    lh_jsonl_col *cols = make_cols(spec, 2);
    sbuf t = {0};
    int i, stop;
    for (i = 0; i < 3000; i++)
        sb_printf(&t, "{\"id\":%d,\"s\":\"row %d\"}\n", i, i);
    put(f, uris[0], t.s, t.n);
    put(f, uris[1], t.s, t.n);
    put(f, uris[2], "{\"id\":1}\n{\"id\":2,,}\n", 20);
    free(t.s);
    lh_threads_set(1);
    for (stop = 0; stop < 40; stop++) {
        lh_jsonl_opts o = {0};
        lh_jsonl_reader *r = NULL;
        lh_err err;
        int eof = 0, n = 0, want = stop == 0 ? 0 : stop * stop * 5;
        lh_rc rc = LH_OK;
        o.chunk = stop % 2 ? 512 : 4096;
        assert_int_equal(lh_jsonl_reader_open(f->store, uris, 3, cols, 2, &o, &r, &err), LH_OK);
        while (n < want && (rc = lh_jsonl_reader_next(r, &eof, &err)) == LH_OK && !eof) {
            lh_value v;
            assert_int_equal(lh_jsonl_reader_value(r, 0, &v, &err), LH_OK);
            if (n < 6000)
                assert_int_equal(v.i, n % 3000);
            n++;
        }
        if (want > 6000) {
            assert_int_equal(rc, LH_EPARSE);
            assert_int_equal(n, 6001);
            assert_non_null(strstr(err.msg, "s3://bkt/cl/bad.json:2: "));
        }
        lh_jsonl_reader_close(r);
    }
    lh_threads_set(-1);
    free_cols(cols, 2);
}

/* Fail every allocation in turn with the thread on (it allocates too):
 * each run ends in LH_OK with the right rows or a clean LH_ENOMEM. */
static void test_threads_alloc_failures(void **state)
{
    fixture *f = *state;
    const char *spec[] = {"a:string", "b:timestamp"};
    const char *uris[] = {"s3://bkt/tfa/1.json", "s3://bkt/tfa/2.json"};
    char *want;
    sbuf t = {0};
    long n;
    int i, ok = 0;
    lh_jsonl_opts o = {0};
    o.chunk = 64;
    for (i = 0; i < 200; i++)
        sb_printf(&t, "{\"a\":\"x%d\\u00e9\",\"b\":%d}\n", i, 1655564376 + i);
    put(f, uris[0], t.s, t.n);
    put(f, uris[1], t.s, t.n);
    free(t.s);
    want = transcript_read(f, uris, 2, spec, 2, &o, 0, 0, NULL);
    for (n = 1; n < 5000 && !ok; n++) {
        lh_rc rc;
        char *got;
        lh_fault_alloc_set(n);
        got = transcript_read(f, uris, 2, spec, 2, &o, 0, 1, &rc);
        lh_fault_alloc_set(0);
        if (rc == LH_OK) {
            ok = 1;
            assert_string_equal(got, want);
        } else if (rc != LH_ENOMEM) {
            fail_msg("allocation %ld: unexpected %s: %s", n, lh_strerror(rc), got);
        }
        free(got);
    }
    assert_true(ok);
    free(want);
}

/* Doubles read through the fast decimal path equal strtod's, bit for bit,
 * over many shapes of number (fractions, exponents, leading zeros, long
 * mantissas that must fall back to strtod). */
static void test_double_conversion_exact(void **state)
{
    fixture *f = *state;
    static const char *fmts[] = {"%.1f", "%.4f", "%.6f", "%.15g", "%.17g", "%.3e", "%.12e", "%g"};
    lh_buf text;
    lh_jsonl_reader *r = NULL;
    lh_err err;
    const char *uri = "s3://bkt/dbl/d.json";
    const char *spec[] = {"d:double"};
    lh_jsonl_col *cols = make_cols(spec, 1);
    char (*lit)[64] = calloc(20000, 64);
    uint64_t seed = 12345;
    int i, eof = 0, n = 0;
    assert_non_null(lit);
    lh_buf_init(&text, 0);
    for (i = 0; i < 20000; i++) {
        double v;
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        v = (double)(int64_t)(seed >> 11) / (double)(1ULL << (seed % 60));
        if (i % 7 == 0)
            v = -v;
        if (i % 11 == 0)
            v = (double)((seed >> 40) % 1000) / 1000.0; /* STEDI-like short decimals */
        snprintf(lit[i], 64, fmts[i % 8], v);
        if (i == 1)
            snprintf(lit[i], 64, "-0.0");
        if (i == 2)
            snprintf(lit[i], 64, "0.000000000000000000000123");
        if (i == 3)
            snprintf(lit[i], 64, "123456789012345.6");
        assert_int_equal(lh_buf_printf(&text, &err, "{\"d\":%s}\n", lit[i]), LH_OK);
    }
    put(f, uri, text.data, text.len);
    assert_int_equal(lh_jsonl_reader_open(f->store, &uri, 1, cols, 1, NULL, &r, &err), LH_OK);
    while (lh_jsonl_reader_next(r, &eof, &err) == LH_OK && !eof) {
        lh_value v;
        double want = strtod(lit[n], NULL);
        assert_int_equal(lh_jsonl_reader_value(r, 0, &v, &err), LH_OK);
        assert_int_equal(v.t, LH_V_REAL);
        if (memcmp(&v.d, &want, sizeof want) != 0)
            fail_msg("'%s': read %.17g, strtod %.17g", lit[n], v.d, want);
        n++;
    }
    assert_int_equal(n, 20000);
    lh_jsonl_reader_close(r);
    lh_buf_free(&text);
    free(lit);
    free_cols(cols, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_keys_and_nulls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_double_conversion_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_string_conversions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_integer_conversions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fraction_into_bigint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_real_bool_date_timestamp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decimal_range_and_rounding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_line_handling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf8_and_escapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chunk_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_max_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_multiple_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_row_round_trip, setup, teardown),
        cmocka_unit_test(test_stedi_customer_landing),
        cmocka_unit_test_setup_teardown(test_alloc_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_same_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_record_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_close_any_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_alloc_failures, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
