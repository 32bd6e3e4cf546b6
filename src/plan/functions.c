/* plan/functions.c — the function registry (see functions.h). */
#include "plan/functions.h"

#include <stdio.h>
#include <string.h>

#include "exec/decimal.h"
#include "plan/coerce.h"

/* A signature: parameters separated by ';' then '|' and the result.
 * Results: a parameter word, a concrete type, or @rule. */
#define MAXSIG 24
struct lh_fn {
    const char *name;
    lh_fn_kind kind;
    unsigned flags;
    const char *sigs[MAXSIG];
};
enum { F_REFUSED = 1, F_SESSION = 2 };

#define INTS(r) "tinyint|" r, "smallint|" r, "integer|" r, "bigint|" r
#define NUM_SAME "tinyint|tinyint", "smallint|smallint", "integer|integer", "bigint|bigint", \
                 "decimal(p,s)|decimal(p,s)", "real|real", "double|double"
#define DT1(r) "date|" r, "timestamp(p)|" r, "timestamp(p) with time zone|" r
#define TIME1(r) "time(p)|" r, "timestamp(p)|" r, "timestamp(p) with time zone|" r
#define RAND_SIGS "|double", "tinyint|tinyint", "smallint|smallint", "integer|integer", "bigint|bigint", \
    "tinyint;tinyint|tinyint", "smallint;smallint|smallint", "integer;integer|integer", "bigint;bigint|bigint"
#define SHIFT_SIGS "tinyint;bigint|tinyint", "smallint;bigint|smallint", "integer;bigint|integer", "bigint;bigint|bigint"
#define STATS "double|double", "real|real"

