import SpoolPostgres
import Testing

@Suite("PostgreSQL deadlines")
struct PostgresDeadlineTests {
    /// Work that ignores cancellation, as a query already written to PostgreSQL does, and ends after `seconds`.
    private static func uncancellable(seconds: Double) async -> Int {
        let end = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(20)) }
        return 1
    }

    @Test("work that answers in time gives its result")
    func answersInTime() async throws {
        #expect(try await PostgresDeadline.within(seconds: 5) { 42 } == 42)
    }

    @Test("work that does not answer in time is a timeout, though it ignores cancellation")
    func timesOut() async throws {
        await #expect(throws: PostgresTimedOut.self) {
            try await PostgresDeadline.within(seconds: 0.1) { await Self.uncancellable(seconds: 2) }
        }
    }

    @Test("a caller cancelled while the work goes on gets a cancellation, not the work's late result")
    func callerCancelled() async throws {
        let waiting = Task { try await PostgresDeadline.within(seconds: 30) { await Self.uncancellable(seconds: 2) } }
        try await Task.sleep(for: .milliseconds(100))
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
    }
}
