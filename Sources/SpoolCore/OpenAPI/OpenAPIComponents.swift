import SpoolJSON

/// The parts of the document that many operations share: the bearer scheme, parameters, headers and answers.
enum OpenAPIComponents {
    static let securitySchemes: JSONValue = [
        "bearer": [
            "type": "http", "scheme": "bearer",
            "description": "`Authorization: Bearer <api key>`. Keys are made with `spool keys create --team NAME [--admin]`; a team key sees its own team's jobs, an admin key sees all.",
        ],
    ]

    static let parameters: JSONValue = [
        "JobID": OpenAPIParameter.path("id", "The job's id.", example: "job_01JDV8W3K5M9Q2R7T4X6Y8Z0AB"),
        "Range": OpenAPIParameter.header(
            "Range", ["type": "string", "pattern": "^bytes="], "One byte range, `bytes=first-last`, `bytes=first-` or `bytes=-count`."),
        "DeliveryID": OpenAPIParameter.path("delivery_id", "The delivery's id.", example: "dlv_01JDV8W3K5M9Q2R7T4X6Y8Z0AB"),
        "ModelID": OpenAPIParameter.path("id", "The model's catalog id.", example: "kling-video-o3-pro-reference-to-video"),
        "IdempotencyKey": OpenAPIParameter.header(
            "Idempotency-Key", ["type": "string", "minLength": 1, "maxLength": 255],
            "The same key from the same team within 24 h returns the original job with 200 instead of creating another; the same key with a different body is answered 409 `idempotency_conflict`."),
        "Prefer": OpenAPIParameter.header(
            "Prefer", ["type": "string", "pattern": "^\\s*wait(\\s*=\\s*\"?[0-9]+(\\.[0-9]+)?\"?)?", "examples": ["wait=60"]],
            "`wait` or `wait=N` (RFC 7240): hold the answer until the job is terminal (200) or N seconds pass (202 with the job as it stands). Without N the configured default applies; N is capped at the configured maximum (default 900). The answer carries `Preference-Applied`."),
        "LastEventID": OpenAPIParameter.header(
            "Last-Event-ID", ["type": "string", "pattern": "^[0-9]+$"],
            "Resume after this event: the stream starts with the transition whose `id` follows it."),
    ]

    static let headers: JSONValue = [
        "Location": header("The job's URL, `/v1/jobs/{id}`.", example: "/v1/jobs/job_01JDV8W3K5M9Q2R7T4X6Y8Z0AB"),
        "Retry-After": header("Seconds to wait before trying again.", example: "30"),
        "Idempotent-Replayed": header("`true` when the answer is the job an earlier request with this `Idempotency-Key` created.", example: "true"),
        "Preference-Applied": header("The wait that was applied, `wait=N`.", example: "wait=60"),
        "WWW-Authenticate": header("The scheme to authenticate with: `Bearer`.", example: "Bearer"),
        "ETag": header("The stored file's SHA-256, quoted.", example: "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\""),
        "Accept-Ranges": header("Always `bytes`: single ranges are served.", example: "bytes"),
        "Content-Range": header("The bytes sent and the file's size (`bytes */size` with 416).", example: "bytes 0-1023/52831"),
    ]

    static let responses: JSONValue = [
        "Unauthorized": OpenAPIResponse.error(
            "The `Authorization: Bearer` key is missing, unknown or revoked.", codes: ["unauthorized"],
            headers: ["WWW-Authenticate"]),
        "JobNotFound": OpenAPIResponse.error(
            "There is no such job, or it belongs to another team (which is never revealed).", codes: ["not_found"]),
        "StorageUnavailable": OpenAPIResponse.error(
            "The database could not be reached or its disk is full; nothing was stored.",
            codes: ["storage_unavailable", "storage_full"], headers: ["Retry-After"]),
        "PayloadTooLarge": OpenAPIResponse.error(
            "The body is larger than the configured maximum (default 1 MiB).", codes: ["payload_too_large"]),
        "InvalidQuery": OpenAPIResponse.error(
            "A query parameter is not valid or not known; `details` names each one.", codes: ["validation_failed"]),
    ]

    /// The schema of a `text/event-stream` body: UTF-8 text in the server-sent events format.
    static let eventStreamSchema: JSONValue = [
        "type": "string",
        "description": """
            Server-sent events. Each transition of the job is `id: <sequence number>`, `event: status`, \
            `data: <Job object, with history>`; a change of queue position comes as `event: status` without an `id`; \
            fal's log lines while the job runs come as `event: log` with `data: <JobLogLine>`. A comment line \
            (`: keep-alive`) is sent every 15 s. The stream closes after the terminal event (`completed`, `failed` \
            or `cancelled`); a client that connects after the end gets the whole history and the close.
            """,
        "examples": ["id: 1\nevent: status\ndata: {\"id\":\"job_01JDV8W3K5M9Q2R7T4X6Y8Z0AB\",\"status\":\"queued\",…}\n\n"],
    ]

    private static func header(_ description: String, example: String) -> JSONValue {
        ["description": .string(description), "schema": ["type": "string"], "example": .string(example)]
    }
}
