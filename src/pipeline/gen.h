/* pipeline/gen.h — the deterministic STEDI sample-data generator.
 *
 * Writes OUT_DIR/customer/landing/customer-<ms>.json,
 * OUT_DIR/accelerometer/landing/accelerometer-<ms>.json (several files)
 * and OUT_DIR/step_trainer/landing/step_trainer-<ms>.json (several files),
 * with the real data's schema and quirks: absent shareWith* keys rather
 * than nulls, varying key order, epoch-ms timestamps, several
 * accelerometer rows per timestamp, 3-digit birth years, file sizes like
 * the real ones.  The same (scale, seed) always gives the same bytes.
 *
 * At scale N it reproduces N times the facts of the real data:
 * 956 customers (unique emails and serials), 482 consenting; exactly 30
 * step-trainer readings per customer; 81,273 accelerometer rows, 40,981 of
 * them from consenting customers, each matching exactly one same-customer
 * step-trainer timestamp; 2,700 cross-customer pairs in the join on time
 * alone (so the ML table has 43,681 rows).
 *
 * Files are written whole to a temporary name and renamed into place.
 * Errors: LH_EINVAL (scale < 1 or > 100000), LH_EIO naming the path.
 */
#ifndef LH_PIPELINE_GEN_H
#define LH_PIPELINE_GEN_H

#include <stdint.h>

#include "util/err.h"

typedef struct lh_gen_stats {
    uint64_t customers, consenting, step_rows, accel_rows, accel_consenting_rows, cross_pairs, files, bytes;
} lh_gen_stats;

lh_rc lh_gen_stedi(const char *out_dir, int scale, uint64_t seed, lh_gen_stats *stats, lh_err *err) LH_MUST_CHECK;

#endif
