import SpoolJSON

/// The schemas of everything but jobs: the error shape, models, deliveries, the queue view, the webhook secret
/// and the operations answers.
enum ResourceSchemas {
    typealias S = OpenAPISchema

    static let all: [(String, JSONValue)] = [
        ("Error", error), ("Model", model), ("ModelList", modelList), ("Delivery", delivery),
        ("DeliveryList", deliveryList), ("Queue", queue), ("WebhookSecret", webhookSecret), ("Health", health),
        ("Readiness", readiness), ("FalWebhookReceipt", falReceipt), ("Usage", usage),
    ]

    static let error = S.object(
        "Every error has this shape, with a stable machine code.",
        [
            ("error", S.object("The error.", [
                ("code", S.string("A stable machine code, such as `validation_failed`, `unknown_model`, `unauthorized`, `forbidden`, `not_found`, `not_completed`, `already_terminal`, `idempotency_conflict`, `payload_too_large`, `quota_exceeded`.", example: "validation_failed")),
                ("message", S.string("A sentence for people.")),
                ("details", S.array(
                    S.object("One problem with one field.", [
                        ("field", S.string("Where the problem is, written as in code.", example: "input.elements[0].reference_image_urls[1]")),
                        ("message", S.string("What is wrong with it.", example: "must be an http(s) URL or a data:image/…;base64,… URI")),
                    ]),
                    "One entry per problem; present only where it helps.")),
                ("status", S.with(S.ref("JobStatus"), [("description", "With `not_completed`: the job's status.")])),
                ("job_error", S.with(S.ref("JobError"), [("description", "With `not_completed` for a failed job: its error.")])),
            ], required: ["code", "message"], additionalProperties: true)),
        ])

    static let model = S.object(
        "A model Spool can run, from the catalog (`config/models/<id>.json`).",
        [
            ("id", S.string("The catalog id, named in a job's `model`.", example: "kling-video-o3-pro-reference-to-video")),
            ("object", S.constant("model")),
            ("display_name", S.string("A name for people.")),
            ("description", S.string("What the model does.")),
            ("fal_endpoint", S.string("fal's endpoint id.", example: "fal-ai/kling-video/o3/pro/reference-to-video")),
            ("model_type", S.string("What kind of model it is.", example: "video")),
            ("capabilities", S.object("What the model takes and produces.", [
                ("input", S.array(["type": "string"], "Such as `text` and `image`.")),
                ("output", S.array(["type": "string"], "Such as `video`.")),
            ])),
            ("pricing", S.object("The price used for cost estimates.", [
                ("usd_per_second", S.number("US dollars per second of output video.", minimum: 0)),
            ])),
            ("json_request_schema", [
                "type": "object",
                "description": "The JSON Schema (2020-12) of a job's `input` for this model; also in this document as `input.<model id>`.",
            ]),
            ("default", S.boolean("True for the catalog's default model, the one a client offers first; at most one model has it.")),
        ])

    static let modelList = S.object(
        "Every model in the catalog.",
        [("object", S.constant("list")), ("data", S.array(S.ref("Model"), "The models, sorted by id."))])

    static let delivery = S.object(
        "One downstream webhook message for a job, and its attempts.",
        [
            ("id", S.string("The delivery's id.", pattern: "^dlv_")),
            ("object", S.constant("delivery")),
            ("event_type", JobSchemas.webhookEvent),
            ("webhook_id", S.string("The message's id, sent as `webhook-id`; the same on every attempt.")),
            ("url", S.string("Where it is sent.", format: "uri")),
            ("state", S.choice("`pending` (more attempts to come), `delivered` or `failed` (no more attempts).", ["pending", "delivered", "failed"])),
            ("attempts", S.integer("Attempts made so far.", minimum: 0)),
            ("last_status_code", S.nullable(S.integer("The HTTP status of the last attempt."))),
            ("last_error", S.nullable(S.string("What went wrong with the last attempt."))),
            ("next_attempt_at", S.nullable(S.timestamp("When the next attempt is due."))),
            ("created_at", S.timestamp("When the message was queued.")),
            ("updated_at", S.timestamp("When it last changed.")),
        ])

    static let deliveryList = S.object(
        "A job's deliveries, oldest first.",
        [("object", S.constant("list")), ("data", S.array(S.ref("Delivery"), "The deliveries."))])

