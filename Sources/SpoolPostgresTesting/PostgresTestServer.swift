import Foundation
import Logging
import PostgresNIO
import SpoolPostgres
import Synchronization

/// The one PostgreSQL server of a test run (of the PostgreSQL tests and the gateway tests on PostgreSQL), started by `scripts/postgres-test-server.sh` the first time a test asks
/// for it, on a unix socket in a throwaway folder. It is stopped (and the folder deleted) when the test process
/// exits: by an `atexit` handler, and by the script's watchdog if the process dies without running it.
package enum PostgresTestServer {
    /// Why PostgreSQL tests cannot run on this machine, or nil when they can.
    package static let unavailableReason: String? = {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let candidates = folders + versions.map { "/usr/lib/postgresql/\($0)/bin" }
        guard candidates.contains(where: { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }) else {
            return "PostgreSQL is not installed (no initdb): run scripts/install-deps.sh test"
        }
        return nil
    }()

    /// Whether the PostgreSQL tests run here.
    package static var isAvailable: Bool { unavailableReason == nil }

    /// The server's URL (database `postgres`), or why it could not be started. The start blocks for seconds
    /// (`initdb`, then the server), so it runs on a thread of its own, never on the cooperative threads the other
    /// tests' servers and clients need meanwhile.
    package static let url = Task<PostgresURL, any Error> {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try start() }) }
        }
    }

    /// Starts the server and installs the exit handler that stops it.
    private static func start() throws -> PostgresURL {
        let script = repositoryRoot + "/scripts/postgres-test-server.sh"
        let output = try run(script, "start", String(ProcessInfo.processInfo.processIdentifier))
        guard let folder = output.split(separator: "\n").last.map(String.init), folder.hasPrefix("/") else {
            throw ServerFailure(description: "the start script printed no folder: \(output)")
        }
        startedFolder.withLock { $0 = folder }
        atexit { PostgresTestServer.stopAtExit() }
        return PostgresURL(endpoint: .unixSocket(folder: folder, port: 5432), username: "postgres",
                           password: nil, database: "postgres", sslMode: .disable)
    }

    /// A new, empty database on the server, for one test or one gateway: its URL.
    package static func newDatabase() async throws -> PostgresURL {
        let server = try await url.value
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = SpoolPostgres.PostgresDatabase(url: server, maximumConnections: 1, logger: testLogger)
        do {
            try await admin.query("CREATE DATABASE \(unescaped: name)")
        } catch {
            await admin.shutdown()
            throw error
        }
        await admin.shutdown()
        return server.with(database: name)
    }

    /// The folder the server runs in, for the exit handler.
    private static let startedFolder = Mutex<String?>(nil)

    /// Stops the server's processes `pids` (`SIGSTOP`) and lets them go on after `seconds`: meanwhile their
    /// connections stay open and answer nothing, as those to a server that failed over or behind a dropped network
    /// path do. A shell in the background lets them go on, even if this test process ends first. Takes root.
    package static func stall(_ pids: [Int32], seconds: Int) throws {
        let list = pids.map(String.init).joined(separator: " ")
        _ = try run("/bin/sh", "-c", "kill -STOP \(list) && (sleep \(seconds); kill -CONT \(list)) >/dev/null 2>&1 </dev/null &")
    }

    /// The migrations of the PostgreSQL dialect in this checkout.
    package static let migrationsDirectory = repositoryRoot + "/migrations/postgres"

    package static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    private static func stopAtExit() {
        guard let folder = startedFolder.withLock({ $0 }) else { return }
        _ = try? run(repositoryRoot + "/scripts/postgres-test-server.sh", "stop", folder)
    }

    /// Runs the shell command `arguments` (each quoted) and returns what it printed, standard error included;
    /// throws with that when it fails. `popen`, because Foundation's `Process.waitUntilExit` spins the calling
    /// thread's run loop and does not return on a cooperative thread here.
    private static func run(_ arguments: String...) throws(ServerFailure) -> String {
        let command = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            .joined(separator: " ")
        guard let stream = popen(command + " 2>&1", "r") else {
            throw ServerFailure(description: "cannot run \(arguments[0])")
        }
        var printed: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, stream)
            if count == 0 { break }
            printed.append(contentsOf: buffer[0..<count])
        }
        let status = pclose(stream)
        let output = String(decoding: printed, as: UTF8.self)
        guard status == 0 else {
            throw ServerFailure(description: "\(arguments.joined(separator: " ")) failed: \(output)")
        }
        return output
    }

    struct ServerFailure: Error, CustomStringConvertible {
        let description: String
    }
}

/// Runs `body` with a pool on a new, empty database of the shared test server (migrated first when `migrated`),
/// and shuts the pool down afterwards.
package func withTestDatabase<T: Sendable>(
    migrated: Bool = false, _ body: (SpoolPostgres.PostgresDatabase) async throws -> T
) async throws -> T {
    let database = SpoolPostgres.PostgresDatabase(url: try await PostgresTestServer.newDatabase(), logger: testLogger)
    do {
        if migrated { try await PostgresMigrator(directory: PostgresTestServer.migrationsDirectory).migrate(database) }
        let result = try await body(database)
        await database.shutdown()
        return result
    } catch {
        await database.shutdown()
        throw error
    }
}

/// Errors only: PostgresNIO warns when a query comes before the pool's run loop has started, which is harmless
/// (the query waits for it) and happens in most tests.
package let testLogger: Logger = {
    var logger = Logger(label: "spool.postgres.tests")
    logger.logLevel = .error
    return logger
}()

/// Polls `condition` every few milliseconds until it holds, failing after `seconds`.
package func waitUntil(seconds: Double = 10, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TimedOut() }
        try await Task.sleep(for: .milliseconds(5))
    }
}

package struct TimedOut: Error {}
