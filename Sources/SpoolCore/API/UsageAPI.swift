import SpoolHTTP
import SpoolJSON
import SpoolStore

/// `GET /v1/usage?from=YYYY-MM-DD&to=YYYY-MM-DD[&team=]`: jobs, estimated and billed spend per UTC day and
/// model (see `UsageFigures`).
/// A team key sees its own team; an admin key sees every team and may name one. Days are inclusive; the
/// default is the last 30 days up to today.
struct UsageAPI: Sendable {
    let database: SQLiteDatabase
    let authenticator: Authenticator

    func register(in router: inout Router) {
        router.get("/v1/usage", .async { try await usage($0) })
    }

    private func usage(_ request: HTTPRequest) async throws -> HTTPResponse {
        let principal = try authenticator.authenticate(request)
        let today = Timestamp.now()
        var from = today.adding(seconds: -29 * 86_400).day
        var to = today.day
        var team: String? = principal.isAdmin ? nil : principal.team
        var problems: [HTTPError.Detail] = []
        for (name, value) in request.queryItems {
            switch name {
            case "from", "to":
                let day = String(value.prefix(10))
                guard Self.isDay(day) else {
                    problems.append(.init(field: name, message: "must be a date, YYYY-MM-DD"))
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
        if !problems.isEmpty { throw APIErrors.validationFailed(problems) }
        let (start, end, scope) = (from, to, team)
        let rows = try await database.read { connection in
            var sql = """
                SELECT team, day, model, jobs, estimated_cost_usd, billed_jobs, billed_units, billed_usd,
                    billed_estimate_usd
                FROM usage_daily WHERE day >= ? AND day <= ?
                """
            var bindings: [SQLiteValue] = [.text(start), .text(end)]
            if let scope {
                sql += " AND team = ?"
                bindings.append(.text(scope))
            }
            return try connection.query(sql + " ORDER BY day, team, model", bindings: bindings).map(UsageFigures.init(row:))
        }
        let total = rows.reduce(UsageFigures.zero, +)
        return .json([
            "object": "usage", "from": .string(from), "to": .string(to), "team": team.map(JSONValue.string) ?? .null,
            "data": .array(rows.map(\.json)), "total": total.totalJSON,
        ])
    }

    static func cents(_ amount: Double) -> Double { (amount * 100).rounded() / 100 }

    static func isDay(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        return bytes.enumerated().allSatisfy { index, byte in
            index == 4 || index == 7 || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
    }
}
