/* exec/format.c — a value as Athena prints it in the console and in CSV
 * results (lh_value_format, exec/scan.h).
 *
 * The text is what Trino's client shows: the server sends each value as
 * JSON (numbers, or strings for decimals and date/time types) and the
 * client prints the Java object's toString: Double.toString for double,
 * Float.toString for real, BigDecimal's plain digits with the scale for
 * decimals, the server's text for date/time values, char(n) padded with
 * spaces to n (Trino's CharType gives the padded string), varbinary as
 * lowercase hex pairs separated by spaces (the CLI's hex dump).
 *
 * Cold path (one call per printed value); no allocation beyond out.
 */
#include <stdio.h>
#include <string.h>

#include "exec/kernels.h"
#include "exec/scan.h"

lh_rc lh_value_format(lh_vector *v, uint32_t row, lh_buf *out, int *is_null, lh_err *err)
{
    char buf[LH_DT_FMT_MAX + LH_ZONE_NAME_MAX + LH_DEC_FMT_MAX];
    size_t n = 0;
    lh_sqltype t = v->type;
    *is_null = 0;
    if (t.id == LH_SQL_UNKNOWN || !lh_vector_get_valid(v, row)) {
        *is_null = 1;
        return LH_OK;
    }
    switch ((lh_sqltype_id)t.id) {
    case LH_SQL_BOOLEAN:
        return lh_buf_puts(out, lh_vector_get_i64(v, row) ? "true" : "false", err);
    case LH_SQL_TINYINT:
    case LH_SQL_SMALLINT:
    case LH_SQL_INTEGER:
    case LH_SQL_BIGINT:
        n = (size_t)snprintf(buf, sizeof buf, "%lld", (long long)lh_vector_get_i64(v, row));
        break;
    case LH_SQL_REAL:
        n = lh_real_java_string((float)lh_vector_get_f64(v, row), buf);
        break;
    case LH_SQL_DOUBLE:
        n = lh_double_java_string(lh_vector_get_f64(v, row), buf);
        break;
    case LH_SQL_DECIMAL:
        n = lh_dec_format(lh_vector_get_i128(v, row), t.s, buf);
        break;
    case LH_SQL_VARCHAR:
    case LH_SQL_CHAR: {
        lh_str s = lh_vector_get_str(v, row);
        uint32_t len = lh_str_len(&s), cp = 0, i;
        const char *p = lh_str_ptr(&s);
        lh_rc rc = lh_buf_append(out, p, len, err);
        if (rc || t.id != LH_SQL_CHAR)
            return rc;
        for (i = 0; i < len; i++)
            cp += ((unsigned char)p[i] & 0xC0) != 0x80;
        for (; cp < t.len; cp++)
            if ((rc = lh_buf_putc(out, ' ', err)))
                return rc;
        return LH_OK;
    }
    case LH_SQL_VARBINARY: {
        static const char hex[] = "0123456789abcdef";
        lh_str s = lh_vector_get_str(v, row);
        uint32_t len = lh_str_len(&s), i;
        const unsigned char *p = (const unsigned char *)lh_str_ptr(&s);
        lh_rc rc;
        if (len && (rc = lh_buf_reserve(out, (size_t)len * 3, err)))
            return rc;
        for (i = 0; i < len; i++) {
            char pair[3];
            pair[0] = ' ';
            pair[1] = hex[p[i] >> 4];
            pair[2] = hex[p[i] & 15];
            if ((rc = lh_buf_append(out, i ? pair : pair + 1, i ? 3 : 2, err)))
                return rc;
        }
        return LH_OK;
    }
    case LH_SQL_DATE:
        n = lh_date_format((int32_t)lh_vector_get_i64(v, row), buf, sizeof buf);
        break;
    case LH_SQL_TIME:
        n = lh_time_format(lh_vector_get_i64(v, row), t.p, buf, sizeof buf);
        break;
    case LH_SQL_TIMESTAMP:
        n = lh_timestamp_format(lh_vector_get_i64(v, row), t.p, buf, sizeof buf);
        break;
    case LH_SQL_TIMESTAMP_TZ:
        n = lh_tstz_format(lh_vector_get_tstz(v, row), t.p, buf, sizeof buf);
        break;
    case LH_SQL_INTERVAL_DS:
        n = lh_interval_ds_format(lh_vector_get_i64(v, row), buf, sizeof buf);
        break;
    case LH_SQL_INTERVAL_YM:
        n = lh_interval_ym_format((int32_t)lh_vector_get_i64(v, row), buf, sizeof buf);
        break;
    default: {
        char tn[LH_SQLTYPE_NAME_MAX];
        return lh_errf(err, LH_EINTERNAL, "cannot print a value of type %s", lh_sqltype_name(t, tn, sizeof tn));
    }
    }
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    return lh_buf_append(out, buf, n, err);
}
