import SpoolJSON
import Testing
@testable import SpoolSim

@Suite("Input validation in fal's 422 shape")
struct InputValidatorTests {
    private let endpoint = "fal-ai/kling-video/o3/pro/reference-to-video"

    private func issues(_ body: JSONValue, endpoint: String? = nil) -> [JSONValue] {
        InputValidator.issues(endpoint: endpoint ?? self.endpoint, body: body.serialized())
    }

    @Test("a complete reference-to-video input passes, with duration as a string or an integer")
    func validInputs() {
        let body: JSONValue = [
            "prompt": "A @Element1 dances", "image_urls": ["https://a.example/1.png", "data:image/png;base64,AAAA"],
            "elements": [["frontal_image_url": "https://a.example/f.png", "reference_image_urls": ["https://a.example/r.png"]]],
            "start_image_url": "https://a.example/s.png", "end_image_url": "http://a.example/e.png",
            "duration": "15", "aspect_ratio": "9:16", "generate_audio": true, "shot_type": "intelligent",
            "negative_prompt": "blur",
        ]
        #expect(issues(body).isEmpty)
        #expect(issues(["prompt": "x", "duration": 3]).isEmpty)
        #expect(issues(["multi_prompt": [["prompt": "a", "duration": "2"], ["prompt": "b", "duration": 4]]]).isEmpty)
    }

    @Test("a missing prompt is a 'missing' item at body.prompt")
    func missingPrompt() {
        #expect(issues(["duration": "5"]) == [["loc": ["body", "prompt"], "msg": "Field required", "type": "missing"]])
    }

    @Test("bad duration, aspect ratio, image URL and boolean each name their field")
    func badFields() {
        let found = issues([
            "prompt": "x", "duration": "2", "aspect_ratio": "4:3", "image_urls": ["not a url"], "generate_audio": "yes",
        ])
        let locations = found.compactMap { $0["loc"]?.arrayValue?.compactMap { $0.stringValue ?? $0.integerValue.map { "\($0)" } } }
        #expect(locations == [["body", "image_urls", "0"], ["body", "duration"], ["body", "aspect_ratio"], ["body", "generate_audio"]])
        #expect(found.map { $0["type"]?.stringValue } == ["url_parsing", "literal_error", "literal_error", "bool_type"])
        #expect(found[2]["msg"]?.stringValue == "Input should be '16:9', '9:16' or '1:1'")
    }

    @Test("prompt and multi_prompt together, too many images, and non-objects are refused")
    func structuralProblems() {
        #expect(issues(["prompt": "x", "multi_prompt": [["prompt": "y"]]]).first?["type"] == "value_error")
        let five: JSONValue = .array(Array(repeating: "https://a.example/i.png", count: 5))
        #expect(issues(["prompt": "x", "image_urls": five]).first?["type"] == "too_long")
        #expect(issues(["a", "b"]).first?["type"] == "model_attributes_type")
        #expect(InputValidator.issues(endpoint: endpoint, body: Array("{".utf8)).first?["type"] == "json_invalid")
    }

    @Test("other endpoints need only a JSON object")
    func otherEndpoints() {
        #expect(issues(["anything": 1], endpoint: "fal-ai/flux/dev").isEmpty)
        #expect(issues([1, 2], endpoint: "fal-ai/flux/dev").count == 1)
    }
}
