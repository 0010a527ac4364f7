/// An API microversion such as Nova's `2.90` or Ironic's `1.65`, ordered numerically (2.9 < 2.10).
public struct Microversion: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let major: Int
  public let minor: Int

  public init(_ major: Int, _ minor: Int) {
    self.major = major
    self.minor = minor
  }

  /// Accepts `2.90`, and the `v2.1` / `v1.0` forms found in version documents.
  public init?(_ text: String) {
    var trimmed = Substring(text)
    if trimmed.first == "v" || trimmed.first == "V" { trimmed = trimmed.dropFirst() }
    let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
    self.init(major, minor)
  }

  public static func < (lhs: Microversion, rhs: Microversion) -> Bool {
    (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
  }

  public var description: String { "\(major).\(minor)" }
}
