/* pipeline/report.c — the run report as one self-contained HTML page (see report.h). */
#include "pipeline/report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define PREVIEW_CELL_MAX 160 /* bytes of one preview cell before it is cut */

/* ---- a sticky-error writer: after the first failure every call is a no-op ---- */

typedef struct W {
    lh_buf *b;
    lh_err *err;
    lh_rc rc;
} W;

static void w_puts(W *w, const char *s)
{
    if (!w->rc)
        w->rc = lh_buf_puts(w->b, s, w->err);
}

static void w_printf(W *w, const char *fmt, ...) LH_PRINTF(2, 3);
static void w_printf(W *w, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (w->rc)
        return;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        w->rc = lh_errf(w->err, LH_EINTERNAL, "report: bad format '%s'", fmt);
        return;
    }
    w->rc = lh_buf_reserve(w->b, (size_t)n, w->err);
    if (w->rc)
        return;
    va_start(ap, fmt);
    vsnprintf(w->b->data + w->b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    w->b->len += (size_t)n;
}

lh_rc lh_html_escape(lh_buf *out, const char *s, size_t n, lh_err *err)
{
    size_t i, start = 0;
    lh_rc rc = LH_OK;
    for (i = 0; i < n && !rc; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *ent = NULL;
        switch (c) {
        case '&': ent = "&amp;"; break;
        case '<': ent = "&lt;"; break;
        case '>': ent = "&gt;"; break;
        case '"': ent = "&quot;"; break;
        case '\'': ent = "&#39;"; break;
        default:
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
                ent = "\xEF\xBF\xBD";
        }
        if (!ent)
            continue;
        rc = lh_buf_append(out, s + start, i - start, err);
        if (!rc)
            rc = lh_buf_puts(out, ent, err);
        start = i + 1;
    }
    if (!rc)
        rc = lh_buf_append(out, s + start, n - start, err);
    return rc;
}

static void w_escn(W *w, const char *s, size_t n)
{
    if (!w->rc)
        w->rc = lh_html_escape(w->b, s ? s : "", s ? n : 0, w->err);
}

static void w_esc(W *w, const char *s) { w_escn(w, s, s ? strlen(s) : 0); }

