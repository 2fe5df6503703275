import Synchronization

/// Collectors already looked up in the registry, by the label values that tell them apart, so that counting an
/// event costs one dictionary lookup instead of a registry lookup (which validates the metric's name, labels and
/// help text and hashes its labels under the registry's lock, on every call).
///
/// Bounded: past `capacity` keys (label values a client made up, say) it stops growing and `make` runs each time,
/// which is what every call cost before.
final class MetricSeriesCache<Key: Hashable & Sendable, Series: Sendable>: Sendable {
    static var capacity: Int { 1024 }

    private let cached = Mutex<[Key: Series]>([:])

    /// The series of `key`: cached, or made by `make` (a registry lookup) and cached while there is room.
    func series(_ key: Key, make: () -> Series) -> Series {
        if let found = cached.withLock({ $0[key] }) { return found }
        let made = make()
        cached.withLock { cached in
            if cached.count < Self.capacity { cached[key] = made }
        }
        return made
    }
}
