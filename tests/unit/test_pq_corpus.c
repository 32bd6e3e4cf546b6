/* tests/unit/test_pq_corpus.c — the Parquet reader against Apache's
 * parquet-testing files (LAKEHOUSE_TEST_DATA/corpora/parquet-testing, see
 * testutil.h; each part is skipped, by name, when its folder is absent):
 *  - every tier1/ file reads with rows equal to expected-duckdb/tier1__NAME.jsonl;
 *  - tier2/ files read as far as supported (the list is printed); row
 *    counts must match DuckDB's where both succeed; none may crash;
 *  - every bad_data/ file and both *corrupt-checksum* files are rejected
 *    with LH_ECORRUPT or LH_EUNSUPPORTED. */
#define LH_TESTUTIL_STORE_FIXTURE
#include "testutil.h"

#include <dirent.h>
#include <math.h>

#include "formats/json.h"
#include "formats/parquet.h"
#include "store/store.h"

static const char *corpus_dir(void)
{
    return lh_test_data_root("parquet-testing");
}


/* Copy a corpus file into the store; returns its URI (static buffer). */
static const char *put_file(fixture *f, const char *rel)
{
    static char uri[1024];
    char path[2048];
    FILE *fp;
    char *data;
    long n;
    lh_err err;
    snprintf(path, sizeof path, "%s/%s", corpus_dir(), rel);
    fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    data = malloc((size_t)n + 1);
    assert_int_equal(fread(data, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    snprintf(uri, sizeof uri, "s3://corpus/%s", rel);
    assert_int_equal(lh_store_put(f->st, uri, data, (size_t)n, &err), LH_OK);
    free(data);
    return uri;
}

/* DuckDB renders BLOBs with printable ASCII kept and other bytes as \xNN. */
static void blob_render(const char *s, size_t n, lh_buf *out)
{
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 32 && c < 127 && c != '\\')
            assert_int_equal(lh_buf_putc(out, (char)c, NULL), LH_OK);
        else
            assert_int_equal(lh_buf_printf(out, NULL, "\\x%02X", c), LH_OK);
    }
}

static int value_matches(const lh_value *v, const lh_json_span *e, char *why, size_t whyn)
{
    lh_buf u, b;
    int ok = 0;
    switch (e->kind) {
    case LH_J_NULL:
        ok = v->t == LH_V_NULL || (v->t == LH_V_REAL && isnan(v->d));
        break;
    case LH_J_TRUE:
    case LH_J_FALSE:
        ok = v->t == LH_V_INT && v->i == (e->kind == LH_J_TRUE);
        break;
    case LH_J_NUMBER: {
        char tmp[128];
        size_t n = e->n < sizeof tmp - 1 ? e->n : sizeof tmp - 1;
        memcpy(tmp, e->p, n);
        tmp[n] = 0;
        if (v->t == LH_V_INT)
            ok = strchr(tmp, '.') == NULL && strchr(tmp, 'e') == NULL ? strtoll(tmp, NULL, 10) == v->i
                                                                       : strtod(tmp, NULL) == (double)v->i;
        else if (v->t == LH_V_REAL)
            ok = strtod(tmp, NULL) == v->d;
        break;
    }
    case LH_J_STRING:
        if (v->t != LH_V_TEXT)
            break;
        lh_buf_init(&u, 0);
        lh_buf_init(&b, 0);
        assert_int_equal(lh_json_unescape(e, &u, NULL), LH_OK);
        if (u.len == v->n && (v->n == 0 || memcmp(u.data, v->s, v->n) == 0)) {
            ok = 1;
        } else {
            int64_t a, c;
            blob_render(v->s, v->n, &b);
            if (b.len == u.len && memcmp(b.data, u.data, u.len) == 0)
                ok = 1;
            else if (u.len >= 19 && lh_parse_timestamp_ms(u.data, u.len, &a) == 0 &&
                     lh_parse_timestamp_ms(v->s, v->n, &c) == 0 && a == c)
                ok = 1;
        }
        lh_buf_free(&u);
        lh_buf_free(&b);
        break;
    default:
        break;
    }
    if (!ok)
        snprintf(why, whyn, "expected %.*s, got type %d i=%lld d=%.17g s=%.*s", (int)e->n, e->p, v->t,
                 (long long)v->i, v->d, v->t == LH_V_TEXT ? (int)v->n : 0, v->t == LH_V_TEXT ? v->s : "");
    return ok;
}

