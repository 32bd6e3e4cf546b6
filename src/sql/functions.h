/* sql/functions.h — Athena (Trino) functions registered on a SQLite
 * connection, so Athena SQL runs unchanged.
 *
 * Timestamps are TEXT 'YYYY-MM-DD HH:MM:SS.mmm' in UTC (see util/types.h).
 *   from_unixtime(seconds)            -> timestamp text (seconds may be REAL)
 *   to_unixtime(timestamp)            -> REAL seconds
 *   date_format(timestamp, format)    -> TEXT, MySQL-style specifiers as in
 *                                        Trino (%Y %y %m %c %d %e %H %k %h %I
 *                                        %i %s %S %f %p %j %a %b %M %W %T %r %%)
 *   date_parse(text, format)          -> timestamp text
 *   date_trunc(unit, timestamp)       -> timestamp text; unit is one of
 *                                        second minute hour day week month
 *                                        quarter year
 *   date_add(unit, n, timestamp), date_diff(unit, t1, t2)
 *   from_iso8601_timestamp(text), to_iso8601(timestamp)
 *   now()                             -> current timestamp text
 *   cardinality-free string helpers Athena users meet:
 *     strpos(s, sub), split_part(s, delim, i), regexp_like(s, pattern)
 *     (POSIX extended regex), lpad/rpad(s, n, pad), reverse(s),
 *     starts_with(s, prefix), concat_ws(sep, ...)
 *   greatest(...), least(...)   (SQLite's max/min of several arguments,
 *                                but NULL if any argument is NULL, as Trino)
 * Invalid arguments (an unparseable timestamp, an unknown unit) raise an
 * SQL error naming the function and the bad value; NULL in gives NULL out.
 *
 * current_timestamp is SQLite's own keyword ('YYYY-MM-DD HH:MM:SS', UTC).
 */
#ifndef LH_SQL_FUNCTIONS_H
#define LH_SQL_FUNCTIONS_H

#include <sqlite3.h>

#include "util/err.h"

lh_rc lh_sql_register_functions(sqlite3 *db, lh_err *err) LH_MUST_CHECK;

#endif
