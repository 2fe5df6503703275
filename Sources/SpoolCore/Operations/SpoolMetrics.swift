import Prometheus
import SpoolHTTP
import Synchronization

/// Spool's Prometheus metrics, all named `spool_…`. Counters and histograms are kept by swift-prometheus's
/// registry as things happen; gauges of stored state (jobs by status) are set from the database at scrape time.
///
/// Every metric of this process carries a `replica` label (`SPOOL_REPLICA_ID`), so that the replicas of one
/// database can be told apart and summed; the gauges read from the database (`setClusterWide`) are the whole
/// cluster's, the same on every replica, and carry none.
package final class SpoolMetrics: Sendable {
    package let registry: PrometheusCollectorRegistry
    /// Teams with a `spool_stored_bytes` gauge, so that one whose files all went reads 0 rather than its last value.
    let storedBytesTeams = Mutex<Set<String>>([])
    /// This process's name among replicas.
    package let replica: String
    /// The HTTP request series already looked up, by route, method and status.
    let requestSeries = MetricSeriesCache<RequestSeriesKey, RequestSeries>()
    /// `spool_jobs_submitted_by_model_total` by model, and the total, looked up once.
    let submittedByModel = MetricSeriesCache<String, Counter>()
    let submittedTotal: Counter
    var replicaLabel: [(String, String)] { [("replica", replica)] }

    /// Seconds: from 10 ms to 2 h, for job waits and runs.
    static let jobBuckets: [Double] = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200]
    /// Seconds: from 100 µs to 10 s, for HTTP handling.
    static let httpBuckets: [Double] = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10]

    package init(replica: String) {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        self.replica = replica
        submittedTotal = registry.makeCounter(
            descriptor: Self.describe("spool_jobs_submitted_total"), labels: [("replica", replica)])
        // Counters appear from the first scrape, at zero, so that rate() works from the start.
        for status in ["completed", "failed", "cancelled"] {
            _ = registry.makeCounter(descriptor: Self.describe("spool_jobs_finished_total"), labels: replicaLabel + [("status", status)])
        }
    }

    /// A job was stored.
    package func recordSubmitted(model: String) {
        submittedTotal.increment()
        submittedByModel.series(model) {
            registry.makeCounter(
                descriptor: Self.describe("spool_jobs_submitted_by_model_total"), labels: replicaLabel + [("model", model)])
        }.increment()
    }

    /// A job moved from `previous`; terminal moves count as finished, and waits and runs are timed. A run that
    /// ended before Spool saw it `in_progress` gets its wait timed at the end, up to the start fal's metrics give.
    func recordTransition(_ job: Job, event: JobEvent, from previous: JobStatus) {
        registry.makeCounter(descriptor: Self.describe("spool_job_transitions_total"), labels: replicaLabel + [("status", event.status.rawValue)]).increment()
        if event.status.isTerminal {
            registry.makeCounter(descriptor: Self.describe("spool_jobs_finished_total"), labels: replicaLabel + [("status", event.status.rawValue)]).increment()
            if let started = job.startedAt {
                registry.makeValueHistogram(descriptor: Self.describe("spool_job_run_seconds"), labels: replicaLabel, buckets: Self.jobBuckets)
                    .record(Double(event.at.milliseconds - started.milliseconds) / 1000)
                if previous != .inProgress { recordWait(job, startedAt: started) }
            }
        }
        if event.status == .inProgress { recordWait(job, startedAt: event.at) }
    }

    private func recordWait(_ job: Job, startedAt: Timestamp) {
        registry.makeValueHistogram(descriptor: Self.describe("spool_job_wait_seconds"), labels: replicaLabel, buckets: Self.jobBuckets)
            .record(Double(startedAt.milliseconds - job.createdAt.milliseconds) / 1000)
    }

    /// One call to fal: `operation` is submit, status, result or cancel; `outcome` ok or an error class.
    package func recordFalCall(operation: String, outcome: String, seconds: Double) {
        registry.makeCounter(descriptor: Self.describe("spool_fal_requests_total"), labels: replicaLabel + [("operation", operation), ("outcome", outcome)])
            .increment()
        registry.makeValueHistogram(
            descriptor: Self.describe("spool_fal_request_seconds"), labels: replicaLabel + [("operation", operation)], buckets: Self.httpBuckets
        ).record(seconds)
    }

    /// One webhook delivery attempt: delivered, retrying or failed.
    package func recordDelivery(outcome: String) {
        registry.makeCounter(descriptor: Self.describe("spool_webhook_deliveries_total"), labels: replicaLabel + [("outcome", outcome)]).increment()
    }

    /// One HTTP request answered.
    package func recordRequest(_ record: HTTPRequestRecord) {
        let route = record.routePattern ?? "unmatched"
        let key = RequestSeriesKey(route: route, method: record.method.rawValue, status: record.status)
        let series = requestSeries.series(key) {
            RequestSeries(
                requests: registry.makeCounter(
                    descriptor: Self.describe("spool_http_requests_total"),
                    labels: replicaLabel + [("route", route), ("method", key.method), ("status", String(key.status))]),
                seconds: registry.makeValueHistogram(
                    descriptor: Self.describe("spool_http_request_seconds"), labels: replicaLabel + [("route", route)],
                    buckets: Self.httpBuckets))
        }
        series.requests.increment()
        series.seconds.record(record.durationSeconds)
    }

    /// What tells one HTTP request series from another.
    struct RequestSeriesKey: Hashable, Sendable {
        let route: String
        let method: String
        let status: Int
    }

    /// The collectors one HTTP request is counted in.
    struct RequestSeries: Sendable {
        let requests: Counter
        let seconds: ValueHistogram
    }

    /// Sets a gauge to `value`.
    package func set(_ name: String, labels: [(String, String)] = [], to value: Double) {
        registry.makeGauge(descriptor: Self.describe(name), labels: replicaLabel + labels).set(value)
    }

    /// Sets a gauge of the whole cluster (read from the database) to `value`, without the replica label.
    package func setClusterWide(_ name: String, labels: [(String, String)] = [], to value: Double) {
        registry.makeGauge(descriptor: Self.describe(name), labels: labels).set(value)
    }

    /// What each metric means, written as its `# HELP` line.
    static let help: [String: String] = [
        "spool_jobs_submitted_total": "Jobs accepted and stored.",
        "spool_jobs_submitted_by_model_total": "Jobs accepted and stored, by model.",
        "spool_jobs_finished_total": "Jobs that reached a terminal status, by status.",
        "spool_job_transitions_total": "Status transitions recorded, by the status entered.",
        "spool_job_run_seconds": "Seconds from the start of the run at fal to the job's end.",
        "spool_job_wait_seconds": "Seconds from submission to the start of the run at fal.",
        "spool_fal_requests_total": "Calls to fal's queue API, by operation and outcome.",
        "spool_fal_request_seconds": "Duration of calls to fal's queue API, by operation.",
        "spool_fal_status_calls_total": "Status polls of followed jobs: outcome=made for each poll started, outcome=deferred for each that first waited for the status-call budget.",
        "spool_fal_followed_jobs": "Jobs at fal followed by this process now.",
        "spool_jobs_rescued_total": "Jobs in an active status that nothing moved forward, put back on their way: action=followed (at fal, followed again), action=requeued (a lapsed claim, or at fal without a request id, queued again).",
        "spool_fal_fallbacks_total": "Jobs fal ran on another endpoint than asked, by model and the endpoint that served them.",
        "spool_cost_usd_total": "USD of the jobs fal billed with a known price, by model: kind=billed is fal's figure, kind=estimated Spool's estimate of the same jobs.",
        "spool_webhook_deliveries_total": "Webhook delivery attempts, by outcome (delivered, retrying, failed).",
        "spool_http_requests_total": "HTTP requests answered, by route, method and status.",
        "spool_http_request_seconds": "Time to answer HTTP requests, by route.",
        "spool_jobs": "Jobs stored now, by non-terminal status.",
        "spool_inflight": "Jobs at fal or being submitted now.",
        "spool_inflight_limit": "The configured limit of jobs in flight (SPOOL_MAX_INFLIGHT).",
        "spool_oldest_queued_age_seconds": "Age of the oldest queued job, 0 when none waits.",
        "spool_ready": "1 when /readyz passes, 0 when a check fails.",
        "spool_file_captures_total": "Output files copied from fal into storage, by outcome (stored, failed, storage_full).",
        "spool_file_capture_seconds": "Time to copy one output file into storage.",
        "spool_file_capture_bytes_total": "Bytes of output files stored.",
        "spool_files_expired_total": "Stored files deleted at the end of their retention.",
        "spool_stored_bytes": "Bytes held in Spool's file storage now, by team.",
    ]

    static func describe(_ name: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help[name] ?? name)
    }

    /// The exposition text.
    package func render() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
