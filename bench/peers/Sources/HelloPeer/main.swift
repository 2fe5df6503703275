import Hummingbird

/// `HelloPeer [port]`: answers `GET /healthz` with `{"status":"ok"}` on 127.0.0.1, nothing else.
let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 18081
let router = Router()
router.get("/healthz") { _, _ in
    Response(
        status: .ok, headers: [.contentType: "application/json"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
