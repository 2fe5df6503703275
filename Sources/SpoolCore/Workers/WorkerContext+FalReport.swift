import Logging
import SpoolFal

extension WorkerContext {
    /// Stores what one of fal's answers reported about job `id` (served-from endpoint, billed units), in its
    /// own group-committed transaction; tells watchers, counts a newly learned fallback and a newly priced job,
    /// and logs the fallback. Answers without those headers cost nothing.
    func record(_ report: FalReport, for id: String) async throws {
        guard !report.isEmpty else { return }
        let catalog = self.catalog
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
    }
}
