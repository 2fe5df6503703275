/// Stored data that does not fit what the code expects (a hand-edited row, a downgrade).
struct StoredDataError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
