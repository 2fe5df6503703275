import SpoolHTTP

/// The host of a webhook URL, read as libcurl and the C resolver will read it when the webhook is sent, so that
/// the check at submit and the check before each attempt see the same address.
///
/// Percent escapes are decoded and letters lowercased (libcurl does both). A host whose last label is a number is
/// an IPv4 address in inet_aton's syntax or is refused, so `http://2130706433/` and `http://127.1/` are the loopback
/// address they connect to. One trailing dot is allowed on a name (`localhost.` is still this machine) and kept,
/// since libcurl looks the name up with it; an address with a trailing dot is refused unless it is private (which
/// is refused as such), because the resolver does not read it as an address.
enum WebhookHost: Sendable, Equatable {
    case address(IPAddress)
    /// A lowercased name, with its trailing dot if it had one.
    case name(String)

    /// Names that mean this machine without asking DNS.
    static let localNames: Set<String> = ["localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"]

    /// Reads a host as it appears in a URL's authority: `bracketed` when it was written `[…]` (IPv6).
    static func parse(_ raw: Substring, bracketed: Bool) -> Result<WebhookHost, WebhookURLProblem> {
        if bracketed {
            let address = raw.prefix { $0 != "%" }  // a zone (`%25eth0`) names an interface, not an address
            guard let parsed = IPAddress(String(address)), parsed.bytes.count == 16 else {
                return .failure(.init("has a malformed IPv6 host"))
            }
            return .success(.address(parsed))
        }
        guard let decoded = PercentDecoding.decode(raw) else { return .failure(.init("has a malformed host")) }
        let host = decoded.lowercased()
        let bare = host.hasSuffix(".") ? host.dropLast() : Substring(host)
        guard !bare.isEmpty else { return .failure(.init("has no host")) }
        guard host.unicodeScalars.allSatisfy(\.isASCII) else {
            return .failure(.init("must spell an internationalized host name in its ASCII form (xn--…)"))
        }
        let labels = bare.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(isHostNameByte) }) else {
            return .failure(.init("has a malformed host"))
        }
        if let last = labels.last, looksNumeric(last) {
            guard let address = IPAddress(String(bare)), address.bytes.count == 4,
                bare.count == host.count || address.isPrivate
            else { return .failure(.init("has a malformed IPv4 address")) }
            return .success(.address(address))
        }
        return .success(.name(host))
    }

    /// Loopback, private and reserved addresses, and the names of this machine.
    var isPrivate: Bool {
        switch self {
        case .address(let address): return address.isPrivate
        case .name(let name):
            let bare = name.hasSuffix(".") ? String(name.dropLast()) : name
            return Self.localNames.contains(bare) || bare.hasSuffix(".localhost")
        }
    }

    /// What to resolve and pin for libcurl: the canonical address, or the name as libcurl will look it up.
    var text: String {
        switch self {
        case .address(let address): address.description
        case .name(let name): name
        }
    }

    private static func isHostNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"),
            UInt8(ascii: "_"):
            true
        default: false
        }
    }

    /// Whether a label is a number to inet_aton: decimal digits, or `0x` and hexadecimal digits.
    private static func looksNumeric(_ label: Substring) -> Bool {
        if label.hasPrefix("0x") { return label.dropFirst(2).allSatisfy(\.isHexDigit) }
        return label.allSatisfy(\.isASCII) && label.allSatisfy(\.isNumber)
    }
}
