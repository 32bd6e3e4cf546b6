/* sql/ctas.c — CREATE TABLE ... AS SELECT: the engine's jobs.
 *
 * A run streams the query's rows into part objects under a prefix no
 * other run uses, <location>/run-<run id>-<UTC stamp>/, then commits a
 * snapshot pointing at exactly those objects in one catalog transaction.
 * Until that commit nothing a reader can see has changed; if anything
 * fails, the objects written so far are deleted (best effort: a crash
 * leaves them for vacuum) and the run is recorded as failed.
 *
 * The query runs on our engine (sql/ctas_vec.c), on one worker per core
 * when its plan streams one big table; each worker writes its own part
 * objects (sql/ctas_out.c) and the snapshot commits them all, once.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "catalog/lock.h"
#include "formats/parquet.h"
#include "sql/ctas_int.h"
#include "util/fault.h"
#include "util/mem.h"


#define JSON_SERDE "org.openx.data.jsonserde.JsonSerDe"
#define TEXT_INPUT "org.apache.hadoop.mapred.TextInputFormat"
#define TEXT_OUTPUT "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
#define PQ_SERDE "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
#define PQ_INPUT "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
#define PQ_OUTPUT "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

static lh_rc check_with(const lh_stmt *st, const char *filename, const char **format, const char **location,
                        lh_pq_codec *codec, lh_err *err)
{
    size_t i;
    const char *compression = NULL;
    *format = NULL;
    *location = NULL;
    *codec = LH_PQ_SNAPPY; /* as Athena, Glue and Spark write */
    for (i = 0; i < st->n_with; i++) {
        const char *k = st->with_props[i].key, *v = st->with_props[i].value;
        if (!strcmp(k, "format"))
            *format = v;
        else if (!strcmp(k, "external_location"))
            *location = v;
        else if (!strcmp(k, "write_compression") || !strcmp(k, "compression"))
            compression = v;
        else
            return lh_errf(err, LH_EUNSUPPORTED,
                           "%s:%d:%d: CREATE TABLE AS property '%s' is not supported; supported: format, "
                           "external_location, write_compression",
                           filename, st->line, st->col, k);
    }
    if (!*format)
        *format = "PARQUET"; /* Athena's default */
    if (strcasecmp(*format, "PARQUET") && strcasecmp(*format, "JSON"))
        return lh_errf(err, LH_EUNSUPPORTED, "%s:%d:%d: format = '%s' is not supported; use 'PARQUET' or 'JSON'",
                       filename, st->line, st->col, *format);
    if (compression && !strcasecmp(*format, "JSON") && strcasecmp(compression, "NONE") &&
        strcasecmp(compression, "UNCOMPRESSED"))
        return lh_errf(err, LH_EUNSUPPORTED,
                       "%s:%d:%d: write_compression = '%s' is not supported for JSON output; use 'NONE' or format = "
                       "'PARQUET'",
                       filename, st->line, st->col, compression);
    if (compression && !strcasecmp(*format, "PARQUET") && lh_pq_codec_parse(compression, codec, NULL) != LH_OK)
        return lh_errf(err, LH_EUNSUPPORTED,
                       "%s:%d:%d: write_compression = '%s' is not supported for Parquet; use 'SNAPPY', 'ZSTD', "
                       "'GZIP' or 'NONE'",
                       filename, st->line, st->col, compression);
    if (*location) {
        lh_rc rc = lh_uri_parse(*location, NULL, NULL, err);
        if (rc)
            return lh_err_prefix(err, "%s:%d:%d: external_location", filename, st->line, st->col);
    }
    return LH_OK;
}

