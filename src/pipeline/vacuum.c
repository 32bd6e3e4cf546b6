/* pipeline/vacuum.c — see vacuum.h. */
#include "pipeline/vacuum.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/lock.h"
#include "util/mem.h"

/* "<location>run-<digits>-<stamp>/part-..." */
static int engine_layout(const char *uri, const char *location)
{
    size_t n = strlen(location);
    const char *p;
    if (strncmp(uri, location, n) != 0)
        return 0;
    p = uri + n;
    if (strncmp(p, "run-", 4) != 0)
        return 0;
    p += 4;
    if (!isdigit((unsigned char)*p))
        return 0;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p != '-')
        return 0;
    p = strchr(p, '/');
    return p && strncmp(p + 1, "part-", 5) == 0 && !strchr(p + 1, '/');
}

lh_rc lh_vacuum(lh_store *s, lh_catalog *c, int dry_run, lh_vacuum_fn on_orphan, void *ctx, lh_vacuum_stats *stats,
                lh_err *err)
{
    lh_lake_lock *lock = NULL;
    char **dbs = NULL, **tabs = NULL, **refs = NULL;
    size_t ndbs = 0, ntabs = 0, nrefs = 0, i, j, k;
    lh_run_info *runs = NULL;
    size_t nruns = 0;
    lh_vacuum_stats local;
    lh_rc rc;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    rc = lh_lake_lock_acquire(lh_catalog_path(c), dry_run ? "lakehouse vacuum --dry-run" : "lakehouse vacuum", 0,
                              &lock, err);
    if (rc)
        return rc;
    /* Runs whose process is gone: recorded 'abandoned' (a dry run counts them). */
    if (!dry_run)
        rc = lh_catalog_mark_abandoned_runs(c, &stats->runs_abandoned, err);
    else {
        rc = lh_catalog_list_runs(c, NULL, 0, &runs, &nruns, err);
        for (i = 0; !rc && i < nruns; i++)
            stats->runs_abandoned += !strcmp(runs[i].status, "abandoned") && !runs[i].ended_at;
    }
    if (!rc)
        rc = lh_catalog_referenced_files(c, &refs, &nrefs, err);
    if (!rc)
        rc = lh_catalog_list_databases(c, &dbs, &ndbs, err);
    for (i = 0; !rc && i < ndbs; i++) {
        rc = lh_catalog_list_tables(c, dbs[i], &tabs, &ntabs, err);
        for (j = 0; !rc && j < ntabs; j++) {
            lh_table_def def;
            lh_obj_info *objs = NULL;
            size_t nobjs = 0;
            memset(&def, 0, sizeof def);
            rc = lh_catalog_get_table(c, dbs[i], tabs[j], &def, err);
            if (!rc && def.managed) {
                stats->tables++;
                rc = lh_store_list_all(s, def.location, &objs, &nobjs, err);
                for (k = 0; !rc && k < nobjs; k++) {
                    const char *u = objs[k].uri;
                    stats->objects++;
                    if (!engine_layout(u, def.location) || bsearch(&u, refs, nrefs, sizeof *refs, lh_strp_cmp))
                        continue;
                    stats->orphans++;
                    stats->orphan_bytes += objs[k].size;
                    if (!dry_run) {
                        rc = lh_store_delete(s, u, err);
                        if (rc)
                            break;
                        stats->removed++;
                    }
                    if (on_orphan)
                        on_orphan(ctx, u, objs[k].size, !dry_run);
                }
                lh_obj_list_free(objs, nobjs);
            }
            lh_table_def_free(&def);
        }
        lh_strv_free(tabs, ntabs);
        tabs = NULL;
        ntabs = 0;
    }
    lh_strv_free(dbs, ndbs);
    lh_strv_free(refs, nrefs);
    lh_run_info_free(runs, nruns);
    lh_lake_lock_release(lock);
    return rc;
}
