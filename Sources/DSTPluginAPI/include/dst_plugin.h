/*
 * dst_plugin.h — the dst-host plugin ABI, version 1.
 *
 * A plugin is a shared object exporting one function, `dst_plugin_v1` (see the end of this
 * file). The host calls it once after dlopen with its table of services; the plugin fills in a
 * descriptor of its tests. The host then runs tests, one seed at a time, passing the service
 * table and a per-run context to every call. Nothing else crosses the boundary: no globals, no
 * link-time symbols, no C++ or Swift types, no exceptions.
 *
 * Rules (stable for every 1.x release):
 *  - Plain C99. Every struct starts with `struct_size` (bytes the writer filled in); a reader
 *    uses min(its own sizeof, struct_size) and treats missing fields as zero/NULL. Arrays of
 *    structs carry their element size.
 *  - Versions: major changes break, minor ones only append. The host offers its highest
 *    (DST_ABI_VERSION_MAJOR/MINOR in the table it passes); the plugin answers the version it
 *    was built against in its descriptor; either side refuses a different major. A plugin
 *    built against minor M calls only functions that exist in minor M, and checks
 *    `host->abi_minor` (or a NULL slot) before calling anything newer.
 *  - The service table is append-only: new functions are added at the end, never reordered.
 *  - Status codes are int32: DST_OK (0), the outcomes DST_FAIL/DST_SKIP (> 0), and errors
 *    (< 0). Codes -1..-999 are the host's; a plugin may define its own at -1000 and below.
 *  - Ownership: whoever allocates frees. Strings and buffers passed into a call are borrowed
 *    for the duration of that call. Replies are freed with `reply_free`. The descriptor and
 *    everything it points to is owned by the plugin and must stay valid while it is loaded
 *    (the host never unloads a plugin).
 *  - Contract of a test: deterministic for a seed (draw randomness only from `random_*`, time
 *    only from `clock_*`), tolerant of any input, never calls exit() or keeps state between
 *    runs. The host runs tests in worker processes, so a crash costs the plugin only that seed.
 */
#ifndef DST_PLUGIN_H
#define DST_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Versions and names
 * ------------------------------------------------------------------------------------------- */

#define DST_ABI_VERSION_MAJOR 1u
#define DST_ABI_VERSION_MINOR 5u
/** The name of the entry function every version-1 plugin exports. */
#define DST_PLUGIN_ENTRY_NAME "dst_plugin_v1"

/* ---------------------------------------------------------------------------------------------
 * Status codes
 * ------------------------------------------------------------------------------------------- */

typedef int32_t dst_status;

#define DST_OK 0                     /**< success; for a test: passed */
#define DST_FAIL 1                   /**< a test failed (also implied by any check_failed call) */
#define DST_SKIP 2                   /**< a test could not run here (say why with `log`) */
#define DST_ERR_INVALID_ARGUMENT (-1) /**< a NULL or malformed argument */
#define DST_ERR_UNSUPPORTED (-2)     /**< a version or option this side does not support */
#define DST_ERR_ENGINE (-3)          /**< the engine could not be opened or reopened */
#define DST_ERR_NOT_FOUND (-4)       /**< no such engine, parameter, ... */
#define DST_ERR_CANCELLED (-5)       /**< the run passed its deadline or was cancelled */
#define DST_ERR_INTERNAL (-6)        /**< a bug in the host or the plugin */
#define DST_ERR_DEADLOCK (-7)        /**< (minor 1) no connection of a concurrent batch could run */

/* ---------------------------------------------------------------------------------------------
 * Opaque handles
 * ------------------------------------------------------------------------------------------- */

/** One run of one test on one seed. Valid from the call of `run` until it returns. */
typedef struct dst_context dst_context;

/** One connection to a Redlite engine, opened by `engine_open`; valid until `engine_close`
 *  or the end of the run (the host closes what is left open). */
typedef struct dst_engine dst_engine;

/* ---------------------------------------------------------------------------------------------
 * Engine replies
 * ------------------------------------------------------------------------------------------- */

