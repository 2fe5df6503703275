import SpoolJSON

/// One request in the emulated queue, from submit to its end. Times are seconds on the emulator's `SimClock`.
struct EmulatedRequest: Sendable {
    enum Phase: Sendable, Equatable {
        case queued
        case running(startedAt: Double)
        /// Ended: `startedAt` is nil for a request cancelled before it ran.
        case completed(startedAt: Double?, endedAt: Double, outcome: Outcome)
    }

    enum Outcome: Sendable, Equatable {
        case succeeded
        case failed(RunFailure)
    }

    let id: String
    /// The full endpoint id it was submitted to (`fal-ai/kling-video/o3/pro/reference-to-video`).
    let endpoint: String
    /// The endpoint that runs it: `endpoint`, or its alternative when fal rerouted it (`X-Fal-Served-From`).
    let servedFrom: String
    /// The app part of the endpoint (`fal-ai/kling-video`), which every later URL uses.
    let app: String
    let submittedAt: Double
    /// When it may start if a slot is free: `submittedAt + queueSeconds`.
    let eligibleAt: Double
    /// How long it runs once started.
    let runSeconds: Double
    /// What the run will end with when it is not cancelled, decided at submit.
    let plannedOutcome: Outcome
    /// The `fal_webhook` URL given at submit.
    let webhookURL: String?
    /// The `aspect_ratio` asked for (`16:9` when none was): its output video's shape.
    let aspectRatio: String
    /// Seconds of video asked for: how long its output video lasts, and what fal bills for a successful run
    /// (`X-Fal-Billable-Units`).
    let videoSeconds: Int
    /// When the run must have started (`X-Fal-Request-Timeout` after submit); still waiting then, it ends
    /// with `request_timeout`. Nil without the header.
    let startDeadline: Double?
    /// False when the submit said `X-Fal-Store-IO: 0`: the result is then kept only a short time.
    let storesPayloads: Bool
    var phase: Phase = .queued

    var isCompleted: Bool {
        if case .completed = phase { return true }
        return false
    }

    var statusName: String {
        switch phase {
        case .queued: return "IN_QUEUE"
        case .running: return "IN_PROGRESS"
        case .completed: return "COMPLETED"
        }
    }

    /// The log lines written by `now`, each as (time, message): one when the run starts, one every
    /// `logInterval` while it runs, and one when it ends.
    func logLines(now: Double, logInterval: Double) -> [(at: Double, message: String)] {
        let started: Double, ended: Double?
        switch phase {
        case .queued: return []
        case .running(let startedAt): (started, ended) = (startedAt, nil)
        case .completed(.none, let endedAt, .failed(let failure)):
            return [(endedAt, failure == .cancelled ? "Request was cancelled before it started" : failure.logMessage)]
        case .completed(.none, _, .succeeded): return []
        case .completed(.some(let startedAt), let endedAt, _): (started, ended) = (startedAt, endedAt)
        }
        let horizon = min(now, ended ?? now)
        var lines: [(at: Double, message: String)] = [(started, "Starting video generation with \(servedFrom)")]
        var step = 1
        while started + Double(step) * logInterval < horizon {
            let elapsed = Double(step) * logInterval
            let percent = runSeconds > 0 ? min(99, Int(elapsed / runSeconds * 100)) : 99
            lines.append((started + elapsed, "Generating video: \(percent)%"))
            step += 1
        }
        if case .completed(_, let endedAt, let outcome) = phase {
            switch outcome {
            case .succeeded: lines.append((endedAt, "Video generated"))
            case .failed(let failure): lines.append((endedAt, failure.logMessage))
            }
        }
        return lines
    }
}

/// How a run that did not produce a video ended: what its status says and what its result URL answers.
struct RunFailure: Sendable, Equatable {
    /// The HTTP status the result URL answers with (the model's own).
    let statusCode: Int
    /// The body the result URL answers with, also the webhook's `payload`.
    let body: JSONValue
    /// Headers the result URL answers with besides the body's own.
    var headers: [String: String] = [:]
    /// The status's `error` member.
    let error: String
    /// The status's `error_type` member.
    let errorType: String
    let logMessage: String

    /// The model refused the input (fal's content checker).
    static let contentPolicy = RunFailure(
        statusCode: 422,
        body: ["detail": [[
            "loc": ["body", "prompt"],
            "msg": "The content could not be processed because it contained material flagged by a content checker.",
            "type": "content_policy_violation",
            "url": "https://docs.fal.ai/errors#content_policy_violation",
        ]]],
        error: "Invalid status code: 422", errorType: "content_policy_violation",
        logMessage: "Input rejected by the content checker")

    /// The model crashed mid-run.
    static let internalError = RunFailure(
        statusCode: 500,
        body: ["detail": "Internal error during video generation"],
        error: "Invalid status code: 500", errorType: "internal_error",
        logMessage: "Video generation failed")

    /// Still waiting when the submit's `X-Fal-Request-Timeout` ran out: fal's platform error, never started.
    static let requestTimeout = RunFailure(
        statusCode: 504,
        body: ["detail": "Request timed out", "error_type": "request_timeout"],
        headers: ["X-Fal-Error-Type": "request_timeout", "X-Fal-Request-Timeout-Type": "user"],
        error: "Request timed out", errorType: "request_timeout",
        logMessage: "Request timed out before it started")

    /// Cancelled through the cancel URL (inferred shape: fal documents the cancel call, not the aftermath).
    static let cancelled = RunFailure(
        statusCode: 400,
        body: ["detail": "Request was cancelled"],
        error: "Request was cancelled", errorType: "request_cancelled",
        logMessage: "Request was cancelled")
}
