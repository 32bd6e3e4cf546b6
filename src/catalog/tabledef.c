/* catalog/tabledef.c — lh_table_def as plain data: free, deep copy,
 * property lookup (catalog.h).  No SQLite here. */
#include <string.h>
#include <strings.h>

#include "catalog/catalog.h"
#include "util/mem.h"

static void props_free(lh_prop *p, size_t n)
{
    if (!p)
        return;
    for (size_t i = 0; i < n; i++) {
        lh_free(p[i].key);
        lh_free(p[i].value);
    }
    lh_free(p);
}

void lh_table_def_free(lh_table_def *def)
{
    if (!def)
        return;
    lh_free(def->db);
    lh_free(def->name);
    lh_free(def->location);
    lh_free(def->format);
    lh_free(def->serde);
    lh_free(def->input_format);
    lh_free(def->output_format);
    props_free(def->serde_props, def->n_serde_props);
    props_free(def->tbl_props, def->n_tbl_props);
    if (def->cols)
        for (size_t i = 0; i < def->n_cols; i++) {
            lh_free(def->cols[i].name);
            lh_free(def->cols[i].type);
            lh_free(def->cols[i].comment);
        }
    lh_free(def->cols);
    lh_free(def->comment);
    lh_free(def->snapshot_prefix);
    lh_free(def->snapshot_time);
    if (def->files)
        for (size_t i = 0; i < def->n_files; i++)
            lh_free(def->files[i].uri);
    lh_free(def->files);
    memset(def, 0, sizeof *def);
}

/* *d = copy of s (NULL stays NULL); nonzero on allocation failure. */
static int dup_opt(char **d, const char *s)
{
    *d = s ? lh_strdup(s) : NULL;
    return s && !*d;
}

static int props_copy(lh_prop **dst, size_t *dn, const lh_prop *src, size_t n)
{
    *dst = NULL;
    *dn = 0;
    if (n == 0 || !src)
        return 0;
    *dst = lh_calloc(n, sizeof **dst);
    if (!*dst)
        return 1;
    *dn = n;
    for (size_t i = 0; i < n; i++)
        if (dup_opt(&(*dst)[i].key, src[i].key) || dup_opt(&(*dst)[i].value, src[i].value))
            return 1;
    return 0;
}

lh_rc lh_table_def_copy(lh_table_def *dst, const lh_table_def *src, lh_err *err)
{
    lh_table_def t;
    int bad;
    memset(&t, 0, sizeof t);
    t.managed = src->managed;
    t.snapshot_id = src->snapshot_id;
    t.snapshot_rows = src->snapshot_rows;
    t.snapshot_run_id = src->snapshot_run_id;
    bad = dup_opt(&t.db, src->db) || dup_opt(&t.name, src->name) || dup_opt(&t.location, src->location) ||
          dup_opt(&t.format, src->format) || dup_opt(&t.serde, src->serde) ||
          dup_opt(&t.input_format, src->input_format) || dup_opt(&t.output_format, src->output_format) ||
          dup_opt(&t.comment, src->comment) || dup_opt(&t.snapshot_prefix, src->snapshot_prefix) ||
          dup_opt(&t.snapshot_time, src->snapshot_time) ||
          props_copy(&t.serde_props, &t.n_serde_props, src->serde_props, src->n_serde_props) ||
          props_copy(&t.tbl_props, &t.n_tbl_props, src->tbl_props, src->n_tbl_props);
    if (!bad && src->n_cols && src->cols) {
        t.cols = lh_calloc(src->n_cols, sizeof *t.cols);
        bad = !t.cols;
        if (!bad)
            t.n_cols = src->n_cols;
        for (size_t i = 0; !bad && i < src->n_cols; i++)
            bad = dup_opt(&t.cols[i].name, src->cols[i].name) || dup_opt(&t.cols[i].type, src->cols[i].type) ||
                  dup_opt(&t.cols[i].comment, src->cols[i].comment);
    }
    if (!bad && src->n_files && src->files) {
        t.files = lh_calloc(src->n_files, sizeof *t.files);
        bad = !t.files;
        if (!bad)
            t.n_files = src->n_files;
        for (size_t i = 0; !bad && i < src->n_files; i++) {
            t.files[i].size = src->files[i].size;
            t.files[i].rows = src->files[i].rows;
            bad = dup_opt(&t.files[i].uri, src->files[i].uri);
        }
    }
    if (bad) {
        lh_table_def_free(&t);
        memset(dst, 0, sizeof *dst);
        return lh_errf(err, LH_ENOMEM, "out of memory copying the definition of table %s.%s",
                       src->db ? src->db : "?", src->name ? src->name : "?");
    }
    *dst = t;
    return LH_OK;
}

const char *lh_props_get(const lh_prop *props, size_t n, const char *key)
{
    if (!props || !key)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (props[i].key && strcasecmp(props[i].key, key) == 0)
            return props[i].value;
    return NULL;
}

/* ---- For runs.c (catalog/runs_int.h) ---- */
