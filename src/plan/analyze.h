/* plan/analyze.h — the analyzer: a parsed query (sql/ast.h) plus a schema
 * → a bound, typed query tree.
 *
 * What it does, before any data is read: resolves every table through a
 * schema provider and every column reference to (relation, column index),
 * with Trino's scoping (FROM relations, aliases with column aliases,
 * joins with ON/USING, subqueries, WITH queries shadowing tables, outer
 * scopes for correlated subqueries); gives every expression its final
 * lh_sqltype (literals as Trino types them, functions through
 * plan/functions.h, operators through plan/coerce.h) and makes each
 * implicit coercion an explicit cast node; checks aggregation (GROUP BY,
 * HAVING, nested aggregates), WHERE/ON/HAVING are boolean, set operation
 * and VALUES rows unify, ORDER BY/LIMIT/OFFSET/FETCH; names the output
 * columns as Athena does (a plain column keeps its name, anything else
 * unnamed is _colN by position).
 *
 * Errors name "file:line:col: " of the offending node and read like
 * Trino's (LH_ENOTFOUND for unknown tables/columns/functions, LH_EDATA for
 * type errors, LH_EINVAL for semantic errors, LH_EUNSUPPORTED for what we
 * refuse for now, LH_ENOMEM).  Nothing here reads data, executes, or
 * touches SQLite; the catalog only through the schema provider.
 *
 * Ownership.  lh_bound is opaque; it owns an arena holding the whole tree
 * and its strings (and everything the provider put in the arena).  It
 * does not point into the AST, so the AST may be freed after analysis.
 * lh_bound_free releases it all.
 */
#ifndef LH_PLAN_ANALYZE_H
#define LH_PLAN_ANALYZE_H

#include <stddef.h>

#include "catalog/catalog.h"
#include "exec/sqltype.h"
#include "sql/ast.h"
#include "util/err.h"
#include "util/mem.h"

/* One column a schema provider reports.  hidden: reachable by name but
 * not expanded by * ("$path").  refused: NULL, or why the column's type
 * cannot be used yet (a nested Hive type); referencing it is an error. */
typedef struct lh_schema_col {
    const char *name;
    lh_sqltype type;
    int hidden;
    const char *refused;
} lh_schema_col;

typedef struct lh_schema_table {
    const char *db, *name;
    lh_schema_col *cols;
    size_t n_cols;
} lh_schema_table;

/* The schema provider.  lookup: set *found and fill *out (allocating from
 * arena, which the analyzer owns) for catalog.db.table (catalog may be
 * NULL; db is never NULL: the analyzer applies default_db).  list_tables
 * (may be NULL): the table names of db, for did-you-mean. */
typedef struct lh_schema {
    void *ctx;
    const char *default_db;
    lh_rc (*lookup)(void *ctx, const char *catalog, const char *db, const char *table, lh_arena *arena,
                    lh_schema_table *out, int *found, lh_err *err);
    lh_rc (*list_tables)(void *ctx, const char *db, lh_arena *arena, const char ***names, size_t *n,
                         lh_err *err);
} lh_schema;

/* A provider over the catalog: Hive column types mapped with
 * lh_sqltype_from_hive, plus the hidden column "$path" varchar.  The
 * catalog must outlive the analysis. */
lh_schema lh_schema_from_catalog(lh_catalog *cat, const char *default_db);

typedef struct lh_bound lh_bound;

/* Analyze the query at the AST's root (a QUERY, or EXPLAIN of one).  file
 * names the text in messages (NULL: "<sql>").  *out is NULL on failure. */
lh_rc lh_analyze(const lh_ast *ast, const lh_schema *schema, const char *file, lh_bound **out,
                 lh_err *err) LH_MUST_CHECK;
void lh_bound_free(lh_bound *b); /* NULL allowed */

/* The output columns. */
size_t lh_bound_ncols(const lh_bound *b);
const char *lh_bound_col_name(const lh_bound *b, size_t i);
lh_sqltype lh_bound_col_type(const lh_bound *b, size_t i);

/* The typed tree as canonical text, e.g.
 *   (query (select (items (col #0.1 email varchar)) (from (table #0 stedi.customer_landing))))
 * Appended to out.  LH_ENOMEM / LH_ELIMIT from the buffer. */
lh_rc lh_bound_dump(const lh_bound *b, lh_buf *out, lh_err *err) LH_MUST_CHECK;

#endif
