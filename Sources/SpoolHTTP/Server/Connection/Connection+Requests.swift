/// Reading requests from the input buffer and handing them to their handlers.
extension Connection {
    /// Why `processInput` stopped.
    enum InputProgress {
        /// Out of complete requests, or no longer in a state to answer them.
        case stopped
        /// Queued output reached `maxPendingWriteBytes`: parsing resumes once some of it has been sent.
        case outputFull
    }

    /// Parses and dispatches buffered requests, one at a time, while the connection is free to answer them.
    @discardableResult
    func processInput() -> InputProgress {
        let maxPending = loop.context.configuration.maxPendingWriteBytes
        while phase == .reading, !closeAfterOutput {
            guard output.pendingBytes < maxPending else { return .outputFull }
            guard !input.isEmpty || parser.phase == .complete else { break }
            if requestStartedAt == nil { requestStartedAt = loop.now }
            var event = RequestParser.Event.needMoreData
            input.consume { bytes in
                let result = parser.parse(bytes)
                event = result.event
                return result.consumed
            }
            switch event {
            case .needMoreData:
                // Only empty lines between requests were consumed: nothing has started yet.
                if input.isEmpty, parser.phase == .requestLine, parser.startLine == nil { requestStartedAt = nil }
                return .stopped
            case .head(let head):
                pendingHead = head
                if head.expectsContinue, input.isEmpty { output.append(ResponseHead.continueLine) }
            case .end(let body):
                guard let head = pendingHead else { return .stopped }
                pendingHead = nil
                let startedAt = requestStartedAt ?? loop.now
                requestStartedAt = nil
                dispatch(head, body: body, startedAt: startedAt)
            case .failure(let error):
                refuse(error.httpError)
                return .stopped
            }
        }
        return .stopped
    }

    private func dispatch(_ head: RequestHead, body: [UInt8], startedAt: UInt64) {
        let requestID = RequestIDGenerator.sane(head.headers["X-Request-Id"]) ?? loop.requestIDs.next()
        var request = HTTPRequest(
            method: head.method, target: head.target, version: head.version, headers: head.headers, body: body,
            requestID: requestID, remoteAddress: remoteAddress)
        if let absolute = head.absoluteForm {
            request.path = absolute.path
            request.query = absolute.query
        }
        var info = RequestInfo(
            method: head.method, path: request.path, routePattern: nil, requestID: requestID,
            remoteAddress: remoteAddress, startedAt: startedAt, isHTTP10: head.isHTTP10,
            wantsKeepAlive: request.wantsKeepAlive)
        switch loop.context.router.match(head.method, path: request.path) {
        case .found(let handler, let parameters, let pattern):
            request.pathParameters = parameters
            request.routePattern = pattern
            info.routePattern = pattern
            run(handler, request, info)
        case .methodNotAllowed(let allowed):
            respond(HTTPError.methodNotAllowed(allowed: allowed).response, info)
        case .notFound:
            respond(HTTPError.notFound().response, info)
        }
    }

    /// Runs an `.immediate` handler here on the loop; an `.async` one in a task whose response comes back
    /// through the loop's inbox; a `.memoryFirst` one here, then in a task if memory could not answer. Handler tasks are never cancelled, even when the client leaves: a handler may
    /// be halfway through work that must not be cut short.
    private func run(_ handler: HTTPHandler, _ request: HTTPRequest, _ info: RequestInfo) {
        switch handler {
        case .immediate(let handle):
            let response: HTTPResponse
            do {
                response = try handle(request)
            } catch {
                response = Connection.response(for: error, info, loop: loop)
            }
            respond(response, info)
        case .memoryFirst(let fromMemory, let otherwise):
            let response: HTTPResponse?
            do {
                response = try fromMemory(request)
            } catch {
                response = Connection.response(for: error, info, loop: loop)
            }
            if let response {
                respond(response, info)
            } else {
                run(.async(otherwise), request, info)
            }
        case .async(let handle):
            phase = .awaitingHandler
            let inbox = loop.inbox, fd = fd, id = id, logger = loop.logger
            Task {
                let response: HTTPResponse
                do {
                    response = try await handle(request)
                } catch let error as any HTTPErrorConvertible {
                    response = error.httpError.response
                } catch {
                    Connection.logHandlerFailure(error, info, logger: logger)
                    response = HTTPError.internalError.response
                }
                inbox.post(.handlerFinished(HandlerCompletion(fd: fd, connectionID: id, info: info, response: response)))
            }
        }
    }

    /// An `.async` handler's response is back.
    func handlerFinished(_ info: RequestInfo, _ response: HTTPResponse) {
        guard phase == .awaitingHandler else { return }
        phase = .reading
        respond(response, info)
        afterActivity()
    }

    /// Answers a request that cannot be read (malformed, too large, too slow) and closes the connection.
    func refuse(_ error: HTTPError) {
        let method = pendingHead?.method ?? parser.named?.method
        let target = pendingHead?.target ?? parser.named?.target
        let info = RequestInfo(
            method: method ?? HTTPMethod("-"), path: target.map { String($0.prefix { $0 != "?" }) } ?? "-",
            routePattern: nil,
            requestID: RequestIDGenerator.sane(pendingHead?.headers["X-Request-Id"]) ?? loop.requestIDs.next(),
            remoteAddress: remoteAddress, startedAt: requestStartedAt ?? loop.now, isHTTP10: false,
            wantsKeepAlive: false)
        pendingHead = nil
        requestStartedAt = nil
        input.removeAll()
        closeAfterOutput = true
        respond(error.response, info)
    }
}
