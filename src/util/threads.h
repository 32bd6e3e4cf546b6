/* util/threads.h — whether the library may use a background thread.
 *
 * The engine overlaps work on a second core in two places: the JSON-lines
 * reader scans the next chunk while SQLite consumes the current one, and
 * the Parquet writer encodes and compresses a finished row group while the
 * next one fills.  Each keeps every store call on the calling thread (the
 * S3 handle is not thread-safe); only CPU work moves.  Outputs are
 * byte-identical either way.
 *
 * LH_THREADS=1 in the environment turns the background threads off (one
 * core, as before); the default is on when the machine has more than one
 * CPU.  LH_THREADS=N also caps the workers of a parallel plan (a CREATE
 * TABLE AS split over its biggest table's objects) at N; the default is
 * one per CPU.  lh_threads_set overrides the environment (tests: run a case both
 * ways and compare).  Read once; cheap to call.
 */
#ifndef LH_UTIL_THREADS_H
#define LH_UTIL_THREADS_H

/* 1 if a background thread may be used. */
int lh_threads_enabled(void);
/* How many threads a parallel plan may run: LH_THREADS=N (N >= 1), else
 * the CPUs online; 1 whenever threads are off.  At most 64. */
int lh_threads_count(void);
/* 1 = allow, 0 = forbid, -1 = back to the environment's choice. */
void lh_threads_set(int on);

#endif
