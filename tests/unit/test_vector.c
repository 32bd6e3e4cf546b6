/* Unit tests: exec/vector (layouts, string views, NULL masks, selection,
 * constant and dictionary vectors, copying, allocation faults). */
#include "testutil.h"

#include "exec/hash.h"
#include "exec/vector.h"

static lh_vector *mk(lh_sqltype t)
{
    lh_vector *v = NULL;
    lh_err e;
    assert_int_equal(lh_vector_create(t, 0, &v, &e), LH_OK);
    return v;
}

static void test_layouts(void **state)
{
    (void)state;
    assert_int_equal(lh_phys_of(lh_sqltype_of(LH_SQL_BOOLEAN)), LH_P_U8);
    assert_int_equal(lh_phys_of(lh_sqltype_of(LH_SQL_TINYINT)), LH_P_I8);
    assert_int_equal(lh_phys_of(lh_sqltype_of(LH_SQL_SMALLINT)), LH_P_I16);
    assert_int_equal(lh_phys_of(lh_sqltype_of(LH_SQL_INTEGER)), LH_P_I32);
    assert_int_equal(lh_phys_of(lh_sqltype_of(LH_SQL_BIGINT)), LH_P_I64);
    assert_int_equal(lh_phys_of(lh_sqltype_of(LH_SQL_REAL)), LH_P_F32);
    assert_int_equal(lh_phys_of(lh_sqltype_of(LH_SQL_DOUBLE)), LH_P_F64);
    assert_int_equal(lh_phys_of(lh_sqltype_decimal(18, 2)), LH_P_I64);
    assert_int_equal(lh_phys_of(lh_sqltype_decimal(19, 2)), LH_P_I128);
    assert_int_equal(lh_phys_of(lh_sqltype_of(LH_SQL_DATE)), LH_P_I32);
    assert_int_equal(lh_phys_of(lh_sqltype_timestamp(3)), LH_P_I64);
    assert_int_equal(lh_phys_of(lh_sqltype_timestamp_tz(3)), LH_P_TSTZ);
    assert_int_equal(lh_phys_of(lh_sqltype_of(LH_SQL_INTERVAL_DS)), LH_P_I64);
    assert_int_equal(lh_phys_of(lh_sqltype_of(LH_SQL_INTERVAL_YM)), LH_P_I32);
    assert_int_equal(lh_phys_of(lh_sqltype_varchar(LH_SQL_UNBOUNDED)), LH_P_STR);
    assert_int_equal(lh_phys_of(lh_sqltype_of(LH_SQL_VARBINARY)), LH_P_STR);
    assert_int_equal(lh_phys_width(LH_P_STR), 16);
    assert_int_equal(lh_phys_width(LH_P_I128), 16);
    assert_int_equal(sizeof(lh_str), 16);
    {
        lh_vector *v = mk(lh_sqltype_of(LH_SQL_TINYINT));
        lh_vector_set_i64(v, 5, -128);
        assert_int_equal(((int8_t *)v->data)[5], -128);
        assert_int_equal(lh_vector_get_i64(v, 5), -128);
        lh_vector_free(v);
        v = mk(lh_sqltype_decimal(38, 10));
        lh_vector_set_i128(v, 1, lh_dec_pow10(37));
        assert_true(lh_vector_get_i128(v, 1) == lh_dec_pow10(37));
        lh_vector_free(v);
        v = mk(lh_sqltype_timestamp_tz(3));
        lh_tstz t = {123456, LH_ZONE_FIXED(120)};
        lh_vector_set_tstz(v, 7, t);
        assert_int_equal(lh_vector_get_tstz(v, 7).utc_us, 123456);
        assert_int_equal(lh_vector_get_tstz(v, 7).zone, LH_ZONE_FIXED(120));
        lh_vector_free(v);
    }
}

