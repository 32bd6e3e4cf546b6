/* tests/unit/test_spill.c — spill files: every physical type with NULLs,
 * FLAT, CONST and DICT vectors and selections written and read back equal;
 * rows of a row store in a given order; no named file left in the folder;
 * I/O and allocation faults end in clean errors;
 * the memory-size parser. */
#include <dirent.h>
#include <unistd.h>

#include "exec/spill.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function" /* only fmt_value is used here */
#include "op_testsrc.h"
#pragma GCC diagnostic pop
#include "util/fault.h"
#include "util/tmpfile.h"

static lh_exec_ctx ctx;
static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/lh-test-spill-%d/nested/tmp", (int)getpid());
    lh_exec_ctx_init(&ctx);
    ctx.tmp_dir = dir;
    return 0;
}

static int teardown(void **state)
{
    char cmd[300];
    (void)state;
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
    snprintf(cmd, sizeof cmd, "rm -rf /tmp/lh-test-spill-%d", (int)getpid());
    assert_int_equal(system(cmd), 0);
    return 0;
}

static size_t files_in(const char *d)
{
    DIR *dp = opendir(d);
    struct dirent *de;
    size_t n = 0;
    if (!dp)
        return 0;
    while ((de = readdir(dp)))
        if (de->d_name[0] != '.')
            n++;
    closedir(dp);
    return n;
}

#define NT 10
static lh_sqltype types[NT];

static void init_types(void)
{
    types[0] = lh_sqltype_of(LH_SQL_BOOLEAN);
    types[1] = lh_sqltype_of(LH_SQL_TINYINT);
    types[2] = lh_sqltype_of(LH_SQL_SMALLINT);
    types[3] = lh_sqltype_of(LH_SQL_INTEGER);
    types[4] = lh_sqltype_of(LH_SQL_BIGINT);
    types[5] = lh_sqltype_decimal(30, 4);
    types[6] = lh_sqltype_of(LH_SQL_DOUBLE);
    types[7] = lh_sqltype_of(LH_SQL_REAL);
    types[8] = lh_sqltype_varchar(LH_SQL_UNBOUNDED);
    types[9] = lh_sqltype_timestamp_tz(3);
}

/* Row g of the reference data: column c NULL every (c + 3)th row. */
static void fill_row(lh_batch *b, uint32_t r, size_t g, lh_arena *a)
{
    uint32_t c;
    char s[64];
    for (c = 0; c < NT; c++) {
        lh_vector *v = b->cols[c];
        if (g % (c + 3) == 0) {
            lh_vector_set_null(v, r);
            continue;
        }
        switch (c) {
        case 0: lh_vector_set_bool(v, r, (int)(g & 1)); break;
        case 1: lh_vector_set_i64(v, r, (int64_t)(g % 200) - 100); break;
        case 2: lh_vector_set_i64(v, r, (int64_t)(g % 60000) - 30000); break;
        case 3: lh_vector_set_i64(v, r, (int64_t)g * 7919 - 1000000); break;
        case 4: lh_vector_set_i64(v, r, (int64_t)g * 1000000007LL); break;
        case 5: lh_vector_set_i128(v, r, (lh_i128)g * (lh_i128)1000000000000000000LL + 17); break;
        case 6: lh_vector_set_f64(v, r, (double)g / 3.0); break;
        case 7: lh_vector_set_f64(v, r, (double)g / 7.0); break;
        case 8: {
            int n = snprintf(s, sizeof s, g % 2 ? "s%zu" : "a longer string number %zu", g);
            assert_int_equal(lh_vector_set_str(v, r, s, (size_t)n, a, NULL), LH_OK);
            break;
        }
        default: {
            lh_tstz t;
            t.utc_us = (int64_t)g * 1000;
            t.zone = (lh_zone)(g % 5);
            lh_vector_set_tstz(v, r, t);
            break;
        }
        }
    }
}