static const lh_fn FNS[] = {
    /* ---- math ---- */
    {"abs", LH_FN_SCALAR, 0, {NUM_SAME}},
    {"round", LH_FN_SCALAR, 0,
     {"tinyint|tinyint", "smallint|smallint", "integer|integer", "bigint|bigint", "decimal(p,s)|@round_0",
      "real|real", "double|double", "tinyint;integer|tinyint", "smallint;integer|smallint", "integer;integer|integer",
      "bigint;integer|bigint", "decimal(p,s);integer|@round_n", "real;integer|real", "double;integer|double"}},
    {"ceil", LH_FN_SCALAR, 0,
     {"tinyint|tinyint", "smallint|smallint", "integer|integer", "bigint|bigint", "decimal(p,s)|@round_0",
      "real|real", "double|double"}},
    {"ceiling", LH_FN_SCALAR, 0,
     {"tinyint|tinyint", "smallint|smallint", "integer|integer", "bigint|bigint", "decimal(p,s)|@round_0",
      "real|real", "double|double"}},
    {"floor", LH_FN_SCALAR, 0,
     {"tinyint|tinyint", "smallint|smallint", "integer|integer", "bigint|bigint", "decimal(p,s)|@round_0",
      "real|real", "double|double"}},
    {"truncate", LH_FN_SCALAR, 0,
     {"decimal(p,s)|@trunc_0", "real|real", "double|double", "decimal(p,s);integer|decimal(p,s)", "real;integer|real",
      "double;integer|double"}},
    {"mod", LH_FN_SCALAR, 0,
     {"tinyint;tinyint|tinyint", "smallint;smallint|smallint", "integer;integer|integer", "bigint;bigint|bigint",
      "decimal(p,s);decimal(p,s)|@mod", "real;real|real", "double;double|double"}},
    {"power", LH_FN_SCALAR, 0, {"double;double|double"}},
    {"pow", LH_FN_SCALAR, 0, {"double;double|double"}},
    {"sqrt", LH_FN_SCALAR, 0, {"double|double"}},
    {"cbrt", LH_FN_SCALAR, 0, {"double|double"}},
    {"ln", LH_FN_SCALAR, 0, {"double|double"}},
    {"log2", LH_FN_SCALAR, 0, {"double|double"}},
    {"log10", LH_FN_SCALAR, 0, {"double|double"}},
    {"log", LH_FN_SCALAR, 0, {"double;double|double"}},
    {"exp", LH_FN_SCALAR, 0, {"double|double"}},
    {"sign", LH_FN_SCALAR, 0,
     {"tinyint|tinyint", "smallint|smallint", "integer|integer", "bigint|bigint", "decimal(p,s)|decimal(1,0)",
      "real|real", "double|double"}},
    {"pi", LH_FN_SCALAR, 0, {"|double"}},
    {"e", LH_FN_SCALAR, 0, {"|double"}},
    {"rand", LH_FN_SCALAR, F_SESSION, {RAND_SIGS}},
    {"random", LH_FN_SCALAR, F_SESSION, {RAND_SIGS}},
    {"is_nan", LH_FN_SCALAR, 0, {"double|boolean"}},
    {"nan", LH_FN_SCALAR, 0, {"|double"}},
    {"infinity", LH_FN_SCALAR, 0, {"|double"}},
    {"is_finite", LH_FN_SCALAR, 0, {"double|boolean"}},
    {"is_infinite", LH_FN_SCALAR, 0, {"double|boolean"}},
    {"sin", LH_FN_SCALAR, 0, {"double|double"}},
    {"cos", LH_FN_SCALAR, 0, {"double|double"}},
    {"tan", LH_FN_SCALAR, 0, {"double|double"}},
    {"asin", LH_FN_SCALAR, 0, {"double|double"}},
    {"acos", LH_FN_SCALAR, 0, {"double|double"}},
    {"atan", LH_FN_SCALAR, 0, {"double|double"}},
    {"atan2", LH_FN_SCALAR, 0, {"double;double|double"}},
    {"sinh", LH_FN_SCALAR, 0, {"double|double"}},
    {"cosh", LH_FN_SCALAR, 0, {"double|double"}},
    {"tanh", LH_FN_SCALAR, 0, {"double|double"}},
    {"degrees", LH_FN_SCALAR, 0, {"double|double"}},
    {"radians", LH_FN_SCALAR, 0, {"double|double"}},
    {"width_bucket", LH_FN_SCALAR, 0, {"double;double;double;bigint|bigint"}},
    {"to_base", LH_FN_SCALAR, 0, {"bigint;bigint|varchar(64)"}},
    {"from_base", LH_FN_SCALAR, 0, {"varchar;bigint|bigint"}},
    /* ---- strings ---- */
    {"length", LH_FN_SCALAR, 0, {"varchar(x)|bigint", "char(x)|bigint", "varbinary|bigint"}},
    {"lower", LH_FN_SCALAR, 0, {"varchar(x)|varchar(x)", "char(x)|char(x)"}},
    {"upper", LH_FN_SCALAR, 0, {"varchar(x)|varchar(x)", "char(x)|char(x)"}},
    {"trim", LH_FN_SCALAR, 0, {"varchar(x)|varchar(x)", "varchar(x);varchar|varchar(x)"}},
    {"ltrim", LH_FN_SCALAR, 0, {"varchar(x)|varchar(x)", "varchar(x);varchar|varchar(x)"}},
    {"rtrim", LH_FN_SCALAR, 0, {"varchar(x)|varchar(x)", "varchar(x);varchar|varchar(x)"}},
    {"substr", LH_FN_SCALAR, 0,
     {"varchar(x);bigint|varchar(x)", "varchar(x);bigint;bigint|varchar(x)", "varbinary;bigint|varbinary",
      "varbinary;bigint;bigint|varbinary"}},
    {"substring", LH_FN_SCALAR, 0,
     {"varchar(x);bigint|varchar(x)", "varchar(x);bigint;bigint|varchar(x)", "varbinary;bigint|varbinary",
      "varbinary;bigint;bigint|varbinary"}},
    {"concat", LH_FN_SCALAR, 0, {"varchar;varchar...|@concat", "varbinary;varbinary...|varbinary"}},
    {"replace", LH_FN_SCALAR, 0, {"varchar(x);varchar|varchar", "varchar(x);varchar;varchar|varchar"}},
    {"reverse", LH_FN_SCALAR, 0, {"varchar(x)|varchar(x)", "varbinary|varbinary"}},
    {"strpos", LH_FN_SCALAR, 0, {"varchar;varchar|bigint", "varchar;varchar;bigint|bigint"}},
    {"position", LH_FN_SCALAR, 0, {"varchar;varchar|bigint"}},
    {"split_part", LH_FN_SCALAR, 0, {"varchar(x);varchar;bigint|varchar(x)"}},
    {"lpad", LH_FN_SCALAR, 0, {"varchar(x);bigint;varchar|varchar", "varbinary;bigint;varbinary|varbinary"}},
    {"rpad", LH_FN_SCALAR, 0, {"varchar(x);bigint;varchar|varchar", "varbinary;bigint;varbinary|varbinary"}},
    {"levenshtein_distance", LH_FN_SCALAR, 0, {"varchar;varchar|bigint"}},
    {"starts_with", LH_FN_SCALAR, 0, {"varchar;varchar|boolean"}},
    {"ends_with", LH_FN_SCALAR, 0, {"varchar;varchar|boolean"}},
    {"translate", LH_FN_SCALAR, 0, {"varchar(x);varchar;varchar|varchar(x)"}},
    {"overlay", LH_FN_SCALAR, 0, {"varchar;varchar;bigint|varchar", "varchar;varchar;bigint;bigint|varchar"}},
    {"format", LH_FN_SCALAR, 0, {"varchar;ANY...|varchar"}},
    {"concat_ws", LH_FN_SCALAR, 0, {"varchar;varchar...|varchar"}},
    {"hamming_distance", LH_FN_SCALAR, 0, {"varchar;varchar|bigint"}},
    {"soundex", LH_FN_SCALAR, 0, {"varchar|varchar"}},
    {"luhn_check", LH_FN_SCALAR, 0, {"varchar|boolean"}},
    {"title_case", LH_FN_SCALAR, 0, {"varchar|varchar"}},
    {"format_number", LH_FN_SCALAR, 0, {"bigint|varchar", "double|varchar"}},
    {"parse_data_size", LH_FN_SCALAR, 0, {"varchar|decimal(38,0)"}},
    {"chr", LH_FN_SCALAR, 0, {"bigint|varchar(1)"}},
    {"codepoint", LH_FN_SCALAR, 0, {"varchar(1)|integer"}},
    {"regexp_like", LH_FN_SCALAR, 0, {"varchar;varchar|boolean"}},
    {"regexp_extract", LH_FN_SCALAR, 0, {"varchar(x);varchar|varchar(x)", "varchar(x);varchar;bigint|varchar(x)"}},
    {"regexp_replace", LH_FN_SCALAR, 0, {"varchar(x);varchar|varchar", "varchar(x);varchar;varchar|varchar"}},
    {"regexp_count", LH_FN_SCALAR, 0, {"varchar;varchar|bigint"}},
    {"regexp_position", LH_FN_SCALAR, 0,
     {"varchar;varchar|integer", "varchar;varchar;integer|integer", "varchar;varchar;integer;integer|integer"}},
    {"to_hex", LH_FN_SCALAR, 0, {"varbinary|varchar"}},
    {"from_hex", LH_FN_SCALAR, 0, {"varchar|varbinary"}},
    {"to_utf8", LH_FN_SCALAR, 0, {"varchar|varbinary"}},
    {"from_utf8", LH_FN_SCALAR, 0, {"varbinary|varchar", "varbinary;bigint|varchar", "varbinary;varchar|varchar"}},
    {"md5", LH_FN_SCALAR, 0, {"varbinary|varbinary"}},
    {"sha1", LH_FN_SCALAR, 0, {"varbinary|varbinary"}},
    {"sha256", LH_FN_SCALAR, 0, {"varbinary|varbinary"}},
    {"sha512", LH_FN_SCALAR, 0, {"varbinary|varbinary"}},
    {"crc32", LH_FN_SCALAR, 0, {"varbinary|bigint"}},
    {"xxhash64", LH_FN_SCALAR, 0, {"varbinary|varbinary"}},
    /* JSON on varchar text (no json type yet) */
    {"json_extract_scalar", LH_FN_SCALAR, 0, {"varchar(x);varchar|varchar(x)"}},
    {"json_array_length", LH_FN_SCALAR, 0, {"varchar(x)|bigint"}},
    {"json_size", LH_FN_SCALAR, 0, {"varchar(x);varchar|bigint"}},
    {"json_array_contains", LH_FN_SCALAR, 0,
     {"varchar(x);bigint|boolean", "varchar(x);double|boolean", "varchar(x);boolean|boolean",
      "varchar(x);varchar(y)|boolean"}},
    {"is_json_scalar", LH_FN_SCALAR, 0, {"varchar(x)|boolean"}},
    {"url_extract_protocol", LH_FN_SCALAR, 0, {"varchar(x)|varchar(x)"}},
    {"url_extract_host", LH_FN_SCALAR, 0, {"varchar(x)|varchar(x)"}},
    {"url_extract_port", LH_FN_SCALAR, 0, {"varchar(x)|bigint"}},
    {"url_extract_path", LH_FN_SCALAR, 0, {"varchar(x)|varchar(x)"}},
    {"url_extract_query", LH_FN_SCALAR, 0, {"varchar(x)|varchar(x)"}},
    {"url_extract_fragment", LH_FN_SCALAR, 0, {"varchar(x)|varchar(x)"}},
    {"url_extract_parameter", LH_FN_SCALAR, 0, {"varchar(x);varchar(y)|varchar(x)"}},
    {"url_encode", LH_FN_SCALAR, 0, {"varchar(x)|varchar"}},
    {"url_decode", LH_FN_SCALAR, 0, {"varchar(x)|varchar(x)"}},
    {"to_base64", LH_FN_SCALAR, 0, {"varbinary|varchar"}},
    {"to_base64url", LH_FN_SCALAR, 0, {"varbinary|varchar"}},
    {"from_base64", LH_FN_SCALAR, 0, {"varchar|varbinary", "varbinary|varbinary"}},
    {"from_base64url", LH_FN_SCALAR, 0, {"varchar|varbinary", "varbinary|varbinary"}},
    {"bitwise_and", LH_FN_SCALAR, 0, {"bigint;bigint|bigint"}},
    {"bitwise_or", LH_FN_SCALAR, 0, {"bigint;bigint|bigint"}},
    {"bitwise_xor", LH_FN_SCALAR, 0, {"bigint;bigint|bigint"}},
    {"bitwise_not", LH_FN_SCALAR, 0, {"bigint|bigint"}},
    {"bit_count", LH_FN_SCALAR, 0, {"bigint;bigint|bigint"}},
    {"bitwise_left_shift", LH_FN_SCALAR, 0, {SHIFT_SIGS}},
    {"bitwise_right_shift", LH_FN_SCALAR, 0, {SHIFT_SIGS}},
    {"bitwise_right_shift_arithmetic", LH_FN_SCALAR, 0, {SHIFT_SIGS}},
    {"hmac_md5", LH_FN_SCALAR, 0, {"varbinary;varbinary|varbinary"}},
    {"hmac_sha1", LH_FN_SCALAR, 0, {"varbinary;varbinary|varbinary"}},
    {"hmac_sha256", LH_FN_SCALAR, 0, {"varbinary;varbinary|varbinary"}},
    {"hmac_sha512", LH_FN_SCALAR, 0, {"varbinary;varbinary|varbinary"}},
    {"to_big_endian_64", LH_FN_SCALAR, 0, {"bigint|varbinary"}},
    {"to_big_endian_32", LH_FN_SCALAR, 0, {"integer|varbinary"}},
    {"from_big_endian_64", LH_FN_SCALAR, 0, {"varbinary|bigint"}},
    {"from_big_endian_32", LH_FN_SCALAR, 0, {"varbinary|integer"}},
    {"to_ieee754_64", LH_FN_SCALAR, 0, {"double|varbinary"}},
    {"to_ieee754_32", LH_FN_SCALAR, 0, {"real|varbinary"}},
    {"from_ieee754_64", LH_FN_SCALAR, 0, {"varbinary|double"}},
    {"from_ieee754_32", LH_FN_SCALAR, 0, {"varbinary|real"}},
    {"wilson_interval_lower", LH_FN_SCALAR, 0, {"bigint;bigint;double|double"}},
    {"wilson_interval_upper", LH_FN_SCALAR, 0, {"bigint;bigint;double|double"}},
    {"normal_cdf", LH_FN_SCALAR, 0, {"double;double;double|double"}},
    {"inverse_normal_cdf", LH_FN_SCALAR, 0, {"double;double;double|double"}},
    /* ---- conditional ---- */
    {"coalesce", LH_FN_SCALAR, 0, {"T;T...|T"}},
    {"nullif", LH_FN_SCALAR, 0, {"T;T|@first"}},
    {"if", LH_FN_SCALAR, 0, {"boolean;T|T", "boolean;T;T|T"}},
    {"try", LH_FN_SCALAR, 0, {"T|T"}},
    {"greatest", LH_FN_SCALAR, 0, {"T;T...|T"}},
    {"least", LH_FN_SCALAR, 0, {"T;T...|T"}},
    {"typeof", LH_FN_SCALAR, 0, {"T|varchar"}},
    /* ---- date and time ---- */
    {"from_unixtime", LH_FN_SCALAR, 0,
     {"double|timestamp(3) with time zone", "double;varchar|timestamp(3) with time zone",
      "double;bigint;bigint|timestamp(3) with time zone"}},
    /* timestamp(9) results: resolving them reports that the engine stores microseconds */
    {"from_unixtime_nanos", LH_FN_SCALAR, 0,
     {"bigint|timestamp(9) with time zone", "decimal(p,s)|timestamp(9) with time zone"}},
    {"from_iso8601_timestamp_nanos", LH_FN_SCALAR, 0, {"varchar|timestamp(9) with time zone"}},
    {"from_iso8601_timestamp", LH_FN_SCALAR, 0, {"varchar|timestamp(3) with time zone"}},
    {"from_iso8601_date", LH_FN_SCALAR, 0, {"varchar|date"}},
    {"to_iso8601", LH_FN_SCALAR, 0, {"date|varchar(16)", "timestamp(p)|varchar", "timestamp(p) with time zone|varchar"}},
    {"with_timezone", LH_FN_SCALAR, 0, {"timestamp(p);varchar|@tstz_first"}},
    {"at_timezone", LH_FN_SCALAR, 0, {"timestamp(p) with time zone;varchar|timestamp(p) with time zone"}},
    {"timezone", LH_FN_SCALAR, 0, {"timestamp(p) with time zone|varchar"}},
    {"timezone_hour", LH_FN_SCALAR, 0, {"timestamp(p) with time zone|bigint"}},
    {"timezone_minute", LH_FN_SCALAR, 0, {"timestamp(p) with time zone|bigint"}},
    {"last_day_of_month", LH_FN_SCALAR, 0, {DT1("date")}},
    {"to_milliseconds", LH_FN_SCALAR, 0, {"interval day to second|bigint"}},
    {"human_readable_seconds", LH_FN_SCALAR, 0, {"double|varchar"}},
    {"parse_duration", LH_FN_SCALAR, 0, {"varchar|interval day to second"}},
    {"to_unixtime", LH_FN_SCALAR, 0, {"timestamp(p) with time zone|double"}},
    {"date_trunc", LH_FN_SCALAR, 0,
     {"varchar(x);date|date", "varchar(x);time(p)|time(p)", "varchar(x);timestamp(p)|timestamp(p)",
      "varchar(x);timestamp(p) with time zone|timestamp(p) with time zone"}},
    {"date_add", LH_FN_SCALAR, 0,
     {"varchar(x);bigint;date|date", "varchar(x);bigint;time(p)|time(p)",
      "varchar(x);bigint;timestamp(p)|timestamp(p)",
      "varchar(x);bigint;timestamp(p) with time zone|timestamp(p) with time zone"}},
    {"date_diff", LH_FN_SCALAR, 0,
     {"varchar(x);date;date|bigint", "varchar(x);time(p);time(p)|bigint",
      "varchar(x);timestamp(p);timestamp(p)|bigint",
      "varchar(x);timestamp(p) with time zone;timestamp(p) with time zone|bigint"}},
    {"date_format", LH_FN_SCALAR, 0,
     {"timestamp(p);varchar(x)|varchar", "timestamp(p) with time zone;varchar(x)|varchar"}},
    {"date_parse", LH_FN_SCALAR, 0, {"varchar(x);varchar(y)|timestamp(3)"}},
    {"format_datetime", LH_FN_SCALAR, 0, {"timestamp(p) with time zone;varchar(x)|varchar"}},
    {"parse_datetime", LH_FN_SCALAR, 0, {"varchar(x);varchar(y)|timestamp(3) with time zone"}},
    {"date", LH_FN_SCALAR, 0, {"varchar(x)|date", "timestamp(p)|date", "timestamp(p) with time zone|date"}},
    {"year", LH_FN_SCALAR, 0, {DT1("bigint"), "interval year to month|bigint"}},
    {"quarter", LH_FN_SCALAR, 0, {DT1("bigint")}},
    {"month", LH_FN_SCALAR, 0, {DT1("bigint"), "interval year to month|bigint"}},
    {"week", LH_FN_SCALAR, 0, {DT1("bigint")}},
    {"week_of_year", LH_FN_SCALAR, 0, {DT1("bigint")}},
    {"year_of_week", LH_FN_SCALAR, 0, {DT1("bigint")}},
    {"yow", LH_FN_SCALAR, 0, {DT1("bigint")}},
    {"day", LH_FN_SCALAR, 0, {DT1("bigint"), "interval day to second|bigint"}},
    {"day_of_month", LH_FN_SCALAR, 0, {DT1("bigint"), "interval day to second|bigint"}},
    {"day_of_week", LH_FN_SCALAR, 0, {DT1("bigint")}},
    {"dow", LH_FN_SCALAR, 0, {DT1("bigint")}},
    {"day_of_year", LH_FN_SCALAR, 0, {DT1("bigint")}},
    {"doy", LH_FN_SCALAR, 0, {DT1("bigint")}},
    {"hour", LH_FN_SCALAR, 0, {TIME1("bigint"), "interval day to second|bigint"}},
    {"minute", LH_FN_SCALAR, 0, {TIME1("bigint"), "interval day to second|bigint"}},
    {"second", LH_FN_SCALAR, 0, {TIME1("bigint"), "interval day to second|bigint"}},
    {"millisecond", LH_FN_SCALAR, 0, {TIME1("bigint"), "interval day to second|bigint"}},
    {"now", LH_FN_SCALAR, F_SESSION, {"|timestamp(3) with time zone"}},
    {"current_timezone", LH_FN_SCALAR, F_SESSION, {"|varchar"}},
    /* ---- aggregates ---- */
    {"count", LH_FN_AGGREGATE, 0, {"|bigint", "T|bigint"}},
    {"count_if", LH_FN_AGGREGATE, 0, {"boolean|bigint"}},
    {"sum", LH_FN_AGGREGATE, 0, {INTS("bigint"), "decimal(p,s)|@sum", "real|real", "double|double",
                                 "interval day to second|interval day to second",
                                 "interval year to month|interval year to month"}},
    {"avg", LH_FN_AGGREGATE, 0, {INTS("double"), "decimal(p,s)|@avg", "real|real", "double|double",
                                 "interval day to second|interval day to second",
                                 "interval year to month|interval year to month"}},
    {"min", LH_FN_AGGREGATE, 0, {"T|T"}},
    {"max", LH_FN_AGGREGATE, 0, {"T|T"}},
    {"min_by", LH_FN_AGGREGATE, 0, {"T;U|T"}},
    {"max_by", LH_FN_AGGREGATE, 0, {"T;U|T"}},
    {"bool_and", LH_FN_AGGREGATE, 0, {"boolean|boolean"}},
    {"bool_or", LH_FN_AGGREGATE, 0, {"boolean|boolean"}},
    {"every", LH_FN_AGGREGATE, 0, {"boolean|boolean"}},
    {"arbitrary", LH_FN_AGGREGATE, 0, {"T|T"}},
    {"any_value", LH_FN_AGGREGATE, 0, {"T|T"}},
    {"approx_distinct", LH_FN_AGGREGATE, 0, {"T|bigint", "T;double|bigint"}},
    {"approx_percentile", LH_FN_AGGREGATE, 0,
     {"bigint;double|bigint", "double;double|double", "real;double|real", "bigint;double;double|bigint",
      "double;double;double|double", "real;double;double|real"}},
    {"stddev", LH_FN_AGGREGATE, 0, {STATS}},
    {"stddev_samp", LH_FN_AGGREGATE, 0, {STATS}},
    {"stddev_pop", LH_FN_AGGREGATE, 0, {STATS}},
    {"variance", LH_FN_AGGREGATE, 0, {STATS}},
    {"var_samp", LH_FN_AGGREGATE, 0, {STATS}},
    {"var_pop", LH_FN_AGGREGATE, 0, {STATS}},
    {"corr", LH_FN_AGGREGATE, 0, {"double;double|double", "real;real|real"}},
    {"covar_samp", LH_FN_AGGREGATE, 0, {"double;double|double", "real;real|real"}},
    {"covar_pop", LH_FN_AGGREGATE, 0, {"double;double|double", "real;real|real"}},
    {"geometric_mean", LH_FN_AGGREGATE, 0, {"double|double", "real|real", "bigint|double"}},
    {"listagg", LH_FN_AGGREGATE, 0, {"varchar;varchar|varchar"}},
    {"bitwise_and_agg", LH_FN_AGGREGATE, 0, {"bigint|bigint"}},
    {"bitwise_or_agg", LH_FN_AGGREGATE, 0, {"bigint|bigint"}},
    {"bitwise_xor_agg", LH_FN_AGGREGATE, 0, {"bigint|bigint"}},
    {"array_agg", LH_FN_AGGREGATE, F_REFUSED, {"T|T"}},
    /* ---- window ---- */
    {"row_number", LH_FN_WINDOW, 0, {"|bigint"}},
    {"rank", LH_FN_WINDOW, 0, {"|bigint"}},
    {"dense_rank", LH_FN_WINDOW, 0, {"|bigint"}},
    {"percent_rank", LH_FN_WINDOW, 0, {"|double"}},
    {"cume_dist", LH_FN_WINDOW, 0, {"|double"}},
    {"ntile", LH_FN_WINDOW, 0, {"bigint|bigint"}},
    {"lag", LH_FN_WINDOW, 0, {"T|T", "T;bigint|T", "T;bigint;T|T"}},
    {"lead", LH_FN_WINDOW, 0, {"T|T", "T;bigint|T", "T;bigint;T|T"}},
    {"first_value", LH_FN_WINDOW, 0, {"T|T"}},
    {"last_value", LH_FN_WINDOW, 0, {"T|T"}},
    {"nth_value", LH_FN_WINDOW, 0, {"T;bigint|T"}},
};
#define NFNS (sizeof FNS / sizeof FNS[0])

