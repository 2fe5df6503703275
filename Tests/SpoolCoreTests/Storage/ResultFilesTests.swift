import SpoolJSON
import SpoolTestSupport
import Testing
@testable import SpoolCore

@Suite("Stored files: finding and naming them, keys, ranges, rewriting")
struct ResultFilesTests {
    @Test("file objects are found at any depth, in any model's output, and only objects that look like fal files")
    func findsFileObjects() throws {
        let output: JSONValue = [
            "video": ["url": "https://cdn.example/a/output.mp4", "content_type": "video/mp4", "file_name": "output.mp4",
                      "file_size": 1234],
            "frames": [
                ["url": "https://cdn.example/f/1.png", "content_type": "image/png"],
                ["url": "https://cdn.example/f/2.png?sig=x", "file_size": 5],
            ],
            "seed": 42,
            "link": ["url": "https://example.com/not-a-file"],
            "local": ["url": "file:///etc/passwd", "file_name": "passwd"],
        ]
        let found = ResultFiles.find(in: output)
        #expect(found.map(\.pointer) == ["/video", "/frames/0", "/frames/1"])
        #expect(found.map(\.name) == ["output.mp4", "1.png", "2.png"])
        #expect(found[0].declaredSize == 1234)
        #expect(found[2].contentType == "application/octet-stream")
    }

    @Test("names are made safe and unique: no path, no leading dot, no traversal")
    func namesAreSafe() {
        let output: JSONValue = [
            "a": ["url": "https://x/1", "file_name": "../../etc/passwd"],
            "b": ["url": "https://x/2", "file_name": "clip.mp4"],
            "c": ["url": "https://x/3", "file_name": "clip.mp4"],
            "d": ["url": "https://x/4", "file_name": ".hidden"],
            "e": ["url": "https://x/", "content_type": "video/mp4"],
            "f": ["url": "https://x/5", "file_name": "vidéo final.mp4"],
        ]
        let names = ResultFiles.find(in: output).map(\.name)
        #expect(names == ["_.._etc_passwd", "clip.mp4", "clip-2.mp4", "hidden", "x", "vid__o_final.mp4"])
        for name in names { #expect(StorageKey.make(jobID: "job_1", name: name) != nil, "\(name)") }
    }

    @Test("storage keys cannot leave the storage folder")
    func keysStayInside() throws {
        for bad in ["../x", "job_1/../../x", "/etc/passwd", "job_1/.staging", "job_1//x", "", "job_1/a b"] {
            #expect(!StorageKey.isValid(bad), "\(bad)")
        }
        #expect(StorageKey.isValid("job_01ABC/output.mp4"))
        let directory = try TemporaryDirectory()
        let storage = try LocalFileStorage(root: directory.path + "/files", shared: false)
        #expect(throws: StorageError.self) { try storage.path(of: "../escape") }
    }

    @Test("Range headers: single ranges, suffixes, open ends; several ranges and nonsense are ignored")
    func byteRanges() {
        #expect(ByteRangeRequest(header: "bytes=0-9", size: 100) == .range(first: 0, last: 9))
        #expect(ByteRangeRequest(header: "bytes=90-", size: 100) == .range(first: 90, last: 99))
        #expect(ByteRangeRequest(header: "bytes=-10", size: 100) == .range(first: 90, last: 99))
        #expect(ByteRangeRequest(header: "bytes=50-500", size: 100) == .range(first: 50, last: 99))
        #expect(ByteRangeRequest(header: "bytes=100-", size: 100) == .unsatisfiable)
        #expect(ByteRangeRequest(header: "bytes=0-1,5-6", size: 100) == .whole)
        #expect(ByteRangeRequest(header: "items=0-1", size: 100) == .whole)
        #expect(ByteRangeRequest(header: "bytes=9-3", size: 100) == .whole)
        #expect(ByteRangeRequest(header: nil, size: 100) == .whole)
    }

    @Test("rewriting a result points stored files at Spool and leaves the rest as fal wrote it")
    func rewriting() {
        let result: JSONValue = ["video": ["url": "https://fal/v.mp4", "content_type": "video/mp4"], "seed": 1]
        var file = JobFile(
            jobID: "job_1", name: "v.mp4", team: "t", resultPath: "/video", sourceURL: "https://fal/v.mp4",
            contentType: "video/mp4", state: .stored, createdAt: .now())
        let rewritten = ResultURLRewriter.pointingAtSpool(result, files: [file])
        #expect(rewritten["video"]?["url"]?.stringValue == "/v1/jobs/job_1/files/v.mp4")
        #expect(rewritten["seed"] == 1)
        file.state = .failed
        #expect(ResultURLRewriter.pointingAtSpool(result, files: [file]) == result)
    }
}
