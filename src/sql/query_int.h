/* sql/query_int.h — how our engine reaches the lake's tables: the planner
 * callbacks (plan/planner.h lh_planner_io) over the statement's pinned
 * snapshots, shared by queries (query.c) and CREATE TABLE AS jobs
 * (ctas_vec.c).
 *
 * A scan reads the objects lh_engine_pin_table pinned for the statement,
 * through the qio's store.  A parallel plan (one qio per worker, each
 * with its own store clone) restricts one scan, found by its position in
 * planning order (split_at), to the worker's share of the objects; the
 * worker's other scans are `uncounted` so that the statement's figures
 * count every row once.  Malformed JSON lines go to the statement's
 * quarantine, under qlock when several workers share it.
 *
 * Planning calls lh_engine_pin_table, so it runs on the statement's
 * thread; executing the operators it made may run on another.  Records of
 * the scans made live until lh_qio_free (after the operators are freed).
 */
#ifndef LH_SQL_QUERY_INT_H
#define LH_SQL_QUERY_INT_H

#include <pthread.h>

#include "plan/planner.h"
#include "sql/engine_int.h"

typedef struct lh_qio lh_qio;

typedef struct lh_qio_scan {
    lh_qio *q;
    char db[256], table[256];
    const lh_op *op; /* what was made (may be freed since: compare, never follow) */
    int ordinal;     /* 0, 1, ... in planning order */
    struct lh_qio_scan *next;
} lh_qio_scan;

struct lh_qio {
    lh_engine *e;
    lh_store *store;              /* e's store, or the worker's clone */
    pthread_mutex_t *qlock;       /* NULL: one thread */
    int uncounted;                /* scans other than split_at add nothing to the counters */
    int split_at;                 /* -1: no scan is restricted */
    const char *const *split_uris;
    size_t nsplit;
    int nscans;
    lh_qio_scan *scans; /* newest first */
};

void lh_qio_init(lh_qio *q, lh_engine *e);
lh_planner_io lh_qio_planner(lh_qio *q);
/* The newest scan record made as op, or NULL. */
const lh_qio_scan *lh_qio_find(const lh_qio *q, const lh_op *op);
void lh_qio_free(lh_qio *q);

/* LH_MEMORY_LIMIT ("4G", "512M", bytes), else 60% of RAM. */
size_t lh_query_mem_limit(void);
/* A statement's context: its memory budget and spill folder (the engine's). */
void lh_query_ctx_setup(lh_engine *e, lh_exec_ctx *c);
/* Wall clock, UTC microseconds (current_timestamp). */
int64_t lh_query_now_us(void);
/* Add a run's scan counters to the engine's statement figures. */
void lh_query_add_counters(lh_engine *e, const lh_exec_ctx *ctx);

#endif
