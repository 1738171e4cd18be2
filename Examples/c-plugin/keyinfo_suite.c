/*
 * keyinfo_suite.c: a dst-host test suite written in plain C99, against dst_plugin.h only.
 *
 * It tests Redlite's own extension command KEYINFO. For a missing key the engine answers a
 * null reply; for an existing key an array of 8 elements:
 *
 *     "type", <type name>, "ttl", <seconds or -1>, "created_at", <Unix ms>, "updated_at", <Unix ms>
 *
 * Every engine shares the run's virtual clock, so each expected value is exact.
 *
 * The rules this file follows (see README.md): every struct handed to the host carries its
 * struct_size; replies are freed with host->reply_free and engines closed with
 * host->engine_close; the only global data is the constant descriptor; randomness comes from
 * host->random_below and time from host->clock_*, so a seed replays the same run.
 */
#include "dst_plugin.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------------------------------- */

#define MAX_ARGS 16
#define MESSAGE_SIZE 512
#define NAME_SIZE 64

/* The end of a struct field, to compare with a struct_size the other side gave us. */
#define FIELD_END(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

/* Whether the host's table holds every service this suite calls (all of them are minor 0). */
static int host_usable(const dst_host_api *host) {
    if (host == NULL || host->abi_major != DST_ABI_VERSION_MAJOR) return 0;
    if (host->struct_size < FIELD_END(dst_host_api, cancelled)) return 0;
    return host->engine_open != NULL && host->engine_execute != NULL && host->reply_free != NULL &&
           host->engine_close != NULL && host->random_below != NULL && host->clock_now_ms != NULL &&
           host->clock_advance_ms != NULL && host->log != NULL && host->check_failed != NULL &&
           host->cancelled != NULL;
}

/* Lets GCC and Clang check the format strings of the two wrappers below. */
#if defined(__GNUC__)
#define PRINTF_LIKE(format_index) __attribute__((format(printf, format_index, format_index + 1)))
#else
#define PRINTF_LIKE(format_index)
#endif

static void logf_info(const dst_host_api *host, dst_context *ctx, const char *format, ...) PRINTF_LIKE(3);
static void failf(const dst_host_api *host, dst_context *ctx, const char *format, ...) PRINTF_LIKE(3);

/* printf-style wrappers over host->log and host->check_failed (the host copies the text). */
static void logf_info(const dst_host_api *host, dst_context *ctx, const char *format, ...) {
    char message[MESSAGE_SIZE];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    host->log(ctx, DST_LOG_INFO, message);
}

static void failf(const dst_host_api *host, dst_context *ctx, const char *format, ...) {
    char message[MESSAGE_SIZE];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    host->check_failed(ctx, message);
}

/* The bytes of a STATUS, ERROR or BULK reply as printable text for a message (truncated). */
static const char *reply_text(const dst_reply *reply, char *buffer, size_t size) {
    size_t length = reply->length < size - 1 ? reply->length : size - 1;
    if (reply->bytes != NULL && length > 0) memcpy(buffer, reply->bytes, length);
    else length = 0;
    buffer[length] = '\0';
    return buffer;
}

static const char *reply_type_name(int32_t type) {
    switch (type) {
    case DST_REPLY_STATUS: return "status";
    case DST_REPLY_ERROR: return "error";
    case DST_REPLY_INTEGER: return "integer";
    case DST_REPLY_BULK: return "bulk";
    case DST_REPLY_NULL: return "null";
    case DST_REPLY_ARRAY: return "array";
    case DST_REPLY_DOUBLE: return "double";
    case DST_REPLY_BOOLEAN: return "boolean";
    case DST_REPLY_MAP: return "map";
    case DST_REPLY_SET: return "set";
    case DST_REPLY_VERBATIM: return "verbatim";
    default: return "unknown";
    }
}

/* Whether a reply holds exactly the bytes of `text`. */
static int reply_equals(const dst_reply *reply, const char *text) {
    size_t length = strlen(text);
    return reply->length == length && (length == 0 || memcmp(reply->bytes, text, length) == 0);
}

/*
 * Runs one command given as `argc` C strings (varargs of `const char *`), e.g.
 *     run_command(host, ctx, db, &reply, 3, "SET", key, "v")
 * On DST_OK `*out` holds the reply (free it with host->reply_free). A status < 0 is reported
 * with check_failed and returned: the caller stops the test with it.
 */