/* A table name, escaped, with a line-break chance after each '.' and '_'. */
static void w_tname(W *w, const char *s)
{
    const char *start = s;
    for (; *s; s++)
        if (*s == '.' || *s == '_') {
            w_escn(w, start, (size_t)(s - start) + 1);
            w_puts(w, "<wbr>");
            start = s + 1;
        }
    w_esc(w, start);
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

static void w_int(W *w, int64_t v)
{
    char b[40];
    fmt_int(v, b, sizeof b);
    w_puts(w, b);
}

static void w_ms(W *w, int64_t ms)
{
    if (ms < 0)
        w_puts(w, "&ndash;");
    else if (ms < 1000)
        w_printf(w, "%lld ms", (long long)ms);
    else
        w_printf(w, "%.1f s", (double)ms / 1000.0);
}

/* Split "db.table" into its parts (into caller buffers). */
static void split_name(const char *full, char *db, size_t dbn, char *tb, size_t tbn)
{
    const char *dot = strchr(full, '.');
    if (!dot) {
        snprintf(db, dbn, "default");
        snprintf(tb, tbn, "%s", full);
        return;
    }
    snprintf(db, dbn, "%.*s", (int)(dot - full), full);
    snprintf(tb, tbn, "%s", dot + 1);
}

/* "name" quoted as an SQL identifier (double quotes doubled) into b. */
static lh_rc sql_ident(lh_buf *b, const char *name, lh_err *err)
{
    lh_rc rc = lh_buf_putc(b, '"', err);
    for (; *name && !rc; name++) {
        if (*name == '"')
            rc = lh_buf_putc(b, '"', err);
        if (!rc)
            rc = lh_buf_putc(b, *name, err);
    }
    if (!rc)
        rc = lh_buf_putc(b, '"', err);
    return rc;
}

/* ---- running SQL into the page ---- */

typedef struct qctx {
    W w;          /* writes preview rows into a scratch buffer */
    size_t ncols; /* columns of the result */
    uint64_t rows;
    int have_value; /* scalar mode: first cell of the first row */
    int value_null;
    int64_t value;
    int scalar;
} qctx;

static lh_rc q_begin(void *ctx, size_t ncols, const char *const *names, const char *const *types, lh_err *err)
{
    qctx *q = ctx;
    size_t i;
    q->ncols = ncols;
    if (q->scalar)
        return LH_OK;
    w_puts(&q->w, "<thead><tr>");
    for (i = 0; i < ncols; i++) {
        w_puts(&q->w, "<th>");
        w_esc(&q->w, names[i]);
        if (types && types[i]) {
            w_puts(&q->w, "<br><span class=\"type\">");
            w_esc(&q->w, types[i]);
            w_puts(&q->w, "</span>");
        }
        w_puts(&q->w, "</th>");
    }
    w_puts(&q->w, "</tr></thead>\n<tbody>\n");
    return q->w.rc;
}

/* Length of s cut to at most max bytes without splitting a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

static lh_rc q_row(void *ctx, const lh_value *vals, lh_err *err)
{
    qctx *q = ctx;
    size_t i;
    if (q->scalar) {
        if (!q->have_value && q->ncols > 0) {
            q->have_value = 1;
            q->value_null = vals[0].t == LH_V_NULL;
            if (vals[0].t == LH_V_INT)
                q->value = vals[0].i;
            else if (vals[0].t == LH_V_REAL)
                q->value = (int64_t)vals[0].d;
            else if (vals[0].t == LH_V_TEXT) {
                char tmp[32];
                snprintf(tmp, sizeof tmp, "%.*s", (int)(vals[0].n < 31 ? vals[0].n : 31), vals[0].s);
                q->value = strtoll(tmp, NULL, 10);
            }
        }
        q->rows++;
        return LH_OK;
    }
    w_puts(&q->w, "<tr>");
    for (i = 0; i < q->ncols; i++) {
        const lh_value *v = &vals[i];
        switch (v->t) {
        case LH_V_NULL:
            w_puts(&q->w, "<td class=\"null\">NULL</td>");
            break;
        case LH_V_INT:
            w_printf(&q->w, "<td class=\"num\">%lld</td>", (long long)v->i);
            break;
        case LH_V_REAL:
            w_printf(&q->w, "<td class=\"num\">%.15g</td>", v->d);
            break;
        case LH_V_TEXT: {
            size_t cut = utf8_cut(v->s, v->n, PREVIEW_CELL_MAX);
            w_puts(&q->w, "<td>");
            w_escn(&q->w, v->s, cut);
            if (cut < v->n)
                w_puts(&q->w, "&hellip;");
            w_puts(&q->w, "</td>");
            break;
        }
        }
    }
    w_puts(&q->w, "</tr>\n");
    q->rows++;
    return q->w.rc;
}

/* Run sql.  Returns a fatal rc (memory/limit while writing) only; an SQL
 * failure leaves *failed set and its message in qerr. */
static lh_rc run_query(lh_engine *e, const char *sql, qctx *q, int *failed, lh_err *qerr)
{
    lh_sink sink;
    lh_rc rc;
    memset(&sink, 0, sizeof sink);
    sink.ctx = q;
    sink.begin = q_begin;
    sink.row = q_row;
    *failed = 0;
    lh_err_clear(qerr);
    rc = lh_engine_exec(e, sql, strlen(sql), "<report>", &sink, NULL, qerr);
    if (q->w.rc)
        return q->w.rc; /* the page itself could not grow: fatal */
    if (rc == LH_ENOMEM)
        return lh_errf(q->w.err, LH_ENOMEM, "out of memory running a report query");
    if (rc)
        *failed = 1;
    return LH_OK;
}

/* ---- the parts of the page ---- */

static const char k_css[] =
    ":root{--ok:#15803d;--bad:#b91c1c;--warn:#b45309;--muted:#64748b;--line:#e2e8f0;--head:#f1f5f9}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
    "body{margin:0;font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,Helvetica,Arial,sans-serif;"
    "color:#0f172a;background:#fff}\n"
    "body>header,main,footer{max-width:1200px;margin:0 auto;padding:0 16px}\n"
    "h1{font-size:1.5rem;margin:16px 0 2px}\n"
    "h2{font-size:1.25rem;margin:28px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--line)}\n"
    "h3{font-size:1.05rem;margin:22px 0 4px;overflow-wrap:anywhere}\n"
    "h4{font-size:.9rem;margin:10px 0 2px;color:var(--muted);font-weight:600}\n"
    "p{margin:4px 0 8px}\n"
    ".meta{color:var(--muted);font-size:.85rem;overflow-wrap:anywhere}\n"
    ".scroll{overflow-x:auto;max-width:100%;border:1px solid var(--line);border-radius:6px;margin:4px 0 12px}\n"
    "table{border-collapse:collapse;width:100%;font-size:.9rem}\n"
    "th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}\n"
    "tbody tr:last-child td{border-bottom:none}\n"
    "th{background:var(--head);font-weight:600;white-space:nowrap}\n"
    ".num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "table.preview td{white-space:nowrap;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
    "font-size:.8rem}\n"
    "table.counts{font-size:1rem}\n"
    ".type{font-weight:400;color:var(--muted);font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
    "font-size:.75rem}\n"
    "code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.8rem}\n"
    "pre{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--head);padding:6px 8px;border-radius:4px;"
    "margin:4px 0}\n"
    ".ok{color:var(--ok)}.bad{color:var(--bad)}.warn{color:var(--warn)}\n"
    ".mark{font-weight:600;white-space:nowrap}\n"
    "tr.fail td{background:#fef2f2}\n"
    ".null{color:var(--muted);font-style:italic}\n"
    ".na{color:var(--bad);font-weight:600}\n"
    ".err{color:var(--bad);overflow-wrap:anywhere;white-space:pre-wrap}\n"
    ".summary{font-weight:600;font-size:1.05rem}\n"
    "nav{font-size:.9rem;margin:8px 0}nav a{margin-right:8px;white-space:nowrap}\n"
    "a{color:#1d4ed8}\n"
    ".facts{font-size:.8rem;color:var(--muted);overflow-wrap:anywhere}\n"
    ".graph{overflow-x:auto;border:1px solid var(--line);border-radius:6px;padding:8px;margin:4px 0 8px}\n"
    ".graph svg{display:block;width:100%;min-width:640px;height:auto}\n"
    "details{margin:2px 0}summary{cursor:pointer;color:var(--muted);font-size:.85rem}\n"
    "footer{color:var(--muted);font-size:.8rem;margin-top:32px;padding-bottom:24px}\n"
    "@media (max-width:640px){body{font-size:14px}body>header,main,footer{padding:0 10px}"
    "th,td{padding:3px 6px}h1{font-size:1.25rem}h2{font-size:1.1rem}table.counts{font-size:.8rem}table.counts th,table.counts td{padding:3px 4px}}\n"
    "@media print{body{font-size:10pt;color:#000}body>header,main,footer{max-width:none;padding:0}nav{display:none}"
    ".scroll,.graph{overflow:visible;border:none;padding:0}.graph svg{min-width:0;max-width:100%}"
    "table.preview td{white-space:normal;overflow-wrap:anywhere}th{white-space:normal}"
    "h2,h3,h4{break-after:avoid}tr,.graph,article header{break-inside:avoid}"
    "a{color:inherit;text-decoration:none}tr.fail td{background:none}@page{margin:12mm}}\n";

typedef struct rctx {
    lh_engine *e;
    lh_catalog *cat;
    lh_pipeline *p;
    W w;
    lh_zone_table *tables;
    size_t ntables;
    lh_verify_row *vrows; /* may be NULL if verify could not run */
    size_t nv;
    int all_ok;
    char verify_error[1024];
    int preview_rows, runs_per_job;
    int64_t scale;
} rctx;

static const lh_verify_row *find_verify(const rctx *r, const char *table)
{
    size_t i;
    for (i = 0; r->vrows && i < r->nv; i++)
        if (!strcasecmp(r->vrows[i].exp->table, table))
            return &r->vrows[i];
    return NULL;
}

static void w_mark(W *w, int ok)
{
    w_puts(w, ok ? "<span class=\"mark ok\">&#10003; ok</span>" : "<span class=\"mark bad\">&#10007; FAIL</span>");
}

static void part_counts(rctx *r)
{
    W *w = &r->w;
    size_t i, nfail = 0;
    char anchor[300];
    w_puts(w, "<section id=\"counts\">\n<h2>Row counts</h2>\n");
    if (!r->vrows) {
        w_puts(w, "<p class=\"summary bad\">&#10007; The counts could not be checked: <span class=\"err\">");
        w_esc(w, r->verify_error);
        w_puts(w, "</span></p>\n</section>\n");
        return;
    }
    for (i = 0; i < r->nv; i++)
        nfail += !r->vrows[i].ok;
    if (r->nv == 0)
        w_puts(w, "<p class=\"summary\">The pipeline has no expected_counts.csv rows.</p>\n");
    else if (!nfail)
        w_printf(w, "<p class=\"summary ok\">&#10003; All %zu tables have the expected row counts.</p>\n", r->nv);
    else
        w_printf(w, "<p class=\"summary bad\">&#10007; %zu of %zu tables differ from the expected row counts.</p>\n",
                 nfail, r->nv);
    w_puts(w, "<div class=\"scroll\"><table class=\"counts\">\n<thead><tr><th>zone</th><th>table</th>"
              "<th class=\"num\">expected</th><th class=\"num\">actual</th><th>check</th></tr></thead>\n<tbody>\n");
    for (i = 0; i < r->nv; i++) {
        const lh_verify_row *v = &r->vrows[i];
        snprintf(anchor, sizeof anchor, "%s", v->exp->table);
        w_puts(w, v->ok ? "<tr class=\"pass\" data-table=\"" : "<tr class=\"fail\" data-table=\"");
        w_esc(w, v->exp->table);
        w_puts(w, "\"><td>");
        w_esc(w, v->exp->zone);
        w_puts(w, "</td><td class=\"tname\"><a href=\"#t-");
        w_esc(w, anchor);
        w_puts(w, "\">");
        w_tname(w, v->exp->table);
        w_puts(w, "</a></td><td class=\"num\">");
        w_int(w, v->expected);
        w_puts(w, "</td><td class=\"num\">");
        if (v->actual < 0)
            w_puts(w, "<span class=\"na\">n/a</span>");
        else
            w_int(w, v->actual);
        w_puts(w, "</td><td>");
        w_mark(w, v->ok);
        if (v->error[0]) {
            w_puts(w, " <span class=\"err\">");
            w_esc(w, v->error);
            w_puts(w, "</span>");
        }
        w_puts(w, "</td></tr>\n");
    }
    w_puts(w, "</tbody></table></div>\n</section>\n");
}

static void part_nav(rctx *r)
{
    W *w = &r->w;
    int z, seen[4] = {0, 0, 0, 0};
    size_t i;
    static const char *const zname[] = {"landing", "trusted", "curated", "other"};
    for (i = 0; i < r->ntables; i++)
        seen[r->tables[i].zone_rank] = 1;
    w_puts(w, "<nav aria-label=\"contents\">");
    for (z = 0; z < 4; z++)
        if (seen[z])
            w_printf(w, "<a href=\"#zone-%s\">%s zone</a>\n", zname[z], zname[z]);
    w_puts(w, "<a href=\"#graph\">graph</a>\n<a href=\"#runs\">run history</a>\n<a href=\"#consent\">consent facts</a>"
              "</nav>\n");
}

static void table_columns(W *w, const lh_table_def *def)
{
    size_t i;
    w_puts(w, "<h4>Columns</h4>\n<div class=\"scroll\"><table class=\"columns\">\n<thead><tr><th>column</th>"
              "<th>type</th><th>comment</th></tr></thead>\n<tbody>\n");
    for (i = 0; i < def->n_cols; i++) {
        w_puts(w, "<tr><td><code>");
        w_esc(w, def->cols[i].name);
        w_puts(w, "</code></td><td><code>");
        w_esc(w, def->cols[i].type);
        w_puts(w, "</code></td><td>");
        if (def->cols[i].comment)
            w_esc(w, def->cols[i].comment);
        w_puts(w, "</td></tr>\n");
    }
    w_puts(w, "</tbody></table></div>\n");
}

static lh_rc table_preview(rctx *r, const char *full)
{
    W *w = &r->w;
    lh_buf sql, rows;
    qctx q;
    lh_err qerr;
    char db[256], tb[256];
    int failed = 0;
    lh_rc rc;
    lh_buf_init(&sql, 4096);
    lh_buf_init(&rows, w->b->cap);
    memset(&q, 0, sizeof q);
    q.w.b = &rows;
    q.w.err = w->err;
    split_name(full, db, sizeof db, tb, sizeof tb);
    rc = lh_buf_puts(&sql, "SELECT * FROM ", w->err);
    if (!rc)
        rc = sql_ident(&sql, db, w->err);
    if (!rc)
        rc = lh_buf_putc(&sql, '.', w->err);
    if (!rc)
        rc = sql_ident(&sql, tb, w->err);
    if (!rc)
        rc = lh_buf_printf(&sql, w->err, " LIMIT %d", r->preview_rows);
    if (!rc)
        rc = run_query(r->e, sql.data, &q, &failed, &qerr);
    if (rc)
        goto out;
    w_printf(w, "<h4>First %d rows</h4>\n", r->preview_rows);
    if (failed) {
        w_puts(w, "<p><span class=\"na\">n/a</span> <span class=\"err\">");
        w_esc(w, qerr.msg[0] ? qerr.msg : lh_strerror(qerr.code));
        w_puts(w, "</span></p>\n");
    } else if (q.rows == 0) {
        w_puts(w, "<p class=\"null\">The table is empty.</p>\n");
    } else {
        w_puts(w, "<div class=\"scroll\"><table class=\"preview\">\n");
        if (!w->rc && rows.len)
            w->rc = lh_buf_append(w->b, rows.data, rows.len, w->err);
        w_puts(w, "</tbody></table></div>\n");
    }
    rc = w->rc;
out:
    lh_buf_free(&sql);
    lh_buf_free(&rows);
    if (rc && !w->rc)
        w->rc = rc;
    return rc;
}

static void part_table(rctx *r, const lh_zone_table *zt)
{
    W *w = &r->w;
    const lh_verify_row *v = find_verify(r, zt->table);
    lh_table_def def;
    lh_err terr;
    char db[256], tb[256];
    int64_t rows = -1;
    int have_def;
    memset(&def, 0, sizeof def);
    lh_err_clear(&terr);
    split_name(zt->table, db, sizeof db, tb, sizeof tb);
    have_def = lh_catalog_get_table(r->cat, db, tb, &def, &terr) == LH_OK;
    w_puts(w, "<article class=\"table\" id=\"t-");
    w_esc(w, zt->table);
    w_puts(w, "\">\n<header><h3>");
    w_esc(w, zt->table);
    w_puts(w, "</h3>\n<p>");
    if (v) {
        rows = v->actual;
        if (rows >= 0) {
            w_int(w, rows);
            w_puts(w, rows == 1 ? " row" : " rows");
        } else
            w_puts(w, "<span class=\"na\">n/a</span> rows");
        w_puts(w, " &middot; expected ");
        w_int(w, v->expected);
        w_puts(w, " ");
        w_mark(w, v->ok);
    } else {
        lh_err cerr;
        lh_err_clear(&cerr);
        if (lh_engine_count(r->e, db, tb, &rows, &cerr) == LH_OK) {
            w_int(w, rows);
            w_puts(w, rows == 1 ? " row" : " rows");
        } else {
            w_puts(w, "<span class=\"na\">n/a</span> rows <span class=\"err\">");
            w_esc(w, cerr.msg);
            w_puts(w, "</span>");
        }
        w_puts(w, " &middot; no expected count");
    }
    w_puts(w, "</p>\n");
    if (v && v->error[0]) {
        w_puts(w, "<p class=\"err\">");
        w_esc(w, v->error);
        w_puts(w, "</p>\n");
    }
    if (have_def) {
        w_puts(w, "<p class=\"facts\">");
        w_puts(w, def.managed ? "written by a job" : "external table");
        w_puts(w, " &middot; ");
        w_esc(w, def.format);
        w_puts(w, " &middot; <code>");
        w_esc(w, def.snapshot_prefix ? def.snapshot_prefix : def.location);
        w_puts(w, "</code>");
        if (def.snapshot_id) {
            w_printf(w, " &middot; snapshot %lld of ", (long long)def.snapshot_id);
            w_esc(w, def.snapshot_time);
            w_printf(w, " (run %lld, %zu file%s)", (long long)def.snapshot_run_id, def.n_files,
                     def.n_files == 1 ? "" : "s");
        }
        if (def.comment) {
            w_puts(w, " &middot; ");
            w_esc(w, def.comment);
        }
        w_puts(w, "</p>\n");
    }
    w_puts(w, "</header>\n");
    if (have_def)
        table_columns(w, &def);
    else {
        w_puts(w, "<p><span class=\"na\">n/a</span> <span class=\"err\">");
        w_esc(w, terr.msg[0] ? terr.msg : lh_strerror(terr.code));
        w_puts(w, "</span></p>\n");
    }
    if (have_def && !w->rc)
        (void)table_preview(r, zt->table);
    w_puts(w, "</article>\n");
    lh_table_def_free(&def);
}

static void part_zones(rctx *r)
{
    W *w = &r->w;
    static const char *const zname[] = {"landing", "trusted", "curated", "other"};
    int z;
    size_t i;
    for (z = 0; z < 4 && !w->rc; z++) {
        int opened = 0;
        for (i = 0; i < r->ntables && !w->rc; i++) {
            if (r->tables[i].zone_rank != z)
                continue;
            if (!opened) {
                w_printf(w, "<section id=\"zone-%s\">\n<h2>%c%s zone</h2>\n", zname[z], zname[z][0] - 'a' + 'A',
                         zname[z] + 1);
                opened = 1;
            }
            part_table(r, &r->tables[i]);
        }
        if (opened)
            w_puts(w, "</section>\n");
    }
}

/* The SVG document from Graphviz, without its XML prolog, for inline use. */
static const char *svg_start(const char *svg)
{
    const char *s = strstr(svg, "<svg");
    return s ? s : svg;
}

static void part_graph(rctx *r)
{
    W *w = &r->w;
    lh_buf dot, svg;
    lh_err gerr;
    lh_rc rc;
    lh_buf_init(&dot, (size_t)16 << 20);
    lh_buf_init(&svg, (size_t)64 << 20);
    lh_err_clear(&gerr);
    w_puts(w, "<section id=\"graph\">\n<h2>Pipeline graph</h2>\n");
    rc = lh_graph_dot(r->p, r->cat, &dot, &gerr);
    if (!rc)
        rc = lh_graph_render_svg(dot.data ? dot.data : "", dot.len, &svg, &gerr);
    if (rc == LH_ENOMEM || rc == LH_ELIMIT) {
        if (!w->rc)
            w->rc = lh_errf(w->err, rc, "%s", gerr.msg);
    } else if (rc) {
        w_puts(w, "<p><span class=\"na\">n/a</span> <span class=\"err\">");
        w_esc(w, gerr.msg);
        w_puts(w, "</span></p>\n");
        if (dot.len) {
            w_puts(w, "<details><summary>DOT text</summary><pre>");
            w_escn(w, dot.data, dot.len);
            w_puts(w, "</pre></details>\n");
        }
    } else {
        w_puts(w, "<p class=\"facts\">Tables grouped by zone, left to right; each job shows its last run "
                  "(status, duration, rows in and out). Solid arrows: reads and writes in zone order; dashed "
                  "arrows: a job reading a table of a later zone.</p>\n<div class=\"graph\" role=\"img\" "
                  "aria-label=\"pipeline graph\">\n");
        w_puts(w, svg_start(lh_buf_cstr(&svg) ? svg.data : ""));
        w_puts(w, "</div>\n");
    }
    w_puts(w, "</section>\n");
    lh_buf_free(&dot);
    lh_buf_free(&svg);
}

static void w_status(W *w, const char *status)
{
    if (!strcmp(status, "succeeded"))
        w_puts(w, "<span class=\"mark ok\">&#10003; succeeded</span>");
    else if (!strcmp(status, "failed"))
        w_puts(w, "<span class=\"mark bad\">&#10007; failed</span>");
    else {
        w_puts(w, "<span class=\"mark warn\">");
        w_esc(w, status);
        w_puts(w, "</span>");
    }
}

static void part_runs(rctx *r)
{
    W *w = &r->w;
    size_t j, i, nj = lh_pipeline_job_count(r->p);
    w_puts(w, "<section id=\"runs\">\n<h2>Run history</h2>\n");
    if (!nj)
        w_puts(w, "<p>The pipeline has no jobs.</p>\n");
    for (j = 0; j < nj && !w->rc; j++) {
        const lh_job_info *job = lh_pipeline_job(r->p, j);
        lh_run_info *runs = NULL;
        size_t n = 0;
        lh_err rerr;
        lh_err_clear(&rerr);
        w_puts(w, "<h3>");
        w_esc(w, job->name);
        w_puts(w, " <span class=\"facts\">&rarr; ");
        w_esc(w, job->target);
        w_puts(w, "</span></h3>\n");
        if (lh_catalog_list_runs(r->cat, job->name, r->runs_per_job, &runs, &n, &rerr)) {
            w_puts(w, "<p><span class=\"na\">n/a</span> <span class=\"err\">");
            w_esc(w, rerr.msg);
            w_puts(w, "</span></p>\n");
            continue;
        }
        if (!n) {
            w_puts(w, "<p class=\"null\">Never run.</p>\n");
            continue;
        }
        w_puts(w, "<div class=\"scroll\"><table class=\"runs\">\n<thead><tr><th class=\"num\">run</th>"
                  "<th>started (UTC)</th><th>status</th><th class=\"num\">duration</th><th class=\"num\">rows in</th>"
                  "<th class=\"num\">rows out</th><th>snapshot / error</th></tr></thead>\n<tbody>\n");
        for (i = 0; i < n; i++) {
            /* abandoned: recorded 'running', its process gone (lh_catalog_list_runs) */
            w_printf(w, "<tr%s><td class=\"num\">%lld</td><td>",
                     !strcmp(runs[i].status, "failed") || !strcmp(runs[i].status, "abandoned") ? " class=\"fail\""
                                                                                                 : "",
                     (long long)runs[i].id);
            w_esc(w, runs[i].started_at);
            w_puts(w, "</td><td>");
            w_status(w, runs[i].status);
            w_puts(w, "</td><td class=\"num\">");
            w_ms(w, runs[i].duration_ms);
            w_puts(w, "</td><td class=\"num\">");
            if (runs[i].rows_read >= 0)
                w_int(w, runs[i].rows_read);
            w_puts(w, "</td><td class=\"num\">");
            if (runs[i].rows_written >= 0)
                w_int(w, runs[i].rows_written);
            w_puts(w, "</td><td>");
            if (runs[i].error) {
                w_puts(w, "<span class=\"err\">");
                w_esc(w, runs[i].error);
                w_puts(w, "</span>");
            } else if (runs[i].snapshot_id)
                w_printf(w, "snapshot %lld", (long long)runs[i].snapshot_id);
            w_puts(w, "</td></tr>\n");
        }
        w_puts(w, "</tbody></table></div>\n");
        lh_run_info_free(runs, n);
    }
    w_puts(w, "</section>\n");
}

/* ---- consent facts ---- */

typedef enum fact_kind { FACT_INFO, FACT_ZERO, FACT_NOTE } fact_kind;

typedef struct fact {
    const char *id;
    fact_kind kind;
    const char *label;
    const char *how; /* NULL, or how the figure is computed */
    const char *sql; /* {db} stands for the database */
} fact;

#define CONSENT_BY_EMAIL                                                                                               \
    "(SELECT email, max(CASE WHEN sharewithresearchasofdate IS NOT NULL THEN 1 ELSE 0 END) AS ok FROM {db}.customer_landing GROUP BY email)"
#define CONSENT_BY_SERIAL                                                                                              \
    "(SELECT serialnumber, max(CASE WHEN sharewithresearchasofdate IS NOT NULL THEN 1 ELSE 0 END) AS ok FROM {db}.customer_landing "             \
    "GROUP BY serialnumber)"

static const fact k_facts[] = {
    {"consented", FACT_INFO, "Customers who consented to share their data for research (customer_landing rows with "
                             "sharewithresearchasofdate set)",
     NULL, "SELECT count(*) FROM {db}.customer_landing WHERE sharewithresearchasofdate IS NOT NULL"},
    {"customer-trusted-no-consent", FACT_ZERO,
     "customer_trusted rows without consent (own consent date empty, or the email has no consent in customer_landing)",
     NULL, "SELECT count(*) FROM {db}.customer_trusted t LEFT JOIN " CONSENT_BY_EMAIL " c ON c.email = t.email "
     "WHERE t.sharewithresearchasofdate IS NULL OR c.ok IS NULL OR c.ok = 0"},
    {"customer-curated-no-consent", FACT_ZERO,
     "customer_curated rows without consent (own consent date empty, or the email has no consent in customer_landing)",
     NULL, "SELECT count(*) FROM {db}.customer_curated t LEFT JOIN " CONSENT_BY_EMAIL " c ON c.email = t.email "
     "WHERE t.sharewithresearchasofdate IS NULL OR c.ok IS NULL OR c.ok = 0"},
    {"accelerometer-trusted-no-consent", FACT_ZERO,
     "accelerometer_trusted rows whose user has no consent in customer_landing",
     NULL, "SELECT count(*) FROM {db}.accelerometer_trusted a LEFT JOIN " CONSENT_BY_EMAIL " c ON c.email = a.\"user\" "
     "WHERE c.ok IS NULL OR c.ok = 0"},
    {"step-trainer-trusted-no-consent", FACT_ZERO,
     "step_trainer_trusted rows whose device belongs to no consenting customer (by serial number)",
     NULL, "SELECT count(*) FROM {db}.step_trainer_trusted s LEFT JOIN " CONSENT_BY_SERIAL
     " c ON c.serialnumber = s.serialnumber WHERE c.ok IS NULL OR c.ok = 0"},
    {"ml-device-no-consent", FACT_ZERO,
     "machine_learning_curated rows whose step trainer belongs to no consenting customer (by serial number)",
     NULL, "SELECT count(*) FROM {db}.machine_learning_curated m LEFT JOIN " CONSENT_BY_SERIAL
     " c ON c.serialnumber = m.serialnumber WHERE c.ok IS NULL OR c.ok = 0"},
    {"ml-reading-no-consent", FACT_ZERO,
     "machine_learning_curated rows whose accelerometer reading (timestamp, x, y, z) was taken by no consenting "
     "customer in accelerometer_landing",
     NULL, "SELECT count(*) FROM {db}.machine_learning_curated m LEFT JOIN (SELECT DISTINCT a.\"timestamp\" AS ts, a.x, "
     "a.y, a.z FROM {db}.accelerometer_landing a JOIN (SELECT email FROM {db}.customer_landing GROUP BY email "
     "HAVING max(CASE WHEN sharewithresearchasofdate IS NOT NULL THEN 1 ELSE 0 END) = 1) c ON c.email = a.\"user\") r ON r.ts = m.\"timestamp\" "
     "AND r.x = m.x AND r.y = m.y AND r.z = m.z WHERE r.ts IS NULL"},
    {"ml-cross-customer", FACT_NOTE,
     "machine_learning_curated rows that pair one customer's step-trainer reading with another customer's "
     "accelerometer reading (the job joins on time alone)",
     "An ML row is a step-trainer reading paired with one accelerometer row of the same time, so identical ML rows "
     "stand for the accelerometer rows carrying that reading: each distinct ML row is joined to those rows, and the "
     "pairs whose user does not own the serial number are counted.",
     "SELECT count(*) FROM (SELECT DISTINCT serialnumber, \"timestamp\", x, y, z FROM {db}.machine_learning_curated) m "
     "JOIN {db}.accelerometer_trusted a ON a.\"timestamp\" = m.\"timestamp\" AND a.x = m.x AND a.y = m.y AND "
     "a.z = m.z LEFT JOIN (SELECT DISTINCT serialnumber, email FROM {db}.customer_landing) o ON o.serialnumber = "
     "m.serialnumber AND o.email = a.\"user\" WHERE o.email IS NULL"},
    {"readings-before-consent", FACT_NOTE,
     "accelerometer_trusted readings taken before the customer's consent date (timestamp earlier than "
     "sharewithresearchasofdate)",
     NULL, "SELECT count(*) FROM {db}.accelerometer_trusted a JOIN (SELECT email, min(sharewithresearchasofdate) AS since "
     "FROM {db}.customer_landing WHERE sharewithresearchasofdate IS NOT NULL GROUP BY email) c ON c.email = a.\"user\" "
     "WHERE a.\"timestamp\" < c.since"},
};

/* The database holding customer_landing, else the first table's, else "stedi". */
static void consent_db(const rctx *r, char *db, size_t n)
{
    size_t i;
    char tb[256];
    snprintf(db, n, "stedi");
    for (i = 0; i < r->ntables; i++) {
        const char *dot = strchr(r->tables[i].table, '.');
        if (dot && !strcasecmp(dot + 1, "customer_landing")) {
            split_name(r->tables[i].table, db, n, tb, sizeof tb);
            return;
        }
    }
}

/* sql with {db} replaced by the database (quoted when it is not a plain name). */
static lh_rc fact_sql(const char *tmpl, const char *db, lh_buf *out, lh_err *err)
{
    const char *s = tmpl, *hit;
    int plain = 1;
    const char *c;
    lh_rc rc = LH_OK;
    for (c = db; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
            plain = 0;
    while (!rc && (hit = strstr(s, "{db}")) != NULL) {
        rc = lh_buf_append(out, s, (size_t)(hit - s), err);
        if (!rc)
            rc = plain ? lh_buf_puts(out, db, err) : sql_ident(out, db, err);
        s = hit + 4;
    }
    if (!rc)
        rc = lh_buf_puts(out, s, err);
    return rc;
}

static void part_consent(rctx *r)
{
    W *w = &r->w;
    char db[256];
    size_t i;
    consent_db(r, db, sizeof db);
    w_puts(w, "<section id=\"consent\">\n<h2>Consent facts</h2>\n<p class=\"facts\">Each figure comes from its own "
              "query against the tables of database <code>");
    w_esc(w, db);
    w_puts(w, "</code>, independent of the jobs' SQL. Rows that belong to customers without consent must be 0.</p>\n"
              "<div class=\"scroll\"><table class=\"consent\">\n<thead><tr><th>fact</th><th class=\"num\">value</th>"
              "<th>check</th></tr></thead>\n<tbody>\n");
    for (i = 0; i < sizeof k_facts / sizeof k_facts[0] && !w->rc; i++) {
        const fact *f = &k_facts[i];
        lh_buf sql;
        qctx q;
        lh_err qerr;
        int failed = 0;
        lh_rc rc;
        lh_buf_init(&sql, 65536);
        memset(&q, 0, sizeof q);
        q.scalar = 1;
        q.w.b = &sql; /* unused in scalar mode */
        q.w.err = w->err;
        rc = fact_sql(f->sql, db, &sql, w->err);
        if (!rc)
            rc = run_query(r->e, sql.data, &q, &failed, &qerr);
        if (rc) {
            if (!w->rc)
                w->rc = rc;
            lh_buf_free(&sql);
            break;
        }
        if (!failed && (!q.have_value || q.value_null)) {
            failed = 1;
            lh_errf(&qerr, LH_EINTERNAL, "the query returned no number");
        }
        w_printf(w, "<tr id=\"fact-%s\"%s><td>", f->id,
                 (failed || (f->kind == FACT_ZERO && q.value != 0)) ? " class=\"fail\"" : "");
        w_esc(w, f->label);
        if (f->how) {
            w_puts(w, "<br><span class=\"facts\">");
            w_esc(w, f->how);
            w_puts(w, "</span>");
        }
        w_puts(w, "<details><summary>query</summary><pre>");
        w_esc(w, sql.data);
        w_puts(w, "</pre></details></td><td class=\"num value\">");
        if (failed) {
            w_puts(w, "<span class=\"na\">n/a</span></td><td><span class=\"err\">");
            w_esc(w, qerr.msg[0] ? qerr.msg : lh_strerror(qerr.code));
            w_puts(w, "</span>");
        } else {
            w_int(w, q.value);
            w_puts(w, "</td><td>");
            if (f->kind == FACT_ZERO)
                w_puts(w, q.value == 0 ? "<span class=\"mark ok\">&#10003; ok (must be 0)</span>"
                                       : "<span class=\"mark bad\">&#10007; FAIL (must be 0)</span>");
            else if (f->kind == FACT_NOTE)
                w_puts(w, q.value == 0 ? "<span class=\"mark ok\">none</span>"
                                       : "<span class=\"mark warn\">&#9888; note</span>");
            else
                w_puts(w, "<span class=\"facts\">fact</span>");
        }
        w_puts(w, "</td></tr>\n");
        lh_buf_free(&sql);
    }
    w_puts(w, "</tbody></table></div>\n</section>\n");
}

/* ---- the page ---- */

static void part_head(rctx *r, const lh_report_opts *o)
{
    W *w = &r->w;
    const char *dir = lh_pipeline_dir(r->p);
    char name[256], when[64];
    size_t len = strlen(dir), j, nj = lh_pipeline_job_count(r->p), nok = 0, nfailed = 0, nnever = 0;
    const char *base;
    while (len > 1 && dir[len - 1] == '/')
        len--;
    base = dir + len;
    while (base > dir && base[-1] != '/')
        base--;
    snprintf(name, sizeof name, "%.*s", (int)(dir + len - base), base);
    if (o && o->generated_at)
        snprintf(when, sizeof when, "%s", o->generated_at);
    else {
        time_t now = time(NULL);
        struct tm tmv;
        if (gmtime_r(&now, &tmv))
            strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tmv);
        else
            snprintf(when, sizeof when, "unknown time");
    }
    for (j = 0; j < nj; j++) {
        lh_run_info *runs = NULL;
        size_t n = 0;
        if (lh_catalog_list_runs(r->cat, lh_pipeline_job(r->p, j)->name, 1, &runs, &n, NULL) || !n)
            nnever++;
        else if (!strcmp(runs[0].status, "succeeded"))
            nok++;
        else if (!strcmp(runs[0].status, "failed") || !strcmp(runs[0].status, "abandoned"))
            nfailed++;
        lh_run_info_free(runs, n);
    }
    w_puts(w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    if (o && o->title)
        w_esc(w, o->title);
    else {
        w_puts(w, "Pipeline report: ");
        w_esc(w, name);
    }
    w_puts(w, "</title>\n<style>\n");
    w_puts(w, k_css);
    w_puts(w, "</style>\n</head>\n<body>\n<header>\n<h1>");
    if (o && o->title)
        w_esc(w, o->title);
    else {
        w_puts(w, "Pipeline report: ");
        w_esc(w, name);
    }
    w_puts(w, "</h1>\n<p class=\"meta\">pipeline <code>");
    w_esc(w, dir);
    w_puts(w, "</code> &middot; catalog <code>");
    w_esc(w, lh_catalog_path(r->cat));
    w_puts(w, "</code> &middot; generated ");
    w_esc(w, when);
    if (r->scale != 1)
        w_printf(w, " &middot; expected counts &times; %lld", (long long)r->scale);
    w_printf(w, " &middot; last runs: %zu of %zu jobs succeeded", nok, nj);
    if (nfailed)
        w_printf(w, ", <span class=\"bad\">%zu failed</span>", nfailed);
    if (nnever)
        w_printf(w, ", %zu never run", nnever);
    w_puts(w, "</p>\n</header>\n<main>\n");
}

lh_rc lh_report_write(lh_engine *e, lh_pipeline *p, lh_buf *out, const lh_report_opts *o, lh_err *err)
{
    rctx r;
    lh_err verr;
    lh_rc rc;
    memset(&r, 0, sizeof r);
    r.e = e;
    r.cat = lh_engine_catalog(e);
    r.p = p;
    r.w.b = out;
    r.w.err = err;
    r.scale = o && o->scale > 0 ? o->scale : 1;
    r.preview_rows = o && o->preview_rows > 0 ? (o->preview_rows > 1000 ? 1000 : o->preview_rows) : 10;
    r.runs_per_job = o && o->runs_per_job > 0 ? o->runs_per_job : 5;
    lh_err_clear(&verr);
    rc = lh_graph_tables(p, &r.tables, &r.ntables, err);
    if (rc)
        goto out;
    rc = lh_pipeline_verify(p, e, r.scale, &r.vrows, &r.all_ok, &verr);
    if (rc == LH_ENOMEM) {
        rc = lh_errf(err, LH_ENOMEM, "%s", verr.msg);
        goto out;
    }
    if (rc) {
        r.vrows = NULL;
        snprintf(r.verify_error, sizeof r.verify_error, "%s", verr.msg[0] ? verr.msg : lh_strerror(rc));
    } else
        r.nv = lh_pipeline_expected_count(p);
    part_head(&r, o);
    part_counts(&r);
    part_nav(&r);
    part_zones(&r);
    if (!r.w.rc)
        part_graph(&r);
    if (!r.w.rc)
        part_runs(&r);
    if (!r.w.rc)
        part_consent(&r);
    w_puts(&r.w, "</main>\n<footer>Generated by lakehouse. One self-contained page: no scripts, no external "
                 "assets.</footer>\n</body>\n</html>\n");
    rc = r.w.rc;
out:
    lh_free(r.vrows);
    lh_free(r.tables);
    return rc;
}

lh_rc lh_report_write_file(lh_engine *e, lh_pipeline *p, const char *path, const lh_report_opts *o, lh_err *err)
{
    lh_buf b;
    char *tmp = NULL;
    FILE *f = NULL;
    lh_rc rc;
    lh_buf_init(&b, 0);
    rc = lh_report_write(e, p, &b, o, err);
    if (rc)
        goto out;
    tmp = lh_aprintf("%s.tmp-%ld", path, (long)getpid());
    if (!tmp) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    f = fopen(tmp, "wb");
    if (!f) {
        rc = lh_errf(err, errno == ENOENT ? LH_ENOTFOUND : LH_EIO, "%s: cannot create the report: %s", path,
                     strerror(errno));
        goto out;
    }
    if ((b.len && fwrite(b.data, 1, b.len, f) != b.len) || fflush(f) != 0) {
        rc = lh_errf(err, LH_EIO, "%s: cannot write the report: %s", path, strerror(errno));
        goto out;
    }
    if (fclose(f) != 0) {
        f = NULL;
        rc = lh_errf(err, LH_EIO, "%s: cannot write the report: %s", path, strerror(errno));
        goto out;
    }
    f = NULL;
    if (rename(tmp, path) != 0) {
        rc = lh_errf(err, LH_EIO, "%s: cannot move the report into place: %s", path, strerror(errno));
        goto out;
    }
out:
    if (f)
        fclose(f);
    if (rc && tmp)
        (void)remove(tmp);
    lh_free(tmp);
    lh_buf_free(&b);
    return rc;
}