static void row_text(lh_batch *b, uint32_t r, char *buf, size_t sz)
{
    uint32_t c;
    size_t off = 0;
    for (c = 0; c < b->ncols && off < sz; c++) {
        char cell[128];
        fmt_value(b->cols[c], r, cell, sizeof cell);
        off += (size_t)snprintf(buf + off, sz - off, "%s|", cell);
    }
}

/* Batches of 2048 rows with every other batch selected to its odd rows,
 * written and read back row for row. */
static void test_roundtrip(void **state)
{
    lh_spill *s;
    lh_batch *b, *in;
    lh_err e;
    size_t g = 0, nb, want_rows = 0, got = 0;
    char **expect = calloc(5 * LH_BATCH, sizeof *expect);
    (void)state;
    init_types();
    assert_non_null(expect);
    assert_int_equal(lh_spill_create(&ctx, "Test", types, NT, &s, &e), LH_OK);
    assert_int_equal(lh_batch_create(types, NT, 0, &b, &e), LH_OK);
    for (nb = 0; nb < 5; nb++) {
        uint32_t r;
        lh_batch_reset(b);
        for (r = 0; r < LH_BATCH - nb; r++)
            fill_row(b, r, g++, &b->arena);
        b->n = LH_BATCH - (uint32_t)nb;
        if (nb % 2) {
            uint16_t sel[LH_BATCH];
            uint32_t k = 0;
            for (r = 1; r < b->n; r += 2)
                sel[k++] = (uint16_t)r;
            lh_batch_select(b, sel, k);
        }
        {
            lh_rows rows = lh_batch_rows(b);
            uint32_t k;
            for (k = 0; k < rows.n; k++) {
                char buf[1024];
                row_text(b, rows.sel ? rows.sel[k] : k, buf, sizeof buf);
                expect[want_rows++] = strdup(buf);
            }
        }
        assert_int_equal(lh_spill_put(s, b, &e), LH_OK);
    }
    assert_int_equal(lh_spill_rows(s), want_rows);
    assert_true(lh_spill_bytes(s) > want_rows * 40);
    assert_int_equal(files_in(dir), 0); /* nameless */
    assert_int_equal(lh_spill_rewind(s, &e), LH_OK);
    for (;;) {
        uint32_t r;
        assert_int_equal(lh_spill_get(s, &in, &e), LH_OK);
        if (!in)
            break;
        for (r = 0; r < in->n; r++) {
            char buf[1024];
            row_text(in, r, buf, sizeof buf);
            assert_true(got < want_rows);
            assert_string_equal(buf, expect[got]);
            got++;
        }
    }
    assert_int_equal(got, want_rows);
    /* append after reading, read again from the start */
    lh_batch_reset(b);
    fill_row(b, 0, 99, &b->arena);
    b->n = 1;
    assert_int_equal(lh_spill_put(s, b, &e), LH_OK);
    assert_int_equal(lh_spill_rewind(s, &e), LH_OK);
    got = 0;
    for (;;) {
        assert_int_equal(lh_spill_get(s, &in, &e), LH_OK);
        if (!in)
            break;
        got += in->n;
    }
    assert_int_equal(got, want_rows + 1);
    assert_true(atomic_load(&ctx.spill_bytes) >= lh_spill_bytes(s));
    lh_spill_free(s);
    lh_batch_free(b);
    for (g = 0; g < want_rows; g++)
        free(expect[g]);
    free(expect);
}

