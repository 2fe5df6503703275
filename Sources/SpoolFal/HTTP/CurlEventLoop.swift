import Synchronization
import CCurl
import Foundation
import Logging

/// The one thread that drives every transfer of an `HTTPClient` through a curl multi handle.
///
/// Other threads never touch libcurl except through `curl_multi_wakeup`: they leave transfers and cancellations
/// in the inbox and wake the loop, which attaches, detaches and completes transfers itself. Waiting happens in
/// `curl_multi_poll`, so thousands of transfers in flight cost sockets and memory, not threads.
///
/// `@unchecked Sendable` is sound because `active` and every libcurl call on `multi` are confined to the loop
/// thread (`run`), except `curl_multi_wakeup`, which libcurl allows from any thread and which is only called while
/// holding the inbox lock with `closed` false — and `closed` is set under that lock before `curl_multi_cleanup`,
/// so no wake-up can reach a freed handle. The inbox is a `Mutex`; `stopped` is a thread-safe group.
final class CurlEventLoop: @unchecked Sendable {
    private struct Inbox: Sendable {
        var added: [CurlTransfer] = []
        var cancelled: [CurlTransfer] = []
        var stopping = false
        var closed = false
    }

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    private let stopped = DispatchGroup()
    private let logger: Logger
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init(maxConnectionsPerHost: Int, logger: Logger) {
        CurlGlobal.initialize()
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        self.multi = multi
        self.logger = logger
        _ = spool_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, max(0, maxConnectionsPerHost))
        stopped.enter()
        let thread = Thread { [self] in run() }
        thread.name = "spool-curl"
        thread.start()
    }

    /// Hands a configured transfer to the loop; false once the loop is shutting down.
    func submit(_ transfer: CurlTransfer) -> Bool {
        inbox.withLock { inbox in
            guard !inbox.stopping else { return false }
            inbox.added.append(transfer)
            curl_multi_wakeup(multi)
            return true
        }
    }

    /// Asks the loop to abandon `transfer`, which then fails with `CancellationError`. Safe to call at any time,
    /// also before `submit` or after completion (then it does nothing).
    func cancel(_ transfer: CurlTransfer) {
        inbox.withLock { inbox in
            transfer.cancelRequested = true
            guard !inbox.closed else { return }
            inbox.cancelled.append(transfer)
            curl_multi_wakeup(multi)
        }
    }

    /// Fails every transfer with `HTTPClientError.shutDown`, frees the multi handle and waits for the thread to end.
    func shutdown() {
        inbox.withLock { inbox in
            guard !inbox.stopping else { return }
            inbox.stopping = true
            curl_multi_wakeup(multi)
        }
        stopped.wait()
    }

    private func run() {
        while true {
            let (added, cancelled, stopping) = inbox.withLock { inbox in
                defer { inbox.added = []; inbox.cancelled = [] }
                return (inbox.added.map { ($0, $0.cancelRequested) }, inbox.cancelled, inbox.stopping)
            }
            for (transfer, cancelRequested) in added { attach(transfer, cancelRequested: cancelRequested) }
            for transfer in cancelled where detach(transfer) { transfer.fail(CancellationError()) }
            if stopping { break }

            var running: Int32 = 0
            let performed = curl_multi_perform(multi, &running)
            if performed != CURLM_OK { logMultiError(performed, in: "curl_multi_perform") }
            collectFinished()
            let polled = curl_multi_poll(multi, nil, 0, 1000, nil)
            if polled != CURLM_OK { logMultiError(polled, in: "curl_multi_poll") }
        }
        for transfer in Array(active.values) where detach(transfer) { transfer.fail(HTTPClientError.shutDown) }
        let leftovers = inbox.withLock { inbox in
            inbox.closed = true
            defer { inbox.added = []; inbox.cancelled = [] }
            return inbox.added
        }
        for transfer in leftovers { transfer.fail(HTTPClientError.shutDown) }
        curl_multi_cleanup(multi)
        stopped.leave()
    }

    private func attach(_ transfer: CurlTransfer, cancelRequested: Bool) {
        guard !cancelRequested else { return transfer.fail(CancellationError()) }
        let code = curl_multi_add_handle(multi, transfer.handle)
        guard code == CURLM_OK else {
            let message = String(cString: curl_multi_strerror(code))
            return transfer.fail(HTTPClientError.transport(code: Int(code.rawValue), message: message))
        }
        active[transfer.handle] = transfer
    }

    /// Takes the transfer off the multi handle; false when it was not (or no longer) attached.
    private func detach(_ transfer: CurlTransfer) -> Bool {
        guard active.removeValue(forKey: transfer.handle) != nil else { return false }
        curl_multi_remove_handle(multi, transfer.handle)
        return true
    }

    private func collectFinished() {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                let transfer = active[handle]
            else { continue }
            let code = message.pointee.data.result
            _ = detach(transfer)
            transfer.complete(code: code)
        }
    }

    private func logMultiError(_ code: CURLMcode, in call: String) {
        logger.error("libcurl multi call failed", metadata: [
            "call": "\(call)", "curl_code": "\(code.rawValue)",
            "curl_message": "\(String(cString: curl_multi_strerror(code)))",
        ])
    }
}

/// Process-wide libcurl setup, done once before the first handle exists.
enum CurlGlobal {
    private static let done: Void = {
        let code = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        precondition(code == CURLE_OK, "curl_global_init failed: \(String(cString: curl_easy_strerror(code)))")
        // CURLOPT_NOSIGNAL leaves SIGPIPE to the process; a peer closing mid-write must not kill it.
        signal(SIGPIPE, SIG_IGN)
    }()

    static func initialize() { _ = done }
}
