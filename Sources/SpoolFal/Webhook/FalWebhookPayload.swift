import SpoolJSON

/// The body fal POSTs to a submit's `fal_webhook` URL when the request ends.
///
/// `{"request_id", "gateway_request_id", "status": "OK", "payload": <output>}`, or with `"status": "ERROR"`,
/// `"error": "Invalid status code: 422"` and the model's error body as `payload`; `"payload": null` with
/// `payload_error` when the output was not JSON.
package struct FalWebhookPayload: Sendable, Equatable {
    package enum Status: String, Sendable {
        case ok = "OK"
        case error = "ERROR"
    }

    package var requestID: String
    package var gatewayRequestID: String?
    package var status: Status
    /// The model's output (OK) or its error body (ERROR); nil when absent or null.
    package var payload: JSONValue?
    package var error: String?
    package var payloadError: String?

    package init(
        requestID: String, gatewayRequestID: String? = nil, status: Status, payload: JSONValue?,
        error: String? = nil, payloadError: String? = nil
    ) {
        self.requestID = requestID
        self.gatewayRequestID = gatewayRequestID
        self.status = status
        self.payload = payload
        self.error = error
        self.payloadError = payloadError
    }

    /// Reads a webhook body. Verify the signature over these same bytes first.
    package init(body: [UInt8]) throws(FalWebhookPayloadError) {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: body)
        } catch {
            throw FalWebhookPayloadError(message: "body is not JSON: \(error)")
        }
        guard let requestID = json["request_id"]?.stringValue else {
            throw FalWebhookPayloadError(message: "request_id is missing")
        }
        guard let status = json["status"]?.stringValue.flatMap(Status.init(rawValue:)) else {
            throw FalWebhookPayloadError(message: "status is neither OK nor ERROR")
        }
        self.init(
            requestID: requestID, gatewayRequestID: json["gateway_request_id"]?.stringValue, status: status,
            payload: json["payload"].nonNull, error: json["error"]?.stringValue,
            payloadError: json["payload_error"]?.stringValue)
    }

    /// The body fal would send for this payload (the emulator's side).
    package var json: JSONValue {
        var object = JSONObject()
        object["request_id"] = .string(requestID)
        if let gatewayRequestID { object["gateway_request_id"] = .string(gatewayRequestID) }
        object["status"] = .string(status.rawValue)
        object["payload"] = payload ?? .null
        if let error { object["error"] = .string(error) }
        if let payloadError { object["payload_error"] = .string(payloadError) }
        return .object(object)
    }

    /// For an ERROR: the failure as a `FalError` (`.inputRejected` for a 422, else `.runFailed` with the status
    /// read from `error`, "Invalid status code: 500"). Nil for OK.
    package var failure: FalError? {
        guard status == .error else { return nil }
        let code = error.flatMap { text in text.split(separator: " ").last.flatMap { Int($0) } }
        let detail = payload?["detail"] ?? payload
        if code == 422, let detail { return .inputRejected(status: 422, detail: detail, retryable: nil) }
        return .runFailed(status: code, errorType: payload?["error_type"]?.stringValue, detail: detail,
                          message: error ?? payloadError ?? "fal reported an error")
    }
}

/// A webhook body that is not shaped like fal's.
package struct FalWebhookPayloadError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package var description: String { "malformed fal webhook body: \(message)" }
}
