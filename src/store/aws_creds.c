/* store/aws_creds.c — the AWS credential chain (env, shared credentials
 * file, config file) and region/endpoint lookup.  See aws_creds.h. */
#include "store/aws_creds.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

#define INI_MAX ((size_t)1 << 20)

static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

static void wipe_free(char *s)
{
    if (!s)
        return;
    explicit_bzero(s, strlen(s));
    lh_free(s);
}

void lh_aws_creds_free(lh_aws_creds *c)
{
    if (!c)
        return;
    lh_free(c->access_key);
    wipe_free(c->secret_key);
    wipe_free(c->session_token);
    lh_free(c->region);
    lh_free(c->endpoint);
    lh_free(c->profile);
    memset(c, 0, sizeof *c);
}

/* ---- files ---- */

/* Read a whole (small) file.  *text NULL and LH_OK when it does not exist. */
static lh_rc read_small(const char *path, char **text, lh_err *err)
{
    lh_buf b;
    char chunk[4096];
    size_t n;
    lh_rc rc = LH_OK;
    FILE *f;
    *text = NULL;
    lh_buf_init(&b, INI_MAX);
    f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT || errno == ENOTDIR)
            return LH_OK;
        return lh_errf(err, errno == EACCES ? LH_EPERM : LH_EIO, "AWS settings file %s: cannot open: %s", path,
                       strerror(errno));
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        rc = lh_buf_append(&b, chunk, n, NULL);
        if (rc) {
            rc = rc == LH_ELIMIT ? lh_errf(err, LH_ELIMIT, "AWS settings file %s: larger than %zu bytes", path, INI_MAX)
                                 : lh_errf(err, rc, "AWS settings file %s: out of memory reading it", path);
            goto out;
        }
    }
    if (ferror(f)) {
        rc = lh_errf(err, LH_EIO, "AWS settings file %s: read error", path);
        goto out;
    }
    *text = b.len ? lh_buf_detach(&b) : lh_strdup("");
    if (!*text)
        rc = lh_errf(err, LH_ENOMEM, "AWS settings file %s: out of memory reading it", path);
out:
    fclose(f);
    lh_buf_free(&b);
    return rc;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

static void trim(const char **s, const char **e)
{
    while (*s < *e && is_space(**s))
        (*s)++;
    while (*e > *s && is_space((*e)[-1]))
        (*e)--;
}

/* Does section text [s,e) name profile p?  config: "profile P" (any blanks
 * between) or, for "default", plain "default"; credentials: exactly "P". */
static int section_is(const char *s, const char *e, const char *p, int config)
{
    size_t pl = strlen(p);
    trim(&s, &e);
    if (config && (size_t)(e - s) > 7 && !strncmp(s, "profile", 7) && is_space(s[7])) {
        s += 7;
        trim(&s, &e);
        return (size_t)(e - s) == pl && !memcmp(s, p, pl);
    }
    if (config && strcmp(p, "default") != 0)
        return 0;
    return (size_t)(e - s) == pl && !memcmp(s, p, pl);
}

/* Look key up in profile's section of INI text.  *found_section is set
 * when the section exists.  *out is a fresh trimmed copy, or NULL. */
static lh_rc ini_get(const char *text, const char *profile, int config, const char *key, const char *path,
                     int *found_section, char **out, lh_err *err)
{
    const char *p = text;
    int in = 0, nested = 0;
    size_t kl = strlen(key);
    *out = NULL;
    while (p && *p) {
        const char *eol = strchr(p, '\n');
        const char *s = p, *e = eol ? eol : p + strlen(p);
        int indented = s < e && is_space(*s);
        p = eol ? eol + 1 : NULL;
        trim(&s, &e);
        if (s == e || *s == '#' || *s == ';')
            continue;
        if (*s == '[' && !indented) {
            const char *close = memchr(s, ']', (size_t)(e - s));
            in = close && section_is(s + 1, close, profile, config);
            if (in && found_section)
                *found_section = 1;
            nested = 0;
            continue;
        }
        if (!in)
            continue;
        if (indented && nested) /* a nested service section: "s3 =\n  key = v" */
            continue;
        nested = 0;
        {
            const char *eq = memchr(s, '=', (size_t)(e - s));
            const char *ks = s, *ke, *vs, *ve = e;
            if (!eq)
                continue;
            ke = eq;
            vs = eq + 1;
            trim(&ks, &ke);
            trim(&vs, &ve);
            if (vs == ve) {
                nested = 1;
                continue;
            }
            if ((size_t)(ke - ks) == kl && !strncasecmp(ks, key, kl)) {
                lh_free(*out); /* the last assignment wins */
                *out = lh_strndup(vs, (size_t)(ve - vs));
                if (!*out)
                    return lh_errf(err, LH_ENOMEM, "AWS settings file %s: out of memory", path);
            }
        }
    }
    return LH_OK;
}

/* ---- the chain ---- */

typedef struct files {
    char *cred_path, *conf_path;
    char *cred, *conf; /* contents, NULL when absent */
    int cred_has, conf_has;
} files;

static lh_rc default_path(const char *envname, const char *leaf, char **out, lh_err *err)
{
    const char *v = env(envname), *home = env("HOME");
    if (v)
        *out = lh_strdup(v);
    else if (home)
        *out = lh_aprintf("%s/.aws/%s", home, leaf);
    else
        *out = lh_aprintf("~/.aws/%s", leaf); /* no HOME: a path that will not exist */
    return *out ? LH_OK : lh_errf(err, LH_ENOMEM, "out of memory locating AWS settings");
}

