extension SpoolMetrics {
    /// Seconds: from 10 ms to 1 h, for file copies.
    static let captureBuckets: [Double] = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600]

    /// One output file's copy ended: `stored` (with its bytes), `failed` or `storage_full`.
    func recordCapture(outcome: String, seconds: Double, bytes: Int64?) {
        registry.makeCounter(descriptor: Self.describe("spool_file_captures_total"), labels: [("outcome", outcome)])
            .increment()
        registry.makeValueHistogram(descriptor: Self.describe("spool_file_capture_seconds"), buckets: Self.captureBuckets)
            .record(seconds)
        if let bytes {
            registry.makeCounter(descriptor: Self.describe("spool_file_capture_bytes_total")).increment(by: bytes)
        }
    }

    /// Sets `spool_stored_bytes` for every team: those in `bytesByTeam`, and 0 for teams seen before that hold none now.
    func setStoredBytes(_ bytesByTeam: [String: Int64]) {
        let teams = storedBytesTeams.withLock { teams in
            teams.formUnion(bytesByTeam.keys)
            return teams
        }
        for team in teams {
            setClusterWide("spool_stored_bytes", labels: [("team", team)], to: Double(bytesByTeam[team] ?? 0))
        }
    }

    /// Stored files deleted by the retention sweeper.
    func recordExpiredFiles(_ count: Int) {
        registry.makeCounter(descriptor: Self.describe("spool_files_expired_total")).increment(by: Int64(count))
    }
}
