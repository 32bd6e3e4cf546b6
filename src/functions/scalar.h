/* functions/scalar.h — the scalar function implementations, by name and
 * argument types (Trino semantics; the analyzer's registry,
 * plan/functions.h, decides names, signatures and result types).
 *
 * lh_scalar_find returns the implementation of `name` for arguments of
 * exactly the given types (after the analyzer's coercions) and result type
 * `ret`, or NULL when it is not implemented for them (the planner then
 * refuses the query with LH_EUNSUPPORTED naming the function).  Names are
 * the registry's lower-case names; a few internal ones start with '$'
 * and implement operators on dates, times and intervals:
 *   $add(a, b), $subtract(a, b)   date/time/timestamp/tstz +- interval,
 *                                 interval +- interval, timestamp - timestamp, date - date
 *   $multiply(interval, number), $multiply(number, interval), $divide(interval, number)
 *   $negate(interval)
 *   $at_timezone(ts with tz or timestamp, varchar zone)   AT TIME ZONE
 *   $extract_<field>(x)            EXTRACT(field FROM x) (year, month, ..., timezone_hour)
 *
 * Each family lives in its own file (fn_math.c, fn_string.c, fn_regex.c,
 * fn_datetime.c) and exports a table terminated by a NULL name; the
 * `accepts` callback of an entry says whether it implements a given
 * signature.  Nothing here allocates except in init (state) and in the
 * call's arena (result strings).
 */
#ifndef LH_FUNCTIONS_SCALAR_H
#define LH_FUNCTIONS_SCALAR_H

#include "exec/expr.h"

typedef struct lh_scalar_entry {
    const char *name;
    /* 1 when impl handles these argument types and result type. */
    int (*accepts)(const lh_sqltype *args, size_t nargs, lh_sqltype ret);
    lh_scalar_impl impl;
} lh_scalar_entry;

extern const lh_scalar_entry lh_fns_math[];
extern const lh_scalar_entry lh_fns_string[];
extern const lh_scalar_entry lh_fns_regex[];
extern const lh_scalar_entry lh_fns_datetime[];
extern const lh_scalar_entry lh_fns_math2[];   /* fn_math2.c */
extern const lh_scalar_entry lh_fns_string2[]; /* fn_string2.c */
extern const lh_scalar_entry lh_fns_datetime3[]; /* fn_datetime3.c */
extern const lh_scalar_entry lh_fns_joda[];      /* fn_joda.c */
extern const lh_scalar_entry lh_fns_format[];    /* fn_format.c */
extern const lh_scalar_entry lh_fns_misc[];      /* fn_misc.c */
extern const lh_scalar_entry lh_fns_url[];       /* fn_url.c */
extern const lh_scalar_entry lh_fns_json[];      /* fn_json.c */

const lh_scalar_impl *lh_scalar_find(const char *name, const lh_sqltype *args, size_t nargs, lh_sqltype ret);

#endif
