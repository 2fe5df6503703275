/// What fal's response headers say about a request, on whichever answer carries them (submit, status, result):
/// the units it bills (`X-Fal-Billable-Units`) and the endpoint that ran it (`X-Fal-Served-From`, which differs
/// from the endpoint asked for when fal fell back to an alternative).
package struct FalReport: Sendable, Equatable {
    /// The units fal bills for the request (for Kling, seconds of video).
    package var billableUnits: Double?
    /// The endpoint id that ran the request, such as `fal-ai/kling-video/o3/pro/reference-to-video`.
    package var servedFrom: String?

    package init(billableUnits: Double? = nil, servedFrom: String? = nil) {
        self.billableUnits = billableUnits
        self.servedFrom = servedFrom
    }

    /// Reads the two headers; a units value that is not a finite, non-negative number is ignored.
    package init(headers: HTTPClientHeaders) {
        let units = headers["x-fal-billable-units"].flatMap { Double($0.trimmingSpaces) }
        billableUnits = units.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
        servedFrom = headers["x-fal-served-from"].map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// True when neither header was there.
    package var isEmpty: Bool { billableUnits == nil && servedFrom == nil }
}

/// A decoded answer from fal together with what its headers reported.
package struct FalAnswer<Value: Sendable>: Sendable {
    package var value: Value
    package var report: FalReport

    package init(_ value: Value, report: FalReport = FalReport()) {
        self.value = value
        self.report = report
    }
}

extension FalAnswer: Equatable where Value: Equatable {}
