import PostgresNIO
import SpoolPostgres
import SpoolPostgresTesting
import Synchronization
import Testing

@Suite("PostgreSQL transactions and errors",
       .enabled(if: PostgresTestServer.isAvailable, "\(PostgresTestServer.unavailableReason ?? "")"),
       .timeLimit(.minutes(2)))
struct PostgresTransactionTests {
    private struct Abandon: Error {}

    private func values(_ database: SpoolPostgres.PostgresDatabase) async throws -> [String] {
        try await database.query("SELECT v FROM t ORDER BY v").map { try $0.decode(String.self) }
    }

    @Test("a transaction commits when its body returns and rolls everything back when it throws")
    func commitAndRollback() async throws {
        try await withTestDatabase { database in
            try await database.query("CREATE TABLE t (v text PRIMARY KEY)")
            try await database.transaction { connection in
                _ = try await connection.query("INSERT INTO t VALUES ('kept')", logger: testLogger)
            }
            await #expect(throws: Abandon.self) {
                try await database.transaction { connection in
                    try await connection.query("INSERT INTO t VALUES ('dropped')", logger: testLogger)
                    throw Abandon()
                }
            }
            #expect(try await values(database) == ["kept"])
        }
    }

    @Test("a unique violation is a typed error with SQLSTATE 23505, the constraint and the server's message")
    func uniqueViolation() async throws {
        try await withTestDatabase { database in
            try await database.query("CREATE TABLE t (v text PRIMARY KEY)")
            try await database.query("INSERT INTO t VALUES ('x')")
            let error = await #expect(throws: PostgresDatabaseError.self) {
                try await database.transaction { connection in
                    try await connection.query("INSERT INTO t VALUES ('y')", logger: testLogger)
                    try await connection.query("INSERT INTO t VALUES ('x')", logger: testLogger)
                }
            }
            #expect(error?.kind == .uniqueViolation)
            #expect(error?.sqlState == "23505")
            #expect(error?.constraint == "t_pkey")
            #expect(error?.message.contains("duplicate key") == true)
            #expect(try await values(database) == ["x"])
        }
    }

    /// How many times a transaction body ran.
    private final class Runs: Sendable {
        private let count = Mutex(0)

        func next() -> Int {
            count.withLock { count in
                count += 1
                return count
            }
        }

        var value: Int { count.withLock { $0 } }
    }

    /// Inside a REPEATABLE READ transaction that has read `counter`, commits a change of the same row from another
    /// connection on the first run, so that the transaction's own update is a serialization failure.
    private func conflictingTransaction(_ database: SpoolPostgres.PostgresDatabase, attempts: Int, runs: Runs) async throws {
        try await database.transaction(isolation: .repeatableRead, attempts: attempts) { connection in
            let run = runs.next()
            _ = try await connection.query("SELECT n FROM counter", logger: testLogger).collect()
            if run == 1 { try await database.query("UPDATE counter SET n = n + 100") }
            try await connection.query("UPDATE counter SET n = n + 1", logger: testLogger)
        }
    }

    @Test("a serialization failure is typed (40001) and, when retries are allowed, the transaction runs again")
    func serializationFailureRetried() async throws {
        try await withTestDatabase { database in
            try await database.query("CREATE TABLE counter (n bigint NOT NULL)")
            try await database.query("INSERT INTO counter VALUES (0)")

            let once = Runs()
            let error = await #expect(throws: PostgresDatabaseError.self) {
                try await conflictingTransaction(database, attempts: 1, runs: once)
            }
            #expect(error?.kind == .serializationFailure)
            #expect(error?.sqlState == "40001")
            #expect(error?.isTransient == true)

            let retried = Runs()
            try await conflictingTransaction(database, attempts: 3, runs: retried)
            #expect(retried.value == 2)
            #expect(try await database.query("SELECT n FROM counter").map { try $0.decode(Int64.self) } == [201])
        }
    }

    @Test("a connection the server ends is a connection failure, distinct from any server error")
    func serverEndsConnection() async throws {
        try await withTestDatabase { database in
            let error = await #expect(throws: PostgresDatabaseError.self) {
                try await database.query("SELECT pg_terminate_backend(pg_backend_pid())")
            }
            #expect(error?.kind == .connectionFailure)
            #expect(error?.sqlState == "57P01")
        }
    }

    /// The pool can lease a connection whose channel has closed before it hears of the close; PostgresNIO alone
    /// would never answer a query written to it.
    @Test("a query on a connection that has already closed fails at once as a connection failure, not never")
    func closedConnection() async throws {
        try await withTestDatabase { database in
            // Without the check the statement is never answered and the suite's time limit fails the test.
            let error = await #expect(throws: PostgresDatabaseError.self) {
                try await database.withConnection { connection in
                    try await connection.close()
                    try await SpoolPostgres.PostgresDatabase.rows("SELECT 1", on: connection, logger: testLogger)
                }
            }
            #expect(error?.kind == .connectionFailure)
            let after = try await database.query("SELECT 1")
            #expect(after.count == 1, "the pool replaces the closed connection")
        }
    }

    @Test("a query on a pool that was shut down is a connection failure")
    func afterShutdown() async throws {
        let server = try await PostgresTestServer.url.value
        let database = SpoolPostgres.PostgresDatabase(url: server, logger: testLogger)
        #expect(try await database.query("SELECT 1").count == 1)
        await database.shutdown()
        let error = await #expect(throws: PostgresDatabaseError.self) { try await database.query("SELECT 1") }
        #expect(error?.kind == .connectionFailure)
    }
}
