/* util/tmpfile.h — anonymous temporary files for spilling.
 *
 * An lh_tmpfile is a file in a given directory (the lake's
 * .lakehouse/tmp/, created 0700 with its parents when missing) that has no
 * name from the moment it exists: it is opened with O_TMPFILE where the
 * file system has it, else created with mkstemp and unlinked at once.  So
 * whatever way the process ends — an error, Ctrl-C, a crash, kill -9 — the
 * kernel frees its blocks when the descriptor closes, and nothing is left
 * behind to clean up.  Only a process that dies between mkstemp and unlink
 * (a few instructions) can leave a file "lh-spill-XXXXXX"; lh_tmpfile_create
 * removes such leftovers older than an hour whenever it runs.
 *
 * Writes are appended through a 256 KiB buffer; reads are positional
 * (pread) and see everything written so far (a read flushes the buffer
 * first).  Both are guarded I/O calls for fault injection (util/fault.h).
 *
 * Errors: LH_EIO / LH_ENOSPC / LH_EPERM with the directory and the system's
 * words; LH_ECORRUPT when a read runs past the end (a damaged file);
 * LH_ENOMEM.  Ownership: the caller owns the handle; lh_tmpfile_close
 * releases it (and so the file).  One thread at a time per handle.
 */
#ifndef LH_UTIL_TMPFILE_H
#define LH_UTIL_TMPFILE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef struct lh_tmpfile lh_tmpfile;

lh_rc lh_tmpfile_create(const char *dir, lh_tmpfile **out, lh_err *err) LH_MUST_CHECK;
/* Append n bytes. */
lh_rc lh_tmpfile_write(lh_tmpfile *f, const void *p, size_t n, lh_err *err) LH_MUST_CHECK;
/* Read exactly n bytes at off (< size). */
lh_rc lh_tmpfile_pread(lh_tmpfile *f, void *p, size_t n, uint64_t off, lh_err *err) LH_MUST_CHECK;
/* Bytes written so far (buffered ones included). */
uint64_t lh_tmpfile_size(const lh_tmpfile *f);
void lh_tmpfile_close(lh_tmpfile *f); /* NULL allowed */

#endif