/** The kind of a reply, as Redis's RESP3 distinguishes them. */
typedef enum dst_reply_type {
    DST_REPLY_STATUS = 1,   /**< +OK: text in bytes/length */
    DST_REPLY_ERROR = 2,    /**< -ERR ...: the whole error line in bytes/length */
    DST_REPLY_INTEGER = 3,  /**< integer */
    DST_REPLY_BULK = 4,     /**< a binary-safe string in bytes/length */
    DST_REPLY_NULL = 5,     /**< nil (a missing string or aggregate) */
    DST_REPLY_ARRAY = 6,    /**< elements */
    DST_REPLY_DOUBLE = 7,   /**< number; bytes/length hold Redis's text for it */
    DST_REPLY_BOOLEAN = 8,  /**< integer is 0 or 1 */
    DST_REPLY_MAP = 9,      /**< elements hold 2 * pairs: key, value, key, value... */
    DST_REPLY_SET = 10,     /**< elements, unordered */
    DST_REPLY_VERBATIM = 11 /**< text in bytes/length (format not included) */
} dst_reply_type;

/** A reply from `engine_execute`. Allocated by the host; free the root with `reply_free`
 *  (elements are freed with it). Never modify it. */
typedef struct dst_reply {
    size_t struct_size;
    int32_t type;                     /**< a dst_reply_type */
    int64_t integer;                  /**< INTEGER, BOOLEAN */
    double number;                    /**< DOUBLE */
    const uint8_t *bytes;             /**< STATUS, ERROR, BULK, DOUBLE, VERBATIM; not NUL-terminated */
    size_t length;                    /**< bytes in `bytes` */
    const struct dst_reply *elements; /**< ARRAY, MAP, SET */
    size_t element_count;             /**< elements (2 per pair for MAP) */
    size_t element_size;              /**< sizeof each element as the host built it: step by this */
} dst_reply;

/** Element `index` of an ARRAY, MAP or SET reply, stepping by the host's element size. */
static inline const dst_reply *dst_reply_element(const dst_reply *reply, size_t index) {
    return (const dst_reply *)((const uint8_t *)reply->elements + index * reply->element_size);
}

/* ---------------------------------------------------------------------------------------------
 * Engine options
 * ------------------------------------------------------------------------------------------- */

#define DST_STORAGE_MEMORY 0   /**< a private in-memory database */
#define DST_STORAGE_FILE 1     /**< a database file in WAL mode */

#define DST_DURABILITY_NORMAL 0 /**< synchronous=NORMAL: survives a process crash */
#define DST_DURABILITY_FULL 1   /**< synchronous=FULL: every acknowledged write survives power loss */

/** How `engine_open` opens a connection. */
typedef struct dst_engine_options {
    size_t struct_size;
    int32_t storage;     /**< DST_STORAGE_MEMORY or DST_STORAGE_FILE */
    int32_t durability;  /**< DST_DURABILITY_NORMAL or DST_DURABILITY_FULL (files only) */
    /** FILE: a file name inside the run's private scratch folder (e.g. "data.db"); the same
     *  name in one run is the same file, so several connections can share it. NULL: "data.db". */
    const char *file_name;
    /** A SQLite VFS name; NULL: SQLite's default. DST_VFS_SIMULATED (minor 1) opens FILE
     *  storage on the run's simulated disk instead of the real file system. */
    const char *vfs;
    /** (minor 2) Where the commands go. NULL or "": the embedded Redlite engine.
     *  DST_TARGET_REFERENCE: the run's reference Redis server (below); `storage`,
     *  `durability`, `file_name` and `vfs` are then ignored. Anything else: DST_ERR_UNSUPPORTED. */
    const char *target;
    /** (minor 2) The shape of replies. 0: the engine's own (RESP3 shapes: maps, sets, doubles,
     *  booleans). 2: as a RESP2 client receives them (maps and sets as flat arrays, doubles as
     *  bulk strings, booleans as integers), which is all a server target ever gives. */
    int32_t protocol;
    /** (minor 4) 1: the engine is driven from a thread the plugin started, for load tests
     *  (Stress, Soak) where real threads contend for real locks. Only for the embedded engine
     *  on FILE storage with SQLite's default VFS (else DST_ERR_UNSUPPORTED). For such an engine,
     *  `engine_execute`, `reply_free`, `engine_close`, `engine_reopen` and
     *  `engine_check_integrity` may be called from any thread, concurrently with calls for
     *  other engines (calls for the same engine are serialized by the host); `engine_open` and
     *  `cancelled` may be called from any thread too. Every other service stays on the thread
     *  that runs the test. Real threads have no reproducible order, so such an engine's
     *  commands and replies stay out of the trace, and it reads the real clock (keys expire in
     *  real time), not the run's virtual one. */
    int32_t threaded;
} dst_engine_options;

