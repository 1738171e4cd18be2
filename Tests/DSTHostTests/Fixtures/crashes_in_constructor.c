/* A plugin whose static constructor aborts when the library is opened, before any entry
 * function is called: the host's probe must catch that too. */
#include "dst_plugin.h"
#include <stdlib.h>

__attribute__((constructor)) static void explode(void) { abort(); }

DST_PLUGIN_EXPORT dst_status dst_plugin_v1(const dst_host_api *host, dst_plugin_descriptor *out);

DST_PLUGIN_EXPORT dst_status dst_plugin_v1(const dst_host_api *host, dst_plugin_descriptor *out) {
    (void)host;
    (void)out;
    return DST_ERR_INTERNAL;
}
