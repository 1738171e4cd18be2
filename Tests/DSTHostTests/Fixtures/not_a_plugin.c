/*
 * Fixture: not_a_plugin.c -> libnot_a_plugin.so
 *
 * WHAT IS WRONG: a valid shared object that does not export `dst_plugin_v1`. It exports an
 * unrelated function (with a plausible-looking name) instead, so dlopen succeeds and dlsym of
 * the entry fails. The host must report that the file is not a dst-host plugin.
 */
#include "dst_plugin.h"

/* Not the entry: wrong name, wrong signature. */
DST_PLUGIN_EXPORT int dst_plugin_init(void);

DST_PLUGIN_EXPORT int dst_plugin_init(void) {
    return 42;
}