/** (minor 2) The `target` of a real Redis server the host provides for differential testing:
 *  the one given with `--redis host:port`, or a `redis-server` the host starts (loopback, a
 *  free port, persistence off) for each worker and stops at the end of the run, also when it
 *  fails or is interrupted. Each `engine_open` of it empties the server (FLUSHALL), so every
 *  run starts from nothing (a `--redis` server is therefore used by one worker at a time);
 *  `engine_reopen` reconnects without emptying. What it answers depends on a real clock and real memory, so its commands and
 *  replies are left out of the trace. If no server can be reached or started, `engine_open`
 *  returns DST_ERR_UNSUPPORTED and `last_error` says why (a test should then skip).
 *  `engine_execute_concurrent`, `engine_check_integrity` and the disk do not apply to it. */
#define DST_TARGET_REFERENCE "reference"

/** (minor 1) The `vfs` of the run's simulated disk: files in memory with a durable image and
 *  pending writes, seeded faults and crashes, per-page checksums, virtual time. Every engine of
 *  a run opened with it shares one disk; `disk_*` below drive it. */
#define DST_VFS_SIMULATED "simulated"

/* ---------------------------------------------------------------------------------------------
 * The simulated disk and concurrent execution (minor 1)
 * ------------------------------------------------------------------------------------------- */

/** What the run's simulated disk has done so far (`disk_stats`). Counters count calls SQLite
 *  made through the VFS, for every engine of the run, since the disk was created. */
typedef struct dst_disk_stats {
    size_t struct_size;
    uint64_t reads;          /**< xRead calls */
    uint64_t writes;         /**< xWrite calls */
    uint64_t syncs;          /**< xSync calls */
    uint64_t truncates;      /**< xTruncate calls */
    uint64_t locks;          /**< xLock, xUnlock and xShmLock calls */
    uint64_t sleeps;         /**< xSleep calls (busy waits) */
    uint64_t faults;         /**< faults the plan injected */
    uint64_t crashes;        /**< power losses resolved (by `disk_crash`) */
    int32_t power_lost;      /**< 1 while the power is off: a planned crash fired (every call
                                  fails) and `disk_crash` has not yet recovered */
    int32_t reserved;
    uint64_t durable_bytes;  /**< bytes that would survive a power loss now */
    uint64_t pending_bytes;  /**< bytes written but not yet synced */
    uint64_t files;          /**< files on the disk */
    uint64_t checksum_errors;/**< reads refused because a page's checksum did not match */
} dst_disk_stats;

/** (minor 4) What `resource_stats` reports. */
typedef struct dst_resource_stats {
    size_t struct_size;
    uint64_t rss_bytes;       /**< resident set size now (VmRSS) */
    uint64_t peak_rss_bytes;  /**< the highest resident set size so far (VmHWM) */
    uint64_t open_fds;        /**< open file descriptors */
    uint64_t threads;         /**< threads of the process */
    uint64_t file_bytes;      /**< size of the run's database file (0 if there is none) */
    uint64_t wal_bytes;       /**< size of its write-ahead log, `<file>-wal` (0 if none) */
} dst_resource_stats;

/** One command of `engine_execute_concurrent`. */
typedef struct dst_command {
    size_t struct_size;
    dst_engine *engine;
    size_t argc;
    const uint8_t *const *argv;
    const size_t *lengths;
} dst_command;

/** What became of one command of `engine_execute_concurrent`. */
typedef struct dst_command_result {
    size_t struct_size;
    /** The reply (free it with `reply_free`); NULL if the command never ran (the batch ended
     *  early: the power was lost or the run was cancelled). */
    dst_reply *reply;
    /** When the command was invoked and when its reply returned, as positions in the batch's
     *  event order (0, 1, 2...): two commands overlap unless one returned before the other was
     *  invoked. `returned_at` is UINT64_MAX for a command cut off before its reply. */
    uint64_t invoked_at;
    uint64_t returned_at;
} dst_command_result;

/* ---------------------------------------------------------------------------------------------
 * Services the host offers (passed to the entry function and to every test run)
 * ------------------------------------------------------------------------------------------- */

#define DST_LOG_DEBUG 0
#define DST_LOG_INFO 1
#define DST_LOG_WARNING 2

