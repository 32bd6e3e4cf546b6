/* tests/unit/test_s3.c — the S3 backend without an S3 server: canonical
 * encoding, the XML scanner (well-formed and malformed), the credential
 * chain with a temporary HOME, the retry policy, option checks, and the
 * retry/error behaviour against a tiny in-process HTTP responder.  The
 * live tests are in tests/s3/. */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include "store/aws_creds.h"
#include "store/s3.h"
#include "store/s3_xml.h"
#include "store/store.h"

/* ---- helpers ---- */

static const char *const aws_env[] = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                                      "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL",
                                      "AWS_ENDPOINT_URL_S3", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"};

static char *home; /* a temporary HOME for every test */

static int setup_env(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof aws_env / sizeof *aws_env; i++)
        unsetenv(aws_env[i]);
    home = lh_test_tmpdir();
    assert_non_null(home);
    setenv("HOME", home, 1);
    return 0;
}

static int teardown_env(void **state)
{
    (void)state;
    lh_test_rmrf(home);
    free(home);
    home = NULL;
    return 0;
}

static void write_file(const char *rel, const char *text)
{
    char path[4200];
    FILE *f;
    snprintf(path, sizeof path, "%s/.aws", home);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/%s", home, rel);
    f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- canonical encoding ---- */

static void test_uri_encode(void **state)
{
    lh_buf b;
    const char *raw = "a b/c+d=e~f_g.h-i\xc3\xa9&*";
    (void)state;
    lh_buf_init(&b, 0);
    assert_int_equal(lh_s3_uri_encode(&b, raw, strlen(raw), 1, NULL), LH_OK);
    assert_string_equal(lh_buf_cstr(&b), "a%20b/c%2Bd%3De~f_g.h-i%C3%A9%26%2A");
    lh_buf_reset(&b);
    assert_int_equal(lh_s3_uri_encode(&b, "x/y", 3, 0, NULL), LH_OK);
    assert_string_equal(lh_buf_cstr(&b), "x%2Fy");
    lh_buf_free(&b);
}

static void test_canonical_query(void **state)
{
    const char *const q1[] = {"uploads", NULL};
    const char *const q2[] = {"prefix", "a/b c", "list-type", "2", "max-keys", "1000", "continuation-token", "x+y=/"};
    const char *const q3[] = {"uploadId", "Zz~", "partNumber", "10"};
    lh_buf b;
    (void)state;
    lh_buf_init(&b, 0);
    assert_int_equal(lh_s3_canonical_query(&b, q1, 1, NULL), LH_OK);
    assert_string_equal(lh_buf_cstr(&b), "uploads=");
    lh_buf_reset(&b);
    assert_int_equal(lh_s3_canonical_query(&b, q2, 4, NULL), LH_OK);
    assert_string_equal(lh_buf_cstr(&b), "continuation-token=x%2By%3D%2F&list-type=2&max-keys=1000&prefix=a%2Fb%20c");
    lh_buf_reset(&b);
    assert_int_equal(lh_s3_canonical_query(&b, q3, 2, NULL), LH_OK);
    assert_string_equal(lh_buf_cstr(&b), "partNumber=10&uploadId=Zz~");
    lh_buf_free(&b);
}

/* ---- XML ---- */

static const char list_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
    "<Name>b</Name><Prefix>p/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>"
    "<!-- a comment with <Contents> inside -->"
    "<IsTruncated>true</IsTruncated>"
    "<Contents><Key>p/a &amp; b&lt;c&gt;&quot;&apos;.json</Key>"
    "<LastModified>2024-01-02T03:04:05.678Z</LastModified><ETag>&quot;abc&quot;</ETag>"
    "<Size>123</Size><StorageClass>STANDARD</StorageClass></Contents>\n"
    "<Contents>\n  <Key>p/caf&#233;-&#xE9;-<![CDATA[<raw>]]></Key>\n  <Size>0</Size>\n</Contents>"
    "<NextContinuationToken>tok+/=&amp;1</NextContinuationToken>"
    "</ListBucketResult>";

static void test_parse_list(void **state)
{
    lh_s3_list_result r;
    lh_err e;
    (void)state;
    assert_int_equal(lh_s3_parse_list(list_xml, sizeof list_xml - 1, &r, &e), LH_OK);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.items[0].key, "p/a & b<c>\"'.json");
    assert_int_equal(r.items[0].size, 123);
    assert_int_equal(r.items[0].mtime_ms, 1704164645678LL);
    assert_string_equal(r.items[1].key, "p/caf\xc3\xa9-\xc3\xa9-<raw>");
    assert_int_equal(r.items[1].size, 0);
    assert_int_equal(r.items[1].mtime_ms, 0);
    assert_int_equal(r.truncated, 1);
    assert_string_equal(r.next_token, "tok+/=&1");
    lh_s3_list_result_free(&r);

    /* last page, empty, self-closing elements, a token that must be ignored */
    {
        const char *x = "<ListBucketResult><Name>b</Name><Prefix/><KeyCount>0</KeyCount>"
                        "<IsTruncated>false</IsTruncated><NextContinuationToken>t</NextContinuationToken>"
                        "</ListBucketResult>";
        assert_int_equal(lh_s3_parse_list(x, strlen(x), &r, &e), LH_OK);
        assert_int_equal(r.n, 0);
        assert_int_equal(r.truncated, 0);
        assert_null(r.next_token);
        lh_s3_list_result_free(&r);
    }
}

