/* pipeline/graph.c — the pipeline graph as DOT, laid out by Graphviz (see graph.h). */
#include "pipeline/graph.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include "util/dl.h"

#define NZONES 4

static const char *const k_zone_names[] = {"landing", "trusted", "curated"};

int lh_graph_zone_rank(const char *zone)
{
    size_t i;
    for (i = 0; zone && i < sizeof k_zone_names / sizeof k_zone_names[0]; i++)
        if (!strcasecmp(zone, k_zone_names[i]))
            return (int)i;
    return 3;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcasecmp(s + a - b, suffix);
}

/* ---- the table list ---- */

typedef struct tlist {
    lh_zone_table *v;
    size_t n, alloc;
} tlist;

static lh_zone_table *tlist_find(tlist *t, const char *table)
{
    size_t i;
    for (i = 0; i < t->n; i++)
        if (!strcasecmp(t->v[i].table, table))
            return &t->v[i];
    return NULL;
}

static lh_rc tlist_add(tlist *t, const char *table, const char *zone, lh_err *err)
{
    lh_zone_table *z = tlist_find(t, table);
    if (z)
        return LH_OK;
    if (t->n == t->alloc) {
        size_t na = t->alloc ? t->alloc * 2 : 16;
        lh_zone_table *nv = lh_realloc(t->v, na * sizeof *nv);
        if (!nv)
            return lh_errf(err, LH_ENOMEM, "out of memory listing the pipeline's tables");
        t->v = nv;
        t->alloc = na;
    }
    z = &t->v[t->n++];
    memset(z, 0, sizeof *z);
    z->table = table;
    z->zone = zone;
    return LH_OK;
}

static const char *zone_from_name(const char *table, int is_source)
{
    if (ends_with(table, "_landing") || is_source)
        return "landing";
    if (ends_with(table, "_trusted"))
        return "trusted";
    if (ends_with(table, "_curated"))
        return "curated";
    return "other";
}

lh_rc lh_graph_tables(const lh_pipeline *p, lh_zone_table **out, size_t *n, lh_err *err)
{
    tlist t = {0};
    lh_zone_table *sorted = NULL;
    size_t i, k, m = 0;
    int r;
    lh_rc rc = LH_OK;
    *out = NULL;
    *n = 0;
    for (i = 0; !rc && i < lh_pipeline_expected_count(p); i++) {
        const lh_expected *x = lh_pipeline_expected(p, i);
        rc = tlist_add(&t, x->table, x->zone, err);
    }
    for (i = 0; !rc && i < lh_pipeline_source_count(p); i++)
        rc = tlist_add(&t, lh_pipeline_source(p, i), NULL, err);
    for (i = 0; !rc && i < lh_pipeline_job_count(p); i++) {
        const lh_job_info *j = lh_pipeline_job(p, i);
        rc = tlist_add(&t, j->target, NULL, err);
        for (k = 0; !rc && k < j->n_reads; k++)
            rc = tlist_add(&t, j->reads[k], NULL, err);
    }
    if (rc)
        goto out;
    for (i = 0; i < lh_pipeline_source_count(p); i++) {
        lh_zone_table *z = tlist_find(&t, lh_pipeline_source(p, i));
        if (z)
            z->is_source = 1;
    }
    for (i = 0; i < lh_pipeline_job_count(p); i++) {
        lh_zone_table *z = tlist_find(&t, lh_pipeline_job(p, i)->target);
        if (z)
            z->is_target = 1;
    }
    for (i = 0; i < t.n; i++) {
        if (!t.v[i].zone)
            t.v[i].zone = zone_from_name(t.v[i].table, t.v[i].is_source && !t.v[i].is_target);
        t.v[i].zone_rank = lh_graph_zone_rank(t.v[i].zone);
    }
    sorted = lh_calloc(t.n ? t.n : 1, sizeof *sorted);
    if (!sorted) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory listing the pipeline's tables");
        goto out;
    }
    for (r = 0; r < NZONES; r++)
        for (i = 0; i < t.n; i++)
            if (t.v[i].zone_rank == r)
                sorted[m++] = t.v[i];
    *out = sorted;
    *n = m;
    sorted = NULL;
out:
    lh_free(sorted);
    lh_free(t.v);
    return rc;
}