typedef struct dst_host_api {
    size_t struct_size;
    uint32_t abi_major;  /**< DST_ABI_VERSION_MAJOR of the host */
    uint32_t abi_minor;  /**< DST_ABI_VERSION_MINOR of the host: slots up to this minor exist */

    /* -- the shared engine (minor 0) -- */

    /** Opens a connection; `*out` receives it. Its clock and randomness are the run's. */
    dst_status (*engine_open)(dst_context *ctx, const dst_engine_options *options, dst_engine **out);
    /** Runs one command: `argc` arguments, each `argv[i]` of `lengths[i]` bytes (binary-safe).
     *  `*out` receives the reply (free it with `reply_free`). An error reply is DST_OK with a
     *  reply of type DST_REPLY_ERROR; a status < 0 means the call itself was malformed. */
    dst_status (*engine_execute)(dst_context *ctx, dst_engine *engine, size_t argc,
                                 const uint8_t *const *argv, const size_t *lengths, dst_reply **out);
    /** Frees a reply returned by `engine_execute`. NULL is allowed. */
    void (*reply_free)(dst_context *ctx, dst_reply *reply);
    /** Closes a connection; the handle is invalid afterwards. NULL is allowed. */
    void (*engine_close)(dst_context *ctx, dst_engine *engine);
    /** Closes and reopens the same database with the same options (a restart: a memory
     *  database comes back empty, a file keeps what was committed). The handle stays valid. */
    dst_status (*engine_reopen)(dst_context *ctx, dst_engine *engine);

    /* -- determinism: randomness and time (minor 0) -- */

    /** The next 64 bits of the run's random stream, derived from the seed only. */
    uint64_t (*random_next)(dst_context *ctx);
    /** A uniform integer in [0, bound); 0 when bound is 0. */
    uint64_t (*random_below)(dst_context *ctx, uint64_t bound);
    /** The run's virtual clock, in Unix milliseconds; every engine's TTL logic reads it. */
    int64_t (*clock_now_ms)(dst_context *ctx);
    /** Moves the virtual clock forward by `ms` (negative values are ignored). */
    void (*clock_advance_ms)(dst_context *ctx, int64_t ms);

    /* -- reporting (minor 0) -- */

    /** A log line (UTF-8, borrowed). The last lines are shown when the run fails or crashes. */
    void (*log)(dst_context *ctx, int32_t level, const char *message);
    /** Records a failed check; the run goes on, and its result is DST_FAIL at the end. */
    void (*check_failed)(dst_context *ctx, const char *message);
    /** Records a measurement, e.g. ("ops_per_second", 51234.0, "ops/s"). */
    void (*metric)(dst_context *ctx, const char *name, double value, const char *unit);
    /** Saves bytes under `name` (e.g. "minimized-trace.txt") with the run's result. */
    dst_status (*artifact)(dst_context *ctx, const char *name, const uint8_t *bytes, size_t length);
    /** Adds bytes to the run's trace: the host hashes the trace (every engine call and reply
     *  is in it already) and `--check-determinism` compares the hash across two runs. */
    void (*trace)(dst_context *ctx, const uint8_t *bytes, size_t length);

    /* -- parameters and cancellation (minor 0) -- */

    /** The value of a run parameter (`--param key=value`, and "ops", "keys", "faults" ... from
     *  the command line), or NULL when unset. Borrowed; valid until the run ends. The host
     *  also answers "target" (minor 5): "resp://host:port" when the run's engines are clients
     *  of a RESP target (`--target resp://host:port`) rather than the embedded engine. */
    const char *(*param)(dst_context *ctx, const char *key);
    /** 1 once the run passed its deadline or was cancelled: return promptly with any status. */
    int32_t (*cancelled)(dst_context *ctx);

    /* -- the simulated disk (minor 1): check `abi_minor >= 1` before calling -- */

    /** Replaces the disk's fault plan (see README "The simulated disk" for the grammar), e.g.
     *  "disk_full quota=65536; read_eio p=0.01 persistent; crash write=17". "" clears it.
     *  DST_ERR_INVALID_ARGUMENT for a malformed plan (the log says why). Creates the run's
     *  disk if no engine opened it yet. */
    dst_status (*disk_set_plan)(dst_context *ctx, const char *plan);
    /** Power loss now (or the end of one a planned crash began): every engine on the disk
     *  closes, each pending write is resolved by the seed (written, dropped or garbled per
     *  512-byte sector; never-synced files may vanish), the power comes back and every engine
     *  reopens on the durable image, with the fault plan suspended until all are open. Engine
     *  handles stay valid. */
    dst_status (*disk_crash)(dst_context *ctx);
    /** Fills `*out` (up to out->struct_size bytes); creates the run's disk if need be. */
    dst_status (*disk_stats)(dst_context *ctx, dst_disk_stats *out);
    /** Runs `count` commands (each `command_size` bytes apart) at once: the commands of one
     *  engine run in array order, each engine on its own thread, and exactly one thread runs
     *  at a time: the run's seed picks who runs at every VFS call and every busy wait, so lock
     *  contention and SQLITE_BUSY paths interleave reproducibly. Fills `results` (each
     *  `result_size` bytes apart). DST_ERR_DEADLOCK if no engine could make progress any more
     *  (the log says who waited; the results hold what completed). */
    dst_status (*engine_execute_concurrent)(dst_context *ctx, size_t count, const dst_command *commands,
                                            size_t command_size, dst_command_result *results,
                                            size_t result_size);
    /** Runs SQLite's `PRAGMA integrity_check` on the engine's database: `*out` receives a
     *  STATUS reply "OK", or an ERROR reply listing the problems (free it with `reply_free`).
     *  A storage error while checking (e.g. a page failing its checksum) is an ERROR too. */
    dst_status (*engine_check_integrity)(dst_context *ctx, dst_engine *engine, dst_reply **out);

    /* -- minor 2: check `abi_minor >= 2` before calling -- */

    /** Why the last service call of this run that returned an error failed, as one line, or
     *  NULL if none failed yet. Valid until the next service call. */
    const char *(*last_error)(dst_context *ctx);

    /* -- minor 3: check `abi_minor >= 3` before calling -- */

    /** Feeds raw bytes to the embedded engine as a RESP client connection would send them:
     *  the host's RESP front end (Redis's request parser and limits, inline commands, HELLO,
     *  pipelining) parses them, runs every complete command on `engine`, and returns every
     *  reply's bytes in `*out` (`*out_len` bytes; free with `buffer_free`; NULL when empty).
     *  The connection keeps a partial request across calls, as a socket would. After a protocol
     *  error (answered `-ERR Protocol error: ...`, as Redis does) or QUIT, `*closed` is 1 and
     *  the next call starts a new connection on the same engine. */
    dst_status (*engine_feed)(dst_context *ctx, dst_engine *engine, const uint8_t *bytes, size_t len,
                              uint8_t **out, size_t *out_len, int32_t *closed);
    /** Frees a buffer the host returned (`engine_feed`'s output). NULL is allowed. */
    void (*buffer_free)(dst_context *ctx, void *buffer);

    /* -- minor 4: check `abi_minor >= 4` before calling -- */

    /** Fills `*out` (up to out->struct_size bytes) with the resources of the process running
     *  the test (a worker, or the host with --jobs 0) and the sizes of the run's database file
     *  `file_name` (NULL: "data.db") and its WAL. Safe from any thread. */
    dst_status (*resource_stats)(dst_context *ctx, const char *file_name, dst_resource_stats *out);
    /** A monotonic real clock in nanoseconds, for measuring and pacing load tests only: a
     *  seeded test never lets it decide anything. Safe from any thread. */
    uint64_t (*wall_clock_ns)(dst_context *ctx);
    /** Keeps a copy of `length` bytes to be saved as the artifact `name` should the run crash
     *  (a signal: a segfault, a trap, an abort) before the next call of this function or the
     *  end of the run: a fuzzer's input, set just before feeding it. Each call replaces the
     *  last; a NULL `name` clears it. Costs one copy; nothing is written unless a worker
     *  crashes (with --jobs 0 there is no host left to save it). */
    dst_status (*crash_artifact)(dst_context *ctx, const char *name, const uint8_t *bytes, size_t length);

    /* -- minor 5: check `abi_minor >= 5` before calling -- */

    /** The client connection `engine_feed` talks through drops (fault `connection_drop`):
     *  `bytes` (may be empty) are sent first, then the connection is gone at once and no reply
     *  is read. When the bytes end inside a request, the server sees a client vanish
     *  mid-command (that request never runs); when they complete requests, those run and
     *  their replies go nowhere (mid-reply). The client's state ends (MULTI, WATCH, SELECT);
     *  the next `engine_feed` starts a new connection. On the embedded engine the host's RESP
     *  front end does exactly that; on a RESP target (`--target resp://host:port`) the socket
     *  is reset (RST), so whether a just-completed request ran is up to the server's timing:
     *  an unacknowledged command must happen entirely or not at all. */
    dst_status (*engine_hang_up)(dst_context *ctx, dst_engine *engine, const uint8_t *bytes, size_t len);
} dst_host_api;

