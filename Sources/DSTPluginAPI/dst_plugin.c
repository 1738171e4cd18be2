/* Compiles the ABI header as plain C99 in every build, so a change that breaks C plugins fails
 * here first. The module has no code of its own: the ABI is the header. */
#include "dst_plugin.h"

_Static_assert(sizeof(dst_status) == 4, "dst_status is a 32-bit integer");
_Static_assert(DST_ABI_VERSION_MAJOR == 1u, "this file describes ABI version 1");
