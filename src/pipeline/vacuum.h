/* pipeline/vacuum.h — remove what failed or killed jobs left behind.
 *
 * An orphan is an object under a managed table's location, in the
 * engine's own layout (<location>run-<id>-<stamp>/part-*), that no
 * snapshot of any table references.  Nothing else is ever touched, so
 * landing data sharing a prefix with a managed table is safe.  Runs still
 * marked 'running' whose process is gone are recorded 'abandoned'
 * (lh_catalog_mark_abandoned_runs).
 * Vacuum takes the lake's writer lock, so no job is mid-write while it
 * looks.  dry_run lists without removing.
 */
#ifndef LH_PIPELINE_VACUUM_H
#define LH_PIPELINE_VACUUM_H

#include <stdint.h>

#include "catalog/catalog.h"
#include "store/store.h"
#include "util/err.h"

typedef struct lh_vacuum_stats {
    uint64_t tables, objects, orphans, orphan_bytes, removed, runs_abandoned;
} lh_vacuum_stats;

typedef void (*lh_vacuum_fn)(void *ctx, const char *uri, uint64_t size, int removed);

lh_rc lh_vacuum(lh_store *s, lh_catalog *c, int dry_run, lh_vacuum_fn on_orphan, void *ctx, lh_vacuum_stats *stats,
                lh_err *err) LH_MUST_CHECK;

#endif
