/* exec/op_join.c — hash join and nested-loop join (operator.h).
 *
 * Build: the right child is read whole into an lh_rowstore (strings
 * copied), with the key hash of every row (exec/hash.h) and a chained hash
 * table: heads[hash & mask] -> first row, next[row] -> following row, in
 * ascending row order.  Rows with a NULL key are stored (outer joins emit
 * them) but never chained, so they never match.
 *
 * Probe: one left batch at a time.  Every live probe row with a non-NULL
 * key gets a cursor into its chain (nkeys = 0: every build row in turn).
 * A round takes one candidate per active probe row (at most LH_BATCH
 * pairs), compares the keys exactly, column by column with a loop per
 * physical type, writes the surviving pairs into the output batch and
 * filters them by the residual.  Rounds continue while the output batch
 * has room for a whole round, so a probe batch that produces many rows is
 * emitted over several calls; the probe batch is kept (not re-pulled)
 * until every row referring to it has been handed out.
 *
 * SEMI/ANTI run all rounds of a probe batch at once (a matched row leaves
 * its chain) and pass the probe batch up with a narrowed selection.
 *
 * Spilling (Grace hash join; exec/join_spill.h, docs/sql-executor.md
 * "HashJoin: spilling"): when the context has a tmp_dir and build_due
 * says the next build batch would pass the budget, the pass partitions
 * instead: stored and further build rows, then every probe row, go to 16
 * partitions by 4 hash bits per level.  Each waiting pair is then one more
 * pass of the same code over the two spills (pull_build / pull_probe), and
 * may partition again one level down, to LH_JSPILL_MAX_DEPTH.  NOT IN's
 * two global facts (build side not empty, some NULL build key) live in
 * `spilled` and `null_key_any`, never per partition.
 */
#include <string.h>

#include "exec/hash.h"
#include "exec/join_spill.h"
#include "exec/kernels.h"
#include "exec/operator.h"
#include "exec/rowstore.h"

#define NONE UINT32_MAX

typedef struct join_op {
    lh_op base;
    lh_join_kind kind;
    uint32_t nkeys, nl, nr;
    uint32_t *lkeys, *rkeys;
    lh_xexpr *residual;
    lh_xenv env;
    const char *who;
    /* build side */
    int built;
    lh_rowstore rs;
    uint64_t *bhash;
    uint32_t *next, *heads;
    uint64_t hmask;
    uint8_t *bmatched; /* RIGHT/FULL */
    size_t charged;    /* bhash, heads, next, bmatched */
    size_t bhash_cap;
    int build_null_key;
    /* probe side */
    int left_done;
    lh_batch *pb;
    uint32_t act_n, um_pos, rb_pos;
    lh_batch *out;   /* joined output (INNER/LEFT/RIGHT/FULL) */
    lh_batch *pairs; /* SEMI/ANTI with a residual: joined scratch */
    uint32_t out_sel_n;
    uint64_t hashes[LH_BATCH];
    uint32_t ptr[LH_BATCH];
    uint16_t act[LH_BATCH];
    uint8_t pmatched[LH_BATCH];
    uint8_t eq[LH_BATCH];
    uint16_t out_sel[LH_BATCH];
    uint16_t rsel[LH_BATCH];
    uint32_t cand_p[LH_BATCH], cand_b[LH_BATCH];
    /* spilling (join_spill.h; docs/sql-executor.md "HashJoin: spilling") */
    lh_jspill *js;       /* made at the first partitioning */
    lh_spill *bin, *pin; /* this pass's inputs when from_spill (NULL: empty) */
    lh_jread *prd;       /* reads pin back in full batches */
    int from_spill;      /* this pass reads a partition, not the children */
    int partitioned;     /* this pass sends its rows to partitions */
    int spilled;         /* some pass partitioned: the build side has rows */
    int null_key_any;    /* some build row of any partition has a NULL key (NOT IN) */
    uint32_t depth;      /* this pass's level */
} join_op;

static int is_semi(lh_join_kind k) { return k == LH_J_SEMI || k == LH_J_ANTI || k == LH_J_ANTI_NULL_AWARE; }

static const char *kind_name(lh_join_kind k)
{
    switch (k) {
    case LH_J_INNER:
        return "INNER";
    case LH_J_LEFT:
        return "LEFT";
    case LH_J_RIGHT:
        return "RIGHT";
    case LH_J_FULL:
        return "FULL";
    case LH_J_SEMI:
        return "SEMI";
    case LH_J_ANTI:
        return "ANTI";
    default:
        return "NULL-AWARE ANTI";
    }
}

static lh_rc charge(join_op *j, size_t n, lh_err *err)
{
    lh_rc rc = lh_exec_charge(j->base.ctx, j->who, (ptrdiff_t)n, err);
    if (!rc)
        j->charged += n;
    return rc;
}

/* ---- build ---- */

static lh_rc grow_hashes(join_op *j, lh_err *err)
{
    uint64_t *h;
    lh_rc rc;
    size_t ncap = j->rs.cap;
    if (ncap <= j->bhash_cap)
        return LH_OK;
    if ((rc = charge(j, (ncap - j->bhash_cap) * sizeof *h, err)))
        return rc;
    h = lh_realloc(j->bhash, ncap * sizeof *h);
    if (!h)
        return lh_errf(err, LH_ENOMEM, "out of memory growing %s's build hashes to %zu rows", j->who, ncap);
    j->bhash = h;
    j->bhash_cap = ncap;
    return LH_OK;
}