/* Read a whole file with all columns; returns rc, counts rows. */
static lh_rc read_all(fixture *f, const char *uri, int64_t *rows, FILE *expect, int *mismatches, lh_err *err)
{
    char **names = NULL, **types = NULL;
    size_t n = 0, i;
    lh_type *ty = NULL;
    lh_pq_reader *r = NULL;
    lh_json_keys *keys = NULL;
    lh_json_span *spans = NULL;
    lh_rc rc;
    char *line = NULL;
    size_t cap = 0;
    *rows = 0;
    rc = lh_pq_file_columns(f->st, uri, &names, &types, &n, err);
    if (rc)
        return rc;
    ty = calloc(n + 1, sizeof *ty);
    for (i = 0; i < n; i++)
        assert_int_equal(lh_type_parse(types[i], strlen(types[i]), &ty[i], NULL), LH_OK);
    if (expect) {
        assert_int_equal(lh_json_keys_new((const char *const *)names, n, 0, &keys, NULL), LH_OK);
        spans = calloc(n + 1, sizeof *spans);
    }
    rc = lh_pq_reader_open(f->st, &uri, 1, (const char *const *)names, ty, n, &r, err);
    while (!rc) {
        int eof = 0;
        rc = lh_pq_reader_next(r, &eof, err);
        if (rc || eof)
            break;
        (*rows)++;
        if (expect) {
            ssize_t len = getline(&line, &cap, expect);
            assert_true(len > 0);
            assert_int_equal(lh_json_scan_object(line, (size_t)len, keys, spans, NULL), LH_OK);
        }
        for (i = 0; i < n && !rc; i++) {
            lh_value v;
            rc = lh_pq_reader_value(r, i, &v, err);
            if (!rc && expect) {
                char why[512];
                if (!value_matches(&v, &spans[i], why, sizeof why)) {
                    if (*mismatches < 5)
                        fprintf(stderr, "%s row %lld column %s: %s\n", uri, (long long)*rows, names[i], why);
                    (*mismatches)++;
                }
            }
        }
    }
    if (expect && !rc) {
        ssize_t len = getline(&line, &cap, expect);
        if (len > 1) {
            fprintf(stderr, "%s: expected more rows than %lld\n", uri, (long long)*rows);
            (*mismatches)++;
        }
    }
    free(line);
    free(spans);
    lh_json_keys_free(keys);
    lh_pq_reader_close(r);
    lh_pq_free_columns(names, types, n);
    free(ty);
    return rc;
}

static void test_tier1(void **state)
{
    fixture *f = *state;
    char dir[1024];
    DIR *d;
    struct dirent *de;
    int files = 0, failed = 0;
    LH_TEST_NEED("parquet-testing", NULL);
    snprintf(dir, sizeof dir, "%s/tier1", corpus_dir());
    d = opendir(dir);
    assert_non_null(d);
    while ((de = readdir(d))) {
        char rel[600], exp[2048], name[512];
        const char *uri;
        FILE *fp;
        int64_t rows = 0;
        int mism = 0;
        lh_err err;
        lh_rc rc;
        size_t l = strlen(de->d_name);
        if (l < 9 || strcmp(de->d_name + l - 8, ".parquet") != 0)
            continue;
        snprintf(name, sizeof name, "%.*s", (int)(l - 8), de->d_name);
        snprintf(rel, sizeof rel, "tier1/%s", de->d_name);
        snprintf(exp, sizeof exp, "%s/expected-duckdb/tier1__%s.jsonl", corpus_dir(), name);
        uri = put_file(f, rel);
        fp = fopen(exp, "r");
        assert_non_null(fp);
        lh_err_clear(&err);
        rc = read_all(f, uri, &rows, fp, &mism, &err);
        fclose(fp);
        files++;
        if (rc || mism) {
            failed++;
            fprintf(stderr, "tier1 FAIL %s: %s %s (%d mismatches)\n", de->d_name, lh_strerror(rc), err.msg, mism);
        }
    }
    closedir(d);
    fprintf(stderr, "tier1: %d/%d files read with rows equal to DuckDB's\n", files - failed, files);
    assert_true(files >= 16);
    assert_int_equal(failed, 0);
}

