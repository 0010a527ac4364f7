/// A problem in a definition file, naming file, line and field. Errors stop a sync before anything is
/// changed; warnings (unknown keys) are shown and do not.
public struct ImageDefinitionIssue: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Severity: String, Sendable { case error, warning }

  public var severity: Severity
  public var location: SourceLocation
  /// The dotted path of the field: `images[2].versions[0].checksum`.
  public var field: String
  public var message: String

  public var description: String { "\(location): \(severity.rawValue): \(field): \(message)" }
}

/// The definitions found, and every issue met on the way.
public struct ImageDefinitionSet: Sendable {
  public var images: [ImageDefinition]
  public var issues: [ImageDefinitionIssue]

  public var errors: [ImageDefinitionIssue] { issues.filter { $0.severity == .error } }
  public var warnings: [ImageDefinitionIssue] { issues.filter { $0.severity == .warning } }
}
