/// An error of a store that can say whether the disk under the database is full (the API answers that with
/// `storage_full` instead of `storage_unavailable`).
protocol StorageFullError: Error {
    var isStorageFull: Bool { get }
}
