#include <gsl/gsl_errno.h>
#include "../tap.h"
int main(void) { gsl_set_error_handler_off(); ok(1, "placeholder"); return tap_done(); }
