/* util/names.h — the rules for names that enter the catalog, and the
 * "did you mean" search for a misspelt one.
 *
 * Athena (and Glue through it) accepts database and table names of
 * lower-case letters, digits and underscore; names are folded to lower
 * case before they are checked, so `Stedi` is stedi.  Column names may be
 * quoted in backticks or double quotes and then hold any printable
 * character except the quote characters (" ` '), the backslash and
 * control characters (bytes below 0x20 and 0x7F): those are what a
 * statement built from the name could misread.  Names are 1 to 255 bytes
 * (Glue's limit).  "main" and "temp" are refused as database names: the
 * query engine (SQLite) reserves them.  A table holds at most
 * LH_MAX_COLUMNS columns.
 *
 * The checks run where a name enters the catalog (DDL and CTAS), never on
 * lookup, so a catalog written before these rules still opens and every
 * name in it can still be read and dropped.
 *
 * Errors: LH_EINVAL with a message naming the kind ("database", "table",
 * "column"), the name (control bytes shown as \xNN) and the rule.
 * Nothing here allocates except lh_name_nearest's result.
 */
#ifndef LH_UTIL_NAMES_H
#define LH_UTIL_NAMES_H

#include <stddef.h>

#include "util/err.h"

#define LH_NAME_MAX 255
#define LH_MAX_COLUMNS 1999 /* SQLite, which runs queries today, allows 2000 with the hidden "$path" */

/* kind is "database" or "table" (used in the message). */
lh_rc lh_name_check_object(const char *kind, const char *name, lh_err *err) LH_MUST_CHECK;
lh_rc lh_name_check_column(const char *name, lh_err *err) LH_MUST_CHECK;

/* Levenshtein distance of a and b (bytes), capped at 255. */
unsigned lh_edit_distance(const char *a, const char *b);

/* The candidate nearest to name (case-insensitive), if it is close enough
 * to be a likely typo (distance at most 2, or at most a third of the
 * length for long names), else NULL.  Borrowed from cands. */
const char *lh_name_nearest(const char *name, const char *const *cands, size_t n);

#endif
