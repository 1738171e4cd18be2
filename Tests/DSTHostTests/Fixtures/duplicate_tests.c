/*
 * Fixture: duplicate_tests.c -> libduplicate_tests.so
 *
 * WHAT IS WRONG: two tests share the name "twice" (with a valid, differently named test
 * between them), so `--filter twice` and the reports would be ambiguous. The host must refuse
 * the plugin and name the duplicate.
 */
#include "dst_plugin.h"

#include <string.h>

static dst_status run_ok(const dst_host_api *host, dst_context *ctx, uint64_t seed, void *user) {
    (void)host; (void)ctx; (void)seed; (void)user;
    return DST_OK;
}

static const dst_test tests[] = {
    {sizeof(dst_test), "twice", "the first test named twice", NULL, 0, 1, run_ok, NULL},
    {sizeof(dst_test), "between", "a valid test", NULL, 0, 1, run_ok, NULL},
    {sizeof(dst_test), "twice", "the second test named twice", NULL, 0, 1, run_ok, NULL}, /* <-- the defect */
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
    d.name = "duplicate_tests";
    d.version = "1.0.0";
    d.description = "two tests with the same name";
    d.tests = tests;
    d.test_count = sizeof tests / sizeof tests[0];
    d.test_size = sizeof(dst_test);
    memcpy(out, &d, size);
    return DST_OK;
}
