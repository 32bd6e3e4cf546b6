/* bench/json_parse.c — JSON-lines parsing micro-benchmark.
 *
 *   json_parse FILE...   (e.g. build/bench/data-10/accelerometer/landing/*.json)
 *
 * Loads the files into memory, then measures, per core, the throughput of
 * (1) lh_json_scan_object picking the table's keys out of every line, and
 * (2) the whole JSON-lines SerDe reader (line splitting, scanning, and
 * converting every column to its Hive type) through a local store.
 * Prints MB/s; best of 5 runs each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "formats/json.h"
#include "formats/jsonl.h"
#include "store/store.h"
#include "util/mem.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    static const char *keys[] = {"user", "timestamp", "x", "y", "z"};
    static const lh_kind kinds[] = {LH_T_STRING, LH_T_BIGINT, LH_T_DOUBLE, LH_T_DOUBLE, LH_T_DOUBLE};
    lh_buf all;
    lh_json_keys *k = NULL;
    lh_json_span sp[5];
    lh_err err;
    lh_store *st = NULL;
    char root[] = "/tmp/lh-jsonbench-XXXXXX";
    char **uris;
    double best1 = 1e9, best2 = 1e9;
    size_t lines = 0;
    int i, run;
    if (argc < 2) {
        fprintf(stderr, "usage: json_parse FILE...\n");
        return 2;
    }
    lh_buf_init(&all, (size_t)4 << 30);
    uris = calloc((size_t)argc, sizeof *uris);
    if (!uris || !mkdtemp(root) || lh_store_open_local(root, &st, &err) || lh_json_keys_new(keys, 5, 1, &k, &err))
        return 1;
    for (i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        char chunk[1 << 16];
        size_t n, start = all.len;
        if (!f)
            return 1;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            if (lh_buf_append(&all, chunk, n, &err))
                return 1;
        fclose(f);
        uris[i - 1] = lh_aprintf("s3://bench/f/%d.json", i);
        if (lh_store_put(st, uris[i - 1], all.data + start, all.len - start, &err))
            return 1;
    }
    for (run = 0; run < 5; run++) {
        const char *p = all.data, *end = all.data + all.len;
        double t0 = now();
        lines = 0;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
            if (lh_json_scan_object(p, n, k, sp, &err))
                return 1;
            lines++;
            p += n + 1;
        }
        if (now() - t0 < best1)
            best1 = now() - t0;
    }
    for (run = 0; run < 5; run++) {
        lh_jsonl_col cols[5];
        lh_jsonl_reader *r = NULL;
        int eof = 0, c;
        double t0;
        for (c = 0; c < 5; c++) {
            memset(&cols[c], 0, sizeof cols[c]);
            cols[c].name = keys[c];
            cols[c].type.kind = kinds[c];
        }
        t0 = now();
        if (lh_jsonl_reader_open(st, (const char *const *)uris, (size_t)argc - 1, cols, 5, NULL, &r, &err))
            return 1;
        while (lh_jsonl_reader_next(r, &eof, &err) == LH_OK && !eof)
            for (c = 0; c < 5; c++) {
                lh_value v;
                if (lh_jsonl_reader_value(r, (size_t)c, &v, &err))
                    return 1;
            }
        lh_jsonl_reader_close(r);
        if (now() - t0 < best2)
            best2 = now() - t0;
    }
    printf("JSON lines: %.1f MB, %zu lines\n", (double)all.len / 1e6, lines);
    printf("  scan (validate + pick 5 keys):        %7.0f MB/s per core\n", (double)all.len / 1e6 / best1);
    printf("  SerDe reader (read, scan, convert):   %7.0f MB/s per core\n", (double)all.len / 1e6 / best2);
    {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", root);
        if (system(cmd) != 0)
            fprintf(stderr, "warning: could not remove %s\n", root);
    }
    return 0;
}
