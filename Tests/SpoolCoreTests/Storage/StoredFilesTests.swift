import Foundation
import SpoolFal
import SpoolJSON
import Testing
@testable import SpoolCore

@Suite("Stored files: serving")
struct StoredFilesTests {
    @Test("a completed job's video is stored byte for byte, and served whole, by range, by HEAD, with 304 and 416")
    func roundTrip() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let job = try await spool.completedJob(key: key)
            #expect(job["status"]?.stringValue == "completed")
            let file = try #require(job.firstFile)
            #expect(file["stored"] == true)
            #expect(file["name"]?.stringValue == "output.mp4")
            #expect(file["content_type"]?.stringValue == "video/mp4")
            let source = try #require(file["source_url"]?.stringValue)
            // The result is fal's output, unchanged.
            #expect(job["result"]?["video"]?["url"]?.stringValue == source)
            let original = try await spool.download(source)
            #expect(original.count > 1000)
            #expect(file["size"]?.integerValue == Int64(original.count))
            #expect(file["sha256"]?.stringValue == SHA256Hex.of(original))

            let path = try #require(file["url"]?.stringValue)
            let whole = try await spool.request(.get, path, key: key)
            #expect(whole.status == 200)
            #expect(whole.body == original)
            #expect(whole.headers["Content-Type"] == "video/mp4")
            #expect(whole.headers["Accept-Ranges"] == "bytes")
            let etag = try #require(whole.headers["ETag"])
            #expect(etag == "\"\(SHA256Hex.of(original))\"")

            let middle = try await spool.request(.get, path, key: key, headers: [("Range", "bytes=100-1099")])
            #expect(middle.status == 206)
            #expect(middle.body == Array(original[100...1099]))
            #expect(middle.headers["Content-Range"] == "bytes 100-1099/\(original.count)")
            let tail = try await spool.request(.get, path, key: key, headers: [("Range", "bytes=-10")])
            #expect(tail.status == 206)
            #expect(tail.body == Array(original.suffix(10)))
            let open = try await spool.request(.get, path, key: key, headers: [("Range", "bytes=\(original.count - 5)-")])
            #expect(open.body == Array(original.suffix(5)))

