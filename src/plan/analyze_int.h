/* plan/analyze_int.h — the bound tree's layout, shared by the analyzer's
 * files and (later) the planner.  Everything lives in the lh_bound arena.
 *
 * Expressions (lh_bexpr): every node has its final type.  Column
 * references are (rel, col): rel the id of a FROM leaf (table, subquery,
 * VALUES in FROM), col its column index; depth > 0 marks a correlated
 * reference to an enclosing query depth levels out (and the query that
 * holds it has correlated set).  OUTREF refers to output column col of the
 * query itself (ORDER BY name/ordinal) or of a child query (set ops).
 * Implicit coercions are CAST nodes with flags BX_F_IMPLICIT. */
#ifndef LH_PLAN_ANALYZE_INT_H
#define LH_PLAN_ANALYZE_INT_H

#include "plan/analyze.h"
#include "plan/coerce.h"
#include "plan/functions.h"

typedef enum lh_bx_kind {
    BX_COL = 1, BX_OUTREF, BX_LIT, BX_CAST, BX_OP, BX_NEG, BX_AND, BX_OR, BX_NOT, BX_ISNULL, BX_BETWEEN,
    BX_LIKE, BX_INLIST, BX_CASE, BX_CALL, BX_SUBQ, BX_EXISTS, BX_INQ, BX_QUANT, BX_CURRENT, BX_EXTRACT,
    BX_ATZONE, BX_GROUPING
} lh_bx_kind;

enum {
    BX_F_NOT = 1u << 0,       /* IS NOT NULL, NOT BETWEEN, NOT LIKE, NOT IN */
    BX_F_TRY = 1u << 1,       /* TRY_CAST */
    BX_F_IMPLICIT = 1u << 2,  /* a cast the analyzer added */
    BX_F_DISTINCT = 1u << 3,  /* aggregate DISTINCT */
    BX_F_ELSE = 1u << 4,      /* CASE has an ELSE (the last argument) */
    BX_F_STAR = 1u << 5,      /* count(*) */
    BX_F_IGNORE_NULLS = 1u << 6
};

typedef struct lh_bexpr lh_bexpr;
typedef struct lh_bquery lh_bquery;

typedef struct lh_bsort {
    lh_bexpr *e;
    int desc, nulls_first; /* nulls_first: -1 default */
} lh_bsort;

typedef struct lh_bwindow {
    lh_bexpr **part;
    size_t npart;
    lh_bsort *order;
    size_t norder;
    int frame;          /* 0 none, LH_FRAME_* */
    int start, end;     /* LH_BOUND_* (end 0: none) */
    lh_bexpr *start_off, *end_off;
} lh_bwindow;

struct lh_bexpr {
    lh_bx_kind kind;
    lh_sqltype type;
    lh_pos pos;
    int op;         /* BX_OP / BX_QUANT: lh_binop; BX_QUANT ival in quant */
    int quant;      /* LH_QUANT_* */
    unsigned flags;
    const char *name; /* column / function / current / extract field */
    const char *text; /* BX_LIT: canonical value text */
    int rel, col, depth;
    lh_bexpr **args;
    size_t nargs;
    const lh_fn *fn;     /* BX_CALL */
    lh_bexpr *filter;    /* aggregate FILTER (WHERE ...) */
    lh_bwindow *window;  /* OVER (...) */
    lh_bsort *order;     /* ORDER BY inside an aggregate call */
    size_t norder;
    lh_bquery *sub;      /* BX_SUBQ / BX_EXISTS / BX_INQ / BX_QUANT */
    const lh_ast_node *ast; /* during analysis only (messages); not valid after */
};

typedef struct lh_bcol {
    const char *name;
    lh_sqltype type;
    int hidden;
} lh_bcol;

typedef enum { BR_TABLE = 1, BR_QUERY, BR_JOIN, BR_WORKTABLE } lh_br_kind;

typedef struct lh_brel lh_brel;
struct lh_brel {
    lh_br_kind kind;
    int id;                 /* leaves: the rel of BX_COL */
    const char *db, *name;  /* BR_TABLE */
    const char *alias;      /* or NULL */
    lh_bcol *cols;          /* leaves: columns (after column aliases) */
    size_t ncols;
    int join;               /* BR_JOIN: LH_JOIN_* */
    lh_bexpr *on;
    const char **using_;
    size_t nusing;
    lh_brel *left, *right;
    lh_bquery *sub;         /* BR_QUERY (subquery, CTE) */
    int rec_id;             /* BR_WORKTABLE: the recursive query (lh_bquery.rec_id) whose rows it reads */
};

typedef enum { BQ_SELECT = 1, BQ_SETOP, BQ_VALUES } lh_bq_kind;

struct lh_bquery {
    lh_bq_kind kind;
    lh_bcol *cols; /* output */
    size_t ncols;
    int correlated;
    /* BQ_SELECT */
    int distinct, grouped;
    lh_brel *from; /* NULL: no FROM (one row) */
    lh_bexpr *where, *having;
    lh_bexpr **items; /* ncols of them */
    lh_bexpr **groups;
    size_t ngroups;
    size_t **sets;    /* grouping sets: indexes into groups; NULL = one set of all */
    size_t *set_len;
    size_t nsets;
    /* BQ_SETOP */
    int setop, all;
    int recursive, rec_id; /* WITH RECURSIVE: UNION of left (the anchor) and right (the step,
                              which reads the rows of the round before through a BR_WORKTABLE
                              leaf of the same rec_id); rec_id > 0 */
    lh_bquery *left, *right;
    lh_bexpr **lcast, **rcast; /* per column: OUTREF of the side, cast to the unified type */
    /* BQ_VALUES */
    lh_bexpr ***rows;
    size_t nrows;
    /* all kinds */
    lh_bsort *order;
    size_t norder;
    long long limit, offset; /* -1: none */
    int with_ties;
};

struct lh_bound {
    lh_arena arena;
    lh_bquery *q;
    int explain;
};

lh_rc lh_bound_dump_query(const lh_bquery *q, lh_buf *out, lh_err *err);

#endif