static void expect_list_error(const char *x, const char *needle)
{
    lh_s3_list_result r;
    lh_err e = {0};
    assert_int_equal(lh_s3_parse_list(x, strlen(x), &r, &e), LH_EPARSE);
    assert_int_equal(r.n, 0);
    assert_null(r.items);
    assert_null(r.next_token);
    if (!strstr(e.msg, needle))
        fail_msg("message \"%s\" lacks \"%s\"", e.msg, needle);
}

static void test_parse_list_malformed(void **state)
{
    (void)state;
    expect_list_error("", "no <ListBucketResult>");
    expect_list_error("<html>502 Bad Gateway</html>", "no <ListBucketResult>");
    expect_list_error("<ListBucketResult><Contents><Key>a</Key>", "not closed");
    expect_list_error("<ListBucketResult><Contents><Key>a</Key></ListBucketResult>", "not closed");
    expect_list_error("<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>", "without a <Key>");
    expect_list_error("<ListBucketResult><Contents><Key>a</Key><Size>-1</Size></Contents></ListBucketResult>",
                      "not a byte count");
    expect_list_error("<ListBucketResult><Contents><Key>a</Key><Size>99999999999999999999999</Size></Contents>"
                      "</ListBucketResult>",
                      "not a byte count");
    expect_list_error("<ListBucketResult><Contents><Key>a&nbsp;b</Key></Contents></ListBucketResult>",
                      "unknown entity");
    expect_list_error("<ListBucketResult><Contents><Key>a&amp b c d e f g h</Key></Contents></ListBucketResult>",
                      "without a ';'");
    expect_list_error("<ListBucketResult><Contents><Key>&#0;</Key></Contents></ListBucketResult>",
                      "bad character reference");
    expect_list_error("<ListBucketResult><Contents><Key>&#xD800;</Key></Contents></ListBucketResult>",
                      "bad character reference");
    expect_list_error("<ListBucketResult><Contents><Key>&#;</Key></Contents></ListBucketResult>",
                      "malformed character reference");
    expect_list_error("<ListBucketResult><Contents><Key>a<b>c</b></Key></Contents></ListBucketResult>",
                      "unexpected markup");
    expect_list_error("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>",
                      "no <NextContinuationToken>");
    expect_list_error("<ListBucketResult><Contents", "not closed");
}

static void test_xml_scanner(void **state)
{
    const char *x = "<A><KeyCount>3</KeyCount><Key >v</Key ><Empty/><B attr=\"1\">in</B></A>";
    const char *p = x, *body;
    size_t bl;
    (void)state;
    assert_int_equal(lh_xml_next(&p, x + strlen(x), "Key", &body, &bl), LH_OK);
    assert_int_equal(bl, 1);
    assert_memory_equal(body, "v", 1);
    assert_int_equal(lh_xml_next(&p, x + strlen(x), "Empty", &body, &bl), LH_OK);
    assert_int_equal(bl, 0);
    assert_int_equal(lh_xml_next(&p, x + strlen(x), "B", &body, &bl), LH_OK);
    assert_memory_equal(body, "in", 2);
    assert_int_equal(lh_xml_next(&p, x + strlen(x), "Key", &body, &bl), LH_ENOTFOUND);
    p = "<Key>unclosed";
    assert_int_equal(lh_xml_next(&p, p + strlen(p), "Key", &body, &bl), LH_EPARSE);
    {
        lh_buf b;
        lh_buf_init(&b, 0);
        assert_int_equal(lh_xml_escape(&b, "\"e\"&<x>", NULL), LH_OK);
        assert_string_equal(lh_buf_cstr(&b), "\"e\"&amp;&lt;x&gt;");
        lh_buf_free(&b);
    }
}