            let head = try await spool.request(.head, path, key: key)
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.headers["Content-Length"] == String(original.count))
            #expect(head.headers["ETag"] == etag)

            let unchanged = try await spool.request(.get, path, key: key, headers: [("If-None-Match", etag)])
            #expect(unchanged.status == 304)
            #expect(unchanged.body.isEmpty)

            let outside = try await spool.request(.get, path, key: key, headers: [("Range", "bytes=\(original.count)-")])
            #expect(outside.status == 416)
            #expect(outside.headers["Content-Range"] == "bytes */\(original.count)")
            #expect(outside.json["error"]?["code"]?.stringValue == "range_not_satisfiable")

            // The same connection goes on serving after file bodies: a JSON request right behind them.
            let again = try await spool.request(.get, "/v1/jobs/\(job["id"]?.stringValue ?? "")", key: key)
            #expect(again.json["files"] == job["files"])
        }
    }

    @Test("another team's key gets 404 for a stored file, and no key gets 401")
    func teamIsolation() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let other = try await spool.key(team: "sales")
            let job = try await spool.completedJob(key: key)
            let path = try #require(job.firstFile?["url"]?.stringValue)
            let refused = try await spool.request(.get, path, key: other)
            #expect(refused.status == 404)
            #expect(refused.json["error"]?["code"]?.stringValue == "not_found")
            #expect(try await spool.request(.post, path + "/link", key: other).status == 404)
            #expect(try await spool.request(.get, path).status == 401)
            #expect(try await spool.request(.get, "/v1/jobs/\(job["id"]?.stringValue ?? "")/files/nothing.mp4", key: key).status == 404)
        }
    }

    @Test("a signed link works without a key until it expires; altered, expired or unsigned links get 403")
    func signedLinks() async throws {
        let secret = "test-link-secret"
        try await withGateway(configure: { $0.storage.linkSecret = secret }) { spool in
            let key = try await spool.key(team: "marketing")
            let job = try await spool.completedJob(key: key)
            let jobID = try #require(job["id"]?.stringValue)
            let path = try #require(job.firstFile?["url"]?.stringValue)
            let original = try await spool.download(try #require(job.firstFile?["source_url"]?.stringValue))

            let made = try await spool.request(.post, path + "/link", key: key, json: ["expires_in": 600])
            #expect(made.status == 200)
            let url = try #require(made.json["url"]?.stringValue)
            let expiresAt = try #require(made.json["expires_at"]?.stringValue)
            #expect(Timestamp(rfc3339: expiresAt).map { $0.seconds - Timestamp.now().seconds } ?? 0 > 500)
            let linkPath = String(url.dropFirst(spool.baseURL.count))
            #expect(url.hasPrefix(spool.baseURL + path + "?"))
            let fetched = try await spool.request(.get, linkPath)
            #expect(fetched.status == 200)
            #expect(fetched.body == original)
            #expect(try await spool.request(.get, linkPath, headers: [("Range", "bytes=0-9")]).body == Array(original.prefix(10)))

            let query = try #require(linkPath.split(separator: "?").last)
            let parts = Dictionary(uniqueKeysWithValues: query.split(separator: "&").map {
                let pair = $0.split(separator: "=", maxSplits: 1)
                return (String(pair[0]), String(pair[1]))
            })
            let expires = try #require(parts["expires"].flatMap { Int64($0) })
            let signature = try #require(parts["signature"])
            for altered in [
                "\(path)?expires=\(expires + 3600)&signature=\(signature)",
                "\(path)?expires=\(expires)&signature=\(String(signature.dropLast()))\(signature.hasSuffix("0") ? "1" : "0")",
                "\(path)?expires=\(expires)&signature=",
                "\(path.replacingOccurrences(of: "output.mp4", with: "other.mp4"))?expires=\(expires)&signature=\(signature)",
            ] {
                let refused = try await spool.request(.get, altered)
                #expect(refused.status == 403, "\(altered)")
                #expect(refused.json["error"]?["code"]?.stringValue == "forbidden")
            }
            // A link signed with the right secret whose time has passed.
            let past = Timestamp.now().milliseconds / 1000 - 5
            let expiredSignature = SignedFileLinks.signature(
                key: SignedFileLinks.key(secret: secret), jobID: jobID, name: "output.mp4", expires: past)
            let expired = try await spool.request(.get, "\(path)?expires=\(past)&signature=\(expiredSignature)")
            #expect(expired.status == 403)
            #expect(expired.json["error"]?["message"]?.stringValue?.contains("expired") == true)

            let tooLong = try await spool.request(.post, path + "/link", key: key, json: ["expires_in": .integer(8 * 86_400)])
            #expect(tooLong.status == 422)
            let byDefault = try await spool.request(.post, path + "/link", key: key)
            let defaultExpiry = try #require(byDefault.json["expires_at"]?.stringValue.flatMap { Timestamp(rfc3339: $0) })
            #expect(abs(defaultExpiry.seconds - Timestamp.now().seconds - 3600) < 60)
        }
    }

    @Test("with rewrite_result_urls the result points at Spool's copy; the file keeps fal's URL as source_url")
    func rewrittenResult() async throws {
        try await withGateway(configure: { $0.storage.rewriteResultURLs = true }) { spool in
            let key = try await spool.key(team: "marketing")
            let job = try await spool.completedJob(key: key)
            let file = try #require(job.firstFile)
            #expect(job["result"]?["video"]?["url"] == file["url"])
            #expect(file["source_url"]?.stringValue?.hasPrefix(spool.simulator.baseURL) == true)
            let result = try await spool.request(.get, "/v1/jobs/\(job["id"]?.stringValue ?? "")/result", key: key)
            #expect(result.json["video"]?["url"] == file["url"])
        }
    }

    @Test("a waiter (Prefer: wait) and the job.completed webhook see the job with its files already stored")
    func watchersSeeStoredFiles() async throws {
        try await withGateway { spool in
            let key = try await spool.key(team: "marketing")
            let waited = try await spool.request(
                .post, "/v1/jobs", key: key, json: submission(extra: ["webhook_url": "http://127.0.0.1:9/hook"]),
                headers: [("Prefer", "wait=30")])
            #expect(waited.json["status"]?.stringValue == "completed")
            #expect(waited.json.firstFile?["stored"] == true)
            let jobID = try #require(waited.json["id"]?.stringValue)
            let payload = try await spool.gateway.store.deliveries(ofJob: jobID)
                .first { $0.eventType == "job.completed" }?.payload
            let body = try JSONValue(parsing: Array(try #require(payload).utf8))
            #expect(body["data"]?.firstFile?["stored"] == true)
            #expect(body["data"]?.firstFile?["sha256"] == waited.json.firstFile?["sha256"])
            let history = try await spool.request(.get, "/v1/jobs/\(jobID)", key: key).json["history"]?.arrayValue ?? []
            #expect(history.compactMap { $0["note"]?.stringValue }.contains { $0.contains("1 of 1 output file stored") })
        }
    }
}
