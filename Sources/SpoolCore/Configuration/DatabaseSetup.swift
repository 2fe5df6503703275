import SpoolStore

/// Opens the configured database and brings its schema up to date.
public enum DatabaseSetup {
    /// Opens the database at the configured path and applies pending migrations.
    public static func open(_ configuration: SpoolConfiguration) async throws -> (SQLiteDatabase, [String]) {
        let database = try SQLiteDatabase(path: configuration.database)
        let migrator = try ResourceLocator.migrator(configuration)
        let applied = try await migrator.migrate(database)
        return (database, applied.map(\.fileName))
    }

    /// Applies pending migrations and returns the names of those applied (`spool migrate`).
    public static func migrate(_ configuration: SpoolConfiguration) async throws -> [String] {
        try await open(configuration).1
    }
}
