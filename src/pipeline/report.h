/* pipeline/report.h — the run report: one self-contained HTML page with the
 * row counts, every table zone by zone, the pipeline graph, the run history
 * and the consent facts the data shows.
 *
 * The page (no scripts, no external assets, no network) holds, in order:
 *   1. the table of counts: zone, table, expected (times scale), actual and
 *      a pass/fail mark, from lh_pipeline_verify — the first thing seen;
 *   2. per zone (landing, trusted, curated, other), every table the
 *      pipeline names: row count, expected-vs-actual mark, location or
 *      snapshot, columns with Hive types and comments (from the catalog),
 *      and a preview of its first rows (SELECT * ... LIMIT n);
 *   3. the pipeline graph as inline SVG (pipeline/graph.h);
 *   4. the run history: the last runs of each job with time, status,
 *      duration, rows in and out, and the error text of failed runs;
 *   5. the consent facts, each computed by its own SQL query against the
 *      tables (never the jobs' SQL): customers who consented; trusted and
 *      curated rows that belong to customers without consent (must be 0);
 *      machine-learning rows pairing two customers' readings; trusted
 *      readings taken before the customer's consent date.  The queries run
 *      against the database holding customer_landing (default "stedi").
 * Every text from data, catalog, file names and error messages is escaped
 * (& < > " ').  The CSS reads well in a narrow window (tables scroll
 * inside their boxes) and in print.
 *
 * A failing part (a missing table, a failed query, Graphviz unable to lay
 * out) shows "n/a" with the error in the page; it does not fail the report.
 * Only running out of memory, a buffer cap or (for _file) writing the file
 * fails it.
 *
 * Ownership: the engine and pipeline are borrowed.  lh_report_write appends
 * to the caller's lh_buf.  lh_report_write_file writes PATH.tmp-<pid> and
 * renames it over path, so a reader never sees half a page.
 *
 * Errors: LH_ENOMEM, LH_ELIMIT, LH_EIO (cannot write path, with the reason).
 */
#ifndef LH_PIPELINE_REPORT_H
#define LH_PIPELINE_REPORT_H

#include <stdint.h>

#include "pipeline/graph.h"
#include "pipeline/pipeline.h"
#include "sql/engine.h"
#include "util/err.h"
#include "util/mem.h"

typedef struct lh_report_opts {
    const char *title;        /* NULL: "Pipeline report: <last part of the pipeline dir>" */
    int64_t scale;            /* multiplier of the expected counts; <= 0 means 1 */
    int preview_rows;         /* rows previewed per table; <= 0 means 10; at most 1000 */
    int runs_per_job;         /* run-history entries per job; <= 0 means 5 */
    const char *generated_at; /* time shown in the header; NULL: now, UTC */
} lh_report_opts;

/* o may be NULL (all defaults). */
lh_rc lh_report_write(lh_engine *e, lh_pipeline *p, lh_buf *out, const lh_report_opts *o, lh_err *err) LH_MUST_CHECK;
lh_rc lh_report_write_file(lh_engine *e, lh_pipeline *p, const char *path, const lh_report_opts *o,
                           lh_err *err) LH_MUST_CHECK;

/* Append s (n bytes; need not be NUL-terminated) escaped for HTML text and
 * attribute values: & < > " ' become entities; C0 control characters other
 * than tab, newline and carriage return become U+FFFD. */
lh_rc lh_html_escape(lh_buf *out, const char *s, size_t n, lh_err *err) LH_MUST_CHECK;

#endif
