/* functions/fn_string.c — string functions (see scalar.h). */
#include "functions/scalar.h"

const lh_scalar_entry lh_fns_string[] = {
    {NULL, NULL, {NULL, NULL, NULL, NULL}},
};