static dst_status run_command(const dst_host_api *host, dst_context *ctx, dst_engine *db,
                              dst_reply **out, int argc, ...) {
    const uint8_t *argv[MAX_ARGS];
    size_t lengths[MAX_ARGS];
    va_list args;
    dst_status status;
    int i;

    *out = NULL;
    if (argc < 1 || argc > MAX_ARGS) {
        failf(host, ctx, "run_command: %d arguments (1..%d allowed)", argc, MAX_ARGS);
        return DST_ERR_INVALID_ARGUMENT;
    }
    va_start(args, argc);
    for (i = 0; i < argc; i++) {
        const char *word = va_arg(args, const char *);
        argv[i] = (const uint8_t *)word;
        lengths[i] = strlen(word);
    }
    va_end(args);

    status = host->engine_execute(ctx, db, (size_t)argc, argv, lengths, out);
    if (status < 0) {
        failf(host, ctx, "%s: engine_execute returned status %d", (const char *)argv[0], (int)status);
        host->reply_free(ctx, *out);
        *out = NULL;
        return status;
    }
    if (*out == NULL) {
        failf(host, ctx, "%s: engine_execute returned no reply", (const char *)argv[0]);
        return DST_ERR_INTERNAL;
    }
    return DST_OK;
}

/* Runs a write that must not fail (SET, HSET, ...); an error reply is a check failure. */
static dst_status write_command(const dst_host_api *host, dst_context *ctx, dst_engine *db,
                                const char *key, int argc, const char *a0, const char *a1,
                                const char *a2, const char *a3) {
    dst_reply *reply = NULL;
    char text[NAME_SIZE * 2];
    dst_status status;

    switch (argc) {
    case 2: status = run_command(host, ctx, db, &reply, 2, a0, a1); break;
    case 3: status = run_command(host, ctx, db, &reply, 3, a0, a1, a2); break;
    case 4: status = run_command(host, ctx, db, &reply, 4, a0, a1, a2, a3); break;
    default: return DST_ERR_INVALID_ARGUMENT;
    }
    if (status != DST_OK) return status;
    if (reply->type == DST_REPLY_ERROR) {
        failf(host, ctx, "key '%s': %s answered an error: %s", key, a0,
              reply_text(reply, text, sizeof text));
    }
    host->reply_free(ctx, reply);
    return DST_OK;
}

/* ---------------------------------------------------------------------------------------------
 * KEYINFO, parsed
 * ------------------------------------------------------------------------------------------- */

typedef struct keyinfo {
    int present;             /* 0: KEYINFO answered null */
    char type[NAME_SIZE];
    int64_t ttl;
    int64_t created_at;
    int64_t updated_at;
} keyinfo;

/* Checks that element `index` of `reply` is the bulk string `name`. */
static int check_field_name(const dst_host_api *host, dst_context *ctx, const char *key,
                            const dst_reply *reply, size_t index, const char *name) {
    const dst_reply *element = dst_reply_element(reply, index);
    char text[NAME_SIZE];
    if (element->type != DST_REPLY_BULK || !reply_equals(element, name)) {
        failf(host, ctx, "key '%s' KEYINFO element %zu: expected bulk \"%s\", actual %s \"%s\"",
              key, index, name, reply_type_name(element->type),
              element->type == DST_REPLY_BULK ? reply_text(element, text, sizeof text) : "");
        return 0;
    }
    return 1;
}

/* Reads the integer that follows field `name` (at element `index`). */
static int read_integer_field(const dst_host_api *host, dst_context *ctx, const char *key,
                              const dst_reply *reply, size_t index, const char *name, int64_t *value) {
    const dst_reply *element = dst_reply_element(reply, index);
    if (element->type != DST_REPLY_INTEGER) {
        failf(host, ctx, "key '%s' field '%s': expected an integer, actual a %s reply", key, name,
              reply_type_name(element->type));
        return 0;
    }
    *value = element->integer;
    return 1;
}

/*
 * Runs KEYINFO key and parses the answer into `info`. Returns DST_OK when the reply had the
 * documented shape (null, or the 8-element array); DST_FAIL after reporting a malformed reply;
 * a status < 0 when the call itself failed.
 */
