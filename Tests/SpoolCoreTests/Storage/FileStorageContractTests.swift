import Foundation
import SpoolCore
import SpoolTestSupport
import Testing

/// What every `FileStorage` backend must do, run against each of `StorageUnderTest.all`: bytes stored come back
/// identical, whole and by ranges, small files and files above the multipart threshold alike; the staging file
/// is gone afterwards; an object deleted is gone, and deleting it twice is fine.
@Suite("FileStorage contract")
struct FileStorageContractTests {
    @Test("a small file comes back byte for byte, whole and by ranges, and its staging file is gone",
          arguments: StorageUnderTest.all)
    func smallFileRoundTrip(backend: StorageUnderTest) async throws {
        let staging = try TemporaryDirectory()
        let storage = try await backend.make(staging.path)
        let bytes = patternedBytes(10_000)
        let key = "contract/\(UUID().uuidString)/video clip été.mp4"
        let staged = try stageFile(bytes, in: staging.path)

        try await storage.store(stagedFile: staged, key: key, contentType: "video/mp4", size: Int64(bytes.count))

        #expect(!FileManager.default.fileExists(atPath: staged))
        let location = try await storage.location(of: key, expiresIn: .seconds(300))
        let whole = try await StoredObjectReader.read(location)
        #expect(whole.status == 200)
        #expect(whole.body == bytes)
        for (range, expected) in [
            ("bytes=0-0", bytes[0...0]), ("bytes=10-4095", bytes[10...4095]), ("bytes=9000-", bytes[9000...]),
            ("bytes=-17", bytes.suffix(17)),
        ] {
            let part = try await StoredObjectReader.read(location, range: range)
            #expect(part.status == 206, "\(range)")
            #expect(part.body == Array(expected), "\(range)")
        }
    }

    @Test("a file above the multipart threshold comes back byte for byte, ranges across part boundaries included",
          arguments: StorageUnderTest.all)
    func largeFileRoundTrip(backend: StorageUnderTest) async throws {
        let staging = try TemporaryDirectory()
        let storage = try await backend.make(staging.path)
        let bytes = patternedBytes(StorageUnderTest.largeFileSize, seed: 42)
        let key = "contract/\(UUID().uuidString)/large.mp4"
        let staged = try stageFile(bytes, in: staging.path)

        try await storage.store(stagedFile: staged, key: key, contentType: "video/mp4", size: Int64(bytes.count))

        #expect(!FileManager.default.fileExists(atPath: staged))
        let location = try await storage.location(of: key, expiresIn: .seconds(300))
        let whole = try await StoredObjectReader.read(location)
        #expect(whole.body.count == bytes.count)
        #expect(whole.body == bytes)
        let boundary = S3StorageSettings.minimumPartSize
        let across = try await StoredObjectReader.read(location, range: "bytes=\(boundary - 100)-\(boundary + 99)")
        #expect(across.status == 206)
        #expect(across.body == Array(bytes[(boundary - 100)...(boundary + 99)]))
        let tail = try await StoredObjectReader.read(location, range: "bytes=-1000")
        #expect(tail.body == Array(bytes.suffix(1000)))
    }

    @Test("storing under a key that holds an object replaces it", arguments: StorageUnderTest.all)
    func storeReplaces(backend: StorageUnderTest) async throws {
        let staging = try TemporaryDirectory()
        let storage = try await backend.make(staging.path)
        let key = "contract/\(UUID().uuidString)/replaced.mp4"
        for bytes in [patternedBytes(3000, seed: 1), patternedBytes(2000, seed: 2)] {
            let staged = try stageFile(bytes, in: staging.path)
            try await storage.store(stagedFile: staged, key: key, contentType: "video/mp4", size: Int64(bytes.count))
        }
        let location = try await storage.location(of: key, expiresIn: .seconds(300))
        #expect(try await StoredObjectReader.read(location).body == patternedBytes(2000, seed: 2))
    }

    @Test("a deleted object no longer reads, and deleting it again is not an error", arguments: StorageUnderTest.all)
    func deleteRemoves(backend: StorageUnderTest) async throws {
        let staging = try TemporaryDirectory()
        let storage = try await backend.make(staging.path)
        let key = "contract/\(UUID().uuidString)/deleted.mp4"
        let staged = try stageFile(patternedBytes(500), in: staging.path)
        try await storage.store(stagedFile: staged, key: key, contentType: "video/mp4", size: 500)

        try await storage.delete(key: key)
        try await storage.delete(key: key)

        let location = try await storage.location(of: key, expiresIn: .seconds(300))
        #expect(try await StoredObjectReader.read(location).status == 404)
    }
}
