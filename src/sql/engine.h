/* sql/engine.h — runs SQL scripts against the lake: Athena DDL and SHOW
 * against the catalog, queries on our own engine (parsed, analyzed with
 * Trino's types, planned and executed in column vectors: sql/query.c and
 * plan/, exec/, functions/), CTAS jobs on the same engine.
 *
 * `SELECT ... FROM db.table` reads the table's committed snapshot (or an
 * external table's LOCATION listing); every table a statement reads is
 * pinned to one snapshot for the whole statement.
 *
 * CTAS (`CREATE TABLE db.t WITH (format=..., external_location=...) AS
 * SELECT ...`) is a job: it records a run, streams the query's rows into
 * new objects under a fresh prefix <external_location>/run-<id>-<stamp>/,
 * and commits a new snapshot in one catalog transaction.  A re-run
 * replaces the previous snapshot; a failed run leaves it untouched and
 * readers never see partial output.
 *
 * Ownership: the engine borrows the store and the catalog; both must
 * outlive it.  Results are pushed to a caller's lh_sink; values passed to
 * sink->row live until the callback returns.
 *
 * Errors: LH_EPARSE/LH_EUNSUPPORTED (script, with file:line:col),
 * Athena's errors from the analyzer and executor (with file:line:col of
 * the statement),
 * LH_ENOTFOUND (table/database), LH_EDATA (file:line of bad data), store
 * and catalog errors as they come.
 */
#ifndef LH_SQL_ENGINE_H
#define LH_SQL_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "store/store.h"
#include "util/err.h"
#include "util/types.h"

typedef struct lh_engine lh_engine;

/* Where results go.  Any callback may be NULL.  types[i] is the column's
 * Trino type name ("decimal(10,2)", "varchar"), or NULL when unknown. */
typedef struct lh_sink {
    void *ctx;
    lh_rc (*begin)(void *ctx, size_t ncols, const char *const *names, const char *const *types, lh_err *err);
    lh_rc (*row)(void *ctx, const lh_value *vals, lh_err *err);
    lh_rc (*end)(void *ctx, uint64_t rows, lh_err *err);
    /* One-line messages: "Created table ...", warnings about skipped lines. */
    void (*notice)(void *ctx, const char *msg);
} lh_sink;

/* What one statement did (filled for every statement; CTAS fills all). */
typedef struct lh_stmt_stats {
    int is_ctas;
    char target[256];    /* "db.table" for CTAS */
    int64_t run_id;      /* CTAS job run id */
    int64_t snapshot_id; /* CTAS snapshot committed */
    uint64_t rows_read;  /* rows produced by table scans */
    uint64_t rows_out;   /* rows returned or written */
    uint64_t malformed;  /* lines skipped under ignore.malformed.json */
    uint64_t pages_read; /* Parquet data pages read */
    uint64_t bytes_read; /* Parquet bytes read */
    uint64_t row_groups_skipped; /* Parquet row groups skipped on statistics */
    uint64_t spill_bytes; /* bytes sorts, aggregates and joins wrote to spill files */
    double ms;           /* wall time */
} lh_stmt_stats;

lh_rc lh_engine_open(lh_store *store, lh_catalog *cat, lh_engine **out, lh_err *err) LH_MUST_CHECK;
void lh_engine_close(lh_engine *e);

/* The database unqualified names resolve in ("default" until USE db). */
const char *lh_engine_database(const lh_engine *e);
/* USE db: LH_ENOTFOUND (with the near name) when it does not exist. */
lh_rc lh_engine_use(lh_engine *e, const char *db, lh_err *err) LH_MUST_CHECK;

/* Each statement's memory budget (0: the default, LH_MEMORY_LIMIT or 60%
 * of RAM) and the folder its sorts, aggregates and joins spill to when
 * they would pass it (NULL: no spilling, the budget is a hard limit);
 * copied. */
lh_rc lh_engine_set_memory(lh_engine *e, size_t limit, const char *tmp_dir, lh_err *err) LH_MUST_CHECK;

/* The job name recorded for CTAS runs (default "sql"); copied. */
lh_rc lh_engine_set_job(lh_engine *e, const char *job, lh_err *err) LH_MUST_CHECK;

/* Run every statement of a script in order; stop at the first error.
 * stats (may be NULL) receives the last statement's figures. */
lh_rc lh_engine_exec(lh_engine *e, const char *src, size_t len, const char *filename, const lh_sink *sink,
                     lh_stmt_stats *stats, lh_err *err) LH_MUST_CHECK;

/* SELECT COUNT(*) FROM db.table, for verification: reads what is stored
 * (Parquet footers, every JSON line; never a snapshot's recorded count). */
lh_rc lh_engine_count(lh_engine *e, const char *db, const char *table, int64_t *rows, lh_err *err) LH_MUST_CHECK;

/* When on, every query ends with a notice of what it scanned (rows, and
 * for Parquet pages, bytes and row groups skipped), like Athena's "Data
 * scanned". */
void lh_engine_set_stats(lh_engine *e, int on);

/* Interrupts.  lh_engine_interrupt makes the statement running now stop
 * (every operator checks the flag between batches, and so does every
 * worker of a parallel CREATE TABLE AS) and every later statement fail at once, with
 * LH_ECANCELLED, until lh_engine_clear_interrupt.  A cancelled CREATE
 * TABLE AS is cleaned up as a failed one (its objects deleted, the
 * previous snapshot kept, reader threads joined) and its run recorded
 * 'cancelled'.  lh_engine_interrupt is async-signal-safe and may be called
 * from any thread (an atomic store); e must stay open
 * meanwhile. */
void lh_engine_interrupt(lh_engine *e);
int lh_engine_interrupted(lh_engine *e);
void lh_engine_clear_interrupt(lh_engine *e);

lh_catalog *lh_engine_catalog(lh_engine *e);
lh_store *lh_engine_store(lh_engine *e);

#endif
