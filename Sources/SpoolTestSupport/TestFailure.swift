/// A test helper could not do what it was asked (a socket call failed, a deadline passed, an answer was not
/// HTTP), with a message that says what.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
