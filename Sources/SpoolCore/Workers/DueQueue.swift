/// Followed jobs ordered by when their next poll is due, earliest first (a binary min-heap): the tracker's one
/// scheduler serves them in this order, so the job that has waited longest past its time gets the next token.
///
/// Entries are never removed from the middle: a job rescheduled or no longer followed leaves a stale entry that
/// the reader skips (it compares the entry with the job's current due time).
struct DueQueue: Sendable {
    struct Entry: Sendable, Equatable {
        let due: ContinuousClock.Instant
        let jobID: String
    }

    private var heap: [Entry] = []

    var isEmpty: Bool { heap.isEmpty }

    /// The earliest entry.
    var first: Entry? { heap.first }

    mutating func insert(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].due < heap[parent].due else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry.
    mutating func removeFirst() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let first = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].due < heap[smallest].due { smallest = left }
            if right < heap.count, heap[right].due < heap[smallest].due { smallest = right }
            guard smallest != parent else { return first }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }

    mutating func removeAll() { heap.removeAll() }
}
