/* libFuzzer target: an Avro object container file — header, schema JSON,
 * every block and value.  Checks that what decodes also prints as JSON and
 * that the schema prints back and parses again. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "formats/avro.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lh_avro_reader *r;
    const lh_avro_value *v;
    lh_err err;
    lh_buf b;
    int n = 0;
    if (lh_avro_reader_open(data, size, "fuzz.avro", &r, &err) != LH_OK)
        return 0;
    lh_buf_init(&b, 0);
    if (lh_avro_schema_json(lh_avro_reader_schema(r), &b, &err) == LH_OK) {
        lh_avro_schema *s;
        if (lh_avro_schema_parse(b.data, b.len, &s, &err) != LH_OK)
            abort(); /* a schema we print must parse again */
        lh_avro_schema_free(s);
    }
    while (lh_avro_reader_next(r, &v, &err) == LH_OK && v && n++ < 100000) {
        lh_buf_reset(&b);
        if (lh_avro_value_json(v, &b, &err) != LH_OK)
            break;
    }
    lh_buf_free(&b);
    lh_avro_reader_close(r);
    return 0;
}
