import CCurl

extension CurlTransfer {
    /// Applies the request and the client's settings to the easy handle, and installs the callbacks.
    func configure(request: HTTPClientRequest, configuration: HTTPClientConfiguration) throws(HTTPClientError) {
        try set(CURLOPT_URL, request.url)
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_FOLLOWLOCATION, configuration.followRedirects ? 1 : 0)
        try set(CURLOPT_MAXREDIRS, 5)
        try set(CURLOPT_TCP_KEEPALIVE, 1)
        try set(CURLOPT_USERAGENT, configuration.userAgent)
        try set(CURLOPT_CONNECTTIMEOUT_MS, (request.connectTimeout ?? configuration.connectTimeout).curlMilliseconds)
        try set(CURLOPT_TIMEOUT_MS, (request.timeout ?? configuration.totalTimeout).curlMilliseconds)
        if let idle = request.idleTimeout {
            try set(CURLOPT_LOW_SPEED_LIMIT, 1)
            try set(CURLOPT_LOW_SPEED_TIME, max(1, (idle.curlMilliseconds + 999) / 1000))
        }
        try check(spool_curl_easy_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxResponseBytes)),
                  "CURLOPT_MAXFILESIZE_LARGE")
        try check(spool_curl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        try check(spool_curl_easy_open_sockets_cloexec(handle), "CURLOPT_OPENSOCKETFUNCTION")
        try configureMethodAndBody(request)
        try configureHeaders(request)
        try configureResolve(request)
        try configureSigning(request)

        let userdata = Unmanaged.passUnretained(self).toOpaque()
        try check(spool_curl_easy_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteCallback),
                  "CURLOPT_WRITEFUNCTION")
        try check(spool_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, userdata), "CURLOPT_WRITEDATA")
        try check(spool_curl_easy_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, curlHeaderCallback),
                  "CURLOPT_HEADERFUNCTION")
        try check(spool_curl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, userdata), "CURLOPT_HEADERDATA")
    }

    /// GET and HEAD send no body. POST, PUT and PATCH always send one (empty if none was given), so the
    /// server sees a `Content-Length`; libcurl copies the bytes, so nothing here has to outlive the call.
    private func configureMethodAndBody(_ request: HTTPClientRequest) throws(HTTPClientError) {
        let sendsBody = request.body != nil || [.post, .put, .patch].contains(request.method)
        switch request.method {
        case .get where !sendsBody: try set(CURLOPT_HTTPGET, 1)
        case .head: try set(CURLOPT_NOBODY, 1)
        default: break
        }
        if sendsBody {
            let body = request.body ?? []
            try check(spool_curl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)),
                      "CURLOPT_POSTFIELDSIZE_LARGE")
            // A NUL-terminated copy, so that an empty body still hands libcurl a valid pointer.
            var bytes = body + [0]
            let code = bytes.withUnsafeMutableBytes {
                spool_curl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress)
            }
            try check(code, "CURLOPT_COPYPOSTFIELDS")
        }
        let needsMethodName: Bool
        switch request.method {
        case .get: needsMethodName = sendsBody
        case .head, .post: needsMethodName = false
        case .put, .patch, .delete: needsMethodName = true
        }
        if needsMethodName { try set(CURLOPT_CUSTOMREQUEST, request.method.rawValue) }
    }

    /// The caller's fields, plus two removals of libcurl's own defaults: `Expect: 100-continue` (a round trip
    /// for large bodies) and the form `Content-Type` it would otherwise add to a body. A signed request gets
    /// no removals, since libcurl would sign them (see `AWSRequestSigning`).
    private func configureHeaders(_ request: HTTPClientRequest) throws(HTTPClientError) {
        var lines: [String] = []
        for (name, value) in request.headers {
            guard !name.isEmpty, !(name + value).utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 }),
                !name.contains(":")
            else { throw .invalidRequest(message: "header field \(name.debugDescription) has forbidden characters") }
            // libcurl reads "Name:" as "remove this header"; "Name;" sends it with an empty value.
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        let names = Set(request.headers.map { $0.0.lowercased() })
        if request.awsSigning == nil {
            if !names.contains("expect") { lines.append("Expect:") }
            if request.body != nil, !names.contains("content-type") { lines.append("Content-Type:") }
        }
        for line in lines {
            guard let extended = curl_slist_append(headerList, line) else {
                throw .invalidRequest(message: "curl_slist_append failed")
            }
            headerList = extended
        }
        try check(spool_curl_easy_setopt_pointer(handle, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")
    }

    /// Pins host names to addresses the caller chose (`CURLOPT_RESOLVE`); the list must outlive the transfer.
    private func configureResolve(_ request: HTTPClientRequest) throws(HTTPClientError) {
        guard !request.resolve.isEmpty else { return }
        for entry in request.resolve {
            guard !entry.utf8.contains(0), let extended = curl_slist_append(resolveList, entry) else {
                throw .invalidRequest(message: "invalid resolve entry \(entry.debugDescription)")
            }
            resolveList = extended
        }
        try check(spool_curl_easy_setopt_pointer(handle, CURLOPT_RESOLVE, resolveList), "CURLOPT_RESOLVE")
    }

    /// AWS Signature Version 4 by libcurl: the provider string and the key pair, which libcurl copies.
    private func configureSigning(_ request: HTTPClientRequest) throws(HTTPClientError) {
        guard let signing = request.awsSigning else { return }
        try set(CURLOPT_AWS_SIGV4, signing.provider)
        try set(CURLOPT_USERNAME, signing.accessKeyID)
        try set(CURLOPT_PASSWORD, signing.secretAccessKey)
    }

    private func set(_ option: CURLoption, _ value: Int) throws(HTTPClientError) {
        try check(spool_curl_easy_setopt_long(handle, option, value), "option \(option.rawValue)")
    }

    private func set(_ option: CURLoption, _ value: String) throws(HTTPClientError) {
        guard !value.utf8.contains(0) else { throw .invalidRequest(message: "option \(option.rawValue) contains NUL") }
        try check(spool_curl_easy_setopt_string(handle, option, value), "option \(option.rawValue)")
    }

    private func check(_ code: CURLcode, _ what: String) throws(HTTPClientError) {
        guard code != CURLE_OK else { return }
        throw .invalidRequest(message: "\(what): \(String(cString: curl_easy_strerror(code)))")
    }
}

/// CURLOPT_WRITEFUNCTION: `userdata` is the unretained `CurlTransfer` (see its ownership note).
private let curlWriteCallback: spool_curl_data_callback = { buffer, size, count, userdata in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: buffer, count: size * count))
}

/// CURLOPT_HEADERFUNCTION: one header line per call; same `userdata` as the write callback.
private let curlHeaderCallback: spool_curl_data_callback = { buffer, size, count, userdata in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
    transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: buffer, count: size * count))
    return size * count
}
