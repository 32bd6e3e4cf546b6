/* pipeline/pipeline.h — a pipeline folder: Athena DDL scripts, CTAS jobs,
 * and the row counts every table must reach.
 *
 * Layout of PIPELINE_DIR:
 *   ddl/NAME.sql         DDL scripts (CREATE DATABASE, CREATE EXTERNAL TABLE)
 *   jobs/NAME.sql        one job each: CREATE TABLE db.t WITH (...) AS SELECT ...
 *   expected_counts.csv  zone,table,rows   (table as db.name)
 *
 * Jobs run in dependency order derived from the tables each job reads and
 * writes (never from file names); a cycle, or two jobs writing one table,
 * is an error at load time.
 *
 * Ownership: lh_pipeline owns everything it loaded; lh_pipeline_free frees
 * it.  The engine is borrowed by run/verify.  The library prints nothing:
 * progress goes to the caller's callback.
 */
#ifndef LH_PIPELINE_PIPELINE_H
#define LH_PIPELINE_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "sql/engine.h"
#include "util/err.h"

typedef struct lh_pipeline lh_pipeline;

typedef struct lh_job_info {
    const char *name;   /* file name without .sql */
    const char *path;   /* file path */
    const char *target; /* "db.table" it writes */
    const char *const *reads; /* "db.table" it reads */
    size_t n_reads;
} lh_job_info;

typedef struct lh_expected {
    const char *zone;  /* landing, trusted, curated */
    const char *table; /* db.table */
    int64_t rows;
} lh_expected;

lh_rc lh_pipeline_load(const char *dir, lh_pipeline **out, lh_err *err) LH_MUST_CHECK;
void lh_pipeline_free(lh_pipeline *p);
const char *lh_pipeline_dir(const lh_pipeline *p);

/* Jobs in run order. */
size_t lh_pipeline_job_count(const lh_pipeline *p);
const lh_job_info *lh_pipeline_job(const lh_pipeline *p, size_t i);
/* DDL scripts in name order (paths). */
size_t lh_pipeline_ddl_count(const lh_pipeline *p);
const char *lh_pipeline_ddl(const lh_pipeline *p, size_t i);
/* Tables the DDL scripts define, "db.table". */
size_t lh_pipeline_source_count(const lh_pipeline *p);
const char *lh_pipeline_source(const lh_pipeline *p, size_t i);
size_t lh_pipeline_expected_count(const lh_pipeline *p);
const lh_expected *lh_pipeline_expected(const lh_pipeline *p, size_t i);

typedef struct lh_job_result {
    const lh_job_info *job; /* NULL for a DDL script */
    const char *script;     /* path of the DDL script or job */
    lh_rc rc;
    const char *error; /* message when rc != 0 */
    lh_stmt_stats stats;
} lh_job_result;

typedef void (*lh_progress_fn)(void *ctx, const lh_job_result *r);
/* Run only job `name` (downstream = 0), or it and every job that reads,
 * directly or not, what it writes (downstream = 1), from now on; the DDL
 * scripts still run.  LH_ENOTFOUND names the job and the near one. */
lh_rc lh_pipeline_select(lh_pipeline *p, const char *name, int downstream, lh_err *err) LH_MUST_CHECK;
/* 1 when job i (run order) runs. */
int lh_pipeline_job_selected(const lh_pipeline *p, size_t i);

/* Run the DDL scripts, then every job in order; stop at the first failure
 * (the failed job's table keeps its previous snapshot).  When e is
 * interrupted (lh_engine_interrupt: Ctrl-C, SIGTERM) the running job ends
 * 'cancelled' (its objects deleted, the previous snapshot kept), no
 * further job runs, and the result is LH_ECANCELLED. */
lh_rc lh_pipeline_run(lh_pipeline *p, lh_engine *e, lh_progress_fn progress, void *ctx, lh_err *err) LH_MUST_CHECK;

typedef struct lh_verify_row {
    const lh_expected *exp;
    int64_t expected; /* exp->rows * scale */
    int64_t actual;   /* -1 if the table could not be counted */
    int ok;
    char error[1024];
} lh_verify_row;

/* Count every table in expected_counts.csv (expected rows times scale).
 * *rows is an array of lh_pipeline_expected_count(p) rows, freed with
 * lh_free; *all_ok says whether every count matched.  Returns an error
 * only when verification itself cannot run. */
lh_rc lh_pipeline_verify(lh_pipeline *p, lh_engine *e, int64_t scale, lh_verify_row **rows, int *all_ok,
                         lh_err *err) LH_MUST_CHECK;

#endif
