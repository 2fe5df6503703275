import Synchronization

/// What `/readyz` reports besides the database: conditions the workers raise and clear.
public final class HealthState: Sendable {
    /// One failing check, named for `/readyz`.
    public struct Problem: Sendable, Equatable {
        public var check: String
        public var message: String
    }

    private let problems = Mutex<[String: String]>([:])

    public init() {}

    /// Marks `check` failing with `message` (replacing an earlier message).
    public func fail(_ check: String, _ message: String) { problems.withLock { $0[check] = message } }

    /// Marks `check` passing.
    public func pass(_ check: String) { problems.withLock { $0[check] = nil } }

    public func isFailing(_ check: String) -> Bool { problems.withLock { $0[check] != nil } }

    /// Every failing check, sorted by name.
    public var failing: [Problem] {
        problems.withLock { $0.map { Problem(check: $0.key, message: $0.value) } }.sorted { $0.check < $1.check }
    }

    /// The check the dispatcher fails while fal refuses the configured key.
    public static let falAuth = "fal_auth"
    /// The check that fails while the workers are not running.
    public static let workers = "workers"
}
