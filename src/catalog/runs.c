/* catalog/runs.c — job runs whose process is gone.
 *
 * A run is recorded 'running' with its pid and the boot id
 * (/proc/sys/kernel/random/boot_id) by lh_catalog_run_begin, under the
 * lake lock.  It cannot still be running when the pid is dead, the machine
 * has rebooted since, or the pid now belongs to a process that does not
 * hold the lake lock.  lh_catalog_list_runs shows such runs as
 * 'abandoned'; lh_catalog_mark_abandoned_runs records it.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "catalog/lock.h"
#include "catalog/runs_int.h"
#include "util/mem.h"

static char g_boot[64];
static pthread_once_t g_boot_once = PTHREAD_ONCE_INIT;

static void read_boot_id(void)
{
    FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
    if (!f)
        return;
    if (!fgets(g_boot, sizeof g_boot, f))
        g_boot[0] = 0;
    g_boot[strcspn(g_boot, "\r\n")] = 0;
    fclose(f);
}

const char *lh_boot_id_(void)
{
    (void)pthread_once(&g_boot_once, read_boot_id);
    return g_boot[0] ? g_boot : NULL;
}

int lh_run_process_gone_(const char *catalog_path, int64_t pid, const char *boot)
{
    const char *now = lh_boot_id_();
    long holder;
    if (boot && *boot && now && strcmp(boot, now) != 0)
        return 1; /* recorded during another boot */
    if (pid <= 0 || (int64_t)(pid_t)pid != pid)
        return 0; /* no pid recorded: cannot tell */
    if (pid == (int64_t)getpid())
        return 0; /* this process: it knows its own runs */
    if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
        return 1;
    /* alive: a reused pid unless it holds the lake lock */
    holder = lh_lake_lock_holder(catalog_path);
    if (holder < 0)
        return 0;
    return holder != (long)pid;
}

lh_rc lh_catalog_mark_abandoned_runs(lh_catalog *c, uint64_t *marked, lh_err *err)
{
    sqlite3 *db = lh_catalog_db_(c);
    sqlite3_stmt *sel = NULL, *upd = NULL;
    const char *path = lh_catalog_path(c);
    struct timespec ts;
    struct tm tmv;
    char iso[64];
    int64_t ms;
    int src;
    lh_rc rc;
    if (marked)
        *marked = 0;
    rc = lh_catalog_writable_(c, err);
    if (!rc)
        rc = lh_catalog_txn_begin_(c, err);
    if (rc)
        return rc;
    clock_gettime(CLOCK_REALTIME, &ts);
    ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    gmtime_r(&ts.tv_sec, &tmv);
    snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tmv.tm_year + 1900, tmv.tm_mon + 1,
             tmv.tm_mday, tmv.tm_hour, tmv.tm_min, tmv.tm_sec, (int)(ms % 1000));
    src = sqlite3_prepare_v2(db, "SELECT id, pid, boot_id FROM job_runs WHERE status='running' ORDER BY id", -1, &sel,
                             NULL);
    if (src == SQLITE_OK)
        src = sqlite3_prepare_v2(db,
                                 "UPDATE job_runs SET status='abandoned', ended_at=?2, ended_ms=?3, error=?4"
                                 " WHERE id=?1 AND status='running'",
                                 -1, &upd, NULL);
    if (src != SQLITE_OK) {
        rc = lh_catalog_fail_(c, src, "finding abandoned runs", err);
        goto out;
    }
    while ((src = sqlite3_step(sel)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(sel, 0), pid = sqlite3_column_int64(sel, 1);
        char *why;
        if (!lh_run_process_gone_(path, pid, (const char *)sqlite3_column_text(sel, 2)))
            continue;
        why = lh_aprintf("abandoned: its process (pid %lld) ended before the run finished (recorded by vacuum)",
                         (long long)pid);
        if (!why) {
            rc = lh_errf(err, LH_ENOMEM, "catalog %s: out of memory recording abandoned runs", path);
            goto out;
        }
        sqlite3_reset(upd);
        sqlite3_bind_int64(upd, 1, id);
        sqlite3_bind_text(upd, 2, iso, -1, SQLITE_STATIC);
        sqlite3_bind_int64(upd, 3, ms);
        src = sqlite3_bind_text(upd, 4, why, -1, lh_free);
        if (src == SQLITE_OK)
            src = sqlite3_step(upd);
        if (src != SQLITE_DONE) {
            rc = lh_catalog_fail_(c, src, "recording an abandoned run", err);
            goto out;
        }
        if (marked)
            (*marked)++;
    }
    if (src != SQLITE_DONE)
        rc = lh_catalog_fail_(c, src, "finding abandoned runs", err);
out:
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    rc = lh_catalog_txn_end_(c, rc, err);
    if (rc && marked)
        *marked = 0;
    return rc;
}