static int key_null_build(const join_op *j, uint32_t row)
{
    uint32_t k;
    for (k = 0; k < j->nkeys; k++)
        if (!lh_rowstore_valid(&j->rs, j->rkeys[k], row))
            return 1;
    return 0;
}

static inline int vec_valid(const lh_vector *v, uint32_t row)
{
    uint32_t r = v->kind == LH_VEC_CONST ? 0 : row;
    return !v->may_null || ((v->validity[r >> 6] >> (r & 63)) & 1);
}

/* ---- spilling: which input a pass reads ---- */

static lh_rc pull_build(join_op *j, lh_batch **b, lh_err *err)
{
    if (!j->from_spill)
        return lh_op_next(j->base.child[1], b, err);
    *b = NULL;
    return j->bin ? lh_spill_get(j->bin, b, err) : LH_OK;
}

static lh_rc pull_probe(join_op *j, lh_batch **b, lh_err *err)
{
    lh_rc rc;
    if (!j->from_spill)
        return lh_op_next(j->base.child[0], b, err);
    *b = NULL;
    if (!j->pin)
        return LH_OK;
    if (!j->prd && (rc = lh_jread_create(j->base.ctx, j->who, j->base.child[0]->types, j->nl, &j->prd, err)))
        return rc;
    return lh_jread_next(j->prd, j->pin, b, err);
}

static int can_spill(const join_op *j)
{
    const lh_exec_ctx *c = j->base.ctx;
    return j->nkeys && c && c->tmp_dir && c->mem_limit;
}

static size_t table_bytes(const join_op *j, uint64_t n)
{
    uint64_t size = 16;
    while (size < n * 2)
        size <<= 1;
    return (size_t)(size * 4 + n * 4 + ((j->kind == LH_J_RIGHT || j->kind == LH_J_FULL) ? n : 0));
}

/* Whether taking the live rows of b would pass the budget: the store's
 * next growth, the hashes, long strings, the table and match flags over
 * all rows so far, and, when the probe side comes from a spill, room for
 * its read buffer and scratch batch. */
static int build_due(join_op *j, lh_batch *b, lh_rows rows)
{
    const lh_rowstore *rs = &j->rs;
    uint64_t t = (uint64_t)rs->n + rows.n;
    size_t want = table_bytes(j, t), w = 0;
    uint32_t c, i;
    for (c = 0; c < rs->ncols; c++)
        w += rs->cols[c].width;
    if (t > rs->cap) {
        uint64_t ncap = rs->cap ? (uint64_t)rs->cap * 2 : 1024;
        if (ncap < t)
            ncap = t;
        want += (size_t)(ncap - rs->cap) * (w + 8) + (size_t)((ncap - rs->cap) / 64 + 2) * 8 * rs->ncols;
    }
    for (c = 0; c < rs->ncols; c++) {
        lh_vector *v = b->cols[c];
        const lh_str *d;
        if (rs->cols[c].phys != LH_P_STR)
            continue;
        lh_k_prepare(v, rows);
        d = v->data;
        want += 8;
        for (i = 0; i < rows.n; i++) {
            uint32_t r = v->kind == LH_VEC_CONST ? 0 : (rows.sel ? rows.sel[i] : i);
            uint32_t len = lh_str_len(&d[r]);
            if (len > LH_STR_INLINE)
                want += len;
        }
    }
    want += LH_JSPILL_SCRATCH(j->nr); /* room to move the rows out */
    if (j->from_spill) {
        /* the probe spill's scratch batch and read buffer, the reader's
         * batch, a margin; less the build spill's scratch batch, which is
         * freed before the table is made and the probe side read */
        size_t probe = 2 * LH_JSPILL_SCRATCH(j->nl) + LH_JSPILL_SCRATCH(j->nl) / 2 + j->base.ctx->mem_limit / 16;
        size_t held = j->bin ? LH_JSPILL_SCRATCH(j->nr) : 0;
        want += probe > held ? probe - held : 0;
    }
    return lh_exec_spill_due(j->base.ctx, want);
}

static void release(join_op *j)
{
    if (j->charged) {
        lh_rc rc = lh_exec_charge(j->base.ctx, j->who, -(ptrdiff_t)j->charged, NULL);
        (void)rc;
        j->charged = 0;
    }
}

static void note_null_keys(join_op *j, lh_batch *b)
{
    lh_rows rows = lh_batch_rows(b);
    uint32_t i, k;
    for (i = 0; i < rows.n && !j->null_key_any; i++)
        for (k = 0; k < j->nkeys; k++)
            if (!vec_valid(b->cols[j->rkeys[k]], rows.sel ? rows.sel[i] : i))
                j->null_key_any = 1;
}

/* Narrow b's selection to the rows whose keys (cols keys[]) are all
 * non-NULL: a row with a NULL key never matches, so a partition need not
 * keep it unless the join emits it unmatched. */
