import Crypto

/// One schema migration: a numbered SQL script, applied once, in version order.
package struct Migration: Sendable, Hashable {
    /// The number that orders migrations (the `NNNN` of `NNNN_name.sql`).
    package let version: Int
    /// The descriptive part of the file name (`init` in `0001_init.sql`).
    package let name: String
    /// The file name the migration came from, or `NNNN_name.sql` built from version and name.
    package let fileName: String
    /// The SQL script (one or more statements).
    package let sql: String
    /// SHA-256 of the script's bytes, lower-case hex: what `schema_migrations` records to detect later edits.
    package let checksum: String

    /// A migration defined in code (embedded in the binary, or in tests).
    package init(version: Int, name: String, sql: String) {
        let number = String(version)
        let padded = String(repeating: "0", count: max(0, 4 - number.count)) + number
        self.init(version: version, name: name, fileName: "\(padded)_\(name).sql", bytes: Array(sql.utf8), sql: sql)
    }

    private init(version: Int, name: String, fileName: String, bytes: [UInt8], sql: String) {
        self.version = version
        self.name = name
        self.fileName = fileName
        self.sql = sql
        self.checksum = SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// A migration read from a file called `fileName` holding `bytes`.
    /// Throws when the name is not `NNNN_name.sql` (four or more digits, then letters, digits, `_` or `-`) or the
    /// bytes are not UTF-8.
    package init(fileName: String, bytes: [UInt8]) throws(MigrationError) {
        guard let (version, name) = Self.parse(fileName: fileName) else { throw .invalidFileName(fileName) }
        guard let sql = String(validating: bytes, as: UTF8.self) else { throw .notUTF8(fileName) }
        self.init(version: version, name: name, fileName: fileName, bytes: bytes, sql: sql)
    }

    /// Splits `0001_init.sql` into (1, "init"); nil if the name does not have that shape.
    static func parse(fileName: String) -> (version: Int, name: String)? {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(".sql".count)
        guard let underscore = stem.firstIndex(of: "_") else { return nil }
        let digits = stem[..<underscore]
        let name = stem[stem.index(after: underscore)...]
        guard digits.count >= 4, digits.allSatisfy(\.isASCIIDigit), let version = Int(digits), version > 0,
              !name.isEmpty, name.allSatisfy(\.isMigrationNameCharacter) else { return nil }
        return (version, String(name))
    }
}

/// A migration that this run applied.
package struct AppliedMigration: Sendable, Hashable {
    /// As in ``Migration``.
    package let version: Int
    package let name: String
    package let fileName: String
    /// SHA-256 hex of the script, as recorded.
    package let checksum: String
    /// When it was applied, UTC, ISO 8601 with milliseconds (as recorded in `schema_migrations.applied_at`).
    package let appliedAt: String
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
    var isMigrationNameCharacter: Bool { isASCII && (isLetter || isNumber || self == "_" || self == "-") }
}
