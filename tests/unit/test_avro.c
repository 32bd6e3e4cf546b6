/* tests/unit/test_avro.c — the Avro codec: schemas, every type and logical
 * type through every codec, block boundaries, schema errors, hostile
 * files, allocation faults.
 *
 * Also a helper for the avsc interop check and the benchmark:
 *   test_avro --write-interop DIR   ours.<codec>.avro + ours.json (expected rows)
 *   test_avro --dump FILE           one JSON line per value
 *   test_avro --bench N             encode/decode throughput of manifest entries
 */
#include "testutil.h"

#include <time.h>

#include "formats/avro.h"

static const uint8_t SYNC[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

/* every type and logical type, with Iceberg's id attributes */
static const char *ALL_SCHEMA =
    "{\"type\":\"record\",\"name\":\"all\",\"namespace\":\"lh.test\",\"fields\":["
    "{\"name\":\"n\",\"type\":\"null\"},"
    "{\"name\":\"b\",\"type\":\"boolean\",\"field-id\":1},"
    "{\"name\":\"i\",\"type\":\"int\",\"field-id\":2},"
    "{\"name\":\"l\",\"type\":\"long\",\"field-id\":3},"
    "{\"name\":\"f\",\"type\":\"float\"},"
    "{\"name\":\"d\",\"type\":\"double\"},"
    "{\"name\":\"by\",\"type\":\"bytes\"},"
    "{\"name\":\"s\",\"type\":\"string\"},"
    "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"color\",\"symbols\":[\"red\",\"green\",\"blue\"]}},"
    "{\"name\":\"fx\",\"type\":{\"type\":\"fixed\",\"name\":\"f4\",\"size\":4}},"
    "{\"name\":\"arr\",\"type\":{\"type\":\"array\",\"items\":\"long\",\"element-id\":10}},"
    "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"string\",\"key-id\":11,\"value-id\":12}},"
    "{\"name\":\"opt\",\"type\":[\"null\",\"string\"],\"default\":null,\"field-id\":4},"
    "{\"name\":\"u\",\"type\":[\"null\",\"long\",\"string\"]},"
    "{\"name\":\"dec\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":9,\"scale\":2}},"
    "{\"name\":\"decf\",\"type\":{\"type\":\"fixed\",\"name\":\"dec8\",\"size\":8,\"logicalType\":\"decimal\","
    "\"precision\":18,\"scale\":3}},"
    "{\"name\":\"dt\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
    "{\"name\":\"tm\",\"type\":{\"type\":\"long\",\"logicalType\":\"time-micros\"}},"
    "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\",\"adjust-to-utc\":true}},"
    "{\"name\":\"tsm\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
    "{\"name\":\"id\",\"type\":{\"type\":\"string\",\"logicalType\":\"uuid\"}},"
    "{\"name\":\"kv\",\"type\":{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"k_v\",\"fields\":["
    "{\"name\":\"key\",\"type\":\"int\",\"field-id\":20},{\"name\":\"value\",\"type\":\"bytes\",\"field-id\":21}]}}},"
    "{\"name\":\"sub\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"sub\",\"fields\":["
    "{\"name\":\"x\",\"type\":\"int\"},{\"name\":\"again\",\"type\":\"color\"}]}]},"
    "{\"name\":\"f4b\",\"type\":\"f4\"}"
    "]}";

#define CHECK(expr)                                                                                                   \
    do {                                                                                                              \
        lh_rc rc_ = (expr);                                                                                           \
        if (rc_)                                                                                                      \
            return rc_;                                                                                               \
    } while (0)

/* row i of the "all" schema */
static lh_rc build_all(lh_arena *a, const lh_avro_schema *s, int i, lh_avro_value **out, lh_err *err)
{
    static const uint8_t fx[4] = {0xde, 0xad, 0xbe, 0xef}, dec8[8] = {0, 0, 0, 0, 0, 0, 0x30, 0x39};
    static const uint8_t dec[2] = {0xff, 0x38}; /* -200 = -2.00 */
    static const char *strs[] = {"", "h\xc3\xa9llo", "a \"quoted\" \\ line\n", "\xf0\x9f\x98\x80 emoji"};
    lh_avro_value *v, *x, *kv;
    int k;
    CHECK(lh_avro_value_new(a, lh_avro_schema_root(s), &v, err));
    CHECK(lh_avro_set_bool(a, lh_avro_field(v, "b"), i % 2, err));
    CHECK(lh_avro_set_int(a, lh_avro_field(v, "i"), i % 3 == 0 ? INT32_MIN + i : i % 3 == 1 ? INT32_MAX - i : -i, err));
    CHECK(lh_avro_set_long(a, lh_avro_field(v, "l"), i % 2 ? (int64_t)1 << 52 : -((int64_t)i * 1000003), err));
    CHECK(lh_avro_set_float(a, lh_avro_field(v, "f"), (float)i * 0.5f - 1.25f, err));
    CHECK(lh_avro_set_double(a, lh_avro_field(v, "d"), i * 3.141592653589793 - 0.1, err));
    CHECK(lh_avro_set_bytes(a, lh_avro_field(v, "by"), fx, (size_t)(i % 5), err));
    CHECK(lh_avro_set_string(a, lh_avro_field(v, "s"), strs[i % 4], err));
    CHECK(lh_avro_set_enum(a, lh_avro_field(v, "e"), i % 3 == 0 ? "red" : i % 3 == 1 ? "green" : "blue", err));
    CHECK(lh_avro_set_fixed(a, lh_avro_field(v, "fx"), fx, 4, err));
    for (k = 0; k < i % 4; k++) {
        CHECK(lh_avro_array_add(a, lh_avro_field(v, "arr"), &x, err));
        CHECK(lh_avro_set_long(a, x, (int64_t)k * -77 + i, err));
    }
    for (k = 0; k < i % 3; k++) {
        char key[16];
        snprintf(key, sizeof key, "key%d", k);
        CHECK(lh_avro_map_add(a, lh_avro_field(v, "m"), key, &x, err));
        CHECK(lh_avro_set_string(a, x, strs[(i + k) % 4], err));
    }
    if (i % 2)
        CHECK(lh_avro_set_string(a, lh_avro_field(v, "opt"), "present", err));
    if (i % 3 == 1)
        CHECK(lh_avro_set_long(a, lh_avro_field(v, "u"), -42 - i, err));
    else if (i % 3 == 2)
        CHECK(lh_avro_set_string(a, lh_avro_field(v, "u"), "text", err));
    CHECK(lh_avro_set_bytes(a, lh_avro_field(v, "dec"), dec, 2, err));
    CHECK(lh_avro_set_fixed(a, lh_avro_field(v, "decf"), dec8, 8, err));
    CHECK(lh_avro_set_int(a, lh_avro_field(v, "dt"), 19000 + i, err));
    CHECK(lh_avro_set_long(a, lh_avro_field(v, "tm"), (int64_t)i * 3600000000LL, err));
    CHECK(lh_avro_set_long(a, lh_avro_field(v, "ts"), 1700000000000000LL + i, err));
    CHECK(lh_avro_set_long(a, lh_avro_field(v, "tsm"), -1700000000000LL - i, err));
    CHECK(lh_avro_set_string(a, lh_avro_field(v, "id"), "f79c3e09-677c-4a5f-b8f9-8a0d4e1e0e3b", err));
    for (k = 0; k < i % 3; k++) {
        CHECK(lh_avro_array_add(a, lh_avro_field(v, "kv"), &kv, err));
        CHECK(lh_avro_set_int(a, lh_avro_field(kv, "key"), 1000 + k, err));
        CHECK(lh_avro_set_bytes(a, lh_avro_field(kv, "value"), dec8 + k, 8 - (size_t)k, err));
    }
    if (i % 2 == 0) {
        CHECK(lh_avro_set_some(a, lh_avro_field(v, "sub"), &x, err));
        CHECK(lh_avro_set_int(a, lh_avro_field(x, "x"), i, err));
        CHECK(lh_avro_set_enum(a, lh_avro_field(x, "again"), "blue", err));
    }
    CHECK(lh_avro_set_fixed(a, lh_avro_field(v, "f4b"), fx, 4, err));
    *out = v;
    return LH_OK;
}

/* a file of `rows` rows of "all"; the expected JSON lines in exp */
static lh_rc write_all(lh_avro_codec codec, int rows, size_t per_block, lh_buf *file, lh_buf *exp, lh_err *err)
{
    lh_avro_schema *s = NULL;
    lh_avro_writer *w = NULL;
    lh_avro_writer_opts o = {codec, per_block, 0, SYNC};
    lh_arena a;
    lh_rc rc;
    int i;
    lh_arena_init(&a, 0);
    if ((rc = lh_avro_schema_parse(ALL_SCHEMA, strlen(ALL_SCHEMA), &s, err)) || (rc = lh_avro_writer_open(s, &o, &w, err)) ||
        (rc = lh_avro_writer_meta_str(w, "format-version", "2", err)) ||
        (rc = lh_avro_writer_meta_str(w, "partition-spec-id", "0", err)))
        goto out;
    for (i = 0; i < rows; i++) {
        lh_avro_value *v;
        if ((rc = build_all(&a, s, i, &v, err)) || (rc = lh_avro_writer_append(w, v, err)))
            goto out;
        if (exp && ((rc = lh_avro_value_json(v, exp, err)) || (rc = lh_buf_putc(exp, '\n', err))))
            goto out;
        lh_arena_reset(&a);
    }
    rc = lh_avro_writer_finish(w, file, err);
out:
    lh_avro_writer_free(w);
    lh_avro_schema_free(s);
    lh_arena_free(&a);
    return rc;
}

/* read every value of a file as JSON lines */
static lh_rc read_all(const void *data, size_t n, lh_buf *got, size_t *count, lh_err *err)
{
    lh_avro_reader *r = NULL;
    lh_rc rc;
    const lh_avro_value *v;
    if (count)
        *count = 0;
    if ((rc = lh_avro_reader_open(data, n, "t.avro", &r, err)))
        return rc;
    while (!(rc = lh_avro_reader_next(r, &v, err)) && v) {
        if (got && ((rc = lh_avro_value_json(v, got, err)) || (rc = lh_buf_putc(got, '\n', err))))
            break;
        if (count)
            (*count)++;
    }
    lh_avro_reader_close(r);
    return rc;
}

static void test_schema_round_trip(void **state)
{
    lh_avro_schema *s, *s2;
    lh_buf j1, j2;
    lh_err err;
    const lh_avro_node *root, *kv;
    int64_t id;
    int fi;
    (void)state;
    lh_buf_init(&j1, 0);
    lh_buf_init(&j2, 0);
    assert_int_equal(lh_avro_schema_parse(ALL_SCHEMA, strlen(ALL_SCHEMA), &s, &err), LH_OK);
    assert_int_equal(lh_avro_schema_json(s, &j1, &err), LH_OK);
    assert_int_equal(lh_avro_schema_parse(j1.data, j1.len, &s2, &err), LH_OK);
    assert_int_equal(lh_avro_schema_json(s2, &j2, &err), LH_OK);
    assert_string_equal(j1.data, j2.data);
    assert_non_null(strstr(j1.data, "\"field-id\":1"));
    assert_non_null(strstr(j1.data, "\"element-id\":10"));
    assert_non_null(strstr(j1.data, "\"key-id\":11"));
    assert_non_null(strstr(j1.data, "\"adjust-to-utc\":true"));
    assert_non_null(strstr(j1.data, "\"default\":null"));
    root = lh_avro_schema_root(s2);
    assert_string_equal(lh_avro_node_name(root), "lh.test.all");
    fi = lh_avro_node_field_index(root, "opt");
    assert_true(fi >= 0);
    assert_true(lh_avro_node_attr_int(root, (size_t)fi, "field-id", &id));
    assert_int_equal(id, 4);
    assert_int_equal(lh_avro_node_type(lh_avro_node_child(root, (size_t)fi)), LH_AVRO_UNION);
    assert_int_equal(lh_avro_union_null_branch(lh_avro_node_child(root, (size_t)fi)), 0);
    kv = lh_avro_node_child(lh_avro_node_child(root, (size_t)lh_avro_node_field_index(root, "kv")), 0);
    assert_string_equal(lh_avro_node_name(kv), "lh.test.k_v");
    fi = lh_avro_node_field_index(root, "decf");
    assert_int_equal(lh_avro_node_logical(lh_avro_node_child(root, (size_t)fi)), LH_AVRO_LT_DECIMAL);
    assert_int_equal(lh_avro_node_precision(lh_avro_node_child(root, (size_t)fi)), 18);
    assert_int_equal(lh_avro_node_scale(lh_avro_node_child(root, (size_t)fi)), 3);
    fi = lh_avro_node_field_index(root, "ts");
    assert_int_equal(lh_avro_node_logical(lh_avro_node_child(root, (size_t)fi)), LH_AVRO_LT_TIMESTAMP_MICROS);
    lh_avro_schema_free(s);
    lh_avro_schema_free(s2);
    lh_buf_free(&j1);
    lh_buf_free(&j2);
}

static void test_schema_errors(void **state)
{
    static const struct {
        const char *json, *want;
    } cases[] = {
        {"{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"a\",\"type\":\"long\"}]}",
         "r.a: duplicate field name \"a\""},
        {"{\"type\":\"record\",\"name\":\"1r\",\"fields\":[]}", "bad name \"1r\""},
        {"{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a-b\",\"type\":\"int\"}]}", "bad field name"},
        {"[\"int\",\"int\"]", "union[1]: the union already has a branch of type int"},
        {"[\"null\",[\"int\"]]", "union[1]: a union may not contain a union"},
        {"{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"nope\"}]}",
         "r.a: unknown type \"nope\""},
        {"{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":2,\"scale\":3}", "scale is greater than its precision"},
        {"{\"type\":\"fixed\",\"name\":\"f\",\"size\":2,\"logicalType\":\"decimal\",\"precision\":9}",
         "precision does not fit"},
        {"{\"type\":\"enum\",\"name\":\"e\",\"symbols\":[\"a\",\"a\"]}", "duplicate enum symbol"},
        {"{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":{\"type\":\"fixed\",\"name\":\"r\",\"size\":1}}]}",
         "defined twice"},
        {"{\"type\":\"array\"}", "needs \"items\""},
        {"{\"type\":\"record\",\"name\":\"r\",\"fields\":[", "JSON at line"},
        {"42", "a schema must be"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        lh_avro_schema *s = NULL;
        lh_err err;
        lh_rc rc = lh_avro_schema_parse(cases[i].json, strlen(cases[i].json), &s, &err);
        if (rc != LH_EPARSE || !strstr(err.msg, cases[i].want))
            fail_msg("case %zu: rc %d, message \"%s\", want \"%s\"", i, rc, rc ? err.msg : "", cases[i].want);
        assert_null(s);
    }
}

static void test_round_trip_codecs_and_blocks(void **state)
{
    static const size_t per_block[] = {1, 2, 3, 7, 0};
    static const int rows[] = {0, 1, 5, 40};
    int c;
    size_t b, r;
    (void)state;
    for (c = 0; c <= LH_AVRO_CODEC_ZSTD; c++)
        for (b = 0; b < 5; b++)
            for (r = 0; r < 4; r++) {
                lh_buf file, exp, got;
                lh_err err;
                size_t count;
                lh_avro_reader *rd;
                const uint8_t *val;
                size_t vn;
                lh_buf_init(&file, 0);
                lh_buf_init(&exp, 0);
                lh_buf_init(&got, 0);
                assert_int_equal(write_all((lh_avro_codec)c, rows[r], per_block[b], &file, &exp, &err), LH_OK);
                if (read_all(file.data, file.len, &got, &count, &err))
                    fail_msg("codec %d block %zu rows %d: %s", c, per_block[b], rows[r], err.msg);
                assert_int_equal(count, rows[r]);
                assert_string_equal(lh_buf_cstr(&exp), lh_buf_cstr(&got));
                assert_int_equal(lh_avro_reader_open(file.data, file.len, "t", &rd, &err), LH_OK);
                assert_int_equal(lh_avro_reader_codec(rd), c);
                assert_true(lh_avro_reader_meta(rd, "format-version", &val, &vn));
                assert_int_equal(vn, 1);
                assert_memory_equal(val, "2", 1);
                assert_true(lh_avro_reader_meta(rd, "avro.schema", &val, &vn));
                lh_avro_reader_close(rd);
                lh_buf_free(&file);
                lh_buf_free(&exp);
                lh_buf_free(&got);
            }
}

static void test_varints(void **state)
{
    lh_avro_schema *s;
    lh_arena a;
    lh_err err;
    lh_avro_value *v;
    size_t pos;
    static const uint8_t maxlong[] = {0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    static const uint8_t overflow[] = {0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
    static const uint8_t overlong[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    static const uint8_t int6[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    (void)state;
    lh_arena_init(&a, 0);
    assert_int_equal(lh_avro_schema_parse("\"long\"", 6, &s, &err), LH_OK);
    pos = 0;
    assert_int_equal(lh_avro_decode(lh_avro_schema_root(s), maxlong, sizeof maxlong, &pos, &a, &v, &err), LH_OK);
    assert_true(v->as.l == INT64_MAX);
    pos = 0;
    assert_int_equal(lh_avro_decode(lh_avro_schema_root(s), overflow, sizeof overflow, &pos, &a, &v, &err), LH_ECORRUPT);
    assert_non_null(strstr(err.msg, "overflows"));
    pos = 0;
    assert_int_equal(lh_avro_decode(lh_avro_schema_root(s), overlong, sizeof overlong, &pos, &a, &v, &err), LH_ECORRUPT);
    lh_avro_schema_free(s);
    assert_int_equal(lh_avro_schema_parse("\"int\"", 5, &s, &err), LH_OK);
    pos = 0;
    assert_int_equal(lh_avro_decode(lh_avro_schema_root(s), int6, sizeof int6, &pos, &a, &v, &err), LH_ECORRUPT);
    /* the extremes encode and decode */
    {
        lh_buf b;
        lh_buf_init(&b, 0);
        assert_int_equal(lh_avro_value_new(&a, lh_avro_schema_root(s), &v, &err), LH_OK);
        assert_int_equal(lh_avro_set_int(&a, v, INT32_MIN, &err), LH_OK);
        assert_int_equal(lh_avro_encode(v, &b, &err), LH_OK);
        assert_int_equal(b.len, 5);
        pos = 0;
        assert_int_equal(lh_avro_decode(lh_avro_schema_root(s), (uint8_t *)b.data, b.len, &pos, &a, &v, &err), LH_OK);
        assert_int_equal(v->as.i, INT32_MIN);
        assert_int_equal(lh_avro_set_long(&a, v, 1, &err), LH_EINVAL); /* wrong type */
        lh_buf_free(&b);
    }
    lh_avro_schema_free(s);
    lh_arena_free(&a);
}

/* the decoding error names the field's path and the offset */
static void test_error_paths(void **state)
{
    const char *js = "{\"type\":\"record\",\"name\":\"manifest_entry\",\"fields\":[{\"name\":\"status\",\"type\":\"int\"},"
                     "{\"name\":\"data_file\",\"type\":{\"type\":\"record\",\"name\":\"r2\",\"fields\":["
                     "{\"name\":\"partition\",\"type\":{\"type\":\"record\",\"name\":\"r102\",\"fields\":["
                     "{\"name\":\"dt\",\"type\":\"long\"}]}}]}}]}";
    lh_avro_schema *s;
    lh_arena a;
    lh_err err;
    lh_avro_value *v;
    size_t pos = 0;
    static const uint8_t data[] = {0x02, 0x80};
    (void)state;
    lh_arena_init(&a, 0);
    assert_int_equal(lh_avro_schema_parse(js, strlen(js), &s, &err), LH_OK);
    assert_int_equal(lh_avro_decode(lh_avro_schema_root(s), data, 2, &pos, &a, &v, &err), LH_ECORRUPT);
    assert_string_equal(err.msg, "offset 2: data_file.partition.dt: expected a long, found the end of the data");
    lh_avro_schema_free(s);
    lh_arena_free(&a);
}

static void test_corrupt_files(void **state)
{
    lh_buf file, got;
    lh_err err;
    size_t cut, i, count;
    int c;
    (void)state;
    for (c = 0; c <= LH_AVRO_CODEC_ZSTD; c++) {
        lh_buf_init(&file, 0);
        assert_int_equal(write_all((lh_avro_codec)c, 6, 2, &file, NULL, &err), LH_OK);
        /* truncated at every byte: always an error, never a crash */
        for (cut = 0; cut < file.len; cut++) {
            uint8_t *copy = malloc(cut + 1);
            memcpy(copy, file.data, cut);
            if (read_all(copy, cut, NULL, &count, &err) == LH_OK && count == 6)
                fail_msg("codec %d: cut at %zu read all rows", c, cut);
            free(copy);
        }
        if (c == LH_AVRO_CODEC_NULL) {
            /* the message names the file, the offset and the field */
            assert_int_equal(read_all(file.data, file.len - 40, NULL, &count, &err), LH_ECORRUPT);
            assert_non_null(strstr(err.msg, "t.avro: offset "));
        }
        /* every byte flipped: any answer but a crash */
        for (i = 0; i < file.len; i++) {
            uint8_t *copy = malloc(file.len);
            memcpy(copy, file.data, file.len);
            copy[i] ^= (uint8_t)(0x55 + i);
            lh_buf_init(&got, 0);
            (void)read_all(copy, file.len, &got, &count, &err);
            lh_buf_free(&got);
            free(copy);
        }
        /* the last sync marker damaged */
        file.data[file.len - 1] ^= 1;
        assert_int_equal(read_all(file.data, file.len, NULL, &count, &err), LH_ECORRUPT);
        assert_non_null(strstr(err.msg, "sync marker"));
        if (c == LH_AVRO_CODEC_SNAPPY) {
            /* the CRC of the last block is the 4 bytes before its sync */
            file.data[file.len - 1] ^= 1;
            file.data[file.len - 17] ^= 1;
            assert_int_equal(read_all(file.data, file.len, NULL, &count, &err), LH_ECORRUPT);
            assert_non_null(strstr(err.msg, "CRC32"));
        }
        lh_buf_free(&file);
    }
}

static void test_hostile_lengths(void **state)
{
    lh_err err;
    size_t count;
    lh_buf f;
    const char *sch = "{\"type\":\"array\",\"items\":\"null\"}";
    (void)state;
    /* a header whose metadata count claims 2^62 entries */
    {
        static const uint8_t h[] = {'O', 'b', 'j', 1, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
        assert_int_equal(read_all(h, sizeof h, NULL, &count, &err), LH_ECORRUPT);
        assert_non_null(strstr(err.msg, "cannot fit"));
    }
    assert_int_equal(read_all("Obx\x01", 4, NULL, &count, &err), LH_ECORRUPT);
    assert_non_null(strstr(err.msg, "magic"));
    /* a file whose block holds an array of nulls claiming a huge count */
    lh_buf_init(&f, 0);
    assert_int_equal(lh_buf_append(&f, "Obj\x01\x02\x16" "avro.schema", 17, &err), LH_OK);
    assert_int_equal(lh_buf_putc(&f, (char)(strlen(sch) * 2), &err), LH_OK);
    assert_int_equal(lh_buf_puts(&f, sch, &err), LH_OK);
    assert_int_equal(lh_buf_putc(&f, 0, &err), LH_OK);
    assert_int_equal(lh_buf_append(&f, SYNC, 16, &err), LH_OK);
    /* 1 object, 6 bytes: array block count 2^40, then 0 */
    assert_int_equal(lh_buf_append(&f, "\x02\x0c\x80\x80\x80\x80\x80\x40\x00", 9, &err), LH_OK);
    f.len -= 1; /* 6 bytes of block: count varint (6 bytes) */
    assert_int_equal(lh_buf_append(&f, SYNC, 16, &err), LH_OK);
    assert_int_not_equal(read_all(f.data, f.len, NULL, &count, &err), LH_OK);
    lh_buf_free(&f);
    /* arrays of nulls: 65,536 items a value, 16 times that a file */
    {
        lh_avro_schema *s;
        lh_avro_writer *w;
        lh_arena a;
        lh_avro_value *v, *it;
        lh_avro_writer_opts o = {LH_AVRO_CODEC_NULL, 0, 0, SYNC};
        int row, k;
        lh_arena_init(&a, 0);
        lh_buf_init(&f, 0);
        assert_int_equal(lh_avro_schema_parse(sch, strlen(sch), &s, &err), LH_OK);
        assert_int_equal(lh_avro_writer_open(s, &o, &w, &err), LH_OK);
        for (row = 0; row < 20; row++) {
            assert_int_equal(lh_avro_value_new(&a, lh_avro_schema_root(s), &v, &err), LH_OK);
            for (k = 0; k < 65536; k++)
                assert_int_equal(lh_avro_array_add(&a, v, &it, &err), LH_OK);
            assert_int_equal(lh_avro_writer_append(w, v, &err), LH_OK);
            lh_arena_reset(&a);
        }
        assert_int_equal(lh_avro_writer_finish(w, &f, &err), LH_OK);
        assert_true(f.len < 200);
        assert_int_equal(read_all(f.data, f.len, NULL, &count, &err), LH_ELIMIT);
        assert_int_equal(count, 16);
        assert_non_null(strstr(err.msg, "zero-byte items"));
        lh_avro_writer_free(w);
        lh_avro_schema_free(s);
        lh_arena_free(&a);
        lh_buf_free(&f);
    }
    /* a recursive schema: a linked list */
    {
        const char *ll = "{\"type\":\"record\",\"name\":\"node\",\"fields\":[{\"name\":\"next\",\"type\":[\"null\",\"node\"]}]}";
        lh_avro_schema *s;
        lh_arena a;
        lh_avro_value *v;
        uint8_t deep[200];
        size_t pos = 0;
        memset(deep, 2, sizeof deep);
        lh_arena_init(&a, 0);
        assert_int_equal(lh_avro_schema_parse(ll, strlen(ll), &s, &err), LH_OK);
        assert_int_equal(lh_avro_decode(lh_avro_schema_root(s), deep, sizeof deep, &pos, &a, &v, &err), LH_ELIMIT);
        lh_avro_schema_free(s);
        lh_arena_free(&a);
    }
}

static void test_alloc_faults(void **state)
{
    long n;
    int ok = 0;
    (void)state;
    for (n = 1; n < 5000 && !ok; n++) {
        lh_buf file, exp, got;
        lh_err err;
        lh_rc rc;
        size_t count = 0;
        lh_buf_init(&file, 0);
        lh_buf_init(&exp, 0);
        lh_buf_init(&got, 0);
        lh_fault_alloc_set(n);
        rc = write_all(LH_AVRO_CODEC_DEFLATE, 5, 2, &file, &exp, &err);
        if (rc == LH_OK)
            rc = read_all(file.data, file.len, &got, &count, &err);
        lh_fault_alloc_set(0);
        if (rc == LH_OK) {
            ok = 1;
            assert_int_equal(count, 5);
            assert_string_equal(lh_buf_cstr(&exp), lh_buf_cstr(&got));
        } else if (rc != LH_ENOMEM) {
            fail_msg("allocation %ld: %s: %s", n, lh_strerror(rc), err.msg);
        }
        lh_buf_free(&file);
        lh_buf_free(&exp);
        lh_buf_free(&got);
    }
    assert_true(ok);
}

/* ---- helper modes ---- */
static int write_interop(const char *dir)
{
    int c;
    lh_err err;
    for (c = 0; c <= LH_AVRO_CODEC_ZSTD; c++) {
        lh_buf file, exp;
        char path[4096];
        FILE *fp;
        lh_buf_init(&file, 0);
        lh_buf_init(&exp, 0);
        if (write_all((lh_avro_codec)c, 12, 5, &file, &exp, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        snprintf(path, sizeof path, "%s/ours.%s.avro", dir, lh_avro_codec_name((lh_avro_codec)c));
        if (!(fp = fopen(path, "wb")) || fwrite(file.data, 1, file.len, fp) != file.len || fclose(fp))
            return 1;
        snprintf(path, sizeof path, "%s/ours.json", dir);
        if (!(fp = fopen(path, "wb")) || fwrite(exp.data, 1, exp.len, fp) != exp.len || fclose(fp))
            return 1;
        lh_buf_free(&file);
        lh_buf_free(&exp);
    }
    return 0;
}

static int dump(const char *path)
{
    FILE *fp = fopen(path, "rb");
    char *data;
    long n;
    lh_buf got;
    lh_err err;
    size_t count;
    if (!fp || fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET))
        return 2;
    data = malloc((size_t)n + 1);
    if (!data || fread(data, 1, (size_t)n, fp) != (size_t)n)
        return 2;
    fclose(fp);
    lh_buf_init(&got, 0);
    if (read_all(data, (size_t)n, &got, &count, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    fwrite(lh_buf_cstr(&got), 1, got.len, stdout);
    lh_buf_free(&got);
    free(data);
    return 0;
}

/* a manifest entry as Iceberg v2 writes it (trimmed to the usual fields) */
static const char *MANIFEST_SCHEMA =
    "{\"type\":\"record\",\"name\":\"manifest_entry\",\"fields\":["
    "{\"name\":\"status\",\"type\":\"int\",\"field-id\":0},"
    "{\"name\":\"snapshot_id\",\"type\":[\"null\",\"long\"],\"default\":null,\"field-id\":1},"
    "{\"name\":\"sequence_number\",\"type\":[\"null\",\"long\"],\"default\":null,\"field-id\":3},"
    "{\"name\":\"data_file\",\"type\":{\"type\":\"record\",\"name\":\"r2\",\"fields\":["
    "{\"name\":\"content\",\"type\":\"int\",\"field-id\":134},"
    "{\"name\":\"file_path\",\"type\":\"string\",\"field-id\":100},"
    "{\"name\":\"file_format\",\"type\":\"string\",\"field-id\":101},"
    "{\"name\":\"partition\",\"type\":{\"type\":\"record\",\"name\":\"r102\",\"fields\":["
    "{\"name\":\"dt\",\"type\":[\"null\",{\"type\":\"int\",\"logicalType\":\"date\"}],\"default\":null,\"field-id\":1000}]},\"field-id\":102},"
    "{\"name\":\"record_count\",\"type\":\"long\",\"field-id\":103},"
    "{\"name\":\"file_size_in_bytes\",\"type\":\"long\",\"field-id\":104},"
    "{\"name\":\"column_sizes\",\"type\":[\"null\",{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"k117_v118\","
    "\"fields\":[{\"name\":\"key\",\"type\":\"int\",\"field-id\":117},{\"name\":\"value\",\"type\":\"long\",\"field-id\":118}]},"
    "\"logicalType\":\"map\"}],\"default\":null,\"field-id\":108},"
    "{\"name\":\"lower_bounds\",\"type\":[\"null\",{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"k126_v127\","
    "\"fields\":[{\"name\":\"key\",\"type\":\"int\",\"field-id\":126},{\"name\":\"value\",\"type\":\"bytes\",\"field-id\":127}]},"
    "\"logicalType\":\"map\"}],\"default\":null,\"field-id\":125},"
    "{\"name\":\"upper_bounds\",\"type\":[\"null\",{\"type\":\"array\",\"items\":\"k126_v127\",\"logicalType\":\"map\"}],"
    "\"default\":null,\"field-id\":128}]},\"field-id\":2}]}";

static lh_rc build_entry(lh_arena *a, const lh_avro_schema *s, int i, lh_avro_value **out, lh_err *err)
{
    static char path[128];
    static const uint8_t lo[8] = {1, 0, 0, 0, 0, 0, 0, 0}, hi[8] = {0xff, 0xff, 0, 0, 0, 0, 0, 0};
    lh_avro_value *v, *df, *cs, *lb, *ub, *kv;
    int k;
    CHECK(lh_avro_value_new(a, lh_avro_schema_root(s), &v, err));
    CHECK(lh_avro_set_int(a, lh_avro_field(v, "status"), 1, err));
    CHECK(lh_avro_set_long(a, lh_avro_field(v, "snapshot_id"), 8744736658442914487LL, err));
    df = lh_avro_field(v, "data_file");
    CHECK(lh_avro_set_int(a, lh_avro_field(df, "content"), 0, err));
    snprintf(path, sizeof path, "s3://bucket/warehouse/db/tbl/data/dt=2024-01-%02d/%08d-0-abcdef.parquet", i % 28 + 1, i);
    CHECK(lh_avro_set_string(a, lh_avro_field(df, "file_path"), path, err));
    CHECK(lh_avro_set_string(a, lh_avro_field(df, "file_format"), "PARQUET", err));
    CHECK(lh_avro_set_int(a, lh_avro_field(lh_avro_field(df, "partition"), "dt"), 19723 + i % 28, err));
    CHECK(lh_avro_set_long(a, lh_avro_field(df, "record_count"), 100000 + i, err));
    CHECK(lh_avro_set_long(a, lh_avro_field(df, "file_size_in_bytes"), 4000000 + i, err));
    CHECK(lh_avro_set_some(a, lh_avro_field(df, "column_sizes"), &cs, err));
    CHECK(lh_avro_set_some(a, lh_avro_field(df, "lower_bounds"), &lb, err));
    CHECK(lh_avro_set_some(a, lh_avro_field(df, "upper_bounds"), &ub, err));
    for (k = 1; k <= 8; k++) {
        CHECK(lh_avro_array_add(a, cs, &kv, err));
        CHECK(lh_avro_set_int(a, lh_avro_field(kv, "key"), k, err));
        CHECK(lh_avro_set_long(a, lh_avro_field(kv, "value"), 12345 * k, err));
        CHECK(lh_avro_array_add(a, lb, &kv, err));
        CHECK(lh_avro_set_int(a, lh_avro_field(kv, "key"), k, err));
        CHECK(lh_avro_set_bytes(a, lh_avro_field(kv, "value"), lo, 8, err));
        CHECK(lh_avro_array_add(a, ub, &kv, err));
        CHECK(lh_avro_set_int(a, lh_avro_field(kv, "key"), k, err));
        CHECK(lh_avro_set_bytes(a, lh_avro_field(kv, "value"), hi, 8, err));
    }
    *out = v;
    return LH_OK;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int bench(int n)
{
    int c, i;
    lh_err err;
    lh_avro_schema *s;
    if (lh_avro_schema_parse(MANIFEST_SCHEMA, strlen(MANIFEST_SCHEMA), &s, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    size_t raw = 0; /* encoded (uncompressed) bytes: the null codec's file */
    for (c = 0; c <= LH_AVRO_CODEC_ZSTD; c++) {
        lh_avro_writer *w;
        lh_avro_writer_opts o = {(lh_avro_codec)c, 0, 0, NULL};
        lh_arena a;
        lh_buf file;
        double t0, t1, t2;
        size_t count = 0;
        lh_avro_reader *r;
        const lh_avro_value *v;
        lh_arena_init(&a, 0);
        lh_buf_init(&file, 0);
        t0 = now_s();
        if (lh_avro_writer_open(s, &o, &w, &err))
            return 1;
        for (i = 0; i < n; i++) {
            lh_avro_value *e;
            if (build_entry(&a, s, i, &e, &err) || lh_avro_writer_append(w, e, &err)) {
                fprintf(stderr, "%s\n", err.msg);
                return 1;
            }
            lh_arena_reset(&a);
        }
        if (lh_avro_writer_finish(w, &file, &err))
            return 1;
        lh_avro_writer_free(w);
        t1 = now_s();
        if (lh_avro_reader_open(file.data, file.len, "bench", &r, &err))
            return 1;
        while (!lh_avro_reader_next(r, &v, &err) && v)
            count++;
        t2 = now_s();
        lh_avro_reader_close(r);
        if ((int)count != n) {
            fprintf(stderr, "read %zu of %d: %s\n", count, n, err.msg);
            return 1;
        }
        if (c == 0)
            raw = file.len;
        printf("%-9s %d entries, %.1f MB encoded, file %.2f MB: build+encode %.0f rec/s %.1f MB/s; decode %.0f rec/s "
               "%.1f MB/s (MB of encoded data)\n",
               lh_avro_codec_name((lh_avro_codec)c), n, raw / 1e6, file.len / 1e6, n / (t1 - t0), raw / 1e6 / (t1 - t0),
               n / (t2 - t1), raw / 1e6 / (t2 - t1));
        lh_buf_free(&file);
        lh_arena_free(&a);
    }
    lh_avro_schema_free(s);
    return 0;
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_round_trip),
        cmocka_unit_test(test_schema_errors),
        cmocka_unit_test(test_round_trip_codecs_and_blocks),
        cmocka_unit_test(test_varints),
        cmocka_unit_test(test_error_paths),
        cmocka_unit_test(test_corrupt_files),
        cmocka_unit_test(test_hostile_lengths),
        cmocka_unit_test(test_alloc_faults),
    };
    if (argc == 3 && !strcmp(argv[1], "--write-interop"))
        return write_interop(argv[2]);
    if (argc == 3 && !strcmp(argv[1], "--dump"))
        return dump(argv[2]);
    if (argc == 3 && !strcmp(argv[1], "--bench"))
        return bench(atoi(argv[2]));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
