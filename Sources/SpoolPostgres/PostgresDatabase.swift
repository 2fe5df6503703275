import Logging
import PostgresNIO

/// A PostgreSQL database reached through PostgresNIO's pooled client.
///
/// Creating one starts the pool's run loop in its own task; ``shutdown()`` cancels it and waits until every
/// connection is closed. Queries run on NIO's event loops and are awaited, so no thread (and none of the HTTP
/// server's loops) ever blocks on the database. Errors from the server or the connection come out as
/// ``PostgresDatabaseError``; errors thrown by the caller's own closures pass through unchanged.
package final class PostgresDatabase: Sendable {
    package let url: PostgresURL
    let client: PostgresClient
    let logger: Logger
    private let runLoop: Task<Void, Never>

    /// A pool of at most `maximumConnections` connections to `url`, running until ``shutdown()``.
    package init(url: PostgresURL, maximumConnections: Int = 20, logger: Logger) {
        var configuration = url.clientConfiguration
        configuration.options.maximumConnections = maximumConnections
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.url = url
        self.client = client
        self.logger = logger
        runLoop = Task { await client.run() }
    }

    /// Stops the pool and waits for its connections to close. Queries after this fail as connection failures.
    package func shutdown() async {
        runLoop.cancel()
        await runLoop.value
    }

    /// Runs `body` with a connection leased from the pool, given back when `body` returns or throws.
    /// A connection that cannot be had (the server is down, the pool is shut) is a `.connectionFailure`.
    package func withConnection<Result: Sendable>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        var leased = false
        do {
            return try await client.withConnection(isolation: isolation) { connection in
                leased = true
                return try await body(connection)
            }
        } catch {
            if !leased, !(error is PostgresDatabaseError) {
                throw PostgresDatabaseError(kind: .connectionFailure, sqlState: nil,
                                    message: "no connection to \(url): \(PostgresDatabaseError(error).message)")
            }
            throw Self.translated(error)
        }
    }

    /// Runs one statement on a pooled connection and returns its rows.
    @discardableResult
    package func query(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await withConnection { connection in try await Self.rows(query, on: connection, logger: self.logger) }
    }

    /// Runs one statement on `connection` and returns its rows, with errors as ``PostgresDatabaseError``.
    ///
    /// The query is written from the connection's event loop, after checking there that the connection is open.
    /// PostgresNIO hands a query to its channel without a write promise, so a query written to a channel that has
    /// closed (the pool can lease a connection before it learns of the close, as after `pg_terminate_backend` or a
    /// server restart) is neither answered nor failed, and its caller would wait for good. On the loop, an open
    /// channel still has its handlers, which answer the query or fail it when the connection goes.
    @discardableResult
    package static func rows(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger)
        async throws(PostgresDatabaseError) -> [PostgresRow] {
        let answer = connection.eventLoop.flatSubmit { () -> EventLoopFuture<PostgresQueryResult> in
            guard !connection.isClosed else {
                return connection.eventLoop.makeFailedFuture(PostgresDatabaseError(
                    kind: .connectionFailure, sqlState: nil, message: "the connection had closed before the query"))
            }
            return connection.query(query, logger: logger)
        }
        do {
            return try await answer.get().rows
        } catch {
            throw PostgresDatabaseError(error)
        }
    }

    /// PostgresNIO's errors as ``PostgresDatabaseError``; any other error unchanged.
    static func translated(_ error: any Error) -> any Error {
        switch error {
        case is PSQLError, is PostgresTransactionError: PostgresDatabaseError(error)
        default: error
        }
    }
}
