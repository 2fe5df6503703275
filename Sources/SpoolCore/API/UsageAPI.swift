import SpoolHTTP
import SpoolJSON

/// `GET /v1/usage?from=YYYY-MM-DD&to=YYYY-MM-DD[&team=]`: jobs, estimated and billed spend per UTC day and
/// model (see `UsageFigures`).
/// A team key sees its own team; an admin key sees every team and may name one. Days are inclusive; the
/// default is the last 30 days up to today. A day is exactly a real date `YYYY-MM-DD` or an RFC 3339 timestamp
/// (its UTC day); anything else, or `from` after `to`, is a 422 `validation_failed`.
struct UsageAPI: Sendable {
    let store: any GatewayStore
    let authenticator: Authenticator
    let fileRecords: any JobFileRecords

    func register(in router: inout Router) {
        router.get("/v1/usage", .async { try await usage($0) })
    }

    private func usage(_ request: HTTPRequest) async throws -> HTTPResponse {
        let principal = try await authenticator.authenticate(request)
        let today = Timestamp.now()
        var from = today.adding(seconds: -29 * 86_400).day
        var to = today.day
        var team: String? = principal.isAdmin ? nil : principal.team
        var problems: [HTTPError.Detail] = []
        for (name, value) in request.queryItems {
            switch name {
            case "from", "to":
                guard let day = Timestamp.utcDay(parsing: value) else {
                    problems.append(.init(field: name, message: "must be a real date, YYYY-MM-DD, or an RFC 3339 timestamp"))
                    continue
                }
                if name == "from" { from = day } else { to = day }
            case "team":
                if principal.isAdmin { team = value } else if value != principal.team {
                    problems.append(.init(field: "team", message: "can only name your own team"))
                }
            default: problems.append(.init(field: name, message: "is not a known parameter"))
            }
        }
        if problems.isEmpty, from > to {
            problems.append(.init(field: "from", message: "must not be after to (\(from) is after \(to))"))
        }
        if !problems.isEmpty { throw APIErrors.validationFailed(problems) }
        let (start, end, scope) = (from, to, team)
        let rows = try await store.usage(from: start, to: end, team: scope)
        let total = rows.reduce(UsageFigures.zero, +)
        // Bytes held in file storage now (not per day): the team's, or every team's for an admin.
        let storedBytes = try await fileRecords.storedBytesByTeam().reduce(Int64(0)) { sum, entry in
            scope == nil || entry.key == scope ? sum + entry.value : sum
        }
        return .json([
            "object": "usage", "from": .string(from), "to": .string(to), "team": team.map(JSONValue.string) ?? .null,
            "data": .array(rows.map(\.json)), "total": total.totalJSON, "stored_bytes": .integer(storedBytes),
        ])
    }

    static func cents(_ amount: Double) -> Double { (amount * 100).rounded() / 100 }
}
