import SpoolStore

extension SQLiteGatewayStore {
    /// Opens the SQLite file at `configuration.database` and applies pending migrations; returns the store with the
    /// names of the migrations applied.
    static func open(_ configuration: SpoolConfiguration) async throws -> (SQLiteGatewayStore, [String]) {
        let database = try SQLiteDatabase(path: configuration.database)
        let applied = try await ResourceLocator.migrator(configuration).migrate(database)
        return (SQLiteGatewayStore(database: database), applied.map(\.fileName))
    }

    /// Copies the file to `path` with SQLite's online backup, safe while a gateway runs on it.
    static func backup(_ configuration: SpoolConfiguration, to path: String) async throws {
        let (store, _) = try await open(configuration)
        try await store.database.backup(to: path)
    }
}

extension SQLiteError: StorageFullError {
    var isStorageFull: Bool { isFull }
}
