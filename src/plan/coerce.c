/* plan/coerce.c — Trino's implicit coercions and operator signatures. */
#include "plan/coerce.h"

#include "exec/decimal.h"

static int imax(int a, int b)
{
    return a > b ? a : b;
}

lh_sqltype lh_type_int_as_decimal(lh_sqltype t)
{
    switch (t.id) {
    case LH_SQL_TINYINT:
        return lh_sqltype_decimal(3, 0);
    case LH_SQL_SMALLINT:
        return lh_sqltype_decimal(5, 0);
    case LH_SQL_INTEGER:
        return lh_sqltype_decimal(10, 0);
    default:
        return lh_sqltype_decimal(19, 0);
    }
}

/* Trino: a decimal coerces to t when their common super type is t.  The
 * super type's precision is capped at 38, so decimal(38,0) -> decimal(38,38)
 * is allowed ("potential loss of precision"; the cast checks overflow at
 * run time), as in TypeCoercion.getCommonSuperTypeForDecimal. */
static int dec_widens(lh_sqltype f, lh_sqltype t)
{
    int s = f.s > t.s ? f.s : t.s, ip = (f.p - f.s) > (t.p - t.s) ? f.p - f.s : t.p - t.s;
    int p = ip + s > 38 ? 38 : ip + s;
    return t.s == s && t.p == p;
}

int lh_type_can_coerce(lh_sqltype f, lh_sqltype t)
{
    if (lh_sqltype_equal(f, t) || f.id == LH_SQL_UNKNOWN)
        return 1;
    switch (f.id) {
    case LH_SQL_TINYINT:
    case LH_SQL_SMALLINT:
    case LH_SQL_INTEGER:
    case LH_SQL_BIGINT:
        if (lh_sqltype_is_integer(t))
            return t.id >= f.id;
        if (t.id == LH_SQL_DECIMAL)
            return dec_widens(lh_type_int_as_decimal(f), t);
        return t.id == LH_SQL_REAL || t.id == LH_SQL_DOUBLE;
    case LH_SQL_DECIMAL:
        if (t.id == LH_SQL_DECIMAL)
            return dec_widens(f, t);
        return t.id == LH_SQL_REAL || t.id == LH_SQL_DOUBLE;
    case LH_SQL_REAL:
        return t.id == LH_SQL_DOUBLE;
    case LH_SQL_VARCHAR:
        if (t.id == LH_SQL_VARCHAR)
            return t.len == LH_SQL_UNBOUNDED || (f.len != LH_SQL_UNBOUNDED && t.len >= f.len);
        if (t.id == LH_SQL_CHAR)
            return t.len >= (f.len == LH_SQL_UNBOUNDED ? LH_CHAR_MAX_LENGTH : f.len);
        return 0;
    case LH_SQL_CHAR:
        return t.id == LH_SQL_CHAR && t.len >= f.len;
    case LH_SQL_DATE:
        return t.id == LH_SQL_TIMESTAMP || t.id == LH_SQL_TIMESTAMP_TZ;
    case LH_SQL_TIMESTAMP:
        return (t.id == LH_SQL_TIMESTAMP || t.id == LH_SQL_TIMESTAMP_TZ) && t.p >= f.p;
    case LH_SQL_TIMESTAMP_TZ:
    case LH_SQL_TIME:
        return t.id == f.id && t.p >= f.p;
    default:
        return 0;
    }
}

static int rank_numeric(lh_sqltype t) /* for choosing real/double */
{
    return t.id == LH_SQL_DOUBLE ? 2 : t.id == LH_SQL_REAL ? 1 : 0;
}

