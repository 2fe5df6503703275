/// Multipart upload for files at or above the threshold: initiate, upload the parts one at a time from the
/// staging file, complete; any failure aborts the upload so that the store drops the parts it holds.
extension S3FileStorage {
    /// S3 allows at most 10,000 parts: a file too large for the configured part size gets larger parts.
    static let maximumParts: Int64 = 10_000

    func uploadInParts(_ file: StagedFileReader, key: String, contentType: String, size: Int64) async throws {
        let created = try await client.send(S3Request(
            operation: "CreateMultipartUpload", method: .post, key: key, query: [("uploads", "")],
            headers: [("Content-Type", contentType)], body: []))
        guard let uploadID = S3XML.text(of: "UploadId", in: created.body), !uploadID.isEmpty else {
            throw S3Error(operation: "CreateMultipartUpload", key: key, status: created.status,
                          code: "MalformedResponse", message: "the answer names no UploadId")
        }
        do {
            let partSize = max(self.partSize, (size + Self.maximumParts - 1) / Self.maximumParts)
            var parts: [(number: Int, etag: String)] = []
            var offset: Int64 = 0
            while offset < size {
                let count = Int(min(partSize, size - offset))
                let number = parts.count + 1
                let body = try read(file, offset: offset, count: count, key: key)
                let answer = try await client.send(S3Request(
                    operation: "UploadPart", method: .put, key: key,
                    query: [("partNumber", String(number)), ("uploadId", uploadID)],
                    headers: [("Content-Type", "application/octet-stream")], body: body))
                guard let etag = answer.headers["etag"] else {
                    throw S3Error(operation: "UploadPart", key: key, status: answer.status,
                                  code: "MalformedResponse", message: "part \(number) came back without an ETag")
                }
                parts.append((number, etag))
                offset += Int64(count)
            }
            _ = try await client.send(S3Request(
                operation: "CompleteMultipartUpload", method: .post, key: key, query: [("uploadId", uploadID)],
                headers: [("Content-Type", "application/xml")], body: Array(Self.completion(parts).utf8)))
        } catch {
            await abort(uploadID: uploadID, key: key)
            throw error
        }
    }

    /// The `CompleteMultipartUpload` document listing every part with its ETag.
    static func completion(_ parts: [(number: Int, etag: String)]) -> String {
        let items = parts.map {
            "<Part><PartNumber>\($0.number)</PartNumber><ETag>\(S3XML.escape($0.etag))</ETag></Part>"
        }
        return "<CompleteMultipartUpload>\(items.joined())</CompleteMultipartUpload>"
    }

    /// Best effort, and also when the upload failed because its task was cancelled (the abort runs in a task of
    /// its own): a failed abort leaves parts that a bucket lifecycle rule for incomplete uploads removes.
    private func abort(uploadID: String, key: String) async {
        let client = self.client
        await Task.detached {
            do {
                _ = try await client.send(S3Request(
                    operation: "AbortMultipartUpload", method: .delete, key: key, query: [("uploadId", uploadID)]))
            } catch {
                client.logger.warning("could not abort a multipart upload", metadata: [
                    "key": "\(key)", "upload_id": "\(uploadID)", "error": "\(error)",
                ])
            }
        }.value
    }
}
