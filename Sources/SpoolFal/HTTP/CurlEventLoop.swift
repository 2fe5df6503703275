import Synchronization
import CCurl
import Foundation
import Logging

/// The one thread that drives every transfer of an `HTTPClient` through a curl multi handle.
///
/// Other threads never touch libcurl: they leave transfers and cancellations in the inbox and wake the loop (an
/// eventfd), which attaches, detaches and completes transfers itself. The loop uses libcurl's socket interface:
/// an epoll set follows the sockets libcurl asks to watch, and each wake-up hands only the ready sockets (and
/// libcurl's timer, when due) to `curl_multi_socket_action` (`Sources/CCurl/event_driver.h`). So the work per
/// wake-up follows activity, not the number of transfers in flight, and thousands of idle transfers cost sockets
/// and memory, not threads or CPU.
///
/// `@unchecked Sendable` is sound because `active`, `events.timer_deadline_ms` and every libcurl call on `multi`
/// are confined to the loop thread (`run`). Other threads only write to the eventfd, and only while holding the
/// inbox lock with `closed` false — `closed` is set under that lock before the descriptors are closed and
/// `curl_multi_cleanup` runs, so no wake-up reaches a closed descriptor. The inbox is a `Mutex`; `stopped` is a
/// thread-safe group.
final class CurlEventLoop: @unchecked Sendable {
    private struct Inbox: Sendable {
        var added: [CurlTransfer] = []
        var cancelled: [CurlTransfer] = []
        var stopping = false
        var closed = false
    }

    private let multi: UnsafeMutableRawPointer
    /// The epoll set, the wake-up eventfd and libcurl's timer; allocated once so its address stays fixed for
    /// libcurl's callbacks.
    private let events: UnsafeMutablePointer<spool_curl_events>
    private let inbox = Mutex(Inbox())
    private let stopped = DispatchGroup()
    private let logger: Logger
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init(maxConnectionsPerHost: Int, logger: Logger) {
        CurlGlobal.initialize()
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        self.multi = multi
        self.logger = logger
        events = .allocate(capacity: 1)
        events.initialize(to: spool_curl_events())
        let opened = spool_curl_events_open(multi, events)
        guard opened == 0 else { fatalError("cannot open the HTTP client's epoll set: errno \(opened)") }
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
            spool_curl_events_wake(events)
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
            spool_curl_events_wake(events)
        }
    }

    /// Fails every transfer with `HTTPClientError.shutDown`, frees the multi handle and waits for the thread to end.
    func shutdown() {
        inbox.withLock { inbox in
            guard !inbox.stopping else { return }
            inbox.stopping = true
            spool_curl_events_wake(events)
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

            let acted = spool_curl_events_run_once(multi, events, spool_curl_events_wait_ms(events, 1000))
            if acted != CURLM_OK { logMultiError(acted, in: "curl_multi_socket_action") }
            collectFinished()
        }
        for transfer in Array(active.values) where detach(transfer) { transfer.fail(HTTPClientError.shutDown) }
        let leftovers = inbox.withLock { inbox in
            inbox.closed = true
            defer { inbox.added = []; inbox.cancelled = [] }
            return inbox.added
        }
        for transfer in leftovers { transfer.fail(HTTPClientError.shutDown) }
        curl_multi_cleanup(multi)
        spool_curl_events_close(events)
        events.deallocate()
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
