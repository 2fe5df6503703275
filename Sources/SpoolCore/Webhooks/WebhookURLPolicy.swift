/// Which webhook URLs Spool will call: http or https, no credentials in the URL, and — unless private
/// addresses are allowed — a host that does not resolve to loopback, private, link-local (cloud metadata
/// lives there), unspecified, multicast or reserved ranges.
///
/// The URL is checked when a job is submitted (an address in any spelling, or `localhost`, is refused then; see
/// `WebhookHost`) and the addresses it resolves to are checked again before every attempt, since DNS can change
/// in between.
package struct WebhookURLPolicy: Sendable {
    package var allowPrivate: Bool

    package init(allowPrivate: Bool) { self.allowPrivate = allowPrivate }

    /// The parts of a webhook URL that matter here.
    package struct Target: Sendable, Equatable {
        package var scheme: String
        /// The host as it will be resolved: a canonical address, or a lowercased name (a trailing dot kept).
        package var host: String
        package var port: Int
    }

    static let privateAddressProblem = WebhookURLProblem(
        "points at a private address (set SPOOL_ALLOW_PRIVATE_WEBHOOKS to allow)")

    /// Checks what can be checked without DNS; returns the target or a sentence saying what is wrong.
    package func check(_ url: String) -> Result<Target, WebhookURLProblem> {
        guard let schemeEnd = url.range(of: "://") else { return .failure(.init("must be an absolute http or https URL")) }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return .failure(.init("must use http or https")) }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@") else { return .failure(.init("must not carry credentials")) }
        guard !url.contains(where: { $0 == " " || $0.asciiValue.map { $0 < 0x20 } == true }) else {
            return .failure(.init("must not contain spaces or control characters"))
        }
        var rawHost = authority
        var portText: Substring?
        let bracketed = authority.hasPrefix("[")
        if bracketed {
            guard let close = authority.firstIndex(of: "]") else { return .failure(.init("has a malformed IPv6 host")) }
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                return .failure(.init("has a malformed host"))
            }
            rawHost = authority[authority.index(after: authority.startIndex)..<close]
        } else if let colon = authority.lastIndex(of: ":") {
            portText = authority[authority.index(after: colon)...]
            rawHost = authority[..<colon]
        }
        var port = scheme == "https" ? 443 : 80
        if let portText {
            guard portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber), let number = Int(portText),
                (1...65535).contains(number)
            else { return .failure(.init("has an invalid port")) }
            port = number
        }
        guard !rawHost.isEmpty else { return .failure(.init("has no host")) }
        let host: WebhookHost
        switch WebhookHost.parse(rawHost, bracketed: bracketed) {
        case .success(let parsed): host = parsed
        case .failure(let problem): return .failure(problem)
        }
        if !allowPrivate, host.isPrivate { return .failure(Self.privateAddressProblem) }
        return .success(Target(scheme: scheme, host: host.text, port: port))
    }

    /// Checks an address the host resolved to, just before connecting.
    package func permits(resolved address: IPAddress) -> Bool { allowPrivate || !address.isPrivate }
}

/// Why a webhook URL is refused.
package struct WebhookURLProblem: Error, Sendable, Equatable {
    package let message: String
    init(_ message: String) { self.message = message }
}
