import SpoolJSON

/// Checks a submit body the way fal's FastAPI/pydantic front does and produces its 422 `detail` items:
/// `{"loc": ["body", "prompt"], "msg": "Field required", "type": "missing"}`.
///
/// The Kling O3 reference-to-video family (`fal-ai/kling-video/o3/*/reference-to-video`) gets its request shape
/// checked field by field; any other endpoint only needs a JSON object. Unknown fields are ignored, as fal does.
enum InputValidator {
    /// The problems with `body` for `endpoint`; empty when it is accepted.
    static func issues(endpoint: String, body: [UInt8]) -> [JSONValue] {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: body)
        } catch {
            return [issue(["body", .integer(Int64(error.offset))], "JSON decode error", "json_invalid",
                          ctx: ["error": .string(error.message)])]
        }
        guard let object = value.objectValue else {
            return [issue(["body"], "Input should be a valid dictionary or object to extract fields from",
                          "model_attributes_type", input: value)]
        }
        guard isKlingReferenceToVideo(endpoint) else { return [] }
        return KlingReferenceRules.issues(object)
    }

    static func isKlingReferenceToVideo(_ endpoint: String) -> Bool {
        endpoint.hasPrefix("fal-ai/kling-video/") && endpoint.hasSuffix("/reference-to-video")
    }

    /// One `detail` item.
    static func issue(_ loc: [JSONValue], _ message: String, _ type: String, input: JSONValue? = nil,
                      ctx: JSONObject? = nil) -> JSONValue {
        var object: JSONObject = ["loc": .array(loc), "msg": .string(message), "type": .string(type)]
        if let input { object["input"] = input }
        if let ctx { object["ctx"] = .object(ctx) }
        return .object(object)
    }
}

/// The Kling O3 reference-to-video request shape, with fal's field names.
enum KlingReferenceRules {
    static let aspectRatios = ["16:9", "9:16", "1:1"]
    static let shotTypes = ["customize", "intelligent"]
    static let durations = (3...15).map(String.init)
    static let maxPromptLength = 2500

    static func issues(_ body: JSONObject) -> [JSONValue] {
        var found: [JSONValue] = []
        let prompt = body["prompt"].flatMap { $0.isNull ? nil : $0 }
        let multiPrompt = body["multi_prompt"].flatMap { $0.isNull ? nil : $0 }
        switch (prompt, multiPrompt) {
        case (nil, nil):
            found.append(InputValidator.issue(["body", "prompt"], "Field required", "missing"))
        case (.some, .some):
            found.append(InputValidator.issue(
                ["body"], "Value error, provide either prompt or multi_prompt, not both", "value_error"))
        default:
            break
        }
        if let prompt { found += promptIssues(prompt, at: ["body", "prompt"]) }
        if let multiPrompt { found += shotIssues(multiPrompt) }
        for field in ["start_image_url", "end_image_url"] {
            if let value = body[field], !value.isNull { found += urlIssues(value, at: ["body", .string(field)]) }
        }
        if let value = body["image_urls"], !value.isNull {
            found += listIssues(value, at: ["body", "image_urls"], max: 4) { item, loc in urlIssues(item, at: loc) }
        }
        if let value = body["elements"], !value.isNull {
            found += listIssues(value, at: ["body", "elements"], max: 3) { item, loc in elementIssues(item, at: loc) }
        }
        if let value = body["duration"] { found += durationIssues(value, at: ["body", "duration"]) }
        if let value = body["aspect_ratio"] { found += choiceIssues(value, aspectRatios, at: ["body", "aspect_ratio"]) }
        if let value = body["shot_type"] { found += choiceIssues(value, shotTypes, at: ["body", "shot_type"]) }
        if let value = body["generate_audio"], value.boolValue == nil {
            found.append(InputValidator.issue(
                ["body", "generate_audio"], "Input should be a valid boolean", "bool_type", input: value))
        }
        return found
    }

    private static func promptIssues(_ value: JSONValue, at loc: [JSONValue]) -> [JSONValue] {
        guard let text = value.stringValue else {
            return [InputValidator.issue(loc, "Input should be a valid string", "string_type", input: value)]
        }
        guard text.count <= maxPromptLength else {
            return [InputValidator.issue(
                loc, "String should have at most \(maxPromptLength) characters", "string_too_long", input: value,
                ctx: ["max_length": .integer(Int64(maxPromptLength))])]
        }
        return []
    }

