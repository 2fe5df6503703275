import Logging
import PostgresNIO
import SpoolStore

/// Applies the PostgreSQL migrations (`migrations/postgres/NNNN_name.sql`) in version order and records them in
/// `schema_migrations`, by the same rules as SQLite's ``Migrator``: files are read and checksummed by it (SHA-256
/// of the bytes), and a recorded migration whose file changed, was renamed or is gone is refused by name before
/// anything is applied.
///
/// Several replicas may run `spool migrate` at once: the whole run holds a session-level `pg_advisory_lock`, so
/// one applies and the others wait, then find everything recorded and apply nothing. Each migration runs in its
/// own transaction with its record (PostgreSQL DDL is transactional), so a failing file leaves neither partial
/// schema nor a record. A file may hold many statements and PL/pgSQL bodies: PostgresNIO only speaks the extended
/// protocol (one statement per query), so the file is run as one `DO` block that `EXECUTE`s its text.
package struct PostgresMigrator: Sendable {
    /// The advisory lock key every migrator takes ("spool-mi" in ASCII), so no other lock in Spool shares it.
    static let lockKey: Int64 = 0x7370_6F6F_6C2D_6D69

    private let files: Migrator

    /// Migrations read from `directory` when ``migrate(_:)`` runs.
    package init(directory: String) {
        files = Migrator(directory: directory)
    }

    /// Migrations defined in code (tests, or files embedded in the binary).
    package init(migrations: [Migration]) {
        files = Migrator(migrations: migrations)
    }

    /// Applies the pending migrations and returns those this call applied (empty when another replica did).
    @discardableResult
    package func migrate(_ database: PostgresDatabase) async throws -> [Migration] {
        let migrations = try files.loadMigrations()
        let logger = database.logger
        return try await database.withConnection { connection in
            try await PostgresDatabase.rows("SELECT pg_advisory_lock(\(Self.lockKey))", on: connection, logger: logger)
            do {
                let applied = try await Self.apply(migrations, on: connection, logger: logger)
                try await PostgresDatabase.rows("SELECT pg_advisory_unlock(\(Self.lockKey))", on: connection,
                                                logger: logger)
                return applied
            } catch {
                // A session lock outlives a failed statement: let it go before the connection returns to the pool.
                _ = try? await PostgresDatabase.rows("SELECT pg_advisory_unlock(\(Self.lockKey))", on: connection,
                                                     logger: logger)
                throw error
            }
        }
    }

    /// Checks the recorded migrations against `migrations`, then applies the pending ones. Holds the lock.
    private static func apply(_ migrations: [Migration], on connection: PostgresConnection, logger: Logger)
        async throws -> [Migration] {
        try await PostgresDatabase.rows(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version bigint PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at text NOT NULL
            )
            """, on: connection, logger: logger)
        var recorded: [Int: (name: String, checksum: String)] = [:]
        for row in try await PostgresDatabase.rows("SELECT version, name, checksum FROM schema_migrations",
                                                   on: connection, logger: logger) {
            let (version, name, checksum) = try row.decode((Int64, String, String).self)
            recorded[Int(version)] = (name, checksum)
        }
        try verify(recorded: recorded, against: migrations)
        var applied: [Migration] = []
        for migration in migrations where recorded[migration.version] == nil {
            try await PostgresDatabase.inTransaction(on: connection, isolation: .readCommitted, logger: logger) {
                try await run(migration, on: $0, logger: logger)
            }
            applied.append(migration)
        }
        return applied
    }

    /// Throws, naming the file, for the first recorded migration that is missing, renamed or changed.
    private static func verify(recorded: [Int: (name: String, checksum: String)], against migrations: [Migration])
        throws(MigrationError) {
        let byVersion = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for (version, record) in recorded.sorted(by: { $0.key < $1.key }) {
            guard let migration = byVersion[version] else {
                throw .appliedButMissing(version: version, name: record.name)
            }
            guard migration.name == record.name else {
                throw .renamedAfterApplied(version: version, recordedName: record.name, fileName: migration.fileName)
            }
            guard migration.checksum == record.checksum else {
                throw .changedAfterApplied(fileName: migration.fileName, recordedChecksum: record.checksum,
                                           fileChecksum: migration.checksum)
            }
        }
    }

    /// Runs one migration's script and records it. Call inside a transaction.
    private static func run(_ migration: Migration, on connection: PostgresConnection, logger: Logger) async throws {
        do {
            try await PostgresDatabase.rows(script(migration.sql), on: connection, logger: logger)
        } catch {
            throw PostgresMigrationError(fileName: migration.fileName, error: error)
        }
        try await PostgresDatabase.rows(
            """
            INSERT INTO schema_migrations (version, name, checksum, applied_at)
            VALUES (\(Int64(migration.version)), \(migration.name), \(migration.checksum),
                    to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
            """, on: connection, logger: logger)
    }
}

extension PostgresMigrator {
    /// `sql` (any number of statements) as one statement: a `DO` block that `EXECUTE`s it, quoted with dollar-quote
    /// tags that do not occur in it.
    static func script(_ sql: String) -> PostgresQuery {
        var number = 0
        while sql.contains("$spool_\(number)_") { number += 1 }
        let outer = "$spool_\(number)_do$", inner = "$spool_\(number)_sql$"
        return PostgresQuery(unsafeSQL: "DO \(outer) BEGIN EXECUTE \(inner)\(sql)\(inner); END \(outer)")
    }
}

/// A migration whose SQL PostgreSQL refused; it was rolled back entirely and not recorded.
package struct PostgresMigrationError: Error, CustomStringConvertible, Sendable {
    package let fileName: String
    package let error: PostgresDatabaseError

    package var description: String { "migration \(fileName) failed and was rolled back: \(error)" }
}
