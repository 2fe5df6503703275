extension SpoolConfiguration {
    /// Where and how Spool keeps the output files it copies from fal (README, "Stored files").
    public struct Storage: Sendable, Equatable {
        /// The folder of the local backend (`storage.path`, `SPOOL_STORAGE_PATH`); nil means a `files` folder
        /// beside the SQLite file.
        public var path: String?
        /// Whether `path` is a folder every replica mounts (`storage.shared`): declared, not detected.
        public var shared = false
        /// The largest file copied (`storage.max_file_bytes`); a larger one stays at fal, its entry says why.
        public var maxFileBytes: Int64 = 2 * 1024 * 1024 * 1024
        /// Whether the URLs inside a job's `result` point at Spool's copies (`storage.rewrite_result_urls`)
        /// instead of fal's; off by default, so that `result` is fal's output unchanged.
        public var rewriteResultURLs = false
        /// Days a stored file is kept (`storage.retention_days`); nil keeps files forever.
        public var retentionDays: Double?
        /// The key of signed links (`SPOOL_STORAGE_LINK_SECRET`); nil: one generated once and kept in the database.
        public var linkSecret: String?
        /// Files copied at once, over all jobs (`storage.concurrency`).
        public var concurrency = 4
        /// Seconds between two sweeps for files past their retention (`storage.sweep_interval_seconds`).
        public var sweepIntervalSeconds = 300.0
        public init() {}

        /// The folder of the local backend: `path`, or `files` beside the database file.
        public func folder(database: String) -> String {
            if let path { return path }
            guard let slash = database.lastIndex(of: "/") else { return "files" }
            return String(database[..<slash]) + "/files"
        }
    }
}
