/* store/aws_creds.h — the AWS credential and configuration chain, found
 * where the AWS tools find it.
 *
 * Keys, in order:
 *  1. env AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN),
 *     unless a profile was named explicitly (as `aws --profile` does);
 *  2. the profile's section in the shared credentials file
 *     (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials; "[NAME]");
 *  3. the profile's section in the config file (AWS_CONFIG_FILE, else
 *     ~/.aws/config; "[profile NAME]", or "[default]").
 * The profile is the argument, else env AWS_PROFILE, else "default".
 * Region: env AWS_REGION, AWS_DEFAULT_REGION, then the profile's `region`
 * (config, then credentials file).  Endpoint: env AWS_ENDPOINT_URL_S3,
 * AWS_ENDPOINT_URL, then the profile's `endpoint_url` in the config file.
 * Empty environment variables count as unset.
 *
 * Files are INI: "[section]" lines, "key = value" lines, comments start
 * with '#' or ';' at the beginning of a line; indented lines under a key
 * with an empty value (nested service sections) are skipped.
 * Role assumption, SSO, credential_process and instance metadata are not
 * supported: a profile holding only those has no keys for us.
 *
 * Secrets: the secret key and session token are never put into an error
 * message; lh_aws_creds_free wipes them before freeing.
 *
 * Errors: LH_EAUTH when keys are wanted and none (or only half: a key id
 * without a secret) are found, naming where we looked; LH_EINVAL for an
 * explicitly named profile found in neither file; LH_EPERM/LH_EIO for an
 * unreadable file, naming it; LH_ELIMIT for a file over 1 MiB; LH_ENOMEM.
 */
#ifndef LH_STORE_AWS_CREDS_H
#define LH_STORE_AWS_CREDS_H

#include "util/err.h"

typedef struct lh_aws_creds {
    char *access_key;    /* NULL when not found (only when keys were not wanted) */
    char *secret_key;    /* secret: never print */
    char *session_token; /* secret; NULL if none */
    char *region;        /* NULL if none found */
    char *endpoint;      /* NULL if none found */
    char *profile;       /* the profile consulted */
    char source[600];    /* where the keys came from: "environment" or "profile \"x\" in PATH" */
} lh_aws_creds;

/* Fill *out (zeroed first) from the chain.  profile NULL: AWS_PROFILE or
 * "default".  want_keys: fail with LH_EAUTH when no keys are found;
 * otherwise only region and endpoint are required to be looked up. */
lh_rc lh_aws_creds_load(const char *profile, int want_keys, lh_aws_creds *out, lh_err *err) LH_MUST_CHECK;

/* Wipe the secrets and free every string; *c is zeroed.  NULL is fine. */
void lh_aws_creds_free(lh_aws_creds *c);

#endif