static void test_parse_upload_id_and_error(void **state)
{
    const char *ok = "<?xml version=\"1.0\"?><InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>"
                     "<UploadId>VXBsb2FkIElE&amp;x</UploadId></InitiateMultipartUploadResult>";
    const char *no = "<InitiateMultipartUploadResult><Bucket>b</Bucket></InitiateMultipartUploadResult>";
    const char *er = "<?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request "
                     "signature &amp; so on</Message><RequestId>1</RequestId></Error>";
    char *id = NULL, *code = NULL, *msg = NULL;
    lh_err e;
    (void)state;
    assert_int_equal(lh_s3_parse_upload_id(ok, strlen(ok), &id, &e), LH_OK);
    assert_string_equal(id, "VXBsb2FkIElE&x");
    lh_free(id);
    assert_int_equal(lh_s3_parse_upload_id(no, strlen(no), &id, &e), LH_EPARSE);
    assert_null(id);
    assert_non_null(strstr(e.msg, "no <UploadId>"));
    assert_int_equal(lh_s3_parse_upload_id("garbage", 7, &id, &e), LH_EPARSE);
    assert_int_equal(lh_s3_parse_error(er, strlen(er), &code, &msg, &e), LH_OK);
    assert_string_equal(code, "SignatureDoesNotMatch");
    assert_string_equal(msg, "The request signature & so on");
    lh_free(code);
    lh_free(msg);
    assert_int_equal(lh_s3_parse_error("<x/>", 4, &code, &msg, &e), LH_ENOTFOUND);
    assert_int_equal(lh_s3_parse_error("", 0, &code, &msg, &e), LH_ENOTFOUND);
    assert_int_equal(lh_s3_parse_error("<Error><Code>X", 14, &code, &msg, &e), LH_EPARSE);
    assert_null(code);
    assert_null(msg);
}

/* ---- retry policy ---- */

static void test_retry_policy(void **state)
{
    unsigned a;
    (void)state;
    assert_true(lh_s3_http_retryable(500, NULL));
    assert_true(lh_s3_http_retryable(502, NULL));
    assert_true(lh_s3_http_retryable(503, "SlowDown"));
    assert_true(lh_s3_http_retryable(429, NULL));
    assert_true(lh_s3_http_retryable(400, "RequestTimeout"));
    assert_false(lh_s3_http_retryable(400, "InvalidArgument"));
    assert_false(lh_s3_http_retryable(403, "SignatureDoesNotMatch"));
    assert_false(lh_s3_http_retryable(403, "RequestTimeTooSkewed"));
    assert_false(lh_s3_http_retryable(404, "NoSuchKey"));
    assert_false(lh_s3_http_retryable(409, NULL));

    /* full jitter: uniform in [0, min(cap, base * 2^attempt)] */
    for (a = 0; a < 70; a++) {
        uint64_t ceil = a < 20 ? (100ULL << a) : UINT64_MAX;
        if (ceil > 5000)
            ceil = 5000;
        assert_int_equal(lh_s3_backoff_ms(a, 100, 5000, 0), 0);
        assert_int_equal(lh_s3_backoff_ms(a, 100, 5000, ceil), ceil);           /* the top is reachable */
        assert_int_equal(lh_s3_backoff_ms(a, 100, 5000, ceil + 1), 0);          /* and wraps */
        assert_true(lh_s3_backoff_ms(a, 100, 5000, UINT64_MAX) <= ceil);
        assert_true(lh_s3_backoff_ms(a, 100, 5000, 0x9e3779b97f4a7c15ULL) <= ceil);
    }
    assert_int_equal(lh_s3_backoff_ms(0, 100, 5000, 100), 100);
    assert_int_equal(lh_s3_backoff_ms(1, 100, 5000, 200), 200);
    assert_int_equal(lh_s3_backoff_ms(2, 100, 5000, 400), 400);
    assert_int_equal(lh_s3_backoff_ms(2, 100, 5000, 401), 0);
    assert_int_equal(lh_s3_backoff_ms(6, 100, 5000, 5000), 5000);               /* 6400 capped */
    assert_int_equal(lh_s3_backoff_ms(200, UINT64_MAX / 2, UINT64_MAX, 7), 7); /* no overflow */

    assert_int_equal(lh_s3_status_rc(403, "SignatureDoesNotMatch"), LH_EAUTH);
    assert_int_equal(lh_s3_status_rc(400, "AuthorizationHeaderMalformed"), LH_EAUTH);
    assert_int_equal(lh_s3_status_rc(403, NULL), LH_EAUTH);
    assert_int_equal(lh_s3_status_rc(404, "NoSuchKey"), LH_ENOTFOUND);
    assert_int_equal(lh_s3_status_rc(404, "NoSuchBucket"), LH_ENOTFOUND);
    assert_int_equal(lh_s3_status_rc(400, "InvalidArgument"), LH_EINVAL);
    assert_int_equal(lh_s3_status_rc(301, "PermanentRedirect"), LH_EINVAL);
    assert_int_equal(lh_s3_status_rc(503, "SlowDown"), LH_EIO);
}

/* ---- credentials ---- */

static const char creds_file[] = "# shared credentials\n"
                                 "[default]\n"
                                 "aws_access_key_id = AKIDDEFAULT\n"
                                 "aws_secret_access_key = secretDEFAULT/+x\n"
                                 "\n"
                                 "[dev]\n"
                                 "; comment\n"
                                 "aws_access_key_id=AKIDDEV\n"
                                 "aws_secret_access_key=secretDEV\n"
                                 "aws_session_token = tokenDEV\n"
                                 "[half]\n"
                                 "aws_access_key_id = AKIDHALF\n";

