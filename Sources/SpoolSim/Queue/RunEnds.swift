/// When each running request ends, earliest first (a binary min-heap), so that finding the next end costs
/// O(log n) instead of a walk over every running request: with thousands running, that walk on every submit
/// and status call was what limited the emulator's accept rate.
///
/// Entries are never removed from the middle: a request cancelled while running leaves its entry behind, and
/// the scheduler drops it when it reaches the top (the request is no longer running).
struct RunEnds: Sendable {
    struct Entry: Sendable, Equatable {
        let at: Double
        let id: String
    }

    private var heap: [Entry] = []

    /// The earliest entry.
    var first: Entry? { heap.first }

    mutating func insert(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].at < heap[parent].at else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes the earliest entry.
    mutating func removeFirst() {
        guard !heap.isEmpty else { return }
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].at < heap[smallest].at { smallest = left }
            if right < heap.count, heap[right].at < heap[smallest].at { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