/* CONST and DICT vectors are read through. */
static void test_const_dict(void **state)
{
    lh_sqltype t[2];
    lh_batch *b, *in;
    lh_vector *dict;
    lh_spill *s;
    lh_err e;
    uint32_t r;
    (void)state;
    t[0] = lh_sqltype_of(LH_SQL_BIGINT);
    t[1] = lh_sqltype_varchar(LH_SQL_UNBOUNDED);
    assert_int_equal(lh_batch_create(t, 2, 0, &b, &e), LH_OK);
    lh_vector_set_const(b->cols[0], 0);
    lh_vector_set_i64(b->cols[0], 0, 42);
    assert_int_equal(lh_vector_set_dict(b->cols[1], 3, &dict, &e), LH_OK);
    assert_int_equal(lh_vector_set_str(dict, 0, "zero", 4, &b->arena, &e), LH_OK);
    assert_int_equal(lh_vector_set_str(dict, 1, "one, a long dictionary value", 28, &b->arena, &e), LH_OK);
    lh_vector_set_null(dict, 2);
    for (r = 0; r < 100; r++)
        b->cols[1]->dict_idx[r] = (uint16_t)(r % 3);
    b->n = 100;
    assert_int_equal(lh_spill_create(&ctx, "Test", t, 2, &s, &e), LH_OK);
    assert_int_equal(lh_spill_put(s, b, &e), LH_OK);
    assert_int_equal(lh_spill_rewind(s, &e), LH_OK);
    assert_int_equal(lh_spill_get(s, &in, &e), LH_OK);
    assert_non_null(in);
    assert_int_equal(in->n, 100);
    for (r = 0; r < 100; r++) {
        char buf[256];
        row_text(in, r, buf, sizeof buf);
        assert_string_equal(buf, r % 3 == 0 ? "42|zero|" : r % 3 == 1 ? "42|one, a long dictionary value|" : "42|NULL|");
    }
    assert_int_equal(lh_spill_get(s, &in, &e), LH_OK);
    assert_null(in);
    lh_spill_free(s);
    lh_batch_free(b);
}

/* Rows of a row store, in reverse order. */
static void test_put_rows(void **state)
{
    lh_rowstore rs;
    lh_batch *b, *in;
    lh_spill *s;
    lh_err e;
    uint32_t *idx, r, n = 5000, got = 0;
    (void)state;
    init_types();
    memset(&rs, 0, sizeof rs);
    assert_int_equal(lh_rowstore_init(&rs, types, NT, &ctx, "Test", &e), LH_OK);
    assert_int_equal(lh_batch_create(types, NT, 0, &b, &e), LH_OK);
    for (r = 0; r < n; r += LH_BATCH) {
        uint32_t k, m = n - r < LH_BATCH ? n - r : LH_BATCH;
        lh_batch_reset(b);
        for (k = 0; k < m; k++)
            fill_row(b, k, r + k, &b->arena);
        b->n = m;
        assert_int_equal(lh_rowstore_append(&rs, b, lh_batch_rows(b), &e), LH_OK);
    }
    idx = malloc(n * sizeof *idx);
    assert_non_null(idx);
    for (r = 0; r < n; r++)
        idx[r] = n - 1 - r;
    assert_int_equal(lh_spill_create(&ctx, "Test", types, NT, &s, &e), LH_OK);
    assert_int_equal(lh_spill_put_rows(s, &rs, idx, n, &e), LH_OK);
    assert_int_equal(lh_spill_rewind(s, &e), LH_OK);
    for (;;) {
        assert_int_equal(lh_spill_get(s, &in, &e), LH_OK);
        if (!in)
            break;
        for (r = 0; r < in->n; r++, got++) {
            char a[1024], w[1024];
            lh_batch_reset(b);
            fill_row(b, 0, n - 1 - got, &b->arena);
            b->n = 1;
            row_text(b, 0, w, sizeof w);
            row_text(in, r, a, sizeof a);
            assert_string_equal(a, w);
        }
    }
    assert_int_equal(got, n);
    lh_spill_free(s);
    lh_rowstore_free(&rs);
    lh_batch_free(b);
    free(idx);
}

