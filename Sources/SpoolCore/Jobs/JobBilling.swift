import SpoolFal
import SpoolStore

/// What fal reported about a job's run: the endpoint that served it and what it billed. Empty until an answer
/// from fal carries `X-Fal-Served-From` or `X-Fal-Billable-Units`.
public struct JobBilling: Sendable, Equatable {
    /// The fal endpoint that ran the job; another than the job's `falEndpoint` means fal fell back.
    public var servedFrom: String?
    /// The units fal billed (for Kling, seconds of video).
    public var billedUnits: Double?
    /// `billedUnits` at the catalog's `usd_per_billable_unit`; nil when either is unknown.
    public var billedUSD: Double?

    public init(servedFrom: String? = nil, billedUnits: Double? = nil, billedUSD: Double? = nil) {
        self.servedFrom = servedFrom
        self.billedUnits = billedUnits
        self.billedUSD = billedUSD
    }

    /// The columns `init(row:)` reads, for `JobRows.columns`.
    static let columns = "fal_served_from, fal_billed_units, fal_billed_usd"

    init(row: SQLiteRow) throws {
        self.init(
            servedFrom: try row.optionalString("fal_served_from"), billedUnits: try row.optionalDouble("fal_billed_units"),
            billedUSD: try row.optionalDouble("fal_billed_usd"))
    }

    /// This billing with what `report` says added; the price is left as it was (see `JobBillingRecords.record`).
    func merging(_ report: FalReport) -> JobBilling {
        JobBilling(
            servedFrom: report.servedFrom ?? servedFrom, billedUnits: report.billableUnits ?? billedUnits,
            billedUSD: billedUSD)
    }

    /// Whether fal says it ran the job on another endpoint than `endpoint`.
    func isFallback(from endpoint: String) -> Bool { servedFrom.map { $0 != endpoint } ?? false }
}

/// Stores what fal's answers report on the job, with its own small UPDATE (the trigger of migration 0003 keeps
/// `usage_daily`'s billed figures in step).
enum JobBillingRecords {
    /// What one `record` changed.
    struct Recorded: Sendable {
        var job: Job
        /// fal's first word that the job ran elsewhere: the endpoint that served it.
        var newFallback: String?
        /// True when the job had no billed price before and has one now.
        var newlyPriced: Bool
    }

    /// Job `id`'s billing alone (a cheap read for deciding whether an answer brings news), nil for no such job.
    static func billing(of id: String, on connection: SQLiteConnection) throws -> JobBilling? {
        try connection.queryRow("SELECT \(JobBilling.columns) FROM jobs WHERE id = ?", .text(id)).map(JobBilling.init(row:))
    }

    /// Merges `report` into job `id`'s billing, pricing the units at `usdPerUnit`. A newly learned fallback is
    /// added to the note of the job's latest history entry. Returns nil when nothing changed.
    static func record(
        _ report: FalReport, jobID id: String, usdPerUnit: (String) -> Double?, on connection: SQLiteConnection
    ) throws -> Recorded? {
        guard !report.isEmpty, var job = try JobQueries.job(id, on: connection) else { return nil }
        let before = job.billing
        job.billing = before.merging(report)
        job.billing.billedUSD = job.billing.billedUnits.flatMap { units in usdPerUnit(job.model).map { units * $0 } }
        guard job.billing != before else { return nil }
        try connection.run(
            "UPDATE jobs SET fal_served_from = ?, fal_billed_units = ?, fal_billed_usd = ? WHERE id = ?",
            .nullableText(job.billing.servedFrom), .nullableDouble(job.billing.billedUnits),
            .nullableDouble(job.billing.billedUSD), .text(id))
        var newFallback: String?
        if job.billing.isFallback(from: job.falEndpoint), job.billing.servedFrom != before.servedFrom,
            let servedFrom = job.billing.servedFrom
        {
            newFallback = servedFrom
            try connection.run(
                """
                UPDATE job_events SET note = coalesce(note || '; ', '') || ?
                WHERE job_id = ? AND seq = (SELECT max(seq) FROM job_events WHERE job_id = ?)
                """,
                .text("fal served it from \(servedFrom) instead of \(job.falEndpoint) (fallback)"), .text(id), .text(id))
        }
        let newlyPriced = before.billedUSD == nil && job.billing.billedUSD != nil
        return Recorded(job: job, newFallback: newFallback, newlyPriced: newlyPriced)
    }

    /// A team's spend on UTC day `day` (budgets): what fal billed for the jobs it priced, the estimate for the rest.
    static func spend(team: String, day: String, on connection: SQLiteConnection) throws -> Double {
        try connection.queryScalar(
            """
            SELECT coalesce(sum(estimated_cost_usd - billed_estimate_usd + billed_usd), 0) FROM usage_daily
            WHERE team = ? AND day = ?
            """, .text(team), .text(day), as: Double.self) ?? 0
    }
}

extension SQLiteValue {
    /// A real number, or NULL for nil.
    static func nullableDouble(_ value: Double?) -> SQLiteValue { value.map { .real($0) } ?? .null }
}
