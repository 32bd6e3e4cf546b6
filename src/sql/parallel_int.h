/* sql/parallel_int.h — one query planned once per worker, each copy over
 * its share of one table's objects (used by CTAS jobs, sql/ctas_vec.c, and
 * by queries, sql/query.c).
 *
 * Worker 0 is planned over every object (lh_par_plan); the caller finds,
 * in that plan, the scan whose rows may be shared out (a `find` callback:
 * the scan that streams to the root for a job, the one that streams into a
 * hash aggregate for a query).  lh_par_split then decides whether to split
 * (the table has two objects and 128 KiB or more, and holds more bytes
 * than every other table the plan reads whole, which each worker repeats)
 * and, if so, shares the objects out, largest first, each to the lightest
 * worker; restricts worker 0's scan to its share (lh_op_scan_keep) and
 * plans every other worker again with its share, its own store handle
 * (store calls never cross threads) and its other scans uncounted, so the
 * statement's figures count every row once.  Planning is deterministic, so
 * the scan to split is found at the same position in every copy (checked:
 * a mismatch is LH_EINTERNAL, never a guess).
 *
 * Ownership: the lh_par owns the workers' trees, bound queries, ASTs,
 * store clones and scan records until lh_par_free; a caller that takes a
 * root (or a subtree) sets the pointer it took to NULL first.  Planning
 * runs on the statement's thread.  Errors: lh_rc + lh_err.
 */
#ifndef LH_SQL_PARALLEL_INT_H
#define LH_SQL_PARALLEL_INT_H

#include <pthread.h>

#include "plan/planner.h"
#include "sql/parse.h"
#include "sql/query_int.h"

#define LH_PAR_MAX 64

typedef struct lh_par_worker {
    int index;
    lh_ast *ast;
    lh_bound *b;
    lh_qio q;
    lh_op *root;
    lh_store *store; /* workers >= 1: a clone, owned */
    const char **share;
    size_t nshare;
} lh_par_worker;

typedef struct lh_par lh_par;
/* The scan of w's plan whose table may be shared out, or NULL. */
typedef const lh_qio_scan *(*lh_par_find)(const lh_par_worker *w);

struct lh_par {
    lh_engine *e;
    const char *text, *filename;
    size_t len;
    int line, col;
    lh_exec_ctx *ectx;
    pthread_mutex_t qlock;
    int qlock_ok;
    lh_par_worker *w; /* LH_PAR_MAX of them */
    size_t nw;        /* planned workers: 1, or 2.. after a split */
};

/* The query text (with its position for messages) and the context every
 * worker's operators share. */
lh_rc lh_par_init(lh_par *p, lh_engine *e, const char *text, size_t len, const char *filename, int line, int col,
                  lh_exec_ctx *ectx, lh_err *err) LH_MUST_CHECK;
/* Parse, analyze and plan worker w (its qio set up by lh_par_init or the split). */
lh_rc lh_par_plan(lh_par *p, lh_par_worker *w, lh_err *err) LH_MUST_CHECK;
/* Split as described above, up to `want` workers; p->nw says how many run
 * (1: not split, worker 0's plan unchanged). */
lh_rc lh_par_split(lh_par *p, lh_par_find find, size_t want, lh_err *err) LH_MUST_CHECK;
void lh_par_free(lh_par *p);

/* Split n objects into k <= LH_PAR_MAX shares of about equal bytes:
 * largest first, each to the lightest share; bin[i] = its share (done: n
 * bytes of scratch).  O(n k), n a table's objects. */
void lh_par_split_bins(const uint64_t *sizes, size_t n, size_t k, unsigned char *done, size_t *bin);

/* The scan whose rows stream from it to the root of w's plan (filters,
 * projections, probe sides), or NULL. */
const lh_qio_scan *lh_par_stream_scan(const lh_par_worker *w);

#endif
