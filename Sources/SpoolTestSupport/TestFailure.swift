/// A test helper could not do what it was asked (a socket call failed, a deadline passed, an answer was not
/// HTTP), with a message that says what.
package struct TestFailure: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
