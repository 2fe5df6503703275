/// Runs `body`, then awaits `cleanup`, also when `body` throws: the scoped form of a `defer` whose clean-up must
/// finish before the test ends (a `defer { Task { … } }` lets the test end first, and leaks on failure).
@discardableResult
package func withCleanup<T>(_ body: () async throws -> T, cleanup: () async -> Void) async throws -> T {
    do {
        let result = try await body()
        await cleanup()
        return result
    } catch {
        await cleanup()
        throw error
    }
}
