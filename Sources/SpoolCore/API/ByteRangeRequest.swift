/// What a `Range` header asks of a body of `size` bytes (RFC 9110 §14.2), for a server that serves single
/// ranges: one `bytes=` range gives a range or `unsatisfiable`; anything else (several ranges, another unit, a
/// malformed header) is ignored and the whole body is sent, as the RFC allows.
enum ByteRangeRequest: Equatable {
    case whole
    /// Inclusive first and last byte.
    case range(first: Int64, last: Int64)
    case unsatisfiable

    init(header: String?, size: Int64) {
        guard let header, header.hasPrefix("bytes=") else {
            self = .whole
            return
        }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: " \t")
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else {
            self = .whole
            return
        }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        if first.isEmpty {
            // `bytes=-N`: the last N bytes.
            guard let suffix = Int64(last) else {
                self = .whole
                return
            }
            self = suffix > 0 && size > 0 ? .range(first: max(0, size - suffix), last: size - 1) : .unsatisfiable
            return
        }
        guard let start = Int64(first), start >= 0 else {
            self = .whole
            return
        }
        var end = size - 1
        if !last.isEmpty {
            guard let asked = Int64(last), asked >= start else {
                self = .whole
                return
            }
            end = min(asked, size - 1)
        }
        self = start < size ? .range(first: start, last: end) : .unsatisfiable
    }
}
