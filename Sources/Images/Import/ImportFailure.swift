/// Why an image import failed; each names what was left behind (normally nothing: a failed import
/// deletes the image it created).
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
  public enum Reason: Sendable, Equatable {
    case sourceUnreachable(String)
    case checksumMismatch(expected: String, actual: String)
    case importFailed(String)
    case timedOut(lastStatus: String)
  }

  public var image: String
  public var reason: Reason
  /// What cleaning up did or could not do.
  public var cleanup: String?

  public var description: String {
    var text: String
    switch reason {
    case .sourceUnreachable(let why): text = "source not reachable: \(why)"
    case .checksumMismatch(let expected, let actual): text = "checksum mismatch: expected \(expected), got \(actual)"
    case .importFailed(let why): text = "import failed: \(why)"
    case .timedOut(let status): text = "import did not finish within the import timeout (stuck in '\(status)')"
    }
    if let cleanup { text += "; \(cleanup)" }
    return text
  }
}
