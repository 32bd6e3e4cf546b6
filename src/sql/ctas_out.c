/* sql/ctas_out.c — a CREATE TABLE AS run's output: part objects under
 * the run's prefix, and its output columns (sql/ctas_int.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "formats/jsonl.h"
#include "sql/ctas_int.h"
#include "util/fault.h"
#include "util/names.h"

#define PART_BYTES ((uint64_t)128 << 20) /* roll to a new part object past this */
#define FLUSH_BYTES ((size_t)1 << 20)


lh_rc lh_ctas_add_file(lh_ctas_out *o, char *uri, uint64_t size, int64_t rows, lh_err *err)
{
    if (o->nfiles == o->afiles) {
        size_t na = o->afiles ? o->afiles * 2 : 4;
        lh_data_file *nf = lh_realloc(o->files, na * sizeof *nf);
        if (!nf)
            return lh_errf(err, LH_ENOMEM, "out of memory");
        o->files = nf;
        o->afiles = na;
    }
    o->files[o->nfiles].uri = uri;
    o->files[o->nfiles].size = size;
    o->files[o->nfiles].rows = rows;
    o->nfiles++;
    return LH_OK;
}

/* Finish the Parquet object; its column types (inferred ones resolved) go
 * to o->pq_types. */
lh_rc lh_ctas_pq_finish(lh_ctas_out *o, size_t ncols, lh_err *err)
{
    uint64_t bytes = 0, rows = 0;
    lh_rc rc;
    lh_pq_writer *w = o->pw;
    if (!w)
        return LH_OK;
    rc = lh_pq_writer_infer(w, err);
    if (rc)
        return rc;
    o->pq_types = lh_calloc(ncols + 1, sizeof *o->pq_types);
    if (!o->pq_types)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    memcpy(o->pq_types, lh_pq_writer_types(w), ncols * sizeof *o->pq_types);
    o->pw = NULL;
    rc = lh_pq_writer_close(w, &bytes, &rows, err);
    if (rc)
        return rc;
    rc = lh_ctas_add_file(o, o->cur_uri, bytes, (int64_t)rows, err);
    if (!rc)
        o->cur_uri = NULL;
    else
        lh_free(o->cur_uri), o->cur_uri = NULL;
    if (!rc)
        lh_crashpoint("parquet object committed");
    return rc;
}

lh_rc lh_ctas_close_part(lh_ctas_out *o, lh_err *err)
{
    lh_rc rc;
    if (!o->w)
        return LH_OK;
    if (o->buf.len) {
        rc = lh_store_writer_write(o->w, o->buf.data, o->buf.len, err);
        if (rc)
            return rc;
        lh_buf_reset(&o->buf);
    }
    {
        uint64_t size = lh_store_writer_size(o->w);
        rc = lh_store_writer_commit(o->w, err);
        o->w = NULL;
        if (rc)
            return rc; /* cur_uri freed by lh_ctas_out_free */
        rc = lh_ctas_add_file(o, o->cur_uri, size, o->cur_rows, err);
        if (rc) {
            lh_err ignored;
            (void)!lh_store_delete(o->store, o->cur_uri, &ignored);
            return rc;
        }
        o->cur_uri = NULL;
    }
    return LH_OK;
}

static lh_rc ctas_open_part(lh_ctas_out *o, lh_err *err)
{
    o->cur_uri = lh_aprintf("%spart-%05zu.json", o->prefix, o->part_base + o->nfiles);
    if (!o->cur_uri)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    o->cur_rows = 0;
    return lh_store_writer_open(o->store, o->cur_uri, &o->w, err);
}

