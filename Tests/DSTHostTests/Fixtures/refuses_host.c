/*
 * Fixture: refuses_host.c -> librefuses_host.so
 *
 * WHAT IS WRONG: the entry refuses the host: it returns DST_ERR_UNSUPPORTED whatever the host
 * offers (as a plugin built for another major would) and leaves the descriptor untouched.
 * The host must report the refusal and the status, and not read the descriptor.
 */
#include "dst_plugin.h"

DST_PLUGIN_EXPORT dst_status dst_plugin_v1(const dst_host_api *host, dst_plugin_descriptor *out);

DST_PLUGIN_EXPORT dst_status dst_plugin_v1(const dst_host_api *host, dst_plugin_descriptor *out) {
    (void)host;
    (void)out;
    return DST_ERR_UNSUPPORTED; /* <-- the defect: always refuses */
}
