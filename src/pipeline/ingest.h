/* pipeline/ingest.h — copy a local file or folder tree into the object
 * store, like `aws s3 cp --recursive`.
 *
 * SRC a file: copied to URI (or to URI/basename when URI ends in '/').
 * SRC a folder: every regular file below it is copied to URI/<relative path>;
 * hidden files and folders (names starting with '.') are skipped, symlinks
 * are not followed.  An object whose bytes already equal the file's is left
 * alone, so ingesting the same files again changes nothing.
 */
#ifndef LH_PIPELINE_INGEST_H
#define LH_PIPELINE_INGEST_H

#include <stdint.h>

#include "catalog/catalog.h"
#include "store/store.h"
#include "util/err.h"

typedef struct lh_ingest_stats {
    uint64_t files_copied, files_unchanged, bytes_copied;
} lh_ingest_stats;

lh_rc lh_ingest(lh_store *s, const char *src, const char *uri, lh_ingest_stats *stats, lh_err *err) LH_MUST_CHECK;

/* lh_ingest into a lake with catalog c (NULL: as lh_ingest): takes the
 * lake's writer lock for the copy (LH_EBUSY naming the holder when a job,
 * run or vacuum holds it), and refuses (LH_EEXIST, naming the object and
 * the table, before anything is copied) when an object would land inside
 * a managed table's location: that prefix is its job's alone.  Copying
 * into an EXTERNAL table's location is how landing data arrives, and a
 * target that merely contains managed locations (the bucket root) is
 * fine as long as no object lands inside one. */
lh_rc lh_ingest_lake(lh_store *s, lh_catalog *c, const char *src, const char *uri, lh_ingest_stats *stats,
                     lh_err *err) LH_MUST_CHECK;

#endif
