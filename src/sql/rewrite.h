/* sql/rewrite.h — token-level rewrites that make SQLite answer a query the
 * way Athena (Trino) would.
 *
 * NULL ordering: Trino sorts NULLs last in every ORDER BY term, ascending
 * or descending; SQLite sorts them first when ascending.  lh_sql_athenaize
 * appends " NULLS LAST" to each ORDER BY term that has no NULLS clause of
 * its own (ORDER BY in queries, subqueries and window definitions).
 *
 * Keywords as names: `default` is Athena's default database, but a
 * keyword to SQLite (`SELECT a FROM default.t` is a syntax error there),
 * so every bare word `default` in a query is quoted ("default").
 *
 * The result is a fresh string (lh_free it).  inserts[] (may be NULL)
 * receives the byte offsets in the ORIGINAL text where text was inserted,
 * so positions SQLite reports can be mapped back: lh_sql_map_offset.
 * A lexing error is not reported here: the text is returned unchanged and
 * the real parser reports it.
 */
#ifndef LH_SQL_REWRITE_H
#define LH_SQL_REWRITE_H

#include <stddef.h>

#include "util/err.h"

typedef struct lh_rewrite {
    char *text;
    size_t len;
    size_t *inserts; /* original offsets of insertions, ascending */
    size_t *insert_lens; /* bytes inserted at each point */
    size_t n_inserts;
} lh_rewrite;

lh_rc lh_sql_athenaize(const char *sql, size_t len, lh_rewrite *out, lh_err *err) LH_MUST_CHECK;
/* Offset in the rewritten text -> offset in the original. */
size_t lh_sql_map_offset(const lh_rewrite *rw, size_t off);
void lh_rewrite_free(lh_rewrite *rw);

#endif
