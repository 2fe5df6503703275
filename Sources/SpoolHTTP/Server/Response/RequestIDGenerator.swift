/// Request ids: the client's own `X-Request-Id` when it is sane, otherwise a short random one.
///
/// Generated ids come from a per-loop wyrand generator seeded from the system's random source, so making one
/// costs no system call and no lock.
struct RequestIDGenerator {
    private var state: UInt64

    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
    /// Eleven base-62 digits hold any 64-bit value.
    static let generatedLength = 11

    init() {
        var system = SystemRandomNumberGenerator()
        state = system.next()
    }

    /// A fresh id of `generatedLength` characters from [0-9A-Za-z].
    mutating func next() -> String {
        state &+= 0xA076_1D64_78BD_642F
        let product = state.multipliedFullWidth(by: state ^ 0xE703_7ED1_A0B4_28DB)
        var value = product.high ^ product.low
        return String(unsafeUninitializedCapacity: RequestIDGenerator.generatedLength) { buffer in
            for index in 0..<RequestIDGenerator.generatedLength {
                buffer[index] = RequestIDGenerator.alphabet[Int(value % 62)]
                value /= 62
            }
            return RequestIDGenerator.generatedLength
        }
    }

    /// `candidate` when it is 1 to 128 characters of [A-Za-z0-9._-], otherwise nil.
    static func sane(_ candidate: String?) -> String? {
        guard let candidate else { return nil }
        let bytes = candidate.utf8
        guard (1...128).contains(bytes.count) else { return nil }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                continue
            default:
                return nil
            }
        }
        return candidate
    }
}
