/* exec/scan.h — the table scan operator: a catalog table's objects, read
 * through the format readers (formats/), into batches.
 *
 * The scan reads exactly the objects it is given (the snapshot the engine
 * pinned for the statement, or the listing of an external table's
 * LOCATION) and produces the requested columns in the requested order,
 * each converted to its SQL type (exec/sqltype.h) from the declared Hive
 * type, with the SerDe's semantics (formats/jsonl.h, formats/parquet.h):
 * a value that does not convert fails the query with file:line (JSON) or
 * the file and column (Parquet), as the readers word it; a malformed JSON
 * line under 'ignore.malformed.json' is handed to the quarantine callback
 * and counted (ctx->malformed), never silently dropped.
 *
 * Only the requested columns are decoded (projection pushdown).
 * Constraints are hints: Parquet row groups whose statistics prove no row
 * can match are skipped (ctx->row_groups_skipped); rows are not filtered
 * (a filter above rechecks).  "$path" (is_path) is the object's URI.
 *
 * Ownership: the spec and everything it points to is copied by lh_op_scan
 * except store and def, which must outlive the operator.  Counters go to
 * the context: rows_read, pages_read, bytes_read, row_groups_skipped,
 * malformed.
 */
#ifndef LH_EXEC_SCAN_H
#define LH_EXEC_SCAN_H

#include "catalog/catalog.h"
#include "exec/operator.h"
#include "formats/parquet.h"
#include "store/store.h"
#include "util/types.h"

typedef struct lh_scan_col {
    const char *name; /* the table's column name (matched as the readers match) */
    int is_path;      /* "$path" */
    lh_type hive;     /* the declared Hive type (what the reader converts to) */
    lh_sqltype type;  /* the output type (lh_sqltype_from_hive of hive; varchar for "$path") */
} lh_scan_col;

typedef struct lh_scan_constraint {
    uint32_t col;       /* index into the spec's cols */
    lh_pq_op op;
    const lh_value *vals;
    size_t nvals;
} lh_scan_constraint;

/* A skipped JSON line (see lh_jsonl_malformed_fn); non-zero return stops the scan. */
typedef lh_rc (*lh_scan_quarantine_fn)(void *ctx, const char *uri, uint64_t line, const char *reason,
                                       const char *raw, size_t n, lh_err *err);

typedef struct lh_scan_spec {
    lh_store *store;
    const lh_table_def *def; /* format, SerDe properties */
    const char *const *uris;
    size_t nuris;
    const lh_scan_col *cols;
    uint32_t ncols;           /* may be 0 (count(*)): batches of rows with no columns */
    const lh_scan_constraint *cons;
    size_t ncons;
    lh_scan_quarantine_fn quarantine; /* may be NULL */
    void *qctx;
    int uncounted; /* add nothing to the context's counters: a copy of a
                    * table every share of a parallel plan reads whole
                    * (a join's build side), counted once by share 0 */
} lh_scan_spec;

lh_rc lh_op_scan(lh_exec_ctx *ctx, const lh_scan_spec *spec, lh_op **out, lh_err *err) LH_MUST_CHECK;
/* 1 if op is a table scan (made by lh_op_scan). */
int lh_op_is_scan(const lh_op *op);
/* Before its first pull: scan only those of its objects that are among
 * uris[0..n) (a parallel plan's share of a table). */
lh_rc lh_op_scan_keep(lh_op *op, const char *const *uris, size_t n, lh_err *err) LH_MUST_CHECK;

/* ---- printing values as Athena prints them (console and CSV results) ---- */
/* Row `row` of v as text into out (appended): NULL -> *is_null = 1 and
 * nothing appended.  boolean true/false; integers; decimals with their
 * scale ("1.50"); double/real as Trino's client prints them (Java's
 * Double.toString / Float.toString: "0.5", "1.0E10", "NaN", "Infinity");
 * date "2022-06-18"; timestamp(p) with p fraction digits
 * ("2022-06-18 14:00:00.000"); with time zone followed by " UTC" or the
 * zone id; time; intervals ("2 03:04:05.000", "1-2"); varchar as is;
 * varbinary as hex pairs separated by spaces ("68 65 6c 6c 6f"). */
lh_rc lh_value_format(lh_vector *v, uint32_t row, lh_buf *out, int *is_null, lh_err *err) LH_MUST_CHECK;

#endif
