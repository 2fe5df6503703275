import Testing
@testable import SpoolSim

@Suite("Queue scheduling (pure, on a virtual timeline)")
struct QueueSchedulerTests {
    private func request(
        _ id: String, at time: Double, queue: Double = 1, run: Double = 2, startWithin: Double? = nil
    ) -> EmulatedRequest {
        EmulatedRequest(
            id: id, endpoint: "fal-ai/app/x", servedFrom: "fal-ai/app/x", app: "fal-ai/app", submittedAt: time,
            eligibleAt: time + queue, runSeconds: run, plannedOutcome: .succeeded, webhookURL: nil, aspectRatio: "16:9", videoSeconds: 5,
            startDeadline: startWithin.map { time + $0 }, storesPayloads: true)
    }

    @Test("a lone request waits queueSeconds, runs runSeconds, then completes")
    func loneRequest() {
        var scheduler = QueueScheduler(concurrency: 2)
        scheduler.submit(request("a", at: 0), now: 0)
        scheduler.advance(to: 0.99)
        #expect(scheduler.requests["a"]?.phase == .queued)
        scheduler.advance(to: 1.0)
        #expect(scheduler.requests["a"]?.phase == .running(startedAt: 1.0))
        scheduler.advance(to: 3.5)
        #expect(scheduler.requests["a"]?.phase == .completed(startedAt: 1.0, endedAt: 3.0, outcome: .succeeded))
        #expect(scheduler.takeEnded() == ["a"])
        #expect(scheduler.takeEnded().isEmpty)
    }

    @Test("over the concurrency limit requests wait in order and their positions count down")
    func concurrencyLimit() {
        var scheduler = QueueScheduler(concurrency: 1)
        scheduler.submit(request("a", at: 0), now: 0)
        scheduler.submit(request("b", at: 0.1), now: 0.1)
        scheduler.submit(request("c", at: 0.2), now: 0.2)
        #expect(scheduler.position(of: "b") == 1)
        #expect(scheduler.position(of: "c") == 2)
        scheduler.advance(to: 1.5)
        #expect(scheduler.position(of: "b") == 0)
        #expect(scheduler.position(of: "c") == 1)
        scheduler.advance(to: 3.0)
        #expect(scheduler.requests["b"]?.phase == .running(startedAt: 3.0), "b starts the moment a ends")
        #expect(scheduler.position(of: "c") == 0)
        scheduler.advance(to: 7.0)
        #expect(scheduler.requests["c"]?.phase == .completed(startedAt: 5.0, endedAt: 7.0, outcome: .succeeded))
        #expect(scheduler.nextEventTime() == nil)
    }

    @Test("many runs of different lengths end in time order; a run cancelled early is not ended again")
    func manyRunsEndInOrder() {
        var scheduler = QueueScheduler(concurrency: 100)
        for index in 0..<50 {
            scheduler.submit(request("r\(index)", at: 0, queue: 0, run: Double(50 - index)), now: 0)
        }
        #expect(scheduler.nextEventTime() == 1)
        #expect(scheduler.cancel("r49", now: 0.5) == .cancelled)
        #expect(scheduler.takeEnded() == ["r49"])
        #expect(scheduler.nextEventTime() == 2)
        scheduler.advance(to: 10)
        #expect(scheduler.takeEnded() == (40..<49).reversed().map { "r\($0)" })
        #expect(scheduler.nextEventTime() == 11)
        scheduler.advance(to: 100)
        #expect(scheduler.takeEnded().count == 40)
        #expect(scheduler.nextEventTime() == nil)
    }

    @Test("a cancelled queued request never runs; a cancelled running one frees its slot at once")
    func cancellation() {
        var scheduler = QueueScheduler(concurrency: 1)
        scheduler.submit(request("a", at: 0), now: 0)
        scheduler.submit(request("b", at: 0), now: 0)
        scheduler.submit(request("c", at: 0), now: 0)
        #expect(scheduler.cancel("b", now: 0.5) == .cancelled)
        #expect(scheduler.requests["b"]?.phase == .completed(startedAt: nil, endedAt: 0.5, outcome: .failed(.cancelled)))
        #expect(scheduler.cancel("a", now: 2.0) == .cancelled)
        #expect(scheduler.requests["a"]?.phase == .completed(startedAt: 1.0, endedAt: 2.0, outcome: .failed(.cancelled)))
        #expect(scheduler.requests["c"]?.phase == .running(startedAt: 2.0))
        #expect(scheduler.cancel("b", now: 2.1) == .alreadyCompleted)
        #expect(scheduler.cancel("zzz", now: 2.1) == .notFound)
        #expect(scheduler.takeEnded() == ["b", "a"])
    }

    @Test("a request still waiting at its start deadline ends with request_timeout; one started in time runs")
    func startDeadline() {
        var scheduler = QueueScheduler(concurrency: 1)
        scheduler.submit(request("a", at: 0, queue: 1, run: 2), now: 0)
        scheduler.submit(request("b", at: 0, queue: 1, run: 2, startWithin: 2.5), now: 0)
        scheduler.submit(request("c", at: 0, queue: 1, run: 2, startWithin: 3), now: 0)
        scheduler.advance(to: 2.4)
        #expect(scheduler.requests["b"]?.phase == .queued)
        scheduler.advance(to: 2.6)
        #expect(scheduler.requests["b"]?.phase == .completed(startedAt: nil, endedAt: 2.5, outcome: .failed(.requestTimeout)))
        #expect(scheduler.position(of: "c") == 0)
        scheduler.advance(to: 3.5)
        #expect(scheduler.requests["c"]?.phase == .running(startedAt: 3.0), "starting at the deadline is in time")
        #expect(scheduler.takeEnded() == ["b", "a"])
    }

    @Test("a running request logs at start, every logInterval, and at the end")
    func logLines() {
        var scheduler = QueueScheduler(concurrency: 1)
        scheduler.submit(request("a", at: 0, queue: 0, run: 1), now: 0)
        scheduler.advance(to: 0.35)
        let running = scheduler.requests["a"]!.logLines(now: 0.35, logInterval: 0.1)
        #expect(running.count == 4)
        scheduler.advance(to: 2)
        let finished = scheduler.requests["a"]!.logLines(now: 2, logInterval: 0.25)
        #expect(finished.map(\.at) == [0, 0.25, 0.5, 0.75, 1.0])
        #expect(finished.last?.message == "Video generated")
    }
}
