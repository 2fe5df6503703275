/// The version this build reports (`spool --version`, the `User-Agent` of its HTTP calls, `/metrics`).
package enum SpoolVersion {
    package static let current = "0.1.0"
}
