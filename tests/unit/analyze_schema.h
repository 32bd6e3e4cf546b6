/* tests/unit/analyze_schema.h — the STEDI tables (pipelines/stedi/ddl and
 * the CTAS jobs' outputs) as an in-memory schema provider, plus stedi.t
 * with one column of every type, for test_analyze and fuzz_analyze. */
#ifndef LH_TEST_ANALYZE_SCHEMA_H
#define LH_TEST_ANALYZE_SCHEMA_H

#include <string.h>

#include "plan/analyze.h"

typedef struct mem_table {
    const char *name;
    const char *cols; /* "name type, name type" */
} mem_table;

static const mem_table MEM_TABLES[] = {
#define CUST "customername string, email string, phone string, birthday string, serialnumber string, " \
             "registrationdate bigint, lastupdatedate bigint, sharewithresearchasofdate bigint, " \
             "sharewithpublicasofdate bigint, sharewithfriendsasofdate bigint"
    {"customer_landing", CUST},
    {"customer_trusted", CUST},
    {"customer_curated", CUST},
    {"accelerometer_landing", "user string, timestamp bigint, x double, y double, z double"},
    {"accelerometer_trusted", "user string, timestamp bigint, x double, y double, z double"},
    {"step_trainer_landing", "sensorreadingtime bigint, serialnumber string, distancefromobject int"},
    {"step_trainer_trusted", "sensorreadingtime bigint, serialnumber string, distancefromobject int"},
    {"machine_learning_curated", "sensorreadingtime bigint, serialnumber string, distancefromobject int, "
                                 "timestamp bigint, x double, y double, z double"},
    {"t", "i int, b bigint, d decimal(10,2), s string, dt date, ts timestamp, bo boolean, r float, db double, "
          "c char(3), sm smallint, ti tinyint, v varchar(5), bin binary, email string"},
    {"nested", "id int, arr array<int>"},
};
#define N_MEM_TABLES (sizeof MEM_TABLES / sizeof MEM_TABLES[0])

static lh_rc mem_lookup(void *ctx, const char *catalog, const char *db, const char *table, lh_arena *arena,
                        lh_schema_table *out, int *found, lh_err *err)
{
    (void)ctx;
    *found = 0;
    if ((catalog && strcmp(catalog, "awsdatacatalog")) || strcmp(db, "stedi"))
        return LH_OK;
    for (size_t i = 0; i < N_MEM_TABLES; i++) {
        if (strcmp(MEM_TABLES[i].name, table))
            continue;
        lh_schema_col *cols = lh_arena_alloc(arena, 40 * sizeof *cols);
        if (!cols)
            return lh_errf(err, LH_ENOMEM, "out of memory");
        size_t n = 0;
        const char *p = MEM_TABLES[i].cols;
        while (*p) {
            const char *sp = strchr(p, ' ');
            const char *end = sp;
            int depth = 0;
            while (*end && (depth || *end != ',')) {
                depth += *end == '(' || *end == '<';
                depth -= *end == ')' || *end == '>';
                end++;
            }
            memset(&cols[n], 0, sizeof cols[n]);
            cols[n].name = lh_arena_strndup(arena, p, (size_t)(sp - p));
            if (!cols[n].name)
                return lh_errf(err, LH_ENOMEM, "out of memory");
            lh_err e2;
            lh_rc rc = lh_sqltype_from_hive_name(sp + 1, (size_t)(end - sp - 1), &cols[n].type, &e2);
            if (rc) {
                cols[n].refused = lh_arena_strndup(arena, e2.msg, strlen(e2.msg));
                if (!cols[n].refused)
                    return lh_errf(err, LH_ENOMEM, "out of memory");
            }
            n++;
            p = *end ? end + 2 : end;
        }
        cols[n++] = (lh_schema_col){.name = "$path", .type = lh_sqltype_varchar(LH_SQL_UNBOUNDED), .hidden = 1};
        out->db = "stedi";
        out->name = MEM_TABLES[i].name;
        out->cols = cols;
        out->n_cols = n;
        *found = 1;
        return LH_OK;
    }
    return LH_OK;
}

static lh_rc mem_list(void *ctx, const char *db, lh_arena *arena, const char ***names, size_t *n, lh_err *err)
{
    (void)ctx;
    (void)db;
    const char **v = lh_arena_alloc(arena, N_MEM_TABLES * sizeof *v);
    if (!v)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    for (size_t i = 0; i < N_MEM_TABLES; i++)
        v[i] = MEM_TABLES[i].name;
    *names = v;
    *n = N_MEM_TABLES;
    return LH_OK;
}

static const lh_schema MEM_SCHEMA = {.ctx = NULL, .default_db = "stedi", .lookup = mem_lookup, .list_tables = mem_list};

#endif