static void drop_null_keys(join_op *j, lh_batch *b, const uint32_t *keys)
{
    lh_rows rows = lh_batch_rows(b);
    uint32_t i, k, n = 0;
    int any = 0;
    for (k = 0; k < j->nkeys; k++) {
        if (b->cols[keys[k]]->kind == LH_VEC_DICT)
            lh_vector_flatten(b->cols[keys[k]], b->n);
        any |= b->cols[keys[k]]->may_null;
    }
    if (!any)
        return;
    for (i = 0; i < rows.n; i++) {
        uint32_t r = rows.sel ? rows.sel[i] : i;
        for (k = 0; k < j->nkeys; k++)
            if (!vec_valid(b->cols[keys[k]], r))
                break;
        if (k == j->nkeys)
            j->rsel[n++] = (uint16_t)r;
    }
    if (n < rows.n)
        lh_batch_select(b, j->rsel, n);
}

/* The build rows so far go to the partitions of a new round; the store
 * and hashes are freed. */
static lh_rc start_partitions(join_op *j, lh_err *err)
{
    lh_exec_ctx *ctx = j->base.ctx;
    uint32_t i;
    lh_rc rc;
    if (j->depth >= LH_JSPILL_MAX_DEPTH) {
        char lim[32];
        lh_spill_fmt_bytes(ctx->mem_limit, lim, sizeof lim);
        return lh_errf(err, LH_ENOMEM,
                       "%s: a build partition still passes the memory limit of %s after %u levels of "
                       "repartitioning (raise it with --memory-limit)",
                       j->who, lim, (unsigned)LH_JSPILL_MAX_DEPTH);
    }
    if (!j->js && (rc = lh_jspill_create(ctx, j->who, j->base.child[1]->types, j->nr, j->base.child[0]->types,
                                         j->nl, &j->js, err)))
        return rc;
    lh_jspill_begin(j->js, j->depth);
    if (j->kind == LH_J_ANTI_NULL_AWARE)
        for (i = 0; i < j->rs.n && !j->null_key_any; i++)
            j->null_key_any = key_null_build(j, i);
    if ((rc = lh_jspill_put_build_rows(j->js, &j->rs, j->bhash, j->rs.n, err)))
        return rc;
    lh_rowstore_free(&j->rs);
    memset(&j->rs, 0, sizeof j->rs);
    lh_free(j->bhash);
    j->bhash = NULL;
    j->bhash_cap = 0;
    release(j);
    j->partitioned = 1;
    j->spilled = 1;
    return LH_OK;
}

/* After a partitioned build: every probe row goes to its partition too. */
static lh_rc finish_partitions(join_op *j, lh_err *err)
{
    lh_vector *kv[64];
    uint32_t k;
    lh_rc rc;
    if (lh_jspill_one_hash(j->js) && j->depth > 0) {
        char lim[32];
        lh_spill_fmt_bytes(j->base.ctx->mem_limit, lim, sizeof lim);
        if (lh_jspill_round_rows(j->js) < LH_BATCH) /* the budget is all but taken by buffers */
            return lh_errf(err, LH_ENOMEM,
                           "%s: the memory limit of %s leaves no room to join a spilled partition "
                           "(raise it with --memory-limit)",
                           j->who, lim);
        return lh_errf(err, LH_ENOMEM,
                       "%s: %llu build rows share one join key, more than the memory limit of %s holds "
                       "(raise it with --memory-limit)",
                       j->who, (unsigned long long)lh_jspill_round_rows(j->js), lim);
    }
    lh_spill_free(j->bin); /* its read buffer is charged */
    j->bin = NULL;
    if (!(j->kind == LH_J_ANTI_NULL_AWARE && j->null_key_any))
        for (;;) {
            lh_batch *b;
            if ((rc = lh_exec_check(j->base.ctx, err)) || (rc = pull_probe(j, &b, err)))
                return rc;
            if (!b)
                break;
            if (j->kind != LH_J_LEFT && j->kind != LH_J_FULL && j->kind != LH_J_ANTI)
                drop_null_keys(j, b, j->lkeys); /* never emitted (NOT IN: the build side has rows) */
            if (!lh_batch_rows(b).n)
                continue;
            for (k = 0; k < j->nkeys; k++)
                kv[k] = b->cols[j->lkeys[k]];
            if ((rc = lh_hash_columns(kv, j->nkeys, lh_batch_rows(b), j->hashes, err)) ||
                (rc = lh_jspill_put_probe(j->js, b, j->hashes, err)))
                return rc;
        }
    lh_jread_reset(j->prd);
    lh_spill_free(j->pin);
    j->pin = NULL;
    if ((rc = lh_jspill_end(j->js, err)))
        return rc;
    j->built = 1;
    j->left_done = 1;
    return LH_OK;
}

