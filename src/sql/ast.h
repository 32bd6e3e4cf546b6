/* sql/ast.h — the abstract syntax tree of a Trino (Athena engine 3) query.
 *
 * The parser (sql/parse.h) builds it; the analyzer (src/plan/) reads it.
 * The AST is syntax only: names are not resolved, types are not decided,
 * nothing here knows the catalog.
 *
 * Shape.  One node struct for every kind; which fields a kind uses is
 * listed beside each kind below (kid[0..3] are child nodes, list[0..1] are
 * ordered child lists, unused ones are NULL / empty).  Every node carries
 * its source position (byte offset, 1-based line and column, columns count
 * bytes) in the text the parser was given; operators (binary, comparison,
 * AND/OR, IS, BETWEEN, IN, LIKE, AT TIME ZONE, subscript, dereference,
 * set operations) are positioned at the operator token, as Trino positions
 * them, joins at their join keyword (LEFT, JOIN, CROSS, NATURAL), every
 * other node at its first token.
 *
 * Names.  An identifier is an LH_AST_IDENT node: name is the lookup form
 * (unquoted identifiers folded to lower case, quoted ones as written, with
 * quotes removed and doubled quotes undone), orig the spelling as written
 * (without quotes), flags LH_AST_F_QUOTED when it was "quoted" or
 * `backquoted`.  Trino compares identifiers case-insensitively; the
 * analyzer decides what a quoted mixed-case name matches.  A dotted name
 * (catalog.schema.table, t.col, col.field) is an LH_AST_NAME holding its
 * parts as IDENT nodes in list[0]; what the parts mean is the analyzer's
 * call.
 *
 * Literals keep their text exactly: LH_AST_NUMBER with op = LH_LIT_INTEGER
 * ("42"; the analyzer picks integer/bigint), LH_LIT_DECIMAL ("1.5", ".5",
 * "1.") or LH_LIT_DOUBLE ("1e0"); strings as their decoded value.
 *
 * Ownership and lifetime.  Every node and string lives in the arena of
 * one lh_ast, freed at once by lh_ast_free; nodes are read-only to users
 * and never point into the source text, so the source may be freed after
 * parsing.  Height: no path from the root is longer than LH_AST_MAX_DEPTH
 * nodes (the parser enforces it), so recursive walks are bounded.
 */
#ifndef LH_SQL_AST_H
#define LH_SQL_AST_H

#include <stddef.h>

#include "util/err.h"
#include "util/mem.h"

#define LH_AST_MAX_DEPTH 10000

typedef struct lh_pos {
    size_t off; /* byte offset in the parsed text */
    int line, col;
} lh_pos;

