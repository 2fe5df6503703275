/// A PostgreSQL operation that must answer in time: while the server is unreachable the pool may hold a request
/// until a connection comes, and a readiness probe must answer, not wait.
enum PostgresDeadline {
    /// `body`'s result, or `PostgresTimedOut` after `seconds` (and `body` is cancelled).
    static func within<Result: Sendable>(
        seconds: Double, _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else { throw PostgresTimedOut(seconds: seconds) }
            return result
        }
    }
}

/// PostgreSQL did not answer within a deadline.
struct PostgresTimedOut: Error, CustomStringConvertible {
    let seconds: Double
    var description: String { "PostgreSQL did not answer within \(seconds) s" }
}
