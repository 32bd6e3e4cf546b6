/* cli/cli.h — what the command files of the CLI share: the opened lake
 * (store + catalog + engine) and the interactive shell. */
#ifndef LH_CLI_CLI_H
#define LH_CLI_CLI_H

#include "catalog/catalog.h"
#include "cli/output.h"
#include "sql/engine.h"
#include "store/store.h"

typedef struct lh_lake {
    char *root;
    char *catalog_path;
    lh_store *store;
    lh_catalog *cat;
    lh_engine *engine;
} lh_lake;

typedef struct lh_global_opts {
    const char *lake;     /* --lake */
    const char *catalog;  /* --catalog */
    int s3;               /* --s3 or LAKEHOUSE_S3=1: s3:// URIs go to an S3 endpoint */
    const char *endpoint; /* --endpoint (else AWS_ENDPOINT_URL, else AWS's regional one) */
    const char *region;   /* --region */
    const char *profile;  /* --profile */
    const char *memory_limit; /* --memory-limit (else LH_MEMORY_LIMIT, else 60% of RAM) */
} lh_global_opts;

lh_rc lh_lake_open(const lh_global_opts *g, lh_lake *lake, lh_err *err) LH_MUST_CHECK;
void lh_lake_close(lh_lake *lake);

/* Interactive SQL shell with line editing and history; returns exit code. */
int lh_shell(lh_lake *lake, lh_outfmt fmt);

#endif