/* ---------------------------------------------------------------------------------------------
 * What the plugin describes
 * ------------------------------------------------------------------------------------------- */

/** The type of a declared test parameter. */
typedef enum dst_param_type {
    DST_PARAM_INT64 = 1,  /**< passed as int64_t */
    DST_PARAM_DOUBLE = 2, /**< passed as double */
    DST_PARAM_STRING = 3  /**< passed as const char * (borrowed for the call) */
} dst_param_type;

/** A parameter a test declares: the host parses `--param name=value` by its type (refusing a
 *  bad value with a usage error before anything runs) and passes it to `run_with_parameters`. */
typedef struct dst_param_spec {
    size_t struct_size;
    const char *name;           /**< [a-z0-9_]+, unique in the test */
    int32_t type;               /**< a dst_param_type */
    const char *default_value;  /**< used when the command line gives none; must parse */
    const char *description;    /**< one line */
} dst_param_spec;

/** Runs the test once on `seed`. Return DST_OK (passed, unless check_failed was called),
 *  DST_FAIL, DST_SKIP, or an error code. `user` is the test's `user` pointer. */
typedef dst_status (*dst_test_run_fn)(const dst_host_api *host, dst_context *ctx,
                                      uint64_t seed, void *user);

/** One test of a suite. */
typedef struct dst_test {
    size_t struct_size;
    const char *name;            /**< unique in the plugin; [a-z0-9_]+ */
    const char *description;     /**< one line */
    const char *const *tags;     /**< e.g. "quick", "nightly"; may be NULL when tag_count is 0 */
    size_t tag_count;
    uint32_t default_seeds;      /**< seeds to run when the command line names none (>= 1) */
    dst_test_run_fn run;
    void *user;                  /**< passed back to `run` */
    /** Optional typed parameters (may be NULL when param_count is 0). */
    const dst_param_spec *params;
    size_t param_count;
    size_t param_size;           /**< sizeof(dst_param_spec) as the plugin was built */
    /** When params are declared and this is set, the host calls it instead of `run`, as
     *  `dst_status f(const dst_host_api *host, dst_context *ctx, uint64_t seed, void *user,
     *  P1 p1, P2 p2, ...)` with one argument per declared parameter, in order, typed as
     *  declared (int64_t, double, const char *). Cast your function to this type. */
    void (*run_with_parameters)(void);
} dst_test;

