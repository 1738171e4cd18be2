/*
 * Fixture: duplicate_tests.c -> libduplicate_tests.so
 *
 * WHAT IS WRONG: two tests share the name "twice" (with a valid, differently named test
 * between them), so `--filter twice` and the reports would be ambiguous. The host must refuse
 * the plugin and name the duplicate.
 */
#include "fixture_entry.h"

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

FIXTURE_ENTRY("duplicate_tests", "two tests with the same name", tests)
