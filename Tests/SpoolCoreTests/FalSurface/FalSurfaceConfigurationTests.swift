import SpoolTestSupport
import Testing
@testable import SpoolCore

@Suite("fal surface: its settings")
struct FalSurfaceConfigurationTests {
    @Test("off by default; SPOOL_FAL_LISTEN and SPOOL_FAL_PUBLIC_URL set it, over the file's fal_surface section")
    func settings() throws {
        #expect(try ConfigurationLoader.load(file: nil, environment: [:]).falSurface == .init())
        let directory = try TemporaryDirectory()
        let path = directory.path + "/spool.json"
        try writeFile(path, #"{"fal_surface": {"listen": "127.0.0.1:8090", "public_url": "https://file.example"}}"#)
        let fromFile = try ConfigurationLoader.load(file: path, environment: [:])
        #expect(fromFile.falSurface.listen == "127.0.0.1:8090")
        #expect(fromFile.falSurface.publicURL == "https://file.example")
        let overridden = try ConfigurationLoader.load(
            file: path, environment: ["SPOOL_FAL_LISTEN": "0.0.0.0:9090", "SPOOL_FAL_PUBLIC_URL": "https://fal.spool.example"])
        let address = try #require(try overridden.falSurfaceAddress())
        #expect(address.host == "0.0.0.0" && address.port == 9090)
        #expect(overridden.falSurface.publicURL == "https://fal.spool.example")
    }

    @Test("a listen address without a port is refused with the setting's name")
    func badListen() {
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(file: nil, environment: ["SPOOL_FAL_LISTEN": "localhost"]).falSurfaceAddress()
        }
    }

    @Test("passthrough_endpoints is empty by default; fal_surface_cancels is honour by default and per team; bad values are refused")
    func passthroughAndCancels() throws {
        let defaults = try ConfigurationLoader.load(file: nil, environment: [:])
        #expect(defaults.falSurface.passthroughEndpoints.isEmpty)
        #expect(defaults.teams.limits(for: "any").falSurfaceCancels == .honour)
        let directory = try TemporaryDirectory()
        let path = directory.path + "/spool.json"
        try writeFile(path, #"""
            {"fal_surface": {"passthrough_endpoints": ["fal-ai/flux/dev"]},
             "teams": {"patient": {"fal_surface_cancels": "ignore"}}}
            """#)
        let loaded = try ConfigurationLoader.load(file: path, environment: [:])
        #expect(loaded.falSurface.passthroughEndpoints == ["fal-ai/flux/dev"])
        #expect(loaded.teams.limits(for: "patient").falSurfaceCancels == .ignore)
        #expect(loaded.teams.limits(for: "other").falSurfaceCancels == .honour)
        for bad in [#"{"teams": {"patient": {"fal_surface_cancels": "sometimes"}}}"#,
                    #"{"fal_surface": {"passthrough_endpoints": "fal-ai/flux/dev"}}"#] {
            try writeFile(path, bad)
            #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(file: path, environment: [:]) }
        }
    }
}
