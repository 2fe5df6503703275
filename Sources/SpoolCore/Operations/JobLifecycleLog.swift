import Logging

/// One info line per committed transition of a job, so that an operator can follow a job's life in the log
/// (`job_id` on every line): sent to fal (with fal's request id), queued and running there, and its end with the
/// error code of a failure. It watches the job event hub, which sees every committed transition once; the line
/// for the first `queued` is the submit's own "job accepted".
struct JobLifecycleLog: Sendable {
    let logger: Logger

    /// Writes the line for `update` when it is a transition; other updates (queue moves, fal's log lines) are not
    /// logged here.
    func record(_ update: JobUpdate) {
        guard case .transition(let job, let event) = update else { return }
        var metadata: Logger.Metadata = [
            "job_id": .string(job.id), "status": .string(job.status.rawValue),
            "attempt": .stringConvertible(event.attempt),
        ]
        if let requestID = job.fal?.requestID { metadata["fal_request_id"] = .string(requestID) }
        if let note = event.note { metadata["note"] = .string(note) }
        let message: Logger.Message
        switch job.status {
        case .queued:
            guard event.sequence > 1 else { return }
            message = "job queued again"
        case .submitting:
            message = "job submitting to fal"
        case .inQueue:
            message = "job submitted to fal"
            if let position = job.queuePosition { metadata["queue_position"] = .stringConvertible(position) }
        case .inProgress:
            message = "job running at fal"
        case .completed:
            message = "job completed"
        case .failed:
            message = "job failed"
            if let error = job.error { metadata["error_code"] = .string(error.code) }
        case .cancelled:
            message = "job cancelled"
        }
        logger.info(message, metadata: metadata)
    }
}
