/* sql/ctas_int.h — the pieces of a CREATE TABLE AS run that its two row
 * sources share: the output writer (part objects under the run's prefix,
 * JSON lines or one Parquet object per writer) and the output columns.
 *
 * ctas.c runs the job (lock, catalog, run record, commit); ctas_vec.c
 * feeds it from our engine, one writer per worker of a parallel plan.
 *
 * Ownership: an lh_ctas_out owns its prefix, its open writer and the URIs
 * of the objects it finished (lh_ctas_out_free); lh_ctas_discard deletes
 * those objects (best effort) and aborts the open writer.  Errors are
 * lh_rc + lh_err; after an error the output may only be discarded.  One
 * thread uses an output at a time; its store handle is that thread's.
 */
#ifndef LH_SQL_CTAS_INT_H
#define LH_SQL_CTAS_INT_H

#include "formats/parquet.h"
#include "sql/engine_int.h"
#include "util/mem.h"

#define LH_CTAS_PART_BASE 10000 /* worker w numbers its part objects from w * this */

typedef struct lh_ctas_out {
    lh_engine *e;
    lh_store *store; /* where parts go: e->store, or a worker's clone */
    char *prefix;
    lh_store_writer *w;
    char *cur_uri;
    int64_t cur_rows;
    lh_data_file *files;
    size_t nfiles, afiles;
    lh_buf buf;
    /* Parquet output: one object, row groups bounded by size inside it */
    int parquet;
    lh_pq_codec codec;
    lh_pq_writer *pw;
    lh_type *pq_types; /* final column types (after inference) */
    size_t part_base;  /* part objects are numbered from here (w * 10000 for worker w of a parallel run) */
} lh_ctas_out;

lh_rc lh_ctas_add_file(lh_ctas_out *o, char *uri, uint64_t size, int64_t rows, lh_err *err) LH_MUST_CHECK;
/* n rows of a column batch (formats/colvals.h; rows sel[0..n) or 0..n-1)
 * to the output: Parquet (opens its object on the first batch) or JSON
 * lines (a new part object past 128 MiB, on the same row as one row at a
 * time would).  types: the Hive types of the columns. */
lh_rc lh_ctas_batch(lh_ctas_out *o, const char *const *names, const lh_type *types, const lh_colvals *cols,
                    const uint16_t *sel, uint32_t n, size_t ncols, lh_err *err) LH_MUST_CHECK;
/* Finish the open object: Parquet (its final column types, inferred ones
 * resolved, go to o->pq_types) or JSON lines. */
lh_rc lh_ctas_pq_finish(lh_ctas_out *o, size_t ncols, lh_err *err) LH_MUST_CHECK;
lh_rc lh_ctas_close_part(lh_ctas_out *o, lh_err *err) LH_MUST_CHECK;
void lh_ctas_discard(lh_ctas_out *o);
void lh_ctas_out_free(lh_ctas_out *o);

/* Athena names a result column that is not a plain name _colN; plain
 * names are lower-cased.  NULL when out of memory. */
char *lh_ctas_column_name(const char *name, int i);

typedef struct lh_ctas_cols {
    size_t n;
    char **names;   /* Athena's names, checked */
    lh_type *types; /* the Hive types of the table's columns */
} lh_ctas_cols;

/* Allocate for n columns; refuses 0 and more than LH_MAX_COLUMNS. */
lh_rc lh_ctas_cols_init(lh_ctas_cols *c, size_t n, const char *filename, const lh_stmt *st, lh_err *err) LH_MUST_CHECK;
/* Column i's name from the query's (Athena's naming, then checked: a
 * valid column name, not a repeat of an earlier one). */
lh_rc lh_ctas_cols_name(lh_ctas_cols *c, size_t i, const char *name, const char *filename, const lh_stmt *st,
                        lh_err *err) LH_MUST_CHECK;
void lh_ctas_cols_free(lh_ctas_cols *c);

/* ctas_vec.c: run the job's query on our engine into o, and finish every
 * output (a parallel plan's other workers write their own parts, which
 * join o's).  On success cols holds the output names and Hive types and
 * *rows the rows written.  WITH NO DATA: cols only, nothing run or
 * finished.  Errors name filename:line:col of the query; nothing of a
 * failed run's other workers is left behind (o's own objects are the
 * caller's to discard). */
lh_rc lh_ctas_vec_run(lh_engine *e, const lh_stmt *st, const char *filename, lh_ctas_out *o, lh_ctas_cols *cols,
                      uint64_t *rows, lh_err *err) LH_MUST_CHECK;

#endif
