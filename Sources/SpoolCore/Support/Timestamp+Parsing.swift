/// Reading the contract's dates and times back, strictly: a text that is not exactly a real date in one of the
/// accepted forms is refused, never cut or rounded to something that looks right.
extension Timestamp {
    /// Parses an RFC 3339 timestamp: `YYYY-MM-DDTHH:MM:SS`, an optional fraction (milliseconds are kept), then `Z`
    /// or an offset `±HH:MM`. The date must exist (no February 30th); nil for anything else.
    package init?(rfc3339 text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, let days = Self.daysSinceEpoch(ofDate: bytes[0..<10]),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            let hour = Self.number(bytes, 11, 2), hour < 24, bytes[13] == UInt8(ascii: ":"),
            let minute = Self.number(bytes, 14, 2), minute < 60, bytes[16] == UInt8(ascii: ":"),
            let second = Self.number(bytes, 17, 2), second <= 60
        else { return nil }
        var index = 19
        var millisecond = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, let digit = Self.digit(bytes[index]) {
                if index - start < 3 { millisecond = millisecond * 10 + digit }
                index += 1
            }
            guard index > start else { return nil }
            for _ in min(index - start, 3)..<3 { millisecond *= 10 }
        }
        guard index < bytes.count else { return nil }
        var offsetMinutes = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard bytes.count == index + 6, let offsetHour = Self.number(bytes, index + 1, 2), offsetHour < 24,
                bytes[index + 3] == UInt8(ascii: ":"), let offsetMinute = Self.number(bytes, index + 4, 2),
                offsetMinute < 60
            else { return nil }
            offsetMinutes = (offsetHour * 60 + offsetMinute) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetMinutes * 60)
        self.init(milliseconds: seconds * 1000 + Int64(millisecond))
    }

    /// The UTC day named by `text`: exactly a real date `YYYY-MM-DD`, or the UTC day of an RFC 3339 timestamp.
    package static func utcDay(parsing text: String) -> String? {
        if text.utf8.count == 10 {
            return daysSinceEpoch(ofDate: Array(text.utf8)[...]) == nil ? nil : text
        }
        return Timestamp(rfc3339: text)?.day
    }

    /// Days from 1970-01-01 to the date `YYYY-MM-DD` in `bytes` (proleptic Gregorian), or nil when the text is not
    /// that shape or the date does not exist.
    static func daysSinceEpoch(ofDate bytes: ArraySlice<UInt8>) -> Int64? {
        let text = Array(bytes)
        guard text.count == 10, let year = number(text, 0, 4), text[4] == UInt8(ascii: "-"),
            let month = number(text, 5, 2), text[7] == UInt8(ascii: "-"), let day = number(text, 8, 2),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        // Days-from-civil: count from 0000-03-01 so that the leap day ends each cycle of years.
        let shiftedYear = Int64(month <= 2 ? year - 1 : year)
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = Int64((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1)
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The decimal number in `bytes[start..<start + count]`, or nil when one of them is not a digit.
    private static func number(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<start + count] {
            guard let digit = digit(byte) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    private static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