static lh_rc build(join_op *j, lh_err *err)
{
    lh_vector *kv[64];
    uint64_t tmp[LH_BATCH];
    uint64_t size;
    uint32_t nb, i, k;
    int may_spill = can_spill(j);
    lh_rc rc;
    for (;;) {
        lh_batch *b;
        lh_rows rows;
        uint32_t base = j->rs.n;
        if ((rc = lh_exec_check(j->base.ctx, err)) || (rc = pull_build(j, &b, err)))
            return rc;
        if (!b)
            break;
        rows = lh_batch_rows(b);
        if (!rows.n)
            continue;
        if (j->nkeys) {
            for (k = 0; k < j->nkeys; k++)
                kv[k] = b->cols[j->rkeys[k]];
            if ((rc = lh_hash_columns(kv, j->nkeys, rows, tmp, err)))
                return rc;
        }
        if (may_spill && !j->partitioned && build_due(j, b, rows) && (rc = start_partitions(j, err)))
            return rc;
        if (j->partitioned) {
            if (j->kind == LH_J_ANTI_NULL_AWARE)
                note_null_keys(j, b);
            if (j->kind != LH_J_RIGHT && j->kind != LH_J_FULL)
                drop_null_keys(j, b, j->rkeys); /* never emitted */
            if (!lh_batch_rows(b).n)
                continue;
            if ((rc = lh_jspill_put_build(j->js, b, tmp, err)))
                return rc;
            continue;
        }
        if ((rc = lh_rowstore_append(&j->rs, b, rows, err)))
            return rc;
        if (j->nkeys) {
            if ((rc = grow_hashes(j, err)))
                return rc;
            for (k = 0; k < rows.n; k++)
                j->bhash[base + k] = tmp[rows.sel ? rows.sel[k] : k];
        }
    }
    if (j->partitioned)
        return finish_partitions(j, err);
    lh_spill_free(j->bin); /* its read buffer is charged */
    j->bin = NULL;
    nb = j->rs.n;
    if (j->nkeys && nb) {
        size = 16;
        while (size < (uint64_t)nb * 2)
            size <<= 1;
        if ((rc = charge(j, (size_t)size * sizeof(uint32_t) + (size_t)nb * sizeof(uint32_t), err)))
            return rc;
        j->heads = lh_malloc((size_t)size * sizeof(uint32_t));
        j->next = lh_malloc((size_t)nb * sizeof(uint32_t));
        if (!j->heads || !j->next)
            return lh_errf(err, LH_ENOMEM, "out of memory allocating %s's hash table of %u rows", j->who, nb);
        memset(j->heads, 0xff, (size_t)size * sizeof(uint32_t));
        j->hmask = size - 1;
        for (i = nb; i-- > 0;) {
            uint64_t slot;
            if (key_null_build(j, i)) {
                j->build_null_key = 1;
                j->next[i] = NONE;
                continue;
            }
            slot = j->bhash[i] & j->hmask;
            j->next[i] = j->heads[slot];
            j->heads[slot] = i;
        }
    }
    if ((j->kind == LH_J_RIGHT || j->kind == LH_J_FULL) && nb) {
        if ((rc = charge(j, nb, err)))
            return rc;
        j->bmatched = lh_calloc(nb, 1);
        if (!j->bmatched)
            return lh_errf(err, LH_ENOMEM, "out of memory allocating %s's match flags for %u rows", j->who, nb);
    }
    j->built = 1;
    /* nothing can come out: do not read the probe side at all */
    if (nb == 0 && (j->kind == LH_J_INNER || j->kind == LH_J_RIGHT || j->kind == LH_J_SEMI))
        j->left_done = 1;
    if (j->kind == LH_J_ANTI_NULL_AWARE && j->build_null_key)
        j->left_done = 1;
    return LH_OK;
}

/* ---- probe ---- */

static inline uint32_t chain_skip(const join_op *j, uint32_t b, uint64_t h)
{
    while (b != NONE && j->bhash[b] != h)
        b = j->next[b];
    return b;
}


static lh_rc probe_setup(join_op *j, lh_err *err)
{
    lh_batch *pb = j->pb;
    lh_rows rows = lh_batch_rows(pb);
    lh_vector *kv[64];
    uint32_t c, k, nb = j->rs.n;
    lh_rc rc;
    for (c = 0; c < pb->ncols; c++)
        if (pb->cols[c]->kind == LH_VEC_DICT)
            lh_vector_flatten(pb->cols[c], pb->n);
    memset(j->pmatched, 0, pb->n);
    j->act_n = 0;
    j->um_pos = 0;
    if (j->nkeys) {
        if (!nb)
            return LH_OK;
        for (k = 0; k < j->nkeys; k++)
            kv[k] = pb->cols[j->lkeys[k]];
        if ((rc = lh_hash_columns(kv, j->nkeys, rows, j->hashes, err)))
            return rc;
        for (c = 0; c < rows.n; c++) {
            uint32_t p = rows.sel ? rows.sel[c] : c, b;
            for (k = 0; k < j->nkeys; k++)
                if (!vec_valid(kv[k], p))
                    break;
            if (k < j->nkeys)
                continue; /* a NULL key matches nothing */
            b = chain_skip(j, j->heads[j->hashes[p] & j->hmask], j->hashes[p]);
            if (b != NONE) {
                j->ptr[p] = b;
                j->act[j->act_n++] = (uint16_t)p;
            }
        }
    } else if (nb) {
        for (c = 0; c < rows.n; c++) {
            uint32_t p = rows.sel ? rows.sel[c] : c;
            j->ptr[p] = 0;
            j->act[j->act_n++] = (uint16_t)p;
        }
    }
    return LH_OK;
}

#define EQ_LOOP(T, EXPR)                                                                                              \
    do {                                                                                                              \
        const T *a_ = (const T *)pv->data;                                                                            \
        const T *b_ = (const T *)col->data;                                                                           \
        for (uint32_t q_ = 0; q_ < n; q_++) {                                                                         \
            const T *x = &a_[j->cand_p[q_] & m];                                                                      \
            const T *y = &b_[j->cand_b[q_]];                                                                          \
            j->eq[q_] &= (uint8_t)(EXPR);                                                                             \
        }                                                                                                             \
    } while (0)

