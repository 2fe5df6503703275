/// What an event stream reads while it follows one job: the hub's updates for that job, merged with a keep-alive
/// tick every `keepAliveSeconds`. Subscribed when made, so nothing published afterwards is missed; it ends when the
/// hub closes (shutdown) or when `cancel` is called, which every user does when its response ends.
struct JobUpdateFeed: Sendable {
    enum Item: Sendable {
        case update(JobUpdate)
        case keepAlive
    }

    let items: AsyncStream<Item>
    private let stop: @Sendable () -> Void

    init(jobID: String, hub: JobEventHub, keepAliveSeconds: Double) {
        let (items, input) = AsyncStream<Item>.makeStream(bufferingPolicy: .bufferingNewest(2048))
        let updates = hub.subscribe(to: jobID)
        let relay = Task {
            for await update in updates { input.yield(.update(update)) }
            input.finish()
        }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(keepAliveSeconds))
                input.yield(.keepAlive)
            }
        }
        self.items = items
        stop = {
            relay.cancel()
            ticker.cancel()
            input.finish()
        }
    }

    /// Stops following: the subscription, the ticker and the stream end.
    func cancel() { stop() }
}
