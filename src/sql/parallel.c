/* sql/parallel.c — one query planned once per worker over shares of one
 * table (sql/parallel_int.h). */
#include <stdio.h>
#include <string.h>

#include "exec/scan.h"
#include "sql/parallel_int.h"

#define SPLIT_MIN_BYTES ((uint64_t)128 << 10) /* smaller tables are not worth a second worker */

lh_rc lh_par_init(lh_par *p, lh_engine *e, const char *text, size_t len, const char *filename, int line, int col,
                  lh_exec_ctx *ectx, lh_err *err)
{
    memset(p, 0, sizeof *p);
    p->e = e;
    p->text = text;
    p->len = len;
    p->filename = filename;
    p->line = line;
    p->col = col;
    p->ectx = ectx;
    p->w = lh_calloc(LH_PAR_MAX, sizeof *p->w);
    if (!p->w)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    if (pthread_mutex_init(&p->qlock, NULL)) {
        lh_free(p->w);
        p->w = NULL;
        return lh_errf(err, LH_ENOMEM, "cannot create a mutex");
    }
    p->qlock_ok = 1;
    p->nw = 1;
    lh_qio_init(&p->w[0].q, e);
    return LH_OK;
}

lh_rc lh_par_plan(lh_par *p, lh_par_worker *w, lh_err *err)
{
    lh_schema schema;
    lh_planner_io io;
    lh_rc rc = lh_parse_query_at(p->text, p->len, p->filename, p->line, p->col, &w->ast, err);
    if (rc)
        return rc;
    schema = lh_schema_from_catalog(lh_engine_catalog(p->e), lh_engine_database(p->e));
    if ((rc = lh_analyze(w->ast, &schema, p->filename, &w->b, err)))
        return rc;
    io = lh_qio_planner(&w->q);
    return lh_plan_query(w->b, &io, p->ectx, p->filename, &w->root, err);
}

const lh_qio_scan *lh_par_stream_scan(const lh_par_worker *w)
{
    const lh_op *op = w->root;
    while (op) {
        int c;
        if (lh_op_is_scan(op))
            return lh_qio_find(&w->q, op); /* live, so its address is the newest record's */
        c = lh_op_stream_child(op);
        if (c < 0 || (uint32_t)c >= op->nchild)
            return NULL;
        op = op->child[c];
    }
    return NULL;
}

void lh_par_split_bins(const uint64_t *sizes, size_t n, size_t k, unsigned char *done, size_t *bin)
{
    uint64_t load[LH_PAR_MAX];
    size_t i, j, best, light;
    memset(load, 0, sizeof load);
    memset(done, 0, n);
    for (i = 0; i < n; i++) {
        best = n;
        for (j = 0; j < n; j++)
            if (!done[j] && (best == n || sizes[j] > sizes[best]))
                best = j;
        light = 0;
        for (j = 1; j < k; j++)
            if (load[j] < load[light])
                light = j;
        done[best] = 1;
        bin[best] = light;
        load[light] += sizes[best];
    }
}

/* Bytes of db.name's pinned objects (0 when it cannot be pinned). */
static uint64_t table_bytes(lh_engine *e, const char *db, const char *name)
{
    const lh_table_def *def;
    const char *const *uris;
    const uint64_t *sizes;
    size_t n, i;
    uint64_t b = 0;
    if (lh_engine_pin_table(e, db, name, &def, &uris, &sizes, &n, NULL) != LH_OK)
        return 0;
    for (i = 0; sizes && i < n; i++)
        b += sizes[i];
    return b;
}