    private static func shotIssues(_ value: JSONValue) -> [JSONValue] {
        listIssues(value, at: ["body", "multi_prompt"], max: nil) { shot, loc in
            guard let object = shot.objectValue else {
                return [InputValidator.issue(loc, "Input should be a valid dictionary", "dict_type", input: shot)]
            }
            var found: [JSONValue] = []
            if let prompt = object["prompt"] {
                found += promptIssues(prompt, at: loc + ["prompt"])
            } else {
                found.append(InputValidator.issue(loc + ["prompt"], "Field required", "missing"))
            }
            if let duration = object["duration"] {
                let allowed = (1...15).map(String.init)
                found += durationIssues(duration, at: loc + ["duration"], allowed: allowed)
            }
            return found
        }
    }

    private static func elementIssues(_ value: JSONValue, at loc: [JSONValue]) -> [JSONValue] {
        guard let object = value.objectValue else {
            return [InputValidator.issue(loc, "Input should be a valid dictionary", "dict_type", input: value)]
        }
        if let video = object["video_url"] { return urlIssues(video, at: loc + ["video_url"]) }
        var found: [JSONValue] = []
        if let frontal = object["frontal_image_url"] {
            found += urlIssues(frontal, at: loc + ["frontal_image_url"])
        } else {
            found.append(InputValidator.issue(loc + ["frontal_image_url"], "Field required", "missing"))
        }
        if let references = object["reference_image_urls"] {
            found += listIssues(references, at: loc + ["reference_image_urls"], min: 1, max: 3) { item, itemLoc in
                urlIssues(item, at: itemLoc)
            }
        } else {
            found.append(InputValidator.issue(loc + ["reference_image_urls"], "Field required", "missing"))
        }
        return found
    }

    /// A list with between `min` and `max` items, each checked by `item`.
    private static func listIssues(
        _ value: JSONValue, at loc: [JSONValue], min: Int = 0, max: Int?,
        _ item: (JSONValue, [JSONValue]) -> [JSONValue]
    ) -> [JSONValue] {
        guard let items = value.arrayValue else {
            return [InputValidator.issue(loc, "Input should be a valid list", "list_type", input: value)]
        }
        if let max, items.count > max {
            return [InputValidator.issue(
                loc, "List should have at most \(max) items after validation, not \(items.count)", "too_long",
                ctx: ["max_length": .integer(Int64(max)), "actual_length": .integer(Int64(items.count))])]
        }
        if items.count < min {
            return [InputValidator.issue(
                loc, "List should have at least \(min) item after validation, not \(items.count)", "too_short",
                ctx: ["min_length": .integer(Int64(min)), "actual_length": .integer(Int64(items.count))])]
        }
        return items.enumerated().flatMap { index, element in item(element, loc + [.integer(Int64(index))]) }
    }

    private static func durationIssues(_ value: JSONValue, at loc: [JSONValue], allowed: [String] = durations) -> [JSONValue] {
        let text = value.stringValue ?? value.integerValue.map { String($0) }
        if let text, allowed.contains(text) { return [] }
        return [literalIssue(value, allowed, at: loc)]
    }

    private static func choiceIssues(_ value: JSONValue, _ allowed: [String], at loc: [JSONValue]) -> [JSONValue] {
        if let text = value.stringValue, allowed.contains(text) { return [] }
        return [literalIssue(value, allowed, at: loc)]
    }

    private static func literalIssue(_ value: JSONValue, _ allowed: [String], at loc: [JSONValue]) -> JSONValue {
        let quoted = allowed.map { "'\($0)'" }
        let expected = quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!
        return InputValidator.issue(
            loc, "Input should be \(expected)", "literal_error", input: value, ctx: ["expected": .string(expected)])
    }

    /// fal accepts http(s) URLs with a host, and `data:` URIs.
    private static func urlIssues(_ value: JSONValue, at loc: [JSONValue]) -> [JSONValue] {
        guard let text = value.stringValue else {
            return [InputValidator.issue(loc, "URL input should be a string or URL", "url_type", input: value)]
        }
        if text.hasPrefix("data:"), text.contains(",") { return [] }
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) {
            let rest = text.dropFirst(scheme.count)
            let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            if !host.isEmpty, !text.contains(" ") { return [] }
        }
        return [InputValidator.issue(
            loc, "Input should be a valid URL, relative URL without a base", "url_parsing", input: value,
            ctx: ["error": "relative URL without a base"])]
    }
}
