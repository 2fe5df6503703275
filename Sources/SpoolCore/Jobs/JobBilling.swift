import SpoolFal

/// What fal reported about a job's run: the endpoint that served it and what it billed. Empty until an answer
/// from fal carries `X-Fal-Served-From` or `X-Fal-Billable-Units`.
package struct JobBilling: Sendable, Equatable {
    /// The fal endpoint that ran the job; another than the job's `falEndpoint` means fal fell back.
    package var servedFrom: String?
    /// The units fal billed (for Kling, seconds of video).
    package var billedUnits: Double?
    /// `billedUnits` at the catalog's `usd_per_billable_unit`; nil when either is unknown.
    package var billedUSD: Double?

    package init(servedFrom: String? = nil, billedUnits: Double? = nil, billedUSD: Double? = nil) {
        self.servedFrom = servedFrom
        self.billedUnits = billedUnits
        self.billedUSD = billedUSD
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

/// What storing a fal report on a job changed (`JobStore.recordBilling`).
struct BillingRecorded: Sendable {
    var job: Job
    /// fal's first word that the job ran elsewhere: the endpoint that served it.
    var newFallback: String?
    /// True when the job had no billed price before and has one now.
    var newlyPriced: Bool

    /// `job` with `report` merged into its billing and the units priced at `usdPerUnit`; nil when nothing changes.
    /// The store writes the job's billing and, with `newFallback`, adds `fallbackNote` to its latest history entry.
    static func merging(_ report: FalReport, into job: Job, usdPerUnit: (String) -> Double?) -> BillingRecorded? {
        guard !report.isEmpty else { return nil }
        var job = job
        let before = job.billing
        job.billing = before.merging(report)
        job.billing.billedUSD = job.billing.billedUnits.flatMap { units in usdPerUnit(job.model).map { units * $0 } }
        guard job.billing != before else { return nil }
        var newFallback: String?
        if job.billing.isFallback(from: job.falEndpoint), job.billing.servedFrom != before.servedFrom {
            newFallback = job.billing.servedFrom
        }
        return BillingRecorded(
            job: job, newFallback: newFallback, newlyPriced: before.billedUSD == nil && job.billing.billedUSD != nil)
    }

    /// The history note of a newly learned fallback.
    var fallbackNote: String? {
        newFallback.map { "fal served it from \($0) instead of \(job.falEndpoint) (fallback)" }
    }
}
