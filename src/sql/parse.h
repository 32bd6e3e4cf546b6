/* sql/parse.h — the Trino (Athena engine 3) query parser: text → AST.
 *
 * A hand-written recursive-descent parser (precedence climbing for
 * expressions) over sql/lexer.h.  There is no Debian-packaged parser for
 * Trino's dialect and ANTLR (Trino's generator) has no C target, so a
 * hand-written parser is the standard approach here, as in ClickHouse or
 * sqlparser-rs.  It follows Trino's SqlBase.g4: the same
 * precedence (OR < AND < NOT < predicate < || < + - < * / % < unary
 * < AT TIME ZONE < primary), one predicate per value expression (so
 * `a = b = c` is an error as in Trino), INTERSECT binding tighter than
 * UNION and EXCEPT, and Trino's reserved words (language/reserved.md),
 * which must be quoted to be identifiers.  See docs/sql-parser.md.
 *
 * It never resolves a name, decides a type, or touches the catalog.
 *
 * Errors (the tree is then NULL):
 *   LH_EPARSE  "FILE:L:C: mismatched input 'FROM'. Expecting: <expression>",
 *              lexer errors (unterminated literal, NUL byte), bad literals
 *              (X'a', U&'\zz'), an identifier starting with a digit;
 *   LH_EUNSUPPORTED  valid Trino syntax we refuse now (UNNEST, LATERAL,
 *              TABLESAMPLE, LISTAGG, JSON_* functions, MATCH_RECOGNIZE,
 *              EXPLAIN options), naming the construct and its position;
 *   LH_ELIMIT  more than 1,048,576 tokens; nesting deeper than
 *              LH_PARSE_MAX_NESTING (parentheses,
 *              subqueries, unary operators, nested types), or a tree
 *              taller than LH_AST_MAX_DEPTH (e.g. 10,000 chained '+';
 *              AND and OR chains are flat n-ary nodes, so any length is fine);
 *   LH_ENOMEM  an allocation failed (every one is checked).
 * The parser never aborts and its stack use is bounded by the limits.
 *
 * Positions are 1-based line and column (bytes) and byte offset in src;
 * lh_parse_query_at shifts them so that src[0] sits at (line, col) of an
 * enclosing script (a CTAS job's query), offsets stay relative to src.
 */
#ifndef LH_SQL_PARSE_H
#define LH_SQL_PARSE_H

#include <stddef.h>

#include "sql/ast.h"
#include "util/err.h"

#define LH_PARSE_MAX_NESTING 1000

/* Parse one statement: a query, or EXPLAIN [ANALYZE] [VERBOSE] query,
 * optionally followed by one ';'.  file names the text in messages (NULL:
 * "<sql>").  On success *out is a fresh tree the caller frees with
 * lh_ast_free; its root is an LH_AST_QUERY or LH_AST_EXPLAIN node.  On
 * failure *out is NULL and err says why and where. */
lh_rc lh_parse_query(const char *src, size_t len, const char *file, lh_ast **out, lh_err *err) LH_MUST_CHECK;
lh_rc lh_parse_query_at(const char *src, size_t len, const char *file, int line, int col, lh_ast **out,
                        lh_err *err) LH_MUST_CHECK;

/* 1 if word[0..n) is a Trino reserved keyword (case-insensitive). */
int lh_sql_is_reserved(const char *word, size_t n);

#endif
