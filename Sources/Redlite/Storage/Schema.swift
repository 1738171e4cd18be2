/// Upstream Redlite's schema (crates/redlite/src/schema.sql, russellromney/redlite), table for
/// table, column for column, index for index, so that either program can open the other's
/// files. The DEFAULT expressions use `unixepoch('now','subsec')`, which needs SQLite 3.42;
/// this engine always supplies created_at and updated_at itself, from its injected clock, so
/// the defaults are never evaluated on older SQLite (Debian 12 ships 3.40).
enum Schema {
    static let tables = """
        CREATE TABLE IF NOT EXISTS keys (
            id INTEGER PRIMARY KEY,
            db INTEGER NOT NULL DEFAULT 0,
            key TEXT NOT NULL,
            type INTEGER NOT NULL,
            expire_at INTEGER,
            version INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL DEFAULT (unixepoch('now', 'subsec') * 1000),
            updated_at INTEGER NOT NULL DEFAULT (unixepoch('now', 'subsec') * 1000),
            last_accessed INTEGER NOT NULL DEFAULT 0,
            access_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX IF NOT EXISTS idx_keys_db_key ON keys(db, key);
        CREATE INDEX IF NOT EXISTS idx_keys_expire ON keys(expire_at) WHERE expire_at IS NOT NULL;
        CREATE INDEX IF NOT EXISTS idx_keys_type ON keys(db, type);
        CREATE INDEX IF NOT EXISTS idx_keys_last_accessed ON keys(last_accessed);
        CREATE INDEX IF NOT EXISTS idx_keys_access_count ON keys(access_count);
        CREATE TABLE IF NOT EXISTS strings (
            key_id INTEGER PRIMARY KEY REFERENCES keys(id) ON DELETE CASCADE,
            value BLOB NOT NULL
        );
        CREATE TABLE IF NOT EXISTS hashes (
            key_id INTEGER NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            value BLOB NOT NULL,
            PRIMARY KEY (key_id, field)
        );
        CREATE TABLE IF NOT EXISTS lists (
            key_id INTEGER NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            value BLOB NOT NULL,
            PRIMARY KEY (key_id, pos)
        );
        CREATE INDEX IF NOT EXISTS idx_lists_key_pos ON lists(key_id, pos);
        CREATE TABLE IF NOT EXISTS sets (
            key_id INTEGER NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
            member BLOB NOT NULL,
            PRIMARY KEY (key_id, member)
        );
        CREATE TABLE IF NOT EXISTS zsets (
            key_id INTEGER NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
            member BLOB NOT NULL,
            score REAL NOT NULL,
            PRIMARY KEY (key_id, member)
        );
        CREATE INDEX IF NOT EXISTS idx_zsets_score ON zsets(key_id, score, member);
        CREATE TABLE IF NOT EXISTS streams (
            id INTEGER PRIMARY KEY,
            key_id INTEGER NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
            entry_ms INTEGER NOT NULL,
            entry_seq INTEGER NOT NULL,
            data BLOB NOT NULL,
            created_at INTEGER NOT NULL DEFAULT (unixepoch('now', 'subsec') * 1000)
        );
        CREATE INDEX IF NOT EXISTS idx_streams_key_entry ON streams(key_id, entry_ms, entry_seq);
        CREATE TABLE IF NOT EXISTS stream_groups (
            id INTEGER PRIMARY KEY,
            key_id INTEGER NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            last_ms INTEGER NOT NULL DEFAULT 0,
            last_seq INTEGER NOT NULL DEFAULT 0,
            UNIQUE(key_id, name)
        );
        CREATE TABLE IF NOT EXISTS stream_pending (
            id INTEGER PRIMARY KEY,
            key_id INTEGER NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL REFERENCES stream_groups(id) ON DELETE CASCADE,
            entry_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
            consumer TEXT NOT NULL,
            delivered_at INTEGER NOT NULL,
            delivery_count INTEGER NOT NULL DEFAULT 1,
            UNIQUE(group_id, entry_id)
        );
        CREATE INDEX IF NOT EXISTS idx_stream_pending_consumer ON stream_pending(group_id, consumer);
        CREATE TABLE IF NOT EXISTS stream_consumers (
            id INTEGER PRIMARY KEY,
            group_id INTEGER NOT NULL REFERENCES stream_groups(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            seen_time INTEGER NOT NULL DEFAULT 0,
            UNIQUE(group_id, name)
        );
        CREATE TABLE IF NOT EXISTS json_docs (
            key_id INTEGER PRIMARY KEY REFERENCES keys(id) ON DELETE CASCADE,
            value BLOB NOT NULL
        );
        """

    /// This engine's own bookkeeping, in a table upstream ignores: the highest key id ever
    /// handed out. New keys take ids above it, so an id is never reused and WATCH's
    /// (id, version) snapshot cannot be fooled by a key deleted and recreated in between.
    ///
    /// `redlite_watches` holds one row per WATCH of a key that was absent at the time (a key that
    /// exists is checked by its `(id, version)` instead). Triggers on `keys` mark those rows
    /// whenever such a name appears or disappears, whoever writes — this engine on any
    /// connection, or another program — so EXEC aborts even when the key was created and
    /// deleted again in between, as Redis does. `expired_id` is the row that was already
    /// expired at WATCH: its removal changes nothing a client could see, as in Redis 7.0.
    ///
    /// `redlite_list_lengths` remembers a long list's length at a `(version, created_at)` of its
    /// key (see `ListCommands`): in the file, so every connection shares it.
    static let engineTables = """
        CREATE TABLE IF NOT EXISTS redlite_meta (
            name TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        );
        INSERT OR IGNORE INTO redlite_meta (name, value)
            SELECT 'last_key_id', COALESCE(MAX(id), 0) FROM keys;
        CREATE TABLE IF NOT EXISTS redlite_watches (
            db INTEGER NOT NULL,
            key NOT NULL,
            expired_id INTEGER,
            touched INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS redlite_watches_by_key ON redlite_watches(db, key);
        CREATE TRIGGER IF NOT EXISTS redlite_watches_on_insert AFTER INSERT ON keys BEGIN
            UPDATE redlite_watches SET touched = 1 WHERE db = NEW.db AND key = NEW.key;
        END;
        CREATE TRIGGER IF NOT EXISTS redlite_watches_on_delete AFTER DELETE ON keys BEGIN
            UPDATE redlite_watches SET touched = 1
            WHERE db = OLD.db AND key = OLD.key AND expired_id IS NOT OLD.id;
        END;
        CREATE TRIGGER IF NOT EXISTS redlite_watches_on_move AFTER UPDATE OF db, key ON keys BEGIN
            UPDATE redlite_watches SET touched = 1
            WHERE (db = OLD.db AND key = OLD.key) OR (db = NEW.db AND key = NEW.key);
        END;
        CREATE TABLE IF NOT EXISTS redlite_list_lengths (
            key_id INTEGER PRIMARY KEY REFERENCES keys(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            created_at NOT NULL,
            length INTEGER NOT NULL
        );
        """

    /// The engine table created last: a file that has it has them all.
    static let lastEngineTable = "redlite_list_lengths"
}
