/* catalog/lock.h — one writer per lake at a time.
 *
 * Jobs (CTAS), `lakehouse run` and `lakehouse vacuum` take an exclusive
 * advisory lock (flock) on "<catalog path>.lock" and write who holds it
 * there.  Readers never lock: snapshots keep them consistent.  A second
 * writer fails with LH_EBUSY naming the holder (pid, command, since when),
 * or waits up to wait_ms for it.  The lock is re-entrant within a process
 * (a run's jobs reuse the run's lock) and dies with its process, so a
 * crash never leaves the lake locked.
 */
#ifndef LH_CATALOG_LOCK_H
#define LH_CATALOG_LOCK_H

#include "util/err.h"

typedef struct lh_lake_lock lh_lake_lock;

lh_rc lh_lake_lock_acquire(const char *catalog_path, const char *what, int wait_ms, lh_lake_lock **out,
                           lh_err *err) LH_MUST_CHECK;
void lh_lake_lock_release(lh_lake_lock *l);

/* Who holds the lake lock now, without taking it (readers never lock):
 * the holder's pid, 0 when nobody holds it, -1 when that cannot be told
 * (no lock file yet, no /proc/locks).  Read-only: works on a read-only lake. */
long lh_lake_lock_holder(const char *catalog_path);

#endif
