/* Unit tests for pipeline folders (dependency order, errors, verify) and ingest. */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

#include "pipeline/ingest.h"
#include "pipeline/pipeline.h"
#include "util/mem.h"

static void write_file(const char *dir, const char *rel, const char *text)
{
    char path[4096], cmd[4200];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", path);
    assert_int_equal(system(cmd), 0);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

#define JOB(tgt, src)                                                                                                  \
    "CREATE TABLE " tgt " WITH (format='JSON', external_location='s3://bkt/" tgt "/') AS SELECT * FROM " src

/* Job files named so that name order is the wrong run order. */
static void test_order_from_reads(void **state)
{
    char *d = lh_test_tmpdir();
    lh_pipeline *p = NULL;
    lh_err err = {0};
    (void)state;
    write_file(d, "ddl/a.sql",
               "CREATE DATABASE IF NOT EXISTS x; CREATE EXTERNAL TABLE x.land (k string) ROW FORMAT SERDE "
               "'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://bkt/land/'");
    write_file(d, "jobs/a_last.sql", JOB("x.gold", "x.silver s JOIN \"x\".`bronze` b ON s.k = b.k"));
    write_file(d, "jobs/b_middle.sql", "-- reads x.gold only in this comment\n" JOB("x.silver", "x.bronze WHERE k <> 'x.gold'"));
    write_file(d, "jobs/c_first.sql", JOB("x.bronze", "land"));
    write_file(d, "expected_counts.csv", "zone,table,rows\nlanding,x.land,3\ncurated,x.gold,2\n");
    assert_int_equal(lh_pipeline_load(d, &p, &err), LH_OK);
    assert_int_equal(lh_pipeline_job_count(p), 3);
    assert_string_equal(lh_pipeline_job(p, 0)->name, "c_first");
    assert_string_equal(lh_pipeline_job(p, 1)->name, "b_middle");
    assert_string_equal(lh_pipeline_job(p, 2)->name, "a_last");
    assert_int_equal(lh_pipeline_job(p, 0)->n_reads, 1); /* bare 'land' resolves to x.land */
    assert_string_equal(lh_pipeline_job(p, 0)->reads[0], "x.land");
    assert_int_equal(lh_pipeline_job(p, 1)->n_reads, 1); /* not the comment, not the string */
    assert_int_equal(lh_pipeline_job(p, 2)->n_reads, 2);
    assert_int_equal(lh_pipeline_expected_count(p), 2);
    assert_string_equal(lh_pipeline_expected(p, 1)->zone, "curated");
    assert_int_equal(lh_pipeline_expected(p, 1)->rows, 2);
    assert_int_equal(lh_pipeline_source_count(p), 1);
    lh_pipeline_free(p);
    lh_test_rmrf(d);
    free(d);
}

static void test_load_errors(void **state)
{
    char *d = lh_test_tmpdir();
    lh_pipeline *p = NULL;
    lh_err err = {0};
    (void)state;
    /* a cycle */
    write_file(d, "jobs/a.sql", JOB("x.a", "x.b"));
    write_file(d, "jobs/b.sql", JOB("x.b", "x.a"));
    assert_int_equal(lh_pipeline_load(d, &p, &err), LH_EINVAL);
    assert_non_null(strstr(err.msg, "cycle"));
    /* two jobs writing one table */
    write_file(d, "jobs/b.sql", JOB("x.a", "x.c"));
    assert_int_equal(lh_pipeline_load(d, &p, &err), LH_EINVAL);
    assert_non_null(strstr(err.msg, "both write x.a"));
    /* a job that is not one CTAS */
    write_file(d, "jobs/b.sql", "SELECT 1");
    assert_int_equal(lh_pipeline_load(d, &p, &err), LH_EINVAL);
    assert_non_null(strstr(err.msg, "b.sql"));
    /* a syntax error anywhere stops the load, with its position */
    write_file(d, "jobs/b.sql", "CREATE TABLE x.z WITH (format='JSON' AS SELECT 1");
    assert_int_not_equal(lh_pipeline_load(d, &p, &err), LH_OK);
    assert_non_null(strstr(err.msg, "b.sql:1:"));
    /* a bad expected_counts line */
    write_file(d, "jobs/b.sql", JOB("x.b", "x.c"));
    write_file(d, "expected_counts.csv", "zone,table,rows\nlanding,x.a,lots\n");
    assert_int_equal(lh_pipeline_load(d, &p, &err), LH_EPARSE);
    assert_non_null(strstr(err.msg, "expected_counts.csv:2"));
    /* not a pipeline */
    assert_int_equal(lh_pipeline_load("/nonexistent/pipe", &p, &err), LH_ENOTFOUND);
    assert_null(p);
    lh_test_rmrf(d);
    free(d);
}

static void test_stedi_pipeline_order(void **state)
{
    lh_pipeline *p = NULL;
    lh_err err = {0};
    (void)state;
    assert_int_equal(lh_pipeline_load("pipelines/stedi", &p, &err), LH_OK);
    assert_int_equal(lh_pipeline_job_count(p), 5);
    assert_int_equal(lh_pipeline_ddl_count(p), 3);
    assert_int_equal(lh_pipeline_expected_count(p), 8);
    assert_string_equal(lh_pipeline_job(p, 4)->target, "stedi.machine_learning_curated");
    lh_pipeline_free(p);
}

static void test_ingest_idempotent(void **state)
{
    char *d = lh_test_tmpdir(), *root, *src;
    lh_store *s = NULL;
    lh_ingest_stats st;
    lh_err err = {0};
    lh_buf b;
    (void)state;
    root = lh_aprintf("%s/lake", d);
    src = lh_aprintf("%s/src", d);
    write_file(d, "src/a/one.json", "{\"a\":1}\n");
    write_file(d, "src/a/two.json", "{\"a\":2}\n");
    write_file(d, "src/.hidden", "x");
    assert_int_equal(lh_store_open_local(root, &s, &err), LH_OK);
    assert_int_equal(lh_ingest(s, src, "s3://bkt/in/", &st, &err), LH_OK);
    assert_int_equal(st.files_copied, 2);
    assert_int_equal(lh_ingest(s, src, "s3://bkt/in", &st, &err), LH_OK);
    assert_int_equal(st.files_copied, 0);
    assert_int_equal(st.files_unchanged, 2);
    write_file(d, "src/a/two.json", "{\"a\":3}\n"); /* same size, other bytes */
    assert_int_equal(lh_ingest(s, src, "s3://bkt/in/", &st, &err), LH_OK);
    assert_int_equal(st.files_copied, 1);
    lh_buf_init(&b, 0);
    assert_int_equal(lh_store_get(s, "s3://bkt/in/a/two.json", &b, &err), LH_OK);
    assert_string_equal(lh_buf_cstr(&b), "{\"a\":3}\n");
    lh_buf_free(&b);
    assert_int_equal(lh_ingest(s, "/nonexistent/x", "s3://bkt/in/", &st, &err), LH_ENOTFOUND);
    assert_non_null(strstr(err.msg, "/nonexistent/x"));
    assert_int_not_equal(lh_ingest(s, src, "s3://bkt/../up/", &st, &err), LH_OK);
    lh_store_close(s);
    lh_test_rmrf(d);
    lh_free(root);
    lh_free(src);
    free(d);
}

/* Ingest never writes into a job's prefix; landing locations and targets
 * that merely contain a job's prefix are fine. */
static void test_ingest_lake_locations(void **state)
{
    char *d = lh_test_tmpdir(), *root, *src, *cat_path, *src2;
    lh_store *s = NULL;
    lh_catalog *c = NULL;
    lh_ingest_stats st;
    lh_err err = {0};
    lh_table_def land, job;
    lh_column col = {"a", "bigint", NULL};
    int64_t run = 0;
    lh_obj_info info;
    (void)state;
    root = lh_aprintf("%s/lake", d);
    src = lh_aprintf("%s/src", d);
    src2 = lh_aprintf("%s/src2", d);
    cat_path = lh_aprintf("%s/lake/.lakehouse/catalog.db", d);
    write_file(d, "src/land/one.json", "{\"a\":1}\n");
    write_file(d, "src2/land/two.json", "{\"a\":2}\n");
    write_file(d, "src2/job/evil.json", "{\"a\":3}\n");
    assert_int_equal(lh_store_open_local(root, &s, &err), LH_OK);
    assert_int_equal(lh_catalog_open(cat_path, &c, &err), LH_OK);
    assert_int_equal(lh_catalog_create_database(c, "db", 0, NULL, &err), LH_OK);
    memset(&land, 0, sizeof land);
    land.db = "db";
    land.name = "land";
    land.location = "s3://bkt/land/";
    land.format = "json";
    land.cols = &col;
    land.n_cols = 1;
    assert_int_equal(lh_catalog_create_table(c, &land, 0, &err), LH_OK);
    job = land;
    job.name = "job";
    job.managed = 1;
    job.location = "s3://bkt/job";
    assert_int_equal(lh_catalog_run_begin(c, "job", &run, &err), LH_OK);
    assert_int_equal(lh_catalog_commit_snapshot(c, &job, run, "s3://bkt/job/run-1/", NULL, 0, 0, 0, NULL, &err), LH_OK);

    /* into a landing location, and at the bucket root: fine */
    assert_int_equal(lh_ingest_lake(s, c, src, "s3://bkt/", NULL, NULL, &st, &err), LH_OK);
    assert_int_equal(st.files_copied, 1);
    assert_int_equal(lh_ingest_lake(s, c, src, "s3://bkt/", NULL, NULL, &st, &err), LH_OK);
    assert_int_equal(st.files_unchanged, 1);
    /* into the job's prefix: refused naming the object and the table */
    assert_int_equal(lh_ingest_lake(s, c, src, "s3://bkt/job/", NULL, NULL, &st, &err), LH_EEXIST);
    assert_non_null(strstr(err.msg, "s3://bkt/job/land/one.json inside the location of table db.job"));
    assert_int_equal(lh_ingest_lake(s, c, src, "s3://bkt/job/sub", NULL, NULL, &st, &err), LH_EEXIST);
    /* one object of many would land there: nothing at all is copied */
    assert_int_equal(lh_ingest_lake(s, c, src2, "s3://bkt/", NULL, NULL, &st, &err), LH_EEXIST);
    assert_non_null(strstr(err.msg, "s3://bkt/job/evil.json"));
    memset(&info, 0, sizeof info);
    assert_int_equal(lh_store_head(s, "s3://bkt/land/two.json", &info, &err), LH_ENOTFOUND);
    lh_obj_info_free(&info);
    /* a single file */
    write_file(d, "x.json", "{}\n");
    lh_free(src2);
    src2 = lh_aprintf("%s/x.json", d);
    assert_int_equal(lh_ingest_lake(s, c, src2, "s3://bkt/job/x.json", NULL, NULL, &st, &err), LH_EEXIST);
    assert_int_equal(lh_ingest_lake(s, c, src2, "s3://bkt/jobs/x.json", NULL, NULL, &st, &err), LH_OK);
    /* without a catalog: the bare copy */
    assert_int_equal(lh_ingest(s, src2, "s3://bkt/job/x.json", &st, &err), LH_OK);
    lh_catalog_close(c);
    lh_store_close(s);
    lh_test_rmrf(d);
    lh_free(root);
    lh_free(src);
    lh_free(src2);
    lh_free(cat_path);
    free(d);
}


/* The loader reads only regular files: a FIFO (which would block the load
 * forever), a folder, or a link out of the pipeline folder is refused,
 * naming the path; a link to a file inside the folder is read. */
static void test_load_non_regular(void **state)
{
    char *d = lh_test_tmpdir(), path[4200], target[4200];
    lh_pipeline *p = NULL;
    lh_err err = {0};
    (void)state;
    write_file(d, "pipe/ddl/a.sql", "CREATE DATABASE x;\n");
    write_file(d, "pipe/shared/b.sql", "CREATE DATABASE y;\n");
    write_file(d, "outside.sql", "CREATE DATABASE z;\n");
    snprintf(path, sizeof path, "%s/pipe", d);
    snprintf(target, sizeof target, "%s/pipe/ddl/f.sql", d);
    assert_int_equal(mkfifo(target, 0600), 0);
    assert_int_equal(lh_pipeline_load(path, &p, &err), LH_EINVAL);
    assert_non_null(strstr(err.msg, "/pipe/ddl/f.sql: not a regular file (a FIFO); remove it"));
    assert_int_equal(unlink(target), 0);
    assert_int_equal(mkdir(target, 0700), 0);
    assert_int_equal(lh_pipeline_load(path, &p, &err), LH_EINVAL);
    assert_non_null(strstr(err.msg, "/pipe/ddl/f.sql: not a regular file (a folder); remove it"));
    assert_int_equal(rmdir(target), 0);
    assert_int_equal(symlink("../../outside.sql", target), 0);
    assert_int_equal(lh_pipeline_load(path, &p, &err), LH_EINVAL);
    assert_non_null(strstr(err.msg, "/pipe/ddl/f.sql: a symbolic link to "));
    assert_non_null(strstr(err.msg, "outside the pipeline folder"));
    assert_int_equal(unlink(target), 0);
    assert_int_equal(symlink("../shared/b.sql", target), 0);
    assert_int_equal(lh_pipeline_load(path, &p, &err), LH_OK);
    assert_int_equal(lh_pipeline_ddl_count(p), 2);
    lh_pipeline_free(p);
    lh_test_rmrf(d);
    free(d);
}

typedef struct skips {
    int n;
    char seen[512];
} skips;

static void on_skip(void *ctx, const char *path, const char *kind)
{
    skips *k = ctx;
    const char *base = strrchr(path, '/');
    size_t o = strlen(k->seen);
    snprintf(k->seen + o, sizeof k->seen - o, "%s=%s;", base ? base + 1 : path, kind);
    k->n++;
}

/* ingest names every entry it skips, counts them, and fails when nothing
 * but such entries was found. */
static void test_ingest_skips_said(void **state)
{
    char *d = lh_test_tmpdir(), *root, *src, path[4200];
    lh_store *s = NULL;
    lh_ingest_stats st;
    lh_err err = {0};
    skips k = {0};
    (void)state;
    root = lh_aprintf("%s/lake", d);
    src = lh_aprintf("%s/src", d);
    write_file(d, "src/a.json", "{\"a\":1}\n");
    write_file(d, "only/x", "");
    snprintf(path, sizeof path, "%s/src/link.json", d);
    assert_int_equal(symlink("/etc/passwd", path), 0);
    snprintf(path, sizeof path, "%s/src/sub/fifo.json", d);
    write_file(d, "src/sub/keep.json", "{}\n");
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(lh_store_open_local(root, &s, &err), LH_OK);
    assert_int_equal(lh_ingest_ex(s, src, "s3://bkt/in/", on_skip, &k, &st, &err), LH_OK);
    assert_int_equal(st.files_copied, 2);
    assert_int_equal(st.files_skipped, 2);
    assert_int_equal(k.n, 2);
    assert_string_equal(k.seen, "link.json=a symbolic link;fifo.json=a FIFO;");
    /* A folder of only a FIFO: nothing ingested is an error. */
    snprintf(path, sizeof path, "%s/only/x", d);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(mkfifo(path, 0600), 0);
    snprintf(path, sizeof path, "%s/only", d);
    assert_int_equal(lh_ingest(s, path, "s3://bkt/only/", &st, &err), LH_EINVAL);
    assert_non_null(strstr(err.msg, "nothing ingested"));
    assert_int_equal(st.files_skipped, 1);
    /* SRC itself a FIFO or a link to a file: refused, naming it. */
    snprintf(path, sizeof path, "%s/only/x", d);
    assert_int_equal(lh_ingest(s, path, "s3://bkt/x/", &st, &err), LH_EINVAL);
    assert_non_null(strstr(err.msg, "not a regular file or folder (a FIFO)"));
    snprintf(path, sizeof path, "%s/src/link.json", d);
    assert_int_equal(lh_ingest(s, path, "s3://bkt/x/", &st, &err), LH_EINVAL);
    assert_non_null(strstr(err.msg, "a symbolic link (to a regular file)"));
    lh_store_close(s);
    lh_test_rmrf(d);
    lh_free(root);
    lh_free(src);
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_from_reads),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_stedi_pipeline_order),
        cmocka_unit_test(test_ingest_idempotent),
        cmocka_unit_test(test_ingest_lake_locations),
        cmocka_unit_test(test_load_non_regular),
        cmocka_unit_test(test_ingest_skips_said),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
