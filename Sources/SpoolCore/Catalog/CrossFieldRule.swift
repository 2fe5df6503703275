import SpoolJSON

/// A rule about how fields of an input relate, which JSON Schema cannot say in a way clients understand.
///
/// A model's catalog file lists the rules that apply to it by name (`"cross_field_rules"`). Each rule reads the
/// normalised input and reports its own problems; it ignores values of the wrong type, which schema validation
/// reports already. Per-array limits (at most 4 `input_image`, 3 `elements`, 3 `reference_image_urls`) are
/// `maxItems` in the schema and are not repeated here.
enum CrossFieldRule: String, Sendable, CaseIterable {
    /// Exactly one of `prompt` and `multi_prompt`.
    case promptXorMultiPrompt = "prompt_xor_multi_prompt"
    /// `tail_image_url` only together with `start_image_url`.
    case tailRequiresStart = "tail_requires_start"
    /// At most one element with a `video_url`; with one, `input_image` and `elements` together at most 4.
    case referenceCounts = "reference_counts"
    /// Every `@ImageN` and `@ElementN` in `prompt` and in each `multi_prompt[].prompt` names an existing entry.
    case promptReferences = "prompt_references"

    /// At most this many images and elements together when an element carries a video.
    static let referenceLimitWithVideo = 4

    func check(_ input: JSONObject, at path: FieldPath) -> [ValidationProblem] {
        switch self {
        case .promptXorMultiPrompt: return checkPromptXorMultiPrompt(input, at: path)
        case .tailRequiresStart: return checkTailRequiresStart(input, at: path)
        case .referenceCounts: return checkReferenceCounts(input, at: path)
        case .promptReferences: return PromptReferences.problems(in: input, at: path)
        }
    }

    private func checkPromptXorMultiPrompt(_ input: JSONObject, at path: FieldPath) -> [ValidationProblem] {
        switch (input["prompt"], input["multi_prompt"]) {
        case (nil, nil):
            return [ValidationProblem(path.appending(key: "prompt"), "is required (or give multi_prompt instead)")]
        case (_?, _?):
            return [ValidationProblem(path.appending(key: "multi_prompt"),
                                      "cannot be given together with prompt: give exactly one of them")]
        default:
            return []
        }
    }

    private func checkTailRequiresStart(_ input: JSONObject, at path: FieldPath) -> [ValidationProblem] {
        guard input["tail_image_url"] != nil, input["start_image_url"] == nil else { return [] }
        return [ValidationProblem(path.appending(key: "tail_image_url"), "requires start_image_url (the first frame)")]
    }

    private func checkReferenceCounts(_ input: JSONObject, at path: FieldPath) -> [ValidationProblem] {
        let elements = input["elements"]?.arrayValue ?? []
        let videoElements = elements.filter { $0["video_url"] != nil }.count
        guard videoElements > 0 else { return [] }
        let elementsPath = path.appending(key: "elements")
        var problems: [ValidationProblem] = []
        if videoElements > 1 {
            problems.append(ValidationProblem(
                elementsPath, "may contain at most one element with a video_url (it has \(videoElements))"))
        }
        let images = input["input_image"]?.arrayValue?.count ?? 0
        let limit = CrossFieldRule.referenceLimitWithVideo
        if images + elements.count > limit {
            let message = "with a video element, input_image and elements may have at most \(limit) entries together"
            problems.append(ValidationProblem(elementsPath, message + " (they have \(images + elements.count))"))
        }
        return problems
    }
}
