import CSQLite
import Foundation
import SpoolStore
import Testing

@Suite("SQLiteConnection")
struct SQLiteConnectionTests {
    @Test("opens in WAL mode with synchronous=FULL, foreign keys on and the busy timeout set")
    func pragmas() async throws {
        try await withTemporaryConnection { connection in
            let journalMode = try connection.queryScalar("PRAGMA journal_mode", as: String.self)
            #expect(journalMode == "wal")
            #expect(try connection.queryScalar("PRAGMA synchronous", as: Int.self) == 2)
            #expect(try connection.queryScalar("PRAGMA foreign_keys", as: Bool.self) == true)
            #expect(try connection.queryScalar("PRAGMA busy_timeout", as: Int.self) == 5000)
        }
    }

    @Test("a savepoint that rewrites hundreds of pages keeps its sub-journal in memory, not in a temporary file")
    func savepointJournalStaysInMemory() async throws {
        try await withTemporaryConnection { connection in
            try connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB)")
            try connection.transaction(.immediate) { connection in
                for id in 0..<300 { try connection.run("INSERT INTO t VALUES (?, zeroblob(3000))", .integer(Int64(id))) }
            }
            // Pages that existed before a savepoint are copied to its sub-journal when first changed in it: here
            // about 1.2 MB, far past the 64 KiB after which SQLite would otherwise spill to a temporary file.
            let spilled = try connection.transaction(.immediate) { connection in
                try connection.savepoint("rewrite") { connection in
                    try connection.run("UPDATE t SET payload = randomblob(3000)")
                    return Self.openTemporarySQLiteFiles()
                }
            }
            #expect(spilled.isEmpty, "sub-journal written to \(spilled)")
        }
    }

    /// This process's open descriptors that point at SQLite temporary files (`etilqs_…`, unlinked once opened).
    private static func openTemporarySQLiteFiles() -> [String] {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return descriptors.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0) }
            .filter { $0.contains("etilqs_") }
    }

    @Test("values round-trip with their types: NULL, Int64 extremes, reals, unicode text, blobs, booleans")
    func roundTrip() async throws {
        try await withTemporaryConnection { connection in
            try connection.execute("CREATE TABLE v (id INTEGER PRIMARY KEY, value ANY) STRICT")
            let values: [SQLiteValue] = [
                nil, .integer(.max), .integer(.min), 0, .real(-1.5e300), "",
                "héllo wörld ✓ 🌍 日本語 with\u{0}nul", .blob([]), .blob([0, 1, 254, 255]), true,
                SQLiteValue(Optional<String>.none), SQLiteValue(Optional("x")),
            ]
            for (id, value) in values.enumerated() {
                try connection.run("INSERT INTO v (id, value) VALUES (?, ?)", .integer(Int64(id)), value)
            }
            let read = try connection.query("SELECT value FROM v ORDER BY id").map { $0.values[0] }
            #expect(read == values)

            let extremes = try #require(try connection.queryRow("SELECT ? AS big, ? AS small", .integer(.max), .integer(.min)))
            #expect(try extremes.int64("big") == .max)
            #expect(try extremes.int64(1) == .min)
            #expect(try connection.queryScalar("SELECT typeof(value) FROM v WHERE id = 5", as: String.self) == "text")
            #expect(try connection.queryScalar("SELECT typeof(value) FROM v WHERE id = 7", as: String.self) == "blob")
        }
    }

    @Test("typed accessors read by name or position and report missing columns and NULLs")
    func typedAccessors() async throws {
        try await withTemporaryConnection { connection in
            let row = try #require(try connection.queryRow(
                "SELECT 42 AS n, 2.5 AS r, 'text' AS s, x'00ff' AS b, 1 AS flag, NULL AS empty"))
            #expect(try row.int("n") == 42)
            #expect(try row.int("N") == 42)
            #expect(try row.double("r") == 2.5)
            #expect(try row.double("n") == 42)
            #expect(try row.string(2) == "text")
            #expect(try row.blob("b") == [0, 255])
            #expect(try row.bool("flag"))
            #expect(try row.optionalString("empty") == nil)
            #expect(try row.optionalInt("n") == 42)
            #expect(row.columnNames == ["n", "r", "s", "b", "flag", "empty"])
            #expect(throws: SQLiteRowError.self) { try row.string("empty") }
            #expect(throws: SQLiteRowError.self) { try row.int("s") }
            let missing = #expect(throws: SQLiteRowError.self) { try row.int("absent") }
            #expect(missing?.description.contains("absent") == true)
            #expect(throws: SQLiteRowError.self) { try row.value(6) }
        }
    }

    @Test("a statement is compiled once and reused with fresh bindings")
    func statementCache() async throws {
        try await withTemporaryConnection { connection in
            try connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
            let cachedBefore = connection.cachedStatementCount
            let insert = "INSERT INTO t (id, name) VALUES (?, ?)"
            #expect(try connection.run(insert, 1, "one") == 1)
            #expect(try connection.run(insert, 2, nil) == 1)
            let select = "SELECT name FROM t WHERE id = ?"
            #expect(try connection.queryScalar(select, 1, as: String.self) == "one")
            #expect(try connection.queryScalar(select, 2, as: String.self) == nil)
            #expect(try connection.queryRow(select, 3) == nil)
            #expect(connection.cachedStatementCount == cachedBefore + 2)
            #expect(try connection.prepare(insert) === connection.prepare(insert))
            #expect(try connection.run("SELECT name FROM t") == 0, "a SELECT reports no changes, not the last insert's")
            #expect(try connection.run("UPDATE t SET name = 'x'") == 2)
        }
    }

    @Test("UPDATE … RETURNING returns every changed row and applies them all")
    func returning() async throws {
        try await withTemporaryConnection { connection in
            try connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER); INSERT INTO t VALUES (1, 10), (2, 20), (3, 30);")
            let rows = try connection.query("UPDATE t SET n = n + 1 WHERE id >= ? RETURNING id, n", 2)
            #expect(try rows.map { try $0.int("n") }.sorted() == [21, 31])
            let first = try connection.queryRow("UPDATE t SET n = 0 RETURNING id")
            #expect(first != nil)
            #expect(try connection.queryScalar("SELECT sum(n) FROM t", as: Int.self) == 0)
            #expect(try connection.queryScalar("INSERT INTO t (n) VALUES (5) RETURNING id", as: Int64.self)
                == connection.lastInsertRowID)
        }
    }

    @Test("run refuses more than one statement, and a wrong number of bindings, with a clear error")
    func misuse() async throws {
        try await withTemporaryConnection { connection in
            let twoStatements = #expect(throws: SQLiteError.self) {
                try connection.run("CREATE TABLE a (x); CREATE TABLE b (x)")
            }
            #expect(twoStatements?.message.contains("execute") == true)
            let trailingComment = try connection.run("SELECT 1; -- a comment only")
            #expect(trailingComment == 0)
            #expect(throws: SQLiteError.self) { try connection.run("SELECT 1; SELEC garbage") }
            let wrongCount = #expect(throws: SQLiteError.self) { try connection.run("SELECT ?, ?", 1) }
            #expect(wrongCount?.code == SQLITE_RANGE)
        }
    }

    @Test("a read-only connection refuses writes with SQLITE_READONLY")
    func readOnly() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/ro.sqlite"
            let writer = try SQLiteConnection(path: path)
            try writer.execute("CREATE TABLE t (x)")
            let reader = try SQLiteConnection(path: path, readOnly: true)
            let error = #expect(throws: SQLiteError.self) { try reader.run("INSERT INTO t VALUES (1)") }
            #expect(error?.isReadOnly == true)
        }
    }
}
