/* exec/sqltype.h — Trino's SQL types as small values.
 *
 * An lh_sqltype is a plain 8-byte value (copy it freely, compare it with
 * lh_sqltype_equal).  The analyzer gives every expression one; the executor
 * switches on id and never guesses.  Parameters:
 *   decimal(p,s)          p in [1,38], s in [0,p]
 *   varchar(n) / char(n)  len = n; varchar without length has len = LH_SQL_UNBOUNDED
 *   time(p), timestamp(p), timestamp(p) with time zone
 *                         p in [0,6] (Trino accepts [0,12]; we store
 *                         microseconds, so 7..12 are refused as
 *                         LH_EUNSUPPORTED naming the type; nothing is
 *                         silently truncated)
 * Value representation (what a vector of each type holds):
 *   boolean uint8 0/1; tinyint..bigint int64 (range of the width);
 *   real float; double double; decimal __int128 unscaled (exec/decimal.h);
 *   varchar/char/varbinary (length, pointer); date int32 days since
 *   1970-01-01; time int64 micros since midnight; timestamp int64 micros
 *   since the epoch (wall clock, no zone); timestamp with time zone
 *   lh_tstz {UTC micros, zone key} (exec/datetime.h); interval day to
 *   second int64 micros; interval year to month int32 months.
 *
 * Nothing here allocates.  Errors are lh_rc + lh_err, worded as Trino's.
 */
#ifndef LH_EXEC_SQLTYPE_H
#define LH_EXEC_SQLTYPE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/types.h"

typedef enum lh_sqltype_id {
    LH_SQL_UNKNOWN = 0, /* the type of NULL */
    LH_SQL_BOOLEAN,
    LH_SQL_TINYINT,
    LH_SQL_SMALLINT,
    LH_SQL_INTEGER,
    LH_SQL_BIGINT,
    LH_SQL_REAL,
    LH_SQL_DOUBLE,
    LH_SQL_DECIMAL,
    LH_SQL_VARCHAR,
    LH_SQL_CHAR,
    LH_SQL_VARBINARY,
    LH_SQL_DATE,
    LH_SQL_TIME,
    LH_SQL_TIMESTAMP,
    LH_SQL_TIMESTAMP_TZ,
    LH_SQL_INTERVAL_DS, /* interval day to second */
    LH_SQL_INTERVAL_YM, /* interval year to month */
    LH_SQL_ID_COUNT
} lh_sqltype_id;

#define LH_SQL_UNBOUNDED UINT32_MAX
#define LH_DEC_MAX_PRECISION 38
#define LH_TS_MAX_PRECISION 6       /* what we store */
#define LH_TS_TRINO_MAX_PRECISION 12 /* what Trino accepts */
#define LH_VARCHAR_MAX_LENGTH 2147483646u
#define LH_CHAR_MAX_LENGTH 65536u
#define LH_SQLTYPE_NAME_MAX 64 /* longest name + NUL ("timestamp(6) with time zone", "varchar(2147483646)") */

typedef struct lh_sqltype {
    uint8_t id;   /* lh_sqltype_id */
    uint8_t p;    /* decimal precision; time/timestamp precision */
    uint8_t s;    /* decimal scale */
    uint8_t pad_;
    uint32_t len; /* varchar/char length; LH_SQL_UNBOUNDED for varchar */
} lh_sqltype;

/* Constructors (no validation: use lh_sqltype_check or parse for input). */
lh_sqltype lh_sqltype_of(lh_sqltype_id id); /* defaults: timestamp/time -> p 3, varchar unbounded, char(1), decimal(38,0) */
lh_sqltype lh_sqltype_decimal(int p, int s);
lh_sqltype lh_sqltype_varchar(uint32_t len); /* LH_SQL_UNBOUNDED for varchar */
lh_sqltype lh_sqltype_char(uint32_t len);
lh_sqltype lh_sqltype_timestamp(int p);
lh_sqltype lh_sqltype_timestamp_tz(int p);
lh_sqltype lh_sqltype_time(int p);

int lh_sqltype_equal(lh_sqltype a, lh_sqltype b);
int lh_sqltype_is_integer(lh_sqltype t);  /* tinyint..bigint */
int lh_sqltype_is_exact(lh_sqltype t);    /* integer or decimal */
int lh_sqltype_is_numeric(lh_sqltype t);  /* integer, decimal, real, double */
int lh_sqltype_is_string(lh_sqltype t);   /* varchar or char */
int lh_sqltype_is_datetime(lh_sqltype t); /* date, time, timestamp, timestamp tz */
int lh_sqltype_is_interval(lh_sqltype t);
/* Integer widths: 8, 16, 32, 64; 0 for other types. */
int lh_sqltype_int_bits(lh_sqltype t);

/* Validate parameters; LH_EINVAL with Trino's wording ("DECIMAL precision
 * must be in range [1, 38]: 40"), LH_EUNSUPPORTED for timestamp(7..12). */
lh_rc lh_sqltype_check(lh_sqltype t, lh_err *err) LH_MUST_CHECK;

/* Parse a Trino type name, case-insensitive, extra spaces allowed:
 * boolean, tinyint, smallint, integer/int, bigint, real, double,
 * double precision, decimal[(p[,s])] (decimal = decimal(38,0), decimal(p) =
 * decimal(p,0)), varchar[(n)], char[(n)] (char = char(1)), varbinary,
 * date, time[(p)], timestamp[(p)] [with[out] time zone] (default p 3),
 * interval day to second, interval year to month, unknown.
 * Errors: LH_EPARSE "Unknown type: x"; LH_EINVAL out-of-range parameters;
 * LH_EUNSUPPORTED for array/map/row, time with time zone, p > 6. */
lh_rc lh_sqltype_parse(const char *text, size_t n, lh_sqltype *out, lh_err *err) LH_MUST_CHECK;

/* The type as Trino prints it: "decimal(10,2)", "varchar(5)", "varchar",
 * "char(3)", "timestamp(3)", "timestamp(3) with time zone", "time(3)",
 * "interval day to second", "interval year to month", "unknown".  Returns
 * buf (bufsz >= LH_SQLTYPE_NAME_MAX never truncates). */
const char *lh_sqltype_name(lh_sqltype t, char *buf, size_t bufsz);
/* Upper-case spelling used in cast errors: "BIGINT", "VARCHAR", "DECIMAL(10, 2)". */
const char *lh_sqltype_cast_name(lh_sqltype t, char *buf, size_t bufsz);

/* The catalog's Hive type onto Trino's: string -> varchar, int -> integer,
 * float -> real, timestamp -> timestamp(3), binary -> varbinary, the rest by
 * name.  array/map/struct: LH_EUNSUPPORTED naming the type. */
lh_rc lh_sqltype_from_hive(const lh_type *hive, lh_sqltype *out, lh_err *err) LH_MUST_CHECK;
lh_rc lh_sqltype_from_hive_name(const char *text, size_t n, lh_sqltype *out, lh_err *err) LH_MUST_CHECK;

#endif
