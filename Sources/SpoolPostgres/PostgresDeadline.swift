import Synchronization

/// A PostgreSQL operation that must answer in time: while the server is unreachable the pool may hold a request
/// until a connection comes, and a server that stopped answering holds a query for as long as TCP takes to notice
/// (hours, without keepalives); a readiness probe or a connection check must answer, not wait.
package enum PostgresDeadline {
    /// `body`'s result, or `PostgresTimedOut` after `seconds`.
    ///
    /// At the deadline `body` is cancelled but not waited for: a task group would wait for it, and what PostgreSQL
    /// work ignores cancellation (a query already written) would hold the answer past the deadline. `body` ends
    /// on its own, with its result dropped.
    package static func within<Result: Sendable>(
        seconds: Double, _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let outcome = FirstOutcome<Result>()
        return try await withCheckedThrowingContinuation { continuation in
            outcome.await(continuation)
            let work = Task {
                do { outcome.settle(.success(try await body())) } catch { outcome.settle(.failure(error)) }
            }
            let deadline = Task {
                try await Task.sleep(for: .seconds(seconds))
                work.cancel()
                outcome.settle(.failure(PostgresTimedOut(seconds: seconds)))
            }
            outcome.whenSettled { deadline.cancel() }
        }
    }
}

/// The first of several results, handed to one waiting continuation; later results are dropped.
private final class FirstOutcome<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, any Error>?
        var settled = false
        var onSettle: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    func await(_ continuation: CheckedContinuation<Value, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Runs `action` once a result is in (at once if one already is).
    func whenSettled(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLock { state in
            if state.settled { return true }
            state.onSettle = action
            return false
        }
        if now { action() }
    }

    func settle(_ result: Result<Value, any Error>) {
        let taken = state.withLock { state -> (CheckedContinuation<Value, any Error>?, (@Sendable () -> Void)?)? in
            guard !state.settled else { return nil }
            state.settled = true
            defer { state.continuation = nil; state.onSettle = nil }
            return (state.continuation, state.onSettle)
        }
        guard let (continuation, onSettle) = taken else { return }
        continuation?.resume(with: result)
        onSettle?()
    }
}

/// PostgreSQL did not answer within a deadline.
package struct PostgresTimedOut: Error, CustomStringConvertible {
    package let seconds: Double
    package var description: String { "PostgreSQL did not answer within \(seconds) s" }
}
