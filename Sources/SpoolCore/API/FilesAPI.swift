import Logging
import SpoolHTTP
import SpoolJSON

/// The stored output files of a job (README, "Stored files"):
/// `GET`/`HEAD /v1/jobs/{id}/files/{name}` serves the bytes with `ETag` (the SHA-256), `Accept-Ranges`, single
/// `Range`s (206, or 416 with `Content-Range: bytes */size`) and `If-None-Match` (304), streamed from the file by
/// the event loop; a backend that serves by presigned URL answers 302 there. The job's team key reads it (another
/// team's: 404), and so does anyone holding a signed link (`?expires=…&signature=…`) until it expires.
/// `POST /v1/jobs/{id}/files/{name}/link` makes such a link (`{"expires_in": seconds}`, default 1 h, at most 7 days).
struct FilesAPI: Sendable {
    let store: any GatewayStore
    let storage: any FileStorage
    let links: SignedFileLinks
    let authenticator: Authenticator
    let configuration: SpoolConfiguration
    let logger: Logger

    func register(in router: inout Router) {
        router.get("/v1/jobs/{id}/files/{name}", .async { try await serve($0) })
        router.post("/v1/jobs/{id}/files/{name}/link", .async { try await link($0) })
    }

    private func serve(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id = request.pathParameters["id"] ?? "", name = request.pathParameters["name"] ?? ""
        let file: JobFile
        if let signature = request.queryValue("signature") {
            file = try await signedFile(id, name, expires: request.queryValue("expires"), signature: signature)
        } else {
            file = try await storedFile(id, name, principal: try await authenticator.authenticate(request))
        }
        guard let key = file.storageKey, let sha256 = file.sha256 else { throw Self.notStored(file) }
        switch try await storage.location(of: key, expiresIn: .seconds(3600)) {
        case .redirect(let url):
            return HTTPResponse(status: HTTPStatus(code: 302), headers: ["Location": url, "Cache-Control": "private, no-store"])
        case .localFile(let path):
            return try respond(request, file: file, path: path, etag: "\"\(sha256)\"")
        }
    }

    private func respond(_ request: HTTPRequest, file: JobFile, path: String, etag: String) throws -> HTTPResponse {
        let opened: HTTPFile
        do {
            opened = try HTTPFile(path: path)
        } catch {
            logger.error("a stored file is missing from storage", metadata: [
                "job_id": "\(file.jobID)", "file": "\(file.name)", "error": "\(error)",
            ])
            throw HTTPError(.gone, code: "gone", message: "The file \(file.name) is no longer in storage.")
        }
        let disposition = request.queryValue("download") == "1" ? "attachment" : "inline"
        var headers: HTTPHeaders = [
            "Content-Type": file.contentType, "ETag": etag, "Accept-Ranges": "bytes",
            "Cache-Control": "private, max-age=3600",
            "Content-Disposition": "\(disposition); filename=\"\(file.name)\"",
        ]
        if let asked = request.headers["If-None-Match"], Self.matches(asked, etag: etag) {
            return HTTPResponse(status: .notModified, headers: headers)
        }
        let size = opened.size
        var range = ByteRangeRequest(header: request.headers["Range"], size: size)
        if let ifRange = request.headers["If-Range"], ifRange != etag { range = .whole }
        switch range {
        case .whole:
            return HTTPResponse(status: .ok, headers: headers, body: .file(opened, offset: 0, length: size))
        case .range(let first, let last):
            headers.set("Content-Range", "bytes \(first)-\(last)/\(size)")
            return HTTPResponse(
                status: HTTPStatus(code: 206), headers: headers, body: .file(opened, offset: first, length: last - first + 1))
        case .unsatisfiable:
            headers.set("Content-Range", "bytes */\(size)")
            let error = HTTPError(
                HTTPStatus(code: 416), code: "range_not_satisfiable",
                message: "The range \(request.headers["Range"] ?? "") is outside the file's \(size) bytes.")
            var response = error.response
            for field in headers where field.name == "Content-Range" || field.name == "ETag" {
                response.headers.set(field.name, field.value)
            }
            return response
        }
    }

