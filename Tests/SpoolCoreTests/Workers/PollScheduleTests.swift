import Testing
@testable import SpoolCore

@Suite("PollSchedule: when the next status poll of a job is due")
struct PollScheduleTests {
    let schedule = PollSchedule(base: 1, ceiling: 30)

    @Test("right after a change the next poll comes at the base interval")
    func soonAfterChange() {
        #expect(schedule.delay(sinceChange: 0, queuePosition: nil) == 1)
        #expect(schedule.delay(sinceChange: 1.5, queuePosition: nil) == 1)
    }

    @Test("the longer a job goes unchanged the longer the delay, up to the ceiling")
    func backsOff() {
        #expect(schedule.delay(sinceChange: 10, queuePosition: nil) == 5)
        #expect(schedule.delay(sinceChange: 40, queuePosition: nil) == 20)
        #expect(schedule.delay(sinceChange: 600, queuePosition: nil) == 30)
    }

    @Test("a job further back in fal's queue is polled less often, never beyond the ceiling")
    func queuePositionSlows() {
        #expect(schedule.delay(sinceChange: 0, queuePosition: 0) == 1)
        #expect(schedule.delay(sinceChange: 0, queuePosition: 10) == 2)
        #expect(schedule.delay(sinceChange: 10, queuePosition: 10) == 10)
        #expect(schedule.delay(sinceChange: 0, queuePosition: 5000) == 30)
    }

    @Test("a ceiling below the base is raised to the base")
    func ceilingAtLeastBase() {
        let odd = PollSchedule(base: 60, ceiling: 30)
        #expect(odd.ceiling == 60)
        #expect(odd.delay(sinceChange: 0, queuePosition: nil) == 60)
        #expect(odd.delay(sinceChange: 3600, queuePosition: 100) == 60)
    }

    @Test("the configuration's base and ceiling are used; 1 s and 30 s by default")
    func fromConfiguration() {
        var configuration = SpoolConfiguration()
        #expect(PollSchedule(configuration) == PollSchedule(base: 1, ceiling: 30))
        configuration.fal.pollIntervalSeconds = 0.05
        configuration.fal.pollMaxIntervalSeconds = 2
        #expect(PollSchedule(configuration) == PollSchedule(base: 0.05, ceiling: 2))
    }
}
