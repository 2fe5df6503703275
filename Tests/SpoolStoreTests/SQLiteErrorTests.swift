import CSQLite
import SpoolStore
import Testing

@Suite("SQLiteError")
struct SQLiteErrorTests {
    @Test("a UNIQUE violation carries the extended code, SQLite's message naming the column, and the SQL")
    func uniqueViolation() async throws {
        try await withTemporaryConnection { connection in
            try connection.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE)")
            try connection.run("INSERT INTO users (email) VALUES (?)", "a@example.com")
            let error = try #require(throws: SQLiteError.self) {
                try connection.run("INSERT INTO users (email) VALUES (?)", "a@example.com")
            }
            #expect(error.code == SQLITE_CONSTRAINT)
            #expect(error.extendedCode == SQLiteError.constraintUnique)
            #expect(error.isConstraintViolation && error.isUniqueViolation)
            #expect(!error.isBusy && !error.isFull && !error.isIOError)
            #expect(error.message.contains("users.email"))
            #expect(error.sql == "INSERT INTO users (email) VALUES (?)")
            #expect(error.description.contains("SQLITE_CONSTRAINT"))
            #expect(error.description.contains("2067"))
            #expect(error.description.contains("UNIQUE constraint failed: users.email"))
        }
    }

    @Test("a syntax error names the problem; long SQL is truncated in the error")
    func syntaxError() async throws {
        try await withTemporaryConnection { connection in
            let longSQL = "SELEC " + String(repeating: "x, ", count: 500)
            let error = try #require(throws: SQLiteError.self) { try connection.query(longSQL) }
            #expect(error.code == SQLITE_ERROR)
            #expect(error.message.contains("syntax error"))
            #expect(error.sql?.count == SQLiteError.maximumSQLLength + 1)
        }
    }

    @Test("a foreign key violation is reported as such, since foreign keys are enforced")
    func foreignKey() async throws {
        try await withTemporaryConnection { connection in
            try connection.execute("""
                CREATE TABLE parent (id INTEGER PRIMARY KEY);
                CREATE TABLE child (parent_id INTEGER REFERENCES parent (id));
                """)
            let error = try #require(throws: SQLiteError.self) {
                try connection.run("INSERT INTO child VALUES (1)")
            }
            #expect(error.extendedCode == SQLiteError.constraintForeignKey)
        }
    }
}