/* Keep the candidate pairs whose keys are equal (exactly, same type both
 * sides); returns how many remain, compacted to the front. */
static uint32_t key_filter(join_op *j, uint32_t n)
{
    uint32_t k, q, w = 0;
    memset(j->eq, 1, n);
    for (k = 0; k < j->nkeys; k++) {
        const lh_vector *pv = j->pb->cols[j->lkeys[k]];
        const lh_rscol *col = &j->rs.cols[j->rkeys[k]];
        uint32_t m = pv->kind == LH_VEC_CONST ? 0 : 0xffffffffu;
        switch (col->phys) {
        case LH_P_U8:
        case LH_P_I8:
            EQ_LOOP(uint8_t, *x == *y);
            break;
        case LH_P_I16:
            EQ_LOOP(int16_t, *x == *y);
            break;
        case LH_P_I32:
            EQ_LOOP(int32_t, *x == *y);
            break;
        case LH_P_I64:
            EQ_LOOP(int64_t, *x == *y);
            break;
        case LH_P_I128:
            EQ_LOOP(__int128, *x == *y);
            break;
        case LH_P_F32:
            EQ_LOOP(float, *x == *y); /* NaN never equal, -0.0 = 0.0 (Trino's = ) */
            break;
        case LH_P_F64:
            EQ_LOOP(double, *x == *y);
            break;
        case LH_P_TSTZ:
            EQ_LOOP(lh_tstz, x->utc_us == y->utc_us);
            break;
        case LH_P_STR:
            EQ_LOOP(lh_str, lh_str_eq(x, y));
            break;
        default: /* unknown: only NULLs, which never reach here */
            memset(j->eq, 0, n);
            break;
        }
    }
    for (q = 0; q < n; q++)
        if (j->eq[q]) {
            j->cand_p[w] = j->cand_p[q];
            j->cand_b[w] = j->cand_b[q];
            w++;
        }
    return w;
}

/* One candidate per active probe row; returns the key-matching pairs in
 * cand_p/cand_b.  Advances every cursor and drops exhausted rows. */
static uint32_t round_pairs(join_op *j)
{
    uint32_t a, n = 0, nb = j->rs.n;
    for (a = 0; a < j->act_n; a++) {
        uint32_t p = j->act[a], b = j->ptr[p];
        j->cand_p[n] = p;
        j->cand_b[n] = b;
        n++;
        if (j->nkeys)
            j->ptr[p] = chain_skip(j, j->next[b], j->hashes[p]);
        else
            j->ptr[p] = b + 1 < nb ? b + 1 : NONE;
    }
    return j->nkeys ? key_filter(j, n) : n;
}

/* After the matches of a round are known: drop exhausted rows (and, for
 * SEMI/ANTI, matched ones) from the active list. */
static void prune_active(join_op *j)
{
    uint32_t a, w = 0;
    int stop = is_semi(j->kind);
    for (a = 0; a < j->act_n; a++) {
        uint32_t p = j->act[a];
        if (j->ptr[p] != NONE && !(stop && j->pmatched[p]))
            j->act[w++] = (uint16_t)p;
    }
    j->act_n = w;
}

static inline int vec_true(const lh_vector *v, uint32_t row)
{
    const lh_vector *d = v;
    uint32_t r = row;
    if (v->kind == LH_VEC_CONST)
        r = 0;
    else if (v->kind == LH_VEC_DICT) {
        if (!lh_vector_is_valid(v, row))
            return 0;
        d = v->dict;
        r = v->dict_idx[row];
    }
    return lh_vector_is_valid(d, r) && ((const uint8_t *)d->data)[r] != 0;
}

/* Write pairs [0, n) into batch b at rows [base, base + n). */
static void write_pairs(join_op *j, lh_batch *b, uint32_t base, uint32_t n)
{
    uint32_t c;
    for (c = 0; c < j->nl; c++)
        lh_vec_gather(b->cols[c], base, j->pb->cols[c], j->cand_p, n);
    for (c = 0; c < j->nr; c++)
        lh_rowstore_gather(&j->rs, c, j->cand_b, n, b->cols[j->nl + c], base);
}

/* Residual over rows [base, base + n) of b: *res is the result vector. */
static lh_rc eval_residual(join_op *j, lh_batch *b, uint32_t base, uint32_t n, lh_vector **res, lh_err *err)
{
    lh_rows rows;
    uint32_t q;
    for (q = 0; q < n; q++)
        j->rsel[q] = (uint16_t)(base + q);
    rows.sel = j->rsel;
    rows.n = n;
    return lh_xexpr_eval_rows(j->residual, b, rows, res, err);
}

