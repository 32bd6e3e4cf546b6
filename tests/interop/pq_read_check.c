/* tests/interop/pq_read_check.c — reads the Parquet files DuckDB wrote
 * (ROOT/interop/duck/NAME.parquet) with the lakehouse reader, using the
 * Hive types lh_pq_file_columns reports, and compares every row with
 * NAME.jsonl (canonical form written by duckdb_check.mjs).
 * Prints "PASS lh-reads NAME" / "FAIL lh-reads NAME: why" per file.
 * Usage: pq_read_check ROOT */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/json.h"
#include "formats/parquet.h"
#include "store/store.h"

static int span_text(const lh_json_span *sp, char *buf, size_t n)
{
    lh_buf b;
    size_t k;
    lh_buf_init(&b, 0);
    if (sp->kind == LH_J_STRING) {
        if (lh_json_unescape(sp, &b, NULL))
            return -1;
    } else if (lh_buf_append(&b, sp->p, sp->n, NULL)) {
        return -1;
    }
    k = b.len < n - 1 ? b.len : n - 1;
    memcpy(buf, b.data ? b.data : "", k);
    buf[k] = 0;
    lh_buf_free(&b);
    return 0;
}

/* 1 if value v of Hive type ht equals the canonical expected span. */
static int same(const char *ht, const lh_value *v, const lh_json_span *e, char *why, size_t whyn)
{
    char want[4096], got[4096];
    if (e->kind == LH_J_NULL || e->kind == LH_J_ABSENT || v->t == LH_V_NULL) {
        snprintf(why, whyn, "expected %s, got %s", e->kind == LH_J_NULL || e->kind == LH_J_ABSENT ? "NULL" : "a value",
                 v->t == LH_V_NULL ? "NULL" : "a value");
        return (e->kind == LH_J_NULL || e->kind == LH_J_ABSENT) && v->t == LH_V_NULL;
    }
    if (span_text(e, want, sizeof want))
        return 0;
    got[0] = 0;
    if (v->t == LH_V_INT)
        snprintf(got, sizeof got, "%lld", (long long)v->i);
    else if (v->t == LH_V_REAL)
        snprintf(got, sizeof got, "%.17g", v->d);
    else
        snprintf(got, sizeof got, "%.*s", (int)v->n, v->s);
    snprintf(why, whyn, "expected %s, got %s (%s)", want, got, ht);
    if (!strcmp(ht, "tinyint") || !strcmp(ht, "smallint") || !strcmp(ht, "int") || !strcmp(ht, "bigint") ||
        !strcmp(ht, "boolean"))
        return v->t == LH_V_INT && strtoll(want, NULL, 10) == v->i;
    if (!strcmp(ht, "float") || !strcmp(ht, "double")) {
        if (v->t != LH_V_REAL)
            return 0;
        if (!strcmp(want, "NaN"))
            return isnan(v->d);
        return strtod(want, NULL) == v->d;
    }
    if (!strncmp(ht, "decimal", 7)) {
        double w = strtod(want, NULL);
        return v->t == LH_V_REAL && fabs(v->d - w) <= 1e-12 * (fabs(w) > 1 ? fabs(w) : 1);
    }
    if (!strcmp(ht, "date")) {
        int64_t d;
        return v->t == LH_V_TEXT && lh_parse_date(v->s, v->n, &d) == 0 && d == strtoll(want, NULL, 10);
    }
    if (!strcmp(ht, "timestamp")) {
        int64_t ms;
        return v->t == LH_V_TEXT && lh_parse_timestamp_ms(v->s, v->n, &ms) == 0 && ms == strtoll(want, NULL, 10);
    }
    return v->t == LH_V_TEXT && strlen(want) == v->n && memcmp(want, v->s, v->n) == 0;
}

