#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *lh_strerror(lh_rc rc)
{
    switch (rc) {
    case LH_OK: return "ok";
    case LH_ENOMEM: return "out of memory";
    case LH_EIO: return "I/O error";
    case LH_ENOTFOUND: return "not found";
    case LH_EPARSE: return "parse error";
    case LH_ESQL: return "SQL error";
    case LH_EINVAL: return "invalid argument";
    case LH_EEXIST: return "already exists";
    case LH_ECORRUPT: return "corrupt data";
    case LH_EUNSUPPORTED: return "not supported";
    case LH_EDATA: return "bad data";
    case LH_EBUSY: return "busy";
    case LH_EPERM: return "permission denied";
    case LH_ENET: return "network error";
    case LH_EAUTH: return "access denied";
    case LH_ELIMIT: return "limit exceeded";
    case LH_EINTERNAL: return "internal error";
    case LH_EVERIFY: return "verification failed";
    case LH_ECANCELLED: return "cancelled";
    case LH_ENOSPC: return "no space left on the device";
    }
    return "unknown error";
}

lh_rc lh_errf(lh_err *err, lh_rc code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

lh_rc lh_err_prefix(lh_err *err, const char *fmt, ...)
{
    char pre[512], old[sizeof err->msg];
    va_list ap;
    if (!err)
        return LH_EINTERNAL;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    if (snprintf(err->msg, sizeof err->msg, "%s: %s", pre, old) < 0)
        err->msg[0] = 0; /* truncation is fine: messages are bounded */
    return err->code;
}

void lh_err_clear(lh_err *err)
{
    if (err) {
        err->code = LH_OK;
        err->msg[0] = 0;
    }
}
