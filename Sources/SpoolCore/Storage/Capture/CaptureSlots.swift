/// At most `limit` file copies at once, over all jobs; the others wait their turn in arrival order.
actor CaptureSlots {
    private let limit: Int
    private var inUse = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = max(1, limit) }

    /// Runs `body` in a slot.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        if inUse >= limit {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            inUse += 1
        }
        defer { release() }
        return try await body()
    }

    /// Hands the slot to the next waiter, or frees it.
    private func release() {
        if waiting.isEmpty {
            inUse -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
