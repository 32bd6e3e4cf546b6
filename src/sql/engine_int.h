/* sql/engine_int.h — the engine's internals, shared by engine.c, ctas.c
 * and show.c only.  Not part of the library's interface. */
#ifndef LH_SQL_ENGINE_INT_H
#define LH_SQL_ENGINE_INT_H

#define LH_QUARANTINE_CAP ((size_t)256 << 20) /* bytes of quarantined text per statement */

#include <stdarg.h>
#include <stdatomic.h>
#include <sqlite3.h>

#include "sql/ddl.h"
#include "sql/engine.h"
#include "sql/rewrite.h"
#include "sql/vtab.h"

typedef struct lh_pin {
    lh_table_def def;
    int listed;        /* objs came from a listing (external table) */
    lh_obj_info *objs; /* listing, for external tables */
    size_t nobjs;
    char **uris; /* borrowed pointers into def.files or objs, or owned when restricted */
    size_t nuris;
    int restricted;  /* lh_engine_restrict replaced uris with owned copies */
    uint64_t *sizes; /* per uri, from lh_engine_pin_table (NULL until asked) */
} lh_pin;

typedef struct lh_mount {
    char *db, *name, *sig;
} lh_mount;

struct lh_engine {
    lh_store *store;
    lh_catalog *cat;
    sqlite3 *db;
    lh_vtab_host host;
    char *job;
    int stats_notice;
    lh_pin *pins;
    size_t npins, apins;
    lh_mount *mounts;
    size_t nmounts, amounts;
    char **attached;
    size_t nattached;
    int trusted; /* > 0 while the engine runs its own statements (mount.c) */
    char hint[320]; /* "did you mean ..." for the last failed prepare */
    int err_off;    /* where it failed when SQLite gives no offset, or -1 */
    /* called for each SQLITE_READ of a user statement (ctas.c's planner) */
    void (*auth_hook)(void *ctx, int op, const char *table, const char *col, const char *db, const char *inner);
    void *auth_ctx;
    uint64_t rows_read, malformed, pages_read, bytes_read, rg_skipped;
    char first_malformed[512];
    lh_buf quarantine;      /* this statement's quarantined lines, as JSON lines */
    uint64_t nquarantined;
    uint64_t *qseen; /* open-addressing set of hash(uri, line): a line scanned twice is quarantined once */
    size_t qseen_cap;
    atomic_int interrupt; /* set by lh_engine_interrupt (signal handler, other thread) */
};

/* mount.c: tables mounted on demand, the authorizer (see mount.c). */
/* Prepare user SQL, mounting each table it names.  LH_ESQL: SQLite
 * refused it (format with lh_engine_sql_error, which adds e->hint);
 * another code: a named table could not be mounted (err says which). */
lh_rc lh_engine_prepare(lh_engine *e, const char *sql, int len, sqlite3_stmt **q, const char **tail,
                        lh_err *err) LH_MUST_CHECK;
lh_rc lh_engine_mount(lh_engine *e, const char *db, const char *name, lh_err *err) LH_MUST_CHECK;
/* Drop mounts whose table is gone or changed; detach unused databases. */
lh_rc lh_mounts_refresh(lh_engine *e, lh_err *err) LH_MUST_CHECK;
void lh_mounts_free(lh_engine *e);
/* Run one engine-built statement (never user text), bypassing the authorizer. */
lh_rc lh_engine_exec1(lh_engine *e, const char *sql, lh_err *err) LH_MUST_CHECK;
/* Switch off FTS3 tokenizers, extension loading, trusted schema; defensive
 * mode on; install the read-only authorizer. */
lh_rc lh_engine_harden(lh_engine *e, lh_err *err) LH_MUST_CHECK;
char *lh_table_sig(const lh_table_def *d);
/* The statement's pin of db.name (definition read from the catalog once). */
lh_rc lh_engine_pin_def(lh_engine *e, const char *db, const char *name, lh_pin **out, lh_err *err) LH_MUST_CHECK;
/* rc, or LH_ECANCELLED ("cancelled") when the engine was interrupted and
 * the statement did not complete (rc != LH_OK). */
lh_rc lh_engine_cancelled(lh_engine *e, lh_rc rc, lh_err *err);

/* The definition and files of db.name pinned for this statement, with the
 * files' sizes (all borrowed until the statement ends). */
lh_rc lh_engine_pin_table(lh_engine *e, const char *db, const char *name, const lh_table_def **def,
                          const char *const **uris, const uint64_t **sizes, size_t *n, lh_err *err) LH_MUST_CHECK;
/* For the rest of this statement, db.name reads only these objects (a
 * partitioned CREATE TABLE AS: each worker engine gets its share). */
lh_rc lh_engine_restrict(lh_engine *e, const char *db, const char *name, const char *const *uris, size_t n,
                         lh_err *err) LH_MUST_CHECK;
/* Split n objects into two halves of about equal bytes: largest first,
 * each to the lighter half; side[i] = 0 or 1. */
void lh_split_halves(const uint64_t *sizes, size_t n, unsigned char *side);
double lh_now_ms(void);
lh_rc lh_engine_begin_statement(lh_engine *e, lh_err *err) LH_MUST_CHECK;
/* Back to no rows read and nothing quarantined (the statement's pins stay):
 * a job that starts over on the other path. */
void lh_engine_reset_figures(lh_engine *e);
/* An SQLite error as "file:line:col: message"; text is the statement or
 * CTAS query that was prepared (NULL if the error came while stepping), rw
 * the rewrite it went through (or NULL). */
lh_rc lh_engine_sql_error(lh_engine *e, const lh_stmt *st, const char *text, const lh_rewrite *rw,
                          const char *filename, lh_err *err);
void lh_stmt_position(const lh_stmt *st, size_t off, int *line, int *col);
const char *lh_result_type(sqlite3_stmt *q, int i, char *buf, size_t bufsz);
void lh_value_from_sqlite(sqlite3_stmt *q, int i, lh_value *v);
void lh_engine_notice(const lh_sink *sink, const char *fmt, ...) LH_PRINTF(2, 3);

/* A skipped JSON line of db.table to this statement's quarantine (once per file and line). */
lh_rc lh_engine_quarantine(lh_engine *e, const char *db, const char *table, const char *uri, uint64_t line,
                           const char *reason, const char *raw, size_t n, lh_err *err) LH_MUST_CHECK;

/* query.c: a query on the vectorized engine.  *handled = 0 (and LH_OK)
 * when it cannot run it yet and the statement should go to SQLite; why
 * (whysz bytes) then says what it could not run, for the message when
 * SQLite cannot either. */
lh_rc lh_query_run(lh_engine *e, const lh_stmt *st, const char *filename, const lh_sink *sink, lh_stmt_stats *stats,
                   int *handled, char *why, size_t whysz, lh_err *err) LH_MUST_CHECK;

/* ctas.c */
lh_rc lh_engine_ctas(lh_engine *e, const lh_stmt *st, const char *filename, const lh_sink *sink,
                     lh_stmt_stats *stats, lh_err *err) LH_MUST_CHECK;
/* show.c: every statement that is neither a query nor CTAS */
lh_rc lh_engine_ddl(lh_engine *e, const lh_stmt *st, const char *filename, const lh_sink *sink,
                    lh_stmt_stats *stats, lh_err *err) LH_MUST_CHECK;

#endif
