/* exec/expr_int.h — the inside of an lh_xexpr, shared by expr.c
 * (construction, prepare, format) and expr_eval.c (evaluation).  Private
 * to those two files.
 *
 * Ownership: a node owns its args (and their subtrees), its constant
 * vector and the bytes of a constant string (carena), its arg_types, and
 * after prepare its evaluation state: the result vector `out`, selection
 * scratch, the compiled LIKE pattern and cache, the IN hash set and the
 * function call state.  The string arena is owned by the node prepare was
 * called on (the root, own_arena = 1); every node of the tree points at it.
 */
#ifndef LH_EXEC_EXPR_INT_H
#define LH_EXEC_EXPR_INT_H

#include <string.h>

#include "exec/expr.h"

#define LH_X_ARENA_CAP ((size_t)256 << 20) /* string bytes one evaluation may produce */
#define LH_X_INSET_MIN 8                   /* constant IN items from which a hash set is built */

typedef struct lh_xinset {
    lh_vector *vals;   /* the non-NULL items, FLAT */
    uint32_t nvals;
    uint32_t *slots;   /* open addressing: index + 1, 0 = empty */
    uint32_t mask;
    int has_null;      /* a NULL item: no match -> NULL */
    uint64_t *hashes;  /* LH_BATCH scratch for the probe side */
} lh_xinset;

struct lh_xexpr {
    lh_xkind kind;
    lh_sqltype type;
    unsigned flags;
    int op;         /* lh_arith_op / lh_cmp_op */
    uint32_t col;   /* LH_X_COL */
    lh_xexpr **args;
    size_t nargs;
    /* LH_X_CONST */
    lh_vector *cval; /* CONST, cap 1 */
    lh_arena carena; /* its string bytes */
    /* LH_X_CALL */
    const lh_scalar_impl *impl;
    lh_sqltype *arg_types;
    /* ---- evaluation state (prepare) ---- */
    int prepared;
    int own_arena;
    lh_arena arena_store; /* the root's */
    lh_arena *arena;      /* the root's arena_store */
    const lh_xenv *env;
    lh_vector *out;
    uint16_t *sel[3];     /* LH_BATCH entries each, for the lazy forms */
    /* LIKE */
    lh_like *like;        /* the constant pattern's, or the cached last one */
    int like_const;       /* pattern (and escape) constant: like compiled at prepare, or NULL pattern */
    int like_null;        /* constant NULL pattern or escape: every row NULL */
    char *last_pat;       /* cache key: pattern bytes, then escape bytes */
    size_t last_pat_n, last_esc_n, last_cap;
    int last_has_esc;
    /* IN */
    lh_xinset *inset;
    /* CALL */
    lh_fn_call call;
    int call_inited;
    lh_vector **argv;
};

/* Equality of two non-NULL values of one physical layout (IN's semantics:
 * IEEE for floating point, instants for timestamp with time zone). */
static inline int lh_x_value_eq(const lh_vector *a, uint32_t ia, const lh_vector *b, uint32_t ib)
{
    const char *pa = (const char *)a->data, *pb = (const char *)b->data;
    switch (a->phys) {
    case LH_P_U8:
    case LH_P_I8:
        return ((const int8_t *)pa)[ia] == ((const int8_t *)pb)[ib];
    case LH_P_I16:
        return ((const int16_t *)pa)[ia] == ((const int16_t *)pb)[ib];
    case LH_P_I32:
        return ((const int32_t *)pa)[ia] == ((const int32_t *)pb)[ib];
    case LH_P_I64:
        return ((const int64_t *)pa)[ia] == ((const int64_t *)pb)[ib];
    case LH_P_I128:
        return ((const lh_i128 *)pa)[ia] == ((const lh_i128 *)pb)[ib];
    case LH_P_F32:
        return ((const float *)pa)[ia] == ((const float *)pb)[ib];
    case LH_P_F64:
        return ((const double *)pa)[ia] == ((const double *)pb)[ib];
    case LH_P_STR:
        return lh_str_eq((const lh_str *)pa + ia, (const lh_str *)pb + ib);
    case LH_P_TSTZ:
        return ((const lh_tstz *)pa)[ia].utc_us == ((const lh_tstz *)pb)[ib].utc_us;
    default:
        return 0;
    }
}

/* Evaluate e over rows of in (no arena reset; see lh_xexpr_eval). */
lh_rc lh_x_eval_node(lh_xexpr *e, lh_batch *in, lh_rows rows, lh_vector **out, lh_err *err);

#endif
