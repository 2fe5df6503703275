/// The URL fal calls when a job ends: `{public URL}/v1/fal/webhook?job=<id>&token=<per-job secret>`.
enum FalCallbackURL {
    static let path = "/v1/fal/webhook"

    static func make(publicURL: String, jobID: String, token: String) -> String {
        let base = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        // Ids and tokens are URL-safe by construction (Crockford base-32, base64url).
        return base + path + "?job=" + jobID + "&token=" + token
    }
}
