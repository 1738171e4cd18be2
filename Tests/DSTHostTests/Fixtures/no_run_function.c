/*
 * Fixture: no_run_function.c -> libno_run_function.so
 *
 * WHAT IS WRONG: the test "no_run" has a NULL run pointer (the test "runs" before it is
 * valid). The host must refuse the plugin when loading it, not crash when running the test.
 */
#include "fixture_entry.h"

#include <string.h>

static dst_status run_ok(const dst_host_api *host, dst_context *ctx, uint64_t seed, void *user) {
    (void)host; (void)ctx; (void)seed; (void)user;
    return DST_OK;
}

static const dst_test tests[] = {
    {sizeof(dst_test), "runs", "a valid test", NULL, 0, 1, run_ok, NULL},
    {sizeof(dst_test), "no_run", "a test without a run function", NULL, 0, 1, NULL, NULL}, /* <-- the defect */
};

FIXTURE_ENTRY("no_run_function", "a test whose run pointer is NULL", tests)