const lh_fn *lh_fn_lookup(const char *name)
{
    for (size_t i = 0; i < NFNS; i++)
        if (strcmp(FNS[i].name, name) == 0)
            return &FNS[i];
    return NULL;
}
const char *lh_fn_name(const lh_fn *f) { return f->name; }
lh_fn_kind lh_fn_kind_of(const lh_fn *f) { return f->kind; }
int lh_fn_refused(const lh_fn *f) { return (f->flags & F_REFUSED) != 0; }
int lh_fn_is_session(const lh_fn *f) { return (f->flags & F_SESSION) != 0; }
size_t lh_fn_count(void) { return NFNS; }
const lh_fn *lh_fn_at(size_t i) { return i < NFNS ? &FNS[i] : NULL; }

size_t lh_fn_nsigs(const lh_fn *f)
{
    size_t k = 0;
    while (k < MAXSIG && f->sigs[k])
        k++;
    return k;
}

/* "tinyint;integer|tinyint" -> "tinyint, integer" and "tinyint"; a rule's
 * result as the type family it gives. */
void lh_fn_sig_text(const lh_fn *f, size_t i, char *args, size_t argsz, char *ret, size_t retsz)
{
    const char *sig = i < MAXSIG ? f->sigs[i] : NULL, *bar, *r;
    size_t w = 0;
    if (argsz)
        args[0] = 0;
    if (retsz)
        ret[0] = 0;
    if (!sig || !(bar = strchr(sig, '|')))
        return;
    for (const char *q = sig; q < bar && w + 3 < argsz; q++) {
        if (*q == ';') {
            args[w++] = ',';
            args[w++] = ' ';
        } else
            args[w++] = *q;
    }
    if (argsz)
        args[w < argsz ? w : argsz - 1] = 0;
    r = bar + 1;
    if (*r == '@')
        r = !strcmp(r, "@tstz_first") ? "timestamp(p) with time zone"
            : !strcmp(r, "@first")    ? "T"
            : !strcmp(r, "@concat")   ? "varchar"
                                      : "decimal(rp,rs)";
    snprintf(ret, retsz, "%s", r);
}
const char *lh_fn_name_at(size_t i) { return i < NFNS ? FNS[i].name : NULL; }

