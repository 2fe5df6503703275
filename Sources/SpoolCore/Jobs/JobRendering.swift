import SpoolJSON

extension Job {
    /// The job object of the contract. `history`, when given, is included (single-job reads and events).
    /// `fal_served_from` and `cost.billed_units`/`billed_usd` say what fal reported, null until it does.
    /// `result` and `files` appear once the job is `completed`: while its files are being copied the job is
    /// still in its running status with its result saved, and shows neither.
    package func json(history: [JobEvent]? = nil) -> JSONValue {
        func time(_ value: Timestamp?) -> JSONValue { value.map { .string($0.rfc3339) } ?? .null }
        let base = "/v1/jobs/" + id
        var object: JSONObject = [
            "id": .string(id), "object": "job", "model": .string(model), "fal_endpoint": .string(falEndpoint),
            "team": .string(team), "status": .string(status.rawValue), "input": input, "metadata": metadata ?? .null,
            "priority": .integer(Int64(priority)), "attempts": .integer(Int64(attempts)),
            "queue_position": queuePosition.map { .integer(Int64($0)) } ?? .null,
            "fal_request_id": fal.map { .string($0.requestID) } ?? .null,
            "result": status == .completed ? result ?? .null : .null,
            "files": .array(status == .completed ? files.map(\.json) : []), "error": error?.json ?? .null,
            "webhook_url": webhookURL.map(JSONValue.string) ?? .null,
            "webhook_events": .array(webhookEvents.map(JSONValue.string)),
            "deadline_at": time(deadlineAt), "created_at": time(createdAt), "updated_at": time(updatedAt),
            "started_at": time(startedAt), "completed_at": time(completedAt),
            "fal_served_from": billing.servedFrom.map(JSONValue.string) ?? .null,
            "cost": [
                "estimated_usd": .number(estimatedCostUSD),
                "billed_units": billing.billedUnits.map(JSONValue.number) ?? .null,
                "billed_usd": billing.billedUSD.map(JSONValue.number) ?? .null,
            ],
            "urls": [
                "self": .string(base), "events": .string(base + "/events"), "result": .string(base + "/result"),
                "cancel": .string(base + "/cancel"),
            ],
        ]
        if let history { object["history"] = .array(history.map(\.json)) }
        return .object(object)
    }
}
