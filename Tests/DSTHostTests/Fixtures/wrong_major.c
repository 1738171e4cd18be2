/*
 * Fixture: wrong_major.c -> libwrong_major.so
 *
 * WHAT IS WRONG: the descriptor declares ABI major 2 while the host speaks major 1, and the
 * entry still returns DST_OK (a well-behaved plugin would have returned DST_ERR_UNSUPPORTED).
 * Everything else is valid. The host must check the descriptor's abi_major itself and refuse
 * the plugin without calling any test.
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
    size = out->struct_size < sizeof d ? out->struct_size : sizeof d;
    memset(&d, 0, sizeof d);
    d.struct_size = size;
    d.abi_major = 2; /* <-- the defect: the host supports major 1 */
    d.abi_minor = 0;
    d.name = "wrong_major";
    d.version = "2.0.0";
    d.description = "claims ABI major 2";
    d.tests = tests;
    d.test_count = 1;
    d.test_size = sizeof(dst_test);
    memcpy(out, &d, size);
    return DST_OK;
}