/* ---- matching ---- */

typedef struct word {
    const char *s;
    size_t n;
} word;

static int weq(word w, const char *s) { return strlen(s) == w.n && memcmp(w.s, s, w.n) == 0; }

typedef struct binds {
    int have_t, have_u;
    lh_sqltype t, u;
} binds;

/* Does an argument of type a fit parameter word w?  *to gets the type the
 * argument becomes.  Generic words bind in b (T, U: first pass collects). */
static int fit(word w, lh_sqltype a, binds *b, lh_sqltype *to)
{
    lh_sqltype_id id = (lh_sqltype_id)a.id;
    if (weq(w, "T") || weq(w, "U")) {
        int isu = weq(w, "U");
        lh_sqltype *bt = isu ? &b->u : &b->t;
        int *have = isu ? &b->have_u : &b->have_t;
        if (!*have) {
            *bt = a;
            *have = 1;
        } else if (!lh_type_common_super(*bt, a, bt))
            return 0;
        *to = a; /* fixed in the second pass */
        return 1;
    }
    if (weq(w, "ANY")) { /* any type, as it is (format's arguments) */
        *to = id == LH_SQL_UNKNOWN ? lh_sqltype_varchar(LH_SQL_UNBOUNDED) : a;
        return 1;
    }
    if (weq(w, "decimal(p,s)")) {
        if (id == LH_SQL_DECIMAL)
            *to = a;
        else if (lh_sqltype_is_integer(a))
            *to = lh_type_int_as_decimal(a);
        else if (id == LH_SQL_UNKNOWN)
            *to = lh_sqltype_decimal(1, 0);
        else
            return 0;
        return 1;
    }
    if (weq(w, "varchar(x)") || weq(w, "varchar(y)")) {
        if (id == LH_SQL_VARCHAR)
            *to = a;
        else if (id == LH_SQL_UNKNOWN)
            *to = lh_sqltype_varchar(LH_SQL_UNBOUNDED);
        else
            return 0;
        return 1;
    }
    if (weq(w, "char(x)")) {
        if (id != LH_SQL_CHAR)
            return 0;
        *to = a;
        return 1;
    }
    if (weq(w, "timestamp(p)")) {
        if (id == LH_SQL_TIMESTAMP)
            *to = a;
        else if (id == LH_SQL_DATE)
            *to = lh_sqltype_timestamp(0);
        else if (id == LH_SQL_UNKNOWN)
            *to = lh_sqltype_timestamp(3);
        else
            return 0;
        return 1;
    }
    if (weq(w, "timestamp(p) with time zone")) {
        if (id == LH_SQL_TIMESTAMP_TZ)
            *to = a;
        else if (id == LH_SQL_TIMESTAMP)
            *to = lh_sqltype_timestamp_tz(a.p);
        else if (id == LH_SQL_DATE)
            *to = lh_sqltype_timestamp_tz(0);
        else if (id == LH_SQL_UNKNOWN)
            *to = lh_sqltype_timestamp_tz(3);
        else
            return 0;
        return 1;
    }
    if (weq(w, "time(p)")) {
        if (id == LH_SQL_TIME)
            *to = a;
        else if (id == LH_SQL_UNKNOWN)
            *to = lh_sqltype_time(3);
        else
            return 0;
        return 1;
    }
    lh_sqltype c;
    if (lh_sqltype_parse(w.s, w.n, &c, NULL) != LH_OK)
        return 0;
    if (!lh_type_can_coerce(a, c))
        return 0;
    *to = c;
    return 1;
}

