import CSQLite
import Foundation

extension SQLiteConnection {
    /// Copies this connection's database to `destinationPath` with SQLite's online backup API, in one step, so
    /// the copy is one consistent snapshot. Other connections may keep writing meanwhile (WAL).
    ///
    /// The copy is written to `<destination>.partial` and renamed over `destinationPath` only when complete, so
    /// an existing file at that path is either left alone (on failure) or replaced by a whole backup.
    package func backup(to destinationPath: String) throws {
        let partialPath = destinationPath + ".partial"
        try? FileManager.default.removeItem(atPath: partialPath)
        do {
            try copyDatabase(to: partialPath)
            guard rename(partialPath, destinationPath) == 0 else {
                let code = errno
                throw SQLiteError(extendedCode: SQLITE_CANTOPEN,
                                  message: "rename(\(partialPath), \(destinationPath)) failed: errno \(code) "
                                      + String(cString: strerror(code)))
            }
        } catch {
            try? FileManager.default.removeItem(atPath: partialPath)
            throw error
        }
    }

    private func copyDatabase(to path: String) throws(SQLiteError) {
        let destination = try SQLiteConnection(path: path)
        guard let backup = sqlite3_backup_init(destination.db, "main", db, "main") else {
            throw SQLiteError(resultCode: sqlite3_errcode(destination.db), db: destination.db, sql: nil)
        }
        let stepResult = sqlite3_backup_step(backup, -1)
        let finishResult = sqlite3_backup_finish(backup)
        guard stepResult == SQLITE_DONE else {
            throw SQLiteError(resultCode: stepResult, db: destination.db, sql: nil)
        }
        guard finishResult == SQLITE_OK else {
            throw SQLiteError(resultCode: finishResult, db: destination.db, sql: nil)
        }
    }
}
