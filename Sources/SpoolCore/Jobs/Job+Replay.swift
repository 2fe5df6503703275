/// The job as it was at a past transition, for event streams that replay history.
///
/// Rebuilt from the stored job and its history rather than stored with each history row: every field that changes
/// over a job's life is either named by the history (status, time, attempt, whether fal had accepted it, whether
/// it had started) or set only when the job ends (result, error, completion time). Storing a copy per transition
/// would write the whole job, input included, on every status change of the hot path for a rarely replayed view.
extension Job {
    /// The job as it stood right after `history[index]`; `history` is the job's history in order.
    func asOf(_ index: Int, in history: [JobEvent]) -> Job {
        let event = history[index]
        let upTo = history[...index]
        var job = self
        job.status = event.status
        job.updatedAt = event.at
        // A queued job's event names the attempt it waits for.
        job.attempts = event.status == .queued ? event.attempt - 1 : event.attempt
        job.queuePosition = nil
        if !upTo.contains(where: { $0.status == .inQueue }) { job.fal = nil }
        guard !event.status.isTerminal else { return job }
        job.result = nil
        job.error = nil
        job.completedAt = nil
        if !upTo.contains(where: { $0.status == .inProgress }) { job.startedAt = nil }
        return job
    }
}
