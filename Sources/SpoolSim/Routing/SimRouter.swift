import SpoolHTTP

/// The emulator's routes.
///
/// | route | answers |
/// |---|---|
/// | `POST /{endpoint}` (2 to 6 segments, `?fal_webhook=`) | submit (404 for an endpoint not served) |
/// | `GET /{owner}/{app}/requests/{id}/status` (`?logs=1`) | status |
/// | `GET /{owner}/{app}/requests/{id}/status/stream` | status as server-sent events |
/// | `GET /{owner}/{app}/requests/{id}` | result |
/// | `PUT /{owner}/{app}/requests/{id}/cancel` | cancel |
/// | `GET /files/{id}/output.mp4` | the video (ranges supported) |
/// | `DELETE /v1/models/requests/{id}/payloads` | deletes a finished request's payloads and files (fal's platform API) |
/// | `GET /.well-known/jwks.json` | the webhook signing key |
/// | `GET`, `DELETE /_sim/requests`; `GET /_sim/state` | what was received; the queue's contents |
enum SimRouter {
    static let endpointDepths = 2...6

    static func make(_ context: SimContext) -> Router {
        var router = Router()
        for depth in endpointDepths {
            let pattern = "/" + (1...depth).map { "{s\($0)}" }.joined(separator: "/")
            router.post(pattern, .async { request in
                try await context.queueOperation(.submit, request) { try await context.submit($0) }
            })
        }
        let stem = "/{owner}/{app}/requests/{id}"
        router.get(stem + "/status", .async { request in
            try await context.queueOperation(.status, request) { context.status($0) }
        })
        router.get(stem, .async { request in
            try await context.queueOperation(.result, request) { context.result($0) }
        })
        router.put(stem + "/cancel", .async { request in
            try await context.queueOperation(.cancel, request) { context.cancel($0) }
        })
        router.get(stem + "/status/stream", .immediate { context.statusStream($0) })
        router.get("/files/{id}/" + SampleVideo.fileName, .immediate { context.video($0) })
        router.delete("/v1/models/requests/{id}/payloads", .immediate { context.deletePayloads($0) })
        router.get("/.well-known/jwks.json", .immediate { context.jwks($0) })
        router.get("/_sim/requests", .immediate { context.listRecorded($0) })
        router.delete("/_sim/requests", .immediate { context.clearRecorded($0) })
        router.get("/_sim/state", .immediate { context.state($0) })
        return router
    }
}
