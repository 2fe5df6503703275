import Testing
@testable import SpoolCore

@Suite("DueQueue: followed jobs by due time")
struct DueQueueTests {
    @Test("entries come out earliest due first, whatever the order they went in")
    func earliestFirst() {
        let start = ContinuousClock.now
        var queue = DueQueue()
        let offsets = [50, 3, 99, 3, 0, 71, 12, 12, 40, 8]
        for (index, offset) in offsets.enumerated() {
            queue.insert(.init(due: start + .milliseconds(offset), jobID: "job\(index)"))
        }
        var seen: [Int] = []
        while let entry = queue.removeFirst() {
            seen.append(Int(((entry.due - start).seconds * 1000).rounded()))
        }
        #expect(seen == offsets.sorted())
        #expect(queue.isEmpty)
        #expect(queue.first == nil)
    }
}