/* Split "a;b;c...|r" into parameter words. */
static size_t split(const char *sig, word *ps, size_t max, int *variadic, word *res)
{
    const char *bar = strchr(sig, '|');
    size_t n = 0;
    *variadic = 0;
    const char *p = sig;
    while (p < bar && n < max) {
        const char *e = p;
        while (e < bar && *e != ';')
            e++;
        word w = {p, (size_t)(e - p)};
        if (w.n > 3 && memcmp(w.s + w.n - 3, "...", 3) == 0) {
            w.n -= 3;
            *variadic = 1;
        }
        ps[n++] = w;
        p = e < bar ? e + 1 : e;
    }
    res->s = bar + 1;
    res->n = strlen(bar + 1);
    return n;
}

static lh_rc result_of(word r, const lh_sqltype *params, size_t n, const binds *b, lh_sqltype *out, lh_err *err)
{
    if (weq(r, "T")) {
        *out = b->t;
        return LH_OK;
    }
    if (r.n && r.s[0] == '@') {
        lh_sqltype d = n ? params[0] : lh_sqltype_of(LH_SQL_UNKNOWN);
        int p = d.p, s = d.s;
        if (weq(r, "@round_n")) {
            *out = lh_sqltype_decimal(p + 1 > 38 ? 38 : p + 1, s);
        } else if (weq(r, "@round_0")) {
            int rp = p - s + (s < 1 ? s : 1);
            *out = lh_sqltype_decimal(rp > 38 ? 38 : rp < 1 ? 1 : rp, 0);
        } else if (weq(r, "@trunc_0")) { /* Trino's Truncate: decimal(max(1, p - s), 0) */
            *out = lh_sqltype_decimal(p - s < 1 ? 1 : p - s, 0);
        } else if (weq(r, "@mod")) {
            int rp, rs;
            lh_rc rc = lh_dec_result_type(LH_DEC_MOD, params[0].p, params[0].s, params[1].p, params[1].s, &rp, &rs, err);
            if (rc)
                return rc;
            *out = lh_sqltype_decimal(rp, rs);
        } else if (weq(r, "@sum")) {
            int rp, rs;
            lh_dec_sum_type(p, s, &rp, &rs);
            *out = lh_sqltype_decimal(rp, rs);
        } else if (weq(r, "@avg")) {
            int rp, rs;
            lh_dec_avg_type(p, s, &rp, &rs);
            *out = lh_sqltype_decimal(rp, rs);
        } else if (weq(r, "@tstz_first")) {
            *out = lh_sqltype_timestamp_tz(p);
        } else if (weq(r, "@first")) {
            *out = params[0];
        } else if (weq(r, "@concat")) {
            uint64_t len = 0;
            for (size_t i = 0; i < n && len != LH_SQL_UNBOUNDED; i++)
                len = params[i].len == LH_SQL_UNBOUNDED || len + params[i].len > LH_VARCHAR_MAX_LENGTH
                          ? LH_SQL_UNBOUNDED
                          : len + params[i].len;
            *out = lh_sqltype_varchar((uint32_t)len);
        } else
            return lh_errf(err, LH_EINTERNAL, "unknown result rule %.*s", (int)r.n, r.s);
        return LH_OK;
    }
    /* a parameter word: the type bound to the first parameter spelled so */
    return lh_errf(err, LH_EINTERNAL, "unbound result %.*s", (int)r.n, r.s);
}