/** The plugin's answer to the entry function. */
typedef struct dst_plugin_descriptor {
    size_t struct_size;
    uint32_t abi_major;          /**< the ABI the plugin was built against */
    uint32_t abi_minor;
    const char *name;            /**< the suite's name, e.g. "smoke"; [a-z0-9_-]+ */
    const char *version;         /**< the plugin's own version, e.g. "1.0.0" */
    const char *description;     /**< one line */
    const dst_test *tests;       /**< test_count tests, each test_size bytes apart */
    size_t test_count;
    size_t test_size;            /**< sizeof(dst_test) as the plugin was built */
} dst_plugin_descriptor;

/* ---------------------------------------------------------------------------------------------
 * The entry point
 * ------------------------------------------------------------------------------------------- */

/** The one function a plugin exports, under the name DST_PLUGIN_ENTRY_NAME. The host passes
 *  its service table and a descriptor whose `struct_size` says how much it can read; the
 *  plugin fills the descriptor (at most `out->struct_size` bytes) and returns DST_OK, or
 *  DST_ERR_UNSUPPORTED when `host->abi_major` is not the major it was built for. */
typedef dst_status (*dst_plugin_entry_fn)(const dst_host_api *host, dst_plugin_descriptor *out);

#if defined(_WIN32)
#define DST_PLUGIN_EXPORT __declspec(dllexport)
#else
#define DST_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
}
#endif

#endif /* DST_PLUGIN_H */
