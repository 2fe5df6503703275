/// Waits until `condition` holds, checking it after 5 ms, then less and less often down to every 25 ms (a quick
/// condition is seen at once, a long wait does not load the machine the other tests share); throws
/// `ConditionNotMet` naming `what` when `limit` passes first. The one way tests wait for something another thread
/// or process does: never a bare sleep.
package func eventually(
    _ what: String, within limit: Duration = .seconds(10), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    var pause = Duration.milliseconds(5)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: pause)
        pause = min(pause * 2, .milliseconds(25))
    }
    if try await condition() { return }
    throw ConditionNotMet(what: what, limit: limit)
}

/// `eventually` ran out of time.
package struct ConditionNotMet: Error, CustomStringConvertible {
    package let what: String
    package let limit: Duration
    package var description: String { "timed out after \(limit) waiting until \(what)" }
}

/// Reads with `read` until `accepted` holds for what it read or `limit` passes, as `eventually` does; returns the
/// last value read either way, for the caller to check, so that a failure shows what there was.
package func lastRead<T>(
    within limit: Duration = .seconds(10), _ read: () async throws -> T, until accepted: (T) -> Bool
) async throws -> T {
    var last: T?
    do {
        try await eventually("a read is accepted", within: limit) {
            let value = try await read()
            last = value
            return accepted(value)
        }
    } catch is ConditionNotMet {}
    guard let last else { throw TestFailure("nothing was read") }
    return last
}
