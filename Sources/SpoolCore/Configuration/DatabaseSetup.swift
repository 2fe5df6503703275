import Logging

/// Opens the configured store and brings its schema up to date: PostgreSQL when `database_url`
/// (`SPOOL_DATABASE_URL`) is set, otherwise the SQLite file at `database` (`SPOOL_DB`).
package enum DatabaseSetup {
    /// Opens the store and applies pending migrations; returns it with the names of the migrations applied.
    static func open(_ configuration: SpoolConfiguration, logger: Logger = Logger(label: "spool.store"))
        async throws -> (any GatewayStore, [String]) {
        if let url = configuration.databaseURL {
            let (store, applied) = try await PostgresGatewayStore.open(configuration, url: url, logger: logger)
            return (store, applied)
        }
        let (store, applied) = try await SQLiteGatewayStore.open(configuration)
        return (store, applied)
    }

    /// Applies pending migrations and returns the names of those applied (`spool migrate`). On PostgreSQL, safe
    /// from several replicas at once.
    package static func migrate(_ configuration: SpoolConfiguration) async throws -> [String] {
        let (store, applied) = try await open(configuration)
        await store.close()
        return applied
    }

    /// Where the configured store is, for messages: the SQLite file, or the PostgreSQL URL without its password.
    package static func location(_ configuration: SpoolConfiguration) -> String {
        guard let url = configuration.databaseURL else { return configuration.database }
        return PostgresGatewayStore.maskedLocation(url)
    }

    /// Runs `body` with the store's API keys (`spool keys`), migrated first, and closes the store afterwards.
    package static func withKeys<Result: Sendable>(
        _ configuration: SpoolConfiguration, _ body: (any KeyStore) async throws -> Result
    ) async throws -> Result {
        let (store, _) = try await open(configuration)
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    /// Copies the SQLite database to `path` with SQLite's online backup, safe while the gateway runs
    /// (`spool backup`). On PostgreSQL it refuses: the server's own tools back it up.
    package static func backup(_ configuration: SpoolConfiguration, to path: String) async throws {
        if configuration.databaseURL != nil {
            throw ConfigurationError(
                "spool backup copies a SQLite file, and this configuration runs on PostgreSQL (SPOOL_DATABASE_URL); "
                    + "back it up with PostgreSQL's tools instead, e.g. pg_dump --format=custom --file=spool.dump")
        }
        try await SQLiteGatewayStore.backup(configuration, to: path)
    }
}
