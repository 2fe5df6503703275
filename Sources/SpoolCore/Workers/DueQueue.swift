import HeapModule

/// Followed jobs ordered by when their next poll is due, earliest first: the tracker's one scheduler serves them in
/// this order, so the job that has waited longest past its time gets the next token.
///
/// Entries are never removed from the middle: a job rescheduled or no longer followed leaves a stale entry that
/// the reader skips (it compares the entry with the job's current due time).
struct DueQueue: Sendable {
    struct Entry: Sendable, Comparable {
        let due: ContinuousClock.Instant
        let jobID: String

        static func < (left: Entry, right: Entry) -> Bool { left.due < right.due }
    }

    private var heap = Heap<Entry>()

    var isEmpty: Bool { heap.isEmpty }

    /// The earliest entry.
    var first: Entry? { heap.min }

    mutating func insert(_ entry: Entry) { heap.insert(entry) }

    /// Removes and returns the earliest entry.
    mutating func removeFirst() -> Entry? { heap.popMin() }

    mutating func removeAll() { heap = Heap() }
}
