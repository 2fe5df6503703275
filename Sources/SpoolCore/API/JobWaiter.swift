/// Sync mode: holds a caller until its job is terminal or the wait runs out. The job itself is never affected
/// by the wait ending: it goes on, and the caller can poll or stream it.
struct JobWaiter: Sendable {
    let jobs: JobService

    /// The job once terminal, or as it stands after `seconds`.
    func wait(for id: String, principal: Principal, seconds: Double) async throws -> Job {
        let updates = jobs.hub.subscribe(to: id)
        let (current, _) = try await jobs.job(id, principal: principal)
        if current.status.isTerminal || seconds <= 0 { return current }
        let finished = await withTaskGroup(of: Job?.self) { group in
            group.addTask {
                for await update in updates {
                    if case .transition(let job, _) = update, job.status.isTerminal { return job }
                }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        if let finished { return finished }
        return try await jobs.job(id, principal: principal).0
    }
}
