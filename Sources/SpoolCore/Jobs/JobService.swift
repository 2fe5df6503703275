import Logging
import SpoolJSON

/// What the API does with jobs: submit, read, list, cancel. Workers move jobs along; this type answers callers.
package final class JobService: Sendable {
    let store: any GatewayStore
    let catalog: ModelCatalog
    let hub: JobEventHub
    let configuration: SpoolConfiguration
    let webhookPolicy: WebhookURLPolicy
    let logger: Logger
    /// Called after a job is stored, to count it and wake the dispatcher.
    let onSubmitted: @Sendable (Job) -> Void

    init(
        store: any GatewayStore, catalog: ModelCatalog, hub: JobEventHub, configuration: SpoolConfiguration,
        logger: Logger, onSubmitted: @escaping @Sendable (Job) -> Void
    ) {
        self.store = store
        self.catalog = catalog
        self.hub = hub
        self.configuration = configuration
        self.webhookPolicy = WebhookURLPolicy(allowPrivate: configuration.webhooks.allowPrivate)
        self.logger = logger
        self.onSubmitted = onSubmitted
    }

    /// A stored job and whether it was there before this request (an idempotent replay).
    struct Submitted: Sendable {
        var job: Job
        var replayed: Bool
    }

    /// Validates and stores a job; the returned job is on disk. `falOptions` is what a client of the fal surface
    /// asked of fal through fal's headers.
    func submit(
        body: [UInt8], principal: Principal, idempotencyKey: String?, falOptions: FalRequestOptions = FalRequestOptions()
    ) async throws(JobRefusal) -> Submitted {
        let document: JSONValue
        do { document = try JSONValue(parsing: body) } catch {
            throw .invalidJSON(reason: "\(error)")
        }
        var problems: [ValidationProblem] = []
        guard let request = SubmitRequest.read(document, webhookPolicy: webhookPolicy, problems: &problems) else {
            throw .validationFailed(problems)
        }
        var model: CatalogModel?
        if !request.model.isEmpty {
            model = try request.model(in: catalog)
        }
        var accepted: JSONValue?
        if let model, request.input.objectValue != nil {
            switch model.validate(request.input) {
            case .accepted(let input): accepted = input
            case .rejected(let inputProblems): problems += inputProblems
            }
        }
        guard problems.isEmpty, let model, let accepted else { throw .validationFailed(problems) }
        if let key = idempotencyKey, key.isEmpty || key.utf8.count > 255 {
            throw .invalidIdempotencyKey
        }

        let now = Timestamp.now()
        let new = NewJob(
            id: Identifier.make("job_", at: now), team: principal.team, model: model.id, falEndpoint: model.falEndpoint,
            input: accepted, metadata: request.metadata, priority: request.priority, webhookURL: request.webhookURL,
            webhookEvents: request.webhookEvents, estimatedCostUSD: model.estimatedCostUSD(for: accepted),
            deadlineAt: request.deadlineSeconds.map { now.adding(seconds: $0) }, createdAt: now, falOptions: falOptions)
        let claim = idempotencyKey.map { IdempotencyClaim(key: $0, requestSHA256: Self.digest(document)) }
        return try await store(new, principal: principal, idempotency: claim)
    }

    /// Stores a checked job for `principal`'s team; idempotency, quota and budget are checked in the same
    /// transaction.
    func store(_ new: NewJob, principal: Principal, idempotency claim: IdempotencyClaim?) async throws(JobRefusal) -> Submitted {
        let now = new.createdAt
        let limits = configuration.teams.limits(for: principal.team)
        let outcome: InsertOutcome
        do {
            outcome = try await store.insert(new, idempotency: claim, limits: limits)
        } catch {
            throw JobRefusal.storage(error, logger: logger)
        }
        switch outcome {
        case .created(let job, let event):
            logger.info("job accepted", metadata: ["job_id": "\(job.id)", "team": "\(job.team)", "model": "\(job.model)"])
            hub.publish(.transition(job, event))
            onSubmitted(job)
            return Submitted(job: job, replayed: false)
        case .replayed(let job):
            return Submitted(job: job, replayed: true)
        case .idempotencyConflict(let jobID):
            throw .idempotencyConflict(jobID: jobID)
        case .quotaExceeded(let limit):
            throw .quotaExceeded(team: principal.team, limit: limit)
        case .budgetExceeded(let budget, let spent):
            throw .budgetExceeded(
                team: principal.team, budgetUSD: budget, spentUSD: spent,
                retryAfterSeconds: Self.secondsUntilNextUTCDay(now))
        }
    }

    /// A job and its history, if `principal` may see it.
    ///
    /// Never inlined: inlined into `JobsAPI`'s async handlers, its typed throw crashes the release build's
    /// coroutine splitting (swift-frontend signal 11 in `emitSetAndGetSwiftErrorValueAround`).
    @inline(never)
    func job(_ id: String, principal: Principal) async throws(JobRefusal) -> (Job, [JobEvent]) {
        let found: (Job, [JobEvent])?
        do {
            found = try await store.jobWithHistory(id)
        } catch {
            throw JobRefusal.storage(error, logger: logger)
        }
        guard let found, principal.canSee(team: found.0.team) else { throw .jobNotFound(jobID: id) }
        return found
    }

    /// A page of jobs, newest first, and the cursor of the next page.
    func list(_ filter: JobListFilter) async throws(JobRefusal) -> (jobs: [Job], nextCursor: String?) {
        let rows: [Job]
        do { rows = try await store.jobs(filter) } catch {
            throw JobRefusal.storage(error, logger: logger)
        }
        let page = Array(rows.prefix(filter.limit))
        return (page, rows.count > filter.limit ? page.last?.id : nil)
    }

    /// SHA-256 of the body with object keys sorted, so that key order does not make two bodies differ.
    static func digest(_ document: JSONValue) -> String { SHA256Hex.of(CanonicalJSON.bytes(document)) }

    static func secondsUntilNextUTCDay(_ now: Timestamp) -> Int64 {
        let day: Int64 = 86_400_000
        return (day - now.milliseconds % day) / 1000 + 1
    }
}

/// JSON with object keys sorted at every level: the same document always gives the same bytes.
enum CanonicalJSON {
    static func bytes(_ value: JSONValue) -> [UInt8] { sorted(value).serialized() }

    private static func sorted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.map(sorted))
        case .object(let object):
            return .object(JSONObject(object.keys.sorted().map { ($0, sorted(object[$0]!)) }))
        default: return value
        }
    }
}
