/// Keeps this process's leases on the jobs it follows at fal, and takes over the jobs whose follower died, where
/// several processes share the store: every third of a lease it renews the leases of the jobs its tracker follows
/// and of those whose files it copies now, then takes up every job at fal whose lease ran out (`JobTracker.adopt`:
/// followed, never submitted again, as those jobs have a request id; or, for one whose result was saved, its files'
/// copy resumed). A job leased to this process that it no longer works on (a lost hand-off, a copy ended by an
/// error) is therefore taken up again too, by whichever replica comes first, this one included: where one process
/// owns the store the rescuer does that, here the lease.
struct FollowingLeases: Sendable {
    let context: WorkerContext
    let tracker: JobTracker
    let owner: String

    /// Runs until cancelled.
    func run() async {
        let lease = context.configuration.dispatch.leaseSeconds
        while !Task.isCancelled {
            await keep(leaseSeconds: lease)
            try? await Task.sleep(for: .seconds(lease / 3))
        }
    }

    /// One round: renew, then take over.
    func keep(leaseSeconds: Double) async {
        let now = Timestamp.now()
        do {
            try await context.store.renewFollowing(
                tracker.followedIDs + context.capture.copyingIDs, owner: owner, until: now.adding(seconds: leaseSeconds))
            let orphans = try await context.store.takeOverFollowing(
                at: now, owner: owner, until: now.adding(seconds: leaseSeconds))
            for job in orphans { tracker.adopt(job) }
            if !orphans.isEmpty {
                context.logger.notice("following jobs another process left", metadata: ["count": "\(orphans.count)"])
            }
        } catch {
            context.logger.warning("could not keep the leases of followed jobs", metadata: ["error": "\(error)"])
        }
    }
}
