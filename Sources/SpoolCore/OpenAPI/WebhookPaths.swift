import SpoolJSON

/// The operations about webhooks: a job's deliveries and their retry, the team's signing secret, and the
/// intake of fal's own callbacks.
enum WebhookPaths {
    typealias S = OpenAPISchema
    typealias R = OpenAPIResponse
    typealias P = OpenAPIParameter

    static let all: [OpenAPIOperation] = [deliveries, retry, secret, rotate, falCallback]

    static let deliveries = OpenAPIOperation(
        .get, "/v1/jobs/{id}/deliveries", id: "listJobDeliveries", tag: "Webhooks", summary: "List a job's deliveries",
        description: "The downstream webhook messages of this job and their attempts.",
        parameters: [P.shared("JobID")],
        responses: [
            ("200", R.json("The deliveries.", S.ref("DeliveryList"))),
            ("404", R.shared("JobNotFound")),
            ("503", R.shared("StorageUnavailable")),
        ])

    static let retry = OpenAPIOperation(
        .post, "/v1/jobs/{id}/deliveries/{delivery_id}/retry", id: "retryDelivery", tag: "Webhooks",
        summary: "Send a delivery again now",
        description: "Makes the delivery `pending` and due at once, whatever its state.",
        parameters: [P.shared("JobID"), P.shared("DeliveryID")],
        responses: [
            ("202", R.json("The delivery, pending.", S.ref("Delivery"))),
            ("404", R.error("There is no such job for this team, or the job has no such delivery.", codes: ["not_found"])),
            ("503", R.shared("StorageUnavailable")),
        ])

    static let secret = OpenAPIOperation(
        .get, "/v1/webhook-secret", id: "getWebhookSecret", tag: "Webhooks", summary: "Read the webhook secret",
        description: "The caller's team's current signing secret (made on first use). Deliveries carry `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 over \"{webhook-id}.{webhook-timestamp}.{body}\">`.",
        responses: [
            ("200", R.json("The secret.", S.ref("WebhookSecret"))),
            ("503", R.shared("StorageUnavailable")),
        ])

    static let rotate = OpenAPIOperation(
        .post, "/v1/webhook-secret/rotate", id: "rotateWebhookSecret", tag: "Webhooks", summary: "Rotate the webhook secret",
        description: "Makes a new secret. The old one keeps signing beside it for 24 h: during that time deliveries carry both signatures, space-separated.",
        responses: [
            ("200", R.json("The new secret.", S.ref("WebhookSecret"))),
            ("503", R.shared("StorageUnavailable")),
        ])

    static let falCallback = OpenAPIOperation(
        .post, "/v1/fal/webhook", id: "receiveFalWebhook", tag: "fal", summary: "fal's callback when a job ends",
        description: "Called by fal, not by clients: where Spool knows its public URL (`SPOOL_PUBLIC_URL`) it asks fal to call here when a job finishes. The per-job token authenticates the call; where fal's signature headers are present and a JWKS is configured, the Ed25519 signature is checked too. Duplicate or late calls change nothing.",
        authenticated: false,
        parameters: [
            P.query("job", ["type": "string", "pattern": "^job_"], "The job's id.", required: true),
            P.query("token", ["type": "string"], "The job's callback secret.", required: true),
        ],
        requestBody: [
            "required": false,
            "content": ["application/json": ["schema": [
                "type": "object", "description": "fal's webhook payload (`request_id`, `status`, `payload`…); Spool reads the outcome from fal itself.",
            ]]],
        ],
        responses: [
            ("200", R.json("Taken; the job is polled at once.", S.ref("FalWebhookReceipt"))),
            ("401", R.error("fal's signature headers are present but do not verify.", codes: ["invalid_signature"])),
            ("404", R.error("The job is unknown or the token is wrong.", codes: ["not_found"])),
            ("413", R.shared("PayloadTooLarge")),
        ])
}
