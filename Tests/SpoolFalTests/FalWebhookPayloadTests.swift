import SpoolJSON
import Testing
@testable import SpoolFal

@Suite("fal webhook bodies")
struct FalWebhookPayloadTests {
    @Test("an OK body carries the output")
    func ok() throws {
        let body = #"{"request_id":"r-1","gateway_request_id":"g-1","status":"OK","payload":{"video":{"url":"u"}}}"#
        let payload = try FalWebhookPayload(body: Array(body.utf8))
        #expect(payload == FalWebhookPayload(requestID: "r-1", gatewayRequestID: "g-1", status: .ok,
                                             payload: ["video": ["url": "u"]]))
        #expect(payload.failure == nil)
    }

    @Test("an ERROR body with a 422 is an input rejection with fal's detail")
    func inputError() throws {
        let body = #"{"request_id":"r-1","gateway_request_id":"g-1","status":"ERROR","error":"Invalid status code: 422","#
            + #""payload":{"detail":[{"loc":["body","prompt"],"msg":"too long","type":"value_error"}]}}"#
        let payload = try FalWebhookPayload(body: Array(body.utf8))
        #expect(payload.status == .error)
        #expect(payload.failure == .inputRejected(
            status: 422, detail: [["loc": ["body", "prompt"], "msg": "too long", "type": "value_error"]], retryable: nil))
    }

    @Test("an ERROR with another status is a run failure; a null payload keeps payload_error")
    func otherErrors() throws {
        let failed = try FalWebhookPayload(body: Array(
            #"{"request_id":"r","status":"ERROR","error":"Invalid status code: 500","payload":{"detail":"boom"}}"#.utf8))
        #expect(failed.failure == .runFailed(status: 500, errorType: nil, detail: "boom",
                                             message: "Invalid status code: 500"))
        let unreadable = try FalWebhookPayload(body: Array(
            #"{"request_id":"r","status":"OK","payload":null,"payload_error":"not JSON"}"#.utf8))
        #expect(unreadable.payload == nil)
        #expect(unreadable.payloadError == "not JSON")
    }

    @Test("bodies not shaped like fal's are refused", arguments: [
        "not json", #"{"status":"OK"}"#, #"{"request_id":"r","status":"DONE"}"#,
    ])
    func malformed(_ body: String) {
        #expect(throws: FalWebhookPayloadError.self) { try FalWebhookPayload(body: Array(body.utf8)) }
    }

    @Test("the emulator's side writes what the parser reads")
    func roundTrip() throws {
        let payload = FalWebhookPayload(requestID: "r", gatewayRequestID: "g", status: .error, payload: nil,
                                        error: "Invalid status code: 500", payloadError: "not JSON")
        #expect(try FalWebhookPayload(body: payload.json.serialized()) == payload)
    }
}
