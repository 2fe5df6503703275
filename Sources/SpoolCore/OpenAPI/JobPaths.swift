import SpoolJSON

/// The operations under `/v1/jobs`: submit, list, read, result, cancel and events.
enum JobPaths {
    typealias S = OpenAPISchema
    typealias R = OpenAPIResponse
    typealias P = OpenAPIParameter

    static func all(catalog: ModelCatalog) -> [OpenAPIOperation] {
        [submit(catalog: catalog), list, show, result, cancel, events]
    }

    static func submit(catalog: ModelCatalog) -> OpenAPIOperation {
        let examples = JSONObject(catalog.models.map { model in
            (model.id, ["summary": .string(model.displayName),
                        "value": ["model": .string(model.id), "input": model.exampleInput]] as JSONValue)
        })
        return OpenAPIOperation(
            .post, "/v1/jobs", id: "submitJob", tag: "Jobs", summary: "Submit a job",
            description: """
                Validates the input against the model's schema and stores the job; a 202 means it is on disk and \
                survives a crash. Three ways to wait: none (202 at once, then poll or stream), `Prefer: wait[=N]` \
                (sync: 200 with the finished job, or 202 with the job as it stands after N seconds), or \
                `Accept: text/event-stream` (200 with the job's events, closing after the terminal one).
                """,
            parameters: [P.shared("IdempotencyKey"), P.shared("Prefer")],
            requestBody: [
                "required": true,
                "content": ["application/json": ["schema": S.ref("SubmitRequest"), "examples": .object(examples)]],
            ],
            responses: [
                ("200", R.jsonOrEvents(
                    "With `Prefer: wait`: the job, terminal in time. With `Idempotency-Key` reused: the original job (`Idempotent-Replayed: true`). With `Accept: text/event-stream`: the job's events.",
                    S.ref("Job"), headers: ["Location", "Idempotent-Replayed", "Preference-Applied"])),
                ("202", R.json(
                    "The job, stored and queued (or, with `Prefer: wait`, as it stood when the wait ran out).",
                    S.ref("Job"), headers: ["Location", "Preference-Applied"])),
                ("400", R.error("The body is not JSON, or the `Idempotency-Key` is empty or over 255 characters.", codes: ["invalid_json", "invalid_idempotency_key"])),
                ("409", R.error("This `Idempotency-Key` was used with a different body.", codes: ["idempotency_conflict"])),
                ("413", R.shared("PayloadTooLarge")),
                ("422", R.error("The model is unknown, or the request or its input breaks the schema; `details` has one entry per problem.", codes: ["validation_failed", "unknown_model"])),
                ("429", R.error("The team has reached its limit of waiting jobs, or its daily budget.", codes: ["quota_exceeded", "budget_exceeded"], headers: ["Retry-After"])),
                ("503", R.shared("StorageUnavailable")),
            ])
    }

    static let list = OpenAPIOperation(
        .get, "/v1/jobs", id: "listJobs", tag: "Jobs", summary: "List jobs",
        description: "Newest first. A team key sees its team's jobs only; an admin key sees all and may filter by `team`.",
        parameters: [
            P.query("status", S.ref("JobStatus"), "Only jobs with this status."),
            P.query("model", ["type": "string"], "Only jobs of this model."),
            P.query("team", ["type": "string"], "Only this team's jobs (admin keys; a team key may name only its own team)."),
            P.query("limit", ["type": "integer", "minimum": 1, "maximum": 200, "default": 50], "Jobs per page."),
            P.query("cursor", ["type": "string", "pattern": "^job_"], "The `next_cursor` of the previous page."),
        ],
        responses: [
            ("200", R.json("A page of jobs.", S.ref("JobList"))),
            ("422", R.shared("InvalidQuery")),
            ("503", R.shared("StorageUnavailable")),
        ])

    static let show = OpenAPIOperation(
        .get, "/v1/jobs/{id}", id: "getJob", tag: "Jobs", summary: "Read a job",
        description: "The job with its `history`, every transition in order.",
        parameters: [P.shared("JobID")],
        responses: [
            ("200", R.json("The job, with `history`.", S.ref("Job"))),
            ("404", R.shared("JobNotFound")),
            ("503", R.shared("StorageUnavailable")),
        ])

    static let result = OpenAPIOperation(
        .get, "/v1/jobs/{id}/result", id: "getJobResult", tag: "Jobs", summary: "Read a job's result",
        description: "fal's output object, once the job is `completed`.",
        parameters: [P.shared("JobID")],
        responses: [
            ("200", R.json("The result.", S.ref("JobResult"))),
            ("404", R.shared("JobNotFound")),
            ("409", R.error("The job is not completed; the message names its status, `error.status` carries it, and a failed job's own error is in `error.job_error`.", codes: ["not_completed"])),
            ("503", R.shared("StorageUnavailable")),
        ])

    static let cancel = OpenAPIOperation(
        .post, "/v1/jobs/{id}/cancel", id: "cancelJob", tag: "Jobs", summary: "Cancel a job",
        description: "A `queued` or `submitting` job is cancelled at once; an `in_queue` or `in_progress` job is cancelled at fal first. When fal cannot be reached, the job is answered as it stands and the cancellation is retried until fal agrees or the job ends.",
        parameters: [P.shared("JobID")],
        responses: [
            ("202", R.json("The job, `cancelled` (or still waiting for fal to agree).", S.ref("Job"))),
            ("404", R.shared("JobNotFound")),
            ("409", R.error("The job is already terminal (or finished at fal before it could be cancelled).", codes: ["already_terminal"])),
            ("503", R.shared("StorageUnavailable")),
        ])

    static let events = OpenAPIOperation(
        .get, "/v1/jobs/{id}/events", id: "streamJobEvents", tag: "Jobs", summary: "Follow a job's events",
        description: "Server-sent events: every transition, then live ones, closing after the terminal event. `Last-Event-ID` resumes after that event. Browsers' `EventSource` cannot send `Authorization`; read the stream with `fetch`.",
        parameters: [P.shared("JobID"), P.shared("LastEventID")],
        responses: [
            ("200", R.content("The event stream.", type: "text/event-stream", schema: OpenAPIComponents.eventStreamSchema)),
            ("404", R.shared("JobNotFound")),
            ("503", R.shared("StorageUnavailable")),
        ])
}
