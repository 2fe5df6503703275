import SpoolJSON
import Crypto
import Logging
import SpoolFal

/// One S3 request before signing: an operation on an object of the bucket.
struct S3Request: Sendable {
    var operation: String
    var method: HTTPClientRequest.Method
    var key: String
    /// Query parameters, unencoded; sent in canonical order so that what libcurl signs is what it sends.
    var query: [(String, String)] = []
    var headers: [(String, String)] = []
    var body: [UInt8]?
}

/// Sends signed requests to one bucket: libcurl signs each one (`CURLOPT_AWS_SIGV4`), transient failures are
/// tried again with backoff, and any other failure becomes an `S3Error` carrying S3's code and message.
struct S3Client: Sendable {
    let addressing: S3Addressing
    let region: String
    let credentials: S3Credentials
    let http: HTTPClient
    let retry: S3RetryPolicy
    let logger: Logger

    /// The answer to `request`, which is a success (2xx, and for a POST no error document in the body).
    func send(_ request: S3Request) async throws -> HTTPClientResponse {
        var attempt = 1
        while true {
            let failure: S3Error
            do {
                let response = try await http.execute(signed(request))
                // CompleteMultipartUpload (a POST) may answer 200 and still report an error in its body.
                let failedInBody = request.method == .post && S3XML.isError(response.body)
                if (200..<300).contains(response.status), !failedInBody { return response }
                failure = error(answering: request, with: response)
            } catch let error as HTTPClientError {
                failure = transportFailure(of: request, error)
            }
            guard failure.isTransient, attempt < retry.attempts else { throw failure }
            let delay = retry.delay(after: attempt)
            logger.warning("S3 request failed, trying again", metadata: [
                "operation": "\(request.operation)", "key": "\(request.key)", "s3_code": "\(failure.code)",
                "attempt": "\(attempt)", "retry_in": "\(delay)",
            ])
            try await Task.sleep(for: delay)
            attempt += 1
        }
    }

    /// The HTTP request, with the fields S3 wants signed: the payload's SHA-256 and the session token.
    private func signed(_ request: S3Request) -> HTTPClientRequest {
        var headers = request.headers
        headers.append(("x-amz-content-sha256", Hex.string(SHA256.hash(data: request.body ?? []))))
        if let token = credentials.sessionToken { headers.append(("x-amz-security-token", token)) }
        let query = AWSURIEncoding.canonicalQuery(request.query)
        return HTTPClientRequest(
            method: request.method, url: addressing.url(of: request.key, query: query), headers: headers,
            body: request.body,
            awsSigning: AWSRequestSigning(
                provider: "aws:amz:\(region):s3", accessKeyID: credentials.accessKeyID,
                secretAccessKey: credentials.secretAccessKey))
    }

    /// No answer: a connection fault or timeout (worth another try), or a request that could not be sent.
    private func transportFailure(of request: S3Request, _ error: HTTPClientError) -> S3Error {
        let code: String
        switch error {
        case .connectFailed, .timedOut, .transport: code = "ConnectionFailed"
        case .responseTooLarge, .invalidRequest, .shutDown: code = "RequestNotSent"
        }
        return S3Error(operation: request.operation, key: request.key, status: nil, code: code,
                       message: error.description)
    }

    /// The error S3 reported: the code and message of its XML body, or the status alone (HEAD has no body).
    private func error(answering request: S3Request, with response: HTTPClientResponse) -> S3Error {
        let code = S3XML.text(of: "Code", in: response.body) ?? Self.code(forStatus: response.status)
        let message = S3XML.text(of: "Message", in: response.body)
            ?? "the store answered HTTP \(response.status) with no error document"
        return S3Error(operation: request.operation, key: request.key, status: response.status, code: code,
                       message: message)
    }

    private static func code(forStatus status: Int) -> String {
        switch status {
        case 403: return "AccessDenied"
        case 404: return "NotFound"
        case 503: return "ServiceUnavailable"
        default: return "HTTP\(status)"
        }
    }
}
