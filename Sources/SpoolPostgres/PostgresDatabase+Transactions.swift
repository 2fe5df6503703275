import Logging
import PostgresNIO

/// The isolation level a transaction runs at.
package enum TransactionIsolation: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}

extension PostgresDatabase {
    /// Runs `body` in one transaction on one leased connection: `BEGIN`, then `COMMIT` when `body` returns, or
    /// `ROLLBACK` when it throws (the error is rethrown).
    ///
    /// When the transaction fails with a serialization failure or a deadlock, it is run again from the start, up to
    /// `attempts` times in all. Only pass `attempts` above 1 when `body` does nothing but database work: whatever
    /// else it did (a request sent, a value handed out) would be done again. After a database error PostgreSQL
    /// aborts the transaction, so `body` must let such errors propagate rather than catch them and go on.
    package func transaction<Result: Sendable>(
        isolation: TransactionIsolation = .readCommitted,
        attempts: Int = 1,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await withConnection { connection in
                    try await Self.inTransaction(on: connection, isolation: isolation, logger: logger, body)
                }
            } catch let error as PostgresDatabaseError where error.isTransient && attempt < attempts {
                logger.debug("transaction retried", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                attempt += 1
            }
        }
    }

    /// `BEGIN` … `COMMIT`/`ROLLBACK` around `body` on `connection`. If the rollback itself fails the connection's
    /// state is unknown, so it is closed rather than handed back to the pool mid-transaction.
    static func inTransaction<Result: Sendable>(
        on connection: PostgresConnection, isolation: TransactionIsolation, logger: Logger,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await rows("BEGIN ISOLATION LEVEL \(unescaped: isolation.rawValue)", on: connection, logger: logger)
        let result: Result
        do {
            result = try await body(connection)
        } catch {
            do {
                try await rows("ROLLBACK", on: connection, logger: logger)
            } catch {
                try? await connection.close()
            }
            throw translated(error)
        }
        try await rows("COMMIT", on: connection, logger: logger)
        return result
    }
}
