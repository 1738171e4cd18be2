#include <sqlite3.h>

/* sqlite3_db_config is variadic, which Swift cannot call: one fixed-signature wrapper per use. */

/** Closing the connection will not checkpoint the WAL (as a crashed process would not). */
static inline int redlite_sqlite_disable_checkpoint_on_close(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}

/** Reseeds SQLite's internal random generator (WAL salts, temporary names) from `seed`, so a
 *  simulated run draws the same values every time (SQLITE_TESTCTRL_PRNG_SEED, SQLite 3.32+). */
static inline void redlite_sqlite_seed_random(int seed) {
    sqlite3_test_control(SQLITE_TESTCTRL_PRNG_SEED, seed, (sqlite3 *)0);
}

/** Turns off SQLite's memory statistics (SQLITE_CONFIG_MEMSTATUS). With them on, every
 *  sqlite3_malloc and sqlite3_free takes one process-wide mutex to keep the counters, which
 *  profiles of the simulations showed at ~5% of run time. Nothing here reads the counters.
 *  Takes effect only before SQLite initializes (returns SQLITE_MISUSE after). */
static inline int redlite_sqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
