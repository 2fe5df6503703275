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

    /// Stored files deleted by the retention sweeper.
    func recordExpiredFiles(_ count: Int) {
        registry.makeCounter(descriptor: Self.describe("spool_files_expired_total")).increment(by: Int64(count))
    }
}
