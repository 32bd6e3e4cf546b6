/* Unit tests for the SQL engine: queries on our engine, CTAS
 * snapshots, failure atomicity, snapshot pinning across a concurrent commit,
 * and an allocation-failure walk over a small pipeline. */
#include "testutil.h"

#include <sys/stat.h>

#include "catalog/catalog.h"
#include "sql/engine.h"
#include "store/store.h"
#include "util/fault.h"
#include "util/mem.h"

typedef struct fx {
    char *dir, *root, *catpath;
    lh_store *store;
    lh_catalog *cat;
    lh_engine *e;
} fx;

static int open_fx(fx *f, lh_err *err)
{
    lh_rc rc = lh_store_open_local(f->root, &f->store, err);
    if (!rc)
        rc = lh_catalog_open(f->catpath, &f->cat, err);
    if (!rc)
        rc = lh_engine_open(f->store, f->cat, &f->e, err);
    return (int)rc;
}

static void close_fx(fx *f)
{
    lh_engine_close(f->e);
    lh_catalog_close(f->cat);
    lh_store_close(f->store);
    f->e = NULL;
    f->cat = NULL;
    f->store = NULL;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    lh_err err = {0};
    assert_non_null(f);
    f->dir = lh_test_tmpdir();
    assert_non_null(f->dir);
    f->root = lh_aprintf("%s/lake", f->dir);
    f->catpath = lh_aprintf("%s/lake/.lakehouse/catalog.db", f->dir);
    assert_int_equal(open_fx(f, &err), LH_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    close_fx(f);
    lh_test_rmrf(f->dir);
    free(f->dir);
    lh_free(f->root);
    lh_free(f->catpath);
    free(f);
    return 0;
}

static void put(fx *f, const char *uri, const char *text)
{
    lh_err err = {0};
    assert_int_equal(lh_store_put(f->store, uri, text, strlen(text), &err), LH_OK);
}

static lh_rc exec(fx *f, const char *sql, const lh_sink *sink, lh_stmt_stats *st, lh_err *err)
{
    return lh_engine_exec(f->e, sql, strlen(sql), "<test>", sink, st, err);
}

/* A sink that keeps the first column of every row as text. */
typedef struct collect {
    char rows[64][128];
    char types[8][32];
    size_t n, ncols;
    void (*on_row)(struct collect *c);
    void *ctx;
} collect;

static lh_rc c_begin(void *ctx, size_t ncols, const char *const *names, const char *const *types, lh_err *err)
{
    collect *c = ctx;
    size_t i;
    c->ncols = ncols;
    for (i = 0; i < ncols && i < 8; i++)
        snprintf(c->types[i], sizeof c->types[i], "%s", types[i] ? types[i] : "?");
    return LH_OK;
}

static lh_rc c_row(void *ctx, const lh_value *v, lh_err *err)
{
    collect *c = ctx;
    if (c->n < 64) {
        if (v[0].t == LH_V_TEXT)
            snprintf(c->rows[c->n], 128, "%.*s", (int)v[0].n, v[0].s);
        else if (v[0].t == LH_V_INT)
            snprintf(c->rows[c->n], 128, "%lld", (long long)v[0].i);
        else if (v[0].t == LH_V_REAL)
            snprintf(c->rows[c->n], 128, "%g", v[0].d);
        else
            snprintf(c->rows[c->n], 128, "NULL");
    }
    c->n++;
    if (c->on_row)
        c->on_row(c);
    return LH_OK;
}

static const lh_sink *sink_of(collect *c)
{
    static lh_sink s;
    memset(&s, 0, sizeof s);
    s.ctx = c;
    s.begin = c_begin;
    s.row = c_row;
    return &s;
}

#define DDL_T                                                                                                          \
    "CREATE DATABASE IF NOT EXISTS d;"                                                                                 \
    "CREATE EXTERNAL TABLE IF NOT EXISTS d.src (k string, v bigint, b boolean) ROW FORMAT SERDE "                       \
    "'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt/src/'"

static void test_query_types(void **state)
{
    fx *f = *state;
    collect c;
    lh_err err = {0};
    memset(&c, 0, sizeof c);
    put(f, "s3://bkt/src/a.json", "{\"k\":\"x\",\"v\":1,\"b\":true}\n{\"K\":\"y\",\"V\":\"2\"}\n");
    assert_int_equal(exec(f, DDL_T, NULL, NULL, &err), LH_OK);
    assert_int_equal(exec(f, "SELECT b, k FROM d.src ORDER BY v", sink_of(&c), NULL, &err), LH_OK);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.types[0], "boolean");
    /* the query runs on the new engine: Trino's type names, as Athena's
     * result metadata has them (the SQLite path said Hive's "string") */
    assert_string_equal(c.types[1], "varchar");
    assert_string_equal(c.rows[0], "1");
    assert_string_equal(c.rows[1], "NULL");
}