int lh_type_common_super(lh_sqltype a, lh_sqltype b, lh_sqltype *out)
{
    if (lh_sqltype_equal(a, b)) {
        *out = a;
        return 1;
    }
    if (a.id == LH_SQL_UNKNOWN) {
        *out = b;
        return 1;
    }
    if (b.id == LH_SQL_UNKNOWN) {
        *out = a;
        return 1;
    }
    if (lh_sqltype_is_numeric(a) && lh_sqltype_is_numeric(b)) {
        int ra = rank_numeric(a), rb = rank_numeric(b);
        if (ra || rb) {
            *out = lh_sqltype_of(ra > rb ? a.id : b.id);
            return 1;
        }
        if (lh_sqltype_is_integer(a) && lh_sqltype_is_integer(b)) {
            *out = lh_sqltype_of(a.id > b.id ? a.id : b.id);
            return 1;
        }
        {
            lh_sqltype x = a.id == LH_SQL_DECIMAL ? a : lh_type_int_as_decimal(a);
            lh_sqltype y = b.id == LH_SQL_DECIMAL ? b : lh_type_int_as_decimal(b);
            int s = imax(x.s, y.s), p = imax(x.p - x.s, y.p - y.s) + s;
            *out = lh_sqltype_decimal(p > 38 ? 38 : p, s);
            return 1;
        }
    }
    if (a.id == LH_SQL_VARCHAR && b.id == LH_SQL_VARCHAR) {
        *out = lh_sqltype_varchar(a.len == LH_SQL_UNBOUNDED || b.len == LH_SQL_UNBOUNDED ? LH_SQL_UNBOUNDED
                                  : a.len > b.len                                      ? a.len
                                                                                       : b.len);
        return 1;
    }
    if (lh_sqltype_is_string(a) && lh_sqltype_is_string(b)) {
        uint32_t la = a.len == LH_SQL_UNBOUNDED ? LH_CHAR_MAX_LENGTH : a.len;
        uint32_t lb = b.len == LH_SQL_UNBOUNDED ? LH_CHAR_MAX_LENGTH : b.len;
        *out = lh_sqltype_char(la > lb ? la : lb);
        return 1;
    }
    if (lh_sqltype_is_datetime(a) && lh_sqltype_is_datetime(b) && a.id != LH_SQL_TIME && b.id != LH_SQL_TIME) {
        int p = imax(a.id == LH_SQL_DATE ? 0 : a.p, b.id == LH_SQL_DATE ? 0 : b.p);
        if (a.id == LH_SQL_TIMESTAMP_TZ || b.id == LH_SQL_TIMESTAMP_TZ)
            *out = lh_sqltype_timestamp_tz(p);
        else
            *out = lh_sqltype_timestamp(p);
        return 1;
    }
    if (a.id == LH_SQL_TIME && b.id == LH_SQL_TIME) {
        *out = lh_sqltype_time(imax(a.p, b.p));
        return 1;
    }
    return 0;
}

const char *lh_op_symbol(lh_binop op)
{
    static const char *const s[] = {"+", "-", "*", "/", "%", "=", "<>", "<", "<=", ">", ">=", "IS DISTINCT FROM", "||"};
    return op <= LH_BOP_CONCAT ? s[op] : "?";
}

static lh_rc cannot(lh_binop op, lh_sqltype a, lh_sqltype b, lh_err *err)
{
    char x[LH_SQLTYPE_NAME_MAX], y[LH_SQLTYPE_NAME_MAX];
    if (op == LH_BOP_CONCAT) /* Trino parses || as a call of concat, and words the error so */
        return lh_errf(err, LH_EDATA,
                       "Unexpected parameters (%s, %s) for function concat. Expected: concat(char(x), char(y)), "
                       "concat(varchar), concat(varbinary)",
                       lh_sqltype_name(a, x, sizeof x), lh_sqltype_name(b, y, sizeof y));
    return lh_errf(err, LH_EDATA, "Cannot apply operator: %s %s %s", lh_sqltype_name(a, x, sizeof x), lh_op_symbol(op),
                   lh_sqltype_name(b, y, sizeof y));
}

static void sig(lh_op_sig *o, lh_sqltype l, lh_sqltype r, lh_sqltype res)
{
    o->left = l;
    o->right = r;
    o->result = res;
}

/* date/time/interval arithmetic (Trino's DateTimeOperators, IntervalOperators). */
static int temporal_arith(lh_binop op, lh_sqltype a, lh_sqltype b, lh_op_sig *o)
{
    int ia = lh_sqltype_is_interval(a), ib = lh_sqltype_is_interval(b);
    if (op == LH_BOP_ADD || op == LH_BOP_SUB) {
        if (ib && (a.id == LH_SQL_DATE || a.id == LH_SQL_TIMESTAMP || a.id == LH_SQL_TIMESTAMP_TZ ||
                   (a.id == LH_SQL_TIME && b.id == LH_SQL_INTERVAL_DS))) {
            sig(o, a, b, a);
            return 1;
        }
        if (op == LH_BOP_ADD && ia &&
            (b.id == LH_SQL_DATE || b.id == LH_SQL_TIMESTAMP || b.id == LH_SQL_TIMESTAMP_TZ ||
             (b.id == LH_SQL_TIME && a.id == LH_SQL_INTERVAL_DS))) {
            sig(o, a, b, b);
            return 1;
        }
        if (ia && ib && a.id == b.id) {
            sig(o, a, b, a);
            return 1;
        }
        if (op == LH_BOP_SUB && a.id == b.id && (a.id == LH_SQL_TIMESTAMP || a.id == LH_SQL_TIMESTAMP_TZ)) {
            lh_sqltype c;
            (void)lh_type_common_super(a, b, &c);
            sig(o, c, c, lh_sqltype_of(LH_SQL_INTERVAL_DS));
            return 1;
        }
        return 0;
    }
    if (op == LH_BOP_MUL) {
        if (ia && (lh_sqltype_is_integer(b) || b.id == LH_SQL_DOUBLE || b.id == LH_SQL_REAL)) {
            sig(o, a, lh_sqltype_is_integer(b) ? lh_sqltype_of(LH_SQL_BIGINT) : lh_sqltype_of(LH_SQL_DOUBLE), a);
            return 1;
        }
        if (ib && (lh_sqltype_is_integer(a) || a.id == LH_SQL_DOUBLE || a.id == LH_SQL_REAL)) {
            sig(o, lh_sqltype_is_integer(a) ? lh_sqltype_of(LH_SQL_BIGINT) : lh_sqltype_of(LH_SQL_DOUBLE), b, b);
            return 1;
        }
    }
    if (op == LH_BOP_DIV && ia && (lh_sqltype_is_integer(b) || b.id == LH_SQL_DOUBLE || b.id == LH_SQL_REAL)) {
        sig(o, a, lh_sqltype_of(LH_SQL_DOUBLE), a);
        return 1;
    }
    return 0;
}