    /// The figures of one usage line, and of the total.
    static let usageFigures: [(String, JSONValue)] = [
        ("jobs", S.integer("Jobs submitted.", minimum: 0)),
        ("estimated_usd", S.number("Their estimated cost in USD, made at submit.", minimum: 0)),
        ("billed_jobs", S.integer("Those of them that fal billed at a price the catalog knows.", minimum: 0)),
        ("billed_units", S.number("The units fal billed (`X-Fal-Billable-Units`; for Kling, seconds of video).", minimum: 0)),
        ("billed_usd", S.number("What fal billed for the `billed_jobs`, in USD.", minimum: 0)),
        ("spend_usd", S.number("What budgets count: the billed cost where known, the estimate for the other jobs.", minimum: 0)),
    ]

    static let usage = S.object(
        "Jobs, estimated and billed spend per UTC day (of submission) and model.",
        [
            ("object", S.string("Always `usage`.", example: "usage")),
            ("from", S.string("First day, inclusive (YYYY-MM-DD).")),
            ("to", S.string("Last day, inclusive (YYYY-MM-DD).")),
            ("team", S.nullable(S.string("The team reported; null when an admin asked for every team."))),
            ("data", S.array(S.object("One team, day and model.", [
                ("team", S.string("The team.")),
                ("day", S.string("The UTC day (YYYY-MM-DD).")),
                ("model", S.string("The model id.")),
            ] + usageFigures), "By day, then team, then model.")),
            ("total", S.object("The sums over `data`.", usageFigures)),
            ("stored_bytes", S.integer("Bytes of output files held in Spool's storage now (not per day), for `team`, or every team.", minimum: 0)),
        ])

    static let queue = S.object(
        "The queue as the gateway sees it, read without scanning jobs.",
        [
            ("depth", S.object("Jobs per unfinished status.", ["queued", "submitting", "in_queue", "in_progress"].map {
                ($0, S.integer("Jobs `\($0)`.", minimum: 0))
            })),
            ("oldest_queued_age_seconds", S.nullable(S.number("Age of the oldest `queued` job; null when none waits.", minimum: 0))),
            ("inflight", S.object("Jobs at fal, over all teams.", [
                ("current", S.integer("Jobs `submitting`, `in_queue` or `in_progress`.", minimum: 0)),
                ("limit", S.integer("The configured maximum (`SPOOL_MAX_INFLIGHT`).", minimum: 0)),
            ])),
            ("teams", S.array(S.object("One team with waiting or running jobs.", [
                ("team", S.string("The team.")),
                ("queued", S.integer("Its `queued` jobs.", minimum: 0)),
                ("in_flight", S.integer("Its jobs at fal.", minimum: 0)),
            ]), "Teams with work, by name.")),
            ("last_5m", S.object("Jobs that ended in the last five minutes.", ["completed", "failed", "cancelled"].map {
                ($0, S.integer("Jobs that ended `\($0)`.", minimum: 0))
            })),
        ])

    static let webhookSecret = S.object(
        "The caller's team's webhook signing secret.",
        [
            ("object", S.constant("webhook_secret")),
            ("team", S.string("The team.")),
            ("secret", S.string("`whsec_<base64>`; HMAC-SHA256 is keyed with the base64-decoded part.", pattern: "^whsec_")),
            ("active_secrets", S.integer("How many secrets sign deliveries now (2 during a rotation).", minimum: 1)),
            ("previous_secrets_valid_for_seconds", S.integer("After a rotation: how long the old secret keeps signing beside the new one.", minimum: 0)),
        ],
        required: ["object", "team", "secret", "active_secrets"])

    static let health = S.object("The process serves.", [("status", S.constant("ok"))])

    static let readiness = S.object(
        "Whether the gateway can do its work.",
        [
            ("status", S.choice("`ready`, or `not_ready` with the reason.", ["ready", "not_ready"])),
            ("reason", S.string("Why it is not ready, such as fal answering 401 to the configured key.")),
            ("failing", [
                "type": "object", "description": "Each failing check and its message; empty when ready.",
                "additionalProperties": ["type": "string"],
            ]),
            ("fal", S.choice(
                "What jobs are sent to: `fal`, or `emulator` when the gateway runs the built-in emulator (`spool serve --sim`).",
                ["fal", "emulator"])),
        ],
        required: ["status", "failing", "fal"])

    static let falReceipt = S.object("The callback was taken.", [("received", ["type": "boolean", "const": true])])
}
