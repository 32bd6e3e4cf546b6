/* util/err.h — the one error convention of the library.
 *
 * Every fallible function returns an lh_rc and, when it fails, fills the
 * caller's lh_err with a message that names the thing (file:line, table,
 * key) and what was expected.  Codes never renumber; lh_strerror() names
 * them.  The library never aborts or exits: only main() decides that.
 *
 * Ownership: lh_err is a plain value owned by the caller (usually on the
 * stack).  A NULL lh_err* is allowed everywhere and drops the detail.
 */
#ifndef LH_UTIL_ERR_H
#define LH_UTIL_ERR_H

#include <stddef.h>

#define LH_MUST_CHECK __attribute__((warn_unused_result))
#define LH_PRINTF(a, b) __attribute__((format(printf, a, b)))

typedef enum lh_rc {
    LH_OK = 0,
    LH_ENOMEM = 1,       /* allocation failed */
    LH_EIO = 2,          /* read/write/fsync failed */
    LH_ENOTFOUND = 3,    /* object, table, database, file absent */
    LH_EPARSE = 4,       /* malformed input text (JSON, SQL, DDL) */
    LH_ESQL = 5,         /* SQLite reported an error */
    LH_EINVAL = 6,       /* bad argument or option */
    LH_EEXIST = 7,       /* already exists */
    LH_ECORRUPT = 8,     /* a file or catalog is damaged */
    LH_EUNSUPPORTED = 9, /* valid but not supported (yet) */
    LH_EDATA = 10,       /* a value cannot be converted to its type */
    LH_EBUSY = 11,       /* another process holds the lake */
    LH_EPERM = 12,       /* path escapes the lake, permission denied */
    LH_ENET = 13,        /* network failure */
    LH_EAUTH = 14,       /* credentials refused */
    LH_ELIMIT = 15,      /* a size or count limit was hit */
    LH_EINTERNAL = 16,   /* a bug: an invariant did not hold */
    LH_EVERIFY = 17,     /* verification found a difference */
    LH_ECANCELLED = 18,  /* interrupted on request (Ctrl-C, SIGTERM) */
    LH_ENOSPC = 19       /* the device is full (ENOSPC, EDQUOT, SQLITE_FULL) */
} lh_rc;

typedef struct lh_err {
    lh_rc code;
    char msg[1024];
} lh_err;

/* Name of a code, e.g. "parse error". Never NULL. */
const char *lh_strerror(lh_rc rc);

/* Set err (if not NULL) to code and the formatted message; return code. */
lh_rc lh_errf(lh_err *err, lh_rc code, const char *fmt, ...) LH_PRINTF(3, 4);

/* Prefix the existing message with "fmt: " (e.g. a file name). Returns err->code. */
lh_rc lh_err_prefix(lh_err *err, const char *fmt, ...) LH_PRINTF(2, 3);

/* Reset to LH_OK and an empty message. */
void lh_err_clear(lh_err *err);

#endif
