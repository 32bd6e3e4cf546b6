/* libFuzzer target: the JSON-lines SerDe reader end to end (line
 * splitting across chunks, BOM, CRLF, conversion to every Hive type),
 * reading the input as one object of a local store in memory-backed /dev/shm. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/jsonl.h"
#include "store/store.h"

static lh_store *g_store;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *names[] = {"s", "i", "t", "b", "d", "ts", "dt", "f"};
    static const lh_kind kinds[] = {LH_T_STRING, LH_T_INT, LH_T_TINYINT, LH_T_BOOLEAN,
                                    LH_T_DOUBLE, LH_T_TIMESTAMP, LH_T_DATE, LH_T_DECIMAL};
    lh_jsonl_col cols[8];
    lh_jsonl_opts o;
    lh_jsonl_reader *r = NULL;
    const char *uri = "s3://fuzz/t/in.json";
    lh_err err;
    size_t i;
    int eof = 0, rows = 0;
    if (!g_store) {
        char root[64];
        snprintf(root, sizeof root, "/dev/shm/lh-fuzz-%ld", (long)getpid());
        if (lh_store_open_local(root, &g_store, NULL))
            abort();
    }
    if (lh_store_put(g_store, uri, data, size, &err))
        abort();
    for (i = 0; i < 8; i++) {
        memset(&cols[i], 0, sizeof cols[i]);
        cols[i].name = names[i];
        cols[i].type.kind = kinds[i];
        if (kinds[i] == LH_T_DECIMAL) {
            cols[i].type.p = 10;
            cols[i].type.s = 2;
        }
    }
    memset(&o, 0, sizeof o);
    o.ignore_malformed = size > 0 && (data[0] & 1);
    o.null_for_invalid = size > 0 && (data[0] & 2);
    o.chunk = size > 1 ? 1 + data[1] % 64 : 7; /* small chunks: lines cross them */
    o.max_line = 4096;
    if (lh_jsonl_reader_open(g_store, &uri, 1, cols, 8, &o, &r, &err))
        abort();
    while (rows < 10000 && lh_jsonl_reader_next(r, &eof, &err) == LH_OK && !eof) {
        for (i = 0; i < 8; i++) {
            lh_value v;
            if (lh_jsonl_reader_value(r, i, &v, &err) == LH_OK && v.t == LH_V_TEXT && v.n && !v.s)
                abort();
        }
        rows++;
    }
    lh_jsonl_reader_close(r);
    return 0;
}
