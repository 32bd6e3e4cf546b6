/* functions/fn_math.c — math functions (see scalar.h). */
#include "functions/scalar.h"

const lh_scalar_entry lh_fns_math[] = {
    {NULL, NULL, {NULL, NULL, NULL, NULL}},
};
