import Synchronization

/// Key ids that were looked up in the database and not found, each remembered for `lifetime`.
///
/// It keeps a flood of requests bearing made-up keys from becoming a flood of database reads: an unknown id
/// costs one lookup per lifetime, however often it is presented. It holds at most `capacity` ids; when full it
/// starts over empty, which keeps every operation cheap and at worst costs one more lookup per id.
final class UnknownKeyCache: Sendable {
    let capacity: Int
    let lifetime: Duration
    private let expiries = Mutex<[String: ContinuousClock.Instant]>([:])

    init(capacity: Int = 10_000, lifetime: Duration = .seconds(3)) {
        self.capacity = capacity
        self.lifetime = lifetime
    }

    /// Whether `keyID` was found unknown less than `lifetime` before `now`.
    func contains(_ keyID: String, at now: ContinuousClock.Instant = .now) -> Bool {
        expiries.withLock { expiries in
            guard let expiry = expiries[keyID] else { return false }
            if expiry > now { return true }
            expiries[keyID] = nil
            return false
        }
    }

    /// Remembers that `keyID` was not found at `now`.
    func insert(_ keyID: String, at now: ContinuousClock.Instant = .now) {
        expiries.withLock { expiries in
            if expiries.count >= capacity, expiries[keyID] == nil { expiries.removeAll(keepingCapacity: true) }
            expiries[keyID] = now + lifetime
        }
    }

    /// Forgets `keyID`, or every id when nil: a key was made (by another replica, say) and may be one of them.
    func forget(_ keyID: String?) {
        expiries.withLock { expiries in
            if let keyID { expiries[keyID] = nil } else { expiries.removeAll(keepingCapacity: true) }
        }
    }

    /// How many ids are held (an expired one stays until it is looked at or the cache starts over).
    var count: Int { expiries.withLock { $0.count } }
}
