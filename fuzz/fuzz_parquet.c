/* libFuzzer target: the Parquet reader (footer, Thrift compact protocol,
 * pages, encodings, decompression), through the object store as the
 * engine reads it. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/parquet.h"
#include "store/store.h"
#include "util/mem.h"

static lh_store *g_store;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *uri = "s3://fuzz/p/in.parquet";
    char **names = NULL, **htypes = NULL;
    size_t n = 0, i;
    lh_type *types = NULL;
    lh_pq_reader *r = NULL;
    int64_t rows = 0;
    lh_err err;
    int eof = 0, k = 0;
    if (!g_store) {
        char root[64];
        snprintf(root, sizeof root, "/dev/shm/lh-fuzz-%ld", (long)getpid());
        if (lh_store_open_local(root, &g_store, NULL))
            abort();
    }
    if (lh_store_put(g_store, uri, data, size, &err))
        abort();
    (void)lh_pq_count_rows(g_store, &uri, 1, &rows, &err);
    if (lh_pq_file_columns(g_store, uri, &names, &htypes, &n, &err) != LH_OK)
        return 0;
    types = calloc(n + 1, sizeof *types);
    if (!types)
        abort();
    for (i = 0; i < n; i++)
        if (lh_type_parse(htypes[i], strlen(htypes[i]), &types[i], NULL) != LH_OK)
            types[i].kind = LH_T_STRING;
    if (lh_pq_reader_open(g_store, &uri, 1, (const char *const *)names, types, n, &r, &err) == LH_OK) {
        while (k++ < 100000 && lh_pq_reader_next(r, &eof, &err) == LH_OK && !eof)
            for (i = 0; i < n; i++) {
                lh_value v;
                if (lh_pq_reader_value(r, i, &v, &err) != LH_OK)
                    break;
            }
        lh_pq_reader_close(r);
    }
    free(types);
    lh_pq_free_columns(names, htypes, n);
    return 0;
}
