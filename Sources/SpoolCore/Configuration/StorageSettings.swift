extension SpoolConfiguration {
    /// Where and how Spool keeps the output files it copies from fal (README, "Stored files").
    package struct Storage: Sendable, Equatable {
        /// The folder of the local backend; nil means a `files` folder
        /// beside the SQLite file.
        package var path: String?
        /// Whether `path` is a folder every replica mounts: declared, not detected.
        package var shared = false
        /// The largest file copied; a larger one stays at fal, its entry says why.
        package var maxFileBytes: Int64 = 2 * 1024 * 1024 * 1024
        /// Whether the URLs inside a job's `result` point at Spool's copies
        /// instead of fal's; off by default, so that `result` is fal's output unchanged.
        package var rewriteResultURLs = false
        /// Days a stored file is kept; nil keeps files forever.
        package var retentionDays: Double?
        /// The key of signed links; nil: one generated once and kept in the database.
        package var linkSecret: String?
        /// Files copied at once, over all jobs.
        package var concurrency = 4
        /// Seconds between two sweeps for files past their retention.
        package var sweepIntervalSeconds = 300.0
        package init() {}

        /// The folder of the local backend: `path`, or `files` beside the database file.
        package func folder(database: String) -> String {
            if let path { return path }
            guard let slash = database.lastIndex(of: "/") else { return "files" }
            return String(database[..<slash]) + "/files"
        }
    }
}
