import Logging
import SpoolFal

extension WorkerContext {
    /// Stores what one of fal's answers reported about job `id` (served-from endpoint, billed units); tells
    /// watchers, counts a newly learned fallback and a newly priced job, and logs the fallback.
    ///
    /// Answers without those headers cost nothing, and one that repeats what the job already holds costs a read
    /// (fal may send the same headers on every status poll): only news takes the writer. A failure to store is
    /// logged and does not stop the caller, which is following the job at fal.
    func record(_ report: FalReport, for id: String) async {
        guard !report.isEmpty else { return }
        let catalog = self.catalog
        do {
            let known = try await database.read { try JobBillingRecords.billing(of: id, on: $0) }
            guard let known, known.merging(report) != known else { return }
            let recorded = try await database.batchedWrite { connection in
                try JobBillingRecords.record(
                    report, jobID: id, usdPerUnit: { catalog.model(id: $0)?.usdPerBillableUnit }, on: connection)
            }
            guard let recorded else { return }
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
        } catch {
            logger.warning("could not record what fal reported", metadata: ["job_id": "\(id)", "error": "\(error)"])
        }
    }
}
