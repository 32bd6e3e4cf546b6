/* libFuzzer target: the strict JSON scanner.  Checks that validate and
 * scan_object agree, and that decoding every string value succeeds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lh_json_keys *keys;
    static const char *names[] = {"user", "timestamp", "x", "email", "a"};
    lh_json_span spans[5];
    lh_err err;
    lh_rc v, s;
    size_t i;
    if (!keys && lh_json_keys_new(names, 5, 1, &keys, NULL))
        abort();
    v = lh_json_validate((const char *)data, size, &err);
    s = lh_json_scan_object((const char *)data, size, keys, spans, &err);
    if (s == LH_OK && v != LH_OK)
        abort(); /* scan accepted what validate rejects */
    if (s == LH_OK) {
        lh_buf b;
        lh_buf_init(&b, 0);
        for (i = 0; i < 5; i++)
            if (spans[i].kind == LH_J_STRING) {
                lh_buf_reset(&b);
                if (lh_json_unescape(&spans[i], &b, &err) != LH_OK)
                    abort(); /* a validated string must decode */
            }
        lh_buf_free(&b);
    }
    return 0;
}
