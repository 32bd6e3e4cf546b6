/* util/names.c — see names.h. */
#include "util/names.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* name with control bytes and quotes escaped, cut to fit buf */
static const char *shown(const char *name, char *buf, size_t bufsz)
{
    size_t i, k = 0;
    for (i = 0; name[i] && k + 5 < bufsz; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
            snprintf(buf + k, bufsz - k, "\\x%02X", c);
            k += 4;
        } else
            buf[k++] = (char)c;
    }
    if (name[i] && k + 4 < bufsz) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = 0;
    return buf;
}

lh_rc lh_name_check_object(const char *kind, const char *name, lh_err *err)
{
    char b[96];
    size_t i, n = strlen(name);
    if (n == 0)
        return lh_errf(err, LH_EINVAL, "a %s name cannot be empty", kind);
    if (n > LH_NAME_MAX)
        return lh_errf(err, LH_EINVAL, "%s name \"%s\" is %zu bytes long; names are at most %d", kind,
                       shown(name, b, sizeof b), n, LH_NAME_MAX);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!(islower(c) || isdigit(c) || c == '_') || c >= 0x80)
            return lh_errf(err, LH_EINVAL,
                           "%s name \"%s\" is not allowed: %s names hold only lower-case letters, digits and "
                           "underscore (Athena's rule); byte %zu is not one",
                           kind, shown(name, b, sizeof b), kind, i + 1);
    }
    if (!strcmp(kind, "database") && (!strcmp(name, "main") || !strcmp(name, "temp")))
        return lh_errf(err, LH_EINVAL, "database name \"%s\" is reserved by the query engine; choose another", name);
    return LH_OK;
}

lh_rc lh_name_check_column(const char *name, lh_err *err)
{
    char b[96];
    size_t i, n = strlen(name);
    if (n == 0)
        return lh_errf(err, LH_EINVAL, "a column name cannot be empty");
    if (n > LH_NAME_MAX)
        return lh_errf(err, LH_EINVAL, "column name \"%s\" is %zu bytes long; names are at most %d",
                       shown(name, b, sizeof b), n, LH_NAME_MAX);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c == 0x7F || c == '"' || c == '`' || c == '\'' || c == '\\')
            return lh_errf(err, LH_EINVAL,
                           "column name \"%s\" is not allowed: column names cannot hold quotes (\" ` '), "
                           "backslashes or control characters; byte %zu is one",
                           shown(name, b, sizeof b), i + 1);
    }
    return LH_OK;
}

unsigned lh_edit_distance(const char *a, const char *b)
{
    unsigned row[LH_NAME_MAX + 2];
    size_t la = strlen(a), lb = strlen(b), i, j;
    if (la > LH_NAME_MAX || lb > LH_NAME_MAX)
        return 255;
    for (j = 0; j <= lb; j++)
        row[j] = (unsigned)j;
    for (i = 1; i <= la; i++) {
        unsigned diag = row[0];
        row[0] = (unsigned)i;
        for (j = 1; j <= lb; j++) {
            unsigned up = row[j], best;
            int same = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);
            best = diag + (same ? 0 : 1);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb] > 255 ? 255 : row[lb];
}

const char *lh_name_nearest(const char *name, const char *const *cands, size_t n)
{
    const char *best = NULL;
    unsigned bestd = 256, limit;
    size_t i, len = strlen(name);
    limit = len >= 9 ? (unsigned)(len / 3) : 2;
    if (len <= 2)
        limit = 1;
    for (i = 0; i < n; i++) {
        unsigned d = lh_edit_distance(name, cands[i]);
        if (d < bestd) {
            bestd = d;
            best = cands[i];
        }
    }
    return best && bestd <= limit && bestd > 0 ? best : NULL;
}
