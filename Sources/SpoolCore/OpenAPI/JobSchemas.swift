import SpoolJSON

/// The schemas of jobs: the job object, its history entries, errors, log lines, lists and the submit request.
enum JobSchemas {
    typealias S = OpenAPISchema

    static func all(catalog: ModelCatalog) -> [(String, JSONValue)] {
        [
            ("Job", job), ("JobStatus", status), ("JobEvent", event), ("JobError", jobError),
            ("JobResult", result), ("JobLogLine", logLine), ("JobList", list),
            ("SubmitRequest", InputSchemas.submitRequest(catalog: catalog)),
        ]
    }

    static let status = S.choice(
        "Where the job is. `queued`: stored, waiting for a worker (also after a retryable failure); `submitting`: a worker is handing it to fal; `in_queue`: accepted by fal, waiting (`queue_position` set); `in_progress`: running at fal; `completed`, `failed` and `cancelled` are terminal and never change again.",
        JobStatus.allCases.map(\.rawValue))

    static let webhookEvent = S.choice(
        "A webhook event type. `job.status` asks for every transition.", WebhookOutbox.eventTypes)

    static let job = S.object(
        "A job: what was asked, where it is, and what came of it.",
        [
            ("id", S.string("Opaque, URL-safe, sortable by creation.", pattern: "^job_", example: "job_01JDV8W3K5M9Q2R7T4X6Y8Z0AB")),
            ("object", S.constant("job")),
            ("model", S.string("The catalog id of the model.", example: "kling-video-o3-pro-reference-to-video")),
            ("fal_endpoint", S.string("fal's endpoint id for the model.", example: "fal-ai/kling-video/o3/pro/reference-to-video")),
            ("team", S.string("The team whose key submitted the job.")),
            ("status", S.ref("JobStatus")),
            ("input", S.object("The input as accepted: fal's aliases renamed, numeric strings made numbers; see the `input.<model id>` schemas.", [], additionalProperties: true)),
            ("metadata", S.nullable(S.object("The submitted metadata, echoed back untouched.", [], additionalProperties: true))),
            ("priority", S.integer("Higher runs first.", minimum: -100, maximum: 100)),
            ("attempts", S.integer("How many times the job was handed to fal.", minimum: 0)),
            ("queue_position", S.nullable(S.integer("The job's place in fal's queue while `in_queue`.", minimum: 0))),
            ("fal_request_id", S.nullable(S.string("fal's request id once fal accepted the job."))),
            ("result", S.nullable(S.ref("JobResult"))),
            ("files", S.array(S.ref("JobFile"), "The output files found in `result` and Spool's copies of them; empty until the job is `completed`. A completed job was held in its running status until every file was stored or its copy had definitively failed.")),
            ("error", S.nullable(S.ref("JobError"))),
            ("webhook_url", S.nullable(S.string("Where webhook events are sent.", format: "uri"))),
            ("webhook_events", S.array(webhookEvent, "The event types sent to `webhook_url`.")),
            ("deadline_at", S.nullable(S.timestamp("When the job is cancelled at fal and failed with `deadline_exceeded` if not completed."))),
            ("created_at", S.timestamp("When the job was stored.")),
            ("updated_at", S.timestamp("When the job last changed.")),
            ("started_at", S.nullable(S.timestamp("When the job started running at fal."))),
            ("completed_at", S.nullable(S.timestamp("When the job reached a terminal status."))),
            ("fal_served_from", S.nullable(S.string("The fal endpoint that ran the job, as fal reported it (`X-Fal-Served-From`); another than `fal_endpoint` only for models whose catalog entry allows fal's fallbacks."))),
            ("cost", S.object("Cost estimate, and what fal billed once it says.", [
                ("estimated_usd", S.number("Estimated cost in US dollars, from the model's price per second of video.", minimum: 0)),
                ("billed_units", S.nullable(S.number("The units fal billed (`X-Fal-Billable-Units`; for Kling, seconds of video), null until fal reports them.", minimum: 0))),
                ("billed_usd", S.nullable(S.number("`billed_units` at the catalog's unit price; null while either is unknown. Budgets and `/v1/usage` use it in place of the estimate once known.", minimum: 0))),
            ], required: ["estimated_usd", "billed_units", "billed_usd"])),
            ("urls", S.object("Where to follow the job.", [
                ("self", S.string("The job.")), ("events", S.string("Its event stream.")),
                ("result", S.string("Its result.")), ("cancel", S.string("Where to cancel it (POST).")),
            ])),
            ("history", S.array(S.ref("JobEvent"), "Every transition in order. Present on `GET /v1/jobs/{id}` and in event streams, absent from lists and other answers.")),
        ],
        required: ["id", "object", "model", "fal_endpoint", "team", "status", "input", "metadata", "priority",
                   "attempts", "queue_position", "fal_request_id", "result", "files", "error", "webhook_url",
                   "webhook_events", "deadline_at", "created_at", "updated_at", "started_at", "completed_at",
                   "fal_served_from", "cost", "urls"])

    static let event = S.object(
        "One transition of a job.",
        [
            ("status", S.ref("JobStatus")),
            ("at", S.timestamp("When the transition happened.")),
            ("attempt", S.integer("The attempt the transition belongs to, from 1.", minimum: 1)),
            ("note", S.nullable(S.string("Why, when there is something to say."))),
        ])

    static let jobError = S.object(
        "Why a job failed or was cancelled.",
        [
            ("code", S.string("`upstream_validation` (fal refused the input; `detail` is fal's own detail), `upstream_error`, `upstream_auth`, `deadline_exceeded`, `retries_exhausted` or `cancelled`.", example: "upstream_validation")),
            ("message", S.string("A sentence for people.")),
            ("detail", ["description": "More about the failure, such as fal's validation detail; null when there is none."]),
        ])

    static let result = [
        "type": "object",
        "description": "fal's output object, unchanged. For the video models: `{\"video\": {\"url\", \"content_type\", \"file_name\", \"file_size\"}}`.",
        "properties": [
            "video": S.object("The generated video.", [
                ("url", S.string("Where to download the video.", format: "uri")),
                ("content_type", S.string("Its media type.", example: "video/mp4")),
                ("file_name", S.string("Its file name.", example: "output.mp4")),
                ("file_size", S.integer("Its size in bytes.", minimum: 0)),
            ], required: ["url"], additionalProperties: true),
        ],
        "additionalProperties": true,
    ] as JSONValue

    static let logLine = S.object(
        "A log line fal wrote while the job ran (`event: log` in an event stream).",
        [
            ("message", S.string("The line.")), ("level", S.string("Such as `INFO` or `ERROR`.")),
            ("source", S.string("Such as `user`.")), ("timestamp", S.string("When fal wrote it.")),
        ],
        required: ["message"], additionalProperties: true)

    static let list = S.object(
        "A page of jobs, newest first.",
        [
            ("object", S.constant("list")),
            ("data", S.array(S.ref("Job"), "The jobs, without `history`.")),
            ("next_cursor", S.nullable(S.string("Pass as `cursor` for the next page; null on the last page."))),
        ])
}
