/*
 * The entry point of a fixture whose defect lies in its tests, not in its descriptor: every
 * such fixture answers the same well-formed descriptor around its own `tests` array, so that
 * part is written once. (Fixtures whose defect is in the descriptor or the entry itself,
 * such as null_names.c or wrong_major.c, spell their entry out.)
 */
#ifndef DST_FIXTURE_ENTRY_H
#define DST_FIXTURE_ENTRY_H

#include "dst_plugin.h"

#include <string.h>

/** Fills `out` (up to its struct_size) with a descriptor of `count` tests. */
static dst_status fixture_describe(const dst_host_api *host, dst_plugin_descriptor *out, const char *name,
                                   const char *description, const dst_test *tests, size_t count) {
    dst_plugin_descriptor d;
    size_t size;
    if (host == NULL || out == NULL) return DST_ERR_INVALID_ARGUMENT;
    if (host->abi_major != DST_ABI_VERSION_MAJOR) return DST_ERR_UNSUPPORTED;
    size = out->struct_size < sizeof d ? out->struct_size : sizeof d;
    memset(&d, 0, sizeof d);
    d.struct_size = size;
    d.abi_major = DST_ABI_VERSION_MAJOR;
    d.abi_minor = DST_ABI_VERSION_MINOR;
    d.name = name;
    d.version = "1.0.0";
    d.description = description;
    d.tests = tests;
    d.test_count = count;
    d.test_size = sizeof(dst_test);
    memcpy(out, &d, size);
    return DST_OK;
}

/** Defines dst_plugin_v1 answering the suite `name` with the static array `tests`. */
#define FIXTURE_ENTRY(name, description, tests)                                                     \
    DST_PLUGIN_EXPORT dst_status dst_plugin_v1(const dst_host_api *host, dst_plugin_descriptor *out); \
    DST_PLUGIN_EXPORT dst_status dst_plugin_v1(const dst_host_api *host, dst_plugin_descriptor *out) { \
        return fixture_describe(host, out, name, description, tests, sizeof tests / sizeof tests[0]);  \
    }

#endif