static int check_file(lh_store *st, const char *root, const char *name, char *why, size_t whyn)
{
    char uri[1024], path[2048];
    char **names = NULL, **types = NULL;
    size_t n = 0, i;
    lh_type *ty = NULL;
    lh_pq_reader *r = NULL;
    lh_json_keys *keys = NULL;
    lh_json_span *spans = NULL;
    lh_err err;
    FILE *fp = NULL;
    char *line = NULL;
    size_t cap = 0;
    long rows = 0;
    int ok = 0;
    const char *u = uri;
    snprintf(uri, sizeof uri, "s3://interop/duck/%s.parquet", name);
    snprintf(path, sizeof path, "%s/interop/duck/%s.jsonl", root, name);
    if (lh_pq_file_columns(st, uri, &names, &types, &n, &err)) {
        snprintf(why, whyn, "%s", err.msg);
        return 0;
    }
    ty = calloc(n + 1, sizeof *ty);
    spans = calloc(n + 1, sizeof *spans);
    for (i = 0; i < n; i++)
        if (lh_type_parse(types[i], strlen(types[i]), &ty[i], &err)) {
            snprintf(why, whyn, "%s", err.msg);
            goto out;
        }
    if (lh_json_keys_new((const char *const *)names, n, 0, &keys, &err) ||
        lh_pq_reader_open(st, &u, 1, (const char *const *)names, ty, n, &r, &err)) {
        snprintf(why, whyn, "%s", err.msg);
        goto out;
    }
    fp = fopen(path, "r");
    if (!fp) {
        snprintf(why, whyn, "cannot open %s", path);
        goto out;
    }
    for (;;) {
        int eof = 0;
        ssize_t len;
        if (lh_pq_reader_next(r, &eof, &err)) {
            snprintf(why, whyn, "row %ld: %s", rows, err.msg);
            goto out;
        }
        len = getline(&line, &cap, fp);
        if (eof) {
            if (len > 1) {
                snprintf(why, whyn, "read %ld rows, DuckDB wrote more", rows);
                goto out;
            }
            break;
        }
        if (len <= 0) {
            snprintf(why, whyn, "read more rows than DuckDB wrote (%ld)", rows);
            goto out;
        }
        if (lh_json_scan_object(line, (size_t)len, keys, spans, &err)) {
            snprintf(why, whyn, "expected row %ld: %s", rows, err.msg);
            goto out;
        }
        for (i = 0; i < n; i++) {
            lh_value v;
            char w[512];
            if (lh_pq_reader_value(r, i, &v, &err)) {
                snprintf(why, whyn, "row %ld column %s: %s", rows, names[i], err.msg);
                goto out;
            }
            if (!same(types[i], &v, &spans[i], w, sizeof w)) {
                snprintf(why, whyn, "row %ld column %s: %s", rows, names[i], w);
                goto out;
            }
        }
        rows++;
    }
    snprintf(why, whyn, "%ld rows", rows);
    ok = 1;
out:
    if (fp)
        fclose(fp);
    free(line);
    free(spans);
    free(ty);
    lh_json_keys_free(keys);
    lh_pq_reader_close(r);
    lh_pq_free_columns(names, types, n);
    return ok;
}

int main(int argc, char **argv)
{
    lh_store *st;
    lh_err err;
    char dir[2048];
    DIR *d;
    struct dirent *de;
    int files = 0, fails = 0;
    if (argc != 2) {
        fprintf(stderr, "usage: pq_read_check ROOT\n");
        return 2;
    }
    if (lh_store_open_local(argv[1], &st, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    snprintf(dir, sizeof dir, "%s/interop/duck", argv[1]);
    d = opendir(dir);
    if (!d) {
        printf("FAIL lh-reads: no folder %s\n", dir);
        return 1;
    }
    while ((de = readdir(d))) {
        char name[512], why[1024];
        size_t l = strlen(de->d_name);
        if (l < 9 || strcmp(de->d_name + l - 8, ".parquet") != 0)
            continue;
        snprintf(name, sizeof name, "%.*s", (int)(l - 8), de->d_name);
        files++;
        if (check_file(st, argv[1], name, why, sizeof why)) {
            printf("PASS lh-reads %s (%s)\n", name, why);
        } else {
            printf("FAIL lh-reads %s: %s\n", name, why);
            fails++;
        }
    }
    closedir(d);
    lh_store_close(st);
    if (files == 0) {
        printf("FAIL lh-reads: no DuckDB files\n");
        return 1;
    }
    return fails ? 1 : 0;
}
