/// Where a job is in its life. The last three are terminal: once there, a job never changes again.
package enum JobStatus: String, Sendable, CaseIterable, Codable {
    /// Stored, waiting for a worker; also after a retryable failure.
    case queued
    /// A worker is handing it to fal.
    case submitting
    /// Accepted by fal, waiting in fal's queue.
    case inQueue = "in_queue"
    /// Running at fal.
    case inProgress = "in_progress"
    case completed
    case failed
    case cancelled

    package var isTerminal: Bool { self == .completed || self == .failed || self == .cancelled }

    /// At fal: its request id is known and it is followed there.
    package var isAtFal: Bool { self == .inQueue || self == .inProgress }

    /// The statuses counted as waiting and as in flight in queue depth and quotas.
    package static let waiting: [JobStatus] = [.queued]
    package static let inFlight: [JobStatus] = [.submitting, .inQueue, .inProgress]

    /// Whether a job may move from this status to `next`.
    package func canMove(to next: JobStatus) -> Bool {
        switch (self, next) {
        case (.queued, .submitting), (.queued, .cancelled), (.queued, .failed): return true
        case (.submitting, .inQueue), (.submitting, .queued), (.submitting, .failed), (.submitting, .cancelled),
             (.submitting, .inProgress), (.submitting, .completed):
            return true
        case (.inQueue, .inProgress), (.inQueue, .completed), (.inQueue, .failed), (.inQueue, .cancelled),
             (.inQueue, .queued):
            return true
        case (.inProgress, .completed), (.inProgress, .failed), (.inProgress, .cancelled), (.inProgress, .queued):
            return true
        default: return false
        }
    }
}
