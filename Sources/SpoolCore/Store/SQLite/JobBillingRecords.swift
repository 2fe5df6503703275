import SpoolFal
import SpoolStore

/// Stores what fal's answers report on the job on SQLite, with its own small UPDATE (the trigger of migration
/// 0003 keeps `usage_daily`'s billed figures in step), and reads a team's spend for budgets.
enum JobBillingRecords {
    /// The columns `JobBilling.init(row:)` reads, for `JobRows.columns`.
    static let columns = "fal_served_from, fal_billed_units, fal_billed_usd"

    /// Job `id`'s billing alone, nil for no such job.
    static func billing(of id: String, on connection: SQLiteConnection) throws -> JobBilling? {
        try connection.queryRow("SELECT \(columns) FROM jobs WHERE id = ?", .text(id)).map(JobBilling.init(row:))
    }

    /// Merges `report` into job `id`'s billing (`BillingRecorded.merging`); a newly learned fallback is added to
    /// the note of the job's latest history entry. Returns nil when nothing changed.
    static func record(
        _ report: FalReport, jobID id: String, usdPerUnit: (String) -> Double?, on connection: SQLiteConnection
    ) throws -> BillingRecorded? {
        guard let job = try JobQueries.job(id, on: connection),
            let recorded = BillingRecorded.merging(report, into: job, usdPerUnit: usdPerUnit)
        else { return nil }
        let billing = recorded.job.billing
        try connection.run(
            "UPDATE jobs SET fal_served_from = ?, fal_billed_units = ?, fal_billed_usd = ? WHERE id = ?",
            .nullableText(billing.servedFrom), .nullableDouble(billing.billedUnits),
            .nullableDouble(billing.billedUSD), .text(id))
        if let note = recorded.fallbackNote {
            try connection.run(
                """
                UPDATE job_events SET note = coalesce(note || '; ', '') || ?
                WHERE job_id = ? AND seq = (SELECT max(seq) FROM job_events WHERE job_id = ?)
                """,
                .text(note), .text(id), .text(id))
        }
        return recorded
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

extension JobBilling {
    init(row: SQLiteRow) throws {
        self.init(
            servedFrom: try row.optionalString("fal_served_from"), billedUnits: try row.optionalDouble("fal_billed_units"),
            billedUSD: try row.optionalDouble("fal_billed_usd"))
    }
}

extension SQLiteValue {
    /// A real number, or NULL for nil.
    static func nullableDouble(_ value: Double?) -> SQLiteValue { value.map { .real($0) } ?? .null }
}
