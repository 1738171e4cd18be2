/*
 * Fixture: null_test_name.c -> libnull_test_name.so
 *
 * WHAT IS WRONG: the second test (index 1) has a NULL name; the first one is valid, so a host
 * that checks only the first test misses it. The host must refuse the whole plugin.
 */
#include "fixture_entry.h"

#include <string.h>

static dst_status run_ok(const dst_host_api *host, dst_context *ctx, uint64_t seed, void *user) {
    (void)host; (void)ctx; (void)seed; (void)user;
    return DST_OK;
}

static const dst_test tests[] = {
    {sizeof(dst_test), "named", "a valid test", NULL, 0, 1, run_ok, NULL},
    {sizeof(dst_test), NULL, "a test without a name", NULL, 0, 1, run_ok, NULL}, /* <-- the defect */
};

FIXTURE_ENTRY("null_test_name", "a test whose name is NULL", tests)
