/// A binary min-heap of connection deadlines (monotonic nanoseconds).
///
/// Entries are never removed early: a connection remembers the deadline of its one live entry
/// (`Connection.timerAt`), and an entry that no longer matches is skipped when it surfaces. A connection whose
/// deadline moves later (the usual case: every request pushes the idle deadline out) keeps its old entry and
/// is re-filed when that entry comes due, so the heap costs nothing per request.
///
/// Written out here, where the tracker and the emulator use swift-collections' `Heap`: the HTTP server depends on
/// swift-log alone, so that the fuzzers (`fuzz/build.sh`) can compile it with plain `swiftc`.
struct DeadlineHeap {
    struct Entry {
        let deadline: UInt64
        let fd: Int32
        let connectionID: UInt64
    }

    private var entries: [Entry] = []

    var earliest: Entry? { entries.first }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].deadline < entries[parent].deadline else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry if it is due at `now`.
    mutating func popDue(at now: UInt64) -> Entry? {
        guard let first = entries.first, first.deadline <= now else { return nil }
        let last = entries.removeLast()
        guard !entries.isEmpty else { return first }
        entries[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < entries.count, entries[left].deadline < entries[smallest].deadline { smallest = left }
            if right < entries.count, entries[right].deadline < entries[smallest].deadline { smallest = right }
            guard smallest != parent else { break }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}
