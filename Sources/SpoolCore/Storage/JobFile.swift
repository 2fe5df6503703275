import SpoolJSON

/// One output file of a job as Spool keeps track of it: where fal has it, and whether (and how) Spool holds
/// its own copy. The job object's `files` lists them once the job is `completed`.
package struct JobFile: Sendable, Equatable {
    /// Where the copy stands.
    package enum State: String, Sendable {
        /// Being copied; the job is not `completed` yet.
        case pending
        /// In Spool's storage under `storageKey`.
        case stored
        /// Copying gave up; `reason` says why and fal's URL is all there is.
        case failed
        /// Deleted by the retention sweeper.
        case expired
    }

    package var jobID: String
    /// Unique within the job; the last segment of `/v1/jobs/{id}/files/{name}`.
    package var name: String
    package var team: String
    /// JSON pointer of the file object within the job's result (`/video`, `/images/0`).
    package var resultPath: String
    package var sourceURL: String
    package var contentType: String
    /// `file_size` as fal announced it, if it did.
    package var declaredSize: Int64?
    package var state: State
    package var size: Int64?
    package var sha256: String?
    package var storageKey: String?
    package var reason: String?
    package var createdAt: Timestamp
    package var storedAt: Timestamp?
    package var expiresAt: Timestamp?

    /// The reason of a file the retention sweeper deleted.
    package static let expiredReason = "expired"

    /// Spool's URL of this file.
    package var path: String { "/v1/jobs/\(jobID)/files/\(name)" }

    /// The entry of the job object's `files`.
    package var json: JSONValue {
        var object: JSONObject = [
            "name": .string(name), "content_type": .string(contentType),
            "size": (size ?? declaredSize).map(JSONValue.integer) ?? .null,
            "sha256": sha256.map(JSONValue.string) ?? .null,
            "url": .string(path), "source_url": .string(sourceURL), "stored": .bool(state == .stored),
            "expires_at": expiresAt.map { .string($0.rfc3339) } ?? .null,
        ]
        if state != .stored { object["reason"] = .string(reason ?? (state == .pending ? "copy pending" : "not stored")) }
        return .object(object)
    }
}
