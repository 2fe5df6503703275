import SpoolTestSupport
import Testing
@testable import SpoolHTTP
#if canImport(Glibc)
import Glibc
#endif

/// The accept-error path. Running the process out of descriptors for real (lowering RLIMIT_NOFILE) would also
/// break every other test running in this process at the same time, so these tests check the classification
/// and, with real sockets, the reserve-descriptor shedding the listener uses when EMFILE/ENFILE strike.
@Suite("Accept failures")
struct AcceptFailureTests {
    @Test("EMFILE and ENFILE shed connections; per-connection errors are skipped; nothing stops the server")
    func classification() {
        #expect(AcceptFailure(errno: EMFILE) == .outOfDescriptors)
        #expect(AcceptFailure(errno: ENFILE) == .outOfDescriptors)
        #expect(AcceptFailure(errno: ECONNABORTED) == .connectionGone)
        #expect(AcceptFailure(errno: EPROTO) == .connectionGone)
        #expect(AcceptFailure(errno: ENOBUFS) == .outOfMemory)
        #expect(AcceptFailure(errno: ENOMEM) == .outOfMemory)
        #expect(AcceptFailure(errno: EBADF) == .unexpected)
    }

    @Test("the reserve descriptor takes a pending connection and closes it, then is there again")
    func reserveShedsPendingConnection() async throws {
        let listener = try ListeningSocket(host: "127.0.0.1", port: 0, backlog: 8)
        defer { close(listener.fd) }
        var reserve = DescriptorReserve()
        defer { reserve.release() }
        let client = try RawClient.connect(port: listener.address.port)
        var shed = false
        try await eventually("the pending connection was shed") {
            shed = reserve.shedOne(from: listener.fd)
            return shed
        }
        #expect(await client.waitForClose())
        // Nothing is pending any more, and the reserve was refilled for next time.
        #expect(reserve.shedOne(from: listener.fd) == false)
        let second = try RawClient.connect(port: listener.address.port)
        try await eventually("the second pending connection was shed") { reserve.shedOne(from: listener.fd) }
        #expect(await second.waitForClose())
    }
}