static void test_strings(void **state)
{
    lh_arena a;
    lh_err e;
    lh_vector *v = mk(lh_sqltype_varchar(LH_SQL_UNBOUNDED));
    char big[64];
    lh_str s, t;
    (void)state;
    lh_arena_init(&a, 0);
    assert_int_equal(lh_vector_set_str(v, 0, "", 0, &a, &e), LH_OK);
    assert_int_equal(lh_vector_set_str(v, 1, "hello world!", 12, &a, &e), LH_OK); /* 12: inline */
    assert_int_equal(lh_vector_set_str(v, 2, "hello world!!", 13, &a, &e), LH_OK); /* 13: pointer */
    assert_int_equal(a.used_total, 16); /* only the 13-byte string reached the arena */
    s = lh_vector_get_str(v, 1);
    assert_int_equal(lh_str_len(&s), 12);
    assert_ptr_equal(lh_str_ptr(&((lh_str *)v->data)[1]), ((lh_str *)v->data)[1].in.data);
    assert_memory_equal(lh_str_ptr(&s), "hello world!", 12);
    s = lh_vector_get_str(v, 2);
    assert_int_equal(lh_str_len(&s), 13);
    assert_memory_equal(s.out.prefix, "hell", 4);
    assert_memory_equal(lh_str_ptr(&s), "hello world!!", 13);
    /* equality and order across inline/pointer and same prefixes */
    memset(big, 'x', sizeof big);
    s = lh_str_view(big, 20);
    t = lh_str_view(big, 20);
    assert_true(lh_str_eq(&s, &t));
    t = lh_str_view(big, 19);
    assert_false(lh_str_eq(&s, &t));
    assert_int_equal(lh_str_cmp(&t, &s), -1);
    s = lh_str_view("abc", 3);
    t = lh_str_view("abd", 3);
    assert_int_equal(lh_str_cmp(&s, &t), -1);
    assert_int_equal(lh_str_cmp(&t, &s), 1);
    s = lh_str_view("\xc3\xa9", 2); /* bytewise: é (0xC3) > z */
    t = lh_str_view("z", 1);
    assert_int_equal(lh_str_cmp(&s, &t), 1);
    lh_vector_free(v);
    lh_arena_free(&a);
}

static void test_null_mask(void **state)
{
    lh_vector *v = mk(lh_sqltype_of(LH_SQL_BIGINT));
    uint32_t rows[] = {0, 62, 63, 64, 65, 127, 128, 2046, 2047};
    size_t i;
    (void)state;
    assert_false(v->may_null);
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
        lh_vector_set_null(v, rows[i]);
    assert_true(v->may_null);
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_false(lh_vector_is_valid(v, rows[i]));
    assert_true(lh_vector_is_valid(v, 1));
    assert_true(lh_vector_is_valid(v, 61));
    assert_true(lh_vector_is_valid(v, 126));
    assert_true(lh_vector_is_valid(v, 2045));
    assert_int_equal(v->validity[0], ~(((uint64_t)1 << 63) | ((uint64_t)1 << 62) | 1));
    lh_vector_set_i64(v, 64, 9); /* setting a value makes it valid */
    assert_true(lh_vector_is_valid(v, 64));
    lh_vector_reset(v);
    assert_true(lh_vector_is_valid(v, 2047));
    assert_false(v->may_null);
    lh_vector_free(v);
}

