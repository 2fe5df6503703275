import Dispatch
import Foundation
import SpoolStore

/// A fresh directory under the system temp directory, removed (with everything in it) after `body`.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("spool-store-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// A connection on a fresh database file in its own temp directory.
func withTemporaryConnection<T>(_ body: (SQLiteConnection) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory in
        try await body(SQLiteConnection(path: directory + "/test.sqlite"))
    }
}
