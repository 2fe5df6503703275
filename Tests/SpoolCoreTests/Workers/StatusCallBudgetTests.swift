import Testing
@testable import SpoolCore

@Suite("StatusCallBudget: the token bucket of status calls to fal")
struct StatusCallBudgetTests {
    @Test("a full bucket gives one second's worth of tokens, then says how long until the next")
    func drainsThenWaits() throws {
        let start = ContinuousClock.now
        var budget = StatusCallBudget(perSecond: 10, now: start)
        for _ in 0..<10 { #expect(budget.take(at: start) == nil) }
        let wait = budget.take(at: start)
        #expect(wait.map { abs($0 - 0.1) < 1e-9 } == true)
        // Asking again without time passing takes nothing.
        #expect(budget.take(at: start) != nil)
        #expect(budget.take(at: start + .milliseconds(100)) == nil)
        #expect(budget.take(at: start + .milliseconds(100)) != nil)
    }

    @Test("tokens refill at the rate but never beyond one second's worth")
    func refillCapped() {
        let start = ContinuousClock.now
        var budget = StatusCallBudget(perSecond: 5, now: start)
        let later = start + .seconds(60)
        var taken = 0
        while budget.take(at: later) == nil { taken += 1 }
        #expect(taken == 5)
    }

    @Test("over any span the calls allowed are the rate times the span, plus the one-second burst")
    func rateOverSpan() {
        let start = ContinuousClock.now
        var budget = StatusCallBudget(perSecond: 20, now: start)
        var taken = 0
        for step in 0...300 {
            // Every 10 ms for 3 s, as many tokens as the bucket gives.
            let now = start + .milliseconds(10 * step)
            while budget.take(at: now) == nil { taken += 1 }
        }
        #expect(taken <= 20 * 3 + 20 + 1)
        #expect(taken >= 20 * 3)
    }

    @Test("a rate of 0 means no budget")
    func unlimited() {
        var budget = StatusCallBudget(perSecond: 0)
        for _ in 0..<10_000 { #expect(budget.take() == nil) }
    }
}