static lh_rc build_def(lh_table_def *def, const char *db, const char *name, const char *location,
                       const lh_ctas_cols *c, const lh_ctas_out *o, lh_err *err)
{
    size_t i;
    char tb[64];
    static const char *const codecs[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD"};
    memset(def, 0, sizeof *def);
    def->db = lh_strdup(db);
    def->name = lh_strdup(name);
    def->managed = 1;
    def->location = lh_strdup(location);
    def->format = lh_strdup(o->parquet ? "parquet" : "json");
    def->serde = lh_strdup(o->parquet ? PQ_SERDE : JSON_SERDE);
    def->input_format = lh_strdup(o->parquet ? PQ_INPUT : TEXT_INPUT);
    def->output_format = lh_strdup(o->parquet ? PQ_OUTPUT : TEXT_OUTPUT);
    def->tbl_props = lh_calloc(2, sizeof *def->tbl_props);
    def->cols = lh_calloc(c->n + 1, sizeof *def->cols);
    if (!def->db || !def->name || !def->location || !def->format || !def->serde || !def->input_format ||
        !def->output_format || !def->tbl_props || !def->cols)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    def->tbl_props[0].key = lh_strdup("classification");
    def->tbl_props[0].value = lh_strdup(o->parquet ? "parquet" : "json");
    def->n_tbl_props = 1;
    if (!def->tbl_props[0].key || !def->tbl_props[0].value)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    if (o->parquet) {
        def->tbl_props[1].key = lh_strdup("parquet.compression");
        def->tbl_props[1].value = lh_strdup(codecs[o->codec]);
        def->n_tbl_props = 2;
        if (!def->tbl_props[1].key || !def->tbl_props[1].value)
            return lh_errf(err, LH_ENOMEM, "out of memory");
    }
    for (i = 0; i < c->n; i++) {
        def->cols[i].name = lh_strdup(c->names[i]);
        def->cols[i].type = lh_strdup(lh_type_name(o->pq_types ? &o->pq_types[i] : &c->types[i], tb, sizeof tb));
        def->n_cols++;
        if (!def->cols[i].name || !def->cols[i].type)
            return lh_errf(err, LH_ENOMEM, "out of memory");
    }
    return LH_OK;
}

/* The job's dead-letter table, db.<name>_quarantine: one row per line a
 * source table with 'ignore.malformed.json' skipped during this run (file,
 * line, reason, raw text).  Replaced on every run of the job once it
 * exists, so it always describes the latest run. */
static lh_rc commit_quarantine(lh_engine *e, const char *db, const char *name, const char *loc, const char *stamp,
                               int64_t *qrows, lh_err *err)
{
    static const char *const cols[] = {"source_table", "file", "line", "reason", "raw"};
    static const char *const types[] = {"string", "string", "bigint", "string", "string"};
    lh_table_def def, old;
    lh_data_file file;
    char *qname = lh_aprintf("%s_quarantine", name), *qloc = NULL, *prefix = NULL, *job = NULL;
    size_t ll = strlen(loc), i;
    int64_t run_id = 0, snap = 0;
    int exists = 0, run_open = 0;
    lh_rc rc;
    memset(&def, 0, sizeof def);
    memset(&old, 0, sizeof old);
    memset(&file, 0, sizeof file);
    *qrows = (int64_t)e->nquarantined;
    if (!qname) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    rc = lh_catalog_get_table(e->cat, db, qname, &old, err);
    if (rc == LH_OK)
        exists = 1;
    else if (rc != LH_ENOTFOUND)
        goto out;
    rc = LH_OK;
    if (!exists && e->nquarantined == 0)
        goto out;
    qloc = lh_aprintf("%.*s_quarantine/", (int)(ll && loc[ll - 1] == '/' ? ll - 1 : ll), loc);
    job = lh_aprintf("%s:quarantine", e->job ? e->job : name);
    if (!qloc || !job) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    rc = lh_catalog_run_begin(e->cat, job, &run_id, err);
    if (rc)
        goto out;
    run_open = 1;
    prefix = lh_aprintf("%srun-%06lld-%s/", qloc, (long long)run_id, stamp);
    if (!prefix) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    if (e->nquarantined) {
        file.uri = lh_aprintf("%spart-00000.json", prefix);
        if (!file.uri) {
            rc = lh_errf(err, LH_ENOMEM, "out of memory");
            goto out;
        }
        file.size = e->quarantine.len;
        file.rows = (int64_t)e->nquarantined;
        rc = lh_store_put(e->store, file.uri, e->quarantine.data, e->quarantine.len, err);
        if (rc)
            goto out;
    }
    def.db = (char *)db;
    def.name = qname;
    def.managed = 1;
    def.location = qloc;
    def.format = (char *)"json";
    def.serde = (char *)JSON_SERDE;
    def.input_format = (char *)TEXT_INPUT;
    def.output_format = (char *)TEXT_OUTPUT;
    def.comment = (char *)"lines the job's sources skipped under ignore.malformed.json";
    def.cols = lh_calloc(5, sizeof *def.cols);
    if (!def.cols) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < 5; i++) {
        def.cols[i].name = (char *)cols[i];
        def.cols[i].type = (char *)types[i];
    }
    def.n_cols = 5;
    rc = lh_catalog_commit_snapshot(e->cat, &def, run_id, prefix, file.uri ? &file : NULL, file.uri ? 1 : 0,
                                    (int64_t)e->nquarantined, (int64_t)e->nquarantined, &snap, err);
    if (!rc)
        run_open = 0;
out:
    if (rc && file.uri) {
        lh_err ignored;
        (void)!lh_store_delete(e->store, file.uri, &ignored);
    }
    if (run_open) {
        lh_err ignored;
        (void)!lh_catalog_run_fail(e->cat, run_id, -1, err ? err->msg : "failed", &ignored);
    }
    lh_free(def.cols);
    lh_table_def_free(&old);
    lh_free(file.uri);
    lh_free(prefix);
    lh_free(qloc);
    lh_free(job);
    lh_free(qname);
    return rc;
}

