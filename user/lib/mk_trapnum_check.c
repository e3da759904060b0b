/*
 * Build-time check that mk_trapnum.h (used by traps.S) agrees with
 * <mach/mk_traps.h>.  Redefining a macro with a different value is a
 * diagnostic, and -Werror makes it fatal, so compiling this file is the
 * whole check.  It contributes no code.
 */
#include <mach/mk_traps.h>
#include "mk_trapnum.h"

_Static_assert(MK_TRAP_TEST_DONE == MK_TRAP_LAST,
    "mk_trapnum.h lists every trap up to MK_TRAP_LAST");
