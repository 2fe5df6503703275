import Foundation
import SpoolPostgres
import SpoolPostgresTesting
import SpoolTestSupport

/// The database a test gateway runs on. `make test` runs the end-to-end suites once on each: on SQLite, and again
/// with `SPOOL_TEST_BACKEND=postgres`, on a fresh database of the test run's PostgreSQL server per gateway.
enum StoreBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite, postgres

    /// The backend of this run: `SPOOL_TEST_BACKEND`, SQLite by default.
    static let current: StoreBackend = {
        ProcessInfo.processInfo.environment["SPOOL_TEST_BACKEND"].flatMap(StoreBackend.init(rawValue:)) ?? .sqlite
    }()

    /// The backends this machine can run: PostgreSQL only where its server can be started.
    static var available: [StoreBackend] { PostgresTestServer.isAvailable ? [.sqlite, .postgres] : [.sqlite] }

    var description: String { rawValue }

    /// A new, empty database on the test run's PostgreSQL server, as a `SPOOL_DATABASE_URL`.
    static func newPostgresDatabase() async throws -> String {
        let url = try await PostgresTestServer.newDatabase()
        guard case .unixSocket(let folder, let port) = url.endpoint else { return url.description }
        return "postgres://\(url.username)@localhost:\(port)/\(url.database)?host=\(folder)&sslmode=disable"
    }

    /// The PostgreSQL database of `directory`: made on first use and named in a file there, so that a gateway
    /// restarted on the same directory finds the same database, as it finds the same SQLite file.
    static func postgresDatabase(of directory: TemporaryDirectory) async throws -> String {
        let file = directory.path + "/postgres-url"
        if let url = try? String(contentsOfFile: file, encoding: .utf8) { return url }
        let url = try await newPostgresDatabase()
        try url.write(toFile: file, atomically: true, encoding: .utf8)
        return url
    }
}