static const char config_file[] = "[default]\n"
                                  "region = eu-west-1\n"
                                  "[profile dev]\n"
                                  "region=ap-south-1\n"
                                  "s3 =\n"
                                  "  endpoint_url = http://nested.invalid\n"
                                  "  region = nested-1\n"
                                  "endpoint_url = http://127.0.0.1:9000\n"
                                  "[profile cfgonly]\n"
                                  "aws_access_key_id = AKIDCFG\n"
                                  "aws_secret_access_key = secretCFG\n"
                                  "region = us-west-2\n"
                                  "[dev]\n"
                                  "region = wrong-section\n";

static void test_creds_files(void **state)
{
    lh_aws_creds c;
    lh_err e;
    (void)state;
    write_file(".aws/credentials", creds_file);
    write_file(".aws/config", config_file);

    assert_int_equal(lh_aws_creds_load(NULL, 1, &c, &e), LH_OK);
    assert_string_equal(c.access_key, "AKIDDEFAULT");
    assert_string_equal(c.secret_key, "secretDEFAULT/+x");
    assert_null(c.session_token);
    assert_string_equal(c.region, "eu-west-1");
    assert_null(c.endpoint);
    assert_non_null(strstr(c.source, "profile \"default\""));
    assert_non_null(strstr(c.source, "/.aws/credentials"));
    lh_aws_creds_free(&c);

    setenv("AWS_PROFILE", "dev", 1);
    assert_int_equal(lh_aws_creds_load(NULL, 1, &c, &e), LH_OK);
    assert_string_equal(c.access_key, "AKIDDEV");
    assert_string_equal(c.secret_key, "secretDEV");
    assert_string_equal(c.session_token, "tokenDEV");
    assert_string_equal(c.region, "ap-south-1"); /* not the nested s3 one, not "[dev]" of config */
    assert_string_equal(c.endpoint, "http://127.0.0.1:9000");
    lh_aws_creds_free(&c);
    unsetenv("AWS_PROFILE");

    /* keys only in the config file */
    assert_int_equal(lh_aws_creds_load("cfgonly", 1, &c, &e), LH_OK);
    assert_string_equal(c.access_key, "AKIDCFG");
    assert_string_equal(c.secret_key, "secretCFG");
    assert_string_equal(c.region, "us-west-2");
    assert_non_null(strstr(c.source, "/.aws/config"));
    lh_aws_creds_free(&c);

    /* half a key pair */
    assert_int_equal(lh_aws_creds_load("half", 1, &c, &e), LH_EAUTH);
    assert_non_null(strstr(e.msg, "\"half\""));
    assert_non_null(strstr(e.msg, "aws_secret_access_key"));
    assert_null(c.access_key);

    /* a named profile that does not exist */
    assert_int_equal(lh_aws_creds_load("ghost", 1, &c, &e), LH_EINVAL);
    assert_non_null(strstr(e.msg, "\"ghost\" not found"));
    /* ... is fine when keys are not wanted */
    assert_int_equal(lh_aws_creds_load("ghost", 0, &c, &e), LH_OK);
    assert_null(c.access_key);
    lh_aws_creds_free(&c);
}

static void test_creds_env(void **state)
{
    lh_aws_creds c;
    lh_err e;
    (void)state;
    write_file(".aws/credentials", creds_file);
    write_file(".aws/config", config_file);
    setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "secretENV", 1);
    setenv("AWS_SESSION_TOKEN", "tokenENV", 1);
    setenv("AWS_PROFILE", "dev", 1); /* env keys still win over AWS_PROFILE */
    setenv("AWS_DEFAULT_REGION", "sa-east-1", 1);
    setenv("AWS_ENDPOINT_URL", "http://env.invalid:1", 1);
    assert_int_equal(lh_aws_creds_load(NULL, 1, &c, &e), LH_OK);
    assert_string_equal(c.access_key, "AKIDENV");
    assert_string_equal(c.secret_key, "secretENV");
    assert_string_equal(c.session_token, "tokenENV");
    assert_string_equal(c.region, "sa-east-1");
    assert_string_equal(c.endpoint, "http://env.invalid:1");
    assert_non_null(strstr(c.source, "environment"));
    lh_aws_creds_free(&c);

    setenv("AWS_REGION", "ca-central-1", 1); /* AWS_REGION beats AWS_DEFAULT_REGION */
    setenv("AWS_ENDPOINT_URL_S3", "http://s3only.invalid", 1);
    assert_int_equal(lh_aws_creds_load(NULL, 1, &c, &e), LH_OK);
    assert_string_equal(c.region, "ca-central-1");
    assert_string_equal(c.endpoint, "http://s3only.invalid");
    lh_aws_creds_free(&c);

    /* an explicitly named profile beats env keys (as aws --profile does) */
    assert_int_equal(lh_aws_creds_load("dev", 1, &c, &e), LH_OK);
    assert_string_equal(c.access_key, "AKIDDEV");
    lh_aws_creds_free(&c);

    /* half the env pair */
    unsetenv("AWS_SECRET_ACCESS_KEY");
    assert_int_equal(lh_aws_creds_load(NULL, 1, &c, &e), LH_EAUTH);
    assert_non_null(strstr(e.msg, "AWS_SECRET_ACCESS_KEY is not"));
    /* empty counts as unset: falls back to the files */
    setenv("AWS_ACCESS_KEY_ID", "", 1);
    unsetenv("AWS_PROFILE");
    assert_int_equal(lh_aws_creds_load(NULL, 1, &c, &e), LH_OK);
    assert_string_equal(c.access_key, "AKIDDEFAULT");
    lh_aws_creds_free(&c);
}

