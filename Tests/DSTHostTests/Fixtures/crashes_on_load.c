/* A plugin whose entry function crashes: loading it must not take dst-host down. The host
 * probes plugins in a child process first and reports this one in one line, exit status 2. */
#include "dst_plugin.h"
#include <stddef.h>

DST_PLUGIN_EXPORT dst_status dst_plugin_v1(const dst_host_api *host, dst_plugin_descriptor *out);

DST_PLUGIN_EXPORT dst_status dst_plugin_v1(const dst_host_api *host, dst_plugin_descriptor *out) {
    volatile int *volatile nowhere = NULL;
    (void)host;
    (void)out;
    *nowhere = 1;
    return DST_OK;
}
