/*
 * Fixture: crashes.c -> libcrashes.so
 *
 * A VALID plugin whose tests misbehave at run time, for the host's crash isolation. Loading
 * it must succeed; each bad test may cost only the seed it was running:
 *   segfault  writes through a NULL pointer on every seed divisible by 3 (SIGSEGV), passes on
 *             the others, so one run has both passed and crashed seeds
 *   aborts    calls abort() (SIGABRT) on every seed
 *   exits     calls exit(0) on every seed: a plugin must never exit, so although the status
 *             is 0 the host must count the seed as a failure, not a pass
 *   hangs     spins forever without checking host->cancelled: the host's timeout must kill it
 *   passes    logs a line and returns DST_OK
 */
#include "fixture_entry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void say(const dst_host_api *host, dst_context *ctx, const char *test, uint64_t seed) {
    char line[96];
    snprintf(line, sizeof line, "%s: seed %llu", test, (unsigned long long)seed);
    host->log(ctx, DST_LOG_INFO, line);
}

static dst_status run_segfault(const dst_host_api *host, dst_context *ctx, uint64_t seed, void *user) {
    (void)user;
    say(host, ctx, "segfault", seed);
    if (seed % 3 == 0) {
        /* Volatile on both levels: at any optimization level the compiler can neither drop
         * the store nor turn it into a trap instruction (SIGILL), so this really is a SIGSEGV. */
        volatile int *volatile pointer = NULL;
        *pointer = 42;
    }
    return DST_OK;
}

static dst_status run_aborts(const dst_host_api *host, dst_context *ctx, uint64_t seed, void *user) {
    (void)user;
    say(host, ctx, "aborts", seed);
    abort();
}

static dst_status run_exits(const dst_host_api *host, dst_context *ctx, uint64_t seed, void *user) {
    (void)user;
    say(host, ctx, "exits", seed);
    exit(0);
}

static dst_status run_hangs(const dst_host_api *host, dst_context *ctx, uint64_t seed, void *user) {
    volatile unsigned long long spins = 0;
    (void)user;
    say(host, ctx, "hangs", seed);
    for (;;) spins++; /* never calls host->cancelled */
    return DST_OK;
}

static dst_status run_passes(const dst_host_api *host, dst_context *ctx, uint64_t seed, void *user) {
    (void)user;
    say(host, ctx, "passes", seed);
    return DST_OK;
}

static const char *const crash_tags[] = {"crash"};
static const char *const quick_tags[] = {"quick"};

static const dst_test tests[] = {
    {sizeof(dst_test), "segfault", "SIGSEGV on seeds divisible by 3, passes otherwise", crash_tags, 1, 6, run_segfault, NULL},
    {sizeof(dst_test), "aborts", "calls abort()", crash_tags, 1, 1, run_aborts, NULL},
    {sizeof(dst_test), "exits", "calls exit(0), which a plugin must never do", crash_tags, 1, 1, run_exits, NULL},
    {sizeof(dst_test), "hangs", "loops forever without checking cancellation", crash_tags, 1, 1, run_hangs, NULL},
    {sizeof(dst_test), "passes", "logs a line and passes", quick_tags, 1, 3, run_passes, NULL},
};

FIXTURE_ENTRY("crashes", "tests that crash, abort, exit and hang", tests)