typedef enum lh_ast_kind {
    /* ---- statements ---- */
    LH_AST_EXPLAIN = 1, /* kid0 query; flags ANALYZE, VERBOSE */
    LH_AST_QUERY,       /* kid0 WITH, kid1 body (SELECT/SETOP/VALUES/TABLE_QUERY, or a
                           parenthesised QUERY with its own clauses), list0 ORDER BY
                           items, kid2 OFFSET, kid3 LIMIT or FETCH.  Every subquery
                           (SUBQUERY, IN_QUERY, EXISTS, QUANTIFIED, CTE) holds a QUERY */
    LH_AST_WITH,        /* list0 CTEs; flags RECURSIVE */
    LH_AST_CTE,         /* kid0 name IDENT, list0 column IDENTs, kid1 QUERY */
    LH_AST_SELECT,      /* a query specification: flags DISTINCT|ALL; list0 items,
                           list1 FROM relations (comma-separated, in order),
                           kid0 WHERE, kid1 GROUP, kid2 HAVING, kid3 WINDOW */
    LH_AST_SETOP,       /* op LH_SET_*, flags ALL|DISTINCT (neither: DISTINCT by default)
                           and CORRESPONDING (list0: the BY column IDENTs, if any);
                           kid0 left, kid1 right: each a body (SELECT, SETOP, VALUES,
                           TABLE_QUERY) or a QUERY with its own ORDER BY/LIMIT */
    LH_AST_VALUES,      /* list0 rows: each an expression (ROW for (a, b)) */
    LH_AST_TABLE_QUERY, /* TABLE name: kid0 NAME */
    LH_AST_ITEM,        /* select item: kid0 expression, kid1 alias IDENT or NULL */
    LH_AST_ALL_COLUMNS, /* * (kid0 NULL) or t.* / a.b.* (kid0 NAME) */
    LH_AST_SORT,        /* kid0 expression; op LH_SORT_*; flags NULLS_FIRST|NULLS_LAST */
    LH_AST_LIMIT,       /* kid0 NUMBER, or no kid for LIMIT ALL */
    LH_AST_OFFSET,      /* kid0 NUMBER */
    LH_AST_FETCH,       /* kid0 NUMBER or NULL (FETCH FIRST ROW ONLY: 1); flags WITH_TIES */
    LH_AST_GROUP_BY,    /* flags ALL|DISTINCT; list0 elements (expressions, GROUPING_SETS,
                           ROLLUP, CUBE); an integer literal is an ordinal */
    LH_AST_GROUPING_SETS, /* list0 sets, each an LH_AST_EXPR_LIST */
    LH_AST_ROLLUP,      /* list0 expressions */
    LH_AST_CUBE,        /* list0 expressions */
    LH_AST_EXPR_LIST,   /* list0 expressions (a grouping set, possibly empty) */
    LH_AST_WINDOW_DEF,  /* WINDOW clause entry: kid0 name IDENT, kid1 WINDOW_SPEC */
    LH_AST_WINDOW_LIST, /* list0 WINDOW_DEFs */
    LH_AST_WINDOW_SPEC, /* kid0 existing window name IDENT or NULL, list0 PARTITION BY
                           expressions, list1 ORDER BY SORT items, kid1 FRAME or NULL */
    LH_AST_FRAME,       /* op LH_FRAME_ROWS|RANGE|GROUPS; kid0 start BOUND, kid1 end BOUND or NULL */
    LH_AST_BOUND,       /* op LH_BOUND_*; kid0 offset expression for *_PRECEDING/_FOLLOWING */

    /* ---- relations ---- */
    LH_AST_TABLE,       /* kid0 NAME (1 to 3 parts) */
    LH_AST_ALIASED,     /* kid0 relation, kid1 alias IDENT, list0 column alias IDENTs */
    LH_AST_SUBQUERY,    /* kid0 QUERY (in FROM, or a scalar subquery in an expression) */
    LH_AST_JOIN,        /* op LH_JOIN_*; flags NATURAL; kid0 left, kid1 right,
                           kid2 ON condition, list0 USING column IDENTs */

    /* ---- expressions ---- */
    LH_AST_IDENT,       /* name, orig; flags QUOTED */
    LH_AST_NAME,        /* list0 IDENT parts */
    LH_AST_COLUMN,      /* column reference: kid0 NAME (a, t.a, s.t.a, a.field...) */
    LH_AST_DEREF,       /* field access on a non-name: kid0 base expression, kid1 IDENT */
    LH_AST_SUBSCRIPT,   /* kid0 base, kid1 index */
    LH_AST_NUMBER,      /* text; op LH_LIT_INTEGER|DECIMAL|DOUBLE */
    LH_AST_STRING,      /* text (decoded value), len in ival; flags UNICODE for U&'..' */
    LH_AST_BINARY_LIT,  /* text: the hex digits as written, X'..' */
    LH_AST_BOOL,        /* ival 1 true, 0 false */
    LH_AST_NULL,
    LH_AST_TYPED_LIT,   /* type 'text': kid0 TYPE (name only, e.g. date, timestamp,
                           decimal, double precision), text the string value */
    LH_AST_INTERVAL,    /* INTERVAL [+|-] 'text' from [TO to]: text; ival -1 for '-' (else 1);
                           op from field, kid0 unused; ival2 to field or 0 (LH_IVF_*) */
    LH_AST_PARAM,       /* ? (parsed; the analyzer refuses it) */
    LH_AST_UNARY,       /* op '-' or '+'; kid0 operand */
    LH_AST_BINARY,      /* op LH_BIN_*; kid0 left, kid1 right (arithmetic, ||) */
    LH_AST_COMPARE,     /* op LH_CMP_*; kid0 left, kid1 right */
    LH_AST_AND,         /* list0 terms (2 or more): a AND b AND c is one node, as in Trino */
    LH_AST_OR,          /* list0 terms (2 or more), positioned at the first OR */
    LH_AST_NOT,         /* kid0 */
    LH_AST_IS_NULL,     /* kid0; flags NOT */
    LH_AST_DISTINCT_FROM, /* kid0, kid1; flags NOT (IS NOT DISTINCT FROM) */
    LH_AST_BETWEEN,     /* kid0 value, kid1 low, kid2 high; flags NOT */
    LH_AST_LIKE,        /* kid0 value, kid1 pattern, kid2 escape or NULL; flags NOT */
    LH_AST_IN_LIST,     /* kid0 value, list0 candidates; flags NOT */
    LH_AST_IN_QUERY,    /* kid0 value, kid1 QUERY; flags NOT */
    LH_AST_EXISTS,      /* kid0 QUERY */
    LH_AST_QUANTIFIED,  /* kid0 left, kid1 QUERY; op LH_CMP_*; ival LH_QUANT_ALL|ANY|SOME */
    LH_AST_CASE,        /* kid0 operand (simple CASE) or NULL, list0 WHENs, kid1 ELSE or NULL */
    LH_AST_WHEN,        /* kid0 condition (or value), kid1 result */
    LH_AST_CAST,        /* kid0 expression, kid1 TYPE; flags TRY (TRY_CAST) */
    LH_AST_TYPE,        /* name (folded: varchar, decimal, timestamp, array, map, row,
                           interval, "double precision"...); list0 parameters
                           (NUMBER, TYPE or FIELD); flags WITH_TIME_ZONE;
                           interval: op from field, ival2 to field; flags QUOTED
                           for a quoted generic name ("row"(x) is not ROW(...)) */
    LH_AST_FIELD,       /* row type field: kid0 IDENT or NULL, kid1 TYPE */
    LH_AST_CALL,        /* kid0 NAME, list0 arguments (one STAR for count(*)), list1
                           ORDER BY SORT items inside the call, kid1 FILTER condition,
                           kid2 WINDOW_SPEC (OVER (...)) or an IDENT (OVER w);
                           flags DISTINCT|ALL, IGNORE_NULLS|RESPECT_NULLS */
    LH_AST_STAR,        /* the * of count(*) */
    LH_AST_EXTRACT,     /* kid0 field IDENT, kid1 expression */
    LH_AST_AT_TIME_ZONE, /* kid0 value, kid1 zone (STRING or INTERVAL) */
    LH_AST_CURRENT,     /* CURRENT_DATE etc.: name (folded); kid0 precision NUMBER or NULL */
    LH_AST_ARRAY,       /* ARRAY[...]: list0 elements */
    LH_AST_ROW,         /* (a, b) or ROW(a, b): list0 fields */
    LH_AST_LAMBDA,      /* list0 parameter IDENTs, kid0 body (parsed; analyzer refuses) */
    LH_AST_GROUPING_OP, /* GROUPING(a, b): list0 NAME arguments */
    LH_AST_KIND_COUNT
} lh_ast_kind;

