/* catalog/runs.c — the run history, and job runs whose process is gone.
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
#include "catalog/cat_int.h"
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

/* ---- the run history ---- */

static lh_rc runs_nomem(lh_catalog *c, lh_err *err)
{
    return lh_errf(err, LH_ENOMEM, "catalog %s: out of memory listing job runs", lh_catalog_path(c));
}

/* Copy text column i (NULL stays NULL). */
static lh_rc runs_text(lh_catalog *c, sqlite3_stmt *st, int i, char **out, lh_err *err)
{
    const unsigned char *t;
    *out = NULL;
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return LH_OK;
    t = sqlite3_column_text(st, i);
    if (!t)
        return lh_catalog_fail_(c, SQLITE_NOMEM, "reading a text column", err);
    *out = lh_strdup((const char *)t);
    return *out ? LH_OK : runs_nomem(c, err);
}

static int64_t runs_int(sqlite3_stmt *st, int i, int64_t dflt)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? dflt : sqlite3_column_int64(st, i);
}

lh_rc lh_catalog_list_runs(lh_catalog *c, const char *job, int limit, lh_run_info **out, size_t *n_out,
                           lh_err *err)
{
    sqlite3 *db = lh_catalog_db_(c);
    sqlite3_stmt *st = NULL;
    lh_run_info *runs = NULL;
    size_t n = 0, cap = 0;
    int src;
    lh_rc rc = LH_OK;
    *out = NULL;
    *n_out = 0;
    /* a version-1 file (read-only, unmigrated) has no boot_id */
    src = sqlite3_prepare_v2(db,
                             lh_catalog_version_(c) >= 2
                                 ? "SELECT id, job, status, started_at, ended_at, started_ms, ended_ms, rows_read,"
                                   " rows_written, error, target, snapshot_id, pid, boot_id FROM job_runs"
                                   " WHERE ?1 IS NULL OR job=?1 ORDER BY id DESC LIMIT ?2"
                                 : "SELECT id, job, status, started_at, ended_at, started_ms, ended_ms, rows_read,"
                                   " rows_written, error, target, snapshot_id, pid, NULL FROM job_runs"
                                   " WHERE ?1 IS NULL OR job=?1 ORDER BY id DESC LIMIT ?2",
                             -1, &st, NULL);
    if (src == SQLITE_OK)
        src = job ? sqlite3_bind_text(st, 1, job, -1, SQLITE_STATIC) : sqlite3_bind_null(st, 1);
    if (src == SQLITE_OK)
        src = sqlite3_bind_int64(st, 2, limit > 0 ? limit : -1);
    if (src != SQLITE_OK) {
        rc = lh_catalog_fail_(c, src, "listing job runs", err);
        goto out;
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        lh_run_info *r;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            lh_run_info *nr = lh_realloc(runs, ncap * sizeof *nr);
            if (!nr) {
                rc = runs_nomem(c, err);
                goto out;
            }
            runs = nr;
            cap = ncap;
        }
        r = &runs[n++];
        memset(r, 0, sizeof *r);
        r->id = sqlite3_column_int64(st, 0);
        r->duration_ms = sqlite3_column_type(st, 6) == SQLITE_NULL
                             ? -1
                             : sqlite3_column_int64(st, 6) - sqlite3_column_int64(st, 5);
        r->rows_read = runs_int(st, 7, -1);
        r->rows_written = runs_int(st, 8, -1);
        r->snapshot_id = runs_int(st, 11, 0);
        if ((rc = runs_text(c, st, 1, &r->job, err)) || (rc = runs_text(c, st, 2, &r->status, err)) ||
            (rc = runs_text(c, st, 3, &r->started_at, err)) || (rc = runs_text(c, st, 4, &r->ended_at, err)) ||
            (rc = runs_text(c, st, 9, &r->error, err)) || (rc = runs_text(c, st, 10, &r->target, err)))
            goto out;
        /* a run whose process is gone is shown as what it is */
        if (r->status && !strcmp(r->status, "running") &&
            lh_run_process_gone_(lh_catalog_path(c), runs_int(st, 12, 0), (const char *)sqlite3_column_text(st, 13))) {
            char *ab = lh_strdup("abandoned");
            if (!ab) {
                rc = runs_nomem(c, err);
                goto out;
            }
            lh_free(r->status);
            r->status = ab;
        }
    }
    if (src != SQLITE_DONE)
        rc = lh_catalog_fail_(c, src, "listing job runs", err);
out:
    sqlite3_finalize(st);
    if (rc) {
        lh_run_info_free(runs, n);
        return rc;
    }
    *out = runs;
    *n_out = n;
    return LH_OK;
}

void lh_run_info_free(lh_run_info *runs, size_t n)
{
    if (!runs)
        return;
    for (size_t i = 0; i < n; i++) {
        lh_free(runs[i].job);
        lh_free(runs[i].status);
        lh_free(runs[i].started_at);
        lh_free(runs[i].ended_at);
        lh_free(runs[i].error);
        lh_free(runs[i].target);
    }
    lh_free(runs);
}
