/* functions/fn_regex.c — regex functions (see scalar.h). */
#include "functions/scalar.h"

const lh_scalar_entry lh_fns_regex[] = {
    {NULL, NULL, {NULL, NULL, NULL, NULL}},
};
