import SpoolJSON

/// A job's history entry as one of fal's log lines (`{"message", "level", "source", "timestamp"}`), for status
/// answers about a job the surface did not follow live: fal's own log lines are relayed only while a job runs
/// and are not stored, so after a restart the history is what survives. Source `spool`, level `ERROR` for a
/// failure, `INFO` otherwise.
enum FalHistoryLog {
    static func line(_ event: JobEvent) -> JSONValue {
        let message = event.note.map { "\(event.status.rawValue): \($0)" } ?? event.status.rawValue
        return [
            "message": .string(message), "level": .string(event.status == .failed ? "ERROR" : "INFO"),
            "source": "spool", "timestamp": .string(event.at.rfc3339),
        ]
    }
}