/* DuckDB's verdict per tier2 file from SUMMARY.tsv: rows, or -1 on error. */
static long duck_rows(const char *rel)
{
    char path[1024], line[4096];
    FILE *fp;
    long rows = -2;
    snprintf(path, sizeof path, "%s/expected-duckdb/SUMMARY.tsv", corpus_dir());
    fp = fopen(path, "r");
    if (!fp)
        return -2;
    while (fgets(line, sizeof line, fp)) {
        size_t l = strlen(rel);
        if (strncmp(line, rel, l) == 0 && line[l] == '\t') {
            const char *p = strstr(line, "rows=");
            rows = strncmp(line + l + 1, "OK", 2) == 0 && p ? strtol(p + 5, NULL, 10) : -1;
            break;
        }
    }
    fclose(fp);
    return rows;
}

static void test_tier2(void **state)
{
    fixture *f = *state;
    char dir[1024];
    DIR *d;
    struct dirent *de;
    int files = 0, ok = 0, corrupt_ok = 0;
    LH_TEST_NEED("parquet-testing", NULL);
    LH_TEST_NEED("parquet-testing", "tier2");
    snprintf(dir, sizeof dir, "%s/tier2", corpus_dir());
    d = opendir(dir);
    assert_non_null(d);
    while ((de = readdir(d))) {
        char rel[600];
        const char *uri;
        int64_t rows = 0;
        int mism = 0;
        lh_err err;
        lh_rc rc;
        size_t l = strlen(de->d_name);
        if (l < 9 || strcmp(de->d_name + l - 8, ".parquet") != 0)
            continue;
        snprintf(rel, sizeof rel, "tier2/%s", de->d_name);
        uri = put_file(f, rel);
        lh_err_clear(&err);
        rc = read_all(f, uri, &rows, NULL, &mism, &err);
        files++;
        if (strstr(de->d_name, "corrupt-checksum")) {
            fprintf(stderr, "tier2 %-48s %s: %s\n", de->d_name, rc ? "rejected" : "READ", err.msg);
            assert_int_equal(rc, LH_ECORRUPT);
            assert_non_null(strstr(err.msg, "CRC"));
            corrupt_ok++;
            continue;
        }
        if (rc) {
            fprintf(stderr, "tier2 FAIL %-43s %s: %s\n", de->d_name, lh_strerror(rc), err.msg);
            assert_true(rc == LH_EUNSUPPORTED || rc == LH_ECORRUPT || rc == LH_EDATA);
        } else {
            long dr = duck_rows(rel);
            fprintf(stderr, "tier2 ok   %-43s rows=%lld\n", de->d_name, (long long)rows);
            if (dr >= 0)
                assert_int_equal(rows, dr);
            ok++;
        }
    }
    closedir(d);
    fprintf(stderr, "tier2: %d/%d files read (+%d corrupt-checksum files rejected)\n", ok, files - corrupt_ok,
            corrupt_ok);
    assert_int_equal(corrupt_ok, 2);
}

static void test_bad_data(void **state)
{
    fixture *f = *state;
    char dir[1024];
    DIR *d;
    struct dirent *de;
    int files = 0, valid = 0;
    LH_TEST_NEED("parquet-testing", NULL);
    LH_TEST_NEED("parquet-testing", "bad_data");
    snprintf(dir, sizeof dir, "%s/bad_data", corpus_dir());
    d = opendir(dir);
    assert_non_null(d);
    while ((de = readdir(d))) {
        char rel[600];
        const char *uri;
        int64_t rows = 0;
        int mism = 0;
        lh_err err;
        lh_rc rc;
        size_t l = strlen(de->d_name);
        if (l < 9 || strcmp(de->d_name + l - 8, ".parquet") != 0)
            continue;
        snprintf(rel, sizeof rel, "bad_data/%s", de->d_name);
        uri = put_file(f, rel);
        lh_err_clear(&err);
        rc = read_all(f, uri, &rows, NULL, &mism, &err);
        fprintf(stderr, "bad_data %-36s %s: %s\n", de->d_name, lh_strerror(rc), err.msg);
        if (strcmp(de->d_name, "ARROW-GH-43605.parquet") == 0) {
            /* Not damaged: dictionary indices with RLE bit width 0 over a
             * one-entry dictionary are valid (Arrow's bug was failing to
             * read them).  DuckDB reads 21186 rows; so must we. */
            assert_int_equal(rc, LH_OK);
            assert_int_equal(rows, 21186);
            valid++;
            continue;
        }
        assert_true(rc == LH_ECORRUPT || rc == LH_EUNSUPPORTED);
        assert_non_null(strstr(err.msg, de->d_name));
        files++;
    }
    closedir(d);
    fprintf(stderr, "bad_data: %d/%d damaged files rejected; %d valid file read\n", files, files, valid);
    assert_true(files >= 7);
    assert_int_equal(valid, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tier1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tier2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_data, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
