import Synchronization

/// What `/readyz` reports besides the database: conditions the workers raise and clear.
package final class HealthState: Sendable {
    /// One failing check, named for `/readyz`.
    package struct Problem: Sendable, Equatable {
        package var check: String
        package var message: String
    }

    private let problems = Mutex<[String: String]>([:])

    package init() {}

    /// Marks `check` failing with `message` (replacing an earlier message).
    package func fail(_ check: String, _ message: String) { problems.withLock { $0[check] = message } }

    /// Marks `check` passing.
    package func pass(_ check: String) { problems.withLock { $0[check] = nil } }

    package func isFailing(_ check: String) -> Bool { problems.withLock { $0[check] != nil } }

    /// Every failing check, sorted by name.
    package var failing: [Problem] {
        problems.withLock { $0.map { Problem(check: $0.key, message: $0.value) } }.sorted { $0.check < $1.check }
    }

    /// The check the dispatcher fails while fal refuses the configured key.
    package static let falAuth = "fal_auth"
    /// The check that fails while the workers are not running.
    package static let workers = "workers"
}