static void test_creds_overrides_and_missing(void **state)
{
    char path[4200];
    lh_aws_creds c;
    lh_err e;
    (void)state;
    /* nothing anywhere */
    assert_int_equal(lh_aws_creds_load(NULL, 1, &c, &e), LH_EAUTH);
    assert_non_null(strstr(e.msg, "no AWS credentials found"));
    assert_non_null(strstr(e.msg, "AWS_ACCESS_KEY_ID"));
    assert_null(c.access_key);
    /* AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE point elsewhere */
    write_file("creds.ini", "[default]\naws_access_key_id=AKIDALT\naws_secret_access_key=secretALT\n");
    write_file("conf.ini", "[default]\nregion=me-south-1\n");
    write_file(".aws/credentials", creds_file); /* must be ignored */
    snprintf(path, sizeof path, "%s/creds.ini", home);
    setenv("AWS_SHARED_CREDENTIALS_FILE", path, 1);
    snprintf(path, sizeof path, "%s/conf.ini", home);
    setenv("AWS_CONFIG_FILE", path, 1);
    assert_int_equal(lh_aws_creds_load(NULL, 1, &c, &e), LH_OK);
    assert_string_equal(c.access_key, "AKIDALT");
    assert_string_equal(c.region, "me-south-1");
    assert_non_null(strstr(c.source, "creds.ini"));
    lh_aws_creds_free(&c);
    lh_aws_creds_free(NULL);
}

/* ---- opening ---- */

static void test_open_options(void **state)
{
    lh_s3_opts o = {0};
    lh_store *s = NULL;
    lh_err e;
    (void)state;
    /* no credentials anywhere */
    assert_int_equal(lh_store_open_s3(&o, &s, &e), LH_EAUTH);
    assert_null(s);
    o.access_key = "AKID";
    assert_int_equal(lh_store_open_s3(&o, &s, &e), LH_EINVAL);
    assert_non_null(strstr(e.msg, "both"));
    o.secret_key = "sekrit-value";
    o.endpoint = "ftp://example.com";
    assert_int_equal(lh_store_open_s3(&o, &s, &e), LH_EINVAL);
    assert_non_null(strstr(e.msg, "ftp://example.com"));
    o.endpoint = "http://host:9000/some/path";
    assert_int_equal(lh_store_open_s3(&o, &s, &e), LH_EINVAL);
    o.endpoint = "http://user@host:9000";
    assert_int_equal(lh_store_open_s3(&o, &s, &e), LH_EINVAL);
    o.endpoint = "http://127.0.0.1:9000/";
    o.part_size = 1 << 20;
    assert_int_equal(lh_store_open_s3(&o, &s, &e), LH_EINVAL);
    assert_non_null(strstr(e.msg, "5 MiB"));
    o.part_size = 0;
    o.region = "US EAST";
    assert_int_equal(lh_store_open_s3(&o, &s, &e), LH_EINVAL);
    o.region = NULL;
    assert_int_equal(lh_store_open_s3(&o, &s, &e), LH_OK);
    assert_string_equal(lh_store_kind(s), "s3");
    lh_store_close(s);
    s = NULL;
    o.endpoint = NULL; /* AWS's regional endpoint */
    assert_int_equal(lh_store_open_s3(&o, &s, &e), LH_OK);
    lh_store_close(s);
}

static void test_unreachable_and_redaction(void **state)
{
    const char *secret = "supersecretbucketname"; /* also a valid bucket name: it ends up in a URI */
    lh_s3_opts o = {0};
    lh_store *s = NULL;
    lh_buf b;
    lh_err e;
    char uri[128];
    int64_t t0;
    (void)state;
    lh_buf_init(&b, 0);
    o.endpoint = "http://127.0.0.1:1";
    o.access_key = "AKIDTEST";
    o.secret_key = secret;
    o.max_retries = 2;
    assert_int_equal(lh_store_open_s3(&o, &s, &e), LH_OK);
    snprintf(uri, sizeof uri, "s3://%s/k.json", secret);
    t0 = now_ms();
    assert_int_equal(lh_store_get(s, uri, &b, &e), LH_ENET);
    assert_true(now_ms() - t0 < 3000);
    assert_non_null(strstr(e.msg, "GetObject"));
    assert_non_null(strstr(e.msg, "http://127.0.0.1:1"));
    assert_non_null(strstr(e.msg, "3 attempts"));
    assert_non_null(strstr(e.msg, "[redacted]"));
    assert_null(strstr(e.msg, secret));
    assert_int_equal(b.len, 0);
    lh_store_close(s);
    lh_buf_free(&b);
}