static int64_t count(fx *f, const char *t)
{
    int64_t n = -1;
    lh_err err = {0};
    assert_int_equal(lh_engine_count(f->e, "d", t, &n, &err), LH_OK);
    return n;
}

static void test_ctas_snapshots(void **state)
{
    fx *f = *state;
    lh_err err = {0};
    lh_stmt_stats st;
    lh_table_def def;
    int64_t snap1;
    char *file1;
    const char *ctas = "CREATE TABLE d.out WITH (format='JSON', external_location='s3://bkt/out/') AS "
                       "SELECT k, v * 10 AS v10, b FROM d.src WHERE v IS NOT NULL";
    put(f, "s3://bkt/src/a.json", "{\"k\":\"x\",\"v\":1,\"b\":true}\n{\"k\":\"y\",\"v\":2}\n{\"k\":\"z\"}\n");
    assert_int_equal(exec(f, DDL_T, NULL, NULL, &err), LH_OK);
    assert_int_equal(exec(f, ctas, NULL, &st, &err), LH_OK);
    assert_true(st.is_ctas);
    assert_int_equal(st.rows_out, 2);
    assert_int_equal(st.rows_read, 3);
    assert_int_equal(count(f, "out"), 2);
    memset(&def, 0, sizeof def);
    assert_int_equal(lh_catalog_get_table(f->cat, "d", "out", &def, &err), LH_OK);
    assert_true(def.managed);
    assert_int_equal(def.n_cols, 3);
    assert_string_equal(def.cols[0].type, "string");
    assert_string_equal(def.cols[1].type, "bigint"); /* inferred from values */
    assert_string_equal(def.cols[2].type, "boolean"); /* passed through */
    assert_int_equal(def.n_files, 1);
    assert_int_equal(def.snapshot_rows, 2);
    assert_non_null(strstr(def.files[0].uri, def.snapshot_prefix));
    snap1 = def.snapshot_id;
    file1 = lh_strdup(def.files[0].uri);
    lh_table_def_free(&def);
    /* a re-run replaces the snapshot: same rows, a new prefix */
    assert_int_equal(exec(f, ctas, NULL, &st, &err), LH_OK);
    assert_int_equal(count(f, "out"), 2);
    memset(&def, 0, sizeof def);
    assert_int_equal(lh_catalog_get_table(f->cat, "d", "out", &def, &err), LH_OK);
    assert_true(def.snapshot_id > snap1);
    assert_string_not_equal(def.files[0].uri, file1);
    lh_table_def_free(&def);
    lh_free(file1);
}

/* lh_engine_interrupt mid-query: the statement ends LH_ECANCELLED, later
 * ones too until lh_engine_clear_interrupt. */
static void interrupt_at_3(collect *c)
{
    if (c->n == 3)
        lh_engine_interrupt(((fx *)c->ctx)->e);
}

static void test_interrupt(void **state)
{
    fx *f = *state;
    lh_err err = {0};
    collect c;
    memset(&c, 0, sizeof c);
    c.on_row = interrupt_at_3;
    c.ctx = f;
    /* a million rows; the interrupt stops the query within a batch */
    assert_int_equal(exec(f, "SELECT a.x FROM (VALUES 0,1,2,3,4,5,6,7,8,9) a(x), (VALUES 0,1,2,3,4,5,6,7,8,9) b(x), "
                             "(VALUES 0,1,2,3,4,5,6,7,8,9) c(x), (VALUES 0,1,2,3,4,5,6,7,8,9) d(x), "
                             "(VALUES 0,1,2,3,4,5,6,7,8,9) e(x), (VALUES 0,1,2,3,4,5,6,7,8,9) f(x)",
                          sink_of(&c), NULL, &err),
                     LH_ECANCELLED);
    assert_true(c.n < 2 * 2048);
    assert_non_null(strstr(err.msg, "cancelled"));
    assert_true(lh_engine_interrupted(f->e));
    memset(&c, 0, sizeof c);
    assert_int_equal(exec(f, "SELECT 1", sink_of(&c), NULL, &err), LH_ECANCELLED);
    assert_int_equal(c.n, 0);
    lh_engine_clear_interrupt(f->e);
    assert_int_equal(exec(f, "SELECT 1", sink_of(&c), NULL, &err), LH_OK);
    assert_int_equal(c.n, 1);
}

