import SpoolJSON

/// Finds `@ImageN` and `@ElementN` in prompts and checks that each names an entry of `input_image` or
/// `elements` (numbered from 1, in the order given).
///
/// Matching is case-sensitive, as the model's documentation writes the references; the number is every digit
/// that follows (`@Image12` is 12).
enum PromptReferences {
    private enum Kind: String {
        case image = "Image"
        case element = "Element"

        var field: String { self == .image ? "input_image" : "elements" }
        var noun: String { self == .image ? "image" : "element" }
    }

    private struct Reference: Hashable {
        let kind: Kind
        let number: Int
        var text: String { "@\(kind.rawValue)\(number)" }
    }

    static func problems(in input: JSONObject, at path: FieldPath) -> [ValidationProblem] {
        let counts: [Kind: Int] = [
            .image: input["input_image"]?.arrayValue?.count ?? 0,
            .element: input["elements"]?.arrayValue?.count ?? 0,
        ]
        var prompts: [(FieldPath, String)] = []
        if let prompt = input["prompt"]?.stringValue { prompts.append((path.appending(key: "prompt"), prompt)) }
        for (index, shot) in (input["multi_prompt"]?.arrayValue ?? []).enumerated() {
            if let prompt = shot["prompt"]?.stringValue {
                prompts.append((path.appending(key: "multi_prompt").appending(index: index).appending(key: "prompt"), prompt))
            }
        }
        var problems: [ValidationProblem] = []
        for (promptPath, prompt) in prompts {
            for reference in references(in: prompt) {
                let available = counts[reference.kind] ?? 0
                guard reference.number < 1 || reference.number > available else { continue }
                problems.append(ValidationProblem(promptPath, message(for: reference, available: available)))
            }
        }
        return problems
    }

    private static func message(for reference: Reference, available: Int) -> String {
        let kind = reference.kind
        if reference.number < 1 { return "refers to \(reference.text), but references count from @\(kind.rawValue)1" }
        switch available {
        case 0: return "refers to \(reference.text), but no \(kind.field) is given"
        case 1: return "refers to \(reference.text), but \(kind.field) has only 1 \(kind.noun)"
        default: return "refers to \(reference.text), but \(kind.field) has only \(available) \(kind.noun)s"
        }
    }

    /// The distinct references in `prompt`, in order of first appearance.
    private static func references(in prompt: String) -> [Reference] {
        let bytes = Array(prompt.utf8)
        var found: [Reference] = []
        var index = 0
        while let at = bytes[index...].firstIndex(of: UInt8(ascii: "@")) {
            index = at + 1
            guard let (reference, length) = reference(in: bytes, at: index) else { continue }
            if !found.contains(reference) { found.append(reference) }
            index += length
        }
        return found
    }

    /// The reference spelled right after an `@` at `start`, and how many bytes it takes, or nil.
    private static func reference(in bytes: [UInt8], at start: Int) -> (Reference, Int)? {
        for kind in [Kind.image, .element] where bytes[start...].starts(with: kind.rawValue.utf8) {
            let digitsStart = start + kind.rawValue.utf8.count
            let digits = bytes[digitsStart...].prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            guard !digits.isEmpty else { return nil }
            // Nine digits are more than any real reference; longer runs are reported by their first nine.
            let number = Int(String(decoding: digits.prefix(9), as: UTF8.self)) ?? 0
            return (Reference(kind: kind, number: number), digitsStart + digits.count - start)
        }
        return nil
    }
}
