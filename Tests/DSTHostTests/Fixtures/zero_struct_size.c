/*
 * Fixture: zero_struct_size.c -> libzero_struct_size.so
 *
 * WHAT IS WRONG: the entry returns DST_OK with a descriptor whose struct_size is 0, although
 * it filled in every field. By the ABI's rules the host may read none of them; it must refuse
 * the plugin rather than trust the fields.
 */
#include "dst_plugin.h"

#include <string.h>

static dst_status run_ok(const dst_host_api *host, dst_context *ctx, uint64_t seed, void *user) {
    (void)host; (void)ctx; (void)seed; (void)user;
    return DST_OK;
}

static const dst_test tests[] = {
    {sizeof(dst_test), "ok", "never runs: the plugin is refused", NULL, 0, 1, run_ok, NULL},
};

DST_PLUGIN_EXPORT dst_status dst_plugin_v1(const dst_host_api *host, dst_plugin_descriptor *out);

DST_PLUGIN_EXPORT dst_status dst_plugin_v1(const dst_host_api *host, dst_plugin_descriptor *out) {
    dst_plugin_descriptor d;
    size_t size;
    if (host == NULL || out == NULL) return DST_ERR_INVALID_ARGUMENT;
    if (host->abi_major != DST_ABI_VERSION_MAJOR) return DST_ERR_UNSUPPORTED;
    size = out->struct_size < sizeof d ? out->struct_size : sizeof d;
    memset(&d, 0, sizeof d);
    d.struct_size = 0; /* <-- the defect: says nothing was filled in */
    d.abi_major = DST_ABI_VERSION_MAJOR;
    d.abi_minor = DST_ABI_VERSION_MINOR;
    d.name = "zero_struct_size";
    d.version = "1.0.0";
    d.description = "descriptor with struct_size 0";
    d.tests = tests;
    d.test_count = 1;
    d.test_size = sizeof(dst_test);
    memcpy(out, &d, size);
    return DST_OK;
}
