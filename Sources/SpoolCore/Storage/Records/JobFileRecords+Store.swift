/// The `JobFileRecords` of the store's backend: the same database, the same transactions as the jobs they belong to.
func makeJobFileRecords(store: any GatewayStore) throws -> any JobFileRecords {
    switch store {
    case let sqlite as SQLiteGatewayStore: return SQLiteJobFileRecords(database: sqlite.database)
    case let postgres as PostgresGatewayStore: return PostgresJobFileRecords(store: postgres)
    default: throw StoredDataError("no file records for a \(type(of: store)) store")
    }
}
