import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A port on 127.0.0.1 bound by a socket that does not listen, so connecting to it is refused; no other program
/// can take the port while the value is open (bound, not picked and hoped free).
package struct RefusingPort: Sendable {
    package let descriptor: Int32
    package let number: Int

    package init() throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { [descriptor] in
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard descriptor >= 0, bound else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        number = Int(UInt16(bigEndian: address.sin_port))
    }

    package var url: String { "http://127.0.0.1:\(number)" }

    package func close() { _ = Glibc.close(descriptor) }
}