lh_rc lh_ctas_batch(lh_ctas_out *o, const char *const *names, const lh_type *types, const lh_colvals *cols,
                    const uint16_t *sel, uint32_t n, size_t ncols, lh_err *err)
{
    lh_rc rc;
    uint32_t from = 0, next;
    if (n == 0)
        return LH_OK;
    if (o->parquet) {
        if (!o->pw) {
            lh_pq_write_opts po;
            memset(&po, 0, sizeof po);
            po.codec = o->codec;
            /* Row groups of 32 MiB of buffered values (about 190,000 rows of
             * the 7-column ML table, 2-5 MB on disk; DuckDB writes 122,880
             * rows): the writer then encodes one on its thread while the next
             * fills, and a parallel run's writers stay near 100 MB
             * each.  At the writer's default of 128 MiB the scale-100 run
             * peaked at 1.27 GB. */
            po.row_group_bytes = (size_t)32 << 20;
            po.created_by = "lakehouse version 0.1.0";
            o->cur_uri = lh_aprintf("%spart-%05zu.parquet", o->prefix, o->part_base + o->nfiles);
            if (!o->cur_uri)
                return lh_errf(err, LH_ENOMEM, "out of memory");
            rc = lh_pq_writer_open(o->store, o->cur_uri, names, types, ncols, &po, &o->pw, err);
            if (rc)
                return rc;
        }
        return lh_pq_writer_batch(o->pw, cols, sel, n, err);
    }
    while (from < n) {
        if (!o->w && (rc = ctas_open_part(o, err)))
            return rc;
        /* up to the row that fills the flush buffer, then flush: the
         * part objects end where they did row by row */
        rc = lh_jsonl_append_batch(&o->buf, names, types, cols, ncols, sel, from, n, FLUSH_BYTES, &next, err);
        o->cur_rows += next - from;
        from = next;
        if (rc)
            return rc;
        if (o->buf.len >= FLUSH_BYTES) {
            rc = lh_store_writer_write(o->w, o->buf.data, o->buf.len, err);
            if (rc)
                return rc;
            lh_buf_reset(&o->buf);
            if (lh_store_writer_size(o->w) >= PART_BYTES && (rc = lh_ctas_close_part(o, err)))
                return rc;
        }
    }
    return LH_OK;
}

/* Undo: abort the open part, delete the committed ones. */
void lh_ctas_discard(lh_ctas_out *o)
{
    size_t i;
    if (o->w)
        lh_store_writer_abort(o->w);
    o->w = NULL;
    if (o->pw)
        lh_pq_writer_abort(o->pw);
    o->pw = NULL;
    for (i = 0; i < o->nfiles; i++) {
        lh_err ignored;
        (void)!lh_store_delete(o->store, o->files[i].uri, &ignored);
    }
}

void lh_ctas_out_free(lh_ctas_out *o)
{
    size_t i;
    for (i = 0; i < o->nfiles; i++)
        lh_free(o->files[i].uri);
    lh_free(o->files);
    lh_free(o->cur_uri);
    lh_free(o->prefix);
    lh_free(o->pq_types);
    lh_buf_free(&o->buf);
}

/* Athena names a result column that is not a plain name _colN. */
char *lh_ctas_column_name(const char *name, int i)
{
    size_t k, n = strlen(name);
    char *s;
    int plain = n > 0;
    for (k = 0; k < n; k++)
        if (!(isalnum((unsigned char)name[k]) || name[k] == '_'))
            plain = 0;
    if (!plain)
        return lh_aprintf("_col%d", i);
    s = lh_strdup(name);
    if (s)
        for (k = 0; k < n; k++)
            s[k] = (char)tolower((unsigned char)s[k]);
    return s;
}



void lh_ctas_cols_free(lh_ctas_cols *c)
{
    size_t i;
    for (i = 0; c->names && i < c->n; i++)
        lh_free(c->names[i]);
    lh_free(c->names);
    lh_free(c->types);
}

lh_rc lh_ctas_cols_init(lh_ctas_cols *c, size_t n, const char *filename, const lh_stmt *st, lh_err *err)
{
    c->n = n;
    c->names = lh_calloc(c->n + 1, sizeof *c->names);
    c->types = lh_calloc(c->n + 1, sizeof *c->types);
    if (!c->names || !c->types)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    if (c->n == 0)
        return lh_errf(err, LH_EINVAL, "%s:%d:%d: the query of CREATE TABLE AS returns no columns", filename,
                       st->query_line, st->query_col);
    if (c->n > LH_MAX_COLUMNS)
        return lh_errf(err, LH_ELIMIT, "%s:%d:%d: the query of CREATE TABLE AS returns %zu columns; a table holds at most %d",
                       filename, st->query_line, st->query_col, c->n, LH_MAX_COLUMNS);
    return LH_OK;
}

lh_rc lh_ctas_cols_name(lh_ctas_cols *c, size_t i, const char *name, const char *filename, const lh_stmt *st,
                        lh_err *err)
{
    size_t j;
    lh_err ne;
    c->names[i] = lh_ctas_column_name(name, (int)i);
    if (!c->names[i])
        return lh_errf(err, LH_ENOMEM, "out of memory");
    if (lh_name_check_column(c->names[i], &ne))
        return lh_errf(err, LH_EINVAL, "%s:%d:%d: CREATE TABLE AS output column %zu: %s; name it with AS", filename,
                       st->query_line, st->query_col, i + 1, ne.msg);
    for (j = 0; j < i; j++)
        if (!strcmp(c->names[j], c->names[i]))
            return lh_errf(err, LH_EINVAL,
                           "%s:%d:%d: column name '%s' specified more than once in the CREATE TABLE AS query; "
                           "give the columns distinct names with AS",
                           filename, st->query_line, st->query_col, c->names[i]);
    return LH_OK;
}