static dst_status fetch_keyinfo(const dst_host_api *host, dst_context *ctx, dst_engine *db,
                                const char *key, keyinfo *info) {
    dst_reply *reply = NULL;
    const dst_reply *type_value;
    char text[NAME_SIZE * 2];
    dst_status status = run_command(host, ctx, db, &reply, 2, "KEYINFO", key);
    int ok = 1;

    memset(info, 0, sizeof *info);
    if (status != DST_OK) return status;
    if (reply->type == DST_REPLY_NULL) {
        host->reply_free(ctx, reply);
        return DST_OK;
    }
    if (reply->type != DST_REPLY_ARRAY || reply->element_count != 8) {
        failf(host, ctx, "key '%s' KEYINFO: expected null or an array of 8, actual %s%s%s (%zu elements)",
              key, reply_type_name(reply->type), reply->type == DST_REPLY_ERROR ? " " : "",
              reply->type == DST_REPLY_ERROR ? reply_text(reply, text, sizeof text) : "",
              reply->element_count);
        host->reply_free(ctx, reply);
        return DST_FAIL;
    }
    if (reply->element_size < FIELD_END(dst_reply, element_size)) {
        failf(host, ctx, "key '%s' KEYINFO: element_size %zu is smaller than a v1 dst_reply", key,
              reply->element_size);
        host->reply_free(ctx, reply);
        return DST_FAIL;
    }
    info->present = 1;

    ok &= check_field_name(host, ctx, key, reply, 0, "type");
    type_value = dst_reply_element(reply, 1);
    if (type_value->type == DST_REPLY_BULK) {
        reply_text(type_value, info->type, sizeof info->type);
    } else {
        failf(host, ctx, "key '%s' field 'type': expected a bulk string, actual a %s reply", key,
              reply_type_name(type_value->type));
        ok = 0;
    }
    ok &= check_field_name(host, ctx, key, reply, 2, "ttl");
    ok &= read_integer_field(host, ctx, key, reply, 3, "ttl", &info->ttl);
    ok &= check_field_name(host, ctx, key, reply, 4, "created_at");
    ok &= read_integer_field(host, ctx, key, reply, 5, "created_at", &info->created_at);
    ok &= check_field_name(host, ctx, key, reply, 6, "updated_at");
    ok &= read_integer_field(host, ctx, key, reply, 7, "updated_at", &info->updated_at);

    host->reply_free(ctx, reply);
    return ok ? DST_OK : DST_FAIL;
}

/* Fetches KEYINFO and requires the key to exist; DST_FAIL (reported) when it is missing. */
static dst_status fetch_present(const dst_host_api *host, dst_context *ctx, dst_engine *db,
                                const char *key, keyinfo *info, const char *when) {
    dst_status status = fetch_keyinfo(host, ctx, db, key, info);
    if (status != DST_OK) return status;
    if (!info->present) {
        failf(host, ctx, "key '%s' %s: expected a KEYINFO array, actual null", key, when);
        return DST_FAIL;
    }
    return DST_OK;
}

/* Fetches KEYINFO and requires a null reply. */
static dst_status expect_missing(const dst_host_api *host, dst_context *ctx, dst_engine *db,
                                 const char *key, const char *when) {
    keyinfo info;
    dst_status status = fetch_keyinfo(host, ctx, db, key, &info);
    if (status == DST_OK && info.present) {
        failf(host, ctx, "key '%s' %s: expected KEYINFO null, actual type \"%s\" ttl %" PRId64,
              key, when, info.type, info.ttl);
    }
    return status < 0 ? status : DST_OK;
}

static void expect_integer(const dst_host_api *host, dst_context *ctx, const char *key,
                           const char *field, int64_t expected, int64_t actual, const char *when) {
    if (expected != actual) {
        failf(host, ctx, "key '%s' field '%s' %s: expected %" PRId64 ", actual %" PRId64, key,
              field, when, expected, actual);
    }
}

static void expect_text(const dst_host_api *host, dst_context *ctx, const char *key,
                        const char *field, const char *expected, const char *actual) {
    if (strcmp(expected, actual) != 0) {
        failf(host, ctx, "key '%s' field '%s': expected \"%s\", actual \"%s\"", key, field,
              expected, actual);
    }
}

