import Synchronization

/// A PostgreSQL operation that must answer in time: while the server is unreachable the pool may hold a request
/// until a connection comes, and a server that stopped answering holds a query for as long as TCP takes to notice
/// (hours, without keepalives); a readiness probe or a connection check must answer, not wait.
package enum PostgresDeadline {
    /// `body`'s result, `PostgresTimedOut` after `seconds`, or `CancellationError` as soon as the caller is cancelled.
    ///
    /// `body` runs in a task of its own and is not waited for: a task group would wait for it, and PostgreSQL work
    /// ignores cancellation (a query already written), so it would hold the answer past the deadline. At the
    /// deadline `body` is cancelled; it ends on its own, with its result dropped.
    package static func within<Result: Sendable>(
        seconds: Double, _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let answer = FirstAnswer<Result>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                answer.deliver(to: continuation)
                let work = Task {
                    do { answer.settle(.success(try await body())) } catch { answer.settle(.failure(error)) }
                }
                Task {
                    try? await Task.sleep(for: .seconds(seconds))
                    work.cancel()
                    answer.settle(.failure(PostgresTimedOut(seconds: seconds)))
                }
            }
        } onCancel: {
            answer.settle(.failure(CancellationError()))
        }
    }
}

/// The first of several results, resumed on one continuation; the later ones are dropped. A result may come before
/// the continuation does (a caller cancelled before it waits): it is kept and delivered when it comes.
private final class FirstAnswer<Value: Sendable>: Sendable {
    private enum State {
        case waiting(CheckedContinuation<Value, any Error>?)
        case answered(Result<Value, any Error>)
        case delivered
    }

    private let state = Mutex(State.waiting(nil))

    func deliver(to continuation: CheckedContinuation<Value, any Error>) {
        let ready = state.withLock { state -> Result<Value, any Error>? in
            guard case .answered(let result) = state else {
                state = .waiting(continuation)
                return nil
            }
            state = .delivered
            return result
        }
        if let ready { continuation.resume(with: ready) }
    }

    func settle(_ result: Result<Value, any Error>) {
        let waiting = state.withLock { state -> CheckedContinuation<Value, any Error>? in
            guard case .waiting(let continuation) = state else { return nil }
            state = continuation == nil ? .answered(result) : .delivered
            return continuation
        }
        waiting?.resume(with: result)
    }
}

/// PostgreSQL did not answer within a deadline.
package struct PostgresTimedOut: Error, CustomStringConvertible {
    package let seconds: Double
    package var description: String { "PostgreSQL did not answer within \(seconds) s" }
}
