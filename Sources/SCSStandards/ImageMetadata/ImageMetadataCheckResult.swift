/// The outcome of one scs-0102 test case, named as the official test suite names it.
public struct ImageMetadataCheckResult: Sendable, Equatable {
  /// `scs-0102-prop-architecture`, `scs-0102-image-recency`, …
  public var id: String
  public var passed: Bool
  /// Why it failed, one line per offending image or group.
  public var errors: [String]
  /// Worth a look, does not fail the check (very low `min_ram`, an outdated image that is not hidden).
  public var warnings: [String]

  public init(id: String, errors: [String], warnings: [String] = []) {
    self.id = id
    self.passed = errors.isEmpty
    self.errors = errors
    self.warnings = warnings
  }
}