/* Opens a private in-memory engine. */
static dst_status open_memory_engine(const dst_host_api *host, dst_context *ctx, dst_engine **db) {
    dst_engine_options options;
    dst_status status;

    memset(&options, 0, sizeof options);
    options.struct_size = sizeof options;
    options.storage = DST_STORAGE_MEMORY;
    options.durability = DST_DURABILITY_NORMAL;
    options.file_name = NULL;
    options.vfs = NULL;

    *db = NULL;
    status = host->engine_open(ctx, &options, db);
    if (status != DST_OK || *db == NULL) {
        failf(host, ctx, "engine_open (memory) returned status %d", (int)status);
        host->engine_close(ctx, *db);
        *db = NULL;
        return status < 0 ? status : DST_ERR_ENGINE;
    }
    return DST_OK;
}

/* A key name drawn from the seed, e.g. "keyinfo:string:48213". */
static void seeded_name(const dst_host_api *host, dst_context *ctx, const char *kind,
                        char *buffer, size_t size) {
    snprintf(buffer, size, "keyinfo:%s:%" PRIu64, kind, host->random_below(ctx, 1000000));
}

/* ---------------------------------------------------------------------------------------------
 * Test 1: keyinfo_types
 * ------------------------------------------------------------------------------------------- */

static dst_status test_types(const dst_host_api *host, dst_context *ctx, uint64_t seed, void *user) {
    /* One creating command per type: argc, then its arguments after the key. */
    static const struct {
        const char *type;
        int argc;
        const char *command;
        const char *arg1;
        const char *arg2;
    } creators[] = {
        {"string", 3, "SET", "value", NULL},
        {"hash", 4, "HSET", "field", "value"},
        {"list", 4, "RPUSH", "a", "b"},
        {"set", 3, "SADD", "member", NULL},
        {"zset", 4, "ZADD", "1", "member"},
    };
    dst_engine *db = NULL;
    char key[NAME_SIZE];
    dst_status status;
    size_t i;

    (void)user;
    if (!host_usable(host)) return DST_ERR_UNSUPPORTED;
    logf_info(host, ctx, "keyinfo_types: seed %" PRIu64, seed);
    status = open_memory_engine(host, ctx, &db);
    if (status != DST_OK) return status;

    for (i = 0; i < sizeof creators / sizeof creators[0]; i++) {
        keyinfo info;
        if (host->cancelled(ctx)) {
            host->engine_close(ctx, db);
            return DST_ERR_CANCELLED;
        }
        seeded_name(host, ctx, creators[i].type, key, sizeof key);
        logf_info(host, ctx, "%s %s", creators[i].command, key);
        status = write_command(host, ctx, db, key, creators[i].argc, creators[i].command, key,
                               creators[i].arg1, creators[i].arg2);
        if (status == DST_OK) status = fetch_present(host, ctx, db, key, &info, "after creation");
        if (status < 0) break;
        if (status == DST_OK) {
            expect_text(host, ctx, key, "type", creators[i].type, info.type);
            expect_integer(host, ctx, key, "ttl", -1, info.ttl, "without expiry");
        }
        status = DST_OK;
    }

    if (status == DST_OK) {
        seeded_name(host, ctx, "missing", key, sizeof key);
        logf_info(host, ctx, "KEYINFO %s (never created)", key);
        status = expect_missing(host, ctx, db, key, "never created");
    }
    host->engine_close(ctx, db);
    return status;
}

/* ---------------------------------------------------------------------------------------------
 * Test 2: keyinfo_timestamps
 * ------------------------------------------------------------------------------------------- */

