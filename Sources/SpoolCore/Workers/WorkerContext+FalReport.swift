import Logging
import SpoolFal

extension WorkerContext {
    /// Stores what one of fal's answers reported about job `id` (served-from endpoint, billed units); tells
    /// watchers, counts a newly learned fallback and a newly priced job, and logs the fallback. Returns the job's
    /// billing as stored now, or nil when the answer reported nothing or it could not be read or stored.
    ///
    /// fal may send the same headers on every status poll, so repeats must cost nothing: a caller that holds the
    /// job's billing passes it as `known`, and an answer that brings nothing new beside it touches no database.
    /// Without `known`, a repeat costs a read of the three billing columns; only news takes the writer. A failure
    /// to store is logged and does not stop the caller, which is following the job at fal.
    @discardableResult
    func record(_ report: FalReport, for id: String, known: JobBilling? = nil) async -> JobBilling? {
        guard !report.isEmpty else { return nil }
        if let known, known.merging(report) == known { return known }
        let catalog = self.catalog
        do {
            guard let stored = try await store.billing(of: id) else { return nil }
            guard stored.merging(report) != stored else { return stored }
            let recorded = try await store.recordBilling(
                report, jobID: id, usdPerUnit: { catalog.model(id: $0)?.usdPerBillableUnit })
            guard let recorded else { return stored }
            hub.publish(.changed(recorded.job))
            if let servedFrom = recorded.newFallback {
                metrics.recordFallback(model: recorded.job.model, servedFrom: servedFrom)
                logger.warning("fal ran the job on another endpoint", metadata: [
                    "job_id": "\(id)", "asked": "\(recorded.job.falEndpoint)", "served_from": "\(servedFrom)",
                ])
            }
            if recorded.newlyPriced, let billed = recorded.job.billing.billedUSD {
                metrics.recordBilled(model: recorded.job.model, estimatedUSD: recorded.job.estimatedCostUSD, billedUSD: billed)
            }
            return recorded.job.billing
        } catch {
            logger.warning("could not record what fal reported", metadata: ["job_id": "\(id)", "error": "\(error)"])
            return nil
        }
    }
}