/* SEMI/ANTI: all rounds of the probe batch; returns the selection size. */
static lh_rc semi_batch(join_op *j, uint32_t *nsel, lh_err *err)
{
    lh_rows rows = lh_batch_rows(j->pb);
    uint32_t c, n = 0, q;
    lh_rc rc;
    while (j->act_n) {
        uint32_t m = round_pairs(j);
        if (m && j->residual) {
            lh_vector *res;
            lh_batch_reset(j->pairs);
            write_pairs(j, j->pairs, 0, m);
            j->pairs->n = m;
            if ((rc = eval_residual(j, j->pairs, 0, m, &res, err)))
                return rc;
            for (q = 0; q < m; q++)
                if (vec_true(res, q))
                    j->pmatched[j->cand_p[q]] = 1;
        } else {
            for (q = 0; q < m; q++)
                j->pmatched[j->cand_p[q]] = 1;
        }
        prune_active(j);
    }
    for (c = 0; c < rows.n; c++) {
        uint32_t p = rows.sel ? rows.sel[c] : c;
        int keep;
        if (j->kind == LH_J_SEMI)
            keep = j->pmatched[p];
        else if (j->kind == LH_J_ANTI)
            keep = !j->pmatched[p];
        else { /* NOT IN: a NULL probe key is unknown, so dropped, unless the build side is empty */
            keep = !j->pmatched[p];
            if (keep && (j->rs.n || j->spilled)) {
                uint32_t k;
                for (k = 0; k < j->nkeys; k++)
                    if (!vec_valid(j->pb->cols[j->lkeys[k]], p))
                        keep = 0;
            }
        }
        if (keep)
            j->out_sel[n++] = (uint16_t)p;
    }
    *nsel = n;
    return LH_OK;
}

static void add_live(join_op *j, uint32_t base, uint32_t n)
{
    uint32_t q;
    if (!j->residual)
        return;
    for (q = 0; q < n; q++)
        j->out_sel[j->out_sel_n++] = (uint16_t)(base + q);
}

static uint32_t out_live(const join_op *j) { return j->residual ? j->out_sel_n : j->out->n; }

static void out_reset(join_op *j)
{
    lh_batch_reset(j->out);
    j->out_sel_n = 0;
}

static void out_finish(join_op *j)
{
    if (j->residual && j->out_sel_n < j->out->n)
        lh_batch_select(j->out, j->out_sel, j->out_sel_n);
}

/* One round into the output batch (INNER/LEFT/RIGHT/FULL). */
static lh_rc out_round(join_op *j, lh_err *err)
{
    uint32_t m = round_pairs(j), base = j->out->n, q;
    int track_b = j->bmatched != NULL;
    lh_rc rc;
    if (m) {
        write_pairs(j, j->out, base, m);
        j->out->n += m;
        if (j->residual) {
            lh_vector *res;
            if ((rc = eval_residual(j, j->out, base, m, &res, err)))
                return rc;
            for (q = 0; q < m; q++)
                if (vec_true(res, base + q)) {
                    j->out_sel[j->out_sel_n++] = (uint16_t)(base + q);
                    j->pmatched[j->cand_p[q]] = 1;
                    if (track_b)
                        j->bmatched[j->cand_b[q]] = 1;
                }
        } else {
            for (q = 0; q < m; q++) {
                j->pmatched[j->cand_p[q]] = 1;
                if (track_b)
                    j->bmatched[j->cand_b[q]] = 1;
            }
        }
    }
    prune_active(j);
    return LH_OK;
}

/* LEFT/FULL: unmatched probe rows, NULL right side; returns 1 when all done. */
static int emit_unmatched_probe(join_op *j)
{
    lh_rows rows = lh_batch_rows(j->pb);
    uint32_t room = LH_BATCH - j->out->n, n = 0, c, base = j->out->n;
    while (j->um_pos < rows.n && n < room) {
        uint32_t p = rows.sel ? rows.sel[j->um_pos] : j->um_pos;
        j->um_pos++;
        if (!j->pmatched[p])
            j->cand_p[n++] = p;
    }
    if (n) {
        for (c = 0; c < j->nl; c++)
            lh_vec_gather(j->out->cols[c], base, j->pb->cols[c], j->cand_p, n);
        for (c = 0; c < j->nr; c++)
            lh_vec_set_nulls(j->out->cols[j->nl + c], base, n);
        j->out->n += n;
        add_live(j, base, n);
    }
    return j->um_pos >= rows.n;
}

/* RIGHT/FULL after the probe side: unmatched build rows, NULL left side. */
static void emit_unmatched_build(join_op *j)
{
    uint32_t nb = j->rs.n, room = LH_BATCH - j->out->n, n = 0, c, base = j->out->n;
    while (j->rb_pos < nb && n < room) {
        uint32_t b = j->rb_pos++;
        if (!j->bmatched[b])
            j->cand_b[n++] = b;
    }
    if (n) {
        for (c = 0; c < j->nl; c++)
            lh_vec_set_nulls(j->out->cols[c], base, n);
        for (c = 0; c < j->nr; c++)
            lh_rowstore_gather(&j->rs, c, j->cand_b, n, j->out->cols[j->nl + c], base);
        j->out->n += n;
        add_live(j, base, n);
    }
}

/* Whether a partition pair can produce rows (an empty side may rule it out). */
static int pair_needed(const join_op *j, const lh_spill *b, const lh_spill *p)
{
    if (!b && (j->kind == LH_J_INNER || j->kind == LH_J_RIGHT || j->kind == LH_J_SEMI))
        return 0;
    if (!p && j->kind != LH_J_RIGHT && j->kind != LH_J_FULL)
        return 0;
    return 1;
}

/* The current pass is done: start the next waiting partition pair, if
 * any (*more = 0: the join is finished). */
