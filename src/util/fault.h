/* util/fault.h — I/O fault injection and crash points, for tests.
 *
 * LH_FAULT_IO=N: the Nth guarded I/O call (counting from 1) and every one
 * after it fails with EIO.  Guarded calls are the local store's reads,
 * writes, fsyncs, renames and file creations.
 *
 * LH_CRASH_AT=N: the process kills itself with SIGKILL at the Nth crash
 * point, as a power cut or `kill -9` would.  Crash points sit after every
 * object the store commits and just before and after every catalog commit
 * of a job.  This is the one place the library ends the process, and only
 * when a test asks for it through the environment.
 *
 * Both read their variable once; the _set functions override it (tests).
 */
#ifndef LH_UTIL_FAULT_H
#define LH_UTIL_FAULT_H

/* 1 if this guarded I/O call must fail. */
int lh_fault_io(void);
void lh_fault_io_set(long n);
long lh_fault_io_count(void);

void lh_crashpoint(const char *where);

#endif
