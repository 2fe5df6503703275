/// Everything Spool keeps, behind one value: SQLite (`SQLiteGatewayStore`) or PostgreSQL (`PostgresGatewayStore`).
/// The domain speaks only to this; SQL lives in the two implementations and their migrations.
protocol GatewayStore: JobStore, JobClaimStore, WebhookStore, KeyStore, OperationsStore, StoreConnection {}

/// An open store: where it is (for logs) and how to close it.
package protocol StoreConnection: Sendable {
    /// Where the data lives, for logs: the SQLite file, or the PostgreSQL URL with its password masked.
    var location: String { get }
    /// Whether other processes may run on this store at once (replicas on PostgreSQL), so that work is shared
    /// through leases; false when one process owns it (a SQLite file).
    var isShared: Bool { get }
    /// Closes the store's connections; nothing may use it afterwards.
    func close() async
}
