/// The outcome of one SCS check: FAIL when any problem was found; warnings never fail it.
public struct FlavorCheckResult: Sendable, Equatable {
  public var check: String
  public var problems: [String]
  public var warnings: [String]

  public init(check: String, problems: [String] = [], warnings: [String] = []) {
    self.check = check
    self.problems = problems
    self.warnings = warnings
  }

  public var passed: Bool { problems.isEmpty }
}