/* ---- DOT text ---- */

/* Append s as the inside of a DOT double-quoted string. */
static lh_rc dot_str(lh_buf *b, const char *s, lh_err *err)
{
    lh_rc rc = LH_OK;
    for (; *s && !rc; s++) {
        if (*s == '"' || *s == '\\')
            rc = lh_buf_putc(b, '\\', err);
        if (!rc)
            rc = lh_buf_putc(b, (*s == '\n' || *s == '\r') ? ' ' : *s, err);
    }
    return rc;
}

/* A quoted DOT id: "prefix:name". */
static lh_rc dot_id(lh_buf *b, const char *prefix, const char *name, lh_err *err)
{
    lh_rc rc = lh_buf_printf(b, err, "\"%s:", prefix);
    if (!rc)
        rc = dot_str(b, name, err);
    if (!rc)
        rc = lh_buf_putc(b, '"', err);
    return rc;
}

static void fmt_ms(int64_t ms, char *buf, size_t n)
{
    if (ms < 0)
        snprintf(buf, n, "running");
    else if (ms < 1000)
        snprintf(buf, n, "%lld ms", (long long)ms);
    else if (ms < 600000)
        snprintf(buf, n, "%.1f s", (double)ms / 1000.0);
    else
        snprintf(buf, n, "%.1f min", (double)ms / 60000.0);
}