/* ---- a tiny scripted HTTP responder on loopback ---- */

typedef struct mock_answer {
    int status;
    const char *headers; /* extra header lines, each ending in \r\n */
    const char *body;
} mock_answer;

typedef struct mock {
    int lfd, port;
    const mock_answer *script;
    size_t nscript;
    size_t served;
    char lines[32][256]; /* request lines seen */
    volatile int stop;
    pthread_t th;
} mock;

static void *mock_main(void *arg)
{
    mock *m = arg;
    while (!m->stop) {
        struct pollfd pfd = {m->lfd, POLLIN, 0};
        char req[65536], resp[8192];
        size_t got = 0, need = 0;
        const mock_answer *a;
        int fd, n, cont = 0;
        if (poll(&pfd, 1, 50) <= 0)
            continue;
        fd = accept(m->lfd, NULL, NULL);
        if (fd < 0)
            continue;
        for (;;) { /* headers, then Content-Length bytes of body */
            char *eoh, *expect;
            ssize_t r = recv(fd, req + got, sizeof req - 1 - got, 0);
            if (r <= 0)
                break;
            got += (size_t)r;
            req[got] = 0;
            eoh = strstr(req, "\r\n\r\n");
            expect = strcasestr(req, "\r\nExpect: 100-continue");
            if (eoh && !cont && expect && expect < eoh) {
                cont = 1; /* answer as a real server does: no 1 s wait in curl */
                if (send(fd, "HTTP/1.1 100 Continue\r\n\r\n", 25, MSG_NOSIGNAL) < 0)
                    break;
            }
            if (eoh) {
                char *cl = strcasestr(req, "\r\nContent-Length:");
                need = (size_t)(eoh + 4 - req) + (cl && cl < eoh ? strtoul(cl + 17, NULL, 10) : 0);
                if (got >= need)
                    break;
                if (got >= sizeof req - 1) {
                    /* a body larger than the buffer (an 8 MiB part): read the rest and
                     * drop it, so the answer never races the client's upload (a
                     * reset mid-send made curl retry and take the next answer) */
                    static char sink[65536];
                    size_t left = need - got;
                    while (left) {
                        ssize_t d = recv(fd, sink, left < sizeof sink ? left : sizeof sink, 0);
                        if (d <= 0)
                            break;
                        left -= (size_t)d;
                    }
                    break;
                }
            }
        }
        if (m->served < 32)
            snprintf(m->lines[m->served], sizeof m->lines[0], "%.*s", (int)strcspn(req, "\r"), req);
        a = &m->script[m->served < m->nscript ? m->served : m->nscript - 1];
        m->served++;
        n = snprintf(resp, sizeof resp, "HTTP/1.1 %d X\r\nContent-Length: %zu\r\nConnection: close\r\n%s\r\n%s",
                     a->status, strlen(a->body), a->headers ? a->headers : "", a->body);
        if (send(fd, resp, (size_t)n, MSG_NOSIGNAL) < 0)
            m->stop = m->stop; /* the client went away: nothing to do */
        close(fd);
    }
    return NULL;
}

static void mock_start(mock *m, const mock_answer *script, size_t n)
{
    struct sockaddr_in sa;
    socklen_t sl = sizeof sa;
    memset(m, 0, sizeof *m);
    m->script = script;
    m->nscript = n;
    m->lfd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(m->lfd >= 0);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(m->lfd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(m->lfd, 16), 0);
    assert_int_equal(getsockname(m->lfd, (struct sockaddr *)&sa, &sl), 0);
    m->port = ntohs(sa.sin_port);
    assert_int_equal(pthread_create(&m->th, NULL, mock_main, m), 0);
}

static void mock_stop(mock *m)
{
    m->stop = 1;
    pthread_join(m->th, NULL);
    close(m->lfd);
}

static lh_store *mock_store(const mock *m, const char *secret, int retries)
{
    char ep[64];
    lh_s3_opts o = {0};
    lh_store *s = NULL;
    lh_err e;
    snprintf(ep, sizeof ep, "http://127.0.0.1:%d", m->port);
    o.endpoint = ep;
    o.access_key = "AKIDMOCK";
    o.secret_key = secret;
    o.max_retries = retries;
    if (lh_store_open_s3(&o, &s, &e) != LH_OK)
        fail_msg("open: %s", e.msg);
    return s;
}

