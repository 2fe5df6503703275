import Logging

/// The tests' logger: only critical messages get through, so test output stays readable. A test that checks
/// log lines passes a logger of its own.
package func quietLogger(_ label: String = "spool.test") -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = .critical
    return logger
}
