/*
 * Fixture: null_names.c -> libnull_names.so
 *
 * WHAT IS WRONG: the descriptor's suite name is NULL (version, description and the test are
 * fine). The host must refuse the plugin instead of dereferencing the name.
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
    d.struct_size = size;
    d.abi_major = DST_ABI_VERSION_MAJOR;
    d.abi_minor = DST_ABI_VERSION_MINOR;
    d.name = NULL; /* <-- the defect: no suite name */
    d.version = "1.0.0";
    d.description = "descriptor without a suite name";
    d.tests = tests;
    d.test_count = 1;
    d.test_size = sizeof(dst_test);
    memcpy(out, &d, size);
    return DST_OK;
}