static dst_status test_timestamps(const dst_host_api *host, dst_context *ctx, uint64_t seed, void *user) {
    dst_engine *db = NULL;
    char key[NAME_SIZE];
    keyinfo info;
    int64_t created, written, step;
    dst_status status;

    (void)user;
    if (!host_usable(host)) return DST_ERR_UNSUPPORTED;
    logf_info(host, ctx, "keyinfo_timestamps: seed %" PRIu64, seed);
    status = open_memory_engine(host, ctx, &db);
    if (status != DST_OK) return status;
    seeded_name(host, ctx, "string", key, sizeof key);

    /* Creation at a seeded instant. */
    host->clock_advance_ms(ctx, (int64_t)host->random_below(ctx, 10000));
    created = host->clock_now_ms(ctx);
    logf_info(host, ctx, "SET %s at %" PRId64, key, created);
    status = write_command(host, ctx, db, key, 3, "SET", key, "hello", NULL);
    if (status == DST_OK) status = fetch_present(host, ctx, db, key, &info, "after SET");
    if (status == DST_OK) {
        expect_integer(host, ctx, key, "created_at", created, info.created_at, "after SET");
        expect_integer(host, ctx, key, "updated_at", created, info.updated_at, "after SET");
    }

    /* A later write moves updated_at only. */
    if (status >= 0) {
        step = 1 + (int64_t)host->random_below(ctx, 3600000);
        host->clock_advance_ms(ctx, step);
        written = host->clock_now_ms(ctx);
        logf_info(host, ctx, "APPEND %s at %" PRId64 " (+%" PRId64 " ms)", key, written, step);
        status = write_command(host, ctx, db, key, 3, "APPEND", key, " world", NULL);
        if (status == DST_OK) status = fetch_present(host, ctx, db, key, &info, "after APPEND");
        if (status == DST_OK) {
            expect_integer(host, ctx, key, "created_at", created, info.created_at, "after APPEND");
            expect_integer(host, ctx, key, "updated_at", written, info.updated_at, "after APPEND");
        }
    }
    host->engine_close(ctx, db);
    return status < 0 ? status : DST_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Test 3: keyinfo_ttl
 * ------------------------------------------------------------------------------------------- */

static dst_status test_ttl(const dst_host_api *host, dst_context *ctx, uint64_t seed, void *user) {
    dst_engine *db = NULL;
    char key[NAME_SIZE];
    char seconds[32];
    keyinfo info;
    int64_t n, m;
    dst_reply *reply = NULL;
    dst_status status;

    (void)user;
    if (!host_usable(host)) return DST_ERR_UNSUPPORTED;
    logf_info(host, ctx, "keyinfo_ttl: seed %" PRIu64, seed);
    status = open_memory_engine(host, ctx, &db);
    if (status != DST_OK) return status;
    seeded_name(host, ctx, "string", key, sizeof key);
    n = 2 + (int64_t)host->random_below(ctx, 1000);     /* expiry, in seconds: 2..1001 */
    m = 1 + (int64_t)host->random_below(ctx, (uint64_t)(n - 1)); /* elapsed: 1..n-1 */

    status = write_command(host, ctx, db, key, 3, "SET", key, "value", NULL);
    if (status == DST_OK) {
        snprintf(seconds, sizeof seconds, "%" PRId64, n);
        logf_info(host, ctx, "EXPIRE %s %s", key, seconds);
        status = run_command(host, ctx, db, &reply, 3, "EXPIRE", key, seconds);
    }
    if (status == DST_OK) {
        if (reply->type != DST_REPLY_INTEGER || reply->integer != 1) {
            failf(host, ctx, "key '%s' EXPIRE %s: expected integer 1, actual %s %" PRId64, key,
                  seconds, reply_type_name(reply->type), reply->integer);
        }
        host->reply_free(ctx, reply);
        status = fetch_present(host, ctx, db, key, &info, "after EXPIRE");
        if (status == DST_OK) expect_integer(host, ctx, key, "ttl", n, info.ttl, "after EXPIRE");
    }

    if (status >= 0) {
        logf_info(host, ctx, "advance %" PRId64 " s of %" PRId64, m, n);
        host->clock_advance_ms(ctx, m * 1000);
        status = fetch_present(host, ctx, db, key, &info, "before expiry");
        if (status == DST_OK) expect_integer(host, ctx, key, "ttl", n - m, info.ttl, "before expiry");
    }

    if (status >= 0) {
        /* A key expires once the clock is past its deadline (Redis: now > expire_at). */
        logf_info(host, ctx, "advance past the deadline: %" PRId64 " ms", (n - m) * 1000 + 1);
        host->clock_advance_ms(ctx, (n - m) * 1000 + 1);
        status = expect_missing(host, ctx, db, key, "after expiry");
    }
    host->engine_close(ctx, db);
    return status < 0 ? status : DST_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Test 4: keyinfo_wrong_arity
 * ------------------------------------------------------------------------------------------- */

static dst_status test_wrong_arity(const dst_host_api *host, dst_context *ctx, uint64_t seed, void *user) {
    static const char expected[] = "ERR wrong number of arguments for 'keyinfo' command";
    dst_engine *db = NULL;
    dst_reply *reply = NULL;
    char text[MESSAGE_SIZE / 2];
    dst_status status;
    int variant;

    (void)user;
    if (!host_usable(host)) return DST_ERR_UNSUPPORTED;
    logf_info(host, ctx, "keyinfo_wrong_arity: seed %" PRIu64, seed);
    status = open_memory_engine(host, ctx, &db);
    if (status != DST_OK) return status;

    /* KEYINFO takes exactly one key: none and two are both the arity error. */
    for (variant = 0; variant < 2 && status == DST_OK; variant++) {
        const char *shape = variant == 0 ? "KEYINFO (no key)" : "KEYINFO a b (two keys)";
        logf_info(host, ctx, "%s", shape);
        status = variant == 0 ? run_command(host, ctx, db, &reply, 1, "KEYINFO")
                              : run_command(host, ctx, db, &reply, 3, "KEYINFO", "a", "b");
        if (status != DST_OK) break;
        if (reply->type != DST_REPLY_ERROR || !reply_equals(reply, expected)) {
            failf(host, ctx, "%s: expected error \"%s\", actual %s \"%s\"", shape, expected,
                  reply_type_name(reply->type),
                  reply->type == DST_REPLY_ERROR || reply->type == DST_REPLY_STATUS ||
                          reply->type == DST_REPLY_BULK
                      ? reply_text(reply, text, sizeof text)
                      : "");
        }
        host->reply_free(ctx, reply);
    }
    host->engine_close(ctx, db);
    return status < 0 ? status : DST_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Test 5: keyinfo_ttl_sweep, with typed parameters
 *
 * The test declares its parameters (max_ttl, fraction, prefix) in the descriptor; the host
 * checks `--param` values against those types before anything runs and passes them here as
 * real arguments, so the test parses no strings.
 * ------------------------------------------------------------------------------------------- */

static dst_status test_ttl_sweep(const dst_host_api *host, dst_context *ctx, uint64_t seed, void *user,
                                 int64_t max_ttl, double fraction, const char *prefix) {
    dst_engine *db = NULL;
    char key[NAME_SIZE];
    char seconds[32];
    keyinfo info;
    int64_t ttl, advance, expected;
    dst_reply *reply = NULL;
    dst_status status;

    (void)user;
    if (!host_usable(host)) return DST_ERR_UNSUPPORTED;
    if (max_ttl < 1 || fraction < 0.0 || fraction >= 1.0 || prefix == NULL) {
        host->check_failed(ctx, "parameters out of range: max_ttl >= 1 and 0 <= fraction < 1");
        return DST_FAIL;
    }
    status = open_memory_engine(host, ctx, &db);
    if (status != DST_OK) return status;
    snprintf(key, sizeof key, "%.40s:%" PRIu64, prefix, seed);
    ttl = 1 + (int64_t)host->random_below(ctx, (uint64_t)max_ttl);
    advance = (int64_t)(fraction * (double)(ttl * 1000));
    expected = (ttl * 1000 - advance) / 1000;
    logf_info(host, ctx, "keyinfo_ttl_sweep: %s ttl %" PRId64 " s, advance %" PRId64 " ms", key, ttl, advance);

    status = write_command(host, ctx, db, key, 3, "SET", key, "value", NULL);
    if (status == DST_OK) {
        snprintf(seconds, sizeof seconds, "%" PRId64, ttl);
        status = run_command(host, ctx, db, &reply, 3, "EXPIRE", key, seconds);
        if (status == DST_OK) host->reply_free(ctx, reply);
    }
    if (status == DST_OK) {
        host->clock_advance_ms(ctx, advance);
        status = fetch_present(host, ctx, db, key, &info, "after advancing the clock");
        if (status == DST_OK) expect_integer(host, ctx, key, "ttl", expected, info.ttl, "after advancing the clock");
    }
    host->engine_close(ctx, db);
    return status < 0 ? status : DST_OK;
}

/* ---------------------------------------------------------------------------------------------
 * The descriptor and the entry point
 * ------------------------------------------------------------------------------------------- */

static const char *const types_tags[] = {"quick", "extension"};
static const char *const timestamps_tags[] = {"quick", "extension", "clock"};
static const char *const ttl_tags[] = {"quick", "extension", "clock", "expiry"};
static const char *const arity_tags[] = {"quick", "extension", "errors"};
static const char *const sweep_tags[] = {"quick", "extension", "clock", "expiry", "parameters"};

static const dst_param_spec sweep_params[] = {
    {sizeof(dst_param_spec), "max_ttl", DST_PARAM_INT64, "3600", "the longest TTL drawn, in seconds"},
    {sizeof(dst_param_spec), "fraction", DST_PARAM_DOUBLE, "0.5", "how much of the TTL the clock moves, in [0, 1)"},
    {sizeof(dst_param_spec), "prefix", DST_PARAM_STRING, "sweep", "the key name's prefix"},
};

#define TAGS(array) (array), (sizeof(array) / sizeof((array)[0]))

/* For a host that does not call run_with_parameters: the same test with the defaults. */
static dst_status test_ttl_sweep_untyped(const dst_host_api *host, dst_context *ctx, uint64_t seed, void *user) {
    return test_ttl_sweep(host, ctx, seed, user, 3600, 0.5, "sweep");
}

static const dst_test keyinfo_tests[] = {
    {sizeof(dst_test), "keyinfo_types",
     "KEYINFO names the type of a string, hash, list, set and zset, ttl -1; null when missing",
     TAGS(types_tags), 10, test_types, NULL, NULL, 0, 0, NULL},
    {sizeof(dst_test), "keyinfo_timestamps",
     "created_at is the clock at creation; a later write moves updated_at only",
     TAGS(timestamps_tags), 10, test_timestamps, NULL, NULL, 0, 0, NULL},
    {sizeof(dst_test), "keyinfo_ttl",
     "ttl follows EXPIRE and the virtual clock; KEYINFO is null once the key expired",
     TAGS(ttl_tags), 10, test_ttl, NULL, NULL, 0, 0, NULL},
    {sizeof(dst_test), "keyinfo_wrong_arity",
     "KEYINFO without a key (or with two) is Redis's wrong-number-of-arguments error",
     TAGS(arity_tags), 1, test_wrong_arity, NULL, NULL, 0, 0, NULL},
    /* Typed parameters: the host calls run_with_parameters with them as arguments; `run`
     * (the defaults) stays for hosts that do not. The cast goes through void * because C has
     * no generic function-pointer type that every signature converts to without a warning. */
    {sizeof(dst_test), "keyinfo_ttl_sweep",
     "KEYINFO's ttl after the clock moves a fraction of the TTL, with typed parameters",
     TAGS(sweep_tags), 10, test_ttl_sweep_untyped, NULL,
     sweep_params, sizeof sweep_params / sizeof sweep_params[0], sizeof(dst_param_spec),
     (void (*)(void))(void *)test_ttl_sweep},
};

/* The one exported function (its type is dst_plugin_entry_fn). */
DST_PLUGIN_EXPORT dst_status dst_plugin_v1(const dst_host_api *host, dst_plugin_descriptor *out);

DST_PLUGIN_EXPORT dst_status dst_plugin_v1(const dst_host_api *host, dst_plugin_descriptor *out) {
    dst_plugin_descriptor descriptor;
    size_t size;

    if (host == NULL || out == NULL) return DST_ERR_INVALID_ARGUMENT;
    /* Both sides must at least see struct_size and the major version. */
    if (host->struct_size < FIELD_END(dst_host_api, abi_minor)) return DST_ERR_INVALID_ARGUMENT;
    if (out->struct_size < FIELD_END(dst_plugin_descriptor, abi_minor)) return DST_ERR_INVALID_ARGUMENT;
    if (host->abi_major != DST_ABI_VERSION_MAJOR) return DST_ERR_UNSUPPORTED;

    /* Fill a descriptor of our own size, then copy only what the host said it can read. */
    size = out->struct_size < sizeof descriptor ? out->struct_size : sizeof descriptor;
    memset(&descriptor, 0, sizeof descriptor);
    descriptor.struct_size = size;
    descriptor.abi_major = DST_ABI_VERSION_MAJOR;
    descriptor.abi_minor = DST_ABI_VERSION_MINOR;
    descriptor.name = "keyinfo";
    descriptor.version = "1.0.0";
    descriptor.description = "Redlite's KEYINFO extension: type, ttl and timestamps on a virtual clock";
    descriptor.tests = keyinfo_tests;
    descriptor.test_count = sizeof keyinfo_tests / sizeof keyinfo_tests[0];
    descriptor.test_size = sizeof(dst_test);
    memcpy(out, &descriptor, size);
    return DST_OK;
}