/* Value of key for the profile: config first when config_first, else the
 * credentials file first. */
static lh_rc lookup(files *f, const char *profile, const char *key, int config_first, char **out, lh_err *err)
{
    int pass;
    lh_rc rc;
    *out = NULL;
    for (pass = 0; pass < 2 && !*out; pass++) {
        int config = (pass == 0) == (config_first != 0);
        const char *text = config ? f->conf : f->cred;
        if (!text)
            continue;
        rc = ini_get(text, profile, config, key, config ? f->conf_path : f->cred_path,
                     config ? &f->conf_has : &f->cred_has, out, err);
        if (rc)
            return rc;
    }
    return LH_OK;
}

static lh_rc dup_env(const char *name, char **out, lh_err *err)
{
    const char *v = env(name);
    *out = NULL;
    if (!v)
        return LH_OK;
    *out = lh_strdup(v);
    return *out ? LH_OK : lh_errf(err, LH_ENOMEM, "out of memory reading %s", name);
}

lh_rc lh_aws_creds_load(const char *profile, int want_keys, lh_aws_creds *out, lh_err *err)
{
    files f;
    int explicit_profile = profile != NULL && *profile;
    const char *prof = explicit_profile ? profile : env("AWS_PROFILE") ? env("AWS_PROFILE") : "default";
    const char *src_path = NULL;
    lh_rc rc;
    memset(&f, 0, sizeof f);
    memset(out, 0, sizeof *out);
    out->profile = lh_strdup(prof);
    if (!out->profile) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory loading AWS settings");
        goto out;
    }
    rc = default_path("AWS_SHARED_CREDENTIALS_FILE", "credentials", &f.cred_path, err);
    if (!rc)
        rc = default_path("AWS_CONFIG_FILE", "config", &f.conf_path, err);
    if (!rc)
        rc = read_small(f.cred_path, &f.cred, err);
    if (!rc)
        rc = read_small(f.conf_path, &f.conf, err);
    if (rc)
        goto out;

    /* keys */
    if (!explicit_profile && env("AWS_ACCESS_KEY_ID")) {
        if (!env("AWS_SECRET_ACCESS_KEY")) {
            rc = lh_errf(err, LH_EAUTH, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both");
            goto out;
        }
        rc = dup_env("AWS_ACCESS_KEY_ID", &out->access_key, err);
        if (!rc)
            rc = dup_env("AWS_SECRET_ACCESS_KEY", &out->secret_key, err);
        if (!rc)
            rc = dup_env("AWS_SESSION_TOKEN", &out->session_token, err);
        if (rc)
            goto out;
        snprintf(out->source, sizeof out->source, "environment (AWS_ACCESS_KEY_ID)");
    } else {
        rc = ini_get(f.cred ? f.cred : "", prof, 0, "aws_access_key_id", f.cred_path, &f.cred_has, &out->access_key,
                     err);
        src_path = f.cred_path;
        if (!rc && !out->access_key) {
            rc = ini_get(f.conf ? f.conf : "", prof, 1, "aws_access_key_id", f.conf_path, &f.conf_has,
                         &out->access_key, err);
            src_path = f.conf_path;
        }
        if (rc)
            goto out;
        if (out->access_key) {
            rc = ini_get(src_path == f.cred_path ? f.cred : f.conf, prof, src_path == f.conf_path,
                         "aws_secret_access_key", src_path, NULL, &out->secret_key, err);
            if (!rc)
                rc = ini_get(src_path == f.cred_path ? f.cred : f.conf, prof, src_path == f.conf_path,
                             "aws_session_token", src_path, NULL, &out->session_token, err);
            if (rc)
                goto out;
            if (!out->secret_key) {
                rc = lh_errf(err, LH_EAUTH,
                             "AWS profile \"%s\" in %s sets aws_access_key_id but not aws_secret_access_key", prof,
                             src_path);
                goto out;
            }
            snprintf(out->source, sizeof out->source, "profile \"%s\" in %s", prof, src_path);
        }
    }
    if (want_keys && !out->access_key) {
        if (explicit_profile && !f.cred_has && !f.conf_has)
            rc = lh_errf(err, LH_EINVAL, "AWS profile \"%s\" not found in %s or %s", prof, f.cred_path, f.conf_path);
        else
            rc = lh_errf(err, LH_EAUTH,
                         "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or put "
                         "aws_access_key_id and aws_secret_access_key under profile \"%s\" in %s (or %s)",
                         prof, f.cred_path, f.conf_path);
        goto out;
    }

    /* region */
    rc = dup_env(env("AWS_REGION") ? "AWS_REGION" : "AWS_DEFAULT_REGION", &out->region, err);
    if (!rc && !out->region)
        rc = lookup(&f, prof, "region", 1, &out->region, err);
    /* endpoint */
    if (!rc)
        rc = dup_env(env("AWS_ENDPOINT_URL_S3") ? "AWS_ENDPOINT_URL_S3" : "AWS_ENDPOINT_URL", &out->endpoint, err);
    if (!rc && !out->endpoint && f.conf)
        rc = ini_get(f.conf, prof, 1, "endpoint_url", f.conf_path, NULL, &out->endpoint, err);
out:
    if (rc)
        lh_aws_creds_free(out);
    lh_free(f.cred_path);
    lh_free(f.conf_path);
    wipe_free(f.cred);
    wipe_free(f.conf);
    return rc;
}
