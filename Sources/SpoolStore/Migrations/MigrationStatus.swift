/// Where one migration stands in a database, as ``Migrator/status(_:)`` reports it.
package struct MigrationStatus: Sendable, Hashable {
    package enum State: Sendable, Hashable {
        /// Applied at this time (UTC, ISO 8601), with the file unchanged since.
        case applied(at: String)
        /// Not applied yet.
        case pending
        /// Applied, but the file's checksum or name differs from the record: `migrate` will refuse to run.
        case changedSinceApplied(recordedName: String, recordedChecksum: String)
        /// Recorded in the database, but no migration has this version: `migrate` will refuse to run.
        case missingFile
    }

    package let version: Int
    /// The file name, or for ``State/missingFile`` the recorded name.
    package let name: String
    package let state: State
}

extension Migrator {
    /// Every known migration (from the files and from the database) in version order, with its state. Reports
    /// problems instead of throwing for them; throws only if the files or the database cannot be read.
    package func status(_ connection: SQLiteConnection) throws -> [MigrationStatus] {
        let migrations = try loadMigrations()
        let hasHistory = try connection.queryRow(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") != nil
        let recorded = hasHistory ? try Self.recorded(connection) : []
        let recordedByVersion = Dictionary(uniqueKeysWithValues: recorded.map { ($0.version, $0) })
        let known = Set(migrations.map(\.version))
        var statuses = migrations.map { migration -> MigrationStatus in
            let state: MigrationStatus.State
            if let record = recordedByVersion[migration.version] {
                state = record.name == migration.name && record.checksum == migration.checksum
                    ? .applied(at: record.appliedAt)
                    : .changedSinceApplied(recordedName: record.name, recordedChecksum: record.checksum)
            } else {
                state = .pending
            }
            return MigrationStatus(version: migration.version, name: migration.fileName, state: state)
        }
        statuses += recorded.filter { !known.contains($0.version) }.map {
            MigrationStatus(version: $0.version, name: $0.name, state: .missingFile)
        }
        return statuses.sorted { $0.version < $1.version }
    }

    /// ``status(_:)`` on a reader connection of `database`.
    package func status(_ database: SQLiteDatabase) async throws -> [MigrationStatus] {
        try await database.read { connection in try self.status(connection) }
    }
}