static lh_rc next_pass(join_op *j, int *more, lh_err *err)
{
    lh_spill *b, *p;
    uint32_t depth;
    lh_rc rc;
    *more = 0;
    for (;;) {
        if (!lh_jspill_pop(j->js, &b, &p, &depth))
            return LH_OK;
        if (!(j->kind == LH_J_ANTI_NULL_AWARE && j->null_key_any) && pair_needed(j, b, p))
            break;
        lh_spill_free(b);
        lh_spill_free(p);
    }
    lh_jread_reset(j->prd);
    lh_spill_free(j->bin);
    lh_spill_free(j->pin);
    j->bin = b;
    j->pin = p;
    lh_rowstore_free(&j->rs);
    memset(&j->rs, 0, sizeof j->rs);
    lh_free(j->bhash);
    lh_free(j->heads);
    lh_free(j->next);
    lh_free(j->bmatched);
    j->bhash = NULL;
    j->heads = j->next = NULL;
    j->bmatched = NULL;
    j->bhash_cap = 0;
    j->hmask = 0;
    release(j);
    j->built = j->left_done = j->partitioned = j->build_null_key = 0;
    j->pb = NULL;
    j->act_n = j->um_pos = j->rb_pos = 0;
    j->from_spill = 1;
    j->depth = depth;
    if ((b && (rc = lh_spill_rewind(b, err))) || (p && (rc = lh_spill_rewind(p, err))))
        return rc;
    if ((rc = lh_rowstore_init(&j->rs, j->base.child[1]->types, j->nr, j->base.ctx, j->who, err)))
        return rc;
    *more = 1;
    return LH_OK;
}

static lh_rc join_next(lh_op *op, lh_batch **out, lh_err *err)
{
    join_op *j = (join_op *)op;
    lh_rc rc;
    *out = NULL;
    if (j->out)
        out_reset(j);
    for (;;) {
        if (!j->built) {
            if ((rc = build(j, err)))
                return rc;
            continue;
        }
        if (!j->pb) {
            if (j->out && out_live(j)) {
                out_finish(j);
                *out = j->out;
                return LH_OK;
            }
            if (j->out)
                out_reset(j);
            if (!j->left_done) {
                if ((rc = pull_probe(j, &j->pb, err)))
                    return rc;
                if (!j->pb) {
                    j->left_done = 1;
                    continue;
                }
                if ((rc = lh_exec_check(op->ctx, err)) || (rc = probe_setup(j, err))) {
                    j->pb = NULL;
                    return rc;
                }
                continue;
            }
            if (j->bmatched && j->rb_pos < j->rs.n) {
                emit_unmatched_build(j);
                continue;
            }
            if (j->js) {
                int more;
                if ((rc = next_pass(j, &more, err)))
                    return rc;
                if (more)
                    continue;
            }
            return LH_OK;
        }
        if (is_semi(j->kind)) {
            uint32_t n;
            lh_batch *pb = j->pb;
            if ((rc = semi_batch(j, &n, err)))
                return rc;
            j->pb = NULL;
            if (n) {
                lh_batch_select(pb, j->out_sel, n);
                *out = pb;
                return LH_OK;
            }
            continue;
        }
        while (j->act_n && j->out->n + j->act_n <= LH_BATCH)
            if ((rc = out_round(j, err)))
                return rc;
        if (j->act_n) { /* the output is full */
            if (out_live(j)) {
                out_finish(j);
                *out = j->out;
                return LH_OK;
            }
            out_reset(j);
            continue;
        }
        if (j->kind == LH_J_LEFT || j->kind == LH_J_FULL) {
            if (!emit_unmatched_probe(j)) {
                if (out_live(j)) {
                    out_finish(j);
                    *out = j->out;
                    return LH_OK;
                }
                out_reset(j);
                continue;
            }
        }
        j->pb = NULL; /* done with this probe batch; its rows go out first */
    }
}

static void join_free(lh_op *op)
{
    join_op *j = (join_op *)op;
    lh_rowstore_free(&j->rs);
    lh_free(j->bhash);
    lh_free(j->heads);
    lh_free(j->next);
    lh_free(j->bmatched);
    release(j);
    lh_jread_free(j->prd);
    lh_spill_free(j->bin);
    lh_spill_free(j->pin);
    lh_jspill_free(j->js);
    lh_batch_free(j->out);
    lh_batch_free(j->pairs);
    lh_xexpr_free(j->residual);
    lh_free(j->lkeys);
    lh_free(j->rkeys);
}

static lh_rc join_explain(const lh_op *op, lh_buf *out, lh_err *err)
{
    const join_op *j = (const join_op *)op;
    uint32_t k;
    lh_rc rc;
    if ((rc = lh_buf_puts(out, kind_name(j->kind), err)))
        return rc;
    if (j->nkeys && (rc = lh_buf_puts(out, ", keys: ", err)))
        return rc;
    for (k = 0; k < j->nkeys; k++)
        if ((rc = lh_buf_printf(out, err, "%s#%u = #%u", k ? ", " : "", j->lkeys[k], j->nl + j->rkeys[k])))
            return rc;
    if (j->residual) {
        if ((rc = lh_buf_puts(out, ", residual: ", err)) || (rc = lh_xexpr_format(j->residual, out, err)))
            return rc;
    }
    if (j->js) { /* only a run spills, so only EXPLAIN ANALYZE shows it */
        char by[32];
        uint64_t bytes, files;
        uint32_t levels;
        lh_jspill_stats(j->js, &bytes, &files, &levels);
        lh_spill_fmt_bytes(bytes, by, sizeof by);
        if ((rc = lh_buf_printf(out, err, "; spilled: %s in %llu partitions, %u levels", by,
                                (unsigned long long)files, levels)))
            return rc;
    }
    return LH_OK;
}

