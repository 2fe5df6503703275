import SpoolJSON

/// Health, readiness, queue view, metrics, this document and the workbench page.
enum OperationsPaths {
    typealias S = OpenAPISchema
    typealias R = OpenAPIResponse
    typealias P = OpenAPIParameter

    static let all: [OpenAPIOperation] = [health, readiness, queue, usage, metrics, document] + workbench

    static let health = OpenAPIOperation(
        .get, "/healthz", id: "health", tag: "Operations", summary: "Liveness",
        description: "200 while the process serves.", authenticated: false,
        responses: [("200", R.json("Serving.", S.ref("Health")))])

    static let readiness = OpenAPIOperation(
        .get, "/readyz", id: "readiness", tag: "Operations", summary: "Readiness",
        description: "200 when the database is writable and the workers run; 503 with the reason otherwise (for instance, fal answered 401 to the configured key, so dispatch is paused).",
        authenticated: false,
        responses: [
            ("200", R.json("Ready.", S.ref("Readiness"))),
            ("503", R.json("Not ready; `reason` says why.", S.ref("Readiness"))),
        ])

    static let queue = OpenAPIOperation(
        .get, "/v1/queue", id: "getQueue", tag: "Operations", summary: "Queue depth (admin)",
        description: "Depth per status, the oldest waiting job, jobs at fal against the limit, per-team counts and the last five minutes' endings. Stays fast with millions of stored jobs.",
        responses: [
            ("200", R.json("The queue.", S.ref("Queue"))),
            ("403", R.error("The key is not an admin key.", codes: ["forbidden"])),
            ("503", R.shared("StorageUnavailable")),
        ])

    static let usage = OpenAPIOperation(
        .get, "/v1/usage", id: "getUsage", tag: "Operations", summary: "Jobs, estimated and billed spend per day and model",
        description: "A team key sees its own team; an admin key sees every team, or the one named by `team`. Days are UTC and inclusive; the default is the last 30 days.",
        parameters: [
            P.query("from", ["type": "string", "format": "date"], "First day (YYYY-MM-DD)."),
            P.query("to", ["type": "string", "format": "date"], "Last day (YYYY-MM-DD)."),
            P.query("team", ["type": "string"], "One team (admin keys; a team key may name only its own team)."),
        ],
        responses: [
            ("200", R.json("The usage.", S.ref("Usage"))),
            ("422", R.error("A parameter is malformed.", codes: ["validation_failed"])),
        ])

    static let metrics = OpenAPIOperation(
        .get, "/metrics", id: "metrics", tag: "Operations", summary: "Prometheus metrics",
        description: "Prometheus text format; every name starts with `spool_`.", authenticated: false,
        responses: [("200", R.content("The metrics.", type: "text/plain", schema: ["type": "string"]))])

    static let document = OpenAPIOperation(
        .get, "/openapi.json", id: "openapi", tag: "Operations", summary: "This document",
        description: "The OpenAPI 3.1 document of this API, with one input schema per catalog model.",
        authenticated: false,
        responses: [("200", R.json("The document.", ["type": "object"]))])

    static let workbench: [OpenAPIOperation] = [
        OpenAPIOperation(
            .get, "/", id: "workbench", tag: "Workbench", summary: "The workbench page",
            description: "A page to run models, follow jobs live and compare their videos. The API key is typed into the page and kept in the browser's local storage; the page calls this API with it.",
            authenticated: false,
            responses: [("200", R.content("The page.", type: "text/html", schema: ["type": "string"]))]),
        OpenAPIOperation(
            .get, "/workbench/{file}", id: "workbenchFile", tag: "Workbench", summary: "A file of the workbench page",
            description: "The page's style sheet (`workbench.css`) and JavaScript modules (`app.mjs` and those it imports). Each answer carries an `ETag`; a request whose `If-None-Match` names it gets 304 with no body.",
            authenticated: false,
            parameters: [P.path("file", "The file's name.", example: "app.mjs"), P.header("If-None-Match", ["type": "string"], "An `ETag` this file was served with.")],
            responses: [
                ("200", R.content("The file (`text/css` or `text/javascript`).", type: "text/javascript", schema: ["type": "string"])),
                ("304", ["description": "The file has not changed since the named `ETag`."]),
                ("404", ["description": "No such file."]),
            ]),
    ]
}
