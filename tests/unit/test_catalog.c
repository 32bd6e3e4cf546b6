/* tests/unit/test_catalog.c — the SQLite-backed catalog. */
#include "testutil.h"

#include <sqlite3.h>

#include "catalog/catalog.h"
#include "util/mem.h"

/* ---- fixtures ---- */

typedef struct fx {
    char *dir;
    char path[4200];
    lh_catalog *cat;
} fx;

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    lh_err err;
    if (!f)
        return -1;
    f->dir = lh_test_tmpdir();
    if (!f->dir)
        return -1;
    /* A nested path: open must create the parent folders. */
    snprintf(f->path, sizeof f->path, "%s/lake/_catalog/catalog.db", f->dir);
    if (lh_catalog_open(f->path, &f->cat, &err) != LH_OK) {
        fprintf(stderr, "open: %s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;
    lh_catalog_close(f->cat);
    lh_test_rmrf(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* OK(f(..., &e_)): the call must pass &e_, the error the macro declares. */
#define OK(call)                                                                                                      \
    do {                                                                                                              \
        lh_err e_;                                                                                                    \
        lh_rc r_ = (call);                                                                                            \
        if (r_ != LH_OK)                                                                                              \
            fail_msg("%s -> %s: %s", #call, lh_strerror(r_), e_.msg);                                                \
    } while (0)

static void assert_contains(const char *hay, const char *needle)
{
    if (!hay || !strstr(hay, needle))
        fail_msg("expected \"%s\" to contain \"%s\"", hay ? hay : "(null)", needle);
}

static void assert_str(const char *got, const char *want)
{
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
}

static lh_column k_cols[] = {
    {"SerialNumber", "string", "device serial"},
    {"customerName", "varchar(64)", NULL},
    {"shareWithResearchAsOfDate", "bigint", "epoch ms"},
};
static lh_prop k_serde[] = {{"ignore.malformed.json", "FALSE"}, {"case.insensitive", "TRUE"}};
static lh_prop k_tbl[] = {{"classification", "json"}, {"has_encrypted_data", "false"}};

static lh_table_def external_def(const char *db, const char *name)
{
    lh_table_def d;
    memset(&d, 0, sizeof d);
    d.db = (char *)db;
    d.name = (char *)name;
    d.managed = 0;
    d.location = "s3://stedi/customer/landing/";
    d.format = "json";
    d.serde = "org.openx.data.jsonserde.JsonSerDe";
    d.input_format = "org.apache.hadoop.mapred.TextInputFormat";
    d.output_format = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
    d.serde_props = k_serde;
    d.n_serde_props = 2;
    d.tbl_props = k_tbl;
    d.n_tbl_props = 2;
    d.cols = k_cols;
    d.n_cols = 3;
    d.comment = "customers as they land";
    return d;
}

static lh_column k_cols2[] = {{"email", "string", NULL}, {"Age", "int", "years"}};
static lh_prop k_tbl2[] = {{"parquet.compression", "SNAPPY"}};

static lh_table_def managed_def(const char *db, const char *name, int version)
{
    lh_table_def d;
    memset(&d, 0, sizeof d);
    d.db = (char *)db;
    d.name = (char *)name;
    d.managed = 1;
    d.format = "parquet";
    if (version == 1) {
        d.location = "s3://stedi/customer/trusted/";
        d.cols = k_cols;
        d.n_cols = 3;
        d.tbl_props = k_tbl;
        d.n_tbl_props = 2;
    } else {
        d.location = "s3://stedi/customer/trusted2/";
        d.cols = k_cols2;
        d.n_cols = 2;
        d.tbl_props = k_tbl2;
        d.n_tbl_props = 1;
    }
    return d;
}

static void assert_strv(char **v, size_t n, const char *const *want, size_t nwant)
{
    assert_int_equal(n, nwant);
    for (size_t i = 0; i < n; i++)
        assert_str(v[i], want[i]);
}

/* ---- databases ---- */

static void test_databases(void **state)
{
    fx *f = *state;
    lh_err err;
    char **names = NULL;
    size_t n = 0;
    int exists = -1;

    assert_string_equal(lh_catalog_path(f->cat), f->path);
    OK(lh_catalog_create_database(f->cat, "Sales", 0, "sales data", &e_));
    OK(lh_catalog_database_exists(f->cat, "SALES", &exists, &e_));
    assert_int_equal(exists, 1);
    OK(lh_catalog_database_exists(f->cat, "nope", &exists, &e_));
    assert_int_equal(exists, 0);

    assert_int_equal(lh_catalog_create_database(f->cat, "sAlEs", 0, NULL, &err), LH_EEXIST);
    assert_contains(err.msg, "database sales already exists");
    OK(lh_catalog_create_database(f->cat, "sales", 1, "ignored", &e_));
    OK(lh_catalog_create_database(f->cat, "alpha", 0, NULL, &e_));

    OK(lh_catalog_list_databases(f->cat, &names, &n, &e_));
    assert_strv(names, n, (const char *const[]){"alpha", "sales"}, 2);
    lh_strv_free(names, n);

    assert_int_equal(lh_catalog_drop_database(f->cat, "Nope", 0, &err), LH_ENOTFOUND);
    assert_contains(err.msg, "database nope not found");
    OK(lh_catalog_drop_database(f->cat, "nope", 1, &e_));

    /* A database with a table refuses to drop. */
    lh_table_def d = external_def("sales", "orders");
    OK(lh_catalog_create_table(f->cat, &d, 0, &e_));
    assert_int_equal(lh_catalog_drop_database(f->cat, "sales", 1, &err), LH_EINVAL);
    assert_contains(err.msg, "Database sales is not empty. One or more tables exist");
    assert_contains(err.msg, "DROP DATABASE sales CASCADE");
    OK(lh_catalog_drop_table(f->cat, "sales", "orders", 0, &e_));
    OK(lh_catalog_drop_database(f->cat, "SALES", 0, &e_));

    OK(lh_catalog_list_databases(f->cat, &names, &n, &e_));
    assert_strv(names, n, (const char *const[]){"alpha"}, 1);
    lh_strv_free(names, n);

    assert_int_equal(lh_catalog_create_database(f->cat, "", 0, NULL, &err), LH_EINVAL);
}

/* ---- tables ---- */

static void check_external(const lh_table_def *t)
{
    assert_str(t->db, "stedi");
    assert_str(t->name, "customer_landing");
    assert_int_equal(t->managed, 0);
    assert_str(t->location, "s3://stedi/customer/landing/");
    assert_str(t->format, "json");
    assert_str(t->serde, "org.openx.data.jsonserde.JsonSerDe");
    assert_str(t->input_format, "org.apache.hadoop.mapred.TextInputFormat");
    assert_str(t->output_format, "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat");
    assert_str(t->comment, "customers as they land");
    assert_int_equal(t->n_cols, 3);
    assert_str(t->cols[0].name, "serialnumber");
    assert_str(t->cols[0].type, "string");
    assert_str(t->cols[0].comment, "device serial");
    assert_str(t->cols[1].name, "customername");
    assert_str(t->cols[1].type, "varchar(64)");
    assert_null(t->cols[1].comment);
    assert_str(t->cols[2].name, "sharewithresearchasofdate");
    assert_str(t->cols[2].type, "bigint");
    assert_str(t->cols[2].comment, "epoch ms");
    assert_int_equal(t->n_serde_props, 2);
    assert_str(t->serde_props[0].key, "ignore.malformed.json");
    assert_str(t->serde_props[0].value, "FALSE");
    assert_str(t->serde_props[1].key, "case.insensitive");
    assert_str(t->serde_props[1].value, "TRUE");
    assert_int_equal(t->n_tbl_props, 2);
    assert_str(t->tbl_props[0].key, "classification");
    assert_str(t->tbl_props[1].key, "has_encrypted_data");
    assert_int_equal(t->snapshot_id, 0);
    assert_null(t->snapshot_prefix);
    assert_null(t->snapshot_time);
    assert_int_equal(t->n_files, 0);
    assert_null(t->files);
}

static void test_create_get_table(void **state)
{
    fx *f = *state;
    lh_err err;
    lh_table_def t, d = external_def("STEDI", "Customer_Landing");

    assert_int_equal(lh_catalog_create_table(f->cat, &d, 0, &err), LH_ENOTFOUND);
    assert_contains(err.msg, "database stedi not found");
    OK(lh_catalog_create_database(f->cat, "stedi", 0, NULL, &e_));
    OK(lh_catalog_create_table(f->cat, &d, 0, &e_));

    OK(lh_catalog_get_table(f->cat, "Stedi", "CUSTOMER_LANDING", &t, &e_));
    check_external(&t);
    assert_str(lh_props_get(t.serde_props, t.n_serde_props, "Case.Insensitive"), "TRUE");
    assert_str(lh_props_get(t.tbl_props, t.n_tbl_props, "CLASSIFICATION"), "json");
    assert_null(lh_props_get(t.tbl_props, t.n_tbl_props, "missing"));
    lh_table_def_free(&t);
    assert_null(t.db);
    assert_int_equal(t.n_cols, 0);

    /* Exists: EEXIST, or no change with IF NOT EXISTS. */
    d.location = "s3://elsewhere/";
    assert_int_equal(lh_catalog_create_table(f->cat, &d, 0, &err), LH_EEXIST);
    assert_contains(err.msg, "table stedi.customer_landing already exists");
    OK(lh_catalog_create_table(f->cat, &d, 1, &e_));
    OK(lh_catalog_get_table(f->cat, "stedi", "customer_landing", &t, &e_));
    check_external(&t);
    lh_table_def_free(&t);

    assert_int_equal(lh_catalog_get_table(f->cat, "stedi", "Nope", &t, &err), LH_ENOTFOUND);
    assert_contains(err.msg, "table stedi.nope not found");
    assert_null(t.db);
    assert_int_equal(lh_catalog_get_table(f->cat, "nodb", "x", &t, &err), LH_ENOTFOUND);
    assert_contains(err.msg, "database nodb not found");

    /* Bad definitions are refused before anything is written. */
    lh_column dup[] = {{"a", "int", NULL}, {"A", "string", NULL}};
    lh_table_def bad = external_def("stedi", "dups");
    bad.cols = dup;
    bad.n_cols = 2;
    assert_int_equal(lh_catalog_create_table(f->cat, &bad, 0, &err), LH_EINVAL);
    assert_contains(err.msg, "duplicate column A");
    assert_int_equal(lh_catalog_get_table(f->cat, "stedi", "dups", &t, &err), LH_ENOTFOUND);
}

static void test_list_drop_tables(void **state)
{
    fx *f = *state;
    lh_err err;
    char **names = NULL;
    size_t n = 0;
    lh_table_def d;

    OK(lh_catalog_create_database(f->cat, "db", 0, NULL, &e_));
    OK(lh_catalog_list_tables(f->cat, "db", &names, &n, &e_));
    assert_int_equal(n, 0);
    lh_strv_free(names, n);
    const char *order[] = {"Beta", "alpha", "GAMMA"};
    const char *locs[] = {"s3://stedi/db/beta/", "s3://stedi/db/alpha/", "s3://stedi/db/gamma/"};
    for (int i = 0; i < 3; i++) {
        d = external_def("db", order[i]);
        d.location = (char *)locs[i]; /* locations never overlap */
        OK(lh_catalog_create_table(f->cat, &d, 0, &e_));
    }
    OK(lh_catalog_list_tables(f->cat, "DB", &names, &n, &e_));
    assert_strv(names, n, (const char *const[]){"alpha", "beta", "gamma"}, 3);
    lh_strv_free(names, n);

    OK(lh_catalog_drop_table(f->cat, "db", "BETA", 0, &e_));
    OK(lh_catalog_list_tables(f->cat, "db", &names, &n, &e_));
    assert_strv(names, n, (const char *const[]){"alpha", "gamma"}, 2);
    lh_strv_free(names, n);
    assert_int_equal(lh_catalog_drop_table(f->cat, "db", "beta", 0, &err), LH_ENOTFOUND);
    assert_contains(err.msg, "table db.beta not found");
    OK(lh_catalog_drop_table(f->cat, "db", "beta", 1, &e_));

    /* The dropped table's rows are all gone. */
    sqlite3 *raw = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(raw,
                                        "SELECT (SELECT count(*) FROM tables), (SELECT count(*) FROM columns),"
                                        " (SELECT count(*) FROM table_props)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 2);
    assert_int_equal(sqlite3_column_int(st, 1), 6);
    assert_int_equal(sqlite3_column_int(st, 2), 8);
    sqlite3_finalize(st);
    sqlite3_close(raw);

    assert_int_equal(lh_catalog_list_tables(f->cat, "nodb", &names, &n, &err), LH_ENOTFOUND);
    assert_contains(err.msg, "database nodb not found");
    assert_null(names);
}

/* ---- commits and runs ---- */

static lh_data_file k_files1[] = {
    {"s3://stedi/customer/trusted/_snap/000002.parquet", 2000, 20},
    {"s3://stedi/customer/trusted/_snap/000001.parquet", 1000, 10},
};
static lh_data_file k_files2[] = {{"s3://stedi/customer/trusted/_snap2/000001.parquet", 555, 7}};

static void commit_twice(lh_catalog *cat, int64_t *rid1, int64_t *sid1, int64_t *rid2, int64_t *sid2)
{
    lh_table_def d1 = managed_def("stedi", "Customer_Trusted", 1);
    lh_table_def d2 = managed_def("stedi", "customer_trusted", 2);
    OK(lh_catalog_run_begin(cat, "customer_trusted", rid1, &e_));
    OK(lh_catalog_commit_snapshot(cat, &d1, *rid1, "s3://stedi/customer/trusted/_snap/", k_files1, 2, 40, 30, sid1,
                                  &e_));
    OK(lh_catalog_run_begin(cat, "customer_trusted", rid2, &e_));
    OK(lh_catalog_commit_snapshot(cat, &d2, *rid2, "s3://stedi/customer/trusted/_snap2/", k_files2, 1, 9, 7, sid2,
                                  &e_));
}

static void test_commit_snapshot(void **state)
{
    fx *f = *state;
    lh_err err;
    lh_table_def t;
    lh_run_info *runs = NULL;
    size_t n = 0;
    char **uris = NULL;
    int64_t rid1 = 0, rid2 = 0, sid1 = 0, sid2 = 0, sid = 0;

    OK(lh_catalog_create_database(f->cat, "stedi", 0, NULL, &e_));
    lh_table_def d1 = managed_def("stedi", "customer_trusted", 1);
    OK(lh_catalog_run_begin(f->cat, "customer_trusted", &rid1, &e_));
    OK(lh_catalog_commit_snapshot(f->cat, &d1, rid1, "s3://stedi/customer/trusted/_snap/", k_files1, 2, 40, 30,
                                  &sid1, &e_));
    assert_true(sid1 > 0);

    OK(lh_catalog_get_table(f->cat, "stedi", "customer_trusted", &t, &e_));
    assert_int_equal(t.managed, 1);
    assert_str(t.format, "parquet");
    assert_str(t.location, "s3://stedi/customer/trusted/");
    assert_int_equal(t.n_cols, 3);
    assert_str(t.cols[0].name, "serialnumber");
    assert_int_equal(t.snapshot_id, sid1);
    assert_int_equal(t.snapshot_run_id, rid1);
    assert_int_equal(t.snapshot_rows, 30);
    assert_str(t.snapshot_prefix, "s3://stedi/customer/trusted/_snap/");
    assert_non_null(t.snapshot_time);
    assert_int_equal(strlen(t.snapshot_time), 24); /* 2026-11-27T10:44:39.123Z */
    assert_int_equal(t.snapshot_time[10], 'T');
    assert_int_equal(t.snapshot_time[23], 'Z');
    assert_int_equal(t.n_files, 2); /* in URI order */
    assert_str(t.files[0].uri, "s3://stedi/customer/trusted/_snap/000001.parquet");
    assert_int_equal(t.files[0].size, 1000);
    assert_int_equal(t.files[0].rows, 10);
    assert_str(t.files[1].uri, "s3://stedi/customer/trusted/_snap/000002.parquet");
    assert_int_equal(t.files[1].size, 2000);
    lh_table_def_free(&t);

    /* A second run replaces definition and snapshot. */
    lh_table_def d2 = managed_def("STEDI", "Customer_Trusted", 2);
    OK(lh_catalog_run_begin(f->cat, "customer_trusted", &rid2, &e_));
    OK(lh_catalog_commit_snapshot(f->cat, &d2, rid2, "s3://stedi/customer/trusted/_snap2/", k_files2, 1, 9, 7, &sid2,
                                  &e_));
    assert_true(sid2 > sid1);
    OK(lh_catalog_get_table(f->cat, "stedi", "customer_trusted", &t, &e_));
    assert_int_equal(t.snapshot_id, sid2);
    assert_int_equal(t.snapshot_rows, 7);
    assert_str(t.location, "s3://stedi/customer/trusted2/");
    assert_int_equal(t.n_cols, 2);
    assert_str(t.cols[0].name, "email");
    assert_str(t.cols[1].name, "age");
    assert_str(t.cols[1].comment, "years");
    assert_int_equal(t.n_tbl_props, 1);
    assert_str(t.tbl_props[0].key, "parquet.compression");
    assert_int_equal(t.n_files, 1);
    assert_str(t.files[0].uri, k_files2[0].uri);
    assert_int_equal(t.files[0].rows, 7);
    lh_table_def_free(&t);

    OK(lh_catalog_list_runs(f->cat, NULL, 0, &runs, &n, &e_));
    assert_int_equal(n, 2);
    assert_int_equal(runs[0].id, rid2); /* most recent first */
    assert_int_equal(runs[1].id, rid1);
    for (size_t i = 0; i < 2; i++) {
        assert_str(runs[i].status, "succeeded");
        assert_str(runs[i].job, "customer_trusted");
        assert_str(runs[i].target, "stedi.customer_trusted");
        assert_non_null(runs[i].started_at);
        assert_non_null(runs[i].ended_at);
        assert_true(runs[i].duration_ms >= 0);
        assert_null(runs[i].error);
    }
    assert_int_equal(runs[0].snapshot_id, sid2);
    assert_int_equal(runs[0].rows_read, 9);
    assert_int_equal(runs[0].rows_written, 7);
    assert_int_equal(runs[1].snapshot_id, sid1);
    assert_int_equal(runs[1].rows_read, 40);
    assert_int_equal(runs[1].rows_written, 30);
    lh_run_info_free(runs, n);

    OK(lh_catalog_list_runs(f->cat, "customer_trusted", 1, &runs, &n, &e_));
    assert_int_equal(n, 1);
    assert_int_equal(runs[0].id, rid2);
    lh_run_info_free(runs, n);
    OK(lh_catalog_list_runs(f->cat, "other_job", 0, &runs, &n, &e_));
    assert_int_equal(n, 0);
    lh_run_info_free(runs, n);

    /* History stays: vacuum must keep every URI any snapshot references. */
    OK(lh_catalog_referenced_files(f->cat, &uris, &n, &e_));
    assert_strv(uris, n,
                (const char *const[]){"s3://stedi/customer/trusted/_snap/000001.parquet",
                                      "s3://stedi/customer/trusted/_snap/000002.parquet",
                                      "s3://stedi/customer/trusted/_snap2/000001.parquet"},
                3);
    lh_strv_free(uris, n);

    /* A run commits once; unknown runs are refused. */
    assert_int_equal(lh_catalog_commit_snapshot(f->cat, &d2, rid2, "s3://x/", NULL, 0, 0, 0, &sid, &err), LH_EINVAL);
    assert_contains(err.msg, "has already ended");
    assert_int_equal(lh_catalog_commit_snapshot(f->cat, &d2, 9999, "s3://x/", NULL, 0, 0, 0, &sid, &err),
                     LH_ENOTFOUND);
    assert_contains(err.msg, "job run 9999 not found");
    assert_int_equal(sid, 0);

    /* drop_table removes snapshot records but not run history. */
    OK(lh_catalog_drop_table(f->cat, "stedi", "customer_trusted", 0, &e_));
    OK(lh_catalog_referenced_files(f->cat, &uris, &n, &e_));
    assert_int_equal(n, 0);
    lh_strv_free(uris, n);
    OK(lh_catalog_list_runs(f->cat, NULL, 0, &runs, &n, &e_));
    assert_int_equal(n, 2);
    lh_run_info_free(runs, n);
}

static void test_commit_external_unchanged(void **state)
{
    fx *f = *state;
    lh_err err;
    lh_table_def t, d = external_def("stedi", "customer_landing");
    lh_run_info *runs = NULL;
    char **uris = NULL;
    size_t n = 0;
    int64_t rid = 0, sid = -5;

    OK(lh_catalog_create_database(f->cat, "stedi", 0, NULL, &e_));
    OK(lh_catalog_create_table(f->cat, &d, 0, &e_));
    OK(lh_catalog_run_begin(f->cat, "landing_job", &rid, &e_));

    lh_table_def m = managed_def("stedi", "Customer_Landing", 2);
    assert_int_equal(lh_catalog_commit_snapshot(f->cat, &m, rid, "s3://stedi/x/", k_files2, 1, 5, 5, &sid, &err),
                     LH_EEXIST);
    assert_string_equal(err.msg, "table stedi.customer_landing exists as an EXTERNAL table; a job can only replace "
                                 "a table it created");
    assert_int_equal(sid, 0);

    OK(lh_catalog_get_table(f->cat, "stedi", "customer_landing", &t, &e_));
    check_external(&t);
    lh_table_def_free(&t);

    OK(lh_catalog_list_runs(f->cat, NULL, 0, &runs, &n, &e_));
    assert_int_equal(n, 1);
    assert_str(runs[0].status, "running");
    assert_null(runs[0].ended_at);
    assert_int_equal(runs[0].duration_ms, -1);
    assert_int_equal(runs[0].snapshot_id, 0);
    assert_null(runs[0].target);
    lh_run_info_free(runs, n);

    OK(lh_catalog_referenced_files(f->cat, &uris, &n, &e_));
    assert_int_equal(n, 0);
    lh_strv_free(uris, n);

    /* Missing database: nothing created. */
    lh_table_def nodb = managed_def("nodb", "t", 1);
    assert_int_equal(lh_catalog_commit_snapshot(f->cat, &nodb, rid, "s3://x/", NULL, 0, 0, 0, NULL, &err),
                     LH_ENOTFOUND);
    assert_contains(err.msg, "database nodb not found");

    /* A failure in the middle (duplicate file URI) rolls back the new table too. */
    lh_data_file dupf[] = {{"s3://x/a", 1, 1}, {"s3://x/a", 1, 1}};
    lh_table_def fresh = managed_def("stedi", "fresh", 1);
    assert_int_equal(lh_catalog_commit_snapshot(f->cat, &fresh, rid, "s3://x/", dupf, 2, 0, 2, NULL, &err), LH_ESQL);
    assert_contains(err.msg, "UNIQUE");
    assert_int_equal(lh_catalog_get_table(f->cat, "stedi", "fresh", &t, &err), LH_ENOTFOUND);
    OK(lh_catalog_list_runs(f->cat, NULL, 0, &runs, &n, &e_));
    assert_str(runs[0].status, "running");
    lh_run_info_free(runs, n);
}

static void test_run_fail_succeed(void **state)
{
    fx *f = *state;
    lh_err err;
    lh_run_info *runs = NULL;
    size_t n = 0;
    int64_t r1 = 0, r2 = 0;

    OK(lh_catalog_run_begin(f->cat, "accel_trusted", &r1, &e_));
    OK(lh_catalog_run_begin(f->cat, "ddl_only", &r2, &e_));
    assert_true(r2 > r1);
    OK(lh_catalog_run_fail(f->cat, r1, 42, "accelerometer_landing.json:3: expected ':'", &e_));
    OK(lh_catalog_run_succeed(f->cat, r2, 0, 0, &e_));

    OK(lh_catalog_list_runs(f->cat, NULL, -1, &runs, &n, &e_));
    assert_int_equal(n, 2);
    assert_int_equal(runs[0].id, r2);
    assert_str(runs[0].status, "succeeded");
    assert_null(runs[0].error);
    assert_int_equal(runs[0].rows_written, 0);
    assert_int_equal(runs[1].id, r1);
    assert_str(runs[1].job, "accel_trusted");
    assert_str(runs[1].status, "failed");
    assert_str(runs[1].error, "accelerometer_landing.json:3: expected ':'");
    assert_int_equal(runs[1].rows_read, 42);
    assert_int_equal(runs[1].rows_written, -1);
    assert_null(runs[1].target);
    assert_int_equal(runs[1].snapshot_id, 0);
    assert_non_null(runs[1].ended_at);
    assert_true(runs[1].duration_ms >= 0);
    lh_run_info_free(runs, n);

    assert_int_equal(lh_catalog_run_fail(f->cat, r1, 0, "again", &err), LH_EINVAL);
    assert_contains(err.msg, "already ended");
    assert_int_equal(lh_catalog_run_succeed(f->cat, 777, 0, 0, &err), LH_ENOTFOUND);
    assert_contains(err.msg, "job run 777 not found");
    assert_int_equal(lh_catalog_run_begin(f->cat, "", &r1, &err), LH_EINVAL);
}

/* ---- isolation, reopen, damaged files ---- */

static void raw_current_files(sqlite3 *raw, char *buf, size_t bufsz)
{
    sqlite3_stmt *st = NULL;
    size_t len = 0;
    buf[0] = 0;
    assert_int_equal(sqlite3_prepare_v2(raw,
                                        "SELECT uri FROM snapshot_files WHERE snapshot_id = (SELECT "
                                        "current_snapshot_id FROM tables WHERE db='stedi' AND name='customer_trusted')"
                                        " ORDER BY uri",
                                        -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        len += (size_t)snprintf(buf + len, bufsz - len, "%s;", (const char *)sqlite3_column_text(st, 0));
    assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
}

static void test_snapshot_isolation(void **state)
{
    fx *f = *state;
    lh_catalog *b = NULL;
    lh_table_def old, cur;
    sqlite3 *raw = NULL;
    char before[1024], during[1024], after[1024];
    int64_t r1 = 0, r2 = 0, s1 = 0, s2 = 0;

    OK(lh_catalog_create_database(f->cat, "stedi", 0, NULL, &e_));
    lh_table_def d1 = managed_def("stedi", "customer_trusted", 1);
    OK(lh_catalog_run_begin(f->cat, "j", &r1, &e_));
    OK(lh_catalog_commit_snapshot(f->cat, &d1, r1, "s3://stedi/customer/trusted/_snap/", k_files1, 2, 2, 30, &s1,
                                  &e_));

    OK(lh_catalog_open(f->path, &b, &e_));
    OK(lh_catalog_get_table(f->cat, "stedi", "customer_trusted", &old, &e_));

    /* A reader holds an open read transaction while handle b commits. */
    assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    raw_current_files(raw, before, sizeof before);
    assert_string_equal(before, "s3://stedi/customer/trusted/_snap/000001.parquet;"
                                "s3://stedi/customer/trusted/_snap/000002.parquet;");

    lh_table_def d2 = managed_def("stedi", "customer_trusted", 2);
    OK(lh_catalog_run_begin(b, "j", &r2, &e_));
    /* WAL: the reader does not block the writer. */
    OK(lh_catalog_commit_snapshot(b, &d2, r2, "s3://stedi/customer/trusted/_snap2/", k_files2, 1, 1, 7, &s2, &e_));

    /* Inside its transaction the reader still sees the old snapshot, whole. */
    raw_current_files(raw, during, sizeof during);
    assert_string_equal(during, before);
    assert_int_equal(sqlite3_exec(raw, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    raw_current_files(raw, after, sizeof after);
    assert_string_equal(after, "s3://stedi/customer/trusted/_snap2/000001.parquet;");
    assert_int_equal(sqlite3_close(raw), SQLITE_OK);

    /* A fresh get_table on the other handle sees the new snapshot. */
    OK(lh_catalog_get_table(f->cat, "stedi", "customer_trusted", &cur, &e_));
    assert_int_equal(cur.snapshot_id, s2);
    assert_int_equal(cur.n_files, 1);
    assert_str(cur.files[0].uri, k_files2[0].uri);
    assert_int_equal(cur.n_cols, 2);

    /* The earlier result is still one consistent snapshot. */
    assert_int_equal(old.snapshot_id, s1);
    assert_int_equal(old.snapshot_rows, 30);
    assert_int_equal(old.n_files, 2);
    assert_str(old.files[0].uri, "s3://stedi/customer/trusted/_snap/000001.parquet");
    assert_str(old.files[1].uri, "s3://stedi/customer/trusted/_snap/000002.parquet");
    assert_int_equal(old.n_cols, 3);
    lh_table_def_free(&old);
    lh_table_def_free(&cur);
    lh_catalog_close(b);
}

static void test_reopen_keeps_data(void **state)
{
    fx *f = *state;
    lh_err err;
    lh_table_def t;
    lh_catalog *c2 = NULL;
    int64_t rid1, sid1, rid2, sid2;
    sqlite3 *raw = NULL;

    OK(lh_catalog_create_database(f->cat, "stedi", 0, "the STEDI lake", &e_));
    commit_twice(f->cat, &rid1, &sid1, &rid2, &sid2);
    lh_catalog_close(f->cat);
    f->cat = NULL;

    OK(lh_catalog_open(f->path, &f->cat, &e_));
    OK(lh_catalog_get_table(f->cat, "stedi", "customer_trusted", &t, &e_));
    assert_int_equal(t.snapshot_id, sid2);
    assert_int_equal(t.n_files, 1);
    lh_table_def_free(&t);

    /* Another schema version is refused with the path named. */
    lh_catalog_close(f->cat);
    f->cat = NULL;
    assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "PRAGMA user_version=3", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(raw), SQLITE_OK);
    assert_int_equal(lh_catalog_open(f->path, &c2, &err), LH_ECORRUPT);
    assert_null(c2);
    assert_contains(err.msg, f->path);
    assert_contains(err.msg, "schema version 3");
    assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "PRAGMA user_version=1", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(raw), SQLITE_OK);
    OK(lh_catalog_open(f->path, &f->cat, &e_));
}

static int64_t raw_int(const char *path, const char *sql)
{
    sqlite3 *raw = NULL;
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(raw, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_close(raw), SQLITE_OK);
    return v;
}

/* cancelled runs; a 'running' run of a dead pid is abandoned (shown, then
 * recorded); a version-1 file is migrated at open and keeps its runs. */
static void test_runs_cancel_abandon_migrate(void **state)
{
    fx *f = *state;
    lh_run_info *runs = NULL;
    size_t n = 0;
    uint64_t marked = 0;
    int64_t rid;
    sqlite3 *raw = NULL;
    char sql[256];
    OK(lh_catalog_run_begin(f->cat, "job_a", &rid, &e_));
    OK(lh_catalog_run_cancel(f->cat, rid, 12, "cancelled (interrupted)", &e_));
    OK(lh_catalog_list_runs(f->cat, "job_a", 0, &runs, &n, &e_));
    assert_int_equal(n, 1);
    assert_str(runs[0].status, "cancelled");
    assert_str(runs[0].error, "cancelled (interrupted)");
    lh_run_info_free(runs, n);

    /* pid 2^22+1 is above Linux's pid_max: never alive */
    assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
    snprintf(sql, sizeof sql,
             "INSERT INTO job_runs(job, status, started_at, started_ms, pid) VALUES('job_b','running','x',0,%d)",
             (1 << 22) + 1);
    assert_int_equal(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(raw), SQLITE_OK);
    OK(lh_catalog_list_runs(f->cat, "job_b", 0, &runs, &n, &e_));
    assert_int_equal(n, 1);
    assert_str(runs[0].status, "abandoned");
    assert_null(runs[0].ended_at);
    lh_run_info_free(runs, n);
    OK(lh_catalog_mark_abandoned_runs(f->cat, &marked, &e_));
    assert_int_equal(marked, 1);
    OK(lh_catalog_mark_abandoned_runs(f->cat, &marked, &e_));
    assert_int_equal(marked, 0);
    OK(lh_catalog_list_runs(f->cat, "job_b", 0, &runs, &n, &e_));
    assert_str(runs[0].status, "abandoned");
    assert_non_null(runs[0].ended_at);
    assert_contains(runs[0].error, "pid 4194305");
    lh_run_info_free(runs, n);

    /* back to version 1: the old CHECK, no boot_id */
    lh_catalog_close(f->cat);
    f->cat = NULL;
    assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(raw,
                     "PRAGMA foreign_keys=OFF; BEGIN;"
                     "CREATE TABLE j1(id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL, target TEXT,"
                     " status TEXT NOT NULL CHECK(status IN ('running','succeeded','failed')), started_at TEXT NOT NULL,"
                     " ended_at TEXT, started_ms INTEGER NOT NULL, ended_ms INTEGER, pid INTEGER, rows_read INTEGER,"
                     " rows_written INTEGER, snapshot_id INTEGER, error TEXT);"
                     "INSERT INTO j1(id, job, status, started_at, started_ms) SELECT id, job, 'failed', started_at,"
                     " started_ms FROM job_runs;"
                     "DROP TABLE job_runs; ALTER TABLE j1 RENAME TO job_runs;"
                     "CREATE INDEX job_runs_job ON job_runs(job, id); PRAGMA user_version=1; COMMIT;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_close(raw), SQLITE_OK);
    assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 1);
    OK(lh_catalog_open(f->path, &f->cat, &e_));
    assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 2);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM job_runs"), 2);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM pragma_table_info('job_runs') WHERE name='boot_id'"), 1);
    OK(lh_catalog_run_begin(f->cat, "job_c", &rid, &e_));
    assert_true(rid > 2); /* AUTOINCREMENT carried over */
    OK(lh_catalog_run_cancel(f->cat, rid, -1, NULL, &e_));
    assert_int_equal(raw_int(f->path, "PRAGMA foreign_key_check"), -1); /* no violation rows */
}

static void test_not_a_catalog(void **state)
{
    fx *f = *state;
    lh_err err;
    lh_catalog *c = NULL;
    char p[4300];
    FILE *fp;
    sqlite3 *raw = NULL;
    sqlite3_stmt *st = NULL;

    snprintf(p, sizeof p, "%s/notes.txt", f->dir);
    fp = fopen(p, "w");
    assert_non_null(fp);
    for (int i = 0; i < 100; i++)
        fputs("this is not an SQLite database, just text\n", fp);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(lh_catalog_open(p, &c, &err), LH_ECORRUPT);
    assert_null(c);
    assert_contains(err.msg, p);

    /* Some other SQLite database: refused, and left as it was (not WAL). */
    snprintf(p, sizeof p, "%s/other.db", f->dir);
    assert_int_equal(sqlite3_open(p, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "CREATE TABLE t(x); INSERT INTO t VALUES(1)", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(raw), SQLITE_OK);
    assert_int_equal(lh_catalog_open(p, &c, &err), LH_ECORRUPT);
    assert_contains(err.msg, p);
    assert_contains(err.msg, "not a lakehouse catalog");
    assert_int_equal(sqlite3_open(p, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "delete");
    sqlite3_finalize(st);
    sqlite3_close(raw);

    /* A parent that is a file: an I/O error naming it. */
    snprintf(p, sizeof p, "%s/notes.txt/sub/catalog.db", f->dir);
    assert_int_equal(lh_catalog_open(p, &c, &err), LH_EIO);
    assert_contains(err.msg, "notes.txt");
}

static void test_def_copy(void **state)
{
    fx *f = *state;
    lh_table_def t, cp;
    int64_t rid1, sid1, rid2, sid2;

    OK(lh_catalog_create_database(f->cat, "stedi", 0, NULL, &e_));
    commit_twice(f->cat, &rid1, &sid1, &rid2, &sid2);
    OK(lh_catalog_get_table(f->cat, "stedi", "customer_trusted", &t, &e_));
    OK(lh_table_def_copy(&cp, &t, &e_));
    lh_table_def_free(&t);
    assert_str(cp.db, "stedi");
    assert_str(cp.name, "customer_trusted");
    assert_int_equal(cp.managed, 1);
    assert_int_equal(cp.snapshot_id, sid2);
    assert_int_equal(cp.snapshot_run_id, rid2);
    assert_int_equal(cp.n_cols, 2);
    assert_str(cp.cols[1].comment, "years");
    assert_int_equal(cp.n_tbl_props, 1);
    assert_str(cp.tbl_props[0].value, "SNAPPY");
    assert_int_equal(cp.n_serde_props, 0);
    assert_int_equal(cp.n_files, 1);
    assert_str(cp.files[0].uri, k_files2[0].uri);
    assert_int_equal(cp.files[0].size, 555);
    assert_str(cp.snapshot_prefix, "s3://stedi/customer/trusted/_snap2/");
    assert_non_null(cp.snapshot_time);
    lh_table_def_free(&cp);
}


/* ---- DROP DATABASE ... CASCADE ---- */

/* Rows of every catalog table, as one string, to compare before and after. */
static void row_counts(const char *path, char *out, size_t outsz)
{
    sqlite3 *raw = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(raw,
                                        "SELECT (SELECT count(*) FROM databases) || ',' || (SELECT count(*) FROM tables)"
                                        " || ',' || (SELECT count(*) FROM columns) || ',' ||"
                                        " (SELECT count(*) FROM table_props) || ',' || (SELECT count(*) FROM snapshots)"
                                        " || ',' || (SELECT count(*) FROM snapshot_files)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(raw);
}

/* Two databases, each with an external table and a managed table with a snapshot. */
static void cascade_fixture(lh_catalog *cat)
{
    const char *dbs[] = {"stedi", "other"};
    for (int i = 0; i < 2; i++) {
        lh_table_def x = external_def(dbs[i], "landing"), m = managed_def(dbs[i], "trusted", 1);
        char xloc[64], mloc[64];
        snprintf(xloc, sizeof xloc, "s3://%s/customer/landing/", dbs[i]); /* locations never overlap */
        snprintf(mloc, sizeof mloc, "s3://%s/customer/trusted/", dbs[i]);
        x.location = xloc;
        m.location = mloc;
        int64_t rid = 0, sid = 0;
        OK(lh_catalog_create_database(cat, dbs[i], 0, NULL, &e_));
        OK(lh_catalog_create_table(cat, &x, 0, &e_));
        OK(lh_catalog_run_begin(cat, "trusted", &rid, &e_));
        OK(lh_catalog_commit_snapshot(cat, &m, rid, "s3://stedi/customer/trusted/_snap/", k_files1, 2, 40, 30, &sid,
                                      &e_));
    }
}

static void test_drop_database_cascade(void **state)
{
    fx *f = *state;
    lh_err err;
    char before[128], after[128];
    char **names = NULL;
    size_t n = 0;
    int64_t ntab = -1;
    cascade_fixture(f->cat);
    OK(lh_catalog_create_database(f->cat, "default", 1, NULL, &e_));
    row_counts(f->path, before, sizeof before);

    /* Without CASCADE a database with tables stays, as in Hive. */
    assert_int_equal(lh_catalog_drop_database_ex(f->cat, "stedi", 0, 0, &ntab, &err), LH_EINVAL);
    assert_contains(err.msg, "Database stedi is not empty. One or more tables exist (2)");
    assert_int_equal(ntab, 0);
    /* default is never dropped, even with IF EXISTS or CASCADE. */
    assert_int_equal(lh_catalog_drop_database_ex(f->cat, "DEFAULT", 1, 1, &ntab, &err), LH_EINVAL);
    assert_contains(err.msg, "database default cannot be dropped");
    /* Missing: LH_ENOTFOUND, or nothing with IF EXISTS. */
    assert_int_equal(lh_catalog_drop_database_ex(f->cat, "nosuch", 0, 1, &ntab, &err), LH_ENOTFOUND);
    OK(lh_catalog_drop_database_ex(f->cat, "nosuch", 1, 1, &ntab, &e_));
    assert_int_equal(ntab, 0);

    /* A failure in the middle of the cascade (the last DELETE aborts)
     * leaves every row: one transaction. */
    {
        sqlite3 *raw = NULL;
        assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
        assert_int_equal(sqlite3_exec(raw,
                                      "CREATE TRIGGER boom BEFORE DELETE ON databases BEGIN"
                                      " SELECT RAISE(ABORT, 'injected failure'); END",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
        assert_int_not_equal(lh_catalog_drop_database_ex(f->cat, "stedi", 0, 1, &ntab, &err), LH_OK);
        assert_contains(err.msg, "injected failure");
        assert_int_equal(ntab, 0);
        assert_int_equal(sqlite3_exec(raw, "DROP TRIGGER boom", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(raw);
    }
    row_counts(f->path, after, sizeof after);
    assert_string_equal(after, before);

    /* Allocation failures: each a clean LH_ENOMEM that changes nothing. */
    for (long k = 1; k < 100; k++) {
        lh_rc rc;
        lh_fault_alloc_set(k);
        rc = lh_catalog_drop_database_ex(f->cat, "stedi", 0, 1, &ntab, &err);
        lh_fault_alloc_set(0);
        if (rc == LH_OK)
            break;
        assert_int_equal(rc, LH_ENOMEM);
        assert_int_equal(ntab, 0);
        row_counts(f->path, after, sizeof after);
        assert_string_equal(after, before);
    }
    /* The loop ended with the drop done: both tables and their snapshot
     * records are gone, the other database is untouched. */
    assert_int_equal(ntab, 2);
    row_counts(f->path, after, sizeof after);
    assert_string_equal(after, "2,2,6,6,1,2"); /* default + other: 2 tables, 3 + 3 columns, 4 + 2 props */
    OK(lh_catalog_list_databases(f->cat, &names, &n, &e_));
    assert_strv(names, n, (const char *const[]){"default", "other"}, 2);
    lh_strv_free(names, n);
    OK(lh_catalog_list_tables(f->cat, "other", &names, &n, &e_));
    assert_strv(names, n, (const char *const[]){"landing", "trusted"}, 2);
    lh_strv_free(names, n);
    assert_int_equal(lh_catalog_get_table(f->cat, "stedi", "trusted", &(lh_table_def){0}, &err), LH_ENOTFOUND);
    /* An empty database drops without CASCADE; a re-created one starts empty. */
    OK(lh_catalog_create_database(f->cat, "stedi", 0, NULL, &e_));
    OK(lh_catalog_list_tables(f->cat, "stedi", &names, &n, &e_));
    assert_int_equal(n, 0);
    lh_strv_free(names, n);
    OK(lh_catalog_drop_database_ex(f->cat, "stedi", 0, 0, &ntab, &e_));
    assert_int_equal(ntab, 0);
}

/* ---- allocation failures ---- */

/* The whole life of a catalog; returns the first failure. */
static lh_rc scenario(const char *path, lh_err *err)
{
    lh_catalog *c = NULL;
    lh_table_def t, cp;
    lh_table_def d = managed_def("Stedi", "Customer_Trusted", 1), d2 = managed_def("stedi", "customer_trusted", 2);
    lh_run_info *runs = NULL;
    char **v = NULL;
    size_t n = 0;
    int64_t rid = 0, sid = 0;
    lh_rc rc;

    rc = lh_catalog_open(path, &c, err);
    if (rc)
        return rc;
    rc = lh_catalog_create_database(c, "STEDI", 1, "lake", err);
    if (!rc)
        rc = lh_catalog_create_table(c, &d, 1, err);
    if (!rc) {
        rc = lh_catalog_get_table(c, "stedi", "customer_trusted", &t, err);
        lh_table_def_free(&t);
    }
    if (!rc)
        rc = lh_catalog_run_begin(c, "customer_trusted", &rid, err);
    if (!rc)
        rc = lh_catalog_commit_snapshot(c, &d2, rid, "s3://stedi/customer/trusted/_snap2/", k_files1, 2, 3, 30, &sid,
                                        err);
    if (!rc) {
        rc = lh_catalog_get_table(c, "stedi", "customer_trusted", &t, err);
        if (!rc) {
            rc = lh_table_def_copy(&cp, &t, err);
            lh_table_def_free(&cp);
        }
        lh_table_def_free(&t);
    }
    if (!rc) {
        rc = lh_catalog_list_runs(c, NULL, 0, &runs, &n, err);
        lh_run_info_free(runs, n);
    }
    if (!rc) {
        rc = lh_catalog_referenced_files(c, &v, &n, err);
        lh_strv_free(v, n);
    }
    if (!rc) {
        rc = lh_catalog_list_tables(c, "stedi", &v, &n, err);
        lh_strv_free(v, n);
    }
    lh_catalog_close(c);
    return rc;
}

/* After a failed scenario: a table with a snapshot has exactly its run
 * succeeded; without one, no run has ended. */
static void check_consistent(const char *path)
{
    lh_catalog *c = NULL;
    lh_table_def t;
    lh_run_info *runs = NULL;
    size_t n = 0;
    lh_err err;
    lh_rc rc;

    if (lh_catalog_open(path, &c, &err) != LH_OK)
        return; /* failed before the file was made: nothing to check */
    rc = lh_catalog_get_table(c, "stedi", "customer_trusted", &t, &err);
    assert_true(rc == LH_OK || rc == LH_ENOTFOUND);
    OK(lh_catalog_list_runs(c, NULL, 0, &runs, &n, &e_));
    assert_true(n <= 1);
    if (rc == LH_OK && t.snapshot_id) {
        assert_int_equal(n, 1);
        assert_str(runs[0].status, "succeeded");
        assert_int_equal(runs[0].snapshot_id, t.snapshot_id);
        assert_int_equal(t.n_files, 2);
        assert_int_equal(t.n_cols, 2); /* definition changed with the snapshot */
    } else {
        if (n == 1)
            assert_str(runs[0].status, "running");
        if (rc == LH_OK)
            assert_int_equal(t.n_cols, 3);
    }
    if (rc == LH_OK)
        lh_table_def_free(&t);
    lh_run_info_free(runs, n);
    lh_catalog_close(c);
}

static void test_alloc_failures(void **state)
{
    fx *f = *state;
    char p[4300];
    lh_err err;
    long n, failures = 0;
    int completed = 0;

    for (n = 1; n < 5000 && !completed; n++) {
        lh_rc rc;
        snprintf(p, sizeof p, "%s/fault/%ld/catalog.db", f->dir, n);
        lh_fault_alloc_set(n);
        rc = scenario(p, &err);
        lh_fault_alloc_set(0);
        if (rc == LH_OK) {
            completed = 1;
            break;
        }
        if (rc != LH_ENOMEM)
            fail_msg("allocation %ld: expected ENOMEM, got %s: %s", n, lh_strerror(rc), err.msg);
        failures++;
        check_consistent(p);
    }
    assert_true(completed);
    assert_true(failures > 20); /* the scenario really allocates */
}

/* ---- locations never overlap ---- */

static void test_location_relation(void **state)
{
    (void)state;
    assert_int_equal(lh_location_relation("s3://b/a/", "s3://b/a/"), LH_LOC_EQUAL);
    assert_int_equal(lh_location_relation("s3://b/a", "s3://b/a/"), LH_LOC_EQUAL);
    assert_int_equal(lh_location_relation("s3://b/a//", "s3://b/a"), LH_LOC_EQUAL);
    assert_int_equal(lh_location_relation("s3://b/a/", "s3://b/a/x/"), LH_LOC_CONTAINS);
    assert_int_equal(lh_location_relation("s3://b/a", "s3://b/a/x/y.json"), LH_LOC_CONTAINS);
    assert_int_equal(lh_location_relation("s3://b/a/x/", "s3://b/a/"), LH_LOC_INSIDE);
    assert_int_equal(lh_location_relation("s3://b/a/x.json", "s3://b/a"), LH_LOC_INSIDE);
    assert_int_equal(lh_location_relation("s3://b/", "s3://b/a/"), LH_LOC_CONTAINS);
    assert_int_equal(lh_location_relation("s3://b/a", "s3://b/ab/"), LH_LOC_DISJOINT);
    assert_int_equal(lh_location_relation("s3://b/ab/", "s3://b/a"), LH_LOC_DISJOINT);
    assert_int_equal(lh_location_relation("s3://b/a/", "s3://b2/a/"), LH_LOC_DISJOINT);
    assert_int_equal(lh_location_relation("s3://bb/", "s3://b/"), LH_LOC_DISJOINT);
    assert_int_equal(lh_location_relation("s3://b/A/", "s3://b/a/"), LH_LOC_DISJOINT); /* keys are case-sensitive */
    assert_int_equal(lh_location_relation("s3://b/trusted/", "s3://b/trusted_quarantine/"), LH_LOC_DISJOINT);
    assert_int_equal(lh_location_relation(NULL, "s3://b/a/"), LH_LOC_DISJOINT);
    assert_int_equal(lh_location_relation("", "s3://b/a/"), LH_LOC_DISJOINT);
    assert_int_equal(lh_location_relation("/", "s3://b/a/"), LH_LOC_DISJOINT);
}

static void test_location_owner(void **state)
{
    fx *f = *state;
    lh_err err;
    char *odb = NULL, *oname = NULL, *oloc = NULL;
    lh_table_def d = external_def("stedi", "customer_landing"), m = managed_def("stedi", "customer_trusted", 1);
    int64_t run = 0;
    lh_data_file file = {"s3://stedi/customer/trusted/run-1/part-0.parquet", 10, 1};

    OK(lh_catalog_create_database(f->cat, "stedi", 0, NULL, &e_));
    /* an empty catalog: nobody owns anything */
    OK(lh_catalog_location_owner(f->cat, "s3://stedi/", 0, NULL, NULL, &odb, &oname, &oloc, &e_));
    assert_null(odb);
    assert_null(oname);
    assert_null(oloc);
    OK(lh_catalog_create_table(f->cat, &d, 0, &e_));
    OK(lh_catalog_run_begin(f->cat, "job", &run, &e_));
    OK(lh_catalog_commit_snapshot(f->cat, &m, run, "s3://stedi/customer/trusted/run-1/", &file, 1, 1, 1, NULL, &e_));

    /* equal, inside, containing: found, named */
    const char *hits[] = {"s3://stedi/customer/landing", "s3://stedi/customer/landing/x/", "s3://stedi/customer/",
                          "s3://stedi/"};
    for (size_t i = 0; i < sizeof hits / sizeof *hits; i++) {
        OK(lh_catalog_location_owner(f->cat, hits[i], 0, NULL, NULL, &odb, &oname, &oloc, &e_));
        assert_non_null(odb);
        assert_str(odb, "stedi");
        assert_str(oname, "customer_landing"); /* first in (db, name) order */
        assert_str(oloc, "s3://stedi/customer/landing/");
        lh_free(odb);
        lh_free(oname);
        lh_free(oloc);
    }
    /* neighbours with a common string prefix do not overlap */
    OK(lh_catalog_location_owner(f->cat, "s3://stedi/customer/landing2/", 0, NULL, NULL, &odb, &oname, &oloc, &e_));
    assert_null(odb);
    OK(lh_catalog_location_owner(f->cat, "s3://stedi/customer/trusted_quarantine/", 0, NULL, NULL, &odb, NULL, NULL,
                                 &e_));
    assert_null(odb);
    /* a table never overlaps itself (a re-run at its own location) */
    OK(lh_catalog_location_owner(f->cat, "s3://stedi/customer/landing/", 0, "STEDI", "Customer_Landing", &odb, NULL,
                                 NULL, &e_));
    assert_null(odb);
    /* managed / external filters */
    OK(lh_catalog_location_owner(f->cat, "s3://stedi/customer/", LH_LOC_MANAGED_ONLY, NULL, NULL, &odb, &oname, NULL,
                                 &e_));
    assert_str(oname, "customer_trusted");
    lh_free(odb);
    lh_free(oname);
    OK(lh_catalog_location_owner(f->cat, "s3://stedi/customer/trusted/", LH_LOC_EXTERNAL_ONLY, NULL, NULL, &odb, NULL,
                                 NULL, &e_));
    assert_null(odb);
    /* holding: only tables whose location contains the URI */
    OK(lh_catalog_location_owner(f->cat, "s3://stedi/customer/", LH_LOC_HOLDING, NULL, NULL, &odb, NULL, NULL, &e_));
    assert_null(odb);
    OK(lh_catalog_location_owner(f->cat, "s3://stedi/customer/trusted/run-1/part-0.parquet", LH_LOC_HOLDING, NULL,
                                 NULL, &odb, &oname, NULL, &e_));
    assert_str(oname, "customer_trusted");
    lh_free(odb);
    lh_free(oname);

    /* the catalog itself refuses an overlapping definition, naming the other table */
    lh_table_def x = external_def("stedi", "oops");
    x.location = "s3://stedi/customer/landing/sub/";
    assert_int_equal(lh_catalog_create_table(f->cat, &x, 0, &err), LH_EEXIST);
    assert_contains(err.msg, "overlaps the location of table stedi.customer_landing (s3://stedi/customer/landing/)");
    x.location = "s3://stedi/customer";
    assert_int_equal(lh_catalog_create_table(f->cat, &x, 1, &err), LH_EEXIST); /* IF NOT EXISTS of a new table */
    assert_contains(err.msg, "choose a prefix of its own");
    /* IF NOT EXISTS of an existing table stays a no-op */
    OK(lh_catalog_create_table(f->cat, &d, 1, &e_));
    /* a job may not commit into another table's location, nor move its table there */
    lh_table_def j = managed_def("stedi", "oops", 1);
    j.location = "s3://stedi/customer/landing/";
    OK(lh_catalog_run_begin(f->cat, "oops", &run, &e_));
    assert_int_equal(lh_catalog_commit_snapshot(f->cat, &j, run, "s3://stedi/customer/landing/run-2/", NULL, 0, 0, 0,
                                                NULL, &err),
                     LH_EEXIST);
    assert_contains(err.msg, "table stedi.customer_landing");
    j = managed_def("stedi", "customer_trusted", 1);
    j.location = "s3://stedi/customer/landing/t/";
    assert_int_equal(lh_catalog_commit_snapshot(f->cat, &j, run, "s3://stedi/customer/landing/t/run-2/", NULL, 0, 0,
                                                0, NULL, &err),
                     LH_EEXIST);
    /* a re-run at its own location commits */
    j.location = "s3://stedi/customer/trusted";
    OK(lh_catalog_commit_snapshot(f->cat, &j, run, "s3://stedi/customer/trusted/run-2/", NULL, 0, 0, 0, NULL, &e_));
    x.location = "s3://stedi/customer/landing2/";
    OK(lh_catalog_create_table(f->cat, &x, 0, &e_));
}

static void test_location_owner_alloc(void **state)
{
    fx *f = *state;
    lh_table_def d = external_def("stedi", "customer_landing");
    OK(lh_catalog_create_database(f->cat, "stedi", 0, NULL, &e_));
    OK(lh_catalog_create_table(f->cat, &d, 0, &e_));
    for (int n = 1; n < 50; n++) {
        char *odb = NULL, *oname = NULL, *oloc = NULL;
        lh_err err;
        lh_rc rc;
        lh_fault_alloc_set(n);
        rc = lh_catalog_location_owner(f->cat, "s3://stedi/", 0, NULL, NULL, &odb, &oname, &oloc, &err);
        lh_fault_alloc_set(0);
        if (rc == LH_OK) {
            assert_str(oname, "customer_landing");
            lh_free(odb);
            lh_free(oname);
            lh_free(oloc);
            break;
        }
        assert_int_equal(rc, LH_ENOMEM);
        assert_null(odb);
        assert_null(oname);
        assert_null(oloc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_databases, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_create_get_table, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_list_drop_tables, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_commit_snapshot, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_commit_external_unchanged, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_run_fail_succeed, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_runs_cancel_abandon_migrate, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_isolation, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_reopen_keeps_data, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_not_a_catalog, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_def_copy, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_drop_database_cascade, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_alloc_failures, fx_setup, fx_teardown),
        cmocka_unit_test(test_location_relation),
        cmocka_unit_test_setup_teardown(test_location_owner, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_location_owner_alloc, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
