/* sql/vtab.h — the "lakehouse" SQLite virtual-table module: a catalog
 * table's files, streamed.
 *
 * CREATE VIRTUAL TABLE db.t USING lakehouse('db', 't') declares the
 * table's columns with their Hive types (plus a hidden "$path" column, as
 * Athena has) and reads its files through the format readers:
 *  - only the columns a query uses are decoded (colUsed);
 *  - an equality constraint (a join key or `col = ?`) is pushed down: the
 *    first probe streams and filters, later probes use a hash index of the
 *    projected columns built once per statement;
 *  - the files read are those of the snapshot pinned for the statement
 *    (managed tables) or listed under LOCATION (external tables).
 *
 * The module is owned by the engine (the client data below), which
 * outlives every virtual table of its connection.
 */
#ifndef LH_SQL_VTAB_H
#define LH_SQL_VTAB_H

#include <sqlite3.h>

#include "catalog/catalog.h"
#include "store/store.h"
#include "util/err.h"

typedef struct lh_engine lh_engine;

/* Per-statement services the engine gives the module. */
typedef struct lh_vtab_host {
    lh_engine *engine;
    lh_store *store;
    /* The definition and file list pinned for this statement; borrowed,
     * valid until the statement ends. */
    lh_rc (*pin)(lh_engine *e, const char *db, const char *name, const lh_table_def **def,
                 const char *const **uris, size_t *n_uris, uint64_t *bytes, lh_err *err);
    /* A line skipped under 'ignore.malformed.json': to the quarantine. */
    lh_rc (*quarantine)(lh_engine *e, const char *db, const char *table, const char *uri, uint64_t line,
                        const char *reason, const char *raw, size_t n, lh_err *err);
    /* Counters: rows read, malformed lines skipped, and for Parquet the
     * pages and bytes read and the row groups skipped on statistics. */
    void (*count)(lh_engine *e, uint64_t rows, uint64_t malformed, const char *first_malformed, uint64_t pages,
                  uint64_t bytes, uint64_t row_groups_skipped);
} lh_vtab_host;

lh_rc lh_vtab_register(sqlite3 *db, const lh_vtab_host *host, lh_err *err) LH_MUST_CHECK;

/* The declared SQLite type for a Hive type: the Hive name, plus " TEXT"
 * where SQLite's affinity rules would otherwise not give TEXT. */
const char *lh_vtab_decltype(const char *hive_type, char *buf, size_t bufsz);

#endif
