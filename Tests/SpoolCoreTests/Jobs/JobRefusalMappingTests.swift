import SpoolHTTP
import SpoolJSON
import SpoolStore
import SpoolTestSupport
import Testing
@testable import SpoolCore

/// The one mapping from the job service's refusals to the answers: the contract's `{"error": …}` on /v1 and
/// fal's shapes on the fal surface.
@Suite("The job service's refusals as the contract's errors and as fal's")
struct JobRefusalMappingTests {
    /// Each refusal with the status, code and `Retry-After` the contract gives it.
    static let contractTable: [(JobRefusal, status: Int, code: String, retryAfter: String?)] = [
        (.invalidJSON(reason: "unexpected end"), 400, "invalid_json", nil),
        (.validationFailed([ValidationProblem(field: "priority", message: "must be an integer")]), 422, "validation_failed", nil),
        (.unknownModel("kling", didYouMean: ""), 422, "unknown_model", nil),
        (.invalidIdempotencyKey, 400, "invalid_idempotency_key", nil),
        (.idempotencyConflict(jobID: "job_1"), 409, "idempotency_conflict", nil),
        (.quotaExceeded(team: "marketing", limit: 3), 429, "quota_exceeded", "30"),
        (.budgetExceeded(team: "marketing", budgetUSD: 10, spentUSD: 9.996, retryAfterSeconds: 120), 429, "budget_exceeded", "120"),
        (.jobNotFound(jobID: "job_1"), 404, "not_found", nil),
        (.alreadyTerminal(jobID: "job_1", status: .completed), 409, "already_terminal", nil),
        (.finishedAtFal(jobID: "job_1"), 409, "already_terminal", nil),
        (.storageFull, 503, "storage_full", "60"),
        (.storageUnavailable, 503, "storage_unavailable", "5"),
    ]

    @Test("every refusal has the contract's status, code and Retry-After, in the contract's error shape")
    func contractMapping() {
        for (refusal, status, code, retryAfter) in Self.contractTable {
            let answer = refusal.httpError
            #expect(answer.status.code == status, "\(refusal)")
            #expect(answer.code == code, "\(refusal)")
            #expect(answer.headers["Retry-After"] == retryAfter, "\(refusal)")
            #expect(answer.body["error"]?["code"]?.stringValue == code, "\(refusal)")
            #expect(answer.body["error"]?["message"]?.stringValue?.isEmpty == false, "\(refusal)")
        }
    }

    @Test("the messages name what was refused: the field, the team's limit, the spend rounded to cents, the status")
    func contractMessages() {
        let invalid = JobRefusal.validationFailed([ValidationProblem(field: "priority", message: "must be an integer")])
        #expect(invalid.httpError.message == "The request has a problem: priority must be an integer.")
        #expect(invalid.httpError.details == [HTTPError.Detail(field: "priority", message: "must be an integer")])
        #expect(JobRefusal.quotaExceeded(team: "marketing", limit: 3).httpError.message
            == "Team marketing already has 3 jobs waiting, its limit.")
        #expect(JobRefusal.budgetExceeded(team: "marketing", budgetUSD: 10, spentUSD: 9.996, retryAfterSeconds: 120)
            .httpError.message == "This job would take team marketing past its daily budget of 10.0 USD (10.0 USD spent today).")
        #expect(JobRefusal.alreadyTerminal(jobID: "job_1", status: .failed).httpError.message == "Job job_1 is already failed.")
        #expect(AuthRefusal.unauthenticated("The API key is unknown or revoked.").httpError.status == .unauthorized)
        #expect(AuthRefusal.unauthenticated("No key.").httpError.headers["WWW-Authenticate"] == "Bearer")
    }

    @Test("the fal surface answers the same refusals in fal's shapes and never with a status fal's clients retry")
    func falMapping() {
        for (refusal, _, _, _) in Self.contractTable {
            #expect(![408, 409, 429].contains(FalSurfaceError.from(refusal).status.code), "\(refusal)")
        }
        let quota = FalSurfaceError.from(.quotaExceeded(team: "marketing", limit: 3))
        #expect(quota.status == .forbidden)
        #expect(quota.body["error_type"]?.stringValue == "quota_exceeded")
        let budget = FalSurfaceError.from(.budgetExceeded(team: "t", budgetUSD: 1, spentUSD: 1, retryAfterSeconds: 9))
        #expect(budget.status.code == 402)
        #expect(FalSurfaceError.from(.alreadyTerminal(jobID: "job_1", status: .completed)).status == .badRequest)
        let unavailable = FalSurfaceError.from(.storageUnavailable)
        #expect(unavailable.status == .serviceUnavailable)
        #expect(unavailable.headers["Retry-After"] == "5")
        let invalid = FalSurfaceError.from(.validationFailed([ValidationProblem(field: "input.duration", message: "is required")]))
        #expect(invalid.status == .unprocessableEntity)
        let entry = invalid.body["detail"]?.arrayValue?.first
        #expect(entry?["loc"] == ["body", "duration"])
        #expect(entry?["msg"]?.stringValue == "is required")
    }

    @Test("a database failure is refused without its text: storage_full when the disk is full, else storage_unavailable")
    func storageFailures() {
        let logger = quietLogger("refusals")
        let full = SQLiteError(extendedCode: 13, message: "database or disk is full")
        #expect(JobRefusal.storage(full, logger: logger) == .storageFull)
        let busy = SQLiteError(extendedCode: 5, message: "database is locked")
        #expect(JobRefusal.storage(busy, logger: logger) == .storageUnavailable)
        #expect(!JobRefusal.storage(busy, logger: logger).httpError.message.contains("locked"))
    }
}
