import Synchronization

/// What fault, if any, an incoming operation suffers.
struct FaultDecision: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case none
        /// Answer 503 with fal's platform error body.
        case unavailable
        /// Answer 429 with `Retry-After`.
        case rateLimited
        /// Break the connection without a complete answer.
        case drop
    }

    var kind: Kind
    /// Seconds to wait before answering (or dropping); 0 for a prompt answer.
    var delay: Double
}

/// Decides faults from the configured rates with a seeded generator, so that the same seed and the same sequence
/// of operations give the same faults. Thread-safe: the generator lives in a mutex.
final class FaultPlan: Sendable {
    private let configuration: SimulatorConfiguration
    private let generator: Mutex<SplitMix64>
    /// How many times each request's result was fetched since it completed successfully.
    private let resultFetches = Mutex<[String: Int]>([:])

    init(configuration: SimulatorConfiguration) {
        self.configuration = configuration
        self.generator = Mutex(SplitMix64(seed: configuration.seed))
    }

    /// The fault for one operation. Drop, then 503, then 429 are tried in turn, each at its own rate; a slow
    /// answer is decided independently and delays whichever answer follows.
    func decide(for operation: SimOperation) -> FaultDecision {
        guard configuration.faultOperations.contains(operation) else { return FaultDecision(kind: .none, delay: 0) }
        let c = configuration
        return generator.withLock { random in
            let delay = random.chance(c.slowRate) ? c.slowSeconds : 0
            if random.chance(c.dropRate) { return FaultDecision(kind: .drop, delay: delay) }
            if random.chance(c.fail5xxRate) { return FaultDecision(kind: .unavailable, delay: delay) }
            if random.chance(c.fail429Rate) { return FaultDecision(kind: .rateLimited, delay: delay) }
            return FaultDecision(kind: .none, delay: delay)
        }
    }

    /// How a new run will end: with the model's internal error at `runErrorRate`, else refused by the content
    /// checker at `contentPolicyRate`, else successfully.
    func plannedOutcome() -> EmulatedRequest.Outcome {
        generator.withLock { random in
            if random.chance(configuration.runErrorRate) { return .failed(.internalError) }
            if random.chance(configuration.contentPolicyRate) { return .failed(.contentPolicy) }
            return .succeeded
        }
    }

    /// Whether fal reroutes a submit that allows it to its alternative endpoint (at `fallbackRate`).
    func reroutes() -> Bool { generator.withLock { $0.chance(configuration.fallbackRate) } }

    /// Whether a cancel is answered `OK` rather than `CANCELLATION_REQUESTED` (at `cancelOKRate`).
    func cancelAnswersOK() -> Bool { generator.withLock { $0.chance(configuration.cancelOKRate) } }

    /// Whether this fetch of request `id`'s successful result gets a plain 500: the first
    /// `resultFailuresPerRequest` fetches do, later ones at `resultFailureRate`.
    func resultFetchFails(_ id: String) -> Bool {
        let earlier = resultFetches.withLock { counts in
            defer { counts[id, default: 0] += 1 }
            return counts[id, default: 0]
        }
        if earlier < configuration.resultFailuresPerRequest { return true }
        return generator.withLock { $0.chance(configuration.resultFailureRate) }
    }
}

/// A small, fast, seedable generator (SplitMix64); not for secrets.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `rate`; never draws for 0 and always true for 1.
    mutating func chance(_ rate: Double) -> Bool {
        if rate <= 0 { return false }
        if rate >= 1 { return true }
        return Double(next() >> 11) / Double(UInt64(1) << 53) < rate
    }
}
