extension Duration {
    /// This duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension ContinuousClock.Instant {
    /// Seconds since this instant.
    var secondsElapsed: Double { (ContinuousClock.now - self).seconds }
}
