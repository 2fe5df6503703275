/// The checks made once a request's header section is complete: how its body is framed, and the rules that
/// keep two parsers (ours and a proxy's in front) from ever disagreeing about where a request ends (request
/// smuggling, RFC 9112 §6.3 and §11.2).
struct MessageFramingRules {
    let isHTTP10: Bool
    let maxBodyBytes: Int

    /// The body's framing, or why the request is refused.
    func framing(of headers: HTTPHeaders) -> Result<BodyFraming, RequestParseError> {
        var transferEncodings: [String] = []
        var contentLengths: [String] = []
        var hostCount = 0
        for field in headers {
            if HTTPHeaders.same(field.name, "Host") {
                hostCount += 1
            } else if HTTPHeaders.same(field.name, "Transfer-Encoding") {
                transferEncodings.append(field.value)
            } else if HTTPHeaders.same(field.name, "Content-Length") {
                contentLengths.append(field.value)
            }
        }
        if hostCount > 1 {
            return .failure(RequestParseError(.badRequest, "A request must carry one Host header, not several."))
        }
        if hostCount == 0, !isHTTP10 {
            return .failure(RequestParseError(.badRequest, "An HTTP/1.1 request must carry a Host header."))
        }
        if !transferEncodings.isEmpty {
            return chunkedFraming(transferEncodings, alsoHasLength: !contentLengths.isEmpty)
        }
        if contentLengths.isEmpty { return .success(.none) }
        return lengthFraming(contentLengths)
    }

    /// Whether to send `100 Continue` before reading the body, or why the expectation is refused.
    func expectsContinue(_ headers: HTTPHeaders, framing: BodyFraming) -> Result<Bool, RequestParseError> {
        // An HTTP/1.0 client cannot know 100 Continue; RFC 9110 §10.1.1 says to ignore its Expect.
        guard !isHTTP10, let expectation = headers["Expect"] else { return .success(false) }
        guard expectation.trimmingSpaces().lowercased() == "100-continue" else {
            return .failure(RequestParseError(.expectationFailed, "The only expectation supported is 100-continue."))
        }
        return .success(framing != .none)
    }

    private func chunkedFraming(_ values: [String], alsoHasLength: Bool) -> Result<BodyFraming, RequestParseError> {
        if alsoHasLength {
            return .failure(RequestParseError(
                .badRequest, "A request must not carry both Content-Length and Transfer-Encoding."))
        }
        if isHTTP10 {
            return .failure(RequestParseError(.badRequest, "Transfer-Encoding is not allowed in an HTTP/1.0 request."))
        }
        let codings = values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .map { $0.trimmingSpaces().lowercased() }
        guard codings == ["chunked"] else {
            return .failure(RequestParseError(.badRequest, "The only Transfer-Encoding accepted is chunked."))
        }
        return .success(.chunked)
    }

    private func lengthFraming(_ values: [String]) -> Result<BodyFraming, RequestParseError> {
        var agreed: String?
        for element in values.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
            let text = element.trimmingSpaces()
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                return .failure(RequestParseError(.badRequest, "Content-Length must be a decimal number."))
            }
            if let agreed, agreed != text {
                return .failure(RequestParseError(.badRequest, "The request carries conflicting Content-Length values."))
            }
            agreed = text
        }
        guard let agreed, let length = Int(agreed), length <= maxBodyBytes else {
            return .failure(tooLarge)
        }
        return .success(length == 0 ? .none : .length(length))
    }

    var tooLarge: RequestParseError {
        RequestParseError(.payloadTooLarge, "The request body is larger than the limit of \(maxBodyBytes) bytes.")
    }
}