enum {
    LH_AST_F_QUOTED = 1u << 0,
    LH_AST_F_NOT = 1u << 1,
    LH_AST_F_DISTINCT = 1u << 2,
    LH_AST_F_ALL = 1u << 3,
    LH_AST_F_RECURSIVE = 1u << 4,
    LH_AST_F_NULLS_FIRST = 1u << 5,
    LH_AST_F_NULLS_LAST = 1u << 6,
    LH_AST_F_WITH_TIES = 1u << 7,
    LH_AST_F_NATURAL = 1u << 8,
    LH_AST_F_TRY = 1u << 9,
    LH_AST_F_WITH_TIME_ZONE = 1u << 10,
    LH_AST_F_ANALYZE = 1u << 11,
    LH_AST_F_VERBOSE = 1u << 12,
    LH_AST_F_IGNORE_NULLS = 1u << 13,
    LH_AST_F_RESPECT_NULLS = 1u << 14,
    LH_AST_F_UNICODE = 1u << 15,
    LH_AST_F_PARENS = 1u << 16, /* the expression was written in parentheses */
    LH_AST_F_AUTO = 1u << 17,   /* GROUP BY AUTO: the non-aggregate select items */
    LH_AST_F_CORRESPONDING = 1u << 18 /* set operation: columns matched by name (list0: BY columns) */
};

