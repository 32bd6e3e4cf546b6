/* pipeline/vacuum.c — see vacuum.h. */
#include "pipeline/vacuum.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

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

/* Is uri table db.name's own, and under no EXTERNAL table's location?
 * The innermost location holding it must be the table's (a table whose
 * location lies inside this one owns what is under it), and no external
 * table's location may hold it at all (a catalog written before locations
 * were kept apart may still have such tables). */
static lh_rc owned_by(lh_catalog *c, const char *uri, const char *db, const char *name, int *own, lh_err *err)
{
    char *odb = NULL, *oname = NULL;
    lh_rc rc = lh_catalog_location_owner(c, uri, LH_LOC_HOLDING, NULL, NULL, &odb, &oname, NULL, err);
    *own = !rc && odb && !strcmp(odb, db) && !strcmp(oname, name);
    lh_free(odb);
    lh_free(oname);
    odb = NULL;
    if (!rc && *own)
        rc = lh_catalog_location_owner(c, uri, LH_LOC_HOLDING | LH_LOC_EXTERNAL_ONLY, NULL, NULL, &odb, NULL, NULL,
                                       err);
    if (!rc && odb)
        *own = 0;
    lh_free(odb);
    return rc;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* When this machine booted, epoch ms (0 if unknown). */
static int64_t boot_ms(void)
{
    char line[256];
    long long bt = 0;
    FILE *f = fopen("/proc/stat", "re");
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "btime %lld", &bt) == 1)
            break;
    fclose(f);
    return (int64_t)bt * 1000;
}

static int pid_alive(long pid)
{
    return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

/* Temporary files (".lh-tmp-*") whose writer is gone: made before vacuum
 * took the lake lock (every writer takes it, so none of them is live), and
 * not by a process still alive on this boot (a writer that does not lock,
 * e.g. an older binary, keeps its file). */
static lh_rc sweep_tmp(lh_store *s, int dry_run, int64_t locked_ms, lh_vacuum_fn on_orphan, void *ctx,
                       lh_vacuum_stats *stats, lh_err *err)
{
    lh_obj_info *tmp = NULL;
    size_t n = 0, i;
    int64_t booted = boot_ms();
    lh_rc rc = lh_store_list_tmp(s, &tmp, &n, err);
    for (i = 0; !rc && i < n; i++) {
        long pid = lh_store_tmp_pid(tmp[i].uri);
        if (tmp[i].mtime_ms >= locked_ms || (pid && tmp[i].mtime_ms >= booted && pid_alive(pid))) {
            stats->tmp_kept++;
            continue;
        }
        stats->tmp_files++;
        stats->tmp_bytes += tmp[i].size;
        if (!dry_run) {
            rc = lh_store_delete_tmp(s, tmp[i].uri, err);
            if (rc)
                break;
            stats->tmp_removed++;
        }
        if (on_orphan)
            on_orphan(ctx, tmp[i].uri, tmp[i].size, !dry_run);
    }
    lh_obj_list_free(tmp, n);
    return rc;
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
    int64_t locked_ms;
    lh_rc rc;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    rc = lh_lake_lock_acquire(lh_catalog_path(c), dry_run ? "lakehouse vacuum --dry-run" : "lakehouse vacuum", 0,
                              &lock, err);
    if (rc)
        return rc;
    locked_ms = wall_ms();
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
                    int own = 0;
                    if (!engine_layout(u, def.location) || bsearch(&u, refs, nrefs, sizeof *refs, lh_strp_cmp))
                        continue;
                    rc = owned_by(c, u, def.db, def.name, &own, err);
                    if (rc)
                        break;
                    if (!own) {
                        stats->foreign++; /* another table's: never touched */
                        continue;
                    }
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
    if (!rc)
        rc = sweep_tmp(s, dry_run, locked_ms, on_orphan, ctx, stats, err);
    lh_strv_free(dbs, ndbs);
    lh_strv_free(refs, nrefs);
    lh_run_info_free(runs, nruns);
    lh_lake_lock_release(lock);
    return rc;
}
