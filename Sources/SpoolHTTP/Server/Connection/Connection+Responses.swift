import Logging

/// Writing responses: framing, streamed bodies, and the one log line (and observer call) per request.
extension Connection {
    /// Queues `response` for the request described by `info`. A streamed body starts its producing task here.
    func respond(_ response: HTTPResponse, _ info: RequestInfo) {
        let keepAlive = info.wantsKeepAlive && !loop.isDraining && !closeAfterOutput
        let noBody = info.isHead || ResponseHead.forbidsBody(response.status)
        let before = output.pendingBytes
        switch response.body {
        case .empty, .bytes:
            var bytes: [UInt8] = []
            if case .bytes(let content) = response.body { bytes = content }
            let framing: ResponseHead.Framing = ResponseHead.forbidsBody(response.status) ? .none : .length(bytes.count)
            writeHead(response, info, framing: framing, keepAlive: keepAlive)
            if !noBody { output.append(bytes) }
        case .file(let file, let offset, let length):
            let framing: ResponseHead.Framing = ResponseHead.forbidsBody(response.status) ? .none : .length(Int(length))
            writeHead(response, info, framing: framing, keepAlive: keepAlive)
            if !noBody, length > 0 {
                fileBody = ActiveFile(
                    file: file, next: offset, end: offset + length, info: info, status: response.status.code,
                    keepAlive: keepAlive, bytesSent: output.pendingBytes - before)
                phase = .sendingFile
                return
            }
        case .stream(let produce):
            let chunked = !info.isHTTP10
            let framing: ResponseHead.Framing = ResponseHead.forbidsBody(response.status) || !chunked ? .none : .chunked
            if noBody {
                writeHead(response, info, framing: framing, keepAlive: keepAlive)
            } else {
                writeHead(response, info, framing: framing, keepAlive: keepAlive && chunked)
                startStream(produce, info, status: response.status.code, chunked: chunked,
                            keepAlive: keepAlive && chunked, headBytes: output.pendingBytes - before)
                return
            }
        }
        if !keepAlive { closeAfterOutput = true }
        recordFinished(info, status: response.status.code, bytesSent: output.pendingBytes - before)
    }

    private func writeHead(_ response: HTTPResponse, _ info: RequestInfo, framing: ResponseHead.Framing, keepAlive: Bool) {
        let persistence: ResponseHead.Persistence = !keepAlive ? .close : (info.isHTTP10 ? .keepAliveHTTP10 : .keepAlive)
        let date = loop.dates.current()
        output.write { out in
            ResponseHead.write(
                status: response.status, headers: response.headers, framing: framing, persistence: persistence,
                date: date, requestID: info.requestID, into: &out)
        }
    }

    private func startStream(
        _ produce: @escaping @Sendable (any HTTPBodyWriter) async throws -> Void, _ info: RequestInfo, status: Int,
        chunked: Bool, keepAlive: Bool, headBytes: Int
    ) {
        let writer = StreamWriter(
            inbox: loop.inbox, fd: fd, connectionID: id, limit: loop.context.configuration.maxPendingWriteBytes)
        let task = Task {
            do {
                try await produce(writer)
                writer.finish()
            } catch {
                writer.fail(error)
            }
        }
        stream = ActiveStream(
            writer: writer, task: task, info: info, status: status, chunked: chunked, keepAlive: keepAlive,
            bytesSent: headBytes)
        phase = .streaming
    }

    /// The stream's writer has chunks (or has ended): frame and queue them.
    func streamReady() {
        guard phase == .streaming, var active = stream else { return }
        let (chunks, ending) = active.writer.take()
        let before = output.pendingBytes
        for chunk in chunks {
            if active.chunked {
                output.write { ResponseHead.appendChunk(chunk, to: &$0) }
            } else {
                output.append(chunk)
            }
        }
        switch ending {
        case nil:
            active.bytesSent += output.pendingBytes - before
            stream = active
        case .finished:
            if active.chunked { output.append(ResponseHead.lastChunk) }
            active.bytesSent += output.pendingBytes - before
            stream = nil
            phase = .reading
            if !active.keepAlive { closeAfterOutput = true }
            recordFinished(active.info, status: active.status, bytesSent: active.bytesSent)
        case .failed(let description):
            active.bytesSent += output.pendingBytes - before
            stream = active
            loop.logger.error("streamed response failed; closing the connection", metadata: [
                "error": "\(description)", "request_id": "\(active.info.requestID)",
            ])
            // What was written before the failure still goes out (as far as the socket takes it at once).
            flush()
            close()
            return
        }
        afterActivity()
    }

    /// Logs the finished request at info level (or writes its access line) and tells the observer.
    func recordFinished(_ info: RequestInfo, status: Int, bytesSent: Int) {
        Connection.record(info, status: status, bytesSent: bytesSent, on: loop)
        idleSince = loop.now
    }

    static func record(_ info: RequestInfo, status: Int, bytesSent: Int, on loop: EventLoop) {
        let context = loop.context
        let nanoseconds = Syscall.monotonicNanoseconds() &- info.startedAt
        let seconds = Double(nanoseconds) / 1e9
        if let accessLog = context.accessLog {
            if context.logger.logLevel <= .info {
                loop.accessLines.write(info, status: status, nanoseconds: nanoseconds, to: accessLog)
            }
        } else {
            context.logger.info("request", metadata: [
                "method": "\(info.method)",
                "path": "\(info.path)",
                "status": "\(status)",
                "duration_ms": "\(Double(nanoseconds / 1000) / 1000)",
                "request_id": "\(info.requestID)",
            ])
        }
        context.observer?(HTTPRequestRecord(
            method: info.method, path: info.path, routePattern: info.routePattern, status: status,
            durationSeconds: seconds, requestID: info.requestID, remoteAddress: info.remoteAddress,
            bytesSent: bytesSent))
    }

    /// An `.async` handler answered a connection that is gone: the request is still logged, with nothing sent.
    static func logAbandoned(_ info: RequestInfo, response: HTTPResponse, on loop: EventLoop) {
        record(info, status: response.status.code, bytesSent: 0, on: loop)
    }

    /// The response for an error a handler threw: an `HTTPErrorConvertible` (an `HTTPError` among them) answers
    /// as the error it stands for; anything else is logged and answered 500 without details.
    static func response(for error: any Error, _ info: RequestInfo, loop: EventLoop) -> HTTPResponse {
        if let error = error as? any HTTPErrorConvertible { return error.httpError.response }
        logHandlerFailure(error, info, logger: loop.logger)
        return HTTPError.internalError.response
    }

    static func logHandlerFailure(_ error: any Error, _ info: RequestInfo, logger: Logger) {
        logger.error("handler failed", metadata: [
            "error": "\(String(reflecting: error))", "method": "\(info.method)", "path": "\(info.path)",
            "request_id": "\(info.requestID)",
        ])
    }
}