static void test_ctas_failure_keeps_snapshot(void **state)
{
    fx *f = *state;
    lh_err err = {0};
    lh_table_def def;
    lh_run_info *runs = NULL;
    size_t n = 0, i;
    lh_obj_info *objs = NULL;
    put(f, "s3://bkt/src/a.json", "{\"k\":\"x\",\"v\":1}\n{\"k\":\"y\",\"v\":2}\n");
    assert_int_equal(exec(f, DDL_T, NULL, NULL, &err), LH_OK);
    assert_int_equal(exec(f, "CREATE TABLE d.o WITH (format='JSON', external_location='s3://bkt/o/') AS SELECT k FROM d.src",
                          NULL, NULL, &err),
                     LH_OK);
    /* the second row fails mid-write: a bad value in a later file */
    put(f, "s3://bkt/src/b.json", "{\"k\":\"z\",\"v\":\"not a number\"}\n");
    assert_int_not_equal(exec(f,
                              "CREATE TABLE d.o WITH (format='JSON', external_location='s3://bkt/o/') AS "
                              "SELECT k, v FROM d.src",
                              NULL, NULL, &err),
                         LH_OK);
    assert_non_null(strstr(err.msg, "b.json:1"));
    assert_non_null(strstr(err.msg, "'v'"));
    assert_int_equal(count(f, "o"), 2);
    memset(&def, 0, sizeof def);
    assert_int_equal(lh_catalog_get_table(f->cat, "d", "o", &def, &err), LH_OK);
    assert_int_equal(def.n_cols, 1); /* the old definition too */
    lh_table_def_free(&def);
    assert_int_equal(lh_catalog_list_runs(f->cat, NULL, 1, &runs, &n, &err), LH_OK);
    assert_int_equal(n, 1);
    assert_string_equal(runs[0].status, "failed");
    assert_non_null(strstr(runs[0].error, "b.json:1"));
    lh_run_info_free(runs, n);
    /* nothing of the failed run is left in the store */
    assert_int_equal(lh_store_list_all(f->store, "s3://bkt/o/", &objs, &n, &err), LH_OK);
    assert_int_equal(n, 1);
    for (i = 0; i < n; i++)
        assert_non_null(strstr(objs[i].uri, "run-000001-"));
    lh_obj_list_free(objs, n);
}

/* While engine A streams a table, engine B (its own catalog handle, as
 * another process would) commits a new snapshot: A keeps reading the one
 * it pinned. */
static fx *g_other;
static void commit_from_other(collect *c)
{
    lh_err err = {0};
    if (c->n != 1)
        return;
    assert_int_equal(lh_engine_exec(g_other->e,
                                    "CREATE TABLE d.p WITH (format='JSON', external_location='s3://bkt/p/') AS "
                                    "SELECT k FROM d.src UNION ALL SELECT k FROM d.src",
                                    strlen("CREATE TABLE d.p WITH (format='JSON', external_location='s3://bkt/p/') AS "
                                           "SELECT k FROM d.src UNION ALL SELECT k FROM d.src"),
                                    "<other>", NULL, NULL, &err),
                     LH_OK);
}

