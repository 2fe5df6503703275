import SpoolJSON
import Testing
@testable import SpoolCore

/// A transition can reach a replica's hub twice (published after its commit, and read back after its `NOTIFY`):
/// watchers get it once.
@Suite("Event hub: a transition handed out once per watcher")
struct JobEventHubRepeatsTests {
    @Test("a transition published again after a watcher got it is not handed out again; what follows it is")
    func repeatedTransitionDropped() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let id = try #require(try await spool.request(.post, "/v1/jobs", key: key, json: submission()).json["id"]?.stringValue)
            _ = try await spool.waitUntilTerminal(id, key: key)
            let (job, history) = try #require(try await spool.gateway.store.jobWithHistory(id))
            let last = try #require(history.last)
            let hub = spool.gateway.hub
            var updates = hub.subscribe(to: id).makeAsyncIterator()
            hub.publish(.transition(job, last))
            hub.publish(.transition(job, last))
            hub.publish(.log(jobID: id, line: "after the repeat"))
            guard case .transition(_, let first)? = await updates.next() else {
                Issue.record("the first publication was not handed out")
                return
            }
            #expect(first.sequence == last.sequence)
            guard case .log(_, let line)? = await updates.next() else {
                Issue.record("the repeated transition was handed out again")
                return
            }
            #expect(line == "after the repeat")
        }
    }
}
