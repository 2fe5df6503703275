import PostgresNIO
import SpoolJSON

/// A row of a PostgreSQL answer, read by column name. Integer columns of any width read as `Int64`.
struct PostgresRecord {
    private let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = row.makeRandomAccess()
    }

    func string(_ column: String) throws -> String { try row[column].decode(String.self) }
    func optionalString(_ column: String) throws -> String? { try row[column].decode(String?.self) }
    func int64(_ column: String) throws -> Int64 { try row[column].decode(Int64.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try row[column].decode(Int64?.self) }
    func int(_ column: String) throws -> Int { Int(try int64(column)) }
    func optionalInt(_ column: String) throws -> Int? { try optionalInt64(column).map { Int($0) } }
    func double(_ column: String) throws -> Double { try row[column].decode(Double.self) }
    func optionalDouble(_ column: String) throws -> Double? { try row[column].decode(Double?.self) }
    func bool(_ column: String) throws -> Bool { try row[column].decode(Bool.self) }

    /// A `text` column holding compact JSON, nil for NULL.
    func json(_ column: String) throws -> JSONValue? { try optionalString(column).map { try JSONValue(parsing: $0) } }

    /// A time in milliseconds, nil for NULL.
    func time(_ column: String) throws -> Timestamp? { try optionalInt64(column).map(Timestamp.init(milliseconds:)) }
}
