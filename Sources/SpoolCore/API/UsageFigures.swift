import SpoolJSON

/// One line of `/v1/usage`: a team's jobs of one model submitted on one UTC day, what Spool estimated for them,
/// what fal billed for those it priced, and the spend that budgets count (billed where known, estimated elsewhere).
struct UsageFigures: Sendable {
    var team = ""
    var day = ""
    var model = ""
    var jobs: Int64 = 0
    var estimatedUSD = 0.0
    /// Jobs with a billed price.
    var billedJobs: Int64 = 0
    var billedUnits = 0.0
    var billedUSD = 0.0
    /// The estimate of the jobs with a billed price, which `billedUSD` replaces in `spendUSD`.
    var billedEstimateUSD = 0.0

    static let zero = UsageFigures()

    init() {}

    /// What fal billed where it priced a job, the estimate for the others.
    var spendUSD: Double { estimatedUSD - billedEstimateUSD + billedUSD }

    /// The sums of two lines (for the total; team, day and model are not kept).
    static func + (lhs: UsageFigures, rhs: UsageFigures) -> UsageFigures {
        var sum = UsageFigures()
        sum.jobs = lhs.jobs + rhs.jobs
        sum.estimatedUSD = lhs.estimatedUSD + rhs.estimatedUSD
        sum.billedJobs = lhs.billedJobs + rhs.billedJobs
        sum.billedUnits = lhs.billedUnits + rhs.billedUnits
        sum.billedUSD = lhs.billedUSD + rhs.billedUSD
        sum.billedEstimateUSD = lhs.billedEstimateUSD + rhs.billedEstimateUSD
        return sum
    }

    var json: JSONValue {
        var object = totalObject
        object["team"] = .string(team)
        object["day"] = .string(day)
        object["model"] = .string(model)
        return .object(object)
    }

    var totalJSON: JSONValue { .object(totalObject) }

    private var totalObject: JSONObject {
        [
            "jobs": .integer(jobs), "estimated_usd": .number(UsageAPI.cents(estimatedUSD)),
            "billed_jobs": .integer(billedJobs), "billed_units": .number(billedUnits),
            "billed_usd": .number(UsageAPI.cents(billedUSD)), "spend_usd": .number(UsageAPI.cents(spendUSD)),
        ]
    }
}
