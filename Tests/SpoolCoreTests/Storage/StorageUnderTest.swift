import Foundation
import SpoolCore
import SpoolFal
import SpoolTestSupport
import Testing

/// A storage backend the contract suite runs against: a name for the test report, and a factory for a fresh
/// storage whose multipart threshold (where it has one) is S3's smallest part, so `largeFileSize` crosses it.
struct StorageUnderTest: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable (_ stagingDirectory: String) async throws -> any FileStorage

    var testDescription: String { name }

    /// Every backend the contract covers.
    static let all: [StorageUnderTest] = [.s3]

    /// moto's S3 server in its default mode, path-style, 5 MiB parts.
    static let s3 = StorageUnderTest(name: "s3") { stagingDirectory in
        let server = try await S3TestServer.open.value
        return try S3FileStorage(
            settings: server.settings(), stagingDirectory: stagingDirectory,
            logger: quietLogger("s3"))
    }

    /// Larger than S3's smallest part twice over, and not a multiple of it: three parts, the last one short.
    static let largeFileSize = 2 * S3StorageSettings.minimumPartSize + 123_457
}

/// Reads a stored object back the way a reader would get it: from the file on disk, or through the redirect URL
/// with a `Range` request, which the store answers itself.
enum StoredObjectReader {
    struct Answer {
        var status: Int
        var body: [UInt8]
        var contentType: String?
    }

    private static let client = HTTPClient(
        configuration: HTTPClientConfiguration(totalTimeout: .seconds(120), maxResponseBytes: 64 << 20))

    /// The bytes of `location`, all of them or those of `range` (an HTTP `Range` value such as `bytes=0-99`).
    static func read(_ location: StoredObjectLocation, range: String? = nil) async throws -> Answer {
        switch location {
        case .redirect(let url):
            let response = try await client.execute(HTTPClientRequest(
                url: url, headers: range.map { [("Range", $0)] } ?? []))
            return Answer(status: response.status, body: response.body, contentType: response.headers["content-type"])
        case .localFile(let path):
            guard let data = FileManager.default.contents(atPath: path) else { return Answer(status: 404, body: []) }
            let bytes = [UInt8](data)
            guard let range, let slice = slice(bytes, range) else { return Answer(status: 200, body: bytes) }
            return Answer(status: 206, body: Array(slice))
        }
    }

    /// `bytes=A-B`, `bytes=A-` and `bytes=-N` of `bytes`.
    private static func slice(_ bytes: [UInt8], _ range: String) -> ArraySlice<UInt8>? {
        let spec = range.dropFirst("bytes=".count).split(separator: "-", omittingEmptySubsequences: false)
        guard spec.count == 2 else { return nil }
        if spec[0].isEmpty, let suffix = Int(spec[1]) { return bytes.suffix(suffix) }
        guard let first = Int(spec[0]) else { return nil }
        let last = Int(spec[1]) ?? bytes.count - 1
        return bytes[first...min(last, bytes.count - 1)]
    }
}

/// Writes `bytes` as a staging file of `directory` and returns its path.
func stageFile(_ bytes: [UInt8], in directory: String, name: String = UUID().uuidString) throws -> String {
    let path = directory + "/" + name
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
        throw CocoaError(.fileWriteUnknown)
    }
    return path
}

/// Bytes that differ from offset to offset, so that a misplaced range or part shows.
func patternedBytes(_ count: Int, seed: UInt64 = 0x5EED) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}