/* The probe side streams unless build rows no probe row matched come out too. */
static int join_stream(const lh_op *op)
{
    const join_op *j = (const join_op *)op;
    return j->kind == LH_J_RIGHT || j->kind == LH_J_FULL ? -1 : 0;
}

static const lh_op_vt hash_join_vt = {"HashJoin", join_next, join_free, join_explain, join_stream};
static const lh_op_vt loop_join_vt = {"NestedLoopJoin", join_next, join_free, join_explain, join_stream};

lh_rc lh_op_hash_join(lh_exec_ctx *ctx, lh_op *left, lh_op *right, lh_join_kind kind, const uint32_t *lkeys,
                      const uint32_t *rkeys, size_t nkeys, lh_xexpr *residual, lh_op **out, lh_err *err)
{
    lh_sqltype *jt = NULL;
    lh_op *op = NULL;
    join_op *j;
    uint32_t nl, nr, k;
    lh_rc rc;
    *out = NULL;
    if (!left || !right) {
        rc = lh_errf(err, LH_EINTERNAL, "hash join: missing child");
        goto fail;
    }
    nl = left->ncols;
    nr = right->ncols;
    if (kind < LH_J_INNER || kind > LH_J_ANTI_NULL_AWARE) {
        rc = lh_errf(err, LH_EINTERNAL, "hash join: unknown join kind %d", (int)kind);
        goto fail;
    }
    if (nkeys > 64) {
        rc = lh_errf(err, LH_ELIMIT, "hash join: %zu key columns exceed the limit of 64", nkeys);
        goto fail;
    }
    if ((size_t)nl + nr > LH_BATCH_MAX_COLS) {
        rc = lh_errf(err, LH_ELIMIT, "hash join: %u columns exceed the limit of %u", nl + nr, LH_BATCH_MAX_COLS);
        goto fail;
    }
    if (kind == LH_J_ANTI_NULL_AWARE && (!nkeys || residual)) {
        rc = lh_errf(err, LH_EUNSUPPORTED, "NOT IN with a correlated condition or without a key is not supported yet");
        goto fail;
    }
    for (k = 0; k < nkeys; k++) {
        lh_sqltype a, b;
        if (lkeys[k] >= nl || rkeys[k] >= nr) {
            rc = lh_errf(err, LH_EINTERNAL, "hash join: key column #%u = #%u out of range", lkeys[k], rkeys[k]);
            goto fail;
        }
        a = left->types[lkeys[k]];
        b = right->types[rkeys[k]];
        if (lh_phys_of(a) != lh_phys_of(b) || (a.id == LH_SQL_DECIMAL && (b.id != LH_SQL_DECIMAL || a.s != b.s))) {
            rc = lh_errf(err, LH_EINTERNAL, "hash join: key pair #%u = #%u has two types", lkeys[k], rkeys[k]);
            goto fail;
        }
    }
    jt = lh_malloc(((size_t)nl + nr + 1) * sizeof *jt);
    if (!jt) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory creating a hash join");
        goto fail;
    }
    if (nl)
        memcpy(jt, left->types, nl * sizeof *jt);
    if (nr)
        memcpy(jt + nl, right->types, nr * sizeof *jt);
    rc = lh_op_alloc(sizeof(join_op), nkeys ? &hash_join_vt : &loop_join_vt, ctx, jt, is_semi(kind) ? nl : nl + nr,
                     &op, err);
    if (rc)
        goto fail;
    op->child[0] = left;
    op->child[1] = right;
    op->nchild = 2;
    left = right = NULL;
    j = (join_op *)op;
    j->who = op->vt->name;
    j->kind = kind;
    j->nkeys = (uint32_t)nkeys;
    j->nl = nl;
    j->nr = nr;
    j->residual = residual;
    residual = NULL;
    if (ctx) {
        j->env.session_zone = ctx->session_zone;
        j->env.now_us = ctx->now_us;
    }
    j->lkeys = lh_malloc((nkeys ? nkeys : 1) * sizeof(uint32_t));
    j->rkeys = lh_malloc((nkeys ? nkeys : 1) * sizeof(uint32_t));
    if (!j->lkeys || !j->rkeys) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory creating a hash join");
        goto fail;
    }
    if (nkeys) {
        memcpy(j->lkeys, lkeys, nkeys * sizeof(uint32_t));
        memcpy(j->rkeys, rkeys, nkeys * sizeof(uint32_t));
    }
    if ((rc = lh_rowstore_init(&j->rs, jt + nl, nr, ctx, j->who, err)))
        goto fail;
    if (!is_semi(kind) && (rc = lh_batch_create(jt, nl + nr, 0, &j->out, err)))
        goto fail;
    if (j->residual) {
        if ((rc = lh_xexpr_prepare(j->residual, jt, nl + nr, &j->env, err)))
            goto fail;
        if (is_semi(kind) && (rc = lh_batch_create(jt, nl + nr, 0, &j->pairs, err)))
            goto fail;
    }
    lh_free(jt);
    *out = op;
    return LH_OK;
fail:
    lh_free(jt);
    lh_op_free(op);
    lh_op_free(left);
    lh_op_free(right);
    lh_xexpr_free(residual);
    return rc;
}