    private func link(_ request: HTTPRequest) async throws -> HTTPResponse {
        let principal = try await authenticator.authenticate(request)
        let id = request.pathParameters["id"] ?? "", name = request.pathParameters["name"] ?? ""
        var lifetime = SignedFileLinks.defaultLifetimeSeconds
        if !request.body.isEmpty {
            guard let body = try? JSONValue(parsing: request.body), let object = body.objectValue else {
                throw HTTPError(.badRequest, code: "invalid_json", message: "The body must be a JSON object.")
            }
            if let asked = object["expires_in"], !asked.isNull {
                guard let seconds = asked.integerValue, (1...SignedFileLinks.longestLifetimeSeconds).contains(seconds) else {
                    throw APIErrors.validationFailed([.init(
                        field: "expires_in",
                        message: "must be a whole number of seconds from 1 to \(SignedFileLinks.longestLifetimeSeconds)")])
                }
                lifetime = seconds
            }
        }
        let file = try await storedFile(id, name, principal: principal)
        guard file.state == .stored else { throw Self.notStored(file) }
        let expires = Timestamp.now().milliseconds / 1000 + lifetime
        let query = try await links.query(jobID: id, name: name, expires: expires)
        let url = baseURL(request) + file.path + "?" + query
        return .json([
            "url": .string(url), "expires_at": .string(Timestamp(milliseconds: expires * 1000).rfc3339),
        ])
    }

    /// Where callers reach this gateway: `public_url`, else the request's `Host`; relative without either.
    private func baseURL(_ request: HTTPRequest) -> String {
        if let url = configuration.publicURL { return url.hasSuffix("/") ? String(url.dropLast()) : url }
        return request.headers["Host"].map { "http://" + $0 } ?? ""
    }

    /// The file, if `principal` may see the job; 404 otherwise, as if it did not exist; 410 once expired.
    private func storedFile(_ id: String, _ name: String, principal: Principal) async throws -> JobFile {
        let job = try await readJob(id)
        guard let job, principal.canSee(team: job.team) else { throw APIErrors.jobNotFound(id) }
        return try Self.file(named: name, of: job)
    }

    private func signedFile(_ id: String, _ name: String, expires: String?, signature: String) async throws -> JobFile {
        guard let expires = expires.flatMap({ Int64($0) }) else {
            throw HTTPError(.forbidden, code: "forbidden", message: "This link is not valid: it has no expiry.")
        }
        let now = Timestamp.now().milliseconds / 1000
        switch try await links.verify(jobID: id, name: name, expires: expires, signature: signature, now: now) {
        case .invalid:
            throw HTTPError(.forbidden, code: "forbidden", message: "This link is not valid: its signature does not match.")
        case .expired:
            throw HTTPError(.forbidden, code: "forbidden", message: "This link expired at \(Timestamp(milliseconds: expires * 1000).rfc3339).")
        case .valid:
            guard let job = try await readJob(id) else { throw APIErrors.jobNotFound(id) }
            return try Self.file(named: name, of: job)
        }
    }

    private func readJob(_ id: String) async throws -> Job? {
        do {
            return try await store.job(id)
        } catch {
            throw JobRefusal.storage(error, logger: logger)
        }
    }

    private static func file(named name: String, of job: Job) throws -> JobFile {
        guard let file = job.files.first(where: { $0.name == name }) else {
            throw HTTPError.notFound("Job \(job.id) has no stored file \(name).")
        }
        if file.state == .expired {
            throw HTTPError(.gone, code: "gone", message: "The file \(name) was deleted at the end of its retention.")
        }
        return file
    }

    private static func notStored(_ file: JobFile) -> HTTPError {
        HTTPError.notFound(
            "The file \(file.name) was not stored (\(file.reason ?? "no reason recorded")); fal's URL is its source_url.")
    }

    /// `If-None-Match`: `*` or a list of entity tags, weak ones compared weakly (RFC 9110 §13.1.2).
    static func matches(_ header: String, etag: String) -> Bool {
        header.split(separator: ",").contains { candidate in
            let tag = candidate.trimmingCharacters(in: " \t")
            return tag == "*" || tag == etag || tag == "W/" + etag
        }
    }
}
