/// What a team may be called: 1 to 64 letters, digits, '-', '_' or '.'.
enum TeamName {
    static func isValid(_ name: String) -> Bool {
        guard (1...64).contains(name.utf8.count) else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x2D || byte == 0x5F
                || byte == 0x2E
        }
    }
}