static void test_mock_retries(void **state)
{
    static const mock_answer slow[] = {
        {503, NULL, "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"},
        {500, NULL, "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>"},
        {200, NULL, "payload"}};
    static const mock_answer down[] = {{500, NULL, "<Error><Code>InternalError</Code><Message>boom</Message></Error>"}};
    mock m;
    lh_store *s;
    lh_buf b;
    lh_err e;
    (void)state;
    lh_buf_init(&b, 0);
    mock_start(&m, slow, 3);
    s = mock_store(&m, "mock-secret-1", 0);
    assert_int_equal(lh_store_get(s, "s3://bkt/a/b.json", &b, &e), LH_OK);
    assert_int_equal(m.served, 3);
    assert_string_equal(lh_buf_cstr(&b), "payload");
    assert_string_equal(m.lines[0], "GET /bkt/a/b.json HTTP/1.1"); /* path-style, canonical path */
    lh_store_close(s);
    mock_stop(&m);

    lh_buf_reset(&b);
    mock_start(&m, down, 1);
    s = mock_store(&m, "mock-secret-1", 2);
    assert_int_equal(lh_store_get(s, "s3://bkt/k", &b, &e), LH_EIO);
    assert_int_equal(m.served, 3); /* 1 + 2 retries */
    assert_non_null(strstr(e.msg, "S3 GetObject s3://bkt/k: 500 InternalError: boom (gave up after 3 attempts)"));
    assert_int_equal(b.len, 0);
    lh_store_close(s);
    mock_stop(&m);
    lh_buf_free(&b);
}

static void test_mock_errors(void **state)
{
    /* a (misbehaving) server that echoes the secret: it must still not show */
    static const mock_answer denied[] = {
        {403, NULL, "<Error><Code>SignatureDoesNotMatch</Code><Message>computed with mock-secret-2 "
                    "&amp; friends</Message></Error>"}};
    static const mock_answer missing[] = {{404, NULL, "<Error><Code>NoSuchKey</Code><Message>x</Message></Error>"}};
    static const mock_answer redirect[] = {
        {301, "x-amz-bucket-region: eu-central-1\r\n",
         "<Error><Code>PermanentRedirect</Code><Message>Use the right endpoint.</Message></Error>"}};
    static const mock_answer list_query[] = {
        {200, NULL, "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>"}};
    mock m;
    lh_store *s;
    lh_list_page pg;
    lh_err e;
    (void)state;
    mock_start(&m, denied, 1);
    s = mock_store(&m, "mock-secret-2", 4);
    assert_int_equal(lh_store_put(s, "s3://bkt/dir/x y.json", "{}", 2, &e), LH_EAUTH);
    assert_int_equal(m.served, 1); /* never retried */
    assert_string_equal(m.lines[0], "PUT /bkt/dir/x%20y.json HTTP/1.1");
    assert_non_null(strstr(e.msg, "S3 PutObject s3://bkt/dir/x y.json: 403 SignatureDoesNotMatch: computed with "
                                  "[redacted] & friends"));
    assert_null(strstr(e.msg, "mock-secret-2"));
    lh_store_close(s);
    mock_stop(&m);

    mock_start(&m, missing, 1);
    s = mock_store(&m, "mock-secret-3", 4);
    assert_int_equal(lh_store_delete(s, "s3://bkt/gone", &e), LH_OK); /* 404 on delete is fine */
    {
        lh_buf b;
        lh_buf_init(&b, 0);
        assert_int_equal(lh_store_get(s, "s3://bkt/gone", &b, &e), LH_ENOTFOUND);
        assert_non_null(strstr(e.msg, "no such object (key \"gone\" in bucket \"bkt\""));
        lh_buf_free(&b);
    }
    assert_int_equal(m.served, 2);
    lh_store_close(s);
    mock_stop(&m);

    mock_start(&m, redirect, 1);
    s = mock_store(&m, "mock-secret-4", 4);
    assert_int_equal(lh_store_put(s, "s3://bkt/k", "x", 1, &e), LH_EINVAL);
    assert_non_null(strstr(e.msg, "301 PermanentRedirect"));
    assert_non_null(strstr(e.msg, "eu-central-1"));
    lh_store_close(s);
    mock_stop(&m);

    mock_start(&m, list_query, 1);
    s = mock_store(&m, "mock-secret-5", 4);
    assert_int_equal(lh_store_list(s, "s3://bkt/a b/", "tok/+=", 5, &pg, &e), LH_OK);
    assert_int_equal(pg.n, 0);
    assert_null(pg.next_token);
    assert_string_equal(m.lines[0],
                        "GET /bkt?continuation-token=tok%2F%2B%3D&list-type=2&max-keys=5&prefix=a%20b%2F HTTP/1.1");
    lh_list_page_free(&pg);
    lh_store_close(s);
    mock_stop(&m);
}

