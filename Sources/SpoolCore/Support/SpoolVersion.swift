/// The version this build reports (`spool --version`, the `User-Agent` of its HTTP calls, `/metrics`).
public enum SpoolVersion {
    public static let current = "0.1.0"
}
