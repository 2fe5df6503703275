import Foundation

/// Applies schema migrations in version order and records them in `schema_migrations`.
///
/// - Each pending migration runs in its own IMMEDIATE transaction together with its record, so a failing
///   migration leaves neither partial schema nor a record. (SQLite DDL is transactional; `PRAGMA foreign_keys` and
///   `journal_mode` cannot change inside a transaction, so migrations must not rely on them.)
/// - Before applying anything, every recorded migration is checked against the files: a changed file
///   (checksum), a renamed file, or a recorded version with no file is an error, not a warning — a database
///   must never run with a schema its migrations do not describe.
/// - Re-running applies nothing. Two processes migrating at once are safe: each migration re-checks its record
///   inside its transaction.
///
/// From a directory, only files ending in `.sql` are considered (a README or hidden file is ignored); every
/// `.sql` file must be named `NNNN_name.sql`.
package struct Migrator: Sendable {
    private enum Source: Sendable {
        case directory(String)
        case list([Migration])
    }

    private let source: Source

    /// Migrations read from `directory` when `migrate`/`status` run.
    package init(directory: String) {
        source = .directory(directory)
    }

    /// Migrations defined in code (embedded in the binary, or in tests).
    package init(migrations: [Migration]) {
        source = .list(migrations)
    }

    /// Migrations given as (version, name, sql).
    package init(migrations: [(version: Int, name: String, sql: String)]) {
        source = .list(migrations.map { Migration(version: $0.version, name: $0.name, sql: $0.sql) })
    }

    /// The migrations in version order, with file names and duplicate versions checked.
    package func loadMigrations() throws -> [Migration] {
        let migrations: [Migration]
        switch source {
        case .list(let list): migrations = list
        case .directory(let directory): migrations = try Self.read(directory: directory)
        }
        let sorted = migrations.sorted { ($0.version, $0.fileName) < ($1.version, $1.fileName) }
        for (earlier, later) in zip(sorted, sorted.dropFirst()) where earlier.version == later.version {
            throw MigrationError.duplicateVersion(later.version, files: [earlier.fileName, later.fileName])
        }
        return sorted
    }

    /// Applies the pending migrations on the database's writer and returns those applied.
    @discardableResult
    package func migrate(_ database: SQLiteDatabase) async throws -> [AppliedMigration] {
        try await database.withWriter { connection in try self.migrate(connection) }
    }

    /// Applies the pending migrations through `connection`, which must not be in a transaction.
    @discardableResult
    package func migrate(_ connection: SQLiteConnection) throws -> [AppliedMigration] {
        let migrations = try loadMigrations()
        try connection.transaction(.immediate) { try Self.createHistoryTable($0) }
        try Self.verify(recorded: Self.recorded(connection), against: migrations)
        var applied: [AppliedMigration] = []
        for migration in migrations {
            let outcome = try connection.transaction(.immediate) { connection in
                try Self.applyUnlessRecorded(migration, connection)
            }
            if let outcome { applied.append(outcome) }
        }
        return applied
    }

    /// Runs `migration` and records it, unless another process recorded it meanwhile. Call inside a transaction.
    private static func applyUnlessRecorded(_ migration: Migration, _ connection: SQLiteConnection) throws
        -> AppliedMigration? {
        if let row = try connection.queryRow("SELECT name, checksum, applied_at FROM schema_migrations WHERE version = ?",
                                             .integer(Int64(migration.version))) {
            let record = try RecordedMigration(version: migration.version, row: row)
            try verify(recorded: [record], against: [migration])
            return nil
        }
        do {
            try connection.execute(migration.sql)
        } catch {
            throw MigrationError.failed(fileName: migration.fileName, error: error)
        }
        let appliedAt = try connection.queryScalar(
            """
            INSERT INTO schema_migrations (version, name, checksum, applied_at)
            VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) RETURNING applied_at
            """,
            .integer(Int64(migration.version)), .text(migration.name), .text(migration.checksum), as: String.self)
        return AppliedMigration(version: migration.version, name: migration.name, fileName: migration.fileName,
                                checksum: migration.checksum, appliedAt: appliedAt ?? "")
    }

    static func createHistoryTable(_ connection: SQLiteConnection) throws {
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                checksum TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """)
    }

    /// What `schema_migrations` holds, in version order.
    static func recorded(_ connection: SQLiteConnection) throws -> [RecordedMigration] {
        try connection.query("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version")
            .map { row in try RecordedMigration(version: row.int("version"), row: row) }
    }

    /// Throws for the first recorded migration that is missing, renamed or changed.
    static func verify(recorded: [RecordedMigration], against migrations: [Migration]) throws {
        let byVersion = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for record in recorded {
            guard let migration = byVersion[record.version] else {
                throw MigrationError.appliedButMissing(version: record.version, name: record.name)
            }
            guard migration.name == record.name else {
                throw MigrationError.renamedAfterApplied(version: record.version, recordedName: record.name,
                                                         fileName: migration.fileName)
            }
            guard migration.checksum == record.checksum else {
                throw MigrationError.changedAfterApplied(fileName: migration.fileName,
                                                         recordedChecksum: record.checksum,
                                                         fileChecksum: migration.checksum)
            }
        }
    }

    private static func read(directory: String) throws -> [Migration] {
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw MigrationError.unreadable(path: directory, reason: String(describing: error))
        }
        return try entries.filter { $0.hasSuffix(".sql") && !$0.hasPrefix(".") }.map { fileName in
            let path = (directory as NSString).appendingPathComponent(fileName)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw MigrationError.unreadable(path: path, reason: "the file cannot be opened")
            }
            return try Migration(fileName: fileName, bytes: Array(data))
        }
    }
}

/// One row of `schema_migrations`.
struct RecordedMigration: Sendable {
    let version: Int
    let name: String
    let checksum: String
    let appliedAt: String

    init(version: Int, row: SQLiteRow) throws {
        self.version = version
        name = try row.string("name")
        checksum = try row.string("checksum")
        appliedAt = try row.string("applied_at")
    }
}
