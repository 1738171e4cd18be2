import SQLite

/// Every table's rows at one moment, put back on demand, on the same SQLite connection.
///
/// Rows, not the database image: replacing the image under the engine's cached statements
/// (`sqlite3_deserialize`) leaves them pointing into the schema it frees, which crashed
/// SQLite 3.40 within seconds of fuzzing. Deleting and inserting rows changes no schema, so
/// the engine's statements stay valid and are not even prepared again.
///
/// Tables are emptied children first (the reverse of the order they were created in), so
/// foreign keys never object; tables that had rows (the engine's own metadata) get them back
/// from a TEMP copy.
final class TableSnapshot {
    private let database: Database
    private let statements: [Statement]

    /// Snapshots every table of `database`'s main schema.
    init(_ database: Database) throws(SQLiteError) {
        let tables = try database.strings("SELECT name FROM main.sqlite_master WHERE type = 'table' ORDER BY rowid DESC")
        var sql = ["BEGIN IMMEDIATE"]
        var refills: [String] = []
        for (index, table) in tables.enumerated() {
            let quoted = "main.\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            sql.append("DELETE FROM \(quoted)")
            if try database.scalarInt("SELECT EXISTS (SELECT 1 FROM \(quoted))") == 1 {
                let copy = "fuzz_snapshot_\(index)"
                try database.execute("CREATE TEMP TABLE \(copy) AS SELECT * FROM \(quoted)")
                refills.append("INSERT INTO \(quoted) SELECT * FROM temp.\(copy)")
            }
        }
        sql += refills.reversed() + ["COMMIT"]
        var statements: [Statement] = []
        for text in sql { statements.append(try database.prepare(text)) }
        self.statements = statements
        self.database = database
    }

    /// Puts every table back as it was, in one transaction.
    func restore() throws(SQLiteError) {
        do {
            for statement in statements {
                statement.reset()
                try statement.run()
            }
        } catch {
            database.rollback()
            throw error
        }
        statements.last?.reset()
    }
}
