/* libFuzzer target: the whole query path of our engine — parser, analyzer,
 * planner, executor — over SQL text.
 *
 * Tables of the in-memory STEDI schema (tests/unit/analyze_schema.h) are
 * empty (a scan is a VALUES of no rows), so what runs is the expressions,
 * VALUES, joins, aggregates, windows, sorts and set operations the input
 * builds from literals.  Every outcome is LH_OK or an error code with a
 * message; nothing crashes, leaks (ASan) or runs away: a memory budget of
 * 256 MiB and at most 2,000 output batches per input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/unit/analyze_schema.h"
#include "plan/planner.h"
#include "sql/parse.h"
#include "util/mem.h"

static lh_rc empty_scan(void *ctx, lh_exec_ctx *ectx, const char *db, const char *name, const uint32_t *cols,
                        const lh_sqltype *types, uint32_t n, lh_op **out, lh_err *err)
{
    (void)ctx;
    (void)db;
    (void)name;
    (void)cols;
    return lh_op_values(ectx, types, n, NULL, 0, out, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lh_ast *ast = NULL;
    lh_bound *b = NULL;
    lh_op *root = NULL;
    lh_err err;
    lh_exec_ctx ctx;
    lh_planner_io io = {NULL, empty_scan, NULL};
    lh_rc rc;
    if (lh_parse_query((const char *)data, size, "fuzz.sql", &ast, &err) != LH_OK)
        return 0;
    if (lh_analyze(ast, &MEM_SCHEMA, "fuzz.sql", &b, &err) != LH_OK) {
        lh_ast_free(ast);
        return 0;
    }
    lh_exec_ctx_init(&ctx);
    ctx.mem_limit = (size_t)256 << 20;
    ctx.now_us = 1700000000000000LL;
    rc = lh_plan_query(b, &io, &ctx, "fuzz.sql", &root, &err);
    if (rc == LH_OK) {
        lh_batch *batch;
        int k;
        if (!root)
            abort();
        for (k = 0; k < 2000; k++) {
            rc = lh_op_next(root, &batch, &err);
            if (rc || !batch)
                break;
            if (batch->ncols != root->ncols)
                abort(); /* a batch has the operator's schema */
        }
    } else if (root || !err.msg[0])
        abort(); /* a failed plan leaves no tree and says why */
    if (rc && !err.msg[0])
        abort();
    lh_op_free(root);
    if (atomic_load(&ctx.mem_used) != 0 && rc == LH_OK)
        abort(); /* every operator released what it charged */
    lh_bound_free(b);
    lh_ast_free(ast);
    return 0;
}
