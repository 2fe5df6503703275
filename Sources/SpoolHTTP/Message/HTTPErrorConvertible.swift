/// An error that stands for an HTTP answer. A handler may throw it as it is and the connection answers with
/// `httpError`, so that a server maps its own error types once, where its API is, rather than at every throw.
package protocol HTTPErrorConvertible: Error {
    /// The answer this error stands for.
    var httpError: HTTPError { get }
}

extension HTTPError: HTTPErrorConvertible {
    package var httpError: HTTPError { self }
}