lh_rc lh_op_resolve(lh_binop op, lh_sqltype a, lh_sqltype b, lh_op_sig *out, lh_err *err)
{
    lh_sqltype c;
    if (op >= LH_BOP_EQ && op <= LH_BOP_DISTINCT) {
        if (!lh_type_common_super(a, b, &c))
            return cannot(op, a, b, err);
        if (c.id == LH_SQL_UNKNOWN)
            c = lh_sqltype_of(LH_SQL_BOOLEAN); /* NULL = NULL: Trino types both as boolean */
        sig(out, c, c, lh_sqltype_of(LH_SQL_BOOLEAN));
        return LH_OK;
    }
    if (op == LH_BOP_CONCAT) {
        lh_sqltype x = a.id == LH_SQL_UNKNOWN ? (b.id == LH_SQL_UNKNOWN ? lh_sqltype_varchar(0) : b) : a;
        lh_sqltype y = b.id == LH_SQL_UNKNOWN ? x : b;
        if (x.id == LH_SQL_UNKNOWN)
            x = y;
        if (x.id == LH_SQL_VARBINARY && y.id == LH_SQL_VARBINARY) {
            sig(out, x, y, x);
            return LH_OK;
        }
        if (lh_sqltype_is_string(x) && lh_sqltype_is_string(y)) {
            /* concat(varchar(x), varchar(y)) -> varchar(x + y); char(x) || char(y) -> char(x + y) */
            uint64_t n = (x.len == LH_SQL_UNBOUNDED || y.len == LH_SQL_UNBOUNDED) ? UINT64_MAX
                                                                               : (uint64_t)x.len + y.len;
            if (x.id == LH_SQL_CHAR && y.id == LH_SQL_CHAR && n <= LH_CHAR_MAX_LENGTH) {
                sig(out, x, y, lh_sqltype_char((uint32_t)n));
                return LH_OK;
            }
            if (x.id == LH_SQL_CHAR)
                x = lh_sqltype_varchar(x.len);
            if (y.id == LH_SQL_CHAR)
                y = lh_sqltype_varchar(y.len);
            sig(out, x, y, lh_sqltype_varchar(n > LH_VARCHAR_MAX_LENGTH ? LH_SQL_UNBOUNDED : (uint32_t)n));
            return LH_OK;
        }
        return cannot(op, a, b, err);
    }
    /* arithmetic */
    if (temporal_arith(op, a, b, out))
        return LH_OK;
    if (a.id == LH_SQL_UNKNOWN && b.id == LH_SQL_UNKNOWN) {
        lh_sqltype i = lh_sqltype_of(LH_SQL_INTEGER);
        sig(out, i, i, i);
        return LH_OK;
    }
    if (!(lh_sqltype_is_numeric(a) || a.id == LH_SQL_UNKNOWN) || !(lh_sqltype_is_numeric(b) || b.id == LH_SQL_UNKNOWN))
        return cannot(op, a, b, err);
    if (a.id == LH_SQL_UNKNOWN)
        a = b;
    if (b.id == LH_SQL_UNKNOWN)
        b = a;
    if (!lh_type_common_super(a, b, &c))
        return cannot(op, a, b, err);
    if (c.id != LH_SQL_DECIMAL) {
        sig(out, c, c, c);
        return LH_OK;
    }
    {
        /* decimal operators take each side at its own precision and scale */
        lh_sqltype x = a.id == LH_SQL_DECIMAL ? a : lh_type_int_as_decimal(a);
        lh_sqltype y = b.id == LH_SQL_DECIMAL ? b : lh_type_int_as_decimal(b);
        static const lh_decop dop[] = {LH_DEC_ADD, LH_DEC_SUB, LH_DEC_MUL, LH_DEC_DIV, LH_DEC_MOD};
        int p, s;
        lh_rc rc = lh_dec_result_type(dop[op], x.p, x.s, y.p, y.s, &p, &s, err);
        if (rc)
            return rc;
        sig(out, x, y, lh_sqltype_decimal(p, s));
        return LH_OK;
    }
}
