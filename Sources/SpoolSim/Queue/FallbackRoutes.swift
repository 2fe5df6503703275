import Foundation

/// fal's "equivalent alternative endpoint" for a rerouted request: within the Kling O3 family a pro endpoint
/// falls back to its standard twin and back, a 4k one to pro. Other endpoints have no alternative.
enum FallbackRoutes {
    private static let tiers: [(from: String, to: String)] = [
        ("/o3/pro/", "/o3/standard/"), ("/o3/standard/", "/o3/pro/"), ("/o3/4k/", "/o3/pro/"),
    ]

    /// The endpoint that serves `endpoint` when fal reroutes it, or nil when it has none.
    static func alternative(to endpoint: String) -> String? {
        guard endpoint.hasPrefix("fal-ai/kling-video/") else { return nil }
        for tier in tiers where endpoint.contains(tier.from) {
            return endpoint.replacingOccurrences(of: tier.from, with: tier.to)
        }
        return nil
    }
}
