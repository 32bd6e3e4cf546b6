/* functions/scalar.c — the lookup over the families' tables (scalar.h). */
#include "functions/scalar.h"

#include <string.h>

static const lh_scalar_entry *const FAMILIES[] = {lh_fns_math, lh_fns_string, lh_fns_regex, lh_fns_datetime,
                                                lh_fns_math2, lh_fns_string2, lh_fns_datetime3, lh_fns_joda,
                                                lh_fns_format, lh_fns_misc, lh_fns_url,
                                                lh_fns_json};

const lh_scalar_impl *lh_scalar_find(const char *name, const lh_sqltype *args, size_t nargs, lh_sqltype ret)
{
    size_t f;
    const lh_scalar_entry *e;
    for (f = 0; f < sizeof FAMILIES / sizeof FAMILIES[0]; f++)
        for (e = FAMILIES[f]; e->name; e++)
            if (!strcmp(e->name, name) && (!e->accepts || e->accepts(args, nargs, ret)))
                return &e->impl;
    return NULL;
}
