import CCurl

/// How a transfer's outcome reaches the caller that started it.
enum TransferDelivery {
    /// `HTTPClient.execute`: the whole response, or the error, once at the end.
    case whole(CheckedContinuation<HTTPClientResponse, Error>)
    /// `HTTPClient.stream`: the head once the headers are in (or the error before that), then the body.
    /// `stream` is held only until the head goes out, so that the consumer dropping it ends the transfer.
    case streamed(
        head: CheckedContinuation<HTTPClientStreamingResponse, Error>,
        body: AsyncThrowingStream<[UInt8], Error>.Continuation,
        stream: AsyncThrowingStream<[UInt8], Error>?)
}

/// One request in flight: a configured curl easy handle plus what has been received so far.
///
/// Ownership: the transfer owns its easy handle, header list and error buffer and frees them in `deinit`.
/// libcurl's callbacks receive the transfer as an unretained pointer (`Unmanaged.passUnretained`), which is
/// safe because callbacks run only inside `curl_multi_socket_action` on the loop thread while the handle is attached
/// to the multi handle, and for that whole time `CurlEventLoop.active` holds a strong reference to the transfer.
/// The loop detaches the handle before it drops that reference, so `deinit` never frees a handle in use.
///
/// `@unchecked Sendable` is sound because the object changes hands exactly once: the creating thread
/// configures it and sets `delivery`, then passes it through `CurlEventLoop.submit` (a lock, so a
/// happens-before edge); from then on every stored property is touched only on the loop thread, except
/// `cancelRequested`, which is read and written only while holding the loop's inbox lock.
final class CurlTransfer: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    let maxResponseBytes: Int
    let followsRedirects: Bool
    var headerList: UnsafeMutablePointer<curl_slist>?
    var resolveList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer: UnsafeMutablePointer<CChar>
    var delivery: TransferDelivery?
    /// Guarded by the loop's inbox lock: set when the caller gave up, possibly before the loop saw the transfer.
    var cancelRequested = false

    private var headers = HTTPClientHeaders()
    private var headComplete = false
    private var body: [UInt8] = []
    private var receivedBytes = 0
    private var exceededLimit = false

    init(request: HTTPClientRequest, configuration: HTTPClientConfiguration) throws(HTTPClientError) {
        // The client's loop, which also does this, may not have started yet.
        CurlGlobal.initialize()
        guard let handle = curl_easy_init() else {
            throw .invalidRequest(message: "curl_easy_init returned no handle")
        }
        self.handle = handle
        self.maxResponseBytes = request.maxResponseBytes ?? configuration.maxResponseBytes
        self.followsRedirects = configuration.followRedirects
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try configure(request: request, configuration: configuration)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        curl_slist_free_all(resolveList)
        errorBuffer.deallocate()
    }

    // MARK: Callbacks (loop thread, inside curl_multi_socket_action)

    /// One raw header line, status lines and the blank line ending each header block included.
    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 10 || bytes[end - 1] == 13 { end -= 1 }
        let line = String(decoding: bytes[..<end], as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers = HTTPClientHeaders()
            headComplete = false
        } else if line.isEmpty {
            endOfHeaderBlock()
        } else if headComplete {
            return  // trailers after the body: not part of the head
        } else if line.first == " " || line.first == "\t" {
            headers.continueLastValue(with: line.trimmingSpaces)
        } else if let colon = line.firstIndex(of: ":") {
            headers.add(String(line[..<colon]).trimmingSpaces, String(line[line.index(after: colon)...]).trimmingSpaces)
        }
    }

    /// Body bytes; returns how many were taken, and fewer (so curl aborts) once the cap is passed.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        if !headComplete { endOfHeaderBlock(force: true) }
        receivedBytes += bytes.count
        guard receivedBytes <= maxResponseBytes else {
            exceededLimit = true
            return 0
        }
        switch delivery {
        case .whole: body.append(contentsOf: bytes)
        case .streamed(_, let continuation, _): continuation.yield(Array(bytes))
        case nil: break
        }
        return bytes.count
    }

    private func endOfHeaderBlock(force: Bool = false) {
        let status = responseCode
        if !force {
            if (100..<200).contains(status) { return }
            if followsRedirects, (300..<400).contains(status), headers["location"] != nil { return }
        }
        headComplete = true
        if case .streamed(let head, let continuation, let stream?) = delivery {
            delivery = .streamed(head: head, body: continuation, stream: nil)
            head.resume(returning: HTTPClientStreamingResponse(
                status: status, headers: headers, remoteAddress: remoteAddress, body: stream))
        }
    }

    // MARK: Outcome (loop thread, after the handle left the multi handle)

    /// Delivers the outcome curl reported for this transfer.
    func complete(code: CURLcode) {
        if exceededLimit || code == CURLE_FILESIZE_EXCEEDED {
            fail(HTTPClientError.responseTooLarge(limit: maxResponseBytes))
        } else if code != CURLE_OK {
            fail(error(for: code))
        } else {
            switch delivery {
            case .whole(let continuation):
                continuation.resume(returning: HTTPClientResponse(
                    status: responseCode, headers: headers, body: body, remoteAddress: remoteAddress))
            case .streamed(let head, let continuation, let stream):
                if let stream {
                    head.resume(returning: HTTPClientStreamingResponse(
                        status: responseCode, headers: headers, remoteAddress: remoteAddress, body: stream))
                }
                continuation.finish()
            case nil: break
            }
            delivery = nil
        }
    }

    /// Ends the transfer with `error` (cancellation, shutdown or a curl failure).
    func fail(_ error: Error) {
        switch delivery {
        case .whole(let continuation):
            continuation.resume(throwing: error)
        case .streamed(let head, let continuation, let stream):
            if stream != nil { head.resume(throwing: error) }
            continuation.finish(throwing: error)
        case nil: break
        }
        delivery = nil
    }

    private func error(for code: CURLcode) -> HTTPClientError {
        let detail = String(cString: errorBuffer)
        let summary = String(cString: curl_easy_strerror(code))
        let message = detail.isEmpty ? summary : "\(summary): \(detail)"
        let number = Int(code.rawValue)
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            return .connectFailed(code: number, message: message)
        case CURLE_OPERATION_TIMEDOUT:
            return requestBytesSent == 0 ? .connectFailed(code: number, message: message) : .timedOut(message: message)
        default:
            return .transport(code: number, message: message)
        }
    }

    private var responseCode: Int {
        var code = 0
        _ = spool_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    private var requestBytesSent: Int {
        var size = 0
        _ = spool_curl_easy_getinfo_long(handle, CURLINFO_REQUEST_SIZE, &size)
        return size
    }

    private var remoteAddress: String? {
        var address: UnsafeMutablePointer<CChar>?
        guard spool_curl_easy_getinfo_string(handle, CURLINFO_PRIMARY_IP, &address) == CURLE_OK,
            let address, address.pointee != 0
        else { return nil }
        return String(cString: address)
    }
}

extension String {
    var trimmingSpaces: String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return String(view)
    }
}