static lh_rc try_sig(const char *sig, const lh_sqltype *args, size_t n, lh_sqltype *params, lh_sqltype *result,
                     int *ok, lh_err *err)
{
    word ps[LH_FN_MAX_ARGS], r;
    int variadic;
    size_t np = split(sig, ps, LH_FN_MAX_ARGS, &variadic, &r);
    binds b = {0};
    *ok = 0;
    if (variadic ? n < np : n != np)
        return LH_OK;
    for (size_t i = 0; i < n; i++) {
        word w = ps[i < np ? i : np - 1];
        if (!fit(w, args[i], &b, &params[i]))
            return LH_OK;
    }
    /* second pass: every T/U becomes its unified type; result words */
    for (size_t i = 0; i < n; i++) {
        word w = ps[i < np ? i : np - 1];
        if (weq(w, "T"))
            params[i] = b.t;
        else if (weq(w, "U"))
            params[i] = b.u;
    }
    if (r.n && r.s[0] != '@' && !weq(r, "T")) {
        for (size_t i = 0; i < np && i < n; i++)
            if (ps[i].n == r.n && memcmp(ps[i].s, r.s, r.n) == 0) {
                *result = params[i];
                *ok = 1;
                return LH_OK;
            }
        lh_rc rc = lh_sqltype_parse(r.s, r.n, result, err);
        if (rc)
            return rc;
        *ok = 1;
        return LH_OK;
    }
    lh_rc rc = result_of(r, params, n, &b, result, err);
    if (rc)
        return rc;
    *ok = 1;
    return LH_OK;
}

