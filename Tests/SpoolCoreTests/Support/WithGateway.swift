import SpoolSim
import SpoolTestSupport
@testable import SpoolCore

/// Starts a `TestGateway` as `TestGateway.start` does, runs `body` with it, and stops it before returning, also
/// when `body` throws: no test ends with its gateway still running.
@discardableResult
func withGateway<T>(
    backend: StoreBackend = .current,
    directory: TemporaryDirectory? = nil,
    joining other: TestGateway? = nil,
    configure: (inout SpoolConfiguration) -> Void = { _ in },
    simulate: (inout SimulatorConfiguration) -> Void = { _ in },
    _ body: (TestGateway) async throws -> T
) async throws -> T {
    let gateway = try await TestGateway.start(
        backend: backend, directory: directory, joining: other, configure: configure, simulate: simulate)
    return try await gateway.stopping(after: body)
}

extension TestGateway {
    /// Runs `body` with this gateway, then stops it, also when `body` throws.
    @discardableResult
    func stopping<T>(after body: (TestGateway) async throws -> T) async throws -> T {
        try await withCleanup { try await body(self) } cleanup: { await stop() }
    }
}
