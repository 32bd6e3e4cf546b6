/* pipeline/ingest.h — copy a local file or folder tree into the object
 * store, like `aws s3 cp --recursive`.
 *
 * SRC a file: copied to URI (or to URI/basename when URI ends in '/').
 * SRC a folder: every regular file below it is copied to URI/<relative path>;
 * hidden files and folders (names starting with '.') are skipped, symlinks
 * are not followed.  An object whose bytes already equal the file's is left
 * alone, so ingesting the same files again changes nothing.
 *
 * Entries that are not regular files or folders (symlinks, FIFOs, sockets,
 * devices) are skipped and reported (stats.files_skipped, on_skip).
 * If some were skipped and the tree held no regular file at all, the
 * ingest fails (LH_EINVAL): nothing was ingested.  SRC itself must be a
 * folder (a symbolic link to a folder is followed) or a regular file; a
 * symbolic link to a file, a FIFO, socket or device is LH_EINVAL naming it.
 * Every file is opened O_NONBLOCK | O_NOFOLLOW and checked with fstat, so
 * an entry swapped for a FIFO or link after the listing is refused, never
 * waited on or followed.
 */
#ifndef LH_PIPELINE_INGEST_H
#define LH_PIPELINE_INGEST_H

#include <stdint.h>

#include "catalog/catalog.h"
#include "store/store.h"
#include "util/err.h"

typedef struct lh_ingest_stats {
    uint64_t files_copied, files_unchanged, bytes_copied;
    /* Entries below a SRC folder that are neither regular files nor
     * folders (symbolic links, FIFOs, sockets, devices): never followed or
     * read, but counted, and each is passed to on_skip. */
    uint64_t files_skipped;
} lh_ingest_stats;

/* Called once per skipped entry: path is SRC/relative path, kind "a
 * symbolic link", "a FIFO", ...; both valid during the call only. */
typedef void (*lh_ingest_skip_fn)(void *ctx, const char *path, const char *kind);

lh_rc lh_ingest(lh_store *s, const char *src, const char *uri, lh_ingest_stats *stats, lh_err *err) LH_MUST_CHECK;
/* lh_ingest, calling on_skip (may be NULL) for each skipped entry. */
lh_rc lh_ingest_ex(lh_store *s, const char *src, const char *uri, lh_ingest_skip_fn on_skip, void *skip_ctx,
                   lh_ingest_stats *stats, lh_err *err) LH_MUST_CHECK;

/* lh_ingest_ex into a lake with catalog c (NULL: as lh_ingest_ex): takes the
 * lake's writer lock for the copy (LH_EBUSY naming the holder when a job,
 * run or vacuum holds it), and refuses (LH_EEXIST, naming the object and
 * the table, before anything is copied) when an object would land inside
 * a managed table's location: that prefix is its job's alone.  Copying
 * into an EXTERNAL table's location is how landing data arrives, and a
 * target that merely contains managed locations (the bucket root) is
 * fine as long as no object lands inside one. */
lh_rc lh_ingest_lake(lh_store *s, lh_catalog *c, const char *src, const char *uri, lh_ingest_skip_fn on_skip,
                     void *skip_ctx, lh_ingest_stats *stats, lh_err *err) LH_MUST_CHECK;

#endif
