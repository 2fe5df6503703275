@testable import SpoolCore
import SpoolJSON
import Testing

/// Validation of job inputs against the reference-to-video model (unless a test names another), through the
/// real catalog files.
@Suite("Job input validation")
struct InputValidationTests {
    private let image = "https://example.com/a.png"

    @Test("the contract's example input is accepted unchanged")
    func contractExample() throws {
        let input = """
            {"prompt": "@Element1 walks through @Image1", "input_image": ["https://cdn.example.com/scene.png"],
             "elements": [{"frontal_image_url": "https://cdn.example.com/face.png",
                           "reference_image_urls": ["https://cdn.example.com/side.png"]}],
             "duration": 5, "aspect_ratio": "9:16", "generate_audio": true}
            """
        #expect(try CatalogFixture.accepted(input) == CatalogFixture.json(input))
    }

    @Test("a value of the wrong type is named with what it must be")
    func wrongType() throws {
        #expect(try CatalogFixture.problems(#"{"prompt": 5}"#) == ["input.prompt: must be a string"])
        #expect(try CatalogFixture.problems(#"{"prompt": "a", "generate_audio": "yes"}"#)
            == ["input.generate_audio: must be true or false"])
        #expect(try CatalogFixture.problems(#"{"prompt": "a", "elements": {}}"#) == ["input.elements: must be an array"])
        #expect(try CatalogFixture.problems("[]") == ["input: must be an object"])
    }

    @Test("an enum value outside the list names every allowed value")
    func enumValue() throws {
        #expect(try CatalogFixture.problems(#"{"prompt": "a", "aspect_ratio": "4:3"}"#)
            == [#"input.aspect_ratio: must be one of "16:9", "9:16", "1:1""#])
        #expect(try CatalogFixture.problems(#"{"prompt": "a", "shot_type": "auto"}"#)
            == [#"input.shot_type: must be one of "customize", "intelligent""#])
    }

    @Test("duration must be an integer from 3 to 15", arguments: ["2", "16", "5.5", "\"five\"", "\"-3\"", "true"])
    func durationOutOfRange(duration: String) throws {
        #expect(try CatalogFixture.problems(#"{"prompt": "a", "duration": \#(duration)}"#)
            == ["input.duration: must be an integer from 3 to 15"])
    }

    @Test("a whole number written with a fraction counts as an integer")
    func integralNumber() throws {
        #expect(try CatalogFixture.accepted(#"{"prompt": "a", "duration": 5.0}"#)["duration"]?.integerValue == 5)
    }

    @Test("prompt length is limited to 2500 characters, counted as Unicode scalars")
    func promptLength() throws {
        let long = String(repeating: "a", count: 2501)
        #expect(try CatalogFixture.problems(#"{"prompt": "\#(long)"}"#)
            == ["input.prompt: must be at most 2500 characters long (it has 2501)"])
        let accented = String(repeating: "\u{E9}", count: 2500)
        _ = try CatalogFixture.accepted(#"{"prompt": "\#(accented)"}"#)
        #expect(try CatalogFixture.problems(#"{"prompt": ""}"#) == ["input.prompt: must not be empty"])
        let longNegative = String(repeating: "b", count: 2600)
        #expect(try CatalogFixture.problems(#"{"prompt": "a", "negative_prompt": "\#(longNegative)"}"#)
            == ["input.negative_prompt: must be at most 2500 characters long (it has 2600)"])
    }

    @Test("at most 4 reference images")
    func tooManyImages() throws {
        let images = Array(repeating: "\"\(image)\"", count: 5).joined(separator: ",")
        #expect(try CatalogFixture.problems(#"{"prompt": "a", "input_image": [\#(images)]}"#)
            == ["input.input_image: must have at most 4 items (it has 5)"])
    }

    @Test("an element takes 1 to 3 reference images")
    func elementReferenceImages() throws {
        let four = Array(repeating: "\"\(image)\"", count: 4).joined(separator: ",")
        #expect(try CatalogFixture.problems("""
            {"prompt": "a", "elements": [{"frontal_image_url": "\(image)", "reference_image_urls": [\(four)]}]}
            """) == ["input.elements[0].reference_image_urls: must have at most 3 items (it has 4)"])
        #expect(try CatalogFixture.problems("""
            {"prompt": "a", "elements": [{"frontal_image_url": "\(image)", "reference_image_urls": []}]}
            """) == ["input.elements[0].reference_image_urls: must not be empty"])
        #expect(try CatalogFixture.problems("""
            {"prompt": "a", "elements": [{"frontal_image_url": "\(image)"}]}
            """) == ["input.elements[0].reference_image_urls: is required"])
    }

    @Test("an element of neither shape says which shapes exist", arguments: [
        "{}", #"{"image": "https://example.com/a.png"}"#,
        #"{"frontal_image_url": "https://example.com/a.png", "video_url": "https://example.com/v.mp4"}"#, "\"face.png\"",
    ])
    func elementShape(element: String) throws {
        #expect(try CatalogFixture.problems(#"{"prompt": "a", "elements": [\#(element)]}"#) == [
            "input.elements[0]: must match exactly one of: {frontal_image_url, reference_image_urls} or {video_url}",
        ])
    }

    @Test("a problem deep inside an element is reported with its full path")
    func deepPath() throws {
        #expect(try CatalogFixture.problems("""
            {"prompt": "a", "elements": [{"video_url": "https://example.com/v.mp4"},
             {"frontal_image_url": "\(image)", "reference_image_urls": ["\(image)", "side view.png"]}]}
            """) == [
            "input.elements[1].reference_image_urls[1]: must be an http(s) URL or a data:image/…;base64,… URI, "
                + "such as https://example.com/picture.png",
        ])
    }

    @Test("an unknown field is refused")
    func unknownField() throws {
        #expect(try CatalogFixture.problems(#"{"prompt": "a", "seed": 42, "odd key": 1}"#) == [
            "input.seed: is not a known field", #"input["odd key"]: is not a known field"#,
        ])
    }

    @Test("a near miss of a field's name is answered with did-you-mean; a far one, or another case, is not guessed wrongly")
    func didYouMean() throws {
        #expect(try CatalogFixture.problems(#"{"prompt": "a", "aspect_ratoi": "16:9", "Duraton": 5, "zzz": 1}"#) == [
            "input.aspect_ratoi: is not a known field; did you mean aspect_ratio?",
            "input.Duraton: is not a known field; did you mean duration?",
            "input.zzz: is not a known field",
        ])
        #expect(NearestName.suggestion(for: "seed", among: ["prompt", "duration"]) == nil)
        #expect(NearestName.editDistance(Array("ratoi"), Array("ratio")) == 1, "a swap is one edit")
    }

    @Test("a near miss inside an element, whose two shapes are tried without suggestions, still gets did-you-mean")
    func didYouMeanInsideOneOf() throws {
        let problems = try CatalogFixture.problems("""
            {"prompt": "a", "elements": [{"frontal_image_url": "\(image)", "reference_image_urlz": ["\(image)"]}]}
            """)
        #expect(problems.contains(
            "input.elements[0].reference_image_urlz: is not a known field; did you mean reference_image_urls?"),
            "\(problems)")
        #expect(try CatalogFixture.problems("""
            {"prompt": "a", "elements": [{"frontal_image_url": "\(image)", "reference_image_urls": ["\(image)"]}]}
            """).isEmpty)
    }

    @Test("exactly one of prompt and multi_prompt")
    func promptOrMultiPrompt() throws {
        #expect(try CatalogFixture.problems(#"{"duration": 5}"#) == ["input.prompt: is required (or give multi_prompt instead)"])
        #expect(try CatalogFixture.problems(#"{"prompt": "a", "multi_prompt": [{"prompt": "b", "duration": 3}]}"#)
            == ["input.multi_prompt: cannot be given together with prompt: give exactly one of them"])
        _ = try CatalogFixture.accepted(#"{"multi_prompt": [{"prompt": "b", "duration": 3}, {"prompt": "c", "duration": 4}]}"#)
    }

    @Test("multi_prompt shots are checked one by one")
    func shots() throws {
        #expect(try CatalogFixture.problems(#"{"multi_prompt": [{"prompt": "b", "duration": 0}, {"duration": 3}]}"#) == [
            "input.multi_prompt[0].duration: must be an integer from 1 to 15", "input.multi_prompt[1].prompt: is required",
        ])
        let seven = Array(repeating: #"{"prompt": "b", "duration": 2}"#, count: 7).joined(separator: ",")
        #expect(try CatalogFixture.problems(#"{"multi_prompt": [\#(seven)]}"#)
            == ["input.multi_prompt: must have at most 6 items (it has 7)"])
    }

    @Test("tail_image_url requires start_image_url")
    func tailRequiresStart() throws {
        #expect(try CatalogFixture.problems(#"{"prompt": "a", "tail_image_url": "\#(image)"}"#)
            == ["input.tail_image_url: requires start_image_url (the first frame)"])
        _ = try CatalogFixture.accepted(#"{"prompt": "a", "start_image_url": "\#(image)", "tail_image_url": "\#(image)"}"#)
    }

    @Test("@ImageN must name an existing reference image")
    func imageReferences() throws {
        #expect(try CatalogFixture.problems(#"{"prompt": "@Image1 meets @Image3", "input_image": ["\#(image)", "\#(image)"]}"#)
            == ["input.prompt: refers to @Image3, but input_image has only 2 images"])
        #expect(try CatalogFixture.problems(#"{"prompt": "@Image1 and @Image0"}"#) == [
            "input.prompt: refers to @Image1, but no input_image is given",
            "input.prompt: refers to @Image0, but references count from @Image1",
        ])
        _ = try CatalogFixture.accepted(#"{"prompt": "mail me @ImageWorks or @image9", "input_image": ["\#(image)"]}"#)
    }

    @Test("@ElementN must name an existing element, in prompt and in every shot")
    func elementReferences() throws {
        let element = #"{"frontal_image_url": "\#(image)", "reference_image_urls": ["\#(image)"]}"#
        #expect(try CatalogFixture.problems(#"{"prompt": "@Element1 waves to @Element2", "elements": [\#(element)]}"#)
            == ["input.prompt: refers to @Element2, but elements has only 1 element"])
        #expect(try CatalogFixture.problems("""
            {"multi_prompt": [{"prompt": "@Element1 enters", "duration": 3}, {"prompt": "@Element1@Image1 leaves", "duration": 3}],
             "elements": [\(element)]}
            """) == ["input.multi_prompt[1].prompt: refers to @Image1, but no input_image is given"])
    }

    @Test("at most one video element, and at most 4 images and elements together with one")
    func videoElementCounts() throws {
        let video = #"{"video_url": "https://example.com/v.mp4"}"#
        let element = #"{"frontal_image_url": "\#(image)", "reference_image_urls": ["\#(image)"]}"#
        #expect(try CatalogFixture.problems(#"{"prompt": "a", "elements": [\#(video), \#(video)]}"#)
            == ["input.elements: may contain at most one element with a video_url (it has 2)"])
        let threeImages = Array(repeating: "\"\(image)\"", count: 3).joined(separator: ",")
        #expect(try CatalogFixture.problems(#"{"prompt": "a", "input_image": [\#(threeImages)], "elements": [\#(video), \#(element)]}"#)
            == ["input.elements: with a video element, input_image and elements may have at most 4 entries together (they have 5)"])
        _ = try CatalogFixture.accepted(#"{"prompt": "a", "input_image": ["\#(image)", "\#(image)"], "elements": [\#(video), \#(element)]}"#)
        let fourImages = Array(repeating: "\"\(image)\"", count: 4).joined(separator: ",")
        _ = try CatalogFixture.accepted(
            #"{"prompt": "a", "input_image": [\#(fourImages)], "elements": [\#(element), \#(element), \#(element)]}"#)
    }

    @Test("image URIs: http(s) or a base64 data:image URI", arguments: [
        ("not a url", "must be an http(s) URL or a data:image/…;base64,… URI, such as https://example.com/picture.png"),
        ("ftp://example.com/a.png", "must be an http(s) URL or a data:image/…;base64,… URI, not a ftp: URI"),
        ("https:///a.png", "must be a complete https URL with a host, such as https://example.com/picture.png"),
        ("data:text/plain;base64,SGVsbG8=", "must be a data URI of type image/… (data:image/<type>;base64,…), not text/plain"),
        ("data:image/png,raw", "must be a base64 data URI (data:image/png;base64,…)"),
        ("data:image/png;base64,iVBORw0KGgo", "must carry valid base64 data after \"base64,\""),
    ])
    func badImageURI(uri: String, message: String) throws {
        #expect(try CatalogFixture.problems(#"{"prompt": "a", "start_image_url": "\#(uri)"}"#) == ["input.start_image_url: \(message)"])
    }

    @Test("a base64 data:image URI and plain URLs are accepted")
    func goodImageURIs() throws {
        for uri in ["data:image/png;base64,iVBORw0KGgo=", "https://user@cdn.example.com:8443/a%20b.png?x=1#f", "http://[::1]/a.png"] {
            _ = try CatalogFixture.accepted(#"{"prompt": "a", "start_image_url": "\#(uri)"}"#)
        }
    }

    @Test("fal's names and a numeric-string duration are accepted and mapped to Spool's")
    func aliases() throws {
        let accepted = try CatalogFixture.accepted("""
            {"prompt": "@Image1", "image_urls": ["\(image)"], "start_image_url": "\(image)", "end_image_url": "\(image)",
             "duration": "10", "aspect_ratio": "1:1"}
            """)
        #expect(try accepted == CatalogFixture.json("""
            {"prompt": "@Image1", "input_image": ["\(image)"], "start_image_url": "\(image)", "tail_image_url": "\(image)",
             "duration": 10, "aspect_ratio": "1:1"}
            """))
        #expect(accepted.objectValue?.keys == ["prompt", "input_image", "start_image_url", "tail_image_url", "duration", "aspect_ratio"])
        let shots = try CatalogFixture.accepted(#"{"multi_prompt": [{"prompt": "a", "duration": "3"}]}"#)
        #expect(shots["multi_prompt"] == [["prompt": "a", "duration": 3]])
    }

    @Test("an alias given together with its Spool name is refused")
    func aliasClash() throws {
        #expect(try CatalogFixture.problems(#"{"prompt": "a", "input_image": ["\#(image)"], "image_urls": ["\#(image)"]}"#)
            == ["input.image_urls: cannot be given together with input_image: both name the same field"])
    }

    @Test("every problem is reported at once")
    func allProblemsAtOnce() throws {
        let problems = try CatalogFixture.problems("""
            {"prompt": "@Image2", "input_image": ["\(image)"], "duration": 20, "aspect_ratio": "4:3", "colour": "red"}
            """)
        #expect(problems == [
            "input.duration: must be an integer from 3 to 15",
            #"input.aspect_ratio: must be one of "16:9", "9:16", "1:1""#,
            "input.colour: is not a known field",
            "input.prompt: refers to @Image2, but input_image has only 1 image",
        ])
    }

    @Test("text-to-video takes no images; image-to-video requires its first frame")
    func otherFamilies() throws {
        #expect(try CatalogFixture.problems(#"{"prompt": "a", "input_image": ["\#(image)"]}"#, model: "kling-video-o3-pro-text-to-video")
            == ["input.input_image: is not a known field"])
        _ = try CatalogFixture.accepted(#"{"prompt": "@Image1 is just text here", "duration": "8"}"#,
                                        model: "kling-video-o3-standard-text-to-video")
        #expect(try CatalogFixture.problems(#"{"prompt": "a"}"#, model: "kling-video-o3-pro-image-to-video")
            == ["input.image_url: is required"])
        #expect(try CatalogFixture.problems(#"{"image_url": "\#(image)", "aspect_ratio": "1:1"}"#,
                                            model: "kling-video-o3-standard-image-to-video")
            == ["input.aspect_ratio: is not a known field", "input.prompt: is required (or give multi_prompt instead)"])
        _ = try CatalogFixture.accepted(#"{"image_url": "\#(image)", "end_image_url": "\#(image)", "prompt": "a"}"#,
                                        model: "kling-video-o3-pro-image-to-video")
    }
}