static void test_pinned_snapshot(void **state)
{
    fx *f = *state, other;
    collect c;
    lh_err err = {0};
    memset(&c, 0, sizeof c);
    memset(&other, 0, sizeof other);
    put(f, "s3://bkt/src/a.json", "{\"k\":\"x\"}\n{\"k\":\"y\"}\n{\"k\":\"z\"}\n");
    assert_int_equal(exec(f, DDL_T, NULL, NULL, &err), LH_OK);
    assert_int_equal(exec(f, "CREATE TABLE d.p WITH (format='JSON', external_location='s3://bkt/p/') AS SELECT k FROM d.src",
                          NULL, NULL, &err),
                     LH_OK);
    other.root = f->root;
    other.catpath = f->catpath;
    assert_int_equal(open_fx(&other, &err), LH_OK);
    g_other = &other;
    c.on_row = commit_from_other;
    assert_int_equal(exec(f, "SELECT k FROM d.p", sink_of(&c), NULL, &err), LH_OK);
    assert_int_equal(c.n, 3); /* the pinned snapshot, not the new one */
    assert_int_equal(count(f, "p"), 6); /* the next statement sees the commit */
    close_fx(&other);
}

/* Fail allocation N for every N over DDL + CTAS + count: each attempt
 * ends cleanly, and the table then holds its previous snapshot or the new
 * one, complete. */
static void test_fault_alloc_walk(void **state)
{
    fx *f = *state;
    lh_err err = {0};
    long n;
    int successes = 0;
    const char *ctas = "CREATE TABLE d.w WITH (format='JSON', external_location='s3://bkt/w/') AS "
                       "SELECT s.k, s.v FROM d.src s JOIN d.src t ON s.k = t.k ORDER BY s.k";
    put(f, "s3://bkt/src/a.json", "{\"k\":\"x\",\"v\":1}\n{\"k\":\"y\",\"v\":2}\n{\"k\":\"z\",\"v\":3}\n");
    assert_int_equal(exec(f, DDL_T, NULL, NULL, &err), LH_OK);
    assert_int_equal(exec(f, ctas, NULL, NULL, &err), LH_OK);
    close_fx(f);
    for (n = 1; n < 100000 && successes < 3; n++) {
        lh_rc rc;
        lh_fault_alloc_set(n);
        rc = (lh_rc)open_fx(f, &err);
        if (!rc)
            rc = exec(f, DDL_T, NULL, NULL, &err);
        if (!rc)
            rc = exec(f, ctas, NULL, NULL, &err);
        lh_fault_alloc_set(0);
        if (rc == LH_OK)
            successes++;
        else
            assert_true(rc == LH_ENOMEM || rc == LH_ESQL || rc == LH_EIO);
        close_fx(f);
        /* with allocation working again: the table reads a whole snapshot */
        assert_int_equal(open_fx(f, &err), LH_OK);
        assert_int_equal(count(f, "w"), 3);
        close_fx(f);
    }
    printf("fault walk: %ld allocation failure points, all clean\n", n - 1 - successes);
    assert_true(successes >= 1);
    assert_int_equal(open_fx(f, &err), LH_OK);
}

/* Fail guarded I/O call N (store reads, writes, fsyncs, renames) for every
 * N over a CTAS that replaces a snapshot: each attempt fails cleanly and the
 * table keeps a whole snapshot. */
static void test_fault_io_walk(void **state)
{
    fx *f = *state;
    lh_err err = {0};
    long n;
    int done = 0;
    const char *ctas = "CREATE TABLE d.io WITH (format='JSON', external_location='s3://bkt/io/') AS "
                       "SELECT a.k, b.v FROM d.src a JOIN d.src b ON a.k = b.k";
    put(f, "s3://bkt/src/a.json", "{\"k\":\"x\",\"v\":1}\n{\"k\":\"y\",\"v\":2}\n");
    put(f, "s3://bkt/src/b.json", "{\"k\":\"z\",\"v\":3}\n");
    assert_int_equal(exec(f, DDL_T, NULL, NULL, &err), LH_OK);
    assert_int_equal(exec(f, ctas, NULL, NULL, &err), LH_OK);
    for (n = 1; n < 10000 && !done; n++) {
        lh_rc rc;
        lh_fault_io_set(n);
        rc = exec(f, ctas, NULL, NULL, &err);
        lh_fault_io_set(0);
        if (rc == LH_OK)
            done = 1;
        else {
            assert_true(rc == LH_EIO || rc == LH_ESQL);
            assert_non_null(strstr(err.msg, "s3://bkt/"));
        }
        assert_int_equal(count(f, "io"), 3);
    }
    printf("I/O fault walk: %ld failure points, all clean\n", n - 2);
    assert_true(done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_query_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ctas_snapshots, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ctas_failure_keeps_snapshot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pinned_snapshot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_alloc_walk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_io_walk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupt, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
