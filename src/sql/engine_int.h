/* sql/engine_int.h — the engine's internals, shared by the files of
 * sql/ only (engine.c, query*.c, ctas*.c, show.c).  Not part of the
 * library's interface. */
#ifndef LH_SQL_ENGINE_INT_H
#define LH_SQL_ENGINE_INT_H

#define LH_QUARANTINE_CAP ((size_t)256 << 20) /* bytes of quarantined text per statement */

#include <stdarg.h>
#include <stdatomic.h>

#include "sql/ddl.h"
#include "sql/engine.h"

typedef struct lh_pin {
    lh_table_def def;
    int listed;        /* objs came from a listing (external table) */
    lh_obj_info *objs; /* listing, for external tables */
    size_t nobjs;
    char **uris; /* borrowed pointers into def.files or objs, or owned when restricted */
    size_t nuris;
    uint64_t *sizes; /* per uri, from lh_engine_pin_table (NULL until asked) */
} lh_pin;

struct lh_engine {
    lh_store *store;
    lh_catalog *cat;
    char *job;
    int stats_notice;
    lh_pin *pins;
    size_t npins, apins;
    uint64_t rows_read, malformed, pages_read, bytes_read, rg_skipped, spill_bytes;
    char first_malformed[512];
    lh_buf quarantine;      /* this statement's quarantined lines, as JSON lines */
    uint64_t nquarantined;
    uint64_t *qseen; /* open-addressing set of hash(uri, line): a line scanned twice is quarantined once */
    size_t qseen_cap;
    atomic_int interrupt; /* set by lh_engine_interrupt (signal handler, other thread) */
    size_t mem_limit;     /* per statement; 0: lh_query_mem_limit's default */
    char *tmp_dir;        /* spill files go here; NULL: no spilling */
    char *db;             /* USE db: the database of unqualified names; NULL = "default" */
};

/* The statement's pin of db.name (definition read from the catalog once). */
lh_rc lh_engine_pin_def(lh_engine *e, const char *db, const char *name, lh_pin **out, lh_err *err) LH_MUST_CHECK;
/* rc, or LH_ECANCELLED ("cancelled") when the engine was interrupted and
 * the statement did not complete (rc != LH_OK). */
lh_rc lh_engine_cancelled(lh_engine *e, lh_rc rc, lh_err *err);

/* The definition and files of db.name pinned for this statement, with the
 * files' sizes (all borrowed until the statement ends). */
lh_rc lh_engine_pin_table(lh_engine *e, const char *db, const char *name, const lh_table_def **def,
                          const char *const **uris, const uint64_t **sizes, size_t *n, lh_err *err) LH_MUST_CHECK;
double lh_now_ms(void);
lh_rc lh_engine_begin_statement(lh_engine *e, lh_err *err) LH_MUST_CHECK;
/* Back to no rows read and nothing quarantined (the statement's pins stay):
 * a job that starts over on the other path. */
void lh_engine_reset_figures(lh_engine *e);
void lh_engine_notice(const lh_sink *sink, const char *fmt, ...) LH_PRINTF(2, 3);

/* A skipped JSON line of db.table to this statement's quarantine (once per file and line). */
lh_rc lh_engine_quarantine(lh_engine *e, const char *db, const char *table, const char *uri, uint64_t line,
                           const char *reason, const char *raw, size_t n, lh_err *err) LH_MUST_CHECK;

/* query.c: a query (SELECT, WITH, VALUES, EXPLAIN [ANALYZE]) on our
 * engine, its rows to the sink.  Errors name filename:line:col. */
lh_rc lh_query_run(lh_engine *e, const lh_stmt *st, const char *filename, const lh_sink *sink, lh_stmt_stats *stats,
                   lh_err *err) LH_MUST_CHECK;

/* ctas.c */
lh_rc lh_engine_ctas(lh_engine *e, const lh_stmt *st, const char *filename, const lh_sink *sink,
                     lh_stmt_stats *stats, lh_err *err) LH_MUST_CHECK;
/* show.c: every statement that is neither a query nor CTAS */
lh_rc lh_engine_ddl(lh_engine *e, const lh_stmt *st, const char *filename, const lh_sink *sink,
                    lh_stmt_stats *stats, lh_err *err) LH_MUST_CHECK;

#endif