enum { LH_LIT_INTEGER = 1, LH_LIT_DECIMAL, LH_LIT_DOUBLE };
enum { LH_SET_UNION = 1, LH_SET_INTERSECT, LH_SET_EXCEPT };
enum { LH_SORT_DEFAULT = 0, LH_SORT_ASC, LH_SORT_DESC };
/* FROM a, b is not a JOIN node: the relations are siblings in SELECT's list1. */
enum { LH_JOIN_INNER = 1, LH_JOIN_LEFT, LH_JOIN_RIGHT, LH_JOIN_FULL, LH_JOIN_CROSS };
enum { LH_FRAME_ROWS = 1, LH_FRAME_RANGE, LH_FRAME_GROUPS };
enum { LH_BOUND_UNBOUNDED_PRECEDING = 1, LH_BOUND_PRECEDING, LH_BOUND_CURRENT_ROW,
       LH_BOUND_FOLLOWING, LH_BOUND_UNBOUNDED_FOLLOWING };
/* LH_BIN_*, not LH_OP_*: plan/coerce.h has lh_op with those names. */
enum { LH_BIN_ADD = 1, LH_BIN_SUB, LH_BIN_MUL, LH_BIN_DIV, LH_BIN_MOD, LH_BIN_CONCAT };
enum { LH_ACMP_EQ = 1, LH_ACMP_NE, LH_ACMP_LT, LH_ACMP_LE, LH_ACMP_GT, LH_ACMP_GE };
enum { LH_QUANT_ALL = 1, LH_QUANT_ANY, LH_QUANT_SOME };
enum { LH_IVF_YEAR = 1, LH_IVF_MONTH, LH_IVF_DAY, LH_IVF_HOUR, LH_IVF_MINUTE, LH_IVF_SECOND };

typedef struct lh_ast_node lh_ast_node;

typedef struct lh_ast_list {
    lh_ast_node **items;
    size_t n;
} lh_ast_list;

struct lh_ast_node {
    lh_ast_kind kind;
    lh_pos pos;
    int op;
    unsigned flags;
    long ival, ival2;
    const char *name; /* IDENT / TYPE / CURRENT: lookup form */
    const char *orig; /* IDENT: as written */
    const char *text; /* literals */
    lh_ast_node *kid[4];
    lh_ast_list list[2];
    int height; /* 1 + the height of the tallest child */
};

/* An opaque tree: the arena and the root. */
typedef struct lh_ast lh_ast;

/* A fresh, empty tree (the parser makes these). NULL on ENOMEM. */
lh_ast *lh_ast_new(void);
void lh_ast_free(lh_ast *ast); /* NULL is allowed */
const lh_ast_node *lh_ast_root(const lh_ast *ast);
void lh_ast_set_root(lh_ast *ast, lh_ast_node *root);

/* A zeroed node of the given kind and position from the tree's arena;
 * NULL on ENOMEM. */
lh_ast_node *lh_ast_node_new(lh_ast *ast, lh_ast_kind kind, lh_pos pos);
/* A copy of s[0..n) in the tree's arena; NULL on ENOMEM. */
char *lh_ast_strndup(lh_ast *ast, const char *s, size_t n);
/* Set list to a copy of items[0..n) in the arena; LH_ENOMEM. */
lh_rc lh_ast_list_set(lh_ast *ast, lh_ast_list *list, lh_ast_node *const *items, size_t n) LH_MUST_CHECK;
/* Recompute n->height from its children (they must have theirs). */
void lh_ast_fix_height(lh_ast_node *n);

/* The kind's name as the dump prints it (e.g. "select"); never NULL. */
const char *lh_ast_kind_name(lh_ast_kind kind);

enum { LH_AST_DUMP_POS = 1 }; /* also print @line:col after each node's tag */

/* Append the canonical S-expression of n to out, e.g.
 *   (select (items (col a) (call count (star))) (from (table stedi.t)))
 * Same tree, same text: the form is what tests compare and what EXPLAIN
 * prints for the syntax.  LH_ENOMEM / LH_ELIMIT from the buffer. */
lh_rc lh_ast_dump(const lh_ast_node *n, unsigned flags, lh_buf *out, lh_err *err) LH_MUST_CHECK;

/* Append SQL text for n (a statement, query, relation, expression or type)
 * that parses back to a tree with the same dump: keywords upper case,
 * compound operands in parentheses, aliases with AS.  For messages (the
 * analyzer quotes expressions, as Trino does) and the fuzz round trip.
 * LH_ENOMEM / LH_ELIMIT from the buffer; LH_EINTERNAL for a node that is
 * only part of a clause (a SORT item, a WINDOW_DEF, ...). */
lh_rc lh_ast_format(const lh_ast_node *n, lh_buf *out, lh_err *err) LH_MUST_CHECK;

#endif
