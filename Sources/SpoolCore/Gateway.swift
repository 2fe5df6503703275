import Logging
import SpoolFal
import SpoolHTTP
import Synchronization

/// A running Spool: the database, the catalog, the workers that move jobs through fal, and the HTTP API.
///
/// `start` opens and migrates the store, takes back jobs a previous process left half-submitted, follows
/// again every job that is at fal, starts the dispatcher and serves HTTP. `shutdown` stops accepting requests,
/// lets those in flight finish, and stops the workers; jobs at fal stay there and are followed again on the
/// next start.
package final class Gateway: Sendable {
    package let configuration: SpoolConfiguration
    let store: any GatewayStore
    package let catalog: ModelCatalog
    package let metrics: SpoolMetrics
    let hub = JobEventHub()
    let health = HealthState()
    let authenticator: Authenticator
    let httpClient: HTTPClient
    let tracker: JobTracker
    let dispatcher: JobDispatcher
    let deliverer: WebhookDeliverer
    /// Where output files are kept, their records, and the worker that copies them from fal.
    let storage: any FileStorage
    let fileRecords: any JobFileRecords
    let capture: FileCapture
    let server: HTTPServer
    /// The listener of fal's queue API for fal's own clients and the jobs it follows, when `fal_surface.listen` is set.
    let falServer: HTTPServer?
    let falBoard: FalRequestBoard?
    /// Rendered single-job reads, dropped as jobs change.
    let jobReadCache: JobReadCache
    /// Every (method, pattern) the API answers, for checking the OpenAPI document against the router.
    let routes: [(method: HTTPMethod, pattern: String)]
    let logger: Logger
    /// This process's name in leases (`proc_…`): of the jobs it submits and follows, and of the deliveries it makes.
    let owner: String
    private let workers = Mutex<[Task<Void, Never>]>([])

    /// Builds everything; nothing runs until `start`. With `accessLogWriter`, access lines are formatted as bytes
    /// and written there (as `log_format` and `log_access` say) instead of going through the logger.
    package init(
        configuration: SpoolConfiguration, logger: Logger = Logger(label: "spool"),
        accessLogWriter: BufferedLineWriter? = nil
    ) async throws {
        self.configuration = configuration
        self.logger = logger
        let (store, applied) = try await DatabaseSetup.open(configuration, logger: logger.child("spool.store"))
        for name in applied { logger.notice("applied migration", metadata: ["migration": "\(name)"]) }
        self.store = store
        catalog = try ResourceLocator.catalog(configuration)
        metrics = SpoolMetrics(replica: configuration.replicaID ?? ReplicaName.default)
        authenticator = Authenticator(keys: store, adminKey: configuration.adminKey)
        try await authenticator.reload()

        httpClient = HTTPClient(
            configuration: HTTPClientConfiguration(totalTimeout: .seconds(configuration.fal.requestTimeoutSeconds)),
            logger: logger.child("spool.fal"))
        let fal = FalQueueClient(baseURL: configuration.fal.queueURL, key: configuration.fal.key ?? "", httpClient: httpClient)
        let owner = Identifier.make("proc_")
        self.owner = owner
        let dispatcherBox = DispatcherBox()
        storage = try makeFileStorage(configuration: configuration)
        fileRecords = try makeJobFileRecords(store: store)
        capture = FileCapture(
            records: fileRecords, storage: storage, hub: hub, metrics: metrics, configuration: configuration,
            owner: owner, logger: logger.child("spool.storage"), onCompleted: { dispatcherBox.poke() })
        let context = WorkerContext(
            store: store, hub: hub, catalog: catalog, fal: fal, configuration: configuration, health: health,
            metrics: metrics, logger: logger.child("spool.jobs"), capture: capture)
        tracker = JobTracker(context: context) { dispatcherBox.poke() }
        dispatcher = JobDispatcher(context: context, tracker: tracker, owner: owner)
        dispatcherBox.set(dispatcher)
        deliverer = WebhookDeliverer(
            store: store, owner: owner,
            client: HTTPClient(
                configuration: HTTPClientConfiguration(
                    connectTimeout: .seconds(min(10, configuration.webhooks.timeoutSeconds)),
                    totalTimeout: .seconds(configuration.webhooks.timeoutSeconds), maxResponseBytes: 64 * 1024,
                    followRedirects: false),
                logger: logger.child("spool.webhooks")),
            configuration: configuration, metrics: metrics, logger: logger.child("spool.webhooks"))
        hub.observeAll { [deliverer] update in
            if case .transition(let job, _) = update, job.webhookURL != nil { deliverer.poke() }
        }
        hub.observeAll(JobLifecycleLog(logger: context.logger).record)
        let verifier = configuration.publicURL == nil
            ? nil : FalWebhookVerifier(jwksURL: configuration.fal.jwksURL, httpClient: httpClient)

        let jobs = JobService(
            store: store, catalog: catalog, hub: hub, configuration: configuration, logger: context.logger,
            onSubmitted: { [dispatcher, metrics] job in
                metrics.recordSubmitted(model: job.model)
                dispatcher.poke()
            })
        let cancellation = JobCancellation(jobs: jobs, fal: fal, tracker: tracker, metrics: metrics, logger: context.logger)
        var router = Router()
        OperationsAPI(store: store, health: health, metrics: metrics, authenticator: authenticator,
                      configuration: configuration, fileRecords: fileRecords, storage: storage, logger: logger
        ).register(in: &router)
        ModelsAPI(catalog: catalog, authenticator: authenticator).register(in: &router)
        // A replica's cache waits for its LISTEN connection (`ClusterNotifications`) before it keeps anything.
        jobReadCache = JobReadCache(hub: hub, suspended: store.isShared)
        JobsAPI(
            jobs: jobs, cancellation: cancellation, authenticator: authenticator, configuration: configuration,
            readCache: jobReadCache
        ).register(in: &router)
        WebhooksAPI(jobs: jobs, deliverer: deliverer, authenticator: authenticator).register(in: &router)
        UsageAPI(store: store, authenticator: authenticator, fileRecords: fileRecords).register(in: &router)
        FilesAPI(
            store: store, storage: storage,
            links: SignedFileLinks(configuredSecret: configuration.storage.linkSecret, records: fileRecords),
            authenticator: authenticator, configuration: configuration, logger: context.logger
        ).register(in: &router)
        FalWebhookAPI(store: store, verifier: verifier, tracker: tracker, logger: context.logger).register(in: &router)
        OpenAPIRoute(catalog: catalog).register(in: &router)
        WorkbenchAPI().register(in: &router)
        routes = router.routeTable

        var serverConfiguration = HTTPServerConfiguration()
        let address = try configuration.listenAddress()
        serverConfiguration.host = address.host
        serverConfiguration.port = address.port
        serverConfiguration.maxBodyBytes = configuration.http.maxBodyBytes
        serverConfiguration.headerTimeout = configuration.http.headerTimeoutSeconds
        serverConfiguration.idleTimeout = configuration.http.idleTimeoutSeconds
        serverConfiguration.bodyReadTimeout = configuration.http.bodyReadTimeoutSeconds
        serverConfiguration.shutdownGracePeriod = configuration.http.shutdownGraceSeconds
        if configuration.http.eventLoops > 0 { serverConfiguration.eventLoopCount = configuration.http.eventLoops }
        let accessLog = { (label: String) in
            accessLogWriter.map { writer in
                AccessLog(
                    format: configuration.logFormat == "json" ? .json : .text,
                    sampling: AccessLog.Sampling(setting: configuration.logAccess) ?? .all, label: label, writer: writer)
            }
        }
        server = HTTPServer(
            configuration: serverConfiguration, router: router, logger: logger.child("spool.http"),
            accessLog: accessLog("spool.http"), observer: { [metrics] record in metrics.recordRequest(record) })

        if let falAddress = try configuration.falSurfaceAddress() {
            var falRouter = Router()
            let board = FalRequestBoard(jobs: jobs)
            let queue = FalQueueHandlers(jobs: jobs, cancellation: cancellation, board: board, configuration: configuration)
            FalSurfaceAPI(queue: queue, authenticator: authenticator, configuration: configuration).register(in: &falRouter)
            serverConfiguration.host = falAddress.host
            serverConfiguration.port = falAddress.port
            falServer = HTTPServer(
                configuration: serverConfiguration, router: falRouter, logger: logger.child("spool.fal-surface"),
                accessLog: accessLog("spool.fal-surface"), observer: { [metrics] record in metrics.recordRequest(record) })
            falBoard = board
        } else {
            falServer = nil
            falBoard = nil
        }
    }

    /// The port the API listens on (useful when the configuration asked for port 0).
    package var port: Int { server.port }

    /// The port of the fal surface, when it is on.
    package var falPort: Int? { falServer?.port }

    /// Resumes the work a previous process left and starts serving.
    package func start() async throws {
        try await dispatcher.rescueLapsedClaims(at: .now(), includingOtherOwners: !store.isShared)
        let now = Timestamp.now()
        let atFal = try await store.takeOverFollowing(
            at: now, owner: owner, until: now.adding(seconds: configuration.dispatch.leaseSeconds))
        for job in atFal { tracker.adopt(job) }
        if !atFal.isEmpty { logger.notice("following jobs at fal again", metadata: ["count": "\(atFal.count)"]) }

        let sweeper = RetentionSweeper(
            records: fileRecords, storage: storage, hub: hub, metrics: metrics,
            intervalSeconds: configuration.storage.sweepIntervalSeconds, logger: logger.child("spool.storage"))
        let deadlines = DeadlineWatcher(context: tracker.context, tracker: tracker) { [dispatcher] in dispatcher.poke() }
        let rescuer = JobRescuer(context: tracker.context, tracker: tracker, dispatcher: dispatcher)
        metrics.prepareRescueCounters()
        var tasks = [
            Task { await dispatcher.run() },
            Task { await deadlines.run() },
            Task { [deliverer] in await deliverer.run() },
            Task { [authenticator, logger] in await authenticator.keepFresh(logger: logger) },
        ]
        if configuration.storage.retentionDays != nil { tasks.append(Task { [sweeper] in await sweeper.run() }) }
        // One process follows every job at fal on its own database; replicas sharing one hand jobs over by lease.
        if store.isShared {
            let leases = FollowingLeases(context: tracker.context, tracker: tracker, owner: owner)
            tasks.append(Task { await leases.run() })
        } else {
            tasks.append(Task { await rescuer.run() })
        }
        if let shared = store as? PostgresGatewayStore {
            let notifications = ClusterNotifications(
                url: shared.database.url, store: shared, hub: hub, readCache: jobReadCache,
                authenticator: authenticator, logger: logger.child("spool.cluster"))
            tasks.append(Task { await notifications.run() })
        }
        workers.withLock { $0 = tasks }
        try server.start()
        if let falServer {
            try falServer.start()
            logger.notice("fal surface is serving", metadata: ["port": "\(falServer.port)"])
        }
        logger.notice("spool is serving", metadata: [
            "listen": "\(configuration.listen)", "port": "\(server.port)", "database": "\(store.location)",
            "fal": "\(configuration.fal.queueURL)", "fal_emulated": "\(configuration.fal.emulated)",
        ])
    }

    /// Stops serving (letting requests in flight finish) and stops the workers; where replicas share the store, the
    /// jobs this process followed at fal are handed over at once.
    package func shutdown() async {
        hub.close()
        await server.shutdown()
        await falServer?.shutdown()
        falBoard?.stopFollowing()
        let tasks = workers.withLock { tasks in
            defer { tasks.removeAll() }
            return tasks
        }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        tracker.stopAll()
        await capture.stop()
        if store.isShared {
            do { try await store.releaseFollowing(owner: owner) } catch {
                logger.warning("could not hand over the jobs this process followed", metadata: ["error": "\(error)"])
            }
        }
        httpClient.shutdown()
        deliverer.client.shutdown()
        await store.close()
        logger.notice("spool stopped")
    }
}

extension Logger {
    /// A logger for a part of Spool, at this logger's level.
    func child(_ label: String) -> Logger {
        var child = Logger(label: label)
        child.logLevel = logLevel
        return child
    }
}

/// Lets the tracker, built before the dispatcher, wake the dispatcher. It holds the dispatcher weakly: the
/// dispatcher holds the tracker, and a strong reference back would keep both (and the database, the hub and the
/// catalog they hold) alive after the gateway is gone.
private final class DispatcherBox: Sendable {
    private struct Reference {
        weak var dispatcher: JobDispatcher?
    }

    private let reference = Mutex(Reference())
    func set(_ value: JobDispatcher) { reference.withLock { $0.dispatcher = value } }
    func poke() { reference.withLock { $0.dispatcher }?.poke() }
}
