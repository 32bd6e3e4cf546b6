/* pipeline/graph.h — the pipeline as a graph: tables and jobs as nodes,
 * reads and writes as edges, laid out left to right by zone.
 *
 * lh_graph_dot builds Graphviz DOT text from a loaded pipeline.  Table
 * nodes are grouped in one cluster per zone (landing, trusted, curated,
 * then any other zone), each zone in its own rank, left to right; a job
 * sits in the rank just before the zone of the table it writes.  An edge
 * that points backwards in that order (a trusted job reading a curated
 * table) is drawn but does not move the ranks.  When a catalog is given,
 * every job node carries its last run: status, duration, rows in and out
 * (or "never run").  Node ids are "table:db.t" and "job:NAME"; the SVG
 * groups carry id="table_db.t" / id="job_NAME" and class "node table" /
 * "node job STATUS" (succeeded, failed, running, never-run); edges carry
 * class "edge read" / "edge write".
 *
 * lh_graph_render_svg lays DOT text out with Graphviz's libraries
 * (libgvc/libcgraph: agmemread, gvLayout "dot", gvRenderData "svg"), in
 * memory, and appends a standalone SVG document.  Graphviz's own messages
 * are captured into err instead of being printed.  Graphviz keeps global
 * state: do not call it from two threads at once.
 *
 * lh_graph_tables lists every table the pipeline names (expected counts,
 * DDL sources, job targets and reads), ordered by zone and, within a zone,
 * by first mention.  A table's zone comes from expected_counts.csv; else
 * DDL sources are "landing"; else a name ending in _landing/_trusted/
 * _curated says it; else "other".
 *
 * Ownership: output is appended to the caller's lh_buf.  lh_graph_tables
 * returns an array to lh_free whose strings are borrowed from p (or static)
 * and live as long as p.
 *
 * Errors: LH_ENOMEM, LH_ELIMIT (buffer cap), catalog errors reading runs,
 * LH_EPARSE (Graphviz could not read the DOT text), LH_EINTERNAL (Graphviz
 * could not start, lay out or render, with its message).
 */
#ifndef LH_PIPELINE_GRAPH_H
#define LH_PIPELINE_GRAPH_H

#include <stddef.h>

#include "catalog/catalog.h"
#include "pipeline/pipeline.h"
#include "util/err.h"
#include "util/mem.h"

typedef struct lh_zone_table {
    const char *table; /* "db.table", borrowed from the pipeline */
    const char *zone;  /* "landing", "trusted", "curated", or another zone name */
    int zone_rank;     /* 0 landing, 1 trusted, 2 curated, 3 anything else */
    int is_source;     /* defined by a DDL script */
    int is_target;     /* written by a job */
} lh_zone_table;

lh_rc lh_graph_tables(const lh_pipeline *p, lh_zone_table **out, size_t *n, lh_err *err) LH_MUST_CHECK;

/* Rank of a zone name: 0 landing, 1 trusted, 2 curated, 3 other. */
int lh_graph_zone_rank(const char *zone);

/* DOT text of the pipeline graph, appended to out; cat may be NULL (no run facts). */
lh_rc lh_graph_dot(const lh_pipeline *p, lh_catalog *cat, lh_buf *out, lh_err *err) LH_MUST_CHECK;

/* Lay out DOT text (len bytes, need not be NUL-terminated) and append the SVG document. */
lh_rc lh_graph_render_svg(const char *dot, size_t len, lh_buf *out, lh_err *err) LH_MUST_CHECK;

/* lh_graph_dot followed by lh_graph_render_svg. */
lh_rc lh_graph_svg(const lh_pipeline *p, lh_catalog *cat, lh_buf *out, lh_err *err) LH_MUST_CHECK;

#endif
