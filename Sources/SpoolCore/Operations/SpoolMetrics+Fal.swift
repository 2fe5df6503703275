extension SpoolMetrics {
    /// fal ran a job of `model` on the endpoint `servedFrom` instead of the one asked for.
    func recordFallback(model: String, servedFrom: String) {
        registry.makeCounter(
            descriptor: Self.describe("spool_fal_fallbacks_total"), labels: replicaLabel + [("model", model), ("served_from", servedFrom)]
        ).increment()
    }

    /// fal billed a job of `model` at `billedUSD`; its estimate was `estimatedUSD`. Both are added to
    /// `spool_cost_usd_total` for the same job, so the two kinds compare like with like.
    func recordBilled(model: String, estimatedUSD: Double, billedUSD: Double) {
        registry.makeCounter(
            descriptor: Self.describe("spool_cost_usd_total"), labels: replicaLabel + [("model", model), ("kind", "estimated")]
        ).increment(by: estimatedUSD)
        registry.makeCounter(
            descriptor: Self.describe("spool_cost_usd_total"), labels: replicaLabel + [("model", model), ("kind", "billed")]
        ).increment(by: billedUSD)
    }
}
