import SpoolCore
import SpoolJSON
import Testing

@Suite("fal input and cost estimates")
struct FalInputAndCostTests {
    @Test("fal gets image_urls, end_image_url and durations as strings, in the order sent")
    func referenceToVideoTranslation() throws {
        let model = try CatalogFixture.model()
        let accepted = try CatalogFixture.accepted("""
            {"multi_prompt": [{"prompt": "@Image1 opens", "duration": 3}, {"prompt": "closes", "duration": "4"}],
             "input_image": ["https://example.com/a.png"], "start_image_url": "https://example.com/s.png",
             "tail_image_url": "https://example.com/t.png", "duration": 7, "generate_audio": true,
             "elements": [{"video_url": "https://example.com/v.mp4"}]}
            """)
        let fal = model.falInput(from: accepted)
        #expect(try fal == CatalogFixture.json("""
            {"multi_prompt": [{"prompt": "@Image1 opens", "duration": "3"}, {"prompt": "closes", "duration": "4"}],
             "image_urls": ["https://example.com/a.png"], "start_image_url": "https://example.com/s.png",
             "end_image_url": "https://example.com/t.png", "duration": "7", "generate_audio": true,
             "elements": [{"video_url": "https://example.com/v.mp4"}]}
            """))
        #expect(fal.objectValue?.keys == ["multi_prompt", "image_urls", "start_image_url", "end_image_url", "duration",
                                          "generate_audio", "elements"])
    }

    @Test("fields left out stay out, so fal applies its own defaults")
    func noDefaultsAdded() throws {
        let model = try CatalogFixture.model()
        #expect(try model.falInput(from: CatalogFixture.json(#"{"prompt": "a"}"#)) == ["prompt": "a"])
    }

    @Test("text- and image-to-video only turn durations into strings")
    func otherFamilies() throws {
        let textToVideo = try CatalogFixture.model("kling-video-o3-pro-text-to-video")
        #expect(try textToVideo.falInput(from: CatalogFixture.json(#"{"prompt": "a", "duration": 12}"#))
            == ["prompt": "a", "duration": "12"])
        let imageToVideo = try CatalogFixture.model("kling-video-o3-standard-image-to-video")
        let input: JSONValue = ["image_url": "https://example.com/a.png", "end_image_url": "https://example.com/b.png", "prompt": "a"]
        #expect(imageToVideo.falInput(from: input) == input)
    }

    @Test("5 seconds of pro cost 1.12 USD, whether the duration is given or defaulted")
    func proFiveSeconds() throws {
        let model = try CatalogFixture.model()
        #expect(try model.estimatedCostUSD(for: CatalogFixture.json(#"{"prompt": "a", "duration": 5}"#)) == 1.12)
        #expect(try model.estimatedCostUSD(for: CatalogFixture.json(#"{"prompt": "a"}"#)) == 1.12)
        #expect(try model.estimatedDurationSeconds(for: CatalogFixture.json(#"{"prompt": "a"}"#)) == 5)
    }

    @Test("cost is price times seconds, rounded to the cent; multi-shot videos add up their shots")
    func otherCosts() throws {
        let standard = try CatalogFixture.model("kling-video-o3-standard-reference-to-video")
        #expect(try standard.estimatedCostUSD(for: CatalogFixture.json(#"{"prompt": "a", "duration": 10}"#)) == 1.68)
        let fourK = try CatalogFixture.model("kling-video-o3-4k-reference-to-video")
        #expect(try fourK.estimatedCostUSD(for: CatalogFixture.json(#"{"prompt": "a", "duration": 15}"#)) == 6.3)
        let pro = try CatalogFixture.model()
        let shots = try CatalogFixture.accepted(#"{"multi_prompt": [{"prompt": "a", "duration": 3}, {"prompt": "b", "duration": "4"}]}"#)
        #expect(pro.estimatedDurationSeconds(for: shots) == 7)
        #expect(pro.estimatedCostUSD(for: shots) == 1.57)
    }
}
