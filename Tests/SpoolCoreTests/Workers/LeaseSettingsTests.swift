import Testing
@testable import SpoolCore

@Suite("The claim lease against the submit timeout")
struct LeaseSettingsTests {
    @Test("a lease shorter than twice the submit timeout is refused, naming the rule")
    func shortLeaseRefused() {
        var configuration = SpoolConfiguration()
        configuration.fal.requestTimeoutSeconds = 30
        configuration.dispatch.leaseSeconds = 45
        #expect {
            try ConfigurationLoader.validate(configuration)
        } throws: { error in
            (error as? ConfigurationError)?.message.contains("at least twice fal.request_timeout_seconds") == true
        }
    }

    @Test("the defaults and a lease of twice the timeout are accepted")
    func comfortableLeaseAccepted() throws {
        var configuration = SpoolConfiguration()
        try ConfigurationLoader.validate(configuration)
        configuration.fal.requestTimeoutSeconds = 120
        configuration.dispatch.leaseSeconds = 240
        try ConfigurationLoader.validate(configuration)
    }
}
