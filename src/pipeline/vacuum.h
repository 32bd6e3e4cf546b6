/* pipeline/vacuum.h — remove what failed or killed commands left behind.
 *
 * Vacuum takes the lake's writer lock (jobs, runs and ingest take it too),
 * so no writer is live while it looks.  It removes two kinds of leftover:
 *
 *  - Orphans: objects under a managed table's own location, in the
 *    engine's own layout (<location>run-<id>-<stamp>/part-*), that no
 *    snapshot of any table references.  "Own": the innermost table
 *    location holding the object is this table's, and no EXTERNAL table's
 *    location holds it (counted in `foreign` and kept otherwise).
 *  - Temporary files (".lh-tmp-<pid>-*", the local store's data before its
 *    rename) anywhere in the lake's buckets, landing folders included,
 *    made before vacuum took the lock and not by a process alive on this
 *    boot (those are counted in tmp_kept and kept).
 *
 * Nothing else is ever touched: no object of an EXTERNAL table, no
 * referenced object, nothing outside the engine's layout.  Runs still
 * marked 'running' whose process is gone are recorded 'abandoned'
 * (lh_catalog_mark_abandoned_runs).  dry_run lists
 * without removing; on_orphan is called for every object and temporary
 * file removed (or, dry, to remove) with its size.
 */
#ifndef LH_PIPELINE_VACUUM_H
#define LH_PIPELINE_VACUUM_H

#include <stdint.h>

#include "catalog/catalog.h"
#include "store/store.h"
#include "util/err.h"

typedef struct lh_vacuum_stats {
    uint64_t tables, objects, orphans, orphan_bytes, removed, runs_abandoned;
    uint64_t foreign;                          /* unreferenced, but another table's: kept */
    uint64_t tmp_files, tmp_bytes, tmp_removed; /* temporary files of dead writers */
    uint64_t tmp_kept;                          /* temporary files of live (or newer) writers: kept */
} lh_vacuum_stats;

typedef void (*lh_vacuum_fn)(void *ctx, const char *uri, uint64_t size, int removed);

lh_rc lh_vacuum(lh_store *s, lh_catalog *c, int dry_run, lh_vacuum_fn on_orphan, void *ctx, lh_vacuum_stats *stats,
                lh_err *err) LH_MUST_CHECK;

#endif
