/* sql/query_io.c — the planner's callbacks over the lake's tables
 * (sql/query_int.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exec/scan.h"
#include "sql/query_int.h"

static lh_rc q_quarantine(void *ctx, const char *uri, uint64_t line, const char *reason, const char *raw, size_t n,
                          lh_err *err)
{
    lh_qio_scan *s = ctx;
    lh_engine *e = s->q->e;
    lh_rc rc;
    if (s->q->qlock)
        pthread_mutex_lock(s->q->qlock);
    if (!e->first_malformed[0])
        snprintf(e->first_malformed, sizeof e->first_malformed, "%s:%llu: %s", uri, (unsigned long long)line, reason);
    rc = lh_engine_quarantine(e, s->db, s->table, uri, line, reason, raw, n, err);
    if (s->q->qlock)
        pthread_mutex_unlock(s->q->qlock);
    return rc;
}

static lh_rc q_scan_where(void *ctx, lh_exec_ctx *ectx, const char *db, const char *name, const uint32_t *cols,
                          const lh_sqltype *types, uint32_t n, const lh_scan_constraint *cons, size_t ncons,
                          lh_op **out, lh_err *err)
{
    lh_qio *q = ctx;
    const lh_table_def *def;
    const char *const *uris;
    const uint64_t *sizes;
    size_t nuris, i;
    lh_scan_col *sc = NULL;
    lh_scan_spec spec;
    lh_qio_scan *qs;
    int ordinal = q->nscans++;
    lh_rc rc = lh_engine_pin_table(q->e, db, name, &def, &uris, &sizes, &nuris, err);
    if (rc)
        return rc;
    qs = lh_calloc(1, sizeof *qs);
    sc = lh_calloc((size_t)n + 1, sizeof *sc);
    if (!qs || !sc) {
        lh_free(qs);
        lh_free(sc);
        return lh_errf(err, LH_ENOMEM, "out of memory");
    }
    qs->q = q;
    qs->ordinal = ordinal;
    snprintf(qs->db, sizeof qs->db, "%s", db);
    snprintf(qs->table, sizeof qs->table, "%s", name);
    qs->next = q->scans;
    q->scans = qs;
    for (i = 0; i < n && !rc; i++) {
        sc[i].type = types[i];
        if (cols[i] >= def->n_cols) {
            sc[i].name = "$path";
            sc[i].is_path = 1;
            sc[i].hive.kind = LH_T_STRING;
            continue;
        }
        sc[i].name = def->cols[cols[i]].name;
        rc = lh_type_parse(def->cols[cols[i]].type, strlen(def->cols[cols[i]].type), &sc[i].hive, err);
    }
    if (!rc) {
        memset(&spec, 0, sizeof spec);
        spec.store = q->store;
        spec.def = def;
        spec.uris = uris;
        spec.nuris = nuris;
        if (ordinal == q->split_at) {
            spec.uris = q->split_uris;
            spec.nuris = q->nsplit;
        } else
            spec.uncounted = q->uncounted;
        spec.cols = sc;
        spec.ncols = n;
        spec.cons = cons;
        spec.ncons = ncons;
        spec.quarantine = q_quarantine;
        spec.qctx = qs;
        rc = lh_op_scan(ectx, &spec, out, err);
        if (!rc)
            qs->op = *out;
    }
    lh_free(sc);
    /* a definition the scan cannot read (too many columns, a bad type in
     * the catalog): name the table and the way out; out of memory, a bug
     * and a refusal stay as they are */
    if (rc && rc != LH_ENOMEM && rc != LH_EINTERNAL && rc != LH_EUNSUPPORTED && rc != LH_ECANCELLED && err) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        rc = lh_errf(err, rc, "cannot read table %s.%s (%s); other tables are not affected: fix its definition or DROP TABLE %s.%s",
                     db, name, why, db, name);
    }
    return rc;
}

static lh_rc q_scan(void *ctx, lh_exec_ctx *ectx, const char *db, const char *name, const uint32_t *cols,
                    const lh_sqltype *types, uint32_t n, lh_op **out, lh_err *err)
{
    return q_scan_where(ctx, ectx, db, name, cols, types, n, NULL, 0, out, err);
}

/* The whole table's bytes, also in a worker that reads a share of it: the
 * build side of a join is chosen alike in every worker. */
static lh_rc q_size(void *ctx, const char *db, const char *name, uint64_t *bytes)
{
    lh_qio *q = ctx;
    const lh_table_def *def;
    const char *const *uris;
    const uint64_t *sizes;
    size_t n, i;
    lh_rc rc = lh_engine_pin_table(q->e, db, name, &def, &uris, &sizes, &n, NULL);
    *bytes = 0;
    if (rc)
        return rc;
    for (i = 0; sizes && i < n; i++)
        *bytes += sizes[i];
    return LH_OK;
}

void lh_qio_init(lh_qio *q, lh_engine *e)
{
    memset(q, 0, sizeof *q);
    q->e = e;
    q->store = lh_engine_store(e);
    q->split_at = -1;
}

lh_planner_io lh_qio_planner(lh_qio *q)
{
    lh_planner_io io;
    memset(&io, 0, sizeof io);
    io.ctx = q;
    io.scan = q_scan;
    io.size = q_size;
    io.scan_where = q_scan_where;
    return io;
}

const lh_qio_scan *lh_qio_find(const lh_qio *q, const lh_op *op)
{
    const lh_qio_scan *s;
    for (s = q->scans; s; s = s->next)
        if (s->op == op)
            return s;
    return NULL;
}

void lh_qio_free(lh_qio *q)
{
    while (q->scans) {
        lh_qio_scan *n = q->scans->next;
        lh_free(q->scans);
        q->scans = n;
    }
}

int64_t lh_query_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

size_t lh_query_mem_limit(void)
{
    const char *s = getenv("LH_MEMORY_LIMIT");
    long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
    uint64_t ram = pages > 0 && psz > 0 ? (uint64_t)pages * (uint64_t)psz : 0, v;
    if (s && *s && lh_parse_mem_size(s, ram, &v, NULL) == LH_OK)
        return (size_t)v;
    return (size_t)((double)ram * 0.6);
}

void lh_query_ctx_setup(lh_engine *e, lh_exec_ctx *c)
{
    c->mem_limit = e->mem_limit ? e->mem_limit : lh_query_mem_limit();
    c->tmp_dir = e->tmp_dir;
}

void lh_query_add_counters(lh_engine *e, const lh_exec_ctx *ctx)
{
    /* lines quarantined were read too: a job's "rows in" counts them */
    e->rows_read += atomic_load(&ctx->rows_read) + atomic_load(&ctx->malformed);
    e->pages_read += atomic_load(&ctx->pages_read);
    e->bytes_read += atomic_load(&ctx->bytes_read);
    e->rg_skipped += atomic_load(&ctx->row_groups_skipped);
    e->spill_bytes += atomic_load(&ctx->spill_bytes);
    e->malformed += atomic_load(&ctx->malformed);
}
