/// `Accept: text/event-stream`: the caller wants the job's events instead of one answer.
enum AcceptHeader {
    static func wantsEventStream(_ value: String?) -> Bool {
        guard let value else { return false }
        return value.split(separator: ",").contains { part in
            part.split(separator: ";").first?.trimmingCharacters(in: " ").lowercased() == "text/event-stream"
        }
    }
}

/// `Prefer: wait` and `Prefer: wait=N` (RFC 7240): how long the caller will wait for the job to finish.
enum PreferHeader {
    /// Seconds to hold the response, capped at `maximumSeconds`; nil when no wait preference was sent.
    static func waitSeconds(_ values: [String], defaultSeconds: Double, maximumSeconds: Double) -> Double? {
        for value in values {
            for preference in value.split(separator: ",") {
                let token = preference.split(separator: ";").first?.trimmingCharacters(in: " ") ?? ""
                let parts = token.split(separator: "=", maxSplits: 1)
                guard parts.first?.lowercased() == "wait" else { continue }
                if parts.count == 1 { return min(defaultSeconds, maximumSeconds) }
                let number = parts[1].trimmingCharacters(in: "\" ")
                guard let seconds = Double(number), seconds >= 0 else { return min(defaultSeconds, maximumSeconds) }
                return min(seconds, maximumSeconds)
            }
        }
        return nil
    }
}
