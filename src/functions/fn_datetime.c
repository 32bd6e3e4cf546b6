/* functions/fn_datetime.c — datetime functions (see scalar.h). */
#include "functions/scalar.h"

const lh_scalar_entry lh_fns_datetime[] = {
    {NULL, NULL, {NULL, NULL, NULL, NULL}},
};