static void test_const_dict(void **state)
{
    lh_vector *v = mk(lh_sqltype_varchar(LH_SQL_UNBOUNDED)), *d = NULL;
    lh_err e;
    lh_arena a;
    uint32_t i;
    (void)state;
    lh_arena_init(&a, 0);
    lh_vector_set_const(v, 0);
    assert_int_equal(lh_vector_set_str(v, 0, "a constant string", 17, &a, &e), LH_OK);
    assert_int_equal(lh_vector_get_str(v, 1999).in.len, 17);
    assert_true(lh_vector_get_valid(v, 1999));
    lh_vector_flatten(v, 100);
    assert_int_equal(v->kind, LH_VEC_FLAT);
    assert_memory_equal(lh_str_ptr(&((lh_str *)v->data)[99]), "a constant string", 17);
    /* NULL constant */
    lh_vector_set_const(v, 1);
    assert_false(lh_vector_get_valid(v, 5));
    lh_vector_flatten(v, 70);
    assert_false(lh_vector_is_valid(v, 69));
    assert_false(lh_vector_is_valid(v, 0));
    /* dictionary of three, one NULL entry */
    lh_vector_reset(v);
    assert_int_equal(lh_vector_set_dict(v, 3, &d, &e), LH_OK);
    assert_int_equal(lh_vector_set_str(d, 0, "red", 3, &a, &e), LH_OK);
    assert_int_equal(lh_vector_set_str(d, 1, "a long green colour", 19, &a, &e), LH_OK);
    lh_vector_set_null(d, 2);
    for (i = 0; i < LH_BATCH; i++)
        v->dict_idx[i] = (uint16_t)(i % 3);
    assert_true(lh_vector_get_valid(v, 0));
    assert_false(lh_vector_get_valid(v, 2));
    assert_int_equal(lh_vector_get_str(v, 4).in.len, 19);
    lh_vector_flatten(v, LH_BATCH);
    assert_int_equal(v->kind, LH_VEC_FLAT);
    assert_false(lh_vector_is_valid(v, 2045)); /* 2045 % 3 == 2 */
    assert_true(lh_vector_is_valid(v, 2047));
    assert_false(lh_vector_is_valid(v, 2));
    assert_true(lh_vector_is_valid(v, 2046));
    assert_memory_equal(lh_str_ptr(&((lh_str *)v->data)[2044]), "a long green colour", 19);
    assert_memory_equal(lh_str_ptr(&((lh_str *)v->data)[2046]), "red", 3);
    /* bad dictionary sizes */
    assert_int_equal(lh_vector_set_dict(v, 0, &d, &e), LH_ELIMIT);
    lh_vector_free(v);
    lh_arena_free(&a);
}

static void test_batch_select_compact(void **state)
{
    lh_sqltype ts[2] = {lh_sqltype_of(LH_SQL_INTEGER), lh_sqltype_varchar(LH_SQL_UNBOUNDED)};
    lh_batch *b = NULL, *o = NULL;
    lh_err e;
    uint16_t sel[LH_BATCH];
    uint32_t i, n = 0;
    char buf[32];
    (void)state;
    assert_int_equal(lh_batch_create(ts, 2, 0, &b, &e), LH_OK);
    assert_int_equal(lh_batch_create(ts, 2, 0, &o, &e), LH_OK);
    for (i = 0; i < LH_BATCH; i++) {
        int k = snprintf(buf, sizeof buf, "row number %u!", i);
        lh_vector_set_i64(b->cols[0], i, i);
        assert_int_equal(lh_vector_set_str(b->cols[1], i, buf, (size_t)k, &b->arena, &e), LH_OK);
        if (i % 64 == 63)
            lh_vector_set_null(b->cols[0], i);
    }
    b->n = LH_BATCH;
    assert_int_equal(lh_batch_rows(b).n, LH_BATCH);
    for (i = 0; i < LH_BATCH; i += 7)
        sel[n++] = (uint16_t)i;
    lh_batch_select(b, sel, n);
    assert_int_equal(lh_batch_rows(b).n, n);
    /* copy selected rows into another batch: strings land in its arena */
    for (i = 0; i < n; i++) {
        assert_int_equal(lh_vector_copy_value(b->cols[0], sel[i], o->cols[0], i, &o->arena, &e), LH_OK);
        assert_int_equal(lh_vector_copy_value(b->cols[1], sel[i], o->cols[1], i, &o->arena, &e), LH_OK);
    }
    o->n = n;
    lh_batch_compact(b);
    assert_int_equal(b->n, n);
    assert_null(b->sel);
    for (i = 0; i < n; i++) {
        lh_str s1 = lh_vector_get_str(b->cols[1], i), s2 = lh_vector_get_str(o->cols[1], i);
        assert_int_equal(lh_vector_is_valid(b->cols[0], i), sel[i] % 64 != 63);
        assert_int_equal(lh_vector_is_valid(o->cols[0], i), sel[i] % 64 != 63);
        if (sel[i] % 64 != 63)
            assert_int_equal(lh_vector_get_i64(b->cols[0], i), sel[i]);
        assert_true(lh_str_eq(&s1, &s2));
        snprintf(buf, sizeof buf, "row number %u!", sel[i]);
        assert_memory_equal(lh_str_ptr(&s2), buf, strlen(buf));
    }
    lh_batch_reset(b); /* the other batch's copies stay valid */
    assert_int_equal(b->n, 0);
    assert_int_equal(b->arena.used_total, 0);
    {
        lh_str s = lh_vector_get_str(o->cols[1], n - 1);
        snprintf(buf, sizeof buf, "row number %u!", sel[n - 1]);
        assert_memory_equal(lh_str_ptr(&s), buf, strlen(buf));
    }
    lh_batch_free(b);
    lh_batch_free(o);
}

