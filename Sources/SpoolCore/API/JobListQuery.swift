import SpoolHTTP

/// Reads `GET /v1/jobs?status=&model=&team=&limit=&cursor=` into a listing filter, scoped to the caller.
enum JobListQuery {
    static let defaultLimit = 50
    static let maximumLimit = 200

    static func filter(from request: HTTPRequest, principal: Principal) throws(HTTPError) -> JobListFilter {
        var problems: [HTTPError.Detail] = []
        var filter = JobListFilter(team: principal.isAdmin ? nil : principal.team, limit: defaultLimit)
        for (name, value) in request.queryItems {
            switch name {
            case "status":
                if let status = JobStatus(rawValue: value) { filter.status = status } else {
                    problems.append(.init(
                        field: "status", message: "must be one of " + JobStatus.allCases.map(\.rawValue).joined(separator: ", ")))
                }
            case "model": filter.model = value
            case "team":
                if principal.isAdmin {
                    filter.team = value
                } else if value != principal.team {
                    problems.append(.init(field: "team", message: "can only name your own team"))
                }
            case "limit":
                if let limit = Int(value), (1...maximumLimit).contains(limit) { filter.limit = limit } else {
                    problems.append(.init(field: "limit", message: "must be an integer from 1 to \(maximumLimit)"))
                }
            case "cursor":
                guard value.hasPrefix("job_") else {
                    problems.append(.init(field: "cursor", message: "must be a next_cursor from a previous page"))
                    continue
                }
                filter.beforeID = value
            default:
                problems.append(.init(field: name, message: "is not a known parameter"))
            }
        }
        if !problems.isEmpty { throw APIErrors.validationFailed(problems) }
        return filter
    }
}
