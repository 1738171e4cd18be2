#include <sqlite3.h>

/* sqlite3_db_config is variadic, which Swift cannot call: one fixed-signature wrapper per use. */

/** Closing the connection will not checkpoint the WAL (as a crashed process would not). */
static inline int redlite_sqlite_disable_checkpoint_on_close(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}
