/* exec/tz.h — time zones from the system tz database.
 *
 * A zone is an lh_zone key (a small integer, like Trino's TimeZoneKey):
 *   LH_ZONE_UTC (0)          UTC and its aliases (UTC, Z, GMT, UT, Etc/UTC, ...)
 *   1 .. LH_ZONE_MAX_NAMED   a region from the tz database ("America/New_York")
 *   LH_ZONE_FIXED(minutes)   a fixed offset ("+02:00", "-05:30"; +00:00 is UTC)
 *
 * Regions are read from TZif files under $TZDIR or /usr/share/zoneinfo
 * (Debian's tzdata).  Why a reader of our own, not localtime_r: localtime_r
 * answers for the process's one TZ, and switching it means setenv("TZ") +
 * tzset(), a global that races every other thread; a TZif file is a small
 * documented format (RFC 8536), so reading it gives per-zone answers with
 * no global state.  The v2 64-bit section gives the transitions; after the
 * last one the footer's POSIX rule ("EST5EDT,M3.2.0,M11.1.0") answers.
 *
 * A region is loaded once per process (lh_zone_lookup allocates then, under
 * a mutex) and stays until exit; after that every query about it is
 * lock-free and allocation-free: lh_zone_offset and lh_zone_local_to_utc
 * are safe on the hot path and from any thread.
 */
#ifndef LH_EXEC_TZ_H
#define LH_EXEC_TZ_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef int32_t lh_zone;

#define LH_ZONE_UTC 0
#define LH_ZONE_MAX_NAMED 4096
#define LH_ZONE_FIXED_BASE 0x100000
#define LH_ZONE_FIXED(minutes) ((lh_zone)(LH_ZONE_FIXED_BASE + 1000 + (minutes)))
#define LH_ZONE_NAME_MAX 256

/* Find or load a zone by Trino's spelling.  Errors: LH_EDATA
 * "Time zone not supported: Mars/Olympus" (unknown or unsafe name),
 * LH_ENOMEM, LH_ELIMIT when LH_ZONE_MAX_NAMED regions are loaded. */
lh_rc lh_zone_lookup(const char *name, size_t n, lh_zone *out, lh_err *err) LH_MUST_CHECK;

/* Its name as Trino prints it: "UTC", "America/New_York", "+02:00". */
const char *lh_zone_name(lh_zone z, char *buf, size_t bufsz);

/* Offset from UTC, in seconds east, at the instant utc_seconds. */
int32_t lh_zone_offset(lh_zone z, int64_t utc_seconds);

/* The UTC instant (seconds) of a wall-clock time in zone z, as Joda (and so
 * Trino) resolves it: in an overlap (clocks go back) the earlier instant;
 * in a gap (clocks go forward) the wall time is moved forward by the gap
 * ("02:30" on a spring-forward day is "03:30"). */
int64_t lh_zone_local_to_utc(lh_zone z, int64_t local_seconds);

#endif