/* Refuse, before anything is written, a location that equals, contains or
 * lies inside another table's (the catalog refuses it again at commit). */
static lh_rc check_own_prefix(lh_engine *e, const lh_stmt *st, const char *filename, const char *db,
                              const char *what, const char *loc, lh_err *err)
{
    char *odb = NULL, *oname = NULL, *oloc = NULL;
    lh_rc rc = lh_catalog_location_owner(e->cat, loc, 0, db, st->name, &odb, &oname, &oloc, err);
    if (!rc && odb)
        rc = lh_errf(err, LH_EEXIST,
                     "%s:%d:%d: %s '%s' overlaps the location of table %s.%s (%s); choose a prefix of its own",
                     filename, st->line, st->col, what, loc, odb, oname, oloc);
    lh_free(odb);
    lh_free(oname);
    lh_free(oloc);
    return rc;
}

lh_rc lh_engine_ctas(lh_engine *e, const lh_stmt *st, const char *filename, const lh_sink *sink,
                     lh_stmt_stats *stats, lh_err *err)
{
    const char *db = st->db ? st->db : lh_engine_database(e);
    const char *format, *location;
    char *loc = NULL, *job = NULL;
    lh_table_def existing, def;
    lh_ctas_cols cols;
    lh_ctas_out o;
    int64_t run_id = 0, snap = 0;
    uint64_t rows = 0;
    lh_rc rc;
    int exists = 0, db_exists = 0, run_open = 0;
    time_t now = time(NULL);
    struct tm tmv;
    char stamp[32];
    lh_lake_lock *lock = NULL;

    memset(&existing, 0, sizeof existing);
    memset(&def, 0, sizeof def);
    memset(&cols, 0, sizeof cols);
    memset(&o, 0, sizeof o);
    o.e = e;
    o.store = e->store;
    lh_buf_init(&o.buf, 0);
    stats->is_ctas = 1;
    snprintf(stats->target, sizeof stats->target, "%s.%s", db, st->name);

    rc = check_with(st, filename, &format, &location, &o.codec, err);
    if (rc)
        goto out;
    rc = lh_lake_lock_acquire(lh_catalog_path(e->cat), stats->target, 0, &lock, err);
    if (rc)
        goto out;
    rc = lh_catalog_database_exists(e->cat, db, &db_exists, err);
    if (rc)
        goto out;
    if (!db_exists) {
        rc = lh_errf(err, LH_ENOTFOUND, "%s:%d:%d: database '%s' does not exist; CREATE DATABASE %s first", filename,
                     st->line, st->col, db, db);
        goto out;
    }
    rc = lh_catalog_get_table(e->cat, db, st->name, &existing, err);
    if (rc == LH_OK)
        exists = 1;
    else if (rc != LH_ENOTFOUND)
        goto out;
    rc = LH_OK;
    if (exists && st->if_not_exists) {
        lh_engine_notice(sink, "Table %s.%s exists; nothing done (IF NOT EXISTS)", db, st->name);
        goto out;
    }
    if (exists && !existing.managed) {
        rc = lh_errf(err, LH_EEXIST,
                     "%s:%d:%d: table %s.%s exists as an EXTERNAL table; a CREATE TABLE AS job only replaces tables it "
                     "created. DROP TABLE it first",
                     filename, st->line, st->col, db, st->name);
        goto out;
    }
    if (location) {
        size_t n = strlen(location);
        loc = n && location[n - 1] == '/' ? lh_strdup(location) : lh_aprintf("%s/", location);
    } else if (exists)
        loc = lh_strdup(existing.location);
    else
        loc = lh_aprintf("s3://lakehouse-warehouse/%s/%s/", db, st->name);
    job = e->job ? lh_strdup(e->job) : lh_aprintf("ctas %s.%s", db, st->name);
    if (!loc || !job) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    rc = check_own_prefix(e, st, filename, db, location ? "external_location" : "location", loc, err);
    if (rc)
        goto out;

    rc = lh_catalog_run_begin(e->cat, job, &run_id, err);
    if (rc)
        goto out;
    run_open = 1;
    stats->run_id = run_id;
    gmtime_r(&now, &tmv);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tmv);
    o.parquet = !strcasecmp(format, "PARQUET");
    o.prefix = lh_aprintf("%srun-%06lld-%s/", loc, (long long)run_id, stamp);
    if (!o.prefix) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }

    rc = lh_ctas_vec_run(e, st, filename, &o, &cols, &rows, err);
    if (!rc && st->with_no_data)
        rc = o.parquet ? lh_ctas_pq_finish(&o, cols.n, err) : lh_ctas_close_part(&o, err);
    if (rc)
        goto out;
    rc = build_def(&def, db, st->name, loc, &cols, &o, err);
    if (rc)
        goto out;
    if (!st->with_no_data) {
        int64_t qrows = 0;
        rc = commit_quarantine(e, db, st->name, loc, stamp, &qrows, err);
        if (rc)
            goto out;
        if (qrows)
            lh_engine_notice(sink, "Quarantined %lld malformed line%s in %s.%s_quarantine", (long long)qrows,
                             qrows == 1 ? "" : "s", db, st->name);
    }
    lh_crashpoint("before catalog commit");
    rc = lh_catalog_commit_snapshot(e->cat, &def, run_id, o.prefix, o.files, o.nfiles, (int64_t)e->rows_read,
                                    (int64_t)rows, &snap, err);
    if (rc)
        goto out;
    lh_crashpoint("after catalog commit");
    run_open = 0;
    stats->snapshot_id = snap;
    stats->rows_out = rows;
    lh_engine_notice(sink, "Created %s.%s: %llu rows in %zu object%s under %s (snapshot %lld)", db, st->name,
                     (unsigned long long)rows, o.nfiles, o.nfiles == 1 ? "" : "s", o.prefix, (long long)snap);
out:
    if (rc) {
        lh_ctas_discard(&o);
        rc = lh_engine_cancelled(e, rc, err);
        if (run_open && rc == LH_ECANCELLED) {
            lh_err ignored;
            (void)!lh_catalog_run_cancel(e->cat, run_id, (int64_t)e->rows_read,
                                         "cancelled (interrupted); the previous snapshot was kept", &ignored);
        } else if (run_open) {
            lh_err ignored;
            (void)!lh_catalog_run_fail(e->cat, run_id, (int64_t)e->rows_read, err ? err->msg : "failed", &ignored);
        }
    }
    lh_ctas_cols_free(&cols);
    lh_ctas_out_free(&o);
    lh_table_def_free(&existing);
    lh_table_def_free(&def);
    lh_free(loc);
    lh_free(job);
    lh_lake_lock_release(lock);
    return rc;
}