lh_rc lh_par_split(lh_par *p, lh_par_find find, size_t want, lh_err *err)
{
    const lh_qio_scan *s = find(&p->w[0]), *t;
    const lh_table_def *def;
    const char *const *uris;
    const uint64_t *sizes;
    unsigned char *done = NULL;
    size_t *bin = NULL, n, i, k;
    uint64_t bytes = 0, others = 0;
    int ordinal;
    lh_op *scan0;
    char db[256], table[256];
    lh_rc rc;
    p->nw = 1;
    if (!s || want < 2)
        return LH_OK;
    ordinal = s->ordinal;
    scan0 = (lh_op *)s->op; /* worker 0's, live: its plan owns it */
    snprintf(db, sizeof db, "%s", s->db);
    snprintf(table, sizeof table, "%s", s->table);
    if ((rc = lh_engine_pin_table(p->e, db, table, &def, &uris, &sizes, &n, err)))
        return rc;
    for (i = 0; i < n; i++)
        bytes += sizes[i];
    for (t = p->w[0].q.scans; t; t = t->next) /* everything each worker reads whole, plan-time scans too */
        if (t != s)
            others += table_bytes(p->e, t->db, t->table);
    if (n < 2 || bytes < SPLIT_MIN_BYTES || others > bytes)
        return LH_OK;
    k = n < want ? n : want;
    if (k > LH_PAR_MAX)
        k = LH_PAR_MAX;
    done = lh_calloc(n + 1, 1);
    bin = lh_calloc(n + 1, sizeof *bin);
    if (!done || !bin) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    lh_par_split_bins(sizes, n, k, done, bin);
    for (i = 0; i < k && !rc; i++) {
        lh_par_worker *w = &p->w[i];
        size_t j;
        w->index = (int)i;
        w->share = lh_calloc(n + 1, sizeof *w->share);
        if (!w->share) {
            rc = lh_errf(err, LH_ENOMEM, "out of memory");
            break;
        }
        for (j = 0; j < n; j++)
            if (bin[j] == i)
                w->share[w->nshare++] = uris[j];
        if (i == 0)
            continue; /* restricted below, once the others are planned */
        rc = lh_store_clone(lh_engine_store(p->e), &w->store, err);
        if (rc == LH_EUNSUPPORTED) { /* the store cannot give a second handle: fewer workers */
            lh_err_clear(err);
            rc = LH_OK;
            lh_free(w->share);
            w->share = NULL;
            w->nshare = 0;
            break;
        }
        if (rc)
            break;
        lh_qio_init(&w->q, p->e);
        w->q.store = w->store;
        w->q.qlock = &p->qlock;
        w->q.uncounted = 1;
        w->q.split_at = ordinal;
        w->q.split_uris = w->share;
        w->q.nsplit = w->nshare;
        if ((rc = lh_par_plan(p, w, err)))
            break;
        t = find(w);
        if (!t || t->ordinal != ordinal) /* planned differently: cannot happen, but never guess */
            rc = lh_errf(err, LH_EINTERNAL, "parallel plan: worker %zu planned a different stream", i);
    }
    if (rc)
        goto out;
    k = i; /* the workers planned (fewer when the store gave no more handles) */
    if (k >= 2) {
        p->w[0].q.qlock = &p->qlock;
        rc = lh_op_scan_keep(scan0, p->w[0].share, p->w[0].nshare, err);
        if (!rc)
            p->nw = k;
    } else if (k == 1) { /* one worker after all: it keeps every object */
        lh_free(p->w[0].share);
        p->w[0].share = NULL;
        p->w[0].nshare = 0;
    }
out:
    lh_free(done);
    lh_free(bin);
    return rc;
}

void lh_par_free(lh_par *p)
{
    size_t i;
    for (i = 0; p->w && i < LH_PAR_MAX; i++) {
        lh_par_worker *w = &p->w[i];
        lh_op_free(w->root);
        lh_bound_free(w->b);
        lh_ast_free(w->ast);
        lh_qio_free(&w->q);
        lh_store_close(w->store);
        lh_free(w->share);
    }
    lh_free(p->w);
    p->w = NULL;
    if (p->qlock_ok)
        pthread_mutex_destroy(&p->qlock);
    p->qlock_ok = 0;
}
