#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves host names with the system resolver (getaddrinfo), off any event loop: callers are tasks.
enum AddressResolver {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Every address `host` resolves to. An address in any spelling `IPAddress` reads (`127.1`, `0x7f000001`, …)
    /// resolves to itself without the system resolver, so it is the address the submit check saw.
    static func resolve(_ host: String, port: Int) async throws -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        return try await Task.detached {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(host, String(port), &hints, &list)
            guard status == 0, let first = list else {
                let reason = gai_strerror(status).flatMap { String(validatingCString: $0) } ?? "error \(status)"
                throw Failure(description: "cannot resolve \(host): \(reason)")
            }
            defer { freeaddrinfo(list) }
            var addresses: [IPAddress] = []
            var cursor: UnsafeMutablePointer<addrinfo>? = first
            while let entry = cursor {
                var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                if entry.pointee.ai_family == AF_INET {
                    entry.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        var address = pointer.pointee.sin_addr
                        _ = inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
                    }
                } else if entry.pointee.ai_family == AF_INET6 {
                    entry.pointee.ai_addr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        var address = pointer.pointee.sin6_addr
                        _ = inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
                    }
                }
                let literal = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if let address = IPAddress(literal), !addresses.contains(address) { addresses.append(address) }
                cursor = entry.pointee.ai_next
            }
            return addresses
        }.value
    }
}
