import Prometheus
import SpoolHTTP
import Synchronization

/// Spool's Prometheus metrics, all named `spool_…`. Counters and histograms are kept by swift-prometheus's
/// registry as things happen; gauges of stored state (jobs by status) are set from the database at scrape time.
public final class SpoolMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()

    /// Seconds: from 10 ms to 2 h, for job waits and runs.
    static let jobBuckets: [Double] = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200]
    /// Seconds: from 100 µs to 10 s, for HTTP handling.
    static let httpBuckets: [Double] = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10]

    public init() {
        // Counters appear from the first scrape, at zero, so that rate() works from the start.
        for status in ["completed", "failed", "cancelled"] {
            _ = registry.makeCounter(name: "spool_jobs_finished_total", labels: [("status", status)])
        }
        _ = registry.makeCounter(name: "spool_jobs_submitted_total")
    }

    /// A job was stored.
    public func recordSubmitted(model: String) {
        registry.makeCounter(name: "spool_jobs_submitted_total").increment()
        registry.makeCounter(name: "spool_jobs_submitted_by_model_total", labels: [("model", model)]).increment()
    }

    /// A job moved; terminal moves count as finished, and waits and runs are timed.
    func recordTransition(_ job: Job, event: JobEvent) {
        registry.makeCounter(name: "spool_job_transitions_total", labels: [("status", event.status.rawValue)]).increment()
        if event.status.isTerminal {
            registry.makeCounter(name: "spool_jobs_finished_total", labels: [("status", event.status.rawValue)]).increment()
            if let started = job.startedAt {
                registry.makeValueHistogram(name: "spool_job_run_seconds", buckets: Self.jobBuckets)
                    .record(Double(event.at.milliseconds - started.milliseconds) / 1000)
            }
        }
        if event.status == .inProgress {
            registry.makeValueHistogram(name: "spool_job_wait_seconds", buckets: Self.jobBuckets)
                .record(Double(event.at.milliseconds - job.createdAt.milliseconds) / 1000)
        }
    }

    /// One call to fal: `operation` is submit, status, result or cancel; `outcome` ok or an error class.
    public func recordFalCall(operation: String, outcome: String, seconds: Double) {
        registry.makeCounter(name: "spool_fal_requests_total", labels: [("operation", operation), ("outcome", outcome)])
            .increment()
        registry.makeValueHistogram(
            name: "spool_fal_request_seconds", labels: [("operation", operation)], buckets: Self.httpBuckets
        ).record(seconds)
    }

    /// One webhook delivery attempt: delivered, retrying or failed.
    public func recordDelivery(outcome: String) {
        registry.makeCounter(name: "spool_webhook_deliveries_total", labels: [("outcome", outcome)]).increment()
    }

    /// One HTTP request answered.
    public func recordRequest(_ record: HTTPRequestRecord) {
        let route = record.routePattern ?? "unmatched"
        registry.makeCounter(
            name: "spool_http_requests_total",
            labels: [("route", route), ("method", record.method.rawValue), ("status", String(record.status))]
        ).increment()
        registry.makeValueHistogram(
            name: "spool_http_request_seconds", labels: [("route", route)], buckets: Self.httpBuckets
        ).record(record.durationSeconds)
    }

    /// Sets a gauge to `value`.
    public func set(_ name: String, labels: [(String, String)] = [], to value: Double) {
        registry.makeGauge(name: name, labels: labels).set(value)
    }

    /// The exposition text.
    public func render() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