/* No folder, a file where the folder should be, faults: clean errors. */
static void test_errors(void **state)
{
    lh_exec_ctx c2;
    lh_spill *s = NULL;
    lh_batch *b, *in;
    lh_err e;
    lh_sqltype t = lh_sqltype_of(LH_SQL_BIGINT);
    char path[300];
    FILE *f;
    long n;
    (void)state;
    lh_exec_ctx_init(&c2);
    assert_int_equal(lh_spill_create(&c2, "HashJoin", &t, 1, &s, &e), LH_EINVAL);
    assert_non_null(strstr(e.msg, "HashJoin"));
    snprintf(path, sizeof path, "/tmp/lh-test-spill-%d/afile", (int)getpid());
    f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(path, sizeof path, "/tmp/lh-test-spill-%d/afile/tmp", (int)getpid());
    c2.tmp_dir = path;
    assert_int_not_equal(lh_spill_create(&c2, "Sort", &t, 1, &s, &e), LH_OK);
    assert_non_null(strstr(e.msg, "afile"));
    assert_int_equal(lh_batch_create(&t, 1, 0, &b, &e), LH_OK);
    lh_vector_set_i64(b->cols[0], 0, 1);
    b->n = 1;
    /* I/O faults at each guarded call of a create, put, rewind, get cycle */
    for (n = 1; n < 40; n++) {
        lh_rc rc;
        lh_fault_io_set(n);
        rc = lh_spill_create(&ctx, "Sort", &t, 1, &s, &e);
        if (!rc) {
            uint32_t k;
            for (k = 0; k < 200 && !rc; k++) /* 200 blocks pass the write buffer */
                rc = lh_spill_put(s, b, &e);
            if (!rc)
                rc = lh_spill_rewind(s, &e);
            while (!rc && !(rc = lh_spill_get(s, &in, &e)) && in)
                ;
            lh_spill_free(s);
        }
        lh_fault_io_set(0);
        if (rc) {
            assert_true(rc == LH_EIO);
            assert_non_null(strstr(e.msg, "Sort"));
        }
    }
    /* allocation faults */
    for (n = 1; n < 30; n++) {
        lh_rc rc;
        lh_fault_alloc_set(n);
        rc = lh_spill_create(&ctx, "Sort", &t, 1, &s, &e);
        if (!rc) {
            rc = lh_spill_put(s, b, &e);
            if (!rc)
                rc = lh_spill_rewind(s, &e);
            while (!rc && !(rc = lh_spill_get(s, &in, &e)) && in)
                ;
            lh_spill_free(s);
        }
        lh_fault_alloc_set(0);
        if (rc)
            assert_int_equal(rc, LH_ENOMEM);
    }
    lh_batch_free(b);
}

static void test_mem_size(void **state)
{
    uint64_t v;
    lh_err e;
    (void)state;
    assert_int_equal(lh_parse_mem_size("4GB", 0, &v, &e), LH_OK);
    assert_int_equal(v, (uint64_t)4 << 30);
    assert_int_equal(lh_parse_mem_size("512MiB", 0, &v, &e), LH_OK);
    assert_int_equal(v, (uint64_t)512 << 20);
    assert_int_equal(lh_parse_mem_size("1.5g", 0, &v, &e), LH_OK);
    assert_int_equal(v, (uint64_t)3 << 29);
    assert_int_equal(lh_parse_mem_size("2048", 0, &v, &e), LH_OK);
    assert_int_equal(v, 2048);
    assert_int_equal(lh_parse_mem_size("25%", 1000, &v, &e), LH_OK);
    assert_int_equal(v, 250);
    assert_int_equal(lh_parse_mem_size("4XB", 0, &v, &e), LH_EINVAL);
    assert_non_null(strstr(e.msg, "XB"));
    assert_int_equal(lh_parse_mem_size("-1GB", 0, &v, &e), LH_EINVAL);
    assert_int_equal(lh_parse_mem_size("", 0, &v, &e), LH_EINVAL);
    assert_int_equal(lh_parse_mem_size("150%", 1000, &v, &e), LH_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip), cmocka_unit_test(test_const_dict), cmocka_unit_test(test_put_rows),
        cmocka_unit_test(test_errors),    cmocka_unit_test(test_mem_size),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
