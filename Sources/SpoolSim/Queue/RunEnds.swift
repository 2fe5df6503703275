import HeapModule

/// When each running request ends, earliest first, so that finding the next end costs O(log n) instead of a walk
/// over every running request: with thousands running, that walk on every submit and status call was what limited
/// the emulator's accept rate.
///
/// Entries are never removed from the middle: a request cancelled while running leaves its entry behind, and
/// the scheduler drops it when it reaches the top (the request is no longer running).
struct RunEnds: Sendable {
    struct Entry: Sendable, Comparable {
        let at: Double
        let id: String

        static func < (left: Entry, right: Entry) -> Bool { left.at < right.at }
    }

    private var heap = Heap<Entry>()

    /// The earliest entry.
    var first: Entry? { heap.min }

    mutating func insert(_ entry: Entry) { heap.insert(entry) }

    /// Removes the earliest entry.
    mutating func removeFirst() { _ = heap.popMin() }
}
