import SpoolJSON

/// A submit to a fal endpoint outside the catalog that the admin named in `fal_surface.passthrough_endpoints`
/// (empty by default): the job's model is the endpoint id, its input goes to fal exactly as sent (no validation,
/// no field mapping), and its price is unknown, so its estimate is 0 USD and the budget counts nothing for it
/// until fal bills it. Its first history entry says so.
enum FalPassthrough {
    static func note(_ endpoint: String) -> String {
        "accepted as a pass-through to fal endpoint \(endpoint), outside the catalog: the input is not validated "
            + "and the price is unknown (estimated 0 USD, so the team's budget counts nothing for it)"
    }

    /// The job to store; `webhookURL` has passed the webhook checks.
    static func newJob(
        endpoint: String, input: JSONValue, headers: FalRequestHeaders, webhookURL: String?, team: String
    ) -> NewJob {
        let now = Timestamp.now()
        var options = headers.options
        options.passthrough = true
        return NewJob(
            id: Identifier.make("job_", at: now), team: team, model: endpoint, falEndpoint: endpoint, input: input,
            metadata: nil, priority: headers.priority, webhookURL: webhookURL,
            webhookEvents: WebhookOutbox.defaultEvents,
            estimatedCostUSD: 0, deadlineAt: headers.deadlineSeconds.map { now.adding(seconds: $0) }, createdAt: now,
            falOptions: options, note: note(endpoint))
    }
}
