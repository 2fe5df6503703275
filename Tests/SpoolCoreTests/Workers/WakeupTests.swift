import Testing
@testable import SpoolCore

@Suite("Wakeup: the doorbell of the worker loops")
struct WakeupTests {
    @Test("a ring ends a wait at once, and the cancelled timer leaves no stale ring behind")
    func noStaleRing() async throws {
        let wakeup = Wakeup()
        wakeup.ring()
        let rung = ContinuousClock.now
        #expect(await wakeup.wait(upTo: 30))
        #expect(ContinuousClock.now - rung < .seconds(10))
        // The first wait's timer was cancelled; were it to ring anyway, this wait would end at once and a worker
        // loop would spin.
        let started = ContinuousClock.now
        #expect(await wakeup.wait(upTo: 0.3))
        #expect(ContinuousClock.now - started >= .milliseconds(250))
    }

    @Test("rings while nobody waits count once; a closed wakeup ends waits with false")
    func coalesceAndClose() async throws {
        let wakeup = Wakeup()
        wakeup.ring()
        wakeup.ring()
        #expect(await wakeup.wait(upTo: 30))
        let started = ContinuousClock.now
        #expect(await wakeup.wait(upTo: 0.2))
        #expect(ContinuousClock.now - started >= .milliseconds(150))
        wakeup.close()
        #expect(await wakeup.wait(upTo: 30) == false)
    }
}