static void test_mock_multipart_failure_aborts(void **state)
{
    /* create OK, part 1 OK, part 2 denied -> the upload is aborted */
    static const mock_answer script[] = {
        {200, NULL, "<InitiateMultipartUploadResult><UploadId>UP1</UploadId></InitiateMultipartUploadResult>"},
        {200, "ETag: \"e1\"\r\n", ""},
        {403, NULL, "<Error><Code>AccessDenied</Code><Message>no</Message></Error>"},
        {204, NULL, ""}};
    mock m;
    lh_store *s;
    lh_store_writer *w = NULL;
    lh_err e;
    char *data = calloc(1, (8u << 20) + 1);
    (void)state;
    assert_non_null(data);
    mock_start(&m, script, 4);
    s = mock_store(&m, "mock-secret-6", 4);
    assert_int_equal(lh_store_writer_open(s, "s3://bkt/big.bin", &w, &e), LH_OK);
    assert_int_equal(lh_store_writer_write(w, data, 8u << 20, &e), LH_OK); /* buffered: nothing sent */
    assert_int_equal(m.served, 0);
    assert_int_equal(lh_store_writer_write(w, data, 1, &e), LH_OK); /* part 1 goes up */
    assert_int_equal(m.served, 2);
    assert_int_equal(lh_store_writer_commit(w, &e), LH_EAUTH); /* last part denied */
    assert_non_null(strstr(e.msg, "UploadPart"));
    assert_int_equal(m.served, 4);
    assert_string_equal(m.lines[0], "POST /bkt/big.bin?uploads= HTTP/1.1");
    assert_string_equal(m.lines[1], "PUT /bkt/big.bin?partNumber=1&uploadId=UP1 HTTP/1.1");
    assert_string_equal(m.lines[2], "PUT /bkt/big.bin?partNumber=2&uploadId=UP1 HTTP/1.1");
    assert_string_equal(m.lines[3], "DELETE /bkt/big.bin?uploadId=UP1 HTTP/1.1");
    lh_store_close(s);
    mock_stop(&m);
    free(data);
}

/* Fail allocation n for every n: ENOMEM (never a crash or a leak), and
 * success once n is past the last allocation. */
static void test_alloc_faults(void **state)
{
    const char *const q[] = {"prefix", "a b", "list-type", "2", "uploads", NULL};
    long n;
    int done = 0;
    (void)state;
    write_file(".aws/credentials", creds_file);
    write_file(".aws/config", config_file);
    for (n = 1; !done && n < 500; n++) {
        lh_s3_list_result r;
        lh_aws_creds c;
        lh_buf b;
        lh_store *s = NULL;
        lh_s3_opts o = {0};
        lh_rc r1, r2, r3, r4;
        lh_buf_init(&b, 0);
        lh_fault_alloc_set(n);
        r1 = lh_s3_parse_list(list_xml, sizeof list_xml - 1, &r, NULL);
        r2 = lh_aws_creds_load("dev", 1, &c, NULL);
        r3 = lh_s3_canonical_query(&b, q, 3, NULL);
        o.endpoint = "http://127.0.0.1:1";
        r4 = lh_store_open_s3(&o, &s, NULL);
        lh_fault_alloc_set(0);
        assert_true(r1 == LH_OK || r1 == LH_ENOMEM);
        assert_true(r2 == LH_OK || r2 == LH_ENOMEM);
        assert_true(r3 == LH_OK || r3 == LH_ENOMEM);
        assert_true(r4 == LH_OK || r4 == LH_ENOMEM || r4 == LH_EINTERNAL);
        if (r1 == LH_OK)
            assert_int_equal(r.n, 2);
        if (r3 == LH_OK)
            assert_string_equal(lh_buf_cstr(&b), "list-type=2&prefix=a%20b&uploads=");
        done = r1 == LH_OK && r2 == LH_OK && r3 == LH_OK && r4 == LH_OK;
        lh_s3_list_result_free(&r);
        lh_aws_creds_free(&c);
        lh_buf_free(&b);
        lh_store_close(s);
    }
    assert_true(done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uri_encode),
        cmocka_unit_test(test_canonical_query),
        cmocka_unit_test(test_parse_list),
        cmocka_unit_test(test_parse_list_malformed),
        cmocka_unit_test(test_xml_scanner),
        cmocka_unit_test(test_parse_upload_id_and_error),
        cmocka_unit_test(test_retry_policy),
        cmocka_unit_test_setup_teardown(test_creds_files, setup_env, teardown_env),
        cmocka_unit_test_setup_teardown(test_creds_env, setup_env, teardown_env),
        cmocka_unit_test_setup_teardown(test_creds_overrides_and_missing, setup_env, teardown_env),
        cmocka_unit_test_setup_teardown(test_open_options, setup_env, teardown_env),
        cmocka_unit_test_setup_teardown(test_unreachable_and_redaction, setup_env, teardown_env),
        cmocka_unit_test_setup_teardown(test_mock_retries, setup_env, teardown_env),
        cmocka_unit_test_setup_teardown(test_mock_errors, setup_env, teardown_env),
        cmocka_unit_test_setup_teardown(test_mock_multipart_failure_aborts, setup_env, teardown_env),
        cmocka_unit_test_setup_teardown(test_alloc_faults, setup_env, teardown_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
