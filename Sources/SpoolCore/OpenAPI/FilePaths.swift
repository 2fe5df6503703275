import SpoolJSON

/// The operations under `/v1/jobs/{id}/files`: a stored output file (GET, and HEAD) and its signed links.
enum FilePaths {
    typealias S = OpenAPISchema
    typealias R = OpenAPIResponse
    typealias P = OpenAPIParameter

    static let all = [file, link]

    static let fileName = P.path("name", "The file's `name`, as in the job's `files`.", example: "output.mp4")

    static let file = OpenAPIOperation(
        .get, "/v1/jobs/{id}/files/{name}", id: "getJobFile", tag: "Files", summary: "Read a stored output file",
        description: """
            The bytes of an output file Spool copied from fal (`HEAD` gives the same headers without them). `ETag` is \
            the file's SHA-256 in quotes; `If-None-Match` with it gives 304. One `Range: bytes=…` gives 206 with \
            `Content-Range` (several ranges, or a malformed header, are ignored: 200 with the whole file), a range \
            outside the file 416 with `Content-Range: bytes */size`. `?download=1` asks for \
            `Content-Disposition: attachment`. Needs the job's team key (another team's: 404), or no key with \
            `expires` and `signature` from a signed link. Where the storage serves by presigned URL, the answer is \
            a 302 there.
            """,
        parameters: [
            P.shared("JobID"), fileName, P.shared("Range"),
            P.query("expires", ["type": "integer"], "A signed link's expiry, unix seconds."),
            P.query("signature", ["type": "string", "pattern": "^[0-9a-f]{64}$"], "A signed link's signature."),
            P.query("download", ["type": "string", "enum": ["1"]], "`1`: served as an attachment."),
        ],
        responses: [
            ("200", R.content("The whole file.", type: "application/octet-stream", schema: S.binaryBody, headers: ["ETag", "Accept-Ranges"])),
            ("206", R.content("The range asked for.", type: "application/octet-stream", schema: S.binaryBody, headers: ["ETag", "Accept-Ranges", "Content-Range"])),
            ("302", ["description": "The storage serves this file itself: `Location` is a presigned URL."]),
            ("304", ["description": "`If-None-Match` named the file's `ETag`."]),
            ("403", R.error("The signed link was altered or has expired.", codes: ["forbidden"])),
            ("404", R.error("No such job for this key, or the job has no stored file of this name (not stored files say why).", codes: ["not_found"])),
            ("410", R.error("The file was deleted at the end of its retention.", codes: ["gone"])),
            ("416", R.error("The range lies outside the file.", codes: ["range_not_satisfiable"], headers: ["Content-Range"])),
            ("503", R.shared("StorageUnavailable")),
        ])

    static let link = OpenAPIOperation(
        .post, "/v1/jobs/{id}/files/{name}/link", id: "createJobFileLink", tag: "Files", summary: "Sign a link to a stored file",
        description: "A URL that reads the file without a key until `expires_at` (an HMAC-SHA256 signature over the job, the file and the expiry). Changing any part of it, or using it later, gets 403.",
        parameters: [P.shared("JobID"), fileName],
        requestBody: [
            "required": false,
            "content": ["application/json": ["schema": S.ref("FileLinkRequest")]],
        ],
        responses: [
            ("200", R.json("The link.", S.ref("FileLink"))),
            ("400", R.error("The body is not a JSON object.", codes: ["invalid_json"])),
            ("404", R.error("No such job for this key, or no stored file of this name.", codes: ["not_found"])),
            ("410", R.error("The file was deleted at the end of its retention.", codes: ["gone"])),
            ("422", R.error("`expires_in` is not a whole number of seconds from 1 to 604800.", codes: ["validation_failed"])),
            ("503", R.shared("StorageUnavailable")),
        ])
}

/// The schemas of stored files.
enum FileSchemas {
    typealias S = OpenAPISchema

    static let all: [(String, JSONValue)] = [("JobFile", file), ("FileLink", link), ("FileLinkRequest", linkRequest)]

    static let file = S.object(
        "An output file of a completed job and Spool's copy of it.",
        [
            ("name", S.string("Unique within the job: letters, digits, `.`, `_` and `-`.", example: "output.mp4")),
            ("content_type", S.string("The media type fal announced.", example: "video/mp4")),
            ("size", S.nullable(S.integer("Bytes: those stored, or those fal announced when not stored.", minimum: 0))),
            ("sha256", S.nullable(S.string("Lower-case hex SHA-256 of the stored bytes (the `ETag`)."))),
            ("url", S.string("Spool's URL of the file, `/v1/jobs/{id}/files/{name}`.")),
            ("source_url", S.string("fal's URL of the file.", format: "uri")),
            ("stored", S.boolean("Whether Spool holds the file now.")),
            ("expires_at", S.nullable(S.timestamp("When the retention sweep deletes it; null: kept."))),
            ("reason", S.string("Why the file is not stored: the copy failed (`storage is full…`, `file too large…`, fal's answer) or it `expired`. Absent when stored.")),
        ],
        required: ["name", "content_type", "size", "sha256", "url", "source_url", "stored", "expires_at"])

    static let link = S.object(
        "A signed link to a stored file.",
        [
            ("url", S.string("The link; no key needed.", format: "uri")),
            ("expires_at", S.timestamp("When it stops working.")),
        ],
        required: ["url", "expires_at"])

    static let linkRequest = S.object(
        "How long the link works.",
        [("expires_in", S.integer("Seconds, default 3600.", minimum: 1, maximum: 604_800))], required: [])
}
