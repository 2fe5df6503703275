import SpoolJSON

/// The body of `POST /v1/jobs`, read and checked field by field. Every problem is collected, so that one answer
/// names them all.
struct SubmitRequest: Sendable {
    var model: String
    var input: JSONValue
    var webhookURL: String?
    var webhookEvents: [String]
    var metadata: JSONValue?
    var priority: Int
    var deadlineSeconds: Double?

    static let knownFields: Set<String> = [
        "model", "input", "webhook_url", "webhook_events", "metadata", "priority", "deadline_seconds",
    ]
    static let maxMetadataBytes = 16 * 1024
    static let maxDeadlineSeconds = 7 * 24 * 3600.0

    /// Reads `body`; problems with the envelope (not the model input) go to `problems`.
    static func read(
        _ body: JSONValue, webhookPolicy: WebhookURLPolicy, problems: inout [ValidationProblem]
    ) -> SubmitRequest? {
        guard let object = body.objectValue else {
            problems.append(.init(field: "body", message: "must be a JSON object"))
            return nil
        }
        for key in object.keys where !knownFields.contains(key) {
            problems.append(.init(field: key, message: "is not a known field"))
        }
        var request = SubmitRequest(
            model: "", input: .null, webhookURL: nil, webhookEvents: WebhookOutbox.defaultEvents, metadata: nil,
            priority: 0, deadlineSeconds: nil)

        switch object["model"] {
        case .string(let model) where !model.isEmpty: request.model = model
        case nil, .null?: problems.append(.init(field: "model", message: "is required"))
        default: problems.append(.init(field: "model", message: "must be a model id string"))
        }
        switch object["input"] {
        case .object?: request.input = object["input"]!
        case nil, .null?: problems.append(.init(field: "input", message: "is required"))
        default: problems.append(.init(field: "input", message: "must be an object"))
        }
        if let value = object["webhook_url"], !value.isNull {
            if let url = value.stringValue {
                switch webhookPolicy.check(url) {
                case .success: request.webhookURL = url
                case .failure(let problem): problems.append(.init(field: "webhook_url", message: problem.message))
                }
            } else {
                problems.append(.init(field: "webhook_url", message: "must be a URL string"))
            }
        }
        if let value = object["webhook_events"], !value.isNull {
            if let items = value.arrayValue, !items.isEmpty {
                var events: [String] = []
                for (index, item) in items.enumerated() {
                    guard let name = item.stringValue, WebhookOutbox.eventTypes.contains(name) else {
                        problems.append(.init(
                            field: "webhook_events[\(index)]",
                            message: "must be one of " + WebhookOutbox.eventTypes.joined(separator: ", ")))
                        continue
                    }
                    if !events.contains(name) { events.append(name) }
                }
                // `job.status` asks for every transition, terminal ones included.
                if events.contains("job.status") {
                    for terminal in WebhookOutbox.defaultEvents where !events.contains(terminal) { events.append(terminal) }
                }
                request.webhookEvents = events
            } else {
                problems.append(.init(field: "webhook_events", message: "must be a non-empty array of event types"))
            }
        }
        if let value = object["metadata"], !value.isNull {
            if value.objectValue == nil {
                problems.append(.init(field: "metadata", message: "must be an object"))
            } else if value.serialized().count > maxMetadataBytes {
                problems.append(.init(field: "metadata", message: "must be at most 16 KiB serialized"))
            } else {
                request.metadata = value
            }
        }
        if let value = object["priority"], !value.isNull {
            if let priority = value.integerValue, (-100...100).contains(priority) {
                request.priority = Int(priority)
            } else {
                problems.append(.init(field: "priority", message: "must be an integer from -100 to 100"))
            }
        }
        if let value = object["deadline_seconds"], !value.isNull {
            if let seconds = value.doubleValue, seconds > 0, seconds <= maxDeadlineSeconds {
                request.deadlineSeconds = seconds
            } else {
                problems.append(.init(field: "deadline_seconds", message: "must be a number of seconds from 1 to 604800"))
            }
        }
        return request
    }
}

extension SubmitRequest {
    /// The catalog model `model` names, by catalog id or fal endpoint id (the job records the catalog id); any other
    /// name is refused as unknown, with the nearest known name.
    func model(in catalog: ModelCatalog) throws(JobRefusal) -> CatalogModel {
        guard let found = catalog.model(named: model) else {
            throw .unknownModel(model, didYouMean: catalog.didYouMean(model))
        }
        return found
    }
}