static void fmt_int(int64_t v, char *buf, size_t n)
{
    char tmp[32];
    size_t len, i, o = 0;
    int neg = v < 0;
    unsigned long long u = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    snprintf(tmp, sizeof tmp, "%llu", u);
    len = strlen(tmp);
    if (neg && o + 1 < n)
        buf[o++] = '-';
    for (i = 0; i < len && o + 2 < n; i++) {
        if (i && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = 0;
}

static lh_rc job_node(lh_buf *b, const lh_job_info *j, lh_catalog *cat, lh_err *err)
{
    lh_run_info *runs = NULL;
    size_t nruns = 0;
    const char *fill = "#f3f4f6", *line = "#9ca3af";
    char dur[32], rin[32], rout[32];
    lh_rc rc = LH_OK;
    if (cat) {
        rc = lh_catalog_list_runs(cat, j->name, 1, &runs, &nruns, err);
        if (rc)
            goto out;
    }
    if (nruns) {
        if (!strcmp(runs[0].status, "succeeded"))
            fill = "#dcfce7", line = "#15803d";
        else if (!strcmp(runs[0].status, "failed") || !strcmp(runs[0].status, "abandoned"))
            fill = "#fee2e2", line = "#b91c1c"; /* abandoned: its process died mid-run */
        else
            fill = "#fef3c7", line = "#b45309";
    }
    rc = dot_id(b, "job", j->name, err);
    if (!rc)
        rc = lh_buf_puts(b, " [id=\"job_", err);
    if (!rc)
        rc = dot_str(b, j->name, err);
    if (!rc)
        rc = lh_buf_printf(b, err, "\", class=\"job %s\", shape=box, style=\"filled\", fillcolor=\"%s\", color=\"%s\","
                           " label=\"", nruns ? (!strcmp(runs[0].status, "succeeded")   ? "succeeded"
                                                  : !strcmp(runs[0].status, "failed")    ? "failed"
                                                  : !strcmp(runs[0].status, "cancelled") ? "cancelled"
                                                  : !strcmp(runs[0].status, "abandoned") ? "abandoned"
                                                                                         : "running")
                                            : "never-run",
                           fill, line);
    if (!rc)
        rc = dot_str(b, j->name, err);
    if (!rc && !nruns)
        rc = lh_buf_puts(b, "\\nnever run", err);
    if (!rc && nruns) {
        fmt_ms(runs[0].duration_ms, dur, sizeof dur);
        if (runs[0].duration_ms < 0 && strcmp(runs[0].status, "running"))
            snprintf(dur, sizeof dur, "unknown time"); /* abandoned before it ended */
        fmt_int(runs[0].rows_read, rin, sizeof rin);
        fmt_int(runs[0].rows_written, rout, sizeof rout);
        rc = lh_buf_puts(b, "\\n", err);
        if (!rc)
            rc = dot_str(b, runs[0].status, err);
        if (!rc)
            rc = lh_buf_printf(b, err, " in %s\\n%s rows in, %s out", dur, runs[0].rows_read < 0 ? "?" : rin,
                               runs[0].rows_written < 0 ? "?" : rout);
    }
    if (!rc)
        rc = lh_buf_puts(b, "\"];\n", err);
out:
    lh_run_info_free(runs, nruns);
    return rc;
}

static int table_rank(const lh_zone_table *t, size_t nt, const char *table)
{
    size_t i;
    for (i = 0; i < nt; i++)
        if (!strcasecmp(t[i].table, table))
            return t[i].zone_rank * 2 + 1;
    return 7;
}

lh_rc lh_graph_dot(const lh_pipeline *p, lh_catalog *cat, lh_buf *b, lh_err *err)
{
    lh_zone_table *t = NULL;
    size_t nt = 0, i, k, nj = lh_pipeline_job_count(p);
    /* ranks: 2z = jobs writing zone z, 2z+1 = tables of zone z */
    const char *first[2 * NZONES];
    const char *first_kind[2 * NZONES];
    int r, prev;
    lh_rc rc;
    memset(first, 0, sizeof first);
    memset(first_kind, 0, sizeof first_kind);
    rc = lh_graph_tables(p, &t, &nt, err);
    if (rc)
        goto out;
    rc = lh_buf_puts(b,
                     "digraph pipeline {\n"
                     "  graph [rankdir=LR, newrank=true, ranksep=0.45, nodesep=0.22, pad=0.15,"
                     " fontname=\"Helvetica,Arial,sans-serif\", fontsize=12, bgcolor=\"transparent\"];\n"
                     "  node [fontname=\"Helvetica,Arial,sans-serif\", fontsize=10, penwidth=1.2, margin=\"0.12,0.06\"];\n"
                     "  edge [color=\"#64748b\", arrowsize=0.7];\n",
                     err);
    /* one cluster per zone holding its tables */
    for (r = 0; !rc && r < NZONES; r++) {
        int opened = 0;
        for (i = 0; !rc && i < nt; i++) {
            if (t[i].zone_rank != r)
                continue;
            if (!opened) {
                rc = lh_buf_printf(b, err,
                                   "  subgraph \"cluster_zone%d\" {\n    label=\"%s\"; labeljust=l; style=\"rounded,filled\";"
                                   " color=\"#cbd5e1\"; fillcolor=\"%s\"; fontcolor=\"#334155\";\n",
                                   r, r < 3 ? k_zone_names[r] : "other",
                                   r == 0 ? "#fff7ed" : r == 1 ? "#eff6ff" : r == 2 ? "#f0fdf4" : "#f8fafc");
                opened = 1;
                first[2 * r + 1] = t[i].table;
                first_kind[2 * r + 1] = "table";
            }
            if (!rc)
                rc = lh_buf_puts(b, "    ", err);
            if (!rc)
                rc = dot_id(b, "table", t[i].table, err);
            if (!rc)
                rc = lh_buf_puts(b, " [id=\"table_", err);
            if (!rc)
                rc = dot_str(b, t[i].table, err);
            if (!rc)
                rc = lh_buf_puts(b, "\", class=\"table\", shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#475569\","
                                    " label=\"",
                                 err);
            if (!rc)
                rc = dot_str(b, t[i].table, err);
            if (!rc)
                rc = lh_buf_puts(b, t[i].is_source && !t[i].is_target ? "\\nexternal table\"];\n"
                                                                      : "\\njob output\"];\n",
                                 err);
        }
        if (!rc && opened)
            rc = lh_buf_puts(b, "  }\n", err);
    }
    /* jobs, then one rank=same group per rank */
    for (i = 0; !rc && i < nj; i++) {
        const lh_job_info *j = lh_pipeline_job(p, i);
        int jr = table_rank(t, nt, j->target) - 1;
        rc = lh_buf_puts(b, "  ", err);
        if (!rc)
            rc = job_node(b, j, cat, err);
        if (!first[jr]) {
            first[jr] = j->name;
            first_kind[jr] = "job";
        }
    }
    for (r = 0; !rc && r < 2 * NZONES; r++) {
        if (!first[r])
            continue;
        rc = lh_buf_puts(b, "  { rank=same;", err);
        for (i = 0; !rc && (r % 2) && i < nt; i++)
            if (t[i].zone_rank * 2 + 1 == r) {
                rc = lh_buf_putc(b, ' ', err);
                if (!rc)
                    rc = dot_id(b, "table", t[i].table, err);
                if (!rc)
                    rc = lh_buf_putc(b, ';', err);
            }
        for (i = 0; !rc && !(r % 2) && i < nj; i++) {
            const lh_job_info *j = lh_pipeline_job(p, i);
            if (table_rank(t, nt, j->target) - 1 == r) {
                rc = lh_buf_putc(b, ' ', err);
                if (!rc)
                    rc = dot_id(b, "job", j->name, err);
                if (!rc)
                    rc = lh_buf_putc(b, ';', err);
            }
        }
        if (!rc)
            rc = lh_buf_puts(b, " }\n", err);
    }
    /* invisible chain keeping the ranks in zone order */
    for (r = 0, prev = -1; !rc && r < 2 * NZONES; r++) {
        if (!first[r])
            continue;
        if (prev >= 0) {
            rc = lh_buf_puts(b, "  ", err);
            if (!rc)
                rc = dot_id(b, first_kind[prev], first[prev], err);
            if (!rc)
                rc = lh_buf_puts(b, " -> ", err);
            if (!rc)
                rc = dot_id(b, first_kind[r], first[r], err);
            if (!rc)
                rc = lh_buf_puts(b, " [style=invis];\n", err);
        }
        prev = r;
    }
    /* reads and writes */
    for (i = 0; !rc && i < nj; i++) {
        const lh_job_info *j = lh_pipeline_job(p, i);
        int jr = table_rank(t, nt, j->target) - 1;
        for (k = 0; !rc && k < j->n_reads; k++) {
            rc = lh_buf_puts(b, "  ", err);
            if (!rc)
                rc = dot_id(b, "table", j->reads[k], err);
            if (!rc)
                rc = lh_buf_puts(b, " -> ", err);
            if (!rc)
                rc = dot_id(b, "job", j->name, err);
            if (!rc)
                rc = lh_buf_puts(b, table_rank(t, nt, j->reads[k]) < jr ? " [class=\"read\"];\n"
                                                                         : " [class=\"read\", constraint=false, style=dashed];\n",
                                 err);
        }
        if (!rc)
            rc = lh_buf_puts(b, "  ", err);
        if (!rc)
            rc = dot_id(b, "job", j->name, err);
        if (!rc)
            rc = lh_buf_puts(b, " -> ", err);
        if (!rc)
            rc = dot_id(b, "table", j->target, err);
        if (!rc)
            rc = lh_buf_puts(b, " [class=\"write\", color=\"#0f172a\", penwidth=1.4];\n", err);
    }
    if (!rc)
        rc = lh_buf_puts(b, "}\n", err);
out:
    lh_free(t);
    return rc;
}

/* ---- layout with Graphviz ---- */

/* Graphviz reports through a global callback; collect its messages here. */
static char g_gv_msg[512];

static int gv_collect(char *msg)
{
    size_t used = strlen(g_gv_msg), n = msg ? strlen(msg) : 0;
    if (used + 1 < sizeof g_gv_msg && n) {
        size_t room = sizeof g_gv_msg - used - 1;
        memcpy(g_gv_msg + used, msg, n < room ? n : room);
        g_gv_msg[used + (n < room ? n : room)] = 0;
    }
    return 0;
}

static const char *gv_msg(void)
{
    size_t n = strlen(g_gv_msg);
    while (n && (g_gv_msg[n - 1] == '\n' || g_gv_msg[n - 1] == ' '))
        g_gv_msg[--n] = 0;
    return n ? g_gv_msg : "no message";
}

/* Graphviz is loaded when the first graph is laid out (dlopen of Debian's
 * libgvc.so.6), not linked: its libraries (cgraph, cdt, pathplan, xdot,
 * ltdl, expat, ...) cost every lakehouse process start-up time, and only
 * `graph` and `report` draw (see store/curl_dl.h for the measurement). */
typedef struct gv_api {
    GVC_t *(*context)(void);
    int (*layout)(GVC_t *, Agraph_t *, const char *);
    int (*render_data)(GVC_t *, Agraph_t *, const char *, char **, unsigned int *);
    void (*free_render_data)(char *);
    int (*free_layout)(GVC_t *, Agraph_t *);
    Agraph_t *(*memread)(const char *);
    int (*close)(Agraph_t *);
    agusererrf (*seterrf)(agusererrf);
    int (*reseterrors)(void);
} gv_api;

static gv_api g_gv;
static int g_gv_ok;
static char g_gv_why[512];
static pthread_once_t g_gv_once = PTHREAD_ONCE_INIT;

static void gv_load(void)
{
    const lh_dl_sym syms[] = {
        {"gvContext", &g_gv.context},        {"gvLayout", &g_gv.layout},
        {"gvRenderData", &g_gv.render_data}, {"gvFreeRenderData", &g_gv.free_render_data},
        {"gvFreeLayout", &g_gv.free_layout}, {"agmemread", &g_gv.memread}, /* ag*: libcgraph, libgvc's dependency */
        {"agclose", &g_gv.close},            {"agseterrf", &g_gv.seterrf},
        {"agreseterrors", &g_gv.reseterrors},
    };
    g_gv_ok = lh_dl_load("libgvc.so.6", syms, sizeof syms / sizeof syms[0], g_gv_why, sizeof g_gv_why);
}

/* One layout context for the process.  Graphviz's text-layout plugin keeps
 * a pointer to the last font name, which lives in the context; a context
 * freed and created again leaves that pointer dangling (a read of freed
 * memory on the next layout).  Kept for the life of the process, the
 * context stays reachable and the names stay valid. */
static GVC_t *g_gvc;

lh_rc lh_graph_render_svg(const char *dot, size_t len, lh_buf *out, lh_err *err)
{
    char *text = NULL, *data = NULL;
    unsigned int dlen = 0;
    Agraph_t *g = NULL;
    int laid = 0;
    agusererrf old;
    lh_rc rc = LH_OK;
    if (pthread_once(&g_gv_once, gv_load) != 0 || !g_gv_ok)
        return lh_errf(err, LH_EUNSUPPORTED,
                       "drawing the job graph needs Graphviz's libgvc (Debian package libgvc6), which could not be "
                       "loaded: %s",
                       g_gv_why[0] ? g_gv_why : "pthread_once failed");
    old = g_gv.seterrf(gv_collect);
    g_gv_msg[0] = 0;
    g_gv.reseterrors();
    text = lh_strndup(dot, len);
    if (!text) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory copying the DOT text");
        goto out;
    }
    if (!g_gvc)
        g_gvc = g_gv.context();
    if (!g_gvc) {
        rc = lh_errf(err, LH_EINTERNAL, "graphviz: cannot create a layout context: %s", gv_msg());
        goto out;
    }
    g = g_gv.memread(text);
    if (!g) {
        rc = lh_errf(err, LH_EPARSE, "graphviz: cannot read the DOT text: %s", gv_msg());
        goto out;
    }
    if (g_gv.layout(g_gvc, g, "dot") != 0) {
        rc = lh_errf(err, LH_EINTERNAL, "graphviz: 'dot' layout failed (is the graphviz package installed?): %s",
                     gv_msg());
        goto out;
    }
    laid = 1;
    if (g_gv.render_data(g_gvc, g, "svg", &data, &dlen) != 0 || !data) {
        rc = lh_errf(err, LH_EINTERNAL, "graphviz: rendering SVG failed: %s", gv_msg());
        goto out;
    }
    rc = lh_buf_append(out, data, dlen, err);
out:
    if (data)
        g_gv.free_render_data(data);
    if (laid)
        g_gv.free_layout(g_gvc, g);
    if (g)
        g_gv.close(g);
    g_gv.seterrf(old);
    lh_free(text);
    return rc;
}

lh_rc lh_graph_svg(const lh_pipeline *p, lh_catalog *cat, lh_buf *out, lh_err *err)
{
    lh_buf dot;
    lh_rc rc;
    lh_buf_init(&dot, (size_t)16 << 20);
    rc = lh_graph_dot(p, cat, &dot, err);
    if (!rc)
        rc = lh_graph_render_svg(dot.data ? dot.data : "", dot.len, out, err);
    lh_buf_free(&dot);
    return rc;
}