static void test_limits(void **state)
{
    lh_batch *b = NULL;
    lh_vector *v = NULL;
    lh_err e;
    lh_sqltype t = lh_sqltype_varchar(LH_SQL_UNBOUNDED);
    char big[256];
    (void)state;
    assert_int_equal(lh_batch_create(&t, LH_BATCH_MAX_COLS + 1, 0, &b, &e), LH_ELIMIT);
    assert_int_equal(lh_vector_create(t, 1u << 25, &v, &e), LH_ELIMIT);
    /* the arena cap bounds string bytes */
    assert_int_equal(lh_batch_create(&t, 1, 100, &b, &e), LH_OK);
    memset(big, 'q', sizeof big);
    assert_int_equal(lh_vector_set_str(b->cols[0], 0, big, 90, &b->arena, &e), LH_OK);
    assert_int_equal(lh_vector_set_str(b->cols[0], 1, big, 90, &b->arena, &e), LH_ENOMEM);
    lh_batch_reset(b);
    assert_int_equal(lh_vector_set_str(b->cols[0], 1, big, 90, &b->arena, &e), LH_OK);
    lh_batch_free(b);
}

/* Every allocation of creating a batch, filling strings and a dictionary
 * fails in turn: each ends in a clean error, nothing leaks (ASan). */
static void test_alloc_faults(void **state)
{
    long n;
    int ok = 0;
    (void)state;
    for (n = 1; n < 200 && !ok; n++) {
        lh_sqltype ts[3] = {lh_sqltype_of(LH_SQL_BIGINT), lh_sqltype_varchar(LH_SQL_UNBOUNDED),
                            lh_sqltype_decimal(30, 2)};
        lh_batch *b = NULL;
        lh_vector *d = NULL;
        lh_err e;
        lh_rc rc;
        lh_fault_alloc_set(n);
        rc = lh_batch_create(ts, 3, 0, &b, &e);
        if (rc)
            assert_null(b);
        if (!rc)
            rc = lh_vector_set_str(b->cols[1], 0, "more than twelve bytes", 22, &b->arena, &e);
        if (!rc)
            rc = lh_vector_set_dict(b->cols[1], 10, &d, &e);
        lh_fault_alloc_set(0);
        if (rc) {
            assert_int_equal(rc, LH_ENOMEM);
            assert_true(strstr(e.msg, "out of memory") != NULL);
        } else {
            ok = 1;
        }
        lh_batch_free(b);
    }
    assert_true(ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layouts),        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_null_mask),      cmocka_unit_test(test_const_dict),
        cmocka_unit_test(test_batch_select_compact), cmocka_unit_test(test_limits),
        cmocka_unit_test(test_alloc_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
