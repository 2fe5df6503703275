import SpoolFal

extension SpoolMetrics {
    /// Makes one call to fal and records it in `spool_fal_requests_total` and `spool_fal_request_seconds`,
    /// whatever its outcome, so that every call Spool makes is counted the same way.
    func timedFalCall<Value>(
        _ operation: String, _ call: () async throws(FalError) -> Value
    ) async throws(FalError) -> Value {
        let started = ContinuousClock.now
        do {
            let value = try await call()
            recordFalCall(operation: operation, outcome: "ok", seconds: started.secondsElapsed)
            return value
        } catch {
            recordFalCall(operation: operation, outcome: error.outcomeLabel, seconds: started.secondsElapsed)
            throw error
        }
    }
}