lh_rc lh_fn_resolve(const lh_fn *f, const lh_sqltype *args, size_t n, lh_sqltype *params, lh_sqltype *result,
                    lh_err *err)
{
    if (n > LH_FN_MAX_ARGS)
        return lh_errf(err, LH_ELIMIT, "Too many arguments for function %s: %zu (at most %d)", f->name, n,
                       LH_FN_MAX_ARGS);
    for (size_t k = 0; k < MAXSIG && f->sigs[k]; k++) {
        int ok;
        lh_rc rc = try_sig(f->sigs[k], args, n, params, result, &ok, err);
        if (rc)
            return rc;
        if (ok)
            return LH_OK;
    }
    /* Trino: Unexpected parameters (varchar) for function abs. Expected: abs(bigint), ... */
    char msg[1000], tn[LH_SQLTYPE_NAME_MAX];
    size_t len = 0;
#define PUT(...) len += (size_t)snprintf(msg + len, len < sizeof msg ? sizeof msg - len : 0, __VA_ARGS__)
    PUT("Unexpected parameters (");
    for (size_t i = 0; i < n; i++)
        PUT("%s%s", i ? ", " : "", lh_sqltype_name(args[i], tn, sizeof tn));
    PUT(") for function %s. Expected: ", f->name);
    for (size_t k = 0; k < MAXSIG && f->sigs[k]; k++) {
        const char *bar = strchr(f->sigs[k], '|');
        PUT("%s%s(", k ? ", " : "", f->name);
        for (const char *p = f->sigs[k]; p < bar; p++) {
            if (*p == ';')
                PUT(", ");
            else
                PUT("%c", *p);
        }
        PUT(")");
    }
#undef PUT
    if (len >= sizeof msg)
        msg[sizeof msg - 1] = 0;
    return lh_errf(err, LH_EDATA, "%s", msg);
}
